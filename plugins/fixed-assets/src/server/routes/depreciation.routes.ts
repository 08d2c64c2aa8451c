import { ProblemError, Type, problems, type Actor, type PluginApp, type PluginContext, type Static } from '@quartermaster/sdk';
import { CONVENTIONS, DEPRECIATION_METHODS, MACRS_RECOVERY_PERIODS, depreciationSchedule, type DepreciationInput } from '../../domain/depreciation/index.js';
import { permissions } from '../../shared/index.js';
import { PeriodClosed } from '../../shared/depreciation-events.js';
import { readerOf, isoOf, type Db } from '../services/db.js';
import {
  ASSET_BOOK_COLUMNS,
  RUN_COLUMNS,
  assertPeriodOpen,
  bookByCode,
  checkPeriodEnd,
  continueRun,
  failRun,
  previewRun,
  requireBook,
  scheduleOf,
  scheduleOrProblem,
  startRun,
  type Accounts,
  type AssetBookRow,
  type RunRow,
} from '../services/depreciation.service.js';
import { amountText, dec } from '../../domain/money.js';
import { setAssetBook } from '../services/asset-books.service.js';
import { DecimalIn, IdParams, IsoDate, Nullable, errorResponses, lit } from './schemas.js';

export interface DepreciationOptions {
  currencyMinorUnits: number;
  accounts: Accounts;
  /** Assets per transaction of a period run. */
  runBatchSize: number;
}

const Method = lit(DEPRECIATION_METHODS);
const ConventionSchema = lit(CONVENTIONS);
const FiscalYearStart = Type.String({ pattern: '^(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])$', description: 'MM-DD, day 1–28' });
const BookCode = Type.String({ pattern: '^[a-z][a-z0-9-]{0,31}$' });

const DepreciationParams = {
  method: Method,
  salvageValue: Type.Optional(DecimalIn),
  usefulLifeYears: Type.Optional(DecimalIn),
  recoveryPeriodYears: Type.Optional(Type.Integer({ description: `MACRS GDS recovery period: ${MACRS_RECOVERY_PERIODS.join(', ')}` })),
  factor: Type.Optional(DecimalIn),
  rate: Type.Optional(DecimalIn),
  switchToStraightLine: Type.Optional(Type.Boolean()),
  convention: Type.Optional(ConventionSchema),
  totalUnits: Type.Optional(DecimalIn),
  unitsByPeriod: Type.Optional(Type.Array(DecimalIn, { maxItems: 1200 })),
};

const PreviewBody = Type.Object(
  {
    ...DepreciationParams,
    // Any text: an unknown method is a 422 from the domain's checks, like every other nonsense.
    method: Type.String({ maxLength: 64, description: DEPRECIATION_METHODS.join(' | ') }),
    cost: DecimalIn,
    placedInService: Type.Optional(IsoDate),
    fiscalYearStart: Type.Optional(FiscalYearStart),
    periodFrequency: Type.Optional(lit(['year', 'month'] as const)),
  },
  { additionalProperties: false },
);

const ScheduleRowOut = Type.Object({ period: Type.Integer(), periodStart: Type.String(), periodEnd: Type.String(), amount: Type.String(), accumulated: Type.String(), bookValue: Type.String() });

const BookOut = Type.Object({ code: Type.String(), name: Type.String(), periodFrequency: lit(['month', 'year'] as const), fiscalYearStart: Type.String() });
const BookBody = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 200 }), periodFrequency: Type.Optional(lit(['month', 'year'] as const)), fiscalYearStart: Type.Optional(FiscalYearStart) },
  { additionalProperties: false },
);

const AssetBookBody = Type.Object(
  {
    ...DepreciationParams,
    /** Depreciable basis; default the asset's acquisition cost. */
    costBasis: Type.Optional(DecimalIn),
    placedInService: IsoDate,
    /** Accumulated depreciation brought over from another system (migrations). */
    openingAccumulated: Type.Optional(DecimalIn),
  },
  { additionalProperties: false },
);
const AssetBookOut = Type.Object({
  assetId: Type.String(),
  book: Type.String(),
  method: Method,
  costBasis: Type.String(),
  salvageValue: Type.String(),
  usefulLifeYears: Nullable(Type.String()),
  recoveryPeriodYears: Nullable(Type.Integer()),
  factor: Nullable(Type.String()),
  rate: Nullable(Type.String()),
  switchToStraightLine: Type.Boolean(),
  convention: Nullable(Type.String()),
  placedInService: Type.String(),
  totalUnits: Nullable(Type.String()),
  unitsByPeriod: Type.Array(Type.String()),
  openingAccumulated: Type.String(),
  postedAccumulated: Type.String(),
  postedThrough: Nullable(Type.String()),
  netBookValue: Type.String(),
});

