/**
 * Replenishment arithmetic: economic order quantity, the z of a cycle service level, safety stock,
 * reorder point, demand statistics, and the order a min/max or reorder-point rule suggests.
 *
 * Pure functions on decimal.js values (money.ts). Nothing is rounded here except z (see
 * Z_DECIMALS): callers round for display, so a reorder point built from a safety stock does not
 * carry the safety stock's rounding. Demand, lead time and their deviations must use one period
 * (days, weeks…) throughout; EOQ uses annual demand and annual holding cost per unit.
 */
import { D, ZERO, dec, qtyText, type Dec, type DecimalInput } from './money.js';

/** A replenishment input that makes no sense; `field` names it as the caller spelled it, `message` says why. */
export class ReplenishmentInputError extends Error {
  readonly field: string;
  constructor(field: string, message: string) {
    super(message);
    this.name = 'ReplenishmentInputError';
    this.field = field;
  }
}

const ONE = new D(1);
const TWO = new D(2);

type Rule = 'any' | 'non-negative' | 'positive';

/** Parse one input, naming the field in the error (dec() alone would only say "not a decimal"). */
function num(field: string, value: DecimalInput | null | undefined, rule: Rule = 'any'): Dec {
  if (value === undefined || value === null) throw new ReplenishmentInputError(field, 'is required');
  let v: Dec;
  try {
    v = dec(value);
  } catch {
    throw new ReplenishmentInputError(field, 'must be a finite decimal number');
  }
  if (rule === 'non-negative' && v.lt(0)) throw new ReplenishmentInputError(field, 'must not be negative');
  if (rule === 'positive' && v.lte(0)) throw new ReplenishmentInputError(field, 'must be greater than 0');
  return v;
}

const optional = (field: string, value: DecimalInput | null | undefined, rule: Rule = 'any'): Dec | undefined =>
  value === undefined || value === null ? undefined : num(field, value, rule);

// ---------------------------------------------------------------------------------------------
// Economic order quantity
// ---------------------------------------------------------------------------------------------

export interface EoqInput {
  /** Units demanded per year (D). */
  annualDemand: DecimalInput;
  /** Cost of placing one order, or of one setup (S). */
  orderCost: DecimalInput;
  /** Cost of holding one unit for a year (H). */
  holdingCostPerUnitYear: DecimalInput;
}

export interface EoqResult {
  /** Q* = √(2DS/H), unrounded. */
  eoq: Dec;
  /** (D/Q*)·S + (Q* ÷ 2)·H: ordering plus holding cost per year at Q*. */
  annualCost: Dec;
  annualOrderingCost: Dec;
  annualHoldingCost: Dec;
  /** D/Q*. */
  ordersPerYear: Dec;
}

/**
 * Harris's economic order quantity. All three inputs must be positive: with no demand or a free
 * order the model degenerates (Q* = 0, infinitely many orders), and with free holding Q* is infinite.
 */
export function economicOrderQuantity(input: EoqInput): EoqResult {
  const d = num('annualDemand', input.annualDemand, 'positive');
  const s = num('orderCost', input.orderCost, 'positive');
  const h = num('holdingCostPerUnitYear', input.holdingCostPerUnitYear, 'positive');
  const eoq = D.sqrt(TWO.times(d).times(s).div(h));
  const cost = annualInventoryCost({ annualDemand: d, orderCost: s, holdingCostPerUnitYear: h, orderQty: eoq });
  return { eoq, ...cost };
}

/** Ordering plus holding cost per year for any order quantity (to price a rounded or minimum order against Q*). */
export function annualInventoryCost(input: EoqInput & { orderQty: DecimalInput }): Omit<EoqResult, 'eoq'> {
  const d = num('annualDemand', input.annualDemand, 'positive');
  const s = num('orderCost', input.orderCost, 'non-negative');
  const h = num('holdingCostPerUnitYear', input.holdingCostPerUnitYear, 'non-negative');
  const q = num('orderQty', input.orderQty, 'positive');
  const ordersPerYear = d.div(q);
  const annualOrderingCost = ordersPerYear.times(s);
  const annualHoldingCost = q.div(TWO).times(h);
  return { annualCost: annualOrderingCost.plus(annualHoldingCost), annualOrderingCost, annualHoldingCost, ordersPerYear };
}

// ---------------------------------------------------------------------------------------------
// Service level → z
// ---------------------------------------------------------------------------------------------

/**
 * Decimal places z is returned with. Wichura's AS241 is accurate to about 1 part in 10^16, so 9
 * places are exact digits, finer than any printed table (which give 2–4) and far below anything
 * that moves a safety stock by a unit.
 */
