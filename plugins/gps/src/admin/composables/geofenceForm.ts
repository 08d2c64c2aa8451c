/**
 * The geofence editor's form: what it starts from (blank or a stored fence), and the request body
 * it sends (`POST /geofences`, `PATCH /geofences/:id`), with the checks worth making before the
 * server does (blank name, a circle without a centre, a polygon with fewer than 3 corners, working
 * hours not written as ranges). The server checks the rest and names the member at fault.
 *
 * Numbers are kept as typed text, so a half-typed value is not silently changed.
 */
import type { FenceKind, Geofence, GeofenceInput, WorkingHours } from '../types';
import { openRing } from './mapModel';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
export const WEEKDAY_LABELS: Record<Weekday, string> = { mon: 'Monday', tue: 'Tuesday', wed: 'Wednesday', thu: 'Thursday', fri: 'Friday', sat: 'Saturday', sun: 'Sunday' };

export interface Vertex {
  latitude: string;
  longitude: string;
}

export interface FenceForm {
  id: string | null;
  version: number | null;
  name: string;
  kind: FenceKind;
  center: Vertex;
  radiusM: string;
  /** The outer boundary as drawn (open: the server closes it). */
  vertices: Vertex[];
  /** The polygon is finished: map clicks no longer add corners. */
  closed: boolean;
  /** Holes of a stored polygon, kept as they are (`[lon, lat]` rings). */
  holes: [number, number][][];
  dwellSeconds: string;
  locationId: string;
  active: boolean;
  hoursOn: boolean;
  timeZone: string;
  /** Per weekday: `07:00-12:00, 13:00-17:00`. */
  days: Record<Weekday, string>;
  /** Comma-separated `YYYY-MM-DD`. */
  holidays: string;
}

const localZone = () => {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
};

const noDays = (): Record<Weekday, string> => ({ mon: '', tue: '', wed: '', thu: '', fri: '', sat: '', sun: '' });

export function blankForm(kind: FenceKind = 'circle'): FenceForm {
  return {
    id: null,
    version: null,
    name: '',
    kind,
    center: { latitude: '', longitude: '' },
    radiusM: '200',
    vertices: [],
    closed: false,
    holes: [],
    dwellSeconds: '',
    locationId: '',
    active: true,
    hoursOn: false,
    timeZone: localZone(),
    days: noDays(),
    holidays: '',
  };
}

const text = (n: number) => String(n);

export function formOf(f: Geofence): FenceForm {
  const g = f.geometry as { center?: { latitude: number; longitude: number }; radiusM?: number; rings?: number[][][] };
  const form = blankForm(f.kind);
  form.id = f.id;
  form.version = f.version;
  form.name = f.name;
  if (f.kind === 'circle' && g.center) {
    form.center = { latitude: text(g.center.latitude), longitude: text(g.center.longitude) };
    form.radiusM = text(g.radiusM ?? 0);
  } else if (g.rings?.length) {
    form.vertices = openRing(g.rings[0]!).map(([lon, lat]) => ({ latitude: text(lat), longitude: text(lon) }));
    form.closed = true;
    form.holes = g.rings.slice(1).map((r) => r.map(([lon, lat]) => [lon!, lat!] as [number, number]));
  }
  form.dwellSeconds = f.dwellSeconds === null ? '' : text(f.dwellSeconds);
  form.locationId = f.locationId ?? '';
  form.active = f.active;
  if (f.afterHours) {
    form.hoursOn = true;
    form.timeZone = f.afterHours.timeZone;
    form.days = noDays();
    for (const d of WEEKDAYS) form.days[d] = dayRangesText(f.afterHours.days[d] ?? []);
    form.holidays = (f.afterHours.holidays ?? []).join(', ');
  }
  return form;
}

/** `[["07:00","12:00"],["13:00","17:00"]]` → `07:00-12:00, 13:00-17:00`. */
export function dayRangesText(ranges: readonly (readonly string[])[]): string {
  return ranges.map(([a, b]) => `${a}-${b}`).join(', ');
}

const RANGE = /^(\d{1,2}:\d{2})\s*[-–]\s*(\d{1,2}:\d{2})$/;
const pad = (t: string) => (t.length === 4 ? `0${t}` : t);

/** `07:00-12:00, 13:00-17:00` → ranges; null when a part is not `HH:mm-HH:mm`. Blank: no hours that day. */
export function parseDayRanges(s: string): [string, string][] | null {
  const parts = s
    .split(/[,;]/)
    .map((p) => p.trim())
    .filter(Boolean);
  const out: [string, string][] = [];
  for (const p of parts) {
    const m = RANGE.exec(p);
    if (!m) return null;
    out.push([pad(m[1]!), pad(m[2]!)]);
  }
  return out;
}

const num = (s: string): number | undefined => {
  const t = s.trim().replace(',', '.');
  if (!t) return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
};

export type BuildResult = { ok: true; body: GeofenceInput } | { ok: false; errors: Record<string, string> };

/** The request body of the form, or the fields to fix first (keyed as the server names them). */
export function bodyOf(form: FenceForm): BuildResult {
  const errors: Record<string, string> = {};
  if (!form.name.trim()) errors.name = 'Give the geofence a name';

  let geometry: GeofenceInput['geometry'];
  if (form.kind === 'circle') {
    const lat = num(form.center.latitude);
    const lon = num(form.center.longitude);
    const r = num(form.radiusM);
    if (lat === undefined || lon === undefined) errors['geometry.center'] = 'Click the centre on the map, or type its latitude and longitude';
    if (r === undefined || !(r > 0)) errors['geometry.radiusM'] = 'Give the radius in metres';
    geometry = { center: { latitude: lat ?? NaN, longitude: lon ?? NaN }, radiusM: r ?? NaN };
  } else {
    const ring: [number, number][] = [];
    form.vertices.forEach((v, i) => {
      const lat = num(v.latitude);
      const lon = num(v.longitude);
      if (lat === undefined || lon === undefined) errors[`geometry.rings.0.${i}`] = 'Type a latitude and a longitude';
      ring.push([lon ?? NaN, lat ?? NaN]);
    });
    if (form.vertices.length < 3) errors['geometry.rings'] = 'Click at least 3 corners on the map';
    geometry = { rings: [ring, ...form.holes] };
  }

  let dwellSeconds: number | null = null;
  if (form.dwellSeconds.trim()) {
    const d = num(form.dwellSeconds);
    if (d === undefined || !Number.isInteger(d) || d < 0) errors.dwellSeconds = 'Whole seconds, 0 or more (blank: no dwell events)';
    else dwellSeconds = d;
  }

  let afterHours: WorkingHours | null = null;
  if (form.hoursOn) {
    if (!form.timeZone.trim()) errors['afterHours.timeZone'] = 'Give the site\'s time zone, e.g. Europe/Berlin';
    const days: WorkingHours['days'] = {};
    for (const d of WEEKDAYS) {
      const ranges = parseDayRanges(form.days[d]);
      if (ranges === null) errors[`afterHours.days.${d}`] = 'Write ranges as 07:00-18:00, separated by commas';
      else if (ranges.length) days[d] = ranges;
    }
    const holidays = form.holidays
      .split(/[,;\s]+/)
      .map((h) => h.trim())
      .filter(Boolean);
    afterHours = { timeZone: form.timeZone.trim(), days, ...(holidays.length ? { holidays } : {}) };
  }

  if (Object.keys(errors).length) return { ok: false, errors };
  return {
    ok: true,
    body: { name: form.name.trim(), kind: form.kind, geometry, dwellSeconds, locationId: form.locationId || null, afterHours, active: form.active },
  };
}
