import { flushPromises, mount } from '@vue/test-utils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createMemoryHistory, createRouter } from 'vue-router';
import { defineComponent, h } from 'vue';
import ScanBox from '../src/components/ScanBox.vue';
import type { ResolveResult } from '../src/types';

const Stub = defineComponent({ render: () => h('div') });
const resolved: string[] = [];

const ITEM_ID = '0193a2b4-0000-7000-8000-000000000001';
const LOC_ID = '0193a2b4-0000-7000-8000-000000000002';

const server = setupServer(
  http.get('*/api/core/identifiers/resolve', ({ request }) => {
    const value = new URL(request.url).searchParams.get('value')!;
    resolved.push(value);
    const body: ResolveResult = { value, matches: [] };
    if (value === 'SKU-1001') {
      body.matches.push({
        identifier: { id: 'i1', type: 'sku', value },
        target: { type: 'core.item', id: ITEM_ID, label: 'Cordless drill', href: `/items/${ITEM_ID}` },
      });
    }
    if (value === 'DUP-1') {
      body.matches.push(
        {
          identifier: { id: 'i2', type: 'sku', value },
          target: { type: 'core.item', id: ITEM_ID, label: 'Cordless drill', href: `/items/${ITEM_ID}` },
        },
        {
          identifier: { id: 'i3', type: 'asset-tag', value },
          target: { type: 'core.location', id: LOC_ID, label: 'Main DC / Bin 3-04', href: `/locations/${LOC_ID}` },
        },
      );
    }
    return HttpResponse.json(body);
  }),
);

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  server.resetHandlers();
  resolved.length = 0;
  document.body.innerHTML = '';
});
afterAll(() => server.close());

async function setup(props: Record<string, unknown> = {}) {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', component: Stub },
      { path: '/items', component: Stub },
      { path: '/items/:id', component: Stub },
      { path: '/locations/:id', component: Stub },
    ],
  });
  await router.push('/');
  await router.isReady();
  const wrapper = mount(ScanBox, { props, global: { plugins: [router] }, attachTo: document.body });
  return { router, wrapper };
}

async function scan(wrapper: Awaited<ReturnType<typeof setup>>['wrapper'], value: string) {
  const input = wrapper.find('[data-testid="scan-box"]');
  await input.setValue(value);
  await input.trigger('keydown', { key: 'Enter' });
  // resolve → router.push → route resolution
  for (let i = 0; i < 5; i++) await flushPromises();
}

describe('ScanBox', () => {
  it('navigates to the target of a single match', async () => {
    const { router, wrapper } = await setup();
    await scan(wrapper, 'SKU-1001');
    expect(resolved).toEqual(['SKU-1001']);
    expect(router.currentRoute.value.fullPath).toBe(`/items/${ITEM_ID}`);
    expect((wrapper.find('[data-testid="scan-box"]').element as HTMLInputElement).value).toBe('');
  });

  it('falls back to item search when nothing matches', async () => {
    const { router, wrapper } = await setup();
    await scan(wrapper, '  drill bits ');
    expect(resolved).toEqual(['drill bits']);
    expect(router.currentRoute.value.path).toBe('/items');
    expect(router.currentRoute.value.query).toEqual({ q: 'drill bits' });
  });

  it('offers a chooser when several targets match and opens the chosen one', async () => {
    const { router, wrapper } = await setup();
    await scan(wrapper, 'DUP-1');
    expect(router.currentRoute.value.path).toBe('/');
    const dialog = document.body.querySelector('[data-testid="scan-chooser-table"]');
    expect(dialog?.textContent).toContain('Cordless drill');
    expect(dialog?.textContent).toContain('Main DC / Bin 3-04');
    const buttons = document.body.querySelectorAll<HTMLButtonElement>('[data-testid="scan-choice"]');
    expect(buttons).toHaveLength(2);
    buttons[1]!.click();
    for (let i = 0; i < 5; i++) await flushPromises();
    expect(router.currentRoute.value.fullPath).toBe(`/locations/${LOC_ID}`);
  });

  it('captures a keyboard-wedge burst typed while no field has focus', async () => {
    const { router } = await setup({ captureWedge: true });
    (document.activeElement as HTMLElement | null)?.blur();
    for (const key of [...'SKU-1001', 'Enter']) {
      document.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));
    }
    for (let i = 0; i < 5; i++) await flushPromises();
    expect(resolved).toEqual(['SKU-1001']);
    expect(router.currentRoute.value.fullPath).toBe(`/items/${ITEM_ID}`);
  });

  it('keeps the GS1 separator GS (ASCII 29) in the value it resolves, dropping other control characters', async () => {
    const resolver = vi.fn(async (value: string): Promise<ResolveResult> => ({ value, matches: [] }));
    const { router, wrapper } = await setup({ resolver });
    // A DataMatrix read: symbology id, GTIN, expiry, lot, GS, serial; the scanner ends with CR LF and a tab slipped in.
    await scan(wrapper, ']d20109501101530003\t17291231' + '10AB-123\u001d21SN9\r\n');
    expect(resolver).toHaveBeenCalledTimes(1);
    expect(resolver.mock.calls[0]![0]).toBe(']d2010950110153000317291231' + '10AB-123\u001d21SN9');
    expect(router.currentRoute.value.query.q).toBe(']d2010950110153000317291231' + '10AB-123\u001d21SN9');
  });

  it('hears Ctrl+] inside a wedge burst as GS', async () => {
    const resolver = vi.fn(async (value: string): Promise<ResolveResult> => ({ value, matches: [] }));
    await setup({ captureWedge: true, resolver });
    (document.activeElement as HTMLElement | null)?.blur();
    const key = (k: string, init: KeyboardEventInit = {}) => document.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true, ...init }));
    for (const k of '10AB-1') key(k);
    key(']', { ctrlKey: true, code: 'BracketRight' });
    for (const k of '21X') key(k);
    key('Enter');
    for (let i = 0; i < 5; i++) await flushPromises();
    expect(resolver.mock.calls.map((c) => c[0])).toEqual(['10AB-1\u001d21X']);
  });
});
