/**
 * Cost-layer primitives shared by the perpetual ledger (server) and the what-if calculator.
 * Pure: layers in, consumptions out. See money.ts for the rounding policy.
 */
import { D, ZERO, dec, money, type Dec, type DecimalInput } from './money.js';

export interface CostLayer<K = string | number> {
  key: K;
  /** Quantity still in the layer. */
  remainingQty: Dec;
  /** Value still in the layer (rounded amount); equals remainingQty × unitCost up to rounding. */
  remainingValue: Dec;
  unitCost: Dec;
}

export interface Consumption<K = string | number> {
  key: K;
  qty: Dec;
  amount: Dec;
}

/**
 * Take `qty` from layers in the order given (oldest first for FIFO, newest first for LIFO).
 * A layer emptied completely gives up exactly its remaining value; a partial take is
 * qty × unit cost rounded to the minor unit. Returns what was taken and what could not be
 * covered (`unvalued`, non-zero only when stock runs out).
 */
export function consumeLayers<K>(layers: readonly CostLayer<K>[], qty: DecimalInput, minorUnits = 2): { consumptions: Consumption<K>[]; amount: Dec; unvalued: Dec } {
  let left = dec(qty);
  const consumptions: Consumption<K>[] = [];
  let amount = ZERO;
  for (const layer of layers) {
    if (left.lte(0)) break;
    if (layer.remainingQty.lte(0)) continue;
    const take = D.min(left, layer.remainingQty);
    const value = take.eq(layer.remainingQty) ? layer.remainingValue : D.min(money(take.times(layer.unitCost), minorUnits), layer.remainingValue);
    consumptions.push({ key: layer.key, qty: take, amount: value });
    amount = amount.plus(value);
    left = left.minus(take);
  }
  return { consumptions, amount, unvalued: D.max(left, ZERO) };
}

/**
 * Cost of an issue under moving average: qty × average unit cost, except that issuing everything
 * takes exactly the remaining value. With no stock (negative allowed) the last known average is used.
 */
export function averageIssueAmount(onHandQty: Dec, onHandValue: Dec, qty: DecimalInput, lastUnitCost: Dec, minorUnits = 2): Dec {
  const q = dec(qty);
  if (onHandQty.gt(0) && q.eq(onHandQty)) return onHandValue;
  const unit = onHandQty.gt(0) ? onHandValue.div(onHandQty) : lastUnitCost;
  return money(q.times(unit), minorUnits);
}

/** Unit cost in base units from a cost per purchase unit (a box of 12 at 24.00 is 2.00 each). */
export const baseUnitCost = (costPerUom: DecimalInput, factor: DecimalInput): Dec => dec(costPerUom).div(dec(factor));
