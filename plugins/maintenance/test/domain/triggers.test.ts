import { describe, expect, it } from 'vitest';
import type { CalendarRule } from '../../src/domain/calendar.js';
import {
  BUILTIN_TRIGGER_KINDS,
  calendarTrigger,
  conditionTrigger,
  createTriggerRegistry,
  meterTrigger,
  type ConditionTriggerConfig,
  type MeterTriggerConfig,
  type TriggerKind,
} from '../../src/domain/triggers.js';

describe('calendar trigger', () => {
  const monthly: CalendarRule = { recurrence: { type: 'interval', every: 1, unit: 'month' }, mode: 'fixed', leadDays: 7 };

  it('generates the due date keyed by the date, and remembers it', () => {
    const state = { startOn: '2026-01-15', lastGeneratedDueOn: '2026-01-15' };
    // Feb 15 − 7 = Feb 8.
    const first = calendarTrigger.due(monthly, state, { today: '2026-02-08' });
    expect(first).toEqual({
      work: [{ dueKey: '2026-02-15', dueOn: '2026-02-15', generateReason: 'Due 2026-02-15 (every month, fixed); generated 7 days ahead.' }],
      state: { startOn: '2026-01-15', lastGeneratedDueOn: '2026-02-15' },
    });
    // The same day again with the stored state: nothing new.
    expect(calendarTrigger.due(monthly, first.state, { today: '2026-02-08' })).toEqual({ work: [], state: first.state });
  });

  it('says what a catch-up skipped', () => {
    // Weekly from 2025-01-06, last generated 2025-03-03, run on 2026-03-04 (see calendar.test.ts: 52 missed).
    const weekly: CalendarRule = { recurrence: { type: 'interval', every: 1, unit: 'week' }, mode: 'fixed', leadDays: 3 };
    const { work, state } = calendarTrigger.due(weekly, { startOn: '2025-01-06', lastGeneratedDueOn: '2025-03-03' }, { today: '2026-03-04' });
    expect(work).toEqual([
      {
        dueKey: '2026-03-02',
        dueOn: '2026-03-02',
        generateReason: 'Due 2026-03-02 (every week, fixed); overdue when generated; 51 earlier missed due dates (2025-03-10 to 2026-02-23) not generated.',
      },
    ]);
    expect(state.lastGeneratedDueOn).toBe('2026-03-02');
  });

  it('previews due dates', () => {
    expect(calendarTrigger.preview!({ ...monthly, recurrence: { type: 'interval', every: 3, unit: 'month' } }, { startOn: '2026-07-01' }, '2026-01-01', 3)).toEqual([
      '2026-07-01',
      '2026-10-01',
      '2027-01-01',
    ]);
  });

  it('starts a new pairing today', () => {
    expect(calendarTrigger.initialState(monthly, '2026-05-01')).toEqual({ startOn: '2026-05-01' });
  });
});

describe('meter trigger', () => {
  const config: MeterTriggerConfig = { meter: 'hours', every: '250', mode: 'fixed', leadUnits: '20' };

  it('generates one order for the highest due total reached, keyed meter:<total>', () => {
    // 1,010 + 20 reaches 1,000; 500 and 750 were passed over.
    expect(meterTrigger.due(config, { lastGeneratedDueTotal: '250' }, { today: '2026-05-01', meterTotals: { hours: '1010' } })).toEqual({
      work: [
        {
          dueKey: 'meter:1000',
          dueOn: null,
          dueMeterValue: '1000',
          generateReason: 'hours at 1010 reached due 1000 (every 250, fixed, 20 ahead); 2 earlier due totals passed without a work order.',
        },
      ],
      state: { lastGeneratedDueTotal: '1000' },
    });
  });

  it('keys are canonical decimals: every 250.0 from 0.00 still gives meter:500', () => {
    const work = meterTrigger.due({ meter: 'hours', every: '250.0', mode: 'fixed', startTotal: '0.00' }, { lastGeneratedDueTotal: '250' }, { today: '2026-05-01', meterTotals: { hours: '500.000' } }).work;
    expect(work.map((w) => w.dueKey)).toEqual(['meter:500']);
  });

  it('does nothing without a total for its meter, or before the due total', () => {
    const state = { lastGeneratedDueTotal: '250' };
    expect(meterTrigger.due(config, state, { today: '2026-05-01', meterTotals: { km: '99999' } })).toEqual({ work: [], state });
    expect(meterTrigger.due(config, state, { today: '2026-05-01', meterTotals: { hours: '479' } }).work).toEqual([]);
  });

  it('previews due totals and validates the meter name', () => {
    expect(meterTrigger.preview!(config, { lastGeneratedDueTotal: '250' }, '2026-05-01', 3)).toEqual(['500', '750', '1000']);
    expect(meterTrigger.validate({ every: '250', mode: 'fixed' })).toEqual([{ field: 'meter', message: 'must name the meter point' }]);
  });
});

