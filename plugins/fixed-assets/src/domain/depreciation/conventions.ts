/**
 * Partial-period conventions: where on the fiscal time line (see accrual-curve.ts) an asset is
 * deemed to start depreciating, and where it is deemed to stop when disposed of.
 *
 *   full-month   the month placed in service counts in full; the month of disposal not at all
 *   mid-month    half of the month placed in service; half of the month of disposal
 *   half-year    half of the fiscal year placed in service; half of the year of disposal
 *                (so property placed and disposed of in one year gets nothing, as under MACRS)
 *   mid-quarter  from the middle of the fiscal quarter placed in service; to the middle of the
 *                quarter of disposal (IRS Pub 946: 1½ months in the quarter)
 *   actual-days  days in service / days in the fiscal year, counting the day placed in service
 *                and the day of disposal
 *   full-year    a full year in the fiscal year placed in service; none in the year of disposal
 *
 * Half-year, mid-quarter and full-year are averaging conventions: they move the start to a point
 * that may lie before or after the real in-service date. Monthly schedules under them spread each
 * fiscal year's depreciation evenly over the months the asset is really in service (schedule.ts).
 */
import { D, type Dec } from '../money.js';
import type { FiscalCalendar } from './fiscal-calendar.js';
import type { Convention } from './types.js';

const TWELVE = new D(12);

export const isAveragingConvention = (convention: Convention): boolean =>
  convention === 'half-year' || convention === 'mid-quarter' || convention === 'full-year';

/** Start of fiscal month m of year j on the time line (m may be 12: the end of the year). */
export function pointOfMonthStart(calendar: FiscalCalendar, convention: Convention, j: number, m: number): Dec {
  if (m >= 12) return new D(j + 1);
  if (convention === 'actual-days') return new D(calendar.monthStart(j, m) - calendar.yearStart(j)).div(calendar.daysInYear(j)).plus(j);
  return new D(m).div(TWELVE).plus(j);
}

/** Where depreciation is deemed to start for an asset placed in service on day n. */
export function startPoint(calendar: FiscalCalendar, convention: Convention, n: number): Dec {
  const { year, month, dayOfYear } = calendar.locate(n);
  switch (convention) {
    case 'full-month':
      return new D(month).div(TWELVE).plus(year);
    case 'mid-month':
      return new D(month).plus(0.5).div(TWELVE).plus(year);
    case 'half-year':
      return new D(year).plus(0.5);
    case 'mid-quarter':
      return new D(Math.floor(month / 3)).plus(0.5).div(4).plus(year);
    case 'actual-days':
      return new D(dayOfYear).div(calendar.daysInYear(year)).plus(year);
    case 'full-year':
      return new D(year);
  }
}

/** Where depreciation is deemed to stop for an asset disposed of on day n (depreciation accrues up to this point). */
export function disposalPoint(calendar: FiscalCalendar, convention: Convention, n: number): Dec {
  const { year, month, dayOfYear } = calendar.locate(n);
  switch (convention) {
    case 'full-month':
      return new D(month).div(TWELVE).plus(year);
    case 'mid-month':
      return new D(month).plus(0.5).div(TWELVE).plus(year);
    case 'half-year':
      return new D(year).plus(0.5);
    case 'mid-quarter':
      return new D(Math.floor(month / 3)).plus(0.5).div(4).plus(year);
    case 'actual-days':
      // The day of disposal is a day in service.
      return new D(dayOfYear + 1).div(calendar.daysInYear(year)).plus(year);
    case 'full-year':
      return new D(year);
  }
}

