import { Type } from '@sinclair/typebox';
import { definePlugin } from '@quartermaster/sdk';
import { CORE_VERSION } from './version.js';
import { coreMigrations } from './migrations/index.js';
import { coreEntities } from './entities.js';
import { coreEvents } from './events.js';
import { identifierParsers, identifierService, identifierTargets } from './extension-points.js';
import { itemRoutes } from './modules/catalogue/items.routes.js';
import { categoryRoutes } from './modules/catalogue/categories.routes.js';
import { locationRoutes } from './modules/locations/locations.routes.js';
import { createIdentifierService, identifierRoutes } from './modules/identifiers/identifiers.routes.js';
import { accessRoutes, type PlatformInfoSource } from './modules/access/access.routes.js';
import { auditRoutes } from './modules/audit/audit.routes.js';
import { deliveryRoutes } from './modules/events/deliveries.routes.js';

export const corePermissions = [
  { id: 'core.items.read', description: 'See items and categories' },
  { id: 'core.items.write', description: 'Create, change and archive items and categories' },
  { id: 'core.locations.read', description: 'See locations' },
  { id: 'core.locations.write', description: 'Create, move, rename and archive locations' },
  { id: 'core.identifiers.read', description: 'See identifiers and resolve scanned values' },
  { id: 'core.identifiers.write', description: 'Attach and remove identifiers' },
  { id: 'core.users.read', description: 'See users and roles' },
  { id: 'core.users.write', description: 'Manage users and roles' },
  { id: 'core.tokens.manage', description: 'Create and revoke your own API tokens' },
  { id: 'core.audit.read', description: 'Read the audit log' },
  { id: 'core.events.read', description: 'See event deliveries to subscribers and their errors' },
  { id: 'core.events.retry', description: 'Retry a failing event delivery now' },
];

export const CoreOptions = Type.Object({
  secureCookies: Type.Boolean({ default: false, description: 'Mark the session cookie Secure (serve over HTTPS)' }),
});

/** The core is itself a plugin: it uses the same contract it offers. */
export function createCorePlugin(info: PlatformInfoSource) {
  return definePlugin({
    id: 'core',
    version: CORE_VERSION,
    compatibility: '*',
    displayName: 'Core',
    description: 'Items, locations, identifiers, users and roles, audit log',
    options: CoreOptions,
    entities: coreEntities,
    migrations: coreMigrations,
    permissions: corePermissions,
    events: { emits: coreEvents },
    extensionPoints: [identifierParsers, identifierTargets],
    register(ctx) {
      ctx.provide(identifierService, (c) => createIdentifierService(c));
    },
    async routes(app, ctx) {
      const identifiers = ctx.services.get(identifierService) as ReturnType<typeof createIdentifierService>;
      await accessRoutes(app, ctx, info);
      await categoryRoutes(app, ctx);
      await itemRoutes(app, ctx);
      await locationRoutes(app, ctx);
      await identifierRoutes(app, ctx, identifiers);
      await auditRoutes(app, ctx);
      await deliveryRoutes(app, ctx, info);
    },
  });
}
