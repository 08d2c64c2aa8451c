/**
 * What the map draws, as plain data: the pages build these lists, `GpsMap.vue` turns them into
 * Leaflet layers (and lists them, hidden, for tests and screen readers). No Leaflet here.
 */
import type { Geofence } from '../types';

/** A point on the map: a tracker, the playback cursor, a vertex being drawn. */
export interface MapMarker {
  id: string;
  latitude: number;
  longitude: number;
  /** Shown next to the marker. */
  label: string;
  kind: 'tracker' | 'cursor' | 'vertex' | 'center';
  /** The popup: a line per fact, and links (router paths) under them. */
  popup?: { title: string; lines: string[]; links: { label: string; to: string }[] };
  /** Stale position (older than an hour) or an invalid fix: drawn greyed. */
  muted?: boolean;
}

/** A fence drawn on the map: a circle, a polygon, or an open polyline (a polygon being drawn). */
export interface MapFence {
  id: string;
  name: string;
  shape: { kind: 'circle'; center: { latitude: number; longitude: number }; radiusM: number } | { kind: 'polygon'; rings: [number, number][][] } | { kind: 'line'; points: [number, number][] };
  /** `site`: the fence is a site (assets move there); `fence`: a plain fence; `draft`: being edited; `inactive`. */
  style: 'site' | 'fence' | 'draft' | 'inactive';
}

/** Leaflet path options per fence style: site fences solid green, plain fences dashed blue. */
export const FENCE_STYLES: Record<MapFence['style'], { color: string; weight: number; dashArray?: string; fillOpacity: number }> = {
  site: { color: '#2e7d32', weight: 2, fillOpacity: 0.15 },
  fence: { color: '#1565c0', weight: 2, dashArray: '6 4', fillOpacity: 0.08 },
  draft: { color: '#e65100', weight: 3, dashArray: '2 6', fillOpacity: 0.12 },
  inactive: { color: '#9e9e9e', weight: 1, dashArray: '4 4', fillOpacity: 0.04 },
};

/** A stored ring without its closing vertex (the server closes rings; the editor edits open ones). */
export function openRing(ring: readonly (readonly number[])[]): [number, number][] {
  const pts = ring.map(([lon, lat]) => [lon!, lat!] as [number, number]);
  if (pts.length > 1) {
    const [a, b] = [pts[0]!, pts[pts.length - 1]!];
    if (a[0] === b[0] && a[1] === b[1]) pts.pop();
  }
  return pts;
}

/** A stored geofence as the map draws it. */
export function fenceOnMap(f: Geofence, style?: MapFence['style']): MapFence {
  const g = f.geometry as { center?: { latitude: number; longitude: number }; radiusM?: number; rings?: number[][][] };
  const shape: MapFence['shape'] =
    f.kind === 'circle' && g.center && g.radiusM !== undefined
      ? { kind: 'circle', center: g.center, radiusM: g.radiusM }
      : { kind: 'polygon', rings: (g.rings ?? []).map((r) => openRing(r)) };
  return { id: f.id, name: f.name, shape, style: style ?? (!f.active ? 'inactive' : f.locationId ? 'site' : 'fence') };
}

export type Bounds = [[number, number], [number, number]];

const M_PER_DEG_LAT = 111_320;

/** The box around a circle (latitude ± r, longitude ± r / cos latitude). */
export function circleBounds(center: { latitude: number; longitude: number }, radiusM: number): Bounds {
  const dLat = radiusM / M_PER_DEG_LAT;
  const cos = Math.max(Math.cos((center.latitude * Math.PI) / 180), 1e-6);
  const dLon = Math.min(radiusM / (M_PER_DEG_LAT * cos), 180);
  return [
    [center.latitude - dLat, center.longitude - dLon],
    [center.latitude + dLat, center.longitude + dLon],
  ];
}

/** The box around everything on the map, or null when there is nothing. */
export function boundsOf(markers: readonly MapMarker[], fences: readonly MapFence[], track: readonly [number, number][] = []): Bounds | null {
  const pts: [number, number][] = [];
  for (const m of markers) pts.push([m.latitude, m.longitude]);
  for (const p of track) pts.push(p);
  for (const f of fences) {
    const s = f.shape;
    if (s.kind === 'circle') pts.push(...circleBounds(s.center, s.radiusM));
    else if (s.kind === 'polygon') for (const r of s.rings.slice(0, 1)) for (const [lon, lat] of r) pts.push([lat, lon]);
    else for (const [lon, lat] of s.points) pts.push([lat, lon]);
  }
  const ok = pts.filter(([a, b]) => Number.isFinite(a) && Number.isFinite(b));
  if (!ok.length) return null;
  const lats = ok.map((p) => p[0]);
  const lons = ok.map((p) => p[1]);
  return [
    [Math.min(...lats), Math.min(...lons)],
    [Math.max(...lats), Math.max(...lons)],
  ];
}
