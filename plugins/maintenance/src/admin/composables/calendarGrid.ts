/**
 * Day arithmetic on `YYYY-MM-DD` texts for the maintenance calendar (month and week views, weeks
 * starting on Monday). Computed in UTC so a day is always a day, whatever the browser's zone.
 */

const DAY_MS = 86_400_000;
const toMs = (d: string) => Date.parse(`${d}T00:00:00Z`);
const fromMs = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export const isIsoDay = (s: unknown): s is string => typeof s === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(toMs(s));
export const addDays = (d: string, n: number) => fromMs(toMs(d) + n * DAY_MS);
/** 0 = Monday … 6 = Sunday. */
export const weekdayIndex = (d: string) => (new Date(toMs(d)).getUTCDay() + 6) % 7;
export const startOfWeek = (d: string) => addDays(d, -weekdayIndex(d));
export const startOfMonth = (d: string) => `${d.slice(0, 7)}-01`;
export function addMonths(d: string, n: number): string {
  const [y, m] = [Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1 + n];
  const date = new Date(Date.UTC(y, m, 1));
  return fromMs(date.getTime());
}

export interface CalendarRange {
  from: string;
  to: string;
  /** Every day shown, in order. */
  days: string[];
}

/** The six weeks (Monday first) that show the month of `d`. */
export function monthRange(d: string): CalendarRange {
  const from = startOfWeek(startOfMonth(d));
  const days = Array.from({ length: 42 }, (_, i) => addDays(from, i));
  return { from, to: days[41]!, days };
}

/** The week (Monday to Sunday) of `d`. */
export function weekRange(d: string): CalendarRange {
  const from = startOfWeek(d);
  const days = Array.from({ length: 7 }, (_, i) => addDays(from, i));
  return { from, to: days[6]!, days };
}

const MONTH = new Intl.DateTimeFormat(undefined, { month: 'long', year: 'numeric', timeZone: 'UTC' });
const DAY = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', timeZone: 'UTC' });
const WEEKDAY = new Intl.DateTimeFormat(undefined, { weekday: 'short', timeZone: 'UTC' });
const at = (d: string) => new Date(toMs(d));
export const monthTitle = (d: string) => MONTH.format(at(d));
export const dayTitle = (d: string) => DAY.format(at(d));
export const weekdayName = (d: string) => WEEKDAY.format(at(d));
export const WEEKDAY_NAMES = Array.from({ length: 7 }, (_, i) => weekdayName(addDays('2024-01-01', i))); // 2024-01-01 is a Monday
