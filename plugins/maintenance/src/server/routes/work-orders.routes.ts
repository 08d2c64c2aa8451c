/**
 * Work orders: create by hand, list (board and calendar), detail, edit, the lifecycle actions
 * (`POST /work-orders/:id/<action>`), checklists (added from a template, answered), labour, spare
 * parts, external costs and attachments. The rules live in services/work-orders.service.ts and
 * parts.service.ts.
 */
import { createHash } from 'node:crypto';
import {
  Type,
  problems,
  DecimalIn,
  DecimalOut,
  IdParams,
  Instant,
  IsoDate,
  Nullable,
  Page,
  PageQuery,
  Uuid,
  errorResponses,
  lit,
  pageOf,
  cleanText,
  type FieldError,
  type PluginApp,
  type PluginContext,
  type TSchema,
  type Transaction,
} from '@quartermaster/sdk';
import { readerOf, sqlParams, type Db } from '@quartermaster/core';
import { fixedAssetsService } from '@quartermaster/plugin-fixed-assets/shared';
import { inventoryService } from '@quartermaster/plugin-inventory/shared';
import { PRIORITIES, WORK_ORDER_STATUSES, WORK_ORDER_TYPES, permissions } from '../../shared/index.js';
import { WORK_ORDER_ACTIONS, decText, priorityFor, tryDec, type WorkOrderAction } from '../../domain/index.js';
import type { MaintenanceOptions } from '../options.js';
import { FAILURE_CODE_RE, effectiveCriticality } from '../services/catalogue.service.js';
import { PART_SELECT, defaultPartsLocation, reserveParts, type PartRow } from '../services/parts.service.js';
import {
  ATTACHMENT_COLUMNS,
  OPEN_STATUSES,
  WO_COLUMNS,
  WO_FROM,
  attachmentView,
  detailView,
  loadWorkOrder,
  partView,
  recordChange,
  refreshCosts,
  requireStatus,
  runAction,
  staleVersion,
  summaryView,
  addExternalCost,
  answerChecklistItem,
  bookLabour,
  type AttachmentRow,
  type WoRow,
  type WorkOrderDeps,
} from '../services/work-orders.service.js';
import { copyChecklist, createWorkOrder, woNumber, type ChecklistTemplateItem } from '../services/work-order-store.js';
import { triggerRegistryOf } from '../services/generation.service.js';

// ---------------------------------------------------------------------------------------------
// Schemas

const Status = lit(WORK_ORDER_STATUSES);
const WoType = lit(WORK_ORDER_TYPES);
const PriorityS = lit(PRIORITIES);
const FailureCode = Type.String({ pattern: FAILURE_CODE_RE.source });
const FreeData = Type.Object({}, { additionalProperties: true });
const Finding = Type.Object({ itemId: Uuid, label: Type.String(), reason: Type.String() });

export const WorkOrderSummary = Type.Object({
  id: Uuid,
  number: Type.String({ description: 'WO-000123' }),
  type: WoType,
  status: Status,
  priority: PriorityS,
  title: Type.String(),
  assetId: Uuid,
  assetTag: Type.String(),
  assetName: Type.String(),
  planId: Nullable(Uuid),
  planCode: Nullable(Type.String()),
  dueOn: Nullable(IsoDate),
  dueTotal: Nullable(DecimalOut),
  /** Past its due date and not completed. */
  overdue: Type.Boolean(),
  scheduledStart: Nullable(Instant),
  scheduledEnd: Nullable(Instant),
  startedAt: Nullable(Instant),
  completedAt: Nullable(Instant),
  assigneeUserId: Nullable(Uuid),
  assigneeName: Nullable(Type.String()),
  teamId: Nullable(Uuid),
  teamName: Nullable(Type.String()),
  plannedMinutes: Nullable(Type.Integer()),
  takesOutOfService: Type.Boolean(),
  assetDown: Type.Boolean(),
  currency: Type.String(),
  totalCost: DecimalOut,
  version: Type.Integer(),
  createdAt: Instant,
  updatedAt: Instant,
});

export const ChecklistItemState = Type.Object({
  id: Uuid,
  position: Type.Integer(),
  kind: lit(['check', 'reading', 'text'] as const),
  label: Type.String(),
  required: Type.Boolean(),
  unit: Nullable(Type.String()),
  min: Nullable(DecimalOut),
  max: Nullable(DecimalOut),
  pointCode: Nullable(Type.String()),
  answered: Type.Boolean(),
  passed: Nullable(Type.Boolean()),
  value: Nullable(DecimalOut),
  text: Nullable(Type.String()),
  note: Nullable(Type.String()),
  answeredBy: Nullable(Type.String()),
  answeredAt: Nullable(Instant),
});
const ChecklistStatus = {
  total: Type.Integer(),
  answered: Type.Integer(),
  /** Nothing on the checklist blocks completion. */
  canComplete: Type.Boolean(),
  blocking: Type.Array(Finding),
  failed: Type.Array(Finding),
};

const PartOut = Type.Object({
  id: Uuid,
  itemId: Uuid,
  itemName: Type.String(),
  locationId: Nullable(Uuid),
  lot: Nullable(Type.String()),
  qty: DecimalOut,
  qtyUsed: Nullable(DecimalOut),
  status: lit(['planned', 'reserved', 'issued', 'released'] as const),
  reservationId: Nullable(Uuid),
  moveId: Nullable(Uuid),
  moveNumber: Nullable(Type.String()),
  unitCost: Nullable(DecimalOut),
  cost: Nullable(DecimalOut),
});
const LabourOut = Type.Object({
  id: Uuid,
  userId: Nullable(Uuid),
  technician: Type.String(),
  startedAt: Nullable(Instant),
  minutes: Type.Integer(),
  hourlyRate: DecimalOut,
  cost: DecimalOut,
  note: Nullable(Type.String()),
  createdBy: Type.String(),
  createdAt: Instant,
});
const ExternalCostOut = Type.Object({
  id: Uuid,
  vendor: Nullable(Type.String()),
  description: Type.String(),
  reference: Nullable(Type.String()),
  amount: DecimalOut,
  incurredOn: IsoDate,
  createdBy: Type.String(),
  createdAt: Instant,
});
const AttachmentOut = Type.Object({ id: Uuid, workOrderId: Uuid, fileName: Type.String(), mediaType: Type.String(), size: Type.Integer(), sha256: Type.String(), createdBy: Type.String(), createdAt: Instant });

