/**
 * depreciationSchedule and depreciationUpTo: from a validated input to rows of rounded amounts.
 *
 * Time-based methods become an accrual curve (accrual-curve.ts); a period's exact depreciation is
 * the curve's growth over the period. Rounding (half-up to the minor unit, see money.ts):
 *   - fiscal years are rounded one by one — so a year reproduces the published figure for it — and
 *     the final year absorbs the accumulated difference: the amounts total exactly cost − salvage
 *     (MACRS: the basis) and the book value ends at salvage;
 *   - monthly rows split their fiscal year's rounded amount by cumulative rounding, so the months
 *     of a year always add up to that year's row (the year's last month absorbing the rest);
 *   - depreciation to a date (disposal) takes the years before plus its year's share to the date,
 *     which at any period end is exactly the schedule's accumulated depreciation.
 * Units of production rounds its periods one by one; the period that reaches the estimate absorbs.
 *
 * Periods: with periodFrequency 'year' each row is a fiscal year; with 'month' a fiscal month. The
 * first row is the period containing the in-service date and its periodStart is that period's
 * first day (the fiscal year's or month's start), not the in-service date: rows line up with the
 * books' periods. The schedule ends with the period in which the asset is fully depreciated.
 * Method 'none' (land, assets not depreciated) has no schedule: [].
 */
import { D, DEFAULT_MINOR_UNITS, type Dec, ZERO, amountText, dec, max, min, money } from '../money.js';
import { AccrualCurve, type Segment } from './accrual-curve.js';
import { disposalPoint, isAveragingConvention, pointOfMonthStart, startPoint } from './conventions.js';
import { decliningBalanceRate, decliningBalanceSegments } from './declining-balance.js';
import { FiscalCalendar, isoDate, parseDay, parseFiscalYearStart, parseIsoDate } from './fiscal-calendar.js';
import { macrsPercentages, macrsSegments } from './macrs.js';
import { straightLineSegments } from './straight-line.js';
import { sumOfYearsDigitsSegments } from './sum-of-years-digits.js';
import {
  type Convention,
  type DepreciationInput,
  DepreciationInputError,
  type MacrsRecoveryPeriod,
  type PeriodFrequency,
  type ScheduleRow,
} from './types.js';
import { unitsOfProductionAmounts } from './units-of-production.js';
import { validateDepreciationInput } from './validation.js';

/** Below this an exact amount is noise from fractions of a year that decimals cannot hold exactly. */
const NOISE = new D('1e-20');

interface PlannedRow {
  start: number;
  end: number;
  /** Exact depreciation of the period. */
  exact: Dec;
  /** Rounded amount as scheduled. */
  amount: Dec;
}

interface Plan {
  cost: Dec;
  /** What the schedule depreciates: cost − salvage, or the MACRS basis. */
  base: Dec;
  minorUnits: number;
  calendar: FiscalCalendar;
  convention: Convention;
  placedDay: number;
  isMacrs: boolean;
  /** Undefined for units of production, which is not a function of time. */
  curve?: AccrualCurve;
  /** Fiscal-year rows of a time-based schedule (whatever the frequency of `rows`). */
  years: PlannedRow[];
  rows: PlannedRow[];
}

function assertValid(input: DepreciationInput): void {
  const problems = validateDepreciationInput(input);
  if (problems.length) throw new DepreciationInputError(problems);
}

const defaultConvention = (input: DepreciationInput): Convention => input.convention ?? (input.method === 'macrs' ? 'half-year' : 'full-month');

