import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, expectNoChange, expectProblem, problemFields, type TestPlatform } from '@quartermaster/testing';
import { inventoryPlugin } from '../../src/server/index.js';

const URL = '/api/inventory/valuation/preview';

/*
 * Houston Electronics (Weygandt, Kimmel & Kieso, "Accounting Principles", ch. 6, Appendix 6A):
 * 100 @ $10, 200 @ $11, 300 @ $12, sale of 550 on Sep 10, 400 @ $13. The domain tests cite the figures.
 */
const houston = [
  { type: 'in', qty: 100, unitCost: 10 },
  { type: 'in', qty: '200', unitCost: '11' },
  { type: 'in', qty: 300, unitCost: '12.00' },
  { type: 'out', qty: 550 },
  { type: 'in', qty: 400, unitCost: 13 },
];

let t: TestPlatform;
const preview = (payload: unknown) => t.request({ method: 'POST', url: URL, payload: payload as object });

beforeAll(async () => {
  t = await createTestPlatform({ plugins: [inventoryPlugin] });
  // The first request signs the administrator in, which writes audit and outbox rows of its own.
  await preview({ method: 'fifo', system: 'perpetual', moves: [{ type: 'in', qty: 1, unitCost: 1 }] });
});
afterAll(async () => {
  await t?.close();
});

