/**
 * Depreciation books and period runs. The schedules come from the pure functions in
 * domain/depreciation; this file decides what is due for a period and posts it.
 *
 * What a run posts for an asset is "scheduled accumulated depreciation at the period's end, less
 * what has been posted already (the opening balance included)". So a period posts once, an asset
 * placed in service late catches up in its first run, and a run that stopped half-way resumes
 * without posting anything twice (entries are keyed by asset, book and period).
 */
import { ProblemError, problems, type Actor, type PluginContext } from '@quartermaster/sdk';
import {
  DepreciationInputError,
  adjustedSchedule,
  depreciationSchedule,
  scheduledAccumulatedAt,
  type AdjustmentKind,
  type DepreciationInput,
  type DepreciationMethod,
  type ScheduleAdjustment,
  type ScheduleRow,
} from '../../domain/depreciation/index.js';
import { FiscalCalendar, dayNumber, isoDate, parseFiscalYearStart, parseIsoDate } from '../../domain/depreciation/fiscal-calendar.js';
import { ZERO, amountText, dec, type Dec } from '../../domain/money.js';
import { DepreciationPosted, DepreciationRunStarted } from '../../shared/depreciation-events.js';
import { readerOf, type Db } from './db.js';

export interface Book {
  code: string;
  name: string;
  periodFrequency: 'month' | 'year';
  fiscalYearStart: string;
}

export interface AssetBookRow {
  asset_id: string;
  book_code: string;
  method: DepreciationMethod;
  cost_basis: string;
  salvage_value: string;
  useful_life_years: string | null;
  recovery_period_years: number | null;
  factor: string | null;
  rate: string | null;
  switch_to_straight_line: boolean;
  convention: string | null;
  placed_in_service: string;
  total_units: string | null;
  units_by_period: string[];
  opening_accumulated: string;
  posted_accumulated: string;
  posted_through: string | null;
  /** Revaluations so far (added to the cost basis: the gross carrying amount) and accumulated impairment. */
  revalued_amount?: string;
  impaired_amount?: string;
  disposed_on?: string | null;
  /** Revaluations, impairments and changes in estimates, in the order they apply. */
  adjustments?: AdjustmentRow[];
}

/** An adjustment as the schedule needs it (fixed_assets_book_adjustment). */
export interface AdjustmentRow {
  kind: AdjustmentKind;
  effective_on: string;
  carrying_after: string;
  useful_life_years: string | null;
  salvage_value: string | null;
}

/** Columns of fixed_assets_asset_book with dates and numerics as text (never JS Dates or floats). */
export const ASSET_BOOK_COLUMNS = `ab.asset_id, ab.book_code, ab.method, ab.cost_basis::text AS cost_basis, ab.salvage_value::text AS salvage_value,
  ab.useful_life_years::text AS useful_life_years, ab.recovery_period_years, ab.factor::text AS factor, ab.rate::text AS rate,
  ab.switch_to_straight_line, ab.convention, ab.placed_in_service::text AS placed_in_service, ab.total_units::text AS total_units,
  ab.units_by_period, ab.opening_accumulated::text AS opening_accumulated, ab.posted_accumulated::text AS posted_accumulated,
  ab.posted_through::text AS posted_through, ab.revalued_amount::text AS revalued_amount, ab.impaired_amount::text AS impaired_amount,
  ab.disposed_on::text AS disposed_on,
  (SELECT coalesce(json_agg(json_build_object('kind', x.kind, 'effective_on', x.effective_on::text, 'carrying_after', x.carrying_after::text,
            'useful_life_years', x.useful_life_years::text, 'salvage_value', x.salvage_value::text) ORDER BY x.effective_on, x.created_at, x.id), '[]')
     FROM fixed_assets_book_adjustment x WHERE x.asset_id = ab.asset_id AND x.book_code = ab.book_code) AS adjustments`;

export const bookNotFound = (code: string) =>
  new ProblemError({ type: 'fixed-assets/book-not-found', status: 404, title: 'No such book', detail: `There is no depreciation book "${code}"`, extensions: { field: 'book', book: code } });

