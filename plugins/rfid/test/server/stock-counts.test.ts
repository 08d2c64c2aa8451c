import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestPlatform } from '@quartermaster/testing';
import { RF, bootRfid, caller, clock, identifier, item, location, registerReader, send, sgtin, tagRow, zebra } from './fixtures.js';

/**
 * Counting SGTIN-tagged goods with readers, against inventory on hand (inventory enabled, fixed
 * assets not). GTINs from the GS1 EPC TDS 1.13 examples: company prefix 0614141 with item
 * reference 812345 (indicator 8) is GTIN 80614141123458 (§7.1); item reference 012345 (indicator 0)
 * is GTIN-14 00614141123452, i.e. the GTIN-12 614141123452 (check digit per GS1 General
 * Specifications §7.9.1).
 */
describe('RFID stock counts against inventory on hand', () => {
  let t: TestPlatform;
  let call: ReturnType<typeof caller>;
  let store: string;
  let floor: string;
  let shelf: string;
  let backroom: string;
  let cases: string;
  let mugs: string;
  const at = clock('2026-11-24T08:00:00Z');
  const upc = (serial: number) => sgtin(serial, '012345');
  const counts = async (locationId: string, extra = '') => (await call({ method: 'GET', url: `${RF}/stock-counts?locationId=${locationId}${extra}` }, 200)) as { inventory: boolean; total: number; data: Array<Record<string, unknown>> };

  beforeAll(async () => {
    t = await bootRfid({ inventory: true });
    call = caller(t);
    store = await location(t, 'Store 12', 'site');
    floor = await location(t, 'Sales floor', 'zone', store);
    shelf = await location(t, 'Shelf A', 'shelf', floor);
    backroom = await location(t, 'Backroom', 'zone', store);
    cases = await item(t, 'Phone case');
    mugs = await item(t, 'Mug');
    await identifier(t, 'gtin', '80614141123458', 'core.item', cases);
    await identifier(t, 'gtin', '614141123452', 'core.item', mugs);
    const receive = (itemId: string, qty: number, toLocationId: string) =>
      call({ method: 'POST', url: '/api/inventory/moves', payload: { type: 'receipt', lines: [{ itemId, qty, unitCost: '2.50', toLocationId }] } }, 201);
    await receive(cases, 3, shelf);
    await receive(mugs, 1, backroom);

    const reader = await registerReader(t, 'store-12', { antennas: [{ antenna: 1, locationId: shelf }, { antenna: 2, locationId: backroom }] }, store);
    await send(t, reader, [
      zebra(sgtin(1), 1, -50, at(0)),
      zebra(sgtin(2), 1, -52, at(1)),
      zebra(sgtin(3), 2, -55, at(2)),
      zebra(upc(7), 1, -50, at(3)),
      // GTIN 80614141999992 names no item.
      zebra(sgtin(1, '899999'), 1, -50, at(4)),
    ]);
    // Serial 1 read again later: still one serial.
    await send(t, reader, [zebra(sgtin(1), 1, -50, at(600))]);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('counts distinct serials per GTIN in a location subtree, with on hand and the difference', async () => {
    expect(await tagRow(t, sgtin(1))).toMatchObject({ read_count: '2', target_type: 'core.item', target_id: cases });
    expect(await tagRow(t, upc(7))).toMatchObject({ target_type: 'core.item', target_id: mugs });
    const floorCount = await counts(floor);
    expect(floorCount).toMatchObject({ inventory: true, total: 3 });
    expect(floorCount.data).toEqual([
      { gtin: '00614141123452', item: { id: mugs, name: 'Mug' }, counted: 1, onHand: '0', difference: '1', lastSeenAt: at(3) },
      { gtin: '80614141123458', item: { id: cases, name: 'Phone case' }, counted: 2, onHand: '3', difference: '-1', lastSeenAt: at(600) },
      { gtin: '80614141999992', item: null, counted: 1, onHand: null, difference: null, lastSeenAt: at(4) },
    ]);
    const storeCount = await counts(store);
    expect(storeCount.data.map((r) => [r.gtin, r.counted, r.onHand, r.difference])).toEqual([
      ['00614141123452', 1, '1', '0'],
      ['80614141123458', 3, '3', '0'],
      ['80614141999992', 1, null, null],
    ]);
    expect((await counts(backroom)).data.map((r) => [r.gtin, r.counted, r.onHand])).toEqual([['80614141123458', 1, '0']]);
  });

  it('seenSince keeps only tags seen since the count began; paging answers the total', async () => {
    expect((await counts(store, `&seenSince=${encodeURIComponent(at(300))}`)).data.map((r) => [r.gtin, r.counted])).toEqual([['80614141123458', 1]]);
    const page = await counts(store, '&limit=1&offset=1');
    expect(page).toMatchObject({ total: 3, limit: 1, offset: 1 });
    expect(page.data.map((r) => r.gtin)).toEqual(['80614141123458']);
    expect(await counts(store, '&offset=10')).toMatchObject({ total: 3, data: [] });
  });
});
