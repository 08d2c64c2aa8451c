/**
 * Geofences: a spatial index for answering "which fences contain this point" quickly, and the
 * per-tracker state machine that turns positions into enter / exit / dwell events.
 */
import {
  GeometryError,
  bboxContains,
  bboxOfCircle,
  bboxOfRing,
  distanceToBoundaryM,
  haversineM,
  pointInPolygon,
  validatePolygon,
  type BoundingBox,
  type LatLon,
  type Ring,
} from './geo.js';

interface FenceBase {
  id: string;
  /** Emit one `dwell` event per visit once the tracker has been inside this long. Omit for no dwell events. */
  dwellSeconds?: number;
}

export interface PolygonFence extends FenceBase {
  kind: 'polygon';
  /** GeoJSON-style rings `[[lon, lat], …]`: outer boundary first, then holes. */
  rings: Ring[];
}

export interface CircleFence extends FenceBase {
  kind: 'circle';
  center: LatLon;
  radiusM: number;
}

export type Fence = PolygonFence | CircleFence;

export type GeofenceErrorCode = 'invalid-fence' | 'duplicate-id' | 'invalid-time';

export class GeofenceError extends Error {
  override readonly name = 'GeofenceError';
  constructor(
    readonly code: GeofenceErrorCode,
    message: string,
    readonly fenceId?: string,
    /** The geometry problem behind an `invalid-fence`, if any. */
    override readonly cause?: GeometryError,
  ) {
    super(message);
  }
}

/** Validates one fence and returns it normalised (rings closed). */
export function validateFence(fence: Fence): Fence {
  if (typeof fence?.id !== 'string' || fence.id === '') throw new GeofenceError('invalid-fence', 'a fence needs a non-empty id');
  if (fence.dwellSeconds !== undefined && !(Number.isFinite(fence.dwellSeconds) && fence.dwellSeconds >= 0)) {
    throw new GeofenceError('invalid-fence', `fence ${fence.id}: dwellSeconds must be a number ≥ 0`, fence.id);
  }
  if (fence.kind === 'circle') {
    const { center, radiusM } = fence;
    if (!center || !Number.isFinite(center.latitude) || !Number.isFinite(center.longitude) || Math.abs(center.latitude) > 90 || Math.abs(center.longitude) > 180) {
      throw new GeofenceError('invalid-fence', `fence ${fence.id}: circle centre must be a valid latitude/longitude`, fence.id);
    }
    if (!Number.isFinite(radiusM) || radiusM <= 0) throw new GeofenceError('invalid-fence', `fence ${fence.id}: radius must be a positive number of metres`, fence.id);
    return { ...fence, center: { latitude: center.latitude, longitude: center.longitude } };
  }
  if (fence.kind === 'polygon') {
    try {
      return { ...fence, rings: validatePolygon(fence.rings) };
    } catch (error) {
      if (error instanceof GeometryError) throw new GeofenceError('invalid-fence', `fence ${fence.id}: ${error.message}`, fence.id, error);
      throw error;
    }
  }
  throw new GeofenceError('invalid-fence', `fence ${(fence as Fence).id}: kind must be "polygon" or "circle"`, (fence as Fence).id);
}

export function fenceContains(fence: Fence, point: LatLon): boolean {
  return fence.kind === 'circle' ? haversineM(fence.center, point) <= fence.radiusM : pointInPolygon(point, fence.rings);
}

/** How far outside the fence the point is (0 when inside), in metres. */
export function distanceOutsideM(fence: Fence, point: LatLon): number {
  if (fenceContains(fence, point)) return 0;
  if (fence.kind === 'circle') return haversineM(fence.center, point) - fence.radiusM;
  return distanceToBoundaryM(point, fence.rings);
}

interface IndexedFence {
  fence: Fence;
  box: BoundingBox;
  order: number;
}

export interface FenceIndexOptions {
  /** Grid cell size in degrees. ~0.05° ≈ 5.5 km north–south suits site-sized fences. */
  cellDeg?: number;
  /** Fences whose box spans more cells than this are kept in a short list checked for every point. */
  maxCellsPerFence?: number;
}

