import { Type, problems, type PluginApp, type PluginContext, type Static } from '@quartermaster/sdk';
import { INITIAL_STATUSES, permissions } from '../../shared/index.js';
import type { FixedAssetsOptions } from '../options.js';
import { createAsset, updateAsset } from '../services/assets.service.js';
import { isoOf, likePattern, params, readerOf, subtreeCte } from '../services/db.js';
import { ASSET_SELECT, assetView, assetViews, type AssetRow } from '../services/views.js';
import { AssetDetailOut, AssetEventOut, AssetOut } from './outputs.js';
import { ConditionSchema, DecimalIn, IdParams, IsoDate, Nullable, Page, PageQuery, StatusSchema, Uuid, errorResponses, lit, pageOf } from './schemas.js';

const Currency = Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 code, e.g. EUR' });
const CustomFields = Type.Object({}, { additionalProperties: true, description: 'Values of the custom fields the category (and those above it) defines' });

/** Fields a person enters about an asset; every one may be left out (or null) and set later. */
const RegisterFields = {
  serialNumber: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
  itemId: Type.Optional(Nullable(Uuid)),
  categoryId: Type.Optional(Nullable(Uuid)),
  custodianUserId: Type.Optional(Nullable(Uuid)),
  custodianPersonId: Type.Optional(Nullable(Uuid)),
  department: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
  costCentre: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
  supplier: Type.Optional(Nullable(Type.String({ maxLength: 300 }))),
  purchaseDate: Type.Optional(Nullable(IsoDate)),
  invoiceNumber: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
  acquisitionCost: Type.Optional(Nullable(DecimalIn)),
  currency: Type.Optional(Currency),
  warrantyEnd: Type.Optional(Nullable(IsoDate)),
  condition: Type.Optional(ConditionSchema),
  notes: Type.Optional(Nullable(Type.String({ maxLength: 10_000 }))),
  customFields: Type.Optional(CustomFields),
  parentId: Type.Optional(Nullable(Uuid)),
};

export const CreateAssetBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 300 }),
    tag: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'Leave out to number it with the tag pattern' })),
    locationId: Type.Optional(Nullable(Uuid)),
    status: Type.Optional(lit(INITIAL_STATUSES)),
    ...RegisterFields,
  },
  { additionalProperties: false },
);

export const UpdateAssetBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
    tag: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    ...RegisterFields,
    version: Type.Optional(Type.Integer({ minimum: 1, description: 'Send the version you read; a newer one on the server answers 409' })),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const AssetListQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 200, description: 'Part of the tag, name, serial number, supplier or invoice number' })),
    status: Type.Optional(Type.Array(StatusSchema, { maxItems: 8, description: 'One or more statuses (repeat the parameter)' })),
    categoryId: Type.Optional(Uuid),
    locationId: Type.Optional(Uuid),
    custodianUserId: Type.Optional(Uuid),
    custodianPersonId: Type.Optional(Uuid),
    itemId: Type.Optional(Uuid),
    parentId: Type.Optional(Uuid),
    overdue: Type.Optional(Type.Boolean({ description: 'Only assets whose custody is past its expected return (or, false, only those that are not)' })),
    flaggedMissing: Type.Optional(Type.Boolean({ description: 'Only assets an audit flagged missing (or, false, only those it did not)' })),
    ...PageQuery,
  },
  { additionalProperties: false },
);

/**
 * The register's filters (GET /assets, GET /export/assets.csv) as SQL on `fixed_assets_asset a`:
 * common table expressions (`cats`, `locs`) and conditions; `p` adds a parameter.
 */
export function assetFilters(q: Omit<Static<typeof AssetListQuery>, 'limit' | 'offset'>, p: (v: unknown) => string): { ctes: string[]; where: string[] } {
  const ctes: string[] = [];
  const where: string[] = [];
  if (q.status?.length) where.push(`a.status = ANY(${p(q.status)}::text[])`);
  if (q.categoryId) {
    ctes.push(subtreeCte('core_category', `${p(q.categoryId)}::uuid`, 'cats'));
    where.push(`a.category_id IN (SELECT id FROM cats)`);
  }
  if (q.locationId) {
    ctes.push(subtreeCte('core_location', `${p(q.locationId)}::uuid`, 'locs'));
    where.push(`a.location_id IN (SELECT id FROM locs)`);
  }
  for (const [key, column, holder] of [['custodianUserId', 'custodian_user_id', 'holder_user_id'], ['custodianPersonId', 'custodian_person_id', 'holder_person_id']] as const) {
    if (!q[key]) continue;
    const v = p(q[key]);
    where.push(`(a.${column} = ${v} OR EXISTS (SELECT 1 FROM fixed_assets_custody c WHERE c.asset_id = a.id AND c.checked_in_at IS NULL AND c.${holder} = ${v}))`);
  }
  if (q.itemId) where.push(`a.item_id = ${p(q.itemId)}`);
  if (q.parentId) where.push(`a.parent_id = ${p(q.parentId)}`);
  if (q.overdue !== undefined) {
    where.push(`${q.overdue ? '' : 'NOT '}EXISTS (SELECT 1 FROM fixed_assets_custody c WHERE c.asset_id = a.id AND c.checked_in_at IS NULL AND c.expected_return_at < now())`);
  }
  if (q.flaggedMissing !== undefined) where.push(`a.flagged_missing_at IS ${q.flaggedMissing ? 'NOT ' : ''}NULL`);
  const text = q.q?.trim();
  if (text) {
    const like = p(likePattern(text.toLowerCase()));
    where.push(`(lower(a.tag) LIKE ${like} OR lower(a.name) LIKE ${like} OR lower(coalesce(a.serial_number, '')) LIKE ${like}
                 OR lower(coalesce(a.supplier, '')) LIKE ${like} OR lower(coalesce(a.invoice_number, '')) LIKE ${like})`);
  }
  return { ctes, where };
}

