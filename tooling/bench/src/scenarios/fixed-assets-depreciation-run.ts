/**
 * fixed-assets-depreciation-run: a period's depreciation run over a large register in two books.
 *
 * Setup seeds BENCH_FA_ASSETS (default 100,000) in-service assets in SQL on each target's database,
 * each in two books: `financial` (straight-line, monthly, 3–10 years, some salvage, placed in
 * service over the last six years, so some are fully depreciated) and `tax` (MACRS 5 or 7 years,
 * half-year convention, yearly). Then, timed:
 *
 * - platform: `POST /api/fixed-assets/depreciation/runs` for the last complete month of the
 *   financial book and the last complete year of the tax book, polling `GET /depreciation/runs/:id`
 *   until each completes — the real path: batches streamed by keyset, schedules computed by the
 *   domain functions in decimal arithmetic, entries, running totals, journal per category, audit
 *   and outbox;
 * - baseline: the same inserts in hand-written SQL, batch by batch with the same batch size and
 *   keyset (entries with amounts computed in SQL — straight-line per month, MACRS rate table per
 *   year — the running-total update, the run row and one journal entry with lines per category).
 *
 * Printed: seconds per book and in all, peak heap and RSS growth of this process during the run
 * (the platform runs in-process; PostgreSQL is separate), entries posted, and platform/baseline
 * ratios. Target: under 30 s for both books on a 2-core machine, with memory flat in the register
 * size (streaming, not loading everything). The measured rounds afterwards poll a run's progress,
 * as the console's run wizard does.
 */
import pg from 'pg';
import { check, defineScenario, type IterationContext, type TargetInfo } from '../scenario.js';
import { createHttp } from '../http.js';
import { clientFor, envInt, fmt, table } from './inventory-stock-on-hand.js';
import { closeWithBaseline, pluginPlatformUrl, type PluginSetup } from '../plugin-platforms.js';

const NAME = 'fixed-assets-depreciation-run';
const BATCH = 1000; // the plugin's default runBatchSize

interface State {
  url: string;
  runIds: string[];
}

interface Timing {
  book: string;
  periodEnd: string;
  seconds: number;
  entries: number;
  total: string;
  peakHeapMiB: number;
  peakRssMiB: number;
}

const timings: Partial<Record<TargetInfo['kind'], Timing[]>> = {};

const FIXED_ASSETS: PluginSetup = {
  key: 'fixed-assets',
  plugins: async () => [(await import('@quartermaster/plugin-fixed-assets/server')).fixedAssetsPlugin],
  options: { 'fixed-assets': { overdueSweepSeconds: 0, runBatchSize: BATCH } },
};

// ------------------------------------------------------------------------------------------------
// Periods and seed
// ------------------------------------------------------------------------------------------------

const iso = (d: Date) => d.toISOString().slice(0, 10);
/** Last day of the month before the current one (UTC). */
function lastCompleteMonthEnd(): string {
  const now = new Date();
  return iso(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 0)));
}
const lastCompleteYearEnd = () => `${new Date().getUTCFullYear() - 1}-12-31`;

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/**
 * The register, generated in SQL (deterministic per asset number, so both databases hold the same
 * assets): 20 categories, costs 500–50,000, financial life 3–10 years with 0 or 10% salvage,
 * placed in service on the 1st of a month over the six years before the financial period.
 */
