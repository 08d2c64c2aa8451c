import pg from 'pg';
import { expect, inject, test } from 'vitest';
import { createTestPlatform, TEST_ADMIN } from '../src/index.js';

test('each test platform has its own database, dropped on close', async () => {
  const a = await createTestPlatform();
  const b = await createTestPlatform();
  try {
    expect(a.databaseUrl).not.toBe(b.databaseUrl);
    await a.request({ method: 'POST', url: '/api/core/items', payload: { name: 'Only in A' } });
    expect((await a.request({ method: 'GET', url: '/api/core/items' })).json().total).toBe(1);
    expect((await b.request({ method: 'GET', url: '/api/core/items' })).json().total).toBe(0);
  } finally {
    await b.close();
  }
  const name = new URL(a.databaseUrl).pathname.slice(1);
  await a.close();
  const admin = new pg.Client({ connectionString: inject('qmDatabaseUrl' as never) as string });
  await admin.connect();
  const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  await admin.end();
  expect(rowCount).toBe(0);
});

test('records committed events, signs in as the test admin, and refuses a wrong password', async () => {
  const t = await createTestPlatform();
  try {
    await t.request({ method: 'POST', url: '/api/core/locations', payload: { name: 'Depot', type: 'site' } });
    expect(t.events.map((e) => e.name)).toEqual(['core.user.created', 'core.user.signed-in', 'core.location.created']); // since boot, admin included
    expect(t.events[2]).toMatchObject({ source: 'core', payload: { name: 'Depot', type: 'site', parentId: null } });
    const session = await t.login();
    expect(session.headers.cookie).toMatch(/^qm_session=/);
    await expect(t.login(TEST_ADMIN.email, 'wrong')).rejects.toThrow(/login failed: 401/);
  } finally {
    await t.close();
  }
});

test('a boot error leaves no database behind', async () => {
  const admin = new pg.Client({ connectionString: inject('qmDatabaseUrl' as never) as string });
  await admin.connect();
  const before = (await admin.query(`SELECT count(*)::int AS n FROM pg_database WHERE datname LIKE 'qm_t_%'`)).rows[0].n;
  await expect(createTestPlatform({ enable: { ghost: {} } })).rejects.toThrow(/ghost/);
  const after = (await admin.query(`SELECT count(*)::int AS n FROM pg_database WHERE datname LIKE 'qm_t_%'`)).rows[0].n;
  await admin.end();
  expect(after).toBe(before);
});
