import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoChange, expectProblem, problemFields, type TestPlatform } from '@quartermaster/testing';
import { bootInventory, caller, item, ledgerMatchesBalances, location, post, posted, stock } from './fixtures.js';

const INV = '/api/inventory';
const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let t: TestPlatform;
let call: ReturnType<typeof caller>;
let a: string;
let b: string;

beforeAll(async () => {
  t = await bootInventory();
  call = caller(t);
  const site = await location(t, 'Main DC', 'site');
  a = await location(t, 'Bin A', 'bin', site);
  b = await location(t, 'Bin B', 'bin', site);
});
afterAll(async () => {
  if (t) {
    await ledgerMatchesBalances(t);
    // What balances hold reserved equals what active reservations still hold on them.
    const drift = await t.sql(
      `SELECT b.id, b.reserved, coalesce(sum(x.qty) FILTER (WHERE r.status = 'active'), 0) AS held
         FROM inventory_balance b LEFT JOIN inventory_reservation_allocation x ON x.balance_id = b.id LEFT JOIN inventory_reservation r ON r.id = x.reservation_id
        GROUP BY b.id, b.reserved HAVING b.reserved <> coalesce(sum(x.qty) FILTER (WHERE r.status = 'active'), 0)`,
    );
    expect(drift).toEqual([]);
  }
  await t?.close();
});

const reserve = (payload: Record<string, unknown>) => t.request({ method: 'POST', url: `${INV}/reservations`, payload });
const reserved = async (payload: Record<string, unknown>) => {
  const res = await reserve(payload);
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
};
const reservation = (id: string) => call({ method: 'GET', url: `${INV}/reservations/${id}` }, 200);
const release = (id: string) => t.request({ method: 'POST', url: `${INV}/reservations/${id}/release` });

