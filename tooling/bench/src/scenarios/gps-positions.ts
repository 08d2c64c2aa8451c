/**
 * gps-positions: GPS positions ingested per second with geofence checks against 1,000 fences
 * (target ≥ 10,000/s).
 *
 * Setup creates BENCH_GPS_FENCES geofences through the API (default 1,000: circles of 150–400 m and
 * squares, scattered over a 40 × 40 km area around Berlin) and BENCH_GPS_TRACKERS trackers
 * (default 1,000, generic JSON adapter). Each tracker drives a straight line through the area, so
 * it enters and leaves fences as it goes.
 *
 * Setup then measures BENCH_GPS_POSITIONS positions (default 100,000) sent over HTTP to the
 * device ingestion endpoint, BENCH_GPS_PER_REQUEST positions a request (default 10) from one tracker, 16 requests in flight. The
 * clock runs from the first request until the last position is processed.
 * - platform: device key, generic adapter and the queue. The GPS consumer stores positions, runs
 *   the fence checks and state machine, updates trackers, and writes enter/exit events to the
 *   outbox.
 * - baseline: plain Fastify and pg. It parses the JSON and checks each position against every
 *   fence with a bounding-box prefilter and then the exact test. It then inserts the positions
 *   and the crossings in one statement each, per request.
 *
 * Timed iterations: one request of 10 positions.
 */
import pg from 'pg';
import { check, defineScenario, type IterationContext, type TargetInfo } from '../scenario.js';
import { clientFor, envInt, fmt, table } from './inventory-stock-on-hand.js';
import { closeWithBaseline, pluginPlatformUrl, type PluginSetup } from '../plugin-platforms.js';

const NAME = 'gps-positions';
const GPS: PluginSetup = {
  key: 'gps',
  plugins: async () => [(await import('@quartermaster/plugin-gps/server')).gpsPlugin],
  options: { core: { devices: { queueCapacity: 200_000 } }, gps: {} },
};

const fences = () => envInt('BENCH_GPS_FENCES', 1_000);
const trackers = () => envInt('BENCH_GPS_TRACKERS', 1_000);
const PER_REQUEST = envInt('BENCH_GPS_PER_REQUEST', 10);
const LAT0 = 52.34;
const LON0 = 13.1;
const SPAN_LAT = 0.36; // ≈ 40 km
const SPAN_LON = 0.59; // ≈ 40 km at 52.5° N

function rnd(seed: number) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

interface FenceDef {
  kind: 'circle' | 'polygon';
  lat: number;
  lon: number;
  radiusM: number;
  /** polygon: half side in degrees */
  dLat: number;
  dLon: number;
}

function fenceDefs(): FenceDef[] {
  const r = rnd(42);
  return Array.from({ length: fences() }, (_, i) => {
    const lat = LAT0 + r() * SPAN_LAT;
    const lon = LON0 + r() * SPAN_LON;
    const radiusM = 150 + r() * 250;
    return { kind: i % 2 ? 'polygon' : 'circle', lat, lon, radiusM, dLat: radiusM / 111_320, dLon: radiusM / (111_320 * Math.cos((lat * Math.PI) / 180)) };
  });
}

function fenceBody(f: FenceDef, i: number) {
  if (f.kind === 'circle') return { name: `Bench fence ${i}`, kind: 'circle', geometry: { center: { latitude: f.lat, longitude: f.lon }, radiusM: f.radiusM } };
  const ring = [
    [f.lon - f.dLon, f.lat - f.dLat],
    [f.lon + f.dLon, f.lat - f.dLat],
    [f.lon + f.dLon, f.lat + f.dLat],
    [f.lon - f.dLon, f.lat + f.dLat],
    [f.lon - f.dLon, f.lat - f.dLat],
  ];
  return { name: `Bench fence ${i}`, kind: 'polygon', geometry: { rings: [ring] } };
}

const T0 = Date.parse('2026-11-24T06:00:00Z');
/** Position k of tracker t: a straight drive across the area, one fix every 5 s, ~15 m per fix. */
function positionOf(t: number, k: number) {
  const r = rnd(1000 + t);
  const lat = LAT0 + r() * SPAN_LAT;
  const lon = LON0 + r() * SPAN_LON;
  const heading = r() * 2 * Math.PI;
  const step = 15 / 111_320;
  return {
    latitude: +(lat + Math.cos(heading) * step * k).toFixed(6),
    longitude: +(lon + (Math.sin(heading) * step * k) / Math.cos((lat * Math.PI) / 180)).toFixed(6),
    at: new Date(T0 + k * 5000).toISOString(),
    speedKnots: 5.8,
  };
}

