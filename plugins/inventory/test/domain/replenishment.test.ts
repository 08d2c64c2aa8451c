import { describe, expect, it } from 'vitest';
import { D } from '../../src/domain/money.js';
import {
  ReplenishmentInputError,
  Z_DECIMALS,
  annualInventoryCost,
  demandStdDev,
  economicOrderQuantity,
  inventoryPosition,
  leadTimeDemandStdDev,
  reorderPoint,
  safetyStock,
  suggestOrder,
  zForServiceLevel,
} from '../../src/domain/replenishment.js';

/** Assert a ReplenishmentInputError naming `field`. */
function rejects(fn: () => unknown, field: string, message?: RegExp) {
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(error, `expected a ReplenishmentInputError on ${field}`).toBeInstanceOf(ReplenishmentInputError);
  expect((error as ReplenishmentInputError).field).toBe(field);
  if (message) expect((error as ReplenishmentInputError).message).toMatch(message);
}

const at = (v: InstanceType<typeof D>, places: number) => v.toDecimalPlaces(places).toFixed(places);

describe('economic order quantity', () => {
  it('Heizer & Render, Operations Management, ch. 12, Example 3 (Sharp, Inc. needles): Q* = 200', () => {
    // Source: holooly.com solution page for Example 3 "Finding the optimal order size at Sharp, Inc.":
    // D = 1,000 units, S = $10 per order, H = $.50 per unit per year; Q* = √(2·1,000·10 / 0.50) = √40,000 = 200 units.
    const r = economicOrderQuantity({ annualDemand: 1000, orderCost: 10, holdingCostPerUnitYear: '0.50' });
    expect(r.eoq.toFixed()).toBe('200');
    // Hand: orders (1,000/200)·$10 = $50, holding (200/2)·$0.50 = $50, total $100; 5 orders a year.
    expect(r.annualOrderingCost.toFixed()).toBe('50');
    expect(r.annualHoldingCost.toFixed()).toBe('50');
    expect(r.annualCost.toFixed()).toBe('100');
    expect(r.ordersPerYear.toFixed()).toBe('5');
  });

  it('Sharp, Inc. learning exercise: D = 1,200 gives Q* = 219 units', () => {
    // Same source: "If D increases to 1,200 units, what is the new Q*? [Answer: Q* = 219 units.]"
    // Hand: √(2·1,200·10 / 0.50) = √48,000 = 219.0890…
    const r = economicOrderQuantity({ annualDemand: '1200', orderCost: '10', holdingCostPerUnitYear: '0.5' });
    expect(r.eoq.toDecimalPlaces(0).toFixed()).toBe('219');
    expect(at(r.eoq, 4)).toBe('219.0890');
  });

  it('Wikipedia "Economic order quantity" example: D = 10,000, K = $2, P = $8, carrying 2 % → Q = 500', () => {
    // As reproduced in the calcfxc.com EOQ calculator documentation ("Reference: Economic order quantity - Wikipedia"):
    // annual requirement 10,000 units, cost per order $2, cost per unit $8, carrying cost 2 % → Q = 500.00.
    // H = 2 % × $8 = $0.16. Hand: √(2·10,000·2 / 0.16) = √250,000 = 500; cost 20 orders·$2 + 250·$0.16 = $40 + $40 = $80.
    const r = economicOrderQuantity({ annualDemand: 10000, orderCost: 2, holdingCostPerUnitYear: new D('0.02').times(8) });
    expect(r.eoq.toFixed()).toBe('500');
    expect(r.annualCost.toFixed()).toBe('80');
  });

  it('hardware supply warehouse (brainmass "Example 2-2"): D = 50,000, S = $20, H = $0.25 → 2,828 units', () => {
    // Source: brainmass.com "Applying the economic order quantity formula": "the optimal order quantity is thus 2,828".
    // Hand: √(2·50,000·20 / 0.25) = √8,000,000 = 2,828.4271…; cost at Q*: √(2·D·S·H) = √500,000 = $707.11.
    const r = economicOrderQuantity({ annualDemand: 50000, orderCost: 20, holdingCostPerUnitYear: 0.25 });
    expect(r.eoq.floor().toFixed()).toBe('2828');
    expect(at(r.eoq, 4)).toBe('2828.4271');
    expect(at(r.annualCost, 2)).toBe('707.11');
  });

  it('irrational Q*: D = 10,000, S = 40, H = 4 → √200,000 = 447.2136, the two cost halves equal', () => {
    // Hand: 2·10,000·40 / 4 = 200,000; √200,000 = 447.21359…; each half of the cost = √(D·S·H/2) = √800,000 = 894.4272.
    const r = economicOrderQuantity({ annualDemand: 10000, orderCost: 40, holdingCostPerUnitYear: 4 });
    expect(at(r.eoq, 4)).toBe('447.2136');
    expect(at(r.annualOrderingCost, 4)).toBe('894.4272');
    expect(at(r.annualHoldingCost, 4)).toBe('894.4272');
    expect(at(r.annualCost, 2)).toBe('1788.85');
  });

  it('prices an order quantity other than Q*: ordering 240 needles costs more than 200', () => {
    // Hand: (1,000/240)·10 + (240/2)·0.5 = 41.666… + 60 = 101.67 > 100.
    const r = annualInventoryCost({ annualDemand: 1000, orderCost: 10, holdingCostPerUnitYear: 0.5, orderQty: 240 });
    expect(at(r.annualCost, 2)).toBe('101.67');
  });

  it('refuses nonsense, naming the field', () => {
    rejects(() => economicOrderQuantity({ annualDemand: 1000, orderCost: 10, holdingCostPerUnitYear: 0 }), 'holdingCostPerUnitYear', /greater than 0/);
    rejects(() => economicOrderQuantity({ annualDemand: -5, orderCost: 10, holdingCostPerUnitYear: 1 }), 'annualDemand');
    rejects(() => economicOrderQuantity({ annualDemand: 0, orderCost: 10, holdingCostPerUnitYear: 1 }), 'annualDemand');
    rejects(() => economicOrderQuantity({ annualDemand: 1000, orderCost: '-1', holdingCostPerUnitYear: 1 }), 'orderCost');
    rejects(() => economicOrderQuantity({ annualDemand: '1,000', orderCost: 10, holdingCostPerUnitYear: 1 }), 'annualDemand', /decimal/);
    rejects(() => economicOrderQuantity({ annualDemand: Infinity, orderCost: 10, holdingCostPerUnitYear: 1 }), 'annualDemand');
    rejects(() => economicOrderQuantity({ annualDemand: 1000, orderCost: 10 } as never), 'holdingCostPerUnitYear', /required/);
  });
});

