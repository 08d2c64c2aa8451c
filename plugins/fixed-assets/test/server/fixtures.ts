import { expect } from 'vitest';
import type { InjectOptions } from 'fastify';
import { createTestPlatform, type TestPlatform, type TestSession } from '@quartermaster/testing';
import { fixedAssetsPlugin } from '../../src/server/index.js';

export const FA = '/api/fixed-assets';
export const NO_SUCH_ID = '00000000-0000-4000-8000-000000000000';

/** A platform with the fixed-assets plugin; the overdue timer is off, tests sweep by reading. */
export async function bootFixedAssets(options: Record<string, unknown> = {}): Promise<TestPlatform> {
  return createTestPlatform({ plugins: [fixedAssetsPlugin], enable: { 'fixed-assets': { overdueSweepSeconds: 0, ...options } } });
}

/** Calls that must answer `status`; returns the JSON body. */
export const caller = (t: TestPlatform) => async (opts: InjectOptions, status: number) => {
  const res = await t.request(opts);
  expect(res.statusCode, `${opts.method} ${opts.url}: ${res.body}`).toBe(status);
  return res.body ? res.json() : undefined;
};

export async function location(t: TestPlatform, name: string, type = 'site', parentId?: string, code?: string): Promise<string> {
  return (await caller(t)({ method: 'POST', url: '/api/core/locations', payload: { name, type, ...(parentId ? { parentId } : {}), ...(code ? { code } : {}) } }, 201)).id;
}

export async function category(t: TestPlatform, name: string, parentId?: string): Promise<string> {
  return (await caller(t)({ method: 'POST', url: '/api/core/categories', payload: { name, ...(parentId ? { parentId } : {}) } }, 201)).id;
}

export async function item(t: TestPlatform, name: string, extra: Record<string, unknown> = {}): Promise<string> {
  return (await caller(t)({ method: 'POST', url: '/api/core/items', payload: { name, ...extra } }, 201)).id;
}

/** Register an asset; returns the answer. */
export async function asset(t: TestPlatform, body: Record<string, unknown>) {
  return caller(t)({ method: 'POST', url: `${FA}/assets`, payload: body }, 201);
}

export async function person(t: TestPlatform, name: string, extra: Record<string, unknown> = {}): Promise<string> {
  return (await caller(t)({ method: 'POST', url: `${FA}/persons`, payload: { name, ...extra } }, 201)).id;
}

export const transition = (t: TestPlatform, id: string, to: string, reason?: string) => t.request({ method: 'POST', url: `${FA}/assets/${id}/transitions`, payload: { to, ...(reason ? { reason } : {}) } });

/** An instant `minutes` from now. */
export const inMinutes = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();
export const inDays = (days: number) => inMinutes(days * 24 * 60);

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

/** The lifecycle invariant: an asset is checked out exactly when it has an open custody. */
export async function custodyMatchesStatus(t: TestPlatform) {
  const wrong = await t.sql(
    `SELECT a.tag, a.status, (SELECT count(*) FROM fixed_assets_custody c WHERE c.asset_id = a.id AND c.checked_in_at IS NULL) AS open
       FROM fixed_assets_asset a
      WHERE (a.status = 'checked-out') <> EXISTS (SELECT 1 FROM fixed_assets_custody c WHERE c.asset_id = a.id AND c.checked_in_at IS NULL)`,
  );
  expect(wrong).toEqual([]);
}
