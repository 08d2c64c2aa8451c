import { Type, type Static } from '@sinclair/typebox';
import { coreCatalogue, definePlugin, deviceAdapters, deviceIngestion, deviceRegistry, postingPeriodGuards, postingPeriods, readingConsumers, type PluginContext } from '@quartermaster/sdk';
import { createPostingPeriodService } from './modules/periods/posting-periods.service.js';
import { createCatalogueService } from './modules/catalogue/catalogue.service.js';
import { createDeviceRuntime, type DeviceRuntime } from './modules/devices/devices.service.js';
import { deviceRoutes } from './modules/devices/devices.routes.js';
import { startMqtt, type MqttBridge } from './modules/devices/mqtt.js';
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
import { integrationRoutes, webhookPermissions, WebhookOptionsSchema, type IntegrationSource } from './modules/webhooks/webhooks.module.js';
import { consoleModuleRoutes, type ConsoleModuleSource } from './modules/console/console-modules.js';

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
  { id: 'core.events.read', description: 'See the event catalogue, and event deliveries to subscribers with their errors' },
  { id: 'core.events.retry', description: 'Retry a failing event delivery now' },
  { id: 'core.devices.read', description: 'See devices, their health, raw readings and refusals' },
  { id: 'core.devices.manage', description: 'Register, change, disable devices and rotate their keys' },
  ...webhookPermissions,
];

const DeviceOptionsSchema = Type.Object(
  {
    queueCapacity: Type.Integer({ minimum: 10, default: 20_000, description: 'Readings the ingestion queue holds before devices are told to retry (503)' }),
    batchSize: Type.Integer({ minimum: 1, maximum: 10_000, default: 1_000, description: 'Readings processed per transaction' }),
    retentionDays: Type.Integer({ minimum: 1, default: 30, description: 'Days raw readings are kept' }),
    cacheSeconds: Type.Integer({ minimum: 0, maximum: 300, default: 5, description: 'Seconds a device looked up by key is trusted before it is read again (a disabled device may send for this long)' }),
    mqtt: Type.Object(
      {
        mode: Type.Union([Type.Literal('off'), Type.Literal('embedded'), Type.Literal('external')], { default: 'off', description: 'off, an embedded broker, or an external broker at url' }),
        url: Type.Optional(Type.String({ description: 'External broker, e.g. mqtt://127.0.0.1:1883' })),
        username: Type.Optional(Type.String()),
        password: Type.Optional(Type.String()),
        host: Type.String({ default: '127.0.0.1', description: 'Embedded broker address' }),
        port: Type.Integer({ minimum: 0, maximum: 65535, default: 1883, description: 'Embedded broker port (0: any free port)' }),
        fallbackToFreePort: Type.Boolean({ default: false, description: 'Embedded broker: when the port is taken, listen on a free one instead of failing' }),
        topicPrefix: Type.String({ default: 'quartermaster/devices', pattern: '^[^#+]+$' }),
      },
      { default: {} },
    ),
  },
  { default: {} },
);

export const CoreOptions = Type.Object({
  secureCookies: Type.Boolean({ default: false, description: 'Mark the session cookie Secure (serve over HTTPS)' }),
  devices: DeviceOptionsSchema,
  webhooks: WebhookOptionsSchema,
});
export type CoreOptionsT = Static<typeof CoreOptions>;

/** The core is itself a plugin: it uses the same contract it offers. */
export function createCorePlugin(info: PlatformInfoSource & IntegrationSource & ConsoleModuleSource) {
  // The device runtime is made in phase 2 (it needs every plugin's adapters and consumers) and
  // lives until the platform closes.
  let devices: DeviceRuntime | undefined;
  let mqtt: MqttBridge | null = null;
  const deviceRuntime = (ctx: PluginContext<CoreOptionsT>) => {
    if (!devices) {
      const o = ctx.options.devices ?? {};
      devices = createDeviceRuntime(ctx as PluginContext, { queueCapacity: o.queueCapacity ?? 20_000, batchSize: o.batchSize ?? 1_000, retentionDays: o.retentionDays ?? 30, cacheSeconds: o.cacheSeconds ?? 5 });
    }
    return devices;
  };
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
    extensionPoints: [identifierParsers, identifierTargets, deviceAdapters, readingConsumers, postingPeriodGuards],
    register(ctx) {
      ctx.provide(identifierService, (c) => createIdentifierService(c));
      ctx.provide(deviceIngestion, (c) => {
        const rt = deviceRuntime(c);
        return { ingest: rt.ingest, idle: rt.idle };
      });
      ctx.provide(postingPeriods, (c) => createPostingPeriodService(c as PluginContext));
      ctx.provide(coreCatalogue, (c) => createCatalogueService(c));
      ctx.provide(deviceRegistry, (c) => {
        const rt = deviceRuntime(c);
        return { register: rt.register, byCode: rt.findByCode };
      });
    },
    async routes(app, ctx) {
      const identifiers = ctx.services.get(identifierService) as ReturnType<typeof createIdentifierService>;
      await accessRoutes(app, ctx, info);
      await consoleModuleRoutes(app, info);
      await categoryRoutes(app, ctx);
      await itemRoutes(app, ctx);
      await locationRoutes(app, ctx);
      await identifierRoutes(app, ctx, identifiers);
      await auditRoutes(app, ctx);
      await deliveryRoutes(app, ctx, info);
      await integrationRoutes(app, ctx as PluginContext, info, ctx.options.webhooks);
      await deviceRoutes(app, ctx as PluginContext, deviceRuntime(ctx), () => mqtt);
    },
    async onReady(ctx) {
      const rt = deviceRuntime(ctx);
      rt.start();
      const m = ctx.options.devices?.mqtt;
      if (m && m.mode !== 'off') {
        mqtt = await startMqtt(rt, { mode: m.mode, url: m.url, username: m.username, password: m.password, host: m.host ?? '127.0.0.1', port: m.port ?? 1883, fallbackToFreePort: m.fallbackToFreePort ?? false, topicPrefix: m.topicPrefix ?? 'quartermaster/devices' }, ctx.log);
      }
    },
    async onClose() {
      // Stop taking messages first, then finish every reading already accepted.
      await mqtt?.close().catch(() => undefined);
      mqtt = null;
      await devices?.stop();
    },
  });
}
