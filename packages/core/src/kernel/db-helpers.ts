/**
 * Small SQL helpers every plugin's services need: a reader outside any transaction, numbered
 * placeholders for dynamic filters, savepoints, and the database error code of an error.
 */
import type { PluginContext, Transaction } from '@quartermaster/sdk';
import { execute } from './sql.js';

/** What reads and writes need of a transaction; a reader outside one has the same shape. */
export type Db = Pick<Transaction, 'execute'>;

/** Read outside any transaction (one statement, autocommit). */
export const readerOf = (ctx: Pick<PluginContext<any>, 'orm'>): Db => ({
  execute: <R = any>(sql: string, params?: unknown[]) => execute<R>(ctx.orm.em.fork(), sql, params ?? []),
});

/** Placeholder builder for dynamic WHERE clauses: `p(value)` → `$n`, values in `values`. */
export function sqlParams() {
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
 */
export async function withSavepoint<R>(tx: Db, name: string, work: () => Promise<R>): Promise<{ ok: true; value: R } | { ok: false; error: unknown }> {
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

/** The PostgreSQL error code (SQLSTATE) of an error, wrapped or not: `23505` unique violation, `23P01` exclusion… */
export const pgErrorCode = (err: unknown): string | undefined => {
  const e = err as { code?: string; cause?: { code?: string } } | null;
  return e?.code ?? e?.cause?.code;
};

/** The driver hands timestamptz back as a Date or as PostgreSQL text; answer UTC ISO-8601. */
export const isoInstant = (v: Date | string | null | undefined): string | null => (v == null ? null : (v instanceof Date ? v : new Date(v)).toISOString());
