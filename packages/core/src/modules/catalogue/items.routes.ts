import { Type } from '@sinclair/typebox';
import { problems, type PluginApp, type PluginContext, type Transaction } from '@quartermaster/sdk';
import { IdParams, Page, PageQuery, Uuid, assertNotBlank, errorResponses, iso, likePattern, pageOf, reader } from '../common.js';
import { categoriesByIds, categoryById, categorySchemas } from './categories.routes.js';
import { validateAttributes } from './attribute-schemas.js';
import { IdentifierAssigned, ItemCreated, ItemUpdated } from '../../events.js';
import { IDENTIFIER_TYPES } from '../../extension-points.js';
import { checkIdentifierValue, insertIdentifier } from '../identifiers/identifiers.routes.js';

export const ITEM_KINDS = ['stock', 'consumable', 'asset', 'service', 'kit'] as const;
export const TRACKING_MODES = ['none', 'lot', 'serial'] as const;
const lit = <T extends readonly string[]>(xs: T) => Type.Union(xs.map((x) => Type.Literal(x)));

const IdentifierRef = Type.Object({ id: Uuid, type: Type.String(), value: Type.String() });
export const ItemSchema = Type.Object({
  id: Uuid,
  name: Type.String(),
  description: Type.Union([Type.String(), Type.Null()]),
  categoryId: Type.Union([Uuid, Type.Null()]),
  category: Type.Union([Type.Object({ id: Uuid, name: Type.String(), path: Type.String() }), Type.Null()]),
  unitOfMeasure: Type.String(),
  kind: lit(ITEM_KINDS),
  trackingMode: lit(TRACKING_MODES),
  attributes: Type.Object({}, { additionalProperties: true }),
  archived: Type.Boolean(),
  identifiers: Type.Array(IdentifierRef),
  version: Type.Integer(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

const ItemFields = {
  name: Type.String({ minLength: 1, maxLength: 300 }),
  description: Type.Union([Type.String({ maxLength: 10000 }), Type.Null()]),
  categoryId: Type.Union([Uuid, Type.Null()]),
  unitOfMeasure: Type.String({ minLength: 1, maxLength: 20 }),
  kind: lit(ITEM_KINDS),
  trackingMode: lit(TRACKING_MODES),
  attributes: Type.Object({}, { additionalProperties: true }),
};
const CreateItem = Type.Object(
  {
    name: ItemFields.name,
    description: Type.Optional(ItemFields.description),
    categoryId: Type.Optional(ItemFields.categoryId),
    unitOfMeasure: Type.Optional(ItemFields.unitOfMeasure),
    kind: Type.Optional(ItemFields.kind),
    trackingMode: Type.Optional(ItemFields.trackingMode),
    attributes: Type.Optional(ItemFields.attributes),
    identifiers: Type.Optional(
      Type.Array(Type.Object({ type: lit(IDENTIFIER_TYPES), value: Type.String({ minLength: 1, maxLength: 500 }) }, { additionalProperties: false }), {
        maxItems: 50,
      }),
    ),
  },
  { additionalProperties: false },
);
const UpdateItem = Type.Object(
  {
    name: Type.Optional(ItemFields.name),
    description: Type.Optional(ItemFields.description),
    categoryId: Type.Optional(ItemFields.categoryId),
    unitOfMeasure: Type.Optional(ItemFields.unitOfMeasure),
    kind: Type.Optional(ItemFields.kind),
    trackingMode: Type.Optional(ItemFields.trackingMode),
    attributes: Type.Optional(ItemFields.attributes),
    archived: Type.Optional(Type.Boolean()),
    version: Type.Optional(Type.Integer({ minimum: 1, description: 'Send the version you read; a newer one on the server answers 409' })),
  },
  { additionalProperties: false },
);
const ListQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 200, description: 'Matches name, description and any identifier value' })),
    categoryId: Type.Optional(Uuid),
    archived: Type.Optional(Type.Boolean({ default: false })),
    kind: Type.Optional(lit(ITEM_KINDS)),
    ...PageQuery,
  },
  { additionalProperties: false },
);

interface ItemRow {
  id: string;
  name: string;
  description: string | null;
  category_id: string | null;
  unit_of_measure: string;
  kind: (typeof ITEM_KINDS)[number];
  tracking_mode: (typeof TRACKING_MODES)[number];
  attributes: Record<string, unknown>;
  archived: boolean;
  version: number;
  created_at: Date;
  updated_at: Date;
}

