/**
 * The barcode plugin's public contract: permission ids, constants, event schemas and the TypeBox
 * shapes of its HTTP API (shared with the console). No server or console code here.
 */
import { Instant, IsoDate, Nullable, PageQuery, Type, Uuid, defineEvent, lit, type Static } from '@quartermaster/sdk';
import {
  ALLOCATABLE_KEYS,
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_PRINTER_DPI,
  DEFAULT_PRINTER_PORT,
  DEFAULT_PRINTER_TIMEOUT_MS,
  IMAGE_FORMATS,
  LABEL_FIELDS,
  LABEL_FORMATS,
  LABEL_TARGET_TYPES,
  MAX_ALLOCATION,
  MAX_COPIES,
  PRINTER_STATES,
  PRINT_JOB_STATUSES,
  PRINT_MODES,
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

// ── Network printing ───────────────────────────────────────────────────────────────────────────

const Dpi = (options: { default?: number; description?: string } = {}) => Type.Union(ZPL_DPIS.map((d) => Type.Literal(d)), options);
const Millis = (minimum: number, maximum: number, byDefault: number, description: string) => Type.Integer({ minimum, maximum, default: byDefault, description });

/**
 * The settings of a printer device (adapter `zebra-zpl`), checked by the core's device registry
 * when the device is saved. Defaults are applied when the printer is used, not stored.
 */
export const PrinterSettingsSchema = Type.Object(
  {
    host: Type.String({ minLength: 1, maxLength: 253, pattern: '^[A-Za-z0-9:.-]+$', description: 'Host name or IP address of the printer' }),
    port: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535, default: DEFAULT_PRINTER_PORT, description: `Raw TCP printing port; default ${DEFAULT_PRINTER_PORT}` })),
    dpi: Type.Optional(Dpi({ default: DEFAULT_PRINTER_DPI, description: `Print head resolution in dots per inch; default ${DEFAULT_PRINTER_DPI}` })),
    template: Type.Optional(LabelTemplateSchema),
    connectTimeoutMs: Type.Optional(Millis(100, 60_000, DEFAULT_CONNECT_TIMEOUT_MS, `How long to wait for the printer to accept the connection; default ${DEFAULT_CONNECT_TIMEOUT_MS}`)),
    timeoutMs: Type.Optional(Millis(100, 120_000, DEFAULT_PRINTER_TIMEOUT_MS, `How long the printer may stall taking data or answering a status query; default ${DEFAULT_PRINTER_TIMEOUT_MS}`)),
  },
  { additionalProperties: false },
);
export type PrinterSettings = Static<typeof PrinterSettingsSchema>;

/** A printer's settings with the defaults applied. */
export const EffectivePrinterSettingsSchema = Type.Object({
  host: Type.String(),
  port: Type.Integer(),
  dpi: Dpi(),
  template: Nullable(LabelTemplateSchema),
  connectTimeoutMs: Type.Integer(),
  timeoutMs: Type.Integer(),
});

export const PrintBody = Type.Object(
  {
    printerId: Uuid,
    template: Type.Optional(Type.Object(LabelTemplateSchema.properties, { additionalProperties: false, description: "The label's template; default the printer's. Its dpi is replaced by the printer's." })),
    targets: Type.Array(LabelTargetSchema, { minItems: 1, maxItems: 500 }),
    copies: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_COPIES, description: 'Copies of each label (ZPL ^PQ); default 1' })),
  },
  { additionalProperties: false },
);

export const PrintJobSchema = Type.Object({
  id: Uuid,
  printerId: Uuid,
  printerCode: Type.String(),
  printerName: Type.String(),
  status: lit(PRINT_JOB_STATUSES),
  /** Why a failed job failed. */
  error: Nullable(Type.String()),
  template: Type.Object({
    symbology: lit(SYMBOLOGIES),
    widthMm: Type.Number(),
    heightMm: Type.Number(),
    dpi: Dpi(),
    fields: Type.Array(lit(LABEL_FIELDS)),
  }),
  labelCount: Type.Integer({ description: 'Labels in the job, one per target' }),
  copies: Type.Integer({ description: 'Copies of each label' }),
  bytes: Type.Integer({ description: 'Size of the ZPL sent (or meant to be sent)' }),
  printedBy: Type.String({ description: 'Who sent it (user e-mail, API token name)' }),
  createdAt: Instant,
});
export type PrintJob = Static<typeof PrintJobSchema>;

export const PrinterSchema = Type.Object({
  id: Uuid,
  code: Type.String(),
  name: Type.String(),
  model: Nullable(Type.String()),
  locationId: Nullable(Uuid),
  status: lit(['active', 'disabled'] as const),
  settings: EffectivePrinterSettingsSchema,
  lastJob: Nullable(PrintJobSchema),
});
export type Printer = Static<typeof PrinterSchema>;

export const PrinterStatusSchema = Type.Object({
  printerId: Uuid,
  checkedAt: Instant,
  ready: Type.Boolean(),
  state: lit(PRINTER_STATES),
  conditions: Type.Array(lit(PRINTER_STATES)),
  paperOut: Type.Boolean(),
  paused: Type.Boolean(),
  headOpen: Type.Boolean(),
  ribbonOut: Type.Boolean(),
  overTemperature: Type.Boolean(),
  underTemperature: Type.Boolean(),
  bufferFull: Type.Boolean(),
  configurationLost: Type.Boolean(),
  partialFormat: Type.Boolean(),
  diagnosticMode: Type.Boolean(),
  labelWaiting: Type.Boolean(),
  thermalTransfer: Type.Boolean(),
  printMode: Nullable(lit(PRINT_MODES)),
  printModeCode: Type.String(),
  labelLengthDots: Type.Integer(),
  formatsInBuffer: Type.Integer(),
  labelsRemaining: Type.Integer(),
  graphicsStored: Type.Integer(),
  communicationSettings: Type.Integer(),
  functionSettings: Type.Integer(),
  staticRamInstalled: Type.Boolean(),
});
export type PrinterStatus = Static<typeof PrinterStatusSchema>;

export const PrintersQuery = Type.Object({}, { additionalProperties: false });
export const PrintJobsQuery = Type.Object(
  {
    printerId: Type.Optional(Uuid),
    status: Type.Optional(lit(PRINT_JOB_STATUSES)),
    ...PageQuery,
  },
  { additionalProperties: false },
);

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

/**
 * Labels were sent to a network printer (the printer took the ZPL). A job that failed is recorded
 * and audited but not announced: nothing was printed for subscribers to act on.
 */
export const LabelsPrinted = defineEvent(
  'barcode.labels.printed',
  Type.Object({
    jobId: Uuid,
    printerId: Uuid,
    printerCode: Type.String(),
    symbology: lit(SYMBOLOGIES),
    labelCount: Type.Integer(),
    copies: Type.Integer(),
    targets: Type.Array(LabelTargetSchema),
  }),
);

export const barcodeEvents = [KeysAllocated, SettingsUpdated, LabelsPrinted];
