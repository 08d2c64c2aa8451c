/**
 * Decimal arithmetic for quantities and money. No binary float touches a ledger number: inputs are
 * parsed from strings (or integers) into decimal.js values with enough precision for numeric(28,10).
 *
 * Rounding policy (docs/plugins/inventory.md): unit costs and quantities keep full precision
 * (10 decimal places); every amount that is posted — a receipt's value, an issue's cost of goods —
 * is rounded half-even ("banker's rounding") to the currency's minor unit. An issue that empties a
 * cost layer (or the whole stock under moving average) takes exactly the amount left on it, so
 * the sum of posted amounts always equals the stock value and rounding never drifts.
 */
import Decimal from 'decimal.js';

export const D = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_EVEN, toExpNeg: -40, toExpPos: 40 });
export type Dec = InstanceType<typeof D>;
export type DecimalInput = Dec | string | number;

export const ZERO = new D(0);
/** Scale of stored unit costs and quantities (numeric(28,10)). */
export const QTY_SCALE = 10;

const DECIMAL_TEXT = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** Parse a decimal given as a string or a JS number; throws on anything else (NaN, Infinity, '1,5'). */
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

/** True when the value parses as a decimal. */
export const isDecimal = (value: unknown): boolean => {
  try {
    dec(value as DecimalInput);
    return true;
  } catch {
    return false;
  }
};

/** Round an amount to the currency's minor unit (half-even). */
export const money = (value: DecimalInput, minorUnits = 2): Dec => dec(value).toDecimalPlaces(minorUnits, D.ROUND_HALF_EVEN);
/** Round a quantity or unit cost to the stored scale. */
export const scaled = (value: DecimalInput): Dec => dec(value).toDecimalPlaces(QTY_SCALE, D.ROUND_HALF_EVEN);

/** Fixed-point text for the API: amounts with exactly `minorUnits` places, quantities without trailing zeros. */
export const amountText = (value: DecimalInput, minorUnits = 2): string => money(value, minorUnits).toFixed(minorUnits);
export const qtyText = (value: DecimalInput): string => {
  const s = scaled(value).toFixed();
  return s === '-0' ? '0' : s;
};

export const sum = (values: DecimalInput[]): Dec => values.reduce<Dec>((a, v) => a.plus(dec(v)), ZERO);
