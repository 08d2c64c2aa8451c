import { http, HttpResponse } from 'msw';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ASSET_ID, all, cells, maintenanceLookups, q, renderMaintenance, requests, server, text } from './harness';
import { PLAN_ID } from './planning.fixtures';

const SLOW = { timeout: 30_000 };

const counts = (c: Partial<Record<string, unknown>> = {}) => ({ total: 10, onTime: 8, late: 1, missed: 1, open: 0, upcoming: 0, cancelled: 0, compliance: '80.00', ...c });
const DASHBOARD = {
  asOf: '2026-11-20',
  workOrders: { open: 12, byStatus: { requested: 3, approved: 2, scheduled: 4, 'in-progress': 2, 'on-hold': 1 }, byPriority: { low: 1, medium: 6, high: 4, urgent: 1 }, overdue: 5, dueThisWeek: 7 },
  pmCompliance: { from: '2026-10-22', to: '2026-11-20', ...counts({ compliance: '87.50' }) },
  calibration: { instruments: 9, byStatus: { current: 5, dueSoon: 1, overdue: 2, never: 1 }, failed: 1 },
  reliability: { from: '2026-08-23', to: '2026-11-20', failures: 4, repaired: 3, mttrHours: '5.25', mtbfHours: '538.10' },
};

/** PM compliance per month: 70, 75 … 95 % from June to November. */
function complianceByMonth(from: string) {
  return `${40 + Number(from.slice(5, 7)) * 5}.00`;
}

describe('maintenance dashboard', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-11-20T12:00:00'));
  });
  afterEach(() => vi.useRealTimers());

  it('shows the numbers that need attention, linked to the work, with charts', SLOW, async () => {
    maintenanceLookups();
    server.use(
      http.get('*/api/maintenance/dashboard', () => HttpResponse.json(DASHBOARD)),
      http.get('*/api/maintenance/reports/pm-compliance', ({ request }) => {
        const p = new URL(request.url).searchParams;
        return HttpResponse.json({ from: p.get('from'), to: p.get('to'), asOf: '2026-11-20', graceDays: 3, totals: counts({ compliance: complianceByMonth(p.get('from')!) }), byCategory: [], byPlan: [] });
      }),
    );
    await renderMaintenance('/maintenance');
    await vi.waitFor(() => expect(text('dash-open-value')).toBe('12'));
    expect(q('nav-maintenance-dashboard')!.className).toContain('is-active');
    expect(text('dash-overdue-value')).toBe('5');
    expect(q('dash-overdue')!.className).toContain('bad');
    expect(q('dash-overdue')!.getAttribute('href')).toBe('/maintenance/work-orders?overdue=true&view=list');
    expect(text('dash-week-value')).toBe('7');
    expect(text('dash-cal-overdue-value')).toBe('2');
    expect(text('dash-cal-overdue')).toContain('1 due soon · 1 failed');
    expect(q('dash-cal-overdue')!.getAttribute('href')).toBe('/maintenance/calibration?status=overdue');
    expect(text('dash-compliance-value')).toBe('87.50 %');
    expect(text('dash-compliance')).toContain('8 on time · 1 late · 1 missed');
    expect(text('dash-mttr-value')).toBe('5.25 h');
    expect(text('dash-mtbf')).toBe('MTBF 538.10 h · 4 failures');

    // The charts carry their numbers (what a screen reader hears, and what shows without canvas).
    const label = (id: string) => q(id)!.querySelector('canvas')!.getAttribute('aria-label');
    expect(label('dash-chart-status')).toBe('Open work orders by status: Requested: 3; Approved: 2; Scheduled: 4; In progress: 2; On hold: 1');
    expect(label('dash-chart-priority')).toBe('Open work orders by priority: Low: 1; Medium: 6; High: 4; Urgent: 1');
    expect(label('dash-chart-calibration')).toBe('Instruments by calibration status: Current: 5; Due soon: 1; Overdue: 2; Never calibrated: 1');

    // Six months of PM compliance, one request per month, this one up to today.
    await vi.waitFor(() => expect(q('dash-chart-compliance')).not.toBeNull());
    const months = requests.filter((r) => r.url.pathname === '/api/maintenance/reports/pm-compliance').map((r) => `${r.url.searchParams.get('from')}..${r.url.searchParams.get('to')}`);
    expect(months).toEqual(['2026-06-01..2026-06-30', '2026-07-01..2026-07-31', '2026-08-01..2026-08-31', '2026-09-01..2026-09-30', '2026-10-01..2026-10-31', '2026-11-01..2026-11-20']);
    expect(label('dash-chart-compliance')).toContain('PM compliance (%): Jun 26 70.00, Jul 26 75.00, Aug 26 80.00, Sep 26 85.00, Oct 26 90.00, Nov 26 95.00');
  });

  it('says so when the figures cannot be loaded', SLOW, async () => {
    maintenanceLookups();
    server.use(
      http.get('*/api/maintenance/dashboard', () => HttpResponse.json({ type: 'x', title: 'Boom', status: 503, detail: 'The database is unavailable' }, { status: 503, headers: { 'content-type': 'application/problem+json' } })),
      http.get('*/api/maintenance/reports/pm-compliance', () => HttpResponse.json({}, { status: 503 })),
    );
    await renderMaintenance('/maintenance');
    await vi.waitFor(() => expect(text('dashboard-error')).toBe('The database is unavailable'));
    expect(q('dash-open-value')).toBeNull();
  });
});

