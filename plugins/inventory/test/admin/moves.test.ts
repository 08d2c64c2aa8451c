import { http, HttpResponse } from 'msw';
import type { Move } from '../../src/admin/types';
import { describe, expect, it, vi } from 'vitest';
import {
  BIN_ID,
  ITEM2_ID,
  ITEM_ID,
  MOVE_ID,
  bodyText,
  choose,
  click,
  coreItem,
  coreLocation,
  fieldError,
  pickRadio,
  problem,
  q,
  renderInventory,
  requests,
  scan,
  server,
  text,
  typeInto,
} from './harness';

const MATCHES: Record<string, { identifier: { id: string; type: string; value: string }; target: { type: string; id: string; label: string; href: string } }[]> = {
  'SKU-1001': [{ identifier: { id: 'i1', type: 'sku', value: 'SKU-1001' }, target: { type: 'core.item', id: ITEM_ID, label: 'Cordless drill', href: `/items/${ITEM_ID}` } }],
  'SKU-2002': [{ identifier: { id: 'i2', type: 'sku', value: 'SKU-2002' }, target: { type: 'core.item', id: ITEM2_ID, label: 'Wood screws 4x40', href: `/items/${ITEM2_ID}` } }],
  B304: [{ identifier: { id: 'i3', type: 'custom', value: 'B304' }, target: { type: 'core.location', id: BIN_ID, label: 'Main DC / Zone A / Bin 3-04', href: `/locations/${BIN_ID}` } }],
};

function catalogue() {
  server.use(
    http.get('*/api/core/identifiers/resolve', ({ request }) => {
      const value = new URL(request.url).searchParams.get('value') ?? '';
      return HttpResponse.json({ value, matches: MATCHES[value] ?? [], interpretations: [] });
    }),
    http.get('*/api/core/items/:id', ({ params }) => HttpResponse.json(coreItem(String(params.id)))),
    http.get('*/api/core/locations/:id', ({ params }) => HttpResponse.json(coreLocation(String(params.id)))),
    http.get('*/api/inventory/items/:id/settings', ({ params }) =>
      HttpResponse.json({
        itemId: params.id,
        baseUom: 'ea',
        valuationMethod: null,
        effectiveValuationMethod: 'fifo',
        standardCost: null,
        units: params.id === ITEM_ID ? [{ uom: 'box', factor: '12' }] : [],
        onHand: '0',
      }),
    ),
  );
}

const POSTED: Move = {
  id: MOVE_ID,
  number: '42',
  type: 'receipt',
  reference: 'PO-7',
  note: null,
  effectiveAt: '2026-11-23T09:00:00.000Z',
  postedAt: '2026-11-23T09:00:01.000Z',
  postedBy: 'Ada Admin',
  reversesMoveId: null,
  reversedByMoveId: null,
  backDated: false,
  lines: [
    {
      id: '101',
      lineNo: 1,
      itemId: ITEM_ID,
      itemName: 'Cordless drill',
      fromLocationId: null,
      fromLocation: null,
      toLocationId: BIN_ID,
      toLocation: 'Bin 3-04',
      lotId: null,
      lot: null,
      serialId: null,
      serial: null,
      qty: '30',
      uom: 'box',
      uomQty: '2.5',
      baseUom: 'ea',
      unitCost: '0.2583333333',
      amount: '7.75',
      reason: null,
      returnOfLineId: null,
      reversesLineId: null,
      reservationId: null,
    },
  ],
};

const posts = () => requests.filter((r) => r.method === 'POST' && r.url.pathname === '/api/inventory/moves');
const qtyInput = (i: number) => q(`move-line-qty-${i}`) as HTMLInputElement;

