import Decimal from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoChange, expectProblem, problemFields, type TestPlatform, type TestSession } from '@quartermaster/testing';
import { startReceiver, type Receiver } from './receiver.js';
import { EJ, bootAll, caller, net, settle, userWith, type Entry } from './fixtures.js';

const INV = '/api/inventory';
const FA = '/api/fixed-assets';

describe('a period booked from inventory and fixed assets, pushed to an ERP and closed', () => {
  let t: TestPlatform;
  let erp: Receiver;
  let call: ReturnType<typeof caller>;
  let north: string;
  let bin: string;
  let bolt: string;
  let paint: string;
  let fasteners: string;
  let runTotal: string;

  beforeAll(async () => {
    erp = await startReceiver();
    t = await bootAll({ target: { url: erp.url, auth: { type: 'bearer', token: 's3cret' }, fieldMap: { entryDate: 'postingDate', 'lines.account': 'glAccount' } } });
    call = caller(t);
    fasteners = (await call({ method: 'POST', url: '/api/core/categories', payload: { name: 'Fasteners' } }, 201)).id;
    const vehicles = (await call({ method: 'POST', url: '/api/core/categories', payload: { name: 'Vehicles' } }, 201)).id;
    north = (await call({ method: 'POST', url: '/api/core/locations', payload: { name: 'North plant', type: 'site' } }, 201)).id;
    bin = (await call({ method: 'POST', url: '/api/core/locations', payload: { name: 'Bin N-1', type: 'bin', parentId: north } }, 201)).id;
    bolt = (await call({ method: 'POST', url: '/api/core/items', payload: { name: 'Hex bolt M8', categoryId: fasteners } }, 201)).id;
    paint = (await call({ method: 'POST', url: '/api/core/items', payload: { name: 'Primer 1 l' } }, 201)).id;
    // Fasteners at the north plant have their own inventory account.
    await call({ method: 'PUT', url: `${EJ}/accounts`, payload: { role: 'inventory', categoryId: fasteners, siteId: north, account: '1410', name: 'Fasteners, North' } }, 200);

    const move = (body: Record<string, unknown>) => call({ method: 'POST', url: `${INV}/moves`, payload: body }, 201);
    await move({ type: 'receipt', effectiveAt: '2026-09-02T08:00:00Z', lines: [{ itemId: bolt, qty: 100, unitCost: '2.00', toLocationId: bin }] });
    await move({ type: 'receipt', effectiveAt: '2026-09-03T08:00:00Z', lines: [{ itemId: paint, qty: 10, unitCost: '15.00', toLocationId: bin }] });
    await move({ type: 'issue', effectiveAt: '2026-09-10T08:00:00Z', lines: [{ itemId: bolt, qty: 30, fromLocationId: bin }] });
    await move({ type: 'adjustment', effectiveAt: '2026-09-12T08:00:00Z', lines: [{ itemId: paint, qty: 1, fromLocationId: bin, reason: 'damaged' }] });
    await move({ type: 'issue', effectiveAt: '2026-10-05T08:00:00Z', lines: [{ itemId: bolt, qty: 10, fromLocationId: bin }] });

    const asset = (body: Record<string, unknown>) => call({ method: 'POST', url: `${FA}/assets`, payload: { status: 'in-service', categoryId: vehicles, locationId: bin, ...body } }, 201);
    const forklift = await asset({ name: 'Forklift', acquisitionCost: '12000', purchaseDate: '2026-09-01' });
    const pallet = await asset({ name: 'Pallet jack', acquisitionCost: '1200', purchaseDate: '2026-09-01' });
    for (const a of [forklift, pallet]) {
      await call({ method: 'PUT', url: `${FA}/assets/${a.id}/books/financial`, payload: { method: 'straight-line', usefulLifeYears: 5, salvageValue: '0', placedInService: '2026-09-01' } }, 200);
    }
    await call({ method: 'POST', url: `${FA}/assets/${pallet.id}/dispose`, payload: { kind: 'lost', disposedOn: '2026-09-20' } }, 200);
    const started = await call({ method: 'POST', url: `${FA}/depreciation/runs`, payload: { book: 'financial', periodEnd: '2026-09-30' } }, 202);
    for (let i = 0; i < 200; i++) {
      const r = await call({ method: 'GET', url: `${FA}/depreciation/runs/${started.id}` }, 200);
      if (r.status !== 'running') {
        expect(r.status).toBe('completed');
        break;
      }
      await new Promise((res) => setTimeout(res, 50));
    }
    await settle(t);
    const runs = await call({ method: 'GET', url: `${FA}/depreciation/runs?book=financial` }, 200);
    runTotal = runs.find((r: { periodEnd: string }) => r.periodEnd === '2026-09-30').totalAmount;
  });
  afterAll(async () => {
    await t?.close();
    await erp?.close();
  });

  const september = async (): Promise<Entry[]> => (await call({ method: 'GET', url: `${EJ}/periods/2026-09/journal.json` }, 200)).entries;

  it('books every event once, each entry balanced, on the date it took effect', async () => {
    const entries = await september();
    expect(entries.map((e) => e.sourceType).sort()).toEqual(['asset-acquisition', 'asset-acquisition', 'asset-disposal', 'depreciation-run', 'inventory-move', 'inventory-move', 'inventory-move', 'inventory-move'].sort());
    for (const e of entries) {
      expect(e.period).toBe('2026-09');
      expect(e.totalDebit, `entry ${e.sourceType}`).toBe(e.totalCredit);
      expect(new Decimal(e.totalDebit).gt(0)).toBe(true);
    }
    const unbalanced = await t.sql(`SELECT entry_id FROM erp_journal_line GROUP BY entry_id HAVING sum(debit) <> sum(credit)`);
    expect(unbalanced).toEqual([]);
    const october = (await call({ method: 'GET', url: `${EJ}/entries?period=2026-10` }, 200)).data as Entry[];
    expect(october.map((e) => [e.sourceType, e.entryDate])).toEqual([['inventory-move', '2026-10-05']]);

    // Delivered again (at least once): nothing more is booked.
    const before = await t.sql(`SELECT count(*)::int AS n FROM erp_journal_entry`);
    await t.sql(`UPDATE core_outbox_delivery SET delivered_at = NULL, next_attempt_at = now() WHERE subscriber LIKE 'erp-journal:%'`);
    await settle(t);
    expect(await t.sql(`SELECT count(*)::int AS n FROM erp_journal_entry`)).toEqual(before);
  });

  it('uses the most specific account: fasteners at the north plant on 1410, the rest on the defaults', async () => {
    const receipts = (await september()).filter((e) => e.sourceType === 'inventory-move' && e.lines.some((l) => l.role === 'goods-received-not-invoiced'));
    expect(receipts.map((e) => e.lines.map((l) => [l.account, l.debit, l.credit]))).toEqual([
      [['1410', '200.00', '0.00'], ['2150', '0.00', '200.00']],
      [['1400', '150.00', '0.00'], ['2150', '0.00', '150.00']],
    ]);
  });

  it("matches inventory's valuation and COGS reports and the depreciation run of the period", async () => {
    const entries = await september();
    const valuation = await call({ method: 'GET', url: `${INV}/reports/valuation?asOf=2026-09-30` }, 200);
    expect(net(entries, (l) => l.role === 'inventory')).toBe(valuation.totalValue);
    expect(valuation.totalValue).toBe('275.00');
    const cogs = await call({ method: 'GET', url: `${INV}/reports/cogs?from=2026-09-01&to=2026-09-30` }, 200);
    expect(net(entries, (l) => l.role === 'cogs')).toBe(cogs.totals.cogs);
    expect(net(entries, (l) => l.role === 'inventory-adjustment')).toBe(cogs.totals.adjustments);
    const runs = entries.filter((e) => e.sourceType === 'depreciation-run');
    expect(net(runs, (l) => l.role === 'depreciation-expense')).toBe(runTotal);
    expect(new Decimal(runTotal).gt(0)).toBe(true);
    // The pallet jack was lost before any depreciation: its whole cost is a loss.
    const disposal = entries.find((e) => e.sourceType === 'asset-disposal')!;
    expect(disposal.lines.map((l) => [l.role, l.debit, l.credit])).toEqual([
      ['loss-on-disposal', '1200.00', '0.00'],
      ['fixed-assets-cost', '0.00', '1200.00'],
    ]);
  });

  it('exports the period as CSV, one row per line, with totals and the balance check', async () => {
    const res = await t.request({ method: 'GET', url: `${EJ}/periods/2026-09/journal.csv` });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    const lines = res.body.trim().split('\r\n');
    expect(lines[0]).toBe('entry_id,entry_number,entry_date,period,source_type,source_ref,entry_memo,currency,line_no,account,role,debit,credit,category_id,site_id,item_id,asset_id,line_memo,idempotency_key');
    const json = await call({ method: 'GET', url: `${EJ}/periods/2026-09/journal.json` }, 200);
    expect(lines).toHaveLength(1 + json.totals.lines);
    expect(json.totals).toMatchObject({ entries: 8, balanced: true });
    expect(json.totals.debit).toBe(json.totals.credit);
    expect(res.headers['x-journal-debit']).toBe(json.totals.debit);
    expect(res.headers['x-journal-balanced']).toBe('true');
  });

  it('refuses to close the period before its entries are in the ERP', async () => {
    const res = await expectNoChange(t, () => t.request({ method: 'POST', url: `${EJ}/periods/2026-09/close`, payload: {} }));
    const body = expectProblem(res, 409, 'erp-journal/period-not-exported');
    expect(body.waiting).toEqual([{ period: '2026-09', entries: 8 }]);
  });

  it('pushes with idempotency keys; failed requests are retried and nothing is booked twice', async () => {
    // The ERP is down for two requests, and books the third but the answer is lost.
    erp.failNext(2);
    erp.dropAfterBookingNext(0);
    const first = await call({ method: 'POST', url: `${EJ}/periods/2026-09/push`, payload: {} }, 200);
    expect(first.sent).toBe(8);
    expect(first.results.filter((r: { outcome: string }) => r.outcome === 'failed')).toHaveLength(2);
    expect(first.results.filter((r: { outcome: string; responseStatus: number }) => r.outcome === 'failed').map((r: { responseStatus: number }) => r.responseStatus)).toEqual([503, 503]);

    erp.dropAfterBookingNext(1);
    const second = await call({ method: 'POST', url: `${EJ}/periods/2026-09/push`, payload: {} }, 200);
    expect(second).toMatchObject({ sent: 2, alreadyPushed: 6 });
    expect(second.results.map((r: { outcome: string }) => r.outcome)).toEqual(['failed', 'pushed']);

    // The ERP already has the dropped one: it answers 409 for its key, which counts as pushed.
    const third = await call({ method: 'POST', url: `${EJ}/periods/2026-09/push`, payload: {} }, 200);
    expect(third).toMatchObject({ sent: 1, alreadyPushed: 7 });
    expect(third.results[0]).toMatchObject({ outcome: 'already-pushed', responseStatus: 409, erpDocumentId: expect.stringMatching(/^GL-/) });
    const nothing = await call({ method: 'POST', url: `${EJ}/periods/2026-09/push`, payload: {} }, 200);
    expect(nothing).toMatchObject({ sent: 0, alreadyPushed: 8, results: [] });

    const entries = await september();
    expect(erp.booked.size).toBe(8);
    expect([...erp.booked.keys()].sort()).toEqual(entries.map((e) => e.idempotencyKey).sort());
    // Each key was sent again only after a failure, always with the same key.
    // 8 sent, then the 2 that met the 503s (one booked but unanswered), then that one once more: 11 requests in all.
    expect(erp.requests).toHaveLength(11);
    expect(new Set(erp.requests.map((r) => r.key)).size).toBe(8);
    // What the ERP received: the field map applied, the auth header set, every document balanced.
    for (const doc of erp.booked.values()) {
      const b = doc.body as { postingDate: string; totalDebit: string; totalCredit: string; lines: { glAccount: string }[] };
      expect(doc.headers.authorization).toBe('Bearer s3cret');
      expect(b.postingDate).toMatch(/^2026-09-/);
      expect(b.lines.every((l) => typeof l.glAccount === 'string')).toBe(true);
      expect(b.totalDebit).toBe(b.totalCredit);
    }
    const listed = (await call({ method: 'GET', url: `${EJ}/entries?period=2026-09` }, 200)).data;
    expect(listed.every((e: { push: { status: string; erpDocumentId: string | null } }) => e.push.status === 'pushed' && e.push.erpDocumentId?.startsWith('GL-'))).toBe(true);
  });

  it('closes the period; a back-dated inventory receipt into it is then refused and changes nothing', async () => {
    const closed = await call({ method: 'POST', url: `${EJ}/periods/2026-09/close`, payload: {} }, 200);
    expect(closed).toMatchObject({ period: '2026-09', closedThrough: '2026-09-30', entries: 8, closedBy: 'admin@example.test' });
    const res = await expectNoChange(t, () => t.request({ method: 'POST', url: `${INV}/moves`, payload: { type: 'receipt', effectiveAt: '2026-09-25T08:00:00Z', lines: [{ itemId: bolt, qty: 5, unitCost: '2.00', toLocationId: bin }] } }));
    const body = expectProblem(res, 409, 'posting-period-closed');
    expect(problemFields(body)).toEqual(['effectiveAt']);
    expect(body.period).toBe('2026-09');
    expectProblem(await t.request({ method: 'POST', url: `${EJ}/periods/2026-09/close`, payload: {} }), 409, 'erp-journal/period-closed');
    const periods = await call({ method: 'GET', url: `${EJ}/periods` }, 200);
    expect(periods.closedThrough).toBe('2026-09-30');
    expect(periods.periods.find((p: { period: string }) => p.period === '2026-09')).toMatchObject({ status: 'closed', entries: 8, pushed: 8 });
  });

  it('reopens only the last closed period, with its own permission; then the receipt posts', async () => {
    const closer = await userWith(t, 'closer@example.test', ['erp-journal.journal.read', 'erp-journal.periods.close']);
    const denied = await t.app.inject({ method: 'POST', url: `${EJ}/periods/2026-09/reopen`, payload: {}, headers: closer.headers });
    expectProblem(denied, 403, 'forbidden');
    expectProblem(await t.request({ method: 'POST', url: `${EJ}/periods/2026-08/reopen`, payload: {} }), 409, 'erp-journal/not-last-closed');
    expect(await call({ method: 'POST', url: `${EJ}/periods/2026-09/reopen`, payload: {} }, 200)).toMatchObject({ period: '2026-09', closedThrough: null });
    await call({ method: 'POST', url: `${INV}/moves`, payload: { type: 'receipt', effectiveAt: '2026-09-25T08:00:00Z', lines: [{ itemId: bolt, qty: 5, unitCost: '2.00', toLocationId: bin }] } }, 201);
    await settle(t);
    expect((await september()).filter((e) => e.sourceType === 'inventory-move')).toHaveLength(5);
  });

  describe('permissions and bad input', () => {
    let reader: TestSession;
    beforeAll(async () => {
      reader = await userWith(t, 'reader@example.test', ['erp-journal.journal.read']);
    });
    const as = (s: TestSession, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) => t.app.inject({ method, url, headers: s.headers, ...(payload ? { payload: payload as object } : {}) });

    it('a reader sees entries, periods and accounts, but cannot export, push, close or edit accounts', async () => {
      expect((await as(reader, 'GET', `${EJ}/entries`)).statusCode).toBe(200);
      expect((await as(reader, 'GET', `${EJ}/periods`)).statusCode).toBe(200);
      expect((await as(reader, 'GET', `${EJ}/accounts`)).statusCode).toBe(200);
      for (const [method, url, payload] of [
        ['GET', `${EJ}/periods/2026-09/journal.csv`],
        ['GET', `${EJ}/periods/2026-09/journal.json`],
        ['POST', `${EJ}/periods/2026-09/push`, {}],
        ['POST', `${EJ}/periods/2026-09/close`, {}],
        ['PUT', `${EJ}/accounts`, { role: 'cogs', account: '9999' }],
      ] as const) {
        expectProblem(await expectNoChange(t, () => as(reader, method, url, payload)), 403, 'forbidden');
      }
    });

    it('refuses a malformed period, an unknown role, a site that is not a site and removing a default account, changing nothing', async () => {
      const bad = await expectNoChange(t, () => t.request({ method: 'POST', url: `${EJ}/periods/2026-13/push`, payload: {} }));
      expect(problemFields(expectProblem(bad, 400, 'validation'))).toEqual(['period']);
      expect(problemFields(expectProblem(await t.request({ method: 'GET', url: `${EJ}/entries?period=Sept` }), 400, 'validation'))).toEqual(['period']);
      expect(problemFields(expectProblem(await expectNoChange(t, () => t.request({ method: 'PUT', url: `${EJ}/accounts`, payload: { role: 'petty-cash', account: '1000' } })), 400, 'validation'))).toContain('role');
      expect(problemFields(expectProblem(await expectNoChange(t, () => t.request({ method: 'PUT', url: `${EJ}/accounts`, payload: { role: 'cogs', siteId: bin, account: '5001' } })), 400, 'validation'))).toEqual(['siteId']);
      const cogs = (await call({ method: 'GET', url: `${EJ}/accounts` }, 200)).find((a: { role: string; isDefault: boolean }) => a.role === 'cogs' && a.isDefault);
      expectProblem(await expectNoChange(t, () => t.request({ method: 'DELETE', url: `${EJ}/accounts/${cogs.id}` })), 409, 'erp-journal/default-account');
    });

    it('refuses to push a period without entries and to close a period not over yet', async () => {
      expectProblem(await expectNoChange(t, () => t.request({ method: 'POST', url: `${EJ}/periods/2025-01/push`, payload: {} })), 409, 'erp-journal/nothing-to-push');
      const thisMonth = new Date().toISOString().slice(0, 7);
      expectProblem(await expectNoChange(t, () => t.request({ method: 'POST', url: `${EJ}/periods/${thisMonth}/close`, payload: {} })), 409, 'erp-journal/period-not-over');
    });
  });
});

