import { Type } from '@sinclair/typebox';
import { problems, ProblemError, type Actor, type PluginApp, type PluginContext, type Transaction } from '@quartermaster/sdk';
import { IdParams, Page, PageQuery, Uuid, assertNotBlank, errorResponses, iso, pageOf, reader } from '../common.js';
import { hashPassword, verifyPassword, dummyHash } from './passwords.js';
import { CSRF_HEADER, SESSION_COOKIE, USER_PERMISSIONS_SQL, randomToken, sha256, AUTHENTICATED } from '../../kernel/auth.js';
import { ApiTokenCreated, ApiTokenRevoked, RoleCreated, RoleDeleted, RoleUpdated, UserCreated, UserSignedIn, UserSignedOut, UserUpdated } from '../../events.js';
import { LoginThrottle } from './login-throttle.js';
import { CORE_VERSION } from '../../version.js';

export interface PlatformInfoSource {
  plugins(): { id: string; version: string; displayName?: string }[];
  permissions(): { id: string; description: string; pluginId: string }[];
  /** Make an undelivered event delivery due now; false when there is none. */
  retryDelivery(eventId: string, subscriber: string): Promise<boolean>;
}

const SESSION_HOURS = 12;
const Email = Type.String({ format: 'email', maxLength: 320 });
const Password = Type.String({ minLength: 10, maxLength: 1000, description: 'At least 10 characters' });
const SessionResponse = Type.Object({
  user: Type.Object({ id: Uuid, email: Type.String(), name: Type.String() }),
  permissions: Type.Array(Type.String()),
  csrfToken: Type.String({ description: `Send back in the ${CSRF_HEADER} header on every change` }),
});
const UserSchema = Type.Object({
  id: Uuid,
  email: Type.String(),
  name: Type.String(),
  active: Type.Boolean(),
  roles: Type.Array(Type.Object({ id: Uuid, name: Type.String() })),
  createdAt: Type.String({ format: 'date-time' }),
  lastLoginAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
const RoleSchema = Type.Object({
  id: Uuid,
  name: Type.String(),
  description: Type.Union([Type.String(), Type.Null()]),
  permissions: Type.Array(Type.String()),
  builtIn: Type.Boolean(),
});
const TokenSchema = Type.Object({
  id: Uuid,
  name: Type.String(),
  prefix: Type.String(),
  permissions: Type.Array(Type.String()),
  createdAt: Type.String({ format: 'date-time' }),
  expiresAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  lastUsedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  revokedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

type Db = Pick<Transaction, 'execute'>;

async function userById(db: Db, id: string) {
  const [u] = await db.execute<{ id: string; email: string; name: string; active: boolean; created_at: Date; last_login_at: Date | null }>(
    `SELECT id, email, name, active, created_at, last_login_at FROM core_user WHERE id = $1`,
    [id],
  );
  if (!u) return null;
  const roles = await db.execute<{ id: string; name: string }>(
    `SELECT r.id, r.name FROM core_user_role ur JOIN core_role r ON r.id = ur.role_id WHERE ur.user_id = $1 ORDER BY r.name`,
    [id],
  );
  return { id: u.id, email: u.email, name: u.name, active: u.active, roles, createdAt: iso(u.created_at)!, lastLoginAt: iso(u.last_login_at) };
}

const roleOut = (r: { id: string; name: string; description: string | null; permissions: string[]; built_in: boolean }) => ({
  id: r.id,
  name: r.name,
  description: r.description,
  permissions: r.permissions,
  builtIn: r.built_in,
});

function checkPermissionIds(ids: string[], known: Set<string>, field: string) {
  const errors = ids.flatMap((p, i) => (p === '*' || known.has(p) ? [] : [{ field: `${field}.${i}`, message: `unknown permission "${p}"` }]));
  if (errors.length) throw problems.validation(errors);
}

async function checkRoleIds(tx: Db, ids: string[]) {
  if (!ids.length) return;
  const rows = await tx.execute<{ id: string }>(`SELECT id FROM core_role WHERE id = ANY($1::uuid[])`, [ids]);
  const found = new Set(rows.map((r) => r.id));
  const errors = ids.flatMap((id, i) => (found.has(id) ? [] : [{ field: `roleIds.${i}`, message: 'no such role' }]));
  if (errors.length) throw problems.validation(errors);
}

/** Create a user with roles inside a transaction (used by the API, the CLI bootstrap and demo data). */
export async function createUser(tx: Transaction, input: { email: string; name: string; password: string; roleIds: string[] }) {
  // Serialise sign-ups of the same address so a race answers email-taken, not a raw unique violation.
  await tx.execute(`SELECT pg_advisory_xact_lock(hashtext('core.user.email:' || lower($1)))`, [input.email.trim()]);
  const [taken] = await tx.execute(`SELECT 1 FROM core_user WHERE lower(email) = lower($1)`, [input.email.trim()]);
  if (taken) throw problems.conflict('email-taken', 'E-mail already registered', `A user with ${input.email} already exists`, { field: 'email' });
  await checkRoleIds(tx, input.roleIds);
  const [row] = await tx.execute<{ id: string }>(
    `INSERT INTO core_user (email, name, password_hash) VALUES ($1, $2, $3) RETURNING id`,
    [input.email.trim(), input.name.trim(), await hashPassword(input.password)],
  );
  for (const roleId of input.roleIds) await tx.execute(`INSERT INTO core_user_role (user_id, role_id) VALUES ($1, $2)`, [row.id, roleId]);
  const user = (await userById(tx, row.id))!;
  await tx.audit({ action: 'created', entityType: 'core.user', entityId: row.id, after: user });
  await tx.emit(UserCreated, { id: row.id, email: user.email });
  return user;
}

export async function accessRoutes(app: PluginApp, ctx: PluginContext, info: PlatformInfoSource) {
  const db = reader(ctx);
  const knownPermissions = () => new Set(info.permissions().map((p) => p.id));
  const throttle = new LoginThrottle();

  // ---- Session (console login)
  app.post('/session', {
    config: { public: true },
    schema: {
      summary: 'Sign in to the console; sets an httpOnly session cookie',
      security: [],
      body: Type.Object({ email: Type.String({ minLength: 1, maxLength: 320 }), password: Type.String({ minLength: 1, maxLength: 1000 }) }, { additionalProperties: false }),
      response: { 200: SessionResponse, ...errorResponses },
    },
  }, async (req, reply) => {
    const wait = throttle.retryAfter(req.body.email.trim(), req.ip);
    if (wait > 0) {
      reply.header('retry-after', String(wait));
      throw new ProblemError({
        type: 'too-many-attempts',
        status: 429,
        title: 'Too many failed sign-ins',
        detail: `Too many failed sign-ins for this account or address; try again in ${wait} s`,
        extensions: { retryAfterSeconds: wait },
      });
    }
    const [u] = await db.execute<{ id: string; email: string; name: string; password_hash: string; active: boolean }>(
      `SELECT id, email, name, password_hash, active FROM core_user WHERE lower(email) = lower($1)`,
      [req.body.email.trim()],
    );
    const ok = u ? await verifyPassword(u.password_hash, req.body.password) : (await verifyPassword(await dummyHash(), req.body.password), false);
    if (!u || !ok || !u.active) {
      throttle.fail(req.body.email.trim(), req.ip);
      throw new ProblemError({ type: 'invalid-credentials', status: 401, title: 'Sign-in failed', detail: 'E-mail or password is wrong, or the account is disabled' });
    }
    const token = randomToken();
    const csrfToken = randomToken(24);
    await ctx.transaction({ type: 'user', userId: u.id, label: u.email, permissions: new Set() }, async (tx) => {
      await tx.execute(
        `INSERT INTO core_session (id, user_id, csrf_token, expires_at) VALUES ($1, $2, $3, now() + interval '${SESSION_HOURS} hours')`,
        [sha256(token), u.id, csrfToken],
      );
      await tx.execute(`UPDATE core_user SET last_login_at = now() WHERE id = $1`, [u.id]);
      await tx.execute(`DELETE FROM core_session WHERE user_id = $1 AND expires_at < now()`, [u.id]);
      await tx.audit({ action: 'signed-in', entityType: 'core.user', entityId: u.id });
      await tx.emit(UserSignedIn, { id: u.id, email: u.email });
    });
    throttle.succeed(req.body.email.trim());
    reply.setCookie(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'lax',
      secure: (ctx.options as { secureCookies?: boolean }).secureCookies ?? false,
      path: '/',
      maxAge: SESSION_HOURS * 3600,
    });
    const [{ permissions }] = await db.execute<{ permissions: string[] }>(`SELECT ${USER_PERMISSIONS_SQL} AS permissions FROM core_user u WHERE u.id = $1`, [u.id]);
    return { user: { id: u.id, email: u.email, name: u.name }, permissions: [...permissions].sort(), csrfToken };
  });

  app.get('/session', {
    config: { permission: AUTHENTICATED },
    schema: { summary: 'Who am I (and my CSRF token)', response: { 200: SessionResponse, ...errorResponses } },
  }, async (req) => {
    const actor = req.actor as Actor & { session?: { csrfToken: string } };
    const user = (await userById(db, actor.userId!))!;
    return { user: { id: user.id, email: user.email, name: user.name }, permissions: [...actor.permissions].sort(), csrfToken: actor.session?.csrfToken ?? '' };
  });

  app.delete('/session', {
    config: { permission: AUTHENTICATED },
    schema: { summary: 'Sign out', response: { 204: Type.Null(), ...errorResponses } },
  }, async (req, reply) => {
    const actor = req.actor as Actor & { session?: { sessionId: string } };
    if (actor.session) {
      await ctx.transaction(actor, async (tx) => {
        await tx.execute(`DELETE FROM core_session WHERE id = $1`, [actor.session!.sessionId]);
        await tx.audit({ action: 'signed-out', entityType: 'core.user', entityId: actor.userId! });
        await tx.emit(UserSignedOut, { id: actor.userId!, email: actor.label });
      });
    }
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.status(204).send(null);
  });

  // ---- Platform and permissions
  app.get('/platform', {
    config: { permission: AUTHENTICATED },
    schema: {
      summary: 'Core version and enabled plugins (the console builds its navigation from this)',
      response: { 200: Type.Object({ coreVersion: Type.String(), plugins: Type.Array(Type.Object({ id: Type.String(), version: Type.String(), displayName: Type.Optional(Type.String()) })) }), ...errorResponses },
    },
  }, async () => ({ coreVersion: CORE_VERSION, plugins: info.plugins().filter((p) => p.id !== 'core') }));

  app.get('/permissions', {
    config: { permission: AUTHENTICATED },
    schema: { summary: 'Every permission declared by the enabled plugins', response: { 200: Type.Array(Type.Object({ id: Type.String(), description: Type.String(), pluginId: Type.String() })) } },
  }, async () => info.permissions());

  // ---- Users
  app.get('/users', {
    config: { permission: 'core.users.read' },
    schema: { querystring: Type.Object({ ...PageQuery }, { additionalProperties: false }), response: { 200: Page(UserSchema), ...errorResponses } },
  }, async (req) => {
    const { limit, offset } = pageOf(req.query);
    const rows = await db.execute<{ id: string; total: string }>(`SELECT id, count(*) OVER () AS total FROM core_user ORDER BY lower(email) LIMIT ${limit} OFFSET ${offset}`);
    const data = [];
    for (const r of rows) data.push((await userById(db, r.id))!);
    const total = rows.length ? Number(rows[0].total) : offset > 0 ? Number((await db.execute<{ n: string }>(`SELECT count(*) AS n FROM core_user`))[0].n) : 0;
    return { data, total, limit, offset };
  });

  app.get('/users/:id', {
    config: { permission: 'core.users.read' },
    schema: { params: IdParams, response: { 200: UserSchema, ...errorResponses } },
  }, async (req) => {
    const user = await userById(db, req.params.id);
    if (!user) throw problems.notFound('user', req.params.id);
    return user;
  });

  app.post('/users', {
    config: { permission: 'core.users.write' },
    schema: {
      body: Type.Object({ email: Email, name: Type.String({ minLength: 1, maxLength: 200 }), password: Password, roleIds: Type.Array(Uuid, { default: [] }) }, { additionalProperties: false }),
      response: { 201: UserSchema, ...errorResponses },
    },
  }, async (req, reply) => {
    assertNotBlank({ name: req.body.name });
    const user = await ctx.transaction(req.actor, (tx) => createUser(tx, { ...req.body, roleIds: req.body.roleIds ?? [] }));
    return reply.status(201).send(user);
  });

  app.patch('/users/:id', {
    config: { permission: 'core.users.write' },
    schema: {
      params: IdParams,
      body: Type.Object(
        { name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })), active: Type.Optional(Type.Boolean()), password: Type.Optional(Password), roleIds: Type.Optional(Type.Array(Uuid)) },
        { additionalProperties: false },
      ),
      response: { 200: UserSchema, ...errorResponses },
    },
  }, async (req) => {
    const b = req.body;
    assertNotBlank({ name: b.name });
    return ctx.transaction(req.actor, async (tx) => {
      const [locked] = await tx.execute(`SELECT id FROM core_user WHERE id = $1 FOR UPDATE`, [req.params.id]);
      if (!locked) throw problems.notFound('user', req.params.id);
      const before = (await userById(tx, req.params.id))!;
      if (b.roleIds) await checkRoleIds(tx, b.roleIds);
      if (req.params.id === req.actor.userId && b.active === false) {
        throw problems.conflict('cannot-disable-self', 'You cannot disable yourself', 'Ask another administrator');
      }
      await tx.execute(`UPDATE core_user SET name = COALESCE($2, name), active = COALESCE($3, active), updated_at = now() WHERE id = $1`, [req.params.id, b.name ?? null, b.active ?? null]);
      if (b.password) {
        await tx.execute(`UPDATE core_user SET password_hash = $2 WHERE id = $1`, [req.params.id, await hashPassword(b.password)]);
        await tx.execute(`DELETE FROM core_session WHERE user_id = $1`, [req.params.id]);
      }
      if (b.active === false) await tx.execute(`DELETE FROM core_session WHERE user_id = $1`, [req.params.id]);
      if (b.roleIds) {
        await tx.execute(`DELETE FROM core_user_role WHERE user_id = $1`, [req.params.id]);
        for (const roleId of b.roleIds) await tx.execute(`INSERT INTO core_user_role (user_id, role_id) VALUES ($1, $2)`, [req.params.id, roleId]);
      }
      await assertAnAdminRemains(tx);
      const after = (await userById(tx, req.params.id))!;
      await tx.audit({ action: b.password ? 'password-changed' : 'updated', entityType: 'core.user', entityId: req.params.id, before, after });
      await tx.emit(UserUpdated, { id: after.id, email: after.email, active: after.active, changed: Object.keys(b).sort() });
      return after;
    });
  });

  // ---- Roles
  app.get('/roles', {
    config: { permission: 'core.users.read' },
    schema: { response: { 200: Type.Array(RoleSchema), ...errorResponses } },
  }, async () => (await db.execute<Parameters<typeof roleOut>[0]>(`SELECT * FROM core_role ORDER BY lower(name)`)).map(roleOut));

  const RoleBody = Type.Object(
    { name: Type.String({ minLength: 1, maxLength: 100 }), description: Type.Optional(Type.Union([Type.String({ maxLength: 1000 }), Type.Null()])), permissions: Type.Array(Type.String(), { maxItems: 500 }) },
    { additionalProperties: false },
  );
  app.post('/roles', {
    config: { permission: 'core.users.write' },
    schema: { body: RoleBody, response: { 201: RoleSchema, ...errorResponses } },
  }, async (req, reply) => {
    assertNotBlank({ name: req.body.name });
    checkPermissionIds(req.body.permissions, knownPermissions(), 'permissions');
    const role = await ctx.transaction(req.actor, async (tx) => {
      const [dup] = await tx.execute(`SELECT 1 FROM core_role WHERE lower(name) = lower($1)`, [req.body.name.trim()]);
      if (dup) throw problems.conflict('role-name-taken', 'Role name taken', `A role named "${req.body.name}" exists`, { field: 'name' });
      const [row] = await tx.execute<Parameters<typeof roleOut>[0]>(
        `INSERT INTO core_role (name, description, permissions) VALUES ($1, $2, $3) RETURNING *`,
        [req.body.name.trim(), req.body.description ?? null, [...new Set(req.body.permissions)]],
      );
      await tx.audit({ action: 'created', entityType: 'core.role', entityId: row.id, after: roleOut(row) });
      await tx.emit(RoleCreated, { id: row.id, name: row.name, permissions: row.permissions });
      return roleOut(row);
    });
    return reply.status(201).send(role);
  });

  app.patch('/roles/:id', {
    config: { permission: 'core.users.write' },
    schema: { params: IdParams, body: Type.Partial(RoleBody, { additionalProperties: false }), response: { 200: RoleSchema, ...errorResponses } },
  }, async (req) => {
    assertNotBlank({ name: req.body.name });
    if (req.body.permissions) checkPermissionIds(req.body.permissions, knownPermissions(), 'permissions');
    return ctx.transaction(req.actor, async (tx) => {
      const [before] = await tx.execute<Parameters<typeof roleOut>[0]>(`SELECT * FROM core_role WHERE id = $1 FOR UPDATE`, [req.params.id]);
      if (!before) throw problems.notFound('role', req.params.id);
      if (before.built_in && (req.body.permissions || req.body.name)) {
        throw problems.conflict('built-in-role', 'Built-in role', `The built-in role "${before.name}" cannot be renamed or re-scoped; create a new role instead`);
      }
      if (req.body.name) {
        const [dup] = await tx.execute(`SELECT 1 FROM core_role WHERE lower(name) = lower($1) AND id <> $2`, [req.body.name.trim(), req.params.id]);
        if (dup) throw problems.conflict('role-name-taken', 'Role name taken', `A role named "${req.body.name}" exists`, { field: 'name' });
      }
      const [after] = await tx.execute<Parameters<typeof roleOut>[0]>(
        `UPDATE core_role SET name = COALESCE($2, name), description = CASE WHEN $3::boolean THEN $4 ELSE description END,
           permissions = COALESCE($5, permissions), updated_at = now() WHERE id = $1 RETURNING *`,
        [req.params.id, req.body.name?.trim() ?? null, req.body.description !== undefined, req.body.description ?? null, req.body.permissions ? [...new Set(req.body.permissions)] : null],
      );
      await assertAnAdminRemains(tx);
      await tx.audit({ action: 'updated', entityType: 'core.role', entityId: req.params.id, before: roleOut(before), after: roleOut(after) });
      await tx.emit(RoleUpdated, { id: after.id, name: after.name, permissions: after.permissions });
      return roleOut(after);
    });
  });

  app.delete('/roles/:id', {
    config: { permission: 'core.users.write' },
    schema: { params: IdParams, response: { 204: Type.Null(), ...errorResponses } },
  }, async (req, reply) => {
    await ctx.transaction(req.actor, async (tx) => {
      const [before] = await tx.execute<Parameters<typeof roleOut>[0]>(`SELECT * FROM core_role WHERE id = $1 FOR UPDATE`, [req.params.id]);
      if (!before) throw problems.notFound('role', req.params.id);
      if (before.built_in) throw problems.conflict('built-in-role', 'Built-in role', `The built-in role "${before.name}" cannot be deleted`);
      await tx.execute(`DELETE FROM core_role WHERE id = $1`, [req.params.id]);
      await assertAnAdminRemains(tx);
      await tx.audit({ action: 'deleted', entityType: 'core.role', entityId: req.params.id, before: roleOut(before) });
      await tx.emit(RoleDeleted, { id: before.id, name: before.name, permissions: before.permissions });
    });
    return reply.status(204).send(null);
  });

  // ---- API tokens (for integrators). The secret is shown once; only its SHA-256 is stored.
  app.get('/api-tokens', {
    config: { permission: 'core.tokens.manage' },
    schema: { summary: 'Your API tokens', response: { 200: Type.Array(TokenSchema), ...errorResponses } },
  }, async (req) => {
    const rows = await db.execute<TokenRow>(`SELECT * FROM core_api_token WHERE user_id = $1 ORDER BY created_at DESC`, [req.actor.userId]);
    return rows.map(tokenOut);
  });

  app.post('/api-tokens', {
    config: { permission: 'core.tokens.manage' },
    schema: {
      summary: 'Create an API token scoped to some of your permissions',
      body: Type.Object(
        { name: Type.String({ minLength: 1, maxLength: 100 }), permissions: Type.Array(Type.String(), { minItems: 1, maxItems: 500 }), expiresAt: Type.Optional(Type.Union([Type.String({ format: 'date-time' }), Type.Null()])) },
        { additionalProperties: false },
      ),
      response: { 201: Type.Object({ token: Type.String(), apiToken: TokenSchema }), ...errorResponses },
    },
  }, async (req, reply) => {
    const b = req.body;
    assertNotBlank({ name: b.name });
    checkPermissionIds(b.permissions, knownPermissions(), 'permissions');
    const notHeld = b.permissions.filter((p) => !(req.actor.permissions.has('*') || req.actor.permissions.has(p)));
    if (notHeld.length) {
      throw problems.validation(notHeld.map((p) => ({ field: `permissions.${b.permissions.indexOf(p)}`, message: `you do not hold "${p}"` })));
    }
    if (b.expiresAt && new Date(b.expiresAt).getTime() <= Date.now()) throw problems.validation([{ field: 'expiresAt', message: 'must be in the future' }]);
    const prefix = randomToken(6).replace(/[-_]/g, 'x').slice(0, 8);
    const token = `qm_${prefix}_${randomToken(32)}`;
    const row = await ctx.transaction(req.actor, async (tx) => {
      const [r] = await tx.execute<TokenRow>(
        `INSERT INTO core_api_token (user_id, name, prefix, token_hash, permissions, expires_at) VALUES ($1,$2,$3,$4,$5,$6) RETURNING *`,
        [req.actor.userId, b.name.trim(), prefix, sha256(token), [...new Set(b.permissions)], b.expiresAt ?? null],
      );
      await tx.audit({ action: 'created', entityType: 'core.api-token', entityId: r.id, after: tokenOut(r) });
      await tx.emit(ApiTokenCreated, { id: r.id, name: r.name, userId: req.actor.userId!, permissions: r.permissions });
      return r;
    });
    return reply.status(201).send({ token, apiToken: tokenOut(row) });
  });

  app.delete('/api-tokens/:id', {
    config: { permission: 'core.tokens.manage' },
    schema: { summary: 'Revoke a token', params: IdParams, response: { 204: Type.Null(), ...errorResponses } },
  }, async (req, reply) => {
    await ctx.transaction(req.actor, async (tx) => {
      const isAdmin = req.actor.permissions.has('*') || req.actor.permissions.has('core.users.write');
      const [before] = await tx.execute<TokenRow>(`SELECT * FROM core_api_token WHERE id = $1 AND (user_id = $2 OR $3) FOR UPDATE`, [req.params.id, req.actor.userId, isAdmin]);
      if (!before) throw problems.notFound('api token', req.params.id);
      if (before.revoked_at) return;
      const [after] = await tx.execute<TokenRow>(`UPDATE core_api_token SET revoked_at = now() WHERE id = $1 RETURNING *`, [req.params.id]);
      await tx.audit({ action: 'revoked', entityType: 'core.api-token', entityId: req.params.id, before: tokenOut(before), after: tokenOut(after) });
      await tx.emit(ApiTokenRevoked, { id: after.id, name: after.name, userId: before.user_id, permissions: after.permissions });
    });
    return reply.status(204).send(null);
  });
}

interface TokenRow {
  id: string;
  name: string;
  prefix: string;
  permissions: string[];
  created_at: Date;
  expires_at: Date | null;
  last_used_at: Date | null;
  revoked_at: Date | null;
  user_id: string;
}
const tokenOut = (r: TokenRow) => ({
  id: r.id,
  name: r.name,
  prefix: r.prefix,
  permissions: r.permissions,
  createdAt: iso(r.created_at)!,
  expiresAt: iso(r.expires_at),
  lastUsedAt: iso(r.last_used_at),
  revokedAt: iso(r.revoked_at),
});

/** Refuse any change that would leave nobody able to administer the platform. */
async function assertAnAdminRemains(tx: Db) {
  const [row] = await tx.execute(
    `SELECT 1 FROM core_user u JOIN core_user_role ur ON ur.user_id = u.id JOIN core_role r ON r.id = ur.role_id
      WHERE u.active AND '*' = ANY(r.permissions) LIMIT 1`,
  );
  if (!row) throw problems.conflict('last-administrator', 'Last administrator', 'This change would leave no active user with full access');
}
