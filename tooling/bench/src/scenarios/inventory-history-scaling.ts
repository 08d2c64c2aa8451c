/**
 * inventory-history-scaling: does the cost of history-dependent operations grow with the size of
 * the ledger? At each size in BENCH_INVENTORY_SCALING_MOVES (default "100000,1000000"; the same
 * seeder as inventory-stock-on-hand, BENCH_INVENTORY_ITEMS items), one client times:
 *
 * - (a) `GET /api/inventory/reports/valuation?asOf=<date>` (every item's value at a past date),
 *   BENCH_INVENTORY_REPORT_SAMPLES times (default 15);
 * - (b) a back-dated receipt via `POST /api/inventory/moves` for a hot item (hourly moves, 10% of
 *   the ledger between ten of them), dated one day before its last move, so the cost ledger has to
 *   replay the day after it; BENCH_INVENTORY_SAMPLES times (default 300), round-robin over the hot
 *   items;
 * - (c) for reference, the same receipt dated now (an append, nothing to replay).
 *
 * against the raw baseline (plain Fastify + pg): the same report query, and a hand-written
 * back-dated receipt that shifts the running totals of the later entries (see `rawPostMove`). It
 * prints times at each size and the growth factor smallest → largest size (target: at most the
 * growth in moves; ideally ~1× for (b), since only the suffix after the date is replayed).
 * The measured rounds afterwards post back-dated receipts at the largest size under load.
 */
import { check, defineScenario, type IterationContext, type TargetInfo } from '../scenario.js';
import { createHttp, type Http } from '../http.js';
import {
  clientFor,
  closeWithBaseline,
  envInt,
  fmt,
  fmtMs,
  fmtRatio,
  inventoryUrl,
  ledgerScale,
  locationIdOf,
  probe,
  rawMoveRoute,
  seedLedger,
  table,
  type LedgerSeed,
  type Probe,
} from './inventory-stock-on-hand.js';

const NAME = 'inventory-history-scaling';

interface State {
  url: string;
  hot: { id: string; lastAt: string }[];
  locationId: string;
}

interface SizeResult {
  moves: number;
  seed: LedgerSeed;
  report: Probe;
  backDated: Probe;
  appended: Probe;
  rows: number;
  suffix: number;
}

const results: Partial<Record<TargetInfo['kind'], SizeResult[]>> = {};

function sizes(): number[] {
  const raw = process.env.BENCH_INVENTORY_SCALING_MOVES ?? '100000,1000000';
  const list = raw.split(',').map((s) => Number(s.trim().replace(/_/g, '')));
  if (!list.length || list.some((n) => !Number.isFinite(n) || n < 1)) throw new Error(`BENCH_INVENTORY_SCALING_MOVES must be a comma-separated list of move counts, got "${raw}"`);
  return list.map(Math.floor).sort((a, b) => a - b);
}

const dayBefore = (iso: string) => new Date(new Date(iso).getTime() - 86_400_000).toISOString();
/** A date a few days before the seed ends: the report values every item as of the end of that day. */
const reportDate = (seed: LedgerSeed) => new Date(new Date(seed.endAt).getTime() - 3 * 86_400_000).toISOString().slice(0, 10);

async function backDatedReceipt(http: Http, kind: TargetInfo['kind'], item: { id: string; lastAt: string }, locationId: string, effectiveAt?: string) {
  const res = await http.post<{ backDated?: boolean; lines: { amount: string | null }[] }>('/api/inventory/moves', {
    type: 'receipt',
    reference: 'bench back-dated receipt',
    ...(effectiveAt ? { effectiveAt } : {}),
    lines: [{ itemId: item.id, qty: '10', toLocationId: locationId, unitCost: '3.00' }],
  });
  check(res.status === 201, `${kind}: receipt for ${item.id} answered ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`);
  check(res.body.backDated === !!effectiveAt, `${kind}: receipt ${effectiveAt ? 'dated ' + effectiveAt : 'dated now'} reported backDated=${res.body.backDated}`);
  check(Number(res.body.lines[0].amount) === 30, `${kind}: receipt valued at ${res.body.lines[0].amount}, expected 30.00`);
}

async function report(http: Http, kind: TargetInfo['kind'], asOf: string) {
  const res = await http.get<{ totalValue: string; rows: unknown[] }>(`/api/inventory/reports/valuation?asOf=${asOf}`);
  check(res.status === 200, `${kind}: valuation report answered ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`);
  check(res.body.rows.length > 0 && Number(res.body.totalValue) > 0, `${kind}: valuation report has rows and value`);
  return res.body;
}

