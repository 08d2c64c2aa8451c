import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoChange, expectProblem, problemFields, type TestPlatform } from '@quartermaster/testing';
import { INV, MT, asset, bootMaintenance, caller, item, location, receive } from './fixtures.js';
import { act, assetCostTotal, getWorkOrder, slot, step, workOrder } from './work-orders.fixtures.js';

/**
 * Spare parts with inventory enabled (reserved on scheduling, issued on completion from stock at
 * FIFO cost) and the same flows with inventory disabled (a typed unit cost, no stock touched).
 */

describe('with inventory enabled', () => {
  let t: TestPlatform;
  let call: ReturnType<typeof caller>;
  let stores: string;
  let seal: string;
  beforeAll(async () => {
    t = await bootMaintenance({ inventory: true });
    call = caller(t);
    stores = await location(t, 'Stores');
    seal = await item(t, 'Seal kit');
    // FIFO layers: 5 at 10.00, then 5 at 12.00.
    await receive(t, seal, stores, '5', '10.00');
    await receive(t, seal, stores, '5', '12.00');
  });
  afterAll(() => t?.close());

  const stock = async (itemId: string) => {
    const s = await call({ method: 'GET', url: `${INV}/items/${itemId}/stock` }, 200);
    return { onHand: Number(s.onHand), reserved: Number(s.reserved), available: Number(s.available) };
  };
  const reservation = async (id: string) => (await call({ method: 'GET', url: `${INV}/reservations/${id}` }, 200)) as { status: string; qty: string };

  it('reserves on scheduling and issues what was used on completion: stock, reservation and parts cost agree', async () => {
    const a = await asset(t);
    const wo = await workOrder(t, { assetId: a.id, status: 'approved', partsLocationId: stores, parts: [{ itemId: seal, qty: '3' }] });
    expect(wo.parts).toEqual([expect.objectContaining({ itemId: seal, itemName: 'Seal kit', qty: '3', status: 'planned', reservationId: null, cost: null })]);
    expect(await stock(seal)).toEqual({ onHand: 10, reserved: 0, available: 10 });

    const scheduled = await step(t, wo.id, 'schedule', slot());
    const part = scheduled.parts[0];
    expect(part).toMatchObject({ status: 'reserved', locationId: stores, reservationId: expect.any(String) });
    expect(await stock(seal)).toEqual({ onHand: 10, reserved: 3, available: 7 });
    expect((await reservation(part.reservationId)).status).toBe('active');

    await step(t, wo.id, 'start');
    // Two used, not three: two are issued at the oldest layer's cost (10.00), the third goes back to stock.
    const done = await step(t, wo.id, 'complete', { parts: [{ id: part.id, qtyUsed: 2 }] });
    expect(done.parts[0]).toMatchObject({ status: 'issued', qty: '3', qtyUsed: '2', cost: '20.00', moveId: expect.any(String), moveNumber: expect.any(String) });
    expect(done.costs).toMatchObject({ parts: '20.00', total: '20.00', posted: '20.00' });
    expect(await stock(seal)).toEqual({ onHand: 8, reserved: 0, available: 8 });
    expect((await reservation(part.reservationId)).status).toBe('released');
    const [move] = await t.sql<{ n: number; cogs: string }>(`SELECT count(*)::int AS n, sum(amount)::text AS cogs FROM inventory_move_line WHERE move_id = $1`, [done.parts[0].moveId]);
    expect(Number(move.cogs)).toBe(20);
    expect(await assetCostTotal(t, a.id)).toBe('20.00');
  });

  it('issues more than reserved when more was used, at FIFO cost across layers', async () => {
    const a = await asset(t);
    const wo = await workOrder(t, { assetId: a.id, status: 'approved', partsLocationId: stores, parts: [{ itemId: seal, qty: '2' }] });
    const started = await step(t, wo.id, 'start');
    expect(started.parts[0].status).toBe('reserved');
    // Left: 3 at 10.00 and 5 at 12.00. Four used: 3 × 10 + 1 × 12 = 42.00.
    const done = await step(t, wo.id, 'complete', { parts: [{ id: started.parts[0].id, qtyUsed: '4' }] });
    expect(done.parts[0]).toMatchObject({ status: 'issued', qtyUsed: '4', cost: '42.00' });
    expect(done.costs.parts).toBe('42.00');
    expect(await stock(seal)).toEqual({ onHand: 4, reserved: 0, available: 4 });
    expect((await reservation(started.parts[0].reservationId)).status).toBe('consumed');
  });

  it('a shortfall makes scheduling fail with inventory\'s 409: no reservation, no status change', async () => {
    const a = await asset(t);
    const wo = await workOrder(t, { assetId: a.id, status: 'approved', partsLocationId: stores, parts: [{ itemId: seal, qty: '9' }] });
    const res = await expectNoChange(t, () => act(t, wo.id, 'schedule', slot()));
    expectProblem(res, 409, 'inventory/insufficient-stock');
    const after = await getWorkOrder(t, wo.id);
    expect(after).toMatchObject({ status: 'approved', scheduledStart: null, parts: [expect.objectContaining({ status: 'planned', reservationId: null })] });
    expect(await stock(seal)).toEqual({ onHand: 4, reserved: 0, available: 4 });
  });

  it('unscheduling and cancelling give reservations back; parts added to scheduled work are reserved at once', async () => {
    const a = await asset(t);
    const wo = await workOrder(t, { assetId: a.id, status: 'approved', partsLocationId: stores, parts: [{ itemId: seal, qty: '1' }] });
    await step(t, wo.id, 'schedule', slot());
    expect(await stock(seal)).toMatchObject({ reserved: 1 });
    const unscheduled = await step(t, wo.id, 'unschedule', { reason: 'Moved to next week' });
    expect(unscheduled).toMatchObject({ status: 'approved', scheduledStart: null, parts: [expect.objectContaining({ status: 'planned', reservationId: null })] });
    expect(await stock(seal)).toMatchObject({ reserved: 0 });

    await step(t, wo.id, 'schedule', slot());
    const added = await call({ method: 'POST', url: `${MT}/work-orders/${wo.id}/parts`, payload: { itemId: seal, qty: 2 } }, 201);
    expect(added.parts.map((p: { status: string }) => p.status)).toEqual(['reserved', 'reserved']);
    expect(await stock(seal)).toMatchObject({ reserved: 3, available: 1 });
    // More than is free: refused by inventory, nothing added.
    const tooMany = await expectNoChange(t, () => t.request({ method: 'POST', url: `${MT}/work-orders/${wo.id}/parts`, payload: { itemId: seal, qty: 2 } }));
    expectProblem(tooMany, 409, 'inventory/insufficient-stock');

    const removed = await call({ method: 'DELETE', url: `${MT}/work-orders/${wo.id}/parts/${added.parts[1].id}` }, 200);
    expect(removed.parts).toHaveLength(1);
    expect(await stock(seal)).toMatchObject({ reserved: 1 });

    const cancelled = await step(t, wo.id, 'cancel', { reason: 'Asset sold' });
    expect(cancelled.parts[0]).toMatchObject({ status: 'released' });
    expect((await reservation(cancelled.parts[0].reservationId)).status).toBe('released');
    expect(await stock(seal)).toEqual({ onHand: 4, reserved: 0, available: 4 });
  });

  it('refuses a typed unit cost (the issue values the part) and parts with nowhere to come from', async () => {
    const a = await asset(t);
    const wo = await workOrder(t, { assetId: a.id, status: 'approved' });
    const typed = await expectNoChange(t, () => t.request({ method: 'POST', url: `${MT}/work-orders/${wo.id}/parts`, payload: { itemId: seal, qty: 1, unitCost: '3.00' } }));
    expect(problemFields(expectProblem(typed, 400, 'validation'))).toEqual(['unitCost']);
    await call({ method: 'POST', url: `${MT}/work-orders/${wo.id}/parts`, payload: { itemId: seal, qty: 1 } }, 201);
    const nowhere = await expectNoChange(t, () => act(t, wo.id, 'schedule', slot()));
    expect(expectProblem(nowhere, 409, 'maintenance/parts-location-missing').parts).toEqual([{ id: expect.any(String), itemId: seal }]);
  });

  it('a part used not at all is released and costs nothing', async () => {
    const a = await asset(t);
    const wo = await workOrder(t, { assetId: a.id, status: 'approved', partsLocationId: stores, parts: [{ itemId: seal, qty: '1' }] });
    const started = await step(t, wo.id, 'start');
    const done = await step(t, wo.id, 'complete', { parts: [{ id: started.parts[0].id, qtyUsed: 0 }] });
    expect(done.parts[0]).toMatchObject({ status: 'released', qtyUsed: '0', cost: '0.00', moveId: null });
    expect(done.costs.parts).toBe('0.00');
    expect(await stock(seal)).toEqual({ onHand: 4, reserved: 0, available: 4 });
  });
});

