import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definePlugin } from '@quartermaster/sdk';
import { createTestPlatform, type TestPlatform } from '@quartermaster/testing';

const SHARED = { vue: '3.5.45', pinia: '3.0.4', 'vue-router': '4.6.5', 'element-plus': '2.14.8', '@quartermaster/ui': '0.1.0', '@quartermaster/sdk': '0.1.0' };

/** A built module as `qm-console-module build` leaves it. */
function writeModule(dir: string, id: string) {
  mkdirSync(join(dir, 'chunks'), { recursive: true });
  mkdirSync(join(dir, 'assets'), { recursive: true });
  writeFileSync(join(dir, 'index.js'), `export default { id: ${JSON.stringify(id)} };\n`);
  writeFileSync(join(dir, 'chunks', 'Page-AbCd1234.js'), 'export default {};\n');
  writeFileSync(join(dir, 'assets', 'style-XyZ98765.css'), '.x{color:red}\n');
  writeFileSync(join(dir, 'quartermaster-console.json'), JSON.stringify({ id, entry: 'index.js', css: ['assets/style-XyZ98765.css'], shared: SHARED }));
}

describe('console modules of third-party plugins', () => {
  let t: TestPlatform;
  let root: string;
  const logged: string[] = [];
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'qm-console-modules-'));
    writeModule(join(root, 'thermo'), 'thermo');
    writeFileSync(join(root, 'secret.txt'), 'not for the browser');
    mkdirSync(join(root, 'broken'));
    writeFileSync(join(root, 'broken', 'quartermaster-console.json'), '{ not json');
    const plugin = (id: string, dir?: string) => definePlugin({ id, version: '1.0.0', compatibility: '*', ...(dir === undefined ? {} : { console: { dir } }) });
    t = await createTestPlatform({
      plugins: [
        plugin('thermo', pathToFileURL(join(root, 'thermo')).href),
        plugin('broken', join(root, 'broken')),
        plugin('unbuilt', join(root, 'nowhere')),
        plugin('disabled', join(root, 'thermo')),
        plugin('server-only'),
      ],
      enable: { thermo: {}, broken: {}, unbuilt: {}, 'server-only': {} },
      logger: { level: 'info', stream: { write: (line: string) => void logged.push(line) } },
    });
  });
  afterAll(async () => {
    await t?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('lists the modules of enabled plugins, reports the unreadable ones, and gives the caller permissions', async () => {
    const res = await t.request({ method: 'GET', url: '/api/core/admin-manifest' });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.modules).toEqual([
      { id: 'thermo', url: '/console-modules/thermo/index.js', css: ['/console-modules/thermo/assets/style-XyZ98765.css'], shared: SHARED },
      { id: 'broken', error: expect.stringContaining('is not valid JSON') },
      { id: 'unbuilt', error: expect.stringContaining('does not exist: build it with `qm-console-module build`') },
    ]);
    expect(body.permissions).toEqual(['*']);
    // Boot went on, and the operator was told which modules are missing and why.
    expect(logged.some((l) => l.includes('console module of plugin \\"unbuilt\\" is not available'))).toBe(true);
  });

  it('answers any signed-in user with their own permissions, and nobody else', async () => {
    const role = (await t.request({ method: 'POST', url: '/api/core/roles', payload: { name: 'Viewer', permissions: ['core.items.read'] } })).json();
    const user = await t.request({ method: 'POST', url: '/api/core/users', payload: { email: 'viewer@example.test', name: 'Viewer', password: 'long enough password', roleIds: [role.id] } });
    expect(user.statusCode, user.body).toBe(201);
    const s = await t.login('viewer@example.test', 'long enough password');
    const res = await t.app.inject({ method: 'GET', url: '/api/core/admin-manifest', headers: s.headers });
    expect(res.statusCode).toBe(200);
    expect(res.json().permissions).toEqual(['core.items.read']);
    expect(res.json().modules.map((m: { id: string }) => m.id)).toEqual(['thermo', 'broken', 'unbuilt']);
    const anonymous = await t.app.inject({ method: 'GET', url: '/api/core/admin-manifest' });
    expect(anonymous.statusCode).toBe(401);
  });

  it('serves the module folder read-only: hashed files cached for good, the entry revalidated', async () => {
    const entry = await t.app.inject({ method: 'GET', url: '/console-modules/thermo/index.js' });
    expect(entry.statusCode).toBe(200);
    expect(entry.headers['content-type']).toMatch(/javascript/);
    expect(entry.headers['cache-control']).toBe('no-cache');
    expect(entry.body).toContain('export default');
    const chunk = await t.app.inject({ method: 'GET', url: '/console-modules/thermo/chunks/Page-AbCd1234.js' });
    expect(chunk.statusCode).toBe(200);
    expect(chunk.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const css = await t.app.inject({ method: 'GET', url: '/console-modules/thermo/assets/style-XyZ98765.css' });
    expect(css.headers['content-type']).toMatch(/text\/css/);
    expect((await t.app.inject({ method: 'POST', url: '/console-modules/thermo/index.js' })).statusCode).toBe(404);
  });

  it('serves nothing outside a module folder, nor the folders of disabled or broken plugins', async () => {
    for (const url of [
      '/console-modules/thermo/../secret.txt',
      '/console-modules/thermo/%2e%2e/secret.txt',
      '/console-modules/thermo/..%2fsecret.txt',
      '/console-modules/thermo/missing.js',
      '/console-modules/disabled/index.js',
      '/console-modules/broken/quartermaster-console.json',
    ]) {
      const res = await t.app.inject({ method: 'GET', url });
      // 403 where the path tries to leave the folder, 404 where nothing is served.
      expect([403, 404], url).toContain(res.statusCode);
      expect(res.body, url).not.toContain('not for the browser');
    }
  });
});
