/** Calendar arithmetic in local time (days as `YYYY-MM-DD`); weeks start on Monday. */
import { isoDay } from './format';

export type CalendarView = 'month' | 'week';

export function parseDay(s: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return null;
  const d = new Date(+m[1]!, +m[2]! - 1, +m[3]!);
  return Number.isNaN(d.getTime()) ? null : d;
}

export function addDays(d: Date, n: number): Date {
  return new Date(d.getFullYear(), d.getMonth(), d.getDate() + n);
}

export function startOfWeek(d: Date): Date {
  return addDays(d, -((d.getDay() + 6) % 7));
}

/** The days shown for the view around `anchor`, and the window [from, to) they cover. */
export function windowOf(view: CalendarView, anchor: Date): { days: Date[]; from: Date; to: Date } {
  const from = view === 'week' ? startOfWeek(anchor) : new Date(anchor.getFullYear(), anchor.getMonth(), 1);
  const to = view === 'week' ? addDays(from, 7) : new Date(anchor.getFullYear(), anchor.getMonth() + 1, 1);
  const days: Date[] = [];
  for (let d = from; d < to; d = addDays(d, 1)) days.push(d);
  return { days, from, to };
}

/** The anchor one view earlier (-1) or later (+1). */
export function shift(view: CalendarView, anchor: Date, by: -1 | 1): Date {
  return view === 'week' ? addDays(anchor, 7 * by) : new Date(anchor.getFullYear(), anchor.getMonth() + by, 1);
}

/** Does [start, end) overlap the day `d`? An open end (null) runs on. */
export function overlapsDay(start: string, end: string | null, d: Date): boolean {
  const s = new Date(start).getTime();
  const e = end ? new Date(end).getTime() : Number.POSITIVE_INFINITY;
  return s < addDays(d, 1).getTime() && e > d.getTime();
}

export const dayKey = isoDay;
export const localMidnight = (d: Date) => `${isoDay(d)}T00:00:00`;
