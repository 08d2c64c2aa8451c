import { describe, expect, it } from 'vitest';
import { depreciationSchedule, depreciationUpTo, fixedDecliningBalanceRate } from '../../src/domain/depreciation/index.js';
import { D } from '../../src/domain/money.js';
import { added, amounts, cents, periods } from './support.js';

// Source: Microsoft Support, "DB function" example: cost 1,000,000, salvage 100,000, life 6 years,
// 7 months in the first year: =DB(A2,A3,A4,1,7) … =DB(A2,A3,A4,7,7).
const MS_DB = ['186083.33', '259639.42', '176814.44', '120410.64', '81999.64', '55841.76'];
const MS_DB_YEAR_7 = '15845.10';

describe('declining balance, fixed rate (Excel DB)', () => {
  it('derives the rate as 1 − (salvage/cost)^(1/life) rounded to three decimals: 0.319', () => {
    // Microsoft "DB function", Remarks: rate = 1 − ((salvage / cost) ^ (1 / life)), rounded to three decimal places.
    // (100,000 / 1,000,000)^(1/6) = 0.6812… → 1 − 0.6812 = 0.3187… → 0.319.
    expect(fixedDecliningBalanceRate(new D(1000000), new D(100000), new D(6)).toString()).toBe('0.319');
  });

  it('reproduces the Microsoft DB example year by year, the last year taking what is left above salvage', () => {
    // Placed in service 1 June: 7 months in the first (calendar) year, as DB's month = 7.
    const rows = depreciationSchedule({ method: 'declining-balance', cost: '1000000', salvageValue: '100000', usefulLifeYears: 6, placedInService: '2024-06-01' });
    expect(rows).toHaveLength(7);
    expect(amounts(rows).slice(0, 6)).toEqual(MS_DB);
    // Excel's seventh year is 15,845.10, which leaves 3,365.67 above salvage because the rate was rounded to 0.319.
    // Our final period absorbs it so the asset ends at salvage: 900,000 − (the six published years).
    const lastYear = cents(new D(900000).minus(added(...MS_DB)));
    expect(lastYear).toBe('19210.77');
    expect(rows[6].amount).toBe(lastYear);
    expect(new D(lastYear).minus(MS_DB_YEAR_7).toFixed(2)).toBe('3365.67');
    expect(rows[6].bookValue).toBe('100000.00');
  });

  it('gives the same figures with the rate given explicitly (rate 0.319) and in a July–June fiscal year', () => {
    // Microsoft DB example again; placed 1 December with fiscal years from 1 July: 7 months (Dec–Jun) in year one.
    const rows = depreciationSchedule({
      method: 'declining-balance',
      rate: '0.319',
      cost: 1000000,
      salvageValue: 100000,
      usefulLifeYears: 6,
      placedInService: '2024-12-01',
      fiscalYearStart: '07-01',
    });
    expect(amounts(rows).slice(0, 6)).toEqual(MS_DB);
    expect(periods(rows)[0]).toEqual(['2024-07-01', '2025-06-30']);
    expect(periods(rows)[6]).toEqual(['2030-07-01', '2031-06-30']);
  });
});

