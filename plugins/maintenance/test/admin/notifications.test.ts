import { http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { ASSET_ID, WO_ID, all, cells, click, clickIn, makeDetail, maintenanceLookups, renderMaintenance, requests, server, text, toasts } from './harness';

const SLOW = { timeout: 30_000 };

function note(id: string, patch: Record<string, unknown> = {}): { id: string; readAt: string | null } & Record<string, unknown> {
  return {
    id,
    kind: 'work-order.overdue',
    title: `Notification ${id}`,
    body: null,
    workOrderId: null,
    assetId: null,
    forEveryone: false,
    readAt: null,
    createdAt: '2026-11-23T09:00:00.000Z',
    ...patch,
  };
}

/** The server's notifications of one person: `unread` filters, `read-all` and `:id/read` mark them. */
function serveNotifications() {
  maintenanceLookups();
  const notes = [
    note('3', { title: 'WO-000001 is overdue', workOrderId: WO_ID, body: 'Quarterly service was due on 2026-11-20' }),
    note('2', { kind: 'calibration.overdue', title: 'AST-2026-00001 calibration overdue', assetId: ASSET_ID, forEveryone: true }),
    note('1', { kind: 'work-order.assigned', title: 'WO-000007 assigned to you', readAt: '2026-11-22T10:00:00.000Z' }),
  ];
  const unreadCount = () => notes.filter((n) => !n.readAt).length;
  server.use(
    http.get('*/api/maintenance/notifications', ({ request }) => {
      const p = new URL(request.url).searchParams;
      const rows = notes.filter((n) => !p.has('unread') || (p.get('unread') === 'true') === !n.readAt);
      return HttpResponse.json({ data: rows, total: rows.length, limit: Number(p.get('limit') ?? 50), offset: 0, unreadCount: unreadCount() });
    }),
    http.post('*/api/maintenance/notifications/:id/read', ({ params }) => {
      const n = notes.find((x) => x.id === params.id)!;
      n.readAt ??= '2026-11-23T10:00:00.000Z';
      return HttpResponse.json(n);
    }),
    http.post('*/api/maintenance/notifications/read-all', () => {
      const marked = unreadCount();
      for (const n of notes) n.readAt ??= '2026-11-23T10:00:00.000Z';
      return HttpResponse.json({ marked });
    }),
    http.get(`*/api/maintenance/work-orders/${WO_ID}`, () => HttpResponse.json(makeDetail(1))),
  );
}

const unreadTitles = () => cells('notification-title');
const readIds = () => all('notification-read').map((e) => e.dataset.id);

describe('notifications', () => {
  it('lists my unread notifications first, and marks one read', SLOW, async () => {
    serveNotifications();
    await renderMaintenance('/maintenance/notifications');
    await vi.waitFor(() => expect(unreadTitles()).toEqual(['WO-000001 is overdue', 'AST-2026-00001 calibration overdue']));
    expect(readIds()).toEqual(['1']);
    expect(text('notifications-unread-count')).toBe('2 unread');

    const first = all('notification')[0]!;
    await clickIn(first, 'notification-mark-read');
    await vi.waitFor(() => expect(unreadTitles()).toEqual(['AST-2026-00001 calibration overdue']));
    expect(readIds()).toEqual(['3', '1']);
    expect(text('notifications-unread-count')).toBe('1 unread');
    expect(requests.filter((r) => r.method === 'POST').map((r) => r.url.pathname)).toEqual(['/api/maintenance/notifications/3/read']);
  });

  it('marks all read', SLOW, async () => {
    serveNotifications();
    await renderMaintenance('/maintenance/notifications');
    await vi.waitFor(() => expect(unreadTitles()).toHaveLength(2));
    await click('notifications-mark-all');
    await vi.waitFor(() => expect(unreadTitles()).toEqual([]));
    expect(toasts()).toContain('2 notifications marked read');
    expect(readIds()).toEqual(['3', '2', '1']);
    expect(text('notifications-unread-count')).toBe('0 unread');
  });

  it('opens the work order of a notification, marking it read', SLOW, async () => {
    serveNotifications();
    const { router } = await renderMaintenance('/maintenance/notifications');
    await vi.waitFor(() => expect(unreadTitles()).toHaveLength(2));
    all('notification-title')[0]!.click();
    await vi.waitFor(() => expect(router.currentRoute.value.path).toBe(`/maintenance/work-orders/${WO_ID}`), { timeout: 10_000 });
    expect(requests.some((r) => r.method === 'POST' && r.url.pathname === '/api/maintenance/notifications/3/read')).toBe(true);
  });
});
