/// <reference lib="dom" />
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { inventoryPlugin } from '@quartermaster/plugin-inventory/server';
import { fixedAssetsPlugin } from '@quartermaster/plugin-fixed-assets/server';
import { maintenancePlugin } from '@quartermaster/plugin-maintenance/server';
import { type ConsoleUnderTest, apiAs, byTestId, repo, startConsole, testIdText } from './harness.js';

// The real console (with the inventory, fixed-assets and maintenance pages), built by Vite, served
// by the real server with the three plugins enabled (the maintenance scheduler running on pg-boss)
// on a fresh database, driven by headless Chromium.
const ADMIN = { email: 'e2e-maintenance@example.test', password: 'e2e maintenance password' };

let run: ConsoleUnderTest;
let page: Page;
let base: string;

beforeAll(async () => {
  run = await startConsole({ plugins: [inventoryPlugin, fixedAssetsPlugin, maintenancePlugin], admin: ADMIN, timeoutMs: 20_000 });
  ({ page, base } = run);
});

afterAll(async () => {
  await run?.close();
});

const byId = (id: string) => byTestId(page, id);
const textOf = (id: string) => testIdText(page, id);
/** A plain select (its test id on the root): open it and take the option `option-<value>`. */
const choose = async (testid: string, value: string) => {
  await byId(testid).locator('.el-select__wrapper').click();
  await page.locator(`[data-testid="option-${value}"]:visible`).click();
};

/** Fixtures and checks through the API, as the signed-in admin. */
const api = <T>(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown) => apiAs<T>(page, base, method, path, body);

interface AssetOut {
  id: string;
  tag: string;
  status: string;
}

