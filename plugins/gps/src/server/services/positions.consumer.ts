/**
 * The `gps.positions` reading consumer: stores positions, keeps each tracker's last position and
 * geofence state, and turns fence crossings into events — for a whole batch at a time: one
 * statement stores every position and creates/locks the batch's trackers, one UPDATE writes the
 * trackers back, one INSERT stores the crossings (when there are any). Per position there is only
 * the in-memory fence lookup; per batch two or three round trips.
 *
 * Runs inside the ingestion queue's transaction (joined, so our events carry our plugin id): the
 * positions, the state and the events commit with the raw readings, or none of them do.
 */
import { withSavepoint } from '@quartermaster/core';
import type { DeviceReadingEnvelope, PluginContext, PositionReading, Transaction } from '@quartermaster/sdk';
import { fixedAssetsService } from '@quartermaster/plugin-fixed-assets/shared';
import { EMPTY_GEOFENCE_STATE, isWithinWorkingHours, localDateTime, stepGeofences, type GeofenceEvent, type GeofenceState } from '../../domain/index.js';
import { AssetLeftSiteAfterHours, GeofenceDwelled, GeofenceEntered, GeofenceExited, type GeofenceEventType } from '../../shared/index.js';
import type { GpsOptions } from '../options.js';
import type { FenceCache, FenceMeta } from './fences.js';

/** Positions stamped further ahead than this are stored but never move a tracker's state (a bad clock would freeze it). */
const FUTURE_TOLERANCE_MS = 10 * 60_000;

interface Row {
  deviceId: string;
  at: string;
  latitude: number;
  longitude: number;
  speedKnots: number | null;
  courseDeg: number | null;
  altitudeM: number | null;
  accuracyM: number | null;
  battery: number | null;
  valid: boolean;
}

interface TrackerRow {
  device_id: string;
  asset_id: string | null;
  last_at: Date | string | null;
  geofence_state: GeofenceState | null;
}

interface Crossing {
  deviceId: string;
  deviceCode: string;
  assetId: string | null;
  fence: FenceMeta;
  event: GeofenceEvent;
  position: Row;
}

/** Readings of one (device, time) become one row; later readings fill in what earlier ones lacked (GGA then RMC). */
function mergeRows(batch: DeviceReadingEnvelope[]): Row[] {
  const rows = new Map<string, Row>();
  for (const e of batch) {
    const r = e.reading as PositionReading;
    const ms = Date.parse(r.at);
    if (!Number.isFinite(ms)) continue;
    const at = new Date(ms).toISOString();
    const next: Row = {
      deviceId: e.device.id,
      at,
      latitude: r.latitude,
      longitude: r.longitude,
      speedKnots: r.speedKnots ?? null,
      courseDeg: r.courseDeg ?? null,
      altitudeM: r.altitudeM ?? null,
      accuracyM: r.accuracyM ?? null,
      battery: r.battery ?? null,
      valid: r.valid !== false,
    };
    const key = `${e.device.id}|${at}`;
    const prev = rows.get(key);
    if (!prev) {
      rows.set(key, next);
      continue;
    }
    // A valid fix's coordinates win over an invalid one's.
    const coords = next.valid || !prev.valid ? next : prev;
    rows.set(key, {
      ...prev,
      latitude: coords.latitude,
      longitude: coords.longitude,
      valid: prev.valid || next.valid,
      speedKnots: next.speedKnots ?? prev.speedKnots,
      courseDeg: next.courseDeg ?? prev.courseDeg,
      altitudeM: next.altitudeM ?? prev.altitudeM,
      accuracyM: next.accuracyM ?? prev.accuracyM,
      battery: next.battery ?? prev.battery,
    });
  }
  return [...rows.values()];
}

