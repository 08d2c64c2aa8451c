import Decimal from 'decimal.js';
import { describe, expect, it } from 'vitest';
import {
  TABLE_A1_HALF_YEAR,
  TABLE_A2_MID_QUARTER_Q1,
  TABLE_A3_MID_QUARTER_Q2,
  TABLE_A4_MID_QUARTER_Q3,
  TABLE_A5_MID_QUARTER_Q4,
  depreciationSchedule,
  macrsConvention,
  macrsPercentages,
} from '../../src/domain/depreciation/index.js';
import { amounts, periods, total } from './support.js';

// Source for every expected percentage below: IRS Publication 946 (How To Depreciate Property), Appendix A,
// Table A-1 (half-year convention) and Tables A-2 to A-5 (mid-quarter convention, placed in service in the
// first … fourth quarter); GDS, 200 % DB for 3/5/7/10-year and 150 % DB for 15/20-year property.
const basis10k = (percentages: string[]) => percentages.map((p) => new Decimal(10000).times(p).div(100).toFixed(2));

describe('MACRS GDS, half-year convention (Table A-1)', () => {
  it('7-year property costing $10,000: 14.29 % → $1,429 in year 1, then 24.49, 17.49, 12.49, 8.93, 8.92, 8.93, 4.46 %', () => {
    const rows = depreciationSchedule({ method: 'macrs', cost: 10000, recoveryPeriodYears: 7, placedInService: '2024-08-15' });
    expect(amounts(rows)).toEqual(['1429.00', '2449.00', '1749.00', '1249.00', '893.00', '892.00', '893.00', '446.00']);
    expect(periods(rows)[0]).toEqual(['2024-01-01', '2024-12-31']);
    expect(rows.at(-1)!.bookValue).toBe('0.00');
  });

  it('5-year property: 20.00, 32.00, 19.20, 11.52, 11.52, 5.76 %', () => {
    const rows = depreciationSchedule({ method: 'macrs', cost: '10000', recoveryPeriodYears: 5, convention: 'half-year', placedInService: '2024-03-01' });
    expect(amounts(rows)).toEqual(basis10k(['20.00', '32.00', '19.20', '11.52', '11.52', '5.76']));
  });

  it('3-year property: 33.33, 44.45, 14.81, 7.41 %', () => {
    const rows = depreciationSchedule({ method: 'macrs', cost: 10000, recoveryPeriodYears: 3, placedInService: '2024-03-01' });
    expect(amounts(rows)).toEqual(basis10k(['33.33', '44.45', '14.81', '7.41']));
  });

  it('20-year property (150 % DB, three decimals): 3.750, 7.219, 6.677 … 4.461, 2.231 %', () => {
    const rows = depreciationSchedule({ method: 'macrs', cost: 100000, recoveryPeriodYears: 20, placedInService: '2024-03-01' });
    expect(rows).toHaveLength(21);
    expect(amounts(rows).slice(0, 3)).toEqual(['3750.00', '7219.00', '6677.00']);
    expect(amounts(rows).slice(-2)).toEqual(['4461.00', '2231.00']);
    expect(total(rows)).toBe('100000.00');
  });

  it('ignores salvage value: MACRS recovers the whole basis', () => {
    // Pub 946, ch. 4: salvage value is not taken into account under MACRS.
    const rows = depreciationSchedule({ method: 'macrs', cost: 10000, salvageValue: 2000, recoveryPeriodYears: 5, placedInService: '2024-03-01' });
    expect(total(rows)).toBe('10000.00');
    expect(rows[0].amount).toBe('2000.00');
  });

  it('rounds a basis with cents row by row, the final tax year absorbing the difference', () => {
    // 7-year, basis 1,234.56: 14.29 % = 176.418… → 176.42, 24.49 % = 302.343… → 302.34; the eight rows total the basis.
    const rows = depreciationSchedule({ method: 'macrs', cost: '1234.56', recoveryPeriodYears: 7, placedInService: '2024-03-01' });
    expect(amounts(rows).slice(0, 2)).toEqual(['176.42', '302.34']);
    expect(total(rows)).toBe('1234.56');
  });
});

