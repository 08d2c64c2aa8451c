import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createPlatform, migratePlatform, upsertAdministrator, type Platform } from '@quartermaster/core';
import { createTestDatabase } from '@quartermaster/testing';
import { readConfig } from '../src/config.js';
import { readProfile, loadProfilePlugins } from '../src/profile.js';
import { gs1CheckDigit, seedDemoData } from '../src/demo-data.js';
import { bootstrapAdmin } from '../src/admin-bootstrap.js';

describe('configuration', () => {
  test('defaults and overrides from the environment', () => {
    const c = readConfig({});
    expect(c).toMatchObject({ port: 3000, host: '127.0.0.1', profile: 'all', demoData: true });
    expect(c.databaseUrl).toBeUndefined();
    const o = readConfig({ PORT: '8080', HOST: '0.0.0.0', DATABASE_URL: 'postgres://x/y', QM_PROFILE: 'retail', QM_DEMO_DATA: 'false', QM_DATA_DIR: '/tmp/q' });
    expect(o).toMatchObject({ port: 8080, host: '0.0.0.0', databaseUrl: 'postgres://x/y', profile: 'retail', demoData: false, dataDir: '/tmp/q' });
  });

  test('a bad PORT is refused with a clear message', () => {
    expect(() => readConfig({ PORT: 'abc' })).toThrow('PORT must be a port number, got "abc"');
  });
});

describe('profiles', () => {
  test('every built-in profile loads and boots resolution', () => {
    for (const name of ['all', 'retail', 'construction', 'healthcare']) {
      const { file } = readProfile(name);
      expect(typeof file.plugins).toBe('object');
    }
  });

  test('unknown profile names the choices; a malformed file says why', () => {
    expect(() => readProfile('warehouse-of-dreams')).toThrow(/use one of all, retail, construction, healthcare/);
    const dir = mkdtempSync(join(tmpdir(), 'qm-profile-'));
    writeFileSync(join(dir, 'bad.json'), '{ "plugins": ');
    expect(() => readProfile(join(dir, 'bad.json'))).toThrow(/not valid JSON/);
    writeFileSync(join(dir, 'list.json'), '{ "plugins": ["inventory"] }');
    expect(() => readProfile(join(dir, 'list.json'))).toThrow(/"plugins" object/);
  });

  test('a profile can load a third-party plugin from a package path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qm-thirdparty-'));
    writeFileSync(
      join(dir, 'plugin.mjs'),
      `export default { id: 'acme-erp', version: '1.0.0', compatibility: '^0.1.0', permissions: [{ id: 'acme-erp.sync.run', description: 'Run sync' }] };`,
    );
    const plugins = await loadProfilePlugins({ plugins: { 'acme-erp': {} }, packages: ['./plugin.mjs'] }, dir);
    expect(plugins.map((p) => p.id)).toEqual(['acme-erp']);
    writeFileSync(join(dir, 'empty.mjs'), `export const x = 1;`);
    await expect(loadProfilePlugins({ plugins: {}, packages: ['./empty.mjs'] }, dir)).rejects.toThrow(/no default export/);
  });
});

test('GS1 check digits match published GTINs', () => {
  // GTIN-13 4006381333931 and GTIN-12 036000291452 (GS1 check digit calculator examples).
  expect(gs1CheckDigit('400638133393')).toBe('1');
  expect(gs1CheckDigit('03600029145')).toBe('2');
});

describe('first start', () => {
  let platform: Platform;
  let drop: () => Promise<void>;
  const dataDir = mkdtempSync(join(tmpdir(), 'qm-data-'));
  beforeAll(async () => {
    const db = await createTestDatabase();
    drop = db.drop;
    // db:migrate first, as an operator would; the server's own migration step then has nothing to do.
    const reports = await migratePlatform({ databaseUrl: db.url, plugins: [], profile: { plugins: {} } });
    expect(reports).toEqual([{ pluginId: 'core', applied: ['0001_core', '0002_builtin_roles', '0003_search_indexes', '0004_devices', '0005_webhooks'] }]);
    platform = await createPlatform({ databaseUrl: db.url, plugins: [], profile: { plugins: {} }, outbox: { autoStart: false } });
    expect(platform.migrations).toEqual([{ pluginId: 'core', applied: [] }]);
  });
  afterAll(async () => {
    await platform?.close();
    await drop?.();
  });

  test('creates the administrator once, with a generated password kept in a private file', async () => {
    const config = { ...readConfig({}), dataDir };
    const first = await bootstrapAdmin(platform, config);
    expect(first.created).toBe(true);
    expect(first.password).toMatch(/^[A-Za-z0-9_-]{16}$/);
    const file = join(dataDir, 'initial-admin.txt');
    expect(readFileSync(file, 'utf8')).toContain(`password=${first.password}`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const login = await platform.app.inject({ method: 'POST', url: '/api/core/session', payload: { email: first.email, password: first.password } });
    expect(login.statusCode).toBe(200);

    const second = await bootstrapAdmin(platform, { ...config, adminPassword: 'another password entirely' });
    expect(second.created).toBe(false);
    const stale = await platform.app.inject({ method: 'POST', url: '/api/core/session', payload: { email: first.email, password: 'another password entirely' } });
    expect(stale.statusCode).toBe(401);
  });

  test('demo data seeds a realistic organisation once, and never into a catalogue with data', async () => {
    expect(await seedDemoData(platform)).toBe(true);
    const db = platform.orm.em.getConnection();
    const count = async (t: string) => Number((await db.execute(`select count(*) as n from ${t}`))[0].n);
    const before = { items: await count('core_item'), locations: await count('core_location'), identifiers: await count('core_identifier') };
    expect(before.items).toBeGreaterThanOrEqual(24);
    expect(await count(`core_location where type = 'site'`)).toBe(2);
    expect(await count(`core_location where type = 'bin'`)).toBeGreaterThanOrEqual(8);
    expect(await seedDemoData(platform)).toBe(false);
    expect({ items: await count('core_item'), locations: await count('core_location'), identifiers: await count('core_identifier') }).toEqual(before);
  });

  test('the command line creates an administrator, or restores access to an existing account', async () => {
    const login = (password: string) =>
      platform.app.inject({ method: 'POST', url: '/api/core/session', payload: { email: 'ops@example.test', password } });
    expect(await upsertAdministrator(platform, { email: 'ops@example.test', password: 'first password 1' })).toBe('created');
    expect((await login('first password 1')).statusCode).toBe(200);
    // Someone disables the account; the command line brings it back with a new password.
    await platform.orm.em.getConnection().execute(`update core_user set active = false where email = 'ops@example.test'`);
    expect((await login('first password 1')).statusCode).toBe(401);
    expect(await upsertAdministrator(platform, { email: 'OPS@example.test', password: 'second password 2' })).toBe('updated');
    expect((await login('first password 1')).statusCode).toBe(401);
    const ok = await login('second password 2');
    expect(ok.statusCode).toBe(200);
    expect(ok.json().permissions).toEqual(['*']);
  });
});
