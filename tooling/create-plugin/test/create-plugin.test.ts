import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validatePlugin } from '../src/validate.js';
import { CONSOLE_MODULE_CLI, CREATE_CLI, TSX_CLI, installed, makeSandbox, runNode, type Sandbox } from './helpers.js';

/**
 * `pnpm create-plugin demo-widget` as a plugin author runs it, into a folder outside the
 * repository: the package it writes passes its own test suite, typechecks, builds its console
 * module and validates clean.
 */
describe('create-plugin demo-widget', () => {
  let box: Sandbox;
  let dir: string;
  let created: ReturnType<typeof runNode>;
  beforeAll(() => {
    box = makeSandbox();
    dir = join(box.dir, 'demo-widget');
    created = runNode([TSX_CLI(), CREATE_CLI, 'demo-widget', '--dir', box.dir, '--no-install'], box.dir);
  });
  afterAll(() => box?.remove());

  it('writes the package and says what to do next', () => {
    expect(created.status, created.stderr).toBe(0);
    expect(created.stdout).toContain('Created @quartermaster/plugin-demo-widget');
    expect(created.stdout).toContain('pnpm build:console');
    for (const file of [
      'package.json',
      'tsconfig.json',
      'vitest.config.ts',
      'README.md',
      '.gitignore',
      'src/shared/index.ts',
      'src/domain/widget-name.ts',
      'src/server/index.ts',
      'src/server/migrations/0001_widgets.ts',
      'src/server/routes/widgets.routes.ts',
      'src/console/index.ts',
      'src/console/WidgetsPage.vue',
      'test/domain/widget-name.test.ts',
      'test/server/widgets.test.ts',
    ]) {
      expect(existsSync(join(dir, file)), file).toBe(true);
    }
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    expect(pkg.name).toBe('@quartermaster/plugin-demo-widget');
    // Outside the workspace it depends on published versions, not on `workspace:`.
    expect(pkg.dependencies['@quartermaster/sdk']).toMatch(/^\^\d+\.\d+\.\d+$/);
    expect(pkg.scripts['build:console']).toBe('qm-console-module build --entry src/console/index.ts --out dist/console --id demo-widget');
    const server = readFileSync(join(dir, 'src/server/index.ts'), 'utf8');
    expect(server).toContain("id: 'demo-widget'");
    expect(server).toContain('export default demoWidgetPlugin');
    expect(readFileSync(join(dir, 'src/server/migrations/0001_widgets.ts'), 'utf8')).toContain('CREATE TABLE demo_widget_widget');
  });

  it('leaves no template token behind', () => {
    const leftovers: string[] = [];
    const walk = (d: string) => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        const p = join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (/__(PLUGIN_ID|PLUGIN_SNAKE|PluginCamel|PluginPascal|DISPLAY_NAME|[A-Z_]+_RANGE)__/.test(readFileSync(p, 'utf8') + p)) leftovers.push(p);
      }
    };
    walk(dir);
    expect(leftovers).toEqual([]);
  });

  it('passes its own test suite: 4 domain tests and 4 server tests on the real platform', () => {
    const report = join(box.dir, 'vitest-report.json');
    const run = runNode([join(installed('vitest'), 'vitest.mjs'), 'run', '--root', dir, '--reporter=json', `--outputFile=${report}`], dir);
    expect(run.status, run.stdout + run.stderr).toBe(0);
    const result = JSON.parse(readFileSync(report, 'utf8'));
    expect({ passed: result.numPassedTests, failed: result.numFailedTests, skipped: result.numPendingTests + result.numTodoTests }).toEqual({ passed: 8, failed: 0, skipped: 0 });
    const files = result.testResults.map((f: { name: string }) => f.name.slice(dir.length + 1)).sort();
    expect(files).toEqual(['test/domain/widget-name.test.ts', 'test/server/widgets.test.ts']);
  });

  it('typechecks: server code with tsc, the console page with vue-tsc', () => {
    const tsc = runNode([join(installed('typescript'), 'bin', 'tsc'), '--noEmit', '-p', join(dir, 'tsconfig.json')], dir);
    expect(tsc.status, tsc.stdout + tsc.stderr).toBe(0);
    const vueTsc = runNode([join(installed('vue-tsc'), 'bin', 'vue-tsc.js'), '--noEmit', '-p', join(dir, 'src/console/tsconfig.json')], dir);
    expect(vueTsc.status, vueTsc.stdout + vueTsc.stderr).toBe(0);
  });

  it('builds its console module and then follows the plugin contract', async () => {
    const build = runNode([TSX_CLI(), CONSOLE_MODULE_CLI, 'build', '--root', dir, '--entry', 'src/console/index.ts', '--out', 'dist/console', '--id', 'demo-widget'], dir);
    expect(build.status, build.stdout + build.stderr).toBe(0);
    const manifest = JSON.parse(readFileSync(join(dir, 'dist/console/quartermaster-console.json'), 'utf8'));
    expect(manifest.id).toBe('demo-widget');
    const result = await validatePlugin(dir);
    expect(result.problems).toEqual([]);
    expect(result).toMatchObject({ ok: true, pluginId: 'demo-widget' });
  });
});

describe('create-plugin refuses', () => {
  let box: Sandbox;
  beforeAll(() => {
    box = makeSandbox();
  });
  afterAll(() => box?.remove());

  const create = (...args: string[]) => runNode([TSX_CLI(), CREATE_CLI, ...args, '--dir', box.dir, '--no-install'], box.dir, 60_000);
  const entries = () => readdirSync(box.dir).filter((e) => e !== 'node_modules').sort();

  it.each([
    ['Demo_Widget', 'use lower-case letters and digits separated by single dashes'],
    ['demo--widget', 'use lower-case letters and digits separated by single dashes'],
    ['9lives', 'use lower-case letters and digits separated by single dashes'],
    ['core', 'reserved by the platform'],
    ['items', 'reserved by the platform'],
    ['inventory', 'already a plugin in this repository'],
    ['a-plugin-id-that-goes-on-and-on-far-too-long', 'too long'],
  ])('the id %s, writing nothing', (id, message) => {
    const before = entries();
    const res = create(id);
    expect(res.status).toBe(1);
    expect(res.stderr).toContain(message);
    expect(entries()).toEqual(before);
  });

  it('to overwrite an existing folder', () => {
    mkdirSync(join(box.dir, 'taken'));
    writeFileSync(join(box.dir, 'taken', 'notes.txt'), 'mine');
    const res = create('taken');
    expect(res.status).toBe(1);
    expect(res.stderr).toContain('already exists');
    expect(readdirSync(join(box.dir, 'taken'))).toEqual(['notes.txt']);
    expect(readFileSync(join(box.dir, 'taken', 'notes.txt'), 'utf8')).toBe('mine');
  });

  it('to run without an id, printing the usage', () => {
    const res = runNode([TSX_CLI(), CREATE_CLI], box.dir, 60_000);
    expect(res.status).toBe(2);
    expect(res.stderr).toContain('Usage: pnpm create-plugin <id>');
  });
});
