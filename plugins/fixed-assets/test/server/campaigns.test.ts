import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoChange, expectProblem, type TestPlatform } from '@quartermaster/testing';
import { permissions } from '../../src/shared/index.js';
import { FA, asset, bootFixedAssets, caller, category, custodyMatchesStatus, eventsSince, item, location, userWith } from './fixtures.js';

describe('verification campaigns', () => {
  let t: TestPlatform;
  let call: ReturnType<typeof caller>;
  let plant: string;
  let hallA: string;
  let hallB: string;
  let depot: string;
  let it_: string;
  let furniture: string;
  const a: Record<string, { id: string; tag: string }> = {};

  const identifier = (type: string, value: string, targetId: string, targetType = 'fixed-assets.asset') =>
    call({ method: 'POST', url: '/api/core/identifiers', payload: { type, value, targetType, targetId } }, 201);
  const open = (body: Record<string, unknown>) => call({ method: 'POST', url: `${FA}/campaigns`, payload: { name: 'Audit', ...body } }, 201);
  const scan = (id: string, body: Record<string, unknown>) => t.request({ method: 'POST', url: `${FA}/campaigns/${id}/scans`, payload: body });
  const scanOk = async (id: string, body: Record<string, unknown>) => {
    const res = await scan(id, body);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { results: any[]; counts: Record<string, number> };
  };
  const detail = (id: string, query = '') => call({ method: 'GET', url: `${FA}/campaigns/${id}${query}` }, 200);
  const reconcile = (id: string, actions: Record<string, unknown>[], headers?: Record<string, string>) =>
    t.request({ method: 'POST', url: `${FA}/campaigns/${id}/reconcile`, payload: { actions }, ...(headers ? { headers } : {}) });

  beforeAll(async () => {
    t = await bootFixedAssets();
    call = caller(t);
    plant = await location(t, 'Plant', 'site', undefined, 'PLT');
    hallA = await location(t, 'Hall A', 'building', plant);
    hallB = await location(t, 'Hall B', 'building', plant);
    depot = await location(t, 'Depot', 'site');
    it_ = await category(t, 'IT');
    furniture = await category(t, 'Furniture');
    const model = await item(t, 'Label printer');
    await identifier('gtin', '09506000134352', model, 'core.item');
    a.laptop = await asset(t, { name: 'Laptop', locationId: hallA, categoryId: it_ });
    a.printer = await asset(t, { name: 'Printer', locationId: hallA, categoryId: it_, itemId: model, serialNumber: 'SN-PR-7' });
    a.desk = await asset(t, { name: 'Desk', locationId: hallB, categoryId: furniture });
    a.press = await asset(t, { name: 'Press', locationId: hallB });
    a.die = await asset(t, { name: 'Die', parentId: a.press.id });
    a.gone = await asset(t, { name: 'Old drill', locationId: hallA });
    await call({ method: 'POST', url: `${FA}/assets/${a.gone.id}/dispose`, payload: { kind: 'lost' } }, 200);
    a.visitor = await asset(t, { name: 'Projector', locationId: depot });
    // An RFID tag on the laptop, written in upper case; readers often send lower case.
    await identifier('epc', '3034257BF7194E4000001A85', a.laptop.id);
  });
  afterAll(async () => {
    if (t) await custodyMatchesStatus(t);
    await t?.close();
  });

  it('snapshots the assets expected at the location and below, optionally of one category', async () => {
    const from = t.events.length;
    const c = await open({ name: 'Plant audit', locationId: plant, dueDate: '2099-01-31', notes: 'yearly' });
    expect(c).toMatchObject({
      number: expect.any(String),
      status: 'open',
      location: { id: plant, path: 'Plant' },
      category: null,
      dueDate: '2099-01-31',
      counts: { expected: 5, found: 0, missing: 5, unexpected: 0, unknown: 0, unreconciled: 5 },
    });
    expect(eventsSince(t, from)).toEqual(['fixed-assets.campaign.created']);
    expect(t.events.at(-1)!.payload).toMatchObject({ id: c.id, expected: 5, locationId: plant });
    const lines = await detail(c.id);
    expect(lines.lines.data.map((l: any) => l.asset.tag).sort()).toEqual([a.laptop, a.printer, a.desk, a.press, a.die].map((x) => x.tag).sort());
    expect(lines.lines.data.every((l: any) => l.state === 'missing' && l.expected)).toBe(true);

    const itOnly = await open({ name: 'IT audit', locationId: plant, categoryId: it_ });
    expect(itOnly.counts.expected).toBe(2);
    const list = await call({ method: 'GET', url: `${FA}/campaigns?status=open&q=IT%20audit` }, 200);
    expect(list.data.map((x: any) => x.id)).toEqual([itOnly.id]);
    await call({ method: 'POST', url: `${FA}/campaigns/${itOnly.id}/cancel`, payload: { reason: 'merged into the plant audit' } }, 200);
  });

  it('answers each scanned code: found, duplicate, unexpected (saying where), unknown — tags, EPCs and GS1 codes', async () => {
    const c = await open({ locationId: plant });
    const res = await scanOk(c.id, {
      source: 'barcode',
      codes: [a.laptop.tag, ` ${a.laptop.tag} `, '3034257bf7194e4000001a85', a.visitor.tag, 'NOPE-42', '(01)09506000134352(21)SN-PR-7', a.gone.tag],
    });
    expect(res.results.map((r) => [r.result, r.firstResult, r.asset?.tag ?? null])).toEqual([
      ['found', null, a.laptop.tag],
      ['duplicate', 'found', a.laptop.tag],
      ['duplicate', 'found', a.laptop.tag],
      ['unexpected', null, a.visitor.tag],
      ['unknown', null, null],
      ['found', null, a.printer.tag],
      ['unexpected', null, a.gone.tag],
    ]);
    expect(res.results[3].message).toBe(`${a.visitor.tag} is registered at Depot, not here`);
    expect(res.results[6].message).toContain('disposed of');
    expect(res.counts).toMatchObject({ expected: 5, found: 2, missing: 3, unexpected: 2, unknown: 1, reads: 7 });

    // The same codes again (a second pass, an RFID burst): nothing counts twice.
    const again = await scanOk(c.id, { source: 'rfid', codes: ['3034257BF7194E4000001A85', '3034257BF7194E4000001A85', 'NOPE-42', a.visitor.tag] });
    expect(again.results.map((r) => [r.result, r.firstResult])).toEqual([
      ['duplicate', 'found'],
      ['duplicate', 'found'],
      ['duplicate', 'unknown'],
      ['duplicate', 'unexpected'],
    ]);
    expect(again.counts).toMatchObject({ found: 2, missing: 3, unexpected: 2, unknown: 1 });

    // The raw GS1 element string a scanner sends (symbology identifier, FNC1 as GS) finds the printer too.
    const raw = await scanOk(c.id, { codes: [']d20109506000134352' + '21SN-PR-7'] });
    expect(raw.results[0]).toMatchObject({ result: 'duplicate', firstResult: 'found', asset: { id: a.printer.id } });

    const missing = await detail(c.id, '?state=missing');
    expect(missing.lines.data.map((l: any) => l.asset.tag).sort()).toEqual([a.desk.tag, a.press.tag, a.die.tag].sort());
    const unexpected = await detail(c.id, '?state=unexpected');
    expect(unexpected.lines.data.find((l: any) => l.asset.id === a.visitor.id)).toMatchObject({
      state: 'unexpected',
      expected: false,
      registeredLocation: { id: depot, path: 'Depot' },
      scannedLocation: { id: plant },
      code: a.visitor.tag,
      source: 'barcode',
      reads: 2,
      resolution: null,
    });
    const unknown = await detail(c.id, '?state=unknown');
    expect(unknown.lines.data).toEqual([expect.objectContaining({ state: 'unknown', code: 'NOPE-42', codeKind: 'unknown', asset: null, reads: 2 })]);
    await call({ method: 'POST', url: `${FA}/campaigns/${c.id}/cancel`, payload: {} }, 200);
  });

  it('tells which assets a code matches when it matches several', async () => {
    const x = await asset(t, { name: 'Scope 1', locationId: depot, serialNumber: 'SN-TWIN' });
    const y = await asset(t, { name: 'Scope 2', locationId: depot, serialNumber: 'SN-TWIN' });
    const c = await open({ locationId: plant });
    const res = await scanOk(c.id, { codes: ['SN-TWIN', 'sn-twin'] });
    expect(res.results[0]).toMatchObject({ result: 'ambiguous', candidates: expect.arrayContaining([{ id: x.id, tag: x.tag, name: 'Scope 1' }, { id: y.id, tag: y.tag, name: 'Scope 2' }]) });
    expect(res.results[0].message).toContain('scan the asset tag');
    expect(res.results[1].result).toBe('ambiguous');
    await call({ method: 'POST', url: `${FA}/campaigns/${c.id}/cancel`, payload: {} }, 200);
    await t.sql(`UPDATE fixed_assets_asset SET serial_number = NULL WHERE id = ANY($1::uuid[])`, [[x.id, y.id]]);
  });

  it('knows where the scanner is: found elsewhere in the campaign is misplaced; outside the campaign is refused', async () => {
    const c = await open({ locationId: plant });
    const res = await scanOk(c.id, { locationId: hallA, codes: [a.laptop.tag, a.desk.tag] });
    expect(res.results.map((r) => [r.result, r.misplaced])).toEqual([
      ['found', false],
      ['found', true],
    ]);
    expect(res.results[1].message).toBe(`${a.desk.tag} found, but registered at Plant / Hall B, not at Plant / Hall A`);
    expect(res.counts).toMatchObject({ found: 2, misplaced: 1 });
    const outside = await expectNoChange(t, () => scan(c.id, { locationId: depot, codes: [a.laptop.tag] }));
    expect(expectProblem(outside, 400, 'validation').errors).toEqual([{ field: 'locationId', message: "is not within the campaign's location Plant" }]);
    // The misplaced desk moves to where it was found.
    const moved = await reconcile(c.id, [{ assetId: a.desk.id, action: 'move-here' }]);
    expect(moved.statusCode, moved.body).toBe(200);
    expect((await call({ method: 'GET', url: `${FA}/assets/${a.desk.id}` }, 200)).locationId).toBe(hallA);
    await call({ method: 'POST', url: `${FA}/assets/${a.desk.id}/move`, payload: { locationId: hallB } }, 200);
    await call({ method: 'POST', url: `${FA}/campaigns/${c.id}/cancel`, payload: {} }, 200);
  });

  it('reconciles: moves the unexpected here (with its components), flags the missing, all or nothing; then closes', async () => {
    const trolley = await asset(t, { name: 'Trolley', locationId: depot });
    const wheel = await asset(t, { name: 'Wheel', parentId: trolley.id });
    const c = await open({ locationId: plant });
    await scanOk(c.id, { locationId: hallB, codes: [a.laptop.tag, a.printer.tag, a.desk.tag, a.press.tag, trolley.tag, wheel.tag] });
    // Missing: the die (a component of the press that was found).
    let view = await detail(c.id);
    expect(view.counts).toMatchObject({ expected: 5, found: 4, missing: 1, unexpected: 2, unreconciled: 3 });

    const closeEarly = await expectNoChange(t, () => t.request({ method: 'POST', url: `${FA}/campaigns/${c.id}/close`, payload: {} }));
    expect(expectProblem(closeEarly, 409, 'fixed-assets/campaign-unreconciled')).toMatchObject({ missing: 1, unexpected: 2, unreconciled: 3 });

    // Checked first: wrong actions for the state are named, nothing happens.
    const wrong = await expectNoChange(t, () =>
      reconcile(c.id, [
        { assetId: a.die.id, action: 'move-here' },
        { assetId: a.laptop.id, action: 'flag-missing' },
        { assetId: a.visitor.id, action: 'ignore' },
        { assetId: a.die.id, action: 'ignore' },
      ]),
    );
    expect(expectProblem(wrong, 400, 'validation').errors!.map((e) => e.field)).toEqual(['actions.3.assetId', 'actions.0.action', 'actions.1.action', 'actions.2.assetId']);

    // The wheel is a component: it moves with its trolley, not on its own — so nothing is done.
    const refused = await expectNoChange(t, () =>
      reconcile(c.id, [
        { assetId: a.die.id, action: 'flag-missing' },
        { assetId: wheel.id, action: 'move-here' },
      ]),
    );
    expect(expectProblem(refused, 409, 'fixed-assets/bulk-refused').errors).toEqual([
      expect.objectContaining({ field: 'actions.1', assetId: wheel.id, tag: wheel.tag, type: 'https://quartermaster.dev/problems/fixed-assets/component-moves-with-parent' }),
    ]);

    const from = t.events.length;
    const res = await reconcile(c.id, [
      { assetId: trolley.id, action: 'move-here', reason: 'found in hall B' },
      { assetId: wheel.id, action: 'ignore' },
      { assetId: a.die.id, action: 'flag-missing', reason: 'not on the press' },
    ]);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().results).toEqual([
      { assetId: trolley.id, tag: trolley.tag, action: 'move-here', outcome: 'done', moved: [trolley.id, wheel.id] },
      { assetId: wheel.id, tag: wheel.tag, action: 'ignore', outcome: 'done', moved: [] },
      { assetId: a.die.id, tag: a.die.tag, action: 'flag-missing', outcome: 'done', moved: [] },
    ]);
    expect(res.json().campaign.counts).toMatchObject({ reconciled: 3, unreconciled: 0 });
    expect(eventsSince(t, from)).toEqual(['fixed-assets.asset.moved', 'fixed-assets.asset.moved', 'fixed-assets.asset.flagged-missing']);
    expect(t.events.at(-1)!.payload).toEqual({ id: a.die.id, tag: a.die.tag, campaignId: c.id, locationId: hallB, reason: 'not on the press' });
    const trolleyNow = await call({ method: 'GET', url: `${FA}/assets/${trolley.id}` }, 200);
    expect(trolleyNow.locationId).toBe(hallB);
    expect((await call({ method: 'GET', url: `${FA}/assets/${wheel.id}` }, 200)).locationId).toBe(hallB);
    expect((await call({ method: 'GET', url: `${FA}/assets/${trolley.id}/history` }, 200)).data[0]).toMatchObject({ type: 'moved', reason: 'found in hall B' });
    const die = await call({ method: 'GET', url: `${FA}/assets/${a.die.id}` }, 200);
    expect(die.flaggedMissingAt).toEqual(expect.any(String));
    expect((await call({ method: 'GET', url: `${FA}/assets?flaggedMissing=true` }, 200)).data.map((x: any) => x.id)).toEqual([a.die.id]);
    expect((await call({ method: 'GET', url: `${FA}/assets/${a.die.id}/history` }, 200)).data[0]).toMatchObject({ type: 'flagged-missing', reason: 'not on the press', data: { campaignId: c.id } });

    // Asking again is a no-op.
    const twice = await call({ method: 'POST', url: `${FA}/campaigns/${c.id}/reconcile`, payload: { actions: [{ assetId: a.die.id, action: 'flag-missing' }] } }, 200);
    expect(twice.results[0].outcome).toBe('already-done');
    view = await detail(c.id, '?resolved=true');
    expect(view.lines.data.map((l: any) => [l.asset.tag, l.resolution.action])).toEqual(
      expect.arrayContaining([
        [trolley.tag, 'move-here'],
        [a.die.tag, 'flag-missing'],
      ]),
    );

    const before = t.events.length;
    const closed = await call({ method: 'POST', url: `${FA}/campaigns/${c.id}/close`, payload: {} }, 200);
    expect(closed).toMatchObject({ status: 'closed', forced: false, closedBy: 'admin@example.test', counts: { expected: 5, found: 4, missing: 1, unexpected: 2, reconciled: 3, unreconciled: 0 } });
    expect(eventsSince(t, before)).toEqual(['fixed-assets.campaign.closed']);
    expect(t.events.at(-1)!.payload).toMatchObject({ id: c.id, expected: 5, found: 4, missing: 1, unexpected: 2, unreconciled: 0, forced: false });

    // A closed campaign takes no more scans or changes.
    expectProblem(await expectNoChange(t, () => scan(c.id, { codes: [a.laptop.tag] })), 409, 'fixed-assets/campaign-closed');
    expectProblem(await expectNoChange(t, () => reconcile(c.id, [{ assetId: a.die.id, action: 'ignore' }])), 409, 'fixed-assets/campaign-closed');
    expectProblem(await expectNoChange(t, () => t.request({ method: 'POST', url: `${FA}/campaigns/${c.id}/close`, payload: {} })), 409, 'fixed-assets/campaign-closed');

    // Found again in the next audit: the flag comes off, in the asset's history.
    const next = await open({ locationId: plant });
    const found = await scanOk(next.id, { codes: [a.die.tag] });
    expect(found.results[0]).toMatchObject({ result: 'found', expected: true });
    const dieAfter = await call({ method: 'GET', url: `${FA}/assets/${a.die.id}` }, 200);
    expect(dieAfter.flaggedMissingAt).toBeNull();
    expect((await call({ method: 'GET', url: `${FA}/assets/${a.die.id}/history` }, 200)).data[0]).toMatchObject({ type: 'found', data: { campaignId: next.id } });
    await call({ method: 'POST', url: `${FA}/campaigns/${next.id}/cancel`, payload: {} }, 200);
  });

  it('marks missing assets lost through the disposal (which needs the disposal permission), and closes by force with a reason', async () => {
    const shelf = await location(t, 'Shelf', 'shelf', hallA);
    const lamp = await asset(t, { name: 'Lamp', locationId: shelf });
    const fan = await asset(t, { name: 'Fan', locationId: shelf });
    const c = await open({ locationId: shelf });
    const auditor = await userWith(t, 'auditor@example.test', [permissions.assetRead, permissions.auditRun]);
    const forbidden = await expectNoChange(t, () => reconcile(c.id, [{ assetId: lamp.id, action: 'mark-lost' }], auditor.headers));
    expect(expectProblem(forbidden, 403, 'forbidden').permission).toBe(permissions.assetDispose);

    const from = t.events.length;
    const lost = await reconcile(c.id, [{ assetId: lamp.id, action: 'mark-lost', reason: 'not seen since March' }]);
    expect(lost.statusCode, lost.body).toBe(200);
    expect(eventsSince(t, from)).toEqual(expect.arrayContaining(['fixed-assets.asset.status-changed', 'fixed-assets.asset.disposed']));
    expect(await call({ method: 'GET', url: `${FA}/assets/${lamp.id}` }, 200)).toMatchObject({ status: 'disposed', disposal: { kind: 'lost', reason: 'not seen since March' } });

    const noReason = await expectNoChange(t, () => t.request({ method: 'POST', url: `${FA}/campaigns/${c.id}/close`, payload: { force: true } }));
    expect(expectProblem(noReason, 400, 'validation').errors).toEqual([{ field: 'reason', message: 'is required to force a close' }]);
    const forced = await call({ method: 'POST', url: `${FA}/campaigns/${c.id}/close`, payload: { force: true, reason: 'fan is out for repair' } }, 200);
    expect(forced).toMatchObject({ status: 'closed', forced: true, closeReason: 'fan is out for repair', counts: { missing: 2, reconciled: 1, unreconciled: 1 } });
    expect((await call({ method: 'GET', url: `${FA}/campaigns?status=closed` }, 200)).data.map((x: any) => x.id)).toContain(c.id);
    expect(fan.id).toBeTruthy();
  });

  it('keeps every scan of two scanners working the same campaign at once, and counts each asset once', async () => {
    const room = await location(t, 'Store room', 'room', hallB);
    const many = [];
    for (let i = 0; i < 12; i++) many.push(await asset(t, { name: `Chair ${i}`, locationId: room }));
    const epcs = many.map((_, i) => `E28011700000020F${String(i).padStart(8, '0')}`);
    for (const [i, x] of many.entries()) await identifier('epc', epcs[i], x.id);
    const c = await open({ locationId: room });
    // Two readers in the same room: overlapping halves, each sending bursts (every EPC three times), in different orders.
    const first = [...epcs.slice(0, 8), ...epcs.slice(0, 8), ...epcs.slice(0, 8)];
    const second = [...epcs.slice(4).reverse(), ...epcs.slice(4), ...epcs.slice(4)];
    const runs = await Promise.all([
      ...[first, second].map((codes) => scan(c.id, { source: 'rfid', codes })),
      ...many.slice(0, 6).map((x) => scan(c.id, { source: 'barcode', codes: [x.tag] })),
    ]);
    for (const r of runs) expect(r.statusCode, r.body).toBe(200);
    const results = runs.flatMap((r) => r.json().results as any[]);
    // Each chair was "found" exactly once over all requests; every other reading of it is a duplicate.
    const firsts = results.filter((r) => r.result === 'found').map((r) => r.asset.id);
    expect(firsts.sort()).toEqual(many.map((x) => x.id).sort());
    expect(results.filter((r) => r.result === 'duplicate')).toHaveLength(results.length - 12);
    const view = await detail(c.id);
    expect(view.counts).toMatchObject({ expected: 12, found: 12, missing: 0, unexpected: 0, reads: first.length + second.length + 6 });
  });
});
