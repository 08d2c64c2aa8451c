import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InjectOptions } from 'fastify';
import { expectNoChange, expectProblem, mountedRoutes, problemFields, requestFor, routeOf, type TestPlatform, type TestSession } from '@quartermaster/testing';
import { permissions } from '../../src/shared/index.js';
import { NO_SUCH_ID, RF, bootRfid, caller, giai, identifier, item, location, registerReader, send, userWith, zebra } from './fixtures.js';

/**
 * Every route the RFID plugin mounts refuses bad input with problem+json, a stable `type`, the
 * offending fields named (validation problems) and no write of any kind (no row, no audit record,
 * no event). A route mounted under /api/rfid without a case here fails the suite.
 */

interface F {
  /** A tag seen by the reader and enrolled to `item`. */
  enrolled: string;
  /** A tag seen by the reader, named by nothing. */
  unknown: string;
  item: string;
  zone: string;
}

interface Case {
  name: string;
  req: (f: F) => InjectOptions;
  status: number;
  type: string;
  /** For validation problems: exactly these fields (order and repeats ignored). */
  fields?: string[];
}

const V = 'validation';
const E = 'rfid/epc-invalid';
const get = (url: (f: F) => string) => (f: F): InjectOptions => ({ method: 'GET', url: url(f) });
const post = (url: (f: F) => string, payload: (f: F) => unknown) => (f: F): InjectOptions => ({ method: 'POST', url: url(f), payload: payload(f) as never });
const c = <T>(v: T) => () => v;