describe('double declining balance (Excel DDB)', () => {
  // Source: Microsoft Support, "DDB function" example: cost 2,400, salvage 300, life 10 years.
  const machine = { method: 'double-declining-balance', cost: '2400', salvageValue: '300', usefulLifeYears: 10, placedInService: '2024-01-01' } as const;

  it('first year 480.00, second 384.00, tenth 22.12 (limited to salvage)', () => {
    const rows = depreciationSchedule(machine);
    expect(rows).toHaveLength(10);
    expect(rows[0].amount).toBe('480.00'); // =DDB(A2,A3,A4,1,2)
    expect(rows[1].amount).toBe('384.00'); // 1,920 × 20 %
    expect(rows[9].amount).toBe('22.12'); // =DDB(A2,A3,A4,10)
    expect(rows[9].bookValue).toBe('300.00');
  });

  it("first month's depreciation 40.00", () => {
    // =DDB(A2,A3,A4*12,1,2) = $40.00
    expect(depreciationSchedule({ ...machine, periodFrequency: 'month' })[0].amount).toBe('40.00');
  });

  it("first day's depreciation 1.32 (actual days)", () => {
    // =DDB(A2,A3,A4*365,1) = $1.32 — one day of a 365-day year.
    const firstDay = depreciationUpTo({ ...machine, convention: 'actual-days', placedInService: '2023-01-01' }, '2023-01-01');
    expect(firstDay.accumulated).toBe('1.32');
  });

  it('factor 1.5: second year 306.00', () => {
    // =DDB(A2,A3,A4,2,1.5) = $306.00
    const rows = depreciationSchedule({ ...machine, method: 'declining-balance', factor: '1.5' });
    expect(rows[1].amount).toBe('306.00');
    // …and '150-declining-balance' is the same method.
    expect(depreciationSchedule({ ...machine, method: '150-declining-balance' })[1].amount).toBe('306.00');
  });

  it('declining-balance with factor 2 is double declining balance', () => {
    // DDB's factor argument defaults to 2 (Microsoft "DDB function").
    expect(amounts(depreciationSchedule({ ...machine, method: 'declining-balance', factor: 2 }))).toEqual(amounts(depreciationSchedule(machine)));
  });

  it('matches Kieso: Stanley Coal Mines crane 200,000 / 120,000 / 72,000 / 43,200 / 14,800', () => {
    // Source: Kieso, Weygandt & Warfield, Intermediate Accounting, ch. 11: double-declining-balance schedule for the
    // Stanley Coal Mines crane (cost $500,000, salvage $50,000, 5 years, rate 40 %); the last year is limited to salvage.
    const rows = depreciationSchedule({ method: 'double-declining-balance', cost: 500000, salvageValue: 50000, usefulLifeYears: 5, placedInService: '2025-01-01' });
    expect(amounts(rows)).toEqual(['200000.00', '120000.00', '72000.00', '43200.00', '14800.00']);
    expect(rows.at(-1)!.bookValue).toBe('50000.00');
  });
});

describe('declining balance with a partial first year and a switch to straight line (Excel VDB)', () => {
  it('VDB(2400, 300, 10, 0, 0.875, 1.5) = 315.00: 150 % for the first fiscal year owned (placed in the first quarter, mid-quarter)', () => {
    // Source: Microsoft Support, "VDB function" example: depreciation for the first fiscal year you own the machine,
    // assuming tax laws limit you to 150-percent declining balance: $315.00 (0.875 of a year).
    const rows = depreciationSchedule({ method: '150-declining-balance', cost: 2400, salvageValue: 300, usefulLifeYears: 10, placedInService: '2024-02-10', convention: 'mid-quarter' });
    expect(rows[0].amount).toBe('315.00');
  });

  it('VDB(2400, 300, 10, 0, 1) = 480.00 with the switch allowed', () => {
    // Microsoft "VDB function" example, first year's depreciation (no_switch omitted = FALSE).
    const rows = depreciationSchedule({ method: 'double-declining-balance', switchToStraightLine: true, cost: 2400, salvageValue: 300, usefulLifeYears: 10, placedInService: '2024-01-01' });
    expect(rows[0].amount).toBe('480.00');
  });

  it('200 % declining balance, half-year, switching to straight line reproduces Pub 946 Table A-1, 5-year column', () => {
    // Source: IRS Publication 946, Appendix A, Table A-1 (200 % DB switching to SL, half-year), 5-year:
    // 20.00, 32.00, 19.20, 11.52, 11.52, 5.76 % — the switch to straight line happens in year 5.
    const rows = depreciationSchedule({
      method: 'double-declining-balance',
      switchToStraightLine: true,
      convention: 'half-year',
      cost: 100000,
      usefulLifeYears: 5,
      placedInService: '2024-03-15',
    });
    expect(amounts(rows)).toEqual(['20000.00', '32000.00', '19200.00', '11520.00', '11520.00', '5760.00']);
    // Without the switch, year 5 would be 40 % of 17,280 = 6,912 and year 6 would take the rest.
    const noSwitch = depreciationSchedule({ method: 'double-declining-balance', convention: 'half-year', cost: 100000, usefulLifeYears: 5, placedInService: '2024-03-15' });
    expect(noSwitch[4].amount).toBe('6912.00');
    expect(noSwitch[5].amount).toBe('10368.00');
  });

  it('never depreciates below salvage, even with a rate of 100 %', () => {
    // Microsoft DDB Remarks: depreciation is limited so the book value does not fall below salvage.
    const rows = depreciationSchedule({ method: 'declining-balance', rate: 1, cost: 2400, salvageValue: 300, usefulLifeYears: 10, placedInService: '2024-01-01' });
    expect(amounts(rows)).toEqual(['2100.00']);
    expect(rows[0].bookValue).toBe('300.00');
  });
});
