import type { Static, TObject, TSchema } from '@sinclair/typebox';
import type { EntityManager, EntitySchema, MikroORM } from '@mikro-orm/core';
import type { FastifyBaseLogger, FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProviderLike } from './type-provider.js';
import type { EventDefinition, EventHandler } from './events.js';
import type { ExtensionPoint, ServiceRef } from './extension-points.js';

/** A permission a plugin declares; roles and API tokens grant it by id. */
export interface PermissionDeclaration {
  /** `<plugin-id>.<resource>.<action>`, e.g. `core.items.write`. */
  id: string;
  description: string;
}

/** Context for a migration: plain SQL against the platform database, inside one transaction. */
export interface MigrationContext {
  execute(sql: string, params?: unknown[]): Promise<Array<Record<string, unknown>>>;
}

/**
 * One forward-only migration. Names sort the run order inside a plugin, so prefix them with a
 * timestamp or sequence (`0001_widgets`). Applied names are kept in the plugin's own table `mig_<id>`.
 */
export interface Migration {
  name: string;
  up(db: MigrationContext): Promise<void>;
}

/** Who performs an action: a signed-in person, an API token (acting for its owner), or the system. */
export interface Actor {
  type: 'user' | 'api-token' | 'system';
  /** User id for people and tokens; null for the system. */
  userId: string | null;
  /** Token id when `type` is `api-token`. */
  tokenId?: string;
  /** A readable label for audit lists (e-mail, token name, `system`). */
  label: string;
  permissions: ReadonlySet<string>;
}

/** Whether the actor holds a permission (`*` holds them all): for what a route shows or does beyond its own permission. */
export function hasPermission(actor: Pick<Actor, 'permissions'>, permission: string): boolean {
  return actor.permissions.has('*') || actor.permissions.has(permission);
}

/** One audit record written inside the same transaction as the change it describes. */
export interface AuditEntry {
  /** `created`, `updated`, `deleted`, `moved`, or a domain verb such as `posted`. */
  action: string;
  /** `<plugin-id>.<entity>` e.g. `core.item`. */
  entityType: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
}

/** A unit of work: an ORM entity manager inside one database transaction, plus audit and outbox. */
export interface Transaction {
  readonly em: EntityManager;
  readonly actor: Actor;
  /** Run raw SQL inside this transaction. */
  execute<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
  /** Record an audit entry; written when the transaction commits, or not at all. */
  audit(entry: AuditEntry): Promise<void>;
  /**
   * Queue an event in the outbox. It is stored in this transaction and delivered to subscribers
   * only after commit; a rolled-back transaction emits nothing.
   */
  emit<S extends TSchema>(event: EventDefinition<S>, payload: Static<S>): Promise<void>;
}

export interface ServiceLocator {
  /** A service of a hard dependency (or of the core); throws if the provider is not enabled. */
  get<T>(ref: ServiceRef<T>): T;
  /** A service of an optional dependency; undefined when that plugin is not enabled. */
  getOptional<T>(ref: ServiceRef<T>): T | undefined;
}

/** Phase 1 context. Synchronous, no I/O: declare what you contribute, nothing more. */
export interface RegisterContext<O = unknown> {
  readonly pluginId: string;
  readonly options: O;
  /** True when a plugin with this id is enabled in the running profile. */
  isEnabled(pluginId: string): boolean;
  /**
   * Contribute a value to another plugin's extension point. The point's owner must be the core,
   * this plugin, or one of its dependencies; contributing to an optional dependency that is not
   * enabled is a no-op.
   */
  extend<T>(point: ExtensionPoint<T>, value: T): void;
  /** Provide a service; the factory runs once, lazily, in phase 2. */
  provide<T>(ref: ServiceRef<T>, factory: (ctx: PluginContext<O>) => T): void;
  /**
   * Subscribe to an event. Delivery is after commit, at least once, retried on failure; `name`
   * identifies this subscriber for retry bookkeeping and must be unique within the plugin.
   */
  subscribe<S extends TSchema>(event: EventDefinition<S>, name: string, handler: EventHandler<Static<S>>): void;
}

