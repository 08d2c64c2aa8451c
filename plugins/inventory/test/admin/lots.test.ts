import { http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import type { Lot } from '../../src/admin/types';
import { BIN_ID, DOCK_ID, ITEM_ID, LOT_ID, MOVE_ID, all, click, fieldError, paged, q, renderInventory, requests, server, text, typeInto } from './harness';

const LOT: Lot = {
  id: LOT_ID,
  itemId: ITEM_ID,
  itemName: 'Cordless drill',
  code: 'L-0142',
  expiresOn: '2026-12-10',
  manufacturedOn: null,
  blocked: false,
  blockReason: null,
  onHand: '10',
  daysToExpiry: 17,
  status: 'expiring',
  createdAt: '2026-11-01T10:00:00.000Z',
};

describe('lots and expiry', () => {
  it('lists lots expiring within 30 days; blocking one needs a reason', async () => {
    let lot: Lot = { ...LOT };
    server.use(
      http.get('*/api/inventory/lots', ({ request }) => paged([lot], request.url)),
      http.patch(`*/api/inventory/lots/${LOT_ID}`, async ({ request }) => {
        const body = (await request.json()) as { blocked: boolean; blockReason: string };
        lot = { ...lot, blocked: body.blocked, blockReason: body.blockReason, status: 'blocked' };
        return HttpResponse.json(lot);
      }),
    );
    await renderInventory('/inventory/lots');
    await vi.waitFor(() => expect(all('lot-link').map((a) => a.textContent)).toEqual(['L-0142']));
    const first = requests.find((r) => r.url.pathname === '/api/inventory/lots')!;
    expect(Object.fromEntries(first.url.searchParams)).toEqual({ expiringWithinDays: '30', limit: '25', offset: '0' });
    expect(text('lot-status')).toBe('expiring');

    await vi.waitFor(() => expect(q('lot-block')).not.toBeNull());
    await click('lot-block');
    await vi.waitFor(() => expect(q('lot-block-dialog')).not.toBeNull());
    await click('lot-block-save');
    await vi.waitFor(() => expect(fieldError('lot-block-reason')).toBe('Say why the lot is blocked'));
    expect(requests.filter((r) => r.method === 'PATCH')).toHaveLength(0);

    await typeInto('lot-block-reason', 'Supplier recall R-12');
    await click('lot-block-save');
    await vi.waitFor(() => expect(text('lot-status')).toBe('blocked'));
    expect(requests.filter((r) => r.method === 'PATCH').map((r) => r.body)).toEqual([{ blocked: true, blockReason: 'Supplier recall R-12' }]);
    expect(q('lots-table')!.textContent).toContain('Supplier recall R-12');
    expect(q('lot-unblock')).not.toBeNull();
  });

  it('shows a lot with its recall trace: moves in time order and the locations it went through', async () => {
    server.use(
      http.get(`*/api/inventory/lots/${LOT_ID}/trace`, () =>
        HttpResponse.json({
          lot: { ...LOT, blocked: true, blockReason: 'Recall R-12', status: 'blocked' },
          moves: [
            { moveId: MOVE_ID, number: '40', type: 'receipt', reference: 'PO-7', effectiveAt: '2026-11-02T08:00:00.000Z', fromLocationId: null, fromLocation: null, toLocationId: DOCK_ID, toLocation: 'Dock 1', qty: '12', serial: null },
            { moveId: MOVE_ID, number: '41', type: 'transfer', reference: null, effectiveAt: '2026-11-03T08:00:00.000Z', fromLocationId: DOCK_ID, fromLocation: 'Dock 1', toLocationId: BIN_ID, toLocation: 'Bin 3-04', qty: '12', serial: null },
            { moveId: MOVE_ID, number: '44', type: 'issue', reference: 'SO-9', effectiveAt: '2026-11-05T08:00:00.000Z', fromLocationId: BIN_ID, fromLocation: 'Bin 3-04', toLocationId: null, toLocation: null, qty: '2', serial: null },
          ],
          locations: [
            { locationId: DOCK_ID, location: 'Dock 1', path: 'Main DC / Dock 1', onHand: '0', received: '12', shipped: '12' },
            { locationId: BIN_ID, location: 'Bin 3-04', path: 'Main DC / Zone A / Bin 3-04', onHand: '10', received: '12', shipped: '2' },
          ],
        }),
      ),
    );
    await renderInventory(`/inventory/lots/${LOT_ID}`);
    await vi.waitFor(() => expect(text('lot-title')).toBe('Lot L-0142'));
    expect(text('lot-status')).toBe('blocked');
    expect(text('lot-block-reason-shown')).toContain('Recall R-12');
    const moves = all('lot-trace-move').map((e) => e.textContent!.replace(/\s+/g, ' '));
    expect(moves).toHaveLength(3);
    expect(moves[0]).toContain('Move 40 · Receipt · 12 into Dock 1');
    expect(moves[1]).toContain('Move 41 · Transfer · 12 Dock 1 → Bin 3-04');
    expect(moves[2]).toContain('Move 44 · Issue · 2 out of Bin 3-04');
    const locs = [...q('lot-trace-locations')!.querySelectorAll('tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent!.trim()));
    expect(locs).toEqual([
      ['Main DC / Dock 1', '12', '12', '0'],
      ['Main DC / Zone A / Bin 3-04', '12', '2', '10'],
    ]);
  });
});

describe('dashboard', () => {
  it('counts the lots to watch', async () => {
    server.use(
      http.get('*/api/inventory/lots', ({ request }) => {
        const s = new URL(request.url).searchParams;
        const total = s.get('expiringWithinDays') === '30' ? 3 : s.get('expired') === 'true' ? 1 : s.get('blocked') === 'true' ? 2 : 0;
        return HttpResponse.json({ data: [], total, limit: 1, offset: 0 });
      }),
    );
    await renderInventory('/');
    await vi.waitFor(() => expect(text('dashboard-lots-expiring')).toContain('3'));
    expect(text('dashboard-lots-expired')).toContain('1');
    expect(text('dashboard-lots-blocked')).toContain('2');
  });
});
