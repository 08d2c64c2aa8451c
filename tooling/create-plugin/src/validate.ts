/**
 * Checks a plugin package against the plugin contract without a database, so a third party's CI
 * can run it: the manifest (through the loader's own resolver), the permissions its routes need
 * (its routes mounted on a throwaway Fastify with the same check the platform boots with), the
 * events it declares, the tables its migrations touch (their SQL recorded, not run), the extension
 * points it owns and extends, and its console module's manifest.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  PluginResolutionError,
  resolvePlugins,
  type ExtensionPoint,
  type Migration,
  type PluginContext,
  type PluginDefinition,
  type RegisterContext,
} from '@quartermaster/sdk';
import { CORE_VERSION, corePermissions, routePermissionProblem } from '@quartermaster/core';
import { PLUGIN_ID_PATTERN } from './scaffold.js';
import { sqlTouches, type SqlTouch } from './sql-ownership.js';

/** Stable rule names; CI output and tests switch on them. */
export type Rule =
  | 'package'
  | 'entry'
  | 'id'
  | 'version'
  | 'compatibility'
  | 'permissions'
  | 'route-permission'
  | 'events'
  | 'migrations'
  | 'extension-points'
  | 'register'
  | 'routes'
  | 'console';

export interface ValidationProblem {
  rule: Rule;
  message: string;
  /** The file the problem is in, relative to the package, where one is known. */
  file?: string;
}

export interface ValidationResult {
  ok: boolean;
  /** The plugin's id, when its definition could be loaded. */
  pluginId?: string;
  /** The package's folder, absolute. */
  dir: string;
  problems: ValidationProblem[];
}

/** File the console-module builder writes next to its `index.js`. */
export const CONSOLE_MANIFEST = 'quartermaster-console.json';
const TYPEBOX_KIND = Symbol.for('TypeBox.Kind');

interface PackageJson {
  name?: string;
  version?: string;
  main?: string;
  exports?: unknown;
}

/** The file an `exports` entry points at (a path, or a conditions object). */
function exportTarget(entry: unknown): string | undefined {
  if (typeof entry === 'string') return entry;
  if (entry && typeof entry === 'object') {
    const conditions = entry as Record<string, unknown>;
    for (const key of ['import', 'default', 'node']) {
      const t = exportTarget(conditions[key]);
      if (t) return t;
    }
  }
  return undefined;
}

/** The server entry of a package: `exports["./server"]`, else `exports["."]`, else `main`. */
export function serverEntryOf(pkg: PackageJson): string | undefined {
  const exp = pkg.exports;
  if (typeof exp === 'string') return exp;
  if (exp && typeof exp === 'object') {
    const map = exp as Record<string, unknown>;
    return exportTarget(map['./server']) ?? exportTarget(map['.']);
  }
  return pkg.main;
}

function isPluginDefinition(v: unknown): v is PluginDefinition<any> {
  return !!v && typeof v === 'object' && typeof (v as PluginDefinition).id === 'string' && typeof (v as PluginDefinition).version === 'string';
}

/**
 * Stands in for anything a plugin's phase-2 code may touch while mounting routes (services, the
 * ORM, the logger): every property is another stand-in, every call returns one, and it is never a
 * promise, so mounting goes on without a database.
 */
function inert(): any {
  const target = function () {};
  const proxy: any = new Proxy(target, {
    get(t, prop) {
      // Members given with Object.assign (the stub context's own) are real.
      if (Object.prototype.hasOwnProperty.call(t, prop) && prop !== 'length' && prop !== 'name' && prop !== 'prototype') return Reflect.get(t, prop);
      if (prop === 'then') return undefined;
      if (prop === Symbol.toPrimitive) return () => '';
      if (prop === Symbol.iterator) return function* () {};
      return proxy;
    },
    apply: () => proxy,
    construct: () => proxy,
  });
  return proxy;
}

