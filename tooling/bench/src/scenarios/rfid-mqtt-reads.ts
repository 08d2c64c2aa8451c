/**
 * rfid-mqtt-reads: RFID tag reads ingested per second with de-duplication (target ≥ 20,000/s on
 * one node).
 *
 * The reads are what a fixed reader reports with tags sitting in view: BENCH_RFID_TAGS (default
 * 2,000) SGTIN-96 tags on two antennas watching two zones, read round-robin, with the reader's
 * clock advancing 50 µs per read (20,000 reads/s). Every tag is therefore read again every 0.1 s,
 * well inside the 5 s de-duplication window: a few thousand reads say something, the rest are
 * duplicates. They arrive as Zebra FX IoT Connector tag data events, BENCH_RFID_PER_MESSAGE
 * (default 500) per message.
 *
 * Setup measures, per target, BENCH_RFID_READS (default 200,000) reads published over MQTT with
 * QoS 1, from the first publish until the last read is processed:
 * - platform: the real path. The embedded broker authenticates the reader by its device key, the
 *   `rfid-reader` adapter decodes and de-duplicates at ingestion, the queue stores the accepted
 *   reads raw, and the RFID consumer updates tag locations and writes movements, with audit
 *   records and events.
 * - baseline: an aedes broker and an mqtt.js subscriber. It parses the JSON, de-duplicates with a
 *   Map (EPC × zone → last accepted time), and inserts the accepted reads in one statement per
 *   message.
 *
 * Timed iterations: one HTTP request of 100 reads. The platform answers
 * `POST /api/core/devices/ingest` with the device key; the baseline's raw route parses,
 * de-duplicates and inserts the same way.
 */
import net from 'node:net';
import pg from 'pg';
import mqtt from 'mqtt';
import { check, defineScenario, type IterationContext, type TargetInfo } from '../scenario.js';
import { clientFor, envInt, fmt, table } from './inventory-stock-on-hand.js';
import { closeWithBaseline, pluginPlatformUrl, type PluginSetup } from '../plugin-platforms.js';

const NAME = 'rfid-mqtt-reads';
const WINDOW_MS = 5_000;

const RFID: PluginSetup = {
  key: 'rfid-mqtt',
  plugins: async () => [(await import('@quartermaster/plugin-rfid/server')).rfidPlugin],
  options: { core: { devices: { queueCapacity: 200_000, mqtt: { mode: 'embedded', port: 0 } } }, rfid: {} },
};

const tags = () => envInt('BENCH_RFID_TAGS', 2_000);
const perMessage = () => envInt('BENCH_RFID_PER_MESSAGE', 500);

/** SGTIN-96 of company 0614141, item 812345, serial n (TDS Appendix E's tag with other serials). */
const epcOf = (n: number) => '3074257BF7194E' + (0x4000000000n + BigInt(n)).toString(16).toUpperCase().padStart(10, '0');
const T0 = Date.parse('2026-11-24T08:00:00Z');

/** Reads [from, from + n) of the stream, as Zebra tag data events. */
function zebraEvents(from: number, n: number) {
  const out = [];
  for (let i = from; i < from + n; i++) {
    const tag = i % tags();
    const antenna = (Math.floor(i / tags()) % 2) + 1;
    const at = new Date(T0 + i * 0.05).toISOString();
    out.push({ data: { idHex: epcOf(tag), antenna, peakRssi: -50 - (i % 20), eventNum: i }, timestamp: at, type: 'SIMPLE' });
  }
  return out;
}

// ------------------------------------------------------------------------------------------------
// The raw baseline's work: parse, de-duplicate, insert accepted reads.
// ------------------------------------------------------------------------------------------------

const ZONE_OF_ANTENNA: Record<number, string> = { 1: 'dock', 2: 'dock' };

class RawDedupe {
  private last = new Map<string, number>();
  accept(events: { data: { idHex: string; antenna: number; peakRssi: number }; timestamp: string }[]) {
    const kept: [string, number, number, string][] = [];
    for (const e of events) {
      const t = Date.parse(e.timestamp);
      // Both antennas watch one zone, as the platform's reader is set up: one place for duplicates.
      const key = `${e.data.idHex}|${ZONE_OF_ANTENNA[e.data.antenna] ?? e.data.antenna}`;
      const prev = this.last.get(key);
      if (prev !== undefined && t - prev < WINDOW_MS) continue;
      this.last.set(key, t);
      kept.push([e.data.idHex, e.data.antenna, e.data.peakRssi, e.timestamp]);
    }
    return kept;
  }
}

