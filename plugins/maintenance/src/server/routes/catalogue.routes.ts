/**
 * Settings catalogues of maintenance: checklist templates, teams and their members, technicians'
 * labour rates, failure codes (problem / cause / remedy), asset criticality and category settings.
 * Reads need `maintenance.read`, writes `maintenance.plan.write`.
 */
import { Type, problems, DecimalIn, DecimalOut, IdParams, Instant, Nullable, PageQuery, Page, Uuid, errorResponses, lit, pageOf, cleanText, type FieldError, type PluginApp, type PluginContext } from '@quartermaster/sdk';
import { readerOf, sqlParams, type Db } from '@quartermaster/core';
import { CRITICALITIES, FAILURE_CODE_KINDS, permissions } from '../../shared/index.js';
import {
  FAILURE_CODE_RE,
  POINT_CODE_RE,
  TEMPLATE_COLUMNS,
  assetProfileView,
  categorySettingsView,
  checkUsers,
  createChecklistTemplate,
  createFailureCode,
  createTeam,
  duplicateName,
  failureCodeView,
  normaliseChecklistItems,
  rateOf,
  rateText,
  setAssetCriticality,
  setTechnician,
  teamView,
  technicianViews,
  templateView,
  type FailureCodeRow,
  type TeamRow,
  type TemplateRow,
} from '../services/catalogue.service.js';

const ChecklistItemIn = Type.Object(
  {
    kind: lit(['check', 'reading', 'text'] as const),
    label: Type.String({ minLength: 1, maxLength: 200 }),
    required: Type.Optional(Type.Boolean({ default: true })),
    unit: Type.Optional(Nullable(Type.String({ maxLength: 20, description: 'Readings only' }))),
    min: Type.Optional(Nullable(DecimalIn)),
    max: Type.Optional(Nullable(DecimalIn)),
    pointCode: Type.Optional(Nullable(Type.String({ pattern: POINT_CODE_RE.source, description: "Readings only: also record the value on the asset's measurement point with this code" }))),
  },
  { additionalProperties: false },
);
export const ChecklistItemOut = Type.Object({
  kind: lit(['check', 'reading', 'text'] as const),
  label: Type.String(),
  required: Type.Boolean(),
  unit: Nullable(Type.String()),
  min: Nullable(DecimalOut),
  max: Nullable(DecimalOut),
  pointCode: Nullable(Type.String()),
});
const TemplateOut = Type.Object({
  id: Uuid,
  name: Type.String(),
  description: Nullable(Type.String()),
  items: Type.Array(ChecklistItemOut),
  version: Type.Integer(),
  active: Type.Boolean(),
  createdAt: Instant,
  updatedAt: Instant,
});
const CreateTemplateBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    description: Type.Optional(Nullable(Type.String({ maxLength: 4000 }))),
    items: Type.Array(ChecklistItemIn, { minItems: 1, maxItems: 200 }),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
const UpdateTemplateBody = Type.Object(
  {
    version: Type.Integer({ minimum: 1, description: 'The version you edited: an older one is refused with 409 stale-version' }),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    description: Type.Optional(Nullable(Type.String({ maxLength: 4000 }))),
    items: Type.Optional(Type.Array(ChecklistItemIn, { minItems: 1, maxItems: 200 })),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
const TemplateQuery = Type.Object(
  { active: Type.Optional(Type.Boolean()), q: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })), ...PageQuery },
  { additionalProperties: false },
);

const Member = Type.Object({ id: Uuid, name: Type.String(), email: Type.String() });
const TeamOut = Type.Object({ id: Uuid, name: Type.String(), hourlyRate: Nullable(DecimalOut), members: Type.Array(Member), createdAt: Instant });
const CreateTeamBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    hourlyRate: Type.Optional(Nullable(DecimalIn)),
    memberIds: Type.Optional(Type.Array(Uuid, { maxItems: 500, uniqueItems: true })),
  },
  { additionalProperties: false },
);
const UpdateTeamBody = Type.Object(
  { name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })), hourlyRate: Type.Optional(Nullable(DecimalIn)) },
  { additionalProperties: false, minProperties: 1 },
);
const MembersBody = Type.Object({ userIds: Type.Array(Uuid, { maxItems: 500, uniqueItems: true }) }, { additionalProperties: false });