/** Phase 2 context: the database is migrated, the registry is frozen, services resolve. */
export interface PluginContext<O = unknown> {
  readonly pluginId: string;
  readonly options: O;
  readonly orm: MikroORM;
  readonly log: FastifyBaseLogger;
  readonly services: ServiceLocator;
  isEnabled(pluginId: string): boolean;
  /** Contributions to an extension point this plugin owns, in plugin load order. */
  extensions<T>(point: ExtensionPoint<T>): readonly T[];
  /** Run `work` in one database transaction together with its audit records and outbox events. */
  transaction<R>(actor: Actor, work: (tx: Transaction) => Promise<R>): Promise<R>;
  /**
   * Do this plugin's part of work inside a transaction another plugin opened (a service called with
   * the caller's `tx`): same database transaction, so both commit or neither does; this plugin's
   * audit records and events carry its own id and must be declared in its own `events.emits`.
   */
  joinTransaction<R>(tx: Transaction, work: (tx: Transaction) => Promise<R>): Promise<R>;
  /**
   * For extension point owners: run `work` inside `tx` as the plugin that contributed
   * `contribution` (an object from `extensions(point)`), so the audit records and events it writes
   * carry the contributor's id and are checked against the contributor's declarations.
   */
  joinTransactionAs<R>(contribution: object, tx: Transaction, work: (tx: Transaction) => Promise<R>): Promise<R>;
}

/** The Fastify instance a plugin's routes are registered on (prefix `/api/<plugin-id>`). */
export type PluginApp = FastifyInstance<any, any, any, FastifyBaseLogger, TypeBoxTypeProviderLike>;

export interface PluginDefinition<S extends TObject = TObject> {
  /** Lower-case, dash-separated, unique: `fixed-assets`. Routes mount at `/api/<id>`. */
  id: string;
  /** This plugin's semver version. */
  version: string;
  /** Semver range of the core this plugin works with, e.g. `^0.1.0`. A mismatch is fatal at boot. */
  compatibility: string;
  displayName?: string;
  description?: string;
  /** Plugins that must be enabled, with the version ranges this plugin accepts. */
  dependsOn?: Record<string, string>;
  /** Plugins used when enabled; they load first when present. */
  optionalDependsOn?: Record<string, string>;
  /** TypeBox schema of this plugin's options; defaults are applied, every error is reported. */
  options?: S;
  /** MikroORM entity schemas owned by this plugin (tables prefixed with the plugin's id). */
  entities?: EntitySchema<any, any>[];
  /** Ordered migrations creating this plugin's tables; tracked in `mig_<id>`. */
  migrations?: Migration[];
  permissions?: PermissionDeclaration[];
  events?: {
    emits?: EventDefinition<any>[];
    subscribes?: EventDefinition<any>[];
  };
  /** Extension points this plugin owns. */
  extensionPoints?: ExtensionPoint<any>[];
  /**
   * Console pages shipped as a prebuilt module (for plugins installed as packages, outside the
   * console's build). `dir` is the absolute path, or a `file:` URL, of the folder
   * `qm-console-module build` wrote (the one holding `quartermaster-console.json`), e.g.
   * `fileURLToPath(new URL('../dist/console', import.meta.url))`. The server serves it at
   * `/console-modules/<id>/` and lists it in `GET /api/core/admin-manifest`; the console loads it
   * with the shell's own Vue, Pinia, router, Element Plus and `@quartermaster/ui`. A missing or
   * unreadable folder is reported in the manifest and the log, never fatal.
   */
  console?: { dir: string };
  /** Phase 1: synchronous and free of I/O. */
  register?(ctx: RegisterContext<Static<S>>): void;
  /**
   * Phase 2: mount routes. Every route must say `config: { permission: '<declared id>' }`
   * or `config: { public: true }`; anything else fails the boot.
   */
  routes?(app: PluginApp, ctx: PluginContext<Static<S>>): Promise<void> | void;
  /** After all plugins have mounted routes, in load order. */
  onReady?(ctx: PluginContext<Static<S>>): Promise<void> | void;
  /**
   * Seed a first-look organisation. The server's demo loader calls it once, right after the core's
   * demo catalogue was created on an empty database, in load order; never on real data.
   */
  demoData?(ctx: PluginContext<Static<S>>): Promise<void>;
  /** On shutdown, in reverse load order. */
  onClose?(ctx: PluginContext<Static<S>>): Promise<void> | void;
}

/** Declare a server-side plugin. Returns the definition unchanged, typed. */
export function definePlugin<S extends TObject = TObject>(def: PluginDefinition<S>): PluginDefinition<S> {
  return def;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The permission this route needs. Must be declared by a loaded plugin. */
    permission?: string;
    /** Set on routes anyone may call (health, login). */
    public?: boolean;
  }
  interface FastifyRequest {
    /** The authenticated caller, set before the handler runs on non-public routes. */
    actor: import('./plugin.js').Actor;
  }
}

/** Helper for handlers: the caller of a request. */
export function actorOf(req: FastifyRequest): Actor {
  return req.actor;
}
