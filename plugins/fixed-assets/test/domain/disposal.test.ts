import { describe, expect, it } from 'vitest';
import { type Convention, type DepreciationInput, depreciationSchedule, depreciationUpTo, disposalGainLoss } from '../../src/domain/depreciation/index.js';
import { total } from './support.js';

// Excel SLN example (Microsoft Support, "SLN function"): 30,000 cost, 7,500 salvage, 10 years → 2,250 a year,
// 187.50 a month. Placed in service 1 January 2024, disposed of 20 May 2026 (two full years before it: 4,500).
const sln: DepreciationInput = { method: 'straight-line', cost: 30000, salvageValue: 7500, usefulLifeYears: 10, placedInService: '2024-01-01' };

describe('depreciation up to a disposal date, by convention', () => {
  it.each<[Convention, string, string, string]>([
    // Full-month: 2024 and 2025 in full; none for the month of disposal — January–April 2026, 4 × 187.50 = 750.
    ['full-month', '4500.00', '750.00', '5250.00'],
    // Mid-month: from mid-January 2024 (11.5 months: 2,156.25) and to mid-May 2026 (4.5 × 187.50 = 843.75).
    ['mid-month', '4406.25', '843.75', '5250.00'],
    // Half-year: half of 2024 (1,125) and half of the year of disposal, 1,125
    // (Pub 946 ch. 4: "multiply the full-year depreciation by 50%").
    ['half-year', '3375.00', '1125.00', '4500.00'],
    // Mid-quarter: 2024 from the middle of the first quarter (87.5 %: 1,968.75); May is in the second quarter — 37.5 %
    // of the year (Pub 946 ch. 4, property disposed of: first quarter 12.5 %, second 37.5 %, third 62.5 %, fourth 87.5 %).
    ['mid-quarter', '4218.75', '843.75', '5062.50'],
    // Actual days: 1 January – 20 May 2026 = 140 of 365 days: 2,250 × 140 / 365 = 863.01.
    ['actual-days', '4500.00', '863.01', '5363.01'],
    // Full-year: nothing in the year of disposal.
    ['full-year', '4500.00', '0.00', '4500.00'],
  ])('%s: %s for the years before, %s in the year of disposal', (convention, yearsBefore, periodAmount, accumulated) => {
    const input = { ...sln, convention };
    expect(total(depreciationSchedule(input).slice(0, 2))).toBe(yearsBefore);
    const result = depreciationUpTo(input, '2026-05-20');
    expect(result).toEqual({ accumulated, bookValue: (30000 - Number(accumulated)).toFixed(2), periodAmount, period: 3 });
  });

  it('nothing before the asset is in service, everything after its life', () => {
    expect(depreciationUpTo(sln, '2023-12-31')).toEqual({ accumulated: '0.00', bookValue: '30000.00', periodAmount: '0.00', period: null });
    expect(depreciationUpTo(sln, '2040-01-01')).toMatchObject({ accumulated: '22500.00', bookValue: '7500.00', period: null });
  });

  it('at the last day of the life the asset stands at salvage', () => {
    expect(depreciationUpTo({ ...sln, convention: 'actual-days' }, '2033-12-31')).toMatchObject({ accumulated: '22500.00', bookValue: '7500.00', period: 10 });
  });

  it('reverses monthly depreciation already posted beyond the half-year the convention allows', () => {
    // Straight line, half-year, 10,000 over 5 years (Pub 946 Table A-8: 10 %, 20 % …), monthly rows:
    // 2024: 1,000 over March–December; 2025: 2,000; 2026: 2,000 / 12 a month, January–October = 1,666.67 posted.
    // Disposed in November 2026: the convention allows half of 2026 (1,000), so November reverses 666.67.
    const input: DepreciationInput = { method: 'straight-line', convention: 'half-year', cost: 10000, usefulLifeYears: 5, placedInService: '2024-03-01', periodFrequency: 'month' };
    expect(total(depreciationSchedule(input).slice(22, 32))).toBe('1666.67');
    const result = depreciationUpTo(input, '2026-11-10');
    expect(result).toEqual({ accumulated: '4000.00', bookValue: '6000.00', periodAmount: '-666.67', period: 33 });
  });

  it('units of production counts the units of the period containing the date', () => {
    // Kieso activity method, Stanley Coal Mines crane: $15 an hour.
    const input: DepreciationInput = { method: 'units-of-production', cost: 500000, salvageValue: 50000, totalUnits: 30000, unitsByPeriod: [3000, 8000], placedInService: '2025-01-01' };
    expect(depreciationUpTo(input, '2026-03-01')).toMatchObject({ accumulated: '165000.00', periodAmount: '120000.00', period: 2 });
  });

  it("method 'none' never depreciates", () => {
    expect(depreciationUpTo({ method: 'none', cost: 250000 }, '2030-01-01')).toEqual({ accumulated: '0.00', bookValue: '250000.00', periodAmount: '0.00', period: null });
  });

  it('rejects a bad date', () => {
    expect(() => depreciationUpTo(sln, '2026-02-30')).toThrow(/date/);
  });
});

