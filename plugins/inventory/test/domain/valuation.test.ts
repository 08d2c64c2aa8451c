import { describe, expect, it } from 'vitest';
import { D, money } from '../../src/domain/money.js';
import { ValuationInputError, simulateValuation, type SimulatedMove, type ValuationInput } from '../../src/domain/valuation.js';

const run = (method: ValuationInput['method'], system: ValuationInput['system'], moves: SimulatedMove[], extra: Partial<ValuationInput> = {}) =>
  simulateValuation({ method, system, moves, ...extra });

/** The error a call throws, so its fields can be checked. */
function errorOf(call: () => unknown): ValuationInputError {
  try {
    call();
  } catch (err) {
    expect(err).toBeInstanceOf(ValuationInputError);
    return err as ValuationInputError;
  }
  throw new Error('expected a ValuationInputError');
}

/*
 * Houston Electronics' Astro condensers — Weygandt, Kimmel & Kieso, "Accounting Principles",
 * ch. 6 "Inventories" (Illustration 6-5 and Appendix 6A, Illustration 6A-1; seen in the excerpts at
 * coursehero.com/file/p55h6lk and coursehero.com/file/p2fmst):
 *   Jan 1 beginning inventory 100 @ $10 = $1,000; Apr 15 purchase 200 @ $11 = $2,200;
 *   Aug 24 purchase 300 @ $12 = $3,600; Sep 10 sale of 550 units; Nov 27 purchase 400 @ $13 = $5,200.
 *   Goods available: 1,000 units, $12,000; 450 units on hand at Dec 31.
 * The periodic chapter does not date the sale; the appendix's Sep 10 date is used for both systems.
 */
const houston: SimulatedMove[] = [
  { type: 'in', qty: 100, unitCost: 10 },
  { type: 'in', qty: 200, unitCost: 11 },
  { type: 'in', qty: 300, unitCost: 12 },
  { type: 'out', qty: 550 },
  { type: 'in', qty: 400, unitCost: 13 },
];

describe('perpetual, Houston Electronics (Weygandt, Appendix 6A)', () => {
  it('FIFO: Illustration 6A-2 — COGS $6,200, ending inventory $5,800', () => {
    // Source: Sep 10 COGS = 100 @ $10 + 200 @ $11 + 250 @ $12 = $6,200; balance (50 @ $12) $600;
    // Nov 27 balance (50 @ $12)(400 @ $13) $5,800.
    const r = run('fifo', 'perpetual', houston);
    expect(r.issueCosts).toEqual(['6200.00']);
    expect(r.totalCogs).toBe('6200.00');
    expect(r.endingQty).toBe('450');
    expect(r.endingValue).toBe('5800.00');
    expect(r.valueAfterEachMove).toEqual(['1000.00', '3200.00', '6800.00', '600.00', '5800.00']);
    expect(r.layers).toEqual([
      { qty: '50', unitCost: '12', value: '600.00' },
      { qty: '400', unitCost: '13', value: '5200.00' },
    ]);
  });

  it('LIFO: Illustration 6A-3 — COGS $6,300, ending inventory $5,700', () => {
    // Source: Sep 10 COGS = 300 @ $12 + 200 @ $11 + 50 @ $10 = $6,300; balance (50 @ $10) $500;
    // Nov 27 balance (50 @ $10)(400 @ $13) $5,700.
    const r = run('lifo', 'perpetual', houston);
    expect(r.issueCosts).toEqual(['6300.00']);
    expect(r.endingValue).toBe('5700.00');
    expect(r.valueAfterEachMove).toEqual(['1000.00', '3200.00', '6800.00', '500.00', '5700.00']);
    expect(r.layers).toEqual([
      { qty: '50', unitCost: '10', value: '500.00' },
      { qty: '400', unitCost: '13', value: '5200.00' },
    ]);
  });

  it('moving average: Illustration 6A-4 — COGS $6,233, ending inventory $5,767 (source rounds to dollars)', () => {
    // Source: Apr 15 300 @ $10.667 = $3,200; Aug 24 600 @ $11.333 = $6,800; Sep 10 COGS 550 @ $11.333
    // = $6,233, balance 50 units $567; Nov 27 450 units $5,767 (@ $12.816).
    // In cents: 550 × 6,800/600 = 6,233.333… → 6,233.33; 6,800 − 6,233.33 = 566.67;
    // 566.67 + 5,200 = 5,766.67, average 5,766.67 / 450 = 12.8148222… (the book's $12.816 is
    // $5,767 / 450, from its dollar-rounded balance).
    const r = run('moving-average', 'perpetual', houston);
    expect(r.issueCosts).toEqual(['6233.33']);
    expect(r.endingValue).toBe('5766.67');
    expect(r.valueAfterEachMove).toEqual(['1000.00', '3200.00', '6800.00', '566.67', '5766.67']);
    expect(r.layers).toEqual([{ qty: '450', unitCost: '12.8148222222', value: '5766.67' }]);
  });
});

