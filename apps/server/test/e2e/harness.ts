import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { PluginDefinition } from '@quartermaster/sdk';
import { createPlatform, ensureAdministrator, type Platform } from '@quartermaster/core';
import { createTestDatabase } from '@quartermaster/testing';

export const repo = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..', '..');
const adminDist = join(repo, 'apps', 'admin', 'dist');
const chromiumPath = process.env.QM_CHROMIUM ?? '/usr/bin/chromium';

export interface ConsoleUnderTest {
  platform: Platform;
  page: Page;
  /** The server's base URL. */
  base: string;
  close(): Promise<void>;
}

/**
 * The real console, built by Vite (once, if missing), served by the real server with these plugins
 * on a fresh database, driven by headless Chromium.
 */
export async function startConsole(opts: {
  plugins: PluginDefinition<any>[];
  admin: { email: string; password: string };
  timeoutMs?: number;
  /** The core's options (`profile.plugins.core`), e.g. an embedded MQTT broker. */
  coreOptions?: Record<string, unknown>;
}): Promise<ConsoleUnderTest> {
  if (!existsSync(join(adminDist, 'index.html'))) {
    const build = spawnSync('pnpm', ['--filter', '@quartermaster/admin', 'build'], { cwd: repo, stdio: 'inherit' });
    if (build.status !== 0) throw new Error('Building the console failed');
  }
  if (!existsSync(chromiumPath)) throw new Error(`No Chromium at ${chromiumPath}: apt-get install chromium, or set QM_CHROMIUM`);
  const db = await createTestDatabase();
  const profile = { plugins: { ...Object.fromEntries(opts.plugins.map((p) => [p.id, {}])), ...(opts.coreOptions ? { core: opts.coreOptions } : {}) } };
  const platform = await createPlatform({ databaseUrl: db.url, plugins: opts.plugins, profile, adminDist, outbox: { autoStart: true } });
  let browser: BrowserContext | undefined;
  const profileDir = mkdtempSync(join(tmpdir(), 'qm-chromium-'));
  const close = async () => {
    await browser?.close();
    await platform.close();
    await db.drop();
    rmSync(profileDir, { recursive: true, force: true });
  };
  try {
    await ensureAdministrator(platform, opts.admin);
    const base = await platform.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await chromium.launchPersistentContext(profileDir, {
      executablePath: chromiumPath,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    });
    const page = browser.pages()[0] ?? (await browser.newPage());
    page.setDefaultTimeout(opts.timeoutMs ?? 15_000);
    return { platform, page, base, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/** The element(s) with this `data-testid`. */
export const byTestId = (page: Page, id: string) => page.locator(`[data-testid="${id}"]`);

/** The text of the first element with this `data-testid`, whitespace squashed as a reader sees it. */
export const testIdText = async (page: Page, id: string) => ((await byTestId(page, id).first().textContent()) ?? '').replace(/\s+/g, ' ').trim();

/**
 * A call to the API as the signed-in user (the browser's session cookie and CSRF token), for
 * fixtures and checks beside what the test does through the console. A non-2xx answer throws.
 */
export async function apiAs<T>(page: Page, base: string, method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<T> {
  const session = (await (await page.request.get(`${base}/api/core/session`)).json()) as { csrfToken: string };
  const res = await page.request.fetch(`${base}${path}`, { method, data: body, headers: { 'x-csrf-token': session.csrfToken } });
  if (!res.ok()) throw new Error(`${method} ${path}: ${res.status()} ${await res.text()}`);
  return (await res.json()) as T;
}
