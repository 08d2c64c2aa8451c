import { computed, onMounted, ref } from 'vue';
import { useFixedAssetsApi } from '../api';

/**
 * The plugins enabled on the server, for actions that need another plugin (e.g. inventory). The
 * shell keeps them in its own platform store, which plugins cannot reach, so this reads
 * `GET /api/core/platform` once per page. Until it answers (or when it fails) nothing counts as
 * enabled; the server still refuses calls to a plugin that is not.
 */
export function useEnabledPlugins() {
  const api = useFixedAssetsApi();
  const ids = ref<string[] | null>(null);
  onMounted(async () => {
    try {
      ids.value = (await api.core.platform()).plugins.map((p) => p.id);
    } catch {
      ids.value = [];
    }
  });
  const enabled = (pluginId: string) => ids.value !== null && ids.value.includes(pluginId);
  return { enabled, loaded: computed(() => ids.value !== null) };
}