describe('z for a cycle service level (inverse standard normal, Wichura AS241)', () => {
  it('matches the inverse N(0,1) table of W. H. Cherry, University of Waterloo STAT 230, to its 4 places', () => {
    // Source: "Probabilities for the standard normal distribution", lower table "inverse N(0,1) c.d.f., giving z for a
    // specified F(z)" (coursehero.com copy): .50 .0000, .75 .6745, .80 .8416, .90 1.2816, .95 1.6449, .975 1.9600,
    // .98 2.0537, .99 2.3263, .995 2.5758, .999 3.0902.
    const table: [string, string][] = [
      ['0.50', '0.0000'],
      ['0.75', '0.6745'],
      ['0.80', '0.8416'],
      ['0.90', '1.2816'],
      ['0.95', '1.6449'],
      ['0.975', '1.9600'],
      ['0.98', '2.0537'],
      ['0.99', '2.3263'],
      ['0.995', '2.5758'],
      ['0.999', '3.0902'],
    ];
    for (const [p, z] of table) expect(at(zForServiceLevel(p), 4), `p = ${p}`).toBe(z);
  });

  it('gives the textbook three-place factors: 95 % → 1.645, 97.5 % → 1.960, 99 % → 2.326, 50 % → 0', () => {
    expect(at(zForServiceLevel(0.95), 3)).toBe('1.645');
    expect(at(zForServiceLevel(0.975), 3)).toBe('1.960');
    expect(at(zForServiceLevel(0.99), 3)).toBe('2.326');
    expect(zForServiceLevel(0.5).isZero()).toBe(true);
  });

  it('Stevenson, Operations Management 14e, ch. 12, Example 8: 3 % stockout risk → z = +1.88', () => {
    // Source (fliphtml5.com copy, p. 528): "using a service level of 1 − .03 = .9700, you obtain a value of z = +1.88".
    expect(at(zForServiceLevel('0.97'), 2)).toBe('1.88');
  });

  it('is accurate to 1e-9 across the range, tails included, and symmetric', () => {
    // Reference: mpmath 1.3 at 50 digits, z = findroot(ncdf(z) − p), printed to 20 significant digits.
    const reference: [string, string][] = [
      ['0.75', '0.6744897501960817432'],
      ['0.95', '1.6448536269514727149'],
      ['0.97', '1.8807936081512509389'],
      ['0.975', '1.9599639845400542355'],
      ['0.99', '2.3263478740408411009'],
      ['0.9999', '3.7190164854556805644'],
      ['0.3', '-0.52440051270804078404'],
      ['0.02', '-2.0537489106318230529'],
      ['0.000001', '-4.7534243088228989482'],
      // 1 − 10⁻¹² is not a double; the tail is taken in decimal, so it still resolves (doubles would give 7.03448691).
      ['0.999999999999', '7.0344838253011319298'],
      ['1e-20', '-9.2623400897984075737'],
    ];
    for (const [p, z] of reference) {
      const got = zForServiceLevel(p);
      expect(got.minus(z).abs().lte('1e-9'), `p = ${p}: ${got} vs ${z}`).toBe(true);
      expect(got.decimalPlaces()).toBeLessThanOrEqual(Z_DECIMALS);
    }
    expect(zForServiceLevel('0.02').plus(zForServiceLevel('0.98')).isZero()).toBe(true);
  });

  it('refuses levels outside (0, 1), including percentages', () => {
    for (const p of [0, 1, '1.0', -0.1, 1.5, 95]) rejects(() => zForServiceLevel(p), 'serviceLevel', /between 0 and 1/);
    rejects(() => zForServiceLevel('1e-400'), 'serviceLevel', /too close/);
    rejects(() => zForServiceLevel('abc'), 'serviceLevel', /decimal/);
  });
});

