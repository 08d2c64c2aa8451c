import { Type, problems, type PluginApp, type PluginContext, type Static } from '@quartermaster/sdk';
import { ZERO, amountText, dec, type Dec } from '../../domain/money.js';
import { permissions, type AssetStatus } from '../../shared/index.js';
import type { FixedAssetsOptions } from '../options.js';
import { pathsOf, readerOf, subtreeCte } from '../services/db.js';
import { requireBook } from '../services/depreciation.service.js';
import { disposalAccounting, disposalBookView } from '../services/disposal.service.js';
import { checkDisposal } from '../services/lifecycle.service.js';
import { csvFileName, csvText, sendCsv } from '../services/report-csv.js';
import { DisposalBookFigures } from './outputs.js';
import { DecimalIn, DecimalOut, DisposalKindSchema, IdParams, IsoDate, Nullable, Uuid, errorResponses, lit } from './schemas.js';

const BookCode = Type.String({ pattern: '^[a-z][a-z0-9-]{0,31}$' });

export const DisposalPreviewBody = Type.Object(
  {
    kind: DisposalKindSchema,
    disposedOn: Type.Optional(IsoDate),
    proceeds: Type.Optional(Nullable(DecimalIn)),
    costsOfDisposal: Type.Optional(Nullable(DecimalIn)),
  },
  { additionalProperties: false },
);

const DisposalPreviewOut = Type.Object({ disposedOn: Type.String({ format: 'date' }), currency: Type.String(), books: Type.Array(DisposalBookFigures) });

export const DisposalsQuery = Type.Object(
  {
    from: Type.Optional(IsoDate),
    to: Type.Optional(IsoDate),
    book: Type.Optional(BookCode),
    /** A category and everything below it. */
    categoryId: Type.Optional(Uuid),
    format: Type.Optional(lit(['json', 'csv'] as const)),
  },
  { additionalProperties: false },
);

const Figures = {
  cost: DecimalOut,
  accumulated: DecimalOut,
  netBookValue: DecimalOut,
  proceeds: DecimalOut,
  costsOfDisposal: DecimalOut,
  gainOrLoss: DecimalOut,
};
const DisposalsOut = Type.Object({
  from: Nullable(Type.String({ format: 'date' })),
  to: Nullable(Type.String({ format: 'date' })),
  rows: Type.Array(
    Type.Object({
      assetId: Uuid,
      tag: Type.String(),
      name: Type.String(),
      /** The category's path, e.g. "Vehicles / Vans". */
      category: Nullable(Type.String()),
      kind: DisposalKindSchema,
      disposedOn: Type.String({ format: 'date' }),
      book: Type.String(),
      currency: Type.String(),
      ...Figures,
    }),
  ),
  /** Per book and currency. */
  totals: Type.Array(Type.Object({ book: Type.String(), currency: Type.String(), assets: Type.Integer(), ...Figures })),
});

interface DisposalRow {
  asset_id: string;
  tag: string;
  name: string;
  category_id: string | null;
  kind: Static<typeof DisposalKindSchema>;
  disposed_on: string;
  book_code: string;
  currency: string;
  cost: string;
  accumulated: string;
  nbv: string;
  proceeds: string;
  costs: string;
  gain_or_loss: string;
}

