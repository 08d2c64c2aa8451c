import { describe, expect, it } from 'vitest';
import {
  assessMeterSeries,
  assessReading,
  assessReadingInSeries,
  forecastMeterDue,
  meterDueReached,
  nextMeterDue,
  validateMeter,
  validateMeterRule,
  type MeterRule,
  type MeterTotalReading,
} from '../../src/domain/meter.js';

const hours = { maxRatePerDay: '24' };
const odometer = { rolloverAt: '1000000', maxRatePerDay: '2000' };
const at = (value: string, readAt: string) => ({ value, readAt });

describe('assessReading', () => {
  const prev = at('1000', '2026-05-01T00:00:00Z');

  it('accepts the first reading as the baseline, delta 0', () => {
    expect(assessReading(hours, null, prev)).toEqual({ status: 'accepted', delta: '0', rollover: false });
  });

  it('accepts usage up to the maximum rate, the limit included: 12 h in half a day at 24 a day', () => {
    // 12 h later: elapsed 0.5 day, limit 24 × 0.5 = 12; 1012 − 1000 = 12.
    expect(assessReading(hours, prev, at('1012', '2026-05-01T12:00:00Z'))).toEqual({ status: 'accepted', delta: '12', rollover: false });
  });

  it('flags usage faster than the maximum rate: 12.5 h in half a day', () => {
    expect(assessReading(hours, prev, at('1012.5', '2026-05-01T12:00:00Z'))).toEqual({
      status: 'flagged',
      delta: '12.5',
      rollover: false,
      reason: 'usage 12.5 in 0.5 days exceeds the maximum of 24 a day (previous reading 1000 at 2026-05-01T00:00:00Z)',
    });
  });

  it('uses fractional days: 6 h 30 min is 0.2708333… day, limit 6.5', () => {
    // 6.5 h / 24 = 0.270833… day × 24 = 6.5 exactly (decimal): 6.5 accepted, 6.51 flagged.
    expect(assessReading(hours, prev, at('1006.5', '2026-05-01T06:30:00Z')).status).toBe('accepted');
    expect(assessReading(hours, prev, at('1006.51', '2026-05-01T06:30:00Z')).status).toBe('flagged');
  });

  it('flags any usage at the same instant', () => {
    expect(assessReading(hours, prev, at('1001', '2026-05-01T00:00:00Z'))).toEqual({
      status: 'flagged',
      delta: '1',
      rollover: false,
      reason: 'usage 1 at the same instant as the previous reading 1000 at 2026-05-01T00:00:00Z',
    });
  });

  it('has no rate check without a maximum rate', () => {
    expect(assessReading({}, prev, at('5000', '2026-05-01T00:00:00Z'))).toEqual({ status: 'accepted', delta: '4000', rollover: false });
  });

  it('accepts the same value with delta 0', () => {
    expect(assessReading(hours, prev, at('1000', '2026-05-02T00:00:00Z'))).toEqual({ status: 'accepted', delta: '0', rollover: false });
  });

  it('rejects a lower value on a meter that does not roll over, saying what it was before and when', () => {
    expect(assessReading(hours, prev, at('990', '2026-05-02T00:00:00Z'))).toEqual({
      status: 'rejected',
      delta: '0',
      rollover: false,
      reason: 'value 990 is lower than the previous reading 1000 at 2026-05-01T00:00:00Z: the meter does not go backwards',
    });
  });

  it('rejects negative values, non-numbers, and readings older than the previous one', () => {
    expect(assessReading(hours, null, at('-5', '2026-05-01T00:00:00Z')).reason).toBe('value -5 is negative: a meter counts up from 0');
    expect(assessReading(hours, null, at('12,5', '2026-05-01T00:00:00Z')).reason).toBe('value "12,5" is not a decimal number');
    expect(assessReading(hours, prev, at('1001', '2026-04-30T23:00:00Z'))).toEqual({
      status: 'rejected',
      delta: '0',
      rollover: false,
      reason: 'taken at 2026-04-30T23:00:00Z, before the previous reading at 2026-05-01T00:00:00Z',
    });
  });

  describe('rollover', () => {
    const before = at('999500', '2026-05-01T00:00:00Z');

    it('a lower value is a rollover when the implied usage is plausible: 1,000,000 − 999,500 + 700 = 1,200 km in a day (≤ 2,000)', () => {
      expect(assessReading(odometer, before, at('700', '2026-05-02T00:00:00Z'))).toEqual({ status: 'accepted', delta: '1200', rollover: true });
    });

    it('and rejected when it is not: 1,000,000 − 999,500 + 3,000 = 3,500 km in a day', () => {
      expect(assessReading(odometer, before, at('3000', '2026-05-02T00:00:00Z'))).toEqual({
        status: 'rejected',
        delta: '0',
        rollover: false,
        reason: 'value 3000 is lower than the previous reading 999500 at 2026-05-01T00:00:00Z and is not a plausible rollover: it would mean 3500 of use in 1 day (at most 2000 a day)',
      });
    });

    it('without a maximum rate, plausible means at most half the range (500,000)', () => {
      // 1,000,000 − 999,500 + 400,000 = 400,500 ≤ 500,000; + 600,000 = 600,500 > 500,000.
      expect(assessReading({ rolloverAt: '1000000' }, before, at('400000', '2026-05-02T00:00:00Z'))).toEqual({ status: 'accepted', delta: '400500', rollover: true });
      expect(assessReading({ rolloverAt: '1000000' }, before, at('600000', '2026-05-02T00:00:00Z')).status).toBe('rejected');
    });

    it('the meter never shows the rollover value itself', () => {
      expect(assessReading(odometer, before, at('1000000', '2026-05-02T00:00:00Z')).reason).toBe(
        'value 1000000 is not below the rollover value 1000000 (the meter shows 0 at 1000000)',
      );
    });
  });
});

