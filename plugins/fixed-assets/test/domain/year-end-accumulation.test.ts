import { describe, expect, test } from 'vitest';
import { CONVENTIONS, depreciationSchedule, type DepreciationInput } from '../../src/domain/depreciation/index.js';

/**
 * The depreciation forecast reads a monthly book's schedules only at fiscal year ends, and there a
 * monthly schedule has accumulated exactly what the yearly schedule of the same asset has (months
 * split their year's rounded amount). So the forecast computes the yearly schedule, far cheaper.
 * This checks the equality over methods, conventions, in-service dates, fiscal years and costs.
 */
const METHODS: Partial<DepreciationInput>[] = [
  { method: 'straight-line', usefulLifeYears: 5 },
  { method: 'straight-line', usefulLifeYears: '2.5', salvageValue: '333.33' },
  { method: 'declining-balance', usefulLifeYears: 6, salvageValue: 100 },
  { method: 'declining-balance', rate: '0.3', usefulLifeYears: 5 },
  { method: 'double-declining-balance', usefulLifeYears: 7, switchToStraightLine: true },
  { method: '150-declining-balance', usefulLifeYears: 4 },
  { method: 'sum-of-years-digits', usefulLifeYears: 5, salvageValue: 500 },
  { method: 'macrs', recoveryPeriodYears: 5 },
  { method: 'macrs', recoveryPeriodYears: 7, convention: 'mid-quarter' },
  { method: 'none' },
];

/** Accumulated depreciation at the end of the last row ending by `date`. */
const at = (rows: { periodEnd: string; accumulated: string }[], date: string) => rows.filter((r) => r.periodEnd <= date).at(-1)?.accumulated ?? '0.00';

describe('a monthly schedule at fiscal year ends equals the yearly schedule', () => {
  test.each(METHODS.map((m) => [JSON.stringify(m), m] as const))('%s', (_, m) => {
    let checked = 0;
    const wrong: string[] = [];
    const conventions = m.method === 'macrs' ? [undefined] : [undefined, ...CONVENTIONS];
    for (const convention of conventions)
      for (const placedInService of ['2025-01-01', '2025-03-17', '2025-07-31', '2025-12-05'])
        for (const fiscalYearStart of ['01-01', '07-01', '04-06'])
          for (const cost of ['10000', '12345.67', '999.99']) {
            const input = { ...m, cost, placedInService, fiscalYearStart, minorUnits: 2, ...(convention ? { convention } : {}) } as DepreciationInput;
            const monthly = depreciationSchedule({ ...input, periodFrequency: 'month' });
            const yearly = depreciationSchedule({ ...input, periodFrequency: 'year' });
            checked++;
            for (const y of yearly) if (at(monthly, y.periodEnd) !== y.accumulated) wrong.push(`${JSON.stringify(input)} at ${y.periodEnd}: ${at(monthly, y.periodEnd)} ≠ ${y.accumulated}`);
            if ((monthly.at(-1)?.accumulated ?? '0.00') !== (yearly.at(-1)?.accumulated ?? '0.00')) wrong.push(`${JSON.stringify(input)}: totals differ`);
          }
    expect(checked).toBeGreaterThan(30);
    expect(wrong.slice(0, 5)).toEqual([]);
  });
});
