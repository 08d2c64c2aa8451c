#!/usr/bin/env node
// The whole test suite in one command: make sure a browser exists for the console's end-to-end
// tests, build the console, run every vitest project once, and close with `N passed, N failed`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const run = (cmd, args, opts = {}) => spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });

function ensureChromium() {
  const path = process.env.QM_CHROMIUM ?? '/usr/bin/chromium';
  if (existsSync(path)) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot && existsSync('/usr/bin/apt-get')) {
    console.log('Installing Chromium from Debian for the console end-to-end tests…');
    run('apt-get', ['update', '-qq']);
    const r = run('apt-get', ['install', '-y', '-qq', 'chromium'], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (r.status === 0) return;
  }
  console.warn(
    `\nNo Chromium at ${path}. The console end-to-end tests need it: install your distribution's chromium ` +
      `(Debian/Ubuntu: sudo apt-get install chromium) or set QM_CHROMIUM to its path. Those tests will fail until then.\n`,
  );
}

ensureChromium();

console.log('Building the console…');
const build = run('pnpm', ['--filter', '@quartermaster/admin', 'build'], { stdio: ['ignore', 'ignore', 'inherit'] });
if (build.status !== 0) {
  console.error('The console build failed.');
  console.log('0 passed, 1 failed');
  process.exit(1);
}

const outDir = join(root, '.test-results');
mkdirSync(outDir, { recursive: true });
const report = join(outDir, 'vitest.json');
rmSync(report, { force: true });
const vitest = run(join(root, 'node_modules', '.bin', 'vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)]);

let passed = 0;
let failed = 0;
let skipped = 0;
if (existsSync(report)) {
  const r = JSON.parse(readFileSync(report, 'utf8'));
  passed = r.numPassedTests ?? 0;
  failed = (r.numFailedTests ?? 0) + (r.testResults ?? []).filter((f) => f.status === 'failed' && !(f.assertionResults ?? []).length).length;
  skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
} else {
  failed = 1;
}
if (vitest.status !== 0 && failed === 0) failed = 1; // vitest failed outside a test (setup, import, unhandled error)
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || vitest.status !== 0 ? 1 : 0);
