/**
 * Calendar triggers: when is time-based maintenance due, and which work orders should exist today.
 *
 * A rule recurs either by an interval (every N days, weeks, months or years) or by a cron
 * expression (cron.ts, day granularity). The per plan × asset state holds the start date, the last
 * completion and the last due date a work order was generated for.
 *
 * Decisions:
 * - `startOn` is the first due date in both modes (a plan "every 3 months from 2026-07-01" first
 *   falls due on 2026-07-01). For cron rules the first due date is the first firing on or after it.
 * - Month and year steps are always anchor + k·N months, clamped to the month end: from Jan 31,
 *   monthly gives Feb 28 (29), Mar 31, Apr 30 … never Mar 28. From Feb 29, yearly gives Feb 28 in
 *   common years and Feb 29 again four years on.
 * - `fixed`: due dates are start + k·interval; completions do not move them. Fiscal or pay-period
 *   anchors are just a fixed schedule from that start date.
 * - `floating`: the next due date is the last completion + interval (before the first completion,
 *   `startOn`). A completion dated before `startOn` is history from before the plan (re)started and
 *   is ignored. Previews assume each job is done on its due date. Floating needs an interval: a
 *   cron rule names calendar dates, so "cron from the last completion" has no meaning — rejected.
 * - Lead time: the work order is generated `leadDays` before its due date.
 * - Seasonal windows `MM-DD`…`MM-DD` (inclusive; `from` > `to` wraps the new year). A due date
 *   outside every window is skipped, or moved to the start of the next window; several due dates
 *   moved to the same window start become one due date. `02-29` as a window start means "the day
 *   after Feb 28" (Mar 1 in common years); as a window end, "the end of February" (Feb 28).
 * - Due dates are identified by their (window-adjusted) date: the work order key is that date.
 */
import { CRON_MAX_GAP_DAYS, type CronSchedule, cronMatchesDay, nextCronDay, parseCron } from './cron.js';
import { type CalendarDate, MAX_YEAR, addMonthsToDate, dayNumber, isLeapYear, isoDate, monthDayOf, parseIsoDate, parseMonthDay, toDay } from './dates.js';
import { type Issue, SCHEDULE_MODES, type ScheduleMode, given, isIntegerIn, isOneOf, isRecord } from './types.js';

export const INTERVAL_UNITS = ['day', 'week', 'month', 'year'] as const;
export type IntervalUnit = (typeof INTERVAL_UNITS)[number];

export interface Interval {
  every: number;
  unit: IntervalUnit;
}

export type Recurrence = ({ type: 'interval' } & Interval) | { type: 'cron'; expression: string };

export const OUTSIDE_WINDOW_POLICIES = ['skip', 'next-window-start'] as const;
export type OutsideWindowPolicy = (typeof OUTSIDE_WINDOW_POLICIES)[number];

/** A part of every year, `MM-DD` to `MM-DD` inclusive; `from` after `to` wraps over the new year. */
export interface SeasonalWindow {
  from: string;
  to: string;
}

export interface CalendarRule {
  recurrence: Recurrence;
  mode: ScheduleMode;
  /** Days before the due date the work order is generated. Default 0. */
  leadDays?: number;
  /** When given (and not empty), due dates must fall inside one of these windows. */
  windows?: readonly SeasonalWindow[] | null;
  /** What happens to a due date outside every window. Default `skip`. */
  outsideWindow?: OutsideWindowPolicy;
  /**
   * How many missed (past) due dates `dueWorkToGenerate` still generates, latest first. Default 1:
   * a plan paused for a year produces the latest missed work order, not 52 weekly ones.
   */
  catchUpLimit?: number;
}

export interface CalendarState {
  /** First due date (`YYYY-MM-DD`). */
  startOn: string;
  lastCompletedOn?: string | null;
  /** The latest due date a work order was generated for. */
  lastGeneratedDueOn?: string | null;
}

