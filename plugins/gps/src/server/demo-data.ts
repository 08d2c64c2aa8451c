/**
 * Demo GPS tracking on top of the server's demo catalogue, whose two sites carry real-looking
 * coordinates: the Main DC on Waalhaven Oostzijde in Rotterdam's port (51.8858° N, 4.4396° E) and
 * the Utrecht Store on the Oudegracht (52.0907° N, 5.1214° E). Every coordinate below is placed
 * around those two points and the roads between them (A12, A20, A16, A15):
 *
 * - geofences: "Main DC yard", a polygon around the DC's yard, and "Utrecht Store", a 120 m circle
 *   with a 10-minute dwell — both sites (assets whose trackers enter move there); "Waalhaven
 *   trailer park", a circle 1.3 km south of the DC where trailers are dropped, not a site;
 * - trackers on the OsmAnd adapter (Traccar Client on a phone in the van and a tablet in the
 *   tractor cab): the delivery van of the fixed-assets demo, and a yard tractor registered in
 *   fixed-assets for the demo (tag YT-0001); unlinked when fixed-assets is not enabled;
 * - the last five hours of positions, ending ten minutes before now (times count back from now, in
 *   UTC, so they are always in the past): the van waits at the Utrecht Store, drives to the Main DC
 *   (under an hour: the trip) for its inspection in the workshop and stays there; the yard tractor
 *   shuttles trailers between the DC yard and the trailer park four times.
 *
 * Positions go through the core's `deviceIngestion` with the OsmAnd parameters a Traccar Client
 * sends, so positions, last positions, trips, geofence enter/exit/dwell events and the van's move
 * to the Main DC come out of the real consumer. Sites are found by code; without both nothing is
 * seeded. Nothing is seeded twice: the trackers' codes say it was done.
 */
import { ProblemError, deviceIngestion, deviceRegistry, type DeviceIngestInput, type DeviceIngestionService, type PluginContext, type Transaction } from '@quartermaster/sdk';
import { SYSTEM_ACTOR } from '@quartermaster/core';
import { fixedAssetsService, type AssetSummary, type FixedAssetsService } from '@quartermaster/plugin-fixed-assets/shared';
import { haversineM } from '../domain/index.js';
import { GeofenceCreated, TrackerAssetLinked, type FenceKind } from '../shared/index.js';
import { checkGeometry, type GeometryInput } from './services/fences.js';
import { bumpFenceRevision } from './services/runtime.js';

const DEMO_ACTOR = { ...SYSTEM_ACTOR, label: 'demo data' };
const MINUTE = 60_000;
const KNOTS_PER_KMH = 1 / 1.852;

/** Codes of the demo trackers and names of the demo fences (the tests find them by these). */
export const DEMO_TRACKERS = { van: 'VAN-1-GPS', tractor: 'YT-0001-GPS' } as const;
export const DEMO_FENCES = { dc: 'Main DC yard', store: 'Utrecht Store', trailerPark: 'Waalhaven trailer park' } as const;
/** The yard tractor's asset tag in fixed-assets. */
export const DEMO_TRACTOR_TAG = 'YT-0001';

/** [latitude, longitude] */
type Point = readonly [number, number];

/** The DC yard along Waalhaven Oostzijde, as [longitude, latitude] (GeoJSON order), closed. */
const DC_YARD: Array<[number, number]> = [
  [4.43698, 51.88454],
  [4.44208, 51.88436],
  [4.44252, 51.88688],
  [4.43742, 51.88715],
  [4.43684, 51.88598],
  [4.43698, 51.88454],
];
const STORE: Point = [52.0907, 5.1214];
const TRAILER_PARK: Point = [51.8745, 4.4372];

