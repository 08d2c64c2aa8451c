import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import type { Platform } from '@quartermaster/core';
import { type ConsoleUnderTest, byTestId, repo, startConsole } from './harness.js';

// The real console, built by Vite, served by the real server on a fresh database, driven by headless Chromium.
const ADMIN = { email: 'e2e-admin@example.test', password: 'e2e admin password' };

let run: ConsoleUnderTest;
let platform: Platform;
let page: Page;
let base: string;

beforeAll(async () => {
  run = await startConsole({ plugins: [], admin: ADMIN, timeoutMs: 15_000 });
  ({ platform, page, base } = run);
});

afterAll(async () => {
  await run?.close();
});

const byId = (id: string) => byTestId(page, id);
const node = (name: string) => page.locator(`[data-testid="location-node"][data-name="${name}"]`);

async function addLocation(parent: string | null, name: string, type?: string) {
  if (parent) await node(parent).locator('[data-testid="location-add-child"]').click();
  else await byId('location-create-root').click();
  await byId('location-form-name').fill(name);
  if (type) {
    await byId('location-form-type').click();
    await page.locator(`[data-testid="option-${type}"]:visible`).click();
  }
  await byId('location-form-save').click();
  await expect.poll(() => node(name).count()).toBe(1);
}

test('an admin signs in, builds a location tree, creates an item, scans it and sees the audit entry', async () => {
  // The console runs under a strict same-origin CSP; any violation would break it, so watch for them.
  const cspViolations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
  });
  const first = await page.goto(base);
  expect(first!.headers()['content-security-policy']).toContain("script-src 'self'");
  expect(first!.headers()['x-frame-options']).toBe('DENY');
  await page.waitForURL(/\/login/);
  // A wrong password shows the server's problem detail and keeps us on the login page.
  await byId('login-email').fill(ADMIN.email);
  await byId('login-password').fill('not the password');
  await byId('login-submit').click();
  await expect.poll(() => byId('login-error').textContent()).toContain('E-mail or password is wrong');

  await byId('login-password').fill(ADMIN.password);
  await byId('login-submit').click();
  await byId('nav-locations').waitFor();

  // Location tree: site > zone > bin.
  await byId('nav-locations').click();
  await addLocation(null, 'Main DC');
  await addLocation('Main DC', 'Zone A');
  await addLocation('Zone A', 'Bin 3-04', 'bin');
  const tree = await platform.orm.em.getConnection().execute(
    `select l.name, l.type, p.name as parent from core_location l left join core_location p on p.id = l.parent_id order by l.created_at`,
  );
  expect(tree).toEqual([
    { name: 'Main DC', type: 'site', parent: null },
    { name: 'Zone A', type: 'zone', parent: 'Main DC' },
    { name: 'Bin 3-04', type: 'bin', parent: 'Zone A' },
  ]);

  // An item with an SKU.
  await byId('nav-items').click();
  await byId('item-create').click();
  await byId('item-name').fill('Cordless drill 18 V');
  await byId('item-identifier-value-0').fill('SKU-1001');
  await byId('item-save').click();
  await page.waitForURL(/\/items\/[0-9a-f-]{36}$/);
  const itemUrl = page.url();
  await expect.poll(() => byId('item-title').textContent()).toContain('Cordless drill 18 V');

  // Scan (type + Enter) from another page: lands on the item.
  await byId('nav-locations').click();
  await page.waitForURL(/\/locations/);
  await byId('scan-box').fill('SKU-1001');
  await byId('scan-box').press('Enter');
  await page.waitForURL(itemUrl);
  await expect.poll(() => byId('item-title').textContent()).toContain('Cordless drill 18 V');

  // The audit log shows who created it.
  await byId('nav-audit-log').click();
  await byId('audit-table').waitFor();
  const itemRow = page.locator('[data-testid="audit-table"] tr', { has: page.locator('[data-testid="audit-entity-type"]', { hasText: 'core.item' }) });
  await expect.poll(() => itemRow.count()).toBeGreaterThanOrEqual(1);
  await expect.poll(() => itemRow.first().locator('[data-testid="audit-action"]').textContent()).toContain('created');
  await expect.poll(() => itemRow.first().textContent()).toContain(ADMIN.email);
  await page.screenshot({ path: join(repo, '.test-results', 'e2e-audit.png') }).catch(() => undefined);

  // Operators' event view opens on failing deliveries; with only the core enabled there are none.
  await byId('nav-event-deliveries').click();
  await byId('deliveries-table').waitFor();
  await expect.poll(() => byId('deliveries-table').textContent()).toContain('Nothing is failing');
  expect(cspViolations).toEqual([]);
});
