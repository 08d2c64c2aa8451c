import { describe, expect, it } from 'vitest';
import { addDays, addMonths, daysBetween, instantText, isLeapYear, parseInstant, parseIsoDate, parseMonthDay, toDay, utcDateOf, weekday } from '../../src/domain/dates.js';

describe('dates', () => {
  it('knows leap years: every 4th, not centuries, except every 400th', () => {
    expect([2024, 2026, 1900, 2000, 2100].map(isLeapYear)).toEqual([true, false, false, true, false]);
  });

  it('parses only real dates', () => {
    expect(parseIsoDate('2024-02-29')).toEqual({ year: 2024, month: 2, day: 29 });
    expect(parseIsoDate('2026-02-29')).toBeUndefined();
    expect(parseIsoDate('2026-4-1')).toBeUndefined();
    expect(parseIsoDate('2026-13-01')).toBeUndefined();
  });

  it('adds months from the anchor, clamping to the month end', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    // Two months from the anchor, not one month from Feb 28.
    expect(addMonths('2026-01-31', 2)).toBe('2026-03-31');
    expect(addMonths('2026-11-30', 3)).toBe('2027-02-28');
    expect(addMonths('2026-03-31', -1)).toBe('2026-02-28');
  });

  it('counts days', () => {
    // Jan has 31 days: Jan 1 → Feb 1 is 31 days; 2024 Feb has 29 days.
    expect(daysBetween('2026-01-01', '2026-02-01')).toBe(31);
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(toDay('1970-01-02')).toBe(1);
  });

  it('knows weekdays: 2026-01-01 is a Thursday, 2026-02-01 a Sunday', () => {
    expect(weekday(toDay('2026-01-01'))).toBe(4);
    expect(weekday(toDay('2026-02-01'))).toBe(0);
    expect(weekday(toDay('1970-01-01'))).toBe(4);
  });

  it('parses instants with a zone and refuses those without', () => {
    expect(parseInstant('2026-05-01T12:00:00+02:00')).toBe(parseInstant('2026-05-01T10:00:00Z'));
    expect(parseInstant('2026-05-01T10:00Z')).toBe(Date.UTC(2026, 4, 1, 10));
    expect(parseInstant('2026-05-01T10:00:00.5Z')).toBe(Date.UTC(2026, 4, 1, 10, 0, 0, 500));
    expect(parseInstant('2026-05-01T10:00:00')).toBeUndefined();
    expect(parseInstant('2026-02-30T10:00:00Z')).toBeUndefined();
    expect(parseInstant('2026-05-01T24:00:00Z')).toBeUndefined();
  });

  it('writes instants canonically, so one instant has one key', () => {
    expect(instantText(parseInstant('2026-05-01T12:00:00+02:00')!)).toBe('2026-05-01T10:00:00Z');
    expect(instantText(parseInstant('2026-05-01T10:00:00.250Z')!)).toBe('2026-05-01T10:00:00.250Z');
    // 23:30 at -02:00 is 01:30 UTC the next day.
    expect(utcDateOf(parseInstant('2026-05-01T23:30:00-02:00')!)).toBe('2026-05-02');
  });

  it('parses month-days for seasonal windows, 02-29 included', () => {
    expect(parseMonthDay('02-29')).toEqual({ month: 2, day: 29 });
    expect(parseMonthDay('02-30')).toBeUndefined();
    expect(parseMonthDay('04-31')).toBeUndefined();
  });
});