export function assetRoutes(app: PluginApp, ctx: PluginContext<any>, options: FixedAssetsOptions) {
  const db = readerOf(ctx);
  const minor = options.currencyMinorUnits;

  app.get(
    '/assets',
    {
      config: { permission: permissions.assetRead },
      schema: {
        summary: 'The asset register, filtered and paged',
        description:
          'Category and location filters include everything below them. The custodian filters match the register custodian and whoever holds the asset now.',
        querystring: AssetListQuery,
        response: { 200: Page(AssetOut), ...errorResponses },
      },
    },
    async (req) => {
      const q = req.query;
      const { limit, offset } = pageOf(q);
      const { values, p } = params();
      const { ctes, where } = assetFilters(q, p);
      const filtered = `${ctes.length ? `WITH RECURSIVE ${ctes.join(', ')} ` : ''}SELECT x.*, count(*) OVER () AS total FROM (${ASSET_SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}) x`;
      const filterValues = [...values];
      const rows = await db.execute<AssetRow>(`${filtered} ORDER BY x.tag LIMIT ${p(limit)} OFFSET ${p(offset)}`, values);
      let total = rows.length ? Number(rows[0].total) : 0;
      if (!rows.length && offset > 0) {
        // Paged past the end: the window count saw no rows, so count on its own.
        const [counted] = await db.execute<{ n: string }>(`SELECT count(*) AS n FROM (${filtered}) y`, filterValues);
        total = Number(counted.n);
      }
      return { data: await assetViews(db, rows, minor), total, limit, offset };
    },
  );

  app.post(
    '/assets',
    {
      config: { permission: permissions.assetWrite },
      schema: {
        summary: 'Register an asset',
        description:
          'Without a tag the asset is numbered with its category\'s tag pattern (or the plugin\'s). The tag is registered as a core identifier (`asset-tag`), so scanning it resolves to the asset. A component (`parentId`) is where its parent is.',
        body: CreateAssetBody,
        response: { 201: AssetOut, ...errorResponses },
      },
    },
    async (req, reply) => {
      const asset = await ctx.transaction(req.actor, async (tx) => assetView(tx, await createAsset(tx, req.body, options), minor));
      return reply.status(201).send(asset!);
    },
  );

  app.get(
    '/assets/:id',
    { config: { permission: permissions.assetRead }, schema: { summary: 'One asset with its components and open custody', params: IdParams, response: { 200: AssetDetailOut, ...errorResponses } } },
    async (req) => {
      const asset = await assetView(db, req.params.id, minor);
      if (!asset) throw problems.notFound('asset', req.params.id);
      const children = await db.execute<{ id: string; tag: string; name: string; status: string }>(`SELECT id, tag, name, status FROM fixed_assets_asset WHERE parent_id = $1 ORDER BY tag`, [asset.id]);
      return { ...asset, children: children as never };
    },
  );

  app.patch(
    '/assets/:id',
    {
      config: { permission: permissions.assetWrite },
      schema: {
        summary: 'Change register data',
        description: 'Status, location and custody change through their own actions. `customFields` replaces all values. Setting `parentId` moves the asset to its parent.',
        params: IdParams,
        body: UpdateAssetBody,
        response: { 200: AssetOut, ...errorResponses },
      },
    },
    async (req) => {
      return (await ctx.transaction(req.actor, async (tx) => {
        await updateAsset(tx, req.params.id, req.body, options);
        return assetView(tx, req.params.id, minor);
      }))!;
    },
  );

  app.get(
    '/assets/:id/history',
    {
      config: { permission: permissions.assetRead },
      schema: {
        summary: "The asset's history, newest first",
        description: 'Every status change (who, when, why, from → to) and every other event: created, updated, moved, booked, overdue…',
        params: IdParams,
        querystring: Type.Object({ ...PageQuery }, { additionalProperties: false }),
        response: { 200: Page(AssetEventOut), ...errorResponses },
      },
    },
    async (req) => {
      const { limit, offset } = pageOf(req.query);
      const [asset] = await db.execute<{ n: string }>(`SELECT (SELECT count(*) FROM fixed_assets_asset_event WHERE asset_id = a.id) AS n FROM fixed_assets_asset a WHERE a.id = $1`, [req.params.id]);
      if (!asset) throw problems.notFound('asset', req.params.id);
      const rows = await db.execute<Record<string, any>>(
        `SELECT e.id::text AS id, e.type, e.from_status, e.to_status, e.reason, e.data, e.actor_id, e.actor_label, e.occurred_at FROM fixed_assets_asset_event e
          WHERE e.asset_id = $1 ORDER BY e.id DESC LIMIT $2 OFFSET $3`,
        [req.params.id, limit, offset],
      );
      return {
        data: rows.map((r) => ({
          id: r.id,
          type: r.type,
          fromStatus: r.from_status,
          toStatus: r.to_status,
          reason: r.reason,
          data: r.data ?? {},
          actorId: r.actor_id,
          actor: r.actor_label,
          occurredAt: isoOf(r.occurred_at)!,
        })),
        total: Number(asset.n),
        limit,
        offset,
      };
    },
  );
}
