/**
 * The inventory plugin's console: stock, moves, lots, reservations, counts, replenishment,
 * purchasing, valuation, health reports and CSV import pages, and the stock panel on an item's
 * page. Every page is its own lazy chunk.
 */
import { defineAdminPlugin, zones } from '@quartermaster/sdk/admin';
import { P, PLUGIN_ID } from './constants';

export default defineAdminPlugin({
  id: PLUGIN_ID,
  routes: [
    { path: '/stock', name: 'stock', title: 'Stock', component: () => import('./pages/StockPage.vue'), permission: P.stockRead },
    { path: '/moves', name: 'moves', title: 'Moves', component: () => import('./pages/MovesPage.vue'), permission: P.stockRead },
    { path: '/moves/new', name: 'move-new', title: 'New move', component: () => import('./pages/MoveFormPage.vue'), permission: P.movesPost },
    { path: '/moves/:id', name: 'move-detail', title: 'Move', component: () => import('./pages/MoveDetailPage.vue'), permission: P.stockRead },
    { path: '/lots', name: 'lots', title: 'Lots & expiry', component: () => import('./pages/LotsPage.vue'), permission: P.stockRead },
    { path: '/lots/:id', name: 'lot-detail', title: 'Lot', component: () => import('./pages/LotDetailPage.vue'), permission: P.stockRead },
    { path: '/reservations', name: 'reservations', title: 'Reservations', component: () => import('./pages/ReservationsPage.vue'), permission: P.stockRead },
    { path: '/counts', name: 'counts', title: 'Counts', component: () => import('./pages/CountsPage.vue'), permission: P.stockRead },
    { path: '/counts/:id', name: 'count-detail', title: 'Count', component: () => import('./pages/CountPage.vue'), permission: P.stockRead },
    { path: '/replenishment', name: 'replenishment', title: 'Replenishment', component: () => import('./pages/ReplenishmentPage.vue'), permission: P.stockRead },
    { path: '/suppliers', name: 'suppliers', title: 'Suppliers', component: () => import('./pages/SuppliersPage.vue'), permission: P.stockRead },
    { path: '/suppliers/:id', name: 'supplier-detail', title: 'Supplier', component: () => import('./pages/SupplierDetailPage.vue'), permission: P.stockRead },
    { path: '/purchase-orders', name: 'purchase-orders', title: 'Purchase orders', component: () => import('./pages/PurchaseOrdersPage.vue'), permission: P.stockRead },
    { path: '/purchase-orders/new', name: 'purchase-order-new', title: 'New purchase order', component: () => import('./pages/PurchaseOrderFormPage.vue'), permission: P.purchasingWrite },
    { path: '/purchase-orders/:id', name: 'purchase-order-detail', title: 'Purchase order', component: () => import('./pages/PurchaseOrderPage.vue'), permission: P.stockRead },
    { path: '/valuation', name: 'valuation', title: 'Valuation', component: () => import('./pages/ValuationPage.vue'), permission: P.valuationRead },
    { path: '/reports', name: 'reports', title: 'Inventory reports', component: () => import('./pages/ReportsPage.vue'), permission: P.stockRead },
    { path: '/import', name: 'import', title: 'Import', component: () => import('./pages/ImportPage.vue'), permission: P.importRun },
  ],
  nav: [
    { label: 'Stock', to: 'stock', section: 'Inventory', permission: P.stockRead, order: 1 },
    { label: 'Moves', to: 'moves', section: 'Inventory', permission: P.stockRead, order: 2 },
    { label: 'Lots & expiry', to: 'lots', section: 'Inventory', permission: P.stockRead, order: 3 },
    { label: 'Reservations', to: 'reservations', section: 'Inventory', permission: P.stockRead, order: 4 },
    { label: 'Counts', to: 'counts', section: 'Inventory', permission: P.stockRead, order: 5 },
    { label: 'Replenishment', to: 'replenishment', section: 'Inventory', permission: P.stockRead, order: 6 },
    { label: 'Purchase orders', to: 'purchase-orders', section: 'Inventory', permission: P.stockRead, order: 7 },
    { label: 'Suppliers', to: 'suppliers', section: 'Inventory', permission: P.stockRead, order: 8 },
    { label: 'Valuation', to: 'valuation', section: 'Inventory', permission: P.valuationRead, order: 9 },
    { label: 'Reports', to: 'reports', section: 'Inventory', permission: P.stockRead, order: 10 },
    { label: 'Import', to: 'import', section: 'Inventory', permission: P.importRun, order: 11 },
  ],
  widgets: [
    { zone: zones.itemDetailSide, component: () => import('./widgets/ItemStockPanel.vue'), permission: P.stockRead, title: 'Stock', order: 10 },
    { zone: zones.dashboard, component: () => import('./widgets/DashboardLots.vue'), permission: P.stockRead, title: 'Lots to watch', order: 10 },
  ],
});
