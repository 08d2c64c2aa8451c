/**
 * Meters and meter-based triggers.
 *
 * A meter is a cumulative counter (runtime hours, kilometres, cycles, litres). Readings are
 * assessed before they count: a reading may be accepted (its usage counts), flagged (stored, but
 * its usage does not count toward triggers until someone confirms it) or rejected. Triggers and
 * forecasts work on the meter's cumulative TOTAL, the sum of the deltas of accepted readings from
 * the first reading (total 0), not on the raw displayed value, so a rollover (an odometer wrapping
 * at 1,000,000) does not restart the plan.
 *
 * All arithmetic is decimal (decimal.ts); values come and go as decimal strings.
 */
import { D, type Dec, type DecimalInput, ZERO, dec, decText, tryDec } from './decimal.js';
import { MS_PER_DAY, instantText, isoDate, parseInstant, toDay, utcDateOf } from './dates.js';
import { type Issue, SCHEDULE_MODES, type ScheduleMode, given, isIntegerIn, isOneOf, isRecord } from './types.js';

export interface MeterDefinition {
  /**
   * The value at which the counter wraps to 0 (an odometer with 6 digits: 1000000). Readings must
   * be below it.
   */
  rolloverAt?: string | null;
  /** Usage per day above which a jump is impossible (runtime hours: 24). */
  maxRatePerDay?: string | null;
}

export interface MeterReading {
  /** The value shown on the meter (decimal string). */
  value: string;
  /** ISO 8601 instant. */
  readAt: string;
}

export type ReadingStatus = 'accepted' | 'flagged' | 'rejected';

export interface ReadingAssessment {
  status: ReadingStatus;
  /** Usage this reading adds since the previous one (decimal string; '0' when rejected or first). */
  delta: string;
  /** The reading is lower than the previous one because the counter wrapped. */
  rollover: boolean;
  reason?: string;
}

/** A reading as stored in a series; readings without status, or accepted, are the baseline. */
export interface StoredMeterReading extends MeterReading {
  status?: ReadingStatus;
}

export interface SeriesAssessment extends ReadingAssessment {
  /** The accepted neighbours the reading was assessed against. */
  previous: StoredMeterReading | null;
  next: StoredMeterReading | null;
  /**
   * When the reading goes between two readings: the next reading's delta becomes this (it was
   * `next − previous`, now split into `delta` + `nextDelta`). Totals after `next` do not change.
   */
  nextDelta?: string;
}

// ---------------------------------------------------------------------------------------------
// Meter definition and reading assessment

export function validateMeter(input: unknown): Issue[] {
  if (!isRecord(input)) return [{ field: '', message: 'must be an object' }];
  const issues: Issue[] = [];
  for (const field of ['rolloverAt', 'maxRatePerDay'] as const) {
    if (!given(input[field])) continue;
    const v = tryDec(input[field]);
    if (!v) issues.push({ field, message: 'must be a decimal number' });
    else if (!v.gt(0)) issues.push({ field, message: 'must be greater than 0' });
  }
  return issues;
}

const days = (fromMs: number, toMs: number): Dec => new D(toMs - fromMs).div(MS_PER_DAY);
const describeDays = (d: Dec): string => `${decText(d.toDecimalPlaces(4))} day${d.eq(1) ? '' : 's'}`;

/**
 * Usage from one meter value to a later one: `to − from`, or across a rollover `rolloverAt − from +
 * to`; undefined when `to` is lower and the meter does not roll over.
 */
function usageBetween(rolloverAt: Dec | null, from: Dec, to: Dec): { usage: Dec; rollover: boolean } | undefined {
  if (to.gte(from)) return { usage: to.minus(from), rollover: false };
  if (!rolloverAt) return undefined;
  return { usage: rolloverAt.minus(from).plus(to), rollover: true };
}

function parseDefinition(meter: MeterDefinition): { rolloverAt: Dec | null; maxRate: Dec | null } {
  return {
    rolloverAt: given(meter.rolloverAt) ? dec(meter.rolloverAt as string) : null,
    maxRate: given(meter.maxRatePerDay) ? dec(meter.maxRatePerDay as string) : null,
  };
}

const rejected = (reason: string): ReadingAssessment => ({ status: 'rejected', delta: '0', rollover: false, reason });

