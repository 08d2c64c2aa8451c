/**
 * Condition-based triggers on gauge readings (temperature, vibration, pressure): instantaneous
 * values, not counters.
 *
 * Each rule is a small state machine per plan × asset × measurement point:
 * - a reading VIOLATES the rule: `above` t (value > t), `below` t (value < t), `outside` [low, high]
 *   (value < low or value > high), `rate-of-change` (|Δvalue| per hour between this reading and the
 *   previous one > maxPerHour). The threshold itself does not violate: 80 is not above 80.
 * - `consecutive` (default 1): the rule fires when that many readings in a row violate it.
 * - Hysteresis: firing TRIPS the rule; a tripped rule does not fire again until a reading CLEARS it
 *   by returning to the reset level: `above` clears at value ≤ reset (default: the threshold),
 *   `below` at value ≥ reset, `outside` inside [low + hysteresis, high − hysteresis], rate-of-change
 *   at a rate ≤ resetPerHour (default maxPerHour). The reset level itself clears. So a noisy sensor
 *   wandering around 80 °C with reset 75 °C gives one work order, not one per crossing.
 * - Readings must come in time order: a reading not after the last evaluated one (out of order, or
 *   a duplicate time) is IGNORED — the state is returned unchanged and `ignored` is set. Late data
 *   must not re-arm or fire a live rule, and `consecutive` means consecutive in time.
 *
 * Numbers: this runs for every reading from every sensor (10,000 a second in the benchmark), so
 * values and thresholds are compared as JS numbers, parsed from their decimal text, without
 * allocating decimals. That is exact here, including equality at the threshold: parsing decimal
 * text to a double is correctly rounded and therefore monotone, and two decimals of up to 15
 * significant digits (any engineering reading) never round to the same double, so `>`/`<`/`=`
 * between the doubles agree with the decimals. The derived reset bounds (low + h, high − h) are
 * computed in decimal once per rule, then converted, so 0.1 + 0.2 is 0.3. Only the rate needs a
 * subtraction of readings: it is compared in doubles when the two sides clearly differ, and
 * recomputed exactly in decimal when they are within 1e-9 of each other, so a rate exactly at the
 * limit is decided exactly.
 */
import { D } from './decimal.js';
import { MS_PER_HOUR, instantText, parseInstant } from './dates.js';
import { type Issue, given, isIntegerIn, isRecord } from './types.js';

export const CONDITION_KINDS = ['above', 'below', 'outside', 'rate-of-change'] as const;
export type ConditionKind = (typeof CONDITION_KINDS)[number];

/** A decimal string (preferred) or a finite number. */
export type NumberText = string | number;

interface RuleBase {
  /** Readings in a row that must violate before the rule fires. Default 1. */
  consecutive?: number;
}
export type ConditionRule =
  | (RuleBase & { kind: 'above'; threshold: NumberText; reset?: NumberText | null })
  | (RuleBase & { kind: 'below'; threshold: NumberText; reset?: NumberText | null })
  | (RuleBase & { kind: 'outside'; low: NumberText; high: NumberText; hysteresis?: NumberText | null })
  | (RuleBase & { kind: 'rate-of-change'; maxPerHour: NumberText; resetPerHour?: NumberText | null });

export interface ConditionReading {
  value: NumberText;
  /** ISO 8601 instant. */
  readAt: string;
}

/** What the server stores per plan × asset × measurement point. Plain JSON. */
export interface ConditionState {
  /** Violating readings in a row, up to this one. */
  count: number;
  /** Fired and not yet cleared. */
  tripped: boolean;
  /** The last evaluated reading (value as decimal text, canonical UTC time). */
  lastValue: string | null;
  lastAt: string | null;
}

export const INITIAL_CONDITION_STATE: ConditionState = Object.freeze({ count: 0, tripped: false, lastValue: null, lastAt: null }) as ConditionState;
export const initialConditionState = (): ConditionState => ({ count: 0, tripped: false, lastValue: null, lastAt: null });

