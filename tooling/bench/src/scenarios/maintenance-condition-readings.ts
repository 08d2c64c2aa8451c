/**
 * maintenance-condition-readings: gauge readings evaluated against condition plans as they arrive.
 *
 * Setup seeds, in SQL on each target's database, BENCH_MT_GAUGES (default 200) in-service assets,
 * each with a gauge `temp` and a condition plan on it: above 80 with reset at 75 (hysteresis) and 3
 * consecutive violating readings (the platform's first plan goes through `POST /plans`, so the
 * rule is one the plugin accepts). Each iteration posts one request of BENCH_MT_READINGS_PER_REQUEST
 * (default 100) readings of one gauge, ten seconds apart, continuing that gauge's series: a slow
 * wave around 77 with noise, so the rule trips about once per 400 readings, a noisy sensor wandering
 * around the threshold many times in between. Iteration i reads gauge i mod N, so a gauge's requests
 * come one after the other (N must be at least the concurrency).
 *
 * - platform: `POST /api/maintenance/assets/:assetId/points/temp/readings { readings: [...] }` —
 *   the real path: one transaction, the point locked, each reading stored, audited and announced
 *   (`maintenance.reading.recorded`), the condition plans evaluated by the domain's state machine,
 *   the plan × asset state locked and written, work orders created for the trips.
 * - baseline (Fastify + pg, the same route and body): one transaction — lock the point, lock (upsert)
 *   the plan states, insert the readings in one statement, evaluate the rule with inline number
 *   comparisons, insert the work orders of the trips, write the point's last value and the rule
 *   state. BENCH_MT_READINGS_BASELINE=full also writes an audit row and an outbox event per reading
 *   and a history line per work order, as the platform does.
 *
 * Both sides are checked reading by reading against a reference evaluation of the same series
 * (which readings trip the rule and create a work order), so a wrong or lazy server fails the run.
 * One iteration = one request = BENCH_MT_READINGS_PER_REQUEST readings: readings/s is the
 * throughput row × that number, and the throughput ratio is the readings/s ratio.
 *
 * Setup also prints the pure evaluation rate: readings/s through the domain's `evaluateCondition`,
 * through the condition trigger kind's `due` and the server's `evaluatePair` (what the platform runs
 * per plan and reading), against the same rule as inline comparisons — single-threaded, no I/O.
 */
import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import { check, defineScenario, type IterationContext, type TargetInfo } from '../scenario.js';
import { clientFor, envInt, fmt, table } from './inventory-stock-on-hand.js';
import { closeWithBaseline, maintenanceUrl, withClient } from './maintenance-generate-work-orders.js';
import type * as Domain from '../../../../plugins/maintenance/src/domain/index.js';
import type * as Generation from '../../../../plugins/maintenance/src/server/services/generation.service.js';

const NAME = 'maintenance-condition-readings';
/** The plugin's domain and server internals, for the pure evaluation rate (the package exports neither). */
const DOMAIN = '../../../../plugins/maintenance/src/domain/index.js';
const GENERATION = '../../../../plugins/maintenance/src/server/services/generation.service.js';

const CODE = 'temp';
const RULE = { point: CODE, kind: 'above', threshold: '80', reset: '75', consecutive: 3 } as const;
const THRESHOLD = 80;
const RESET = 75;
const CONSECUTIVE = 3;
const STEP_MS = 10_000;
const PERIOD = 400;

const gauges = () => envInt('BENCH_MT_GAUGES', 200);
const perRequest = () => envInt('BENCH_MT_READINGS_PER_REQUEST', 100);
const tagOf = (g: number) => `BENCH-CBM-${String(g).padStart(6, '0')}`;
/** `route` (default): the readings route with `readings: [...]`; `import`: the same readings as a CSV import (`POST /readings/import`). */
const via = () => {
  const v = process.env.BENCH_MT_READINGS_VIA ?? 'route';
  if (v !== 'route' && v !== 'import') throw new Error(`BENCH_MT_READINGS_VIA must be "route" or "import", got "${v}"`);
  return v;
};
const baselineMode = () => {
  const v = process.env.BENCH_MT_READINGS_BASELINE ?? 'minimal';
  if (v !== 'minimal' && v !== 'full') throw new Error(`BENCH_MT_READINGS_BASELINE must be "minimal" or "full", got "${v}"`);
  return v;
};

