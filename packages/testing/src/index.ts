import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import type { MikroORM } from '@mikro-orm/core';
import type { EventEnvelope, PluginDefinition } from '@quartermaster/sdk';
import { createPlatform, ensureAdministrator, type Platform, type PlatformConfig } from '@quartermaster/core';

export const TEST_ADMIN = { email: 'admin@example.test', password: 'correct horse battery staple' } as const;

export interface TestPlatformOptions {
  /** Plugins the host can load (the core is always there). */
  plugins?: PluginDefinition<any>[];
  /** Which of them are enabled, with options. Default: all of `plugins`, no options. */
  enable?: Record<string, Record<string, unknown> | undefined>;
  /** Options for the core. */
  coreOptions?: Record<string, unknown>;
  /** Reuse a database (e.g. to reboot with another profile). Default: a fresh database. */
  databaseUrl?: string;
  /** Create the test administrator. Default true. */
  admin?: boolean;
  /** Outbox settings; by default the dispatcher does not run on its own: call `drainOutbox()`. */
  outbox?: PlatformConfig['outbox'];
  logger?: PlatformConfig['logger'];
}

export interface TestSession {
  cookie: string;
  csrfToken: string;
  headers: Record<string, string>;
}

export interface TestPlatform {
  platform: Platform;
  app: FastifyInstance;
  orm: MikroORM;
  databaseUrl: string;
  /** Every event committed since boot, in order (cleared with `events.length = 0`). */
  events: EventEnvelope[];
  /** Deliver due outbox events to subscribers now. */
  drainOutbox(): Promise<number>;
  /** Sign in through the real login route. */
  login(email?: string, password?: string): Promise<TestSession>;
  /** `app.inject` as the test administrator (session cookie + CSRF header). */
  request(opts: InjectOptions): Promise<LightMyRequestResponse>;
  /** Run SQL against the test database. */
  sql<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<R[]>;
  close(): Promise<void>;
}

function serverUrl(): string {
  let url: string | undefined;
  try {
    url = inject('qmDatabaseUrl' as never) as string | undefined;
  } catch {
    url = undefined;
  }
  url ??= process.env.QM_TEST_DATABASE_URL ?? process.env.DATABASE_URL;
  if (!url) throw new Error('No test database: add "@quartermaster/testing/global-setup" to vitest globalSetup, or set DATABASE_URL');
  return url;
}

/** A fresh, empty database on the test server; dropped by `close()`. */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = serverUrl();
  const name = `qm_t_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const url = new URL(admin);
  url.pathname = '/' + name;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/**
 * Boot the real loader on a fresh PostgreSQL database: resolution, both phases, migrations,
 * routes, auth and the outbox, exactly as the server does. Use `app.inject` (or `request`, which
 * signs in as the test administrator) to call it.
 */
export async function createTestPlatform(options: TestPlatformOptions = {}): Promise<TestPlatform> {
  const owned = options.databaseUrl ? null : await createTestDatabase();
  const databaseUrl = options.databaseUrl ?? owned!.url;
  const plugins = options.plugins ?? [];
  const enabled = options.enable ?? Object.fromEntries(plugins.map((p) => [p.id, undefined]));
  let platform: Platform;
  try {
    platform = await createPlatform({
      databaseUrl,
      plugins,
      profile: { plugins: { core: options.coreOptions, ...enabled } },
      outbox: { autoStart: false, retryBaseMs: 0, ...options.outbox },
      logger: options.logger ?? false,
    });
  } catch (err) {
    await owned?.drop();
    throw err;
  }
  const events: EventEnvelope[] = [];
  platform.onEvent((e) => events.push(e));
  if (options.admin !== false) await ensureAdministrator(platform, TEST_ADMIN);

  let adminSession: TestSession | null = null;
  const login = async (email: string = TEST_ADMIN.email, password: string = TEST_ADMIN.password): Promise<TestSession> => {
    const res = await platform.app.inject({ method: 'POST', url: '/api/core/session', payload: { email, password } });
    if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
    const cookie = res.cookies.find((c) => c.name === 'qm_session')!;
    const csrfToken = res.json().csrfToken as string;
    return { cookie: `qm_session=${cookie.value}`, csrfToken, headers: { cookie: `qm_session=${cookie.value}`, 'x-csrf-token': csrfToken } };
  };
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });

  return {
    platform,
    app: platform.app,
    orm: platform.orm,
    databaseUrl,
    events,
    drainOutbox: () => platform.drainOutbox(),
    login,
    async request(opts) {
      adminSession ??= await login();
      return platform.app.inject({ ...opts, headers: { ...adminSession.headers, ...(opts.headers ?? {}) } });
    },
    async sql(text, params) {
      return (await pool.query(text, params as unknown[])).rows;
    },
    async close() {
      await pool.end();
      await platform.close();
      await owned?.drop();
    },
  };
}

export { TEST_ADMIN as testAdmin };
export { expectProblem, expectNoChange, databaseDigest, problemFields, mountedRoutes, routeOf, requestFor, PROBLEM_BASE, type ProblemBody } from './assertions.js';
