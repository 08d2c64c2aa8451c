/**
 * inventory-stock-on-hand: "how many of item X" on a ledger of BENCH_INVENTORY_MOVES (default
 * 1,000,000) posted moves over BENCH_INVENTORY_ITEMS (default 10,000) items, seeded in bulk with SQL.
 *
 * - Setup seeds each target's database with the same consistent ledger (moves, lines, balances, cost
 *   ledger), checks a sample through the real API, then times each endpoint with one client over
 *   BENCH_INVENTORY_SAMPLES random items and prints per-endpoint p50/p99 against the raw baseline
 *   (target: p99 < 10 ms).
 * - The measured rounds then load both endpoints for the same random item per iteration.
 *
 * This file also holds the helpers the other inventory-* scenarios share (booting the platform with
 * the inventory plugin, the bulk seeder, the raw-SQL move poster, latency probes): the harness loads
 * every `src/scenarios/*.ts` as a scenario, so a helper module of its own would need a `_` name.
 */
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { createHttp, type Http } from '../http.js';
import { check, defineScenario, type IterationContext, type TargetInfo } from '../scenario.js';
import { baselineAuth, type BaselineAuth } from '../targets.js';
import { closeWithBaseline, pluginPlatformUrl, type PluginSetup } from '../plugin-platforms.js';

// ------------------------------------------------------------------------------------------------
// Settings
// ------------------------------------------------------------------------------------------------

export function envInt(name: string, fallback: number, min = 1): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw.replace(/_/g, ''));
  if (!Number.isFinite(n) || n < min) throw new Error(`${name} must be a number ≥ ${min}, got "${raw}"`);
  return Math.floor(n);
}

/** Scale of the seeded ledger (see the README's inventory section). */
export function ledgerScale() {
  const items = envInt('BENCH_INVENTORY_ITEMS', 10_000, 2);
  const moves = envInt('BENCH_INVENTORY_MOVES', 1_000_000, 1);
  const locations = envInt('BENCH_INVENTORY_LOCATIONS', 20, 2);
  if (moves < items) throw new Error(`BENCH_INVENTORY_MOVES (${moves}) must be at least BENCH_INVENTORY_ITEMS (${items}): every item gets an opening receipt`);
  return { items, moves, locations };
}

export const fmt = (n: number) => n.toLocaleString('en-US');
const say = (scenario: string, msg: string) => console.log(`  [${scenario}] ${msg}`);

// ------------------------------------------------------------------------------------------------
// Ids: deterministic, so both databases hold the same item and location ids
// ------------------------------------------------------------------------------------------------

/** PostgreSQL's `md5(text)::uuid`, in JS. */
export function md5Uuid(s: string): string {
  const h = createHash('md5').update(s).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
export const LEDGER_ITEM = 'bench-item-';
export const itemIdOf = (prefix: string, n: number) => md5Uuid(prefix + n);
export const locationIdOf = (n: number) => md5Uuid('bench-loc-' + n);

/** Small deterministic PRNG (mulberry32), so both targets see the same sequence of items and moves. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ------------------------------------------------------------------------------------------------
// Targets: the real platform with the inventory plugin; the baseline's database migrated for it
// ------------------------------------------------------------------------------------------------

const INVENTORY: PluginSetup = {
  key: 'inventory',
  plugins: async () => [(await import('@quartermaster/plugin-inventory/server')).inventoryPlugin],
  options: { inventory: { reservationSweepSeconds: 0 } },
};

/** Where an inventory scenario sends a target's requests (see plugin-platforms.ts). */
export const inventoryUrl = (target: TargetInfo): Promise<string> => pluginPlatformUrl(INVENTORY, target);
export { closeWithBaseline };

/** One keep-alive client per (thread, origin). */
const clients = new Map<string, Http>();
export function clientFor(url: string, token: string): Http {
  let c = clients.get(url);
  if (!c) {
    c = createHttp(url, { token, connections: 64 });
    clients.set(url, c);
  }
  return c;
}

// ------------------------------------------------------------------------------------------------
// Bulk seeding: a consistent stock ledger and cost ledger generated in SQL
// ------------------------------------------------------------------------------------------------

export interface LedgerSeed {
  key: string;
  items: number;
  moves: number;
  locations: number;
  /** Items with a much longer history (hourly moves): 10% of all moves between them. */
  hot: { id: string; moves: number; lastAt: string }[];
  /** The last seeded instant; everything seeded is at or before it. */
  endAt: string;
  seconds: number;
}

const INVENTORY_TABLES = [
  'inventory_move',
  'inventory_move_line',
  'inventory_balance',
  'inventory_valuation_state',
  'inventory_valuation_entry',
  'inventory_cost_layer',
  'inventory_layer_consumption',
  'inventory_reservation',
  'inventory_reservation_allocation',
  'inventory_serial',
  'inventory_lot',
];
const ANALYZED = [
  'core_item',
  'core_location',
  'inventory_move',
  'inventory_move_line',
  'inventory_balance',
  'inventory_valuation_state',
  'inventory_valuation_entry',
  'inventory_cost_layer',
  'inventory_layer_consumption',
];

async function withClient<T>(databaseUrl: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: databaseUrl });
  c.on('error', () => undefined);
  await c.connect();
  if (process.env.BENCH_INVENTORY_DEBUG) {
    const q = c.query.bind(c) as (...a: unknown[]) => Promise<unknown>;
    (c as unknown as { query: unknown }).query = async (...a: unknown[]) => {
      const t0 = performance.now();
      try {
        return await q(...a);
      } finally {
        console.log(`    ${(performance.now() - t0).toFixed(0).padStart(6)} ms  ${String(a[0]).replace(/\s+/g, ' ').slice(0, 110)}`);
      }
    };
  }
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

