import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoChange, expectProblem, type TestPlatform } from '@quartermaster/testing';
import { BC, FA, GS, GTIN_CHEESE, GTIN_MILK, GTIN_UNKNOWN, INV, bootBarcode, caller, item, location, scan } from './fixtures.js';

/*
 * POST /api/barcode/scan with inventory and fixed-assets enabled. GS1 data as in the GS1 General
 * Specifications: §3.2 (01) GTIN, (10) BATCH/LOT, (17) USE BY or EXPIRY as YYMMDD, (21) SERIAL,
 * (8004) GIAI; §7.8.5 element strings (FNC1 as GS after variable-length fields); ISO/IEC 15424
 * symbology identifier ]C1 (GS1-128). GTIN check digits: see fixtures.ts. GIAI 06141411 = company
 * prefix 0614141 + individual asset reference "1" (§2.3: GIAI has no check digit).
 */
let t: TestPlatform;
let call: ReturnType<typeof caller>;
let site: string;
let bin: string;
let milk: string;
let cheese: string;
let lotId: string;

beforeAll(async () => {
  t = await bootBarcode({ inventory: true, fixedAssets: true });
  call = caller(t);
  site = await location(t, 'Main DC', { code: 'DC1' });
  bin = await location(t, 'Bin A-01', { code: 'A-01', type: 'bin', parentId: site });
  // Registered under its GTIN-13; the scans carry the GTIN-14.
  milk = await item(t, 'Milk 1 l', { trackingMode: 'lot', identifiers: [{ type: 'gtin', value: GTIN_MILK.slice(1) }, { type: 'sku', value: 'MILK-1L' }] });
  cheese = await item(t, 'Cheese wheel', { trackingMode: 'serial', identifiers: [{ type: 'gtin', value: GTIN_CHEESE }] });
  const receipt = await call(
    { method: 'POST', url: `${INV}/moves`, payload: { type: 'receipt', lines: [{ itemId: milk, qty: '12', unitCost: '0.80', toLocationId: bin, lot: 'L-42', expiresOn: '2031-03-31' }] } },
    201,
  );
  lotId = receipt.lines[0].lotId;
}, 120_000);
afterAll(() => t?.close());

