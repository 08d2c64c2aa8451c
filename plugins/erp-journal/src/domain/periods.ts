/**
 * Accounting periods are calendar months in UTC, named `YYYY-MM`: `2026-10` runs from 2026-10-01
 * to 2026-10-31 inclusive. Closing a period closes everything up to its last day.
 */
const PERIOD = /^(\d{4})-(0[1-9]|1[0-2])$/;

export interface PeriodRange {
  period: string;
  /** First day, YYYY-MM-DD. */
  start: string;
  /** Last day, YYYY-MM-DD. */
  end: string;
}

export const isPeriod = (v: string): boolean => PERIOD.test(v);

export function periodRange(period: string): PeriodRange {
  const m = PERIOD.exec(period);
  if (!m) throw new RangeError(`"${period}" is not a period (YYYY-MM)`);
  const [y, mo] = [Number(m[1]), Number(m[2])];
  const last = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  return { period, start: `${period}-01`, end: `${period}-${String(last).padStart(2, '0')}` };
}

/** The period of a date (YYYY-MM-DD) or an ISO date-time (taken in UTC). */
export function periodOf(dateOrInstant: string): string {
  return dayOf(dateOrInstant).slice(0, 7);
}

/** The UTC day of a date or date-time, YYYY-MM-DD. */
export function dayOf(dateOrInstant: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(dateOrInstant)) return dateOrInstant;
  const d = new Date(dateOrInstant);
  if (Number.isNaN(d.getTime())) throw new RangeError(`"${dateOrInstant}" is not a date`);
  return d.toISOString().slice(0, 10);
}

export function nextPeriod(period: string): string {
  const { end } = periodRange(period);
  return periodOf(addDays(end, 1));
}

export function previousPeriod(period: string): string {
  const { start } = periodRange(period);
  return periodOf(addDays(start, -1));
}

export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00.000Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** The first day not closed when everything through `closedThrough` (a last day of a period) is. */
export const firstOpenDay = (closedThrough: string): string => addDays(closedThrough, 1);

/** Whether a date or date-time falls on or before `closedThrough`. */
export const isClosed = (dateOrInstant: string, closedThrough: string | null): boolean => closedThrough !== null && dayOf(dateOrInstant) <= closedThrough;
