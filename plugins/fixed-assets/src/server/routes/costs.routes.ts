import { Type, problems, type PluginApp, type PluginContext } from '@quartermaster/sdk';
import { COST_KINDS, permissions } from '../../shared/index.js';
import type { FixedAssetsOptions } from '../options.js';
import { amountText, dec, ZERO } from '../../domain/money.js';
import { COST_SELECT, costView, postCost, type CostRow } from '../services/costs.service.js';
import { params, readerOf } from '../services/db.js';
import { DecimalIn, DecimalOut, IdParams, IsoDate, Nullable, PageQuery, Uuid, errorResponses, lit, pageOf } from './schemas.js';

export const CostKindSchema = lit(COST_KINDS);

export const CostOut = Type.Object({
  id: Uuid,
  assetId: Uuid,
  incurredOn: Type.String({ format: 'date' }),
  kind: CostKindSchema,
  amount: DecimalOut,
  currency: Type.String(),
  /** `manual`, or the id of the plugin that posted it. */
  source: Type.String(),
  /** The poster's reference (a work order line, an invoice number); null for manual entries without one. */
  sourceRef: Nullable(Type.String()),
  description: Nullable(Type.String()),
  createdAt: Type.String(),
  createdBy: Type.String(),
});

export const CreateCostBody = Type.Object(
  {
    incurredOn: IsoDate,
    kind: CostKindSchema,
    amount: DecimalIn,
    currency: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$', description: "ISO 4217; must be the asset's currency (the default)" })),
    reference: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'An invoice or receipt number: entering the same reference again enters nothing new' })),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);

export const CostListQuery = Type.Object(
  {
    from: Type.Optional(IsoDate),
    to: Type.Optional(IsoDate),
    kind: Type.Optional(Type.Array(CostKindSchema, { maxItems: COST_KINDS.length, description: 'One or more kinds (repeat the parameter)' })),
    ...PageQuery,
  },
  { additionalProperties: false },
);

const CostPage = Type.Object({
  data: Type.Array(CostOut),
  total: Type.Integer(),
  limit: Type.Integer(),
  offset: Type.Integer(),
  currency: Type.String(),
  /** Sums over every entry the filters match (not just this page), per kind and in all. */
  totals: Type.Object({ byKind: Type.Object(Object.fromEntries(COST_KINDS.map((k) => [k, DecimalOut]))), amount: DecimalOut }),
});

/** Costs of an asset: entered by hand here, or posted by other plugins through `fixedAssetsService.postCost`. */
export function costRoutes(app: PluginApp, ctx: PluginContext<any>, options: FixedAssetsOptions) {
  const db = readerOf(ctx);
  const minor = options.currencyMinorUnits;

  app.post(
    '/assets/:id/costs',
    {
      config: { permission: permissions.assetWrite },
      schema: {
        summary: 'Enter a cost of an asset by hand (repair, fuel, insurance…)',
        description:
          "The amount is in the asset's currency, ≥ 0, with at most the currency's decimals. With a `reference` the entry is idempotent: the same reference again answers 200 with the entry already there (409 `fixed-assets/cost-ref-conflict` when it differs). Emits `fixed-assets.asset.cost-posted`.",
        params: IdParams,
        body: CreateCostBody,
        response: { 200: CostOut, 201: CostOut, ...errorResponses },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const { entry, created } = await ctx.transaction(req.actor, (tx) =>
        postCost(
          tx,
          { assetId: req.params.id, incurredOn: b.incurredOn, kind: b.kind, amount: b.amount, currency: b.currency, source: 'manual', sourceRef: b.reference as string, description: b.description },
          { minorUnits: minor, manual: true },
        ),
      );
      return reply.status(created ? 201 : 200).send(entry);
    },
  );

  app.get(
    '/assets/:id/costs',
    {
      config: { permission: permissions.assetRead },
      schema: {
        summary: "An asset's costs, newest first, with sums per kind",
        description: '`from` and `to` (ISO dates, inclusive) filter on the day each cost arose.',
        params: IdParams,
        querystring: CostListQuery,
        response: { 200: CostPage, ...errorResponses },
      },
    },
    async (req) => {
      const q = req.query;
      if (q.from && q.to && q.to < q.from) throw problems.validation([{ field: 'to', message: 'must not be before from' }]);
      const [asset] = await db.execute<{ id: string; currency: string }>(`SELECT id, currency FROM fixed_assets_asset WHERE id = $1`, [req.params.id]);
      if (!asset) throw problems.notFound('asset', req.params.id);
      const { limit, offset } = pageOf(q);
      const { values, p } = params();
      const where = [`e.asset_id = ${p(asset.id)}`];
      if (q.from) where.push(`e.incurred_on >= ${p(q.from)}::date`);
      if (q.to) where.push(`e.incurred_on <= ${p(q.to)}::date`);
      if (q.kind?.length) where.push(`e.kind = ANY(${p(q.kind)}::text[])`);
      const filterValues = [...values];
      const rows = await db.execute<CostRow>(`${COST_SELECT} WHERE ${where.join(' AND ')} ORDER BY e.incurred_on DESC, e.created_at DESC, e.id LIMIT ${p(limit)} OFFSET ${p(offset)}`, values);
      const sums = await db.execute<{ kind: string; amount: string; n: string }>(
        `SELECT e.kind, sum(e.amount)::text AS amount, count(*) AS n FROM fixed_assets_cost_entry e WHERE ${where.join(' AND ')} GROUP BY e.kind`,
        filterValues,
      );
      const byKind = Object.fromEntries(COST_KINDS.map((k) => [k, amountText(sums.find((s) => s.kind === k)?.amount ?? '0', minor)]));
      return {
        data: rows.map((r) => costView(r, minor)),
        total: sums.reduce((n, s) => n + Number(s.n), 0),
        limit,
        offset,
        currency: asset.currency,
        totals: { byKind, amount: amountText(sums.reduce((a, s) => a.plus(dec(s.amount)), ZERO), minor) },
      };
    },
  );
}
