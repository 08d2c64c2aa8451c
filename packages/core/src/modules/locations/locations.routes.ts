import { Type, type Static } from '@sinclair/typebox';
import { problems, type PluginApp, type PluginContext, type Transaction } from '@quartermaster/sdk';
import { IdParams, Page, PageQuery, Uuid, ancestry, assertNotBlank, errorResponses, iso, likePattern, pageOf, reader } from '../common.js';
import { LocationCreated, LocationUpdated } from '../../events.js';

export const LOCATION_TYPES = ['site', 'building', 'zone', 'aisle', 'rack', 'shelf', 'bin', 'area', 'room', 'vehicle', 'other'] as const;
const LocationType = Type.Union(LOCATION_TYPES.map((t) => Type.Literal(t)));
const Nullable = <T extends import('@sinclair/typebox').TSchema>(t: T) => Type.Union([t, Type.Null()]);

const LocationBase = {
  id: Uuid,
  name: Type.String(),
  code: Nullable(Type.String()),
  type: LocationType,
  parentId: Nullable(Uuid),
  path: Type.String({ description: 'Names from the site down, joined with " / "' }),
  depth: Type.Integer(),
  archived: Type.Boolean(),
};
export const LocationSummary = Type.Object(LocationBase);
export const LocationDetail = Type.Object({
  ...LocationBase,
  address: Nullable(Type.String()),
  latitude: Nullable(Type.Number()),
  longitude: Nullable(Type.Number()),
  ancestors: Type.Array(Type.Object({ id: Uuid, name: Type.String(), type: LocationType })),
  version: Type.Integer(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});
const TreeNode = Type.Recursive((Self) =>
  Type.Object({ id: Uuid, name: Type.String(), code: Nullable(Type.String()), type: LocationType, parentId: Nullable(Uuid), path: Type.String(), archived: Type.Boolean(), children: Type.Array(Self) }),
  { $id: 'LocationTreeNode' },
);

const Fields = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  type: LocationType,
  parentId: Nullable(Uuid),
  code: Nullable(Type.String({ maxLength: 50 })),
  address: Nullable(Type.String({ maxLength: 1000 })),
  latitude: Nullable(Type.Number({ minimum: -90, maximum: 90 })),
  longitude: Nullable(Type.Number({ minimum: -180, maximum: 180 })),
};
const CreateLocation = Type.Object(
  {
    name: Fields.name,
    type: Fields.type,
    parentId: Type.Optional(Fields.parentId),
    code: Type.Optional(Fields.code),
    address: Type.Optional(Fields.address),
    latitude: Type.Optional(Fields.latitude),
    longitude: Type.Optional(Fields.longitude),
  },
  { additionalProperties: false },
);
const UpdateLocation = Type.Object(
  {
    name: Type.Optional(Fields.name),
    type: Type.Optional(Fields.type),
    parentId: Type.Optional(Fields.parentId),
    code: Type.Optional(Fields.code),
    address: Type.Optional(Fields.address),
    latitude: Type.Optional(Fields.latitude),
    longitude: Type.Optional(Fields.longitude),
    archived: Type.Optional(Type.Boolean()),
    version: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false },
);

/** Every location with its path from the root, computed from parent links so a move never breaks references. */
export const LOCATION_TREE_SQL = `
  WITH RECURSIVE tree AS (
    SELECT l.*, l.name::text AS path, 0 AS depth, ARRAY[l.id] AS ids FROM core_location l WHERE l.parent_id IS NULL
    UNION ALL
    SELECT l.*, tree.path || ' / ' || l.name, tree.depth + 1, tree.ids || l.id FROM core_location l JOIN tree ON l.parent_id = tree.id
  )`;

interface LocationRow {
  id: string;
  parent_id: string | null;
  name: string;
  code: string | null;
  type: (typeof LOCATION_TYPES)[number];
  address: string | null;
  latitude: string | null;
  longitude: string | null;
  archived: boolean;
  version: number;
  created_at: Date;
  updated_at: Date;
  path: string;
  depth: number;
  ids: string[];
}

const summary = (r: LocationRow) => ({
  id: r.id,
  name: r.name,
  code: r.code,
  type: r.type,
  parentId: r.parent_id,
  path: r.path,
  depth: r.depth,
  archived: r.archived,
});

export async function locationById(tx: Pick<Transaction, 'execute'>, id: string): Promise<Static<typeof LocationDetail> | null> {
  const [r] = await tx.execute<LocationRow>(`SELECT l.*, a.path, a.depth, a.ids FROM core_location l JOIN ${ancestry('core_location', '$1')} a ON a.id = l.id`, [[id]]);
  if (!r) return null;
  const ancestors = r.ids.length > 1
    ? await tx.execute<{ id: string; name: string; type: LocationRow['type'] }>(
        `SELECT l.id, l.name, l.type FROM unnest($1::uuid[]) WITH ORDINALITY u(id, ord) JOIN core_location l ON l.id = u.id ORDER BY u.ord`,
        [r.ids.slice(0, -1)],
      )
    : [];
  return {
    ...summary(r),
    address: r.address,
    latitude: r.latitude === null ? null : Number(r.latitude),
    longitude: r.longitude === null ? null : Number(r.longitude),
    ancestors,
    version: r.version,
    createdAt: iso(r.created_at)!,
    updatedAt: iso(r.updated_at)!,
  };
}

