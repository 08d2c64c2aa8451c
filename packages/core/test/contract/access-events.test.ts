import { afterAll, beforeAll, expect, test } from 'vitest';
import { createTestPlatform, TEST_ADMIN, type TestPlatform } from '@quartermaster/testing';

let t: TestPlatform;
beforeAll(async () => {
  t = await createTestPlatform();
});
afterAll(() => t?.close());

test('every change to people and access is audited and announced', async () => {
  await t.request({ method: 'GET', url: '/api/core/session' }); // the admin signs in first
  t.events.length = 0;
  const role = (await t.request({ method: 'POST', url: '/api/core/roles', payload: { name: 'Clerk', permissions: ['core.items.read'] } })).json();
  await t.request({ method: 'PATCH', url: `/api/core/roles/${role.id}`, payload: { permissions: ['core.items.read', 'core.items.write'] } });
  const user = (await t.request({ method: 'POST', url: '/api/core/users', payload: { email: 'clerk@example.test', name: 'Clerk', password: 'clerk password 1', roleIds: [role.id] } })).json();
  await t.request({ method: 'PATCH', url: `/api/core/users/${user.id}`, payload: { name: 'Head clerk' } });
  const token = (await t.request({ method: 'POST', url: '/api/core/api-tokens', payload: { name: 'erp', permissions: ['core.items.read'] } })).json();
  await t.request({ method: 'DELETE', url: `/api/core/api-tokens/${token.apiToken.id}` });
  const clerk = await t.login('clerk@example.test', 'clerk password 1');
  await t.app.inject({ method: 'DELETE', url: '/api/core/session', headers: clerk.headers });
  await t.request({ method: 'PATCH', url: `/api/core/users/${user.id}`, payload: { roleIds: [] } });
  await t.request({ method: 'DELETE', url: `/api/core/roles/${role.id}` });

  expect(t.events.map((e) => e.name)).toEqual([
    'core.role.created',
    'core.role.updated',
    'core.user.created',
    'core.user.updated',
    'core.api-token.created',
    'core.api-token.revoked',
    'core.user.signed-in',
    'core.user.signed-out',
    'core.user.updated',
    'core.role.deleted',
  ]);
  const actions = (await t.sql<{ action: string; entity_type: string }>(`SELECT action, entity_type FROM core_audit WHERE actor_label <> 'system' ORDER BY id`)).map(
    (r) => `${r.entity_type}:${r.action}`,
  );
  expect(actions).toEqual(
    expect.arrayContaining(['core.role:created', 'core.api-token:revoked', 'core.user:signed-out', 'core.role:deleted']),
  );
  // Signed out means the cookie no longer works.
  expect((await t.app.inject({ method: 'GET', url: '/api/core/session', headers: clerk.headers })).statusCode).toBe(401);
});

test('repeated wrong passwords lock the account for a while, even for the right password', async () => {
  await t.request({ method: 'POST', url: '/api/core/users', payload: { email: 'target@example.test', name: 'Target', password: 'target password 1', roleIds: [] } });
  const attempt = (password: string) => t.app.inject({ method: 'POST', url: '/api/core/session', payload: { email: 'target@example.test', password } });
  for (let i = 0; i < 10; i++) expect((await attempt(`guess ${i}`)).statusCode).toBe(401);
  const locked = await attempt('target password 1');
  expect(locked.statusCode).toBe(429);
  expect(locked.json().type).toBe('https://quartermaster.dev/problems/too-many-attempts');
  expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
  // Other accounts are not affected.
  expect((await t.app.inject({ method: 'POST', url: '/api/core/session', payload: TEST_ADMIN })).statusCode).toBe(200);
});
