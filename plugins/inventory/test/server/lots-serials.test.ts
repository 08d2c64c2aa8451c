import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoChange, expectProblem, problemFields, type TestPlatform } from '@quartermaster/testing';
import { bootInventory, caller, item, ledgerMatchesBalances, location, post, posted, stock } from './fixtures.js';

const INV = '/api/inventory';

/** The UTC date `n` days from today (lot expiry is a date; "expired" means before today's date). */
const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

let t: TestPlatform;
let call: ReturnType<typeof caller>;
let site: string;
let a: string;
let b: string;
let quarantine: string;

beforeAll(async () => {
  t = await bootInventory();
  call = caller(t);
  site = await location(t, 'Main DC', 'site');
  a = await location(t, 'Bin A', 'bin', site);
  b = await location(t, 'Bin B', 'bin', site);
  quarantine = await location(t, 'Quarantine', 'area', site);
});
afterAll(async () => {
  if (t) await ledgerMatchesBalances(t);
  await t?.close();
});

const eventsSince = (from: number) => t.events.slice(from);
/** Stock of an item at a location, one row per lot: { lot code: on hand }. */
async function byLot(itemId: string, locationId: string) {
  const res = await call({ method: 'GET', url: `${INV}/stock?groupBy=lot&itemId=${itemId}&locationId=${locationId}&includeZero=true` }, 200);
  return Object.fromEntries((res.data as { lot: string; onHand: string }[]).map((r) => [r.lot, r.onHand]));
}

