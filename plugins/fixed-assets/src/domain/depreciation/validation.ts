/**
 * Input checks for depreciation: every problem at once, each naming the field as the client sent
 * it, so the HTTP layer can answer 422 with all of them.
 */
import { type Dec, tryDec } from '../money.js';
import { parseFiscalYearStart, parseIsoDate } from './fiscal-calendar.js';
import {
  CONVENTIONS,
  DEPRECIATION_METHODS,
  type DepreciationInput,
  type DepreciationMethod,
  type InputProblem,
  MACRS_RECOVERY_PERIODS,
  PERIOD_FREQUENCIES,
} from './types.js';

/** Longest useful life accepted, in years (keeps a monthly schedule to a few thousand rows). */
export const MAX_USEFUL_LIFE_YEARS = 200;
/** Most periods of units a units-of-production schedule takes. */
export const MAX_UNIT_PERIODS = 2400;

const DECLINING: readonly DepreciationMethod[] = ['declining-balance', 'double-declining-balance', '150-declining-balance'];
const NEEDS_LIFE: readonly DepreciationMethod[] = ['straight-line', ...DECLINING, 'sum-of-years-digits'];

const isOneOf = <T extends string>(list: readonly T[], value: unknown): value is T => typeof value === 'string' && (list as readonly string[]).includes(value);
const given = (value: unknown) => value !== undefined && value !== null;

/** A decimal field: the parsed value, or a problem when it is given and is not a decimal. */
function decimalField(problems: InputProblem[], field: string, value: unknown): Dec | undefined {
  if (!given(value)) return undefined;
  const parsed = tryDec(value);
  if (!parsed) problems.push({ field, message: 'must be a decimal number' });
  return parsed;
}

export function validateDepreciationInput(input: DepreciationInput): InputProblem[] {
  const problems: InputProblem[] = [];
  const problem = (field: string, message: string) => problems.push({ field, message });
  if (typeof input !== 'object' || input === null) return [{ field: '', message: 'must be an object' }];

  const method = input.method;
  if (!isOneOf(DEPRECIATION_METHODS, method)) {
    problem('method', `must be one of ${DEPRECIATION_METHODS.join(', ')}`);
    return problems;
  }

  const cost = decimalField(problems, 'cost', input.cost);
  if (!given(input.cost)) problem('cost', 'is required');
  else if (cost?.isNegative()) problem('cost', 'must not be negative');
  if (method === 'none') return problems;

  if (method !== 'macrs') {
    const salvage = decimalField(problems, 'salvageValue', input.salvageValue);
    if (salvage?.isNegative()) problem('salvageValue', 'must not be negative');
    else if (salvage && cost && !cost.isNegative() && salvage.gt(cost)) problem('salvageValue', 'must not exceed cost');
  }

  if (NEEDS_LIFE.includes(method)) {
    const life = decimalField(problems, 'usefulLifeYears', input.usefulLifeYears);
    if (!given(input.usefulLifeYears)) problem('usefulLifeYears', `is required for ${method}`);
    else if (life && !life.gt(0)) problem('usefulLifeYears', 'must be greater than 0');
    else if (life?.gt(MAX_USEFUL_LIFE_YEARS)) problem('usefulLifeYears', `must be at most ${MAX_USEFUL_LIFE_YEARS}`);
  }

  if (method === 'macrs') {
    if (!given(input.recoveryPeriodYears)) problem('recoveryPeriodYears', 'is required for macrs');
    else if (!(MACRS_RECOVERY_PERIODS as readonly unknown[]).includes(input.recoveryPeriodYears))
      problem('recoveryPeriodYears', `must be one of ${MACRS_RECOVERY_PERIODS.join(', ')} (MACRS GDS property classes)`);
  }

  const factor = decimalField(problems, 'factor', input.factor);
  const rate = decimalField(problems, 'rate', input.rate);
  if (given(input.factor) && method !== 'declining-balance')
    problem('factor', method === 'double-declining-balance' || method === '150-declining-balance' ? `is fixed by ${method}; use declining-balance to give another` : `is not used by ${method}`);
  else if (factor && !factor.gt(0)) problem('factor', 'must be greater than 0');
  if (given(input.rate) && method !== 'declining-balance') problem('rate', `is not used by ${method}; use declining-balance`);
  else if (rate && (!rate.gt(0) || rate.gt(1))) problem('rate', 'must be greater than 0 and at most 1');
  if (method === 'declining-balance' && given(input.rate) && given(input.factor)) problem('rate', 'give rate or factor, not both');
  if (method === 'declining-balance' && !given(input.rate) && !given(input.factor)) {
    // Excel DB derives the rate from salvage / cost: with no salvage the "rate" would be 100 %.
    const salvage = tryDec(input.salvageValue ?? 0);
    if (salvage && !salvage.gt(0)) problem('salvageValue', 'must be greater than 0 to derive the fixed declining-balance rate (or give rate or factor)');
  }
  if (given(input.switchToStraightLine) && typeof input.switchToStraightLine !== 'boolean') problem('switchToStraightLine', 'must be true or false');

  if (given(input.convention)) {
    if (!isOneOf(CONVENTIONS, input.convention)) problem('convention', `must be one of ${CONVENTIONS.join(', ')}`);
    else if (method === 'macrs' && input.convention !== 'half-year' && input.convention !== 'mid-quarter')
      problem('convention', 'MACRS uses the half-year or the mid-quarter convention');
  }

  if (!given(input.placedInService)) problem('placedInService', 'is required');
  else if (!parseIsoDate(input.placedInService)) problem('placedInService', 'must be a date YYYY-MM-DD');
  if (given(input.fiscalYearStart) && !parseFiscalYearStart(input.fiscalYearStart))
    problem('fiscalYearStart', 'must be MM-DD with a month 01–12 and a day 01–28');
  if (given(input.periodFrequency) && !isOneOf(PERIOD_FREQUENCIES, input.periodFrequency)) problem('periodFrequency', `must be one of ${PERIOD_FREQUENCIES.join(', ')}`);
  if (given(input.minorUnits) && !(Number.isInteger(input.minorUnits) && input.minorUnits! >= 0 && input.minorUnits! <= 6))
    problem('minorUnits', 'must be a whole number from 0 to 6');

  if (method === 'units-of-production') {
    const total = decimalField(problems, 'totalUnits', input.totalUnits);
    if (!given(input.totalUnits)) problem('totalUnits', 'is required for units-of-production');
    else if (total && !total.gt(0)) problem('totalUnits', 'must be greater than 0');
    if (!Array.isArray(input.unitsByPeriod) || input.unitsByPeriod.length === 0) problem('unitsByPeriod', 'is required for units-of-production: a non-empty list of units per period');
    else if (input.unitsByPeriod.length > MAX_UNIT_PERIODS) problem('unitsByPeriod', `must have at most ${MAX_UNIT_PERIODS} periods`);
    else
      input.unitsByPeriod.forEach((units, i) => {
        const parsed = tryDec(units);
        if (!parsed) problem(`unitsByPeriod[${i}]`, 'must be a decimal number');
        else if (parsed.isNegative()) problem(`unitsByPeriod[${i}]`, 'must not be negative');
      });
  }
  return problems;
}
