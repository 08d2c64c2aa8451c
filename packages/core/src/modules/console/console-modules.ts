/**
 * Console modules of third-party plugins: the prebuilt ES modules a plugin names in
 * `definition.console.dir` (written by `qm-console-module build`). The server reads each module's
 * `quartermaster-console.json` once at boot, serves the folder read-only at
 * `/console-modules/<plugin-id>/`, and lists the modules in `GET /api/core/admin-manifest`, from
 * which the console loads them after sign-in. A module that cannot be read is reported, not fatal:
 * the rest of the platform and the console keep working.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import { Type } from '@sinclair/typebox';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { PluginApp, PluginDefinition } from '@quartermaster/sdk';
import { AUTHENTICATED } from '../../kernel/auth.js';
import { errorResponses } from '../common.js';

export const CONSOLE_MODULE_MANIFEST = 'quartermaster-console.json';
export const CONSOLE_MODULES_PREFIX = '/console-modules/';

export interface ConsoleModule {
  id: string;
  /** The module's folder on disk. */
  dir: string;
  /** URL of the ES entry, e.g. `/console-modules/tasmota/index.js`. */
  url: string;
  css: string[];
  /** Package → version the module was built against. */
  shared: Record<string, string>;
}
export interface BrokenConsoleModule {
  id: string;
  error: string;
}
export type ConsoleModuleEntry = ConsoleModule | BrokenConsoleModule;

export interface ConsoleModuleSource {
  /** Modules of the enabled plugins that declare `console`, in load order. */
  consoleModules(): readonly ConsoleModuleEntry[];
}

const isRelativeFile = (f: unknown): f is string =>
  typeof f === 'string' && f.length > 0 && !isAbsolute(f) && !f.split(/[\\/]/).includes('..') && !f.startsWith('/');

/** Read one plugin's module manifest; any problem becomes an `{ id, error }` the operator can act on. */
export function readConsoleModule(plugin: Pick<PluginDefinition, 'id' | 'console'>): ConsoleModuleEntry {
  const id = plugin.id;
  const raw = plugin.console?.dir;
  const base = `/console-modules/${id}/`;
  try {
    if (typeof raw !== 'string' || raw === '') return { id, error: 'console.dir is not set' };
    const dir = raw.startsWith('file:') ? fileURLToPath(raw) : raw;
    if (!isAbsolute(dir)) return { id, error: `console.dir must be an absolute path or a file: URL, not "${raw}"` };
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      return { id, error: `console module folder ${dir} does not exist: build it with \`qm-console-module build\`` };
    }
    const file = join(dir, CONSOLE_MODULE_MANIFEST);
    if (!existsSync(file)) return { id, error: `${file} is missing: build the module with \`qm-console-module build\`` };
    let m: { id?: unknown; entry?: unknown; css?: unknown; shared?: unknown };
    try {
      m = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      return { id, error: `${file} is not valid JSON: ${(err as Error).message}` };
    }
    if (!m || typeof m !== 'object') return { id, error: `${file} is not an object` };
    if (m.id !== id) return { id, error: `${file} is for plugin "${String(m.id)}", not "${id}"` };
    if (!isRelativeFile(m.entry)) return { id, error: `${file}: "entry" must be a file inside the module folder` };
    if (!existsSync(join(dir, m.entry))) return { id, error: `${file}: entry ${m.entry} is missing` };
    const css = m.css ?? [];
    if (!Array.isArray(css) || !css.every(isRelativeFile)) return { id, error: `${file}: "css" must list files inside the module folder` };
    const shared = m.shared;
    if (!shared || typeof shared !== 'object' || Array.isArray(shared) || !Object.values(shared).every((v) => typeof v === 'string')) {
      return { id, error: `${file}: "shared" must map each shared library to the version the module was built against` };
    }
    return { id, dir: resolve(dir), url: base + m.entry, css: (css as string[]).map((c) => base + c), shared: { ...(shared as Record<string, string>) } };
  } catch (err) {
    return { id, error: `console module could not be read: ${(err as Error).message}` };
  }
}

/** The modules of the enabled plugins that declare one; the broken ones are logged. */
export function readConsoleModules(plugins: readonly Pick<PluginDefinition, 'id' | 'console'>[], log: FastifyBaseLogger): ConsoleModuleEntry[] {
  const out: ConsoleModuleEntry[] = [];
  for (const p of plugins) {
    if (!p.console) continue;
    const entry = readConsoleModule(p);
    if ('error' in entry) log.error({ plugin: p.id }, `console module of plugin "${p.id}" is not available: ${entry.error}`);
    else log.info({ plugin: p.id, shared: entry.shared }, `console module of plugin "${p.id}" served at ${entry.url}`);
    out.push(entry);
  }
  return out;
}

/**
 * Content-hashed build output (`chunks/Page-1a2B3c4D.js`, `assets/style-…css`) never changes and
 * may be cached for good; the entry and the manifest keep their names across builds and may not.
 */
export function isHashedConsoleModuleFile(urlPath: string): boolean {
  return /^\/console-modules\/[a-z0-9][a-z0-9-]*\/(chunks|assets)\/[^/]+-[A-Za-z0-9_-]{8,}\.[A-Za-z0-9]+$/.test(urlPath);
}

/** Serve each readable module's folder, read-only, at `/console-modules/<id>/`. */
export async function serveConsoleModules(app: FastifyInstance, modules: readonly ConsoleModuleEntry[]): Promise<void> {
  for (const m of modules) {
    if ('error' in m) continue;
    await app.register(fastifyStatic, {
      root: m.dir.endsWith(sep) ? m.dir : m.dir + sep,
      prefix: `${CONSOLE_MODULES_PREFIX}${m.id}/`,
      decorateReply: false,
      index: false,
      list: false,
      // `send` refuses paths outside root; dotfiles are not part of a build.
      dotfiles: 'deny',
      // Cache-Control is set for every console path by the security headers hook.
      cacheControl: false,
      schemaHide: true,
    });
  }
}

const SharedVersions = Type.Record(Type.String(), Type.String(), { description: 'Package → version' });
const ManifestModule = Type.Union([
  Type.Object({
    id: Type.String(),
    url: Type.String({ description: 'The ES entry; its default export is the AdminPluginDefinition' }),
    css: Type.Array(Type.String()),
    shared: SharedVersions,
  }),
  Type.Object({ id: Type.String(), error: Type.String({ description: 'Why the module cannot be loaded' }) }),
]);
const AdminManifest = Type.Object({
  shell: Type.Optional(Type.Object({ shared: SharedVersions })),
  modules: Type.Array(ManifestModule),
  permissions: Type.Array(Type.String(), { description: "The caller's permission ids" }),
});

/** `GET /api/core/admin-manifest`: what the console loads at run time, for any signed-in user. */
export async function consoleModuleRoutes(app: PluginApp, source: ConsoleModuleSource) {
  app.get('/admin-manifest', {
    config: { permission: AUTHENTICATED },
    schema: {
      summary: "Console modules of the enabled plugins (loaded at run time) and the caller's permissions",
      response: { 200: AdminManifest, ...errorResponses },
    },
  }, async (req) => ({
    modules: source.consoleModules().map((m) => ('error' in m ? { id: m.id, error: m.error } : { id: m.id, url: m.url, css: m.css, shared: m.shared })),
    permissions: [...req.actor.permissions].sort(),
  }));
}
