/**
 * MACRS (General Depreciation System) from the IRS percentage tables, Publication 946 Appendix A.
 *
 * Recovery year k is tax year k (our fiscal year: tax years follow `fiscalYearStart`); year 1 is
 * the tax year the property is placed in service, and the quarter for the mid-quarter tables is
 * the quarter of that tax year. Each year's deduction is the unadjusted basis × the table
 * percentage. Salvage value plays no part in MACRS (Pub 946, ch. 4: "salvage value is treated as
 * zero"), so the schedule recovers exactly the basis.
 *
 * Which convention applies is the taxpayer's 40 % test over all property placed in service in the
 * tax year — macrsConvention below; a single schedule defaults to half-year.
 */
import { type DecimalInput, type Dec, ZERO, dec, tryDec } from '../money.js';
import { type Segment, fiscalYearPieces } from './accrual-curve.js';
import { FiscalCalendar, parseDay, parseFiscalYearStart, parseIsoDate } from './fiscal-calendar.js';
import { MID_QUARTER_TABLES, TABLE_A1_HALF_YEAR } from './macrs-tables.js';
import { DepreciationInputError, type InputProblem, type MacrsConvention, type MacrsRecoveryPeriod } from './types.js';

/** The published percentages for a recovery period, convention and (mid-quarter) quarter placed in service. */
export function macrsPercentages(recoveryPeriodYears: MacrsRecoveryPeriod, convention: MacrsConvention, quarter: 1 | 2 | 3 | 4 = 1): readonly string[] {
  return convention === 'half-year' ? TABLE_A1_HALF_YEAR[recoveryPeriodYears] : MID_QUARTER_TABLES[quarter][recoveryPeriodYears];
}

/**
 * Tax year k accrues basis × percentage k over the part of the year inside the recovery period
 * (which starts at `start`: mid-year, or mid-quarter, and lasts the recovery period), so a
 * disposal part-way through a year gets the Pub 946 share of that year's deduction.
 */
export function macrsSegments(basis: Dec, percentages: readonly string[], recoveryPeriodYears: number, start: Dec): Segment[] {
  const pieces = fiscalYearPieces(start, start.plus(recoveryPeriodYears));
  return pieces.map(({ from, to }, k) => ({ from, to, amount: basis.times(percentages[k] ?? 0).div(100) }));
}

export interface MacrsPlacement {
  placedInService: string;
  /** Depreciable basis of the property. */
  basis: DecimalInput;
  /** Property placed in service and disposed of in the same tax year does not count (IRC §168(d)(3)(B)(ii)). */
  disposedInSameYear?: boolean;
}

/**
 * The 40 % test (IRC §168(d)(3); Pub 946, ch. 4, "Which Convention Applies?"): the mid-quarter
 * convention applies to all property placed in service during a tax year when the depreciable
 * bases of the property placed in service in the last three months of that year are more than
 * 40 % of the bases of all property placed in service in it; otherwise half-year.
 * Nonresidential real and residential rental property (mid-month, not counted) are not supported.
 * All placements must fall in one tax year.
 */
export function macrsConvention(input: { placements: MacrsPlacement[]; fiscalYearStart?: string }): MacrsConvention {
  const problems: InputProblem[] = [];
  const fiscalYearStart = parseFiscalYearStart(input.fiscalYearStart ?? '01-01');
  if (!fiscalYearStart) problems.push({ field: 'fiscalYearStart', message: 'must be MM-DD with a month 01–12 and a day 01–28' });
  if (!Array.isArray(input.placements)) problems.push({ field: 'placements', message: 'must be a list' });
  const placements = Array.isArray(input.placements) ? input.placements : [];
  placements.forEach((p, i) => {
    if (!parseIsoDate(p?.placedInService)) problems.push({ field: `placements[${i}].placedInService`, message: 'must be a date YYYY-MM-DD' });
    const basis = tryDec(p?.basis);
    if (!basis || basis.isNegative()) problems.push({ field: `placements[${i}].basis`, message: 'must be a decimal number ≥ 0' });
  });
  if (problems.length || !fiscalYearStart) throw new DepreciationInputError(problems);

  const counted = placements.filter((p) => !p.disposedInSameYear);
  if (!counted.length) return 'half-year';
  const calendar = new FiscalCalendar(fiscalYearStart, parseDay(counted[0].placedInService));
  let total = ZERO;
  let lastQuarter = ZERO;
  for (const p of counted) {
    const { year, month } = calendar.locate(parseDay(p.placedInService));
    if (year !== 0) throw new DepreciationInputError([{ field: 'placements', message: 'all placements must fall in one tax year' }]);
    const basis = dec(p.basis);
    total = total.plus(basis);
    if (month >= 9) lastQuarter = lastQuarter.plus(basis);
  }
  return lastQuarter.gt(total.times(0.4)) ? 'mid-quarter' : 'half-year';
}