const cases: Case[] = [
  { name: 'decode: hex missing', req: post(c(`${RF}/epc/decode`), c({})), status: 400, type: V, fields: ['hex'] },
  { name: 'decode: unknown field', req: post(c(`${RF}/epc/decode`), c({ hex: '3074257BF7194E4000001A85', colour: 'red' })), status: 400, type: V, fields: ['colour'] },
  { name: 'decode: hex a number', req: post(c(`${RF}/epc/decode`), c({ hex: 3074 })), status: 400, type: V, fields: ['hex'] },
  { name: 'decode: not an EPC', req: post(c(`${RF}/epc/decode`), c({ hex: 'E2801160600002' })), status: 422, type: E },
  { name: 'decode: reserved partition', req: post(c(`${RF}/epc/decode`), c({ hex: '307C257BF7194E4000001A85' })), status: 422, type: E },
  { name: 'encode: empty body', req: post(c(`${RF}/epc/encode`), c({})), status: 400, type: V, fields: ['tagUri'] },
  { name: 'encode: pure identity without scheme and filter', req: post(c(`${RF}/epc/encode`), c({ pureIdentityUri: 'urn:epc:id:sgtin:0614141.812345.6789' })), status: 400, type: V, fields: ['scheme', 'filter'] },
  { name: 'encode: both URIs', req: post(c(`${RF}/epc/encode`), c({ tagUri: 'urn:epc:tag:sgtin-96:3.0614141.812345.6789', pureIdentityUri: 'urn:epc:id:sgtin:0614141.812345.6789' })), status: 400, type: V, fields: ['pureIdentityUri'] },
  { name: 'encode: filter out of range', req: post(c(`${RF}/epc/encode`), c({ pureIdentityUri: 'urn:epc:id:sgtin:0614141.812345.6789', scheme: 'sgtin-96', filter: 8 })), status: 400, type: V, fields: ['filter'] },
  { name: 'encode: unknown scheme', req: post(c(`${RF}/epc/encode`), c({ pureIdentityUri: 'urn:epc:id:sgtin:0614141.812345.6789', scheme: 'sgtin-64', filter: 1 })), status: 400, type: V, fields: ['scheme'] },
  { name: 'encode: not a tag URI', req: post(c(`${RF}/epc/encode`), c({ tagUri: 'urn:epc:id:sgtin:0614141.812345.6789' })), status: 422, type: E },
  { name: 'encode: item reference of the wrong length', req: post(c(`${RF}/epc/encode`), c({ tagUri: 'urn:epc:tag:sgtin-96:3.0614141.81234.6789' })), status: 422, type: E },

  { name: 'tags: unknown status', req: get(c(`${RF}/tags?status=lost`)), status: 400, type: V, fields: ['status'] },
  { name: 'tags: location not a uuid', req: get(c(`${RF}/tags?locationId=dock`)), status: 400, type: V, fields: ['locationId'] },
  { name: 'tags: no such location', req: get(c(`${RF}/tags?locationId=${NO_SUCH_ID}`)), status: 400, type: V, fields: ['locationId'] },
  { name: 'tags: limit 0', req: get(c(`${RF}/tags?limit=0`)), status: 400, type: V, fields: ['limit'] },
  { name: 'tags: unknown parameter', req: get(c(`${RF}/tags?colour=red`)), status: 400, type: V, fields: ['colour'] },
  { name: 'tag: not hex', req: get(c(`${RF}/tags/XYZ0`)), status: 400, type: V, fields: ['epc'] },
  { name: 'tag: not whole words', req: get(c(`${RF}/tags/3074257BF7194E4000001A8`)), status: 400, type: V, fields: ['epc'] },
  { name: 'tag: never seen', req: get(c(`${RF}/tags/3074257BF7194E40000000FF`)), status: 404, type: 'not-found' },

  { name: 'enrol: body missing fields', req: post((f) => `${RF}/tags/${f.unknown}/enrol`, c({})), status: 400, type: V, fields: ['targetType', 'targetId'] },
  { name: 'enrol: location targets are enrolled in the core', req: post((f) => `${RF}/tags/${f.unknown}/enrol`, (f) => ({ targetType: 'core.location', targetId: f.zone })), status: 400, type: V, fields: ['targetType'] },
  { name: 'enrol: target id not a uuid', req: post((f) => `${RF}/tags/${f.unknown}/enrol`, c({ targetType: 'core.item', targetId: 'cola' })), status: 400, type: V, fields: ['targetId'] },
  { name: 'enrol: no such item', req: post((f) => `${RF}/tags/${f.unknown}/enrol`, c({ targetType: 'core.item', targetId: NO_SUCH_ID })), status: 400, type: V, fields: ['targetId'] },
  { name: 'enrol: no such asset', req: post((f) => `${RF}/tags/${f.unknown}/enrol`, c({ targetType: 'fixed-assets.asset', targetId: NO_SUCH_ID })), status: 400, type: V, fields: ['targetId'] },
  { name: 'enrol: tag never seen', req: post(c(`${RF}/tags/3074257BF7194E40000000FF/enrol`), (f) => ({ targetType: 'core.item', targetId: f.item })), status: 404, type: 'not-found' },
  { name: 'enrol: already enrolled', req: post((f) => `${RF}/tags/${f.enrolled}/enrol`, (f) => ({ targetType: 'core.item', targetId: f.item })), status: 409, type: 'identifier-taken' },
  { name: 'enrol: bad epc', req: post(c(`${RF}/tags/G074/enrol`), (f) => ({ targetType: 'core.item', targetId: f.item })), status: 400, type: V, fields: ['epc'] },

  { name: 'clear: seenBefore not an instant', req: post(c(`${RF}/tags/clear`), c({ seenBefore: 'yesterday' })), status: 400, type: V, fields: ['seenBefore'] },
  { name: 'clear: no such location', req: post(c(`${RF}/tags/clear`), c({ locationId: NO_SUCH_ID })), status: 400, type: V, fields: ['locationId'] },
  { name: 'clear: unknown field', req: post(c(`${RF}/tags/clear`), c({ status: 'known' })), status: 400, type: V, fields: ['status'] },

  { name: 'movements: to before from', req: get(c(`${RF}/movements?from=2026-11-24T10:00:00Z&to=2026-11-24T09:00:00Z`)), status: 400, type: V, fields: ['to'] },
  { name: 'movements: bad epc', req: get(c(`${RF}/movements?epc=hello`)), status: 400, type: V, fields: ['epc'] },
  { name: 'movements: no such device', req: get(c(`${RF}/movements?deviceId=${NO_SUCH_ID}`)), status: 400, type: V, fields: ['deviceId'] },
  { name: 'movements: no such location', req: get(c(`${RF}/movements?locationId=${NO_SUCH_ID}`)), status: 400, type: V, fields: ['locationId'] },
  { name: 'movements: from not an instant', req: get(c(`${RF}/movements?from=monday`)), status: 400, type: V, fields: ['from'] },

  { name: 'recent reads: limit too high', req: get(c(`${RF}/reads/recent?limit=501`)), status: 400, type: V, fields: ['limit'] },
  { name: 'recent reads: no such device', req: get(c(`${RF}/reads/recent?deviceId=${NO_SUCH_ID}`)), status: 400, type: V, fields: ['deviceId'] },
  { name: 'recent reads: device not a uuid', req: get(c(`${RF}/reads/recent?deviceId=dock-1`)), status: 400, type: V, fields: ['deviceId'] },

  { name: 'stock counts: location missing', req: get(c(`${RF}/stock-counts`)), status: 400, type: V, fields: ['locationId'] },
  { name: 'stock counts: no such location', req: get(c(`${RF}/stock-counts?locationId=${NO_SUCH_ID}`)), status: 400, type: V, fields: ['locationId'] },
  { name: 'stock counts: seenSince not an instant', req: get((f) => `${RF}/stock-counts?locationId=${f.zone}&seenSince=2026-11-24`), status: 400, type: V, fields: ['seenSince'] },
];

