import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InjectOptions } from 'fastify';
import { expectNoChange, expectProblem, mountedRoutes, problemFields, requestFor, routeOf, type TestPlatform, type TestSession } from '@quartermaster/testing';
import { permissions } from '../../src/shared/index.js';
import { GPS, NO_SUCH_ID, bootGps, caller, circle, createFence, position, registerDevice, sendJson, type Device } from './fixtures.js';

/**
 * Every route the GPS plugin mounts refuses bad input with a problem+json answer, a stable `type`,
 * the offending fields named (validation problems), and no write of any kind: no row, no audit
 * record, no outbox event. A route mounted under /api/gps without a case fails here.
 *
 * `core_device` is left out of the comparison: refused device payloads are counted on the device
 * (its refusal and error counters, written every few seconds), which is the one write a refusal
 * makes by design.
 */

interface F {
  tracker: Device;
  osmand: Device;
  sensor: string;
  fence: string;
}

interface Case {
  name: string;
  req: (f: F) => InjectOptions;
  status: number;
  type: string;
  /** For validation problems: exactly these fields are named. */
  fields?: string[];
}

const V = 'validation';
const get = (url: (f: F) => string) => (f: F): InjectOptions => ({ method: 'GET', url: url(f) });
const del = (url: (f: F) => string) => (f: F): InjectOptions => ({ method: 'DELETE', url: url(f) });
const send = (method: 'POST' | 'PATCH' | 'PUT', url: (f: F) => string, payload: (f: F) => unknown) => (f: F): InjectOptions => ({ method, url: url(f), payload: payload(f) as never });
const c = (s: string) => () => s;
const fenceUrl = (f: F) => `${GPS}/geofences/${f.fence}`;
const newFence = (body: Record<string, unknown>) => send('POST', c(`${GPS}/geofences`), () => ({ name: 'New fence', ...circle(1, 1, 100), ...body }));