// ------------------------------------------------------------------------------------------------
// The raw baseline's fence check
// ------------------------------------------------------------------------------------------------

const RAD = Math.PI / 180;
function haversineM(lat1: number, lon1: number, lat2: number, lon2: number) {
  const a = Math.sin(((lat2 - lat1) * RAD) / 2) ** 2 + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * Math.sin(((lon2 - lon1) * RAD) / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.sqrt(a));
}
function inside(f: FenceDef, lat: number, lon: number) {
  if (Math.abs(lat - f.lat) > f.dLat * 1.5 || Math.abs(lon - f.lon) > f.dLon * 1.5) return false;
  return f.kind === 'circle' ? haversineM(lat, lon, f.lat, f.lon) <= f.radiusM : Math.abs(lat - f.lat) <= f.dLat && Math.abs(lon - f.lon) <= f.dLon;
}

/** Raw route state: per tracker, the fences it is inside. */
const rawInside = new Map<string, Set<number>>();
const rawFences = fenceDefs();

async function rawIngest(pool: pg.Pool, tracker: string, positions: ReturnType<typeof positionOf>[]) {
  const crossings: [string, number, string, string][] = [];
  let state = rawInside.get(tracker);
  if (!state) rawInside.set(tracker, (state = new Set()));
  for (const p of positions) {
    const now = new Set<number>();
    for (let i = 0; i < rawFences.length; i++) if (inside(rawFences[i], p.latitude, p.longitude)) now.add(i);
    for (const i of now) if (!state.has(i)) crossings.push([tracker, i, 'enter', p.at]);
    for (const i of state) if (!now.has(i)) crossings.push([tracker, i, 'exit', p.at]);
    state = now;
  }
  rawInside.set(tracker, state);
  await pool.query(
    `WITH pos AS (INSERT INTO bench_gps_position (tracker, at, lat, lon, speed) SELECT $1, * FROM unnest($2::timestamptz[], $3::float8[], $4::float8[], $5::float8[]) RETURNING 1),
          ev AS (INSERT INTO bench_gps_event (tracker, fence, kind, at) SELECT * FROM unnest($6::text[], $7::int[], $8::text[], $9::timestamptz[]) RETURNING 1)
     SELECT (SELECT count(*) FROM pos) AS p, (SELECT count(*) FROM ev) AS e`,
    [
      tracker,
      positions.map((p) => p.at),
      positions.map((p) => p.latitude),
      positions.map((p) => p.longitude),
      positions.map((p) => p.speedKnots),
      crossings.map((c) => c[0]),
      crossings.map((c) => c[1]),
      crossings.map((c) => c[2]),
      crossings.map((c) => c[3]),
    ],
  );
}

// ------------------------------------------------------------------------------------------------

async function inParallel<T>(items: T[], n: number, fn: (item: T, i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) {
        const i = next++;
        await fn(items[i], i);
      }
    }),
  );
}

interface State {
  url: string;
  keys: string[];
}

const results: Partial<Record<TargetInfo['kind'], number>> = {};

