import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definePlugin } from '@quartermaster/sdk';
import { createTestPlatform, expectNoChange, expectProblem, problemFields, type TestPlatform } from '@quartermaster/testing';
import { fixedAssetsPlugin } from '@quartermaster/plugin-fixed-assets/server';
import { maintenancePlugin } from '../../src/server/index.js';
import { triggerKinds, type TriggerKind } from '../../src/shared/index.js';
import { FA, MT, asset, bootMaintenance, caller, category, eventsSince, item } from './fixtures.js';

/**
 * Generation passes: calendar and meter plans and contributed trigger kinds, on one asset or every
 * asset of a category (including assets registered later), idempotent per plan × asset × occurrence
 * — also when two scheduler instances run at once on the same database.
 */

const weekly = (startOn: string, extra: Record<string, unknown> = {}) => ({ recurrence: { type: 'interval', every: 1, unit: 'week' }, mode: 'fixed', startOn, ...extra });
const today = () => new Date().toISOString().slice(0, 10);
const addDays = (date: string, n: number) => new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

interface Wo {
  id: string;
  plan_id: string;
  asset_id: string;
  due_key: string;
  due_on: string;
  due_total: string | null;
  status: string;
  priority: string;
  type: string;
  title: string;
  description: string | null;
  generate_reason: string;
  planned_minutes: number | null;
  assignee_user_id: string | null;
}
const workOrders = (t: TestPlatform, planId: string) =>
  t.sql<Wo>(
    `SELECT id, plan_id, asset_id, due_key, due_on::text AS due_on, due_total::text AS due_total, status, priority, type, title, description, generate_reason, planned_minutes, assignee_user_id
       FROM maintenance_work_order WHERE plan_id = $1 ORDER BY asset_id, due_on, due_key`,
    [planId],
  );
const stateOf = async (t: TestPlatform, planId: string, assetId: string) =>
  (
    await t.sql<{ last_due_key: string | null; next_due_on: string | null; next_due_total: string | null; trigger_state: Record<string, unknown> }>(
      `SELECT last_due_key, next_due_on::text AS next_due_on, next_due_total::text AS next_due_total, trigger_state FROM maintenance_plan_state WHERE plan_id = $1 AND asset_id = $2`,
      [planId, assetId],
    )
  )[0];

