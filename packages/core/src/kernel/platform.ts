import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import fastifyStatic from '@fastify/static';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { MikroORM } from '@mikro-orm/postgresql';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  resolvePlugins,
  type ExtensionPoint,
  type PermissionDeclaration,
  type PluginContext,
  type PluginDefinition,
  type RegisterContext,
  type ResolvedPlugin,
  type ServiceRef,
  type EventEnvelope,
} from '@quartermaster/sdk';
import { EventBus, type OutboxOptions } from './events.js';
import { transactionRunner } from './transaction.js';
import { runMigrations, type MigrationReport } from './migrate.js';
import { installProblemHandlers } from './problem-http.js';
import { installValidators } from './validation.js';
import { installSecurityHeaders } from './security-headers.js';
import { guard } from './auth.js';
import { routePermissionProblem } from './route-permissions.js';
import { CORE_VERSION } from '../version.js';
import { createCorePlugin } from '../core-plugin.js';
import { readConsoleModules, serveConsoleModules, type ConsoleModuleEntry } from '../modules/console/console-modules.js';

export interface Profile {
  /** Enabled plugin ids with their options. The core is always enabled. */
  plugins: Record<string, Record<string, unknown> | undefined>;
}

export interface PlatformConfig {
  databaseUrl: string;
  /** Every plugin the host can load (the core is added automatically). */
  plugins: PluginDefinition<any>[];
  profile: Profile;
  /** Options for the core (same as `profile.plugins.core`). */
  logger?: FastifyServerOptions['logger'];
  /** Apply pending migrations at boot. Default true. */
  migrate?: boolean;
  outbox?: OutboxOptions;
  /** Folder of the built console, served at `/` when present. */
  adminDist?: string;
  /** Trust X-Forwarded-* from a reverse proxy (Fastify's `trustProxy`), so client addresses are real. */
  trustProxy?: boolean | string;
  /** Origins the console may load images from besides itself (a map tile server), e.g. `https://tile.openstreetmap.org`. */
  imageSources?: string[];
}

export interface Platform {
  app: FastifyInstance;
  orm: MikroORM;
  /** Loaded plugins in load order, core first. */
  plugins: ResolvedPlugin[];
  migrations: MigrationReport[];
  bus: EventBus;
  /** Deliver every due outbox event now (tests). */
  drainOutbox(): Promise<number>;
  /** Watch every committed event. */
  onEvent(fn: (e: EventEnvelope) => void): () => void;
  /** Phase-2 context of a loaded plugin. */
  context(pluginId: string): PluginContext<any>;
  close(): Promise<void>;
}

interface PluginRuntime {
  resolved: ResolvedPlugin;
  deps: Set<string>;
  contributions: Map<string, unknown[]>; // point id -> values contributed by others, filled in phase 1
  ctx?: PluginContext<any>;
}

/**
 * Boot the platform: resolve the profile, run phase 1 (`register`) for every plugin, freeze the
 * registries, start one ORM over all entities, migrate (core first, then plugins in dependency
 * order), then phase 2: mount each plugin's routes under `/api/<id>` and call `onReady`.
 */
