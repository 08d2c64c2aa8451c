import pg from 'pg';
import type { Migration } from '@quartermaster/sdk';

export interface MigrationSet {
  pluginId: string;
  migrations: Migration[];
}

export interface MigrationReport {
  pluginId: string;
  applied: string[];
}

/** `mig_<plugin id>` with dashes folded, so each plugin keeps its own history. */
export function migrationTable(pluginId: string): string {
  return 'mig_' + pluginId.replace(/-/g, '_');
}

/**
 * Apply pending migrations, set by set in the order given (core first, then plugins in
 * dependency order). Each migration runs in its own transaction together with its bookkeeping row;
 * a session-level advisory lock keeps two servers from migrating at once. Never drops anything.
 */
export async function runMigrations(databaseUrl: string, sets: MigrationSet[]): Promise<MigrationReport[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const reports: MigrationReport[] = [];
  try {
    await client.query(`SELECT pg_advisory_lock(hashtext('quartermaster:migrate'))`);
    for (const set of sets) {
      const table = migrationTable(set.pluginId);
      await client.query(
        `CREATE TABLE IF NOT EXISTS ${table} (name text PRIMARY KEY, executed_at timestamptz NOT NULL DEFAULT now())`,
      );
      const done = new Set((await client.query(`SELECT name FROM ${table}`)).rows.map((r) => r.name as string));
      const pending = [...set.migrations].sort((a, b) => a.name.localeCompare(b.name)).filter((m) => !done.has(m.name));
      const applied: string[] = [];
      for (const migration of pending) {
        await client.query('BEGIN');
        try {
          await migration.up({
            execute: async (sql, params) => (await client.query(sql, params as unknown[] | undefined)).rows,
          });
          await client.query(`INSERT INTO ${table} (name) VALUES ($1)`, [migration.name]);
          await client.query('COMMIT');
          applied.push(migration.name);
        } catch (err) {
          await client.query('ROLLBACK');
          throw new Error(`Migration ${set.pluginId}/${migration.name} failed: ${(err as Error).message}`, { cause: err });
        }
      }
      reports.push({ pluginId: set.pluginId, applied });
    }
  } finally {
    await client.query(`SELECT pg_advisory_unlock(hashtext('quartermaster:migrate'))`).catch(() => undefined);
    await client.end();
  }
  return reports;
}

/** Helper for plugin authors: a migration made of plain SQL statements. */
export function sqlMigration(name: string, ...statements: string[]): Migration {
  return {
    name,
    async up(db) {
      for (const s of statements) await db.execute(s);
    },
  };
}