const TechnicianOut = Type.Object({
  userId: Uuid,
  name: Type.String(),
  email: Type.String(),
  hourlyRate: Nullable(DecimalOut),
  skills: Type.Array(Type.String()),
  teams: Type.Array(Type.Object({ id: Uuid, name: Type.String(), hourlyRate: Nullable(DecimalOut) })),
});
const TechnicianParams = Type.Object({ userId: Uuid }, { additionalProperties: false });
const TechnicianBody = Type.Object(
  {
    hourlyRate: Nullable(DecimalIn),
    skills: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 60 }), { maxItems: 50, uniqueItems: true })),
  },
  { additionalProperties: false },
);

const FailureKind = lit(FAILURE_CODE_KINDS);
const FailureCodeOut = Type.Object({ kind: FailureKind, code: Type.String(), description: Type.String(), active: Type.Boolean() });
const FailureCodeParams = Type.Object({ kind: FailureKind, code: Type.String({ pattern: FAILURE_CODE_RE.source }) }, { additionalProperties: false });
const CreateFailureCodeBody = Type.Object(
  { kind: FailureKind, code: Type.String({ pattern: FAILURE_CODE_RE.source, description: '1–32 capital letters, digits, _ or -' }), description: Type.String({ minLength: 1, maxLength: 500 }), active: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);
const UpdateFailureCodeBody = Type.Object(
  { description: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })), active: Type.Optional(Type.Boolean()) },
  { additionalProperties: false, minProperties: 1 },
);
const FailureCodeQuery = Type.Object({ kind: Type.Optional(FailureKind), active: Type.Optional(Type.Boolean()) }, { additionalProperties: false });

const Criticality = lit(CRITICALITIES);
const AssetParams = Type.Object({ assetId: Uuid }, { additionalProperties: false });
const ProfileOut = Type.Object({
  assetId: Uuid,
  /** What drives priority: the asset's own value, else its category's default, else C. */
  criticality: Criticality,
  source: lit(['asset', 'category', 'default'] as const),
  /** The asset's own value (null: inherited). */
  own: Nullable(Criticality),
  updatedAt: Nullable(Instant),
});
const ProfileBody = Type.Object({ criticality: Nullable(Criticality) }, { additionalProperties: false });

const CategoryParams = Type.Object({ categoryId: Uuid }, { additionalProperties: false });
const CategorySettingsOut = Type.Object({
  categoryId: Uuid,
  /** What the category sets itself (null fields: inherited). */
  settings: Nullable(Type.Object({ blockCheckoutWhenCalibrationOverdue: Nullable(Type.Boolean()), defaultCriticality: Nullable(Criticality) })),
  effective: Type.Object({
    blockCheckoutWhenCalibrationOverdue: Type.Boolean(),
    blockCheckoutFrom: Nullable(Uuid),
    defaultCriticality: Nullable(Criticality),
    defaultCriticalityFrom: Nullable(Uuid),
  }),
});
const CategorySettingsBody = Type.Object(
  { blockCheckoutWhenCalibrationOverdue: Type.Optional(Nullable(Type.Boolean())), defaultCriticality: Type.Optional(Nullable(Criticality)) },
  { additionalProperties: false, minProperties: 1 },
);

const blank = (field: string): FieldError => ({ field, message: 'must not be blank' });

