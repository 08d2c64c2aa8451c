import { flushPromises, mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { defineComponent, h } from 'vue';
import { CONSOLE_API_KEY, type ConsoleApi } from '../src/api';
import { useConsole, usePermissions } from '../src/composables/useConsole';

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

const SESSION = { user: { id: 'u1', name: 'Ada Admin', email: 'ada@example.com' }, permissions: ['maintenance.work-orders.write'] };
const PLATFORM = { coreVersion: '1.0.0', plugins: [{ id: 'fixed-assets', version: '0.1.0' }, { id: 'maintenance', version: '0.1.0' }] };

function mountWith<T>(api: ConsoleApi, use: () => T) {
  let out!: T;
  const Page = defineComponent({
    setup() {
      out = use();
      return () => h('div');
    },
  });
  mount(Page, { global: { provide: { [CONSOLE_API_KEY as symbol]: api } } });
  return out;
}

describe('useConsole', () => {
  it('permits and enables nothing until the session and platform answer, then follows them', async () => {
    const { api } = fakeApi((path) => (path === '/api/core/session' ? SESSION : PLATFORM));
    const c = mountWith(api, useConsole);
    expect(c.can('maintenance.work-orders.write')).toBe(false);
    expect(c.enabled('fixed-assets')).toBe(false);
    expect(c.loaded.value).toBe(false);

    await flushPromises();
    expect(c.loaded.value).toBe(true);
    expect(c.pluginsLoaded.value).toBe(true);
    expect(c.can('maintenance.work-orders.write')).toBe(true);
    expect(c.can('maintenance.plans.write')).toBe(false);
    expect(c.enabled('fixed-assets')).toBe(true);
    expect(c.enabled('inventory')).toBe(false);
    expect(c.user.value).toEqual({ id: 'u1', name: 'Ada Admin' });
  });

  it('grants everything to `*`', async () => {
    const { api } = fakeApi((path) => (path === '/api/core/session' ? { ...SESSION, permissions: ['*'] } : PLATFORM));
    const c = mountWith(api, useConsole);
    await flushPromises();
    expect(c.can('anything.at.all')).toBe(true);
  });

  it('counts as loaded with nothing permitted when the session read fails', async () => {
    const { api } = fakeApi((path) => {
      if (path === '/api/core/session') throw new Error('offline');
      return PLATFORM;
    });
    const c = mountWith(api, useConsole);
    await flushPromises();
    expect(c.loaded.value).toBe(true);
    expect(c.can('maintenance.work-orders.write')).toBe(false);
    expect(c.user.value).toBeNull();
    expect(c.enabled('maintenance')).toBe(true);
  });

  it('usePermissions reads the session only', async () => {
    const { api, asked } = fakeApi(() => SESSION);
    const p = mountWith(api, usePermissions);
    await flushPromises();
    expect(p.loaded.value).toBe(true);
    expect(asked.map((a) => a.path)).toEqual(['/api/core/session']);
  });
});
