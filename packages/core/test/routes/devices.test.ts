import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mqtt from 'mqtt';
import { createTestPlatform, type TestPlatform } from '@quartermaster/testing';
import {
  DeviceDecodeError,
  Type,
  defineDeviceAdapter,
  defineEvent,
  definePlugin,
  deviceAdapters,
  deviceIngestion,
  readingConsumers,
  type DeviceReadingEnvelope,
} from '@quartermaster/sdk';
import { sha256 } from '../../src/kernel/auth.js';
import { expectOneMutation, expectProblem } from './helpers.js';

/**
 * The device registry end to end on real PostgreSQL: keys hashed at rest, ingestion by device key,
 * refusals counted, the bounded queue answering 503 under a flood without losing what it accepted,
 * failed readings kept, retention, and MQTT through the embedded broker (and through the
 * Mosquitto broker of the machine when one listens on 127.0.0.1:1883).
 */

/** What the toy plugin's consumer saw, and a gate that holds the queue's worker while closed. */
const seen: DeviceReadingEnvelope[] = [];
let gate: Promise<void> | null = null;
let openGate: () => void = () => undefined;
const hold = () => {
  gate = new Promise<void>((r) => (openGate = r));
};
const release = () => {
  openGate();
  gate = null;
};

/** A third-party adapter: "T=21.5;H=40" lines from a thermometer, with a settings schema. */
const thermoAdapter = defineDeviceAdapter({
  id: 'toy-thermo',
  label: 'Toy thermometer',
  kinds: ['sensor'],
  transports: ['http', 'mqtt'],
  settingsSchema: Type.Object({ scale: Type.Union([Type.Literal('C'), Type.Literal('F')]) }, { additionalProperties: false }),
  decode(payload) {
    const m = /^T=(-?\d+(?:\.\d+)?)(?:;H=(\d+))?$/.exec(payload.text.trim());
    if (!m) throw new DeviceDecodeError('expected "T=<temperature>;H=<humidity>"', 'line 1');
    return [
      { kind: 'measurement', at: payload.receivedAt, channel: 'temperature', value: m[1] },
      ...(m[2] ? [{ kind: 'measurement' as const, at: payload.receivedAt, channel: 'humidity', value: m[2] }] : []),
    ];
  },
  // Report by exception: a value equal to the channel's last one carries nothing new.
  filter(readings, device) {
    return readings.filter((r) => {
      if (r.kind !== 'measurement') return true;
      const key = `${device.id}|${r.channel}`;
      if (lastValues.get(key) === r.value) return false;
      lastValues.set(key, r.value);
      return true;
    });
  },
});
const lastValues = new Map<string, string>();

const BatchSeen = defineEvent('toy-devices.batch.seen', Type.Object({ device: Type.String(), readings: Type.Integer() }));

const toyPlugin = definePlugin({
  id: 'toy-devices',
  version: '0.1.0',
  compatibility: '*',
  events: { emits: [BatchSeen] },
  register(ctx) {
    ctx.extend(deviceAdapters, thermoAdapter);
    ctx.extend(readingConsumers, {
      id: 'toy-devices.recorder',
      kinds: ['tag-read', 'measurement', 'position', 'scan'],
      async consume(tx, batch) {
        if (gate) await gate;
        for (const e of batch) {
          // A poison reading: the consumer fails on it, and only on it.
          if (e.reading.kind === 'tag-read' && e.reading.epc === 'DEADBEEFDEADBEEFDEADBEEF') throw new Error('this tag is poison');
        }
        // Written under this plugin's name although the core's queue opened the transaction.
        await tx.emit(BatchSeen, { device: batch[0].device.code, readings: batch.length });
        await tx.audit({ action: 'seen', entityType: 'toy-devices.batch', entityId: batch[0].readingId });
        seen.push(...batch);
      },
    });
  },
});

