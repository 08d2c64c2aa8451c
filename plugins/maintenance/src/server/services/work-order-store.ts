/**
 * Creating a work order and writing its history: shared by hand-made orders, breakdown reports
 * and the scheduler's generation, so every order starts the same way (number, checklist copied
 * from its template, planned parts, history entry, audit record, `work-order.created` event).
 */
import { problems, type Transaction } from '@quartermaster/sdk';
import type { Db } from '@quartermaster/core';
import { WorkOrderCreated, type Priority, type WorkOrderStatus, type WorkOrderType } from '../../shared/index.js';

export interface NewWorkOrder {
  type: WorkOrderType;
  assetId: string;
  title: string;
  description?: string | null;
  /** Default: `requested` for corrective orders and by-hand orders, `approved` for generated preventive work. */
  status?: Extract<WorkOrderStatus, 'requested' | 'approved'>;
  priority: Priority;
  planId?: string | null;
  /** Required with `planId`: the occurrence this order does (unique per plan × asset). */
  dueKey?: string | null;
  dueOn?: string | null;
  dueTotal?: string | null;
  generateReason?: string | null;
  takesOutOfService?: boolean;
  checklistTemplateId?: string | null;
  teamId?: string | null;
  assigneeUserId?: string | null;
  plannedMinutes?: number | null;
  partsLocationId?: string | null;
  /** Planned spare parts (status `planned`). */
  parts?: Array<{ itemId: string; qty: string; locationId?: string | null; lot?: string | null }>;
  breakdown?: { reportedByLabel: string; assetDown: boolean; failedAt: string | null };
}

export const woNumber = (n: number | string) => `WO-${String(n).padStart(6, '0')}`;

/** Checklist template items as stored in `maintenance_checklist_template.items`. */
export interface ChecklistTemplateItem {
  kind: 'check' | 'reading' | 'text';
  label: string;
  required?: boolean;
  unit?: string | null;
  min?: string | null;
  max?: string | null;
  pointCode?: string | null;
}

/**
 * Insert a work order. With `planId` it is idempotent per plan × asset × `dueKey`: answers null
 * when another transaction (another scheduler instance) already created that occurrence.
 */
