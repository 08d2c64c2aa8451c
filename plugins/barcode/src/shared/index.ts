/**
 * The barcode plugin's public contract: permission ids, constants, event schemas and the TypeBox
 * shapes of its HTTP API (shared with the console). No server or console code here.
 */
import { Instant, IsoDate, Nullable, Type, Uuid, defineEvent, lit, type Static } from '@quartermaster/sdk';
import {
  ALLOCATABLE_KEYS,
  IMAGE_FORMATS,
  LABEL_FIELDS,
  LABEL_FORMATS,
  LABEL_TARGET_TYPES,
  MAX_ALLOCATION,
  SCAN_KINDS,
  SYMBOLOGIES,
  ZPL_DPIS,
} from './constants.js';

export * from './constants.js';

// ── GS1 parsing ────────────────────────────────────────────────────────────────────────────────

export const Gs1ElementSchema = Type.Object({
  ai: Type.String({ description: 'Application Identifier, e.g. "17"' }),
  title: Type.String({ description: 'GS1 data title, e.g. "USE BY or EXPIRY"' }),
  value: Type.String({ description: 'The data as encoded' }),
  date: Type.Optional(Type.String({ description: 'Date AIs: ISO 8601 date (day 00 = last day of the month), date-time or range' })),
  decimal: Type.Optional(Type.String({ description: 'Measure and amount AIs: the value with its implied decimal point placed' })),
  currency: Type.Optional(Type.String({ description: 'AIs 391n/393n: ISO 4217 numeric currency code' })),
});

export const Gs1ParseResultSchema = Type.Object({
  elements: Type.Array(Gs1ElementSchema),
  hri: Type.String({ description: 'Human-readable interpretation, "(01)…(17)…"' }),
  symbology: Type.Optional(Type.String({ description: 'Symbology identifier that preceded the data, e.g. "]d2"' })),
  source: lit(['element-string', 'bracketed', 'digital-link', 'plain-gtin'] as const),
});

export const Gs1ParseBody = Type.Object(
  { data: Type.String({ minLength: 1, maxLength: 4000, description: 'As scanned (element string with GS separators, optional symbology identifier), bracketed "(01)…", a GS1 Digital Link URI, or a plain GTIN' }) },
  { additionalProperties: false },
);

// ── Scans ──────────────────────────────────────────────────────────────────────────────────────

export const ScanBody = Type.Object({ data: Type.String({ minLength: 1, maxLength: 4000, description: 'What the scanner sent' }) }, { additionalProperties: false });

const Match = Type.Object({
  identifier: Type.Object({ id: Uuid, type: Type.String(), value: Type.String() }),
  target: Type.Object({ type: Type.String(), id: Uuid, label: Type.String(), href: Type.String() }),
});

export const ScanItemSchema = Type.Object({ id: Uuid, name: Type.String(), unitOfMeasure: Type.String(), trackingMode: Type.String(), archived: Type.Boolean() });
export const ScanLotSchema = Type.Object({
  id: Uuid,
  code: Type.String(),
  expiresOn: Nullable(IsoDate),
  manufacturedOn: Nullable(IsoDate),
  blocked: Type.Boolean(),
  blockReason: Nullable(Type.String()),
  onHand: Type.String({ description: 'On hand over all locations, decimal string' }),
});
export const ScanAssetSchema = Type.Object({
  id: Uuid,
  tag: Type.String(),
  name: Type.String(),
  status: Type.String(),
  serialNumber: Nullable(Type.String()),
  itemId: Nullable(Uuid),
  locationId: Nullable(Uuid),
});
export const ScanLocationSchema = Type.Object({ id: Uuid, name: Type.String(), code: Nullable(Type.String()), type: Type.String(), path: Type.String() });
export const ReceiptPrefillSchema = Type.Object({
  itemId: Uuid,
  lot: Nullable(Type.String()),
  expiresOn: Nullable(IsoDate),
  serials: Type.Optional(Type.Array(Type.String())),
});

export const ScanResultSchema = Type.Object({
  input: Type.String(),
  parsed: Nullable(Gs1ParseResultSchema),
  kind: lit(SCAN_KINDS),
  matches: Type.Array(Match),
  item: Type.Optional(ScanItemSchema),
  lot: Type.Optional(ScanLotSchema),
  serial: Type.Optional(Type.String()),
  asset: Type.Optional(ScanAssetSchema),
  location: Type.Optional(ScanLocationSchema),
  receiptPrefill: Type.Optional(ReceiptPrefillSchema),
});
export type ScanResult = Static<typeof ScanResultSchema>;

// ── Symbols and labels ─────────────────────────────────────────────────────────────────────────

export const SymbolQuery = Type.Object(
  {
    type: lit(SYMBOLOGIES),
    data: Type.String({ minLength: 1, maxLength: 2000 }),
    format: Type.Optional(lit(IMAGE_FORMATS)),
    scale: Type.Optional(Type.Integer({ minimum: 1, maximum: 10, description: 'Pixels per module (PNG) / SVG scale; default 3' })),
    includeText: Type.Optional(Type.Boolean({ description: 'Linear symbols: print the human-readable line; default true' })),
  },
  { additionalProperties: false },
);

