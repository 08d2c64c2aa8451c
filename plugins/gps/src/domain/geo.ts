/**
 * Spherical geometry on WGS 84 coordinates, good to ~0.5 % for distances (the sphere's error
 * against the ellipsoid), which is plenty for fences and trip lengths.
 *
 * Polygons use GeoJSON order (RFC 7946 §3.1.6): a ring is `[[lon, lat], …]`, the first ring is the
 * outer boundary and later rings are holes. Rings may be given closed (last = first) or open.
 * Edges are straight lines in lon/lat (as GeoJSON says), not great circles; edges that cross the
 * antimeridian are refused.
 */

export interface LatLon {
  latitude: number;
  longitude: number;
}

/** `[longitude, latitude]`, GeoJSON order. */
export type LonLat = [number, number];
export type Ring = LonLat[];

export interface BoundingBox {
  minLat: number;
  maxLat: number;
  minLon: number;
  maxLon: number;
}

/**
 * Mean Earth radius R1 = (2a + b) / 3 of the GRS 80 ellipsoid, 6,371,008.8 m (H. Moritz,
 * "Geodetic Reference System 1980", Journal of Geodesy 74 (2000) 128–133; the value used by
 * the IUGG and by most GIS software for haversine distances).
 */
export const MEAN_EARTH_RADIUS_M = 6_371_008.8;

const RAD = Math.PI / 180;

export type GeometryErrorCode = 'invalid-coordinate' | 'too-few-points' | 'degenerate' | 'self-intersecting' | 'antimeridian';

export class GeometryError extends Error {
  override readonly name = 'GeometryError';
  constructor(
    readonly code: GeometryErrorCode,
    message: string,
    /** Ring and vertex index where the problem is, when there is one. */
    readonly position?: { ring: number; vertex: number },
  ) {
    super(message);
  }
}

/**
 * Great-circle distance by the haversine formula (R. W. Sinnott, "Virtues of the Haversine",
 * Sky and Telescope 68 (2), 1984, p. 159), in metres.
 */
export function haversineM(a: LatLon, b: LatLon, radiusM: number = MEAN_EARTH_RADIUS_M): number {
  const dLat = (b.latitude - a.latitude) * RAD;
  const dLon = (b.longitude - a.longitude) * RAD;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.latitude * RAD) * Math.cos(b.latitude * RAD) * Math.sin(dLon / 2) ** 2;
  // min() guards against h drifting a hair above 1 for antipodal points.
  return 2 * radiusM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Where a point lies relative to a ring. Points on an edge or vertex are `boundary`. */
export type RingSide = 'inside' | 'outside' | 'boundary';

/** Tolerance (degrees) for "on the edge": ~1 mm, far below GPS noise. */
const EDGE_EPSILON_DEG = 1e-8;

/**
 * Ray casting (W. R. Franklin's PNPOLY crossing test) on lon/lat, with an explicit on-edge test
 * first so boundary points get a definite answer instead of depending on float rounding.
 */
export function ringSide(point: LatLon, ring: Ring): RingSide {
  const x = point.longitude;
  const y = point.latitude;
  const n = openLength(ring);
  let inside = false;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (onSegment(x, y, xi, yi, xj, yj)) return 'boundary';
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside ? 'inside' : 'outside';
}

/** Inside the outer ring and not strictly inside a hole; the boundary (of ring or hole) counts as inside. */
export function pointInPolygon(point: LatLon, rings: Ring[]): boolean {
  if (rings.length === 0) return false;
  if (ringSide(point, rings[0]) === 'outside') return false;
  for (let h = 1; h < rings.length; h++) if (ringSide(point, rings[h]) === 'inside') return false;
  return true;
}

export function pointInCircle(point: LatLon, center: LatLon, radiusM: number): boolean {
  return haversineM(center, point) <= radiusM;
}

export function bboxOfRing(ring: Ring): BoundingBox {
  let minLat = Infinity;
  let maxLat = -Infinity;
  let minLon = Infinity;
  let maxLon = -Infinity;
  for (const [lon, lat] of ring) {
    if (lat < minLat) minLat = lat;
    if (lat > maxLat) maxLat = lat;
    if (lon < minLon) minLon = lon;
    if (lon > maxLon) maxLon = lon;
  }
  return { minLat, maxLat, minLon, maxLon };
}

