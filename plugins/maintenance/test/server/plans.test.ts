import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoChange, expectProblem, problemFields, type TestPlatform } from '@quartermaster/testing';
import { MT, NO_SUCH_ID, asset, bootMaintenance, caller, category, item } from './fixtures.js';

/**
 * Maintenance plans: creating, listing, changing and deleting them; trigger configs checked by
 * their kind; previews of the next due dates and due meter totals with forecasts.
 */

let t: TestPlatform;
let call: ReturnType<typeof caller>;
let pumps: string;
let wellPumps: string;
let pump: { id: string; tag: string };
let wellPump: { id: string; tag: string };

const monthly = { recurrence: { type: 'interval', every: 1, unit: 'month' }, mode: 'fixed', startOn: '2026-01-31' };
const plan = (body: Record<string, unknown>) => call({ method: 'POST', url: `${MT}/plans`, payload: { name: 'Monthly service', triggerKind: 'calendar', triggerConfig: monthly, ...body } }, 201);
const auditCount = async (entityId: string) => (await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM core_audit WHERE entity_type = 'maintenance.plan' AND entity_id = $1`, [entityId]))[0].n;

beforeAll(async () => {
  t = await bootMaintenance();
  call = caller(t);
  pumps = await category(t, 'Pumps');
  wellPumps = await category(t, 'Well pumps', pumps);
  pump = await asset(t, { name: 'Pump P-1', categoryId: pumps });
  wellPump = await asset(t, { name: 'Well pump W-1', categoryId: wellPumps });
});
afterAll(() => t?.close());

describe('creating plans', () => {
  it('creates a calendar plan on an asset, with defaults, audited, and reads it back', async () => {
    const p = await plan({ code: 'PM-P1', assetId: pump.id, instructions: ' Check seals ' });
    expect(p).toMatchObject({
      code: 'PM-P1',
      name: 'Monthly service',
      triggerKind: 'calendar',
      triggerConfig: monthly,
      workOrderType: 'preventive',
      assetId: pump.id,
      assetTag: pump.tag,
      categoryId: null,
      pointCode: null,
      priority: null,
      takesOutOfService: false,
      parts: [],
      instructions: 'Check seals',
      active: true,
      workOrders: 0,
      version: 1,
    });
    expect(await call({ method: 'GET', url: `${MT}/plans/${p.id}` }, 200)).toEqual(p);
    expect(await auditCount(p.id)).toBe(1);
  });

  it('creates a meter plan on a category with planned parts; the point code comes from the config', async () => {
    const filter = await item(t, 'Oil filter');
    const p = await plan({
      code: 'PM-PUMPS-250H',
      categoryId: pumps,
      triggerKind: 'meter',
      triggerConfig: { meter: 'hours', every: '250', mode: 'floating' },
      priority: 'high',
      parts: [{ itemId: filter, qty: 2 }],
    });
    expect(p).toMatchObject({ assetId: null, categoryId: pumps, categoryName: 'Pumps', pointCode: 'hours', priority: 'high', parts: [{ itemId: filter, qty: '2', locationId: null }] });
  });

  it('reports every problem of a trigger config at once, by field, and stores nothing', async () => {
    const res = await expectNoChange(t, () =>
      t.request({
        method: 'POST',
        url: `${MT}/plans`,
        payload: { code: 'BAD-1', name: 'Bad', assetId: pump.id, triggerKind: 'calendar', triggerConfig: { recurrence: { type: 'interval', every: 0, unit: 'fortnight' }, mode: 'sometimes', leadDay: 3, startOn: '2026-02-30' } },
      }),
    );
    const body = expectProblem(res, 400, 'validation');
    expect(new Set(problemFields(body))).toEqual(new Set(['triggerConfig.recurrence.unit', 'triggerConfig.mode', 'triggerConfig.leadDay', 'triggerConfig.startOn']));
  });

  it('refuses an unknown trigger kind, a plan on both an asset and a category, and on neither', async () => {
    const cases: Array<[Record<string, unknown>, string[]]> = [
      [{ triggerKind: 'lunar', assetId: pump.id }, ['triggerKind']],
      [{ assetId: pump.id, categoryId: pumps }, ['categoryId']],
      [{}, ['assetId']],
      [{ assetId: NO_SUCH_ID }, ['assetId']],
      [{ categoryId: NO_SUCH_ID }, ['categoryId']],
    ];
    for (const [payload, fields] of cases) {
      const res = await expectNoChange(t, () => t.request({ method: 'POST', url: `${MT}/plans`, payload: { code: 'BAD-2', name: 'Bad', triggerKind: 'calendar', triggerConfig: monthly, ...payload } }));
      expect(new Set(problemFields(expectProblem(res, 400, 'validation'))), JSON.stringify(payload)).toEqual(new Set(fields));
    }
  });

  it('checks that a single asset has the meter or gauge a plan reads', async () => {
    await call({ method: 'POST', url: `${MT}/assets/${pump.id}/points`, payload: { code: 'temp', name: 'Bearing temperature', kind: 'gauge', unit: '°C' } }, 201);
    const missing = await expectNoChange(t, () => t.request({ method: 'POST', url: `${MT}/plans`, payload: { code: 'BAD-3', name: 'Bad', assetId: pump.id, triggerKind: 'meter', triggerConfig: { meter: 'hours', every: 100, mode: 'fixed' } } }));
    expect(expectProblem(missing, 400, 'validation').errors).toEqual([{ field: 'triggerConfig.meter', message: 'the asset has no measurement point hours' }]);
    const wrongKind = await expectNoChange(t, () => t.request({ method: 'POST', url: `${MT}/plans`, payload: { code: 'BAD-3', name: 'Bad', assetId: pump.id, triggerKind: 'meter', triggerConfig: { meter: 'temp', every: 100, mode: 'fixed' } } }));
    expect(problemFields(expectProblem(wrongKind, 400, 'validation'))).toEqual(['triggerConfig.meter']);
    const cond = await plan({ code: 'CBM-P1-TEMP', assetId: pump.id, triggerKind: 'condition', triggerConfig: { point: 'temp', kind: 'above', threshold: '80', reset: '75' }, workOrderType: 'inspection' });
    expect(cond).toMatchObject({ triggerKind: 'condition', pointCode: 'temp', workOrderType: 'inspection' });
  });

  it('refuses a code in use with 409 maintenance/plan-code-taken', async () => {
    const res = await expectNoChange(t, () => t.request({ method: 'POST', url: `${MT}/plans`, payload: { code: 'PM-P1', name: 'Again', triggerKind: 'calendar', triggerConfig: monthly, assetId: pump.id } }));
    expect(expectProblem(res, 409, 'maintenance/plan-code-taken')).toMatchObject({ code: 'PM-P1' });
  });
});

describe('listing plans', () => {
  beforeAll(async () => {
    await plan({ code: 'PM-WELLS', categoryId: wellPumps, active: false });
  });

  it('filters by asset (own plans and those of its categories), category, kind and active, in code order', async () => {
    const codes = async (qs: string) => (await call({ method: 'GET', url: `${MT}/plans?${qs}` }, 200)).data.map((p: { code: string }) => p.code);
    expect(await codes(`assetId=${wellPump.id}`)).toEqual(['PM-PUMPS-250H', 'PM-WELLS']);
    expect(await codes(`assetId=${pump.id}`)).toEqual(['CBM-P1-TEMP', 'PM-P1', 'PM-PUMPS-250H']);
    expect(await codes(`categoryId=${pumps}`)).toEqual(['PM-PUMPS-250H']);
    expect(await codes('kind=meter')).toEqual(['PM-PUMPS-250H']);
    expect(await codes('active=false')).toEqual(['PM-WELLS']);
    expect(await codes('q=wells')).toEqual(['PM-WELLS']);
    const page = await call({ method: 'GET', url: `${MT}/plans?limit=2&offset=1` }, 200);
    expect(page).toMatchObject({ total: 4, limit: 2, offset: 1 });
    expect(page.data.map((p: { code: string }) => p.code)).toEqual(['PM-P1', 'PM-PUMPS-250H']);
  });

  it('lists the trigger kinds a plan may use', async () => {
    const kinds = await call({ method: 'GET', url: `${MT}/trigger-kinds` }, 200);
    expect(kinds.data.map((k: { kind: string }) => k.kind)).toEqual(['calendar', 'meter', 'condition']);
  });
});

describe('changing and deleting plans', () => {
  it('applies a patch, checks the whole plan again, bumps the version and audits it', async () => {
    const p = await plan({ code: 'PM-CHANGE', assetId: pump.id });
    const changed = await call({ method: 'PATCH', url: `${MT}/plans/${p.id}`, payload: { name: 'Quarterly service', triggerConfig: { ...monthly, recurrence: { type: 'interval', every: 3, unit: 'month' } }, version: 1 } }, 200);
    expect(changed).toMatchObject({ name: 'Quarterly service', triggerConfig: { recurrence: { every: 3 } }, version: 2 });
    // Moving it to a category clears the asset.
    const moved = await call({ method: 'PATCH', url: `${MT}/plans/${p.id}`, payload: { categoryId: wellPumps } }, 200);
    expect(moved).toMatchObject({ assetId: null, categoryId: wellPumps, version: 3 });
    expect(await auditCount(p.id)).toBe(3);

    const stale = await expectNoChange(t, () => t.request({ method: 'PATCH', url: `${MT}/plans/${p.id}`, payload: { name: 'Late', version: 1 } }));
    expect(expectProblem(stale, 409, 'stale-version')).toMatchObject({ currentVersion: 3 });
    const bad = await expectNoChange(t, () => t.request({ method: 'PATCH', url: `${MT}/plans/${p.id}`, payload: { triggerConfig: { ...monthly, mode: 'floating', recurrence: { type: 'cron', expression: '0 0 1 * *' } } } }));
    expect(problemFields(expectProblem(bad, 400, 'validation'))).toEqual(['triggerConfig.mode']);
  });

  it('deletes a plan that generated nothing, and refuses one with work orders (deactivate it instead)', async () => {
    const unused = await plan({ code: 'PM-UNUSED', assetId: pump.id });
    await call({ method: 'DELETE', url: `${MT}/plans/${unused.id}` }, 204);
    expectProblem(await t.request({ method: 'GET', url: `${MT}/plans/${unused.id}` }), 404, 'not-found');

    const used = await plan({ code: 'PM-USED', assetId: pump.id });
    await call({ method: 'POST', url: `${MT}/scheduler/run`, payload: { asOf: '2026-02-01' } }, 200);
    const res = await expectNoChange(t, () => t.request({ method: 'DELETE', url: `${MT}/plans/${used.id}` }));
    expect(expectProblem(res, 409, 'maintenance/plan-in-use')).toMatchObject({ workOrders: 1 });
    const off = await call({ method: 'PATCH', url: `${MT}/plans/${used.id}`, payload: { active: false } }, 200);
    expect(off).toMatchObject({ active: false, workOrders: 1 });
  });
});

describe('previews', () => {
  it('previews the next due dates of a calendar plan being edited, month ends kept', async () => {
    const preview = await call({ method: 'POST', url: `${MT}/plans/preview`, payload: { triggerKind: 'calendar', triggerConfig: monthly, from: '2026-01-01', limit: 4 } }, 200);
    expect(preview.occurrences).toEqual([
      { dueOn: '2026-01-31', dueTotal: null, forecast: false },
      { dueOn: '2026-02-28', dueTotal: null, forecast: false },
      { dueOn: '2026-03-31', dueTotal: null, forecast: false },
      { dueOn: '2026-04-30', dueTotal: null, forecast: false },
    ]);
    const bad = await t.request({ method: 'POST', url: `${MT}/plans/preview`, payload: { triggerKind: 'calendar', triggerConfig: { mode: 'fixed' } } });
    expect(problemFields(expectProblem(bad, 400, 'validation'))).toEqual(['triggerConfig.recurrence']);
  });

  it('previews due meter totals with dates forecast from the usage of the last 90 days', async () => {
    const truck = await asset(t, { name: 'Truck' });
    await call({ method: 'POST', url: `${MT}/assets/${truck.id}/points`, payload: { code: 'hours', name: 'Engine hours', kind: 'meter', unit: 'h' } }, 201);
    // 10 hours a day over ten days, read up to now.
    const now = Date.now();
    const day = (n: number) => new Date(now - n * 86_400_000).toISOString();
    await call({ method: 'POST', url: `${MT}/assets/${truck.id}/points/hours/readings`, payload: { readings: [{ value: 1000, readAt: day(10) }, { value: 1050, readAt: day(5) }, { value: 1100, readAt: day(0) }] } }, 201);
    const preview = await call({ method: 'POST', url: `${MT}/plans/preview`, payload: { triggerKind: 'meter', triggerConfig: { meter: 'hours', every: 250, mode: 'fixed' }, assetId: truck.id, limit: 2 } }, 200);
    const inDays = (n: number) => new Date(now + n * 86_400_000).toISOString().slice(0, 10);
    expect(preview).toEqual({
      triggerKind: 'meter',
      assetId: truck.id,
      // Due at totals 250 and 500 of use; 100 used so far at 10 a day.
      occurrences: [
        { dueTotal: '250', dueOn: inDays(15), forecast: true },
        { dueTotal: '500', dueOn: inDays(40), forecast: true },
      ],
      meter: { pointCode: 'hours', currentTotal: '100', ratePerDay: '10' },
    });
  });

  it('previews a saved plan for one of its assets, and refuses an asset it does not cover', async () => {
    const p = await plan({ code: 'PM-PREVIEW', categoryId: wellPumps });
    const preview = await call({ method: 'GET', url: `${MT}/plans/${p.id}/preview?assetId=${wellPump.id}&from=2026-03-01&limit=2` }, 200);
    expect(preview.occurrences.map((o: { dueOn: string }) => o.dueOn)).toEqual(['2026-03-31', '2026-04-30']);
    const res = await t.request({ method: 'GET', url: `${MT}/plans/${p.id}/preview?assetId=${pump.id}` });
    expect(problemFields(expectProblem(res, 400, 'validation'))).toEqual(['assetId']);
  });
});
