import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, expectNoChange, expectProblem, problemFields, type TestPlatform, type TestSession } from '@quartermaster/testing';
import { __PluginCamel__Plugin } from '../../src/server/index.js';
import { permissions } from '../../src/shared/index.js';

const API = '/api/__PLUGIN_ID__/widgets';

/** A signed-in user whose only role grants `perms`. */
async function userWith(t: TestPlatform, email: string, perms: string[]): Promise<TestSession> {
  const role = await t.request({ method: 'POST', url: '/api/core/roles', payload: { name: `role for ${email}`, permissions: perms } });
  expect(role.statusCode, role.body).toBe(201);
  const password = 'a long enough password';
  const user = await t.request({ method: 'POST', url: '/api/core/users', payload: { email, name: email.split('@')[0], password, roleIds: [role.json().id] } });
  expect(user.statusCode, user.body).toBe(201);
  return t.login(email, password);
}

/** The plugin on the real platform: the real loader, migrations and routes on a fresh PostgreSQL database. */
describe('__PLUGIN_ID__ widgets', () => {
  let t: TestPlatform;
  beforeAll(async () => {
    t = await createTestPlatform({ plugins: [__PluginCamel__Plugin] });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('creates a widget, lists it, audits it and emits __PLUGIN_ID__.widget.created', async () => {
    const res = await t.request({ method: 'POST', url: API, payload: { name: '  Blue   bin ' } });
    expect(res.statusCode, res.body).toBe(201);
    const widget = res.json();
    expect(widget).toMatchObject({ name: 'Blue bin' });

    const list = (await t.request({ method: 'GET', url: API })).json();
    expect(list).toMatchObject({ total: 1, data: [{ id: widget.id, name: 'Blue bin' }] });

    expect(t.events.filter((e) => e.name === '__PLUGIN_ID__.widget.created').map((e) => e.payload)).toEqual([{ id: widget.id, name: 'Blue bin' }]);
    const audit = (await t.request({ method: 'GET', url: `/api/core/audit?entityType=__PLUGIN_ID__.widget&entityId=${widget.id}` })).json();
    expect(audit.data.map((a: { action: string }) => a.action)).toEqual(['created']);
  });

  it('answers bad input with a 400 problem naming the field, and stores nothing', async () => {
    for (const payload of [{}, { name: '   ' }, { name: 'x'.repeat(81) }, { name: 'bin', colour: 'blue' }]) {
      const res = await expectNoChange(t, () => t.request({ method: 'POST', url: API, payload }));
      const body = expectProblem(res, 400, 'validation');
      expect(problemFields(body).length, JSON.stringify(payload)).toBeGreaterThan(0);
    }
  });

  it('refuses a second widget whose name differs only in case with a 409, and stores nothing', async () => {
    const res = await expectNoChange(t, () => t.request({ method: 'POST', url: API, payload: { name: 'BLUE BIN' } }));
    expect(expectProblem(res, 409, '__PLUGIN_ID__/duplicate-name').field).toBe('name');
  });

  it('answers 403 to a user without the permission, and a reader may list but not create', async () => {
    const nobody = await userWith(t, 'nobody@example.test', []);
    const denied = await t.app.inject({ method: 'GET', url: API, headers: nobody.headers });
    expect(expectProblem(denied, 403, 'forbidden').permission).toBe(permissions.read);

    const reader = await userWith(t, 'reader@example.test', [permissions.read]);
    expect((await t.app.inject({ method: 'GET', url: API, headers: reader.headers })).statusCode).toBe(200);
    const create = await expectNoChange(t, () => t.app.inject({ method: 'POST', url: API, headers: reader.headers, payload: { name: 'Red bin' } }));
    expect(expectProblem(create, 403, 'forbidden').permission).toBe(permissions.write);
  });
});
