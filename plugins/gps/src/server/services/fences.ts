/**
 * Geofences: checking what a person sends (geometry, working hours), rows to API shapes, and the
 * in-memory index every position is checked against, reloaded when the fence revision moves.
 */
import { isoInstant, type Db } from '@quartermaster/core';
import { problems, type FieldError } from '@quartermaster/sdk';
import {
  FenceIndex,
  GeofenceError,
  WorkingHoursError,
  validateFence,
  validateWorkingHours,
  type Fence,
  type LonLat,
  type WorkingHours,
} from '../../domain/index.js';
import type { FenceKind, GeofenceDto } from '../../shared/index.js';

export interface GeometryInput {
  center?: { latitude: number; longitude: number };
  radiusM?: number;
  rings?: number[][][];
}

export type StoredGeometry = { center: { latitude: number; longitude: number }; radiusM: number } | { rings: LonLat[][] };

/** The fence as the domain sees it; throws a 400 naming the geometry member at fault. */
export function checkGeometry(kind: FenceKind, geometry: GeometryInput, id = 'new'): { fence: Fence; stored: StoredGeometry } {
  const errors: FieldError[] = [];
  if (kind === 'circle') {
    if (geometry.rings !== undefined) errors.push({ field: 'geometry.rings', message: 'a circle has a center and a radiusM, not rings' });
    if (!geometry.center) errors.push({ field: 'geometry.center', message: 'is required for a circle' });
    else {
      const { latitude, longitude } = geometry.center;
      if (!(latitude >= -90 && latitude <= 90)) errors.push({ field: 'geometry.center.latitude', message: 'must be between -90 and 90' });
      if (!(longitude >= -180 && longitude <= 180)) errors.push({ field: 'geometry.center.longitude', message: 'must be between -180 and 180' });
    }
    if (geometry.radiusM === undefined) errors.push({ field: 'geometry.radiusM', message: 'is required for a circle' });
    else if (!(geometry.radiusM > 0)) errors.push({ field: 'geometry.radiusM', message: 'must be a positive number of metres' });
    else if (geometry.radiusM > 1_000_000) errors.push({ field: 'geometry.radiusM', message: 'must be at most 1,000 km' });
  } else {
    if (geometry.center !== undefined) errors.push({ field: 'geometry.center', message: 'a polygon has rings, not a center' });
    if (geometry.radiusM !== undefined) errors.push({ field: 'geometry.radiusM', message: 'a polygon has rings, not a radius' });
    if (!geometry.rings) errors.push({ field: 'geometry.rings', message: 'is required for a polygon' });
  }
  if (errors.length) throw problems.validation(errors);
  const raw: Fence =
    kind === 'circle'
      ? { id, kind, center: geometry.center!, radiusM: geometry.radiusM! }
      : { id, kind, rings: geometry.rings!.map((ring) => ring.map(([lon, lat]) => [lon, lat] as LonLat)) };
  try {
    const fence = validateFence(raw);
    const stored: StoredGeometry = fence.kind === 'circle' ? { center: fence.center, radiusM: fence.radiusM } : { rings: fence.rings };
    return { fence, stored };
  } catch (error) {
    if (!(error instanceof GeofenceError)) throw error;
    const at = error.cause?.position;
    const field = kind === 'circle' ? 'geometry' : at ? `geometry.rings.${at.ring}.${at.vertex}` : 'geometry.rings';
    // The domain prefixes its message with the fence id, which means nothing to the sender.
    throw problems.validation([{ field, message: error.message.replace(/^fence [^:]+: /, '') }]);
  }
}

/** Working hours as sent, checked; throws a 400 naming the member (`afterHours.days.mon.0`). */
export function checkWorkingHours(hours: WorkingHours): WorkingHours {
  try {
    validateWorkingHours(hours);
    return hours;
  } catch (error) {
    if (!(error instanceof WorkingHoursError)) throw error;
    const field = `afterHours.${error.field.replace(/\[(\d+)\]/g, '.$1')}`;
    throw problems.validation([{ field, message: error.message }]);
  }
}

export const FENCE_SQL = `SELECT f.*, l.name AS location_name FROM gps_geofence f LEFT JOIN core_location l ON l.id = f.location_id`;

export function fenceDto(r: Record<string, unknown>): GeofenceDto {
  return {
    id: r.id as string,
    name: r.name as string,
    kind: r.kind as FenceKind,
    geometry: r.geometry as GeofenceDto['geometry'],
    dwellSeconds: (r.dwell_seconds as number | null) ?? null,
    locationId: (r.location_id as string | null) ?? null,
    locationName: (r.location_name as string | null) ?? null,
    afterHours: (r.after_hours as GeofenceDto['afterHours']) ?? null,
    active: r.active as boolean,
    version: r.version as number,
    createdAt: isoInstant(r.created_at as Date)!,
    updatedAt: isoInstant(r.updated_at as Date)!,
  };
}

/** What the consumer needs of a fence besides its shape. */
export interface FenceMeta {
  id: string;
  name: string;
  locationId: string | null;
  afterHours: WorkingHours | null;
  dwellSeconds: number | null;
}

export interface FenceSet {
  revision: string;
  index: FenceIndex;
  meta: Map<string, FenceMeta>;
}

/**
 * The active fences as an index, kept per platform instance. The revision row is read at most
 * once a second (another instance may have changed fences); a change made here marks the cache
 * stale at once.
 */
export class FenceCache {
  private current: FenceSet | null = null;
  private checkedAt = 0;
  private stale = true;

  constructor(private readonly log: { warn(obj: unknown, msg: string): void }) {}

  invalidate(): void {
    this.stale = true;
  }

  get size(): number {
    return this.current?.index.size ?? 0;
  }

  async get(db: Db, now = Date.now()): Promise<FenceSet> {
    if (this.current && !this.stale && now - this.checkedAt < 1000) return this.current;
    const [{ revision }] = await db.execute<{ revision: string }>(`SELECT revision::text AS revision FROM gps_fence_revision`);
    this.checkedAt = now;
    if (this.current && !this.stale && this.current.revision === revision) return this.current;
    const rows = await db.execute<Record<string, unknown>>(`SELECT id, name, kind, geometry, dwell_seconds, location_id, after_hours FROM gps_geofence WHERE active ORDER BY created_at, id`);
    const fences: Fence[] = [];
    const meta = new Map<string, FenceMeta>();
    for (const r of rows) {
      const g = r.geometry as StoredGeometry;
      const dwell = (r.dwell_seconds as number | null) ?? undefined;
      const fence: Fence = 'rings' in g ? { id: r.id as string, kind: 'polygon', rings: g.rings, dwellSeconds: dwell } : { id: r.id as string, kind: 'circle', center: g.center, radiusM: g.radiusM, dwellSeconds: dwell };
      try {
        fences.push(validateFence(fence));
      } catch (err) {
        // Stored fences were checked when saved; one that no longer passes must not stop tracking.
        this.log.warn({ err, fenceId: r.id }, 'a stored geofence is invalid and is ignored');
        continue;
      }
      meta.set(r.id as string, {
        id: r.id as string,
        name: r.name as string,
        locationId: (r.location_id as string | null) ?? null,
        afterHours: (r.after_hours as WorkingHours | null) ?? null,
        dwellSeconds: (r.dwell_seconds as number | null) ?? null,
      });
    }
    this.current = { revision, index: new FenceIndex(fences), meta };
    this.stale = false;
    return this.current;
  }
}
