import { describe, expect, it } from 'vitest';
import {
  addInterval,
  calendarDueDates,
  dueWorkToGenerate,
  nextCalendarDue,
  validateCalendarRule,
  validateCalendarState,
  type CalendarRule,
  type CalendarState,
} from '../../src/domain/calendar.js';

const every = (n: number, unit: 'day' | 'week' | 'month' | 'year', extra: Partial<CalendarRule> = {}): CalendarRule => ({
  recurrence: { type: 'interval', every: n, unit },
  mode: 'fixed',
  ...extra,
});
const cron = (expression: string, extra: Partial<CalendarRule> = {}): CalendarRule => ({ recurrence: { type: 'cron', expression }, mode: 'fixed', ...extra });
const dates = (rule: CalendarRule, state: CalendarState, from: string, to: string, limit = 50) => calendarDueDates(rule, state, from, to, limit).map((o) => o.dueOn);

describe('interval rules', () => {
  it('monthly from Jan 31 clamps to month ends, stepping from the anchor (Mar 31, not Mar 28)', () => {
    // Jan 31 + 1 = Feb 28 (2026 is common), + 2 = Mar 31, + 3 = Apr 30, + 4 = May 31, + 5 = Jun 30.
    expect(dates(every(1, 'month'), { startOn: '2026-01-31' }, '2026-01-01', '2026-06-30')).toEqual([
      '2026-01-31',
      '2026-02-28',
      '2026-03-31',
      '2026-04-30',
      '2026-05-31',
      '2026-06-30',
    ]);
  });

  it('monthly from Jan 31 in a leap year gives Feb 29', () => {
    expect(dates(every(1, 'month'), { startOn: '2024-01-31' }, '2024-01-01', '2024-03-31')).toEqual(['2024-01-31', '2024-02-29', '2024-03-31']);
  });

  it('yearly from Feb 29: Feb 28 in common years, Feb 29 again four years on', () => {
    expect(dates(every(1, 'year'), { startOn: '2024-02-29' }, '2024-01-01', '2028-12-31')).toEqual(['2024-02-29', '2025-02-28', '2026-02-28', '2027-02-28', '2028-02-29']);
    expect(addInterval('2024-02-29', { every: 4, unit: 'year' })).toBe('2028-02-29');
  });

  it('every 10 days crosses the end of February by counting days', () => {
    // Feb 20 + 10: Feb 28 is +8, so Mar 2; then Mar 12.
    expect(dates(every(10, 'day'), { startOn: '2026-02-20' }, '2026-02-01', '2026-03-15')).toEqual(['2026-02-20', '2026-03-02', '2026-03-12']);
  });

  it('every 2 weeks: a pay-period style anchor on Friday 9 Jan 2026', () => {
    // +14 days each: Jan 9, Jan 23, Feb 6 (Jan 23 + 8 = Jan 31, + 6), Feb 20, Mar 6.
    expect(dates(every(2, 'week'), { startOn: '2026-01-09' }, '2026-01-01', '2026-03-10')).toEqual(['2026-01-09', '2026-01-23', '2026-02-06', '2026-02-20', '2026-03-06']);
  });

  it('quarterly from the fiscal year start 2026-07-01', () => {
    expect(dates(every(3, 'month'), { startOn: '2026-07-01' }, '2026-01-01', '2027-07-31')).toEqual(['2026-07-01', '2026-10-01', '2027-01-01', '2027-04-01', '2027-07-01']);
  });

  it('quarterly from a fiscal year starting Apr 6 (UK tax year)', () => {
    expect(dates(every(3, 'month'), { startOn: '2026-04-06' }, '2026-01-01', '2027-04-30')).toEqual(['2026-04-06', '2026-07-06', '2026-10-06', '2027-01-06', '2027-04-06']);
  });

  it('jumps straight to a far-away range (a daily plan started decades ago)', () => {
    expect(dates(every(1, 'day'), { startOn: '1990-01-01' }, '2026-03-01', '2026-03-03')).toEqual(['2026-03-01', '2026-03-02', '2026-03-03']);
    expect(dates(every(1, 'month'), { startOn: '1990-01-31' }, '2026-02-01', '2026-03-31')).toEqual(['2026-02-28', '2026-03-31']);
  });

  it('the preview stops at the limit and at the end of the range', () => {
    expect(dates(every(1, 'month'), { startOn: '2026-01-15' }, '2026-01-01', '2030-01-01', 3)).toEqual(['2026-01-15', '2026-02-15', '2026-03-15']);
    expect(calendarDueDates(every(1, 'month'), { startOn: '2026-01-15' }, '2026-01-16', '2026-02-14', 10)).toEqual([]);
  });
});