export interface CalendarOccurrence {
  dueOn: string;
  /** `dueOn − leadDays`: the day the work order should be generated. */
  generateOn: string;
  /** Set when a seasonal window moved the due date: the first nominal due date moved there. */
  shiftedFrom?: string;
}

export interface DueOccurrence extends CalendarOccurrence {
  /** The due date is before today. */
  overdue: boolean;
}

export interface CalendarGeneration {
  /** Work orders to generate now, in due-date order. */
  generate: DueOccurrence[];
  /**
   * Missed due dates that are NOT generated because of `catchUpLimit` (count, earliest, latest),
   * so the caller can log them and compliance reports can count them as missed.
   */
  skipped: { count: number; first: string | null; last: string | null };
}

/** Largest `every` per unit (about ten years), which also bounds the searches below. */
export const MAX_EVERY: Record<IntervalUnit, number> = { day: 3660, week: 520, month: 120, year: 10 };
export const MAX_LEAD_DAYS = 3660;
export const MAX_CATCH_UP = 1000;
/** How far ahead a search for the next due date looks before it gives up (a rule whose dates all fall outside its windows never fires). */
export const SEARCH_HORIZON_DAYS = 100 * 366;
const LAST_DAY = dayNumber({ year: MAX_YEAR, month: 12, day: 31 });

/** The shortest time between two due dates of an interval, in days (months: 28 per month, February). */
export function shortestIntervalDays({ every, unit }: Interval): number {
  return every * { day: 1, week: 7, month: 28, year: 365 }[unit];
}

/**
 * `date` + k·interval, stepping from `date` as the anchor (month ends clamp, see above). For
 * example `addInterval('2024-01-31', { every: 1, unit: 'month' }, 2)` is `'2024-03-31'`.
 */
export function addInterval(date: string, interval: Interval, k = 1): string {
  const anchor = parseIsoDate(date);
  if (!anchor) throw new RangeError(`not a date (YYYY-MM-DD): ${JSON.stringify(date)}`);
  return isoDate(stepFrom(anchor, dayNumber(anchor), interval, k));
}

function stepFrom(anchor: CalendarDate, anchorDay: number, { every, unit }: Interval, k: number): number {
  switch (unit) {
    case 'day':
      return anchorDay + k * every;
    case 'week':
      return anchorDay + k * every * 7;
    case 'month':
      return dayNumber(addMonthsToDate(anchor, k * every));
    case 'year':
      return dayNumber(addMonthsToDate(anchor, k * every * 12));
  }
}

// ---------------------------------------------------------------------------------------------
// Validation

