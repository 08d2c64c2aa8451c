/**
 * Work order execution: the lifecycle (domain/work-order.ts decides what may happen), what each
 * step does to the asset, the spare parts and the costs, and the views the API answers.
 *
 * Every change runs in the caller's one transaction with the work order row locked (`FOR UPDATE`),
 * so two people starting or completing the same order at once are served one after the other and
 * the second gets the 409 of the state the first left. Each change writes a history row
 * (`maintenance_work_order_event`), an audit record and its event(s): `work-order.status-changed`
 * for every status change, `work-order.completed` with the costs, `work-order.updated` for
 * anything else.
 *
 * Asset status: an order that takes its asset out of service (`takes_out_of_service`, or a
 * corrective order whose breakdown report says the asset is down) puts the asset `in-maintenance`
 * when it starts (fixed-assets' `setStatusIn`, same transaction) and gives it back `in-service`
 * when it completes or is cancelled from hold — unless another started order of the same asset
 * still holds it. Changes to one asset's holds are serialised by a transaction-scoped advisory
 * lock per asset.
 *
 * Cost to the asset: completion posts labour + parts + external costs to the asset's cost ledger
 * (`fixedAssetsService.postCost`, source `maintenance`). The first completion posts under the
 * work order's id; completing again after a reopen posts only what was added since, under
 * `<id>#<n>` (n = the completion count). Lines of an order that was completed once are therefore
 * permanent (409 `maintenance/cost-posted` on delete): the ledger never has to take money back.
 */
import { ProblemError, cleanText, problems, type FieldError, type PluginContext, type Transaction } from '@quartermaster/sdk';
import { isoInstant, type Db } from '@quartermaster/core';
import type { FixedAssetsService } from '@quartermaster/plugin-fixed-assets/shared';
import type { InventoryService } from '@quartermaster/plugin-inventory/shared';
import { WorkOrderCompleted, WorkOrderStatusChanged, WorkOrderUpdated, type Priority, type WorkOrderStatus, type WorkOrderType } from '../../shared/index.js';
import {
  checkWorkOrderAction,
  completionChecks,
  dec,
  decText,
  tryDec,
  nextWorkOrderStatuses,
  workOrderActionsFrom,
  WORK_ORDER_TRANSITIONS,
  type ChecklistItem,
  type Dec,
  type TriggerRegistry,
  type WorkOrderAction,
  type WorkOrderTransition,
} from '../../domain/index.js';
import type { MaintenanceOptions } from '../options.js';
import { checkFailureCodes } from './catalogue.service.js';
import { PART_SELECT, defaultPartsLocation, issueParts, releaseParts, reserveParts, type PartRow } from './parts.service.js';
import { recordWorkOrderEvent, woNumber } from './work-order-store.js';
import { hourlyRateFor, labourCost } from './labour.service.js';
import { pointOf, recordReading } from './readings.service.js';

export interface WorkOrderDeps {
  ctx: PluginContext<any>;
  options: MaintenanceOptions;
  assets: FixedAssetsService;
  /** Undefined when inventory is not enabled. */
  inventory: InventoryService | undefined;
}

export interface WoRow {
  id: string;
  number: string;
  type: WorkOrderType;
  status: WorkOrderStatus;
  priority: Priority;
  asset_id: string;
  asset_tag: string;
  asset_name: string;
  title: string;
  description: string | null;
  plan_id: string | null;
  plan_code: string | null;
  due_key: string | null;
  due_on: string | null;
  due_total: string | null;
  generate_reason: string | null;
  takes_out_of_service: boolean;
  asset_taken_out: boolean;
  reported_by_label: string | null;
  reported_at: Date | null;
  asset_down: boolean;
  failed_at: Date | null;
  team_id: string | null;
  team_name: string | null;
  assignee_user_id: string | null;
  assignee_name: string | null;
  planned_minutes: number | null;
  scheduled_start: Date | null;
  scheduled_end: Date | null;
  started_at: Date | null;
  completed_at: Date | null;
  closed_at: Date | null;
  cancelled_at: Date | null;
  cancel_reason: string | null;
  hold_reason: string | null;
  problem_code: string | null;
  cause_code: string | null;
  remedy_code: string | null;
  completion_note: string | null;
  signed_off_by_label: string | null;
  signed_off_at: Date | null;
  parts_location_id: string | null;
  currency: string;
  labour_cost: string;
  parts_cost: string;
  external_cost: string;
  cost_posted: string;
  completions: number;
  overdue: boolean;
  version: number;
  created_by_label: string;
  created_at: Date;
  updated_at: Date;
}

export const WO_FROM = `maintenance_work_order w
  JOIN fixed_assets_asset a ON a.id = w.asset_id
  LEFT JOIN maintenance_plan pl ON pl.id = w.plan_id
  LEFT JOIN maintenance_team tm ON tm.id = w.team_id
  LEFT JOIN core_user u ON u.id = w.assignee_user_id`;
export const WO_COLUMNS = `w.id, w.number::text AS number, w.type, w.status, w.priority, w.asset_id, a.tag AS asset_tag, a.name AS asset_name, w.title, w.description,
  w.plan_id, pl.code AS plan_code, w.due_key, w.due_on::text AS due_on, w.due_total::text AS due_total, w.generate_reason, w.takes_out_of_service, w.asset_taken_out,
  w.reported_by_label, w.reported_at, w.asset_down, w.failed_at, w.team_id, tm.name AS team_name, w.assignee_user_id, u.name AS assignee_name, w.planned_minutes,
  w.scheduled_start, w.scheduled_end, w.started_at, w.completed_at, w.closed_at, w.cancelled_at, w.cancel_reason, w.hold_reason,
  w.problem_code, w.cause_code, w.remedy_code, w.completion_note, w.signed_off_by_label, w.signed_off_at, w.parts_location_id, w.currency,
  w.labour_cost::text AS labour_cost, w.parts_cost::text AS parts_cost, w.external_cost::text AS external_cost, w.cost_posted::text AS cost_posted, w.completions,
  (w.due_on < (now() AT TIME ZONE 'UTC')::date AND w.status IN ('requested','approved','scheduled','in-progress','on-hold')) AS overdue,
  w.version, w.created_by_label, w.created_at, w.updated_at`;

