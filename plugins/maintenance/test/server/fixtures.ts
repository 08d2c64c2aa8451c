import { expect } from 'vitest';
import type { InjectOptions } from 'fastify';
import { createTestPlatform, type TestPlatform, type TestSession } from '@quartermaster/testing';
import { fixedAssetsPlugin } from '@quartermaster/plugin-fixed-assets/server';
import { inventoryPlugin } from '@quartermaster/plugin-inventory/server';
import { maintenancePlugin } from '../../src/server/index.js';

export const MT = '/api/maintenance';
export const FA = '/api/fixed-assets';
export const INV = '/api/inventory';
export const NO_SUCH_ID = '00000000-0000-4000-8000-000000000000';

/**
 * A platform with fixed-assets and maintenance (and inventory when `inventory` is true). Timers are
 * off (the scheduler, the overdue sweeps): tests run generation and sweeps by calling them.
 */
export async function bootMaintenance(o: { inventory?: boolean; options?: Record<string, unknown> } = {}): Promise<TestPlatform> {
  const plugins = o.inventory ? [inventoryPlugin, fixedAssetsPlugin, maintenancePlugin] : [fixedAssetsPlugin, maintenancePlugin];
  return createTestPlatform({
    plugins,
    enable: {
      ...(o.inventory ? { inventory: { reservationSweepSeconds: 0 } } : {}),
      'fixed-assets': { overdueSweepSeconds: 0 },
      maintenance: { ...o.options, scheduler: { enabled: false, overdueSweepSeconds: 0, ...((o.options?.scheduler as object) ?? {}) } },
    },
  });
}

/** Calls that must answer `status`; returns the JSON body. */
export const caller = (t: TestPlatform) => async (opts: InjectOptions, status: number) => {
  const res = await t.request(opts);
  expect(res.statusCode, `${opts.method} ${opts.url}: ${res.body}`).toBe(status);
  return res.body ? res.json() : undefined;
};

export async function location(t: TestPlatform, name: string, type = 'site', parentId?: string): Promise<string> {
  return (await caller(t)({ method: 'POST', url: '/api/core/locations', payload: { name, type, ...(parentId ? { parentId } : {}) } }, 201)).id;
}

export async function category(t: TestPlatform, name: string, parentId?: string): Promise<string> {
  return (await caller(t)({ method: 'POST', url: '/api/core/categories', payload: { name, ...(parentId ? { parentId } : {}) } }, 201)).id;
}

export async function item(t: TestPlatform, name: string, extra: Record<string, unknown> = {}): Promise<string> {
  return (await caller(t)({ method: 'POST', url: '/api/core/items', payload: { name, ...extra } }, 201)).id;
}

/** Register an asset in service; returns the fixed-assets answer (`id`, `tag`, …). */
export async function asset(t: TestPlatform, body: Record<string, unknown> = {}) {
  return caller(t)({ method: 'POST', url: `${FA}/assets`, payload: { name: 'Compressor', status: 'in-service', acquisitionCost: '1000.00', currency: 'EUR', ...body } }, 201);
}

/** Receive stock of an item at a location (inventory enabled). */
export async function receive(t: TestPlatform, itemId: string, locationId: string, qty: string, unitCost: string) {
  return caller(t)({ method: 'POST', url: `${INV}/moves`, payload: { type: 'receipt', lines: [{ itemId, qty, toLocationId: locationId, unitCost }] } }, 201);
}

/** A user with a role of exactly these permissions, signed in. */
export async function userWith(t: TestPlatform, email: string, perms: string[]): Promise<TestSession & { id: string }> {
  const call = caller(t);
  const role = await call({ method: 'POST', url: '/api/core/roles', payload: { name: `role for ${email}`, permissions: perms } }, 201);
  const password = 'a long enough password';
  const user = await call({ method: 'POST', url: '/api/core/users', payload: { email, name: email.split('@')[0], password, roleIds: [role.id] } }, 201);
  return { ...(await t.login(email, password)), id: user.id };
}

/** Names of the events committed since `from`. */
export const eventsSince = (t: TestPlatform, from: number) => t.events.slice(from).map((e) => e.name);
