import { describe, expect, it } from 'vitest';
import {
  INITIAL_CONDITION_STATE,
  evaluateCondition,
  evaluateConditionSeries,
  validateConditionRule,
  type ConditionReading,
  type ConditionRule,
} from '../../src/domain/condition.js';

/** Readings one minute apart from 2026-05-01T10:00Z (or `stepMinutes` apart). */
function series(values: (string | number)[], stepMinutes = 1, start = Date.UTC(2026, 4, 1, 10)): ConditionReading[] {
  return values.map((value, i) => ({ value, readAt: new Date(start + i * stepMinutes * 60_000).toISOString() }));
}
const fired = (rule: ConditionRule, values: (string | number)[], stepMinutes = 1) => evaluateConditionSeries(rule, series(values, stepMinutes)).firings.map((f) => f.value);

describe('above, with hysteresis', () => {
  const rule: ConditionRule = { kind: 'above', threshold: '80', reset: '75' };

  it('a noisy sensor around the threshold fires once', () => {
    // 81 fires; 79, 82, 80, 76, 81 never fall to 75, so the rule stays tripped.
    const { firings, state } = evaluateConditionSeries(rule, series(['78', '81', '79', '82', '80', '76', '81']));
    expect(firings).toEqual([{ readAt: '2026-05-01T10:01:00Z', value: '81', reason: '81 is above 80' }]);
    expect(state).toEqual({ count: 1, tripped: true, lastValue: '81', lastAt: '2026-05-01T10:06:00Z' });
  });

  it('fires again after the value returned to the reset level', () => {
    // … 74 resets; the next 81 fires again.
    expect(fired(rule, ['78', '81', '79', '82', '80', '76', '81', '74', '81'])).toEqual(['81', '81']);
  });

  it('the threshold itself does not violate, the reset level itself clears', () => {
    expect(fired(rule, ['80', '80', '80'])).toEqual([]);
    const tripped = evaluateConditionSeries(rule, series(['81'])).state;
    const reset = evaluateCondition(rule, tripped, { value: '75', readAt: '2026-05-01T11:00:00Z' });
    expect(reset).toEqual({ state: { count: 0, tripped: false, lastValue: '75', lastAt: '2026-05-01T11:00:00Z' }, fired: false, ignored: false, reason: 'reset: 75 is at or below 75' });
    // 75.01 does not clear.
    expect(evaluateCondition(rule, tripped, { value: '75.01', readAt: '2026-05-01T11:00:00Z' }).state.tripped).toBe(true);
  });

  it('without a reset level it resets as soon as the value is no longer above the threshold', () => {
    // 81 fires; 80.5 is still above; 80 is no longer above: reset; 81 fires again.
    expect(fired({ kind: 'above', threshold: 80 }, [81, 80.5, 80, 81])).toEqual(['81', '81']);
  });

  it('equality is exact for decimal text: 80.1 and 80.10 are not above 80.1; 80.100000000001 (15 digits) is', () => {
    expect(fired({ kind: 'above', threshold: '80.1' }, ['80.1', '80.10', '80.100000000001'])).toEqual(['80.100000000001']);
    expect(fired({ kind: 'below', threshold: '0.3' }, ['0.3', '0.299999999999999'])).toEqual(['0.299999999999999']);
  });

  it('N consecutive readings must violate', () => {
    const three: ConditionRule = { kind: 'above', threshold: '80', reset: '75', consecutive: 3 };
    // 81, 82 then 79 breaks the run; 81, 82, 83 is three in a row: fires on 83.
    const { firings } = evaluateConditionSeries(three, series(['81', '82', '79', '81', '82', '83', '84']));
    expect(firings).toEqual([{ readAt: '2026-05-01T10:05:00Z', value: '83', reason: '83 is above 80 (3 consecutive readings)' }]);
  });
});

describe('below', () => {
  it('fires below the threshold and resets at or above the reset level', () => {
    // 9.5 fires; 11.9 is not back to 12; 12 resets; 9 fires again.
    expect(fired({ kind: 'below', threshold: '10', reset: '12' }, ['11', '9.5', '11.9', '9', '12', '9'])).toEqual(['9.5', '9']);
  });
});