async function ensureCatalogue(c: pg.Client, prefix: string, label: string, items: number, locations: number) {
  await c.query(
    `INSERT INTO core_item (id, name) SELECT md5($1 || i)::uuid, $2 || lpad(i::text, 6, '0') FROM generate_series(0, $3 - 1) i ON CONFLICT (id) DO NOTHING`,
    [prefix, label, items],
  );
  await c.query(
    `INSERT INTO core_location (id, name, type) SELECT md5('bench-loc-' || l)::uuid, 'Bench bin ' || lpad(l::text, 3, '0'), 'bin' FROM generate_series(0, $1 - 1) l
     ON CONFLICT (id) DO NOTHING`,
    [locations],
  );
}

/**
 * Turn `bench_plan` (one row per one-line move: item_no, seq, kind, from_loc, to_loc, qty,
 * unit_cost, at, layer_seq) into the ledger's rows, exactly as posting them in time order would:
 * moves and lines; FIFO valuation entries with running totals; a cost layer per receipt with what
 * is left of it; a consumption per issue (an issue takes from one layer, `layer_seq`); balances;
 * each item's valuation state. Items must have no ledger rows yet. Runs in the caller's transaction.
 */
async function materialize(c: pg.Client, prefix: string, marker: string) {
  const [base] = (
    await c.query(`SELECT (SELECT coalesce(max(number), 0) FROM inventory_move) AS number, (SELECT coalesce(max(id), 0) FROM inventory_move_line) AS line,
            (SELECT coalesce(max(id), 0) FROM inventory_valuation_entry) AS entry, (SELECT coalesce(max(id), 0) FROM inventory_cost_layer) AS layer,
            (SELECT coalesce(max(id), 0) FROM inventory_layer_consumption) AS consumption`)
  ).rows;
  await c.query(
    `CREATE TEMP TABLE bench_rows ON COMMIT DROP AS
     SELECT p.item_no, p.seq, p.kind, p.qty, p.unit_cost, p.at, p.layer_seq,
            md5($1 || p.item_no)::uuid AS item_id,
            CASE WHEN p.from_loc IS NOT NULL THEN md5('bench-loc-' || p.from_loc)::uuid END AS from_id,
            CASE WHEN p.to_loc IS NOT NULL THEN md5('bench-loc-' || p.to_loc)::uuid END AS to_id,
            gen_random_uuid() AS move_id,
            $2::bigint + row_number() OVER (ORDER BY p.at, p.item_no, p.seq) AS line_id,
            CASE p.kind WHEN 'receipt' THEN p.qty * p.unit_cost WHEN 'issue' THEN p.qty * r.unit_cost END AS amount
       FROM bench_plan p LEFT JOIN bench_plan r ON p.kind = 'issue' AND r.item_no = p.item_no AND r.seq = p.layer_seq`,
    [prefix, base.line],
  );
  await c.query(
    `INSERT INTO inventory_move (id, number, type, reference, effective_at, posted_at, posted_by_label)
     SELECT move_id, $1::bigint + (line_id - $2::bigint), kind, CASE WHEN line_id = $2::bigint + 1 THEN $3 END, at, at, 'bench seed' FROM bench_rows ORDER BY line_id`,
    [base.number, base.line, marker],
  );
  await c.query(
    `INSERT INTO inventory_move_line (id, move_id, line_no, item_id, from_location_id, to_location_id, qty, uom, uom_qty, unit_cost, amount)
     SELECT line_id, move_id, 1, item_id, from_id, to_id, qty, 'ea', qty, unit_cost, amount FROM bench_rows ORDER BY line_id`,
  );
  await c.query(
    `CREATE TEMP TABLE bench_entries ON COMMIT DROP AS
     SELECT r.*, $1::bigint + row_number() OVER (ORDER BY r.at, r.line_id) AS entry_id,
            sum(CASE WHEN r.kind = 'receipt' THEN r.qty ELSE -r.qty END) OVER w AS running_qty,
            sum(CASE WHEN r.kind = 'receipt' THEN r.amount ELSE -r.amount END) OVER w AS running_value
       FROM bench_rows r WHERE r.kind <> 'transfer'
     WINDOW w AS (PARTITION BY r.item_no ORDER BY r.at, r.line_id ROWS UNBOUNDED PRECEDING)`,
    [base.entry],
  );
  await c.query(
    `INSERT INTO inventory_valuation_entry (id, item_id, move_line_id, effective_at, direction, method, qty, amount, running_qty, running_value)
     SELECT entry_id, item_id, line_id, at, CASE WHEN kind = 'receipt' THEN 'in' ELSE 'out' END, 'fifo', qty, amount, running_qty, running_value
       FROM bench_entries ORDER BY entry_id`,
  );
  await c.query(
    `CREATE TEMP TABLE bench_layers ON COMMIT DROP AS
     SELECT e.item_no, e.seq, e.item_id, e.entry_id, e.at, e.qty, e.amount, e.unit_cost,
            $1::bigint + row_number() OVER (ORDER BY e.at, e.entry_id) AS layer_id,
            e.qty - coalesce(u.used, 0) AS remaining_qty
       FROM bench_entries e
       LEFT JOIN (SELECT item_no, layer_seq, sum(qty) AS used FROM bench_plan WHERE kind = 'issue' GROUP BY 1, 2) u ON u.item_no = e.item_no AND u.layer_seq = e.seq
      WHERE e.kind = 'receipt'`,
    [base.layer],
  );
  await c.query(
    `INSERT INTO inventory_cost_layer (id, item_id, entry_id, effective_at, qty, value, unit_cost, remaining_qty, remaining_value)
     SELECT layer_id, item_id, entry_id, at, qty, amount, unit_cost, remaining_qty, remaining_qty * unit_cost FROM bench_layers ORDER BY layer_id`,
  );
  await c.query(
    `INSERT INTO inventory_layer_consumption (id, entry_id, layer_id, qty, amount)
     SELECT $1::bigint + row_number() OVER (ORDER BY o.entry_id), o.entry_id, l.layer_id, o.qty, o.amount
       FROM bench_entries o JOIN bench_layers l ON l.item_no = o.item_no AND l.seq = o.layer_seq WHERE o.kind = 'issue'`,
    [base.consumption],
  );
  await c.query(
    `INSERT INTO inventory_balance AS b (item_id, location_id, on_hand)
     SELECT item_id, loc, sum(q) FROM (
       SELECT item_id, to_id AS loc, qty AS q FROM bench_rows WHERE to_id IS NOT NULL
       UNION ALL SELECT item_id, from_id, -qty FROM bench_rows WHERE from_id IS NOT NULL) x
      GROUP BY item_id, loc ORDER BY item_id, loc
     ON CONFLICT ON CONSTRAINT inventory_balance_key DO UPDATE SET on_hand = b.on_hand + EXCLUDED.on_hand`,
  );
  await c.query(
    `INSERT INTO inventory_valuation_state (item_id, qty, value, last_unit_cost, last_effective_at)
     SELECT DISTINCT ON (e.item_no) e.item_id, e.running_qty, e.running_value, lr.unit_cost, e.at
       FROM bench_entries e
       JOIN (SELECT DISTINCT ON (item_no) item_no, unit_cost FROM bench_entries WHERE kind = 'receipt' ORDER BY item_no, at DESC, entry_id DESC) lr USING (item_no)
      ORDER BY e.item_no, e.at DESC, e.entry_id DESC`,
  );
  for (const [table, column] of [
    ['inventory_move', 'number'],
    ['inventory_move_line', 'id'],
    ['inventory_valuation_entry', 'id'],
    ['inventory_cost_layer', 'id'],
    ['inventory_layer_consumption', 'id'],
    ['inventory_balance', 'id'],
  ]) {
    await c.query(`SELECT setval(pg_get_serial_sequence('${table}', '${column}'), (SELECT max(${column}) FROM ${table}))`);
  }
}

