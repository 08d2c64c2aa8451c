import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, expectNoChange, expectProblem, problemFields, type TestPlatform, type TestSession } from '@quartermaster/testing';
import { inventoryPlugin } from '../../src/server/index.js';
import { permissions } from '../../src/shared/index.js';
import { caller, item, ledgerMatchesBalances, location, posted } from './fixtures.js';

const INV = '/api/inventory';
const DAY = 86_400_000;
/** An instant `n` whole days (and a minute) ago, so "days since" is exactly `n`. */
const daysAgo = (n: number) => new Date(Date.now() - n * DAY - 60_000).toISOString();

describe('inventory reports', () => {
  let t: TestPlatform;
  let call: ReturnType<typeof caller>;
  let site: string;
  let bin: string;
  let viewer: TestSession;

  beforeAll(async () => {
    t = await createTestPlatform({ plugins: [inventoryPlugin], enable: { inventory: { reservationSweepSeconds: 0 } } });
    call = caller(t);
    site = await location(t, 'Main DC', 'site');
    bin = await location(t, 'Bin A', 'bin', site);
    const role = await call({ method: 'POST', url: '/api/core/roles', payload: { name: 'stock viewer', permissions: [permissions.stockRead] } }, 201);
    await call({ method: 'POST', url: '/api/core/users', payload: { email: 'viewer@example.test', name: 'Viewer', password: 'a long enough password', roleIds: [role.id] } }, 201);
    viewer = await t.login('viewer@example.test', 'a long enough password');
  });
  afterAll(async () => {
    if (t) await ledgerMatchesBalances(t);
    await t?.close();
  });

  describe('turnover', () => {
    it('per item: COGS, average of opening and closing value, turnover and days of cover (hand-computed)', async () => {
      // Widget (FIFO):
      //   Feb 10  receipt 100 @ 2.00                  value 200.00          ← opening value on Mar 1: 200.00
      //   Mar  5  issue 40      COGS 40 × 2.00 =  80.00
      //   Mar 10  receipt 50 @ 3.00                   +150.00
      //   Mar 20  issue 70      COGS 60 × 2.00 + 10 × 3.00 = 150.00
      //   Mar 25  customer return of 5 from the Mar 5 issue, at its cost 2.00: −10.00 COGS
      //   Apr  5  issue 10      (after the period)
      //   COGS in March = 80 + 150 − 10 = 220.00; closing = 200 − 80 + 150 − 150 + 10 = 130.00 (45 on hand)
      //   average = (200 + 130) / 2 = 165.00; turnover = 220 / 165 = 1.333… → 1.33
      //   issued 40 + 70 = 110 over 31 days = 3.5483870968 a day; days of cover = 45 / (110 / 31) = 12.68… → 12.7
      const widget = await item(t, 'Widget');
      await posted(t, { type: 'receipt', effectiveAt: '2026-02-10T09:00:00Z', lines: [{ itemId: widget, qty: 100, unitCost: '2.00', toLocationId: bin }] });
      const first = await posted(t, { type: 'issue', effectiveAt: '2026-03-05T09:00:00Z', lines: [{ itemId: widget, qty: 40, fromLocationId: bin }] });
      await posted(t, { type: 'receipt', effectiveAt: '2026-03-10T09:00:00Z', lines: [{ itemId: widget, qty: 50, unitCost: '3.00', toLocationId: bin }] });
      await posted(t, { type: 'issue', effectiveAt: '2026-03-20T09:00:00Z', lines: [{ itemId: widget, qty: 70, fromLocationId: bin }] });
      await posted(t, { type: 'customer-return', effectiveAt: '2026-03-25T09:00:00Z', lines: [{ itemId: widget, qty: 5, toLocationId: bin, returnOfLineId: first.lines[0].id }] });
      await posted(t, { type: 'issue', effectiveAt: '2026-04-05T09:00:00Z', lines: [{ itemId: widget, qty: 10, fromLocationId: bin }] });
      // Gadget (moving average): Feb 15 receipt 10 @ 5.00, nothing in March.
      //   opening = closing = average = 50.00; COGS 0 → turnover 0.00; nothing issued → no days of cover.
      const gadget = await item(t, 'Gadget');
      await call({ method: 'PUT', url: `${INV}/items/${gadget}/settings`, payload: { valuationMethod: 'moving-average' } }, 200);
      await posted(t, { type: 'receipt', effectiveAt: '2026-02-15T09:00:00Z', lines: [{ itemId: gadget, qty: 10, unitCost: '5.00', toLocationId: bin }] });
      // Fresh: received in March only (4 @ 10.00): opening 0, closing 40.00, average 20.00.
      const fresh = await item(t, 'Fresh');
      await posted(t, { type: 'receipt', effectiveAt: '2026-03-15T09:00:00Z', lines: [{ itemId: fresh, qty: 4, unitCost: '10.00', toLocationId: bin }] });
      // Later: first received in April, so not part of March.
      const later = await item(t, 'Later');
      await posted(t, { type: 'receipt', effectiveAt: '2026-04-10T09:00:00Z', lines: [{ itemId: later, qty: 1, unitCost: '1.00', toLocationId: bin }] });

      const report = await call({ method: 'GET', url: `${INV}/reports/turnover?from=2026-03-01&to=2026-03-31` }, 200);
      expect(report).toMatchObject({ from: '2026-03-01', to: '2026-03-31', days: 31 });
      expect(report.rows).toEqual([
        {
          itemId: fresh,
          itemName: 'Fresh',
          sku: null,
          uom: 'ea',
          cogs: '0.00',
          openingValue: '0.00',
          closingValue: '40.00',
          averageValue: '20.00',
          turnover: '0.00',
          issuedQty: '0',
          averageDailyIssued: '0',
          onHand: '4',
          daysOfCover: null,
        },
        {
          itemId: gadget,
          itemName: 'Gadget',
          sku: null,
          uom: 'ea',
          cogs: '0.00',
          openingValue: '50.00',
          closingValue: '50.00',
          averageValue: '50.00',
          turnover: '0.00',
          issuedQty: '0',
          averageDailyIssued: '0',
          onHand: '10',
          daysOfCover: null,
        },
        {
          itemId: widget,
          itemName: 'Widget',
          sku: null,
          uom: 'ea',
          cogs: '220.00',
          openingValue: '200.00',
          closingValue: '130.00',
          averageValue: '165.00',
          turnover: '1.33',
          issuedQty: '110',
          averageDailyIssued: '3.5483870968',
          onHand: '45',
          daysOfCover: '12.7',
        },
      ]);
      // Totals: COGS 220; opening 0 + 50 + 200 = 250; closing 40 + 50 + 130 = 220; average 235; turnover 220 / 235 = 0.936… → 0.94
      expect(report.totals).toEqual({ cogs: '220.00', openingValue: '250.00', closingValue: '220.00', averageValue: '235.00', turnover: '0.94' });
      // The same figures as the COGS report.
      const cogs = await call({ method: 'GET', url: `${INV}/reports/cogs?from=2026-03-01&to=2026-03-31` }, 200);
      expect(cogs.totals.netCogs).toBe('220.00');
      // One item, April: opening 130.00; the Apr 5 issue takes FIFO from the Mar 10 layer (older than the
      // Mar 25 return): 10 × 3.00 = 30.00; closing 100.00; average 115.00; turnover 30 / 115 = 0.2608… → 0.26;
      // days of cover 35 / (10 / 30) = 105.0.
      const april = await call({ method: 'GET', url: `${INV}/reports/turnover?from=2026-04-01&to=2026-04-30&itemId=${widget}` }, 200);
      expect(april.rows).toEqual([expect.objectContaining({ cogs: '30.00', openingValue: '130.00', closingValue: '100.00', averageValue: '115.00', turnover: '0.26', issuedQty: '10', onHand: '35', daysOfCover: '105.0' })]);
    });

    it('is valuation: refused to a stock reader; a period ending before it starts is a 400', async () => {
      const res = await expectNoChange(t, () => t.app.inject({ method: 'GET', url: `${INV}/reports/turnover?from=2026-03-01&to=2026-03-31`, headers: viewer.headers }));
      expect(expectProblem(res, 403, 'forbidden').permission).toBe(permissions.valuationRead);
      const bad = await expectNoChange(t, () => t.request({ method: 'GET', url: `${INV}/reports/turnover?from=2026-03-31&to=2026-03-01` }));
      expect(problemFields(expectProblem(bad, 400, 'validation'))).toEqual(['to']);
      const noDates = await expectNoChange(t, () => t.request({ method: 'GET', url: `${INV}/reports/turnover?from=2026-03-01` }));
      expect(problemFields(expectProblem(noDates, 400, 'validation'))).toEqual(['to']);
    });
  });

  describe('slow-moving', () => {
    let yard: string;
    let yardB: string;
    const ids: Record<string, string> = {};

    beforeAll(async () => {
      // Its own site, so the other tests' stock does not show.
      yard = await location(t, 'Yard', 'site');
      const yardA = await location(t, 'Yard A', 'bin', yard);
      yardB = await location(t, 'Yard B', 'bin', yard);
      const receive = (itemId: string, at: string, qty: number, cost: string, to = yardA) => posted(t, { type: 'receipt', effectiveAt: at, lines: [{ itemId, qty, unitCost: cost, toLocationId: to }] });
      const issue = (itemId: string, at: string, qty: number, from = yardA) => posted(t, { type: 'issue', effectiveAt: at, lines: [{ itemId, qty, fromLocationId: from }] });
      // Slow: 10 @ 1.00 received 200 days ago, 2 issued 120 days ago → 8 on hand (8.00), last issue 120 days ago.
      ids.slow = await item(t, 'Slow');
      await receive(ids.slow, daysAgo(200), 10, '1.00', yardB);
      await issue(ids.slow, daysAgo(120), 2, yardB);
      // Dead: 5 @ 4.00 received 400 days ago, 1 issued 380 days ago → 4 on hand (16.00).
      ids.dead = await item(t, 'Dead');
      await receive(ids.dead, daysAgo(400), 5, '4.00');
      await issue(ids.dead, daysAgo(380), 1);
      // Never: 3 @ 2.00 received 30 days ago, never issued (6.00).
      ids.never = await item(t, 'Never');
      await receive(ids.never, daysAgo(30), 3, '2.00');
      // Reversed: 5 @ 1.00 received 300 days ago; an issue 20 days ago was reversed, so it never was issued (5.00).
      ids.reversed = await item(t, 'Reversed');
      await receive(ids.reversed, daysAgo(300), 5, '1.00');
      const undone = await issue(ids.reversed, daysAgo(20), 1);
      await call({ method: 'POST', url: `${INV}/moves/${undone.id}/reverse`, payload: {} }, 201);
      // Fast: issued 10 days ago → not slow. Gone: no stock left → not listed.
      ids.fast = await item(t, 'Fast');
      await receive(ids.fast, daysAgo(50), 10, '1.00');
      await issue(ids.fast, daysAgo(10), 1);
      ids.gone = await item(t, 'Gone');
      await receive(ids.gone, daysAgo(250), 2, '1.00');
      await issue(ids.gone, daysAgo(200), 2);
    });

    it('lists items with stock not issued for `days`, dead ones first, with value and days since the last issue and movement', async () => {
      const report = await call({ method: 'GET', url: `${INV}/reports/slow-moving?locationId=${yard}` }, 200);
      expect(report).toMatchObject({ days: 90, deadDays: 365, total: 4, dead: 3, totalValue: '35.00' }); // 6 + 5 + 16 + 8
      expect(report.data.map((r: Record<string, unknown>) => [r.itemName, r.onHand, r.value, r.daysSinceLastIssue, r.daysSinceLastMovement, r.dead])).toEqual([
        ['Never', '3', '6.00', null, 30, true],
        ['Reversed', '5', '5.00', null, 20, true],
        ['Dead', '4', '16.00', 380, 380, true],
        ['Slow', '8', '8.00', 120, 120, false],
      ]);
      expect(report.data[2].lastIssueAt).toBe(new Date(Date.parse(report.data[2].lastMovementAt)).toISOString());
    });

    it('takes the thresholds and a location from the query', async () => {
      const longer = await call({ method: 'GET', url: `${INV}/reports/slow-moving?locationId=${yard}&days=150` }, 200);
      expect(longer.data.map((r: { itemName: string }) => r.itemName)).toEqual(['Never', 'Reversed', 'Dead']);
      const stricter = await call({ method: 'GET', url: `${INV}/reports/slow-moving?locationId=${yard}&deadDays=100` }, 200);
      expect(stricter.data.find((r: { itemName: string }) => r.itemName === 'Slow').dead).toBe(true);
      const oneBin = await call({ method: 'GET', url: `${INV}/reports/slow-moving?locationId=${yardB}` }, 200);
      expect(oneBin.data.map((r: { itemName: string }) => r.itemName)).toEqual(['Slow']);
      const paged = await call({ method: 'GET', url: `${INV}/reports/slow-moving?locationId=${yard}&limit=2&offset=2` }, 200);
      expect(paged).toMatchObject({ total: 4, limit: 2, offset: 2 });
      expect(paged.data.map((r: { itemName: string }) => r.itemName)).toEqual(['Dead', 'Slow']);
    });

    it('shows no value to a stock reader', async () => {
      const res = await t.app.inject({ method: 'GET', url: `${INV}/reports/slow-moving?locationId=${yard}`, headers: viewer.headers });
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json();
      expect(body).not.toHaveProperty('totalValue');
      for (const r of body.data) expect(r).not.toHaveProperty('value');
      expect(body.data.map((r: { onHand: string }) => r.onHand)).toEqual(['3', '5', '4', '8']);
    });

    it('refuses thresholds that do not make sense', async () => {
      for (const [q, field] of [
        ['days=200&deadDays=100', 'deadDays'],
        ['days=0', 'days'],
        ['deadDays=x', 'deadDays'],
      ] as const) {
        const res = await expectNoChange(t, () => t.request({ method: 'GET', url: `${INV}/reports/slow-moving?${q}` }));
        expect(problemFields(expectProblem(res, 400, 'validation')), q).toEqual([field]);
      }
    });
  });

  describe('stock-outs', () => {
    let shop: string;
    let shelf: string;
    const ids: Record<string, string> = {};

    beforeAll(async () => {
      shop = await location(t, 'Shop', 'site');
      shelf = await location(t, 'Shelf 1', 'shelf', shop);
      const move = (type: 'receipt' | 'issue', itemId: string, at: string, qty: number) =>
        posted(t, { type, effectiveAt: at, lines: [type === 'receipt' ? { itemId, qty, unitCost: 1, toLocationId: shelf } : { itemId, qty, fromLocationId: shelf }] });
      // Cola: out May 31 12:00 → back Jun 2 12:00; out Jun 10 00:00 → back Jun 12 06:00; out Jun 29 00:00, still out.
      ids.cola = await item(t, 'Cola');
      await move('receipt', ids.cola, '2026-05-20T00:00:00Z', 10);
      await move('issue', ids.cola, '2026-05-31T12:00:00Z', 10);
      await move('receipt', ids.cola, '2026-06-02T12:00:00Z', 5);
      await move('issue', ids.cola, '2026-06-10T00:00:00Z', 5);
      await move('receipt', ids.cola, '2026-06-12T06:00:00Z', 3);
      await move('issue', ids.cola, '2026-06-29T00:00:00Z', 3);
      // Chips: out Jun 5 00:00 → back Jun 5 06:00; out again Jul 5 (after the period) and back Jul 6.
      ids.chips = await item(t, 'Chips');
      await move('receipt', ids.chips, '2026-06-01T00:00:00Z', 4);
      await move('issue', ids.chips, '2026-06-05T00:00:00Z', 4);
      await move('receipt', ids.chips, '2026-06-05T06:00:00Z', 2);
      await move('issue', ids.chips, '2026-07-05T00:00:00Z', 2);
      await move('receipt', ids.chips, '2026-07-06T00:00:00Z', 2);
      // Gum: out and back in May only.
      ids.gum = await item(t, 'Gum');
      await move('receipt', ids.gum, '2026-05-01T00:00:00Z', 1);
      await move('issue', ids.gum, '2026-05-02T00:00:00Z', 1);
      await move('receipt', ids.gum, '2026-05-10T00:00:00Z', 1);
    });

    it('counts stock-outs per item and location with the time out of stock within the period (hand-computed)', async () => {
      // June = [Jun 1 00:00, Jul 1 00:00).
      // Cola: Jun 1 00:00 → Jun 2 12:00 = 36 h (began May 31, cut to the period), Jun 10 00:00 → Jun 12 06:00 = 54 h,
      //       Jun 29 00:00 → Jul 1 00:00 = 48 h (still out): 3 stock-outs, 138.00 h; out since Jun 29.
      // Chips: Jun 5 00:00 → 06:00 = 6 h (the July one is outside): 1 stock-out, 6.00 h.
      // Gum: only in May, not listed.
      const before = Date.now();
      const report = await call({ method: 'GET', url: `${INV}/reports/stock-outs?from=2026-06-01&to=2026-06-30&locationId=${shop}` }, 200);
      expect(report.totals).toEqual({ stockOuts: 4, totalHours: '144.00', currentlyOut: 1 });
      expect(report.rows).toEqual([
        {
          itemId: ids.cola,
          itemName: 'Cola',
          sku: null,
          locationId: shelf,
          location: 'Shelf 1',
          stockOuts: 3,
          totalHours: '138.00',
          currentlyOut: true,
          outSince: '2026-06-29T00:00:00.000Z',
          currentHours: expect.any(String),
          lastOccurredAt: '2026-06-29T00:00:00.000Z',
        },
        {
          itemId: ids.chips,
          itemName: 'Chips',
          sku: null,
          locationId: shelf,
          location: 'Shelf 1',
          stockOuts: 1,
          totalHours: '6.00',
          currentlyOut: false,
          outSince: null,
          currentHours: null,
          lastOccurredAt: '2026-06-05T00:00:00.000Z',
        },
      ]);
      // Current duration: from Jun 29 00:00 to now, not cut to the period.
      const hours = Number(report.rows[0].currentHours);
      expect(hours).toBeGreaterThanOrEqual(Math.floor((before - Date.parse('2026-06-29T00:00:00Z')) / 3_600_000 * 100) / 100);
      expect(hours).toBeLessThanOrEqual((Date.now() - Date.parse('2026-06-29T00:00:00Z')) / 3_600_000 + 0.01);
    });

    it('filters by item and location; a stock reader may see it', async () => {
      const chips = await call({ method: 'GET', url: `${INV}/reports/stock-outs?from=2026-06-01&to=2026-07-31&itemId=${ids.chips}` }, 200);
      // Jun 5 (6 h) and Jul 5 → Jul 6 (24 h).
      expect(chips.rows).toEqual([expect.objectContaining({ itemName: 'Chips', stockOuts: 2, totalHours: '30.00', lastOccurredAt: '2026-07-05T00:00:00.000Z' })]);
      const elsewhere = await call({ method: 'GET', url: `${INV}/reports/stock-outs?from=2026-06-01&to=2026-06-30&locationId=${bin}&itemId=${ids.cola}` }, 200);
      expect(elsewhere).toMatchObject({ rows: [], totals: { stockOuts: 0, totalHours: '0.00', currentlyOut: 0 } });
      const may = await t.app.inject({ method: 'GET', url: `${INV}/reports/stock-outs?from=2026-05-01&to=2026-05-31&locationId=${shop}`, headers: viewer.headers });
      expect(may.statusCode, may.body).toBe(200);
      // Gum May 2 → May 10 = 192 h; Cola May 31 12:00 → Jun 1 00:00 = 12 h.
      expect(may.json().rows.map((r: { itemName: string; totalHours: string }) => `${r.itemName} ${r.totalHours}`)).toEqual(['Gum 192.00', 'Cola 12.00']);
    });

    it('refuses a period ending before it starts', async () => {
      const res = await expectNoChange(t, () => t.request({ method: 'GET', url: `${INV}/reports/stock-outs?from=2026-06-30&to=2026-06-01` }));
      expect(problemFields(expectProblem(res, 400, 'validation'))).toEqual(['to']);
    });
  });
});
