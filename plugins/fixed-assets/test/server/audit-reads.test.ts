import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Transaction } from '@quartermaster/sdk';
import { SYSTEM_ACTOR } from '@quartermaster/core';
import { expectNoChange, type TestPlatform } from '@quartermaster/testing';
import { fixedAssetsService, type AuditReadsInput, type FixedAssetsService } from '../../src/shared/index.js';
import { FA, asset, bootFixedAssets, caller, location } from './fixtures.js';

/**
 * `fixedAssetsService.recordAuditReads(tx, …)`: codes a device (an RFID reader) read at a place,
 * recorded as scans in the open verification campaigns that cover the place, inside the device
 * plugin's transaction (here the core's, as the device ingestion opens it).
 */
describe('recordAuditReads: device reads as campaign scans', () => {
  let t: TestPlatform;
  let call: ReturnType<typeof caller>;
  let service: FixedAssetsService;
  let plant: string;
  let hallA: string;
  let hallB: string;
  let depot: string;
  const a: Record<string, { id: string; tag: string }> = {};
  const LAPTOP_EPC = '3034257BF7194E4000001A85';
  const STRAY = 'E28011606000020A1B2C3D4E';

  const inCallerTx = <R>(work: (tx: Transaction) => Promise<R>) => t.platform.context('core').transaction(SYSTEM_ACTOR, work);
  const read = (locationId: string, codes: string[], deviceLabel = 'RFID dock-1') =>
    inCallerTx((tx) => service.recordAuditReads(tx, { locationId, codes, source: 'rfid', deviceLabel } satisfies AuditReadsInput));
  const open = async (name: string, locationId: string) => (await call({ method: 'POST', url: `${FA}/campaigns`, payload: { name, locationId } }, 201)).id as string;
  const cancel = (id: string) => call({ method: 'POST', url: `${FA}/campaigns/${id}/cancel`, payload: {} }, 200);
  const lines = async (id: string) => (await call({ method: 'GET', url: `${FA}/campaigns/${id}?limit=100` }, 200)).lines.data as any[];
  const line = async (id: string, assetId: string) => (await lines(id)).find((l) => l.asset?.id === assetId);
  const scanAudits = async (id: string) =>
    Number((await t.sql<{ n: string }>(`SELECT count(*) AS n FROM core_audit WHERE entity_type = 'fixed-assets.campaign' AND action = 'scanned' AND entity_id = $1`, [id]))[0].n);

  beforeAll(async () => {
    t = await bootFixedAssets();
    call = caller(t);
    service = t.platform.context('fixed-assets').services.get(fixedAssetsService);
    plant = await location(t, 'Plant');
    hallA = await location(t, 'Hall A', 'building', plant);
    hallB = await location(t, 'Hall B', 'building', plant);
    depot = await location(t, 'Depot');
    a.laptop = await asset(t, { name: 'Laptop', locationId: hallA });
    a.desk = await asset(t, { name: 'Desk', locationId: hallB });
    a.chair = await asset(t, { name: 'Chair', locationId: hallA });
    a.visitor = await asset(t, { name: 'Projector', locationId: depot });
    await call({ method: 'POST', url: '/api/core/identifiers', payload: { type: 'epc', value: LAPTOP_EPC, targetType: 'fixed-assets.asset', targetId: a.laptop.id } }, 201);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('records the reads in every open campaign covering the place, with its results, scanned there by the device', async () => {
    const site = await open('Plant audit', plant);
    const hall = await open('Hall A audit', hallA);
    const elsewhere = await open('Depot audit', depot);
    const codes = [LAPTOP_EPC, LAPTOP_EPC, a.desk.tag, a.visitor.tag, STRAY, STRAY, '  '];
    const res = await read(hallA, codes);

    const byId = new Map(res.campaigns.map((c) => [c.campaignId, c]));
    expect([...byId.keys()].sort()).toEqual([site, hall].sort());
    // In the plant's campaign the desk (registered in Hall B) was found, misplaced; in Hall A's it is unexpected.
    expect(byId.get(site)).toMatchObject({ found: 2, unexpected: 1, unknown: 1, ambiguous: 0, duplicate: 2 });
    expect(byId.get(hall)).toMatchObject({ found: 1, unexpected: 2, unknown: 1, ambiguous: 0, duplicate: 2 });

    expect(await line(site, a.laptop.id)).toMatchObject({
      state: 'found',
      expected: true,
      misplaced: false,
      code: LAPTOP_EPC,
      source: 'rfid',
      scannedBy: 'RFID dock-1',
      scannedLocation: { id: hallA },
      reads: 2,
    });
    expect(await line(site, a.desk.id)).toMatchObject({ state: 'found', misplaced: true, scannedLocation: { id: hallA } });
    expect(await line(site, a.visitor.id)).toMatchObject({ state: 'unexpected', registeredLocation: { id: depot }, scannedLocation: { id: hallA } });
    expect(await line(site, a.chair.id)).toMatchObject({ state: 'missing' });
    expect((await lines(site)).filter((l) => l.state === 'unknown')).toEqual([expect.objectContaining({ code: STRAY, codeKind: 'unknown', source: 'rfid', scannedBy: 'RFID dock-1', reads: 2 })]);
    expect(await line(hall, a.desk.id)).toMatchObject({ state: 'unexpected', registeredLocation: { id: hallB } });
    // The depot's campaign does not cover Hall A: untouched.
    expect((await lines(elsewhere)).every((l) => l.state === 'missing')).toBe(true);
    expect(await scanAudits(elsewhere)).toBe(0);
    expect(await scanAudits(site)).toBe(1);
    for (const id of [site, hall, elsewhere]) await cancel(id);
  });

  it('reads of what a campaign already has only add to its read count: no row, no audit record; unknown codes enrolled meanwhile are resolved again', async () => {
    const c = await open('Weekly audit', plant);
    await read(hallA, [LAPTOP_EPC, STRAY]);
    const rows = async () => Number((await t.sql<{ n: string }>(`SELECT (SELECT count(*) FROM fixed_assets_campaign_line WHERE campaign_id = $1 AND scanned_at IS NOT NULL) + (SELECT count(*) FROM fixed_assets_campaign_code WHERE campaign_id = $1) AS n`, [c]))[0].n);
    expect(await rows()).toBe(2);
    expect(await scanAudits(c)).toBe(1);

    // The reader reports the same tags again and again while they sit under it.
    for (let i = 0; i < 3; i++) {
      const again = await read(hallA, [LAPTOP_EPC, STRAY, STRAY]);
      expect(again.campaigns).toEqual([{ campaignId: c, number: expect.any(String), found: 0, unexpected: 0, unknown: 0, ambiguous: 0, duplicate: 3 }]);
    }
    expect(await rows()).toBe(2);
    expect(await scanAudits(c)).toBe(1);
    expect(await line(c, a.laptop.id)).toMatchObject({ state: 'found', reads: 4 });
    expect((await lines(c)).find((l) => l.code === STRAY)).toMatchObject({ state: 'unknown', reads: 7 });

    // Someone enrols the stray tag to the chair during the audit: its next read finds the chair.
    await call({ method: 'POST', url: '/api/core/identifiers', payload: { type: 'epc', value: STRAY, targetType: 'fixed-assets.asset', targetId: a.chair.id } }, 201);
    const enrolled = await read(hallA, [STRAY]);
    expect(enrolled.campaigns[0]).toMatchObject({ found: 1, duplicate: 0 });
    expect(await line(c, a.chair.id)).toMatchObject({ state: 'found', code: STRAY, reads: 1 });
    // Found by that code from now on, so it is not resolved again.
    expect((await read(hallA, [STRAY])).campaigns[0]).toMatchObject({ found: 0, duplicate: 1 });
    await t.sql(`DELETE FROM core_identifier WHERE value = $1`, [STRAY]);
    await cancel(c);
  });

  it('records nothing where no open campaign covers the place: closed or cancelled campaigns, other places, unknown places, blank codes', async () => {
    const c = await open('Old audit', plant);
    await cancel(c);
    for (const [where, codes] of [
      [hallA, [LAPTOP_EPC, STRAY]],
      [depot, [a.visitor.tag]],
      ['00000000-0000-4000-8000-000000000000', [LAPTOP_EPC]],
      ['not-a-location', [LAPTOP_EPC]],
      [hallA, ['', '   ']],
    ] as const) {
      expect(await expectNoChange(t, () => read(where, [...codes]))).toEqual({ campaigns: [] });
    }
  });

  it("is rolled back with the caller's transaction: no scans, no audit record", async () => {
    const c = await open('Rolled back audit', plant);
    await expectNoChange(t, async () => {
      await expect(
        inCallerTx(async (tx) => {
          expect((await service.recordAuditReads(tx, { locationId: hallA, codes: [LAPTOP_EPC], source: 'rfid', deviceLabel: 'RFID gate' })).campaigns).toHaveLength(1);
          throw new Error('the caller failed after the reads');
        }),
      ).rejects.toThrow('the caller failed after the reads');
    });
    expect(await line(c, a.laptop.id)).toMatchObject({ state: 'missing', reads: 0 });
    await cancel(c);
  });
});
