import Decimal from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { type DepreciationInput, depreciationSchedule } from '../../src/domain/depreciation/index.js';
import { amounts, periods, total } from './support.js';

const percentOf = (amount: string, cost: number, places: number) => new Decimal(amount).div(cost).times(100).toFixed(places);

describe('mid-month convention', () => {
  it('reproduces Pub 946 Table A-6 (27.5-year residential rental, straight line, mid-month), first recovery year by month placed', () => {
    // Source: IRS Publication 946, Appendix A, Table A-6, year 1 for property placed in service in month 1 … 12.
    const published = ['3.485', '3.182', '2.879', '2.576', '2.273', '1.970', '1.667', '1.364', '1.061', '0.758', '0.455', '0.152'];
    const firstYear = published.map((_, m) => {
      const placedInService = `2024-${String(m + 1).padStart(2, '0')}-20`;
      const rows = depreciationSchedule({ method: 'straight-line', convention: 'mid-month', cost: 100000, usefulLifeYears: 27.5, placedInService });
      return percentOf(rows[0].amount, 100000, 3);
    });
    expect(firstYear).toEqual(published);
  });

  it('Table A-6: a full year is 3.636 %, and January property ends half-way through July of year 28 (1.970 %)', () => {
    // Pub 946 Table A-6, month 1 column: years 2–9 3.636, year 28 1.970, nothing in year 29.
    const rows = depreciationSchedule({ method: 'straight-line', convention: 'mid-month', cost: 100000, usefulLifeYears: 27.5, placedInService: '2024-01-05' });
    expect(percentOf(rows[1].amount, 100000, 3)).toBe('3.636');
    expect(rows).toHaveLength(28);
    expect(percentOf(rows[27].amount, 100000, 3)).toBe('1.970');
  });

  it('monthly rows take half of the month placed in service', () => {
    // Table A-6 logic at month level: 100,000 / 330 months = 303.03 a month, 151.52 for the first half month.
    const rows = depreciationSchedule({ method: 'straight-line', convention: 'mid-month', cost: 100000, usefulLifeYears: 27.5, placedInService: '2024-03-20', periodFrequency: 'month' });
    expect(amounts(rows.slice(0, 3))).toEqual(['151.52', '303.03', '303.03']);
    expect(rows).toHaveLength(331);
    expect(total(rows)).toBe('100000.00');
  });
});

describe('half-year convention', () => {
  it('reproduces Pub 946 Table A-8 (straight line, half-year), 5-year: 10, 20, 20, 20, 20, 10 %', () => {
    // Source: IRS Publication 946, Appendix A, Table A-8, recovery period 5 years.
    const rows = depreciationSchedule({ method: 'straight-line', convention: 'half-year', cost: 10000, usefulLifeYears: 5, placedInService: '2024-11-28' });
    expect(amounts(rows)).toEqual(['1000.00', '2000.00', '2000.00', '2000.00', '2000.00', '1000.00']);
  });
});

describe('mid-quarter convention', () => {
  it.each([
    ['2024-01-01', 'A-9 (first quarter)', ['17.50', '20.00', '20.00', '20.00', '20.00', '2.50']],
    ['2024-06-30', 'A-10 (second quarter)', ['12.50', '20.00', '20.00', '20.00', '20.00', '7.50']],
    ['2024-08-12', 'A-11 (third quarter)', ['7.50', '20.00', '20.00', '20.00', '20.00', '12.50']],
    ['2024-12-31', 'A-12 (fourth quarter)', ['2.50', '20.00', '20.00', '20.00', '20.00', '17.50']],
  ])('placed %s reproduces Pub 946 Table %s, straight line 5-year', (placedInService, _table, published) => {
    // Source: IRS Publication 946, Appendix A, Tables A-9 to A-12 (straight line, mid-quarter), recovery period 5 years.
    const rows = depreciationSchedule({ method: 'straight-line', convention: 'mid-quarter', cost: 10000, usefulLifeYears: 5, placedInService });
    expect(rows.map((r) => percentOf(r.amount, 10000, 2))).toEqual(published);
  });
});