describe('POST /api/inventory/valuation/preview', () => {
  it('values the Houston Electronics example: perpetual LIFO $6,300 / $5,700 (Illustration 6A-3)', async () => {
    const res = await expectNoChange(t, () => preview({ method: 'lifo', system: 'perpetual', moves: houston }));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      issueCosts: ['6300.00'],
      totalCogs: '6300.00',
      endingQty: '450',
      endingValue: '5700.00',
      valueAfterEachMove: ['1000.00', '3200.00', '6800.00', '500.00', '5700.00'],
      layers: [
        { qty: '50', unitCost: '10', value: '500.00' },
        { qty: '400', unitCost: '13', value: '5200.00' },
      ],
      unvaluedQty: '0',
    });
  });

  it('periodic LIFO takes the latest purchases of the period: COGS $7,000, ending $5,000', async () => {
    const res = await preview({ method: 'lifo', system: 'periodic', moves: houston });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ issueCosts: ['7000.00'], endingValue: '5000.00' });
  });

  it('standard cost reports the purchase price variance, and minorUnits sets the amount precision', async () => {
    const res = await preview({
      method: 'standard',
      system: 'perpetual',
      standardCost: '0.72',
      minorUnits: 3,
      moves: [{ type: 'in', qty: 4500, unitCost: '0.75' }, { type: 'out', qty: 4100 }],
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ issueCosts: ['2952.000'], endingValue: '288.000', purchasePriceVariance: '135.000' });
  });

  it("rounds to the plugin's currencyMinorUnits unless the body says otherwise", async () => {
    const yen = await createTestPlatform({ plugins: [inventoryPlugin], enable: { inventory: { currencyMinorUnits: 0 } } });
    try {
      const payload = { method: 'fifo', system: 'perpetual', moves: [{ type: 'in', qty: 3, unitCost: '3.3333333333' }, { type: 'out', qty: 1 }] };
      const byOption = await yen.request({ method: 'POST', url: URL, payload });
      expect(byOption.json(), byOption.body).toMatchObject({ issueCosts: ['3'], endingValue: '7' });
      const byBody = await yen.request({ method: 'POST', url: URL, payload: { ...payload, minorUnits: 2 } });
      expect(byBody.json()).toMatchObject({ issueCosts: ['3.33'], endingValue: '6.67' });
    } finally {
      await yen.close();
    }
  });

  it('keeps decimal strings exact: 0.1 + 0.2 units is 0.3, and issuing 0.3 empties the stock', async () => {
    const moves = [
      { type: 'in', qty: '0.1', unitCost: '10' },
      { type: 'in', qty: '0.2', unitCost: '10' },
    ];
    const res = await preview({ method: 'moving-average', system: 'perpetual', moves });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ endingQty: '0.3', endingValue: '3.00', layers: [{ qty: '0.3', unitCost: '10', value: '3.00' }] });
    const emptied = await preview({ method: 'moving-average', system: 'perpetual', moves: [...moves, { type: 'out', qty: '0.3' }] });
    expect(emptied.json()).toMatchObject({ issueCosts: ['3.00'], endingQty: '0', endingValue: '0.00', layers: [] });
  });

  it('answers 422 naming the move that issues more than is in stock', async () => {
    const res = await preview({ method: 'fifo', system: 'perpetual', moves: [{ type: 'in', qty: 10, unitCost: 5 }, { type: 'out', qty: 15 }] });
    const body = expectProblem(res, 422, 'inventory/invalid-move-sequence');
    expect(body.title).toBe('Invalid move sequence');
    expect(body.detail).toMatch(/move 1 .*short by 5/);
    expect(body.errors).toEqual([{ field: 'moves.1.qty', message: body.detail }]);
    expect(body.moveIndex).toBe(1);
  });

  it('accepts the over-issue with allowNegative and values it on the next receipt', async () => {
    const res = await preview({
      method: 'fifo',
      system: 'perpetual',
      allowNegative: true,
      moves: [{ type: 'in', qty: 10, unitCost: 5 }, { type: 'out', qty: 15 }, { type: 'in', qty: 10, unitCost: 6 }],
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ issueCosts: ['80.00'], endingValue: '30.00' });
  });

  it('answers 422 for a return that does not point at an earlier issue, or returns too much', async () => {
    const notAnIssue = await preview({ method: 'fifo', system: 'perpetual', moves: [{ type: 'in', qty: 1, unitCost: 1 }, { type: 'return', of: 0, qty: 1 }] });
    expect(problemFields(expectProblem(notAnIssue, 422, 'inventory/invalid-move-sequence'))).toEqual(['moves.1.of']);
    const tooMuch = await preview({
      method: 'fifo',
      system: 'perpetual',
      moves: [{ type: 'in', qty: 2, unitCost: 1 }, { type: 'out', qty: 1 }, { type: 'return', of: 1, qty: 2 }],
    });
    expect(problemFields(expectProblem(tooMuch, 422, 'inventory/invalid-move-sequence'))).toEqual(['moves.2.qty']);
  });

  describe('refuses malformed bodies with 400 validation problems naming the field', () => {
    const valid = { method: 'fifo', system: 'perpetual', moves: [{ type: 'in', qty: 1, unitCost: 1 }] };
    it.each([
      ['an unknown method', { ...valid, method: 'hifo' }, 'method'],
      ['a negative quantity', { ...valid, moves: [{ type: 'in', qty: -1, unitCost: 1 }] }, 'moves.0.qty'],
      ['a negative quantity as a string', { ...valid, moves: [{ type: 'in', qty: '-1', unitCost: 1 }] }, 'moves.0.qty'],
      ['a zero quantity', { ...valid, moves: [{ type: 'in', qty: '0.00', unitCost: 1 }] }, 'moves.0.qty'],
      ['a negative unit cost', { ...valid, moves: [{ type: 'in', qty: 1, unitCost: '-0.5' }] }, 'moves.0.unitCost'],
      ['a non-decimal string', { ...valid, moves: [{ type: 'in', qty: '1,5', unitCost: 1 }] }, 'moves.0.qty'],
      ['missing moves', { method: 'fifo', system: 'perpetual' }, 'moves'],
      ['no moves', { ...valid, moves: [] }, 'moves'],
      ['an extra property', { ...valid, currency: 'EUR' }, 'currency'],
      ['an extra property on a move', { ...valid, moves: [{ type: 'out', qty: 1, unitCost: 1 }] }, 'moves.0.unitCost'],
      ['a receipt without unitCost', { ...valid, moves: [{ type: 'in', qty: 1 }] }, 'moves.0.unitCost'],
      ['a return without of', { ...valid, moves: [{ type: 'return', qty: 1 }] }, 'moves.0.of'],
      ['an unknown move type', { ...valid, moves: [{ type: 'scrap', qty: 1 }] }, 'moves.0.type'],
      ['a boolean sent as a string (bodies are not coerced)', { ...valid, allowNegative: 'true' }, 'allowNegative'],
      ['perpetual weighted average', { ...valid, method: 'weighted-average' }, 'system'],
      ['periodic moving average', { ...valid, method: 'moving-average', system: 'periodic' }, 'system'],
      ['standard cost without standardCost', { ...valid, method: 'standard' }, 'standardCost'],
    ])('%s', async (_label, payload, field) => {
      const body = expectProblem(await preview(payload), 400, 'validation');
      expect(problemFields(body)).toContain(field);
      // Only the field at fault (or the move holding it) is named, not every shape a move could have.
      for (const f of problemFields(body)) expect(field.startsWith(f), JSON.stringify(body.errors)).toBe(true);
    });
  });

  it('takes up to 10,000 moves', async () => {
    const moves = Array.from({ length: 10_000 }, (_, i) => (i % 2 ? { type: 'out', qty: '1' } : { type: 'in', qty: '1', unitCost: '2.5' }));
    const res = await preview({ method: 'fifo', system: 'perpetual', moves });
    expect(res.statusCode, res.body.slice(0, 500)).toBe(200);
    expect(res.json().issueCosts).toHaveLength(5_000);
    const tooMany = await preview({ method: 'fifo', system: 'perpetual', moves: [...moves, { type: 'out', qty: '1' }] });
    expect(problemFields(expectProblem(tooMany, 400, 'validation'))).toEqual(['moves']);
  });

  it('is documented in the OpenAPI description', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const op = res.json().paths[URL].post;
    expect(Object.keys(op.requestBody.content['application/json'].schema.properties)).toEqual(['method', 'system', 'allowNegative', 'standardCost', 'minorUnits', 'moves']);
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['200', '400', '422']));
  });

  it('needs inventory.valuation.read: 403 without it, 401 without signing in', async () => {
    const role = await t.request({ method: 'POST', url: '/api/core/roles', payload: { name: 'stock viewer', permissions: ['inventory.stock.read'] } });
    expect(role.statusCode, role.body).toBe(201);
    const password = 'a long enough password';
    const user = await t.request({
      method: 'POST',
      url: '/api/core/users',
      payload: { email: 'viewer@example.test', name: 'Viewer', password, roleIds: [role.json().id] },
    });
    expect(user.statusCode, user.body).toBe(201);
    const session = await t.login('viewer@example.test', password);
    const payload = { method: 'fifo', system: 'perpetual', moves: houston };

    const forbidden = await t.app.inject({ method: 'POST', url: URL, headers: session.headers, payload });
    expect(expectProblem(forbidden, 403, 'forbidden').permission).toBe('inventory.valuation.read');

    expectProblem(await t.app.inject({ method: 'POST', url: URL, payload }), 401, 'unauthenticated');
  });
});
