import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestPlatform } from '@quartermaster/testing';
import { dec } from '../../src/domain/money.js';
import { bootInventory, caller, item, location, posted } from './fixtures.js';

/**
 * Edge cases of the cost ledger and counting found in review: back-dated moves that need the cost
 * known at their date, returns and reversals under moving average, and stock that moves while counting.
 */

let t: TestPlatform;
let call: ReturnType<typeof caller>;
let a: string;
let neg: string;

/** Per-item version of ledgerMatchesBalances (the fixture one is global). */
async function itemLedgerOk(itemId: string) {
  const mismatches = await t.sql(
    `WITH ledger AS (
       SELECT item_id, to_location_id AS loc, lot_id, serial_id, qty FROM inventory_move_line WHERE to_location_id IS NOT NULL AND item_id = $1
       UNION ALL SELECT item_id, from_location_id, lot_id, serial_id, -qty FROM inventory_move_line WHERE from_location_id IS NOT NULL AND item_id = $1),
     summed AS (SELECT item_id, loc, lot_id, serial_id, sum(qty) AS qty FROM ledger GROUP BY 1, 2, 3, 4)
     SELECT * FROM summed s FULL JOIN (SELECT * FROM inventory_balance WHERE item_id = $1) b
       ON b.item_id = s.item_id AND b.location_id = s.loc AND b.lot_id IS NOT DISTINCT FROM s.lot_id AND b.serial_id IS NOT DISTINCT FROM s.serial_id
      WHERE coalesce(s.qty, 0) <> coalesce(b.on_hand, 0)`,
    [itemId],
  );
  expect(mismatches).toEqual([]);
  const [v] = await t.sql(
    `SELECT vs.qty, vs.value,
            (SELECT coalesce(sum(CASE WHEN direction = 'in' THEN amount ELSE -amount END), 0) FROM inventory_valuation_entry e WHERE e.item_id = vs.item_id) AS ledger_value,
            (SELECT coalesce(sum(CASE WHEN direction = 'in' THEN qty ELSE -qty END), 0) FROM inventory_valuation_entry e WHERE e.item_id = vs.item_id) AS ledger_qty,
            (SELECT coalesce(sum(remaining_value), 0) FROM inventory_cost_layer c WHERE c.item_id = vs.item_id) AS layer_value,
            (SELECT coalesce(sum(remaining_qty), 0) FROM inventory_cost_layer c WHERE c.item_id = vs.item_id) AS layer_qty
       FROM inventory_valuation_state vs WHERE item_id = $1`,
    [itemId],
  );
  return { qty: dec(v.qty as string).toFixed(), value: dec(v.value as string).toFixed(), ledgerQty: dec(v.ledger_qty as string).toFixed(), ledgerValue: dec(v.ledger_value as string).toFixed(), layerQty: dec(v.layer_qty as string).toFixed(), layerValue: dec(v.layer_value as string).toFixed() };
}
async function expectConsistent(itemId: string, layered = true) {
  const v = await itemLedgerOk(itemId);
  expect(v.ledgerQty, 'ledger qty vs state').toBe(v.qty);
  expect(v.ledgerValue, 'ledger value vs state').toBe(v.value);
  if (layered && dec(v.qty).gte(0)) {
    expect(v.layerQty, 'open layer qty vs state').toBe(v.qty);
    expect(v.layerValue, 'open layer value vs state').toBe(v.value);
  }
  return v;
}
const setMethod = (id: string, m: string) => call({ method: 'PUT', url: `/api/inventory/items/${id}/settings`, payload: { valuationMethod: m } }, 200);
const reverse = (id: string, body: Record<string, unknown> = {}) => t.request({ method: 'POST', url: `/api/inventory/moves/${id}/reverse`, payload: body });

beforeAll(async () => {
  t = await bootInventory();
  call = caller(t);
  const site = await location(t, 'Site', 'site');
  a = await location(t, 'A', 'bin', site);
  neg = await location(t, 'Neg', 'bin', site);
  await call({ method: 'PUT', url: `/api/inventory/locations/${neg}/policy`, payload: { allowNegative: true } }, 200);
});
afterAll(async () => {
  await t?.close();
});