/**
 * A box that contains every point within `radiusM` of `center` (J. P. Matuschek, "Finding Points
 * Within a Distance of a Latitude/Longitude Using Bounding Coordinates", 2011, §3.3–3.4):
 * Δlat = r/R and Δlon = asin(sin(r/R) / cos(lat)); near a pole or across the antimeridian the
 * box widens to all longitudes, which is safe for a prefilter.
 */
export function bboxOfCircle(center: LatLon, radiusM: number): BoundingBox {
  const angular = radiusM / MEAN_EARTH_RADIUS_M;
  const dLat = angular / RAD;
  let minLat = center.latitude - dLat;
  let maxLat = center.latitude + dLat;
  let minLon: number;
  let maxLon: number;
  if (minLat > -90 && maxLat < 90) {
    const dLon = Math.asin(Math.min(1, Math.sin(angular) / Math.cos(center.latitude * RAD))) / RAD;
    minLon = center.longitude - dLon;
    maxLon = center.longitude + dLon;
    if (minLon < -180 || maxLon > 180) {
      minLon = -180;
      maxLon = 180;
    }
  } else {
    minLat = Math.max(minLat, -90);
    maxLat = Math.min(maxLat, 90);
    minLon = -180;
    maxLon = 180;
  }
  return { minLat, maxLat, minLon, maxLon };
}

export function bboxContains(box: BoundingBox, point: LatLon): boolean {
  return point.latitude >= box.minLat && point.latitude <= box.maxLat && point.longitude >= box.minLon && point.longitude <= box.maxLon;
}

/**
 * Checks a polygon and returns it with every ring closed. Rules: finite coordinates within
 * range, at least 3 distinct vertices per ring, no edge crossing the antimeridian (|Δlon| > 180),
 * and — unless `allowSelfIntersection` — no two non-adjacent edges touching.
 */
export function validatePolygon(rings: Ring[], options: { allowSelfIntersection?: boolean } = {}): Ring[] {
  if (!Array.isArray(rings) || rings.length === 0) throw new GeometryError('too-few-points', 'a polygon needs at least an outer ring');
  return rings.map((ring, r) => {
    if (!Array.isArray(ring)) throw new GeometryError('invalid-coordinate', `ring ${r} is not a list of [lon, lat] pairs`);
    ring.forEach((pair, v) => {
      if (!Array.isArray(pair) || pair.length < 2) throw new GeometryError('invalid-coordinate', `ring ${r} vertex ${v} is not a [lon, lat] pair`, { ring: r, vertex: v });
      const [lon, lat] = pair;
      if (typeof lon !== 'number' || typeof lat !== 'number' || !Number.isFinite(lon) || !Number.isFinite(lat)) {
        throw new GeometryError('invalid-coordinate', `ring ${r} vertex ${v} has a non-finite coordinate`, { ring: r, vertex: v });
      }
      if (lat < -90 || lat > 90 || lon < -180 || lon > 180) {
        throw new GeometryError('invalid-coordinate', `ring ${r} vertex ${v} (${lon}, ${lat}) is outside lon −180…180 / lat −90…90`, { ring: r, vertex: v });
      }
    });
    const open = ring.slice(0, openLength(ring)).map(([lon, lat]) => [lon, lat] as LonLat);
    // Drop consecutive duplicates, which some editors emit on double click.
    const vertices = open.filter((p, i) => i === 0 || p[0] !== open[i - 1][0] || p[1] !== open[i - 1][1]);
    const distinct = new Set(vertices.map(([lon, lat]) => `${lon},${lat}`));
    if (distinct.size < 3) throw new GeometryError('too-few-points', `ring ${r} needs at least 3 distinct points, has ${distinct.size}`, { ring: r, vertex: 0 });
    const n = vertices.length;
    for (let i = 0; i < n; i++) {
      const a = vertices[i];
      const b = vertices[(i + 1) % n];
      if (Math.abs(b[0] - a[0]) > 180) {
        throw new GeometryError('antimeridian', `ring ${r} edge ${i} crosses the antimeridian, which is not supported; split the fence`, { ring: r, vertex: i });
      }
    }
    if (!options.allowSelfIntersection) {
      for (let i = 0; i < n; i++) {
        for (let j = i + 1; j < n; j++) {
          // Adjacent edges share a vertex by construction.
          if (j === i + 1 || (i === 0 && j === n - 1)) continue;
          if (segmentsIntersect(vertices[i], vertices[(i + 1) % n], vertices[j], vertices[(j + 1) % n])) {
            throw new GeometryError('self-intersecting', `ring ${r} edges ${i} and ${j} cross`, { ring: r, vertex: i });
          }
        }
      }
    }
    if (allCollinear(vertices)) throw new GeometryError('degenerate', `ring ${r} has no area (all points on a line)`, { ring: r, vertex: 0 });
    return [...vertices, [vertices[0][0], vertices[0][1]] as LonLat];
  });
}

