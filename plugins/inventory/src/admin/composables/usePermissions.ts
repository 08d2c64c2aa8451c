import { permitted } from '@quartermaster/sdk/admin';
import { computed, onMounted, ref } from 'vue';
import { useInventoryApi } from '../api';

/**
 * The signed-in user's permissions, for showing or hiding actions (the server still checks every
 * call). The shell keeps them in its own store, which plugins cannot reach, so this reads
 * `GET /api/core/session` once per page.
 */
export function usePermissions() {
  const api = useInventoryApi();
  const list = ref<string[] | null>(null);
  const set = computed(() => new Set(list.value ?? []));
  onMounted(async () => {
    try {
      list.value = (await api.core.session()).permissions ?? [];
    } catch {
      list.value = [];
    }
  });
  const can = (permission: string) => list.value !== null && permitted(set.value, permission);
  return { can, loaded: computed(() => list.value !== null) };
}
