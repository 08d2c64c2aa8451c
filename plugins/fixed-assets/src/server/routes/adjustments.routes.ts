import { Type, type PluginApp, type PluginContext, type Static } from '@quartermaster/sdk';
import { ADJUSTMENT_KINDS } from '../../domain/depreciation/index.js';
import { permissions } from '../../shared/index.js';
import { adjustAssetBook, listAdjustments, type AdjustmentOptions } from '../services/adjustments.service.js';
import { readerOf } from '../services/db.js';
import { DecimalIn, DecimalOut, IdParams, IsoDate, Nullable, Reason, Uuid, errorResponses, lit } from './schemas.js';

const BookParams = Type.Object({ id: IdParams.properties.id, book: Type.String({ pattern: '^[a-z][a-z0-9-]{0,31}$' }) }, { additionalProperties: false });

export const AdjustmentBody = Type.Object(
  {
    kind: lit(ADJUSTMENT_KINDS),
    /** First day of a period of the book. */
    effectiveOn: IsoDate,
    /** Revaluation: the fair value, the carrying amount from then on. */
    newCarryingAmount: Type.Optional(DecimalIn),
    /** Impairment: carrying amount less recoverable amount. */
    impairmentLoss: Type.Optional(DecimalIn),
    /** Useful life left from effectiveOn, in years; default what is left of the current one. */
    usefulLifeYears: Type.Optional(DecimalIn),
    /** Residual value from effectiveOn; default the current one (at most the carrying amount). */
    salvageValue: Type.Optional(DecimalIn),
    reason: Reason,
  },
  { additionalProperties: false },
);

export const AdjustmentOut = Type.Object({
  id: Uuid,
  assetId: Uuid,
  book: Type.String(),
  kind: lit(ADJUSTMENT_KINDS),
  effectiveOn: Type.String({ format: 'date' }),
  carryingBefore: DecimalOut,
  carryingAfter: DecimalOut,
  /** Change in carrying amount: carryingAfter − carryingBefore. */
  amount: DecimalOut,
  /** Change in the asset's revaluation surplus (equity): + credited, − debited. */
  revaluationSurplus: DecimalOut,
  /** Recognised in profit or loss: − a loss (revaluation decrease, impairment), + a reversal. */
  profitOrLoss: DecimalOut,
  /** Useful life left from effectiveOn, in years, that the schedule continues with; null when not depreciated over time. */
  usefulLifeYears: Nullable(Type.String()),
  /** Residual value the schedule continues with. */
  salvageValue: DecimalOut,
  journalEntryId: Nullable(Type.String()),
  reason: Nullable(Type.String()),
  createdAt: Type.String(),
  createdBy: Type.String(),
});

/** Revaluation, impairment and changes in estimates of an asset in a book (prospective). */
export function adjustmentRoutes(app: PluginApp, ctx: PluginContext<any>, options: AdjustmentOptions) {
  app.post(
    '/assets/:id/books/:book/adjustments',
    {
      config: { permission: permissions.depreciationRun },
      schema: {
        summary: 'Revalue, impair, or re-estimate the life or residual value of an asset in a book',
        description:
          'Prospective (IAS 8): effective on the first day of a period of the book, the schedule is re-based from then on — the carrying amount after the adjustment, less the residual value, over the life left, with the same method — and period runs, the schedule and disposal follow it. ' +
          '`revaluation` (IAS 16) takes the fair value as `newCarryingAmount`: an increase is credited to the revaluation surplus (after reversing decreases recognised in profit or loss before), a decrease is debited to the surplus as far as it goes and to loss beyond. ' +
          '`impairment` (IAS 36) takes `impairmentLoss`: debited to impairment loss (to the revaluation surplus first, if any), credited to accumulated depreciation and impairment. ' +
          '`estimate-change` takes a new `usefulLifeYears` (life left from effectiveOn) and/or `salvageValue`; it books nothing. ' +
          'The periods before effectiveOn must be posted (409 `fixed-assets/depreciation-not-posted` names the last posted period) and none after it (409 `fixed-assets/posted-after-effective-date`); a closed period is 409 `fixed-assets/period-closed`; MACRS is not adjusted (409 `fixed-assets/not-adjustable`).',
        params: BookParams,
        body: AdjustmentBody,
        response: { 201: AdjustmentOut, ...errorResponses },
      },
    },
    async (req, reply) => {
      const { id, book } = req.params as Static<typeof BookParams>;
      const body = req.body as Static<typeof AdjustmentBody>;
      const out = await ctx.transaction(req.actor, (tx) => adjustAssetBook(tx, id, book, body, options));
      return reply.status(201).send(out);
    },
  );

  app.get(
    '/assets/:id/books/:book/adjustments',
    {
      config: { permission: permissions.depreciationRead },
      schema: {
        summary: "An asset's revaluations, impairments and changes in estimates in a book, oldest first",
        params: BookParams,
        response: { 200: Type.Array(AdjustmentOut), ...errorResponses },
      },
    },
    async (req) => {
      const { id, book } = req.params as Static<typeof BookParams>;
      return listAdjustments(readerOf(ctx), id, book, options.minorUnits);
    },
  );
}
