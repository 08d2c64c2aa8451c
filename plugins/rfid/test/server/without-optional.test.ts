import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoChange, expectProblem, type TestPlatform } from '@quartermaster/testing';
import { RF, bootRfid, caller, clock, giai, identifier, item, location, movementsOf, registerReader, send, sgtin, tagRow, zebra } from './fixtures.js';

/** The RFID plugin alone: neither fixed assets nor inventory is enabled. */
describe('without fixed assets and inventory', () => {
  let t: TestPlatform;
  let call: ReturnType<typeof caller>;
  let store: string;
  let shelf: string;

  beforeAll(async () => {
    t = await bootRfid();
    call = caller(t);
    store = await location(t, 'Corner store', 'site');
    shelf = await location(t, 'Shelf 1', 'shelf', store);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('loads on its own, with its adapter offered to the device registry', async () => {
    const health = (await t.app.inject({ method: 'GET', url: '/api/health' })).json();
    expect(health.plugins).toEqual(['core', 'rfid']);
    const adapters = (await call({ method: 'GET', url: '/api/core/device-adapters' }, 200)) as Array<{ id: string; kinds: string[]; transports: string[]; settingsSchema: Record<string, unknown> | null }>;
    expect(adapters.find((a) => a.id === 'rfid-reader')).toMatchObject({ kinds: ['rfid-reader'], transports: ['http', 'mqtt'], settingsSchema: { type: 'object' } });
  });

  it('the registry checks reader settings against the adapter schema', async () => {
    const res = await t.request({
      method: 'POST',
      url: '/api/core/devices',
      payload: { code: 'bad-settings', name: 'x', kind: 'rfid-reader', adapter: 'rfid-reader', settings: { antennas: [{ antenna: 0, locationId: 'shelf' }], dedupeWindowSeconds: -1 } },
    });
    const body = expectProblem(res, 400, 'validation');
    expect(body.errors!.map((e) => e.field).sort()).toEqual(['settings.antennas.0.antenna', 'settings.antennas.0.locationId', 'settings.dedupeWindowSeconds']);
  });

  it('tags move and emit events; an item target is kept, no asset is involved', async () => {
    const soap = await item(t, 'Soap bar');
    const epc = giai(7001);
    await identifier(t, 'epc', epc, 'core.item', soap);
    const reader = await registerReader(t, 'shelf-reader', { antennas: [{ antenna: 1, locationId: shelf }] }, store);
    const from = t.events.length;
    await send(t, reader, [zebra(epc, 1, -50, '2026-11-24T08:00:00Z'), zebra(epc, 2, -50, '2026-11-24T08:00:01Z')]);
    // Antenna 2 has no zone: the reader's own location.
    expect(await movementsOf(t, epc)).toEqual([
      { from_location_id: null, to_location_id: shelf, direction: null, antenna: 1 },
      { from_location_id: shelf, to_location_id: store, direction: null, antenna: 2 },
    ]);
    expect(t.events.slice(from).map((e) => [e.name, (e.payload as { targetType: string }).targetType])).toEqual([
      ['rfid.tag.moved', 'core.item'],
      ['rfid.tag.moved', 'core.item'],
    ]);
  });

  it('a reader on the generic JSON adapter feeds the same consumer, with the default window at its location', async () => {
    const body = await call({ method: 'POST', url: '/api/core/devices', payload: { code: 'gateway-1', name: 'Gateway', kind: 'rfid-reader', locationId: shelf } }, 201);
    const gateway = { id: body.device.id, code: body.device.code, key: body.key };
    const epc = giai(7002);
    const at = clock('2026-11-24T09:00:00Z');
    await send(t, gateway, [{ epc, antenna: 1, rssi: -60, at: at(0) }, { epc, antenna: 1, rssi: -60, at: at(4) }, { epc, antenna: 1, rssi: -60, at: at(5) }]);
    expect(await tagRow(t, epc)).toMatchObject({ last_location_id: shelf, read_count: '2', target_type: null });
  });

  it('enrolling to an asset is refused; to an item it works', async () => {
    const epc = sgtin(8001);
    const reader = await registerReader(t, 'desk-reader', {}, store);
    await send(t, reader, [zebra(epc, 1, -50, '2026-11-24T10:00:00Z')]);
    const refused = await expectNoChange(t, () => t.request({ method: 'POST', url: `${RF}/tags/${epc}/enrol`, payload: { targetType: 'fixed-assets.asset', targetId: '00000000-0000-4000-8000-000000000001' } }));
    expect(expectProblem(refused, 400, 'validation').errors).toEqual([{ field: 'targetType', message: 'assets need the fixed-assets plugin, which is not enabled' }]);
    const towel = await item(t, 'Towel');
    const done = await call({ method: 'POST', url: `${RF}/tags/${epc}/enrol`, payload: { targetType: 'core.item', targetId: towel } }, 200);
    expect(done.tag.target).toEqual({ type: 'core.item', id: towel, label: 'Towel' });
  });

  it('stock counts answer the RFID count without on-hand figures', async () => {
    const res = await call({ method: 'GET', url: `${RF}/stock-counts?locationId=${store}` }, 200);
    expect(res).toMatchObject({ locationId: store, inventory: false });
    expect(res.data).toEqual([{ gtin: '80614141123458', item: null, counted: 1, onHand: null, difference: null, lastSeenAt: '2026-11-24T10:00:00.000Z' }]);
  });

  it('the core resolves a scanned EPC through the plugin: the EPC, and the GTIN it carries', async () => {
    const epc = sgtin(8001);
    const resolved = await call({ method: 'GET', url: `/api/core/identifiers/resolve?value=${epc.toLowerCase()}` }, 200);
    expect(resolved.interpretations).toEqual([
      { type: 'epc', value: epc, data: { scheme: 'sgtin-96', pureIdentityUri: 'urn:epc:id:sgtin:0614141.812345.8001', tagUri: 'urn:epc:tag:sgtin-96:1.0614141.812345.8001', hri: '(01)80614141123458(21)8001' } },
      { type: 'gtin', value: '80614141123458', data: { serial: '8001', epc } },
    ]);
    expect(resolved.matches.map((m: { target: { label: string } }) => m.target.label)).toEqual(['Towel']);
  });

  it('unknown tags can be cleared; named ones stay', async () => {
    const reader = await registerReader(t, 'clear-reader', {}, shelf);
    const stray = [giai(7101), giai(7102)];
    await send(t, reader, [zebra(stray[0], 1, -50, '2026-11-24T11:00:00Z'), zebra(stray[1], 1, -50, '2026-11-24T11:30:00Z')]);
    const before = (await call({ method: 'GET', url: `${RF}/tags?status=known` }, 200)).total;
    const from = t.events.length;
    // The first stray, and the generic gateway's tag seen on the shelf at 09:00.
    expect(await call({ method: 'POST', url: `${RF}/tags/clear`, payload: { seenBefore: '2026-11-24T11:15:00Z', locationId: shelf } }, 200)).toEqual({ cleared: 2 });
    expect(await tagRow(t, stray[0])).toBeUndefined();
    expect(await tagRow(t, giai(7002))).toBeUndefined();
    expect(await tagRow(t, stray[1])).toBeDefined();
    expect(t.events.slice(from).map((e) => e.payload)).toEqual([{ count: 2, seenBefore: '2026-11-24T11:15:00Z', locationId: shelf }]);
    expect(await call({ method: 'POST', url: `${RF}/tags/clear`, payload: {} }, 200)).toEqual({ cleared: 1 });
    expect((await call({ method: 'GET', url: `${RF}/tags?status=unknown` }, 200)).total).toBe(0);
    expect((await call({ method: 'GET', url: `${RF}/tags?status=known` }, 200)).total).toBe(before);
    // Nothing left to clear: no write, no event.
    expect(await expectNoChange(t, () => call({ method: 'POST', url: `${RF}/tags/clear`, payload: {} }, 200))).toEqual({ cleared: 0 });
  });
});