describe('without an ERP target, with back-dated inventory postings re-dated', () => {
  let t: TestPlatform;
  let call: ReturnType<typeof caller>;
  let item: string;
  let bin: string;
  beforeAll(async () => {
    t = await bootAll({ backDatedPostings: { inventory: 'redate' } });
    call = caller(t);
    item = (await call({ method: 'POST', url: '/api/core/items', payload: { name: 'Cable tie' } }, 201)).id;
    bin = (await call({ method: 'POST', url: '/api/core/locations', payload: { name: 'Store', type: 'room' } }, 201)).id;
    await call({ method: 'POST', url: `${INV}/moves`, payload: { type: 'receipt', effectiveAt: '2026-08-10T08:00:00Z', lines: [{ itemId: item, qty: 10, unitCost: '1.00', toLocationId: bin }] } }, 201);
    await settle(t);
  });
  afterAll(() => t?.close());

  it('cannot push, closes once the period is exported, then re-dates a back-dated receipt into the open period', async () => {
    expectProblem(await t.request({ method: 'POST', url: `${EJ}/periods/2026-08/push`, payload: {} }), 409, 'erp-journal/no-erp-target');
    expectProblem(await t.request({ method: 'POST', url: `${EJ}/periods/2026-08/close`, payload: {} }), 409, 'erp-journal/period-not-exported');
    await call({ method: 'GET', url: `${EJ}/periods/2026-08/journal.json` }, 200);
    await call({ method: 'POST', url: `${EJ}/periods/2026-08/close`, payload: {} }, 200);

    const move = await call({ method: 'POST', url: `${INV}/moves`, payload: { type: 'receipt', effectiveAt: '2026-08-20T08:00:00Z', lines: [{ itemId: item, qty: 5, unitCost: '1.00', toLocationId: bin }] } }, 201);
    expect(move.effectiveAt).toBe('2026-09-01T00:00:00.000Z');
    await settle(t);
    const sept = (await call({ method: 'GET', url: `${EJ}/entries?period=2026-09` }, 200)).data as Entry[];
    expect(sept.map((e) => [e.entryDate, e.totalDebit])).toEqual([['2026-09-01', '5.00']]);
    expect((await call({ method: 'GET', url: `${EJ}/entries?period=2026-08` }, 200)).total).toBe(1);
  });
});