export async function createWorkOrder(tx: Transaction, input: NewWorkOrder): Promise<{ id: string; number: string } | null> {
  const [asset] = await tx.execute<{ id: string; tag: string; currency: string; status: string }>(`SELECT id, tag, currency, status FROM fixed_assets_asset WHERE id = $1`, [input.assetId]);
  if (!asset) throw problems.validation([{ field: 'assetId', message: 'no such asset' }]);
  if (asset.status === 'disposed') throw problems.conflict('maintenance/asset-disposed', 'Asset disposed', `Asset ${asset.tag} is disposed of: no work can be ordered on it`, { assetId: asset.id, tag: asset.tag });
  const status = input.status ?? (input.type === 'corrective' ? 'requested' : 'approved');
  const rows = await tx.execute<{ id: string; number: string }>(
    `INSERT INTO maintenance_work_order (type, status, priority, asset_id, title, description, plan_id, due_key, due_on, due_total, generate_reason,
        takes_out_of_service, team_id, assignee_user_id, planned_minutes, parts_location_id, currency, created_by_label,
        reported_by_label, reported_at, asset_down, failed_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, CASE WHEN $19::text IS NULL THEN NULL ELSE now() END, $20, $21)
     ON CONFLICT (plan_id, asset_id, due_key) WHERE plan_id IS NOT NULL DO NOTHING
     RETURNING id, number::text AS number`,
    [
      input.type,
      status,
      input.priority,
      asset.id,
      input.title.trim(),
      input.description?.trim() || null,
      input.planId ?? null,
      input.planId ? input.dueKey : null,
      input.dueOn ?? null,
      input.dueTotal ?? null,
      input.generateReason ?? null,
      input.takesOutOfService ?? false,
      input.teamId ?? null,
      input.assigneeUserId ?? null,
      input.plannedMinutes ?? null,
      input.partsLocationId ?? null,
      asset.currency,
      tx.actor.label,
      input.breakdown?.reportedByLabel ?? null,
      input.breakdown?.assetDown ?? false,
      input.breakdown?.failedAt ?? null,
    ],
  );
  if (!rows.length) return null;
  const wo = rows[0];

  if (input.checklistTemplateId) {
    const [tpl] = await tx.execute<{ items: ChecklistTemplateItem[] }>(`SELECT items FROM maintenance_checklist_template WHERE id = $1`, [input.checklistTemplateId]);
    if (!tpl) throw problems.validation([{ field: 'checklistTemplateId', message: 'no such checklist template' }]);
    await copyChecklist(tx, wo.id, tpl.items);
  }
  if (input.parts?.length) {
    await tx.execute(
      `INSERT INTO maintenance_part (work_order_id, item_id, location_id, lot, qty, status)
       SELECT $1, i, l, lot, q, 'planned' FROM unnest($2::uuid[], $3::uuid[], $4::text[], $5::numeric[]) AS u(i, l, lot, q)`,
      [wo.id, input.parts.map((p) => p.itemId), input.parts.map((p) => p.locationId ?? null), input.parts.map((p) => p.lot ?? null), input.parts.map((p) => p.qty)],
    );
  }
  await recordWorkOrderEvent(tx, wo.id, { type: 'created', to: status, note: input.generateReason ?? null, data: input.planId ? { planId: input.planId, dueKey: input.dueKey } : {} });
  const number = woNumber(wo.number);
  await tx.audit({ action: 'created', entityType: 'maintenance.work-order', entityId: wo.id, after: { number, type: input.type, status, assetId: asset.id, planId: input.planId ?? null, dueKey: input.dueKey ?? null } });
  await tx.emit(WorkOrderCreated, {
    id: wo.id,
    number,
    type: input.type,
    assetId: asset.id,
    assetTag: asset.tag,
    status,
    priority: input.priority,
    planId: input.planId ?? null,
    dueOn: input.dueOn ?? null,
    title: input.title.trim(),
  });
  return { id: wo.id, number };
}

/** Copy checklist items into a work order (later template edits leave the order as it was). */
export async function copyChecklist(tx: Db, workOrderId: string, items: ChecklistTemplateItem[]): Promise<void> {
  if (!items.length) return;
  const [{ start }] = await tx.execute<{ start: number }>(`SELECT coalesce(max(position), 0)::int AS start FROM maintenance_checklist_item WHERE work_order_id = $1`, [workOrderId]);
  await tx.execute(
    `INSERT INTO maintenance_checklist_item (work_order_id, position, kind, label, required, unit, min_value, max_value, point_code)
     SELECT $1, $2::int + n, k, l, r, u, mn, mx, pc FROM unnest($3::text[], $4::text[], $5::boolean[], $6::text[], $7::numeric[], $8::numeric[], $9::text[]) WITH ORDINALITY AS t(k, l, r, u, mn, mx, pc, n)`,
    [
      workOrderId,
      start,
      items.map((i) => i.kind),
      items.map((i) => i.label),
      items.map((i) => i.required ?? true),
      items.map((i) => i.unit ?? null),
      items.map((i) => i.min ?? null),
      items.map((i) => i.max ?? null),
      items.map((i) => i.pointCode ?? null),
    ],
  );
}

/** One line of a work order's history. */
export async function recordWorkOrderEvent(
  tx: Transaction,
  workOrderId: string,
  e: { type: string; from?: WorkOrderStatus | null; to?: WorkOrderStatus | null; note?: string | null; data?: Record<string, unknown> },
): Promise<void> {
  await tx.execute(`INSERT INTO maintenance_work_order_event (work_order_id, type, from_status, to_status, note, data, actor_label) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
    workOrderId,
    e.type,
    e.from ?? null,
    e.to ?? null,
    e.note ?? null,
    JSON.stringify(e.data ?? {}),
    tx.actor.label,
  ]);
}
