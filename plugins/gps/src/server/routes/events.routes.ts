/**
 * Geofence events as stored (who crossed which fence when), the position retention, and the
 * plugin's status (the NMEA TCP listener's address, the fences in memory).
 */
import { Nullable, Type, Uuid, Instant, Page, PageQuery, errorResponses, lit, pageOf, type PluginApp, type PluginContext } from '@quartermaster/sdk';
import { readerOf, isoInstant, sqlParams } from '@quartermaster/core';
import { GEOFENCE_EVENT_TYPES, GeofenceEventOut, permissions } from '../../shared/index.js';
import type { GpsRuntime } from '../services/runtime.js';
import { rangeOf } from './trackers.routes.js';

const EventsQuery = Type.Object(
  {
    trackerId: Type.Optional(Uuid),
    fenceId: Type.Optional(Uuid),
    type: Type.Optional(lit(GEOFENCE_EVENT_TYPES)),
    from: Type.Optional(Instant),
    to: Type.Optional(Instant),
    ...PageQuery,
  },
  { additionalProperties: false },
);
const NoQuery = Type.Object({}, { additionalProperties: false });

export function eventRoutes(app: PluginApp, ctx: PluginContext<any>, rt: GpsRuntime) {
  const db = readerOf(ctx);

  app.get('/events', {
    schema: {
      summary: 'Geofence events (entered, exited, dwelled), newest first',
      description: '`trackerId` is the tracker\'s device id. Without `from`/`to`, all times.',
      querystring: EventsQuery,
      response: { 200: Page(GeofenceEventOut), ...errorResponses },
    },
    config: { permission: permissions.read },
    handler: async (req) => {
      const q = req.query;
      const { limit, offset } = pageOf(q);
      const { values, p } = sqlParams();
      const where: string[] = [];
      if (q.trackerId) where.push(`e.device_id = ${p(q.trackerId)}`);
      if (q.fenceId) where.push(`e.fence_id = ${p(q.fenceId)}`);
      if (q.type) where.push(`e.type = ${p(q.type)}`);
      if (q.from || q.to) {
        const { from, to } = rangeOf({ from: q.from ?? '1970-01-01T00:00:00Z', to: q.to });
        where.push(`e.at >= ${p(from)}`, `e.at <= ${p(to)}`);
      }
      const cond = where.length ? `WHERE ${where.join(' AND ')}` : '';
      const [{ n }] = await db.execute<{ n: number }>(`SELECT count(*)::int AS n FROM gps_geofence_event e ${cond}`, values);
      const rows = await db.execute<Record<string, unknown>>(
        `SELECT e.id::text AS id, e.type, e.device_id::text AS device_id, e.fence_id::text AS fence_id, e.fence_name, e.at, e.entered_at,
                e.latitude, e.longitude, e.asset_id::text AS asset_id, e.after_hours, d.code AS device_code
           FROM gps_geofence_event e LEFT JOIN core_device d ON d.id = e.device_id ${cond}
          ORDER BY e.at DESC, e.id DESC LIMIT ${p(limit)} OFFSET ${p(offset)}`,
        values,
      );
      return {
        data: rows.map((r) => ({
          id: r.id as string,
          type: r.type as (typeof GEOFENCE_EVENT_TYPES)[number],
          deviceId: r.device_id as string,
          deviceCode: (r.device_code as string | null) ?? null,
          fenceId: r.fence_id as string,
          fenceName: r.fence_name as string,
          at: isoInstant(r.at as Date)!,
          enteredAt: isoInstant(r.entered_at as Date)!,
          latitude: Number(r.latitude),
          longitude: Number(r.longitude),
          assetId: (r.asset_id as string | null) ?? null,
          afterHours: r.after_hours as boolean,
        })),
        total: n,
        limit,
        offset,
      };
    },
  });

  app.post('/positions/prune', {
    schema: {
      summary: 'Delete positions older than the retention period now (it also runs every hour)',
      description: 'The retention is the plugin option `positionRetentionDays` (default 180), counted by fix time. Geofence events are kept.',
      querystring: NoQuery,
      response: { 200: Type.Object({ deleted: Type.Integer(), before: Instant, retentionDays: Type.Integer() }), ...errorResponses },
    },
    config: { permission: permissions.manage },
    handler: async (req) => rt.prune(req.actor),
  });

  app.get('/status', {
    schema: {
      summary: 'The GPS plugin at run time: NMEA TCP listener, fences in memory, retention, the console map\'s tile server',
      querystring: NoQuery,
      response: {
        200: Type.Object({
          nmeaTcp: Type.Object({ enabled: Type.Boolean(), host: Nullable(Type.String()), port: Nullable(Type.Integer()), connections: Type.Integer() }),
          fencesLoaded: Type.Integer({ description: 'Active fences in this instance\'s index (0 until the first position was processed)' }),
          positionRetentionDays: Type.Integer(),
          map: Type.Object(
            {
              tileUrl: Nullable(Type.String({ description: 'Tile URL template for the console map (plugin option map.tileUrl); null: no tiles, the map works offline' })),
              attribution: Nullable(Type.String()),
            },
            { description: 'The console map\'s background' },
          ),
        }),
        ...errorResponses,
      },
    },
    config: { permission: permissions.read },
    handler: async () => {
      const addr = rt.tcp?.address() ?? null;
      return {
        nmeaTcp: { enabled: rt.options.nmeaTcp.enabled, host: addr?.host ?? null, port: addr?.port ?? null, connections: rt.tcp?.connections() ?? 0 },
        fencesLoaded: rt.fences.size,
        positionRetentionDays: rt.options.positionRetentionDays,
        map: { tileUrl: rt.options.map.tileUrl || null, attribution: rt.options.map.attribution || null },
      };
    },
  });
}
