import { expect } from 'vitest';
import type { InjectOptions } from 'fastify';
import { createTestPlatform, type TestPlatform, type TestSession } from '@quartermaster/testing';
import { fixedAssetsPlugin } from '@quartermaster/plugin-fixed-assets/server';
import { inventoryPlugin } from '@quartermaster/plugin-inventory/server';
import { barcodePlugin } from '../../src/server/index.js';

export const BC = '/api/barcode';
export const INV = '/api/inventory';
export const FA = '/api/fixed-assets';
export const NO_SUCH_ID = '00000000-0000-4000-8000-000000000000';
/** FNC1 as a scanner transmits it (ASCII 29, GS). */
export const GS = '\u001d';

/**
 * GS1 data used across these tests. GTINs sit under prefix 950 (GS1 Global Office), as the domain
 * tests' GTIN 09501101530003 does; keys use 0614141, the example company prefix of GS1 documents.
 * Check digits by GS1 General Specifications §7.9.1 (weights 3,1,3… from the right, check =
 * (10 − sum mod 10) mod 10), worked by hand:
 * - 0950110153000|3: 0·3+9·1+5·3+0·1+1·3+1·1+0·3+1·1+5·3+3·1+0·3+0·1+0·3 = 47 → 3
 * - 0950110153001|0: the same with 1·3 for the last data digit instead of 0 = 50 → 0
 * - 0950110153002|7: with 2·3 = 53 → 7
 */
export const GTIN_MILK = '09501101530003';
export const GTIN_CHEESE = '09501101530010';
export const GTIN_UNKNOWN = '09501101530027';

/** A platform with the barcode plugin and, when asked, inventory and fixed-assets (timers off). */
export async function bootBarcode(o: { inventory?: boolean; fixedAssets?: boolean } = {}): Promise<TestPlatform> {
  const plugins = [...(o.inventory ? [inventoryPlugin] : []), ...(o.fixedAssets ? [fixedAssetsPlugin] : []), barcodePlugin];
  return createTestPlatform({
    plugins,
    enable: {
      ...(o.inventory ? { inventory: { reservationSweepSeconds: 0 } } : {}),
      ...(o.fixedAssets ? { 'fixed-assets': { overdueSweepSeconds: 0 } } : {}),
      barcode: undefined,
    },
  });
}

/** Calls that must answer `status`; returns the JSON body (or the raw response for non-JSON). */
export const caller = (t: TestPlatform) => async (opts: InjectOptions, status: number) => {
  const res = await t.request(opts);
  expect(res.statusCode, `${opts.method} ${opts.url}: ${res.body}`).toBe(status);
  return res.headers['content-type']?.toString().includes('json') ? res.json() : res.body;
};

export async function item(t: TestPlatform, name: string, extra: Record<string, unknown> = {}): Promise<string> {
  return (await caller(t)({ method: 'POST', url: '/api/core/items', payload: { name, ...extra } }, 201)).id;
}

export async function location(t: TestPlatform, name: string, extra: Record<string, unknown> = {}): Promise<string> {
  return (await caller(t)({ method: 'POST', url: '/api/core/locations', payload: { name, type: 'site', ...extra } }, 201)).id;
}

/** POST /scan as the administrator; returns the answer. */
export const scan = async (t: TestPlatform, data: string) => caller(t)({ method: 'POST', url: `${BC}/scan`, payload: { data } }, 200);

/** A user with a role of exactly these permissions, signed in. */
export async function userWith(t: TestPlatform, email: string, perms: string[]): Promise<TestSession> {
  const call = caller(t);
  const role = await call({ method: 'POST', url: '/api/core/roles', payload: { name: `role for ${email}`, permissions: perms } }, 201);
  const password = 'a long enough password';
  await call({ method: 'POST', url: '/api/core/users', payload: { email, name: email.split('@')[0], password, roleIds: [role.id] } }, 201);
  return t.login(email, password);
}

/**
 * Register a network printer (device kind `printer`, adapter `zebra-zpl`) with these settings;
 * returns its id. `disabled` disables it right after.
 */
export async function printer(t: TestPlatform, code: string, settings: Record<string, unknown>, o: { disabled?: boolean } = {}): Promise<string> {
  const call = caller(t);
  const { device } = await call({ method: 'POST', url: '/api/core/devices', payload: { code, name: `Printer ${code}`, kind: 'printer', adapter: 'zebra-zpl', model: 'Zebra ZT411', settings } }, 201);
  if (o.disabled) await call({ method: 'POST', url: `/api/core/devices/${device.id}/disable` }, 200);
  return device.id;
}

/** Register a device of another kind (generic JSON adapter); returns its id. */
export async function otherDevice(t: TestPlatform, code: string, kind: 'scanner' | 'sensor' = 'scanner'): Promise<string> {
  return (await caller(t)({ method: 'POST', url: '/api/core/devices', payload: { code, name: `Device ${code}`, kind } }, 201)).device.id;
}