describe('maintenance reports', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-11-20T12:00:00'));
  });
  afterEach(() => vi.useRealTimers());

  it('shows PM compliance per category and plan for the period, with the same report as CSV', SLOW, async () => {
    maintenanceLookups();
    server.use(
      http.get('*/api/maintenance/reports/pm-compliance', ({ request }) => {
        const p = new URL(request.url).searchParams;
        return HttpResponse.json({
          from: p.get('from'),
          to: p.get('to'),
          asOf: '2026-11-20',
          graceDays: 3,
          totals: counts(),
          byCategory: [
            { categoryId: 'c1', label: 'Compressors', ...counts({ total: 6, onTime: 6, late: 0, missed: 0, compliance: '100.00' }) },
            { categoryId: null, label: '(no category)', ...counts({ total: 4, onTime: 2, compliance: '50.00' }) },
          ],
          byPlan: [{ planId: PLAN_ID, code: 'PM-COMP-3M', label: 'Compressor quarterly service', ...counts() }],
        });
      }),
    );
    await renderMaintenance('/maintenance/reports');
    await vi.waitFor(() => expect(cells('report-compliance-label')).toEqual(['Compressors', '(no category)']));
    expect(cells('report-compliance-value')).toEqual(['100.00 %', '50.00 %']);
    expect(text('report-compliance-total')).toBe('80.00 %');
    const call = requests.find((r) => r.url.pathname === '/api/maintenance/reports/pm-compliance')!;
    expect(Object.fromEntries(call.url.searchParams)).toEqual({ from: '2026-08-23', to: '2026-11-20' });
    const csv = new URL(q('report-compliance-csv')!.getAttribute('href')!, 'http://x');
    expect(csv.pathname).toBe('/api/maintenance/reports/pm-compliance');
    expect(Object.fromEntries(csv.searchParams)).toEqual({ from: '2026-08-23', to: '2026-11-20', format: 'csv' });
    expect(q('report-compliance-csv')!.hasAttribute('download')).toBe(true);
  });

  it('shows cost per asset with totals per currency, and MTBF / MTTR', SLOW, async () => {
    maintenanceLookups();
    const money = { labour: '120.00', parts: '80.00', external: '0.00', calibration: '0.00', total: '200.00' };
    server.use(
      http.get('*/api/maintenance/reports/costs', ({ request }) => {
        const p = new URL(request.url).searchParams;
        return HttpResponse.json({
          from: p.get('from'),
          to: p.get('to'),
          total: 1,
          limit: Number(p.get('limit')),
          offset: 0,
          data: [{ assetId: ASSET_ID, tag: 'AST-2026-00001', name: 'Compressor 1', categoryId: null, currency: 'EUR', workOrders: 2, calibrations: 0, ...money }],
          totals: [{ currency: 'EUR', assets: 1, workOrders: 2, calibrations: 0, ...money }],
        });
      }),
      http.get('*/api/maintenance/reports/reliability', ({ request }) => {
        const p = new URL(request.url).searchParams;
        const figures = { failures: 2, repaired: 2, downtimeHours: '10.50', uptimeHours: '2149.50', mtbfHours: '1074.75', mttrHours: '5.25', availability: '99.51' };
        return HttpResponse.json({
          from: p.get('from'),
          to: p.get('to'),
          periodStart: '2026-08-23T00:00:00.000Z',
          periodEnd: '2026-11-20T12:00:00.000Z',
          periodHours: '2160.00',
          totals: { assets: 1, ...figures },
          byCategory: [],
          assets: [{ assetId: ASSET_ID, tag: 'AST-2026-00001', name: 'Compressor 1', categoryId: null, ...figures }],
        });
      }),
    );
    await renderMaintenance('/maintenance/reports?tab=costs');
    await vi.waitFor(() => expect(cells('report-costs-value')).toEqual(['200.00 EUR']));
    expect(cells('report-costs-total')[0]).toContain('200.00 EUR over 1 assets');
    const costCall = requests.find((r) => r.url.pathname === '/api/maintenance/reports/costs')!;
    expect(costCall.url.searchParams.get('from')).toBe('2026-01-01');
    expect(new URL(q('report-costs-csv')!.getAttribute('href')!, 'http://x').searchParams.get('format')).toBe('csv');
    expect(requests.some((r) => r.url.pathname.includes('pm-compliance'))).toBe(false);

    document.querySelector<HTMLElement>('#tab-reliability')!.click();
    await vi.waitFor(() => expect(text('report-reliability-mttr')).toBe('5.25 h'));
    expect(text('report-reliability-mtbf')).toBe('1074.75 h');
    expect(cells('report-reliability-asset')).toEqual(['AST-2026-00001']);
    expect(all('report-reliability-asset-mttr').map((e) => e.textContent)).toEqual(['5.25 h']);
  });
});
