/**
 * The ERP journal's console: journal entries by period, periods (export, push, close, reopen) and
 * the chart of accounts. Every page is its own lazy chunk.
 */
import { defineAdminPlugin } from '@quartermaster/sdk/admin';
import { P, PLUGIN_ID } from './constants';

export default defineAdminPlugin({
  id: PLUGIN_ID,
  routes: [
    { path: '/journal', name: 'journal', title: 'Journal', component: () => import('./pages/JournalPage.vue'), permission: P.journalRead },
    { path: '/periods', name: 'periods', title: 'Accounting periods', component: () => import('./pages/PeriodsPage.vue'), permission: P.journalRead },
    { path: '/accounts', name: 'accounts', title: 'Chart of accounts', component: () => import('./pages/AccountsPage.vue'), permission: P.journalRead },
  ],
  nav: [
    { label: 'Journal', to: 'journal', section: 'Accounting', permission: P.journalRead, order: 1 },
    { label: 'Periods', to: 'periods', section: 'Accounting', permission: P.journalRead, order: 2 },
    { label: 'Chart of accounts', to: 'accounts', section: 'Accounting', permission: P.journalRead, order: 3 },
  ],
});
