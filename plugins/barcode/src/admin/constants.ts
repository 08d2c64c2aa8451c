/** Console-side constants; the contract's own come from the dependency-free `shared/constants`. */
import { permissions, type AllocatableKey, type LabelField, type LabelTargetType, type PrinterState, type ScanKind, type Symbology } from '../shared/constants';
import type { LabelTemplate } from './types';

export { ALLOCATABLE_KEYS, LABEL_FIELDS, MAX_ALLOCATION, MAX_COPIES, SYMBOLOGIES, ZPL_DPIS } from '../shared/constants';

export const PLUGIN_ID = 'barcode';
export const BASE = '/api/barcode';
/** Where the console's pages live. */
export const ROUTE_BASE = '/barcode';

export const P = permissions;

/**
 * Other plugins' permissions this console shows or hides actions by (their ids are their contract;
 * the console bundle does not load their `shared` entries, which pull in the server SDK).
 */
export const INVENTORY_MOVES_POST = 'inventory.moves.post';
export const INVENTORY_STOCK_READ = 'inventory.stock.read';
export const ASSET_READ = 'fixed-assets.asset.read';

export const SYMBOLOGY_LABELS: Record<Symbology, string> = {
  qr: 'QR Code',
  datamatrix: 'Data Matrix',
  'gs1-datamatrix': 'GS1 DataMatrix',
  code128: 'Code 128',
  'gs1-128': 'GS1-128',
  ean13: 'EAN-13',
};

/** What a sample symbol of each symbology shows before any target is picked. */
export const SAMPLE_DATA: Record<Symbology, string> = {
  qr: 'https://id.gs1.org/01/09501101530003/10/AB-123',
  datamatrix: 'QM-SAMPLE-0001',
  'gs1-datamatrix': '(01)09501101530003(17)291231(10)AB-123',
  code128: 'QM-SAMPLE-0001',
  'gs1-128': '(01)09501101530003(17)291231(10)AB-123',
  ean13: '950110153000',
};

export const LABEL_FIELD_LABELS: Record<LabelField, string> = {
  name: 'Name',
  code: 'Code',
  lot: 'Lot',
  expiresOn: 'Expiry date',
};

export const TARGET_TYPE_LABELS: Record<LabelTargetType, string> = {
  item: 'Item',
  location: 'Location',
  asset: 'Asset',
  lot: 'Lot',
};

export const KIND_LABELS: Record<ScanKind, string> = {
  item: 'Item',
  lot: 'Lot',
  serial: 'Serial number',
  asset: 'Asset',
  location: 'Location',
  unknown: 'Not known here',
};

export const KEY_LABELS: Record<AllocatableKey, string> = {
  sscc: 'SSCC (00) — logistic units',
  giai: 'GIAI (8004) — individual assets',
  grai: 'GRAI (8003) — returnable assets',
};

/** Formats asked of the browser's `BarcodeDetector` (those a scan in this console can carry). */
export const CAMERA_FORMATS = ['data_matrix', 'qr_code', 'code_128', 'ean_13'] as const;

export interface LabelPreset {
  id: string;
  label: string;
  widthMm: number;
  heightMm: number;
  columns: number;
  rows: number;
  marginMm: number;
  gapMm: number;
}

/** Common label stock; "Custom" is whatever the fields say. */
export const LABEL_PRESETS: LabelPreset[] = [
  { id: 'roll-50x30', label: 'Roll, 50 × 30 mm (one label per page)', widthMm: 50, heightMm: 30, columns: 1, rows: 1, marginMm: 0, gapMm: 0 },
  { id: 'roll-100x50', label: 'Roll, 100 × 50 mm (one label per page)', widthMm: 100, heightMm: 50, columns: 1, rows: 1, marginMm: 0, gapMm: 0 },
  { id: 'a4-3x8', label: 'A4 sheet, 3 × 8 labels of 70 × 37 mm', widthMm: 70, heightMm: 37, columns: 3, rows: 8, marginMm: 0, gapMm: 0 },
  { id: 'a4-3x7', label: 'A4 sheet, 3 × 7 labels of 63.5 × 38.1 mm', widthMm: 63.5, heightMm: 38.1, columns: 3, rows: 7, marginMm: 7, gapMm: 2.5 },
];

/** A printer's badge: its `~HS` state, or why there is none. */
export type PrinterBadge = PrinterState | 'unreachable' | 'disabled' | 'checking';

export const PRINTER_BADGE_LABELS: Record<PrinterBadge, string> = {
  ready: 'Ready',
  'head-open': 'Head open',
  'paper-out': 'Paper out',
  'ribbon-out': 'Ribbon out',
  'over-temperature': 'Head too hot',
  'configuration-lost': 'Configuration lost',
  'under-temperature': 'Head too cold',
  'buffer-full': 'Buffer full',
  paused: 'Paused',
  unreachable: 'Unreachable',
  disabled: 'Disabled',
  checking: 'Checking…',
};

export const PRINTER_BADGE_TAGS: Record<PrinterBadge, 'success' | 'warning' | 'danger' | 'info'> = {
  ready: 'success',
  'head-open': 'danger',
  'paper-out': 'danger',
  'ribbon-out': 'danger',
  'over-temperature': 'danger',
  'configuration-lost': 'danger',
  'under-temperature': 'warning',
  'buffer-full': 'warning',
  paused: 'warning',
  unreachable: 'danger',
  disabled: 'info',
  checking: 'info',
};

/** The label a detail page's widget shows and prints when the printer has no default template. */
export const WIDGET_TEMPLATE: LabelTemplate = { widthMm: 50, heightMm: 30, symbology: 'qr', fields: ['name', 'code'] };

/** Where the console remembers the printer last sent to (per browser). */
export const LAST_PRINTER_KEY = 'qm.barcode.printer';
