import { permitted } from '@quartermaster/sdk/admin';
import { computed, onMounted, ref } from 'vue';
import { useGpsApi } from '../api';

/**
 * Who is signed in (id, name, permissions) and which plugins the server has enabled, for showing
 * or hiding actions and fields (the server still decides every call). The shell keeps both in its
 * own stores, which plugins cannot reach, so this reads `GET /api/core/session` and
 * `GET /api/core/platform` once per page. Until they answer nothing is permitted or enabled.
 */
export function useConsole() {
  const api = useGpsApi();
  const perms = ref<string[] | null>(null);
  const user = ref<{ id: string; name: string } | null>(null);
  const plugins = ref<string[] | null>(null);
  const set = computed(() => new Set(perms.value ?? []));

  onMounted(() => {
    void api.core
      .session()
      .then((s) => {
        perms.value = s.permissions ?? [];
        user.value = s.user ? { id: s.user.id, name: s.user.name } : null;
      })
      .catch(() => (perms.value = []));
    void api.core
      .platform()
      .then((p) => (plugins.value = p.plugins.map((x) => x.id)))
      .catch(() => (plugins.value = []));
  });

  const can = (permission: string) => perms.value !== null && permitted(set.value, permission);
  const enabled = (pluginId: string) => plugins.value !== null && plugins.value.includes(pluginId);
  return {
    can,
    user,
    enabled,
    /** Both answered (before that, `can` and `enabled` say no). */
    loaded: computed(() => perms.value !== null && plugins.value !== null),
    pluginsLoaded: computed(() => plugins.value !== null),
  };
}