describe('MACRS GDS, mid-quarter convention (Tables A-2 to A-5)', () => {
  it.each([
    ['2024-02-10', 'A-2, first quarter', ['35.00', '26.00', '15.60', '11.01', '11.01', '1.38']],
    ['2024-05-20', 'A-3, second quarter', ['25.00', '30.00', '18.00', '11.37', '11.37', '4.26']],
    ['2024-09-30', 'A-4, third quarter', ['15.00', '34.00', '20.40', '12.24', '11.30', '7.06']],
    ['2024-10-01', 'A-5, fourth quarter', ['5.00', '38.00', '22.80', '13.68', '10.94', '9.58']],
  ])('5-year property placed in service %s uses Table %s', (placedInService, _table, percentages) => {
    const rows = depreciationSchedule({ method: 'macrs', cost: 10000, recoveryPeriodYears: 5, convention: 'mid-quarter', placedInService });
    expect(amounts(rows)).toEqual(basis10k(percentages));
  });

  it('takes the quarter from the fiscal (tax) year: with years from 1 July, November is the second quarter', () => {
    // Table A-3, 7-year: 17.85, 23.47, 16.76, 11.97, 8.87, 8.87, 8.87, 3.34 %.
    const rows = depreciationSchedule({ method: 'macrs', cost: 10000, recoveryPeriodYears: 7, convention: 'mid-quarter', placedInService: '2024-11-15', fiscalYearStart: '07-01' });
    expect(amounts(rows)).toEqual(basis10k(['17.85', '23.47', '16.76', '11.97', '8.87', '8.87', '8.87', '3.34']));
    expect(periods(rows)[0]).toEqual(['2024-07-01', '2025-06-30']);
    expect(periods(rows)[7]).toEqual(['2031-07-01', '2032-06-30']);
    // …and May is the fourth quarter of that year: Table A-5, 7-year, year 1 = 3.57 %.
    const may = depreciationSchedule({ method: 'macrs', cost: 10000, recoveryPeriodYears: 7, convention: 'mid-quarter', placedInService: '2025-05-01', fiscalYearStart: '07-01' });
    expect(may[0]).toMatchObject({ periodStart: '2024-07-01', periodEnd: '2025-06-30', amount: '357.00' });
  });

  it('10-year Q1, 15-year Q3 and 20-year Q1 columns as printed (A-2 20-year, year 2 reads 7.000)', () => {
    const tenQ1 = depreciationSchedule({ method: 'macrs', cost: 10000, recoveryPeriodYears: 10, convention: 'mid-quarter', placedInService: '2024-01-02' });
    expect(amounts(tenQ1)).toEqual(basis10k(['17.50', '16.50', '13.20', '10.56', '8.45', '6.76', '6.55', '6.55', '6.56', '6.55', '0.82']));
    const fifteenQ3 = depreciationSchedule({ method: 'macrs', cost: 10000, recoveryPeriodYears: 15, convention: 'mid-quarter', placedInService: '2024-07-01' });
    expect(amounts(fifteenQ3)).toEqual(
      basis10k(['3.75', '9.63', '8.66', '7.80', '7.02', '6.31', '5.90', '5.90', '5.91', '5.90', '5.91', '5.90', '5.91', '5.90', '5.91', '3.69']),
    );
    const twentyQ1 = depreciationSchedule({ method: 'macrs', cost: 100000, recoveryPeriodYears: 20, convention: 'mid-quarter', placedInService: '2024-03-31' });
    expect(amounts(twentyQ1).slice(0, 2)).toEqual(['6563.00', '7000.00']);
    expect(twentyQ1.at(-1)!.amount).toBe('565.00');
  });

  it('monthly rows spread each tax year over the months in service and add up to the table amount of the year', () => {
    // Table A-5, 5-year: 5.00 % in the placement year (Nov–Dec here), 38.00 % in year 2, 9.58 % in year 6.
    const rows = depreciationSchedule({ method: 'macrs', cost: 10000, recoveryPeriodYears: 5, convention: 'mid-quarter', placedInService: '2024-11-15', periodFrequency: 'month' });
    expect(periods(rows)[0]).toEqual(['2024-11-01', '2024-11-30']);
    expect(amounts(rows.slice(0, 2))).toEqual(['250.00', '250.00']);
    expect(total(rows.slice(2, 14))).toBe('3800.00');
    // The recovery period ends at the middle of the fourth quarter of tax year 6: its months are January–November.
    expect(rows.at(-1)!.periodStart).toBe('2029-11-01');
    expect(total(rows.slice(-11))).toBe('958.00');
    expect(total(rows)).toBe('10000.00');
  });
});

