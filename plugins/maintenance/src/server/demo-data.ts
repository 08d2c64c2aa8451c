/**
 * A first-look maintenance organisation on top of the server's demo catalogue and fixed-assets'
 * demo assets (the delivery van, the cordless drill):
 *
 * - failure codes (problem / cause / remedy), two checklist templates ("Monthly van inspection":
 *   tyres, lights, brakes pass/fail, tyre tread depth in mm with a minimum of 3, notes), a team
 *   "Workshop" with its hourly rate and up to two users (the first users, usually the
 *   administrator) as technicians with their own rates; criticality A for the compressor and B for
 *   the van and the torque wrenches;
 * - three assets of its own: an air compressor with a runtime-hours meter (a month of readings,
 *   so the next 250-hour service is forecast) and a discharge-temperature gauge, and two torque
 *   wrenches calibrated as instruments (one current, one overdue and so blocked from check-out);
 * - plans: the van's monthly inspection (calendar, due in two days, generated three days ahead),
 *   the compressor's 250-hour service (meter), its temperature watch (above 80 °C, reset below
 *   75 °C) and the overdue wrench's yearly calibration (calendar);
 * - work orders in several states: a breakdown of the drill (requested), the wrench's calibration
 *   (scheduled for tomorrow), the van's inspection (in progress, checklist partly answered, the van
 *   in maintenance) and a repaired relief valve of the compressor (completed, its labour and
 *   external cost posted to the compressor's cost ledger).
 *
 * Maintenance's part goes through the plugin's own services, as the routes do (the three assets
 * through fixed-assets' `registerAsset` service), and generated work comes
 * from a real generation pass. Locations and items are found by their codes and SKUs; without the
 * demo locations nothing is seeded, and nothing is seeded twice.
 */
import type { PluginContext } from '@quartermaster/sdk';
import { SYSTEM_ACTOR } from '@quartermaster/core';
import { fixedAssetsService, type RegisterAssetInput } from '@quartermaster/plugin-fixed-assets/shared';
import { inventoryService } from '@quartermaster/plugin-inventory/shared';
import { addDays, utcDateOf } from '../domain/index.js';
import type { MaintenanceOptions } from './options.js';
import { createChecklistTemplate, createFailureCode, createTeam, setAssetCriticality, setTechnician } from './services/catalogue.service.js';
import { reportBreakdown } from './services/breakdowns.service.js';
import { putInstrument, recordCalibration } from './services/calibration.service.js';
import { triggerRegistryOf } from './services/generation.service.js';
import { createPlan } from './services/plans.service.js';
import { createMeasurementPoint } from './services/points.service.js';
import { pointOf, recordReading } from './services/readings.service.js';
import { runGeneration } from './services/scheduler.service.js';
import { addExternalCost, answerChecklistItem, bookLabour, runAction, type WorkOrderDeps } from './services/work-orders.service.js';

const DAY = 86_400_000;
const DEMO_ACTOR = { ...SYSTEM_ACTOR, label: 'demo data' };

/** Plan codes of the demo (the tests find the plans by them). */
export const DEMO_PLANS = { van: 'VAN-MONTHLY', compressorHours: 'CMP-250H', compressorTemperature: 'CMP-TEMP', wrenchCalibration: 'TRQ-0002-CAL' } as const;

const FAILURE_CODES = [
  ['problem', 'LEAK', 'Leaks air, oil or fluid'],
  ['problem', 'NOSTART', 'Does not start'],
  ['problem', 'NOISE', 'Abnormal noise or vibration'],
  ['problem', 'OVERHEAT', 'Runs hot or overheats'],
  ['problem', 'DAMAGE', 'Visible damage'],
  ['cause', 'WEAR', 'Normal wear and tear'],
  ['cause', 'MISUSE', 'Operated outside its limits'],
  ['cause', 'DIRT', 'Dirt or contamination'],
  ['cause', 'ELECTRIC', 'Electrical fault'],
  ['cause', 'NOPM', 'Preventive maintenance missed'],
  ['remedy', 'REPLACE', 'Part replaced'],
  ['remedy', 'REPAIR', 'Repaired in place'],
  ['remedy', 'ADJUST', 'Adjusted or re-tightened'],
  ['remedy', 'CLEAN', 'Cleaned'],
  ['remedy', 'NOFAULT', 'No fault found'],
] as const;

/** ISO 6789: ±4 % at 20, 60 and 100 % of a 40–200 N·m wrench's range. */
const WRENCH_POINTS = [40, 120, 200].map((nominal, i) => ({ label: `${[20, 60, 100][i]} % of range`, nominal, unit: 'N·m', tolerance: { percent: 4 } }));

