/**
 * Working hours in a site's own time zone, for rules like "asset left its site outside working
 * hours". Wall-clock time comes from the IANA time zone database through `Intl.DateTimeFormat`,
 * so daylight-saving changes are handled by the platform rather than by offsets we keep.
 */

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
export const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** `[start, end)` as `HH:mm` local wall-clock times. `end` may be `24:00`. `end` < `start` runs past midnight into the next day. */
export type TimeRange = [string, string];

export interface WorkingHours {
  /** IANA zone, e.g. `Europe/Berlin`. */
  timeZone: string;
  days: Partial<Record<Weekday, TimeRange[]>>;
  /** Local dates (`YYYY-MM-DD`) with no working hours. A range running past midnight belongs to the day it starts. */
  holidays?: string[];
}

export class WorkingHoursError extends Error {
  override readonly name = 'WorkingHoursError';
  constructor(
    readonly code: 'time-zone' | 'time-range' | 'weekday' | 'holiday' | 'instant',
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

export interface LocalDateTime {
  /** `YYYY-MM-DD` in the zone. */
  date: string;
  weekday: Weekday;
  /** Minutes after local midnight (0–1439). */
  minuteOfDay: number;
  /** `HH:mm:ss` in the zone. */
  time: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        weekday: 'short',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
      });
    } catch {
      throw new WorkingHoursError('time-zone', 'timeZone', `"${timeZone}" is not a known IANA time zone`);
    }
    formatters.set(timeZone, f);
  }
  return f;
}

const WEEKDAY_BY_SHORT: Record<string, Weekday> = { Mon: 'mon', Tue: 'tue', Wed: 'wed', Thu: 'thu', Fri: 'fri', Sat: 'sat', Sun: 'sun' };

/** The wall-clock date, weekday and time of an instant in a time zone. */
export function localDateTime(instantIso: string, timeZone: string): LocalDateTime {
  const ms = typeof instantIso === 'string' && /^\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:\d{2})$/i.test(instantIso) ? Date.parse(instantIso) : NaN;
  if (!Number.isFinite(ms)) throw new WorkingHoursError('instant', 'instant', `"${instantIso}" is not an ISO 8601 instant with a zone`);
  const parts: Record<string, string> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(ms))) parts[part.type] = part.value;
  const hour = Number(parts.hour) % 24; // some ICU versions print midnight as 24 even with h23
  const minute = Number(parts.minute);
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    weekday: WEEKDAY_BY_SHORT[parts.weekday],
    minuteOfDay: hour * 60 + minute,
    time: `${String(hour).padStart(2, '0')}:${parts.minute}:${parts.second}`,
  };
}

interface Range {
  start: number;
  end: number;
}

/**
 * Whether an instant falls inside the working hours. Ranges are half-open: 07:00–18:00 includes
 * 07:00 and excludes 18:00. Times are compared at minute precision on the local wall clock, so in
 * the repeated hour when clocks go back both instants with the same wall time answer alike, and
 * wall times skipped when clocks go forward simply never occur.
 */
export function isWithinWorkingHours(instantIso: string, schedule: WorkingHours): boolean {
  const days = validateWorkingHours(schedule);
  const local = localDateTime(instantIso, schedule.timeZone);
  const holidays = new Set(schedule.holidays ?? []);
  const today = local.weekday;
  const yesterday = WEEKDAYS[(WEEKDAYS.indexOf(today) + 6) % 7];
  const m = local.minuteOfDay;

  if (!holidays.has(local.date)) {
    for (const r of days[today]) {
      if (r.start < r.end ? m >= r.start && m < r.end : m >= r.start) return true;
    }
  }
  if (!holidays.has(previousDate(local.date))) {
    for (const r of days[yesterday]) {
      if (r.start > r.end && m < r.end) return true; // tail of an overnight range begun yesterday
    }
  }
  return false;
}

/** Checks a schedule and returns its ranges in minutes; throws {@link WorkingHoursError}. */
export function validateWorkingHours(schedule: WorkingHours): Record<Weekday, Range[]> {
  formatter(schedule.timeZone);
  const result = Object.fromEntries(WEEKDAYS.map((d) => [d, [] as Range[]])) as Record<Weekday, Range[]>;
  for (const [day, ranges] of Object.entries(schedule.days ?? {})) {
    if (!(WEEKDAYS as readonly string[]).includes(day)) throw new WorkingHoursError('weekday', `days.${day}`, `"${day}" is not one of ${WEEKDAYS.join(', ')}`);
    (ranges ?? []).forEach((range, i) => {
      const field = `days.${day}[${i}]`;
      if (!Array.isArray(range) || range.length !== 2) throw new WorkingHoursError('time-range', field, `${field} must be ["HH:mm", "HH:mm"]`);
      const start = minutes(range[0], field, false);
      const end = minutes(range[1], field, true);
      if (start === end) throw new WorkingHoursError('time-range', field, `${field} starts and ends at the same time`);
      result[day as Weekday].push({ start, end });
    });
  }
  (schedule.holidays ?? []).forEach((date, i) => {
    if (!isRealDate(date)) throw new WorkingHoursError('holiday', `holidays[${i}]`, `holiday "${date}" is not a YYYY-MM-DD date`);
  });
  return result;
}

function minutes(text: unknown, field: string, allow24: boolean): number {
  const match = typeof text === 'string' ? /^([01]\d|2[0-4]):([0-5]\d)$/.exec(text) : null;
  if (!match) throw new WorkingHoursError('time-range', field, `${field}: "${String(text)}" is not HH:mm`);
  const value = Number(match[1]) * 60 + Number(match[2]);
  if (value > 1440 || (value === 1440 && !allow24) || (match[1] === '24' && value !== 1440)) {
    throw new WorkingHoursError('time-range', field, `${field}: "${text}" is not a time of day${allow24 ? ' (24:00 is the latest)' : ''}`);
  }
  return value;
}

function isRealDate(text: string): boolean {
  const match = typeof text === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(text) : null;
  if (!match) return false;
  const d = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return d.getUTCFullYear() === Number(match[1]) && d.getUTCMonth() === Number(match[2]) - 1 && d.getUTCDate() === Number(match[3]);
}

function previousDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d - 1)).toISOString().slice(0, 10);
}
