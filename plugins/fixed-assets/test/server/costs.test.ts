import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Type, definePlugin, problems } from '@quartermaster/sdk';
import { createTestPlatform, expectNoChange, expectProblem, problemFields, type TestPlatform } from '@quartermaster/testing';
import { fixedAssetsPlugin } from '../../src/server/index.js';
import { fixedAssetsService } from '../../src/shared/index.js';
import { FA, asset, caller, category } from './fixtures.js';

/**
 * The cost-of-ownership ledger: entries made by hand, entries another plugin posts through the
 * SDK service inside its own transaction (idempotent per reference), and the total cost of
 * ownership report.
 */

/** A small plugin that, like the maintenance plugin, posts the cost of a finished work order. */
const workshop = definePlugin({
  id: 'workshop',
  version: '1.0.0',
  compatibility: '^0.1.0',
  dependsOn: { 'fixed-assets': '^0.1.0' },
  permissions: [{ id: 'workshop.orders.write', description: 'Finish work orders' }],
  routes(app, ctx) {
    app.post(
      '/orders/:ref/finish',
      {
        config: { permission: 'workshop.orders.write' },
        schema: {
          params: Type.Object({ ref: Type.String() }),
          body: Type.Object({ assetId: Type.String(), amount: Type.String(), kind: Type.Optional(Type.String()), currency: Type.Optional(Type.String()), thenFail: Type.Optional(Type.Boolean()) }),
        },
      },
      async (req) => {
        const assets = ctx.services.get(fixedAssetsService);
        const b = req.body;
        return ctx.transaction(req.actor, async (tx) => {
          const entry = await assets.postCost(tx, {
            assetId: b.assetId,
            incurredOn: '2026-03-05',
            kind: (b.kind ?? 'repair') as never,
            amount: b.amount,
            currency: b.currency,
            source: 'workshop',
            sourceRef: req.params.ref,
            description: `Work order ${req.params.ref}`,
          });
          // The work order itself fails after the cost was posted: the cost goes with it.
          if (b.thenFail) throw problems.conflict('workshop/parts-missing', 'Parts missing', 'The parts did not arrive');
          return entry;
        });
      },
    );
  },
});

let t: TestPlatform;
let call: ReturnType<typeof caller>;
let fleet: string;
beforeAll(async () => {
  t = await createTestPlatform({ plugins: [fixedAssetsPlugin, workshop], enable: { 'fixed-assets': { overdueSweepSeconds: 0 }, workshop: {} } });
  call = caller(t);
  fleet = await category(t, 'Fleet');
});
afterAll(() => t?.close());

const costPosted = () => t.events.filter((e) => e.name === 'fixed-assets.asset.cost-posted');

