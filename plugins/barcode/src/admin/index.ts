/**
 * The barcode plugin's console (section "Labels & scanning"): a scan station that says what a scan
 * means here (and offers to receive a scanned GS1 lot), a GS1 decoder, the label designer with a
 * live preview, printing, ZPL and sending to network printers, and the GS1 keys page (company
 * prefix, counters, allocation). A "Label" widget on item, location and asset pages previews the
 * record's label, downloads it and sends it to a printer.
 * It also answers the console's global scan box first (`scanResolvers`), so a GS1 DataMatrix of a
 * lot opens that lot, and scanners that send `<GS>` for the GS1 separator work there too.
 * Every page is its own lazy chunk, shown only with its permission (the server checks every call).
 */
import { defineAdminPlugin, zones } from '@quartermaster/sdk/admin';
import { fixedAssetsZones } from '@quartermaster/plugin-fixed-assets/admin/zones';
import { P, PLUGIN_ID } from './constants';
import { barcodeScanResolver } from './resolver';

const SECTION = 'Labels & scanning';

export default defineAdminPlugin({
  id: PLUGIN_ID,
  routes: [
    { path: '', name: 'home', title: 'Scan', component: () => import('./pages/ScanPage.vue'), permission: P.read },
    { path: '/scan', name: 'scan', title: 'Scan', component: () => import('./pages/ScanPage.vue'), permission: P.read },
    { path: '/gs1', name: 'gs1', title: 'GS1 decoder', component: () => import('./pages/Gs1DecoderPage.vue'), permission: P.read },
    { path: '/labels', name: 'labels', title: 'Label designer', component: () => import('./pages/LabelDesignerPage.vue'), permission: P.read },
    { path: '/settings', name: 'settings', title: 'GS1 keys', component: () => import('./pages/SettingsPage.vue'), permission: P.manage },
  ],
  nav: [
    { label: 'Scan', to: 'scan', section: SECTION, permission: P.read, order: 1 },
    { label: 'GS1 decoder', to: 'gs1', section: SECTION, permission: P.read, order: 2 },
    { label: 'Label designer', to: 'labels', section: SECTION, permission: P.read, order: 3 },
    { label: 'GS1 keys', to: 'settings', section: SECTION, permission: P.manage, order: 4 },
  ],
  // The record's label on item, location and asset pages: preview, download, send to a printer.
  // The asset zone only exists where fixed-assets is enabled; elsewhere the widget is never shown.
  widgets: [
    { zone: zones.itemDetailSide, component: () => import('./widgets/PrintLabelWidget.vue'), permission: P.read, title: 'Label', order: 50 },
    { zone: zones.locationDetailSide, component: () => import('./widgets/PrintLabelWidget.vue'), permission: P.read, title: 'Label', order: 50 },
    { zone: fixedAssetsZones.assetDetailSide, component: () => import('./widgets/PrintLabelWidget.vue'), permission: P.read, title: 'Label', order: 50 },
  ],
  scanResolvers: [barcodeScanResolver],
});
