/**
 * The console side of __DISPLAY_NAME__: one page under "/__PLUGIN_ID__/widgets" with a nav entry.
 * Built into a runtime module (`pnpm build:console` → dist/console) that the console loads when
 * the server reports this plugin enabled. It may import only what the console shares at run
 * time: vue, element-plus, @quartermaster/ui and @quartermaster/sdk/admin (plus its own files).
 */
import { defineAdminPlugin } from '@quartermaster/sdk/admin';
import { PLUGIN_ID, permissions } from '../shared/constants.js';

export default defineAdminPlugin({
  id: PLUGIN_ID,
  routes: [{ path: '/widgets', name: 'widgets', title: 'Widgets', component: () => import('./WidgetsPage.vue'), permission: permissions.read }],
  nav: [{ label: 'Widgets', to: 'widgets', section: '__DISPLAY_NAME__', permission: permissions.read, order: 10 }],
});
