import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, createTestPlatform, expectProblem, type TestPlatform } from '@quartermaster/testing';
import { fixedAssetsPlugin } from '@quartermaster/plugin-fixed-assets/server';
import { gpsPlugin } from '../../src/server/index.js';
import { FA, GPS, caller, circle, createFence, eventsSince, location, position, registerDevice, sendJson } from './fixtures.js';

/**
 * fixed-assets is an optional dependency: the plugin boots and tracks without it, refuses only
 * what needs it (linking a tracker to an asset), and keeps working on a database where trackers
 * were linked while fixed-assets was enabled and it then was turned off.
 *
 * Times: Stockholm keeps CET (UTC+1) from the last Sunday of October until the last Sunday of
 * March (Directive 2000/84/EC, arts. 2–3); 1 November 2026 is a Sunday, so 16 November is a Monday.
 */
describe('the gps plugin with and without fixed-assets', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let tracker: { id: string; key: string; code: string };
  let assetId: string;
  let siteId: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    // First boot: both plugins; a tracker is linked to an asset.
    const withFa = await createTestPlatform({ databaseUrl: db.url, plugins: [fixedAssetsPlugin, gpsPlugin], enable: { 'fixed-assets': { overdueSweepSeconds: 0 }, gps: {} } });
    try {
      const call = caller(withFa);
      siteId = await location(withFa, 'North site');
      assetId = (await call({ method: 'POST', url: `${FA}/assets`, payload: { name: 'Crane', status: 'in-service', acquisitionCost: '1.00', currency: 'EUR' } }, 201)).id;
      tracker = await registerDevice(withFa, 'crane-1');
      await call({ method: 'PUT', url: `${GPS}/trackers/${tracker.id}/asset`, payload: { assetId } }, 200);
      await createFence(withFa, {
        name: 'North site',
        ...circle(59.33, 18.07, 300),
        locationId: siteId,
        afterHours: { timeZone: 'Europe/Stockholm', days: { mon: [['07:00', '16:00']] } },
      });
    } finally {
      await withFa.close();
    }
  });
  afterAll(() => db?.drop());

  describe('booted without fixed-assets', () => {
    let t: TestPlatform;
    beforeAll(async () => {
      t = await createTestPlatform({ databaseUrl: db.url, plugins: [gpsPlugin], admin: false });
    });
    afterAll(() => t?.close());

    it('loads and serves its routes', async () => {
      const health = await t.app.inject({ method: 'GET', url: '/api/health' });
      expect(health.json().plugins).toEqual(['core', 'gps']);
      const list = await caller(t)({ method: 'GET', url: `${GPS}/trackers` }, 200);
      // The link made earlier is kept; the asset cannot be described without its plugin.
      expect(list.data).toEqual([expect.objectContaining({ deviceId: tracker.id, assetId, asset: null })]);
    });

    it('refuses to link a tracker to an asset, saying fixed-assets is not enabled; unlinking still works', async () => {
      const res = await t.request({ method: 'PUT', url: `${GPS}/trackers/${tracker.id}/asset`, payload: { assetId } });
      expect(expectProblem(res, 422, 'gps/fixed-assets-not-enabled').detail).toMatch(/fixed-assets plugin is enabled/);
      const other = await registerDevice(t, 'spare-tracker');
      expectProblem(await t.request({ method: 'PUT', url: `${GPS}/trackers/${other.id}/asset`, payload: { assetId } }), 422, 'gps/fixed-assets-not-enabled');
      expect((await caller(t)({ method: 'PUT', url: `${GPS}/trackers/${other.id}/asset`, payload: { assetId: null } }, 200)).assetId).toBeNull();
    });

    it('tracks: a site fence entered moves nothing, and the after-hours alert still goes out', async () => {
      const mark = t.events.length;
      // Monday 16 November 2026: in at 08:00 UTC (09:00 CET in Stockholm), out at 20:00 UTC (21:00 CET) — after hours.
      await sendJson(t, tracker, [position(59.33, 18.07, '2026-11-16T08:00:00Z'), position(59.34, 18.07, '2026-11-16T20:00:00Z')]);
      expect(eventsSince(t, mark, '').map((e) => e.name)).toEqual(['gps.geofence.entered', 'gps.geofence.exited', 'gps.asset.left-site-after-hours']);
      expect(eventsSince(t, mark)[2].payload).toMatchObject({ assetId, localTime: '2026-11-16 21:00:00', timeZone: 'Europe/Stockholm' });
    });
  });
});
