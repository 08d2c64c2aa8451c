import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, type TestPlatform } from '@quartermaster/testing';
import { RF, caller, clock, giai, identifier, idle, ingest, location, movementsOf, registerReader, send, sgtin, tagRow, waitFor, zebra, type Reader } from './fixtures.js';
import { bootRfid } from './fixtures.js';
import { connectMqtt } from './mqtt-publisher.js';

/**
 * Reads end to end through the core's ingestion (HTTP and MQTT), with fixed assets enabled: a
 * dock-door portal reader with an outer and an inner antenna and an aisle antenna; tags enrolled
 * to assets in the core. Payloads are Zebra FX IoT Connector tag data events.
 */
describe('tag reads through the core ingestion, with fixed assets', () => {
  let t: TestPlatform;
  let call: ReturnType<typeof caller>;
  let site: string;
  let outside: string;
  let inside: string;
  let aisle: string;
  let reader: Reader;
  let mqttUrl: string;

  const asset = async (name: string, extra: Record<string, unknown> = {}) =>
    call({ method: 'POST', url: '/api/fixed-assets/assets', payload: { name, locationId: site, ...extra } }, 201) as Promise<{ id: string; tag: string; locationId: string }>;
  const assetLocation = async (id: string) => (await call({ method: 'GET', url: `/api/fixed-assets/assets/${id}` }, 200)).locationId;
  const movedEvents = (from: number) => t.events.slice(from).filter((e) => e.name === 'rfid.tag.moved').map((e) => e.payload as Record<string, unknown>);

  beforeAll(async () => {
    t = await bootRfid({ fixedAssets: true, mqtt: true });
    call = caller(t);
    site = await location(t, 'Main DC', 'site');
    outside = await location(t, 'Dock 1 apron', 'zone', site);
    inside = await location(t, 'Dock 1 inside', 'zone', site);
    aisle = await location(t, 'Aisle 3', 'aisle', site);
    reader = await registerReader(
      t,
      'dock-1',
      {
        antennas: [
          { antenna: 1, locationId: outside, portalSide: 'outer' },
          { antenna: 2, locationId: inside, portalSide: 'inner' },
          { antenna: 3, locationId: aisle },
        ],
        dedupeWindowSeconds: 5,
        rssiThresholdDbm: -70,
        portalWindowSeconds: 10,
      },
      site,
    );
    mqttUrl = (await call({ method: 'GET', url: '/api/core/device-ingestion' }, 200)).mqtt.url;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('a Zebra tag data event moves the enrolled asset to the zone of the antenna, with a movement, its event and the asset history', async () => {
    const drill = await asset('Core drill');
    const epc = giai(900001);
    await identifier(t, 'epc', epc, 'fixed-assets.asset', drill.id);
    const from = t.events.length;
    // Zebra's timestamps carry an offset without a colon: 10:00-0700 is 17:00Z.
    await send(t, reader, [zebra(epc, 3, -55, '2026-11-24T01:00:00.250-0700')]);

    expect(await tagRow(t, epc)).toMatchObject({ target_type: 'fixed-assets.asset', target_id: drill.id, last_location_id: aisle, read_count: '1' });
    expect(await movementsOf(t, epc)).toEqual([{ from_location_id: null, to_location_id: aisle, direction: null, antenna: 3 }]);
    expect(movedEvents(from)).toEqual([
      { epc, targetType: 'fixed-assets.asset', targetId: drill.id, fromLocationId: null, toLocationId: aisle, deviceId: reader.id, direction: null, at: '2026-11-24T08:00:00.250Z' },
    ]);
    expect(await assetLocation(drill.id)).toBe(aisle);
    const [last] = (await call({ method: 'GET', url: `/api/fixed-assets/assets/${drill.id}/history` }, 200)).data;
    expect(last).toMatchObject({ type: 'moved', reason: 'RFID dock-1 antenna 3', data: { fromLocationId: site, toLocationId: aisle } });
    expect(t.events.slice(from).map((e) => e.name)).toEqual(['rfid.tag.moved', 'fixed-assets.asset.moved']);
    const audit = await t.sql<{ plugin_id: string; action: string; actor_label: string }>(`SELECT plugin_id, action, actor_label FROM core_audit WHERE entity_type = 'rfid.tag' AND entity_id = $1`, [epc]);
    expect(audit).toEqual([{ plugin_id: 'rfid', action: 'moved', actor_label: 'device dock-1' }]);
  });

  it('reads of a tag within the dedupe window are duplicates: no movement, no count; after the window it counts again', async () => {
    const at = clock('2026-11-24T09:00:00Z');
    const epc = giai(900002);
    const ladder = await asset('Ladder');
    await identifier(t, 'epc', epc, 'fixed-assets.asset', ladder.id);
    await send(t, reader, [zebra(epc, 3, -50, at(0)), zebra(epc, 3, -48, at(1)), zebra(epc, 3, -51, at(2))]);
    await send(t, reader, [zebra(epc, 3, -50, at(4.9))]);
    expect(await tagRow(t, epc)).toMatchObject({ read_count: '1', last_location_id: aisle });
    expect(await movementsOf(t, epc)).toHaveLength(1);
    // Duplicates are dropped at ingestion, before the queue: only the first read is stored raw; the others are counted as filtered.
    const [{ n }] = await t.sql<{ n: string }>(`SELECT count(*) AS n FROM core_device_reading WHERE device_id = $1 AND reading->>'epc' = $2`, [reader.id, epc]);
    expect(Number(n)).toBe(1);
    expect((await t.request({ method: 'GET', url: '/api/core/device-ingestion' })).json().queue.filtered).toBeGreaterThanOrEqual(3);

    const from = t.events.length;
    await send(t, reader, [zebra(epc, 3, -50, at(6))]);
    expect(await tagRow(t, epc)).toMatchObject({ read_count: '2', last_location_id: aisle });
    expect(await movementsOf(t, epc)).toHaveLength(1);
    expect(movedEvents(from)).toEqual([]);
  });

  it('reads weaker than the RSSI threshold are dropped', async () => {
    const at = clock('2026-11-24T10:00:00Z');
    const weak = giai(900003);
    await send(t, reader, [zebra(weak, 1, -71.5, at(0)), zebra(weak, 2, -80, at(1))]);
    expect(await tagRow(t, weak)).toBeUndefined();

    const epc = giai(900004);
    const pallet = await asset('Pallet jack');
    await identifier(t, 'epc', epc, 'fixed-assets.asset', pallet.id);
    await send(t, reader, [zebra(epc, 3, -60, at(2))]);
    // A weak read on the outer antenna later does not take it outside.
    await send(t, reader, [zebra(epc, 1, -75, at(10))]);
    expect(await tagRow(t, epc)).toMatchObject({ last_location_id: aisle, read_count: '1' });
    expect(await assetLocation(pallet.id)).toBe(aisle);
  });

  it('through the portal: outer then inner is "in", inner then outer is "out", recorded on the movements and events', async () => {
    const at = clock('2026-11-24T11:00:00Z');
    const epc = giai(900005);
    const welder = await asset('Welder');
    await identifier(t, 'epc', epc, 'fixed-assets.asset', welder.id);
    const from = t.events.length;
    // Inbound: the apron antenna sees it first, then the inside antenna (reads interleave at the door).
    await send(t, reader, [zebra(epc, 1, -60, at(0)), zebra(epc, 1, -58, at(0.4)), zebra(epc, 2, -62, at(0.8)), zebra(epc, 1, -65, at(1)), zebra(epc, 2, -55, at(1.5))]);
    expect(await movementsOf(t, epc)).toEqual([
      { from_location_id: null, to_location_id: outside, direction: null, antenna: 1 },
      { from_location_id: outside, to_location_id: inside, direction: 'in', antenna: 2 },
    ]);
    expect(await assetLocation(welder.id)).toBe(inside);

    // Outbound a minute later, in two payloads.
    await send(t, reader, [zebra(epc, 2, -57, at(60)), zebra(epc, 2, -59, at(60.5))]);
    await send(t, reader, [zebra(epc, 1, -61, at(61.2)), zebra(epc, 2, -68, at(61.3)), zebra(epc, 1, -60, at(61.6))]);
    const moves = await movementsOf(t, epc);
    expect(moves.slice(2)).toEqual([{ from_location_id: inside, to_location_id: outside, direction: 'out', antenna: 1 }]);
    expect(movedEvents(from).map((e) => [e.fromLocationId, e.toLocationId, e.direction, e.at])).toEqual([
      [null, outside, null, at(0)],
      [outside, inside, 'in', at(0.8)],
      [inside, outside, 'out', at(61.2)],
    ]);
    expect(await assetLocation(welder.id)).toBe(outside);
    const listed = (await call({ method: 'GET', url: `${RF}/movements?epc=${epc}` }, 200)).data;
    expect(listed.map((m: { direction: string | null; to: { name: string } }) => [m.direction, m.to.name])).toEqual([
      ['out', 'Dock 1 apron'],
      ['in', 'Dock 1 inside'],
      [null, 'Dock 1 apron'],
    ]);
  });

  it('a GIAI names the asset whose tag is that GIAI, without an epc identifier', async () => {
    // GIAI-96 of TDS §14.5.5.1: urn:epc:id:giai:0614141.12345400 ↔ (8004) 061414112345400.
    const hoist = await asset('Chain hoist', { tag: '061414112345400' });
    await send(t, reader, [zebra('3474257BF400000000BC6038', 3, -50, '2026-11-24T12:00:00Z')]);
    expect(await tagRow(t, '3474257BF400000000BC6038')).toMatchObject({ target_type: 'fixed-assets.asset', target_id: hoist.id, last_location_id: aisle });
    expect(await assetLocation(hoist.id)).toBe(aisle);
  });

  it('an unknown tag is listed with its GS1 key, then enrolled to an asset; its next movement moves the asset', async () => {
    const at = clock('2026-11-24T13:00:00Z');
    const epc = sgtin(424242);
    await send(t, reader, [zebra(epc, 3, -50, at(0))]);
    const unknown = (await call({ method: 'GET', url: `${RF}/tags?status=unknown&q=424242` }, 200)).data;
    expect(unknown).toEqual([
      expect.objectContaining({
        epc,
        target: null,
        scheme: 'sgtin-96',
        gs1KeyType: 'gtin',
        gs1Key: '80614141123458',
        serial: '424242',
        pureIdentityUri: 'urn:epc:id:sgtin:0614141.812345.424242',
        hri: '(01)80614141123458(21)424242',
        location: { id: aisle, name: 'Aisle 3' },
        device: { id: reader.id, code: 'dock-1' },
        readCount: 1,
      }),
    ]);

    const cart = await asset('Tool cart');
    const from = t.events.length;
    const enrolled = await call({ method: 'POST', url: `${RF}/tags/${epc.toLowerCase()}/enrol`, payload: { targetType: 'fixed-assets.asset', targetId: cart.id } }, 200);
    expect(enrolled.tag.target).toEqual({ type: 'fixed-assets.asset', id: cart.id, label: `${cart.tag} · Tool cart` });
    expect(t.events.slice(from).map((e) => e.name).sort()).toEqual(['core.identifier.assigned', 'rfid.tag.enrolled']);
    expect(t.events.slice(from).find((e) => e.name === 'rfid.tag.enrolled')!.payload).toEqual({ epc, targetType: 'fixed-assets.asset', targetId: cart.id, identifierId: enrolled.identifierId });
    const [ident] = await t.sql(`SELECT type, value, target_type, target_id FROM core_identifier WHERE id = $1`, [enrolled.identifierId]);
    expect(ident).toEqual({ type: 'epc', value: epc, target_type: 'fixed-assets.asset', target_id: cart.id });
    expect((await t.sql(`SELECT action FROM core_audit WHERE entity_type = 'rfid.tag' AND entity_id = $1 ORDER BY id`, [epc])).map((r) => r.action)).toEqual(['moved', 'enrolled']);
    expect((await call({ method: 'GET', url: `${RF}/tags?status=unknown&q=424242` }, 200)).total).toBe(0);
    expect((await call({ method: 'GET', url: `${RF}/tags?status=known&q=424242` }, 200)).data.map((x: { epc: string }) => x.epc)).toEqual([epc]);
    // Enrolment does not move the asset (tags are enrolled at a desk); the next movement does.
    expect(await assetLocation(cart.id)).toBe(site);
    await send(t, reader, [zebra(epc, 2, -50, at(30))]);
    expect(await assetLocation(cart.id)).toBe(inside);

    expectProblem(await t.request({ method: 'POST', url: `${RF}/tags/${epc}/enrol`, payload: { targetType: 'fixed-assets.asset', targetId: cart.id } }), 409, 'identifier-taken');
    const detail = await call({ method: 'GET', url: `${RF}/tags/${epc}` }, 200);
    expect(detail.decoded).toMatchObject({ scheme: 'sgtin-96', gtin: '80614141123458', serial: '424242' });
    expect(detail.movements.map((m: { to: { id: string } }) => m.to.id)).toEqual([inside, aisle]);
  });

  it('an SGTIN names the item with that GTIN', async () => {
    const cola = (await call({ method: 'POST', url: '/api/core/items', payload: { name: 'Cola 24-pack' } }, 201)).id;
    await identifier(t, 'gtin', '80614141123458', 'core.item', cola);
    const epc = sgtin(515151);
    await send(t, reader, [zebra(epc, 3, -50, '2026-11-24T14:00:00Z')]);
    expect(await tagRow(t, epc)).toMatchObject({ target_type: 'core.item', target_id: cola });
    const tag = (await call({ method: 'GET', url: `${RF}/tags/${epc}` }, 200)).tag;
    expect(tag.target).toEqual({ type: 'core.item', id: cola, label: 'Cola 24-pack' });
  });

  it('a read older than the tag\'s last sighting is counted but does not move it back', async () => {
    const at = clock('2026-11-24T15:00:00Z');
    const epc = giai(900006);
    await send(t, reader, [zebra(epc, 2, -50, at(100))]);
    await send(t, reader, [zebra(epc, 3, -50, at(50))]);
    expect(await tagRow(t, epc)).toMatchObject({ last_location_id: inside, read_count: '2' });
    expect(await movementsOf(t, epc)).toHaveLength(1);
  });

  it('an antenna configured with a location that does not exist fails only its reads, kept as failed with the reason; the rest of the batch is applied', async () => {
    const ghost = '00000000-0000-4000-8000-00000000abcd';
    const odd = await registerReader(t, 'odd-reader', { antennas: [{ antenna: 1, locationId: aisle }, { antenna: 4, locationId: ghost }] });
    const good = giai(900007);
    const bad = giai(900008);
    await send(t, odd, [zebra(good, 1, -50, '2026-11-24T16:00:00Z'), zebra(bad, 4, -50, '2026-11-24T16:00:01Z')]);
    // The batch failed as a whole and was retried read by read: the good read still counts once.
    expect(await tagRow(t, good)).toMatchObject({ last_location_id: aisle, read_count: '1' });
    expect(await tagRow(t, bad)).toBeUndefined();
    const failed = (await call({ method: 'GET', url: `/api/core/devices/${odd.id}/readings?status=failed` }, 200)).data;
    expect(failed).toEqual([
      expect.objectContaining({ reading: expect.objectContaining({ epc: bad }), error: `antenna 4 of reader odd-reader watches location ${ghost}, which does not exist; correct the device's settings` }),
    ]);
  });

  it('a payload the adapter cannot read is 422 naming the field, and nothing is queued', async () => {
    const res = await ingest(t, reader, [zebra(giai(900009), 1, -50, '2026-11-24T17:00:00Z'), { data: { idHex: '3074257BF7194E4000001A8', antenna: 1 }, timestamp: '2026-11-24T17:00:00Z' }]);
    const body = expectProblem(res, 422, 'device-payload-invalid');
    expect(body.errors).toEqual([{ field: '[1].data.idHex', message: "EPC '3074257BF7194E4000001A8' is not a whole number of 16-bit words (23 hex digits)" }]);
    await idle(t);
    expect(await tagRow(t, giai(900009))).toBeUndefined();
  });

  it('over MQTT: a reader publishes Zebra events under its code and the tag moves', async () => {
    const epc = giai(900010);
    const mixer = await asset('Concrete mixer');
    await identifier(t, 'epc', epc, 'fixed-assets.asset', mixer.id);
    const client = await connectMqtt(mqttUrl, reader.code, reader.key);
    await client.publish(`quartermaster/devices/${reader.code}/events`, JSON.stringify([zebra(epc, 1, -60, '2026-11-24T18:00:00Z'), zebra(epc, 2, -55, '2026-11-24T18:00:01Z')]));
    await client.close();
    // The broker acknowledged the message; the platform's subscriber queues it a moment later.
    await waitFor(async () => (await t.sql(`SELECT 1 FROM core_device_reading WHERE device_id = $1 AND transport = 'mqtt' AND reading->>'epc' = $2`, [reader.id, epc])).length === 2);
    await idle(t);
    expect(await movementsOf(t, epc)).toEqual([
      { from_location_id: null, to_location_id: outside, direction: null, antenna: 1 },
      { from_location_id: outside, to_location_id: inside, direction: 'in', antenna: 2 },
    ]);
    expect(await assetLocation(mixer.id)).toBe(inside);
    await expect(connectMqtt(mqttUrl, reader.code, 'qmd_wrong-key')).rejects.toThrow(/return code [45]/);
  });

  it('recent reads show the raw reads with their zone, newest first', async () => {
    const recent = (await call({ method: 'GET', url: `${RF}/reads/recent?deviceId=${reader.id}&limit=2` }, 200)).data;
    expect(recent).toHaveLength(2);
    expect(recent[0]).toMatchObject({ device: { id: reader.id, code: 'dock-1' }, epc: giai(900010), antenna: 2, rssi: -55, locationId: inside, gs1KeyType: 'giai', target: { type: 'fixed-assets.asset' } });
    expect(recent[1]).toMatchObject({ antenna: 1, locationId: outside });
    expect(Number(recent[0].readingId)).toBeGreaterThan(Number(recent[1].readingId));
  });
});
