import { ref, shallowRef, type Ref } from 'vue';
import type { Paged } from '../types';

export interface PagedListOptions {
  pageSize?: number;
}

export interface PagedList<T> {
  rows: Ref<T[]>;
  total: Ref<number>;
  /** 1-based, as ElPagination counts. */
  page: Ref<number>;
  pageSize: Ref<number>;
  loading: Ref<boolean>;
  error: Ref<unknown>;
  /** Loads the current page. Stale answers (from an older call) are dropped. */
  load: () => Promise<void>;
  /** Back to page 1 and load: for a new filter or search. */
  reset: () => Promise<void>;
}

/** Server-side paging with `limit`/`offset` for any `{ data, total, limit, offset }` endpoint. */
export function usePagedList<T>(
  fetchPage: (params: { limit: number; offset: number }) => Promise<Paged<T>>,
  options: PagedListOptions = {},
): PagedList<T> {
  const rows = shallowRef<T[]>([]) as Ref<T[]>;
  const total = ref(0);
  const page = ref(1);
  const pageSize = ref(options.pageSize ?? 25);
  const loading = ref(false);
  const error = shallowRef<unknown>(null);
  let seq = 0;

  async function load() {
    const mine = ++seq;
    loading.value = true;
    error.value = null;
    try {
      const res = await fetchPage({ limit: pageSize.value, offset: (page.value - 1) * pageSize.value });
      if (mine !== seq) return;
      rows.value = res.data;
      total.value = res.total;
    } catch (err) {
      if (mine !== seq) return;
      error.value = err;
      rows.value = [];
      total.value = 0;
    } finally {
      if (mine === seq) loading.value = false;
    }
  }

  async function reset() {
    page.value = 1;
    await load();
  }

  return { rows, total, page, pageSize, loading, error, load, reset };
}
