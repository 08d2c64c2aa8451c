/**
 * Test helpers: a folder outside the repository where a generated plugin can resolve its
 * dependencies without `pnpm install` — a `node_modules` of links to this workspace's packages and
 * to the tools the workspace already installed — and a way to run commands in it.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { REPO_ROOT } from '../src/scaffold.js';

/** Workspace packages the generated plugin depends on, by name → folder. */
const WORKSPACE_PACKAGES: Record<string, string> = {
  '@quartermaster/sdk': 'packages/sdk',
  '@quartermaster/testing': 'packages/testing',
  '@quartermaster/ui': 'packages/ui',
  '@quartermaster/console-module': 'tooling/console-module',
  '@quartermaster/create-plugin': 'tooling/create-plugin',
};
/** Installed tools, found in the node_modules of these workspace members (pnpm links them there). */
const TOOLS = ['vitest', 'typescript', '@types/node', 'vue', 'element-plus', 'vue-tsc', 'tsx'];
const TOOL_HOMES = ['tooling/create-plugin', 'packages/testing', 'apps/admin', 'packages/ui', '.'];

/** Real folder of an installed package in this workspace. */
export function installed(name: string): string {
  for (const home of TOOL_HOMES) {
    const p = join(REPO_ROOT, home, 'node_modules', name);
    if (existsSync(p)) return realpathSync(p);
  }
  throw new Error(`${name} is not installed in the workspace (run pnpm install)`);
}

export interface Sandbox {
  /** The folder to generate plugins into; its node_modules serves them. */
  dir: string;
  remove(): void;
}

export function makeSandbox(): Sandbox {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'qm-create-plugin-')));
  const link = (name: string, target: string) => {
    const at = join(dir, 'node_modules', name);
    mkdirSync(dirname(at), { recursive: true });
    symlinkSync(target, at, 'dir');
  };
  for (const [name, folder] of Object.entries(WORKSPACE_PACKAGES)) link(name, join(REPO_ROOT, folder));
  for (const name of TOOLS) link(name, installed(name));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The environment for a child process: this vitest's own variables removed, so a child vitest starts afresh. */
export function childEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST') && k !== 'NODE_OPTIONS' && k !== 'INIT_CWD' && k !== 'QM_TEST_DATABASE_URL'));
}

/** Run a Node script (a .ts through tsx) and collect its output. */
export function runNode(args: string[], cwd: string, timeout = 240_000): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, args, { cwd, env: childEnv(), encoding: 'utf8', timeout });
}

export const TSX_CLI = () => join(installed('tsx'), 'dist', 'cli.mjs');
export const CREATE_CLI = join(REPO_ROOT, 'tooling', 'create-plugin', 'src', 'cli.ts');
export const VALIDATE_CLI = join(REPO_ROOT, 'tooling', 'create-plugin', 'src', 'validate-cli.ts');
export const CONSOLE_MODULE_CLI = join(REPO_ROOT, 'tooling', 'console-module', 'src', 'cli.ts');
