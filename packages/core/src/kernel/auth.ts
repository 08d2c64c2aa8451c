import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ProblemError, hasPermission, problems, type Actor } from '@quartermaster/sdk';

/** Pseudo-permission for routes any signed-in caller may use. */
export const AUTHENTICATED = 'authenticated';
import { execute } from './sql.js';

export const SESSION_COOKIE = 'qm_session';
export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

function equalStrings(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Every permission the user's roles grant, as one array column (saves a round trip per request). */
export const USER_PERMISSIONS_SQL = `ARRAY(SELECT DISTINCT unnest(r.permissions) FROM core_user_role ur JOIN core_role r ON r.id = ur.role_id WHERE ur.user_id = u.id)`;

export interface SessionInfo {
  sessionId: string;
  csrfToken: string;
}

/**
 * Who is calling: a Bearer API token (scoped, hashed at rest) or the console's session cookie.
 * Returns null when neither is present or valid.
 */
export async function authenticate(orm: MikroORM, request: FastifyRequest): Promise<(Actor & { session?: SessionInfo }) | null> {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) {
    const token = header.slice(7).trim();
    const em = orm.em.fork();
    const [row] = await execute<{ id: string; name: string; user_id: string; permissions: string[]; email: string; stale: boolean; user_permissions: string[] }>(
      em,
      `SELECT t.id, t.name, t.user_id, t.permissions, u.email, ${USER_PERMISSIONS_SQL} AS user_permissions,
              (t.last_used_at IS NULL OR t.last_used_at < now() - interval '1 minute') AS stale
         FROM core_api_token t JOIN core_user u ON u.id = t.user_id
        WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now()) AND u.active`,
      [sha256(token)],
    );
    if (!row) return null;
    // Record use at most once a minute: a write per request would serialise busy integrations on this row.
    if (row.stale) await execute(em, `UPDATE core_api_token SET last_used_at = now() WHERE id = $1`, [row.id]);
    const userPermissions = new Set(row.user_permissions);
    // A token never grants more than its owner has.
    const granted = new Set(
      row.permissions.filter((p) => userPermissions.has('*') || userPermissions.has(p)),
    );
    if (row.permissions.includes('*') && !userPermissions.has('*')) for (const p of userPermissions) granted.add(p);
    return { type: 'api-token', userId: row.user_id, tokenId: row.id, label: `${row.email} (token ${row.name})`, permissions: granted };
  }
  const cookie = request.cookies?.[SESSION_COOKIE];
  if (!cookie) return null;
  const em = orm.em.fork();
  const [session] = await execute<{ id: string; user_id: string; csrf_token: string; email: string; stale: boolean; user_permissions: string[] }>(
    em,
    `SELECT s.id, s.user_id, s.csrf_token, u.email, s.last_seen_at < now() - interval '1 minute' AS stale, ${USER_PERMISSIONS_SQL} AS user_permissions
       FROM core_session s JOIN core_user u ON u.id = s.user_id
      WHERE s.id = $1 AND s.expires_at > now() AND u.active`,
    [sha256(cookie)],
  );
  if (session?.stale) await execute(em, `UPDATE core_session SET last_seen_at = now() WHERE id = $1`, [session.id]);
  if (!session) return null;
  return {
    type: 'user',
    userId: session.user_id,
    label: session.email,
    permissions: new Set(session.user_permissions),
    session: { sessionId: session.id, csrfToken: session.csrf_token },
  };
}

/**
 * Fastify `onRequest` hook for a plugin scope: public routes pass; others need an actor with the
 * route's permission; cookie-authenticated mutations also need the CSRF header.
 */
export function guard(orm: MikroORM) {
  return async function guardRequest(request: FastifyRequest, _reply: FastifyReply) {
    const config = request.routeOptions.config;
    if (config?.public) return; // e.g. sign-in: no caller to look up
    const permission = config?.permission;
    if (!permission) return; // not one of our routes (404 handler)
    const actor = await authenticate(orm, request);
    if (!actor) throw problems.unauthenticated();
    const session = (actor as { session?: SessionInfo }).session;
    if (session && !SAFE_METHODS.has(request.method)) {
      const sent = request.headers[CSRF_HEADER];
      if (typeof sent !== 'string' || !equalStrings(sent, session.csrfToken)) {
        throw new ProblemError({
          type: 'csrf',
          status: 403,
          title: 'CSRF token missing or wrong',
          detail: `Send the session's CSRF token in the ${CSRF_HEADER} header`,
        });
      }
    }
    request.actor = actor;
    if (permission !== AUTHENTICATED && !hasPermission(actor, permission)) throw problems.forbidden(permission);
  };
}