/** The segments of the accrual curve of a time-based method. */
function curveSegments(input: DepreciationInput, cost: Dec, salvage: Dec, start: Dec, quarter: 1 | 2 | 3 | 4): Segment[] {
  const base = cost.minus(salvage);
  const life = input.usefulLifeYears === undefined ? ZERO : dec(input.usefulLifeYears);
  switch (input.method) {
    case 'straight-line':
      return straightLineSegments(base, life, start);
    case 'sum-of-years-digits':
      return sumOfYearsDigitsSegments(base, life, start);
    case 'declining-balance':
    case 'double-declining-balance':
    case '150-declining-balance': {
      const rate = decliningBalanceRate({
        method: input.method,
        cost,
        salvageValue: salvage,
        usefulLifeYears: life,
        rate: input.rate === undefined ? undefined : dec(input.rate),
        factor: input.factor === undefined ? undefined : dec(input.factor),
      });
      return decliningBalanceSegments(cost, salvage, life, rate, input.switchToStraightLine ?? false, start);
    }
    case 'macrs': {
      const period = input.recoveryPeriodYears as MacrsRecoveryPeriod;
      const convention = defaultConvention(input) as 'half-year' | 'mid-quarter';
      return macrsSegments(cost, macrsPercentages(period, convention, quarter), period, start);
    }
    default:
      throw new Error(`no accrual curve for ${input.method}`);
  }
}

type ExactRow = Omit<PlannedRow, 'amount'> & { year: number };

/** Drop trailing periods with nothing (left) to depreciate, e.g. after declining balance reached salvage early. */
function trimTrailing<T extends { exact: Dec }>(rows: T[]): T[] {
  let last = rows.length - 1;
  while (last >= 0 && rows[last].exact.lte(NOISE)) last--;
  return rows.slice(0, last + 1);
}

/** Exact amounts per fiscal year, up to the year the curve ends in. */
function yearRows(curve: AccrualCurve, calendar: FiscalCalendar): ExactRow[] {
  const rows: ExactRow[] = [];
  const end = curve.end;
  // Each boundary's accrual once: a year's amount is at(j + 1) − at(j), exactly as curve.between computes it.
  let atStart = curve.at(ZERO);
  for (let j = 0; end.gt(j); j++) {
    const atEnd = curve.at(new D(j + 1));
    rows.push({ year: j, start: calendar.yearStart(j), end: calendar.yearStart(j + 1) - 1, exact: atEnd.minus(atStart) });
    atStart = atEnd;
  }
  return trimTrailing(rows);
}

/**
 * Exact amounts per fiscal month, from the month placed in service up to the month the curve ends in
 * (or only of fiscal year `onlyYear`: each year's months depend on that year alone). Months ending after
 * `untilDay` are listed (the year's last month absorbs its rounding) but not evaluated: their exact amount is 0.
 */
function monthRows(curve: AccrualCurve, calendar: FiscalCalendar, convention: Convention, placedDay: number, onlyYear?: number, untilDay = Infinity): ExactRow[] {
  const end = curve.end;
  const rows: ExactRow[] = [];
  const month = (j: number, m: number, exact: Dec) => rows.push({ year: j, start: calendar.monthStart(j, m), end: calendar.monthStart(j, m + 1) - 1, exact });
  for (let j = onlyYear ?? 0; end.gt(j) && (onlyYear === undefined || j === onlyYear); j++) {
    const firstMonth = j === 0 ? calendar.locate(placedDay).month : 0;
    if (isAveragingConvention(convention)) {
      // The convention sets the year's share; the months really in service carry it evenly.
      // (A life shorter than the convention's first part-year can end before the month placed: keep that month.)
      const lastMonth = Math.max(firstMonth, end.lt(j + 1) ? end.minus(j).times(12).ceil().toNumber() - 1 : 11);
      const share = curve.between(new D(j), new D(j + 1)).div(lastMonth - firstMonth + 1);
      for (let m = firstMonth; m <= lastMonth; m++) month(j, m, share);
    } else {
      let from = pointOfMonthStart(calendar, convention, j, firstMonth);
      let atFrom: Dec | undefined;
      for (let m = firstMonth; m < 12 && from.lt(end); m++) {
        const to = pointOfMonthStart(calendar, convention, j, m + 1);
        if (calendar.monthStart(j, m + 1) - 1 > untilDay) month(j, m, ZERO);
        else {
          // at(to) − at(from), as curve.between computes it, each boundary evaluated once.
          atFrom ??= curve.at(from);
          const atTo = curve.at(to);
          month(j, m, atTo.minus(atFrom));
          atFrom = atTo;
        }
        from = to;
      }
    }
  }
  return rows;
}

