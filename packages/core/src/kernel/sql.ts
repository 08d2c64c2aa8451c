import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';

/**
 * MikroORM's SQL connection speaks knex's `?` placeholders; we write PostgreSQL's `$1` style.
 * Convert, keeping literal `?` operators (jsonb `?`, `?|`) escaped for knex.
 */
export function toKnexSql(sql: string, params: readonly unknown[] = []): { sql: string; bindings: unknown[] } {
  const bindings: unknown[] = [];
  let out = '';
  let i = 0;
  let quote: string | null = null;
  while (i < sql.length) {
    const ch = sql[i];
    if (quote) {
      out += ch;
      if (ch === quote) quote = null;
      i++;
      continue;
    }
    if (ch === "'" || ch === '"') {
      quote = ch;
      out += ch;
      i++;
      continue;
    }
    if (ch === '-' && sql[i + 1] === '-') {
      // A line comment: a `$1` or `?` written in it is prose, not a placeholder.
      const end = sql.indexOf('\n', i);
      const stop = end === -1 ? sql.length : end;
      out += sql.slice(i, stop).replaceAll('?', ' ');
      i = stop;
      continue;
    }
    if (ch === '?') {
      out += '\\?';
      i++;
      continue;
    }
    if (ch === '$' && /[0-9]/.test(sql[i + 1] ?? '')) {
      let j = i + 1;
      while (j < sql.length && /[0-9]/.test(sql[j])) j++;
      const n = Number(sql.slice(i + 1, j));
      if (n < 1 || n > params.length) throw new Error(`SQL placeholder $${n} has no parameter`);
      bindings.push(encodeArrays(params[n - 1]));
      out += '?';
      i = j;
      continue;
    }
    out += ch;
    i++;
  }
  return { sql: out, bindings };
}

/**
 * Run SQL through an entity manager, inside its transaction when it has one. The values travel as
 * real bind parameters (MikroORM's own `execute` would inline them as literals in JavaScript first,
 * which costs time on every statement and loses the server's parameter handling).
 */
export async function execute<R = Record<string, unknown>>(em: EntityManager, sql: string, params: readonly unknown[] = []): Promise<R[]> {
  const trx = em.getTransactionContext() as KnexTransaction | undefined;
  if (trx?.client?.acquireConnection) {
    // Inside a transaction the connection is fixed: hand the statement to the driver as written
    // (PostgreSQL's $n placeholders), skipping knex's placeholder rewriting on the hot path.
    const conn = await trx.client.acquireConnection();
    const name = await preparedName(conn, sql);
    const res = await conn.query<R>({ name, text: sql, values: params.map((p) => (p === undefined ? null : encodeArrays(p))) });
    return res.rows;
  }
  const { sql: text, bindings } = toKnexSql(sql, params);
  const conn = em.getConnection() as unknown as { getKnex(): KnexLike };
  const query = conn.getKnex().raw(text, bindings.map((b) => (b === undefined ? null : b)));
  if (trx) query.transacting(trx);
  const res = (await query) as { rows: R[] };
  return res.rows;
}

interface KnexLike {
  raw(sql: string, bindings: unknown[]): { transacting(trx: unknown): unknown } & PromiseLike<unknown>;
}

/** A knex transaction: its client always hands out the transaction's own pg connection. */
interface KnexTransaction {
  client?: { acquireConnection?(): Promise<PgConnection> };
}

interface PgConnection {
  query<R>(q: string | { name?: string; text: string; values?: unknown[] }): Promise<{ rows: R[] }>;
  /** pg's record of the statements this connection has prepared, by name. */
  connection?: { parsedStatements?: Record<string, string> };
}

/**
 * Statements run inside transactions are prepared once per connection and then only bound and
 * executed: planning a join or a recursive CTE costs the server more than running it, on every
 * call. Each connection keeps its most recently used statements; the least recently used is
 * deallocated when the cache is full, so statements built with inlined values cannot pile up.
 */
const PREPARED_PER_CONNECTION = 256;
const preparedByConnection = new WeakMap<PgConnection, Map<string, true>>();

async function preparedName(conn: PgConnection, sql: string): Promise<string | undefined> {
  const parsed = conn.connection?.parsedStatements;
  if (!parsed) return undefined;
  const name = 'qm_' + createHash('sha1').update(sql).digest('base64url');
  let lru = preparedByConnection.get(conn);
  if (!lru) preparedByConnection.set(conn, (lru = new Map()));
  if (lru.delete(name)) {
    lru.set(name, true);
    return name;
  }
  if (lru.size >= PREPARED_PER_CONNECTION) {
    const oldest = lru.keys().next().value as string;
    lru.delete(oldest);
    if (parsed[oldest]) {
      await conn.query(`DEALLOCATE "${oldest}"`);
      delete parsed[oldest];
    }
  }
  lru.set(name, true);
  return name;
}

/** knex expands array bindings into lists; PostgreSQL wants one array value, so send its literal. */
function encodeArrays(value: unknown): unknown {
  if (!Array.isArray(value)) return value;
  const items = value.map((v) => {
    if (v === null || v === undefined) return 'NULL';
    if (Array.isArray(v)) return String(encodeArrays(v));
    const s = v instanceof Date ? v.toISOString() : String(v);
    return '"' + s.replace(/\\/g, '\\\\').replace(/"/g, '\\"') + '"';
  });
  return '{' + items.join(',') + '}';
}
