import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoChange, expectProblem, mountedRoutes, type TestPlatform } from '@quartermaster/testing';
import { BC, GTIN_MILK, NO_SUCH_ID, bootBarcode, caller, item, location, scan } from './fixtures.js';

/*
 * The barcode plugin without its optional dependencies (inventory, fixed-assets): it loads, its
 * routes work, and what needs a missing plugin is left out (scans) or refused by name (labels).
 * GS1 data: GS1 General Specifications §3.2 ((01), (10), (17), (8004)); check digits in fixtures.ts.
 */
let t: TestPlatform;
let call: ReturnType<typeof caller>;
let milk: string;

beforeAll(async () => {
  t = await bootBarcode();
  call = caller(t);
  milk = await item(t, 'Milk 1 l', { trackingMode: 'lot', identifiers: [{ type: 'gtin', value: GTIN_MILK }] });
  await location(t, 'Dock 3', { code: 'DOCK-3' });
});
afterAll(() => t?.close());

describe('without inventory and fixed-assets', () => {
  it('loads with every route mounted', async () => {
    expect(t.platform.context('barcode').isEnabled('inventory')).toBe(false);
    expect(t.platform.context('barcode').isEnabled('fixed-assets')).toBe(false);
    expect(mountedRoutes(t, BC)).toEqual([
      'GET /api/barcode/print-jobs',
      'GET /api/barcode/printers',
      'GET /api/barcode/printers/:id/status',
      'GET /api/barcode/settings',
      'GET /api/barcode/symbols',
      'POST /api/barcode/allocate',
      'POST /api/barcode/gs1/parse',
      'POST /api/barcode/labels',
      'POST /api/barcode/labels/print',
      'POST /api/barcode/scan',
      'PUT /api/barcode/settings',
    ]);
  });

  it('a GTIN + lot scan names the item and the kind, without lot details or a receipt prefill', async () => {
    const out = await scan(t, `(01)${GTIN_MILK}(17)310331(10)L-42`);
    expect(out).toMatchObject({ kind: 'lot', item: { id: milk } });
    expect(out.lot).toBeUndefined();
    expect(out.receiptPrefill).toBeUndefined();
  });

  it('a GIAI or an unregistered tag is unknown; locations still resolve', async () => {
    expect(await scan(t, '(8004)06141411')).toMatchObject({ kind: 'unknown', parsed: { hri: '(8004)06141411' }, matches: [] });
    expect(await scan(t, 'FA-7001')).toMatchObject({ kind: 'unknown', parsed: null });
    expect(await scan(t, 'DOCK-3')).toMatchObject({ kind: 'location', location: { code: 'DOCK-3', path: 'Dock 3' } });
  });

  it('labels items, and refuses asset and lot targets naming the plugin they need', async () => {
    const template = { widthMm: 50, heightMm: 30, symbology: 'gs1-128' };
    expect(await call({ method: 'POST', url: `${BC}/labels`, payload: { template, targets: [{ type: 'item', id: milk }] } }, 200)).toContain(`>(01)${GTIN_MILK}</text>`);
    for (const [target, plugin] of [
      [{ type: 'asset', id: NO_SUCH_ID }, 'fixed-assets'],
      [{ type: 'lot', id: NO_SUCH_ID }, 'inventory'],
    ] as const) {
      const res = await expectNoChange(t, () => t.request({ method: 'POST', url: `${BC}/labels`, payload: { template, targets: [{ type: 'item', id: milk }, target] } }));
      const body = expectProblem(res, 422, 'barcode/target-unavailable');
      expect(body).toMatchObject({ field: 'targets[1]', plugin, target });
      expect(body.detail).toBe(`targets[1]: ${target.type} ${NO_SUCH_ID} needs the ${plugin} plugin, which is not enabled`);
    }
  });
});
