import { describe, expect, it } from 'vitest';
import { amountText, dec, isDecimal, money } from '../../src/domain/money.js';

describe('money', () => {
  it('parses decimal text and JS numbers strictly, never through a binary float', () => {
    expect(dec('0.1').plus(dec('0.2')).toString()).toBe('0.3');
    expect(dec(0.1).plus(0.2).toString()).toBe('0.3');
    expect(dec(' 12.50 ').toString()).toBe('12.5');
    for (const bad of ['1,5', '', 'abc', '1e', Number.NaN, Number.POSITIVE_INFINITY]) expect(() => dec(bad as string)).toThrow(RangeError);
    expect(isDecimal('1e3')).toBe(true);
    expect(isDecimal(undefined)).toBe(false);
  });

  it('rounds amounts half-up (away from zero), as Excel ROUND and printed depreciation tables do', () => {
    // Excel ROUND(2.5, 0) = 3, ROUND(-2.5, 0) = -3; ROUND(0.125, 2) = 0.13.
    expect(money('2.5', 0).toString()).toBe('3');
    expect(money('-2.5', 0).toString()).toBe('-3');
    expect(money('0.125').toString()).toBe('0.13');
    expect(money('0.135').toString()).toBe('0.14');
  });

  it('writes fixed-point text with the minor units, never "-0.00"', () => {
    expect(amountText('1234.5')).toBe('1234.50');
    expect(amountText('-0.001')).toBe('0.00');
    expect(amountText('7', 0)).toBe('7');
    expect(amountText('1.23456', 3)).toBe('1.235');
  });
});
