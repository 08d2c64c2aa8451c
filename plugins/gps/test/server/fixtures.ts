import net from 'node:net';
import { expect } from 'vitest';
import type { InjectOptions } from 'fastify';
import { createTestPlatform, type TestPlatform } from '@quartermaster/testing';
import { deviceIngestion } from '@quartermaster/sdk';
import { fixedAssetsPlugin } from '@quartermaster/plugin-fixed-assets/server';
import { gpsPlugin } from '../../src/server/index.js';

export const GPS = '/api/gps';
export const FA = '/api/fixed-assets';
export const NO_SUCH_ID = '00000000-0000-4000-8000-000000000000';

/** Degrees of latitude per metre on the mean-radius sphere (R = 6,371,008.8 m): 1 / (R · π/180) = 1 / 111,195.08. */
export const DEG_PER_M = 1 / 111_195.08;

export interface BootOptions {
  fixedAssets?: boolean;
  /** Run the embedded MQTT broker (on a free port). */
  mqtt?: boolean;
  /** Run the NMEA TCP listener (on a free port). */
  tcp?: boolean;
  gps?: Record<string, unknown>;
  devices?: Record<string, unknown>;
}

/** A platform with the GPS plugin (and fixed-assets when asked); timers that would act on their own are off. */
export async function bootGps(o: BootOptions = {}): Promise<TestPlatform> {
  const plugins = o.fixedAssets ? [fixedAssetsPlugin, gpsPlugin] : [gpsPlugin];
  return createTestPlatform({
    plugins,
    enable: {
      ...(o.fixedAssets ? { 'fixed-assets': { overdueSweepSeconds: 0 } } : {}),
      gps: { ...(o.tcp ? { nmeaTcp: { enabled: true, host: '127.0.0.1', port: 0 } } : {}), ...o.gps },
    },
    coreOptions: { devices: { ...(o.mqtt ? { mqtt: { mode: 'embedded', port: 0 } } : {}), ...o.devices } },
  });
}

/** Calls that must answer `status`; returns the JSON body. */
export const caller = (t: TestPlatform) => async (opts: InjectOptions, status: number) => {
  const res = await t.request(opts);
  expect(res.statusCode, `${opts.method} ${opts.url}: ${res.body}`).toBe(status);
  return res.body ? res.json() : undefined;
};

export interface Device {
  id: string;
  code: string;
  key: string;
}

export async function registerDevice(t: TestPlatform, code: string, adapter = 'generic-json', extra: Record<string, unknown> = {}): Promise<Device> {
  const body = await caller(t)({ method: 'POST', url: '/api/core/devices', payload: { code, name: `Tracker ${code}`, kind: 'gps-tracker', adapter, ...extra } }, 201);
  return { id: body.device.id, code: body.device.code, key: body.key };
}

/** Resolves when every accepted reading has been processed. */
export const idle = (t: TestPlatform) => t.platform.context('core').services.get(deviceIngestion).idle();

/** Send readings in Quartermaster's JSON to the core's ingestion endpoint (generic-json devices) and wait until processed. */
export async function sendJson(t: TestPlatform, device: Device, readings: unknown) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/core/devices/ingest',
    headers: { authorization: `Device ${device.key}`, 'content-type': 'application/json' },
    payload: JSON.stringify(readings),
  });
  expect(res.statusCode, res.body).toBe(202);
  await idle(t);
  return res.json() as { accepted: number };
}

export const position = (latitude: number, longitude: number, at: string, extra: Record<string, unknown> = {}) => ({ latitude, longitude, at, ...extra });

export async function location(t: TestPlatform, name: string, type = 'site'): Promise<string> {
  return (await caller(t)({ method: 'POST', url: '/api/core/locations', payload: { name, type } }, 201)).id;
}

export async function createFence(t: TestPlatform, body: Record<string, unknown>) {
  return caller(t)({ method: 'POST', url: `${GPS}/geofences`, payload: body }, 201);
}

/** A circle of `radiusM` around a point. */
export const circle = (latitude: number, longitude: number, radiusM: number) => ({ kind: 'circle', geometry: { center: { latitude, longitude }, radiusM } });

/** A square of side 2·`halfM` around a point, as a polygon (GeoJSON [lon, lat] order). */
export function square(latitude: number, longitude: number, halfM: number) {
  const dLat = halfM * DEG_PER_M;
  const dLon = dLat / Math.cos((latitude * Math.PI) / 180);
  return {
    kind: 'polygon',
    geometry: {
      rings: [
        [
          [longitude - dLon, latitude - dLat],
          [longitude + dLon, latitude - dLat],
          [longitude + dLon, latitude + dLat],
          [longitude - dLon, latitude + dLat],
          [longitude - dLon, latitude - dLat],
        ],
      ],
    },
  };
}

