/** Console-side constants; the contract's own come from the dependency-free `shared/constants`. */
import { permissions, type MoveType, type ValuationMethod } from '../shared/constants';

export const PLUGIN_ID = 'inventory';
export const BASE = '/api/inventory';

export const P = permissions;

/** Move types a person posts from the console (counts come from count sessions). */
export const FORM_MOVE_TYPES = ['receipt', 'issue', 'transfer', 'adjustment', 'customer-return', 'supplier-return'] as const satisfies readonly MoveType[];
/** Every type the history may show. */
export const ALL_MOVE_TYPES = [...FORM_MOVE_TYPES, 'count'] as const satisfies readonly MoveType[];

export const MOVE_TYPE_LABELS: Record<MoveType, string> = {
  receipt: 'Receipt',
  issue: 'Issue',
  transfer: 'Transfer',
  adjustment: 'Adjustment',
  count: 'Count',
  'customer-return': 'Customer return',
  'supplier-return': 'Supplier return',
};

export const VALUATION_METHOD_LABELS: Record<ValuationMethod, string> = {
  fifo: 'FIFO',
  lifo: 'LIFO',
  'moving-average': 'Moving average',
  standard: 'Standard cost',
};
export const VALUATION_METHODS = Object.keys(VALUATION_METHOD_LABELS) as ValuationMethod[];

/** The what-if calculator knows one more method than the ledger: periodic weighted average. */
export const PREVIEW_METHODS = [
  { value: 'fifo', label: 'FIFO' },
  { value: 'lifo', label: 'LIFO' },
  { value: 'moving-average', label: 'Moving average (perpetual)' },
  { value: 'weighted-average', label: 'Weighted average (periodic)' },
  { value: 'standard', label: 'Standard cost' },
] as const;
export type PreviewMethod = (typeof PREVIEW_METHODS)[number]['value'];

/** Which side of a line a move type fills: `either` = adjustments, one side per line. */
export const DIRECTIONS: Record<MoveType, { from: 'required' | 'forbidden' | 'either'; to: 'required' | 'forbidden' | 'either' }> = {
  receipt: { from: 'forbidden', to: 'required' },
  'customer-return': { from: 'forbidden', to: 'required' },
  issue: { from: 'required', to: 'forbidden' },
  'supplier-return': { from: 'required', to: 'forbidden' },
  transfer: { from: 'required', to: 'required' },
  adjustment: { from: 'either', to: 'either' },
  count: { from: 'either', to: 'either' },
};

export const moveTypeTag = (t: string): 'success' | 'warning' | 'info' | 'danger' | 'primary' =>
  t === 'receipt' || t === 'customer-return' ? 'success' : t === 'issue' || t === 'supplier-return' ? 'warning' : t === 'transfer' ? 'primary' : 'info';

// --- counting ---
export const COUNT_STATUSES = ['counting', 'review', 'posted', 'cancelled'] as const;
export type CountStatus = (typeof COUNT_STATUSES)[number];
export const countStatusTag = (s: string): 'success' | 'warning' | 'info' | 'danger' | 'primary' =>
  s === 'counting' ? 'primary' : s === 'review' ? 'warning' : s === 'posted' ? 'success' : 'info';
export const COUNT_KIND_LABELS: Record<string, string> = { full: 'Stocktake', cycle: 'Cycle count' };
export const ABC_CLASSES = ['A', 'B', 'C'] as const;

// --- purchasing ---
export const PO_STATUSES = ['draft', 'ordered', 'partially-received', 'received', 'closed', 'cancelled'] as const;
export type PurchaseOrderStatus = (typeof PO_STATUSES)[number];
export const PO_STATUS_LABELS: Record<PurchaseOrderStatus, string> = {
  draft: 'Draft',
  ordered: 'Ordered',
  'partially-received': 'Partially received',
  received: 'Received',
  closed: 'Closed',
  cancelled: 'Cancelled',
};
export const poStatusTag = (s: string): 'success' | 'warning' | 'info' | 'danger' | 'primary' =>
  s === 'draft' ? 'info' : s === 'ordered' ? 'primary' : s === 'partially-received' ? 'warning' : s === 'received' ? 'success' : s === 'cancelled' ? 'danger' : 'info';

/** Methods of the period-end report (`GET /reports/periodic`). */
export const PERIODIC_METHODS = [
  { value: 'fifo', label: 'Periodic FIFO' },
  { value: 'lifo', label: 'Periodic LIFO' },
  { value: 'weighted-average', label: 'Weighted average' },
] as const;
export type PeriodicMethod = (typeof PERIODIC_METHODS)[number]['value'];

// --- CSV imports (`imports.routes.ts`) ---
export const IMPORT_KINDS = ['items', 'opening-balances', 'reorder-rules'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];
export const IMPORT_KIND_LABELS: Record<ImportKind, string> = { items: 'Items', 'opening-balances': 'Opening balances', 'reorder-rules': 'Reorder rules' };
/** The columns each kind reads (the first ones required), as the server documents them. */
export const IMPORT_COLUMNS: Record<ImportKind, { required: string[]; optional: string[]; note: string }> = {
  items: {
    required: ['sku', 'name'],
    optional: ['description', 'gtin', 'category', 'kind', 'tracking_mode', 'unit_of_measure', 'valuation_method', 'standard_cost', 'purchase_units'],
    note: 'An existing SKU updates its item; empty cells leave values as they are. Category is a path like “Spare parts / Bearings” (created when missing); purchase units like “box=12;case=144”.',
  },
  'opening-balances': {
    required: ['sku', 'location', 'qty', 'unit_cost'],
    optional: ['uom', 'lot', 'expiry', 'serials'],
    note: 'Posted as receipts with reference OPENING, dated “as of”. Location is a code or a path; expiry YYYY-MM-DD; serials separated by “;”. One opening balance per item × location × lot.',
  },
  'reorder-rules': {
    required: ['sku', 'location'],
    optional: ['kind', 'min', 'max', 'reorder_point', 'safety_stock', 'order_qty', 'order_multiple', 'moq'],
    note: 'One rule per item × location: a column in the file sets the value (an empty cell clears it), a column not in the file leaves it.',
  },
};
export const importStatusTag = (s: string): 'success' | 'warning' | 'info' | 'danger' | 'primary' =>
  s === 'done' ? 'success' : s === 'failed' ? 'danger' : 'primary';

/** Server CSV exports (`GET /export/<what>.csv`), streamed with the list's filters. */
export const exportUrl = (what: 'stock' | 'moves' | 'lots' | 'reservations' | 'counts', q: Record<string, string | undefined> = {}) => {
  const params = new URLSearchParams(Object.entries(q).filter((e): e is [string, string] => !!e[1]));
  const s = params.toString();
  return `${BASE}/export/${what}.csv${s ? `?${s}` : ''}`;
};
