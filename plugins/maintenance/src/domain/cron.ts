/**
 * A small 5-field cron parser, evaluated at day granularity: maintenance due dates are days, so
 * only the dates on which an expression fires matter.
 *
 * Fields: minute hour day-of-month month day-of-week.
 * - minute and hour: `*` or one number (0–59, 0–23). They are accepted so expressions copied from
 *   elsewhere parse, but they cannot make an expression fire on more or fewer days, so lists,
 *   ranges and steps there are refused rather than silently ignored.
 * - day-of-month (1–31), month (1–12 or JAN–DEC) and day-of-week (0–7 or SUN–SAT, 0 and 7 both
 *   Sunday): `*`, numbers, names, lists `1,15`, ranges `1-5`, steps `*\/2`, `1-10/3`, `5/10`
 *   (from 5 to the end of the field). Names are case-insensitive. Ranges must run forwards.
 * - day-of-month also takes `L`, the last day of the month (alone or in a list: `1,L`).
 * - `?` is read as `*` in day-of-month and day-of-week (Quartz style).
 * - Macros: `@yearly` / `@annually`, `@monthly`, `@weekly`, `@daily` / `@midnight`.
 *
 * Day-of-month and day-of-week combine as POSIX says: when both are restricted (neither is exactly
 * `*`) a date matches if EITHER matches; otherwise the restricted one decides. Note that Vixie cron
 * treats any field *starting* with `*` (such as `*\/2`) as unrestricted; here `*\/2` is a
 * restriction, as POSIX reads it.
 *
 * Invalid expressions never throw: `parseCron` returns `{ ok: false, field, message }`.
 */
import { daysInMonth, fromDayNumber, weekday } from './dates.js';

export const CRON_FIELDS = ['minute', 'hour', 'day-of-month', 'month', 'day-of-week'] as const;
export type CronField = (typeof CRON_FIELDS)[number];

export interface CronSchedule {
  /** The expression as given. */
  expression: string;
  /** The minute and hour, or null for `*`. Informational only. */
  minute: number | null;
  hour: number | null;
  /** Index 1–31: does the day-of-month field list that day. */
  daysOfMonth: readonly boolean[];
  /** `L` given: the last day of every month matches. */
  lastDayOfMonth: boolean;
  /** Index 1–12. */
  months: readonly boolean[];
  /** Index 0–6, Sunday = 0. */
  daysOfWeek: readonly boolean[];
  domRestricted: boolean;
  dowRestricted: boolean;
}

export type CronParseResult = { ok: true; schedule: CronSchedule } | { ok: false; field: CronField | 'expression'; message: string };

const MONTH_NAMES = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

const MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
};

interface FieldSpec {
  min: number;
  max: number;
  names?: readonly string[];
  /** The number the first name stands for (JAN = 1, SUN = 0). */
  nameBase?: number;
  what: string;
}

const SPECS: Record<'day-of-month' | 'month' | 'day-of-week', FieldSpec> = {
  'day-of-month': { min: 1, max: 31, what: 'day of the month' },
  month: { min: 1, max: 12, names: MONTH_NAMES, nameBase: 1, what: 'month' },
  'day-of-week': { min: 0, max: 7, names: DAY_NAMES, nameBase: 0, what: 'day of the week' },
};

class FieldError extends Error {}

function parseValue(text: string, spec: FieldSpec): number {
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    if (n < spec.min || n > spec.max) throw new FieldError(`${n} is out of range ${spec.min}–${spec.max}`);
    return n;
  }
  if (spec.names) {
    const i = spec.names.indexOf(text.toUpperCase());
    if (i >= 0) return i + spec.nameBase!;
    throw new FieldError(`'${text}' is not a ${spec.what} (number ${spec.min}–${spec.max} or ${spec.names[0]}–${spec.names.at(-1)})`);
  }
  throw new FieldError(`'${text}' is not a number ${spec.min}–${spec.max}`);
}

function parseStep(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1) throw new FieldError(`step '${text}' must be a whole number of at least 1`);
  return Number(text);
}

/** The values one list field selects, as a boolean table over min…max; plus whether `L` was given. */
function parseListField(text: string, spec: FieldSpec, allowLast: boolean): { table: boolean[]; last: boolean } {
  const table = Array<boolean>(spec.max + 1).fill(false);
  let last = false;
  if (text === '') throw new FieldError('is empty');
  for (const element of text.split(',')) {
    if (element === '') throw new FieldError(`empty element in list '${text}'`);
    if (element.toUpperCase() === 'L') {
      if (!allowLast) throw new FieldError(`'L' is only allowed in day-of-month`);
      last = true;
      continue;
    }
    const [range, stepText, extra] = element.split('/');
    if (extra !== undefined) throw new FieldError(`'${element}' has more than one step`);
    const step = stepText === undefined ? 1 : parseStep(stepText);
    let from: number;
    let to: number;
    if (range === '*') {
      [from, to] = [spec.min, spec.max];
    } else if (range.includes('-')) {
      const parts = range.split('-');
      if (parts.length !== 2 || parts[0] === '' || parts[1] === '') throw new FieldError(`'${range}' is not a range (write a-b)`);
      from = parseValue(parts[0], spec);
      to = parseValue(parts[1], spec);
      if (from > to) throw new FieldError(`range '${range}' runs backwards (${from} > ${to})`);
    } else {
      from = parseValue(range, spec);
      // `5/10`: from 5 to the end of the field, every 10; a bare `5` is just 5.
      to = stepText === undefined ? from : spec.max;
    }
    for (let v = from; v <= to; v += step) table[v] = true;
  }
  return { table, last };
}

