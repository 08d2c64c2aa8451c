/**
 * Geofences: circles and polygons, optionally a site (`locationId`: linked assets whose trackers
 * enter it move there), with a dwell time and working hours (leaving outside them is announced
 * for linked assets). Every change bumps the fence revision, so every instance reloads its index.
 */
import { Nullable, Type, Uuid, IdParams, Page, PageQuery, errorResponses, lit, pageOf, problems, type PluginApp, type PluginContext, type Transaction } from '@quartermaster/sdk';
import { readerOf, sqlParams } from '@quartermaster/core';
import type { WorkingHours } from '../../domain/index.js';
import { FENCE_KINDS, Geofence, GeofenceCreated, GeofenceDeleted, GeofenceUpdated, GeometryIn, WorkingHoursSchema, permissions, type FenceKind } from '../../shared/index.js';
import { FENCE_SQL, checkGeometry, checkWorkingHours, fenceDto, type GeometryInput } from '../services/fences.js';
import { bumpFenceRevision, type GpsRuntime } from '../services/runtime.js';

const MAX_DWELL_SECONDS = 31 * 86_400;
const Name = Type.String({ minLength: 1, maxLength: 200 });
const DwellSeconds = Nullable(Type.Integer({ minimum: 0, maximum: MAX_DWELL_SECONDS }));

const CreateBody = Type.Object(
  {
    name: Name,
    kind: lit(FENCE_KINDS),
    geometry: GeometryIn,
    dwellSeconds: Type.Optional(DwellSeconds),
    locationId: Type.Optional(Nullable(Uuid)),
    afterHours: Type.Optional(Nullable(WorkingHoursSchema)),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
const UpdateBody = Type.Object(
  {
    name: Type.Optional(Name),
    kind: Type.Optional(lit(FENCE_KINDS)),
    geometry: Type.Optional(GeometryIn),
    dwellSeconds: Type.Optional(DwellSeconds),
    locationId: Type.Optional(Nullable(Uuid)),
    afterHours: Type.Optional(Nullable(WorkingHoursSchema)),
    active: Type.Optional(Type.Boolean()),
    version: Type.Optional(Type.Integer({ minimum: 1, description: 'The version you edited; a newer one answers 409' })),
  },
  { additionalProperties: false },
);
const ListQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 200 })),
    active: Type.Optional(Type.Boolean()),
    locationId: Type.Optional(Uuid),
    ...PageQuery,
  },
  { additionalProperties: false },
);

function nameOf(name: string): string {
  const trimmed = name.trim();
  if (!trimmed) throw problems.validation([{ field: 'name', message: 'must not be blank' }]);
  return trimmed;
}

async function checkLocation(tx: Pick<Transaction, 'execute'>, locationId: string | null | undefined) {
  if (!locationId) return;
  const [l] = await tx.execute<{ archived: boolean }>(`SELECT archived FROM core_location WHERE id = $1`, [locationId]);
  if (!l) throw problems.validation([{ field: 'locationId', message: 'no such location' }]);
  if (l.archived) throw problems.validation([{ field: 'locationId', message: 'the location is archived' }]);
}

function nameTaken(err: unknown, name: string): never {
  if ((err as { code?: string }).code === '23505') throw problems.conflict('gps/geofence-name-taken', 'Geofence name taken', `Another geofence is already called "${name}"`);
  throw err;
}