/** Open work: not completed, closed or cancelled. */
export const OPEN_STATUSES: readonly WorkOrderStatus[] = ['requested', 'approved', 'scheduled', 'in-progress', 'on-hold'];
/** Started work: the statuses in which an order may hold its asset out of service. */
const STARTED: readonly WorkOrderStatus[] = ['in-progress', 'on-hold'];

export async function loadWorkOrder(db: Db, id: string, lock = false): Promise<WoRow> {
  const [row] = await db.execute<WoRow>(`SELECT ${WO_COLUMNS} FROM ${WO_FROM} WHERE w.id = $1${lock ? ' FOR UPDATE OF w' : ''}`, [id]);
  if (!row) throw problems.notFound('work order', id);
  return row;
}

// ---------------------------------------------------------------------------------------------
// Problems

const ACTION_TARGET = Object.fromEntries(WORK_ORDER_TRANSITIONS.map((t) => [t.action, t.to])) as Record<WorkOrderAction, WorkOrderStatus>;

export const illegalTransition = (wo: Pick<WoRow, 'id' | 'number' | 'status'>, action: WorkOrderAction) => {
  const to = ACTION_TARGET[action];
  const allowedStatuses = nextWorkOrderStatuses(wo.status);
  const allowedActions = workOrderActionsFrom(wo.status);
  return problems.conflict(
    'maintenance/illegal-transition',
    'Transition not allowed',
    `Work order ${woNumber(wo.number)} is ${wo.status}; it cannot go to ${to} (${action}) from there (allowed: ${allowedStatuses.join(', ') || 'none'})`,
    { workOrderId: wo.id, currentStatus: wo.status, requestedStatus: to, action, allowedStatuses, allowedActions },
  );
};

export const wrongStatus = (wo: Pick<WoRow, 'id' | 'number' | 'status'>, what: string, required: readonly WorkOrderStatus[]) =>
  problems.conflict('maintenance/wrong-status', 'Not possible in this status', `Work order ${woNumber(wo.number)} is ${wo.status}; ${what} needs it ${required.join(' or ')}`, {
    workOrderId: wo.id,
    currentStatus: wo.status,
    requiredStatuses: required,
  });

export const staleVersion = (wo: Pick<WoRow, 'id' | 'version'>, sent: number) =>
  problems.conflict('stale-version', 'Work order changed meanwhile', `You edited version ${sent}, but the work order is at version ${wo.version}; reload and retry`, {
    workOrderId: wo.id,
    currentVersion: wo.version,
  });

export function requireStatus(wo: WoRow, what: string, allowed: readonly WorkOrderStatus[]) {
  if (!allowed.includes(wo.status)) throw wrongStatus(wo, what, allowed);
}

// ---------------------------------------------------------------------------------------------
// Views

const money = (v: string | Dec | null, minor: number) => (v === null ? null : (typeof v === 'string' ? dec(v) : v).toFixed(minor));
const decOut = (v: string | null) => (v === null ? null : dec(v).isZero() ? '0' : dec(v).toFixed());

export function summaryView(r: WoRow, minor: number) {
  const total = dec(r.labour_cost).plus(dec(r.parts_cost)).plus(dec(r.external_cost));
  return {
    id: r.id,
    number: woNumber(r.number),
    type: r.type,
    status: r.status,
    priority: r.priority,
    title: r.title,
    assetId: r.asset_id,
    assetTag: r.asset_tag,
    assetName: r.asset_name,
    planId: r.plan_id,
    planCode: r.plan_code,
    dueOn: r.due_on,
    dueTotal: decOut(r.due_total),
    overdue: r.overdue,
    scheduledStart: isoInstant(r.scheduled_start),
    scheduledEnd: isoInstant(r.scheduled_end),
    startedAt: isoInstant(r.started_at),
    completedAt: isoInstant(r.completed_at),
    assigneeUserId: r.assignee_user_id,
    assigneeName: r.assignee_name,
    teamId: r.team_id,
    teamName: r.team_name,
    plannedMinutes: r.planned_minutes,
    takesOutOfService: r.takes_out_of_service,
    assetDown: r.asset_down,
    currency: r.currency,
    totalCost: money(total, minor)!,
    version: r.version,
    createdAt: isoInstant(r.created_at)!,
    updatedAt: isoInstant(r.updated_at)!,
  };
}

export interface ChecklistRow {
  id: string;
  position: number;
  kind: 'check' | 'reading' | 'text';
  label: string;
  required: boolean;
  unit: string | null;
  min_value: string | null;
  max_value: string | null;
  point_code: string | null;
  passed: boolean | null;
  value: string | null;
  text_value: string | null;
  note: string | null;
  answered_by_label: string | null;
  answered_at: Date | null;
}
export const CHECKLIST_SELECT = `SELECT id, position, kind, label, required, unit, min_value::text AS min_value, max_value::text AS max_value, point_code, passed, value::text AS value,
  text_value, note, answered_by_label, answered_at FROM maintenance_checklist_item`;