describe('edge cases: ledger math', () => {
  for (const method of ['fifo', 'lifo', 'moving-average']) {
    it(`${method}: back-dated mix of receipts, issues, returns and reversals keeps the ledger equal to the state`, async () => {
      const x = await item(t, `mix-${method}`);
      await setMethod(x, method);
      const r1 = await posted(t, { type: 'receipt', effectiveAt: '2026-01-10T00:00:00Z', lines: [{ itemId: x, qty: 10, unitCost: 5, toLocationId: a }] });
      const i1 = await posted(t, { type: 'issue', effectiveAt: '2026-01-12T00:00:00Z', lines: [{ itemId: x, qty: 6, fromLocationId: a }] });
      await posted(t, { type: 'receipt', effectiveAt: '2026-01-14T00:00:00Z', lines: [{ itemId: x, qty: 10, unitCost: 7, toLocationId: a }] });
      await posted(t, { type: 'customer-return', effectiveAt: '2026-01-15T00:00:00Z', lines: [{ itemId: x, qty: 2, toLocationId: a, returnOfLineId: i1.lines[0].id }] });
      await posted(t, { type: 'issue', effectiveAt: '2026-01-16T00:00:00Z', lines: [{ itemId: x, qty: 9, fromLocationId: a }] });
      await expectConsistent(x, method !== 'moving-average');
      // Back-dated receipt before everything.
      await posted(t, { type: 'receipt', effectiveAt: '2026-01-09T00:00:00Z', lines: [{ itemId: x, qty: 4, unitCost: 3, toLocationId: a }] });
      await expectConsistent(x, method !== 'moving-average');
      // Back-dated issue in the middle.
      await posted(t, { type: 'issue', effectiveAt: '2026-01-13T00:00:00Z', lines: [{ itemId: x, qty: 3, fromLocationId: a }] });
      await expectConsistent(x, method !== 'moving-average');
      // Supplier return against r1 dated after it.
      await posted(t, { type: 'supplier-return', effectiveAt: '2026-01-11T00:00:00Z', lines: [{ itemId: x, qty: 1, fromLocationId: a, returnOfLineId: r1.lines[0].id }] });
      await expectConsistent(x, method !== 'moving-average');
      // Reverse the first issue (dated like it: back-dated).
      const rv = await reverse(i1.id);
      expect(rv.statusCode, rv.body).toBe(201);
      await expectConsistent(x, method !== 'moving-average');
      // Back-dated adjustment in at current cost.
      await posted(t, { type: 'adjustment', effectiveAt: '2026-01-11T12:00:00Z', lines: [{ itemId: x, qty: 2, toLocationId: a }] });
      await expectConsistent(x, method !== 'moving-average');
    });

    it(`${method}: negative stock then back-dated moves on both sides keeps the ledger equal to the state`, async () => {
      const x = await item(t, `neg-${method}`);
      await setMethod(x, method);
      await posted(t, { type: 'receipt', effectiveAt: '2026-02-01T00:00:00Z', lines: [{ itemId: x, qty: 5, unitCost: 2, toLocationId: neg }] });
      await posted(t, { type: 'issue', effectiveAt: '2026-02-03T00:00:00Z', lines: [{ itemId: x, qty: 8, fromLocationId: neg }] });
      await posted(t, { type: 'issue', effectiveAt: '2026-02-04T00:00:00Z', lines: [{ itemId: x, qty: 2, fromLocationId: neg }] });
      await posted(t, { type: 'receipt', effectiveAt: '2026-02-06T00:00:00Z', lines: [{ itemId: x, qty: 4, unitCost: 3, toLocationId: neg }] });
      await expectConsistent(x, false);
      await posted(t, { type: 'receipt', effectiveAt: '2026-02-05T00:00:00Z', lines: [{ itemId: x, qty: 2, unitCost: 10, toLocationId: neg }] });
      await expectConsistent(x, false);
      await posted(t, { type: 'issue', effectiveAt: '2026-02-02T00:00:00Z', lines: [{ itemId: x, qty: 1, fromLocationId: neg }] });
      await expectConsistent(x, false);
      await posted(t, { type: 'receipt', effectiveAt: '2026-02-07T00:00:00Z', lines: [{ itemId: x, qty: 10, unitCost: 1, toLocationId: neg }] });
      const v = await expectConsistent(x, method !== 'moving-average');
      expect(v.qty).toBe('10');
      await posted(t, { type: 'receipt', effectiveAt: '2026-02-02T12:00:00Z', lines: [{ itemId: x, qty: 1, unitCost: 100, toLocationId: neg }] });
      await expectConsistent(x, method !== 'moving-average');
    });
  }
});