export const WorkOrderDetail = Type.Composite([
  WorkOrderSummary,
  Type.Object({
    description: Nullable(Type.String()),
    dueKey: Nullable(Type.String()),
    generateReason: Nullable(Type.String()),
    reportedBy: Nullable(Type.String()),
    reportedAt: Nullable(Instant),
    failedAt: Nullable(Instant),
    assetTakenOut: Type.Boolean(),
    holdReason: Nullable(Type.String()),
    closedAt: Nullable(Instant),
    cancelledAt: Nullable(Instant),
    cancelReason: Nullable(Type.String()),
    problemCode: Nullable(Type.String()),
    causeCode: Nullable(Type.String()),
    remedyCode: Nullable(Type.String()),
    completionNote: Nullable(Type.String()),
    signedOffBy: Nullable(Type.String()),
    signedOffAt: Nullable(Instant),
    partsLocationId: Nullable(Uuid),
    createdBy: Type.String(),
    allowedActions: Type.Array(lit(WORK_ORDER_ACTIONS)),
    checklist: Type.Object({ items: Type.Array(ChecklistItemState), ...ChecklistStatus }),
    labour: Type.Object({ plannedMinutes: Nullable(Type.Integer()), actualMinutes: Type.Integer(), lines: Type.Array(LabourOut) }),
    parts: Type.Array(PartOut),
    externalCosts: Type.Array(ExternalCostOut),
    attachments: Type.Array(AttachmentOut),
    history: Type.Array(
      Type.Object({ id: Type.String(), type: Type.String(), from: Nullable(Status), to: Nullable(Status), note: Nullable(Type.String()), data: FreeData, actor: Type.String(), at: Instant }),
    ),
    costs: Type.Object({ currency: Type.String(), labour: DecimalOut, parts: DecimalOut, external: DecimalOut, total: DecimalOut, posted: DecimalOut }),
  }),
]);

const PartIn = {
  itemId: Uuid,
  qty: DecimalIn,
  locationId: Type.Optional(Nullable(Uuid)),
  lot: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  unitCost: Type.Optional(DecimalIn),
};
const PartBody = Type.Object(PartIn, { additionalProperties: false });

const CreateBody = Type.Object(
  {
    type: WoType,
    assetId: Uuid,
    title: Type.String({ minLength: 1, maxLength: 200 }),
    description: Type.Optional(Nullable(Type.String({ maxLength: 10_000 }))),
    priority: Type.Optional(PriorityS),
    status: Type.Optional(lit(['requested', 'approved'] as const)),
    dueOn: Type.Optional(Nullable(IsoDate)),
    checklistTemplateId: Type.Optional(Nullable(Uuid)),
    teamId: Type.Optional(Nullable(Uuid)),
    assigneeUserId: Type.Optional(Nullable(Uuid)),
    plannedMinutes: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 1_000_000 }))),
    partsLocationId: Type.Optional(Nullable(Uuid)),
    takesOutOfService: Type.Optional(Type.Boolean()),
    parts: Type.Optional(Type.Array(PartBody, { maxItems: 100 })),
  },
  { additionalProperties: false },
);

const UpdateBody = Type.Object(
  {
    version: Type.Integer({ minimum: 1 }),
    title: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    description: Type.Optional(Nullable(Type.String({ maxLength: 10_000 }))),
    priority: Type.Optional(PriorityS),
    dueOn: Type.Optional(Nullable(IsoDate)),
    teamId: Type.Optional(Nullable(Uuid)),
    assigneeUserId: Type.Optional(Nullable(Uuid)),
    plannedMinutes: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 1_000_000 }))),
    partsLocationId: Type.Optional(Nullable(Uuid)),
    takesOutOfService: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 2 },
);

const ListQuery = Type.Object(
  {
    status: Type.Optional(Type.Array(Status, { maxItems: WORK_ORDER_STATUSES.length, description: 'One or more statuses (repeat the parameter)' })),
    type: Type.Optional(Type.Array(WoType, { maxItems: WORK_ORDER_TYPES.length })),
    priority: Type.Optional(Type.Array(PriorityS, { maxItems: PRIORITIES.length })),
    assetId: Type.Optional(Uuid),
    planId: Type.Optional(Uuid),
    assigneeUserId: Type.Optional(Uuid),
    teamId: Type.Optional(Uuid),
    dueFrom: Type.Optional(IsoDate),
    dueTo: Type.Optional(IsoDate),
    scheduledFrom: Type.Optional(Instant),
    scheduledTo: Type.Optional(Instant),
    overdue: Type.Optional(Type.Boolean()),
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Number (WO-000123 or 123), title or asset tag contains' })),
    sort: Type.Optional(lit(['due', 'priority', 'newest', 'number'] as const)),
    ...PageQuery,
  },
  { additionalProperties: false },
);

