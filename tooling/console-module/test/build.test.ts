import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findPackageDir, packageEntry } from '../src/shared.js';
import { buildConsoleModule, collectExports, pluginIdFromPackage, MANIFEST_FILE, SHARED_GLOBAL, type BuildConsoleModuleResult } from '../src/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixture = path.join(here, 'fixtures', 'thermo');
const repo = path.resolve(here, '..', '..', '..');
const require = createRequire(import.meta.url);
const versionOf = (name: string) => (require(`${name}/package.json`) as { version: string }).version;

describe('buildConsoleModule', () => {
  let out: string;
  let built: BuildConsoleModuleResult;
  beforeAll(async () => {
    out = mkdtempSync(path.join(tmpdir(), 'qm-console-module-'));
    built = await buildConsoleModule({ root: fixture, outDir: out });
  });
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('writes the manifest: id from the package name, entry, the CSS, and the versions it was built against', () => {
    const manifest = JSON.parse(readFileSync(path.join(out, MANIFEST_FILE), 'utf8'));
    expect(manifest).toEqual(built.manifest);
    expect(manifest.id).toBe('thermo');
    expect(manifest.entry).toBe('index.js');
    expect(manifest.css).toHaveLength(1);
    expect(readFileSync(path.join(out, manifest.css[0]), 'utf8')).toContain('border-left:4px solid #010203');
    expect(manifest.shared).toEqual({
      vue: versionOf('vue'),
      pinia: versionOf('pinia'),
      'vue-router': versionOf('vue-router'),
      'element-plus': versionOf('element-plus'),
      '@quartermaster/ui': versionOf('@quartermaster/ui'),
      '@quartermaster/sdk': versionOf('@quartermaster/sdk'),
    });
  });

  it('keeps the lazy page in its own hashed chunk and bundles none of the shared libraries', () => {
    const chunks = readdirSync(path.join(out, 'chunks'));
    expect(chunks).toEqual([expect.stringMatching(/^ReadingsPage-[\w-]{8}\.js$/)]);
    const code = [readFileSync(path.join(out, 'index.js'), 'utf8'), ...chunks.map((c) => readFileSync(path.join(out, 'chunks', c), 'utf8'))].join('\n');
    expect(code).toContain(`globalThis.${SHARED_GLOBAL}`);
    // Vue's renderer and Pinia's store machinery would be here if they had been bundled.
    expect(code).not.toMatch(/createRenderer\(|__VUE_OPTIONS_API__|getActivePinia was called/);
    expect(code.length).toBeLessThan(8_000);
  });

  it('runs with the libraries the console shares: one Vue, one Pinia, one router', async () => {
    const vue = await import('vue');
    const pinia = await import('pinia');
    const router = await import('vue-router');
    const { renderToString } = await import('vue/server-renderer');
    const ElTag = vue.defineComponent({ setup: (_p, { slots }) => () => vue.h('span', { class: 'el-tag' }, slots.default?.()) });
    (globalThis as Record<string, unknown>)[SHARED_GLOBAL] = {
      vue,
      pinia,
      'vue-router': router,
      'element-plus': { ElTag },
      '@quartermaster/ui': { useApi: () => ({}) },
      '@quartermaster/sdk/admin': await import('@quartermaster/sdk/admin'),
    };
    try {
      const def = (await import(pathToFileURL(path.join(out, 'index.js')).href)).default;
      expect(def).toMatchObject({ id: 'thermo', nav: [{ label: 'Thermometers', to: 'readings' }] });
      const page = (await def.routes[0].component()).default;
      const app = vue.createSSRApp(vue.defineComponent({ render: () => vue.h(router.RouterView) }));
      const store = pinia.createPinia();
      const r = router.createRouter({ history: router.createMemoryHistory(), routes: [{ path: '/thermo/readings', component: page }] });
      app.use(store).use(r);
      await r.push('/thermo/readings');
      const html = await renderToString(app);
      expect(html).toContain('21.5 °C at /thermo/readings');
      // The module's store lives in the app's Pinia, not a copy of its own.
      expect(store.state.value.thermo).toEqual({ celsius: 21.5 });
    } finally {
      delete (globalThis as Record<string, unknown>)[SHARED_GLOBAL];
    }
  });

  it('refuses a deep import that would bundle a second copy of a shared library', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'qm-console-bad-'));
    try {
      cpSync(fixture, root, { recursive: true });
      writeFileSync(path.join(root, 'src/admin/index.ts'), `import { ref } from 'vue/dist/vue.runtime.esm-bundler.js';\nexport default { id: 'thermo', x: ref(1) };\n`);
      await expect(buildConsoleModule({ root, outDir: 'out' })).rejects.toThrow(/would bundle a second copy of vue; a console module imports "vue"/);
      writeFileSync(path.join(root, 'src/admin/index.ts'), `export const id = 'thermo';\n`);
      await expect(buildConsoleModule({ root, outDir: 'out' })).rejects.toThrow(/must `export default defineAdminPlugin/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('shared library exports', () => {
  it('follows export * through packages and leaves out type-only exports', () => {
    const vueNames = collectExports(packageEntry(findPackageDir('vue', here)!, '.'));
    for (const n of ['ref', 'computed', 'defineComponent', 'createElementBlock', 'withCtx', 'Transition']) expect(vueNames).toContain(n);
    const ui = collectExports(path.join(repo, 'packages', 'ui', 'src', 'index.ts'));
    expect(ui).toContain('useApi');
    expect(ui).toContain('ScanBox');
    expect(ui).not.toContain('ConsoleApi');
  });

  it('derives the plugin id from the package name', () => {
    expect(pluginIdFromPackage('@acme/plugin-thermo')).toBe('thermo');
    expect(pluginIdFromPackage('quartermaster-plugin-solar')).toBe('solar');
    expect(pluginIdFromPackage('@quartermaster/plugin-tasmota')).toBe('tasmota');
  });
});

describe('qm-console-module CLI', () => {
  const cli = path.join(here, '..', 'src', 'cli.ts');
  const run = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', cli, ...args], { cwd: repo, encoding: 'utf8' });

  it('builds with --root, --entry, --out and --id', () => {
    const out = mkdtempSync(path.join(tmpdir(), 'qm-console-cli-'));
    try {
      const res = run(['build', '--root', fixture, '--entry', 'src/admin/index.ts', '--out', out, '--id', 'thermo-two']);
      expect(res.status, res.stderr).toBe(0);
      expect(res.stdout).toContain('Built console module "thermo-two"');
      expect(JSON.parse(readFileSync(path.join(out, MANIFEST_FILE), 'utf8')).id).toBe('thermo-two');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('explains its usage and fails on a wrong command or a bad id', () => {
    const wrong = run(['bundle']);
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toContain('Usage: qm-console-module build');
    const badId = run(['build', '--root', fixture, '--id', 'Not An Id', '--out', path.join(tmpdir(), 'qm-never')]);
    expect(badId.status).toBe(1);
    expect(badId.stderr).toContain('"Not An Id" is not a plugin id');
    expect(existsSync(path.join(tmpdir(), 'qm-never'))).toBe(false);
  });
});
