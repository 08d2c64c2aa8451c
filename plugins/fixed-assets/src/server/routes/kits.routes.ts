import { Type, problems, type FieldError, type PluginApp, type PluginContext, type Transaction } from '@quartermaster/sdk';
import { permissions } from '../../shared/index.js';
import { isoOf, likePattern, readerOf, type Db } from '../services/db.js';
import { KitOut } from './outputs.js';
import { IdParams, Nullable, Page, PageQuery, Uuid, clean, errorResponses, pageOf } from './schemas.js';

const AssetIds = Type.Array(Uuid, { maxItems: 200, description: 'The assets in the kit (replaces the list)' });
export const CreateKitBody = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 200 }), description: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))), assetIds: Type.Optional(AssetIds) },
  { additionalProperties: false },
);
export const UpdateKitBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    description: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
    assetIds: Type.Optional(AssetIds),
    version: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false, minProperties: 1 },
);

const KIT_SELECT = `
  SELECT k.*, (SELECT coalesce(json_agg(json_build_object('id', a.id, 'tag', a.tag, 'name', a.name, 'status', a.status) ORDER BY a.tag), '[]')
                 FROM fixed_assets_kit_asset ka JOIN fixed_assets_asset a ON a.id = ka.asset_id WHERE ka.kit_id = k.id) AS assets
    FROM fixed_assets_kit k`;

const kitView = (r: Record<string, any>) => ({
  id: r.id,
  name: r.name,
  description: r.description,
  assets: r.assets,
  version: r.version,
  createdAt: isoOf(r.created_at)!,
  updatedAt: isoOf(r.updated_at)!,
});
const kitById = async (db: Db, id: string) => (await db.execute<Record<string, any>>(`${KIT_SELECT} WHERE k.id = $1`, [id])).map(kitView)[0];

const nameTaken = (name: string) => problems.conflict('fixed-assets/kit-name-taken', 'Kit name taken', `A kit named "${name}" exists`, { field: 'name' });

/** Kit members: existing, not disposed of, each once. */
async function checkMembers(tx: Transaction, assetIds: string[]): Promise<void> {
  const errors: FieldError[] = [];
  const rows = await tx.execute<{ id: string; tag: string; status: string }>(`SELECT id, tag, status FROM fixed_assets_asset WHERE id = ANY($1::uuid[]) FOR SHARE`, [assetIds]);
  const found = new Map(rows.map((r) => [r.id, r]));
  assetIds.forEach((id, i) => {
    const a = found.get(id);
    if (assetIds.indexOf(id) !== i) errors.push({ field: `assetIds.${i}`, message: `is listed twice (assetIds.${assetIds.indexOf(id)})` });
    else if (!a) errors.push({ field: `assetIds.${i}`, message: 'no such asset' });
    else if (a.status === 'disposed') errors.push({ field: `assetIds.${i}`, message: `${a.tag} was disposed of` });
  });
  if (errors.length) throw problems.validation(errors);
}

