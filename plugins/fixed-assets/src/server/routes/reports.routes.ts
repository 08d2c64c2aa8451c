/**
 * Reports (issue #4, "Audits and reports"): net book value as of a date, the depreciation
 * forecast, who has what (now or at a past instant), utilization over a window, and total cost of
 * ownership. Each answers JSON, or CSV with `format=csv`. Money is added up in SQL numeric (or
 * decimal.js for schedules) and travels as decimal strings with the currency's decimals; dates are
 * ISO. Amounts in different currencies are never added together: groups and totals are per currency.
 */
import { Type, problems, type PluginApp, type PluginContext, type Static } from '@quartermaster/sdk';
import { COST_KINDS, permissions } from '../../shared/index.js';
import type { FixedAssetsOptions } from '../options.js';
import { amountText } from '../../domain/money.js';
import { requireBook } from '../services/depreciation.service.js';
import { isoOf, readerOf } from '../services/db.js';
import { CUSTODY_SELECT, type CustodyRow } from '../services/views.js';
import { csvFileName, csvText, sendCsv, streamCsv, type CsvValue } from '../services/report-csv.js';
import { SITES_CTE, dayWindow, depreciationForecast, fiscalYears, groupLabels, subtreeIds, todayIso, type GroupBy } from '../services/reports.service.js';
import { CustodyHolderType, DecimalOut, HolderSchema, Instant, IsoDate, Nullable, PageQuery, Uuid, errorResponses, lit, pageOf } from './schemas.js';

const BookCode = Type.String({ pattern: '^[a-z][a-z0-9-]{0,31}$', description: 'Depreciation book; default financial' });
const Format = Type.Optional(lit(['json', 'csv'] as const));
const FormatDoc = ' With `format=csv` the same report comes as CSV (RFC 4180, UTF-8, CRLF; text a spreadsheet would run as a formula is prefixed with an apostrophe).';
const Filters = {
  categoryId: Type.Optional(Uuid),
  locationId: Type.Optional(Uuid),
};
const Paged = { total: Type.Integer(), limit: Type.Integer(), offset: Type.Integer() };

export const NbvQuery = Type.Object(
  {
    asOf: Type.Optional(IsoDate),
    book: Type.Optional(BookCode),
    groupBy: Type.Optional(lit(['category', 'site', 'location', 'none'] as const)),
    ...Filters,
    format: Format,
  },
  { additionalProperties: false },
);
const NbvFigures = {
  assets: Type.Integer(),
  /** Gross carrying amount: cost basis plus revaluations effective by asOf. */
  cost: DecimalOut,
  /** The revaluations within `cost`. */
  revaluation: DecimalOut,
  /** Depreciation posted for periods ending by asOf (opening balance included) plus impairments effective by asOf. */
  accumulatedDepreciation: DecimalOut,
  /** The impairments within `accumulatedDepreciation`. */
  impairment: DecimalOut,
  /** cost − accumulatedDepreciation. */
  netBookValue: DecimalOut,
};
const NbvOut = Type.Object({
  asOf: Type.String({ format: 'date' }),
  book: Type.String(),
  groupBy: Type.String(),
  groups: Type.Array(Type.Object({ id: Nullable(Uuid), label: Type.String(), currency: Type.String(), ...NbvFigures })),
  /** One per currency. */
  totals: Type.Array(Type.Object({ currency: Type.String(), ...NbvFigures })),
});

export const ForecastQuery = Type.Object(
  {
    book: Type.Optional(BookCode),
    years: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 5 })),
    from: Type.Optional(IsoDate),
    groupBy: Type.Optional(lit(['category', 'none'] as const)),
    ...Filters,
    format: Format,
  },
  { additionalProperties: false },
);
const ForecastFigures = { assets: Type.Integer(), amounts: Type.Array(DecimalOut), beyond: DecimalOut, remaining: DecimalOut };
const ForecastOut = Type.Object({
  book: Type.String(),
  from: Type.String({ format: 'date' }),
  groupBy: Type.String(),
  years: Type.Array(Type.Object({ label: Type.String(), start: Type.String({ format: 'date' }), end: Type.String({ format: 'date' }) })),
  groups: Type.Array(Type.Object({ id: Nullable(Uuid), label: Type.String(), currency: Type.String(), ...ForecastFigures })),
  totals: Type.Array(Type.Object({ currency: Type.String(), ...ForecastFigures })),
});

