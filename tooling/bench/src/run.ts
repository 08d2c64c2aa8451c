/**
 * `pnpm --filter @quartermaster/bench bench`: one PostgreSQL, the real platform and a raw Fastify +
 * pg baseline on two fresh databases, every scenario in src/scenarios/ against both, a table per
 * scenario and results/latest.json. Run on demand; never part of the test suite.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { Cleanup } from './cleanup.js';
import { startBenchServer } from './db.js';
import { compare, formatResult, measurePair, type LoadSettings, type ScenarioResult } from './harness.js';
import type { Scenario } from './scenario.js';
import { installSqlCounter } from './sql-counter.js';
import { startBaseline, startPlatform } from './targets.js';

function envInt(name: string, fallback: number, min = 1): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min) throw new Error(`${name} must be a number ≥ ${min}, got "${raw}"`);
  return Math.floor(n);
}

const settings: LoadSettings = {
  iterations: envInt('BENCH_ITERATIONS', 2000),
  concurrency: envInt('BENCH_CONCURRENCY', 8),
  seconds: envInt('BENCH_SECONDS', 20),
  warmupIterations: envInt('BENCH_WARMUP', 200, 0),
  warmupSeconds: envInt('BENCH_WARMUP_SECONDS', 5, 0),
  rounds: envInt('BENCH_ROUNDS', 4),
};
const fastDb = process.env.BENCH_FAST_DB === '1';
const only = (process.env.BENCH_SCENARIOS ?? '').split(',').map((s) => s.trim()).filter(Boolean);

const cleanup = new Cleanup();
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (interrupted) {
      console.error(`\n${signal} again: exiting without finishing cleanup`);
      process.exit(130);
    }
    interrupted = true;
    console.error(`\n${signal}: stopping the load, servers and database…`);
    void cleanup.run().finally(() => process.exit(130));
  });
}

async function loadScenarios(): Promise<{ scenario: Scenario<any>; url: string }[]> {
  const dir = new URL('./scenarios/', import.meta.url);
  const files = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && !f.startsWith('_')).sort();
  const all: { scenario: Scenario<any>; url: string }[] = [];
  for (const f of files) {
    const url = new URL(f, dir).href;
    const scenario = (await import(url)).default as Scenario<any> | undefined;
    if (!scenario?.name || !scenario.platform || !scenario.baseline || !scenario.baselineRoutes) {
      throw new Error(`src/scenarios/${f} must export default defineScenario({ name, platform, baseline, baselineRoutes })`);
    }
    all.push({ scenario, url });
  }
  const unknown = only.filter((n) => !all.some((s) => s.scenario.name === n));
  if (unknown.length) throw new Error(`BENCH_SCENARIOS names unknown scenario(s): ${unknown.join(', ')}; have ${all.map((s) => s.scenario.name).join(', ')}`);
  return only.length ? all.filter((s) => only.includes(s.scenario.name)) : all;
}

async function main(): Promise<number> {
  const scenarios = await loadScenarios();
  installSqlCounter();
  const runId = randomBytes(4).toString('hex');
  console.log(
    `bench ${runId}: ${scenarios.length} scenario(s); ${settings.iterations} iterations or ${settings.seconds} s max, ` +
      `concurrency ${settings.concurrency}, warm-up ${settings.warmupIterations} iterations or ${settings.warmupSeconds} s, ` +
      `${settings.rounds} alternating rounds; ` +
      `node ${process.version}, ${cpus().length} CPUs`,
  );

  const server = await startBenchServer(cleanup, { fast: fastDb });
  console.log(`PostgreSQL ${server.version} (${server.source}${server.source === 'embedded' ? (fastDb ? ', fsync off' : ', durable: fsync on') : ''})`);
  const platformDb = await server.createDatabase('qm_bench_platform');
  const baselineDb = await server.createDatabase('qm_bench_baseline');

  // The baseline gets the platform's own tables (migrations) and a real token row: boot a platform
  // on its database once, take a token through the API, close it.
  const migrator = await startPlatform(baselineDb, cleanup, 'baseline migration platform');
  const baselineToken = migrator.token;
  await migrator.close();

  const platform = await startPlatform(platformDb, cleanup, 'platform');
  console.log(`platform on ${platform.baseUrl} (core only, ${platform.platform.plugins.length} plugin)`);
  const pool = new pg.Pool({ connectionString: baselineDb, max: 10 }); // the platform's ORM pool is max 10 too
  pool.on('error', () => undefined); // idle clients when PostgreSQL stops first (Ctrl-C)
  cleanup.add('close baseline pool', () => pool.end());

  const results: ScenarioResult[] = [];
  let failed = false;
  for (const { scenario, url } of scenarios) {
    if (interrupted) break;
    const baseline = await startBaseline(pool, baselineToken, scenario, cleanup);
    const { platform: p, baseline: b } = await measurePair({
      scenario,
      scenarioUrl: url,
      targets: {
        platform: { kind: 'platform', baseUrl: platform.baseUrl, token: platform.token, databaseUrl: platformDb },
        baseline: { kind: 'baseline', baseUrl: baseline.baseUrl, token: baseline.token, databaseUrl: baselineDb },
      },
      runId,
      settings,
      cleanup,
    });
    await baseline.close();
    const res = compare(scenario, p, b);
    results.push(res);
    console.log(formatResult(res));
    if (p.error || b.error) failed = true;
  }

  const peakRssBytes = process.resourceUsage().maxRSS * 1024;
  console.log(`\npeak RSS of the bench process (servers + load thread; PostgreSQL not included): ${(peakRssBytes / 1024 / 1024).toFixed(0)} MiB`);
  const outDir = new URL('../results/', import.meta.url);
  mkdirSync(outDir, { recursive: true });
  const outFile = new URL('latest.json', outDir);
  writeFileSync(
    outFile,
    JSON.stringify(
      {
        runId,
        finishedAt: new Date().toISOString(),
        node: process.version,
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model,
        postgres: { version: server.version, source: server.source, fsync: server.source === 'embedded' ? !fastDb : null },
        settings,
        peakRssBytes,
        failed,
        scenarios: results,
      },
      null,
      2,
    ) + '\n',
  );
  console.log(`results written to tooling/bench/results/latest.json${failed ? '\nFAILED: an iteration did not verify (see above)' : ''}`);
  return failed ? 1 : 0;
}

let code = 1;
try {
  code = await main();
} catch (err) {
  console.error(interrupted ? `interrupted: ${(err as Error).message}` : err);
  code = interrupted ? 130 : 1;
} finally {
  await cleanup.run();
}
process.exit(code);