describe('cron rules', () => {
  it('fire on their dates from the start date on', () => {
    // Last day of each month, from Feb 10.
    expect(dates(cron('0 0 L * *'), { startOn: '2026-02-10' }, '2026-01-01', '2026-04-30')).toEqual(['2026-02-28', '2026-03-31', '2026-04-30']);
  });

  it('a month and a weekday restrict together (only day-of-month with day-of-week is OR): Mondays in January', () => {
    // January 2026 Mondays: 5, 12, 19, 26 (Jan 1 is a Thursday).
    expect(dates(cron('0 7 * JAN MON'), { startOn: '2026-01-01' }, '2026-01-01', '2026-12-31')).toEqual(['2026-01-05', '2026-01-12', '2026-01-19', '2026-01-26']);
  });
});

describe('fixed and floating schedules', () => {
  const monthly = every(1, 'month');

  it('fixed: a late completion does not move the next due date', () => {
    // Due Feb 15, done late on Feb 20: the next is still Mar 15.
    const state = { startOn: '2026-01-15', lastCompletedOn: '2026-02-20' };
    expect(nextCalendarDue(monthly, state, '2026-02-20')?.dueOn).toBe('2026-03-15');
  });

  it('floating: the next due date is the last completion + interval', () => {
    const rule = { ...monthly, mode: 'floating' as const };
    const state = { startOn: '2026-01-15', lastCompletedOn: '2026-02-20' };
    expect(nextCalendarDue(rule, state, '2026-02-20')?.dueOn).toBe('2026-03-20');
    // The preview assumes each job is done on its due date: Mar 20, Apr 20, May 20.
    expect(dates(rule, state, '2026-01-01', '2026-05-31')).toEqual(['2026-03-20', '2026-04-20', '2026-05-20']);
  });

  it('floating: before the first completion the start date is due', () => {
    const rule = { ...monthly, mode: 'floating' as const };
    expect(nextCalendarDue(rule, { startOn: '2026-01-15' }, '2026-01-01')?.dueOn).toBe('2026-01-15');
    // A completion before the start date is history from before the plan started: ignored.
    expect(nextCalendarDue(rule, { startOn: '2026-01-15', lastCompletedOn: '2025-06-01' }, '2026-01-01')?.dueOn).toBe('2026-01-15');
  });

  it('floating from a month-end completion keeps stepping from it: Jan 31 → Feb 28 → Mar 31', () => {
    const rule = { ...monthly, mode: 'floating' as const };
    expect(dates(rule, { startOn: '2026-01-01', lastCompletedOn: '2026-01-31' }, '2026-01-01', '2026-03-31')).toEqual(['2026-02-28', '2026-03-31']);
  });

  it('nextCalendarDue is strictly after the given day', () => {
    const state = { startOn: '2026-01-15' };
    expect(nextCalendarDue(monthly, state, '2026-01-14')?.dueOn).toBe('2026-01-15');
    expect(nextCalendarDue(monthly, state, '2026-01-15')?.dueOn).toBe('2026-02-15');
  });

  it('lead time: generated leadDays before the due date', () => {
    // Mar 15 − 7 days = Mar 8; Mar 1 − 10 days = Feb 19 (Feb has 28 days).
    expect(nextCalendarDue({ ...monthly, leadDays: 7 }, { startOn: '2026-01-15' }, '2026-02-15')).toEqual({ dueOn: '2026-03-15', generateOn: '2026-03-08' });
    expect(nextCalendarDue({ ...monthly, leadDays: 10 }, { startOn: '2026-03-01' }, '2026-02-01')).toEqual({ dueOn: '2026-03-01', generateOn: '2026-02-19' });
  });
});

