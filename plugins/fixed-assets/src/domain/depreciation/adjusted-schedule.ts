/**
 * The schedule of an asset in a book after revaluations, impairments and changes in estimates —
 * all prospective (IAS 8 ¶36–38: a change in estimate is applied from then on, never restated):
 *
 *   revaluation      the carrying amount becomes the fair value (IAS 16 ¶31, ¶35)
 *   impairment       the carrying amount is written down to the recoverable amount (IAS 36 ¶59)
 *   estimate-change  a new useful life or residual value (IAS 16 ¶51)
 *
 * Each adjustment takes effect on the first day of a period of the book. The schedule is the
 * original schedule's rows before the first adjustment, then for each adjustment the schedule that
 * spreads its carrying amount after the adjustment, less the (revised) residual value, over the
 * (revised) life left with the same method (IAS 16 ¶50, IAS 36 ¶63) — remainingSchedule — up to the
 * next one. Without a new life, the life left is the one left under the schedule replaced
 * (usefulLifeLeft); without a new residual value, the previous one (never above the carrying
 * amount: an asset written down below its residual value depreciates no further, IAS 16 ¶54).
 *
 * Rows keep the meaning of depreciationSchedule's: `amount` is the period's depreciation,
 * `accumulated` the depreciation accumulated since the asset was placed in service (what period
 * runs post against), `bookValue` the carrying amount at the period's end — after a revaluation or
 * an impairment no longer cost − accumulated depreciation.
 *
 * MACRS is not adjusted: the tax basis is not revalued or impaired and its recovery period is set by
 * law. Land ('none') can be revalued or impaired; it still depreciates nothing.
 */
import { DEFAULT_MINOR_UNITS, type Dec, type DecimalInput, ZERO, amountText, dec, min, sum, tryDec } from '../money.js';
import { FiscalCalendar, dayNumber, parseDay, parseFiscalYearStart, parseIsoDate } from './fiscal-calendar.js';
import { restartInput } from './prospective.js';
import { type DepreciationToDate, depreciationSchedule, depreciationUpTo, usefulLifeLeft } from './schedule.js';
import { type DepreciationInput, DepreciationInputError, type InputProblem, type ScheduleRow } from './types.js';
import { MAX_USEFUL_LIFE_YEARS } from './validation.js';

export const ADJUSTMENT_KINDS = ['revaluation', 'impairment', 'estimate-change'] as const;
export type AdjustmentKind = (typeof ADJUSTMENT_KINDS)[number];

/** An adjustment as recorded: what the schedule is re-based on from its effective date. */
export interface ScheduleAdjustment {
  kind: AdjustmentKind;
  /** First day of a period of the book (a fiscal month of a monthly book, a fiscal year of a yearly one), YYYY-MM-DD. */
  effectiveOn: string;
  /** Carrying amount right after the adjustment: the fair value, the recoverable amount, or unchanged for a change in estimate. */
  carryingAmount: DecimalInput;
  /** Useful life left from effectiveOn, in years; default: what is left of the life of the schedule replaced. */
  remainingLifeYears?: DecimalInput | null;
  /** Residual value from effectiveOn; default the previous one, capped at the carrying amount. */
  salvageValue?: DecimalInput | null;
}

/** One stretch of an adjusted schedule: the original, or what an adjustment re-based it on. */
export interface ScheduleSegment {
  /** Null for the original schedule. */
  effectiveOn: string | null;
  kind: AdjustmentKind | null;
  /** Carrying amount the stretch starts from (the cost for the original). */
  carryingAmount: string;
  salvageValue: string;
  /** Useful life left at the start of the stretch, in years (4 places); null when not depreciated over time. */
  remainingLifeYears: string | null;
  /** Depreciation accumulated before the stretch. */
  accumulatedBefore: string;
}

/** What a new adjustment effective on a date starts from. */
export interface AdjustmentBasis {
  /** Carrying amount at the start of the date, before the adjustment. */
  carryingAmount: string;
  /** Depreciation accumulated before the date (impairments not included). */
  accumulated: string;
  salvageValue: string;
  /** Useful life left on the date, in years (full precision); null when not depreciated over time. */
  remainingLifeYears: string | null;
}

interface Segment {
  from: number | null;
  effectiveOn: string | null;
  kind: AdjustmentKind | null;
  /** The depreciation input the stretch is computed from; null once nothing is left to depreciate. */
  input: DepreciationInput | null;
  rows: ScheduleRow[];
  accumulatedBefore: Dec;
  carrying: Dec;
  salvage: Dec;
  life: Dec | null;
}

const RENAMED: Record<string, string> = { fromDate: 'effectiveOn' };
const fail = (problems: InputProblem[]): never => {
  throw new DepreciationInputError(problems.map((p) => ({ ...p, field: RENAMED[p.field] ?? p.field })));
};

