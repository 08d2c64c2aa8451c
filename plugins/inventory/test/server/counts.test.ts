import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoChange, expectProblem, problemFields, type TestPlatform } from '@quartermaster/testing';
import { bootInventory, caller, item, ledgerMatchesBalances, location, posted, stock } from './fixtures.js';

describe('cycle counts and stocktakes', () => {
  let t: TestPlatform;
  let call: ReturnType<typeof caller>;
  let zone: string;
  let b1: string;
  let b2: string;
  let other: string;

  beforeAll(async () => {
    t = await bootInventory();
    call = caller(t);
    const site = await location(t, 'Plant', 'site');
    zone = await location(t, 'Stores', 'zone', site);
    b1 = await location(t, 'S-01', 'bin', zone);
    b2 = await location(t, 'S-02', 'bin', zone);
    other = await location(t, 'Yard', 'area', site);
  });
  afterAll(async () => {
    await ledgerMatchesBalances(t);
    await t?.close();
  });

  it('a blind stocktake hides expectations, sends big variances to recount, and posts the variances with their value', async () => {
    const gasket = await item(t, 'Gasket');
    const seal = await item(t, 'Seal kit', { trackingMode: 'lot' });
    const oring = await item(t, 'O-ring');
    await posted(t, {
      type: 'receipt',
      lines: [
        { itemId: gasket, qty: 100, unitCost: '0.50', toLocationId: b1 },
        { itemId: seal, qty: 10, unitCost: 12, lot: 'SK-1', expiresOn: '2030-01-01', toLocationId: b2 },
        { itemId: oring, qty: 40, unitCost: '0.25', toLocationId: other },
      ],
    });
    const count = await call(
      { method: 'POST', url: '/api/inventory/counts', payload: { name: 'Year-end stores', kind: 'full', locationId: zone, recountTolerance: 0.05 } },
      201,
    );
    // Only what is under the zone is frozen, and counters do not see what is expected.
    expect(count.lineItems.map((l: { itemName: string; lot: string | null; expectedQty: string | null }) => [l.itemName, l.lot, l.expectedQty])).toEqual([
      ['Gasket', null, null],
      ['Seal kit', 'SK-1', null],
    ]);
    const twice = await t.request({ method: 'POST', url: '/api/inventory/counts', payload: { name: 'again', kind: 'full', locationId: b1 } });
    expectProblem(twice, 409, 'inventory/count-open');

    const [g, s] = count.lineItems;
    // Two gaskets short (2%, within tolerance); 3 seal kits short (30%, recount); found O-rings on a shelf in S-02.
    await call({ method: 'POST', url: `/api/inventory/counts/${count.id}/entries`, payload: { entries: [{ lineId: g.id, countedQty: 98 }, { lineId: s.id, countedQty: '7' }, { itemId: oring, locationId: b2, countedQty: 5 }] } }, 200);
    const outside = await expectNoChange(t, () =>
      t.request({ method: 'POST', url: `/api/inventory/counts/${count.id}/entries`, payload: { entries: [{ itemId: oring, locationId: other, countedQty: 1 }] } }),
    );
    expect(problemFields(expectProblem(outside, 400, 'validation'))).toEqual(['entries.0.locationId']);

    const afterFinish = await call({ method: 'POST', url: `/api/inventory/counts/${count.id}/finish`, payload: {} }, 200);
    expect(afterFinish.status).toBe('counting');
    expect(afterFinish.lineItems.map((l: { itemName: string; status: string }) => [l.itemName, l.status])).toEqual([
      ['Gasket', 'counted'],
      // Stock found where none was expected is always checked again.
      ['O-ring', 'recount'],
      ['Seal kit', 'recount'],
    ]);
    const oLine = afterFinish.lineItems.find((l: { itemName: string }) => l.itemName === 'O-ring');
    const notRecount = await t.request({ method: 'POST', url: `/api/inventory/counts/${count.id}/entries`, payload: { entries: [{ lineId: g.id, countedQty: 97 }] } });
    expect(problemFields(expectProblem(notRecount, 400, 'validation'))).toEqual(['entries.0.lineId']);
    await call({ method: 'POST', url: `/api/inventory/counts/${count.id}/entries`, payload: { entries: [{ lineId: s.id, countedQty: 9 }, { lineId: oLine.id, countedQty: 5 }] } }, 200);
    const review = await call({ method: 'POST', url: `/api/inventory/counts/${count.id}/finish`, payload: {} }, 200);
    expect(review.status).toBe('review');
    const byName = Object.fromEntries(review.lineItems.map((l: { itemName: string }) => [l.itemName, l]));
    expect(byName['Gasket']).toMatchObject({ expectedQty: '100', countedQty: '98', varianceQty: '-2', varianceValue: '-1.00' });
    expect(byName['Seal kit']).toMatchObject({ expectedQty: '10', recountQty: '9', varianceQty: '-1', varianceValue: '-12.00' });
    expect(byName['O-ring']).toMatchObject({ expectedQty: '0', recountQty: '5', varianceQty: '5', varianceValue: '1.25' });
    expect(review.varianceValue).toBe('-11.75');

    const from = t.events.length;
    const done = await call({ method: 'POST', url: `/api/inventory/counts/${count.id}/post`, payload: {} }, 200);
    expect(done.status).toBe('posted');
    expect(t.events.slice(from).map((e) => e.name)).toEqual(['inventory.move.posted', 'inventory.count.posted']);
    const move = await call({ method: 'GET', url: `/api/inventory/moves/${done.moveId}` }, 200);
    expect(move).toMatchObject({ type: 'count', reference: `COUNT-${count.number}` });
    expect(move.lines.map((l: { itemName: string; fromLocation: string | null; toLocation: string | null; qty: string; amount: string }) => [l.itemName, l.fromLocation, l.toLocation, l.qty, l.amount])).toEqual([
      ['Gasket', 'S-01', null, '2', '1.00'],
      ['O-ring', null, 'S-02', '5', '1.25'],
      ['Seal kit', 'S-02', null, '1', '12.00'],
    ]);
    expect((await stock(t, gasket, b1)).onHand).toBe('98');
    expect((await stock(t, oring, b2)).onHand).toBe('5');
    const again = await t.request({ method: 'POST', url: `/api/inventory/counts/${count.id}/post`, payload: {} });
    expectProblem(again, 409, 'inventory/count-state');
  });

  it('refuses to finish with uncounted lines unless they count as zero; a cancelled count posts nothing', async () => {
    const clip = await item(t, 'Hose clip');
    await posted(t, { type: 'receipt', lines: [{ itemId: clip, qty: 12, unitCost: 1, toLocationId: b1 }] });
    const count = await call({ method: 'POST', url: '/api/inventory/counts', payload: { name: 'Clips', kind: 'cycle', locationId: b1, itemIds: [clip], blind: false } }, 201);
    expect(count.lineItems[0].expectedQty).toBe('12');
    const res = await t.request({ method: 'POST', url: `/api/inventory/counts/${count.id}/finish`, payload: {} });
    expect(expectProblem(res, 409, 'inventory/count-incomplete').uncounted).toBe(1);
    const cancelled = await call({ method: 'POST', url: `/api/inventory/counts/${count.id}/cancel`, payload: {} }, 200);
    expect(cancelled.status).toBe('cancelled');
    expect((await stock(t, clip, b1)).onHand).toBe('12');
    const zero = await call({ method: 'POST', url: '/api/inventory/counts', payload: { name: 'Clips again', kind: 'cycle', locationId: b1, itemIds: [clip], recountTolerance: 1 } }, 201);
    const reviewed = await call({ method: 'POST', url: `/api/inventory/counts/${zero.id}/finish`, payload: { uncountedAsZero: true } }, 200);
    expect(reviewed).toMatchObject({ status: 'review' });
    expect(reviewed.lineItems[0]).toMatchObject({ countedQty: '0', varianceQty: '-12' });
  });

  it('ABC classification by consumption value drives which items are due for a cycle count', async () => {
    const names = ['Motor', 'Pump', 'Filter', 'Grease', 'Rag'];
    const ids: string[] = [];
    for (const n of names) ids.push(await item(t, `ABC ${n}`));
    // Issued values: 800, 100, 50, 30, 20 → cumulative 80%, 90%, 95%, 98%, 100%.
    const values = [800, 100, 50, 30, 20];
    for (const [k, id] of ids.entries()) {
      await posted(t, { type: 'receipt', lines: [{ itemId: id, qty: 20, unitCost: values[k] / 10, toLocationId: other }] });
      await posted(t, { type: 'issue', lines: [{ itemId: id, qty: 10, fromLocationId: other }] });
    }
    const res = await call({ method: 'POST', url: '/api/inventory/abc/classify', payload: {} }, 200);
    const cls = Object.fromEntries(res.items.filter((r: { itemName: string }) => r.itemName.startsWith('ABC ')).map((r: { itemName: string; abcClass: string }) => [r.itemName, r.abcClass]));
    expect(cls).toEqual({ 'ABC Motor': 'A', 'ABC Pump': 'B', 'ABC Filter': 'B', 'ABC Grease': 'C', 'ABC Rag': 'C' });
    const due = await call({ method: 'GET', url: `/api/inventory/counts/due?locationId=${other}&limit=100` }, 200);
    expect(due.data.map((d: { itemName: string }) => d.itemName)).toEqual(expect.arrayContaining(['ABC Motor', 'ABC Rag']));
    const count = await call({ method: 'POST', url: '/api/inventory/counts', payload: { name: 'A items', kind: 'cycle', locationId: other, abcClasses: ['A'], blind: false } }, 201);
    expect(count.lineItems.map((l: { itemName: string }) => l.itemName)).toEqual(['ABC Motor']);
    await call({ method: 'POST', url: `/api/inventory/counts/${count.id}/entries`, payload: { entries: [{ lineId: count.lineItems[0].id, countedQty: 10 }] } }, 200);
    await call({ method: 'POST', url: `/api/inventory/counts/${count.id}/finish`, payload: {} }, 200);
    const posted_ = await call({ method: 'POST', url: `/api/inventory/counts/${count.id}/post`, payload: {} }, 200);
    // No variance: nothing to post as a move, but the count is done and the item is no longer due.
    expect(posted_).toMatchObject({ status: 'posted', moveId: null });
    const dueAfter = await call({ method: 'GET', url: `/api/inventory/counts/due?locationId=${other}&limit=100` }, 200);
    expect(dueAfter.data.map((d: { itemName: string }) => d.itemName)).not.toContain('ABC Motor');
  });
});
