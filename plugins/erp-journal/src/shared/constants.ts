/**
 * Plain constants of the ERP journal's contract, with no runtime imports, so the console can use
 * them without pulling the SDK's schema library into its chunk.
 */
export const ERP_JOURNAL_PLUGIN_ID = 'erp-journal';

export const permissions = {
  journalRead: 'erp-journal.journal.read',
  accountsManage: 'erp-journal.accounts.manage',
  periodsExport: 'erp-journal.periods.export',
  periodsClose: 'erp-journal.periods.close',
  periodsReopen: 'erp-journal.periods.reopen',
} as const;

/**
 * What an account is used for. Every role has a default account (no category, no site), seeded by
 * the migration and never deletable, so a posting can always find its account.
 */
export const ACCOUNT_ROLES = [
  'inventory',
  'goods-received-not-invoiced',
  'cogs',
  'inventory-adjustment',
  'count-variance',
  'fixed-assets-cost',
  'fixed-assets-clearing',
  'accumulated-depreciation',
  'depreciation-expense',
  'disposal-proceeds',
  'gain-on-disposal',
  'loss-on-disposal',
] as const;
export type AccountRole = (typeof ACCOUNT_ROLES)[number];

/** Default chart: account number and name per role (seeded once; edit them in the console). */
export const DEFAULT_ACCOUNTS: Record<AccountRole, { account: string; name: string }> = {
  inventory: { account: '1400', name: 'Inventory' },
  'goods-received-not-invoiced': { account: '2150', name: 'Goods received not invoiced' },
  cogs: { account: '5000', name: 'Cost of goods sold' },
  'inventory-adjustment': { account: '5100', name: 'Inventory adjustments' },
  'count-variance': { account: '5110', name: 'Stock count variances' },
  'fixed-assets-cost': { account: '1600', name: 'Fixed assets at cost' },
  'fixed-assets-clearing': { account: '2160', name: 'Fixed assets received not invoiced' },
  'accumulated-depreciation': { account: '1690', name: 'Accumulated depreciation' },
  'depreciation-expense': { account: '6800', name: 'Depreciation expense' },
  'disposal-proceeds': { account: '1590', name: 'Asset disposal clearing (proceeds)' },
  'gain-on-disposal': { account: '7100', name: 'Gain on disposal of assets' },
  'loss-on-disposal': { account: '7200', name: 'Loss on disposal of assets' },
};

/** Where a journal entry came from. */
export const SOURCE_TYPES = ['inventory-move', 'inventory-cost-adjustment', 'asset-acquisition', 'depreciation-run', 'asset-disposal'] as const;
export type SourceType = (typeof SOURCE_TYPES)[number];

/** `2026-10`: a calendar month, the accounting period of the journal. */
export const PERIOD_PATTERN = '^\\d{4}-(0[1-9]|1[0-2])$';
