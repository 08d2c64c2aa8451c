/**
 * Maintenance plans: CRUD, the trigger kinds available, and previews of the next due dates (or due
 * meter totals with forecast dates) for the plan editor. Reads need `maintenance.read`, writes
 * `maintenance.plan.write`.
 */
import { Type, problems, DecimalIn, DecimalOut, IdParams, IsoDate, Nullable, PageQuery, Page, Uuid, errorResponses, lit, pageOf, type PluginApp, type PluginContext } from '@quartermaster/sdk';
import { readerOf, sqlParams } from '@quartermaster/core';
import { PRIORITIES, permissions } from '../../shared/index.js';
import { dec, decText } from '../../domain/index.js';
import { triggerRegistryOf } from '../services/generation.service.js';
import {
  PLAN_ASSETS_SQL,
  PLAN_CODE_RE,
  PLAN_SELECT,
  PLAN_WORK_ORDER_TYPES,
  checkPlan,
  createPlan,
  planAsInput,
  planAudit,
  planById,
  planCoversAsset,
  planView,
  previewPlan,
  triggerConfigIssues,
  updatePlan,
  type PlanDbRow,
  type PlanInput,
} from '../services/plans.service.js';
import { todayUtc } from '../services/notifications.service.js';

const PartIn = Type.Object({ itemId: Uuid, qty: DecimalIn, locationId: Type.Optional(Nullable(Uuid)) }, { additionalProperties: false });
const TriggerConfig = Type.Object({}, { additionalProperties: true, description: "The trigger kind's settings (see GET /trigger-kinds and the plans documentation)" });

