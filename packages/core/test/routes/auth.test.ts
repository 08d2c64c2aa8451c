import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, TEST_ADMIN, type TestPlatform } from '@quartermaster/testing';
import { auditSince, expectNoChange, expectProblem, fieldsOf, lastAuditId, userWith } from './helpers.js';

describe('authentication, sessions, CSRF, permissions and API tokens', () => {
  let t: TestPlatform;
  let adminId: string;
  let adminRoleId: string;

  beforeAll(async () => {
    t = await createTestPlatform();
    adminId = (await t.request({ method: 'GET', url: '/api/core/session' })).json().user.id;
    adminRoleId = (await t.request({ method: 'GET', url: '/api/core/roles' })).json().find((r: { builtIn: boolean }) => r.builtIn).id;
  });
  afterAll(async () => {
    await t?.close();
  });

  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  describe('unauthenticated calls', () => {
    it.each([
      ['GET', '/api/core/items'],
      ['GET', '/api/core/session'],
      ['GET', '/api/core/audit'],
      ['POST', '/api/core/items'],
      ['PATCH', '/api/core/locations/00000000-0000-4000-8000-000000000000'],
      ['DELETE', '/api/core/identifiers/00000000-0000-4000-8000-000000000000'],
    ] as const)('%s %s without credentials → 401 unauthenticated, nothing written', async (method, url) => {
      const res = await expectNoChange(t, () => t.app.inject({ method, url, payload: method === 'GET' || method === 'DELETE' ? undefined : { name: 'x' } }));
      expectProblem(res, 401, 'unauthenticated');
    });

    it('a made-up session cookie or bearer token is not a credential', async () => {
      expectProblem(await t.app.inject({ method: 'GET', url: '/api/core/items', headers: { cookie: 'qm_session=forged' } }), 401, 'unauthenticated');
      expectProblem(await t.app.inject({ method: 'GET', url: '/api/core/items', headers: bearer('qm_abcdefgh_forged') }), 401, 'unauthenticated');
      expectProblem(await t.app.inject({ method: 'GET', url: '/api/core/items', headers: { authorization: 'Basic YWRtaW46YWRtaW4=' } }), 401, 'unauthenticated');
    });

    it('the public health check needs nothing', async () => {
      expect((await t.app.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(200);
    });
  });

  describe('sign-in', () => {
    it('wrong password → 401 invalid-credentials, no session, no audit', async () => {
      const res = await expectNoChange(t, () => t.app.inject({ method: 'POST', url: '/api/core/session', payload: { email: TEST_ADMIN.email, password: 'Tr0ub4dor&3 wrong' } }));
      const body = expectProblem(res, 401, 'invalid-credentials');
      expect(res.cookies.find((c) => c.name === 'qm_session')).toBeUndefined();
      expect(body.detail).not.toMatch(/password_hash|argon/);
    });

    it('signing in sets an httpOnly cookie, returns a CSRF token, records the sign-in, and the e-mail is case-insensitive', async () => {
      const from = await lastAuditId(t);
      const res = await t.app.inject({ method: 'POST', url: '/api/core/session', payload: { email: `  ${TEST_ADMIN.email.toUpperCase()} `, password: TEST_ADMIN.password } });
      expect(res.statusCode, res.body).toBe(200);
      const cookie = res.cookies.find((c) => c.name === 'qm_session')!;
      expect(cookie.httpOnly).toBe(true);
      expect(cookie.sameSite?.toLowerCase()).toBe('lax');
      expect(res.json().csrfToken).toMatch(/^[\w-]{20,}$/);
      expect(res.json().permissions).toEqual(['*']);
      // Only a hash of the cookie is stored.
      const [stored] = await t.sql<{ n: string }>(`SELECT count(*) AS n FROM core_session WHERE id = $1`, [cookie.value]);
      expect(Number(stored.n)).toBe(0);
      expect((await auditSince(t, from)).map((a) => a.action)).toEqual(['signed-in']);
    });
  });

  describe('CSRF', () => {
    it('a cookie-authenticated change without the CSRF header → 403 csrf and nothing written', async () => {
      const s = await t.login();
      const res = await expectNoChange(t, () => t.app.inject({ method: 'POST', url: '/api/core/items', headers: { cookie: s.cookie }, payload: { name: 'Sneaky' } }));
      expectProblem(res, 403, 'csrf');
    });

    it('a wrong or another session’s CSRF token → 403 csrf and nothing written', async () => {
      const s = await t.login();
      const other = await t.login();
      for (const token of ['wrong', other.csrfToken, s.csrfToken.slice(0, -1), '']) {
        const res = await expectNoChange(t, () =>
          t.app.inject({ method: 'POST', url: '/api/core/locations', headers: { cookie: s.cookie, 'x-csrf-token': token }, payload: { name: 'Sneaky', type: 'site' } }),
        );
        expectProblem(res, 403, 'csrf');
      }
      // Sign-out is a change too.
      expectProblem(await t.app.inject({ method: 'DELETE', url: '/api/core/session', headers: { cookie: s.cookie } }), 403, 'csrf');
    });

    it('with the right header the same change goes through; reads never need it', async () => {
      const s = await t.login();
      expect((await t.app.inject({ method: 'GET', url: '/api/core/items', headers: { cookie: s.cookie } })).statusCode).toBe(200);
      const res = await t.app.inject({ method: 'POST', url: '/api/core/items', headers: s.headers, payload: { name: 'Honest' } });
      expect(res.statusCode, res.body).toBe(201);
    });
  });

  describe('permissions', () => {
    it('a user whose role lacks a permission → 403 forbidden naming it, nothing written', async () => {
      const reader = await userWith(t, 'reader@example.test', ['core.items.read']);
      expect((await t.app.inject({ method: 'GET', url: '/api/core/items', headers: reader.session.headers })).statusCode).toBe(200);
      const cases = [
        { method: 'POST', url: '/api/core/items', payload: { name: 'Nope' }, permission: 'core.items.write' },
        { method: 'GET', url: '/api/core/locations', permission: 'core.locations.read' },
        { method: 'GET', url: '/api/core/audit', permission: 'core.audit.read' },
        { method: 'POST', url: '/api/core/users', payload: { email: 'x@example.test', name: 'X', password: 'long enough secret' }, permission: 'core.users.write' },
        { method: 'POST', url: '/api/core/api-tokens', payload: { name: 'mine', permissions: ['core.items.read'] }, permission: 'core.tokens.manage' },
      ] as const;
      for (const c of cases) {
        const res = await expectNoChange(t, () => t.app.inject({ method: c.method, url: c.url, headers: reader.session.headers, payload: 'payload' in c ? c.payload : undefined }));
        const body = expectProblem(res, 403, 'forbidden');
        expect(body.permission).toBe(c.permission);
        expect(body.detail).toContain(c.permission);
      }
    });

    it('a permission granted to the role takes effect at once; removed, it is gone at once', async () => {
      const u = await userWith(t, 'grows@example.test', ['core.items.read']);
      const tryWrite = () => t.app.inject({ method: 'POST', url: '/api/core/categories', headers: u.session.headers, payload: { name: `Cat ${Math.random()}` } });
      expectProblem(await tryWrite(), 403, 'forbidden');
      expect((await t.request({ method: 'PATCH', url: `/api/core/roles/${u.roleId}`, payload: { permissions: ['core.items.read', 'core.items.write'] } })).statusCode).toBe(200);
      expect((await tryWrite()).statusCode).toBe(201);
      expect((await t.request({ method: 'PATCH', url: `/api/core/roles/${u.roleId}`, payload: { permissions: ['core.items.read'] } })).statusCode).toBe(200);
      expectProblem(await tryWrite(), 403, 'forbidden');
    });
  });

  describe('API tokens', () => {
    it('is shown once, stored only as a hash, works as a Bearer token, and is scoped', async () => {
      const from = await lastAuditId(t);
      const created = await t.request({ method: 'POST', url: '/api/core/api-tokens', payload: { name: 'ERP read', permissions: ['core.items.read'] } });
      expect(created.statusCode, created.body).toBe(201);
      const { token, apiToken } = created.json();
      expect(token).toMatch(new RegExp(`^qm_${apiToken.prefix}_`));
      expect(apiToken.permissions).toEqual(['core.items.read']);

      const [row] = await t.sql<{ token_hash: string }>(`SELECT token_hash FROM core_api_token WHERE id = $1`, [apiToken.id]);
      expect(row.token_hash).not.toBe(token);
      expect(row.token_hash).not.toContain(token);
      expect(row.token_hash).toBe(createHash('sha256').update(token).digest('hex'));
      // The list never shows the secret again, and no audit row holds it.
      const list = await t.request({ method: 'GET', url: '/api/core/api-tokens' });
      expect(list.body).not.toContain(token);
      expect(list.json().map((x: { id: string }) => x.id)).toContain(apiToken.id);
      const audit = await auditSince(t, from);
      expect(audit.map((a) => a.action)).toEqual(['created']);
      expect(JSON.stringify(audit)).not.toContain(token);

      const read = await t.app.inject({ method: 'GET', url: '/api/core/items', headers: bearer(token) });
      expect(read.statusCode, read.body).toBe(200);
      const [used] = await t.sql<{ last_used_at: Date | null }>(`SELECT last_used_at FROM core_api_token WHERE id = $1`, [apiToken.id]);
      expect(used.last_used_at).not.toBeNull();

      // The owner (an administrator) may write items; this token may not. No CSRF is involved for tokens.
      const write = await expectNoChange(t, () => t.app.inject({ method: 'POST', url: '/api/core/items', headers: bearer(token), payload: { name: 'Via token' } }));
      expect(expectProblem(write, 403, 'forbidden').permission).toBe('core.items.write');
    });

    it('a token with write scope writes without a CSRF header, and the audit names the token', async () => {
      const { token, apiToken } = (await t.request({ method: 'POST', url: '/api/core/api-tokens', payload: { name: 'ERP write', permissions: ['core.items.write', 'core.items.read'] } })).json();
      const from = await lastAuditId(t);
      const res = await t.app.inject({ method: 'POST', url: '/api/core/items', headers: bearer(token), payload: { name: 'Via token' } });
      expect(res.statusCode, res.body).toBe(201);
      const [a] = await auditSince(t, from);
      expect(a).toMatchObject({ action: 'created', entity_type: 'core.item', token_id: apiToken.id });
      expect(a.actor_label).toContain('ERP write');
    });

    it('cannot grant more than its owner holds (400), and never acts beyond what the owner holds now', async () => {
      const clerk = await userWith(t, 'token-clerk@example.test', ['core.items.read', 'core.tokens.manage']);
      const tooMuch = await expectNoChange(t, () =>
        t.app.inject({ method: 'POST', url: '/api/core/api-tokens', headers: clerk.session.headers, payload: { name: 'escalate', permissions: ['core.items.read', 'core.items.write'] } }),
      );
      const body = expectProblem(tooMuch, 400, 'validation');
      expect(fieldsOf(body)).toEqual(['permissions.1']);
      const star = await expectNoChange(t, () =>
        t.app.inject({ method: 'POST', url: '/api/core/api-tokens', headers: clerk.session.headers, payload: { name: 'escalate', permissions: ['*'] } }),
      );
      expect(fieldsOf(expectProblem(star, 400, 'validation'))).toEqual(['permissions.0']);

      const ok = await t.app.inject({ method: 'POST', url: '/api/core/api-tokens', headers: clerk.session.headers, payload: { name: 'read', permissions: ['core.items.read'] } });
      expect(ok.statusCode, ok.body).toBe(201);
      const { token } = ok.json();
      expect((await t.app.inject({ method: 'GET', url: '/api/core/items', headers: bearer(token) })).statusCode).toBe(200);
      // The owner loses the permission: so does the token.
      await t.request({ method: 'PATCH', url: `/api/core/roles/${clerk.roleId}`, payload: { permissions: ['core.tokens.manage'] } });
      expectProblem(await t.app.inject({ method: 'GET', url: '/api/core/items', headers: bearer(token) }), 403, 'forbidden');
    });

    it('a token allowed to manage tokens cannot mint one wider than itself', async () => {
      const { token } = (await t.request({ method: 'POST', url: '/api/core/api-tokens', payload: { name: 'minter', permissions: ['core.tokens.manage', 'core.items.read'] } })).json();
      const wider = await expectNoChange(t, () =>
        t.app.inject({ method: 'POST', url: '/api/core/api-tokens', headers: bearer(token), payload: { name: 'wider', permissions: ['core.items.read', 'core.items.write'] } }),
      );
      expect(fieldsOf(expectProblem(wider, 400, 'validation'))).toEqual(['permissions.1']);
      const star = await expectNoChange(t, () => t.app.inject({ method: 'POST', url: '/api/core/api-tokens', headers: bearer(token), payload: { name: 'all', permissions: ['*'] } }));
      expectProblem(star, 400, 'validation');
      const narrower = await t.app.inject({ method: 'POST', url: '/api/core/api-tokens', headers: bearer(token), payload: { name: 'narrower', permissions: ['core.items.read'] } });
      expect(narrower.statusCode, narrower.body).toBe(201);
    });

    it('revoked, expired, or owned by a disabled user → 401', async () => {
      const make = async (name: string) =>
        (await t.request({ method: 'POST', url: '/api/core/api-tokens', payload: { name, permissions: ['core.items.read'] } })).json() as { token: string; apiToken: { id: string } };
      const revoked = await make('to revoke');
      expect((await t.app.inject({ method: 'GET', url: '/api/core/items', headers: bearer(revoked.token) })).statusCode).toBe(200);
      const from = await lastAuditId(t);
      expect((await t.request({ method: 'DELETE', url: `/api/core/api-tokens/${revoked.apiToken.id}` })).statusCode).toBe(204);
      expect((await auditSince(t, from)).map((a) => a.action)).toEqual(['revoked']);
      expectProblem(await t.app.inject({ method: 'GET', url: '/api/core/items', headers: bearer(revoked.token) }), 401, 'unauthenticated');
      // Revoking again is harmless and writes nothing.
      const again = await expectNoChange(t, () => t.request({ method: 'DELETE', url: `/api/core/api-tokens/${revoked.apiToken.id}` }));
      expect(again.statusCode).toBe(204);

      const expired = await make('to expire');
      await t.sql(`UPDATE core_api_token SET expires_at = now() - interval '1 second' WHERE id = $1`, [expired.apiToken.id]);
      expectProblem(await t.app.inject({ method: 'GET', url: '/api/core/items', headers: bearer(expired.token) }), 401, 'unauthenticated');

      const owner = await userWith(t, 'leaver@example.test', ['core.items.read', 'core.tokens.manage']);
      const own = await t.app.inject({ method: 'POST', url: '/api/core/api-tokens', headers: owner.session.headers, payload: { name: 'leaver', permissions: ['core.items.read'] } });
      const leaverToken = own.json().token;
      expect((await t.app.inject({ method: 'GET', url: '/api/core/items', headers: bearer(leaverToken) })).statusCode).toBe(200);
      expect((await t.request({ method: 'PATCH', url: `/api/core/users/${owner.userId}`, payload: { active: false } })).statusCode).toBe(200);
      expectProblem(await t.app.inject({ method: 'GET', url: '/api/core/items', headers: bearer(leaverToken) }), 401, 'unauthenticated');
    });

    it("one user cannot revoke another's token (404), an administrator can", async () => {
      const a = await userWith(t, 'token-a@example.test', ['core.tokens.manage', 'core.items.read']);
      const b = await userWith(t, 'token-b@example.test', ['core.tokens.manage', 'core.items.read']);
      const tokenA = (await t.app.inject({ method: 'POST', url: '/api/core/api-tokens', headers: a.session.headers, payload: { name: 'a', permissions: ['core.items.read'] } })).json();
      const res = await expectNoChange(t, () => t.app.inject({ method: 'DELETE', url: `/api/core/api-tokens/${tokenA.apiToken.id}`, headers: b.session.headers }));
      expectProblem(res, 404, 'not-found');
      const listB = await t.app.inject({ method: 'GET', url: '/api/core/api-tokens', headers: b.session.headers });
      expect(listB.json()).toEqual([]);
      expect((await t.request({ method: 'DELETE', url: `/api/core/api-tokens/${tokenA.apiToken.id}` })).statusCode).toBe(204);
      expectProblem(await t.app.inject({ method: 'GET', url: '/api/core/items', headers: bearer(tokenA.token) }), 401, 'unauthenticated');
    });
  });

  describe('users', () => {
    it('the list pages by e-mail and reports the total, also past the last page', async () => {
      const all = await t.request({ method: 'GET', url: '/api/core/users?limit=200' });
      const n = all.json().total;
      expect(n).toBe(all.json().data.length);
      const emails = all.json().data.map((u: { email: string }) => u.email);
      expect(emails).toEqual([...emails].sort((a: string, b: string) => a.localeCompare(b)));
      const page = (await t.request({ method: 'GET', url: '/api/core/users?limit=1&offset=1' })).json();
      expect([page.total, page.data.map((u: { email: string }) => u.email)]).toEqual([n, [emails[1]]]);
      const past = (await t.request({ method: 'GET', url: `/api/core/users?limit=5&offset=${n + 5}` })).json();
      expect([past.total, past.data]).toEqual([n, []]);
    });
  });

  describe('sessions end', () => {
    it('sign-out invalidates the session', async () => {
      const s = await t.login();
      expect((await t.app.inject({ method: 'GET', url: '/api/core/session', headers: { cookie: s.cookie } })).statusCode).toBe(200);
      const out = await t.app.inject({ method: 'DELETE', url: '/api/core/session', headers: s.headers });
      expect(out.statusCode).toBe(204);
      expect(out.cookies.find((c) => c.name === 'qm_session')?.value).toBe('');
      expectProblem(await t.app.inject({ method: 'GET', url: '/api/core/session', headers: { cookie: s.cookie } }), 401, 'unauthenticated');
      expectProblem(await t.app.inject({ method: 'POST', url: '/api/core/items', headers: s.headers, payload: { name: 'after sign-out' } }), 401, 'unauthenticated');
    });

    it('disabling a user ends all their sessions and blocks sign-in', async () => {
      const u = await userWith(t, 'disabled@example.test', ['core.items.read']);
      const second = await t.login('disabled@example.test', u.password);
      const res = await t.request({ method: 'PATCH', url: `/api/core/users/${u.userId}`, payload: { active: false } });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().active).toBe(false);
      for (const s of [u.session, second]) expectProblem(await t.app.inject({ method: 'GET', url: '/api/core/items', headers: { cookie: s.cookie } }), 401, 'unauthenticated');
      const [n] = await t.sql<{ n: string }>(`SELECT count(*) AS n FROM core_session WHERE user_id = $1`, [u.userId]);
      expect(Number(n.n)).toBe(0);
      const again = await t.app.inject({ method: 'POST', url: '/api/core/session', payload: { email: 'disabled@example.test', password: u.password } });
      expectProblem(again, 401, 'invalid-credentials');
      // Enabled again: the password still works.
      await t.request({ method: 'PATCH', url: `/api/core/users/${u.userId}`, payload: { active: true } });
      expect((await t.login('disabled@example.test', u.password)).csrfToken).toBeTruthy();
    });

    it('changing the password ends the sessions; the old password stops working', async () => {
      const u = await userWith(t, 'repass@example.test', ['core.items.read']);
      const res = await t.request({ method: 'PATCH', url: `/api/core/users/${u.userId}`, payload: { password: 'a brand new passphrase' } });
      expect(res.statusCode, res.body).toBe(200);
      expectProblem(await t.app.inject({ method: 'GET', url: '/api/core/items', headers: { cookie: u.session.cookie } }), 401, 'unauthenticated');
      expectProblem(await t.app.inject({ method: 'POST', url: '/api/core/session', payload: { email: 'repass@example.test', password: u.password } }), 401, 'invalid-credentials');
      expect((await t.login('repass@example.test', 'a brand new passphrase')).cookie).toBeTruthy();
    });
  });

  describe('the last administrator', () => {
    it('cannot be removed; another administrator can be', async () => {
      const mine = await expectNoChange(t, () => t.request({ method: 'PATCH', url: `/api/core/users/${adminId}`, payload: { roleIds: [] } }));
      expectProblem(mine, 409, 'last-administrator');

      // A second administrator: now either could go, but the last one left cannot.
      const second = await t.request({ method: 'POST', url: '/api/core/users', payload: { email: 'admin2@example.test', name: 'Second', password: 'second admin secret', roleIds: [adminRoleId] } });
      expect(second.statusCode, second.body).toBe(201);
      const s2 = await t.login('admin2@example.test', 'second admin secret');
      // The second administrator removes the first … (allowed: one remains)
      const demote = await t.app.inject({ method: 'PATCH', url: `/api/core/users/${adminId}`, headers: s2.headers, payload: { roleIds: [] } });
      expect(demote.statusCode, demote.body).toBe(200);
      // … and cannot then demote or disable themselves.
      expectProblem(await t.app.inject({ method: 'PATCH', url: `/api/core/users/${second.json().id}`, headers: s2.headers, payload: { roleIds: [] } }), 409, 'last-administrator');
      expectProblem(await t.app.inject({ method: 'PATCH', url: `/api/core/users/${second.json().id}`, headers: s2.headers, payload: { active: false } }), 409, 'cannot-disable-self');
      // A custom role with every permission counts as administration; deleting it when it is the last way in is refused.
      const superRole = await t.app.inject({ method: 'POST', url: '/api/core/roles', headers: s2.headers, payload: { name: 'Superuser', permissions: ['*'] } });
      expect(superRole.statusCode).toBe(201);
      await t.app.inject({ method: 'PATCH', url: `/api/core/users/${second.json().id}`, headers: s2.headers, payload: { roleIds: [superRole.json().id] } });
      expectProblem(await t.app.inject({ method: 'DELETE', url: `/api/core/roles/${superRole.json().id}`, headers: s2.headers }), 409, 'last-administrator');
      expectProblem(await t.app.inject({ method: 'PATCH', url: `/api/core/roles/${superRole.json().id}`, headers: s2.headers, payload: { permissions: ['core.items.read'] } }), 409, 'last-administrator');
      // Restore the test administrator for anything after this.
      const restore = await t.app.inject({ method: 'PATCH', url: `/api/core/users/${adminId}`, headers: s2.headers, payload: { roleIds: [adminRoleId] } });
      expect(restore.statusCode, restore.body).toBe(200);
    });
  });
});