export const checklistItemView = (r: ChecklistRow) => ({
  id: r.id,
  position: r.position,
  kind: r.kind,
  label: r.label,
  required: r.required,
  unit: r.unit,
  min: decOut(r.min_value),
  max: decOut(r.max_value),
  pointCode: r.point_code,
  answered: r.answered_at !== null,
  /** Checks: true pass, false fail, null not applicable (when answered); readings: within limits. */
  passed: r.passed,
  value: decOut(r.value),
  text: r.text_value,
  note: r.note,
  answeredBy: r.answered_by_label,
  answeredAt: isoInstant(r.answered_at),
});

/** The checklist as the domain sees it (completionChecks). */
export const domainChecklist = (rows: ChecklistRow[]): ChecklistItem[] =>
  rows.map((r): ChecklistItem => {
    if (r.kind === 'check') return { id: r.id, label: r.label, kind: 'check', required: r.required, answer: r.answered_at === null ? null : r.passed === null ? 'n/a' : r.passed ? 'pass' : 'fail' };
    if (r.kind === 'reading') return { id: r.id, label: r.label, kind: 'reading', required: r.required, value: r.value, min: r.min_value, max: r.max_value, unit: r.unit };
    return { id: r.id, label: r.label, kind: 'text', required: r.required, text: r.text_value };
  });

export function checklistStatus(rows: ChecklistRow[]) {
  const c = completionChecks(domainChecklist(rows));
  return { total: rows.length, answered: rows.filter((r) => r.answered_at !== null).length, canComplete: c.canComplete, blocking: c.blocking, failed: c.failed };
}

export async function detailView(db: Db, wo: WoRow, minor: number) {
  const [checklist, labour, parts, external, attachments, history] = await Promise.all([
    db.execute<ChecklistRow>(`${CHECKLIST_SELECT} WHERE work_order_id = $1 ORDER BY position`, [wo.id]),
    db.execute<{ id: string; user_id: string | null; technician_label: string; started_at: Date | null; minutes: number; hourly_rate: string; cost: string; note: string | null; created_by_label: string; created_at: Date }>(
      `SELECT id, user_id, technician_label, started_at, minutes, hourly_rate::text AS hourly_rate, cost::text AS cost, note, created_by_label, created_at FROM maintenance_labour WHERE work_order_id = $1 ORDER BY created_at, id`,
      [wo.id],
    ),
    db.execute<PartRow>(`${PART_SELECT} WHERE p.work_order_id = $1 ORDER BY p.created_at, p.id`, [wo.id]),
    db.execute<{ id: string; vendor: string | null; description: string; reference: string | null; amount: string; incurred_on: string; created_by_label: string; created_at: Date }>(
      `SELECT id, vendor, description, reference, amount::text AS amount, incurred_on::text AS incurred_on, created_by_label, created_at FROM maintenance_external_cost WHERE work_order_id = $1 ORDER BY created_at, id`,
      [wo.id],
    ),
    db.execute<AttachmentRow>(`SELECT ${ATTACHMENT_COLUMNS} FROM maintenance_attachment WHERE work_order_id = $1 ORDER BY created_at, id`, [wo.id]),
    db.execute<{ id: string; type: string; from_status: WorkOrderStatus | null; to_status: WorkOrderStatus | null; note: string | null; data: Record<string, unknown>; actor_label: string; at: Date }>(
      `SELECT e.id::text AS id, e.type, e.from_status, e.to_status, e.note, e.data, e.actor_label, e.at FROM maintenance_work_order_event e WHERE e.work_order_id = $1 ORDER BY e.id`,
      [wo.id],
    ),
  ]);
  const labourCost = dec(wo.labour_cost);
  const partsCost = dec(wo.parts_cost);
  const externalCost = dec(wo.external_cost);
  return {
    ...summaryView(wo, minor),
    description: wo.description,
    dueKey: wo.due_key,
    generateReason: wo.generate_reason,
    reportedBy: wo.reported_by_label,
    reportedAt: isoInstant(wo.reported_at),
    failedAt: isoInstant(wo.failed_at),
    assetTakenOut: wo.asset_taken_out,
    holdReason: wo.hold_reason,
    closedAt: isoInstant(wo.closed_at),
    cancelledAt: isoInstant(wo.cancelled_at),
    cancelReason: wo.cancel_reason,
    problemCode: wo.problem_code,
    causeCode: wo.cause_code,
    remedyCode: wo.remedy_code,
    completionNote: wo.completion_note,
    signedOffBy: wo.signed_off_by_label,
    signedOffAt: isoInstant(wo.signed_off_at),
    partsLocationId: wo.parts_location_id,
    createdBy: wo.created_by_label,
    allowedActions: workOrderActionsFrom(wo.status),
    checklist: { items: checklist.map(checklistItemView), ...checklistStatus(checklist) },
    labour: {
      plannedMinutes: wo.planned_minutes,
      actualMinutes: labour.reduce((n, l) => n + l.minutes, 0),
      lines: labour.map((l) => ({
        id: l.id,
        userId: l.user_id,
        technician: l.technician_label,
        startedAt: isoInstant(l.started_at),
        minutes: l.minutes,
        hourlyRate: decOut(l.hourly_rate)!,
        cost: money(l.cost, minor)!,
        note: l.note,
        createdBy: l.created_by_label,
        createdAt: isoInstant(l.created_at)!,
      })),
    },
    parts: parts.map((p) => partView(p, minor)),
    externalCosts: external.map((e) => ({
      id: e.id,
      vendor: e.vendor,
      description: e.description,
      reference: e.reference,
      amount: money(e.amount, minor)!,
      incurredOn: e.incurred_on,
      createdBy: e.created_by_label,
      createdAt: isoInstant(e.created_at)!,
    })),
    attachments: attachments.map(attachmentView),
    history: history.map((h) => ({ id: h.id, type: h.type, from: h.from_status, to: h.to_status, note: h.note, data: h.data, actor: h.actor_label, at: isoInstant(h.at)! })),
    costs: {
      currency: wo.currency,
      labour: money(labourCost, minor)!,
      parts: money(partsCost, minor)!,
      external: money(externalCost, minor)!,
      total: money(labourCost.plus(partsCost).plus(externalCost), minor)!,
      /** Posted to the asset's cost-of-ownership ledger so far. */
      posted: money(wo.cost_posted, minor)!,
    },
  };
}