describe('outside a range', () => {
  const rule: ConditionRule = { kind: 'outside', low: '20', high: '30', hysteresis: '1' };

  it('fires outside [low, high] and resets inside [low + h, high − h]', () => {
    // 31 fires (above 30); 29.5 is inside [20, 30] but not inside [21, 29]: still tripped; 29 resets;
    // 19.9 fires (below 20); 20.5 stays tripped; 21 resets; 30.01 fires.
    const { firings } = evaluateConditionSeries(rule, series(['25', '31', '29.5', '32', '29', '19.9', '20.5', '21', '30.01']));
    expect(firings.map((f) => [f.value, f.reason])).toEqual([
      ['31', '31 is outside 20 to 30'],
      ['19.9', '19.9 is outside 20 to 30'],
      ['30.01', '30.01 is outside 20 to 30'],
    ]);
  });

  it('the limits themselves are inside', () => {
    expect(fired(rule, ['20', '30', '20', '30'])).toEqual([]);
  });

  it('reset bounds are exact decimals: low 0.1 + hysteresis 0.2 is 0.3, not 0.30000000000000004', () => {
    const tight: ConditionRule = { kind: 'outside', low: '0.1', high: '1', hysteresis: '0.2' };
    const tripped = evaluateConditionSeries(tight, series(['0.05'])).state;
    expect(tripped.tripped).toBe(true);
    expect(evaluateCondition(tight, tripped, { value: '0.3', readAt: '2026-05-01T11:00:00Z' })).toMatchObject({ state: { tripped: false }, reason: 'reset: 0.3 is within 0.3 to 0.8' });
  });
});

describe('rate of change', () => {
  const rule: ConditionRule = { kind: 'rate-of-change', maxPerHour: '10' };
  const at = (value: string, hhmm: string) => ({ value, readAt: `2026-05-01T${hhmm}:00Z` });

  it('compares |Δ| per hour between consecutive readings', () => {
    const readings = [
      at('50', '10:00'), // first: no rate
      at('54', '10:30'), // 4 in 0.5 h = 8 /h
      at('57', '10:45'), // 3 in 0.25 h = 12 /h: fires
      at('60', '11:00'), // 12 /h: tripped
      at('64', '11:30'), // 8 /h ≤ 10: resets
      at('67', '11:45'), // 12 /h: fires again
      at('47', '12:45'), // |−20| in 1 h = 20 /h: tripped, no new firing
    ];
    const { firings } = evaluateConditionSeries(rule, readings);
    expect(firings).toEqual([
      { readAt: '2026-05-01T10:45:00Z', value: '57', reason: 'changed 12 per hour (54 → 57 in 15 min), more than 10 per hour' },
      { readAt: '2026-05-01T11:45:00Z', value: '67', reason: 'changed 12 per hour (64 → 67 in 15 min), more than 10 per hour' },
    ]);
  });

  it('a falling value counts too', () => {
    expect(evaluateConditionSeries(rule, [at('60', '10:00'), at('40', '11:00')]).firings.map((f) => f.reason)).toEqual([
      'changed 20 per hour (60 → 40 in 60 min), more than 10 per hour',
    ]);
  });

  it('resets only below the reset rate', () => {
    const slow: ConditionRule = { kind: 'rate-of-change', maxPerHour: '10', resetPerHour: '5' };
    // 12 /h fires; 8 /h is not ≤ 5: tripped; 2 /h resets; 12 /h fires again.
    const readings = [at('50', '10:00'), at('62', '11:00'), at('70', '12:00'), at('72', '13:00'), at('84', '14:00')];
    expect(evaluateConditionSeries(slow, readings).firings.map((f) => f.value)).toEqual(['62', '84']);
  });

  it('a rate exactly at the limit does not fire, even where doubles say 1.1 − 0.9 = 0.20000000000000007', () => {
    const fine: ConditionRule = { kind: 'rate-of-change', maxPerHour: '0.2' };
    expect(evaluateConditionSeries(fine, [at('0.9', '10:00'), at('1.1', '11:00')]).firings).toEqual([]);
    expect(evaluateConditionSeries(fine, [at('0.9', '10:00'), at('1.1000001', '11:00')]).firings).toHaveLength(1);
  });

  it('consecutive applies to rates', () => {
    const twice: ConditionRule = { kind: 'rate-of-change', maxPerHour: '10', consecutive: 2 };
    // 12 /h, 8 /h (breaks), 12 /h, 12 /h: fires on the 4th rate.
    const readings = [at('0', '10:00'), at('12', '11:00'), at('20', '12:00'), at('32', '13:00'), at('44', '14:00')];
    expect(evaluateConditionSeries(twice, readings).firings.map((f) => f.value)).toEqual(['44']);
  });
});

