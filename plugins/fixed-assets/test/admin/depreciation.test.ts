import { http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { lastEndedPeriod, periodContaining, periodsAround, todayIso } from '../../src/admin/accounting-periods';
import type { DepreciationRun, RunPreview } from '../../src/admin/accounting-types';
import { ASSET_ID, SUBCAT_ID, CATEGORIES, all, choose, click, confirmBox, fieldError, problem, q, renderFixedAssets, requests, server, text, typeInto } from './harness';

const SLOW = { timeout: 30_000 };
const RUN_ID = '0196a1b2-0000-7000-8000-0000000f0001';
const BOOKS = [
  { code: 'book', name: 'Financial', periodFrequency: 'month', fiscalYearStart: '01-01' },
  { code: 'tax', name: 'Tax', periodFrequency: 'year', fiscalYearStart: '07-01' },
];

function run(patch: Partial<DepreciationRun> = {}): DepreciationRun {
  return {
    id: RUN_ID,
    book: 'book',
    periodStart: '2026-10-01',
    periodEnd: '2026-10-31',
    status: 'running',
    assetsTotal: 4,
    assetsDone: 0,
    totalAmount: '0.00',
    journalEntryId: null,
    startedBy: 'Ada Admin',
    startedAt: '2026-11-23T10:00:00.000Z',
    finishedAt: null,
    error: null,
    ...patch,
  };
}

function previewOf(periodEnd: string, patch: Partial<RunPreview> = {}): RunPreview {
  return {
    book: 'book',
    periodStart: periodEnd.slice(0, 8) + '01',
    periodEnd,
    assets: 4,
    totalAmount: '412.50',
    alreadyPosted: false,
    byCategory: [
      { categoryId: SUBCAT_ID, amount: '400.00', expenseAccount: '6800', accumulatedAccount: '1590' },
      { categoryId: null, amount: '12.50', expenseAccount: '6800', accumulatedAccount: '1590' },
    ],
    lines: [{ assetId: ASSET_ID, tag: 'AST-2026-00001', name: 'ThinkPad T14', amount: '100.00', accumulated: '1000.00', bookValue: '200.00' }],
    ...patch,
  };
}

/** Books, categories, and the book's (empty unless given) runs and closed periods. */
function lookups(o: { runs?: DepreciationRun[]; closed?: { book: string; periodStart: string; periodEnd: string; closedAt: string; closedBy: string }[] } = {}) {
  server.use(
    http.get('*/api/fixed-assets/books', () => HttpResponse.json(BOOKS)),
    http.get('*/api/core/categories', () => HttpResponse.json(CATEGORIES)),
    http.get('*/api/fixed-assets/depreciation/runs', () => HttpResponse.json(o.runs ?? [])),
    http.get('*/api/fixed-assets/periods', () => HttpResponse.json(o.closed ?? [])),
  );
}

const selected = (id: string) => q(id)!.querySelector('.el-select__placeholder')?.textContent ?? '';
const posts = (path: string) => requests.filter((r) => r.method === 'POST' && r.url.pathname === path);

describe('fiscal periods', () => {
  it('counts months and fiscal years the way the server does', () => {
    expect(periodContaining({ periodFrequency: 'month', fiscalYearStart: '01-01' }, '2026-02-14')).toMatchObject({ start: '2026-02-01', end: '2026-02-28', label: 'Feb 2026' });
    expect(periodContaining({ periodFrequency: 'month', fiscalYearStart: '04-15' }, '2026-03-10')).toMatchObject({ start: '2026-02-15', end: '2026-03-14' });
    expect(periodContaining({ periodFrequency: 'year', fiscalYearStart: '07-01' }, '2026-03-10')).toMatchObject({ start: '2025-07-01', end: '2026-06-30', label: 'FY 2025/26' });
    expect(periodContaining({ periodFrequency: 'year', fiscalYearStart: '01-01' }, '2024-12-31')).toMatchObject({ start: '2024-01-01', end: '2024-12-31', label: '2024' });
    expect(lastEndedPeriod({ periodFrequency: 'month', fiscalYearStart: '01-01' }, '2026-11-23').end).toBe('2026-10-31');
    expect(lastEndedPeriod({ periodFrequency: 'month', fiscalYearStart: '01-01' }, '2026-11-30').end).toBe('2026-11-30');
    const list = periodsAround({ periodFrequency: 'month', fiscalYearStart: '01-01' }, '2026-01-10', 2, 1);
    expect(list.map((p) => p.end)).toEqual(['2026-02-28', '2026-01-31', '2025-12-31', '2025-11-30']);
  });
});

describe('depreciation run wizard', () => {
  it('previews a period, posts it, follows the run to completion and closes the period', SLOW, async () => {
    const period = lastEndedPeriod(BOOKS[0] as never, todayIso());
    let polls = 0;
    let closedNow = false;
    lookups();
    server.use(
      http.get('*/api/fixed-assets/periods', () => HttpResponse.json(closedNow ? [{ book: 'book', periodStart: period.start, periodEnd: period.end, closedAt: '2026-11-23T11:00:00.000Z', closedBy: 'Ada Admin' }] : [])),
      http.post('*/api/fixed-assets/depreciation/runs/preview', async ({ request }) => {
        const b = (await request.json()) as { periodEnd: string };
        return HttpResponse.json(previewOf(b.periodEnd));
      }),
      http.post('*/api/fixed-assets/depreciation/runs', () => HttpResponse.json({ ...run({ periodStart: period.start, periodEnd: period.end }), created: true }, { status: 202 })),
      http.get(`*/api/fixed-assets/depreciation/runs/${RUN_ID}`, () => {
        polls++;
        return HttpResponse.json(
          polls < 2
            ? run({ periodStart: period.start, periodEnd: period.end, assetsDone: 2 })
            : run({ periodStart: period.start, periodEnd: period.end, assetsDone: 4, status: 'completed', totalAmount: '412.50', journalEntryId: '77', finishedAt: '2026-11-23T10:00:05.000Z' }),
        );
      }),
      http.post('*/api/fixed-assets/periods/close', async ({ request }) => {
        const b = (await request.json()) as { book: string; periodEnd: string };
        closedNow = true;
        return HttpResponse.json({ book: b.book, periodStart: period.start, periodEnd: b.periodEnd, closedBy: 'Ada Admin' });
      }),
    );
    await renderFixedAssets('/fixed-assets/depreciation');
    await vi.waitFor(() => expect(text('dep-book-info')).toContain('Monthly periods'));
    expect(q('nav-fixed-assets-depreciation')).not.toBeNull();
    // Defaults: the first book and its last ended period.
    expect(selected('dep-period')).toContain(`${period.start} – ${period.end}`);

    await click('dep-preview');
    await vi.waitFor(() => expect(q('dep-step-preview')).not.toBeNull());
    expect(posts('/api/fixed-assets/depreciation/runs/preview')[0]!.body).toEqual({ book: 'book', periodEnd: period.end });
    expect(text('dep-preview-total')).toBe('412.50');
    expect(text('dep-preview-assets')).toBe('4');
    expect(all('dep-preview-category').map((e) => e.textContent)).toEqual(['IT / Laptops', 'No category']);
    expect(all('dep-preview-line-tag').map((e) => e.textContent)).toEqual(['AST-2026-00001']);
    expect(all('dep-warning')).toHaveLength(0);

    await click('dep-post');
    await vi.waitFor(() => expect(q('dep-step-run')).not.toBeNull());
    expect(posts('/api/fixed-assets/depreciation/runs')[0]!.body).toEqual({ book: 'book', periodEnd: period.end });
    expect(text('dep-run-status')).toBe('running');
    expect(q('dep-run-idempotent')).toBeNull();
    await vi.waitFor(() => expect(text('dep-run-count')).toBe('2 of 4 assets'), { timeout: 5000 });
    expect(q('dep-run-progress')!.dataset.percent).toBe('50');
    await vi.waitFor(() => expect(text('dep-run-status')).toBe('completed'), { timeout: 5000 });
    expect(text('dep-run-count')).toBe('4 of 4 assets');
    expect(text('dep-run-total')).toBe('412.50');
    expect(q('dep-run-journal')!.getAttribute('href')).toBe(`/fixed-assets/depreciation/journal?book=book&from=${period.end}&to=${period.end}`);
    expect(q('dep-run-history')!.getAttribute('href')).toBe('/fixed-assets/depreciation/runs?book=book');

    await click('dep-close-period');
    await confirmBox();
    await vi.waitFor(() => expect(posts('/api/fixed-assets/periods/close')).toHaveLength(1));
    expect(posts('/api/fixed-assets/periods/close')[0]!.body).toEqual({ book: 'book', periodEnd: period.end });
    await vi.waitFor(() => expect(text('dep-close-period')).toBe('Period closed'));
    expect((q('dep-close-period') as HTMLButtonElement).disabled).toBe(true);
  });

  it('says so when the period was already posted (posting is idempotent)', SLOW, async () => {
    const done = run({ periodStart: '2026-10-01', periodEnd: '2026-10-31', status: 'completed', assetsDone: 4, totalAmount: '412.50', journalEntryId: '77', finishedAt: '2026-11-01T08:00:00.000Z', startedBy: 'Bob Books' });
    lookups({ runs: [done] });
    server.use(
      http.post('*/api/fixed-assets/depreciation/runs/preview', () => HttpResponse.json(previewOf('2026-10-31', { alreadyPosted: true, totalAmount: '0.00', byCategory: [], lines: [] }))),
      http.post('*/api/fixed-assets/depreciation/runs', () => HttpResponse.json({ ...done, created: false }, { status: 200 })),
    );
    await renderFixedAssets('/fixed-assets/depreciation?book=book&periodEnd=2026-10-31');
    await vi.waitFor(() => expect(q('dep-book-info')).not.toBeNull());
    await click('dep-preview');
    await vi.waitFor(() => expect(all('dep-warning').map((w) => w.dataset.kind)).toContain('already-posted'));
    expect(text('dep-post')).toBe('Show the posted run');
    await click('dep-post');
    await vi.waitFor(() => expect(q('dep-run-idempotent')).not.toBeNull());
    expect(text('dep-run-idempotent')).toContain('Already posted');
    expect(text('dep-run-idempotent')).toContain('Bob Books');
    expect(text('dep-run-idempotent')).toContain('Nothing was posted again');
    expect(text('dep-run-status')).toBe('completed');
    // Nothing to follow: no progress request was made.
    expect(requests.some((r) => r.url.pathname === `/api/fixed-assets/depreciation/runs/${RUN_ID}`)).toBe(false);
  });

  it('warns about a closed period and does not offer to post it', SLOW, async () => {
    lookups({ closed: [{ book: 'book', periodStart: '2026-10-01', periodEnd: '2026-10-31', closedAt: '2026-11-02T00:00:00.000Z', closedBy: 'Ada Admin' }] });
    server.use(http.post('*/api/fixed-assets/depreciation/runs/preview', () => HttpResponse.json(previewOf('2026-09-30', { periodStart: '2026-09-01' }))));
    await renderFixedAssets('/fixed-assets/depreciation?book=book&periodEnd=2026-09-30');
    await vi.waitFor(() => expect(q('dep-book-info')).not.toBeNull());
    await click('dep-preview');
    await vi.waitFor(() => expect(q('dep-step-preview')).not.toBeNull());
    const closed = all('dep-warning').find((w) => w.dataset.kind === 'closed');
    expect(closed?.textContent).toContain('closed through 2026-10-31');
    expect((q('dep-post') as HTMLButtonElement).disabled).toBe(true);
  });

  it('shows a yearly book in fiscal years and the server refusing a period', SLOW, async () => {
    lookups();
    server.use(http.post('*/api/fixed-assets/depreciation/runs/preview', () => problem(409, 'fixed-assets/period-closed', 'Period closed', 'The tax book\'s period ending 2026-06-30 is closed; nothing more can be posted into it')));
    await renderFixedAssets('/fixed-assets/depreciation');
    await vi.waitFor(() => expect(q('dep-book-info')).not.toBeNull());
    await choose('dep-book', { testid: 'dep-book-option-tax' });
    await vi.waitFor(() => expect(text('dep-book-info')).toContain('Yearly periods'));
    const year = lastEndedPeriod(BOOKS[1] as never, todayIso());
    expect(selected('dep-period')).toContain(year.label);
    await click('dep-preview');
    await vi.waitFor(() => expect(text('dep-preview-error')).toContain('is closed'));
    expect(q('dep-step-preview')).toBeNull();
  });
});

describe('what-if calculator', () => {
  it('computes a schedule on the server and shows the server naming a bad field', SLOW, async () => {
    server.use(
      http.post('*/api/fixed-assets/depreciation/preview', async ({ request }) => {
        const b = (await request.json()) as { salvageValue?: string };
        if (b.salvageValue === '20000') {
          return HttpResponse.json(
            { type: 'fixed-assets/invalid-depreciation', title: 'Depreciation parameters make no sense', status: 422, detail: 'salvageValue: must not exceed cost', errors: [{ field: 'salvageValue', message: 'must not exceed cost' }] },
            { status: 422, headers: { 'content-type': 'application/problem+json' } },
          );
        }
        return HttpResponse.json({
          schedule: [
            { period: 1, periodStart: '2026-01-01', periodEnd: '2026-12-31', amount: '1800.00', accumulated: '1800.00', bookValue: '8200.00' },
            { period: 2, periodStart: '2027-01-01', periodEnd: '2027-12-31', amount: '1800.00', accumulated: '3600.00', bookValue: '6400.00' },
          ],
        });
      }),
    );
    await renderFixedAssets('/fixed-assets/depreciation/calculator');
    await vi.waitFor(() => expect(q('calc-run')).not.toBeNull());
    await typeInto('calc-cost', '10000');
    await typeInto('calc-life', '5');
    await click('calc-run');
    await vi.waitFor(() => expect(all('calc-amount')).toHaveLength(2));
    const body = posts('/api/fixed-assets/depreciation/preview')[0]!.body as Record<string, unknown>;
    expect(body).toMatchObject({ method: 'straight-line', cost: '10000', salvageValue: '1000', usefulLifeYears: '5', periodFrequency: 'year', fiscalYearStart: '01-01' });
    expect(text('calc-total')).toBe('3600.00');
    expect(text('calc-end-value')).toBe('6400.00');

    await typeInto('calc-salvage', '20000');
    await click('calc-run');
    await vi.waitFor(() => expect(fieldError('calc-salvage')).toBe('must not exceed cost'));

    await choose('calc-method', { testid: 'calc-method-macrs' });
    expect(q('calc-life')).toBeNull();
    expect(q('calc-recovery')).not.toBeNull();
  });
});
