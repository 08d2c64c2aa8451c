/** Formatting for pages: instants, coordinates, speeds, durations, distances. */

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}

/** Degrees to at most 6 decimals (about 0.1 m), without trailing zeros: `52.52`, `13.405`. */
export function degrees(v: number | null | undefined): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '—' : String(Number(v.toFixed(6)));
}

/** `52.52, 13.405` (latitude first, as people read positions). */
export function latLon(lat: number | null | undefined, lon: number | null | undefined): string {
  return lat === null || lat === undefined || lon === null || lon === undefined ? '—' : `${degrees(lat)}, ${degrees(lon)}`;
}

const KMH_PER_KNOT = 1.852;

/** Knots (what trackers report) with km/h: `12.5 kn (23.2 km/h)`. */
export function speed(knots: number | null | undefined): string {
  if (knots === null || knots === undefined || !Number.isFinite(knots)) return '—';
  return `${Number(knots.toFixed(1))} kn (${(knots * KMH_PER_KNOT).toFixed(1)} km/h)`;
}

export function battery(percent: number | null | undefined): string {
  return percent === null || percent === undefined ? '—' : `${Number(percent.toFixed(0))} %`;
}

/** `3 h 05 min`, `12 min 30 s`, `45 s`. */
export function duration(seconds: number): string {
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  if (h) return `${h} h ${String(m).padStart(2, '0')} min`;
  if (m) return rest ? `${m} min ${rest} s` : `${m} min`;
  return `${rest} s`;
}

/** `850 m`, `11.12 km`. */
export function distance(metres: number): string {
  return metres < 1000 ? `${Math.round(metres)} m` : `${(metres / 1000).toFixed(2)} km`;
}

export function dash(v: string | number | null | undefined): string {
  return v === null || v === undefined || v === '' ? '—' : String(v);
}
