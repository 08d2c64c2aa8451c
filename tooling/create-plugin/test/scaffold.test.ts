import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScaffoldError, createPlugin, isWorkspaceMember, namesOf } from '../src/scaffold.js';

/** A stand-in repository: a pnpm workspace with `plugins/*`, a core at 2.3.4 and one plugin. */
describe('createPlugin inside a workspace', () => {
  let repo: string;
  beforeAll(() => {
    repo = mkdtempSync(join(tmpdir(), 'qm-fake-repo-'));
    writeFileSync(join(repo, 'pnpm-workspace.yaml'), 'packages:\n  - apps/*\n  - "plugins/*"\npmOnFail: ignore\n');
    for (const [dir, version] of [['packages/core', '2.3.4'], ['packages/sdk', '2.3.0'], ['packages/testing', '2.3.0'], ['packages/ui', '2.3.0'], ['tooling/console-module', '0.4.0'], ['tooling/create-plugin', '0.5.0']]) {
      mkdirSync(join(repo, dir), { recursive: true });
      writeFileSync(join(repo, dir, 'package.json'), JSON.stringify({ name: `x-${dir}`, version }));
    }
    mkdirSync(join(repo, 'plugins', 'stock-keeper'), { recursive: true });
    writeFileSync(join(repo, 'plugins', 'stock-keeper', 'package.json'), JSON.stringify({ name: '@quartermaster/plugin-stock-keeper' }));
  });
  afterAll(() => rmSync(repo, { recursive: true, force: true }));

  it('writes plugins/<id> as a workspace member depending on workspace packages, compatible with this core', () => {
    const created = createPlugin({ id: 'shelf-labels', repoRoot: repo, displayName: 'Shelf labels' });
    expect(created).toMatchObject({ dir: join(repo, 'plugins', 'shelf-labels'), insideWorkspace: true, packageName: '@quartermaster/plugin-shelf-labels' });
    const pkg = JSON.parse(readFileSync(join(created.dir, 'package.json'), 'utf8'));
    expect(pkg.dependencies).toEqual({ '@quartermaster/sdk': 'workspace:^' });
    expect(pkg.devDependencies['@quartermaster/testing']).toBe('workspace:^');
    const server = readFileSync(join(created.dir, 'src/server/index.ts'), 'utf8');
    expect(server).toContain("compatibility: '^2.3.4'");
    expect(server).toContain("displayName: 'Shelf labels'");
    expect(server).toContain('export const shelfLabelsPlugin = definePlugin');
    expect(readFileSync(join(created.dir, 'src/console/index.ts'), 'utf8')).toContain("section: 'Shelf labels'");
  });

  it('refuses the id of a plugin the repository has, with a ScaffoldError', () => {
    expect(() => createPlugin({ id: 'stock-keeper', repoRoot: repo })).toThrow(ScaffoldError);
    expect(() => createPlugin({ id: 'stock-keeper', repoRoot: repo })).toThrow('already a plugin in this repository');
  });

  it('knows which folders are workspace members', () => {
    expect(isWorkspaceMember(join(repo, 'plugins', 'x'), repo)).toBe(true);
    expect(isWorkspaceMember(join(repo, 'plugins', 'x', 'y'), repo)).toBe(false);
    expect(isWorkspaceMember(join(repo, 'elsewhere', 'x'), repo)).toBe(false);
    expect(isWorkspaceMember(join(tmpdir(), 'x'), repo)).toBe(false);
  });
});

describe('namesOf', () => {
  it('derives the table prefix and code names from the id', () => {
    expect(namesOf('demo-widget')).toEqual({ id: 'demo-widget', snake: 'demo_widget', camel: 'demoWidget', pascal: 'DemoWidget', displayName: 'Demo widget' });
    expect(namesOf('gps2', '  GPS two ')).toMatchObject({ snake: 'gps2', camel: 'gps2', displayName: 'GPS two' });
  });
});