// ------------------------------------------------------------------------------------------------
// The series and its reference evaluation
// ------------------------------------------------------------------------------------------------

/** A deterministic number in [0, 1) for gauge g, reading t. */
function noise(g: number, t: number): number {
  let x = (Math.imul(g + 1, 0x9e3779b1) ^ Math.imul(t + 1, 0x85ebca6b)) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d) >>> 0;
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b) >>> 0;
  return ((x ^ (x >>> 16)) >>> 0) / 2 ** 32;
}

/** Reading t of gauge g, one decimal: a wave of 400 readings between 69 and 85, plus ±2.5 of noise. */
export function valueOf(g: number, t: number): string {
  const v = 77 + 8 * Math.sin((2 * Math.PI * (t + g * 37)) / PERIOD) + (noise(g, t) - 0.5) * 5;
  return (Math.round(v * 10) / 10).toFixed(1);
}

const readAtOf = (t0: number, t: number) => new Date(t0 + t * STEP_MS).toISOString().replace('.000Z', 'Z');

/** The rule as the reference sees it: above THRESHOLD, clears at ≤ RESET, fires after CONSECUTIVE in a row. */
interface RefState {
  count: number;
  tripped: boolean;
}
function step(s: RefState, value: number): boolean {
  const violating = value > THRESHOLD;
  s.count = violating ? s.count + 1 : 0;
  if (s.tripped && value <= RESET) s.tripped = false;
  else if (!s.tripped && violating && s.count >= CONSECUTIVE) return (s.tripped = true);
  return false;
}

/** Per gauge (in a load thread): the reference state after the readings evaluated so far. */
const reference = new Map<number, { next: number; state: RefState }>();
/** Which of readings [from, from + n) of gauge g trip the rule. */
function expectedFirings(g: number, from: number, n: number): boolean[] {
  let r = reference.get(g);
  if (!r || r.next > from) reference.set(g, (r = { next: 0, state: { count: 0, tripped: false } }));
  for (; r.next < from; r.next++) step(r.state, Number(valueOf(g, r.next)));
  const out: boolean[] = [];
  for (; r.next < from + n; r.next++) out.push(step(r.state, Number(valueOf(g, r.next))));
  return out;
}

// ------------------------------------------------------------------------------------------------
// Seed
// ------------------------------------------------------------------------------------------------

const assetIdOf = (g: number) => `b3e1c0de-${String(g).padStart(4, '0').slice(-4)}-4000-8000-${String(g).padStart(12, '0')}`;