describe('MACRS in the year of disposal (Pub 946, ch. 4)', () => {
  const fiveYear: DepreciationInput = { method: 'macrs', cost: 10000, recoveryPeriodYears: 5, placedInService: '2024-04-01' };

  it('half-year: half of the year’s table percentage — 20 % + 32 % + ½ × 19.20 % of $10,000 = 6,160', () => {
    // Table A-1, 5-year; disposal in recovery year 3.
    expect(depreciationUpTo(fiveYear, '2026-09-30')).toMatchObject({ accumulated: '6160.00', periodAmount: '960.00', bookValue: '3840.00' });
  });

  it('mid-quarter: 37.5 % of the year’s deduction for a disposal in the second quarter', () => {
    // Table A-5, 5-year (placed in the fourth quarter): 5.00 %, 38.00 %, then 22.80 % × 37.5 % = 8.55 % in year 3.
    const input = { ...fiveYear, convention: 'mid-quarter' as const, placedInService: '2024-11-01' };
    expect(depreciationUpTo(input, '2026-05-15')).toMatchObject({ accumulated: '5155.00', periodAmount: '855.00' });
  });

  it('no deduction for property placed in service and disposed of in the same tax year', () => {
    expect(depreciationUpTo(fiveYear, '2024-12-31')).toMatchObject({ accumulated: '0.00', bookValue: '10000.00' });
    expect(depreciationUpTo({ ...fiveYear, convention: 'mid-quarter' }, '2024-12-31')).toMatchObject({ accumulated: '0.00' });
  });
});

describe('gain or loss on disposal', () => {
  // Source: Weygandt, Kimmel & Kieso, Accounting Principles, ch. 10 "Sale of Plant Assets": Wright Company's office
  // furniture, cost $60,000, accumulated depreciation $49,000 at the date of sale (41,000 + 8,000 for the half year)
  // → book value $11,000; sold for $16,000: gain $5,000; sold for $9,000: loss $2,000.
  it('gain: 16,000 for a book value of 11,000', () => {
    expect(disposalGainLoss({ cost: 60000, accumulated: 49000, proceeds: 16000 })).toEqual({ netBookValue: '11000.00', netProceeds: '16000.00', gainOrLoss: '5000.00' });
  });

  it('loss: 9,000 for a book value of 11,000', () => {
    expect(disposalGainLoss({ cost: '60000', accumulated: '49000', proceeds: '9000' }).gainOrLoss).toBe('-2000.00');
  });

  it('costs of disposal reduce the proceeds', () => {
    expect(disposalGainLoss({ cost: 60000, accumulated: 49000, proceeds: 16000, costsOfDisposal: '750.50' })).toEqual({ netBookValue: '11000.00', netProceeds: '15249.50', gainOrLoss: '4249.50' });
  });

  it('takes the accumulated depreciation of depreciationUpTo', () => {
    // Excel SLN asset disposed of 20 May 2026 under full-month (5,250 accumulated, see above) for 24,000.
    const { accumulated } = depreciationUpTo(sln, '2026-05-20');
    expect(disposalGainLoss({ cost: 30000, accumulated, proceeds: 24000 })).toEqual({ netBookValue: '24750.00', netProceeds: '24000.00', gainOrLoss: '-750.00' });
  });

  it('rejects what is not an amount', () => {
    expect(() => disposalGainLoss({ cost: 'abc', accumulated: -1, proceeds: 0 })).toThrow(/cost.*accumulated/);
  });
});