export async function createPlatform(config: PlatformConfig): Promise<Platform> {
  let loaded: ResolvedPlugin[] = [];
  // Read once at boot (after the logger exists); the admin manifest lists them.
  let consoleModules: ConsoleModuleEntry[] = [];
  const corePlugin = createCorePlugin({
    plugins: () => loaded.map((r) => ({ id: r.definition.id, version: r.definition.version, displayName: r.definition.displayName })),
    permissions: () => allPermissions(loaded),
    retryDelivery: (eventId, subscriber) => bus.retryNow(eventId, subscriber),
    declaredEvents: () => loaded.map((r) => ({ pluginId: r.definition.id, events: r.definition.events?.emits ?? [] })),
    followOutbox: (follower) => bus.follow(follower),
    consoleModules: () => consoleModules,
  });
  const ordered = resolveWithCore(corePlugin, config);
  loaded = ordered;
  const enabledIds = new Set(ordered.map((r) => r.definition.id));
  const isEnabled = (id: string) => enabledIds.has(id);

  // Who owns which extension point; who provides which service.
  const pointOwner = new Map<string, string>();
  for (const r of ordered) {
    for (const p of r.definition.extensionPoints ?? []) {
      const owner = pointOwner.get(p.id);
      if (owner) throw new Error(`Extension point "${p.id}" is owned by both "${owner}" and "${r.definition.id}"`);
      pointOwner.set(p.id, r.definition.id);
    }
  }

  const runtimes = new Map<string, PluginRuntime>();
  for (const r of ordered) {
    const d = r.definition;
    runtimes.set(d.id, {
      resolved: r,
      deps: new Set([corePlugin.id, ...Object.keys(d.dependsOn ?? {}), ...Object.keys(d.optionalDependsOn ?? {})]),
      contributions: new Map(),
    });
  }

  const serviceFactories = new Map<string, { pluginId: string; factory: (ctx: PluginContext<any>) => unknown }>();
  const serviceInstances = new Map<string, unknown>();
  const pendingSubscribers: { pluginId: string; name: string; eventName: string; handler: (e: EventEnvelope) => unknown }[] = [];
  const allEmits = new Map<string, string>(); // event name -> plugin
  for (const r of ordered) for (const e of r.definition.events?.emits ?? []) allEmits.set(e.name, r.definition.id);

  // ---- Phase 1: register, for every plugin, before anything initialises.
  let frozen = false;
  // Who contributed each extension value, so a point's owner can run it under the contributor's name.
  const contributors = new WeakMap<object, { pluginId: string; owner: string }>();
  for (const r of ordered) {
    const d = r.definition;
    const rt = runtimes.get(d.id)!;
    const ctx: RegisterContext<any> = {
      pluginId: d.id,
      options: r.options,
      isEnabled,
      extend<T>(point: ExtensionPoint<T>, value: T) {
        if (frozen) throw new Error(`Plugin "${d.id}" extended "${point.id}" after phase 1; extend only inside register()`);
        const owner = pointOwner.get(point.id);
        const declaredDep = owner === d.id || (owner !== undefined && rt.deps.has(owner));
        if (!owner) {
          if (Object.keys(d.optionalDependsOn ?? {}).some((dep) => !isEnabled(dep) && point.id.startsWith(dep + '.'))) return;
          throw new Error(
            `Plugin "${d.id}" extends "${point.id}", but no enabled plugin owns that extension point; ` +
              `add its owner to dependsOn (or optionalDependsOn and check isEnabled)`,
          );
        }
        if (!declaredDep) {
          throw new Error(
            `Plugin "${d.id}" extends "${point.id}" owned by "${owner}", which is not one of its dependencies; ` +
              `add "${owner}" to dependsOn or optionalDependsOn`,
          );
        }
        const owned = runtimes.get(owner)!;
        const list = owned.contributions.get(point.id) ?? [];
        list.push(value);
        if (value !== null && typeof value === 'object') contributors.set(value, { pluginId: d.id, owner });
        owned.contributions.set(point.id, list);
      },
      provide(ref: ServiceRef<unknown>, factory) {
        if (frozen) throw new Error(`Plugin "${d.id}" provided "${ref.id}" after phase 1`);
        const existing = serviceFactories.get(ref.id);
        if (existing) throw new Error(`Service "${ref.id}" is provided by both "${existing.pluginId}" and "${d.id}"`);
        serviceFactories.set(ref.id, { pluginId: d.id, factory: factory as (ctx: PluginContext<any>) => unknown });
      },
      subscribe(event, name, handler) {
        if (frozen) throw new Error(`Plugin "${d.id}" subscribed after phase 1`);
        const owner = allEmits.get(event.name);
        if (owner && owner !== d.id && !rt.deps.has(owner)) {
          throw new Error(`Plugin "${d.id}" subscribes to "${event.name}" of "${owner}", which is not one of its dependencies`);
        }
        if (!owner && !Object.keys(d.optionalDependsOn ?? {}).some((dep) => event.name.startsWith(dep + '.'))) {
          throw new Error(`Plugin "${d.id}" subscribes to "${event.name}", which no enabled plugin emits`);
        }
        if (!owner) return; // optional dependency not enabled
        pendingSubscribers.push({ pluginId: d.id, name, eventName: event.name, handler: handler as (e: EventEnvelope) => unknown });
      },
    };
    const returned = d.register?.(ctx) as unknown;
    if (returned && typeof (returned as Promise<unknown>).then === 'function') {
      throw new Error(`Plugin "${d.id}": register() must be synchronous and do no I/O; do async work in routes() or onReady()`);
    }
  }
  frozen = true;

  // ---- Database: one ORM, every enabled plugin's entities; migrations in load order.
  const migrations =
    config.migrate === false
      ? []
      : await runMigrations(config.databaseUrl, migrationSets(ordered));
  const orm = await MikroORM.init({
    clientUrl: config.databaseUrl,
    entities: ordered.flatMap((r) => r.definition.entities ?? []),
    discovery: { warnWhenNoEntities: false },
    allowGlobalContext: false,
    pool: { min: 0, max: 10 },
    debug: false,
  });

  let app!: FastifyInstance;
  let bus!: EventBus;
  try {
    app = Fastify({
      logger: config.logger ?? false,
      trustProxy: config.trustProxy ?? false,
      bodyLimit: 2 * 1024 * 1024,
    }).withTypeProvider<TypeBoxTypeProvider>() as unknown as FastifyInstance;
    bus = new EventBus(orm, app.log, {
      pollIntervalMs: config.outbox?.pollIntervalMs ?? 1000,
      retryBaseMs: config.outbox?.retryBaseMs ?? 1000,
      autoStart: config.outbox?.autoStart ?? true,
      retentionDays: config.outbox?.retentionDays ?? 30,
    });
    for (const s of pendingSubscribers) {
      bus.addSubscriber({ id: `${s.pluginId}:${s.name}`, pluginId: s.pluginId, eventName: s.eventName, handler: s.handler as never });
    }

    // ---- Phase 2 contexts.
    const permissions = new Map<string, PermissionDeclaration & { pluginId: string }>();
    for (const r of ordered) for (const p of r.definition.permissions ?? []) permissions.set(p.id, { ...p, pluginId: r.definition.id });

    for (const r of ordered) {
      const d = r.definition;
      const rt = runtimes.get(d.id)!;
      const emits = new Set((d.events?.emits ?? []).map((e) => e.name));
      const runner = transactionRunner(orm, bus, d.id, emits);
      const ctx: PluginContext<any> = {
        pluginId: d.id,
        options: r.options,
        orm,
        log: app.log.child({ plugin: d.id }),
        isEnabled,
        services: {
          get<T>(ref: ServiceRef<T>): T {
            const v = this.getOptional(ref);
            if (v === undefined) throw new Error(`Plugin "${d.id}" asked for service "${ref.id}", which no enabled plugin provides`);
            return v;
          },
          getOptional<T>(ref: ServiceRef<T>): T | undefined {
            const f = serviceFactories.get(ref.id);
            if (!f) return undefined;
            if (f.pluginId !== d.id && !rt.deps.has(f.pluginId)) {
              throw new Error(`Plugin "${d.id}" uses service "${ref.id}" of "${f.pluginId}", which is not one of its dependencies`);
            }
            if (!serviceInstances.has(ref.id)) serviceInstances.set(ref.id, f.factory(runtimes.get(f.pluginId)!.ctx!));
            return serviceInstances.get(ref.id) as T;
          },
        },
        extensions<T>(point: ExtensionPoint<T>): readonly T[] {
          if (pointOwner.get(point.id) !== d.id) throw new Error(`Plugin "${d.id}" reads "${point.id}", which it does not own`);
          return Object.freeze([...((rt.contributions.get(point.id) ?? []) as T[])]);
        },
        transaction: runner.transaction,
        joinTransaction: runner.join,
        joinTransactionAs(contribution, tx, work) {
          const c = contributors.get(contribution as object);
          if (!c || c.owner !== d.id) throw new Error(`Plugin "${d.id}" ran something as its contributor, but it was not contributed to one of its extension points`);
          const by = runtimes.get(c.pluginId)!.ctx!;
          return by.joinTransaction(tx, work);
        },
      };
      rt.ctx = ctx;
    }

    consoleModules = readConsoleModules(ordered.map((r) => r.definition), app.log);
    const serveConsole = !!config.adminDist && existsSync(join(config.adminDist, 'index.html'));
    installProblemHandlers(app, { consoleIndex: serveConsole });
    installValidators(app);
    installSecurityHeaders(app, { imageSources: config.imageSources });
    await app.register(fastifyCookie);
    await app.register(fastifySwagger, {
      openapi: {
        openapi: '3.1.0',
        info: { title: 'Quartermaster API', version: CORE_VERSION, description: 'Inventory and asset tracking. Errors are RFC 9457 problem+json.' },
        components: {
          securitySchemes: {
            session: { type: 'apiKey', in: 'cookie', name: 'qm_session' },
            apiToken: { type: 'http', scheme: 'bearer' },
          },
        },
        security: [{ session: [] }, { apiToken: [] }],
      },
    });
    await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });
    app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
    app.get('/api/health', { schema: { hide: true } }, async () => {
      await orm.em.getConnection().execute('select 1');
      return { status: 'ok', coreVersion: CORE_VERSION, plugins: ordered.map((r) => r.definition.id) };
    });

    for (const r of ordered) {
      const d = r.definition;
      const rt = runtimes.get(d.id)!;
      if (!d.routes) continue;
      await app.register(
        async (scope) => {
          scope.addHook('onRoute', (route) => {
            const problem = routePermissionProblem(route.config as { permission?: string; public?: boolean } | undefined, (p) => permissions.has(p));
            if (problem) throw new Error(`Route ${d.id}: ${route.method} ${route.url} ${problem}`);
            route.schema = { tags: [d.id], ...(route.schema ?? {}) };
          });
          scope.addHook('onRequest', guard(orm));
          await d.routes!(scope as never, rt.ctx!);
        },
        { prefix: `/api/${d.id}` },
      );
    }

    await serveConsoleModules(app, consoleModules);
    if (serveConsole) await app.register(fastifyStatic, { root: config.adminDist!, wildcard: false });

    await app.ready();
    for (const r of ordered) await r.definition.onReady?.(runtimes.get(r.definition.id)!.ctx!);
    bus.start();
  } catch (err) {
    // A boot that fails half-way must not leave pools, timers or sockets behind.
    await bus?.close().catch(() => undefined);
    await app?.close().catch(() => undefined);
    await orm.close(true).catch(() => undefined);
    throw err;
  }

  let closed = false;
  return {
    app,
    orm,
    plugins: ordered,
    migrations,
    bus,
    drainOutbox: () => bus.drain(),
    onEvent: (fn) => bus.tap(fn),
    context(pluginId) {
      const rt = runtimes.get(pluginId);
      if (!rt?.ctx) throw new Error(`Plugin "${pluginId}" is not loaded`);
      return rt.ctx;
    },
    async close() {
      if (closed) return;
      closed = true;
      await bus.close();
      await app.close();
      for (const r of [...ordered].reverse()) await r.definition.onClose?.(runtimes.get(r.definition.id)!.ctx!);
      await orm.close(true);
    },
  };
}

