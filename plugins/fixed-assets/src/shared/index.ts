/**
 * The fixed-assets plugin's public contract: permission ids, statuses, event schemas and the
 * service ref that other plugins (maintenance, ERP connectors, audits) may import. No server or
 * console code here.
 */
import { Type, createExtensionPoint, createServiceRef, defineEvent, type Actor, type Static, type Transaction } from '@quartermaster/sdk';
import type { TLiteral, TUnion } from '@sinclair/typebox';
import { ASSET_STATUSES, BOOKING_HOLDER_TYPES, CUSTODY_HOLDER_TYPES, DISPOSAL_KINDS, INITIAL_STATUSES, type AssetStatus, type ScanSource } from './constants.js';
import type { CostEntry, PostCostInput } from './costs.js';

export * from './constants.js';
export * from './costs.js';
export * from './campaign-events.js';

const Uuid = Type.String({ format: 'uuid' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
/** A union of string literals that keeps its literal types. */
const lit = <const T extends readonly string[]>(xs: T): TUnion<{ -readonly [K in keyof T]: TLiteral<T[K] & string> }> => Type.Union(xs.map((x) => Type.Literal(x))) as never;
/** Money travels as decimal strings so no binary float ever touches it. */
const Decimal = Type.String({ description: 'decimal number as a string' });
const Instant = Type.String({ format: 'date-time' });

export const AssetStatusSchema = lit(ASSET_STATUSES);

/** Who holds a checked-out asset, or who a booking is for. `id` is null for a project (named by `label`). */
export const HolderSchema = Type.Object({ type: lit(CUSTODY_HOLDER_TYPES), id: Nullable(Uuid), label: Type.String() });
export type Holder = Static<typeof HolderSchema>;
export const BookingHolderSchema = Type.Object({ type: lit(BOOKING_HOLDER_TYPES), id: Nullable(Uuid), label: Type.String() });

const AssetRef = { id: Uuid, tag: Type.String() };

export const AssetCreated = defineEvent(
  'fixed-assets.asset.created',
  Type.Object({
    ...AssetRef,
    name: Type.String(),
    status: AssetStatusSchema,
    categoryId: Nullable(Uuid),
    locationId: Nullable(Uuid),
    parentId: Nullable(Uuid),
    /** What the asset cost (its acquisition cost in the register); null when not known yet. */
    acquisitionCost: Nullable(Decimal),
    currency: Type.String(),
    purchaseDate: Nullable(Type.String({ format: 'date' })),
    /** The inventory move line that issued it from stock (POST /assets/from-stock); null otherwise. */
    fromStockMoveLineId: Nullable(Type.String()),
  }),
);
export const AssetUpdated = defineEvent('fixed-assets.asset.updated', Type.Object({ ...AssetRef, changed: Type.Array(Type.String()) }));

/** Every status change, whatever caused it; the specific events below say what happened. */
export const AssetStatusChanged = defineEvent(
  'fixed-assets.asset.status-changed',
  Type.Object({ ...AssetRef, from: AssetStatusSchema, to: AssetStatusSchema, action: Type.String(), reason: Nullable(Type.String()) }),
);

const TransitionPayload = Type.Object({ ...AssetRef, from: AssetStatusSchema, to: AssetStatusSchema, reason: Nullable(Type.String()) });
export const AssetReceived = defineEvent('fixed-assets.asset.received', TransitionPayload);
export const AssetPlacedInService = defineEvent('fixed-assets.asset.placed-in-service', TransitionPayload);
export const AssetMaintenanceStarted = defineEvent('fixed-assets.asset.maintenance-started', TransitionPayload);
export const AssetMaintenanceEnded = defineEvent('fixed-assets.asset.maintenance-ended', TransitionPayload);
export const AssetDispatched = defineEvent('fixed-assets.asset.dispatched', TransitionPayload);
export const AssetArrived = defineEvent('fixed-assets.asset.arrived', TransitionPayload);
export const AssetRetired = defineEvent('fixed-assets.asset.retired', TransitionPayload);
export const AssetReinstated = defineEvent('fixed-assets.asset.reinstated', TransitionPayload);

export const AssetDisposed = defineEvent(
  'fixed-assets.asset.disposed',
  Type.Object({
    ...AssetRef,
    from: AssetStatusSchema,
    kind: lit(DISPOSAL_KINDS),
    disposedOn: Type.String({ format: 'date' }),
    proceeds: Nullable(Decimal),
    currency: Type.String(),
    reason: Nullable(Type.String()),
    categoryId: Nullable(Uuid),
    locationId: Nullable(Uuid),
    /** What the disposal booked in each depreciation book (the figures of its journal entry). */
    books: Type.Array(
      Type.Object({
        book: Type.String(),
        cost: Decimal,
        accumulated: Decimal,
        catchUpDepreciation: Decimal,
        netBookValue: Decimal,
        proceeds: Decimal,
        costsOfDisposal: Decimal,
        netProceeds: Decimal,
        gainOrLoss: Decimal,
      }),
    ),
  }),
);

export const AssetCheckedOut = defineEvent(
  'fixed-assets.asset.checked-out',
  Type.Object({ ...AssetRef, custodyId: Uuid, holder: HolderSchema, expectedReturnAt: Nullable(Instant), bookingId: Nullable(Uuid) }),
);
export const AssetCheckedIn = defineEvent(
  'fixed-assets.asset.checked-in',
  Type.Object({ ...AssetRef, custodyId: Uuid, holder: HolderSchema, condition: Nullable(Type.String()), late: Type.Boolean() }),
);
/** A custody passed its expected return without the asset coming back. Emitted once per custody. */
export const AssetOverdue = defineEvent(
  'fixed-assets.asset.overdue',
  Type.Object({ ...AssetRef, custodyId: Uuid, holder: HolderSchema, checkedOutAt: Instant, expectedReturnAt: Instant }),
);

/** The asset's location changed; `withParentId` is set when it moved because its parent did. */
export const AssetMoved = defineEvent(
  'fixed-assets.asset.moved',
  Type.Object({ ...AssetRef, fromLocationId: Nullable(Uuid), toLocationId: Uuid, withParentId: Nullable(Uuid), reason: Nullable(Type.String()) }),
);

const BookingPayload = Type.Object({
  id: Uuid,
  number: Type.String(),
  assetIds: Type.Array(Uuid),
  kitId: Nullable(Uuid),
  startsAt: Instant,
  endsAt: Instant,
  holder: BookingHolderSchema,
});
export const BookingCreated = defineEvent('fixed-assets.booking.created', BookingPayload);
export const BookingCancelled = defineEvent('fixed-assets.booking.cancelled', Type.Composite([BookingPayload, Type.Object({ reason: Nullable(Type.String()) })]));

/** Event per lifecycle transition, by the transition's `event` name (domain/lifecycle.ts). */
export const TRANSITION_EVENTS = {
  received: AssetReceived,
  'placed-in-service': AssetPlacedInService,
  'maintenance-started': AssetMaintenanceStarted,
  'maintenance-ended': AssetMaintenanceEnded,
  dispatched: AssetDispatched,
  arrived: AssetArrived,
  retired: AssetRetired,
  reinstated: AssetReinstated,
} as const;

export const fixedAssetsEvents = [
  AssetCreated,
  AssetUpdated,
  AssetStatusChanged,
  ...Object.values(TRANSITION_EVENTS),
  AssetDisposed,
  AssetCheckedOut,
  AssetCheckedIn,
  AssetOverdue,
  AssetMoved,
  BookingCreated,
  BookingCancelled,
];

export type AssetCreatedPayload = Static<typeof AssetCreated.schema>;
export type AssetStatusChangedPayload = Static<typeof AssetStatusChanged.schema>;

/** What other plugins see of an asset. */
export interface AssetSummary {
  id: string;
  tag: string;
  name: string;
  status: AssetStatus;
  serialNumber: string | null;
  itemId: string | null;
  categoryId: string | null;
  locationId: string | null;
  parentId: string | null;
}

/** What other plugins may ask of fixed assets (e.g. maintenance putting an asset in maintenance). */
export interface FixedAssetsService {
  getAsset(id: string): Promise<AssetSummary | null>;
  /** The asset a tag (as printed on its label) belongs to. */
  findByTag(tag: string): Promise<AssetSummary | null>;
  /**
   * Move an asset to another status through a plain lifecycle transition (receive, place in
   * service, start/end maintenance, dispatch/arrive, retire, reinstate), in its own transaction,
   * recorded in the asset's history as done by `actor`. Check-out/in and disposal carry more data
   * and have their own routes. Throws a 409 ProblemError (`fixed-assets/illegal-transition`,
   * `fixed-assets/transition-needs-action`) when the lifecycle does not allow it.
   */
  setStatus(actor: Actor, assetId: string, status: AssetStatus, options?: { reason?: string }): Promise<AssetSummary>;
  /**
   * The same transition inside the caller's transaction `tx` (e.g. a work order starting puts
   * its asset in maintenance): both commit or neither does. The asset row is locked until the
   * caller commits. Throws the same 409 ProblemErrors as `setStatus`.
   */
  setStatusIn(tx: Transaction, assetId: string, status: AssetStatus, options?: { reason?: string }): Promise<AssetSummary>;
  /**
   * Record a cost of an asset (a repair, a calibration, fuel…) in the cost-of-ownership ledger,
   * inside the caller's own transaction `tx`, so it commits or rolls back with the caller's work.
   * Idempotent per (`source`, `sourceRef`): posting the same reference again answers the entry
   * already there with `created: false` (a 409 `fixed-assets/cost-ref-conflict` when the amount,
   * kind, date or asset differ). Bad input throws a 400 `validation` ProblemError naming the
   * fields; an unknown asset is a 404. The `fixed-assets.asset.cost-posted` event goes out once
   * the caller's transaction has committed.
   */
  postCost(tx: Transaction, input: PostCostInput): Promise<CostEntry & { created: boolean }>;
  /**
   * Register an asset inside the caller's transaction, exactly as `POST /assets` does (tag from the
   * pattern unless given, the tag in the core's identifier registry, history, audit, the
   * `fixed-assets.asset.created` event after commit). Bad input throws a 400 `validation` ProblemError
   * naming the fields.
   */
  registerAsset(tx: Transaction, input: RegisterAssetInput): Promise<AssetSummary>;
  /**
   * Record where an asset was seen by a device (an RFID portal, a GPS geofence) inside the caller's
   * transaction: the asset and its components move to `locationId` with a history entry, audit
   * record and `fixed-assets.asset.moved` event, exactly as `POST /assets/:id/move` — unless it is
   * already there (answers `moved: false`, writes nothing). A component is not moved on its own
   * (its parent is), and a disposed asset is left alone: both answer `moved: false` with `skipped`
   * saying why, because a device reading is not a request someone can correct.
   */
  relocateIn(tx: Transaction, assetId: string, locationId: string, options: { reason: string }): Promise<{ moved: boolean; skipped?: 'component' | 'final' | 'unknown-asset'; movedIds: string[] }>;
  /**
   * Record what a device read at a location (RFID EPCs, asset tags, any code the identifier
   * resolution maps to an asset) as scans, inside the caller's transaction, in every open
   * verification campaign whose location (or a place below it) holds `locationId` — scanned at
   * `locationId`, by `deviceLabel`, exactly as `POST /campaigns/:id/scans` records them: `found`
   * (misplaced when registered elsewhere in the campaign), `unexpected`, `unknown`, `ambiguous`,
   * and `duplicate` for an asset or code the campaign already has (its read count goes up; no row
   * is added). Codes a campaign already has are counted without being resolved again, so a tag
   * sitting under a reader costs one statement per campaign and batch. Nothing is refused: a
   * location no open campaign covers, an unknown location or blank codes record nothing.
   */
  recordAuditReads(tx: Transaction, input: AuditReadsInput): Promise<AuditReadsOutcome>;
}

/** What a device read at one location (see `FixedAssetsService.recordAuditReads`). */
export interface AuditReadsInput {
  /** Where the codes were read (an RFID antenna's zone). */
  locationId: string;
  /** The codes as read, repeats included (each is one reading). */
  codes: string[];
  source: ScanSource;
  /** Recorded as who scanned, e.g. `RFID dock-1`. */
  deviceLabel: string;
}

/** Per open campaign that covered the location: how many readings had each result. */
export interface AuditReadsOutcome {
  campaigns: {
    campaignId: string;
    number: string;
    found: number;
    unexpected: number;
    unknown: number;
    ambiguous: number;
    duplicate: number;
  }[];
}

/** What another plugin gives to register an asset (a subset of `POST /assets`). */
export interface RegisterAssetInput {
  name: string;
  tag?: string;
  status?: (typeof INITIAL_STATUSES)[number];
  serialNumber?: string | null;
  itemId?: string | null;
  categoryId?: string | null;
  locationId?: string | null;
  supplier?: string | null;
  purchaseDate?: string | null;
  /** Decimal string or number, in `currency` (default: the plugin's `defaultCurrency`). */
  acquisitionCost?: string | number | null;
  currency?: string;
  notes?: string | null;
}
export const fixedAssetsService = createServiceRef<FixedAssetsService>('fixed-assets.assets');

/**
 * Why an asset may not be checked out now, beyond its lifecycle and bookings (an overdue
 * calibration, a safety lock-out). Called inside the check-out's transaction, with the asset row
 * locked; answer null to allow, or a refusal that becomes a 409 problem+json with your `type`.
 */
export type CheckOutGuard = (tx: Transaction, asset: AssetSummary) => Promise<CheckOutRefusal | null>;
export interface CheckOutRefusal {
  /** Stable problem type of the contributing plugin, e.g. `maintenance/calibration-overdue`. */
  type: string;
  title: string;
  detail: string;
  extensions?: Record<string, unknown>;
}
/** Contributed by plugins that depend on fixed-assets (maintenance blocks instruments whose calibration is overdue). */
export const checkOutGuards = createExtensionPoint<CheckOutGuard>('fixed-assets.check-out-guards', 'Refuse a check-out for reasons other plugins know (overdue calibration).');
