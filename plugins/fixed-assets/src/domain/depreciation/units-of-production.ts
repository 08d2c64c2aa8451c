/**
 * Units of production (activity method): a period's depreciation is the depreciable base × the units
 * produced in it / the estimated total units (Kieso, Intermediate Accounting, ch. 11: cost less
 * salvage ÷ total estimated hours = a rate per hour, × the hours used). Never beyond the base: once
 * the units reach the estimate the asset is fully depreciated and the schedule ends there.
 */
import { type Dec, ZERO, min } from '../money.js';

export interface UnitsOfProductionPeriod {
  /** Exact (unrounded) depreciation of the period. */
  amount: Dec;
  /** True for the period in which the cumulative units reach the estimate. */
  exhausts: boolean;
}

export function unitsOfProductionAmounts(depreciableBase: Dec, totalUnits: Dec, unitsByPeriod: Dec[]): UnitsOfProductionPeriod[] {
  const periods: UnitsOfProductionPeriod[] = [];
  let units = ZERO;
  let accrued = ZERO;
  for (const produced of unitsByPeriod) {
    units = units.plus(produced);
    const exhausts = units.gte(totalUnits);
    const amount = exhausts ? depreciableBase.minus(accrued) : min(depreciableBase.times(produced).div(totalUnits), depreciableBase.minus(accrued));
    accrued = accrued.plus(amount);
    periods.push({ amount, exhausts });
    if (exhausts) break;
  }
  return periods;
}