function parseSingle(text: string, max: number): number | null {
  if (text === '*') return null;
  if (/^\d+$/.test(text) && Number(text) <= max) return Number(text);
  if (/^\d+$/.test(text)) throw new FieldError(`${Number(text)} is out of range 0–${max}`);
  throw new FieldError(`only * or a single number 0–${max} is allowed: due dates are computed per day`);
}

/** Parse a 5-field cron expression (or a macro). Never throws. */
export function parseCron(expression: unknown): CronParseResult {
  if (typeof expression !== 'string') return { ok: false, field: 'expression', message: 'must be a string' };
  const trimmed = expression.trim();
  const expanded = trimmed.startsWith('@') ? MACROS[trimmed.toLowerCase()] : trimmed;
  if (expanded === undefined) return { ok: false, field: 'expression', message: `unknown macro '${trimmed}' (use @yearly, @annually, @monthly, @weekly, @daily or @midnight)` };
  const parts = expanded.split(/\s+/).filter((p) => p !== '');
  if (parts.length !== 5) return { ok: false, field: 'expression', message: `expected 5 fields (minute hour day-of-month month day-of-week), got ${parts.length}` };

  let field: CronField = 'minute';
  try {
    const minute = parseSingle(parts[0], 59);
    field = 'hour';
    const hour = parseSingle(parts[1], 23);
    field = 'day-of-month';
    const domText = parts[2] === '?' ? '*' : parts[2];
    const dom = parseListField(domText, SPECS['day-of-month'], true);
    field = 'month';
    const months = parseListField(parts[3], SPECS.month, false).table;
    field = 'day-of-week';
    const dowText = parts[4] === '?' ? '*' : parts[4];
    const dowTable = parseListField(dowText, SPECS['day-of-week'], false).table;
    const daysOfWeek = dowTable.slice(0, 7);
    if (dowTable[7]) daysOfWeek[0] = true;

    const domRestricted = domText !== '*';
    const dowRestricted = dowText !== '*';
    // Day-of-month alone could name only days that no selected month has (31 in February): such an
    // expression would never fire, which is a mistake worth reporting rather than an empty preview.
    if (domRestricted && !dowRestricted && !dom.last) {
      const possible = months.some((on, m) => on && dom.table.some((d, day) => d && day <= daysInMonth(2000, m)));
      if (!possible) {
        const days = dom.table.flatMap((on, d) => (on ? [d] : []));
        const monthNames = months.flatMap((on, m) => (on ? [MONTH_NAMES[m - 1]] : []));
        return { ok: false, field: 'day-of-month', message: `never fires: day ${days.join(',')} does not occur in ${monthNames.join(',')}` };
      }
    }
    return { ok: true, schedule: { expression, minute, hour, daysOfMonth: dom.table, lastDayOfMonth: dom.last, months, daysOfWeek, domRestricted, dowRestricted } };
  } catch (error) {
    if (error instanceof FieldError) return { ok: false, field, message: error.message };
    throw error;
  }
}

/** Does the schedule fire on this day (a day number)? */
export function cronMatchesDay(schedule: CronSchedule, day: number): boolean {
  const { year, month, day: dom } = fromDayNumber(day);
  if (!schedule.months[month]) return false;
  const domMatch = schedule.daysOfMonth[dom] || (schedule.lastDayOfMonth && dom === daysInMonth(year, month));
  const dowMatch = schedule.daysOfWeek[weekday(day)];
  if (schedule.domRestricted && schedule.dowRestricted) return domMatch || dowMatch;
  return domMatch && dowMatch;
}

/**
 * Longest stretch without a firing that a valid expression can have, in days: Feb 29 only fires in
 * leap years, and leap years can be 8 years apart (2096 → 2104).
 */
export const CRON_MAX_GAP_DAYS = 8 * 366 + 1;

/** The first day number ≥ `from` on which the schedule fires, or null within `horizonDays`. */
export function nextCronDay(schedule: CronSchedule, from: number, horizonDays = CRON_MAX_GAP_DAYS): number | null {
  for (let d = from; d <= from + horizonDays; d++) if (cronMatchesDay(schedule, d)) return d;
  return null;
}
