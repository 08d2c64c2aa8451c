import { expect } from 'vitest';
import type { InjectOptions } from 'fastify';
import { createTestPlatform, type TestPlatform, type TestSession } from '@quartermaster/testing';
import { deviceIngestion } from '@quartermaster/sdk';
import { fixedAssetsPlugin } from '@quartermaster/plugin-fixed-assets/server';
import { inventoryPlugin } from '@quartermaster/plugin-inventory/server';
import { rfidPlugin } from '../../src/server/index.js';
import { encodeEpc } from '../../src/domain/index.js';

export const RF = '/api/rfid';
export const NO_SUCH_ID = '00000000-0000-4000-8000-000000000000';

/**
 * The RFID plugin, with fixed assets and/or inventory when asked (their timers off), and the core's
 * embedded MQTT broker on a free port when asked.
 */
export async function bootRfid(opts: { fixedAssets?: boolean; inventory?: boolean; mqtt?: boolean; batchSize?: number } = {}): Promise<TestPlatform> {
  const plugins = [...(opts.fixedAssets ? [fixedAssetsPlugin] : []), ...(opts.inventory ? [inventoryPlugin] : []), rfidPlugin];
  return createTestPlatform({
    plugins,
    enable: {
      ...(opts.fixedAssets ? { 'fixed-assets': { overdueSweepSeconds: 0 } } : {}),
      ...(opts.inventory ? { inventory: { reservationSweepSeconds: 0 } } : {}),
      rfid: undefined,
    },
    coreOptions: { devices: { ...(opts.batchSize ? { batchSize: opts.batchSize } : {}), ...(opts.mqtt ? { mqtt: { mode: 'embedded', port: 0 } } : {}) } },
  });
}

/** Calls that must answer `status`; returns the JSON body. */
export const caller = (t: TestPlatform) => async (opts: InjectOptions, status: number) => {
  const res = await t.request(opts);
  expect(res.statusCode, `${opts.method} ${opts.url}: ${res.body}`).toBe(status);
  return res.body ? res.json() : undefined;
};

export async function location(t: TestPlatform, name: string, type = 'zone', parentId?: string): Promise<string> {
  return (await caller(t)({ method: 'POST', url: '/api/core/locations', payload: { name, type, ...(parentId ? { parentId } : {}) } }, 201)).id;
}

export async function item(t: TestPlatform, name: string): Promise<string> {
  return (await caller(t)({ method: 'POST', url: '/api/core/items', payload: { name } }, 201)).id;
}

export async function identifier(t: TestPlatform, type: string, value: string, targetType: string, targetId: string) {
  return caller(t)({ method: 'POST', url: '/api/core/identifiers', payload: { type, value, targetType, targetId } }, 201);
}

export interface Reader {
  id: string;
  code: string;
  key: string;
}

/** Register a reader on the `rfid-reader` adapter. */
export async function registerReader(t: TestPlatform, code: string, settings: Record<string, unknown>, locationId?: string): Promise<Reader> {
  const body = await caller(t)(
    { method: 'POST', url: '/api/core/devices', payload: { code, name: `Reader ${code}`, kind: 'rfid-reader', adapter: 'rfid-reader', model: 'FX9600', settings, ...(locationId ? { locationId } : {}) } },
    201,
  );
  return { id: body.device.id, code: body.device.code, key: body.key };
}

/** POST to the core's ingestion endpoint with the device key. */
export const ingest = (t: TestPlatform, reader: Reader, payload: unknown) =>
  t.app.inject({ method: 'POST', url: '/api/core/devices/ingest', headers: { authorization: `Device ${reader.key}`, 'content-type': 'application/json' }, payload: JSON.stringify(payload) });

/** Every reading accepted so far has gone through the consumers. */
export const idle = (t: TestPlatform) => t.platform.context('core').services.get(deviceIngestion).idle();

/** Ingest, expect 202, wait until processed. */
export async function send(t: TestPlatform, reader: Reader, payload: unknown) {
  const res = await ingest(t, reader, payload);
  expect(res.statusCode, res.body).toBe(202);
  await idle(t);
}

/** A Zebra FX IoT Connector tag data event (SIMPLE format: data.idHex, data.antenna, data.peakRssi). */
export const zebra = (epc: string, antenna: number, peakRssi: number, timestamp: string) => ({
  data: { eventNum: 1, format: 'epc', idHex: epc.toLowerCase(), antenna, peakRssi, reads: 1, channel: 915.25 },
  timestamp,
  type: 'SIMPLE',
});

/** SGTIN-96 of GTIN 80614141123458 (GS1 EPC TDS 1.13 Appendix E: company prefix 0614141, item reference 812345) with this serial. */
export const sgtin = (serial: number | string, itemRef = '812345', prefix = '0614141') => encodeEpc({ tagUri: `urn:epc:tag:sgtin-96:1.${prefix}.${itemRef}.${serial}` }).hex;
/** GIAI-96 with company prefix 0614141 (TDS §14.5.5.1) and this individual asset reference. */
export const giai = (reference: number | string) => encodeEpc({ tagUri: `urn:epc:tag:giai-96:3.0614141.${reference}` }).hex;

/** Instants `seconds` after `base`. */
export const clock = (base: string) => (seconds: number) => new Date(Date.parse(base) + seconds * 1000).toISOString();

/** Poll `check` until it holds (for work that finishes after an MQTT PUBACK); fails after `ms`. */
export async function waitFor(check: () => Promise<boolean>, ms = 10_000) {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A user with a role of exactly these permissions, signed in. */
export async function userWith(t: TestPlatform, email: string, perms: string[]): Promise<TestSession> {
  const call = caller(t);
  const role = await call({ method: 'POST', url: '/api/core/roles', payload: { name: `role for ${email}`, permissions: perms } }, 201);
  const password = 'a long enough password';
  await call({ method: 'POST', url: '/api/core/users', payload: { email, name: email.split('@')[0], password, roleIds: [role.id] } }, 201);
  return t.login(email, password);
}

export interface TagRowOut {
  epc: string;
  target_type: string | null;
  target_id: string | null;
  last_location_id: string | null;
  read_count: string;
}
export const tagRow = async (t: TestPlatform, epc: string) => (await t.sql<TagRowOut>(`SELECT * FROM rfid_tag WHERE epc = $1`, [epc]))[0];
export const movementsOf = (t: TestPlatform, epc: string) =>
  t.sql<{ from_location_id: string | null; to_location_id: string; direction: string | null; antenna: number | null }>(
    `SELECT from_location_id, to_location_id, direction, antenna FROM rfid_movement WHERE epc = $1 ORDER BY id`,
    [epc],
  );
