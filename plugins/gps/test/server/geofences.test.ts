import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, problemFields, type TestPlatform } from '@quartermaster/testing';
import { FA, GPS, bootGps, caller, circle, createFence, eventsSince, location, position, registerDevice, sendJson, square } from './fixtures.js';

/**
 * Geofences on real PostgreSQL with fixed-assets enabled: CRUD and its validation, enter / exit /
 * dwell events from positions (in any order within a batch; late positions stored without moving
 * state), the site fence moving the linked asset, and the after-hours alert.
 *
 * Distances: on the mean-radius sphere 1° of latitude is 111,195 m, so 0.01° is ≈ 1,112 m (well
 * outside a 200 m circle) and 0.0005° ≈ 56 m (well inside it).
 * Times: Berlin keeps CET (UTC+1) from the last Sunday of October (25 October 2026) until the last
 * Sunday of March (Directive 2000/84/EC, arts. 2–3); 1 November 2026 is a Sunday, so 16 November
 * 2026 is a Monday and 17 November a Tuesday.
 */
const at = (base: string, seconds: number) => new Date(Date.parse(base) + seconds * 1000).toISOString();

describe('geofences', () => {
  let t: TestPlatform;
  let call: ReturnType<typeof caller>;

  beforeAll(async () => {
    t = await bootGps({ fixedAssets: true });
    call = caller(t);
  });
  afterAll(() => t?.close());

  describe('CRUD', () => {
    it('creates, reads, lists, changes and deletes a fence, with audit records and events', async () => {
      const mark = t.events.length;
      const created = await createFence(t, { name: 'Loading bay', ...circle(51.5, -0.12, 150), dwellSeconds: 600 });
      expect(created).toMatchObject({ name: 'Loading bay', kind: 'circle', geometry: { center: { latitude: 51.5, longitude: -0.12 }, radiusM: 150 }, dwellSeconds: 600, locationId: null, afterHours: null, active: true, version: 1 });
      expect(await call({ method: 'GET', url: `${GPS}/geofences/${created.id}` }, 200)).toEqual(created);
      const list = await call({ method: 'GET', url: `${GPS}/geofences?q=loading` }, 200);
      expect(list.data.map((f: { id: string }) => f.id)).toEqual([created.id]);

      const changed = await call({ method: 'PATCH', url: `${GPS}/geofences/${created.id}`, payload: { name: 'Loading bay 2', ...square(51.5, -0.12, 100), version: 1 } }, 200);
      expect(changed).toMatchObject({ name: 'Loading bay 2', kind: 'polygon', version: 2 });
      expect(changed.geometry.rings[0]).toHaveLength(5);
      const stale = await t.request({ method: 'PATCH', url: `${GPS}/geofences/${created.id}`, payload: { name: 'Too late', version: 1 } });
      expectProblem(stale, 409, 'stale-version');

      const del = await t.request({ method: 'DELETE', url: `${GPS}/geofences/${created.id}` });
      expect(del.statusCode).toBe(204);
      expectProblem(await t.request({ method: 'GET', url: `${GPS}/geofences/${created.id}` }), 404, 'not-found');
      expect(eventsSince(t, mark).map((e) => e.name)).toEqual(['gps.geofence.created', 'gps.geofence.updated', 'gps.geofence.deleted']);
      expect(eventsSince(t, mark)[1].payload.changed.sort()).toEqual(['geometry', 'kind', 'name']);
      const audit = await t.sql<{ action: string }>(`SELECT action FROM core_audit WHERE entity_type = 'gps.geofence' AND entity_id = $1 ORDER BY id`, [created.id]);
      expect(audit.map((a) => a.action)).toEqual(['created', 'updated', 'deleted']);
    });

    it('refuses bad geometry with 400 naming the geometry member', async () => {
      // A bow tie: edge 0 runs (0,0)→(1,1) and edge 2 runs (1,0)→(0,1); they cross at (0.5, 0.5).
      const bowTie = { kind: 'polygon', geometry: { rings: [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]] } };
      const crossing = await t.request({ method: 'POST', url: `${GPS}/geofences`, payload: { name: 'Bow tie', ...bowTie } });
      const body = expectProblem(crossing, 400, 'validation');
      expect(problemFields(body)).toEqual(['geometry.rings.0.0']);
      expect(body.errors![0].message).toBe('ring 0 edges 0 and 2 cross');

      const noRadius = await t.request({ method: 'POST', url: `${GPS}/geofences`, payload: { name: 'No radius', kind: 'circle', geometry: { center: { latitude: 1, longitude: 2 } } } });
      expect(problemFields(expectProblem(noRadius, 400, 'validation'))).toEqual(['geometry.radiusM']);
      const twoPoints = await t.request({ method: 'POST', url: `${GPS}/geofences`, payload: { name: 'Line', kind: 'polygon', geometry: { rings: [[[0, 0], [1, 1], [0, 0]]] } } });
      expect(expectProblem(twoPoints, 400, 'validation').errors).toEqual([{ field: 'geometry.rings.0.0', message: 'ring 0 needs at least 3 distinct points, has 2' }]);
      const hours = await t.request({ method: 'POST', url: `${GPS}/geofences`, payload: { name: 'Hours', ...circle(1, 2, 10), afterHours: { timeZone: 'Mars/Olympus', days: {} } } });
      expect(problemFields(expectProblem(hours, 400, 'validation'))).toEqual(['afterHours.timeZone']);
    });

    it('refuses a second fence with the same name (any case)', async () => {
      await createFence(t, { name: 'Gate A', ...circle(10, 10, 50) });
      expectProblem(await t.request({ method: 'POST', url: `${GPS}/geofences`, payload: { name: 'gate a', ...circle(11, 11, 50) } }), 409, 'gps/geofence-name-taken');
    });
  });

  describe('events from positions', () => {
    const yard = { latitude: 52.52, longitude: 13.405 };
    const outside = position(52.53, 13.405, ''); // 0.01° north: ≈ 1,112 m from the centre
    const base = '2026-11-23T08:00:00.000Z';
    let truck: Awaited<ReturnType<typeof registerDevice>>;
    let fence: { id: string };

    beforeAll(async () => {
      truck = await registerDevice(t, 'truck-1');
      fence = await createFence(t, { name: 'Berlin yard', ...circle(yard.latitude, yard.longitude, 200), dwellSeconds: 300 });
    });

    it('a batch of positions in any order gives enter, dwell and exit in time order', async () => {
      const mark = t.events.length;
      const inside = (s: number) => position(52.5205, yard.longitude, at(base, s)); // 0.0005° ≈ 56 m north of the centre
      // Shuffled on purpose: the consumer steps each tracker in time order.
      await sendJson(t, truck, [inside(420), { ...outside, at: at(base, 0) }, inside(120), { ...outside, at: at(base, 480) }, inside(60)]);
      const events = eventsSince(t, mark);
      expect(events.map((e) => [e.name, e.payload.at])).toEqual([
        ['gps.geofence.entered', at(base, 60)],
        ['gps.geofence.dwelled', at(base, 420)],
        ['gps.geofence.exited', at(base, 480)],
      ]);
      expect(events[0].payload).toEqual({
        deviceId: truck.id,
        deviceCode: 'truck-1',
        fenceId: fence.id,
        fenceName: 'Berlin yard',
        locationId: null,
        assetId: null,
        at: at(base, 60),
        enteredAt: at(base, 60),
        latitude: 52.5205,
        longitude: 13.405,
      });
      expect(events[1].payload).toMatchObject({ dwellSeconds: 300, enteredAt: at(base, 60) });
      expect(events[2].payload).toMatchObject({ insideSeconds: 420, enteredAt: at(base, 60) });

      const stored = await call({ method: 'GET', url: `${GPS}/events?trackerId=${truck.id}` }, 200);
      expect(stored.data.map((e: { type: string; at: string }) => [e.type, e.at])).toEqual([
        ['exited', at(base, 480)],
        ['dwelled', at(base, 420)],
        ['entered', at(base, 60)],
      ]);
      expect(stored.data[0]).toMatchObject({ fenceId: fence.id, fenceName: 'Berlin yard', deviceCode: 'truck-1', afterHours: false });
      const tracker = await call({ method: 'GET', url: `${GPS}/trackers/${truck.id}` }, 200);
      expect(tracker.lastPosition).toMatchObject({ at: at(base, 480), latitude: 52.53 });
      expect(tracker.insideFences).toEqual([]);
    });

    it('a late position is stored but moves neither the last position nor the fence state', async () => {
      const mark = t.events.length;
      await sendJson(t, truck, [position(yard.latitude, yard.longitude, at(base, 200))]);
      expect(eventsSince(t, mark)).toEqual([]);
      const [{ n }] = await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM gps_position WHERE device_id = $1 AND at = $2`, [truck.id, at(base, 200)]);
      expect(n).toBe(1);
      const tracker = await call({ method: 'GET', url: `${GPS}/trackers/${truck.id}` }, 200);
      expect(tracker.lastPosition.at).toBe(at(base, 480));
      expect(tracker.insideFences).toEqual([]);
    });

    it('entering again is a new visit; GET /trackers lists the fences a tracker is in', async () => {
      const mark = t.events.length;
      await sendJson(t, truck, [position(yard.latitude, yard.longitude, at(base, 900))]);
      expect(eventsSince(t, mark).map((e) => e.name)).toEqual(['gps.geofence.entered']);
      const list = await call({ method: 'GET', url: `${GPS}/trackers?q=truck-1` }, 200);
      expect(list.data).toHaveLength(1);
      expect(list.data[0]).toMatchObject({ deviceId: truck.id, code: 'truck-1', insideFences: [{ id: fence.id, name: 'Berlin yard', enteredAt: at(base, 900) }] });
    });

    it('a fence moved by PATCH is checked at once (the index reloads)', async () => {
      const far = await createFence(t, { name: 'Moving fence', ...circle(0.5, 0.5, 100) });
      const mark = t.events.length;
      await call({ method: 'PATCH', url: `${GPS}/geofences/${far.id}`, payload: { geometry: { center: yard, radiusM: 500 } } }, 200);
      await sendJson(t, truck, [position(yard.latitude, yard.longitude, at(base, 960))]);
      expect(eventsSince(t, mark).filter((e) => e.name.startsWith('gps.geofence.e')).map((e) => [e.name, e.payload.fenceName])).toEqual([['gps.geofence.entered', 'Moving fence']]);
      // Deactivated: the tracker is no longer in it, without an exit event.
      const mark2 = t.events.length;
      await call({ method: 'PATCH', url: `${GPS}/geofences/${far.id}`, payload: { active: false } }, 200);
      await sendJson(t, truck, [position(yard.latitude, yard.longitude, at(base, 1020))]);
      expect(eventsSince(t, mark2).map((e) => e.name)).toEqual(['gps.geofence.updated']);
      const tracker = await call({ method: 'GET', url: `${GPS}/trackers/${truck.id}` }, 200);
      expect(tracker.insideFences.map((f: { name: string }) => f.name)).toEqual(['Berlin yard']);
    });
  });

  describe('sites and assets', () => {
    it('a tracker entering a site fence moves its linked asset to that site, once', async () => {
      const depot = await location(t, 'Depot');
      const yardNorth = await location(t, 'Yard North');
      const asset = await call({ method: 'POST', url: `${FA}/assets`, payload: { name: 'Excavator 7', status: 'in-service', acquisitionCost: '150000.00', currency: 'EUR', locationId: depot } }, 201);
      const tracker = await registerDevice(t, 'excavator-7');
      const linked = await call({ method: 'PUT', url: `${GPS}/trackers/${tracker.id}/asset`, payload: { assetId: asset.id } }, 200);
      expect(linked).toMatchObject({ assetId: asset.id, asset: { id: asset.id, tag: asset.tag, name: 'Excavator 7', locationId: depot } });
      const fence = await createFence(t, { name: 'Yard North', ...square(48.14, 11.58, 300), locationId: yardNorth });
      expect(fence.locationName).toBe('Yard North');

      const base = '2026-11-23T06:00:00.000Z';
      const mark = t.events.length;
      await sendJson(t, tracker, [position(48.16, 11.58, at(base, 0)), position(48.14, 11.58, at(base, 60))]);
      const moved = t.events.slice(mark).filter((e) => e.name === 'fixed-assets.asset.moved');
      expect(moved.map((e) => e.payload)).toEqual([expect.objectContaining({ id: asset.id, fromLocationId: depot, toLocationId: yardNorth, reason: 'GPS geofence Yard North' })]);
      expect(eventsSince(t, mark).map((e) => e.name)).toEqual(['gps.geofence.entered']);
      expect(eventsSince(t, mark)[0].payload).toMatchObject({ assetId: asset.id, locationId: yardNorth });
      const after = await call({ method: 'GET', url: `${FA}/assets/${asset.id}` }, 200);
      expect(after.locationId).toBe(yardNorth);
      const history = await call({ method: 'GET', url: `${FA}/assets/${asset.id}/history?limit=1` }, 200);
      expect(history.data[0]).toMatchObject({ type: 'moved', reason: 'GPS geofence Yard North' });

      // Out and back in: the asset is already there, so nothing moves.
      const mark2 = t.events.length;
      await sendJson(t, tracker, [position(48.16, 11.58, at(base, 120)), position(48.14, 11.58, at(base, 180))]);
      expect(t.events.slice(mark2).map((e) => e.name)).toEqual(['gps.geofence.exited', 'gps.geofence.entered']);
    });

    it('announces an asset leaving a site outside its working hours, not inside them', async () => {
      const asset = await call({ method: 'POST', url: `${FA}/assets`, payload: { name: 'Generator 3', status: 'in-service', acquisitionCost: '9000.00', currency: 'EUR' } }, 201);
      const linked = await registerDevice(t, 'generator-3');
      const unlinked = await registerDevice(t, 'van-unlinked');
      await call({ method: 'PUT', url: `${GPS}/trackers/${linked.id}/asset`, payload: { assetId: asset.id } }, 200);
      const weekdays: [string, string][] = [['07:00', '18:00']];
      const fence = await createFence(t, {
        name: 'Hamburg site',
        ...circle(53.55, 9.99, 250),
        afterHours: { timeZone: 'Europe/Berlin', days: { mon: weekdays, tue: weekdays, wed: weekdays, thu: weekdays, fri: weekdays } },
      });
      const inside = (iso: string) => position(53.55, 9.99, iso);
      const away = (iso: string) => position(53.56, 9.99, iso); // ≈ 1,112 m north
      const mark = t.events.length;
      // Monday 16 Nov 2026: in at 09:00 CET, out at 22:30 CET (21:30 UTC) — after hours.
      await sendJson(t, linked, [inside('2026-11-16T08:00:00Z'), away('2026-11-16T21:30:00Z')]);
      await sendJson(t, unlinked, [inside('2026-11-16T08:00:00Z'), away('2026-11-16T21:30:00Z')]);
      const alerts = eventsSince(t, mark).filter((e) => e.name === 'gps.asset.left-site-after-hours');
      expect(alerts.map((e) => e.payload)).toEqual([
        {
          deviceId: linked.id,
          deviceCode: 'generator-3',
          fenceId: fence.id,
          fenceName: 'Hamburg site',
          locationId: null,
          assetId: asset.id,
          at: '2026-11-16T21:30:00.000Z',
          enteredAt: '2026-11-16T08:00:00.000Z',
          latitude: 53.56,
          longitude: 9.99,
          timeZone: 'Europe/Berlin',
          localTime: '2026-11-16 22:30:00',
        },
      ]);
      // Tuesday 17 Nov: out at 11:00 CET (10:00 UTC) — within hours: an exit, no alert.
      const mark2 = t.events.length;
      await sendJson(t, linked, [inside('2026-11-17T07:00:00Z'), away('2026-11-17T10:00:00Z')]);
      expect(eventsSince(t, mark2).map((e) => e.name)).toEqual(['gps.geofence.entered', 'gps.geofence.exited']);
      const flagged = await call({ method: 'GET', url: `${GPS}/events?fenceId=${fence.id}&type=exited` }, 200);
      expect(flagged.data.map((e: { deviceCode: string; afterHours: boolean; at: string }) => [e.deviceCode, e.at, e.afterHours])).toEqual([
        ['generator-3', '2026-11-17T10:00:00.000Z', false],
        // Same time: the later stored first.
        ['van-unlinked', '2026-11-16T21:30:00.000Z', false],
        ['generator-3', '2026-11-16T21:30:00.000Z', true],
      ]);
    });

    it('links only existing assets and unlinks with null', async () => {
      const tracker = await registerDevice(t, 'loose-tracker');
      const res = await t.request({ method: 'PUT', url: `${GPS}/trackers/${tracker.id}/asset`, payload: { assetId: '00000000-0000-4000-8000-000000000000' } });
      expect(expectProblem(res, 400, 'validation').errors).toEqual([{ field: 'assetId', message: 'no such asset' }]);
      const asset = await call({ method: 'POST', url: `${FA}/assets`, payload: { name: 'Trailer', status: 'in-service', acquisitionCost: '100.00', currency: 'EUR' } }, 201);
      const mark = t.events.length;
      await call({ method: 'PUT', url: `${GPS}/trackers/${tracker.id}/asset`, payload: { assetId: asset.id } }, 200);
      const unlinked = await call({ method: 'PUT', url: `${GPS}/trackers/${tracker.id}/asset`, payload: { assetId: null } }, 200);
      expect(unlinked).toMatchObject({ assetId: null, asset: null });
      expect(eventsSince(t, mark).map((e) => [e.name, e.payload.assetId, e.payload.previousAssetId])).toEqual([
        ['gps.tracker.asset-linked', asset.id, null],
        ['gps.tracker.asset-linked', null, asset.id],
      ]);
    });
  });
});