/** The restart's refusal, with its fields named as an adjustment's. */
function guarded<T>(compute: () => T): T {
  try {
    return compute();
  } catch (err) {
    if (err instanceof DepreciationInputError) fail(err.problems);
    throw err;
  }
}

/** Depreciation of a stretch in its rows before `day` (rows are whole periods; `day` starts one). */
function accumulatedWithin(seg: Segment, day: number): Dec {
  let accumulated = ZERO;
  for (const row of seg.rows) {
    if (parseDay(row.periodStart) >= day) break;
    accumulated = dec(row.accumulated);
  }
  return accumulated;
}

function lifeLeft(seg: Segment, date: string): Dec | null {
  if (!seg.input) return seg.life === null ? null : ZERO;
  const left = usefulLifeLeft(seg.input, date);
  return left === null ? null : dec(left);
}

/** Every problem with an effective date for the stretch `seg` is the latest of. */
function effectiveOnProblems(original: DepreciationInput, seg: Segment, effectiveOn: string): InputProblem[] {
  const date = parseIsoDate(effectiveOn);
  if (!date) return [{ field: 'effectiveOn', message: 'must be a date YYYY-MM-DD' }];
  const problems: InputProblem[] = [];
  const day = dayNumber(date);
  const fiscal = parseFiscalYearStart(original.fiscalYearStart ?? '01-01')!;
  const yearly = (original.periodFrequency ?? 'year') === 'year';
  if (date.day !== fiscal.day || (yearly && date.month !== fiscal.month)) {
    problems.push({ field: 'effectiveOn', message: `must be the first day of a period of the book (a fiscal ${yearly ? 'year' : 'month'}, starting ${yearly ? `${String(fiscal.month).padStart(2, '0')}-` : 'on day '}${String(fiscal.day).padStart(2, '0')})` });
  }
  if (day < parseDay(original.placedInService!)) problems.push({ field: 'effectiveOn', message: `must not be before the date placed in service, ${original.placedInService}` });
  else if (seg.from !== null && day < seg.from) problems.push({ field: 'effectiveOn', message: `must not be before the latest adjustment, effective ${seg.effectiveOn}` });
  return problems;
}

/** Periods of a units-of-production input from its first period to the one starting on `day`. */
function periodsBetween(input: DepreciationInput, day: number): number {
  const placed = parseDay(input.placedInService!);
  const calendar = new FiscalCalendar(parseFiscalYearStart(input.fiscalYearStart ?? '01-01')!, placed);
  const a = calendar.locate(placed);
  const b = calendar.locate(day);
  return (input.periodFrequency ?? 'year') === 'year' ? b.year - a.year : b.year * 12 + b.month - (a.year * 12 + a.month);
}

function restart(src: DepreciationInput, adj: ScheduleAdjustment, carrying: Dec, salvage: Dec, life: Dec | undefined, givenLife: boolean): DepreciationInput {
  const declining = src.method === 'declining-balance' || src.method === 'double-declining-balance' || src.method === '150-declining-balance';
  return guarded(() =>
    restartInput({
      method: src.method,
      carryingAmount: carrying.toFixed(),
      salvageValue: salvage.toFixed(),
      remainingLifeYears: life?.toFixed(),
      fromDate: adj.effectiveOn,
      // Declining balance keeps its rate (from the original life) unless the life itself is re-estimated.
      usefulLifeYears: declining && !givenLife && src.rate === undefined ? src.usefulLifeYears : undefined,
      factor: src.factor,
      rate: src.rate,
      switchToStraightLine: src.switchToStraightLine,
      fiscalYearStart: src.fiscalYearStart,
      periodFrequency: src.periodFrequency,
      minorUnits: src.minorUnits,
    }),
  );
}

