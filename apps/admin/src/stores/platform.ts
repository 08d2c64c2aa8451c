import { defineStore } from 'pinia';
import { computed, markRaw, ref, shallowRef } from 'vue';
import type { RouteRecordRaw, Router } from 'vue-router';
import { coreApi } from '../api/core';
import type { PlatformInfo } from '../api/types';
import type { AdminPluginDefinition } from '@quartermaster/sdk/admin';
import { coreNav } from '../plugins/coreNav';
import { failedModuleDefinition, loadRuntimeModules, type AdminManifest } from '../plugins/runtime';
import { installLazySharedLibraries, SHELL_SHARED_VERSIONS } from '../plugins/shared';
import {
  buildContributions,
  loadAdminPlugins,
  type AdminPluginLoader,
  type Contributions,
  type ResolvedRoute,
} from '../plugins/registry';

const EMPTY: Contributions = { routes: [], nav: [], sections: [], widgets: {}, scanResolvers: [], warnings: [] };

export function toRouteRecord(r: ResolvedRoute): RouteRecordRaw {
  return {
    path: r.path,
    name: r.name,
    component: r.component as () => Promise<never>,
    meta: { title: r.title, permission: r.permission, pluginId: r.pluginId },
  };
}

/**
 * What this console shows: the server's enabled plugins, their loaded console modules and the
 * contributions the signed-in user may see. `load()` runs after sign-in; `reset()` on sign-out.
 */
export const usePlatformStore = defineStore('platform', () => {
  const info = ref<PlatformInfo | null>(null);
  const contributions = shallowRef<Contributions>(EMPTY);
  const ready = ref(false);
  const loadErrors = ref<string[]>([]);
  let removers: (() => void)[] = [];

  const widgetsFor = (zoneId: string) => contributions.value.widgets[zoneId] ?? [];
  const pluginCount = computed(() => info.value?.plugins.length ?? 0);

  async function load(router: Router, permissions: readonly string[], loaders: Record<string, AdminPluginLoader>) {
    reset();
    try {
      info.value = await coreApi.platform();
    } catch (err) {
      info.value = { coreVersion: 'unknown', plugins: [] };
      loadErrors.value = [`Could not read the platform: ${err instanceof Error ? err.message : String(err)}`];
    }
    const { definitions, errors } = await loadAdminPlugins(info.value, loaders);
    for (const e of errors) {
      loadErrors.value.push(`Plugin "${e.id}" failed to load: ${e.error instanceof Error ? e.error.message : String(e.error)}`);
    }
    Object.assign(definitions, await loadRuntime(info.value, Object.keys(loaders)));
    const built = buildContributions({ platform: info.value, definitions, permissions, coreNav });
    for (const w of built.warnings) console.warn(`[quartermaster] ${w}`);
    contributions.value = markRaw(built);
    removers = built.routes.map((r) => router.addRoute('shell', toRouteRecord(r)));
    ready.value = true;
  }

  /**
   * Plugins installed as packages bring prebuilt console modules (the admin manifest). Only enabled
   * plugins are listed by the server; one that cannot run gets a stand-in showing why.
   */
  async function loadRuntime(platformInfo: PlatformInfo, builtIn: string[]): Promise<Record<string, AdminPluginDefinition>> {
    let manifest: AdminManifest;
    try {
      manifest = await coreApi.adminManifest();
    } catch (err) {
      loadErrors.value.push(`Could not read the console modules of installed plugins: ${err instanceof Error ? err.message : String(err)}`);
      return {};
    }
    const { definitions, failures, skipped } = await loadRuntimeModules(manifest, {
      shellShared: SHELL_SHARED_VERSIONS,
      builtIn,
      prepareShared: () => installLazySharedLibraries(),
    });
    for (const id of skipped) console.warn(`[quartermaster] plugin "${id}" has a console module, but this console was built with its pages; using those`);
    const nameOf = (id: string) => platformInfo.plugins.find((p) => p.id === id)?.displayName || id;
    for (const f of failures) {
      console.error(`[quartermaster] console module of plugin "${f.id}": ${f.message}`);
      loadErrors.value.push(`${nameOf(f.id)}: its pages cannot be shown (${f.message}). Open them for what to do.`);
      definitions[f.id] = failedModuleDefinition(f, nameOf(f.id));
    }
    return definitions;
  }

  function reset() {
    for (const remove of removers) remove();
    removers = [];
    contributions.value = EMPTY;
    loadErrors.value = [];
    ready.value = false;
  }

  return { info, contributions, ready, loadErrors, widgetsFor, pluginCount, load, reset };
});
