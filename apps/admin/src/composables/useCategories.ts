import { ref } from 'vue';
import { coreApi } from '../api/core';
import type { Category } from '../api/types';
import { showProblem } from './problems';

/** All categories (the API returns them sorted by path), for selects and trees. */
export function useCategories() {
  const categories = ref<Category[]>([]);
  const loading = ref(false);
  async function load() {
    loading.value = true;
    try {
      categories.value = await coreApi.categories.list();
    } catch (err) {
      showProblem(err);
    } finally {
      loading.value = false;
    }
  }
  return { categories, loading, load };
}