const Mm = (minimum: number, maximum: number, description?: string) => Type.Number({ minimum, maximum, ...(description ? { description } : {}) });

export const LabelTemplateSchema = Type.Object(
  {
    widthMm: Mm(10, 300, 'Width of one label'),
    heightMm: Mm(5, 300, 'Height of one label'),
    columns: Type.Optional(Type.Integer({ minimum: 1, maximum: 20, description: 'Labels across a sheet (HTML/SVG); default 1' })),
    rows: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, description: 'Labels down a sheet (HTML/SVG); default 1' })),
    marginMm: Type.Optional(Mm(0, 50, 'Sheet margin; default 0')),
    gapMm: Type.Optional(Mm(0, 50, 'Space between labels; default 0')),
    symbology: lit(SYMBOLOGIES),
    fields: Type.Optional(Type.Array(lit(LABEL_FIELDS), { maxItems: LABEL_FIELDS.length, uniqueItems: true, description: 'Text lines; default name and code' })),
    dpi: Type.Optional(Type.Union(ZPL_DPIS.map((d) => Type.Literal(d)), { description: 'ZPL: printer resolution; default 203' })),
  },
  { additionalProperties: false },
);
export type LabelTemplate = Static<typeof LabelTemplateSchema>;

export const LabelTargetSchema = Type.Object({ type: lit(LABEL_TARGET_TYPES), id: Uuid }, { additionalProperties: false });
export type LabelTarget = Static<typeof LabelTargetSchema>;

export const LabelsBody = Type.Object(
  {
    template: LabelTemplateSchema,
    targets: Type.Array(LabelTargetSchema, { minItems: 1, maxItems: 500 }),
    format: Type.Optional(lit(LABEL_FORMATS)),
  },
  { additionalProperties: false },
);

// ── GS1 key allocation ─────────────────────────────────────────────────────────────────────────

/** Counters are whole numbers well inside JSON's safe integers. */
const Counter = Type.Integer({ minimum: 0, maximum: 999_999_999_999_999 });

export const BarcodeSettingsSchema = Type.Object({
  companyPrefix: Nullable(Type.String({ description: 'GS1 Company Prefix, 6 to 12 digits' })),
  ssccExtensionDigit: Type.Integer({ description: 'Default SSCC extension digit' }),
  nextSscc: Type.Integer({ description: 'Next SSCC serial reference' }),
  nextGiai: Type.Integer({ description: 'Next GIAI individual asset reference' }),
  nextGrai: Type.Integer({ description: 'Next GRAI serial component' }),
  updatedAt: Instant,
});
export type BarcodeSettings = Static<typeof BarcodeSettingsSchema>;

export const BarcodeSettingsUpdate = Type.Object(
  {
    companyPrefix: Type.Optional(Nullable(Type.String({ pattern: '^[0-9]{6,12}$', description: 'GS1 Company Prefix, 6 to 12 digits' }))),
    ssccExtensionDigit: Type.Optional(Type.Integer({ minimum: 0, maximum: 9 })),
    nextSscc: Type.Optional(Counter),
    nextGiai: Type.Optional(Counter),
    nextGrai: Type.Optional(Counter),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const AllocateBody = Type.Object(
  {
    key: lit(ALLOCATABLE_KEYS),
    count: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_ALLOCATION, description: 'How many keys; default 1' })),
    assetType: Type.Optional(Type.String({ pattern: '^[0-9]{1,6}$', description: 'GRAI only: the asset type, zero-padded to the digits the company prefix leaves' })),
    extensionDigit: Type.Optional(Type.Integer({ minimum: 0, maximum: 9, description: 'SSCC only: extension digit; default from the settings' })),
  },
  { additionalProperties: false },
);

export const AllocationSchema = Type.Object({
  allocationId: Uuid,
  key: lit(ALLOCATABLE_KEYS),
  companyPrefix: Type.String(),
  count: Type.Integer(),
  keys: Type.Array(Type.Object({ value: Type.String({ description: 'The key as the data of its AI' }), hri: Type.String({ description: '"(00)…", "(8004)…", "(8003)…"' }) })),
});

// ── Events ─────────────────────────────────────────────────────────────────────────────────────

/** GS1 keys were handed out from the company prefix; they are never handed out again. */
export const KeysAllocated = defineEvent(
  'barcode.keys.allocated',
  Type.Object({
    allocationId: Uuid,
    key: lit(ALLOCATABLE_KEYS),
    companyPrefix: Type.String(),
    count: Type.Integer(),
    first: Type.String(),
    last: Type.String(),
    keys: Type.Array(Type.String()),
  }),
);

/** The company prefix, the default extension digit or a counter was changed. */
export const SettingsUpdated = defineEvent(
  'barcode.settings.updated',
  Type.Object({
    companyPrefix: Nullable(Type.String()),
    ssccExtensionDigit: Type.Integer(),
    nextSscc: Type.Integer(),
    nextGiai: Type.Integer(),
    nextGrai: Type.Integer(),
  }),
);

export const barcodeEvents = [KeysAllocated, SettingsUpdated];