const Version = Type.Optional(Type.Integer({ minimum: 1, description: 'The version you saw: an older one is refused with 409 stale-version' }));
const Note = Type.Optional(Nullable(Type.String({ maxLength: 2000 })));
const Reason = Type.String({ minLength: 1, maxLength: 2000 });
const ACTION_BODIES: Record<WorkOrderAction, TSchema> = {
  approve: Type.Object({ version: Version, note: Note }, { additionalProperties: false }),
  schedule: Type.Object(
    { version: Version, scheduledStart: Instant, scheduledEnd: Instant, assigneeUserId: Type.Optional(Nullable(Uuid)), teamId: Type.Optional(Nullable(Uuid)), note: Note },
    { additionalProperties: false },
  ),
  unschedule: Type.Object({ version: Version, reason: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))) }, { additionalProperties: false }),
  start: Type.Object({ version: Version, note: Note }, { additionalProperties: false }),
  hold: Type.Object({ version: Version, reason: Reason }, { additionalProperties: false }),
  resume: Type.Object({ version: Version, note: Note }, { additionalProperties: false }),
  complete: Type.Object(
    {
      version: Version,
      problemCode: Type.Optional(Nullable(FailureCode)),
      causeCode: Type.Optional(Nullable(FailureCode)),
      remedyCode: Type.Optional(Nullable(FailureCode)),
      completionNote: Type.Optional(Nullable(Type.String({ maxLength: 10_000 }))),
      parts: Type.Optional(Type.Array(Type.Object({ id: Uuid, qtyUsed: DecimalIn }, { additionalProperties: false }), { maxItems: 200, description: 'Quantity used per part line (default: the planned quantity)' })),
    },
    { additionalProperties: false },
  ),
  reopen: Type.Object({ version: Version, reason: Reason }, { additionalProperties: false }),
  close: Type.Object({ version: Version, note: Note }, { additionalProperties: false }),
  cancel: Type.Object({ version: Version, reason: Reason }, { additionalProperties: false }),
};
const ACTION_INFO: Record<WorkOrderAction, { permission: string; summary: string; description: string }> = {
  approve: { permission: permissions.manage, summary: 'Approve a requested work order', description: 'requested → approved.' },
  schedule: {
    permission: permissions.manage,
    summary: 'Schedule a work order',
    description: 'approved → scheduled, with `scheduledStart` < `scheduledEnd` and optionally the assignee and team. With inventory enabled its planned spare parts are reserved; a shortfall answers inventory\'s 409 `inventory/insufficient-stock` and nothing changes.',
  },
  unschedule: { permission: permissions.manage, summary: 'Take a work order off the schedule', description: 'scheduled → approved; spare part reservations are given back.' },
  start: {
    permission: permissions.execute,
    summary: 'Start work',
    description:
      'approved or scheduled → in-progress. Planned spare parts are reserved (inventory). An order that takes its asset out of service puts the asset in maintenance in the same transaction; when the asset cannot go there (checked out, in transit…) fixed-assets\' 409 is the answer and nothing changes.',
  },
  hold: { permission: permissions.execute, summary: 'Put work on hold', description: 'in-progress → on-hold; `reason` is required. The asset stays in maintenance and the parts stay reserved.' },
  resume: { permission: permissions.execute, summary: 'Resume work on hold', description: 'on-hold → in-progress.' },
  complete: {
    permission: permissions.execute,
    summary: 'Complete work',
    description:
      'in-progress → completed. Refused with 409 `maintenance/checklist-incomplete` (listing the items) while required checklist items are unanswered; corrective work needs problem, cause and remedy codes from the catalogue. Spare parts are issued (the quantity used per line, default the planned one), the total cost is posted to the asset\'s cost ledger, the asset goes back in service unless another started order holds it. Emits `work-order.status-changed` and `work-order.completed`.',
  },
  reopen: { permission: permissions.manage, summary: 'Reopen completed work', description: 'completed → in-progress; `reason` is required (e.g. a failed sign-off).' },
  close: { permission: permissions.manage, summary: 'Sign off and close', description: 'completed → closed; records the sign-off (who and when). Closed is final.' },
  cancel: {
    permission: permissions.manage,
    summary: 'Cancel a work order',
    description: 'requested, approved, scheduled or on-hold → cancelled; `reason` is required. Reservations are released; an asset the order held in maintenance goes back in service unless another order holds it. Work in progress is put on hold first.',
  },
};

const ChecklistParams = Type.Object({ id: Uuid, itemId: Uuid }, { additionalProperties: false });
const AddChecklistBody = Type.Object({ templateId: Uuid }, { additionalProperties: false });
const ChecklistBody = Type.Object(
  {
    passed: Type.Optional(Nullable(Type.Boolean({ description: 'Checks: true pass, false fail, null not applicable' }))),
    value: Type.Optional(Nullable(DecimalIn)),
    text: Type.Optional(Nullable(Type.String({ maxLength: 4000 }))),
    note: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
  },
  { additionalProperties: false, minProperties: 1 },
);
const ChecklistAnswer = Type.Object({
  item: ChecklistItemState,
  checklist: Type.Object(ChecklistStatus),
  /** A reading item with a point code: the reading recorded on the asset's measurement point (null: none, or the asset has no such point). */
  reading: Nullable(Type.Object({ id: Type.String(), pointCode: Type.String(), status: lit(['accepted', 'flagged', 'rejected'] as const), reason: Nullable(Type.String()), workOrderIds: Type.Array(Uuid) })),
});

const LabourParams = Type.Object({ id: Uuid, labourId: Uuid }, { additionalProperties: false });
const LabourBody = Type.Object(
  {
    userId: Type.Optional(Uuid),
    minutes: Type.Integer({ minimum: 1, maximum: 10_080 }),
    startedAt: Type.Optional(Instant),
    note: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
  },
  { additionalProperties: false },
);
const PartParams = Type.Object({ id: Uuid, partId: Uuid }, { additionalProperties: false });
const ExternalParams = Type.Object({ id: Uuid, costId: Uuid }, { additionalProperties: false });
const ExternalBody = Type.Object(
  {
    vendor: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
    description: Type.String({ minLength: 1, maxLength: 500 }),
    reference: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
    amount: DecimalIn,
    incurredOn: Type.Optional(IsoDate),
  },
  { additionalProperties: false },
);
const AttachmentParams = Type.Object({ id: Uuid, attachmentId: Uuid }, { additionalProperties: false });
const AttachmentBody = Type.Object(
  {
    fileName: Type.String({ minLength: 1, maxLength: 255 }),
    mediaType: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*$', maxLength: 127 }),
    content: Type.String({ minLength: 1, maxLength: 2_100_000, description: 'The file, base64-encoded' }),
  },
  { additionalProperties: false },
);

