/**
 * Maintenance plans: what to do, to which asset (or every asset of a category subtree), and when
 * (a trigger kind with its config, validated by the kind itself). Plain SQL; the routes wrap every
 * write in one transaction with its audit record.
 */
import { problems, type FieldError, type Transaction } from '@quartermaster/sdk';
import { isoInstant, type Db } from '@quartermaster/core';
import { type MeterTotalReading, type TriggerRegistry, forecastMeterDue, isIsoDate, tryDec, decText } from '../../domain/index.js';
import type { Priority } from '../../shared/index.js';
import { POINT_CODE_RE } from './catalogue.service.js';
import { WORKING_ASSET_STATUSES, kindState, type PlanRow, type StateRow } from './generation.service.js';

export const PLAN_CODE_RE = /^[A-Z0-9][A-Z0-9._-]{0,31}$/;
export const PLAN_WORK_ORDER_TYPES = ['preventive', 'inspection', 'calibration'] as const;

/** Fields of the built-in kinds' configs (anything else is refused, so a typo does not silently do nothing). */
const BUILTIN_CONFIG_FIELDS: Record<string, readonly string[]> = {
  calendar: ['recurrence', 'mode', 'leadDays', 'windows', 'outsideWindow', 'catchUpLimit', 'startOn'],
  meter: ['meter', 'every', 'mode', 'startTotal', 'leadUnits'],
  condition: ['point', 'kind', 'threshold', 'reset', 'low', 'high', 'hysteresis', 'maxPerHour', 'resetPerHour', 'consecutive'],
};
/** The config field naming the measurement point, per built-in kind. */
const POINT_FIELD: Record<string, 'meter' | 'point'> = { meter: 'meter', condition: 'point' };
const POINT_KIND: Record<string, 'meter' | 'gauge'> = { meter: 'meter', condition: 'gauge' };

export interface PlanPart {
  itemId: string;
  qty: string | number;
  locationId?: string | null;
}

/** A plan as the API takes it (create: everything; patch: any subset). */
export interface PlanInput {
  code?: string;
  name?: string;
  description?: string | null;
  triggerKind?: string;
  triggerConfig?: Record<string, unknown>;
  workOrderType?: (typeof PLAN_WORK_ORDER_TYPES)[number];
  assetId?: string | null;
  categoryId?: string | null;
  priority?: Priority | null;
  takesOutOfService?: boolean;
  estimatedMinutes?: number | null;
  checklistTemplateId?: string | null;
  teamId?: string | null;
  assigneeUserId?: string | null;
  parts?: PlanPart[];
  instructions?: string | null;
  active?: boolean;
}

/** The stored form of a checked plan. */
export interface PlanValues {
  code: string;
  name: string;
  description: string | null;
  triggerKind: string;
  triggerConfig: Record<string, unknown>;
  workOrderType: (typeof PLAN_WORK_ORDER_TYPES)[number];
  assetId: string | null;
  categoryId: string | null;
  pointCode: string | null;
  priority: Priority | null;
  takesOutOfService: boolean;
  estimatedMinutes: number | null;
  checklistTemplateId: string | null;
  teamId: string | null;
  assigneeUserId: string | null;
  parts: Array<{ itemId: string; qty: string; locationId: string | null }>;
  instructions: string | null;
  active: boolean;
}

const text = (v: string | null | undefined) => (v == null ? null : v.trim() || null);

/** Problems of a trigger config, named `triggerConfig.<field>` (or `triggerKind` for an unknown kind). */
export function triggerConfigIssues(registry: TriggerRegistry, triggerKind: string, config: Record<string, unknown>): FieldError[] {
  const kind = registry.get(triggerKind);
  if (!kind) return [{ field: 'triggerKind', message: `must be one of ${registry.list().map((k) => k.kind).join(', ')}` }];
  const issues: FieldError[] = [];
  let domainIssues: Array<{ field: string; message: string }>;
  try {
    domainIssues = kind.validate(config);
  } catch (err) {
    domainIssues = [{ field: '', message: `could not be checked: ${(err as Error)?.message ?? err}` }];
  }
  for (const i of domainIssues) issues.push({ field: i.field ? `triggerConfig.${i.field}` : 'triggerConfig', message: i.message });
  const known = BUILTIN_CONFIG_FIELDS[triggerKind];
  if (known) for (const k of Object.keys(config)) if (!known.includes(k)) issues.push({ field: `triggerConfig.${k}`, message: 'is not a known field' });
  if (triggerKind === 'calendar' && config.startOn !== undefined && config.startOn !== null && !isIsoDate(config.startOn))
    issues.push({ field: 'triggerConfig.startOn', message: 'must be a date YYYY-MM-DD' });
  const pf = POINT_FIELD[triggerKind];
  if (pf && typeof config[pf] === 'string' && (config[pf] as string).trim() && !POINT_CODE_RE.test(config[pf] as string))
    issues.push({ field: `triggerConfig.${pf}`, message: 'must be a measurement point code (lower-case letters, digits, . _ -)' });
  return issues;
}

