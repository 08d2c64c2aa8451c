import { Type, definePlugin, postingPeriods, type PluginContext } from '@quartermaster/sdk';
import {
  CostAdjusted,
  LotBlocked,
  LotUnblocked,
  MovePosted,
  ReservationCreated,
  ReservationExpired,
  ReservationReleased,
  StockOut,
  CountStarted,
  CountPosted,
  BelowReorderPoint,
  PurchaseOrderCreated,
  PurchaseOrderStatusChanged,
  VALUATION_METHODS,
  inventoryService,
  permissions,
} from '../shared/index.js';
import { ledgerMigration } from './migrations/0001_ledger.js';
import { countsMigration } from './migrations/0002_counts.js';
import { replenishmentMigration } from './migrations/0003_replenishment.js';
import { importsMigration } from './migrations/0004_imports.js';
import { redatedMovesMigration } from './migrations/0005_redated_moves.js';
import { importRoutes } from './routes/imports.routes.js';
import { reportRoutes } from './routes/reports.routes.js';
import { replenishmentRoutes } from './routes/replenishment.routes.js';
import { purchaseOrderRoutes } from './routes/purchase-orders.routes.js';
import type { ReplenishmentOptions } from './services/replenishment.service.js';
import { countRoutes } from './routes/counts.routes.js';
import { valuationPreviewRoutes } from './routes/valuation-preview.routes.js';
import { replenishmentPreviewRoutes } from './routes/replenishment-preview.routes.js';
import type { InventoryOptions } from './services/ledger.service.js';
import type { CountOptions } from './routes/counts.routes.js';
import { issueToAsset } from './services/issue-to-asset.service.js';
import { issueStock, releaseStock, reserveStock } from './services/stock-issue.service.js';
import { findLot, getLot, stockAt } from './services/stock.service.js';
import { expireReservations } from './services/reservation.service.js';
import { moveRoutes } from './routes/moves.routes.js';
import { stockRoutes } from './routes/stock.routes.js';
import { lotRoutes } from './routes/lots.routes.js';
import { reservationRoutes } from './routes/reservations.routes.js';
import { settingsRoutes } from './routes/settings.routes.js';
import { valuationRoutes } from './routes/valuation.routes.js';
import { SYSTEM_ACTOR } from '@quartermaster/core';
import { seedInventoryDemo } from './demo-data.js';

export const InventoryOptionsSchema = Type.Object({
  /** Decimal places of the currency's minor unit; posted amounts are rounded to it. */
  currencyMinorUnits: Type.Integer({ minimum: 0, maximum: 4, default: 2 }),
  /** Valuation method of items whose item and category set none. */
  defaultValuationMethod: Type.Union(VALUATION_METHODS.map((m) => Type.Literal(m)), { default: 'fifo' }),
  futureToleranceSeconds: Type.Integer({ minimum: 0, maximum: 86_400, default: 300 }),
  /** How often expired reservations are released, in seconds; 0 turns the sweep off (it still runs on reads). */
  reservationSweepSeconds: Type.Integer({ minimum: 0, default: 60 }),
  /** Days between cycle counts of an item, by its ABC class. */
  countIntervalDays: Type.Object(
    { A: Type.Integer({ minimum: 1, default: 30 }), B: Type.Integer({ minimum: 1, default: 90 }), C: Type.Integer({ minimum: 1, default: 180 }) },
    { default: { A: 30, B: 90, C: 180 } },
  ),
  /** Days of issue history behind computed reorder points, safety stock and EOQ. */
  demandHistoryDays: Type.Integer({ minimum: 7, maximum: 3650, default: 90 }),
  /** Cycle service level for reorder-point rules that set none (probability of no stock-out per cycle). */
  defaultServiceLevel: Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1, default: 0.95 }),
});

/** One sweep timer per running platform (tests boot several in one process). */
const sweeps = new WeakMap<object, NodeJS.Timeout>();

/** The plugin's options plus the core's closed-period check, which every posting path must see. */
const withPeriods = new WeakMap<object, InventoryOptions>();
function ledgerOptions(ctx: PluginContext<any>): InventoryOptions {
  let o = withPeriods.get(ctx);
  if (!o) withPeriods.set(ctx, (o = { ...(ctx.options as InventoryOptions), postingPeriods: ctx.services.getOptional(postingPeriods) }));
  return o;
}

