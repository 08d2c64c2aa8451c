import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoChange, expectProblem, problemFields, type TestPlatform } from '@quartermaster/testing';
import { bootInventory, caller, item, ledgerMatchesBalances, location, post, posted, stock } from './fixtures.js';

const INV = '/api/inventory';

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
  if (t) await ledgerMatchesBalances(t);
  await t?.close();
});

const settings = (itemId: string, payload: Record<string, unknown>) => t.request({ method: 'PUT', url: `${INV}/items/${itemId}/settings`, payload });
const panel = (itemId: string) => call({ method: 'GET', url: `${INV}/items/${itemId}/stock` }, 200);
const category = async (name: string, parentId?: string) => (await call({ method: 'POST', url: '/api/core/categories', payload: { name, ...(parentId ? { parentId } : {}) } }, 201)).id as string;
const receive = (itemId: string, qty: number | string, unitCost: number | string, at: string, to = a) => posted(t, { type: 'receipt', effectiveAt: at, lines: [{ itemId, qty, unitCost, toLocationId: to }] });
const issue = (itemId: string, qty: number | string, at: string, from = a) => posted(t, { type: 'issue', effectiveAt: at, lines: [{ itemId, qty, fromLocationId: from }] });

describe('valuation methods', () => {
  it('LIFO: an issue takes the newest layers first', async () => {
    const bolt = await item(t, 'LIFO bolt');
    const set = await settings(bolt, { valuationMethod: 'lifo' });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json()).toMatchObject({ valuationMethod: 'lifo', effectiveValuationMethod: 'lifo', standardCost: null });
    await receive(bolt, 10, 5, '2026-03-01T09:00:00Z');
    await receive(bolt, 10, 6, '2026-03-02T09:00:00Z');
    const first = await issue(bolt, 15, '2026-03-03T09:00:00Z');
    expect(first.lines[0].amount).toBe('85.00'); // 10 × 6 + 5 × 5
    expect(await panel(bolt)).toMatchObject({ onHand: '5', value: '25.00', valuationMethod: 'lifo' }); // 5 × 5 left
    await receive(bolt, 5, 7, '2026-03-04T09:00:00Z');
    const second = await issue(bolt, 7, '2026-03-05T09:00:00Z');
    expect(second.lines[0].amount).toBe('45.00'); // 5 × 7 + 2 × 5
    expect(await panel(bolt)).toMatchObject({ onHand: '3', value: '15.00' }); // 3 × 5
  });

  it('moving average: each issue at the running average; issuing everything takes exactly what is left', async () => {
    const oil = await item(t, 'Average oil');
    expect((await settings(oil, { valuationMethod: 'moving-average' })).statusCode).toBe(200);
    await receive(oil, 10, 5, '2026-03-01T10:00:00Z'); // 10 units, 50.00
    await receive(oil, 10, 8, '2026-03-02T10:00:00Z'); // 20 units, 130.00: average 6.5
    expect((await issue(oil, 5, '2026-03-03T10:00:00Z')).lines[0].amount).toBe('32.50'); // 5 × 6.5; 15 units, 97.50 left
    await receive(oil, 5, 10, '2026-03-04T10:00:00Z'); // 20 units, 147.50: average 7.375
    expect((await issue(oil, 4, '2026-03-05T10:00:00Z')).lines[0].amount).toBe('29.50'); // 4 × 7.375; 16 units, 118.00 left
    expect(await panel(oil)).toMatchObject({ onHand: '16', value: '118.00', unitValue: '7.375', valuationMethod: 'moving-average' });
    await receive(oil, 3, '1.00', '2026-03-06T10:00:00Z'); // 19 units, 121.00: average 6.3684210526…
    expect((await issue(oil, 19, '2026-03-07T10:00:00Z')).lines[0].amount).toBe('121.00'); // all of it, no rounding residue
    expect(await panel(oil)).toMatchObject({ onHand: '0', value: '0.00' });
  });

  it('standard cost: receipts and issues at the standard, the price difference kept as purchase price variance', async () => {
    const gear = await item(t, 'Standard gear');
    const set = await settings(gear, { valuationMethod: 'standard', standardCost: '4' });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json()).toMatchObject({ valuationMethod: 'standard', effectiveValuationMethod: 'standard', standardCost: '4' });
    const r1 = await receive(gear, 10, 5, '2026-03-01T11:00:00Z');
    expect(r1.lines[0]).toMatchObject({ amount: '40.00', unitCost: '4' }); // 10 × 4, paid 50
    const r2 = await receive(gear, 5, '3.50', '2026-03-02T11:00:00Z');
    expect(r2.lines[0].amount).toBe('20.00'); // 5 × 4, paid 17.50
    const variances = await t.sql<{ price_variance: string }>(
      `SELECT price_variance FROM inventory_valuation_entry WHERE item_id = $1 AND direction = 'in' ORDER BY effective_at, id`,
      [gear],
    );
    expect(variances.map((v) => Number(v.price_variance))).toEqual([10, -2.5]); // 50 − 40, 17.50 − 20
    expect((await issue(gear, 6, '2026-03-03T11:00:00Z')).lines[0].amount).toBe('24.00'); // 6 × 4
    expect(await panel(gear)).toMatchObject({ onHand: '9', value: '36.00', unitValue: '4' });
    // The standard cannot change under stock.
    const locked = await expectNoChange(t, () => settings(gear, { standardCost: '4.5' }));
    expect(expectProblem(locked, 409, 'inventory/valuation-locked')).toMatchObject({ onHand: '9' });
  });

  it('standard cost without a standard: setting it is a 400; inheriting it from the category makes the receipt 409 inventory/standard-cost-missing', async () => {
    const lone = await item(t, 'No standard');
    const noCost = await expectNoChange(t, () => settings(lone, { valuationMethod: 'standard' }));
    expect(problemFields(expectProblem(noCost, 400, 'validation'))).toEqual(['standardCost']);

    const atStandard = await category('Valued at standard');
    await call({ method: 'PUT', url: `${INV}/categories/${atStandard}/settings`, payload: { valuationMethod: 'standard' } }, 200);
    const part = await item(t, 'Standard part', { categoryId: atStandard });
    expect(await call({ method: 'GET', url: `${INV}/items/${part}/settings` }, 200)).toMatchObject({ valuationMethod: null, effectiveValuationMethod: 'standard', standardCost: null });
    const res = await expectNoChange(t, () => post(t, { type: 'receipt', lines: [{ itemId: part, qty: 3, unitCost: '2.50', toLocationId: a }] }));
    expect(expectProblem(res, 409, 'inventory/standard-cost-missing')).toMatchObject({ itemId: part });
    // Given a standard cost, the item keeps the category's method.
    expect((await settings(part, { standardCost: '2' })).json()).toMatchObject({ valuationMethod: null, effectiveValuationMethod: 'standard', standardCost: '2' });
    const rec = await posted(t, { type: 'receipt', lines: [{ itemId: part, qty: 3, unitCost: '2.50', toLocationId: a }] });
    expect(rec.lines[0].amount).toBe('6.00'); // 3 × 2
  });

  it('items take the method of the nearest category that sets one; their own setting wins', async () => {
    const fuels = await category('Fuels');
    const diesel = await category('Diesel', fuels);
    await call({ method: 'PUT', url: `${INV}/categories/${fuels}/settings`, payload: { valuationMethod: 'lifo' } }, 200);
    const red = await item(t, 'Red diesel', { categoryId: diesel });
    const own = await item(t, 'Premium diesel', { categoryId: diesel });
    await settings(own, { valuationMethod: 'fifo' });
    expect(await call({ method: 'GET', url: `${INV}/items/${red}/settings` }, 200)).toMatchObject({ valuationMethod: null, effectiveValuationMethod: 'lifo' });
    expect(await call({ method: 'GET', url: `${INV}/items/${own}/settings` }, 200)).toMatchObject({ valuationMethod: 'fifo', effectiveValuationMethod: 'fifo' });
    for (const id of [red, own]) {
      await receive(id, 10, 1, '2026-03-10T09:00:00Z');
      await receive(id, 10, 2, '2026-03-11T09:00:00Z');
    }
    expect((await issue(red, 5, '2026-03-12T09:00:00Z')).lines[0].amount).toBe('10.00'); // LIFO from the category: 5 × 2
    expect((await issue(own, 5, '2026-03-12T09:00:00Z')).lines[0].amount).toBe('5.00'); // its own FIFO: 5 × 1
    expect((await panel(red)).valuationMethod).toBe('lifo');

    // The category's method cannot change while an item inheriting it has stock (items with their own method do not count).
    const locked = await expectNoChange(t, () => t.request({ method: 'PUT', url: `${INV}/categories/${fuels}/settings`, payload: { valuationMethod: 'moving-average' } }));
    expect(expectProblem(locked, 409, 'inventory/valuation-locked')).toMatchObject({ items: 1 });
    // A closer category that sets a method takes over once the stock is gone.
    await issue(red, 15, '2026-03-13T09:00:00Z');
    await call({ method: 'PUT', url: `${INV}/categories/${diesel}/settings`, payload: { valuationMethod: 'moving-average' } }, 200);
    expect(await call({ method: 'GET', url: `${INV}/items/${red}/settings` }, 200)).toMatchObject({ effectiveValuationMethod: 'moving-average' });
  });

  it('an item changes method only while it holds no stock', async () => {
    const sw = await item(t, 'Switch');
    await receive(sw, 3, 1, '2026-03-20T09:00:00Z');
    const locked = await expectNoChange(t, () => settings(sw, { valuationMethod: 'lifo' }));
    expect(expectProblem(locked, 409, 'inventory/valuation-locked')).toMatchObject({ onHand: '3' });
    // Units can still change with stock on hand; the same method again is not a change either.
    expect((await settings(sw, { units: [{ uom: 'pack', factor: 3 }] })).statusCode).toBe(200);
    await issue(sw, 3, '2026-03-21T09:00:00Z');
    const res = await settings(sw, { valuationMethod: 'lifo' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ valuationMethod: 'lifo', effectiveValuationMethod: 'lifo', onHand: '0' });
    await receive(sw, 2, 1, '2026-03-22T09:00:00Z');
    await receive(sw, 2, 3, '2026-03-23T09:00:00Z');
    expect((await issue(sw, 2, '2026-03-24T09:00:00Z')).lines[0].amount).toBe('6.00'); // LIFO now: 2 × 3
    // Back to the default (null): refused again while stock is on hand.
    expectProblem(await expectNoChange(t, () => settings(sw, { valuationMethod: null })), 409, 'inventory/valuation-locked');
  });
});

