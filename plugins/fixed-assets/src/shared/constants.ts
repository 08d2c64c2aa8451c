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
  auditRun: 'fixed-assets.audit.run',
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

/** What a cost in the cost-of-ownership ledger was for (`acquisition`: freight, installation and the like on top of the purchase price). */
export const COST_KINDS = ['acquisition', 'maintenance', 'repair', 'calibration', 'fuel', 'insurance', 'other'] as const;
export type CostKind = (typeof COST_KINDS)[number];

/** `source` of cost entries entered by hand (REST); plugins post under their own id. */
export const MANUAL_COST_SOURCE = 'manual';

/** Verification campaigns (physical audits): a campaign is open until it is closed (reconciled) or cancelled. */
export const CAMPAIGN_STATUSES = ['open', 'closed', 'cancelled'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

/** What read a code during a campaign. */
export const SCAN_SOURCES = ['barcode', 'rfid', 'manual'] as const;
export type ScanSource = (typeof SCAN_SOURCES)[number];

/**
 * The answer to one scanned code: `found` (the asset belongs here), `unexpected` (registered
 * somewhere outside the campaign), `unknown` (no asset has this code), `ambiguous` (several
 * assets do), `duplicate` (already scanned in this campaign: repeats never count twice).
 */
export const SCAN_RESULTS = ['found', 'unexpected', 'unknown', 'ambiguous', 'duplicate'] as const;
export type ScanResult = (typeof SCAN_RESULTS)[number];

/** Where a campaign line stands: `missing` is expected and not (yet) scanned. */
export const CAMPAIGN_LINE_STATES = ['found', 'missing', 'unexpected', 'unknown'] as const;
export type CampaignLineState = (typeof CAMPAIGN_LINE_STATES)[number];

/** How a discrepancy is settled before a campaign closes. */
export const RECONCILE_ACTIONS = ['move-here', 'flag-missing', 'mark-lost', 'ignore'] as const;
export type ReconcileAction = (typeof RECONCILE_ACTIONS)[number];

/** CSV import jobs: `validating` → `importing` → `done`, or `failed` (nothing imported when a row is invalid). */
export const IMPORT_STATUSES = ['validating', 'importing', 'done', 'failed'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];
/** `create`: every row is a new asset (a tag already registered is an error); `upsert`: a registered tag updates that asset. */
export const IMPORT_MODES = ['create', 'upsert'] as const;
export type ImportMode = (typeof IMPORT_MODES)[number];