export async function bookByCode(db: Db, code: string): Promise<Book | null> {
  const [b] = await db.execute<{ code: string; name: string; period_frequency: 'month' | 'year'; fiscal_year_start: string }>(
    `SELECT code, name, period_frequency, fiscal_year_start FROM fixed_assets_book WHERE code = $1`,
    [code],
  );
  return b ? { code: b.code, name: b.name, periodFrequency: b.period_frequency, fiscalYearStart: b.fiscal_year_start } : null;
}

export async function requireBook(db: Db, code: string): Promise<Book> {
  const b = await bookByCode(db, code);
  if (!b) throw bookNotFound(code);
  return b;
}

/** The book's period (fiscal month or fiscal year) that contains `date`. */
export function periodOf(book: Pick<Book, 'periodFrequency' | 'fiscalYearStart'>, date: string): { start: string; end: string } {
  const day = dayNumber(parseIsoDate(date)!);
  const cal = new FiscalCalendar(parseFiscalYearStart(book.fiscalYearStart)!, day);
  const { year, month } = cal.locate(day);
  if (book.periodFrequency === 'year') return { start: isoDate(cal.yearStart(year)), end: isoDate(cal.yearStart(year + 1) - 1) };
  return { start: isoDate(cal.monthStart(year, month)), end: isoDate(cal.monthStart(year, month + 1) - 1) };
}

/** The domain input of an asset in a book. */
export function scheduleInput(row: AssetBookRow, book: Book, minorUnits: number): DepreciationInput {
  const opt = <T>(v: T | null) => (v === null ? undefined : v);
  return {
    method: row.method,
    cost: row.cost_basis,
    salvageValue: row.salvage_value,
    usefulLifeYears: opt(row.useful_life_years),
    recoveryPeriodYears: opt(row.recovery_period_years),
    factor: opt(row.factor),
    rate: opt(row.rate),
    switchToStraightLine: row.switch_to_straight_line,
    convention: opt(row.convention) as DepreciationInput['convention'],
    placedInService: row.placed_in_service,
    fiscalYearStart: book.fiscalYearStart,
    periodFrequency: book.periodFrequency,
    totalUnits: opt(row.total_units),
    unitsByPeriod: row.units_by_period.length ? row.units_by_period : undefined,
    minorUnits,
  };
}

/** Depreciation parameters that make no sense (salvage above cost, a negative life, an unknown method…): 422, naming each field. */
export const invalidDepreciation = (errors: { field: string; message: string }[]) =>
  new ProblemError({
    type: 'fixed-assets/invalid-depreciation',
    status: 422,
    title: 'Depreciation parameters make no sense',
    detail: errors.map((e) => `${e.field}: ${e.message}`).join('; '),
    extensions: { field: errors[0]?.field, errors },
  });

/** Turn the domain's refusal into that 422. */
export function scheduleOrProblem<T>(compute: () => T, prefix = ''): T {
  try {
    return compute();
  } catch (err) {
    if (err instanceof DepreciationInputError) throw invalidDepreciation(err.problems.map((p) => ({ field: prefix + p.field, message: p.message })));
    throw err;
  }
}

/** The adjustments of an asset in a book as the domain takes them. */
export const adjustmentsOf = (row: AssetBookRow): ScheduleAdjustment[] =>
  (row.adjustments ?? []).map((a) => ({ kind: a.kind, effectiveOn: a.effective_on, carryingAmount: a.carrying_after, remainingLifeYears: a.useful_life_years, salvageValue: a.salvage_value }));

/** An asset's schedule in a book: the original one, re-based by its adjustments from their effective dates. */
export function scheduleOf(row: AssetBookRow, book: Book, minorUnits: number): ScheduleRow[] {
  return scheduleOrProblem(() => (row.adjustments?.length ? adjustedSchedule(scheduleInput(row, book, minorUnits), adjustmentsOf(row)) : depreciationSchedule(scheduleInput(row, book, minorUnits))));
}