export const Z_DECIMALS = 9;

// Wichura, "Algorithm AS 241: The Percentage Points of the Normal Distribution",
// Applied Statistics 37(3), 1988, pp. 477–484 (PPND16). Coefficients lowest order first, with the
// paper's 20 digits so they can be checked against it; each runs as its nearest double.
/* eslint-disable no-loss-of-precision */
const A = [3.387132872796366608, 133.14166789178437745, 1971.5909503065514427, 13731.693765509461125, 45921.953931549871457, 67265.770927008700853, 33430.575583588128105, 2509.0809287301226727];
const B = [1, 42.313330701600911252, 687.1870074920579083, 5394.1960214247511077, 21213.794301586595867, 39307.89580009271061, 28729.085735721942674, 5226.495278852854561];
const C = [1.42343711074968357734, 4.6303378461565452959, 5.7694972214606914055, 3.64784832476320460504, 1.27045825245236838258, 0.24178072517745061177, 0.0227238449892691845833, 7.7454501427834140764e-4];
const DD = [1, 2.05319162663775882187, 1.6763848301838038494, 0.68976733498510000455, 0.14810397642748007459, 0.0151986665636164571966, 5.475938084995344946e-4, 1.05075007164441684324e-9];
const E = [6.6579046435011037772, 5.4637849111641143699, 1.7848265399172913358, 0.29656057182850489123, 0.026532189526576123093, 0.0012426609473880784386, 2.71155556874348757815e-5, 2.01033439929228813265e-7];
const F = [1, 0.59983220655588793769, 0.13692988092273580531, 0.0148753612908506148525, 7.868691311456132591e-4, 1.8463183175100546818e-5, 1.4215117583164458887e-7, 2.04426310338993978564e-15];
/* eslint-enable no-loss-of-precision */

const horner = (c: number[], x: number) => c.reduceRight((acc, k) => acc * x + k, 0);

/** AS241 given q = p − ½ and the smaller tail min(p, 1 − p), both computed in decimal so 1 − p keeps its digits. */
function as241(q: number, tail: number): number {
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (q * horner(A, r)) / horner(B, r);
  }
  let r = Math.sqrt(-Math.log(tail));
  let x: number;
  if (r <= 5) {
    r -= 1.6;
    x = horner(C, r) / horner(DD, r);
  } else {
    r -= 5;
    x = horner(E, r) / horner(F, r);
  }
  return q < 0 ? -x : x;
}

/**
 * z such that Φ(z) = p: the number of standard deviations of lead-time demand a stock must cover
 * to meet demand in a fraction p of replenishment cycles (cycle service level, 0 < p < 1; 0.95,
 * not 95). Below 0.5 z is negative, and so is the safety stock it gives.
 */
export function zForServiceLevel(serviceLevel: DecimalInput, field = 'serviceLevel'): Dec {
  const p = num(field, serviceLevel);
  if (p.lte(0) || p.gte(1)) throw new ReplenishmentInputError(field, 'must be between 0 and 1, exclusive (a cycle service level such as 0.95)');
  const q = p.minus('0.5');
  if (q.isZero()) return ZERO;
  const tail = D.min(p, ONE.minus(p)).toNumber();
  // Doubles reach down to ~1e-308; a level closer to 0 or 1 than that has no finite z.
  if (!(tail > 0)) throw new ReplenishmentInputError(field, 'is too close to 0 or 1 for a finite z');
  return dec(as241(q.toNumber(), tail)).toDecimalPlaces(Z_DECIMALS, D.ROUND_HALF_EVEN);
}

// ---------------------------------------------------------------------------------------------
// Safety stock, reorder point, demand statistics
// ---------------------------------------------------------------------------------------------

export interface LeadTimeDemandInput {
  /** σd: standard deviation of demand per period. */
  demandStdDevPerPeriod: DecimalInput;
  /** L: average lead time, in periods. */
  leadTimePeriods: DecimalInput;
  /** σL: standard deviation of the lead time, in periods; needs demandPerPeriod. */
  leadTimeStdDevPeriods?: DecimalInput;
  /** d: average demand per period (only the lead-time-variability term uses it). */
  demandPerPeriod?: DecimalInput;
}

/**
 * Standard deviation of demand over the lead time: σd·√L, or √(L·σd² + d²·σL²) when the lead
 * time varies too (demand and lead time independent).
 */
