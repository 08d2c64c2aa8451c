import { http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import type { ImportJob } from '../../src/admin/types';
import { BIN_ID, ITEM_ID, all, click, pickRadio, problem, q, renderInventory, requests, server, state, text } from './harness';

const SLOW = { timeout: 30_000 };
const JOB_ID = '0196a1b2-0000-7000-8000-0000000001f1';
const CSV = 'sku,location,qty,unit_cost\r\nSKU-1001,B304,5,10.00\r\nSKU-404,B304,1,2.00\r\nSKU-1001,NOWHERE,x,1\r\n';

function job(patch: Partial<ImportJob> = {}): ImportJob {
  return {
    id: JOB_ID,
    number: '4',
    kind: 'opening-balances',
    status: 'done',
    dryRun: true,
    skipInvalidRows: false,
    asOf: null,
    fileName: 'opening.csv',
    background: false,
    progress: { phase: 'validating', processed: 3, total: 3 },
    counts: { total: 3, valid: 1, invalid: 2, imported: 0, created: 0, updated: 0, unchanged: 0, errors: 3 },
    moveIds: [],
    detail: null,
    createdBy: 'Ada Admin',
    createdAt: '2026-11-23T10:00:00.000Z',
    startedAt: '2026-11-23T10:00:00.000Z',
    finishedAt: '2026-11-23T10:00:01.000Z',
    errors: [
      { row: 3, column: 'sku', message: 'no item has the SKU "SKU-404"', value: 'SKU-404' },
      { row: 4, column: 'location', message: 'no location has the code or path "NOWHERE"', value: 'NOWHERE' },
      { row: 4, column: 'qty', message: 'is not a number', value: 'x' },
    ],
    errorsStored: 3,
    errorsTruncated: false,
    ...patch,
  };
}

async function pickFile(content: string, name: string) {
  const input = q('import-file') as HTMLInputElement;
  Object.defineProperty(input, 'files', { value: [new File([content], name, { type: 'text/csv' })], configurable: true });
  input.dispatchEvent(new Event('change', { bubbles: true }));
  await vi.waitFor(() => expect(text('import-file-name')).toBe(name));
}

describe('CSV import', () => {
  it('reads a picked file, dry-runs it into a row-by-row report, then imports in the background with progress', SLOW, async () => {
    let polls = 0;
    server.use(
      http.get('*/api/inventory/imports', () => HttpResponse.json({ data: [], total: 0, limit: 10, offset: 0 })),
      http.post('*/api/inventory/imports', async ({ request }) => {
        const body = (await request.json()) as { dryRun?: boolean };
        // As the server answers: invalid rows without skipInvalidRows fail the run, writing nothing.
        if (body.dryRun) return HttpResponse.json(job({ status: 'failed', detail: '2 of 3 rows are invalid; nothing was imported (dry run)' }), { status: 201 });
        return HttpResponse.json(
          job({ number: '5', dryRun: false, skipInvalidRows: true, status: 'importing', background: true, progress: { phase: 'importing', processed: 0, total: 3 }, errors: [], counts: { ...job().counts, errors: 0 } }),
          { status: 202 },
        );
      }),
      http.get(`*/api/inventory/imports/${JOB_ID}`, () => {
        polls++;
        return HttpResponse.json(
          polls < 2
            ? job({ number: '5', dryRun: false, skipInvalidRows: true, status: 'importing', background: true, progress: { phase: 'importing', processed: 1, total: 2 } })
            : job({ number: '5', dryRun: false, skipInvalidRows: true, status: 'done', background: true, moveIds: ['0196a1b2-0000-7000-8000-0000000001a9'], counts: { ...job().counts, imported: 1, created: 1 } }),
        );
      }),
    );
    await renderInventory('/inventory/import');
    await vi.waitFor(() => expect(q('import-kind')).not.toBeNull());
    expect(q('nav-inventory-import')).not.toBeNull();
    await pickRadio('import-kind-opening-balances');
    expect(text('import-columns')).toContain('sku, location, qty, unit_cost');
    await pickFile(CSV, 'opening.csv');
    expect((q('import-csv') as HTMLTextAreaElement).value).toBe(CSV);
    expect(text('import-row-count')).toBe('3 rows');

    await click('import-dry-run');
    await vi.waitFor(() => expect(all('import-error-row').map((e) => e.textContent)).toEqual(['3', '4', '4']));
    const posts = () => requests.filter((r) => r.method === 'POST' && r.url.pathname === '/api/inventory/imports');
    expect(posts()[0]!.body).toEqual({ kind: 'opening-balances', csv: CSV, dryRun: true, fileName: 'opening.csv' });
    expect(text('import-status')).toBe('dry run · failed');
    expect(text('import-detail')).toBe('2 of 3 rows are invalid; nothing was imported (dry run)');
    expect(text('import-count-invalid')).toBe('2');
    expect(all('import-error-message')[0]!.textContent).toBe('no item has the SKU "SKU-404"');
    expect(q('import-errors-csv')!.getAttribute('href')).toBe(`/api/inventory/imports/${JOB_ID}/errors.csv`);

    (q('import-skip-invalid')!.querySelector('input') as HTMLInputElement).click();
    await click('import-run');
    await vi.waitFor(() => expect(q('import-progress')).not.toBeNull());
    expect(posts()[1]!.body).toEqual({ kind: 'opening-balances', csv: CSV, skipInvalidRows: true, fileName: 'opening.csv' });
    expect(text('import-status')).toBe('importing');
    await vi.waitFor(() => expect(q('import-progress')!.dataset.percent).toBe('50'), { timeout: 5000 });
    await vi.waitFor(() => expect(text('import-status')).toBe('done'), { timeout: 5000 });
    expect(q('import-progress')).toBeNull();
    expect(text('import-count-imported')).toBe('1');
    expect(q('import-move-link')!.getAttribute('href')).toBe('/inventory/moves/0196a1b2-0000-7000-8000-0000000001a9');
  });

  it('shows why a file is not usable CSV', SLOW, async () => {
    server.use(
      http.get('*/api/inventory/imports', () => HttpResponse.json({ data: [], total: 0, limit: 10, offset: 0 })),
      http.post('*/api/inventory/imports', () => problem(422, 'inventory/invalid-csv', 'Not a usable CSV file', 'Unknown column "colour"; expected sku, name, …')),
    );
    await renderInventory('/inventory/import');
    await vi.waitFor(() => expect(q('import-csv')).not.toBeNull());
    const area = q('import-csv') as HTMLTextAreaElement;
    area.value = 'sku;colour\nA;red';
    area.dispatchEvent(new Event('input', { bubbles: true }));
    await click('import-dry-run');
    await vi.waitFor(() => expect(text('import-error')).toBe('Unknown column "colour"; expected sku, name, …'));
    expect(q('import-result')).toBeNull();
  });

  it('is not offered without the import permission', SLOW, async () => {
    state.session = { ...state.session!, permissions: ['inventory.stock.read'] };
    const { router } = await renderInventory('/inventory/import');
    await vi.waitFor(() => expect(router.currentRoute.value.name).toBe('not-found'));
    expect(q('nav-inventory-import')).toBeNull();
    expect(q('nav-inventory-reports')).not.toBeNull();
  });
});

describe('inventory reports', () => {
  it('shows turnover, slow-moving and dead stock, and stock-outs', SLOW, async () => {
    server.use(
      http.get('*/api/inventory/reports/turnover', ({ request }) => {
        const u = new URL(request.url).searchParams;
        return HttpResponse.json({
          from: u.get('from'),
          to: u.get('to'),
          days: 91,
          totals: { cogs: '910.00', openingValue: '400.00', closingValue: '600.00', averageValue: '500.00', turnover: '1.82' },
          rows: [{ itemId: ITEM_ID, itemName: 'Cordless drill', sku: 'SKU-1001', uom: 'ea', cogs: '910.00', openingValue: '400.00', closingValue: '600.00', averageValue: '500.00', turnover: '1.82', issuedQty: '91', averageDailyIssued: '1', onHand: '12', daysOfCover: '12.0' }],
        });
      }),
      http.get('*/api/inventory/reports/slow-moving', () =>
        HttpResponse.json({
          data: [{ itemId: ITEM_ID, itemName: 'Cordless drill', sku: 'SKU-1001', uom: 'ea', onHand: '3', value: '150.00', lastIssueAt: null, daysSinceLastIssue: null, lastMovementAt: '2026-01-01T00:00:00.000Z', daysSinceLastMovement: 326, dead: true }],
          total: 1,
          limit: 25,
          offset: 0,
          days: 90,
          deadDays: 365,
          dead: 1,
          totalValue: '150.00',
        }),
      ),
      http.get('*/api/inventory/reports/stock-outs', () =>
        HttpResponse.json({
          from: '2026-10-24',
          to: '2026-11-23',
          totals: { stockOuts: 2, totalHours: '30.50', currentlyOut: 1 },
          rows: [{ itemId: ITEM_ID, itemName: 'Cordless drill', sku: 'SKU-1001', locationId: BIN_ID, location: 'Bin 3-04', stockOuts: 2, totalHours: '30.50', currentlyOut: true, outSince: '2026-11-22T10:00:00.000Z', currentHours: '24.00', lastOccurredAt: '2026-11-22T10:00:00.000Z' }],
        }),
      ),
    );
    await renderInventory('/inventory/reports');
    await vi.waitFor(() => expect(text('turnover-total')).toBe('1.82'));
    const tq = Object.fromEntries(requests.find((r) => r.url.pathname === '/api/inventory/reports/turnover')!.url.searchParams);
    expect(Object.keys(tq).sort()).toEqual(['from', 'to']);
    expect(text('turnover-cover')).toBe('12.0');

    (document.querySelector('#tab-slow-moving') as HTMLElement).click();
    await vi.waitFor(() => expect(text('slow-item')).toBe('Cordless drill'));
    expect(text('slow-dead')).toBe('dead');
    expect(text('slow-last-issue')).toBe('never');
    expect(text('slow-summary')).toBe('1 slow-moving item, 1 dead, worth 150.00');
    const sq = Object.fromEntries(requests.find((r) => r.url.pathname === '/api/inventory/reports/slow-moving')!.url.searchParams);
    expect(sq).toEqual({ days: '90', deadDays: '365', limit: '25', offset: '0' });

    (document.querySelector('#tab-stock-outs') as HTMLElement).click();
    await vi.waitFor(() => expect(text('stockouts-total')).toBe('2'));
    expect(text('stockouts-hours')).toBe('30.50');
    expect(text('stockouts-out-now')).toBe('out');
  });

  it('opens on slow-moving stock, without turnover, for those who may not see costs', SLOW, async () => {
    state.session = { ...state.session!, permissions: ['inventory.stock.read'] };
    server.use(http.get('*/api/inventory/reports/slow-moving', () => HttpResponse.json({ data: [], total: 0, limit: 25, offset: 0, days: 90, deadDays: 365, dead: 0 })));
    await renderInventory('/inventory/reports');
    await vi.waitFor(() => expect(q('slow-table')).not.toBeNull());
    expect(document.querySelector('#tab-turnover')).toBeNull();
    expect(requests.some((r) => r.url.pathname.endsWith('/reports/turnover'))).toBe(false);
  });
});
