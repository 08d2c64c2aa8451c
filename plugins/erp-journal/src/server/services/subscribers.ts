/**
 * Event handlers: each upstream event becomes at most one journal entry, keyed by its source, so
 * at-least-once delivery books it once. The catalogue (item categories, location sites) is read
 * through the core's service; the mapping itself is the pure domain.
 */
import { coreCatalogue, type EventEnvelope, type PluginContext } from '@quartermaster/sdk';
import type {
  AssetDisposedPayload,
  DepreciationPostedPayload,
  FixedAssetCreatedPayload,
  InventoryCostAdjustedPayload,
  InventoryMovePayload,
} from '../../shared/upstream-events.js';
import {
  directionOf,
  inferredDirection,
  mapAcquisition,
  mapCostAdjustment,
  mapDepreciation,
  mapDisposal,
  mapInventoryMove,
  type JournalDraft,
  type KnownLine,
} from '../../domain/journal.js';
import { dayOf } from '../../domain/periods.js';
import type { ErpJournalOptions } from '../options.js';
import { CONNECTOR_ACTOR } from './db.js';
import { bookEntry, sourceBooked } from './journal.service.js';

/** Redeliveries before a cost adjustment of a line never seen is booked with what can be inferred. */
const WAIT_FOR_MOVE_ATTEMPTS = 3;

export function journalHandlers(ctx: PluginContext<ErpJournalOptions>) {
  const o = { currency: ctx.options.currency, minorUnits: ctx.options.currencyMinorUnits };
  const catalogue = () => ctx.services.get(coreCatalogue);
  const book = (draft: JournalDraft | null) => (draft ? ctx.transaction(CONNECTOR_ACTOR, (tx) => bookEntry(tx, draft, o)) : Promise.resolve(null));
  const siteOf = async (locationId: string | null | undefined) => (locationId ? ((await catalogue().locations([locationId]))[0]?.siteId ?? null) : null);

  return {
    async movePosted(e: EventEnvelope<InventoryMovePayload>) {
      const move = e.payload;
      const itemIds = [...new Set(move.lines.map((l) => l.itemId))];
      const locationIds = [...new Set(move.lines.flatMap((l) => [l.fromLocationId, l.toLocationId]).filter((x): x is string => !!x))];
      const [items, locations] = await Promise.all([catalogue().items(itemIds), catalogue().locations(locationIds)]);
      const category = new Map(items.map((i) => [i.id, i.categoryId]));
      const site = new Map(locations.map((l) => [l.id, l.siteId]));
      const c = { categoryOf: (id: string) => category.get(id) ?? null, siteOf: (id: string | null) => (id ? (site.get(id) ?? null) : null) };
      const draft = mapInventoryMove(move, c);
      await ctx.transaction(CONNECTOR_ACTOR, async (tx) => {
        // What a later cost adjustment of these lines needs to know about them.
        await tx.execute(
          `INSERT INTO erp_journal_inventory_line (line_id, move_id, move_type, direction, category_id, site_id, effective_on)
           SELECT x.l, $1, $2, x.d, x.c, x.s, $3::date FROM unnest($4::text[], $5::text[], $6::uuid[], $7::uuid[]) AS x(l, d, c, s)
           ON CONFLICT (line_id) DO NOTHING`,
          [
            move.id,
            move.type,
            dayOf(move.effectiveAt),
            move.lines.map((l) => l.lineId),
            move.lines.map((l) => directionOf(l)),
            move.lines.map((l) => c.categoryOf(l.itemId)),
            move.lines.map((l) => {
              const d = directionOf(l);
              return c.siteOf(d === 'in' ? l.toLocationId : l.fromLocationId);
            }),
          ],
        );
        if (draft) await bookEntry(tx, draft, o);
      });
    },

    async costAdjusted(e: EventEnvelope<InventoryCostAdjustedPayload>) {
      const a = e.payload;
      const key = `inventory.cost:${a.lineId}:${a.causedByMoveId}`;
      if (await ctx.transaction(CONNECTOR_ACTOR, (tx) => sourceBooked(tx, key))) return;
      const [seen] = await ctx.transaction(CONNECTOR_ACTOR, (tx) =>
        tx.execute<{ direction: KnownLine['direction']; category_id: string | null; site_id: string | null; effective_on: string }>(
          `SELECT direction, category_id::text AS category_id, site_id::text AS site_id, effective_on::text AS effective_on FROM erp_journal_inventory_line WHERE line_id = $1`,
          [a.lineId],
        ),
      );
      let line: KnownLine;
      if (seen) line = { direction: seen.direction, categoryId: seen.category_id, siteId: seen.site_id, effectiveOn: seen.effective_on };
      else {
        // The move's own event may still be on its way: wait for it a few deliveries, then book what can be inferred.
        if (e.attempt < WAIT_FOR_MOVE_ATTEMPTS) throw new Error(`inventory line ${a.lineId} of move ${a.moveId} not seen yet`);
        const [item] = await catalogue().items([a.itemId]);
        line = { direction: inferredDirection(a.moveType), categoryId: item?.categoryId ?? null, siteId: null, effectiveOn: dayOf(e.occurredAt) };
      }
      await book(mapCostAdjustment(a, line));
    },

    async assetCreated(e: EventEnvelope<FixedAssetCreatedPayload>) {
      const a = e.payload;
      const draft = mapAcquisition(
        { id: a.id, tag: a.tag, acquisitionCost: a.acquisitionCost ?? null, currency: a.currency ?? null, purchaseDate: a.purchaseDate ?? null, fromStockMoveLineId: a.fromStockMoveLineId ?? null },
        { categoryId: a.categoryId, siteId: await siteOf(a.locationId), fallbackDate: dayOf(e.occurredAt) },
      );
      await book(draft);
    },

    async depreciationPosted(e: EventEnvelope<DepreciationPostedPayload>) {
      if (e.payload.book !== ctx.options.fixedAssetsBook) return;
      await book(mapDepreciation(e.payload));
    },

    async assetDisposed(e: EventEnvelope<AssetDisposedPayload>) {
      const d = e.payload;
      const figures = d.books?.find((b) => b.book === ctx.options.fixedAssetsBook);
      if (!figures) return; // not carried in the connector's book: nothing on its ledger
      await book(mapDisposal({ id: d.id, tag: d.tag, kind: d.kind, disposedOn: d.disposedOn, currency: d.currency, book: figures }, { categoryId: d.categoryId ?? null, siteId: await siteOf(d.locationId) }));
    },
  };
}
