/**
 * maintenance-generate-work-orders: one scheduler generation pass over BENCH_MT_PLANS (default
 * 50,000) calendar plans that all fall due, each on its own asset.
 *
 * Setup seeds, in SQL on each target's database, BENCH_MT_PLANS in-service assets and as many
 * monthly fixed calendar plans (started 2025-01-01, so each has exactly one due occurrence to
 * generate: the latest first of the month), each with a three-item checklist template and every
 * tenth with a planned spare part. Then, timed, once per target:
 *
 * - platform: `POST /api/maintenance/scheduler/run { asOf: today }` — the real pass: plans in
 *   batches of `scheduler.batchSize` (the plugin's default 500, or BENCH_MT_BATCH), two batches in
 *   flight, the trigger kinds' domain functions per plan × asset, plan state rows locked and
 *   written, each due occurrence created as a work order with its checklist, planned parts, history
 *   line, audit record and `maintenance.work-order.created` event. It checks that exactly N work
 *   orders were created (the pass's answer and the table agree), then runs the same pass again,
 *   which must create 0.
 * - baseline, on its own database, in hand-written SQL with the same batch size and keyset:
 *   `minimal` — per batch one transaction, one statement: select the due plans, compute the due
 *   date in SQL, insert the orders `ON CONFLICT DO NOTHING`; then `full` — the same plus what the
 *   platform writes besides the order: plan state upsert, checklist items copied from the
 *   template, planned parts, history rows, audit rows and outbox events, still one statement per
 *   batch. Each baseline pass is also run twice (the second creates 0) and recorded in
 *   `maintenance_generation_run`, like the platform's.
 *
 * Printed: seconds per pass, work orders per second, SQL round-trips of the first pass (counted in
 * the pg driver), and platform / baseline ratios against both baselines. The measured rounds
 * afterwards read the pass records (`GET /api/maintenance/scheduler/runs`), as the console does.
 */
import pg from 'pg';
import { Pool } from 'undici';
import { check, defineScenario, type IterationContext, type TargetInfo } from '../scenario.js';
import { closeWithBaseline, pluginPlatformUrl, type PluginSetup } from '../plugin-platforms.js';
import { databaseName, sqlCount } from '../sql-counter.js';
import { clientFor, envInt, fmt, table } from './inventory-stock-on-hand.js';

const NAME = 'maintenance-generate-work-orders';


/** Fixed-assets + maintenance, timers off (passes are started by the scenarios). Shared by the maintenance-* scenarios. */
export const MAINTENANCE: PluginSetup = {
  key: 'maintenance',
  plugins: async () => [(await import('@quartermaster/plugin-fixed-assets/server')).fixedAssetsPlugin, (await import('@quartermaster/plugin-maintenance/server')).maintenancePlugin],
  options: {
    'fixed-assets': { overdueSweepSeconds: 0 },
    maintenance: {
      scheduler: { enabled: false, overdueSweepSeconds: 0, ...(process.env.BENCH_MT_BATCH ? { batchSize: envInt('BENCH_MT_BATCH', 500) } : {}) },
    },
  },
};
export const maintenanceUrl = (target: TargetInfo) => pluginPlatformUrl(MAINTENANCE, target);
export { closeWithBaseline };

export async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

export const todayUtc = () => new Date().toISOString().slice(0, 10);
const seconds = (t0: number) => (performance.now() - t0) / 1000;
const say = (target: TargetInfo, s: string) => console.log(`  [${NAME}] ${target.kind}: ${s}`);

// ------------------------------------------------------------------------------------------------
// Seed
// ------------------------------------------------------------------------------------------------

const START_ON = '2025-01-01';
const CALENDAR = { recurrence: { type: 'interval', every: 1, unit: 'month' }, mode: 'fixed', startOn: START_ON };
const TEMPLATE_ID = 'b3e1c0de-0000-4000-8000-00000000c001';
const PART_ITEM_ID = 'b3e1c0de-0000-4000-8000-00000000c002';
const PLAN_PREFIX = 'BENCH-PM-';