describe('safety stock and reorder point', () => {
  it('Stevenson 14e, ch. 12, Example 8 (sand): σ of lead-time demand 5 tons, z = 1.88 → SS 9.40 t, ROP 59.40 t', () => {
    // Source as above: "Safety stock = zσdLT = 1.88(5) = 9.40 tons"; "ROP = Expected lead time demand + Safety stock = 50 + 9.40 = 59.40 tons".
    // Mapped onto per-period inputs with the lead time as the period: σd = 5, L = 1, d = 50.
    const ss = safetyStock({ z: '1.88', demandStdDevPerPeriod: 5, leadTimePeriods: 1 });
    expect(ss.toFixed(2)).toBe('9.40');
    expect(reorderPoint({ demandPerPeriod: 50, leadTimePeriods: 1, safetyStock: ss }).toFixed(2)).toBe('59.40');
  });

  it('mfgcalcs.com safety stock calculator worked examples: z·σ·√L with σ = 40 units, L = 9 periods', () => {
    // Source: mfgcalcs.com "Safety Stock Calculator" examples: baseline Z = 1.65 → 198 units; Z = 0.83 → 99.6 units;
    // Z = 4.13 → 496 units (lead-time factor √9 = 3). Hand: 1.65·40·3 = 198; 0.83·40·3 = 99.6; 4.13·40·3 = 495.6.
    expect(safetyStock({ z: '1.65', demandStdDevPerPeriod: 40, leadTimePeriods: 9 }).toFixed()).toBe('198');
    expect(safetyStock({ z: '0.83', demandStdDevPerPeriod: 40, leadTimePeriods: 9 }).toFixed()).toBe('99.6');
    expect(safetyStock({ z: '4.13', demandStdDevPerPeriod: 40, leadTimePeriods: 9 }).toDecimalPlaces(0).toFixed()).toBe('496');
  });

  it('service level 50 % needs no safety stock; 85 % with σ 150 → z 1.04 → 156 units', () => {
    // Source: coursehero.com "chapter8" solutions, problem 11.5: σ = 150 units, lead-time demand 200:
    // "a. 50% service level ... SS = 0, OP = 200 units"; "b. 85% ... (150 units)(1.04) = 156 units, OP = 356".
    expect(safetyStock({ serviceLevel: '0.5', demandStdDevPerPeriod: 150, leadTimePeriods: 1 }).isZero()).toBe(true);
    expect(at(zForServiceLevel('0.85'), 2)).toBe('1.04');
    const ss = safetyStock({ z: '1.04', demandStdDevPerPeriod: 150, leadTimePeriods: 1 });
    expect(ss.toFixed()).toBe('156');
    expect(reorderPoint({ demandPerPeriod: 200, leadTimePeriods: 1, safetyStock: ss }).toFixed()).toBe('356');
    // From the level itself (z = 1.036433…): 155.4650 units.
    expect(at(safetyStock({ serviceLevel: '0.85', demandStdDevPerPeriod: 150, leadTimePeriods: 1 }), 4)).toBe('155.4650');
  });

  it('Heizer & Render ch. 12, constant demand and variable lead time: ROP = 60·6 + 1.28·60·2 = 513.6 ≈ 514 surgery packs', () => {
    // Source: fdocuments.net copy of Heizer & Render ch. 12 "Managing inventory", Equation (12-16):
    // weekly demand 60, average lead time 6 weeks, σLT = 2 weeks, Z = 1.28 (90 %): ROP = 360 + 153.6 = 513.6 ≈ 514.
    // The combined form with σd = 0: z·√(L·0² + d²·σL²) = 1.28·60·2 = 153.6.
    const input = { z: '1.28', demandStdDevPerPeriod: 0, leadTimePeriods: 6, leadTimeStdDevPeriods: 2, demandPerPeriod: 60 } as const;
    const ss = safetyStock(input);
    expect(ss.toFixed()).toBe('153.6');
    expect(reorderPoint({ demandPerPeriod: 60, leadTimePeriods: 6, safetyStock: ss }).toFixed()).toBe('513.6');
  });

  it('both demand and lead time vary: d 120/day, σd 60, L 5 days, σL 2 days, z 1.65', () => {
    // Inputs from supplychainanalytics.in "How to calculate safety stock when both demand and lead time fluctuate"
    // (formula SS = z·√(μL·σD² + μD²·σL²)). Hand: 5·60² = 18,000; 120²·2² = 57,600; √75,600 = 274.9545;
    // SS = 1.65·274.9545 = 453.6750; ROP = 120·5 + 453.6750 = 1,053.6750.
    const input = { z: '1.65', demandStdDevPerPeriod: 60, leadTimePeriods: 5, leadTimeStdDevPeriods: 2, demandPerPeriod: 120 } as const;
    expect(at(leadTimeDemandStdDev(input), 4)).toBe('274.9545');
    const ss = safetyStock(input);
    expect(at(ss, 4)).toBe('453.6750');
    expect(at(reorderPoint({ demandPerPeriod: 120, leadTimePeriods: 5, safetyStock: ss }), 4)).toBe('1053.6750');
  });

  it('without lead-time variability the safety stock is z·σd·√L, from a service level', () => {
    // Hand: 95 % → z = 1.644853627; σd = 5, L = 2: 1.644853627·5·√2 = 11.6309; ROP = 15·2 + 11.6309 = 41.6309.
    const ss = safetyStock({ serviceLevel: '0.95', demandStdDevPerPeriod: 5, leadTimePeriods: 2 });
    expect(at(ss, 4)).toBe('11.6309');
    expect(at(reorderPoint({ demandPerPeriod: 15, leadTimePeriods: 2, safetyStock: ss }), 4)).toBe('41.6309');
    expect(reorderPoint({ demandPerPeriod: 15, leadTimePeriods: 2 }).toFixed()).toBe('30');
  });

  it('refuses nonsense, naming the field', () => {
    const base = { demandStdDevPerPeriod: 5, leadTimePeriods: 2 };
    rejects(() => safetyStock({ ...base, z: 1.65, serviceLevel: 0.95 } as never), 'z', /not both/);
    rejects(() => safetyStock(base as never), 'serviceLevel', /required/);
    rejects(() => safetyStock({ ...base, serviceLevel: 1 }), 'serviceLevel');
    rejects(() => safetyStock({ ...base, z: 1.65, demandStdDevPerPeriod: -1 }), 'demandStdDevPerPeriod', /negative/);
    rejects(() => safetyStock({ ...base, z: 1.65, leadTimePeriods: '-2' }), 'leadTimePeriods');
    rejects(() => safetyStock({ ...base, z: 1.65, leadTimeStdDevPeriods: 1 }), 'demandPerPeriod', /leadTimeStdDevPeriods/);
    rejects(() => reorderPoint({ demandPerPeriod: -1, leadTimePeriods: 2 }), 'demandPerPeriod');
  });
});

