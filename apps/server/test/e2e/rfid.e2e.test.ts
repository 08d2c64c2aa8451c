/// <reference lib="dom" />
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { fixedAssetsPlugin } from '@quartermaster/plugin-fixed-assets/server';
import { rfidPlugin } from '@quartermaster/plugin-rfid/server';
import { encodeEpc } from '@quartermaster/plugin-rfid/domain';
import { type ConsoleUnderTest, apiAs, byTestId, repo, startConsole, testIdText } from './harness.js';

// The real console (with the RFID and fixed-assets pages), built by Vite, served by the real server
// with both plugins enabled on a fresh database, driven by headless Chromium. A dock door portal
// reader is set up in the console, posts its tag reads over HTTP as a Zebra FX reader does, and the
// console shows the reads, the asset passing in through the portal, and a stray tag to enrol.
const ADMIN = { email: 'e2e-rfid@example.test', password: 'e2e rfid password' };
/** GIAI of GS1 EPC TDS §14.5.5.1 (urn:epc:id:giai:0614141.12345400): the asset's label carries it as its tag. */
const HOIST_GIAI = '061414112345400';
const HOIST_EPC = encodeEpc({ tagUri: 'urn:epc:tag:giai-96:3.0614141.12345400' }).hex;
/** A GIAI of the same company that no asset carries: a tag nobody has enrolled yet. */
const STRAY_EPC = encodeEpc({ tagUri: 'urn:epc:tag:giai-96:3.0614141.900077' }).hex;

let run: ConsoleUnderTest;
let page: Page;
let base: string;

beforeAll(async () => {
  run = await startConsole({ plugins: [fixedAssetsPlugin, rfidPlugin], admin: ADMIN, timeoutMs: 20_000 });
  ({ page, base } = run);
});

afterAll(async () => {
  await run?.close();
});

const byId = (id: string) => byTestId(page, id);
const squash = (s: string | null) => (s ?? '').replace(/\s+/g, ' ').trim();
const textOf = (id: string) => testIdText(page, id);
/** The table row (test id `table`) whose cell `cell` reads `text`. */
const rowOf = (table: string, cell: string, text: string): Locator =>
  byId(table).locator('tbody tr').filter({ has: page.locator(`[data-testid="${cell}"]`, { hasText: text }) });
const cellOf = async (row: Locator, id: string) => squash(await row.locator(`[data-testid="${id}"]`).first().textContent());

/** Fixtures and checks through the API, as the signed-in admin. */
const api = <T>(method: 'GET' | 'POST', path: string, body?: unknown) => apiAs<T>(page, base, method, path, body);

/** A Zebra FX IoT Connector tag data event (SIMPLE format), as the reader posts it. */
const zebra = (epc: string, antenna: number, peakRssi: number, timestamp: string) => ({
  data: { eventNum: 1, format: 'epc', idHex: epc.toLowerCase(), antenna, peakRssi, reads: 1, channel: 915.25 },
  timestamp,
  type: 'SIMPLE',
});

interface AssetOut {
  id: string;
  tag: string;
  locationId: string | null;
}
interface TagOut {
  epc: string;
  target: { type: string; id: string } | null;
  location: { id: string } | null;
}

