import { defineAdminPlugin, zones } from '@quartermaster/sdk/admin';
import { useApi } from '@quartermaster/ui';
import { http, HttpResponse } from 'msw';
import { defineStore } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, h, onMounted, ref } from 'vue';
import { runtimeModuleIo } from '../src/plugins/runtime';
import { SHARED_GLOBAL, SHELL_SHARED_VERSIONS } from '../src/plugins/shared';
import { bodyText, byTestId, renderApp } from './app';
import { makeItem } from './fixtures';
import { server } from './msw';

/** What a runtime module's page does: its own Pinia store, the shell's API client. */
const useThermoStore = defineStore('thermo-test', () => ({ visits: ref(0) }));
const ReadingsPage = defineComponent({
  setup() {
    const store = useThermoStore();
    const api = useApi();
    const items = ref<number | null>(null);
    onMounted(async () => {
      store.visits++;
      items.value = (await api.get<{ total: number }>('/api/core/items')).total;
    });
    return () => h('h2', { 'data-testid': 'thermo-page' }, `Thermometers: ${items.value ?? '…'} items, visit ${store.visits}`);
  },
});
const thermo = defineAdminPlugin({
  id: 'thermo',
  routes: [{ path: '/readings', name: 'readings', title: 'Thermometers', permission: 'thermo.read', component: async () => ({ default: ReadingsPage }) }],
  nav: [{ label: 'Thermometers', to: 'readings', permission: 'thermo.read' }],
  widgets: [{ zone: zones.dashboard, permission: 'thermo.read', title: 'Cold room', component: async () => ({ default: defineComponent({ render: () => h('p', { 'data-testid': 'thermo-widget' }, '4.1 °C') }) }) }],
});

const plugins = [
  { id: 'thermo', version: '1.0.0', displayName: 'ACME thermometers' },
  { id: 'solar', version: '2.0.0', displayName: 'Solar panels' },
  { id: 'meters', version: '1.0.0', displayName: 'Water meters' },
];

function serve(modules: unknown[]) {
  server.use(
    http.get('*/api/core/platform', () => HttpResponse.json({ coreVersion: '0.1.0', plugins })),
    http.get('*/api/core/admin-manifest', () => HttpResponse.json({ modules, permissions: ['*'] })),
    http.get('*/api/core/items', () => HttpResponse.json({ data: [makeItem(1)], total: 1, limit: 50, offset: 0 })),
  );
}

const ok = (id: string) => ({ id, url: `/console-modules/${id}/index.js`, css: [`/console-modules/${id}/assets/style-AbCd1234.css`], shared: { ...SHELL_SHARED_VERSIONS } });
const original = { ...runtimeModuleIo };