const RunBody = Type.Object({ book: BookCode, periodEnd: IsoDate }, { additionalProperties: false });
const RunOut = Type.Object({
  id: Type.String(),
  book: Type.String(),
  periodStart: Type.String(),
  periodEnd: Type.String(),
  status: lit(['running', 'completed', 'failed'] as const),
  assetsTotal: Type.Integer(),
  assetsDone: Type.Integer(),
  totalAmount: Type.String(),
  journalEntryId: Nullable(Type.String()),
  startedBy: Type.String(),
  startedAt: Type.String(),
  finishedAt: Nullable(Type.String()),
  error: Nullable(Type.String()),
  /** False when the period already had a run: nothing was posted again. */
  created: Type.Optional(Type.Boolean()),
});
const RunPreviewOut = Type.Object({
  book: Type.String(),
  periodStart: Type.String(),
  periodEnd: Type.String(),
  assets: Type.Integer(),
  totalAmount: Type.String(),
  alreadyPosted: Type.Boolean(),
  byCategory: Type.Array(Type.Object({ categoryId: Nullable(Type.String()), amount: Type.String(), expenseAccount: Type.String(), accumulatedAccount: Type.String() })),
  lines: Type.Array(Type.Object({ assetId: Type.String(), tag: Type.String(), name: Type.String(), amount: Type.String(), accumulated: Type.String(), bookValue: Type.String() })),
});
const JournalOut = Type.Object({
  id: Type.String(),
  book: Type.String(),
  entryDate: Type.String(),
  source: Type.String(),
  sourceId: Type.String(),
  description: Type.String(),
  currency: Type.String(),
  postedAt: Type.String(),
  postedBy: Type.String(),
  lines: Type.Array(Type.Object({ lineNo: Type.Integer(), account: Type.String(), debit: Type.String(), credit: Type.String(), categoryId: Nullable(Type.String()), assetId: Nullable(Type.String()), memo: Nullable(Type.String()) })),
});

const runView = (r: RunRow, minorUnits: number) => ({
  id: r.id,
  book: r.book_code,
  periodStart: r.period_start,
  periodEnd: r.period_end,
  status: r.status,
  assetsTotal: r.assets_total,
  assetsDone: r.assets_done,
  totalAmount: amountText(r.total_amount, minorUnits),
  journalEntryId: r.journal_entry_id,
  startedBy: r.started_by_label,
  startedAt: isoOf(r.started_at)!,
  finishedAt: isoOf(r.finished_at),
  error: r.error,
});

function assetBookView(r: AssetBookRow, minorUnits: number) {
  const fixed = (v: string) => trimAmount(v, minorUnits);
  return {
    assetId: r.asset_id,
    book: r.book_code,
    method: r.method,
    costBasis: fixed(r.cost_basis),
    salvageValue: fixed(r.salvage_value),
    usefulLifeYears: r.useful_life_years === null ? null : trimNumber(r.useful_life_years),
    recoveryPeriodYears: r.recovery_period_years,
    factor: r.factor === null ? null : trimNumber(r.factor),
    rate: r.rate === null ? null : trimNumber(r.rate),
    switchToStraightLine: r.switch_to_straight_line,
    convention: r.convention,
    placedInService: r.placed_in_service,
    totalUnits: r.total_units === null ? null : trimNumber(r.total_units),
    unitsByPeriod: r.units_by_period,
    openingAccumulated: fixed(r.opening_accumulated),
    postedAccumulated: fixed(r.posted_accumulated),
    postedThrough: r.posted_through,
    // Gross carrying amount (cost basis and revaluations) less accumulated depreciation and impairment.
    netBookValue: trimAmount(dec(r.cost_basis).plus(r.revalued_amount ?? 0).minus(r.posted_accumulated).minus(r.impaired_amount ?? 0).toFixed(), minorUnits),
  };
}