/** What a run for the period ending `periodEnd` posts for one asset in one book (zero when nothing is due). */
export function dueFor(row: AssetBookRow, book: Book, periodEnd: string, minorUnits: number): { amount: Dec; accumulated: Dec; bookValue: Dec } {
  const posted = dec(row.posted_accumulated);
  // The schedule's accumulated depreciation at the end of the last period that ends by `periodEnd`
  // (depreciationUpTo answers for a disposal date instead, which leaves out that date's period).
  // Without adjustments, only up to that period is computed: a run over a large register calls this per asset and book.
  let scheduled = ZERO;
  if (!row.adjustments?.length) scheduled = scheduleOrProblem(() => scheduledAccumulatedAt(scheduleInput(row, book, minorUnits), periodEnd));
  else {
    for (const r of adjustedSchedule(scheduleInput(row, book, minorUnits), adjustmentsOf(row))) {
      if (r.periodEnd > periodEnd) break;
      scheduled = dec(r.accumulated);
    }
  }
  const amount = scheduled.minus(posted);
  const accumulated = posted.plus(amount);
  return { amount, accumulated, bookValue: dec(row.cost_basis).plus(row.revalued_amount ?? 0).minus(accumulated).minus(row.impaired_amount ?? 0) };
}

export interface Accounts {
  assetAccount: string;
  accumulatedAccount: string;
  expenseAccount: string;
  gainAccount: string;
  lossAccount: string;
  proceedsAccount: string;
  revaluationSurplusAccount: string;
  impairmentLossAccount: string;
}

/** Each category's accounts: its own, else the nearest ancestor's that sets them, else the defaults (field by field). */
export async function accountsOf(db: Db, categoryIds: (string | null)[], defaults: Accounts): Promise<Map<string | null, Accounts>> {
  const ids = [...new Set(categoryIds.filter((c): c is string => !!c))];
  const out = new Map<string | null, Accounts>([[null, defaults]]);
  if (!ids.length) return out;
  const rows = await db.execute<{ id: string; lvl: number } & Record<string, string | null>>(
    `WITH RECURSIVE up AS (
       SELECT c.id AS start, c.id, c.parent_id, 0 AS lvl FROM core_category c WHERE c.id = ANY($1::uuid[])
       UNION ALL SELECT up.start, p.id, p.parent_id, up.lvl + 1 FROM core_category p JOIN up ON p.id = up.parent_id)
     SELECT up.start AS id, up.lvl, a.asset_account, a.accumulated_account, a.expense_account, a.gain_account, a.loss_account, a.proceeds_account,
            a.revaluation_surplus_account, a.impairment_loss_account
       FROM up JOIN fixed_assets_category_accounts a ON a.category_id = up.id ORDER BY up.start, up.lvl`,
    [ids],
  );
  const cols: [keyof Accounts, string][] = [
    ['assetAccount', 'asset_account'],
    ['accumulatedAccount', 'accumulated_account'],
    ['expenseAccount', 'expense_account'],
    ['gainAccount', 'gain_account'],
    ['lossAccount', 'loss_account'],
    ['proceedsAccount', 'proceeds_account'],
    ['revaluationSurplusAccount', 'revaluation_surplus_account'],
    ['impairmentLossAccount', 'impairment_loss_account'],
  ];
  for (const id of ids) {
    const chain = rows.filter((r) => r.id === id);
    const acc = { ...defaults };
    for (const [k, col] of cols) acc[k] = chain.find((r) => r[col])?.[col] ?? defaults[k];
    out.set(id, acc);
  }
  return out;
}

export const periodClosed = (book: string, periodEnd: string) =>
  new ProblemError({
    type: 'fixed-assets/period-closed',
    status: 409,
    title: 'Period closed',
    detail: `The ${book} book's period ending ${periodEnd} is closed; nothing more can be posted into it`,
    extensions: { field: 'periodEnd', book, periodEnd },
  });