describe('periodic, Houston Electronics (Weygandt, ch. 6)', () => {
  it('FIFO: ending inventory $5,800, COGS $6,200 — the same as perpetual FIFO', () => {
    // Source (Appendix 6A, after Illustration 6A-2): "the results under FIFO in a perpetual system
    // are the same as in a periodic system. In both cases, the ending inventory is $5,800 and cost
    // of goods sold is $6,200."
    const r = run('fifo', 'periodic', houston);
    expect(r.issueCosts).toEqual(['6200.00']);
    expect(r.totalCogs).toBe('6200.00');
    expect(r.endingValue).toBe('5800.00');
    expect(r.layers).toEqual([
      { qty: '50', unitCost: '12', value: '600.00' },
      { qty: '400', unitCost: '13', value: '5200.00' },
    ]);
  });

  it('LIFO: the sale takes the latest purchases of the period, Nov 27 included — COGS $7,000, ending $5,000', () => {
    // By hand from the book's data: COGS = 400 @ $13 + 150 @ $12 = 5,200 + 1,800 = $7,000;
    // ending = 100 @ $10 + 200 @ $11 + 150 @ $12 = 1,000 + 2,200 + 1,800 = $5,000 = 12,000 − 7,000.
    // Perpetual LIFO gives $6,300 / $5,700 (above): the Nov 27 units were not there on Sep 10.
    const r = run('lifo', 'periodic', houston);
    expect(r.issueCosts).toEqual(['7000.00']);
    expect(r.endingValue).toBe('5000.00');
    expect(r.layers).toEqual([
      { qty: '100', unitCost: '10', value: '1000.00' },
      { qty: '200', unitCost: '11', value: '2200.00' },
      { qty: '150', unitCost: '12', value: '1800.00' },
    ]);
    // Running balance of the period-end assignment: negative between the sale and the purchase it used.
    expect(r.valueAfterEachMove).toEqual(['1000.00', '3200.00', '6800.00', '-200.00', '5000.00']);
  });

  it('weighted average: $12,000 / 1,000 units = $12.00 — COGS $6,600, ending $5,400', () => {
    // By hand: 550 × $12 = $6,600; 450 × $12 = $5,400.
    const r = run('weighted-average', 'periodic', houston);
    expect(r.issueCosts).toEqual(['6600.00']);
    expect(r.endingValue).toBe('5400.00');
    expect(r.layers).toEqual([{ qty: '450', unitCost: '12', value: '5400.00' }]);
  });
});