async function seedRegister(url: string, assets: number, financialEnd: string, log: (s: string) => void): Promise<void> {
  await withClient(url, async (c) => {
    const { rows } = await c.query<{ n: string }>(`SELECT count(*) AS n FROM fixed_assets_asset WHERE tag LIKE 'BENCH-%'`);
    if (Number(rows[0].n) >= assets) return log(`register already seeded (${fmt(Number(rows[0].n))} assets)`);
    const t0 = performance.now();
    await c.query('BEGIN');
    await c.query(`SET LOCAL session_replication_role = replica`); // bulk seed: skip FK triggers
    await c.query(
      `INSERT INTO core_category (id, name)
       SELECT md5('bench-fa-cat-' || g)::uuid, 'Bench asset class ' || g FROM generate_series(1, 20) g
       ON CONFLICT DO NOTHING`,
    );
    await c.query(
      `INSERT INTO fixed_assets_asset (id, tag, name, category_id, purchase_date, acquisition_cost, currency, status)
       SELECT md5('bench-fa-' || g)::uuid, 'BENCH-' || lpad(g::text, 7, '0'), 'Bench asset ' || g,
              md5('bench-fa-cat-' || (1 + g % 20))::uuid,
              (date_trunc('month', $2::date) - ((g % 72) || ' months')::interval)::date,
              500 + (g * 7919 % 49500), 'EUR', 'in-service'
         FROM generate_series(1, $1::int) g`,
      [assets, financialEnd],
    );
    await c.query(
      `INSERT INTO fixed_assets_asset_book (asset_id, book_code, method, cost_basis, salvage_value, useful_life_years, convention, placed_in_service)
       SELECT a.id, 'financial', 'straight-line', a.acquisition_cost,
              CASE WHEN g % 3 = 0 THEN round(a.acquisition_cost * 0.1, 2) ELSE 0 END, 3 + g % 8, 'full-month', a.purchase_date
         FROM generate_series(1, $1::int) g JOIN fixed_assets_asset a ON a.id = md5('bench-fa-' || g)::uuid`,
      [assets],
    );
    await c.query(
      `INSERT INTO fixed_assets_asset_book (asset_id, book_code, method, cost_basis, recovery_period_years, convention, placed_in_service)
       SELECT a.id, 'tax', 'macrs', a.acquisition_cost, CASE WHEN g % 2 = 0 THEN 5 ELSE 7 END, 'half-year', a.purchase_date
         FROM generate_series(1, $1::int) g JOIN fixed_assets_asset a ON a.id = md5('bench-fa-' || g)::uuid`,
      [assets],
    );
    await c.query('COMMIT');
    await c.query('ANALYZE fixed_assets_asset; ANALYZE fixed_assets_asset_book');
    log(`seeded ${fmt(assets)} assets × 2 books in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  });
}

/** Sample this process's heap and RSS while `fn` runs; growth over the start, in MiB. */
async function measured<T>(fn: () => Promise<T>): Promise<{ value: T; seconds: number; peakHeapMiB: number; peakRssMiB: number }> {
  const start = process.memoryUsage();
  let heap = start.heapUsed;
  let rss = start.rss;
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    heap = Math.max(heap, m.heapUsed);
    rss = Math.max(rss, m.rss);
  }, 20);
  const t0 = performance.now();
  try {
    const value = await fn();
    return { value, seconds: (performance.now() - t0) / 1000, peakHeapMiB: (heap - start.heapUsed) / 2 ** 20, peakRssMiB: (rss - start.rss) / 2 ** 20 };
  } finally {
    clearInterval(timer);
  }
}

// ------------------------------------------------------------------------------------------------
// Platform: the real run through the API
// ------------------------------------------------------------------------------------------------

interface RunOut {
  id: string;
  status: 'running' | 'completed' | 'failed';
  assetsTotal: number;
  assetsDone: number;
  totalAmount: string;
  journalEntryId: string | null;
  error: string | null;
}

async function platformRun(url: string, token: string, book: string, periodEnd: string): Promise<RunOut> {
  const http = createHttp(url, { token, connections: 1 });
  try {
    const started = await http.post<RunOut>('/api/fixed-assets/depreciation/runs', { book, periodEnd });
    check(started.status === 202, `platform: starting the ${book} run answered ${started.status}: ${JSON.stringify(started.body).slice(0, 300)}`);
    for (;;) {
      const res = await http.get<RunOut>(`/api/fixed-assets/depreciation/runs/${started.body.id}`);
      check(res.status === 200, `platform: run progress answered ${res.status}`);
      if (res.body.status === 'failed') throw new Error(`platform: the ${book} run failed: ${res.body.error}`);
      if (res.body.status === 'completed') return res.body;
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    await http.close();
  }
}

/** What the platform posted adds up: entries = run total = journal debits = credits, one entry per asset at most. */
async function verifyPlatform(url: string, runId: string, book: string): Promise<{ entries: number; total: string }> {
  return withClient(url, async (c) => {
    const { rows } = await c.query<{ entries: string; assets: string; total: string; run_total: string; debit: string; credit: string }>(
      `SELECT (SELECT count(*) FROM fixed_assets_depreciation_entry WHERE run_id = $1) AS entries,
              (SELECT count(DISTINCT asset_id) FROM fixed_assets_depreciation_entry WHERE run_id = $1) AS assets,
              (SELECT coalesce(sum(amount), 0)::text FROM fixed_assets_depreciation_entry WHERE run_id = $1) AS total,
              (SELECT total_amount::text FROM fixed_assets_depreciation_run WHERE id = $1) AS run_total,
              (SELECT coalesce(sum(debit), 0)::text FROM fixed_assets_journal_line l JOIN fixed_assets_depreciation_run r ON r.journal_entry_id = l.entry_id WHERE r.id = $1) AS debit,
              (SELECT coalesce(sum(credit), 0)::text FROM fixed_assets_journal_line l JOIN fixed_assets_depreciation_run r ON r.journal_entry_id = l.entry_id WHERE r.id = $1) AS credit`,
      [runId],
    );
    const r = rows[0];
    check(Number(r.entries) > 0 && r.entries === r.assets, `platform ${book}: ${r.entries} entries for ${r.assets} assets`);
    check(r.total === r.run_total && r.total === r.debit && r.debit === r.credit, `platform ${book}: entries ${r.total}, run ${r.run_total}, journal Dr ${r.debit} / Cr ${r.credit}`);
    return { entries: Number(r.entries), total: r.total };
  });
}

// ------------------------------------------------------------------------------------------------
// Baseline: the same inserts in hand-written SQL
// ------------------------------------------------------------------------------------------------

/** MACRS GDS half-year percentages (Pub 946 Table A-1), 5- and 7-year property. */
const MACRS_HALF_YEAR: Record<number, number[]> = {
  5: [20.0, 32.0, 19.2, 11.52, 11.52, 5.76],
  7: [14.29, 24.49, 17.49, 12.49, 8.93, 8.92, 8.93, 4.46],
};
const MACRS_VALUES = Object.entries(MACRS_HALF_YEAR)
  .flatMap(([p, rates]) => rates.map((r, i) => `(${p}, ${i + 1}, ${r})`))
  .join(', ');

/**
 * One book's run the raw way: a run row, then per keyset batch of BATCH asset books one transaction
 * inserting the entries (amount computed in SQL) and adding them to the running totals, then the
 * journal entry with a debit and a credit line per category.
 */
async function baselineRun(url: string, book: 'financial' | 'tax', periodStart: string, periodEnd: string): Promise<{ entries: number; total: string }> {
  return withClient(url, async (c) => {
    const { rows: run } = await c.query<{ id: string }>(
      `INSERT INTO fixed_assets_depreciation_run (book_code, period_start, period_end, status, started_by_label) VALUES ($1, $2, $3, 'running', 'bench') RETURNING id`,
      [book, periodStart, periodEnd],
    );
    const runId = run[0].id;
    // Straight-line full-month: (cost − salvage) / months for each month in service, capped at the depreciable amount.
    const amountSql =
      book === 'financial'
        ? `least(round((ab.cost_basis - ab.salvage_value) / (ab.useful_life_years * 12), 2),
                 ab.cost_basis - ab.salvage_value - ab.posted_accumulated)`
        : `round(ab.cost_basis * coalesce((SELECT m.pct FROM (VALUES ${MACRS_VALUES}) m(p, y, pct)
                  WHERE m.p = ab.recovery_period_years AND m.y = extract(year FROM $3::date)::int - extract(year FROM ab.placed_in_service)::int + 1), 0) / 100, 2)`;
    let after: string | null = null;
    for (;;) {
      await c.query('BEGIN');
      const { rows }: { rows: { last: string | null; n: string }[] } = await c.query(
        `WITH batch AS (
           SELECT ab.asset_id, ab.cost_basis, ab.salvage_value, ab.useful_life_years, ab.recovery_period_years, ab.placed_in_service, ab.posted_accumulated, a.category_id
             FROM fixed_assets_asset_book ab JOIN fixed_assets_asset a ON a.id = ab.asset_id
            WHERE ab.book_code = $1 AND ab.placed_in_service <= $3::date AND a.status <> 'disposed' AND ($4::uuid IS NULL OR ab.asset_id > $4::uuid)
            ORDER BY ab.asset_id LIMIT ${BATCH}),
         due AS (SELECT ab.asset_id, ab.category_id, ab.cost_basis, ab.posted_accumulated, ${amountSql} AS amount FROM batch ab),
         e AS (
           INSERT INTO fixed_assets_depreciation_entry (asset_id, book_code, period_start, period_end, run_id, category_id, amount, accumulated, book_value)
           SELECT asset_id, $1, $2::date, $3::date, $5, category_id, amount, posted_accumulated + amount, cost_basis - posted_accumulated - amount FROM due WHERE amount > 0
           RETURNING asset_id, amount),
         u AS (
           UPDATE fixed_assets_asset_book ab SET posted_accumulated = ab.posted_accumulated + e.amount, posted_through = $3::date, updated_at = now()
             FROM e WHERE ab.asset_id = e.asset_id AND ab.book_code = $1 RETURNING 1)
         SELECT (SELECT max(asset_id::text) FROM batch) AS last, (SELECT count(*) FROM u) AS n`,
        [book, periodStart, periodEnd, after, runId],
      );
      await c.query(`UPDATE fixed_assets_depreciation_run SET assets_done = assets_done + $2, last_asset_id = $3 WHERE id = $1`, [runId, BATCH, rows[0].last]);
      await c.query('COMMIT');
      if (!rows[0].last) break;
      after = rows[0].last;
    }
    await c.query('BEGIN');
    const { rows: totals } = await c.query<{ entries: string; total: string }>(
      `WITH sums AS (SELECT category_id, sum(amount) AS amount FROM fixed_assets_depreciation_entry WHERE run_id = $1 GROUP BY category_id),
       je AS (INSERT INTO fixed_assets_journal_entry (book_code, entry_date, source, source_id, description, currency, posted_by_label)
              VALUES ($2, $3::date, 'depreciation-run', $1, 'bench', 'EUR', 'bench') RETURNING id),
       lines AS (INSERT INTO fixed_assets_journal_line (entry_id, line_no, account, debit, credit, category_id)
                 SELECT je.id, row_number() OVER (), x.account, x.debit, x.credit, x.category_id FROM je,
                        LATERAL (SELECT '6800' AS account, s.amount AS debit, 0 AS credit, s.category_id FROM sums s
                                 UNION ALL SELECT '1590', 0, s.amount, s.category_id FROM sums s) x RETURNING 1)
       SELECT (SELECT count(*) FROM fixed_assets_depreciation_entry WHERE run_id = $1) AS entries,
              (SELECT coalesce(sum(amount), 0)::text FROM sums) AS total, (SELECT count(*) FROM lines) AS lines`,
      [runId, book, periodEnd],
    );
    await c.query(`UPDATE fixed_assets_depreciation_run SET status = 'completed', finished_at = now(), total_amount = $2 WHERE id = $1`, [runId, totals[0].total]);
    await c.query('COMMIT');
    return { entries: Number(totals[0].entries), total: totals[0].total };
  });
}

// ------------------------------------------------------------------------------------------------
// The scenario
// ------------------------------------------------------------------------------------------------

function printTimings() {
  const p = timings.platform;
  const b = timings.baseline;
  if (!p || !b) return;
  const rows = [['book', 'period end', 'platform s', 'baseline s', 'ratio', 'entries (platform / baseline)', 'peak heap MiB p / b', 'peak RSS MiB p / b']];
  for (let i = 0; i < p.length; i++) {
    rows.push([
      p[i].book,
      p[i].periodEnd,
      p[i].seconds.toFixed(1),
      b[i].seconds.toFixed(1),
      `${(p[i].seconds / b[i].seconds).toFixed(2)}×`,
      `${fmt(p[i].entries)} / ${fmt(b[i].entries)}`,
      `${p[i].peakHeapMiB.toFixed(0)} / ${b[i].peakHeapMiB.toFixed(0)}`,
      `${p[i].peakRssMiB.toFixed(0)} / ${b[i].peakRssMiB.toFixed(0)}`,
    ]);
  }
  const total = (t: Timing[]) => t.reduce((a, x) => a + x.seconds, 0);
  rows.push(['both books', '', total(p).toFixed(1), total(b).toFixed(1), `${(total(p) / total(b)).toFixed(2)}×`, '', '', '']);
  console.log(
    `\n== ${NAME}: ${fmt(envInt('BENCH_FA_ASSETS', 100_000))} assets × 2 books, batches of ${BATCH} (target: both books under 30 s: ${total(p) < 30 ? 'yes' : 'NO'})\n` + table(rows),
  );
}

async function iteration(i: number, { target, state }: IterationContext<State>) {
  const http = clientFor(state.url, target.token);
  const id = state.runIds[Math.abs(i) % state.runIds.length];
  const res = await http.get<{ id: string; status: string }>(`/api/fixed-assets/depreciation/runs/${id}`);
  check(res.status === 200 && res.body.id === id && res.body.status === 'completed', `${target.kind}: run ${id} answered ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
}

export default defineScenario<State>({
  name: NAME,
  description: 'a depreciation period run over BENCH_FA_ASSETS assets in two books (setup, timed), then GET /api/fixed-assets/depreciation/runs/:id (progress polls)',

  async setup(target) {
    const assets = envInt('BENCH_FA_ASSETS', 100_000);
    const url = await pluginPlatformUrl(FIXED_ASSETS, target);
    const log = (s: string) => console.log(`[${NAME}] ${target.kind}: ${s}`);
    const financialEnd = lastCompleteMonthEnd();
    const taxEnd = lastCompleteYearEnd();
    await seedRegister(target.databaseUrl, assets, financialEnd, log);
    const periods = [
      { book: 'financial' as const, start: `${financialEnd.slice(0, 8)}01`, end: financialEnd },
      { book: 'tax' as const, start: `${taxEnd.slice(0, 4)}-01-01`, end: taxEnd },
    ];
    const results: Timing[] = [];
    const runIds: string[] = [];
    for (const p of periods) {
      if (target.kind === 'platform') {
        const m = await measured(() => platformRun(url, target.token, p.book, p.end));
        const v = await verifyPlatform(target.databaseUrl, m.value.id, p.book);
        runIds.push(m.value.id);
        results.push({ book: p.book, periodEnd: p.end, seconds: m.seconds, entries: v.entries, total: v.total, peakHeapMiB: m.peakHeapMiB, peakRssMiB: m.peakRssMiB });
      } else {
        const m = await measured(() => baselineRun(target.databaseUrl, p.book, p.start, p.end));
        const [row] = await withClient(target.databaseUrl, async (c) => (await c.query<{ id: string }>(`SELECT id FROM fixed_assets_depreciation_run WHERE book_code = $1 AND period_end = $2`, [p.book, p.end])).rows);
        runIds.push(row.id);
        results.push({ book: p.book, periodEnd: p.end, seconds: m.seconds, entries: m.value.entries, total: m.value.total, peakHeapMiB: m.peakHeapMiB, peakRssMiB: m.peakRssMiB });
      }
      const r = results[results.length - 1];
      log(`${p.book} run for the period ending ${p.end}: ${r.seconds.toFixed(1)} s, ${fmt(r.entries)} entries, total ${r.total}`);
    }
    timings[target.kind] = results;
    if (target.kind === 'baseline') printTimings();
    return { url, runIds };
  },

  baselineRoutes(app, { pool }) {
    closeWithBaseline(app);
    app.get('/api/fixed-assets/depreciation/runs/:id', async (req, reply) => {
      const { rows } = await pool.query(
        `SELECT id, book_code AS book, period_start::text AS "periodStart", period_end::text AS "periodEnd", status, assets_total AS "assetsTotal", assets_done AS "assetsDone",
                total_amount::text AS "totalAmount", journal_entry_id::text AS "journalEntryId", error FROM fixed_assets_depreciation_run WHERE id = $1`,
        [(req.params as { id: string }).id],
      );
      if (!rows[0]) return reply.code(404).send({ title: 'No such run', status: 404 });
      return rows[0];
    });
  },

  platform: iteration,
  baseline: iteration,
});
