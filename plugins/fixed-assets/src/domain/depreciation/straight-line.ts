/**
 * Straight line: the depreciable base (cost − salvage) accrues evenly over the useful life,
 * (cost − salvage) / life a year — Excel SLN. The convention decides where the life starts, so a
 * mid-year start gives a part-year first and last fiscal year.
 */
import type { Dec } from '../money.js';
import type { Segment } from './accrual-curve.js';

export function straightLineSegments(depreciableBase: Dec, usefulLifeYears: Dec, start: Dec): Segment[] {
  return [{ from: start, to: start.plus(usefulLifeYears), amount: depreciableBase }];
}