const PlanFields = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  description: Type.Optional(Nullable(Type.String({ maxLength: 4000 }))),
  triggerKind: Type.String({ minLength: 1, maxLength: 100, description: 'calendar, meter, condition, or a contributed kind' }),
  triggerConfig: TriggerConfig,
  workOrderType: Type.Optional(lit(PLAN_WORK_ORDER_TYPES)),
  assetId: Type.Optional(Nullable(Uuid)),
  categoryId: Type.Optional(Nullable(Uuid)),
  priority: Type.Optional(Nullable(lit(PRIORITIES))),
  takesOutOfService: Type.Optional(Type.Boolean()),
  estimatedMinutes: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 525_600 }))),
  checklistTemplateId: Type.Optional(Nullable(Uuid)),
  teamId: Type.Optional(Nullable(Uuid)),
  assigneeUserId: Type.Optional(Nullable(Uuid)),
  parts: Type.Optional(Type.Array(PartIn, { maxItems: 100 })),
  instructions: Type.Optional(Nullable(Type.String({ maxLength: 20_000 }))),
  active: Type.Optional(Type.Boolean()),
};
const Code = Type.String({ pattern: PLAN_CODE_RE.source, description: 'Upper-case letters, digits, . _ - (at most 32)' });
export const CreatePlanBody = Type.Object({ code: Code, ...PlanFields }, { additionalProperties: false });
export const UpdatePlanBody = Type.Object(
  {
    code: Type.Optional(Code),
    name: Type.Optional(PlanFields.name),
    description: PlanFields.description,
    triggerKind: Type.Optional(PlanFields.triggerKind),
    triggerConfig: Type.Optional(TriggerConfig),
    workOrderType: PlanFields.workOrderType,
    assetId: PlanFields.assetId,
    categoryId: PlanFields.categoryId,
    priority: PlanFields.priority,
    takesOutOfService: PlanFields.takesOutOfService,
    estimatedMinutes: PlanFields.estimatedMinutes,
    checklistTemplateId: PlanFields.checklistTemplateId,
    teamId: PlanFields.teamId,
    assigneeUserId: PlanFields.assigneeUserId,
    parts: PlanFields.parts,
    instructions: PlanFields.instructions,
    active: PlanFields.active,
    version: Type.Optional(Type.Integer({ minimum: 1, description: 'The version you read: an older one answers 409 stale-version' })),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const PlanOut = Type.Object({
  id: Uuid,
  code: Type.String(),
  name: Type.String(),
  description: Nullable(Type.String()),
  triggerKind: Type.String(),
  triggerConfig: Type.Object({}, { additionalProperties: true }),
  workOrderType: lit(PLAN_WORK_ORDER_TYPES),
  assetId: Nullable(Uuid),
  assetTag: Nullable(Type.String()),
  categoryId: Nullable(Uuid),
  categoryName: Nullable(Type.String()),
  /** Meter and condition plans: the measurement point's code on each asset. */
  pointCode: Nullable(Type.String()),
  /** Null: derived from the asset's criticality. */
  priority: Nullable(lit(PRIORITIES)),
  takesOutOfService: Type.Boolean(),
  estimatedMinutes: Nullable(Type.Integer()),
  checklistTemplateId: Nullable(Uuid),
  teamId: Nullable(Uuid),
  assigneeUserId: Nullable(Uuid),
  parts: Type.Array(Type.Object({ itemId: Uuid, qty: DecimalOut, locationId: Nullable(Uuid) })),
  instructions: Nullable(Type.String()),
  active: Type.Boolean(),
  /** Work orders generated from it so far. */
  workOrders: Type.Integer(),
  /** The earliest next due date over its assets (calendar plans), as of the last generation pass. */
  nextDueOn: Nullable(IsoDate),
  version: Type.Integer(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

const PreviewOut = Type.Object({
  triggerKind: Type.String(),
  assetId: Nullable(Uuid),
  occurrences: Type.Array(Type.Object({ dueOn: Nullable(IsoDate), dueTotal: Nullable(DecimalOut), forecast: Type.Boolean() })),
  meter: Nullable(Type.Object({ pointCode: Type.String(), currentTotal: Nullable(DecimalOut), ratePerDay: Nullable(DecimalOut) })),
});
const PreviewLimit = Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 10 }));

const PlanAssetOut = Type.Object({
  assetId: Uuid,
  tag: Type.String(),
  name: Type.String(),
  status: Type.String(),
  lastCompletedOn: Nullable(IsoDate),
  lastCompletedTotal: Nullable(DecimalOut),
  lastDueKey: Nullable(Type.String()),
  nextDueOn: Nullable(IsoDate),
  nextDueTotal: Nullable(DecimalOut),
  /** The trigger's own state (condition plans: whether the rule is tripped). */
  triggerState: Type.Object({}, { additionalProperties: true }),
});

const num = (v: string | null) => (v === null ? null : decText(dec(v)));

export function planRoutes(app: PluginApp, ctx: PluginContext<any>) {
  const db = readerOf(ctx);
  const registry = () => triggerRegistryOf(ctx);

  app.get(
    '/trigger-kinds',
    {
      config: { permission: permissions.read },
      schema: {
        summary: 'The trigger kinds plans may use (built-in and contributed)',
        querystring: Type.Object({}, { additionalProperties: false }),
        response: { 200: Type.Object({ data: Type.Array(Type.Object({ kind: Type.String(), title: Type.String(), preview: Type.Boolean() })) }), ...errorResponses },
      },
    },
    async () => ({ data: registry().list().map((k) => ({ kind: k.kind, title: k.title, preview: !!k.preview })) }),
  );

  app.get(
    '/plans',
    {
      config: { permission: permissions.read },
      schema: {
        summary: 'Maintenance plans',
        description:
          '`assetId`: the plans that apply to the asset (its own and those of its category or a parent category); `categoryId`: the plans attached to that category; `kind`: the trigger kind; `q`: code or name contains.',
        querystring: Type.Object(
          {
            assetId: Type.Optional(Uuid),
            categoryId: Type.Optional(Uuid),
            kind: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
            active: Type.Optional(Type.Boolean()),
            q: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
            ...PageQuery,
          },
          { additionalProperties: false },
        ),
        response: { 200: Page(PlanOut), ...errorResponses },
      },
    },
    async (req) => {
      const q = req.query;
      const { limit, offset } = pageOf(q);
      const { values, p } = sqlParams();
      const where: string[] = [];
      let prefix = '';
      if (q.assetId) {
        prefix = `WITH RECURSIVE up AS (SELECT c.id, c.parent_id, 0 AS depth FROM core_category c JOIN fixed_assets_asset a ON a.category_id = c.id WHERE a.id = ${p(q.assetId)}
                    UNION ALL SELECT c.id, c.parent_id, up.depth + 1 FROM core_category c JOIN up ON c.id = up.parent_id WHERE up.depth < 64) `;
        where.push(`(p.asset_id = ${p(q.assetId)} OR p.category_id IN (SELECT id FROM up))`);
      }
      if (q.categoryId) where.push(`p.category_id = ${p(q.categoryId)}`);
      if (q.kind) where.push(`p.trigger_kind = ${p(q.kind)}`);
      if (q.active !== undefined) where.push(`p.active = ${p(q.active)}`);
      if (q.q) where.push(`(p.code ILIKE ${p(`%${q.q.replace(/[\\%_]/g, (c) => '\\' + c)}%`)} OR p.name ILIKE ${p(`%${q.q.replace(/[\\%_]/g, (c) => '\\' + c)}%`)})`);
      const rows = await db.execute<PlanDbRow & { total: string }>(
        `${prefix}SELECT x.*, count(*) OVER () AS total FROM (${PLAN_SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}) x
          ORDER BY x.code COLLATE "C" LIMIT ${p(limit)} OFFSET ${p(offset)}`,
        values,
      );
      return { data: rows.map(planView), total: rows.length ? Number(rows[0].total) : 0, limit, offset };
    },
  );

  app.post(
    '/plans',
    {
      config: { permission: permissions.plan },
      schema: {
        summary: 'Create a maintenance plan',
        description: [
          'A plan applies to one asset (`assetId`) or to every asset of a category and its sub-categories (`categoryId`), including assets registered there later. `triggerConfig` is checked by the trigger kind; every problem is reported at once as `triggerConfig.<field>`.',
          '`priority` null: work orders get the priority the asset\'s criticality gives the work order type; a priority raises that, never lowers it.',
          'Meter and condition plans name the measurement point in `triggerConfig.meter` / `triggerConfig.point`; on a single asset the point must exist and be of the right kind.',
          '409 `maintenance/plan-code-taken` when the code is in use.',
        ].join('\n\n'),
        body: CreatePlanBody,
        response: { 201: PlanOut, ...errorResponses },
      },
    },
    async (req, reply) => {
      const b = req.body as PlanInput & { code: string; name: string; triggerKind: string; triggerConfig: Record<string, unknown> };
      const id = await ctx.transaction(req.actor, (tx) => createPlan(tx, registry(), b));
      return reply.status(201).header('location', `/api/maintenance/plans/${id}`).send(planView(await planById(db, id)));
    },
  );

  app.post(
    '/plans/preview',
    {
      config: { permission: permissions.read },
      schema: {
        summary: 'Preview the next due dates of a plan being edited',
        description:
          'Calendar plans: the next due dates from `from` (default today). Meter plans: the next due totals and, with `assetId`, a forecast date for each from the average usage of the last 90 days. Nothing is stored.',
        body: Type.Object(
          {
            triggerKind: PlanFields.triggerKind,
            triggerConfig: TriggerConfig,
            assetId: Type.Optional(Nullable(Uuid)),
            from: Type.Optional(IsoDate),
            limit: PreviewLimit,
          },
          { additionalProperties: false },
        ),
        response: { 200: PreviewOut, ...errorResponses },
      },
    },
    async (req) => {
      const b = req.body;
      const issues = triggerConfigIssues(registry(), b.triggerKind, b.triggerConfig);
      if (b.assetId) {
        const [a] = await db.execute(`SELECT 1 FROM fixed_assets_asset WHERE id = $1`, [b.assetId]);
        if (!a) issues.push({ field: 'assetId', message: 'no such asset' });
      }
      if (issues.length) throw problems.validation(issues);
      return previewPlan(db, registry(), { id: null, trigger_kind: b.triggerKind, trigger_config: b.triggerConfig }, b.assetId ?? null, b.from ?? todayUtc(), b.limit ?? 10);
    },
  );

  app.get(
    '/plans/:id',
    { config: { permission: permissions.read }, schema: { summary: 'A maintenance plan', params: IdParams, response: { 200: PlanOut, ...errorResponses } } },
    async (req) => planView(await planById(db, req.params.id)),
  );

  app.get(
    '/plans/:id/preview',
    {
      config: { permission: permissions.read },
      schema: {
        summary: 'The next due dates (or due meter totals with forecasts) of a plan',
        description: 'For one asset the plan applies to (`assetId`; a single-asset plan uses its asset), from its state: the last completion (floating plans) and what was generated.',
        params: IdParams,
        querystring: Type.Object({ assetId: Type.Optional(Uuid), from: Type.Optional(IsoDate), limit: PreviewLimit }, { additionalProperties: false }),
        response: { 200: PreviewOut, ...errorResponses },
      },
    },
    async (req) => {
      const plan = await planById(db, req.params.id);
      if (!registry().get(plan.trigger_kind)) throw problems.conflict('maintenance/trigger-kind-unavailable', 'Trigger kind unavailable', `No enabled plugin provides the trigger kind ${plan.trigger_kind}`, { triggerKind: plan.trigger_kind });
      const assetId = req.query.assetId ?? plan.asset_id;
      if (req.query.assetId && !(await planCoversAsset(db, plan, req.query.assetId))) throw problems.validation([{ field: 'assetId', message: 'the plan does not apply to this asset' }]);
      return previewPlan(db, registry(), plan, assetId, req.query.from ?? todayUtc(), req.query.limit ?? 10);
    },
  );

  app.get(
    '/plans/:id/assets',
    {
      config: { permission: permissions.read },
      schema: {
        summary: 'The assets a plan applies to now, with where each stands',
        description: 'Assets in use (in service, checked out, in maintenance, in transit) the plan covers, by tag; with the last completion, the last generated occurrence and the next due date or total as of the last generation pass.',
        params: IdParams,
        querystring: Type.Object({ ...PageQuery }, { additionalProperties: false }),
        response: { 200: Page(PlanAssetOut), ...errorResponses },
      },
    },
    async (req) => {
      await planById(db, req.params.id);
      const { limit, offset } = pageOf(req.query);
      const rows = await db.execute<Record<string, any>>(PLAN_ASSETS_SQL, [req.params.id, limit, offset]);
      return {
        data: rows.map((r) => ({
          assetId: r.asset_id,
          tag: r.tag,
          name: r.name,
          status: r.status,
          lastCompletedOn: r.last_completed_on,
          lastCompletedTotal: num(r.last_completed_total),
          lastDueKey: r.last_due_key,
          nextDueOn: r.next_due_on,
          nextDueTotal: num(r.next_due_total),
          triggerState: r.trigger_state ?? {},
        })),
        total: rows.length ? Number(rows[0].total) : 0,
        limit,
        offset,
      };
    },
  );

  app.patch(
    '/plans/:id',
    {
      config: { permission: permissions.plan },
      schema: {
        summary: 'Change a maintenance plan',
        description:
          'The plan with the change applied is checked whole, as on creation. Setting `assetId` clears `categoryId` and the other way round. A changed trigger kind starts the trigger state afresh on every asset; work orders already generated stay. `active: false` stops generation (prefer it to deleting a plan that has work orders).',
        params: IdParams,
        body: UpdatePlanBody,
        response: { 200: PlanOut, ...errorResponses },
      },
    },
    async (req) => {
      const { version, ...patch } = req.body as PlanInput & { version?: number };
      await ctx.transaction(req.actor, async (tx) => {
        const current = await planById(tx, req.params.id, true);
        if (version !== undefined && version !== current.version)
          throw problems.conflict('stale-version', 'Changed by someone else', `The plan is at version ${current.version}, not ${version}: reload it and apply your change again`, { currentVersion: current.version });
        const merged = { ...planAsInput(current), ...patch } as ReturnType<typeof planAsInput>;
        if (patch.assetId && patch.categoryId === undefined) merged.categoryId = null;
        if (patch.categoryId && patch.assetId === undefined) merged.assetId = null;
        const values = await checkPlan(tx, registry(), merged as never, current.id);
        const kindChanged = values.triggerKind !== current.trigger_kind;
        await updatePlan(tx, current.id, values, kindChanged);
        await tx.audit({ action: 'updated', entityType: 'maintenance.plan', entityId: current.id, before: { ...planAsInput(current), pointCode: current.point_code }, after: planAudit(values) });
      });
      return planView(await planById(db, req.params.id));
    },
  );

  app.delete(
    '/plans/:id',
    {
      config: { permission: permissions.plan },
      schema: {
        summary: 'Delete a plan that never generated work',
        description: 'A plan with work orders cannot be deleted (409 `maintenance/plan-in-use`): set `active: false` instead, so its history stays.',
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (req, reply) => {
      await ctx.transaction(req.actor, async (tx) => {
        const plan = await planById(tx, req.params.id, true);
        if (plan.work_orders > 0)
          throw problems.conflict('maintenance/plan-in-use', 'Plan has work orders', `Plan ${plan.code} generated ${plan.work_orders} work order(s): deactivate it instead`, { workOrders: plan.work_orders });
        await tx.execute(`DELETE FROM maintenance_plan_state WHERE plan_id = $1`, [plan.id]);
        await tx.execute(`DELETE FROM maintenance_plan WHERE id = $1`, [plan.id]);
        await tx.audit({ action: 'deleted', entityType: 'maintenance.plan', entityId: plan.id, before: { code: plan.code, name: plan.name, triggerKind: plan.trigger_kind } });
      });
      return reply.status(204).send(null);
    },
  );
}
