import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InjectOptions } from 'fastify';
import { createTestPlatform, expectNoChange, expectProblem, problemFields, type TestPlatform, type TestSession } from '@quartermaster/testing';
import { inventoryPlugin } from '../../src/server/index.js';
import { IMPORT_PERMISSION, gtinCheckDigitOk } from '../../src/server/services/import.service.js';
import { parseCsv } from '@quartermaster/sdk';
import { permissions } from '../../src/shared/index.js';
import { caller, ledgerMatchesBalances, location } from './fixtures.js';

const INV = '/api/inventory';
/** Tables an import writes to (besides its own job, the audit log and sessions). */
const DOMAIN = ['core_item', 'core_identifier', 'core_category', 'core_outbox', 'inventory_item', 'inventory_move', 'inventory_balance', 'inventory_lot', 'inventory_serial', 'inventory_valuation', 'inventory_cost', 'inventory_reorder'];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('CSV imports and exports', () => {
  let t: TestPlatform;
  let call: ReturnType<typeof caller>;
  let site: string;
  let binA: string;
  let binB: string;
  let importer: TestSession;
  let cataloguer: TestSession;
  let viewer: TestSession;
  const ids: Record<string, string> = {};

  const imp = (payload: Record<string, unknown>, headers?: Record<string, string>) =>
    headers ? t.app.inject({ method: 'POST', url: `${INV}/imports`, payload, headers }) : t.request({ method: 'POST', url: `${INV}/imports`, payload });
  const imported = async (payload: Record<string, unknown>, status = 201) => {
    const res = await imp(payload);
    expect(res.statusCode, res.body).toBe(status);
    return res.json();
  };
  const itemOf = async (sku: string) => {
    const r = await call({ method: 'GET', url: `/api/core/identifiers/resolve?value=${encodeURIComponent(sku)}` }, 200);
    const m = r.matches.find((x: { identifier: { type: string } }) => x.identifier.type === 'sku');
    return m ? (m.target.id as string) : undefined;
  };
  const eventsSince = (n: number) => t.events.slice(n).map((e) => e.name);
  const waitFor = async (id: string) => {
    const seen: { status: string; processed: number; total: number }[] = [];
    for (let i = 0; i < 1200; i++) {
      const job = await call({ method: 'GET', url: `${INV}/imports/${id}?errorsLimit=0` }, 200);
      seen.push({ status: job.status, processed: job.progress.processed, total: job.progress.total });
      if (job.status === 'done' || job.status === 'failed') return { job, seen };
      await sleep(50);
    }
    throw new Error(`import ${id} did not finish`);
  };
  async function userWith(email: string, perms: string[]): Promise<TestSession> {
    const role = await call({ method: 'POST', url: '/api/core/roles', payload: { name: `role for ${email}`, permissions: perms } }, 201);
    const password = 'a long enough password';
    await call({ method: 'POST', url: '/api/core/users', payload: { email, name: email, password, roleIds: [role.id] } }, 201);
    return t.login(email, password);
  }

  beforeAll(async () => {
    t = await createTestPlatform({ plugins: [inventoryPlugin], enable: { inventory: { reservationSweepSeconds: 0 } } });
    call = caller(t);
    site = (await call({ method: 'POST', url: '/api/core/locations', payload: { name: 'Main DC', type: 'site', code: 'DC' } }, 201)).id;
    binA = (await call({ method: 'POST', url: '/api/core/locations', payload: { name: 'Bin A', type: 'bin', code: 'A-01', parentId: site } }, 201)).id;
    binB = await location(t, 'Bin B', 'bin', site);
    // Existing categories: one whose case differs from the file's, one used as it is.
    ids.spareParts = (await call({ method: 'POST', url: '/api/core/categories', payload: { name: 'Spare Parts' } }, 201)).id;
    ids.tools = (await call({ method: 'POST', url: '/api/core/categories', payload: { name: 'Tools' } }, 201)).id;
    // Signing in writes rows: done here, before any case compares snapshots.
    importer = await userWith('importer@example.test', [IMPORT_PERMISSION]);
    cataloguer = await userWith('cataloguer@example.test', [IMPORT_PERMISSION, 'core.items.write']);
    viewer = await userWith('viewer@example.test', [permissions.stockRead]);
  });
  afterAll(async () => {
    if (t) await ledgerMatchesBalances(t);
    await t?.close();
  });

  // The GTINs below are valid (GS1 check digits); one is made wrong on purpose.
  it('uses valid GTINs in its files', () => {
    for (const g of ['4006381333931', '73513537', '036000291452', '5901234123457']) expect(gtinCheckDigitOk(g), g).toBe(true);
    expect(gtinCheckDigitOk('4006381333932')).toBe(false);
  });

  describe('items', () => {
    const ITEMS = [
      'sku,name,gtin,category,kind,tracking_mode,unit_of_measure,valuation_method,standard_cost,purchase_units',
      'BRG-6204,"Ball bearing 6204, sealed",4006381333931,Spare parts / Bearings,stock,none,ea,fifo,,box=12;case=144',
      'BRG-6205,Ball bearing 6205,,spare parts/bearings,,,,,,',
      'MILK-1L,"Milk ""full cream"" 1 l",73513537,Food / Dairy,consumable,lot,ea,moving-average,,crate=12',
      'DRL-18V,Cordless drill 18V,036000291452,Tools,asset,serial,ea,standard,89.90,',
    ].join('\r\n');

    it('creates items with identifiers, categories (found case-insensitively or created) and inventory settings, in the request', async () => {
      const from = t.events.length;
      const job = await imported({ kind: 'items', csv: ITEMS, fileName: 'items.csv' });
      expect(job).toMatchObject({
        kind: 'items',
        status: 'done',
        background: false,
        fileName: 'items.csv',
        progress: { processed: 4, total: 4 },
        counts: { total: 4, valid: 4, invalid: 0, imported: 4, created: 4, updated: 0, unchanged: 0, errors: 0 },
        errors: [],
        detail: null,
      });
      for (const sku of ['BRG-6204', 'BRG-6205', 'MILK-1L', 'DRL-18V']) ids[sku] = (await itemOf(sku))!;
      const bearing = await call({ method: 'GET', url: `/api/core/items/${ids['BRG-6204']}` }, 200);
      expect(bearing).toMatchObject({ name: 'Ball bearing 6204, sealed', kind: 'stock', trackingMode: 'none', unitOfMeasure: 'ea', category: { path: 'Spare Parts / Bearings' } });
      expect(bearing.identifiers.map((i: { type: string; value: string }) => `${i.type}:${i.value}`).sort()).toEqual(['gtin:4006381333931', 'sku:BRG-6204']);
      // Both bearings went into the one new "Bearings" under the existing "Spare Parts".
      expect((await call({ method: 'GET', url: `/api/core/items/${ids['BRG-6205']}` }, 200)).categoryId).toBe(bearing.categoryId);
      expect((await call({ method: 'GET', url: `/api/core/items/${ids['MILK-1L']}` }, 200)).name).toBe('Milk "full cream" 1 l');
      expect((await call({ method: 'GET', url: `/api/core/items/${ids['DRL-18V']}` }, 200)).categoryId).toBe(ids.tools);
      expect(await call({ method: 'GET', url: `${INV}/items/${ids['BRG-6204']}/settings` }, 200)).toMatchObject({
        valuationMethod: 'fifo',
        units: [
          { uom: 'box', factor: '12' },
          { uom: 'case', factor: '144' },
        ],
      });
      expect(await call({ method: 'GET', url: `${INV}/items/${ids['DRL-18V']}/settings` }, 200)).toMatchObject({ valuationMethod: 'standard', standardCost: '89.9' });
      // The core's own events and audit records: the items were created through its routes, as the importing user.
      const names = eventsSince(from);
      expect(names.filter((n) => n === 'core.item.created')).toHaveLength(4);
      expect(names.filter((n) => n === 'core.identifier.assigned')).toHaveLength(7);
      expect(names.filter((n) => n === 'core.category.created')).toHaveLength(3); // Bearings, Food, Dairy
      expect(names.indexOf('core.item.created')).toBeLessThan(names.indexOf('core.identifier.assigned'));
      const audit = await t.sql<{ plugin_id: string; entity_type: string; action: string; actor_label: string; n: string }>(
        `SELECT plugin_id, entity_type, action, actor_label, count(*) AS n FROM core_audit
          WHERE entity_type IN ('core.item', 'core.category', 'inventory.item-settings', 'inventory.import') AND entity_id NOT IN ($1, $2) GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3`,
        [ids.spareParts, ids.tools],
      );
      expect(audit.map((a) => `${a.plugin_id} ${a.entity_type} ${a.action} ${a.n} by ${a.actor_label}`)).toEqual([
        'core core.category created 3 by admin@example.test',
        'core core.item created 4 by admin@example.test',
        'inventory inventory.import created 1 by admin@example.test',
        'inventory inventory.import finished 1 by admin@example.test',
        'inventory inventory.item-settings updated 3 by admin@example.test',
      ]);
    });

    it('re-importing the same file changes nothing (upsert by SKU)', async () => {
      const job = await expectNoChange(t, () => imported({ kind: 'items', csv: ITEMS }), DOMAIN);
      expect(job).toMatchObject({ status: 'done', counts: { imported: 4, created: 0, updated: 0, unchanged: 4 } });
    });

    it('updates items found by SKU: changed fields, added GTINs, replaced purchase units; empty cells keep values', async () => {
      const from = t.events.length;
      const csv = 'SKU,Name,GTIN,Purchase units\nBRG-6204,"Ball bearing 6204, sealed (2RS)",,box=10;case=144\nBRG-6205,Ball bearing 6205,5901234123457,\nMILK-1L,"Milk ""full cream"" 1 l",,\n';
      const job = await imported({ kind: 'items', csv });
      expect(job.counts).toMatchObject({ created: 0, updated: 2, unchanged: 1 });
      expect(eventsSince(from).sort()).toEqual(['core.identifier.assigned', 'core.item.updated']);
      expect(t.events.slice(from).find((e) => e.name === 'core.item.updated')!.payload).toMatchObject({ id: ids['BRG-6204'], name: 'Ball bearing 6204, sealed (2RS)', changed: ['name'] });
      const bearing = await call({ method: 'GET', url: `/api/core/items/${ids['BRG-6204']}` }, 200);
      expect(bearing).toMatchObject({ version: 2, category: { path: 'Spare Parts / Bearings' } });
      expect((await call({ method: 'GET', url: `${INV}/items/${ids['BRG-6204']}/settings` }, 200)).units).toEqual([
        { uom: 'box', factor: '10' },
        { uom: 'case', factor: '144' },
      ]);
      expect((await call({ method: 'GET', url: `/api/core/items/${ids['BRG-6205']}` }, 200)).identifiers.map((i: { value: string }) => i.value).sort()).toEqual(['5901234123457', 'BRG-6205']);
    });

    const BAD = [
      'sku,name,gtin,kind,valuation_method,standard_cost,purchase_units',
      'NEW-1,New thing one,,,,,',
      'NEW-2,,4006381333932,gadget,,abc,box',
      'NEW-1,Duplicate,,,,,',
      'NEW-3,Standard without cost,,,standard,,',
      'NEW-4,Too,few',
      'BRG-6205,Ball bearing 6205,4006381333931,,,,',
      'NEW-5,Base unit twice,,,,,ea=3',
    ].join('\n');
    const BAD_ERRORS = [
      { row: 3, column: 'name', message: 'is required', value: '' },
      { row: 3, column: 'gtin', message: 'the GTIN check digit is wrong', value: '4006381333932' },
      { row: 3, column: 'kind', message: 'must be one of: stock, consumable, asset, service, kit', value: 'gadget' },
      { row: 3, column: 'standard_cost', message: 'must be a number like 12.5 (a dot for decimals, no thousands separators)', value: 'abc' },
      { row: 3, column: 'purchase_units', message: '"box" is not unit=factor (e.g. box=12;case=144)', value: 'box' },
      { row: 4, column: 'sku', message: 'SKU NEW-1 is on row 2 too', value: 'NEW-1' },
      { row: 5, column: 'standard_cost', message: 'is required for items valued at standard cost', value: '' },
      { row: 6, column: null, message: 'has 3 fields, the header has 7', value: null },
      { row: 7, column: 'gtin', message: expect.stringMatching(/^GTIN 4006381333931 already belongs to core\.item [0-9a-f-]{36}$/), value: '4006381333931' },
      { row: 8, column: 'purchase_units', message: 'ea is the base unit already', value: 'ea=3' },
    ];

    it('reports every invalid row (row, column, message) and imports nothing when one is invalid', async () => {
      const job = await expectNoChange(t, () => imported({ kind: 'items', csv: BAD }), DOMAIN);
      expect(job).toMatchObject({
        status: 'failed',
        detail: '6 of 7 rows are invalid; nothing was imported',
        counts: { total: 7, valid: 1, invalid: 6, imported: 0, created: 0, errors: 10 },
        errorsStored: 10,
        errorsTruncated: false,
      });
      expect(job.errors).toEqual(BAD_ERRORS);
      expect(await itemOf('NEW-1')).toBeUndefined();
      // The same report as CSV.
      const res = await t.request({ method: 'GET', url: `${INV}/imports/${job.id}/errors.csv` });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.headers['content-disposition']).toBe(`attachment; filename="import-${job.number}-errors.csv"`);
      const records = parseCsv(res.body).records.map((r) => r.cells);
      expect(records[0]).toEqual(['row', 'column', 'message', 'value']);
      expect(records.slice(1).map((r) => [Number(r[0]), r[1] || null, r[2]])).toEqual(BAD_ERRORS.map((e) => [e.row, e.column, expect.any(String)]));
      expect(records[2]).toEqual(['3', 'gtin', 'the GTIN check digit is wrong', '4006381333932']);
    });

    it('a dry run checks and writes nothing', async () => {
      const job = await expectNoChange(t, () => imported({ kind: 'items', csv: 'sku,name\nDRY-1,Dry one\nDRY-2,Dry two\n', dryRun: true }), DOMAIN);
      expect(job).toMatchObject({ status: 'done', dryRun: true, counts: { valid: 2, imported: 0 }, detail: 'Dry run: 2 rows would be imported; nothing was written' });
      const bad = await expectNoChange(t, () => imported({ kind: 'items', csv: BAD, dryRun: true, skipInvalidRows: true }), DOMAIN);
      expect(bad).toMatchObject({ status: 'done', counts: { invalid: 6, imported: 0 }, detail: 'Dry run: 1 row would be imported, 6 skipped; nothing was written' });
    });

    it('with skipInvalidRows imports the valid rows and reports the others', async () => {
      const job = await imported({ kind: 'items', csv: BAD, skipInvalidRows: true });
      expect(job).toMatchObject({ status: 'done', counts: { total: 7, invalid: 6, imported: 1, created: 1 }, progress: { processed: 7, total: 7 } });
      expect(job.errors).toEqual(BAD_ERRORS);
      expect(await itemOf('NEW-1')).toEqual(expect.any(String));
      expect(await itemOf('NEW-5')).toBeUndefined();
    });

    it('refuses changes that would corrupt the ledger of items with stock', async () => {
      const glove = (await imported({ kind: 'items', csv: 'sku,name,tracking_mode\nGLV-1,Glove,none\n' })).counts.created;
      expect(glove).toBe(1);
      ids['GLV-1'] = (await itemOf('GLV-1'))!;
      await call({ method: 'POST', url: `${INV}/moves`, payload: { type: 'receipt', lines: [{ itemId: ids['GLV-1'], qty: 4, unitCost: 1, toLocationId: binA }] } }, 201);
      const job = await expectNoChange(t, () => imported({ kind: 'items', csv: 'sku,name,tracking_mode,unit_of_measure,valuation_method,kind\nGLV-1,Glove,serial,pair,lifo,service\n' }), DOMAIN);
      expect(job.errors.map((e: { column: string; message: string }) => `${e.column}: ${e.message}`)).toEqual([
        'tracking_mode: cannot change from none while 4 ea on hand',
        'unit_of_measure: cannot change from ea while 4 ea on hand',
        'kind: a service holds no stock, and 4 ea on hand',
        'valuation_method: cannot change while 4 ea on hand',
      ]);
    });
  });

  describe('opening balances', () => {
    const AS_OF = '2026-01-01T00:00:00.000Z';
    const OPENING = [
      'sku,location,qty,unit_cost,lot,expiry,serials,uom',
      'BRG-6204,A-01,2,24.00,,,,box',
      'BRG-6204,Main DC / Bin B,5,2.10,,,,',
      'MILK-1L,main dc / bin a,12,0.80,L-2027-07,2027-07-31,,',
      'DRL-18V,A-01,2,89.90,,,SN-001;SN-002,',
    ].join('\n');

    it('reports unknown items and locations, bad quantities, lots, expiry dates and serials, and posts nothing', async () => {
      const csv = [
        'sku,location,qty,unit_cost,lot,expiry,serials',
        'NOPE,A-01,1,1,,,',
        'BRG-6205,Nowhere,1,1,,,',
        'BRG-6205,A-01,0,1,,,',
        'BRG-6205,Main DC / Bin B,1,-1,,,',
        'MILK-1L,Main DC / Bin B,1,1,,,',
        'DRL-18V,Main DC / Bin B,2,89.90,,,SN-9',
        'MILK-1L,A-01,1,1,L-X,31/12/2027,',
        'BRG-6205,DC,1,1,L-1,,',
      ].join('\n');
      const job = await expectNoChange(t, () => imported({ kind: 'opening-balances', csv, asOf: AS_OF }), DOMAIN);
      expect(job.status).toBe('failed');
      expect(job.errors.map((e: { row: number; column: string; message: string }) => `${e.row} ${e.column}: ${e.message}`)).toEqual([
        '2 sku: no item has SKU NOPE',
        '3 location: no location has this code or path (give a code, or the path from the site down, e.g. "Main DC / Bin A")',
        '4 qty: must be greater than 0',
        '5 unit_cost: must be at least 0',
        '6 lot: Milk "full cream" 1 l is tracked by lot: say which lot',
        '7 serials: Cordless drill 18V is serialized: list one serial per unit, separated by ";" (2 units, 1 serials)',
        '8 expiry: must be a date like 2027-03-31',
        '9 lot: Ball bearing 6205 is not tracked by lot',
      ]);
    });

    it('posts one receipt with reference OPENING, dated asOf, by location code or path, with purchase units, lots and serials', async () => {
      const from = t.events.length;
      const job = await imported({ kind: 'opening-balances', csv: OPENING, asOf: AS_OF });
      expect(job).toMatchObject({ status: 'done', asOf: AS_OF, counts: { imported: 4, created: 4 } });
      expect(job.moveIds).toHaveLength(1);
      expect(eventsSince(from)).toEqual(['inventory.move.posted']);
      const move = await call({ method: 'GET', url: `${INV}/moves/${job.moveIds[0]}` }, 200);
      expect(move).toMatchObject({ type: 'receipt', reference: 'OPENING', effectiveAt: AS_OF, note: `Opening balances, import ${job.number}` });
      // 2 boxes (of 10 since the update above) at 24.00 a box = 20 ea at 2.40; 5 × 2.10; 12 × 0.80; 2 drills at 89.90 (one line per serial).
      expect(move.lines.map((l: Record<string, string>) => [l.itemName, l.toLocation, l.qty, l.uom, l.lot, l.serial, l.amount])).toEqual([
        ['Ball bearing 6204, sealed (2RS)', 'Bin A', '20', 'box', null, null, '48.00'],
        ['Ball bearing 6204, sealed (2RS)', 'Bin B', '5', 'ea', null, null, '10.50'],
        ['Milk "full cream" 1 l', 'Bin A', '12', 'ea', 'L-2027-07', null, '9.60'],
        ['Cordless drill 18V', 'Bin A', '1', 'ea', null, 'SN-001', '89.90'],
        ['Cordless drill 18V', 'Bin A', '1', 'ea', null, 'SN-002', '89.90'],
      ]);
      expect(await call({ method: 'GET', url: `${INV}/items/${ids['BRG-6204']}/stock` }, 200)).toMatchObject({ onHand: '25', value: '58.50' });
      const lots = await call({ method: 'GET', url: `${INV}/lots?itemId=${ids['MILK-1L']}` }, 200);
      expect(lots.data).toEqual([expect.objectContaining({ code: 'L-2027-07', expiresOn: '2027-07-31', onHand: '12' })]);
    });

    it('posts an opening balance once: the same file again is refused row by row', async () => {
      const job = await expectNoChange(t, () => imported({ kind: 'opening-balances', csv: OPENING, asOf: AS_OF }), DOMAIN);
      expect(job.status).toBe('failed');
      expect(job.errors.filter((e: { message: string }) => e.message.includes('already has an opening balance')).map((e: { row: number }) => e.row)).toEqual([2, 3, 4, 5]);
      expect(job.errors).toContainEqual(expect.objectContaining({ row: 5, column: 'serials', message: 'serial SN-001 is already in stock at Bin A' }));
    });

    it('with skipInvalidRows posts the valid rows only', async () => {
      const job = await imported({ kind: 'opening-balances', csv: 'sku,location,qty,unit_cost\nBRG-6205,A-01,3,1.50\nNOPE,A-01,1,1\n', skipInvalidRows: true });
      expect(job).toMatchObject({ status: 'done', counts: { imported: 1, invalid: 1 } });
      const move = await call({ method: 'GET', url: `${INV}/moves/${job.moveIds[0]}` }, 200);
      expect(move.lines).toEqual([expect.objectContaining({ itemId: ids['BRG-6205'], qty: '3', amount: '4.50' })]);
    });
  });

  describe('reorder rules', () => {
    it('creates and updates one rule per item × location, by code or path', async () => {
      const csv = ['sku,location,kind,min,max,reorder_point,safety_stock,order_qty,order_multiple,moq', 'BRG-6204,A-01,min-max,10,50,,,,12,24', 'MILK-1L,Main DC / Bin A,reorder-point,,,20,5,48,12,'].join('\n');
      const job = await imported({ kind: 'reorder-rules', csv });
      expect(job).toMatchObject({ status: 'done', counts: { created: 2 } });
      const rules = await call({ method: 'GET', url: `${INV}/reorder-rules?locationId=${binA}` }, 200);
      const byItem = Object.fromEntries(rules.data.map((r: { itemId: string }) => [r.itemId, r]));
      expect(byItem[ids['BRG-6204']]).toMatchObject({ kind: 'min-max', min: '10', max: '50', reorderPoint: null, orderMultiple: '12', minOrderQty: '24' });
      expect(byItem[ids['MILK-1L']]).toMatchObject({ kind: 'reorder-point', reorderPoint: '20', safetyStock: '5', orderQty: '48', orderMultiple: '12', minOrderQty: null });
      // Again with a change to one: one update, one unchanged; columns not in the file keep their values.
      const again = await imported({ kind: 'reorder-rules', csv: 'sku,location,min,max\nBRG-6204,A-01,15,50\nMILK-1L,A-01,,\n' });
      expect(again.counts).toMatchObject({ created: 0, updated: 1, unchanged: 1 });
      const after = await call({ method: 'GET', url: `${INV}/reorder-rules?itemId=${ids['BRG-6204']}` }, 200);
      expect(after.data[0]).toMatchObject({ min: '15', max: '50', orderMultiple: '12', minOrderQty: '24' });
    });

    it('checks rules as PUT /reorder-rules does', async () => {
      const csv = [
        'sku,location,kind,min,max,reorder_point,order_qty,order_multiple',
        'BRG-6205,A-01,min-max,10,,,,',
        'BRG-6205,Main DC / Bin B,reorder-point,,,5,,',
        'GLV-1,A-01,min-max,10,5,,,',
        'GLV-1,Main DC / Bin B,min-max,1,2,,,0',
        'NEW-1,A-01,fixed,,,,,',
      ].join('\n');
      const job = await expectNoChange(t, () => imported({ kind: 'reorder-rules', csv }), DOMAIN);
      expect(job.errors.map((e: { row: number; column: string; message: string }) => `${e.row} ${e.column}: ${e.message}`)).toEqual([
        '2 max: is required for a min-max rule',
        '3 order_qty: a reorder-point rule needs order_qty or max (or the EOQ costs, set in the console)',
        '4 max: must be at least min (10)',
        '5 order_multiple: must be greater than 0',
        '6 kind: must be one of: min-max, reorder-point',
      ]);
    });
  });

  describe('large files', () => {
    const bulk = (n: number, bad?: number) =>
      ['sku,name,category,purchase_units', ...Array.from({ length: n }, (_, i) => `BULK-${String(i + 1).padStart(5, '0')},Bulk item ${i + 1},Bulk / Batch ${Math.floor(i / 1000) + 1},${i + 2 === bad ? 'box=0' : 'box=6'}`)].join('\n');

    it('refuses the whole file when one row of 5,000 is invalid, in the background', async () => {
      const before = await t.sql<{ n: string }>(`SELECT count(*) AS n FROM core_item`);
      const res = await imp({ kind: 'items', csv: bulk(5000, 4501) });
      expect(res.statusCode, res.body).toBe(202);
      const { job } = await waitFor(res.json().id);
      expect(job).toMatchObject({ status: 'failed', background: true, counts: { total: 5000, invalid: 1, imported: 0 }, progress: { phase: 'validating', processed: 5000, total: 5000 } });
      const full = await call({ method: 'GET', url: `${INV}/imports/${job.id}` }, 200);
      expect(full.errors).toEqual([{ row: 4501, column: 'purchase_units', message: 'the factor of box must be a number greater than 0', value: 'box=0' }]);
      expect(await t.sql<{ n: string }>(`SELECT count(*) AS n FROM core_item`)).toEqual(before);
    }, 180_000);

    it('imports 5,000 rows in the background, batch by batch, with progress up to the total', async () => {
      const from = t.events.length;
      const res = await imp({ kind: 'items', csv: bulk(5000) });
      expect(res.statusCode, res.body).toBe(202);
      const started = res.json();
      expect(res.headers.location).toBe(`${INV}/imports/${started.id}`);
      expect(started).toMatchObject({ background: true, progress: { total: 5000 } });
      expect(['validating', 'importing']).toContain(started.status);
      const { job, seen } = await waitFor(started.id);
      expect(job).toMatchObject({ status: 'done', progress: { phase: 'importing', processed: 5000, total: 5000 }, counts: { total: 5000, imported: 5000, created: 5000 } });
      // Progress never goes back within a phase, and the import phase moves in batches of 500.
      const importing = seen.filter((s) => s.status === 'importing').map((s) => s.processed);
      expect([...importing].sort((a, b) => a - b)).toEqual(importing);
      for (const p of importing) expect(p % 500).toBe(0);
      expect(eventsSince(from).filter((n) => n === 'core.item.created')).toHaveLength(5000);
      expect(eventsSince(from).filter((n) => n === 'core.category.created')).toHaveLength(6); // Bulk + Batch 1…5
      const [{ n }] = await t.sql<{ n: string }>(`SELECT count(*) AS n FROM core_identifier WHERE type = 'sku' AND value LIKE 'BULK-%'`);
      expect(Number(n)).toBe(5000);
      // The list shows the job.
      const list = await call({ method: 'GET', url: `${INV}/imports?kind=items&status=done&limit=1` }, 200);
      expect(list.data[0]).toMatchObject({ id: started.id, counts: { created: 5000 } });
    }, 180_000);

    it('re-imports the 5,000 rows without changing any', async () => {
      const res = await imp({ kind: 'items', csv: bulk(5000) });
      expect(res.statusCode).toBe(202);
      const { job } = await waitFor(res.json().id);
      expect(job).toMatchObject({ status: 'done', counts: { unchanged: 5000, created: 0, updated: 0 } });
    }, 180_000);

    it('posts 1,200 opening balances in one request', async () => {
      const rows = Array.from({ length: 1200 }, (_, i) => `BULK-${String(i + 1).padStart(5, '0')},Main DC / Bin B,${(i % 7) + 1},0.25`);
      const job = await imported({ kind: 'opening-balances', csv: ['sku,location,qty,unit_cost', ...rows].join('\n') });
      expect(job).toMatchObject({ status: 'done', counts: { imported: 1200 }, moveIds: [expect.any(String)] });
    }, 180_000);
  });

  describe('restarts', () => {
    it('a job left unfinished by a stopped server is taken up by the next one; an items job is failed, to be imported again', async () => {
      // Two jobs as a server leaves them when it stops right after accepting them.
      const accepted = (kind: string, csv: string) =>
        t.sql<{ id: string }>(
          `INSERT INTO inventory_import (kind, background, source, total_rows, actor_type, actor_id, created_by_label)
           SELECT $1, true, $2, 1, 'user', id, email FROM core_user WHERE email = 'admin@example.test' RETURNING id`,
          [kind, csv],
        );
      const [rules] = await accepted('reorder-rules', 'sku,location,min,max\nGLV-1,Main DC / Bin B,1,5\n');
      const [items] = await accepted('items', 'sku,name\nRESUMED-1,Resumed\n');
      const next = await createTestPlatform({ plugins: [inventoryPlugin], enable: { inventory: { reservationSweepSeconds: 0 } }, databaseUrl: t.databaseUrl, admin: false });
      try {
        const status = async (id: string) => {
          for (let i = 0; i < 200; i++) {
            const job = (await next.request({ method: 'GET', url: `${INV}/imports/${id}` })).json();
            if (job.status === 'done' || job.status === 'failed') return job;
            await sleep(50);
          }
          throw new Error('not finished');
        };
        expect(await status(rules.id)).toMatchObject({ status: 'done', counts: { created: 1 } });
        expect(await status(items.id)).toMatchObject({ status: 'failed', detail: expect.stringContaining('import the file again'), counts: { imported: 0 } });
      } finally {
        await next.close();
      }
      const rule = await call({ method: 'GET', url: `${INV}/reorder-rules?itemId=${ids['GLV-1']}` }, 200);
      expect(rule.data).toEqual([expect.objectContaining({ location: 'Bin B', min: '1', max: '5' })]);
      expect(await itemOf('RESUMED-1')).toBeUndefined();
    });
  });

  describe('exports', () => {
    const get = (url: string, headers?: Record<string, string>) => (headers ? t.app.inject({ method: 'GET', url, headers }) : t.request({ method: 'GET', url }));
    const csvOf = (body: string) => {
      const { records, fatal } = parseCsv(body);
      expect(fatal).toBeUndefined();
      const [head, ...rest] = records.map((r) => r.cells);
      return { head, rows: rest.map((r) => Object.fromEntries(head.map((h, i) => [h, r[i]]))) };
    };
    const today = new Date().toISOString().slice(0, 10);

    it('stock: CSV with the list filters, and the same values as the list', async () => {
      const res = await get(`${INV}/export/stock.csv?itemId=${ids['BRG-6204']}`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.headers['content-disposition']).toBe(`attachment; filename="inventory-stock-${today}.csv"`);
      const { head, rows } = csvOf(res.body);
      expect(head).toEqual(['item_id', 'item', 'sku', 'uom', 'location_id', 'location', 'location_code', 'location_path', 'lot_id', 'lot', 'expires_on', 'lot_blocked', 'on_hand', 'reserved', 'available', 'unit_value', 'value']);
      const list = (await call({ method: 'GET', url: `${INV}/stock?itemId=${ids['BRG-6204']}` }, 200)).data;
      expect(rows.map((r) => [r.location, r.location_code, r.location_path, r.sku, r.on_hand, r.value])).toEqual([
        ['Bin A', 'A-01', 'Main DC / Bin A', 'BRG-6204', '20', list[0].value],
        ['Bin B', '', 'Main DC / Bin B', 'BRG-6204', '5', list[1].value],
      ]);
      const byItem = csvOf((await get(`${INV}/export/stock.csv?itemId=${ids['BRG-6204']}&groupBy=item`)).body).rows;
      expect(byItem).toEqual([expect.objectContaining({ on_hand: '25', location: '', value: '58.50' })]);
      const underA = csvOf((await get(`${INV}/export/stock.csv?locationId=${binA}&groupBy=lot`)).body).rows;
      expect(underA.map((r) => `${r.sku} ${r.lot} ${r.on_hand}`)).toEqual(['BRG-6204  20', 'BRG-6205  3', 'DRL-18V  2', 'GLV-1  4', 'MILK-1L L-2027-07 12']);
    });

    it('moves: one row per line, newest first, with the list filters; many rows come out whole', async () => {
      const opening = csvOf((await get(`${INV}/export/moves.csv?reference=OPENING&type=receipt&itemId=${ids['DRL-18V']}`)).body);
      expect(opening.rows.map((r) => [r.reference, r.serial, r.qty, r.unit_cost, r.amount, r.effective_at])).toEqual([
        ['OPENING', 'SN-001', '1', '89.9', '89.90', '2026-01-01T00:00:00.000Z'],
        ['OPENING', 'SN-002', '1', '89.9', '89.90', '2026-01-01T00:00:00.000Z'],
      ]);
      const all = await get(`${INV}/export/moves.csv?reference=OPENING`);
      expect(all.headers['content-disposition']).toBe(`attachment; filename="inventory-moves-${today}.csv"`);
      const { rows } = csvOf(all.body);
      // 5 + 1 + 1,200 lines over three OPENING moves, in more than one fetch of the cursor.
      expect(rows).toHaveLength(1206);
      expect(new Set(rows.map((r) => r.move_id)).size).toBe(3);
      expect(rows.filter((r) => r.item === 'Bulk item 1200')).toEqual([expect.objectContaining({ qty: '3', to_location: 'Bin B', amount: '0.75' })]);
    });

    it('lots, reservations and counts', async () => {
      const lots = csvOf((await get(`${INV}/export/lots.csv?itemId=${ids['MILK-1L']}`)).body).rows;
      expect(lots).toEqual([expect.objectContaining({ lot: 'L-2027-07', expires_on: '2027-07-31', on_hand: '12', sku: 'MILK-1L' })]);
      await call({ method: 'POST', url: `${INV}/reservations`, payload: { itemId: ids['BRG-6204'], locationId: binA, qty: 3, reference: '=SO-1' } }, 201);
      const res = csvOf((await get(`${INV}/export/reservations.csv?status=active`)).body);
      // Text a spreadsheet would run is neutralised.
      expect(res.rows).toEqual([expect.objectContaining({ sku: 'BRG-6204', qty: '3', remaining: '3', status: 'active', reference: "'=SO-1" })]);
      const count = await call({ method: 'POST', url: `${INV}/counts`, payload: { name: 'Bin B check', kind: 'full', locationId: binB } }, 201);
      const counts = csvOf((await get(`${INV}/export/counts.csv?countId=${count.id}`)).body);
      expect(counts.head).toContain('variance_value');
      expect(counts.rows.length).toBe(count.lineItems.length);
      // A blind count being counted does not show what is expected.
      for (const r of counts.rows) expect(r).toMatchObject({ count_status: 'counting', expected_qty: '', variance_qty: '' });
    });

    it('hides costs from a caller without inventory.valuation.read', async () => {
      const stock = await get(`${INV}/export/stock.csv?itemId=${ids['BRG-6204']}`, viewer.headers);
      expect(stock.statusCode, stock.body).toBe(200);
      const s = csvOf(stock.body);
      expect(s.head).not.toContain('value');
      expect(s.head).not.toContain('unit_value');
      expect(s.rows.map((r) => r.on_hand)).toEqual(['20', '5']);
      const moves = csvOf((await get(`${INV}/export/moves.csv?reference=OPENING&itemId=${ids['DRL-18V']}`, viewer.headers)).body);
      expect(moves.head).not.toContain('amount');
      expect(moves.head).not.toContain('unit_cost');
      expect(moves.rows).toHaveLength(2);
      expect(csvOf((await get(`${INV}/export/counts.csv`, viewer.headers)).body).head).not.toContain('variance_value');
    });

    it('refuses bad filters with 400 and writes nothing', async () => {
      for (const url of [`${INV}/export/stock.csv?groupBy=bin`, `${INV}/export/moves.csv?from=yesterday`, `${INV}/export/lots.csv?colour=red`, `${INV}/export/counts.csv?countId=42`]) {
        const res = await expectNoChange(t, () => get(url));
        expectProblem(res, 400, 'validation');
      }
    });
  });

  describe('bad input', () => {
    const cases: { name: string; req: () => InjectOptions; status: number; type: string; fields?: string[]; detail?: RegExp }[] = [
      { name: 'unknown kind', req: () => ({ method: 'POST', url: `${INV}/imports`, payload: { kind: 'assets', csv: 'sku,name\nA,B' } }), status: 400, type: 'validation', fields: ['kind'] },
      { name: 'csv missing', req: () => ({ method: 'POST', url: `${INV}/imports`, payload: { kind: 'items' } }), status: 400, type: 'validation', fields: ['csv'] },
      { name: 'csv empty', req: () => ({ method: 'POST', url: `${INV}/imports`, payload: { kind: 'items', csv: '' } }), status: 400, type: 'validation', fields: ['csv'] },
      { name: 'csv not a string', req: () => ({ method: 'POST', url: `${INV}/imports`, payload: { kind: 'items', csv: ['sku'] } }), status: 400, type: 'validation', fields: ['csv'] },
      { name: 'unknown property', req: () => ({ method: 'POST', url: `${INV}/imports`, payload: { kind: 'items', csv: 'sku,name\nA,B', delimiter: ';' } }), status: 400, type: 'validation', fields: ['delimiter'] },
      { name: 'asOf on items', req: () => ({ method: 'POST', url: `${INV}/imports`, payload: { kind: 'items', csv: 'sku,name\nA,B', asOf: '2026-01-01T00:00:00Z' } }), status: 400, type: 'validation', fields: ['asOf'] },
      { name: 'asOf in the future', req: () => ({ method: 'POST', url: `${INV}/imports`, payload: { kind: 'opening-balances', csv: 'sku,location,qty,unit_cost\nA,B,1,1', asOf: '2999-01-01T00:00:00Z' } }), status: 400, type: 'validation', fields: ['asOf'] },
      { name: 'asOf not a date-time', req: () => ({ method: 'POST', url: `${INV}/imports`, payload: { kind: 'opening-balances', csv: 'sku,location,qty,unit_cost\nA,B,1,1', asOf: 'yesterday' } }), status: 400, type: 'validation', fields: ['asOf'] },
      { name: 'invalid JSON', req: () => ({ method: 'POST', url: `${INV}/imports`, payload: '{"kind": "items",', headers: { 'content-type': 'application/json' } }), status: 400, type: 'malformed-request' },
      { name: 'unknown column', req: () => ({ method: 'POST', url: `${INV}/imports`, payload: { kind: 'items', csv: 'sku,name,colour\nA,B,red' } }), status: 422, type: 'inventory/invalid-csv', detail: /Unknown column "colour"; a items file has the columns sku, name,/ },
      { name: 'missing column', req: () => ({ method: 'POST', url: `${INV}/imports`, payload: { kind: 'opening-balances', csv: 'sku,location,qty\nA,B,1' } }), status: 422, type: 'inventory/invalid-csv', detail: /Missing column unit_cost/ },
      { name: 'column twice', req: () => ({ method: 'POST', url: `${INV}/imports`, payload: { kind: 'items', csv: 'sku,name,UOM,unit_of_measure\nA,B,ea,ea' } }), status: 422, type: 'inventory/invalid-csv', detail: /appears twice/ },
      { name: 'semicolons', req: () => ({ method: 'POST', url: `${INV}/imports`, payload: { kind: 'items', csv: 'sku;name\nA;B' } }), status: 422, type: 'inventory/invalid-csv', detail: /separated by semicolons/ },
      { name: 'tabs', req: () => ({ method: 'POST', url: `${INV}/imports`, payload: { kind: 'items', csv: 'sku\tname\nA\tB' } }), status: 422, type: 'inventory/invalid-csv', detail: /separated by tabs/ },
      { name: 'binary', req: () => ({ method: 'POST', url: `${INV}/imports`, payload: { kind: 'items', csv: 'PK\u0003\u0004\u0014\u0000\u0006\u0000sku,name' } }), status: 422, type: 'inventory/invalid-csv', detail: /not text/ },
      { name: 'header only', req: () => ({ method: 'POST', url: `${INV}/imports`, payload: { kind: 'items', csv: 'sku,name\r\n' } }), status: 422, type: 'inventory/invalid-csv', detail: /no rows/ },
      { name: 'blank', req: () => ({ method: 'POST', url: `${INV}/imports`, payload: { kind: 'items', csv: '\r\n  \n' } }), status: 422, type: 'inventory/invalid-csv', detail: /empty/ },
      { name: 'unclosed quote', req: () => ({ method: 'POST', url: `${INV}/imports`, payload: { kind: 'items', csv: 'sku,name\nA,"B\nC,D\n' } }), status: 422, type: 'inventory/invalid-csv', detail: /Line 2: a quoted field opened on line 2 is never closed/ },
      { name: 'unknown job', req: () => ({ method: 'GET', url: `${INV}/imports/00000000-0000-4000-8000-000000000000` }), status: 404, type: 'not-found' },
      { name: 'unknown job errors', req: () => ({ method: 'GET', url: `${INV}/imports/00000000-0000-4000-8000-000000000000/errors.csv` }), status: 404, type: 'not-found' },
      { name: 'job id not a uuid', req: () => ({ method: 'GET', url: `${INV}/imports/42` }), status: 400, type: 'validation', fields: ['id'] },
      { name: 'unknown job status filter', req: () => ({ method: 'GET', url: `${INV}/imports?status=running` }), status: 400, type: 'validation', fields: ['status'] },
      { name: 'export: unknown reservation status', req: () => ({ method: 'GET', url: `${INV}/export/reservations.csv?status=open` }), status: 400, type: 'validation', fields: ['status'] },
      { name: 'export: unknown move type', req: () => ({ method: 'GET', url: `${INV}/export/moves.csv?type=gift` }), status: 400, type: 'validation', fields: ['type'] },
      { name: 'report: turnover without a period', req: () => ({ method: 'GET', url: `${INV}/reports/turnover` }), status: 400, type: 'validation', fields: ['from', 'to'] },
      { name: 'report: stock-outs with a date-time', req: () => ({ method: 'GET', url: `${INV}/reports/stock-outs?from=2026-06-01T00:00:00Z&to=2026-06-30` }), status: 400, type: 'validation', fields: ['from'] },
      { name: 'report: slow-moving deadDays below days', req: () => ({ method: 'GET', url: `${INV}/reports/slow-moving?days=100&deadDays=50` }), status: 400, type: 'validation', fields: ['deadDays'] },
      { name: 'errorsLimit too large', req: () => ({ method: 'GET', url: `${INV}/imports/00000000-0000-4000-8000-000000000000?errorsLimit=100000` }), status: 400, type: 'validation', fields: ['errorsLimit'] },
    ];

    it.for(cases)('$name → $status $type, nothing recorded', async (k) => {
      const res = await expectNoChange(t, () => t.request(k.req()));
      const body = expectProblem(res, k.status, k.type);
      if (k.fields) expect(new Set(problemFields(body))).toEqual(new Set(k.fields));
      if (k.detail) expect(body.detail).toMatch(k.detail);
    });

    it('a file over 20 MB is refused', async () => {
      const big = 'sku,name\n' + 'A,'.padEnd(1000, 'x').concat('\n').repeat(21 * 1024);
      const res = await expectNoChange(t, () => imp({ kind: 'items', csv: big }));
      expect(problemFields(expectProblem(res, 400, 'validation'))).toEqual(['csv']);
    });

    it('each kind needs the permission of what it writes, besides inventory.import.run', async () => {
      const csv = 'sku,name\nPERM-1,Permission test\n';
      let res = await expectNoChange(t, () => imp({ kind: 'items', csv }, importer.headers));
      expect(expectProblem(res, 403, 'forbidden').permission).toBe('core.items.write');
      res = await expectNoChange(t, () => imp({ kind: 'items', csv }, cataloguer.headers));
      expect(expectProblem(res, 403, 'forbidden').permission).toBe(permissions.settingsWrite);
      res = await expectNoChange(t, () => imp({ kind: 'opening-balances', csv: 'sku,location,qty,unit_cost\nA,B,1,1' }, cataloguer.headers));
      expect(expectProblem(res, 403, 'forbidden').permission).toBe(permissions.movesPost);
      res = await expectNoChange(t, () => imp({ kind: 'reorder-rules', csv: 'sku,location\nA,B' }, importer.headers));
      expect(expectProblem(res, 403, 'forbidden').permission).toBe(permissions.replenishmentWrite);
      res = await expectNoChange(t, () => imp({ kind: 'items', csv }, viewer.headers));
      expect(expectProblem(res, 403, 'forbidden').permission).toBe(IMPORT_PERMISSION);
      res = await expectNoChange(t, () => t.app.inject({ method: 'GET', url: `${INV}/imports`, headers: viewer.headers }));
      expect(expectProblem(res, 403, 'forbidden').permission).toBe(IMPORT_PERMISSION);
    });
  });
});
