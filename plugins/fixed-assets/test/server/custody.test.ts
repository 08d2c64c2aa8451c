import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoChange, expectProblem, type TestPlatform } from '@quartermaster/testing';
import { permissions } from '../../src/shared/index.js';
import { FA, asset, bootFixedAssets, caller, custodyMatchesStatus, eventsSince, inDays, inMinutes, location, person, transition, userWith } from './fixtures.js';

describe('custody', () => {
  let t: TestPlatform;
  let call: ReturnType<typeof caller>;
  let site: string;
  let ana: string;

  beforeAll(async () => {
    t = await bootFixedAssets();
    call = caller(t);
    site = await location(t, 'Depot', 'site', undefined, 'DEP');
    ana = await person(t, 'Ana Costa', { employeeNumber: 'E-7' });
  });
  afterAll(async () => {
    if (t) await custodyMatchesStatus(t);
    await t?.close();
  });

  const checkOut = (id: string, body: Record<string, unknown>) => t.request({ method: 'POST', url: `${FA}/assets/${id}/check-out`, payload: body });
  const checkIn = (id: string, body: Record<string, unknown> = {}) => t.request({ method: 'POST', url: `${FA}/assets/${id}/check-in`, payload: body });
  /** Pretend a custody was taken `days` ago and due back yesterday. */
  const makeOverdue = (custodyId: string) =>
    t.sql(`UPDATE fixed_assets_custody SET checked_out_at = now() - interval '3 days', expected_return_at = now() - interval '1 day' WHERE id = $1`, [custodyId]);

  it('checks out to a person with an expected return, and back in with condition and note', async () => {
    const a = await asset(t, { name: 'Laser level', locationId: site, condition: 'good' });
    const expected = inDays(3);
    const from = t.events.length;
    const out = await checkOut(a.id, { to: 'person', personId: ana, expectedReturnAt: expected, condition: 'good', note: ' site survey ' });
    expect(out.statusCode, out.body).toBe(201);
    const { asset: afterOut, custody } = out.json();
    expect(afterOut).toMatchObject({ status: 'checked-out', custody: { id: custody.id, holder: { type: 'person', id: ana, label: 'Ana Costa' } } });
    expect(custody).toMatchObject({ assetId: a.id, tag: a.tag, expectedReturnAt: expected, conditionOut: 'good', noteOut: 'site survey', checkedInAt: null, outcome: null, overdue: false, bookingId: null });
    expect(eventsSince(t, from)).toEqual(['fixed-assets.asset.status-changed', 'fixed-assets.asset.checked-out']);
    expect(t.events.at(-1)!.payload).toEqual({ id: a.id, tag: a.tag, custodyId: custody.id, holder: { type: 'person', id: ana, label: 'Ana Costa' }, expectedReturnAt: expected, bookingId: null });

    const back = await checkIn(a.id, { condition: 'fair', note: 'scratched housing' });
    expect(back.statusCode, back.body).toBe(200);
    expect(back.json()).toMatchObject({ asset: { status: 'in-service', condition: 'fair', custody: null }, custody: { id: custody.id, outcome: 'returned', conditionIn: 'fair', noteIn: 'scratched housing', checkedInBy: 'admin@example.test' } });
    expect(t.events.at(-1)).toMatchObject({ name: 'fixed-assets.asset.checked-in', payload: { custodyId: custody.id, condition: 'fair', late: false } });
    const history = (await call({ method: 'GET', url: `${FA}/assets/${a.id}/history` }, 200)).data.map((h: any) => [h.type, h.fromStatus, h.toStatus]);
    expect(history.slice(0, 2)).toEqual([['checked-in', 'checked-out', 'in-service'], ['checked-out', 'in-service', 'checked-out']]);
  });

  it('checks out to a user, a location and a project', async () => {
    const bob = await userWith(t, 'bob@example.test', [permissions.assetRead]);
    const van = await location(t, 'Van 3', 'vehicle', site);
    const holders = [
      [{ to: 'user', userId: bob.id }, { type: 'user', id: bob.id, label: 'bob' }],
      [{ to: 'location', locationId: van }, { type: 'location', id: van, label: 'Van 3' }],
      [{ to: 'project', project: ' Waalhaven refit ' }, { type: 'project', id: null, label: 'Waalhaven refit' }],
    ] as const;
    for (const [body, holder] of holders) {
      const a = await asset(t, { name: `For ${holder.type}` });
      const res = await checkOut(a.id, body);
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json().custody.holder).toEqual(holder);
    }
    const byProject = await call({ method: 'GET', url: `${FA}/custody?project=Waalhaven%20refit&open=true` }, 200);
    expect(byProject.data.map((c: any) => c.assetName)).toEqual(['For project']);
  });

  it('checks out only from service, and never twice', async () => {
    const a = await asset(t, { name: 'Generator' });
    expect((await transition(t, a.id, 'in-maintenance')).statusCode).toBe(200);
    const inShop = await expectNoChange(t, () => checkOut(a.id, { to: 'person', personId: ana }));
    expect(expectProblem(inShop, 409, 'fixed-assets/illegal-transition')).toMatchObject({ currentStatus: 'in-maintenance', requestedStatus: 'checked-out' });
    expect((await transition(t, a.id, 'in-service')).statusCode).toBe(200);
    expect((await checkOut(a.id, { to: 'person', personId: ana })).statusCode).toBe(201);
    const twice = await expectNoChange(t, () => checkOut(a.id, { to: 'project', project: 'Other' }));
    expect(expectProblem(twice, 409, 'fixed-assets/already-checked-out')).toMatchObject({ currentStatus: 'checked-out', holder: { type: 'person', id: ana, label: 'Ana Costa' } });
    const notOut = await asset(t, { name: 'Idle pump' });
    expect(expectProblem(await expectNoChange(t, () => checkIn(notOut.id)), 409, 'fixed-assets/not-checked-out')).toMatchObject({ currentStatus: 'in-service' });
  });

  it('lists overdue custody and announces each overdue custody once', async () => {
    const a = await asset(t, { name: 'Thermal camera' });
    const out = (await checkOut(a.id, { to: 'person', personId: ana, expectedReturnAt: inMinutes(30) })).json();
    expect((await call({ method: 'GET', url: `${FA}/custody?overdue=true` }, 200)).data).toEqual([]);
    await makeOverdue(out.custody.id);

    const from = t.events.length;
    const overdue = await call({ method: 'GET', url: `${FA}/custody?overdue=true` }, 200);
    expect(overdue.data).toEqual([expect.objectContaining({ id: out.custody.id, overdue: true, holder: expect.objectContaining({ id: ana }) })]);
    expect(eventsSince(t, from)).toEqual(['fixed-assets.asset.overdue']);
    expect(t.events.at(-1)!.payload).toMatchObject({ id: a.id, tag: a.tag, custodyId: out.custody.id, holder: { type: 'person', id: ana } });
    expect((await call({ method: 'GET', url: `${FA}/assets?overdue=true` }, 200)).data.map((x: any) => x.id)).toEqual([a.id]);

    // Reading again, many times at once, announces nothing more.
    await Promise.all(Array.from({ length: 5 }, () => call({ method: 'GET', url: `${FA}/custody?overdue=true` }, 200)));
    await call({ method: 'GET', url: `${FA}/custody/holders` }, 200);
    expect(eventsSince(t, from)).toEqual(['fixed-assets.asset.overdue']);
    const [entry] = (await call({ method: 'GET', url: `${FA}/assets/${a.id}/history` }, 200)).data;
    expect(entry).toMatchObject({ type: 'overdue', actor: 'overdue sweep', data: { custodyId: out.custody.id } });

    const late = (await checkIn(a.id)).json();
    expect(late.custody).toMatchObject({ outcome: 'returned', overdue: false });
    expect(t.events.at(-1)).toMatchObject({ name: 'fixed-assets.asset.checked-in', payload: { late: true } });
  });

  it('sweeps overdue custody on a timer too', async () => {
    const timed = await bootFixedAssets({ overdueSweepSeconds: 1 });
    try {
      const tc = caller(timed);
      const p = (await tc({ method: 'POST', url: `${FA}/persons`, payload: { name: 'Timer' } }, 201)).id;
      const a = (await tc({ method: 'POST', url: `${FA}/assets`, payload: { name: 'Timed' } }, 201)).id;
      const out = await tc({ method: 'POST', url: `${FA}/assets/${a}/check-out`, payload: { to: 'person', personId: p, expectedReturnAt: inMinutes(5) } }, 201);
      await timed.sql(`UPDATE fixed_assets_custody SET checked_out_at = now() - interval '1 hour', expected_return_at = now() - interval '1 minute' WHERE id = $1`, [out.custody.id]);
      const deadline = Date.now() + 10_000;
      while (!timed.events.some((e) => e.name === 'fixed-assets.asset.overdue') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(timed.events.filter((e) => e.name === 'fixed-assets.asset.overdue')).toHaveLength(1);
    } finally {
      await timed.close();
    }
  });

  it('checks out and in by scanned tags, all or nothing, naming every refused tag', async () => {
    const bo = await person(t, 'Bo Jensen');
    const kit = await Promise.all(['Radio 1', 'Radio 2', 'Radio 3'].map((name) => asset(t, { name })));
    const away = await asset(t, { name: 'Radio 4' });
    await checkOut(away.id, { to: 'person', personId: ana });
    const tags = kit.map((a) => a.tag);
    const bulk = (body: Record<string, unknown>) => t.request({ method: 'POST', url: `${FA}/custody/check-out`, payload: { to: 'person', personId: bo, expectedReturnAt: inDays(1), ...body } });

    // One unknown tag, one asset already out: nothing happens, both are named by position.
    const refused = await expectNoChange(t, () => bulk({ tags: [tags[0], 'NOPE-1', tags[1], away.tag] }));
    const problem = expectProblem(refused, 409, 'fixed-assets/bulk-refused');
    expect(problem.errors).toEqual([
      { field: 'tags.1', tag: 'NOPE-1', type: 'https://quartermaster.dev/problems/validation', message: 'no asset has the tag NOPE-1' },
      { field: 'tags.3', tag: away.tag, type: 'https://quartermaster.dev/problems/fixed-assets/already-checked-out', message: expect.stringContaining('Ana Costa') },
    ]);
    // Only unknown or repeated tags: a validation problem.
    const unknown = await expectNoChange(t, () => bulk({ tags: [tags[0], 'NOPE-2', tags[0]] }));
    expect(expectProblem(unknown, 400, 'validation').errors).toEqual([
      { field: 'tags.1', message: 'no asset has the tag NOPE-2' },
      { field: 'tags.2', message: 'is the same asset as tags.0' },
    ]);

    const from = t.events.length;
    const ok = await bulk({ tags: [` ${tags[2]} `, tags[0], tags[1]] });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().custodies.map((c: any) => c.tag)).toEqual([tags[2], tags[0], tags[1]]);
    expect(eventsSince(t, from).filter((n) => n === 'fixed-assets.asset.checked-out')).toHaveLength(3);

    const who = await call({ method: 'GET', url: `${FA}/custody/holders?type=person` }, 200);
    const boRow = who.data.find((h: any) => h.holder.id === bo);
    expect(boRow).toMatchObject({ count: 3, overdue: 0 });
    expect(boRow.custodies.map((c: any) => c.tag).sort()).toEqual([...tags].sort());
    expect((await call({ method: 'GET', url: `${FA}/persons/${bo}` }, 200)).holding).toBe(3);
    const deactivate = await expectNoChange(t, () => t.request({ method: 'PATCH', url: `${FA}/persons/${bo}`, payload: { active: false } }));
    expect(expectProblem(deactivate, 409, 'fixed-assets/person-holds-assets').holding).toBe(3);

    const notOut = await asset(t, { name: 'Radio 5' });
    const inRefused = await expectNoChange(t, () => t.request({ method: 'POST', url: `${FA}/custody/check-in`, payload: { tags: [tags[0], notOut.tag] } }));
    expect(expectProblem(inRefused, 409, 'fixed-assets/bulk-refused').errors).toMatchObject([{ field: 'tags.1', tag: notOut.tag, type: 'https://quartermaster.dev/problems/fixed-assets/not-checked-out' }]);
    const back = await call({ method: 'POST', url: `${FA}/custody/check-in`, payload: { tags, condition: 'good' } }, 200);
    expect(back.custodies.map((c: any) => c.outcome)).toEqual(['returned', 'returned', 'returned']);
    expect((await call({ method: 'GET', url: `${FA}/custody?holderPersonId=${bo}&open=true` }, 200)).total).toBe(0);
    expect((await call({ method: 'GET', url: `${FA}/custody?holderPersonId=${bo}&open=false` }, 200)).total).toBe(3);
  });

  it('resolves a scanned value through the core identifiers, not only the tag column', async () => {
    const a = await asset(t, { name: 'Scanner' });
    // A second identifier (a QR payload) pointing at the asset, attached through the core.
    await call({ method: 'POST', url: '/api/core/identifiers', payload: { type: 'qr', value: `https://assets.example/${a.tag}`, targetType: 'fixed-assets.asset', targetId: a.id } }, 201);
    const res = await call({ method: 'POST', url: `${FA}/custody/check-out`, payload: { tags: [`https://assets.example/${a.tag}`], to: 'project', project: 'Inventory count' } }, 201);
    expect(res.custodies[0]).toMatchObject({ assetId: a.id, holder: { type: 'project', label: 'Inventory count' } });
  });

  it('keeps the custody history per asset, newest first', async () => {
    const a = await asset(t, { name: 'Ladder' });
    for (const project of ['Job 1', 'Job 2']) {
      await checkOut(a.id, { to: 'project', project });
      await checkIn(a.id);
    }
    const history = await call({ method: 'GET', url: `${FA}/assets/${a.id}/custody` }, 200);
    expect(history).toMatchObject({ total: 2, data: [{ holder: { label: 'Job 2' }, outcome: 'returned' }, { holder: { label: 'Job 1' }, outcome: 'returned' }] });
    expect((await call({ method: 'GET', url: `${FA}/assets/${a.id}/custody?limit=1&offset=1` }, 200)).data.map((c: any) => c.holder.label)).toEqual(['Job 1']);
  });
});