async function setupPlatform(target: TargetInfo, url: string): Promise<State> {
  const http = clientFor(url, target.token);
  const t0 = performance.now();
  await inParallel(fenceDefs(), 16, async (f, i) => {
    const res = await http.post('/api/gps/geofences', fenceBody(f, i));
    check(res.status === 201, `creating fence ${i} answered ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`);
  });
  const keys: string[] = new Array(trackers());
  const run = Date.now();
  await inParallel(keys, 16, async (_, i) => {
    const res = await http.post<{ key: string }>('/api/core/devices', { code: `bench-van-${run}-${i}`, name: `Bench van ${i}`, kind: 'gps-tracker' });
    check(res.status === 201, `registering tracker ${i} answered ${res.status}`);
    keys[i] = res.body.key;
  });
  console.log(`  [${NAME}] platform: ${fmt(fences())} fences and ${fmt(trackers())} trackers in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return { url, keys };
}

/** Send `total` positions, PER_REQUEST a request, round-robin over trackers; returns seconds until all are processed. */
async function measure(target: TargetInfo, state: State, total: number, processed: () => Promise<number>): Promise<number> {
  const http = clientFor(state.url, target.token);
  const requests = Array.from({ length: Math.ceil(total / PER_REQUEST) }, (_, r) => r);
  const before = await processed();
  const t0 = performance.now();
  await inParallel(requests, 16, async (r) => {
    const t = r % trackers();
    const k = Math.floor(r / trackers()) * PER_REQUEST;
    const body = Array.from({ length: PER_REQUEST }, (_, j) => positionOf(t, k + j));
    const headers = target.kind === 'platform' ? { authorization: `Device ${state.keys[t]}` } : { 'x-tracker': `van-${t}` };
    for (;;) {
      const res = await http.post('/api/core/devices/ingest', body, headers);
      if (res.status === 503) {
        await new Promise((s) => setTimeout(s, 50));
        continue;
      }
      check(res.status === 202, `${target.kind}: ingest answered ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`);
      return;
    }
  });
  const until = Date.now() + 600_000;
  while ((await processed()) - before < total) {
    if (Date.now() > until) throw new Error(`${NAME}: ${target.kind} did not process every position`);
    await new Promise((s) => setTimeout(s, 20));
  }
  return (performance.now() - t0) / 1000;
}

function report() {
  const p = results.platform;
  const b = results.baseline;
  if (p === undefined || b === undefined) return;
  console.log(`  [${NAME}] ${fmt(envInt('BENCH_GPS_POSITIONS', 100_000))} positions over HTTP, ${PER_REQUEST} a request, ${fmt(trackers())} trackers, ${fmt(fences())} fences:`);
  console.log(
    table([
      ['', 'positions/s', 'ratio', 'target'],
      ['baseline (Fastify + pg, fences checked inline, one insert per request)', fmt(Math.round(b)), '1.00×', ''],
      ['platform (device key, queue, GPS consumer: fence index, states, events)', fmt(Math.round(p)), `${(p / b).toFixed(2)}×`, p >= 10_000 ? '≥ 10,000: met' : '≥ 10,000: NOT met'],
    ])
      .split('\n')
      .map((l) => '    ' + l)
      .join('\n'),
  );
}

async function iteration(i: number, { target, state }: IterationContext<State>) {
  const http = clientFor(state.url, target.token);
  const t = i % trackers();
  const body = Array.from({ length: PER_REQUEST }, (_, j) => positionOf(t, 100_000 + Math.floor(i / trackers()) * PER_REQUEST + j));
  const headers = target.kind === 'platform' ? { authorization: `Device ${state.keys[t]}` } : { 'x-tracker': `van-${t}` };
  const res = await http.post<{ accepted: number }>('/api/core/devices/ingest', body, headers);
  check(res.status === 202 && res.body.accepted === PER_REQUEST, `${target.kind}: ingest answered ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`);
}

export default defineScenario<State>({
  name: NAME,
  description: `GPS positions with geofence checks against ${fences()} fences: HTTP end to end in setup; timed iterations POST ${PER_REQUEST} positions`,
  async setup(target) {
    const url = await pluginPlatformUrl(GPS, target);
    const total = envInt('BENCH_GPS_POSITIONS', 100_000);
    if (target.kind === 'platform') {
      const state = await setupPlatform(target, url);
      const http = clientFor(url, target.token);
      const processed = async () => (await http.get<{ queue: { processed: number } }>('/api/core/device-ingestion')).body.queue.processed;
      const seconds = await measure(target, state, total, processed);
      results.platform = total / seconds;
      console.log(`  [${NAME}] platform: ${fmt(total)} positions in ${seconds.toFixed(1)} s`);
      report();
      return state;
    }
    const c = new pg.Client({ connectionString: target.databaseUrl });
    await c.connect();
    await c.query(`CREATE TABLE IF NOT EXISTS bench_gps_position (id bigserial PRIMARY KEY, tracker text NOT NULL, at timestamptz NOT NULL, lat float8, lon float8, speed float8);
                   CREATE INDEX IF NOT EXISTS bench_gps_position_idx ON bench_gps_position (tracker, at);
                   CREATE TABLE IF NOT EXISTS bench_gps_event (id bigserial PRIMARY KEY, tracker text, fence int, kind text, at timestamptz)`);
    const state = { url, keys: [] };
    const count = async () => Number((await c.query(`SELECT count(*) AS n FROM bench_gps_position`)).rows[0].n);
    const seconds = await measure(target, state, total, count);
    await c.end();
    results.baseline = total / seconds;
    console.log(`  [${NAME}] baseline: ${fmt(total)} positions in ${seconds.toFixed(1)} s`);
    report();
    return state;
  },
  baselineRoutes(app, { pool }) {
    closeWithBaseline(app);
    app.post('/api/core/devices/ingest', async (req, reply) => {
      const positions = req.body as ReturnType<typeof positionOf>[];
      await rawIngest(pool, String(req.headers['x-tracker']), positions);
      return reply.code(202).send({ accepted: positions.length });
    });
  },
  platform: iteration,
  baseline: iteration,
});
