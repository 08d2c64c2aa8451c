import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import type { Platform } from '@quartermaster/core';
import { inventoryPlugin } from '@quartermaster/plugin-inventory/server';
import { type ConsoleUnderTest, apiAs, byTestId, repo, startConsole, testIdText } from './harness.js';

// The real console (with the inventory plugin's pages), built by Vite, served by the real server
// with the inventory plugin enabled on a fresh database, driven by headless Chromium.
const ADMIN = { email: 'e2e-inventory@example.test', password: 'e2e inventory password' };

let run: ConsoleUnderTest;
let platform: Platform;
let page: Page;
let base: string;

beforeAll(async () => {
  run = await startConsole({ plugins: [inventoryPlugin], admin: ADMIN, timeoutMs: 20_000 });
  ({ platform, page, base } = run);
});

afterAll(async () => {
  await run?.close();
});

const byId = (id: string) => byTestId(page, id);
const textOf = (id: string) => testIdText(page, id);
/** The move form's line scanner (the shell's header has a scan box of its own). */
const scanIn = async (within: string, value: string) => {
  const box = page.locator(`[data-testid="${within}"] [data-testid="scan-box"]`);
  await expect.poll(() => box.isEnabled()).toBe(true);
  await box.fill(value);
  await box.press('Enter');
};
/** Open a picker, take the option with that name, and wait for its dropdown to close. */
const pick = async (testid: string, option: 'location-option' | 'item-option', name: string, type?: string) => {
  await byId(testid).locator('.el-select__wrapper').click();
  if (type) await page.keyboard.type(type);
  await page.locator(`[data-testid="${option}"][data-name="${name}"]:visible`).click();
  await expect.poll(() => page.locator(`[data-testid="${option}"]:visible`).count()).toBe(0);
};
const pickLocation = (testid: string, name: string) => pick(testid, 'location-option', name);
const confirmBox = () => page.locator('.el-message-box__btns .el-button--primary').click();

/** Fixtures and checks through the API, as the signed-in admin. */
const api = <T>(method: 'GET' | 'POST', path: string, body?: unknown) => apiAs<T>(page, base, method, path, body);

