import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import PgBoss from 'pg-boss';
import { createTestPlatform, type TestPlatform } from '@quartermaster/testing';
import { fixedAssetsPlugin } from '@quartermaster/plugin-fixed-assets/server';
import { maintenancePlugin } from '../../src/server/index.js';
import { MT, asset, bootMaintenance, caller } from './fixtures.js';

/**
 * The scheduler end to end: with `scheduler.enabled` each instance runs a pg-boss worker on the
 * platform's database; a job on the `maintenance-generate` queue runs one generation pass, on one
 * instance only.
 */

const QUEUE = 'maintenance-generate';
const weekly = { recurrence: { type: 'interval', every: 1, unit: 'week' }, mode: 'fixed', startOn: '2026-01-05' };
// A cron that does not fire during the test: jobs are sent by hand.
const scheduler = { enabled: true, cron: '0 0 1 1 *' };

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const finishedRuns = (t: TestPlatform, asOf: string) =>
  t.sql<{ instance: string; work_orders_created: number; error: string | null }>(
    `SELECT instance, work_orders_created, error FROM maintenance_generation_run WHERE as_of = $1::date AND finished_at IS NOT NULL`,
    [asOf],
  );

describe('the pg-boss scheduler', () => {
  let first: TestPlatform;
  let second: TestPlatform;
  let client: PgBoss;

  beforeAll(async () => {
    // The first instance also sweeps for overdue work every second.
    first = await bootMaintenance({ options: { scheduler: { ...scheduler, overdueSweepSeconds: 1 } } });
    second = await createTestPlatform({
      plugins: [fixedAssetsPlugin, maintenancePlugin],
      databaseUrl: first.databaseUrl,
      enable: { 'fixed-assets': { overdueSweepSeconds: 0 }, maintenance: { scheduler: { ...scheduler, overdueSweepSeconds: 0 } } },
    });
    // Another client of the same queue, as an operator's script or another service would be.
    client = new PgBoss({ connectionString: first.databaseUrl, max: 1, supervise: false, schedule: false, migrate: false });
    await client.start();
  }, 120_000);
  afterAll(async () => {
    await client?.stop({ graceful: false, wait: true });
    await second?.close();
    await first?.close();
  }, 60_000);

  it('creates its queue (one pass at a time) and schedules it with the configured cron', async () => {
    const queue = await client.getQueue(QUEUE);
    expect(queue).toMatchObject({ name: QUEUE, policy: 'stately' });
    const schedules = await client.getSchedules();
    expect(schedules).toEqual([expect.objectContaining({ name: QUEUE, cron: '0 0 1 1 *' })]);
  });

  it('runs a generation pass for a job on the queue, on exactly one instance', async () => {
    const call = caller(first);
    const a = await asset(first, { name: 'Boiler' });
    const plan = await call({ method: 'POST', url: `${MT}/plans`, payload: { code: 'PM-BOILER', name: 'Weekly', assetId: a.id, triggerKind: 'calendar', triggerConfig: weekly } }, 201);
    expect(await client.send(QUEUE, { asOf: '2026-02-01' })).toEqual(expect.any(String));
    const [run] = await until('the pass', async () => {
      const rows = await finishedRuns(first, '2026-02-01');
      return rows.length ? rows : undefined;
    });
    expect(run).toMatchObject({ work_orders_created: 1, error: null });
    const wos = await first.sql<{ due_key: string }>(`SELECT due_key FROM maintenance_work_order WHERE plan_id = $1`, [plan.id]);
    expect(wos).toEqual([{ due_key: '2026-01-26' }]);
    // Give the other instance time to poll: the job was taken once.
    await new Promise((r) => setTimeout(r, 2500));
    expect(await finishedRuns(first, '2026-02-01')).toHaveLength(1);
    const job = await until('the job to complete', async () => {
      const jobs = await first.sql<{ state: string }>(`SELECT state FROM pgboss.job WHERE name = $1 AND data->>'asOf' = '2026-02-01'`, [QUEUE]);
      return jobs[0]?.state === 'completed' ? jobs : undefined;
    });
    expect(job).toEqual([{ state: 'completed' }]);
  });

  it('announces overdue work on its sweep timer', async () => {
    // The order generated above was due on 26 January: the timer finds it without being asked.
    const [wo] = await until('the overdue announcement', async () => {
      const rows = await first.sql<{ id: string }>(`SELECT w.id FROM maintenance_work_order w JOIN maintenance_plan p ON p.id = w.plan_id WHERE p.code = 'PM-BOILER' AND w.overdue_notified_at IS NOT NULL`);
      return rows.length ? rows : undefined;
    });
    expect(first.events.filter((e) => e.name === 'maintenance.work-order.overdue').map((e) => (e.payload as { id: string }).id)).toEqual([wo.id]);
  });
});