/** Catalogue routes; mounted under /api/maintenance. */
export function catalogueRoutes(app: PluginApp, ctx: PluginContext<any>) {
  const db = readerOf(ctx);
  const read = { permission: permissions.read };
  const write = { permission: permissions.plan };

  // ---- checklist templates
  app.get(
    '/checklist-templates',
    { config: read, schema: { summary: 'Checklist templates', querystring: TemplateQuery, response: { 200: Page(TemplateOut), ...errorResponses } } },
    async (req) => {
      const q = req.query;
      const { limit, offset } = pageOf(q);
      const { values, p } = sqlParams();
      const where = ['true'];
      if (q.active !== undefined) where.push(`active = ${p(q.active)}`);
      if (q.q) {
        const pattern = p(`%${q.q.replace(/[\\%_]/g, '\\$&')}%`);
        where.push(`(name ILIKE ${pattern} OR description ILIKE ${pattern})`);
      }
      const [{ n }] = await db.execute<{ n: number }>(`SELECT count(*)::int AS n FROM maintenance_checklist_template WHERE ${where.join(' AND ')}`, [...values]);
      const rows = await db.execute<TemplateRow>(`SELECT ${TEMPLATE_COLUMNS} FROM maintenance_checklist_template WHERE ${where.join(' AND ')} ORDER BY lower(name), id LIMIT ${p(limit)} OFFSET ${p(offset)}`, values);
      return { data: rows.map(templateView), total: n, limit, offset };
    },
  );

  app.post(
    '/checklist-templates',
    {
      config: write,
      schema: {
        summary: 'Create a checklist template',
        description: 'Items are pass/fail checks, readings (with unit, min/max limits and optionally the measurement point code they also feed) or text answers; each is required unless `required: false`. Work orders copy the items when they are created.',
        body: CreateTemplateBody,
        response: { 201: TemplateOut, ...errorResponses },
      },
    },
    async (req, reply) => {
      const view = await ctx.transaction(req.actor, (tx) => createChecklistTemplate(tx, req.body));
      return reply.status(201).send(view);
    },
  );

  app.get(
    '/checklist-templates/:id',
    { config: read, schema: { summary: 'A checklist template', params: IdParams, response: { 200: TemplateOut, ...errorResponses } } },
    async (req) => {
      const [row] = await db.execute<TemplateRow>(`SELECT ${TEMPLATE_COLUMNS} FROM maintenance_checklist_template WHERE id = $1`, [req.params.id]);
      if (!row) throw problems.notFound('checklist template', req.params.id);
      return templateView(row);
    },
  );

  app.patch(
    '/checklist-templates/:id',
    {
      config: write,
      schema: {
        summary: 'Change a checklist template',
        description: 'Send the `version` you edited; an older one is refused with 409 `stale-version`. Work orders already created keep the items they copied.',
        params: IdParams,
        body: UpdateTemplateBody,
        response: { 200: TemplateOut, ...errorResponses },
      },
    },
    async (req) => {
      const b = req.body;
      const { items, errors } = b.items ? normaliseChecklistItems(b.items) : { items: undefined, errors: [] as FieldError[] };
      if (b.name !== undefined && !b.name.trim()) errors.unshift(blank('name'));
      if (errors.length) throw problems.validation(errors);
      return ctx.transaction(req.actor, async (tx) => {
        const [before] = await tx.execute<TemplateRow>(`SELECT ${TEMPLATE_COLUMNS} FROM maintenance_checklist_template WHERE id = $1 FOR UPDATE`, [req.params.id]);
        if (!before) throw problems.notFound('checklist template', req.params.id);
        if (before.version !== b.version) {
          throw problems.conflict('stale-version', 'Checklist template changed meanwhile', `You edited version ${b.version}, but the template is at version ${before.version}; reload and retry`, {
            currentVersion: before.version,
          });
        }
        if (b.name !== undefined && b.name.trim() !== before.name) {
          const [dup] = await tx.execute(`SELECT 1 FROM maintenance_checklist_template WHERE name = $1 AND id <> $2`, [b.name.trim(), before.id]);
          if (dup) throw duplicateName('Checklist template', b.name.trim());
        }
        const [row] = await tx.execute<TemplateRow>(
          `UPDATE maintenance_checklist_template SET name = $2, description = $3, items = $4, active = $5, version = version + 1, updated_at = now() WHERE id = $1 RETURNING ${TEMPLATE_COLUMNS}`,
          [
            before.id,
            b.name?.trim() ?? before.name,
            b.description !== undefined ? cleanText(b.description) : before.description,
            JSON.stringify(items ?? before.items),
            b.active ?? before.active,
          ],
        );
        const after = templateView(row);
        await tx.audit({ action: 'updated', entityType: 'maintenance.checklist-template', entityId: after.id, before: templateView(before), after });
        return after;
      });
    },
  );

  app.delete(
    '/checklist-templates/:id',
    {
      config: write,
      schema: {
        summary: 'Delete a checklist template no plan uses',
        description: 'A template a plan names is refused with 409 `maintenance/template-in-use`: deactivate it instead (PATCH `active: false`).',
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (req, reply) => {
      await ctx.transaction(req.actor, async (tx) => {
        const [before] = await tx.execute<TemplateRow>(`SELECT ${TEMPLATE_COLUMNS} FROM maintenance_checklist_template WHERE id = $1 FOR UPDATE`, [req.params.id]);
        if (!before) throw problems.notFound('checklist template', req.params.id);
        const plans = await tx.execute<{ id: string; code: string }>(`SELECT id, code FROM maintenance_plan WHERE checklist_template_id = $1 ORDER BY code LIMIT 20`, [before.id]);
        if (plans.length) {
          throw problems.conflict('maintenance/template-in-use', 'Checklist template in use', `Plans ${plans.map((p) => p.code).join(', ')} use the template ${before.name}; deactivate it instead`, {
            templateId: before.id,
            plans,
          });
        }
        await tx.execute(`DELETE FROM maintenance_checklist_template WHERE id = $1`, [before.id]);
        await tx.audit({ action: 'deleted', entityType: 'maintenance.checklist-template', entityId: before.id, before: templateView(before) });
      });
      return reply.status(204).send(null);
    },
  );

  // ---- teams
  const TEAM = `SELECT id, name, hourly_rate::text AS hourly_rate, created_at FROM maintenance_team`;
  const lockTeam = async (tx: Db, id: string) => {
    const [row] = await tx.execute<TeamRow>(`${TEAM} WHERE id = $1 FOR UPDATE`, [id]);
    if (!row) throw problems.notFound('team', id);
    return row;
  };

  app.get(
    '/teams',
    {
      config: read,
      schema: {
        summary: 'Maintenance teams with their members',
        querystring: Type.Object({ q: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Name contains' })) }, { additionalProperties: false }),
        response: { 200: Type.Object({ data: Type.Array(TeamOut) }), ...errorResponses },
      },
    },
    async (req) => {
      const q = req.query.q?.trim();
      const rows = await db.execute<TeamRow>(`${TEAM} WHERE ($1::text IS NULL OR name ILIKE '%' || $1 || '%') ORDER BY lower(name), id`, [q ? q.replace(/[\\%_]/g, '\\$&') : null]);
      return { data: await Promise.all(rows.map((r) => teamView(db, r))) };
    },
  );

  app.post(
    '/teams',
    {
      config: write,
      schema: {
        summary: 'Create a team',
        description: "`hourlyRate` is the labour cost per hour of time booked by members who have no rate of their own (in the work order's currency).",
        body: CreateTeamBody,
        response: { 201: TeamOut, ...errorResponses },
      },
    },
    async (req, reply) => {
      const view = await ctx.transaction(req.actor, (tx) => createTeam(tx, req.body));
      return reply.status(201).send(view);
    },
  );

  app.get('/teams/:id', { config: read, schema: { summary: 'A team', params: IdParams, response: { 200: TeamOut, ...errorResponses } } }, async (req) => {
    const [row] = await db.execute<TeamRow>(`${TEAM} WHERE id = $1`, [req.params.id]);
    if (!row) throw problems.notFound('team', req.params.id);
    return teamView(db, row);
  });

  app.patch(
    '/teams/:id',
    { config: write, schema: { summary: "Rename a team or change its hourly rate", params: IdParams, body: UpdateTeamBody, response: { 200: TeamOut, ...errorResponses } } },
    async (req) => {
      const b = req.body;
      const errors: FieldError[] = [];
      if (b.name !== undefined && !b.name.trim()) errors.push(blank('name'));
      const rate = rateOf(b.hourlyRate, 'hourlyRate', errors);
      if (errors.length) throw problems.validation(errors);
      return ctx.transaction(req.actor, async (tx) => {
        const before = await lockTeam(tx, req.params.id);
        if (b.name !== undefined && b.name.trim() !== before.name) {
          const [dup] = await tx.execute(`SELECT 1 FROM maintenance_team WHERE name = $1 AND id <> $2`, [b.name.trim(), before.id]);
          if (dup) throw duplicateName('Team', b.name.trim());
        }
        const [row] = await tx.execute<TeamRow>(`UPDATE maintenance_team SET name = $2, hourly_rate = $3 WHERE id = $1 RETURNING id, name, hourly_rate::text AS hourly_rate, created_at`, [
          before.id,
          b.name?.trim() ?? before.name,
          rate === undefined ? before.hourly_rate : rate,
        ]);
        const after = await teamView(tx, row);
        await tx.audit({ action: 'updated', entityType: 'maintenance.team', entityId: after.id, before: { name: before.name, hourlyRate: rateText(before.hourly_rate) }, after });
        return after;
      });
    },
  );

  app.put(
    '/teams/:id/members',
    { config: write, schema: { summary: "Set a team's members (the whole list)", params: IdParams, body: MembersBody, response: { 200: TeamOut, ...errorResponses } } },
    async (req) => {
      const errors = await checkUsers(db, req.body.userIds, (i) => `userIds.${i}`);
      if (errors.length) throw problems.validation(errors);
      return ctx.transaction(req.actor, async (tx) => {
        const team = await lockTeam(tx, req.params.id);
        const before = await teamView(tx, team);
        await tx.execute(`DELETE FROM maintenance_team_member WHERE team_id = $1 AND NOT (user_id = ANY($2::uuid[]))`, [team.id, req.body.userIds]);
        await tx.execute(`INSERT INTO maintenance_team_member (team_id, user_id) SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING`, [team.id, req.body.userIds]);
        const after = await teamView(tx, team);
        await tx.audit({ action: 'members-set', entityType: 'maintenance.team', entityId: team.id, before: { members: before.members.map((m) => m.id) }, after: { members: after.members.map((m) => m.id) } });
        return after;
      });
    },
  );

  app.delete(
    '/teams/:id',
    {
      config: write,
      schema: {
        summary: 'Delete a team no plan or work order names',
        description: 'A team named by a plan or a work order is refused with 409 `maintenance/team-in-use`.',
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (req, reply) => {
      await ctx.transaction(req.actor, async (tx) => {
        const team = await lockTeam(tx, req.params.id);
        const [use] = await tx.execute<{ plans: number; orders: number }>(
          `SELECT (SELECT count(*)::int FROM maintenance_plan WHERE team_id = $1) AS plans, (SELECT count(*)::int FROM maintenance_work_order WHERE team_id = $1) AS orders`,
          [team.id],
        );
        if (use.plans || use.orders) {
          throw problems.conflict('maintenance/team-in-use', 'Team in use', `The team ${team.name} is named by ${use.plans} plan(s) and ${use.orders} work order(s)`, { teamId: team.id, plans: use.plans, workOrders: use.orders });
        }
        const before = await teamView(tx, team);
        await tx.execute(`DELETE FROM maintenance_team_member WHERE team_id = $1`, [team.id]);
        await tx.execute(`DELETE FROM maintenance_team WHERE id = $1`, [team.id]);
        await tx.audit({ action: 'deleted', entityType: 'maintenance.team', entityId: team.id, before });
      });
      return reply.status(204).send(null);
    },
  );

  // ---- technicians
  app.get(
    '/technicians',
    {
      config: read,
      schema: {
        summary: 'Technicians: users with a labour rate or in a team',
        querystring: Type.Object({ teamId: Type.Optional(Uuid) }, { additionalProperties: false }),
        response: { 200: Type.Object({ data: Type.Array(TechnicianOut) }), ...errorResponses },
      },
    },
    async (req) => ({ data: await technicianViews(db, undefined, req.query.teamId) }),
  );

  app.put(
    '/technicians/:userId',
    {
      config: write,
      schema: {
        summary: "Set a technician's own hourly rate and skills",
        description: "The technician's rate wins over their team's; `null` falls back to the team's rate, then to the option `defaultHourlyRate`.",
        params: TechnicianParams,
        body: TechnicianBody,
        response: { 200: TechnicianOut, ...errorResponses },
      },
    },
    async (req) => ctx.transaction(req.actor, (tx) => setTechnician(tx, req.params.userId, req.body)),
  );

  // ---- failure codes
  const FC = `SELECT kind, code, description, active FROM maintenance_failure_code`;
  app.get(
    '/failure-codes',
    { config: read, schema: { summary: 'Failure codes (problem / cause / remedy)', querystring: FailureCodeQuery, response: { 200: Type.Object({ data: Type.Array(FailureCodeOut) }), ...errorResponses } } },
    async (req) => {
      const rows = await db.execute<FailureCodeRow>(`${FC} WHERE ($1::text IS NULL OR kind = $1) AND ($2::boolean IS NULL OR active = $2) ORDER BY array_position(ARRAY['problem','cause','remedy'], kind), code`, [
        req.query.kind ?? null,
        req.query.active ?? null,
      ]);
      return { data: rows.map(failureCodeView) };
    },
  );

  app.post(
    '/failure-codes',
    { config: write, schema: { summary: 'Add a failure code', body: CreateFailureCodeBody, response: { 201: FailureCodeOut, ...errorResponses } } },
    async (req, reply) => {
      const view = await ctx.transaction(req.actor, (tx) => createFailureCode(tx, req.body));
      return reply.status(201).send(view);
    },
  );

  app.patch(
    '/failure-codes/:kind/:code',
    {
      config: write,
      schema: { summary: 'Change or deactivate a failure code', params: FailureCodeParams, body: UpdateFailureCodeBody, response: { 200: FailureCodeOut, ...errorResponses } },
    },
    async (req) => {
      const b = req.body;
      if (b.description !== undefined && !b.description.trim()) throw problems.validation([blank('description')]);
      return ctx.transaction(req.actor, async (tx) => {
        const [before] = await tx.execute<FailureCodeRow>(`${FC} WHERE kind = $1 AND code = $2 FOR UPDATE`, [req.params.kind, req.params.code]);
        if (!before) throw problems.notFound('failure code', `${req.params.kind}:${req.params.code}`);
        const [row] = await tx.execute<FailureCodeRow>(`UPDATE maintenance_failure_code SET description = $3, active = $4 WHERE kind = $1 AND code = $2 RETURNING kind, code, description, active`, [
          before.kind,
          before.code,
          b.description?.trim() ?? before.description,
          b.active ?? before.active,
        ]);
        const after = failureCodeView(row);
        await tx.audit({ action: 'updated', entityType: 'maintenance.failure-code', entityId: `${before.kind}:${before.code}`, before: failureCodeView(before), after });
        return after;
      });
    },
  );

  app.delete(
    '/failure-codes/:kind/:code',
    {
      config: write,
      schema: {
        summary: 'Delete a failure code no work order uses',
        description: 'A code named by a work order is refused with 409 `maintenance/failure-code-in-use`: deactivate it instead.',
        params: FailureCodeParams,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (req, reply) => {
      await ctx.transaction(req.actor, async (tx) => {
        const [before] = await tx.execute<FailureCodeRow>(`${FC} WHERE kind = $1 AND code = $2 FOR UPDATE`, [req.params.kind, req.params.code]);
        if (!before) throw problems.notFound('failure code', `${req.params.kind}:${req.params.code}`);
        const column = `${before.kind}_code`;
        const [{ n }] = await tx.execute<{ n: number }>(`SELECT count(*)::int AS n FROM maintenance_work_order WHERE ${column} = $1`, [before.code]);
        if (n) {
          throw problems.conflict('maintenance/failure-code-in-use', 'Failure code in use', `${n} work order(s) name the ${before.kind} code ${before.code}; deactivate it instead`, {
            kind: before.kind,
            code: before.code,
            workOrders: n,
          });
        }
        await tx.execute(`DELETE FROM maintenance_failure_code WHERE kind = $1 AND code = $2`, [before.kind, before.code]);
        await tx.audit({ action: 'deleted', entityType: 'maintenance.failure-code', entityId: `${before.kind}:${before.code}`, before: failureCodeView(before) });
      });
      return reply.status(204).send(null);
    },
  );

  // ---- asset criticality
  app.get(
    '/assets/:assetId/profile',
    { config: read, schema: { summary: "An asset's criticality (A/B/C), which drives work order priority", params: AssetParams, response: { 200: ProfileOut, ...errorResponses } } },
    async (req) => {
      const [a] = await db.execute(`SELECT 1 FROM fixed_assets_asset WHERE id = $1`, [req.params.assetId]);
      if (!a) throw problems.notFound('asset', req.params.assetId);
      return assetProfileView(db, req.params.assetId);
    },
  );

  app.put(
    '/assets/:assetId/profile',
    {
      config: write,
      schema: {
        summary: "Set an asset's criticality",
        description: 'A: failure stops production or endangers people; B: costly but worked around; C: run to failure is acceptable. `null` removes the asset\'s own value (its category default applies, else C).',
        params: AssetParams,
        body: ProfileBody,
        response: { 200: ProfileOut, ...errorResponses },
      },
    },
    async (req) => ctx.transaction(req.actor, (tx) => setAssetCriticality(tx, req.params.assetId, req.body.criticality)),
  );

  // ---- category settings
  app.get(
    '/categories/:categoryId/settings',
    { config: read, schema: { summary: "A category's maintenance settings and what its assets inherit", params: CategoryParams, response: { 200: CategorySettingsOut, ...errorResponses } } },
    async (req) => {
      const [c] = await db.execute(`SELECT 1 FROM core_category WHERE id = $1`, [req.params.categoryId]);
      if (!c) throw problems.notFound('category', req.params.categoryId);
      return categorySettingsView(db, req.params.categoryId);
    },
  );

  app.put(
    '/categories/:categoryId/settings',
    {
      config: write,
      schema: {
        summary: "Set a category's maintenance settings",
        description:
          '`blockCheckoutWhenCalibrationOverdue`: whether an instrument of the category whose calibration is overdue may be checked out (true at the top of the tree); `defaultCriticality`: the criticality of assets of the category that have none of their own. Each inherits on its own: null means "as the parent category", and sub-categories that set nothing follow. Fields left out keep their value.',
        params: CategoryParams,
        body: CategorySettingsBody,
        response: { 200: CategorySettingsOut, ...errorResponses },
      },
    },
    async (req) =>
      ctx.transaction(req.actor, async (tx) => {
        const [c] = await tx.execute(`SELECT 1 FROM core_category WHERE id = $1`, [req.params.categoryId]);
        if (!c) throw problems.notFound('category', req.params.categoryId);
        const before = await categorySettingsView(tx, req.params.categoryId);
        const b = req.body;
        await tx.execute(
          `INSERT INTO maintenance_category_settings (category_id, block_checkout_when_calibration_overdue, default_criticality) VALUES ($1, $2, $3)
           ON CONFLICT (category_id) DO UPDATE SET
             block_checkout_when_calibration_overdue = CASE WHEN $5 THEN $2 ELSE maintenance_category_settings.block_checkout_when_calibration_overdue END,
             default_criticality = CASE WHEN $4 THEN $3 ELSE maintenance_category_settings.default_criticality END`,
          [req.params.categoryId, b.blockCheckoutWhenCalibrationOverdue ?? null, b.defaultCriticality ?? null, b.defaultCriticality !== undefined, b.blockCheckoutWhenCalibrationOverdue !== undefined],
        );
        const after = await categorySettingsView(tx, req.params.categoryId);
        await tx.audit({ action: 'updated', entityType: 'maintenance.category-settings', entityId: req.params.categoryId, before: before.settings, after: after.settings });
        return after;
      }),
  );

}
