import { ref } from 'vue';
import { problemText } from './problems';

/**
 * Loading state for a page that fetches on its own (not a paged list): `load()` runs `fetch`,
 * `loading` is set meanwhile, and a failure lands in `error` as text for an alert.
 */
export function useLoader(fetch: () => Promise<void>, options: { initiallyLoading?: boolean } = {}) {
  const loading = ref(options.initiallyLoading ?? false);
  const error = ref<string | null>(null);
  async function load() {
    loading.value = true;
    error.value = null;
    try {
      await fetch();
    } catch (err) {
      error.value = problemText(err);
    } finally {
      loading.value = false;
    }
  }
  return { loading, error, load };
}
