/**
 * Console test harness for the GPS plugin: the real shell (router, guards, session and platform
 * stores, API client) from `apps/admin/test`, with this plugin's console module loaded and
 * reported enabled by the platform endpoint (fixed-assets too, unless told otherwise). Requests go
 * to msw; `gpsApi()` answers the GPS routes from an in-memory state the tests shape, and records
 * nothing itself (the shell's `requests` list holds every call).
 *
 * Leaflet runs in happy-dom (no layout: every size is 0), so tests read what the map was given
 * from the list `GpsMap` renders under it (`map-marker`, `map-fence`, `map-track`).
 */
import { http, HttpResponse } from 'msw';
import { vi } from 'vitest';
import { all, platformPlugin, q, renderWithPlugins, server, settle } from '../../../../apps/admin/test/plugin-harness';
import type { Geofence, GeofenceEvent, Position, Tracker, Trip } from '../../src/admin/types';

export { ADMIN_SESSION, all, bodyText, byTestId, cells, choose, click, problem, q, requests, server, settle, state, text, toasts, typeInto } from '../../../../apps/admin/test/plugin-harness';

/** Mount the console at `path` with gps enabled (and fixed-assets unless `fixedAssets: false`). */
export async function renderGps(path: string, options: { fixedAssets?: boolean } = {}) {
  const plugins = [...(options.fixedAssets === false ? [] : [platformPlugin('fixed-assets', 'Fixed assets')]), platformPlugin('gps', 'GPS tracking')];
  return renderWithPlugins(path, plugins, { gps: () => import('../../src/admin/index') });
}

export const paged = <T>(data: T[], url: string | URL, total = data.length) => {
  const q = new URL(url).searchParams;
  const limit = Number(q.get('limit') ?? 50);
  const offset = Number(q.get('offset') ?? 0);
  return HttpResponse.json({ data: data.slice(offset, offset + limit), total, limit, offset });
};

const clean = (s: string | null | undefined) => s?.replace(/\s+/g, ' ').trim() ?? null;

/** Type into the native input with `testid` inside `root`, as a user does (input, then change). */
export async function typeIn(root: ParentNode, testid: string, value: string) {
  const el = root.querySelector<HTMLInputElement>(`[data-testid="${testid}"]`);
  if (!el) throw new Error(`no input with data-testid="${testid}" there`);
  el.value = value;
  el.dispatchEvent(new Event('input', { bubbles: true }));
  el.dispatchEvent(new Event('change', { bubbles: true }));
  await settle(2);
}

/** The error Element Plus shows under the (innermost) form item that holds `testid`. */
export function fieldError(testid: string, root: ParentNode = document): string | undefined {
  const el = q(testid, root);
  if (!el) throw new Error(`no element with data-testid="${testid}"`);
  const item = el.closest('.el-form-item');
  // The error of this item itself, not of an item nested in it.
  const own = [...(item?.querySelectorAll('.el-form-item__error') ?? [])].filter((e) => e.closest('.el-form-item') === item);
  return own[0]?.textContent?.trim();
}

/** What the map was given: markers and fences as `GpsMap` lists them. */
export const mapMarkers = () =>
  all('map-marker').map((e) => ({ id: e.dataset.id, kind: e.dataset.kind, lat: Number(e.dataset.lat), lon: Number(e.dataset.lon), muted: e.dataset.muted === 'true', text: clean(e.textContent) }));
export const mapFences = () => all('map-fence').map((e) => ({ id: e.dataset.id, style: e.dataset.style, shape: e.dataset.shape, geometry: JSON.parse(e.dataset.geometry ?? 'null'), name: clean(e.textContent) }));

// ---------------------------------------------------------------------------------------------
// Fixtures

export const VAN_ID = '0196c000-0000-7000-8000-00000000d001';
export const CRANE_ID = '0196c000-0000-7000-8000-00000000d002';
export const NEW_ID = '0196c000-0000-7000-8000-00000000d003';
export const YARD_ID = '0196c000-0000-7000-8000-00000000f001';
export const DEPOT_ID = '0196c000-0000-7000-8000-00000000f002';
export const ASSET_ID = '0196c000-0000-7000-8000-00000000a001';
export const LOC_ID = '0196c000-0000-7000-8000-00000000c001';
export const NOW = '2026-11-23T10:00:00.000Z';

export function position(latitude: number, longitude: number, at: string, patch: Partial<Position> = {}): Position {
  return { at, latitude, longitude, speedKnots: null, courseDeg: null, altitudeM: null, accuracyM: null, battery: null, valid: true, ...patch };
}

export function makeTracker(deviceId: string, code: string, name: string, patch: Partial<Tracker> = {}): Tracker {
  return {
    deviceId,
    code,
    name,
    kind: 'gps-tracker',
    adapter: 'osmand',
    status: 'active',
    lastSeenAt: NOW,
    assetId: null,
    asset: null,
    lastPosition: null,
    insideFences: [],
    ...patch,
  };
}

export const ASSET = { id: ASSET_ID, tag: 'AST-2026-00042', name: 'Mobile crane', status: 'in-service', locationId: null };

export function makeFence(id: string, name: string, patch: Partial<Geofence> = {}): Geofence {
  return {
    id,
    name,
    kind: 'circle',
    geometry: { center: { latitude: 52.52, longitude: 13.405 }, radiusM: 300 },
    dwellSeconds: null,
    locationId: null,
    locationName: null,
    afterHours: null,
    active: true,
    version: 1,
    createdAt: NOW,
    updatedAt: NOW,
    ...patch,
  };
}

