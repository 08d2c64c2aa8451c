import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProblemError, type Transaction } from '@quartermaster/sdk';
import { SYSTEM_ACTOR } from '@quartermaster/core';
import { expectNoChange, type TestPlatform } from '@quartermaster/testing';
import { fixedAssetsService, type FixedAssetsService } from '../../src/shared/index.js';
import { FA, NO_SUCH_ID, asset, bootFixedAssets, caller, eventsSince, location } from './fixtures.js';

/**
 * `fixedAssetsService.relocateIn(tx, …)`: where a device saw an asset, inside the device plugin's
 * transaction. The caller's transaction here is the core's (as the device ingestion opens it).
 */
describe('relocateIn: moving an asset where a device saw it', () => {
  let t: TestPlatform;
  let call: ReturnType<typeof caller>;
  let service: FixedAssetsService;
  let yard: string;
  let hall: string;

  /** Runs `work` in a transaction opened by someone else (the core), as a device would. */
  const inCallerTx = <R>(work: (tx: Transaction) => Promise<R>) => t.platform.context('core').transaction(SYSTEM_ACTOR, work);
  const relocate = (assetId: string, locationId: string, reason = 'RFID dock-1 antenna 2') => inCallerTx((tx) => service.relocateIn(tx, assetId, locationId, { reason }));
  const locationOf = async (id: string) => (await call({ method: 'GET', url: `${FA}/assets/${id}` }, 200)).locationId;

  beforeAll(async () => {
    t = await bootFixedAssets();
    call = caller(t);
    service = t.platform.context('fixed-assets').services.get(fixedAssetsService);
    yard = await location(t, 'Yard');
    hall = await location(t, 'Hall 2');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('moves the asset and its components, each with a history entry, an audit record and an event of fixed-assets', async () => {
    const crane = await asset(t, { name: 'Mobile crane', locationId: yard });
    const boom = await asset(t, { name: 'Boom', parentId: crane.id });
    const hook = await asset(t, { name: 'Hook block', parentId: boom.id });
    const from = t.events.length;
    const res = await relocate(crane.id, hall);
    expect(res).toEqual({ moved: true, movedIds: [crane.id, boom.id, hook.id] });
    for (const id of [crane.id, boom.id, hook.id]) expect(await locationOf(id)).toBe(hall);
    expect(eventsSince(t, from)).toEqual(Array(3).fill('fixed-assets.asset.moved'));
    expect(t.events.slice(from).map((e) => [e.source, (e.payload as { id: string }).id, (e.payload as { reason: string }).reason])).toEqual([
      ['fixed-assets', crane.id, 'RFID dock-1 antenna 2'],
      ['fixed-assets', boom.id, 'RFID dock-1 antenna 2'],
      ['fixed-assets', hook.id, 'RFID dock-1 antenna 2'],
    ]);
    const [last] = (await call({ method: 'GET', url: `${FA}/assets/${hook.id}/history` }, 200)).data;
    expect(last).toMatchObject({ type: 'moved', reason: 'RFID dock-1 antenna 2', data: { fromLocationId: yard, toLocationId: hall, withParentId: crane.id } });
    const audit = await t.sql<{ plugin_id: string; actor_label: string; entity_id: string }>(
      `SELECT plugin_id, actor_label, entity_id FROM core_audit WHERE entity_type = 'fixed-assets.asset' AND action = 'moved' AND entity_id = ANY($1::text[]) ORDER BY id`,
      [[crane.id, boom.id, hook.id]],
    );
    expect(audit).toEqual([crane.id, boom.id, hook.id].map((id) => ({ plugin_id: 'fixed-assets', actor_label: 'system', entity_id: id })));
  });

  it('does nothing when the asset is already there', async () => {
    const a = await asset(t, { name: 'Generator', locationId: hall });
    expect(await expectNoChange(t, () => relocate(a.id, hall))).toEqual({ moved: false, movedIds: [] });
  });

  it('skips a component (its parent moves it) and a disposed asset, writing nothing', async () => {
    const press = await asset(t, { name: 'Press', locationId: yard });
    const die = await asset(t, { name: 'Die', parentId: press.id });
    expect(await expectNoChange(t, () => relocate(die.id, hall))).toEqual({ moved: false, skipped: 'component', movedIds: [] });
    const lost = await asset(t, { name: 'Lost drill', locationId: yard });
    await call({ method: 'POST', url: `${FA}/assets/${lost.id}/dispose`, payload: { kind: 'lost' } }, 200);
    expect(await expectNoChange(t, () => relocate(lost.id, hall))).toEqual({ moved: false, skipped: 'final', movedIds: [] });
    expect(await expectNoChange(t, () => relocate(NO_SUCH_ID, hall))).toEqual({ moved: false, skipped: 'unknown-asset', movedIds: [] });
    expect(await locationOf(die.id)).toBe(yard);
    expect(await locationOf(lost.id)).toBe(yard);
  });

  it("is rolled back with the caller's transaction: no move, no history, no audit record, no event", async () => {
    const a = await asset(t, { name: 'Compressor', locationId: yard });
    await expectNoChange(t, async () => {
      await expect(
        inCallerTx(async (tx) => {
          expect(await service.relocateIn(tx, a.id, hall, { reason: 'RFID gate' })).toMatchObject({ moved: true });
          throw new Error('the caller failed after the move');
        }),
      ).rejects.toThrow('the caller failed after the move');
    });
    expect(await locationOf(a.id)).toBe(yard);
  });

  it('refuses a location that does not exist, writing nothing', async () => {
    const a = await asset(t, { name: 'Welder', locationId: yard });
    const err = await expectNoChange(t, () => relocate(a.id, NO_SUCH_ID).then(() => null, (e: unknown) => e));
    expect(err).toBeInstanceOf(ProblemError);
    expect(err).toMatchObject({ status: 400, extensions: { errors: [{ field: 'locationId', message: 'no such location' }] } });
  });
});
