import { defineAdminPlugin, zones } from '@quartermaster/sdk/admin';
import { http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { useApi } from '@quartermaster/ui';
import { defineComponent, h, onMounted, ref } from 'vue';
import { bodyText, byTestId, renderApp } from './app';
import { makeItem } from './fixtures';
import { requests, server, state } from './msw';

const StockPage = defineComponent({ render: () => h('h2', { 'data-testid': 'stock-page' }, 'Stock levels') });
const StockWidget = defineComponent({
  props: { itemId: { type: String, required: true } },
  setup: (p) => () => h('p', { 'data-testid': 'stock-widget' }, `12 on hand for ${p.itemId}`),
});

const inventory = defineAdminPlugin({
  id: 'inventory',
  routes: [{ path: '/stock', name: 'stock', title: 'Stock', component: async () => ({ default: StockPage }), permission: 'inventory.stock.read' }],
  nav: [{ label: 'Stock', to: 'stock', permission: 'inventory.stock.read', section: 'Inventory' }],
  widgets: [{ zone: zones.itemDetailSide, component: async () => ({ default: StockWidget }), permission: 'inventory.stock.read', title: 'Stock' }],
});
const maintenance = defineAdminPlugin({
  id: 'maintenance',
  routes: [{ path: '/orders', name: 'orders', title: 'Work orders', component: async () => ({ default: StockPage }), permission: 'maintenance.read' }],
  nav: [{ label: 'Work orders', to: 'orders', permission: 'maintenance.read' }],
});

function platformWithInventory() {
  server.use(
    http.get('*/api/core/platform', () =>
      HttpResponse.json({ coreVersion: '1.0.0', plugins: [{ id: 'inventory', version: '1.2.0', displayName: 'Inventory' }] }),
    ),
  );
}

describe('shell with plugins', () => {
  it('shows enabled plugin nav, opens a deep link into a plugin page, never imports a disabled plugin', async () => {
    platformWithInventory();
    const loadInventory = vi.fn(async () => ({ default: inventory }));
    const loadMaintenance = vi.fn(async () => ({ default: maintenance }));
    const { router } = await renderApp('/inventory/stock', { inventory: loadInventory, maintenance: loadMaintenance });

    await vi.waitFor(() => expect(byTestId('stock-page')).not.toBeNull());
    expect(router.currentRoute.value.name).toBe('inventory.stock');
    expect(byTestId('nav-inventory-stock')).not.toBeNull();
    expect(byTestId('nav-maintenance-work-orders')).toBeNull();
    expect(bodyText()).not.toContain('Work orders');
    expect(loadInventory).toHaveBeenCalledTimes(1);
    expect(loadMaintenance).not.toHaveBeenCalled();

    await router.push('/maintenance/orders');
    await vi.waitFor(() => expect(bodyText()).toContain('Page not found'));
  });

  it('hides plugin nav and pages the user is not permitted to see', async () => {
    platformWithInventory();
    state.session = { ...state.session!, permissions: ['core.items.read'] };
    const { router } = await renderApp('/', { inventory: async () => ({ default: inventory }) });
    expect(byTestId('nav-items')).not.toBeNull();
    expect(byTestId('nav-inventory-stock')).toBeNull();
    expect(byTestId('nav-users')).toBeNull();
    await router.push('/users');
    await vi.waitFor(() => expect(router.currentRoute.value.name).toBe('forbidden'));
  });

  it("renders the item page's side zone with the plugin widget and the item id", async () => {
    platformWithInventory();
    const item = makeItem(7);
    server.use(http.get(`*/api/core/items/${item.id}`, () => HttpResponse.json(item)));
    await renderApp(`/items/${item.id}`, { inventory: async () => ({ default: inventory }) });
    await vi.waitFor(() => expect(byTestId('stock-widget')?.textContent).toBe(`12 on hand for ${item.id}`));
    expect(byTestId('item-title')?.textContent).toBe('Item 7');
  });

  it("the header's scan box asks a plugin's scan resolver first (with the shell client), then the core", async () => {
    platformWithInventory();
    const LotPage = defineComponent({ render: () => h('h2', { 'data-testid': 'lot-page' }, 'Lot AB-123') });
    const resolve = vi.fn(async (value: string, ctx: { api: { post<T>(path: string, body?: unknown): Promise<T> } }) => {
      const answer = await ctx.api.post<{ lotId: string | null }>('/api/inventory/what-is', { value });
      return answer.lotId
        ? { value, matches: [{ identifier: { id: answer.lotId, type: 'lot', value }, target: { type: 'inventory.lot', id: answer.lotId, label: 'Lot AB-123', href: `/inventory/lots/${answer.lotId}` } }] }
        : null;
    });
    const plugin = defineAdminPlugin({
      id: 'inventory',
      routes: [{ path: '/lots/:id', name: 'lot', title: 'Lot', component: async () => ({ default: LotPage }), permission: 'inventory.stock.read' }],
      scanResolvers: [{ permission: 'inventory.stock.read', resolve }],
    });
    const item = makeItem(3);
    server.use(
      http.post('*/api/inventory/what-is', async ({ request }) => {
        const { value } = (await request.json()) as { value: string };
        return HttpResponse.json({ lotId: value.includes('\u001d') ? 'lot-1' : null });
      }),
      http.get('*/api/core/identifiers/resolve', ({ request }) => {
        const value = new URL(request.url).searchParams.get('value')!;
        return HttpResponse.json({ value, matches: [{ identifier: { id: 'i', type: 'sku', value }, target: { type: 'core.item', id: item.id, label: item.name, href: `/items/${item.id}` } }] });
      }),
      http.get(`*/api/core/items/${item.id}`, () => HttpResponse.json(item)),
    );
    const { router } = await renderApp('/', { inventory: async () => ({ default: plugin }) });
    const box = byTestId<HTMLInputElement>('scan-box')!;
    const scan = async (value: string) => {
      box.value = value;
      box.dispatchEvent(new Event('input', { bubbles: true }));
      box.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    };

    await scan('10AB-123\u001d21X');
    await vi.waitFor(() => expect(router.currentRoute.value.path).toBe('/inventory/lots/lot-1'));
    expect(resolve.mock.calls[0]![0]).toBe('10AB-123\u001d21X');
    expect(requests.find((r) => r.url.pathname === '/api/inventory/what-is')!.headers.get('x-csrf-token')).toBe('csrf-123');
    expect(requests.some((r) => r.url.pathname === '/api/core/identifiers/resolve')).toBe(false);

    // The plugin answers null: the core's registry decides.
    await scan('SKU-3');
    await vi.waitFor(() => expect(router.currentRoute.value.path).toBe(`/items/${item.id}`));
    expect(requests.filter((r) => r.url.pathname === '/api/core/identifiers/resolve').map((r) => r.url.searchParams.get('value'))).toEqual(['SKU-3']);
  });

  it('gives plugin pages the shell API client (cookie, CSRF header, problem errors) through useApi()', async () => {
    platformWithInventory();
    const MovePage = defineComponent({
      setup() {
        const api = useApi();
        const result = ref('');
        onMounted(async () => {
          try {
            await api.post('/api/inventory/moves', { qty: -5 });
          } catch (err) {
            result.value = (err as Error).message;
          }
        });
        return () => h('p', { 'data-testid': 'move-result' }, result.value);
      },
    });
    server.use(
      http.post('*/api/inventory/moves', () =>
        HttpResponse.json(
          { type: 'https://quartermaster.dev/problems/insufficient-stock', title: 'Conflict', status: 409, detail: 'Only 3 on hand.' },
          { status: 409, headers: { 'content-type': 'application/problem+json' } },
        ),
      ),
    );
    const plugin = defineAdminPlugin({
      id: 'inventory',
      routes: [{ path: '/moves', name: 'moves', title: 'Moves', component: async () => ({ default: MovePage }), permission: 'inventory.stock.read' }],
    });
    await renderApp('/inventory/moves', { inventory: async () => ({ default: plugin }) });
    await vi.waitFor(() => expect(byTestId('move-result')?.textContent).toBe('Only 3 on hand.'));
    const post = requests.find((r) => r.url.pathname === '/api/inventory/moves')!;
    expect(post.headers.get('x-csrf-token')).toBe('csrf-123');
  });
});
