import { expect } from 'vitest';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import type { TestPlatform } from './index.js';

export const PROBLEM_BASE = 'https://quartermaster.dev/problems/';

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: { field: string; message: string }[];
  [k: string]: unknown;
}

/** Assert an RFC 9457 answer with this status and `type` slug (e.g. `validation`, `inventory/insufficient-stock`); returns the body. */
export function expectProblem(res: LightMyRequestResponse, status: number, slug: string): ProblemBody {
  const body = res.json();
  expect({ status: res.statusCode, type: body.type }, res.body).toEqual({ status, type: PROBLEM_BASE + slug });
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(body.status).toBe(status);
  expect(typeof body.title).toBe('string');
  return body as ProblemBody;
}

/** The fields a validation problem names. */
export const problemFields = (body: { errors?: { field: string }[] }) => (body.errors ?? []).map((e) => e.field);

/** Tables whose rows record use rather than content (sessions, token last-use). */
// Sessions and tokens record their last use; refused device payloads are counted (that count is the one write a refusal makes).
const VOLATILE = new Set(['core_session', 'core_api_token', 'core_device_refusal']);

/** A digest of every row of every table in the schema (or of the tables with these prefixes), so any insert, update or delete shows. */
export async function databaseDigest(t: TestPlatform, prefixes?: string[]): Promise<Record<string, string>> {
  const tables = (
    await t.sql<{ name: string }>(`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1`)
  )
    .map((r) => r.name)
    .filter((n) => !VOLATILE.has(n) && (!prefixes || prefixes.some((p) => n.startsWith(p))));
  if (!tables.length) return {};
  const [row] = await t.sql<Record<string, string>>(
    `SELECT ${tables.map((n) => `(SELECT count(*) || ':' || md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM "${n}" x) AS "${n}"`).join(', ')}`,
  );
  return row;
}

/** Run a call and assert it changed no row and emitted no event. */
export async function expectNoChange<R>(t: TestPlatform, call: () => Promise<R>, prefixes?: string[]): Promise<R> {
  const before = await databaseDigest(t, prefixes);
  const events = t.events.length;
  const result = await call();
  expect(await databaseDigest(t, prefixes)).toEqual(before);
  expect(t.events.slice(events).map((e) => e.name)).toEqual([]);
  return result;
}

/** "METHOD /path/:param" of every route mounted under `prefix` (e.g. `/api/inventory`), from the generated OpenAPI document. */
export function mountedRoutes(t: Pick<TestPlatform, 'app'>, prefix: string): string[] {
  const openapi = (t.app as unknown as { swagger(): { paths: Record<string, Record<string, unknown>> } }).swagger();
  const routes: string[] = [];
  for (const [path, ops] of Object.entries(openapi.paths)) {
    if (!path.startsWith(`${prefix}/`)) continue;
    for (const method of Object.keys(ops)) if (method !== 'head') routes.push(`${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`);
  }
  return routes.sort();
}

/** The mounted route a request lands on (a static segment wins over a parameter). */
export function routeOf(routes: string[], opts: InjectOptions): string | undefined {
  const path = String(opts.url).split('?')[0];
  const matching = routes.filter((r) => {
    const [method, pattern] = r.split(' ');
    return method === opts.method && new RegExp(`^${pattern.replace(/:\w+/g, '[^/]+')}$`).test(path);
  });
  return matching.sort((x, y) => (x.match(/:/g)?.length ?? 0) - (y.match(/:/g)?.length ?? 0))[0];
}

/** A request to a route with every parameter filled by `missingId` (an id that exists nowhere) and an empty body. */
export function requestFor(route: string, missingId: string, headers?: Record<string, string>): InjectOptions {
  const [method, pattern] = route.split(' ');
  return { method: method as InjectOptions['method'], url: pattern.replace(/:\w+/g, missingId), ...(method === 'GET' || method === 'DELETE' ? {} : { payload: {} }), ...(headers ? { headers } : {}) };
}
