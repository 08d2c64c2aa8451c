import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build, type Rollup } from 'vite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { discoverAdminPlugins, quartermasterAdmin, renderAdminPluginsModule, VIRTUAL_ID } from '../src/index';

let root: string;

function addPlugin(id: string, withAdmin = true) {
  const dir = path.join(root, 'plugins', id, 'src', withAdmin ? 'admin' : 'server');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, 'index.ts'),
    `export default { id: ${JSON.stringify(id)}, routes: [], nav: [{ label: ${JSON.stringify(id + '-page')}, to: '/x', permission: '${id}.read' }] };\n`,
  );
}

beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'qm-admin-discovery-'));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('discoverAdminPlugins', () => {
  it('finds nothing when plugins/ is missing or empty', () => {
    expect(discoverAdminPlugins(root)).toEqual([]);
    mkdirSync(path.join(root, 'plugins'));
    expect(discoverAdminPlugins(root)).toEqual([]);
    const src = renderAdminPluginsModule([]);
    expect(src).toContain('export const adminPlugins = {\n};');
  });

  it('finds every plugin with a console entry, by folder name, sorted', () => {
    addPlugin('maintenance');
    addPlugin('fixed-assets');
    addPlugin('rfid', false); // server-only plugin: no console entry
    writeFileSync(path.join(root, 'plugins', 'README.md'), 'not a plugin');
    const found = discoverAdminPlugins(root);
    expect(found.map((p) => p.id)).toEqual(['fixed-assets', 'maintenance']);
    expect(found[0]!.entry).toBe(path.join(root, 'plugins', 'fixed-assets', 'src', 'admin', 'index.ts'));
  });

  it('rejects a folder name that is not a valid plugin id', () => {
    addPlugin('Bad_Name');
    expect(() => discoverAdminPlugins(root)).toThrow(/not a valid plugin id/);
  });
});

async function buildFixture(): Promise<Rollup.RollupOutput> {
  mkdirSync(path.join(root, 'app'), { recursive: true });
  writeFileSync(
    path.join(root, 'app', 'main.js'),
    `import { adminPlugins } from '${VIRTUAL_ID}';\nwindow.__ids = Object.keys(adminPlugins);\nwindow.__load = (id) => adminPlugins[id]();\n`,
  );
  const out = await build({
    root: path.join(root, 'app'),
    configFile: false,
    logLevel: 'silent',
    plugins: [quartermasterAdmin({ repoRoot: root })],
    build: {
      write: false,
      minify: false,
      rollupOptions: { input: path.join(root, 'app', 'main.js') },
    },
  });
  return (Array.isArray(out) ? out[0] : out) as Rollup.RollupOutput;
}

describe('virtual module in a real vite build', () => {
  it('builds with zero plugins', async () => {
    const out = await buildFixture();
    const chunks = out.output.filter((o): o is Rollup.OutputChunk => o.type === 'chunk');
    expect(chunks).toHaveLength(1);
    expect(chunks[0]!.code).toContain('__ids');
  });

  it('puts each of N plugins in its own lazy chunk', async () => {
    addPlugin('alpha');
    addPlugin('beta');
    addPlugin('gamma');
    const out = await buildFixture();
    const chunks = out.output.filter((o): o is Rollup.OutputChunk => o.type === 'chunk');
    const entry = chunks.find((c) => c.isEntry)!;
    const lazy = chunks.filter((c) => !c.isEntry);
    expect(lazy).toHaveLength(3);
    // The entry only references them dynamically; their code is not in the entry chunk.
    expect(entry.code).not.toContain('alpha-page');
    expect(entry.dynamicImports).toHaveLength(3);
    for (const id of ['alpha', 'beta', 'gamma']) {
      expect(lazy.filter((c) => c.code.includes(`${id}-page`))).toHaveLength(1);
    }
  });
});
