import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, expectNoChange, expectProblem, type TestPlatform } from '@quartermaster/testing';
import { inventoryPlugin } from '@quartermaster/plugin-inventory/server';
import { fixedAssetsPlugin } from '../../src/server/index.js';
import { FA, caller, custodyMatchesStatus, eventsSince, item, location, userWith } from './fixtures.js';

/**
 * Receiving an asset from inventory stock: one unit issued at its cost (FIFO here) and the asset
 * registered with that cost, in one transaction with both plugins' audit records and events.
 */
const INV = '/api/inventory';

describe('assets received from stock (inventory enabled)', () => {
  let t: TestPlatform;
  let store: string;
  let office: string;
  let laptop: string;
  let scanner: string;
  const call = () => caller(t);
  const fromStock = (payload: Record<string, unknown>) => t.request({ method: 'POST', url: `${FA}/assets/from-stock`, payload });

  beforeAll(async () => {
    t = await createTestPlatform({
      plugins: [inventoryPlugin, fixedAssetsPlugin],
      enable: { inventory: { reservationSweepSeconds: 0 }, 'fixed-assets': { overdueSweepSeconds: 0 } },
    });
    store = await location(t, 'IT store');
    office = await location(t, 'Office');
    laptop = await item(t, 'Laptop 14"');
    scanner = await item(t, 'Handheld scanner', { trackingMode: 'serial' });
    // FIFO layers: two laptops at 1,000.00, then one at 1,300.00.
    await call()({ method: 'POST', url: `${INV}/moves`, payload: { type: 'receipt', lines: [{ itemId: laptop, qty: 2, unitCost: '1000.00', toLocationId: store }] } }, 201);
    await call()({ method: 'POST', url: `${INV}/moves`, payload: { type: 'receipt', lines: [{ itemId: laptop, qty: 1, unitCost: '1300.00', toLocationId: store }] } }, 201);
    await call()({ method: 'POST', url: `${INV}/moves`, payload: { type: 'receipt', lines: [{ itemId: scanner, qty: 2, unitCost: '450.00', toLocationId: store, serials: ['SC-1', 'SC-2'] }] } }, 201);
  });
  afterAll(async () => {
    if (t) await custodyMatchesStatus(t);
    await t?.close();
  });

  const onHand = async (itemId: string) => {
    const rows = (await call()({ method: 'GET', url: `${INV}/stock?groupBy=item&itemId=${itemId}&includeZero=true` }, 200)).data as { onHand: string }[];
    return rows[0]?.onHand ?? '0';
  };

  it('issues one unit at its cost and registers the asset with it; the move names the tag, the history names the move', async () => {
    const from = t.events.length;
    const res = await fromStock({ itemId: laptop, fromLocationId: store, locationId: office, department: 'Engineering' });
    expect(res.statusCode, res.body).toBe(201);
    const asset = res.json();
    expect(asset).toMatchObject({ name: 'Laptop 14"', itemId: laptop, locationId: office, status: 'in-service', acquisitionCost: '1000.00', department: 'Engineering' });
    expect(asset.purchaseDate).toBe(new Date().toISOString().slice(0, 10));
    expect(await onHand(laptop)).toBe('2');

    const moves = (await call()({ method: 'GET', url: `${INV}/moves?itemId=${laptop}&type=issue` }, 200)).data as { id: string; number: string; reference: string }[];
    expect(moves).toHaveLength(1);
    expect(moves[0].reference).toBe(asset.tag);
    const history = (await call()({ method: 'GET', url: `${FA}/assets/${asset.id}/history` }, 200)).data as { type: string; data: Record<string, unknown> }[];
    expect(history.find((h) => h.type === 'received-from-stock')?.data).toMatchObject({ moveId: moves[0].id, moveNumber: moves[0].number, cost: '1000.00', fromLocationId: store });

    // Both plugins' events, each under its own name; both audit records in the same transaction.
    expect(eventsSince(t, from)).toEqual(expect.arrayContaining(['inventory.move.posted', 'fixed-assets.asset.created']));
    // The asset's event names the stock issue it came from, so a ledger does not book the cost twice.
    const issueLine = (t.events.find((e) => e.name === 'inventory.move.posted' && (e.payload as { id: string }).id === moves[0].id)!.payload as { lines: { lineId: string }[] }).lines[0].lineId;
    expect(t.events.find((e) => e.name === 'fixed-assets.asset.created' && (e.payload as { id: string }).id === asset.id)?.payload).toMatchObject({ acquisitionCost: '1000.00', fromStockMoveLineId: issueLine });
    const audit = await t.sql<{ plugin_id: string; entity_id: string }>(`SELECT plugin_id, entity_id FROM core_audit WHERE entity_id IN ($1, $2) ORDER BY id`, [moves[0].id, asset.id]);
    expect(audit.map((a) => [a.plugin_id, a.entity_id])).toEqual(expect.arrayContaining([['inventory', moves[0].id], ['fixed-assets', asset.id]]));
  });

  it('takes FIFO layers in order: the second laptop at 1,000.00, the third at 1,300.00', async () => {
    expect((await fromStock({ itemId: laptop, fromLocationId: store })).json().acquisitionCost).toBe('1000.00');
    expect((await fromStock({ itemId: laptop, fromLocationId: store, name: 'Spare laptop' })).json()).toMatchObject({ acquisitionCost: '1300.00', name: 'Spare laptop', locationId: store });
    expect(await onHand(laptop)).toBe('0');
  });

  it('refuses when the stock is not there, and then writes neither the issue nor the asset', async () => {
    const res = await expectNoChange(t, () => fromStock({ itemId: laptop, fromLocationId: store }));
    expectProblem(res, 409, 'inventory/insufficient-stock');
  });

  it('a serialized unit keeps its serial as the asset’s serial number', async () => {
    const asset = (await call()({ method: 'POST', url: `${FA}/assets/from-stock`, payload: { itemId: scanner, fromLocationId: store, serial: 'SC-2' } }, 201)) as { serialNumber: string; acquisitionCost: string };
    expect(asset).toMatchObject({ serialNumber: 'SC-2', acquisitionCost: '450.00' });
    const serials = (await call()({ method: 'GET', url: `${INV}/serials?itemId=${scanner}&serial=SC-2` }, 200)).data as { locationId: string | null }[];
    expect(serials[0].locationId).toBeNull();
    // A serial that is not in stock any more is the inventory's refusal, and nothing is written.
    const again = await expectNoChange(t, () => fromStock({ itemId: scanner, fromLocationId: store, serial: 'SC-2' }));
    expect(again.statusCode).toBeGreaterThanOrEqual(400);
    expect(again.statusCode).toBeLessThan(500);
  });

  it('an asset that does not validate takes no stock out either', async () => {
    const before = await onHand(scanner);
    const res = await expectNoChange(t, () => fromStock({ itemId: scanner, fromLocationId: store, serial: 'SC-1', tag: 'bad tag with spaces and more than enough characters to be refused?' }));
    expect(res.statusCode).toBe(400);
    expect(await onHand(scanner)).toBe(before);
  });

  it('needs the inventory permission to take stock out as well as the register’s', async () => {
    const clerk = await userWith(t, 'clerk@example.test', ['fixed-assets.asset.write', 'fixed-assets.asset.read']);
    const res = await expectNoChange(t, () => t.request({ method: 'POST', url: `${FA}/assets/from-stock`, payload: { itemId: scanner, fromLocationId: store, serial: 'SC-1' }, headers: clerk.headers }));
    expectProblem(res, 403, 'forbidden');
  });
});
