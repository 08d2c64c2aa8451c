import { http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import {
  ADMIN_SESSION,
  ASSET2_ID,
  ASSET_ID,
  PERSON_ID,
  ROOM_ID,
  SUBCAT_ID,
  all,
  cells,
  choose,
  click,
  confirmBox,
  coreLookups,
  fieldError,
  makeAsset,
  paged,
  problem,
  q,
  renderFixedAssets,
  requests,
  server,
  typeInto,
} from './harness';

const ASSETS = [
  makeAsset(1, {
    status: 'checked-out',
    custody: {
      id: 'c1',
      assetId: ASSET_ID,
      tag: 'AST-2026-00001',
      assetName: 'ThinkPad T14',
      bookingId: null,
      holder: { type: 'person', id: PERSON_ID, label: 'Pat Field' },
      checkedOutAt: '2026-11-01T10:00:00.000Z',
      checkedOutBy: 'Ada Admin',
      expectedReturnAt: '2026-11-10T10:00:00.000Z',
      conditionOut: null,
      noteOut: null,
      checkedInAt: null,
      checkedInBy: null,
      conditionIn: null,
      noteIn: null,
      outcome: null,
      overdue: true,
    },
  }),
  makeAsset(2, { custodian: { type: 'user', id: 'u-admin', label: 'Ada Admin' }, acquisitionCost: null }),
];

const listRequests = () => requests.filter((r) => r.method === 'GET' && r.url.pathname === '/api/fixed-assets/assets');
const lastQuery = () => {
  const p = listRequests().at(-1)!.url.searchParams;
  const out: Record<string, string | string[]> = {};
  for (const k of new Set(p.keys())) out[k] = p.getAll(k).length > 1 ? p.getAll(k) : p.get(k)!;
  return out;
};

describe('asset list', () => {
  it('asks with the filters of the URL (several statuses repeated) and shows tag, place, status, holder, overdue and cost', async () => {
    coreLookups();
    server.use(http.get('*/api/fixed-assets/assets', ({ request }) => paged(ASSETS, request.url)));
    await renderFixedAssets(`/fixed-assets/assets?q=think&status=in-service&status=checked-out&locationId=${ROOM_ID}&overdue=true`);
    await vi.waitFor(() => expect(cells('asset-link')).toEqual(['AST-2026-00001', 'AST-2026-00002']));
    expect(lastQuery()).toEqual({ q: 'think', status: ['in-service', 'checked-out'], locationId: ROOM_ID, overdue: 'true', limit: '25', offset: '0' });
    expect(cells('asset-row-name')).toEqual(['ThinkPad T14', 'Asset 2']);
    expect(cells('asset-row-category')).toEqual(['IT / Laptops', 'IT / Laptops']);
    expect(cells('asset-row-location')).toEqual(['HQ / Room 101', 'HQ / Room 101']);
    expect(cells('asset-row-status')).toEqual(['Checked out', 'In service']);
    expect(cells('asset-row-holder')).toEqual(['Pat Field', 'Ada Admin']);
    expect(all('asset-row-overdue')).toHaveLength(1);
    expect(cells('asset-row-cost')).toEqual(['1200.00 EUR', '—']);
    // The pickers show what the URL chose.
    expect(q('assets-filter-location')!.textContent).toContain('Room 101');
    expect(q('assets-filter-status')!.textContent).toContain('In service');
    expect(q('nav-fixed-assets-assets')!.className).toContain('is-active');
  });

  it('keeps the filters in the URL, saves them under a name, and brings them back from the saved list', async () => {
    coreLookups();
    localStorage.clear();
    server.use(http.get('*/api/fixed-assets/assets', ({ request }) => paged(ASSETS, request.url)));
    const { router } = await renderFixedAssets('/fixed-assets/assets');
    await vi.waitFor(() => expect(cells('asset-link')).toHaveLength(2));
    expect(lastQuery()).toEqual({ limit: '25', offset: '0' });

    await typeInto('assets-search', 'laptop');
    await choose('assets-filter-status', 'Checked out');
    await vi.waitFor(() => expect(lastQuery()).toEqual({ q: 'laptop', status: 'checked-out', limit: '25', offset: '0' }));
    await choose('assets-filter-overdue', 'Overdue only');
    await vi.waitFor(() => expect(router.currentRoute.value.query).toEqual({ q: 'laptop', status: ['checked-out'], overdue: 'true' }));
    expect(lastQuery()).toEqual({ q: 'laptop', status: 'checked-out', overdue: 'true', limit: '25', offset: '0' });

    // Save under a name: stored for this user.
    await click('assets-save-filter');
    const input = document.querySelector<HTMLInputElement>('.el-message-box__input input')!;
    input.value = 'Late laptops';
    input.dispatchEvent(new Event('input', { bubbles: true }));
    await confirmBox();
    await vi.waitFor(() => expect(localStorage.getItem(`qm.fixed-assets.asset-filters.${ADMIN_SESSION.user.id}`)).not.toBeNull());
    expect(JSON.parse(localStorage.getItem(`qm.fixed-assets.asset-filters.${ADMIN_SESSION.user.id}`)!)).toEqual([
      { name: 'Late laptops', query: { q: 'laptop', status: ['checked-out'], overdue: 'true' } },
    ]);

    // Clear, then pick the saved set: the same view comes back, in the URL too.
    await click('assets-clear');
    await vi.waitFor(() => expect(router.currentRoute.value.query).toEqual({}));
    expect(lastQuery()).toEqual({ limit: '25', offset: '0' });
    await choose('assets-saved-filter', 'Late laptops');
    await vi.waitFor(() => expect(router.currentRoute.value.query).toEqual({ q: 'laptop', status: ['checked-out'], overdue: 'true' }));
    expect(lastQuery()).toEqual({ q: 'laptop', status: 'checked-out', overdue: 'true', limit: '25', offset: '0' });
    expect((q('assets-search') as HTMLInputElement).value).toBe('laptop');

    // Delete it.
    await click('assets-delete-filter');
    await confirmBox();
    await vi.waitFor(() => expect(JSON.parse(localStorage.getItem(`qm.fixed-assets.asset-filters.${ADMIN_SESSION.user.id}`)!)).toEqual([]));
    expect(q('assets-delete-filter')).toBeNull();
  });

  it('registers an asset with the custom fields of its category and shows server validation errors under their fields', async () => {
    coreLookups();
    let attempt = 0;
    server.use(
      http.get('*/api/fixed-assets/assets', ({ request }) => paged([], request.url)),
      http.get(`*/api/fixed-assets/categories/${SUBCAT_ID}/settings`, () =>
        HttpResponse.json({
          categoryId: SUBCAT_ID,
          path: 'IT / Laptops',
          tagCode: 'LAP',
          tagPattern: null,
          fields: [{ key: 'ram', label: 'RAM (GB)', type: 'integer', required: true, min: 4 }],
          effective: {
            tagPattern: 'AST-{YYYY}-{#####}',
            tagCode: 'LAP',
            fields: [
              { key: 'ram', label: 'RAM (GB)', type: 'integer', required: true, min: 4 },
              { key: 'os', label: 'Operating system', type: 'select', options: ['Linux', 'Windows'] },
            ],
          },
        }),
      ),
      http.post('*/api/fixed-assets/assets', () => {
        attempt += 1;
        if (attempt === 1)
          return problem(400, 'validation', 'Invalid request', 'customFields.ram: must be at least 4; acquisitionCost: must not be negative', {
            errors: [
              { field: 'customFields.ram', message: 'must be at least 4' },
              { field: 'acquisitionCost', message: 'must not be negative' },
            ],
          });
        return HttpResponse.json(makeAsset(7, { id: ASSET2_ID }), { status: 201 });
      }),
      http.get(`*/api/fixed-assets/assets/${ASSET2_ID}`, () => HttpResponse.json({ ...makeAsset(2), children: [] })),
      http.get(`*/api/fixed-assets/assets/${ASSET2_ID}/custody`, ({ request }) => paged([], request.url)),
    );
    const { router } = await renderFixedAssets('/fixed-assets/assets');
    await vi.waitFor(() => expect(q('assets-new')).not.toBeNull());
    await click('assets-new');
    await typeInto('asset-name', 'Dell XPS 13');
    await choose('asset-category', 'Laptops');
    // The category's fields (its own and inherited) appear.
    await vi.waitFor(() => expect(q('asset-field-ram')).not.toBeNull());
    expect(q('asset-field-os')).not.toBeNull();

    // Required custom field left blank: asked for before anything is sent.
    await click('asset-save');
    await vi.waitFor(() => expect(fieldError('asset-field-ram')).toBe('is required'));
    expect(requests.filter((r) => r.method === 'POST')).toHaveLength(0);

    await typeInto('asset-field-ram', '2');
    await choose('asset-field-os', 'Linux');
    await typeInto('asset-cost', '-5');
    await click('asset-save');
    await vi.waitFor(() => expect(fieldError('asset-field-ram')).toBe('must be at least 4'));
    await vi.waitFor(() => expect(fieldError('asset-cost')).toBe('must not be negative'));
    expect(fieldError('asset-name')).toBeUndefined();
    const posts = () => requests.filter((r) => r.method === 'POST' && r.url.pathname === '/api/fixed-assets/assets');
    expect(posts()[0]!.body).toMatchObject({ name: 'Dell XPS 13', categoryId: SUBCAT_ID, acquisitionCost: '-5', currency: 'EUR', status: 'in-service', customFields: { ram: 2, os: 'Linux' } });

    await typeInto('asset-field-ram', '16');
    await typeInto('asset-cost', '1499.00');
    await click('asset-save');
    await vi.waitFor(() => expect(router.currentRoute.value.path).toBe(`/fixed-assets/assets/${ASSET2_ID}`));
    expect(posts()[1]!.body).toMatchObject({ customFields: { ram: 16, os: 'Linux' }, acquisitionCost: '1499.00' });
  });
});

