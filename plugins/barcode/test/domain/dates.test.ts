import { describe, it, expect } from 'vitest';
import { resolveCentury, resolveYymmdd, parseToday, isLeapYear, daysInMonth, Gs1Error } from '../../src/domain/index.js';

/*
 * GS1 General Specifications §7.12 "Determination of century in dates": d = YY − (current year
 * mod 100); 51…99 → previous century, −99…−50 → next century, otherwise the current one.
 */
describe('resolveCentury (GS1 General Specifications §7.12)', () => {
  it('a year a little ahead or behind stays in the current century', () => {
    // 2026: YY 26 → d = 0 → 2026; YY 20 → d = −6 → 2020; YY 30 → d = 4 → 2030
    expect(resolveCentury(26, 2026)).toBe(2026);
    expect(resolveCentury(20, 2026)).toBe(2020);
    expect(resolveCentury(30, 2026)).toBe(2030);
  });

  it('d = 50 stays in the current century, d = 51 goes to the previous one', () => {
    // 2026: YY 76 → d = 50 → 2076; YY 77 → d = 51 → 1977; YY 99 → d = 73 → 1999
    expect(resolveCentury(76, 2026)).toBe(2076);
    expect(resolveCentury(77, 2026)).toBe(1977);
    expect(resolveCentury(99, 2026)).toBe(1999);
  });

  it('d = −50 goes to the next century, d = −49 stays', () => {
    // 2090: YY 40 → d = −50 → 2140; YY 41 → d = −49 → 2041; YY 05 → d = −85 → 2105
    expect(resolveCentury(40, 2090)).toBe(2140);
    expect(resolveCentury(41, 2090)).toBe(2041);
    expect(resolveCentury(5, 2090)).toBe(2105);
  });
});

describe('resolveYymmdd', () => {
  it('day 00 is the last day of the month where allowed', () => {
    // 2024 is a leap year (divisible by 4, not by 100); 2025 is not; April has 30 days
    expect(resolveYymmdd('240200', 2026, true)).toEqual({ year: 2024, month: 2, day: 29 });
    expect(resolveYymmdd('250200', 2026, true)).toEqual({ year: 2025, month: 2, day: 28 });
    expect(resolveYymmdd('260400', 2026, true)).toEqual({ year: 2026, month: 4, day: 30 });
  });

  it('day 00 is refused where the AI wants a real day', () => {
    expect(resolveYymmdd('260400', 2026, false)).toBeNull();
  });

  it('month 13 and 30 February are not dates', () => {
    expect(resolveYymmdd('261301', 2026, true)).toBeNull();
    expect(resolveYymmdd('260230', 2026, true)).toBeNull();
  });

  it('29 February 00 depends on the century: 2000 is a leap year, 2100 is not', () => {
    // seen from 2026: 00 → d = −26 → 2000 (divisible by 400: leap); seen from 2090: d = −90 → 2100 (not leap)
    expect(resolveYymmdd('000229', 2026, false)).toEqual({ year: 2000, month: 2, day: 29 });
    expect(resolveYymmdd('000229', 2090, false)).toBeNull();
  });
});

describe('calendar helpers', () => {
  it('leap years follow the Gregorian rule', () => {
    expect([isLeapYear(1900), isLeapYear(2000), isLeapYear(2024), isLeapYear(2100)]).toEqual([false, true, true, false]);
    expect(daysInMonth(2023, 2)).toBe(28);
  });

  it('parseToday takes YYYY-MM-DD and refuses anything else', () => {
    expect(parseToday('2026-01-15')).toEqual({ year: 2026, month: 1, day: 15 });
    for (const bad of ['2026-1-15', '15.01.2026', '2026-02-30', undefined, 20260115]) {
      expect(() => parseToday(bad)).toThrow(Gs1Error);
    }
  });
});