export const partView = (p: PartRow, minor: number) => ({
  id: p.id,
  itemId: p.item_id,
  itemName: p.item_name,
  locationId: p.location_id,
  lot: p.lot,
  qty: decOut(p.qty)!,
  qtyUsed: decOut(p.qty_used),
  status: p.status,
  reservationId: p.reservation_id,
  moveId: p.move_id,
  moveNumber: p.move_number,
  unitCost: decOut(p.unit_cost),
  cost: money(p.cost, minor),
});

export interface AttachmentRow {
  id: string;
  work_order_id: string;
  file_name: string;
  media_type: string;
  size: number;
  sha256: string;
  created_by_label: string;
  created_at: Date;
}
export const ATTACHMENT_COLUMNS = `id, work_order_id, file_name, media_type, size, sha256, created_by_label, created_at`;
export const attachmentView = (r: AttachmentRow) => ({
  id: r.id,
  workOrderId: r.work_order_id,
  fileName: r.file_name,
  mediaType: r.media_type,
  size: r.size,
  sha256: r.sha256,
  createdBy: r.created_by_label,
  createdAt: isoInstant(r.created_at)!,
});

// ---------------------------------------------------------------------------------------------
// History, audit and events of changes that are not status changes

export const refOf = (wo: WoRow) => ({ id: wo.id, number: woNumber(wo.number), type: wo.type, assetId: wo.asset_id, assetTag: wo.asset_tag });

/** One non-status change: history row, audit record, `work-order.updated`, version bump. */
export async function recordChange(tx: Transaction, wo: WoRow, change: { type: string; changes: string[]; note?: string | null; data?: Record<string, unknown>; before?: unknown; after?: unknown }) {
  await tx.execute(`UPDATE maintenance_work_order SET version = version + 1, updated_at = now() WHERE id = $1`, [wo.id]);
  await recordWorkOrderEvent(tx, wo.id, { type: change.type, note: change.note ?? null, data: change.data ?? {} });
  await tx.audit({ action: change.type, entityType: 'maintenance.work-order', entityId: wo.id, before: change.before, after: change.after ?? change.data });
  await tx.emit(WorkOrderUpdated, { ...refOf(wo), changes: change.changes });
}

/** Recompute the order's cost columns from its lines. */
export async function refreshCosts(tx: Db, workOrderId: string) {
  await tx.execute(
    `UPDATE maintenance_work_order w SET
       labour_cost = (SELECT coalesce(sum(cost), 0) FROM maintenance_labour WHERE work_order_id = w.id),
       parts_cost = (SELECT coalesce(sum(cost), 0) FROM maintenance_part WHERE work_order_id = w.id AND status = 'issued'),
       external_cost = (SELECT coalesce(sum(amount), 0) FROM maintenance_external_cost WHERE work_order_id = w.id)
     WHERE w.id = $1`,
    [workOrderId],
  );
}

// ---------------------------------------------------------------------------------------------
// Asset status

/** Serialise changes to which orders hold an asset out of service. */
const lockAssetHolds = (tx: Db, assetId: string) => tx.execute(`SELECT pg_advisory_xact_lock(hashtext('maintenance.asset-hold'), hashtext($1::text))`, [assetId]);

const otherHolders = (tx: Db, wo: WoRow) =>
  tx.execute<{ id: string; number: string }>(
    `SELECT w.id, w.number::text AS number FROM maintenance_work_order w WHERE w.asset_id = $1 AND w.id <> $2 AND w.asset_taken_out AND w.status IN ('in-progress','on-hold') ORDER BY w.number`,
    [wo.asset_id, wo.id],
  );

const assetStatusOf = async (tx: Db, assetId: string) => (await tx.execute<{ status: string }>(`SELECT status FROM fixed_assets_asset WHERE id = $1`, [assetId]))[0]?.status;

export const takesAssetOut = (wo: Pick<WoRow, 'takes_out_of_service' | 'type' | 'asset_down'>) => wo.takes_out_of_service || (wo.type === 'corrective' && wo.asset_down);

/**
 * The order starts (or is reopened): put its asset in maintenance if it takes it out of service.
 * An asset already in maintenance for another started order is shared (this order holds it too);
 * one put in maintenance by hand is left as it is and not given back by this order. A checked-out
 * (or otherwise unavailable) asset makes fixed-assets refuse, and the whole start with it.
 */
async function takeAssetOut(tx: Transaction, deps: WorkOrderDeps, wo: WoRow): Promise<{ held: boolean; changed: boolean }> {
  if (!takesAssetOut(wo) || wo.asset_taken_out) return { held: wo.asset_taken_out, changed: false };
  await lockAssetHolds(tx, wo.asset_id);
  const status = await assetStatusOf(tx, wo.asset_id);
  if (status === 'in-maintenance') return { held: (await otherHolders(tx, wo)).length > 0, changed: false };
  await deps.assets.setStatusIn(tx, wo.asset_id, 'in-maintenance', { reason: `work order ${woNumber(wo.number)}: ${wo.title}` });
  return { held: true, changed: true };
}

