import { ref, watch, type Ref } from 'vue';
import { showProblem } from './problems';

/**
 * Options of a searching select (items, locations, suppliers): searches as the user types (the
 * latest answer wins), keeps the current choice among the options, and fetches the label of an id
 * set from outside (URL, scan, a record being edited) unless the caller already knows the record.
 */
export function useRemoteOptions<T extends { id: string }>(
  model: Ref<string>,
  known: () => T | null | undefined,
  find: (query: string) => Promise<T[]>,
  get: (id: string) => Promise<T>,
) {
  const options = ref<T[]>([]) as Ref<T[]>;
  const loading = ref(false);
  let seq = 0;

  async function search(query: string) {
    const mine = ++seq;
    loading.value = true;
    try {
      const found = await find(query.trim());
      if (mine !== seq) return;
      const current = options.value.find((o) => o.id === model.value);
      options.value = current && !found.some((o) => o.id === current.id) ? [current, ...found] : found;
    } catch (err) {
      showProblem(err);
    } finally {
      if (mine === seq) loading.value = false;
    }
  }

  watch(
    [model, known],
    async ([id, k]) => {
      if (!id || options.value.some((o) => o.id === id)) return;
      if (k && k.id === id) {
        options.value = [k, ...options.value];
        return;
      }
      try {
        const one = await get(id);
        if (!options.value.some((o) => o.id === one.id)) options.value = [one, ...options.value];
      } catch {
        /* unknown id: the select shows it raw */
      }
    },
    { immediate: true },
  );

  const picked = (id: string) => options.value.find((o) => o.id === id) ?? null;
  return { options, loading, search, picked };
}
