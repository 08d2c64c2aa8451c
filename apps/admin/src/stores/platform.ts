import { defineStore } from 'pinia';
import { computed, markRaw, ref, shallowRef } from 'vue';
import type { RouteRecordRaw, Router } from 'vue-router';
import { coreApi } from '../api/core';
import type { PlatformInfo } from '../api/types';
import { coreNav } from '../plugins/coreNav';
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
    const built = buildContributions({ platform: info.value, definitions, permissions, coreNav });
    for (const w of built.warnings) console.warn(`[quartermaster] ${w}`);
    contributions.value = markRaw(built);
    removers = built.routes.map((r) => router.addRoute('shell', toRouteRecord(r)));
    ready.value = true;
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