/** The order no longer holds its asset: give it back to service unless another started order still holds it. */
async function giveAssetBack(tx: Transaction, deps: WorkOrderDeps, wo: WoRow): Promise<{ returned: boolean; heldBy: string[] }> {
  if (!wo.asset_taken_out) return { returned: false, heldBy: [] };
  await lockAssetHolds(tx, wo.asset_id);
  const others = await otherHolders(tx, wo);
  if (others.length) return { returned: false, heldBy: others.map((o) => woNumber(o.number)) };
  if ((await assetStatusOf(tx, wo.asset_id)) !== 'in-maintenance') return { returned: false, heldBy: [] };
  await deps.assets.setStatusIn(tx, wo.asset_id, 'in-service', { reason: `work order ${woNumber(wo.number)} ${wo.status === 'in-progress' ? 'completed' : 'cancelled'}` });
  return { returned: true, heldBy: [] };
}

// ---------------------------------------------------------------------------------------------
// Transitions

export interface ActionInput {
  version?: number;
  reason?: string | null;
  note?: string | null;
  scheduledStart?: string;
  scheduledEnd?: string;
  assigneeUserId?: string | null;
  teamId?: string | null;
  problemCode?: string | null;
  causeCode?: string | null;
  remedyCode?: string | null;
  completionNote?: string | null;
  parts?: Array<{ id: string; qtyUsed: string | number }>;
}

/** Costs are posted under a kind fixed-assets knows. */
export const costKindOf = (type: WorkOrderType) => (type === 'calibration' ? 'calibration' : type === 'corrective' ? 'repair' : 'maintenance');

/**
 * Take `action` on work order `id` inside `tx`. Input that is wrong whatever the state (a missing
 * reason, an end before the start) was checked by the route; what depends on the order's state is
 * checked here, after the row is locked.
 */
