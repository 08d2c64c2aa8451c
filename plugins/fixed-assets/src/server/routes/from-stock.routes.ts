/**
 * An asset received from inventory stock (when the inventory plugin is enabled): one unit is issued
 * from a stock location — valued on the item's method, its cost of goods becoming the asset's
 * acquisition cost — and the asset is registered, in one transaction. The move names the asset's
 * tag and the asset's history names the move, so either side leads to the other.
 */
import { hasPermission, ProblemError, Type, problems, type PluginApp, type PluginContext } from '@quartermaster/sdk';
import { inventoryService } from '@quartermaster/plugin-inventory/shared';
import { INITIAL_STATUSES, permissions } from '../../shared/index.js';
import type { FixedAssetsOptions } from '../options.js';
import { createAsset } from '../services/assets.service.js';
import { recordEvent } from '../services/asset-store.js';
import { allocateTag } from '../services/tags.service.js';
import { assetView } from '../services/views.js';
import { AssetOut } from './outputs.js';
import { Nullable, Uuid, errorResponses, lit } from './schemas.js';

/** The inventory permission a user needs as well: the stock leaves through an issue move. */
const INVENTORY_MOVES_POST = 'inventory.moves.post';

export const FromStockBody = Type.Object(
  {
    itemId: Uuid,
    fromLocationId: Uuid,
    lot: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Lot code; left out, the lot is picked first-expiry-first-out' })),
    serial: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'The unit’s serial (serialized items); it becomes the asset’s serial number' })),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 300, description: 'Default: the item’s name' })),
    tag: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    locationId: Type.Optional(Uuid),
    categoryId: Type.Optional(Nullable(Uuid)),
    status: Type.Optional(lit(INITIAL_STATUSES)),
    custodianPersonId: Type.Optional(Nullable(Uuid)),
    department: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
    costCentre: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
    notes: Type.Optional(Nullable(Type.String({ maxLength: 10_000 }))),
  },
  { additionalProperties: false },
);

export function fromStockRoutes(app: PluginApp, ctx: PluginContext<any>, options: FixedAssetsOptions) {
  app.post(
    '/assets/from-stock',
    {
      config: { permission: permissions.assetWrite },
      schema: {
        summary: 'Register an asset taken out of inventory stock',
        description:
          'Needs the inventory plugin (409 `fixed-assets/inventory-not-enabled` without it) and, besides `fixed-assets.asset.write`, `inventory.moves.post`. ' +
          'One unit is issued from `fromLocationId` (refused like any issue: not enough stock, a blocked lot, an unknown serial); its cost becomes the acquisition cost, ' +
          'the item’s serial the serial number, and the asset stands at `locationId` (default: where it was taken from). The issue move’s reference is the asset’s tag.',
        body: FromStockBody,
        response: { 201: AssetOut, ...errorResponses },
      },
    },
    async (req, reply) => {
      const inventory = ctx.services.getOptional(inventoryService);
      if (!inventory) {
        throw new ProblemError({
          type: 'fixed-assets/inventory-not-enabled',
          status: 409,
          title: 'Inventory is not enabled',
          detail: 'Receiving an asset from stock needs the inventory plugin; enable it in the profile, or register the asset with POST /assets',
        });
      }
      if (!hasPermission(req.actor, INVENTORY_MOVES_POST)) {
        throw problems.forbidden(INVENTORY_MOVES_POST);
      }
      const b = req.body;
      const asset = await ctx.transaction(req.actor, async (tx) => {
        const [item] = await tx.execute<{ name: string; category_id: string | null }>(`SELECT name, category_id FROM core_item WHERE id = $1`, [b.itemId]);
        if (!item) throw problems.validation([{ field: 'itemId', message: 'no such item' }]);
        const categoryId = b.categoryId === undefined ? item.category_id : b.categoryId;
        const tag = b.tag ?? (await allocateTag(tx, categoryId, options));
        const issued = await inventory.issueToAsset(tx, { itemId: b.itemId, locationId: b.fromLocationId, lot: b.lot, serial: b.serial, reference: tag });
        const id = await createAsset(
          tx,
          {
            name: b.name ?? item.name,
            tag,
            itemId: b.itemId,
            categoryId,
            serialNumber: issued.serial,
            locationId: b.locationId ?? b.fromLocationId,
            status: b.status,
            custodianPersonId: b.custodianPersonId,
            department: b.department,
            costCentre: b.costCentre,
            notes: b.notes,
            purchaseDate: new Date().toISOString().slice(0, 10),
            acquisitionCost: issued.amount,
            fromStockMoveLineId: issued.lineId,
          },
          options,
        );
        await recordEvent(tx, id, {
          type: 'received-from-stock',
          reason: `Issued from stock by move ${issued.moveNumber}`,
          data: { moveId: issued.moveId, moveNumber: issued.moveNumber, moveLineId: issued.lineId, fromLocationId: b.fromLocationId, cost: issued.amount, lot: issued.lot, serial: issued.serial },
        });
        return assetView(tx, id, options.currencyMinorUnits);
      });
      return reply.status(201).send(asset!);
    },
  );
}