/**
 * The generated rows are consistent by construction, so a superuser session skips the per-row
 * foreign-key triggers for this transaction (`session_replication_role = replica`): about half of
 * the load time. Elsewhere (a DATABASE_URL without superuser) the checks simply run.
 */
async function skipForeignKeyChecks(c: pg.Client) {
  await c.query('SAVEPOINT fk');
  try {
    await c.query(`SET LOCAL session_replication_role = replica`);
  } catch {
    await c.query('ROLLBACK TO SAVEPOINT fk');
  }
}

async function analyze(c: pg.Client) {
  for (const t of ANALYZED) await c.query(`VACUUM (ANALYZE) ${t}`);
}

/**
 * Seed `databaseUrl` with a ledger of `moves` one-line moves over `items` items and `locations`
 * locations (wiping every inventory table first), unless it already holds exactly that seed.
 *
 * Per item: an opening receipt of 100 at the item's first location, then cycles of
 * receipt (10 in) → transfer (those 10 to another location) → issue (10 out). FIFO: the first ten
 * issues take from the opening layer, issue c ≥ 10 takes exactly the receipt of cycle c − 10, so an
 * item keeps about ten open layers and 100–110 on hand at ~10 locations however long its history.
 * The first min(10, items/2) items are "hot": 10% of all moves between them, one an hour; the others
 * move once a day; every item's history ends at `endAt` (two hours ago).
 */