export async function assertPeriodOpen(db: Db, book: string, periodEnd: string) {
  const [closed] = await db.execute(`SELECT 1 FROM fixed_assets_period WHERE book_code = $1 AND period_end >= $2::date LIMIT 1`, [book, periodEnd]);
  if (closed) throw periodClosed(book, periodEnd);
}

/** Check a period end given by a client: a real date that ends one of the book's periods. */
export function checkPeriodEnd(book: Book, periodEnd: string, field = 'periodEnd'): { start: string; end: string } {
  if (!parseIsoDate(periodEnd)) throw problems.validation([{ field, message: 'must be an ISO date (YYYY-MM-DD)' }]);
  const p = periodOf(book, periodEnd);
  if (p.end !== periodEnd) throw problems.validation([{ field, message: `is not the end of a ${book.periodFrequency} in the ${book.code} book (that period ends ${p.end})` }]);
  return p;
}

/**
 * Asset books a run for the period covers, after `afterAssetId` in asset order: in service by the
 * period's end, not disposed. `lock` (posting) takes the rows so a disposal or an adjustment at the
 * same time either comes first (and the disposed row drops out) or waits for the batch.
 */
async function runBatch(db: Db, book: Book, periodEnd: string, afterAssetId: string | null, limit: number, lock = false) {
  return db.execute<AssetBookRow & { category_id: string | null; tag: string; name: string }>(
    `SELECT ${ASSET_BOOK_COLUMNS}, a.category_id, a.tag, a.name
       FROM fixed_assets_asset_book ab JOIN fixed_assets_asset a ON a.id = ab.asset_id
      WHERE ab.book_code = $1 AND ab.placed_in_service <= $2::date AND a.status <> 'disposed' AND ab.disposed_on IS NULL
        AND ($3::uuid IS NULL OR ab.asset_id > $3::uuid)
      ORDER BY ab.asset_id LIMIT $4${lock ? ' FOR UPDATE OF ab' : ''}`,
    [book.code, periodEnd, afterAssetId, limit],
  );
}

const countCovered = async (db: Db, book: Book, periodEnd: string) =>
  Number(
    (
      await db.execute<{ n: string }>(
        `SELECT count(*) AS n FROM fixed_assets_asset_book ab JOIN fixed_assets_asset a ON a.id = ab.asset_id
          WHERE ab.book_code = $1 AND ab.placed_in_service <= $2::date AND a.status <> 'disposed' AND ab.disposed_on IS NULL`,
        [book.code, periodEnd],
      )
    )[0].n,
  );

export interface RunOptions {
  minorUnits: number;
  accounts: Accounts;
  batchSize: number;
}

/** What a run would post, computed batch by batch without writing: totals per category and the first lines. */
export async function previewRun(db: Db, book: Book, period: { start: string; end: string }, o: RunOptions, sampleSize = 200) {
  let after: string | null = null;
  let assets = 0;
  let total = ZERO;
  const byCategory = new Map<string | null, Dec>();
  const lines: { assetId: string; tag: string; name: string; amount: string; accumulated: string; bookValue: string }[] = [];
  for (;;) {
    const batch = await runBatch(db, book, period.end, after, o.batchSize);
    if (!batch.length) break;
    for (const row of batch) {
      assets++;
      if (row.posted_through && row.posted_through >= period.end) continue;
      const due = dueFor(row, book, period.end, o.minorUnits);
      if (due.amount.isZero()) continue;
      total = total.plus(due.amount);
      byCategory.set(row.category_id, (byCategory.get(row.category_id) ?? ZERO).plus(due.amount));
      if (lines.length < sampleSize) {
        lines.push({ assetId: row.asset_id, tag: row.tag, name: row.name, amount: amountText(due.amount, o.minorUnits), accumulated: amountText(due.accumulated, o.minorUnits), bookValue: amountText(due.bookValue, o.minorUnits) });
      }
    }
    after = batch[batch.length - 1].asset_id;
  }
  const accounts = await accountsOf(db, [...byCategory.keys()], o.accounts);
  return {
    book: book.code,
    periodStart: period.start,
    periodEnd: period.end,
    assets,
    totalAmount: amountText(total, o.minorUnits),
    byCategory: [...byCategory].map(([categoryId, amount]) => ({
      categoryId,
      amount: amountText(amount, o.minorUnits),
      expenseAccount: accounts.get(categoryId)!.expenseAccount,
      accumulatedAccount: accounts.get(categoryId)!.accumulatedAccount,
    })),
    lines,
  };
}

