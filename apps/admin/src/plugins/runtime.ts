/**
 * Console modules loaded at run time: plugins installed as packages, outside this console's build,
 * whose prebuilt pages the server lists in `GET /api/core/admin-manifest`. Each module is checked
 * against the shell's shared library versions (see versions.ts), its CSS is linked, its entry
 * imported; its default export is an `AdminPluginDefinition` registered like a build-time plugin.
 *
 * A module that cannot run never leaves a blank page: it is replaced by a stand-in with the
 * plugin's nav entry and a catch-all route under `/<id>` showing an error panel that says what is
 * wrong and what to do. Other plugins are unaffected.
 */
import type { AdminPluginDefinition } from '@quartermaster/sdk/admin';
import { defineComponent, h, markRaw } from 'vue';
import ConsoleModuleError from '../components/ConsoleModuleError.vue';
import { checkSharedVersions, type SharedMismatch } from './versions';

export interface AdminManifestModule {
  id: string;
  /** The ES entry (absolute path on this server, or a URL). */
  url: string;
  css: string[];
  shared: Record<string, string>;
}
export interface AdminManifestBrokenModule {
  id: string;
  error: string;
}
export interface AdminManifest {
  shell?: { shared: Record<string, string> };
  modules: (AdminManifestModule | AdminManifestBrokenModule)[];
  permissions: string[];
}

export type ModuleFailureKind = 'version' | 'import' | 'server';

export interface ModuleFailure {
  id: string;
  kind: ModuleFailureKind;
  /** One line for the banner and the log. */
  message: string;
  /** For `version`: each library that does not fit. */
  mismatches: SharedMismatch[];
}

export interface RuntimeLoadOptions {
  /** The shell's shared versions (SHELL_SHARED_VERSIONS). */
  shellShared: Readonly<Record<string, string>>;
  /** Ids the console already has from its own build: those win, the runtime module is skipped. */
  builtIn?: Iterable<string>;
  /** Puts the shared libraries in place; awaited once before the first import. */
  prepareShared: () => Promise<void>;
  importModule?: (url: string) => Promise<{ default?: unknown }>;
  loadStylesheet?: (href: string) => void;
}

const defaultImport = (url: string) => import(/* @vite-ignore */ new URL(url, document.baseURI).href) as Promise<{ default?: unknown }>;

/** One `<link rel="stylesheet">` per file, never twice. */
export function linkStylesheet(href: string): void {
  const abs = new URL(href, document.baseURI).href;
  for (const l of Array.from(document.querySelectorAll<HTMLLinkElement>('link[data-qm-console-module]'))) if (l.href === abs) return;
  const link = document.createElement('link');
  link.rel = 'stylesheet';
  link.href = abs;
  link.dataset.qmConsoleModule = '';
  document.head.appendChild(link);
}

/** How modules reach the page: a real `import()` and `<link>`; component tests put stand-ins here. */
export const runtimeModuleIo = { importModule: defaultImport, loadStylesheet: linkStylesheet };

function describeMismatch(m: SharedMismatch): string {
  return m.shellVersion === null ? `${m.library} ${m.moduleVersion} (not shared by this console)` : `${m.library} ${m.moduleVersion} (this console has ${m.shellVersion})`;
}

/** Import the modules of the manifest that can run here; the others become failures. */
export async function loadRuntimeModules(
  manifest: AdminManifest,
  options: RuntimeLoadOptions,
): Promise<{ definitions: Record<string, AdminPluginDefinition>; failures: ModuleFailure[]; skipped: string[] }> {
  const builtIn = new Set(options.builtIn ?? []);
  const importModule = options.importModule ?? runtimeModuleIo.importModule;
  const loadStylesheet = options.loadStylesheet ?? runtimeModuleIo.loadStylesheet;
  const definitions: Record<string, AdminPluginDefinition> = {};
  const failures: ModuleFailure[] = [];
  const skipped: string[] = [];
  const runnable: AdminManifestModule[] = [];

  for (const m of manifest.modules) {
    if (builtIn.has(m.id)) {
      skipped.push(m.id);
      continue;
    }
    if ('error' in m) {
      failures.push({ id: m.id, kind: 'server', message: m.error, mismatches: [] });
      continue;
    }
    const mismatches = checkSharedVersions(m.shared, options.shellShared);
    if (mismatches.length > 0) {
      failures.push({ id: m.id, kind: 'version', message: `built against ${mismatches.map(describeMismatch).join(', ')}`, mismatches });
      continue;
    }
    runnable.push(m);
  }
  if (runnable.length === 0) return { definitions, failures, skipped };

  try {
    await options.prepareShared();
  } catch (err) {
    for (const m of runnable) failures.push({ id: m.id, kind: 'import', message: `the console's shared libraries did not load: ${errorText(err)}`, mismatches: [] });
    return { definitions, failures, skipped };
  }
  await Promise.all(
    runnable.map(async (m) => {
      try {
        for (const href of m.css) loadStylesheet(href);
        const mod = await importModule(m.url);
        const def = mod.default as AdminPluginDefinition | undefined;
        if (!def || typeof def !== 'object' || typeof def.id !== 'string') throw new Error(`${m.url} has no default export made with defineAdminPlugin()`);
        definitions[m.id] = def;
      } catch (err) {
        failures.push({ id: m.id, kind: 'import', message: errorText(err), mismatches: [] });
      }
    }),
  );
  // Manifest order (the server's load order), whatever order the imports settled in.
  const order = manifest.modules.map((m) => m.id);
  failures.sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
  return { definitions, failures, skipped };
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Stands in for a module that cannot run: the plugin keeps a nav entry, and every page under
 * `/<id>` shows the error panel, so a bookmark into the plugin explains itself too.
 */
export function failedModuleDefinition(failure: ModuleFailure, pluginName: string): AdminPluginDefinition {
  const panel = markRaw(
    defineComponent({
      name: 'ConsoleModuleUnavailable',
      render: () => h(ConsoleModuleError, { failure, pluginName }),
    }),
  );
  return {
    id: failure.id,
    routes: [{ path: '/:pathMatch(.*)*', name: 'console-module-error', title: `${pluginName} unavailable`, permission: '', component: async () => ({ default: panel }) }],
    nav: [{ label: pluginName, to: `/${failure.id}`, permission: '' }],
  };
}