export interface ConditionEvaluation {
  state: ConditionState;
  /** A work order is due because of this reading. */
  fired: boolean;
  /** The reading was ignored (invalid, out of order or duplicate): `state` is the state passed in. */
  ignored: boolean;
  /** Why it fired, cleared or was ignored. */
  reason?: string;
}

// ---------------------------------------------------------------------------------------------
// Validation and compilation

const DECIMAL_TEXT = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** The number a decimal text or finite number stands for, or NaN. */
function num(value: unknown): number {
  if (typeof value === 'number') return Number.isFinite(value) ? value : NaN;
  if (typeof value === 'string' && DECIMAL_TEXT.test(value.trim())) return Number(value.trim());
  return NaN;
}
const text = (value: NumberText): string => (typeof value === 'number' ? String(value) : value.trim());

export function validateConditionRule(input: unknown): Issue[] {
  if (!isRecord(input)) return [{ field: '', message: 'must be an object' }];
  const issues: Issue[] = [];
  const issue = (field: string, message: string) => issues.push({ field, message });
  const number = (field: string, required: boolean): number | undefined => {
    const value = input[field];
    if (!given(value)) {
      if (required) issue(field, 'is required');
      return undefined;
    }
    const n = num(value);
    if (Number.isNaN(n)) issue(field, 'must be a decimal number');
    return Number.isNaN(n) ? undefined : n;
  };
  if (given(input.consecutive) && !isIntegerIn(input.consecutive, 1, 1000)) issue('consecutive', 'must be a whole number from 1 to 1000');
  switch (input.kind) {
    case 'above':
    case 'below': {
      const t = number('threshold', true);
      const r = number('reset', false);
      if (t !== undefined && r !== undefined) {
        if (input.kind === 'above' && r > t) issue('reset', 'must be at or below the threshold (the value falls back to it to reset)');
        if (input.kind === 'below' && r < t) issue('reset', 'must be at or above the threshold (the value climbs back to it to reset)');
      }
      break;
    }
    case 'outside': {
      const low = number('low', true);
      const high = number('high', true);
      const h = number('hysteresis', false);
      if (low !== undefined && high !== undefined && low > high) issue('high', 'must be at or above low');
      if (h !== undefined && h < 0) issue('hysteresis', 'must not be negative');
      else if (h !== undefined && low !== undefined && high !== undefined && low <= high && new D(text(input.low as NumberText)).plus(text(h)).gt(new D(text(input.high as NumberText)).minus(text(h))))
        issue('hysteresis', 'leaves no reset band: low + hysteresis must be at or below high − hysteresis');
      break;
    }
    case 'rate-of-change': {
      const max = number('maxPerHour', true);
      const reset = number('resetPerHour', false);
      if (max !== undefined && max <= 0) issue('maxPerHour', 'must be greater than 0');
      if (reset !== undefined && reset < 0) issue('resetPerHour', 'must not be negative');
      else if (reset !== undefined && max !== undefined && reset > max) issue('resetPerHour', 'must be at or below maxPerHour');
      break;
    }
    default:
      issue('kind', `must be one of ${CONDITION_KINDS.join(', ')}`);
  }
  return issues;
}

interface Compiled {
  kind: ConditionKind;
  n: number;
  /** above/below: threshold and reset; outside: low/high and the reset band; rate: limits per hour. */
  a: number;
  b: number;
  resetA: number;
  resetB: number;
  aText: string;
  bText: string;
  resetAText: string;
  resetBText: string;
}

const cache = new WeakMap<object, Compiled>();

