import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { createPlatform, ensureAdministrator, type Platform } from '@quartermaster/core';
import { createTestDatabase } from '@quartermaster/testing';

// The real console, built by Vite, served by the real server on a fresh database, driven by headless Chromium.
const repo = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..', '..');
const adminDist = join(repo, 'apps', 'admin', 'dist');
const chromiumPath = process.env.QM_CHROMIUM ?? '/usr/bin/chromium';
const ADMIN = { email: 'e2e-admin@example.test', password: 'e2e admin password' };

let platform: Platform;
let dropDb: () => Promise<void>;
let browser: BrowserContext;
let page: Page;
let base: string;
let profileDir: string;

beforeAll(async () => {
  if (!existsSync(join(adminDist, 'index.html'))) {
    const build = spawnSync('pnpm', ['--filter', '@quartermaster/admin', 'build'], { cwd: repo, stdio: 'inherit' });
    if (build.status !== 0) throw new Error('Building the console failed');
  }
  if (!existsSync(chromiumPath)) throw new Error(`No Chromium at ${chromiumPath}: apt-get install chromium, or set QM_CHROMIUM`);
  const db = await createTestDatabase();
  dropDb = db.drop;
  platform = await createPlatform({ databaseUrl: db.url, plugins: [], profile: { plugins: {} }, adminDist, outbox: { autoStart: true } });
  await ensureAdministrator(platform, ADMIN);
  base = await platform.app.listen({ port: 0, host: '127.0.0.1' });
  profileDir = mkdtempSync(join(tmpdir(), 'qm-chromium-'));
  browser = await chromium.launchPersistentContext(profileDir, {
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  page = browser.pages()[0] ?? (await browser.newPage());
  page.setDefaultTimeout(15_000);
});

afterAll(async () => {
  await browser?.close();
  await platform?.close();
  await dropDb?.();
  if (profileDir) rmSync(profileDir, { recursive: true, force: true });
});

const byId = (id: string) => page.locator(`[data-testid="${id}"]`);
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
