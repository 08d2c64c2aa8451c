import { describe, expect, it } from 'vitest';
import {
  DepreciationInputError,
  type DepreciationInput,
  adjustedDepreciationUpTo,
  adjustedSchedule,
  adjustmentBasis,
  depreciationSchedule,
  scheduleSegments,
} from '../../src/domain/depreciation/index.js';
import { amounts, total } from './support.js';

const problemFields = (fn: () => unknown): string[] => {
  try {
    fn();
  } catch (err) {
    if (err instanceof DepreciationInputError) return err.problems.map((p) => p.field);
    throw err;
  }
  throw new Error('no DepreciationInputError');
};

describe('adjustedSchedule: the schedule after revaluations, impairments and changes in estimates', () => {
  // IAS 16 ¶31, ¶35 and ¶50, the usual textbook illustration: equipment costing 100,000, no residual value, 10 years
  // straight line (10,000 a year). After 2 years (carrying amount 80,000) it is revalued to its fair value of
  // 96,000: a revaluation surplus of 16,000, and from then on 96,000 / 8 remaining years = 12,000 a year.
  const ias16: DepreciationInput = { method: 'straight-line', cost: 100000, usefulLifeYears: 10, placedInService: '2024-01-01', periodFrequency: 'year' };

  it('IAS 16 revaluation: 10,000 a year for two years, then 12,000 a year over the 8 years left', () => {
    const basis = adjustmentBasis(ias16, [], '2026-01-01');
    expect(basis).toEqual({ carryingAmount: '80000.00', accumulated: '20000.00', salvageValue: '0.00', remainingLifeYears: '8' });
    const rows = adjustedSchedule(ias16, [{ kind: 'revaluation', effectiveOn: '2026-01-01', carryingAmount: '96000' }]);
    expect(amounts(rows)).toEqual(['10000.00', '10000.00', ...Array(8).fill('12000.00')]);
    expect(rows[2]).toEqual({ period: 3, periodStart: '2026-01-01', periodEnd: '2026-12-31', amount: '12000.00', accumulated: '32000.00', bookValue: '84000.00' });
    // Depreciation over the whole life: 20,000 before and the revalued 96,000 after.
    expect(rows.at(-1)).toMatchObject({ period: 10, periodEnd: '2033-12-31', accumulated: '116000.00', bookValue: '0.00' });
  });

  it('the same on a monthly book: 1,000 a month from the revaluation, the months adding up to the year', () => {
    const rows = adjustedSchedule({ ...ias16, periodFrequency: 'month' }, [{ kind: 'revaluation', effectiveOn: '2026-01-01', carryingAmount: '96000' }]);
    expect(rows).toHaveLength(120);
    expect(rows[23]).toMatchObject({ periodEnd: '2025-12-31', amount: '833.33', accumulated: '20000.00', bookValue: '80000.00' });
    expect(amounts(rows.slice(24))).toEqual(Array(96).fill('1000.00'));
    // A disposal on 15 March 2027 (full-month: January and February 2027 count) — 20,000 + 14 × 1,000.
    expect(adjustedDepreciationUpTo({ ...ias16, periodFrequency: 'month' }, [{ kind: 'revaluation', effectiveOn: '2026-01-01', carryingAmount: '96000' }], '2027-03-15')).toEqual({
      accumulated: '34000.00',
      bookValue: '82000.00',
      periodAmount: '0.00',
      period: 39,
    });
  });

  it('IAS 36 impairment: the recoverable amount less residual value over the remaining life', () => {
    // IAS 36 ¶59–¶63: 100,000 over 10 years from 2020; at the start of 2024 the carrying amount is 60,000 and the
    // recoverable amount 42,000 — an impairment loss of 18,000; the 6 years left then carry 42,000 / 6 = 7,000 a year.
    const input: DepreciationInput = { ...ias16, placedInService: '2020-01-01' };
    expect(adjustmentBasis(input, [], '2024-01-01')).toMatchObject({ carryingAmount: '60000.00', remainingLifeYears: '6' });
    const rows = adjustedSchedule(input, [{ kind: 'impairment', effectiveOn: '2024-01-01', carryingAmount: '42000' }]);
    expect(amounts(rows)).toEqual([...Array(4).fill('10000.00'), ...Array(6).fill('7000.00')]);
    expect(rows.at(-1)).toMatchObject({ accumulated: '82000.00', bookValue: '0.00' });
  });

  it('change in estimate: Kieso, Arcadia HS — 19,375 a year for the last 8 years', () => {
    // Kieso, Weygandt & Warfield, Intermediate Accounting, ch. 22: cost 510,000, salvage 10,000, 10 years (50,000 a
    // year); after 7 years the life is revised to 15 years in all and the salvage to 5,000:
    // (160,000 − 5,000) / 8 = 19,375.
    const input: DepreciationInput = { method: 'straight-line', cost: 510000, salvageValue: 10000, usefulLifeYears: 10, placedInService: '2018-01-01', periodFrequency: 'year' };
    const change = { kind: 'estimate-change' as const, effectiveOn: '2025-01-01', carryingAmount: '160000', remainingLifeYears: 8, salvageValue: 5000 };
    const rows = adjustedSchedule(input, [change]);
    expect(amounts(rows)).toEqual([...Array(7).fill('50000.00'), ...Array(8).fill('19375.00')]);
    expect(rows.at(-1)).toMatchObject({ period: 15, periodEnd: '2032-12-31', bookValue: '5000.00' });
    expect(scheduleSegments(input, [change])).toEqual([
      { effectiveOn: null, kind: null, carryingAmount: '510000.00', salvageValue: '10000.00', remainingLifeYears: '10', accumulatedBefore: '0.00' },
      { effectiveOn: '2025-01-01', kind: 'estimate-change', carryingAmount: '160000.00', salvageValue: '5000.00', remainingLifeYears: '8', accumulatedBefore: '350000.00' },
    ]);
  });

  it('successive adjustments apply in order, each from the carrying amount the one before left', () => {
    const monthly: DepreciationInput = { ...ias16, periodFrequency: 'month' };
    const revalued = { kind: 'revaluation' as const, effectiveOn: '2026-01-01', carryingAmount: '96000' };
    // A year later: 96,000 − 12,000 = 84,000, impaired to 70,000 (7 years left: 10,000 a year).
    expect(adjustmentBasis(monthly, [revalued], '2027-01-01')).toMatchObject({ carryingAmount: '84000.00', accumulated: '32000.00', remainingLifeYears: '7' });
    const impaired = { kind: 'impairment' as const, effectiveOn: '2027-01-01', carryingAmount: '70000' };
    // Another year: 60,000 left; the life is re-estimated at 3 more years with a residual value of 6,000: 1,500 a month.
    expect(adjustmentBasis(monthly, [revalued, impaired], '2028-01-01')).toMatchObject({ carryingAmount: '60000.00', remainingLifeYears: '6' });
    const shortened = { kind: 'estimate-change' as const, effectiveOn: '2028-01-01', carryingAmount: '60000', remainingLifeYears: 3, salvageValue: 6000 };
    const rows = adjustedSchedule(monthly, [revalued, impaired, shortened]);
    expect(rows).toHaveLength(24 + 12 + 12 + 36);
    expect([rows[24].amount, rows[36].amount, rows[48].amount]).toEqual(['1000.00', '833.33', '1500.00']);
    expect(total(rows.slice(36, 48))).toBe('10000.00');
    expect(rows.at(-1)).toMatchObject({ periodEnd: '2030-12-31', bookValue: '6000.00', accumulated: '96000.00' });
    // 20,000 + 12,000 + 10,000 + 3 × 18,000 of depreciation; 116,000 gross − 96,000 − the 14,000 impairment = 6,000.
  });

  it('two adjustments on one date apply one after the other: an impairment, then a new residual value', () => {
    const input: DepreciationInput = { ...ias16, placedInService: '2020-01-01' };
    const impaired = { kind: 'impairment' as const, effectiveOn: '2024-01-01', carryingAmount: '42000' };
    expect(adjustmentBasis(input, [impaired], '2024-01-01')).toEqual({ carryingAmount: '42000.00', accumulated: '40000.00', salvageValue: '0.00', remainingLifeYears: '6' });
    const rows = adjustedSchedule(input, [impaired, { kind: 'estimate-change', effectiveOn: '2024-01-01', carryingAmount: '42000', salvageValue: '6000' }]);
    // (42,000 − 6,000) / 6 = 6,000 a year.
    expect(amounts(rows)).toEqual([...Array(4).fill('10000.00'), ...Array(6).fill('6000.00')]);
    expect(rows.at(-1)!.bookValue).toBe('6000.00');
  });

  it('without a new life, the life left is counted from where the convention started the asset (a yearly book, placed mid-year)', () => {
    // 12,000 over 5 years from July 2024, full-month: 1,200 for 2024, 2,400 a year, 1,200 for 2029.
    const input: DepreciationInput = { method: 'straight-line', cost: 12000, usefulLifeYears: 5, placedInService: '2024-07-01', periodFrequency: 'year' };
    expect(amounts(depreciationSchedule(input))).toEqual(['1200.00', '2400.00', '2400.00', '2400.00', '2400.00', '1200.00']);
    // On 1 January 2026 3½ years are left; revalued to 7,000: 2,000 a year, the last half-year 1,000.
    expect(adjustmentBasis(input, [], '2026-01-01')).toMatchObject({ carryingAmount: '8400.00', remainingLifeYears: '3.5' });
    const rows = adjustedSchedule(input, [{ kind: 'revaluation', effectiveOn: '2026-01-01', carryingAmount: 7000 }]);
    expect(amounts(rows)).toEqual(['1200.00', '2400.00', '2000.00', '2000.00', '2000.00', '1000.00']);
  });

  it('an asset written down below its residual value depreciates no further (IAS 16 ¶54)', () => {
    const input: DepreciationInput = { method: 'straight-line', cost: 10000, salvageValue: 2000, usefulLifeYears: 4, placedInService: '2024-01-01', periodFrequency: 'year' };
    const rows = adjustedSchedule(input, [{ kind: 'impairment', effectiveOn: '2026-01-01', carryingAmount: '1500' }]);
    expect(amounts(rows)).toEqual(['2000.00', '2000.00']);
    expect(scheduleSegments(input, [{ kind: 'impairment', effectiveOn: '2026-01-01', carryingAmount: '1500' }])[1]).toMatchObject({ salvageValue: '1500.00', carryingAmount: '1500.00' });
    expect(adjustedDepreciationUpTo(input, [{ kind: 'impairment', effectiveOn: '2026-01-01', carryingAmount: '1500' }], '2029-06-30')).toMatchObject({ accumulated: '4000.00', bookValue: '1500.00' });
  });

  it('double declining balance keeps its rate (from the original life) after a revaluation', () => {
    // 10,000, 5 years: 40 % a year — 4,000 and 2,400; revalued from 3,600 to 5,000: 40 % of 5,000 = 2,000 next.
    const input: DepreciationInput = { method: 'double-declining-balance', cost: 10000, usefulLifeYears: 5, placedInService: '2024-01-01', periodFrequency: 'year' };
    const rows = adjustedSchedule(input, [{ kind: 'revaluation', effectiveOn: '2026-01-01', carryingAmount: 5000 }]);
    expect(amounts(rows).slice(0, 4)).toEqual(['4000.00', '2400.00', '2000.00', '1200.00']);
  });

  it('land is revalued but never depreciated', () => {
    const land: DepreciationInput = { method: 'none', cost: 250000, placedInService: '2020-03-01', periodFrequency: 'month' };
    expect(adjustedSchedule(land, [{ kind: 'revaluation', effectiveOn: '2025-01-01', carryingAmount: 310000 }])).toEqual([]);
    expect(adjustedDepreciationUpTo(land, [{ kind: 'revaluation', effectiveOn: '2025-01-01', carryingAmount: 310000 }], '2026-05-01')).toMatchObject({ accumulated: '0.00', bookValue: '310000.00' });
  });

  it('refuses an effective date that is not the first day of a period, before the asset is in service or before the latest adjustment', () => {
    const monthly: DepreciationInput = { ...ias16, periodFrequency: 'month', placedInService: '2024-01-15' };
    expect(problemFields(() => adjustmentBasis(monthly, [], '2026-01-15'))).toEqual(['effectiveOn']);
    expect(problemFields(() => adjustmentBasis(monthly, [], '2024-01-01'))).toEqual(['effectiveOn']);
    expect(adjustmentBasis(monthly, [], '2024-02-01').carryingAmount).toBe('99166.67');
    expect(problemFields(() => adjustmentBasis(ias16, [], '2026-07-01'))).toEqual(['effectiveOn']);
    const later = [{ kind: 'impairment' as const, effectiveOn: '2027-01-01', carryingAmount: 50000 }];
    expect(problemFields(() => adjustmentBasis(ias16, later, '2026-01-01'))).toEqual(['effectiveOn']);
    expect(problemFields(() => adjustedSchedule(ias16, [{ kind: 'revaluation', effectiveOn: '2026-01-01', carryingAmount: 90000, salvageValue: 95000 }]))).toEqual(['salvageValue']);
  });

  it('refuses MACRS (tax basis) and a revaluation after the end of the life without a new life', () => {
    const macrs: DepreciationInput = { method: 'macrs', cost: 10000, recoveryPeriodYears: 5, placedInService: '2024-01-01' };
    expect(problemFields(() => adjustmentBasis(macrs, [], '2025-01-01'))).toEqual(['method']);
    expect(problemFields(() => adjustedSchedule(ias16, [{ kind: 'revaluation', effectiveOn: '2035-01-01', carryingAmount: 5000 }]))).toEqual(['remainingLifeYears']);
    expect(amounts(adjustedSchedule(ias16, [{ kind: 'revaluation', effectiveOn: '2035-01-01', carryingAmount: 5000, remainingLifeYears: 2 }])).slice(10)).toEqual(['2500.00', '2500.00']);
  });
});