export async function runAction(tx: Transaction, deps: WorkOrderDeps, id: string, action: WorkOrderAction, input: ActionInput) {
  const minor = deps.options.currencyMinorUnits;
  const wo = await loadWorkOrder(tx, id, true);
  if (input.version !== undefined && input.version !== wo.version) throw staleVersion(wo, input.version);
  const check = checkWorkOrderAction(wo.status, action);
  if (!check.ok) throw illegalTransition(wo, action);
  const transition: WorkOrderTransition = check.transition;
  const from = wo.status;
  const to = transition.to;
  const reason = input.reason?.trim() || input.note?.trim() || null;
  const data: Record<string, unknown> = {};
  const sets: string[] = [];
  const params: unknown[] = [to, wo.id];
  const set = (column: string, value: unknown, cast = '') => {
    params.push(value);
    sets.push(`${column} = $${params.length}${cast}`);
  };
  const fallbackLocation = () => defaultPartsLocation(tx, deps.options.defaultPartsLocationCode);
  let completed: { labour: Dec; parts: Dec; external: Dec; total: Dec; completedAt: string } | null = null;

  switch (action) {
    case 'approve':
      break;
    case 'schedule': {
      const errors: FieldError[] = [];
      if (input.assigneeUserId) {
        const [u] = await tx.execute(`SELECT 1 FROM core_user WHERE id = $1 AND active`, [input.assigneeUserId]);
        if (!u) errors.push({ field: 'assigneeUserId', message: 'no such active user' });
      }
      if (input.teamId) {
        const [t] = await tx.execute(`SELECT 1 FROM maintenance_team WHERE id = $1`, [input.teamId]);
        if (!t) errors.push({ field: 'teamId', message: 'no such team' });
      }
      if (errors.length) throw problems.validation(errors);
      set('scheduled_start', input.scheduledStart, '::timestamptz');
      set('scheduled_end', input.scheduledEnd, '::timestamptz');
      if (input.assigneeUserId !== undefined) set('assignee_user_id', input.assigneeUserId);
      if (input.teamId !== undefined) set('team_id', input.teamId);
      Object.assign(data, { scheduledStart: input.scheduledStart, scheduledEnd: input.scheduledEnd });
      if (deps.inventory) {
        const n = await reserveParts(tx, deps.inventory, { id: wo.id, number: woNumber(wo.number), parts_location_id: wo.parts_location_id }, await fallbackLocation());
        if (n) data.partsReserved = n;
      }
      break;
    }
    case 'unschedule': {
      set('scheduled_start', null);
      set('scheduled_end', null);
      const n = await releaseParts(tx, deps.inventory, wo.id, 'planned');
      if (n) data.partsReleased = n;
      break;
    }
    case 'start': {
      if (deps.inventory) {
        const n = await reserveParts(tx, deps.inventory, { id: wo.id, number: woNumber(wo.number), parts_location_id: wo.parts_location_id }, await fallbackLocation());
        if (n) data.partsReserved = n;
      }
      const out = await takeAssetOut(tx, deps, wo);
      set('asset_taken_out', out.held);
      if (out.changed) data.assetStatus = 'in-maintenance';
      sets.push('started_at = coalesce(started_at, now())');
      break;
    }
    case 'hold':
      set('hold_reason', reason);
      break;
    case 'resume':
      set('hold_reason', null);
      break;
    case 'reopen': {
      const out = await takeAssetOut(tx, deps, wo);
      set('asset_taken_out', out.held);
      if (out.changed) data.assetStatus = 'in-maintenance';
      sets.push('completed_at = NULL');
      break;
    }
    case 'complete': {
      // Checklist first: the technician has something to finish.
      const items = await tx.execute<ChecklistRow>(`${CHECKLIST_SELECT} WHERE work_order_id = $1 ORDER BY position`, [wo.id]);
      const checks = completionChecks(domainChecklist(items));
      if (!checks.canComplete) {
        throw problems.conflict('maintenance/checklist-incomplete', 'Checklist incomplete', `Work order ${woNumber(wo.number)} has ${checks.blocking.length} checklist item(s) to finish: ${checks.blocking.map((b) => `${b.label} (${b.reason})`).join('; ')}`, {
          workOrderId: wo.id,
          items: checks.blocking,
        });
      }
      // Failure codes: named now or before (a breakdown report names the problem); corrective work needs all three.
      const codes = {
        problem: input.problemCode !== undefined ? input.problemCode : wo.problem_code,
        cause: input.causeCode !== undefined ? input.causeCode : wo.cause_code,
        remedy: input.remedyCode !== undefined ? input.remedyCode : wo.remedy_code,
      };
      const errors: FieldError[] = [];
      if (wo.type === 'corrective') for (const k of ['problem', 'cause', 'remedy'] as const) if (!codes[k]) errors.push({ field: `${k}Code`, message: `corrective work needs a ${k} code` });
      errors.push(...(await checkFailureCodes(tx, { problem: input.problemCode, cause: input.causeCode, remedy: input.remedyCode })));
      // Parts used: lines of this order not issued yet.
      const open = new Set((await tx.execute<{ id: string }>(`SELECT id FROM maintenance_part WHERE work_order_id = $1 AND status IN ('planned','reserved')`, [wo.id])).map((p) => p.id));
      const used = new Map<string, Dec>();
      input.parts?.forEach((p, i) => {
        if (!open.has(p.id)) errors.push({ field: `parts.${i}.id`, message: 'not a part of this work order waiting to be issued' });
        else if (used.has(p.id)) errors.push({ field: `parts.${i}.id`, message: 'named twice' });
        else used.set(p.id, dec(p.qtyUsed));
      });
      if (errors.length) throw problems.validation(errors);
      set('problem_code', codes.problem);
      set('cause_code', codes.cause);
      set('remedy_code', codes.remedy);
      if (input.completionNote !== undefined) set('completion_note', input.completionNote?.trim() || null);

      const issue = await issueParts(tx, deps.inventory, { id: wo.id, number: woNumber(wo.number), parts_location_id: wo.parts_location_id }, used, await fallbackLocation(), minor);
      if (issue.issued.length) data.parts = issue.issued;
      if (issue.move) data.issueMove = issue.move;
      await refreshCosts(tx, wo.id);
      const [c] = await tx.execute<{ labour: string; parts: string; external: string; posted: string; completions: number; completed_at: Date }>(
        `SELECT labour_cost::text AS labour, parts_cost::text AS parts, external_cost::text AS external, cost_posted::text AS posted, completions, now() AS completed_at FROM maintenance_work_order WHERE id = $1`,
        [wo.id],
      );
      const total = dec(c.labour).plus(dec(c.parts)).plus(dec(c.external));
      const diff = total.minus(dec(c.posted));
      const n = c.completions + 1;
      const completedAt = isoInstant(c.completed_at)!;
      if (diff.isNegative()) {
        throw new ProblemError({ type: 'maintenance/cost-posted', status: 409, title: 'Costs already posted', detail: `Work order ${woNumber(wo.number)} costs less than was already posted to the asset`, extensions: { workOrderId: wo.id } });
      }
      if (diff.gt(0)) {
        const entry = await deps.assets.postCost(tx, {
          assetId: wo.asset_id,
          incurredOn: completedAt.slice(0, 10),
          kind: costKindOf(wo.type),
          amount: diff.toFixed(minor),
          currency: wo.currency,
          source: 'maintenance',
          sourceRef: n === 1 ? wo.id : `${wo.id}#${n}`,
          description: `${woNumber(wo.number)} ${wo.title}${n > 1 ? ` (completion ${n})` : ''}`,
        });
        data.costPosted = { costId: entry.id, amount: entry.amount, sourceRef: entry.sourceRef };
      }
      set('cost_posted', total.toFixed(minor));
      set('completions', n);
      sets.push('completed_at = now()');
      const back = await giveAssetBack(tx, deps, wo);
      set('asset_taken_out', false);
      if (back.returned) data.assetStatus = 'in-service';
      if (back.heldBy.length) data.assetStillHeldBy = back.heldBy;
      if (wo.plan_id) await recordPlanCompletion(tx, wo, completedAt.slice(0, 10));
      completed = { labour: dec(c.labour), parts: dec(c.parts), external: dec(c.external), total, completedAt };
      break;
    }
    case 'close':
      sets.push('closed_at = now()', 'signed_off_at = now()');
      set('signed_off_by_label', tx.actor.label);
      data.signedOffBy = tx.actor.label;
      break;
    case 'cancel': {
      set('cancel_reason', reason);
      sets.push('cancelled_at = now()');
      const n = await releaseParts(tx, deps.inventory, wo.id, 'released');
      if (n) data.partsReleased = n;
      if (STARTED.includes(from)) {
        const back = await giveAssetBack(tx, deps, wo);
        set('asset_taken_out', false);
        if (back.returned) data.assetStatus = 'in-service';
      }
      break;
    }
  }

  await tx.execute(`UPDATE maintenance_work_order SET status = $1, ${[...sets, 'version = version + 1', 'updated_at = now()'].join(', ')} WHERE id = $2`, params);
  await recordWorkOrderEvent(tx, wo.id, { type: transition.event, from, to, note: reason, data });
  await tx.audit({ action: transition.event, entityType: 'maintenance.work-order', entityId: wo.id, before: { status: from }, after: { status: to, ...data } });
  await tx.emit(WorkOrderStatusChanged, { ...refOf(wo), from, to, reason });
  if (completed) {
    await tx.emit(WorkOrderCompleted, {
      ...refOf(wo),
      completedAt: completed.completedAt,
      currency: wo.currency,
      labourCost: completed.labour.toFixed(minor),
      partsCost: completed.parts.toFixed(minor),
      externalCost: completed.external.toFixed(minor),
      totalCost: completed.total.toFixed(minor),
    });
  }
  return loadWorkOrder(tx, wo.id);
}