/** N in-service assets and N monthly calendar plans, one per asset (deterministic ids, so a rerun on the same database reuses them). */
async function seedPlans(url: string, n: number, log: (s: string) => void): Promise<void> {
  await withClient(url, async (c) => {
    const { rows } = await c.query<{ n: string }>(`SELECT count(*) AS n FROM maintenance_plan WHERE code LIKE '${PLAN_PREFIX}%'`);
    if (Number(rows[0].n) === n) return log(`plans already seeded (${fmt(n)})`);
    check(Number(rows[0].n) === 0, `the database holds ${rows[0].n} bench plans, expected 0 or ${n}`);
    const t0 = performance.now();
    await c.query('BEGIN');
    await c.query(
      `INSERT INTO maintenance_checklist_template (id, name, items) VALUES ($1, 'Bench monthly service', $2::jsonb) ON CONFLICT DO NOTHING`,
      [TEMPLATE_ID, JSON.stringify([{ kind: 'check', label: 'Guards in place' }, { kind: 'reading', label: 'Oil level', unit: '%', min: '20', max: '100' }, { kind: 'text', label: 'Remarks', required: false }])],
    );
    await c.query(`INSERT INTO core_item (id, name) VALUES ($1, 'Bench filter cartridge') ON CONFLICT DO NOTHING`, [PART_ITEM_ID]);
    await c.query(
      `INSERT INTO fixed_assets_asset (id, tag, name, purchase_date, acquisition_cost, currency, status)
       SELECT md5('bench-mt-asset-' || g)::uuid, 'BENCH-MT-' || lpad(g::text, 7, '0'), 'Bench machine ' || g, DATE '2024-06-01', 1000 + g % 5000, 'EUR', 'in-service'
         FROM generate_series(1, $1::int) g`,
      [n],
    );
    await c.query(
      `INSERT INTO maintenance_plan (id, code, name, trigger_kind, trigger_config, work_order_type, asset_id, estimated_minutes, checklist_template_id, parts, instructions)
       SELECT md5('bench-mt-plan-' || g)::uuid, '${PLAN_PREFIX}' || lpad(g::text, 7, '0'), 'Monthly service', 'calendar', $2::jsonb, 'preventive',
              md5('bench-mt-asset-' || g)::uuid, 60, $3::uuid,
              CASE WHEN g % 10 = 0 THEN jsonb_build_array(jsonb_build_object('itemId', $4::text, 'qty', '1')) ELSE '[]'::jsonb END,
              'Inspect, lubricate, tighten'
         FROM generate_series(1, $1::int) g`,
      [n, JSON.stringify(CALENDAR), TEMPLATE_ID, PART_ITEM_ID],
    );
    await c.query('COMMIT');
    await c.query('ANALYZE fixed_assets_asset; ANALYZE maintenance_plan');
    log(`seeded ${fmt(n)} assets and monthly calendar plans in ${seconds(t0).toFixed(1)} s`);
  });
}

// ------------------------------------------------------------------------------------------------
// Platform: the pass through the API
// ------------------------------------------------------------------------------------------------

interface RunOut {
  id: string;
  asOf: string;
  plansChecked: number;
  workOrdersCreated: number;
  error: string | null;
}

