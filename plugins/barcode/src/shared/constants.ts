/**
 * Plain constants of the barcode contract, with no runtime imports, so the console can use them
 * without pulling the SDK's schema library in.
 */
export const BARCODE_PLUGIN_ID = 'barcode';

export const permissions = {
  /** Parse GS1 data, resolve scans, render symbols and label sheets. */
  read: 'barcode.read',
  /** Edit the GS1 company prefix and allocation counters; allocate SSCC, GIAI and GRAI keys. */
  manage: 'barcode.manage',
  /** Send labels to network printers; see the printers, their status and the print jobs. */
  print: 'barcode.print',
} as const;

/**
 * Symbologies rendered here. `datamatrix` is a plain Data Matrix of any text; `gs1-datamatrix`
 * and `gs1-128` carry GS1 element strings (FNC1 first); `ean13` a GTIN-13.
 */
export const SYMBOLOGIES = ['qr', 'datamatrix', 'gs1-datamatrix', 'code128', 'gs1-128', 'ean13'] as const;
export type Symbology = (typeof SYMBOLOGIES)[number];

/** Symbologies that carry GS1 element strings. */
export const GS1_SYMBOLOGIES: readonly Symbology[] = ['gs1-datamatrix', 'gs1-128'];
/** One-dimensional symbologies (bars + a human-readable line under them). */
export const LINEAR_SYMBOLOGIES: readonly Symbology[] = ['code128', 'gs1-128', 'ean13'];

export const IMAGE_FORMATS = ['svg', 'png'] as const;
export type ImageFormat = (typeof IMAGE_FORMATS)[number];

/** What a scan turned out to mean. */
export const SCAN_KINDS = ['item', 'lot', 'serial', 'asset', 'location', 'unknown'] as const;
export type ScanKind = (typeof SCAN_KINDS)[number];

/** What a label can be printed for. Assets need fixed-assets, lots need inventory. */
export const LABEL_TARGET_TYPES = ['item', 'asset', 'location', 'lot'] as const;
export type LabelTargetType = (typeof LABEL_TARGET_TYPES)[number];

/**
 * Text lines a label may show besides its symbol: the target's name, its code (what the symbol
 * encodes, as people read it), the lot code and the expiry date (lot labels).
 */
export const LABEL_FIELDS = ['name', 'code', 'lot', 'expiresOn'] as const;
export type LabelField = (typeof LABEL_FIELDS)[number];

export const LABEL_FORMATS = ['html', 'svg', 'zpl'] as const;
export type LabelFormat = (typeof LABEL_FORMATS)[number];

/** Zebra printer resolutions (dots per inch) a ZPL label may be laid out for. */
export const ZPL_DPIS = [152, 203, 300, 600] as const;

/** GS1 keys this plugin allocates from the company prefix. */
export const ALLOCATABLE_KEYS = ['sscc', 'giai', 'grai'] as const;
export type AllocatableKey = (typeof ALLOCATABLE_KEYS)[number];

/** Most keys one allocation hands out. */
export const MAX_ALLOCATION = 1000;

// ── Network printing ───────────────────────────────────────────────────────────────────────────

/** The device adapter of Zebra-compatible (ZPL) network printers, as stored with each printer device. */
export const PRINTER_ADAPTER_ID = 'zebra-zpl';
/** The raw TCP port ZPL printers listen on ("port 9100", JetDirect-style raw printing). */
export const DEFAULT_PRINTER_PORT = 9100;
/** Printer resolution when the device's settings give none: the most common Zebra head. */
export const DEFAULT_PRINTER_DPI = 203;
/** Milliseconds to wait for the printer to accept the connection, and for it to take data or answer. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 3000;
export const DEFAULT_PRINTER_TIMEOUT_MS = 10_000;
/** Most copies of each label one print job asks for. */
export const MAX_COPIES = 1000;

export const PRINT_JOB_STATUSES = ['sent', 'failed'] as const;
export type PrintJobStatus = (typeof PRINT_JOB_STATUSES)[number];

/** Why a printer could not be used: how the connection or the exchange failed. */
export const PRINTER_FAILURES = ['refused', 'timeout', 'unreachable', 'unknown-host', 'reset', 'no-answer', 'error'] as const;
export type PrinterFailure = (typeof PRINTER_FAILURES)[number];

export { PRINTER_STATES, PRINT_MODES, type PrinterCondition, type PrinterState, type PrintMode } from '../domain/host-status.js';