describe('readings out of order', () => {
  const rule: ConditionRule = { kind: 'above', threshold: '80' };

  it('ignores a reading not after the last one (out of order or duplicate time): state unchanged', () => {
    const state = evaluateConditionSeries(rule, series(['70', '72'])).state; // last at 10:01
    const late = evaluateCondition(rule, state, { value: '95', readAt: '2026-05-01T10:00:30Z' });
    expect(late).toEqual({
      state,
      fired: false,
      ignored: true,
      reason: 'reading at 2026-05-01T10:00:30Z is not after the last evaluated reading at 2026-05-01T10:01:00Z: out-of-order and duplicate readings are ignored',
    });
    expect(late.state).toBe(state);
    expect(evaluateCondition(rule, state, { value: '95', readAt: '2026-05-01T12:01:00+02:00' }).ignored).toBe(true);
  });

  it('counts the ignored readings in a series and does not let them break a run', () => {
    const three: ConditionRule = { kind: 'above', threshold: '80', consecutive: 3 };
    const readings = [
      { value: '81', readAt: '2026-05-01T10:00:00Z' },
      { value: '82', readAt: '2026-05-01T10:01:00Z' },
      { value: '10', readAt: '2026-05-01T09:00:00Z' }, // late, ignored
      { value: '83', readAt: '2026-05-01T10:02:00Z' },
    ];
    const result = evaluateConditionSeries(three, readings);
    expect(result.ignored).toBe(1);
    expect(result.firings.map((f) => f.value)).toEqual(['83']);
  });

  it('ignores invalid values and times', () => {
    expect(evaluateCondition(rule, INITIAL_CONDITION_STATE, { value: 'hot', readAt: '2026-05-01T10:00:00Z' })).toMatchObject({ ignored: true, reason: 'value "hot" is not a number' });
    expect(evaluateCondition(rule, INITIAL_CONDITION_STATE, { value: '90', readAt: '2026-05-01 10:00' })).toMatchObject({ ignored: true });
    expect(evaluateCondition(rule, INITIAL_CONDITION_STATE, { value: Number.NaN, readAt: '2026-05-01T10:00:00Z' }).ignored).toBe(true);
  });
});

describe('validation', () => {
  it('accepts good rules', () => {
    expect(validateConditionRule({ kind: 'above', threshold: '80', reset: '75', consecutive: 3 })).toEqual([]);
    expect(validateConditionRule({ kind: 'outside', low: 20, high: 30, hysteresis: '5' })).toEqual([]);
  });

  it('reports each problem', () => {
    expect(validateConditionRule({ kind: 'above', threshold: '80', reset: '85' })).toEqual([{ field: 'reset', message: 'must be at or below the threshold (the value falls back to it to reset)' }]);
    expect(validateConditionRule({ kind: 'below', threshold: '10', reset: '9' })).toEqual([{ field: 'reset', message: 'must be at or above the threshold (the value climbs back to it to reset)' }]);
    expect(validateConditionRule({ kind: 'outside', low: '30', high: '20' })).toEqual([{ field: 'high', message: 'must be at or above low' }]);
    expect(validateConditionRule({ kind: 'outside', low: '20', high: '30', hysteresis: '5.01' })).toEqual([
      { field: 'hysteresis', message: 'leaves no reset band: low + hysteresis must be at or below high − hysteresis' },
    ]);
    expect(validateConditionRule({ kind: 'rate-of-change', maxPerHour: '0', consecutive: 0 })).toEqual([
      { field: 'consecutive', message: 'must be a whole number from 1 to 1000' },
      { field: 'maxPerHour', message: 'must be greater than 0' },
    ]);
    expect(validateConditionRule({ kind: 'rate-of-change', maxPerHour: '10', resetPerHour: '12' })).toEqual([{ field: 'resetPerHour', message: 'must be at or below maxPerHour' }]);
    expect(validateConditionRule({ kind: 'above' })).toEqual([{ field: 'threshold', message: 'is required' }]);
    expect(validateConditionRule({ kind: 'above', threshold: 'hot' })).toEqual([{ field: 'threshold', message: 'must be a decimal number' }]);
    expect(validateConditionRule({ kind: 'spike' })).toEqual([{ field: 'kind', message: 'must be one of above, below, outside, rate-of-change' }]);
  });

  it('evaluation refuses an invalid rule', () => {
    expect(() => evaluateCondition({ kind: 'above', threshold: 'x' }, INITIAL_CONDITION_STATE, { value: '1', readAt: '2026-05-01T10:00:00Z' })).toThrow(RangeError);
  });
});

