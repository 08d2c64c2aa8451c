import type { Actor } from '@quartermaster/sdk';
import { isoInstant, pgErrorCode, readerOf, sqlParams, withSavepoint, type Db } from '@quartermaster/core';

// The core's SQL helpers under the names this plugin's services use.
export { readerOf, type Db };
export const isoOf = isoInstant;
export const params = sqlParams;
export const attempt = withSavepoint;
export const pgCode = pgErrorCode;

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

/** Who did it, for history rows: the user behind a session or token, or null for the system. */
export const actorColumns = (actor: Actor) => ({ id: actor.userId, label: actor.label });