/** Checks on the reading alone: a decimal, not negative, below the rollover value, a valid instant. */
function checkValue(meter: { rolloverAt: Dec | null }, reading: MeterReading): { value: Dec; ms: number } | ReadingAssessment {
  const value = tryDec(reading.value);
  if (!value) return rejected(`value ${JSON.stringify(reading.value)} is not a decimal number`);
  if (value.isNegative() && !value.isZero()) return rejected(`value ${decText(value)} is negative: a meter counts up from 0`);
  if (meter.rolloverAt && value.gte(meter.rolloverAt))
    return rejected(`value ${decText(value)} is not below the rollover value ${decText(meter.rolloverAt)} (the meter shows 0 at ${decText(meter.rolloverAt)})`);
  const ms = parseInstant(reading.readAt);
  if (ms === undefined) return rejected(`time ${JSON.stringify(reading.readAt)} is not an ISO 8601 instant with a zone`);
  return { value, ms };
}

/**
 * Assess a new reading against the previous accepted reading of the meter (null for the first
 * reading, which is accepted with delta 0: it is the baseline).
 *
 * - Not a decimal, negative, or not below `rolloverAt`: rejected.
 * - Taken before the previous reading: rejected here (use `assessReadingInSeries` for readings
 *   that arrive out of order).
 * - Same value: accepted, delta 0.
 * - Lower than the previous value: a rollover when the meter has `rolloverAt` and the implied
 *   usage `rolloverAt − previous + value` is plausible (at most `maxRatePerDay` × elapsed days, or
 *   without a maximum rate at most half the counter's range); otherwise rejected as going
 *   backwards.
 * - Higher: accepted, unless the usage exceeds `maxRatePerDay` × elapsed days (fractional days;
 *   any usage in zero time exceeds it), then flagged: stored, but not counted until confirmed.
 *   Without `maxRatePerDay` there is no rate check.
 *
 * Pass the last ACCEPTED (or confirmed) reading as `previous`: a flagged reading is not a baseline,
 * or a single typo (15000 for 1500) would make every later correct reading look like it went
 * backwards.
 */
export function assessReading(meter: MeterDefinition, previous: MeterReading | null, reading: MeterReading): ReadingAssessment {
  const def = parseDefinition(meter);
  const checked = checkValue(def, reading);
  if ('status' in checked) return checked;
  if (!previous) return { status: 'accepted', delta: '0', rollover: false };
  const prevValue = dec(previous.value);
  const prevMs = parseInstant(previous.readAt);
  if (prevMs === undefined) throw new RangeError(`previous reading time is not an instant: ${JSON.stringify(previous.readAt)}`);
  if (checked.ms < prevMs) return rejected(`taken at ${instantText(checked.ms)}, before the previous reading at ${instantText(prevMs)}`);
  return assessStep(def, prevValue, prevMs, checked.value, checked.ms);
}

/**
 * Is `usage` over `elapsedMs` faster than `maxRate` a day? Compared as usage × ms-per-day against
 * maxRate × elapsed ms, so no division rounds (6.5 h in 6 h 30 min at 24 a day is exactly at the limit).
 */
const fasterThan = (maxRate: Dec, usage: Dec, elapsedMs: number): boolean => usage.times(MS_PER_DAY).gt(maxRate.times(elapsedMs));

function assessStep(def: { rolloverAt: Dec | null; maxRate: Dec | null }, prevValue: Dec, prevMs: number, value: Dec, ms: number): ReadingAssessment {
  const elapsed = days(prevMs, ms);
  const at = `${decText(prevValue)} at ${instantText(prevMs)}`;
  const step = usageBetween(def.rolloverAt, prevValue, value);
  if (!step) return rejected(`value ${decText(value)} is lower than the previous reading ${at}: the meter does not go backwards`);
  if (step.rollover) {
    const implausible = def.maxRate ? fasterThan(def.maxRate, step.usage, ms - prevMs) : step.usage.gt(def.rolloverAt!.div(2));
    if (implausible)
      return rejected(
        `value ${decText(value)} is lower than the previous reading ${at} and is not a plausible rollover: it would mean ${decText(step.usage)} of use in ${describeDays(elapsed)}` +
          (def.maxRate ? ` (at most ${decText(def.maxRate)} a day)` : ` (more than half the meter's range ${decText(def.rolloverAt!)})`),
      );
    return { status: 'accepted', delta: decText(step.usage), rollover: true };
  }
  if (def.maxRate && fasterThan(def.maxRate, step.usage, ms - prevMs)) {
    const reason = elapsed.isZero()
      ? `usage ${decText(step.usage)} at the same instant as the previous reading ${at}`
      : `usage ${decText(step.usage)} in ${describeDays(elapsed)} exceeds the maximum of ${decText(def.maxRate)} a day (previous reading ${at})`;
    return { status: 'flagged', delta: decText(step.usage), rollover: false, reason };
  }
  return { status: 'accepted', delta: decText(step.usage), rollover: false };
}