export function geofenceRoutes(app: PluginApp, ctx: PluginContext<any>, rt: GpsRuntime) {
  const db = readerOf(ctx);

  async function load(tx: Pick<Transaction, 'execute'>, id: string, lock = false) {
    const [row] = await tx.execute<Record<string, unknown>>(`${FENCE_SQL} WHERE f.id = $1${lock ? ' FOR UPDATE OF f' : ''}`, [id]);
    if (!row) throw problems.notFound('geofence', id);
    return row;
  }

  app.get('/geofences', {
    schema: { summary: 'Geofences', querystring: ListQuery, response: { 200: Page(Geofence), ...errorResponses } },
    config: { permission: permissions.read },
    handler: async (req) => {
      const { limit, offset } = pageOf(req.query);
      const { values, p } = sqlParams();
      const where: string[] = [];
      if (req.query.q) where.push(`lower(f.name) LIKE ${p(`%${req.query.q.trim().toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`)}`);
      if (req.query.active !== undefined) where.push(`f.active = ${p(req.query.active)}`);
      if (req.query.locationId) where.push(`f.location_id = ${p(req.query.locationId)}`);
      const cond = where.length ? `WHERE ${where.join(' AND ')}` : '';
      const [{ n }] = await db.execute<{ n: number }>(`SELECT count(*)::int AS n FROM gps_geofence f ${cond}`, values);
      const rows = await db.execute<Record<string, unknown>>(`${FENCE_SQL} ${cond} ORDER BY lower(f.name) LIMIT ${p(limit)} OFFSET ${p(offset)}`, values);
      return { data: rows.map(fenceDto), total: n, limit, offset };
    },
  });

  app.get('/geofences/:id', {
    schema: { summary: 'One geofence', params: IdParams, response: { 200: Geofence, ...errorResponses } },
    config: { permission: permissions.read },
    handler: async (req) => fenceDto(await load(db, req.params.id)),
  });

  app.post('/geofences', {
    schema: {
      summary: 'Create a geofence',
      description:
        'A circle `{ "center": { "latitude", "longitude" }, "radiusM" }` or a polygon `{ "rings": [[[lon, lat], …], …] }` (GeoJSON order, outer ring first, then holes; at least 3 distinct points, not self-intersecting, not crossing the antimeridian). A bad geometry is 400 naming the member, e.g. `geometry.rings.0.3`.',
      body: CreateBody,
      response: { 201: Geofence, ...errorResponses },
    },
    config: { permission: permissions.manage },
    handler: async (req, reply) => {
      const b = req.body;
      const name = nameOf(b.name);
      const { stored } = checkGeometry(b.kind, b.geometry as GeometryInput);
      const afterHours = b.afterHours ? checkWorkingHours(b.afterHours as WorkingHours) : null;
      const row = await ctx.transaction(req.actor, async (tx) => {
        await checkLocation(tx, b.locationId);
        const [created] = await tx
          .execute<{ id: string }>(
            `INSERT INTO gps_geofence (name, kind, geometry, dwell_seconds, location_id, after_hours, active) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id::text`,
            [name, b.kind, JSON.stringify(stored), b.dwellSeconds ?? null, b.locationId ?? null, afterHours ? JSON.stringify(afterHours) : null, b.active ?? true],
          )
          .catch((err) => nameTaken(err, name));
        await bumpFenceRevision(tx);
        await tx.audit({ action: 'created', entityType: 'gps.geofence', entityId: created.id, after: { name, kind: b.kind, geometry: stored, dwellSeconds: b.dwellSeconds ?? null, locationId: b.locationId ?? null, afterHours, active: b.active ?? true } });
        await tx.emit(GeofenceCreated, { id: created.id, name, kind: b.kind, locationId: b.locationId ?? null });
        return load(tx, created.id);
      });
      rt.fences.invalidate();
      return reply.code(201).send(fenceDto(row));
    },
  });

  app.patch('/geofences/:id', {
    schema: {
      summary: 'Change a geofence',
      description: 'Changing the kind needs the new geometry too. Deactivating a fence (active false) forgets who is inside it, without exit events.',
      params: IdParams,
      body: UpdateBody,
      response: { 200: Geofence, ...errorResponses },
    },
    config: { permission: permissions.manage },
    handler: async (req) => {
      const b = req.body;
      const name = b.name !== undefined ? nameOf(b.name) : undefined;
      const afterHours = b.afterHours ? checkWorkingHours(b.afterHours as WorkingHours) : b.afterHours;
      const row = await ctx.transaction(req.actor, async (tx) => {
        const before = await load(tx, req.params.id, true);
        if (b.version !== undefined && b.version !== before.version) {
          throw problems.conflict('stale-version', 'Geofence changed meanwhile', `You edited version ${b.version}, but the geofence is at version ${before.version}`, { currentVersion: before.version });
        }
        const kind = (b.kind ?? before.kind) as FenceKind;
        const geometry = b.geometry !== undefined ? checkGeometry(kind, b.geometry as GeometryInput, req.params.id).stored : undefined;
        if (b.kind !== undefined && b.kind !== before.kind && b.geometry === undefined) throw problems.validation([{ field: 'geometry', message: 'is required when the kind changes' }]);
        if (b.locationId !== undefined) await checkLocation(tx, b.locationId);
        const changes: Record<string, unknown> = {};
        if (name !== undefined && name !== before.name) changes.name = name;
        if (b.kind !== undefined && b.kind !== before.kind) changes.kind = b.kind;
        if (geometry !== undefined && JSON.stringify(geometry) !== JSON.stringify(before.geometry)) changes.geometry = geometry;
        if (b.dwellSeconds !== undefined && b.dwellSeconds !== before.dwell_seconds) changes.dwellSeconds = b.dwellSeconds;
        if (b.locationId !== undefined && b.locationId !== before.location_id) changes.locationId = b.locationId;
        if (afterHours !== undefined && JSON.stringify(afterHours) !== JSON.stringify(before.after_hours)) changes.afterHours = afterHours;
        if (b.active !== undefined && b.active !== before.active) changes.active = b.active;
        const changed = Object.keys(changes);
        if (!changed.length) return before;
        await tx
          .execute(
            `UPDATE gps_geofence SET
               name = CASE WHEN $2 THEN $3 ELSE name END,
               kind = CASE WHEN $4 THEN $5 ELSE kind END,
               geometry = CASE WHEN $6 THEN $7::jsonb ELSE geometry END,
               dwell_seconds = CASE WHEN $8 THEN $9::int ELSE dwell_seconds END,
               location_id = CASE WHEN $10 THEN $11::uuid ELSE location_id END,
               after_hours = CASE WHEN $12 THEN $13::jsonb ELSE after_hours END,
               active = CASE WHEN $14 THEN $15::bool ELSE active END,
               version = version + 1, updated_at = now()
             WHERE id = $1`,
            [
              req.params.id,
              'name' in changes,
              changes.name ?? null,
              'kind' in changes,
              changes.kind ?? null,
              'geometry' in changes,
              'geometry' in changes ? JSON.stringify(changes.geometry) : null,
              'dwellSeconds' in changes,
              changes.dwellSeconds ?? null,
              'locationId' in changes,
              changes.locationId ?? null,
              'afterHours' in changes,
              changes.afterHours ? JSON.stringify(changes.afterHours) : null,
              'active' in changes,
              changes.active ?? null,
            ],
          )
          .catch((err) => nameTaken(err, name ?? String(before.name)));
        await bumpFenceRevision(tx);
        const before_: Record<string, unknown> = {
          name: before.name,
          kind: before.kind,
          geometry: before.geometry,
          dwellSeconds: before.dwell_seconds,
          locationId: before.location_id,
          afterHours: before.after_hours,
          active: before.active,
        };
        await tx.audit({ action: 'updated', entityType: 'gps.geofence', entityId: req.params.id, before: Object.fromEntries(changed.map((k) => [k, before_[k]])), after: changes });
        await tx.emit(GeofenceUpdated, { id: req.params.id, name: (changes.name as string | undefined) ?? (before.name as string), changed });
        return load(tx, req.params.id);
      });
      rt.fences.invalidate();
      return fenceDto(row);
    },
  });

  app.delete('/geofences/:id', {
    schema: {
      summary: 'Delete a geofence',
      description: 'Trackers inside it are forgotten without exit events; its past events are kept (with its name).',
      params: IdParams,
      response: { 204: Type.Null(), ...errorResponses },
    },
    config: { permission: permissions.manage },
    handler: async (req, reply) => {
      await ctx.transaction(req.actor, async (tx) => {
        const before = await load(tx, req.params.id, true);
        await tx.execute(`DELETE FROM gps_geofence WHERE id = $1`, [req.params.id]);
        await bumpFenceRevision(tx);
        await tx.audit({ action: 'deleted', entityType: 'gps.geofence', entityId: req.params.id, before: fenceDto(before) });
        await tx.emit(GeofenceDeleted, { id: req.params.id, name: before.name as string });
      });
      rt.fences.invalidate();
      return reply.code(204).send(null);
    },
  });
}
