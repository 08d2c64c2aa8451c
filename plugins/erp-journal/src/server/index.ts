/**
 * The ERP journal connector: double-entry journal entries from inventory and fixed-asset events,
 * a chart of accounts per category and site, CSV/JSON export, an idempotent push to an ERP over
 * HTTP, and period close. Written only against @quartermaster/sdk, as a third party would: it
 * learns of other plugins through their events (by name) and the core's catalogue service.
 */
import { createServiceRef, definePlugin, postingPeriodGuards, type PluginContext } from '@quartermaster/sdk';
import { erpJournalEvents, permissions } from '../shared/index.js';
import { FixedAssetCreated, FixedAssetDisposed, FixedAssetsDepreciationPosted, InventoryCostAdjusted, InventoryMovePosted, upstreamEvents } from '../shared/upstream-events.js';
import { journalMigration } from './migrations/0001_journal.js';
import { ErpJournalOptionsSchema, type ErpJournalOptions } from './options.js';
import { accountRoutes } from './routes/accounts.routes.js';
import { journalRoutes } from './routes/journal.routes.js';
import { periodGuard } from './services/periods.service.js';
import { journalHandlers } from './services/subscribers.js';

export { ErpJournalOptionsSchema, type ErpJournalOptions };

/** The phase-2 context of each running platform, for the event handlers declared in phase 1. */
const handlersRef = createServiceRef<ReturnType<typeof journalHandlers>>('erp-journal.handlers');

export const erpJournalPlugin = definePlugin({
  id: 'erp-journal',
  version: '0.1.0',
  compatibility: '^0.1.0',
  displayName: 'ERP journal',
  description: 'Double-entry journals from inventory and fixed-asset events, exported or pushed to an ERP, with period close.',
  // Optional: the connector books what is there. Declared so it may subscribe to their events.
  optionalDependsOn: { inventory: '^0.1.0', 'fixed-assets': '^0.1.0' },
  options: ErpJournalOptionsSchema,
  permissions: [
    { id: permissions.journalRead, description: 'See journal entries, periods and the chart of accounts' },
    { id: permissions.accountsManage, description: 'Edit the chart of accounts (account per role, category and site)' },
    { id: permissions.periodsExport, description: 'Export periods as CSV or JSON and push them to the ERP' },
    { id: permissions.periodsClose, description: 'Close accounting periods' },
    { id: permissions.periodsReopen, description: 'Reopen the last closed accounting period' },
  ],
  events: { emits: erpJournalEvents, subscribes: upstreamEvents },
  migrations: [journalMigration],
  register(ctx) {
    let handlers: ReturnType<typeof journalHandlers> | undefined;
    ctx.provide(handlersRef, (c) => (handlers = journalHandlers(c as PluginContext<ErpJournalOptions>)));
    const h = () => {
      if (!handlers) throw new Error('erp-journal: an event arrived before the plugin started');
      return handlers;
    };
    ctx.subscribe(InventoryMovePosted, 'journal-move', (e) => h().movePosted(e));
    ctx.subscribe(InventoryCostAdjusted, 'journal-cost-adjustment', (e) => h().costAdjusted(e));
    ctx.subscribe(FixedAssetCreated, 'journal-acquisition', (e) => h().assetCreated(e));
    ctx.subscribe(FixedAssetsDepreciationPosted, 'journal-depreciation', (e) => h().depreciationPosted(e));
    ctx.subscribe(FixedAssetDisposed, 'journal-disposal', (e) => h().assetDisposed(e));
    const options = ctx.options;
    ctx.extend(postingPeriodGuards, periodGuard(() => options));
  },
  routes(app, ctx) {
    ctx.services.get(handlersRef);
    accountRoutes(app, ctx);
    journalRoutes(app, ctx);
  },
});

export default erpJournalPlugin;
