import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InjectOptions } from 'fastify';
import { createTestPlatform, type TestPlatform } from '@quartermaster/testing';
import { expectNoChange, expectOneMutation, expectProblem, fieldsOf } from './helpers.js';

describe('identifiers', () => {
  let t: TestPlatform;
  let drillId: string;
  let saw: string;
  let binId: string;

  const call = async (opts: InjectOptions, status: number) => {
    const res = await t.request(opts);
    expect(res.statusCode, res.body).toBe(status);
    return res.json();
  };
  const attach = (payload: Record<string, unknown>) => t.request({ method: 'POST', url: '/api/core/identifiers', payload });
  const resolve = (value: string) => call({ method: 'GET', url: `/api/core/identifiers/resolve?value=${encodeURIComponent(value)}` }, 200);

  beforeAll(async () => {
    t = await createTestPlatform();
    drillId = (await call({ method: 'POST', url: '/api/core/items', payload: { name: 'Cordless drill' } }, 201)).id;
    saw = (await call({ method: 'POST', url: '/api/core/items', payload: { name: 'Circular saw' } }, 201)).id;
    const site = await call({ method: 'POST', url: '/api/core/locations', payload: { name: 'Main DC', type: 'site' } }, 201);
    const aisle = await call({ method: 'POST', url: '/api/core/locations', payload: { name: 'Aisle 3', type: 'aisle', parentId: site.id } }, 201);
    binId = (await call({ method: 'POST', url: '/api/core/locations', payload: { name: 'Bin 3-04', type: 'bin', parentId: aisle.id } }, 201)).id;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('attaching writes one audit entry and one event, and answers with the target label', async () => {
    const res = await expectOneMutation(t, { entityType: 'core.identifier', action: 'created', events: ['core.identifier.assigned'] }, () =>
      attach({ type: 'sku', value: '  DRL-18V  ', targetType: 'core.item', targetId: drillId }),
    );
    expect(res.statusCode, res.body).toBe(201);
    const ident = res.json();
    expect(ident).toMatchObject({ type: 'sku', value: 'DRL-18V', targetType: 'core.item', targetId: drillId, targetLabel: 'Cordless drill' });
    expect(res.audit.after).toEqual({ id: ident.id, type: 'sku', value: 'DRL-18V', targetType: 'core.item', targetId: drillId });
    expect(res.outbox[0].payload).toEqual(res.audit.after);
    // The item now lists it.
    const item = await call({ method: 'GET', url: `/api/core/items/${drillId}` }, 200);
    expect(item.identifiers).toEqual([{ id: ident.id, type: 'sku', value: 'DRL-18V' }]);
  });

  it('resolve returns the target label and console link, for items and locations', async () => {
    expect((await attach({ type: 'qr', value: 'LOC:B304', targetType: 'core.location', targetId: binId })).statusCode).toBe(201);
    expect(await resolve(' DRL-18V ')).toEqual({
      value: 'DRL-18V',
      matches: [{ identifier: { id: expect.any(String), type: 'sku', value: 'DRL-18V' }, target: { type: 'core.item', id: drillId, label: 'Cordless drill', href: `/items/${drillId}` } }],
      interpretations: [],
    });
    const bin = await resolve('LOC:B304');
    expect(bin.matches[0].target).toEqual({ type: 'core.location', id: binId, label: 'Main DC / Aisle 3 / Bin 3-04', href: `/locations/${binId}` });
    expect(await resolve('nothing-here')).toEqual({ value: 'nothing-here', matches: [], interpretations: [] });
    // The label follows a rename of the item.
    await call({ method: 'PATCH', url: `/api/core/items/${drillId}`, payload: { name: 'Cordless drill 18 V' } }, 200);
    expect((await resolve('DRL-18V')).matches[0].target.label).toBe('Cordless drill 18 V');
  });

  it('a value is unique per type; the same value under another type is allowed and both resolve', async () => {
    const dup = await expectNoChange(t, () => attach({ type: 'sku', value: 'DRL-18V', targetType: 'core.item', targetId: saw }));
    const body = expectProblem(dup, 409, 'identifier-taken');
    expect(body.field).toBe('value');
    expect(body.detail).toContain(drillId);
    expect((await attach({ type: 'serial', value: 'DRL-18V', targetType: 'core.item', targetId: saw })).statusCode).toBe(201);
    const both = await resolve('DRL-18V');
    expect(both.matches.map((m: { identifier: { type: string }; target: { label: string } }) => `${m.identifier.type} → ${m.target.label}`)).toEqual([
      'serial → Circular saw',
      'sku → Cordless drill 18 V',
    ]);
    // Values are compared as given (other than trimming): a different case is a different SKU.
    expect((await attach({ type: 'sku', value: 'drl-18v', targetType: 'core.item', targetId: saw })).statusCode).toBe(201);
  });

  it('GTINs lose their spaces, must have 8, 12, 13 or 14 digits and a correct GS1 check digit', async () => {
    const res = await attach({ type: 'gtin', value: ' 4006 3813 33931 ', targetType: 'core.item', targetId: drillId });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().value).toBe('4006381333931');
    expect((await resolve('4006381333931')).matches[0].target.id).toBe(drillId);
    // Resolving finds it however it is typed.
    expect((await resolve(' 4006381 333931 ')).matches.map((m: { target: { id: string } }) => m.target.id)).toEqual([drillId]);
    // The same GTIN typed with different spacing is the same identifier.
    expectProblem(await expectNoChange(t, () => attach({ type: 'gtin', value: '4006381 333931', targetType: 'core.item', targetId: saw })), 409, 'identifier-taken');
    // GTIN-8, GTIN-12 (UPC-A) and GTIN-14 with valid check digits.
    for (const value of ['96385074', '036000291452', '10614141000415']) {
      const ok = await attach({ type: 'gtin', value, targetType: 'core.item', targetId: saw });
      expect(ok.statusCode, `${value}: ${ok.body}`).toBe(201);
    }
    for (const value of ['96385075', '036000291453', '4006381333930', '1234567', '12345678901', '400638133393X']) {
      const bad = await expectNoChange(t, () => attach({ type: 'gtin', value, targetType: 'core.item', targetId: saw }));
      expect(fieldsOf(expectProblem(bad, 400, 'validation')), value).toEqual(['value']);
    }
  });

  it('EPCs are normalised to upper-case hex without spaces', async () => {
    const res = await attach({ type: 'epc', value: '3034 257b f400 b7c0 0000 0001', targetType: 'core.item', targetId: saw });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().value).toBe('3034257BF400B7C000000001');
    expectProblem(await attach({ type: 'epc', value: '3034257bf400b7c000000001', targetType: 'core.item', targetId: drillId }), 409, 'identifier-taken');
    expect((await resolve('3034257bf400b7c0 00000001')).matches.map((m: { identifier: { value: string } }) => m.identifier.value)).toEqual(['3034257BF400B7C000000001']);
  });

  it('identifiers given when creating an item follow the same rules', async () => {
    const item = await call({ method: 'POST', url: '/api/core/items', payload: { name: 'Jigsaw', identifiers: [{ type: 'gtin', value: '0036 0002 91452 ' }, { type: 'epc', value: 'abcd 0001' }] } }, 201);
    // 036000291452 is already taken (by the saw above): with a leading zero it is another string, so it is accepted as GTIN-13.
    expect(item.identifiers.map((i: { type: string; value: string }) => `${i.type}:${i.value}`)).toEqual(['epc:ABCD0001', 'gtin:0036000291452']);
    const taken = await expectNoChange(t, () => t.request({ method: 'POST', url: '/api/core/items', payload: { name: 'Another', identifiers: [{ type: 'gtin', value: '9638 5074' }] } }));
    expect(expectProblem(taken, 409, 'identifier-taken').field).toBe('identifiers.0.value');
  });

  it('the list filters by target, type and text, and reports totals past the last page', async () => {
    const forSaw = await call({ method: 'GET', url: `/api/core/identifiers?targetType=core.item&targetId=${saw}` }, 200);
    expect(forSaw.total).toBe(6);
    expect(new Set(forSaw.data.map((i: { targetLabel: string }) => i.targetLabel))).toEqual(new Set(['Circular saw']));
    const gtins = await call({ method: 'GET', url: '/api/core/identifiers?type=gtin&limit=2' }, 200);
    expect([gtins.total, gtins.data.length]).toEqual([5, 2]);
    const past = await call({ method: 'GET', url: '/api/core/identifiers?type=gtin&limit=2&offset=10' }, 200);
    expect([past.total, past.data.length]).toEqual([5, 0]);
    const text = await call({ method: 'GET', url: '/api/core/identifiers?q=loc:' }, 200);
    expect(text.data.map((i: { value: string; targetLabel: string }) => `${i.value} @ ${i.targetLabel}`)).toEqual(['LOC:B304 @ Main DC / Aisle 3 / Bin 3-04']);
  });

  it('removing writes one audit entry and one event; the value no longer resolves and can be reused', async () => {
    const [ident] = (await call({ method: 'GET', url: '/api/core/identifiers?type=qr' }, 200)).data;
    const res = await expectOneMutation(t, { entityType: 'core.identifier', action: 'deleted', events: ['core.identifier.removed'] }, () =>
      t.request({ method: 'DELETE', url: `/api/core/identifiers/${ident.id}` }),
    );
    expect(res.statusCode).toBe(204);
    expect(res.audit.before).toEqual({ id: ident.id, type: 'qr', value: 'LOC:B304', targetType: 'core.location', targetId: binId });
    expect(res.audit.after).toBeNull();
    expect((await resolve('LOC:B304')).matches).toEqual([]);
    expectProblem(await expectNoChange(t, () => t.request({ method: 'DELETE', url: `/api/core/identifiers/${ident.id}` })), 404, 'not-found');
    expect((await attach({ type: 'qr', value: 'LOC:B304', targetType: 'core.item', targetId: saw })).statusCode).toBe(201);
  });
});