describe('lots', () => {
  it('a receipt creates the lot with its dates; later receipts add to it; a conflicting expiry is refused', async () => {
    const yogurt = await item(t, 'Yogurt', { trackingMode: 'lot' });
    const first = await posted(t, { type: 'receipt', lines: [{ itemId: yogurt, qty: 10, unitCost: '0.50', toLocationId: a, lot: 'Y-1', expiresOn: day(100), manufacturedOn: day(-5) }] });
    expect(first.lines[0]).toMatchObject({ lot: 'Y-1', qty: '10', amount: '5.00' });
    const lotId = first.lines[0].lotId;
    expect(await call({ method: 'GET', url: `${INV}/lots/${lotId}` }, 200)).toMatchObject({
      itemId: yogurt,
      code: 'Y-1',
      expiresOn: day(100),
      manufacturedOn: day(-5),
      blocked: false,
      blockReason: null,
      onHand: '10',
      daysToExpiry: 100,
      status: 'ok',
    });

    // Same lot again: without an expiry, and with the same one.
    const second = await posted(t, { type: 'receipt', lines: [{ itemId: yogurt, qty: 5, unitCost: '0.50', toLocationId: b, lot: 'Y-1' }] });
    const third = await posted(t, { type: 'receipt', lines: [{ itemId: yogurt, qty: 1, unitCost: '0.50', toLocationId: b, lot: 'Y-1', expiresOn: day(100) }] });
    expect(second.lines[0].lotId).toBe(lotId);
    expect(third.lines[0].lotId).toBe(lotId);
    expect((await call({ method: 'GET', url: `${INV}/lots/${lotId}` }, 200)).onHand).toBe('16');

    // Another expiry for the same lot code is a data-entry error, not a new lot.
    const res = await expectNoChange(t, () => post(t, { type: 'receipt', lines: [{ itemId: yogurt, qty: 1, unitCost: '0.50', toLocationId: a, lot: 'Y-1', expiresOn: day(101) }] }));
    const body = expectProblem(res, 400, 'validation');
    expect(problemFields(body)).toEqual(['lines.0.expiresOn']);
    expect(body.errors![0].message).toContain(day(100));
    const lots = await call({ method: 'GET', url: `${INV}/lots?itemId=${yogurt}` }, 200);
    expect(lots.total).toBe(1);

    // The same code on another item is another lot.
    const kefir = await item(t, 'Kefir', { trackingMode: 'lot' });
    const other = await posted(t, { type: 'receipt', lines: [{ itemId: kefir, qty: 1, unitCost: 1, toLocationId: a, lot: 'Y-1', expiresOn: day(101) }] });
    expect(other.lines[0].lotId).not.toBe(lotId);
  });

  describe('FEFO', () => {
    let cheese: string;
    let blockedLot: string;

    beforeAll(async () => {
      cheese = await item(t, 'Cheese', { trackingMode: 'lot' });
      const rec = await posted(t, {
        type: 'receipt',
        lines: [
          { itemId: cheese, qty: 4, unitCost: 2, toLocationId: a, lot: 'C-LATE', expiresOn: day(200) },
          { itemId: cheese, qty: 3, unitCost: 2, toLocationId: a, lot: 'C-SOON', expiresOn: day(30) },
          { itemId: cheese, qty: 2, unitCost: 2, toLocationId: a, lot: 'C-NOEXP' },
          { itemId: cheese, qty: 5, unitCost: 2, toLocationId: a, lot: 'C-BLOCKED', expiresOn: day(10) },
          { itemId: cheese, qty: 5, unitCost: 2, toLocationId: a, lot: 'C-EXPIRED', expiresOn: day(-3) },
        ],
      });
      blockedLot = rec.lines[3].lotId;
      await call({ method: 'PATCH', url: `${INV}/lots/${blockedLot}`, payload: { blocked: true, blockReason: 'lab hold' } }, 200);
    });

    it('suggests lots earliest expiry first, lots without expiry last, naming what it skipped and why', async () => {
      const s = await call({ method: 'GET', url: `${INV}/fefo?itemId=${cheese}&locationId=${a}&qty=8` }, 200);
      // 3 (C-SOON) + 4 (C-LATE) + 1 of 2 (C-NOEXP) = 8
      expect(s).toEqual({
        covered: true,
        shortfall: '0',
        picks: [
          { lotId: expect.any(String), lot: 'C-SOON', expiresOn: day(30), available: '3', qty: '3' },
          { lotId: expect.any(String), lot: 'C-LATE', expiresOn: day(200), available: '4', qty: '4' },
          { lotId: expect.any(String), lot: 'C-NOEXP', expiresOn: null, available: '2', qty: '1' },
        ],
        skipped: [
          { lotId: expect.any(String), lot: 'C-EXPIRED', expiresOn: day(-3), why: 'expired' },
          { lotId: blockedLot, lot: 'C-BLOCKED', expiresOn: day(10), why: 'blocked' },
        ],
      });
      // Usable: 3 + 4 + 2 = 9, so 20 leaves 11 uncovered.
      const short = await call({ method: 'GET', url: `${INV}/fefo?itemId=${cheese}&locationId=${a}&qty=20` }, 200);
      expect(short).toMatchObject({ covered: false, shortfall: '11' });
      expect(short.picks.map((p: { qty: string }) => p.qty)).toEqual(['3', '4', '2']);
    });

    it('an issue without a lot takes the earliest-expiring usable lots, split across lots', async () => {
      const from = t.events.length;
      const issue = await posted(t, { type: 'issue', reference: 'SO-1', lines: [{ itemId: cheese, qty: 5, fromLocationId: a }] });
      // C-SOON (3) is used up first, the rest (2) comes from C-LATE; blocked and expired lots are passed over.
      expect(issue.lines.map((l: { lot: string; qty: string; amount: string }) => [l.lot, l.qty, l.amount])).toEqual([
        ['C-SOON', '3', '6.00'],
        ['C-LATE', '2', '4.00'],
      ]);
      const ev = eventsSince(from).find((e) => e.name === 'inventory.move.posted')!;
      expect((ev.payload as { lines: unknown[] }).lines).toHaveLength(2);
      expect(await byLot(cheese, a)).toEqual({ 'C-SOON': '0', 'C-LATE': '2', 'C-NOEXP': '2', 'C-BLOCKED': '5', 'C-EXPIRED': '5' });

      // Then the lot without expiry; beyond the usable 4 the issue is refused even though 14 are on hand.
      const next = await posted(t, { type: 'issue', lines: [{ itemId: cheese, qty: 3, fromLocationId: a }] });
      expect(next.lines.map((l: { lot: string; qty: string }) => [l.lot, l.qty])).toEqual([
        ['C-LATE', '2'],
        ['C-NOEXP', '1'],
      ]);
      const res = await expectNoChange(t, () => post(t, { type: 'issue', lines: [{ itemId: cheese, qty: 2, fromLocationId: a }] }));
      expect(expectProblem(res, 409, 'inventory/insufficient-stock')).toMatchObject({ requested: '2', available: '1', shortfall: '1' });
      expect((await stock(t, cheese, a)).onHand).toBe('11');
    });

    it('refuses to issue a blocked lot (409 inventory/lot-blocked) and changes nothing', async () => {
      const res = await expectNoChange(t, () => post(t, { type: 'issue', lines: [{ itemId: cheese, qty: 1, fromLocationId: a, lot: 'C-BLOCKED' }] }));
      const body = expectProblem(res, 409, 'inventory/lot-blocked');
      expect(body).toMatchObject({ lot: 'C-BLOCKED', reason: 'lab hold' });
      expect(body.detail).toContain('lab hold');
    });

    it('moves a blocked lot to quarantine, where it stays blocked', async () => {
      const move = await posted(t, { type: 'transfer', reference: 'QA-1', lines: [{ itemId: cheese, qty: 5, fromLocationId: a, toLocationId: quarantine, lot: 'C-BLOCKED' }] });
      expect(move.lines[0]).toMatchObject({ lot: 'C-BLOCKED', fromLocationId: a, toLocationId: quarantine, qty: '5' });
      const rows = await call({ method: 'GET', url: `${INV}/stock?groupBy=lot&itemId=${cheese}&locationId=${quarantine}` }, 200);
      expect(rows.data).toEqual([expect.objectContaining({ lot: 'C-BLOCKED', onHand: '5', lotBlocked: true, expiresOn: day(10) })]);
      const res = await expectNoChange(t, () => post(t, { type: 'issue', lines: [{ itemId: cheese, qty: 1, fromLocationId: quarantine, lot: 'C-BLOCKED' }] }));
      expectProblem(res, 409, 'inventory/lot-blocked');
      // FEFO at quarantine finds nothing it may issue.
      const fefo = await call({ method: 'GET', url: `${INV}/fefo?itemId=${cheese}&locationId=${quarantine}&qty=1` }, 200);
      expect(fefo).toMatchObject({ covered: false, shortfall: '1', picks: [], skipped: [expect.objectContaining({ lot: 'C-BLOCKED', why: 'blocked' })] });
    });

    it('refuses to issue an expired lot (409 inventory/lot-expired) unless the line says allowExpired', async () => {
      const res = await expectNoChange(t, () => post(t, { type: 'issue', lines: [{ itemId: cheese, qty: 2, fromLocationId: a, lot: 'C-EXPIRED' }] }));
      expect(expectProblem(res, 409, 'inventory/lot-expired')).toMatchObject({ lot: 'C-EXPIRED', expiresOn: day(-3), field: 'lines.0.lot' });
      const scrap = await posted(t, { type: 'issue', reference: 'SCRAP', lines: [{ itemId: cheese, qty: 2, fromLocationId: a, lot: 'C-EXPIRED', allowExpired: true }] });
      expect(scrap.lines[0]).toMatchObject({ lot: 'C-EXPIRED', qty: '2' });
      expect((await byLot(cheese, a))['C-EXPIRED']).toBe('3');
    });
  });

  it('reports lots expiring within N days and expired lots still in stock', async () => {
    const butter = await item(t, 'Butter', { trackingMode: 'lot' });
    await posted(t, {
      type: 'receipt',
      lines: [
        { itemId: butter, qty: 2, unitCost: 3, toLocationId: a, lot: 'B-20', expiresOn: day(20) },
        { itemId: butter, qty: 2, unitCost: 3, toLocationId: a, lot: 'B-7', expiresOn: day(7) },
        { itemId: butter, qty: 2, unitCost: 3, toLocationId: a, lot: 'B-90', expiresOn: day(90) },
        { itemId: butter, qty: 2, unitCost: 3, toLocationId: b, lot: 'B-OLD', expiresOn: day(-1) },
        { itemId: butter, qty: 1, unitCost: 3, toLocationId: a, lot: 'B-GONE', expiresOn: day(5) },
        { itemId: butter, qty: 1, unitCost: 3, toLocationId: a, lot: 'B-TODAY', expiresOn: day(0) },
      ],
    });
    // B-GONE is sold out: no longer a stock problem.
    await posted(t, { type: 'issue', lines: [{ itemId: butter, qty: 1, fromLocationId: a, lot: 'B-GONE' }] });
    const list = async (q: string) => (await call({ method: 'GET', url: `${INV}/lots?itemId=${butter}&${q}` }, 200)).data as { code: string; daysToExpiry: number; status: string; onHand: string }[];

    // Expiring today counts as expiring (0 days), not expired.
    expect((await list('expiringWithinDays=30')).map((l) => [l.code, l.daysToExpiry, l.status])).toEqual([
      ['B-TODAY', 0, 'expiring'],
      ['B-7', 7, 'expiring'],
      ['B-20', 20, 'expiring'],
    ]);
    expect((await list('expiringWithinDays=10')).map((l) => l.code)).toEqual(['B-TODAY', 'B-7']);
    expect((await list('expired=true')).map((l) => [l.code, l.daysToExpiry, l.status, l.onHand])).toEqual([['B-OLD', -1, 'expired', '2']]);
    expect((await list('inStock=false')).map((l) => l.code)).toEqual(['B-GONE']);
    expect((await list('limit=500')).map((l) => l.code)).toEqual(['B-OLD', 'B-TODAY', 'B-GONE', 'B-7', 'B-20', 'B-90']);
  });

  it('blocking needs a reason (400, nothing changed); it is audited and emits inventory.lot.blocked; unblocking emits inventory.lot.unblocked', async () => {
    const eggs = await item(t, 'Eggs', { trackingMode: 'lot' });
    const rec = await posted(t, { type: 'receipt', lines: [{ itemId: eggs, qty: 12, unitCost: '0.20', toLocationId: a, lot: 'E-1', expiresOn: day(20) }] });
    const lotId = rec.lines[0].lotId;
    const url = `${INV}/lots/${lotId}`;
    const noReason = await expectNoChange(t, () => t.request({ method: 'PATCH', url, payload: { blocked: true } }));
    expect(problemFields(expectProblem(noReason, 400, 'validation'))).toEqual(['blockReason']);

    const from = t.events.length;
    const blocked = await call({ method: 'PATCH', url, payload: { blocked: true, blockReason: '  salmonella recall  ' } }, 200);
    expect(blocked).toMatchObject({ blocked: true, blockReason: 'salmonella recall', status: 'blocked', onHand: '12' });
    expect(eventsSince(from).map((e) => [e.name, e.payload])).toEqual([['inventory.lot.blocked', { id: lotId, itemId: eggs, code: 'E-1', reason: 'salmonella recall' }]]);
    const [audit] = await t.sql<{ action: string; after: { blocked: boolean; block_reason: string } }>(
      `SELECT action, after FROM core_audit WHERE entity_type = 'inventory.lot' AND entity_id = $1 ORDER BY id DESC LIMIT 1`,
      [lotId],
    );
    expect(audit).toMatchObject({ action: 'blocked', after: { blocked: true, block_reason: 'salmonella recall' } });
    expect((await call({ method: 'GET', url: `${INV}/lots?itemId=${eggs}&blocked=true` }, 200)).total).toBe(1);

    const at = t.events.length;
    const unblocked = await call({ method: 'PATCH', url, payload: { blocked: false } }, 200);
    expect(unblocked).toMatchObject({ blocked: false, blockReason: null, status: 'expiring' });
    expect(eventsSince(at).map((e) => e.name)).toEqual(['inventory.lot.unblocked']);
  });

  it('the recall trace lists every move of the lot and every location with what went in, what left and what is there', async () => {
    const flour = await item(t, 'Flour', { trackingMode: 'lot' });
    const rec = await posted(t, {
      type: 'receipt',
      reference: 'PO-9',
      effectiveAt: '2026-01-05T08:00:00Z',
      lines: [
        { itemId: flour, qty: 10, unitCost: 1, toLocationId: a, lot: 'F-1', expiresOn: day(300) },
        { itemId: flour, qty: 7, unitCost: 1, toLocationId: a, lot: 'F-2', expiresOn: day(400) },
      ],
    });
    const lotId = rec.lines[0].lotId;
    await posted(t, { type: 'transfer', effectiveAt: '2026-01-06T08:00:00Z', lines: [{ itemId: flour, qty: 4, fromLocationId: a, toLocationId: b, lot: 'F-1' }] });
    await posted(t, { type: 'issue', reference: 'SO-1', effectiveAt: '2026-01-07T08:00:00Z', lines: [{ itemId: flour, qty: 3, fromLocationId: b, lot: 'F-1' }] });
    await posted(t, { type: 'issue', reference: 'SO-2', effectiveAt: '2026-01-08T08:00:00Z', lines: [{ itemId: flour, qty: 2, fromLocationId: a, lot: 'F-1' }] });
    // Moves of the other lot stay out of the trace.
    await posted(t, { type: 'issue', reference: 'SO-3', effectiveAt: '2026-01-08T09:00:00Z', lines: [{ itemId: flour, qty: 1, fromLocationId: a, lot: 'F-2' }] });

    const trace = await call({ method: 'GET', url: `${INV}/lots/${lotId}/trace` }, 200);
    expect(trace.lot).toMatchObject({ code: 'F-1', onHand: '5' }); // 10 − 3 − 2
    expect(trace.moves.map((m: Record<string, unknown>) => [m.type, m.reference, m.fromLocation, m.toLocation, m.qty])).toEqual([
      ['receipt', 'PO-9', null, 'Bin A', '10'],
      ['transfer', null, 'Bin A', 'Bin B', '4'],
      ['issue', 'SO-1', 'Bin B', null, '3'],
      ['issue', 'SO-2', 'Bin A', null, '2'],
    ]);
    expect(trace.moves[0]).toMatchObject({ moveId: rec.id, effectiveAt: '2026-01-05T08:00:00.000Z', serial: null });
    // Bin A: in 10, out 4 + 2 = 6, left 4. Bin B: in 4, out 3, left 1.
    expect(trace.locations).toEqual([
      { locationId: a, location: 'Bin A', path: 'Main DC / Bin A', received: '10', shipped: '6', onHand: '4' },
      { locationId: b, location: 'Bin B', path: 'Main DC / Bin B', received: '4', shipped: '3', onHand: '1' },
    ]);
    // Movement history can be filtered by lot as well.
    const history = await call({ method: 'GET', url: `${INV}/moves?lotId=${lotId}` }, 200);
    expect(history.total).toBe(4);
  });
});

