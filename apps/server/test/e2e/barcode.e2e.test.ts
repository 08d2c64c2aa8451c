/// <reference lib="dom" />
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { inventoryPlugin } from '@quartermaster/plugin-inventory/server';
import { barcodePlugin } from '@quartermaster/plugin-barcode/server';
import { type ConsoleUnderTest, apiAs, byTestId, repo, startConsole, testIdText } from './harness.js';

// The real console (with the inventory and barcode pages and the barcode plugin's scan resolver in
// the header's scan box), built by Vite, served by the real server with both plugins enabled on a
// fresh database, driven by headless Chromium.
const ADMIN = { email: 'e2e-barcode@example.test', password: 'e2e barcode password' };
/** An example GTIN of the kind GS1 uses in its own documents (prefix 950 is GS1 Global Office's), check digit 3. */
const GTIN = '09501101530003';
const GS = '\u001d';

let run: ConsoleUnderTest;
let page: Page;
let base: string;

beforeAll(async () => {
  run = await startConsole({ plugins: [inventoryPlugin, barcodePlugin], admin: ADMIN, timeoutMs: 20_000 });
  ({ page, base } = run);
});

afterAll(async () => {
  await run?.close();
});

const byId = (id: string) => byTestId(page, id);
const textOf = (id: string) => testIdText(page, id);
/** The header's global scan box (pages may hold scan boxes of their own). */
const headerBox = () => page.locator('[data-testid="scan-box-form"] [data-testid="scan-box"]').first();

/** Fixtures and checks through the API, as the signed-in admin. */
const api = <T>(method: 'GET' | 'POST', path: string, body?: unknown) => apiAs<T>(page, base, method, path, body);

test('scanning a GS1 DataMatrix into the header box opens the lot; an unreceived lot is received from the scan page', { timeout: 240_000 }, async () => {
  const failed: string[] = [];
  page.on('response', (r) => {
    if (r.url().includes('/api/') && r.status() >= 500) failed.push(`${r.status()} ${r.url()}`);
  });
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(base);
  await page.waitForURL(/\/login/);
  await byId('login-email').fill(ADMIN.email);
  await byId('login-password').fill(ADMIN.password);
  await byId('login-submit').click();
  await byId('nav-barcode-scan').waitFor();

  // --- Seed through the API: a lot-tracked item known by its GTIN, and lot AB-123 (expiring
  // 2029-12-31) received into a bin.
  const site = await api<{ id: string }>('POST', '/api/core/locations', { name: 'E2E DC', type: 'site' });
  const bin = await api<{ id: string }>('POST', '/api/core/locations', { name: 'E2E cold room', type: 'bin', parentId: site.id, code: 'E2E-COLD' });
  const item = await api<{ id: string }>('POST', '/api/core/items', {
    name: 'E2E saline 500 ml',
    trackingMode: 'lot',
    identifiers: [{ type: 'gtin', value: GTIN }],
  });
  await api('POST', '/api/inventory/moves', {
    type: 'receipt',
    reference: 'E2E-GRN-1',
    lines: [{ itemId: item.id, qty: '24', toLocationId: bin.id, lot: 'AB-123', expiresOn: '2029-12-31', unitCost: '1.10' }],
  });
  const lots = await api<{ data: { id: string; code: string; expiresOn: string | null }[] }>('GET', `/api/inventory/lots?itemId=${item.id}&code=AB-123`);
  expect(lots.data.map((l) => [l.code, l.expiresOn])).toEqual([['AB-123', '2029-12-31']]);
  const lotId = lots.data[0]!.id;

  // --- A keyboard-wedge scanner set to send the FNC1 separator as the visible "<GS>": the box
  // hands the scan to the barcode plugin first, which opens the lot.
  await headerBox().click();
  await page.keyboard.type(`]d201${GTIN}17291231<GS>10AB-123`, { delay: 2 });
  await page.keyboard.press('Enter');
  await page.waitForURL(new RegExp(`/inventory/lots/${lotId}$`));
  await expect.poll(() => textOf('lot-title')).toBe('Lot AB-123');
  expect(await textOf('lot-on-hand')).toContain('24');

  // --- A real GS between the lot and the expiry (which follows the variable-length lot, so the GS
  // is what ends it): without it the lot would read "AB-12317291231".
  await byId('brand').click();
  await page.waitForURL(`${base}/`);
  await headerBox().click();
  await page.keyboard.insertText(`]d201${GTIN}10AB-123${GS}17291231`);
  await page.keyboard.press('Enter');
  await page.waitForURL(new RegExp(`/inventory/lots/${lotId}$`));
  await expect.poll(() => textOf('lot-title')).toBe('Lot AB-123');

  // --- A lot not received yet: the scan page says so and "Receive this" opens the receipt
  // prefilled with the item, the lot and the expiry.
  await headerBox().click();
  await page.keyboard.insertText(`]d201${GTIN}17300630${GS}10ZZ-9`);
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/barcode\/scan\?data=/);
  await expect.poll(() => textOf('scan-kind')).toBe('Lot');
  expect(await textOf('scan-lot-new')).toBe('Lot ZZ-9 has not been received yet');
  expect(await byId('gs1-el-value').allTextContents()).toEqual([GTIN, '300630', 'ZZ-9']);
  expect(await byId('gs1-el-date').allTextContents()).toEqual(['', '2030-06-30', '']);
  await byId('scan-receive').click();
  await page.waitForURL(/\/inventory\/moves\/new\?/);
  await expect.poll(() => byId('move-line-lot-0').inputValue()).toBe('ZZ-9');
  expect(await byId('move-line-expiry-0').locator('input').inputValue()).toBe('2030-06-30');
  expect(await textOf('move-line-item-0')).toContain('E2E saline 500 ml');
  await byId('move-line-to-0').locator('.el-select__wrapper').click();
  await page.keyboard.type('cold');
  await page.locator('[data-testid="location-option"][data-name="E2E cold room"]:visible').click();
  await byId('move-line-qty-0').fill('6');
  await byId('move-submit').click();
  await page.waitForURL(/\/inventory\/moves\/[0-9a-f-]{36}$/);

  // Now known: the same scan opens the new lot.
  const zz = await api<{ data: { id: string; expiresOn: string | null; onHand: string }[] }>('GET', `/api/inventory/lots?itemId=${item.id}&code=ZZ-9`);
  expect(zz.data.map((l) => [l.expiresOn, Number(l.onHand)])).toEqual([['2030-06-30', 6]]);
  await headerBox().click();
  await page.keyboard.insertText(`]d201${GTIN}17300630${GS}10ZZ-9`);
  await page.keyboard.press('Enter');
  await page.waitForURL(new RegExp(`/inventory/lots/${zz.data[0]!.id}$`));
  await expect.poll(() => textOf('lot-title')).toBe('Lot ZZ-9');

  await page.screenshot({ path: join(repo, '.test-results', 'e2e-barcode.png') }).catch(() => undefined);
  expect(failed).toEqual([]);
});
