/**
 * The scheduler: generation passes on a cron through a pg-boss queue in the platform's own
 * PostgreSQL database, and the overdue sweep on a timer.
 *
 * Every instance with `scheduler.enabled` starts a pg-boss client (schema `pgboss`), creates the
 * queue `maintenance-generate` with the `stately` policy (at most one job queued and one active at a
 * time, whichever instance sent it), schedules it with `scheduler.cron` (pg-boss makes sure one
 * instance sends each cron tick) and works it: a job runs one generation pass as of today (or the
 * job's `asOf`). Jobs of a stopped instance are retried by the others. Even if two passes did run at
 * once (a manual `POST /scheduler/run` during a scheduled one), generation is idempotent per plan ×
 * asset × occurrence (generation.service.ts).
 */
import PgBoss from 'pg-boss';
import type { Actor, PluginContext } from '@quartermaster/sdk';
import type { MaintenanceOptions } from '../options.js';
import { generateDueWorkOrders, instanceName, type GenerationRun } from './generation.service.js';
import { sweep, todayUtc, type SweepSummary } from './notifications.service.js';

export const GENERATE_QUEUE = 'maintenance-generate';

interface SchedulerState {
  instance: string;
  boss: PgBoss | null;
  sweepTimer: NodeJS.Timeout | null;
  sweeping: Promise<unknown> | null;
}

/** One scheduler per running platform (tests boot several in one process). */
const states = new WeakMap<object, SchedulerState>();

function stateOf(ctx: PluginContext<any>): SchedulerState {
  let s = states.get(ctx);
  if (!s) states.set(ctx, (s = { instance: instanceName(), boss: null, sweepTimer: null, sweeping: null }));
  return s;
}

/** One generation pass now, recorded under this instance's name. */
export function runGeneration(ctx: PluginContext<any>, options: MaintenanceOptions, o: { asOf?: string; actor?: Actor } = {}): Promise<GenerationRun> {
  return generateDueWorkOrders(ctx, { asOf: o.asOf ?? todayUtc(), instance: stateOf(ctx).instance, batchSize: options.scheduler.batchSize, actor: o.actor });
}

/** One overdue sweep now (a timer tick waits for a sweep still running instead of starting a second). */
export function runSweep(ctx: PluginContext<any>, options: MaintenanceOptions, asOf?: string): Promise<SweepSummary> {
  const s = stateOf(ctx);
  const pass = sweep(ctx, options, asOf);
  const tracked: Promise<unknown> = pass
    .catch(() => undefined)
    .finally(() => {
      if (s.sweeping === tracked) s.sweeping = null;
    });
  s.sweeping = tracked;
  return pass;
}

/** The database pg-boss shares with the platform. */
const databaseUrl = (ctx: PluginContext<any>): string => {
  const url = ctx.orm.config.get('clientUrl');
  if (!url) throw new Error('maintenance scheduler: the platform has no database URL');
  return url;
};

/** Start the queue worker and the sweep timer (onReady). */
export async function startScheduler(ctx: PluginContext<any>, options: MaintenanceOptions): Promise<void> {
  const s = stateOf(ctx);
  if (options.scheduler.enabled && !s.boss) {
    const boss = new PgBoss({ connectionString: databaseUrl(ctx), max: 2, application_name: 'quartermaster-maintenance-scheduler' });
    // pg-boss errors carry the whole database client: log what an operator needs, not the client.
    boss.on('error', (err: Error & { code?: string }) => ctx.log.error({ message: err.message, code: err.code }, 'maintenance scheduler: pg-boss error'));
    await boss.start();
    s.boss = boss;
    await boss.createQueue(GENERATE_QUEUE, { name: GENERATE_QUEUE, policy: 'stately', retryLimit: 3, retryDelay: 60, retryBackoff: true, expireInSeconds: 3600 });
    await boss.schedule(GENERATE_QUEUE, options.scheduler.cron, {}, { tz: 'UTC' });
    await boss.work<{ asOf?: string }>(GENERATE_QUEUE, { pollingIntervalSeconds: 2, batchSize: 1 }, async (jobs) => {
      for (const job of jobs) {
        const asOf = typeof job.data?.asOf === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(job.data.asOf) ? job.data.asOf : undefined;
        const run = await runGeneration(ctx, options, { asOf });
        ctx.log.info({ runId: run.id, asOf: run.asOf, plans: run.plansChecked, created: run.workOrdersCreated }, 'maintenance generation pass done');
        if (run.error) ctx.log.warn({ runId: run.id, error: run.error }, 'maintenance generation pass had errors');
      }
    });
  }
  const every = options.scheduler.overdueSweepSeconds;
  if (every > 0 && !s.sweepTimer) {
    s.sweepTimer = setInterval(() => {
      if (s.sweeping) return;
      runSweep(ctx, options).catch((err) => ctx.log.warn({ err }, 'maintenance overdue sweep failed'));
    }, every * 1000);
    s.sweepTimer.unref();
  }
}

/** Stop the worker (letting a pass in progress finish) and the timer (onClose). */
export async function stopScheduler(ctx: PluginContext<any>): Promise<void> {
  const s = states.get(ctx);
  if (!s) return;
  if (s.sweepTimer) clearInterval(s.sweepTimer);
  s.sweepTimer = null;
  await s.sweeping;
  const boss = s.boss;
  s.boss = null;
  await boss?.stop({ graceful: true, wait: true, timeout: 30_000 });
  states.delete(ctx);
}