describe('reservations of an untracked item', () => {
  let widget: string;
  let so1: string;

  beforeAll(async () => {
    widget = await item(t, 'Widget');
    await posted(t, { type: 'receipt', lines: [{ itemId: widget, qty: 10, unitCost: 3, toLocationId: a }] });
  });

  it('a reservation lowers what is available, not what is on hand, and posts no move', async () => {
    const from = t.events.length;
    const r = await reserved({ itemId: widget, locationId: a, qty: 4, referenceType: 'sales-order', reference: 'SO-1' });
    so1 = r.id;
    expect(r).toMatchObject({
      itemId: widget,
      locationId: a,
      location: 'Bin A',
      qty: '4',
      consumed: '0',
      remaining: '4',
      status: 'active',
      referenceType: 'sales-order',
      reference: 'SO-1',
      expiresAt: null,
      closedAt: null,
      lots: [{ lot: null, qty: '4' }],
    });
    expect(t.events.slice(from).map((e) => [e.name, e.payload])).toEqual([['inventory.reservation.created', { id: so1, itemId: widget, locationId: a, qty: '4', reference: 'SO-1' }]]);
    expect(await stock(t, widget, a)).toEqual({ onHand: '10', reserved: '4', available: '6' });
    expect((await call({ method: 'GET', url: `${INV}/moves?itemId=${widget}` }, 200)).total).toBe(1);
    expect(await call({ method: 'GET', url: `${INV}/items/${widget}/stock` }, 200)).toMatchObject({ onHand: '10', reserved: '4', available: '6' });
  });

  it('an issue that does not name the reservation cannot take reserved stock', async () => {
    const res = await expectNoChange(t, () => post(t, { type: 'issue', lines: [{ itemId: widget, qty: 7, fromLocationId: a }] }));
    // 10 on hand − 4 reserved = 6 available.
    expect(expectProblem(res, 409, 'inventory/insufficient-stock')).toMatchObject({ requested: '7', available: '6', shortfall: '1' });
    await posted(t, { type: 'issue', lines: [{ itemId: widget, qty: 2, fromLocationId: a }] });
    expect(await stock(t, widget, a)).toEqual({ onHand: '8', reserved: '4', available: '4' });
  });

  it('an issue naming the reservation draws it down: a partial draw leaves the rest reserved, a full one consumes it', async () => {
    const first = await posted(t, { type: 'issue', reference: 'SO-1', lines: [{ itemId: widget, qty: 3, fromLocationId: a, reservationId: so1 }] });
    expect(first.lines[0]).toMatchObject({ reservationId: so1, qty: '3', amount: '9.00' });
    expect(await reservation(so1)).toMatchObject({ consumed: '3', remaining: '1', status: 'active', closedAt: null, lots: [{ lot: null, qty: '1' }] });
    // 8 − 3 = 5 on hand, 4 − 3 = 1 still reserved; what others may take is unchanged at 4.
    expect(await stock(t, widget, a)).toEqual({ onHand: '5', reserved: '1', available: '4' });

    // More than is left on it is refused as a bad line, and nothing changes.
    const over = await expectNoChange(t, () => post(t, { type: 'issue', lines: [{ itemId: widget, qty: 2, fromLocationId: a, reservationId: so1 }] }));
    expect(problemFields(expectProblem(over, 400, 'validation'))).toEqual(['lines.0.reservationId']);
    // From another location than the reservation's: refused too.
    const elsewhere = await expectNoChange(t, () => post(t, { type: 'issue', lines: [{ itemId: widget, qty: 1, fromLocationId: b, reservationId: so1 }] }));
    expect(problemFields(expectProblem(elsewhere, 400, 'validation'))).toEqual(['lines.0.reservationId']);

    await posted(t, { type: 'issue', reference: 'SO-1', lines: [{ itemId: widget, qty: 1, fromLocationId: a, reservationId: so1 }] });
    const done = await reservation(so1);
    expect(done).toMatchObject({ consumed: '4', remaining: '0', status: 'consumed', closedAt: expect.any(String), lots: [] });
    expect(await stock(t, widget, a)).toEqual({ onHand: '4', reserved: '0', available: '4' });
  });

  it('a consumed reservation cannot be drawn again (409 inventory/reservation-closed)', async () => {
    const res = await expectNoChange(t, () => post(t, { type: 'issue', lines: [{ itemId: widget, qty: 1, fromLocationId: a, reservationId: so1 }] }));
    expectProblem(res, 409, 'inventory/reservation-closed');
  });

  it('releasing gives the stock back and emits inventory.reservation.released; releasing twice is 409 inventory/reservation-closed', async () => {
    const r = await reserved({ itemId: widget, locationId: a, qty: 3, reference: 'WO-7' });
    expect(await stock(t, widget, a)).toEqual({ onHand: '4', reserved: '3', available: '1' });
    const from = t.events.length;
    const res = await release(r.id);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'released', qty: '3', consumed: '0', remaining: '0', closedAt: expect.any(String), lots: [] });
    expect(t.events.slice(from).map((e) => [e.name, e.payload])).toEqual([['inventory.reservation.released', { id: r.id, itemId: widget, locationId: a, qty: '3', reference: 'WO-7' }]]);
    expect(await stock(t, widget, a)).toEqual({ onHand: '4', reserved: '0', available: '4' });

    const again = await expectNoChange(t, () => release(r.id));
    expectProblem(again, 409, 'inventory/reservation-closed');
  });

  it('releasing a partly drawn reservation gives back only what it still holds', async () => {
    const r = await reserved({ itemId: widget, locationId: a, qty: 3 });
    await posted(t, { type: 'issue', lines: [{ itemId: widget, qty: 1, fromLocationId: a, reservationId: r.id }] });
    const from = t.events.length;
    const res = await release(r.id);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'released', consumed: '1', remaining: '0' });
    // 3 reserved − 1 drawn = 2 given back.
    expect((t.events.slice(from)[0].payload as { qty: string }).qty).toBe('2');
    expect(await stock(t, widget, a)).toEqual({ onHand: '3', reserved: '0', available: '3' });
  });

  it('refuses to reserve more than is available (409) and changes nothing', async () => {
    await reserved({ itemId: widget, locationId: a, qty: 1, reference: 'hold' });
    const res = await expectNoChange(t, () => reserve({ itemId: widget, locationId: a, qty: 3 }));
    // 3 on hand − 1 reserved = 2 available.
    expect(expectProblem(res, 409, 'inventory/insufficient-stock')).toMatchObject({ itemId: widget, locationId: a, requested: '3', available: '2', shortfall: '1' });
    const nowhere = await expectNoChange(t, () => reserve({ itemId: widget, locationId: b, qty: 1 }));
    expect(expectProblem(nowhere, 409, 'inventory/insufficient-stock')).toMatchObject({ available: '0' });
  });

  it('lists reservations by status and reference', async () => {
    const active = await call({ method: 'GET', url: `${INV}/reservations?itemId=${widget}&status=active` }, 200);
    expect(active.data.map((r: { reference: string | null }) => r.reference)).toEqual(['hold']);
    const byRef = await call({ method: 'GET', url: `${INV}/reservations?reference=SO-1` }, 200);
    expect(byRef.data).toEqual([expect.objectContaining({ id: so1, status: 'consumed' })]);
    const all = await call({ method: 'GET', url: `${INV}/reservations?itemId=${widget}` }, 200);
    expect(all.data.map((r: { status: string }) => r.status).sort()).toEqual(['active', 'consumed', 'released', 'released']);
  });
});

