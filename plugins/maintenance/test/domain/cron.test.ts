import { describe, expect, it } from 'vitest';
import { cronMatchesDay, nextCronDay, parseCron, type CronSchedule } from '../../src/domain/cron.js';
import { isoDate, toDay } from '../../src/domain/dates.js';

/**
 * The 2026 calendar used below (worked from 2026-01-01, a Thursday):
 *   Jan: Thu 1, Fri 2, Mon 5, Tue 6, Fri 9, Tue 13, Fri 16 … Fridays 2, 9, 16, 23, 30; Sundays 4, 11, 18, 25
 *   Feb 1 = Jan 1 + 31 days = Sunday; Feb 13 is a Friday
 *   Mar 1 = Feb 1 + 28 = Sunday; Apr 1 = Mar 1 + 31 = Wednesday
 */
function schedule(expression: string): CronSchedule {
  const r = parseCron(expression);
  if (!r.ok) throw new Error(`${expression}: ${r.field}: ${r.message}`);
  return r.schedule;
}

/** Every date from `from` to `to` on which the expression fires. */
function firings(expression: string, from: string, to: string): string[] {
  const s = schedule(expression);
  const out: string[] = [];
  for (let d = toDay(from); d <= toDay(to); d++) if (cronMatchesDay(s, d)) out.push(isoDate(d));
  return out;
}

describe('cron: fields', () => {
  it('lists days of the month', () => {
    expect(firings('0 6 1,15 * *', '2026-01-01', '2026-03-01')).toEqual(['2026-01-01', '2026-01-15', '2026-02-01', '2026-02-15', '2026-03-01']);
  });

  it('takes day-of-week ranges by name: MON-FRI in the week of Thu 1 Jan 2026', () => {
    // Thu 1, Fri 2, (Sat 3, Sun 4), Mon 5, Tue 6, Wed 7.
    expect(firings('0 0 * * MON-FRI', '2026-01-01', '2026-01-07')).toEqual(['2026-01-01', '2026-01-02', '2026-01-05', '2026-01-06', '2026-01-07']);
  });

  it('steps: */10 is 1, 11, 21, 31; 1-10/3 is 1, 4, 7, 10; 20/5 is 20, 25, 30', () => {
    expect(firings('0 0 */10 * *', '2026-01-01', '2026-02-28')).toEqual(['2026-01-01', '2026-01-11', '2026-01-21', '2026-01-31', '2026-02-01', '2026-02-11', '2026-02-21']);
    expect(firings('0 0 1-10/3 * *', '2026-01-01', '2026-01-31')).toEqual(['2026-01-01', '2026-01-04', '2026-01-07', '2026-01-10']);
    expect(firings('0 0 20/5 * *', '2026-01-01', '2026-01-31')).toEqual(['2026-01-20', '2026-01-25', '2026-01-30']);
  });

  it('quarterly by month names and step: 1 JAN-DEC/3 is Jan, Apr, Jul, Oct 1', () => {
    expect(firings('0 0 1 JAN-DEC/3 *', '2026-01-01', '2026-12-31')).toEqual(['2026-01-01', '2026-04-01', '2026-07-01', '2026-10-01']);
    expect(firings('0 0 1 jan,jul *', '2026-01-01', '2026-12-31')).toEqual(['2026-01-01', '2026-07-01']);
  });

  it('L is the last day of each month, Feb 29 in leap years', () => {
    expect(firings('0 0 L * *', '2026-01-01', '2026-04-30')).toEqual(['2026-01-31', '2026-02-28', '2026-03-31', '2026-04-30']);
    expect(firings('0 0 L FEB *', '2027-01-01', '2029-12-31')).toEqual(['2027-02-28', '2028-02-29', '2029-02-28']);
    expect(firings('0 0 1,L 2 *', '2028-02-01', '2028-02-29')).toEqual(['2028-02-01', '2028-02-29']);
  });

  it('0 and 7 are both Sunday', () => {
    expect(firings('0 0 * * 7', '2026-01-01', '2026-01-31')).toEqual(['2026-01-04', '2026-01-11', '2026-01-18', '2026-01-25']);
    expect(firings('0 0 * * 0', '2026-01-01', '2026-01-31')).toEqual(['2026-01-04', '2026-01-11', '2026-01-18', '2026-01-25']);
    // 5-7: Fri, Sat, Sun.
    expect(firings('0 0 * * 5-7', '2026-01-01', '2026-01-07')).toEqual(['2026-01-02', '2026-01-03', '2026-01-04']);
  });

  it('macros', () => {
    expect(firings('@monthly', '2026-01-01', '2026-03-31')).toEqual(['2026-01-01', '2026-02-01', '2026-03-01']);
    expect(firings('@weekly', '2026-01-01', '2026-01-14')).toEqual(['2026-01-04', '2026-01-11']);
    expect(firings('@yearly', '2026-01-01', '2027-12-31')).toEqual(['2026-01-01', '2027-01-01']);
  });
});