export async function seedLedger(databaseUrl: string, scale: { items: number; moves: number; locations: number }, log: (s: string) => void): Promise<LedgerSeed> {
  const { items, moves, locations } = scale;
  const key = `bench-seed:ledger:${moves}x${items}x${locations}`;
  const hot = Math.min(10, Math.floor(items / 2));
  return withClient(databaseUrl, async (c) => {
    const t0 = performance.now();
    const [found] = (await c.query(`SELECT 1 FROM inventory_move WHERE reference = $1 LIMIT 1`, [key])).rows;
    if (!found) {
      const hotMoves = Math.max(1, Math.floor((moves * 0.1) / hot));
      const rest = moves - hot * hotMoves;
      const others = items - hot;
      if (rest < others) throw new Error(`seedLedger: ${fmt(moves)} moves are too few for ${fmt(items)} items`);
      log(`seeding ${fmt(moves)} moves over ${fmt(items)} items × ${locations} locations (${hot} hot items with ${fmt(hotMoves)} moves each)…`);
      await ensureCatalogue(c, LEDGER_ITEM, 'Bench item ', items, locations);
      await c.query(`TRUNCATE ${INVENTORY_TABLES.join(', ')} RESTART IDENTITY CASCADE`);
      await c.query('BEGIN');
      await skipForeignKeyChecks(c);
      await c.query(
        `CREATE TEMP TABLE bench_plan (item_no int, seq int, kind text, from_loc int, to_loc int, qty numeric, unit_cost numeric, at timestamptz, layer_seq int) ON COMMIT DROP`,
      );
      // c = cycle, ph = phase within it; A(c) = (7i + 1 + 2c) mod L receives, B(c) = (7i + 2 + 2c) mod L holds.
      await c.query(
        `INSERT INTO bench_plan (item_no, seq, kind, from_loc, to_loc, qty, unit_cost, at, layer_seq)
         SELECT it.i, s,
                CASE WHEN s = 0 OR x.ph = 0 THEN 'receipt' WHEN x.ph = 1 THEN 'transfer' ELSE 'issue' END,
                CASE WHEN s = 0 OR x.ph = 0 THEN NULL
                     WHEN x.ph = 1 THEN (it.i * 7 + 1 + 2 * x.c) % $1
                     WHEN x.c < 10 THEN (it.i * 7) % $1
                     ELSE (it.i * 7 + 2 + 2 * (x.c - 10)) % $1 END,
                CASE WHEN s = 0 THEN (it.i * 7) % $1
                     WHEN x.ph = 0 THEN (it.i * 7 + 1 + 2 * x.c) % $1
                     WHEN x.ph = 1 THEN (it.i * 7 + 2 + 2 * x.c) % $1 END,
                CASE WHEN s = 0 THEN 100 ELSE 10 END,
                CASE WHEN s = 0 THEN 2.5 + (it.i % 10) * 0.1 WHEN x.ph = 0 THEN 1 + ((it.i * 7 + x.c * 3) % 50) * 0.1 END,
                $2::timestamptz - (it.n - 1 - s) * it.step - make_interval(secs => it.i % 600),
                CASE WHEN s > 0 AND x.ph = 2 THEN CASE WHEN x.c < 10 THEN 0 ELSE 1 + 3 * (x.c - 10) END END
           FROM (SELECT i, CASE WHEN i < $3 THEN $4 ELSE $5 + CASE WHEN i - $3 < $6 THEN 1 ELSE 0 END END AS n,
                        CASE WHEN i < $3 THEN interval '1 hour' ELSE interval '1 day' END AS step
                   FROM generate_series(0, $7 - 1) i) it
           CROSS JOIN LATERAL generate_series(0, it.n - 1) s
           CROSS JOIN LATERAL (SELECT CASE WHEN s > 0 THEN (s - 1) / 3 END AS c, CASE WHEN s > 0 THEN (s - 1) % 3 END AS ph) x`,
        [locations, new Date(Date.now() - 2 * 3600_000), hot, hotMoves, Math.floor(rest / others), rest % others, items],
      );
      await materialize(c, LEDGER_ITEM, key);
      await c.query('COMMIT');
      const tLoad = performance.now();
      await analyze(c);
      log(`seeded in ${((tLoad - t0) / 1000).toFixed(1)} s + ${((performance.now() - tLoad) / 1000).toFixed(1)} s VACUUM ANALYZE`);
    }
    const hotRows = (
      await c.query<{ id: string; moves: string; last_at: Date }>(
        `SELECT ml.item_id AS id, count(*) AS moves, max(m.effective_at) AS last_at
           FROM inventory_move_line ml JOIN inventory_move m ON m.id = ml.move_id WHERE ml.item_id = ANY($1::uuid[]) GROUP BY ml.item_id`,
        [Array.from({ length: hot }, (_, i) => itemIdOf(LEDGER_ITEM, i))],
      )
    ).rows;
    const [end] = (await c.query<{ end_at: Date }>(`SELECT max(effective_at) AS end_at FROM inventory_move WHERE posted_by_label = 'bench seed'`)).rows;
    return {
      key,
      items,
      moves,
      locations,
      hot: hotRows.map((r) => ({ id: r.id, moves: Number(r.moves), lastAt: new Date(r.last_at).toISOString() })).sort((a, b) => a.id.localeCompare(b.id)),
      endAt: new Date(end.end_at).toISOString(),
      seconds: found ? 0 : (performance.now() - t0) / 1000,
    };
  });
}

export const OPENING_ITEM = 'bench-pm-item-';

/**
 * `items` items of their own (OPENING_ITEM ids), each received `qty` at every one of `locations`
 * locations, with the cost ledger to match. Leaves other inventory rows alone; idempotent.
 */
