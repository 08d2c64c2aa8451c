import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { buildConsoleModule } from '../../../../tooling/console-module/src/index.js';
// The same sandbox the scaffolder's own tests generate into: a temp folder whose node_modules links
// this workspace's packages, so the generated plugin resolves them without an install.
import { childEnv, makeSandbox, type Sandbox } from '../../../../tooling/create-plugin/test/helpers.js';
import { loadProfilePlugins } from '../../src/profile.js';
import { type ConsoleUnderTest, byTestId, repo, startConsole, testIdText } from './harness.js';

// `pnpm create-plugin demo-widget` as a plugin author runs it; the plugin it makes is then enabled
// the way a profile enables a third-party package, and its console page appears in the real console.
const ADMIN = { email: 'widget-admin@example.test', password: 'widget admin password' };

let sandbox: Sandbox;
let run: ConsoleUnderTest;
let page: Page;
let base: string;

beforeAll(async () => {
  sandbox = makeSandbox();
  const created = spawnSync('pnpm', ['create-plugin', 'demo-widget', '--dir', sandbox.dir, '--no-install'], { cwd: repo, env: childEnv(), encoding: 'utf8', timeout: 120_000 });
  expect(created.status, created.stderr + created.stdout).toBe(0);
  const dir = join(sandbox.dir, 'demo-widget');
  expect(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name).toBe('@quartermaster/plugin-demo-widget');

  // Its console page is built the way its `build:console` script builds it, into the folder its definition names.
  const { outDir } = await buildConsoleModule({ root: dir, entry: 'src/console/index.ts', outDir: 'dist/console', pluginId: 'demo-widget' });
  expect(existsSync(join(outDir, 'quartermaster-console.json'))).toBe(true);

  const plugins = await loadProfilePlugins({ plugins: { 'demo-widget': {} }, packages: ['./src/server/index.ts'] }, dir);
  expect(plugins.map((p) => p.id)).toEqual(['demo-widget']);
  run = await startConsole({ plugins, admin: ADMIN, timeoutMs: 15_000 });
  ({ page, base } = run);
}, 240_000);

afterAll(async () => {
  await run?.close();
  sandbox?.remove();
});

const byId = (id: string) => byTestId(page, id);

test('the generated plugin\'s console page appears when it is enabled, and works', async () => {
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(base);
  await page.waitForURL(/\/login/);
  await byId('login-email').fill(ADMIN.email);
  await byId('login-password').fill(ADMIN.password);
  await byId('login-submit').click();

  await byId('nav-demo-widget-widgets').click();
  await page.waitForURL(/\/demo-widget\/widgets$/);
  expect(await testIdText(page, 'demo-widget-widgets-title')).toBe('Widgets');
  // The shell is still around it.
  expect(await byId('nav-items').isVisible()).toBe(true);

  // A widget made in the page goes through the plugin's route into its own table and is listed.
  await byId('demo-widget-widget-name').fill('  Blue   bin ');
  await byId('demo-widget-widget-create').click();
  await expect.poll(() => testIdText(page, 'demo-widget-widgets-table')).toContain('Blue bin');
  const rows = (await run.platform.orm.em.fork().getConnection().execute(`SELECT name FROM demo_widget_widget`)) as { name: string }[];
  expect(rows.map((r) => r.name)).toEqual(['Blue bin']);
  expect(pageErrors).toEqual([]);
});
