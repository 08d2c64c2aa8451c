import { http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { AISLE_ID, ITEM_ID, SITE_ID, all, cells, lastRequest, pickLocation, q, renderRfid, requests, server, text, typeIn } from './harness';

const SLOW = { timeout: 30_000 };

const row = (gtin: string, patch: Record<string, unknown>) => ({ gtin, item: null, counted: 0, onHand: null, difference: null, lastSeenAt: '2026-11-24T09:00:00.000Z', ...patch });

function serveCounts(inventory = true) {
  server.use(
    http.get('*/api/rfid/stock-counts', ({ request }) => {
      const p = new URL(request.url).searchParams;
      const data = inventory
        ? [
            row('80614141123458', { item: { id: ITEM_ID, name: 'Soap bar' }, counted: 12, onHand: '14', difference: '-2' }),
            row('80614141123465', { item: { id: '0196c000-0000-7000-8000-00000000e002', name: 'Shampoo' }, counted: 5, onHand: '4', difference: '1' }),
            row('80614141123472', { item: { id: '0196c000-0000-7000-8000-00000000e003', name: 'Towel' }, counted: 3, onHand: '3', difference: '0' }),
            row('80614141999999', { counted: 2 }),
          ]
        : [row('80614141123458', { item: { id: ITEM_ID, name: 'Soap bar' }, counted: 12 })];
      return HttpResponse.json({ locationId: p.get('locationId'), inventory, data, total: data.length, limit: Number(p.get('limit')), offset: Number(p.get('offset')) });
    }),
  );
}

describe('stock counts', () => {
  it('asks for a location, then lists per GTIN the tags counted against the stock on hand and the difference', SLOW, async () => {
    serveCounts();
    const { router } = await renderRfid('/rfid/stock-counts');
    await vi.waitFor(() => expect(text('counts-pick')).toContain('Pick a location'));
    expect(requests.some((r) => r.url.pathname === '/api/rfid/stock-counts')).toBe(false);

    await pickLocation(q('counts-location'), 'Aisle 3');
    await vi.waitFor(() => expect(cells('count-row-gtin')).toEqual(['80614141123458', '80614141123465', '80614141123472', '80614141999999']));
    expect(lastRequest(requests, '/api/rfid/stock-counts').url.searchParams.get('locationId')).toBe(AISLE_ID);
    expect(router.currentRoute.value.query.locationId).toBe(AISLE_ID);
    expect(cells('count-row-item')).toEqual(['Soap bar', 'Shampoo', 'Towel', 'No item has this GTIN']);
    expect(all('count-row-item')[0]!.getAttribute('href')).toBe(`/items/${ITEM_ID}`);
    expect(cells('count-row-counted')).toEqual(['12', '5', '3', '2']);
    expect(cells('count-row-on-hand')).toEqual(['14', '4', '3', '—']);
    expect(cells('count-row-difference')).toEqual(['-2', '+1', '0', '—']);
    expect(all('count-row-difference').map((e) => e.className)).toEqual(['qm-rfid-short', 'qm-rfid-over', '', '']);
    expect(q('counts-no-inventory')).toBeNull();

    // Only the tags seen since the count started.
    await typeIn('counts-since', '2026-11-24T08:00');
    await vi.waitFor(() => expect(lastRequest(requests, '/api/rfid/stock-counts').url.searchParams.get('seenSince')).toBe(new Date('2026-11-24T08:00').toISOString()));
  });

  it('counts from the URL, and says when there is no inventory to compare with', SLOW, async () => {
    serveCounts(false);
    await renderRfid(`/rfid/stock-counts?locationId=${SITE_ID}`);
    await vi.waitFor(() => expect(cells('count-row-counted')).toEqual(['12']));
    expect(lastRequest(requests, '/api/rfid/stock-counts').url.searchParams.get('locationId')).toBe(SITE_ID);
    expect(text('counts-no-inventory')).toContain('The inventory plugin is not enabled');
    expect(cells('count-row-on-hand')).toEqual(['—']);
  });
});