/** The stretch an adjustment starts, after `seg`. */
function next(original: DepreciationInput, seg: Segment, adj: ScheduleAdjustment): Segment {
  const problems: InputProblem[] = [];
  if (!(ADJUSTMENT_KINDS as readonly string[]).includes(adj.kind)) problems.push({ field: 'kind', message: `must be one of ${ADJUSTMENT_KINDS.join(', ')}` });
  if (original.method === 'macrs') problems.push({ field: 'method', message: 'MACRS is not adjusted: the tax basis is not revalued or impaired and its recovery period is set by law' });
  problems.push(...effectiveOnProblems(original, seg, adj.effectiveOn));
  const carrying = tryDec(adj.carryingAmount);
  if (!carrying || carrying.isNegative()) problems.push({ field: 'carryingAmount', message: 'must be a decimal number, not negative' });
  const givenLife = adj.remainingLifeYears !== undefined && adj.remainingLifeYears !== null;
  const life = givenLife ? tryDec(adj.remainingLifeYears) : undefined;
  if (givenLife && (!life || !life.gt(0) || life.gt(MAX_USEFUL_LIFE_YEARS))) problems.push({ field: 'remainingLifeYears', message: `must be a decimal number greater than 0 and at most ${MAX_USEFUL_LIFE_YEARS}` });
  const givenSalvage = adj.salvageValue !== undefined && adj.salvageValue !== null;
  const salvageIn = givenSalvage ? tryDec(adj.salvageValue) : undefined;
  if (givenSalvage && (!salvageIn || salvageIn.isNegative())) problems.push({ field: 'salvageValue', message: 'must be a decimal number, not negative' });
  else if (salvageIn && carrying && salvageIn.gt(carrying)) problems.push({ field: 'salvageValue', message: `must not exceed the carrying amount after the adjustment, ${carrying.toFixed()}` });
  if (problems.length) fail(problems);

  const day = parseDay(adj.effectiveOn);
  const salvage = salvageIn ?? min(seg.salvage, carrying!);
  const base = { from: day, effectiveOn: adj.effectiveOn, kind: adj.kind, accumulatedBefore: seg.accumulatedBefore.plus(accumulatedWithin(seg, day)), carrying: carrying!, salvage };
  const src = seg.input;
  const nothingLeft = (): Segment => {
    if (carrying!.gt(salvage)) fail([{ field: 'remainingLifeYears', message: 'the useful life is over by then: give the life left' }]);
    return { ...base, input: null, rows: [], life: ZERO };
  };
  if (!src) {
    // The life was over: only a new life (not for units of production) starts depreciation again.
    if (givenLife && original.method === 'units-of-production') fail([{ field: 'remainingLifeYears', message: 'is not used by units-of-production: the units left are the estimate' }]);
    return givenLife ? timeBased(original, base, adj, life!, true) : nothingLeft();
  }

  if (src.method === 'none') {
    if (givenLife) fail([{ field: 'remainingLifeYears', message: 'is not used: the asset is not depreciated' }]);
    const input: DepreciationInput = { method: 'none', cost: carrying!.toFixed(), placedInService: adj.effectiveOn, fiscalYearStart: src.fiscalYearStart, periodFrequency: src.periodFrequency, minorUnits: src.minorUnits };
    return { ...base, input, rows: [], life: null };
  }

  if (src.method === 'units-of-production') {
    if (givenLife) fail([{ field: 'remainingLifeYears', message: 'is not used by units-of-production: the units left are the estimate' }]);
    const k = periodsBetween(src, day);
    const byPeriod = (src.unitsByPeriod ?? []).slice(k);
    const left = dec(src.totalUnits!).minus(sum((src.unitsByPeriod ?? []).slice(0, k)));
    if (!left.gt(0) || !byPeriod.length) return nothingLeft();
    const input = guarded(() =>
      restartInput({ method: src.method, carryingAmount: carrying!.toFixed(), salvageValue: salvage.toFixed(), fromDate: adj.effectiveOn, totalUnits: left.toFixed(), unitsByPeriod: byPeriod, fiscalYearStart: src.fiscalYearStart, periodFrequency: src.periodFrequency, minorUnits: src.minorUnits }),
    );
    return { ...base, input, rows: depreciationSchedule(input), life: null };
  }

  const remaining = givenLife ? life! : lifeLeft(seg, adj.effectiveOn)!;
  if (!remaining.gt(0)) return nothingLeft();
  return timeBased(src, base, adj, remaining, givenLife);
}

function timeBased(src: DepreciationInput, base: Omit<Segment, 'input' | 'rows' | 'life'>, adj: ScheduleAdjustment, life: Dec, givenLife: boolean): Segment {
  const input = restart(src, adj, base.carrying, base.salvage, life, givenLife);
  return { ...base, input, rows: depreciationSchedule(input), life };
}

function segmentsOf(input: DepreciationInput, adjustments: readonly ScheduleAdjustment[]): Segment[] {
  const rows = depreciationSchedule(input); // validates the original input
  const salvage = input.method === 'macrs' || input.method === 'none' ? ZERO : dec(input.salvageValue ?? 0);
  const lifeAtStart = usefulLifeLeft(input, input.placedInService!);
  const segments: Segment[] = [{ from: null, effectiveOn: null, kind: null, input, rows, accumulatedBefore: ZERO, carrying: dec(input.cost), salvage, life: lifeAtStart === null ? null : dec(lifeAtStart) }];
  for (const adj of adjustments) segments.push(next(input, segments[segments.length - 1], adj));
  return segments;
}

