import { http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import type { StockRow } from '../../src/admin/types';
import { BIN_ID, ITEM2_ID, ITEM_ID, LOT_ID, all, bodyText, click, coreLocation, paged, pickRadio, q, renderInventory, requests, server, typeInto } from './harness';

const ROWS: Record<'location' | 'lot', StockRow[]> = {
  location: [
    { itemId: ITEM_ID, itemName: 'Cordless drill', uom: 'ea', locationId: BIN_ID, location: 'Bin 3-04', lotId: null, lot: null, expiresOn: null, lotBlocked: null, onHand: '12', reserved: '2', available: '10', value: '1440.00' },
    { itemId: ITEM2_ID, itemName: 'Wood screws 4x40', uom: 'ea', locationId: BIN_ID, location: 'Bin 3-04', lotId: null, lot: null, expiresOn: null, lotBlocked: null, onHand: '2500.5', reserved: '0', available: '2500.5', value: null },
  ],
  lot: [
    { itemId: ITEM2_ID, itemName: 'Wood screws 4x40', uom: 'ea', locationId: BIN_ID, location: 'Bin 3-04', lotId: LOT_ID, lot: 'L-2026-11', expiresOn: '2027-01-31', lotBlocked: true, onHand: '500', reserved: '0', available: '500', value: '25.00' },
  ],
};

const stockRequests = () => requests.filter((r) => r.method === 'GET' && r.url.pathname === '/api/inventory/stock');
const lastQuery = () => Object.fromEntries(stockRequests().at(-1)!.url.searchParams);
const cells = (id: string) => all(id).map((e) => e.textContent?.trim());

describe('stock overview', () => {
  it('asks with the filters from the URL and renders the balances', async () => {
    server.use(
      http.get('*/api/inventory/stock', ({ request }) => paged(new URL(request.url).searchParams.get('groupBy') === 'lot' ? ROWS.lot : ROWS.location, request.url)),
      http.get('*/api/core/locations/:id', ({ params }) => HttpResponse.json(coreLocation(String(params.id)))),
    );
    await renderInventory(`/inventory/stock?q=dri&locationId=${BIN_ID}`);
    await vi.waitFor(() => expect(cells('stock-item-link')).toEqual(['Cordless drill', 'Wood screws 4x40']));
    expect(lastQuery()).toEqual({ q: 'dri', locationId: BIN_ID, groupBy: 'location', limit: '25', offset: '0' });
    expect(cells('stock-on-hand')).toEqual(['12', '2500.5']);
    expect(cells('stock-available')).toEqual(['10', '2500.5']);
    expect(cells('stock-location')).toEqual(['Bin 3-04', 'Bin 3-04']);
    // The caller may see costs, so the value column is there (— where the item has no unit value yet).
    expect(cells('stock-value')).toEqual(['1440.00', '—']);
    // The location picker shows the location of the URL by its path.
    expect(q('stock-filter-location')!.textContent).toContain('Main DC / Zone A / Bin 3-04');
    expect(q('nav-inventory-stock')!.className).toContain('is-active');
  });

  it('re-asks on a new search, grouping and "include zero", from page 1', async () => {
    server.use(http.get('*/api/inventory/stock', ({ request }) => paged(new URL(request.url).searchParams.get('groupBy') === 'lot' ? ROWS.lot : ROWS.location, request.url)));
    const { router } = await renderInventory('/inventory/stock');
    await vi.waitFor(() => expect(cells('stock-item-link')).toHaveLength(2));
    expect(lastQuery()).toEqual({ groupBy: 'location', limit: '25', offset: '0' });

    await typeInto('stock-search', 'screws');
    await click('stock-apply');
    await vi.waitFor(() => expect(lastQuery()).toEqual({ q: 'screws', groupBy: 'location', limit: '25', offset: '0' }));

    await pickRadio('stock-group-lot');
    await vi.waitFor(() => expect(cells('stock-lot-link')).toEqual(['L-2026-11']));
    expect(lastQuery()).toEqual({ q: 'screws', groupBy: 'lot', limit: '25', offset: '0' });
    expect(bodyText()).toContain('2027-01-31');
    expect(q('stock-table')!.textContent).toContain('blocked');

    (q('stock-include-zero')!.querySelector('input') as HTMLInputElement).click();
    await vi.waitFor(() => expect(lastQuery()).toEqual({ q: 'screws', groupBy: 'lot', includeZero: 'true', limit: '25', offset: '0' }));
    await vi.waitFor(() => expect(router.currentRoute.value.query).toEqual({ q: 'screws', groupBy: 'lot', includeZero: 'true' }));
  });

  it('exports every page of the current filter', async () => {
    const many = Array.from({ length: 620 }, (_, i) => ({ ...ROWS.location[1]!, itemId: `${ITEM2_ID.slice(0, -4)}${String(i).padStart(4, '0')}`, itemName: `Part ${i}` }));
    server.use(
      http.get('*/api/inventory/stock', ({ request }) => {
        const u = new URL(request.url).searchParams;
        const limit = Number(u.get('limit'));
        const offset = Number(u.get('offset'));
        return HttpResponse.json({ data: many.slice(offset, offset + limit), total: many.length, limit, offset });
      }),
    );
    await renderInventory('/inventory/stock?q=part');
    await vi.waitFor(() => expect(cells('stock-item-link')).toHaveLength(25));
    await click('stock-export');
    await vi.waitFor(() => expect(bodyText()).toContain('Exported 620 rows'));
    const exportCalls = stockRequests().filter((r) => r.url.searchParams.get('limit') === '500');
    expect(exportCalls.map((r) => r.url.searchParams.get('offset'))).toEqual(['0', '500']);
    expect(exportCalls.every((r) => r.url.searchParams.get('q') === 'part')).toBe(true);
  });
});
