import { createHmac } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import type { Platform } from '@quartermaster/core';
import { firstPartyPlugins } from '../../src/plugins.js';
import { seedDemoData } from '../../src/demo-data.js';
import { type ConsoleUnderTest, apiAs, byTestId, repo, startConsole, testIdText } from './harness.js';

// The console as a new user meets it: every first-party plugin, the demo organisation, a fixed
// viewport. Each page is checked for what a reader of the admin guide is told to look for, then
// photographed into docs/public/screenshots, which the guide embeds — so the pictures are
// retaken, and stay true, whenever the suite runs. It is also the browser test of the webhook
// pages: a subscription made in the console, a test ping and a real event to a live receiver.
const ADMIN = { email: 'admin@quartermaster.local', password: 'docs screenshots password' };
const SHOTS = join(repo, 'docs', 'public', 'screenshots');
const VIEWPORT = { width: 1280, height: 800 };

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

let run: ConsoleUnderTest;
let platform: Platform;
let page: Page;
let base: string;
let receiver: Server;
let receiverUrl: string;
const received: Received[] = [];

beforeAll(async () => {
  run = await startConsole({ plugins: firstPartyPlugins, admin: ADMIN, timeoutMs: 30_000 });
  ({ platform, page, base } = run);
  expect(await seedDemoData(platform)).toBe(true);
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/quartermaster`;
  mkdirSync(SHOTS, { recursive: true });
}, 180_000);

afterAll(async () => {
  await run?.close();
  await new Promise((resolve) => (receiver ? receiver.close(resolve) : resolve(undefined)));
});

const byId = (id: string) => byTestId(page, id);
const textOf = (id: string) => testIdText(page, id);
/** The text box of an Element Plus input, whichever element carries the test id. */
const inputOf = (id: string) => page.locator(`input[data-testid="${id}"], [data-testid="${id}"] input`).first();
/** Pages of the full demo platform can take a few seconds on a small machine. */
const poll = <T>(fn: () => T | Promise<T>, opts: { timeout?: number } = {}) => expect.poll(fn, { timeout: opts.timeout ?? 15_000, interval: 100 });
const api = <T>(method: 'GET' | 'POST', path: string, body?: unknown) => apiAs<T>(page, base, method, path, body);
const sql = <T>(query: string, params: unknown[] = []) => platform.orm.em.getConnection().execute<T[]>(query, params);

/** Wait until the page's data has arrived and no table is still loading, then photograph the viewport. */
async function shot(name: string) {
  await page.waitForLoadState('networkidle');
  await poll(() => page.locator('.el-loading-mask:visible').count()).toBe(0);
  // Opening a page from far down the sidebar scrolls the window; the guide shows the top of the page.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.mouse.move(VIEWPORT.width - 1, VIEWPORT.height - 1); // no hover highlight left on the sidebar
  // Let Element Plus finish its enter transitions so the picture is not caught mid-fade.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  await page.screenshot({ path: join(SHOTS, `${name}.png`), animations: 'disabled', caret: 'hide' });
}

async function openNav(testid: string, url: RegExp) {
  await byId(testid).click();
  await page.waitForURL(url);
}

/** A Standard Webhooks signature check, as a receiver does it, over the raw body. */
function signedWith(secret: string, r: Received): boolean {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key).update(`${r.headers['webhook-id']}.${r.headers['webhook-timestamp']}.${r.body}`).digest('base64');
  return String(r.headers['webhook-signature'] ?? '')
    .split(' ')
    .some((s) => s === `v1,${expected}`);
}

test('the admin guide\'s pages show the demo organisation, and a webhook made in the console delivers to a live receiver', { timeout: 600_000 }, async () => {
  const serverErrors: string[] = [];
  page.on('response', (r) => {
    if (r.url().includes('/api/') && r.status() >= 500) serverErrors.push(`${r.status()} ${r.url()}`);
  });
  await page.setViewportSize(VIEWPORT);

  // --- Sign in.
  await page.goto(base);
  await page.waitForURL(/\/login/);
  await byId('login-email').fill(ADMIN.email);
  await byId('login-password').fill(ADMIN.password);
  await shot('login');
  await byId('login-submit').click();

  // --- Dashboard: the demo catalogue's counts.
  await byId('dashboard-items-count').waitFor();
  const [{ items }] = await sql<{ items: number }>(`SELECT count(*)::int AS items FROM core_item WHERE NOT archived`);
  const [{ locations }] = await sql<{ locations: number }>(`SELECT count(*)::int AS locations FROM core_location WHERE NOT archived`);
  expect(items).toBeGreaterThan(20);
  await poll(() => textOf('dashboard-items-count')).toContain(String(items));
  await poll(() => textOf('dashboard-locations-count')).toContain(String(locations));
  for (const nav of ['nav-inventory-stock', 'nav-fixed-assets-assets', 'nav-maintenance-work-orders', 'nav-webhooks', 'nav-event-catalogue']) await byId(nav).waitFor();
  await shot('dashboard');

  // --- Items, and one item's page.
  await openNav('nav-items', /\/items$/);
  await poll(() => textOf('items-table')).toContain('Cordless drill 18 V');
  await shot('items');
  await inputOf('items-search').fill('USB-C charger');
  await inputOf('items-search').press('Enter');
  await poll(() => byId('item-link').count()).toBe(1);
  await byId('item-link').click();
  await page.waitForURL(/\/items\/[0-9a-f-]{36}$/);
  await poll(() => textOf('item-title')).toContain('USB-C charger 65 W');
  await poll(() => textOf('item-identifiers')).toContain('CHG-USBC-65');
  await shot('item-detail');

  // --- The location tree, and the main warehouse.
  await openNav('nav-locations', /\/locations$/);
  await poll(() => textOf('locations-tree')).toContain('Warehouse A');
  await shot('locations');
  await page.locator('[data-testid="location-node"][data-name="Main DC"] [data-testid="location-link"]').first().click();
  await page.waitForURL(/\/locations\/[0-9a-f-]{36}$/);
  await poll(() => textOf('location-title')).toContain('Main DC');
  await shot('location-detail');

  // --- Inventory: what is on hand, and the moves that put it there.
  await openNav('nav-inventory-stock', /\/inventory\/stock/);
  await poll(() => byId('stock-item-link').count()).toBeGreaterThan(0);
  await shot('inventory-stock');
  await openNav('nav-inventory-moves', /\/inventory\/moves/);
  await poll(() => byId('move-link').count()).toBeGreaterThan(0);
  await poll(() => textOf('moves-table')).toMatch(/receipt/i);
  await shot('inventory-moves');

  // --- Fixed assets: the register and one asset.
  await openNav('nav-fixed-assets-assets', /\/fixed-assets\/assets/);
  await poll(() => byId('asset-link').count()).toBeGreaterThan(0);
  await shot('assets');
  const [laptop] = await sql<{ id: string; name: string; tag: string }>(`SELECT id, name, tag FROM fixed_assets_asset WHERE tag LIKE 'LAP-%' ORDER BY tag LIMIT 1`);
  expect(laptop).toBeDefined();
  await page.goto(`${base}/fixed-assets/assets/${laptop.id}`);
  await poll(() => textOf('asset-title')).toContain(laptop.tag);
  await poll(() => textOf('asset-status')).not.toBe('');
  await shot('asset-detail');

  // --- Maintenance: the work order board.
  await openNav('nav-maintenance-work-orders', /\/maintenance\/work-orders/);
  const [open] = await sql<{ number: string; title: string }>(
    `SELECT number, title FROM maintenance_work_order WHERE status IN ('requested', 'approved', 'scheduled', 'in-progress') ORDER BY number LIMIT 1`,
  );
  expect(open).toBeDefined();
  await poll(() => textOf('wo-board')).toContain(open.number);
  await poll(() => textOf('wo-board')).toContain(open.title);
  await shot('work-orders');

  // --- Webhooks: subscribe the receiver to new items in the console.
  await openNav('nav-webhooks', /\/webhooks$/);
  await byId('webhook-create').click();
  await byId('webhook-dialog').waitFor();
  await inputOf('webhook-form-name').fill('Warehouse system');
  await inputOf('webhook-form-url').fill(receiverUrl);
  await byId('webhook-form-events').click();
  await page.locator('[data-testid="webhook-event-core.item.created"]:visible').click();
  await poll(() => textOf('webhook-form-matched')).toMatch(/^\d+ of \d+ declared events selected$/);
  await page.locator('.el-dialog__title:visible', { hasText: 'New webhook' }).click(); // closes the event picker, which covers the fields below it
  await byId('webhook-save').click();
  await byId('webhook-secret-dialog').waitFor();
  const secret = await inputOf('webhook-secret').inputValue();
  expect(secret).toMatch(/^whsec_/);
  await byId('webhook-secret-done').click();
  await page.waitForURL(/\/webhooks\/[0-9a-f-]{36}$/);
  await poll(() => textOf('webhook-url')).toBe(receiverUrl);
  await poll(() => textOf('webhook-status')).toBe('active');

  // A test ping reaches the receiver, signed with the secret just shown, the page says what the
  // receiver answered, and the ping lands in the log as delivered.
  await byId('webhook-test').click();
  await byId('webhook-test-result').waitFor();
  await poll(() => textOf('webhook-test-result')).toContain('The receiver answered HTTP 204');
  await poll(() => received.length).toBe(1);
  expect(JSON.parse(received[0].body)).toMatchObject({ type: 'webhook.ping', data: { name: 'Warehouse system' } });
  expect(signedWith(secret, received[0])).toBe(true);
  const pingRow = page.locator('[data-testid="webhook-deliveries-table"] tr', { hasText: 'webhook.ping' });
  const statusOf = async (row: typeof pingRow) => {
    await byId('webhook-deliveries-refresh').click();
    await poll(() => page.locator('.el-loading-mask:visible').count()).toBe(0);
    if (!(await row.count())) return '';
    return ((await row.first().locator('[data-testid="webhook-delivery-status"]').textContent()) ?? '').trim();
  };
  await poll(() => statusOf(pingRow)).toBe('delivered');

  // A real change: an item created through the API is delivered by the dispatcher after commit.
  const item = await api<{ id: string }>('POST', '/api/core/items', { name: 'Docs demo: label printer ribbon' });
  await poll(() => received.map((r) => JSON.parse(r.body) as { type: string; data: { id?: string } }).find((e) => e.type === 'core.item.created')?.data.id, { timeout: 30_000 }).toBe(item.id);
  expect(received.every((r) => signedWith(secret, r))).toBe(true);
  const deliveredRow = page.locator('[data-testid="webhook-deliveries-table"] tr', { hasText: 'core.item.created' });
  await poll(() => statusOf(deliveredRow), { timeout: 30_000 }).toBe('delivered');
  await page.locator('[data-testid="webhook-test-result"] .el-alert__close-btn').click().catch(() => undefined);
  await shot('webhook-detail');

  await openNav('nav-webhooks', /\/webhooks$/);
  await poll(() => textOf('webhooks-table')).toContain('Warehouse system');
  await poll(() => textOf('webhook-active')).toBe('active');
  await shot('webhooks');

  // --- The event catalogue: what a webhook can subscribe to.
  await openNav('nav-event-catalogue', /\/event-catalogue$/);
  await poll(() => textOf('catalogue-events')).toContain('inventory.move.posted');
  await poll(() => textOf('catalogue-events')).toContain('fixed-assets.asset.disposed');
  await shot('event-catalogue');

  // --- Administration: people and API tokens.
  await openNav('nav-users', /\/users$/);
  await poll(() => textOf('users-table')).toContain(ADMIN.email);
  await shot('users');
  await openNav('nav-api-tokens', /\/api-tokens$/);
  await byId('token-create').waitFor();
  await shot('api-tokens');

  expect(serverErrors).toEqual([]);
});