export const CustodyReportQuery = Type.Object(
  { asOf: Type.Optional(Instant), type: Type.Optional(CustodyHolderType), ...PageQuery, format: Format },
  { additionalProperties: false },
);
const CustodyLine = Type.Object({
  custodyId: Uuid,
  assetId: Uuid,
  tag: Type.String(),
  assetName: Type.String(),
  checkedOutAt: Type.String(),
  checkedOutBy: Type.String(),
  expectedReturnAt: Nullable(Type.String()),
  /** When it came back, if it did after `asOf`; null while still out. */
  checkedInAt: Nullable(Type.String()),
  /** Past its expected return at `asOf`. */
  overdue: Type.Boolean(),
  /** Whole days out at `asOf`. */
  daysOut: Type.Integer(),
});
const CustodyReportOut = Type.Object({
  asOf: Type.String(),
  ...Paged,
  /** Over every holder, not just this page. */
  custodies: Type.Integer(),
  overdue: Type.Integer(),
  data: Type.Array(Type.Object({ holder: HolderSchema, count: Type.Integer(), overdue: Type.Integer(), custodies: Type.Array(CustodyLine) })),
});

export const UtilizationQuery = Type.Object({ from: IsoDate, to: IsoDate, ...Filters, ...PageQuery, format: Format }, { additionalProperties: false });
const UtilizationOut = Type.Object({
  from: Type.String({ format: 'date' }),
  to: Type.String({ format: 'date' }),
  windowStart: Type.String(),
  windowEnd: Type.String(),
  windowHours: DecimalOut,
  ...Paged,
  data: Type.Array(
    Type.Object({
      assetId: Uuid,
      tag: Type.String(),
      name: Type.String(),
      status: Type.String(),
      checkedOutHours: DecimalOut,
      /** Percent of the window checked out, 2 decimals ("30.00"). */
      utilization: DecimalOut,
      bookedHours: DecimalOut,
      /** Percent of the window booked. */
      booked: DecimalOut,
    }),
  ),
  totals: Type.Object({ assets: Type.Integer(), checkedOutHours: DecimalOut, bookedHours: DecimalOut, utilization: Nullable(DecimalOut), booked: Nullable(DecimalOut) }),
});

export const TcoQuery = Type.Object({ from: Type.Optional(IsoDate), to: Type.Optional(IsoDate), ...Filters, ...PageQuery, format: Format }, { additionalProperties: false });
const ByKind = Type.Object(Object.fromEntries(COST_KINDS.map((k) => [k, DecimalOut])));
const TcoOut = Type.Object({
  from: Nullable(Type.String({ format: 'date' })),
  to: Type.String({ format: 'date' }),
  ...Paged,
  data: Type.Array(
    Type.Object({
      assetId: Uuid,
      tag: Type.String(),
      name: Type.String(),
      status: Type.String(),
      currency: Type.String(),
      acquiredOn: Type.String({ format: 'date' }),
      disposedOn: Nullable(Type.String({ format: 'date' })),
      /** The register's acquisition cost when the asset was acquired within the window, else 0. */
      acquisitionCost: DecimalOut,
      /** Cost entries in the window, per kind. */
      costs: ByKind,
      total: DecimalOut,
      /** Days owned within the window, both ends counted. */
      daysOwned: Type.Integer(),
      costPerDay: Nullable(DecimalOut),
    }),
  ),
  totals: Type.Array(Type.Object({ currency: Type.String(), assets: Type.Integer(), acquisitionCost: DecimalOut, costs: ByKind, total: DecimalOut })),
});

/** Percent with 2 decimals, computed in SQL numeric. */
const pct = (part: string, whole: string) => `CASE WHEN (${whole}) > 0 THEN round(100 * (${part}) / (${whole}), 2) END`;

