/**
 * Mirrors of the upstream events this connector books, written from the published event catalogue
 * (docs/api/events.md) with only the fields it reads. The platform delivers events by name, so a
 * third party needs no other plugin's code to subscribe; extra fields in a payload are ignored.
 */
import { Type, defineEvent, type Static } from '@quartermaster/sdk';

const Decimal = Type.String({ description: 'decimal number as a string' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const InventoryMovePosted = defineEvent(
  'inventory.move.posted',
  Type.Object({
    id: Type.String(),
    number: Type.String(),
    type: Type.String(),
    reference: Nullable(Type.String()),
    effectiveAt: Type.String({ format: 'date-time' }),
    reversesMoveId: Nullable(Type.String()),
    lines: Type.Array(
      Type.Object({
        lineId: Type.String(),
        itemId: Type.String(),
        fromLocationId: Nullable(Type.String()),
        toLocationId: Nullable(Type.String()),
        qty: Decimal,
        /** Receipt value or cost of goods that left; null for transfers and issues waiting for a receipt. */
        amount: Nullable(Decimal),
      }),
    ),
  }),
);
export type InventoryMovePayload = Static<typeof InventoryMovePosted.schema>;

export const InventoryCostAdjusted = defineEvent(
  'inventory.cost.adjusted',
  Type.Object({ itemId: Type.String(), moveId: Type.String(), lineId: Type.String(), moveType: Type.String(), delta: Decimal, reason: Type.String(), causedByMoveId: Type.String() }),
);
export type InventoryCostAdjustedPayload = Static<typeof InventoryCostAdjusted.schema>;

export const FixedAssetCreated = defineEvent(
  'fixed-assets.asset.created',
  Type.Object({
    id: Type.String(),
    tag: Type.String(),
    categoryId: Nullable(Type.String()),
    locationId: Nullable(Type.String()),
    acquisitionCost: Type.Optional(Nullable(Decimal)),
    currency: Type.Optional(Type.String()),
    purchaseDate: Type.Optional(Nullable(Type.String())),
    fromStockMoveLineId: Type.Optional(Nullable(Type.String())),
  }),
);
export type FixedAssetCreatedPayload = Static<typeof FixedAssetCreated.schema>;

export const FixedAssetsDepreciationPosted = defineEvent(
  'fixed-assets.depreciation.posted',
  Type.Object({
    runId: Type.String(),
    book: Type.String(),
    periodStart: Type.String(),
    periodEnd: Type.String(),
    totalAmount: Decimal,
    lines: Type.Optional(Type.Array(Type.Object({ categoryId: Nullable(Type.String()), siteId: Nullable(Type.String()), amount: Decimal, assets: Type.Integer() }))),
  }),
);
export type DepreciationPostedPayload = Static<typeof FixedAssetsDepreciationPosted.schema>;

export const FixedAssetDisposed = defineEvent(
  'fixed-assets.asset.disposed',
  Type.Object({
    id: Type.String(),
    tag: Type.String(),
    kind: Type.String(),
    disposedOn: Type.String(),
    currency: Type.String(),
    categoryId: Type.Optional(Nullable(Type.String())),
    locationId: Type.Optional(Nullable(Type.String())),
    books: Type.Optional(
      Type.Array(
        Type.Object({ book: Type.String(), cost: Decimal, accumulated: Decimal, catchUpDepreciation: Decimal, netProceeds: Decimal, gainOrLoss: Decimal }),
      ),
    ),
  }),
);
export type AssetDisposedPayload = Static<typeof FixedAssetDisposed.schema>;

export const upstreamEvents = [InventoryMovePosted, InventoryCostAdjusted, FixedAssetCreated, FixedAssetsDepreciationPosted, FixedAssetDisposed];
