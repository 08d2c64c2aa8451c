import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '@quartermaster/testing';
import { fixedAssetsPlugin } from '@quartermaster/plugin-fixed-assets/server';
import { rfidPlugin } from '../../src/server/index.js';
import { DEMO_READERS, DEMO_UNKNOWN_TAGS } from '../../src/server/demo-data.js';
import { gs1CheckDigit } from '../../src/domain/index.js';
import { RF, bootRfid, caller, identifier, item } from './fixtures.js';

/** A GTIN-14 under the core demo catalogue's prefix 8712345, item reference `ref`, with its check digit. */
const gtin = (ref: string) => `08712345${ref}` + gs1CheckDigit(`08712345${ref}`);

/** What an administrator would count: rows the demo writes, so a second run can be compared. */
const footprint = async (t: TestPlatform) =>
  (await t.sql<Record<string, string>>(
    `SELECT (SELECT count(*) FROM core_device) AS devices, (SELECT count(*) FROM core_device_reading) AS readings, (SELECT count(*) FROM core_identifier) AS identifiers,
            (SELECT count(*) FROM rfid_tag) AS tags, (SELECT count(*) FROM rfid_movement) AS movements, (SELECT coalesce(sum(read_count), 0) FROM rfid_tag) AS reads,
            (SELECT count(*) FROM core_audit) AS audit`,
  ))[0];

/** The parts of the server's demo catalogue the RFID demo (and the fixed-assets demo under it) build on. */
async function demoCatalogue(t: TestPlatform) {
  const call = caller(t);
  const loc = async (name: string, type: string, code: string, parentId?: string) =>
    (await call({ method: 'POST', url: '/api/core/locations', payload: { name, type, code, ...(parentId ? { parentId } : {}) } }, 201)).id as string;
  const rtm = await loc('Main DC', 'site', 'RTM');
  const receiving = await loc('Receiving', 'zone', 'RCV', rtm);
  const crib = await loc('Tool crib', 'room', 'TC', rtm);
  await loc('Utrecht Store', 'site', 'UTR');
  return { rtm, receiving, crib };
}