/** Largest attachment, decoded (the table's limit). */
export const MAX_ATTACHMENT_BYTES = 1_572_864;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const INLINE = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);
const PRIORITY_RANK = `array_position(ARRAY['urgent','high','medium','low'], w.priority)`;

// ---------------------------------------------------------------------------------------------
// Helpers

const blank = (field: string): FieldError => ({ field, message: 'must not be blank' });

/** A quantity: > 0 (or ≥ 0 with `zero`). */
function qtyIn(v: string | number, field: string, errors: FieldError[], zero = false) {
  const d = tryDec(v);
  if (!d) errors.push({ field, message: 'must be a decimal number' });
  else if (zero ? d.isNegative() : d.lte(0)) errors.push({ field, message: zero ? 'must not be negative' : 'must be greater than 0' });
  else if (d.gte('1e15')) errors.push({ field, message: 'is too large' });
  else return d;
  return undefined;
}

async function checkRefs(db: Db, refs: { teamId?: string | null; assigneeUserId?: string | null; partsLocationId?: string | null; checklistTemplateId?: string | null }, errors: FieldError[]) {
  const checks: Array<[keyof typeof refs, string, string]> = [
    ['teamId', `SELECT 1 FROM maintenance_team WHERE id = $1`, 'no such team'],
    ['assigneeUserId', `SELECT 1 FROM core_user WHERE id = $1 AND active`, 'no such active user'],
    ['partsLocationId', `SELECT 1 FROM core_location WHERE id = $1`, 'no such location'],
    ['checklistTemplateId', `SELECT 1 FROM maintenance_checklist_template WHERE id = $1 AND active`, 'no such active checklist template'],
  ];
  for (const [field, sql, message] of checks) {
    const id = refs[field];
    if (id && !(await db.execute(sql, [id])).length) errors.push({ field, message });
  }
}

interface PartInput {
  itemId: string;
  qty: string | number;
  locationId?: string | null;
  lot?: string;
  unitCost?: string | number;
}

/** Check a part line as given (shape, existence); answers its stored form. */
async function checkPart(db: Db, p: PartInput, field: (name: string) => string, inventory: boolean, errors: FieldError[]) {
  const qty = qtyIn(p.qty, field('qty'), errors);
  let unitCost: string | null = null;
  if (inventory) {
    if (p.unitCost !== undefined) errors.push({ field: field('unitCost'), message: 'comes from the stock issue when inventory is enabled; leave it out' });
  } else if (p.unitCost === undefined) errors.push({ field: field('unitCost'), message: 'is required when inventory is not enabled' });
  else {
    const d = tryDec(p.unitCost);
    if (!d) errors.push({ field: field('unitCost'), message: 'must be a decimal number' });
    else if (d.isNegative()) errors.push({ field: field('unitCost'), message: 'must not be negative' });
    else if (d.decimalPlaces() > 6) errors.push({ field: field('unitCost'), message: 'has more than 6 decimal places' });
    else if (d.gte('1e13')) errors.push({ field: field('unitCost'), message: 'is too large' });
    else unitCost = d.toFixed();
  }
  if (!(await db.execute(`SELECT 1 FROM core_item WHERE id = $1`, [p.itemId])).length) errors.push({ field: field('itemId'), message: 'no such item' });
  if (p.locationId && !(await db.execute(`SELECT 1 FROM core_location WHERE id = $1`, [p.locationId])).length) errors.push({ field: field('locationId'), message: 'no such location' });
  const lot = p.lot?.trim() || null;
  if (p.lot !== undefined && !lot) errors.push(blank(field('lot')));
  return { itemId: p.itemId, qty: qty ? decText(qty) : '0', locationId: p.locationId ?? null, lot, unitCost };
}

async function insertPart(tx: Transaction, workOrderId: string, p: { itemId: string; qty: string; locationId: string | null; lot: string | null; unitCost: string | null }) {
  const [row] = await tx.execute<{ id: string }>(`INSERT INTO maintenance_part (work_order_id, item_id, location_id, lot, qty, status, unit_cost) VALUES ($1, $2, $3, $4, $5, 'planned', $6) RETURNING id`, [
    workOrderId,
    p.itemId,
    p.locationId,
    p.lot,
    p.qty,
    p.unitCost,
  ]);
  return row.id;
}

// ---------------------------------------------------------------------------------------------
// Routes

