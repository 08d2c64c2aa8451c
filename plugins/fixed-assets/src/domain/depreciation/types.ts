/** The shapes of the depreciation domain. Amounts travel as decimal strings (or numbers), never as floats to compute with. */
import type { DecimalInput } from '../money.js';

export const DEPRECIATION_METHODS = [
  'straight-line',
  'declining-balance',
  'double-declining-balance',
  '150-declining-balance',
  'sum-of-years-digits',
  'units-of-production',
  'macrs',
  'none',
] as const;
export type DepreciationMethod = (typeof DEPRECIATION_METHODS)[number];

export const CONVENTIONS = ['full-month', 'mid-month', 'half-year', 'mid-quarter', 'actual-days', 'full-year'] as const;
export type Convention = (typeof CONVENTIONS)[number];

export const PERIOD_FREQUENCIES = ['year', 'month'] as const;
export type PeriodFrequency = (typeof PERIOD_FREQUENCIES)[number];

/** MACRS GDS property classes we carry tables for (IRS Pub 946, Table A-1 to A-5). */
export const MACRS_RECOVERY_PERIODS = [3, 5, 7, 10, 15, 20] as const;
export type MacrsRecoveryPeriod = (typeof MACRS_RECOVERY_PERIODS)[number];
export type MacrsConvention = 'half-year' | 'mid-quarter';

/** Input of depreciationSchedule; the HTTP preview endpoint maps 1:1 onto it. */
export interface DepreciationInput {
  method: DepreciationMethod;
  /** Acquisition cost (the depreciable basis for MACRS). */
  cost: DecimalInput;
  /** Residual value the asset is never depreciated below; default 0; ignored by MACRS. */
  salvageValue?: DecimalInput;
  /** Useful life in years (straight-line, declining balance, sum-of-years'-digits); may be fractional, e.g. 2.5. */
  usefulLifeYears?: DecimalInput;
  /** MACRS GDS recovery period: 3, 5, 7, 10, 15 or 20. */
  recoveryPeriodYears?: number;
  /** Declining-balance multiple of the straight-line rate: 2 = double, 1.5 = 150 %. */
  factor?: DecimalInput;
  /** Explicit annual declining-balance rate in (0, 1], e.g. 0.3. */
  rate?: DecimalInput;
  /** Declining balance: switch to straight line over the remaining life once that gives more (like Excel VDB). Default false. */
  switchToStraightLine?: boolean;
  /** Partial-period convention; default 'full-month' (MACRS: 'half-year'). Ignored by units of production. */
  convention?: Convention;
  /** Date placed in service, YYYY-MM-DD. */
  placedInService?: string;
  /** First day of the fiscal year, MM-DD (day 1–28); default '01-01'. */
  fiscalYearStart?: string;
  /** One row per fiscal year (default) or per fiscal month. */
  periodFrequency?: PeriodFrequency;
  /** Units of production: estimated total units over the asset's life. */
  totalUnits?: DecimalInput;
  /** Units of production: units produced in each period, from the period placed in service on. */
  unitsByPeriod?: DecimalInput[];
  /** Decimal places of the currency; default 2. */
  minorUnits?: number;
}

export interface ScheduleRow {
  /** 1-based. */
  period: number;
  /** First day of the fiscal period (for the first row too: the period's start, not the in-service date). */
  periodStart: string;
  /** Last day of the fiscal period. */
  periodEnd: string;
  /** Depreciation of the period, fixed-point text, e.g. "1234.50". */
  amount: string;
  /** Accumulated depreciation at the end of the period. */
  accumulated: string;
  /** Cost less accumulated depreciation at the end of the period. */
  bookValue: string;
}

/** One thing wrong with an input, naming the field as the client sent it (e.g. "unitsByPeriod[2]"). */
export interface InputProblem {
  field: string;
  message: string;
}

/** Thrown instead of computing a schedule from input that makes no sense; the HTTP layer turns it into a 422. */
export class DepreciationInputError extends Error {
  readonly problems: InputProblem[];
  constructor(problems: InputProblem[]) {
    super(`invalid depreciation input: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`);
    this.name = 'DepreciationInputError';
    this.problems = problems;
  }
}