describe('perpetual with sales between purchases (simplestudies.com, "Accounting for inventories", §3)', () => {
  // Jan 1 beginning 50 @ $10; Feb 25 purchase 100 @ $12; Mar 3 sale 120; Apr 6 purchase 60 @ $14; May 17 sale 70.
  const moves: SimulatedMove[] = [
    { type: 'in', qty: 50, unitCost: 10 },
    { type: 'in', qty: 100, unitCost: 12 },
    { type: 'out', qty: 120 },
    { type: 'in', qty: 60, unitCost: 14 },
    { type: 'out', qty: 70 },
  ];

  it('LIFO: Illustration 10 — Mar 3 $1,400, May 17 $940, COGS $2,340, ending $200', () => {
    // Source: Mar 3 = 100 × $12 + 20 × $10 = $1,400 (30 @ $10 left); May 17 = 60 × $14 + 10 × $10 = $940;
    // Total COGS = $2,340, ending inventory 20 × $10 = $200.
    const r = run('lifo', 'perpetual', moves);
    expect(r.issueCosts).toEqual(['1400.00', '940.00']);
    expect(r.totalCogs).toBe('2340.00');
    expect(r.endingValue).toBe('200.00');
    expect(r.layers).toEqual([{ qty: '20', unitCost: '10', value: '200.00' }]);
  });

  it('FIFO: each sale takes the oldest layers left', () => {
    // By hand: Mar 3 = 50 × 10 + 70 × 12 = 1,340; May 17 = 30 × 12 + 40 × 14 = 920; ending 20 × 14 = 280;
    // 1,340 + 920 + 280 = 2,540 = 500 + 1,200 + 840 available.
    const r = run('fifo', 'perpetual', moves);
    expect(r.issueCosts).toEqual(['1340.00', '920.00']);
    expect(r.endingValue).toBe('280.00');
    expect(r.layers).toEqual([{ qty: '20', unitCost: '14', value: '280.00' }]);
  });
});

describe('standard cost and purchase price variance', () => {
  it('CMA practice question (gaodun.com/q/e06imv): 4,500 bought at $0.75 against $0.72 standard — PPV $135 unfavourable', () => {
    // Source: PPV = (0.75 − 0.72) × 4,500 = $135 unfavourable, on all units purchased, not the 4,100 used.
    // By hand: the 4,100 issued go out at standard, 4,100 × 0.72 = 2,952; 400 left × 0.72 = 288.
    const r = run('standard', 'perpetual', [{ type: 'in', qty: 4500, unitCost: '0.75' }, { type: 'out', qty: 4100 }], { standardCost: '0.72' });
    expect(r.purchasePriceVariance).toBe('135.00');
    expect(r.issueCosts).toEqual(['2952.00']);
    expect(r.endingValue).toBe('288.00');
    expect(r.layers).toEqual([{ qty: '400', unitCost: '0.72', value: '288.00' }]);
  });

  it('CMA practice question (gaodun.com/q/d06ilj): 75,000 lb at $3.96 against $4.00 — PPV $3,000 favourable (negative)', () => {
    // Source: ($3.96 − $4.00) × 75,000 = $(3,000) favourable; 70,000 lb used.
    // By hand: 70,000 × 4 = 280,000 issued; 5,000 × 4 = 20,000 left.
    const moves: SimulatedMove[] = [{ type: 'in', qty: 75000, unitCost: '3.96' }, { type: 'out', qty: 70000 }];
    const r = run('standard', 'perpetual', moves, { standardCost: 4 });
    expect(r.purchasePriceVariance).toBe('-3000.00');
    expect(r.issueCosts).toEqual(['280000.00']);
    expect(r.endingValue).toBe('20000.00');
    // Standard cost does not depend on the system.
    expect(run('standard', 'periodic', moves, { standardCost: 4 })).toEqual(r);
  });

  it('needs a non-negative standardCost', () => {
    expect(errorOf(() => run('standard', 'perpetual', houston))).toMatchObject({ moveIndex: null, field: 'standardCost' });
    expect(errorOf(() => run('standard', 'perpetual', houston, { standardCost: '-1' }))).toMatchObject({ moveIndex: null, field: 'standardCost' });
  });
});

