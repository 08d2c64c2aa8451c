import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestPlatform } from '@quartermaster/testing';
import { bootInventory, caller, item, location, posted } from './fixtures.js';

/**
 * Weygandt, Kimmel & Kieso, "Accounting Principles", ch. 6 (Houston Electronics, Illustration 6-5):
 * beginning inventory 100 @ $10, purchases 200 @ $11 (Apr 15), 300 @ $12 (Aug 24), 400 @ $13 (Nov 27);
 * 550 units sold. Goods available 1,000 units / $12,000.
 * Periodic FIFO: ending 450 = 400 × 13 + 50 × 12 = $5,800, COGS $6,200 (Illustration 6-6).
 * Periodic LIFO: COGS = 400 × 13 + 150 × 12 = $7,000, ending $5,000.
 * Weighted average: $12,000 / 1,000 = $12.00 → COGS 550 × 12 = $6,600, ending $5,400.
 */
describe('period-end valuation under the periodic system, from the posted ledger', () => {
  let t: TestPlatform;
  let call: ReturnType<typeof caller>;

  beforeAll(async () => {
    t = await bootInventory();
    call = caller(t);
    const bin = await location(t, 'Houston', 'site');
    const tv = await item(t, 'Houston TV');
    await posted(t, { type: 'receipt', effectiveAt: '2024-12-31T12:00:00Z', lines: [{ itemId: tv, qty: 100, unitCost: 10, toLocationId: bin }] });
    await posted(t, { type: 'receipt', effectiveAt: '2025-04-15T12:00:00Z', lines: [{ itemId: tv, qty: 200, unitCost: 11, toLocationId: bin }] });
    await posted(t, { type: 'receipt', effectiveAt: '2025-08-24T12:00:00Z', lines: [{ itemId: tv, qty: 300, unitCost: 12, toLocationId: bin }] });
    await posted(t, { type: 'receipt', effectiveAt: '2025-11-27T12:00:00Z', lines: [{ itemId: tv, qty: 400, unitCost: 13, toLocationId: bin }] });
    await posted(t, { type: 'issue', effectiveAt: '2025-12-15T12:00:00Z', lines: [{ itemId: tv, qty: 550, fromLocationId: bin }] });
  });
  afterAll(async () => {
    await t?.close();
  });

  it.each([
    ['fifo', '6200.00', '5800.00'],
    ['lifo', '7000.00', '5000.00'],
    ['weighted-average', '6600.00', '5400.00'],
  ])('periodic %s: COGS %s, ending inventory %s', async (method, cogs, ending) => {
    const r = await call({ method: 'GET', url: `/api/inventory/reports/periodic?from=2025-01-01&to=2025-12-31&method=${method}` }, 200);
    expect(r.rows).toEqual([
      { itemId: expect.any(String), itemName: 'Houston TV', openingQty: '100', openingValue: '1000.00', inQty: '900', inValue: '11000.00', issuedQty: '550', cogs, endingQty: '450', endingValue: ending },
    ]);
    expect(r.totals).toEqual({ openingValue: '1000.00', inValue: '11000.00', cogs, endingValue: ending });
  });

  it('the perpetual FIFO ledger agrees with periodic FIFO here, since everything was bought before the sale', async () => {
    const r = await call({ method: 'GET', url: '/api/inventory/reports/cogs?from=2025-01-01&to=2025-12-31' }, 200);
    expect(r.totals.cogs).toBe('6200.00');
    const v = await call({ method: 'GET', url: '/api/inventory/reports/valuation?asOf=2025-12-31' }, 200);
    expect(v.totalValue).toBe('5800.00');
  });
});
