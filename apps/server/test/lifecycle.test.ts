import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, test } from 'vitest';

// The real `pnpm start` entry point as a child process: embedded database, first admin, demo data,
// then SIGTERM must stop the HTTP server and the database and exit 0.
const serverDir = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
const tsx = resolve(serverDir, '..', '..', 'node_modules', '.bin', 'tsx');
const dataDir = mkdtempSync(join(tmpdir(), 'qm-lifecycle-'));
chmodSync(dataDir, 0o755); // as root, the embedded server runs as "postgres" and must be able to enter it
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function start() {
  const child = spawn(tsx, ['src/main.ts'], {
    cwd: serverDir,
    env: { ...process.env, DATABASE_URL: '', PORT: '0', QM_DATA_DIR: dataDir, LOG_LEVEL: 'warn', QM_ADMIN_DIST: join(dataDir, 'no-console') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const ready = new Promise<string>((resolveUrl, reject) => {
    const timer = setInterval(() => {
      // Ready once the whole banner is out: its lines may reach the pipe in separate chunks.
      const m = out.match(/Console:\s+(http:\/\/\S+)[\s\S]*Sign in:.*\n/);
      if (m) {
        clearInterval(timer);
        resolveUrl(m[1]);
      }
    }, 100);
    void exited.then((code) => {
      clearInterval(timer);
      reject(new Error(`server exited (${code}) before it was ready:\n${out}`));
    });
  });
  return { child, ready, exited, output: () => out };
}

test('first start prints the console URL and login, serves the API, and SIGTERM stops server and database', async () => {
  const first = start();
  const url = await first.ready;
  expect(first.output()).toMatch(/Sign in:\s+admin@quartermaster\.local \/ \S{16}/);
  expect(first.output()).toContain('(demo data loaded)');
  const health = await fetch(`${url}api/health`);
  expect(health.status).toBe(200);
  const creds = Object.fromEntries(readFileSync(join(dataDir, 'initial-admin.txt'), 'utf8').trim().split('\n').map((l) => l.split('=')));
  const login = await fetch(`${url}api/core/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: creds.email, password: creds.password }) });
  expect(login.status).toBe(200);
  const cookie = login.headers.get('set-cookie')!.split(';')[0];
  const items = (await (await fetch(`${url}api/core/items?limit=1`, { headers: { cookie } })).json()) as { total: number };
  expect(items.total).toBeGreaterThanOrEqual(24);
  // The default profile loads every first-party plugin, each with its demo data.
  const assets = (await (await fetch(`${url}api/fixed-assets/assets?limit=1`, { headers: { cookie } })).json()) as { total: number };
  expect(assets.total).toBeGreaterThanOrEqual(4);
  // The device plugins' demos: trackers with their last positions, readers that have read.
  const trackers = (await (await fetch(`${url}api/gps/trackers`, { headers: { cookie } })).json()) as { data: { lastPosition: unknown; assetId: string | null }[] };
  expect(trackers.data.length).toBeGreaterThanOrEqual(2);
  expect(trackers.data.every((x) => x.lastPosition !== null && x.assetId !== null)).toBe(true);
  const readers = (await (await fetch(`${url}api/core/devices?kind=rfid-reader`, { headers: { cookie } })).json()) as { data: { readingsCount: number }[] };
  expect(readers.data.length).toBe(2);
  expect(readers.data.every((r) => r.readingsCount > 0)).toBe(true);

  expect(existsSync(join(dataDir, 'postgres', 'postmaster.pid'))).toBe(true);
  first.child.kill('SIGTERM');
  expect(await first.exited).toBe(0);
  expect(first.output()).toContain('SIGTERM: shutting down');
  // The embedded PostgreSQL stopped too (it removes its pid file on a clean shutdown).
  expect(existsSync(join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);

  // Second start on the same data: no new admin, no second demo load, same data.
  const second = start();
  const url2 = await second.ready;
  expect(second.output()).not.toContain('(demo data loaded)');
  expect(second.output()).toContain(creds.email);
  const again = await fetch(`${url2}api/core/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: creds.email, password: creds.password }) });
  expect(again.status).toBe(200);
  second.child.kill('SIGINT');
  expect(await second.exited).toBe(0);
}, 120_000);
