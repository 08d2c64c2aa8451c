/**
 * Trackers: devices that are GPS trackers (or have sent positions), the asset each is linked to,
 * their last position and the fences they are in; positions over a time range for playback, and
 * the trips in a range.
 */
import { ProblemError, Nullable, Type, Uuid, Instant, Page, PageQuery, errorResponses, pageOf, problems, type PluginApp, type PluginContext } from '@quartermaster/sdk';
import { readerOf, isoInstant, sqlParams } from '@quartermaster/core';
import { fixedAssetsService, type AssetSummary } from '@quartermaster/plugin-fixed-assets/shared';
import { TripError, segmentTrips } from '../../domain/index.js';
import { PositionOut, Tracker, TrackerAssetLinked, TripOut, permissions, type TrackerDto } from '../../shared/index.js';
import { positionDto } from '../services/runtime.js';

const DeviceParams = Type.Object({ deviceId: Uuid }, { additionalProperties: false });
const ListQuery = Type.Object({ q: Type.Optional(Type.String({ maxLength: 200 })), assetId: Type.Optional(Uuid), ...PageQuery }, { additionalProperties: false });
const LinkBody = Type.Object({ assetId: Nullable(Uuid) }, { additionalProperties: false });
const RangeQuery = Type.Object(
  {
    from: Type.Optional(Instant),
    to: Type.Optional(Instant),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50_000, default: 5_000 })),
  },
  { additionalProperties: false },
);
const TripsQuery = Type.Object(
  {
    from: Type.Optional(Instant),
    to: Type.Optional(Instant),
    minSpeedKnots: Type.Optional(Type.Number({ minimum: 0, maximum: 100, description: 'Reported speed above this is motion (default 1 kn)' })),
    minMoveM: Type.Optional(Type.Number({ minimum: 0, maximum: 10_000, description: 'Displacement above this is motion (default 50 m)' })),
    stopMinutes: Type.Optional(Type.Number({ minimum: 0, maximum: 1440, description: 'A stop this long ends a trip (default 5 min)' })),
  },
  { additionalProperties: false },
);

const DAY_MS = 86_400_000;
/** Trips are computed in memory from every position of the range: the range is bounded. */
const MAX_TRIP_RANGE_DAYS = 31;
const MAX_TRIP_POSITIONS = 500_000;

const TRACKERS_SQL = `
  SELECT d.id::text AS device_id, d.code, d.name, d.kind, d.adapter, d.status, d.last_seen_at,
         t.asset_id::text AS asset_id, t.last_at, t.last_latitude, t.last_longitude, t.last_speed_knots, t.last_course_deg,
         t.last_altitude_m, t.last_accuracy_m, t.last_battery,
         coalesce((SELECT jsonb_agg(jsonb_build_object('id', f.id, 'name', f.name, 'enteredAt', t.geofence_state->'inside'->f.id::text->>'enteredAt') ORDER BY f.name)
                     FROM gps_geofence f WHERE f.active AND t.geofence_state->'inside' ? f.id::text), '[]'::jsonb) AS inside
    FROM core_device d LEFT JOIN gps_tracker t ON t.device_id = d.id`;

/** The time range asked for, with defaults (the last 24 hours) and checks; throws 400s naming `from`/`to`. */
export function rangeOf(q: { from?: string; to?: string }, maxDays?: number): { from: string; to: string } {
  const to = q.to ? new Date(q.to) : new Date();
  const from = q.from ? new Date(q.from) : new Date(to.getTime() - DAY_MS);
  if (from.getTime() > to.getTime()) throw problems.validation([{ field: 'from', message: 'must not be after to' }]);
  if (maxDays !== undefined && to.getTime() - from.getTime() > maxDays * DAY_MS) {
    throw problems.validation([{ field: 'to', message: `the range may span at most ${maxDays} days` }]);
  }
  return { from: from.toISOString(), to: to.toISOString() };
}