/** The cost ledger of `itemIds` still adds up: state = Σ entries = Σ open layers = last running total. */
async function ledgerConsistent(databaseUrl: string, itemIds: string[]) {
  const { default: pg } = await import('pg');
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    const { rows } = await c.query<{ item_id: string; ok: boolean }>(
      `SELECT vs.item_id,
              vs.value = (SELECT sum(CASE WHEN direction = 'in' THEN amount ELSE -amount END) FROM inventory_valuation_entry e WHERE e.item_id = vs.item_id)
          AND vs.value = (SELECT sum(remaining_value) FROM inventory_cost_layer l WHERE l.item_id = vs.item_id)
          AND vs.value = (SELECT running_value FROM inventory_valuation_entry e WHERE e.item_id = vs.item_id ORDER BY effective_at DESC, id DESC LIMIT 1)
          AND vs.qty = (SELECT running_qty FROM inventory_valuation_entry e WHERE e.item_id = vs.item_id ORDER BY effective_at DESC, id DESC LIMIT 1) AS ok
         FROM inventory_valuation_state vs WHERE vs.item_id = ANY($1::uuid[])`,
      [itemIds],
    );
    const bad = rows.filter((r) => !r.ok).map((r) => r.item_id);
    check(rows.length === itemIds.length && !bad.length, `cost ledger inconsistent for ${bad.join(', ') || 'missing items'}`);
  } finally {
    await c.end();
  }
}

/** The report's total as of `asOf` from the entries directly (no running totals). */
async function reportTruth(databaseUrl: string, asOf: string): Promise<string> {
  const { default: pg } = await import('pg');
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    const { rows } = await c.query<{ total: string }>(
      `SELECT coalesce(sum(CASE WHEN direction = 'in' THEN amount ELSE -amount END), 0) AS total FROM inventory_valuation_entry WHERE effective_at < ($1::date + 1)::timestamptz`,
      [asOf],
    );
    return rows[0].total;
  } finally {
    await c.end();
  }
}

async function suffixOf(databaseUrl: string, item: { id: string; lastAt: string }): Promise<number> {
  const { default: pg } = await import('pg');
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    const { rows } = await c.query<{ n: string }>(`SELECT count(*) AS n FROM inventory_valuation_entry WHERE item_id = $1 AND effective_at > $2`, [item.id, dayBefore(item.lastAt)]);
    return Number(rows[0].n);
  } finally {
    await c.end();
  }
}

async function iteration(i: number, { target, state }: IterationContext<State>) {
  const item = state.hot[i >= 0 ? i % state.hot.length : 0];
  await backDatedReceipt(clientFor(state.url, target.token), target.kind, item, state.locationId, dayBefore(item.lastAt));
}

function printResults() {
  const p = results.platform;
  const b = results.baseline;
  if (!p || !b) return;
  const rows: string[][] = [['operation', 'moves', 'platform p50', 'platform p99', 'baseline p50', 'baseline p99', 'p50 ratio']];
  const ops: [string, (r: SizeResult) => Probe][] = [
    ['(a) valuation report asOf', (r) => r.report],
    ['(b) back-dated receipt, hot item', (r) => r.backDated],
    ['(c) receipt dated now, hot item', (r) => r.appended],
  ];
  const first = 0;
  const last = p.length - 1;
  for (const [label, get] of ops) {
    p.forEach((r, k) => rows.push([k === 0 ? label : '', fmt(r.moves), fmtMs(get(r).p50), fmtMs(get(r).p99), fmtMs(get(b[k]).p50), fmtMs(get(b[k]).p99), fmtRatio(get(r).p50, get(b[k]).p50)]));
    if (last > first) {
      rows.push([
        '',
        `growth ×${(p[last].moves / p[first].moves).toFixed(0)}`,
        fmtRatio(get(p[last]).p50, get(p[first]).p50),
        fmtRatio(get(p[last]).p99, get(p[first]).p99),
        fmtRatio(get(b[last]).p50, get(b[first]).p50),
        fmtRatio(get(b[last]).p99, get(b[first]).p99),
        '',
      ]);
    }
  }
  const details = p
    .map(
      (r) =>
        `${fmt(r.moves)} moves: report ${fmt(r.rows)} item rows; hot items ${fmt(r.seed.hot[0].moves)} moves each, ` +
        `${r.suffix} valuation entries after the back-dated point (${r.backDated.n} back-dated / ${r.appended.n} appended / ${r.report.n} report samples)`,
    )
    .join('\n');
  console.log(`\n== ${NAME}: one client, times by ledger size (growth = largest / smallest size)\n${table(rows)}\n${details}`);
}