describe('units of measure', () => {
  let cola: string;

  beforeAll(async () => {
    cola = await item(t, 'Cola can', { unitOfMeasure: 'ea' });
  });

  it('validates the list: factor above 0, not the base unit, each unit once', async () => {
    for (const [units, field] of [
      [[{ uom: 'box', factor: 0 }], 'units.0.factor'],
      [[{ uom: 'box', factor: '-6' }], 'units.0.factor'],
      [[{ uom: 'ea', factor: 1 }], 'units.0.uom'],
      [[{ uom: 'box', factor: 24 }, { uom: 'box', factor: 12 }], 'units.1.uom'],
      [[{ uom: '', factor: 12 }], 'units.0.uom'],
      [[{ uom: 'box', factor: 'twelve' }], 'units.0.factor'],
    ] as const) {
      const res = await expectNoChange(t, () => settings(cola, { units }));
      // One field, however many of its rules it broke.
      expect([...new Set(problemFields(expectProblem(res, 400, 'validation')))], JSON.stringify(units)).toEqual([field]);
    }
  });

  it('moves in alternative units are converted to the base unit; the cost is per unit moved', async () => {
    const res = await settings(cola, { units: [{ uom: 'pallet', factor: 480 }, { uom: 'box', factor: 24 }, { uom: 'half', factor: '0.5' }] });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ baseUom: 'ea', units: [{ uom: 'half', factor: '0.5' }, { uom: 'box', factor: '24' }, { uom: 'pallet', factor: '480' }] });
    const rec = await posted(t, { type: 'receipt', lines: [{ itemId: cola, qty: 2, uom: 'box', unitCost: '12.00', toLocationId: a }] });
    // 2 boxes × 24 = 48 cans at 12.00 / 24 = 0.5 each; 2 × 12.00 = 24.00
    expect(rec.lines[0]).toMatchObject({ qty: '48', uom: 'box', uomQty: '2', baseUom: 'ea', unitCost: '0.5', amount: '24.00' });
    const half = await posted(t, { type: 'issue', lines: [{ itemId: cola, qty: 3, uom: 'half', fromLocationId: a }] });
    expect(half.lines[0]).toMatchObject({ qty: '1.5', uomQty: '3', amount: '0.75' }); // 1.5 × 0.5
    const pallet = await expectNoChange(t, () => post(t, { type: 'issue', lines: [{ itemId: cola, qty: 1, uom: 'pallet', fromLocationId: a }] }));
    expect(expectProblem(pallet, 409, 'inventory/insufficient-stock')).toMatchObject({ requested: '480', available: '46.5' });
    const unknown = await expectNoChange(t, () => post(t, { type: 'issue', lines: [{ itemId: cola, qty: 1, uom: 'crate', fromLocationId: a }] }));
    expect(problemFields(expectProblem(unknown, 400, 'validation'))).toEqual(['lines.0.uom']);
    // An empty list removes them.
    expect((await settings(cola, { units: [] })).json().units).toEqual([]);
    const gone = await expectNoChange(t, () => post(t, { type: 'issue', lines: [{ itemId: cola, qty: 1, uom: 'box', fromLocationId: a }] }));
    expect(problemFields(expectProblem(gone, 400, 'validation'))).toEqual(['lines.0.uom']);
  });
});