describe('condition trigger', () => {
  const config: ConditionTriggerConfig = { point: 'bearing-temp', kind: 'above', threshold: '80', reset: '75' };

  it('sorts the new readings, fires once per trip, keys by the canonical instant', () => {
    const { work, state } = conditionTrigger.due(config, conditionTrigger.initialState(config, '2026-05-01'), {
      today: '2026-05-01',
      readings: {
        'bearing-temp': [
          { value: '79', readAt: '2026-05-01T10:02:00Z' },
          { value: '82', readAt: '2026-05-01T12:01:00+02:00' }, // 10:01Z: fires
          { value: '70', readAt: '2026-05-01T10:00:00Z' },
          { value: '74', readAt: '2026-05-01T10:03:00Z' }, // resets
          { value: '85', readAt: '2026-05-01T23:30:00Z' }, // fires again
        ],
        'other-point': [{ value: '500', readAt: '2026-05-01T10:00:00Z' }],
      },
    });
    expect(work).toEqual([
      { dueKey: 'condition:2026-05-01T10:01:00Z', dueOn: '2026-05-01', generateReason: 'bearing-temp at 2026-05-01T10:01:00Z: 82 is above 80.' },
      { dueKey: 'condition:2026-05-01T23:30:00Z', dueOn: '2026-05-01', generateReason: 'bearing-temp at 2026-05-01T23:30:00Z: 85 is above 80.' },
    ]);
    expect(state).toEqual({ count: 1, tripped: true, lastValue: '85', lastAt: '2026-05-01T23:30:00Z' });
  });

  it('feeding the same readings again generates nothing (they are not after the stored reading)', () => {
    const input = { today: '2026-05-01', readings: { 'bearing-temp': [{ value: '90', readAt: '2026-05-01T10:00:00Z' }] } };
    const first = conditionTrigger.due(config, conditionTrigger.initialState(config, '2026-05-01'), input);
    expect(first.work).toHaveLength(1);
    expect(conditionTrigger.due(config, first.state, input)).toEqual({ work: [], state: first.state });
  });
});

describe('registry', () => {
  it('holds the three built-in kinds', () => {
    expect(createTriggerRegistry().list().map((k) => k.kind)).toEqual(['calendar', 'meter', 'condition']);
    expect(BUILTIN_TRIGGER_KINDS).toHaveLength(3);
  });

  it('takes a kind from another plugin, and refuses duplicates, bad ids and late registration', () => {
    const oil: TriggerKind<{ limitPpm: number }, { lastSampleId: string | null }> = {
      kind: 'acme.oil-analysis',
      title: 'Oil analysis (iron ppm)',
      validate: (config) => (typeof (config as { limitPpm?: unknown })?.limitPpm === 'number' ? [] : [{ field: 'limitPpm', message: 'must be a number' }]),
      initialState: () => ({ lastSampleId: null }),
      due: (_config, state) => ({ work: [], state }),
    };
    const registry = createTriggerRegistry();
    registry.register(oil);
    expect(registry.get('acme.oil-analysis')).toBe(oil);
    expect(() => registry.register(oil)).toThrow("trigger kind 'acme.oil-analysis' is already registered");
    expect(() => registry.register({ ...oil, kind: 'Oil Analysis' })).toThrow('must be lower-case words with dashes, dot-separated');
    registry.freeze();
    expect(registry.frozen).toBe(true);
    expect(() => registry.register({ ...oil, kind: 'acme.other' })).toThrow('registered after the registry was frozen');
  });

  it('validates configs through the kind', () => {
    const registry = createTriggerRegistry();
    expect(registry.get('calendar')!.validate({ mode: 'fixed', recurrence: { type: 'cron', expression: '0 0 * * 9' } })).toEqual([
      { field: 'recurrence.expression', message: 'day-of-week: 9 is out of range 0–7' },
    ]);
    expect(registry.get('condition')!.validate({ kind: 'above', threshold: '80' })).toEqual([{ field: 'point', message: 'must name the gauge point' }]);
  });
});