describe('returns come back at the cost their issue left with', () => {
  // By hand: 10 @ 5 + 10 @ 8; issue 15 under FIFO = 10 × 5 + 5 × 8 = 90, i.e. 6.00 a unit.
  const base: SimulatedMove[] = [
    { type: 'in', qty: 10, unitCost: 5 },
    { type: 'in', qty: 10, unitCost: 8 },
    { type: 'out', qty: 15 },
  ];

  it('FIFO: the return is a new, newest layer at 6.00', () => {
    // Return 5 × 6 = 30; layers 5 @ 8 then 5 @ 6; the next issue of 10 takes 40 + 30 = 70.
    const r = run('fifo', 'perpetual', [...base, { type: 'return', of: 2, qty: 5 }, { type: 'out', qty: 10 }]);
    expect(r.issueCosts).toEqual(['90.00', '70.00']);
    expect(r.valueAfterEachMove).toEqual(['50.00', '130.00', '40.00', '70.00', '0.00']);
    // Net of the return: 90 − 30 + 70 = 130 = all receipts.
    expect(r.totalCogs).toBe('130.00');
    expect(r.endingQty).toBe('0');
  });

  it('LIFO: the returned layer is the newest, so it goes out first', () => {
    // LIFO issue 15 = 10 × 8 + 5 × 5 = 105 (7.00 a unit); return 5 → 35; layers 5 @ 5, 5 @ 7;
    // next issue of 5 takes the return layer: 35.
    const r = run('lifo', 'perpetual', [...base, { type: 'return', of: 2, qty: 5 }, { type: 'out', qty: 5 }]);
    expect(r.issueCosts).toEqual(['105.00', '35.00']);
    expect(r.layers).toEqual([{ qty: '5', unitCost: '5', value: '25.00' }]);
  });

  it('moving average: the return adds at the issue cost, here the average', () => {
    // Average (50 + 80) / 20 = 6.50; issue 15 = 97.50; 5 left = 32.50; return 5 × 6.50 = 32.50 → 65.00.
    const r = run('moving-average', 'perpetual', [...base, { type: 'return', of: 2, qty: 5 }]);
    expect(r.issueCosts).toEqual(['97.50']);
    expect(r.valueAfterEachMove).toEqual(['50.00', '130.00', '32.50', '65.00']);
    expect(r.layers).toEqual([{ qty: '10', unitCost: '6.5', value: '65.00' }]);
    expect(r.totalCogs).toBe('65.00');
  });

  it('a return in parts never drifts: the last part takes what is left of the issue', () => {
    // 3 units for 10.00; issue all 3 (10.00); return 1 = 3.33, then 2 = 10.00 − 3.33 = 6.67.
    const r = run('fifo', 'perpetual', [
      { type: 'in', qty: 3, unitCost: '3.3333333333' },
      { type: 'out', qty: 3 },
      { type: 'return', of: 1, qty: 1 },
      { type: 'return', of: 1, qty: 2 },
    ]);
    expect(r.valueAfterEachMove).toEqual(['10.00', '0.00', '3.33', '10.00']);
    expect(r.totalCogs).toBe('0.00');
  });

  it('refuses returning more than is left of the issue, or from anything but an earlier out', () => {
    const over = errorOf(() => run('fifo', 'perpetual', [...base, { type: 'return', of: 2, qty: 10 }, { type: 'return', of: 2, qty: 6 }]));
    expect(over).toMatchObject({ moveIndex: 4, field: 'qty' });
    expect(over.message).toMatch(/only 5 of it/);
    expect(errorOf(() => run('fifo', 'perpetual', [...base, { type: 'return', of: 0, qty: 1 }]))).toMatchObject({ moveIndex: 3, field: 'of' });
    expect(errorOf(() => run('fifo', 'perpetual', [...base, { type: 'return', of: 3, qty: 1 }]))).toMatchObject({ moveIndex: 3, field: 'of' });
    expect(errorOf(() => run('fifo', 'perpetual', [...base, { type: 'return', of: 1.5, qty: 1 }]))).toMatchObject({ moveIndex: 3, field: 'of' });
  });
});