describe('seasonal windows', () => {
  // Mondays from 2026-03-02: Mar 2, 9, 16, 23, 30, Apr 6, 13, 20.
  const weekly = every(1, 'week', { windows: [{ from: '04-01', to: '10-31' }] });
  const state = { startOn: '2026-03-02' };

  it('skip: due dates outside every window are dropped', () => {
    expect(dates(weekly, state, '2026-03-01', '2026-04-20')).toEqual(['2026-04-06', '2026-04-13', '2026-04-20']);
  });

  it('next-window-start: they move to the window start, and all moved to the same start become one', () => {
    const rule = { ...weekly, outsideWindow: 'next-window-start' as const };
    expect(calendarDueDates(rule, state, '2026-03-01', '2026-04-20', 10)).toEqual([
      { dueOn: '2026-04-01', generateOn: '2026-04-01', shiftedFrom: '2026-03-02' },
      { dueOn: '2026-04-06', generateOn: '2026-04-06' },
      { dueOn: '2026-04-13', generateOn: '2026-04-13' },
      { dueOn: '2026-04-20', generateOn: '2026-04-20' },
    ]);
  });

  it('a window over the new year (11-15 to 03-15), monthly on the 1st', () => {
    const rule = every(1, 'month', { windows: [{ from: '11-15', to: '03-15' }] });
    // In: Jan 1, Feb 1, Mar 1, Dec 1, Jan 1. Out: Apr 1 … Nov 1 (Nov 1 is before Nov 15).
    expect(dates(rule, { startOn: '2026-01-01' }, '2026-01-01', '2027-01-31')).toEqual(['2026-01-01', '2026-02-01', '2026-03-01', '2026-12-01', '2027-01-01']);
    // Moved instead: Apr 1 … Nov 1 all go to Nov 15.
    expect(dates({ ...rule, outsideWindow: 'next-window-start' }, { startOn: '2026-01-01' }, '2026-01-01', '2027-01-31')).toEqual([
      '2026-01-01',
      '2026-02-01',
      '2026-03-01',
      '2026-11-15',
      '2026-12-01',
      '2027-01-01',
    ]);
  });

  it('several windows: spring and autumn, monthly on the 15th', () => {
    const rule = every(1, 'month', { windows: [{ from: '03-01', to: '04-30' }, { from: '09-01', to: '10-31' }] });
    expect(dates(rule, { startOn: '2026-01-15' }, '2026-01-01', '2026-12-31')).toEqual(['2026-03-15', '2026-04-15', '2026-09-15', '2026-10-15']);
  });

  it('a window starting 02-29 starts on Mar 1 in common years', () => {
    const rule = every(1, 'day', { windows: [{ from: '02-29', to: '06-30' }] });
    expect(dates(rule, { startOn: '2027-02-25' }, '2027-02-25', '2027-03-02')).toEqual(['2027-03-01', '2027-03-02']);
    expect(dates(rule, { startOn: '2028-02-27' }, '2028-02-27', '2028-03-01')).toEqual(['2028-02-29', '2028-03-01']);
    // Moved to the window start: Jan 15 → Mar 1 (2026, 2027), Feb 29 (2028).
    const yearly = every(1, 'year', { windows: [{ from: '02-29', to: '06-30' }], outsideWindow: 'next-window-start' });
    expect(dates(yearly, { startOn: '2026-01-15' }, '2026-01-01', '2028-12-31')).toEqual(['2026-03-01', '2027-03-01', '2028-02-29']);
  });

  it('a window ending 02-29 ends with February', () => {
    const rule = every(1, 'day', { windows: [{ from: '12-01', to: '02-29' }] });
    expect(dates(rule, { startOn: '2027-02-27' }, '2027-02-27', '2027-03-02')).toEqual(['2027-02-27', '2027-02-28']);
    expect(dates(rule, { startOn: '2028-02-27' }, '2028-02-27', '2028-03-02')).toEqual(['2028-02-27', '2028-02-28', '2028-02-29']);
  });

  it('the lead time counts back from the moved date', () => {
    const rule = { ...weekly, outsideWindow: 'next-window-start' as const, leadDays: 5 };
    expect(nextCalendarDue(rule, state, '2026-03-01')).toEqual({ dueOn: '2026-04-01', generateOn: '2026-03-27', shiftedFrom: '2026-03-02' });
  });

  it('a rule whose dates all fall outside its windows never falls due', () => {
    const rule = every(1, 'year', { windows: [{ from: '06-01', to: '08-31' }] });
    expect(nextCalendarDue(rule, { startOn: '2026-01-15' }, '2026-01-01')).toBeNull();
  });
});

