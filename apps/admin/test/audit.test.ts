import { http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { bodyText, click, renderApp, typeInto } from './app';
import { requests, server } from './msw';

const entry = (id: number, occurredAt: string) => ({
  id: String(id),
  occurredAt,
  actorType: 'user',
  actorId: '00000000-0000-4000-8000-000000000001',
  actorLabel: 'admin@example.test',
  pluginId: 'core',
  action: 'created',
  entityType: 'core.item',
  entityId: `item-${id}`,
  before: null,
  after: { name: `Item ${id}` },
});

const auditRequests = () => requests.filter((r) => r.method === 'GET' && r.url.pathname === '/api/core/audit');

describe('audit log', () => {
  it('filters by a time range taken from the URL, sending UTC instants to the API', async () => {
    server.use(
      http.get('*/api/core/audit', ({ request }) => {
        const q = new URL(request.url).searchParams;
        const from = q.get('from');
        const rows = [entry(1, '2026-11-01T10:00:00.000Z'), entry(2, '2026-11-20T10:00:00.000Z')].filter((e) => !from || e.occurredAt >= from);
        return HttpResponse.json({ data: rows, total: rows.length, limit: 25, offset: 0 });
      }),
    );
    await renderApp('/audit?from=2026-11-10T00:00:00.000Z&to=2026-11-30T00:00:00.000Z');
    await vi.waitFor(() => expect(bodyText()).toContain('Total 1'));
    const q = auditRequests().at(-1)!.url.searchParams;
    expect([q.get('from'), q.get('to')]).toEqual(['2026-11-10T00:00:00.000Z', '2026-11-30T00:00:00.000Z']);
  });

  it('sends the text filters and clears the range with everything else', async () => {
    server.use(http.get('*/api/core/audit', () => HttpResponse.json({ data: [], total: 0, limit: 25, offset: 0 })));
    await renderApp('/audit?from=2026-11-10T00:00:00.000Z&to=2026-11-30T00:00:00.000Z');
    await typeInto('audit-filter-entity-type', 'core.location');
    await click('audit-filter-apply');
    await vi.waitFor(() => expect(auditRequests().at(-1)!.url.searchParams.get('entityType')).toBe('core.location'));
    expect(auditRequests().at(-1)!.url.searchParams.get('from')).toBe('2026-11-10T00:00:00.000Z');
    const clear = [...document.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Clear')!;
    clear.click();
    await vi.waitFor(() => expect(auditRequests().at(-1)!.url.searchParams.get('from')).toBeNull());
    expect(auditRequests().at(-1)!.url.searchParams.get('entityType')).toBeNull();
  });
});