export function makeEvent(n: number, patch: Partial<GeofenceEvent> = {}): GeofenceEvent {
  return {
    id: String(n),
    type: 'entered',
    deviceId: VAN_ID,
    deviceCode: 'van-7',
    fenceId: YARD_ID,
    fenceName: 'Yard North',
    at: NOW,
    enteredAt: NOW,
    latitude: 52.52,
    longitude: 13.405,
    assetId: null,
    afterHours: false,
    ...patch,
  };
}

export const LOCATIONS = [{ id: LOC_ID, name: 'Berlin yard', code: 'BER', type: 'site', parentId: null, path: 'Berlin yard', archived: false, children: [] }];

export interface GpsState {
  tileUrl: string | null;
  attribution: string | null;
  trackers: Tracker[];
  fences: Geofence[];
  events: GeofenceEvent[];
  positions: Record<string, Position[]>;
  trips: Record<string, Trip[]>;
  truncated: boolean;
}

/**
 * The GPS API over `s` (change it between calls), the location tree and fixed-assets' asset
 * search. Lists answer `?limit/offset` pages; `/trackers/:id/positions` answers every position of
 * the tracker whatever the range (tests assert on the range asked for, from `requests`).
 */
export function gpsApi(patch: Partial<GpsState> = {}): GpsState {
  const s: GpsState = { tileUrl: null, attribution: null, trackers: [], fences: [], events: [], positions: {}, trips: {}, truncated: false, ...patch };
  const tracker = (id: unknown) => s.trackers.find((t) => t.deviceId === id);
  server.use(
    http.get('*/api/gps/status', () =>
      HttpResponse.json({ nmeaTcp: { enabled: false, host: null, port: null, connections: 0 }, fencesLoaded: s.fences.length, positionRetentionDays: 180, map: { tileUrl: s.tileUrl, attribution: s.attribution } }),
    ),
    http.get('*/api/gps/trackers', ({ request }) => paged(s.trackers, request.url)),
    http.get('*/api/gps/trackers/:id', ({ params }) => (tracker(params.id) ? HttpResponse.json(tracker(params.id)) : HttpResponse.json({ type: 'not-found', title: 'Not found', status: 404 }, { status: 404 }))),
    http.get('*/api/gps/trackers/:id/positions', ({ params, request }) => {
      const u = new URL(request.url).searchParams;
      return HttpResponse.json({ deviceId: params.id, from: u.get('from'), to: u.get('to'), positions: s.positions[params.id as string] ?? [], truncated: s.truncated });
    }),
    http.get('*/api/gps/trackers/:id/trips', ({ params, request }) => {
      const u = new URL(request.url).searchParams;
      return HttpResponse.json({ deviceId: params.id, from: u.get('from'), to: u.get('to'), trips: s.trips[params.id as string] ?? [] });
    }),
    http.get('*/api/gps/geofences', ({ request }) => {
      const active = new URL(request.url).searchParams.get('active');
      return paged(
        s.fences.filter((f) => active === null || String(f.active) === active),
        request.url,
      );
    }),
    http.get('*/api/gps/geofences/:id', ({ params }) => {
      const f = s.fences.find((x) => x.id === params.id);
      return f ? HttpResponse.json(f) : HttpResponse.json({ type: 'not-found', title: 'Not found', status: 404 }, { status: 404 });
    }),
    http.get('*/api/gps/events', ({ request }) => {
      const u = new URL(request.url).searchParams;
      const rows = s.events.filter((e) => (!u.get('trackerId') || e.deviceId === u.get('trackerId')) && (!u.get('fenceId') || e.fenceId === u.get('fenceId')) && (!u.get('type') || e.type === u.get('type')));
      return paged(rows, request.url);
    }),
    http.get('*/api/core/locations/tree', () => HttpResponse.json(LOCATIONS)),
    http.get('*/api/fixed-assets/assets', ({ request }) => {
      const q = (new URL(request.url).searchParams.get('q') ?? '').toLowerCase();
      return paged([ASSET].filter((a) => !q || a.tag.toLowerCase().includes(q) || a.name.toLowerCase().includes(q)), request.url);
    }),
    http.get(`*/api/fixed-assets/assets/${ASSET_ID}`, () => HttpResponse.json(ASSET)),
  );
  return s;
}

/** A 400 `validation` problem as the server answers it (`detail` lists the fields). */
export function validation(errors: { field: string; message: string }[]) {
  return HttpResponse.json(
    { type: 'https://quartermaster.dev/problems/validation', title: 'Invalid request', status: 400, detail: errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors },
    { status: 400, headers: { 'content-type': 'application/problem+json' } },
  );
}

/** Type into the first native input inside the element with `testid` (wrappers of autocompletes, pickers). */
export async function typeInside(testid: string, value: string, root: ParentNode = document) {
  const el = q(testid, root)?.querySelector<HTMLInputElement>('input, textarea');
  if (!el) throw new Error(`no input inside data-testid="${testid}"`);
  el.value = value;
  el.dispatchEvent(new Event('input', { bubbles: true }));
  el.dispatchEvent(new Event('change', { bubbles: true }));
  await settle(2);
}

/** Confirm the open ElMessageBox. */
export async function confirmBox() {
  const btn = await vi.waitFor(() => {
    const b = document.querySelector<HTMLElement>('.el-message-box__btns .el-button--primary');
    if (!b) throw new Error('no message box open');
    return b;
  });
  btn.click();
  await settle();
}
