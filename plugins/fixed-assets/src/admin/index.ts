/**
 * The fixed-assets plugin's console: the asset register (list with saved filters, asset page with
 * lifecycle, custody, bookings, history, depreciation books, documents and components), scanning
 * check-out/check-in, the booking calendar and people. Every page is its own lazy chunk.
 */
import { defineAdminPlugin } from '@quartermaster/sdk/admin';
import { P, PLUGIN_ID } from './constants';

/** The zones this console renders for other plugins' widgets (the asset page's side panel). */
export { fixedAssetsZones } from './zones';

export default defineAdminPlugin({
  id: PLUGIN_ID,
  routes: [
    { path: '/assets', name: 'assets', title: 'Assets', component: () => import('./pages/AssetsPage.vue'), permission: P.assetRead },
    { path: '/assets/:id', name: 'asset-detail', title: 'Asset', component: () => import('./pages/AssetPage.vue'), permission: P.assetRead },
    { path: '/scan', name: 'scan', title: 'Check out / in', component: () => import('./pages/ScanPage.vue'), permission: P.custodyWrite },
    { path: '/bookings', name: 'bookings', title: 'Bookings', component: () => import('./pages/BookingsPage.vue'), permission: P.assetRead },
    { path: '/persons', name: 'persons', title: 'People', component: () => import('./pages/PersonsPage.vue'), permission: P.assetRead },
    { path: '/persons/:id', name: 'person-detail', title: 'Person', component: () => import('./pages/PersonPage.vue'), permission: P.assetRead },
    { path: '/depreciation', name: 'depreciation', title: 'Depreciation run', component: () => import('./pages/DepreciationPage.vue'), permission: P.depreciationRead },
    { path: '/depreciation/runs', name: 'depreciation-runs', title: 'Depreciation runs', component: () => import('./pages/DepreciationRunsPage.vue'), permission: P.depreciationRead },
    { path: '/depreciation/journal', name: 'journal', title: 'Journal', component: () => import('./pages/DepreciationJournalPage.vue'), permission: P.depreciationRead },
    { path: '/depreciation/calculator', name: 'depreciation-calculator', title: 'What-if calculator', component: () => import('./pages/DepreciationCalculatorPage.vue'), permission: P.depreciationRead },
    { path: '/campaigns', name: 'campaigns', title: 'Audits', component: () => import('./pages/CampaignsPage.vue'), permission: P.assetRead },
    { path: '/campaigns/:id', name: 'campaign-detail', title: 'Audit', component: () => import('./pages/CampaignPage.vue'), permission: P.assetRead },
    { path: '/campaigns/:id/scan', name: 'campaign-scan', title: 'Audit scanning', component: () => import('./pages/CampaignScanPage.vue'), permission: P.auditRun },
    { path: '/reports', name: 'reports', title: 'Asset reports', component: () => import('./pages/ReportsPage.vue'), permission: P.assetRead },
    { path: '/import', name: 'import', title: 'Import / export', component: () => import('./pages/ImportPage.vue'), permission: P.assetWrite },
  ],
  nav: [
    { label: 'Assets', to: 'assets', section: 'Assets', permission: P.assetRead, order: 1 },
    { label: 'Check out / in', to: 'scan', section: 'Assets', permission: P.custodyWrite, order: 2 },
    { label: 'Bookings', to: 'bookings', section: 'Assets', permission: P.assetRead, order: 3 },
    { label: 'People', to: 'persons', section: 'Assets', permission: P.assetRead, order: 4 },
    { label: 'Depreciation', to: 'depreciation', section: 'Assets', permission: P.depreciationRead, order: 20 },
    { label: 'Journal', to: 'journal', section: 'Assets', permission: P.depreciationRead, order: 21 },
    { label: 'Audits', to: 'campaigns', section: 'Assets', permission: P.assetRead, order: 25 },
    { label: 'Reports', to: 'reports', section: 'Assets', permission: P.assetRead, order: 30 },
    { label: 'Import / export', to: 'import', section: 'Assets', permission: P.assetWrite, order: 31 },
  ],
});