const cases: Case[] = [
  // NMEA
  { name: 'parse without a sentence', req: send('POST', c(`${GPS}/nmea/parse`), () => ({})), status: 400, type: V, fields: ['sentence'] },
  { name: 'parse with an unknown member', req: send('POST', c(`${GPS}/nmea/parse`), () => ({ sentence: '$GPGGA', talker: 'GP' })), status: 400, type: V, fields: ['talker'] },
  { name: 'parse a sentence with a bad checksum', req: send('POST', c(`${GPS}/nmea/parse`), () => ({ sentence: '$GPGLL,4916.45,N,12311.12,W,225444,A,*1E' })), status: 422, type: 'nmea-invalid' },

  // OsmAnd (public; the device key is the id)
  { name: 'OsmAnd GET with an unknown id', req: get(c(`${GPS}/osmand?id=qmd_nobody&lat=1&lon=2&timestamp=1609459200`)), status: 401, type: 'device-unknown' },
  { name: 'OsmAnd GET without an id', req: get(c(`${GPS}/osmand?lat=1&lon=2`)), status: 401, type: 'device-key-missing' },
  { name: 'OsmAnd GET with a latitude out of range', req: get((f) => `${GPS}/osmand?id=${encodeURIComponent(f.osmand.key)}&lat=91&lon=2&timestamp=1609459200`), status: 422, type: 'device-payload-invalid' },
  { name: 'OsmAnd GET from a device that is not an OsmAnd device', req: get((f) => `${GPS}/osmand?id=${encodeURIComponent(f.tracker.key)}&lat=1&lon=2`), status: 422, type: 'device-payload-invalid' },
  { name: 'OsmAnd POST JSON with an unknown device_id', req: send('POST', c(`${GPS}/osmand`), () => ({ device_id: 'qmd_nobody', location: { coords: { latitude: 1, longitude: 2 } } })), status: 401, type: 'device-unknown' },
  {
    name: 'OsmAnd POST form without a longitude',
    req: (f) => ({ method: 'POST', url: `${GPS}/osmand`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `id=${encodeURIComponent(f.osmand.key)}&lat=1&timestamp=1609459200` }),
    status: 422,
    type: 'device-payload-invalid',
  },

  // Status and prune
  { name: 'status with an unknown query parameter', req: get(c(`${GPS}/status?verbose=1`)), status: 400, type: V, fields: ['verbose'] },
  { name: 'prune with an unknown query parameter', req: (): InjectOptions => ({ method: 'POST', url: `${GPS}/positions/prune?days=3` }), status: 400, type: V, fields: ['days'] },

  // Trackers
  { name: 'trackers with limit 0', req: get(c(`${GPS}/trackers?limit=0`)), status: 400, type: V, fields: ['limit'] },
  { name: 'trackers by an asset id that is not a uuid', req: get(c(`${GPS}/trackers?assetId=AST-1`)), status: 400, type: V, fields: ['assetId'] },
  { name: 'tracker by an id that is not a uuid', req: get(c(`${GPS}/trackers/van-7`)), status: 400, type: V, fields: ['deviceId'] },
  { name: 'tracker that does not exist', req: get(c(`${GPS}/trackers/${NO_SUCH_ID}`)), status: 404, type: 'not-found' },
  { name: 'link without assetId', req: send('PUT', (f) => `${GPS}/trackers/${f.tracker.id}/asset`, () => ({})), status: 400, type: V, fields: ['assetId'] },
  { name: 'link to an asset id that is not a uuid', req: send('PUT', (f) => `${GPS}/trackers/${f.tracker.id}/asset`, () => ({ assetId: 'AST-1' })), status: 400, type: V, fields: ['assetId'] },
  { name: 'link to an asset that does not exist', req: send('PUT', (f) => `${GPS}/trackers/${f.tracker.id}/asset`, () => ({ assetId: NO_SUCH_ID })), status: 400, type: V, fields: ['assetId'] },
  { name: 'link a device that does not exist', req: send('PUT', c(`${GPS}/trackers/${NO_SUCH_ID}/asset`), () => ({ assetId: null })), status: 404, type: 'not-found' },
  { name: 'link a sensor that never sent a position', req: send('PUT', (f) => `${GPS}/trackers/${f.sensor}/asset`, () => ({ assetId: null })), status: 422, type: 'gps/not-a-tracker' },
  { name: 'positions from a time that is not an instant', req: get((f) => `${GPS}/trackers/${f.tracker.id}/positions?from=yesterday`), status: 400, type: V, fields: ['from'] },
  { name: 'positions of a backwards range', req: get((f) => `${GPS}/trackers/${f.tracker.id}/positions?from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z`), status: 400, type: V, fields: ['from'] },
  { name: 'positions with limit 0', req: get((f) => `${GPS}/trackers/${f.tracker.id}/positions?limit=0`), status: 400, type: V, fields: ['limit'] },
  { name: 'positions of a device that does not exist', req: get(c(`${GPS}/trackers/${NO_SUCH_ID}/positions`)), status: 404, type: 'not-found' },
  { name: 'trips over more than 31 days', req: get((f) => `${GPS}/trackers/${f.tracker.id}/trips?from=2026-01-01T00:00:00Z&to=2026-03-01T00:00:00Z`), status: 400, type: V, fields: ['to'] },
  { name: 'trips with a negative speed threshold', req: get((f) => `${GPS}/trackers/${f.tracker.id}/trips?minSpeedKnots=-1`), status: 400, type: V, fields: ['minSpeedKnots'] },
  { name: 'trips of a device that does not exist', req: get(c(`${GPS}/trackers/${NO_SUCH_ID}/trips`)), status: 404, type: 'not-found' },

  // Geofences
  { name: 'fences with active=maybe', req: get(c(`${GPS}/geofences?active=maybe`)), status: 400, type: V, fields: ['active'] },
  { name: 'fences with limit 1000', req: get(c(`${GPS}/geofences?limit=1000`)), status: 400, type: V, fields: ['limit'] },
  { name: 'create an empty fence', req: send('POST', c(`${GPS}/geofences`), () => ({})), status: 400, type: V, fields: ['name', 'kind', 'geometry'] },
  { name: 'create a fence of an unknown kind', req: newFence({ kind: 'square' }), status: 400, type: V, fields: ['kind'] },
  { name: 'create a fence with a blank name', req: newFence({ name: '   ' }), status: 400, type: V, fields: ['name'] },
  { name: 'create a circle without a centre', req: newFence({ geometry: { radiusM: 100 } }), status: 400, type: V, fields: ['geometry.center'] },
  { name: 'create a circle of radius 0', req: newFence({ geometry: { center: { latitude: 1, longitude: 1 }, radiusM: 0 } }), status: 400, type: V, fields: ['geometry.radiusM'] },
  { name: 'create a circle with a latitude of 91', req: newFence({ geometry: { center: { latitude: 91, longitude: 1 }, radiusM: 10 } }), status: 400, type: V, fields: ['geometry.center.latitude'] },
  { name: 'create a circle with a text radius', req: newFence({ geometry: { center: { latitude: 1, longitude: 1 }, radiusM: '100' } }), status: 400, type: V, fields: ['geometry.radiusM'] },
  { name: 'create a polygon with a centre', req: newFence({ kind: 'polygon', geometry: { center: { latitude: 1, longitude: 1 }, rings: [[[0, 0], [1, 0], [0, 1]]] } }), status: 400, type: V, fields: ['geometry.center'] },
  { name: 'create a self-intersecting polygon', req: newFence({ kind: 'polygon', geometry: { rings: [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]] } }), status: 400, type: V, fields: ['geometry.rings.0.0'] },
  { name: 'create a polygon vertex of three numbers', req: newFence({ kind: 'polygon', geometry: { rings: [[[0, 0, 0], [1, 0], [0, 1]]] } }), status: 400, type: V, fields: ['geometry.rings.0.0'] },
  { name: 'create a polygon crossing the antimeridian', req: newFence({ kind: 'polygon', geometry: { rings: [[[179, 0], [-179, 0], [-179, 1]]] } }), status: 400, type: V, fields: ['geometry.rings.0.0'] },
  { name: 'create a fence with a negative dwell', req: newFence({ dwellSeconds: -1 }), status: 400, type: V, fields: ['dwellSeconds'] },
  { name: 'create a fence at a location that does not exist', req: newFence({ locationId: NO_SUCH_ID }), status: 400, type: V, fields: ['locationId'] },
  { name: 'create a fence with working hours 25:00', req: newFence({ afterHours: { timeZone: 'Europe/Berlin', days: { mon: [['07:00', '25:00']] } } }), status: 400, type: V, fields: ['afterHours.days.mon.0'] },
  { name: 'create a fence in an unknown time zone', req: newFence({ afterHours: { timeZone: 'Europe/Atlantis', days: {} } }), status: 400, type: V, fields: ['afterHours.timeZone'] },
  { name: 'create a fence with a taken name', req: newFence({ name: 'DEPOT GATE' }), status: 409, type: 'gps/geofence-name-taken' },
  { name: 'read a fence by an id that is not a uuid', req: get(c(`${GPS}/geofences/gate`)), status: 400, type: V, fields: ['id'] },
  { name: 'read a fence that does not exist', req: get(c(`${GPS}/geofences/${NO_SUCH_ID}`)), status: 404, type: 'not-found' },
  { name: 'change a fence with an unknown member', req: send('PATCH', fenceUrl, () => ({ colour: 'red' })), status: 400, type: V, fields: ['colour'] },
  { name: 'change a fence kind without a geometry', req: send('PATCH', fenceUrl, () => ({ kind: 'polygon' })), status: 400, type: V, fields: ['geometry'] },
  { name: 'change a circle to a ring geometry', req: send('PATCH', fenceUrl, () => ({ geometry: { rings: [[[0, 0], [1, 0], [0, 1]]] } })), status: 400, type: V, fields: ['geometry.rings', 'geometry.center', 'geometry.radiusM'] },
  { name: 'change a stale version of a fence', req: send('PATCH', fenceUrl, () => ({ name: 'Renamed', version: 99 })), status: 409, type: 'stale-version' },
  { name: 'change a fence that does not exist', req: send('PATCH', c(`${GPS}/geofences/${NO_SUCH_ID}`), () => ({ name: 'x' })), status: 404, type: 'not-found' },
  { name: 'delete a fence by an id that is not a uuid', req: del(c(`${GPS}/geofences/gate`)), status: 400, type: V, fields: ['id'] },
  { name: 'delete a fence that does not exist', req: del(c(`${GPS}/geofences/${NO_SUCH_ID}`)), status: 404, type: 'not-found' },

  // Events
  { name: 'events of a tracker id that is not a uuid', req: get(c(`${GPS}/events?trackerId=van-7`)), status: 400, type: V, fields: ['trackerId'] },
  { name: 'events of an unknown type', req: get(c(`${GPS}/events?type=left`)), status: 400, type: V, fields: ['type'] },
  { name: 'events of a backwards range', req: get(c(`${GPS}/events?from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z`)), status: 400, type: V, fields: ['from'] },
];