describe('RFID demo data with fixed assets and inventory', () => {
  let t: TestPlatform;
  let call: ReturnType<typeof caller>;
  let locs: Awaited<ReturnType<typeof demoCatalogue>>;
  let batteries: string;
  const readers = async () => (await call({ method: 'GET', url: '/api/core/devices?kind=rfid-reader' }, 200)).data as any[];
  const reader = async (code: string) => (await readers()).find((d) => d.code === code);
  const assetNamed = async (pred: (a: any) => boolean) => ((await call({ method: 'GET', url: '/api/fixed-assets/assets?limit=100' }, 200)).data as any[]).find(pred);

  beforeAll(async () => {
    t = await bootRfid({ fixedAssets: true, inventory: true });
    call = caller(t);
    locs = await demoCatalogue(t);
    const category = async (name: string) => (await call({ method: 'POST', url: '/api/core/categories', payload: { name } }, 201)).id as string;
    const laptops = await category('Laptops');
    const power = await category('Power tools');
    const named = async (name: string, body: Record<string, unknown>) => (await call({ method: 'POST', url: '/api/core/items', payload: { name, ...body } }, 201)).id as string;
    await named('Laptop 14" business', { categoryId: laptops, kind: 'asset', identifiers: [{ type: 'sku', value: 'LAP-14-BIZ' }] });
    await named('Laptop 16" workstation', { categoryId: laptops, kind: 'asset', identifiers: [{ type: 'sku', value: 'LAP-16-WS' }] });
    await named('Cordless drill 18 V', { categoryId: power, kind: 'asset', identifiers: [{ type: 'sku', value: 'DRL-18V' }] });
    // Stock in the crib, as the inventory demo keeps it: battery packs and first aid kits with the catalogue's GTINs.
    batteries = await item(t, 'Battery pack 18 V 5 Ah');
    const kits = await item(t, 'First aid kit');
    await identifier(t, 'sku', 'BAT-18V-5AH', 'core.item', batteries);
    await identifier(t, 'gtin', gtin('10009'), 'core.item', batteries);
    await identifier(t, 'sku', 'FAK-STD', 'core.item', kits);
    await identifier(t, 'gtin', gtin('10029'), 'core.item', kits);
    for (const [itemId, qty] of [[batteries, 4], [kits, 5]] as const) {
      await call({ method: 'POST', url: '/api/inventory/moves', payload: { type: 'receipt', lines: [{ itemId, qty, unitCost: '20.00', toLocationId: locs.crib }] } }, 201);
    }
    // Demo hooks run in load order, as the server's demo loader calls them.
    await fixedAssetsPlugin.demoData!(t.platform.context('fixed-assets'));
    await rfidPlugin.demoData!(t.platform.context('rfid'));
  });
  afterAll(() => t?.close());

  it('registers a dock-door portal and a tool crib reader, antennas mapped to the demo zones, both having read', async () => {
    const list = await readers();
    expect(list.map((d) => [d.code, d.model, d.locationName, d.adapter])).toEqual([
      [DEMO_READERS.crib, 'Impinj R700', 'Tool crib', 'rfid-reader'],
      [DEMO_READERS.dock, 'Zebra FX9600', 'Receiving', 'rfid-reader'],
    ]);
    for (const d of list) expect(d.readingsCount, d.code).toBeGreaterThan(0);
    const dock = await call({ method: 'GET', url: `/api/core/devices/${(await reader(DEMO_READERS.dock)).id}` }, 200);
    expect(dock.settings.antennas).toEqual([
      { antenna: 1, locationId: locs.rtm, portalSide: 'outer' },
      { antenna: 2, locationId: locs.rtm, portalSide: 'outer' },
      { antenna: 3, locationId: locs.receiving, portalSide: 'inner' },
      { antenna: 4, locationId: locs.receiving, portalSide: 'inner' },
    ]);
    expect((await call({ method: 'GET', url: `${RF}/reads/recent?deviceId=${dock.id}` }, 200)).data.length).toBeGreaterThan(0);
  });

  it('shows portal passes: the delivered laptop came in to Receiving a day ago, the field laptop went out hours ago', async () => {
    const dock = await reader(DEMO_READERS.dock);
    const moves = (await call({ method: 'GET', url: `${RF}/movements?deviceId=${dock.id}&limit=100` }, 200)).data as any[];
    const received = await assetNamed((a) => a.status === 'received');
    const fieldLaptop = await assetNamed((a) => a.status === 'checked-out');
    const moveOf = (assetId: string, direction: string) => moves.find((m) => m.target?.id === assetId && m.direction === direction);
    expect(moveOf(received.id, 'in')).toMatchObject({ to: { id: locs.receiving, name: 'Receiving' }, from: { id: locs.rtm } });
    expect(moveOf(fieldLaptop.id, 'out')).toMatchObject({ to: { id: locs.rtm, name: 'Main DC' }, from: { id: locs.receiving } });
    const now = Date.now();
    for (const m of moves) expect(Date.parse(m.at)).toBeLessThan(now);
    expect(Date.parse(moveOf(received.id, 'in').at)).toBeLessThan(now - 24 * 3_600_000);
    // The movements moved the assets in the register.
    expect(received.locationId).toBe(locs.receiving);
    expect(fieldLaptop.locationId).toBe(locs.rtm);
    const [last] = (await call({ method: 'GET', url: `/api/fixed-assets/assets/${received.id}/history` }, 200)).data;
    expect(last).toMatchObject({ type: 'moved', reason: `RFID ${DEMO_READERS.dock} antenna 3` });
  });

  it('lists the asset tags as GIAI-96 under the demo prefix, enrolled to the assets; the spare laptop turned up in the crib', async () => {
    const known = (await call({ method: 'GET', url: `${RF}/tags?status=known&limit=200` }, 200)).data as any[];
    const assetTags = known.filter((x) => x.target?.type === 'fixed-assets.asset');
    expect(assetTags.length).toBeGreaterThanOrEqual(4);
    for (const tag of assetTags) expect(tag).toMatchObject({ scheme: 'giai-96', gs1KeyType: 'giai', gs1Key: expect.stringMatching(/^06141414\d{6}$/) });
    const drill = await assetNamed((a) => a.name === 'Cordless drill 18 V');
    expect(assetTags.find((x) => x.target.id === drill.id)).toMatchObject({ location: { id: locs.crib }, device: { code: DEMO_READERS.crib } });
    expect(assetTags.find((x) => x.target.id === drill.id).readCount).toBe(4);
    const spare = await assetNamed((a) => a.status === 'in-service' && a.name === 'Laptop 14" business');
    expect(spare.locationId).toBe(locs.crib);
  });

  it('lists the crib stock as SGTINs naming their items, counted against inventory on hand', async () => {
    const counts = await call({ method: 'GET', url: `${RF}/stock-counts?locationId=${locs.crib}` }, 200);
    expect(counts.data.map((r: any) => [r.item?.name, r.counted, r.onHand, r.difference])).toEqual([
      ['Battery pack 18 V 5 Ah', 4, '4', '0'],
      ['First aid kit', 5, '5', '0'],
    ]);
    const stock = (await call({ method: 'GET', url: `${RF}/tags?status=known&locationId=${locs.crib}&limit=200` }, 200)).data.filter((x: any) => x.target?.id === batteries);
    expect(stock.map((x: any) => x.scheme)).toEqual(['sgtin-96', 'sgtin-96', 'sgtin-96', 'sgtin-96']);
  });

  it('leaves two unknown tags to enrol: a supplier carton (GS1, unknown GTIN) and a non-GS1 tag', async () => {
    const unknown = (await call({ method: 'GET', url: `${RF}/tags?status=unknown` }, 200)).data as any[];
    expect(unknown.map((x) => x.epc).sort()).toEqual([DEMO_UNKNOWN_TAGS.carton, DEMO_UNKNOWN_TAGS.stray].sort());
    expect(unknown.find((x) => x.epc === DEMO_UNKNOWN_TAGS.carton)).toMatchObject({ scheme: 'sgtin-96', gs1KeyType: 'gtin', gs1Key: expect.stringMatching(/^0952123/), location: { id: locs.receiving } });
    expect(unknown.find((x) => x.epc === DEMO_UNKNOWN_TAGS.stray)).toMatchObject({ scheme: null, gs1Key: null, location: { id: locs.rtm }, readCount: 1 });
  });

  it('a second run adds nothing', async () => {
    const before = await footprint(t);
    await rfidPlugin.demoData!(t.platform.context('rfid'));
    expect(await footprint(t)).toEqual(before);
  });
});

