import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, type TestPlatform } from '@quartermaster/testing';
import { GPS, bootGps, caller, eventsSince, position, registerDevice, sendJson, type Device } from './fixtures.js';

/**
 * Positions over a time range (playback), trips, and the retention prune.
 *
 * The drive, worked by hand: the tracker stands at 50.00° N 8.00° E for ten minutes (speed 0),
 * drives north 0.01° a minute for ten minutes reporting 36 kn, then stands at 50.10° N. Along a
 * meridian the haversine distance is R·Δφ, so the drive is 0.1° × 111,195.08 m/° = 11,119.51 m
 * (mean Earth radius 6,371,008.8 m, H. Moritz, "Geodetic Reference System 1980").
 * With the default rules (stop = 5 minutes within 50 m at ≤ 1 kn) the trip starts at the last
 * standing fix (minute 9), and ends where the stop began (minute 20): 660 s, 12 positions,
 * average 11,119.51 m / 660 s = 16.848 m/s = 32.750 kn (1 kn = 1852/3600 m/s).
 */
const base = '2026-11-22T10:00:00.000Z';
const minute = (m: number) => new Date(Date.parse(base) + m * 60_000).toISOString();

describe('positions, trips and retention', () => {
  let t: TestPlatform;
  let call: ReturnType<typeof caller>;
  let car: Device;

  beforeAll(async () => {
    t = await bootGps();
    call = caller(t);
    car = await registerDevice(t, 'car-1');
    const drive = [
      ...Array.from({ length: 10 }, (_, m) => position(50, 8, minute(m), { speedKnots: 0 })),
      ...Array.from({ length: 10 }, (_, i) => position(Number((50.01 + i * 0.01).toFixed(2)), 8, minute(10 + i), { speedKnots: 36 })),
      ...Array.from({ length: 15 }, (_, i) => position(50.1, 8, minute(20 + i), { speedKnots: 0 })),
    ];
    await sendJson(t, car, drive);
  });
  afterAll(() => t?.close());

  it('answers the positions of a range, oldest first, and says when the limit cut it short', async () => {
    const page = await call({ method: 'GET', url: `${GPS}/trackers/${car.id}/positions?from=${minute(9)}&to=${minute(12)}` }, 200);
    expect(page).toMatchObject({ deviceId: car.id, from: minute(9), to: minute(12), truncated: false });
    expect(page.positions.map((p: { at: string; latitude: number }) => [p.at, p.latitude])).toEqual([
      [minute(9), 50],
      [minute(10), 50.01],
      [minute(11), 50.02],
      [minute(12), 50.03],
    ]);
    expect(page.positions[1]).toEqual({ at: minute(10), latitude: 50.01, longitude: 8, speedKnots: 36, courseDeg: null, altitudeM: null, accuracyM: null, battery: null, valid: true });
    const cut = await call({ method: 'GET', url: `${GPS}/trackers/${car.id}/positions?from=${minute(0)}&to=${minute(40)}&limit=5` }, 200);
    expect(cut.positions).toHaveLength(5);
    expect(cut.truncated).toBe(true);
    expect(cut.positions.at(-1).at).toBe(minute(4));
  });

  it('finds the one trip of the drive', async () => {
    const { trips } = await call({ method: 'GET', url: `${GPS}/trackers/${car.id}/trips?from=${minute(0)}&to=${minute(40)}` }, 200);
    expect(trips).toHaveLength(1);
    const [trip] = trips;
    expect(trip).toMatchObject({
      startAt: minute(9),
      endAt: minute(20),
      start: { at: minute(9), latitude: 50, longitude: 8 },
      end: { at: minute(20), latitude: 50.1, longitude: 8 },
      durationSeconds: 660,
      maxSpeedKnots: 36,
      positionCount: 12,
      complete: true,
    });
    expect(trip.distanceM).toBeCloseTo(11_119.51, 1);
    expect(trip.averageSpeedKnots).toBeCloseTo(32.75, 2);
  });

  it('cuts a range that ends mid-drive into an incomplete trip', async () => {
    const { trips } = await call({ method: 'GET', url: `${GPS}/trackers/${car.id}/trips?from=${minute(0)}&to=${minute(15)}` }, 200);
    expect(trips.map((x: { startAt: string; endAt: string; complete: boolean }) => [x.startAt, x.endAt, x.complete])).toEqual([[minute(9), minute(15), false]]);
  });

  it('refuses ranges that are backwards or too long for trips', async () => {
    const backwards = await t.request({ method: 'GET', url: `${GPS}/trackers/${car.id}/positions?from=${minute(10)}&to=${minute(0)}` });
    expect(expectProblem(backwards, 400, 'validation').errors).toEqual([{ field: 'from', message: 'must not be after to' }]);
    const long = await t.request({ method: 'GET', url: `${GPS}/trackers/${car.id}/trips?from=2026-01-01T00:00:00Z&to=2026-03-01T00:00:00Z` });
    expect(expectProblem(long, 400, 'validation').errors).toEqual([{ field: 'to', message: 'the range may span at most 31 days' }]);
  });

  it('prunes positions older than the retention period (180 days by default), with an audit record and an event', async () => {
    const old = new Date(Date.now() - 200 * 86_400_000).toISOString();
    await sendJson(t, car, [position(50, 8, old)]);
    const mark = t.events.length;
    const res = await call({ method: 'POST', url: `${GPS}/positions/prune` }, 200);
    expect(res).toMatchObject({ deleted: 1, retentionDays: 180 });
    const [{ n }] = await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM gps_position WHERE device_id = $1`, [car.id]);
    expect(n).toBe(35);
    expect(eventsSince(t, mark)).toEqual([{ name: 'gps.positions.pruned', payload: { deleted: 1, before: res.before, retentionDays: 180 } }]);
    const again = await call({ method: 'POST', url: `${GPS}/positions/prune` }, 200);
    expect(again.deleted).toBe(0);
    expect(eventsSince(t, mark)).toHaveLength(1);
  });

  it('reports its status: no TCP listener unless enabled, no map tile server unless configured', async () => {
    expect(await call({ method: 'GET', url: `${GPS}/status` }, 200)).toEqual({ nmeaTcp: { enabled: false, host: null, port: null, connections: 0 }, fencesLoaded: 0, positionRetentionDays: 180, map: { tileUrl: null, attribution: null } });
  });
});