export async function seedOpeningStock(databaseUrl: string, o: { items: number; locations: number; qty: number }, log: (s: string) => void): Promise<void> {
  const key = `bench-seed:opening:${o.items}x${o.locations}x${o.qty}`;
  await withClient(databaseUrl, async (c) => {
    const [found] = (await c.query(`SELECT 1 FROM inventory_move WHERE reference = $1 LIMIT 1`, [key])).rows;
    if (found) return;
    const t0 = performance.now();
    await ensureCatalogue(c, OPENING_ITEM, 'Bench posting item ', o.items, o.locations);
    const [dirty] = (await c.query(`SELECT 1 FROM inventory_valuation_state WHERE item_id = $1`, [itemIdOf(OPENING_ITEM, 0)])).rows;
    if (dirty) throw new Error(`seedOpeningStock: the posting items already have stock from another seed; use a fresh database`);
    await c.query('BEGIN');
    await skipForeignKeyChecks(c);
    await c.query(
      `CREATE TEMP TABLE bench_plan (item_no int, seq int, kind text, from_loc int, to_loc int, qty numeric, unit_cost numeric, at timestamptz, layer_seq int) ON COMMIT DROP`,
    );
    await c.query(
      `INSERT INTO bench_plan SELECT i, l, 'receipt', NULL, l, $1, 2 + (i % 20) * 0.25, now() - interval '1 day' + make_interval(mins => l), NULL
         FROM generate_series(0, $2 - 1) i, generate_series(0, $3 - 1) l`,
      [o.qty, o.items, o.locations],
    );
    await materialize(c, OPENING_ITEM, key);
    await c.query('COMMIT');
    await analyze(c);
    log(`opening stock: ${fmt(o.items)} items × ${o.locations} locations × ${fmt(o.qty)} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  });
}

// ------------------------------------------------------------------------------------------------
// The raw baseline's move posting: hand-written SQL, one transaction
// ------------------------------------------------------------------------------------------------

export const UUID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
const DECIMAL_PATTERN = '^[+-]?(\\d+(\\.\\d*)?|\\.\\d+)$';

/** JSON schema of the baseline's POST /api/inventory/moves: one-line receipts, issues and transfers. */
export const rawMoveBodySchema = {
  type: 'object',
  required: ['type', 'lines'],
  additionalProperties: false,
  properties: {
    type: { enum: ['receipt', 'issue', 'transfer'] },
    reference: { type: 'string', maxLength: 200 },
    effectiveAt: { type: 'string', format: 'date-time' },
    lines: {
      type: 'array',
      minItems: 1,
      maxItems: 1,
      items: {
        type: 'object',
        required: ['itemId', 'qty'],
        additionalProperties: false,
        properties: {
          itemId: { type: 'string', pattern: UUID_PATTERN },
          qty: { type: 'string', pattern: DECIMAL_PATTERN },
          fromLocationId: { type: 'string', pattern: UUID_PATTERN },
          toLocationId: { type: 'string', pattern: UUID_PATTERN },
          unitCost: { type: 'string', pattern: DECIMAL_PATTERN },
        },
      },
    },
  },
} as const;

export interface RawMoveBody {
  type: 'receipt' | 'issue' | 'transfer';
  reference?: string;
  effectiveAt?: string;
  lines: { itemId: string; qty: string; fromLocationId?: string; toLocationId?: string; unitCost?: string }[];
}

export interface RawPostOptions {
  /** Also keep the FIFO cost ledger (entry, layer or consumption, running totals, item state). */
  valuation: boolean;
  /** Also write the audit row and the outbox event, as the platform does. */
  audit: boolean;
}

class RawProblem extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The least SQL that posts a one-line move correctly: move + line, balance upserts (row locks taken
 * by the upsert, in location-id order), refused if stock would go below zero. With `valuation`:
 * the item's valuation state locked FOR UPDATE first (an undated move is dated after that lock, so
 * concurrent posts of one item never come out back-dated); a receipt adds an entry and a layer and, when
 * back-dated, shifts the running totals of the later entries by what it adds (it does not re-run
 * FIFO for later issues: with older layers still open, their costs cannot change); an issue
 * takes FIFO from open layers in one statement. Issues made without stock (unvalued) are not
 * modelled: the scenarios never run out.
 */
export async function rawPostMove(pool: pg.Pool, body: RawMoveBody, auth: BaselineAuth, o: RawPostOptions) {
  const line = body.lines[0];
  const type = body.type;
  const from = type === 'receipt' ? null : line.fromLocationId ?? null;
  const to = type === 'issue' ? null : line.toLocationId ?? null;
  if ((type !== 'receipt' && !from) || (type !== 'issue' && !to) || (from && from === to)) throw new RawProblem(400, 'locations do not fit the move type');
  const qty = line.qty;
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const valued = o.valuation && type !== 'transfer';
    let state = { qty: '0', value: '0', back_dated: false };
    if (valued) {
      // The item's cost state first: moves of one item are valued one at a time, and a move dated
      // "now" takes its time after the lock (below), so it is never earlier than one that got in first.
      await client.query(`INSERT INTO inventory_valuation_state (item_id) VALUES ($1) ON CONFLICT (item_id) DO NOTHING`, [line.itemId]);
      ({
        rows: [state],
      } = await client.query<{ qty: string; value: string; back_dated: boolean }>(
        `SELECT qty, value, coalesce(last_effective_at > $2::timestamptz, false) AS back_dated FROM inventory_valuation_state WHERE item_id = $1 FOR UPDATE`,
        [line.itemId, body.effectiveAt ?? null],
      ));
    }
    const deltas = [
      ...(from ? [{ loc: from, q: `-${qty}` }] : []),
      ...(to ? [{ loc: to, q: qty }] : []),
    ].sort((a, b) => a.loc.localeCompare(b.loc));
    const balances = await client.query<{ location_id: string; short: boolean }>(
      `INSERT INTO inventory_balance AS b (item_id, location_id, on_hand)
       SELECT $1, l, q FROM unnest($2::uuid[], $3::numeric[]) WITH ORDINALITY AS u(l, q, n) ORDER BY n
       ON CONFLICT ON CONSTRAINT inventory_balance_key DO UPDATE SET on_hand = b.on_hand + EXCLUDED.on_hand, updated_at = now()
       RETURNING location_id, on_hand - reserved < 0 AS short`,
      [line.itemId, deltas.map((d) => d.loc), deltas.map((d) => d.q)],
    );
    if (from && balances.rows.some((b) => b.location_id === from && b.short)) throw new RawProblem(409, 'Not enough stock');
    const {
      rows: [move],
    } = await client.query<{ id: string; number: string; effective_at: Date }>(
      `INSERT INTO inventory_move (type, reference, effective_at, posted_by, posted_by_label) VALUES ($1, $2, coalesce($3::timestamptz, clock_timestamp()), $4, 'bench baseline')
       RETURNING id, number, effective_at`,
      [type, body.reference ?? null, body.effectiveAt ?? null, auth.userId],
    );
    const {
      rows: [ml],
    } = await client.query<{ id: string }>(
      `INSERT INTO inventory_move_line (move_id, line_no, item_id, from_location_id, to_location_id, qty, uom, uom_qty, unit_cost)
       VALUES ($1, 1, $2, $3, $4, $5, 'ea', $5, $6) RETURNING id`,
      [move.id, line.itemId, from, to, qty, type === 'receipt' ? line.unitCost ?? '0' : null],
    );
    let amount: string | null = null;
    const backDated = state.back_dated;
    if (valued) {
      // Running totals before this entry: the item's state, or for a back-dated move the last entry before it.
      let prior = { running_qty: state.qty, running_value: state.value };
      if (backDated) {
        const { rows } = await client.query<{ running_qty: string; running_value: string }>(
          `SELECT running_qty, running_value FROM inventory_valuation_entry WHERE item_id = $1 AND effective_at <= $2 ORDER BY effective_at DESC, id DESC LIMIT 1`,
          [line.itemId, move.effective_at],
        );
        prior = rows[0] ?? { running_qty: '0', running_value: '0' };
      }
      if (type === 'receipt') {
        const {
          rows: [e],
        } = await client.query<{ amount: string }>(
          `WITH a AS (SELECT round($4::numeric * $5::numeric, 2) AS amount),
                e AS (INSERT INTO inventory_valuation_entry (item_id, move_line_id, effective_at, direction, method, qty, amount, running_qty, running_value)
                      SELECT $1, $2, $3, 'in', 'fifo', $4, a.amount, $6::numeric + $4::numeric, $7::numeric + a.amount FROM a RETURNING id, amount)
           INSERT INTO inventory_cost_layer (item_id, entry_id, effective_at, qty, value, unit_cost, remaining_qty, remaining_value)
           SELECT $1, e.id, $3, $4, e.amount, $5, $4, e.amount FROM e RETURNING value AS amount`,
          [line.itemId, ml.id, move.effective_at, qty, line.unitCost ?? '0', prior.running_qty, prior.running_value],
        );
        amount = e.amount;
        if (backDated) {
          await client.query(
            `UPDATE inventory_valuation_entry SET running_qty = running_qty + $3, running_value = running_value + $4 WHERE item_id = $1 AND effective_at > $2`,
            [line.itemId, move.effective_at, qty, amount],
          );
        }
      } else {
        if (backDated) throw new RawProblem(400, 'the baseline does not model back-dated issues');
        const taken = await client.query<{ id: string; q: string; amount: string }>(
          `WITH open AS (
             SELECT id, remaining_qty, remaining_value, unit_cost, sum(remaining_qty) OVER (ORDER BY effective_at, id) - remaining_qty AS before
               FROM (SELECT * FROM inventory_cost_layer WHERE item_id = $1 AND remaining_qty > 0 ORDER BY effective_at, id LIMIT 100) l),
           take AS (SELECT id, least(remaining_qty, $2::numeric - before) AS q, remaining_qty, remaining_value, unit_cost FROM open WHERE before < $2::numeric)
           UPDATE inventory_cost_layer cl
              SET remaining_qty = cl.remaining_qty - t.q,
                  remaining_value = CASE WHEN t.q = t.remaining_qty THEN 0 ELSE cl.remaining_value - round(t.q * t.unit_cost, 2) END
             FROM take t WHERE cl.id = t.id
           RETURNING cl.id, t.q, CASE WHEN t.q = t.remaining_qty THEN t.remaining_value ELSE round(t.q * t.unit_cost, 2) END AS amount`,
          [line.itemId, qty],
        );
        const {
          rows: [e],
        } = await client.query<{ amount: string }>(
          `WITH t AS (SELECT * FROM unnest($5::bigint[], $6::numeric[], $7::numeric[]) AS t(layer, q, amount)),
                e AS (INSERT INTO inventory_valuation_entry (item_id, move_line_id, effective_at, direction, method, qty, amount, running_qty, running_value)
                      SELECT $1, $2, $3, 'out', 'fifo', $4, coalesce(sum(t.amount), 0), $8::numeric - $4::numeric, $9::numeric - coalesce(sum(t.amount), 0) FROM t
                      RETURNING id, amount),
                c AS (INSERT INTO inventory_layer_consumption (entry_id, layer_id, qty, amount) SELECT e.id, t.layer, t.q, t.amount FROM e, t)
           SELECT amount FROM e`,
          [line.itemId, ml.id, move.effective_at, qty, taken.rows.map((r) => r.id), taken.rows.map((r) => r.q), taken.rows.map((r) => r.amount), prior.running_qty, prior.running_value],
        );
        amount = e.amount;
      }
      const signed = type === 'receipt' ? '' : '-';
      await client.query(
        `UPDATE inventory_valuation_state SET qty = qty + $2::numeric, value = value + $3::numeric,
                last_unit_cost = CASE WHEN $4::numeric IS NOT NULL AND NOT $6 THEN $4::numeric ELSE last_unit_cost END,
                last_effective_at = greatest(last_effective_at, $5), updated_at = now() WHERE item_id = $1`,
        [line.itemId, `${signed}${qty}`, `${signed}${amount}`, type === 'receipt' ? line.unitCost ?? '0' : null, move.effective_at, backDated],
      );
      await client.query(`UPDATE inventory_move_line SET amount = $2 WHERE id = $1`, [ml.id, amount]);
    }
    const out = {
      id: move.id,
      number: String(move.number),
      type,
      reference: body.reference ?? null,
      effectiveAt: new Date(move.effective_at).toISOString(),
      backDated,
      lines: [{ id: String(ml.id), lineNo: 1, itemId: line.itemId, fromLocationId: from, toLocationId: to, qty, amount }],
    };
    if (o.audit) {
      await client.query(
        `INSERT INTO core_audit (actor_type, actor_id, actor_label, token_id, plugin_id, action, entity_type, entity_id, after)
         VALUES ('api-token', $1, 'bench', $2, 'inventory', 'posted', 'inventory.move', $3, $4::jsonb)`,
        [auth.userId, auth.tokenId, move.id, JSON.stringify(out)],
      );
      await client.query(`INSERT INTO core_outbox (name, source, payload, actor_id) VALUES ('inventory.move.posted', 'inventory', $1::jsonb, $2)`, [
        JSON.stringify(out),
        auth.userId,
      ]);
    }
    await client.query('COMMIT');
    return out;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

/** Register the baseline's POST /api/inventory/moves. */
export function rawMoveRoute(app: FastifyInstance, pool: pg.Pool, o: RawPostOptions): void {
  app.post('/api/inventory/moves', { schema: { body: rawMoveBodySchema } }, async (req, reply) => {
    try {
      return reply.code(201).send(await rawPostMove(pool, req.body as RawMoveBody, baselineAuth(req), o));
    } catch (err) {
      if (err instanceof RawProblem) return reply.code(err.status).send({ title: err.message, status: err.status });
      throw err;
    }
  });
}

// ------------------------------------------------------------------------------------------------
// Latency probes: one client, sequential requests, in setup (before the measured rounds)
// ------------------------------------------------------------------------------------------------

export interface Probe {
  n: number;
  mean: number;
  p50: number;
  p99: number;
  max: number;
}

export function summarize(ms: number[]): Probe {
  const s = [...ms].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
  return { n: s.length, mean: s.reduce((a, b) => a + b, 0) / s.length, p50: at(50), p99: at(99), max: s[s.length - 1] };
}

/** Run `fn(i)` `warmup` times untimed, then `n` times timed, one at a time. */
export async function probe(n: number, warmup: number, fn: (i: number) => Promise<void>): Promise<Probe> {
  for (let i = 0; i < warmup; i++) await fn(-1 - i);
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn(i);
    ms.push(performance.now() - t0);
  }
  return summarize(ms);
}

const ms = (x: number) => `${x.toFixed(2)} ms`;
const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(2)}×` : 'n/a');

/** A small aligned table. */
export function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}
export const fmtMs = ms;
export const fmtRatio = ratio;

// ------------------------------------------------------------------------------------------------
// The scenario
// ------------------------------------------------------------------------------------------------

const NAME = 'inventory-stock-on-hand';

interface State {
  url: string;
  items: number;
  seed: number;
}

interface ItemPanel {
  itemId: string;
  onHand: string;
  locations: { locationId: string; onHand: string }[];
}
interface StockPage {
  data: { itemId: string; locationId: string | null; onHand: string }[];
  total: number;
}
interface RawStock {
  itemId: string;
  onHand: string;
}

const probes: Partial<Record<TargetInfo['kind'], { panel: Probe; list: Probe }>> = {};

function itemFor(state: State, i: number): string {
  return itemIdOf(LEDGER_ITEM, Math.floor(rng(state.seed + i * 7919)() * state.items));
}

async function platformPanel(http: Http, itemId: string) {
  const res = await http.get<ItemPanel>(`/api/inventory/items/${itemId}/stock`);
  check(res.status === 200, `GET /items/${itemId}/stock answered ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`);
  check(res.body.itemId === itemId && Number(res.body.onHand) > 0, `item ${itemId} has stock (got ${res.body.onHand})`);
  return res.body;
}
async function platformList(http: Http, itemId: string) {
  const res = await http.get<StockPage>(`/api/inventory/stock?itemId=${itemId}`);
  check(res.status === 200, `GET /stock?itemId=${itemId} answered ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`);
  check(res.body.data.length > 0 && res.body.data.every((r) => r.itemId === itemId), `stock list of ${itemId} has its rows only`);
  return res.body;
}
async function rawStock(http: Http, path: string, itemId: string) {
  const res = await http.get<RawStock>(path);
  check(res.status === 200, `GET ${path} answered ${res.status}`);
  check(res.body.itemId === itemId && Number(res.body.onHand) > 0, `item ${itemId} has stock (got ${res.body.onHand})`);
  return res.body;
}

/** Both reads of one random item. */
async function iteration(i: number, { target, state }: IterationContext<State>) {
  const http = clientFor(state.url, target.token);
  const itemId = itemFor(state, i);
  if (target.kind === 'platform') {
    const panel = await platformPanel(http, itemId);
    const list = await platformList(http, itemId);
    const listed = list.data.reduce((a, r) => a + Number(r.onHand), 0);
    check(Math.abs(listed - Number(panel.onHand)) < 1e-9, `panel says ${panel.onHand} on hand, the list ${listed}`);
  } else {
    await rawStock(http, `/api/inventory/items/${itemId}/stock`, itemId);
    await rawStock(http, `/api/inventory/stock?itemId=${itemId}`, itemId);
  }
}

/** After seeding: the real API agrees with sums over the ledger rows for a sample of items, and FIFO continues where the seed left off. */
async function verifySeed(target: TargetInfo, url: string, seed: LedgerSeed) {
  const http = createHttp(url, { token: target.token, connections: 1 });
  try {
    await withClient(target.databaseUrl, async (c) => {
      const pick = rng(42);
      const sample = Array.from({ length: 20 }, () => itemIdOf(LEDGER_ITEM, Math.floor(pick() * seed.items)));
      sample.push(seed.hot[0].id);
      for (const itemId of sample) {
        const [truth] = (
          await c.query<{ qty: string; value: string; lines: string }>(
            `SELECT (SELECT coalesce(sum(CASE WHEN to_location_id IS NOT NULL THEN qty ELSE 0 END) - sum(CASE WHEN from_location_id IS NOT NULL THEN qty ELSE 0 END), 0)
                       FROM inventory_move_line WHERE item_id = $1) AS qty,
                    (SELECT coalesce(sum(CASE WHEN direction = 'in' THEN amount ELSE -amount END), 0) FROM inventory_valuation_entry WHERE item_id = $1) AS value,
                    (SELECT count(*) FROM inventory_move_line WHERE item_id = $1) AS lines`,
            [itemId],
          )
        ).rows;
        const panel = await platformPanel(http, itemId);
        check(Number(panel.onHand) === Number(truth.qty), `item ${itemId}: panel on hand ${panel.onHand}, ledger lines sum to ${truth.qty}`);
        const value = (panel as unknown as { value: string | null }).value;
        check(value !== null && Number(value) === Number(truth.value), `item ${itemId}: panel value ${value}, cost ledger sums to ${truth.value}`);
        const list = await platformList(http, itemId);
        check(list.data.reduce((a, r) => a + Number(r.onHand), 0) === Number(truth.qty), `item ${itemId}: stock list disagrees with the ledger`);
      }
      // A FIFO issue through the API takes the oldest open layer the seed left.
      const itemId = sample[0];
      const [layer] = (
        await c.query<{ unit_cost: string }>(`SELECT unit_cost FROM inventory_cost_layer WHERE item_id = $1 AND remaining_qty >= 1 ORDER BY effective_at, id LIMIT 1`, [itemId])
      ).rows;
      const panel = await platformPanel(http, itemId);
      const from = panel.locations.find((l) => Number(l.onHand) >= 1)!.locationId;
      const res = await http.post<{ lines: { amount: string }[] }>('/api/inventory/moves', { type: 'issue', reference: 'bench verify', lines: [{ itemId, qty: '1', fromLocationId: from }] });
      check(res.status === 201, `verification issue answered ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`);
      check(Number(res.body.lines[0].amount) === Number(layer.unit_cost), `verification issue cost ${res.body.lines[0].amount}, oldest open layer costs ${layer.unit_cost}`);
      // And the ledger still adds up for that item afterwards.
      const [after] = (
        await c.query<{ ok: boolean }>(
          `SELECT vs.value = (SELECT sum(CASE WHEN direction = 'in' THEN amount ELSE -amount END) FROM inventory_valuation_entry WHERE item_id = $1)
              AND vs.value = (SELECT sum(remaining_value) FROM inventory_cost_layer WHERE item_id = $1) AS ok
             FROM inventory_valuation_state vs WHERE vs.item_id = $1`,
          [itemId],
        )
      ).rows;
      check(after?.ok, `item ${itemId}: state, entries and layers disagree after the verification issue`);
    });
  } finally {
    await http.close();
  }
}

export default defineScenario<State>({
  name: NAME,
  description: 'GET /api/inventory/items/:id/stock + GET /api/inventory/stock?itemId= for one random item of a seeded ledger',
  requestsPerIteration: 2,

  async setup(target) {
    const scale = ledgerScale();
    const samples = envInt('BENCH_INVENTORY_SAMPLES', 300);
    const url = await inventoryUrl(target);
    const log = (s: string) => say(NAME, `${target.kind}: ${s}`);
    const seed = await seedLedger(target.databaseUrl, scale, log);
    if (target.kind === 'platform') {
      await verifySeed(target, url, seed);
      log(`verified: 21 items' panels and stock lists match the ledger rows; a FIFO issue through the API took the oldest seeded layer`);
    }
    const state: State = { url, items: scale.items, seed: 1 };
    const http = createHttp(url, { token: target.token, connections: 1 });
    try {
      const pathOf = (kind: 'panel' | 'list', itemId: string) => (kind === 'panel' ? `/api/inventory/items/${itemId}/stock` : `/api/inventory/stock?itemId=${itemId}`);
      const run = (kind: 'panel' | 'list') =>
        probe(samples, 20, async (i) => {
          const itemId = itemFor({ ...state, seed: 1_000_003 }, i);
          if (target.kind === 'platform') await (kind === 'panel' ? platformPanel(http, itemId) : platformList(http, itemId));
          else await rawStock(http, pathOf(kind, itemId), itemId);
        });
      probes[target.kind] = { panel: await run('panel'), list: await run('list') };
    } finally {
      await http.close();
    }
    const p = probes.platform;
    const b = probes.baseline;
    if (target.kind === 'baseline' && p && b) {
      const row = (label: string, x: Probe, y: Probe) => [label, fmtMs(x.p50), fmtMs(x.p99), fmtMs(y.p50), fmtMs(y.p99), ratio(x.p50, y.p50), ratio(x.p99, y.p99), x.p99 < 10 ? 'yes' : 'NO'];
      console.log(
        `\n== ${NAME}: one client, ${fmt(samples)} random items of ${fmt(scale.items)}, ${fmt(scale.moves)} seeded moves (baseline: SELECT sum(on_hand), sum(reserved) FROM inventory_balance WHERE item_id = $1)\n` +
          table([
            ['endpoint', 'platform p50', 'platform p99', 'baseline p50', 'baseline p99', 'p50 ratio', 'p99 ratio', 'p99 < 10 ms'],
            row('GET /api/inventory/items/:id/stock', p.panel, b.panel),
            row('GET /api/inventory/stock?itemId=', p.list, b.list),
          ]),
      );
    }
    return state;
  },

  /**
   * The brief's baseline: "how many" is one indexed aggregate over the maintained balances. It
   * deliberately does less than the platform's item panel (item row, per-location and lot rows with
   * names, units, valuation method and value) and stock list (names, value, total count).
   */
  baselineRoutes(app, { pool }) {
    closeWithBaseline(app);
    const onHand = async (itemId: string) => {
      const { rows } = await pool.query<{ on_hand: string | null; reserved: string | null }>(
        `SELECT sum(on_hand) AS on_hand, sum(reserved) AS reserved FROM inventory_balance WHERE item_id = $1`,
        [itemId],
      );
      return { itemId, onHand: rows[0].on_hand ?? '0', reserved: rows[0].reserved ?? '0' };
    };
    app.get(
      '/api/inventory/items/:id/stock',
      { schema: { params: { type: 'object', required: ['id'], properties: { id: { type: 'string', pattern: UUID_PATTERN } } } } },
      async (req) => onHand((req.params as { id: string }).id),
    );
    app.get(
      '/api/inventory/stock',
      { schema: { querystring: { type: 'object', required: ['itemId'], properties: { itemId: { type: 'string', pattern: UUID_PATTERN } } } } },
      async (req) => onHand((req.query as { itemId: string }).itemId),
    );
  },

  platform: iteration,
  baseline: iteration,
});
