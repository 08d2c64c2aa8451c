/**
 * Generating work orders from plans: the scheduler's passes (calendar, meter and contributed
 * trigger kinds, every active plan × asset) and the immediate evaluation of meter and condition
 * plans when a reading is accepted (readings.service.ts).
 *
 * Contract with work order completion (work-orders code, not here): when a work order that has a
 * `plan_id` is completed, that code sets, in the same transaction,
 *   maintenance_plan_state.last_completed_on    = the completion date (UTC `YYYY-MM-DD`), and
 *   maintenance_plan_state.last_completed_total = the plan's meter point total at completion (meter plans)
 * for the row (plan_id, asset_id) — creating the row if it is missing. Floating plans count their
 * next due date (last completion + interval) or due total (total at completion + every) from these
 * two columns; fixed plans ignore them. Nothing else in `maintenance_plan_state` is written outside
 * this file.
 *
 * Per plan × asset, `maintenance_plan_state` holds:
 * - `trigger_state`: the trigger kind's own state (domain/triggers.ts): calendar `{ startOn,
 *   lastGeneratedDueOn }`, meter `{ lastGeneratedDueTotal }`, condition the hysteresis state machine;
 *   `last_completed_*` are merged into it on every evaluation and never stored there.
 * - `last_due_key`: the occurrence of the latest generated work order (`2026-05-01`, `meter:1250`…).
 * - `next_due_on` / `next_due_total`: the next occurrence not generated yet, for lists and calendars.
 * A calendar plan × asset starts on the plan's `triggerConfig.startOn`, or else on the day the pair
 * was first evaluated, so an asset registered later in a plan's category starts its own schedule then.
 *
 * Idempotence: the unique index (plan_id, asset_id, due_key) makes `createWorkOrders` insert each
 * occurrence once however many instances evaluate it; the state rows of a batch are locked
 * (`FOR UPDATE`, in plan × asset order) so two passes over the same plans run one after the other
 * and the second sees what the first generated.
 *
 * Work is generated only for assets in use: in service, checked out, in maintenance or in transit.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Actor, PluginContext, Transaction } from '@quartermaster/sdk';
import { SYSTEM_ACTOR, readerOf, withSavepoint, type Db } from '@quartermaster/core';
import {
  BUILTIN_TRIGGER_KINDS,
  addDays,
  createTriggerRegistry,
  isIsoDate,
  priorityFor,
  type AnyTriggerKind,
  type DueWork,
  type TriggerInput,
  type TriggerRegistry,
} from '../../domain/index.js';
import { triggerKinds, type Criticality, type Priority, type WorkOrderType } from '../../shared/index.js';
import { createWorkOrder, createWorkOrders, type NewWorkOrder } from './work-order-store.js';

/** Asset statuses that get generated work. */
export const WORKING_ASSET_STATUSES = ['in-service', 'checked-out', 'in-maintenance', 'in-transit'] as const;

export const SCHEDULER_ACTOR: Actor = Object.freeze({ ...SYSTEM_ACTOR, label: 'maintenance scheduler' }) as Actor;

// ---------------------------------------------------------------------------------------------
// Trigger kinds

const registries = new WeakMap<object, TriggerRegistry>();

/** The built-in kinds plus every contribution to `maintenance.trigger-kinds` (a duplicate id fails the boot). */
export function triggerRegistryOf(ctx: PluginContext<any>): TriggerRegistry {
  let registry = registries.get(ctx);
  if (!registry) {
    registry = createTriggerRegistry(BUILTIN_TRIGGER_KINDS);
    for (const kind of ctx.extensions(triggerKinds)) registry.register(kind as AnyTriggerKind);
    registry.freeze();
    registries.set(ctx, registry);
  }
  return registry;
}

// ---------------------------------------------------------------------------------------------
// Plans and their state

/** The plan columns evaluation needs. */
export interface PlanRow {
  id: string;
  code: string;
  name: string;
  description: string | null;
  trigger_kind: string;
  trigger_config: Record<string, any>;
  work_order_type: Exclude<WorkOrderType, 'corrective'>;
  asset_id: string | null;
  category_id: string | null;
  point_code: string | null;
  priority: Priority | null;
  takes_out_of_service: boolean;
  estimated_minutes: number | null;
  checklist_template_id: string | null;
  team_id: string | null;
  assignee_user_id: string | null;
  parts: Array<{ itemId: string; qty: string; locationId?: string | null }>;
  instructions: string | null;
}