export function createPositionsConsumer(ctx: PluginContext<any>, options: GpsOptions, fences: FenceCache) {
  const stepOptions = { maxAccuracyM: options.geofences.maxAccuracyM, exitHysteresisM: options.geofences.exitHysteresisM };

  async function consume(coreTx: Transaction, batch: DeviceReadingEnvelope[]): Promise<void> {
    const merged = mergeRows(batch);
    if (!merged.length) return;
    await ctx.joinTransaction(coreTx, async (tx) => {
      const codes = new Map(batch.map((e) => [e.device.id, e.device.code]));

      // 1. Store, and create/lock the batch's trackers, in one round trip. A position sent again (or
      //    the other sentence of the same fix) merges into its row. Trackers are locked in id order,
      //    so two batches never deadlock.
      const deviceIds = [...new Set(merged.map((r) => r.deviceId))].sort();
      const trackers = await tx.execute<TrackerRow>(
        `WITH stored AS (
           INSERT INTO gps_position AS p (device_id, at, latitude, longitude, speed_knots, course_deg, altitude_m, accuracy_m, battery, valid)
           SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::float8[], $4::float8[], $5::float8[], $6::float8[], $7::float8[], $8::float8[], $9::float8[], $10::bool[])
           ON CONFLICT (device_id, at) DO UPDATE SET
             latitude = CASE WHEN EXCLUDED.valid OR NOT p.valid THEN EXCLUDED.latitude ELSE p.latitude END,
             longitude = CASE WHEN EXCLUDED.valid OR NOT p.valid THEN EXCLUDED.longitude ELSE p.longitude END,
             speed_knots = coalesce(EXCLUDED.speed_knots, p.speed_knots),
             course_deg = coalesce(EXCLUDED.course_deg, p.course_deg),
             altitude_m = coalesce(EXCLUDED.altitude_m, p.altitude_m),
             accuracy_m = coalesce(EXCLUDED.accuracy_m, p.accuracy_m),
             battery = coalesce(EXCLUDED.battery, p.battery),
             valid = EXCLUDED.valid OR p.valid)
         INSERT INTO gps_tracker AS t (device_id) SELECT d FROM unnest($11::uuid[]) AS d ORDER BY d
         ON CONFLICT (device_id) DO UPDATE SET updated_at = now()
         RETURNING device_id::text, asset_id::text, last_at, geofence_state`,
        [
          merged.map((r) => r.deviceId),
          merged.map((r) => r.at),
          merged.map((r) => r.latitude),
          merged.map((r) => r.longitude),
          merged.map((r) => r.speedKnots),
          merged.map((r) => r.courseDeg),
          merged.map((r) => r.altitudeM),
          merged.map((r) => r.accuracyM),
          merged.map((r) => r.battery),
          merged.map((r) => r.valid),
          deviceIds,
        ],
      );
      const set = await fences.get(tx);
      const now = Date.now();

      // 2. Step each tracker through its positions in time order.
      const crossings: Crossing[] = [];
      const updates: { deviceId: string; last: Row | null; state: GeofenceState }[] = [];
      const byDevice = new Map<string, Row[]>();
      for (const r of merged) {
        const list = byDevice.get(r.deviceId);
        if (list) list.push(r);
        else byDevice.set(r.deviceId, [r]);
      }
      for (const t of trackers) {
        const list = (byDevice.get(t.device_id) ?? []).sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
        let state: GeofenceState = t.geofence_state && typeof t.geofence_state === 'object' ? { ...t.geofence_state, inside: t.geofence_state.inside ?? {} } : EMPTY_GEOFENCE_STATE;
        let lastAt = t.last_at ? new Date(t.last_at).getTime() : -Infinity;
        let last: Row | null = null;
        for (const p of list) {
          const ms = Date.parse(p.at);
          if (ms > now + FUTURE_TOLERANCE_MS) continue;
          // Out of order (older than what the tracker already reported): stored above, but state stays.
          if (p.valid && ms >= lastAt) {
            last = p;
            lastAt = ms;
          }
          const step = stepGeofences(state, { latitude: p.latitude, longitude: p.longitude, at: p.at, accuracyM: p.accuracyM ?? undefined, valid: p.valid }, set.index, stepOptions);
          state = step.state;
          for (const event of step.events) {
            const fence = set.meta.get(event.fenceId);
            if (fence) crossings.push({ deviceId: t.device_id, deviceCode: codes.get(t.device_id) ?? '', assetId: t.asset_id, fence, event, position: p });
          }
        }
        updates.push({ deviceId: t.device_id, last, state });
      }

      // 3. Crossings: stored, announced, and acted on.
      if (crossings.length) await recordCrossings(tx, crossings);

      // 4. Last positions (read back from the stored rows, which hold what earlier sentences of the
      //    same fix added) and fence state.
      await tx.execute(
        `UPDATE gps_tracker t SET
           last_at = coalesce(p.at, t.last_at),
           last_latitude = CASE WHEN p.at IS NULL THEN t.last_latitude ELSE p.latitude END,
           last_longitude = CASE WHEN p.at IS NULL THEN t.last_longitude ELSE p.longitude END,
           last_speed_knots = CASE WHEN p.at IS NULL THEN t.last_speed_knots ELSE p.speed_knots END,
           last_course_deg = CASE WHEN p.at IS NULL THEN t.last_course_deg ELSE p.course_deg END,
           last_altitude_m = CASE WHEN p.at IS NULL THEN t.last_altitude_m ELSE p.altitude_m END,
           last_accuracy_m = CASE WHEN p.at IS NULL THEN t.last_accuracy_m ELSE p.accuracy_m END,
           last_battery = CASE WHEN p.at IS NULL THEN t.last_battery ELSE p.battery END,
           geofence_state = u.state,
           updated_at = now()
         FROM unnest($1::uuid[], $2::timestamptz[], $3::jsonb[]) AS u(device_id, at, state)
           LEFT JOIN gps_position p ON p.device_id = u.device_id AND p.at = u.at
         WHERE t.device_id = u.device_id`,
        [updates.map((u) => u.deviceId), updates.map((u) => u.last?.at ?? null), updates.map((u) => JSON.stringify(u.state))],
      );
    });
  }

  async function recordCrossings(tx: Transaction, crossings: Crossing[]) {
    const TYPE: Record<GeofenceEvent['type'], GeofenceEventType> = { enter: 'entered', exit: 'exited', dwell: 'dwelled' };
    const afterHours = crossings.map((c) => c.event.type === 'exit' && c.assetId !== null && c.fence.afterHours !== null && !isWithinWorkingHours(c.event.at, c.fence.afterHours));
    await tx.execute(
      `INSERT INTO gps_geofence_event (device_id, fence_id, fence_name, type, at, entered_at, latitude, longitude, asset_id, after_hours)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::timestamptz[], $6::timestamptz[], $7::float8[], $8::float8[], $9::uuid[], $10::bool[])`,
      [
        crossings.map((c) => c.deviceId),
        crossings.map((c) => c.fence.id),
        crossings.map((c) => c.fence.name),
        crossings.map((c) => TYPE[c.event.type]),
        crossings.map((c) => c.event.at),
        crossings.map((c) => c.event.enteredAt),
        crossings.map((c) => c.position.latitude),
        crossings.map((c) => c.position.longitude),
        crossings.map((c) => c.assetId),
        afterHours,
      ],
    );
    const assets = ctx.services.getOptional(fixedAssetsService);
    for (const [i, c] of crossings.entries()) {
      const base = {
        deviceId: c.deviceId,
        deviceCode: c.deviceCode,
        fenceId: c.fence.id,
        fenceName: c.fence.name,
        locationId: c.fence.locationId,
        assetId: c.assetId,
        at: c.event.at,
        enteredAt: c.event.enteredAt,
        latitude: c.position.latitude,
        longitude: c.position.longitude,
      };
      if (c.event.type === 'enter') {
        await tx.emit(GeofenceEntered, base);
        // A site fence: the linked asset is now at that site.
        if (assets && c.assetId && c.fence.locationId) {
          const assetId = c.assetId;
          const locationId = c.fence.locationId;
          const moved = await withSavepoint(tx, 'gps_relocate', () => assets.relocateIn(tx, assetId, locationId, { reason: `GPS geofence ${c.fence.name}` }));
          // A reading is nobody's request to correct: a refused move (an archived site) is logged, tracking goes on.
          if (!moved.ok) ctx.log.warn({ err: moved.error, assetId, locationId, fenceId: c.fence.id }, 'the asset could not be moved to the geofence site');
        }
      } else if (c.event.type === 'exit') {
        await tx.emit(GeofenceExited, { ...base, insideSeconds: (Date.parse(c.event.at) - Date.parse(c.event.enteredAt)) / 1000 });
        if (afterHours[i]) {
          const local = localDateTime(c.event.at, c.fence.afterHours!.timeZone);
          await tx.emit(AssetLeftSiteAfterHours, { ...base, assetId: c.assetId!, timeZone: c.fence.afterHours!.timeZone, localTime: `${local.date} ${local.time}` });
        }
      } else {
        await tx.emit(GeofenceDwelled, { ...base, dwellSeconds: c.fence.dwellSeconds ?? 0 });
      }
    }
  }

  return { consume };
}