/** The rows of the stretches, each up to the next one's start, numbered and accumulated from the start; and where each stretch's rows begin. */
function compose(segments: Segment[], minorUnits: number): { rows: ScheduleRow[]; firstRow: number[] } {
  const rows: ScheduleRow[] = [];
  const firstRow: number[] = [];
  segments.forEach((seg, i) => {
    firstRow.push(rows.length);
    const until = segments[i + 1]?.from ?? Infinity;
    for (const row of seg.rows) {
      if (parseDay(row.periodStart) >= until) break;
      rows.push({ ...row, period: rows.length + 1, accumulated: amountText(seg.accumulatedBefore.plus(row.accumulated), minorUnits) });
    }
  });
  return { rows, firstRow };
}

/**
 * The schedule of an asset after its adjustments, applied in the order given (by effective date).
 * Throws DepreciationInputError, naming the field, on an input or adjustment that makes no sense.
 */
export function adjustedSchedule(input: DepreciationInput, adjustments: readonly ScheduleAdjustment[]): ScheduleRow[] {
  return compose(segmentsOf(input, adjustments), input.minorUnits ?? DEFAULT_MINOR_UNITS).rows;
}

/** The stretches of an adjusted schedule: what each adjustment re-based it on (carrying amount, residual value, life left). */
export function scheduleSegments(input: DepreciationInput, adjustments: readonly ScheduleAdjustment[]): ScheduleSegment[] {
  const minorUnits = input.minorUnits ?? DEFAULT_MINOR_UNITS;
  return segmentsOf(input, adjustments).map((s) => ({
    effectiveOn: s.effectiveOn,
    kind: s.kind,
    carryingAmount: amountText(s.carrying, minorUnits),
    salvageValue: amountText(s.salvage, minorUnits),
    remainingLifeYears: s.life === null ? null : s.life.toDecimalPlaces(4).toFixed(),
    accumulatedBefore: amountText(s.accumulatedBefore, minorUnits),
  }));
}

/**
 * depreciationUpTo on the adjusted schedule: the depreciation accumulated up to and including `date`
 * (a disposal) under the convention of the stretch it falls in — the book's before any adjustment,
 * whole months after one (an adjustment restarts full-month on its effective date, like
 * remainingSchedule). `bookValue` is the carrying amount then, impairments and revaluations included.
 */
export function adjustedDepreciationUpTo(input: DepreciationInput, adjustments: readonly ScheduleAdjustment[], date: string): DepreciationToDate {
  const segments = segmentsOf(input, adjustments);
  if (!parseIsoDate(date)) throw new DepreciationInputError([{ field: 'date', message: 'must be a date YYYY-MM-DD' }]);
  const day = parseDay(date);
  let i = segments.length - 1;
  while (i > 0 && segments[i].from! > day) i--;
  if (i === 0) return depreciationUpTo(input, date);
  const minorUnits = input.minorUnits ?? DEFAULT_MINOR_UNITS;
  const seg = segments[i];
  if (!seg.input) return { accumulated: amountText(seg.accumulatedBefore, minorUnits), bookValue: amountText(seg.carrying, minorUnits), periodAmount: amountText(ZERO, minorUnits), period: null };
  const within = depreciationUpTo(seg.input, date);
  const { firstRow } = compose(segments.slice(0, i + 1), minorUnits);
  return {
    accumulated: amountText(seg.accumulatedBefore.plus(within.accumulated), minorUnits),
    bookValue: within.bookValue,
    periodAmount: within.periodAmount,
    period: within.period === null ? null : firstRow[i] + within.period,
  };
}

/**
 * What an adjustment effective on `effectiveOn` would start from, after the adjustments already
 * made: the carrying amount at the start of that day, the depreciation accumulated before it, the
 * residual value and the life left. Throws DepreciationInputError when the date cannot take an
 * adjustment (not a period's first day, before the asset was placed in service or before the latest
 * adjustment) or the method is not adjusted (MACRS).
 */
export function adjustmentBasis(input: DepreciationInput, adjustments: readonly ScheduleAdjustment[], effectiveOn: string): AdjustmentBasis {
  const segments = segmentsOf(input, adjustments);
  const seg = segments[segments.length - 1];
  const problems = effectiveOnProblems(input, seg, effectiveOn);
  if (input.method === 'macrs') problems.unshift({ field: 'method', message: 'MACRS is not adjusted: the tax basis is not revalued or impaired and its recovery period is set by law' });
  if (problems.length) fail(problems);
  const minorUnits = input.minorUnits ?? DEFAULT_MINOR_UNITS;
  const within = accumulatedWithin(seg, parseDay(effectiveOn));
  const life = lifeLeft(seg, effectiveOn);
  return {
    carryingAmount: amountText(seg.carrying.minus(within), minorUnits),
    accumulated: amountText(seg.accumulatedBefore.plus(within), minorUnits),
    salvageValue: amountText(seg.salvage, minorUnits),
    remainingLifeYears: life === null ? null : life.toFixed(),
  };
}
