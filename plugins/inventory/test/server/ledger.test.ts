import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoChange, expectProblem, problemFields, type TestPlatform } from '@quartermaster/testing';
import { bootInventory, caller, item, ledgerMatchesBalances, location, post, posted, stock } from './fixtures.js';

describe('stock ledger', () => {
  let t: TestPlatform;
  let call: ReturnType<typeof caller>;
  let site: string;
  let a: string;
  let b: string;

  beforeAll(async () => {
    t = await bootInventory();
    call = caller(t);
    site = await location(t, 'Main DC', 'site');
    a = await location(t, 'Bin A', 'bin', site);
    b = await location(t, 'Bin B', 'bin', site);
  });
  afterAll(async () => {
    await ledgerMatchesBalances(t);
    await t?.close();
  });

  it('receives in purchase units, converts to base units, and values at the cost per base unit', async () => {
    const cola = await item(t, 'Cola 330ml', { unitOfMeasure: 'ea' });
    await call({ method: 'PUT', url: `/api/inventory/items/${cola}/settings`, payload: { units: [{ uom: 'box', factor: 12 }] } }, 200);
    const from = t.events.length;
    const move = await posted(t, { type: 'receipt', reference: 'PO-1', lines: [{ itemId: cola, qty: 2, uom: 'box', unitCost: '24.00', toLocationId: a }] });
    expect(move.lines[0]).toMatchObject({ qty: '24', uom: 'box', uomQty: '2', unitCost: '2', amount: '48.00', toLocation: 'Bin A' });
    expect(t.events.slice(from).map((e) => e.name)).toEqual(['inventory.move.posted']);
    expect(await stock(t, cola, a)).toEqual({ onHand: '24', reserved: '0', available: '24' });
    // The site includes its bins.
    expect((await stock(t, cola, site)).onHand).toBe('24');
    const panel = await call({ method: 'GET', url: `/api/inventory/items/${cola}/stock` }, 200);
    expect(panel).toMatchObject({ onHand: '24', value: '48.00', unitValue: '2', valuationMethod: 'fifo', units: [{ uom: 'box', factor: '12' }] });
  });

  it('issues FIFO: the oldest layers are consumed first and the issue records its COGS', async () => {
    const bolt = await item(t, 'Hex bolt M8');
    await posted(t, { type: 'receipt', effectiveAt: '2026-01-01T09:00:00Z', lines: [{ itemId: bolt, qty: 10, unitCost: 5, toLocationId: a }] });
    await posted(t, { type: 'receipt', effectiveAt: '2026-01-02T09:00:00Z', lines: [{ itemId: bolt, qty: '10', unitCost: '6.00', toLocationId: a }] });
    const issue = await posted(t, { type: 'issue', effectiveAt: '2026-01-03T09:00:00Z', lines: [{ itemId: bolt, qty: 15, fromLocationId: a }] });
    expect(issue.lines[0].amount).toBe('80.00'); // 10 × 5 + 5 × 6
    const panel = await call({ method: 'GET', url: `/api/inventory/items/${bolt}/stock` }, 200);
    expect(panel).toMatchObject({ onHand: '5', value: '30.00' });
  });

  it('transfers move quantity between locations without touching value', async () => {
    const nut = await item(t, 'Nut M8');
    await posted(t, { type: 'receipt', lines: [{ itemId: nut, qty: 100, unitCost: '0.10', toLocationId: a }] });
    const from = t.events.length;
    const move = await posted(t, { type: 'transfer', lines: [{ itemId: nut, qty: 40, fromLocationId: a, toLocationId: b }] });
    expect(move.lines[0]).toMatchObject({ fromLocation: 'Bin A', toLocation: 'Bin B', amount: null });
    expect(t.events.slice(from).map((e) => e.name)).toEqual(['inventory.move.posted']);
    expect((await stock(t, nut, a)).onHand).toBe('60');
    expect((await stock(t, nut, b)).onHand).toBe('40');
    expect((await call({ method: 'GET', url: `/api/inventory/items/${nut}/stock` }, 200)).value).toBe('10.00');
  });

  it('refuses an issue beyond stock, naming item, location and shortfall, and changes nothing', async () => {
    const washer = await item(t, 'Washer');
    await posted(t, { type: 'receipt', lines: [{ itemId: washer, qty: 5, unitCost: 1, toLocationId: a }] });
    const res = await expectNoChange(t, () => post(t, { type: 'issue', lines: [{ itemId: washer, qty: 8, fromLocationId: a }] }));
    const body = expectProblem(res, 409, 'inventory/insufficient-stock');
    expect(body).toMatchObject({ itemId: washer, locationId: a, requested: '8', available: '5', shortfall: '3' });
    expect(body.detail).toContain('Washer at Bin A');
  });

  it('allows negative stock where the location policy says so, and values the issue when the receipt arrives', async () => {
    const store = await location(t, 'Shop floor', 'area', site);
    await call({ method: 'PUT', url: `/api/inventory/locations/${store}/policy`, payload: { allowNegative: true } }, 200);
    const glue = await item(t, 'Glue');
    const issue = await posted(t, { type: 'issue', effectiveAt: '2026-02-01T10:00:00Z', lines: [{ itemId: glue, qty: 3, fromLocationId: store }] });
    expect(issue.lines[0].amount).toBe('0.00');
    expect((await stock(t, glue, store)).onHand).toBe('-3');
    const from = t.events.length;
    await posted(t, { type: 'receipt', effectiveAt: '2026-02-02T10:00:00Z', lines: [{ itemId: glue, qty: 10, unitCost: '2.50', toLocationId: store }] });
    const adjusted = t.events.slice(from).filter((e) => e.name === 'inventory.cost.adjusted');
    expect(adjusted.map((e) => e.payload)).toEqual([expect.objectContaining({ lineId: issue.lines[0].id, previousAmount: '0.00', amount: '7.50', delta: '7.50', reason: 'negative-stock-valued' })]);
    const reread = await call({ method: 'GET', url: `/api/inventory/moves/${issue.id}` }, 200);
    expect(reread.lines[0].amount).toBe('7.50');
    const panel = await call({ method: 'GET', url: `/api/inventory/items/${glue}/stock` }, 200);
    expect(panel).toMatchObject({ onHand: '7', value: '17.50' });
    // A child of the site does not inherit the shop floor's policy.
    const res = await post(t, { type: 'issue', lines: [{ itemId: glue, qty: 1, fromLocationId: b }] });
    expectProblem(res, 409, 'inventory/insufficient-stock');
  });

  it('moving average: an issue beyond stock is valued by the next receipt; a back-dated receipt re-does that', async () => {
    const van = await location(t, 'Service van', 'vehicle', site);
    await call({ method: 'PUT', url: `/api/inventory/locations/${van}/policy`, payload: { allowNegative: true } }, 200);
    const fuse = await item(t, 'Fuse 10 A');
    await call({ method: 'PUT', url: `/api/inventory/items/${fuse}/settings`, payload: { valuationMethod: 'moving-average' } }, 200);
    await posted(t, { type: 'receipt', effectiveAt: '2026-07-01T09:00:00Z', lines: [{ itemId: fuse, qty: 10, unitCost: 5, toLocationId: van }] });
    const issue = await posted(t, { type: 'issue', effectiveAt: '2026-07-02T09:00:00Z', lines: [{ itemId: fuse, qty: 15, fromLocationId: van }] });
    // The 10 on hand leave with all their 50.00; 5 wait for a receipt.
    expect(issue.lines[0].amount).toBe('50.00');
    const from = t.events.length;
    await posted(t, { type: 'receipt', effectiveAt: '2026-07-03T09:00:00Z', lines: [{ itemId: fuse, qty: 10, unitCost: 6, toLocationId: van }] });
    expect(t.events.slice(from).filter((e) => e.name === 'inventory.cost.adjusted').map((e) => e.payload)).toEqual([
      expect.objectContaining({ lineId: issue.lines[0].id, previousAmount: '50.00', amount: '80.00', reason: 'negative-stock-valued' }),
    ]);
    expect((await call({ method: 'GET', url: `/api/inventory/items/${fuse}/stock` }, 200)).value).toBe('30.00');
    // 5 @ 4 arrive, dated before the issue: it is now covered at the average (10 @ 5 + 5 @ 4 = 70 for 15),
    // the later receipt no longer values anything and all of it (60.00) stays in stock.
    const late = t.events.length;
    await posted(t, { type: 'receipt', effectiveAt: '2026-07-01T12:00:00Z', lines: [{ itemId: fuse, qty: 5, unitCost: 4, toLocationId: van }] });
    expect(t.events.slice(late).filter((e) => e.name === 'inventory.cost.adjusted').map((e) => e.payload)).toEqual([
      expect.objectContaining({ lineId: issue.lines[0].id, previousAmount: '80.00', amount: '70.00', reason: 'back-dated-move' }),
    ]);
    expect((await call({ method: 'GET', url: `/api/inventory/items/${fuse}/stock` }, 200)).value).toBe('60.00');
  });

  it('a back-dated receipt re-values only the later issues it affects', async () => {
    const pipe = await item(t, 'Copper pipe');
    await posted(t, { type: 'receipt', effectiveAt: '2026-03-01T09:00:00Z', lines: [{ itemId: pipe, qty: 10, unitCost: 5, toLocationId: a }] });
    await posted(t, { type: 'receipt', effectiveAt: '2026-03-02T09:00:00Z', lines: [{ itemId: pipe, qty: 10, unitCost: 6, toLocationId: a }] });
    const issue = await posted(t, { type: 'issue', effectiveAt: '2026-03-03T09:00:00Z', lines: [{ itemId: pipe, qty: 15, fromLocationId: a }] });
    expect(issue.lines[0].amount).toBe('80.00');
    const from = t.events.length;
    const late = await posted(t, { type: 'receipt', effectiveAt: '2026-02-28T09:00:00Z', lines: [{ itemId: pipe, qty: 10, unitCost: 4, toLocationId: a }] });
    expect(late.backDated).toBe(true);
    const adjusted = t.events.slice(from).filter((e) => e.name === 'inventory.cost.adjusted').map((e) => e.payload);
    // 10 × 4 + 5 × 5 = 65: the issue now takes the earlier, cheaper layer.
    expect(adjusted).toEqual([expect.objectContaining({ lineId: issue.lines[0].id, previousAmount: '80.00', amount: '65.00', delta: '-15.00', reason: 'back-dated-move' })]);
    expect((await call({ method: 'GET', url: `/api/inventory/items/${pipe}/stock` }, 200)).value).toBe('85.00');
    // As of the 2nd the item held 20 units worth 110 (the late receipt included).
    const asOf = await call({ method: 'GET', url: `/api/inventory/reports/valuation?asOf=2026-03-02` }, 200);
    expect(asOf.rows.find((r: { key: string }) => r.key === pipe)).toMatchObject({ qty: '30', value: '150.00' });
    const before = await call({ method: 'GET', url: `/api/inventory/reports/valuation?asOf=2026-03-03` }, 200);
    expect(before.rows.find((r: { key: string }) => r.key === pipe)).toMatchObject({ qty: '15', value: '85.00' });
  });

  it('customer returns come back at the cost they left with; supplier returns go back at the receipt cost', async () => {
    const valve = await item(t, 'Valve');
    const r1 = await posted(t, { type: 'receipt', effectiveAt: '2026-04-01T09:00:00Z', lines: [{ itemId: valve, qty: 4, unitCost: 10, toLocationId: a }] });
    const r2 = await posted(t, { type: 'receipt', effectiveAt: '2026-04-02T09:00:00Z', lines: [{ itemId: valve, qty: 4, unitCost: 20, toLocationId: a }] });
    const sale = await posted(t, { type: 'issue', effectiveAt: '2026-04-03T09:00:00Z', lines: [{ itemId: valve, qty: 2, fromLocationId: a }] });
    expect(sale.lines[0].amount).toBe('20.00');
    const ret = await posted(t, { type: 'customer-return', lines: [{ itemId: valve, qty: 1, toLocationId: a, returnOfLineId: sale.lines[0].id }] });
    expect(ret.lines[0]).toMatchObject({ unitCost: '10', amount: '10.00', returnOfLineId: sale.lines[0].id });
    // Returning more than was sold is refused.
    const over = await post(t, { type: 'customer-return', lines: [{ itemId: valve, qty: 2, toLocationId: a, returnOfLineId: sale.lines[0].id }] });
    expect(problemFields(expectProblem(over, 400, 'validation'))).toEqual(['lines.0.qty']);
    // Back to the supplier of the second receipt: at 20 each even though FIFO would take the 10s first.
    const back = await posted(t, { type: 'supplier-return', lines: [{ itemId: valve, qty: 2, fromLocationId: a, returnOfLineId: r2.lines[0].id }] });
    expect(back.lines[0].amount).toBe('40.00');
    expect(r1.lines[0].amount).toBe('40.00');
    const wrong = await post(t, { type: 'supplier-return', lines: [{ itemId: valve, qty: 1, fromLocationId: a, returnOfLineId: sale.lines[0].id }] });
    expect(problemFields(expectProblem(wrong, 400, 'validation'))).toEqual(['lines.0.returnOfLineId']);
  });

  it('adjustments add at the current cost or take at ledger cost; a reason is kept', async () => {
    const tape = await item(t, 'Tape');
    await posted(t, { type: 'receipt', lines: [{ itemId: tape, qty: 10, unitCost: 3, toLocationId: a }] });
    const found = await posted(t, { type: 'adjustment', lines: [{ itemId: tape, qty: 2, toLocationId: a, reason: 'found behind shelf' }] });
    expect(found.lines[0]).toMatchObject({ amount: '6.00', reason: 'found behind shelf' });
    const lost = await posted(t, { type: 'adjustment', lines: [{ itemId: tape, qty: 1, fromLocationId: a, reason: 'damaged' }] });
    expect(lost.lines[0].amount).toBe('3.00');
    const both = await post(t, { type: 'adjustment', lines: [{ itemId: tape, qty: 1, fromLocationId: a, toLocationId: b }] });
    expect(problemFields(expectProblem(both, 400, 'validation'))).toEqual(['lines.0.toLocationId']);
  });

  it('a reversal posts the opposite move at the original cost, once', async () => {
    const cable = await item(t, 'Cable');
    const rec = await posted(t, { type: 'receipt', lines: [{ itemId: cable, qty: 5, unitCost: 7, toLocationId: a }] });
    const rev = await call({ method: 'POST', url: `/api/inventory/moves/${rec.id}/reverse`, payload: {} }, 201);
    expect(rev).toMatchObject({ type: 'receipt', reversesMoveId: rec.id });
    expect(rev.lines[0]).toMatchObject({ fromLocationId: a, toLocationId: null, qty: '5', amount: '35.00', reversesLineId: rec.lines[0].id });
    expect((await stock(t, cable, a)).onHand).toBe('0');
    const again = await expectNoChange(t, () => t.request({ method: 'POST', url: `/api/inventory/moves/${rec.id}/reverse`, payload: {} }));
    expectProblem(again, 409, 'inventory/move-already-reversed');
    const original = await call({ method: 'GET', url: `/api/inventory/moves/${rec.id}` }, 200);
    expect(original.reversedByMoveId).toBe(rev.id);
    const ofReversal = await t.request({ method: 'POST', url: `/api/inventory/moves/${rev.id}/reverse`, payload: {} });
    expectProblem(ofReversal, 409, 'inventory/reversal-not-reversible');
  });

  it('a serialized unit leaves at its own cost, not the oldest layer', async () => {
    const laptop = await item(t, 'Laptop', { trackingMode: 'serial' });
    await posted(t, { type: 'receipt', effectiveAt: '2026-05-01T09:00:00Z', lines: [{ itemId: laptop, qty: 1, serials: ['LT-1'], unitCost: 120, toLocationId: a }] });
    await posted(t, { type: 'receipt', effectiveAt: '2026-05-02T09:00:00Z', lines: [{ itemId: laptop, qty: 1, serials: ['LT-2'], unitCost: 90, toLocationId: a }] });
    const sold = await posted(t, { type: 'issue', effectiveAt: '2026-05-03T09:00:00Z', lines: [{ itemId: laptop, qty: 1, serials: ['LT-2'], fromLocationId: a }] });
    expect(sold.lines[0]).toMatchObject({ serial: 'LT-2', amount: '90.00' });
    // A back-dated receipt replays the issue: it still takes LT-2's own layer.
    await posted(t, { type: 'receipt', effectiveAt: '2026-04-30T09:00:00Z', lines: [{ itemId: laptop, qty: 1, serials: ['LT-0'], unitCost: 50, toLocationId: a }] });
    expect((await call({ method: 'GET', url: `/api/inventory/moves/${sold.id}` }, 200)).lines[0].amount).toBe('90.00');
    expect((await call({ method: 'GET', url: `/api/inventory/items/${laptop}/stock` }, 200)).value).toBe('170.00');
  });

  it('finds stock by SKU as well as by name, and values a category inside one location', async () => {
    const cat = await call({ method: 'POST', url: '/api/core/categories', payload: { name: 'Fixings' } }, 201);
    const rivet = await item(t, 'Blind rivet 4.8', { categoryId: cat.id, identifiers: [{ type: 'sku', value: 'RIV-48' }] });
    await posted(t, { type: 'receipt', lines: [{ itemId: rivet, qty: 10, unitCost: '0.20', toLocationId: a }, { itemId: rivet, qty: 5, unitCost: '0.20', toLocationId: b }] });
    const bySku = await call({ method: 'GET', url: '/api/inventory/stock?q=RIV-48&groupBy=item' }, 200);
    expect(bySku.data.map((r: { itemName: string; onHand: string }) => [r.itemName, r.onHand])).toEqual([['Blind rivet 4.8', '15']]);
    const inB = await call({ method: 'GET', url: `/api/inventory/reports/valuation?groupBy=category&locationId=${b}` }, 200);
    expect(inB.rows.find((r: { label: string }) => r.label === 'Fixings')).toMatchObject({ value: '1.00', items: 1 });
  });

  it('lists movement history with filters, newest first', async () => {
    const pin = await item(t, 'Pin');
    await posted(t, { type: 'receipt', reference: 'PO-77', lines: [{ itemId: pin, qty: 3, unitCost: 1, toLocationId: b }] });
    await posted(t, { type: 'transfer', lines: [{ itemId: pin, qty: 1, fromLocationId: b, toLocationId: a }] });
    const list = await call({ method: 'GET', url: `/api/inventory/moves?itemId=${pin}` }, 200);
    expect(list.data.map((m: { type: string }) => m.type)).toEqual(['transfer', 'receipt']);
    const byRef = await call({ method: 'GET', url: `/api/inventory/moves?reference=PO-77` }, 200);
    expect(byRef.total).toBe(1);
    const atA = await call({ method: 'GET', url: `/api/inventory/moves?itemId=${pin}&locationId=${a}` }, 200);
    expect(atA.data.map((m: { type: string }) => m.type)).toEqual(['transfer']);
    const atSite = await call({ method: 'GET', url: `/api/inventory/moves?itemId=${pin}&locationId=${site}` }, 200);
    expect(atSite.total).toBe(2);
  });
});