describe('cron: day-of-month with day-of-week', () => {
  it('both restricted: either matches (Friday OR the 13th)', () => {
    // January 2026: Fridays 2, 9, 16, 23, 30, and Tuesday 13.
    expect(firings('0 0 13 * FRI', '2026-01-01', '2026-01-31')).toEqual(['2026-01-02', '2026-01-09', '2026-01-13', '2026-01-16', '2026-01-23', '2026-01-30']);
  });

  it('one of them *: the other alone decides', () => {
    expect(firings('0 0 * * FRI', '2026-01-01', '2026-01-31')).toEqual(['2026-01-02', '2026-01-09', '2026-01-16', '2026-01-23', '2026-01-30']);
    expect(firings('0 0 13 * *', '2026-01-01', '2026-01-31')).toEqual(['2026-01-13']);
    expect(firings('0 0 13 * ?', '2026-01-01', '2026-01-31')).toEqual(['2026-01-13']);
  });

  it('*/2 is a restriction (POSIX), so */2 with TUE is odd days OR Tuesdays', () => {
    // Jan 1–10: odd days 1, 3, 5, 7, 9 and Tuesday 6.
    expect(firings('0 0 */2 * TUE', '2026-01-01', '2026-01-10')).toEqual(['2026-01-01', '2026-01-03', '2026-01-05', '2026-01-06', '2026-01-07', '2026-01-09']);
  });
});

describe('cron: next firing', () => {
  it('finds Feb 29 in the next leap year, even across 2100 (8 years)', () => {
    const s = schedule('0 0 29 2 *');
    expect(isoDate(nextCronDay(s, toDay('2026-03-01'))!)).toBe('2028-02-29');
    // 2100 is not a leap year: after 2096-02-29 comes 2104-02-29.
    expect(isoDate(nextCronDay(s, toDay('2096-03-01'))!)).toBe('2104-02-29');
  });

  it('gives up after the horizon', () => {
    expect(nextCronDay(schedule('0 0 29 2 *'), toDay('2026-03-01'), 30)).toBeNull();
  });
});

describe('cron: errors name the field and say why', () => {
  const error = (e: string) => {
    const r = parseCron(e);
    return r.ok ? null : { field: r.field, message: r.message };
  };
  it.each([
    ['0 0 32 * *', 'day-of-month', '32 is out of range 1–31'],
    ['0 0 0 * *', 'day-of-month', '0 is out of range 1–31'],
    ['0 0 * 13 *', 'month', '13 is out of range 1–12'],
    ['0 0 * FOO *', 'month', "'FOO' is not a month (number 1–12 or JAN–DEC)"],
    ['0 0 * * 8', 'day-of-week', '8 is out of range 0–7'],
    ['0 0 * * FRI-MON', 'day-of-week', "range 'FRI-MON' runs backwards (5 > 1)"],
    ['0 0 5-1 * *', 'day-of-month', "range '5-1' runs backwards (5 > 1)"],
    ['0 0 */0 * *', 'day-of-month', "step '0' must be a whole number of at least 1"],
    ['0 0 1,,2 * *', 'day-of-month', "empty element in list '1,,2'"],
    ['0 0 * * L', 'day-of-week', "'L' is only allowed in day-of-month"],
    ['*/15 0 * * *', 'minute', 'only * or a single number 0–59 is allowed: due dates are computed per day'],
    ['0 24 * * *', 'hour', '24 is out of range 0–23'],
    ['0 0 * *', 'expression', 'expected 5 fields (minute hour day-of-month month day-of-week), got 4'],
    ['@hourly', 'expression', "unknown macro '@hourly' (use @yearly, @annually, @monthly, @weekly, @daily or @midnight)"],
    ['0 0 30 FEB *', 'day-of-month', 'never fires: day 30 does not occur in FEB'],
    ['0 0 31 APR,JUN *', 'day-of-month', 'never fires: day 31 does not occur in APR,JUN'],
  ])('%s → %s: %s', (expression, field, message) => {
    expect(error(expression)).toEqual({ field, message });
  });

  it('does not throw on non-strings', () => {
    expect(parseCron(42)).toEqual({ ok: false, field: 'expression', message: 'must be a string' });
  });

  it('accepts day 31 when a selected month has it, and 30 FEB when the day of the week can match', () => {
    expect(parseCron('0 0 31 FEB,MAR *').ok).toBe(true);
    expect(parseCron('0 0 30 FEB MON').ok).toBe(true);
  });
});