describe('the published tables as encoded', () => {
  const tables = { 'A-1': TABLE_A1_HALF_YEAR, 'A-2': TABLE_A2_MID_QUARTER_Q1, 'A-3': TABLE_A3_MID_QUARTER_Q2, 'A-4': TABLE_A4_MID_QUARTER_Q3, 'A-5': TABLE_A5_MID_QUARTER_Q4 };
  const cases = Object.entries(tables).flatMap(([name, table]) => Object.entries(table).map(([period, column]) => [name, Number(period), column] as const));

  it.each(cases)('Table %s, %i-year: recovery period + 1 years, totalling 100 %', (_name, period, column) => {
    expect(column).toHaveLength(period + 1);
    expect(column.reduce((a, p) => a.plus(p), new Decimal(0)).toFixed(3)).toBe('100.000');
  });

  it.each(cases)('Table %s, %i-year: agrees with the declining-balance engine (switch to straight line) to the printed digit', (name, period, column) => {
    // The IRS builds the tables by 200 % (150 % for 15/20-year) declining balance switching to straight line; they
    // differ from the formula by at most one unit in the last printed place (rounded so each column totals 100),
    // except the documented quirk in Table A-2, 20-year (7.000 and 0.565 where the formula gives 7.008 and 0.557).
    const quarter = { 'A-1': 0, 'A-2': 1, 'A-3': 2, 'A-4': 3, 'A-5': 4 }[name]!;
    const placedInService = quarter === 0 ? '2024-01-15' : `2024-${String((quarter - 1) * 3 + 1).padStart(2, '0')}-15`;
    const rows = depreciationSchedule({
      method: period >= 15 ? '150-declining-balance' : 'double-declining-balance',
      switchToStraightLine: true,
      convention: quarter === 0 ? 'half-year' : 'mid-quarter',
      cost: 100,
      usefulLifeYears: period,
      placedInService,
      minorUnits: 6,
    });
    const places = period === 20 ? 3 : 2;
    const unit = new Decimal(10).pow(-places);
    const off = column
      .map((printed, i) => ({ year: i + 1, printed, formula: new Decimal(rows[i].amount).toFixed(places + 2) }))
      .filter(({ printed, formula }) => new Decimal(formula).minus(printed).abs().gt(unit.times(1.5)));
    expect(off.map((o) => o.year)).toEqual(name === 'A-2' && period === 20 ? [2, 21] : []);
  });

  it('macrsPercentages picks the table by convention and quarter', () => {
    expect(macrsPercentages(5, 'half-year')[0]).toBe('20.00');
    expect(macrsPercentages(5, 'mid-quarter', 4)[1]).toBe('38.00');
    expect(macrsPercentages(3, 'mid-quarter', 3)).toEqual(['25.00', '50.00', '16.67', '8.33']);
  });
});

