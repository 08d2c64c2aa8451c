import { describe, it, expect } from 'vitest';
import { gs1CheckDigit, hasValidGs1CheckDigit, gs1CheckCharacterPair, Gs1Error } from '../../src/domain/index.js';

/*
 * GS1 mod-10 (GS1 General Specifications §7.9.1, Figure 7.9.1-2): weights 3, 1, 3, … from the
 * right-most data digit; check digit = (10 − sum mod 10) mod 10. Every expected value below is
 * worked out by hand in the comment next to it.
 */
describe('gs1CheckDigit (GS1 General Specifications §7.9.1)', () => {
  it('GTIN-13 629104150021 → 3 (the General Specifications check digit example)', () => {
    // 6·1 + 2·3 + 9·1 + 1·3 + 0·1 + 4·3 + 1·1 + 5·3 + 0·1 + 0·3 + 2·1 + 1·3
    // = 6 + 6 + 9 + 3 + 0 + 12 + 1 + 15 + 0 + 0 + 2 + 3 = 57 → 10 − 7 = 3
    expect(gs1CheckDigit('629104150021')).toBe('3');
    expect(hasValidGs1CheckDigit('6291041500213')).toBe(true);
  });

  it('GTIN-14 0952012345678 → 8 (GS1 Digital Link standard example GTIN 09520123456788)', () => {
    // 13 data digits, the first weighted 3: 0·3 + 9·1 + 5·3 + 2·1 + 0·3 + 1·1 + 2·3 + 3·1 + 4·3 + 5·1 + 6·3 + 7·1 + 8·3
    // = 0 + 9 + 15 + 2 + 0 + 1 + 6 + 3 + 12 + 5 + 18 + 7 + 24 = 102 → 8
    expect(gs1CheckDigit('0952012345678')).toBe('8');
  });

  it('GTIN-14 0950110153000 → 3 (the issue example (01)09501101530003)', () => {
    // 0·3 + 9·1 + 5·3 + 0·1 + 1·3 + 1·1 + 0·3 + 1·1 + 5·3 + 3·1 + 0·3 + 0·1 + 0·3 = 9+15+3+1+1+15+3 = 47 → 3
    expect(gs1CheckDigit('0950110153000')).toBe('3');
  });

  it('GTIN-8 4017072 → 5', () => {
    // 4·3 + 0·1 + 1·3 + 7·1 + 0·3 + 7·1 + 2·3 = 12 + 0 + 3 + 7 + 0 + 7 + 6 = 35 → 5
    expect(gs1CheckDigit('4017072')).toBe('5');
  });

  it('GTIN-12 (UPC-A) 41600033610 → 8 (GS1 Barcode Syntax Engine test value 416000336108)', () => {
    // 4·3 + 1·1 + 6·3 + 0·1 + 0·3 + 0·1 + 3·3 + 3·1 + 6·3 + 1·1 + 0·3 = 12+1+18+0+0+0+9+3+18+1+0 = 62 → 8
    expect(gs1CheckDigit('41600033610')).toBe('8');
  });

  it('SSCC 00614141123456789 → 0 (GS1 Barcode Syntax Engine test SSCC 006141411234567890)', () => {
    // 17 digits, first weighted 3: 0+0+6·3+1+4·3+1+4·3+1+1·3+2+3·3+4+5·3+6+7·3+8+9·3
    // = 18+1+12+1+12+1+3+2+9+4+15+6+21+8+27 = 140 → 0
    expect(gs1CheckDigit('00614141123456789')).toBe('0');
  });

  it('SSCC 37614100000000000 → 2', () => {
    // 3·3 + 7·1 + 6·3 + 1·1 + 4·3 + 1·1 + eleven zeros = 9+7+18+1+12+1 = 48 → 2
    expect(gs1CheckDigit('37614100000000000')).toBe('2');
  });

  it('GLN 950110102091 → 7 (GS1 General Specifications example GLN 9501101020917)', () => {
    // 12 digits, first weighted 1: 9·1+5·3+0·1+1·3+1·1+0·3+1·1+0·3+2·1+0·3+9·1+1·3 = 9+15+0+3+1+0+1+0+2+0+9+3 = 43 → 7
    expect(gs1CheckDigit('950110102091')).toBe('7');
  });

  it('a sum that is already a multiple of 10 gives 0', () => {
    // 0000000 → sum 0 → (10 − 0) mod 10 = 0
    expect(gs1CheckDigit('0000000')).toBe('0');
  });

  it('rejects non-digits', () => {
    expect(() => gs1CheckDigit('12A4')).toThrow(Gs1Error);
  });

  it('hasValidGs1CheckDigit spots a wrong last digit and non-digits', () => {
    expect(hasValidGs1CheckDigit('6291041500214')).toBe(false);
    expect(hasValidGs1CheckDigit('629104150021X')).toBe(false);
    expect(hasValidGs1CheckDigit('')).toBe(false);
  });
});

describe('gs1CheckCharacterPair (GS1 General Specifications §7.9.5, GMN check character pair)', () => {
  it('"00000!" → "HV"', () => {
    // CSET 82 values: "!" = 0, "0" = 13 (after the 13 symbols !"%&'()*+,-./).
    // Weights are primes from the right: ! ·2, then the five 0s ·3, ·5, ·7, ·11, ·13.
    // 0·2 + 13·(3+5+7+11+13) = 13·39 = 507; 507 mod 1021 = 507 = 15·32 + 27.
    // CSET 32 "23456789ABCDEFGHJKLMNPQRSTUVWXYZ": index 15 = "H", index 27 = "V".
    expect(gs1CheckCharacterPair('00000!')).toBe('HV');
  });

  it('"1987654Ad4X4bL5ttr2310c" → "2K" (the General Specifications GMN example 1987654Ad4X4bL5ttr2310c2K)', () => {
    expect(gs1CheckCharacterPair('1987654Ad4X4bL5ttr2310c')).toBe('2K');
  });

  it('empty data sums to 0 → "22"', () => {
    // sum 0 → indices 0 and 0 → "2", "2"
    expect(gs1CheckCharacterPair('')).toBe('22');
  });

  it('rejects characters outside CSET 82', () => {
    expect(() => gs1CheckCharacterPair('12 34')).toThrow(/character set 82/);
  });
});