test('receive by scanning, transfer, count blind with a variance, and see the value change', { timeout: 240_000 }, async () => {
  const failed: string[] = [];
  page.on('response', (r) => {
    if (r.url().includes('/api/') && r.status() >= 500) failed.push(`${r.status()} ${r.url()}`);
  });
  await page.goto(base);
  await page.waitForURL(/\/login/);
  await byId('login-email').fill(ADMIN.email);
  await byId('login-password').fill(ADMIN.password);
  await byId('login-submit').click();
  await byId('nav-inventory-stock').waitFor();

  // Main DC › Bin A, Bin B (each with a scannable code) and an item with an SKU.
  const dc = await api<{ id: string }>('POST', '/api/core/locations', { name: 'Main DC', type: 'site' });
  const binA = await api<{ id: string }>('POST', '/api/core/locations', { name: 'Bin A', type: 'bin', parentId: dc.id, code: 'BIN-A' });
  const binB = await api<{ id: string }>('POST', '/api/core/locations', { name: 'Bin B', type: 'bin', parentId: dc.id, code: 'BIN-B' });
  for (const [loc, code] of [[binA, 'BIN-A'], [binB, 'BIN-B']] as const) {
    await api('POST', '/api/core/identifiers', { type: 'custom', value: code, targetType: 'core.location', targetId: loc.id });
  }
  const item = await api<{ id: string }>('POST', '/api/core/items', { name: 'E2E cordless drill', identifiers: [{ type: 'sku', value: 'SKU-E2E-1' }] });

  // --- Receive by scanning: the bin, then the SKU twice; the cost typed; posted.
  await byId('nav-inventory-moves').click();
  await byId('move-create').click();
  await byId('move-form').waitFor();
  await scanIn('move-scan', 'BIN-A');
  await expect.poll(() => textOf('move-scan-last')).toBe('To Main DC / Bin A');
  await scanIn('move-scan', 'SKU-E2E-1');
  await expect.poll(() => textOf('move-scan-last')).toBe('E2E cordless drill: 1 ea');
  await scanIn('move-scan', 'SKU-E2E-1');
  await expect.poll(() => textOf('move-scan-last')).toBe('E2E cordless drill: 2 ea');
  await expect.poll(() => byId('move-line-qty-0').inputValue()).toBe('2');
  await expect.poll(() => textOf('move-line-to-0')).toContain('Main DC / Bin A');
  await byId('move-line-unit-cost-0').fill('7.50');
  await byId('move-submit').click();
  await page.waitForURL(/\/inventory\/moves\/[0-9a-f-]{36}$/);
  await expect.poll(() => textOf('move-type-tag')).toBe('Receipt');
  await expect.poll(() => textOf('move-line-qty')).toBe('2 ea');
  await expect.poll(() => textOf('move-line-amount')).toBe('15.00');

  // --- Transfer one to Bin B through the form: from and to picked, the quantity typed.
  await byId('nav-inventory-moves').click();
  await byId('move-create').click();
  await byId('move-form').waitFor();
  await byId('move-type-transfer').click();
  await pick('move-line-item-0', 'item-option', 'E2E cordless drill', 'E2E');
  await pickLocation('move-line-from-0', 'Bin A');
  await pickLocation('move-line-to-0', 'Bin B');
  await byId('move-line-qty-0').fill('1');
  await byId('move-submit').click();
  await page.waitForURL(/\/inventory\/moves\/[0-9a-f-]{36}$/);
  await expect.poll(() => textOf('move-type-tag')).toBe('Transfer');

  // The value is what was received: a transfer does not change it.
  await byId('nav-inventory-valuation').click();
  await expect.poll(() => textOf('valuation-total')).toContain('Total value 15.00');

  // --- A blind count of Bin B finds 3 where 1 is expected.
  await byId('nav-inventory-counts').click();
  await byId('count-create').click();
  await byId('count-name').fill('Bin B spot check');
  await pickLocation('count-location', 'Bin B');
  await expect.poll(() => byId('count-blind').locator('input').isChecked()).toBe(true);
  await byId('count-save').click();
  await page.waitForURL(/\/inventory\/counts\/[0-9a-f-]{36}$/);
  await expect.poll(() => textOf('count-title')).toBe('Count 1: Bin B spot check');
  await expect.poll(() => textOf('count-line')).toBe('E2E cordless drill');
  // Blind: counters do not see what is expected.
  expect(await byId('count-line-expected').count()).toBe(0);
  expect(await page.locator('[data-testid="count-group"] th', { hasText: 'Expected' }).count()).toBe(0);
  // Scan the shelf and the drill (1), then correct by hand to what is really there.
  await scanIn('count-scan', 'BIN-B');
  await expect.poll(() => textOf('count-scan-location')).toBe('At Main DC / Bin B');
  await scanIn('count-scan', 'SKU-E2E-1');
  await expect.poll(() => byId('count-line-qty-0').inputValue()).toBe('1');
  await byId('count-line-qty-0').fill('3');
  await byId('count-finish').click();
  // Beyond the 0 % tolerance: counted again.
  await expect.poll(() => textOf('count-recount-banner')).toContain('1 line is beyond the tolerance');
  await byId('count-line-qty-0').fill('3');
  await byId('count-finish').click();
  await expect.poll(() => textOf('count-status')).toBe('review');
  await expect.poll(() => textOf('count-variance')).toBe('2');
  await expect.poll(() => textOf('count-variance-value')).toBe('15.00');
  await expect.poll(() => textOf('count-total-value')).toBe('Value impact 15.00');
  const review = page.locator('[data-testid="count-review-table"] tbody tr').first();
  await expect.poll(async () => (await review.locator('td').allTextContents()).slice(0, 5).map((t) => t.trim())).toEqual(['Bin B', 'E2E cordless drill', '1', '3', '3']);
  await byId('count-post').click();
  await confirmBox();
  await expect.poll(() => textOf('count-status')).toBe('posted');
  await byId('count-move-link').waitFor();

  // --- The valuation shows the found stock at the current unit cost: 4 × 7.50.
  await byId('nav-inventory-valuation').click();
  await expect.poll(() => textOf('valuation-total')).toContain('Total value 30.00');
  await expect.poll(() => textOf('valuation-value')).toBe('30.00');
  const valRow = page.locator('[data-testid="valuation-table"] tbody tr').first();
  await expect.poll(async () => (await valRow.locator('td').allTextContents()).map((t) => t.trim())).toEqual(['E2E cordless drill', '4', '30.00']);

  // --- The item's stock panel agrees: 4 on hand (1 in Bin A, 3 in Bin B), worth 30.00.
  await valRow.locator('a').click();
  await page.waitForURL(new RegExp(`/items/${item.id}$`));
  await expect.poll(() => textOf('item-stock-on-hand')).toBe('4');
  await expect.poll(() => textOf('item-stock-value')).toBe('30.00');
  const panelRows = page.locator('[data-testid="item-stock-locations"] tbody tr');
  await expect.poll(async () => (await panelRows.allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim())).toEqual([
    expect.stringMatching(/Bin A.*1\s*1$/),
    expect.stringMatching(/Bin B.*3\s*3$/),
  ]);

  // The ledger agrees with the screen.
  const balances: { name: string; on_hand: string }[] = await platform.orm.em.getConnection().execute(
    `SELECT l.name, b.on_hand::text AS on_hand FROM inventory_balance b JOIN core_location l ON l.id = b.location_id WHERE b.item_id = ? ORDER BY l.name`,
    [item.id],
  );
  expect(balances.map((b) => [b.name, b.on_hand])).toEqual([
    ['Bin A', '1.0000000000'],
    ['Bin B', '3.0000000000'],
  ]);
  await page.screenshot({ path: join(repo, '.test-results', 'e2e-inventory.png') }).catch(() => undefined);
  expect(failed).toEqual([]);
});
