/**
 * Decimal arithmetic for the fixed-assets plugin. No binary float touches an amount: inputs are
 * parsed from strings (or JS numbers through their shortest text) into decimal.js values carried at
 * 40 significant digits, so intermediate results (rates, fractions of a year, table percentages)
 * are exact for every practical purpose.
 *
 * Rounding policy: every amount that appears in a schedule or is posted is rounded to the
 * currency's minor unit (default 2 places) HALF-UP, i.e. half away from zero. That is how
 * depreciation tables are printed — Excel's ROUND, the IRS worksheets in Publication 946 — so a
 * schedule row reproduces the published figure for the same period. The final period of a
 * schedule absorbs the accumulated rounding difference, so the rows always total exactly the
 * depreciable base (depreciation/schedule.ts says how months and part-periods are rounded).
 */
import Decimal from 'decimal.js';

export const D = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP, toExpNeg: -40, toExpPos: 40 });
export type Dec = InstanceType<typeof D>;
export type DecimalInput = Dec | string | number;

export const ZERO = new D(0);
export const ONE = new D(1);
/** Default number of decimal places of a currency amount (cents). */
export const DEFAULT_MINOR_UNITS = 2;

const DECIMAL_TEXT = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** Parse a decimal given as a string or a JS number; throws on anything else (NaN, Infinity, '1,5', ''). */
export function dec(value: DecimalInput): Dec {
  if (value instanceof D) return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
    // Through the shortest round-trip text, so 0.1 stays 0.1 and not 0.1000000000000000055…
    return new D(String(value));
  }
  if (typeof value !== 'string' || !DECIMAL_TEXT.test(value.trim())) throw new RangeError(`not a decimal number: ${JSON.stringify(value)}`);
  return new D(value.trim());
}

/** The parsed decimal, or undefined when the value is not a decimal number. */
export function tryDec(value: unknown): Dec | undefined {
  try {
    return dec(value as DecimalInput);
  } catch {
    return undefined;
  }
}

/** True when the value parses as a decimal. */
export const isDecimal = (value: unknown): boolean => tryDec(value) !== undefined;

/** Round an amount to the currency's minor unit (half-up). */
export const money = (value: DecimalInput, minorUnits = DEFAULT_MINOR_UNITS): Dec => dec(value).toDecimalPlaces(minorUnits, D.ROUND_HALF_UP);

/** Fixed-point text for the API: exactly `minorUnits` places, never "-0.00". */
export const amountText = (value: DecimalInput, minorUnits = DEFAULT_MINOR_UNITS): string => {
  const rounded = money(value, minorUnits);
  return (rounded.isZero() ? ZERO : rounded).toFixed(minorUnits);
};

export const sum = (values: DecimalInput[]): Dec => values.reduce<Dec>((a, v) => a.plus(dec(v)), ZERO);
export const min = (a: Dec, b: Dec): Dec => (a.lt(b) ? a : b);
export const max = (a: Dec, b: Dec): Dec => (a.gt(b) ? a : b);