/** Every problem of a calendar rule at once; empty when the rule is usable. */
export function validateCalendarRule(input: unknown): Issue[] {
  if (!isRecord(input)) return [{ field: '', message: 'must be an object' }];
  const issues: Issue[] = [];
  const issue = (field: string, message: string) => issues.push({ field, message });

  const mode = input.mode;
  if (!isOneOf(SCHEDULE_MODES, mode)) issue('mode', `must be one of ${SCHEDULE_MODES.join(', ')}`);

  const recurrence = input.recurrence;
  let interval: Interval | undefined;
  if (!isRecord(recurrence)) issue('recurrence', 'must be an object: { type: "interval", every, unit } or { type: "cron", expression }');
  else if (recurrence.type === 'interval') {
    const unit = recurrence.unit;
    if (!isOneOf(INTERVAL_UNITS, unit)) issue('recurrence.unit', `must be one of ${INTERVAL_UNITS.join(', ')}`);
    else if (!isIntegerIn(recurrence.every, 1, MAX_EVERY[unit])) issue('recurrence.every', `must be a whole number from 1 to ${MAX_EVERY[unit]}`);
    else interval = { every: recurrence.every, unit };
  } else if (recurrence.type === 'cron') {
    const parsed = parseCron(recurrence.expression);
    if (!parsed.ok) issue('recurrence.expression', parsed.field === 'expression' ? parsed.message : `${parsed.field}: ${parsed.message}`);
    if (mode === 'floating') issue('mode', 'a cron rule fires on calendar dates; a floating schedule needs an interval (every N days, weeks, months or years)');
  } else issue('recurrence.type', 'must be interval or cron');

  const leadDays = input.leadDays;
  if (given(leadDays) && !isIntegerIn(leadDays, 0, MAX_LEAD_DAYS)) issue('leadDays', `must be a whole number of days from 0 to ${MAX_LEAD_DAYS}`);
  else if (mode === 'floating' && interval && given(leadDays) && (leadDays as number) >= shortestIntervalDays(interval))
    issue(
      'leadDays',
      `must be shorter than the interval (${shortestIntervalDays(interval)} days at the shortest) in a floating schedule: the next due date is only known once the work is done`,
    );

  const windows = input.windows;
  if (given(windows)) {
    if (!Array.isArray(windows)) issue('windows', 'must be a list of { from: "MM-DD", to: "MM-DD" }');
    else
      windows.forEach((w: unknown, i) => {
        if (!isRecord(w)) return issue(`windows[${i}]`, 'must be { from: "MM-DD", to: "MM-DD" }');
        if (!parseMonthDay(w.from)) issue(`windows[${i}].from`, 'must be a day of the year MM-DD (02-29 allowed)');
        if (!parseMonthDay(w.to)) issue(`windows[${i}].to`, 'must be a day of the year MM-DD (02-29 allowed)');
      });
  }
  if (given(input.outsideWindow) && !isOneOf(OUTSIDE_WINDOW_POLICIES, input.outsideWindow)) issue('outsideWindow', `must be one of ${OUTSIDE_WINDOW_POLICIES.join(', ')}`);
  if (given(input.catchUpLimit) && !isIntegerIn(input.catchUpLimit, 0, MAX_CATCH_UP)) issue('catchUpLimit', `must be a whole number from 0 to ${MAX_CATCH_UP}`);
  return issues;
}

/** Problems of a plan × asset calendar state. */
export function validateCalendarState(input: unknown): Issue[] {
  if (!isRecord(input)) return [{ field: '', message: 'must be an object' }];
  const issues: Issue[] = [];
  if (!parseIsoDate(input.startOn)) issues.push({ field: 'startOn', message: 'must be a date YYYY-MM-DD' });
  for (const field of ['lastCompletedOn', 'lastGeneratedDueOn'] as const)
    if (given(input[field]) && !parseIsoDate(input[field])) issues.push({ field, message: 'must be a date YYYY-MM-DD' });
  return issues;
}

// ---------------------------------------------------------------------------------------------
// The series of due dates

interface CompiledWindow {
  from: string;
  to: string;
  wraps: boolean;
}

interface Compiled {
  mode: ScheduleMode;
  lead: number;
  interval: Interval | null;
  cron: CronSchedule | null;
  windows: CompiledWindow[] | null;
  outside: OutsideWindowPolicy;
  catchUp: number;
}

function compile(rule: CalendarRule): Compiled {
  const issues = validateCalendarRule(rule);
  if (issues.length) throw new RangeError(`invalid calendar rule: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`);
  const r = rule.recurrence;
  const cron = r.type === 'cron' ? (parseCron(r.expression) as { ok: true; schedule: CronSchedule }).schedule : null;
  const windows = rule.windows?.length ? rule.windows.map((w) => ({ from: w.from, to: w.to, wraps: w.from > w.to })) : null;
  return {
    mode: rule.mode,
    lead: rule.leadDays ?? 0,
    interval: r.type === 'interval' ? { every: r.every, unit: r.unit } : null,
    cron,
    windows,
    outside: rule.outsideWindow ?? 'skip',
    catchUp: rule.catchUpLimit ?? 1,
  };
}

/** Is the day inside one of the windows? `MM-DD` texts order through the year, 02-29 between 02-28 and 03-01. */
function inWindow(windows: CompiledWindow[], day: number): boolean {
  const md = monthDayOf(day);
  return windows.some((w) => (w.wraps ? md >= w.from || md <= w.to : md >= w.from && md <= w.to));
}