describe('bad input to every RFID route', () => {
  let t: TestPlatform;
  let routes: string[];
  let nobody: TestSession;
  let f: F;

  beforeAll(async () => {
    t = await bootRfid({ fixedAssets: true, inventory: true });
    routes = mountedRoutes(t, RF);
    const zone = await location(t, 'Bad-input zone');
    const soap = await item(t, 'Bad-input soap');
    const reader = await registerReader(t, 'bad-input-reader', { antennas: [{ antenna: 1, locationId: zone }] });
    const enrolled = giai(5001);
    const unknown = giai(5002);
    await identifier(t, 'epc', enrolled, 'core.item', soap);
    await send(t, reader, [zebra(enrolled, 1, -50, '2026-11-24T08:00:00Z'), zebra(unknown, 1, -50, '2026-11-24T08:00:01Z')]);
    f = { enrolled, unknown, item: soap, zone };
    nobody = await userWith(t, 'nobody@example.test', ['core.items.read']);
    expect(await caller(t)({ method: 'GET', url: `${RF}/tags` }, 200)).toMatchObject({ total: 2 });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('covers every RFID route', () => {
    expect(routes.length).toBeGreaterThan(0);
    const covered = new Set(cases.map((k) => routeOf(routes, k.req(f))).filter(Boolean));
    expect(routes.filter((r) => !covered.has(r)), 'routes under /api/rfid without a bad-input case').toEqual([]);
    expect(cases.filter((k) => !routeOf(routes, k.req(f))).map((k) => k.name), 'cases for routes that are not mounted').toEqual([]);
  });

  it.for(cases)('$name → $status $type', async (k) => {
    const res = await expectNoChange(t, () => t.request(k.req(f)));
    const body = expectProblem(res, k.status, k.type);
    if (k.fields) {
      expect(new Set(problemFields(body)), JSON.stringify(body.errors)).toEqual(new Set(k.fields));
      for (const e of body.errors!) expect(e.message, JSON.stringify(e)).toEqual(expect.any(String));
    }
    if (k.type === E) expect(body.detail, 'the reason').toEqual(expect.stringMatching(/\w{4,}/));
  });

  it('answers 401 to every route without credentials, and changes nothing', async () => {
    for (const route of routes) {
      const res = await expectNoChange(t, () => t.app.inject(requestFor(route, '3074257BF7194E4000001A85')));
      expectProblem(res, 401, 'unauthenticated');
    }
  });

  it('answers 403 naming an RFID permission to a user without one, and changes nothing', async () => {
    for (const route of routes) {
      const res = await expectNoChange(t, () => t.app.inject(requestFor(route, '3074257BF7194E4000001A85', nobody.headers)));
      const body = expectProblem(res, 403, 'forbidden');
      expect(Object.values(permissions) as string[], route).toContain(body.permission);
    }
  });

  it('a reader of tags may not enrol or clear', async () => {
    const reader = await userWith(t, 'viewer@example.test', [permissions.read]);
    const enrol = await expectNoChange(t, () => t.app.inject({ method: 'POST', url: `${RF}/tags/${f.unknown}/enrol`, headers: reader.headers, payload: { targetType: 'core.item', targetId: f.item } }));
    expect(expectProblem(enrol, 403, 'forbidden').permission).toBe(permissions.manage);
    const clear = await expectNoChange(t, () => t.app.inject({ method: 'POST', url: `${RF}/tags/clear`, headers: reader.headers, payload: {} }));
    expect(expectProblem(clear, 403, 'forbidden').permission).toBe(permissions.manage);
    expect((await t.app.inject({ method: 'GET', url: `${RF}/tags`, headers: reader.headers })).statusCode).toBe(200);
  });
});