describe('demand statistics', () => {
  it('{2, 4, 4, 4, 5, 5, 7, 9}: mean 5, squared deviations 32, sample σ = √(32/7) = 2.1381', () => {
    // Source: senseofstudy.com / easyformula.org standard deviation example: mean 40/8 = 5, Σ(x − x̄)² = 32
    // (population σ = √(32/8) = 2). The sample form divides by n − 1 = 7: √4.571428… = 2.13809.
    const s = demandStdDev([2, 4, 4, 4, 5, 5, 7, 9]);
    expect(s.n).toBe(8);
    expect(s.mean.toFixed()).toBe('5');
    expect(s.variance.times(7).toFixed()).toBe('32');
    expect(at(s.stdDev, 4)).toBe('2.1381');
  });

  it('weekly demand 12, 15, 9, 14, 10: mean 12, variance 26/4 = 6.5, s = 2.5495', () => {
    // Hand: mean 60/5 = 12; deviations 0, 3, −3, 2, −2; squares 0 + 9 + 9 + 4 + 4 = 26; 26/(5 − 1) = 6.5; √6.5 = 2.54951.
    const s = demandStdDev(['12', '15', '9', '14', '10']);
    expect(s.mean.toFixed()).toBe('12');
    expect(s.variance.toFixed()).toBe('6.5');
    expect(at(s.stdDev, 4)).toBe('2.5495');
  });

  it('needs two periods and non-negative demand', () => {
    rejects(() => demandStdDev([5]), 'history', /at least 2/);
    rejects(() => demandStdDev([5, -1, 3]), 'history.1', /negative/);
  });
});

