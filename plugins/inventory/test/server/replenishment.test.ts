import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoChange, expectProblem, problemFields, type TestPlatform } from '@quartermaster/testing';
import { demandStdDev, reorderPoint, safetyStock } from '../../src/domain/replenishment.js';
import { bootInventory, caller, item, ledgerMatchesBalances, location, posted, stock } from './fixtures.js';

describe('replenishment: suppliers, reorder rules, suggestions, purchase orders', () => {
  let t: TestPlatform;
  let call: ReturnType<typeof caller>;
  let site: string;
  let bin: string;
  let supplier: string;

  beforeAll(async () => {
    t = await bootInventory();
    call = caller(t);
    site = await location(t, 'Depot', 'site');
    bin = await location(t, 'D-01', 'bin', site);
    supplier = (await call({ method: 'POST', url: '/api/inventory/suppliers', payload: { name: 'Acme Fasteners', code: 'ACME', leadTimeDays: 5, currency: 'EUR' } }, 201)).id;
  });
  afterAll(async () => {
    await ledgerMatchesBalances(t);
    await t?.close();
  });

  it('suggests what to order from a min-max rule, in whole purchase units, and why', async () => {
    const screw = await item(t, 'Wood screw 4x40');
    await call({ method: 'PUT', url: `/api/inventory/items/${screw}/settings`, payload: { units: [{ uom: 'box', factor: 12 }] } }, 200);
    await call({ method: 'PUT', url: `/api/inventory/suppliers/${supplier}/items/${screw}`, payload: { unitPrice: '24.00', uom: 'box', preferred: true, supplierSku: 'A-4040' } }, 200);
    await posted(t, { type: 'receipt', lines: [{ itemId: screw, qty: 20, unitCost: 2, toLocationId: bin }] });
    // The rule is on the site; stock in its bins counts.
    const rule = await call({ method: 'PUT', url: '/api/inventory/reorder-rules', payload: { itemId: screw, locationId: site, kind: 'min-max', min: 10, max: 50 } }, 200);
    expect(rule).toMatchObject({ supplier: 'Acme Fasteners', min: '10', max: '50', belowSince: null });
    expect((await call({ method: 'GET', url: '/api/inventory/replenishment/suggestions' }, 200)).suggestions).toEqual([]);

    const from = t.events.length;
    await posted(t, { type: 'issue', lines: [{ itemId: screw, qty: 12, fromLocationId: bin }] });
    expect(t.events.slice(from).map((e) => e.name)).toEqual(['inventory.move.posted', 'inventory.stock.below-reorder-point']);
    expect(t.events.at(-1)!.payload).toMatchObject({ ruleId: rule.id, position: '8', reorderPoint: '10' });
    // Already below: no second event.
    const again = t.events.length;
    await posted(t, { type: 'issue', lines: [{ itemId: screw, qty: 1, fromLocationId: bin }] });
    expect(t.events.slice(again).map((e) => e.name)).toEqual(['inventory.move.posted']);

    const { suggestions } = await call({ method: 'GET', url: '/api/inventory/replenishment/suggestions' }, 200);
    // Position 7; up to max 50 is 43, rounded up to whole boxes of 12 → 48 = 4 boxes.
    expect(suggestions).toEqual([
      expect.objectContaining({ itemName: 'Wood screw 4x40', location: 'Depot', onHand: '7', onOrder: '0', position: '7', qty: '48', purchaseQty: '4', purchaseUom: 'box', supplier: 'Acme Fasteners', unitPrice: '24' }),
    ]);
    expect(suggestions[0].reason).toContain('position 7 is at or below the min 10');

    const drafted = await call({ method: 'POST', url: '/api/inventory/replenishment/purchase-orders', payload: {} }, 201);
    expect(drafted.purchaseOrders).toHaveLength(1);
    const po = await call({ method: 'GET', url: `/api/inventory/purchase-orders/${drafted.purchaseOrders[0].id}` }, 200);
    expect(po).toMatchObject({ status: 'draft', supplier: 'Acme Fasteners', location: 'Depot', total: '96.00' });
    expect(po.lines).toEqual([expect.objectContaining({ itemName: 'Wood screw 4x40', qty: '4', uom: 'box', unitPrice: '24', amount: '96.00', openQty: '4' })]);

    // A draft is not on order yet; an ordered PO is, so the suggestion goes away.
    await call({ method: 'POST', url: `/api/inventory/purchase-orders/${po.id}/order` }, 200);
    expect((await call({ method: 'GET', url: '/api/inventory/replenishment/suggestions' }, 200)).suggestions).toEqual([]);

    // Receive one box: a receipt move at the order price, 12 each at 2.00.
    const r1 = await call({ method: 'POST', url: `/api/inventory/purchase-orders/${po.id}/receive`, payload: { lines: [{ lineId: po.lines[0].id, qty: 1 }] } }, 200);
    expect(r1).toMatchObject({ status: 'partially-received' });
    expect(r1.lines[0]).toMatchObject({ receivedQty: '1', openQty: '3' });
    const move = await call({ method: 'GET', url: `/api/inventory/moves/${r1.moveId}` }, 200);
    expect(move).toMatchObject({ type: 'receipt', reference: `PO-${po.number}` });
    expect(move.lines[0]).toMatchObject({ qty: '12', uom: 'box', uomQty: '1', unitCost: '2', amount: '24.00', toLocation: 'Depot' });

    // Four more boxes is more than the 3 still open: refused, nothing changes.
    const over = await expectNoChange(t, () => t.request({ method: 'POST', url: `/api/inventory/purchase-orders/${po.id}/receive`, payload: { lines: [{ lineId: po.lines[0].id, qty: 4 }] } }));
    expect(expectProblem(over, 409, 'inventory/over-delivery')).toMatchObject({ ordered: '4', received: '1', receiving: '4' });
    const cancel = await t.request({ method: 'POST', url: `/api/inventory/purchase-orders/${po.id}/cancel` });
    expect(expectProblem(cancel, 409, 'inventory/purchase-order-state')).toMatchObject({ currentState: 'partially-received', requestedState: 'cancelled' });
    const done = await call({ method: 'POST', url: `/api/inventory/purchase-orders/${po.id}/receive`, payload: { allowOverDelivery: true, lines: [{ lineId: po.lines[0].id, qty: 4 }] } }, 200);
    expect(done).toMatchObject({ status: 'received' });
    expect((await stock(t, screw, site)).onHand).toBe('67');
    // Back above the min: the rule re-arms.
    expect((await call({ method: 'GET', url: `/api/inventory/reorder-rules?itemId=${screw}` }, 200)).data[0].belowSince).toBeNull();
  });

  it('computes the reorder point from demand history, the supplier lead time and the service level', async () => {
    const nut = await item(t, 'Lock nut M10');
    await call({ method: 'PUT', url: `/api/inventory/suppliers/${supplier}/items/${nut}`, payload: { unitPrice: '0.30', leadTimeDays: 4, preferred: true } }, 200);
    await posted(t, { type: 'receipt', effectiveAt: new Date(Date.now() - 40 * 86_400_000).toISOString(), lines: [{ itemId: nut, qty: 200, unitCost: '0.30', toLocationId: bin }] });
    // Nine issued on each of ten recent days.
    for (let d = 1; d <= 10; d++) {
      await posted(t, { type: 'issue', effectiveAt: new Date(Date.now() - d * 86_400_000).toISOString(), lines: [{ itemId: nut, qty: 9, fromLocationId: bin }] });
    }
    await call({ method: 'PUT', url: '/api/inventory/reorder-rules', payload: { itemId: nut, locationId: bin, kind: 'reorder-point', serviceLevel: 0.95, orderQty: 100 } }, 200);
    const { suggestions } = await call({ method: 'GET', url: '/api/inventory/replenishment/suggestions' }, 200);
    const s = suggestions.find((x: { itemId: string }) => x.itemId === nut);
    // 90 days of history: ten days of 9, eighty of 0 → mean 1/day; lead time 4 days from the supplier item.
    const history = [...Array(80).fill(0), ...Array(10).fill(9)];
    const sigma = demandStdDev(history).stdDev;
    const ss = safetyStock({ serviceLevel: '0.95', demandStdDevPerPeriod: sigma, leadTimePeriods: 4 }).toDecimalPlaces(4);
    const rop = reorderPoint({ demandPerPeriod: 1, leadTimePeriods: 4, safetyStock: ss }).toDecimalPlaces(4);
    expect(rop.toFixed(2)).toBe('13.36'); // 1 × 4 + 1.6449 × 2.8443 × √4
    // Position 110 is far above 13.36: nothing to order yet.
    expect(s).toBeUndefined();
    await posted(t, { type: 'issue', lines: [{ itemId: nut, qty: 100, fromLocationId: bin }] });
    const after = (await call({ method: 'GET', url: '/api/inventory/replenishment/suggestions' }, 200)).suggestions.find((x: { itemId: string }) => x.itemId === nut);
    // Today's 100 is demand too: the window is now 79 days of 0, ten of 9 and today's 100 → mean 190/90.
    const now = demandStdDev([...Array(79).fill(0), ...Array(10).fill(9), 100]);
    const ss2 = safetyStock({ serviceLevel: '0.95', demandStdDevPerPeriod: now.stdDev, leadTimePeriods: 4 }).toDecimalPlaces(4);
    const rop2 = reorderPoint({ demandPerPeriod: now.mean, leadTimePeriods: 4, safetyStock: ss2 }).toDecimalPlaces(4);
    expect(after).toMatchObject({ position: '10', reorderPoint: rop2.toFixed(), safetyStock: ss2.toFixed(), qty: '100' });
    expect(after.reason).toMatch(/lead time 4 days, service level 95 %/);
  });

  it('refuses rules, suppliers and orders that make no sense, changing nothing', async () => {
    const bolt = await item(t, 'Carriage bolt');
    const bad = await expectNoChange(t, () => t.request({ method: 'PUT', url: '/api/inventory/reorder-rules', payload: { itemId: bolt, locationId: bin, kind: 'min-max', min: 10, max: 5 } }));
    expect(problemFields(expectProblem(bad, 400, 'validation'))).toEqual(['max']);
    const noQty = await t.request({ method: 'PUT', url: '/api/inventory/reorder-rules', payload: { itemId: bolt, locationId: bin, kind: 'reorder-point', reorderPoint: 5 } });
    expect(problemFields(expectProblem(noQty, 400, 'validation'))).toEqual(['orderQty']);
    const dup = await t.request({ method: 'POST', url: '/api/inventory/suppliers', payload: { name: 'acme fasteners' } });
    expectProblem(dup, 409, 'inventory/supplier-exists');
    const noPrice = await expectNoChange(t, () =>
      t.request({ method: 'POST', url: '/api/inventory/purchase-orders', payload: { supplierId: supplier, locationId: bin, lines: [{ itemId: bolt, qty: 5 }] } }),
    );
    expect(problemFields(expectProblem(noPrice, 400, 'validation'))).toEqual(['lines.0.unitPrice']);
    const po = await call({ method: 'POST', url: '/api/inventory/purchase-orders', payload: { supplierId: supplier, locationId: bin, lines: [{ itemId: bolt, qty: 5, unitPrice: '0.80' }] } }, 201);
    const early = await t.request({ method: 'POST', url: `/api/inventory/purchase-orders/${po.id}/receive`, payload: { lines: [{ lineId: po.lines[0].id, qty: 1 }] } });
    expect(expectProblem(early, 409, 'inventory/purchase-order-state')).toMatchObject({ currentState: 'draft', requestedState: 'received' });
    await call({ method: 'PATCH', url: `/api/inventory/purchase-orders/${po.id}`, payload: { lines: [{ itemId: bolt, qty: 8, unitPrice: '0.75' }] } }, 200);
    const cancelled = await call({ method: 'POST', url: `/api/inventory/purchase-orders/${po.id}/cancel` }, 200);
    expect(cancelled).toMatchObject({ status: 'cancelled', total: '6.00' });
  });
});
