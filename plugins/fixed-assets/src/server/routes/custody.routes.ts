import { Type, problems, type FieldError, type PluginApp, type PluginContext } from '@quartermaster/sdk';
import { checkOutGuards, permissions } from '../../shared/index.js';
import type { FixedAssetsOptions } from '../options.js';
import { checkInAsset, checkOutAsset, forEachScanned, resolveHolder, resolveTags, type HolderInput } from '../services/custody.service.js';
import { params, readerOf, type Db } from '../services/db.js';
import { sweepOverdue } from '../services/overdue.service.js';
import { assetView, custodyViews, type CustodyRow, CUSTODY_SELECT, custodyView } from '../services/views.js';
import { AssetOut, CustodyOut } from './outputs.js';
import { ConditionSchema, CustodyHolderType, HolderSchema, IdParams, Instant, Page, PageQuery, Uuid, errorResponses, pageOf } from './schemas.js';

const HolderFields = {
  to: CustodyHolderType,
  userId: Type.Optional(Uuid),
  personId: Type.Optional(Uuid),
  locationId: Type.Optional(Uuid),
  project: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
};
const OutFields = {
  ...HolderFields,
  expectedReturnAt: Type.Optional(Instant),
  condition: Type.Optional(ConditionSchema),
  note: Type.Optional(Type.String({ maxLength: 2000 })),
};
const InFields = { condition: Type.Optional(ConditionSchema), note: Type.Optional(Type.String({ maxLength: 2000 })) };
const Tags = Type.Array(Type.String({ minLength: 1, maxLength: 500 }), { minItems: 1, maxItems: 200, description: 'Scanned values: asset tags, or anything the identifier resolution maps to one' });

export const CheckOutBody = Type.Object(OutFields, { additionalProperties: false });
export const CheckInBody = Type.Object(InFields, { additionalProperties: false });
export const BulkCheckOutBody = Type.Object({ tags: Tags, ...OutFields }, { additionalProperties: false });
export const BulkCheckInBody = Type.Object({ tags: Tags, ...InFields }, { additionalProperties: false });

export const CustodyListQuery = Type.Object(
  {
    assetId: Type.Optional(Uuid),
    open: Type.Optional(Type.Boolean({ description: 'Only custodies not yet checked in (true) or only closed ones (false)' })),
    overdue: Type.Optional(Type.Boolean({ description: 'Only open custodies past their expected return: the overdue list' })),
    holderUserId: Type.Optional(Uuid),
    holderPersonId: Type.Optional(Uuid),
    holderLocationId: Type.Optional(Uuid),
    project: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    bookingId: Type.Optional(Uuid),
    ...PageQuery,
  },
  { additionalProperties: false },
);

const CheckOutResult = Type.Object({ asset: AssetOut, custody: CustodyOut });

/** Check the holder and the expected return; every problem at once. */
async function checkOutTerms(db: Db, b: HolderInput & { expectedReturnAt?: string }) {
  const errors: FieldError[] = [];
  const holder = await resolveHolder(db, b, errors);
  if (b.expectedReturnAt && new Date(b.expectedReturnAt).getTime() <= Date.now()) errors.push({ field: 'expectedReturnAt', message: 'must be in the future' });
  if (errors.length) throw problems.validation(errors);
  return holder!;
}