/**
 * Check a whole plan (a new one, or an existing one with a patch applied) against the data:
 * every problem at once, as validation errors; answers the stored form.
 */
export async function checkPlan(db: Db, registry: TriggerRegistry, input: Required<Omit<PlanInput, 'parts'>> & { parts: PlanPart[] }, selfId: string | null): Promise<PlanValues> {
  const errors: FieldError[] = [];
  const err = (field: string, message: string) => errors.push({ field, message });
  const name = input.name.trim();
  if (!name) err('name', 'must not be blank');
  if (!PLAN_CODE_RE.test(input.code)) err('code', 'must be 1–32 upper-case letters, digits, . _ - (starting with a letter or digit)');

  const config = input.triggerConfig;
  errors.push(...triggerConfigIssues(registry, input.triggerKind, config));
  const pf = POINT_FIELD[input.triggerKind];
  const pointCode = pf && typeof config[pf] === 'string' ? (config[pf] as string) : null;

  if (input.assetId && input.categoryId) err('categoryId', 'give assetId or categoryId, not both');
  else if (!input.assetId && !input.categoryId) err('assetId', 'give the asset (assetId) or the category (categoryId) the plan applies to');
  if (input.assetId) {
    const [a] = await db.execute<{ status: string }>(`SELECT status FROM fixed_assets_asset WHERE id = $1`, [input.assetId]);
    if (!a) err('assetId', 'no such asset');
    else if (a.status === 'disposed') err('assetId', 'the asset is disposed of');
    else if (pf && pointCode && !errors.some((e) => e.field === `triggerConfig.${pf}`)) {
      const [pt] = await db.execute<{ kind: string; active: boolean }>(`SELECT kind, active FROM maintenance_measurement_point WHERE asset_id = $1 AND code = $2`, [input.assetId, pointCode]);
      if (!pt) err(`triggerConfig.${pf}`, `the asset has no measurement point ${pointCode}`);
      else if (pt.kind !== POINT_KIND[input.triggerKind]) err(`triggerConfig.${pf}`, `${pointCode} is a ${pt.kind}; a ${input.triggerKind} plan needs a ${POINT_KIND[input.triggerKind]}`);
      else if (!pt.active) err(`triggerConfig.${pf}`, `the measurement point ${pointCode} is inactive`);
    }
  }
  if (input.categoryId) {
    const [c] = await db.execute(`SELECT 1 FROM core_category WHERE id = $1`, [input.categoryId]);
    if (!c) err('categoryId', 'no such category');
  }
  if (input.checklistTemplateId) {
    const [t] = await db.execute<{ active: boolean }>(`SELECT active FROM maintenance_checklist_template WHERE id = $1`, [input.checklistTemplateId]);
    if (!t) err('checklistTemplateId', 'no such checklist template');
    else if (!t.active) err('checklistTemplateId', 'the checklist template is inactive');
  }
  if (input.teamId) {
    const [t] = await db.execute(`SELECT 1 FROM maintenance_team WHERE id = $1`, [input.teamId]);
    if (!t) err('teamId', 'no such team');
  }
  if (input.assigneeUserId) {
    const [u] = await db.execute(`SELECT 1 FROM core_user WHERE id = $1 AND active`, [input.assigneeUserId]);
    if (!u) err('assigneeUserId', 'no such active user');
  }
  const parts: PlanValues['parts'] = [];
  if (input.parts.length) {
    const items = new Set(
      (await db.execute<{ id: string }>(`SELECT id FROM core_item WHERE id = ANY($1::uuid[]) AND NOT archived`, [input.parts.map((p) => p.itemId)])).map((r) => r.id),
    );
    const locationIds = input.parts.map((p) => p.locationId).filter((l): l is string => !!l);
    const locations = new Set(
      locationIds.length ? (await db.execute<{ id: string }>(`SELECT id FROM core_location WHERE id = ANY($1::uuid[]) AND NOT archived`, [locationIds])).map((r) => r.id) : [],
    );
    input.parts.forEach((p, i) => {
      if (!items.has(p.itemId)) err(`parts.${i}.itemId`, 'no such item');
      const q = tryDec(p.qty);
      if (!q) err(`parts.${i}.qty`, 'must be a decimal number');
      else if (!q.gt(0)) err(`parts.${i}.qty`, 'must be greater than 0');
      if (p.locationId && !locations.has(p.locationId)) err(`parts.${i}.locationId`, 'no such location');
      if (q) parts.push({ itemId: p.itemId, qty: decText(q), locationId: p.locationId ?? null });
    });
  }
  if (errors.length) throw problems.validation(errors);
  const [taken] = await db.execute<{ id: string }>(`SELECT id FROM maintenance_plan WHERE code = $1 AND id IS DISTINCT FROM $2::uuid`, [input.code, selfId]);
  if (taken) throw codeTaken(input.code);
  return {
    code: input.code,
    name,
    description: text(input.description),
    triggerKind: input.triggerKind,
    triggerConfig: config,
    workOrderType: input.workOrderType,
    assetId: input.assetId ?? null,
    categoryId: input.categoryId ?? null,
    pointCode,
    priority: input.priority ?? null,
    takesOutOfService: input.takesOutOfService,
    estimatedMinutes: input.estimatedMinutes ?? null,
    checklistTemplateId: input.checklistTemplateId ?? null,
    teamId: input.teamId ?? null,
    assigneeUserId: input.assigneeUserId ?? null,
    parts,
    instructions: text(input.instructions),
    active: input.active,
  };
}