describe('one platform', () => {
  let t: TestPlatform;
  let call: ReturnType<typeof caller>;
  const run = (asOf: string) => call({ method: 'POST', url: `${MT}/scheduler/run`, payload: { asOf } }, 200);
  const plan = (body: Record<string, unknown>) => call({ method: 'POST', url: `${MT}/plans`, payload: { name: 'Weekly check', triggerKind: 'calendar', ...body } }, 201);

  beforeAll(async () => {
    t = await bootMaintenance({ options: { scheduler: { batchSize: 2 } } });
    call = caller(t);
  });
  afterAll(() => t?.close());

  it('generates the latest missed occurrence of a fixed calendar plan once, with everything the plan says', async () => {
    const a = await asset(t, { name: 'Press' });
    const filter = await item(t, 'Filter');
    const tpl = await call({ method: 'POST', url: `${MT}/checklist-templates`, payload: { name: 'Press check', items: [{ kind: 'check', label: 'Guards' }] } }, 201);
    const p = await plan({
      code: 'PM-PRESS',
      assetId: a.id,
      triggerConfig: weekly('2026-01-05'),
      estimatedMinutes: 45,
      instructions: 'Lubricate the ram',
      checklistTemplateId: tpl.id,
      parts: [{ itemId: filter, qty: '1' }],
    });
    const from = t.events.length;
    const first = await run('2026-02-01');
    expect(first).toMatchObject({ asOf: '2026-02-01', workOrdersCreated: 1, error: null });
    expect(first.plansChecked).toBeGreaterThanOrEqual(1);
    const [wo] = await workOrders(t, p.id);
    // Weekly from Monday 5 January: 26 January is the latest due date before 1 February; the three before it are not generated.
    expect(wo).toMatchObject({ asset_id: a.id, due_key: '2026-01-26', due_on: '2026-01-26', status: 'approved', type: 'preventive', title: 'Weekly check', description: 'Lubricate the ram', planned_minutes: 45 });
    expect(wo.generate_reason).toContain('3 earlier missed due dates (2026-01-05 to 2026-01-19) not generated');
    expect(eventsSince(t, from)).toEqual(['maintenance.work-order.created']);
    const detail = await call({ method: 'GET', url: `${MT}/work-orders/${wo.id}` }, 200);
    expect(detail.checklist.items.map((i: { label: string }) => i.label)).toEqual(['Guards']);
    expect(detail.parts.map((x: { itemId: string; qty: string; status: string }) => [x.itemId, x.qty, x.status])).toEqual([[filter, '1', 'planned']]);
    expect(await stateOf(t, p.id, a.id)).toMatchObject({ last_due_key: '2026-01-26', next_due_on: '2026-02-02', trigger_state: { startOn: '2026-01-05', lastGeneratedDueOn: '2026-01-26' } });

    // The same day again, and the day after: nothing new. A week on: the next one.
    expect((await run('2026-02-01')).workOrdersCreated).toBe(0);
    expect((await run('2026-02-02')).workOrdersCreated).toBe(1);
    expect((await workOrders(t, p.id)).map((w) => w.due_key)).toEqual(['2026-01-26', '2026-02-02']);
  });

  it('creates the work order lead days ahead of its due date', async () => {
    const a = await asset(t, { name: 'Lathe' });
    const p = await plan({ code: 'PM-LATHE', assetId: a.id, triggerConfig: weekly('2026-03-02', { leadDays: 3 }) });
    await run('2026-02-26');
    expect(await workOrders(t, p.id)).toEqual([]);
    await run('2026-02-27');
    expect((await workOrders(t, p.id)).map((w) => [w.due_on, w.status])).toEqual([['2026-03-02', 'approved']]);
  });

  it('covers every asset of a category subtree, including assets registered later, and skips assets not in use', async () => {
    const fleet = await category(t, 'Fleet');
    const vans = await category(t, 'Vans', fleet);
    const truck = await asset(t, { name: 'Truck', categoryId: fleet });
    const van = await asset(t, { name: 'Van', categoryId: vans });
    const retired = await asset(t, { name: 'Old van', categoryId: vans });
    await call({ method: 'POST', url: `${FA}/assets/${retired.id}/transitions`, payload: { to: 'retired' } }, 200);
    const ordered = await asset(t, { name: 'Ordered van', categoryId: vans, status: 'ordered' });
    const p = await plan({ code: 'PM-FLEET', categoryId: fleet, triggerConfig: weekly('2026-01-05') });
    await run('2026-01-06');
    expect((await workOrders(t, p.id)).map((w) => [w.asset_id, w.due_key]).sort()).toEqual([[truck.id, '2026-01-05'], [van.id, '2026-01-05']].sort());

    // A van registered in the category afterwards inherits the plan on the next pass.
    const newVan = await asset(t, { name: 'New van', categoryId: vans });
    await run('2026-01-07');
    const generated = await workOrders(t, p.id);
    expect(generated.filter((w) => w.asset_id === newVan.id).map((w) => w.due_key)).toEqual(['2026-01-05']);
    expect(generated.filter((w) => w.asset_id === retired.id || w.asset_id === ordered.id)).toEqual([]);
    const assets = await call({ method: 'GET', url: `${MT}/plans/${p.id}/assets` }, 200);
    expect(assets.total).toBe(3);
    expect(assets.data.every((x: { nextDueOn: string }) => x.nextDueOn === '2026-01-12')).toBe(true);
  });

  it('takes the priority from the plan, or from the asset criticality', async () => {
    const critical = await asset(t, { name: 'Critical compressor' });
    const ordinary = await asset(t, { name: 'Ordinary compressor' });
    await call({ method: 'PUT', url: `${MT}/assets/${critical.id}/profile`, payload: { criticality: 'A' } }, 200);
    const derived = await plan({ code: 'PM-CRIT', assetId: critical.id, triggerConfig: weekly('2026-01-05') });
    const derived2 = await plan({ code: 'PM-ORD', assetId: ordinary.id, triggerConfig: weekly('2026-01-05') });
    const urgent = await plan({ code: 'PM-URGENT', assetId: ordinary.id, triggerConfig: weekly('2026-01-05'), priority: 'urgent', workOrderType: 'inspection' });
    await run('2026-01-05');
    expect((await workOrders(t, derived.id))[0].priority).toBe('high');
    expect((await workOrders(t, derived2.id))[0].priority).toBe('low');
    expect((await workOrders(t, urgent.id))[0]).toMatchObject({ priority: 'urgent', type: 'inspection' });
  });

  it('counts a floating plan from the last completion', async () => {
    const a = await asset(t, { name: 'Boiler' });
    const p = await plan({ code: 'PM-BOILER', assetId: a.id, triggerConfig: { recurrence: { type: 'interval', every: 30, unit: 'day' }, mode: 'floating', startOn: '2026-01-01' } });
    await run('2026-01-02');
    const [wo] = await workOrders(t, p.id);
    expect(wo.due_on).toBe('2026-01-01');
    // Done late, today: the next one is due 30 days from today, not from 1 January.
    await call({ method: 'POST', url: `${MT}/work-orders/${wo.id}/start`, payload: {} }, 200);
    await call({ method: 'POST', url: `${MT}/work-orders/${wo.id}/complete`, payload: {} }, 200);
    await run(today());
    expect((await workOrders(t, p.id)).map((w) => w.due_on)).toEqual(['2026-01-01']);
    expect(await stateOf(t, p.id, a.id)).toMatchObject({ next_due_on: addDays(today(), 30) });
    const preview = await call({ method: 'GET', url: `${MT}/plans/${p.id}/preview?limit=2` }, 200);
    expect(preview.occurrences.map((o: { dueOn: string }) => o.dueOn)).toEqual([addDays(today(), 30), addDays(today(), 60)]);
  });

  it('generates a meter plan whose due total the meter already passed', async () => {
    const a = await asset(t, { name: 'Generator' });
    await call({ method: 'POST', url: `${MT}/assets/${a.id}/points`, payload: { code: 'hours', name: 'Hours', kind: 'meter', unit: 'h' } }, 201);
    const now = Date.now();
    await call({ method: 'POST', url: `${MT}/assets/${a.id}/points/hours/readings`, payload: { readings: [{ value: 0, readAt: new Date(now - 20 * 86_400_000).toISOString() }, { value: 320, readAt: new Date(now - 86_400_000).toISOString() }] } }, 201);
    const p = await plan({ code: 'PM-GEN-100H', assetId: a.id, triggerKind: 'meter', triggerConfig: { meter: 'hours', every: '100', mode: 'fixed' } });
    await run(today());
    await run(today());
    // The meter jumped past 100, 200 and 300: one work order, for 300.
    expect((await workOrders(t, p.id)).map((w) => [w.due_key, w.due_total, w.due_on])).toEqual([['meter:300', '300', today()]]);
    expect(await stateOf(t, p.id, a.id)).toMatchObject({ last_due_key: 'meter:300', next_due_total: '400' });
  });

  it('works through more plans than one batch, and lists the passes newest first', async () => {
    const a = await asset(t, { name: 'Conveyor' });
    const ids = [];
    for (let i = 1; i <= 5; i++) ids.push((await plan({ code: `PM-CONV-${i}`, assetId: a.id, triggerConfig: weekly('2026-04-06') })).id);
    const pass = await run('2026-04-06');
    expect(pass.workOrdersCreated).toBe(5);
    for (const id of ids) expect((await workOrders(t, id)).map((w) => w.due_key)).toEqual(['2026-04-06']);
    const runs = await call({ method: 'GET', url: `${MT}/scheduler/runs?limit=1` }, 200);
    expect(runs.data).toEqual([pass]);
    expect(runs.total).toBeGreaterThan(1);
  });

  it('refuses a pass in the future, and changes nothing', async () => {
    const res = await expectNoChange(t, () => t.request({ method: 'POST', url: `${MT}/scheduler/run`, payload: { asOf: addDays(today(), 1) } }));
    expect(problemFields(expectProblem(res, 400, 'validation'))).toEqual(['asOf']);
  });
});