describe('bad input to every gps route', () => {
  let t: TestPlatform;
  let f: F;
  let routes: string[];
  let tables: string[];
  let nobody: TestSession;

  beforeAll(async () => {
    t = await bootGps({ fixedAssets: true });
    const call = caller(t);
    const tracker = await registerDevice(t, 'bad-input-tracker');
    await sendJson(t, tracker, [position(1, 1, '2026-11-20T10:00:00Z')]);
    const osmand = await registerDevice(t, 'bad-input-phone', 'osmand');
    const sensor = (await call({ method: 'POST', url: '/api/core/devices', payload: { code: 'bad-input-sensor', name: 'Thermometer', kind: 'sensor' } }, 201)).device.id;
    const fence = (await createFence(t, { name: 'Depot gate', ...circle(2, 2, 100) })).id;
    f = { tracker, osmand, sensor, fence };
    routes = mountedRoutes(t, GPS);
    tables = (await t.sql<{ name: string }>(`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`))
      .map((r) => r.name)
      .filter((n) => n !== 'core_device');
    const role = await call({ method: 'POST', url: '/api/core/roles', payload: { name: 'no gps', permissions: ['core.items.read'] } }, 201);
    await call({ method: 'POST', url: '/api/core/users', payload: { email: 'nobody@example.test', name: 'nobody', password: 'a long enough password', roleIds: [role.id] } }, 201);
    nobody = await t.login('nobody@example.test', 'a long enough password');
  }, 120_000);
  afterAll(() => t?.close());

  it('covers every gps route', () => {
    expect(routes.length).toBeGreaterThan(10);
    const covered = new Set(cases.map((k) => routeOf(routes, k.req(f))).filter(Boolean));
    expect(routes.filter((r) => !covered.has(r)), 'routes under /api/gps without a bad-input case').toEqual([]);
    expect(cases.filter((k) => !routeOf(routes, k.req(f))).map((k) => k.name), 'cases for routes that are not mounted').toEqual([]);
  });

  it.for(cases)('$name → $status $type', async (k) => {
    const res = await expectNoChange(t, () => t.request(k.req(f)), tables);
    const body = expectProblem(res, k.status, k.type);
    if (k.fields) {
      expect(new Set(problemFields(body)), JSON.stringify(body.errors)).toEqual(new Set(k.fields));
      for (const e of body.errors!) expect(e.message, JSON.stringify(e)).toEqual(expect.any(String));
    }
  });

  const isPublic = (route: string) => route.endsWith('/osmand');

  it('answers 401 to every non-public route without credentials, and changes nothing', async () => {
    for (const route of routes.filter((r) => !isPublic(r))) {
      const res = await expectNoChange(t, () => t.app.inject(requestFor(route, NO_SUCH_ID)), tables);
      expectProblem(res, 401, 'unauthenticated');
    }
  });

  it('answers 403 naming a gps permission to a user without one, and changes nothing', async () => {
    for (const route of routes.filter((r) => !isPublic(r))) {
      const res = await expectNoChange(t, () => t.app.inject(requestFor(route, NO_SUCH_ID, nobody.headers)), tables);
      const body = expectProblem(res, 403, 'forbidden');
      expect(Object.values(permissions) as string[], route).toContain(body.permission);
    }
  });
});
