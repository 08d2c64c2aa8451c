import { http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { ITEM2_ID, ITEM_ID, all, click, fieldError, pickRadio, problem, q, renderInventory, requests, server, state, text, typeInto } from './harness';

const VALUATION = {
  asOf: '2026-11-23T10:00:00.000Z',
  groupBy: 'item',
  totalValue: '1465.00',
  rows: [
    { key: ITEM_ID, label: 'Cordless drill', qty: '12', value: '1440.00', items: 1 },
    { key: ITEM2_ID, label: 'Wood screws 4x40', qty: '500', value: '25.00', items: 1 },
  ],
};
const BY_CATEGORY = { ...VALUATION, groupBy: 'category', rows: [{ key: 'c1', label: 'Tools / Power', qty: null, value: '1465.00', items: 2 }] };
const COGS = {
  from: '2026-11-01',
  to: '2026-11-23',
  totals: { cogs: '300.00', customerReturns: '50.00', netCogs: '250.00', adjustments: '12.00', supplierReturns: '0.00', receipts: '2000.00' },
  rows: [{ key: ITEM_ID, label: 'Cordless drill', issuedQty: '6', cogs: '300.00', customerReturns: '50.00', netCogs: '250.00', adjustments: '12.00' }],
};

const reportQuery = (path: string) => Object.fromEntries(requests.filter((r) => r.url.pathname === path).at(-1)!.url.searchParams);

describe('valuation', () => {
  it('renders the valuation report with its total and chart, and regroups on request', async () => {
    server.use(
      http.get('*/api/inventory/reports/valuation', ({ request }) =>
        HttpResponse.json(new URL(request.url).searchParams.get('groupBy') === 'category' ? BY_CATEGORY : VALUATION),
      ),
    );
    await renderInventory('/inventory/valuation');
    await vi.waitFor(() => expect(text('valuation-total')).toContain('Total value 1465.00'));
    expect(reportQuery('/api/inventory/reports/valuation')).toEqual({ groupBy: 'item' });
    expect(all('valuation-value').map((e) => e.textContent)).toEqual(['1440.00', '25.00']);
    const rows = [...q('valuation-table')!.querySelectorAll('tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent!.trim()));
    expect(rows).toEqual([
      ['Cordless drill', '12', '1440.00'],
      ['Wood screws 4x40', '500', '25.00'],
    ]);
    // The chart names every bar for screen readers (and where no canvas can be drawn).
    const canvas = q('valuation-chart')!.querySelector('canvas')!;
    expect(canvas.getAttribute('role')).toBe('img');
    expect(canvas.getAttribute('aria-label')).toBe('Stock value by item: Cordless drill: 1440.00; Wood screws 4x40: 25.00');

    await pickRadio('valuation-group-category');
    await vi.waitFor(() => expect(all('valuation-value').map((e) => e.textContent)).toEqual(['1465.00']));
    expect(reportQuery('/api/inventory/reports/valuation')).toEqual({ groupBy: 'category' });
    expect(q('valuation-table')!.textContent).toContain('Tools / Power');
  });

  it('shows COGS totals for a period', async () => {
    server.use(
      http.get('*/api/inventory/reports/valuation', () => HttpResponse.json(VALUATION)),
      http.get('*/api/inventory/reports/cogs', () => HttpResponse.json(COGS)),
    );
    await renderInventory('/inventory/valuation?tab=cogs');
    await vi.waitFor(() => expect(text('cogs-total-net')).toBe('250.00'));
    const q0 = reportQuery('/api/inventory/reports/cogs');
    expect(q0.groupBy).toBe('item');
    expect(q0.from).toMatch(/^\d{4}-\d{2}-01$/);
    expect(q0.to).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(text('cogs-total-cogs')).toBe('300.00');
    expect(q('cogs-totals')!.textContent).toContain('Customer returns50.00');
    expect(q('cogs-table')!.textContent).toContain('Cordless drill');
  });

  it('runs the what-if calculator and shows issue costs, ending value and layers', async () => {
    server.use(
      http.get('*/api/inventory/reports/valuation', () => HttpResponse.json(VALUATION)),
      http.post('*/api/inventory/valuation/preview', () =>
        HttpResponse.json({
          issueCosts: ['80.00'],
          totalCogs: '80.00',
          endingQty: '5',
          endingValue: '30.00',
          valueAfterEachMove: ['50.00', '110.00', '30.00'],
          layers: [{ qty: '5', unitCost: '6', value: '30.00' }],
          unvaluedQty: '0',
        }),
      ),
    );
    await renderInventory('/inventory/valuation?tab=preview');
    await vi.waitFor(() => expect(q('preview-run')).not.toBeNull());
    await typeInto('preview-move-qty-2', '15');
    await click('preview-run');
    await vi.waitFor(() => expect(text('preview-ending-value')).toBe('30.00'));
    const post = requests.find((r) => r.method === 'POST' && r.url.pathname === '/api/inventory/valuation/preview')!;
    expect(post.body).toEqual({
      method: 'fifo',
      system: 'perpetual',
      moves: [
        { type: 'in', qty: '10', unitCost: '5' },
        { type: 'in', qty: '10', unitCost: '6' },
        { type: 'out', qty: '15' },
      ],
    });
    expect(text('preview-total-cogs')).toBe('80.00');
    expect(text('preview-ending-qty')).toBe('5');
    expect(text('preview-issue-cost-2')).toBe('80.00');
    expect(text('preview-issue-cost-0')).toBe('');
    expect(q('preview-layers')!.querySelector('tbody')!.textContent).toContain('30.00');
  });

  it('shows why a move sequence cannot be valued, on the move at fault', async () => {
    const detail = 'move 2 issues 50 but only 20 are in stock (short by 30)';
    server.use(
      http.get('*/api/inventory/reports/valuation', () => HttpResponse.json(VALUATION)),
      http.post('*/api/inventory/valuation/preview', () =>
        problem(422, 'inventory/invalid-move-sequence', 'Invalid move sequence', detail, { moveIndex: 2, errors: [{ field: 'moves.2', message: detail }] }),
      ),
    );
    await renderInventory('/inventory/valuation?tab=preview');
    await vi.waitFor(() => expect(q('preview-run')).not.toBeNull());
    await typeInto('preview-move-qty-2', '50');
    await click('preview-run');
    await vi.waitFor(() => expect(text('preview-error')).toBe(detail));
    await vi.waitFor(() => expect(fieldError('preview-move-qty-2')).toBe(detail));
    expect(fieldError('preview-move-qty-0')).toBeUndefined();
    expect(q('preview-result')).toBeNull();
  });

  it('is not offered without the valuation permission', async () => {
    state.session = { ...state.session!, permissions: ['inventory.stock.read'] };
    const { router } = await renderInventory('/inventory/valuation');
    // The shell registers only the plugin routes a user may open: the page does not exist for them.
    await vi.waitFor(() => expect(router.currentRoute.value.name).toBe('not-found'));
    expect(requests.some((r) => r.url.pathname.startsWith('/api/inventory/reports'))).toBe(false);
    expect(q('nav-inventory-valuation')).toBeNull();
    expect(q('nav-inventory-stock')).not.toBeNull();
  });
});