describe('negative stock', () => {
  const overIssue: SimulatedMove[] = [
    { type: 'in', qty: 10, unitCost: 5 },
    { type: 'out', qty: 15 },
    { type: 'in', qty: 10, unitCost: 6 },
  ];

  it.each(['fifo', 'lifo', 'moving-average', 'standard'] as const)('%s: an issue beyond the stock is refused, naming the move and the shortfall', (method) => {
    const err = errorOf(() => run(method, 'perpetual', overIssue, { standardCost: 5 }));
    expect(err.moveIndex).toBe(1);
    expect(err.field).toBe('qty');
    expect(err.message).toMatch(/move 1 .*only 10 are in stock \(short by 5\)/);
  });

  it('periodic systems still follow the real sequence: no issue before the goods arrive', () => {
    const err = errorOf(() => run('fifo', 'periodic', [{ type: 'out', qty: 5 }, { type: 'in', qty: 10, unitCost: 2 }]));
    expect(err).toMatchObject({ moveIndex: 0, field: 'qty' });
  });

  it('FIFO with allowNegative: the next receipt covers the shortfall and the issue cost grows', () => {
    // Issue 15 with 10 @ 5 on hand: 50 now, 5 uncovered; the receipt of 10 @ 6 covers them: +30 → 80;
    // 5 @ 6 = 30 left.
    const r = run('fifo', 'perpetual', overIssue, { allowNegative: true });
    expect(r.issueCosts).toEqual(['80.00']);
    expect(r.valueAfterEachMove).toEqual(['50.00', '0.00', '30.00']);
    expect(r.layers).toEqual([{ qty: '5', unitCost: '6', value: '30.00' }]);
    expect(r.unvaluedQty).toBe('0');
    expect(r.totalCogs).toBe('80.00');
  });

  it('FIFO with allowNegative and no later receipt: the quantity stays unvalued', () => {
    const r = run('fifo', 'perpetual', overIssue.slice(0, 2), { allowNegative: true });
    expect(r).toMatchObject({ issueCosts: ['50.00'], endingQty: '-5', endingValue: '0.00', unvaluedQty: '5', layers: [] });
  });

  it('a receipt smaller than the shortfall covers part of it; the oldest shortfall first', () => {
    // Issues of 4 and 3 from nothing; receipt 5 @ 2 covers the first issue (8.00) and 1 of the second (2.00);
    // receipt 10 @ 3 covers the other 2 (6.00) and leaves 8 @ 3.
    const r = run('lifo', 'perpetual', [
      { type: 'out', qty: 4 },
      { type: 'out', qty: 3 },
      { type: 'in', qty: 5, unitCost: 2 },
      { type: 'in', qty: 10, unitCost: 3 },
    ], { allowNegative: true });
    expect(r.issueCosts).toEqual(['8.00', '8.00']);
    expect(r.valueAfterEachMove).toEqual(['0.00', '0.00', '0.00', '24.00']);
    expect(r.layers).toEqual([{ qty: '8', unitCost: '3', value: '24.00' }]);
  });

  it('moving average with allowNegative: the uncovered part waits for the next receipt, which values it', () => {
    // Issue 15 with 10 @ 5 on hand: the 10 leave with all 50.00, 5 are uncovered, balance 0.00;
    // receipt 10 @ 6: the 5 uncovered cost 30, so the issue becomes 50 + 30 = 80; 5 @ 6 = 30 left.
    const r = run('moving-average', 'perpetual', overIssue, { allowNegative: true });
    expect(r.valueAfterEachMove).toEqual(['50.00', '0.00', '30.00']);
    expect(r.issueCosts).toEqual(['80.00']);
    expect(r.layers).toEqual([{ qty: '5', unitCost: '6', value: '30.00' }]);
  });

  it('returning units of an issue that were never covered gives them back at their provisional cost', () => {
    // Moving average: issue 15 from 10 @ 5 = 75, 5 uncovered (25 provisional); return 5 of it: those 5
    // come back at 25 and the stock is 0 units, 0.00 again.
    const r = run('moving-average', 'perpetual', [...overIssue.slice(0, 2), { type: 'return', of: 1, qty: 5 }], { allowNegative: true });
    expect(r).toMatchObject({ endingQty: '0', endingValue: '0.00', unvaluedQty: '0', totalCogs: '50.00', layers: [] });
  });

  it('periodic with allowNegative: an early issue is costed from the period’s receipts', () => {
    const r = run('fifo', 'periodic', [{ type: 'out', qty: 5 }, { type: 'in', qty: 10, unitCost: 2 }], { allowNegative: true });
    expect(r).toMatchObject({ issueCosts: ['10.00'], endingValue: '10.00', valueAfterEachMove: ['-10.00', '10.00'] });
  });
});

