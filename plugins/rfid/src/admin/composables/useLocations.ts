import type { CoreLocationNode } from '@quartermaster/ui';
import { onMounted, ref } from 'vue';
import { useRfidApi } from '../api';

/**
 * The core's location paths by id ("Main DC / Dock 1"), to name the zones of antennas and reads
 * that the API gives as ids. Read once per page; an id not (yet) known shows as itself.
 */
export function useLocations() {
  const api = useRfidApi();
  const paths = ref(new Map<string, string>());
  onMounted(async () => {
    try {
      const out = new Map<string, string>();
      const walk = (l: CoreLocationNode) => {
        out.set(l.id, l.path);
        (l.children ?? []).forEach(walk);
      };
      (await api.core.locationTree()).forEach(walk);
      paths.value = out;
    } catch {
      /* names stay ids */
    }
  });
  const pathOf = (id: string | null | undefined) => (id ? (paths.value.get(id) ?? id) : '—');
  return { pathOf };
}