describe('reservation expiry', () => {
  let bolt: string;
  let expiredId: string;

  beforeAll(async () => {
    bolt = await item(t, 'Bolt');
    await posted(t, { type: 'receipt', lines: [{ itemId: bolt, qty: 5, unitCost: 1, toLocationId: a }] });
  });

  it('a reservation past its expiresAt is expired on the next read of /reservations, gives its stock back and emits inventory.reservation.expired', async () => {
    const expiresAt = new Date(Date.now() + 2000).toISOString();
    const r = await reserved({ itemId: bolt, locationId: a, qty: 2, reference: 'SO-EXP', expiresAt });
    expect(r).toMatchObject({ status: 'active', expiresAt });
    const later = await reserved({ itemId: bolt, locationId: a, qty: 1, expiresAt: new Date(Date.now() + 3_600_000).toISOString() });
    expect(await stock(t, bolt, a)).toEqual({ onHand: '5', reserved: '3', available: '2' });

    await sleep(Math.max(0, Date.parse(expiresAt) - Date.now()) + 300);
    const from = t.events.length;
    const list = await call({ method: 'GET', url: `${INV}/reservations?itemId=${bolt}` }, 200);
    const byId = new Map(list.data.map((x: { id: string }) => [x.id, x]));
    expect(byId.get(r.id)).toMatchObject({ status: 'expired', remaining: '0', closedAt: expect.any(String) });
    expect(byId.get(later.id)).toMatchObject({ status: 'active' });
    expect(t.events.slice(from).map((e) => [e.name, e.payload])).toEqual([['inventory.reservation.expired', { id: r.id, itemId: bolt, locationId: a, qty: '2', reference: 'SO-EXP' }]]);
    expect(await stock(t, bolt, a)).toEqual({ onHand: '5', reserved: '1', available: '4' });
    expiredId = r.id;
  });

  it('an expired reservation is closed: releasing it is 409 inventory/reservation-closed and changes nothing', async () => {
    expect((await reservation(expiredId)).status).toBe('expired');
    expectProblem(await expectNoChange(t, () => release(expiredId)), 409, 'inventory/reservation-closed');
  });

  it('an issue cannot draw on a reservation past its expiry, even before a sweep has closed it', async () => {
    const expiresAt = new Date(Date.now() + 1500).toISOString();
    const r = await reserved({ itemId: bolt, locationId: a, qty: 1, expiresAt });
    await sleep(Math.max(0, Date.parse(expiresAt) - Date.now()) + 300);
    // No read of /reservations in between: the reservation row still says active.
    const res = await post(t, { type: 'issue', lines: [{ itemId: bolt, qty: 1, fromLocationId: a, reservationId: r.id }] });
    expectProblem(res, 409, 'inventory/reservation-closed');
  });
});