describe('rounding', () => {
  const third: SimulatedMove = { type: 'in', qty: 3, unitCost: '3.3333333333' }; // 3 units for 10.00

  it.each(['fifo', 'lifo', 'moving-average'] as const)('%s: 1 of 3 units for 10.00 is 3.33; the issue that empties the stock takes the other 6.67', (method) => {
    const r = run(method, 'perpetual', [third, { type: 'out', qty: 1 }, { type: 'out', qty: 2 }]);
    expect(r.issueCosts).toEqual(['3.33', '6.67']);
    expect(r.endingValue).toBe('0.00');
    expect(r.layers).toEqual([]);
  });

  it('three single issues are 3.33, 3.33 and 3.34, never leaving a cent behind', () => {
    const r = run('fifo', 'perpetual', [third, { type: 'out', qty: 1 }, { type: 'out', qty: 1 }, { type: 'out', qty: 1 }]);
    expect(r.issueCosts).toEqual(['3.33', '3.33', '3.34']);
    expect(r.valueAfterEachMove).toEqual(['10.00', '6.67', '3.34', '0.00']);
  });

  it('amounts are rounded half-even to the minor unit', () => {
    // 1 × 0.125 = 0.125 → 0.12 (half to even); 1 × 0.135 → 0.14.
    const r = run('fifo', 'perpetual', [
      { type: 'in', qty: 1, unitCost: '0.125' },
      { type: 'in', qty: 1, unitCost: '0.135' },
    ]);
    expect(r.valueAfterEachMove).toEqual(['0.12', '0.26']);
  });

  it('minorUnits sets the precision of amounts (0 for yen, 3 for dinar)', () => {
    const yen = run('fifo', 'perpetual', [third, { type: 'out', qty: 1 }], { minorUnits: 0 });
    expect(yen).toMatchObject({ issueCosts: ['3'], endingValue: '7' });
    const dinar = run('fifo', 'perpetual', [third, { type: 'out', qty: 1 }], { minorUnits: 3 });
    expect(dinar).toMatchObject({ issueCosts: ['3.333'], endingValue: '6.667' });
  });

  it('decimal strings never pick up binary float artifacts: 0.1 + 0.2 is 0.3', () => {
    const strings = run('fifo', 'perpetual', [
      { type: 'in', qty: '0.1', unitCost: '0.1' },
      { type: 'in', qty: '0.2', unitCost: '0.2' },
    ]);
    expect(strings.endingQty).toBe('0.3');
    expect(strings.endingValue).toBe('0.05'); // 0.01 + 0.04
    const numbers = run('moving-average', 'perpetual', [
      { type: 'in', qty: 0.1, unitCost: 10 },
      { type: 'in', qty: 0.2, unitCost: 10 },
      { type: 'out', qty: 0.3 },
    ]);
    expect(numbers).toMatchObject({ issueCosts: ['3.00'], endingQty: '0', endingValue: '0.00' });
  });
});

describe('input checks', () => {
  it('refuses perpetual weighted average and periodic moving average', () => {
    expect(errorOf(() => run('weighted-average', 'perpetual', houston))).toMatchObject({ moveIndex: null, field: 'system', message: expect.stringMatching(/moving-average/) });
    expect(errorOf(() => run('moving-average', 'periodic', houston))).toMatchObject({ moveIndex: null, field: 'system', message: expect.stringMatching(/weighted-average/) });
  });

  it.each([
    [{ type: 'in', qty: 0, unitCost: 1 }, 'qty'],
    [{ type: 'in', qty: '-1', unitCost: 1 }, 'qty'],
    [{ type: 'in', qty: 1, unitCost: -0.01 }, 'unitCost'],
    [{ type: 'in', qty: '1,5', unitCost: 1 }, 'qty'],
    [{ type: 'in', qty: 1, unitCost: 'ten' }, 'unitCost'],
    [{ type: 'in', qty: Number.NaN, unitCost: 1 }, 'qty'],
    [{ type: 'move', qty: 1 }, 'type'],
  ] as [SimulatedMove, string][])('refuses %j (field %s)', (move, field) => {
    const err = errorOf(() => run('fifo', 'perpetual', [{ type: 'in', qty: 1, unitCost: 1 }, move]));
    expect(err).toMatchObject({ moveIndex: 1, field });
  });

  it('refuses an empty move list and a bad minorUnits', () => {
    expect(errorOf(() => run('fifo', 'perpetual', []))).toMatchObject({ moveIndex: null, field: 'moves' });
    expect(errorOf(() => run('fifo', 'perpetual', houston, { minorUnits: 1.5 }))).toMatchObject({ moveIndex: null, field: 'minorUnits' });
  });
});

