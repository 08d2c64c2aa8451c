import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, type TestPlatform } from '@quartermaster/testing';
import { fixedAssetsPlugin } from '@quartermaster/plugin-fixed-assets/server';
import { inventoryPlugin } from '@quartermaster/plugin-inventory/server';
import { maintenancePlugin } from '../../src/server/index.js';
import { DEMO_PLANS } from '../../src/server/demo-data.js';
import { FA, MT, bootMaintenance, caller, category, item } from './fixtures.js';

const day = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

// With inventory (the `all` and `healthcare` profiles) and without it (`construction`).
describe.each([
  { inventory: true, profile: 'all' },
  { inventory: false, profile: 'construction' },
])('demo data ($profile profile)', ({ inventory }) => {
  let t: TestPlatform;
  let call: ReturnType<typeof caller>;
  const orders = async () => (await call({ method: 'GET', url: `${MT}/work-orders?limit=100` }, 200)) as { total: number; data: any[] };
  const plan = async (code: string) => ((await call({ method: 'GET', url: `${MT}/plans?q=${code}` }, 200)).data as any[]).find((p) => p.code === code);
  const assetByTag = async (tag: string) => ((await call({ method: 'GET', url: `${FA}/assets?q=${encodeURIComponent(tag)}` }, 200)).data as any[]).find((a) => a.tag === tag);

  beforeAll(async () => {
    t = await bootMaintenance({ inventory });
    call = caller(t);
    // The bits of the server's demo catalogue the fixed-assets and maintenance demos build on.
    const coded = async (name: string, type: string, code: string, parentId?: string) =>
      (await call({ method: 'POST', url: '/api/core/locations', payload: { name, type, code, ...(parentId ? { parentId } : {}) } }, 201)).id as string;
    const rtm = await coded('Main DC', 'site', 'RTM');
    await coded('Tool crib', 'room', 'TC', rtm);
    await coded('Utrecht Store', 'site', 'UTR');
    const electronics = await category(t, 'Electronics');
    const laptops = await category(t, 'Laptops', electronics);
    const tools = await category(t, 'Tools');
    const power = await category(t, 'Power tools', tools);
    const hand = await category(t, 'Hand tools', tools);
    await item(t, 'Laptop 14" business', { categoryId: laptops, kind: 'asset', identifiers: [{ type: 'sku', value: 'LAP-14-BIZ' }] });
    await item(t, 'Laptop 16" workstation', { categoryId: laptops, kind: 'asset', identifiers: [{ type: 'sku', value: 'LAP-16-WS' }] });
    await item(t, 'Cordless drill 18 V', { categoryId: power, kind: 'asset', identifiers: [{ type: 'sku', value: 'DRL-18V' }] });
    await item(t, 'Torque wrench 40-200 Nm', { categoryId: hand, kind: 'asset', identifiers: [{ type: 'sku', value: 'TRQ-200' }] });
    // Demo hooks run in load order, as the server's demo loader calls them.
    if (inventory) await inventoryPlugin.demoData!(t.platform.context('inventory'));
    await fixedAssetsPlugin.demoData!(t.platform.context('fixed-assets'));
    await maintenancePlugin.demoData!(t.platform.context('maintenance'));
  });
  afterAll(() => t?.close());

  it('sets up the catalogue: failure codes, checklists, a team with its technicians, criticality', async () => {
    const codes = (await call({ method: 'GET', url: `${MT}/failure-codes` }, 200)).data as any[];
    for (const kind of ['problem', 'cause', 'remedy']) expect(codes.filter((c) => c.kind === kind).length).toBeGreaterThanOrEqual(4);
    const templates = (await call({ method: 'GET', url: `${MT}/checklist-templates` }, 200)).data as any[];
    const van = templates.find((x) => x.name === 'Monthly van inspection');
    expect(van.items.map((i: any) => [i.kind, i.required])).toEqual([['check', true], ['check', true], ['check', true], ['reading', true], ['text', false]]);
    expect(van.items[3]).toMatchObject({ unit: 'mm', min: '3', max: null });
    const [team] = (await call({ method: 'GET', url: `${MT}/teams` }, 200)).data as any[];
    expect(team).toMatchObject({ name: 'Workshop', hourlyRate: '55' });
    expect(team.members.length).toBeGreaterThanOrEqual(1);
    const technicians = (await call({ method: 'GET', url: `${MT}/technicians` }, 200)).data as any[];
    expect(technicians.every((x) => x.hourlyRate !== null)).toBe(true);
    const compressor = await assetByTag('CMP-0001');
    expect(compressor).toMatchObject({ status: 'in-service', name: 'Screw air compressor 7.5 kW' });
    expect(await call({ method: 'GET', url: `${MT}/assets/${compressor.id}/profile` }, 200)).toMatchObject({ criticality: 'A', source: 'asset' });
  });

  it('has plans of every kind that preview their next due dates; the meter plan is forecast from the readings', async () => {
    const plans = (await call({ method: 'GET', url: `${MT}/plans` }, 200)).data as any[];
    expect(plans.map((p) => [p.code, p.triggerKind]).sort()).toEqual(
      [
        [DEMO_PLANS.compressorHours, 'meter'],
        [DEMO_PLANS.compressorTemperature, 'condition'],
        [DEMO_PLANS.wrenchCalibration, 'calendar'],
        [DEMO_PLANS.van, 'calendar'],
      ].sort(),
    );
    // The van's monthly inspection: due in two days (already generated, three days ahead), then monthly.
    const van = await plan(DEMO_PLANS.van);
    const vanPreview = await call({ method: 'GET', url: `${MT}/plans/${van.id}/preview?limit=3` }, 200);
    expect(vanPreview.occurrences).toHaveLength(3);
    expect(vanPreview.occurrences[0].dueOn).toBe(day(2));
    expect(vanPreview.occurrences[1].dueOn > day(27) && vanPreview.occurrences[1].dueOn < day(35)).toBe(true);
    // 250 running hours: a month of readings gives the usage rate, so the due date is a forecast.
    const hours = await plan(DEMO_PLANS.compressorHours);
    const hoursPreview = await call({ method: 'GET', url: `${MT}/plans/${hours.id}/preview?limit=2` }, 200);
    expect(hoursPreview.occurrences[0]).toMatchObject({ dueTotal: '250', forecast: true });
    expect(hoursPreview.occurrences[0].dueOn > day(0)).toBe(true);
    expect(Number(hoursPreview.meter.currentTotal)).toBeGreaterThan(100);
    expect(Number(hoursPreview.meter.currentTotal)).toBeLessThan(250);
    expect(Number(hoursPreview.meter.ratePerDay)).toBeGreaterThan(0);
    // The temperature rule has not tripped: readings stayed below 80 °C.
    const temperature = await plan(DEMO_PLANS.compressorTemperature);
    const [state] = (await call({ method: 'GET', url: `${MT}/plans/${temperature.id}/assets` }, 200)).data as any[];
    expect(state.triggerState.tripped).toBeFalsy();
    expect(temperature.workOrders).toBe(0);
  });

  it('has work orders in several states: a requested breakdown, a scheduled calibration, an inspection in progress, a completed repair', async () => {
    const { data } = await orders();
    const byStatus = Object.fromEntries(['requested', 'scheduled', 'in-progress', 'completed'].map((s) => [s, data.filter((w) => w.status === s)]));
    expect(byStatus.requested).toMatchObject([{ type: 'corrective', assetTag: expect.any(String), assetName: 'Cordless drill 18 V', assetDown: true }]);
    expect(byStatus.scheduled).toMatchObject([{ type: 'calibration', assetTag: 'TRQ-0002', planCode: DEMO_PLANS.wrenchCalibration, overdue: true }]);
    expect(byStatus['in-progress']).toMatchObject([{ type: 'inspection', planCode: DEMO_PLANS.van }]);
    expect(byStatus.completed).toMatchObject([{ type: 'corrective', assetTag: 'CMP-0001' }]);

    // The van's inspection holds the van in maintenance; its checklist is partly answered.
    const inspection = await call({ method: 'GET', url: `${MT}/work-orders/${byStatus['in-progress'][0].id}` }, 200);
    expect(inspection.checklist).toMatchObject({ total: 5, answered: 2, canComplete: false });
    expect(inspection.assetTakenOut).toBe(true);
    const van = await call({ method: 'GET', url: `${FA}/assets/${inspection.assetId}` }, 200);
    expect(van.status).toBe('in-maintenance');
  });

  it('posted the completed repair to the compressor: the cost shows in the TCO report', async () => {
    const { data } = await orders();
    const repair = await call({ method: 'GET', url: `${MT}/work-orders/${data.find((w) => w.status === 'completed').id}` }, 200);
    expect(repair).toMatchObject({ problemCode: 'LEAK', causeCode: 'WEAR', remedyCode: 'REPLACE', assetTakenOut: false });
    expect(repair.labour.lines.length).toBeGreaterThanOrEqual(1);
    expect(repair.costs.external).toBe('86.40');
    expect(Number(repair.costs.labour)).toBeGreaterThan(0);
    expect(repair.costs.posted).toBe(repair.costs.total);
    const compressor = await call({ method: 'GET', url: `${FA}/assets/${repair.assetId}` }, 200);
    expect(compressor.status).toBe('in-service');
    const tco = (await call({ method: 'GET', url: `${FA}/reports/total-cost-of-ownership?limit=100` }, 200)).data as any[];
    const row = tco.find((r) => r.tag === 'CMP-0001');
    expect(Number(row.costs.repair)).toBe(Number(repair.costs.total));
    expect(Number(row.total)).toBe(Number(row.acquisitionCost) + Number(repair.costs.total));
    // Calibrations are costs of the wrenches too.
    expect(Number(tco.find((r) => r.tag === 'TRQ-0001').costs.calibration)).toBe(48);
  });

  it('keeps the overdue torque wrench from being checked out; the current one may go', async () => {
    const overdue = await assetByTag('TRQ-0002');
    const current = await assetByTag('TRQ-0001');
    const instruments = (await call({ method: 'GET', url: `${MT}/instruments` }, 200)).data as any[];
    expect(instruments.find((i) => i.tag === 'TRQ-0002')).toMatchObject({ status: 'overdue', lastResult: 'pass' });
    expect(instruments.find((i) => i.tag === 'TRQ-0001')).toMatchObject({ status: 'current', lastResult: 'pass' });
    const refused = await t.request({ method: 'POST', url: `${FA}/assets/${overdue.id}/check-out`, payload: { to: 'project', project: 'Bridge' } });
    expectProblem(refused, 409, 'maintenance/calibration-overdue');
    const allowed = await t.request({ method: 'POST', url: `${FA}/assets/${current.id}/check-out`, payload: { to: 'project', project: 'Bridge' } });
    expect(allowed.statusCode, allowed.body).toBeLessThan(300);
  });

  it('a generation pass afterwards creates nothing more, and the demo runs only once', async () => {
    const before = await orders();
    const run = await call({ method: 'POST', url: `${MT}/scheduler/run`, payload: {} }, 200);
    expect(run).toMatchObject({ workOrdersCreated: 0, error: null });
    expect(run.plansChecked).toBeGreaterThanOrEqual(3);
    await maintenancePlugin.demoData!(t.platform.context('maintenance'));
    const after = await orders();
    expect(after.total).toBe(before.total);
    expect((await call({ method: 'GET', url: `${MT}/plans` }, 200)).total).toBe(4);
  });
});