describe('full-month, actual-days and full-year conventions', () => {
  // Excel SLN example (Microsoft Support, "SLN function"): 30,000 cost, 7,500 salvage, 10 years → 2,250 a year.
  const sln: DepreciationInput = { method: 'straight-line', cost: 30000, salvageValue: 7500, usefulLifeYears: 10, placedInService: '2024-06-15' };

  it('full-month: the month placed in service counts in full (7 months of 2,250 in the first year, as DB’s month = 7)', () => {
    // Months June–December = 7 (Microsoft "DB function": month = months in the first year); 2,250 × 7/12 = 1,312.50.
    const rows = depreciationSchedule({ ...sln, convention: 'full-month' });
    expect(rows[0].amount).toBe('1312.50');
    expect(rows).toHaveLength(11);
    expect(rows[10].amount).toBe('937.50'); // the 5 months left: 2,250 × 5/12
  });

  it('full-month is the default for book methods', () => {
    expect(depreciationSchedule(sln)[0].amount).toBe('1312.50');
  });

  it('actual-days: days in service / days in the year', () => {
    // 1 July – 31 December 2023 = 184 of 365 days: 2,250 × 184 / 365 = 1,134.2466 → 1,134.25; the remaining
    // 181/365 of a year falls in 2033: 2,250 × 181 / 365 = 1,115.75.
    const rows = depreciationSchedule({ ...sln, convention: 'actual-days', placedInService: '2023-07-01' });
    expect(rows[0].amount).toBe('1134.25');
    expect(rows[1].amount).toBe('2250.00');
    expect(rows.at(-1)).toMatchObject({ periodStart: '2033-01-01', amount: '1115.75', bookValue: '7500.00' });
  });

  it('full-year: a whole year in the year placed in service', () => {
    // 2,250 in each of 2024–2033 although the asset arrived in June.
    const rows = depreciationSchedule({ ...sln, convention: 'full-year' });
    expect(amounts(rows)).toEqual(Array(10).fill('2250.00'));
    expect(periods(rows)[0]).toEqual(['2024-01-01', '2024-12-31']);
  });
});

describe('fiscal years', () => {
  it('a year from 1 July: rows run July–June, the first row starting on the fiscal year’s first day', () => {
    // Excel SLN figures (2,250 a year) in a July–June year; placed 15 September 2024 (full-month: Sep–Jun = 10 months).
    const rows = depreciationSchedule({ method: 'straight-line', cost: 30000, salvageValue: 7500, usefulLifeYears: 10, placedInService: '2024-09-15', fiscalYearStart: '07-01' });
    expect(periods(rows).slice(0, 2)).toEqual([
      ['2024-07-01', '2025-06-30'],
      ['2025-07-01', '2026-06-30'],
    ]);
    expect(rows[0].amount).toBe('1875.00'); // 2,250 × 10/12
    expect(rows.at(-1)).toMatchObject({ periodStart: '2034-07-01', periodEnd: '2035-06-30', amount: '375.00' }); // July–August 2034
  });

  it('a year from 1 April, monthly: fiscal months and the leap day', () => {
    // SLN 187.50 a month; fiscal year 2023 runs 1 April 2023 – 31 March 2024.
    const rows = depreciationSchedule({ method: 'straight-line', cost: 30000, salvageValue: 7500, usefulLifeYears: 10, placedInService: '2024-02-10', fiscalYearStart: '04-01', periodFrequency: 'month' });
    expect(periods(rows).slice(0, 3)).toEqual([
      ['2024-02-01', '2024-02-29'],
      ['2024-03-01', '2024-03-31'],
      ['2024-04-01', '2024-04-30'],
    ]);
    expect(amounts(rows.slice(0, 3))).toEqual(['187.50', '187.50', '187.50']);
    expect(rows).toHaveLength(120);
  });

  it('a year that starts mid-month (6 April): fiscal months run from the 6th to the 5th', () => {
    // UK tax year; SLN 187.50 a month.
    const rows = depreciationSchedule({ method: 'straight-line', cost: 30000, salvageValue: 7500, usefulLifeYears: 10, placedInService: '2024-04-05', fiscalYearStart: '04-06', periodFrequency: 'month' });
    expect(periods(rows).slice(0, 2)).toEqual([
      ['2024-03-06', '2024-04-05'],
      ['2024-04-06', '2024-05-05'],
    ]);
    const yearly = depreciationSchedule({ method: 'straight-line', cost: 30000, salvageValue: 7500, usefulLifeYears: 10, placedInService: '2024-04-05', fiscalYearStart: '04-06' });
    expect(yearly[0]).toMatchObject({ periodStart: '2023-04-06', periodEnd: '2024-04-05', amount: '187.50' });
  });
});

describe('short lives under an averaging convention', () => {
  it('a life that ends (by the convention) before the month placed still lands in that month, never negative', () => {
    // Half-year: a quarter-year life deemed to run mid-year to end of September; placed in November.
    const rows = depreciationSchedule({ method: 'straight-line', convention: 'half-year', cost: 1000, usefulLifeYears: 0.25, placedInService: '2024-11-05', periodFrequency: 'month' });
    expect(rows).toEqual([{ period: 1, periodStart: '2024-11-01', periodEnd: '2024-11-30', amount: '1000.00', accumulated: '1000.00', bookValue: '0.00' }]);
  });
});
