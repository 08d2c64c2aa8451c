/**
 * Calibration results and due dates.
 *
 * A calibration checks an instrument at test points: the reference (nominal) value, what the
 * instrument showed before any adjustment (as found) and, when it was adjusted, after (as left).
 * A point is in tolerance when |reading − nominal| ≤ tolerance, the limit itself included (a
 * tolerance of ±0.5 accepts an error of exactly 0.5). The tolerance is absolute (`plusMinus`) or a
 * percentage of the nominal value (`percent` of |nominal|; at a nominal of 0 that is 0, so use
 * `plusMinus` for zero points).
 *
 * The calibration passes when every point is in tolerance as the instrument was LEFT (as left when
 * adjusted, else as found). `asFoundFailed` is reported separately because it matters for quality:
 * whatever the instrument measured since its last calibration may be suspect, even though it now
 * passes after adjustment.
 */
import { type Dec, type DecimalInput, dec, decText, tryDec } from './decimal.js';
import { type Interval, addInterval } from './calendar.js';
import { toDay } from './dates.js';
import { type Issue, isRecord } from './types.js';

export type Tolerance = { plusMinus: DecimalInput } | { percent: DecimalInput };

export interface CalibrationPoint {
  nominal: DecimalInput;
  asFound: DecimalInput;
  asLeft?: DecimalInput | null;
  tolerance: Tolerance;
}

export interface PointReadingResult {
  value: string;
  /** reading − nominal. */
  error: string;
  inTolerance: boolean;
}

export interface PointResult {
  nominal: string;
  /** The absolute tolerance (± this). */
  tolerance: string;
  asFound: PointReadingResult;
  asLeft: PointReadingResult | null;
  /** In tolerance as left (as found when not adjusted). */
  inTolerance: boolean;
}

export interface CalibrationAssessment {
  /** Every point in tolerance as left; false when there are no points. */
  pass: boolean;
  /** Some point was out of tolerance as found. */
  asFoundFailed: boolean;
  /** Some point has an as-left reading (the instrument was adjusted). */
  adjusted: boolean;
  points: PointResult[];
}

export function validateCalibrationPoints(input: unknown): Issue[] {
  if (!Array.isArray(input)) return [{ field: '', message: 'must be a list of points' }];
  if (input.length === 0) return [{ field: '', message: 'needs at least one point' }];
  const issues: Issue[] = [];
  input.forEach((p: unknown, i) => {
    const at = (f: string) => `[${i}].${f}`;
    if (!isRecord(p)) return issues.push({ field: `[${i}]`, message: 'must be an object' });
    if (!tryDec(p.nominal)) issues.push({ field: at('nominal'), message: 'must be a decimal number' });
    if (!tryDec(p.asFound)) issues.push({ field: at('asFound'), message: 'must be a decimal number' });
    if (p.asLeft != null && !tryDec(p.asLeft)) issues.push({ field: at('asLeft'), message: 'must be a decimal number' });
    const tol = p.tolerance;
    if (!isRecord(tol) || ('plusMinus' in tol) === ('percent' in tol)) issues.push({ field: at('tolerance'), message: 'must be { plusMinus } or { percent }' });
    else {
      const v = tryDec('plusMinus' in tol ? tol.plusMinus : tol.percent);
      if (!v || v.isNegative()) issues.push({ field: at(`tolerance.${'plusMinus' in tol ? 'plusMinus' : 'percent'}`), message: 'must be a decimal number ≥ 0' });
    }
  });
  return issues;
}

function absoluteTolerance(nominal: Dec, tolerance: Tolerance): Dec {
  if ('plusMinus' in tolerance) return dec(tolerance.plusMinus);
  return nominal.abs().times(dec(tolerance.percent)).div(100);
}

function readingResult(nominal: Dec, tolerance: Dec, value: DecimalInput): PointReadingResult {
  const v = dec(value);
  const error = v.minus(nominal);
  return { value: decText(v), error: decText(error), inTolerance: error.abs().lte(tolerance) };
}

/** Assess calibration points (see above). Throws on invalid points; validate first. */
export function assessCalibration(points: readonly CalibrationPoint[]): CalibrationAssessment {
  if (points.length === 0) return { pass: false, asFoundFailed: false, adjusted: false, points: [] };
  const issues = validateCalibrationPoints(points);
  if (issues.length) throw new RangeError(`invalid calibration points: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`);
  const results = points.map((p): PointResult => {
    const nominal = dec(p.nominal);
    const tolerance = absoluteTolerance(nominal, p.tolerance);
    const asFound = readingResult(nominal, tolerance, p.asFound);
    const asLeft = p.asLeft != null ? readingResult(nominal, tolerance, p.asLeft) : null;
    return { nominal: decText(nominal), tolerance: decText(tolerance), asFound, asLeft, inTolerance: (asLeft ?? asFound).inTolerance };
  });
  return {
    pass: results.length > 0 && results.every((r) => r.inTolerance),
    asFoundFailed: results.some((r) => !r.asFound.inTolerance),
    adjusted: results.some((r) => r.asLeft !== null),
    points: results,
  };
}

/** Calibration interval: { n: 6, unit: 'month' }. */
export interface CalibrationInterval {
  n: number;
  unit: Interval['unit'];
}

/**
 * The next calibration due date: one interval after the calibration was performed, month ends
 * clamped (performed Jan 31 with a 1-month interval: due Feb 28, or 29 in a leap year). Each
 * calibration restarts the interval from the day it was performed.
 */
export function nextCalibrationDue(performedOn: string, interval: CalibrationInterval): string {
  if (!Number.isInteger(interval.n) || interval.n < 1) throw new RangeError(`interval.n must be a whole number ≥ 1, got ${interval.n}`);
  return addInterval(performedOn, { every: interval.n, unit: interval.unit });
}

export type CalibrationStatus = 'current' | 'due-soon' | 'overdue' | 'never';

/**
 * Where an instrument stands: `never` without a due date (never calibrated), `overdue` after the
 * due date, `due-soon` from `warnDays` before the due date up to and including it, else `current`.
 * The due date itself is still usable: overdue starts the day after.
 */
export function calibrationStatus(dueOn: string | null | undefined, today: string, warnDays: number): CalibrationStatus {
  if (!dueOn) return 'never';
  if (!Number.isInteger(warnDays) || warnDays < 0) throw new RangeError(`warnDays must be a whole number ≥ 0, got ${warnDays}`);
  const due = toDay(dueOn);
  const t = toDay(today);
  if (t > due) return 'overdue';
  return t >= due - warnDays ? 'due-soon' : 'current';
}
