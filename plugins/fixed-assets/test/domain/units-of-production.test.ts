import { describe, expect, it } from 'vitest';
import { depreciationSchedule } from '../../src/domain/depreciation/index.js';
import { amounts, periods, total } from './support.js';

// Source: Kieso, Weygandt & Warfield, Intermediate Accounting, ch. 11, activity method: Stanley Coal Mines crane,
// cost $500,000, salvage $50,000, estimated 30,000 hours → ($500,000 − $50,000) / 30,000 = $15 an hour;
// 3,000 hours used in the first year → $45,000.
const crane = { method: 'units-of-production', cost: 500000, salvageValue: 50000, totalUnits: 30000, placedInService: '2025-01-01' } as const;

describe('units of production', () => {
  it('charges $15 an hour: 3,000 hours in the first year → 45,000', () => {
    const rows = depreciationSchedule({ ...crane, unitsByPeriod: [3000] });
    expect(rows).toEqual([{ period: 1, periodStart: '2025-01-01', periodEnd: '2025-12-31', amount: '45000.00', accumulated: '45000.00', bookValue: '455000.00' }]);
  });

  it('depreciates the whole base when the hours reach the estimate, and no further', () => {
    // $15 an hour: 8,000 h → 120,000; 7,000 h → 105,000; 6,000 h → 90,000; then 9,000 h would be 135,000 but only
    // 90,000 is left (30,000 hours reached after 3,000 + 8,000 + 7,000 + 6,000 + 6,000), so the schedule ends there.
    const rows = depreciationSchedule({ ...crane, unitsByPeriod: [3000, 8000, 7000, 6000, 9000, 4000] });
    expect(amounts(rows)).toEqual(['45000.00', '120000.00', '105000.00', '90000.00', '90000.00']);
    expect(rows.at(-1)!.bookValue).toBe('50000.00');
  });

  it('keeps idle periods and stops short of salvage when the usage given does not reach the estimate', () => {
    // $15 an hour: 1,000 h, an idle year, 2,000 h → 15,000, 0, 30,000; book value 500,000 − 45,000.
    const rows = depreciationSchedule({ ...crane, unitsByPeriod: ['1000', '0', '2000'] });
    expect(amounts(rows)).toEqual(['15000.00', '0.00', '30000.00']);
    expect(rows.at(-1)!.bookValue).toBe('455000.00');
  });

  it('uses fiscal months from the month placed in service, the last period absorbing rounding', () => {
    // $15 an hour; a third of the estimate a month: 10,000 h → 150,000.00 each.
    // Seven equal periods (estimate 7 units, 1 a period): 450,000 / 7 = 64,285.714… → 64,285.71 six times, and the
    // last period 450,000 − 6 × 64,285.71 = 64,285.74.
    const rows = depreciationSchedule({ ...crane, placedInService: '2025-11-20', periodFrequency: 'month', unitsByPeriod: ['10000', '10000', '10000'] });
    expect(periods(rows)).toEqual([
      ['2025-11-01', '2025-11-30'],
      ['2025-12-01', '2025-12-31'],
      ['2026-01-01', '2026-01-31'],
    ]);
    expect(amounts(rows)).toEqual(['150000.00', '150000.00', '150000.00']);
    const sevenths = depreciationSchedule({ ...crane, totalUnits: 7, unitsByPeriod: Array(7).fill('1') });
    expect(amounts(sevenths)).toEqual([...Array(6).fill('64285.71'), '64285.74']);
    expect(total(sevenths)).toBe('450000.00');
  });
});
