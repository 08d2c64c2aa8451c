import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoChange, expectProblem, problemFields, type TestPlatform } from '@quartermaster/testing';
import { BC, bootBarcode, caller } from './fixtures.js';

/*
 * GS1 key allocation. Sources: GS1 General Specifications §2.2 (SSCC = extension digit + company
 * prefix + serial reference, 17 digits, + check digit), §2.3 (GIAI = company prefix + individual
 * asset reference, no check digit; GRAI = 0 + company prefix + asset type + check digit + serial),
 * §7.9.1 (check digit: weights 3,1,3… from the right; check = (10 − sum mod 10) mod 10). 0614141 is
 * the example company prefix of GS1 documents. Worked by hand:
 * - SSCC 0|0614141|000000001: 1·3 + 1·1+4·3+1·1+4·3+1·1+6·3 = 48 → 2 → 006141410000000012
 * - SSCC 0|0614141|000000002: 2·3 + 45 = 51 → 9 → 006141410000000029
 * - SSCC 3|0614141|000000001: 48 + 3·3 (the extension digit, 17th from the right) = 57 → 3 → 306141410000000013
 * - GRAI 0|0614141|12345: 5·3+4·1+3·3+2·1+1·3+1·1+4·3+1·1+4·3+1·1+6·3 = 78 → 2, serial 1 → 006141411234521
 */
/** SSCC of prefix 0614141 with its check digit as the domain computes it (checked by hand above for references 1 and 2). */
const allocatedSscc = (extension: string, reference: string) => {
  const body = extension + '0614141' + reference;
  const sum = [...body].reverse().reduce((s, d, i) => s + Number(d) * (i % 2 === 0 ? 3 : 1), 0);
  return body + ((10 - (sum % 10)) % 10);
};
let t: TestPlatform;
let call: ReturnType<typeof caller>;
const allocate = (payload: Record<string, unknown>) => t.request({ method: 'POST', url: `${BC}/allocate`, payload });
const settings = () => call({ method: 'GET', url: `${BC}/settings` }, 200);
const put = (payload: Record<string, unknown>) => t.request({ method: 'PUT', url: `${BC}/settings`, payload });

beforeAll(async () => {
  t = await bootBarcode();
  call = caller(t);
});
afterAll(() => t?.close());

