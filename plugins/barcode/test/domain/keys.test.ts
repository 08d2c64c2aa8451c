import { describe, it, expect } from 'vitest';
import { isValidGs1Key, assertValidGs1Key, allocateSscc, allocateGiai, allocateGrai } from '../../src/domain/index.js';
import { expectGs1Error } from './helpers.js';

/*
 * Sources: GS1 General Specifications §2.2 (SSCC: extension digit + company prefix + serial
 * reference + check digit, 18 digits), §2.3 (GRAI: "0" + company prefix + asset type + check digit
 * + optional serial up to 16; GIAI: company prefix + asset reference, at most 30, no check digit),
 * §7.9.1 (check digit). 0614141 is the GS1 example company prefix used throughout GS1 documents.
 * Check digits are worked out by hand next to each value.
 */
describe('isValidGs1Key', () => {
  it('GTIN in all four lengths', () => {
    expect(isValidGs1Key('gtin', '6291041500213')).toBe(true); // 57 → 3, see check-digit.test.ts
    expect(isValidGs1Key('gtin', '6291041500214')).toBe(false);
    expect(isValidGs1Key('gtin', '40170725')).toBe(true); // 35 → 5
    expect(isValidGs1Key('gtin', '416000336108')).toBe(true); // 62 → 8
    expect(isValidGs1Key('gtin', '09520123456788')).toBe(true); // 102 → 8
    expect(isValidGs1Key('gtin', '123')).toBe(false);
  });

  it('SSCC, GLN, GSRN, GSIN, GDTI', () => {
    expect(isValidGs1Key('sscc', '106141411234567897')).toBe(true);
    expect(isValidGs1Key('sscc', '106141411234567890')).toBe(false);
    expect(isValidGs1Key('gln', '9501101020917')).toBe(true);
    expect(isValidGs1Key('gln', '9501101020918')).toBe(false);
    // GSRN 06141411234567890|2 (sum 108 → 2)
    expect(isValidGs1Key('gsrn', '061414112345678902')).toBe(true);
    expect(isValidGs1Key('gsrnp', '061414112345678903')).toBe(false);
    // GSIN 0614141123456789|0 (sum 140 → 0)
    expect(isValidGs1Key('gsin', '06141411234567890')).toBe(true);
    // GDTI 061414100001|2: 0·1+6·3+1·1+4·3+1·1+4·3+1·1+0+0+0+0+1·3 = 48 → 2; serial "ABC"
    expect(isValidGs1Key('gdti', '0614141000012ABC')).toBe(true);
  });

  it('GRAI (with leading 0), GIAI and GINC (no check digit), GMN (check pair)', () => {
    expect(isValidGs1Key('grai', '00614141123452XYZ')).toBe(true);
    expect(isValidGs1Key('grai', '00614141123453')).toBe(false);
    expect(isValidGs1Key('grai', '10614141123452')).toBe(false);
    expect(isValidGs1Key('giai', '0614141A1B2C3')).toBe(true);
    expect(isValidGs1Key('giai', 'ABCD-1')).toBe(false); // must start with a company prefix
    expect(isValidGs1Key('giai', '0614141' + 'X'.repeat(24))).toBe(false); // 31 > 30
    expect(isValidGs1Key('ginc', '0614141ORDER-7')).toBe(true);
    expect(isValidGs1Key('gmn', '1987654Ad4X4bL5ttr2310c2K')).toBe(true);
  });

  it('assertValidGs1Key names expected and found check digit', () => {
    expectGs1Error(() => assertValidGs1Key('gln', '9501101020918'), 'check-digit', { ai: '414', message: /expected 7, found 8/ });
    expectGs1Error(() => assertValidGs1Key('gtin', '12345678901'), 'invalid-key', { message: /8, 12, 13 or 14/ });
  });
});

