import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestPlatform } from '@quartermaster/testing';
import { bootRfid, caller, clock, giai, identifier, location, registerReader, send, zebra, type Reader } from './fixtures.js';

const FA = '/api/fixed-assets';

/**
 * Verification campaigns of fixed assets filled by the readers: a campaign open for a site takes
 * the reads of antennas watching zones under it as scans — found, unexpected, unknown — with no
 * one scanning; a closed campaign takes nothing.
 */
describe('RFID reads as audit scans in fixed-assets verification campaigns', () => {
  let t: TestPlatform;
  let call: ReturnType<typeof caller>;
  let site: string;
  let zoneA: string;
  let zoneB: string;
  let annex: string;
  let reader: Reader;
  const at = clock('2026-11-24T12:00:00Z');

  const asset = async (name: string, locationId: string, extra: Record<string, unknown> = {}) =>
    (await call({ method: 'POST', url: `${FA}/assets`, payload: { name, locationId, ...extra } }, 201)) as { id: string; tag: string };
  const openCampaign = async (locationId: string) => (await call({ method: 'POST', url: `${FA}/campaigns`, payload: { name: 'RFID audit', locationId } }, 201)).id as string;
  const lines = async (id: string) => (await call({ method: 'GET', url: `${FA}/campaigns/${id}?limit=100` }, 200)).lines.data as any[];
  const counts = async (id: string) => (await call({ method: 'GET', url: `${FA}/campaigns/${id}` }, 200)).counts;
  const assetLocation = async (id: string) => (await call({ method: 'GET', url: `${FA}/assets/${id}` }, 200)).locationId;

  beforeAll(async () => {
    t = await bootRfid({ fixedAssets: true });
    call = caller(t);
    site = await location(t, 'Main DC', 'site');
    zoneA = await location(t, 'Zone A', 'zone', site);
    zoneB = await location(t, 'Zone B', 'zone', site);
    annex = await location(t, 'Annex', 'site');
    reader = await registerReader(t, 'dock-1', { antennas: [{ antenna: 1, locationId: zoneA }, { antenna: 2, locationId: zoneB }], dedupeWindowSeconds: 5 }, site);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('an open campaign for the site is filled by reads in zones under it: found, unexpected and unknown, nobody scanning', async () => {
    const laptop = await asset('Laptop', zoneA);
    const scope = await asset('Oscilloscope', zoneB);
    const visitor = await asset('Projector', annex);
    const chair = await asset('Chair', zoneA);
    // A GIAI whose asset reference is printed as the asset's own tag: no `epc` identifier needed.
    const tagged = await asset('Pallet jack', zoneB, { tag: '0614141900777' });
    const epcs = { laptop: giai(900101), scope: giai(900102), visitor: giai(900103), stray: giai(900199), tagged: giai(900777) };
    await identifier(t, 'epc', epcs.laptop, 'fixed-assets.asset', laptop.id);
    await identifier(t, 'epc', epcs.scope, 'fixed-assets.asset', scope.id);
    await identifier(t, 'epc', epcs.visitor, 'fixed-assets.asset', visitor.id);
    const campaign = await openCampaign(site);
    const elsewhere = await openCampaign(annex);

    await send(t, reader, [
      zebra(epcs.laptop, 1, -50, at(0)),
      zebra(epcs.visitor, 1, -52, at(0.2)),
      // The oscilloscope is seen in Zone A though registered in Zone B: found, misplaced.
      zebra(epcs.scope, 1, -55, at(0.4)),
      zebra(epcs.stray, 2, -60, at(0.6)),
      zebra(epcs.tagged, 2, -58, at(0.8)),
    ]);

    const byAsset = new Map((await lines(campaign)).filter((l) => l.asset).map((l) => [l.asset.id, l]));
    expect(byAsset.get(laptop.id)).toMatchObject({ state: 'found', expected: true, misplaced: false, code: epcs.laptop, source: 'rfid', scannedBy: 'RFID dock-1', scannedLocation: { id: zoneA }, reads: 1 });
    expect(byAsset.get(scope.id)).toMatchObject({ state: 'found', expected: true, misplaced: true, scannedLocation: { id: zoneA } });
    expect(byAsset.get(tagged.id)).toMatchObject({ state: 'found', expected: true, misplaced: false, code: epcs.tagged, scannedLocation: { id: zoneB } });
    // Recorded where the register had it when it was seen, though the read then moved it.
    expect(byAsset.get(visitor.id)).toMatchObject({ state: 'unexpected', registeredLocation: { id: annex }, scannedLocation: { id: zoneA }, source: 'rfid' });
    expect(await assetLocation(visitor.id)).toBe(zoneA);
    expect(byAsset.get(chair.id)).toMatchObject({ state: 'missing', reads: 0 });
    expect((await lines(campaign)).filter((l) => l.state === 'unknown')).toEqual([
      expect.objectContaining({ code: epcs.stray, codeKind: 'unknown', source: 'rfid', scannedBy: 'RFID dock-1', scannedLocation: expect.objectContaining({ id: zoneB }) }),
    ]);
    expect(await counts(campaign)).toMatchObject({ expected: 4, found: 3, missing: 1, unexpected: 1, unknown: 1, misplaced: 1 });
    // The annex's campaign covers none of these zones: its projector, read in Zone A, is still missing there.
    expect(await counts(elsewhere)).toMatchObject({ expected: 1, found: 0, unexpected: 0, unknown: 0, reads: 0 });

    // The tags stay under the reader and are read again after the de-duplication window: reads add up, no rows.
    await send(t, reader, [zebra(epcs.laptop, 1, -50, at(10)), zebra(epcs.stray, 2, -60, at(10.2)), zebra(epcs.laptop, 1, -50, at(16))]);
    const again = await lines(campaign);
    expect(again.find((l) => l.asset?.id === laptop.id)).toMatchObject({ state: 'found', reads: 3 });
    expect(again.find((l) => l.state === 'unknown')).toMatchObject({ code: epcs.stray, reads: 2 });
    expect(again).toHaveLength(6);
    expect(await counts(campaign)).toMatchObject({ found: 3, unexpected: 1, unknown: 1 });
    for (const id of [campaign, elsewhere]) await call({ method: 'POST', url: `${FA}/campaigns/${id}/cancel`, payload: {} }, 200);
  });

  it('a closed campaign records nothing more', async () => {
    const crate = await asset('Crate', zoneA);
    const epc = giai(900201);
    await identifier(t, 'epc', epc, 'fixed-assets.asset', crate.id);
    const campaign = await openCampaign(site);
    await call({ method: 'POST', url: `${FA}/campaigns/${campaign}/close`, payload: { force: true, reason: 'done by hand' } }, 200);
    const before = await lines(campaign);
    const rows = () =>
      t.sql<{ lines: string; codes: string }>(
        `SELECT (SELECT count(*) FROM fixed_assets_campaign_line WHERE scanned_at IS NOT NULL) AS lines, (SELECT count(*) FROM fixed_assets_campaign_code) AS codes`,
      );
    const rowsBefore = await rows();

    await send(t, reader, [zebra(epc, 1, -50, at(100)), zebra(giai(900299), 2, -50, at(100.5))]);

    expect(await lines(campaign)).toEqual(before);
    expect(await rows()).toEqual(rowsBefore);
    // The reads themselves went through: the tag is where it was read.
    expect((await call({ method: 'GET', url: `/api/rfid/tags/${epc}` }, 200)).tag.location).toMatchObject({ id: zoneA });
  });
});