describe('device registry and ingestion', () => {
  let t: TestPlatform;
  let siteId: string;
  let reader: { id: string; key: string; code: string };
  let mqttUrl: string;

  const ingest = (key: string | undefined, payload: unknown, contentType = 'application/json') =>
    t.app.inject({
      method: 'POST',
      url: '/api/core/devices/ingest',
      headers: { ...(key ? { authorization: `Device ${key}` } : {}), 'content-type': contentType },
      payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
    });
  const register = async (body: Record<string, unknown>) => {
    const res = await t.request({ method: 'POST', url: '/api/core/devices', payload: body });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { device: { id: string; code: string; keyHint: string; status: string }; key: string };
  };
  const device = async (id: string) => (await t.request({ method: 'GET', url: `/api/core/devices/${id}` })).json();
  const idle = () => t.platform.context('core').services.get(deviceIngestion).idle();
  const flush = () => t.request({ method: 'GET', url: '/api/core/device-refusals?limit=200' }).then((r) => r.json());

  beforeAll(async () => {
    t = await createTestPlatform({
      plugins: [toyPlugin],
      coreOptions: { devices: { queueCapacity: 40, batchSize: 10, mqtt: { mode: 'embedded', port: 0 } } },
    });
    siteId = (await t.request({ method: 'POST', url: '/api/core/locations', payload: { name: 'Dock 1', type: 'zone' } })).json().id;
    const r = await register({ code: 'dock-1-reader', name: 'Dock 1 portal', kind: 'rfid-reader', model: 'FX9600', locationId: siteId });
    reader = { id: r.device.id, key: r.key, code: r.device.code };
    mqttUrl = (await t.request({ method: 'GET', url: '/api/core/device-ingestion' })).json().mqtt.url;
  });
  afterAll(async () => {
    release();
    await t?.close();
  });

  it('registering a device answers its key once; only the key\'s hash is stored, with one audit record and one event', async () => {
    const res = await expectOneMutation(t, { entityType: 'core.device', action: 'created', events: ['core.device.registered'] }, () =>
      t.request({ method: 'POST', url: '/api/core/devices', payload: { code: 'van-7', name: 'Van 7 tracker', kind: 'gps-tracker' } }),
    );
    expect(res.statusCode, res.body).toBe(201);
    const { device: d, key } = res.json();
    expect(key).toMatch(/^qmd_[A-Za-z0-9_-]{32}$/);
    expect(d).toMatchObject({ code: 'van-7', kind: 'gps-tracker', adapter: 'generic-json', status: 'active', lastSeenAt: null, health: { state: 'never-seen' }, mqttTopic: 'quartermaster/devices/van-7/readings' });
    expect(key.startsWith(d.keyHint)).toBe(true);
    const [row] = await t.sql<Record<string, unknown>>(`SELECT * FROM core_device WHERE id = $1`, [d.id]);
    expect(row.key_hash).toBe(sha256(key));
    expect(JSON.stringify(row)).not.toContain(key);
    // The key is never shown again.
    expect(JSON.stringify(await device(d.id))).not.toContain(key);
  });

  it('a device code is unique regardless of case', async () => {
    const res = await t.request({ method: 'POST', url: '/api/core/devices', payload: { code: 'DOCK-1-READER', name: 'dup', kind: 'rfid-reader' } });
    expectProblem(res, 409, 'device-code-taken');
  });

  it('an adapter must exist, serve the device kind, and accept the settings', async () => {
    expect((await t.request({ method: 'POST', url: '/api/core/devices', payload: { code: 'x1', name: 'x', kind: 'sensor', adapter: 'nope' } })).json().errors).toEqual([
      { field: 'adapter', message: expect.stringContaining('no enabled plugin provides the adapter "nope"') },
    ]);
    expect((await t.request({ method: 'POST', url: '/api/core/devices', payload: { code: 'x1', name: 'x', kind: 'gps-tracker', adapter: 'toy-thermo', settings: { scale: 'C' } } })).json().errors).toEqual([
      { field: 'adapter', message: 'the Toy thermometer adapter serves sensor, not gps-tracker' },
    ]);
    const bad = await t.request({ method: 'POST', url: '/api/core/devices', payload: { code: 'x1', name: 'x', kind: 'sensor', adapter: 'toy-thermo', settings: { scale: 'K' } } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('settings.scale');
    const adapters = (await t.request({ method: 'GET', url: '/api/core/device-adapters' })).json();
    expect(adapters.map((a: { id: string }) => a.id)).toEqual(['generic-json', 'toy-thermo']);
  });

  it('readings sent with the device key are queued (202), stored raw, and handed to consumers with the device', async () => {
    seen.length = 0;
    const res = await ingest(reader.key, [
      { epc: '3074257bf7194e4000001a85', antenna: 1, rssi: -52, at: '2026-11-24T08:00:00Z' },
      { epc: '3074257BF7194E4000001A86', antenna: 2, rssi: -60.5, at: 1795507201000 },
    ]);
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json()).toMatchObject({ accepted: 2 });
    await idle();
    expect(seen.map((e) => [e.device.code, e.device.locationId, e.reading])).toEqual([
      ['dock-1-reader', siteId, { kind: 'tag-read', at: '2026-11-24T08:00:00.000Z', epc: '3074257BF7194E4000001A85', antenna: 1, rssi: -52 }],
      ['dock-1-reader', siteId, { kind: 'tag-read', at: '2026-11-24T08:00:01.000Z', epc: '3074257BF7194E4000001A86', antenna: 2, rssi: -60.5 }],
    ]);
    const raw = (await t.request({ method: 'GET', url: `/api/core/devices/${reader.id}/readings` })).json();
    expect(raw.total).toBe(2);
    expect(raw.data.map((r: { reading: { epc: string }; status: string; transport: string }) => [r.reading.epc, r.status, r.transport])).toEqual([
      ['3074257BF7194E4000001A86', 'processed', 'http'],
      ['3074257BF7194E4000001A85', 'processed', 'http'],
    ]);
    expect(seen.map((e) => e.readingId).sort()).toEqual(raw.data.map((r: { id: string }) => r.id).sort());
    // The consumer's event and audit record carry its own plugin's name, in the queue's transaction.
    const batchEvent = t.events.filter((e) => e.name === 'toy-devices.batch.seen').at(-1)!;
    expect(batchEvent).toMatchObject({ source: 'toy-devices', payload: { device: 'dock-1-reader', readings: 2 } });
    const [audit] = await t.sql<{ plugin_id: string; actor_label: string }>(`SELECT plugin_id, actor_label FROM core_audit WHERE entity_type = 'toy-devices.batch' ORDER BY id DESC LIMIT 1`);
    expect(audit).toEqual({ plugin_id: 'toy-devices', actor_label: 'device dock-1-reader' });
    const d = await device(reader.id);
    expect(d).toMatchObject({ readingsCount: 2, health: { state: 'ok' } });
    expect(Date.parse(d.lastSeenAt)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('a third-party adapter decodes its own text payloads', async () => {
    seen.length = 0;
    const thermo = await register({ code: 'cold-room-1', name: 'Cold room', kind: 'sensor', adapter: 'toy-thermo', settings: { scale: 'C' } });
    expect((await ingest(thermo.key, 'T=-18.5;H=40', 'text/plain')).statusCode).toBe(202);
    await idle();
    expect(seen.map((e) => [e.reading.kind, (e.reading as { channel: string }).channel, (e.reading as { value: string }).value])).toEqual([
      ['measurement', 'temperature', '-18.5'],
      ['measurement', 'humidity', '40'],
    ]);
    // The adapter's filter drops what carries nothing new before it is queued or stored.
    seen.length = 0;
    const again = await ingest(thermo.key, 'T=-18.5;H=41', 'text/plain');
    expect(again.json()).toMatchObject({ accepted: 1, filtered: 1 });
    await idle();
    expect(seen.map((e) => (e.reading as { channel: string }).channel)).toEqual(['humidity']);
    const bad = await ingest(thermo.key, 'hello', 'text/plain');
    const body = expectProblem(bad, 422, 'device-payload-invalid');
    expect(body.errors).toEqual([{ field: 'line 1', message: 'expected "T=<temperature>;H=<humidity>"' }]);
  });

  it('a payload the adapter cannot read is 422 naming the field; nothing of it is queued, and the device shows the error', async () => {
    const before = (await device(reader.id)).readingsCount;
    const res = await ingest(reader.key, [{ epc: '3074257BF7194E4000001A85', antenna: 1 }, { epc: 'not-hex', antenna: 1 }]);
    const body = expectProblem(res, 422, 'device-payload-invalid');
    expect(body.errors).toEqual([{ field: '[1].epc', message: 'must be the EPC in hexadecimal (whole 16-bit words)' }]);
    await idle();
    await flush();
    const d = await device(reader.id);
    expect(d.readingsCount).toBe(before);
    expect(d.errorCount).toBeGreaterThanOrEqual(1);
    expect(d.lastError).toBe('must be the EPC in hexadecimal (whole 16-bit words)');
  });

  it('unknown and missing keys are 401 and counted per source', async () => {
    expectProblem(await ingest('qmd_not-a-real-key-at-all-000000000000', { epc: '3074257BF7194E4000001A85' }), 401, 'device-unknown');
    expectProblem(await ingest('qmd_not-a-real-key-at-all-000000000000', { epc: '3074257BF7194E4000001A85' }), 401, 'device-unknown');
    expectProblem(await ingest(undefined, { epc: '3074257BF7194E4000001A85' }), 401, 'device-key-missing');
    const refusals = (await flush()).data as { reason: string; source: string; count: number; lastDetail: string }[];
    const unknown = refusals.find((r) => r.reason === 'unknown-key' && r.source === '127.0.0.1');
    expect(unknown?.count).toBeGreaterThanOrEqual(3);
  });

  it('a disabled device is refused (403) and counted on the device; enabled again it is accepted', async () => {
    const d = await register({ code: 'hand-scanner-3', name: 'Hand scanner 3', kind: 'scanner' });
    const off = await expectOneMutation(t, { entityType: 'core.device', action: 'disabled', events: ['core.device.changed'] }, () =>
      t.request({ method: 'POST', url: `/api/core/devices/${d.device.id}/disable` }),
    );
    expect(off.json()).toMatchObject({ status: 'disabled', health: { state: 'disabled' } });
    expectProblem(await ingest(d.key, '0123456789012', 'text/plain'), 403, 'device-disabled');
    await flush();
    expect((await device(d.device.id)).refusedCount).toBe(1);
    await t.request({ method: 'POST', url: `/api/core/devices/${d.device.id}/enable` });
    seen.length = 0;
    expect((await ingest(d.key, ']d2010950110153000317260331\u001d10AB-123\n0123456789012', 'text/plain')).statusCode).toBe(202);
    await idle();
    expect(seen.map((e) => e.reading)).toEqual([
      { kind: 'scan', at: expect.any(String), data: ']d2010950110153000317260331\u001d10AB-123' },
      { kind: 'scan', at: expect.any(String), data: '0123456789012' },
    ]);
  });

  it('rotating the key stops the old key at once', async () => {
    const d = await register({ code: 'rotating', name: 'Rotating', kind: 'scanner' });
    expect((await ingest(d.key, 'A', 'text/plain')).statusCode).toBe(202);
    const rotated = await t.request({ method: 'POST', url: `/api/core/devices/${d.device.id}/rotate-key` });
    const { key } = rotated.json();
    expect(key).not.toBe(d.key);
    expectProblem(await ingest(d.key, 'B', 'text/plain'), 401, 'device-unknown');
    expect((await ingest(key, 'C', 'text/plain')).statusCode).toBe(202);
    await idle();
  });

  it('a reading its consumer fails on is kept as failed with the error; the rest of its batch is processed', async () => {
    seen.length = 0;
    const res = await ingest(reader.key, [{ epc: '3074257BF7194E4000000001' }, { epc: 'DEADBEEFDEADBEEFDEADBEEF' }, { epc: '3074257BF7194E4000000002' }]);
    expect(res.statusCode).toBe(202);
    await idle();
    expect(seen.map((e) => (e.reading as { epc: string }).epc)).toEqual(['3074257BF7194E4000000001', '3074257BF7194E4000000002']);
    const failed = (await t.request({ method: 'GET', url: `/api/core/devices/${reader.id}/readings?status=failed` })).json();
    expect(failed.data).toEqual([expect.objectContaining({ status: 'failed', error: 'this tag is poison', reading: expect.objectContaining({ epc: 'DEADBEEFDEADBEEFDEADBEEF' }) })]);
  });

  it('under a flood the full queue answers 503 with Retry-After; every accepted reading is processed, none refused is stored', async () => {
    seen.length = 0;
    const [{ n: storedBefore }] = await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM core_device_reading WHERE device_id = $1`, [reader.id]);
    hold(); // the worker blocks in the consumer, so the queue (capacity 40) fills up
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => ingest(reader.key, [0, 1, 2].map((j) => ({ epc: (0x300000000000000000000000n + BigInt(i * 3 + j)).toString(16).toUpperCase(), antenna: 1 })))),
    );
    const accepted = results.filter((r) => r.statusCode === 202);
    const refused = results.filter((r) => r.statusCode === 503);
    expect(accepted.length + refused.length).toBe(30);
    expect(refused.length).toBeGreaterThan(0);
    for (const r of refused) {
      expectProblem(r, 503, 'ingestion-queue-full');
      expect(Number(r.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    }
    const queue = (await t.request({ method: 'GET', url: '/api/core/device-ingestion' })).json().queue;
    expect(queue.depth).toBeLessThanOrEqual(40);
    expect(queue.filtered).toBe(1);
    expect(queue.refusedFull).toBeGreaterThanOrEqual(refused.length);
    release();
    await idle();
    const acceptedEpcs = accepted.flatMap((r) => {
      const i = results.indexOf(r);
      return [0, 1, 2].map((j) => (0x300000000000000000000000n + BigInt(i * 3 + j)).toString(16).toUpperCase());
    });
    expect(seen.map((e) => (e.reading as { epc: string }).epc).sort()).toEqual(acceptedEpcs.sort());
    const [{ n: storedAfter }] = await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM core_device_reading WHERE device_id = $1`, [reader.id]);
    expect(storedAfter - storedBefore).toBe(accepted.length * 3);
  });

  it("a payload refused for a full queue does not touch its adapter's filter: sent again, it is judged afresh", async () => {
    const thermo = await register({ code: 'cold-room-2', name: 'Cold room 2', kind: 'sensor', adapter: 'toy-thermo', settings: { scale: 'C' } });
    hold();
    // Fill the queue (capacity 40) with the reader's tags while the worker is held.
    for (let i = 0; ; i++) {
      const r = await ingest(reader.key, Array.from({ length: 10 }, (_, j) => ({ epc: (0x310000000000000000000000n + BigInt(i * 10 + j)).toString(16).toUpperCase() })));
      if (r.statusCode === 503) break;
    }
    expectProblem(await ingest(thermo.key, 'T=4.0', 'text/plain'), 503, 'ingestion-queue-full');
    release();
    await idle();
    seen.length = 0;
    const res = await ingest(thermo.key, 'T=4.0', 'text/plain');
    expect(res.json()).toMatchObject({ accepted: 1, filtered: 0 });
    await idle();
    expect(seen.map((e) => (e.reading as { value: string }).value)).toEqual(['4.0']);
  });

  it('raw readings older than the retention period are pruned, newer ones kept', async () => {
    await t.sql(
      `INSERT INTO core_device_reading (device_id, received_at, read_at, kind, transport, reading)
       VALUES ($1, now() - interval '31 days', now() - interval '31 days', 'tag-read', 'http', '{"epc":"OLD"}'), ($1, now() - interval '29 days', now() - interval '29 days', 'tag-read', 'http', '{"epc":"KEEP"}')`,
      [reader.id],
    );
    const pruned = await t.request({ method: 'POST', url: '/api/core/device-readings/prune' });
    expect(pruned.statusCode, pruned.body).toBe(200);
    expect(pruned.json().deleted).toBe(1);
    const left = await t.sql<{ e: string }>(`SELECT reading->>'epc' AS e FROM core_device_reading WHERE reading->>'epc' IN ('OLD', 'KEEP')`);
    expect(left.map((r) => r.e)).toEqual(['KEEP']);
  });

  describe('MQTT', () => {
    const connect = (url: string, username?: string, password?: string) =>
      new Promise<mqtt.MqttClient>((resolve, reject) => {
        const c = mqtt.connect(url, { username, password, reconnectPeriod: 0, connectTimeout: 5000 });
        c.once('connect', () => resolve(c));
        c.once('error', (err) => {
          c.end(true);
          reject(err);
        });
      });

    it('a device signs in to the embedded broker with its code and key and publishes readings', async () => {
      seen.length = 0;
      const c = await connect(mqttUrl, reader.code, reader.key);
      await c.publishAsync(`quartermaster/devices/${reader.code}/readings`, JSON.stringify({ epc: '3074257BF7194E4000000099', antenna: 3, rssi: -48 }), { qos: 1 });
      await c.endAsync();
      await waitFor(() => seen.some((e) => (e.reading as { epc: string }).epc === '3074257BF7194E4000000099'));
      const e = seen.find((x) => (x.reading as { epc: string }).epc === '3074257BF7194E4000000099')!;
      expect(e.device.code).toBe('dock-1-reader');
      const raw = (await t.request({ method: 'GET', url: `/api/core/devices/${reader.id}/readings?limit=1` })).json();
      expect(raw.data[0]).toMatchObject({ transport: 'mqtt', reading: { epc: '3074257BF7194E4000000099', antenna: 3 } });
    });

    it('a wrong key is refused at connect and counted', async () => {
      await expect(connect(mqttUrl, reader.code, 'qmd_wrong')).rejects.toThrow(/Bad username or password|Not authorized|bad device key/i);
      const refusals = (await flush()).data as { reason: string; source: string; lastDetail: string }[];
      expect(refusals.some((r) => r.reason === 'unknown-key' && r.source.startsWith('mqtt:') && r.lastDetail.includes(`"${reader.code}"`))).toBe(true);
    });

    it("a device cannot publish under another device's code", async () => {
      seen.length = 0;
      const other = await register({ code: 'other-reader', name: 'Other', kind: 'rfid-reader' });
      const c = await connect(mqttUrl, other.device.code, other.key);
      // The broker drops an unauthorised publish (MQTT 3.1.1 has no way to say no to QoS 0/1) and may close the connection.
      await c.publishAsync(`quartermaster/devices/${reader.code}/readings`, JSON.stringify({ epc: '3074257BF7194E40000000AA' }), { qos: 0 }).catch(() => undefined);
      c.end(true);
      await c.endAsync().catch(() => undefined);
      // A legitimate message afterwards proves the pipeline is live, and the forged one never arrived.
      const own = await connect(mqttUrl, reader.code, reader.key);
      await own.publishAsync(`quartermaster/devices/${reader.code}/readings`, JSON.stringify({ epc: '3074257BF7194E40000000BB' }), { qos: 1 });
      await own.endAsync();
      await waitFor(() => seen.some((e) => (e.reading as { epc: string }).epc === '3074257BF7194E40000000BB'));
      expect(seen.some((e) => (e.reading as { epc: string }).epc === '3074257BF7194E40000000AA')).toBe(false);
    });
  });

  it('the embedded broker takes a free port when its port is taken and fallback is on, and fails the boot when it is off', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const taken = (blocker.address() as net.AddressInfo).port;
    try {
      const other = await createTestPlatform({ databaseUrl: t.databaseUrl, coreOptions: { devices: { mqtt: { mode: 'embedded', port: taken, fallbackToFreePort: true } } } });
      try {
        const { url } = (await other.request({ method: 'GET', url: '/api/core/device-ingestion' })).json().mqtt;
        expect(new URL(url).port).not.toBe(String(taken));
        // A broker answers there: it refuses a client without a device code and key.
        await expect(mqtt.connectAsync(url, { reconnectPeriod: 0 })).rejects.toThrow(/Bad username or password|Not authorized/i);
      } finally {
        await other.close();
      }
      await expect(createTestPlatform({ databaseUrl: t.databaseUrl, admin: false, coreOptions: { devices: { mqtt: { mode: 'embedded', port: taken } } } })).rejects.toThrow(/EADDRINUSE/);
    } finally {
      blocker.close();
    }
  });

  describe('MQTT through an external broker (Mosquitto on 127.0.0.1:1883)', async () => {
    const present = await new Promise<boolean>((resolve) => {
      const s = net.connect(1883, '127.0.0.1');
      s.once('connect', () => (s.destroy(), resolve(true)));
      s.once('error', () => resolve(false));
    });
    it.runIf(present)('readings published to the broker reach the platform', async () => {
      const prefix = `qm-test-${Date.now()}`;
      const ext = await createTestPlatform({ plugins: [toyPlugin], coreOptions: { devices: { mqtt: { mode: 'external', url: 'mqtt://127.0.0.1:1883', topicPrefix: prefix } } } });
      try {
        const r = await ext.request({ method: 'POST', url: '/api/core/devices', payload: { code: 'ext-reader', name: 'External', kind: 'rfid-reader' } });
        const id = r.json().device.id;
        const c = mqtt.connect('mqtt://127.0.0.1:1883', { reconnectPeriod: 0 });
        await new Promise((res) => c.once('connect', res));
        await c.publishAsync(`${prefix}/ext-reader/readings`, JSON.stringify([{ epc: '3074257BF7194E40000000CC', antenna: 1 }]), { qos: 1 });
        await c.publishAsync(`${prefix}/nobody/readings`, JSON.stringify([{ epc: '3074257BF7194E40000000DD', antenna: 1 }]), { qos: 1 });
        await c.endAsync();
        await waitFor(async () => (await ext.request({ method: 'GET', url: `/api/core/devices/${id}/readings` })).json().total === 1);
        const refusals = (await ext.request({ method: 'GET', url: '/api/core/device-refusals' })).json().data;
        expect(refusals).toEqual([expect.objectContaining({ reason: 'unknown-key', source: 'mqtt:nobody' })]);
      } finally {
        await ext.close();
      }
    });
  });
});

async function waitFor(check: () => boolean | Promise<boolean>, ms = 10_000) {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
}