/**
 * A plan's work order completed: the plan × asset state remembers the day (floating calendar
 * schedules count from it) and, for meter plans, the meter's total at completion (floating meter
 * schedules count from it). The generation service reads these two columns.
 */
async function recordPlanCompletion(tx: Transaction, wo: WoRow, completedOn: string) {
  const [plan] = await tx.execute<{ trigger_kind: string; point_code: string | null }>(`SELECT trigger_kind, point_code FROM maintenance_plan WHERE id = $1`, [wo.plan_id]);
  let total: string | null = null;
  if (plan?.trigger_kind === 'meter' && plan.point_code) {
    const [p] = await tx.execute<{ total: string | null }>(`SELECT total::text AS total FROM maintenance_measurement_point WHERE asset_id = $1 AND code = $2`, [wo.asset_id, plan.point_code]);
    total = p?.total ?? null;
  }
  await tx.execute(
    `INSERT INTO maintenance_plan_state (plan_id, asset_id, last_completed_on, last_completed_total, updated_at) VALUES ($1, $2, $3::date, $4::numeric, now())
     ON CONFLICT (plan_id, asset_id) DO UPDATE SET last_completed_on = excluded.last_completed_on,
       last_completed_total = coalesce(excluded.last_completed_total, maintenance_plan_state.last_completed_total), updated_at = now()`,
    [wo.plan_id, wo.asset_id, completedOn, total],
  );
}

// ---------------------------------------------------------------------------------------------
// Checklist answers, labour and external costs (the routes and the demo data call these)

export interface ChecklistAnswerInput {
  passed?: boolean | null;
  value?: string | number | null;
  text?: string | null;
  note?: string | null;
}

/**
 * Answer one checklist item of an order in progress: checks take `passed`, readings `value` (out of
 * min/max is recorded as failed; with a point code also recorded on the asset's measurement point
 * of that code), text items `text`. Answers the item, the checklist's state and the reading.
 */
export async function answerChecklistItem(tx: Transaction, registry: TriggerRegistry, id: string, itemId: string, b: ChecklistAnswerInput, log?: PluginContext['log']) {
  const wo = await loadWorkOrder(tx, id, true);
  const [item] = await tx.execute<ChecklistRow>(`${CHECKLIST_SELECT} WHERE id = $1 AND work_order_id = $2 FOR UPDATE`, [itemId, wo.id]);
  if (!item) throw problems.notFound('checklist item', itemId);
  const errors: FieldError[] = [];
  const notFor = (field: 'passed' | 'value' | 'text') => {
    if (b[field] !== undefined) errors.push({ field, message: `a ${item.kind} item takes ${item.kind === 'check' ? 'passed' : item.kind === 'reading' ? 'value' : 'text'}, not ${field}` });
  };
  let passed: boolean | null = null;
  let value: string | null = null;
  let text: string | null = null;
  let answered: boolean;
  if (item.kind === 'check') {
    notFor('value');
    notFor('text');
    if (b.passed === undefined) errors.push({ field: 'passed', message: 'is required for a check (true, false, or null: not applicable)' });
    passed = b.passed ?? null;
    answered = b.passed !== undefined;
  } else if (item.kind === 'reading') {
    notFor('passed');
    notFor('text');
    if (b.value === undefined) errors.push({ field: 'value', message: 'is required for a reading (null clears it)' });
    else if (b.value !== null) {
      const v = tryDec(b.value);
      if (!v) errors.push({ field: 'value', message: 'must be a decimal number' });
      else if (v.abs().gte('1e15')) errors.push({ field: 'value', message: 'is too large' });
      else {
        value = decText(v);
        const below = item.min_value !== null && v.lt(dec(item.min_value));
        const above = item.max_value !== null && v.gt(dec(item.max_value));
        passed = !(below || above);
      }
    }
    answered = value !== null;
  } else {
    notFor('passed');
    notFor('value');
    if (b.text === undefined) errors.push({ field: 'text', message: 'is required for a text item (null clears it)' });
    text = b.text?.trim() || null;
    answered = text !== null;
  }
  if (errors.length) throw problems.validation(errors);
  requireStatus(wo, 'answering the checklist', ['in-progress']);
  const note = b.note !== undefined ? cleanText(b.note) : item.note;
  const [row] = await tx.execute<ChecklistRow>(
    `UPDATE maintenance_checklist_item SET passed = $2, value = $3, text_value = $4, note = $5,
       answered_by_label = CASE WHEN $6 THEN $7 ELSE NULL END, answered_at = CASE WHEN $6 THEN now() ELSE NULL END
     WHERE id = $1
     RETURNING id, position, kind, label, required, unit, min_value::text AS min_value, max_value::text AS max_value, point_code, passed, value::text AS value, text_value, note, answered_by_label, answered_at`,
    [item.id, passed, value, text, note, answered, tx.actor.label],
  );
  const view = checklistItemView(row);
  // A reading with a point code also goes on the asset's measurement point (as if entered there).
  let reading: { id: string; pointCode: string; status: 'accepted' | 'flagged' | 'rejected'; reason: string | null; workOrderIds: string[] } | null = null;
  if (item.kind === 'reading' && item.point_code && value !== null) {
    const [exists] = await tx.execute(`SELECT 1 FROM maintenance_measurement_point WHERE asset_id = $1 AND code = $2`, [wo.asset_id, item.point_code]);
    if (exists) {
      const point = await pointOf(tx, wo.asset_id, item.point_code, true);
      const o = await recordReading(tx, registry, point, { value, readAt: new Date().toISOString(), source: `work-order:${woNumber(wo.number)}` }, { storeRejected: true, log });
      reading = { id: o.id, pointCode: item.point_code, status: o.status, reason: o.reason, workOrderIds: o.workOrderIds };
    }
  }
  await recordChange(tx, wo, {
    type: 'checklist-answered',
    changes: ['checklist'],
    data: {
      itemId: item.id,
      label: item.label,
      passed,
      value,
      text,
      ...(value !== null && passed === false ? { outOfRange: true } : {}),
      ...(reading ? { readingId: reading.id, readingStatus: reading.status } : {}),
      ...(item.kind === 'reading' && item.point_code && value !== null && !reading ? { pointMissing: item.point_code } : {}),
    },
    before: checklistItemView(item),
    after: view,
  });
  const all = await tx.execute<ChecklistRow>(`${CHECKLIST_SELECT} WHERE work_order_id = $1 ORDER BY position`, [wo.id]);
  return { item: view, checklist: checklistStatus(all), reading };
}

