import { expect } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
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
const VOLATILE = new Set(['core_session', 'core_api_token']);

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
