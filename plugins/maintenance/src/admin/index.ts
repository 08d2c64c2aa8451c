/**
 * The maintenance plugin's console (section "Maintenance"): the work order board and list, a work
 * order's page with checklist execution made for phones, and the breakdown report by scanning an
 * asset. Every page is its own lazy chunk; pages are shown only with their permission (the server
 * still checks every call).
 *
 * Routes and nav entries are grouped by area; further pages (plans and the plan editor, meters and
 * readings, calibration, the calendar, the dashboard, notifications) slot into the marked places,
 * with nav `order`s in the gaps left for them.
 */
import { defineAdminPlugin } from '@quartermaster/sdk/admin';
import { P, PLUGIN_ID } from './constants';

const SECTION = 'Maintenance';

export default defineAdminPlugin({
  id: PLUGIN_ID,
  routes: [
    // --- dashboard and calendar (orders 1–9) ---
    { path: '', name: 'dashboard', title: 'Maintenance', component: () => import('./pages/DashboardPage.vue'), permission: P.read },
    { path: '/calendar', name: 'calendar', title: 'Maintenance calendar', component: () => import('./pages/CalendarPage.vue'), permission: P.read },

    // --- work orders (orders 10–19) ---
    { path: '/work-orders', name: 'work-orders', title: 'Work orders', component: () => import('./pages/WorkOrdersPage.vue'), permission: P.read },
    { path: '/work-orders/:id', name: 'work-order-detail', title: 'Work order', component: () => import('./pages/WorkOrderPage.vue'), permission: P.read },
    { path: '/report', name: 'breakdown-report', title: 'Report a breakdown', component: () => import('./pages/BreakdownReportPage.vue'), permission: P.report },

    // --- plans and the plan editor (orders 20–29) ---
    { path: '/plans', name: 'plans', title: 'Maintenance plans', component: () => import('./pages/PlansPage.vue'), permission: P.read },
    { path: '/plans/new', name: 'plan-new', title: 'New maintenance plan', component: () => import('./pages/PlanEditorPage.vue'), permission: P.plan },
    { path: '/plans/:id', name: 'plan-detail', title: 'Maintenance plan', component: () => import('./pages/PlanEditorPage.vue'), permission: P.read },

    // --- meters and readings (orders 30–39) ---
    { path: '/meters', name: 'meters', title: 'Meters and readings', component: () => import('./pages/MetersPage.vue'), permission: P.read },

    // --- calibration (orders 40–49) ---
    { path: '/calibration', name: 'instruments', title: 'Calibration', component: () => import('./pages/InstrumentsPage.vue'), permission: P.read },
    { path: '/calibration/:assetId', name: 'instrument-detail', title: 'Instrument', component: () => import('./pages/InstrumentPage.vue'), permission: P.read },

    // --- reports (orders 50–59) and notifications (orders 60–69) ---
    { path: '/reports', name: 'reports', title: 'Maintenance reports', component: () => import('./pages/ReportsPage.vue'), permission: P.read },
    { path: '/notifications', name: 'notifications', title: 'Notifications', component: () => import('./pages/NotificationsPage.vue'), permission: P.read },
  ],
  nav: [
    // --- dashboard and calendar: orders 1–9 ---
    { label: 'Dashboard', to: 'dashboard', section: SECTION, permission: P.read, order: 1 },
    { label: 'Calendar', to: 'calendar', section: SECTION, permission: P.read, order: 2 },

    // --- work orders: orders 10–19 ---
    { label: 'Work orders', to: 'work-orders', section: SECTION, permission: P.read, order: 10 },
    { label: 'Report a breakdown', to: 'breakdown-report', section: SECTION, permission: P.report, order: 15 },

    // --- plans: 20–29; meters and readings: 30–39; calibration: 40–49; reports: 50–59; notifications: 60–69 ---
    { label: 'Plans', to: 'plans', section: SECTION, permission: P.read, order: 20 },
    { label: 'Meters & readings', to: 'meters', section: SECTION, permission: P.read, order: 30 },
    { label: 'Calibration', to: 'instruments', section: SECTION, permission: P.read, order: 40 },
    { label: 'Reports', to: 'reports', section: SECTION, permission: P.read, order: 50 },
    { label: 'Notifications', to: 'notifications', section: SECTION, permission: P.read, order: 60 },
  ],
});