export const PLAN_EVAL_COLUMNS = `p.id, p.code, p.name, p.description, p.trigger_kind, p.trigger_config, p.work_order_type, p.asset_id, p.category_id, p.point_code,
  p.priority, p.takes_out_of_service, p.estimated_minutes, p.checklist_template_id, p.team_id, p.assignee_user_id, p.parts, p.instructions`;

/** A plan × asset state row as read for evaluation. */
export interface StateRow {
  plan_id: string;
  asset_id: string;
  last_completed_on: string | null;
  last_completed_total: string | null;
  last_due_key: string | null;
  trigger_state: Record<string, any>;
  next_due_on: string | null;
  next_due_total: string | null;
}

const STATE_COLUMNS = `st.plan_id, st.asset_id, st.last_completed_on::text AS last_completed_on, st.last_completed_total::text AS last_completed_total,
  st.last_due_key, st.trigger_state, st.next_due_on::text AS next_due_on, st.next_due_total::text AS next_due_total`;

/** Fields merged into a kind's state from their own columns, never stored in `trigger_state`. */
const DERIVED = ['lastCompletedOn', 'lastCompletedAtTotal'] as const;

/**
 * The state a kind sees for a plan × asset: the stored one (or the kind's initial state), the
 * calendar start from the plan, and the last completion from the columns the completion code sets.
 */
export function kindState(kind: AnyTriggerKind, plan: Pick<PlanRow, 'trigger_kind' | 'trigger_config'>, stored: Pick<StateRow, 'trigger_state' | 'last_completed_on' | 'last_completed_total'> | null, today: string): Record<string, any> {
  const config = plan.trigger_config;
  const saved = stored?.trigger_state ?? {};
  let state: Record<string, any> = Object.keys(saved).length ? { ...saved } : { ...kind.initialState(config, today) };
  if (plan.trigger_kind === 'calendar') {
    state = { ...state, startOn: config.startOn ?? state.startOn ?? today, lastCompletedOn: stored?.last_completed_on ?? null };
  } else if (plan.trigger_kind === 'meter') {
    state = { ...state, lastCompletedAtTotal: stored?.last_completed_total ?? null };
  }
  return state;
}

const storedState = (state: Record<string, any>): Record<string, any> => {
  const copy = { ...state };
  for (const k of DERIVED) delete copy[k];
  return copy;
};

/** The next occurrence not generated yet: a date (calendar and dated kinds) or a meter total. */
export function nextDue(kind: AnyTriggerKind, plan: PlanRow, state: Record<string, any>, today: string): { on: string | null; total: string | null } {
  if (!kind.preview) return { on: null, total: null };
  try {
    if (plan.trigger_kind === 'calendar') {
      const from = state.lastGeneratedDueOn ? addDays(state.lastGeneratedDueOn, 1) : state.startOn ?? today;
      return { on: kind.preview(plan.trigger_config, state, from, 1)[0] ?? null, total: null };
    }
    const first = kind.preview(plan.trigger_config, state, today, 1)[0] ?? null;
    if (plan.trigger_kind === 'meter') return { on: null, total: first };
    return { on: first && isIsoDate(first) ? first : null, total: null };
  } catch {
    return { on: null, total: null };
  }
}

/** What evaluating one plan × asset produced. */
export interface PairOutcome {
  work: DueWork[];
  /** The row values to store, or null when nothing changed. */
  update: { triggerState: Record<string, any>; lastDueKey: string | null; nextDueOn: string | null; nextDueTotal: string | null } | null;
}

/** Run a plan's trigger for one asset (pure apart from the registry lookup). */
export function evaluatePair(kind: AnyTriggerKind, plan: PlanRow, stored: StateRow | null, input: TriggerInput): PairOutcome {
  const before = kindState(kind, plan, stored, input.today);
  const result = kind.due(plan.trigger_config, before, input);
  const after = result.state as Record<string, any>;
  const next = nextDue(kind, plan, after, input.today);
  const triggerState = storedState(after);
  const lastDueKey = result.work.length ? result.work[result.work.length - 1].dueKey : (stored?.last_due_key ?? null);
  const same =
    stored !== null &&
    JSON.stringify(triggerState) === JSON.stringify(stored.trigger_state) &&
    lastDueKey === stored.last_due_key &&
    next.on === stored.next_due_on &&
    sameDecimal(next.total, stored.next_due_total);
  return { work: result.work, update: same ? null : { triggerState, lastDueKey, nextDueOn: next.on, nextDueTotal: next.total } };
}