export interface RunRow {
  id: string;
  book_code: string;
  period_start: string;
  period_end: string;
  status: 'running' | 'completed' | 'failed';
  assets_total: number;
  assets_done: number;
  last_asset_id: string | null;
  total_amount: string;
  journal_entry_id: string | null;
  started_by_label: string;
  started_at: Date | string;
  finished_at: Date | string | null;
  error: string | null;
}

export const RUN_COLUMNS = `id, book_code, period_start::text AS period_start, period_end::text AS period_end, status, assets_total, assets_done, last_asset_id,
  total_amount::text AS total_amount, journal_entry_id::text AS journal_entry_id, started_by_label, started_at, finished_at, error`;

/**
 * Start (or find) the run of a book's period. Returns the run and whether this call created it: a
 * period that already has a run is never posted again, so asking twice is safe.
 */
export async function startRun(ctx: PluginContext<any>, actor: Actor, book: Book, period: { start: string; end: string }): Promise<{ run: RunRow; created: boolean }> {
  return ctx.transaction(actor, async (tx) => {
    const [existing] = await tx.execute<RunRow>(`SELECT ${RUN_COLUMNS} FROM fixed_assets_depreciation_run WHERE book_code = $1 AND period_end = $2::date`, [book.code, period.end]);
    if (existing && existing.status !== 'failed') return { run: existing, created: false };
    await assertPeriodOpen(tx, book.code, period.end);
    const total = await countCovered(tx, book, period.end);
    const [run] = await tx.execute<RunRow>(
      `INSERT INTO fixed_assets_depreciation_run (book_code, period_start, period_end, status, assets_total, started_by, started_by_label)
       VALUES ($1, $2, $3, 'running', $4, $5, $6)
       ON CONFLICT (book_code, period_end) DO UPDATE SET status = 'running', error = NULL, assets_total = EXCLUDED.assets_total, finished_at = NULL,
         started_by = EXCLUDED.started_by, started_by_label = EXCLUDED.started_by_label, started_at = now()
       RETURNING ${RUN_COLUMNS}`,
      [book.code, period.start, period.end, total, actor.userId, actor.label],
    );
    await tx.audit({ action: 'started', entityType: 'fixed-assets.depreciation-run', entityId: run.id, after: { book: book.code, periodStart: period.start, periodEnd: period.end, assets: total } });
    await tx.emit(DepreciationRunStarted, { runId: run.id, book: book.code, periodStart: period.start, periodEnd: period.end, assets: total });
    return { run, created: true };
  });
}

/**
 * Post a running run batch by batch: each batch (entries, the assets' running totals, the run's
 * progress) commits on its own, so a register of any size streams through in bounded memory; the
 * last transaction books the journal entry, completes the run and announces it.
 */