async function loadItems(tx: Pick<Transaction, 'execute'>, rows: ItemRow[]) {
  if (!rows.length) return [];
  const ids = rows.map((r) => r.id);
  const idents = await tx.execute<{ id: string; type: string; value: string; target_id: string }>(
    `SELECT id, type, value, target_id FROM core_identifier WHERE target_type = 'core.item' AND target_id = ANY($1::uuid[]) ORDER BY type, value`,
    [ids],
  );
  const categoryIds = [...new Set(rows.map((r) => r.category_id).filter(Boolean))] as string[];
  const categories = new Map((await categoriesByIds(tx, categoryIds)).map((c) => [c.id, { id: c.id, name: c.name, path: c.path }]));
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    description: r.description,
    categoryId: r.category_id,
    category: r.category_id ? categories.get(r.category_id) ?? null : null,
    unitOfMeasure: r.unit_of_measure,
    kind: r.kind,
    trackingMode: r.tracking_mode,
    attributes: r.attributes ?? {},
    archived: r.archived,
    identifiers: idents.filter((i) => i.target_id === r.id).map((i) => ({ id: i.id, type: i.type, value: i.value })),
    version: r.version,
    createdAt: iso(r.created_at)!,
    updatedAt: iso(r.updated_at)!,
  }));
}