const sameDecimal = (a: string | null, b: string | null) => (a === null || b === null ? a === b : Number(a) === Number(b) && a.replace(/\.?0+$/, '') === b.replace(/\.?0+$/, ''));

/** The work order a due occurrence of a plan makes on an asset. */
export function dueWorkOrderInput(plan: PlanRow, assetId: string, criticality: Criticality, work: DueWork, today: string): NewWorkOrder {
  const type = plan.work_order_type;
  return {
    type,
    assetId,
    title: plan.name,
    description: plan.instructions ?? plan.description,
    priority: priorityFor(criticality, type, plan.priority),
    planId: plan.id,
    dueKey: work.dueKey,
    dueOn: work.dueOn ?? today,
    dueTotal: work.dueMeterValue ?? null,
    generateReason: work.generateReason,
    takesOutOfService: plan.takes_out_of_service,
    checklistTemplateId: plan.checklist_template_id,
    teamId: plan.team_id,
    assigneeUserId: plan.assignee_user_id,
    plannedMinutes: plan.estimated_minutes,
    parts: plan.parts.map((p) => ({ itemId: p.itemId, qty: String(p.qty), locationId: p.locationId ?? null })),
  };
}

/**
 * Create the work order of one due occurrence; null when it already existed (or, `isolated`, when
 * the asset cannot take work now: the failure is logged and the rest of the transaction goes on).
 * Not isolated, a failure throws (one statement less per order for the bulk path, which retries a
 * failed batch isolated).
 */
export async function createDueWorkOrder(
  tx: Transaction,
  plan: PlanRow,
  assetId: string,
  criticality: Criticality,
  work: DueWork,
  today: string,
  log?: PluginContext['log'],
  isolated = true,
): Promise<string | null> {
  const create = () => createWorkOrder(tx, dueWorkOrderInput(plan, assetId, criticality, work, today));
  if (!isolated) return (await create())?.id ?? null;
  const outcome = await withSavepoint(tx, 'maintenance_generate', create);
  if (!outcome.ok) {
    log?.warn({ err: outcome.error, planId: plan.id, assetId, dueKey: work.dueKey }, 'maintenance: could not generate a work order');
    return null;
  }
  return outcome.value?.id ?? null;
}

/**
 * Create the work orders of many due occurrences in one set of statements (`createWorkOrders`);
 * answers the created ids, one entry per occurrence (null: it existed already). Not isolated, a
 * failure throws. Isolated, the whole set runs in a savepoint, and if it fails, each occurrence
 * runs again in its own savepoint, so one asset that cannot take work does not hold back the rest
 * (its failure is logged).
 */
export async function createDueWorkOrders(
  tx: Transaction,
  due: Array<{ plan: PlanRow; assetId: string; criticality: Criticality; work: DueWork }>,
  today: string,
  log?: PluginContext['log'],
  isolated = true,
): Promise<Array<string | null>> {
  if (!due.length) return [];
  const all = () => createWorkOrders(tx, due.map((d) => dueWorkOrderInput(d.plan, d.assetId, d.criticality, d.work, today)));
  if (!isolated) return (await all()).map((r) => r?.id ?? null);
  if (due.length > 1) {
    const outcome = await withSavepoint(tx, 'maintenance_generate_all', all);
    if (outcome.ok) return outcome.value.map((r) => r?.id ?? null);
  }
  const ids: Array<string | null> = [];
  for (const d of due) ids.push(await createDueWorkOrder(tx, d.plan, d.assetId, d.criticality, d.work, today, log, true));
  return ids;
}

type StateUpdate = { planId: string; assetId: string } & NonNullable<PairOutcome['update']>;