export async function seedMaintenanceDemo(ctx: PluginContext<any>): Promise<void> {
  const options = ctx.options as MaintenanceOptions;
  const registry = triggerRegistryOf(ctx);
  const deps: WorkOrderDeps = { ctx, options, assets: ctx.services.get(fixedAssetsService), inventory: ctx.services.getOptional(inventoryService) };
  const now = Date.now();
  const today = utcDateOf(now);
  const at = (daysAgo: number, hoursAgo = 0) => new Date(now - daysAgo * DAY - hoursAgo * 3_600_000).toISOString();

  // --- 1. The catalogue, assets, readings, plans, calibrations and the repair already done.
  const seeded = await ctx.transaction(DEMO_ACTOR, async (tx) => {
    await tx.execute(`SELECT pg_advisory_xact_lock(hashtext('maintenance.demo-data'))`);
    const [done] = await tx.execute(`SELECT 1 FROM maintenance_failure_code UNION ALL SELECT 1 FROM maintenance_plan LIMIT 1`);
    if (done) return false;
    const locs = new Map((await tx.execute<{ code: string; id: string }>(`SELECT code, id FROM core_location WHERE code IS NOT NULL AND NOT archived`)).map((r) => [r.code, r.id]));
    if (!['RTM', 'TC'].every((c) => locs.has(c))) return false;
    const skus = new Map(
      (await tx.execute<{ value: string; target_id: string }>(`SELECT value, target_id FROM core_identifier WHERE type = 'sku' AND target_type = 'core.item'`)).map((r) => [r.value, r.target_id]),
    );
    const categories = new Map((await tx.execute<{ name: string; id: string }>(`SELECT name, id FROM core_category`)).map((r) => [r.name, r.id]));
    const [van] = await tx.execute<{ id: string; tag: string; name: string }>(`SELECT id, tag, name FROM fixed_assets_asset WHERE name LIKE 'Delivery van%' AND status = 'in-service' ORDER BY created_at LIMIT 1`);
    const [drill] = await tx.execute<{ id: string; tag: string; name: string }>(`SELECT id, tag, name FROM fixed_assets_asset WHERE name = 'Cordless drill 18 V' AND status = 'in-service' ORDER BY created_at LIMIT 1`);
    const [{ currency }] = await tx.execute<{ currency: string }>(`SELECT coalesce((SELECT currency FROM fixed_assets_asset GROUP BY currency ORDER BY count(*) DESC LIMIT 1), 'EUR') AS currency`);

    // Catalogue: failure codes, checklists, the workshop team and its technicians.
    for (const [kind, code, description] of FAILURE_CODES) await createFailureCode(tx, { kind, code, description });
    const vanChecklist = await createChecklistTemplate(tx, {
      name: 'Monthly van inspection',
      description: 'Walk-round check of a delivery van before it goes back on the road.',
      items: [
        { kind: 'check', label: 'Tyres: no cuts or bulges, pressure as on the door sticker' },
        { kind: 'check', label: 'Lights and indicators work' },
        { kind: 'check', label: 'Brakes: pedal feel and parking brake hold' },
        { kind: 'reading', label: 'Tyre tread depth (lowest tyre)', unit: 'mm', min: 3 },
        { kind: 'text', label: 'Notes', required: false },
      ],
    });
    const compressorChecklist = await createChecklistTemplate(tx, {
      name: 'Compressor 250-hour service',
      description: 'Screw compressor service every 250 running hours.',
      items: [
        { kind: 'check', label: 'Condensate drained from the receiver' },
        { kind: 'check', label: 'Intake air filter replaced' },
        { kind: 'check', label: 'Drive belt tension and wear' },
        { kind: 'reading', label: 'Discharge temperature at full load', unit: '°C', max: 80, pointCode: 'discharge-temp' },
        { kind: 'text', label: 'Notes', required: false },
      ],
    });
    const users = await tx.execute<{ id: string; name: string }>(`SELECT id, name FROM core_user WHERE active ORDER BY created_at, id LIMIT 2`);
    const team = await createTeam(tx, { name: 'Workshop', hourlyRate: '55.00', memberIds: users.map((u) => u.id) });
    const rates = ['62.50', '48.00'];
    for (const [i, u] of users.entries()) await setTechnician(tx, u.id, { hourlyRate: rates[i], skills: i === 0 ? ['vehicles', 'compressed air'] : ['hand tools'] });
    const [lead, second] = users;

    // The compressor and two torque wrenches, registered through fixed-assets' service (in this transaction).
    const assets = ctx.services.get(fixedAssetsService);
    const register = (a: RegisterAssetInput) => assets.registerAsset(tx, { currency, status: 'in-service', ...a });
    const compressor = await register({
      tag: 'CMP-0001',
      name: 'Screw air compressor 7.5 kW',
      serialNumber: 'SK15-2291847',
      categoryId: categories.get('Tools') ?? null,
      locationId: locs.get('RTM')!,
      supplier: 'Kaeser Kompressoren',
      purchaseDate: addDays(today, -540),
      acquisitionCost: '8950.00',
      notes: 'Workshop air, 10 bar; service every 250 running hours.',
    });
    const wrench = (tag: string, serial: string) =>
      register({
        tag,
        name: 'Torque wrench 40-200 Nm',
        serialNumber: serial,
        itemId: skus.get('TRQ-200') ?? null,
        categoryId: categories.get('Hand tools') ?? null,
        locationId: locs.get('TC')!,
        supplier: 'Gedore',
        purchaseDate: addDays(today, -800),
        acquisitionCost: '289.00',
      });
    const currentWrench = await wrench('TRQ-0001', 'GD-4550-21877');
    const overdueWrench = await wrench('TRQ-0002', 'GD-4550-21878');

    await setAssetCriticality(tx, compressor.id, 'A');
    for (const a of [van, currentWrench, overdueWrench]) if (a) await setAssetCriticality(tx, a.id, 'B');

    // Meters and gauges of the compressor, and its plans (before the readings, which they follow).
    await createMeasurementPoint(tx, compressor.id, { code: 'runtime-hours', name: 'Running hours', kind: 'meter', unit: 'h', maxRatePerDay: '24' });
    await createMeasurementPoint(tx, compressor.id, { code: 'discharge-temp', name: 'Discharge temperature', kind: 'gauge', unit: '°C' });
    await createPlan(tx, registry, {
      code: DEMO_PLANS.compressorHours,
      name: 'Compressor 250-hour service',
      triggerKind: 'meter',
      triggerConfig: { meter: 'runtime-hours', every: '250', mode: 'fixed', leadUnits: '10' },
      workOrderType: 'preventive',
      assetId: compressor.id,
      checklistTemplateId: compressorChecklist.id,
      estimatedMinutes: 90,
      teamId: team.id,
      takesOutOfService: true,
      instructions: 'Isolate and depressurise before opening. Filter: FLT-AIR-01.',
    });
    await createPlan(tx, registry, {
      code: DEMO_PLANS.compressorTemperature,
      name: 'Compressor running hot: check cooler and oil',
      triggerKind: 'condition',
      triggerConfig: { point: 'discharge-temp', kind: 'above', threshold: '80', reset: '75' },
      workOrderType: 'inspection',
      assetId: compressor.id,
      priority: 'high',
      estimatedMinutes: 30,
      teamId: team.id,
    });
    // A month of readings: about 7.5 running hours a working day, cool running.
    const hours = await pointOf(tx, compressor.id, 'runtime-hours', true);
    let value = 1180;
    for (let d = 30; d >= 0; d--) {
      const day = new Date(now - d * DAY).getUTCDay();
      if (d < 30) value += day === 0 || day === 6 ? 0 : 7.5;
      await recordReading(tx, registry, hours, { value: value.toFixed(1), readAt: at(d, 1), source: 'manual' }, { storeRejected: true, log: ctx.log });
    }
    const temperature = await pointOf(tx, compressor.id, 'discharge-temp', true);
    for (const [d, celsius] of [[6, '68.5'], [5, '71.0'], [4, '73.5'], [3, '70.0'], [2, '69.5'], [1, '72.0'], [0, '71.5']] as const) {
      await recordReading(tx, registry, temperature, { value: celsius, readAt: at(d, 2), source: 'manual' }, { storeRejected: true, log: ctx.log });
    }

    // Calibration: both wrenches are instruments; one was calibrated two months ago, the other's
    // calibration lapsed a month ago (check-out refused), with a plan for its yearly calibration.
    const instrument = { interval: { n: 12, unit: 'month' as const }, points: WRENCH_POINTS, warnDays: 30, procedure: 'ISO 6789-2: five readings at 20, 60 and 100 % of the range; adjust and record as left when out of tolerance.' };
    const fixedAssets = ctx.services.get(fixedAssetsService);
    const calibrate = async (assetId: string, performedOn: string, asFound: number[], certificateNumber: string) => {
      await putInstrument(tx, assetId, instrument);
      await recordCalibration(
        tx,
        assetId,
        { performedOn, performedBy: 'Precision Calibration Services', points: asFound.map((v) => ({ asFound: v.toFixed(1) })), certificateNumber, cost: '48.00' },
        { minorUnits: options.currencyMinorUnits, fixedAssets },
      );
    };
    await calibrate(currentWrench.id, addDays(today, -60), [40.6, 121.1, 198.9], `PCS-${addDays(today, -60).slice(0, 4)}-0412`);
    const lapsedOn = addDays(addDays(today, -35), -365);
    await calibrate(overdueWrench.id, lapsedOn, [39.2, 118.4, 203.1], `PCS-${lapsedOn.slice(0, 4)}-0117`);
    const [{ due_on: wrenchDue }] = await tx.execute<{ due_on: string }>(`SELECT due_on::text AS due_on FROM maintenance_instrument WHERE asset_id = $1`, [overdueWrench.id]);
    await createPlan(tx, registry, {
      code: DEMO_PLANS.wrenchCalibration,
      name: 'Torque wrench TRQ-0002: yearly calibration',
      triggerKind: 'calendar',
      triggerConfig: { recurrence: { type: 'interval', every: 1, unit: 'year' }, mode: 'fixed', startOn: wrenchDue, leadDays: 14 },
      workOrderType: 'calibration',
      assetId: overdueWrench.id,
      estimatedMinutes: 60,
      teamId: team.id,
      instructions: 'Send to Precision Calibration Services or calibrate on the bench tester; record the certificate.',
    });

    if (van) {
      await createPlan(tx, registry, {
        code: DEMO_PLANS.van,
        name: 'Monthly van inspection',
        triggerKind: 'calendar',
        triggerConfig: { recurrence: { type: 'interval', every: 1, unit: 'month' }, mode: 'fixed', startOn: addDays(today, 2), leadDays: 3 },
        workOrderType: 'inspection',
        assetId: van.id,
        checklistTemplateId: vanChecklist.id,
        estimatedMinutes: 45,
        teamId: team.id,
        assigneeUserId: lead?.id ?? null,
        takesOutOfService: true,
      });
    }

    // This morning's repair of the compressor, completed: labour and the valve go to its cost ledger.
    const leak = await reportBreakdown(tx, compressor, {
      description: 'Safety relief valve on the receiver blows off at 7 bar; loud hiss and the pressure drops.',
      assetDown: true,
      failedAt: at(0, 5),
      problemCode: 'LEAK',
    });
    await runAction(tx, deps, leak.id, 'approve', { note: 'Workshop air is down: repair today.' });
    await runAction(tx, deps, leak.id, 'start', {});
    if (lead) await bookLabour(tx, options, leak.id, { userId: lead.id, minutes: 90, startedAt: at(0, 3), note: 'Depressurised, removed and replaced the relief valve, leak test at 10 bar.' });
    if (second) await bookLabour(tx, options, leak.id, { userId: second.id, minutes: 30, startedAt: at(0, 3), note: 'Assisted with the leak test.' });
    await addExternalCost(tx, options, leak.id, { vendor: 'Kaeser Kompressoren', description: 'Safety relief valve 10 bar', reference: 'KK-INV-55120', amount: '86.40', incurredOn: today });
    await runAction(tx, deps, leak.id, 'complete', { causeCode: 'WEAR', remedyCode: 'REPLACE', completionNote: 'Valve seat worn; valve replaced, no leak at 10 bar.' });

    // Today's breakdown of the drill: reported, waiting for approval.
    if (drill) {
      await reportBreakdown(tx, drill, { description: 'Cuts out under load after a few seconds; smells hot around the motor vents.', assetDown: true, problemCode: 'OVERHEAT' });
    }
    return { teamId: team.id, leadId: lead?.id ?? null, vanId: van?.id ?? null };
  });
  if (!seeded) return;

  // --- 2. A generation pass (as the scheduler runs them) creates the van's inspection and the
  // wrench's calibration; then the calibration is scheduled and the inspection started.
  await runGeneration(ctx, options);
  await ctx.transaction(DEMO_ACTOR, async (tx) => {
    const order = async (code: string) =>
      (await tx.execute<{ id: string; status: string }>(`SELECT w.id, w.status FROM maintenance_work_order w JOIN maintenance_plan p ON p.id = w.plan_id WHERE p.code = $1 ORDER BY w.number LIMIT 1`, [code]))[0];
    const calibration = await order(DEMO_PLANS.wrenchCalibration);
    if (calibration?.status === 'approved') {
      const start = new Date(`${addDays(today, 1)}T07:00:00Z`);
      await runAction(tx, deps, calibration.id, 'schedule', {
        scheduledStart: start.toISOString(),
        scheduledEnd: new Date(start.getTime() + 3_600_000).toISOString(),
        assigneeUserId: seeded.leadId,
        teamId: seeded.teamId,
        note: 'Bench tester booked.',
      });
    }
    const inspection = await order(DEMO_PLANS.van);
    if (inspection?.status === 'approved') {
      await runAction(tx, deps, inspection.id, 'start', { note: 'Van in the workshop bay.' });
      const items = await tx.execute<{ id: string; position: number }>(`SELECT id, position FROM maintenance_checklist_item WHERE work_order_id = $1 ORDER BY position`, [inspection.id]);
      // Tyres and lights checked; brakes, tread depth and notes still to do.
      for (const item of items.slice(0, 2)) await answerChecklistItem(tx, registry, inspection.id, item.id, { passed: true }, ctx.log);
    }
  });
}