/**
 * Resolve the profile and apply pending migrations without starting the server: the same plugin
 * set and order the server would use (the `db:migrate` command).
 */
export async function migratePlatform(config: Pick<PlatformConfig, 'databaseUrl' | 'plugins' | 'profile'>): Promise<MigrationReport[]> {
  const corePlugin = createCorePlugin({ plugins: () => [], permissions: () => [], retryDelivery: async () => false, declaredEvents: () => [], followOutbox: () => undefined, consoleModules: () => [] });
  return runMigrations(config.databaseUrl, migrationSets(resolveWithCore(corePlugin, config)));
}

/** The profile's plugins plus the core, which is always enabled and listed first (ties keep it first). */
function resolveWithCore(corePlugin: PluginDefinition<any>, config: Pick<PlatformConfig, 'plugins' | 'profile'>): ResolvedPlugin[] {
  return resolvePlugins({
    coreVersion: CORE_VERSION,
    available: [corePlugin, ...config.plugins.filter((p) => p.id !== corePlugin.id)],
    enabled: { [corePlugin.id]: config.profile.plugins[corePlugin.id] ?? {}, ...config.profile.plugins },
  });
}

const migrationSets = (ordered: ResolvedPlugin[]) => ordered.map((r) => ({ pluginId: r.definition.id, migrations: r.definition.migrations ?? [] }));

export function allPermissions(plugins: ResolvedPlugin[]) {
  return plugins.flatMap((r) => (r.definition.permissions ?? []).map((p) => ({ ...p, pluginId: r.definition.id })));
}
