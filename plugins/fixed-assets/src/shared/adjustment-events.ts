import { Type, defineEvent } from '@quartermaster/sdk';

const Decimal = Type.String({ description: 'decimal number as a string' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

/** What every adjustment of an asset in a book carries. */
const AdjustmentRef = {
  /** The asset. */
  id: Type.String({ format: 'uuid' }),
  tag: Type.String(),
  book: Type.String(),
  adjustmentId: Type.String({ format: 'uuid' }),
  effectiveOn: Type.String({ format: 'date' }),
  carryingBefore: Decimal,
  carryingAfter: Decimal,
  currency: Type.String(),
  /** Useful life left from effectiveOn, in years (4 places); null when not depreciated over time. */
  remainingLifeYears: Nullable(Type.String()),
  salvageValue: Decimal,
  /** The journal entry that books it; null when nothing was posted (no change in carrying amount). */
  journalEntryId: Nullable(Type.String()),
};

/** An asset was revalued to its fair value in a book (IAS 16 ¶31): up to the revaluation surplus, down through profit or loss. */
export const AssetRevalued = defineEvent(
  'fixed-assets.asset.revalued',
  Type.Object({ ...AdjustmentRef, revaluationSurplus: Decimal, profitOrLoss: Decimal }),
);

/** An asset was written down to its recoverable amount in a book (IAS 36 ¶59). */
export const AssetImpaired = defineEvent(
  'fixed-assets.asset.impaired',
  Type.Object({ ...AdjustmentRef, impairmentLoss: Decimal, revaluationSurplus: Decimal }),
);

/** The useful life or residual value of an asset in a book was re-estimated (IAS 8 ¶36, prospective). */
export const AssetBookEstimateChanged = defineEvent('fixed-assets.asset-book.estimate-changed', Type.Object({ ...AdjustmentRef }));

export const adjustmentEvents = [AssetRevalued, AssetImpaired, AssetBookEstimateChanged];