export function custodyRoutes(app: PluginApp, ctx: PluginContext<any>, options: FixedAssetsOptions) {
  const db = readerOf(ctx);
  const minor = options.currencyMinorUnits;
  const custodyById = async (d: Db, id: string) => (await custodyViews(d, `c.id = $1`, [id]))[0];

  app.post(
    '/assets/:id/check-out',
    {
      config: { permission: permissions.custodyWrite },
      schema: {
        summary: 'Check an asset out to a user, person, location or project',
        description:
          'Only from service (409 `fixed-assets/illegal-transition`, or `fixed-assets/already-checked-out`). Refused with 409 `fixed-assets/asset-booked` when someone else has it booked for any part of the time until `expectedReturnAt` (or now, without one); the holder\'s own booking running now is linked.',
        params: IdParams,
        body: CheckOutBody,
        response: { 201: CheckOutResult, ...errorResponses },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const result = await ctx.transaction(req.actor, async (tx) => {
        const holder = await checkOutTerms(tx, b);
        const custodyId = await checkOutAsset(tx, req.params.id, { holder, expectedReturnAt: b.expectedReturnAt ?? null, condition: b.condition, note: b.note, guards: ctx.extensions(checkOutGuards) });
        return { asset: (await assetView(tx, req.params.id, minor))!, custody: await custodyById(tx, custodyId) };
      });
      return reply.status(201).send(result);
    },
  );

  app.post(
    '/assets/:id/check-in',
    {
      config: { permission: permissions.custodyWrite },
      schema: {
        summary: 'Check an asset back in, with its condition and a note',
        params: IdParams,
        body: CheckInBody,
        response: { 200: CheckOutResult, ...errorResponses },
      },
    },
    async (req) =>
      ctx.transaction(req.actor, async (tx) => {
        const custodyId = await checkInAsset(tx, req.params.id, req.body ?? {});
        return { asset: (await assetView(tx, req.params.id, minor))!, custody: await custodyById(tx, custodyId) };
      }),
  );

  app.post(
    '/custody/check-out',
    {
      config: { permission: permissions.custodyWrite },
      schema: {
        summary: 'Check out several scanned assets at once, all or nothing',
        description:
          'Each tag is resolved through the core identifier resolution. If any tag is unknown or any asset cannot be checked out, nothing is: the answer lists every refused tag (`errors[].field` = `tags.<n>`) — 400 `validation` when only tags are unknown, else 409 `fixed-assets/bulk-refused`.',
        body: BulkCheckOutBody,
        response: { 201: Type.Object({ custodies: Type.Array(CustodyOut) }), ...errorResponses },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const holder = await checkOutTerms(db, b);
      const resolved = await resolveTags(ctx, b.tags);
      const custodies = await ctx.transaction(req.actor, async (tx) => {
        const ids = await forEachScanned(tx, b.tags, resolved, 'checked out', (assetId) =>
          checkOutAsset(tx, assetId, { holder, expectedReturnAt: b.expectedReturnAt ?? null, condition: b.condition, note: b.note, guards: ctx.extensions(checkOutGuards) }),
        );
        return custodyViews(tx, `c.id = ANY($1::uuid[])`, [ids], `ORDER BY array_position($1::uuid[], c.id)`);
      });
      return reply.status(201).send({ custodies });
    },
  );

  app.post(
    '/custody/check-in',
    {
      config: { permission: permissions.custodyWrite },
      schema: {
        summary: 'Check in several scanned assets at once, all or nothing',
        description: 'Like the bulk check-out: every tag resolves and every asset is checked out, or nothing changes and each refused tag is named.',
        body: BulkCheckInBody,
        response: { 200: Type.Object({ custodies: Type.Array(CustodyOut) }), ...errorResponses },
      },
    },
    async (req) => {
      const b = req.body;
      const resolved = await resolveTags(ctx, b.tags);
      const custodies = await ctx.transaction(req.actor, async (tx) => {
        const ids = await forEachScanned(tx, b.tags, resolved, 'checked in', (assetId) => checkInAsset(tx, assetId, { condition: b.condition, note: b.note }));
        return custodyViews(tx, `c.id = ANY($1::uuid[])`, [ids], `ORDER BY array_position($1::uuid[], c.id)`);
      });
      return { custodies };
    },
  );

  app.get(
    '/custody',
    {
      config: { permission: permissions.assetRead },
      schema: {
        summary: 'Custody records: who had or has what, the overdue list',
        description: 'Newest first. `overdue=true` is the overdue list; overdue custodies are announced (once each) before the answer.',
        querystring: CustodyListQuery,
        response: { 200: Page(CustodyOut), ...errorResponses },
      },
    },
    async (req) => {
      await sweepOverdue(ctx);
      const q = req.query;
      const { limit, offset } = pageOf(q);
      const { values, p } = params();
      const where: string[] = ['true'];
      if (q.assetId) where.push(`c.asset_id = ${p(q.assetId)}`);
      if (q.open !== undefined) where.push(`c.checked_in_at IS ${q.open ? '' : 'NOT '}NULL`);
      if (q.overdue !== undefined) where.push(`${q.overdue ? '' : 'NOT '}(c.checked_in_at IS NULL AND coalesce(c.expected_return_at < now(), false))`);
      if (q.holderUserId) where.push(`c.holder_user_id = ${p(q.holderUserId)}`);
      if (q.holderPersonId) where.push(`c.holder_person_id = ${p(q.holderPersonId)}`);
      if (q.holderLocationId) where.push(`c.holder_location_id = ${p(q.holderLocationId)}`);
      if (q.project) where.push(`c.project = ${p(q.project.trim())}`);
      if (q.bookingId) where.push(`c.booking_id = ${p(q.bookingId)}`);
      const order = q.overdue ? 'x.expected_return_at, x.id' : 'x.checked_out_at DESC, x.id';
      const rows = await db.execute<CustodyRow>(`SELECT x.*, count(*) OVER () AS total FROM (${CUSTODY_SELECT} WHERE ${where.join(' AND ')}) x ORDER BY ${order} LIMIT ${p(limit)} OFFSET ${p(offset)}`, values);
      return { data: rows.map(custodyView), total: rows.length ? Number(rows[0].total) : 0, limit, offset };
    },
  );

  app.get(
    '/assets/:id/custody',
    {
      config: { permission: permissions.assetRead },
      schema: {
        summary: "An asset's custody history, newest first",
        params: IdParams,
        querystring: Type.Object({ ...PageQuery }, { additionalProperties: false }),
        response: { 200: Page(CustodyOut), ...errorResponses },
      },
    },
    async (req) => {
      const { limit, offset } = pageOf(req.query);
      const [asset] = await db.execute<{ n: string }>(`SELECT (SELECT count(*) FROM fixed_assets_custody WHERE asset_id = a.id) AS n FROM fixed_assets_asset a WHERE a.id = $1`, [req.params.id]);
      if (!asset) throw problems.notFound('asset', req.params.id);
      const data = await custodyViews(db, `c.asset_id = $1`, [req.params.id, limit, offset], `ORDER BY c.checked_out_at DESC, c.id LIMIT $2 OFFSET $3`);
      return { data, total: Number(asset.n), limit, offset };
    },
  );

  app.get(
    '/custody/holders',
    {
      config: { permission: permissions.assetRead },
      schema: {
        summary: 'Who has what now',
        description: 'Every holder with open custodies, most assets first, with the assets they hold.',
        querystring: Type.Object({ type: Type.Optional(CustodyHolderType), ...PageQuery }, { additionalProperties: false }),
        response: {
          200: Page(Type.Object({ holder: HolderSchema, count: Type.Integer(), overdue: Type.Integer(), custodies: Type.Array(CustodyOut) })),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      await sweepOverdue(ctx);
      const { limit, offset } = pageOf(req.query);
      const rows = await db.execute<{ holder_type: string; holder_id: string | null; holder_label: string; n: string; overdue: string; total: string }>(
        `SELECT holder_type, holder_id, holder_label, count(*) AS n, count(*) FILTER (WHERE overdue) AS overdue, count(*) OVER () AS total
           FROM (${CUSTODY_SELECT} WHERE c.checked_in_at IS NULL AND ($1::text IS NULL OR c.holder_type = $1)) x
          GROUP BY holder_type, holder_id, holder_label ORDER BY count(*) DESC, holder_label LIMIT $2 OFFSET $3`,
        [req.query.type ?? null, limit, offset],
      );
      const custodies = rows.length
        ? await custodyViews(db, `c.checked_in_at IS NULL AND (c.holder_type, coalesce(coalesce(c.holder_user_id, c.holder_person_id, c.holder_location_id)::text, ''), coalesce(c.project, '')) IN (SELECT * FROM unnest($1::text[], $2::text[], $3::text[]))`, [
            rows.map((r) => r.holder_type),
            rows.map((r) => r.holder_id ?? ''),
            rows.map((r) => (r.holder_type === 'project' ? r.holder_label : '')),
          ], 'ORDER BY a.tag')
        : [];
      const key = (h: { type: string; id: string | null; label: string }) => `${h.type}|${h.id ?? ''}|${h.type === 'project' ? h.label : ''}`;
      return {
        data: rows.map((r) => {
          const holder = { type: r.holder_type as never, id: r.holder_id, label: r.holder_label };
          return { holder, count: Number(r.n), overdue: Number(r.overdue), custodies: custodies.filter((c) => key(c.holder) === key(holder)) };
        }),
        total: rows.length ? Number(rows[0].total) : 0,
        limit,
        offset,
      };
    },
  );
}
