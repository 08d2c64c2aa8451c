import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import type { Http } from './http.js';

/** Which server an iteration talks to. */
export type TargetKind = 'platform' | 'baseline';

export interface TargetInfo {
  kind: TargetKind;
  /** `http://127.0.0.1:<port>` */
  baseUrl: string;
  /** Bearer token valid on this target. */
  token: string;
  /** The target's own database (for `setup` seeding; never used by the timed iterations). */
  databaseUrl: string;
}

export interface IterationContext<S> {
  target: TargetInfo;
  /** Keep-alive HTTP client bound to the target, sending the bearer token. */
  http: Http;
  /** What `setup` returned for this target. */
  state: S;
  /** Unique per bench run: use it to make values (SKUs…) unique. */
  runId: string;
}

/** What the raw baseline server gives a scenario's routes. */
export interface BaselineDb {
  pool: pg.Pool;
}

/**
 * One benchmark scenario = one file in `src/scenarios/` with `export default defineScenario({...})`.
 * The harness runs `platform(i)` against the real platform and `baseline(i)` against a plain
 * Fastify + pg server built from `baselineRoutes`, with the same load settings, and compares them.
 * An iteration must verify what it gets back and throw if it is wrong.
 */
export interface Scenario<S = undefined> {
  name: string;
  description: string;
  /** HTTP requests per iteration (for the requests/s line). Default 1. */
  requestsPerIteration?: number;
  /** Runs in the main thread once per target, before warm-up. The result must be structured-cloneable. */
  setup?(target: TargetInfo): Promise<S>;
  /** Register the raw baseline's routes: the minimal equivalent SQL work, no platform framework. */
  baselineRoutes(app: FastifyInstance, db: BaselineDb): void | Promise<void>;
  /** One timed iteration against the platform. Runs in the load thread. */
  platform(iteration: number, ctx: IterationContext<S>): Promise<void>;
  /** One timed iteration against the baseline. Runs in the load thread. */
  baseline(iteration: number, ctx: IterationContext<S>): Promise<void>;
}

export function defineScenario<S = undefined>(scenario: Scenario<S>): Scenario<S> {
  return scenario;
}

/** Throw when a response is not what the scenario expects, so a broken server cannot look fast. */
export function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`check failed: ${message}`);
}
