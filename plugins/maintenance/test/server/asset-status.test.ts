import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoChange, expectProblem, type TestPlatform } from '@quartermaster/testing';
import { FA, MT, asset, bootMaintenance, caller, eventsSince } from './fixtures.js';
import { act, assetStatus, getWorkOrder, step, workOrder } from './work-orders.fixtures.js';

/**
 * While a work order that takes its asset out of service is in progress, the asset is in
 * maintenance and cannot be checked out; completion (or cancelling the held work) gives it back,
 * unless another started order still holds it.
 */
let t: TestPlatform;
let call: ReturnType<typeof caller>;
beforeAll(async () => {
  t = await bootMaintenance();
  call = caller(t);
});
afterAll(() => t?.close());

const checkOut = (id: string) => t.request({ method: 'POST', url: `${FA}/assets/${id}/check-out`, payload: { to: 'project', project: 'Site A' } });

describe('asset status integration', () => {
  it('starting puts the asset in maintenance (no check-out then); completing returns it to service', async () => {
    const a = await asset(t);
    const wo = await workOrder(t, { assetId: a.id, takesOutOfService: true, status: 'approved' });
    const from = t.events.length;
    const started = await step(t, wo.id, 'start');
    expect(started).toMatchObject({ status: 'in-progress', assetTakenOut: true, startedAt: expect.any(String) });
    expect(await assetStatus(t, a.id)).toBe('in-maintenance');
    expect(eventsSince(t, from)).toEqual(expect.arrayContaining(['maintenance.work-order.status-changed', 'fixed-assets.asset.status-changed', 'fixed-assets.asset.maintenance-started']));
    expect(started.history.at(-1)).toMatchObject({ type: 'started', from: 'approved', to: 'in-progress', data: { assetStatus: 'in-maintenance' } });

    // The fixed-assets lifecycle refuses to lend out an asset in maintenance.
    const refused = await expectNoChange(t, () => checkOut(a.id));
    expect(expectProblem(refused, 409, 'fixed-assets/illegal-transition')).toMatchObject({ currentStatus: 'in-maintenance', requestedStatus: 'checked-out' });

    const done = await step(t, wo.id, 'complete');
    expect(done).toMatchObject({ status: 'completed', assetTakenOut: false });
    expect(await assetStatus(t, a.id)).toBe('in-service');
    expect((await checkOut(a.id)).statusCode).toBe(201);
  });

  it('a checked-out asset cannot be taken out: starting answers the fixed-assets 409 and changes nothing', async () => {
    const a = await asset(t);
    const wo = await workOrder(t, { assetId: a.id, takesOutOfService: true, status: 'approved' });
    expect((await checkOut(a.id)).statusCode).toBe(201);
    const res = await expectNoChange(t, () => act(t, wo.id, 'start'));
    expect(expectProblem(res, 409, 'fixed-assets/illegal-transition')).toMatchObject({ currentStatus: 'checked-out', requestedStatus: 'in-maintenance' });
    expect((await getWorkOrder(t, wo.id)).status).toBe('approved');
    expect(await assetStatus(t, a.id)).toBe('checked-out');
    // Once it is back, the work can start.
    await call({ method: 'POST', url: `${FA}/assets/${a.id}/check-in`, payload: {} }, 200);
    await step(t, wo.id, 'start');
    expect(await assetStatus(t, a.id)).toBe('in-maintenance');
  });

  it('stays in maintenance until the last order holding it completes', async () => {
    const a = await asset(t);
    const first = await workOrder(t, { assetId: a.id, takesOutOfService: true, status: 'approved', title: 'Replace belt' });
    const second = await workOrder(t, { assetId: a.id, takesOutOfService: true, status: 'approved', title: 'Align shaft' });
    await step(t, first.id, 'start');
    const s2 = await step(t, second.id, 'start');
    expect(s2.assetTakenOut).toBe(true);
    const c1 = await step(t, first.id, 'complete');
    expect(c1.history.at(-1).data).toMatchObject({ assetStillHeldBy: [second.number] });
    expect(await assetStatus(t, a.id)).toBe('in-maintenance');
    await step(t, second.id, 'complete');
    expect(await assetStatus(t, a.id)).toBe('in-service');
  });

  it('cancelling held work gives the asset back; reopening takes it out again', async () => {
    const a = await asset(t);
    const wo = await workOrder(t, { assetId: a.id, takesOutOfService: true, status: 'approved' });
    await step(t, wo.id, 'start');
    await step(t, wo.id, 'hold', { reason: 'Waiting for a seal' });
    expect(await assetStatus(t, a.id)).toBe('in-maintenance');
    const cancelled = await step(t, wo.id, 'cancel', { reason: 'Asset to be replaced' });
    expect(cancelled).toMatchObject({ status: 'cancelled', cancelReason: 'Asset to be replaced', assetTakenOut: false });
    expect(await assetStatus(t, a.id)).toBe('in-service');

    const other = await workOrder(t, { assetId: a.id, takesOutOfService: true, status: 'approved' });
    await step(t, other.id, 'start');
    await step(t, other.id, 'complete');
    expect(await assetStatus(t, a.id)).toBe('in-service');
    await step(t, other.id, 'reopen', { reason: 'Still vibrating' });
    expect(await assetStatus(t, a.id)).toBe('in-maintenance');
    await step(t, other.id, 'complete');
    expect(await assetStatus(t, a.id)).toBe('in-service');
  });

  it('a breakdown reported with the asset down takes it out when the repair starts; other work leaves it alone', async () => {
    const a = await asset(t);
    const report = await call({ method: 'POST', url: `${MT}/breakdowns`, payload: { assetId: a.id, assetDown: true, description: 'Motor stalls' } }, 201);
    await step(t, report.id, 'approve');
    await step(t, report.id, 'start');
    expect(await assetStatus(t, a.id)).toBe('in-maintenance');

    const b = await asset(t);
    const light = await workOrder(t, { assetId: b.id, status: 'approved', type: 'inspection' });
    const started = await step(t, light.id, 'start');
    expect(started.assetTakenOut).toBe(false);
    expect(await assetStatus(t, b.id)).toBe('in-service');
  });

  it('leaves an asset someone put in maintenance by hand as it is', async () => {
    const a = await asset(t);
    await call({ method: 'POST', url: `${FA}/assets/${a.id}/transitions`, payload: { to: 'in-maintenance', reason: 'Inspection by the insurer' } }, 200);
    const wo = await workOrder(t, { assetId: a.id, takesOutOfService: true, status: 'approved' });
    expect((await step(t, wo.id, 'start')).assetTakenOut).toBe(false);
    await step(t, wo.id, 'complete');
    expect(await assetStatus(t, a.id)).toBe('in-maintenance');
  });

  it('two orders of one asset completing at once: the asset ends up in service, exactly once', async () => {
    const a = await asset(t);
    const one = await workOrder(t, { assetId: a.id, takesOutOfService: true, status: 'approved' });
    const two = await workOrder(t, { assetId: a.id, takesOutOfService: true, status: 'approved' });
    await Promise.all([step(t, one.id, 'start'), step(t, two.id, 'start')]);
    expect(await assetStatus(t, a.id)).toBe('in-maintenance');
    const [r1, r2] = await Promise.all([act(t, one.id, 'complete'), act(t, two.id, 'complete')]);
    expect([r1.statusCode, r2.statusCode]).toEqual([200, 200]);
    expect(await assetStatus(t, a.id)).toBe('in-service');
    const ended = await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM fixed_assets_asset_event WHERE asset_id = $1 AND type = 'maintenance-ended'`, [a.id]);
    expect(ended[0].n).toBe(1);
  });
});