/**
 * A uniform lat/lon grid of buckets. Each fence is registered in every cell its bounding box
 * touches; a lookup reads one bucket, filters by bounding box, then runs the exact test. Very
 * large fences skip the grid and are always box-checked, so memory stays bounded.
 */
export class FenceIndex {
  private readonly cellDeg: number;
  private readonly maxCells: number;
  private readonly cells = new Map<number, IndexedFence[]>();
  private readonly large: IndexedFence[] = [];
  private readonly byId = new Map<string, IndexedFence>();

  constructor(fences: readonly Fence[], options: FenceIndexOptions = {}) {
    this.cellDeg = options.cellDeg ?? 0.05;
    this.maxCells = options.maxCellsPerFence ?? 256;
    if (!(this.cellDeg > 0 && this.cellDeg <= 90)) throw new RangeError('cellDeg must be in (0, 90]');
    fences.forEach((raw, order) => {
      const fence = validateFence(raw);
      if (this.byId.has(fence.id)) throw new GeofenceError('duplicate-id', `fence id ${fence.id} appears twice`, fence.id);
      const box = fence.kind === 'circle' ? bboxOfCircle(fence.center, fence.radiusM) : bboxOfRing(fence.rings[0]);
      const entry: IndexedFence = { fence, box, order };
      this.byId.set(fence.id, entry);
      const [r0, c0] = this.cellOf(box.minLat, box.minLon);
      const [r1, c1] = this.cellOf(box.maxLat, box.maxLon);
      if ((r1 - r0 + 1) * (c1 - c0 + 1) > this.maxCells) {
        this.large.push(entry);
        return;
      }
      for (let r = r0; r <= r1; r++) {
        for (let c = c0; c <= c1; c++) {
          const key = this.key(r, c);
          const bucket = this.cells.get(key);
          if (bucket) bucket.push(entry);
          else this.cells.set(key, [entry]);
        }
      }
    });
  }

  get size(): number {
    return this.byId.size;
  }

  get(id: string): Fence | undefined {
    return this.byId.get(id)?.fence;
  }

  fences(): Fence[] {
    return [...this.byId.values()].map((e) => e.fence);
  }

  /** Ids of the fences containing the point (boundary included), in the order the fences were given. */
  containing(lat: number, lon: number): string[] {
    const point = { latitude: lat, longitude: lon };
    const [r, c] = this.cellOf(lat, lon);
    const hits: IndexedFence[] = [];
    for (const list of [this.cells.get(this.key(r, c)) ?? [], this.large]) {
      for (const entry of list) {
        if (bboxContains(entry.box, point) && fenceContains(entry.fence, point)) hits.push(entry);
      }
    }
    if (hits.length > 1) hits.sort((a, b) => a.order - b.order);
    return hits.map((e) => e.fence.id);
  }

  private cellOf(lat: number, lon: number): [number, number] {
    return [Math.floor((lat + 90) / this.cellDeg), Math.floor((lon + 180) / this.cellDeg)];
  }

  private key(row: number, col: number): number {
    // Columns never exceed 360 / cellDeg + 1, so this packs both into one safe integer.
    return row * 10_000_000 + col;
  }
}

// ---------------------------------------------------------------------------------------------
// Per-tracker state machine

export interface FenceVisit {
  enteredAt: string;
  dwellEmitted: boolean;
}

export interface GeofenceState {
  /** Time of the last position that was processed (not ignored). */
  lastAt?: string;
  inside: Record<string, FenceVisit>;
}

export type GeofenceEventType = 'enter' | 'exit' | 'dwell';

export interface GeofenceEvent {
  type: GeofenceEventType;
  fenceId: string;
  /** The position time that produced the event. */
  at: string;
  /** When the visit began (for `enter`, the same as `at`). */
  enteredAt: string;
}

export interface GeofencePosition extends LatLon {
  at: string;
  accuracyM?: number;
  valid?: boolean;
}