export async function itemById(tx: Pick<Transaction, 'execute'>, id: string, lock = false) {
  const rows = await tx.execute<ItemRow>(`SELECT * FROM core_item WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
  return (await loadItems(tx, rows))[0] ?? null;
}

async function checkAttributes(tx: Transaction, categoryId: string | null, attributes: Record<string, unknown>) {
  if (!categoryId) return;
  // Shared with other item writes, exclusive with category changes: a schema cannot change between
  // this check and the commit (categories.routes.ts takes the same lock exclusively).
  await tx.execute(`SELECT pg_advisory_xact_lock_shared(hashtext('core.category.tree'))`);
  const category = await categoryById(tx, categoryId);
  if (!category) throw problems.validation([{ field: 'categoryId', message: 'no such category' }]);
  const errors = validateAttributes(attributes, await categorySchemas(tx, categoryId));
  if (errors.length) throw problems.validation(errors, `Attributes do not match category "${category.path}": ` + errors.map((e) => `${e.field} ${e.message}`).join('; '));
}

export async function itemRoutes(app: PluginApp, ctx: PluginContext) {
  app.get('/items', {
    config: { permission: 'core.items.read' },
    schema: { summary: 'Search items by text or any identifier', querystring: ListQuery, response: { 200: Page(ItemSchema), ...errorResponses } },
  }, async (req) => {
    const q = req.query;
    const { limit, offset } = pageOf(q);
    const where: string[] = ['i.archived = $1'];
    const params: unknown[] = [q.archived ?? false];
    if (q.categoryId) {
      params.push(q.categoryId);
      // The category and everything below it.
      where.push(`i.category_id IN (WITH RECURSIVE sub AS (SELECT id FROM core_category WHERE id = $${params.length}
        UNION ALL SELECT c.id FROM core_category c JOIN sub ON c.parent_id = sub.id) SELECT id FROM sub)`);
    }
    if (q.kind) {
      params.push(q.kind);
      where.push(`i.kind = $${params.length}`);
    }
    if (q.q?.trim()) {
      params.push(likePattern(q.q.trim().toLowerCase()), q.q.trim());
      const p = params.length;
      where.push(`(lower(i.name) LIKE $${p - 1} OR lower(coalesce(i.description, '')) LIKE $${p - 1}
        OR EXISTS (SELECT 1 FROM core_identifier x WHERE x.target_type = 'core.item' AND x.target_id = i.id AND (x.value = $${p} OR lower(x.value) LIKE $${p - 1})))`);
    }
    const db = reader(ctx);
    const whereSql = where.join(' AND ');
    const [{ count }] = await db.execute<{ count: string }>(`SELECT count(*) FROM core_item i WHERE ${whereSql}`, params);
    const rows = await db.execute<ItemRow>(
      `SELECT i.* FROM core_item i WHERE ${whereSql} ORDER BY lower(i.name), i.id LIMIT ${limit} OFFSET ${offset}`,
      params,
    );
    return { data: await loadItems(db, rows), total: Number(count), limit, offset };
  });

  app.get('/items/:id', {
    config: { permission: 'core.items.read' },
    schema: { params: IdParams, response: { 200: ItemSchema, ...errorResponses } },
  }, async (req) => {
    const item = await itemById(reader(ctx), req.params.id);
    if (!item) throw problems.notFound('item', req.params.id);
    return item;
  });

  app.post('/items', {
    config: { permission: 'core.items.write' },
    schema: { summary: 'Create an item, optionally with identifiers (SKU, GTIN…)', body: CreateItem, response: { 201: ItemSchema, ...errorResponses } },
  }, async (req, reply) => {
    const b = req.body;
    assertNotBlank({ name: b.name, unitOfMeasure: b.unitOfMeasure });
    const identifiers = (b.identifiers ?? []).map((ident, i) => ({ type: ident.type, value: checkIdentifierValue(ident.type, ident.value, `identifiers.${i}.value`) }));
    const item = await ctx.transaction(req.actor, async (tx) => {
      const attributes = b.attributes ?? {};
      await checkAttributes(tx, b.categoryId ?? null, attributes);
      const [row] = await tx.execute<{ id: string }>(
        `INSERT INTO core_item (name, description, category_id, unit_of_measure, kind, tracking_mode, attributes)
         VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb) RETURNING id`,
        [b.name.trim(), b.description ?? null, b.categoryId ?? null, b.unitOfMeasure ?? 'ea', b.kind ?? 'stock', b.trackingMode ?? 'none', JSON.stringify(attributes)],
      );
      // The item is announced before the identifiers that point at it.
      await tx.emit(ItemCreated, { id: row.id, name: b.name.trim(), kind: b.kind ?? 'stock', trackingMode: b.trackingMode ?? 'none' });
      const seen = new Set<string>();
      for (const [i, ident] of identifiers.entries()) {
        const value = ident.value;
        const key = ident.type + '\u0000' + value;
        if (seen.has(key)) throw problems.validation([{ field: `identifiers.${i}.value`, message: 'is listed twice' }]);
        seen.add(key);
        const idRow = await insertIdentifier(tx, { type: ident.type, value, targetType: 'core.item', targetId: row.id }, `identifiers.${i}.value`);
        await tx.emit(IdentifierAssigned, { id: idRow.id, type: ident.type, value, targetType: 'core.item', targetId: row.id });
      }
      const created = (await itemById(tx, row.id))!;
      await tx.audit({ action: 'created', entityType: 'core.item', entityId: row.id, after: created });
      return created;
    });
    return reply.status(201).send(item);
  });

  app.patch('/items/:id', {
    config: { permission: 'core.items.write' },
    schema: { summary: 'Change, archive or unarchive an item', params: IdParams, body: UpdateItem, response: { 200: ItemSchema, ...errorResponses } },
  }, async (req) => {
    const b = req.body;
    assertNotBlank({ name: b.name, unitOfMeasure: b.unitOfMeasure });
    return ctx.transaction(req.actor, async (tx) => {
      const before = await itemById(tx, req.params.id, true);
      if (!before) throw problems.notFound('item', req.params.id);
      if (b.version !== undefined && b.version !== before.version) {
        throw problems.conflict('stale-version', 'Item changed meanwhile', `You edited version ${b.version}, but the item is at version ${before.version}; reload and retry`, {
          currentVersion: before.version,
        });
      }
      const categoryId = b.categoryId !== undefined ? b.categoryId : before.categoryId;
      const attributes = b.attributes ?? before.attributes;
      if (b.categoryId !== undefined || b.attributes !== undefined) await checkAttributes(tx, categoryId, attributes);
      const sent: Record<string, unknown> = { ...b, ...(b.name !== undefined ? { name: b.name.trim() } : {}) };
      const changed = Object.keys(sent).filter((k) => k !== 'version' && JSON.stringify(sent[k]) !== JSON.stringify((before as Record<string, unknown>)[k]));
      if (!changed.length) return before;
      await tx.execute(
        `UPDATE core_item SET name = $2, description = $3, category_id = $4, unit_of_measure = $5, kind = $6, tracking_mode = $7,
           attributes = $8::jsonb, archived = $9, version = version + 1, updated_at = now() WHERE id = $1`,
        [
          before.id,
          b.name?.trim() ?? before.name,
          b.description !== undefined ? b.description : before.description,
          categoryId,
          b.unitOfMeasure ?? before.unitOfMeasure,
          b.kind ?? before.kind,
          b.trackingMode ?? before.trackingMode,
          JSON.stringify(attributes),
          b.archived ?? before.archived,
        ],
      );
      const after = (await itemById(tx, before.id))!;
      await tx.audit({ action: b.archived === true && !before.archived ? 'archived' : b.archived === false && before.archived ? 'unarchived' : 'updated', entityType: 'core.item', entityId: before.id, before, after });
      await tx.emit(ItemUpdated, { id: after.id, name: after.name, archived: after.archived, changed });
      return after;
    });
  });
}
