/**
 * Plain constants of the fixed-assets contract, with no runtime imports, so the console (and the
 * pure domain code) can use them without pulling the SDK's schema library in.
 */
export const FIXED_ASSETS_PLUGIN_ID = 'fixed-assets';

export const permissions = {
  assetRead: 'fixed-assets.asset.read',
  assetWrite: 'fixed-assets.asset.write',
  assetDispose: 'fixed-assets.asset.dispose',
  custodyWrite: 'fixed-assets.custody.write',
  bookingWrite: 'fixed-assets.booking.write',
  settingsWrite: 'fixed-assets.settings.write',
  depreciationRead: 'fixed-assets.depreciation.read',
  depreciationRun: 'fixed-assets.depreciation.run',
} as const;

/**
 * Where an asset is in its life. `checked-out`, `in-maintenance` and `in-transit` are spells away
 * from `in-service` that always return to it; `disposed` is final. See domain/lifecycle.ts.
 */
export const ASSET_STATUSES = ['ordered', 'received', 'in-service', 'checked-out', 'in-maintenance', 'in-transit', 'retired', 'disposed'] as const;
export type AssetStatus = (typeof ASSET_STATUSES)[number];

/** Statuses a new asset may be registered in (later ones are reached through transitions). */
export const INITIAL_STATUSES = ['ordered', 'received', 'in-service'] as const satisfies readonly AssetStatus[];
export type InitialStatus = (typeof INITIAL_STATUSES)[number];

/** How an asset left the register. `returned`: sent back to the supplier before it was ever used. */
export const DISPOSAL_KINDS = ['sold', 'scrapped', 'donated', 'lost', 'stolen', 'returned'] as const;
export type DisposalKind = (typeof DISPOSAL_KINDS)[number];

export const ASSET_CONDITIONS = ['new', 'good', 'fair', 'poor', 'broken'] as const;
export type AssetCondition = (typeof ASSET_CONDITIONS)[number];

/** Who can hold an asset that is checked out. */
export const CUSTODY_HOLDER_TYPES = ['user', 'person', 'location', 'project'] as const;
export type CustodyHolderType = (typeof CUSTODY_HOLDER_TYPES)[number];

/** Who a booking is for (a booking reserves for someone; a location does not book). */
export const BOOKING_HOLDER_TYPES = ['user', 'person', 'project'] as const;
export type BookingHolderType = (typeof BOOKING_HOLDER_TYPES)[number];

/**
 * `reserved` and `checked-out` bookings hold their window; `completed` (everything came back) and
 * `cancelled` ones free it.
 */
export const BOOKING_STATUSES = ['reserved', 'checked-out', 'completed', 'cancelled'] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];

export const DOCUMENT_KINDS = ['photo', 'invoice', 'warranty', 'manual', 'certificate', 'other'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

export const CUSTOM_FIELD_TYPES = ['text', 'number', 'integer', 'date', 'boolean', 'select'] as const;
export type CustomFieldType = (typeof CUSTOM_FIELD_TYPES)[number];

/** Identifier target type under which asset tags are registered with the core (`core_identifier.target_type`). */
export const ASSET_TARGET_TYPE = 'fixed-assets.asset';

/** Default tag pattern: `AST-2026-00042`. `{#####}` is the counter, padded to its width. */
export const DEFAULT_TAG_PATTERN = 'AST-{YYYY}-{#####}';