async function rawInsert(pool: pg.Pool, kept: [string, number, number, string][]) {
  if (!kept.length) return;
  await pool.query(
    `INSERT INTO bench_rfid_read (epc, antenna, rssi, read_at) SELECT * FROM unnest($1::text[], $2::int[], $3::float8[], $4::timestamptz[])`,
    [kept.map((k) => k[0]), kept.map((k) => k[1]), kept.map((k) => k[2]), kept.map((k) => k[3])],
  );
}

const ensureRawTable = (url: string) =>
  withPg(url, (c) => c.query(`CREATE TABLE IF NOT EXISTS bench_rfid_read (id bigserial PRIMARY KEY, epc text NOT NULL, antenna int, rssi float8, read_at timestamptz NOT NULL)`));

async function withPg<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

// ------------------------------------------------------------------------------------------------
// Publishing and measuring
// ------------------------------------------------------------------------------------------------

/** Publish `total` reads with at most 16 messages in flight (QoS 1: each waits for the broker's ack). */
async function publishAll(url: string, auth: { username?: string; password?: string }, topic: string, total: number) {
  const client = await mqtt.connectAsync(url, { ...auth, reconnectPeriod: 0 });
  const n = perMessage();
  const payloads: string[] = [];
  for (let i = 0; i < total; i += n) payloads.push(JSON.stringify(zebraEvents(i, Math.min(n, total - i))));
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < payloads.length) await client.publishAsync(topic, payloads[next++], { qos: 1 });
    }),
  );
  await client.endAsync();
  return t0;
}