test('a dock portal set up in the console reads an asset passing in and a stray tag; the console shows the reads, the movement and enrols the stray', { timeout: 300_000 }, async () => {
  const failed: string[] = [];
  const cspViolations: string[] = [];
  page.on('response', (r) => {
    if (r.url().includes('/api/') && r.status() >= 500) failed.push(`${r.status()} ${r.url()}`);
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
  await byId('nav-rfid-live-reads').waitFor();

  // --- Through the API: the depot with its yard (outside the dock door) and store (inside), the
  // portal reader registered at the depot (its key answered once), and the chain hoist whose asset
  // tag is the GIAI its RFID label encodes.
  const depot = await api<{ id: string }>('POST', '/api/core/locations', { name: 'E2E depot', type: 'site' });
  const yard = await api<{ id: string }>('POST', '/api/core/locations', { name: 'E2E yard', type: 'zone', parentId: depot.id });
  const store = await api<{ id: string }>('POST', '/api/core/locations', { name: 'E2E store', type: 'zone', parentId: depot.id });
  const { device, key } = await api<{ device: { id: string }; key: string }>('POST', '/api/core/devices', {
    code: 'dock-1',
    name: 'Dock 1 portal',
    kind: 'rfid-reader',
    adapter: 'rfid-reader',
    model: 'FX9600',
    locationId: depot.id,
  });
  const hoist = await api<AssetOut>('POST', '/api/fixed-assets/assets', { name: 'E2E chain hoist', tag: HOIST_GIAI, locationId: depot.id });
  const jack = await api<AssetOut>('POST', '/api/fixed-assets/assets', { name: 'E2E pallet jack', locationId: depot.id });

  // --- Reader setup in the console: antenna 1 watches the yard (outer side of the portal),
  // antenna 2 the store (inner side).
  await byId('nav-rfid-readers').click();
  await page.waitForURL(/\/rfid\/readers$/);
  await byId('reader-row-setup').first().click();
  await page.waitForURL(new RegExp(`/rfid/readers/${device.id}$`));
  await expect.poll(() => textOf('reader-title')).toBe('dock-1 · Dock 1 portal');
  await byId('antennas-none').waitFor();
  for (const [i, zone, side] of [
    [0, 'E2E yard', 'outer'],
    [1, 'E2E store', 'inner'],
  ] as const) {
    await byId('antenna-add').click();
    const row = byId('antenna-row').nth(i);
    expect(await row.locator('[data-testid="antenna-port"]').inputValue()).toBe(String(i + 1));
    await row.locator('[data-testid="antenna-zone"] .el-select__wrapper').click();
    await page.locator('.el-select-dropdown__item:visible', { hasText: zone }).first().click();
    await row.locator('[data-testid="antenna-side"] .el-select__wrapper').click();
    await page.locator(`[data-testid="antenna-side-${side}"]:visible`).click();
  }
  await byId('portal-ok').waitFor();
  await byId('reader-save').click();
  await page.locator('.el-message--success', { hasText: 'Settings of dock-1 saved' }).waitFor();
  const saved = await api<{ settings: Record<string, unknown> }>('GET', `/api/core/devices/${device.id}`);
  expect(saved.settings).toEqual({
    antennas: [
      { antenna: 1, locationId: yard.id, portalSide: 'outer' },
      { antenna: 2, locationId: store.id, portalSide: 'inner' },
    ],
  });

  // --- The reader posts its tag events (HTTP, its key): the hoist passes the portal from the yard
  // into the store, and a stray tag is seen in the yard. Times are the reader's, a minute ago.
  const t0 = Date.now() - 60_000;
  const at = (s: number) => new Date(t0 + s * 1000).toISOString();
  const post = async (events: unknown) => {
    const res = await page.request.post(`${base}/api/core/devices/ingest`, { headers: { authorization: `Device ${key}` }, data: events });
    expect(res.status(), await res.text()).toBe(202);
  };
  await post(zebra(HOIST_EPC, 1, -48, at(0)));
  await post([zebra(STRAY_EPC, 1, -61, at(1)), zebra(HOIST_EPC, 2, -45, at(2))]);
  // Readings are processed off the request; wait until the hoist's tag is in the store.
  await expect
    .poll(async () => (await api<{ tag: TagOut }>('GET', `/api/rfid/tags/${HOIST_EPC}`).catch(() => null))?.tag.location?.id, { timeout: 20_000 })
    .toBe(store.id);

  // --- Live reads: every read, newest first, with its reader, the zone its antenna watches and,
  // for the hoist's tag, the asset it names.
  await byId('nav-rfid-live-reads').click();
  await page.waitForURL(/\/rfid\/reads$/);
  await expect.poll(() => byId('live-row-epc').allTextContents()).toEqual([HOIST_EPC, STRAY_EPC, HOIST_EPC]);
  expect(await byId('live-row-reader').allTextContents()).toEqual(['dock-1', 'dock-1', 'dock-1']);
  await expect.poll(async () => (await byId('live-row-zone').allTextContents()).map(squash)).toEqual(['2 → E2E depot / E2E store', '1 → E2E depot / E2E yard', '1 → E2E depot / E2E yard']);
  expect(await byId('live-row-key').allTextContents()).toEqual([`GIAI ${HOIST_GIAI}`, 'GIAI 0614141900077', `GIAI ${HOIST_GIAI}`]);
  expect(await byId('live-row-rssi').allTextContents()).toEqual(['-45 dBm', '-61 dBm', '-48 dBm']);
  const hoistRead = rowOf('live-table', 'live-row-epc', HOIST_EPC).first();
  expect(await cellOf(hoistRead, 'live-row-target')).toBe('Asset');
  expect(await hoistRead.locator('[data-testid="live-row-target"]').getAttribute('href')).toBe(`/fixed-assets/assets/${hoist.id}`);
  expect(await rowOf('live-table', 'live-row-epc', STRAY_EPC).locator('[data-testid="live-row-target"]').count()).toBe(0);

  // --- Movements of the hoist's tag (searched by its EPC): first seen in the yard on antenna 1,
  // then in through the portal to the store on antenna 2, on the asset.
  await byId('nav-rfid-movements').click();
  await page.waitForURL(/\/rfid\/movements$/);
  await byId('movements-epc').fill(HOIST_EPC.toLowerCase());
  await byId('movements-epc').press('Enter');
  await page.waitForURL(new RegExp(`/rfid/movements\\?epc=${HOIST_EPC}$`));
  await expect.poll(async () => (await byId('movement-row-route').allTextContents()).map(squash)).toEqual(['E2E yard → E2E store', '(first seen) → E2E yard']);
  const rows = byId('movements-table').locator('tbody tr');
  expect(await cellOf(rows.nth(0), 'movement-row-direction')).toBe('In');
  expect(await rows.nth(1).locator('[data-testid="movement-row-direction"]').count()).toBe(0);
  expect((await byId('movement-row-reader').allTextContents()).map(squash)).toEqual(['dock-1 · ant. 2', 'dock-1 · ant. 1']);
  expect(await byId('movement-row-target').allTextContents()).toEqual(['Asset', 'Asset']);
  expect(await byId('movement-row-target').first().getAttribute('href')).toBe(`/fixed-assets/assets/${hoist.id}`);

  // The asset went with its tag: the register has the hoist in the store now, and the movement
  // leads to the asset's page, which says so.
  expect((await api<AssetOut>('GET', `/api/fixed-assets/assets/${hoist.id}`)).locationId).toBe(store.id);
  await byId('movement-row-target').first().click();
  await page.waitForURL(new RegExp(`/fixed-assets/assets/${hoist.id}$`));
  await expect.poll(() => textOf('asset-title')).toBe(`${HOIST_GIAI} · E2E chain hoist`);
  expect(await textOf('asset-location')).toBe('E2E depot / E2E store');

  // --- Tags, unknown ones: the stray tag, last seen in the yard. The admin enrols it to the pallet jack.
  await byId('nav-rfid-tags').click();
  await page.waitForURL(/\/rfid\/tags$/);
  await byId('tags-status-unknown').click();
  await page.waitForURL(/\/rfid\/tags\?status=unknown$/);
  await expect.poll(() => byId('tag-row-epc').allTextContents()).toEqual([STRAY_EPC]);
  const stray = rowOf('tags-table', 'tag-row-epc', STRAY_EPC);
  expect(await cellOf(stray, 'tag-row-unknown')).toBe('Unknown');
  expect(await cellOf(stray, 'tag-row-seen')).toBe('E2E yard');
  expect(await cellOf(stray, 'tag-row-key')).toBe('GIAI 0614141900077');
  await stray.locator('[data-testid="tag-row-enrol"]').click();
  await byId('enrol-tag').waitFor();
  expect(squash(await byId('enrol-tag').textContent())).toContain(STRAY_EPC);
  await byId('enrol-asset').locator('.el-select__wrapper').click();
  await page.keyboard.type('pallet');
  await page.locator('[data-testid="enrol-asset-option"]:visible', { hasText: `${jack.tag} · E2E pallet jack` }).click();
  await byId('enrol-save').click();
  await page.locator('.el-message--success', { hasText: `${STRAY_EPC} enrolled to ${jack.tag} · E2E pallet jack` }).waitFor();
  // Known now: no unknown tag is left, and the list of known tags names the jack.
  await expect.poll(() => byId('tag-row-epc').count()).toBe(0);
  await byId('tags-status-known').click();
  await page.waitForURL(/\/rfid\/tags\?status=known$/);
  await expect.poll(async () => (await byId('tag-row-epc').allTextContents()).sort()).toEqual([HOIST_EPC, STRAY_EPC].sort());
  expect(await cellOf(rowOf('tags-table', 'tag-row-epc', STRAY_EPC), 'tag-row-target')).toBe(`Asset ${jack.tag} · E2E pallet jack`);
  expect(await cellOf(rowOf('tags-table', 'tag-row-epc', HOIST_EPC), 'tag-row-target')).toBe(`Asset ${HOIST_GIAI} · E2E chain hoist`);
  const enrolled = await api<{ tag: TagOut }>('GET', `/api/rfid/tags/${STRAY_EPC}`);
  expect(enrolled.tag.target).toMatchObject({ type: 'fixed-assets.asset', id: jack.id });
  // Enrolling at a desk moves nothing: the jack stays where the register had it.
  expect((await api<AssetOut>('GET', `/api/fixed-assets/assets/${jack.id}`)).locationId).toBe(depot.id);

  // --- Its next movement does: the jack's tag is read inside the store, and the jack moves there.
  await post(zebra(STRAY_EPC, 2, -50, at(30)));
  await expect.poll(async () => (await api<AssetOut>('GET', `/api/fixed-assets/assets/${jack.id}`)).locationId, { timeout: 20_000 }).toBe(store.id);

  await page.screenshot({ path: join(repo, '.test-results', 'e2e-rfid.png') }).catch(() => undefined);
  expect(cspViolations).toEqual([]);
  expect(failed).toEqual([]);
});