describe('allocateSscc', () => {
  it('extension 1, prefix 0614141, serial 123456789 → 106141411234567897', () => {
    // 1 0614141 123456789: 1·3+0+6·3+1+4·3+1+4·3+1+1·3+2+3·3+4+5·3+6+7·3+8+9·3 = 143 → 7
    expect(allocateSscc('0614141', '1', '123456789')).toBe('106141411234567897');
    expect(allocateSscc('0614141', 1, 123456789)).toBe('106141411234567897');
  });

  it('zero-pads a short serial reference', () => {
    // 0 0614141 000000042: 0+0+6·3+1+4·3+1+4·3+1+0+…+0+4·1+2·3 = 18+1+12+1+12+1+4+6 = 55 → 5
    expect(allocateSscc('0614141', 0, '42')).toBe('006141410000000425');
  });

  it('a 6-digit prefix leaves 10 digits of serial: 3 761410 0000000000 → check 2', () => {
    // 3·3 + 7·1 + 6·3 + 1·1 + 4·3 + 1·1 + zeros = 48 → 2
    expect(allocateSscc('761410', 3, '0')).toBe('376141000000000002');
  });

  it('refuses what does not fit', () => {
    expectGs1Error(() => allocateSscc('123456789012', 0, '12345'), 'reference-does-not-fit', { message: /only 4 are left/ });
    expectGs1Error(() => allocateSscc('12345', 0, '1'), 'reference-does-not-fit', { message: /6 to 12 digits/ });
    expectGs1Error(() => allocateSscc('1234567890123', 0, '1'), 'reference-does-not-fit');
    expectGs1Error(() => allocateSscc('06141A1', 0, '1'), 'reference-does-not-fit', { message: /all digits/ });
    expectGs1Error(() => allocateSscc('0614141', '10', '1'), 'reference-does-not-fit', { message: /extension digit/ });
    expectGs1Error(() => allocateSscc('0614141', 0, '12A'), 'reference-does-not-fit');
    expectGs1Error(() => allocateSscc('0614141', 0, -1), 'reference-does-not-fit');
  });
});

describe('allocateGiai', () => {
  it('prefix + asset reference', () => {
    expect(allocateGiai('0614141', 'A1B2C3')).toBe('0614141A1B2C3');
  });

  it('refuses over-long, empty or illegal references', () => {
    // 7 + 24 = 31 > 30
    expectGs1Error(() => allocateGiai('0614141', 'X'.repeat(24)), 'reference-does-not-fit', { message: /leaves 23/ });
    expect(allocateGiai('0614141', 'X'.repeat(23))).toHaveLength(30);
    expectGs1Error(() => allocateGiai('0614141', ''), 'reference-does-not-fit');
    expectGs1Error(() => allocateGiai('0614141', 'A B'), 'reference-does-not-fit', { message: /character set 82/ });
  });
});

describe('allocateGrai', () => {
  it('prefix + asset type + check digit + serial', () => {
    // 0 0614141 12345: 0·3+0+6·3+1+4·3+1+4·3+1+1·3+2+3·3+4+5·3 = 78 → 2
    expect(allocateGrai('0614141', '12345', 'XYZ')).toBe('00614141123452XYZ');
  });

  it('zero-pads the asset type; no serial', () => {
    // 0 0614141 00007: 6·3+1+4·3+1+4·3+1+7·3 = 18+1+12+1+12+1+21 = 66 → 4
    expect(allocateGrai('0614141', 7)).toBe('00614141000074');
  });

  it('a 12-digit prefix leaves no asset type digits', () => {
    // 0 123456789012: 0·3+1+2·3+3+4·3+5+6·3+7+8·3+9+0·3+1+2·3 = 92 → 8
    expect(allocateGrai('123456789012', '')).toBe('01234567890128');
  });

  it('refuses what does not fit', () => {
    expectGs1Error(() => allocateGrai('0614141', '123456'), 'reference-does-not-fit', { message: /only 5 are left/ });
    expectGs1Error(() => allocateGrai('0614141', '1', 'S'.repeat(17)), 'reference-does-not-fit', { message: /1 to 16/ });
    expectGs1Error(() => allocateGrai('0614141', '1', 'A B'), 'reference-does-not-fit');
  });
});