describe('new move form', () => {
  it('posts a receipt built by scanning: a location, then the same item twice, then the quantity and unit as entered', async () => {
    catalogue();
    server.use(
      http.post('*/api/inventory/moves', () => HttpResponse.json(POSTED, { status: 201 })),
      http.get(`*/api/inventory/moves/${MOVE_ID}`, () => HttpResponse.json(POSTED)),
    );
    const { router } = await renderInventory('/inventory/moves/new');
    await vi.waitFor(() => expect(q('move-form')).not.toBeNull());
    expect(q('move-type-receipt')!.className).toContain('is-active');

    await scan('B304');
    await vi.waitFor(() => expect(text('move-scan-last')).toBe('To Main DC / Zone A / Bin 3-04'));
    await scan('SKU-1001');
    await vi.waitFor(() => expect(text('move-scan-last')).toBe('Cordless drill: 1 ea'));
    await scan('SKU-1001');
    await vi.waitFor(() => expect(qtyInput(0).value).toBe('2'));
    // One line for the item, showing its name and the scanned bin; the page did not navigate away.
    expect(document.querySelectorAll('[data-testid="move-line"]')).toHaveLength(1);
    expect(text('move-line-item-0')).toContain('Cordless drill');
    expect(text('move-line-to-0')).toContain('Main DC / Zone A / Bin 3-04');
    expect(router.currentRoute.value.path).toBe('/inventory/moves/new');

    await typeInto('move-line-qty-0', '2.50');
    await choose('move-line-uom-0', 'box (= 12 ea)');
    await typeInto('move-line-unit-cost-0', '3.10');
    await typeInto('move-reference', 'PO-7');
    await click('move-submit');

    await vi.waitFor(() => expect(router.currentRoute.value.path).toBe(`/inventory/moves/${MOVE_ID}`));
    expect(posts()).toHaveLength(1);
    expect(posts()[0]!.headers.get('x-csrf-token')).toBe('csrf-123');
    expect(posts()[0]!.body).toEqual({
      type: 'receipt',
      reference: 'PO-7',
      lines: [{ itemId: ITEM_ID, qty: '2.50', uom: 'box', toLocationId: BIN_ID, unitCost: '3.10' }],
    });
    await vi.waitFor(() => expect(text('move-title')).toBe('Move 42'));
    expect(text('move-line-qty')).toBe('2.5 box (30 ea)');
    expect(text('move-line-amount')).toBe('7.75');
    expect(bodyText()).toContain('Move 42 posted');
  });

  it("shows a server field error next to the right line's field", async () => {
    catalogue();
    server.use(
      http.post('*/api/inventory/moves', () =>
        problem(400, 'validation', 'Invalid request', 'lines.1.toLocationId: the location is archived; stock cannot be put there', {
          errors: [{ field: 'lines.1.toLocationId', message: 'the location is archived; stock cannot be put there' }],
        }),
      ),
    );
    const { router } = await renderInventory('/inventory/moves/new');
    await vi.waitFor(() => expect(q('move-form')).not.toBeNull());
    await scan('B304');
    await scan('SKU-1001');
    await scan('SKU-2002');
    await vi.waitFor(() => expect(document.querySelectorAll('[data-testid="move-line"]')).toHaveLength(2));
    expect(text('move-line-to-1')).toContain('Bin 3-04');

    await click('move-submit');
    await vi.waitFor(() => expect(fieldError('move-line-to-1')).toBe('the location is archived; stock cannot be put there'));
    expect(fieldError('move-line-to-0')).toBeUndefined();
    expect(fieldError('move-line-qty-1')).toBeUndefined();
    expect(text('move-error')).toContain('check the highlighted fields');
    expect(posts()[0]!.body).toMatchObject({
      lines: [
        { itemId: ITEM_ID, qty: '1', uom: 'ea', toLocationId: BIN_ID },
        { itemId: ITEM2_ID, qty: '1', uom: 'ea', toLocationId: BIN_ID },
      ],
    });
    expect(router.currentRoute.value.path).toBe('/inventory/moves/new');
  });

  it('shows the detail of a 409 insufficient stock, on the form and on the short line', async () => {
    catalogue();
    const detail = 'Cordless drill at Bin 3-04: 5 requested, 2 available, short by 3';
    server.use(
      http.post('*/api/inventory/moves', () =>
        problem(409, 'inventory/insufficient-stock', 'Not enough stock', detail, {
          itemId: ITEM_ID,
          locationId: BIN_ID,
          lot: null,
          requested: '5',
          available: '2',
          shortfall: '3',
        }),
      ),
    );
    const { router } = await renderInventory('/inventory/moves/new?type=issue');
    await vi.waitFor(() => expect(q('move-form')).not.toBeNull());
    expect(q('move-type-issue')!.className).toContain('is-active');
    await scan('B304');
    await scan('SKU-1001');
    await vi.waitFor(() => expect(text('move-line-from-0')).toContain('Bin 3-04'));
    expect(q('move-line-to-0')).toBeNull();
    expect(q('move-line-unit-cost-0')).toBeNull();
    await typeInto('move-line-qty-0', '5');

    await click('move-submit');
    await vi.waitFor(() => expect(text('move-error')).toContain(detail));
    await vi.waitFor(() => expect(fieldError('move-line-qty-0')).toBe('2 available, short by 3'));
    expect(posts()[0]!.body).toEqual({ type: 'issue', lines: [{ itemId: ITEM_ID, qty: '5', uom: 'ea', fromLocationId: BIN_ID }] });
    expect(router.currentRoute.value.path).toBe('/inventory/moves/new');
  });

  it('prefills the first line from the URL (a scanned GS1 label): item, lot and expiry for a lot-tracked item', async () => {
    catalogue();
    server.use(
      http.get(`*/api/core/items/${ITEM_ID}`, () => HttpResponse.json(coreItem(ITEM_ID, { trackingMode: 'lot' }))),
      http.post('*/api/inventory/moves', () => HttpResponse.json(POSTED, { status: 201 })),
      http.get(`*/api/inventory/moves/${MOVE_ID}`, () => HttpResponse.json(POSTED)),
    );
    const { router } = await renderInventory(`/inventory/moves/new?type=receipt&itemId=${ITEM_ID}&lot=AB-123&expiresOn=2029-12-31`);
    await vi.waitFor(() => expect((q('move-line-lot-0') as HTMLInputElement | null)?.value).toBe('AB-123'));
    expect(q('move-type-receipt')!.className).toContain('is-active');
    expect(text('move-line-item-0')).toContain('Cordless drill');
    expect((q('move-line-expiry-0')!.querySelector('input') as HTMLInputElement).value).toBe('2029-12-31');
    await scan('B304');
    await typeInto('move-line-qty-0', '12');
    await click('move-submit');
    await vi.waitFor(() => expect(router.currentRoute.value.path).toBe(`/inventory/moves/${MOVE_ID}`));
    expect(posts()[0]!.body).toEqual({
      type: 'receipt',
      lines: [{ itemId: ITEM_ID, qty: '12', uom: 'ea', toLocationId: BIN_ID, lot: 'AB-123', expiresOn: '2029-12-31' }],
    });
  });

  it('prefills serials for a serialized item and ignores a lot it cannot take', async () => {
    catalogue();
    server.use(http.get(`*/api/core/items/${ITEM_ID}`, () => HttpResponse.json(coreItem(ITEM_ID, { trackingMode: 'serial' }))));
    await renderInventory(`/inventory/moves/new?itemId=${ITEM_ID}&lot=AB-123&serial=SN-1&serial=SN-2`);
    await vi.waitFor(() => expect((q('move-line-serials-0') as HTMLTextAreaElement | null)?.value).toBe('SN-1\nSN-2'));
    expect(qtyInput(0).value).toBe('2');
    expect(q('move-line-lot-0')).toBeNull();
  });

  it('switching the type to a transfer asks for both sides; the first scanned location is the source', async () => {
    catalogue();
    await renderInventory('/inventory/moves/new');
    await vi.waitFor(() => expect(q('move-form')).not.toBeNull());
    await pickRadio('move-type-transfer');
    await scan('SKU-2002');
    await scan('B304');
    await vi.waitFor(() => expect(text('move-line-from-0')).toContain('Bin 3-04'));
    expect(q('move-line-to-0')).not.toBeNull();
    await click('move-submit');
    await vi.waitFor(() => expect(fieldError('move-line-to-0')).toBe('Pick where it goes'));
    expect(posts()).toHaveLength(0);
  });
});

