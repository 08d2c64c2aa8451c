import { http, HttpResponse } from 'msw';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AISLE_ID, ITEM_ID, READER2_ID, SGTIN_EPC, all, cells, choose, click, giai, makeRead, makeReader, paged, q, renderRfid, requests, server, settle, summaryOf, text } from './harness';

const SLOW = { timeout: 30_000 };
const recent = () => requests.filter((r) => r.url.pathname === '/api/rfid/reads/recent');

describe('live reads', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('shows the latest reads with EPC, GS1 key, antenna → zone and RSSI, asks again every 2 s while live, and stops when paused', SLOW, async () => {
    // Only the polling interval is faked: the page's fetches and Element Plus still run on real timers.
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    let answer = [
      makeRead(1, SGTIN_EPC, { gs1KeyType: 'gtin', gs1Key: '80614141123458', target: { type: 'core.item', id: ITEM_ID }, rssi: -48.5 }),
      makeRead(2, giai(4711), { antenna: 3, locationId: AISLE_ID, rssi: null }),
    ];
    server.use(
      http.get('*/api/rfid/reads/recent', () => HttpResponse.json({ data: answer })),
      http.get('*/api/core/devices', ({ request }) => paged([summaryOf(makeReader())], request.url)),
    );
    await renderRfid('/rfid/reads');
    await vi.waitFor(() => expect(cells('live-row-epc')).toEqual([SGTIN_EPC, giai(4711)]));
    expect(cells('live-row-key')).toEqual(['GTIN 80614141123458', '—']);
    expect(cells('live-row-target')).toEqual(['Item']);
    expect(all('live-row-target')[0]!.getAttribute('href')).toBe(`/items/${ITEM_ID}`);
    expect(cells('live-row-zone')).toEqual(['1 → Main DC / Dock 1 apron', '3 → Main DC / Aisle 3']);
    expect(cells('live-row-rssi')).toEqual(['-48.5 dBm', '—']);
    expect(cells('live-row-reader')).toEqual(['dock-1', 'dock-1']);
    expect(all('live-row-epc')[0]!.getAttribute('href')).toBe(`/rfid/tags/${SGTIN_EPC}`);
    expect(text('live-status')).toContain('Updating every 2 s');

    const first = recent().length;
    answer = [makeRead(0, giai(4712)), ...answer];
    vi.advanceTimersByTime(2000);
    await settle();
    await vi.waitFor(() => expect(cells('live-row-epc')).toEqual([giai(4712), SGTIN_EPC, giai(4711)]));
    expect(recent().length).toBe(first + 1);

    // Paused: no more asking, however long.
    await click('live-toggle');
    expect(text('live-status')).toContain('Paused');
    const paused = recent().length;
    vi.advanceTimersByTime(10_000);
    await settle();
    expect(recent().length).toBe(paused);
    // And live again.
    await click('live-toggle');
    vi.advanceTimersByTime(2000);
    await settle();
    await vi.waitFor(() => expect(recent().length).toBe(paused + 1));
  });

  it("filters by reader: the registered readers, and others seen in the reads, are offered", SLOW, async () => {
    server.use(
      http.get('*/api/rfid/reads/recent', ({ request }) => {
        const deviceId = new URL(request.url).searchParams.get('deviceId');
        const reads = [makeRead(1, giai(1)), makeRead(2, giai(2), { device: { id: READER2_ID, code: 'gate-7' } })];
        return HttpResponse.json({ data: reads.filter((r) => !deviceId || r.device.id === deviceId) });
      }),
      http.get('*/api/core/devices', ({ request }) => paged([summaryOf(makeReader())], request.url)),
    );
    await renderRfid('/rfid/reads');
    await vi.waitFor(() => expect(cells('live-row-reader')).toEqual(['dock-1', 'gate-7']));
    await click('live-toggle');
    await choose(q('live-reader'), { testid: 'live-reader-gate-7' });
    await vi.waitFor(() => expect(cells('live-row-reader')).toEqual(['gate-7']));
    expect(recent().at(-1)!.url.searchParams.get('deviceId')).toBe(READER2_ID);
    expect(recent().at(-1)!.url.searchParams.get('limit')).toBe('50');
  });

  it('says why when the reads cannot be loaded', SLOW, async () => {
    server.use(
      http.get('*/api/rfid/reads/recent', () => HttpResponse.json({ type: 'about:blank', title: 'Forbidden', status: 403, detail: 'You need the rfid.read permission' }, { status: 403, headers: { 'content-type': 'application/problem+json' } })),
      http.get('*/api/core/devices', ({ request }) => paged([], request.url)),
    );
    await renderRfid('/rfid/reads');
    await vi.waitFor(() => expect(text('live-error')).toContain('You need the rfid.read permission'));
  });
});