export const codeTaken = (code: string) => problems.conflict('maintenance/plan-code-taken', 'Plan code taken', `Another plan has the code ${code}`, { field: 'code', code });

/** Defaults of a new plan. */
export const withPlanDefaults = (b: PlanInput & { code: string; name: string; triggerKind: string; triggerConfig: Record<string, unknown> }) => ({
  code: b.code,
  name: b.name,
  description: b.description ?? null,
  triggerKind: b.triggerKind,
  triggerConfig: b.triggerConfig,
  workOrderType: b.workOrderType ?? 'preventive',
  assetId: b.assetId ?? null,
  categoryId: b.categoryId ?? null,
  priority: b.priority ?? null,
  takesOutOfService: b.takesOutOfService ?? false,
  estimatedMinutes: b.estimatedMinutes ?? null,
  checklistTemplateId: b.checklistTemplateId ?? null,
  teamId: b.teamId ?? null,
  assigneeUserId: b.assigneeUserId ?? null,
  parts: b.parts ?? [],
  instructions: b.instructions ?? null,
  active: b.active ?? true,
});

/** A stored plan in the input shape, so a patch can be applied to it and the result checked whole. */
export const planAsInput = (r: PlanDbRow) => ({
  code: r.code,
  name: r.name,
  description: r.description,
  triggerKind: r.trigger_kind,
  triggerConfig: r.trigger_config,
  workOrderType: r.work_order_type,
  assetId: r.asset_id,
  categoryId: r.category_id,
  priority: r.priority,
  takesOutOfService: r.takes_out_of_service,
  estimatedMinutes: r.estimated_minutes,
  checklistTemplateId: r.checklist_template_id,
  teamId: r.team_id,
  assigneeUserId: r.assignee_user_id,
  parts: r.parts,
  instructions: r.instructions,
  active: r.active,
});

export interface PlanDbRow extends PlanRow {
  active: boolean;
  version: number;
  created_at: Date | string;
  updated_at: Date | string;
  asset_tag: string | null;
  category_name: string | null;
  work_orders: number;
  next_due_on: string | null;
}

export const PLAN_SELECT = `
  SELECT p.*, a.tag AS asset_tag, c.name AS category_name,
         (SELECT count(*) FROM maintenance_work_order w WHERE w.plan_id = p.id)::int AS work_orders,
         (SELECT min(s.next_due_on)::text FROM maintenance_plan_state s WHERE s.plan_id = p.id) AS next_due_on
    FROM maintenance_plan p
    LEFT JOIN fixed_assets_asset a ON a.id = p.asset_id
    LEFT JOIN core_category c ON c.id = p.category_id`;

