import { describe, expect, it } from 'vitest';
import { depreciationSchedule } from '../../src/domain/depreciation/index.js';
import { amounts, periods, total } from './support.js';

describe('straight line', () => {
  it('matches Excel SLN: cost 30,000, salvage 7,500, life 10 years → 2,250 a year', () => {
    // Source: Microsoft Support, "SLN function" — =SLN(30000, 7500, 10) = $2,250.
    const rows = depreciationSchedule({ method: 'straight-line', cost: '30000', salvageValue: '7500', usefulLifeYears: 10, placedInService: '2024-01-01' });
    expect(amounts(rows)).toEqual(Array(10).fill('2250.00'));
    expect(rows.at(-1)).toMatchObject({ period: 10, periodStart: '2033-01-01', periodEnd: '2033-12-31', accumulated: '22500.00', bookValue: '7500.00' });
  });

  it('spreads the SLN example over months: 2,250 / 12 = 187.50 a month', () => {
    // Source: Microsoft Support, "SLN function" (2,250 a year), one twelfth per month.
    const rows = depreciationSchedule({ method: 'straight-line', cost: 30000, salvageValue: 7500, usefulLifeYears: 10, placedInService: '2024-01-01', periodFrequency: 'month' });
    expect(rows).toHaveLength(120);
    expect(new Set(amounts(rows))).toEqual(new Set(['187.50']));
    expect(rows[1]).toMatchObject({ periodStart: '2024-02-01', periodEnd: '2024-02-29' });
  });

  it('splits a mid-year start: Kieso Stanley Coal Mines crane bought 1 July, 90,000 a year → 45,000 first and last', () => {
    // Source: Kieso, Weygandt & Warfield, Intermediate Accounting, ch. 11 "Depreciation, Impairments, and Depletion":
    // Stanley Coal Mines crane, cost $500,000, salvage $50,000, life 5 years → straight-line $90,000 a year;
    // "Depreciation and Partial Periods": a half year in the year of purchase and the rest in the sixth year.
    const rows = depreciationSchedule({ method: 'straight-line', cost: 500000, salvageValue: 50000, usefulLifeYears: 5, placedInService: '2025-07-01' });
    expect(amounts(rows)).toEqual(['45000.00', '90000.00', '90000.00', '90000.00', '90000.00', '45000.00']);
    expect(rows.map((r) => r.bookValue)).toEqual(['455000.00', '365000.00', '275000.00', '185000.00', '95000.00', '50000.00']);
  });

  it('follows a fiscal year starting 1 July: the same crane bought 1 July fills five whole fiscal years', () => {
    // Source: Kieso (as above), $90,000 a year; fiscal years July–June.
    const rows = depreciationSchedule({ method: 'straight-line', cost: 500000, salvageValue: 50000, usefulLifeYears: 5, placedInService: '2025-07-01', fiscalYearStart: '07-01' });
    expect(amounts(rows)).toEqual(Array(5).fill('90000.00'));
    expect(periods(rows)).toEqual([
      ['2025-07-01', '2026-06-30'],
      ['2026-07-01', '2027-06-30'],
      ['2027-07-01', '2028-06-30'],
      ['2028-07-01', '2029-06-30'],
      ['2029-07-01', '2030-06-30'],
    ]);
  });

  it('rounds each year on its own, the final year absorbing the difference, and each year’s months add up to it', () => {
    // 1,000 over 3 years = 333.333… a year: 333.33, 333.33 and a final 1,000 − 666.66 = 333.34.
    const yearly = depreciationSchedule({ method: 'straight-line', cost: 1000, usefulLifeYears: 3, placedInService: '2024-01-01' });
    expect(amounts(yearly)).toEqual(['333.33', '333.33', '333.34']);
    // Monthly: 27.777… a month; each month is its running share of its year less the months before (27.78 or 27.77),
    // so a year's months total that year's row and the last month of the schedule ends at zero book value.
    const rows = depreciationSchedule({ method: 'straight-line', cost: 1000, usefulLifeYears: 3, placedInService: '2024-01-01', periodFrequency: 'month' });
    expect(rows).toHaveLength(36);
    expect(amounts(rows.slice(0, 3))).toEqual(['27.78', '27.78', '27.77']);
    expect(rows.every((r) => r.amount === '27.78' || r.amount === '27.77' || r.amount === '27.79')).toBe(true);
    expect([0, 1, 2].map((y) => total(rows.slice(y * 12, y * 12 + 12)))).toEqual(['333.33', '333.33', '333.34']);
    expect(rows[11].accumulated).toBe('333.33');
    expect(rows.at(-1)!.bookValue).toBe('0.00');
  });

  it('honours minor units (0 for a currency without cents)', () => {
    // Excel SLN example again, in a currency without minor units: 22,500 / 10 = 2,250.
    const rows = depreciationSchedule({ method: 'straight-line', cost: 30000, salvageValue: 7500, usefulLifeYears: 10, placedInService: '2024-01-01', minorUnits: 0 });
    expect(rows[0].amount).toBe('2250');
  });
});
