import { http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { ITEM2_ID, ITEM_ID, all, pickRadio, problem, q, renderInventory, requests, server, text } from './harness';

const SLOW = { timeout: 30_000 };

const report = (method: string) => ({
  from: '2026-11-01',
  to: '2026-11-23',
  method,
  totals: { openingValue: '100.00', inValue: '240.00', cogs: method === 'lifo' ? '190.00' : '160.00', endingValue: method === 'lifo' ? '150.00' : '180.00' },
  rows: [
    { itemId: ITEM_ID, itemName: 'Cordless drill', openingQty: '10', openingValue: '100.00', inQty: '20', inValue: '240.00', issuedQty: '15', cogs: method === 'lifo' ? '180.00' : '150.00', endingQty: '15', endingValue: method === 'lifo' ? '160.00' : '190.00' },
    { itemId: ITEM2_ID, itemName: 'Wood screws 4x40', openingQty: '0', openingValue: '0.00', inQty: '0', inValue: '0.00', issuedQty: '0', cogs: '10.00', endingQty: '0', endingValue: '-10.00' },
  ],
});

const periodicQueries = () => requests.filter((r) => r.url.pathname === '/api/inventory/reports/periodic').map((r) => Object.fromEntries(r.url.searchParams));

describe('periodic valuation', () => {
  it('shows opening, in, issued, COGS and ending per item with totals, and switches methods', SLOW, async () => {
    server.use(
      http.get('*/api/inventory/reports/valuation', () => HttpResponse.json({ asOf: '2026-11-23T10:00:00.000Z', groupBy: 'item', totalValue: '0.00', rows: [] })),
      http.get('*/api/inventory/reports/periodic', ({ request }) => HttpResponse.json(report(new URL(request.url).searchParams.get('method') ?? 'fifo'))),
    );
    await renderInventory('/inventory/valuation?tab=periodic');
    await vi.waitFor(() => expect(text('periodic-total-cogs')).toBe('160.00'));
    const first = periodicQueries()[0]!;
    expect(first.method).toBe('fifo');
    expect(first.from).toMatch(/^\d{4}-\d{2}-01$/);
    expect(first.to).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(text('periodic-total-opening')).toBe('100.00');
    expect(text('periodic-total-in')).toBe('240.00');
    expect(text('periodic-total-ending')).toBe('180.00');
    expect(text('periodic-caption')).toBe('Periodic FIFO, 2026-11-01 – 2026-11-23');
    const rows = [...q('periodic-table')!.querySelectorAll('tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent!.trim()));
    expect(rows).toEqual([
      ['Cordless drill', '10', '100.00', '20', '240.00', '15', '150.00', '15', '190.00'],
      ['Wood screws 4x40', '0', '0.00', '0', '0.00', '0', '10.00', '0', '-10.00'],
    ]);
    const head = [...q('periodic-table')!.querySelectorAll('thead th')].map((th) => th.textContent!.trim());
    expect(head).toEqual(expect.arrayContaining(['Opening', 'In', 'Issued', 'Ending', 'COGS']));

    await pickRadio('periodic-method-lifo');
    await vi.waitFor(() => expect(text('periodic-total-cogs')).toBe('190.00'));
    expect(periodicQueries().at(-1)!.method).toBe('lifo');
    expect(all('periodic-ending').map((e) => e.textContent)).toEqual(['160.00', '-10.00']);
    await pickRadio('periodic-method-weighted-average');
    await vi.waitFor(() => expect(text('periodic-caption')).toContain('Weighted average'));
    expect(periodicQueries().at(-1)!.method).toBe('weighted-average');
  });

  it("shows the server's complaint about the period", SLOW, async () => {
    server.use(
      http.get('*/api/inventory/reports/valuation', () => HttpResponse.json({ asOf: '2026-11-23T10:00:00.000Z', groupBy: 'item', totalValue: '0.00', rows: [] })),
      http.get('*/api/inventory/reports/periodic', () => problem(400, 'validation', 'Invalid request', 'to: must not be before from', { errors: [{ field: 'to', message: 'must not be before from' }] })),
    );
    await renderInventory('/inventory/valuation');
    (document.querySelector('#tab-periodic') as HTMLElement).click();
    await vi.waitFor(() => expect(text('periodic-error')).toBe('to: must not be before from'));
    expect(q('periodic-table')).toBeNull();
  });
});