/** The UPDATE of changed plan × asset states, its six array parameters numbered from `$first` (see `stateUpdateParams`). */
export const stateUpdateSql = (first: number) => {
  const $ = (k: number) => `$${first + k}`;
  return `UPDATE maintenance_plan_state st
        SET trigger_state = u.s, last_due_key = u.k, next_due_on = u.d, next_due_total = u.t, updated_at = now()
       FROM unnest(${$(0)}::uuid[], ${$(1)}::uuid[], ${$(2)}::jsonb[], ${$(3)}::text[], ${$(4)}::date[], ${$(5)}::numeric[]) AS u(p, a, s, k, d, t)
      WHERE st.plan_id = u.p AND st.asset_id = u.a`;
};
export const stateUpdateParams = (rows: StateUpdate[]): unknown[] => [
  rows.map((r) => r.planId),
  rows.map((r) => r.assetId),
  rows.map((r) => JSON.stringify(r.triggerState)),
  rows.map((r) => r.lastDueKey),
  rows.map((r) => r.nextDueOn),
  rows.map((r) => r.nextDueTotal),
];

/** Write changed plan × asset states in one statement. */
export async function writeStates(tx: Db, rows: StateUpdate[]): Promise<void> {
  if (!rows.length) return;
  await tx.execute(stateUpdateSql(1), stateUpdateParams(rows));
}

/** Make sure the state rows exist, then lock and read them, in plan × asset order. */
export async function lockStates(tx: Db, pairs: Array<{ planId: string; assetId: string }>): Promise<Map<string, StateRow>> {
  const out = new Map<string, StateRow>();
  if (!pairs.length) return out;
  const sorted = [...pairs].sort((x, y) => (x.planId === y.planId ? cmp(x.assetId, y.assetId) : cmp(x.planId, y.planId)));
  const p = sorted.map((x) => x.planId);
  const a = sorted.map((x) => x.assetId);
  await tx.execute(
    `INSERT INTO maintenance_plan_state (plan_id, asset_id)
     SELECT p, a FROM unnest($1::uuid[], $2::uuid[]) AS u(p, a) ORDER BY p, a ON CONFLICT DO NOTHING`,
    [p, a],
  );
  const rows = await tx.execute<StateRow>(
    `SELECT ${STATE_COLUMNS} FROM maintenance_plan_state st JOIN unnest($1::uuid[], $2::uuid[]) AS u(p, a) ON st.plan_id = u.p AND st.asset_id = u.a
      ORDER BY st.plan_id, st.asset_id FOR UPDATE OF st`,
    [p, a],
  );
  for (const r of rows) out.set(pairKey(r.plan_id, r.asset_id), r);
  return out;
}

// uuids compare as PostgreSQL orders them (byte order = lower-case hex text order).
const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
export const pairKey = (planId: string, assetId: string) => `${planId}|${assetId}`;

// ---------------------------------------------------------------------------------------------
// Categories and criticality, loaded once per pass

interface CategoryTree {
  children: Map<string, string[]>;
  parent: Map<string, string | null>;
  defaultCriticality: Map<string, Criticality>;
}

async function loadCategories(db: Db): Promise<CategoryTree> {
  const rows = await db.execute<{ id: string; parent_id: string | null; default_criticality: Criticality | null }>(
    `SELECT c.id, c.parent_id, s.default_criticality FROM core_category c LEFT JOIN maintenance_category_settings s ON s.category_id = c.id`,
  );
  const tree: CategoryTree = { children: new Map(), parent: new Map(), defaultCriticality: new Map() };
  for (const r of rows) {
    tree.parent.set(r.id, r.parent_id);
    if (r.default_criticality) tree.defaultCriticality.set(r.id, r.default_criticality);
    if (r.parent_id) tree.children.set(r.parent_id, [...(tree.children.get(r.parent_id) ?? []), r.id]);
  }
  return tree;
}

function subtree(tree: CategoryTree, root: string): string[] {
  const out: string[] = [];
  const stack = [root];
  const seen = new Set<string>();
  while (stack.length) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(id);
    stack.push(...(tree.children.get(id) ?? []));
  }
  return out;
}