/** The van's road from the Oudegracht to the DC's dock, with the speed driven from each point on (km/h). */
const VAN_ROUTE: Array<[number, number, number]> = [
  [52.0907, 5.1214, 20], // Utrecht Store, Oudegracht
  [52.0889, 5.116, 30],
  [52.0858, 5.1098, 40], // Catharijnesingel
  [52.079, 5.0955, 60],
  [52.0735, 5.0712, 100], // A12 at Oudenrijn
  [52.0768, 4.995, 100],
  [52.0752, 4.885, 100], // past Woerden
  [52.0712, 4.762, 100], // Bodegraven
  [52.053, 4.705, 100],
  [52.0395, 4.6665, 80], // Gouwe interchange, onto the A20
  [51.988, 4.648, 100],
  [51.9665, 4.601, 100], // Nieuwerkerk aan den IJssel
  [51.956, 4.552, 80],
  [51.9512, 4.5235, 70], // Terbregseplein, onto the A16
  [51.929, 4.5395, 90],
  [51.9075, 4.5455, 90], // Van Brienenoord bridge
  [51.889, 4.5555, 90],
  [51.8738, 4.564, 80], // Ridderkerk interchange, onto the A15
  [51.8702, 4.53, 100],
  [51.869, 4.495, 100], // Vaanplein
  [51.8705, 4.464, 60],
  [51.8738, 4.4515, 40], // exit Waalhaven
  [51.8792, 4.4418, 30], // Waalhaven Oostzijde
  [51.8832, 4.4394, 12], // the DC's gate
  [51.8858, 4.4396, 0], // dock 4, by the workshop
];
/** The tractor's run from dock 7 out of the gate to the trailer park. */
const TRACTOR_RUN: Array<[number, number, number]> = [
  [51.8864, 4.4404, 12],
  [51.885, 4.4398, 15],
  [51.8832, 4.4394, 25],
  [51.8792, 4.4418, 25],
  [51.8762, 4.439, 15],
  [51.8745, 4.4372, 0],
];

interface Fix {
  at: number;
  lat: number;
  lon: number;
  knots: number;
  course: number | null;
}

/** A small deterministic wobble (−1…1), so parked fixes and speeds look like a receiver's and runs repeat exactly. */
const wobble = (n: number) => Math.sin(n * 12.9898) * 0.5 + Math.sin(n * 78.233) * 0.5;

function bearing(a: Point, b: Point): number {
  const [φ1, φ2] = [(a[0] * Math.PI) / 180, (b[0] * Math.PI) / 180];
  const Δλ = ((b[1] - a[1]) * Math.PI) / 180;
  const θ = Math.atan2(Math.sin(Δλ) * Math.cos(φ2), Math.cos(φ1) * Math.sin(φ2) - Math.sin(φ1) * Math.cos(φ2) * Math.cos(Δλ));
  return Math.round(((θ * 180) / Math.PI + 360) % 360);
}

/** Fixes every `everyMs` along a route driven at each leg's speed, from `start`; the last fix is at the end point. */
function drive(route: Array<[number, number, number]>, start: number, everyMs: number, seed: number): { fixes: Fix[]; end: number } {
  const legs = route.slice(0, -1).map(([lat, lon, kmh], i) => {
    const next = route[i + 1];
    const metres = haversineM({ latitude: lat, longitude: lon }, { latitude: next[0], longitude: next[1] });
    return { from: [lat, lon] as Point, to: [next[0], next[1]] as Point, kmh, ms: (metres / (kmh / 3.6)) * 1000 };
  });
  const total = legs.reduce((s, l) => s + l.ms, 0);
  const fixes: Fix[] = [];
  for (let t = 0, n = 0; ; t = Math.min(t + everyMs, total), n++) {
    let rest = t;
    let leg = legs[0];
    for (leg of legs) {
      if (rest <= leg.ms) break;
      rest -= leg.ms;
    }
    const f = leg.ms ? Math.min(1, rest / leg.ms) : 1;
    const last = t >= total;
    fixes.push({
      at: start + Math.round(t),
      lat: leg.from[0] + (leg.to[0] - leg.from[0]) * f,
      lon: leg.from[1] + (leg.to[1] - leg.from[1]) * f,
      knots: last ? 0 : Math.max(0, leg.kmh * KNOTS_PER_KMH * (1 + 0.06 * wobble(seed + n))),
      course: bearing(leg.from, leg.to),
    });
    if (last) break;
  }
  return { fixes, end: start + Math.round(total) };
}

/** Standing fixes every `everyMs` from `from` up to `to`, a few metres of receiver noise around `p`. */
function park(p: Point, from: number, to: number, everyMs: number, seed: number): Fix[] {
  const out: Fix[] = [];
  for (let at = from, n = 0; at <= to; at += everyMs, n++) {
    out.push({ at, lat: p[0] + 0.00002 * wobble(seed + n), lon: p[1] + 0.00003 * wobble(seed + n + 7), knots: 0, course: null });
  }
  return out;
}