/**
 * Assess a reading against the accepted readings of its meter, wherever it falls in time: between
 * the accepted reading at or before it and the one after it. A reading that falls between two
 * readings must be monotone between them (allowing the one rollover there may be between them):
 * its usage from the previous plus its usage to the next must equal the usage already recorded
 * between them. Each side is rate-checked; either too fast flags it.
 *
 * A reading earlier than the meter's first accepted reading is rejected: the first reading is the
 * baseline (total 0) that plan start totals are measured from, and moving it would shift them.
 * Flagged and rejected readings in `series` are ignored.
 */
export function assessReadingInSeries(meter: MeterDefinition, series: readonly StoredMeterReading[], reading: MeterReading): SeriesAssessment {
  const def = parseDefinition(meter);
  const checked = checkValue(def, reading);
  if ('status' in checked) return { ...checked, previous: null, next: null };
  const accepted = series
    .filter((r) => r.status === undefined || r.status === 'accepted')
    .map((r) => ({ r, ms: parseInstant(r.readAt), value: dec(r.value) }))
    .sort((a, b) => a.ms! - b.ms!);
  if (accepted.some((a) => a.ms === undefined)) throw new RangeError('a reading in the series has no valid time');
  let prev: (typeof accepted)[number] | undefined;
  let next: (typeof accepted)[number] | undefined;
  for (const a of accepted) {
    if (a.ms! <= checked.ms) prev = a;
    else {
      next = a;
      break;
    }
  }
  const neighbours = { previous: prev?.r ?? null, next: next?.r ?? null };
  if (!prev) {
    if (!next) return { status: 'accepted', delta: '0', rollover: false, ...neighbours };
    return { ...rejected(`taken at ${instantText(checked.ms)}, before the meter's first reading ${decText(next.value)} at ${instantText(next.ms!)}`), ...neighbours };
  }
  const first = assessStep(def, prev.value, prev.ms!, checked.value, checked.ms);
  if (first.status === 'rejected' || !next) return { ...first, ...neighbours };

  const recorded = usageBetween(def.rolloverAt, prev.value, next.value);
  const after = usageBetween(def.rolloverAt, checked.value, next.value);
  const between = `between the previous reading ${decText(prev.value)} at ${instantText(prev.ms!)} and the next ${decText(next.value)} at ${instantText(next.ms!)}`;
  if (!recorded || !after || !dec(first.delta).plus(after.usage).eq(recorded.usage))
    return { ...rejected(`value ${decText(checked.value)} is not ${between}`), ...neighbours };
  const tooFastAfter = def.maxRate && fasterThan(def.maxRate, after.usage, next.ms! - checked.ms);
  const result: SeriesAssessment = { ...first, ...neighbours, nextDelta: decText(after.usage) };
  if (first.status === 'accepted' && tooFastAfter) {
    result.status = 'flagged';
    result.reason = `usage ${decText(after.usage)} from this reading to the next reading ${decText(next.value)} at ${instantText(next.ms!)} exceeds the maximum of ${decText(def.maxRate!)} a day`;
  }
  return result;
}

export interface AssessedReading extends MeterReading, ReadingAssessment {
  /** Cumulative total usage after this reading (accepted deltas only). */
  total: string;
}

/**
 * Assess readings in time order, each against the last accepted one, with the running total.
 * The first reading is the baseline (total 0). A convenience for imports, tests and forecasts.
 */
export function assessMeterSeries(meter: MeterDefinition, readings: readonly MeterReading[]): AssessedReading[] {
  const sorted = [...readings].sort((a, b) => (parseInstant(a.readAt) ?? 0) - (parseInstant(b.readAt) ?? 0));
  let last: MeterReading | null = null;
  let total = ZERO;
  return sorted.map((r) => {
    const a = assessReading(meter, last, r);
    if (a.status === 'accepted') {
      total = total.plus(a.delta);
      last = r;
    }
    return { ...r, ...a, total: decText(total) };
  });
}

// ---------------------------------------------------------------------------------------------
// Meter-based plans

export interface MeterRule {
  /** Units between services (250 runtime hours). */
  every: string;
  mode: ScheduleMode;
  /** The meter total the plan counts from (default 0, the meter's first reading). */
  startTotal?: string | null;
  /** Generate the work order when the total is within this many units of the due value. Default 0. */
  leadUnits?: string | null;
}

