import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { definePlugin, deviceIngestion } from '@quartermaster/sdk';
import { buildConsoleModule } from '../../../../tooling/console-module/src/index.js';
import { loadProfilePlugins } from '../../src/profile.js';
import { type ConsoleUnderTest, apiAs, byTestId, repo, startConsole, testIdText } from './harness.js';

// A plugin installed as a package (Tasmota, loaded the way a profile's `packages` loads it) brings
// its console pages as a module built on its own, loaded by the real console at run time.
const ADMIN = { email: 'modules-admin@example.test', password: 'modules admin password' };
const tasmotaRoot = join(repo, 'plugins', 'tasmota');

let run: ConsoleUnderTest;
let page: Page;
let base: string;
let solarDir: string;
let tasmotaDir: string;

beforeAll(async () => {
  // The module is built here, as its author would; into a folder of this test's own (the package's
  // dist/console is what the validator's test reads meanwhile), which Tasmota's definition is then pointed at.
  tasmotaDir = mkdtempSync(join(tmpdir(), 'qm-tasmota-console-'));
  const { outDir, manifest } = await buildConsoleModule({ root: tasmotaRoot, entry: 'src/console/index.ts', outDir: tasmotaDir, pluginId: 'tasmota' });
  expect(outDir).toBe(tasmotaDir);
  // A second plugin whose module was built against another Vue: a copy with its manifest changed.
  solarDir = mkdtempSync(join(tmpdir(), 'qm-solar-console-'));
  cpSync(outDir, solarDir, { recursive: true });
  writeFileSync(join(solarDir, 'quartermaster-console.json'), JSON.stringify({ ...manifest, id: 'solar', shared: { ...manifest.shared, vue: '4.0.0' } }));
  const solar = definePlugin({ id: 'solar', version: '1.0.0', compatibility: '^0.1.0', displayName: 'Solar inverters', console: { dir: solarDir } });

  const packaged = await loadProfilePlugins({ plugins: { tasmota: {} }, packages: ['./src/server.ts'] }, tasmotaRoot);
  expect(packaged.map((p) => p.id)).toEqual(['tasmota']);
  expect(packaged[0].console?.dir).toBe(join(tasmotaRoot, 'dist', 'console'));
  run = await startConsole({
    plugins: [{ ...packaged[0], console: { dir: tasmotaDir } }, solar],
    admin: ADMIN,
    timeoutMs: 15_000,
    coreOptions: { devices: { mqtt: { mode: 'embedded', port: 0 } } },
  });
  ({ page, base } = run);
});

afterAll(async () => {
  await run?.close();
  if (solarDir) rmSync(solarDir, { recursive: true, force: true });
  if (tasmotaDir) rmSync(tasmotaDir, { recursive: true, force: true });
});

const byId = (id: string) => byTestId(page, id);

async function signIn() {
  await page.goto(base);
  await page.waitForURL(/\/login/);
  await byId('login-email').fill(ADMIN.email);
  await byId('login-password').fill(ADMIN.password);
  await byId('login-submit').click();
  await byId('nav-items').waitFor();
}