describe('suggestOrder', () => {
  const rop = { kind: 'reorder-point', reorderPoint: 10, orderQty: 50, orderQtySource: 'eoq' } as const;

  it('orders EOQ rounded up to the order multiple, with a sentence that shows the arithmetic', () => {
    const s = suggestOrder({ ...rop, orderMultiple: 12 }, 4)!;
    expect(s.qty.toFixed()).toBe('60');
    expect(s.reason).toBe('position 4 is at or below the reorder point 10; ordering EOQ 50 rounded up to a multiple of 12 → 60');
  });

  it('triggers at the reorder point itself (≤) but not above it', () => {
    expect(suggestOrder(rop, 10)?.qty.toFixed()).toBe('50');
    expect(suggestOrder(rop, '10.0001')).toBeNull();
  });

  it('takes the inventory position as on hand + on order − reserved − backordered', () => {
    const position = { onHand: 10, onOrder: 5, reserved: 3, backordered: 8 };
    expect(inventoryPosition(position).toFixed()).toBe('4');
    expect(suggestOrder(rop, position)?.reason).toMatch(/^position 4 is at or below/);
    // Stock on order counts: 8 on hand + 40 coming is above the reorder point.
    expect(suggestOrder(rop, { onHand: 8, onOrder: 40 })).toBeNull();
  });

  it('orders as many lots as lift a deep backorder position above the reorder point', () => {
    // Position −45, ROP 10: one lot of 50 reaches 5 (still ≤ 10), two reach 55.
    const s = suggestOrder(rop, -45)!;
    expect(s.qty.toFixed()).toBe('100');
    expect(s.reason).toBe('position -45 is at or below the reorder point 10; ordering 2 × EOQ 50 = 100');
    // A reorder point below zero (service level under 50 %) is reached only through backorders.
    expect(suggestOrder({ ...rop, reorderPoint: -2 }, 0)).toBeNull();
    expect(suggestOrder({ ...rop, reorderPoint: -2 }, -3)?.qty.toFixed()).toBe('50');
  });

  it('raises to the minimum order quantity, then rounds up to the multiple', () => {
    // Need 50 → MOQ 100 → multiple of 12: 108.
    const s = suggestOrder({ ...rop, minimumOrderQty: 100, orderMultiple: 12 }, 4)!;
    expect(s.qty.toFixed()).toBe('108');
    expect(s.reason).toBe('position 4 is at or below the reorder point 10; ordering EOQ 50 raised to the minimum order quantity 100, rounded up to a multiple of 12 → 108');
    // A multiple that already fits changes nothing and is not mentioned.
    expect(suggestOrder({ ...rop, orderMultiple: 25 }, 4)!.reason).toBe('position 4 is at or below the reorder point 10; ordering EOQ 50');
  });

  it('min/max: orders up to max when the position is at or below min', () => {
    const rule = { kind: 'min-max', min: 5, max: 20 } as const;
    const s = suggestOrder(rule, 3)!;
    expect(s.qty.toFixed()).toBe('17');
    expect(s.reason).toBe('position 3 is at or below the min 5; ordering up to the max 20: 20 − 3 = 17');
    expect(suggestOrder(rule, 5)?.qty.toFixed()).toBe('15');
    expect(suggestOrder(rule, 6)).toBeNull();
    // Cases of 6 and a minimum of 25: 17 → 25 → 30.
    expect(suggestOrder({ ...rule, minimumOrderQty: 25, orderMultiple: 6 }, 3)?.qty.toFixed()).toBe('30');
    // min = max and the position on it: nothing to order.
    expect(suggestOrder({ kind: 'min-max', min: 5, max: 5 }, 5)).toBeNull();
  });

  it('reorder point with a max level: order up to it, or cap the lot by it', () => {
    const upTo = suggestOrder({ kind: 'reorder-point', reorderPoint: 10, maxLevel: 40 }, 4)!;
    expect(upTo.qty.toFixed()).toBe('36');
    expect(upTo.reason).toBe('position 4 is at or below the reorder point 10; ordering up to the max level 40: 40 − 4 = 36');
    const capped = suggestOrder({ kind: 'reorder-point', reorderPoint: 10, orderQty: 50, maxLevel: 40 }, 4)!;
    expect(capped.qty.toFixed()).toBe('36');
    expect(capped.reason).toBe('position 4 is at or below the reorder point 10; ordering the order quantity 50, capped by the max level: 40 − 4 = 36');
  });

  it('keeps fractional quantities exact (kg, litres) when there is no multiple', () => {
    const s = suggestOrder({ kind: 'min-max', min: '2.5', max: '10.25' }, '0.1')!;
    expect(s.qty.toFixed()).toBe('10.15');
  });

  it('refuses nonsense, naming the field', () => {
    rejects(() => suggestOrder({ kind: 'min-max', min: 10, max: 5 }, 0), 'max', /at least min/);
    rejects(() => suggestOrder({ kind: 'min-max', min: -1, max: 5 }, 0), 'min');
    rejects(() => suggestOrder({ kind: 'reorder-point', reorderPoint: 10 }, 0), 'orderQty', /maxLevel/);
    rejects(() => suggestOrder({ kind: 'reorder-point', reorderPoint: 10, maxLevel: 5 }, 0), 'maxLevel');
    rejects(() => suggestOrder({ ...rop, orderQty: 0 }, 0), 'orderQty');
    rejects(() => suggestOrder({ ...rop, orderMultiple: 0 }, 0), 'orderMultiple');
    rejects(() => suggestOrder({ ...rop, minimumOrderQty: -1 }, 0), 'minimumOrderQty');
    rejects(() => suggestOrder({ kind: 'weekly' } as never, 0), 'kind');
    rejects(() => suggestOrder(rop, { onHand: 4, reserved: -1 }), 'reserved');
    rejects(() => suggestOrder(rop, 'four'), 'position');
  });
});