describe('reservations of a lot-tracked item', () => {
  let milk: string;
  let r5: string;

  beforeAll(async () => {
    milk = await item(t, 'Milk', { trackingMode: 'lot' });
    const rec = await posted(t, {
      type: 'receipt',
      lines: [
        { itemId: milk, qty: 4, unitCost: 1, toLocationId: b, lot: 'M-LATE', expiresOn: day(60) },
        { itemId: milk, qty: 3, unitCost: 1, toLocationId: b, lot: 'M-SOON', expiresOn: day(10) },
        { itemId: milk, qty: 5, unitCost: 1, toLocationId: b, lot: 'M-BLOCKED', expiresOn: day(5) },
        { itemId: milk, qty: 5, unitCost: 1, toLocationId: b, lot: 'M-EXPIRED', expiresOn: day(-1) },
      ],
    });
    await call({ method: 'PATCH', url: `${INV}/lots/${rec.lines[2].lotId}`, payload: { blocked: true, blockReason: 'QA hold' } }, 200);
  });

  it('reserves usable lots first-expiry-first, skipping blocked and expired lots', async () => {
    const r = await reserved({ itemId: milk, locationId: b, qty: 5, reference: 'SO-M' });
    r5 = r.id;
    // M-SOON (3, expires in 10 days) then 2 of M-LATE (60 days); M-BLOCKED and M-EXPIRED expire sooner but may not be used.
    expect(r.lots).toEqual([
      { lot: 'M-SOON', qty: '3' },
      { lot: 'M-LATE', qty: '2' },
    ]);
    const rows = await call({ method: 'GET', url: `${INV}/stock?groupBy=lot&itemId=${milk}&locationId=${b}` }, 200);
    const byLot = Object.fromEntries(rows.data.map((x: { lot: string; reserved: string; available: string }) => [x.lot, [x.reserved, x.available]]));
    expect(byLot).toEqual({ 'M-SOON': ['3', '0'], 'M-LATE': ['2', '2'], 'M-BLOCKED': ['0', '5'], 'M-EXPIRED': ['0', '5'] });
    // The FEFO suggestion sees what is left.
    const fefo = await call({ method: 'GET', url: `${INV}/fefo?itemId=${milk}&locationId=${b}&qty=2` }, 200);
    expect(fefo.picks.map((p: { lot: string; qty: string }) => [p.lot, p.qty])).toEqual([['M-LATE', '2']]);
  });

  it('a named lot is reserved from that lot; beyond the usable lots the reservation is refused', async () => {
    const named = await reserved({ itemId: milk, locationId: b, qty: 2, lot: 'M-LATE' });
    expect(named.lots).toEqual([{ lot: 'M-LATE', qty: '2' }]);
    // Usable: 3 + 4 = 7, all reserved now (5 + 2); 17 on hand does not matter.
    const res = await expectNoChange(t, () => reserve({ itemId: milk, locationId: b, qty: 1 }));
    expect(expectProblem(res, 409, 'inventory/insufficient-stock')).toMatchObject({ requested: '1', available: '0' });
    await release(named.id);
  });

  it('an issue naming a lot draws the reservation on that lot', async () => {
    const issue = await posted(t, { type: 'issue', lines: [{ itemId: milk, qty: 3, fromLocationId: b, lot: 'M-SOON', reservationId: r5 }] });
    expect(issue.lines[0]).toMatchObject({ lot: 'M-SOON', qty: '3', reservationId: r5 });
    expect(await reservation(r5)).toMatchObject({ consumed: '3', remaining: '2', lots: [{ lot: 'M-LATE', qty: '2' }] });
  });

  it('an issue drawing on the reservation without naming a lot takes the lots the reservation holds', async () => {
    // M-LATE: 4 on hand, 2 held by r5, 2 free. The reserved 2 must be takeable through r5 (FEFO within the reservation).
    await reserved({ itemId: milk, locationId: b, qty: 2, lot: 'M-LATE', reference: 'other order' });
    const res = await post(t, { type: 'issue', lines: [{ itemId: milk, qty: 2, fromLocationId: b, reservationId: r5 }] });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().lines.map((l: { lot: string; qty: string }) => [l.lot, l.qty])).toEqual([['M-LATE', '2']]);
    expect(await reservation(r5)).toMatchObject({ status: 'consumed', consumed: '5' });
  });
});
