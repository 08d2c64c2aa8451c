import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoChange, expectProblem, type TestPlatform } from '@quartermaster/testing';
import { FA, asset, bootFixedAssets, caller, eventsSince, location } from './fixtures.js';

describe('moving assets and their components', () => {
  let t: TestPlatform;
  let call: ReturnType<typeof caller>;
  let rotterdam: string;
  let utrecht: string;
  let yard: string;

  beforeAll(async () => {
    t = await bootFixedAssets();
    call = caller(t);
    rotterdam = await location(t, 'Rotterdam');
    utrecht = await location(t, 'Utrecht');
    yard = await location(t, 'Yard', 'area', utrecht);
  });
  afterAll(async () => {
    await t?.close();
  });

  const move = (id: string, locationId: string, reason?: string) => t.request({ method: 'POST', url: `${FA}/assets/${id}/move`, payload: { locationId, ...(reason ? { reason } : {}) } });

  it('moves a vehicle with its components and theirs, one event and history entry each', async () => {
    const van = await asset(t, { name: 'Sprinter van', locationId: rotterdam });
    const lift = await asset(t, { name: 'Tail lift', parentId: van.id });
    const pump = await asset(t, { name: 'Tail lift pump', parentId: lift.id });
    const tracker = await asset(t, { name: 'GPS tracker', parentId: van.id });
    // Components are registered where their parent is.
    for (const c of [lift, pump, tracker]) expect(c.locationId).toBe(rotterdam);
    expect((await call({ method: 'GET', url: `${FA}/assets/${van.id}` }, 200)).children.map((c: any) => c.id).sort()).toEqual([lift.id, tracker.id].sort());

    const from = t.events.length;
    const res = await move(van.id, yard, 'relocated to Utrecht');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ asset: { id: van.id, location: { id: yard, path: 'Utrecht / Yard' } } });
    expect(new Set(res.json().moved)).toEqual(new Set([van.id, lift.id, pump.id, tracker.id]));
    expect(eventsSince(t, from)).toEqual(Array(4).fill('fixed-assets.asset.moved'));
    const payloads = t.events.slice(from).map((e) => e.payload as any);
    expect(payloads.find((p) => p.id === van.id)).toEqual({ id: van.id, tag: van.tag, fromLocationId: rotterdam, toLocationId: yard, withParentId: null, reason: 'relocated to Utrecht' });
    for (const c of [lift, pump, tracker]) expect(payloads.find((p) => p.id === c.id)).toMatchObject({ fromLocationId: rotterdam, toLocationId: yard, withParentId: van.id });
    const [last] = (await call({ method: 'GET', url: `${FA}/assets/${pump.id}/history` }, 200)).data;
    expect(last).toMatchObject({ type: 'moved', reason: 'relocated to Utrecht', data: { fromLocationId: rotterdam, toLocationId: yard, withParentId: van.id } });
    expect((await call({ method: 'GET', url: `${FA}/assets?locationId=${utrecht}` }, 200)).total).toBe(4);

    // Moving to where it already is changes nothing.
    const again = await expectNoChange(t, () => move(van.id, yard));
    expect(again.json().moved).toEqual([]);
  });

  it('does not move a component on its own, and refuses registering it elsewhere than its parent', async () => {
    const press = await asset(t, { name: 'Press', locationId: rotterdam });
    const die = await asset(t, { name: 'Die set', parentId: press.id });
    const res = await expectNoChange(t, () => move(die.id, utrecht));
    expect(expectProblem(res, 409, 'fixed-assets/component-moves-with-parent')).toMatchObject({ assetId: die.id, parentId: press.id, parentTag: press.tag });
    const elsewhere = await expectNoChange(t, () => t.request({ method: 'POST', url: `${FA}/assets`, payload: { name: 'Guard', parentId: press.id, locationId: utrecht } }));
    expect(expectProblem(elsewhere, 400, 'validation').errors!.map((e) => e.field)).toEqual(['locationId']);
  });

  it('attaching a component brings it to its parent; detaching leaves it there; no loops', async () => {
    const machine = await asset(t, { name: 'Milling machine', locationId: utrecht });
    const spindle = await asset(t, { name: 'Spindle', locationId: rotterdam });
    const motor = await asset(t, { name: 'Spindle motor', parentId: spindle.id });
    const from = t.events.length;
    const attached = await call({ method: 'PATCH', url: `${FA}/assets/${spindle.id}`, payload: { parentId: machine.id } }, 200);
    expect(attached).toMatchObject({ parentId: machine.id, parent: { id: machine.id, tag: machine.tag }, locationId: utrecht });
    expect(eventsSince(t, from)).toEqual(['fixed-assets.asset.updated', 'fixed-assets.asset.moved', 'fixed-assets.asset.moved']);
    expect((await call({ method: 'GET', url: `${FA}/assets/${motor.id}` }, 200)).locationId).toBe(utrecht);

    const loop = await expectNoChange(t, () => t.request({ method: 'PATCH', url: `${FA}/assets/${machine.id}`, payload: { parentId: motor.id } }));
    expect(expectProblem(loop, 409, 'fixed-assets/component-cycle')).toMatchObject({ field: 'parentId', assetId: machine.id, parentId: motor.id });
    const self = await expectNoChange(t, () => t.request({ method: 'PATCH', url: `${FA}/assets/${machine.id}`, payload: { parentId: machine.id } }));
    expectProblem(self, 409, 'fixed-assets/component-cycle');

    const detached = await call({ method: 'PATCH', url: `${FA}/assets/${spindle.id}`, payload: { parentId: null } }, 200);
    expect(detached).toMatchObject({ parentId: null, locationId: utrecht });
    expect((await move(spindle.id, rotterdam)).json().moved.sort()).toEqual([spindle.id, motor.id].sort());
  });

  it('refuses moving to an archived or unknown location', async () => {
    const old = await location(t, 'Old depot');
    await call({ method: 'PATCH', url: `/api/core/locations/${old}`, payload: { archived: true } }, 200);
    const a = await asset(t, { name: 'Pallet jack', locationId: rotterdam });
    expect(expectProblem(await expectNoChange(t, () => move(a.id, old)), 400, 'validation').errors).toEqual([{ field: 'locationId', message: 'is archived' }]);
    expect(expectProblem(await expectNoChange(t, () => move(a.id, '00000000-0000-4000-8000-000000000000')), 400, 'validation').errors).toEqual([{ field: 'locationId', message: 'no such location' }]);
  });
});
