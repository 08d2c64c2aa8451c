import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestPlatform } from '@quartermaster/testing';
import { barcodePlugin } from '../../src/server/index.js';
import { BC, bootBarcode, caller } from './fixtures.js';

describe('barcode demo data', () => {
  let t: TestPlatform;
  let call: ReturnType<typeof caller>;
  const audit = async () => Number((await t.sql<{ n: string }>(`SELECT count(*) AS n FROM core_audit WHERE entity_type = 'barcode.settings'`))[0].n);

  beforeAll(async () => {
    t = await bootBarcode();
    call = caller(t);
  });
  afterAll(() => t?.close());

  it('sets the GS1 example company prefix, so keys can be allocated at once', async () => {
    expect((await call({ method: 'GET', url: `${BC}/settings` }, 200)).companyPrefix).toBeNull();
    const from = t.events.length;
    await barcodePlugin.demoData!(t.platform.context('barcode'));
    expect(await call({ method: 'GET', url: `${BC}/settings` }, 200)).toMatchObject({ companyPrefix: '0614141', nextSscc: 1, nextGiai: 1, nextGrai: 1 });
    expect(t.events.slice(from).map((e) => e.name)).toEqual(['barcode.settings.updated']);
    expect(await audit()).toBe(1);
    // SSCC (00): extension digit 0, prefix 0614141, serial reference 000000001; check digit by GS1 §7.9.1:
    // weights 3,1,3… from the right over the 17 digits 00614141000000001 give 1·3 + 1·1 + 4·3 + 1·1 + 4·3 + 1·1 + 6·3 = 48, so 2.
    const allocation = await call({ method: 'POST', url: `${BC}/allocate`, payload: { key: 'sscc' } }, 201);
    expect(allocation.keys).toEqual([{ value: '006141410000000012', hri: '(00)006141410000000012' }]);
  });

  it('a second run changes nothing', async () => {
    const before = await call({ method: 'GET', url: `${BC}/settings` }, 200);
    const from = t.events.length;
    await barcodePlugin.demoData!(t.platform.context('barcode'));
    expect(await call({ method: 'GET', url: `${BC}/settings` }, 200)).toEqual(before);
    expect(t.events.length).toBe(from);
    expect(await audit()).toBe(1);
  });

  it('leaves a prefix the organisation set alone', async () => {
    await call({ method: 'PUT', url: `${BC}/settings`, payload: { companyPrefix: '9521234' } }, 200);
    await barcodePlugin.demoData!(t.platform.context('barcode'));
    expect((await call({ method: 'GET', url: `${BC}/settings` }, 200)).companyPrefix).toBe('9521234');
  });
});