/** Rules are values: compiled once per rule object (do not mutate a rule after first use). */
function compiled(rule: ConditionRule): Compiled {
  let c = cache.get(rule);
  if (c) return c;
  const issues = validateConditionRule(rule);
  if (issues.length) throw new RangeError(`invalid condition rule: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`);
  const n = rule.consecutive ?? 1;
  switch (rule.kind) {
    case 'above':
    case 'below': {
      const t = text(rule.threshold);
      const r = given(rule.reset) ? text(rule.reset!) : t;
      c = { kind: rule.kind, n, a: num(t), b: NaN, resetA: num(r), resetB: NaN, aText: t, bText: '', resetAText: r, resetBText: '' };
      break;
    }
    case 'outside': {
      const [low, high] = [text(rule.low), text(rule.high)];
      const h = given(rule.hysteresis) ? text(rule.hysteresis!) : '0';
      const lowReset = new D(low).plus(h).toString();
      const highReset = new D(high).minus(h).toString();
      c = { kind: 'outside', n, a: num(low), b: num(high), resetA: num(lowReset), resetB: num(highReset), aText: low, bText: high, resetAText: lowReset, resetBText: highReset };
      break;
    }
    case 'rate-of-change': {
      const max = text(rule.maxPerHour);
      const reset = given(rule.resetPerHour) ? text(rule.resetPerHour!) : max;
      c = { kind: 'rate-of-change', n, a: num(max), b: NaN, resetA: num(reset), resetB: NaN, aText: max, bText: '', resetAText: reset, resetBText: '' };
      break;
    }
  }
  cache.set(rule, c);
  return c;
}

/**
 * Sign of (rate − limit) where rate = |cur − prev| per hour over `dtMs`: compares
 * |cur − prev| × 3,600,000 with limit × dtMs, in doubles when clearly apart, else exactly.
 */
function rateSign(prevText: string, curText: string, prev: number, cur: number, dtMs: number, limit: number, limitText: string): number {
  const x = Math.abs(cur - prev) * MS_PER_HOUR;
  const y = limit * dtMs;
  if (Math.abs(x - y) > 1e-9 * Math.max(Math.abs(x), Math.abs(y))) return x > y ? 1 : -1;
  return new D(curText).minus(prevText).abs().times(MS_PER_HOUR).cmp(new D(limitText).times(dtMs));
}

function describeRate(prevText: string, curText: string, dtMs: number): string {
  const perHour = new D(curText).minus(prevText).abs().times(MS_PER_HOUR).div(dtMs).toDecimalPlaces(4);
  return `${perHour.toFixed()} per hour (${prevText} → ${curText} in ${new D(dtMs).div(60_000).toDecimalPlaces(2).toFixed()} min)`;
}

// ---------------------------------------------------------------------------------------------
// Evaluation

/**
 * The state's `lastAt` is almost always the text this module wrote for the previous reading, so
 * remember the last one written instead of parsing it again on every reading.
 */
let memoText: string | null = null;
let memoMs = 0;
function msOfLastAt(lastAt: string): number | undefined {
  if (lastAt === memoText) return memoMs;
  return parseInstant(lastAt);
}
/** Canonical instant text; a reading already written `YYYY-MM-DDTHH:MM:SSZ` is kept as it is. */
function canonicalAt(readAt: string, ms: number): string {
  const text = readAt.length === 20 && readAt.charCodeAt(19) === 90 && readAt.charCodeAt(10) === 84 ? readAt : instantText(ms);
  memoText = text;
  memoMs = ms;
  return text;
}

