import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestPlatform } from '@quartermaster/testing';
import { FA, GS, GTIN_CHEESE, GTIN_MILK, bootBarcode, caller, item } from './fixtures.js';

/*
 * The barcode plugin's core identifier parser, seen through GET /api/core/identifiers/resolve.
 * GS1 data per the GS1 General Specifications §3.2 ((01) GTIN, (10) lot, (17) expiry, (21) serial,
 * (00) SSCC, (8004) GIAI) and §7.8.5 (GS after variable-length fields). SSCC 006141410000000012:
 * extension 0, prefix 0614141, serial reference 000000001, check digit 2 (§7.9.1: 1·3+1·1+4·3+1·1+
 * 4·3+1·1+6·3 = 48 → 2). GTIN check digits: see fixtures.ts.
 */
let t: TestPlatform;
let call: ReturnType<typeof caller>;
let milk: string;
let cheese: string;
const resolve = (value: string) => call({ method: 'GET', url: `/api/core/identifiers/resolve?value=${encodeURIComponent(value)}` }, 200);
const barcodeReadings = (r: { interpretations: Array<{ type: string; value: string; data?: Record<string, unknown> }> }) => r.interpretations.filter((i) => i.data?.hri !== undefined);

beforeAll(async () => {
  t = await bootBarcode({ fixedAssets: true });
  call = caller(t);
  milk = await item(t, 'Milk 1 l', { identifiers: [{ type: 'gtin', value: GTIN_MILK.slice(1) }] });
  cheese = await item(t, 'Cheese wheel', { identifiers: [{ type: 'gtin', value: GTIN_CHEESE }, { type: 'serial', value: 'SN-0001' }] });
}, 120_000);
afterAll(() => t?.close());

describe('GS1 scans in GET /api/core/identifiers/resolve', () => {
  it('a GTIN-14 with lot and expiry finds the item registered under the GTIN-13, lot and expiry in data', async () => {
    const r = await resolve(`01${GTIN_MILK}17310331` + `10L-42${GS}`);
    expect(r.matches.map((m: any) => m.target)).toEqual([expect.objectContaining({ type: 'core.item', id: milk, label: 'Milk 1 l' })]);
    const data = { hri: `(01)${GTIN_MILK}(17)310331(10)L-42`, source: 'element-string', lot: 'L-42', expiresOn: '2031-03-31', gs1Key: 'gtin' };
    expect(barcodeReadings(r)).toEqual([
      { type: 'gtin', value: GTIN_MILK, data },
      { type: 'gtin', value: GTIN_MILK.slice(1), data },
    ]);
  });

  it('a serial (21) is looked up as a serial too', async () => {
    const r = await resolve(`(01)${GTIN_CHEESE}(21)SN-0001`);
    expect(r.matches.map((m: any) => [m.identifier.type, m.target.id])).toEqual([
      ['gtin', cheese],
      ['serial', cheese],
    ]);
    expect(barcodeReadings(r)).toContainEqual({
      type: 'serial',
      value: 'SN-0001',
      data: { hri: `(01)${GTIN_CHEESE}(21)SN-0001`, source: 'bracketed', serial: 'SN-0001', gs1Key: 'serial', gtin: GTIN_CHEESE },
    });
  });

  it('a GIAI is read as an asset tag and finds the asset; an SSCC as a custom key', async () => {
    const asset = await call({ method: 'POST', url: `${FA}/assets`, payload: { name: 'Forklift', tag: '06141411' } }, 201);
    const r = await resolve('(8004)06141411');
    expect(barcodeReadings(r)).toEqual([{ type: 'asset-tag', value: '06141411', data: { hri: '(8004)06141411', source: 'bracketed', gs1Key: 'giai' } }]);
    expect(r.matches.map((m: any) => [m.identifier.type, m.target.type, m.target.id])).toEqual([['asset-tag', 'fixed-assets.asset', asset.id]]);

    const sscc = await resolve('00006141410000000012');
    expect(barcodeReadings(sscc)).toEqual([{ type: 'custom', value: '006141410000000012', data: { hri: '(00)006141410000000012', source: 'element-string', gs1Key: 'sscc' } }]);
  });

  it('a Digital Link URI is understood', async () => {
    const r = await resolve(`https://example.com/01/${GTIN_MILK}/10/L-42`);
    expect(r.matches.map((m: any) => m.target.id)).toEqual([milk]);
  });

  it('values that are not GS1 get no GS1 reading', async () => {
    for (const value of ['SHELF-10', '10A', '21-B', `(01)${GTIN_MILK.slice(0, 13)}4`]) {
      expect(barcodeReadings(await resolve(value)), value).toEqual([]);
    }
  });
});
