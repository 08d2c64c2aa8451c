import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InjectOptions } from 'fastify';
import { createTestPlatform, type TestPlatform } from '@quartermaster/testing';
import { PROBLEM, counts } from './helpers.js';

/** Real PostgreSQL, real row locks: requests sent at once, each on its own connection. */
describe('concurrent changes', () => {
  let t: TestPlatform;

  const call = async (opts: InjectOptions, status: number) => {
    const res = await t.request(opts);
    expect(res.statusCode, res.body).toBe(status);
    return res.json();
  };
  /** Status and problem slug of each answer, tallied. */
  const tally = (results: { statusCode: number; body: string }[]) => {
    const out: Record<string, number> = {};
    for (const r of results) {
      const type = r.statusCode >= 400 ? ' ' + String(JSON.parse(r.body).type).replace(PROBLEM, '') : '';
      out[`${r.statusCode}${type}`] = (out[`${r.statusCode}${type}`] ?? 0) + 1;
    }
    return out;
  };

  beforeAll(async () => {
    t = await createTestPlatform();
    await t.request({ method: 'GET', url: '/api/core/session' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('10 PATCHes of one item with the same version: exactly one wins, the others get 409 stale-version', async () => {
    const item = await call({ method: 'POST', url: '/api/core/items', payload: { name: 'Contested' } }, 201);
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => t.request({ method: 'PATCH', url: `/api/core/items/${item.id}`, payload: { name: `Writer ${i}`, version: item.version } })),
    );
    expect(tally(results)).toEqual({ '200': 1, '409 stale-version': 9 });
    const winner = results.find((r) => r.statusCode === 200)!.json();
    const now = await call({ method: 'GET', url: `/api/core/items/${item.id}` }, 200);
    expect([now.name, now.version]).toEqual([winner.name, 2]);
    const audit = await t.sql<{ action: string }>(`SELECT action FROM core_audit WHERE entity_type = 'core.item' AND entity_id = $1 ORDER BY id`, [item.id]);
    expect(audit.map((a) => a.action)).toEqual(['created', 'updated']);
    const [outbox] = await t.sql<{ n: string }>(`SELECT count(*) AS n FROM core_outbox WHERE name = 'core.item.updated' AND payload->>'id' = $1`, [item.id]);
    expect(Number(outbox.n)).toBe(1);
  });

  it('10 PATCHes of one item without a version all apply, one after another', async () => {
    const item = await call({ method: 'POST', url: '/api/core/items', payload: { name: 'Serial' } }, 201);
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => t.request({ method: 'PATCH', url: `/api/core/items/${item.id}`, payload: { description: `note ${i}` } })));
    expect(tally(results)).toEqual({ '200': 10 });
    expect(results.map((r) => r.json().version).sort((a, b) => a - b)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });

  it('parallel creation of the same identifier: exactly one 201, the others 409 identifier-taken', async () => {
    const targets = [];
    for (let i = 0; i < 8; i++) targets.push((await call({ method: 'POST', url: '/api/core/items', payload: { name: `Candidate ${i}` } }, 201)).id);
    const before = await counts(t);
    const results = await Promise.all(
      targets.map((id) => t.request({ method: 'POST', url: '/api/core/identifiers', payload: { type: 'serial', value: 'SN-RACE-1', targetType: 'core.item', targetId: id } })),
    );
    expect(tally(results)).toEqual({ '201': 1, '409 identifier-taken': 7 });
    const after = await counts(t);
    expect([after.core_identifier - before.core_identifier, after.core_audit - before.core_audit, after.core_outbox - before.core_outbox]).toEqual([1, 1, 1]);
  });

  it('parallel creation of items carrying the same identifier: one item is created, no orphans', async () => {
    const before = await counts(t);
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => t.request({ method: 'POST', url: '/api/core/items', payload: { name: `Racer ${i}`, identifiers: [{ type: 'sku', value: 'RACE-SKU' }] } })),
    );
    expect(tally(results)).toEqual({ '201': 1, '409 identifier-taken': 7 });
    const after = await counts(t);
    expect([after.core_item - before.core_item, after.core_identifier - before.core_identifier, after.core_audit - before.core_audit]).toEqual([1, 1, 1]);
  });

  it('parallel creation of same-named siblings: one location, the others 409 location-name-taken', async () => {
    const site = await call({ method: 'POST', url: '/api/core/locations', payload: { name: 'Race DC', type: 'site' } }, 201);
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => t.request({ method: 'POST', url: '/api/core/locations', payload: { name: i % 2 ? 'Dock 1' : 'DOCK 1', type: 'zone', parentId: site.id } })),
    );
    expect(tally(results)).toEqual({ '201': 1, '409 location-name-taken': 7 });
  });

  it('parallel creation of same-named categories: one category, the others 409 category-name-taken', async () => {
    const results = await Promise.all(Array.from({ length: 8 }, () => t.request({ method: 'POST', url: '/api/core/categories', payload: { name: 'Raced' } })));
    expect(tally(results)).toEqual({ '201': 1, '409 category-name-taken': 7 });
  });

  /** Every location is reachable from a root: there is no cycle. */
  const assertLocationTreeAcyclic = async () => {
    const [r] = await t.sql<{ reachable: string; total: string }>(`
      WITH RECURSIVE tree AS (SELECT id FROM core_location WHERE parent_id IS NULL
        UNION ALL SELECT l.id FROM core_location l JOIN tree ON l.parent_id = tree.id)
      SELECT (SELECT count(*) FROM tree) AS reachable, (SELECT count(*) FROM core_location) AS total`);
    expect(Number(r.reachable)).toBe(Number(r.total));
  };
  const assertCategoryTreeAcyclic = async () => {
    const [r] = await t.sql<{ reachable: string; total: string }>(`
      WITH RECURSIVE tree AS (SELECT id FROM core_category WHERE parent_id IS NULL
        UNION ALL SELECT c.id FROM core_category c JOIN tree ON c.parent_id = tree.id)
      SELECT (SELECT count(*) FROM tree) AS reachable, (SELECT count(*) FROM core_category) AS total`);
    expect(Number(r.reachable)).toBe(Number(r.total));
  };

  it('A under B and B under A at once: at most one move succeeds, the tree keeps no cycle (locations)', async () => {
    for (let round = 0; round < 5; round++) {
      const a = await call({ method: 'POST', url: '/api/core/locations', payload: { name: `Zone A${round}`, type: 'zone' } }, 201);
      const b = await call({ method: 'POST', url: '/api/core/locations', payload: { name: `Zone B${round}`, type: 'zone' } }, 201);
      const results = await Promise.all([
        t.request({ method: 'PATCH', url: `/api/core/locations/${a.id}`, payload: { parentId: b.id } }),
        t.request({ method: 'PATCH', url: `/api/core/locations/${b.id}`, payload: { parentId: a.id } }),
      ]);
      expect(tally(results)).toEqual({ '200': 1, '409 location-cycle': 1 });
      await assertLocationTreeAcyclic();
      // The tree and the paths are still computable.
      const moved = results.find((r) => r.statusCode === 200)!.json();
      expect(moved.path).toMatch(new RegExp(`^Zone [AB]${round} / Zone [AB]${round}$`));
    }
  });

  it('A under B and B under A at once: at most one move succeeds, the tree keeps no cycle (categories)', async () => {
    for (let round = 0; round < 5; round++) {
      const a = await call({ method: 'POST', url: '/api/core/categories', payload: { name: `Cat A${round}` } }, 201);
      const b = await call({ method: 'POST', url: '/api/core/categories', payload: { name: `Cat B${round}` } }, 201);
      const results = await Promise.all([
        t.request({ method: 'PATCH', url: `/api/core/categories/${a.id}`, payload: { parentId: b.id } }),
        t.request({ method: 'PATCH', url: `/api/core/categories/${b.id}`, payload: { parentId: a.id } }),
      ]);
      expect(tally(results)).toEqual({ '200': 1, '409 category-cycle': 1 });
      await assertCategoryTreeAcyclic();
    }
  });

  it('a three-way rotation (A→B, B→C, C→A at once) cannot close a loop either', async () => {
    for (let round = 0; round < 3; round++) {
      const [a, b, c] = await Promise.all(['A', 'B', 'C'].map((n) => call({ method: 'POST', url: '/api/core/locations', payload: { name: `Ring ${n}${round}`, type: 'zone' } }, 201)));
      const results = await Promise.all([
        t.request({ method: 'PATCH', url: `/api/core/locations/${a.id}`, payload: { parentId: b.id } }),
        t.request({ method: 'PATCH', url: `/api/core/locations/${b.id}`, payload: { parentId: c.id } }),
        t.request({ method: 'PATCH', url: `/api/core/locations/${c.id}`, payload: { parentId: a.id } }),
      ]);
      expect(tally(results)).toEqual({ '200': 2, '409 location-cycle': 1 });
      await assertLocationTreeAcyclic();
    }
  });
});