describe('which convention applies: the 40 % test (IRC §168(d)(3); Pub 946 ch. 4, "Which Convention Applies?")', () => {
  it('office furniture $1,000 in August and a computer $5,000 in October: mid-quarter ($5,000 > 40 % of $6,000)', () => {
    // Source: J.K. Lasser's Your Income Tax, ¶42.7 "Last Quarter Placements—Mid-Quarter Convention" (example).
    const placements = [
      { placedInService: '2012-08-10', basis: '1000' },
      { placedInService: '2012-10-05', basis: '5000' },
    ];
    expect(macrsConvention({ placements })).toBe('mid-quarter');
    // Under it the furniture (7-year, third quarter, Table A-4: 10.71 %) gets $107.10, the computer (5-year, fourth quarter,
    // Table A-5: 5.00 %) $250.
    expect(depreciationSchedule({ method: 'macrs', convention: 'mid-quarter', recoveryPeriodYears: 7, cost: 1000, placedInService: '2012-08-10' })[0].amount).toBe('107.10');
    expect(depreciationSchedule({ method: 'macrs', convention: 'mid-quarter', recoveryPeriodYears: 5, cost: 5000, placedInService: '2012-10-05' })[0].amount).toBe('250.00');
  });

  it('machine A $3,000 in January and machine B $10,000 in November: mid-quarter (77 %); swapped: half-year (23 %)', () => {
    // Source: J.K. Lasser's Small Business Taxes 2013, ch. 14 "Mid-Quarter Convention" (two examples).
    expect(
      macrsConvention({
        placements: [
          { placedInService: '2012-01-15', basis: 3000 },
          { placedInService: '2012-11-15', basis: 10000 },
        ],
      }),
    ).toBe('mid-quarter');
    expect(
      macrsConvention({
        placements: [
          { placedInService: '2012-01-15', basis: 10000 },
          { placedInService: '2012-11-15', basis: 3000 },
        ],
      }),
    ).toBe('half-year');
  });

  it('needs more than 40 %: exactly 40 % stays half-year', () => {
    // IRC §168(d)(3)(A): the last-quarter bases must "exceed" 40 percent.
    const placements = [
      { placedInService: '2024-03-01', basis: '6000' },
      { placedInService: '2024-12-01', basis: '4000' },
    ];
    expect(macrsConvention({ placements })).toBe('half-year');
    expect(macrsConvention({ placements: [...placements, { placedInService: '2024-10-01', basis: '0.01' }] })).toBe('mid-quarter');
  });

  it('leaves out property placed in service and disposed of in the same year', () => {
    // IRC §168(d)(3)(B)(ii).
    const placements = [
      { placedInService: '2024-03-01', basis: 5000 },
      { placedInService: '2024-11-01', basis: 3000 },
      { placedInService: '2024-12-01', basis: 9000, disposedInSameYear: true },
    ];
    expect(macrsConvention({ placements })).toBe('half-year');
    expect(macrsConvention({ placements: placements.map((p) => ({ ...p, disposedInSameYear: false })) })).toBe('mid-quarter');
  });

  it('uses the last three months of the fiscal tax year (April–June for a year from 1 July)', () => {
    const placements = [
      { placedInService: '2024-08-01', basis: 4000 },
      { placedInService: '2025-05-01', basis: 6000 },
    ];
    expect(macrsConvention({ placements, fiscalYearStart: '07-01' })).toBe('mid-quarter');
    // The same months in one calendar tax year: nothing in October–December, so half-year.
    const calendarYear = [
      { placedInService: '2025-08-01', basis: 4000 },
      { placedInService: '2025-05-01', basis: 6000 },
    ];
    expect(macrsConvention({ placements: calendarYear })).toBe('half-year');
  });

  it('rejects placements from different tax years and bad input', () => {
    expect(() =>
      macrsConvention({
        placements: [
          { placedInService: '2024-08-01', basis: 1 },
          { placedInService: '2025-08-01', basis: 1 },
        ],
      }),
    ).toThrow(/one tax year/);
    expect(() => macrsConvention({ placements: [{ placedInService: '2024-02-30', basis: 'x' }], fiscalYearStart: '13-01' })).toThrow(/fiscalYearStart/);
  });
});
