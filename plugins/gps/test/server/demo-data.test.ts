import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestPlatform } from '@quartermaster/testing';
import { fixedAssetsPlugin } from '@quartermaster/plugin-fixed-assets/server';
import { gpsPlugin } from '../../src/server/index.js';
import { DEMO_FENCES, DEMO_TRACKERS, DEMO_TRACTOR_TAG, demoTracks } from '../../src/server/demo-data.js';
import { haversineM } from '../../src/domain/index.js';
import { FA, GPS, bootGps, caller } from './fixtures.js';

const HOUR = 3_600_000;

/** Rows the demo writes, to compare a second run with. */
const footprint = async (t: TestPlatform) =>
  (
    await t.sql<Record<string, string>>(
      `SELECT (SELECT count(*) FROM core_device) AS devices, (SELECT count(*) FROM gps_position) AS positions, (SELECT count(*) FROM gps_geofence) AS fences,
              (SELECT count(*) FROM gps_geofence_event) AS events, (SELECT count(*) FROM gps_tracker) AS trackers, (SELECT count(*) FROM core_audit) AS audit`,
    )
  )[0];

/** The two sites of the server's demo catalogue, with its coordinates. */
async function demoSites(t: TestPlatform) {
  const call = caller(t);
  const site = async (name: string, code: string, latitude: number, longitude: number) =>
    (await call({ method: 'POST', url: '/api/core/locations', payload: { name, type: 'site', code, latitude, longitude } }, 201)).id as string;
  const rtm = await site('Main DC', 'RTM', 51.8858, 4.4396);
  const utr = await site('Utrecht Store', 'UTR', 52.0907, 5.1214);
  return { rtm, utr };
}

describe('GPS demo data with fixed assets', () => {
  let t: TestPlatform;
  let call: ReturnType<typeof caller>;
  let sites: Awaited<ReturnType<typeof demoSites>>;
  const trackers = async () => (await call({ method: 'GET', url: `${GPS}/trackers` }, 200)).data as any[];
  const tracker = async (code: string) => (await trackers()).find((x) => x.code === code);
  const events = async (deviceId: string) => ((await call({ method: 'GET', url: `${GPS}/events?trackerId=${deviceId}&limit=200` }, 200)).data as any[]).reverse();

  beforeAll(async () => {
    t = await bootGps({ fixedAssets: true });
    call = caller(t);
    sites = await demoSites(t);
    // The fixed-assets demo needs its tool crib too; its van is the one the tracker goes on.
    await call({ method: 'POST', url: '/api/core/locations', payload: { name: 'Tool crib', type: 'room', code: 'TC', parentId: sites.rtm } }, 201);
    await fixedAssetsPlugin.demoData!(t.platform.context('fixed-assets'));
    await gpsPlugin.demoData!(t.platform.context('gps'));
  });
  afterAll(() => t?.close());

  it('draws a polygon around the DC yard and circles around the store and the trailer park, the first two as the demo sites', async () => {
    const fences = (await call({ method: 'GET', url: `${GPS}/geofences` }, 200)).data as any[];
    expect(fences.map((f) => [f.name, f.kind, f.locationId, f.active])).toEqual([
      [DEMO_FENCES.dc, 'polygon', sites.rtm, true],
      [DEMO_FENCES.store, 'circle', sites.utr, true],
      [DEMO_FENCES.trailerPark, 'circle', null, true],
    ]);
    // Each site fence holds its site's coordinates as the core has them.
    const dc = fences[0].geometry.rings[0] as [number, number][];
    const lons = dc.map(([lon]) => lon);
    const lats = dc.map(([, lat]) => lat);
    expect(Math.min(...lons) < 4.4396 && 4.4396 < Math.max(...lons) && Math.min(...lats) < 51.8858 && 51.8858 < Math.max(...lats)).toBe(true);
    expect(haversineM(fences[1].geometry.center, { latitude: 52.0907, longitude: 5.1214 })).toBeLessThan(1);
    expect(haversineM(fences[2].geometry.center, { latitude: 51.8858, longitude: 4.4396 })).toBeGreaterThan(1000);
  });

  it('lists both trackers on the OsmAnd adapter, linked to the van and the yard tractor, last seen inside the DC yard, in the past', async () => {
    const list = await trackers();
    expect(list.map((x) => [x.code, x.adapter, x.asset?.name])).toEqual([
      [DEMO_TRACKERS.van, 'osmand', 'Delivery van Mercedes-Benz Sprinter 317 CDI'],
      [DEMO_TRACKERS.tractor, 'osmand', 'Yard tractor Terberg YT203-EV'],
    ]);
    const now = Date.now();
    for (const x of list) {
      expect(x.lastPosition, x.code).not.toBeNull();
      expect(Date.parse(x.lastPosition.at)).toBeLessThan(now);
      expect(Date.parse(x.lastPosition.at)).toBeGreaterThan(now - HOUR);
      expect(x.insideFences.map((f: any) => f.name)).toEqual([DEMO_FENCES.dc]);
      expect(x.lastPosition.battery).toBeGreaterThan(0);
    }
    // Entering the DC's fence moved the van (and its components) to the Main DC; the tractor was registered there.
    expect(list[0].asset.locationId).toBe(sites.rtm);
    expect(list[1].asset).toMatchObject({ tag: DEMO_TRACTOR_TAG, locationId: sites.rtm, status: 'in-service' });
    const [moved] = (await call({ method: 'GET', url: `${FA}/assets/${list[0].assetId}/history` }, 200)).data;
    expect(moved).toMatchObject({ type: 'moved', reason: `GPS geofence ${DEMO_FENCES.dc}`, data: { toLocationId: sites.rtm } });
  });

  it("plays back the van's drive: one trip from the Utrecht Store to the DC's dock, over the A12 and A20", async () => {
    const van = await tracker(DEMO_TRACKERS.van);
    const { positions, truncated } = await call({ method: 'GET', url: `${GPS}/trackers/${van.deviceId}/positions` }, 200);
    expect(truncated).toBe(false);
    expect(positions.length).toBeGreaterThan(100);
    expect(Date.parse(positions[0].at)).toBeGreaterThan(Date.now() - 6 * HOUR);
    expect(Date.parse(positions.at(-1).at)).toBeLessThan(Date.now());
    const { trips } = await call({ method: 'GET', url: `${GPS}/trackers/${van.deviceId}/trips` }, 200);
    expect(trips).toHaveLength(1);
    const [trip] = trips;
    expect(trip.complete).toBe(true);
    expect(haversineM(trip.start, { latitude: 52.0907, longitude: 5.1214 })).toBeLessThan(150);
    expect(haversineM(trip.end, { latitude: 51.8858, longitude: 4.4396 })).toBeLessThan(150);
    // About 60 km by road (the straight line is 54 km) in under an hour and a half, motorway speeds on the way.
    expect(trip.distanceM).toBeGreaterThan(55_000);
    expect(trip.distanceM).toBeLessThan(70_000);
    expect(trip.durationSeconds).toBeLessThan(5_400);
    expect(trip.maxSpeedKnots).toBeGreaterThan(50);
  });

  it("records the van's visits: entered and dwelled at the store, left it, entered the DC yard", async () => {
    const van = await tracker(DEMO_TRACKERS.van);
    expect((await events(van.deviceId)).map((e) => [e.type, e.fenceName])).toEqual([
      ['entered', DEMO_FENCES.store],
      ['dwelled', DEMO_FENCES.store],
      ['exited', DEMO_FENCES.store],
      ['entered', DEMO_FENCES.dc],
    ]);
  });

  it('records the tractor shuttling trailers: out of the yard, into the trailer park and back, four times, each leg a trip', async () => {
    const yt = await tracker(DEMO_TRACKERS.tractor);
    const seen = (await events(yt.deviceId)).map((e) => `${e.type} ${e.fenceName}`);
    const run = [`exited ${DEMO_FENCES.dc}`, `entered ${DEMO_FENCES.trailerPark}`, `exited ${DEMO_FENCES.trailerPark}`, `entered ${DEMO_FENCES.dc}`];
    expect(seen).toEqual([`entered ${DEMO_FENCES.dc}`, ...run, ...run, ...run, ...run]);
    const { trips } = await call({ method: 'GET', url: `${GPS}/trackers/${yt.deviceId}/trips` }, 200);
    expect(trips).toHaveLength(8);
    for (const trip of trips) expect(trip.distanceM).toBeGreaterThan(1_000);
  });

  it('the tracks are the same whatever the time of day, and always in the past', () => {
    for (const now of [Date.UTC(2026, 0, 1, 0, 5), Date.UTC(2026, 5, 30, 13, 0), Date.now()]) {
      const { van, tractor } = demoTracks(now);
      for (const f of [...van, ...tractor]) expect(f.at).toBeLessThan(now);
      expect(van.length).toBeGreaterThan(200);
      expect(tractor.length).toBeGreaterThan(100);
    }
  });

  it('a second run adds nothing', async () => {
    const before = await footprint(t);
    const assets = (await call({ method: 'GET', url: `${FA}/assets` }, 200)).total;
    await gpsPlugin.demoData!(t.platform.context('gps'));
    expect(await footprint(t)).toEqual(before);
    expect((await call({ method: 'GET', url: `${FA}/assets` }, 200)).total).toBe(assets);
  });
});