describe('settings and allocation', () => {
  it('starts without a company prefix and refuses to allocate until one is set', async () => {
    expect(await settings()).toMatchObject({ companyPrefix: null, ssccExtensionDigit: 0, nextSscc: 1, nextGiai: 1, nextGrai: 1, updatedAt: expect.any(String) });
    const res = await expectNoChange(t, () => allocate({ key: 'sscc' }));
    expect(expectProblem(res, 422, 'barcode/no-company-prefix').detail).toMatch(/Company Prefix/);
  });

  it('PUT /settings changes what is sent, with an audit record and an event', async () => {
    const from = t.events.length;
    const out = await call({ method: 'PUT', url: `${BC}/settings`, payload: { companyPrefix: '0614141' } }, 200);
    expect(out).toMatchObject({ companyPrefix: '0614141', ssccExtensionDigit: 0, nextSscc: 1 });
    expect(t.events.slice(from).map((e) => [e.name, e.payload])).toEqual([
      ['barcode.settings.updated', { companyPrefix: '0614141', ssccExtensionDigit: 0, nextSscc: 1, nextGiai: 1, nextGrai: 1 }],
    ]);
    const [audit] = await t.sql<{ action: string; before: any; after: any }>(`SELECT action, before, after FROM core_audit WHERE entity_type = 'barcode.settings' ORDER BY id DESC LIMIT 1`);
    expect(audit).toMatchObject({ action: 'updated', before: { companyPrefix: null }, after: { companyPrefix: '0614141' } });
  });

  it('allocates SSCCs with check digits and moves the counter past them', async () => {
    const from = t.events.length;
    const res = await allocate({ key: 'sscc', count: 2 });
    expect(res.statusCode, res.body).toBe(201);
    const out = res.json();
    expect(out).toMatchObject({ key: 'sscc', companyPrefix: '0614141', count: 2 });
    expect(out.keys).toEqual([
      { value: '006141410000000012', hri: '(00)006141410000000012' },
      { value: '006141410000000029', hri: '(00)006141410000000029' },
    ]);
    expect((await settings()).nextSscc).toBe(3);
    expect(t.events.slice(from).map((e) => [e.name, e.payload])).toEqual([
      [
        'barcode.keys.allocated',
        { allocationId: out.allocationId, key: 'sscc', companyPrefix: '0614141', count: 2, first: '006141410000000012', last: '006141410000000029', keys: ['006141410000000012', '006141410000000029'] },
      ],
    ]);
    const [audit] = await t.sql<{ action: string; entity_id: string; after: any }>(`SELECT action, entity_id, after FROM core_audit WHERE entity_type = 'barcode.allocation'`);
    expect(audit).toEqual({ action: 'allocated', entity_id: out.allocationId, after: { key: 'sscc', companyPrefix: '0614141', count: 2, first: '006141410000000012', last: '006141410000000029' } });
  });

  it('never sets a counter back under the same prefix, and never hands out a key twice', async () => {
    await call({ method: 'PUT', url: `${BC}/settings`, payload: { nextSscc: 1000 } }, 200);
    // Back to serial reference 1 is refused while the prefix stays…
    expect(problemFields(expectProblem(await expectNoChange(t, () => put({ nextSscc: 1 })), 400, 'validation'))).toEqual(['nextSscc']);
    // …and allowed with a new prefix (and back to the old one, which counts as a change too).
    await call({ method: 'PUT', url: `${BC}/settings`, payload: { companyPrefix: '061414', nextSscc: 1 } }, 200);
    await call({ method: 'PUT', url: `${BC}/settings`, payload: { companyPrefix: '0614141', nextSscc: 1, ssccExtensionDigit: 3 } }, 200);
    // The extension digit from the settings makes reference 1 a new key…
    expect((await allocate({ key: 'sscc' })).json().keys[0].value).toBe('306141410000000013');
    // …with extension digit 0 from the request, reference 2 is 006141410000000029, handed out above: refused, counter unmoved.
    const res = await expectNoChange(t, () => allocate({ key: 'sscc', extensionDigit: 0 }));
    expect(expectProblem(res, 409, 'barcode/key-already-allocated')).toMatchObject({ key: 'sscc', taken: ['006141410000000029'] });
    expect((await settings()).nextSscc).toBe(2);
    await call({ method: 'PUT', url: `${BC}/settings`, payload: { nextSscc: 1000 } }, 200);
    expect((await allocate({ key: 'sscc', extensionDigit: 0 })).json().keys[0].value).toBe(allocatedSscc('0', '000001000'));
  });

  it('allocates GIAIs and GRAIs', async () => {
    const giai = (await allocate({ key: 'giai', count: 3 })).json();
    expect(giai.keys).toEqual([
      { value: '06141411', hri: '(8004)06141411' },
      { value: '06141412', hri: '(8004)06141412' },
      { value: '06141413', hri: '(8004)06141413' },
    ]);
    const grai = (await allocate({ key: 'grai', assetType: '12345' })).json();
    expect(grai.keys).toEqual([{ value: '006141411234521', hri: '(8003)006141411234521' }]);
    expect(await settings()).toMatchObject({ nextGiai: 4, nextGrai: 2 });
  });

  it('concurrent allocations never hand out the same key', async () => {
    const before = (await settings()).nextSscc;
    const results = await Promise.all(Array.from({ length: 8 }, () => allocate({ key: 'sscc', count: 25 })));
    for (const r of results) expect(r.statusCode, r.body).toBe(201);
    const keys = results.flatMap((r) => r.json().keys.map((k: { value: string }) => k.value));
    expect(keys).toHaveLength(200);
    expect(new Set(keys).size).toBe(200);
    expect((await settings()).nextSscc).toBe(before + 200);
    // Each allocation is a contiguous run of serial references (digits 8–16 after the prefix).
    for (const r of results) {
      const refs = r.json().keys.map((k: { value: string }) => Number(k.value.slice(8, 17)));
      expect(refs).toEqual(Array.from({ length: 25 }, (_, i) => refs[0] + i));
    }
    const stored = await t.sql<{ value: string }>(`SELECT value FROM barcode_allocated_key WHERE key_type = 'sscc' AND value = ANY($1)`, [keys]);
    expect(stored).toHaveLength(200);
  });

  it('refuses SSCCs once the serial references run out, without moving the counter', async () => {
    // A 12-digit prefix leaves 4 digits of serial reference: 9999 is the last.
    await call({ method: 'PUT', url: `${BC}/settings`, payload: { companyPrefix: '061414100000', nextSscc: 9999 } }, 200);
    expect((await allocate({ key: 'sscc' })).statusCode).toBe(201);
    const res = await expectNoChange(t, () => allocate({ key: 'sscc' }));
    expect(expectProblem(res, 422, 'barcode/keys-exhausted').detail).toMatch(/4 digits/);
    expect((await settings()).nextSscc).toBe(10000);
  });

  it('refuses options that do not belong to the key, and a GRAI asset type that does not fit', async () => {
    for (const [payload, field] of [
      [{ key: 'grai' }, 'assetType'],
      [{ key: 'sscc', assetType: '1' }, 'assetType'],
      [{ key: 'giai', extensionDigit: 1 }, 'extensionDigit'],
    ] as const) {
      expect(problemFields(expectProblem(await expectNoChange(t, () => allocate(payload)), 400, 'validation'))).toEqual([field]);
    }
    // The 12-digit prefix leaves no digit for the asset type.
    const res = await expectNoChange(t, () => allocate({ key: 'grai', assetType: '1' }));
    expect(expectProblem(res, 422, 'gs1-invalid')).toMatchObject({ code: 'reference-does-not-fit', field: 'assetType' });
  });
});
