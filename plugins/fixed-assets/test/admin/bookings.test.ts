import { http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { ASSET_ID, BOOKING_ID, PERSON_ID, all, cells, click, confirmBox, coreLookups, makeAsset, paged, problem, q, renderFixedAssets, requests, server, text } from './harness';

const A1 = { ...makeAsset(1), children: [] };
const BOOKING = {
  id: BOOKING_ID,
  number: '12',
  kitId: null,
  kitName: null,
  holder: { type: 'person', id: PERSON_ID, label: 'Pat Field' },
  startsAt: new Date(2026, 11, 3, 9).toISOString(),
  endsAt: new Date(2026, 11, 5, 17).toISOString(),
  status: 'reserved',
  note: null,
  assets: [{ id: ASSET_ID, tag: 'AST-2026-00001', name: 'ThinkPad T14', status: 'in-service', active: true }],
  createdAt: '2026-11-20T10:00:00.000Z',
  createdBy: 'Ada Admin',
  closedAt: null,
  cancelReason: null,
};

function calendar(bookings: (typeof BOOKING)[] = [BOOKING]) {
  coreLookups();
  server.use(
    http.get('*/api/fixed-assets/kits', ({ request }) => paged([], request.url)),
    http.get(`*/api/fixed-assets/assets/${ASSET_ID}`, () => HttpResponse.json(A1)),
    http.get('*/api/fixed-assets/availability', ({ request }) => {
      const u = new URL(request.url).searchParams;
      const active = bookings.filter((b) => b.status === 'reserved' || b.status === 'checked-out');
      return HttpResponse.json({
        from: u.get('from'),
        to: u.get('to'),
        data: [
          {
            assetId: ASSET_ID,
            tag: 'AST-2026-00001',
            name: 'ThinkPad T14',
            status: 'in-service',
            available: !active.length,
            busy: active.map((b) => ({ kind: 'booking', id: b.id, number: b.number, startsAt: b.startsAt, endsAt: b.endsAt, holder: b.holder })),
          },
        ],
        total: 1,
        limit: 200,
        offset: 0,
      });
    }),
    http.get('*/api/fixed-assets/bookings', ({ request }) => paged(bookings, request.url)),
  );
}

const cell = (date: string) => document.querySelector<HTMLElement>(`[data-testid="cal-cell"][data-date="${date}"]`)!;

describe('booking calendar', () => {
  it('shows a month of free/busy for the asset of the URL and the bookings in it', async () => {
    calendar();
    await renderFixedAssets(`/fixed-assets/bookings?assetId=${ASSET_ID}&date=2026-12-10`);
    await vi.waitFor(() => expect(all('cal-row')).toHaveLength(1));
    const avail = requests.find((r) => r.url.pathname === '/api/fixed-assets/availability')!;
    expect(avail.url.searchParams.getAll('assetId')).toEqual([ASSET_ID]);
    expect(avail.url.searchParams.get('from')).toBe(new Date(2026, 11, 1).toISOString());
    expect(avail.url.searchParams.get('to')).toBe(new Date(2027, 0, 1).toISOString());
    expect(all('cal-cell')).toHaveLength(31);
    expect(['2026-12-02', '2026-12-03', '2026-12-04', '2026-12-05', '2026-12-06'].map((d) => cell(d).dataset.busy)).toEqual(['false', 'true', 'true', 'true', 'false']);
    expect(cell('2026-12-04').textContent).toContain('B-12');
    await vi.waitFor(() => expect(cells('booking-number')).toEqual(['B-12']));
    expect(cells('booking-holder')).toEqual(['Pat Field']);

    await click('bookings-view-week');
    await vi.waitFor(() => expect(all('cal-cell')).toHaveLength(7));
    // The week of 10 December 2026 starts on Monday the 7th.
    expect(all('cal-cell').map((c) => c.dataset.date)).toEqual(['2026-12-07', '2026-12-08', '2026-12-09', '2026-12-10', '2026-12-11', '2026-12-12', '2026-12-13']);
  });

  it('books a window selected on the calendar and names the conflicting booking when it overlaps', async () => {
    calendar();
    server.use(
      http.post('*/api/fixed-assets/bookings', () =>
        problem(409, 'fixed-assets/booking-conflict', 'Booking overlaps another', 'AST-2026-00001 is booked by booking B-12 (Pat Field) from … to …', {
          bookingId: BOOKING_ID,
          bookingNumber: '12',
          conflicts: [{ id: BOOKING_ID, number: '12', assetId: ASSET_ID, tag: 'AST-2026-00001', startsAt: BOOKING.startsAt, endsAt: BOOKING.endsAt, holder: BOOKING.holder }],
        }),
      ),
    );
    await renderFixedAssets(`/fixed-assets/bookings?assetId=${ASSET_ID}&date=2026-12-10`);
    await vi.waitFor(() => expect(all('cal-cell')).toHaveLength(31));
    cell('2026-12-05').click();
    await vi.waitFor(() => expect(cell('2026-12-05').className).toContain('is-selected'));
    cell('2026-12-04').click();
    await vi.waitFor(() => expect(q('booking-dialog')).not.toBeNull());
    await vi.waitFor(() => expect(document.querySelector<HTMLInputElement>('[data-testid="booking-window"] input')!.value).toBe('2026-12-04 00:00'));
    await click('booking-save');
    const posts = () => requests.filter((r) => r.method === 'POST' && r.url.pathname === '/api/fixed-assets/bookings');
    await vi.waitFor(() => expect(posts()).toHaveLength(1));
    // For me (no holder given): the window from the first day's start to the day after the last.
    expect(posts()[0]!.body).toEqual({ startsAt: new Date(2026, 11, 4).toISOString(), endsAt: new Date(2026, 11, 6).toISOString(), assetIds: [ASSET_ID] });
    await vi.waitFor(() => expect(text('booking-error')).toContain('Booking overlaps another'));
    expect(cells('booking-conflict')).toHaveLength(1);
    expect(cells('booking-conflict')[0]).toMatch(/^AST-2026-00001: booking B-12 \(Pat Field\), /);
  });

  it('cancels a reserved booking from the list, with a reason', async () => {
    const bookings = [{ ...BOOKING }];
    calendar(bookings);
    server.use(
      http.post(`*/api/fixed-assets/bookings/${BOOKING_ID}/cancel`, () => {
        bookings[0] = { ...BOOKING, status: 'cancelled' };
        return HttpResponse.json(bookings[0]);
      }),
    );
    await renderFixedAssets(`/fixed-assets/bookings?assetId=${ASSET_ID}&date=2026-12-10`);
    await vi.waitFor(() => expect(cells('booking-number')).toEqual(['B-12']));
    await click('booking-cancel');
    const input = document.querySelector<HTMLInputElement>('.el-message-box__input input')!;
    input.value = 'Trip cancelled';
    input.dispatchEvent(new Event('input', { bubbles: true }));
    await confirmBox();
    const cancels = () => requests.filter((r) => r.method === 'POST' && r.url.pathname.endsWith('/cancel'));
    await vi.waitFor(() => expect(cancels()).toHaveLength(1));
    expect(cancels()[0]!.body).toEqual({ reason: 'Trip cancelled' });
    await vi.waitFor(() => expect(cell('2026-12-04').dataset.busy).toBe('false'));
    expect(cells('booking-number')).toEqual([]);
  });
});