describe('costs entered by hand', () => {
  let forklift: { id: string; tag: string };
  beforeAll(async () => {
    forklift = await asset(t, { name: 'Forklift', categoryId: fleet, acquisitionCost: '10000', purchaseDate: '2026-01-01' });
  });

  test('an entry is recorded, announced, in the asset history, and listed with sums per kind', async () => {
    const before = costPosted().length;
    const e = await call({ method: 'POST', url: `${FA}/assets/${forklift.id}/costs`, payload: { incurredOn: '2026-02-10', kind: 'maintenance', amount: 200, description: 'Service A' } }, 201);
    expect(e).toMatchObject({ assetId: forklift.id, incurredOn: '2026-02-10', kind: 'maintenance', amount: '200.00', currency: 'EUR', source: 'manual', sourceRef: null, description: 'Service A', createdBy: 'admin@example.test' });
    expect(costPosted().slice(before).map((x) => x.payload)).toEqual([
      { id: forklift.id, tag: forklift.tag, costId: e.id, kind: 'maintenance', amount: '200.00', currency: 'EUR', incurredOn: '2026-02-10', source: 'manual', sourceRef: null, description: 'Service A' },
    ]);
    const history = await call({ method: 'GET', url: `${FA}/assets/${forklift.id}/history` }, 200);
    expect(history.data[0]).toMatchObject({ type: 'cost-posted', data: { costId: e.id, amount: '200.00' } });

    await call({ method: 'POST', url: `${FA}/assets/${forklift.id}/costs`, payload: { incurredOn: '2026-03-05', kind: 'repair', amount: '350.50' } }, 201);
    await call({ method: 'POST', url: `${FA}/assets/${forklift.id}/costs`, payload: { incurredOn: '2026-03-20', kind: 'fuel', amount: '49.5' } }, 201);
    await call({ method: 'POST', url: `${FA}/assets/${forklift.id}/costs`, payload: { incurredOn: '2026-01-15', kind: 'insurance', amount: '400.00', reference: 'POL-77' } }, 201);

    const list = await call({ method: 'GET', url: `${FA}/assets/${forklift.id}/costs` }, 200);
    expect(list.data.map((x: { incurredOn: string; amount: string }) => [x.incurredOn, x.amount])).toEqual([
      ['2026-03-20', '49.50'],
      ['2026-03-05', '350.50'],
      ['2026-02-10', '200.00'],
      ['2026-01-15', '400.00'],
    ]);
    expect(list).toMatchObject({ total: 4, currency: 'EUR', totals: { amount: '1000.00', byKind: { maintenance: '200.00', repair: '350.50', fuel: '49.50', insurance: '400.00', acquisition: '0.00' } } });
    const march = await call({ method: 'GET', url: `${FA}/assets/${forklift.id}/costs?from=2026-03-01&to=2026-03-31&kind=repair&kind=fuel` }, 200);
    expect(march).toMatchObject({ total: 2, totals: { amount: '400.00' } });
  });

  test('the same reference again enters nothing new; with another amount it is a conflict', async () => {
    const again = await call({ method: 'POST', url: `${FA}/assets/${forklift.id}/costs`, payload: { incurredOn: '2026-01-15', kind: 'insurance', amount: 400, reference: 'POL-77' } }, 200);
    expect(again).toMatchObject({ sourceRef: 'POL-77', amount: '400.00' });
    await expectNoChange(t, async () => {
      const res = await t.request({ method: 'POST', url: `${FA}/assets/${forklift.id}/costs`, payload: { incurredOn: '2026-01-15', kind: 'insurance', amount: 450, reference: 'POL-77' } });
      expect(expectProblem(res, 409, 'fixed-assets/cost-ref-conflict')).toMatchObject({ field: 'reference', costId: again.id, differs: ['amount'] });
    });
  });

  test('bad entries are refused naming each field, and write nothing', async () => {
    await expectNoChange(t, async () => {
      const res = await t.request({ method: 'POST', url: `${FA}/assets/${forklift.id}/costs`, payload: { incurredOn: '2026-01-15', kind: 'fuel', amount: '1.005', currency: 'USD' } });
      expect(new Set(problemFields(expectProblem(res, 400, 'validation')))).toEqual(new Set(['amount']));
      const usd = await t.request({ method: 'POST', url: `${FA}/assets/${forklift.id}/costs`, payload: { incurredOn: '2026-01-15', kind: 'fuel', amount: '1', currency: 'USD' } });
      expect(problemFields(expectProblem(usd, 400, 'validation'))).toEqual(['currency']);
    });
  });
});

describe('costs posted by another plugin through fixedAssetsService.postCost', () => {
  let truck: { id: string; tag: string };
  beforeAll(async () => {
    truck = await asset(t, { name: 'Truck', categoryId: fleet, acquisitionCost: '50000', purchaseDate: '2026-01-01' });
  });
  const finish = (ref: string, body: Record<string, unknown>) => t.request({ method: 'POST', url: `/api/workshop/orders/${ref}/finish`, payload: { assetId: truck.id, amount: '180.00', ...body } });

  test('posts in the caller\'s transaction, once per reference, and announces it once after commit', async () => {
    const before = costPosted().length;
    const first = await finish('WO-1', {});
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ created: true, assetId: truck.id, kind: 'repair', amount: '180.00', currency: 'EUR', source: 'workshop', sourceRef: 'WO-1', description: 'Work order WO-1' });
    // Announced by fixed-assets, committed with the workshop's transaction.
    expect(costPosted().length).toBe(before + 1);
    expect(costPosted().at(-1)!).toMatchObject({ source: 'fixed-assets', payload: { id: truck.id, costId: first.json().id, source: 'workshop', sourceRef: 'WO-1', amount: '180.00' } });

    // The workshop retries: the same entry, nothing new, nothing announced again.
    const retry = await finish('WO-1', {});
    expect(retry.json()).toMatchObject({ created: false, id: first.json().id });
    await call({ method: 'GET', url: `${FA}/assets/${truck.id}/costs` }, 200);
    expect(costPosted().length).toBe(before + 1);
    expect(await t.sql(`SELECT count(*)::int AS n FROM fixed_assets_cost_entry WHERE source = 'workshop' AND source_ref = 'WO-1'`)).toEqual([{ n: 1 }]);

    expectProblem(await finish('WO-1', { amount: '190.00' }), 409, 'fixed-assets/cost-ref-conflict');
  });

  test('a cost posted in a transaction that rolls back is not there and is never announced', async () => {
    const before = costPosted().length;
    expectProblem(await finish('WO-2', { thenFail: true }), 409, 'workshop/parts-missing');
    expect(await t.sql(`SELECT count(*)::int AS n FROM fixed_assets_cost_entry WHERE source_ref = 'WO-2'`)).toEqual([{ n: 0 }]);
    await call({ method: 'GET', url: `${FA}/assets/${truck.id}/costs` }, 200);
    expect(costPosted().length).toBe(before);
  });

  test('what the caller gets wrong comes back as problems naming the fields', async () => {
    const bad = await finish('WO-3', { kind: 'bribe', amount: '-5' });
    expect(new Set(problemFields(expectProblem(bad, 400, 'validation')))).toEqual(new Set(['kind', 'amount']));
    expectProblem(await t.request({ method: 'POST', url: '/api/workshop/orders/WO-4/finish', payload: { assetId: '00000000-0000-4000-8000-000000000000', amount: '1' } }), 404, 'not-found');
    expect(problemFields(expectProblem(await finish('WO-5', { currency: 'USD' }), 400, 'validation'))).toEqual(['currency']);
  });
});