export function workOrderRoutes(app: PluginApp, ctx: PluginContext<any>, options: MaintenanceOptions) {
  const db = readerOf(ctx);
  const minor = options.currencyMinorUnits;
  const deps = (): WorkOrderDeps => ({ ctx, options, assets: ctx.services.get(fixedAssetsService), inventory: ctx.services.getOptional(inventoryService) });
  const detail = async (d: Db, id: string) => detailView(d, await loadWorkOrder(d, id), minor);
  /** Lock the order for a line change and check it is in one of `allowed`. */
  const lockFor = async (tx: Transaction, id: string, what: string, allowed: readonly (typeof WORK_ORDER_STATUSES)[number][]) => {
    const wo = await loadWorkOrder(tx, id, true);
    requireStatus(wo, what, allowed);
    return wo;
  };

  app.post(
    '/work-orders',
    {
      config: { permission: permissions.manage },
      schema: {
        summary: 'Create a work order by hand',
        description:
          'Starts `requested` (or `approved` when asked). Without `priority`, the priority comes from the asset\'s criticality and the type; a given priority below that floor is raised to it. Checklist items are copied from the template. Parts need `unitCost` when inventory is not enabled (and must not have one when it is).',
        body: CreateBody,
        response: { 201: WorkOrderDetail, ...errorResponses },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const inventory = !!ctx.services.getOptional(inventoryService);
      const errors: FieldError[] = [];
      if (!b.title.trim()) errors.push(blank('title'));
      const parts: Awaited<ReturnType<typeof checkPart>>[] = [];
      for (const [i, p] of (b.parts ?? []).entries()) parts.push(await checkPart(db, p, (n) => `parts.${i}.${n}`, inventory, errors));
      await checkRefs(db, b, errors);
      const [asset] = await db.execute(`SELECT 1 FROM fixed_assets_asset WHERE id = $1`, [b.assetId]);
      if (!asset) errors.push({ field: 'assetId', message: 'no such asset' });
      if (errors.length) throw problems.validation(errors);
      const id = await ctx.transaction(req.actor, async (tx) => {
        const { criticality } = await effectiveCriticality(tx, b.assetId);
        const created = await createWorkOrder(tx, {
          type: b.type,
          assetId: b.assetId,
          title: b.title,
          description: b.description ?? null,
          status: b.status ?? 'requested',
          priority: priorityFor(criticality, b.type, b.priority ?? null),
          dueOn: b.dueOn ?? null,
          takesOutOfService: b.takesOutOfService ?? false,
          checklistTemplateId: b.checklistTemplateId ?? null,
          teamId: b.teamId ?? null,
          assigneeUserId: b.assigneeUserId ?? null,
          plannedMinutes: b.plannedMinutes ?? null,
          partsLocationId: b.partsLocationId ?? null,
        });
        for (const p of parts) await insertPart(tx, created!.id, p);
        return created!.id;
      });
      return reply.status(201).send(await detail(db, id));
    },
  );

  app.get(
    '/work-orders',
    {
      config: { permission: permissions.read },
      schema: {
        summary: 'Work orders (board, lists and calendar)',
        description:
          'Filters combine with AND; repeated `status`, `type` and `priority` match any of them. `dueFrom`/`dueTo` (inclusive) filter on the due date, `scheduledFrom`/`scheduledTo` on scheduled work overlapping the range. `overdue=true`: past due and not completed. Sort: `due` (default: due date, then number), `priority`, `newest`, `number`.',
        querystring: ListQuery,
        response: { 200: Page(WorkOrderSummary), ...errorResponses },
      },
    },
    async (req) => {
      const q = req.query;
      const errors: FieldError[] = [];
      if (q.dueFrom && q.dueTo && q.dueTo < q.dueFrom) errors.push({ field: 'dueTo', message: 'must not be before dueFrom' });
      if (q.scheduledFrom && q.scheduledTo && Date.parse(q.scheduledTo) < Date.parse(q.scheduledFrom)) errors.push({ field: 'scheduledTo', message: 'must not be before scheduledFrom' });
      if (errors.length) throw problems.validation(errors);
      const { limit, offset } = pageOf(q);
      const { values, p } = sqlParams();
      const where = ['true'];
      if (q.status?.length) where.push(`w.status = ANY(${p(q.status)}::text[])`);
      if (q.type?.length) where.push(`w.type = ANY(${p(q.type)}::text[])`);
      if (q.priority?.length) where.push(`w.priority = ANY(${p(q.priority)}::text[])`);
      if (q.assetId) where.push(`w.asset_id = ${p(q.assetId)}`);
      if (q.planId) where.push(`w.plan_id = ${p(q.planId)}`);
      if (q.assigneeUserId) where.push(`w.assignee_user_id = ${p(q.assigneeUserId)}`);
      if (q.teamId) where.push(`w.team_id = ${p(q.teamId)}`);
      if (q.dueFrom) where.push(`w.due_on >= ${p(q.dueFrom)}::date`);
      if (q.dueTo) where.push(`w.due_on <= ${p(q.dueTo)}::date`);
      if (q.scheduledFrom) where.push(`w.scheduled_end > ${p(q.scheduledFrom)}::timestamptz`);
      if (q.scheduledTo) where.push(`w.scheduled_start < ${p(q.scheduledTo)}::timestamptz`);
      const overdue = `(w.due_on < (now() AT TIME ZONE 'UTC')::date AND w.status IN ('requested','approved','scheduled','in-progress','on-hold'))`;
      if (q.overdue !== undefined) where.push(q.overdue ? overdue : `NOT ${overdue}`);
      if (q.q) {
        const text = q.q.trim();
        const like = p(`%${text.replace(/[\\%_]/g, '\\$&')}%`);
        const num = /^(?:WO-?)?0*(\d{1,15})$/i.exec(text);
        where.push(`(w.title ILIKE ${like} OR a.tag ILIKE ${like} OR a.name ILIKE ${like}${num ? ` OR w.number = ${p(num[1])}::bigint` : ''})`);
      }
      const order = { due: 'w.due_on NULLS LAST, w.number', priority: `${PRIORITY_RANK}, w.due_on NULLS LAST, w.number`, newest: 'w.created_at DESC, w.number DESC', number: 'w.number' }[q.sort ?? 'due'];
      const [{ n }] = await db.execute<{ n: number }>(`SELECT count(*)::int AS n FROM ${WO_FROM} WHERE ${where.join(' AND ')}`, [...values]);
      const rows = await db.execute<WoRow>(`SELECT ${WO_COLUMNS} FROM ${WO_FROM} WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT ${p(limit)} OFFSET ${p(offset)}`, values);
      return { data: rows.map((r) => summaryView(r, minor)), total: n, limit, offset };
    },
  );

  app.get(
    '/work-orders/:id',
    {
      config: { permission: permissions.read },
      schema: {
        summary: 'A work order with its checklist, labour, parts, costs, attachments and history',
        params: IdParams,
        response: { 200: WorkOrderDetail, ...errorResponses },
      },
    },
    async (req) => detail(db, req.params.id),
  );

  app.patch(
    '/work-orders/:id',
    {
      config: { permission: permissions.manage },
      schema: {
        summary: 'Change a work order (title, priority, assignment, planning)',
        description:
          'Only open orders (requested … on-hold) change; `takesOutOfService` only before work starts. Send the `version` you edited: an older one is refused with 409 `stale-version`.',
        params: IdParams,
        body: UpdateBody,
        response: { 200: WorkOrderDetail, ...errorResponses },
      },
    },
    async (req) => {
      const b = req.body;
      const errors: FieldError[] = [];
      if (b.title !== undefined && !b.title.trim()) errors.push(blank('title'));
      await checkRefs(db, b, errors);
      if (errors.length) throw problems.validation(errors);
      await ctx.transaction(req.actor, async (tx) => {
        const wo = await loadWorkOrder(tx, req.params.id, true);
        if (b.version !== wo.version) throw staleVersion(wo, b.version);
        requireStatus(wo, 'editing', OPEN_STATUSES);
        if (b.takesOutOfService !== undefined && b.takesOutOfService !== wo.takes_out_of_service) requireStatus(wo, 'changing takesOutOfService', ['requested', 'approved', 'scheduled']);
        const columns: Array<[keyof typeof b, string, unknown]> = [
          ['title', 'title', b.title?.trim()],
          ['description', 'description', cleanText(b.description)],
          ['priority', 'priority', b.priority],
          ['dueOn', 'due_on', b.dueOn],
          ['teamId', 'team_id', b.teamId],
          ['assigneeUserId', 'assignee_user_id', b.assigneeUserId],
          ['plannedMinutes', 'planned_minutes', b.plannedMinutes],
          ['partsLocationId', 'parts_location_id', b.partsLocationId],
          ['takesOutOfService', 'takes_out_of_service', b.takesOutOfService],
        ];
        const given = columns.filter(([k]) => b[k] !== undefined);
        const before = Object.fromEntries(given.map(([k, col]) => [k, (wo as any)[col]]));
        const after = Object.fromEntries(given.map(([k, , v]) => [k, v]));
        const sets = given.map(([, col], i) => `${col} = $${i + 2}`);
        await tx.execute(`UPDATE maintenance_work_order SET ${sets.join(', ')} WHERE id = $1`, [wo.id, ...given.map(([, , v]) => v)]);
        await recordChange(tx, wo, { type: 'updated', changes: ['fields'], data: { fields: given.map(([k]) => k) }, before, after });
      });
      return detail(db, req.params.id);
    },
  );

  for (const action of WORK_ORDER_ACTIONS) {
    const info = ACTION_INFO[action];
    app.post(
      `/work-orders/:id/${action}`,
      {
        config: { permission: info.permission },
        schema: { summary: info.summary, description: `${info.description} Illegal from the current status: 409 \`maintenance/illegal-transition\`.`, params: IdParams, body: ACTION_BODIES[action], response: { 200: WorkOrderDetail, ...errorResponses } },
      },
      async (req) => {
        const b = req.body as Record<string, any>;
        const errors: FieldError[] = [];
        if (typeof b.reason === 'string' && ['hold', 'reopen', 'cancel'].includes(action) && !b.reason.trim()) errors.push(blank('reason'));
        if (action === 'schedule' && Date.parse(b.scheduledEnd) <= Date.parse(b.scheduledStart)) errors.push({ field: 'scheduledEnd', message: 'must be after scheduledStart' });
        if (action === 'complete') {
          (b.parts ?? []).forEach((p: { qtyUsed: string | number }, i: number) => qtyIn(p.qtyUsed, `parts.${i}.qtyUsed`, errors, true));
        }
        if (errors.length) throw problems.validation(errors);
        const d = deps();
        const wo = await ctx.transaction(req.actor, (tx) => runAction(tx, d, req.params.id, action, b));
        return detailView(db, wo, minor);
      },
    );
  }

  // ---- checklist
  app.post(
    '/work-orders/:id/checklist',
    {
      config: { permission: permissions.execute },
      schema: {
        summary: "Add a checklist template's items to a work order",
        description:
          'For an order made without a checklist (a breakdown report, say) or one that needs more checks. The items of the active template `templateId` are copied after the ones the order has (later template edits leave the order as it was). While the order is open (409 `maintenance/wrong-status` once completed, closed or cancelled); an unknown or inactive template is refused with 400 naming `templateId`.',
        params: IdParams,
        body: AddChecklistBody,
        response: { 201: WorkOrderDetail, ...errorResponses },
      },
    },
    async (req, reply) => {
      await ctx.transaction(req.actor, async (tx) => {
        const [template] = await tx.execute<{ id: string; name: string; items: ChecklistTemplateItem[] }>(`SELECT id, name, items FROM maintenance_checklist_template WHERE id = $1 AND active`, [req.body.templateId]);
        if (!template) throw problems.validation([{ field: 'templateId', message: 'no such active checklist template' }]);
        const wo = await lockFor(tx, req.params.id, 'adding a checklist', OPEN_STATUSES);
        await copyChecklist(tx, wo.id, template.items);
        await recordChange(tx, wo, { type: 'checklist-added', changes: ['checklist'], data: { templateId: template.id, templateName: template.name, items: template.items.length } });
      });
      return reply.status(201).send(await detail(db, req.params.id));
    },
  );

  app.put(
    '/work-orders/:id/checklist/:itemId',
    {
      config: { permission: permissions.execute },
      schema: {
        summary: 'Answer one checklist item',
        description:
          'While the order is in progress (409 `maintenance/wrong-status` otherwise). Checks take `passed` (true, false, or null for not applicable); readings take `value` (a reading outside min/max is recorded as failed, not refused; with a point code it is also recorded as a reading of the asset\'s measurement point of that code, when the asset has one); text items take `text`. `note` goes with any item. `null` clears a reading or text. Answers the item and whether the checklist now allows completion.',
        params: ChecklistParams,
        body: ChecklistBody,
        response: { 200: ChecklistAnswer, ...errorResponses },
      },
    },
    async (req) => ctx.transaction(req.actor, (tx) => answerChecklistItem(tx, triggerRegistryOf(ctx), req.params.id, req.params.itemId, req.body, ctx.log)),
  );

  // ---- labour
  app.post(
    '/work-orders/:id/labour',
    {
      config: { permission: permissions.execute },
      schema: {
        summary: 'Book labour time',
        description:
          "While in progress or on hold. `userId` is the technician (default: the caller). Rate: the technician's own, else their team's (the order's team first), else the option `defaultHourlyRate`; cost = minutes / 60 × rate, rounded half-even to the currency's minor unit.",
        params: IdParams,
        body: LabourBody,
        response: { 201: WorkOrderDetail, ...errorResponses },
      },
    },
    async (req, reply) => {
      await ctx.transaction(req.actor, (tx) => bookLabour(tx, options, req.params.id, { ...req.body, userId: req.body.userId ?? req.actor.userId }));
      return reply.status(201).send(await detail(db, req.params.id));
    },
  );

  app.delete(
    '/work-orders/:id/labour/:labourId',
    {
      config: { permission: permissions.execute },
      schema: {
        summary: 'Remove a labour line',
        description: 'While the order is open. Lines of an order that was completed once were posted to the asset: 409 `maintenance/cost-posted`.',
        params: LabourParams,
        response: { 200: WorkOrderDetail, ...errorResponses },
      },
    },
    async (req) => {
      await ctx.transaction(req.actor, async (tx) => {
        const wo = await lockFor(tx, req.params.id, 'removing labour', OPEN_STATUSES);
        const [line] = await tx.execute<{ id: string; minutes: number; cost: string; technician_label: string }>(
          `SELECT id, minutes, cost::text AS cost, technician_label FROM maintenance_labour WHERE id = $1 AND work_order_id = $2 FOR UPDATE`,
          [req.params.labourId, wo.id],
        );
        if (!line) throw problems.notFound('labour line', req.params.labourId);
        if (wo.completions > 0) throw costPosted(wo, 'labour line');
        await tx.execute(`DELETE FROM maintenance_labour WHERE id = $1`, [line.id]);
        await refreshCosts(tx, wo.id);
        await recordChange(tx, wo, { type: 'labour-removed', changes: ['labour'], data: { labourId: line.id, minutes: line.minutes, technician: line.technician_label }, before: line, after: null });
      });
      return detail(db, req.params.id);
    },
  );

  // ---- parts
  app.post(
    '/work-orders/:id/parts',
    {
      config: { permission: permissions.execute },
      schema: {
        summary: 'Add a spare part',
        description:
          "While the order is open. With inventory enabled the part is reserved at once when the order is scheduled or started (a shortfall: inventory's 409, nothing added) and issued on completion; `unitCost` must be left out (the issue's cost of goods is the cost). Without inventory `unitCost` is required and no stock is touched. Location: the part's, else the order's `partsLocationId`, else the location coded by the option `defaultPartsLocationCode`.",
        params: IdParams,
        body: PartBody,
        response: { 201: WorkOrderDetail, ...errorResponses },
      },
    },
    async (req, reply) => {
      const d = deps();
      const errors: FieldError[] = [];
      const part = await checkPart(db, req.body, (n) => n, !!d.inventory, errors);
      if (errors.length) throw problems.validation(errors);
      await ctx.transaction(req.actor, async (tx) => {
        const wo = await lockFor(tx, req.params.id, 'adding parts', OPEN_STATUSES);
        const partId = await insertPart(tx, wo.id, part);
        const data: Record<string, unknown> = { partId, itemId: part.itemId, qty: part.qty };
        if (d.inventory && ['scheduled', 'in-progress', 'on-hold'].includes(wo.status)) {
          await reserveParts(tx, d.inventory, { id: wo.id, number: woNumber(wo.number), parts_location_id: wo.parts_location_id }, await defaultPartsLocation(tx, options.defaultPartsLocationCode));
          data.reserved = true;
        }
        await recordChange(tx, wo, { type: 'part-added', changes: ['parts'], data });
      });
      return reply.status(201).send(await detail(db, req.params.id));
    },
  );

  app.delete(
    '/work-orders/:id/parts/:partId',
    {
      config: { permission: permissions.execute },
      schema: {
        summary: 'Remove a spare part not issued yet',
        description: 'While the order is open; its reservation is released. An issued part stays (409 `maintenance/part-issued`).',
        params: PartParams,
        response: { 200: WorkOrderDetail, ...errorResponses },
      },
    },
    async (req) => {
      const d = deps();
      await ctx.transaction(req.actor, async (tx) => {
        const wo = await lockFor(tx, req.params.id, 'removing parts', OPEN_STATUSES);
        const [part] = await tx.execute<PartRow>(`${PART_SELECT} WHERE p.id = $1 AND p.work_order_id = $2 FOR UPDATE OF p`, [req.params.partId, wo.id]);
        if (!part) throw problems.notFound('part', req.params.partId);
        if (part.status === 'issued') {
          throw problems.conflict('maintenance/part-issued', 'Part already issued', `${part.item_name} was issued from stock (${part.move_number ?? 'no move'}); it stays on the work order`, { partId: part.id, moveId: part.move_id });
        }
        if (part.status === 'reserved' && part.reservation_id && d.inventory) await d.inventory.release(tx, part.reservation_id);
        await tx.execute(`DELETE FROM maintenance_part WHERE id = $1`, [part.id]);
        await recordChange(tx, wo, { type: 'part-removed', changes: ['parts'], data: { partId: part.id, itemId: part.item_id, qty: part.qty, released: part.status === 'reserved' }, before: partView(part, minor), after: null });
      });
      return detail(db, req.params.id);
    },
  );

  // ---- external costs
  app.post(
    '/work-orders/:id/external-costs',
    {
      config: { permission: permissions.manage },
      schema: {
        summary: 'Add an external cost (a contractor, a rental, a service call)',
        description: "While the order is open. `amount` in the order's currency, ≥ 0, with at most the currency's decimals; `incurredOn` defaults to today and must not be in the future.",
        params: IdParams,
        body: ExternalBody,
        response: { 201: WorkOrderDetail, ...errorResponses },
      },
    },
    async (req, reply) => {
      await ctx.transaction(req.actor, (tx) => addExternalCost(tx, options, req.params.id, req.body));
      return reply.status(201).send(await detail(db, req.params.id));
    },
  );

  app.delete(
    '/work-orders/:id/external-costs/:costId',
    {
      config: { permission: permissions.manage },
      schema: {
        summary: 'Remove an external cost',
        description: 'While the order is open and was never completed (409 `maintenance/cost-posted` otherwise).',
        params: ExternalParams,
        response: { 200: WorkOrderDetail, ...errorResponses },
      },
    },
    async (req) => {
      await ctx.transaction(req.actor, async (tx) => {
        const wo = await lockFor(tx, req.params.id, 'removing external costs', OPEN_STATUSES);
        const [row] = await tx.execute<{ id: string; description: string; amount: string }>(`SELECT id, description, amount::text AS amount FROM maintenance_external_cost WHERE id = $1 AND work_order_id = $2 FOR UPDATE`, [
          req.params.costId,
          wo.id,
        ]);
        if (!row) throw problems.notFound('external cost', req.params.costId);
        if (wo.completions > 0) throw costPosted(wo, 'external cost');
        await tx.execute(`DELETE FROM maintenance_external_cost WHERE id = $1`, [row.id]);
        await refreshCosts(tx, wo.id);
        await recordChange(tx, wo, { type: 'external-cost-removed', changes: ['external-costs'], data: { costId: row.id, description: row.description, amount: row.amount }, before: row, after: null });
      });
      return detail(db, req.params.id);
    },
  );

  // ---- attachments
  app.post(
    '/work-orders/:id/attachments',
    {
      config: { permission: permissions.execute },
      // A file of the largest size is 4/3 bigger in base64, beyond the platform's 2 MiB default.
      bodyLimit: 3 * 1024 * 1024,
      schema: {
        summary: 'Attach a photo or document',
        description: `Sent base64-encoded in JSON; at most ${MAX_ATTACHMENT_BYTES} bytes decoded. Not on closed or cancelled orders.`,
        params: IdParams,
        body: AttachmentBody,
        response: { 201: AttachmentOut, ...errorResponses },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const errors: FieldError[] = [];
      const fileName = b.fileName.trim();
      if (!fileName) errors.push(blank('fileName'));
      const ok = BASE64.test(b.content);
      if (!ok) errors.push({ field: 'content', message: 'must be base64' });
      const bytes = Buffer.from(b.content, 'base64');
      if (ok && bytes.length > MAX_ATTACHMENT_BYTES) errors.push({ field: 'content', message: `must be at most ${MAX_ATTACHMENT_BYTES} bytes (it is ${bytes.length})` });
      if (errors.length) throw problems.validation(errors);
      const view = await ctx.transaction(req.actor, async (tx) => {
        const wo = await lockFor(tx, req.params.id, 'attaching files', ['requested', 'approved', 'scheduled', 'in-progress', 'on-hold', 'completed']);
        const sha256 = createHash('sha256').update(bytes).digest('hex');
        const [row] = await tx.execute<AttachmentRow>(
          `INSERT INTO maintenance_attachment (work_order_id, file_name, media_type, size, content, sha256, created_by_label) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${ATTACHMENT_COLUMNS}`,
          [wo.id, fileName, b.mediaType.toLowerCase(), bytes.length, bytes, sha256, tx.actor.label],
        );
        const v = attachmentView(row);
        await recordChange(tx, wo, { type: 'attachment-added', changes: ['attachments'], data: { attachmentId: v.id, fileName, size: v.size } });
        return v;
      });
      return reply.status(201).send(view);
    },
  );

  app.get(
    '/work-orders/:id/attachments/:attachmentId',
    {
      config: { permission: permissions.read },
      schema: {
        summary: "An attachment's content",
        params: AttachmentParams,
        response: { 200: Type.String({ contentMediaType: 'application/octet-stream', description: 'The file as uploaded, with its media type' }), ...errorResponses },
      },
    },
    async (req, reply) => {
      const [row] = await db.execute<{ file_name: string; media_type: string; content: Buffer }>(`SELECT file_name, media_type, content FROM maintenance_attachment WHERE id = $1 AND work_order_id = $2`, [
        req.params.attachmentId,
        req.params.id,
      ]);
      if (!row) throw problems.notFound('attachment', req.params.attachmentId);
      return reply
        .header('content-type', row.media_type)
        .header('content-disposition', `${INLINE.has(row.media_type) ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(row.file_name)}`)
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .send(row.content as never);
    },
  );

  app.delete(
    '/work-orders/:id/attachments/:attachmentId',
    {
      config: { permission: permissions.execute },
      schema: { summary: 'Remove an attachment', description: 'Not on closed or cancelled orders.', params: AttachmentParams, response: { 204: Type.Null(), ...errorResponses } },
    },
    async (req, reply) => {
      await ctx.transaction(req.actor, async (tx) => {
        const wo = await lockFor(tx, req.params.id, 'removing attachments', ['requested', 'approved', 'scheduled', 'in-progress', 'on-hold', 'completed']);
        const [row] = await tx.execute<AttachmentRow>(`DELETE FROM maintenance_attachment WHERE id = $1 AND work_order_id = $2 RETURNING ${ATTACHMENT_COLUMNS}`, [req.params.attachmentId, wo.id]);
        if (!row) throw problems.notFound('attachment', req.params.attachmentId);
        const v = attachmentView(row);
        await recordChange(tx, wo, { type: 'attachment-removed', changes: ['attachments'], data: { attachmentId: v.id, fileName: v.fileName }, before: v, after: null });
      });
      return reply.status(204).send(null);
    },
  );
}

const costPosted = (wo: WoRow, what: string) =>
  problems.conflict('maintenance/cost-posted', 'Cost already posted to the asset', `Work order ${woNumber(wo.number)} was completed before and its costs were posted to asset ${wo.asset_tag}; a ${what} cannot be removed any more`, {
    workOrderId: wo.id,
  });