describe('two scheduler instances on one database', () => {
  let first: TestPlatform;
  let second: TestPlatform;

  beforeAll(async () => {
    first = await bootMaintenance({ options: { scheduler: { batchSize: 7 } } });
    second = await createTestPlatform({
      plugins: [fixedAssetsPlugin, maintenancePlugin],
      databaseUrl: first.databaseUrl,
      enable: { 'fixed-assets': { overdueSweepSeconds: 0 }, maintenance: { scheduler: { enabled: false, overdueSweepSeconds: 0, batchSize: 7 } } },
    });
  });
  afterAll(async () => {
    await second?.close();
    await first?.close();
  });

  it('generates exactly one work order per plan × asset × due date however the passes interleave', async () => {
    const call = caller(first);
    const machines = await category(first, 'Machines');
    const assets = [];
    for (let i = 0; i < 12; i++) assets.push(await asset(first, { name: `Machine ${i}`, categoryId: machines }));
    const plans = [(await call({ method: 'POST', url: `${MT}/plans`, payload: { code: 'PM-MACHINES', name: 'Weekly', categoryId: machines, triggerKind: 'calendar', triggerConfig: weekly('2026-01-05') } }, 201)).id];
    for (let i = 0; i < 20; i++)
      plans.push((await call({ method: 'POST', url: `${MT}/plans`, payload: { code: `PM-M-${i}`, name: 'Weekly', assetId: assets[i % 12].id, triggerKind: 'calendar', triggerConfig: weekly('2026-01-05') } }, 201)).id);
    const pairs = 12 + 20;

    // Three weeks, each run by both instances at the same moment, twice.
    const rounds = ['2026-03-01', '2026-03-01', '2026-03-08', '2026-03-08', '2026-03-15'];
    const created: number[] = [];
    for (const asOf of rounds) {
      const [a, b] = await Promise.all([first, second].map((t) => caller(t)({ method: 'POST', url: `${MT}/scheduler/run`, payload: { asOf } }, 200)));
      expect([a.error, b.error]).toEqual([null, null]);
      expect(a.instance).not.toBe(b.instance);
      created.push(a.workOrdersCreated + b.workOrdersCreated);
    }
    // Each week's occurrence is created once, by whichever instance got there first.
    expect(created).toEqual([pairs, 0, pairs, 0, pairs]);
    const rows = await first.sql<{ n: number; distinct_n: number; keys: string[] }>(
      `SELECT count(*)::int AS n, count(DISTINCT (plan_id, asset_id, due_key))::int AS distinct_n, array_agg(DISTINCT due_key ORDER BY due_key) AS keys
         FROM maintenance_work_order WHERE plan_id = ANY($1::uuid[])`,
      [plans],
    );
    expect(rows[0]).toEqual({ n: 3 * pairs, distinct_n: 3 * pairs, keys: ['2026-02-23', '2026-03-02', '2026-03-09'] });
    const events = [...first.events, ...second.events].filter((e) => e.name === 'maintenance.work-order.created');
    expect(events).toHaveLength(3 * pairs);
  });
});

