import { permitted } from '@quartermaster/sdk/admin';
import { computed, onMounted, ref } from 'vue';
import { useFixedAssetsApi } from '../api';

/**
 * The signed-in user (id, name) and their permissions, for showing or hiding actions (the server
 * still checks every call). The shell keeps them in its own store, which plugins cannot reach, so
 * this reads `GET /api/core/session` once per page.
 */
export function usePermissions() {
  const api = useFixedAssetsApi();
  const list = ref<string[] | null>(null);
  const user = ref<{ id: string; name: string } | null>(null);
  const set = computed(() => new Set(list.value ?? []));
  onMounted(async () => {
    try {
      const s = await api.core.session();
      list.value = s.permissions ?? [];
      user.value = s.user ? { id: s.user.id, name: s.user.name } : null;
    } catch {
      list.value = [];
    }
  });
  const can = (permission: string) => list.value !== null && permitted(set.value, permission);
  return { can, user, loaded: computed(() => list.value !== null) };
}