async function waitUntil(done: () => Promise<boolean>, what: string, ms = 600_000) {
  const until = Date.now() + ms;
  while (!(await done())) {
    if (Date.now() > until) throw new Error(`${NAME}: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const results: Partial<Record<TargetInfo['kind'], { perSec: number; accepted: number }>> = {};

async function measurePlatform(target: TargetInfo, url: string) {
  const http = clientFor(url, target.token);
  const total = envInt('BENCH_RFID_READS', 200_000);
  const zone = await http.post<{ id: string }>('/api/core/locations', { name: `Bench dock ${Date.now()}`, type: 'zone' });
  check(zone.status === 201, `creating a zone answered ${zone.status}`);
  const code = `bench-reader-${Date.now()}`;
  const created = await http.post<{ key: string; device: { id: string } }>('/api/core/devices', {
    code,
    name: 'Bench portal reader',
    kind: 'rfid-reader',
    adapter: 'rfid-reader',
    settings: { antennas: [{ antenna: 1, locationId: zone.body.id }, { antenna: 2, locationId: zone.body.id }], dedupeWindowSeconds: WINDOW_MS / 1000 },
  });
  check(created.status === 201, `registering the reader answered ${created.status}: ${JSON.stringify(created.body).slice(0, 300)}`);
  const status = async () => (await http.get<{ queue: { accepted: number; filtered: number; processed: number; failed: number; depth: number }; mqtt: { url: string } }>('/api/core/device-ingestion')).body;
  const before = await status();
  const t0 = await publishAll(before.mqtt.url, { username: code, password: created.body.key }, `quartermaster/devices/${code}/readings`, total);
  let after = before;
  await waitUntil(async () => {
    after = await status();
    const seen = after.queue.accepted - before.queue.accepted + (after.queue.filtered - before.queue.filtered);
    return seen >= total && after.queue.depth === 0 && after.queue.processed + after.queue.failed >= after.queue.accepted;
  }, 'the platform to process every read');
  const seconds = (performance.now() - t0) / 1000;
  const accepted = after.queue.accepted - before.queue.accepted;
  check(after.queue.failed === before.queue.failed, `platform: ${after.queue.failed - before.queue.failed} reads failed`);
  results.platform = { perSec: total / seconds, accepted };
  return { total, seconds, accepted, deviceId: created.body.device.id };
}

async function measureBaseline(target: TargetInfo) {
  const total = envInt('BENCH_RFID_READS', 200_000);
  await ensureRawTable(target.databaseUrl);
  const { Aedes } = await import('aedes');
  const broker = await Aedes.createBroker();
  const server = net.createServer(broker.handle);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `mqtt://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  const pool = new pg.Pool({ connectionString: target.databaseUrl, max: 4 });
  const dedupe = new RawDedupe();
  let seen = 0;
  let accepted = 0;
  const sub = await mqtt.connectAsync(url, { reconnectPeriod: 0 });
  sub.handleMessage = (packet, callback) => {
    const events = JSON.parse(packet.payload.toString());
    const kept = dedupe.accept(events);
    rawInsert(pool, kept)
      .then(() => {
        seen += events.length;
        accepted += kept.length;
      })
      .finally(() => callback());
  };
  await sub.subscribeAsync('bench/devices/+/#', { qos: 1 });
  try {
    const t0 = await publishAll(url, {}, 'bench/devices/reader/readings', total);
    await waitUntil(async () => seen >= total, 'the baseline to store every read');
    const seconds = (performance.now() - t0) / 1000;
    results.baseline = { perSec: total / seconds, accepted };
    return { total, seconds, accepted };
  } finally {
    await sub.endAsync();
    await new Promise<void>((r) => broker.close(() => r()));
    await new Promise<void>((r) => server.close(() => r()));
    await pool.end();
  }
}

function report() {
  const p = results.platform;
  const b = results.baseline;
  if (!p || !b) return;
  console.log(`  [${NAME}] MQTT, QoS 1, ${fmt(envInt('BENCH_RFID_READS', 200_000))} reads, ${fmt(tags())} tags in view, ${perMessage()} reads a message:`);
  console.log(
    table([
      ['', 'reads/s', 'accepted (stored)', 'ratio', 'target'],
      ['baseline (aedes + mqtt.js + Map dedupe + insert)', fmt(Math.round(b.perSec)), fmt(b.accepted), '1.00×', ''],
      ['platform (device key, adapter, filter, queue, RFID consumer)', fmt(Math.round(p.perSec)), fmt(p.accepted), `${(p.perSec / b.perSec).toFixed(2)}×`, p.perSec >= 20_000 ? '≥ 20,000: met' : '≥ 20,000: NOT met'],
    ])
      .split('\n')
      .map((l) => '    ' + l)
      .join('\n'),
  );
}

interface State {
  url: string;
  key: string | null;
}

async function iteration(i: number, { target, state }: IterationContext<State>) {
  const http = clientFor(state.url, target.token);
  const body = zebraEvents(1_000_000 + i * 100, 100);
  const res = await http.post<{ accepted: number; filtered?: number }>('/api/core/devices/ingest', body, state.key ? { authorization: `Device ${state.key}` } : {});
  check(res.status === 202, `${target.kind}: ingest answered ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`);
  check((res.body.accepted ?? 0) + (res.body.filtered ?? 0) === 100, `${target.kind}: ${JSON.stringify(res.body)} does not account for 100 reads`);
}

export default defineScenario<State>({
  name: NAME,
  description: 'RFID tag reads with de-duplication: MQTT end to end in setup; timed iterations POST 100 reads to the device ingestion endpoint',
  async setup(target) {
    const url = await pluginPlatformUrl(RFID, target);
    if (target.kind === 'baseline') {
      const m = await measureBaseline(target);
      console.log(`  [${NAME}] baseline: ${fmt(m.total)} reads in ${m.seconds.toFixed(1)} s, ${fmt(m.accepted)} accepted`);
      report();
      return { url, key: null };
    }
    const m = await measurePlatform(target, url);
    console.log(`  [${NAME}] platform: ${fmt(m.total)} reads in ${m.seconds.toFixed(1)} s, ${fmt(m.accepted)} accepted`);
    report();
    // A reader for the HTTP iterations.
    const http = clientFor(url, target.token);
    const code = `bench-http-reader-${Date.now()}`;
    const created = await http.post<{ key: string }>('/api/core/devices', { code, name: 'Bench HTTP reader', kind: 'rfid-reader', adapter: 'rfid-reader', settings: { dedupeWindowSeconds: WINDOW_MS / 1000 } });
    check(created.status === 201, `registering the HTTP reader answered ${created.status}`);
    return { url, key: created.body.key };
  },
  async baselineRoutes(app, { pool }) {
    closeWithBaseline(app);
    const dedupe = new RawDedupe();
    app.post('/api/core/devices/ingest', async (req, reply) => {
      const events = req.body as Parameters<RawDedupe['accept']>[0];
      const kept = dedupe.accept(events);
      await rawInsert(pool, kept);
      return reply.code(202).send({ accepted: kept.length, filtered: events.length - kept.length });
    });
  },
  platform: iteration,
  baseline: iteration,
});
