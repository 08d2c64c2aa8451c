/// <reference lib="dom" />
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { gpsPlugin } from '@quartermaster/plugin-gps/server';
import { type ConsoleUnderTest, apiAs, byTestId, startConsole, testIdText } from './harness.js';

// The real console (with the GPS pages), built by Vite, served by the real server with the GPS
// plugin enabled and no map tile server configured, on a fresh database, driven by headless
// Chromium. A tracker speaking the OsmAnd protocol sends one position; the live map shows it.
const ADMIN = { email: 'e2e-gps@example.test', password: 'e2e gps password' };

let run: ConsoleUnderTest;
let page: Page;
let base: string;

beforeAll(async () => {
  run = await startConsole({ plugins: [gpsPlugin], admin: ADMIN, timeoutMs: 20_000 });
  ({ page, base } = run);
});

afterAll(async () => {
  await run?.close();
});

const byId = (id: string) => byTestId(page, id);
const textOf = (id: string) => testIdText(page, id);

/** Fixtures and checks through the API, as the signed-in admin. */
const api = <T>(method: 'GET' | 'POST', path: string, body?: unknown) => apiAs<T>(page, base, method, path, body);

interface TrackerOut {
  deviceId: string;
  name: string;
  lastPosition: { latitude: number; longitude: number; at: string } | null;
}

test('a tracker sends its position over the OsmAnd protocol and the live map shows it, offline (no tile server)', { timeout: 180_000 }, async () => {
  const failed: string[] = [];
  const foreign: string[] = [];
  const cspViolations: string[] = [];
  page.on('response', (r) => {
    if (r.url().includes('/api/') && r.status() >= 500) failed.push(`${r.status()} ${r.url()}`);
  });
  // Offline: the console must ask nothing of any other host (no tiles, no marker images).
  page.on('request', (r) => {
    const url = r.url();
    if (!url.startsWith(base) && !url.startsWith('data:') && !url.startsWith('blob:')) foreign.push(url);
  });
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
  });

  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(base);
  await page.waitForURL(/\/login/);
  await byId('login-email').fill(ADMIN.email);
  await byId('login-password').fill(ADMIN.password);
  await byId('login-submit').click();
  await byId('nav-gps-live-map').waitFor();

  // --- Register the tracker (the core's device registry answers its key once), then the tracker
  // app sends one fix the way Traccar Client does: GET /api/gps/osmand?id=<key>&lat&lon&timestamp.
  const { device, key } = await api<{ device: { id: string }; key: string }>('POST', '/api/core/devices', {
    code: 'e2e-van-7',
    name: 'E2E Van 7',
    kind: 'gps-tracker',
    adapter: 'osmand',
  });
  const now = Math.floor(Date.now() / 1000);
  const sent = await page.request.get(`${base}/api/gps/osmand?id=${encodeURIComponent(key)}&lat=52.5200&lon=13.4050&timestamp=${now}&speed=0&batt=87`);
  expect(sent.status(), await sent.text()).toBe(200);
  // Readings are processed off the request; wait until the tracker's last position is stored.
  await expect
    .poll(async () => (await api<TrackerOut>('GET', `/api/gps/trackers/${device.id}`)).lastPosition, { timeout: 20_000 })
    .toMatchObject({ latitude: 52.52, longitude: 13.405, at: new Date(now * 1000).toISOString() });

  // --- The live map: the tracker is listed with its position, and drawn as a marker on the map.
  await byId('nav-gps-live-map').click();
  await page.waitForURL(/\/gps\/map$/);
  await expect.poll(() => textOf('tracker-row-name')).toBe('E2E Van 7');
  expect(await textOf('tracker-row-position')).toBe('52.52, 13.405');
  expect(await textOf('tracker-row-battery')).toBe('87 %');
  // No tile server configured: said so, no tile layer, the plain grid background.
  await byId('map-offline').waitFor();
  expect(await byId('map').getAttribute('data-tiles')).toBe('none');
  expect(await page.locator('[data-testid="map-canvas"] .leaflet-tile-pane > *').count()).toBe(0);
  expect(await page.locator('[data-testid="map-canvas"] img').count()).toBe(0);

  // Leaflet drew the marker (a vector circle, no image) with the tracker's name as its label, and
  // the map fitted the view to it.
  await page.locator('[data-testid="map-canvas"] path.leaflet-interactive').first().waitFor();
  await expect.poll(() => page.locator('[data-testid="map-canvas"] .leaflet-tooltip').first().textContent()).toBe('E2E Van 7');
  const marker = byId('map-marker').first();
  expect(await marker.getAttribute('data-lat')).toBe('52.52');
  expect(await marker.getAttribute('data-lon')).toBe('13.405');
  const markerBox = await page.locator('[data-testid="map-canvas"] path.leaflet-interactive').first().boundingBox();
  const mapBox = await byId('map-canvas').boundingBox();
  expect(markerBox && mapBox).toBeTruthy();
  const centre = { x: markerBox!.x + markerBox!.width / 2, y: markerBox!.y + markerBox!.height / 2 };
  expect(centre.x).toBeGreaterThan(mapBox!.x);
  expect(centre.x).toBeLessThan(mapBox!.x + mapBox!.width);
  expect(centre.y).toBeGreaterThan(mapBox!.y);
  expect(centre.y).toBeLessThan(mapBox!.y + mapBox!.height);

  // The popup (opened from the list) tells where and when, and leads to the tracker's track.
  await byId('tracker-row-locate').click();
  const popup = page.locator('[data-testid="map-canvas"] .leaflet-popup-content');
  await popup.waitFor();
  const popupText = (await popup.textContent()) ?? '';
  expect(popupText).toContain('E2E Van 7 (e2e-van-7)');
  expect(popupText).toContain('Position 52.52, 13.405');
  expect(popupText).toContain('Battery 87 %');
  await popup.locator('a', { hasText: 'Track and trips' }).click();
  await page.waitForURL(new RegExp(`/gps/trackers/${device.id}$`));
  await expect.poll(() => textOf('tracker-title')).toBe('E2E Van 7 (e2e-van-7)');
  expect(await textOf('tracker-last-position')).toContain('52.52, 13.405');
  // The last 24 hours hold the one fix: the playback cursor sits on it.
  await expect.poll(() => textOf('track-count')).toBe('1 of 1');
  expect(await textOf('track-cursor-position')).toBe('52.52, 13.405');

  expect(foreign).toEqual([]);
  expect(cspViolations).toEqual([]);
  expect(failed).toEqual([]);
});