/** The disposal dialog's preview, and the disposals report. */
export function disposalRoutes(app: PluginApp, ctx: PluginContext<any>, options: FixedAssetsOptions) {
  const read = readerOf(ctx);
  const minor = options.currencyMinorUnits;
  const text = (d: Dec | string) => amountText(d, minor);

  app.post(
    '/assets/:id/disposal-preview',
    {
      config: { permission: permissions.assetDispose },
      schema: {
        summary: 'What disposing of an asset would book in each of its depreciation books (nothing is written)',
        description:
          'The same checks and figures as POST /assets/{id}/dispose, per book: cost (with revaluations), accumulated depreciation and impairment at the disposal date with the catch-up from the last posted period, net book value, net proceeds (proceeds less costs of disposal) and gain (+) or loss (−). ' +
          'An asset in no book answers no books.',
        params: IdParams,
        body: DisposalPreviewBody,
        response: { 200: DisposalPreviewOut, ...errorResponses },
      },
    },
    async (req) => {
      const { id } = req.params as { id: string };
      const body = req.body as Static<typeof DisposalPreviewBody>;
      const [asset] = await read.execute<{ id: string; tag: string; status: AssetStatus; purchase_date: string | null; currency: string }>(
        `SELECT id, tag, status, purchase_date::text AS purchase_date, currency FROM fixed_assets_asset WHERE id = $1`,
        [id],
      );
      if (!asset) throw problems.notFound('asset', id);
      const { disposedOn, proceeds, costsOfDisposal } = checkDisposal(asset, body, options);
      const books = await disposalAccounting(read, asset.id, disposedOn, { proceeds, costsOfDisposal }, minor);
      return { disposedOn, currency: asset.currency, books: books.map((b) => disposalBookView({ ...b, book: b.book.code }, text)) };
    },
  );

  app.get(
    '/reports/disposals',
    {
      config: { permission: permissions.depreciationRead },
      schema: {
        summary: 'Disposals: what each book derecognised, with gain or loss',
        description:
          'One row per disposed asset and book, disposed of between `from` and `to` (inclusive), by book and date; `categoryId` includes everything below it. Totals per book and currency. ' +
          'With `format=csv` the same rows come as CSV (RFC 4180, UTF-8).',
        querystring: DisposalsQuery,
        response: { 200: DisposalsOut, ...errorResponses },
      },
    },
    async (req, reply) => {
      const q = req.query as Static<typeof DisposalsQuery>;
      if (q.from && q.to && q.from > q.to) throw problems.validation([{ field: 'to', message: `must not be before from (${q.from})` }]);
      if (q.book) await requireBook(read, q.book);
      if (q.categoryId && !(await read.execute(`SELECT 1 FROM core_category WHERE id = $1`, [q.categoryId])).length) throw problems.validation([{ field: 'categoryId', message: 'no such category' }]);
      const rows = await read.execute<DisposalRow>(
        `WITH RECURSIVE ${subtreeCte('core_category', '$4::uuid')}
         SELECT d.asset_id, a.tag, a.name, a.category_id, a.disposal_kind AS kind, d.disposed_on::text AS disposed_on, d.book_code, a.currency,
                d.cost::text AS cost, d.accumulated::text AS accumulated, d.net_book_value::text AS nbv, d.proceeds::text AS proceeds,
                d.costs_of_disposal::text AS costs, d.gain_or_loss::text AS gain_or_loss
           FROM fixed_assets_disposal_book d JOIN fixed_assets_asset a ON a.id = d.asset_id
          WHERE ($1::date IS NULL OR d.disposed_on >= $1::date) AND ($2::date IS NULL OR d.disposed_on <= $2::date) AND ($3::text IS NULL OR d.book_code = $3)
            AND ($4::uuid IS NULL OR a.category_id IN (SELECT id FROM sub))
          ORDER BY d.book_code, d.disposed_on, a.tag`,
        [q.from ?? null, q.to ?? null, q.book ?? null, q.categoryId ?? null],
      );
      const paths = await pathsOf(read, 'core_category', rows.map((r) => r.category_id));
      const out = rows.map((r) => ({
        assetId: r.asset_id,
        tag: r.tag,
        name: r.name,
        category: r.category_id ? (paths.get(r.category_id)?.path ?? null) : null,
        kind: r.kind,
        disposedOn: r.disposed_on,
        book: r.book_code,
        currency: r.currency,
        cost: text(r.cost),
        accumulated: text(r.accumulated),
        netBookValue: text(r.nbv),
        proceeds: text(r.proceeds),
        costsOfDisposal: text(r.costs),
        gainOrLoss: text(r.gain_or_loss),
      }));
      if (q.format === 'csv') {
        const header = ['tag', 'asset', 'category', 'kind', 'disposed_on', 'book', 'currency', 'cost', 'accumulated', 'net_book_value', 'proceeds', 'costs_of_disposal', 'gain_or_loss'];
        return sendCsv(
          reply,
          csvFileName('disposals', `${q.from ?? 'start'}-${q.to ?? 'today'}`),
          header,
          out.map((r) => [csvText(r.tag), csvText(r.name), csvText(r.category), r.kind, r.disposedOn, r.book, r.currency, r.cost, r.accumulated, r.netBookValue, r.proceeds, r.costsOfDisposal, r.gainOrLoss]),
        );
      }
      const totals = new Map<string, { book: string; currency: string; assets: number; sums: Record<keyof typeof Figures, Dec> }>();
      for (const r of out) {
        const key = `${r.book}\u0000${r.currency}`;
        const t = totals.get(key) ?? { book: r.book, currency: r.currency, assets: 0, sums: { cost: ZERO, accumulated: ZERO, netBookValue: ZERO, proceeds: ZERO, costsOfDisposal: ZERO, gainOrLoss: ZERO } };
        t.assets++;
        for (const k of Object.keys(t.sums) as (keyof typeof Figures)[]) t.sums[k] = t.sums[k].plus(dec(r[k]));
        totals.set(key, t);
      }
      return {
        from: q.from ?? null,
        to: q.to ?? null,
        rows: out,
        totals: [...totals.values()].map((t) => ({ book: t.book, currency: t.currency, assets: t.assets, ...(Object.fromEntries(Object.entries(t.sums).map(([k, v]) => [k, text(v)])) as Record<keyof typeof Figures, string>) })),
      };
    },
  );
}
