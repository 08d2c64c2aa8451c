import { http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { all, cells, click, confirmBox, paged, platformPlugin, q, renderWithPlugins, requests, server, text, typeInto } from '../../../../apps/admin/test/plugin-harness';

const render = (path: string) => renderWithPlugins(path, [platformPlugin('erp-journal', 'ERP journal')], { 'erp-journal': () => import('../../src/admin/index') });

const ENTRY = {
  id: '0196a1b2-0000-7000-8000-00000000e001',
  number: 1,
  idempotencyKey: 'qm-erpj-abc',
  entryDate: '2026-10-02',
  period: '2026-10',
  sourceType: 'inventory-move',
  sourceRef: 'MV-1',
  memo: 'Inventory issue MV-1',
  currency: 'EUR',
  redatedFrom: null,
  totalDebit: '60.00',
  totalCredit: '60.00',
  lines: [
    { lineNo: 1, account: '5000', role: 'cogs', debit: '60.00', credit: '0.00', categoryId: null, siteId: null, itemId: null, assetId: null, memo: 'issue 30' },
    { lineNo: 2, account: '1400', role: 'inventory', debit: '0.00', credit: '60.00', categoryId: null, siteId: null, itemId: null, assetId: null, memo: 'issue 30' },
  ],
  postedAt: '2026-10-02T08:00:01.000Z',
  exportedAt: null,
  push: { status: 'pending', attempts: 0, pushedAt: null, erpDocumentId: null, lastResponseStatus: null, lastError: null },
};
const PERIODS = {
  closedThrough: '2026-09-30',
  pushTarget: true,
  periods: [
    { period: '2026-10', status: 'open', entries: 2, pushed: 0, failed: 0, exported: 0, debit: '80.00', credit: '80.00', closedAt: null, closedBy: null },
    { period: '2026-09', status: 'closed', entries: 8, pushed: 8, failed: 0, exported: 8, debit: '14000.00', credit: '14000.00', closedAt: '2026-10-03T09:00:00.000Z', closedBy: 'admin@example.test' },
  ],
};

describe('ERP journal console', () => {
  it('lists the entries of a period and filters by source', async () => {
    server.use(http.get('*/api/erp-journal/entries', ({ request }) => paged([ENTRY], request.url)));
    await render('/erp-journal/journal?period=2026-10');
    await vi.waitFor(() => expect(cells('entry-total')).toEqual(['60.00']));
    expect(cells('entry-push')).toEqual(['pending']);
    const last = () => Object.fromEntries(requests.filter((r) => r.url.pathname === '/api/erp-journal/entries').at(-1)!.url.searchParams);
    expect(last()).toMatchObject({ period: '2026-10' });
    await typeInto('journal-account', '5000');
    await vi.waitFor(() => expect(last()).toMatchObject({ period: '2026-10', account: '5000' }));
  });

  it('shows periods with downloads, pushes one with the outcome per entry, and closes it after confirming', async () => {
    let closed = false;
    server.use(
      http.get('*/api/erp-journal/periods', () => HttpResponse.json(closed ? { ...PERIODS, closedThrough: '2026-10-31', periods: PERIODS.periods.map((p) => ({ ...p, status: 'closed' })) } : PERIODS)),
      http.post('*/api/erp-journal/periods/2026-10/push', () =>
        HttpResponse.json({
          period: '2026-10',
          sent: 2,
          alreadyPushed: 0,
          results: [
            { entryId: 'a', number: 1, idempotencyKey: 'k1', outcome: 'pushed', responseStatus: 201, erpDocumentId: 'GL-1', error: null },
            { entryId: 'b', number: 2, idempotencyKey: 'k2', outcome: 'failed', responseStatus: 503, erpDocumentId: null, error: 'the ERP answered 503' },
          ],
        }),
      ),
      http.post('*/api/erp-journal/periods/2026-10/close', () => {
        closed = true;
        return HttpResponse.json({ period: '2026-10', closedThrough: '2026-10-31', entries: 2, closedBy: 'admin@example.test' });
      }),
    );
    await render('/erp-journal/periods');
    await vi.waitFor(() => expect(cells('period-name')).toEqual(['2026-10', '2026-09']));
    expect(text('closed-through')).toBe('Closed through 2026-09-30');
    expect(cells('period-status')).toEqual(['open', 'closed']);
    expect(all('export-csv').map((a) => a.getAttribute('href'))).toEqual(['/api/erp-journal/periods/2026-10/journal.csv', '/api/erp-journal/periods/2026-09/journal.csv']);
    expect(all('push')).toHaveLength(1);
    expect(all('reopen')).toHaveLength(1);

    await click('push');
    await vi.waitFor(() => expect(cells('push-outcome')).toEqual(['pushed', 'failed']));
    expect(q('push-results')!.textContent).toContain('the ERP answered 503');

    await click('close');
    await confirmBox();
    await vi.waitFor(() => expect(text('closed-through')).toBe('Closed through 2026-10-31'));
    expect(requests.some((r) => r.method === 'POST' && r.url.pathname === '/api/erp-journal/periods/2026-10/close')).toBe(true);
  });

  it('shows why a close is refused', async () => {
    server.use(
      http.get('*/api/erp-journal/periods', () => HttpResponse.json(PERIODS)),
      http.post('*/api/erp-journal/periods/2026-10/close', () =>
        HttpResponse.json(
          { type: 'https://quartermaster.dev/problems/erp-journal/period-not-exported', title: 'Entries not exported', status: 409, detail: '2 entries through 2026-10-31 are not yet pushed to the ERP (2026-10: 2)' },
          { status: 409, headers: { 'content-type': 'application/problem+json' } },
        ),
      ),
    );
    await render('/erp-journal/periods');
    await vi.waitFor(() => expect(all('close')).toHaveLength(1));
    await click('close');
    await confirmBox();
    await vi.waitFor(() => expect(text('periods-error')).toContain('not yet pushed to the ERP'));
  });

  it('edits the chart of accounts: a default account can be changed, not removed', async () => {
    const rows = [
      { id: 'd1', role: 'cogs', categoryId: null, siteId: null, account: '5000', name: 'Cost of goods sold', isDefault: true, updatedAt: '2026-10-01T00:00:00.000Z', updatedBy: 'system' },
    ];
    let body: unknown = null;
    server.use(
      http.get('*/api/erp-journal/accounts', () => HttpResponse.json(rows)),
      http.get('*/api/core/categories', () => HttpResponse.json([])),
      http.get('*/api/core/locations/tree', () => HttpResponse.json([])),
      http.put('*/api/erp-journal/accounts', async ({ request }) => {
        body = await request.json();
        return HttpResponse.json({ ...rows[0], account: '5001' });
      }),
    );
    await render('/erp-journal/accounts');
    await vi.waitFor(() => expect(cells('account-number')).toEqual(['5000']));
    expect(cells('account-scope')).toEqual(['default']);
    expect(all('account-remove')).toHaveLength(0);
    await click('account-edit');
    await typeInto('account-input', '5001');
    await click('account-save');
    await vi.waitFor(() => expect(body).toEqual({ role: 'cogs', categoryId: null, siteId: null, account: '5001', name: 'Cost of goods sold' }));
  });
});
