import { permitted } from '@quartermaster/sdk/admin';
import { computed, onMounted, ref } from 'vue';
import { useApi } from '../api';

/** What the console composables read of `GET /api/core/session`. */
interface SessionAnswer {
  user?: { id: string; name: string } | null;
  permissions?: string[];
}
/** What the console composables read of `GET /api/core/platform`. */
interface PlatformAnswer {
  plugins: { id: string }[];
}

/**
 * The signed-in user (id, name) and their permissions, for showing or hiding actions (the server
 * still checks every call). The shell keeps them in its own store, which plugin pages cannot
 * reach, so this reads `GET /api/core/session` once per page. Until it answers (or when it fails)
 * nothing is permitted.
 */
export function usePermissions() {
  const api = useApi();
  const list = ref<string[] | null>(null);
  const user = ref<{ id: string; name: string } | null>(null);
  const set = computed(() => new Set(list.value ?? []));
  onMounted(async () => {
    try {
      const s = await api.get<SessionAnswer>('/api/core/session');
      list.value = s.permissions ?? [];
      user.value = s.user ? { id: s.user.id, name: s.user.name } : null;
    } catch {
      list.value = [];
    }
  });
  const can = (permission: string) => list.value !== null && permitted(set.value, permission);
  return { can, user, loaded: computed(() => list.value !== null) };
}

/**
 * The plugins enabled on the server, for actions and fields that need another plugin. The shell
 * keeps them in its own platform store, which plugin pages cannot reach, so this reads
 * `GET /api/core/platform` once per page. Until it answers (or when it fails) nothing counts as
 * enabled; the server still refuses calls to a plugin that is not.
 */
export function useEnabledPlugins() {
  const api = useApi();
  const ids = ref<string[] | null>(null);
  onMounted(async () => {
    try {
      ids.value = (await api.get<PlatformAnswer>('/api/core/platform')).plugins.map((p) => p.id);
    } catch {
      ids.value = [];
    }
  });
  const enabled = (pluginId: string) => ids.value !== null && ids.value.includes(pluginId);
  return { enabled, loaded: computed(() => ids.value !== null) };
}

/**
 * Both of the above for a page that needs both: who is signed in and may do what, and which
 * plugins are enabled (each read once per page; until they answer nothing is permitted or enabled).
 */
export function useConsole() {
  const { can, user, loaded: permissionsLoaded } = usePermissions();
  const { enabled, loaded: pluginsLoaded } = useEnabledPlugins();
  return {
    can,
    user,
    enabled,
    /** Both answered (before that, `can` and `enabled` say no). */
    loaded: computed(() => permissionsLoaded.value && pluginsLoaded.value),
    pluginsLoaded,
  };
}
