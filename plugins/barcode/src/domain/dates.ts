/**
 * GS1 dates: two-digit years resolved with the sliding century window of GS1 General
 * Specifications §7.12, and day "00" meaning the last day of the month. The current date is always
 * a parameter: this module never reads the clock.
 */
import { Gs1Error } from './errors.js';

export interface CalendarDay {
  year: number;
  month: number;
  day: number;
}

/** Parses the caller's `today` ("YYYY-MM-DD"); throws `invalid-option` otherwise. */
export function parseToday(today: unknown): CalendarDay {
  const m = typeof today === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(today) : null;
  if (!m) {
    throw new Gs1Error('invalid-option', `The current date must be given as "YYYY-MM-DD" (option "today"), got ${JSON.stringify(today)}`);
  }
  const day = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  if (day.month < 1 || day.month > 12 || day.day < 1 || day.day > daysInMonth(day.year, day.month)) {
    throw new Gs1Error('invalid-option', `The current date "${today}" is not a calendar date`);
  }
  return day;
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  return [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
}

/**
 * The full year of a two-digit year `yy`, seen from `currentYear` (GS1 General Specifications
 * §7.12): with d = yy − (currentYear mod 100), 51 ≤ d ≤ 99 puts it in the previous century,
 * −99 ≤ d ≤ −50 in the next one, anything else in the current century. So a date up to 49 years
 * ahead or 50 years back is read as such.
 */
export function resolveCentury(yy: number, currentYear: number): number {
  const century = Math.floor(currentYear / 100) * 100;
  const difference = yy - (currentYear % 100);
  if (difference >= 51) return century - 100 + yy;
  if (difference <= -50) return century + 100 + yy;
  return century + yy;
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

export function isoDate(day: CalendarDay): string {
  return `${String(day.year).padStart(4, '0')}-${pad2(day.month)}-${pad2(day.day)}`;
}

/**
 * Resolves YYMMDD against `currentYear`. `dayZeroAllowed` for the AIs whose day may be "00"
 * (11, 12, 13, 15, 16, 17, 4324, 4325), which then stands for the last day of the month.
 * Returns null when the digits are not a calendar date.
 */
export function resolveYymmdd(digits: string, currentYear: number, dayZeroAllowed: boolean): CalendarDay | null {
  const yy = Number(digits.slice(0, 2));
  const month = Number(digits.slice(2, 4));
  const dd = Number(digits.slice(4, 6));
  const year = resolveCentury(yy, currentYear);
  if (month < 1 || month > 12) return null;
  const last = daysInMonth(year, month);
  if (dd === 0) return dayZeroAllowed ? { year, month, day: last } : null;
  if (dd > last) return null;
  return { year, month, day: dd };
}

/** Resolves YYYYMMDD; null when not a calendar date. */
export function resolveYyyymmdd(digits: string): CalendarDay | null {
  const year = Number(digits.slice(0, 4));
  const month = Number(digits.slice(4, 6));
  const day = Number(digits.slice(6, 8));
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return { year, month, day };
}
