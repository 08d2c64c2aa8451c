import { expect } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import type { TestPlatform } from '@quartermaster/testing';

export const PROBLEM = 'https://quartermaster.dev/problems/';
export const NO_SUCH_ID = '00000000-0000-4000-8000-000000000000';

export const CORE_TABLES = [
  'core_item',
  'core_location',
  'core_category',
  'core_identifier',
  'core_user',
  'core_user_role',
  'core_role',
  'core_api_token',
  'core_session',
  'core_audit',
  'core_outbox',
  'core_webhook',
  'core_webhook_delivery',
  'core_webhook_attempt',
] as const;

export type Counts = Record<string, number>;

/** Row counts of every core table, in one statement. */
export async function counts(t: TestPlatform): Promise<Counts> {
  const [row] = await t.sql<Record<string, string>>(
    `SELECT ${CORE_TABLES.map((name) => `(SELECT count(*) FROM ${name}) AS ${name}`).join(', ')}`,
  );
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v)]));
}

/** Tables whose rows must not change at all on a refused request (sessions and tokens record last use). */
const CONTENT_TABLES = CORE_TABLES.filter((n) => n !== 'core_session' && n !== 'core_api_token');

/** Row counts plus a digest of every row's content, so an in-place UPDATE is noticed too. */
export async function snapshot(t: TestPlatform): Promise<Record<string, string | number>> {
  const [row] = await t.sql<Record<string, string>>(
    `SELECT ${CONTENT_TABLES.map((name) => `(SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM ${name} x) AS ${name}`).join(', ')}`,
  );
  const tokens = await t.sql<Record<string, string>>(`SELECT md5(coalesce(string_agg(row(id, name, permissions, revoked_at, expires_at)::text, '|' ORDER BY id), '')) AS d FROM core_api_token`);
  return { ...(await counts(t)), ...Object.fromEntries(Object.entries(row).map(([k, v]) => [`${k}#`, v])), 'core_api_token#': tokens[0].d };
}

/** Assert an RFC 9457 answer with the given status and `type` slug; returns the body. */
export function expectProblem(res: LightMyRequestResponse, status: number, slug: string) {
  const body = res.json();
  expect({ status: res.statusCode, type: body.type }, res.body).toEqual({ status, type: PROBLEM + slug });
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(body.status).toBe(status);
  expect(typeof body.title).toBe('string');
  return body as { type: string; title: string; status: number; detail?: string; errors?: { field: string; message: string; in?: string }[]; [k: string]: unknown };
}

/** The fields named by a validation problem. */
export const fieldsOf = (body: { errors?: { field: string }[] }) => (body.errors ?? []).map((e) => e.field);

/** Run a call and assert that it wrote nothing and emitted nothing (sessions aside when asked). */
export async function expectNoChange<R>(t: TestPlatform, call: () => Promise<R>): Promise<R> {
  const before = await snapshot(t);
  const eventsBefore = t.events.length;
  const result = await call();
  expect(await snapshot(t)).toEqual(before);
  expect(t.events.slice(eventsBefore).map((e) => e.name)).toEqual([]);
  return result;
}

/** Names of the events committed since `from`. */
export const eventsSince = (t: TestPlatform, from: number) => t.events.slice(from).map((e) => e.name);

/** Audit rows after a given id. */
export async function auditSince(t: TestPlatform, afterId: number) {
  return t.sql<{ id: string; action: string; entity_type: string; entity_id: string; before: any; after: any; actor_label: string; token_id: string | null }>(
    `SELECT * FROM core_audit WHERE id > $1 ORDER BY id`,
    [afterId],
  );
}
export async function lastAuditId(t: TestPlatform): Promise<number> {
  const [r] = await t.sql<{ id: string | null }>(`SELECT max(id) AS id FROM core_audit`);
  return Number(r.id ?? 0);
}

/** Create a user with a new role holding exactly `permissions`; returns ids and a signed-in session. */
export async function userWith(t: TestPlatform, email: string, permissions: string[]) {
  const role = await t.request({ method: 'POST', url: '/api/core/roles', payload: { name: `role for ${email}`, permissions } });
  expect(role.statusCode, role.body).toBe(201);
  const password = 'a long enough password';
  const user = await t.request({ method: 'POST', url: '/api/core/users', payload: { email, name: email, password, roleIds: [role.json().id] } });
  expect(user.statusCode, user.body).toBe(201);
  const session = await t.login(email, password);
  return { userId: user.json().id as string, roleId: role.json().id as string, password, session };
}

export interface MutationRecord {
  audit: Awaited<ReturnType<typeof auditSince>>[number];
  events: string[];
  outbox: { name: string; occurred_at: Date; payload: any }[];
}

/**
 * Run one mutation and assert it wrote exactly one audit row (with the given action on the given
 * entity type) and committed exactly these events, each also in the outbox, all in one
 * transaction (PostgreSQL's now() is the transaction's start, so the timestamps agree).
 */
export async function expectOneMutation<R>(
  t: TestPlatform,
  expected: { entityType: string; action: string; events: string[] },
  call: () => Promise<R>,
): Promise<R & MutationRecord> {
  const fromAudit = await lastAuditId(t);
  const [o] = await t.sql<{ id: string | null }>(`SELECT max(id) AS id FROM core_outbox`);
  const fromEvents = t.events.length;
  const result = await call();
  const audit = await auditSince(t, fromAudit);
  expect(audit.map((a) => `${a.entity_type} ${a.action}`)).toEqual([`${expected.entityType} ${expected.action}`]);
  const events = eventsSince(t, fromEvents);
  expect(events).toEqual(expected.events);
  const outbox = await t.sql<{ name: string; occurred_at: Date; payload: any }>(`SELECT name, occurred_at, payload FROM core_outbox WHERE id > $1 ORDER BY id`, [Number(o.id ?? 0)]);
  expect(outbox.map((r) => r.name)).toEqual(expected.events);
  const [when] = await t.sql<{ occurred_at: Date }>(`SELECT occurred_at FROM core_audit WHERE id = $1`, [audit[0].id]);
  for (const r of outbox) expect(r.occurred_at.getTime()).toBe(when.occurred_at.getTime());
  return Object.assign(result as object, { audit: audit[0], events, outbox }) as R & MutationRecord;
}
