import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestPlatform } from '@quartermaster/testing';
import { inventoryService } from '../../src/shared/index.js';
import { bootInventory, caller, item, location, posted } from './fixtures.js';

/**
 * `inventoryService.findLot` / `getLot`: what other plugins (the barcode plugin resolving a scanned
 * GS1 (01)+(10), printing lot labels) may read of a lot without touching inventory's tables.
 */

const INV = '/api/inventory';
let t: TestPlatform;
let call: ReturnType<typeof caller>;
let a: string;
let b: string;
const service = () => t.platform.context('inventory').services.get(inventoryService);

beforeAll(async () => {
  t = await bootInventory();
  call = caller(t);
  a = await location(t, 'Bin A');
  b = await location(t, 'Bin B');
});
afterAll(() => t?.close());

describe('inventoryService.findLot / getLot', () => {
  it('answers the lot of an item by its code with dates, block and on hand over all locations', async () => {
    const milk = await item(t, 'Milk', { trackingMode: 'lot' });
    const cream = await item(t, 'Cream', { trackingMode: 'lot' });
    const receipt = await posted(t, {
      type: 'receipt',
      lines: [
        { itemId: milk, qty: '6', unitCost: '1', toLocationId: a, lot: 'M-7', expiresOn: '2031-03-31', manufacturedOn: '2031-03-01' },
        { itemId: milk, qty: '2.5', unitCost: '1', toLocationId: b, lot: 'M-7' },
        { itemId: cream, qty: '1', unitCost: '1', toLocationId: a, lot: 'M-7' },
      ],
    });
    const lotId = receipt.lines[0].lotId as string;
    await call({ method: 'PATCH', url: `${INV}/lots/${lotId}`, payload: { blocked: true, blockReason: 'recall' } }, 200);

    const lot = await service().findLot(milk, 'M-7');
    expect(lot).toEqual({
      id: lotId,
      itemId: milk,
      code: 'M-7',
      expiresOn: '2031-03-31',
      manufacturedOn: '2031-03-01',
      blocked: true,
      blockReason: 'recall',
      onHand: '8.5',
    });
    expect(await service().getLot(lotId)).toEqual(lot);
    // The same code on another item is that item's lot.
    expect((await service().findLot(cream, 'M-7'))?.id).toBe(receipt.lines[2].lotId);
  });

  it('answers null for an unknown code, a code of another case, an unknown or malformed id', async () => {
    const butter = await item(t, 'Butter', { trackingMode: 'lot' });
    await posted(t, { type: 'receipt', lines: [{ itemId: butter, qty: '1', unitCost: '1', toLocationId: a, lot: 'B-1' }] });
    expect(await service().findLot(butter, 'B-2')).toBeNull();
    expect(await service().findLot(butter, 'b-1')).toBeNull();
    expect(await service().findLot('00000000-0000-4000-8000-000000000000', 'B-1')).toBeNull();
    expect(await service().findLot('not-a-uuid', 'B-1')).toBeNull();
    expect(await service().getLot('00000000-0000-4000-8000-000000000000')).toBeNull();
    expect(await service().getLot('not-a-uuid')).toBeNull();
  });
});