/** Feed one reading to a rule's state machine. Pure; throws only for an invalid rule. */
export function evaluateCondition(rule: ConditionRule, state: ConditionState, reading: ConditionReading): ConditionEvaluation {
  const c = compiled(rule);
  const ms = parseInstant(reading.readAt);
  if (ms === undefined) return { state, fired: false, ignored: true, reason: `time ${JSON.stringify(reading.readAt)} is not an ISO 8601 instant with a zone` };
  const v = num(reading.value);
  if (Number.isNaN(v)) return { state, fired: false, ignored: true, reason: `value ${JSON.stringify(reading.value)} is not a number` };
  const lastMs = state.lastAt === null ? undefined : msOfLastAt(state.lastAt);
  if (lastMs !== undefined && ms <= lastMs)
    return { state, fired: false, ignored: true, reason: `reading at ${instantText(ms)} is not after the last evaluated reading at ${instantText(lastMs)}: out-of-order and duplicate readings are ignored` };
  const valueText = text(reading.value);

  let violating: boolean;
  let clearing: boolean;
  let known = true;
  switch (c.kind) {
    case 'above':
      violating = v > c.a;
      clearing = v <= c.resetA;
      break;
    case 'below':
      violating = v < c.a;
      clearing = v >= c.resetA;
      break;
    case 'outside':
      violating = v < c.a || v > c.b;
      clearing = v >= c.resetA && v <= c.resetB;
      break;
    case 'rate-of-change': {
      if (state.lastValue === null || lastMs === undefined) {
        violating = clearing = known = false;
        break;
      }
      const prev = Number(state.lastValue);
      const dt = ms - lastMs;
      violating = rateSign(state.lastValue, valueText, prev, v, dt, c.a, c.aText) > 0;
      clearing = !violating && rateSign(state.lastValue, valueText, prev, v, dt, c.resetA, c.resetAText) <= 0;
      break;
    }
  }

  const count = !known ? state.count : violating ? state.count + 1 : 0;
  let tripped = state.tripped;
  let fired = false;
  let reason: string | undefined;
  if (tripped && clearing) {
    tripped = false;
    reason = `reset: ${describeClear(c, valueText, state.lastValue, lastMs, ms)}`;
  } else if (!tripped && violating && count >= c.n) {
    tripped = true;
    fired = true;
    reason = describeViolation(c, valueText, state.lastValue, lastMs, ms) + (c.n > 1 ? ` (${c.n} consecutive readings)` : '');
  }
  const next: ConditionState = { count, tripped, lastValue: valueText, lastAt: canonicalAt(reading.readAt, ms) };
  return reason === undefined ? { state: next, fired, ignored: false } : { state: next, fired, ignored: false, reason };
}

function describeViolation(c: Compiled, value: string, prev: string | null, prevMs: number | undefined, ms: number): string {
  switch (c.kind) {
    case 'above':
      return `${value} is above ${c.aText}`;
    case 'below':
      return `${value} is below ${c.aText}`;
    case 'outside':
      return `${value} is outside ${c.aText} to ${c.bText}`;
    case 'rate-of-change':
      return `changed ${describeRate(prev!, value, ms - prevMs!)}, more than ${c.aText} per hour`;
  }
}

function describeClear(c: Compiled, value: string, prev: string | null, prevMs: number | undefined, ms: number): string {
  switch (c.kind) {
    case 'above':
      return `${value} is at or below ${c.resetAText}`;
    case 'below':
      return `${value} is at or above ${c.resetAText}`;
    case 'outside':
      return `${value} is within ${c.resetAText} to ${c.resetBText}`;
    case 'rate-of-change':
      return `changed ${describeRate(prev!, value, ms - prevMs!)}, at most ${c.resetAText} per hour`;
  }
}

export interface ConditionFiring {
  readAt: string;
  value: string;
  reason: string;
}

/** Run readings through a rule in the order given (out-of-order ones are ignored, as above). */
export function evaluateConditionSeries(
  rule: ConditionRule,
  readings: readonly ConditionReading[],
  state: ConditionState = INITIAL_CONDITION_STATE,
): { state: ConditionState; firings: ConditionFiring[]; ignored: number } {
  const firings: ConditionFiring[] = [];
  let ignored = 0;
  for (const reading of readings) {
    const result = evaluateCondition(rule, state, reading);
    if (result.ignored) ignored++;
    if (result.fired) firings.push({ readAt: result.state.lastAt!, value: result.state.lastValue!, reason: result.reason! });
    state = result.state;
  }
  return { state, firings, ignored };
}