/** Events committed since index `from`, as [name, payload]. */
export const eventsSince = (t: TestPlatform, from: number, prefix = 'gps.') =>
  t.events
    .slice(from)
    .filter((e) => e.name.startsWith(prefix))
    .map((e) => ({ name: e.name, payload: e.payload as Record<string, any> }));

/** Poll until `check` holds (for work that happens after a socket or broker hands it on). */
export async function waitFor(check: () => Promise<boolean> | boolean, what = 'condition', timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export async function positionsOf(t: TestPlatform, deviceId: string) {
  return t.sql<{ at: Date; latitude: number; longitude: number; speed_knots: number | null; course_deg: number | null; altitude_m: number | null; valid: boolean }>(
    `SELECT at, latitude, longitude, speed_knots, course_deg, altitude_m, valid FROM gps_position WHERE device_id = $1 ORDER BY at`,
    [deviceId],
  );
}

// ---------------------------------------------------------------------------------------------
// A minimal MQTT 3.1.1 publisher (OASIS Standard, 29 October 2014): CONNECT (§3.1) with user
// name and password, CONNACK (§3.2), PUBLISH at QoS 1 (§3.3) answered by PUBACK (§3.4), then
// DISCONNECT (§3.14). Enough to act as a tracker without a client library.

function remainingLength(n: number): Buffer {
  // §2.2.3: 7 bits per byte, high bit set while more bytes follow.
  const bytes: number[] = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    bytes.push(b);
  } while (n > 0);
  return Buffer.from(bytes);
}
const utf8 = (s: string) => {
  const b = Buffer.from(s, 'utf8');
  return Buffer.concat([Buffer.from([b.length >> 8, b.length & 0xff]), b]);
};
const packet = (type: number, body: Buffer) => Buffer.concat([Buffer.from([type]), remainingLength(body.length), body]);

/** Connect, publish one message at QoS 1, wait for its PUBACK, disconnect. Rejects with the CONNACK return code when refused. */
export async function mqttPublish(url: string, username: string, password: string, topic: string, payload: string): Promise<void> {
  const { hostname, port } = new URL(url);
  const socket = net.connect(Number(port), hostname);
  const received: Buffer[] = [];
  let waiter: (() => void) | null = null;
  socket.on('data', (d) => {
    received.push(d);
    waiter?.();
  });
  const next = async (expectedType: number): Promise<Buffer> => {
    for (;;) {
      const all = Buffer.concat(received);
      if (all.length >= 2 && all.length >= 2 + all[1]) {
        received.length = 0;
        if (all.length > 2 + all[1]) received.push(all.subarray(2 + all[1]));
        const p = all.subarray(0, 2 + all[1]);
        if (p[0] >> 4 !== expectedType) throw new Error(`expected MQTT packet type ${expectedType}, got ${p[0] >> 4}`);
        return p;
      }
      await new Promise<void>((resolve, reject) => {
        waiter = resolve;
        socket.once('close', () => reject(new Error('MQTT connection closed')));
      });
    }
  };
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    // Variable header: protocol name "MQTT", level 4, flags (user name 0x80, password 0x40, clean session 0x02), keep-alive 30 s.
    const connect = Buffer.concat([utf8('MQTT'), Buffer.from([4, 0xc2, 0, 30]), utf8(`gps-test-${Math.random().toString(16).slice(2)}`), utf8(username), utf8(password)]);
    socket.write(packet(0x10, connect));
    const connack = await next(2);
    if (connack[3] !== 0) throw new Error(`MQTT connection refused, return code ${connack[3]}`);
    const packetId = 1;
    socket.write(packet(0x32, Buffer.concat([utf8(topic), Buffer.from([packetId >> 8, packetId & 0xff]), Buffer.from(payload, 'utf8')])));
    const puback = await next(4);
    expect(puback.readUInt16BE(2)).toBe(packetId);
    socket.write(Buffer.from([0xe0, 0]));
  } finally {
    socket.end();
  }
}

// ---------------------------------------------------------------------------------------------
// A TCP tracker: writes lines, collects what the server answers, knows when it was closed.

export interface TcpTracker {
  send(...lines: string[]): void;
  /** Everything the server wrote so far. */
  answer(): string;
  closed: Promise<void>;
  isClosed(): boolean;
  end(): void;
}

export async function tcpTracker(port: number): Promise<TcpTracker> {
  const socket = net.connect(port, '127.0.0.1');
  let text = '';
  let isClosed = false;
  socket.setEncoding('latin1');
  socket.on('data', (d: string) => (text += d));
  socket.on('error', () => undefined);
  const closed = new Promise<void>((r) =>
    socket.on('close', () => {
      isClosed = true;
      r();
    }),
  );
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return {
    send: (...lines) => socket.write(lines.map((l) => `${l}\r\n`).join('')),
    answer: () => text,
    closed,
    isClosed: () => isClosed,
    end: () => socket.end(),
  };
}
