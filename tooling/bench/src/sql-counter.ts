import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/**
 * Count SQL round-trips per database by wrapping `pg.Client#query` in every copy of `pg` this
 * process loads (ours, and the one MikroORM's knex driver uses). Keyed by database name, so the
 * platform's and the baseline's databases are told apart. A diagnostic only: if a copy cannot be
 * found, that side reports "n/a".
 */
const counts = new Map<string, number>();
const patched = new Set<unknown>();

function patch(pgModule: { Client?: { prototype: { query: (...args: unknown[]) => unknown } } } | undefined) {
  const Client = pgModule?.Client;
  if (!Client || patched.has(Client)) return;
  patched.add(Client);
  const original = Client.prototype.query;
  Client.prototype.query = function countedQuery(this: { database?: string }, ...args: unknown[]) {
    const db = this.database ?? '?';
    counts.set(db, (counts.get(db) ?? 0) + 1);
    return original.apply(this, args);
  };
}

export function installSqlCounter(): void {
  const here = createRequire(import.meta.url);
  const tries: (() => unknown)[] = [
    () => here('pg'),
    () => {
      const core = createRequire(fileURLToPath(import.meta.resolve('@quartermaster/core')));
      const mikro = createRequire(core.resolve('@mikro-orm/postgresql'));
      return mikro('pg');
    },
    () => {
      const core = createRequire(fileURLToPath(import.meta.resolve('@quartermaster/core')));
      const knex = createRequire(createRequire(core.resolve('@mikro-orm/postgresql')).resolve('@mikro-orm/knex'));
      return knex('pg');
    },
  ];
  for (const t of tries) {
    try {
      patch(t() as never);
    } catch {
      // that copy is not there; its side reports n/a
    }
  }
}

export function sqlCount(database: string): number {
  return counts.get(database) ?? 0;
}

export function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.slice(1));
}
