/**
 * The RFID plugin's console (section "RFID"): the live view of what the readers read, the tags
 * they have seen (enrolling the unknown ones to items or assets, clearing strays), tag movements,
 * RFID stock counts, the EPC decode/encode tool, and the readers themselves — core devices whose
 * antennas, zones and filters are set up here with a form instead of raw JSON. Every page is its
 * own lazy chunk, shown only with its permission (the server still checks every call).
 */
import { defineAdminPlugin } from '@quartermaster/sdk/admin';
import { DEVICES_READ, P, PLUGIN_ID, SECTION } from './constants';

export default defineAdminPlugin({
  id: PLUGIN_ID,
  routes: [
    { path: '/reads', name: 'live-reads', title: 'Live RFID reads', component: () => import('./pages/LiveReadsPage.vue'), permission: P.read },
    { path: '/tags', name: 'tags', title: 'RFID tags', component: () => import('./pages/TagsPage.vue'), permission: P.read },
    { path: '/tags/:epc', name: 'tag-detail', title: 'RFID tag', component: () => import('./pages/TagPage.vue'), permission: P.read },
    { path: '/movements', name: 'movements', title: 'Tag movements', component: () => import('./pages/MovementsPage.vue'), permission: P.read },
    { path: '/stock-counts', name: 'stock-counts', title: 'RFID stock counts', component: () => import('./pages/StockCountsPage.vue'), permission: P.read },
    { path: '/epc', name: 'epc-tool', title: 'EPC decode and encode', component: () => import('./pages/EpcToolPage.vue'), permission: P.read },
    // Readers are core devices: reading them takes the core's device permission.
    { path: '/readers', name: 'readers', title: 'RFID readers', component: () => import('./pages/ReadersPage.vue'), permission: DEVICES_READ },
    { path: '/readers/:id', name: 'reader-setup', title: 'Reader setup', component: () => import('./pages/ReaderSetupPage.vue'), permission: DEVICES_READ },
  ],
  nav: [
    { label: 'Live reads', to: 'live-reads', section: SECTION, permission: P.read, order: 1 },
    { label: 'Tags', to: 'tags', section: SECTION, permission: P.read, order: 10 },
    { label: 'Movements', to: 'movements', section: SECTION, permission: P.read, order: 20 },
    { label: 'Stock counts', to: 'stock-counts', section: SECTION, permission: P.read, order: 30 },
    { label: 'EPC tool', to: 'epc-tool', section: SECTION, permission: P.read, order: 40 },
    { label: 'Readers', to: 'readers', section: SECTION, permission: DEVICES_READ, order: 50 },
  ],
});
