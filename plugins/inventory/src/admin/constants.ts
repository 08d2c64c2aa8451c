/**
 * Console-side constants. Values are repeated here (checked against `../shared` at compile time
 * through type-only imports) so the console chunk does not pull TypeBox and the SDK's server
 * runtime in with `../shared`'s event schemas.
 */
import type { MoveType, ValuationMethod, permissions as sharedPermissions } from '../shared';

export const PLUGIN_ID = 'inventory';
export const BASE = '/api/inventory';

export const P = {
  stockRead: 'inventory.stock.read',
  movesPost: 'inventory.moves.post',
  movesReverse: 'inventory.moves.reverse',
  lotsWrite: 'inventory.lots.write',
  reservationsWrite: 'inventory.reservations.write',
  settingsWrite: 'inventory.settings.write',
  valuationRead: 'inventory.valuation.read',
} as const satisfies Partial<typeof sharedPermissions>;

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
