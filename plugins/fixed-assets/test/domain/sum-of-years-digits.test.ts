import { describe, expect, it } from 'vitest';
import { depreciationSchedule } from '../../src/domain/depreciation/index.js';
import { amounts, periods, total } from './support.js';

describe("sum-of-the-years'-digits", () => {
  it('matches Excel SYD: cost 30,000, salvage 7,500, life 10 → year 1 4,090.91, year 10 409.09', () => {
    // Source: Microsoft Support, "SYD function": =SYD(A2,A3,A4,1) = $4,090.91; =SYD(A2,A3,A4,10) = $409.09.
    // Years 2–9 by the documented formula (cost − salvage) × (life − per + 1) × 2 / (life × (life + 1)) = 22,500 × (11 − per) / 55.
    const rows = depreciationSchedule({ method: 'sum-of-years-digits', cost: 30000, salvageValue: 7500, usefulLifeYears: 10, placedInService: '2024-01-01' });
    expect(amounts(rows)).toEqual(['4090.91', '3681.82', '3272.73', '2863.64', '2454.55', '2045.45', '1636.36', '1227.27', '818.18', '409.09']);
    expect(total(rows)).toBe('22500.00');
    expect(rows.at(-1)!.bookValue).toBe('7500.00');
  });

  it('matches Kieso: Stanley Coal Mines crane 5/15, 4/15 … of 450,000', () => {
    // Source: Kieso, Weygandt & Warfield, Intermediate Accounting, ch. 11: sum-of-the-years'-digits schedule for the
    // Stanley Coal Mines crane (cost $500,000, salvage $50,000, 5 years): 150,000, 120,000, 90,000, 60,000, 30,000.
    const rows = depreciationSchedule({ method: 'sum-of-years-digits', cost: 500000, salvageValue: 50000, usefulLifeYears: 5, placedInService: '2025-01-01' });
    expect(amounts(rows)).toEqual(['150000.00', '120000.00', '90000.00', '60000.00', '30000.00']);
  });

  it('splits each depreciation year across two fiscal years when bought mid-year', () => {
    // Source: Kieso, ch. 11 "Depreciation and Partial Periods": with an accelerated method the depreciation of each
    // life year is allocated to the fiscal years it spans. Crane bought 1 July: 2025 = ½ × 150,000;
    // 2026 = ½ × 150,000 + ½ × 120,000; … 2030 = ½ × 30,000.
    const rows = depreciationSchedule({ method: 'sum-of-years-digits', cost: 500000, salvageValue: 50000, usefulLifeYears: 5, placedInService: '2025-07-01' });
    expect(amounts(rows)).toEqual(['75000.00', '135000.00', '105000.00', '75000.00', '45000.00', '15000.00']);
    expect(periods(rows)[0]).toEqual(['2025-01-01', '2025-12-31']);
  });

  it('does the same split inside a fiscal year that starts on 1 April (bought 1 October, half-way through)', () => {
    // Kieso allocation as above, fiscal years April–March.
    const rows = depreciationSchedule({
      method: 'sum-of-years-digits',
      cost: 500000,
      salvageValue: 50000,
      usefulLifeYears: 5,
      placedInService: '2025-10-01',
      fiscalYearStart: '04-01',
    });
    expect(amounts(rows)).toEqual(['75000.00', '135000.00', '105000.00', '75000.00', '45000.00', '15000.00']);
    expect(periods(rows)[0]).toEqual(['2025-04-01', '2026-03-31']);
    expect(periods(rows)[5]).toEqual(['2030-04-01', '2031-03-31']);
  });

  it('spreads each fiscal year over its months, the months adding up to the year', () => {
    // Kieso crane bought 1 July, monthly: July–December 2025 share 75,000 (12,500 a month), 2026 shares 135,000.
    const rows = depreciationSchedule({ method: 'sum-of-years-digits', cost: 500000, salvageValue: 50000, usefulLifeYears: 5, placedInService: '2025-07-01', periodFrequency: 'month' });
    expect(rows).toHaveLength(60);
    expect(amounts(rows.slice(0, 6))).toEqual(Array(6).fill('12500.00'));
    expect(total(rows.slice(6, 18))).toBe('135000.00');
    // Life year 1 (July 2025 – June 2026) runs at 150,000 / 12 = 12,500 a month; life year 2 at 120,000 / 12 = 10,000.
    expect(rows[11].amount).toBe('12500.00');
    expect(rows[12].amount).toBe('10000.00');
    expect(total(rows)).toBe('450000.00');
  });
});
