import { Type } from '@sinclair/typebox';
import { problems, type PluginApp, type PluginContext, type Transaction } from '@quartermaster/sdk';
import { IdParams, Uuid, ancestry, assertNotBlank, errorResponses, reader } from '../common.js';
import { assertValidAttributeSchema, validateAttributes } from './attribute-schemas.js';
import { CategoryCreated, CategoryUpdated } from '../../events.js';

export const CategorySchema = Type.Object({
  id: Uuid,
  name: Type.String(),
  parentId: Type.Union([Uuid, Type.Null()]),
  path: Type.String(),
  attributeSchema: Type.Union([Type.Object({}, { additionalProperties: true }), Type.Null()]),
});

const CategoryBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    parentId: Type.Optional(Type.Union([Uuid, Type.Null()])),
    attributeSchema: Type.Optional(Type.Union([Type.Object({}, { additionalProperties: true }), Type.Null()])),
  },
  { additionalProperties: false },
);

const CATEGORY_TREE_SQL = `
  WITH RECURSIVE tree AS (
    SELECT id, parent_id, name, attribute_schema, name::text AS path, ARRAY[id] AS ids
      FROM core_category WHERE parent_id IS NULL
    UNION ALL
    SELECT c.id, c.parent_id, c.name, c.attribute_schema, tree.path || ' / ' || c.name, tree.ids || c.id
      FROM core_category c JOIN tree ON c.parent_id = tree.id
  )`;

interface CategoryRow {
  id: string;
  parent_id: string | null;
  name: string;
  attribute_schema: Record<string, unknown> | null;
  path: string;
}

const toCategory = (r: CategoryRow) => ({ id: r.id, name: r.name, parentId: r.parent_id, path: r.path, attributeSchema: r.attribute_schema });

export async function categoriesByIds(tx: Pick<Transaction, 'execute'>, ids: string[]) {
  if (!ids.length) return [];
  const rows = await tx.execute<CategoryRow>(
    `SELECT c.id, c.parent_id, c.name, c.attribute_schema, a.path FROM core_category c JOIN ${ancestry('core_category', '$1')} a ON a.id = c.id`,
    [ids],
  );
  return rows.map(toCategory);
}

export async function categoryById(tx: Pick<Transaction, 'execute'>, id: string) {
  return (await categoriesByIds(tx, [id]))[0] ?? null;
}

/** Attribute schemas from the root of the category's path down to the category itself. */
export async function categorySchemas(tx: Pick<Transaction, 'execute'>, id: string): Promise<unknown[]> {
  const rows = await tx.execute<{ attribute_schema: unknown }>(
    `SELECT c.attribute_schema FROM ${ancestry('core_category', '$1')} a, unnest(a.ids) WITH ORDINALITY AS u(cid, ord)
       JOIN core_category c ON c.id = u.cid ORDER BY u.ord`,
    [[id]],
  );
  return rows.map((r) => r.attribute_schema);
}

async function assertCategoryNameFree(tx: Pick<Transaction, 'execute'>, parentId: string | null, name: string, self: string | null) {
  const [dup] = await tx.execute<{ id: string }>(
    `SELECT id FROM core_category WHERE parent_id IS NOT DISTINCT FROM $1 AND lower(name) = lower($2) AND id IS DISTINCT FROM $3`,
    [parentId, name, self],
  );
  if (dup) {
    throw problems.conflict('category-name-taken', 'Name already used here', `Another category named "${name}" already exists in the same place`, {
      field: 'name',
      existingId: dup.id,
    });
  }
}

