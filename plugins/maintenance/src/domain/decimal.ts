/**
 * Decimal arithmetic for meter values, usage, tolerances and hours. No binary float touches a meter
 * value: inputs are parsed from strings (or JS numbers through their shortest text, so 0.1 stays
 * 0.1) into decimal.js values carried at 40 significant digits. Results leave as plain decimal
 * text without exponents or trailing zeros (`'1250'`, `'0.5'`), which is also the canonical form
 * used in idempotency keys (`meter:1250`).
 */
import Decimal from 'decimal.js';

export const D = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP, toExpNeg: -40, toExpPos: 40 });
export type Dec = InstanceType<typeof D>;
export type DecimalInput = Dec | string | number;

export const ZERO = new D(0);

const DECIMAL_TEXT = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** Parse a decimal given as a string or a finite JS number; throws on anything else (NaN, '1,5', ''). */
export function dec(value: DecimalInput): Dec {
  if (value instanceof D) return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
    return new D(String(value));
  }
  if (typeof value !== 'string' || !DECIMAL_TEXT.test(value.trim())) throw new RangeError(`not a decimal number: ${JSON.stringify(value)}`);
  return new D(value.trim());
}

/** The parsed decimal, or undefined when the value is not a decimal number. */
export function tryDec(value: unknown): Dec | undefined {
  if (value instanceof D) return value;
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  try {
    return dec(value);
  } catch {
    return undefined;
  }
}

/** Canonical decimal text: no exponent, no trailing zeros, never `-0`. */
export const decText = (value: Dec): string => (value.isZero() ? '0' : value.toFixed());

/** Text rounded half-up to exactly `places` decimal places (for hours and rates shown to people). */
export const fixedText = (value: Dec, places: number): string => {
  const rounded = value.toDecimalPlaces(places, D.ROUND_HALF_UP);
  return (rounded.isZero() ? ZERO : rounded).toFixed(places);
};
