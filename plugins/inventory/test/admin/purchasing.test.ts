import { http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import type { PurchaseOrder, SupplierItem } from '../../src/admin/types';
import {
  BIN_ID,
  DOCK_ID,
  ITEM2_ID,
  ITEM_ID,
  all,
  choose,
  click,
  confirmBox,
  coreItem,
  coreLocation,
  fieldError,
  problem,
  q,
  renderInventory,
  requests,
  server,
  state,
  text,
  typeInto,
} from './harness';

const SLOW = { timeout: 30_000 };

const SUPPLIER_ID = '0196a1b2-0000-7000-8000-00000000501a';
const PO_ID = '0196a1b2-0000-7000-8000-0000000000c1';
const RULE1 = '0196a1b2-0000-7000-8000-0000000000e1';
const RULE2 = '0196a1b2-0000-7000-8000-0000000000e2';
const RULE3 = '0196a1b2-0000-7000-8000-0000000000e3';
const RECEIPT_ID = '0196a1b2-0000-7000-8000-0000000000d1';
const LEVEL_ID = '0196a1b2-0000-7000-8000-000000000004';

const SUPPLIER = { id: SUPPLIER_ID, name: 'Acme Tools', code: 'ACME', email: 'orders@acme.test', phone: null, currency: 'EUR', leadTimeDays: 7, notes: null, archived: false, items: 2 };

const suggestion = (ruleId: string, itemId: string, itemName: string, patch: Record<string, unknown> = {}) => ({
  ruleId,
  itemId,
  itemName,
  uom: 'ea',
  locationId: BIN_ID,
  location: 'Bin 3-04',
  onHand: '4',
  reserved: '1',
  onOrder: '0',
  position: '3',
  reorderPoint: '5',
  safetyStock: '2',
  qty: '24',
  purchaseQty: '2',
  purchaseUom: 'box',
  supplierId: SUPPLIER_ID,
  supplier: 'Acme Tools',
  unitPrice: '30',
  reason: 'position 3 ≤ reorder point 5: order 24 (EOQ 20, raised to the order multiple of 12)',
  ...patch,
});

const rowCheckbox = (tableId: string, row: number) =>
  q(tableId)!.querySelectorAll('tbody tr')[row]!.querySelector<HTMLInputElement>('.el-checkbox input')!;

describe('replenishment suggestions', () => {
  it('lists what to order and why, and turns the selected suggestions into draft purchase orders', SLOW, async () => {
    server.use(
      http.get('*/api/inventory/replenishment/suggestions', () =>
        HttpResponse.json({
          suggestions: [
            suggestion(RULE1, ITEM_ID, 'Cordless drill'),
            suggestion(RULE2, ITEM2_ID, 'Wood screws 4x40', { supplierId: null, supplier: null, unitPrice: null, purchaseQty: null, purchaseUom: null, qty: '500', reason: 'position 40 ≤ min 100: order up to max 540' }),
          ],
          skipped: [{ ruleId: RULE3, itemName: 'Hex keys', reason: 'the rule needs an order quantity (fixed, EOQ costs, or a max level)' }],
        }),
      ),
      http.post('*/api/inventory/replenishment/purchase-orders', () =>
        HttpResponse.json(
          { purchaseOrders: [{ id: PO_ID, number: '31', supplierId: SUPPLIER_ID, lines: 1 }], skipped: [{ ruleId: RULE2, itemName: 'Wood screws 4x40', reason: 'no supplier: set one on the rule or mark a preferred supplier for the item' }] },
          { status: 201 },
        ),
      ),
    );
    await renderInventory('/inventory/replenishment');
    await vi.waitFor(() => expect(all('suggestion-item').map((e) => e.textContent)).toEqual(['Cordless drill', 'Wood screws 4x40']));
    expect(q('nav-inventory-replenishment')).not.toBeNull();
    expect(all('suggestion-reason')[0]!.textContent).toBe('position 3 ≤ reorder point 5: order 24 (EOQ 20, raised to the order multiple of 12)');
    expect(all('suggestion-qty').map((e) => e.textContent)).toEqual(['24', '500']);
    expect(all('suggestion-purchase').map((e) => e.textContent)).toEqual(['2 box', '—']);
    expect(all('suggestion-position').map((e) => e.textContent)).toEqual(['3', '3']);
    expect(text('suggestion-no-supplier')).toBe('no supplier');
    expect(text('suggestions-skipped')).toContain('Hex keys: the rule needs an order quantity');
    expect(text('suggestions-create-pos')).toBe('Create purchase orders for all');

    rowCheckbox('suggestions-table', 0).click();
    await vi.waitFor(() => expect(text('suggestions-create-pos')).toBe('Create purchase orders for 1 selected'));
    await click('suggestions-create-pos');
    await vi.waitFor(() => expect(text('po-result-link')).toBe('PO 31'));
    expect(requests.find((r) => r.method === 'POST' && r.url.pathname === '/api/inventory/replenishment/purchase-orders')!.body).toEqual({ ruleIds: [RULE1] });
    expect(q('po-result-link')!.getAttribute('href')).toBe(`/inventory/purchase-orders/${PO_ID}`);
    expect(text('po-result')).toContain('Created 1 draft purchase order');
    expect(text('po-result-skipped')).toBe('Wood screws 4x40: no supplier: set one on the rule or mark a preferred supplier for the item');
  });

  it('is read-only without the purchasing permission', SLOW, async () => {
    state.session = { ...state.session!, permissions: ['inventory.stock.read'] };
    server.use(http.get('*/api/inventory/replenishment/suggestions', () => HttpResponse.json({ suggestions: [suggestion(RULE1, ITEM_ID, 'Cordless drill')], skipped: [] })));
    await renderInventory('/inventory/replenishment');
    await vi.waitFor(() => expect(text('suggestion-item')).toBe('Cordless drill'));
    expect(q('suggestions-create-pos')).toBeNull();
    expect(q('suggestions-table')!.querySelector('tbody .el-checkbox')).toBeNull();
    expect(q('nav-inventory-valuation')).toBeNull();
  });

  it('creates a reorder-point rule, leaving the reorder point and safety stock to be computed', SLOW, async () => {
    const rule = {
      id: RULE1, itemId: ITEM_ID, itemName: 'Cordless drill', uom: 'ea', locationId: BIN_ID, location: 'Bin 3-04', kind: 'reorder-point', min: null, max: null,
      reorderPoint: null, safetyStock: null, serviceLevel: '0.98', demandStdDevPerDay: null, leadTimeDays: 5, orderQty: null, orderCost: '40', holdingCostPerUnitYear: '3.5',
      orderMultiple: null, minOrderQty: null, supplierId: SUPPLIER_ID, supplier: 'Acme Tools', belowSince: null,
    };
    let rules: (typeof rule)[] = [];
    server.use(
      http.get('*/api/inventory/replenishment/suggestions', () => HttpResponse.json({ suggestions: [], skipped: [] })),
      http.get('*/api/inventory/reorder-rules', () => HttpResponse.json({ data: rules, total: rules.length, limit: 25, offset: 0 })),
      http.put('*/api/inventory/reorder-rules', () => {
        rules = [rule];
        return HttpResponse.json(rule);
      }),
      http.get('*/api/core/items', () => HttpResponse.json({ data: [coreItem(ITEM_ID)], total: 1, limit: 20, offset: 0 })),
      http.get('*/api/core/locations', () => HttpResponse.json({ data: [coreLocation(BIN_ID)], total: 1, limit: 50, offset: 0 })),
      http.get('*/api/inventory/suppliers', () => HttpResponse.json({ data: [SUPPLIER], total: 1, limit: 50, offset: 0 })),
    );
    await renderInventory('/inventory/replenishment?tab=rules');
    await vi.waitFor(() => expect(q('rules-table')!.textContent).toContain('No reorder rules'));
    await click('rule-create');
    await choose('rule-item', 'Cordless drill');
    await choose('rule-location', 'Main DC / Zone A / Bin 3-04');
    (q('rule-kind-reorder-point')!.querySelector('input') as HTMLInputElement).click();
    await vi.waitFor(() => expect(text('rule-help')).toContain('Left empty, these are computed'));
    await typeInto('rule-service-level', '98');
    await typeInto('rule-lead-time', '5');
    await typeInto('rule-order-cost', '40');
    await typeInto('rule-holding-cost', '3.5');
    await choose('rule-supplier', 'Acme Tools');
    await click('rule-save');
    await vi.waitFor(() => expect(text('rule-trigger')).toBe('computed'));
    expect(requests.find((r) => r.method === 'PUT')!.body).toEqual({
      itemId: ITEM_ID,
      locationId: BIN_ID,
      kind: 'reorder-point',
      supplierId: SUPPLIER_ID,
      max: null,
      reorderPoint: null,
      safetyStock: null,
      demandStdDevPerDay: null,
      orderQty: null,
      orderCost: '40',
      holdingCostPerUnitYear: '3.5',
      orderMultiple: null,
      minOrderQty: null,
      leadTimeDays: 5,
      serviceLevel: 0.98,
    });
  });
});

const line = (id: string, lineNo: number, itemId: string, itemName: string, trackingMode: string, patch: Record<string, unknown> = {}) => ({
  id,
  lineNo,
  itemId,
  itemName,
  qty: '10',
  uom: 'ea',
  factor: '1',
  unitPrice: '5',
  amount: '50.00',
  receivedQty: '0',
  openQty: '10',
  trackingMode,
  ...patch,
});

function order(status: string, patch: Partial<PurchaseOrder> = {}): PurchaseOrder {
  return {
    id: PO_ID,
    number: '31',
    supplierId: SUPPLIER_ID,
    supplier: 'Acme Tools',
    currency: 'EUR',
    locationId: BIN_ID,
    location: 'Bin 3-04',
    status,
    expectedOn: '2026-12-01',
    reference: null,
    note: null,
    createdAt: '2026-11-20T10:00:00.000Z',
    createdBy: 'Ada Admin',
    orderedAt: status === 'draft' ? null : '2026-11-21T10:00:00.000Z',
    closedAt: null,
    total: '170.00',
    lines: [
      line('1', 1, ITEM_ID, 'Cordless drill', 'none'),
      line('2', 2, ITEM2_ID, 'Wood screws 4x40', 'lot', { qty: '2', uom: 'box', factor: '12', unitPrice: '30', amount: '60.00', openQty: '2' }),
      line('3', 3, LEVEL_ID, 'Laser level', 'serial', { qty: '2', unitPrice: '30', amount: '60.00', openQty: '2' }),
    ],
    ...patch,
  };
}

describe('purchase orders', () => {
  it('orders a draft, and shows why a received order cannot be cancelled', SLOW, async () => {
    let current = order('draft');
    server.use(
      http.get(`*/api/inventory/purchase-orders/${PO_ID}`, () => HttpResponse.json(current)),
      http.post(`*/api/inventory/purchase-orders/${PO_ID}/order`, () => HttpResponse.json((current = order('ordered')))),
      http.post(`*/api/inventory/purchase-orders/${PO_ID}/cancel`, () =>
        problem(409, 'inventory/purchase-order-state', 'Not allowed in this state', 'Purchase order 31 is partially-received; it cannot become cancelled', { currentState: 'partially-received', requestedState: 'cancelled' }),
      ),
    );
    await renderInventory(`/inventory/purchase-orders/${PO_ID}`);
    await vi.waitFor(() => expect(text('po-title')).toBe('Purchase order 31'));
    expect(text('po-status')).toBe('Draft');
    expect(q('po-receive')).toBeNull();
    expect(q('po-close')).toBeNull();
    await click('po-order');
    await confirmBox();
    await vi.waitFor(() => expect(text('po-status')).toBe('Ordered'));
    expect(q('po-order')).toBeNull();
    expect(q('po-receive')).not.toBeNull();

    await click('po-cancel');
    await confirmBox();
    await vi.waitFor(() => expect(text('po-error')).toBe('Purchase order 31 is partially-received; it cannot become cancelled'));
    expect(text('po-status')).toBe('Ordered');
  });

  it('receives: lot and serial fields follow each line, an over-delivery is accepted on retry, and the receipt is linked', SLOW, async () => {
    let current = order('ordered');
    server.use(
      http.get(`*/api/inventory/purchase-orders/${PO_ID}`, () => HttpResponse.json(current)),
      http.get('*/api/core/locations/:id', ({ params }) => HttpResponse.json(coreLocation(String(params.id)))),
      http.get('*/api/core/locations', () => HttpResponse.json({ data: [coreLocation(DOCK_ID)], total: 1, limit: 50, offset: 0 })),
      http.post(`*/api/inventory/purchase-orders/${PO_ID}/receive`, async ({ request }) => {
        const body = (await request.json()) as { allowOverDelivery?: boolean };
        if (!body.allowOverDelivery) {
          return problem(409, 'inventory/over-delivery', 'More than ordered', 'Cordless drill: 10 ea ordered, 0 received, 12 more would exceed the order; set allowOverDelivery to accept it', {
            lineId: '1',
            ordered: '10',
            received: '0',
            receiving: '12',
            field: 'lines.0.qty',
          });
        }
        current = order('received', {
          lines: order('received').lines.map((l) => ({ ...l, receivedQty: l.id === '1' ? '12' : l.qty, openQty: '0' })),
        });
        return HttpResponse.json({ ...current, moveId: RECEIPT_ID });
      }),
    );
    await renderInventory(`/inventory/purchase-orders/${PO_ID}`);
    await vi.waitFor(() => expect(q('po-receive')).not.toBeNull());
    await click('po-receive');
    await vi.waitFor(() => expect(all('receive-line')).toHaveLength(3));

    // Untracked: quantity only. Lot-tracked: lot and expiry. Serialized: serial numbers.
    expect(q('receive-lot-0')).toBeNull();
    expect(q('receive-serials-0')).toBeNull();
    expect(q('receive-lot-1')).not.toBeNull();
    expect(q('receive-expiry-1')).not.toBeNull();
    expect(q('receive-serials-1')).toBeNull();
    expect(q('receive-serials-2')).not.toBeNull();
    expect(q('receive-lot-2')).toBeNull();
    // The open quantity is the default, in the order line's unit.
    expect((q('receive-qty-0') as HTMLInputElement).value).toBe('10');
    expect((q('receive-qty-1') as HTMLInputElement).value).toBe('2');
    expect(all('receive-line')[1]!.textContent).toContain('2 of 2 box open');

    await typeInto('receive-qty-0', '12');
    await typeInto('receive-lot-1', 'L-77');
    const expiry = q('receive-expiry-1')!.querySelector('input')!;
    expiry.value = '2027-05-31';
    expiry.dispatchEvent(new Event('input', { bubbles: true }));
    expiry.dispatchEvent(new Event('change', { bubbles: true }));
    await typeInto('receive-serials-2', 'SN-1\nSN-2');
    await vi.waitFor(() => expect((q('receive-qty-2') as HTMLInputElement).value).toBe('2'));
    await choose('receive-to', 'Main DC / Dock 1');
    await click('receive-submit');

    await vi.waitFor(() => expect(text('receive-error')).toContain('12 more would exceed the order'));
    await vi.waitFor(() => expect(fieldError('receive-qty-0')).toContain('12 more would exceed the order'));
    const lines = [
      { lineId: '1', qty: '12', toLocationId: DOCK_ID },
      { lineId: '2', qty: '2', toLocationId: DOCK_ID, lot: 'L-77', expiresOn: '2027-05-31' },
      { lineId: '3', qty: '2', toLocationId: DOCK_ID, serials: ['SN-1', 'SN-2'] },
    ];
    const receives = () => requests.filter((r) => r.method === 'POST' && r.url.pathname.endsWith('/receive'));
    expect(receives()[0]!.body).toEqual({ lines });

    await click('receive-over-delivery');
    await vi.waitFor(() => expect(q('po-receipt-link')).not.toBeNull());
    expect(receives()[1]!.body).toEqual({ allowOverDelivery: true, lines });
    expect(q('po-receipt-link')!.getAttribute('href')).toBe(`/inventory/moves/${RECEIPT_ID}`);
    expect(text('po-status')).toBe('Received');
    expect(all('po-line-received').map((e) => e.textContent)).toEqual(['12', '2', '2']);
    expect(q('po-receive')).toBeNull();
  });

  it('checks serial numbers against the quantity before sending', SLOW, async () => {
    server.use(http.get(`*/api/inventory/purchase-orders/${PO_ID}`, () => HttpResponse.json(order('ordered'))));
    await renderInventory(`/inventory/purchase-orders/${PO_ID}`);
    await vi.waitFor(() => expect(q('po-receive')).not.toBeNull());
    await click('po-receive');
    await typeInto('receive-qty-0', '');
    await typeInto('receive-qty-1', '');
    await typeInto('receive-qty-2', '2');
    await typeInto('receive-serials-2', 'SN-1');
    // One serial typed sets the quantity to 1 on a line in base units; make it disagree again.
    await typeInto('receive-qty-2', '2');
    await click('receive-submit');
    await vi.waitFor(() => expect(fieldError('receive-serials-2')).toBe('1 serial for 2 ea: one per unit'));
    expect(requests.some((r) => r.url.pathname.endsWith('/receive'))).toBe(false);
  });

  it('drafts a purchase order with unit and price defaulting from what the supplier sells', SLOW, async () => {
    const si: SupplierItem = { supplierId: SUPPLIER_ID, supplier: 'Acme Tools', itemId: ITEM2_ID, itemName: 'Wood screws 4x40', supplierSku: 'A-99', unitPrice: '30', uom: 'box', factor: '12', leadTimeDays: null, minOrderQty: null, orderMultiple: null, preferred: true };
    server.use(
      http.get(`*/api/inventory/suppliers/${SUPPLIER_ID}`, () => HttpResponse.json(SUPPLIER)),
      http.get('*/api/inventory/supplier-items', () => HttpResponse.json([si])),
      http.get('*/api/core/items', () => HttpResponse.json({ data: [coreItem(ITEM2_ID)], total: 1, limit: 20, offset: 0 })),
      http.get('*/api/core/locations', () => HttpResponse.json({ data: [coreLocation(BIN_ID)], total: 1, limit: 50, offset: 0 })),
      http.get('*/api/inventory/items/:id/settings', ({ params }) =>
        HttpResponse.json({ itemId: params.id, baseUom: 'ea', valuationMethod: null, effectiveValuationMethod: 'fifo', standardCost: null, units: [{ uom: 'box', factor: '12' }], onHand: '0' }),
      ),
      http.post('*/api/inventory/purchase-orders', () => HttpResponse.json(order('draft'), { status: 201 })),
      http.get(`*/api/inventory/purchase-orders/${PO_ID}`, () => HttpResponse.json(order('draft'))),
    );
    const { router } = await renderInventory(`/inventory/purchase-orders/new?supplierId=${SUPPLIER_ID}`);
    await vi.waitFor(() => expect(text('po-supplier')).toContain('Acme Tools'));
    await choose('po-location', 'Main DC / Zone A / Bin 3-04');
    await choose('po-line-item-0', 'Wood screws 4x40');
    await vi.waitFor(() => expect((q('po-line-price-0') as HTMLInputElement).value).toBe('30'));
    expect(text('po-line-uom-0')).toContain('box');
    await typeInto('po-line-qty-0', '3');
    expect(text('po-line-amount-0')).toBe('90.00');
    expect(text('po-form-total')).toBe('90');
    await click('po-save');
    await vi.waitFor(() => expect(router.currentRoute.value.path).toBe(`/inventory/purchase-orders/${PO_ID}`));
    expect(requests.find((r) => r.method === 'POST' && r.url.pathname === '/api/inventory/purchase-orders')!.body).toEqual({
      supplierId: SUPPLIER_ID,
      locationId: BIN_ID,
      lines: [{ itemId: ITEM2_ID, qty: '3', uom: 'box', unitPrice: '30' }],
    });
  });
});

describe('suppliers', () => {
  it("edits a supplier's item: price per purchase unit, lead time, MOQ, multiple, preferred", SLOW, async () => {
    let entry: SupplierItem = { supplierId: SUPPLIER_ID, supplier: 'Acme Tools', itemId: ITEM2_ID, itemName: 'Wood screws 4x40', supplierSku: null, unitPrice: '0.30', uom: 'ea', factor: '1', leadTimeDays: null, minOrderQty: null, orderMultiple: null, preferred: false };
    server.use(
      http.get(`*/api/inventory/suppliers/${SUPPLIER_ID}`, () => HttpResponse.json(SUPPLIER)),
      http.get('*/api/inventory/supplier-items', ({ request }) => {
        expect(new URL(request.url).searchParams.get('supplierId')).toBe(SUPPLIER_ID);
        return HttpResponse.json([entry]);
      }),
      http.get(`*/api/core/items/${ITEM2_ID}`, () => HttpResponse.json(coreItem(ITEM2_ID))),
      http.get(`*/api/inventory/items/${ITEM2_ID}/settings`, () =>
        HttpResponse.json({ itemId: ITEM2_ID, baseUom: 'ea', valuationMethod: null, effectiveValuationMethod: 'fifo', standardCost: null, units: [{ uom: 'box', factor: '12' }], onHand: '0' }),
      ),
      http.put(`*/api/inventory/suppliers/${SUPPLIER_ID}/items/${ITEM2_ID}`, async ({ request }) => {
        const b = (await request.json()) as Record<string, unknown>;
        entry = { ...entry, unitPrice: String(b.unitPrice), uom: String(b.uom), factor: '12', leadTimeDays: b.leadTimeDays as number, minOrderQty: b.minOrderQty as string, orderMultiple: b.orderMultiple as string, preferred: !!b.preferred, supplierSku: b.supplierSku as string };
        return HttpResponse.json(entry);
      }),
    );
    await renderInventory(`/inventory/suppliers/${SUPPLIER_ID}`);
    await vi.waitFor(() => expect(text('supplier-item-price')).toBe('0.30 / ea'));
    expect(text('supplier-title')).toBe('Acme Tools');
    expect(q('supplier-item-preferred')).toBeNull();

    await click('supplier-item-edit');
    await vi.waitFor(() => expect((q('supplier-item-unit-price') as HTMLInputElement).value).toBe('0.30'));
    expect(text('supplier-item-item')).toContain('Wood screws 4x40');
    await choose('supplier-item-uom', 'box (= 12 ea)');
    await typeInto('supplier-item-unit-price', '3.20');
    await typeInto('supplier-item-sku', 'A-99');
    await typeInto('supplier-item-lead-time', '4');
    await typeInto('supplier-item-moq', '5');
    await typeInto('supplier-item-multiple', '5');
    (q('supplier-item-preferred-check')!.querySelector('input') as HTMLInputElement).click();
    await click('supplier-item-save');

    await vi.waitFor(() => expect(text('supplier-item-price')).toBe('3.20 / box'));
    expect(requests.find((r) => r.method === 'PUT')!.body).toEqual({ supplierSku: 'A-99', unitPrice: '3.20', uom: 'box', leadTimeDays: 4, minOrderQty: '5', orderMultiple: '5', preferred: true });
    expect(text('supplier-item-preferred')).toBe('preferred');
    expect(q('supplier-items-table')!.textContent).toContain('box (× 12)');
  });

  it('lists suppliers, archived ones on request, and creates one', SLOW, async () => {
    const archived = { ...SUPPLIER, id: '0196a1b2-0000-7000-8000-00000000501b', name: 'Old Co', code: null, archived: true, items: 0 };
    server.use(
      http.get('*/api/inventory/suppliers', ({ request }) => {
        const all = new URL(request.url).searchParams.get('includeArchived') === 'true';
        return HttpResponse.json({ data: all ? [SUPPLIER, archived] : [SUPPLIER], total: all ? 2 : 1, limit: 25, offset: 0 });
      }),
      http.post('*/api/inventory/suppliers', () => problem(409, 'inventory/supplier-exists', 'Supplier exists', 'A supplier with this name or code exists', { supplierId: SUPPLIER_ID })),
    );
    await renderInventory('/inventory/suppliers');
    await vi.waitFor(() => expect(all('supplier-link').map((e) => e.textContent)).toEqual(['Acme Tools']));
    (q('suppliers-archived')!.querySelector('input') as HTMLInputElement).click();
    await vi.waitFor(() => expect(all('supplier-link').map((e) => e.textContent)).toEqual(['Acme Tools', 'Old Co']));
    expect(all('supplier-archived-tag')).toHaveLength(1);

    await click('supplier-create');
    await typeInto('supplier-name', 'Acme Tools');
    await typeInto('supplier-code', 'ACME');
    await click('supplier-save');
    await vi.waitFor(() => expect(text('supplier-error')).toBe('A supplier with this name or code exists'));
    expect(requests.find((r) => r.method === 'POST')!.body).toEqual({ name: 'Acme Tools', code: 'ACME', email: null, phone: null, currency: 'EUR', leadTimeDays: 7, notes: null });
  });
});
