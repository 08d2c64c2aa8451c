/**
 * The inventory plugin's console: stock, moves, lots, reservations and valuation pages, and the
 * stock panel on an item's page. Every page is its own lazy chunk.
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
    { path: '/valuation', name: 'valuation', title: 'Valuation', component: () => import('./pages/ValuationPage.vue'), permission: P.valuationRead },
  ],
  nav: [
    { label: 'Stock', to: 'stock', section: 'Inventory', permission: P.stockRead, order: 1 },
    { label: 'Moves', to: 'moves', section: 'Inventory', permission: P.stockRead, order: 2 },
    { label: 'Lots & expiry', to: 'lots', section: 'Inventory', permission: P.stockRead, order: 3 },
    { label: 'Reservations', to: 'reservations', section: 'Inventory', permission: P.stockRead, order: 4 },
    { label: 'Valuation', to: 'valuation', section: 'Inventory', permission: P.valuationRead, order: 5 },
  ],
  widgets: [
    { zone: zones.itemDetailSide, component: () => import('./widgets/ItemStockPanel.vue'), permission: P.stockRead, title: 'Stock', order: 10 },
    { zone: zones.dashboard, component: () => import('./widgets/DashboardLots.vue'), permission: P.stockRead, title: 'Lots to watch', order: 10 },
  ],
});