export const inventoryPlugin = definePlugin({
  id: 'inventory',
  version: '0.1.0',
  compatibility: '^0.1.0',
  displayName: 'Inventory',
  description: 'Stock ledger, lots and serials, valuation, reservations and replenishment.',
  options: InventoryOptionsSchema,
  permissions: [
    { id: permissions.stockRead, description: 'See stock on hand, moves, lots, serials and reservations' },
    { id: permissions.movesPost, description: 'Post stock moves (receipts, issues, transfers, adjustments, returns)' },
    { id: permissions.movesReverse, description: 'Reverse posted moves' },
    { id: permissions.lotsWrite, description: 'Edit lots, block and unblock them' },
    { id: permissions.reservationsWrite, description: 'Reserve stock and release reservations' },
    { id: permissions.settingsWrite, description: 'Set valuation methods, standard costs, units of measure and location policies' },
    { id: permissions.valuationRead, description: 'See stock value, costs and COGS' },
    { id: permissions.countsWrite, description: 'Start cycle counts and stocktakes, enter counts, finish and cancel them' },
    { id: permissions.countsPost, description: 'Post count variances to stock' },
    { id: permissions.replenishmentWrite, description: 'Edit suppliers, supplier prices and reorder rules' },
    { id: permissions.purchasingWrite, description: 'Draft, order, close and cancel purchase orders' },
    { id: permissions.purchasingReceive, description: 'Receive stock against purchase orders' },
    { id: permissions.importRun, description: 'Import items, opening balances and reorder rules from CSV (each kind also needs the permission of what it writes)' },
  ],
  events: { emits: [MovePosted, CostAdjusted, LotBlocked, LotUnblocked, ReservationCreated, ReservationReleased, ReservationExpired, StockOut, CountStarted, CountPosted, BelowReorderPoint, PurchaseOrderCreated, PurchaseOrderStatusChanged] },
  migrations: [ledgerMigration, countsMigration, replenishmentMigration, importsMigration, redatedMovesMigration],
  register(ctx) {
    ctx.provide(inventoryService, (c) => ({
      stockAt: (itemId, locationId) => stockAt(c, itemId, locationId),
      // The caller's transaction, with this plugin's audit records and events as its own part.
      issueToAsset: (tx, input) => c.joinTransaction(tx, (own) => issueToAsset(own, input, ledgerOptions(c))),
      reserve: (tx, input) => c.joinTransaction(tx, (own) => reserveStock(own, input)),
      release: (tx, id) => c.joinTransaction(tx, (own) => releaseStock(own, id)),
      issue: (tx, input) => c.joinTransaction(tx, (own) => issueStock(own, input, ledgerOptions(c))),
      findLot: (itemId, lotCode) => findLot(c, itemId, lotCode),
      getLot: (lotId) => getLot(c, lotId),
    }));
  },
  async routes(app, ctx) {
    const options = ledgerOptions(ctx) as InventoryOptions & CountOptions & ReplenishmentOptions;
    moveRoutes(app, ctx, options);
    stockRoutes(app, ctx, options);
    lotRoutes(app, ctx, options);
    reservationRoutes(app, ctx, options);
    settingsRoutes(app, ctx, options);
    valuationRoutes(app, ctx, options);
    countRoutes(app, ctx, options);
    replenishmentRoutes(app, ctx, options);
    purchaseOrderRoutes(app, ctx, options);
    importRoutes(app, ctx, options);
    reportRoutes(app, ctx, options);
    valuationPreviewRoutes(app, ctx);
    replenishmentPreviewRoutes(app, ctx);
  },
  demoData: seedInventoryDemo,
  onReady(ctx) {
    const every = ctx.options.reservationSweepSeconds;
    if (every > 0) {
      const timer = setInterval(() => {
        expireReservations(ctx, SYSTEM_ACTOR).catch((e) => ctx.log.warn({ err: e }, 'reservation sweep failed'));
      }, every * 1000);
      timer.unref();
      sweeps.set(ctx, timer);
    }
  },
  onClose(ctx) {
    clearInterval(sweeps.get(ctx));
    sweeps.delete(ctx);
  },
});

export default inventoryPlugin;
