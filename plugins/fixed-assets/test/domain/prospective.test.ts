import { describe, expect, it } from 'vitest';
import { DepreciationInputError, depreciationSchedule, depreciationUpTo, remainingSchedule } from '../../src/domain/depreciation/index.js';
import { amounts, periods } from './support.js';

describe('prospective changes: remaining book value less salvage over the remaining life', () => {
  it('change of useful life and salvage: Kieso, Arcadia HS — 19,375 a year for the last 8 years', () => {
    // Source: Kieso, Weygandt & Warfield, Intermediate Accounting, ch. 22 "Accounting Changes and Error Analysis",
    // change in estimate: equipment cost $510,000, salvage $10,000, life 10 years, straight line ($50,000 a year);
    // after 7 years the total life is revised to 15 years and salvage to $5,000:
    // book value $160,000, ($160,000 − $5,000) / 8 remaining years = $19,375.
    const original = { method: 'straight-line', cost: 510000, salvageValue: 10000, usefulLifeYears: 10, placedInService: '2018-01-01' } as const;
    // Seven years to the change on 1 January 2025: under full-month the month of the date does not count, so
    // depreciationUpTo(…, the change date) is the carrying amount at the start of that day.
    const beforeChange = depreciationUpTo(original, '2025-01-01');
    expect(beforeChange).toMatchObject({ accumulated: '350000.00', bookValue: '160000.00' });
    expect(depreciationUpTo({ ...original, convention: 'actual-days' }, '2024-12-31').accumulated).toBe('350000.00');
    const rows = remainingSchedule({ method: 'straight-line', carryingAmount: beforeChange.bookValue, salvageValue: 5000, remainingLifeYears: 8, fromDate: '2025-01-01' });
    expect(amounts(rows)).toEqual(Array(8).fill('19375.00'));
    expect(periods(rows)[0]).toEqual(['2025-01-01', '2025-12-31']);
    expect(rows.at(-1)!.bookValue).toBe('5000.00');
  });

  it('impairment: the revised carrying amount less residual value over the remaining useful life', () => {
    // IAS 36 ¶63: after an impairment loss, the depreciation charge is adjusted in future periods to allocate the
    // asset's revised carrying amount, less its residual value, over its remaining useful life.
    // Written down to 42,000 with 3 years left and no residual value: 14,000 a year.
    const rows = remainingSchedule({ method: 'straight-line', carryingAmount: '42000', remainingLifeYears: 3, fromDate: '2026-01-01' });
    expect(amounts(rows)).toEqual(['14000.00', '14000.00', '14000.00']);
  });

  it('a change on the first day of a month restarts with whole months; otherwise with days', () => {
    // 50,000 over 2.5 years = 20,000 a year from 1 July: 10,000 (July–December), 20,000, 20,000.
    const fromMonth = remainingSchedule({ method: 'straight-line', carryingAmount: 50000, remainingLifeYears: 2.5, fromDate: '2025-07-01' });
    expect(amounts(fromMonth)).toEqual(['10000.00', '20000.00', '20000.00']);
    // 36,500 over 1 year from 16 July 2025: 169 of 365 days in 2025 → 16,900; the rest, 19,600, in 2026.
    const fromDay = remainingSchedule({ method: 'straight-line', carryingAmount: 36500, remainingLifeYears: 1, fromDate: '2025-07-16' });
    expect(amounts(fromDay)).toEqual(['16900.00', '19600.00']);
  });

  it('re-basing double declining balance on its own book value continues the Excel DDB schedule (rate from the original life)', () => {
    // Microsoft "DDB function" example (2,400 / 300 / 10 years): after two years the book value is 1,536;
    // continuing at 2/10 from there gives year 3 307.20 … year 10 22.12, exactly the original schedule.
    const original = depreciationSchedule({ method: 'double-declining-balance', cost: 2400, salvageValue: 300, usefulLifeYears: 10, placedInService: '2024-01-01' });
    const rows = remainingSchedule({ method: 'double-declining-balance', carryingAmount: 1536, salvageValue: 300, remainingLifeYears: 8, usefulLifeYears: 10, fromDate: '2026-01-01' });
    expect(rows[0].amount).toBe('307.20');
    expect(amounts(rows)).toEqual(amounts(original).slice(2));
    expect(rows.at(-1)!.amount).toBe('22.12');
  });

  it("re-basing sum-of-the-years'-digits on what is left spreads it over the remaining digits (Kieso crane)", () => {
    // Kieso, ch. 11: crane, SYD 150,000, 120,000, 90,000, 60,000, 30,000. After two years the book value is 230,000;
    // over 3 remaining years (digits 3, 2, 1) the 180,000 above salvage gives 90,000, 60,000, 30,000 — the same years 3–5.
    const rows = remainingSchedule({ method: 'sum-of-years-digits', carryingAmount: 230000, salvageValue: 50000, remainingLifeYears: 3, fromDate: '2027-01-01' });
    expect(amounts(rows)).toEqual(['90000.00', '60000.00', '30000.00']);
  });

  it('units of production: the units still expected', () => {
    // Kieso activity method: $15 an hour. After 11,000 hours (165,000) the crane is revalued to 300,000 with 19,000 hours
    // left and salvage 14,000: (300,000 − 14,000) / 19,000 hours = 15.0526… an hour; 1,900 hours → 28,600.
    const rows = remainingSchedule({ method: 'units-of-production', carryingAmount: 300000, salvageValue: 14000, totalUnits: 19000, unitsByPeriod: [1900], fromDate: '2027-01-01' });
    expect(amounts(rows)).toEqual(['28600.00']);
  });

  it('rejects MACRS and names the fields as the caller sent them', () => {
    expect(() => remainingSchedule({ method: 'macrs', carryingAmount: 1000, fromDate: '2025-01-01' })).toThrow(/MACRS/);
    try {
      remainingSchedule({ method: 'straight-line', carryingAmount: -5, fromDate: '2025-13-01' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(DepreciationInputError);
      expect((error as DepreciationInputError).problems.map((p) => p.field).sort()).toEqual(['carryingAmount', 'fromDate', 'remainingLifeYears']);
    }
  });
});