describe('console modules loaded at run time', () => {
  const imported: string[] = [];
  const linked: string[] = [];
  beforeEach(() => {
    imported.length = 0;
    linked.length = 0;
    runtimeModuleIo.loadStylesheet = (href) => void linked.push(href);
    runtimeModuleIo.importModule = async (url) => {
      imported.push(url);
      if (url.includes('/thermo/')) return { default: thermo };
      throw new TypeError(`Failed to fetch dynamically imported module: ${url}`);
    };
  });
  afterEach(() => Object.assign(runtimeModuleIo, original));

  it('registers a module that fits like a built-in plugin: nav, page in the shell, widgets, shared libraries', async () => {
    serve([ok('thermo')]);
    const { router } = await renderApp('/thermo/readings');
    await vi.waitFor(() => expect(byTestId('thermo-page')?.textContent).toBe('Thermometers: 1 items, visit 1'));
    expect(router.currentRoute.value.name).toBe('thermo.readings');
    expect(byTestId('nav-thermo-thermometers')).not.toBeNull();
    expect(byTestId('nav-items')).not.toBeNull();
    expect(imported).toEqual(['/console-modules/thermo/index.js']);
    expect(linked).toEqual(['/console-modules/thermo/assets/style-AbCd1234.css']);
    const shared = (globalThis as Record<string, unknown>)[SHARED_GLOBAL] as Record<string, { [k: string]: unknown }>;
    expect(Object.keys(shared).sort()).toEqual(['@quartermaster/sdk/admin', '@quartermaster/ui', 'element-plus', 'pinia', 'vue', 'vue-router']);
    expect(shared['@quartermaster/ui']!.useApi).toBe(useApi);
    expect(byTestId('shell-load-error')).toBeNull();

    await router.push('/');
    await vi.waitFor(() => expect(byTestId('thermo-widget')?.textContent).toBe('4.1 °C'));
  });

  it('a module built against another Vue gets its nav entry and an error panel naming the versions, and others keep working', async () => {
    serve([ok('thermo'), { ...ok('solar'), shared: { ...SHELL_SHARED_VERSIONS, vue: '4.0.0' } }]);
    const { router } = await renderApp('/solar/panels');
    await vi.waitFor(() => expect(byTestId('console-module-error')).not.toBeNull());
    expect(byTestId('console-module-error-plugin')?.textContent).toBe('Solar panels');
    const rows = [...document.querySelectorAll('[data-testid="console-module-error-row"]')].map((r) => r.textContent);
    expect(rows).toEqual([expect.stringMatching(new RegExp(`^vue\\s*4\\.0\\.0\\s*${SHELL_SHARED_VERSIONS.vue!.replace(/\./g, '\\.')}\\s*different major versions`))]);
    expect(byTestId('console-module-error-action')?.textContent).toContain('rebuild the plugin\'s console module against this console');
    expect(byTestId('shell-load-error')?.textContent).toContain(`Solar panels: its pages cannot be shown (built against vue 4.0.0 (this console has ${SHELL_SHARED_VERSIONS.vue}))`);
    // The mismatched module was never imported; its nav entry leads to the panel.
    expect(imported).toEqual(['/console-modules/thermo/index.js']);
    expect(byTestId('nav-solar-solar-panels')).not.toBeNull();
    await router.push('/solar');
    await vi.waitFor(() => expect(byTestId('console-module-error')?.getAttribute('data-plugin')).toBe('solar'));

    await router.push('/thermo/readings');
    await vi.waitFor(() => expect(byTestId('thermo-page')).not.toBeNull());
  });

  it('a module that fails to import, or that the server could not read, shows why instead of a blank page', async () => {
    serve([ok('meters'), { id: 'solar', error: '/opt/solar/dist/console/quartermaster-console.json is missing: build the module with `qm-console-module build`' }]);
    const { router } = await renderApp('/meters/usage');
    await vi.waitFor(() => expect(byTestId('console-module-error-detail')?.textContent).toContain('Failed to fetch dynamically imported module: /console-modules/meters/index.js'));
    expect(byTestId('console-module-error-plugin')?.textContent).toBe('Water meters');
    await router.push('/solar');
    await vi.waitFor(() => expect(byTestId('console-module-error-detail')?.textContent).toContain('quartermaster-console.json is missing'));
    expect(byTestId('console-module-error-action')?.textContent).toContain('where its console.dir points');
    expect([...document.querySelectorAll('[data-testid="shell-load-error"]')].map((e) => e.textContent)).toEqual([
      expect.stringContaining('Water meters: its pages cannot be shown'),
      expect.stringContaining('Solar panels: its pages cannot be shown'),
    ]);
  });

  it('a console without the manifest route still starts, and says so', async () => {
    serve([]);
    server.use(http.get('*/api/core/admin-manifest', () => HttpResponse.json({ type: 'about:blank', title: 'Not found', status: 404 }, { status: 404 })));
    await renderApp('/');
    await vi.waitFor(() => expect(byTestId('shell-load-error')?.textContent).toContain('Could not read the console modules of installed plugins'));
    expect(byTestId('nav-items')).not.toBeNull();
    expect(bodyText()).toContain('Dashboard');
  });
});