export function leadTimeDemandStdDev(input: LeadTimeDemandInput): Dec {
  const sd = num('demandStdDevPerPeriod', input.demandStdDevPerPeriod, 'non-negative');
  const l = num('leadTimePeriods', input.leadTimePeriods, 'non-negative');
  const sl = optional('leadTimeStdDevPeriods', input.leadTimeStdDevPeriods, 'non-negative');
  if (sl === undefined) return sd.times(D.sqrt(l));
  if (input.demandPerPeriod === undefined || input.demandPerPeriod === null) throw new ReplenishmentInputError('demandPerPeriod', 'is required when leadTimeStdDevPeriods is given');
  const d = num('demandPerPeriod', input.demandPerPeriod, 'non-negative');
  return D.sqrt(l.times(sd.pow(2)).plus(d.pow(2).times(sl.pow(2))));
}

/** Give exactly one of z or serviceLevel. */
export type ServiceFactor = { z: DecimalInput; serviceLevel?: undefined } | { serviceLevel: DecimalInput; z?: undefined };

/** z from either form; both at once is refused rather than one silently winning. */
export function serviceFactor(input: { z?: DecimalInput; serviceLevel?: DecimalInput }): Dec {
  const hasZ = input.z !== undefined && input.z !== null;
  const hasLevel = input.serviceLevel !== undefined && input.serviceLevel !== null;
  if (hasZ && hasLevel) throw new ReplenishmentInputError('z', 'give either z or serviceLevel, not both');
  if (hasZ) return num('z', input.z);
  if (hasLevel) return zForServiceLevel(input.serviceLevel!);
  throw new ReplenishmentInputError('serviceLevel', 'is required (or give z)');
}

export type SafetyStockInput = ServiceFactor & LeadTimeDemandInput;

/** z·σd·√L, or z·√(L·σd² + d²·σL²) with lead-time variability. Unrounded. */
export function safetyStock(input: SafetyStockInput): Dec {
  const z = serviceFactor(input);
  return z.times(leadTimeDemandStdDev(input));
}

/** d·L + SS: expected demand over the lead time plus the safety stock (default 0). */
export function reorderPoint(input: { demandPerPeriod: DecimalInput; leadTimePeriods: DecimalInput; safetyStock?: DecimalInput }): Dec {
  const d = num('demandPerPeriod', input.demandPerPeriod, 'non-negative');
  const l = num('leadTimePeriods', input.leadTimePeriods, 'non-negative');
  const ss = optional('safetyStock', input.safetyStock) ?? ZERO;
  return d.times(l).plus(ss);
}

/**
 * Mean and sample standard deviation (divisor n − 1, since the history is a sample of the demand
 * process) of per-period demand. Needs at least two periods; demand is never negative (net
 * returns out of the history first).
 */
export function demandStdDev(history: readonly DecimalInput[]): { n: number; mean: Dec; variance: Dec; stdDev: Dec } {
  if (!Array.isArray(history) || history.length < 2) throw new ReplenishmentInputError('history', 'needs at least 2 periods for a sample standard deviation');
  const xs = history.map((v, i) => num(`history.${i}`, v, 'non-negative'));
  const n = xs.length;
  const mean = xs.reduce((a, x) => a.plus(x), ZERO).div(n);
  const variance = xs.reduce((a, x) => a.plus(x.minus(mean).pow(2)), ZERO).div(n - 1);
  return { n, mean, variance, stdDev: D.sqrt(variance) };
}

// ---------------------------------------------------------------------------------------------
// Order suggestion
// ---------------------------------------------------------------------------------------------

export interface InventoryPositionInput {
  onHand: DecimalInput;
  onOrder?: DecimalInput;
  /** Stock promised to reservations. */
  reserved?: DecimalInput;
  /** Demand already owed to customers. */
  backordered?: DecimalInput;
}

/** onHand + onOrder − reserved − backordered. On hand may be negative where the ledger allows it. */
export function inventoryPosition(p: InventoryPositionInput): Dec {
  return num('onHand', p.onHand)
    .plus(optional('onOrder', p.onOrder, 'non-negative') ?? ZERO)
    .minus(optional('reserved', p.reserved, 'non-negative') ?? ZERO)
    .minus(optional('backordered', p.backordered, 'non-negative') ?? ZERO);
}

interface OrderConstraints {
  /** Never order less than this (0 or absent: no minimum). */
  minimumOrderQty?: DecimalInput;
  /** Order in whole multiples of this (a case, a pallet); the quantity is rounded up. */
  orderMultiple?: DecimalInput;
}

/** Order up to max when the position is at or below min. */
export interface MinMaxRule extends OrderConstraints {
  kind: 'min-max';
  min: DecimalInput;
  max: DecimalInput;
}