export function trackerRoutes(app: PluginApp, ctx: PluginContext<any>) {
  const db = readerOf(ctx);
  const assets = () => ctx.services.getOptional(fixedAssetsService);

  async function trackerDtos(rows: Record<string, unknown>[]): Promise<TrackerDto[]> {
    const fa = assets();
    const linked = [...new Set(rows.map((r) => r.asset_id as string | null).filter((id): id is string => !!id))];
    const summaries = new Map<string, AssetSummary | null>();
    if (fa) await Promise.all(linked.map(async (id) => summaries.set(id, await fa.getAsset(id))));
    return rows.map((r) => {
      const a = r.asset_id ? summaries.get(r.asset_id as string) : null;
      return {
        deviceId: r.device_id as string,
        code: r.code as string,
        name: r.name as string,
        kind: r.kind as string,
        adapter: r.adapter as string,
        status: r.status as string,
        lastSeenAt: isoInstant(r.last_seen_at as Date | null),
        assetId: (r.asset_id as string | null) ?? null,
        asset: a ? { id: a.id, tag: a.tag, name: a.name, status: a.status, locationId: a.locationId } : null,
        lastPosition: r.last_at ? positionDto(r, 'last_') : null,
        insideFences: ((r.inside as { id: string; name: string; enteredAt: string }[]) ?? []).map((f) => ({ id: f.id, name: f.name, enteredAt: new Date(f.enteredAt).toISOString() })),
      };
    });
  }

  async function deviceOf(deviceId: string) {
    const [d] = await db.execute<{ id: string; code: string; kind: string; tracked: boolean }>(
      `SELECT d.id::text, d.code, d.kind, t.device_id IS NOT NULL AS tracked FROM core_device d LEFT JOIN gps_tracker t ON t.device_id = d.id WHERE d.id = $1`,
      [deviceId],
    );
    if (!d) throw problems.notFound('tracker', deviceId);
    return d;
  }

  app.get('/trackers', {
    schema: {
      summary: 'GPS trackers with their linked asset, last position and the fences they are in',
      description: 'Every device of kind gps-tracker, and any other device that has sent positions. `q` searches code and name.',
      querystring: ListQuery,
      response: { 200: Page(Tracker), ...errorResponses },
    },
    config: { permission: permissions.read },
    handler: async (req) => {
      const { limit, offset } = pageOf(req.query);
      const { values, p } = sqlParams();
      const where = [`(d.kind = 'gps-tracker' OR t.device_id IS NOT NULL)`];
      if (req.query.q) {
        const like = p(`%${req.query.q.trim().toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
        where.push(`(lower(d.code) LIKE ${like} OR lower(d.name) LIKE ${like})`);
      }
      if (req.query.assetId) where.push(`t.asset_id = ${p(req.query.assetId)}`);
      const rows = await db.execute<Record<string, unknown>>(`${TRACKERS_SQL} WHERE ${where.join(' AND ')} ORDER BY lower(d.code) LIMIT ${p(limit)} OFFSET ${p(offset)}`, values);
      const [{ n }] = await db.execute<{ n: number }>(
        `SELECT count(*)::int AS n FROM core_device d LEFT JOIN gps_tracker t ON t.device_id = d.id WHERE ${where.join(' AND ')}`,
        values.slice(0, values.length - 2),
      );
      return { data: await trackerDtos(rows), total: n, limit, offset };
    },
  });

  app.get('/trackers/:deviceId', {
    schema: { summary: 'One tracker', params: DeviceParams, response: { 200: Tracker, ...errorResponses } },
    config: { permission: permissions.read },
    handler: async (req) => {
      const rows = await db.execute<Record<string, unknown>>(`${TRACKERS_SQL} WHERE d.id = $1`, [req.params.deviceId]);
      if (!rows.length) throw problems.notFound('tracker', req.params.deviceId);
      return (await trackerDtos(rows))[0];
    },
  });

  app.put('/trackers/:deviceId/asset', {
    schema: {
      summary: 'Link a tracker to a fixed asset (or unlink it with null)',
      description:
        'A linked asset moves to a site when its tracker enters the site\'s geofence, and its leaving a site outside working hours is announced. Linking needs the fixed-assets plugin (422 `gps/fixed-assets-not-enabled` without it); unlinking always works.',
      params: DeviceParams,
      body: LinkBody,
      response: { 200: Tracker, ...errorResponses },
    },
    config: { permission: permissions.manage },
    handler: async (req) => {
      const { deviceId } = req.params;
      const { assetId } = req.body;
      const device = await deviceOf(deviceId);
      if (device.kind !== 'gps-tracker' && !device.tracked) {
        throw new ProblemError({
          type: 'gps/not-a-tracker',
          status: 422,
          title: 'Not a tracker',
          detail: `Device ${device.code} is a ${device.kind} and has never sent a position; register GPS trackers with kind gps-tracker`,
        });
      }
      if (assetId !== null) {
        const fa = assets();
        if (!fa) {
          throw new ProblemError({
            type: 'gps/fixed-assets-not-enabled',
            status: 422,
            title: 'Fixed assets not enabled',
            detail: 'Trackers can be linked to assets only when the fixed-assets plugin is enabled; enable it in the profile, or unlink with assetId null',
          });
        }
        if (!(await fa.getAsset(assetId))) throw problems.validation([{ field: 'assetId', message: 'no such asset' }]);
      }
      await ctx.transaction(req.actor, async (tx) => {
        const [before] = await tx.execute<{ asset_id: string | null }>(
          `INSERT INTO gps_tracker AS t (device_id) VALUES ($1) ON CONFLICT (device_id) DO UPDATE SET device_id = t.device_id RETURNING asset_id::text`,
          [deviceId],
        );
        const previous = before.asset_id ?? null;
        if (previous === assetId) return;
        await tx.execute(`UPDATE gps_tracker SET asset_id = $2, updated_at = now() WHERE device_id = $1`, [deviceId, assetId]);
        await tx.audit({ action: assetId ? 'asset-linked' : 'asset-unlinked', entityType: 'gps.tracker', entityId: deviceId, before: { assetId: previous }, after: { assetId } });
        await tx.emit(TrackerAssetLinked, { deviceId, deviceCode: device.code, assetId, previousAssetId: previous });
      });
      const rows = await db.execute<Record<string, unknown>>(`${TRACKERS_SQL} WHERE d.id = $1`, [deviceId]);
      return (await trackerDtos(rows))[0];
    },
  });

  app.get('/trackers/:deviceId/positions', {
    schema: {
      summary: "A tracker's positions in a time range, oldest first (for playback)",
      description: 'Default range: the 24 hours up to `to` (default now). At most `limit` positions (default 5,000); `truncated` says more were in the range — ask again from the last one.',
      params: DeviceParams,
      querystring: RangeQuery,
      response: {
        200: Type.Object({ deviceId: Uuid, from: Instant, to: Instant, positions: Type.Array(PositionOut), truncated: Type.Boolean() }),
        ...errorResponses,
      },
    },
    config: { permission: permissions.read },
    handler: async (req) => {
      await deviceOf(req.params.deviceId);
      const { from, to } = rangeOf(req.query);
      const limit = req.query.limit ?? 5_000;
      const rows = await db.execute<Record<string, unknown>>(
        `SELECT at, latitude, longitude, speed_knots, course_deg, altitude_m, accuracy_m, battery, valid
           FROM gps_position WHERE device_id = $1 AND at >= $2 AND at <= $3 ORDER BY at LIMIT $4`,
        [req.params.deviceId, from, to, limit + 1],
      );
      const truncated = rows.length > limit;
      return { deviceId: req.params.deviceId, from, to, positions: rows.slice(0, limit).map((r) => positionDto(r)), truncated };
    },
  });

  app.get('/trackers/:deviceId/trips', {
    schema: {
      summary: "A tracker's trips in a time range",
      description: `Trips separated by stops, from the valid positions of the range (default: the last 24 hours; at most ${MAX_TRIP_RANGE_DAYS} days). A trip still going at the end of the range has complete = false.`,
      params: DeviceParams,
      querystring: TripsQuery,
      response: { 200: Type.Object({ deviceId: Uuid, from: Instant, to: Instant, trips: Type.Array(TripOut) }), ...errorResponses },
    },
    config: { permission: permissions.read },
    handler: async (req) => {
      await deviceOf(req.params.deviceId);
      const { from, to } = rangeOf(req.query, MAX_TRIP_RANGE_DAYS);
      const rows = await db.execute<Record<string, unknown>>(
        `SELECT at, latitude, longitude, speed_knots FROM gps_position WHERE device_id = $1 AND at >= $2 AND at <= $3 AND valid ORDER BY at LIMIT $4`,
        [req.params.deviceId, from, to, MAX_TRIP_POSITIONS + 1],
      );
      if (rows.length > MAX_TRIP_POSITIONS) {
        throw new ProblemError({ type: 'gps/range-too-large', status: 422, title: 'Too many positions', detail: `The range holds more than ${MAX_TRIP_POSITIONS} positions; ask for a shorter one` });
      }
      const positions = rows.map((r) => ({
        at: isoInstant(r.at as Date)!,
        latitude: Number(r.latitude),
        longitude: Number(r.longitude),
        ...(r.speed_knots === null ? {} : { speedKnots: Number(r.speed_knots) }),
      }));
      let trips;
      try {
        trips = segmentTrips(positions, { minSpeedKnots: req.query.minSpeedKnots, minMoveM: req.query.minMoveM, stopMinutes: req.query.stopMinutes });
      } catch (error) {
        if (error instanceof TripError) throw problems.validation([{ field: '(query)', message: error.message }]);
        throw error;
      }
      const end = (p: { at: string; latitude: number; longitude: number }) => ({ at: p.at, latitude: p.latitude, longitude: p.longitude });
      return {
        deviceId: req.params.deviceId,
        from,
        to,
        trips: trips.map((t) => ({
          startAt: t.startAt,
          endAt: t.endAt,
          start: end(t.start),
          end: end(t.end),
          durationSeconds: t.durationSeconds,
          distanceM: t.distanceM,
          maxSpeedKnots: t.maxSpeedKnots,
          averageSpeedKnots: t.averageSpeedKnots,
          positionCount: t.positionCount,
          complete: t.complete,
        })),
      };
    },
  });
}