describe('GET /reports/total-cost-of-ownership', () => {
  test('acquisition cost, costs per kind in the window, total and cost per day owned', async () => {
    // The forklift (10,000 on 1 January; 200 + 350.50 + 49.50 + 400 of costs), the truck (50,000; a 180 repair on
    // 5 March), and a trailer scrapped on 14 February (1,000, no costs).
    const trailer = await asset(t, { name: 'Trailer', categoryId: fleet, acquisitionCost: '1000', purchaseDate: '2026-01-01' });
    await t.sql(`UPDATE fixed_assets_asset SET status = 'disposed', disposal_kind = 'scrapped', disposed_on = '2026-02-14' WHERE id = $1`, [trailer.id]);

    const q1 = await call({ method: 'GET', url: `${FA}/reports/total-cost-of-ownership?from=2026-01-01&to=2026-03-31&categoryId=${fleet}` }, 200);
    expect(q1).toMatchObject({ from: '2026-01-01', to: '2026-03-31', total: 3 });
    const rows = Object.fromEntries(q1.data.map((r: { name: string }) => [r.name, r]));
    // 11,000 over the 90 days of January–March.
    expect(rows.Forklift).toMatchObject({
      acquiredOn: '2026-01-01',
      acquisitionCost: '10000.00',
      costs: { acquisition: '0.00', maintenance: '200.00', repair: '350.50', calibration: '0.00', fuel: '49.50', insurance: '400.00', other: '0.00' },
      total: '11000.00',
      daysOwned: 90,
      costPerDay: '122.22',
    });
    expect(rows.Truck).toMatchObject({ total: '50180.00', daysOwned: 90, costPerDay: '557.56' });
    // Owned 1 January – 14 February: 45 days.
    expect(rows.Trailer).toMatchObject({ disposedOn: '2026-02-14', total: '1000.00', daysOwned: 45, costPerDay: '22.22' });
    expect(q1.data.map((r: { name: string }) => r.name)).toEqual(['Truck', 'Forklift', 'Trailer']);
    expect(q1.totals).toEqual([
      {
        currency: 'EUR',
        assets: 3,
        acquisitionCost: '61000.00',
        costs: { acquisition: '0.00', maintenance: '200.00', repair: '530.50', calibration: '0.00', fuel: '49.50', insurance: '400.00', other: '0.00' },
        total: '62180.00',
      },
    ]);

    // February alone: bought before it, so only February's costs; the trailer owned 14 days.
    const feb = await call({ method: 'GET', url: `${FA}/reports/total-cost-of-ownership?from=2026-02-01&to=2026-02-28&categoryId=${fleet}` }, 200);
    expect(feb.data.map((r: { name: string; acquisitionCost: string; total: string; daysOwned: number; costPerDay: string }) => [r.name, r.acquisitionCost, r.total, r.daysOwned, r.costPerDay])).toEqual([
      ['Forklift', '0.00', '200.00', 28, '7.14'],
      // Equal totals in tag order (the truck was registered first).
      ['Truck', '0.00', '0.00', 28, '0.00'],
      ['Trailer', '0.00', '0.00', 14, '0.00'],
    ]);

    const csv = await t.request({ method: 'GET', url: `${FA}/reports/total-cost-of-ownership?from=2026-01-01&to=2026-03-31&categoryId=${fleet}&format=csv` });
    expect(csv.headers['content-disposition']).toBe('attachment; filename="fixed-assets-total-cost-of-ownership-2026-01-01-2026-03-31.csv"');
    const lines = csv.body.split('\r\n').filter(Boolean);
    expect(lines[0]).toBe('tag,asset,status,currency,acquired_on,disposed_on,acquisition_cost,acquisition,maintenance,repair,calibration,fuel,insurance,other,total,days_owned,cost_per_day');
    expect(lines).toContain(`${rows.Forklift.tag},Forklift,in-service,EUR,2026-01-01,,10000.00,0.00,200.00,350.50,0.00,49.50,400.00,0.00,11000.00,90,122.22`);
    expect(lines).toHaveLength(4);
  });
});