export interface MeterPlanState {
  /** The meter total when the plan's last work order was completed. */
  lastCompletedAtTotal?: string | null;
  /** The latest due total a work order was generated for. */
  lastGeneratedDueTotal?: string | null;
}

export interface MeterDueCheck {
  /** A work order should be generated now. */
  due: boolean;
  /** The due total: the one to generate when `due`, else the next one. */
  dueTotal: string;
  /** `dueTotal − leadUnits`. */
  generateAtTotal: string;
  /** `dueTotal − currentTotal`; negative when the due total was passed. */
  remaining: string;
  /** Fixed plans: due totals passed over without a work order (the meter jumped past several). */
  skippedCount: number;
}

export function validateMeterRule(input: unknown): Issue[] {
  if (!isRecord(input)) return [{ field: '', message: 'must be an object' }];
  const issues: Issue[] = [];
  const every = tryDec(input.every);
  if (!every) issues.push({ field: 'every', message: 'must be a decimal number' });
  else if (!every.gt(0)) issues.push({ field: 'every', message: 'must be greater than 0' });
  if (!isOneOf(SCHEDULE_MODES, input.mode)) issues.push({ field: 'mode', message: `must be one of ${SCHEDULE_MODES.join(', ')}` });
  if (given(input.startTotal)) {
    const s = tryDec(input.startTotal);
    if (!s) issues.push({ field: 'startTotal', message: 'must be a decimal number' });
    else if (s.isNegative() && !s.isZero()) issues.push({ field: 'startTotal', message: 'must not be negative' });
  }
  if (given(input.leadUnits)) {
    const l = tryDec(input.leadUnits);
    if (!l) issues.push({ field: 'leadUnits', message: 'must be a decimal number' });
    else if (l.isNegative() && !l.isZero()) issues.push({ field: 'leadUnits', message: 'must not be negative' });
    // One interval ahead or more would mean generating the next order before the current one is due.
    else if (every?.gt(0) && l.gte(every)) issues.push({ field: 'leadUnits', message: `must be less than the interval ${decText(every)}` });
  }
  return issues;
}

function compileMeterRule(rule: MeterRule) {
  const issues = validateMeterRule(rule);
  if (issues.length) throw new RangeError(`invalid meter rule: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`);
  return { every: dec(rule.every), mode: rule.mode, start: given(rule.startTotal) ? dec(rule.startTotal!) : ZERO, lead: given(rule.leadUnits) ? dec(rule.leadUnits!) : ZERO };
}

/**
 * The next due meter total. Fixed: the first `startTotal + k·every` (k ≥ 1) above the last
 * generated due total. Floating: the total at the last completion (or `startTotal`) + `every`.
 */
export function nextMeterDue(rule: MeterRule, state: MeterPlanState): string {
  const r = compileMeterRule(rule);
  return decText(nextDue(r, state));
}

function nextDue(r: ReturnType<typeof compileMeterRule>, state: MeterPlanState): Dec {
  if (r.mode === 'floating') return (given(state.lastCompletedAtTotal) ? dec(state.lastCompletedAtTotal!) : r.start).plus(r.every);
  if (!given(state.lastGeneratedDueTotal)) return r.start.plus(r.every);
  const k = D.max(dec(state.lastGeneratedDueTotal!).minus(r.start).div(r.every).floor().plus(1), 1);
  return r.start.plus(r.every.times(k));
}

/**
 * Is a meter-based work order due at this total (the meter's cumulative total, accepted usage only)?
 *
 * Due when `currentTotal ≥ dueTotal − leadUnits` and that due total was not generated yet.
 * Fixed plans whose meter jumped past several due totals generate ONE order, for the highest due
 * total reached (it is the same job; doing it now satisfies all of them) and count the others in
 * `skippedCount`. Floating plans have one outstanding due total (last completion + every); like
 * calendar plans, due totals only move forward: one at or below `lastGeneratedDueTotal` waits for
 * its completion.
 */
export function meterDueReached(rule: MeterRule, state: MeterPlanState, currentTotal: DecimalInput): MeterDueCheck {
  const r = compileMeterRule(rule);
  const current = dec(currentTotal);
  const next = nextDue(r, state);
  const reach = current.plus(r.lead);
  const result = (due: boolean, dueTotal: Dec, skippedCount: number): MeterDueCheck => ({
    due,
    dueTotal: decText(dueTotal),
    generateAtTotal: decText(dueTotal.minus(r.lead)),
    remaining: decText(dueTotal.minus(current)),
    skippedCount,
  });
  if (r.mode === 'floating') {
    const generated = given(state.lastGeneratedDueTotal) && dec(state.lastGeneratedDueTotal!).gte(next);
    return result(!generated && reach.gte(next), next, 0);
  }
  if (reach.lt(next)) return result(false, next, 0);
  // The highest start + k·every at or below current + lead.
  const kNext = next.minus(r.start).div(r.every);
  const kMax = reach.minus(r.start).div(r.every).floor();
  return result(true, r.start.plus(r.every.times(kMax)), kMax.minus(kNext).toNumber());
}