export function reportRoutes(app: PluginApp, ctx: PluginContext<any>, options: FixedAssetsOptions) {
  const db = readerOf(ctx);
  const minor = options.currencyMinorUnits;
  const money = (v: string | null | undefined) => amountText(v ?? '0', minor);

  app.get(
    '/reports/net-book-value',
    {
      config: { permission: permissions.depreciationRead },
      schema: {
        summary: 'Net book value as of a date, per category, site or location',
        description: [
          'What is on the books of `book` (default financial) at the end of `asOf` (default today): per asset, **cost** = its cost basis in the book plus the revaluations effective on or before `asOf` (**revaluation**); **accumulatedDepreciation** = the opening balance plus the depreciation entries of periods ending on or before `asOf`, plus the impairments effective by then (**impairment**); **netBookValue** = cost − accumulatedDepreciation.',
          'Assets placed in service after `asOf`, and assets disposed of on or before it, are left out. `groupBy` is category (default), site (the top-most location of type site above the asset\'s location), location, or none. `categoryId` and `locationId` include everything below them. Totals per currency.',
        ].join('\n') + FormatDoc,
        querystring: NbvQuery,
        response: { 200: NbvOut, ...errorResponses },
      },
    },
    async (req, reply) => {
      const q = req.query;
      const asOf = q.asOf ?? todayIso();
      const groupBy: GroupBy = q.groupBy ?? 'category';
      const book = await requireBook(db, q.book ?? 'financial');
      const categoryIds = await subtreeIds(db, 'core_category', q.categoryId);
      const locationIds = await subtreeIds(db, 'core_location', q.locationId);
      const groupExpr = { category: 'a.category_id', location: 'a.location_id', site: 'st.site_id', none: 'NULL::uuid' }[groupBy];
      const rows = await db.execute<{ group_id: string | null; currency: string; is_total: number; assets: string; cost: string; revaluation: string; accumulated: string; impairment: string; nbv: string }>(
        `WITH RECURSIVE ${SITES_CTE},
         base AS (
           SELECT ${groupExpr} AS group_id, a.currency, ab.cost_basis + adj.revaluation AS cost, adj.revaluation,
                  ab.opening_accumulated + coalesce((SELECT sum(e.amount) FROM fixed_assets_depreciation_entry e
                                                      WHERE e.asset_id = ab.asset_id AND e.book_code = ab.book_code AND e.period_end <= $2::date), 0)
                    + adj.impairment AS accumulated,
                  adj.impairment
             FROM fixed_assets_asset_book ab
             JOIN fixed_assets_asset a ON a.id = ab.asset_id
             CROSS JOIN LATERAL (
               SELECT coalesce(sum(j.amount) FILTER (WHERE j.kind = 'revaluation'), 0) AS revaluation,
                      -coalesce(sum(j.amount) FILTER (WHERE j.kind = 'impairment'), 0) AS impairment
                 FROM fixed_assets_book_adjustment j WHERE j.asset_id = ab.asset_id AND j.book_code = ab.book_code AND j.effective_on <= $2::date) adj
             ${groupBy === 'site' ? 'LEFT JOIN sites st ON st.id = a.location_id' : ''}
            WHERE ab.book_code = $1 AND ab.placed_in_service <= $2::date AND (a.disposed_on IS NULL OR a.disposed_on > $2::date)
              AND ($3::uuid[] IS NULL OR a.category_id = ANY($3::uuid[])) AND ($4::uuid[] IS NULL OR a.location_id = ANY($4::uuid[])))
         SELECT group_id, currency, GROUPING(group_id) AS is_total, count(*) AS assets, sum(cost)::text AS cost, sum(revaluation)::text AS revaluation,
                sum(accumulated)::text AS accumulated, sum(impairment)::text AS impairment, sum(cost - accumulated)::text AS nbv
           FROM base GROUP BY GROUPING SETS ((group_id, currency), (currency))`,
        [book.code, asOf, categoryIds, locationIds],
      );
      const label = await groupLabels(db, groupBy, rows.map((r) => r.group_id));
      const figures = (r: (typeof rows)[number]) => ({
        assets: Number(r.assets),
        cost: money(r.cost),
        revaluation: money(r.revaluation),
        accumulatedDepreciation: money(r.accumulated),
        impairment: money(r.impairment),
        netBookValue: money(r.nbv),
      });
      const groups = rows
        .filter((r) => Number(r.is_total) === 0)
        .map((r) => ({ id: r.group_id, label: label(r.group_id), currency: r.currency, ...figures(r) }))
        .sort((x, y) => (x.id === null ? 1 : 0) - (y.id === null ? 1 : 0) || x.label.localeCompare(y.label) || x.currency.localeCompare(y.currency));
      const totals = rows
        .filter((r) => Number(r.is_total) === 1)
        .map((r) => ({ currency: r.currency, ...figures(r) }))
        .sort((x, y) => x.currency.localeCompare(y.currency));
      if (q.format === 'csv') {
        const line = (g: string, f: { currency: string } & ReturnType<typeof figures>): CsvValue[] => [g, f.currency, f.assets, f.cost, f.revaluation, f.accumulatedDepreciation, f.impairment, f.netBookValue];
        const header = [groupBy === 'none' ? 'group' : groupBy, 'currency', 'assets', 'cost', 'revaluation', 'accumulated_depreciation', 'impairment', 'net_book_value'];
        return sendCsv(reply, csvFileName(`net-book-value-${book.code}`, asOf), header, [
          ...groups.map((g) => line(csvText(g.label)!, g)),
          ...totals.map((t) => line('Total', t)),
        ]);
      }
      return { asOf, book: book.code, groupBy, groups, totals };
    },
  );

  app.get(
    '/reports/depreciation-forecast',
    {
      config: { permission: permissions.depreciationRead },
      schema: {
        summary: 'Depreciation forecast per fiscal year',
        description: [
          'For the book\'s fiscal year containing `from` (default today) and the `years − 1` after it (default 5 years in all): the depreciation the period runs will post, from each asset\'s schedule in `book` (default financial) less what is already posted (opening balance included). The first year includes periods before it that are not posted yet (a run catches them up).',
          '**beyond**: what comes after the last year; **remaining** = the years + beyond = cost − salvage − posted. Disposed assets are left out; assets placed in service later are in from their first period.',
          '`groupBy` is category (default) or none; `categoryId` and `locationId` include everything below them. Totals per currency. The register is read in batches, so a large one never loads at once.',
        ].join('\n') + FormatDoc,
        querystring: ForecastQuery,
        response: { 200: ForecastOut, ...errorResponses },
      },
    },
    async (req, reply) => {
      const q = req.query;
      const from = q.from ?? todayIso();
      const groupBy = q.groupBy ?? 'category';
      const book = await requireBook(db, q.book ?? 'financial');
      const years = fiscalYears(book, from, q.years ?? 5);
      const groups = await depreciationForecast(
        db,
        book,
        years,
        groupBy,
        { categoryIds: await subtreeIds(db, 'core_category', q.categoryId), locationIds: await subtreeIds(db, 'core_location', q.locationId) },
        { minorUnits: minor, batchSize: options.runBatchSize },
      );
      const label = await groupLabels(db, groupBy, groups.map((g) => g.key));
      const figures = (g: (typeof groups)[number]) => ({ assets: g.assets, amounts: g.amounts.map((a) => money(a.toFixed())), beyond: money(g.beyond.toFixed()), remaining: money(g.remaining.toFixed()) });
      const out = groups
        .map((g) => ({ id: g.key, label: label(g.key), currency: g.currency, ...figures(g) }))
        .sort((x, y) => (x.id === null ? 1 : 0) - (y.id === null ? 1 : 0) || x.label.localeCompare(y.label) || x.currency.localeCompare(y.currency));
      const byCurrency = new Map<string, (typeof groups)[number]>();
      for (const g of groups) {
        const t = byCurrency.get(g.currency);
        if (!t) byCurrency.set(g.currency, { ...g, key: null });
        else byCurrency.set(g.currency, { ...t, assets: t.assets + g.assets, amounts: t.amounts.map((a, k) => a.plus(g.amounts[k])), beyond: t.beyond.plus(g.beyond), remaining: t.remaining.plus(g.remaining) });
      }
      const totals = [...byCurrency.values()].map((t) => ({ currency: t.currency, ...figures(t) })).sort((x, y) => x.currency.localeCompare(y.currency));
      if (q.format === 'csv') {
        const line = (g: string, f: { currency: string } & ReturnType<typeof figures>): CsvValue[] => [g, f.currency, f.assets, ...f.amounts, f.beyond, f.remaining];
        return sendCsv(reply, csvFileName(`depreciation-forecast-${book.code}`, from), [groupBy === 'none' ? 'group' : groupBy, 'currency', 'assets', ...years.map((y) => `FY ${y.label}`), 'beyond', 'remaining'], [
          ...out.map((g) => line(csvText(g.label)!, g)),
          ...totals.map((t) => line('Total', t)),
        ]);
      }
      return { book: book.code, from, groupBy, years, groups: out, totals };
    },
  );

  app.get(
    '/reports/custody',
    {
      config: { permission: permissions.assetRead },
      schema: {
        summary: 'Who has what: custodies open now or at a past instant, per holder',
        description:
          'Custodies open at `asOf` (an instant, default now): checked out at or before it and not checked in by then. Grouped by holder (user, person, location or project; `type` keeps one kind), most assets first, paged over holders. **overdue**: past the expected return at `asOf`.' +
          FormatDoc +
          ' The CSV has one row per custody and every holder.',
        querystring: CustodyReportQuery,
        response: { 200: CustodyReportOut, ...errorResponses },
      },
    },
    async (req, reply) => {
      const q = req.query;
      const asOf = q.asOf ? new Date(q.asOf) : new Date();
      const open = `SELECT x.*, coalesce(x.expected_return_at < $1::timestamptz, false) AS late, floor(extract(epoch FROM ($1::timestamptz - x.checked_out_at)) / 86400)::int AS days_out
                      FROM (${CUSTODY_SELECT} WHERE c.checked_out_at <= $1::timestamptz AND (c.checked_in_at IS NULL OR c.checked_in_at > $1::timestamptz)
                              AND ($2::text IS NULL OR c.holder_type = $2)) x`;
      type Row = CustodyRow & { late: boolean; days_out: number };
      const line = (r: Row) => ({
        custodyId: r.id,
        assetId: r.asset_id,
        tag: r.tag,
        assetName: r.asset_name,
        checkedOutAt: isoOf(r.checked_out_at)!,
        checkedOutBy: r.checked_out_by_label,
        expectedReturnAt: isoOf(r.expected_return_at),
        checkedInAt: isoOf(r.checked_in_at),
        overdue: r.late,
        daysOut: Number(r.days_out),
      });
      if (q.format === 'csv') {
        return streamCsv(
          ctx,
          reply,
          csvFileName('custody', asOf.toISOString().slice(0, 19)),
          ['holder_type', 'holder', 'tag', 'asset', 'checked_out_at', 'checked_out_by', 'expected_return_at', 'overdue', 'days_out', 'checked_in_at'],
          `${open} ORDER BY x.holder_type, x.holder_label, x.tag`,
          [asOf, q.type ?? null],
          (r) => {
            const l = line(r as Row);
            return [r.holder_type, csvText(r.holder_label), csvText(l.tag), csvText(l.assetName), l.checkedOutAt, csvText(l.checkedOutBy), l.expectedReturnAt, l.overdue, l.daysOut, l.checkedInAt];
          },
        );
      }
      const { limit, offset } = pageOf(q);
      const holders = await db.execute<{ holder_type: string; holder_id: string | null; holder_label: string | null; n: string; late: string; total: string; all_n: string; all_late: string }>(
        `SELECT holder_type, holder_id, holder_label, count(*) AS n, count(*) FILTER (WHERE late) AS late,
                count(*) OVER () AS total, sum(count(*)) OVER () AS all_n, sum(count(*) FILTER (WHERE late)) OVER () AS all_late
           FROM (${open}) y GROUP BY holder_type, holder_id, holder_label ORDER BY count(*) DESC, holder_label, holder_type LIMIT $3 OFFSET $4`,
        [asOf, q.type ?? null, limit, offset],
      );
      let totals = { holders: holders.length ? Number(holders[0].total) : 0, custodies: holders.length ? Number(holders[0].all_n) : 0, overdue: holders.length ? Number(holders[0].all_late) : 0 };
      if (!holders.length && offset > 0) {
        const [t] = await db.execute<{ h: string; n: string; late: string }>(
          `SELECT count(DISTINCT (holder_type, holder_id, holder_label)) AS h, count(*) AS n, count(*) FILTER (WHERE late) AS late FROM (${open}) y`,
          [asOf, q.type ?? null],
        );
        totals = { holders: Number(t.h), custodies: Number(t.n), overdue: Number(t.late) };
      }
      const key = (type: string, id: string | null, label: string | null) => `${type}|${id ?? ''}|${type === 'project' ? label : ''}`;
      const lines = holders.length
        ? await db.execute<Row>(
            `${open} WHERE (x.holder_type, coalesce(x.holder_id::text, ''), CASE WHEN x.holder_type = 'project' THEN x.holder_label ELSE '' END) IN (SELECT * FROM unnest($3::text[], $4::text[], $5::text[]))
              ORDER BY x.tag`,
            [asOf, q.type ?? null, holders.map((h) => h.holder_type), holders.map((h) => h.holder_id ?? ''), holders.map((h) => (h.holder_type === 'project' ? (h.holder_label ?? '') : ''))],
          )
        : [];
      return {
        asOf: asOf.toISOString(),
        total: totals.holders,
        limit,
        offset,
        custodies: totals.custodies,
        overdue: totals.overdue,
        data: holders.map((h) => ({
          holder: { type: h.holder_type as never, id: h.holder_id, label: h.holder_label ?? '' },
          count: Number(h.n),
          overdue: Number(h.late),
          custodies: lines.filter((l) => key(l.holder_type, l.holder_id, l.holder_label) === key(h.holder_type, h.holder_id, h.holder_label)).map(line),
        })),
      };
    },
  );

  app.get(
    '/reports/utilization',
    {
      config: { permission: permissions.assetRead },
      schema: {
        summary: 'Utilization per asset over a window: share of time checked out, and booked',
        description: [
          '`from` and `to` are ISO dates, whole UTC days with `to` included: the window is [from 00:00Z, to + 1 day 00:00Z), cut off at now when it reaches into the future.',
          'Per asset: **checkedOutHours** = the custody intervals (check-out to check-in, or to now while still out) clipped to the window; **utilization** = checkedOutHours ÷ window hours, in percent with 2 decimals (checked out 3 of 10 days → "30.00"). **bookedHours** / **booked**: the same for bookings that were not cancelled.',
          'Assets disposed of before the window or registered after it are left out; `categoryId` and `locationId` include everything below them. Most used first; totals over every asset in the report.',
        ].join('\n') + FormatDoc,
        querystring: UtilizationQuery,
        response: { 200: UtilizationOut, ...errorResponses },
      },
    },
    async (req, reply) => {
      const q = req.query;
      if (q.to < q.from) throw problems.validation([{ field: 'to', message: 'must not be before from' }]);
      const { start, end: dayEnd } = dayWindow(q.from, q.to);
      const end = new Date(Math.min(dayEnd.getTime(), Date.now()));
      if (end <= start) throw problems.validation([{ field: 'from', message: 'must not be in the future' }]);
      const categoryIds = await subtreeIds(db, 'core_category', q.categoryId);
      const locationIds = await subtreeIds(db, 'core_location', q.locationId);
      const span = (rangesSql: string) => `coalesce((SELECT sum(extract(epoch FROM upper(r) - lower(r))) FROM unnest((${rangesSql})) r), 0)`;
      const base = `
        SELECT a.id, a.tag, a.name, a.status,
               ${span(`SELECT range_agg(tstzrange(c.checked_out_at, coalesce(c.checked_in_at, now())) * tstzrange($1::timestamptz, $2::timestamptz)) FROM fixed_assets_custody c
                        WHERE c.asset_id = a.id AND c.checked_out_at < $2::timestamptz AND (c.checked_in_at IS NULL OR c.checked_in_at > $1::timestamptz)`)} AS out_s,
               ${span(`SELECT range_agg(ba.period * tstzrange($1::timestamptz, $2::timestamptz)) FROM fixed_assets_booking_asset ba JOIN fixed_assets_booking b ON b.id = ba.booking_id
                        WHERE ba.asset_id = a.id AND b.status <> 'cancelled' AND ba.period && tstzrange($1::timestamptz, $2::timestamptz)`)} AS booked_s
          FROM fixed_assets_asset a
         WHERE (a.disposed_on IS NULL OR a.disposed_on >= $3::date) AND (a.created_at < $2::timestamptz OR a.purchase_date < $2::timestamptz)
           AND ($4::uuid[] IS NULL OR a.category_id = ANY($4::uuid[])) AND ($5::uuid[] IS NULL OR a.location_id = ANY($5::uuid[]))`;
      const windowS = `extract(epoch FROM $2::timestamptz - $1::timestamptz)`;
      const select = `SELECT u.id, u.tag, u.name, u.status, round(u.out_s / 3600, 2)::text AS out_h, round(u.booked_s / 3600, 2)::text AS booked_h,
                             (${pct('u.out_s', windowS)})::text AS utilization, (${pct('u.booked_s', windowS)})::text AS booked, u.out_s
                        FROM (${base}) u`;
      const order = `ORDER BY u.out_s DESC, u.booked_s DESC, u.tag`;
      const values = [start, end, q.from, categoryIds, locationIds];
      const row = (r: Record<string, any>) => ({
        assetId: r.id as string,
        tag: r.tag as string,
        name: r.name as string,
        status: r.status as string,
        checkedOutHours: r.out_h as string,
        utilization: r.utilization as string,
        bookedHours: r.booked_h as string,
        booked: r.booked as string,
      });
      if (q.format === 'csv') {
        return streamCsv(ctx, reply, csvFileName('utilization', `${q.from}-${q.to}`), ['tag', 'asset', 'status', 'checked_out_hours', 'utilization_percent', 'booked_hours', 'booked_percent'], `${select} ${order}`, values, (r) => {
          const x = row(r);
          return [csvText(x.tag), csvText(x.name), x.status, x.checkedOutHours, x.utilization, x.bookedHours, x.booked];
        });
      }
      const { limit, offset } = pageOf(q);
      const [agg] = await db.execute<{ n: string; out_h: string; booked_h: string; utilization: string | null; booked: string | null; window_h: string }>(
        `SELECT count(*) AS n, round(coalesce(sum(u.out_s), 0) / 3600, 2)::text AS out_h, round(coalesce(sum(u.booked_s), 0) / 3600, 2)::text AS booked_h,
                (${pct('sum(u.out_s)', `count(*) * ${windowS}`)})::text AS utilization, (${pct('sum(u.booked_s)', `count(*) * ${windowS}`)})::text AS booked,
                round(${windowS} / 3600, 2)::text AS window_h
           FROM (${base}) u`,
        values,
      );
      const rows = await db.execute<Record<string, any>>(`${select} ${order} LIMIT $6 OFFSET $7`, [...values, limit, offset]);
      return {
        from: q.from,
        to: q.to,
        windowStart: start.toISOString(),
        windowEnd: end.toISOString(),
        windowHours: agg.window_h,
        total: Number(agg.n),
        limit,
        offset,
        data: rows.map(row),
        totals: { assets: Number(agg.n), checkedOutHours: agg.out_h, bookedHours: agg.booked_h, utilization: agg.utilization, booked: agg.booked },
      };
    },
  );

  app.get(
    '/reports/total-cost-of-ownership',
    {
      config: { permission: permissions.assetRead },
      schema: {
        summary: 'Total cost of ownership per asset',
        description: [
          'For the window `from`–`to` (ISO dates, both included; `from` open-ended when left out, `to` default today), per asset:',
          '**acquisitionCost**: the register\'s acquisition cost when the asset was acquired (purchase date, else the day it was registered) within the window, else 0; **costs**: the cost ledger\'s entries incurred in the window, per kind; **total** = acquisitionCost + all costs; **daysOwned**: days of the window from acquisition to disposal (both counted); **costPerDay** = total ÷ daysOwned (null for 0 days).',
          'Assets owned at some time in the window, or with costs in it, are in; `categoryId` and `locationId` include everything below them. Highest total first; totals per currency over every asset in the report.',
        ].join('\n') + FormatDoc,
        querystring: TcoQuery,
        response: { 200: TcoOut, ...errorResponses },
      },
    },
    async (req, reply) => {
      const q = req.query;
      const to = q.to ?? todayIso();
      const from = q.from ?? null;
      if (from && to < from) throw problems.validation([{ field: 'to', message: 'must not be before from' }]);
      const categoryIds = await subtreeIds(db, 'core_category', q.categoryId);
      const locationIds = await subtreeIds(db, 'core_location', q.locationId);
      const kindCols = COST_KINDS.map((k, i) => `coalesce(sum(amount) FILTER (WHERE kind = '${k}'), 0) AS k${i}`).join(', ');
      const base = `
        WITH c AS (SELECT asset_id, ${kindCols}, sum(amount) AS entries FROM fixed_assets_cost_entry
                    WHERE ($1::date IS NULL OR incurred_on >= $1::date) AND incurred_on <= $2::date GROUP BY asset_id),
        x AS (
          SELECT a.id, a.tag, a.name, a.status, a.currency, coalesce(a.purchase_date, a.created_at::date) AS acquired_on, a.disposed_on,
                 CASE WHEN coalesce(a.purchase_date, a.created_at::date) BETWEEN coalesce($1::date, '-infinity'::date) AND $2::date THEN coalesce(a.acquisition_cost, 0) ELSE 0 END AS acquisition,
                 ${COST_KINDS.map((_, i) => `coalesce(c.k${i}, 0) AS k${i}`).join(', ')}, coalesce(c.entries, 0) AS entries
            FROM fixed_assets_asset a LEFT JOIN c ON c.asset_id = a.id
           WHERE ($3::uuid[] IS NULL OR a.category_id = ANY($3::uuid[])) AND ($4::uuid[] IS NULL OR a.location_id = ANY($4::uuid[]))
             AND (c.asset_id IS NOT NULL OR (coalesce(a.purchase_date, a.created_at::date) <= $2::date AND (a.disposed_on IS NULL OR $1::date IS NULL OR a.disposed_on >= $1::date)))),
        y AS (
          SELECT x.*, x.acquisition + x.entries AS total,
                 greatest(0, least(coalesce(x.disposed_on, $2::date), $2::date) - greatest(x.acquired_on, coalesce($1::date, x.acquired_on)) + 1) AS days_owned
            FROM x)`;
      const select = `${base}
        SELECT y.id, y.tag, y.name, y.status, y.currency, y.acquired_on::text AS acquired_on, y.disposed_on::text AS disposed_on, y.acquisition::text AS acquisition,
               ${COST_KINDS.map((_, i) => `y.k${i}::text AS k${i}`).join(', ')}, y.total::text AS total, y.days_owned,
               (CASE WHEN y.days_owned > 0 THEN round(y.total / y.days_owned, ${minor}) END)::text AS per_day
          FROM y`;
      const order = `ORDER BY y.total DESC, y.tag`;
      const values = [from, to, categoryIds, locationIds];
      const byKind = (r: Record<string, any>) => Object.fromEntries(COST_KINDS.map((k, i) => [k, money(r[`k${i}`])]));
      const row = (r: Record<string, any>) => ({
        assetId: r.id as string,
        tag: r.tag as string,
        name: r.name as string,
        status: r.status as string,
        currency: r.currency as string,
        acquiredOn: r.acquired_on as string,
        disposedOn: r.disposed_on as string | null,
        acquisitionCost: money(r.acquisition),
        costs: byKind(r),
        total: money(r.total),
        daysOwned: Number(r.days_owned),
        costPerDay: r.per_day === null ? null : money(r.per_day),
      });
      if (q.format === 'csv') {
        return streamCsv(
          ctx,
          reply,
          csvFileName('total-cost-of-ownership', `${from ?? 'start'}-${to}`),
          ['tag', 'asset', 'status', 'currency', 'acquired_on', 'disposed_on', 'acquisition_cost', ...COST_KINDS, 'total', 'days_owned', 'cost_per_day'],
          `${select} ${order}`,
          values,
          (r) => {
            const x = row(r);
            return [csvText(x.tag), csvText(x.name), x.status, x.currency, x.acquiredOn, x.disposedOn, x.acquisitionCost, ...COST_KINDS.map((k) => x.costs[k]), x.total, x.daysOwned, x.costPerDay];
          },
        );
      }
      const { limit, offset } = pageOf(q);
      const rows = await db.execute<Record<string, any>>(`${select} ${order} LIMIT $5 OFFSET $6`, [...values, limit, offset]);
      const totals = await db.execute<Record<string, any>>(
        `${base} SELECT y.currency, count(*) AS n, sum(y.acquisition)::text AS acquisition, ${COST_KINDS.map((_, i) => `sum(y.k${i})::text AS k${i}`).join(', ')}, sum(y.total)::text AS total
                   FROM y GROUP BY y.currency ORDER BY y.currency`,
        values,
      );
      return {
        from,
        to,
        total: totals.reduce((n, t) => n + Number(t.n), 0),
        limit,
        offset,
        data: rows.map(row),
        totals: totals.map((t) => ({ currency: t.currency, assets: Number(t.n), acquisitionCost: money(t.acquisition), costs: byKind(t), total: money(t.total) })),
      };
    },
  );
}

export type NbvReport = Static<typeof NbvOut>;
export type ForecastReport = Static<typeof ForecastOut>;
export type CustodyReport = Static<typeof CustodyReportOut>;
export type UtilizationReport = Static<typeof UtilizationOut>;
export type TcoReport = Static<typeof TcoOut>;