describe('invariants over generated sequences', () => {
  // A small deterministic generator (mulberry32) so failures reproduce.
  function rng(seed: number) {
    return () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  const cases = [
    ['fifo', 'perpetual'],
    ['lifo', 'perpetual'],
    ['moving-average', 'perpetual'],
    ['standard', 'perpetual'],
    ['fifo', 'periodic'],
    ['lifo', 'periodic'],
    ['weighted-average', 'periodic'],
  ] as const;

  it.each(cases)('%s / %s: receipts = COGS + ending value, and the layers add up to the ending value', (method, system) => {
    for (let seed = 1; seed <= 40; seed++) {
      const random = rng(seed);
      const allowNegative = seed % 2 === 0;
      const moves: SimulatedMove[] = [];
      let onHand = 0;
      const outs: { index: number; left: number }[] = [];
      for (let i = 0; i < 30; i++) {
        const pick = random();
        const qty = (1 + Math.floor(random() * 700)) / 100; // 0.01 … 7.00
        const open = outs.filter((o) => o.left > 0);
        if (pick < 0.45) {
          moves.push({ type: 'in', qty: qty.toFixed(2), unitCost: (Math.floor(random() * 100000) / 10000).toFixed(4) });
          onHand += qty;
        } else if (pick < 0.85 && (allowNegative || onHand >= qty)) {
          moves.push({ type: 'out', qty: qty.toFixed(2) });
          outs.push({ index: i, left: qty });
          onHand -= qty;
        } else if (open.length) {
          const o = open[Math.floor(random() * open.length)];
          const back = Math.max(0.01, Math.floor(o.left * random() * 100) / 100);
          moves.push({ type: 'return', of: o.index, qty: back.toFixed(2) });
          o.left -= back;
          onHand += back;
        } else {
          moves.push({ type: 'in', qty: qty.toFixed(2), unitCost: '1.5' });
          onHand += qty;
        }
        onHand = Math.round(onHand * 100) / 100;
      }
      const standardCost = '2.3456';
      const r = run(method, system, moves, { allowNegative, standardCost });
      const received = moves.reduce((a, m) => (m.type === 'in' ? a.plus(money(new D(m.qty).times(method === 'standard' ? standardCost : m.unitCost))) : a), new D(0));
      const context = JSON.stringify({ seed, moves });
      expect(new D(r.totalCogs).plus(r.endingValue).toFixed(2), context).toBe(received.toFixed(2));
      expect(r.valueAfterEachMove.at(-1), context).toBe(r.endingValue);
      expect(r.valueAfterEachMove).toHaveLength(moves.length);
      expect(r.issueCosts).toHaveLength(moves.filter((m) => m.type === 'out').length);
      if (r.unvaluedQty === '0' && !r.endingQty.startsWith('-')) {
        expect(r.layers.reduce((a, l) => a.plus(l.value), new D(0)).toFixed(2), context).toBe(r.endingValue);
        expect(r.layers.reduce((a, l) => a.plus(l.qty), new D(0)).toFixed(), context).toBe(r.endingQty);
      }
      for (const l of r.layers) expect(new D(l.value).gte(0), context).toBe(true);
    }
  });

  // Speed is measured in tooling/bench, not here: this checks the largest sequence comes out whole.
  it('values the largest allowed sequence (10,000 moves) completely', () => {
    const moves: SimulatedMove[] = [];
    for (let i = 0; i < 5000; i++) moves.push({ type: 'in', qty: '1.5', unitCost: String(1 + (i % 7)) }, { type: 'out', qty: '1' });
    for (const [method, system] of cases) {
      const r = run(method, system, moves, { standardCost: 3 });
      // 5,000 × (1.5 − 1) left, every issue valued.
      expect(r.endingQty, `${method} ${system}`).toBe('2500');
      expect(r.issueCosts, `${method} ${system}`).toHaveLength(5000);
    }
  });
});