test('file a breakdown by scanning an asset, repair it with a checklist and a spare part from stock, see it back in service with the cost', { timeout: 300_000 }, async () => {
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
  await byId('nav-maintenance-work-orders').waitFor();
  await byId('nav-maintenance-report-a-breakdown').waitFor();

  // --- Seed through the API: a workshop with a stores bin holding 5 V-belts received at 12.40, the
  // failure codes, a checklist template, the admin's labour rate, and the conveyor drive in service.
  const session = await api<{ user: { id: string } }>('GET', '/api/core/session');
  const site = await api<{ id: string }>('POST', '/api/core/locations', { name: 'E2E plant', type: 'site' });
  const stores = await api<{ id: string }>('POST', '/api/core/locations', { name: 'E2E stores', type: 'bin', parentId: site.id, code: 'E2E-STORES' });
  const belt = await api<{ id: string }>('POST', '/api/core/items', { name: 'E2E V-belt SPA 1250', identifiers: [{ type: 'sku', value: 'E2E-BLT-1250' }] });
  await api('POST', '/api/inventory/moves', { type: 'receipt', reference: 'E2E-PO-1', lines: [{ itemId: belt.id, qty: '5', toLocationId: stores.id, unitCost: '12.40' }] });
  for (const [kind, code, description] of [
    ['problem', 'NOISE', 'Abnormal noise or vibration'],
    ['cause', 'WEAR', 'Normal wear and tear'],
    ['remedy', 'REPLACE', 'Part replaced'],
  ]) {
    await api('POST', '/api/maintenance/failure-codes', { kind, code, description });
  }
  await api('POST', '/api/maintenance/checklist-templates', {
    name: 'E2E drive check after repair',
    items: [
      { kind: 'check', label: 'Belt guard refitted' },
      { kind: 'reading', label: 'Vibration at the motor bearing', unit: 'mm/s', max: '4.5' },
      { kind: 'text', label: 'Notes', required: false },
    ],
  });
  await api('PUT', `/api/maintenance/technicians/${session.user.id}`, { hourlyRate: '60.00' });
  const asset = await api<AssetOut>('POST', '/api/fixed-assets/assets', { name: 'E2E conveyor drive', status: 'in-service', locationId: site.id, acquisitionCost: '4000.00', currency: 'EUR' });
  const assetStatus = async () => (await api<AssetOut>('GET', `/api/fixed-assets/assets/${asset.id}`)).status;

  // --- Report the breakdown by scanning the asset's tag (a keyboard-wedge scanner: the code, then Enter).
  await byId('nav-maintenance-report-a-breakdown').click();
  await byId('breakdown-page').waitFor();
  // The code field's `autofocus` only works on a fresh page load, not when the page is opened from
  // the navigation (reported): the reporter taps the field, then scans.
  await byId('breakdown-code').click();
  await page.keyboard.type(asset.tag, { delay: 5 });
  await page.keyboard.press('Enter');
  await expect.poll(() => textOf('breakdown-asset')).toContain(`${asset.tag} · E2E conveyor drive`);
  // The scanner's Enter moved on to the description.
  await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('breakdown-description');
  await page.keyboard.type('Drive belt squeals and slips under load', { delay: 2 });
  await byId('breakdown-asset-down').locator('.el-switch').click();
  await choose('breakdown-problem-code', 'NOISE');
  await byId('breakdown-submit').click();
  await byId('breakdown-done').waitFor();
  expect(await textOf('breakdown-created-asset')).toBe(`${asset.tag} · E2E conveyor drive`);
  const number = await textOf('breakdown-number');
  expect(number).toMatch(/^WO-\d{6}$/);

  // --- The work order: requested, corrective, the asset down; the problem code the reporter chose.
  await byId('breakdown-number').click();
  await page.waitForURL(/\/maintenance\/work-orders\/[0-9a-f-]{36}$/);
  const workOrderId = page.url().split('/').pop()!;
  await expect.poll(() => textOf('wo-status')).toBe('Requested');
  expect(await textOf('wo-number')).toBe(number);
  expect(await textOf('wo-type')).toBe('Corrective');
  await byId('wo-asset-down').waitFor();
  expect(await textOf('wo-asset')).toBe(`${asset.tag} · E2E conveyor drive`);
  expect(await textOf('wo-failure-codes')).toBe('Problem NOISE');
  // No checklist came with the report: the technician adds one from a template.
  await page.locator('#tab-checklist').click();
  await byId('checklist-empty').waitFor();
  await byId('checklist-template').locator('.el-select__wrapper').click();
  await page.locator('[data-testid="template-option"][data-name="E2E drive check after repair"]:visible').click();
  await byId('checklist-template-add').click();
  await expect.poll(() => textOf('checklist-progress')).toBe('0 of 3 answered');
  expect(await byId('checklist-empty').count()).toBe(0);
  expect((await api<{ history: { type: string }[] }>('GET', `/api/maintenance/work-orders/${workOrderId}`)).history.at(-1)!.type).toBe('checklist-added');
  await byId('checklist-locked').waitFor();

  // Approve, then start: the repair takes the asset out of service.
  await byId('wo-action-approve').click();
  await expect.poll(() => textOf('wo-status')).toBe('Approved');
  expect(await assetStatus()).toBe('in-service');
  await byId('wo-action-start').click();
  await expect.poll(() => textOf('wo-status')).toBe('In progress');
  await expect.poll(assetStatus).toBe('in-maintenance');
  expect(await textOf('wo-complete-hint')).toBe('2 checklist item(s) still block completion.');

  // --- The checklist: the guard passes, the vibration reading is within its limit; the notes are optional.
  await page.locator('#tab-checklist').click();
  const item = (kind: string) => page.locator(`[data-testid="checklist-item"][data-kind="${kind}"]`);
  await item('check').locator('[data-testid="checklist-pass"]').click();
  await expect.poll(() => item('check').getAttribute('data-state')).toBe('done');
  expect(await item('check').locator('[data-testid="checklist-pass"]').getAttribute('aria-pressed')).toBe('true');
  expect(await item('reading').locator('[data-testid="checklist-range"]').textContent()).toBe('at most 4.5 mm/s');
  await item('reading').locator('[data-testid="checklist-value"]').fill('2,8');
  await item('reading').locator('[data-testid="checklist-value"]').press('Tab');
  await expect.poll(() => item('reading').getAttribute('data-state')).toBe('done');
  await expect.poll(() => item('reading').locator('[data-testid="checklist-saved"]').getAttribute('data-state')).toBe('saved');
  await expect.poll(() => textOf('checklist-progress')).toBe('2 of 3 answered');
  await byId('checklist-complete').waitFor();
  expect(await byId('wo-complete-hint').count()).toBe(0);

  // --- A spare part from stock: two V-belts from the stores bin, reserved at once (the work runs).
  await page.locator('#tab-parts').click();
  await expect.poll(() => textOf('parts-mode')).toContain('Stock is reserved');
  expect(await byId('part-unit-cost').count()).toBe(0);
  await byId('part-item').locator('.el-select__wrapper').click();
  await page.keyboard.type('E2E V-belt');
  await page.locator('[data-testid="item-option"][data-name="E2E V-belt SPA 1250"]:visible').click();
  await byId('part-qty').fill('2');
  await byId('part-location').locator('.el-select__wrapper').click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: 'E2E stores' }).first().click();
  await byId('part-add').click();
  await expect.poll(() => textOf('part-row-item')).toBe('E2E V-belt SPA 1250');
  await expect.poll(() => textOf('part-row-status')).toBe('Reserved');
  expect(await textOf('part-row-qty')).toBe('2');

  // --- Labour: 45 minutes booked by the signed-in technician at their rate of 60.00 an hour.
  await page.locator('#tab-labour').click();
  await byId('labour-minutes').fill('45');
  await byId('labour-note').fill('Belt replaced and tensioned');
  await byId('labour-add').click();
  await expect.poll(() => textOf('labour-row-minutes')).toBe('45 min');
  await expect.poll(() => textOf('labour-cost')).toBe('45.00 EUR');
  expect(await textOf('labour-row-cost')).toBe('45.00 EUR');

  // --- Complete: corrective work names its cause and remedy (the problem is the reporter's).
  await byId('wo-action-complete').click();
  await byId('action-dialog').waitFor();
  await expect.poll(() => byId('action-problem-code').locator('.el-select__wrapper').textContent()).toContain('NOISE');
  await choose('action-cause-code', 'WEAR');
  await choose('action-remedy-code', 'REPLACE');
  expect(await byId('action-part-qty-0').inputValue()).toBe('2');
  await byId('action-completion-note').fill('Worn belt replaced; vibration 2.8 mm/s after the repair.');
  await byId('action-submit').click();
  await expect.poll(() => textOf('wo-status')).toBe('Completed');
  expect(await textOf('wo-failure-codes')).toBe('Problem NOISE · Cause WEAR · Remedy REPLACE');
  // The belts were issued from stock at their receipt cost: 2 × 12.40; with the labour, 69.80 posted to the asset.
  expect(await textOf('wo-cost-parts')).toBe('24.80 EUR');
  expect(await textOf('wo-cost-labour')).toBe('45.00 EUR');
  expect(await textOf('wo-cost-total')).toBe('69.80 EUR');
  expect(await textOf('wo-cost-posted')).toBe('69.80 EUR');
  await page.locator('#tab-parts').click();
  await expect.poll(() => textOf('part-row-status')).toBe('Issued');
  const stock = await api<{ onHand: string; reserved: string }>('GET', `/api/inventory/items/${belt.id}/stock`);
  expect([Number(stock.onHand), Number(stock.reserved)]).toEqual([3, 0]);

  // --- The asset, in the fixed-assets console: back in service.
  await byId('wo-asset').click();
  await page.waitForURL(new RegExp(`/fixed-assets/assets/${asset.id}$`));
  await expect.poll(() => textOf('asset-status')).toBe('In service');
  expect(await textOf('asset-title')).toContain(asset.tag);
  await page.locator('#tab-history').click();
  await expect.poll(() => page.locator('[data-testid="history-event"]').count()).toBeGreaterThanOrEqual(3);

  // ...and its cost of ownership: the repair on top of the acquisition cost.
  await byId('nav-fixed-assets-reports').click();
  await page.locator('#tab-tco').click();
  await byId('report-tco-refresh').click();
  const row = page.locator('[data-testid="report-tco-table"] .el-table__body tr', { has: page.locator(`[data-testid="report-tco-tag"]:text-is("${asset.tag}")`) });
  await expect.poll(() => row.locator('[data-testid="report-tco-total-cost"]').textContent()).toBe('4069.80 EUR');
  const cells = (await row.locator('td').allTextContents()).map((c) => c.replace(/\s+/g, ' ').trim());
  expect(cells).toContain('69.80');
  const tco = await api<{ data: { tag: string; costs: Record<string, string>; total: string }[] }>('GET', '/api/fixed-assets/reports/total-cost-of-ownership');
  expect(tco.data.find((r) => r.tag === asset.tag)).toMatchObject({ total: '4069.80', costs: { repair: '69.80' } });

  await page.screenshot({ path: join(repo, '.test-results', 'e2e-maintenance.png') }).catch(() => undefined);
  expect(failed).toEqual([]);
});