/**
 * Distance in metres from a point to the nearest edge of any ring, on a local equirectangular
 * projection centred on the point (accurate to well under 1 % within a few kilometres, which is
 * what hysteresis needs).
 */
export function distanceToBoundaryM(point: LatLon, rings: Ring[]): number {
  const kx = Math.cos(point.latitude * RAD) * RAD * MEAN_EARTH_RADIUS_M;
  const ky = RAD * MEAN_EARTH_RADIUS_M;
  let best = Infinity;
  for (const ring of rings) {
    const n = openLength(ring);
    for (let i = 0, j = n - 1; i < n; j = i++) {
      const ax = (ring[j][0] - point.longitude) * kx;
      const ay = (ring[j][1] - point.latitude) * ky;
      const bx = (ring[i][0] - point.longitude) * kx;
      const by = (ring[i][1] - point.latitude) * ky;
      const d = distanceOriginToSegment(ax, ay, bx, by);
      if (d < best) best = d;
    }
  }
  return best;
}

// ---------------------------------------------------------------------------------------------

/** Vertex count without the closing repeat. */
function openLength(ring: Ring): number {
  const n = ring.length;
  if (n > 1 && ring[0][0] === ring[n - 1][0] && ring[0][1] === ring[n - 1][1]) return n - 1;
  return n;
}

function onSegment(x: number, y: number, x1: number, y1: number, x2: number, y2: number): boolean {
  if (x < Math.min(x1, x2) - EDGE_EPSILON_DEG || x > Math.max(x1, x2) + EDGE_EPSILON_DEG) return false;
  if (y < Math.min(y1, y2) - EDGE_EPSILON_DEG || y > Math.max(y1, y2) + EDGE_EPSILON_DEG) return false;
  const length = Math.hypot(x2 - x1, y2 - y1);
  if (length === 0) return Math.hypot(x - x1, y - y1) <= EDGE_EPSILON_DEG;
  // Perpendicular distance from the line through the segment.
  return Math.abs((x2 - x1) * (y - y1) - (y2 - y1) * (x - x1)) / length <= EDGE_EPSILON_DEG;
}

function orientation(a: LonLat, b: LonLat, c: LonLat): number {
  const v = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
  return v > 0 ? 1 : v < 0 ? -1 : 0;
}

function within(a: LonLat, b: LonLat, c: LonLat): boolean {
  return Math.min(a[0], b[0]) <= c[0] && c[0] <= Math.max(a[0], b[0]) && Math.min(a[1], b[1]) <= c[1] && c[1] <= Math.max(a[1], b[1]);
}

/** Segments p1–p2 and q1–q2 share at least one point (including touching and collinear overlap). */
export function segmentsIntersect(p1: LonLat, p2: LonLat, q1: LonLat, q2: LonLat): boolean {
  const o1 = orientation(p1, p2, q1);
  const o2 = orientation(p1, p2, q2);
  const o3 = orientation(q1, q2, p1);
  const o4 = orientation(q1, q2, p2);
  if (o1 !== o2 && o3 !== o4) return true;
  if (o1 === 0 && within(p1, p2, q1)) return true;
  if (o2 === 0 && within(p1, p2, q2)) return true;
  if (o3 === 0 && within(q1, q2, p1)) return true;
  if (o4 === 0 && within(q1, q2, p2)) return true;
  return false;
}

function allCollinear(vertices: LonLat[]): boolean {
  const a = vertices[0];
  const b = vertices.find((p) => p[0] !== a[0] || p[1] !== a[1]);
  return b === undefined || vertices.every((c) => orientation(a, b, c) === 0);
}

function distanceOriginToSegment(ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len2));
  return Math.hypot(ax + t * dx, ay + t * dy);
}