export async function continueRun(ctx: PluginContext<any>, actor: Actor, runId: string, o: RunOptions): Promise<RunRow> {
  for (;;) {
    const done = await ctx.transaction(actor, async (tx) => {
      const [run] = await tx.execute<RunRow>(`SELECT ${RUN_COLUMNS} FROM fixed_assets_depreciation_run WHERE id = $1 FOR UPDATE`, [runId]);
      if (!run || run.status !== 'running') return true;
      const book = (await bookByCode(tx, run.book_code))!;
      const batch = await runBatch(tx, book, run.period_end, run.last_asset_id, o.batchSize, true);
      if (!batch.length) {
        await completeRun(tx, run, book, o);
        return true;
      }
      const entries = batch
        .filter((row) => !(row.posted_through && row.posted_through >= run.period_end))
        .map((row) => ({ row, due: dueFor(row, book, run.period_end, o.minorUnits) }))
        .filter((e) => !e.due.amount.isZero());
      let posted = ZERO;
      if (entries.length) {
        const inserted = await tx.execute<{ asset_id: string; amount: string }>(
          `WITH e AS (
             INSERT INTO fixed_assets_depreciation_entry (asset_id, book_code, period_start, period_end, run_id, category_id, amount, accumulated, book_value)
             SELECT x.a, $1, $2::date, $3::date, $4, x.c, x.amt, x.acc, x.bv FROM unnest($5::uuid[], $6::uuid[], $7::numeric[], $8::numeric[], $9::numeric[]) AS x(a, c, amt, acc, bv)
             ON CONFLICT (asset_id, book_code, period_end) DO NOTHING
             RETURNING asset_id, amount)
           UPDATE fixed_assets_asset_book ab SET posted_accumulated = ab.posted_accumulated + e.amount, posted_through = $3::date, updated_at = now()
             FROM e WHERE ab.asset_id = e.asset_id AND ab.book_code = $1
           RETURNING e.asset_id, e.amount::text AS amount`,
          [
            book.code,
            run.period_start,
            run.period_end,
            run.id,
            entries.map((e) => e.row.asset_id),
            entries.map((e) => e.row.category_id),
            entries.map((e) => e.due.amount.toFixed()),
            entries.map((e) => e.due.accumulated.toFixed()),
            entries.map((e) => e.due.bookValue.toFixed()),
          ],
        );
        posted = inserted.reduce((a, r) => a.plus(r.amount), ZERO);
      }
      await tx.execute(
        `UPDATE fixed_assets_depreciation_run SET assets_done = least(assets_total, assets_done + $2), last_asset_id = $3, total_amount = total_amount + $4 WHERE id = $1`,
        [run.id, batch.length, batch[batch.length - 1].asset_id, posted.toFixed()],
      );
      return false;
    });
    if (done) break;
  }
  return (await readerOf(ctx).execute<RunRow>(`SELECT ${RUN_COLUMNS} FROM fixed_assets_depreciation_run WHERE id = $1`, [runId]))[0];
}

