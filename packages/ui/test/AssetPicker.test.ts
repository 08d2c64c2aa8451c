import { flushPromises, mount } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import { CONSOLE_API_KEY, type ConsoleApi } from '../src/api';
import AssetPicker from '../src/components/AssetPicker.vue';

type Answer = (path: string, query?: Record<string, unknown>) => unknown;

/** A console client answering GETs with `answer` (a thrown error fails the call), recording each path asked. */
function fakeApi(answer: Answer) {
  const asked: { path: string; query?: Record<string, unknown> }[] = [];
  const refuse = () => Promise.reject(new Error('not in this test'));
  const api: ConsoleApi = {
    get: async <T>(path: string, query?: Record<string, unknown>) => {
      asked.push({ path, query });
      return answer(path, query) as T;
    },
    post: refuse,
    put: refuse,
    patch: refuse,
    delete: refuse,
  };
  return { api, asked };
}

describe('AssetPicker', () => {
  const ASSET = { id: 'a1', tag: 'AST-2026-00042', name: 'Mobile crane', status: 'in-service' };

  it('labels an asset id set from outside by its tag and name', async () => {
    const { api, asked } = fakeApi((path) => (path === '/api/fixed-assets/assets/a1' ? ASSET : { data: [], total: 0, limit: 30, offset: 0 }));
    const wrapper = mount(AssetPicker, { props: { modelValue: 'a1' }, global: { provide: { [CONSOLE_API_KEY as symbol]: api } } });
    await flushPromises();
    expect(asked.map((a) => a.path)).toContain('/api/fixed-assets/assets/a1');
    expect(wrapper.text()).toContain('AST-2026-00042 · Mobile crane');
  });

  it('searches fixed-assets as the user types', async () => {
    const { api, asked } = fakeApi(() => ({ data: [ASSET], total: 1, limit: 30, offset: 0 }));
    const wrapper = mount(AssetPicker, { global: { provide: { [CONSOLE_API_KEY as symbol]: api } }, attachTo: document.body });
    const input = wrapper.find('input');
    await input.setValue('crane');
    // ElSelect debounces remote searches.
    await vi.waitFor(() => expect(asked).toContainEqual({ path: '/api/fixed-assets/assets', query: { q: 'crane', limit: 30 } }));
    wrapper.unmount();
  });
});