describe('GPS demo data without fixed assets', () => {
  let t: TestPlatform;
  let call: ReturnType<typeof caller>;
  afterAll(() => t?.close());

  it('without the demo sites it seeds nothing', async () => {
    t = await bootGps();
    call = caller(t);
    await gpsPlugin.demoData!(t.platform.context('gps'));
    expect(await footprint(t)).toMatchObject({ devices: '0', fences: '0', positions: '0' });
  });

  it('with them, seeds fences, unlinked trackers and their tracks', async () => {
    await demoSites(t);
    await gpsPlugin.demoData!(t.platform.context('gps'));
    const list = (await call({ method: 'GET', url: `${GPS}/trackers` }, 200)).data as any[];
    expect(list.map((x) => [x.code, x.assetId, x.insideFences.length])).toEqual([
      [DEMO_TRACKERS.van, null, 1],
      [DEMO_TRACKERS.tractor, null, 1],
    ]);
    expect((await call({ method: 'GET', url: `${GPS}/events?type=exited` }, 200)).total).toBe(9);
    const before = await footprint(t);
    await gpsPlugin.demoData!(t.platform.context('gps'));
    expect(await footprint(t)).toEqual(before);
  });
});

describe('GPS demo data through the smallest ingestion queue', () => {
  let t: TestPlatform;
  afterAll(() => t?.close());

  it('waits when the queue is full, as a tracker would, and loses nothing', async () => {
    t = await bootGps({ devices: { queueCapacity: 10, batchSize: 3 } });
    await demoSites(t);
    await gpsPlugin.demoData!(t.platform.context('gps'));
    const { van, tractor } = demoTracks(Date.now());
    const [{ n }] = await t.sql<{ n: string }>(`SELECT count(*) AS n FROM gps_position`);
    // The tracks of this run and the demo's own were computed a moment apart: the same number of fixes, give or take the last.
    expect(Math.abs(Number(n) - (van.length + tractor.length))).toBeLessThanOrEqual(2);
    expect((await caller(t)({ method: 'GET', url: `${GPS}/events?type=entered` }, 200)).total).toBe(11);
  });
});
