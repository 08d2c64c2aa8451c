import { http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import {
  ADMIN_SESSION,
  ASSET2_ID,
  LOC_ID,
  ROOM_ID,
  SUBCAT_ID,
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
  state,
  text,
  typeInto,
} from './harness';

const ITEM_ID = '0196a1b2-0000-7000-8000-0000000f0001';
const ITEM = { id: ITEM_ID, name: 'Barcode scanner', unitOfMeasure: 'pcs', identifiers: [] };
/** A clerk who may register assets and post inventory moves (no `*`). */
const CLERK = ['fixed-assets.asset.read', 'fixed-assets.asset.write', 'inventory.moves.post', 'inventory.stock.read'];

const stockRequests = () => requests.filter((r) => r.method === 'GET' && r.url.pathname === '/api/inventory/stock');
const posts = () => requests.filter((r) => r.method === 'POST' && r.url.pathname === '/api/fixed-assets/assets/from-stock');

/** Lookups, an empty register, one catalogue item, and 3 of it (1 reserved) at HQ. */
function handlers() {
  coreLookups();
  server.use(
    http.get('*/api/fixed-assets/assets', ({ request }) => paged([], request.url)),
    http.get('*/api/core/items', ({ request }) => paged([ITEM], request.url)),
    http.get(`*/api/core/items/${ITEM_ID}`, () => HttpResponse.json(ITEM)),
    http.get('*/api/inventory/stock', ({ request }) =>
      paged(
        [{ itemId: ITEM_ID, itemName: ITEM.name, uom: 'pcs', locationId: null, location: null, lotId: null, lot: null, expiresOn: null, lotBlocked: null, onHand: '3', reserved: '1', available: '2' }],
        request.url,
      ),
    ),
  );
}

async function openAndPick() {
  await vi.waitFor(() => expect(q('assets-from-stock')).not.toBeNull());
  await click('assets-from-stock');
  expect(q('from-stock-dialog')).not.toBeNull();
  await choose('from-stock-item', 'Barcode scanner');
  await choose('from-stock-location', 'HQ (HQ)');
}

describe('receive from stock', () => {
  it('is hidden unless the inventory plugin is enabled and the user may post its moves', async () => {
    handlers();
    await renderFixedAssets('/fixed-assets/assets');
    await vi.waitFor(() => expect(q('assets-new')).not.toBeNull());
    expect(q('assets-from-stock')).toBeNull();
    expect(requests.some((r) => r.url.pathname === '/api/core/platform')).toBe(true);
  });

  it('is hidden with inventory enabled when the user lacks inventory.moves.post', async () => {
    handlers();
    state.session = { ...ADMIN_SESSION, permissions: ['fixed-assets.asset.read', 'fixed-assets.asset.write'] };
    await renderFixedAssets('/fixed-assets/assets', { alsoEnabled: ['inventory'] });
    await vi.waitFor(() => expect(q('assets-new')).not.toBeNull());
    expect(q('assets-from-stock')).toBeNull();
  });

  it('shows what is available where the unit is taken from, posts it and opens the new asset', async () => {
    handlers();
    state.session = { ...ADMIN_SESSION, permissions: CLERK };
    server.use(
      http.post('*/api/fixed-assets/assets/from-stock', () => HttpResponse.json(makeAsset(7, { id: ASSET2_ID, name: 'Barcode scanner' }), { status: 201 })),
      http.get(`*/api/fixed-assets/assets/${ASSET2_ID}`, () => HttpResponse.json({ ...makeAsset(2, { categoryId: null, category: null }), children: [] })),
      http.get(`*/api/fixed-assets/assets/${ASSET2_ID}/custody`, ({ request }) => paged([], request.url)),
    );
    const { router } = await renderFixedAssets('/fixed-assets/assets', { alsoEnabled: ['inventory'] });
    await openAndPick();

    await vi.waitFor(() => expect(text('from-stock-available')).toBe('2 pcs available (3 on hand, 1 reserved)'));
    const asked = stockRequests().at(-1)!.url.searchParams;
    expect(Object.fromEntries(asked)).toEqual({ groupBy: 'item', itemId: ITEM_ID, locationId: LOC_ID });

    await typeInto('from-stock-lot', 'L-42');
    await typeInto('from-stock-serial', 'SC-7');
    await choose('from-stock-destination', 'Room 101 (R101)');
    await choose('from-stock-category', 'Laptops');
    await click('from-stock-save');
    await vi.waitFor(() => expect(router.currentRoute.value.path).toBe(`/fixed-assets/assets/${ASSET2_ID}`));
    expect(posts()).toHaveLength(1);
    expect(posts()[0]!.body).toEqual({ itemId: ITEM_ID, fromLocationId: LOC_ID, lot: 'L-42', serial: 'SC-7', locationId: ROOM_ID, categoryId: SUBCAT_ID });
  });

  it('says when nothing is available, and shows the detail of a 409 insufficient stock', async () => {
    handlers();
    server.use(
      http.get('*/api/inventory/stock', ({ request }) => paged([], request.url)),
      http.post('*/api/fixed-assets/assets/from-stock', () =>
        problem(409, 'inventory/insufficient-stock', 'Not enough stock', 'Barcode scanner at HQ: 1 requested, 0 available, short by 1', { requested: '1', available: '0', shortfall: '1' }),
      ),
    );
    const { router } = await renderFixedAssets('/fixed-assets/assets', { alsoEnabled: ['inventory'] });
    await openAndPick();
    await vi.waitFor(() => expect(text('from-stock-available')).toBe('None available here'));

    await click('from-stock-save');
    await vi.waitFor(() => expect(text('from-stock-error')).toContain('Barcode scanner at HQ: 1 requested, 0 available, short by 1'));
    expect(posts()[0]!.body).toEqual({ itemId: ITEM_ID, fromLocationId: LOC_ID });
    expect(router.currentRoute.value.path).toBe('/fixed-assets/assets');
    expect(q('from-stock-dialog')).not.toBeNull();
  });

  it('asks for the item and the stock location before sending anything', async () => {
    handlers();
    await renderFixedAssets('/fixed-assets/assets', { alsoEnabled: ['inventory'] });
    await vi.waitFor(() => expect(q('assets-from-stock')).not.toBeNull());
    await click('assets-from-stock');
    await click('from-stock-save');
    expect(text('from-stock-error')).toContain('Check the highlighted fields');
    expect(posts()).toHaveLength(0);
  });
});