describe('assessReadingInSeries: readings that arrive out of order', () => {
  // 100 → 148 in 2 days (24 a day), → 160 the next day.
  const series = [at('100', '2026-05-01T00:00:00Z'), at('148', '2026-05-03T00:00:00Z'), at('160', '2026-05-04T00:00:00Z')];

  it('accepts a reading monotone between its neighbours and splits the next delta', () => {
    // 100 → 124: 24 in 1 day; 124 → 148: 24 in 1 day. 24 + 24 = 48, the usage recorded between them.
    expect(assessReadingInSeries(hours, series, at('124', '2026-05-02T00:00:00Z'))).toEqual({
      status: 'accepted',
      delta: '24',
      rollover: false,
      previous: series[0],
      next: series[1],
      nextDelta: '24',
    });
  });

  it('rejects one above the next reading', () => {
    expect(assessReadingInSeries(hours, series, at('150', '2026-05-02T00:00:00Z'))).toMatchObject({
      status: 'rejected',
      reason: 'value 150 is not between the previous reading 100 at 2026-05-01T00:00:00Z and the next 148 at 2026-05-03T00:00:00Z',
    });
  });

  it('rejects one below the previous reading', () => {
    expect(assessReadingInSeries(hours, series, at('90', '2026-05-02T00:00:00Z')).reason).toBe(
      'value 90 is lower than the previous reading 100 at 2026-05-01T00:00:00Z: the meter does not go backwards',
    );
  });

  it('flags one whose usage to the next reading is too fast: 120 → 148 is 28 in a day', () => {
    expect(assessReadingInSeries(hours, series, at('120', '2026-05-02T00:00:00Z'))).toMatchObject({
      status: 'flagged',
      delta: '20',
      nextDelta: '28',
      reason: 'usage 28 from this reading to the next reading 148 at 2026-05-03T00:00:00Z exceeds the maximum of 24 a day',
    });
  });

  it('rejects one before the first reading (the baseline)', () => {
    expect(assessReadingInSeries(hours, series, at('90', '2026-04-30T00:00:00Z'))).toMatchObject({
      status: 'rejected',
      reason: "taken at 2026-04-30T00:00:00Z, before the meter's first reading 100 at 2026-05-01T00:00:00Z",
      previous: null,
      next: series[0],
    });
  });

  it('assesses one after the last like assessReading', () => {
    expect(assessReadingInSeries(hours, series, at('170', '2026-05-05T00:00:00Z'))).toEqual({
      status: 'accepted',
      delta: '10',
      rollover: false,
      previous: series[2],
      next: null,
    });
  });

  it('ignores flagged readings: a typo is not a baseline', () => {
    const withTypo = [at('100', '2026-05-01T00:00:00Z'), { ...at('1480', '2026-05-02T00:00:00Z'), status: 'flagged' as const }];
    // Against 100, 36 hours earlier: 20 ≤ 24 × 1.5 = 36.
    expect(assessReadingInSeries(hours, withTypo, at('120', '2026-05-02T12:00:00Z'))).toMatchObject({ status: 'accepted', delta: '20', previous: withTypo[0], next: null });
  });

  it('a duplicate of a stored reading is accepted with delta 0', () => {
    expect(assessReadingInSeries(hours, series, at('148', '2026-05-03T00:00:00Z'))).toMatchObject({ status: 'accepted', delta: '0', nextDelta: '12' });
  });

  describe('around a rollover', () => {
    // 999,000 → 1,000 across the wrap: 1,000,000 − 999,000 + 1,000 = 2,000 km.
    const wrapped = [at('999000', '2026-05-01T00:00:00Z'), at('1000', '2026-05-03T00:00:00Z')];
    const meter = { rolloverAt: '1000000' };

    it('accepts a reading before the wrap: 900 + 1,100 = 2,000', () => {
      expect(assessReadingInSeries(meter, wrapped, at('999900', '2026-05-02T00:00:00Z'))).toMatchObject({ status: 'accepted', delta: '900', nextDelta: '1100', rollover: false });
    });

    it('accepts a reading after the wrap: 1,500 + 500 = 2,000', () => {
      expect(assessReadingInSeries(meter, wrapped, at('500', '2026-05-02T00:00:00Z'))).toMatchObject({ status: 'accepted', delta: '1500', nextDelta: '500', rollover: true });
    });

    it('rejects one that would need a second wrap: 6,000 + 996,000 ≠ 2,000', () => {
      expect(assessReadingInSeries(meter, wrapped, at('5000', '2026-05-02T00:00:00Z')).status).toBe('rejected');
    });
  });
});