/** Labour may be booked while the work runs. */
export const LABOUR_STATUSES = ['in-progress', 'on-hold'] as const;

/**
 * Book labour time of technician `userId` on an order in progress or on hold, at the technician's
 * rate (else their team's, else the option `defaultHourlyRate`); the order's costs follow.
 */
export async function bookLabour(tx: Transaction, options: MaintenanceOptions, id: string, b: { userId: string | null | undefined; minutes: number; startedAt?: string | null; note?: string | null }) {
  const minor = options.currencyMinorUnits;
  const userId = b.userId;
  const errors: FieldError[] = [];
  if (!userId) errors.push({ field: 'userId', message: 'is required when the caller is not a user' });
  if (b.startedAt && Date.parse(b.startedAt) > Date.now() + 5 * 60_000) errors.push({ field: 'startedAt', message: 'must not be in the future' });
  const [user] = userId ? await tx.execute<{ name: string }>(`SELECT name FROM core_user WHERE id = $1`, [userId]) : [];
  if (userId && !user) errors.push({ field: 'userId', message: 'no such user' });
  if (errors.length) throw problems.validation(errors);
  const wo = await loadWorkOrder(tx, id, true);
  requireStatus(wo, 'booking labour', LABOUR_STATUSES);
  const { rate, source } = await hourlyRateFor(tx, userId!, wo.team_id, options.defaultHourlyRate);
  const cost = labourCost(b.minutes, rate, minor);
  const [line] = await tx.execute<{ id: string }>(
    `INSERT INTO maintenance_labour (work_order_id, user_id, technician_label, started_at, minutes, hourly_rate, cost, note, created_by_label) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
    [wo.id, userId, user.name, b.startedAt ?? null, b.minutes, rate.toFixed(), cost.toFixed(minor), cleanText(b.note), tx.actor.label],
  );
  await refreshCosts(tx, wo.id);
  await recordChange(tx, wo, { type: 'labour-added', changes: ['labour'], data: { labourId: line.id, userId, minutes: b.minutes, hourlyRate: decText(rate), rateSource: source, cost: cost.toFixed(minor) } });
  return line.id;
}

/** A money amount typed by a person: ≥ 0 with at most the currency's decimals. */
export function amountIn(v: string | number, field: string, minor: number, errors: FieldError[]) {
  const d = tryDec(v);
  if (!d) errors.push({ field, message: 'must be a decimal number' });
  else if (d.isNegative()) errors.push({ field, message: 'must not be negative' });
  else if (d.decimalPlaces() > minor) errors.push({ field, message: `has more than ${minor} decimal places` });
  else if (d.gte('1e15')) errors.push({ field, message: 'is too large' });
  else return d;
  return undefined;
}

/** Add an external cost (a contractor, a rental) to an open order, incurred today or earlier; the order's costs follow. */
export async function addExternalCost(
  tx: Transaction,
  options: MaintenanceOptions,
  id: string,
  b: { vendor?: string | null; description: string; reference?: string | null; amount: string | number; incurredOn?: string },
) {
  const minor = options.currencyMinorUnits;
  const errors: FieldError[] = [];
  if (!b.description.trim()) errors.push({ field: 'description', message: 'must not be blank' });
  const amount = amountIn(b.amount, 'amount', minor, errors);
  const today = new Date().toISOString().slice(0, 10);
  if (b.incurredOn && b.incurredOn > today) errors.push({ field: 'incurredOn', message: 'must not be in the future' });
  if (errors.length) throw problems.validation(errors);
  const wo = await loadWorkOrder(tx, id, true);
  requireStatus(wo, 'adding external costs', OPEN_STATUSES);
  const [row] = await tx.execute<{ id: string }>(
    `INSERT INTO maintenance_external_cost (work_order_id, vendor, description, reference, amount, incurred_on, created_by_label) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [wo.id, cleanText(b.vendor), b.description.trim(), cleanText(b.reference), amount!.toFixed(minor), b.incurredOn ?? today, tx.actor.label],
  );
  await refreshCosts(tx, wo.id);
  await recordChange(tx, wo, { type: 'external-cost-added', changes: ['external-costs'], data: { costId: row.id, vendor: cleanText(b.vendor), amount: amount!.toFixed(minor) } });
  return row.id;
}
