/**
 * Calendar dates and the fiscal calendar, without time zones: a date is an integer day number
 * (days since 1970-01-01, proleptic Gregorian, computed with Date.UTC) so nothing depends on the
 * host's clock or zone.
 *
 * A fiscal year starts on MM-DD (day 1–28, so every fiscal month has that start day too: a year
 * starting '07-01' has months July…June; one starting '04-06' has months 6 April – 5 May, …).
 */

export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

export interface FiscalYearStart {
  month: number;
  day: number;
}

const MS_PER_DAY = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH_DAY = /^(\d{2})-(\d{2})$/;

export const dayNumber = ({ year, month, day }: CalendarDate): number => Date.UTC(year, month - 1, day) / MS_PER_DAY;

export function fromDayNumber(n: number): CalendarDate {
  const d = new Date(n * MS_PER_DAY);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');
export const isoDate = (n: number): string => {
  const { year, month, day } = fromDayNumber(n);
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
};

const daysInMonth = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** A real calendar date written YYYY-MM-DD (year 1900–9999), or undefined. */
export function parseIsoDate(text: unknown): CalendarDate | undefined {
  if (typeof text !== 'string') return undefined;
  const m = ISO_DATE.exec(text);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (year < 1900 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return { year, month, day };
}

/** Day number of a YYYY-MM-DD text; throws on anything else (callers validate first). */
export function parseDay(text: string): number {
  const date = parseIsoDate(text);
  if (!date) throw new RangeError(`not a date: ${JSON.stringify(text)}`);
  return dayNumber(date);
}

/**
 * A fiscal-year start written MM-DD. The day is limited to 1–28 so every fiscal month starts on
 * the same day of the month; '02-30' (no such day) and '13-01' are rejected.
 */
export function parseFiscalYearStart(text: unknown): FiscalYearStart | undefined {
  if (typeof text !== 'string') return undefined;
  const m = MONTH_DAY.exec(text);
  if (!m) return undefined;
  const [month, day] = [Number(m[1]), Number(m[2])];
  if (month < 1 || month > 12 || day < 1 || day > 28) return undefined;
  return { month, day };
}

/**
 * The fiscal calendar seen from an asset: fiscal year 0 is the one containing the anchor date (the
 * in-service date); years and months are counted from there.
 */
export class FiscalCalendar {
  private readonly baseYear: number;

  constructor(
    readonly start: FiscalYearStart,
    anchorDay: number,
  ) {
    this.baseYear = this.startYearOf(anchorDay);
  }

  /** Calendar year in which the fiscal year containing the day begins. */
  private startYearOf(n: number): number {
    const { year } = fromDayNumber(n);
    return n >= dayNumber({ year, ...this.start }) ? year : year - 1;
  }

  /** First day of fiscal month m (0–11, or beyond: months roll into later years) of fiscal year j. */
  monthStart(j: number, m: number): number {
    const index = (this.baseYear + j) * 12 + (this.start.month - 1) + m;
    return dayNumber({ year: Math.floor(index / 12), month: (index % 12) + 1, day: this.start.day });
  }

  yearStart(j: number): number {
    return this.monthStart(j, 0);
  }

  daysInYear(j: number): number {
    return this.yearStart(j + 1) - this.yearStart(j);
  }

  /** Where a day falls: fiscal year j (relative to the anchor's), fiscal month 0–11, day of the fiscal year (0-based). */
  locate(n: number): { year: number; month: number; dayOfYear: number } {
    const startYear = this.startYearOf(n);
    const j = startYear - this.baseYear;
    const date = fromDayNumber(n);
    let month = date.year * 12 + date.month - (startYear * 12 + this.start.month);
    if (date.day < this.start.day) month -= 1;
    return { year: j, month, dayOfYear: n - this.yearStart(j) };
  }
}
