/**
 * The load generator, run in a worker thread so the client has its own event loop and does not
 * queue behind the server it measures. N concurrent loops call the scenario's iteration function;
 * each phase stops at its iteration count or its time limit, whichever comes first.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { createHttp } from './http.js';
import type { IterationContext, Scenario, TargetInfo } from './scenario.js';

export interface LoadJob {
  scenarioUrl: string;
  target: TargetInfo;
  state: unknown;
  runId: string;
  concurrency: number;
  warmupIterations: number;
  warmupSeconds: number;
}

export type LoadMessage =
  | { type: 'warmed'; completed: number; elapsedMs: number; error: string | null }
  | { type: 'round'; latenciesMs: Float64Array; completed: number; elapsedMs: number; error: string | null };

/** Main thread -> load thread: run one measured round, or finish. */
export type LoadCommand = { type: 'round'; iterations: number; seconds: number } | { type: 'stop' };

const job = workerData as LoadJob;
const port = parentPort!;
const scenario = (await import(job.scenarioUrl)).default as Scenario<unknown>;
const http = createHttp(job.target.baseUrl, { token: job.target.token, connections: job.concurrency });
const ctx: IterationContext<unknown> = { target: job.target, http, state: job.state, runId: job.runId };
const iterate = job.target.kind === 'platform' ? scenario.platform : scenario.baseline;
let seq = 0; // iteration numbers are unique across warm-up and measurement

async function phase(max: number, seconds: number, latencies: Float64Array | null) {
  const start = performance.now();
  const deadline = start + seconds * 1000;
  let issued = 0;
  let completed = 0;
  let failure: unknown = null;
  async function loop() {
    while (failure === null && issued < max && performance.now() < deadline) {
      issued++;
      const n = seq++;
      const t0 = performance.now();
      try {
        await iterate(n, ctx);
      } catch (err) {
        failure ??= err;
        return;
      }
      if (latencies) latencies[completed] = performance.now() - t0;
      completed++;
    }
  }
  await Promise.all(Array.from({ length: Math.min(job.concurrency, Math.max(max, 1)) }, loop));
  const error = failure === null ? null : `iteration failed on ${job.target.kind}: ${(failure as Error)?.stack ?? String(failure)}`;
  return { completed, elapsedMs: performance.now() - start, error };
}

const warm = await phase(job.warmupIterations, job.warmupSeconds, null);
port.postMessage({ type: 'warmed', completed: warm.completed, elapsedMs: warm.elapsedMs, error: warm.error && `warm-up ${warm.error}` } satisfies LoadMessage);
for (;;) {
  const cmd = await new Promise<LoadCommand>((resolve) => port.once('message', resolve));
  if (cmd.type === 'stop') break;
  const latencies = new Float64Array(cmd.iterations);
  const measured = await phase(cmd.iterations, cmd.seconds, latencies);
  const out = latencies.slice(0, measured.completed);
  port.postMessage({ type: 'round', latenciesMs: out, ...measured } satisfies LoadMessage, [out.buffer]);
}
await http.close();