export async function locationRoutes(app: PluginApp, ctx: PluginContext) {
  app.get('/locations/tree', {
    config: { permission: 'core.locations.read' },
    schema: {
      summary: 'The location hierarchy as a tree',
      querystring: Type.Object({ archived: Type.Optional(Type.Boolean({ default: false })) }, { additionalProperties: false }),
      response: { 200: Type.Array(TreeNode), ...errorResponses },
    },
  }, async (req) => {
    const rows = await reader(ctx).execute<LocationRow>(
      `${LOCATION_TREE_SQL} SELECT * FROM tree ${req.query.archived ? '' : 'WHERE NOT archived'} ORDER BY depth, lower(name)`,
    );
    type Node = ReturnType<typeof summary> & { children: Node[] };
    const nodes = new Map<string, Node>();
    const roots: Node[] = [];
    for (const r of rows) {
      const { depth: _d, ...rest } = summary(r);
      const node = { ...rest, children: [] } as unknown as Node;
      nodes.set(r.id, node);
      const parent = r.parent_id ? nodes.get(r.parent_id) : undefined;
      if (parent) parent.children.push(node);
      else if (!r.parent_id) roots.push(node);
    }
    return roots;
  });

  app.get('/locations', {
    config: { permission: 'core.locations.read' },
    schema: {
      summary: 'Flat list of locations with their full paths',
      querystring: Type.Object(
        {
          q: Type.Optional(Type.String({ maxLength: 200, description: 'Matches name, code or path' })),
          parentId: Type.Optional(Uuid),
          type: Type.Optional(LocationType),
          archived: Type.Optional(Type.Boolean({ default: false })),
          ...PageQuery,
        },
        { additionalProperties: false },
      ),
      response: { 200: Page(LocationSummary), ...errorResponses },
    },
  }, async (req) => {
    const q = req.query;
    const { limit, offset } = pageOf(q);
    const where = ['archived = $1'];
    const params: unknown[] = [q.archived ?? false];
    if (q.parentId) {
      params.push(q.parentId);
      where.push(`parent_id = $${params.length}`);
    }
    if (q.type) {
      params.push(q.type);
      where.push(`type = $${params.length}`);
    }
    if (q.q?.trim()) {
      params.push(likePattern(q.q.trim().toLowerCase()));
      where.push(`(lower(path) LIKE $${params.length} OR lower(coalesce(code, '')) LIKE $${params.length})`);
    }
    const db = reader(ctx);
    const rows = await db.execute<LocationRow & { total: string }>(
      `${LOCATION_TREE_SQL} SELECT *, count(*) OVER () AS total FROM tree WHERE ${where.join(' AND ')} ORDER BY lower(path) LIMIT ${limit} OFFSET ${offset}`,
      params,
    );
    let total = rows.length ? Number(rows[0].total) : 0;
    if (!rows.length && offset > 0) {
      const [c] = await db.execute<{ n: string }>(`${LOCATION_TREE_SQL} SELECT count(*) AS n FROM tree WHERE ${where.join(' AND ')}`, params);
      total = Number(c.n);
    }
    return { data: rows.map(summary), total, limit, offset };
  });

  app.get('/locations/:id', {
    config: { permission: 'core.locations.read' },
    schema: { params: IdParams, response: { 200: LocationDetail, ...errorResponses } },
  }, async (req) => {
    const loc = await locationById(reader(ctx), req.params.id);
    if (!loc) throw problems.notFound('location', req.params.id);
    return loc;
  });

  app.post('/locations', {
    config: { permission: 'core.locations.write' },
    schema: { summary: 'Create a site, or a place inside another location', body: CreateLocation, response: { 201: LocationDetail, ...errorResponses } },
  }, async (req, reply) => {
    const b = req.body;
    assertNotBlank({ name: b.name });
    const created = await ctx.transaction(req.actor, async (tx) => {
      // Same lock as moves and renames: the sibling-name check below then cannot race.
      await tx.execute(`SELECT pg_advisory_xact_lock(hashtext('core.location.tree'))`);
      if (b.parentId) {
        const [parent] = await tx.execute<{ archived: boolean }>(`SELECT archived FROM core_location WHERE id = $1 FOR SHARE`, [b.parentId]);
        if (!parent) throw problems.validation([{ field: 'parentId', message: 'no such location' }]);
        if (parent.archived) throw problems.validation([{ field: 'parentId', message: 'is archived' }]);
      }
      await assertNameFree(tx, b.parentId ?? null, b.name.trim(), null);
      const [row] = await tx.execute<{ id: string }>(
        `INSERT INTO core_location (name, type, parent_id, code, address, latitude, longitude) VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING id`,
        [b.name.trim(), b.type, b.parentId ?? null, b.code ?? null, b.address ?? null, b.latitude ?? null, b.longitude ?? null],
      );
      const loc = (await locationById(tx, row.id))!;
      await tx.audit({ action: 'created', entityType: 'core.location', entityId: row.id, after: loc });
      await tx.emit(LocationCreated, { id: row.id, name: loc.name, type: loc.type, parentId: loc.parentId });
      return loc;
    });
    return reply.status(201).send(created);
  });

  app.patch('/locations/:id', {
    config: { permission: 'core.locations.write' },
    schema: {
      summary: 'Rename, move (parentId), re-type or archive a location; references by id stay valid',
      params: IdParams,
      body: UpdateLocation,
      response: { 200: LocationDetail, ...errorResponses },
    },
  }, async (req) => {
    const b = req.body;
    assertNotBlank({ name: b.name });
    return ctx.transaction(req.actor, async (tx) => {
      // Serialise structural changes so two concurrent moves cannot build a cycle.
      await tx.execute(`SELECT pg_advisory_xact_lock(hashtext('core.location.tree'))`);
      const [locked] = await tx.execute(`SELECT id FROM core_location WHERE id = $1 FOR UPDATE`, [req.params.id]);
      if (!locked) throw problems.notFound('location', req.params.id);
      const before = (await locationById(tx, req.params.id))!;
      if (b.version !== undefined && b.version !== before.version) {
        throw problems.conflict('stale-version', 'Location changed meanwhile', `You edited version ${b.version}, but the location is at version ${before.version}`, {
          currentVersion: before.version,
        });
      }
      const moved = b.parentId !== undefined && b.parentId !== before.parentId;
      if (moved && b.parentId) {
        const [target] = await tx.execute<{ ids: string[]; path: string; archived: boolean }>(
          `SELECT a.ids, a.path, l.archived FROM core_location l JOIN ${ancestry('core_location', '$1')} a ON a.id = l.id`,
          [[b.parentId]],
        );
        if (!target) throw problems.validation([{ field: 'parentId', message: 'no such location' }]);
        if (target.archived) throw problems.validation([{ field: 'parentId', message: 'is archived' }]);
        if (target.ids.includes(before.id)) {
          throw problems.conflict('location-cycle', 'Cannot move a location inside itself', `"${target.path}" is "${before.path}" or lies inside it`, {
            field: 'parentId',
          });
        }
      }
      const parentId = b.parentId !== undefined ? b.parentId : before.parentId;
      const name = b.name?.trim() ?? before.name;
      if (moved || name.toLowerCase() !== before.name.toLowerCase()) await assertNameFree(tx, parentId, name, before.id);
      if (b.archived === true && !before.archived) {
        const [child] = await tx.execute(`SELECT 1 FROM core_location WHERE parent_id = $1 AND NOT archived LIMIT 1`, [before.id]);
        if (child) throw problems.conflict('location-has-children', 'Location still has active children', 'Archive or move the locations inside it first');
      }
      const next = {
        name,
        type: b.type ?? before.type,
        parentId,
        code: b.code !== undefined ? b.code : before.code,
        address: b.address !== undefined ? b.address : before.address,
        latitude: b.latitude !== undefined ? b.latitude : before.latitude,
        longitude: b.longitude !== undefined ? b.longitude : before.longitude,
        archived: b.archived ?? before.archived,
      };
      // Nothing to change: no new version, no audit entry, no event (as for items).
      if ((Object.keys(next) as (keyof typeof next)[]).every((k) => next[k] === before[k])) return before;
      await tx.execute(
        `UPDATE core_location SET name = $2, type = $3, parent_id = $4, code = $5, address = $6, latitude = $7, longitude = $8, archived = $9,
           version = version + 1, updated_at = now() WHERE id = $1`,
        [before.id, next.name, next.type, next.parentId, next.code, next.address, next.latitude, next.longitude, next.archived],
      );
      const after = (await locationById(tx, before.id))!;
      const action = moved ? 'moved' : after.archived !== before.archived ? (after.archived ? 'archived' : 'unarchived') : 'updated';
      await tx.audit({ action, entityType: 'core.location', entityId: before.id, before, after });
      await tx.emit(LocationUpdated, { id: after.id, name: after.name, parentId: after.parentId, moved });
      return after;
    });
  });
}

async function assertNameFree(tx: Pick<Transaction, 'execute'>, parentId: string | null, name: string, self: string | null) {
  const [dup] = await tx.execute<{ id: string }>(
    `SELECT id FROM core_location WHERE parent_id IS NOT DISTINCT FROM $1 AND lower(name) = lower($2) AND id IS DISTINCT FROM $3`,
    [parentId, name, self],
  );
  if (dup) {
    throw problems.conflict('location-name-taken', 'Name already used here', `Another location named "${name}" already exists in the same place`, {
      field: 'name',
      existingId: dup.id,
    });
  }
}
