/** Decimal arithmetic for amounts: decimal.js, never binary floats. */
import Decimal from 'decimal.js';

export type Dec = Decimal;
export const ZERO = new Decimal(0);
export const dec = (v: Decimal.Value): Decimal => new Decimal(v);
/** An amount as text with `places` decimals (ledger amounts carry the currency's minor unit). */
export const money = (v: Decimal.Value, places = 2): string => new Decimal(v).toFixed(places);