/** Round rows one by one; the final row of a schedule that fully depreciates takes what is left. */
function roundRows<T extends { exact: Dec }>(rows: T[], base: Dec, minorUnits: number, fullyDepreciates: boolean): (T & { amount: Dec })[] {
  let accumulated = ZERO;
  return rows.map((row, i) => {
    const left = base.minus(accumulated);
    const amount = fullyDepreciates && i === rows.length - 1 ? left : min(max(money(row.exact, minorUnits), ZERO), left);
    accumulated = accumulated.plus(amount);
    return { ...row, amount };
  });
}

/**
 * A fiscal year's share of depreciation up to some point of it: the year's rounded amount × the
 * exact fraction of the year's accrual reached, rounded. At the year's end it is the year's row
 * exactly, so months, disposals and year rows never disagree by a rounding cent.
 */
function shareOfYear(year: PlannedRow, exactInYear: Dec, minorUnits: number): Dec {
  if (year.exact.lte(NOISE) || exactInYear.gte(year.exact)) return year.amount;
  return money(year.amount.times(exactInYear).div(year.exact), minorUnits);
}

/**
 * Round the months of one fiscal year so they add up to that year's rounded amount: each month
 * is its cumulative share of the year less the months before it, so no month drifts more than
 * half a cent from its exact share and the year's last month absorbs the rest.
 */
function roundMonthsOfYear(months: ExactRow[], year: PlannedRow, minorUnits: number): PlannedRow[] {
  let exactSoFar = ZERO;
  let roundedSoFar = ZERO;
  return months.map((month, i) => {
    exactSoFar = exactSoFar.plus(month.exact);
    const cumulative = i === months.length - 1 ? year.amount : shareOfYear(year, exactSoFar, minorUnits);
    const amount = cumulative.minus(roundedSoFar);
    roundedSoFar = cumulative;
    return { ...month, amount };
  });
}

/**
 * The rows of a time-based schedule, and its fiscal years (the same rows when yearly); months add up to their years.
 * With `lastYear` (accumulating to a date in that fiscal year), the years before it stay whole-year rows — their
 * months add up to them exactly — and only that year is split into months.
 */
function timeRows(curve: AccrualCurve, calendar: FiscalCalendar, convention: Convention, frequency: PeriodFrequency, placedDay: number, base: Dec, minorUnits: number, lastYear?: number, untilDay?: number) {
  const years: PlannedRow[] = roundRows(yearRows(curve, calendar), base, minorUnits, true);
  if (frequency === 'year') return { years, rows: years };
  if (lastYear !== undefined) {
    // Trailing months with nothing to depreciate are trimmed from a whole schedule only; a single year keeps them.
    // The months of that year up to `untilDay` add up to their cumulative share of the year (roundMonthsOfYear),
    // so they are one row here: the year's amount when they are all its months, else its share of the year so far.
    if (lastYear >= years.length) return { years, rows: years };
    const months = monthRows(curve, calendar, convention, placedDay, lastYear, untilDay);
    const upTo = months.filter((m) => untilDay === undefined || m.end <= untilDay);
    const rows: PlannedRow[] = years.slice(0, lastYear);
    if (upTo.length) {
      const year = years[lastYear];
      const exact = upTo.reduce((a, m) => a.plus(m.exact), ZERO);
      const amount = upTo.length === months.length ? year.amount : shareOfYear(year, exact, minorUnits);
      rows.push({ start: upTo[0].start, end: upTo[upTo.length - 1].end, exact, amount });
    }
    return { years, rows };
  }
  const months = trimTrailing(monthRows(curve, calendar, convention, placedDay));
  return { years, rows: years.flatMap((year, j) => roundMonthsOfYear(months.filter((m) => m.year === j), year, minorUnits)) };
}

/**
 * `throughDay`: the plan is only summed up to that day (scheduledAccumulatedAt), so a monthly schedule keeps
 * the fiscal years before it as year rows and splits only that day's year into months.
 */