describe('edge cases: targeted', () => {
  it('fifo: a back-dated adjustment-in without unitCost is valued at the cost of the layers open at its date, not later ones', async () => {
    const x = await item(t, 'adj-fifo');
    await posted(t, { type: 'receipt', effectiveAt: '2026-03-01T00:00:00Z', lines: [{ itemId: x, qty: 10, unitCost: 5, toLocationId: a }] });
    await posted(t, { type: 'receipt', effectiveAt: '2026-03-03T00:00:00Z', lines: [{ itemId: x, qty: 10, unitCost: 9, toLocationId: a }] });
    const adj = await posted(t, { type: 'adjustment', effectiveAt: '2026-03-02T00:00:00Z', lines: [{ itemId: x, qty: 2, toLocationId: a }] });
    // On 2 March only the 10 @ 5 existed.
    expect(adj.lines[0].amount).toBe('10.00');
    await expectConsistent(x);
  });

  it('moving-average: the doc-stated "current unit cost" for a back-dated adjustment-in at zero stock', async () => {
    const x = await item(t, 'adj-ma');
    await setMethod(x, 'moving-average');
    await posted(t, { type: 'receipt', effectiveAt: '2026-03-01T00:00:00Z', lines: [{ itemId: x, qty: 10, unitCost: 5, toLocationId: a }] });
    await posted(t, { type: 'issue', effectiveAt: '2026-03-02T00:00:00Z', lines: [{ itemId: x, qty: 10, fromLocationId: a }] });
    await posted(t, { type: 'receipt', effectiveAt: '2026-03-05T00:00:00Z', lines: [{ itemId: x, qty: 10, unitCost: 9, toLocationId: a }] });
    const adj = await posted(t, { type: 'adjustment', effectiveAt: '2026-03-03T00:00:00Z', lines: [{ itemId: x, qty: 2, toLocationId: a }] });
    // On 3 March the last known unit cost was 5.
    expect(adj.lines[0].amount).toBe('10.00');
    await expectConsistent(x, false);
  });

  it('moving-average: reversing a receipt takes it out at the original cost', async () => {
    const x = await item(t, 'rev-ma');
    await setMethod(x, 'moving-average');
    await posted(t, { type: 'receipt', effectiveAt: '2026-04-01T00:00:00Z', lines: [{ itemId: x, qty: 10, unitCost: 5, toLocationId: a }] });
    const r2 = await posted(t, { type: 'receipt', effectiveAt: '2026-04-02T00:00:00Z', lines: [{ itemId: x, qty: 10, unitCost: 7, toLocationId: a }] });
    const rv = await reverse(r2.id);
    expect(rv.statusCode, rv.body).toBe(201);
    expect(rv.json().lines[0].amount).toBe('70.00');
    const v = await expectConsistent(x, false);
    expect(v.value).toBe('50');
  });

  it('moving-average: a supplier return goes back at the receipt cost', async () => {
    const x = await item(t, 'sret-ma');
    await setMethod(x, 'moving-average');
    await posted(t, { type: 'receipt', effectiveAt: '2026-04-01T00:00:00Z', lines: [{ itemId: x, qty: 10, unitCost: 5, toLocationId: a }] });
    const r2 = await posted(t, { type: 'receipt', effectiveAt: '2026-04-02T00:00:00Z', lines: [{ itemId: x, qty: 10, unitCost: 7, toLocationId: a }] });
    const ret = await posted(t, { type: 'supplier-return', effectiveAt: '2026-04-03T00:00:00Z', lines: [{ itemId: x, qty: 4, fromLocationId: a, returnOfLineId: r2.lines[0].id }] });
    expect(ret.lines[0].amount).toBe('28.00');
  });

  it('reversing a FIFO issue split across lots puts each lot back', async () => {
    const x = await item(t, 'lot-rev', { trackingMode: 'lot' });
    await posted(t, { type: 'receipt', effectiveAt: '2026-05-01T00:00:00Z', lines: [
      { itemId: x, qty: 3, unitCost: 2, toLocationId: a, lot: 'L1', expiresOn: '2030-01-01' },
      { itemId: x, qty: 5, unitCost: 4, toLocationId: a, lot: 'L2', expiresOn: '2031-01-01' } ] });
    const iss = await posted(t, { type: 'issue', effectiveAt: '2026-05-02T00:00:00Z', lines: [{ itemId: x, qty: 5, fromLocationId: a }] });
    expect(iss.lines.map((l: { lot: string; qty: string }) => [l.lot, l.qty])).toEqual([['L1', '3'], ['L2', '2']]);
    await posted(t, { type: 'issue', effectiveAt: '2026-05-03T00:00:00Z', lines: [{ itemId: x, qty: 1, fromLocationId: a }] });
    const rv = await reverse(iss.id);
    expect(rv.statusCode, rv.body).toBe(201);
    const rows = await call({ method: 'GET', url: `/api/inventory/stock?groupBy=lot&itemId=${x}&locationId=${a}` }, 200);
    expect(Object.fromEntries(rows.data.map((r: { lot: string; onHand: string }) => [r.lot, r.onHand]))).toEqual({ L1: '3', L2: '4' });
    await expectConsistent(x);
  });

  it('reversing a serialized receipt after the unit was issued and returned', async () => {
    const x = await item(t, 'ser-rev', { trackingMode: 'serial' });
    const r = await posted(t, { type: 'receipt', effectiveAt: '2026-05-01T00:00:00Z', lines: [{ itemId: x, qty: 2, unitCost: 10, toLocationId: a, serials: ['S1', 'S2'] }] });
    const rv = await reverse(r.id);
    expect(rv.statusCode, rv.body).toBe(201);
    await expectConsistent(x);
  });

  it('lot reservation partly drawn (split across held lots) then released leaves reserved = active allocations', async () => {
    const x = await item(t, 'res-lot', { trackingMode: 'lot' });
    await posted(t, { type: 'receipt', lines: [
      { itemId: x, qty: 2, unitCost: 1, toLocationId: a, lot: 'R1', expiresOn: '2030-01-01' },
      { itemId: x, qty: 5, unitCost: 1, toLocationId: a, lot: 'R2', expiresOn: '2031-01-01' } ] });
    const res = await call({ method: 'POST', url: '/api/inventory/reservations', payload: { itemId: x, locationId: a, qty: 5 } }, 201);
    const iss = await posted(t, { type: 'issue', lines: [{ itemId: x, qty: 3, fromLocationId: a, reservationId: res.id }] });
    expect(iss.lines.map((l: { lot: string; qty: string }) => [l.lot, l.qty])).toEqual([['R1', '2'], ['R2', '1']]);
    await call({ method: 'POST', url: `/api/inventory/reservations/${res.id}/release` }, 200);
    const bad = await t.sql(
      `SELECT b.id, b.reserved, coalesce(sum(x.qty) FILTER (WHERE r.status = 'active'), 0) AS held
         FROM inventory_balance b LEFT JOIN inventory_reservation_allocation x ON x.balance_id = b.id LEFT JOIN inventory_reservation r ON r.id = x.reservation_id
        WHERE b.item_id = $1 GROUP BY b.id, b.reserved HAVING b.reserved <> coalesce(sum(x.qty) FILTER (WHERE r.status = 'active'), 0)`, [x]);
    expect(bad).toEqual([]);
    const rows = await call({ method: 'GET', url: `/api/inventory/stock?groupBy=lot&itemId=${x}&locationId=${a}` }, 200);
    expect(Object.fromEntries(rows.data.map((r: { lot: string; onHand: string; reserved: string }) => [r.lot, [r.onHand, r.reserved]]))).toEqual({ R2: ['4', '0'] , ...(rows.data.length > 1 ? { R1: ['0', '0'] } : {}) });
  });

  it('count: stock issued after the count started and counted afterwards is not taken twice', async () => {
    const x = await item(t, 'count-moved');
    const bin = await location(t, 'CountBin', 'bin');
    await posted(t, { type: 'receipt', lines: [{ itemId: x, qty: 10, unitCost: 1, toLocationId: bin }] });
    const c = await call({ method: 'POST', url: '/api/inventory/counts', payload: { name: 'c', kind: 'cycle', locationId: bin, itemIds: [x] } }, 201);
    await posted(t, { type: 'issue', lines: [{ itemId: x, qty: 10, fromLocationId: bin }] });
    await call({ method: 'POST', url: `/api/inventory/counts/${c.id}/entries`, payload: { entries: [{ lineId: c.lineItems[0].id, countedQty: 0 }] } }, 200);
    // The books now expect 0 (10 frozen, 10 issued since): counting 0 is no variance, so no recount either.
    const review = await call({ method: 'POST', url: `/api/inventory/counts/${c.id}/finish`, payload: {} }, 200);
    expect(review).toMatchObject({ status: 'review' });
    expect(review.lineItems[0]).toMatchObject({ expectedQty: '0', countedQty: '0', varianceQty: '0' });
    const res = await t.request({ method: 'POST', url: `/api/inventory/counts/${c.id}/post`, payload: {} });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().moveId).toBeNull();
  });

  it('count: a partial issue while counting is not taken a second time', async () => {
    const x = await item(t, 'count-partial');
    const bin = await location(t, 'CountBin2', 'bin');
    await posted(t, { type: 'receipt', lines: [{ itemId: x, qty: 10, unitCost: 1, toLocationId: bin }] });
    const c = await call({ method: 'POST', url: '/api/inventory/counts', payload: { name: 'c2', kind: 'cycle', locationId: bin, itemIds: [x], recountTolerance: 1 } }, 201);
    await posted(t, { type: 'issue', lines: [{ itemId: x, qty: 4, fromLocationId: bin }] });
    // 5 on the shelf where the books say 6: one short.
    await call({ method: 'POST', url: `/api/inventory/counts/${c.id}/entries`, payload: { entries: [{ lineId: c.lineItems[0].id, countedQty: 5 }] } }, 200);
    await call({ method: 'POST', url: `/api/inventory/counts/${c.id}/finish`, payload: {} }, 200);
    const done = await call({ method: 'POST', url: `/api/inventory/counts/${c.id}/post`, payload: {} }, 200);
    const move = await call({ method: 'GET', url: `/api/inventory/moves/${done.moveId}` }, 200);
    expect(move.lines.map((l: { qty: string; fromLocationId: string | null }) => [l.qty, l.fromLocationId])).toEqual([['1', bin]]);
    await expectConsistent(x);
  });

  it('purchase order: receiving a lot item in two lots on one line', async () => {
    const x = await item(t, 'po-lot', { trackingMode: 'lot' });
    const sup = (await call({ method: 'POST', url: '/api/inventory/suppliers', payload: { name: 'Sup' } }, 201)).id;
    await call({ method: 'PUT', url: `/api/inventory/items/${x}/settings`, payload: { units: [{ uom: 'box', factor: 10 }] } }, 200);
    const po = await call({ method: 'POST', url: '/api/inventory/purchase-orders', payload: { supplierId: sup, locationId: a, lines: [{ itemId: x, qty: 3, uom: 'box', unitPrice: '20.00' }] } }, 201);
    await call({ method: 'POST', url: `/api/inventory/purchase-orders/${po.id}/order` }, 200);
    const full = await call({ method: 'GET', url: `/api/inventory/purchase-orders/${po.id}` }, 200);
    const r = await call({ method: 'POST', url: `/api/inventory/purchase-orders/${po.id}/receive`, payload: { lines: [
      { lineId: full.lines[0].id, qty: 1, lot: 'P1', expiresOn: '2030-01-01' }, { lineId: full.lines[0].id, qty: 2, lot: 'P2', expiresOn: '2030-06-01' } ] } }, 200);
    expect(r).toMatchObject({ status: 'received' });
    const move = await call({ method: 'GET', url: `/api/inventory/moves/${r.moveId}` }, 200);
    expect(move.lines.map((l: { lot: string; qty: string; amount: string }) => [l.lot, l.qty, l.amount])).toEqual([['P1', '10', '20.00'], ['P2', '20', '40.00']]);
    await expectConsistent(x);
  });
});
