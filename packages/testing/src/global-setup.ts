import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedDb, type EmbeddedDb } from '@quartermaster/embedded-db';

/**
 * Vitest `globalSetup`: one PostgreSQL for the whole run. With `DATABASE_URL` set it uses that
 * server instead (any PostgreSQL ≥ 15); otherwise it starts an embedded one on a free port.
 * Each test platform then gets a database of its own.
 */
export default async function setup(project: { provide: (key: string, value: unknown) => void }) {
  let db: EmbeddedDb | null = null;
  let dir: string | null = null;
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    dir = mkdtempSync(join(tmpdir(), 'qm-test-pg-'));
    db = await startEmbeddedDb({ dataDir: dir, persistent: false, fast: true, database: 'postgres' });
    adminUrl = db.adminUrl;
  }
  project.provide('qmDatabaseUrl', adminUrl);
  process.env.QM_TEST_DATABASE_URL = adminUrl;
  return async () => {
    await db?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  };
}