describe('work to generate', () => {
  it('generates a due date once its lead time has begun, and only once', () => {
    const rule = every(1, 'month', { leadDays: 7 });
    const state = { startOn: '2026-01-15', lastGeneratedDueOn: '2026-01-15' };
    // Feb 15 − 7 = Feb 8.
    expect(dueWorkToGenerate(rule, state, '2026-02-07').generate).toEqual([]);
    expect(dueWorkToGenerate(rule, state, '2026-02-08')).toEqual({
      generate: [{ dueOn: '2026-02-15', generateOn: '2026-02-08', overdue: false }],
      skipped: { count: 0, first: null, last: null },
    });
    expect(dueWorkToGenerate(rule, { ...state, lastGeneratedDueOn: '2026-02-15' }, '2026-02-08').generate).toEqual([]);
  });

  it('the first run generates the start date when its lead time has begun', () => {
    // Mar 1 − 10 = Feb 19.
    const rule = every(1, 'month', { leadDays: 10 });
    expect(dueWorkToGenerate(rule, { startOn: '2026-03-01' }, '2026-02-18').generate).toEqual([]);
    expect(dueWorkToGenerate(rule, { startOn: '2026-03-01' }, '2026-02-20').generate).toEqual([{ dueOn: '2026-03-01', generateOn: '2026-02-19', overdue: false }]);
  });

  it('a due date of today is not overdue', () => {
    expect(dueWorkToGenerate(every(1, 'week'), { startOn: '2026-01-05' }, '2026-01-05').generate).toEqual([{ dueOn: '2026-01-05', generateOn: '2026-01-05', overdue: false }]);
  });

  describe('a weekly plan paused for a year', () => {
    // Mondays from 2025-01-06; last generated 2025-03-03; today Wednesday 2026-03-04.
    // Missed: 2025-03-10 + 7k up to 2026-03-02: 2025-03-10 + 364 days = 2026-03-09, so k = 0…51, 52 dates.
    const state = { startOn: '2025-01-06', lastGeneratedDueOn: '2025-03-03' };

    it('generates the latest missed one only (next due Mar 9 − lead 3 = Mar 6 is not yet)', () => {
      expect(dueWorkToGenerate(every(1, 'week', { leadDays: 3 }), state, '2026-03-04')).toEqual({
        generate: [{ dueOn: '2026-03-02', generateOn: '2026-02-27', overdue: true }],
        skipped: { count: 51, first: '2025-03-10', last: '2026-02-23' },
      });
    });

    it('plus the upcoming one when it is in its lead time (Mar 9 − 5 = Mar 4)', () => {
      expect(dueWorkToGenerate(every(1, 'week', { leadDays: 5 }), state, '2026-03-04').generate).toEqual([
        { dueOn: '2026-03-02', generateOn: '2026-02-25', overdue: true },
        { dueOn: '2026-03-09', generateOn: '2026-03-04', overdue: false },
      ]);
    });

    it('catchUpLimit 0 generates no missed one; 3 generates the latest three', () => {
      const none = dueWorkToGenerate(every(1, 'week', { leadDays: 5, catchUpLimit: 0 }), state, '2026-03-04');
      expect(none.generate.map((o) => o.dueOn)).toEqual(['2026-03-09']);
      expect(none.skipped).toEqual({ count: 52, first: '2025-03-10', last: '2026-03-02' });
      const three = dueWorkToGenerate(every(1, 'week', { leadDays: 5, catchUpLimit: 3 }), state, '2026-03-04');
      expect(three.generate.map((o) => o.dueOn)).toEqual(['2026-02-16', '2026-02-23', '2026-03-02', '2026-03-09']);
      expect(three.skipped).toEqual({ count: 49, first: '2025-03-10', last: '2026-02-09' });
    });
  });

  it('an off-season: all the winter Mondays merge into the spring window start', () => {
    // Last generated Monday 2025-10-27; Nov 3 2025 … Mar 30 2026 all move to Apr 1 2026, generated Mar 25 (lead 7).
    const rule = every(1, 'week', { leadDays: 7, windows: [{ from: '04-01', to: '10-31' }], outsideWindow: 'next-window-start' });
    expect(dueWorkToGenerate(rule, { startOn: '2025-01-06', lastGeneratedDueOn: '2025-10-27' }, '2026-03-25')).toEqual({
      generate: [{ dueOn: '2026-04-01', generateOn: '2026-03-25', shiftedFrom: '2025-11-03', overdue: false }],
      skipped: { count: 0, first: null, last: null },
    });
  });

  it('fixed: completions do not matter', () => {
    const rule = every(1, 'month');
    const a = dueWorkToGenerate(rule, { startOn: '2026-01-15', lastGeneratedDueOn: '2026-01-15' }, '2026-02-15');
    const b = dueWorkToGenerate(rule, { startOn: '2026-01-15', lastGeneratedDueOn: '2026-01-15', lastCompletedOn: '2026-02-10' }, '2026-02-15');
    expect(a).toEqual(b);
    expect(a.generate.map((o) => o.dueOn)).toEqual(['2026-02-15']);
  });

  describe('floating: one outstanding due date at a time', () => {
    const rule: CalendarRule = { recurrence: { type: 'interval', every: 30, unit: 'day' }, mode: 'floating', leadDays: 7 };

    it('the start date first', () => {
      // Jan 1 − 7 = Dec 25.
      expect(dueWorkToGenerate(rule, { startOn: '2026-01-01' }, '2026-01-01').generate).toEqual([{ dueOn: '2026-01-01', generateOn: '2025-12-25', overdue: false }]);
    });

    it('then nothing until it is completed, however late', () => {
      expect(dueWorkToGenerate(rule, { startOn: '2026-01-01', lastGeneratedDueOn: '2026-01-01' }, '2026-03-01').generate).toEqual([]);
    });

    it('then completion + 30 days: done Jan 10 → due Feb 9, generated Feb 2', () => {
      // Jan 10 + 21 = Jan 31, + 9 = Feb 9; Feb 9 − 7 = Feb 2.
      const state = { startOn: '2026-01-01', lastGeneratedDueOn: '2026-01-01', lastCompletedOn: '2026-01-10' };
      expect(dueWorkToGenerate(rule, state, '2026-02-01').generate).toEqual([]);
      expect(dueWorkToGenerate(rule, state, '2026-02-02').generate).toEqual([{ dueOn: '2026-02-09', generateOn: '2026-02-02', overdue: false }]);
    });

    it('an order overdue at generation is flagged', () => {
      // Done Jun 1 → due Jul 1 (Jun 1 + 30); the run only happens on Jul 3.
      const state = { startOn: '2026-01-01', lastGeneratedDueOn: '2026-01-01', lastCompletedOn: '2026-06-01' };
      expect(dueWorkToGenerate(rule, state, '2026-07-03').generate).toEqual([{ dueOn: '2026-07-01', generateOn: '2026-06-24', overdue: true }]);
    });
  });
});

