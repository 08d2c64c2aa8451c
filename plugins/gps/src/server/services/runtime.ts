/**
 * What one running platform's GPS plugin keeps: its options, the fence cache, the positions
 * consumer, the NMEA TCP listener and the prune timer. Made once, in phase 2, by the `gpsService`
 * factory, so the consumer registered in phase 1 and the routes share it.
 */
import { readerOf, isoInstant, type Db } from '@quartermaster/core';
import { SYSTEM_ACTOR } from '@quartermaster/core';
import type { Actor, PluginContext } from '@quartermaster/sdk';
import { PositionsPruned, type GpsService, type PositionDto, type TrackerLocation } from '../../shared/index.js';
import { resolvedOptions, type GpsOptions } from '../options.js';
import { FenceCache } from './fences.js';
import { createPositionsConsumer } from './positions.consumer.js';
import type { NmeaTcpListener } from './nmea-tcp.js';

export const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** A `gps_position` row (or a tracker's `last_*` columns, with `prefix` = `last_`) as the API shows it. */
export function positionDto(r: Record<string, unknown>, prefix = ''): PositionDto {
  return {
    at: isoInstant(r[`${prefix}at`] as Date)!,
    latitude: Number(r[`${prefix}latitude`]),
    longitude: Number(r[`${prefix}longitude`]),
    speedKnots: num(r[`${prefix}speed_knots`]),
    courseDeg: num(r[`${prefix}course_deg`]),
    altitudeM: num(r[`${prefix}altitude_m`]),
    accuracyM: num(r[`${prefix}accuracy_m`]),
    battery: num(r[`${prefix}battery`]),
    valid: prefix ? true : (r.valid as boolean),
  };
}

export interface GpsRuntime {
  ctx: PluginContext<any>;
  options: GpsOptions;
  fences: FenceCache;
  consumer: ReturnType<typeof createPositionsConsumer>;
  service: GpsService;
  tcp: NmeaTcpListener | null;
  pruneTimer?: NodeJS.Timeout;
  /** Delete positions older than the retention period; audited and announced when it deleted any. */
  prune(actor?: Actor): Promise<{ deleted: number; before: string; retentionDays: number }>;
}

/** Every fence change bumps the revision in the same transaction, so other instances reload too. */
export async function bumpFenceRevision(tx: Db): Promise<void> {
  await tx.execute(`UPDATE gps_fence_revision SET revision = revision + 1`);
}

export function createGpsRuntime(ctx: PluginContext<any>): GpsRuntime {
  const options = resolvedOptions(ctx.options as Partial<GpsOptions>);
  const fences = new FenceCache(ctx.log);
  const db = readerOf(ctx);

  async function trackerLocations(where: string, param: string): Promise<TrackerLocation[]> {
    const rows = await db.execute<Record<string, unknown>>(
      `SELECT t.*, ARRAY(SELECT f.id::text FROM gps_geofence f WHERE f.active AND t.geofence_state->'inside' ? f.id::text ORDER BY f.id) AS inside
         FROM gps_tracker t WHERE ${where} ORDER BY t.device_id`,
      [param],
    );
    return rows.map((r) => ({
      deviceId: r.device_id as string,
      assetId: (r.asset_id as string | null) ?? null,
      lastPosition: r.last_at ? positionDto(r, 'last_') : null,
      insideFenceIds: (r.inside as string[]) ?? [],
    }));
  }

  const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  const service: GpsService = {
    async trackerLocation(deviceId) {
      if (!UUID.test(deviceId)) return null;
      return (await trackerLocations('t.device_id = $1', deviceId))[0] ?? null;
    },
    async trackersOfAsset(assetId) {
      if (!UUID.test(assetId)) return [];
      return trackerLocations('t.asset_id = $1', assetId);
    },
  };

  const runtime: GpsRuntime = {
    ctx,
    options,
    fences,
    consumer: createPositionsConsumer(ctx, options, fences),
    service,
    tcp: null,
    async prune(actor = SYSTEM_ACTOR) {
      const retentionDays = options.positionRetentionDays;
      const before = new Date(Date.now() - retentionDays * 86_400_000).toISOString();
      let deleted = 0;
      // In slices, so a long backlog never holds one huge transaction (or its locks) open.
      for (;;) {
        const n = await ctx.transaction(actor, async (tx) => {
          const [{ n }] = await tx.execute<{ n: number }>(
            `WITH old AS (SELECT device_id, at FROM gps_position WHERE at < $1 LIMIT 10000),
                  gone AS (DELETE FROM gps_position p USING old WHERE p.device_id = old.device_id AND p.at = old.at RETURNING 1)
             SELECT count(*)::int AS n FROM gone`,
            [before],
          );
          if (n > 0) {
            await tx.audit({ action: 'pruned', entityType: 'gps.position', entityId: before, after: { deleted: n, before, retentionDays } });
            await tx.emit(PositionsPruned, { deleted: n, before, retentionDays });
          }
          return n;
        });
        deleted += n;
        if (n < 10000) break;
      }
      return { deleted, before, retentionDays };
    },
  };
  return runtime;
}