export const planView = (r: PlanDbRow) => ({
  id: r.id,
  code: r.code,
  name: r.name,
  description: r.description,
  triggerKind: r.trigger_kind,
  triggerConfig: r.trigger_config,
  workOrderType: r.work_order_type,
  assetId: r.asset_id,
  assetTag: r.asset_tag,
  categoryId: r.category_id,
  categoryName: r.category_name,
  pointCode: r.point_code,
  priority: r.priority,
  takesOutOfService: r.takes_out_of_service,
  estimatedMinutes: r.estimated_minutes,
  checklistTemplateId: r.checklist_template_id,
  teamId: r.team_id,
  assigneeUserId: r.assignee_user_id,
  parts: r.parts.map((p) => ({ itemId: p.itemId, qty: String(p.qty), locationId: p.locationId ?? null })),
  instructions: r.instructions,
  active: r.active,
  workOrders: r.work_orders,
  nextDueOn: r.next_due_on,
  version: r.version,
  createdAt: isoInstant(r.created_at)!,
  updatedAt: isoInstant(r.updated_at)!,
});

export async function planById(db: Db, id: string, lock = false): Promise<PlanDbRow> {
  const [row] = lock
    ? await db.execute<PlanDbRow>(`${PLAN_SELECT} WHERE p.id = $1 FOR UPDATE OF p`, [id])
    : await db.execute<PlanDbRow>(`${PLAN_SELECT} WHERE p.id = $1`, [id]);
  if (!row) throw problems.notFound('plan', id);
  return row;
}

export async function insertPlan(db: Db, v: PlanValues): Promise<string> {
  const [row] = await db.execute<{ id: string }>(
    `INSERT INTO maintenance_plan (code, name, description, trigger_kind, trigger_config, work_order_type, asset_id, category_id, point_code, priority,
        takes_out_of_service, estimated_minutes, checklist_template_id, team_id, assignee_user_id, parts, instructions, active)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) RETURNING id`,
    planParams(v),
  );
  return row.id;
}

export async function updatePlan(db: Db, id: string, v: PlanValues, resetState: boolean): Promise<void> {
  await db.execute(
    `UPDATE maintenance_plan SET code = $1, name = $2, description = $3, trigger_kind = $4, trigger_config = $5, work_order_type = $6, asset_id = $7,
        category_id = $8, point_code = $9, priority = $10, takes_out_of_service = $11, estimated_minutes = $12, checklist_template_id = $13,
        team_id = $14, assignee_user_id = $15, parts = $16, instructions = $17, active = $18, version = version + 1, updated_at = now()
      WHERE id = $19`,
    [...planParams(v), id],
  );
  // A plan that now triggers differently starts its trigger state afresh (its occurrences stay unique per due key).
  if (resetState) await db.execute(`UPDATE maintenance_plan_state SET trigger_state = '{}', next_due_on = NULL, next_due_total = NULL, updated_at = now() WHERE plan_id = $1`, [id]);
}

const planParams = (v: PlanValues) => [
  v.code,
  v.name,
  v.description,
  v.triggerKind,
  JSON.stringify(v.triggerConfig),
  v.workOrderType,
  v.assetId,
  v.categoryId,
  v.pointCode,
  v.priority,
  v.takesOutOfService,
  v.estimatedMinutes,
  v.checklistTemplateId,
  v.teamId,
  v.assigneeUserId,
  JSON.stringify(v.parts),
  v.instructions,
  v.active,
];

/** The audit image of a plan. */
export const planAudit = (v: PlanValues) => ({ ...v });

/** Create a plan: checked whole against the data (every problem at once), stored and audited. Answers its id. */
export async function createPlan(tx: Transaction, registry: TriggerRegistry, b: PlanInput & { code: string; name: string; triggerKind: string; triggerConfig: Record<string, unknown> }): Promise<string> {
  const values = await checkPlan(tx, registry, withPlanDefaults(b), null);
  const id = await insertPlan(tx, values);
  await tx.audit({ action: 'created', entityType: 'maintenance.plan', entityId: id, after: planAudit(values) });
  return id;
}

// ---------------------------------------------------------------------------------------------
// Preview

export interface PreviewOccurrence {
  dueOn: string | null;
  dueTotal: string | null;
  /** `dueOn` of a meter occurrence is a forecast from the usage rate. */
  forecast: boolean;
}

export interface PreviewAnswer {
  triggerKind: string;
  assetId: string | null;
  occurrences: PreviewOccurrence[];
  meter: { pointCode: string; currentTotal: string | null; ratePerDay: string | null } | null;
}

/**
 * The next occurrences of a plan for one asset (its stored state) or for a plan not yet saved:
 * due dates for calendar plans (and contributed kinds that preview dates), due totals with a
 * forecast date for meter plans (the average usage rate of the last 90 days of accepted readings).
 * Condition plans have no schedule to preview.
 */