describe('serials', () => {
  let drill: string;

  beforeAll(async () => {
    drill = await item(t, 'Cordless drill', { trackingMode: 'serial' });
  });

  const whereIs = async (serial: string) => {
    const res = await call({ method: 'GET', url: `${INV}/serials?itemId=${drill}&serial=${serial}` }, 200);
    expect(res.total).toBe(1);
    return res.data[0] as { serial: string; locationId: string | null; location: string | null };
  };

  it('a receipt needs one serial per unit', async () => {
    const res = await expectNoChange(t, () => post(t, { type: 'receipt', lines: [{ itemId: drill, qty: 2, unitCost: 90, toLocationId: a, serials: ['D-1'] }] }));
    const body = expectProblem(res, 400, 'validation');
    expect(problemFields(body)).toEqual(['lines.0.serials']);
    expect(body.errors![0].message).toContain('2 units, 1 serials');

    const rec = await posted(t, { type: 'receipt', lines: [{ itemId: drill, qty: 3, unitCost: 90, toLocationId: a, serials: ['D-1', 'D-2', 'D-3'] }] });
    // One line per unit.
    expect(rec.lines.map((l: { serial: string; qty: string; amount: string }) => [l.serial, l.qty, l.amount])).toEqual([
      ['D-1', '1', '90.00'],
      ['D-2', '1', '90.00'],
      ['D-3', '1', '90.00'],
    ]);
    expect((await stock(t, drill, a)).onHand).toBe('3');
    expect(await whereIs('D-2')).toMatchObject({ locationId: a, location: 'Bin A' });
  });

  it('refuses a serial already in stock (409 inventory/serial-in-stock) and changes nothing', async () => {
    const res = await expectNoChange(t, () => post(t, { type: 'receipt', lines: [{ itemId: drill, qty: 2, unitCost: 90, toLocationId: b, serials: ['D-9', 'D-2'] }] }));
    expect(expectProblem(res, 409, 'inventory/serial-in-stock')).toMatchObject({ serial: 'D-2', locationId: a, field: 'lines.0.serials' });
    // D-9 was not created by the refused move.
    expect((await call({ method: 'GET', url: `${INV}/serials?serial=D-9` }, 200)).total).toBe(0);
  });

  it('refuses to take a serial from where it is not (409 inventory/serial-not-here)', async () => {
    const res = await expectNoChange(t, () => post(t, { type: 'issue', lines: [{ itemId: drill, qty: 1, fromLocationId: b, serials: ['D-1'] }] }));
    expect(expectProblem(res, 409, 'inventory/serial-not-here')).toMatchObject({ serial: 'D-1', locationId: a });
  });

  it('a serial transferred, then issued from its new place, is out of stock; /serials shows where each is', async () => {
    await posted(t, { type: 'transfer', lines: [{ itemId: drill, qty: 1, fromLocationId: a, toLocationId: b, serials: ['D-1'] }] });
    expect(await whereIs('D-1')).toMatchObject({ locationId: b, location: 'Bin B' });
    const issue = await posted(t, { type: 'issue', reference: 'SO-55', lines: [{ itemId: drill, qty: 1, fromLocationId: b, serials: ['D-1'] }] });
    expect(issue.lines[0]).toMatchObject({ serial: 'D-1', amount: '90.00' });
    expect(await whereIs('D-1')).toMatchObject({ locationId: null, location: null });
    const inStock = await call({ method: 'GET', url: `${INV}/serials?itemId=${drill}&inStock=true` }, 200);
    expect(inStock.data.map((s: { serial: string }) => s.serial)).toEqual(['D-2', 'D-3']);
    const gone = await call({ method: 'GET', url: `${INV}/serials?itemId=${drill}&inStock=false` }, 200);
    expect(gone.data.map((s: { serial: string }) => s.serial)).toEqual(['D-1']);
    const atB = await call({ method: 'GET', url: `${INV}/serials?locationId=${site}&itemId=${drill}` }, 200);
    expect(atB.total).toBe(2);
    // Its history: received, transferred, issued.
    const history = await call({ method: 'GET', url: `${INV}/moves?serial=D-1` }, 200);
    expect(history.data.map((m: { type: string }) => m.type)).toEqual(['issue', 'transfer', 'receipt']);
    // Issued again from anywhere: it is not in stock.
    const again = await expectNoChange(t, () => post(t, { type: 'issue', lines: [{ itemId: drill, qty: 1, fromLocationId: b, serials: ['D-1'] }] }));
    expect(expectProblem(again, 409, 'inventory/serial-not-here')).toMatchObject({ serial: 'D-1', locationId: null });
  });

  it('a customer return brings the serial back into stock at the cost it left with', async () => {
    // Its own unit, so this does not depend on the test above.
    await posted(t, { type: 'receipt', lines: [{ itemId: drill, qty: 1, unitCost: 120, toLocationId: b, serials: ['D-R'] }] });
    const sale = await posted(t, { type: 'issue', reference: 'SO-56', lines: [{ itemId: drill, qty: 1, fromLocationId: b, serials: ['D-R'] }] });
    expect(sale.lines[0]).toMatchObject({ serial: 'D-R', amount: '120.00' }); // its own cost, not the oldest (90) layer
    const ret = await posted(t, { type: 'customer-return', reference: 'RMA-1', lines: [{ itemId: drill, qty: 1, toLocationId: a, returnOfLineId: sale.lines[0].id, serials: ['D-R'] }] });
    expect(ret.lines[0]).toMatchObject({ serial: 'D-R', returnOfLineId: sale.lines[0].id, amount: '120.00' });
    expect(await whereIs('D-R')).toMatchObject({ locationId: a, location: 'Bin A' });
    // Back in stock, so it cannot be received a second time.
    const dup = await expectNoChange(t, () => post(t, { type: 'receipt', lines: [{ itemId: drill, qty: 1, unitCost: 90, toLocationId: b, serials: ['D-R'] }] }));
    expectProblem(dup, 409, 'inventory/serial-in-stock');
  });

  it('a customer return must bring back the serial that was issued on the line it names', async () => {
    await posted(t, { type: 'receipt', lines: [{ itemId: drill, qty: 1, unitCost: 90, toLocationId: b, serials: ['D-S'] }] });
    const sale = await posted(t, { type: 'issue', lines: [{ itemId: drill, qty: 1, fromLocationId: b, serials: ['D-S'] }] });
    const res = await expectNoChange(t, () =>
      post(t, { type: 'customer-return', lines: [{ itemId: drill, qty: 1, toLocationId: a, returnOfLineId: sale.lines[0].id, serials: ['D-NEVER-SOLD'] }] }),
    );
    expect(problemFields(expectProblem(res, 400, 'validation'))).toEqual(['lines.0.serials']);
  });
});
