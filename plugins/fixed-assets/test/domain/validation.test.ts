import { describe, expect, it } from 'vitest';
import { type DepreciationInput, DepreciationInputError, depreciationSchedule, validateDepreciationInput } from '../../src/domain/depreciation/index.js';

const fields = (input: DepreciationInput) => validateDepreciationInput(input).map((p) => p.field);
const valid: DepreciationInput = { method: 'straight-line', cost: '30000', salvageValue: '7500', usefulLifeYears: 10, placedInService: '2024-01-01' };

describe('validateDepreciationInput', () => {
  it('accepts a complete input', () => {
    expect(validateDepreciationInput(valid)).toEqual([]);
    expect(validateDepreciationInput({ method: 'macrs', cost: 10000, recoveryPeriodYears: 7, convention: 'mid-quarter', placedInService: '2024-11-01', fiscalYearStart: '07-01', periodFrequency: 'month' })).toEqual([]);
  });

  it('names an unknown method', () => {
    expect(fields({ ...valid, method: 'reducing-balance' as never })).toEqual(['method']);
  });

  it('rejects negative cost, salvage above cost, and non-numbers', () => {
    expect(fields({ ...valid, cost: '-1' })).toContain('cost');
    expect(fields({ ...valid, salvageValue: '30000.01' })).toEqual(['salvageValue']);
    expect(fields({ ...valid, salvageValue: -1 })).toEqual(['salvageValue']);
    expect(fields({ ...valid, cost: '1,5' })).toEqual(['cost']);
    expect(fields({ ...valid, cost: Number.NaN })).toEqual(['cost']);
    expect(fields({ ...valid, cost: undefined as never })).toEqual(['cost']);
  });

  it('rejects a missing, zero or negative useful life', () => {
    expect(fields({ ...valid, usefulLifeYears: undefined })).toEqual(['usefulLifeYears']);
    expect(fields({ ...valid, usefulLifeYears: 0 })).toEqual(['usefulLifeYears']);
    expect(fields({ ...valid, usefulLifeYears: '-3' })).toEqual(['usefulLifeYears']);
    expect(fields({ ...valid, usefulLifeYears: 201 })).toEqual(['usefulLifeYears']);
  });

  it('needs a MACRS recovery period of 3, 5, 7, 10, 15 or 20 years and a MACRS convention', () => {
    const macrs: DepreciationInput = { method: 'macrs', cost: 10000, placedInService: '2024-01-01' };
    expect(fields(macrs)).toEqual(['recoveryPeriodYears']);
    expect(fields({ ...macrs, recoveryPeriodYears: 27.5 })).toEqual(['recoveryPeriodYears']);
    expect(fields({ ...macrs, recoveryPeriodYears: 5, convention: 'mid-month' })).toEqual(['convention']);
  });

  it('checks rate and factor', () => {
    const db: DepreciationInput = { ...valid, method: 'declining-balance' };
    expect(fields({ ...db, rate: 0 })).toEqual(['rate']);
    expect(fields({ ...db, rate: '1.2' })).toEqual(['rate']);
    expect(fields({ ...db, rate: 1 })).toEqual([]);
    expect(fields({ ...db, factor: 0 })).toEqual(['factor']);
    expect(fields({ ...db, factor: -2 })).toEqual(['factor']);
    expect(fields({ ...db, factor: 2, rate: 0.3 })).toEqual(['rate']);
    expect(fields({ ...valid, method: 'double-declining-balance', factor: 1.5 })).toEqual(['factor']);
    expect(fields({ ...valid, rate: 0.3 })).toEqual(['rate']);
    // Excel DB's fixed rate needs a salvage value above zero.
    expect(fields({ ...db, salvageValue: 0 })).toEqual(['salvageValue']);
  });

  it('needs totalUnits and non-negative units for units of production', () => {
    const uop: DepreciationInput = { method: 'units-of-production', cost: 500000, salvageValue: 50000, placedInService: '2025-01-01' };
    expect(fields(uop).sort()).toEqual(['totalUnits', 'unitsByPeriod']);
    expect(fields({ ...uop, totalUnits: 0, unitsByPeriod: [] }).sort()).toEqual(['totalUnits', 'unitsByPeriod']);
    expect(fields({ ...uop, totalUnits: 30000, unitsByPeriod: ['3000', '-1', 'x'] })).toEqual(['unitsByPeriod[1]', 'unitsByPeriod[2]']);
  });

  it('rejects bad dates, fiscal-year starts, conventions, frequencies and minor units', () => {
    expect(fields({ ...valid, placedInService: '2024-02-30' })).toEqual(['placedInService']);
    expect(fields({ ...valid, placedInService: '24-1-1' })).toEqual(['placedInService']);
    expect(fields({ ...valid, placedInService: undefined })).toEqual(['placedInService']);
    expect(fields({ ...valid, fiscalYearStart: '13-01' })).toEqual(['fiscalYearStart']);
    expect(fields({ ...valid, fiscalYearStart: '02-30' })).toEqual(['fiscalYearStart']);
    expect(fields({ ...valid, fiscalYearStart: '01-31' })).toEqual(['fiscalYearStart']);
    expect(fields({ ...valid, fiscalYearStart: '7-1' })).toEqual(['fiscalYearStart']);
    expect(fields({ ...valid, convention: 'mid-year' as never })).toEqual(['convention']);
    expect(fields({ ...valid, periodFrequency: 'quarter' as never })).toEqual(['periodFrequency']);
    expect(fields({ ...valid, minorUnits: 2.5 })).toEqual(['minorUnits']);
    expect(fields({ ...valid, switchToStraightLine: 'yes' as never })).toEqual(['switchToStraightLine']);
  });

  it('reports every problem at once', () => {
    expect(fields({ method: 'straight-line', cost: -1, salvageValue: 'x', placedInService: 'soon', fiscalYearStart: '00-00' }).sort()).toEqual(
      ['cost', 'fiscalYearStart', 'placedInService', 'salvageValue', 'usefulLifeYears'].sort(),
    );
  });

  it("'none' needs only a cost", () => {
    expect(validateDepreciationInput({ method: 'none', cost: '250000' })).toEqual([]);
    expect(fields({ method: 'none', cost: '-1' })).toEqual(['cost']);
  });
});

describe('depreciationSchedule on invalid input', () => {
  it('throws DepreciationInputError carrying the problems instead of computing', () => {
    try {
      depreciationSchedule({ ...valid, salvageValue: 40000, usefulLifeYears: 0 });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(DepreciationInputError);
      expect((error as DepreciationInputError).problems).toEqual([
        { field: 'salvageValue', message: 'must not exceed cost' },
        { field: 'usefulLifeYears', message: 'must be greater than 0' },
      ]);
    }
  });

  it("returns no rows for 'none' (land is not depreciated) and when there is nothing to depreciate", () => {
    expect(depreciationSchedule({ method: 'none', cost: 250000 })).toEqual([]);
    expect(depreciationSchedule({ ...valid, salvageValue: 30000 })).toEqual([]);
  });
});
