/**
 * Declining balance: each fiscal year takes rate × the book value at its start, × the fraction of
 * the year the asset is in service (so a first year of 7 months takes 7/12 of a year — Excel DB's
 * `month` argument, Excel VDB's fractional periods). Never below salvage. The last fiscal year of
 * the life takes whatever is left above salvage, so the asset ends its life at salvage exactly.
 *
 * The rate:
 *   - 'double-declining-balance': 2 / life; '150-declining-balance': 1.5 / life;
 *   - 'declining-balance' with `rate`: that rate; with `factor`: factor / life;
 *   - 'declining-balance' with neither: Excel DB's fixed rate, 1 − (salvage / cost)^(1 / life),
 *     rounded to three decimal places (Microsoft's DB documentation).
 *
 * With switchToStraightLine, a year takes the straight-line amount instead — the book value above
 * salvage spread over the life remaining — when that is larger (Excel VDB with no_switch = FALSE,
 * and how the IRS builds the MACRS tables).
 */
import { D, type Dec, ONE, ZERO, max, min } from '../money.js';
import { type Segment, fiscalYearPieces } from './accrual-curve.js';
import type { DepreciationMethod } from './types.js';

/** Excel DB's rate: 1 − (salvage / cost)^(1 / life), rounded to three decimals (half-up, like ROUND). */
export function fixedDecliningBalanceRate(cost: Dec, salvageValue: Dec, usefulLifeYears: Dec): Dec {
  if (cost.isZero()) return ZERO;
  return ONE.minus(salvageValue.div(cost).pow(ONE.div(usefulLifeYears))).toDecimalPlaces(3, D.ROUND_HALF_UP);
}

export interface DecliningBalanceTerms {
  method: DepreciationMethod;
  cost: Dec;
  salvageValue: Dec;
  usefulLifeYears: Dec;
  rate?: Dec;
  factor?: Dec;
}

/** The annual rate a declining-balance method uses (see the file comment). */
export function decliningBalanceRate({ method, cost, salvageValue, usefulLifeYears, rate, factor }: DecliningBalanceTerms): Dec {
  if (method === 'double-declining-balance') return new D(2).div(usefulLifeYears);
  if (method === '150-declining-balance') return new D(1.5).div(usefulLifeYears);
  if (rate) return rate;
  if (factor) return factor.div(usefulLifeYears);
  return fixedDecliningBalanceRate(cost, salvageValue, usefulLifeYears);
}

export function decliningBalanceSegments(
  cost: Dec,
  salvageValue: Dec,
  usefulLifeYears: Dec,
  annualRate: Dec,
  switchToStraightLine: boolean,
  start: Dec,
): Segment[] {
  const end = start.plus(usefulLifeYears);
  const pieces = fiscalYearPieces(start, end);
  let bookValue = cost;
  return pieces.map(({ from, to }, i) => {
    const left = bookValue.minus(salvageValue);
    const yearFraction = to.minus(from);
    let amount: Dec;
    if (i === pieces.length - 1) {
      amount = left;
    } else {
      amount = bookValue.times(annualRate).times(yearFraction);
      if (switchToStraightLine) amount = max(amount, left.times(yearFraction).div(end.minus(from)));
      amount = max(ZERO, min(amount, left));
    }
    bookValue = bookValue.minus(amount);
    return { from, to, amount };
  });
}
