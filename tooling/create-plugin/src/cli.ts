#!/usr/bin/env -S npx tsx
/**
 * `pnpm create-plugin <id> [--dir <parent>] [--name "Display Name"] [--no-install]`
 *
 * Writes a plugin package that builds and passes its tests at once. Inside this repository's
 * workspace (the default `plugins/<id>`) it then links it with `pnpm install --offline`.
 */
import { spawnSync } from 'node:child_process';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT, ScaffoldError, createPlugin, type CreatedPlugin } from './scaffold.js';

const USAGE = 'Usage: pnpm create-plugin <id> [--dir <parent folder>] [--name "Display name"] [--no-install]';

/** Where the user typed the command: pnpm runs root scripts in the root and keeps the caller's folder in INIT_CWD. */
const callerCwd = () => process.env.INIT_CWD ?? process.cwd();

function nextSteps(created: CreatedPlugin, cwd = callerCwd()): string {
  const where = relative(cwd, created.dir) || '.';
  const serverEntry = join(created.dir, 'src', 'server', 'index.ts');
  const profile = JSON.stringify({ plugins: { core: {}, [created.names.id]: {} }, packages: [created.insideWorkspace ? serverEntry : created.packageName] });
  return [
    `Created ${created.packageName} in ${where} (${created.files.length} files).`,
    '',
    'Next:',
    `  cd ${where}`,
    ...(created.insideWorkspace ? [] : ['  pnpm install                # its dependencies (outside the workspace)']),
    '  pnpm test                   # domain and server tests on an embedded PostgreSQL',
    '  pnpm build:console          # the console page → dist/console',
    '  pnpm validate               # the plugin contract, as CI checks it',
    '',
    'Enable it: save a profile such as',
    `  ${profile}`,
    '  (add the other plugins you want) and start the server with QM_PROFILE=<that file>;',
    `  then grant ${created.names.id}.widgets.read to a role and open "${created.names.displayName} → Widgets" in the console.`,
  ].join('\n');
}

function main(argv: string[]): number {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { dir: { type: 'string' }, name: { type: 'string' }, 'no-install': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (parsed.values.help) {
    console.log(USAGE);
    return 0;
  }
  if (parsed.positionals.length !== 1) {
    console.error(`create-plugin: give exactly one plugin id\n${USAGE}`);
    return 2;
  }
  let created: CreatedPlugin;
  try {
    created = createPlugin({
      id: parsed.positionals[0],
      parentDir: parsed.values.dir === undefined ? undefined : resolve(callerCwd(), parsed.values.dir),
      displayName: parsed.values.name,
    });
  } catch (err) {
    if (err instanceof ScaffoldError) {
      console.error(`create-plugin: ${err.message}`);
      return 1;
    }
    throw err;
  }
  if (created.insideWorkspace && !parsed.values['no-install']) {
    console.log(`Linking ${created.packageName} into the workspace: pnpm install --offline`);
    const res = spawnSync('pnpm', ['install', '--offline'], { cwd: REPO_ROOT, stdio: 'inherit' });
    if (res.status !== 0) {
      console.error(`create-plugin: the package was written, but \`pnpm install --offline\` failed; run \`pnpm install\` in ${REPO_ROOT}`);
      console.log('\n' + nextSteps(created));
      return 1;
    }
  }
  console.log(nextSteps(created));
  return 0;
}

process.exitCode = main(process.argv.slice(2));