export interface GeofenceOptions {
  /** Ignore positions whose accuracy radius is worse (larger) than this many metres. */
  maxAccuracyM?: number;
  /** Only leave a fence once the position is more than this many metres outside it (damps boundary flapping). */
  exitHysteresisM?: number;
}

export type IgnoredReason = 'invalid-fix' | 'inaccurate' | 'out-of-order';

export interface GeofenceStep {
  state: GeofenceState;
  events: GeofenceEvent[];
  /** Set when the position was not used; the state is then returned unchanged. */
  ignored?: IgnoredReason;
}

export const EMPTY_GEOFENCE_STATE: GeofenceState = Object.freeze({ inside: Object.freeze({}) }) as GeofenceState;

/**
 * Advances one tracker's fence state by one position. Pure: the given state is not modified.
 *
 * Rules: invalid fixes, positions less accurate than `maxAccuracyM` and positions older than the
 * last processed one are ignored (late data must not replay stale enters/exits). Exits come
 * before enters, then dwells, each sorted by fence id. A dwell is emitted once per visit, at the
 * first processed position at least `dwellSeconds` after the enter. Visits to fences no longer in
 * the index are dropped silently (a deleted fence is not an exit).
 */
export function stepGeofences(
  previous: GeofenceState | undefined,
  position: GeofencePosition,
  index: FenceIndex,
  options: GeofenceOptions = {},
): GeofenceStep {
  const state = previous ?? EMPTY_GEOFENCE_STATE;
  const t = instant(position.at);
  if (position.valid === false || !Number.isFinite(position.latitude) || !Number.isFinite(position.longitude)) {
    return { state, events: [], ignored: 'invalid-fix' };
  }
  if (options.maxAccuracyM !== undefined && position.accuracyM !== undefined && position.accuracyM > options.maxAccuracyM) {
    return { state, events: [], ignored: 'inaccurate' };
  }
  if (state.lastAt !== undefined && t < instant(state.lastAt)) return { state, events: [], ignored: 'out-of-order' };

  const at = new Date(t).toISOString();
  const now = new Set(index.containing(position.latitude, position.longitude));
  const hysteresis = options.exitHysteresisM ?? 0;
  const inside: Record<string, FenceVisit> = {};
  const exits: GeofenceEvent[] = [];
  const enters: GeofenceEvent[] = [];
  const dwells: GeofenceEvent[] = [];

  for (const [fenceId, visit] of Object.entries(state.inside)) {
    const fence = index.get(fenceId);
    if (!fence) continue;
    const stays = now.has(fenceId) || (hysteresis > 0 && distanceOutsideM(fence, position) <= hysteresis);
    if (stays) inside[fenceId] = { ...visit };
    else exits.push({ type: 'exit', fenceId, at, enteredAt: visit.enteredAt });
  }
  for (const fenceId of now) {
    if (inside[fenceId]) continue;
    // Re-entering a fence we just left in this same step cannot happen: `now` drives both.
    inside[fenceId] = { enteredAt: at, dwellEmitted: false };
    enters.push({ type: 'enter', fenceId, at, enteredAt: at });
  }
  for (const [fenceId, visit] of Object.entries(inside)) {
    const dwellSeconds = index.get(fenceId)?.dwellSeconds;
    if (dwellSeconds === undefined || visit.dwellEmitted) continue;
    if (t - instant(visit.enteredAt) >= dwellSeconds * 1000) {
      visit.dwellEmitted = true;
      dwells.push({ type: 'dwell', fenceId, at, enteredAt: visit.enteredAt });
    }
  }
  const byId = (a: GeofenceEvent, b: GeofenceEvent) => (a.fenceId < b.fenceId ? -1 : a.fenceId > b.fenceId ? 1 : 0);
  return { state: { lastAt: at, inside }, events: [...exits.sort(byId), ...enters.sort(byId), ...dwells.sort(byId)] };
}

function instant(iso: string): number {
  const ms = typeof iso === 'string' && /^\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:\d{2})$/.test(iso) ? Date.parse(iso) : NaN;
  if (!Number.isFinite(ms)) throw new GeofenceError('invalid-time', `"${String(iso)}" is not an ISO 8601 instant with a zone`);
  return ms;
}
