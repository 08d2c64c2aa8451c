/**
 * The server side of __DISPLAY_NAME__. Enable it in a profile: list this package (or its folder)
 * under `packages` and its id under `plugins`:
 *
 *   { "plugins": { "__PLUGIN_ID__": {} }, "packages": ["@quartermaster/plugin-__PLUGIN_ID__"] }
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { definePlugin } from '@quartermaster/sdk';
import { __PluginCamel__Events, permissions } from '../shared/index.js';
import { widgetsMigration } from './migrations/0001_widgets.js';
import { widgetRoutes } from './routes/widgets.routes.js';

/** The package's version is the plugin's: `changeset version` bumps both at once. */
const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

export const __PluginCamel__Plugin = definePlugin({
  id: '__PLUGIN_ID__',
  version,
  compatibility: '__CORE_RANGE__',
  displayName: '__DISPLAY_NAME__',
  description: 'Widgets: a list and a form to create them.',
  permissions: [
    { id: permissions.read, description: 'See widgets' },
    { id: permissions.write, description: 'Create widgets' },
  ],
  events: { emits: __PluginCamel__Events },
  migrations: [widgetsMigration],
  // The console page, built by `pnpm build:console`; the console loads it at run time.
  console: { dir: fileURLToPath(new URL('../../dist/console', import.meta.url)) },
  routes(app, ctx) {
    widgetRoutes(app, ctx);
  },
});

export default __PluginCamel__Plugin;
