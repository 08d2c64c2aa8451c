/**
 * The inventory plugin's public contract: permission ids, event schemas and service refs that other
 * plugins (maintenance, fixed assets, ERP connectors) may import. No server or console code here.
 */
import { Type, createServiceRef, defineEvent, type Static, type Transaction } from '@quartermaster/sdk';

export * from './constants.js';

const Uuid = Type.String({ format: 'uuid' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
/** Decimal amounts and quantities travel as strings so no binary float ever touches them. */
const Decimal = Type.String({ description: 'decimal number as a string' });

export const MoveLineEvent = Type.Object({
  lineId: Type.String(),
  itemId: Uuid,
  fromLocationId: Nullable(Uuid),
  toLocationId: Nullable(Uuid),
  lotId: Nullable(Uuid),
  serialId: Nullable(Uuid),
  qty: Decimal,
  /** Receipt value, or the cost of goods that left (COGS for issues); null for transfers. */
  amount: Nullable(Decimal),
});

export const MovePosted = defineEvent(
  'inventory.move.posted',
  Type.Object({
    id: Uuid,
    number: Type.String(),
    type: Type.String(),
    reference: Nullable(Type.String()),
    effectiveAt: Type.String({ format: 'date-time' }),
    /** True when earlier than moves already posted for one of its items (their costs were re-valued). */
    backDated: Type.Boolean(),
    /** The date-time asked for when a closed accounting period made the platform re-date the move (see postingPeriodGuards); else null. */
    redatedFrom: Nullable(Type.String({ format: 'date-time' })),
    reversesMoveId: Nullable(Uuid),
    lines: Type.Array(MoveLineEvent),
  }),
);

/** A posted amount changed after the fact: a back-dated move re-valued it, or a receipt valued an issue made without stock. */
export const CostAdjusted = defineEvent(
  'inventory.cost.adjusted',
  Type.Object({
    itemId: Uuid,
    moveId: Uuid,
    lineId: Type.String(),
    moveType: Type.String(),
    previousAmount: Decimal,
    amount: Decimal,
    delta: Decimal,
    reason: Type.Union([Type.Literal('back-dated-move'), Type.Literal('negative-stock-valued')]),
    /** The move that caused the change. */
    causedByMoveId: Uuid,
  }),
);

export const LotBlocked = defineEvent('inventory.lot.blocked', Type.Object({ id: Uuid, itemId: Uuid, code: Type.String(), reason: Nullable(Type.String()) }));
export const LotUnblocked = defineEvent('inventory.lot.unblocked', Type.Object({ id: Uuid, itemId: Uuid, code: Type.String() }));

const ReservationPayload = Type.Object({ id: Uuid, itemId: Uuid, locationId: Uuid, qty: Decimal, reference: Nullable(Type.String()) });
export const ReservationCreated = defineEvent('inventory.reservation.created', ReservationPayload);
export const ReservationReleased = defineEvent('inventory.reservation.released', ReservationPayload);
export const ReservationExpired = defineEvent('inventory.reservation.expired', ReservationPayload);

/** An item × location ran out: on hand reached zero (or below, where negatives are allowed). */
export const StockOut = defineEvent('inventory.stock.out', Type.Object({ itemId: Uuid, locationId: Uuid, moveId: Uuid, onHand: Decimal }));

export const CountStarted = defineEvent('inventory.count.started', Type.Object({ id: Uuid, number: Type.String(), kind: Type.String(), locationId: Uuid, lines: Type.Integer() }));
export const CountPosted = defineEvent('inventory.count.posted', Type.Object({ id: Uuid, number: Type.String(), moveId: Nullable(Uuid), varianceLines: Type.Integer() }));

/** An item × location's inventory position fell to or below its reorder point (or min). Fires once per crossing. */
export const BelowReorderPoint = defineEvent(
  'inventory.stock.below-reorder-point',
  Type.Object({ ruleId: Uuid, itemId: Uuid, locationId: Uuid, position: Decimal, reorderPoint: Decimal }),
);
const PurchaseOrderPayload = Type.Object({ id: Uuid, number: Type.String(), supplierId: Uuid, status: Type.String() });
export const PurchaseOrderCreated = defineEvent('inventory.purchase-order.created', PurchaseOrderPayload);
export const PurchaseOrderStatusChanged = defineEvent('inventory.purchase-order.status-changed', Type.Composite([PurchaseOrderPayload, Type.Object({ previousStatus: Type.String() })]));

export type MovePostedPayload = Static<typeof MovePosted.schema>;

/** One unit taken out of stock to become a fixed asset. */
export interface IssueToAssetInput {
  itemId: string;
  /** Where the unit is taken from. */
  locationId: string;
  /** Lot code; without it the lot is picked first-expiry-first-out. */
  lot?: string;
  /** The unit's serial number (serialized items). */
  serial?: string;
  /** Shown on the move, e.g. the asset tag. */
  reference: string;
  note?: string;
}

/** The issue that took the unit out of stock, and what it cost (the asset's acquisition cost). */
export interface IssuedToAsset {
  moveId: string;
  moveNumber: string;
  lineId: string;
  /** Cost of the unit issued, in the currency's minor unit; null when it waits for a receipt to be valued (negative stock). */
  amount: string | null;
  lot: string | null;
  serial: string | null;
}

/** What other plugins may ask of inventory (e.g. maintenance issuing spare parts). */
export interface InventoryService {
  /** On hand, reserved and available of an item at a location (and its sub-locations). */
  stockAt(itemId: string, locationId: string): Promise<{ onHand: string; reserved: string; available: string }>;
  /**
   * Issue one unit of an item to be capitalised as a fixed asset, inside the caller's transaction
   * (`tx` from the caller's `ctx.transaction`): the issue is valued like any other (COGS on the
   * item's method) and posted only if the caller's transaction commits. Refused like a move
   * (problem+json: not enough stock, blocked lot, unknown serial…).
   */
  issueToAsset(tx: Transaction, input: IssueToAssetInput): Promise<IssuedToAsset>;
  /**
   * Reserve stock (e.g. a work order's spare parts) inside the caller's transaction. Refused like
   * `POST /reservations` (409 `inventory/insufficient-stock` naming the shortfall, 400 for unknown
   * items or locations). Returns the reservation id.
   */
  reserve(tx: Transaction, input: ReserveStockInput): Promise<string>;
  /** Give back what a reservation still holds, in the caller's transaction; false when it was no longer active. */
  release(tx: Transaction, reservationId: string): Promise<boolean>;
  /**
   * Issue stock (consumption) in one move inside the caller's transaction: valued on each item's
   * method, COGS recorded per line, reservations named on lines drawn down. Refused like a move.
   */
  issue(tx: Transaction, input: IssueStockInput): Promise<IssuedStock>;
  /**
   * The lot of an item with this code (codes are unique per item, compared exactly), e.g. for a
   * scanned GS1 (01) GTIN + (10) batch/lot; null when nothing was ever received under it.
   */
  findLot(itemId: string, lotCode: string): Promise<LotSummary | null>;
  /** A lot by id (e.g. a label to print for it); null when there is none. */
  getLot(lotId: string): Promise<LotSummary | null>;
}

/** What other plugins see of a lot. */
export interface LotSummary {
  id: string;
  itemId: string;
  code: string;
  /** ISO date, or null when the lot has no expiry. */
  expiresOn: string | null;
  manufacturedOn: string | null;
  blocked: boolean;
  blockReason: string | null;
  /** On hand over all locations, a decimal string. */
  onHand: string;
}

export interface ReserveStockInput {
  itemId: string;
  locationId: string;
  qty: string | number;
  lot?: string;
  /** What the stock is held for, e.g. `maintenance.work-order`. */
  referenceType?: string;
  /** Shown on the reservation, e.g. the work order number. */
  reference?: string;
  expiresAt?: string;
}

export interface IssueStockInput {
  reference: string;
  note?: string;
  /** The move lines' reason, e.g. `maintenance`. */
  reason?: string;
  lines: Array<{ itemId: string; locationId: string; qty: string | number; lot?: string; serials?: string[]; reservationId?: string }>;
}

/** One issue move; `lines` answer the input lines in order (a line picked from several lots has several move lines). */
export interface IssuedStock {
  moveId: string;
  moveNumber: string;
  lines: Array<{
    lineIds: string[];
    itemId: string;
    qty: string;
    /** Cost of goods issued, in the currency's minor unit; null while waiting for a receipt to value it (negative stock). */
    amount: string | null;
    lots: string[];
  }>;
}
export const inventoryService = createServiceRef<InventoryService>('inventory.stock');