describe('assessMeterSeries: totals across a rollover and a flagged jump', () => {
  it('sums accepted deltas only', () => {
    const result = assessMeterSeries(odometer, [
      at('998000', '2026-05-01T00:00:00Z'), // baseline, total 0
      at('999500', '2026-05-02T00:00:00Z'), // +1,500 → 1,500
      at('500', '2026-05-03T00:00:00Z'), // wrap: 1,000,000 − 999,500 + 500 = +1,000 → 2,500
      at('9000', '2026-05-04T00:00:00Z'), // +8,500 in a day > 2,000: flagged, total stays 2,500
      at('2100', '2026-05-05T00:00:00Z'), // against 500 two days before: +1,600 ≤ 4,000 → 4,100
    ]);
    expect(result.map((r) => [r.status, r.delta, r.total])).toEqual([
      ['accepted', '0', '0'],
      ['accepted', '1500', '1500'],
      ['accepted', '1000', '2500'],
      ['flagged', '8500', '2500'],
      ['accepted', '1600', '4100'],
    ]);
  });
});

describe('meter plans', () => {
  const fixed: MeterRule = { every: '250', mode: 'fixed', leadUnits: '20' };

  it('fixed: due at start + k·every above the last generated due total', () => {
    expect(nextMeterDue(fixed, {})).toBe('250');
    expect(nextMeterDue(fixed, { lastGeneratedDueTotal: '250' })).toBe('500');
    expect(nextMeterDue(fixed, { lastGeneratedDueTotal: '500', lastCompletedAtTotal: '530' })).toBe('750');
    expect(nextMeterDue({ every: '250', mode: 'fixed', startTotal: '100' }, {})).toBe('350');
    expect(nextMeterDue({ every: '12.5', mode: 'fixed', startTotal: '0.25' }, { lastGeneratedDueTotal: '12.75' })).toBe('25.25');
  });

  it('fixed: due once within the lead units (500 − 20 = 480)', () => {
    const state = { lastGeneratedDueTotal: '250' };
    expect(meterDueReached(fixed, state, '479')).toEqual({ due: false, dueTotal: '500', generateAtTotal: '480', remaining: '21', skippedCount: 0 });
    expect(meterDueReached(fixed, state, '480')).toEqual({ due: true, dueTotal: '500', generateAtTotal: '480', remaining: '20', skippedCount: 0 });
    expect(meterDueReached(fixed, { lastGeneratedDueTotal: '500' }, '480').due).toBe(false);
  });

  it('fixed: a jump past several due totals generates one order, for the highest reached', () => {
    // 1,010 + 20 = 1,030 reaches 1,000 (k = 4); 500 and 750 are passed over.
    expect(meterDueReached(fixed, { lastGeneratedDueTotal: '250' }, '1010')).toEqual({ due: true, dueTotal: '1000', generateAtTotal: '980', remaining: '-10', skippedCount: 2 });
  });

  it('floating: from the total at the last completion', () => {
    const floating: MeterRule = { every: '250', mode: 'floating', leadUnits: '10' };
    expect(nextMeterDue(floating, {})).toBe('250');
    // Done late, at 270: next at 520, generated from 510.
    const state = { lastCompletedAtTotal: '270', lastGeneratedDueTotal: '250' };
    expect(nextMeterDue(floating, state)).toBe('520');
    expect(meterDueReached(floating, state, '509').due).toBe(false);
    expect(meterDueReached(floating, state, '515')).toEqual({ due: true, dueTotal: '520', generateAtTotal: '510', remaining: '5', skippedCount: 0 });
    // Generated, waiting for completion.
    expect(meterDueReached(floating, { ...state, lastGeneratedDueTotal: '520' }, '700').due).toBe(false);
  });

  it('works on totals, so an odometer wrap does not restart the plan', () => {
    // The series above ends at total 4,100 although the odometer shows 2,100: every 2,000 km → 4,000 is due.
    expect(meterDueReached({ every: '2000', mode: 'fixed' }, {}, '4100')).toEqual({ due: true, dueTotal: '4000', generateAtTotal: '4000', remaining: '-100', skippedCount: 1 });
  });

  it('validates rules and meters', () => {
    expect(validateMeterRule({ every: '250', mode: 'fixed', leadUnits: '20' })).toEqual([]);
    expect(validateMeterRule({ every: '0', mode: 'weekly', startTotal: '-1', leadUnits: 'x' })).toEqual([
      { field: 'every', message: 'must be greater than 0' },
      { field: 'mode', message: 'must be one of fixed, floating' },
      { field: 'startTotal', message: 'must not be negative' },
      { field: 'leadUnits', message: 'must be a decimal number' },
    ]);
    expect(validateMeterRule({ every: '250', mode: 'fixed', leadUnits: '250' })).toEqual([{ field: 'leadUnits', message: 'must be less than the interval 250' }]);
    expect(validateMeter({ rolloverAt: '0', maxRatePerDay: 'fast' })).toEqual([
      { field: 'rolloverAt', message: 'must be greater than 0' },
      { field: 'maxRatePerDay', message: 'must be a decimal number' },
    ]);
    expect(() => nextMeterDue({ every: '-1', mode: 'fixed' }, {})).toThrow(RangeError);
  });
});