describe('with inventory disabled', () => {
  let t: TestPlatform;
  let call: ReturnType<typeof caller>;
  let filter: string;
  beforeAll(async () => {
    t = await bootMaintenance();
    call = caller(t);
    filter = await item(t, 'Oil filter');
  });
  afterAll(() => t?.close());

  it('records parts with a typed unit cost, touches no stock, and costs the quantity used', async () => {
    const a = await asset(t);
    const missing = await expectNoChange(t, () => t.request({ method: 'POST', url: `${MT}/work-orders`, payload: { type: 'preventive', title: 'Oil change', assetId: a.id, parts: [{ itemId: filter, qty: 2 }] } }));
    expect(problemFields(expectProblem(missing, 400, 'validation'))).toEqual(['parts.0.unitCost']);

    const wo = await workOrder(t, { assetId: a.id, status: 'approved', parts: [{ itemId: filter, qty: '2', unitCost: '12.50' }] });
    expect(wo.parts[0]).toMatchObject({ status: 'planned', unitCost: '12.5', cost: null });
    const scheduled = await step(t, wo.id, 'schedule', slot());
    expect(scheduled.parts[0]).toMatchObject({ status: 'planned', reservationId: null });
    await step(t, wo.id, 'start');
    await call({ method: 'POST', url: `${MT}/work-orders/${wo.id}/parts`, payload: { itemId: filter, qty: '1', unitCost: '0.333' } }, 201);
    const detail = await getWorkOrder(t, wo.id);
    // 3 × 12.50 = 37.50; 1 × 0.333 = 0.33 (half-even to cents).
    const done = await step(t, wo.id, 'complete', { parts: [{ id: detail.parts[0].id, qtyUsed: 3 }] });
    expect(done.parts.map((p: { status: string; qtyUsed: string; cost: string }) => [p.status, p.qtyUsed, p.cost])).toEqual([
      ['issued', '3', '37.50'],
      ['issued', '1', '0.33'],
    ]);
    expect(done.costs).toMatchObject({ parts: '37.83', total: '37.83', posted: '37.83' });
    expect(await assetCostTotal(t, a.id)).toBe('37.83');
    const inventoryTables = await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name LIKE 'inventory\\_%'`);
    expect(inventoryTables[0].n).toBe(0);
  });

  it('cancelling releases planned parts; removing one before issue is allowed', async () => {
    const a = await asset(t);
    const wo = await workOrder(t, { assetId: a.id, parts: [{ itemId: filter, qty: 1, unitCost: 5 }, { itemId: filter, qty: 1, unitCost: 6 }] });
    const removed = await call({ method: 'DELETE', url: `${MT}/work-orders/${wo.id}/parts/${wo.parts[1].id}` }, 200);
    expect(removed.parts).toHaveLength(1);
    const cancelled = await step(t, wo.id, 'cancel', { reason: 'Duplicate' });
    expect(cancelled.parts[0].status).toBe('released');
    const gone = await expectNoChange(t, () => t.request({ method: 'POST', url: `${MT}/work-orders/${wo.id}/parts`, payload: { itemId: filter, qty: 1, unitCost: 5 } }));
    expect(expectProblem(gone, 409, 'maintenance/wrong-status').currentStatus).toBe('cancelled');
  });

  it('an issued part stays on the order', async () => {
    const a = await asset(t);
    const wo = await workOrder(t, { assetId: a.id, status: 'approved', parts: [{ itemId: filter, qty: 1, unitCost: 5 }] });
    await step(t, wo.id, 'start');
    const done = await step(t, wo.id, 'complete');
    await step(t, wo.id, 'reopen', { reason: 'Forgot a gasket' });
    const res = await expectNoChange(t, () => t.request({ method: 'DELETE', url: `${MT}/work-orders/${wo.id}/parts/${done.parts[0].id}` }));
    expectProblem(res, 409, 'maintenance/part-issued');
  });
});
