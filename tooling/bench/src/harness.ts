import { Worker } from 'node:worker_threads';
import type { Cleanup } from './cleanup.js';
import type { LoadCommand, LoadJob, LoadMessage } from './load-worker.js';
import type { Scenario, TargetInfo } from './scenario.js';
import { databaseName, sqlCount } from './sql-counter.js';

export interface LoadSettings {
  iterations: number;
  concurrency: number;
  seconds: number;
  warmupIterations: number;
  warmupSeconds: number;
  /** Measured rounds per target, alternating platform and baseline. */
  rounds: number;
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

interface Side {
  target: TargetInfo;
  worker: Worker;
  messages: LoadMessage[];
  waiters: ((m: LoadMessage) => void)[];
  failure: Error | null;
  warmupIterations: number;
  latencies: Float64Array[];
  completed: number;
  elapsedMs: number;
  sql: number;
  peakRss: number;
  error: string | null;
}

function next(side: Side): Promise<LoadMessage> {
  if (side.failure) return Promise.reject(side.failure);
  const m = side.messages.shift();
  if (m) return Promise.resolve(m);
  return new Promise((resolve, reject) => {
    side.waiters.push(resolve);
    side.worker.once('error', reject);
    side.worker.once('exit', (code) => reject(new Error(`load thread exited (code ${code}) before reporting`)));
  });
}

function startSide(opts: { scenario: Scenario<any>; scenarioUrl: string; target: TargetInfo; state: unknown; runId: string; settings: LoadSettings; cleanup: Cleanup }): Side {
  const { settings } = opts;
  const job: LoadJob = {
    scenarioUrl: opts.scenarioUrl,
    target: opts.target,
    state: opts.state,
    runId: opts.runId,
    concurrency: settings.concurrency,
    warmupIterations: settings.warmupIterations,
    warmupSeconds: settings.warmupSeconds,
  };
  // tsx's loader is not active in a worker on Node 20: register it there first, then load the worker.
  const boot = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))})
    .then(({ register }) => { register(); return import(${JSON.stringify(new URL('./load-worker.ts', import.meta.url).href)}); })`;
  const worker = new Worker(boot, { eval: true, workerData: job });
  const side: Side = {
    target: opts.target, worker, messages: [], waiters: [], failure: null, warmupIterations: 0,
    latencies: [], completed: 0, elapsedMs: 0, sql: 0, peakRss: 0, error: null,
  };
  worker.on('message', (m: LoadMessage) => {
    const w = side.waiters.shift();
    if (w) w(m);
    else side.messages.push(m);
  });
  worker.on('error', (err) => (side.failure ??= err));
  worker.on('exit', (code) => (side.failure ??= new Error(`load thread exited (code ${code})`)));
  opts.cleanup.add(`stop load thread (${opts.scenario.name}/${opts.target.kind})`, () => worker.terminate());
  return side;
}

/**
 * Warm up both targets, then measure them in alternating rounds (platform, baseline, platform, …)
 * so that a noisy neighbour on the machine hurts both alike instead of whichever ran second.
 * Each round gets `iterations / rounds` iterations and `seconds / rounds` seconds per target.
 */
export async function measurePair(opts: {
  scenario: Scenario<any>;
  scenarioUrl: string;
  targets: { platform: TargetInfo; baseline: TargetInfo };
  runId: string;
  settings: LoadSettings;
  cleanup: Cleanup;
}): Promise<{ platform: PhaseResult; baseline: PhaseResult }> {
  const { scenario, settings } = opts;
  const sides: Side[] = [];
  try {
    for (const target of [opts.targets.platform, opts.targets.baseline]) {
      const state = scenario.setup ? await scenario.setup(target) : undefined;
      const side = startSide({ ...opts, target, state });
      sides.push(side);
      const warmed = await next(side);
      if (warmed.type !== 'warmed') throw new Error('load thread: expected the warm-up report');
      side.warmupIterations = warmed.completed;
      side.error = warmed.error;
      if (warmed.error) break;
    }
    const rounds = Math.max(1, Math.min(settings.rounds, settings.iterations));
    for (let r = 0; r < rounds && sides.length === 2 && !sides.some((s) => s.error); r++) {
      const iterations = Math.floor(settings.iterations / rounds) + (r < settings.iterations % rounds ? 1 : 0);
      for (const side of sides) {
        const db = databaseName(side.target.databaseUrl);
        const sqlBefore = sqlCount(db);
        side.peakRss = Math.max(side.peakRss, process.memoryUsage.rss());
        const sampler = setInterval(() => (side.peakRss = Math.max(side.peakRss, process.memoryUsage.rss())), 50);
        try {
          side.worker.postMessage({ type: 'round', iterations, seconds: settings.seconds / rounds } satisfies LoadCommand);
          const m = await next(side);
          if (m.type !== 'round') throw new Error('load thread: expected a round report');
          side.latencies.push(m.latenciesMs);
          side.completed += m.completed;
          side.elapsedMs += m.elapsedMs;
          side.sql += sqlCount(db) - sqlBefore;
          side.error = m.error;
        } finally {
          clearInterval(sampler);
        }
        side.peakRss = Math.max(side.peakRss, process.memoryUsage.rss());
        if (side.error) break;
      }
    }
    for (const side of sides) side.worker.postMessage({ type: 'stop' } satisfies LoadCommand);
  } finally {
    await Promise.all(sides.map((s) => s.worker.terminate()));
  }
  const empty = (target: TargetInfo): Side => ({ ...sides[0], target, latencies: [], completed: 0, elapsedMs: 0, sql: 0, warmupIterations: 0, error: 'not run' });
  return {
    platform: summarise(scenario, sides[0]),
    baseline: summarise(scenario, sides[1] ?? empty(opts.targets.baseline)),
  };
}

function summarise(scenario: Scenario<any>, side: Side): PhaseResult {
  const all = new Float64Array(side.completed);
  let at = 0;
  for (const chunk of side.latencies) {
    all.set(chunk, at);
    at += chunk.length;
  }
  const sorted = all.sort();
  const n = sorted.length;
  const mean = n ? sorted.reduce((s, x) => s + x, 0) / n : NaN;
  const opsPerSec = n && side.elapsedMs ? n / (side.elapsedMs / 1000) : 0;
  return {
    target: side.target.kind,
    iterations: n,
    warmupIterations: side.warmupIterations,
    elapsedMs: side.elapsedMs,
    opsPerSec,
    requestsPerSec: opsPerSec * (scenario.requestsPerIteration ?? 1),
    latencyMs: { mean, p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), max: sorted[n - 1] ?? NaN },
    sqlPerOp: n && side.sql ? side.sql / n : null,
    peakRssBytes: side.peakRss,
    error: side.error,
  };
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