describe('reports', () => {
  it('values stock as of any date by item, category and location; a location is valued from its quantity at that instant', async () => {
    const tools = await category('Tools');
    const hand = await category('Hand tools', tools);
    const hammer = await item(t, 'Hammer', { categoryId: hand });
    const saw = await item(t, 'Saw', { categoryId: tools });
    const yard = await location(t, 'Yard', 'site');
    const r1 = await location(t, 'Rack 1', 'bin', yard);
    const r2 = await location(t, 'Rack 2', 'bin', yard);
    await receive(hammer, 10, 4, '2026-05-01T09:00:00Z', r1); // hammer 10 × 4 = 40
    await receive(saw, 5, 20, '2026-05-02T09:00:00Z', r2); // saw 5 × 20 = 100
    await posted(t, { type: 'transfer', effectiveAt: '2026-05-03T09:00:00Z', lines: [{ itemId: hammer, qty: 4, fromLocationId: r1, toLocationId: r2 }] });
    await issue(hammer, 3, '2026-05-04T09:00:00Z', r1); // hammer 7 left, 28.00
    await receive(saw, 5, 26, '2026-05-05T09:00:00Z', r1); // saw 10 units, 230.00: 23 each

    const report = async (q: string) => call({ method: 'GET', url: `${INV}/reports/valuation?${q}` }, 200);
    const row = (r: { rows: { key: string }[] }, key: string) => r.rows.find((x) => x.key === key);

    // By item, at the end of each day.
    const may1 = await report('asOf=2026-05-01');
    expect(may1.asOf).toBe('2026-05-02T00:00:00.000Z');
    expect(row(may1, hammer)).toEqual({ key: hammer, label: 'Hammer', qty: '10', value: '40.00', items: 1 });
    expect(row(may1, saw)).toBeUndefined();
    const may5 = await report('asOf=2026-05-05');
    expect(row(may5, hammer)).toMatchObject({ qty: '7', value: '28.00' });
    expect(row(may5, saw)).toMatchObject({ qty: '10', value: '230.00' });
    // An instant: before the second saw receipt.
    expect(row(await report('asOf=2026-05-05T08:59:59Z'), saw)).toMatchObject({ qty: '5', value: '100.00' });

    // By category: each item under its own category's path.
    const cats = await report('asOf=2026-05-05&groupBy=category');
    expect(row(cats, hand)).toEqual({ key: hand, label: 'Tools / Hand tools', qty: null, value: '28.00', items: 1 });
    expect(row(cats, tools)).toEqual({ key: tools, label: 'Tools', qty: null, value: '230.00', items: 1 });
    expect(row(await report('asOf=2026-05-01&groupBy=category'), tools)).toBeUndefined();

    // By location, under the yard only.
    const at = async (asOf: string) => {
      const r = await report(`asOf=${asOf}&groupBy=location&locationId=${yard}`);
      return { total: r.totalValue, rows: r.rows.map((x: { label: string; value: string; items: number }) => [x.label, x.value, x.items]) };
    };
    // 2 May: hammer 10 in rack 1 (40), saw 5 in rack 2 (100).
    expect(await at('2026-05-02')).toEqual({ total: '140.00', rows: [['Rack 1', '40.00', 1], ['Rack 2', '100.00', 1]] });
    // 3 May, after the transfer: hammer 6 × 4 = 24 in rack 1; 4 × 4 = 16 + saw 100 in rack 2.
    expect(await at('2026-05-03')).toEqual({ total: '140.00', rows: [['Rack 1', '24.00', 1], ['Rack 2', '116.00', 2]] });
    // 5 May: hammer 3 × 4 = 12 + saw 5 × 23 = 115 in rack 1; hammer 4 × 4 = 16 + saw 5 × 23 = 115 in rack 2.
    expect(await at('2026-05-05')).toEqual({ total: '258.00', rows: [['Rack 1', '127.00', 2], ['Rack 2', '131.00', 2]] });
    // By item with a location filter: the quantities under it.
    const inYard = await report(`asOf=2026-05-05&groupBy=item&locationId=${yard}`);
    expect(inYard.rows).toEqual([
      { key: hammer, label: 'Hammer', qty: '7', value: '28.00', items: 1 },
      { key: saw, label: 'Saw', qty: '10', value: '230.00', items: 1 },
    ]);
    expect(inYard.totalValue).toBe('258.00');
    const rack2 = await report(`asOf=2026-05-05&groupBy=item&locationId=${r2}`);
    expect(rack2.rows.map((x: { label: string; qty: string; value: string }) => [x.label, x.qty, x.value])).toEqual([
      ['Hammer', '4', '16.00'],
      ['Saw', '5', '115.00'],
    ]);
  });

  it('reports COGS for a period: issues at cost, customer returns reduce it, adjustments and supplier returns apart', async () => {
    const cog = await item(t, 'COGS widget');
    const r1 = await receive(cog, 10, 5, '2026-06-01T09:00:00Z'); // layer 10 × 5
    const r2 = await receive(cog, 10, 7, '2026-06-02T09:00:00Z'); // layer 10 × 7
    const sale = await issue(cog, 10, '2026-06-10T09:00:00Z');
    expect(sale.lines[0].amount).toBe('50.00'); // 10 × 5
    const ret = await posted(t, { type: 'customer-return', effectiveAt: '2026-06-12T09:00:00Z', lines: [{ itemId: cog, qty: 2, toLocationId: a, returnOfLineId: sale.lines[0].id }] });
    expect(ret.lines[0].amount).toBe('10.00'); // back at 5 each: a layer 2 × 5 dated 12 June
    const lost = await posted(t, { type: 'adjustment', effectiveAt: '2026-06-14T09:00:00Z', lines: [{ itemId: cog, qty: 1, fromLocationId: a, reason: 'damaged' }] });
    expect(lost.lines[0].amount).toBe('7.00'); // oldest open layer: 2 June at 7
    expect((await issue(cog, 6, '2026-06-15T09:00:00Z')).lines[0].amount).toBe('42.00'); // 6 × 7; 3 × 7 left in that layer
    const found = await posted(t, { type: 'adjustment', effectiveAt: '2026-06-16T09:00:00Z', lines: [{ itemId: cog, qty: 1, toLocationId: a, reason: 'found' }] });
    expect(found.lines[0].amount).toBe('6.20'); // at the current cost: (3 × 7 + 2 × 5) / 5 = 6.2
    const back = await posted(t, { type: 'supplier-return', effectiveAt: '2026-06-20T09:00:00Z', lines: [{ itemId: cog, qty: 1, fromLocationId: a, returnOfLineId: r2.lines[0].id }] });
    expect(back.lines[0].amount).toBe('7.00');
    expect((await issue(cog, 1, '2026-07-01T09:00:00Z')).lines[0].amount).toBe('7.00'); // July, outside June
    expect(r1.lines[0].amount).toBe('50.00');

    const cogs = async (q: string) => call({ method: 'GET', url: `${INV}/reports/cogs?${q}` }, 200);
    const june = await cogs('from=2026-06-01&to=2026-06-30');
    expect(june.rows).toEqual([
      // issued 10 + 6 = 16 for 50 + 42 = 92; 10 came back; shrinkage 7 − 6.20 = 0.80
      { key: cog, label: 'COGS widget', issuedQty: '16', cogs: '92.00', customerReturns: '10.00', netCogs: '82.00', adjustments: '0.80' },
    ]);
    expect(june.totals).toEqual({ cogs: '92.00', customerReturns: '10.00', netCogs: '82.00', adjustments: '0.80', supplierReturns: '7.00', receipts: '120.00' });
    // From the 11th: only the second issue and the return.
    const late = await cogs('from=2026-06-11&to=2026-06-30');
    expect(late.rows[0]).toMatchObject({ issuedQty: '6', cogs: '42.00', customerReturns: '10.00', netCogs: '32.00', adjustments: '0.80' });
    expect(late.totals).toMatchObject({ receipts: '0.00', supplierReturns: '7.00' });
    // By month; `to` is inclusive.
    const months = await cogs('from=2026-06-01&to=2026-07-01&groupBy=month');
    expect(months.rows.map((r: { key: string; issuedQty: string; cogs: string; netCogs: string }) => [r.key, r.issuedQty, r.cogs, r.netCogs])).toEqual([
      ['2026-06', '16', '92.00', '82.00'],
      ['2026-07', '1', '7.00', '7.00'],
    ]);
    expect((await cogs('from=2026-06-21&to=2026-06-30')).rows).toEqual([]);
    // Left: 1 × 7 + 2 × 5 + 1 × 6.20 = 23.20
    expect(await panel(cog)).toMatchObject({ onHand: '4', value: '23.20' });
  });

  it('emits inventory.stock.out when an item × location runs out, and only then', async () => {
    const last = await item(t, 'Last one');
    await posted(t, { type: 'receipt', lines: [{ itemId: last, qty: 3, unitCost: 1, toLocationId: a }, { itemId: last, qty: 2, unitCost: 1, toLocationId: b }] });
    let from = t.events.length;
    await posted(t, { type: 'issue', lines: [{ itemId: last, qty: 2, fromLocationId: a }] });
    expect(t.events.slice(from).map((e) => e.name)).toEqual(['inventory.move.posted']);
    from = t.events.length;
    const out = await posted(t, { type: 'issue', lines: [{ itemId: last, qty: 1, fromLocationId: a }] });
    expect(t.events.slice(from).filter((e) => e.name === 'inventory.stock.out').map((e) => e.payload)).toEqual([{ itemId: last, locationId: a, moveId: out.id, onHand: '0' }]);
    expect((await stock(t, last, site)).onHand).toBe('2');
    // A transfer that empties bin B reports bin B, not the bin it went to.
    from = t.events.length;
    const moved = await posted(t, { type: 'transfer', lines: [{ itemId: last, qty: 2, fromLocationId: b, toLocationId: a }] });
    expect(t.events.slice(from).filter((e) => e.name === 'inventory.stock.out').map((e) => e.payload)).toEqual([{ itemId: last, locationId: b, moveId: moved.id, onHand: '0' }]);
    // Receipts never report a stock-out.
    from = t.events.length;
    await posted(t, { type: 'receipt', lines: [{ itemId: last, qty: 1, unitCost: 1, toLocationId: b }] });
    expect(t.events.slice(from).map((e) => e.name)).toEqual(['inventory.move.posted']);
  });

  it('filters movement history by type, date range and serial', async () => {
    const pin = await item(t, 'Filter pin');
    const drill = await item(t, 'Filter drill', { trackingMode: 'serial' });
    await posted(t, { type: 'receipt', reference: 'F-1', effectiveAt: '2026-08-01T09:00:00Z', lines: [{ itemId: pin, qty: 5, unitCost: 1, toLocationId: a }] });
    await posted(t, { type: 'receipt', effectiveAt: '2026-08-03T09:00:00Z', lines: [{ itemId: drill, qty: 2, unitCost: 50, toLocationId: a, serials: ['FS-A', 'FS-B'] }] });
    await posted(t, { type: 'customer-return', effectiveAt: '2026-08-04T09:00:00Z', lines: [{ itemId: drill, qty: 1, unitCost: 50, toLocationId: b, serials: ['FS-C'] }] });
    await posted(t, { type: 'transfer', effectiveAt: '2026-08-05T09:00:00Z', lines: [{ itemId: pin, qty: 2, fromLocationId: a, toLocationId: b }] });
    await posted(t, { type: 'issue', effectiveAt: '2026-08-10T09:00:00Z', lines: [{ itemId: pin, qty: 1, fromLocationId: b }] });

    const list = async (q: string) => {
      const r = await call({ method: 'GET', url: `${INV}/moves?${q}` }, 200);
      return { total: r.total, moves: r.data.map((m: { type: string; effectiveAt: string }) => `${m.type}@${m.effectiveAt.slice(5, 10)}`) };
    };
    expect(await list(`itemId=${pin}&type=transfer`)).toEqual({ total: 1, moves: ['transfer@08-05'] });
    expect(await list(`itemId=${pin}&type=issue`)).toEqual({ total: 1, moves: ['issue@08-10'] });
    // from inclusive, to exclusive; newest first.
    expect(await list('from=2026-08-02T00:00:00Z&to=2026-08-06T00:00:00Z')).toEqual({ total: 3, moves: ['transfer@08-05', 'customer-return@08-04', 'receipt@08-03'] });
    expect(await list('from=2026-08-03T09:00:00Z&to=2026-08-05T09:00:00Z')).toEqual({ total: 2, moves: ['customer-return@08-04', 'receipt@08-03'] });
    expect(await list('type=receipt&from=2026-08-01T00:00:00Z&to=2026-09-01T00:00:00Z')).toEqual({ total: 2, moves: ['receipt@08-03', 'receipt@08-01'] });
    expect(await list('type=customer-return&from=2026-08-01T00:00:00Z')).toEqual({ total: 1, moves: ['customer-return@08-04'] });
    // By serial (the history of a serial through issues and transfers is in lots-serials.test.ts).
    expect(await list('serial=FS-A')).toEqual({ total: 1, moves: ['receipt@08-03'] });
    expect(await list('serial=FS-C')).toEqual({ total: 1, moves: ['customer-return@08-04'] });
    expect(await list('serial=NOPE')).toEqual({ total: 0, moves: [] });
    // Paging keeps the total.
    expect(await list('from=2026-08-02T00:00:00Z&to=2026-08-06T00:00:00Z&limit=1&offset=1')).toEqual({ total: 3, moves: ['customer-return@08-04'] });
    const byRef = await call({ method: 'GET', url: `${INV}/moves?reference=F-1` }, 200);
    expect(byRef.data).toEqual([expect.objectContaining({ type: 'receipt', reference: 'F-1', lineCount: 1, totalQty: '5', items: ['Filter pin'] })]);
  });
});