export function kitRoutes(app: PluginApp, ctx: PluginContext<any>) {
  const db = readerOf(ctx);

  app.get(
    '/kits',
    {
      config: { permission: permissions.assetRead },
      schema: { summary: 'Kits: named sets of assets booked and lent together', querystring: Type.Object({ q: Type.Optional(Type.String({ maxLength: 200 })), ...PageQuery }, { additionalProperties: false }), response: { 200: Page(KitOut), ...errorResponses } },
    },
    async (req) => {
      const { limit, offset } = pageOf(req.query);
      const q = req.query.q?.trim();
      const rows = await db.execute<Record<string, any>>(
        `SELECT x.*, count(*) OVER () AS total FROM (${KIT_SELECT} WHERE ($1::text IS NULL OR lower(k.name) LIKE $1)) x ORDER BY lower(x.name) LIMIT $2 OFFSET $3`,
        [q ? likePattern(q.toLowerCase()) : null, limit, offset],
      );
      return { data: rows.map(kitView), total: rows.length ? Number(rows[0].total) : 0, limit, offset };
    },
  );

  app.post(
    '/kits',
    { config: { permission: permissions.assetWrite }, schema: { summary: 'Make a kit', body: CreateKitBody, response: { 201: KitOut, ...errorResponses } } },
    async (req, reply) => {
      const b = req.body;
      const name = b.name.trim();
      if (!name) throw problems.validation([{ field: 'name', message: 'must not be blank' }]);
      const kit = await ctx.transaction(req.actor, async (tx) => {
        const assetIds = b.assetIds ?? [];
        await checkMembers(tx, assetIds);
        const [row] = await tx.execute<{ id: string }>(`INSERT INTO fixed_assets_kit (name, description) VALUES ($1, $2) ON CONFLICT (lower(name)) DO NOTHING RETURNING id`, [name, clean(b.description)]);
        if (!row) throw nameTaken(name);
        await tx.execute(`INSERT INTO fixed_assets_kit_asset (kit_id, asset_id) SELECT $1, unnest($2::uuid[])`, [row.id, assetIds]);
        await tx.audit({ action: 'created', entityType: 'fixed-assets.kit', entityId: row.id, after: { name, description: clean(b.description), assetIds } });
        return kitById(tx, row.id);
      });
      return reply.status(201).send(kit);
    },
  );

  app.get(
    '/kits/:id',
    { config: { permission: permissions.assetRead }, schema: { summary: 'One kit', params: IdParams, response: { 200: KitOut, ...errorResponses } } },
    async (req) => {
      const kit = await kitById(db, req.params.id);
      if (!kit) throw problems.notFound('kit', req.params.id);
      return kit;
    },
  );

  app.patch(
    '/kits/:id',
    { config: { permission: permissions.assetWrite }, schema: { summary: 'Rename a kit or change what is in it', params: IdParams, body: UpdateKitBody, response: { 200: KitOut, ...errorResponses } } },
    async (req) => {
      const b = req.body;
      if (b.name !== undefined && !b.name.trim()) throw problems.validation([{ field: 'name', message: 'must not be blank' }]);
      return ctx.transaction(req.actor, async (tx) => {
        const before = (await tx.execute<Record<string, any>>(`${KIT_SELECT} WHERE k.id = $1 FOR UPDATE OF k`, [req.params.id])).map(kitView)[0];
        if (!before) throw problems.notFound('kit', req.params.id);
        if (b.version !== undefined && b.version !== before.version) {
          throw problems.conflict('stale-version', 'Kit changed meanwhile', `You edited version ${b.version}, but the kit is at version ${before.version}`, { currentVersion: before.version });
        }
        const name = b.name?.trim() ?? before.name;
        const description = b.description !== undefined ? clean(b.description) : before.description;
        if (b.assetIds) await checkMembers(tx, b.assetIds);
        if (name.toLowerCase() !== before.name.toLowerCase()) {
          const [other] = await tx.execute(`SELECT 1 FROM fixed_assets_kit WHERE lower(name) = lower($1) AND id <> $2`, [name, before.id]);
          if (other) throw nameTaken(name);
        }
        await tx.execute(`UPDATE fixed_assets_kit SET name = $2, description = $3, version = version + 1, updated_at = now() WHERE id = $1`, [before.id, name, description]);
        if (b.assetIds) {
          await tx.execute(`DELETE FROM fixed_assets_kit_asset WHERE kit_id = $1`, [before.id]);
          await tx.execute(`INSERT INTO fixed_assets_kit_asset (kit_id, asset_id) SELECT $1, unnest($2::uuid[])`, [before.id, b.assetIds]);
        }
        const after = (await kitById(tx, before.id))!;
        await tx.audit({ action: 'updated', entityType: 'fixed-assets.kit', entityId: before.id, before, after });
        return after;
      });
    },
  );
}