async function completeRun(tx: Parameters<Parameters<PluginContext<any>['transaction']>[1]>[0], run: RunRow, book: Book, o: RunOptions) {
  const sums = await tx.execute<{ category_id: string | null; amount: string; n: string }>(
    `SELECT category_id, sum(amount)::text AS amount, count(*) AS n FROM fixed_assets_depreciation_entry WHERE run_id = $1 GROUP BY category_id ORDER BY category_id NULLS FIRST`,
    [run.id],
  );
  const total = sums.reduce((a, s) => a.plus(s.amount), ZERO);
  let journalId: string | null = null;
  if (sums.length && !total.isZero()) {
    const accounts = await accountsOf(tx, sums.map((s) => s.category_id), o.accounts);
    const currency = (await tx.execute<{ currency: string }>(
      `SELECT coalesce((SELECT a.currency FROM fixed_assets_depreciation_entry e JOIN fixed_assets_asset a ON a.id = e.asset_id WHERE e.run_id = $1 LIMIT 1), 'XXX') AS currency`,
      [run.id],
    ))[0].currency;
    // Expense debited and accumulated depreciation credited, per category (a negative true-up swaps the sides).
    const lines: { account: string; debit: Dec; credit: Dec; category: string | null; memo: string }[] = [];
    for (const s of sums) {
      const a = accounts.get(s.category_id)!;
      const amt = dec(s.amount);
      if (amt.isZero()) continue;
      const memo = `${s.n} asset(s)`;
      lines.push({ account: a.expenseAccount, debit: amt.gt(0) ? amt : ZERO, credit: amt.lt(0) ? amt.neg() : ZERO, category: s.category_id, memo });
      lines.push({ account: a.accumulatedAccount, debit: amt.lt(0) ? amt.neg() : ZERO, credit: amt.gt(0) ? amt : ZERO, category: s.category_id, memo });
    }
    const [je] = await tx.execute<{ id: string }>(
      `WITH je AS (
         INSERT INTO fixed_assets_journal_entry (book_code, entry_date, source, source_id, description, currency, posted_by_label)
         VALUES ($1, $2::date, 'depreciation-run', $3, $4, $5, $6) RETURNING id)
       INSERT INTO fixed_assets_journal_line (entry_id, line_no, account, debit, credit, category_id, memo)
       SELECT je.id, x.n, x.account, x.debit, x.credit, x.category, x.memo FROM je,
              unnest($7::text[], $8::numeric[], $9::numeric[], $10::uuid[], $11::text[]) WITH ORDINALITY AS x(account, debit, credit, category, memo, n)
       RETURNING entry_id AS id`,
      [
        book.code,
        run.period_end,
        run.id,
        `Depreciation ${book.name}, ${run.period_start} – ${run.period_end}`,
        currency,
        run.started_by_label,
        lines.map((l) => l.account),
        lines.map((l) => l.debit.toFixed()),
        lines.map((l) => l.credit.toFixed()),
        lines.map((l) => l.category),
        lines.map((l) => l.memo),
      ],
    );
    journalId = String(je.id);
  }
  await tx.execute(
    `UPDATE fixed_assets_depreciation_run SET status = 'completed', finished_at = now(), assets_done = assets_total, total_amount = $2, journal_entry_id = $3 WHERE id = $1`,
    [run.id, total.toFixed(), journalId],
  );
  // The same amounts per category and site, for ledgers that book by site (an ERP connector).
  const bySite = await tx.execute<{ category_id: string | null; site_id: string | null; amount: string; n: string }>(
    `WITH RECURSIVE sites AS (
       SELECT id, CASE WHEN type = 'site' THEN id END AS site_id FROM core_location WHERE parent_id IS NULL
       UNION ALL SELECT c.id, coalesce(s.site_id, CASE WHEN c.type = 'site' THEN c.id END) FROM core_location c JOIN sites s ON c.parent_id = s.id)
     SELECT e.category_id::text AS category_id, st.site_id::text AS site_id, sum(e.amount)::text AS amount, count(*) AS n
       FROM fixed_assets_depreciation_entry e JOIN fixed_assets_asset a ON a.id = e.asset_id LEFT JOIN sites st ON st.id = a.location_id
      WHERE e.run_id = $1 GROUP BY 1, 2 ORDER BY 1 NULLS FIRST, 2 NULLS FIRST`,
    [run.id],
  );
  const summary = {
    runId: run.id,
    book: book.code,
    periodStart: run.period_start,
    periodEnd: run.period_end,
    totalAmount: amountText(total, o.minorUnits),
    journalEntryId: journalId,
    lines: bySite.filter((l) => !dec(l.amount).isZero()).map((l) => ({ categoryId: l.category_id, siteId: l.site_id, amount: amountText(l.amount, o.minorUnits), assets: Number(l.n) })),
  };
  await tx.audit({ action: 'posted', entityType: 'fixed-assets.depreciation-run', entityId: run.id, after: summary });
  await tx.emit(DepreciationPosted, summary);
}

/** Mark a run that threw as failed (it can be started again and resumes where it stopped). */
export async function failRun(ctx: PluginContext<any>, actor: Actor, runId: string, error: unknown) {
  await ctx.transaction(actor, async (tx) => {
    await tx.execute(`UPDATE fixed_assets_depreciation_run SET status = 'failed', error = $2, finished_at = now() WHERE id = $1 AND status = 'running'`, [
      runId,
      error instanceof Error ? error.message : String(error),
    ]);
    await tx.audit({ action: 'failed', entityType: 'fixed-assets.depreciation-run', entityId: runId, after: { error: String(error) } });
  });
}