describe('forecastMeterDue', () => {
  const readings: MeterTotalReading[] = [
    { readAt: '2026-03-01T00:00:00Z', total: '0' },
    { readAt: '2026-03-11T00:00:00Z', total: '80' },
    { readAt: '2026-03-21T00:00:00Z', total: '200' },
    { readAt: '2026-03-31T00:00:00Z', total: '300' },
  ];

  it('average rate over the last 90 days, projected from the last reading', () => {
    // Window from 2025-12-31: all four. Rate (300 − 0) / 30 days = 10 a day.
    // 1,000 − 300 = 700 to go: 70 days after Mar 31 = Jun 9 (Apr 30 is +30, May 31 +61, Jun 9 +70).
    expect(forecastMeterDue(readings, '1000', '2026-03-31')).toEqual({
      dueOn: '2026-06-09',
      reached: false,
      ratePerDay: '10',
      from: '2026-03-01T00:00:00Z',
      to: '2026-03-31T00:00:00Z',
      readingsUsed: 4,
    });
  });

  it('a 20-day window sees the faster recent use', () => {
    // From Mar 11: (300 − 80) / 20 days = 11 a day; 700 / 11 = 63.64 days: Mar 31 + 63 = Jun 2 (+ 0.64 day, still Jun 2).
    expect(forecastMeterDue(readings, '1000', '2026-03-31', { days: 20 })).toMatchObject({ dueOn: '2026-06-02', ratePerDay: '11', readingsUsed: 3, from: '2026-03-11T00:00:00Z' });
  });

  it('a window of the last 2 readings', () => {
    // (300 − 200) / 10 = 10 a day: 70 days → Jun 9.
    expect(forecastMeterDue(readings, '1000', '2026-03-31', { readings: 2 })).toMatchObject({ dueOn: '2026-06-09', ratePerDay: '10', readingsUsed: 2 });
  });

  it('exact with thirds: 10 in 3 days, 10 more to go is exactly 3 more days', () => {
    const r = [
      { readAt: '2026-01-01T00:00:00Z', total: '0' },
      { readAt: '2026-01-04T00:00:00Z', total: '10' },
    ];
    // 3.333333… a day; 10 / (10/3) = 3 days → Jan 7 (a binary float could land on Jan 6 23:59:59.999).
    expect(forecastMeterDue(r, '20', '2026-01-04')).toMatchObject({ dueOn: '2026-01-07', ratePerDay: '3.333333' });
  });

  it('reports a due total already reached, on the date of the first reading at or past it', () => {
    expect(forecastMeterDue(readings, '150', '2026-03-31')).toMatchObject({ dueOn: '2026-03-21', reached: true });
  });

  it('ignores readings after today', () => {
    const withFuture = [...readings, { readAt: '2026-04-05T00:00:00Z', total: '999' }];
    expect(forecastMeterDue(withFuture, '1000', '2026-03-31')?.dueOn).toBe('2026-06-09');
  });

  it('null with fewer than 2 readings in the window, or no usage', () => {
    // Window of 5 days from Mar 26: only the Mar 31 reading.
    expect(forecastMeterDue(readings, '1000', '2026-03-31', { days: 5 })).toBeNull();
    expect(forecastMeterDue([readings[0]], '1000', '2026-03-31')).toBeNull();
    expect(
      forecastMeterDue(
        [
          { readAt: '2026-03-01T00:00:00Z', total: '300' },
          { readAt: '2026-03-31T00:00:00Z', total: '300' },
        ],
        '1000',
        '2026-03-31',
      ),
    ).toBeNull();
  });
});
