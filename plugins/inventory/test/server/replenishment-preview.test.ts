import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, expectNoChange, expectProblem, problemFields, type TestPlatform } from '@quartermaster/testing';
import { inventoryPlugin } from '../../src/server/index.js';

const URL = '/api/inventory/replenishment/preview';

/*
 * Worked examples; test/domain/replenishment.test.ts cites the sources and the arithmetic.
 * Sharp, Inc. (Heizer & Render, Operations Management, ch. 12, Example 3): D 1,000, S $10, H $0.50 → Q* 200, $100 a year.
 */
const sharp = { annualDemand: 1000, orderCost: '10', holdingCostPerUnitYear: '0.50' };

let t: TestPlatform;
const preview = (payload: unknown) => t.request({ method: 'POST', url: URL, payload: payload as object });

beforeAll(async () => {
  t = await createTestPlatform({ plugins: [inventoryPlugin] });
  // The first request signs the administrator in, which writes rows of its own; later ones must write nothing.
  await preview(sharp);
});
afterAll(async () => {
  await t?.close();
});

describe('POST /api/inventory/replenishment/preview', () => {
  it('Sharp, Inc.: EOQ 200 needles at $100 a year, and writes nothing', async () => {
    const res = await expectNoChange(t, () => preview(sharp));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ eoq: '200', annualCostAtEoq: '100.00' });
  });

  it('rounds an irrational EOQ to 4 places and the cost to cents; adds z, safety stock and reorder point', async () => {
    // EOQ √(2·10,000·40/4) = 447.2136, cost 1,788.85; 95 % → z 1.644854; SS 1.644853627·5·√2 = 11.6309; ROP 15·2 + SS = 41.6309.
    const res = await preview({
      annualDemand: '10000',
      orderCost: 40,
      holdingCostPerUnitYear: 4,
      demandStdDevPerPeriod: 5,
      leadTimePeriods: '2',
      serviceLevel: '0.95',
      demandPerPeriod: 15,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ eoq: '447.2136', annualCostAtEoq: '1788.85', z: '1.644854', safetyStock: '11.6309', reorderPoint: '41.6309' });
  });

  it('Stevenson Example 8 with z given: SS 1.88·5 = 9.40, ROP 50 + 9.40 = 59.40; no demandPerPeriod, no reorder point', async () => {
    const withRop = await preview({ ...sharp, demandStdDevPerPeriod: 5, leadTimePeriods: 1, z: '1.88', demandPerPeriod: 50 });
    expect(withRop.statusCode, withRop.body).toBe(200);
    expect(withRop.json()).toEqual({ eoq: '200', annualCostAtEoq: '100.00', z: '1.88', safetyStock: '9.4', reorderPoint: '59.4' });
    const without = await preview({ ...sharp, demandStdDevPerPeriod: 5, leadTimePeriods: 1, z: '1.88' });
    expect(without.json()).toEqual({ eoq: '200', annualCostAtEoq: '100.00', z: '1.88', safetyStock: '9.4' });
  });

  it('Heizer & Render, variable lead time: 60/week, L 6 ± 2 weeks, z 1.28 → SS 153.6, ROP 513.6', async () => {
    const res = await preview({ ...sharp, demandStdDevPerPeriod: 0, leadTimePeriods: 6, leadTimeStdDevPeriods: 2, z: 1.28, demandPerPeriod: 60 });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ safetyStock: '153.6', reorderPoint: '513.6' });
  });

  describe('refuses malformed bodies with 400 validation problems naming the field', () => {
    const safety = { demandStdDevPerPeriod: 5, leadTimePeriods: 2 };
    it.each([
      ['a missing holding cost', { annualDemand: 1000, orderCost: 10 }, ['holdingCostPerUnitYear']],
      ['an unknown field', { ...sharp, currency: 'EUR' }, ['currency']],
      ['a non-decimal string', { ...sharp, annualDemand: '1,000' }, ['annualDemand']],
      ['a boolean (bodies are not coerced)', { ...sharp, orderCost: true }, ['orderCost']],
      ['both serviceLevel and z', { ...sharp, ...safety, serviceLevel: 0.95, z: 1.65 }, ['z']],
      ['σ without a lead time', { ...sharp, demandStdDevPerPeriod: 5, serviceLevel: 0.95 }, ['leadTimePeriods']],
      ['σ and lead time without serviceLevel or z', { ...sharp, ...safety }, ['serviceLevel']],
      ['a service level alone', { ...sharp, serviceLevel: 0.95 }, ['demandStdDevPerPeriod', 'leadTimePeriods']],
      ['demandPerPeriod alone', { ...sharp, demandPerPeriod: 15 }, ['demandStdDevPerPeriod', 'leadTimePeriods', 'serviceLevel']],
      ['lead-time variability without demandPerPeriod', { ...sharp, ...safety, z: 1.65, leadTimeStdDevPeriods: 1 }, ['demandPerPeriod']],
    ])('%s', async (_label, payload, fields) => {
      const body = expectProblem(await preview(payload), 400, 'validation');
      // Ajv may report one field several times (each branch of number | decimal string), so compare the set.
      expect([...new Set(problemFields(body))].sort()).toEqual([...fields].sort());
    });

    it('a number too large for JSON (1e999 parses to Infinity)', async () => {
      const res = await t.request({
        method: 'POST',
        url: URL,
        headers: { 'content-type': 'application/json' },
        payload: '{"annualDemand": 1e999, "orderCost": 10, "holdingCostPerUnitYear": 1}',
      });
      expect(problemFields(expectProblem(res, 400, 'validation'))).toEqual(['annualDemand']);
    });
  });

  describe('answers 422 inventory/invalid-replenishment-input for values the model cannot use', () => {
    it('zero holding cost', async () => {
      const body = expectProblem(await preview({ ...sharp, holdingCostPerUnitYear: '0.00' }), 422, 'inventory/invalid-replenishment-input');
      expect(body.errors).toEqual([{ field: 'holdingCostPerUnitYear', message: 'must be greater than 0' }]);
      expect(body.detail).toBe('holdingCostPerUnitYear: must be greater than 0');
    });

    it.each([
      ['negative demand', { ...sharp, annualDemand: '-5' }, 'annualDemand'],
      ['a service level given in percent', { ...sharp, demandStdDevPerPeriod: 5, leadTimePeriods: 2, serviceLevel: 95 }, 'serviceLevel'],
      ['a negative lead time', { ...sharp, demandStdDevPerPeriod: 5, leadTimePeriods: -1, z: 1.65 }, 'leadTimePeriods'],
    ])('%s', async (_label, payload, field) => {
      expect(problemFields(expectProblem(await preview(payload), 422, 'inventory/invalid-replenishment-input'))).toEqual([field]);
    });
  });

  it('needs inventory.stock.read: 401 without signing in, 403 without the permission', async () => {
    expectProblem(await t.app.inject({ method: 'POST', url: URL, payload: sharp }), 401, 'unauthenticated');

    const role = await t.request({ method: 'POST', url: '/api/core/roles', payload: { name: 'valuation only', permissions: ['inventory.valuation.read'] } });
    expect(role.statusCode, role.body).toBe(201);
    const password = 'a long enough password';
    const user = await t.request({ method: 'POST', url: '/api/core/users', payload: { email: 'planner@example.test', name: 'Planner', password, roleIds: [role.json().id] } });
    expect(user.statusCode, user.body).toBe(201);
    const session = await t.login('planner@example.test', password);
    const forbidden = await t.app.inject({ method: 'POST', url: URL, headers: session.headers, payload: sharp });
    expect(expectProblem(forbidden, 403, 'forbidden').permission).toBe('inventory.stock.read');
  });
});
