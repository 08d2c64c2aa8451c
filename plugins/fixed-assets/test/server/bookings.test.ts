import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoChange, expectProblem, type TestPlatform } from '@quartermaster/testing';
import { FA, asset, bootFixedAssets, caller, custodyMatchesStatus, eventsSince, inDays, inMinutes, person, transition } from './fixtures.js';

describe('bookings', () => {
  let t: TestPlatform;
  let call: ReturnType<typeof caller>;
  let ana: string;
  let bo: string;

  beforeAll(async () => {
    t = await bootFixedAssets();
    call = caller(t);
    ana = await person(t, 'Ana Costa');
    bo = await person(t, 'Bo Jensen');
  });
  afterAll(async () => {
    if (t) await custodyMatchesStatus(t);
    await t?.close();
  });

  const book = (body: Record<string, unknown>) => t.request({ method: 'POST', url: `${FA}/bookings`, payload: body });
  const booked = async (body: Record<string, unknown>) => {
    const res = await book(body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  };

  it('books an asset for a window and refuses an overlapping booking, naming it', async () => {
    const a = await asset(t, { name: 'Cinema camera' });
    const from = t.events.length;
    const first = await booked({ assetIds: [a.id], startsAt: inDays(2), endsAt: inDays(4), for: 'person', personId: ana, note: 'Documentary shoot' });
    expect(first).toMatchObject({ status: 'reserved', holder: { type: 'person', id: ana, label: 'Ana Costa' }, kitId: null, assets: [{ id: a.id, tag: a.tag, active: true }], note: 'Documentary shoot' });
    expect(eventsSince(t, from)).toEqual(['fixed-assets.booking.created']);
    expect(t.events.at(-1)!.payload).toMatchObject({ id: first.id, number: first.number, assetIds: [a.id], holder: { type: 'person', id: ana } });

    const overlap = await expectNoChange(t, () => book({ assetIds: [a.id], startsAt: inDays(3), endsAt: inDays(5), for: 'person', personId: bo }));
    const problem = expectProblem(overlap, 409, 'fixed-assets/booking-conflict');
    expect(problem).toMatchObject({ bookingId: first.id, bookingNumber: first.number, conflicts: [{ id: first.id, number: first.number, assetId: a.id, tag: a.tag, holder: { label: 'Ana Costa' } }] });
    expect(problem.detail).toContain(`B-${first.number}`);
    // Back to back is fine: [start, end) windows.
    await booked({ assetIds: [a.id], startsAt: first.endsAt, endsAt: inDays(6), for: 'person', personId: bo });
    // Booking for oneself needs no holder.
    expect((await booked({ assetIds: [a.id], startsAt: inDays(10), endsAt: inDays(11) })).holder).toMatchObject({ type: 'user', label: 'Administrator' });
    const history = (await call({ method: 'GET', url: `${FA}/assets/${a.id}/history` }, 200)).data.map((h: any) => h.type);
    expect(history).toEqual(['booked', 'booked', 'booked', 'created']);
  });

  it('books kits: every asset of the kit, conflicting with bookings of any one of them', async () => {
    const body = await asset(t, { name: 'Camera body' });
    const lens = await asset(t, { name: 'Lens 24-70' });
    const kit = await call({ method: 'POST', url: `${FA}/kits`, payload: { name: 'Interview kit', assetIds: [body.id, lens.id] } }, 201);
    expect(kit.assets.map((x: any) => x.id).sort()).toEqual([body.id, lens.id].sort());
    const lensOnly = await booked({ assetIds: [lens.id], startsAt: inDays(1), endsAt: inDays(2), for: 'person', personId: ana });
    const clash = await expectNoChange(t, () => book({ kitId: kit.id, startsAt: inMinutes(36 * 60), endsAt: inDays(3), for: 'person', personId: bo }));
    expect(expectProblem(clash, 409, 'fixed-assets/booking-conflict').conflicts).toMatchObject([{ id: lensOnly.id, assetId: lens.id }]);
    const kitBooking = await booked({ kitId: kit.id, startsAt: inDays(3), endsAt: inDays(4), for: 'project', project: 'Podcast' });
    expect(kitBooking).toMatchObject({ kitId: kit.id, kitName: 'Interview kit', holder: { type: 'project', id: null, label: 'Podcast' } });
    expect(kitBooking.assets).toHaveLength(2);
    expect((await call({ method: 'GET', url: `${FA}/bookings?kitId=${kit.id}` }, 200)).data.map((b: any) => b.id)).toEqual([kitBooking.id]);
  });

  it('cancels a booking, which frees its window', async () => {
    const a = await asset(t, { name: 'Drone' });
    const b1 = await booked({ assetIds: [a.id], startsAt: inDays(1), endsAt: inDays(2), for: 'person', personId: ana });
    const from = t.events.length;
    const cancelled = await call({ method: 'POST', url: `${FA}/bookings/${b1.id}/cancel`, payload: { reason: 'shoot moved' } }, 200);
    expect(cancelled).toMatchObject({ status: 'cancelled', cancelReason: 'shoot moved', closedAt: expect.any(String), assets: [{ active: false }] });
    expect(eventsSince(t, from)).toEqual(['fixed-assets.booking.cancelled']);
    // Naming the person is enough to say who it is for.
    expect((await booked({ assetIds: [a.id], startsAt: inDays(1), endsAt: inDays(2), personId: bo })).holder).toMatchObject({ type: 'person', id: bo });
    const again = await expectNoChange(t, () => t.request({ method: 'POST', url: `${FA}/bookings/${b1.id}/cancel`, payload: {} }));
    expect(expectProblem(again, 409, 'fixed-assets/booking-not-reserved').currentStatus).toBe('cancelled');
  });

  it('refuses a check-out while someone else has the asset booked, but not for the one who booked it', async () => {
    const a = await asset(t, { name: 'Microscope' });
    const now = await booked({ assetIds: [a.id], startsAt: inMinutes(-5), endsAt: inDays(1), for: 'person', personId: ana });
    const later = await booked({ assetIds: [a.id], startsAt: inDays(3), endsAt: inDays(4), for: 'person', personId: bo });
    const forBo = await expectNoChange(t, () => t.request({ method: 'POST', url: `${FA}/assets/${a.id}/check-out`, payload: { to: 'person', personId: bo } }));
    expect(expectProblem(forBo, 409, 'fixed-assets/asset-booked')).toMatchObject({ bookingId: now.id, bookings: [{ id: now.id, holder: { label: 'Ana Costa' } }] });
    // Ana's own booking runs now: her check-out is linked to it, but not for longer than Bo's booking allows.
    const tooLong = await expectNoChange(t, () => t.request({ method: 'POST', url: `${FA}/assets/${a.id}/check-out`, payload: { to: 'person', personId: ana, expectedReturnAt: inDays(5) } }));
    expect(expectProblem(tooLong, 409, 'fixed-assets/asset-booked').bookingId).toBe(later.id);
    const out = await call({ method: 'POST', url: `${FA}/assets/${a.id}/check-out`, payload: { to: 'person', personId: ana, expectedReturnAt: inDays(1) } }, 201);
    expect(out.custody.bookingId).toBe(now.id);
    expect((await call({ method: 'GET', url: `${FA}/bookings/${now.id}` }, 200)).status).toBe('checked-out');
    // Back in: the booking is completed and its window freed.
    await call({ method: 'POST', url: `${FA}/assets/${a.id}/check-in`, payload: {} }, 200);
    expect(await call({ method: 'GET', url: `${FA}/bookings/${now.id}` }, 200)).toMatchObject({ status: 'completed', assets: [{ active: false }] });
    await booked({ assetIds: [a.id], startsAt: inMinutes(1), endsAt: inMinutes(60), for: 'person', personId: bo });
  });

  it('refuses a booking that runs into someone else\'s check-out', async () => {
    const a = await asset(t, { name: 'Oscilloscope' });
    await call({ method: 'POST', url: `${FA}/assets/${a.id}/check-out`, payload: { to: 'person', personId: ana, expectedReturnAt: inDays(2) } }, 201);
    const res = await expectNoChange(t, () => book({ assetIds: [a.id], startsAt: inDays(1), endsAt: inDays(3), for: 'person', personId: bo }));
    expect(expectProblem(res, 409, 'fixed-assets/asset-checked-out')).toMatchObject({ assetId: a.id, holder: { label: 'Ana Costa' } });
    await booked({ assetIds: [a.id], startsAt: inDays(2), endsAt: inDays(3), for: 'person', personId: bo });
  });

  it('checks out from a booking, early pick-up stretching its window if nothing is in the way', async () => {
    const cam = await asset(t, { name: 'Action camera' });
    const mic = await asset(t, { name: 'Wireless mic' });
    const booking = await booked({ assetIds: [cam.id, mic.id], startsAt: inMinutes(60), endsAt: inDays(1), for: 'person', personId: bo });
    const from = t.events.length;
    const res = await call({ method: 'POST', url: `${FA}/bookings/${booking.id}/check-out`, payload: { note: 'picked up early' } }, 201);
    expect(res.booking).toMatchObject({ status: 'checked-out' });
    expect(new Date(res.booking.startsAt).getTime()).toBeLessThanOrEqual(Date.now());
    expect(res.custodies).toHaveLength(2);
    for (const c of res.custodies) expect(c).toMatchObject({ bookingId: booking.id, holder: { type: 'person', id: bo }, expectedReturnAt: booking.endsAt, noteOut: 'picked up early' });
    expect(eventsSince(t, from).filter((n) => n === 'fixed-assets.asset.checked-out')).toHaveLength(2);
    const again = await expectNoChange(t, () => t.request({ method: 'POST', url: `${FA}/bookings/${booking.id}/check-out`, payload: {} }));
    expect(expectProblem(again, 409, 'fixed-assets/booking-not-reserved').currentStatus).toBe('checked-out');
    expect(expectProblem(await expectNoChange(t, () => t.request({ method: 'POST', url: `${FA}/bookings/${booking.id}/cancel`, payload: {} })), 409, 'fixed-assets/booking-not-reserved').currentStatus).toBe('checked-out');
    // The booking completes only when the last of its assets is back.
    await call({ method: 'POST', url: `${FA}/assets/${cam.id}/check-in`, payload: {} }, 200);
    expect((await call({ method: 'GET', url: `${FA}/bookings/${booking.id}` }, 200)).status).toBe('checked-out');
    await call({ method: 'POST', url: `${FA}/custody/check-in`, payload: { tags: [mic.tag] } }, 200);
    expect((await call({ method: 'GET', url: `${FA}/bookings/${booking.id}` }, 200)).status).toBe('completed');

    // An early pick-up that would run into someone's booking before is refused, naming it.
    const lamp = await asset(t, { name: 'LED panel' });
    const before = await booked({ assetIds: [lamp.id], startsAt: inMinutes(-10), endsAt: inMinutes(120), for: 'person', personId: ana });
    const mine = await booked({ assetIds: [lamp.id], startsAt: inMinutes(120), endsAt: inDays(1), for: 'person', personId: bo });
    const early = await expectNoChange(t, () => t.request({ method: 'POST', url: `${FA}/bookings/${mine.id}/check-out`, payload: {} }));
    expect(expectProblem(early, 409, 'fixed-assets/booking-conflict').bookingId).toBe(before.id);
  });

  it('refuses assets that cannot be booked and windows that make no sense', async () => {
    const old = await asset(t, { name: 'Old projector' });
    expect((await transition(t, old.id, 'retired')).statusCode).toBe(200);
    const res = await expectNoChange(t, () => book({ assetIds: [old.id], startsAt: inDays(1), endsAt: inDays(2) }));
    expect(expectProblem(res, 409, 'fixed-assets/asset-not-bookable').assets).toEqual([{ id: old.id, tag: old.tag, currentStatus: 'retired' }]);
    const a = await asset(t, { name: 'Tripod' });
    const backwards = await expectNoChange(t, () => book({ assetIds: [a.id], startsAt: inDays(2), endsAt: inDays(1) }));
    expect(expectProblem(backwards, 400, 'validation').errors).toEqual([{ field: 'endsAt', message: 'must be after startsAt' }]);
    const past = await expectNoChange(t, () => book({ assetIds: [a.id], startsAt: inDays(-3), endsAt: inDays(-2) }));
    expect(expectProblem(past, 400, 'validation').errors).toEqual([{ field: 'endsAt', message: 'must be in the future' }]);
  });

  it('shows availability for a window: bookings and custodies per asset', async () => {
    const x = await asset(t, { name: 'Calendar X' });
    const y = await asset(t, { name: 'Calendar Y' });
    const z = await asset(t, { name: 'Calendar Z' });
    const b = await booked({ assetIds: [x.id], startsAt: inDays(1), endsAt: inDays(2), for: 'person', personId: ana });
    const out = await call({ method: 'POST', url: `${FA}/assets/${y.id}/check-out`, payload: { to: 'person', personId: bo, expectedReturnAt: inMinutes(36 * 60) } }, 201);
    const from = inMinutes(60);
    const to = inDays(3);
    const cal = await call({ method: 'GET', url: `${FA}/availability?from=${from}&to=${to}&assetId=${x.id}&assetId=${y.id}&assetId=${z.id}` }, 200);
    expect(cal.total).toBe(3);
    const byId = Object.fromEntries(cal.data.map((r: any) => [r.assetId, r]));
    expect(byId[x.id]).toMatchObject({ available: false, busy: [{ kind: 'booking', id: b.id, number: b.number, holder: { label: 'Ana Costa' } }] });
    expect(byId[y.id]).toMatchObject({ available: false, busy: [{ kind: 'custody', id: out.custody.id, number: null, holder: { label: 'Bo Jensen' } }] });
    expect(byId[z.id]).toMatchObject({ available: true, busy: [] });
    const narrow = await call({ method: 'GET', url: `${FA}/availability?from=${inDays(2)}&to=${inDays(3)}&assetId=${x.id}&assetId=${y.id}` }, 200);
    expect(narrow.data.every((r: any) => r.available)).toBe(true);
  });
});
