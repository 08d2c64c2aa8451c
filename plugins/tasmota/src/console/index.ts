/**
 * Tasmota's console pages, shipped as a prebuilt module the console loads at run time (this
 * plugin is installed as a package, outside the console's build). Build it with
 *
 *   npx tsx tooling/console-module/src/cli.ts build --root plugins/tasmota --entry src/console/index.ts --id tasmota
 *
 * into `dist/console`, where the server definition's `console.dir` points. The entry lives in
 * `src/console/`, not `src/admin/`, so the console's build-time discovery leaves it alone.
 */
import { defineAdminPlugin } from '@quartermaster/sdk/admin';

export default defineAdminPlugin({
  id: 'tasmota',
  routes: [
    {
      path: '/devices',
      name: 'devices',
      title: 'Tasmota devices',
      permission: 'core.devices.read',
      component: () => import('./pages/TasmotaDevicesPage.vue'),
    },
  ],
  nav: [{ label: 'Tasmota devices', to: 'devices', permission: 'core.devices.read', icon: 'Odometer' }],
});
