import { http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import type { Item } from '../src/api/types';
import { bodyText, byTestId, click, renderApp, settle, typeInto } from './app';
import { makeItem, problem } from './fixtures';
import { requests, server } from './msw';

const ALL = Array.from({ length: 60 }, (_, i) => makeItem(i + 1));

function itemsHandler() {
  return http.get('*/api/core/items', ({ request }) => {
    const q = new URL(request.url).searchParams;
    const limit = Number(q.get('limit') ?? 50);
    const offset = Number(q.get('offset') ?? 0);
    const text = (q.get('q') ?? '').toLowerCase();
    const matching = ALL.filter(
      (i) => !text || i.name.toLowerCase().includes(text) || i.identifiers.some((x) => x.value.toLowerCase() === text),
    );
    return HttpResponse.json({ data: matching.slice(offset, offset + limit), total: matching.length, limit, offset });
  });
}

const itemRequests = () => requests.filter((r) => r.method === 'GET' && r.url.pathname === '/api/core/items');
const rowNames = () => [...document.querySelectorAll('[data-testid="item-link"]')].map((a) => a.textContent);

describe('items list', () => {
  it('pages on the server with limit/offset and renders the rows of each page', async () => {
    server.use(itemsHandler());
    await renderApp('/items');
    await vi.waitFor(() => expect(rowNames()).toHaveLength(25));
    const first = itemRequests().at(-1)!.url.searchParams;
    expect([first.get('limit'), first.get('offset'), first.get('archived')]).toEqual(['25', '0', 'false']);
    expect(rowNames()[0]).toBe('Item 1');
    expect(bodyText()).toContain('Total 60');

    const pageTwo = [...document.querySelectorAll<HTMLElement>('[data-testid="items-pagination"] .el-pager li')].find(
      (li) => li.textContent?.trim() === '2',
    )!;
    pageTwo.click();
    await vi.waitFor(() => expect(rowNames()[0]).toBe('Item 26'));
    expect(itemRequests().at(-1)!.url.searchParams.get('offset')).toBe('25');
    expect(rowNames()).toHaveLength(25);
  });

  it('searches with q (which also matches identifiers) from page 1', async () => {
    server.use(itemsHandler());
    await renderApp('/items');
    await vi.waitFor(() => expect(rowNames()).toHaveLength(25));
    await typeInto('items-search', 'SKU-42');
    await click('items-search-submit');
    await vi.waitFor(() => expect(rowNames()).toEqual(['Item 42']));
    const last = itemRequests().at(-1)!.url.searchParams;
    expect([last.get('q'), last.get('offset')]).toEqual(['SKU-42', '0']);
  });

  it('shows an empty state for a search without results, using the q from the URL', async () => {
    server.use(itemsHandler());
    await renderApp('/items?q=zzz');
    await settle();
    expect(itemRequests().at(-1)!.url.searchParams.get('q')).toBe('zzz');
    await vi.waitFor(() => expect(bodyText()).toContain('No items match “zzz”'));
  });
});

describe('item form', () => {
  it('creates an item with an SKU identifier and opens it', async () => {
    let created: Item | null = null;
    server.use(
      http.post('*/api/core/items', async ({ request }) => {
        const body = (await request.json()) as { name: string; identifiers: { type: string; value: string }[] };
        created = makeItem(99, { name: body.name, identifiers: body.identifiers.map((x, i) => ({ id: `n${i}`, ...x })) });
        return HttpResponse.json(created, { status: 201 });
      }),
      http.get('*/api/core/items/:id', () => HttpResponse.json(created)),
    );
    const { router } = await renderApp('/items/new');
    await typeInto('item-name', 'Cordless drill');
    await typeInto('item-identifier-value-0', 'SKU-1001');
    await click('item-save');
    await vi.waitFor(() => expect(router.currentRoute.value.path).toBe(`/items/${makeItem(99).id}`));
    const post = requests.find((r) => r.method === 'POST' && r.url.pathname === '/api/core/items')!;
    expect(post.headers.get('x-csrf-token')).toBe('csrf-123');
    expect(post.body).toMatchObject({ name: 'Cordless drill', unitOfMeasure: 'ea', kind: 'stock', trackingMode: 'none', identifiers: [{ type: 'sku', value: 'SKU-1001' }] });
    await vi.waitFor(() => expect(byTestId('item-title')?.textContent).toBe('Cordless drill'));
  });

  it('shows server validation errors next to their fields and the detail as a message', async () => {
    server.use(
      http.post('*/api/core/items', () =>
        problem(400, 'validation', 'Invalid request', 'unitOfMeasure: unknown unit', {
          errors: [
            { field: '/unitOfMeasure', message: 'unknown unit "boxes"' },
            { field: '/attributes/volts', message: 'must be a number' },
          ],
        }),
      ),
    );
    const { router } = await renderApp('/items/new');
    await typeInto('item-name', 'Drill');
    await typeInto('item-uom', 'boxes');
    await click('item-save');

    const errorOf = (testid: string) => byTestId(testid)!.closest('.el-form-item')!.querySelector('.el-form-item__error')?.textContent?.trim();
    await vi.waitFor(() => expect(errorOf('item-uom')).toBe('unknown unit "boxes"'));
    expect(errorOf('item-attr-editor')).toBe('must be a number');
    expect(errorOf('item-name')).toBeUndefined();
    expect(bodyText()).toContain('unitOfMeasure: unknown unit');
    expect(router.currentRoute.value.path).toBe('/items/new');
  });
});