describe('POST /scan', () => {
  it('a plain EAN-13 names the item registered under its GTIN-13, with an empty receipt prefill', async () => {
    const out = await scan(t, '9501101530003');
    expect(out).toMatchObject({ input: '9501101530003', kind: 'item', item: { id: milk, name: 'Milk 1 l', trackingMode: 'lot', archived: false } });
    expect(out.parsed).toMatchObject({ source: 'plain-gtin', hri: `(01)${GTIN_MILK}` });
    expect(out.receiptPrefill).toEqual({ itemId: milk, lot: null, expiresOn: null });
    expect(out.lot).toBeUndefined();
    expect(out.matches.map((m: any) => [m.identifier.type, m.target.id])).toContainEqual(['gtin', milk]);
  });

  it('GTIN + expiry + lot names the inventory lot (expiry, block, on hand) and prefills a receipt', async () => {
    const data = `]C101${GTIN_MILK}1731033110L-42`;
    const out = await scan(t, data);
    expect(out.kind).toBe('lot');
    expect(out.item.id).toBe(milk);
    expect(out.lot).toEqual({ id: lotId, code: 'L-42', expiresOn: '2031-03-31', manufacturedOn: null, blocked: false, blockReason: null, onHand: '12' });
    expect(out.receiptPrefill).toEqual({ itemId: milk, lot: 'L-42', expiresOn: '2031-03-31' });
    expect(out.parsed.hri).toBe(`(01)${GTIN_MILK}(17)310331(10)L-42`);

    await call({ method: 'PATCH', url: `${INV}/lots/${lotId}`, payload: { blocked: true, blockReason: 'recall 7' } }, 200);
    expect((await scan(t, data)).lot).toMatchObject({ blocked: true, blockReason: 'recall 7' });
    await call({ method: 'PATCH', url: `${INV}/lots/${lotId}`, payload: { blocked: false } }, 200);
  });

  it('a lot not received yet: kind lot, no lot, prefill from the scan; without (17) a known lot keeps its own expiry', async () => {
    // (17)320229: 29 February 2032, a leap year.
    const fresh = await scan(t, `(01)${GTIN_MILK}(17)320229(10)L-NEW`);
    expect(fresh.kind).toBe('lot');
    expect(fresh.lot).toBeUndefined();
    expect(fresh.receiptPrefill).toEqual({ itemId: milk, lot: 'L-NEW', expiresOn: '2032-02-29' });

    const noExpiry = await scan(t, `01${GTIN_MILK}10L-42`);
    expect(noExpiry.lot.code).toBe('L-42');
    expect(noExpiry.receiptPrefill).toEqual({ itemId: milk, lot: 'L-42', expiresOn: '2031-03-31' });
  });

  it('the prefilled receipt posts as is', async () => {
    const out = await scan(t, `(01)${GTIN_MILK}(17)320229(10)L-NEW`);
    const p = out.receiptPrefill;
    const move = await call(
      { method: 'POST', url: `${INV}/moves`, payload: { type: 'receipt', lines: [{ itemId: p.itemId, qty: '3', unitCost: '0.80', toLocationId: bin, lot: p.lot, expiresOn: p.expiresOn }] } },
      201,
    );
    expect(move.lines[0]).toMatchObject({ lot: 'L-NEW' });
    expect((await scan(t, `(01)${GTIN_MILK}(17)320229(10)L-NEW`)).lot).toMatchObject({ code: 'L-NEW', expiresOn: '2032-02-29', onHand: '3' });
  });

  it('a serial (21) makes it a serial scan of the GTIN\'s item, with the serial in the prefill', async () => {
    const out = await scan(t, `01${GTIN_CHEESE}21SN-0001${GS}10C-1`);
    expect(out).toMatchObject({ kind: 'serial', serial: 'SN-0001', item: { id: cheese, trackingMode: 'serial' } });
    expect(out.receiptPrefill).toEqual({ itemId: cheese, lot: 'C-1', expiresOn: null, serials: ['SN-0001'] });
  });

  it('a SKU names its item through the core registry; nothing is read as GS1', async () => {
    const out = await scan(t, '  MILK-1L ');
    expect(out).toMatchObject({ input: 'MILK-1L', kind: 'item', parsed: null, item: { id: milk } });
    expect(out.receiptPrefill).toBeUndefined();
    expect(out.matches).toEqual([expect.objectContaining({ identifier: expect.objectContaining({ type: 'sku', value: 'MILK-1L' }) })]);
  });

  it('an asset tag and a GIAI name the fixed asset', async () => {
    const pump = await call({ method: 'POST', url: `${FA}/assets`, payload: { name: 'Pump', tag: 'FA-7001', status: 'in-service', locationId: bin } }, 201);
    const byTag = await scan(t, 'FA-7001');
    expect(byTag).toMatchObject({ kind: 'asset', asset: { id: pump.id, tag: 'FA-7001', name: 'Pump', status: 'in-service', locationId: bin } });

    const forklift = await call({ method: 'POST', url: `${FA}/assets`, payload: { name: 'Forklift', tag: '06141411' } }, 201);
    for (const data of ['(8004)06141411', '800406141411', `]C1800406141411`]) {
      const out = await scan(t, data);
      expect(out, data).toMatchObject({ kind: 'asset', asset: { id: forklift.id, tag: '06141411' } });
      expect(out.parsed.elements[0]).toMatchObject({ ai: '8004', value: '06141411' });
    }
  });

  it('a location code names the location, without regard to case', async () => {
    for (const code of ['A-01', 'a-01']) {
      expect(await scan(t, code)).toMatchObject({ kind: 'location', parsed: null, location: { id: bin, name: 'Bin A-01', code: 'A-01', type: 'bin', path: 'Main DC / Bin A-01' } });
    }
    expect((await scan(t, 'DC1')).location).toMatchObject({ id: site, path: 'Main DC' });
  });

  it('anything else is unknown, with the GS1 content it carried; and writes nothing', async () => {
    const gs1 = await expectNoChange(t, () => scan(t, `(01)${GTIN_UNKNOWN}(10)X1`));
    expect(gs1).toEqual({
      input: `(01)${GTIN_UNKNOWN}(10)X1`,
      kind: 'unknown',
      matches: [],
      parsed: {
        source: 'bracketed',
        hri: `(01)${GTIN_UNKNOWN}(10)X1`,
        elements: [
          { ai: '01', title: 'GTIN', value: GTIN_UNKNOWN },
          { ai: '10', title: 'BATCH/LOT', value: 'X1' },
        ],
      },
    });
    expect(await scan(t, 'NOTHING-HERE')).toEqual({ input: 'NOTHING-HERE', kind: 'unknown', matches: [], parsed: null });
    // An element string without a GS1 key is not read as GS1: "10A" could be anybody's code.
    expect(await scan(t, '10A')).toMatchObject({ kind: 'unknown', parsed: null });
  });

  it('refuses blank data with 400', async () => {
    const res = await expectNoChange(t, () => t.request({ method: 'POST', url: `${BC}/scan`, payload: { data: '   ' } }));
    expect(expectProblem(res, 400, 'validation').errors).toEqual([{ field: 'data', message: 'must not be blank' }]);
  });
});
