import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InjectOptions } from 'fastify';
import { createTestPlatform, TEST_ADMIN, type TestPlatform } from '@quartermaster/testing';
import { expectProblem, userWith } from './helpers.js';

interface Entry {
  id: string;
  occurredAt: string;
  actorType: string;
  actorId: string | null;
  actorLabel: string;
  pluginId: string;
  action: string;
  entityType: string;
  entityId: string;
  before: any;
  after: any;
}

describe('audit log', () => {
  let t: TestPlatform;
  let adminId: string;
  let clerk: Awaited<ReturnType<typeof userWith>>;
  let itemId: string;
  let clerkItemId: string;
  let tokenId: string;
  let tokenItemId: string;

  const call = async (opts: InjectOptions, status: number) => {
    const res = await t.request(opts);
    expect(res.statusCode, res.body).toBe(status);
    return res.json();
  };
  const audit = (query: string) => call({ method: 'GET', url: `/api/core/audit?${query}` }, 200) as Promise<{ data: Entry[]; total: number; limit: number; offset: number }>;
  const summary = (e: Entry) => `${e.entityType} ${e.action}`;

  beforeAll(async () => {
    t = await createTestPlatform();
    adminId = (await call({ method: 'GET', url: '/api/core/session' }, 200)).user.id;
    const item = await call({ method: 'POST', url: '/api/core/items', payload: { name: 'Pallet jack' } }, 201);
    itemId = item.id;
    await call({ method: 'PATCH', url: `/api/core/items/${itemId}`, payload: { name: 'Pallet jack 2.5 t', version: 1 } }, 200);
    await call({ method: 'PATCH', url: `/api/core/items/${itemId}`, payload: { archived: true } }, 200);
    const site = await call({ method: 'POST', url: '/api/core/locations', payload: { name: 'Old depot', type: 'site' } }, 201);
    await call({ method: 'PATCH', url: `/api/core/locations/${site.id}`, payload: { archived: true } }, 200);

    clerk = await userWith(t, 'clerk@example.test', ['core.items.read', 'core.items.write', 'core.audit.read', 'core.tokens.manage']);
    clerkItemId = (
      await t.app.inject({ method: 'POST', url: '/api/core/items', headers: clerk.session.headers, payload: { name: 'Clipboard' } })
    ).json().id;
    const token = (
      await t.app.inject({ method: 'POST', url: '/api/core/api-tokens', headers: clerk.session.headers, payload: { name: 'scanner', permissions: ['core.items.write'] } })
    ).json();
    tokenId = token.apiToken.id;
    tokenItemId = (await t.app.inject({ method: 'POST', url: '/api/core/items', headers: { authorization: `Bearer ${token.token}` }, payload: { name: 'Scanned thing' } })).json().id;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('is newest first, with who, what and the before/after of each change', async () => {
    const page = await audit('limit=200');
    expect(page.total).toBe(page.data.length);
    const ids = page.data.map((e) => Number(e.id));
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(page.data.slice(0, 3).map(summary)).toEqual(['core.item created', 'core.api-token created', 'core.item created']);
    const [byToken, tokenCreated, byClerk] = page.data;
    expect(byToken).toMatchObject({ entityId: tokenItemId, actorType: 'api-token', actorId: clerk.userId, pluginId: 'core', before: null });
    expect(byToken.actorLabel).toBe('clerk@example.test (token scanner)');
    expect(byToken.after).toMatchObject({ id: tokenItemId, name: 'Scanned thing' });
    expect(tokenCreated).toMatchObject({ entityId: tokenId, actorType: 'user', actorLabel: 'clerk@example.test' });
    expect(byClerk).toMatchObject({ entityId: clerkItemId, actorType: 'user', actorId: clerk.userId });
    // The first entry is the bootstrap of the test administrator by the system.
    expect(page.data.at(-1)).toMatchObject({ entityType: 'core.user', action: 'created', actorType: 'system', actorId: null, entityId: adminId });
    expect(page.data.at(-1)!.after).toMatchObject({ email: TEST_ADMIN.email });
    expect(page.data.at(-1)!.after).not.toHaveProperty('password_hash');
  });

  it('filters by entity: one item’s whole history with before and after', async () => {
    const history = await audit(`entityType=core.item&entityId=${itemId}`);
    expect(history.data.map((e) => e.action)).toEqual(['archived', 'updated', 'created']);
    const [archived, updated, created] = history.data;
    expect([created.before, created.after.name]).toEqual([null, 'Pallet jack']);
    expect([updated.before.name, updated.after.name, updated.before.version, updated.after.version]).toEqual(['Pallet jack', 'Pallet jack 2.5 t', 1, 2]);
    expect([archived.before.archived, archived.after.archived]).toEqual([false, true]);
    expect(history.total).toBe(3);
  });

  it('filters by actor and by action', async () => {
    const byClerk = await audit(`actorId=${clerk.userId}`);
    expect(byClerk.data.map(summary)).toEqual(['core.item created', 'core.api-token created', 'core.item created', 'core.user signed-in']);
    expect(new Set(byClerk.data.map((e) => e.actorId))).toEqual(new Set([clerk.userId]));
    const archived = await audit('action=archived');
    expect(archived.data.map(summary)).toEqual(['core.location archived', 'core.item archived']);
    const both = await audit(`action=created&actorId=${adminId}&entityType=core.item`);
    expect(both.data.map((e) => e.entityId)).toEqual([itemId]);
    expect((await audit(`entityType=core.nothing`)).total).toBe(0);
  });

  it('pages with a stable total', async () => {
    const all = await audit('limit=200');
    const p1 = await audit('limit=3');
    const p2 = await audit('limit=3&offset=3');
    const past = await audit('limit=3&offset=1000');
    expect([p1.total, p2.total, past.total]).toEqual([all.total, all.total, all.total]);
    expect([...p1.data, ...p2.data].map((e) => e.id)).toEqual(all.data.slice(0, 6).map((e) => e.id));
    expect(past.data).toEqual([]);
  });

  it('needs core.audit.read, and cannot be written or deleted through the API', async () => {
    const noAudit = await userWith(t, 'noaudit@example.test', ['core.items.read']);
    const res = await t.app.inject({ method: 'GET', url: '/api/core/audit', headers: noAudit.session.headers });
    expect(expectProblem(res, 403, 'forbidden').permission).toBe('core.audit.read');
    expectProblem(await t.request({ method: 'POST', url: '/api/core/audit', payload: { action: 'forged' } }), 404, 'route-not-found');
    const [first] = (await audit('limit=1')).data;
    expectProblem(await t.request({ method: 'DELETE', url: `/api/core/audit/${first.id}` }), 404, 'route-not-found');
  });

  it('filters by a time range: from inclusive, to exclusive', async () => {
    const all = await audit('limit=200');
    const oldest = all.data[all.data.length - 1];
    // Move the oldest entry into the past so a range can separate it from the rest.
    await t.sql(`UPDATE core_audit SET occurred_at = '2020-01-01T00:00:00Z' WHERE id = $1`, [oldest.id]);
    const before2021 = await audit('from=2019-12-31T00:00:00Z&to=2021-01-01T00:00:00Z');
    expect(before2021.data.map((e) => e.id)).toEqual([oldest.id]);
    const exactlyAtTo = await audit('to=2020-01-01T00:00:00Z');
    expect(exactlyAtTo.total).toBe(0);
    const since2021 = await audit('from=2021-01-01T00:00:00Z&limit=200');
    expect(since2021.total).toBe(all.total - 1);
    expectProblem(await t.request({ method: 'GET', url: '/api/core/audit?from=2021-01-01T00:00:00Z&to=2020-01-01T00:00:00Z' }), 400, 'validation');
  });
});