test('the Tasmota module renders its page inside the shell with real readings, on the shell\'s Vue, Pinia and router', async () => {
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await signIn();

  // A Tasmota plug registered and publishing a SENSOR message on its topic.
  const { device, key } = await apiAs<{ device: { id: string }; key: string }>(page, base, 'POST', '/api/core/devices', {
    code: 'compressor-plug',
    name: 'Compressor plug',
    kind: 'sensor',
    adapter: 'tasmota',
  });
  const ingestion = run.platform.context('core').services.get(deviceIngestion);
  const sensor = { Time: '2026-11-24T10:30:00', ENERGY: { Total: 1234.567, Power: 742 }, DS18B20: { Temperature: 21.5 }, TempUnit: 'C' };
  await ingestion.ingest({ key, transport: 'mqtt', topic: 'quartermaster/devices/compressor-plug/tele/SENSOR', body: sensor, text: JSON.stringify(sensor), source: 'e2e' });
  await ingestion.idle();

  await byId('nav-tasmota-tasmota-devices').click();
  await page.waitForURL(/\/tasmota\/devices$/);
  const card = page.locator('[data-testid="tasmota-device"][data-code="compressor-plug"]');
  await expect.poll(() => card.locator('[data-testid="tasmota-reading"]').count()).toBe(3);
  // Channel, value with unit, time of the reading: one table cell each.
  const readings = (await card.locator('[data-testid="tasmota-reading"]').allInnerTexts()).map((t) => t.split('\t').slice(0, 2).map((c) => c.trim()));
  expect(readings).toEqual([['DS18B20.Temperature', '21.5 °C'], ['ENERGY.Power', '742 W'], ['ENERGY.Total', '1234.567 kWh']]);
  expect(await card.locator('[data-testid="tasmota-device-health"]').textContent()).toBe('ok');
  expect(await card.locator('[data-testid="tasmota-topic"]').textContent()).toBe('quartermaster/devices/compressor-plug/tele/SENSOR');
  const command = (await card.locator('[data-testid="tasmota-setup-command"]').textContent()) ?? '';
  expect(command).toMatch(/^Backlog MqttHost 127\.0\.0\.1; MqttPort \d+; MqttUser compressor-plug; MqttPassword <device key>; Topic compressor-plug; FullTopic quartermaster\/devices\/%topic%\/%prefix%\/$/);
  expect(await testIdText(page, 'tasmota-broker')).toContain('connected');

  // Inside the shell: its nav and user menu are still there, and the page sees the same session.
  expect(await byId('nav-items').isVisible()).toBe(true);
  const shellUser = (await testIdText(page, 'user-menu-button')).trim();
  await expect.poll(() => testIdText(page, 'tasmota-user')).toBe(`Signed in as ${shellUser}.`);
  // The module's stylesheet is loaded (its scoped rule makes values bold).
  expect(await card.locator('[data-testid="tasmota-reading"] td').first().evaluate((el) => getComputedStyle(el).fontWeight)).toBe('600');
  // The module's store lives in the shell's Pinia: leaving and coming back keeps it, no reload.
  await byId('nav-items').click();
  await page.waitForURL(/\/items$/);
  await page.goBack();
  await expect.poll(() => card.locator('[data-testid="tasmota-reading"]').count()).toBe(3);
  // The device link is the shell's own router: the core device page opens in place.
  await card.locator('[data-testid="tasmota-device-name"]').click();
  await page.waitForURL(new RegExp(`/devices/${device.id}$`));
  expect(pageErrors).toEqual([]);

  // Hashed chunks are cached for good, the entry is revalidated.
  const manifest = JSON.parse(readFileSync(join(tasmotaRoot, 'dist', 'console', 'quartermaster-console.json'), 'utf8'));
  const entry = await page.request.get(`${base}/console-modules/tasmota/${manifest.entry}`);
  expect(entry.headers()['cache-control']).toBe('no-cache');
  const css = await page.request.get(`${base}/console-modules/tasmota/${manifest.css[0]}`);
  expect(css.headers()['cache-control']).toBe('public, max-age=31536000, immutable');
});

test('a module built against an incompatible Vue shows an error panel with the versions, not a blank page', async () => {
  await page.goto(`${base}/`);
  await byId('nav-solar-solar-inverters').click();
  await page.waitForURL(/\/solar$/);
  await byId('console-module-error').waitFor();
  expect(await testIdText(page, 'console-module-error-plugin')).toBe('Solar inverters');
  const row = (await byId('console-module-error-row').innerText()).split('\t').map((c) => c.trim());
  expect(row).toEqual(['vue', '4.0.0', expect.stringMatching(/^3\.\d+\.\d+$/), 'different major versions']);
  expect(await testIdText(page, 'console-module-error-action')).toContain("rebuild the plugin's console module against this console");
  expect(await testIdText(page, 'shell-load-error')).toContain('Solar inverters: its pages cannot be shown (built against vue 4.0.0');
  // A deep link into the plugin explains itself too, and the other module still works.
  await page.goto(`${base}/solar/inverters/7`);
  await byId('console-module-error').waitFor();
  await byId('nav-tasmota-tasmota-devices').click();
  await byId('tasmota-page').waitFor();
});