/**
 * Order when the position is at or below the reorder point: a lot of orderQty (as many lots as lift
 * the position above the reorder point, capped at maxLevel if given), or up to maxLevel without one.
 */
export interface ReorderPointRule extends OrderConstraints {
  kind: 'reorder-point';
  reorderPoint: DecimalInput;
  orderQty?: DecimalInput;
  /** What orderQty is, for the reason text: an EOQ or a fixed lot (default). */
  orderQtySource?: 'eoq' | 'fixed';
  maxLevel?: DecimalInput;
}

export type ReorderRule = MinMaxRule | ReorderPointRule;

export interface OrderSuggestion {
  qty: Dec;
  /** One sentence a planner can check by hand. */
  reason: string;
  position: Dec;
}

const t = (v: Dec) => qtyText(v);

/**
 * The order a rule asks for at this inventory position, or null when none is due. The trigger is
 * "at or below" (≤) the min or reorder point, the textbook reading of a reorder point: stock has
 * reached the level that only just covers lead-time demand. The quantity is then raised to the
 * minimum order quantity and rounded up to the order multiple, in that order, so the result
 * satisfies both; rounding may take the position above max, and the reason says so.
 */
export function suggestOrder(rule: ReorderRule, position: DecimalInput | InventoryPositionInput): OrderSuggestion | null {
  const pos = typeof position === 'object' && !(position instanceof D) ? inventoryPosition(position as InventoryPositionInput) : num('position', position as DecimalInput);
  const moq = optional('minimumOrderQty', rule.minimumOrderQty, 'non-negative');
  const multiple = optional('orderMultiple', rule.orderMultiple, 'positive');

  let need: Dec;
  let trigger: string;
  let ordering: string;
  if (rule.kind === 'min-max') {
    const min = num('min', rule.min, 'non-negative');
    const max = num('max', rule.max, 'non-negative');
    if (max.lt(min)) throw new ReplenishmentInputError('max', 'must be at least min');
    if (pos.gt(min)) return null;
    need = max.minus(pos);
    trigger = `the min ${t(min)}`;
    ordering = `ordering up to the max ${t(max)}: ${t(max)} − ${t(pos)} = ${t(need)}`;
  } else if (rule.kind === 'reorder-point') {
    // Any sign: a service level below 50 % gives a reorder point below zero, which backorders can reach.
    const rop = num('reorderPoint', rule.reorderPoint);
    const lot = optional('orderQty', rule.orderQty, 'positive');
    const maxLevel = optional('maxLevel', rule.maxLevel, 'non-negative');
    if (maxLevel && maxLevel.lt(rop)) throw new ReplenishmentInputError('maxLevel', 'must be at least reorderPoint');
    if (!lot && !maxLevel) throw new ReplenishmentInputError('orderQty', 'is required unless maxLevel is given');
    if (pos.gt(rop)) return null;
    trigger = `the reorder point ${t(rop)}`;
    if (lot) {
      const label = rule.orderQtySource === 'eoq' ? 'EOQ' : 'the order quantity';
      // Smallest n with position + n·lot above the reorder point, so one order is enough (R, nQ).
      const lots = rop.minus(pos).div(lot).floor().plus(1);
      need = lots.times(lot);
      ordering = lots.eq(1) ? `ordering ${label} ${t(lot)}` : `ordering ${t(lots)} × ${label} ${t(lot)} = ${t(need)}`;
      if (maxLevel && need.gt(maxLevel.minus(pos))) {
        need = maxLevel.minus(pos);
        ordering += `, capped by the max level: ${t(maxLevel)} − ${t(pos)} = ${t(need)}`;
      }
    } else {
      need = maxLevel!.minus(pos);
      ordering = `ordering up to the max level ${t(maxLevel!)}: ${t(maxLevel!)} − ${t(pos)} = ${t(need)}`;
    }
  } else {
    throw new ReplenishmentInputError('kind', 'must be min-max or reorder-point');
  }
  // Only when the position already sits at max (min = max, or reorder point = max level).
  if (need.lte(0)) return null;

  let qty = need;
  const steps: string[] = [];
  if (moq && qty.lt(moq)) {
    qty = moq;
    steps.push(`raised to the minimum order quantity ${t(moq)}`);
  }
  if (multiple) {
    const rounded = qty.div(multiple).ceil().times(multiple);
    if (!rounded.eq(qty)) {
      qty = rounded;
      steps.push(`rounded up to a multiple of ${t(multiple)}`);
    }
  }
  const reason = `position ${t(pos)} is at or below ${trigger}; ${ordering}${steps.length ? ` ${steps.join(', ')} → ${t(qty)}` : ''}`;
  return { qty, reason, position: pos };
}