describe('validation', () => {
  it('accepts good rules', () => {
    expect(validateCalendarRule(every(3, 'month', { leadDays: 14, windows: [{ from: '11-15', to: '03-15' }], outsideWindow: 'next-window-start', catchUpLimit: 2 }))).toEqual([]);
    expect(validateCalendarRule(cron('0 6 L * *'))).toEqual([]);
  });

  it('reports every problem with its field', () => {
    expect(validateCalendarRule('monthly')).toEqual([{ field: '', message: 'must be an object' }]);
    expect(
      validateCalendarRule({
        mode: 'sometimes',
        recurrence: { type: 'interval', every: 0, unit: 'month' },
        leadDays: 1.5,
        windows: [{ from: '02-30', to: '13-01' }, 'summer'],
        outsideWindow: 'later',
        catchUpLimit: -1,
      }),
    ).toEqual([
      { field: 'mode', message: 'must be one of fixed, floating' },
      { field: 'recurrence.every', message: 'must be a whole number from 1 to 120' },
      { field: 'leadDays', message: 'must be a whole number of days from 0 to 3660' },
      { field: 'windows[0].from', message: 'must be a day of the year MM-DD (02-29 allowed)' },
      { field: 'windows[0].to', message: 'must be a day of the year MM-DD (02-29 allowed)' },
      { field: 'windows[1]', message: 'must be { from: "MM-DD", to: "MM-DD" }' },
      { field: 'outsideWindow', message: 'must be one of skip, next-window-start' },
      { field: 'catchUpLimit', message: 'must be a whole number from 0 to 1000' },
    ]);
  });

  it('passes the cron error through with its field', () => {
    expect(validateCalendarRule(cron('0 0 32 * *'))).toEqual([{ field: 'recurrence.expression', message: 'day-of-month: 32 is out of range 1–31' }]);
  });

  it('refuses floating cron rules and floating lead times as long as the interval', () => {
    expect(validateCalendarRule({ ...cron('0 0 1 * *'), mode: 'floating' })).toEqual([
      { field: 'mode', message: 'a cron rule fires on calendar dates; a floating schedule needs an interval (every N days, weeks, months or years)' },
    ]);
    expect(validateCalendarRule({ ...every(2, 'week', { leadDays: 14 }), mode: 'floating' })).toEqual([
      { field: 'leadDays', message: 'must be shorter than the interval (14 days at the shortest) in a floating schedule: the next due date is only known once the work is done' },
    ]);
    expect(validateCalendarRule({ ...every(2, 'week', { leadDays: 13 }), mode: 'floating' })).toEqual([]);
    // Fixed schedules may generate several orders ahead.
    expect(validateCalendarRule(every(1, 'week', { leadDays: 30 }))).toEqual([]);
  });

  it('the functions refuse invalid rules', () => {
    expect(() => nextCalendarDue(every(0, 'day'), { startOn: '2026-01-01' }, '2026-01-01')).toThrow(RangeError);
  });

  it('checks the state', () => {
    expect(validateCalendarState({ startOn: '2026-02-30', lastCompletedOn: null, lastGeneratedDueOn: 'yesterday' })).toEqual([
      { field: 'startOn', message: 'must be a date YYYY-MM-DD' },
      { field: 'lastGeneratedDueOn', message: 'must be a date YYYY-MM-DD' },
    ]);
  });
});
