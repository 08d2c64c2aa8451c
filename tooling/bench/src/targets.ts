import { createHash, randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import pg from 'pg';
import { createPlatform, ensureAdministrator, type Platform } from '@quartermaster/core';
import { createHttp } from './http.js';
import type { Cleanup } from './cleanup.js';
import type { Scenario } from './scenario.js';

export interface PlatformTarget {
  platform: Platform;
  baseUrl: string;
  token: string;
}

function urlOf(app: FastifyInstance): string {
  const { port } = app.server.address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

/**
 * Boot the real platform (no plugins, core only) on `databaseUrl`, listen on a free loopback port,
 * create the first administrator, sign in and create an API token through the API.
 */
export async function startPlatform(databaseUrl: string, cleanup: Cleanup, label: string): Promise<PlatformTarget & { close(): Promise<void> }> {
  const platform = await createPlatform({ databaseUrl, plugins: [], profile: { plugins: {} }, logger: false });
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await platform.close();
  };
  cleanup.add(`close ${label}`, close);
  await platform.app.listen({ host: '127.0.0.1', port: 0 });
  const baseUrl = urlOf(platform.app);
  const email = 'bench@example.com';
  const password = randomBytes(18).toString('base64url');
  await ensureAdministrator(platform, { email, password, name: 'Bench' });

  const http = createHttp(baseUrl, { connections: 1 });
  try {
    const login = await http.post<{ csrfToken: string }>('/api/core/session', { email, password });
    if (login.status !== 200) throw new Error(`${label}: sign-in answered ${login.status}: ${JSON.stringify(login.body)}`);
    const setCookie = ([] as string[]).concat(login.headers['set-cookie'] ?? []);
    const cookie = setCookie.map((c) => c.split(';')[0]).find((c) => c.startsWith('qm_session='));
    if (!cookie) throw new Error(`${label}: sign-in set no qm_session cookie`);
    const created = await http.post<{ token: string }>(
      '/api/core/api-tokens',
      { name: 'bench', permissions: ['*'] },
      { cookie, 'x-csrf-token': login.body.csrfToken },
    );
    if (created.status !== 201 || !created.body.token) throw new Error(`${label}: creating an API token answered ${created.status}: ${JSON.stringify(created.body)}`);
    return { platform, baseUrl, token: created.body.token, close };
  } finally {
    await http.close();
  }
}

export interface BaselineTarget {
  baseUrl: string;
  token: string;
  close(): Promise<void>;
}

/**
 * The raw baseline for one scenario: plain Fastify and a `pg` Pool (same size as the platform's
 * ORM pool) on an already migrated database. Auth is one indexed lookup of the token's SHA-256 per
 * request; everything else is the scenario's `baselineRoutes`.
 */
export async function startBaseline(pool: pg.Pool, token: string, scenario: Scenario<any>, cleanup: Cleanup): Promise<BaselineTarget> {
  const app = Fastify({ logger: false, bodyLimit: 2 * 1024 * 1024 });
  app.decorateRequest('benchAuth', null);
  app.addHook('onRequest', async (req, reply) => {
    const header = req.headers.authorization;
    if (!header?.startsWith('Bearer ')) return reply.code(401).send({ title: 'Sign in first', status: 401 });
    const hash = createHash('sha256').update(header.slice(7).trim()).digest('hex');
    const { rows } = await pool.query<{ id: string; user_id: string; permissions: string[] }>(
      `SELECT id, user_id, permissions FROM core_api_token
        WHERE token_hash = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())`,
      [hash],
    );
    if (!rows[0]) return reply.code(401).send({ title: 'Sign in first', status: 401 });
    (req as unknown as { benchAuth: BaselineAuth }).benchAuth = { tokenId: rows[0].id, userId: rows[0].user_id, permissions: rows[0].permissions };
  });
  await scenario.baselineRoutes(app, { pool });
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await app.close();
  };
  cleanup.add(`close baseline server (${scenario.name})`, close);
  await app.listen({ host: '127.0.0.1', port: 0 });
  return { baseUrl: urlOf(app), token, close };
}

export interface BaselineAuth {
  tokenId: string;
  userId: string;
  permissions: string[];
}

/** Who the baseline's auth hook let in. */
export function baselineAuth(req: unknown): BaselineAuth {
  return (req as { benchAuth: BaselineAuth }).benchAuth;
}