/** The van's drive and the tractor's shuttles over the five hours before `now`, ending ten minutes before it. */
export function demoTracks(now: number): { van: Fix[]; tractor: Fix[] } {
  const end = now - 10 * MINUTE;
  const start = Math.floor((now - 5 * 3_600_000) / MINUTE) * MINUTE;

  const departure = start + 30 * MINUTE;
  const toDc = drive(VAN_ROUTE, departure, 30_000, 1);
  const dock: Point = [VAN_ROUTE.at(-1)![0], VAN_ROUTE.at(-1)![1]];
  const van = [...park(STORE, start, departure - MINUTE, 2 * MINUTE, 100), ...toDc.fixes, ...park(dock, toDc.end + 2 * MINUTE, end, 2 * MINUTE, 300)];

  const bay: Point = [TRACTOR_RUN[0][0], TRACTOR_RUN[0][1]];
  // The way back: the same points in reverse, each leg at the speed it was driven out.
  const n = TRACTOR_RUN.length;
  const back = TRACTOR_RUN.map((_, i): [number, number, number] => [TRACTOR_RUN[n - 1 - i][0], TRACTOR_RUN[n - 1 - i][1], i === n - 1 ? 0 : TRACTOR_RUN[n - 2 - i][2]]);
  const tractor: Fix[] = [];
  let at = start + 45 * MINUTE;
  tractor.push(...park(bay, start + 20 * MINUTE, at - MINUTE, 2 * MINUTE, 500));
  for (let run = 0; run < 4; run++) {
    const out = drive(TRACTOR_RUN, at, 20_000, 600 + run * 40);
    const parkPoint: Point = [TRACTOR_RUN.at(-1)![0], TRACTOR_RUN.at(-1)![1]];
    // Drop the trailer, hook the next one: about ten minutes in the park.
    const leave = out.end + 10 * MINUTE;
    const home = drive(back, leave, 20_000, 620 + run * 40);
    const nextRun = run < 3 ? home.end + 35 * MINUTE : end;
    tractor.push(...out.fixes, ...park(parkPoint, out.end + 2 * MINUTE, leave - MINUTE, 2 * MINUTE, 700 + run * 40), ...home.fixes, ...park(bay, home.end + 2 * MINUTE, Math.min(nextRun, end) - MINUTE, 2 * MINUTE, 800 + run * 40));
    at = nextRun;
    if (at >= end) break;
  }
  return { van, tractor: tractor.filter((f) => f.at < end) };
}

/** The yard polygon and two circles; their geometry is checked as the geofence routes check it. */
const FENCES: Array<{ name: string; kind: FenceKind; geometry: GeometryInput; site: 'RTM' | 'UTR' | null; dwellSeconds: number | null }> = [
  { name: DEMO_FENCES.dc, kind: 'polygon', geometry: { rings: [DC_YARD] }, site: 'RTM', dwellSeconds: null },
  { name: DEMO_FENCES.store, kind: 'circle', geometry: { center: { latitude: STORE[0], longitude: STORE[1] }, radiusM: 120 }, site: 'UTR', dwellSeconds: 600 },
  { name: DEMO_FENCES.trailerPark, kind: 'circle', geometry: { center: { latitude: TRAILER_PARK[0], longitude: TRAILER_PARK[1] }, radiusM: 100 }, site: null, dwellSeconds: null },
];

