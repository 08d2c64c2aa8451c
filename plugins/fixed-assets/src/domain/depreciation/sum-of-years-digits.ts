/**
 * Sum-of-the-years'-digits: life year k takes (N − k + 1) / (N(N + 1)/2) of the depreciable base
 * (Excel SYD). Each life year is its own segment on the time line, so with a mid-year start a life
 * year is split across two fiscal years, as textbooks do it (Kieso, "Depreciation and Partial
 * Periods").
 *
 * A fractional life (which only prospective changes produce, e.g. 3.5 years left) weighs each life
 * year by its length × the life remaining at its start: whole years keep the integer digits, and a
 * last part-year of length f weighs f².
 */
import { type Dec, ZERO } from '../money.js';
import { type Segment, lifeYearLengths, lifeYearSegments } from './accrual-curve.js';

export function sumOfYearsDigitsWeights(usefulLifeYears: Dec): { lengths: Dec[]; weights: Dec[] } {
  const lengths = lifeYearLengths(usefulLifeYears);
  let remaining = usefulLifeYears;
  const weights = lengths.map((length) => {
    const weight = length.times(remaining);
    remaining = remaining.minus(length);
    return weight;
  });
  return { lengths, weights };
}

export function sumOfYearsDigitsSegments(depreciableBase: Dec, usefulLifeYears: Dec, start: Dec): Segment[] {
  const { lengths, weights } = sumOfYearsDigitsWeights(usefulLifeYears);
  const digits = weights.reduce((a, w) => a.plus(w), ZERO);
  return lifeYearSegments(
    start,
    lengths,
    weights.map((w) => depreciableBase.times(w).div(digits)),
  );
}