export async function previewPlan(
  db: Db,
  registry: TriggerRegistry,
  plan: Pick<PlanRow, 'trigger_kind' | 'trigger_config'> & { id: string | null },
  assetId: string | null,
  from: string,
  limit: number,
): Promise<PreviewAnswer> {
  const kind = registry.get(plan.trigger_kind)!;
  let stored: StateRow | null = null;
  if (plan.id && assetId)
    [stored] = await db.execute<StateRow>(
      `SELECT trigger_state, last_completed_on::text AS last_completed_on, last_completed_total::text AS last_completed_total FROM maintenance_plan_state WHERE plan_id = $1 AND asset_id = $2`,
      [plan.id, assetId],
    );
  const state = kindState(kind, plan, stored ?? null, from);
  const answer: PreviewAnswer = { triggerKind: plan.trigger_kind, assetId, occurrences: [], meter: null };
  const raw = kind.preview ? kind.preview(plan.trigger_config, state, from, limit) : [];
  if (plan.trigger_kind !== 'meter') {
    answer.occurrences = raw.map((v) => (isIsoDate(v) ? { dueOn: v, dueTotal: null, forecast: false } : { dueOn: null, dueTotal: v, forecast: false }));
    return answer;
  }
  const pointCode = String(plan.trigger_config.meter);
  let readings: MeterTotalReading[] = [];
  let currentTotal: string | null = null;
  if (assetId) {
    const [point] = await db.execute<{ id: string; total: string | null }>(
      `SELECT id, total::text AS total FROM maintenance_measurement_point WHERE asset_id = $1 AND code = $2 AND kind = 'meter'`,
      [assetId, pointCode],
    );
    if (point) {
      currentTotal = point.total;
      readings = (
        await db.execute<{ read_at: Date | string; total: string }>(
          `SELECT read_at, total::text AS total FROM maintenance_reading
            WHERE point_id = $1 AND status = 'accepted' AND total IS NOT NULL AND read_at >= ($2::date - 90) AND read_at < ($2::date + 1)
            ORDER BY read_at`,
          [point.id, from],
        )
      ).map((r) => ({ readAt: isoInstant(r.read_at)!, total: r.total }));
    }
  }
  let rate: string | null = null;
  answer.occurrences = raw.map((total) => {
    const f = readings.length >= 2 ? forecastMeterDue(readings, total, from) : null;
    if (f) rate = f.ratePerDay;
    return { dueOn: f?.dueOn ?? null, dueTotal: total, forecast: !!f };
  });
  answer.meter = { pointCode, currentTotal, ratePerDay: rate };
  return answer;
}

/** Whether a plan applies to an asset: its own, or an asset in its category subtree. */
export async function planCoversAsset(db: Db, plan: Pick<PlanRow, 'asset_id' | 'category_id'>, assetId: string): Promise<boolean> {
  if (plan.asset_id) return plan.asset_id === assetId;
  const [row] = await db.execute(
    `WITH RECURSIVE sub AS (SELECT id FROM core_category WHERE id = $1 UNION ALL SELECT c.id FROM core_category c JOIN sub ON c.parent_id = sub.id)
     SELECT 1 FROM fixed_assets_asset a WHERE a.id = $2 AND a.category_id IN (SELECT id FROM sub)`,
    [plan.category_id, assetId],
  );
  return !!row;
}

/** The assets a plan applies to now (working statuses), with their stored state. */
export const PLAN_ASSETS_SQL = `
  WITH RECURSIVE sub AS (SELECT id FROM core_category WHERE id = (SELECT category_id FROM maintenance_plan WHERE id = $1)
                         UNION ALL SELECT c.id FROM core_category c JOIN sub ON c.parent_id = sub.id)
  SELECT a.id AS asset_id, a.tag, a.name, a.status, st.last_completed_on::text AS last_completed_on, st.last_completed_total::text AS last_completed_total,
         st.last_due_key, st.trigger_state, st.next_due_on::text AS next_due_on, st.next_due_total::text AS next_due_total, count(*) OVER () AS total
    FROM fixed_assets_asset a
    LEFT JOIN maintenance_plan_state st ON st.plan_id = $1 AND st.asset_id = a.id
   WHERE a.status = ANY('{${WORKING_ASSET_STATUSES.join(',')}}'::text[])
     AND (a.id = (SELECT asset_id FROM maintenance_plan WHERE id = $1) OR a.category_id IN (SELECT id FROM sub))
   ORDER BY a.tag, a.id LIMIT $2 OFFSET $3`;
