import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoChange, expectProblem, type TestPlatform } from '@quartermaster/testing';
import { SYSTEM_ACTOR } from '@quartermaster/core';
import { fixedAssetsService, permissions } from '../../src/shared/index.js';
import { FA, asset, bootFixedAssets, caller, custodyMatchesStatus, eventsSince, inDays, location, person, transition, userWith } from './fixtures.js';

describe('asset lifecycle', () => {
  let t: TestPlatform;
  let call: ReturnType<typeof caller>;
  let site: string;

  beforeAll(async () => {
    t = await bootFixedAssets();
    call = caller(t);
    site = await location(t, 'Plant');
  });
  afterAll(async () => {
    if (t) await custodyMatchesStatus(t);
    await t?.close();
  });

  const to = async (id: string, status: string, reason?: string) => {
    const res = await transition(t, id, status, reason);
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };

  it('walks the legal path from order to sale, one event and one history entry per step', async () => {
    const a = await asset(t, { name: 'CNC lathe', status: 'ordered', locationId: site, acquisitionCost: 84000, purchaseDate: '2024-03-01' });
    const from = t.events.length;
    const steps: [string, string, string][] = [
      ['received', 'received', 'delivered on PO-4411'],
      ['in-service', 'placed-in-service', 'commissioned'],
      ['in-maintenance', 'maintenance-started', 'spindle noise'],
      ['in-service', 'maintenance-ended', 'bearing replaced'],
      ['in-transit', 'dispatched', 'to plant 2'],
      ['in-service', 'arrived', 'installed at plant 2'],
      ['retired', 'retired', 'replaced by a 5-axis machine'],
      ['in-service', 'reinstated', 'needed for the backlog'],
      ['retired', 'retired', 'backlog done'],
    ];
    for (const [status, , reason] of steps) expect((await to(a.id, status, reason)).status).toBe(status);
    const sold = await call({ method: 'POST', url: `${FA}/assets/${a.id}/dispose`, payload: { kind: 'sold', proceeds: '12500.00', disposedOn: '2026-01-10', reason: 'sold to Machinehandel BV' } }, 200);
    expect(sold).toMatchObject({ status: 'disposed', disposal: { kind: 'sold', disposedOn: '2026-01-10', proceeds: '12500.00', reason: 'sold to Machinehandel BV' } });

    const names = eventsSince(t, from);
    const expected = [...steps.flatMap(([, event]) => ['fixed-assets.asset.status-changed', `fixed-assets.asset.${event}`]), 'fixed-assets.asset.status-changed', 'fixed-assets.asset.disposed'];
    expect(names).toEqual(expected);
    // Not depreciated in any book: nothing to derecognise, so no book figures.
    expect(t.events.at(-1)!.payload).toEqual({
      id: a.id,
      tag: a.tag,
      from: 'retired',
      kind: 'sold',
      disposedOn: '2026-01-10',
      proceeds: '12500.00',
      currency: 'EUR',
      reason: 'sold to Machinehandel BV',
      categoryId: null,
      locationId: expect.any(String),
      books: [],
    });

    // The history page reads who, when, why, from and to of every step.
    const history = (await call({ method: 'GET', url: `${FA}/assets/${a.id}/history?limit=50` }, 200)).data.reverse();
    expect(history.map((h: any) => [h.type, h.fromStatus, h.toStatus, h.reason])).toEqual([
      ['created', null, 'ordered', null],
      ['received', 'ordered', 'received', 'delivered on PO-4411'],
      ['placed-in-service', 'received', 'in-service', 'commissioned'],
      ['maintenance-started', 'in-service', 'in-maintenance', 'spindle noise'],
      ['maintenance-ended', 'in-maintenance', 'in-service', 'bearing replaced'],
      ['dispatched', 'in-service', 'in-transit', 'to plant 2'],
      ['arrived', 'in-transit', 'in-service', 'installed at plant 2'],
      ['retired', 'in-service', 'retired', 'replaced by a 5-axis machine'],
      ['reinstated', 'retired', 'in-service', 'needed for the backlog'],
      ['retired', 'in-service', 'retired', 'backlog done'],
      ['disposed', 'retired', 'disposed', 'sold to Machinehandel BV'],
    ]);
    for (const h of history) expect(h).toMatchObject({ actor: 'admin@example.test', actorId: expect.any(String), occurredAt: expect.any(String) });
    expect((await call({ method: 'GET', url: `${FA}/assets/${a.id}` }, 200)).version).toBe(1 + steps.length + 1);
  });

  it('refuses illegal transitions with 409 naming the current and requested status, changing nothing', async () => {
    const a = await asset(t, { name: 'Forklift', status: 'ordered' });
    const skip = await expectNoChange(t, () => transition(t, a.id, 'in-service'));
    expect(expectProblem(skip, 409, 'fixed-assets/illegal-transition')).toMatchObject({ assetId: a.id, tag: a.tag, currentStatus: 'ordered', requestedStatus: 'in-service', allowedStatuses: ['received', 'disposed'] });
    const same = await expectNoChange(t, () => transition(t, a.id, 'ordered'));
    expect(expectProblem(same, 409, 'fixed-assets/illegal-transition').detail).toBe(`Asset ${a.tag} is already ordered`);
    await to(a.id, 'received');
    await to(a.id, 'in-service');
    await to(a.id, 'in-maintenance');
    // No chaining spells: from maintenance straight into transit is not a thing.
    expect(expectProblem(await expectNoChange(t, () => transition(t, a.id, 'in-transit')), 409, 'fixed-assets/illegal-transition')).toMatchObject({ currentStatus: 'in-maintenance', requestedStatus: 'in-transit' });
    expect(expectProblem(await expectNoChange(t, () => transition(t, a.id, 'retired')), 409, 'fixed-assets/illegal-transition')).toMatchObject({ currentStatus: 'in-maintenance', requestedStatus: 'retired' });
  });

  it('sends check-out, check-in and disposal to their own routes', async () => {
    const a = await asset(t, { name: 'Laptop' });
    const out = await expectNoChange(t, () => transition(t, a.id, 'checked-out'));
    expect(expectProblem(out, 409, 'fixed-assets/transition-needs-action')).toMatchObject({ currentStatus: 'in-service', requestedStatus: 'checked-out', route: `POST /api/fixed-assets/assets/${a.id}/check-out` });
    const gone = await expectNoChange(t, () => transition(t, a.id, 'disposed'));
    expect(expectProblem(gone, 409, 'fixed-assets/transition-needs-action').route).toBe(`POST /api/fixed-assets/assets/${a.id}/dispose`);
  });

  it('sells only retired assets, and says which disposals are possible', async () => {
    const a = await asset(t, { name: 'Printer' });
    const res = await expectNoChange(t, () => t.request({ method: 'POST', url: `${FA}/assets/${a.id}/dispose`, payload: { kind: 'sold', proceeds: 50 } }));
    expect(expectProblem(res, 409, 'fixed-assets/illegal-transition')).toMatchObject({ currentStatus: 'in-service', requestedStatus: 'disposed', disposalKind: 'sold', allowedKinds: ['lost', 'stolen'] });
    const future = await expectNoChange(t, () => t.request({ method: 'POST', url: `${FA}/assets/${a.id}/dispose`, payload: { kind: 'lost', disposedOn: '2999-01-01' } }));
    expect(expectProblem(future, 400, 'validation').errors).toEqual([{ field: 'disposedOn', message: 'must not be in the future' }]);
    const ordered = await asset(t, { name: 'Wrong monitor', status: 'ordered' });
    expect((await call({ method: 'POST', url: `${FA}/assets/${ordered.id}/dispose`, payload: { kind: 'returned', reason: 'order cancelled' } }, 200)).disposal.kind).toBe('returned');
  });

  it('writes off an asset stolen while checked out: the custody closes, its bookings are released', async () => {
    const ana = await person(t, 'Ana');
    const bo = await person(t, 'Bo');
    const a = await asset(t, { name: 'Tablet' });
    await call({ method: 'POST', url: `${FA}/assets/${a.id}/check-out`, payload: { to: 'person', personId: ana, expectedReturnAt: inDays(2) } }, 201);
    const booking = await call({ method: 'POST', url: `${FA}/bookings`, payload: { assetIds: [a.id], startsAt: inDays(5), endsAt: inDays(6), for: 'person', personId: bo } }, 201);
    const from = t.events.length;
    const stolen = await call({ method: 'POST', url: `${FA}/assets/${a.id}/dispose`, payload: { kind: 'stolen', reason: 'police report 2026-118' } }, 200);
    expect(stolen).toMatchObject({ status: 'disposed', custody: null, disposal: { kind: 'stolen', proceeds: null } });
    expect(eventsSince(t, from)).toEqual(['fixed-assets.booking.cancelled', 'fixed-assets.asset.status-changed', 'fixed-assets.asset.disposed']);
    const custody = (await call({ method: 'GET', url: `${FA}/assets/${a.id}/custody` }, 200)).data[0];
    expect(custody).toMatchObject({ outcome: 'stolen', checkedInAt: expect.any(String), overdue: false });
    expect(await call({ method: 'GET', url: `${FA}/bookings/${booking.id}` }, 200)).toMatchObject({ status: 'cancelled', assets: [{ id: a.id, active: false }] });
    // A disposed asset is closed: no changes, no transitions.
    expectProblem(await expectNoChange(t, () => t.request({ method: 'PATCH', url: `${FA}/assets/${a.id}`, payload: { notes: 'found?' } })), 409, 'fixed-assets/asset-disposed');
    expect(expectProblem(await expectNoChange(t, () => transition(t, a.id, 'in-service')), 409, 'fixed-assets/illegal-transition')).toMatchObject({ currentStatus: 'disposed', allowedStatuses: [] });
  });

  it('does not retire an asset someone has booked, nor dispose of one with components attached', async () => {
    const a = await asset(t, { name: 'Beamer' });
    const booking = await call({ method: 'POST', url: `${FA}/bookings`, payload: { assetIds: [a.id], startsAt: inDays(3), endsAt: inDays(4) } }, 201);
    const res = await expectNoChange(t, () => transition(t, a.id, 'retired'));
    expect(expectProblem(res, 409, 'fixed-assets/asset-booked')).toMatchObject({ bookingId: booking.id, bookings: [{ id: booking.id, number: booking.number }] });
    await call({ method: 'POST', url: `${FA}/bookings/${booking.id}/cancel`, payload: { reason: 'beamer retired' } }, 200);
    await to(a.id, 'retired');

    const truck = await asset(t, { name: 'Truck', locationId: site });
    const crane = await asset(t, { name: 'Loading crane', parentId: truck.id });
    await to(truck.id, 'retired');
    const refused = await expectNoChange(t, () => t.request({ method: 'POST', url: `${FA}/assets/${truck.id}/dispose`, payload: { kind: 'scrapped' } }));
    expect(expectProblem(refused, 409, 'fixed-assets/has-components').components).toEqual([{ id: crane.id, tag: crane.tag }]);
    // A component written off leaves its parent; then the truck can go.
    expect((await call({ method: 'POST', url: `${FA}/assets/${crane.id}/dispose`, payload: { kind: 'lost' } }, 200)).parentId).toBeNull();
    await call({ method: 'POST', url: `${FA}/assets/${truck.id}/dispose`, payload: { kind: 'scrapped' } }, 200);
  });

  it('lets other plugins change the status through the service, recorded as their actor', async () => {
    const a = await asset(t, { name: 'Compressor' });
    const service = t.platform.context('fixed-assets').services.get(fixedAssetsService);
    const maintenance = { ...SYSTEM_ACTOR, label: 'maintenance: WO-17' };
    expect(await service.setStatus(maintenance, a.id, 'in-maintenance', { reason: 'work order WO-17' })).toMatchObject({ id: a.id, status: 'in-maintenance' });
    expect(await service.findByTag(a.tag)).toMatchObject({ id: a.id, status: 'in-maintenance' });
    expect(await service.getAsset('not-a-uuid')).toBeNull();
    await expect(service.setStatus(maintenance, a.id, 'retired')).rejects.toMatchObject({ status: 409, type: expect.stringMatching(/illegal-transition$/) });
    const [last] = (await call({ method: 'GET', url: `${FA}/assets/${a.id}/history` }, 200)).data;
    expect(last).toMatchObject({ type: 'maintenance-started', actor: 'maintenance: WO-17', actorId: null, reason: 'work order WO-17' });
  });

  it('needs fixed-assets.asset.dispose to dispose, not just asset.write', async () => {
    const writer = await userWith(t, 'writer@example.test', [permissions.assetRead, permissions.assetWrite]);
    const a = await asset(t, { name: 'Chair' });
    const res = await expectNoChange(t, () => t.app.inject({ method: 'POST', url: `${FA}/assets/${a.id}/dispose`, headers: writer.headers, payload: { kind: 'lost' } }));
    expect(expectProblem(res, 403, 'forbidden').permission).toBe(permissions.assetDispose);
    const ok = await t.app.inject({ method: 'POST', url: `${FA}/assets/${a.id}/transitions`, headers: writer.headers, payload: { to: 'in-maintenance' } });
    expect(ok.statusCode, ok.body).toBe(200);
  });
});