describe('RFID demo data without fixed assets and inventory', () => {
  let t: TestPlatform;
  let call: ReturnType<typeof caller>;
  afterAll(() => t?.close());

  it('without the demo locations it seeds nothing', async () => {
    t = await bootRfid();
    call = caller(t);
    await rfidPlugin.demoData!(t.platform.context('rfid'));
    expect(await footprint(t)).toMatchObject({ devices: '0', tags: '0' });
  });

  it('with them, registers the readers and reads the unknown tags only', async () => {
    const locs = await demoCatalogue(t);
    await rfidPlugin.demoData!(t.platform.context('rfid'));
    expect(((await call({ method: 'GET', url: '/api/core/devices?kind=rfid-reader' }, 200)).data as any[]).map((d) => d.code).sort()).toEqual([DEMO_READERS.crib, DEMO_READERS.dock].sort());
    const tags = (await call({ method: 'GET', url: `${RF}/tags` }, 200)).data as any[];
    expect(tags.map((x) => x.epc).sort()).toEqual([DEMO_UNKNOWN_TAGS.carton, DEMO_UNKNOWN_TAGS.stray].sort());
    const moves = (await call({ method: 'GET', url: `${RF}/movements?epc=${DEMO_UNKNOWN_TAGS.carton}` }, 200)).data as any[];
    expect(moves.map((m) => [m.direction, m.to.id])).toEqual([
      ['in', locs.receiving],
      [null, locs.rtm],
    ]);
    const before = await footprint(t);
    await rfidPlugin.demoData!(t.platform.context('rfid'));
    expect(await footprint(t)).toEqual(before);
  });
});

describe('RFID demo data through the smallest ingestion queue', () => {
  let t: TestPlatform;
  afterAll(() => t?.close());

  it('waits when the queue is full, as a reader would, and loses nothing', async () => {
    t = await createTestPlatform({ plugins: [rfidPlugin], coreOptions: { devices: { queueCapacity: 10, batchSize: 3 } } });
    await demoCatalogue(t);
    await rfidPlugin.demoData!(t.platform.context('rfid'));
    // The carton's pass stores its two accepted reads (outside, then inside), the stray tag its one above the threshold.
    expect(await footprint(t)).toMatchObject({ devices: '2', tags: '2', movements: '3', readings: '3' });
  });
});
