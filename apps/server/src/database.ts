import { join } from 'node:path';
import { startEmbeddedDb } from '@quartermaster/embedded-db';
import type { ServerConfig } from './config.js';

/** `DATABASE_URL` when set; otherwise the embedded PostgreSQL kept under `QM_DATA_DIR/postgres`. */
export async function openDatabase(config: ServerConfig, log: (msg: string) => void) {
  if (config.databaseUrl) return { url: config.databaseUrl, embedded: false, stop: async () => undefined };
  const dir = join(config.dataDir, 'postgres');
  log(`Starting embedded PostgreSQL in ${dir}`);
  const db = await startEmbeddedDb({ dataDir: dir, port: config.embeddedDbPort, persistent: true, hostStopsOnSignal: true });
  return { url: db.url, embedded: true, stop: () => db.stop() };
}
