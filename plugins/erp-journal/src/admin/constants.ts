/** Console-side constants; the contract's own come from the dependency-free `shared/constants`. */
import { ACCOUNT_ROLES, SOURCE_TYPES, permissions, type AccountRole, type SourceType } from '../shared/constants';

export const PLUGIN_ID = 'erp-journal';
export const BASE = '/api/erp-journal';
export const P = permissions;
export { ACCOUNT_ROLES, SOURCE_TYPES };

export const ROLE_LABELS: Record<AccountRole, string> = {
  inventory: 'Inventory',
  'goods-received-not-invoiced': 'Goods received not invoiced',
  cogs: 'Cost of goods sold',
  'inventory-adjustment': 'Inventory adjustments',
  'count-variance': 'Count variances',
  'fixed-assets-cost': 'Fixed assets at cost',
  'fixed-assets-clearing': 'Fixed-asset clearing',
  'accumulated-depreciation': 'Accumulated depreciation',
  'depreciation-expense': 'Depreciation expense',
  'disposal-proceeds': 'Disposal proceeds',
  'gain-on-disposal': 'Gain on disposal',
  'loss-on-disposal': 'Loss on disposal',
};

export const SOURCE_LABELS: Record<SourceType, string> = {
  'inventory-move': 'Inventory move',
  'inventory-cost-adjustment': 'Cost re-valued',
  'asset-acquisition': 'Asset acquired',
  'depreciation-run': 'Depreciation run',
  'asset-disposal': 'Asset disposed',
};