/** The day a window starting `MM-DD` starts in a year: `02-29` in a common year starts on Mar 1. */
function windowStartIn(year: number, from: string): number {
  const { month, day } = parseMonthDay(from)!;
  if (month === 2 && day === 29 && !isLeapYear(year)) return dayNumber({ year, month: 3, day: 1 });
  return dayNumber({ year, month, day });
}

/** The first window start on or after the day. */
function nextWindowStart(windows: CompiledWindow[], day: number): number {
  const year = Number(isoDate(day).slice(0, 4));
  let best = Infinity;
  for (const w of windows) {
    let start = windowStartIn(year, w.from);
    if (start < day) start = windowStartIn(year + 1, w.from);
    best = Math.min(best, start);
  }
  return best;
}

/** Where the series starts: its anchor and first step (floating after a completion: anchor + 1 interval). */
function seriesAnchor(c: Compiled, state: CalendarState): { anchor: number; firstK: number } {
  const start = toDay(state.startOn);
  if (c.mode === 'floating' && state.lastCompletedOn) {
    const done = toDay(state.lastCompletedOn);
    if (done >= start) return { anchor: done, firstK: 1 };
  }
  return { anchor: start, firstK: 0 };
}

/** Nominal due days ≥ `lower` (and ≤ `upper`), ascending, before windows are applied. */
function* nominalDays(c: Compiled, state: CalendarState, lower: number, upper: number): Generator<number> {
  const { anchor, firstK } = seriesAnchor(c, state);
  if (c.cron) {
    let d = Math.max(lower, anchor);
    while (d <= upper) {
      const next = nextCronDay(c.cron, d, Math.min(CRON_MAX_GAP_DAYS, upper - d));
      if (next === null) return;
      yield next;
      d = next + 1;
    }
    return;
  }
  const interval = c.interval!;
  const anchorDate = parseIsoDate(isoDate(anchor))!;
  // Jump close to `lower` instead of walking from the anchor: an estimate one step short, then walk.
  let k = firstK;
  if (lower > anchor) {
    const approxDays = shortestIntervalDays(interval) + (interval.unit === 'month' ? 3 * interval.every : interval.unit === 'year' ? interval.every : 0);
    k = Math.max(firstK, Math.floor((lower - anchor) / approxDays) - 1);
  }
  for (;;) {
    const d = stepFrom(anchorDate, anchor, interval, k);
    if (d > upper || d > LAST_DAY) return;
    if (d >= lower) yield d;
    k++;
  }
}

/** Due dates after `after` (exclusive) up to `upper` (inclusive), with windows applied and merged. */
function* occurrences(c: Compiled, state: CalendarState, after: number, upper: number): Generator<CalendarOccurrence> {
  upper = Math.min(upper, LAST_DAY);
  // A date moved to the next window start may come from up to a year before it.
  const lower = c.windows && c.outside === 'next-window-start' ? after - 366 : after + 1;
  let lastDue = -Infinity;
  for (const nominal of nominalDays(c, state, lower, upper)) {
    let due = nominal;
    if (c.windows && !inWindow(c.windows, nominal)) {
      if (c.outside === 'skip') continue;
      due = nextWindowStart(c.windows, nominal);
    }
    if (due <= after || due <= lastDue) continue;
    if (due > upper) return;
    lastDue = due;
    yield { dueOn: isoDate(due), generateOn: isoDate(due - c.lead), ...(due !== nominal ? { shiftedFrom: isoDate(nominal) } : {}) };
  }
}

/**
 * The first due date strictly after `after` (`YYYY-MM-DD`), or null when the rule never falls due
 * again within a century (for example a yearly date that every window excludes). Floating
 * schedules project from the last completion as if each job were done on its due date.
 */
export function nextCalendarDue(rule: CalendarRule, state: CalendarState, after: string): CalendarOccurrence | null {
  const c = compile(rule);
  const a = toDay(after);
  for (const o of occurrences(c, state, a, a + SEARCH_HORIZON_DAYS)) return o;
  return null;
}