const trimNumber = (v: string) => dec(v).toFixed();
const trimAmount = (v: string, minorUnits: number) => amountText(v, minorUnits);

async function assetBook(db: Db, assetId: string, book: string) {
  const [row] = await db.execute<AssetBookRow>(`SELECT ${ASSET_BOOK_COLUMNS} FROM fixed_assets_asset_book ab WHERE ab.asset_id = $1 AND ab.book_code = $2`, [assetId, book]);
  return row ?? null;
}

/** The register's own 404 for assets, so clients see one problem type whichever route they called. */
const assetNotFound = (id: string) => problems.notFound('asset', id);

/** Depreciation: the stateless preview, books, each asset's books and schedules, period runs, periods and the journal. */
export function depreciationRoutes(app: PluginApp, ctx: PluginContext<any>, options: DepreciationOptions) {
  const read = readerOf(ctx);
  const runOptions = () => ({ minorUnits: options.currencyMinorUnits, accounts: options.accounts, batchSize: options.runBatchSize });

  app.post(
    '/depreciation/preview',
    {
      config: { permission: permissions.depreciationRead },
      schema: { summary: 'Preview a depreciation schedule (nothing is stored)', body: PreviewBody, response: { 200: Type.Object({ schedule: Type.Array(ScheduleRowOut) }), ...errorResponses } },
    },
    async (req) => ({ schedule: scheduleOrProblem(() => depreciationSchedule({ ...(req.body as DepreciationInput), minorUnits: options.currencyMinorUnits })) }),
  );

  app.get('/books', { config: { permission: permissions.depreciationRead }, schema: { summary: 'Depreciation books', querystring: Type.Object({}, { additionalProperties: false }), response: { 200: Type.Array(BookOut), ...errorResponses } } }, async () =>
    (await read.execute<{ code: string; name: string; period_frequency: 'month' | 'year'; fiscal_year_start: string }>(`SELECT code, name, period_frequency, fiscal_year_start FROM fixed_assets_book ORDER BY code`)).map((b) => ({
      code: b.code,
      name: b.name,
      periodFrequency: b.period_frequency,
      fiscalYearStart: b.fiscal_year_start,
    })),
  );

  app.put(
    '/books/:code',
    {
      config: { permission: permissions.settingsWrite },
      schema: { summary: 'Create or change a depreciation book', params: Type.Object({ code: BookCode }, { additionalProperties: false }), body: BookBody, response: { 200: BookOut, ...errorResponses } },
    },
    async (req) => {
      const { code } = req.params as { code: string };
      const b = req.body as Static<typeof BookBody>;
      return ctx.transaction(req.actor, async (tx) => {
        const before = await bookByCode(tx, code);
        const next = { code, name: b.name.trim(), periodFrequency: b.periodFrequency ?? before?.periodFrequency ?? 'month', fiscalYearStart: b.fiscalYearStart ?? before?.fiscalYearStart ?? '01-01' };
        if (!next.name) throw problems.validation([{ field: 'name', message: 'must not be blank' }]);
        if (before && (before.periodFrequency !== next.periodFrequency || before.fiscalYearStart !== next.fiscalYearStart)) {
          const [posted] = await tx.execute(`SELECT 1 FROM fixed_assets_depreciation_run WHERE book_code = $1 LIMIT 1`, [code]);
          if (posted) {
            throw new ProblemError({
              type: 'fixed-assets/book-in-use',
              status: 409,
              title: 'Book has postings',
              detail: `The ${code} book has depreciation runs; its periods and fiscal year can no longer change`,
              extensions: { field: before.periodFrequency !== next.periodFrequency ? 'periodFrequency' : 'fiscalYearStart', book: code },
            });
          }
        }
        await tx.execute(
          `INSERT INTO fixed_assets_book (code, name, period_frequency, fiscal_year_start) VALUES ($1, $2, $3, $4)
           ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, period_frequency = EXCLUDED.period_frequency, fiscal_year_start = EXCLUDED.fiscal_year_start, updated_at = now()`,
          [code, next.name, next.periodFrequency, next.fiscalYearStart],
        );
        await tx.audit({ action: before ? 'updated' : 'created', entityType: 'fixed-assets.book', entityId: code, before: before ?? undefined, after: next });
        return next;
      });
    },
  );

  app.get(
    '/assets/:id/books',
    { config: { permission: permissions.depreciationRead }, schema: { summary: "An asset's depreciation books", params: IdParams, response: { 200: Type.Array(AssetBookOut), ...errorResponses } } },
    async (req) => {
      const { id } = req.params as { id: string };
      const [asset] = await read.execute(`SELECT 1 FROM fixed_assets_asset WHERE id = $1`, [id]);
      if (!asset) throw assetNotFound(id);
      const rows = await read.execute<AssetBookRow>(`SELECT ${ASSET_BOOK_COLUMNS} FROM fixed_assets_asset_book ab WHERE ab.asset_id = $1 ORDER BY ab.book_code`, [id]);
      return rows.map((r) => assetBookView(r, options.currencyMinorUnits));
    },
  );

  app.put(
    '/assets/:id/books/:book',
    {
      config: { permission: permissions.depreciationRun },
      schema: {
        summary: 'Depreciate an asset in a book (method, life, salvage, convention)',
        params: Type.Object({ id: IdParams.properties.id, book: BookCode }, { additionalProperties: false }),
        body: AssetBookBody,
        response: { 200: AssetBookOut, ...errorResponses },
      },
    },
    async (req) => {
      const { id, book: code } = req.params as { id: string; book: string };
      const b = req.body as Static<typeof AssetBookBody>;
      return ctx.transaction(req.actor, async (tx) => {
        const { before, after: row } = await setAssetBook(tx, id, code, b, options.currencyMinorUnits);
        const after = assetBookView(row, options.currencyMinorUnits);
        await tx.audit({ action: before ? 'book-updated' : 'book-added', entityType: 'fixed-assets.asset', entityId: id, before: before ? assetBookView(before, options.currencyMinorUnits) : undefined, after });
        return after;
      });
    },
  );

  app.get(
    '/assets/:id/books/:book/schedule',
    {
      config: { permission: permissions.depreciationRead },
      schema: {
        summary: "An asset's depreciation schedule in a book, with what each period posted",
        params: Type.Object({ id: IdParams.properties.id, book: BookCode }, { additionalProperties: false }),
        response: { 200: Type.Object({ book: Type.String(), schedule: Type.Array(Type.Object({ ...ScheduleRowOut.properties, posted: Nullable(Type.String()) })) }), ...errorResponses },
      },
    },
    async (req) => {
      const { id, book: code } = req.params as { id: string; book: string };
      const book = await requireBook(read, code);
      const row = await assetBook(read, id, code);
      if (!row) throw new ProblemError({ type: 'fixed-assets/not-in-book', status: 404, title: 'Not in this book', detail: `Asset ${id} is not depreciated in the ${code} book`, extensions: { assetId: id, book: code } });
      const posted = new Map(
        (await read.execute<{ period_end: string; amount: string }>(`SELECT period_end::text AS period_end, amount::text AS amount FROM fixed_assets_depreciation_entry WHERE asset_id = $1 AND book_code = $2`, [id, code])).map((e) => [
          e.period_end,
          trimAmount(e.amount, options.currencyMinorUnits),
        ]),
      );
      return { book: code, schedule: scheduleOf(row, book, options.currencyMinorUnits).map((r) => ({ ...r, posted: posted.get(r.periodEnd) ?? null })) };
    },
  );

  app.post(
    '/depreciation/runs/preview',
    { config: { permission: permissions.depreciationRead }, schema: { summary: "Preview a period's depreciation run (nothing is posted)", body: RunBody, response: { 200: RunPreviewOut, ...errorResponses } } },
    async (req) => {
      const b = req.body as Static<typeof RunBody>;
      const book = await requireBook(read, b.book);
      const period = checkPeriodEnd(book, b.periodEnd);
      const [done] = await read.execute(`SELECT 1 FROM fixed_assets_depreciation_run WHERE book_code = $1 AND period_end = $2::date AND status = 'completed'`, [book.code, period.end]);
      return { ...(await previewRun(read, book, period, runOptions())), alreadyPosted: !!done };
    },
  );

  const inFlight = new Map<string, Promise<unknown>>();
  const drive = (actor: Actor, runId: string) => {
    if (inFlight.has(runId)) return inFlight.get(runId)!;
    const p = continueRun(ctx, actor, runId, runOptions())
      .catch((err) => {
        ctx.log.error({ err, runId }, 'depreciation run failed');
        return failRun(ctx, actor, runId, err);
      })
      .finally(() => inFlight.delete(runId));
    inFlight.set(runId, p);
    return p;
  };

  app.post(
    '/depreciation/runs',
    {
      config: { permission: permissions.depreciationRun },
      schema: {
        summary: "Post a period's depreciation in a book (idempotent: a period posts once)",
        description: 'Answers 202 with the run while it posts in the background (follow it with GET /depreciation/runs/:id), or 200 with the existing run when the period already has one.',
        body: RunBody,
        response: { 200: RunOut, 202: RunOut, ...errorResponses },
      },
    },
    async (req, reply) => {
      const b = req.body as Static<typeof RunBody>;
      const book = await requireBook(read, b.book);
      const period = checkPeriodEnd(book, b.periodEnd);
      const { run, created } = await startRun(ctx, req.actor, book, period);
      if (run.status === 'running') void drive(req.actor, run.id);
      return reply.status(created ? 202 : 200).send({ ...runView(run, options.currencyMinorUnits), created });
    },
  );

  app.get(
    '/depreciation/runs',
    {
      config: { permission: permissions.depreciationRead },
      schema: { summary: 'Depreciation runs, newest period first', querystring: Type.Object({ book: Type.Optional(BookCode) }, { additionalProperties: false }), response: { 200: Type.Array(RunOut) } },
    },
    async (req) => {
      const { book } = req.query as { book?: string };
      const rows = await read.execute<RunRow>(`SELECT ${RUN_COLUMNS} FROM fixed_assets_depreciation_run WHERE $1::text IS NULL OR book_code = $1 ORDER BY period_end DESC, book_code LIMIT 500`, [book ?? null]);
      return rows.map((r) => runView(r, options.currencyMinorUnits));
    },
  );

  app.get(
    '/depreciation/runs/:id',
    { config: { permission: permissions.depreciationRead }, schema: { summary: 'A depreciation run and its progress', params: IdParams, response: { 200: RunOut, ...errorResponses } } },
    async (req) => {
      const { id } = req.params as { id: string };
      const [run] = await read.execute<RunRow>(`SELECT ${RUN_COLUMNS} FROM fixed_assets_depreciation_run WHERE id = $1`, [id]);
      if (!run) throw new ProblemError({ type: 'fixed-assets/run-not-found', status: 404, title: 'No such run', detail: `There is no depreciation run ${id}`, extensions: { runId: id } });
      return runView(run, options.currencyMinorUnits);
    },
  );

  app.post(
    '/periods/close',
    {
      config: { permission: permissions.depreciationRun },
      schema: {
        summary: "Close a book's period: nothing more is posted into it or before it",
        body: RunBody,
        response: { 200: Type.Object({ book: Type.String(), periodStart: Type.String(), periodEnd: Type.String(), closedBy: Type.String() }), ...errorResponses },
      },
    },
    async (req) => {
      const b = req.body as Static<typeof RunBody>;
      return ctx.transaction(req.actor, async (tx) => {
        const book = await requireBook(tx, b.book);
        const period = checkPeriodEnd(book, b.periodEnd);
        await assertPeriodOpen(tx, book.code, period.end);
        const [run] = await tx.execute<{ status: string }>(`SELECT status FROM fixed_assets_depreciation_run WHERE book_code = $1 AND period_end = $2::date`, [book.code, period.end]);
        if (!run || run.status !== 'completed') {
          throw new ProblemError({
            type: 'fixed-assets/period-not-posted',
            status: 409,
            title: 'Period not posted',
            detail: `Run the ${book.code} book's depreciation for the period ending ${period.end} before closing it`,
            extensions: { field: 'periodEnd', book: book.code, periodEnd: period.end, runStatus: run?.status ?? null },
          });
        }
        await tx.execute(`INSERT INTO fixed_assets_period (book_code, period_start, period_end, closed_by_label) VALUES ($1, $2, $3, $4)`, [book.code, period.start, period.end, req.actor.label]);
        await tx.audit({ action: 'closed', entityType: 'fixed-assets.period', entityId: `${book.code}:${period.end}`, after: { book: book.code, ...period } });
        await tx.emit(PeriodClosed, { book: book.code, periodStart: period.start, periodEnd: period.end });
        return { book: book.code, periodStart: period.start, periodEnd: period.end, closedBy: req.actor.label };
      });
    },
  );

  app.get(
    '/periods',
    {
      config: { permission: permissions.depreciationRead },
      schema: {
        summary: 'Closed periods',
        querystring: Type.Object({ book: Type.Optional(BookCode) }, { additionalProperties: false }),
        response: { 200: Type.Array(Type.Object({ book: Type.String(), periodStart: Type.String(), periodEnd: Type.String(), closedAt: Type.String(), closedBy: Type.String() })) },
      },
    },
    async (req) => {
      const { book } = req.query as { book?: string };
      const rows = await read.execute<{ book_code: string; period_start: string; period_end: string; closed_at: Date; closed_by_label: string }>(
        `SELECT book_code, period_start::text AS period_start, period_end::text AS period_end, closed_at, closed_by_label FROM fixed_assets_period WHERE $1::text IS NULL OR book_code = $1 ORDER BY period_end DESC`,
        [book ?? null],
      );
      return rows.map((r) => ({ book: r.book_code, periodStart: r.period_start, periodEnd: r.period_end, closedAt: isoOf(r.closed_at)!, closedBy: r.closed_by_label }));
    },
  );

  app.get(
    '/journal',
    {
      config: { permission: permissions.depreciationRead },
      schema: {
        summary: 'Journal entries booked by depreciation runs and disposals',
        querystring: Type.Object({ book: Type.Optional(BookCode), from: Type.Optional(IsoDate), to: Type.Optional(IsoDate), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) }, { additionalProperties: false }),
        response: { 200: Type.Array(JournalOut), ...errorResponses },
      },
    },
    async (req) => {
      const q = req.query as { book?: string; from?: string; to?: string; limit?: number };
      const rows = await read.execute<{ id: string; book_code: string; entry_date: string; source: string; source_id: string; description: string; currency: string; posted_at: Date; posted_by_label: string; lines: { line_no: number; account: string; debit: string; credit: string; category_id: string | null; asset_id: string | null; memo: string | null }[] }>(
        `SELECT je.id::text AS id, je.book_code, je.entry_date::text AS entry_date, je.source, je.source_id, je.description, je.currency, je.posted_at, je.posted_by_label,
                (SELECT json_agg(json_build_object('line_no', l.line_no, 'account', l.account, 'debit', l.debit::text, 'credit', l.credit::text, 'category_id', l.category_id, 'asset_id', l.asset_id, 'memo', l.memo) ORDER BY l.line_no)
                   FROM fixed_assets_journal_line l WHERE l.entry_id = je.id) AS lines
           FROM fixed_assets_journal_entry je
          WHERE ($1::text IS NULL OR je.book_code = $1) AND ($2::date IS NULL OR je.entry_date >= $2::date) AND ($3::date IS NULL OR je.entry_date <= $3::date)
          ORDER BY je.entry_date DESC, je.id DESC LIMIT $4`,
        [q.book ?? null, q.from ?? null, q.to ?? null, q.limit ?? 100],
      );
      return rows.map((r) => ({
        id: r.id,
        book: r.book_code,
        entryDate: r.entry_date,
        source: r.source,
        sourceId: r.source_id,
        description: r.description,
        currency: r.currency,
        postedAt: isoOf(r.posted_at)!,
        postedBy: r.posted_by_label,
        lines: (r.lines ?? []).map((l) => ({
          lineNo: l.line_no,
          account: l.account,
          debit: trimAmount(l.debit, options.currencyMinorUnits),
          credit: trimAmount(l.credit, options.currencyMinorUnits),
          categoryId: l.category_id,
          assetId: l.asset_id,
          memo: l.memo,
        })),
      }));
    },
  );

  /** Runs left running by a stopped server resume at start. */
  return {
    async resume(actor: Actor) {
      const running = await read.execute<{ id: string }>(`SELECT id FROM fixed_assets_depreciation_run WHERE status = 'running'`);
      for (const r of running) void drive(actor, r.id);
    },
    /** Wait for the runs this process is posting (tests, shutdown). */
    async settle() {
      await Promise.all([...inFlight.values()]);
    },
  };
}