function inheritedCriticality(tree: CategoryTree, categoryId: string | null): Criticality | null {
  for (let id = categoryId, depth = 0; id && depth < 64; id = tree.parent.get(id) ?? null, depth++) {
    const c = tree.defaultCriticality.get(id);
    if (c) return c;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Generation passes

export interface GenerationRun {
  id: string;
  asOf: string;
  instance: string;
  startedAt: string;
  finishedAt: string | null;
  plansChecked: number;
  workOrdersCreated: number;
  error: string | null;
}

/** Batches of one pass in flight at once (each its own transaction and connection). */
const PASS_CONCURRENCY = 2;

/** This process's name in run records: host, pid and a random suffix (two platforms in one process differ). */
export const instanceName = () => `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

/**
 * One generation pass as of a day: every active plan whose trigger is calendar, meter or a
 * contributed kind (condition plans are evaluated as readings arrive), for every asset it applies
 * to, in batches of `batchSize` plans, one transaction per batch. Records a
 * `maintenance_generation_run` row and answers it.
 */
export async function generateDueWorkOrders(
  ctx: PluginContext<any>,
  o: { asOf: string; instance: string; batchSize: number; actor?: Actor },
): Promise<GenerationRun> {
  const db = readerOf(ctx);
  const registry = triggerRegistryOf(ctx);
  const actor = o.actor ?? SCHEDULER_ACTOR;
  const [run] = await db.execute<{ id: string }>(`INSERT INTO maintenance_generation_run (as_of, instance) VALUES ($1::date, $2) RETURNING id::text AS id`, [o.asOf, o.instance]);
  let plansChecked = 0;
  let created = 0;
  const errors: string[] = [];
  try {
    const tree = await loadCategories(db);
    // Fast path: one transaction per batch. If anything in it fails, the batch runs again with every
    // work order in its own savepoint, so one bad plan does not hold the others back.
    const runBatch = async (plans: PlanRow[]) => {
      const runnable = plans.filter((p) => {
        if (registry.get(p.trigger_kind)) return true;
        errors.push(`plan ${p.code}: trigger kind ${p.trigger_kind} is not available`);
        return false;
      });
      let batchErrors: string[] = [];
      try {
        const n = await ctx.transaction(actor, (tx) => generateBatch(tx, ctx, registry, tree, runnable, o.asOf, (batchErrors = []), false));
        created += n;
        plansChecked += plans.length;
      } catch {
        try {
          const n = await ctx.transaction(actor, (tx) => generateBatch(tx, ctx, registry, tree, runnable, o.asOf, (batchErrors = []), true));
          created += n;
          plansChecked += plans.length;
        } catch (err) {
          ctx.log.error({ err, runId: run.id }, 'maintenance generation batch failed');
          batchErrors.push(`batch after plan ${plans[0].code}: ${(err as Error)?.message ?? String(err)}`);
        }
      }
      errors.push(...batchErrors);
    };
    // Batches hold disjoint plans (so disjoint state rows and work order keys): a few run at once.
    const inFlight = new Set<Promise<void>>();
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const plans = await db.execute<PlanRow>(
        `SELECT ${PLAN_EVAL_COLUMNS} FROM maintenance_plan p WHERE p.active AND p.trigger_kind <> 'condition' AND p.id > $1::uuid ORDER BY p.id LIMIT $2`,
        [after, o.batchSize],
      );
      if (!plans.length) break;
      after = plans[plans.length - 1].id;
      const batch: Promise<void> = runBatch(plans).finally(() => inFlight.delete(batch));
      inFlight.add(batch);
      if (inFlight.size >= PASS_CONCURRENCY) await Promise.race(inFlight);
      if (plans.length < o.batchSize) break;
    }
    await Promise.all(inFlight);
  } catch (err) {
    errors.push((err as Error)?.message ?? String(err));
  }
  const error = errors.length ? `${errors.slice(0, 20).join('; ')}${errors.length > 20 ? ` (and ${errors.length - 20} more)` : ''}`.slice(0, 4000) : null;
  const [row] = await db.execute<RunRow>(
    `UPDATE maintenance_generation_run SET finished_at = clock_timestamp(), plans_checked = $2, work_orders_created = $3, error = $4 WHERE id = $1::bigint RETURNING ${RUN_COLUMNS}`,
    [run.id, plansChecked, created, error],
  );
  return runView(row);
}

async function generateBatch(
  tx: Transaction,
  ctx: PluginContext<any>,
  registry: TriggerRegistry,
  tree: CategoryTree,
  plans: PlanRow[],
  today: string,
  errors: string[],
  isolated: boolean,
): Promise<number> {
  if (!plans.length) return 0;
  // Which assets each plan applies to: its own, or every asset in its category subtree (read now, so later additions count).
  const subtrees = new Map<string, string[]>();
  for (const p of plans) if (p.category_id && !subtrees.has(p.category_id)) subtrees.set(p.category_id, subtree(tree, p.category_id));
  const assets = await tx.execute<{ id: string; category_id: string | null; criticality: Criticality | null; meters: Record<string, string> | null }>(
    `SELECT a.id, a.category_id, pr.criticality,
            (SELECT jsonb_object_agg(m.code, m.total::text) FROM maintenance_measurement_point m
              WHERE m.asset_id = a.id AND m.kind = 'meter' AND m.active AND m.total IS NOT NULL) AS meters
       FROM fixed_assets_asset a LEFT JOIN maintenance_asset_profile pr ON pr.asset_id = a.id
      WHERE (a.id = ANY($1::uuid[]) OR a.category_id = ANY($2::uuid[])) AND a.status = ANY($3::text[])`,
    [plans.filter((p) => p.asset_id).map((p) => p.asset_id), [...new Set([...subtrees.values()].flat())], WORKING_ASSET_STATUSES],
  );
  const byId = new Map(assets.map((a) => [a.id, a]));
  const byCategory = new Map<string, typeof assets>();
  for (const a of assets) if (a.category_id) byCategory.set(a.category_id, [...(byCategory.get(a.category_id) ?? []), a]);

  const pairs: Array<{ plan: PlanRow; asset: (typeof assets)[number] }> = [];
  for (const plan of plans) {
    if (plan.asset_id) {
      const a = byId.get(plan.asset_id);
      if (a) pairs.push({ plan, asset: a });
    } else for (const c of subtrees.get(plan.category_id!) ?? []) for (const a of byCategory.get(c) ?? []) pairs.push({ plan, asset: a });
  }
  const states = await lockStates(tx, pairs.map((x) => ({ planId: x.plan.id, assetId: x.asset.id })));
  pairs.sort((x, y) => cmp(pairKey(x.plan.id, x.asset.id), pairKey(y.plan.id, y.asset.id)));

  const due: Parameters<typeof createDueWorkOrders>[1] = [];
  const updates: Parameters<typeof writeStates>[1] = [];
  for (const { plan, asset } of pairs) {
    const kind = registry.get(plan.trigger_kind)!;
    const stored = states.get(pairKey(plan.id, asset.id)) ?? null;
    let outcome: PairOutcome;
    try {
      outcome = evaluatePair(kind, plan, stored, { today, meterTotals: asset.meters ?? {} });
    } catch (err) {
      errors.push(`plan ${plan.code} × asset ${asset.id}: ${(err as Error)?.message ?? String(err)}`);
      continue;
    }
    const criticality = asset.criticality ?? inheritedCriticality(tree, asset.category_id) ?? 'C';
    for (const work of outcome.work) due.push({ plan, assetId: asset.id, criticality, work });
    if (outcome.update) updates.push({ planId: plan.id, assetId: asset.id, ...outcome.update });
  }
  // The fast path creates the batch's orders in a few statements; the isolated retry one by one, each in its savepoint.
  let created = 0;
  if (isolated) {
    for (const d of due) if (await createDueWorkOrder(tx, d.plan, d.assetId, d.criticality, d.work, today, ctx.log, true)) created++;
  } else created = (await createDueWorkOrders(tx, due, today, ctx.log, false)).filter(Boolean).length;
  await writeStates(tx, updates);
  return created;
}

// ---------------------------------------------------------------------------------------------
// Run records

export interface RunRow {
  id: string;
  as_of: string;
  instance: string;
  started_at: Date | string;
  finished_at: Date | string | null;
  plans_checked: number;
  work_orders_created: number;
  error: string | null;
}
export const RUN_COLUMNS = `id::text AS id, as_of::text AS as_of, instance, started_at, finished_at, plans_checked, work_orders_created, error`;
const iso = (v: Date | string | null) => (v === null ? null : (v instanceof Date ? v : new Date(v)).toISOString());
export const runView = (r: RunRow): GenerationRun => ({
  id: r.id,
  asOf: r.as_of,
  instance: r.instance,
  startedAt: iso(r.started_at)!,
  finishedAt: iso(r.finished_at),
  plansChecked: r.plans_checked,
  workOrdersCreated: r.work_orders_created,
  error: r.error,
});
