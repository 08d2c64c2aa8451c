import { http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { BIN_ID, DOCK_ID, ITEM_ID, LOT_ID, all, choose, click, coreItem, problem, q, renderInventory, requests, server, state, text, typeInto } from './harness';

const STOCK = {
  itemId: ITEM_ID,
  itemName: 'Cordless drill',
  uom: 'ea',
  trackingMode: 'lot',
  onHand: '14',
  reserved: '4',
  available: '10',
  valuationMethod: 'fifo',
  value: '700.00',
  unitValue: '50',
  locations: [
    { itemId: ITEM_ID, itemName: 'Cordless drill', uom: 'ea', locationId: BIN_ID, location: 'Bin 3-04', lotId: LOT_ID, lot: 'L-0142', expiresOn: '2027-03-01', lotBlocked: false, onHand: '10', reserved: '4', available: '6', value: '500.00' },
    { itemId: ITEM_ID, itemName: 'Cordless drill', uom: 'ea', locationId: DOCK_ID, location: 'Dock 1', lotId: 'lot-2', lot: 'L-0099', expiresOn: '2026-12-01', lotBlocked: true, onHand: '4', reserved: '0', available: '4', value: '200.00' },
  ],
  units: [{ uom: 'box', factor: '6' }],
};
const SETTINGS = { itemId: ITEM_ID, baseUom: 'ea', valuationMethod: null, effectiveValuationMethod: 'fifo', standardCost: null, units: [{ uom: 'box', factor: '6' }], onHand: '14' };

function handlers() {
  server.use(
    http.get(`*/api/core/items/${ITEM_ID}`, () => HttpResponse.json(coreItem(ITEM_ID, { trackingMode: 'lot' }))),
    http.get(`*/api/inventory/items/${ITEM_ID}/stock`, () => HttpResponse.json(STOCK)),
    http.get(`*/api/inventory/items/${ITEM_ID}/settings`, () => HttpResponse.json(SETTINGS)),
  );
}

describe('item stock panel', () => {
  it("shows the item's totals, value and method, lots per location with expiry and blocks, and units", async () => {
    handlers();
    await renderInventory(`/items/${ITEM_ID}`);
    await vi.waitFor(() => expect(text('item-stock-on-hand')).toBe('14'));
    expect(q('item-title')!.textContent).toBe('Cordless drill');
    expect(q('item-stock-panel')!.closest('[data-zone="core.item.detail.side"]')).not.toBeNull();
    expect(text('item-stock-reserved')).toBe('4');
    expect(text('item-stock-available')).toBe('10');
    expect(text('item-stock-value')).toBe('700.00');
    expect(text('item-stock-method')).toBe('FIFO');
    const lots = all('item-stock-lot');
    expect(lots.map((e) => e.textContent!.replace(/\s+/g, ' ').replace('blocked', '').trim())).toEqual(['lot L-0142 · exp 2027-03-01', 'lot L-0099 · exp 2026-12-01']);
    expect(lots.map((e) => !!e.querySelector('[data-testid="item-stock-lot-blocked"]'))).toEqual([false, true]);
    const rows = [...q('item-stock-locations')!.querySelectorAll('tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent!.replace(/\s+/g, ' ').trim()));
    expect(rows.map((r) => r.slice(1))).toEqual([
      ['10', '6'],
      ['4', '4'],
    ]);
    expect(rows[0]![0]).toContain('Bin 3-04');
    expect(text('item-stock-units')).toBe('Units: 1 box = 6 ea');
    expect(q('item-stock-moves-link')!.getAttribute('href')).toBe(`/inventory/moves?itemId=${ITEM_ID}`);
  });

  it('without valuation permission there is no value, and no settings button without settings permission', async () => {
    handlers();
    const { valuationMethod: _m, value: _v, unitValue: _u, ...noCosts } = STOCK;
    server.use(http.get(`*/api/inventory/items/${ITEM_ID}/stock`, () => HttpResponse.json({ ...noCosts, locations: noCosts.locations.map(({ value: _x, ...l }) => l) })));
    state.session = { ...state.session!, permissions: ['core.items.read', 'inventory.stock.read'] };
    await renderInventory(`/items/${ITEM_ID}`);
    await vi.waitFor(() => expect(text('item-stock-on-hand')).toBe('14'));
    expect(q('item-stock-value-line')).toBeNull();
    expect(q('item-settings-edit')).toBeNull();
  });

  it('edits the inventory settings and shows the 409 when the method is locked by stock on hand', async () => {
    handlers();
    const detail = 'The valuation method cannot change while 14 ea are on hand';
    server.use(http.put(`*/api/inventory/items/${ITEM_ID}/settings`, () => problem(409, 'inventory/valuation-locked', 'Item has stock', detail, { onHand: '14' })));
    await renderInventory(`/items/${ITEM_ID}`);
    await vi.waitFor(() => expect(q('item-settings-edit')).not.toBeNull());
    await click('item-settings-edit');
    await vi.waitFor(() => expect(q('item-settings-unit-uom-0')).not.toBeNull());
    expect((q('item-settings-unit-uom-0') as HTMLInputElement).value).toBe('box');
    await choose('item-settings-method', { testid: 'option-lifo' });
    await click('item-settings-unit-add');
    await typeInto('item-settings-unit-uom-1', 'pallet');
    await typeInto('item-settings-unit-factor-1', '240');
    await click('item-settings-save');
    await vi.waitFor(() => expect(text('item-settings-error')).toContain(detail));
    expect(text('item-settings-error')).toContain('Locked while the item has stock');
    const put = requests.find((r) => r.method === 'PUT')!;
    expect(put.body).toEqual({ valuationMethod: 'lifo', units: [{ uom: 'box', factor: '6' }, { uom: 'pallet', factor: '240' }] });
    expect(q('item-settings-dialog')).not.toBeNull();
  });
});
