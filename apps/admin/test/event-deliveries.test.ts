import { http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import type { EventDelivery } from '../src/api/types';
import { bodyText, byTestId, click, renderApp, settle, typeInto } from './app';
import { ADMIN_SESSION, NOW } from './fixtures';
import { requests, server, state } from './msw';

const LONG_ERROR = `connect ECONNREFUSED 10.0.0.7:443 while posting to https://erp.example.test/hooks/items ${'x'.repeat(120)} END`;

const DELIVERIES: EventDelivery[] = [
  {
    eventId: '42',
    name: 'core.item.created',
    source: 'core',
    subscriber: 'erp-sync.onItemCreated',
    status: 'failing',
    attempts: 3,
    occurredAt: NOW,
    nextAttemptAt: '2026-11-23T10:08:00.000Z',
    deliveredAt: null,
    lastError: LONG_ERROR,
    payload: { id: 'item-1', name: 'Cordless drill' },
  },
  {
    eventId: '41',
    name: 'core.location.created',
    source: 'core',
    subscriber: 'erp-sync.onLocationCreated',
    status: 'failing',
    attempts: 1,
    occurredAt: NOW,
    nextAttemptAt: '2026-11-23T10:01:00.000Z',
    deliveredAt: null,
    lastError: 'timeout',
    payload: { id: 'loc-1' },
  },
  {
    eventId: '40',
    name: 'core.item.created',
    source: 'core',
    subscriber: 'search.index',
    status: 'pending',
    attempts: 0,
    occurredAt: NOW,
    nextAttemptAt: NOW,
    deliveredAt: null,
    lastError: null,
    payload: { id: 'item-0' },
  },
];

/** The list endpoint as the server answers it: filtered, newest first, paged. */
function deliveriesHandler(rows: EventDelivery[] = DELIVERIES) {
  return http.get('*/api/core/event-deliveries', ({ request }) => {
    const q = new URL(request.url).searchParams;
    const limit = Number(q.get('limit') ?? 50);
    const offset = Number(q.get('offset') ?? 0);
    const matching = rows.filter(
      (d) =>
        (!q.get('status') || d.status === q.get('status')) &&
        (!q.get('subscriber') || d.subscriber === q.get('subscriber')) &&
        (!q.get('name') || d.name === q.get('name')),
    );
    return HttpResponse.json({ data: matching.slice(offset, offset + limit), total: matching.length, limit, offset });
  });
}

const listRequests = () => requests.filter((r) => r.method === 'GET' && r.url.pathname === '/api/core/event-deliveries');
const lastQuery = () => Object.fromEntries(listRequests().at(-1)!.url.searchParams);
const statuses = () => [...document.querySelectorAll('[data-testid="delivery-status"]')].map((t) => t.textContent?.trim());
const rows = () => [...byTestId('deliveries-table')!.querySelectorAll<HTMLElement>('.el-table__body tr.el-table__row')];

describe('event deliveries', () => {
  it('is in the Administration nav and lists failing deliveries by default', async () => {
    server.use(deliveriesHandler());
    await renderApp('/');
    await click('nav-event-deliveries');
    await vi.waitFor(() => expect(statuses()).toEqual(['failing', 'failing']));
    expect(lastQuery()).toEqual({ status: 'failing', limit: '25', offset: '0' });

    const first = rows()[0]!;
    expect(first.textContent).toContain('core.item.created');
    expect(first.textContent).toContain('erp-sync.onItemCreated');
    expect(first.querySelector('[data-testid="delivery-status"]')!.className).toContain('el-tag--danger');
    // The error is cut short in the row and shown whole when the row is expanded.
    expect(first.textContent).toContain('connect ECONNREFUSED');
    expect(first.textContent).not.toContain('END');
    first.querySelector<HTMLElement>('.el-table__expand-icon')!.click();
    await settle();
    expect(byTestId('delivery-error')?.textContent).toBe(LONG_ERROR);
    expect(JSON.parse(byTestId('delivery-payload')!.textContent!)).toEqual({ id: 'item-1', name: 'Cordless drill' });
  });

  it('asks the server again with the filters the user sets', async () => {
    server.use(deliveriesHandler());
    await renderApp('/event-deliveries');
    await vi.waitFor(() => expect(statuses()).toHaveLength(2));

    byTestId('deliveries-filter-status')!.querySelector<HTMLElement>('.el-select__wrapper')!.click();
    await settle();
    document.querySelector<HTMLElement>('[data-testid="option-pending"]')!.click();
    await vi.waitFor(() => expect(statuses()).toEqual(['pending']));
    expect(lastQuery()).toEqual({ status: 'pending', limit: '25', offset: '0' });
    expect(rows()[0]!.querySelector('[data-testid="delivery-status"]')!.className).toContain('el-tag--info');

    await typeInto('deliveries-filter-subscriber', 'search.index');
    await typeInto('deliveries-filter-name', 'core.item.created');
    await vi.waitFor(() =>
      expect(lastQuery()).toEqual({ status: 'pending', subscriber: 'search.index', name: 'core.item.created', limit: '25', offset: '0' }),
    );
    expect(statuses()).toEqual(['pending']);
  });

  it('retries an undelivered delivery with the CSRF header and reloads', async () => {
    const rowsNow = DELIVERIES.map((d) => ({ ...d }));
    server.use(
      deliveriesHandler(rowsNow),
      http.post('*/api/core/event-deliveries/retry', async ({ request }) => {
        const body = (await request.json()) as { eventId: string; subscriber: string };
        const d = rowsNow.find((x) => x.eventId === body.eventId && x.subscriber === body.subscriber)!;
        Object.assign(d, { status: 'delivered', deliveredAt: NOW, nextAttemptAt: null });
        return HttpResponse.json({ queued: true }, { status: 202 });
      }),
    );
    await renderApp('/event-deliveries');
    await vi.waitFor(() => expect(statuses()).toHaveLength(2));
    const loadsBefore = listRequests().length;

    rows()[0]!.querySelector<HTMLElement>('[data-testid="delivery-retry"]')!.click();
    await vi.waitFor(() => expect(statuses()).toEqual(['failing']));
    const post = requests.find((r) => r.method === 'POST' && r.url.pathname === '/api/core/event-deliveries/retry')!;
    expect(post.body).toEqual({ eventId: '42', subscriber: 'erp-sync.onItemCreated' });
    expect(post.headers.get('x-csrf-token')).toBe('csrf-123');
    expect(listRequests().length).toBe(loadsBefore + 1);
    expect(bodyText()).toContain('Retrying core.item.created for erp-sync.onItemCreated now');
  });

  it('shows the problem when the delivery went through meanwhile (404), and reloads', async () => {
    server.use(
      deliveriesHandler(),
      http.post('*/api/core/event-deliveries/retry', () =>
        HttpResponse.json(
          { type: 'https://quartermaster.dev/problems/not-found', title: 'Not Found', status: 404, detail: 'undelivered event delivery 42/erp-sync.onItemCreated not found' },
          { status: 404, headers: { 'content-type': 'application/problem+json' } },
        ),
      ),
    );
    await renderApp('/event-deliveries');
    await vi.waitFor(() => expect(statuses()).toHaveLength(2));
    const loadsBefore = listRequests().length;
    await click('delivery-retry');
    await vi.waitFor(() => expect(bodyText()).toContain('undelivered event delivery 42/erp-sync.onItemCreated not found'));
    expect(listRequests().length).toBe(loadsBefore + 1);
  });

  it('hides "Retry now" without core.events.retry', async () => {
    state.session = { ...ADMIN_SESSION, permissions: ['core.events.read'] };
    server.use(deliveriesHandler());
    await renderApp('/event-deliveries');
    await vi.waitFor(() => expect(statuses()).toHaveLength(2));
    expect(byTestId('delivery-retry')).toBeNull();
    expect(byTestId('nav-event-deliveries')).not.toBeNull();
  });

  it('offers no retry on delivered rows', async () => {
    server.use(deliveriesHandler(DELIVERIES.map((d) => ({ ...d, status: 'delivered' as const, deliveredAt: NOW }))));
    await renderApp('/event-deliveries');
    byTestId('deliveries-filter-status')!.querySelector<HTMLElement>('.el-select__wrapper')!.click();
    await settle();
    document.querySelector<HTMLElement>('[data-testid="option-delivered"]')!.click();
    await vi.waitFor(() => expect(statuses()).toEqual(['delivered', 'delivered', 'delivered']));
    expect(rows()[0]!.querySelector('[data-testid="delivery-status"]')!.className).toContain('el-tag--success');
    expect(byTestId('delivery-retry')).toBeNull();
  });

  it('is not in the nav without core.events.read', async () => {
    state.session = { ...ADMIN_SESSION, permissions: ['core.items.read'] };
    await renderApp('/');
    expect(byTestId('nav-audit-log')).toBeNull();
    expect(byTestId('nav-event-deliveries')).toBeNull();
  });
});
