/**
 * Named filter sets of the asset list, kept per user in the browser's localStorage (the core has
 * no user-preferences API yet): `qm.fixed-assets.asset-filters.<userId>` holds
 * `[{ name, query }]`, where `query` is the list's URL query, so picking one reproduces the view.
 */
import { ref, watch, type Ref } from 'vue';
import { SAVED_FILTERS_KEY } from '../constants';

export interface SavedFilter {
  name: string;
  query: Record<string, string | string[]>;
}

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

function read(userId: string): SavedFilter[] {
  try {
    const raw = storage()?.getItem(SAVED_FILTERS_KEY(userId));
    const parsed: unknown = raw ? JSON.parse(raw) : [];
    return Array.isArray(parsed)
      ? parsed.filter((f): f is SavedFilter => !!f && typeof f === 'object' && typeof f.name === 'string' && !!f.query && typeof f.query === 'object')
      : [];
  } catch {
    return [];
  }
}

export function useSavedFilters(userId: Ref<string | null | undefined>) {
  const saved = ref<SavedFilter[]>([]);
  watch(userId, (id) => (saved.value = id ? read(id) : []), { immediate: true });

  function persist() {
    if (userId.value) storage()?.setItem(SAVED_FILTERS_KEY(userId.value), JSON.stringify(saved.value));
  }

  /** Save under `name`; the same name (any case) replaces the older set. */
  function save(name: string, query: SavedFilter['query']) {
    const n = name.trim();
    if (!n) return;
    saved.value = [...saved.value.filter((f) => f.name.toLowerCase() !== n.toLowerCase()), { name: n, query }].sort((a, b) => a.name.localeCompare(b.name));
    persist();
  }

  function remove(name: string) {
    saved.value = saved.value.filter((f) => f.name !== name);
    persist();
  }

  const find = (name: string) => saved.value.find((f) => f.name === name) ?? null;
  return { saved, save, remove, find };
}
