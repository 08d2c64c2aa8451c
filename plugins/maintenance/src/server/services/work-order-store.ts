/**
 * Creating a work order and writing its history: shared by hand-made orders, breakdown reports
 * and the scheduler's generation, so every order starts the same way (number, checklist copied
 * from its template, planned parts, history entry, audit record, `work-order.created` event).
 */
import { randomUUID } from 'node:crypto';
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
  return (await createWorkOrders(tx, [input]))[0];
}

/**
 * Insert work orders in a handful of statements whatever their number: the assets (one SELECT),
 * the checklist templates they name (one SELECT), the orders (one INSERT … SELECT FROM unnest …
 * ON CONFLICT DO NOTHING), the checklist items copied from the templates, the planned parts and
 * the history lines (one INSERT each); then per created order its audit record and
 * `work-order.created` event, which the core writes in one statement at commit.
 *
 * The same rules as one `createWorkOrder` after another: an order with `planId` is idempotent per
 * plan × asset × `dueKey` (an occurrence that exists already — created by another transaction, or
 * earlier in the same list — answers null); an unknown or disposed asset, or an unknown checklist
 * template of an order that is created, throws for the whole list. Answers one entry per input,
 * in input order: the created order's id and number, or null.
 */
export async function createWorkOrders(tx: Transaction, inputs: readonly NewWorkOrder[]): Promise<Array<{ id: string; number: string } | null>> {
  if (!inputs.length) return [];
  const assetIds = [...new Set(inputs.map((i) => i.assetId))];
  const templateIds = [...new Set(inputs.map((i) => i.checklistTemplateId).filter((t): t is string => !!t))];
  const assets = new Map(
    (await tx.execute<{ id: string; tag: string; currency: string; status: string }>(`SELECT id, tag, currency, status FROM fixed_assets_asset WHERE id = ANY($1::uuid[])`, [assetIds])).map((a) => [a.id, a]),
  );
  for (const input of inputs) {
    const asset = assets.get(input.assetId);
    if (!asset) throw problems.validation([{ field: 'assetId', message: 'no such asset' }]);
    if (asset.status === 'disposed') throw problems.conflict('maintenance/asset-disposed', 'Asset disposed', `Asset ${asset.tag} is disposed of: no work can be ordered on it`, { assetId: asset.id, tag: asset.tag });
  }
  const templates = new Map(
    templateIds.length
      ? (await tx.execute<{ id: string; items: ChecklistTemplateItem[] }>(`SELECT id, items FROM maintenance_checklist_template WHERE id = ANY($1::uuid[])`, [templateIds])).map((t) => [t.id, t.items])
      : [],
  );

  // Ids are made here, so the RETURNING rows say which inputs were inserted. An occurrence listed
  // twice is sent once: the later copy answers null, as it would after the first was created.
  const rows: Array<{ input: NewWorkOrder; index: number; id: string; status: NonNullable<NewWorkOrder['status']>; title: string; asset: { id: string; tag: string; currency: string } }> = [];
  const occurrences = new Set<string>();
  inputs.forEach((input, index) => {
    if (input.planId) {
      const key = `${input.planId}|${input.assetId}|${input.dueKey}`;
      if (occurrences.has(key)) return;
      occurrences.add(key);
    }
    const status = input.status ?? (input.type === 'corrective' ? 'requested' : 'approved');
    rows.push({ input, index, id: randomUUID(), status, title: input.title.trim(), asset: assets.get(input.assetId)! });
  });
  const col = <T>(f: (r: (typeof rows)[number]) => T) => rows.map(f);
  const inserted = await tx.execute<{ id: string; number: string }>(
    `INSERT INTO maintenance_work_order (id, type, status, priority, asset_id, title, description, plan_id, due_key, due_on, due_total, generate_reason,
        takes_out_of_service, team_id, assignee_user_id, planned_minutes, parts_location_id, currency, created_by_label,
        reported_by_label, reported_at, asset_down, failed_at)
     SELECT id, type, status, priority, asset_id, title, description, plan_id, due_key, due_on, due_total, generate_reason,
            takes_out_of_service, team_id, assignee_user_id, planned_minutes, parts_location_id, currency, $19::text,
            reported_by_label, CASE WHEN reported_by_label IS NULL THEN NULL ELSE now() END, asset_down, failed_at
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::uuid[], $6::text[], $7::text[], $8::uuid[], $9::text[], $10::date[], $11::numeric[], $12::text[],
                   $13::boolean[], $14::uuid[], $15::uuid[], $16::int[], $17::uuid[], $18::text[], $20::text[], $21::boolean[], $22::timestamptz[])
            WITH ORDINALITY AS u(id, type, status, priority, asset_id, title, description, plan_id, due_key, due_on, due_total, generate_reason,
                                 takes_out_of_service, team_id, assignee_user_id, planned_minutes, parts_location_id, currency, reported_by_label, asset_down, failed_at, n)
      ORDER BY n
     ON CONFLICT (plan_id, asset_id, due_key) WHERE plan_id IS NOT NULL DO NOTHING
     RETURNING id, number::text AS number`,
    [
      col((r) => r.id),
      col((r) => r.input.type),
      col((r) => r.status),
      col((r) => r.input.priority),
      col((r) => r.asset.id),
      col((r) => r.title),
      col((r) => r.input.description?.trim() || null),
      col((r) => r.input.planId ?? null),
      col((r) => (r.input.planId ? r.input.dueKey : null)),
      col((r) => r.input.dueOn ?? null),
      col((r) => r.input.dueTotal ?? null),
      col((r) => r.input.generateReason ?? null),
      col((r) => r.input.takesOutOfService ?? false),
      col((r) => r.input.teamId ?? null),
      col((r) => r.input.assigneeUserId ?? null),
      col((r) => r.input.plannedMinutes ?? null),
      col((r) => r.input.partsLocationId ?? null),
      col((r) => r.asset.currency),
      tx.actor.label,
      col((r) => r.input.breakdown?.reportedByLabel ?? null),
      col((r) => r.input.breakdown?.assetDown ?? false),
      col((r) => r.input.breakdown?.failedAt ?? null),
    ],
  );
  const numbers = new Map(inserted.map((r) => [r.id, r.number]));
  const created = rows.filter((r) => numbers.has(r.id));
  const out: Array<{ id: string; number: string } | null> = inputs.map(() => null);
  if (!created.length) return out;

  // Checklists copied from their templates (positions 1…n: a new order has no items yet).
  const checklist: Array<{ wo: string; position: number; item: ChecklistTemplateItem }> = [];
  for (const r of created) {
    if (!r.input.checklistTemplateId) continue;
    const items = templates.get(r.input.checklistTemplateId);
    if (!items) throw problems.validation([{ field: 'checklistTemplateId', message: 'no such checklist template' }]);
    items.forEach((item, i) => checklist.push({ wo: r.id, position: i + 1, item }));
  }
  if (checklist.length) {
    await tx.execute(
      `INSERT INTO maintenance_checklist_item (work_order_id, position, kind, label, required, unit, min_value, max_value, point_code)
       SELECT * FROM unnest($1::uuid[], $2::int[], $3::text[], $4::text[], $5::boolean[], $6::text[], $7::numeric[], $8::numeric[], $9::text[])`,
      [
        checklist.map((c) => c.wo),
        checklist.map((c) => c.position),
        checklist.map((c) => c.item.kind),
        checklist.map((c) => c.item.label),
        checklist.map((c) => c.item.required ?? true),
        checklist.map((c) => c.item.unit ?? null),
        checklist.map((c) => c.item.min ?? null),
        checklist.map((c) => c.item.max ?? null),
        checklist.map((c) => c.item.pointCode ?? null),
      ],
    );
  }
  const parts = created.flatMap((r) => (r.input.parts ?? []).map((p) => ({ wo: r.id, ...p })));
  if (parts.length) {
    await tx.execute(
      `INSERT INTO maintenance_part (work_order_id, item_id, location_id, lot, qty, status)
       SELECT w, i, l, lot, q, 'planned' FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::numeric[]) AS u(w, i, l, lot, q)`,
      [parts.map((p) => p.wo), parts.map((p) => p.itemId), parts.map((p) => p.locationId ?? null), parts.map((p) => p.lot ?? null), parts.map((p) => p.qty)],
    );
  }
  await tx.execute(
    `INSERT INTO maintenance_work_order_event (work_order_id, type, to_status, note, data, actor_label)
     SELECT w, 'created', s, note, d, $5::text FROM unnest($1::uuid[], $2::text[], $3::text[], $4::jsonb[]) WITH ORDINALITY AS u(w, s, note, d, n) ORDER BY n`,
    [
      created.map((r) => r.id),
      created.map((r) => r.status),
      created.map((r) => r.input.generateReason ?? null),
      created.map((r) => JSON.stringify(r.input.planId ? { planId: r.input.planId, dueKey: r.input.dueKey } : {})),
      tx.actor.label,
    ],
  );
  for (const r of created) {
    const { input, asset, status } = r;
    const number = woNumber(numbers.get(r.id)!);
    await tx.audit({ action: 'created', entityType: 'maintenance.work-order', entityId: r.id, after: { number, type: input.type, status, assetId: asset.id, planId: input.planId ?? null, dueKey: input.dueKey ?? null } });
    await tx.emit(WorkOrderCreated, {
      id: r.id,
      number,
      type: input.type,
      assetId: asset.id,
      assetTag: asset.tag,
      status,
      priority: input.priority,
      planId: input.planId ?? null,
      dueOn: input.dueOn ?? null,
      title: r.title,
    });
    out[r.index] = { id: r.id, number };
  }
  return out;
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
