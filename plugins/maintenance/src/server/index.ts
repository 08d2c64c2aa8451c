import { definePlugin, readingConsumers } from '@quartermaster/sdk';
import { checkOutGuards } from '@quartermaster/plugin-fixed-assets/shared';
import { CalibrationOverdue, WorkOrderOverdue, maintenanceEvents, maintenanceService, notificationChannels, permissions, triggerKinds } from '../shared/index.js';
import { MaintenanceOptionsSchema, type MaintenanceOptions } from './options.js';
import { maintenanceMigration } from './migrations/0001_maintenance.js';
import { categorySettingsInheritMigration } from './migrations/0005_category_settings_inherit.js';
import { deviceFeedsMigration } from './migrations/0006_device_feeds.js';
import { meterFeedConsumer } from './services/device-feeds.service.js';
import { calibrationMigration } from './migrations/0004_calibration.js';
import { workOrdersMigration } from './migrations/0003_work_orders.js';
import { catalogueRoutes } from './routes/catalogue.routes.js';
import { workOrderRoutes } from './routes/work-orders.routes.js';
import { breakdownRoutes } from './routes/breakdowns.routes.js';
import { calibrationRoutes } from './routes/calibration.routes.js';
import { reportRoutes } from './routes/reports.routes.js';
import { calibrationCheckOutGuard } from './services/calibration.service.js';
import { schedulingMigration } from './migrations/0002_scheduling.js';
import { planRoutes } from './routes/plans.routes.js';
import { readingRoutes } from './routes/readings.routes.js';
import { schedulerRoutes } from './routes/scheduler.routes.js';
import { notificationRoutes } from './routes/notifications.routes.js';
import { createMaintenanceService } from './services/maintenance.service.js';
import { overdueHandlers } from './services/notifications.service.js';
import { startScheduler, stopScheduler } from './services/scheduler.service.js';
import { seedMaintenanceDemo } from './demo-data.js';
import type { PluginContext } from '@quartermaster/sdk';

export { MaintenanceOptionsSchema, type MaintenanceOptions };

export const maintenancePlugin = definePlugin({
  id: 'maintenance',
  version: '0.1.0',
  compatibility: '^0.1.0',
  displayName: 'Maintenance',
  description: 'Preventive plans by calendar, meter and condition; work orders with checklists, labour and spare parts; calibration; maintenance reports.',
  options: MaintenanceOptionsSchema,
  dependsOn: { 'fixed-assets': '^0.1.0' },
  // Spare parts are reserved and issued from stock when inventory is enabled.
  optionalDependsOn: { inventory: '^0.1.0' },
  permissions: [
    { id: permissions.read, description: 'See maintenance plans, work orders, meters, calibration and reports' },
    { id: permissions.report, description: 'Report a breakdown of an asset (by scanning it)' },
    { id: permissions.execute, description: 'Work on work orders: checklists, labour, parts, start, hold and complete' },
    { id: permissions.manage, description: 'Create, approve, schedule, assign, close and cancel work orders' },
    { id: permissions.plan, description: 'Edit maintenance plans, checklist templates, teams, failure codes and settings' },
    { id: permissions.readings, description: 'Enter and import meter and gauge readings' },
    { id: permissions.calibrate, description: 'Record calibrations and set up instruments' },
  ],
  events: { emits: maintenanceEvents },
  extensionPoints: [notificationChannels, triggerKinds],
  migrations: [maintenanceMigration, schedulingMigration, workOrdersMigration, calibrationMigration, categorySettingsInheritMigration, deviceFeedsMigration],
  register(ctx) {
    // registrations: services, extension contributions (helpers add theirs here)
    // Instruments whose calibration is overdue (or failed) are refused check-out.
    ctx.extend(checkOutGuards, calibrationCheckOutGuard);
    // Readings from device plugins; the phase-2 context is kept for the overdue deliveries below.
    let phase2: PluginContext<any> | undefined;
    ctx.provide(maintenanceService, (c) => createMaintenanceService((phase2 = c)));
    // Meter and gauge readings from devices (a channel of a sensor feeds a measurement point).
    ctx.extend(readingConsumers, meterFeedConsumer(() => phase2));
    // Overdue work and calibrations go to every notification channel after commit (retried by the bus).
    ctx.subscribe(WorkOrderOverdue, 'notify-work-order-overdue', overdueHandlers.workOrder(() => phase2));
    ctx.subscribe(CalibrationOverdue, 'notify-calibration-overdue', overdueHandlers.calibration(() => phase2));
  },
  async routes(app, ctx) {
    const options = ctx.options as MaintenanceOptions;
    // routes: (helpers add theirs here)
    catalogueRoutes(app, ctx);
    workOrderRoutes(app, ctx, options);
    breakdownRoutes(app, ctx);
    calibrationRoutes(app, ctx, options);
    reportRoutes(app, ctx, options);
    ctx.services.get(maintenanceService);
    planRoutes(app, ctx);
    readingRoutes(app, ctx);
    schedulerRoutes(app, ctx, options);
    notificationRoutes(app, ctx);
  },
  demoData: seedMaintenanceDemo,
  async onReady(ctx) {
    // The generation queue (pg-boss) and the overdue sweep timer.
    await startScheduler(ctx, ctx.options as MaintenanceOptions);
  },
  async onClose(ctx) {
    await stopScheduler(ctx);
  },
});

export default maintenancePlugin;