describe('move history and detail', () => {
  it('filters the history by the item from the URL and reverses a move after confirming', async () => {
    const reversal = { ...POSTED, id: '0196a1b2-0000-7000-8000-0000000000bb', number: '43', note: 'Reversal of move 42', reversesMoveId: MOVE_ID };
    let original = { ...POSTED };
    server.use(
      http.get('*/api/core/items/:id', ({ params }) => HttpResponse.json(coreItem(String(params.id)))),
      http.get('*/api/inventory/moves', ({ request }) =>
        HttpResponse.json({
          data: [{ id: MOVE_ID, number: '42', type: 'receipt', reference: 'PO-7', effectiveAt: POSTED.effectiveAt, postedAt: POSTED.postedAt, postedBy: 'Ada Admin', lineCount: 1, totalQty: '30', items: ['Cordless drill'], reversesMoveId: null, reversedByMoveId: null }],
          total: 1,
          limit: Number(new URL(request.url).searchParams.get('limit')),
          offset: 0,
        }),
      ),
      http.get(`*/api/inventory/moves/${MOVE_ID}`, () => HttpResponse.json(original)),
      http.get(`*/api/inventory/moves/${reversal.id}`, () => HttpResponse.json(reversal)),
      http.post(`*/api/inventory/moves/${MOVE_ID}/reverse`, () => {
        original = { ...original, reversedByMoveId: reversal.id };
        return HttpResponse.json(reversal, { status: 201 });
      }),
    );
    const { router } = await renderInventory(`/inventory/moves?itemId=${ITEM_ID}`);
    await vi.waitFor(() => expect(text('move-link')).toBe('42'));
    const list = requests.find((r) => r.url.pathname === '/api/inventory/moves')!;
    expect(Object.fromEntries(list.url.searchParams)).toEqual({ itemId: ITEM_ID, limit: '25', offset: '0' });
    await vi.waitFor(() => expect(text('moves-filter-item')).toContain('Cordless drill'));

    await click('move-link');
    await vi.waitFor(() => expect(text('move-title')).toBe('Move 42'));
    await vi.waitFor(() => expect(q('move-reverse')).not.toBeNull());
    await click('move-reverse');
    const confirm = [...document.querySelectorAll<HTMLButtonElement>('.el-message-box__btns button')].find((b) => b.textContent?.includes('Reverse'))!;
    expect(document.querySelector('.el-message-box')!.textContent).toContain('Reverse move 42');
    confirm.click();
    await vi.waitFor(() => expect(router.currentRoute.value.path).toBe(`/inventory/moves/${reversal.id}`));
    expect(requests.filter((r) => r.method === 'POST' && r.url.pathname.endsWith('/reverse'))).toHaveLength(1);
    await vi.waitFor(() => expect(text('move-title')).toBe('Move 43'));
    expect(text('move-original-link')).toBe('move 42');
    expect(q('move-reverse')).toBeNull();
  });
});