describe('trigger kinds contributed by another plugin', () => {
  /** A plan that falls due on a list of dates (a shutdown schedule agreed with production). */
  const onDates: TriggerKind<{ dates: string[] }, { done: string[] }> = {
    kind: 'shutdowns.on-dates',
    title: 'On agreed shutdown dates',
    validate(config) {
      const dates = (config as { dates?: unknown }).dates;
      if (!Array.isArray(dates) || !dates.length) return [{ field: 'dates', message: 'must be a list of dates' }];
      return dates.flatMap((d, i) => (typeof d === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(d) ? [] : [{ field: `dates.${i}`, message: 'must be a date YYYY-MM-DD' }]));
    },
    initialState: () => ({ done: [] }),
    due(config, state, input) {
      const due = config.dates.filter((d) => d <= input.today && !state.done.includes(d));
      if (!due.length) return { work: [], state };
      return { work: due.map((d) => ({ dueKey: `shutdown:${d}`, dueOn: d, generateReason: `Shutdown on ${d}.` })), state: { done: [...state.done, ...due] } };
    },
    preview: (config, _state, from, limit) => config.dates.filter((d) => d >= from).slice(0, limit),
  };
  const shutdowns = definePlugin({
    id: 'shutdowns',
    version: '1.0.0',
    compatibility: '^0.1.0',
    dependsOn: { maintenance: '^0.1.0' },
    register(ctx) {
      ctx.extend(triggerKinds, onDates);
    },
  });

  let t: TestPlatform;
  beforeAll(async () => {
    t = await createTestPlatform({
      plugins: [fixedAssetsPlugin, maintenancePlugin, shutdowns],
      enable: { 'fixed-assets': { overdueSweepSeconds: 0 }, maintenance: { scheduler: { enabled: false, overdueSweepSeconds: 0 } }, shutdowns: {} },
    });
  });
  afterAll(() => t?.close());

  it('offers the kind, validates plans with it, previews and generates them', async () => {
    const call = caller(t);
    expect((await call({ method: 'GET', url: `${MT}/trigger-kinds` }, 200)).data).toContainEqual({ kind: 'shutdowns.on-dates', title: 'On agreed shutdown dates', preview: true });
    const a = await asset(t, { name: 'Kiln' });
    const bad = await expectNoChange(t, () => t.request({ method: 'POST', url: `${MT}/plans`, payload: { code: 'SD-KILN', name: 'Kiln relining', assetId: a.id, triggerKind: 'shutdowns.on-dates', triggerConfig: { dates: ['2026-05-01', 'May 2'] } } }));
    expect(problemFields(expectProblem(bad, 400, 'validation'))).toEqual(['triggerConfig.dates.1']);
    const p = await call({ method: 'POST', url: `${MT}/plans`, payload: { code: 'SD-KILN', name: 'Kiln relining', assetId: a.id, triggerKind: 'shutdowns.on-dates', triggerConfig: { dates: ['2026-05-01', '2026-08-14'] } } }, 201);
    expect((await call({ method: 'GET', url: `${MT}/plans/${p.id}/preview?from=2026-06-01` }, 200)).occurrences).toEqual([{ dueOn: '2026-08-14', dueTotal: null, forecast: false }]);
    await call({ method: 'POST', url: `${MT}/scheduler/run`, payload: { asOf: '2026-05-02' } }, 200);
    await call({ method: 'POST', url: `${MT}/scheduler/run`, payload: { asOf: '2026-05-03' } }, 200);
    expect((await workOrders(t, p.id)).map((w) => [w.due_key, w.due_on])).toEqual([['shutdown:2026-05-01', '2026-05-01']]);
    expect(await stateOf(t, p.id, a.id)).toMatchObject({ next_due_on: '2026-08-14', trigger_state: { done: ['2026-05-01'] } });
  });
});
