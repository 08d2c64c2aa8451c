import { http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { ADMIN_SESSION, ASSET_ID, PERSON_ID, SUBCAT_ID, all, click, coreLookups, q, renderFixedAssets, requests, server, state, text } from './harness';

const SLOW = { timeout: 30_000 };
const BOOKS = [
  { code: 'financial', name: 'Financial', periodFrequency: 'month', fiscalYearStart: '01-01' },
  { code: 'tax', name: 'Tax', periodFrequency: 'year', fiscalYearStart: '01-01' },
];
const figures = { assets: 2, cost: '2400.00', revaluation: '0.00', accumulatedDepreciation: '600.00', impairment: '0.00', netBookValue: '1800.00' };

function reportHandlers() {
  coreLookups();
  server.use(
    http.get('*/api/fixed-assets/books', () => HttpResponse.json(BOOKS)),
    http.get('*/api/fixed-assets/reports/net-book-value', ({ request }) => {
      const u = new URL(request.url).searchParams;
      return HttpResponse.json({
        asOf: u.get('asOf'),
        book: u.get('book'),
        groupBy: u.get('groupBy'),
        groups: [
          { id: SUBCAT_ID, label: 'IT / Laptops', currency: 'EUR', ...figures },
          { id: null, label: '(no category)', currency: 'EUR', ...figures, assets: 1, cost: '100.00', accumulatedDepreciation: '100.00', netBookValue: '0.00' },
        ],
        totals: [{ currency: 'EUR', ...figures, assets: 3, cost: '2500.00', accumulatedDepreciation: '700.00', netBookValue: '1800.00' }],
      });
    }),
    http.get('*/api/fixed-assets/reports/disposals', ({ request }) => {
      const u = new URL(request.url).searchParams;
      const row = { category: 'IT / Laptops', kind: 'sold', book: 'financial', currency: 'EUR' };
      return HttpResponse.json({
        from: u.get('from'),
        to: u.get('to'),
        rows: [
          { ...row, assetId: ASSET_ID, tag: 'AST-2026-00001', name: 'ThinkPad T14', disposedOn: '2026-11-02', cost: '1200.00', accumulated: '400.00', netBookValue: '800.00', proceeds: '500.00', costsOfDisposal: '50.00', gainOrLoss: '-350.00' },
          { ...row, assetId: ASSET_ID, tag: 'AST-2026-00002', name: 'Dock', disposedOn: '2026-11-03', cost: '300.00', accumulated: '300.00', netBookValue: '0.00', proceeds: '80.00', costsOfDisposal: '0.00', gainOrLoss: '80.00' },
        ],
        totals: [{ book: 'financial', currency: 'EUR', assets: 2, cost: '1500.00', accumulated: '700.00', netBookValue: '800.00', proceeds: '580.00', costsOfDisposal: '50.00', gainOrLoss: '-270.00' }],
      });
    }),
    http.get('*/api/fixed-assets/reports/custody', () =>
      HttpResponse.json({
        asOf: '2026-11-23T10:00:00.000Z',
        total: 1,
        limit: 25,
        offset: 0,
        custodies: 2,
        overdue: 1,
        data: [
          {
            holder: { type: 'person', id: PERSON_ID, label: 'Pat Field' },
            count: 2,
            overdue: 1,
            custodies: [],
          },
        ],
      }),
    ),
  );
}

describe('asset reports', () => {
  it('shows net book value with totals and links the same report as CSV', SLOW, async () => {
    reportHandlers();
    await renderFixedAssets('/fixed-assets/reports');
    await vi.waitFor(() => expect(all('report-nbv-label').map((e) => e.textContent)).toEqual(['IT / Laptops', '(no category)']));
    expect(q('nav-fixed-assets-reports')).not.toBeNull();
    const call = requests.find((r) => r.url.pathname === '/api/fixed-assets/reports/net-book-value')!;
    expect(call.url.searchParams.get('book')).toBe('financial');
    expect(call.url.searchParams.get('groupBy')).toBe('category');
    expect(all('report-nbv-value').map((e) => e.textContent)).toEqual(['1800.00', '0.00']);
    expect(text('report-nbv-total')).toBe('1800.00');
    const csv = new URL(q('report-nbv-csv')!.getAttribute('href')!, 'http://x');
    expect(csv.pathname).toBe('/api/fixed-assets/reports/net-book-value');
    expect(csv.searchParams.get('format')).toBe('csv');
    expect(csv.searchParams.get('book')).toBe('financial');
    expect(csv.searchParams.get('asOf')).toBe(call.url.searchParams.get('asOf'));
    expect(q('report-nbv-csv')!.hasAttribute('download')).toBe(true);
  });

  it('shows disposals with their gain or loss in colour', SLOW, async () => {
    reportHandlers();
    await renderFixedAssets('/fixed-assets/reports?tab=disposals');
    await vi.waitFor(() => expect(all('report-disposals-gain-loss')).toHaveLength(2));
    const [loss, gain] = all('report-disposals-gain-loss');
    expect(loss!.textContent).toBe('-350.00 EUR');
    expect(loss!.classList.contains('qm-fa-loss')).toBe(true);
    expect(gain!.classList.contains('qm-fa-gain')).toBe(true);
    expect(text('report-disposals-total')).toBe('-270.00 EUR');
    expect(all('report-disposals-kind').map((e) => e.textContent)).toEqual(['Sold', 'Sold']);
    const csv = new URL(q('report-disposals-csv')!.getAttribute('href')!, 'http://x');
    expect(csv.searchParams.get('format')).toBe('csv');
    expect(csv.searchParams.get('from')).toMatch(/^\d{4}-01-01$/);
    expect(csv.searchParams.get('book')).toBeNull();
  });

  it('opens on who has what for users who may not see the books', SLOW, async () => {
    state.session = { ...ADMIN_SESSION, permissions: ['fixed-assets.asset.read'] };
    reportHandlers();
    await renderFixedAssets('/fixed-assets/reports?tab=nbv');
    await vi.waitFor(() => expect(text('report-custody-holder')).toBe('Pat Field'));
    expect(text('report-custody-summary')).toBe('2 assets out with 1 holders · 1 overdue');
    expect(q('#tab-nbv')).toBeNull();
    expect(requests.some((r) => r.url.pathname.includes('net-book-value'))).toBe(false);
    expect(new URL(q('report-custody-csv')!.getAttribute('href')!, 'http://x').search).toBe('?format=csv');
    await click('report-custody-refresh');
  });
});
