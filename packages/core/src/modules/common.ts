import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { problems, type PluginContext, type Transaction } from '@quartermaster/sdk';
import { execute } from '../kernel/sql.js';

/** Read outside any transaction (one statement, autocommit). */
export const reader = (ctx: PluginContext): Pick<Transaction, 'execute'> => ({
  execute: (sql, params) => execute(ctx.orm.em.fork(), sql, params ?? []),
});

export const Uuid = Type.String({ format: 'uuid' });
export const IdParams = Type.Object({ id: Uuid }, { additionalProperties: false });

export const PageQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
};

export const Page = <T extends TSchema>(item: T) =>
  Type.Object({ data: Type.Array(item), total: Type.Integer(), limit: Type.Integer(), offset: Type.Integer() });

export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.Optional(Type.String()),
    instance: Type.Optional(Type.String()),
    errors: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String(), in: Type.Optional(Type.String()), reason: Type.Optional(Type.String()) }))),
  },
  { additionalProperties: true },
);

/** Standard error responses every route documents. */
export const errorResponses = {
  400: ProblemSchema,
  401: ProblemSchema,
  403: ProblemSchema,
  404: ProblemSchema,
  409: ProblemSchema,
  422: ProblemSchema,
};

export { iso } from '../kernel/time.js';

export type PageQueryT = { limit?: number; offset?: number };
export const pageOf = (q: PageQueryT) => ({ limit: q.limit ?? 50, offset: q.offset ?? 0 });
export type { Static };

/** Names are trimmed before they are stored, so one made only of whitespace is refused (minLength alone lets it through). */
export function assertNotBlank(fields: Record<string, string | null | undefined>) {
  const errors = Object.entries(fields)
    .filter(([, v]) => typeof v === 'string' && !v.trim())
    .map(([field]) => ({ field, message: 'must not be blank' }));
  if (errors.length) throw problems.validation(errors);
}

/** Escape a user's text for LIKE. */
export const likePattern = (q: string) => '%' + q.replace(/[\\%_]/g, (c) => '\\' + c) + '%';

/**
 * Paths of some nodes of a parent-linked tree (locations, categories), found by walking up from
 * those nodes only — a single lookup never visits the rest of the tree. `idsParam` names a uuid[]
 * parameter; yields `id, path ('Site / Zone / Bin'), depth, ids (root first)`.
 */
export const ancestry = (table: 'core_location' | 'core_category', idsParam: string) => `(
  WITH RECURSIVE up AS (
    SELECT t.id AS start, t.id, t.parent_id, t.name, 0 AS lvl FROM ${table} t WHERE t.id = ANY(${idsParam}::uuid[])
    UNION ALL
    SELECT up.start, p.id, p.parent_id, p.name, up.lvl + 1 FROM ${table} p JOIN up ON p.id = up.parent_id
  )
  SELECT start AS id, string_agg(name::text, ' / ' ORDER BY lvl DESC) AS path, max(lvl) AS depth,
         array_agg(id ORDER BY lvl DESC) AS ids
    FROM up GROUP BY start)`;
