/**
 * Calendar dates and instants without time zones or a clock.
 *
 * A calendar date is written `YYYY-MM-DD` and handled as an integer day number (days since
 * 1970-01-01, proleptic Gregorian, computed with Date.UTC), so nothing depends on the host's zone
 * and date arithmetic is integer arithmetic. An instant is an ISO 8601 timestamp with `Z` or an
 * offset, handled as integer milliseconds since the epoch. Nothing here reads the clock: callers
 * pass `today` / `now` in.
 */

export const MS_PER_DAY = 86_400_000;
export const MS_PER_HOUR = 3_600_000;

export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})$/i;
const MONTH_DAY = /^(\d{2})-(\d{2})$/;

/** Years accepted in dates: wide enough for any plan, narrow enough that Date.UTC is exact. */
export const MIN_YEAR = 1900;
export const MAX_YEAR = 9999;

export const isLeapYear = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

const MONTH_LENGTHS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
/** Days in a month (1–12) of a year: February has 29 in leap years. */
export const daysInMonth = (year: number, month: number): number => (month === 2 && isLeapYear(year) ? 29 : MONTH_LENGTHS[month - 1]);

export const dayNumber = ({ year, month, day }: CalendarDate): number => Date.UTC(year, month - 1, day) / MS_PER_DAY;

export function fromDayNumber(n: number): CalendarDate {
  const d = new Date(n * MS_PER_DAY);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** `YYYY-MM-DD` of a day number. */
export const isoDate = (n: number): string => {
  const { year, month, day } = fromDayNumber(n);
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
};

/** Day of the week of a day number: 0 Sunday … 6 Saturday (1970-01-01, day 0, was a Thursday). */
export const weekday = (n: number): number => (((n + 4) % 7) + 7) % 7;

/** A real calendar date written `YYYY-MM-DD` (years 1900–9999), or undefined. */
export function parseIsoDate(text: unknown): CalendarDate | undefined {
  if (typeof text !== 'string') return undefined;
  const m = ISO_DATE.exec(text);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (year < MIN_YEAR || year > MAX_YEAR || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return { year, month, day };
}

export const isIsoDate = (text: unknown): text is string => parseIsoDate(text) !== undefined;

/** Day number of a `YYYY-MM-DD` text; throws on anything else (callers validate first). */
export function toDay(text: string): number {
  const date = parseIsoDate(text);
  if (!date) throw new RangeError(`not a date (YYYY-MM-DD): ${JSON.stringify(text)}`);
  return dayNumber(date);
}

export const addDays = (date: string, days: number): string => isoDate(toDay(date) + days);

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export const daysBetween = (from: string, to: string): number => toDay(to) - toDay(from);

/**
 * `months` calendar months after a date, clamped to the end of the target month: Jan 31 + 1 month
 * = Feb 28 (Feb 29 in a leap year), Feb 29 + 12 months = Feb 28 of the next year. Always step from
 * the anchor (anchor + k·n months), never from a previously clamped date, or Jan 31 → Feb 28 →
 * Mar 28 would drift off the month end.
 */
export function addMonthsToDate(date: CalendarDate, months: number): CalendarDate {
  const index = date.year * 12 + (date.month - 1) + months;
  const year = Math.floor(index / 12);
  const month = index - year * 12 + 1;
  return { year, month, day: Math.min(date.day, daysInMonth(year, month)) };
}

/** `addMonthsToDate` on `YYYY-MM-DD` text. */
export const addMonths = (date: string, months: number): string => {
  const parsed = parseIsoDate(date);
  if (!parsed) throw new RangeError(`not a date (YYYY-MM-DD): ${JSON.stringify(date)}`);
  return isoDate(dayNumber(addMonthsToDate(parsed, months)));
};

/**
 * Milliseconds since the epoch of an ISO 8601 instant with a zone (`2026-05-01T10:00:00Z`,
 * `2026-05-01T12:00:00.250+02:00`), or undefined. A timestamp without a zone is refused: it would
 * name a different instant on every server. Fractions beyond milliseconds are truncated.
 */
export function parseInstant(text: unknown): number | undefined {
  if (typeof text !== 'string') return undefined;
  const m = ISO_INSTANT.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute] = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5])];
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const ms = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0'));
  if (year < MIN_YEAR || year > MAX_YEAR || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  let offsetMinutes = 0;
  const zone = m[8].toUpperCase();
  if (zone !== 'Z') {
    const digits = zone.slice(1).replace(':', '');
    const [oh, om] = [Number(digits.slice(0, 2)), Number(digits.slice(2, 4))];
    if (oh > 23 || om > 59) return undefined;
    offsetMinutes = (zone[0] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  return Date.UTC(year, month - 1, day, hour, minute, second, ms) - offsetMinutes * 60_000;
}

export const isInstant = (text: unknown): text is string => parseInstant(text) !== undefined;

/** Milliseconds of an instant; throws on anything else (callers validate first). */
export function toInstant(text: string): number {
  const ms = parseInstant(text);
  if (ms === undefined) throw new RangeError(`not an ISO 8601 instant with a zone: ${JSON.stringify(text)}`);
  return ms;
}

/**
 * The canonical text of an instant: UTC, `Z`, milliseconds only when not zero
 * (`2026-05-01T10:00:00Z`). Two spellings of the same instant give the same text, so it can be
 * part of an idempotency key.
 */
export const instantText = (ms: number): string => {
  const iso = new Date(ms).toISOString();
  return iso.endsWith('.000Z') ? `${iso.slice(0, 19)}Z` : iso;
};

/** The UTC calendar date (`YYYY-MM-DD`) of an instant in milliseconds. */
export const utcDateOf = (ms: number): string => isoDate(Math.floor(ms / MS_PER_DAY));

/**
 * A month-day `MM-DD` (01-01 … 12-31, and 02-29), as used by seasonal windows; or undefined.
 * Comparing the texts orders them through the year, with 02-29 between 02-28 and 03-01.
 */
export function parseMonthDay(text: unknown): { month: number; day: number } | undefined {
  if (typeof text !== 'string') return undefined;
  const m = MONTH_DAY.exec(text);
  if (!m) return undefined;
  const [month, day] = [Number(m[1]), Number(m[2])];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(2000, month)) return undefined;
  return { month, day };
}

/** `MM-DD` of a day number. */
export const monthDayOf = (n: number): string => isoDate(n).slice(5);
