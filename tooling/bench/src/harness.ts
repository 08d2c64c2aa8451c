import { Worker } from 'node:worker_threads';
import type { Cleanup } from './cleanup.js';
import type { LoadJob, LoadMessage } from './load-worker.js';
import type { Scenario, TargetInfo } from './scenario.js';
import { databaseName, sqlCount } from './sql-counter.js';

export interface LoadSettings {
  iterations: number;
  concurrency: number;
  seconds: number;
  warmupIterations: number;
  warmupSeconds: number;
}

export interface PhaseResult {
  target: TargetInfo['kind'];
  iterations: number;
  warmupIterations: number;
  elapsedMs: number;
  opsPerSec: number;
  requestsPerSec: number;
  latencyMs: { mean: number; p50: number; p95: number; p99: number; max: number };
  /** SQL round-trips per iteration seen by the pg driver (BEGIN/COMMIT included); null if unknown. */
  sqlPerOp: number | null;
  /** Highest process RSS sampled during the measured phase (servers + load thread; not PostgreSQL). */
  peakRssBytes: number;
  error: string | null;
}

export interface ScenarioResult {
  name: string;
  description: string;
  platform: PhaseResult;
  baseline: PhaseResult;
  ratios: { throughput: number; p50: number; p95: number; p99: number; sqlPerOp: number | null };
}

function percentile(sorted: Float64Array, p: number): number {
  if (!sorted.length) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))];
}

/** Warm up, then measure one scenario against one target, with the load in a worker thread. */
export async function measure(opts: {
  scenario: Scenario<any>;
  scenarioUrl: string;
  target: TargetInfo;
  runId: string;
  settings: LoadSettings;
  cleanup: Cleanup;
}): Promise<PhaseResult> {
  const { scenario, target, settings } = opts;
  const state = scenario.setup ? await scenario.setup(target) : undefined;
  const job: LoadJob = { scenarioUrl: opts.scenarioUrl, target, state, runId: opts.runId, ...settings };
  // tsx's loader is not active in a worker on Node 20: register it there first, then load the worker.
  const boot = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))})
    .then(({ register }) => { register(); return import(${JSON.stringify(new URL('./load-worker.ts', import.meta.url).href)}); })`;
  const worker = new Worker(boot, { eval: true, workerData: job });
  let terminated = false;
  opts.cleanup.add(`stop load thread (${scenario.name}/${target.kind})`, async () => {
    if (!terminated) await worker.terminate();
  });
  const db = databaseName(target.databaseUrl);
  let sqlAtStart = 0;
  let peakRss = 0;
  let sampler: NodeJS.Timeout | null = null;
  let warmupIterations = 0;
  try {
    const done = await new Promise<Extract<LoadMessage, { type: 'done' }>>((resolve, reject) => {
      worker.on('error', reject);
      worker.on('exit', (code) => reject(new Error(`load thread exited (code ${code}) before reporting`)));
      worker.on('message', (m: LoadMessage) => {
        if (m.type === 'warmed') {
          warmupIterations = m.completed;
          sqlAtStart = sqlCount(db);
          peakRss = process.memoryUsage.rss();
          sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 50);
          worker.postMessage('go');
        } else resolve(m);
      });
    });
    const sqlUsed = sqlCount(db) - sqlAtStart;
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
    const sorted = done.latenciesMs.slice().sort();
    const n = done.completed;
    const mean = n ? sorted.reduce((s, x) => s + x, 0) / n : NaN;
    const opsPerSec = n && done.elapsedMs ? n / (done.elapsedMs / 1000) : 0;
    return {
      target: target.kind,
      iterations: n,
      warmupIterations,
      elapsedMs: done.elapsedMs,
      opsPerSec,
      requestsPerSec: opsPerSec * (scenario.requestsPerIteration ?? 1),
      latencyMs: { mean, p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), max: sorted[n - 1] ?? NaN },
      sqlPerOp: n && sqlUsed ? sqlUsed / n : null,
      peakRssBytes: peakRss,
      error: done.error,
    };
  } finally {
    if (sampler) clearInterval(sampler);
    terminated = true;
    await worker.terminate();
  }
}

export function compare(scenario: Scenario<any>, platform: PhaseResult, baseline: PhaseResult): ScenarioResult {
  const r = (a: number, b: number) => (b ? a / b : NaN);
  return {
    name: scenario.name,
    description: scenario.description,
    platform,
    baseline,
    ratios: {
      throughput: r(platform.opsPerSec, baseline.opsPerSec),
      p50: r(platform.latencyMs.p50, baseline.latencyMs.p50),
      p95: r(platform.latencyMs.p95, baseline.latencyMs.p95),
      p99: r(platform.latencyMs.p99, baseline.latencyMs.p99),
      sqlPerOp: platform.sqlPerOp !== null && baseline.sqlPerOp !== null ? r(platform.sqlPerOp, baseline.sqlPerOp) : null,
    },
  };
}

const mib = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MiB`;
const ms = (x: number) => (Number.isFinite(x) ? `${x.toFixed(2)} ms` : 'n/a');
const times = (x: number | null) => (x !== null && Number.isFinite(x) ? `${x.toFixed(2)}×` : 'n/a');

/** The per-scenario table. */
export function formatResult(res: ScenarioResult): string {
  const { platform: p, baseline: b, ratios } = res;
  const rows: [string, string, string, string][] = [
    ['', 'platform', 'baseline', 'platform/baseline'],
    ['iterations (warm-up)', `${p.iterations} (${p.warmupIterations})`, `${b.iterations} (${b.warmupIterations})`, ''],
    ['elapsed', `${(p.elapsedMs / 1000).toFixed(1)} s`, `${(b.elapsedMs / 1000).toFixed(1)} s`, ''],
    ['throughput', `${p.opsPerSec.toFixed(1)} ops/s`, `${b.opsPerSec.toFixed(1)} ops/s`, `throughput ratio ${times(ratios.throughput)}`],
    ['requests/s', p.requestsPerSec.toFixed(1), b.requestsPerSec.toFixed(1), ''],
    ['latency mean', ms(p.latencyMs.mean), ms(b.latencyMs.mean), ''],
    ['latency p50', ms(p.latencyMs.p50), ms(b.latencyMs.p50), `p50 ratio ${times(ratios.p50)}`],
    ['latency p95', ms(p.latencyMs.p95), ms(b.latencyMs.p95), `p95 ratio ${times(ratios.p95)}`],
    ['latency p99', ms(p.latencyMs.p99), ms(b.latencyMs.p99), `p99 ratio ${times(ratios.p99)}`],
    ['latency max', ms(p.latencyMs.max), ms(b.latencyMs.max), ''],
    ['SQL round-trips/op', p.sqlPerOp?.toFixed(1) ?? 'n/a', b.sqlPerOp?.toFixed(1) ?? 'n/a', `ratio ${times(ratios.sqlPerOp)}`],
    ['peak RSS in phase', mib(p.peakRssBytes), mib(b.peakRssBytes), ''],
  ];
  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  const out = [`\n== ${res.name}: ${res.description}`, line(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)];
  for (const e of [p.error, b.error]) if (e) out.push(`FAILED: ${e}`);
  return out.join('\n');
}
