import type { Actor, PluginContext, Transaction } from '@quartermaster/sdk';
import { execute } from '@quartermaster/core';

/** What reads and writes need of a transaction; a reader outside one has the same shape. */
export type Db = Pick<Transaction, 'execute'>;

/** Read outside any transaction (one statement, autocommit). */
export const readerOf = (ctx: PluginContext<any>): Db => ({
  execute: <R = any>(sql: string, params?: unknown[]) => execute<R>(ctx.orm.em.fork(), sql, params ?? []),
});

/** The driver hands timestamptz back as a Date or as PostgreSQL text; answer UTC ISO-8601. */
export const isoOf = (v: Date | string | null | undefined): string | null => (v == null ? null : (v instanceof Date ? v : new Date(v)).toISOString());

/** `name` (default `sub`): a node and everything below it in a parent-linked core tree, for the uuid parameter `param`. */
export const subtreeCte = (table: 'core_location' | 'core_category', param: string, name = 'sub') =>
  `${name} AS (SELECT id FROM ${table} WHERE id = ${param} UNION ALL SELECT c.id FROM ${table} c JOIN ${name} ON c.parent_id = ${name}.id)`;

/** Escape a user's text for LIKE. */
export const likePattern = (q: string) => '%' + q.replace(/[\\%_]/g, (c) => '\\' + c) + '%';

/** Paths ('Main DC / Warehouse A / Bin 1-01') of some nodes of a core tree, walking up from those nodes only. */
export async function pathsOf(db: Db, table: 'core_location' | 'core_category', ids: (string | null | undefined)[]): Promise<Map<string, { name: string; path: string }>> {
  const wanted = [...new Set(ids.filter((x): x is string => !!x))];
  if (!wanted.length) return new Map();
  const rows = await db.execute<{ id: string; name: string; path: string }>(
    `WITH RECURSIVE up AS (
       SELECT t.id AS start, t.id, t.parent_id, t.name, 0 AS lvl FROM ${table} t WHERE t.id = ANY($1::uuid[])
       UNION ALL SELECT up.start, p.id, p.parent_id, p.name, up.lvl + 1 FROM ${table} p JOIN up ON p.id = up.parent_id)
     SELECT start AS id, (array_agg(name ORDER BY lvl))[1] AS name, string_agg(name::text, ' / ' ORDER BY lvl DESC) AS path FROM up GROUP BY start`,
    [wanted],
  );
  return new Map(rows.map((r) => [r.id, { name: r.name, path: r.path }]));
}

/** Placeholder builder for dynamic WHERE clauses: `p(value)` → `$n`. */
export function params() {
  const values: unknown[] = [];
  const p = (v: unknown) => {
    values.push(v);
    return `$${values.length}`;
  };
  return { values, p };
}

/**
 * Run `work` inside a savepoint: if it throws, the transaction is back where it was (also after a
 * database error, which would otherwise abort it) and the error is handed back instead of thrown.
 * Used where one failing part must not stop the others from being checked (bulk scans), or where a
 * constraint violation is turned into an answer that names the conflict.
 */
export async function attempt<R>(tx: Db, name: string, work: () => Promise<R>): Promise<{ ok: true; value: R } | { ok: false; error: unknown }> {
  await tx.execute(`SAVEPOINT ${name}`);
  try {
    const value = await work();
    await tx.execute(`RELEASE SAVEPOINT ${name}`);
    return { ok: true, value };
  } catch (error) {
    await tx.execute(`ROLLBACK TO SAVEPOINT ${name}`);
    return { ok: false, error };
  }
}

/** The database error code of an error, wrapped or not. */
export const pgCode = (err: unknown): string | undefined => {
  const e = err as { code?: string; cause?: { code?: string } } | null;
  return e?.code ?? e?.cause?.code;
};

/** Who did it, for history rows: the user behind a session or token, or null for the system. */
export const actorColumns = (actor: Actor) => ({ id: actor.userId, label: actor.label });
