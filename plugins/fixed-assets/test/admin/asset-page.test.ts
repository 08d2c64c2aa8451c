import { http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import {
  ASSET_ID,
  CHILD_ID,
  PERSON_ID,
  SUBCAT_ID,
  all,
  cells,
  choose,
  click,
  coreLookups,
  makeAsset,
  paged,
  problem,
  q,
  renderFixedAssets,
  requests,
  server,
  settle,
  text,
} from './harness';

const DETAIL = {
  ...makeAsset(1, { customFields: { ram: 32, docked: true }, childCount: 1 }),
  children: [{ id: CHILD_ID, tag: 'AST-2026-00099', name: 'Docking station', status: 'in-service' }],
};

const BOOKS = [
  { code: 'book', name: 'Corporate book', periodFrequency: 'year', fiscalYearStart: '01-01' },
  { code: 'tax', name: 'Tax book', periodFrequency: 'year', fiscalYearStart: '01-01' },
];
const assetBook = (book: string, patch: Record<string, unknown> = {}) => ({
  assetId: ASSET_ID,
  book,
  method: 'straight-line',
  costBasis: '1200.00',
  salvageValue: '0.00',
  usefulLifeYears: '3',
  recoveryPeriodYears: null,
  factor: null,
  rate: null,
  switchToStraightLine: false,
  convention: 'full-year',
  placedInService: '2026-01-15',
  totalUnits: null,
  unitsByPeriod: [],
  openingAccumulated: '0.00',
  postedAccumulated: '400.00',
  postedThrough: '2026-12-31',
  netBookValue: '800.00',
  ...patch,
});
const SCHEDULES: Record<string, unknown[]> = {
  book: [
    { period: 1, periodStart: '2026-01-01', periodEnd: '2026-12-31', amount: '400.00', accumulated: '400.00', bookValue: '800.00', posted: '400.00' },
    { period: 2, periodStart: '2027-01-01', periodEnd: '2027-12-31', amount: '400.00', accumulated: '800.00', bookValue: '400.00', posted: null },
    { period: 3, periodStart: '2028-01-01', periodEnd: '2028-12-31', amount: '400.00', accumulated: '1200.00', bookValue: '0.00', posted: null },
  ],
  tax: [
    { period: 1, periodStart: '2026-01-01', periodEnd: '2026-12-31', amount: '240.00', accumulated: '240.00', bookValue: '960.00', posted: null },
    { period: 2, periodStart: '2027-01-01', periodEnd: '2027-12-31', amount: '384.00', accumulated: '624.00', bookValue: '576.00', posted: null },
  ],
};

function assetHandlers(detail: Record<string, unknown> = DETAIL) {
  coreLookups();
  server.use(
    http.get(`*/api/fixed-assets/assets/${ASSET_ID}`, () => HttpResponse.json(detail)),
    http.get(`*/api/fixed-assets/categories/${SUBCAT_ID}/settings`, () =>
      HttpResponse.json({
        categoryId: SUBCAT_ID,
        path: 'IT / Laptops',
        tagCode: null,
        tagPattern: null,
        fields: [],
        effective: {
          tagPattern: 'AST-{YYYY}-{#####}',
          tagCode: null,
          fields: [
            { key: 'ram', label: 'RAM (GB)', type: 'integer', required: true },
            { key: 'docked', label: 'Docked', type: 'boolean' },
          ],
        },
      }),
    ),
    http.get(`*/api/fixed-assets/assets/${ASSET_ID}/custody`, ({ request }) => paged([], request.url)),
    http.get(`*/api/fixed-assets/assets/${ASSET_ID}/history`, ({ request }) =>
      paged(
        [
          { id: '2', type: 'placed-in-service', fromStatus: 'received', toStatus: 'in-service', reason: 'Unboxed', data: {}, actorId: null, actor: 'Ada Admin', occurredAt: '2026-01-16T09:00:00.000Z' },
          { id: '1', type: 'created', fromStatus: null, toStatus: 'received', reason: null, data: {}, actorId: null, actor: 'Ada Admin', occurredAt: '2026-01-15T10:00:00.000Z' },
        ],
        request.url,
      ),
    ),
    http.get('*/api/fixed-assets/books', () => HttpResponse.json(BOOKS)),
    http.get(`*/api/fixed-assets/assets/${ASSET_ID}/books`, () => HttpResponse.json([assetBook('book'), assetBook('tax', { method: 'macrs', usefulLifeYears: null, recoveryPeriodYears: 5, convention: 'half-year', postedAccumulated: '0.00', postedThrough: null, netBookValue: '1200.00' })])),
    http.get(`*/api/fixed-assets/assets/${ASSET_ID}/books/:book/schedule`, ({ params }) => HttpResponse.json({ book: params.book, schedule: SCHEDULES[String(params.book)] })),
  );
}

const tabButton = (name: string) => document.querySelector<HTMLElement>(`#tab-${name}`)!;

describe('asset page', () => {
  it('shows the register data with its custom fields, the actions the lifecycle allows, and the history', async () => {
    assetHandlers();
    await renderFixedAssets(`/fixed-assets/assets/${ASSET_ID}`);
    await vi.waitFor(() => expect(text('asset-title')).toBe('AST-2026-00001 · ThinkPad T14'));
    expect(text('asset-status')).toBe('In service');
    expect(text('asset-location')).toBe('HQ / Room 101');
    await vi.waitFor(() => expect(q('asset-details')!.textContent).toContain('RAM (GB)'));
    expect(text('asset-custom-ram')).toBe('32');
    expect(text('asset-custom-docked')).toBe('Yes');
    // From in service: check out, and the plain transitions of the state machine.
    await vi.waitFor(() => expect(q('asset-check-out')).not.toBeNull());
    expect(q('asset-check-in')).toBeNull();
    expect(
      all('asset-actions')[0]!
        .querySelectorAll('[data-testid^="asset-transition-"]')
        .length,
    ).toBe(3);
    expect(q('asset-transition-start-maintenance')).not.toBeNull();
    expect(q('asset-transition-dispatch')).not.toBeNull();
    expect(q('asset-transition-retire')).not.toBeNull();
    expect(q('asset-transition-receive')).toBeNull();
    // Written off as lost or stolen from here: the disposal dialog is offered.
    expect(q('asset-dispose')).not.toBeNull();

    tabButton('history').click();
    await vi.waitFor(() => expect(all('history-event')).toHaveLength(2));
    expect(all('history-event')[0]!.textContent).toContain('placed in service');
    expect(all('history-event')[0]!.textContent).toContain('Received → In service');
    expect(all('history-event')[0]!.textContent).toContain('Unboxed');

    tabButton('components').click();
    await settle();
    expect(cells('component-link')).toEqual(['AST-2026-00099']);
  });

  it('renders the schedule table and the chart of each book', async () => {
    assetHandlers();
    await renderFixedAssets(`/fixed-assets/assets/${ASSET_ID}`);
    await vi.waitFor(() => expect(text('asset-title')).not.toBeNull());
    tabButton('depreciation').click();
    await vi.waitFor(() => expect(q('asset-book-schedule-tax')).not.toBeNull());

    const corporate = q('asset-book-book')!;
    expect(corporate.querySelector('[data-testid="asset-book-name"]')!.textContent).toBe('Corporate book');
    expect(all('schedule-end', corporate).map((e) => e.textContent)).toEqual(['2026-12-31', '2027-12-31', '2028-12-31']);
    expect(all('schedule-accumulated', corporate).map((e) => e.textContent)).toEqual(['400.00', '800.00', '1200.00']);
    expect(all('schedule-book-value', corporate).map((e) => e.textContent)).toEqual(['800.00', '400.00', '0.00']);
    expect(all('schedule-posted', corporate).map((e) => e.textContent)).toEqual(['400.00']);
    expect(corporate.querySelector('[data-testid="asset-book-nbv"]')!.textContent).toBe('800.00');
    // Posted into: its parameters are locked.
    expect(corporate.querySelector<HTMLButtonElement>('[data-testid="asset-book-edit"]')!.disabled).toBe(true);

    const tax = q('asset-book-tax')!;
    expect(all('schedule-amount', tax).map((e) => e.textContent)).toEqual(['240.00', '384.00']);
    expect(tax.textContent).toContain('5-year MACRS');

    // One chart per book, with both series named (and readable without a canvas).
    const chart = (code: string) => q(`asset-book-chart-${code}`)!.querySelector('canvas')!.getAttribute('aria-label')!;
    expect(chart('book')).toContain('Accumulated depreciation: 2026-12-31 400.00, 2027-12-31 800.00, 2028-12-31 1200.00');
    expect(chart('book')).toContain('Book value: 2026-12-31 800.00, 2027-12-31 400.00, 2028-12-31 0.00');
    expect(chart('tax')).toContain('Book value: 2026-12-31 960.00, 2027-12-31 576.00');
  });

  it('changes a book: sends only what the method uses, and shows a 422 under the field it names', async () => {
    assetHandlers();
    server.use(
      http.put(`*/api/fixed-assets/assets/${ASSET_ID}/books/tax`, () =>
        problem(422, 'fixed-assets/invalid-depreciation', 'Depreciation parameters make no sense', 'usefulLifeYears: must be at most 100', {
          field: 'usefulLifeYears',
          errors: [{ field: 'usefulLifeYears', message: 'must be at most 100' }],
        }),
      ),
    );
    await renderFixedAssets(`/fixed-assets/assets/${ASSET_ID}`);
    await vi.waitFor(() => expect(text('asset-title')).not.toBeNull());
    tabButton('depreciation').click();
    await vi.waitFor(() => expect(q('asset-book-schedule-tax')).not.toBeNull());
    q('asset-book-tax')!.querySelector<HTMLButtonElement>('[data-testid="asset-book-edit"]')!.click();
    await settle();
    expect(q('book-recovery-period')).not.toBeNull();
    await choose('book-method', 'Straight-line');
    expect(q('book-recovery-period')).toBeNull();
    const life = q('book-life') as HTMLInputElement;
    life.value = '250';
    life.dispatchEvent(new Event('input', { bubbles: true }));
    await settle(2);
    await click('book-save');
    const puts = () => requests.filter((r) => r.method === 'PUT');
    await vi.waitFor(() => expect(puts()).toHaveLength(1));
    expect(puts()[0]!.body).toEqual({ method: 'straight-line', placedInService: '2026-01-15', costBasis: '1200.00', usefulLifeYears: '250', convention: 'half-year' });
    await vi.waitFor(() => expect(q('book-life')!.closest('.el-form-item')!.querySelector('.el-form-item__error')?.textContent?.trim()).toBe('must be at most 100'));
  });

  it('checks the asset out to a person with the expected return, then shows it checked out', async () => {
    assetHandlers();
    let current: Record<string, unknown> = DETAIL;
    server.use(
      http.get(`*/api/fixed-assets/assets/${ASSET_ID}`, () => HttpResponse.json(current)),
      http.get(`*/api/fixed-assets/persons/${PERSON_ID}`, () => HttpResponse.json({ id: PERSON_ID, name: 'Pat Field' })),
      http.post(`*/api/fixed-assets/assets/${ASSET_ID}/check-out`, () => {
        const custody = { id: 'c1', assetId: ASSET_ID, tag: 'AST-2026-00001', assetName: 'ThinkPad T14', bookingId: null, holder: { type: 'person', id: PERSON_ID, label: 'Pat Field' }, checkedOutAt: '2026-11-23T10:00:00.000Z', checkedOutBy: 'Ada Admin', expectedReturnAt: '2099-01-31T17:00:00.000Z', conditionOut: 'good', noteOut: 'For the site visit', checkedInAt: null, checkedInBy: null, conditionIn: null, noteIn: null, outcome: null, overdue: false };
        current = { ...DETAIL, status: 'checked-out', custody };
        return HttpResponse.json({ asset: current, custody }, { status: 201 });
      }),
    );
    await renderFixedAssets(`/fixed-assets/assets/${ASSET_ID}`);
    await vi.waitFor(() => expect(q('asset-check-out')).not.toBeNull());
    await click('asset-check-out');
    await choose('check-out-holder-person', 'Pat Field');
    const when = document.querySelector<HTMLInputElement>('[data-testid="check-out-expected"] input')!;
    when.value = '2099-01-31 18:00';
    when.dispatchEvent(new Event('input', { bubbles: true }));
    when.dispatchEvent(new Event('change', { bubbles: true }));
    await settle();
    const note = q('check-out-note') as HTMLTextAreaElement;
    note.value = 'For the site visit';
    note.dispatchEvent(new Event('input', { bubbles: true }));
    await settle(2);
    await click('check-out-save');
    const posts = () => requests.filter((r) => r.method === 'POST' && r.url.pathname.endsWith('/check-out'));
    await vi.waitFor(() => expect(posts()).toHaveLength(1));
    expect(posts()[0]!.body).toEqual({ to: 'person', personId: PERSON_ID, expectedReturnAt: new Date('2099-01-31T18:00:00').toISOString(), condition: 'good', note: 'For the site visit' });
    await vi.waitFor(() => expect(text('asset-status')).toBe('Checked out'));
    expect(text('asset-custody-now')).toContain('Checked out to Pat Field');
    expect(q('asset-check-in')).not.toBeNull();
    expect(q('asset-check-out')).toBeNull();
  });
});