async function seedGauges(target: TargetInfo, url: string, n: number, log: (s: string) => void): Promise<void> {
  await withClient(target.databaseUrl, async (c) => {
    const { rows } = await c.query<{ n: string }>(`SELECT count(*) AS n FROM maintenance_plan WHERE code LIKE 'BENCH-CBM-%'`);
    if (Number(rows[0].n) === n) return log(`gauges already seeded (${fmt(n)})`);
    const t0 = performance.now();
    await c.query('BEGIN');
    await c.query(
      `INSERT INTO fixed_assets_asset (id, tag, name, purchase_date, acquisition_cost, currency, status)
       SELECT u.id, 'BENCH-CBM-' || lpad((g - 1)::text, 6, '0'), 'Bench motor ' || (g - 1), DATE '2024-06-01', 5000, 'EUR', 'in-service'
         FROM unnest($1::uuid[]) WITH ORDINALITY AS u(id, g)`,
      [Array.from({ length: n }, (_, g) => assetIdOf(g))],
    );
    await c.query(
      `INSERT INTO maintenance_measurement_point (asset_id, code, name, kind, unit)
       SELECT u.id, $2, 'Bearing temperature', 'gauge', '°C' FROM unnest($1::uuid[]) AS u(id)`,
      [Array.from({ length: n }, (_, g) => assetIdOf(g)), CODE],
    );
    // The platform's first plan through the API (so the rule is one the plugin accepts), the others in SQL.
    const viaApi = target.kind === 'platform' ? 1 : 0;
    await c.query(
      `INSERT INTO maintenance_plan (code, name, trigger_kind, trigger_config, work_order_type, asset_id, point_code, instructions)
       SELECT 'BENCH-CBM-' || lpad((u.g - 1)::text, 6, '0'), 'Bearing too hot', 'condition', $2::jsonb, 'inspection', u.id, $3, 'Check the bearing and its lubrication'
         FROM unnest($1::uuid[]) WITH ORDINALITY AS u(id, g) WHERE u.g > $4`,
      [Array.from({ length: n }, (_, g) => assetIdOf(g)), JSON.stringify(RULE), CODE, viaApi],
    );
    await c.query('COMMIT');
    if (viaApi) {
      const res = await clientFor(url, target.token).post('/api/maintenance/plans', {
        code: 'BENCH-CBM-000000',
        name: 'Bearing too hot',
        triggerKind: 'condition',
        triggerConfig: RULE,
        workOrderType: 'inspection',
        assetId: assetIdOf(0),
        instructions: 'Check the bearing and its lubrication',
      });
      check(res.status === 201, `platform: creating the condition plan answered ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`);
    }
    await c.query('ANALYZE fixed_assets_asset; ANALYZE maintenance_measurement_point; ANALYZE maintenance_plan');
    log(`seeded ${fmt(n)} gauges with a condition plan each in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  });
}

// ------------------------------------------------------------------------------------------------
// The pure evaluation rate
// ------------------------------------------------------------------------------------------------

async function evaluationRate(): Promise<void> {
  const domain: typeof Domain = await import(DOMAIN);
  const generation: typeof Generation = await import(GENERATION);
  const n = envInt('BENCH_MT_EVAL_READINGS', 1_000_000);
  const t0 = Date.parse('2026-01-01T00:00:00Z');
  const readings = Array.from({ length: 100_000 }, (_, t) => ({ value: valueOf(0, t), readAt: readAtOf(t0, t) }));
  const rule: Domain.ConditionTriggerConfig = { ...RULE };
  const time = (fn: () => number): { perSec: number; fired: number } => {
    fn(); // warm up the JIT
    const start = performance.now();
    const fired = fn();
    return { perSec: n / ((performance.now() - start) / 1000), fired };
  };
  const inline = time(() => {
    let s: RefState = { count: 0, tripped: false };
    let fired = 0;
    let lastAt = -Infinity;
    for (let i = 0; i < n; i++) {
      if (i % readings.length === 0) {
        s = { count: 0, tripped: false };
        lastAt = -Infinity;
      }
      const r = readings[i % readings.length];
      const at = Date.parse(r.readAt);
      if (at <= lastAt) continue;
      lastAt = at;
      if (step(s, Number(r.value))) fired++;
    }
    return fired;
  });
  // Each pass over the readings starts from a fresh state (the series restarts in time).
  const evaluate = time(() => {
    let state = domain.initialConditionState();
    let fired = 0;
    for (let i = 0; i < n; i++) {
      if (i % readings.length === 0) state = domain.initialConditionState();
      const out = domain.evaluateCondition(rule, state, readings[i % readings.length]);
      state = out.state;
      if (out.fired) fired++;
    }
    return fired;
  });
  const kind = domain.conditionTrigger;
  const due = time(() => {
    let state = kind.initialState(rule, '2026-01-01');
    let fired = 0;
    for (let i = 0; i < n; i++) {
      if (i % readings.length === 0) state = kind.initialState(rule, '2026-01-01');
      const out = kind.due(rule, state, { today: '2026-01-01', readings: { [CODE]: [readings[i % readings.length]] } });
      state = out.state;
      fired += out.work.length;
    }
    return fired;
  });
  const plan = { id: 'p', code: 'BENCH', name: 'Bearing too hot', trigger_kind: 'condition', trigger_config: rule, work_order_type: 'inspection', parts: [] } as unknown as Generation.PlanRow;
  const pair = time(() => {
    let stored: Generation.StateRow | null = null;
    let fired = 0;
    for (let i = 0; i < n; i++) {
      if (i % readings.length === 0) stored = null;
      const out = generation.evaluatePair(kind, plan, stored, { today: '2026-01-01', readings: { [CODE]: [readings[i % readings.length]] } });
      if (out.update)
        stored = { plan_id: 'p', asset_id: 'a', trigger_state: out.update.triggerState, last_due_key: out.update.lastDueKey, next_due_on: out.update.nextDueOn, next_due_total: out.update.nextDueTotal, last_completed_on: null, last_completed_total: null };
      fired += out.work.length;
    }
    return fired;
  });
  check(evaluate.fired === inline.fired && due.fired === inline.fired && pair.fired === inline.fired, `evaluation: fired ${evaluate.fired} / ${due.fired} / ${pair.fired}, inline reference ${inline.fired}`);
  const rows = [
    ['evaluation (one thread, no I/O)', 'readings/s', 'vs inline'],
    ['inline comparisons (baseline)', fmt(Math.round(inline.perSec)), '1.00×'],
    ['domain evaluateCondition', fmt(Math.round(evaluate.perSec)), `${(inline.perSec / evaluate.perSec).toFixed(2)}× slower`],
    ['conditionTrigger.due (one reading)', fmt(Math.round(due.perSec)), `${(inline.perSec / due.perSec).toFixed(2)}× slower`],
    ['server evaluatePair (per plan × reading)', fmt(Math.round(pair.perSec)), `${(inline.perSec / pair.perSec).toFixed(2)}× slower`],
  ];
  console.log(`\n== ${NAME}: rule above 80 / reset 75 / 3 consecutive, ${fmt(n)} readings, ${fmt(inline.fired)} trips (target 10,000 readings/s)\n${table(rows)}\n`);
}

// ------------------------------------------------------------------------------------------------
// The iteration: one request of readings, checked reading by reading
// ------------------------------------------------------------------------------------------------

interface State {
  url: string;
  t0: number;
  gauges: number;
  perRequest: number;
  via: 'route' | 'import';
}

interface RecordedOut {
  id: string;
  status: string;
  created: boolean;
  workOrderIds: string[];
}

interface ImportOut {
  counts: { rows: number; accepted: number };
  imported: number;
  rows: { row: number; status: string; readingId: string | null }[];
  workOrderIds: string[];
}

async function iteration(i: number, { target, state }: IterationContext<State>) {
  const g = i % state.gauges;
  const from = Math.floor(i / state.gauges) * state.perRequest;
  const readings = Array.from({ length: state.perRequest }, (_, k) => ({ value: valueOf(g, from + k), readAt: readAtOf(state.t0, from + k) }));
  const expected = expectedFirings(g, from, state.perRequest);
  const http = clientFor(state.url, target.token);
  if (state.via === 'import') {
    // The CSV import answers per row, and the work orders of the whole file.
    const csv = ['asset_tag,point_code,value,read_at', ...readings.map((r) => `${tagOf(g)},${CODE},${r.value},${r.readAt}`)].join('\n');
    const res = await http.post<ImportOut>('/api/maintenance/readings/import', { csv });
    check(res.status === 200, `${target.kind}: POST /readings/import answered ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`);
    const b = res.body;
    check(b.imported === readings.length && b.rows.length === readings.length && b.rows.every((r) => r.status === 'accepted' && r.readingId), `${target.kind}: import of ${readings.length} rows: ${JSON.stringify(b.counts)}`);
    const trips = expected.filter(Boolean).length;
    check(b.workOrderIds.length === trips, `${target.kind}: readings ${from}… of gauge ${g} made ${b.workOrderIds.length} work orders, the rule says ${trips}`);
    return;
  }
  const res = await http.post<{ data: RecordedOut[] }>(`/api/maintenance/assets/${assetIdOf(g)}/points/${CODE}/readings`, { readings });
  check(res.status === 201, `${target.kind}: POST readings answered ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`);
  const data = res.body.data;
  check(data?.length === readings.length, `${target.kind}: ${data?.length} verdicts for ${readings.length} readings`);
  for (let k = 0; k < data.length; k++) {
    const d = data[k];
    check(d.status === 'accepted' && d.created && d.id, `${target.kind}: reading ${from + k} of gauge ${g}: ${JSON.stringify(d).slice(0, 200)}`);
    check(d.workOrderIds.length === (expected[k] ? 1 : 0), `${target.kind}: reading ${from + k} of gauge ${g} (${readings[k].value}) made ${d.workOrderIds.length} work orders, the rule says ${expected[k] ? 1 : 0}`);
  }
}

// ------------------------------------------------------------------------------------------------
// Baseline: the same route in Fastify + pg
// ------------------------------------------------------------------------------------------------

interface RuleState {
  count: number;
  tripped: boolean;
  lastValue: string | null;
  lastAt: string | null;
}

type Ingested = { status: number; body: unknown; rows?: { id: string; value: string; readAt: Date; workOrderIds: string[] }[] };

function baselineRoute(app: FastifyInstance, pool: pg.Pool) {
  const full = baselineMode() === 'full';
  app.post('/api/maintenance/assets/:assetId/points/:code/readings', async (req, reply) => {
    const { assetId, code } = req.params as { assetId: string; code: string };
    const body = req.body as { readings?: { value: string | number; readAt: string; sourceRef?: string }[] };
    const out = await ingest(assetId, code, body.readings ?? []);
    if (!out.rows) return reply.code(out.status).send(out.body);
    return reply.code(201).send({ data: out.rows.map((r) => ({ id: r.id, pointId: null, assetId, code, value: r.value, readAt: r.readAt, status: 'accepted', created: true, workOrderIds: r.workOrderIds })) });
  });
  // The CSV import of one point's readings (all the bench sends): resolve the tag, then the same work.
  app.post('/api/maintenance/readings/import', async (req, reply) => {
    const lines = String((req.body as { csv?: string }).csv ?? '').split('\n').slice(1).map((l) => l.split(','));
    if (!lines.length || new Set(lines.map((l) => `${l[0]},${l[1]}`)).size !== 1) return reply.code(422).send({ title: 'the bench baseline imports one point per file', status: 422 });
    const { rows: assets } = await pool.query<{ id: string }>(`SELECT id FROM fixed_assets_asset WHERE tag = $1`, [lines[0][0]]);
    if (!assets[0]) return reply.code(422).send({ title: 'unknown tag', status: 422 });
    const out = await ingest(assets[0].id, lines[0][1], lines.map((l) => ({ value: l[2], readAt: l[3] })));
    if (!out.rows) return reply.code(out.status).send(out.body);
    return {
      dryRun: false,
      skipInvalidRows: false,
      counts: { rows: lines.length, accepted: lines.length, flagged: 0, duplicate: 0, invalid: 0 },
      imported: lines.length,
      rows: out.rows.map((r, k) => ({ row: k + 2, assetTag: lines[k][0], pointCode: lines[k][1], value: r.value, readAt: lines[k][3], status: 'accepted', readingId: r.id, message: null })),
      workOrderIds: out.rows.flatMap((r) => r.workOrderIds),
    };
  });

  async function ingest(assetId: string, code: string, readings: { value: string | number; readAt: string; sourceRef?: string }[]): Promise<Ingested> {
    const list = readings.map((r, i) => ({ ...r, i, ms: Date.parse(r.readAt) })).sort((a, b) => a.ms - b.ms || a.i - b.i);
    if (!list.length || list.some((r) => Number.isNaN(r.ms) || !Number.isFinite(Number(r.value)))) return { status: 400, body: { title: 'Bad readings', status: 400 } };
    const c = await pool.connect();
    try {
      await c.query('BEGIN');
      const { rows: points } = await c.query<{ id: string; active: boolean }>(`SELECT id, active FROM maintenance_measurement_point WHERE asset_id = $1 AND code = $2 AND kind = 'gauge' FOR UPDATE`, [assetId, code]);
      const point = points[0];
      if (!point || !point.active) {
        await c.query('ROLLBACK');
        return { status: point ? 409 : 404, body: { title: point ? 'Measurement point inactive' : 'No such point', status: point ? 409 : 404 } };
      }
      // The asset's condition plans on this point, their state rows created if missing and locked (upsert).
      const { rows: plans } = await c.query<{ plan_id: string; trigger_state: Partial<RuleState>; cfg: Record<string, any>; name: string; type: string; currency: string }>(
        `WITH s AS (
           INSERT INTO maintenance_plan_state (plan_id, asset_id)
           SELECT p.id, $1 FROM maintenance_plan p WHERE p.active AND p.trigger_kind = 'condition' AND p.asset_id = $1 AND p.point_code = $2 ORDER BY p.id
           ON CONFLICT (plan_id, asset_id) DO UPDATE SET updated_at = now()
           RETURNING plan_id, trigger_state)
         SELECT s.plan_id, s.trigger_state, p.trigger_config AS cfg, p.name, p.work_order_type AS type, a.currency
           FROM s JOIN maintenance_plan p ON p.id = s.plan_id JOIN fixed_assets_asset a ON a.id = $1`,
        [assetId, code],
      );
      const { rows: stored } = await c.query<{ id: string; value: string; read_at: Date }>(
        `WITH r AS (
           INSERT INTO maintenance_reading (point_id, value, read_at, status, source, source_ref, created_by_label)
           SELECT $1, v, t, 'accepted', 'manual', s, 'bench' FROM unnest($2::numeric[], $3::timestamptz[], $4::text[]) WITH ORDINALITY AS u(v, t, s, n) ORDER BY n
           RETURNING id, point_id, value, read_at)${
             full
               ? `,
         au AS (INSERT INTO core_audit (actor_type, actor_label, plugin_id, action, entity_type, entity_id, after)
                SELECT 'system', 'bench', 'maintenance', 'recorded', 'maintenance.reading', r.id::text, jsonb_build_object('pointId', r.point_id, 'code', $5::text, 'value', r.value::text, 'readAt', r.read_at, 'status', 'accepted') FROM r),
         ob AS (INSERT INTO core_outbox (name, source, payload)
                SELECT 'maintenance.reading.recorded', 'maintenance', jsonb_build_object('pointId', r.point_id, 'assetId', $6::uuid, 'code', $5::text, 'kind', 'gauge', 'value', r.value::text, 'readAt', r.read_at, 'status', 'accepted') FROM r)`
               : ''
           }
         SELECT r.id::text AS id, r.value::text AS value, r.read_at FROM r ORDER BY r.id`,
        [point.id, list.map((r) => String(r.value)), list.map((r) => r.readAt), list.map((r) => r.sourceRef ?? null), ...(full ? [code, assetId] : [])],
      );
      // The rule, inline: above threshold (strictly), reset at ≤ reset, N consecutive; readings not after the last one are ignored.
      const trips: { k: number; planId: string; name: string; type: string; currency: string; at: string }[] = [];
      const states = plans.map((p) => {
        const st: RuleState = { count: 0, tripped: false, lastValue: null, lastAt: null, ...p.trigger_state };
        const threshold = Number(p.cfg.threshold);
        const reset = p.cfg.reset == null ? threshold : Number(p.cfg.reset);
        const n = p.cfg.consecutive ?? 1;
        let lastMs = st.lastAt ? Date.parse(st.lastAt) : -Infinity;
        list.forEach((r, k) => {
          if (r.ms <= lastMs) return;
          lastMs = r.ms;
          const v = Number(r.value);
          const violating = v > threshold;
          st.count = violating ? st.count + 1 : 0;
          if (st.tripped && v <= reset) st.tripped = false;
          else if (!st.tripped && violating && st.count >= n) {
            st.tripped = true;
            trips.push({ k, planId: p.plan_id, name: p.name, type: p.type, currency: p.currency, at: new Date(r.ms).toISOString().replace('.000Z', 'Z') });
          }
          st.lastValue = String(r.value);
          st.lastAt = new Date(r.ms).toISOString().replace('.000Z', 'Z');
        });
        return { planId: p.plan_id, state: st };
      });
      const woByReading = new Map<number, string[]>();
      if (trips.length) {
        const { rows: wos } = await c.query<{ id: string; due_key: string; plan_id: string }>(
          `WITH wo AS (
             INSERT INTO maintenance_work_order (type, status, priority, asset_id, title, plan_id, due_key, due_on, generate_reason, currency, created_by_label)
             SELECT t, 'approved', 'low', $1, title, p, 'condition:' || at, (at::timestamptz AT TIME ZONE 'UTC')::date, $2::text || ' at ' || at || ': above the threshold.', cur, 'bench'
               FROM unnest($3::text[], $4::text[], $5::uuid[], $6::text[], $7::text[]) AS u(t, title, p, at, cur)
             ON CONFLICT (plan_id, asset_id, due_key) WHERE plan_id IS NOT NULL DO NOTHING
             RETURNING id, due_key, plan_id)${
               full
                 ? `,
           ev AS (INSERT INTO maintenance_work_order_event (work_order_id, type, to_status, data, actor_label) SELECT id, 'created', 'approved', jsonb_build_object('planId', plan_id, 'dueKey', due_key), 'bench' FROM wo)`
                 : ''
             }
           SELECT id, due_key, plan_id::text AS plan_id FROM wo`,
          [assetId, code, trips.map((t) => t.type), trips.map((t) => t.name), trips.map((t) => t.planId), trips.map((t) => t.at), trips.map((t) => t.currency)],
        );
        const byKey = new Map(wos.map((w) => [`${w.plan_id}|${w.due_key}`, w.id]));
        for (const t of trips) {
          const id = byKey.get(`${t.planId}|condition:${t.at}`);
          if (id) woByReading.set(t.k, [...(woByReading.get(t.k) ?? []), id]);
        }
      }
      const last = list[list.length - 1];
      await c.query(
        `WITH pt AS (UPDATE maintenance_measurement_point SET last_value = $2, last_read_at = $3 WHERE id = $1 AND (last_read_at IS NULL OR last_read_at <= $3) RETURNING 1)
         UPDATE maintenance_plan_state st SET trigger_state = u.s, last_due_key = coalesce(u.k, st.last_due_key), updated_at = now()
           FROM unnest($4::uuid[], $5::jsonb[], $6::text[]) AS u(p, s, k) WHERE st.plan_id = u.p AND st.asset_id = $7`,
        [
          point.id,
          String(last.value),
          last.readAt,
          states.map((s) => s.planId),
          states.map((s) => JSON.stringify(s.state)),
          states.map((s) => {
            const t = trips.filter((x) => x.planId === s.planId).pop();
            return t ? `condition:${t.at}` : null;
          }),
          assetId,
        ],
      );
      await c.query('COMMIT');
      // Answer in the order sent.
      const rows = new Array(list.length);
      list.forEach((r, k) => (rows[r.i] = { id: stored[k].id, value: stored[k].value, readAt: stored[k].read_at, workOrderIds: woByReading.get(k) ?? [] }));
      return { status: 201, body: null, rows };
    } catch (err) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      c.release();
    }
  }
}

// ------------------------------------------------------------------------------------------------
// The scenario
// ------------------------------------------------------------------------------------------------

export default defineScenario<State>({
  name: NAME,
  description: `${via() === 'import' ? 'POST /api/maintenance/readings/import (CSV)' : 'POST /api/maintenance/assets/:id/points/temp/readings'}, ${perRequest()} gauge readings per request evaluated against a condition plan (1 op = ${perRequest()} readings: readings/s = ops/s × ${perRequest()}; baseline: ${baselineMode()})`,
  requestsPerIteration: 1,

  async setup(target) {
    const n = gauges();
    const concurrency = envInt('BENCH_CONCURRENCY', 8);
    check(n >= concurrency, `BENCH_MT_GAUGES (${n}) must be at least BENCH_CONCURRENCY (${concurrency}): a gauge's requests must come one after the other`);
    const url = await maintenanceUrl(target);
    const log = (s: string) => console.log(`  [${NAME}] ${target.kind}: ${s}`);
    if (target.kind === 'platform') await evaluationRate();
    await seedGauges(target, url, n, log);
    // The series starts 20 days ago (readings may not be in the future), on a whole minute.
    const t0 = Math.floor((Date.now() - 20 * 86_400_000) / 60_000) * 60_000;
    if (target.kind === 'platform')
      log(`${fmt(n)} gauges, ${perRequest()} readings per request, ${concurrency} concurrent clients; baseline "${baselineMode()}" (BENCH_MT_READINGS_BASELINE=full: also audit, outbox and history rows)`);
    return { url, t0, gauges: n, perRequest: perRequest(), via: via() };
  },

  baselineRoutes(app, { pool }) {
    closeWithBaseline(app);
    baselineRoute(app, pool);
  },

  platform: iteration,
  baseline: iteration,
});
