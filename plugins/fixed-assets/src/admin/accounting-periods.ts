/**
 * A book's periods as the server counts them (domain/depreciation/fiscal-calendar.ts): a fiscal
 * month runs from the fiscal year's start day in one month to the day before it in the next; a
 * fiscal year from its start (MM-DD) to the day before the next one. Plain calendar arithmetic on
 * ISO dates, in UTC, so time zones never shift a day.
 */
import type { Book } from './types';

export interface Period {
  start: string;
  end: string;
  /** e.g. "Nov 2026" for a month, "FY 2026/27" or "2026" for a year. */
  label: string;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');
const iso = (t: number) => {
  const d = new Date(t);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
};
const utc = (y: number, m0: number, d: number) => Date.UTC(y, m0, d);
const DAY = 86_400_000;

function parseStart(fiscalYearStart: string): { month0: number; day: number } {
  const [m, d] = fiscalYearStart.split('-').map(Number);
  return { month0: (m || 1) - 1, day: d || 1 };
}

/** The book's period that contains `date` (YYYY-MM-DD). */
export function periodContaining(book: Pick<Book, 'periodFrequency' | 'fiscalYearStart'>, date: string): Period {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const s = parseStart(book.fiscalYearStart);
  if (book.periodFrequency === 'year') {
    const startYear = utc(y, m - 1, d) >= utc(y, s.month0, s.day) ? y : y - 1;
    return yearPeriod(startYear, s);
  }
  // The month period starts on day `s.day` of this month or the one before.
  const index = y * 12 + (m - 1) - (d < s.day ? 1 : 0);
  return monthPeriod(index, s);
}

function yearPeriod(startYear: number, s: { month0: number; day: number }): Period {
  const start = utc(startYear, s.month0, s.day);
  const end = utc(startYear + 1, s.month0, s.day) - DAY;
  const calendar = s.month0 === 0 && s.day === 1;
  return { start: iso(start), end: iso(end), label: calendar ? String(startYear) : `FY ${startYear}/${String(startYear + 1).slice(2)}` };
}

function monthPeriod(index: number, s: { month0: number; day: number }): Period {
  const y = Math.floor(index / 12);
  const m0 = index % 12;
  const start = utc(y, m0, s.day);
  const end = utc(y, m0 + 1, s.day) - DAY;
  return { start: iso(start), end: iso(end), label: `${MONTHS[m0]} ${y}` };
}

/** Periods around `today`: `back` before the current one, the current one and `ahead` after it, newest first. */
export function periodsAround(book: Pick<Book, 'periodFrequency' | 'fiscalYearStart'>, today: string, back = 24, ahead = 1): Period[] {
  const out: Period[] = [];
  let p = periodContaining(book, today);
  for (let i = 0; i < ahead; i++) p = periodContaining(book, iso(Date.parse(p.end + 'T00:00:00Z') + DAY));
  out.push(p);
  for (let i = 0; i < back + ahead; i++) {
    p = periodContaining(book, iso(Date.parse(p.start + 'T00:00:00Z') - DAY));
    out.push(p);
  }
  return out;
}

/** The most recent period that has ended by `today` (the one a run is usually posted for). */
export function lastEndedPeriod(book: Pick<Book, 'periodFrequency' | 'fiscalYearStart'>, today: string): Period {
  const current = periodContaining(book, today);
  return current.end === today ? current : periodContaining(book, iso(Date.parse(current.start + 'T00:00:00Z') - DAY));
}

export function todayIso(): string {
  const d = new Date();
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}