/** The plugin that owns a dotted name: `fixed-assets.check-out-guards` → `fixed-assets`. */
const ownerOf = (dotted: string) => dotted.slice(0, Math.max(0, dotted.indexOf('.')));

/** Fastify as the plugin would get it: from the package's own dependencies, else the SDK's. */
async function loadFastify(fromFile: string): Promise<(opts?: object) => any> {
  const candidates = [fromFile, createRequire(import.meta.url).resolve('@quartermaster/sdk/package.json')];
  for (const from of candidates) {
    try {
      const path = createRequire(from).resolve('fastify');
      const mod = (await import(pathToFileURL(path).href)) as { default: (opts?: object) => any };
      return mod.default;
    } catch {
      // Not installed there: try the next.
    }
  }
  throw new Error('fastify is not installed next to the plugin or @quartermaster/sdk');
}

/** What `register()` did, recorded instead of applied. */
interface Registered {
  extended: ExtensionPoint<unknown>[];
  subscribed: string[];
  /** Service factories by service id: the plugin's own services are built for real while mounting. */
  provided: Map<string, (ctx: PluginContext<any>) => unknown>;
}

function runRegister(def: PluginDefinition<any>, options: unknown, isDep: (id: string) => boolean): Registered {
  const rec: Registered = { extended: [], subscribed: [], provided: new Map() };
  const ctx: RegisterContext<any> = {
    pluginId: def.id,
    options,
    // Dependencies count as enabled, so code behind `isEnabled` is checked too.
    isEnabled: (id) => id === def.id || id === 'core' || isDep(id),
    extend: (point) => void rec.extended.push(point as ExtensionPoint<unknown>),
    provide: (ref, factory) => void rec.provided.set(ref.id, factory as (ctx: PluginContext<any>) => unknown),
    subscribe: (event) => void rec.subscribed.push(event.name),
  };
  const returned = def.register?.(ctx) as unknown;
  if (returned && typeof (returned as Promise<unknown>).then === 'function') {
    throw new Error('register() must be synchronous and do no I/O; do async work in routes() or onReady()');
  }
  return rec;
}

/** Every SQL text each migration runs, recorded by a MigrationContext that answers every query with no rows. */
async function recordMigrations(migrations: Migration[]): Promise<{ migration: string; sql: string[]; error?: string }[]> {
  const out = [];
  for (const m of migrations) {
    const sql: string[] = [];
    let error: string | undefined;
    try {
      await m.up({ execute: async (text) => (sql.push(text), []) });
    } catch (err) {
      error = (err as Error).message;
    }
    out.push({ migration: m.name, sql, ...(error ? { error } : {}) });
  }
  return out;
}

const DESCRIBE: Record<SqlTouch['action'], string> = {
  'CREATE TABLE': 'creates table',
  'CREATE INDEX': 'creates index',
  'INDEX ON': 'adds an index to table',
  'CREATE SEQUENCE': 'creates sequence',
  'CREATE TYPE': 'creates type',
  'CREATE VIEW': 'creates view',
  'CREATE FUNCTION': 'creates function',
  'CREATE TRIGGER': 'creates trigger',
  'TRIGGER ON': 'adds a trigger to table',
  ALTER: 'alters',
  DROP: 'drops',
  INSERT: 'inserts into',
  UPDATE: 'updates',
  DELETE: 'deletes from',
  TRUNCATE: 'truncates',
  COMMENT: 'comments on',
  REFERENCES: 'has a foreign key to',
};