export async function categoryRoutes(app: PluginApp, ctx: PluginContext) {
  const read = (sql: string, params: unknown[] = []) => reader(ctx).execute<CategoryRow>(sql, params);

  app.get('/categories', {
    config: { permission: 'core.items.read' },
    schema: { summary: 'All item categories, flat and sorted by path', response: { 200: Type.Array(CategorySchema), ...errorResponses } },
  }, async () => (await read(`${CATEGORY_TREE_SQL} SELECT * FROM tree ORDER BY lower(path)`)).map(toCategory));

  app.get('/categories/:id', {
    config: { permission: 'core.items.read' },
    schema: { params: IdParams, response: { 200: CategorySchema, ...errorResponses } },
  }, async (req) => {
    const category = await categoryById(reader(ctx), req.params.id);
    if (!category) throw problems.notFound('category', req.params.id);
    return category;
  });

  app.post('/categories', {
    config: { permission: 'core.items.write' },
    schema: { body: CategoryBody, response: { 201: CategorySchema, ...errorResponses } },
  }, async (req, reply) => {
    const body = req.body;
    assertNotBlank({ name: body.name });
    assertValidAttributeSchema(body.attributeSchema);
    const created = await ctx.transaction(req.actor, async (tx) => {
      await tx.execute(`SELECT pg_advisory_xact_lock(hashtext('core.category.tree'))`);
      if (body.parentId && !(await categoryById(tx, body.parentId))) {
        throw problems.validation([{ field: 'parentId', message: 'no such category' }]);
      }
      await assertCategoryNameFree(tx, body.parentId ?? null, body.name.trim(), null);
      const [row] = await tx.execute<{ id: string }>(
        `INSERT INTO core_category (name, parent_id, attribute_schema) VALUES ($1, $2, $3::jsonb) RETURNING id`,
        [body.name.trim(), body.parentId ?? null, body.attributeSchema ? JSON.stringify(body.attributeSchema) : null],
      );
      const category = (await categoryById(tx, row.id))!;
      await tx.audit({ action: 'created', entityType: 'core.category', entityId: row.id, after: category });
      await tx.emit(CategoryCreated, { id: row.id, name: category.name, parentId: category.parentId });
      return category;
    });
    return reply.status(201).send(created);
  });

  app.patch('/categories/:id', {
    config: { permission: 'core.items.write' },
    schema: { params: IdParams, body: Type.Partial(CategoryBody, { additionalProperties: false }), response: { 200: CategorySchema, ...errorResponses } },
  }, async (req) => {
    const body = req.body;
    assertNotBlank({ name: body.name });
    if (body.attributeSchema !== undefined) assertValidAttributeSchema(body.attributeSchema);
    return ctx.transaction(req.actor, async (tx) => {
      // Serialise structural changes so two concurrent moves cannot build a cycle (or deadlock) and names cannot race.
      await tx.execute(`SELECT pg_advisory_xact_lock(hashtext('core.category.tree'))`);
      const [locked] = await tx.execute(`SELECT id FROM core_category WHERE id = $1 FOR UPDATE`, [req.params.id]);
      if (!locked) throw problems.notFound('category', req.params.id);
      const before = (await categoryById(tx, req.params.id))!;
      if (body.parentId) {
        const [cycle] = await tx.execute(
          `SELECT 1 FROM ${ancestry('core_category', '$1')} a WHERE $2 = ANY(a.ids)`,
          [[body.parentId], req.params.id],
        );
        if (cycle) {
          throw problems.conflict('category-cycle', 'Cannot move a category under itself', 'The new parent is this category or one of its descendants', {
            field: 'parentId',
          });
        }
        if (!(await categoryById(tx, body.parentId))) throw problems.validation([{ field: 'parentId', message: 'no such category' }]);
      }
      if (body.name !== undefined || body.parentId !== undefined) {
        await assertCategoryNameFree(tx, body.parentId !== undefined ? body.parentId : before.parentId, body.name?.trim() ?? before.name, before.id);
      }
      await tx.execute(
        `UPDATE core_category SET
           name = COALESCE($2, name),
           parent_id = CASE WHEN $3::boolean THEN $4::uuid ELSE parent_id END,
           attribute_schema = CASE WHEN $5::boolean THEN $6::jsonb ELSE attribute_schema END,
           updated_at = now()
         WHERE id = $1`,
        [
          req.params.id,
          body.name?.trim() ?? null,
          body.parentId !== undefined,
          body.parentId ?? null,
          body.attributeSchema !== undefined,
          body.attributeSchema ? JSON.stringify(body.attributeSchema) : null,
        ],
      );
      if (body.attributeSchema !== undefined || (body.parentId !== undefined && body.parentId !== before.parentId)) {
        await assertItemsStillFit(tx, req.params.id);
      }
      const after = (await categoryById(tx, req.params.id))!;
      await tx.audit({ action: 'updated', entityType: 'core.category', entityId: req.params.id, before, after });
      await tx.emit(CategoryUpdated, { id: after.id, name: after.name, parentId: after.parentId });
      return after;
    });
  });
}

/**
 * A new schema, or a move under a parent with its own schema, must not leave existing items in the
 * subtree with attributes that no longer validate: refuse the change and say which items and why.
 */
async function assertItemsStillFit(tx: Pick<Transaction, 'execute'>, categoryId: string) {
  const subtree = await tx.execute<{ id: string }>(
    `WITH RECURSIVE sub AS (SELECT id FROM core_category WHERE id = $1 UNION ALL SELECT c.id FROM core_category c JOIN sub ON c.parent_id = sub.id)
     SELECT id FROM sub`,
    [categoryId],
  );
  const offenders: { id: string; name: string; errors: { field: string; message: string }[] }[] = [];
  let count = 0;
  for (const { id } of subtree) {
    const schemas = await categorySchemas(tx, id);
    if (!schemas.some(Boolean)) continue;
    const items = await tx.execute<{ id: string; name: string; attributes: Record<string, unknown> }>(
      `SELECT id, name, attributes FROM core_item WHERE category_id = $1 ORDER BY lower(name)`,
      [id],
    );
    for (const item of items) {
      const errors = validateAttributes(item.attributes ?? {}, schemas);
      if (!errors.length) continue;
      count++;
      if (offenders.length < 20) offenders.push({ id: item.id, name: item.name, errors });
    }
  }
  if (count) {
    throw problems.conflict(
      'attributes-do-not-fit',
      'Existing items do not fit the new attribute schema',
      `${count} item${count === 1 ? '' : 's'} would no longer match, e.g. "${offenders[0].name}": ${offenders[0].errors.map((e) => `${e.field} ${e.message}`).join('; ')}. Fix them first.`,
      { field: 'attributeSchema', count, items: offenders },
    );
  }
}
