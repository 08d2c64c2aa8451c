import { definePlugin, type PluginContext } from '@quartermaster/sdk';
import { identifierTargets } from '@quartermaster/core';
import { AssetCostPosted, checkOutGuards, fixedAssetsEvents, fixedAssetsService, permissions } from '../shared/index.js';
import { parseTagPattern } from '../domain/asset-tag.js';
import { FixedAssetsOptionsSchema, type FixedAssetsOptions } from './options.js';
import { registerMigration } from './migrations/0001_register.js';
import { depreciationMigration } from './migrations/0002_depreciation.js';
import { adjustmentsMigration } from './migrations/0003_adjustments.js';
import { verificationMigration } from './migrations/0004_verification.js';
import { importMigration } from './migrations/0005_import.js';
import { campaignRoutes } from './routes/campaigns.routes.js';
import { importExportRoutes } from './routes/import-export.routes.js';
import { campaignEvents } from '../shared/campaign-events.js';
import { depreciationRoutes } from './routes/depreciation.routes.js';
import { adjustmentRoutes } from './routes/adjustments.routes.js';
import { disposalRoutes } from './routes/disposal.routes.js';
import { adjustmentEvents } from '../shared/adjustment-events.js';
import { DepreciationPosted, DepreciationRunStarted, PeriodClosed } from '../shared/depreciation-events.js';
import { SYSTEM_ACTOR } from '@quartermaster/core';
import { assetRoutes } from './routes/assets.routes.js';
import { fromStockRoutes } from './routes/from-stock.routes.js';
import { bookingRoutes } from './routes/bookings.routes.js';
import { custodyRoutes } from './routes/custody.routes.js';
import { documentRoutes } from './routes/documents.routes.js';
import { kitRoutes } from './routes/kits.routes.js';
import { lifecycleRoutes } from './routes/lifecycle.routes.js';
import { personRoutes } from './routes/persons.routes.js';
import { settingsRoutes } from './routes/settings.routes.js';
import { assetTagTarget, createFixedAssetsService } from './services/fixed-assets.service.js';
import { sweepOverdue } from './services/overdue.service.js';
import { seedFixedAssetsDemo } from './demo-data.js';
import { costsMigration } from './migrations/0006_costs.js';
import { costRoutes } from './routes/costs.routes.js';
import { reportRoutes } from './routes/reports.routes.js';

export { FixedAssetsOptionsSchema, type FixedAssetsOptions };

/** One overdue timer per running platform (tests boot several in one process). */
const sweeps = new WeakMap<object, NodeJS.Timeout>();
/** The depreciation runs each running platform is posting. */
const depreciationRuns = new WeakMap<object, ReturnType<typeof depreciationRoutes>>();

export const fixedAssetsPlugin = definePlugin({
  id: 'fixed-assets',
  version: '0.1.0',
  compatibility: '^0.1.0',
  displayName: 'Fixed assets',
  description: 'Asset register, lifecycle, custody and bookings; depreciation in several books, disposal and audits.',
  options: FixedAssetsOptionsSchema,
  // Assets can be received from stock when inventory is enabled (POST /assets/from-stock).
  optionalDependsOn: { inventory: '^0.1.0' },
  permissions: [
    { id: permissions.assetRead, description: 'See the asset register, history, custody, bookings, kits and people' },
    { id: permissions.assetWrite, description: 'Register assets, change their data, status and location, attach documents, make kits' },
    { id: permissions.assetDispose, description: 'Dispose of assets (sell, scrap, donate, write off, return to supplier)' },
    { id: permissions.custodyWrite, description: 'Check assets out and in, and manage the people who hold them' },
    { id: permissions.bookingWrite, description: 'Book assets and kits, and cancel bookings' },
    { id: permissions.settingsWrite, description: 'Set tag patterns and custom fields per category' },
    // Declared with the register so roles can be set up now; the depreciation routes use them.
    { id: permissions.depreciationRead, description: 'See depreciation books, schedules and runs' },
    { id: permissions.depreciationRun, description: 'Preview and post depreciation runs' },
    { id: permissions.auditRun, description: 'Run verification campaigns (physical audits): open, scan, reconcile, close' },
  ],
  events: { emits: [...fixedAssetsEvents, DepreciationRunStarted, DepreciationPosted, PeriodClosed, AssetCostPosted, ...adjustmentEvents, ...campaignEvents] },
  extensionPoints: [checkOutGuards],
  migrations: [
    registerMigration,
    depreciationMigration,
    adjustmentsMigration,
    verificationMigration,
    importMigration,
    costsMigration,
  ],
  register(ctx) {
    const pattern = parseTagPattern(ctx.options.tagPattern);
    if (!pattern.ok) throw new Error(`fixed-assets: option tagPattern "${ctx.options.tagPattern}" ${pattern.message}`);
    // The phase-2 context of this platform, known once the service is first built (in routes()).
    let phase2: PluginContext<any> | undefined;
    ctx.provide(fixedAssetsService, (c) => createFixedAssetsService((phase2 = c)));
    ctx.extend(identifierTargets, assetTagTarget(() => phase2));
    // Depreciation: ctx.provide(depreciationMethods registry) / extension point for methods go here.
  },
  async routes(app, ctx) {
    ctx.services.get(fixedAssetsService);
    const options = ctx.options as FixedAssetsOptions;
    assetRoutes(app, ctx, options);
    fromStockRoutes(app, ctx, options);
    lifecycleRoutes(app, ctx, options);
    custodyRoutes(app, ctx, options);
    bookingRoutes(app, ctx, options);
    kitRoutes(app, ctx);
    personRoutes(app, ctx);
    campaignRoutes(app, ctx, options);
    importExportRoutes(app, ctx, options);
    documentRoutes(app, ctx, options);
    settingsRoutes(app, ctx, options);
    const runs = depreciationRoutes(app, ctx, { currencyMinorUnits: options.currencyMinorUnits, accounts: options.accounts, runBatchSize: options.runBatchSize });
    depreciationRuns.set(ctx, runs);
    adjustmentRoutes(app, ctx, { minorUnits: options.currencyMinorUnits, accounts: options.accounts });
    disposalRoutes(app, ctx, options);
    costRoutes(app, ctx, options);
    reportRoutes(app, ctx, options);
  },
  demoData: seedFixedAssetsDemo,
  async onReady(ctx) {
    // Period runs a stopped server left half-posted carry on where they stopped.
    await depreciationRuns.get(ctx)?.resume(SYSTEM_ACTOR);
    const every = ctx.options.overdueSweepSeconds;
    if (every > 0) {
      const timer = setInterval(() => {
        sweepOverdue(ctx).catch((e) => ctx.log.warn({ err: e }, 'overdue sweep failed'));
      }, every * 1000);
      timer.unref();
      sweeps.set(ctx, timer);
    }
  },
  async onClose(ctx) {
    await depreciationRuns.get(ctx)?.settle();
    clearInterval(sweeps.get(ctx));
    sweeps.delete(ctx);
  },
});

export default fixedAssetsPlugin;