// ---------------------------------------------------------------------------------------------
// Forecast

export interface MeterTotalReading {
  readAt: string;
  /** Cumulative total at the reading (accepted usage only; see `assessMeterSeries`). */
  total: string;
}

export type ForecastWindow = { days: number } | { readings: number };

export interface MeterForecast {
  /** Estimated UTC date on which the total reaches the due total. */
  dueOn: string;
  /** The total already reached the due total (`dueOn` is then the date of the first reading at or past it, in or before the window). */
  reached: boolean;
  /** Average usage per day over the window, rounded to 6 places for display (the estimate uses the exact rate). */
  ratePerDay: string;
  /** The readings the rate was taken between, and how many readings were in the window. */
  from: string;
  to: string;
  readingsUsed: number;
}

/** Default forecast window: the last 90 days. */
export const DEFAULT_FORECAST_WINDOW: ForecastWindow = { days: 90 };

/**
 * When will the meter total reach `dueTotal`?
 *
 * Method: the AVERAGE rate over the window — (last total − first total) / elapsed days between the
 * first and last reading in the window — projected from the last reading. Not least squares: the
 * totals are cumulative, so the difference between two of them is the exact usage in between and
 * the average rate is exact however irregularly the meter was read; a least-squares line over
 * cumulative totals weights the middle readings arbitrarily and generally does not pass through the
 * latest total, so its forecast would disagree with the total the user sees today.
 *
 * Window: `{ days: n }` takes the readings from the start of (`today` − n days) to the end of
 * `today`; `{ readings: n }` the last n readings up to the end of `today`. Readings after today
 * are ignored, as are repeated times (the later one in the list counts).
 *
 * Returns null with fewer than 2 readings in the window, no time between them, or no usage (a
 * zero rate never reaches anything).
 */
export function forecastMeterDue(readings: readonly MeterTotalReading[], dueTotal: DecimalInput, today: string, window: ForecastWindow = DEFAULT_FORECAST_WINDOW): MeterForecast | null {
  const due = dec(dueTotal);
  const endOfToday = (toDay(today) + 1) * MS_PER_DAY;
  const byTime = new Map<number, Dec>();
  for (const r of readings) {
    const ms = parseInstant(r.readAt);
    if (ms === undefined) throw new RangeError(`not an instant: ${JSON.stringify(r.readAt)}`);
    if (ms < endOfToday) byTime.set(ms, dec(r.total));
  }
  const all = [...byTime.entries()].sort((a, b) => a[0] - b[0]);
  let usable = all;
  if ('days' in window) {
    if (!isIntegerIn(window.days, 1, 36600)) throw new RangeError('window.days must be a whole number of at least 1');
    const start = (toDay(today) - window.days) * MS_PER_DAY;
    usable = usable.filter(([ms]) => ms >= start);
  } else {
    if (!isIntegerIn(window.readings, 2, 100000)) throw new RangeError('window.readings must be a whole number of at least 2');
    usable = usable.slice(-window.readings);
  }
  if (usable.length < 2) return null;
  const [firstMs, firstTotal] = usable[0];
  const [lastMs, lastTotal] = usable[usable.length - 1];
  if (lastMs === firstMs) return null;
  const rate = lastTotal.minus(firstTotal).div(days(firstMs, lastMs));
  if (!rate.gt(0)) return null;
  const base = { ratePerDay: decText(rate.toDecimalPlaces(6)), from: instantText(firstMs), to: instantText(lastMs), readingsUsed: usable.length };
  if (lastTotal.gte(due)) {
    const reachedAt = all.find(([, total]) => total.gte(due))![0];
    return { dueOn: utcDateOf(reachedAt), reached: true, ...base };
  }
  // lastMs + (due − last) / rate, written with one division at the end so it stays exact:
  // (due − last) × (lastMs − firstMs) / (last − first).
  const atMs = new D(lastMs).plus(due.minus(lastTotal).times(lastMs - firstMs).div(lastTotal.minus(firstTotal))).floor().toNumber();
  return { dueOn: isoDate(Math.floor(atMs / MS_PER_DAY)), reached: false, ...base };
}