function plan(input: DepreciationInput, throughDay?: number): Plan | undefined {
  assertValid(input);
  if (input.method === 'none') return undefined;
  const cost = dec(input.cost);
  const isMacrs = input.method === 'macrs';
  const salvage = isMacrs ? ZERO : dec(input.salvageValue ?? 0);
  const base = cost.minus(salvage);
  const minorUnits = input.minorUnits ?? DEFAULT_MINOR_UNITS;
  const placedDay = parseDay(input.placedInService!);
  const calendar = new FiscalCalendar(parseFiscalYearStart(input.fiscalYearStart ?? '01-01')!, placedDay);
  const convention = defaultConvention(input);
  const frequency = input.periodFrequency ?? 'year';
  const common = { cost, base, minorUnits, calendar, convention, placedDay, isMacrs };
  if (base.isZero()) return { ...common, years: [], rows: [] };

  if (input.method === 'units-of-production') {
    const periods = unitsOfProductionAmounts(base, dec(input.totalUnits!), input.unitsByPeriod!.map((u) => dec(u)));
    const firstMonth = calendar.locate(placedDay).month;
    const rows = periods.map(({ amount }, i) =>
      frequency === 'year'
        ? { start: calendar.yearStart(i), end: calendar.yearStart(i + 1) - 1, exact: amount }
        : { start: calendar.monthStart(0, firstMonth + i), end: calendar.monthStart(0, firstMonth + i + 1) - 1, exact: amount },
    );
    return { ...common, years: [], rows: roundRows(rows, base, minorUnits, periods.at(-1)?.exhausts ?? false) };
  }

  const start = startPoint(calendar, convention, placedDay);
  const quarter = (Math.floor(calendar.locate(placedDay).month / 3) + 1) as 1 | 2 | 3 | 4;
  const curve = new AccrualCurve(curveSegments(input, cost, salvage, start, quarter));
  const lastYear = throughDay === undefined ? undefined : calendar.locate(Math.max(throughDay, placedDay)).year;
  return { ...common, curve, ...timeRows(curve, calendar, convention, frequency, placedDay, base, minorUnits, lastYear, throughDay) };
}

function toScheduleRows(p: Plan): ScheduleRow[] {
  let accumulated = ZERO;
  return p.rows.map((row, i) => {
    accumulated = accumulated.plus(row.amount);
    return {
      period: i + 1,
      periodStart: isoDate(row.start),
      periodEnd: isoDate(row.end),
      amount: amountText(row.amount, p.minorUnits),
      accumulated: amountText(accumulated, p.minorUnits),
      bookValue: amountText(p.cost.minus(accumulated), p.minorUnits),
    };
  });
}

/**
 * The depreciation schedule of an asset. Throws DepreciationInputError (with every problem) on
 * invalid input. See the file comment for periods, rounding and 'none'.
 */
export function depreciationSchedule(input: DepreciationInput): ScheduleRow[] {
  const p = plan(input);
  return p ? toScheduleRows(p) : [];
}

/**
 * The schedule's accumulated depreciation at the end of the last row that ends on or before
 * `periodEnd` (0 before the first row), as depreciationSchedule would show it, without building
 * the rows after that date's fiscal year or any text. What a period run posts up to; a run over a
 * large register calls it once per asset and book.
 */
export function scheduledAccumulatedAt(input: DepreciationInput, periodEnd: string): Dec {
  const day = parseIsoDate(periodEnd);
  if (!day) throw new DepreciationInputError([{ field: 'periodEnd', message: 'must be a date YYYY-MM-DD' }]);
  const p = plan(input, parseDay(periodEnd));
  if (!p) return ZERO;
  const end = parseDay(periodEnd);
  let accumulated = ZERO;
  for (const row of p.rows) {
    if (row.end > end) break;
    accumulated = accumulated.plus(row.amount);
  }
  return accumulated;
}

