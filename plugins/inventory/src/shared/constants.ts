/**
 * Plain constants of the inventory contract, with no runtime imports, so the console can use them
 * without pulling the SDK's schema library into its chunk.
 */
export const INVENTORY_PLUGIN_ID = 'inventory';

export const permissions = {
  stockRead: 'inventory.stock.read',
  movesPost: 'inventory.moves.post',
  movesReverse: 'inventory.moves.reverse',
  lotsWrite: 'inventory.lots.write',
  reservationsWrite: 'inventory.reservations.write',
  settingsWrite: 'inventory.settings.write',
  valuationRead: 'inventory.valuation.read',
  countsWrite: 'inventory.counts.write',
  countsPost: 'inventory.counts.post',
  replenishmentWrite: 'inventory.replenishment.write',
  purchasingWrite: 'inventory.purchasing.write',
  purchasingReceive: 'inventory.purchasing.receive',
  importRun: 'inventory.import.run',
} as const;

export const MOVE_TYPES = ['receipt', 'issue', 'transfer', 'adjustment', 'count', 'customer-return', 'supplier-return'] as const;
export type MoveType = (typeof MOVE_TYPES)[number];

export const VALUATION_METHODS = ['fifo', 'lifo', 'moving-average', 'standard'] as const;
export type ValuationMethod = (typeof VALUATION_METHODS)[number];