export default defineScenario<State>({
  name: NAME,
  description: 'back-dated receipt (one day before the last move) for a hot item at the largest ledger size',
  requestsPerIteration: 1,

  async setup(target) {
    const { items, locations } = ledgerScale();
    const moveSizes = sizes();
    const samples = envInt('BENCH_INVENTORY_SAMPLES', 300);
    const reportSamples = envInt('BENCH_INVENTORY_REPORT_SAMPLES', 15);
    const url = await inventoryUrl(target);
    const log = (s: string) => console.log(`  [${NAME}] ${target.kind}: ${s}`);
    const http = createHttp(url, { token: target.token, connections: 1 });
    const out: SizeResult[] = [];
    let state: State | null = null;
    try {
      for (const moves of moveSizes) {
        const seed = await seedLedger(target.databaseUrl, { items, moves, locations }, log);
        const asOf = reportDate(seed);
        const locationId = locationIdOf(0);
        const suffix = await suffixOf(target.databaseUrl, seed.hot[0]);
        // (a) first, while the ledger is exactly as seeded: its total must match the entries.
        const truth = await reportTruth(target.databaseUrl, asOf);
        const first = await report(http, target.kind, asOf);
        check(Number(first.totalValue) === Number(truth), `${target.kind}: report total ${first.totalValue} as of ${asOf}, entries sum to ${truth}`);
        const rep = await probe(reportSamples, 2, async () => void (await report(http, target.kind, asOf)));
        const back = await probe(samples, 10, async (i) => {
          const item = seed.hot[Math.abs(i) % seed.hot.length];
          await backDatedReceipt(http, target.kind, item, locationId, dayBefore(item.lastAt));
        });
        const app = await probe(samples, 10, async (i) => backDatedReceipt(http, target.kind, seed.hot[Math.abs(i) % seed.hot.length], locationId));
        await ledgerConsistent(target.databaseUrl, seed.hot.map((h) => h.id));
        log(`${fmt(moves)} moves: report p50 ${fmtMs(rep.p50)}, back-dated receipt p50 ${fmtMs(back.p50)}, appended receipt p50 ${fmtMs(app.p50)}; hot items' cost ledgers still add up`);
        out.push({ moves, seed, report: rep, backDated: back, appended: app, rows: first.rows.length, suffix });
        state = { url, hot: seed.hot.map((h) => ({ id: h.id, lastAt: h.lastAt })), locationId };
      }
    } finally {
      await http.close();
    }
    results[target.kind] = out;
    if (target.kind === 'baseline') printResults();
    return state!;
  },

  /**
   * The report is the platform's own query (the running totals of each item's last entry before
   * the instant) with the rows returned as they come; the receipt is `rawPostMove` with the cost
   * ledger, audit row and outbox event — the same rows, but it shifts the later entries' running
   * totals in one UPDATE instead of replaying FIFO for them.
   */
  baselineRoutes(app, { pool }) {
    closeWithBaseline(app);
    rawMoveRoute(app, pool, { valuation: true, audit: true });
    app.get(
      '/api/inventory/reports/valuation',
      { schema: { querystring: { type: 'object', required: ['asOf'], properties: { asOf: { type: 'string', format: 'date' } } } } },
      async (req) => {
        const asOf = new Date(`${(req.query as { asOf: string }).asOf}T00:00:00.000Z`).getTime() + 86_400_000;
        const { rows } = await pool.query<{ item_id: string; name: string; qty: string; value: string }>(
          `SELECT i.id AS item_id, i.name, e.running_qty AS qty, e.running_value AS value
             FROM inventory_valuation_state vs JOIN core_item i ON i.id = vs.item_id
             CROSS JOIN LATERAL (SELECT running_qty, running_value FROM inventory_valuation_entry x
                                  WHERE x.item_id = vs.item_id AND x.effective_at < $1 ORDER BY x.effective_at DESC, x.id DESC LIMIT 1) e
            ORDER BY i.name`,
          [new Date(asOf)],
        );
        // Total in ten-thousandths (numeric(20,4)), exact.
        let total = 0n;
        for (const r of rows) {
          const [w, f = ''] = r.value.replace('-', '').split('.');
          const v = BigInt(w) * 10000n + BigInt((f + '0000').slice(0, 4));
          total += r.value.startsWith('-') ? -v : v;
        }
        const abs = total < 0n ? -total : total;
        return {
          asOf: new Date(asOf).toISOString(),
          totalValue: `${total < 0n ? '-' : ''}${abs / 10000n}.${String(abs % 10000n).padStart(4, '0').slice(0, 2)}`,
          rows: rows.map((r) => ({ key: r.item_id, label: r.name, qty: r.qty, value: r.value })),
        };
      },
    );
  },

  platform: iteration,
  baseline: iteration,
});