/** Validate the plugin package in `dir`. Never throws for a bad package: every finding is a problem. */
export async function validatePlugin(dirArg: string): Promise<ValidationResult> {
  const dir = resolve(dirArg);
  const problems: ValidationProblem[] = [];
  const done = (pluginId?: string): ValidationResult => ({ ok: problems.length === 0, dir, problems, ...(pluginId ? { pluginId } : {}) });

  // ---- The package and its server entry.
  const pkgPath = join(dir, 'package.json');
  let pkg: PackageJson;
  try {
    pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as PackageJson;
  } catch (err) {
    problems.push({ rule: 'package', message: `cannot read package.json: ${(err as Error).message}`, file: 'package.json' });
    return done();
  }
  const entryRel = serverEntryOf(pkg);
  if (!entryRel) {
    problems.push({ rule: 'package', message: 'package.json exports no server entry: add "exports": { "./server": "./src/server/index.ts" } (or ".")', file: 'package.json' });
    return done();
  }
  const entry = resolve(dir, entryRel);
  const entryFile = relative(dir, entry);
  if (!existsSync(entry)) {
    problems.push({ rule: 'package', message: `the server entry ${entryRel} does not exist`, file: 'package.json' });
    return done();
  }
  let def: PluginDefinition<any>;
  try {
    const mod = (await import(pathToFileURL(entry).href)) as Record<string, unknown>;
    const found = isPluginDefinition(mod.default) ? mod.default : Object.values(mod).find(isPluginDefinition);
    if (!found) {
      problems.push({ rule: 'entry', message: `${entryRel} exports no plugin definition: export default definePlugin({ … })`, file: entryFile });
      return done();
    }
    if (!isPluginDefinition(mod.default)) {
      problems.push({ rule: 'entry', message: `${entryRel} must export its definePlugin() as default, so a profile's "packages" can load it`, file: entryFile });
    }
    def = found;
  } catch (err) {
    problems.push({ rule: 'entry', message: `cannot import ${entryRel}: ${(err as Error).message}`, file: entryFile });
    return done();
  }
  const id = def.id;
  const deps = new Set([...Object.keys(def.dependsOn ?? {}), ...Object.keys(def.optionalDependsOn ?? {})]);
  const isDep = (other: string) => deps.has(other);
  /** The core, this plugin or one of its dependencies. */
  const reachable = (owner: string) => owner === 'core' || owner === id || isDep(owner);

  // ---- The manifest, checked by the loader's own resolver (as at boot), plus the package's name.
  // Options with their defaults, as the loader would hand them over for an empty profile entry.
  let options: unknown = {};
  try {
    options = resolvePlugins({ coreVersion: CORE_VERSION, available: [def], enabled: { [id]: {} } })[0].options;
  } catch (err) {
    if (!(err instanceof PluginResolutionError)) throw err;
    for (const p of err.problems) {
      if (p.code === 'incompatible-core') problems.push({ rule: 'compatibility', message: p.message, file: entryFile });
      else if (p.code === 'invalid-manifest') {
        const rule: Rule = /^id /.test(p.message)
          ? 'id'
          : /^version /.test(p.message)
            ? 'version'
            : /^compatibility /.test(p.message)
              ? 'compatibility'
              : /^permission /.test(p.message)
                ? 'permissions'
                : /^event /.test(p.message)
                  ? 'events'
                  : /^extension point /.test(p.message)
                    ? 'extension-points'
                    : 'migrations';
        problems.push({ rule, message: p.message, file: entryFile });
      }
      // Missing dependencies and options a profile must give are a profile's business, not the package's.
    }
  }
  if (PLUGIN_ID_PATTERN.test(id)) {
    const nameRe = new RegExp(`^(@[a-z0-9][a-z0-9._~-]*/)?(quartermaster-)?plugin-${id.replace(/-/g, '\\-')}$`);
    if (!nameRe.test(pkg.name ?? '')) {
      problems.push({ rule: 'id', message: `package name "${pkg.name ?? ''}" does not match the plugin id "${id}": name it @<scope>/plugin-${id} or quartermaster-plugin-${id}`, file: 'package.json' });
    }
  }
  if (!problems.some((p) => p.rule === 'version') && pkg.version !== def.version) {
    problems.push({ rule: 'version', message: `the plugin says version ${def.version} but package.json says ${pkg.version ?? 'none'}; keep them the same`, file: entryFile });
  }

  // ---- Permissions: owned ids, each declared once, each described.
  const declared = new Set<string>();
  for (const p of def.permissions ?? []) {
    if (declared.has(p.id)) problems.push({ rule: 'permissions', message: `permission "${p.id}" is declared twice`, file: entryFile });
    declared.add(p.id);
    if (!p.description?.trim()) problems.push({ rule: 'permissions', message: `permission "${p.id}" has no description (roles show it)`, file: entryFile });
  }

  // ---- Events: owned names with TypeBox schemas.
  const emitted = new Set<string>();
  for (const e of def.events?.emits ?? []) {
    if (emitted.has(e.name)) problems.push({ rule: 'events', message: `event "${e.name}" is declared twice`, file: entryFile });
    emitted.add(e.name);
    if (!e.schema || typeof e.schema !== 'object' || !(TYPEBOX_KIND in e.schema)) {
      problems.push({ rule: 'events', message: `event "${e.name}" has no TypeBox schema for its payload (use defineEvent(name, Type.Object({ … })))`, file: entryFile });
    }
  }
  for (const e of def.events?.subscribes ?? []) {
    if (!reachable(ownerOf(e.name))) {
      problems.push({ rule: 'events', message: `subscribes to "${e.name}" of "${ownerOf(e.name)}", which is not in dependsOn or optionalDependsOn`, file: entryFile });
    }
  }

  // ---- Phase 1: what register() extends and subscribes to.
  for (const p of def.extensionPoints ?? []) {
    if (p?.kind !== 'extension-point') problems.push({ rule: 'extension-points', message: `extensionPoints holds something that is not made with createExtensionPoint()`, file: entryFile });
  }
  const ownPoints = new Set((def.extensionPoints ?? []).map((p) => p.id));
  let provided = new Map<string, (ctx: PluginContext<any>) => unknown>();
  try {
    const rec = runRegister(def, options, isDep);
    provided = rec.provided;
    for (const point of rec.extended) {
      const owner = ownPoints.has(point.id) ? id : ownerOf(point.id);
      if (!reachable(owner)) {
        problems.push({
          rule: 'extension-points',
          message: `register() extends "${point.id}" owned by "${owner || '?'}", which is not in dependsOn or optionalDependsOn`,
          file: entryFile,
        });
      }
    }
    for (const name of rec.subscribed) {
      if (!reachable(ownerOf(name))) {
        problems.push({ rule: 'events', message: `register() subscribes to "${name}" of "${ownerOf(name)}", which is not in dependsOn or optionalDependsOn`, file: entryFile });
      }
    }
  } catch (err) {
    problems.push({ rule: 'register', message: `register() failed: ${(err as Error).message}`, file: entryFile });
  }

  // ---- Phase 2: mount the routes on a throwaway Fastify and check each one as the platform does at boot.
  if (def.routes) {
    const known = new Set([...declared, ...corePermissions.map((p) => p.id)]);
    let app: any;
    try {
      const fastify = await loadFastify(entry);
      app = fastify({ logger: false });
      // Schemas are the platform's business at boot; here only the routes' declarations matter.
      app.setValidatorCompiler(() => () => true);
      app.setSerializerCompiler(() => (data: unknown) => JSON.stringify(data));
      // Its own services are built from its own factories (routes often need them at once); everything else is inert.
      const built = new Map<string, unknown>();
      const service = (ref: { id: string }) => {
        const factory = provided.get(ref.id);
        if (!factory) return inert();
        if (!built.has(ref.id)) built.set(ref.id, factory(ctx));
        return built.get(ref.id);
      };
      const ctx: PluginContext<any> = Object.assign(inert(), {
        pluginId: id,
        options,
        isEnabled: (other: string) => other === id || other === 'core' || isDep(other),
        extensions: () => Object.freeze([]),
        services: { get: service, getOptional: service },
      });
      await app.register(
        async (scope: any) => {
          scope.addHook('onRoute', (route: { method: string | string[]; url: string; config?: { permission?: string; public?: boolean } }) => {
            // Fastify adds a HEAD route for every GET, with the same config: one finding is enough.
            if (route.method === 'HEAD') return;
            // The boot's own check; a dependency's permissions count as declared.
            const problem = routePermissionProblem(route.config, (p) => known.has(p) || isDep(ownerOf(p)));
            if (problem) problems.push({ rule: 'route-permission', message: `route ${[route.method].flat().join(',')} ${route.url} ${problem}`, file: entryFile });
          });
          await def.routes!(scope, ctx);
        },
        { prefix: `/api/${id}` },
      );
      await app.ready();
    } catch (err) {
      problems.push({ rule: 'routes', message: `mounting the routes failed: ${(err as Error).message}`, file: entryFile });
    } finally {
      await app?.close().catch(() => undefined);
    }
  }

  // ---- Migrations: every object they touch is the plugin's own; foreign keys point into the core or a dependency.
  const snake = id.replace(/-/g, '_');
  const owns = (name: string) => name.startsWith(`${snake}_`);
  const mayReference = (name: string) => owns(name) || name.startsWith('core_') || [...deps].some((d) => name.startsWith(`${d.replace(/-/g, '_')}_`));
  for (const m of await recordMigrations(def.migrations ?? [])) {
    if (m.error) problems.push({ rule: 'migrations', message: `migration ${m.migration} failed without a database: ${m.error}`, file: entryFile });
    for (const t of m.sql.flatMap(sqlTouches)) {
      const ok = t.action === 'REFERENCES' ? mayReference(t.name) : owns(t.name);
      if (ok) continue;
      problems.push({
        rule: 'migrations',
        message:
          t.action === 'REFERENCES'
            ? `migration ${m.migration} has a foreign key to "${t.name}", which is neither the core's, the plugin's nor a dependency's`
            : `migration ${m.migration} ${DESCRIBE[t.action]} "${t.name}", which plugin "${id}" does not own: its tables, indexes, sequences and types start with "${snake}_"`,
        file: entryFile,
      });
    }
  }

  // ---- The console module, when the plugin has one.
  const consoleDef = (def as { console?: { dir?: unknown } }).console;
  if (consoleDef !== undefined) {
    const raw = typeof consoleDef?.dir === 'string' ? consoleDef.dir : null;
    const consoleDir = raw?.startsWith('file:') ? fileURLToPath(raw) : raw;
    const manifest = consoleDir ? join(consoleDir, CONSOLE_MANIFEST) : null;
    if (!manifest) problems.push({ rule: 'console', message: 'console.dir must be the folder of the built console module', file: entryFile });
    else if (!existsSync(manifest)) {
      problems.push({ rule: 'console', message: `console module not built: ${relative(dir, manifest)} is missing (run the package's build:console first)`, file: entryFile });
    } else {
      try {
        const m = JSON.parse(readFileSync(manifest, 'utf8')) as Record<string, unknown>;
        if (typeof m.id === 'string' && m.id !== id) {
          problems.push({ rule: 'console', message: `${relative(dir, manifest)} is for plugin "${m.id}", not "${id}"`, file: relative(dir, manifest) });
        }
        const files = [typeof m.entry === 'string' ? m.entry : 'index.js', ...(Array.isArray(m.css) ? m.css.filter((c): c is string => typeof c === 'string') : [])];
        for (const file of files.filter((f) => !existsSync(join(dirname(manifest), f)))) {
          problems.push({ rule: 'console', message: `${relative(dir, manifest)} names ${file}, which is missing`, file: relative(dir, manifest) });
        }
      } catch (err) {
        problems.push({ rule: 'console', message: `${relative(dir, manifest)} is not readable JSON: ${(err as Error).message}`, file: relative(dir, manifest) });
      }
    }
  }

  return done(id);
}

/** One line per problem, as the CLI prints them. */
export function formatProblems(result: ValidationResult): string[] {
  return result.problems.map((p) => `${p.file ? `${p.file}: ` : ''}[${p.rule}] ${p.message}`);
}