export interface DepreciationToDate {
  /** Accumulated depreciation up to and including `date`, under the convention. */
  accumulated: string;
  /** Cost − accumulated. */
  bookValue: string;
  /**
   * The depreciation of the period containing `date` up to that date, beyond the rows before it:
   * what a disposal posts for its period. It can be negative under an averaging convention, where
   * monthly rows already posted in the year exceed the part-year the convention allows.
   */
  periodAmount: string;
  /** The schedule row (1-based) containing `date`; null before the asset is in service or after its schedule. */
  period: number | null;
}

/**
 * Accumulated depreciation up to and including `date` (a disposal, a revaluation…), with the
 * period's partial depreciation under the convention: half-year gives half of the year of disposal,
 * mid-quarter up to the middle of the quarter (Pub 946: 12.5 / 37.5 / 62.5 / 87.5 % of the year),
 * mid-month half of the month, full-month none of the month, actual-days the days through the date,
 * full-year none of the year. Under MACRS, property placed in service and disposed of in the same
 * tax year gets no depreciation (Pub 946, ch. 4). Units of production counts the units recorded for
 * the period containing the date in full.
 */
export function depreciationUpTo(input: DepreciationInput, date: string): DepreciationToDate {
  const p = plan(input);
  if (!parseIsoDate(date)) throw new DepreciationInputError([{ field: 'date', message: 'must be a date YYYY-MM-DD' }]);
  const cost = dec(input.cost);
  const minorUnits = input.minorUnits ?? DEFAULT_MINOR_UNITS;
  const result = (accumulated: Dec, periodAmount: Dec, period: number | null): DepreciationToDate => ({
    accumulated: amountText(accumulated, minorUnits),
    bookValue: amountText(cost.minus(accumulated), minorUnits),
    periodAmount: amountText(periodAmount, minorUnits),
    period,
  });
  if (!p) return result(ZERO, ZERO, null);

  const day = parseDay(date);
  const index = p.rows.findIndex((row) => row.start <= day && day <= row.end);
  const before = index < 0 ? p.rows : p.rows.slice(0, index);
  const postedBefore = before.reduce((a, r) => a.plus(r.amount), ZERO);
  if (day < p.placedDay) return result(ZERO, ZERO, null);
  if (index < 0) return result(postedBefore, ZERO, null);
  if (!p.curve) return result(postedBefore.plus(p.rows[index].amount), p.rows[index].amount, index + 1);

  // The fiscal year's share up to the deemed point, on top of the years before it: at any period end this is
  // exactly the schedule's accumulated depreciation.
  const { year } = p.calendar.locate(day);
  const point = disposalPoint(p.calendar, p.convention, day);
  if (point.gte(p.curve.end)) return result(p.base, p.base.minus(postedBefore), index + 1);
  const sameTaxYear = p.isMacrs && year === 0;
  const exactInYear = sameTaxYear ? ZERO : p.curve.between(new D(year), point);
  const yearsBefore = p.years.slice(0, year).reduce((a, r) => a.plus(r.amount), ZERO);
  const accumulated = min(max(yearsBefore.plus(shareOfYear(p.years[year], exactInYear, p.minorUnits)), ZERO), p.base);
  return result(accumulated, accumulated.minus(postedBefore), index + 1);
}

/**
 * The useful life left at `date` (the first day of a fiscal period), in years of the fiscal time
 * line: from where the convention puts that month's start (never before the deemed start of
 * depreciation) to the end of the asset's accrual curve, so 0 once the life is over. Null when the
 * method does not depreciate over time (units of production, none). A revaluation or impairment
 * that gives no new life continues over this (IAS 16 ¶50, IAS 36 ¶63).
 */
export function usefulLifeLeft(input: DepreciationInput, date: string): string | null {
  const p = plan(input);
  if (!p?.curve) return null;
  if (!parseIsoDate(date)) throw new DepreciationInputError([{ field: 'date', message: 'must be a date YYYY-MM-DD' }]);
  const day = parseDay(date);
  const start = startPoint(p.calendar, p.convention, p.placedDay);
  const { year, month } = p.calendar.locate(day);
  const here = day <= p.placedDay ? start : max(pointOfMonthStart(p.calendar, p.convention, year, month), start);
  return max(p.curve.end.minus(here), ZERO).toFixed();
}