export async function seedGpsDemo(ctx: PluginContext<any>, fencesChanged: () => void): Promise<void> {
  const registry = ctx.services.get(deviceRegistry);
  const assets = ctx.services.getOptional(fixedAssetsService);

  const keys = await ctx.transaction(DEMO_ACTOR, async (tx) => {
    await tx.execute(`SELECT pg_advisory_xact_lock(hashtext('gps.demo-data'))`);
    if ((await registry.byCode(DEMO_TRACKERS.van, tx)) || (await registry.byCode(DEMO_TRACKERS.tractor, tx))) return null;
    const sites = new Map((await tx.execute<{ code: string; id: string }>(`SELECT code, id FROM core_location WHERE code IN ('RTM', 'UTR') AND NOT archived`)).map((r) => [r.code, r.id]));
    if (!sites.has('RTM') || !sites.has('UTR')) return null;

    for (const f of FENCES) {
      const [taken] = await tx.execute(`SELECT 1 FROM gps_geofence WHERE lower(name) = lower($1)`, [f.name]);
      if (taken) continue;
      const { stored } = checkGeometry(f.kind, f.geometry);
      const locationId = f.site ? sites.get(f.site)! : null;
      const [created] = await tx.execute<{ id: string }>(
        `INSERT INTO gps_geofence (name, kind, geometry, dwell_seconds, location_id, active) VALUES ($1, $2, $3, $4, $5, true) RETURNING id::text`,
        [f.name, f.kind, JSON.stringify(stored), f.dwellSeconds, locationId],
      );
      await bumpFenceRevision(tx);
      await tx.audit({ action: 'created', entityType: 'gps.geofence', entityId: created.id, after: { name: f.name, kind: f.kind, geometry: stored, dwellSeconds: f.dwellSeconds, locationId, afterHours: null, active: true } });
      await tx.emit(GeofenceCreated, { id: created.id, name: f.name, kind: f.kind, locationId });
    }

    const van = await registry.register(tx, { code: DEMO_TRACKERS.van, name: 'Sprinter VZ-318-K', kind: 'gps-tracker', adapter: 'osmand', model: 'Traccar Client on the dashboard phone', settings: {} });
    const tractor = await registry.register(tx, { code: DEMO_TRACKERS.tractor, name: 'Yard tractor YT-0001', kind: 'gps-tracker', adapter: 'osmand', model: 'Traccar Client on the cab tablet', settings: {} });
    if (assets) {
      const vanAsset = (await standaloneAssets(tx, assets)).find((a) => a.name.startsWith('Delivery van'));
      if (vanAsset) await link(tx, van.device.id, van.device.code, vanAsset.id);
      const yardTractor =
        (await assets.findByTag(DEMO_TRACTOR_TAG)) ??
        (await assets.registerAsset(tx, {
          tag: DEMO_TRACTOR_TAG,
          name: 'Yard tractor Terberg YT203-EV',
          serialNumber: 'XLTYT203EV0021418',
          locationId: sites.get('RTM')!,
          supplier: 'Terberg Benschop',
          purchaseDate: new Date(Date.now() - 420 * 86_400_000).toISOString().slice(0, 10),
          acquisitionCost: '186500.00',
          status: 'in-service',
          notes: 'Shunts trailers between the docks and the Waalhaven trailer park.',
        }));
      await link(tx, tractor.device.id, tractor.device.code, yardTractor.id);
    }
    return { van: van.key, tractor: tractor.key };
  });
  if (!keys) return;
  fencesChanged();

  // What Traccar Client sends: the OsmAnd parameters, the device key as `id`, speed in knots.
  const ingestion = ctx.services.get(deviceIngestion);
  const send = async (key: string, fixes: Fix[], battery: (i: number) => number) => {
    for (const [i, f] of fixes.entries()) {
      const query: Record<string, string> = {
        id: key,
        timestamp: String(Math.floor(f.at / 1000)),
        lat: f.lat.toFixed(6),
        lon: f.lon.toFixed(6),
        speed: f.knots.toFixed(1),
        altitude: (1 + wobble(i)).toFixed(1),
        accuracy: (6 + 2 * wobble(i + 3)).toFixed(1),
        batt: String(battery(i)),
      };
      if (f.course !== null) query.bearing = String(f.course);
      await ingestPatiently(ingestion, { key, transport: 'http', body: '', text: '', query, source: 'demo data' });
    }
  };
  const tracks = demoTracks(Date.now());
  // The van's phone charges on the dashboard; the tablet runs down through the shift.
  await send(keys.van, tracks.van, (i) => Math.min(100, 88 + Math.floor(i / 12)));
  await send(keys.tractor, tracks.tractor, (i) => Math.max(20, 92 - Math.floor(i / 8)));
  await ingestion.idle();
}

/** Ingest as a tracker does: when the queue is full (503), wait for it to drain and send again. */
async function ingestPatiently(ingestion: DeviceIngestionService, input: DeviceIngestInput): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await ingestion.ingest(input);
      return;
    } catch (err) {
      if (!(err instanceof ProblemError && err.status === 503) || attempt >= 20) throw err;
      await ingestion.idle();
    }
  }
}

/** Link a tracker to an asset as `PUT /trackers/:id/asset` does: the tracker row, audit record and event. */
async function link(tx: Transaction, deviceId: string, deviceCode: string, assetId: string) {
  await tx.execute(`INSERT INTO gps_tracker AS t (device_id, asset_id) VALUES ($1, $2) ON CONFLICT (device_id) DO UPDATE SET asset_id = EXCLUDED.asset_id, updated_at = now()`, [deviceId, assetId]);
  await tx.audit({ action: 'asset-linked', entityType: 'gps.tracker', entityId: deviceId, before: { assetId: null }, after: { assetId } });
  await tx.emit(TrackerAssetLinked, { deviceId, deviceCode, assetId, previousAssetId: null });
}

/** Assets that stand on their own (not components), through fixed-assets' service, found by their tags in the core. */
async function standaloneAssets(tx: Transaction, assets: FixedAssetsService): Promise<AssetSummary[]> {
  const tags = await tx.execute<{ value: string }>(`SELECT value FROM core_identifier WHERE type = 'asset-tag' AND target_type = 'fixed-assets.asset' ORDER BY value LIMIT 200`);
  const out: AssetSummary[] = [];
  for (const { value } of tags) {
    const a = await assets.findByTag(value);
    if (a && !a.parentId) out.push(a);
  }
  return out;
}