/** One long request: its own connection without undici's 300 s header/body timeouts. */
async function postLong<T>(baseUrl: string, token: string, path: string, body: unknown): Promise<{ status: number; body: T }> {
  const pool = new Pool(baseUrl, { connections: 1, headersTimeout: 0, bodyTimeout: 0 });
  try {
    const res = await pool.request({ method: 'POST', path, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const text = await res.body.text();
    return { status: res.statusCode, body: (text ? JSON.parse(text) : undefined) as T };
  } finally {
    await pool.close();
  }
}

const benchOrders = async (c: pg.Client) =>
  Number(
    (await c.query<{ n: string }>(`SELECT count(*) AS n FROM maintenance_work_order w JOIN maintenance_plan p ON p.id = w.plan_id WHERE p.code LIKE '${PLAN_PREFIX}%'`)).rows[0].n,
  );

interface Pass {
  seconds: number;
  created: number;
  sql: number;
}

async function platformPass(url: string, target: TargetInfo, asOf: string): Promise<Pass & { plansChecked: number }> {
  const db = databaseName(target.databaseUrl);
  const sql0 = sqlCount(db);
  const t0 = performance.now();
  const res = await postLong<RunOut>(url, target.token, '/api/maintenance/scheduler/run', { asOf });
  const s = seconds(t0);
  check(res.status === 200, `platform: POST /scheduler/run answered ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`);
  check(res.body.error === null, `platform: the pass reported errors: ${res.body.error?.slice(0, 500)}`);
  return { seconds: s, created: res.body.workOrdersCreated, sql: sqlCount(db) - sql0, plansChecked: res.body.plansChecked };
}

// ------------------------------------------------------------------------------------------------
// Baseline: the same pass in hand-written SQL
// ------------------------------------------------------------------------------------------------

/** Latest due date of a monthly fixed plan on or before $asOf: start + whole months elapsed, rounded down to the interval. */
const DUE_ON_SQL = `((p.trigger_config->>'startOn')::date
   + make_interval(months => ((extract(year FROM age($2::date, (p.trigger_config->>'startOn')::date)) * 12
                              + extract(month FROM age($2::date, (p.trigger_config->>'startOn')::date)))::int
                              / (p.trigger_config->'recurrence'->>'every')::int) * (p.trigger_config->'recurrence'->>'every')::int))::date`;


function baselineBatchSql(mode: 'minimal' | 'full'): string {
  // The keyset batch of plans first (primary key order), then their assets, like the platform.
  const batch = `
  plans AS (
    SELECT p.* FROM maintenance_plan p
     WHERE p.active AND p.trigger_kind = 'calendar' AND p.trigger_config->'recurrence'->>'unit' = 'month' AND p.id > $1::uuid
     ORDER BY p.id LIMIT $3),
  batch AS (
    SELECT p.id, p.asset_id, p.name, p.description, p.instructions, p.work_order_type, p.takes_out_of_service, p.estimated_minutes, p.team_id,
           p.assignee_user_id, p.checklist_template_id, p.parts, a.currency, ${DUE_ON_SQL} AS due_on
      FROM plans p JOIN fixed_assets_asset a ON a.id = p.asset_id
     WHERE (p.trigger_config->>'startOn')::date <= $2::date AND a.status IN ('in-service', 'checked-out', 'in-maintenance', 'in-transit'))`;
  const orders = `
  wo AS (
    INSERT INTO maintenance_work_order (type, status, priority, asset_id, title, description, plan_id, due_key, due_on, generate_reason,
                                        takes_out_of_service, team_id, assignee_user_id, planned_minutes, currency, created_by_label)
    SELECT b.work_order_type, 'approved', 'low', b.asset_id, b.name, coalesce(b.instructions, b.description), b.id, b.due_on::text, b.due_on,
           'Due ' || b.due_on || ' (every month, fixed).', b.takes_out_of_service, b.team_id, b.assignee_user_id, b.estimated_minutes, b.currency, 'bench'
      FROM batch b ORDER BY b.id
    ON CONFLICT (plan_id, asset_id, due_key) WHERE plan_id IS NOT NULL DO NOTHING
    RETURNING id, number, plan_id, asset_id, due_key, type, status, priority, title, due_on)`;
  if (mode === 'minimal') return `WITH ${batch}, ${orders} SELECT (SELECT max(id::text) FROM plans) AS last, (SELECT count(*) FROM plans) AS plans, (SELECT count(*) FROM wo) AS created`;
  return `WITH ${batch}, ${orders},
  st AS (
    INSERT INTO maintenance_plan_state (plan_id, asset_id, last_due_key, trigger_state, next_due_on)
    SELECT b.id, b.asset_id, b.due_on::text, jsonb_build_object('startOn', '${START_ON}', 'lastGeneratedDueOn', b.due_on::text), (b.due_on + interval '1 month')::date FROM batch b
    ON CONFLICT (plan_id, asset_id) DO UPDATE SET last_due_key = excluded.last_due_key, trigger_state = excluded.trigger_state, next_due_on = excluded.next_due_on, updated_at = now()
    RETURNING 1),
  cl AS (
    INSERT INTO maintenance_checklist_item (work_order_id, position, kind, label, required, unit, min_value, max_value, point_code)
    SELECT wo.id, i.n, i.item->>'kind', i.item->>'label', coalesce((i.item->>'required')::boolean, true), i.item->>'unit', (i.item->>'min')::numeric, (i.item->>'max')::numeric, i.item->>'pointCode'
      FROM wo JOIN batch b ON b.id = wo.plan_id JOIN maintenance_checklist_template t ON t.id = b.checklist_template_id,
           jsonb_array_elements(t.items) WITH ORDINALITY AS i(item, n)
    RETURNING 1),
  pa AS (
    INSERT INTO maintenance_part (work_order_id, item_id, location_id, qty, status)
    SELECT wo.id, (x->>'itemId')::uuid, (x->>'locationId')::uuid, (x->>'qty')::numeric, 'planned'
      FROM wo JOIN batch b ON b.id = wo.plan_id, jsonb_array_elements(b.parts) x
    RETURNING 1),
  ev AS (
    INSERT INTO maintenance_work_order_event (work_order_id, type, to_status, note, data, actor_label)
    SELECT wo.id, 'created', 'approved', 'Due ' || wo.due_on || ' (every month, fixed).', jsonb_build_object('planId', wo.plan_id, 'dueKey', wo.due_key), 'bench' FROM wo
    RETURNING 1),
  au AS (
    INSERT INTO core_audit (actor_type, actor_label, plugin_id, action, entity_type, entity_id, after)
    SELECT 'system', 'bench', 'maintenance', 'created', 'maintenance.work-order', wo.id::text,
           jsonb_build_object('number', 'WO-' || lpad(wo.number::text, 6, '0'), 'type', wo.type, 'status', wo.status, 'assetId', wo.asset_id, 'planId', wo.plan_id, 'dueKey', wo.due_key)
      FROM wo
    RETURNING 1),
  ob AS (
    INSERT INTO core_outbox (name, source, payload)
    SELECT 'maintenance.work-order.created', 'maintenance',
           jsonb_build_object('id', wo.id, 'number', 'WO-' || lpad(wo.number::text, 6, '0'), 'type', wo.type, 'assetId', wo.asset_id, 'status', wo.status,
                              'priority', wo.priority, 'planId', wo.plan_id, 'dueOn', wo.due_on::text, 'title', wo.title)
      FROM wo
    RETURNING 1)
  SELECT (SELECT max(id::text) FROM plans) AS last, (SELECT count(*) FROM plans) AS plans, (SELECT count(*) FROM wo) AS created,
         (SELECT count(*) FROM st) + (SELECT count(*) FROM cl) + (SELECT count(*) FROM pa) + (SELECT count(*) FROM ev) + (SELECT count(*) FROM au) + (SELECT count(*) FROM ob) AS side_rows`;
}

/** One pass the raw way: a run row, then per keyset batch one transaction with one statement, then the run's totals. */
async function baselinePass(target: TargetInfo, asOf: string, mode: 'minimal' | 'full', batchSize: number): Promise<Pass> {
  const db = databaseName(target.databaseUrl);
  const sql0 = sqlCount(db);
  const t0 = performance.now();
  const created = await withClient(target.databaseUrl, async (c) => {
    const { rows: run } = await c.query<{ id: string }>(`INSERT INTO maintenance_generation_run (as_of, instance) VALUES ($1::date, $2) RETURNING id::text AS id`, [asOf, `bench-baseline-${mode}`]);
    const sql = baselineBatchSql(mode);
    let after = '00000000-0000-0000-0000-000000000000';
    let plans = 0;
    let made = 0;
    for (;;) {
      await c.query('BEGIN');
      const { rows } = await c.query<{ last: string | null; plans: string; created: string }>(sql, [after, asOf, batchSize]);
      await c.query('COMMIT');
      plans += Number(rows[0].plans);
      made += Number(rows[0].created);
      if (!rows[0].last || Number(rows[0].plans) < batchSize) break;
      after = rows[0].last;
    }
    await c.query(`UPDATE maintenance_generation_run SET finished_at = clock_timestamp(), plans_checked = $2, work_orders_created = $3 WHERE id = $1::bigint`, [run[0].id, plans, made]);
    return made;
  });
  return { seconds: seconds(t0), created, sql: sqlCount(db) - sql0 };
}

/** Remove what a baseline pass generated for the bench plans, so the next mode starts from the same place. */
async function clearGenerated(url: string): Promise<void> {
  await withClient(url, async (c) => {
    await c.query('BEGIN');
    await c.query(`CREATE TEMP TABLE gone ON COMMIT DROP AS SELECT w.id FROM maintenance_work_order w JOIN maintenance_plan p ON p.id = w.plan_id WHERE p.code LIKE '${PLAN_PREFIX}%'`);
    for (const t of ['maintenance_work_order_event', 'maintenance_checklist_item', 'maintenance_part']) await c.query(`DELETE FROM ${t} WHERE work_order_id IN (SELECT id FROM gone)`);
    await c.query(`DELETE FROM maintenance_work_order WHERE id IN (SELECT id FROM gone)`);
    await c.query(`DELETE FROM maintenance_plan_state st USING maintenance_plan p WHERE p.id = st.plan_id AND p.code LIKE '${PLAN_PREFIX}%'`);
    await c.query('COMMIT');
    await c.query('VACUUM ANALYZE maintenance_work_order');
  });
}

// ------------------------------------------------------------------------------------------------
// The scenario
// ------------------------------------------------------------------------------------------------

interface Side {
  first: Pass;
  second: Pass;
}
const results: { platform?: Side; minimal?: Side; full?: Side } = {};

function printResults(plans: number) {
  const { platform: p, minimal: m, full: f } = results;
  if (!p || !m || !f) return;
  const r = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
  const perSec = (x: Pass) => (x.created ? fmt(Math.round(x.created / x.seconds)) : '–');
  const rows = [
    ['', 'platform', 'baseline minimal', 'baseline full', 'platform/minimal', 'platform/full'],
    ['first pass (s)', p.first.seconds.toFixed(2), m.first.seconds.toFixed(2), f.first.seconds.toFixed(2), r(p.first.seconds, m.first.seconds), r(p.first.seconds, f.first.seconds)],
    ['work orders created', fmt(p.first.created), fmt(m.first.created), fmt(f.first.created), '', ''],
    ['work orders/s', perSec(p.first), perSec(m.first), perSec(f.first), '', ''],
    ['SQL round-trips, first pass', fmt(p.first.sql), fmt(m.first.sql), fmt(f.first.sql), r(p.first.sql, m.first.sql), r(p.first.sql, f.first.sql)],
    ['second pass (s), creates 0', p.second.seconds.toFixed(2), m.second.seconds.toFixed(2), f.second.seconds.toFixed(2), r(p.second.seconds, m.second.seconds), r(p.second.seconds, f.second.seconds)],
    ['SQL round-trips, second pass', fmt(p.second.sql), fmt(m.second.sql), fmt(f.second.sql), '', ''],
  ];
  console.log(
    `\n== ${NAME}: ${fmt(plans)} monthly calendar plans falling due, one per asset, batches of ${process.env.BENCH_MT_BATCH ?? '500 (plugin default)'}\n` +
      `   (minimal baseline: due plans → orders ON CONFLICT DO NOTHING; full: also plan state, checklist items, parts, history, audit, outbox)\n` +
      table(rows),
  );
}

async function iteration(_i: number, { target, state }: IterationContext<State>) {
  const http = clientFor(state.url, target.token);
  const res = await http.get<{ data: { id: string; asOf: string; workOrdersCreated: number }[]; total: number }>('/api/maintenance/scheduler/runs?limit=5');
  check(res.status === 200 && res.body.data.length >= 2 && res.body.total >= 2, `${target.kind}: GET /scheduler/runs answered ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
}

interface State {
  url: string;
}

export default defineScenario<State>({
  name: NAME,
  description: 'a generation pass over BENCH_MT_PLANS monthly plans that all fall due (setup, timed, twice), then GET /api/maintenance/scheduler/runs',

  async setup(target) {
    const plans = envInt('BENCH_MT_PLANS', 50_000);
    const batchSize = envInt('BENCH_MT_BATCH', 500);
    const url = await maintenanceUrl(target);
    const log = (s: string) => say(target, s);
    const asOf = todayUtc();
    if (target.kind === 'platform') {
      // The seeded trigger config must be one the plugin accepts.
      const http = clientFor(url, target.token);
      const preview = await http.post<{ occurrences: { dueOn: string }[] }>('/api/maintenance/plans/preview', { triggerKind: 'calendar', triggerConfig: CALENDAR, from: START_ON, limit: 2 });
      check(preview.status === 200 && preview.body.occurrences[0]?.dueOn === START_ON, `platform: the bench's calendar config previews as ${preview.status} ${JSON.stringify(preview.body).slice(0, 300)}`);
    }
    await seedPlans(target.databaseUrl, plans, log);

    if (target.kind === 'platform') {
      const first = await platformPass(url, target, asOf);
      const made = await withClient(target.databaseUrl, benchOrders);
      check(first.created === plans && made === plans, `platform: first pass created ${first.created} (table: ${made}), expected ${plans}`);
      check(first.plansChecked >= plans, `platform: checked ${first.plansChecked} plans, expected ≥ ${plans}`);
      log(`first pass: ${fmt(first.created)} work orders in ${first.seconds.toFixed(2)} s (${fmt(Math.round(first.created / first.seconds))}/s), ${fmt(first.sql)} SQL round-trips`);
      const second = await platformPass(url, target, asOf);
      check(second.created === 0 && (await withClient(target.databaseUrl, benchOrders)) === plans, `platform: second pass created ${second.created}, expected 0`);
      log(`second pass: 0 work orders in ${second.seconds.toFixed(2)} s, ${fmt(second.sql)} SQL round-trips`);
      results.platform = { first, second };
    } else {
      for (const mode of ['minimal', 'full'] as const) {
        const first = await baselinePass(target, asOf, mode, batchSize);
        const made = await withClient(target.databaseUrl, benchOrders);
        check(first.created === plans && made === plans, `baseline ${mode}: first pass created ${first.created} (table: ${made}), expected ${plans}`);
        const second = await baselinePass(target, asOf, mode, batchSize);
        check(second.created === 0, `baseline ${mode}: second pass created ${second.created}, expected 0`);
        log(`${mode}: first pass ${fmt(first.created)} work orders in ${first.seconds.toFixed(2)} s, second pass ${second.seconds.toFixed(2)} s`);
        results[mode] = { first, second };
        if (mode === 'minimal') await clearGenerated(target.databaseUrl);
      }
      printResults(plans);
    }
    return { url };
  },

  baselineRoutes(app, { pool }) {
    closeWithBaseline(app);
    app.get('/api/maintenance/scheduler/runs', async (req) => {
      const q = req.query as { limit?: string; offset?: string };
      const limit = Math.min(Number(q.limit ?? 50), 500);
      const offset = Number(q.offset ?? 0);
      const { rows } = await pool.query(
        `SELECT id::text AS id, as_of::text AS "asOf", instance, started_at AS "startedAt", finished_at AS "finishedAt", plans_checked AS "plansChecked",
                work_orders_created AS "workOrdersCreated", error, count(*) OVER () AS n
           FROM maintenance_generation_run ORDER BY id DESC LIMIT $1 OFFSET $2`,
        [limit, offset],
      );
      return { data: rows.map(({ n: _n, ...r }) => r), total: rows.length ? Number(rows[0].n) : 0, limit, offset };
    });
  },

  platform: iteration,
  baseline: iteration,
});
