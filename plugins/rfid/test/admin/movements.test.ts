import { http } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { ASSET_ID, INSIDE_ID, READER_ID, SGTIN_EPC, all, cells, choose, click, giai, lastRequest, makeMovement, makeReader, paged, pickLocation, q, renderRfid, requests, server, summaryOf, typeIn } from './harness';

const SLOW = { timeout: 30_000 };

function serveMovements() {
  server.use(
    http.get('*/api/rfid/movements', ({ request }) =>
      paged(
        [
          makeMovement(3, giai(900005), { direction: 'out', from: { id: INSIDE_ID, name: 'Dock 1 inside' }, to: { id: 'a', name: 'Dock 1 apron' }, antenna: 1, target: { type: 'fixed-assets.asset', id: ASSET_ID } }),
          makeMovement(2, giai(900005), { target: { type: 'fixed-assets.asset', id: ASSET_ID } }),
          makeMovement(1, SGTIN_EPC, { from: null, direction: null, antenna: 3, to: { id: 'b', name: 'Aisle 3' } }),
        ],
        request.url,
      ),
    ),
    http.get('*/api/core/devices', ({ request }) => paged([summaryOf(makeReader())], request.url)),
  );
}

describe('movements', () => {
  it('lists movements with their route, portal direction, reader and what moved', SLOW, async () => {
    serveMovements();
    await renderRfid('/rfid/movements');
    await vi.waitFor(() => expect(cells('movement-row-epc')).toEqual([giai(900005), giai(900005), SGTIN_EPC]));
    expect(cells('movement-row-route')).toEqual(['Dock 1 inside → Dock 1 apron', 'Dock 1 apron → Dock 1 inside', '(first seen) → Aisle 3']);
    expect(cells('movement-row-direction')).toEqual(['Out', 'In']);
    expect(all('movement-row-direction').map((t) => (t.querySelector('.el-tag') ?? t).classList.contains('el-tag--warning'))).toEqual([true, false]);
    expect(cells('movement-row-reader')).toEqual(['dock-1 · ant. 1', 'dock-1 · ant. 2', 'dock-1 · ant. 3']);
    expect(all('movement-row-target')[0]!.getAttribute('href')).toBe(`/fixed-assets/assets/${ASSET_ID}`);
  });

  it('filters by EPC, location, reader and time range, in the URL', SLOW, async () => {
    serveMovements();
    const { router } = await renderRfid(`/rfid/movements?epc=${SGTIN_EPC}`);
    await vi.waitFor(() => expect(cells('movement-row-epc')).toHaveLength(3));
    // The EPC from the URL (a tag's page links here so) is the first filter.
    expect(lastRequest(requests, '/api/rfid/movements').url.searchParams.get('epc')).toBe(SGTIN_EPC);

    await typeIn('movements-epc', giai(900005).toLowerCase());
    await pickLocation(q('movements-location'), 'Dock 1 inside');
    await choose(q('movements-reader'), 'dock-1');
    await typeIn('movements-from', '2026-11-24T08:00');
    await typeIn('movements-to', '2026-11-24T12:30');
    await click('movements-apply');
    const p = lastRequest(requests, '/api/rfid/movements').url.searchParams;
    expect(Object.fromEntries([...p].filter(([k]) => k !== 'limit' && k !== 'offset'))).toEqual({
      epc: giai(900005),
      locationId: INSIDE_ID,
      deviceId: READER_ID,
      from: new Date('2026-11-24T08:00').toISOString(),
      to: new Date('2026-11-24T12:30').toISOString(),
    });
    expect(router.currentRoute.value.query).toMatchObject({ epc: giai(900005), locationId: INSIDE_ID, deviceId: READER_ID });
  });
});