/**
 * Due dates from `from` to `to` (both inclusive), at most `limit`: the plan editor's preview.
 */
export function calendarDueDates(rule: CalendarRule, state: CalendarState, from: string, to: string, limit = 12): CalendarOccurrence[] {
  const c = compile(rule);
  const out: CalendarOccurrence[] = [];
  if (limit <= 0) return out;
  for (const o of occurrences(c, state, toDay(from) - 1, toDay(to))) {
    out.push(o);
    if (out.length >= limit) break;
  }
  return out;
}

/**
 * The work orders a daily run should generate today: due dates not generated yet (after
 * `lastGeneratedDueOn`) whose generate-on date (`due − leadDays`) is on or before `today`.
 *
 * Catch-up (fixed schedules): due dates already past (before today) are missed. Only the latest
 * `catchUpLimit` of them (default 1) are generated; the older ones are reported in `skipped`. The
 * work is the same job, so one order done now satisfies the plan, and the latest missed date is
 * the one it is most honestly overdue against. Due dates from today on whose lead time has begun
 * are all generated. So a weekly plan paused for a year yields the latest missed week plus the
 * upcoming one if it is in its lead time: two work orders, not 52.
 *
 * Floating schedules have one outstanding due date at a time (last completion + interval, or
 * `startOn`); it is generated once its generate-on date comes, unless it is not after
 * `lastGeneratedDueOn` (due dates only move forward: it was generated and waits for completion).
 * With the lead time shorter than the interval (validated), completing the work on or after the day
 * its order was generated always moves the due date past it. Cancelling a floating order does not
 * move the anchor: record the cancellation date as `lastCompletedOn` if the plan should go on.
 */
export function dueWorkToGenerate(rule: CalendarRule, state: CalendarState, today: string): CalendarGeneration {
  const c = compile(rule);
  const t = toDay(today);
  const lastGenerated = state.lastGeneratedDueOn ? toDay(state.lastGeneratedDueOn) : -Infinity;
  const none: CalendarGeneration = { generate: [], skipped: { count: 0, first: null, last: null } };

  if (c.mode === 'floating') {
    const start = seriesAnchor(c, state).anchor;
    for (const o of occurrences(c, state, start - 1, start + SEARCH_HORIZON_DAYS)) {
      if (toDay(o.dueOn) <= lastGenerated || o.generateOn > today) return none;
      return { generate: [{ ...o, overdue: o.dueOn < today }], skipped: none.skipped };
    }
    return none;
  }

  const after = Math.max(lastGenerated, toDay(state.startOn) - 1);
  const missedKept: CalendarOccurrence[] = [];
  const upcoming: CalendarOccurrence[] = [];
  let skippedCount = 0;
  let first: string | null = null;
  let last: string | null = null;
  for (const o of occurrences(c, state, after, t + c.lead)) {
    if (o.dueOn >= today) {
      upcoming.push(o);
      continue;
    }
    missedKept.push(o);
    if (missedKept.length > c.catchUp) {
      const dropped = missedKept.shift()!;
      skippedCount++;
      first ??= dropped.dueOn;
      last = dropped.dueOn;
    }
  }
  return {
    generate: [...missedKept.map((o) => ({ ...o, overdue: true })), ...upcoming.map((o) => ({ ...o, overdue: false }))],
    skipped: { count: skippedCount, first, last },
  };
}

/** Does a cron rule fire on this date? (For the plan editor's "fires on" check.) */
export function cronFiresOn(expression: string, date: string): boolean {
  const parsed = parseCron(expression);
  if (!parsed.ok) throw new RangeError(`invalid cron expression: ${parsed.field}: ${parsed.message}`);
  return cronMatchesDay(parsed.schedule, toDay(date));
}

export { parseCron, type CronParseResult, type CronSchedule, type CronField, CRON_FIELDS } from './cron.js';
