/**
 * Counting SGTIN-tagged goods: per GTIN, the distinct serials whose tags were last seen in a
 * location (or below), next to what the inventory says is on hand there.
 */
import Decimal from 'decimal.js';
import { Instant, Page, PageQuery, Type, Uuid, errorResponses, pageOf, type PluginApp, type PluginContext } from '@quartermaster/sdk';
import { isoInstant, readerOf } from '@quartermaster/core';
import { inventoryService } from '@quartermaster/plugin-inventory/shared';
import { StockCountRowSchema, permissions } from '../../shared/index.js';
import { ITEM_TARGET, gtinForms } from '../services/resolve.js';
import { checkLocationFilter, subtreeCte } from '../services/views.js';

export function stockCountRoutes(app: PluginApp, ctx: PluginContext<any>) {
  const db = readerOf(ctx);

  app.get(
    '/stock-counts',
    {
      config: { permission: permissions.read },
      schema: {
        summary: 'RFID count of SGTIN-tagged goods at a location, against inventory on hand',
        description:
          'Per GTIN (ascending): `counted` is the number of distinct serials whose tag was last seen in `locationId` or below (optionally only tags seen since `seenSince`, the start of a count); `item` is the item whose `gtin` identifier is that GTIN (14 digits, or 13/12/8 without the leading zeros). With the inventory plugin, `onHand` is its stock of the item there (and below) and `difference` is counted − on hand; without it both are null. Only GTINs with at least one tag there are listed.',
        querystring: Type.Object({ locationId: Uuid, seenSince: Type.Optional(Instant), ...PageQuery }, { additionalProperties: false }),
        response: {
          200: Type.Object({ locationId: Uuid, inventory: Type.Boolean({ description: 'Whether on-hand figures come from the inventory plugin' }), ...Page(StockCountRowSchema).properties }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const q = req.query;
      const { limit, offset } = pageOf(q);
      await checkLocationFilter(db, q.locationId);
      const params: unknown[] = [q.locationId];
      if (q.seenSince) params.push(q.seenSince);
      const rows = await db.execute<{ gtin: string; counted: string; last_seen: Date; total: string }>(
        `WITH RECURSIVE ${subtreeCte('$1')}
         SELECT t.gs1_key AS gtin, count(DISTINCT t.serial) AS counted, max(t.last_seen_at) AS last_seen, count(*) OVER () AS total
           FROM rfid_tag t
          WHERE t.gs1_key_type = 'gtin' AND t.last_location_id IN (SELECT id FROM sub) ${q.seenSince ? 'AND t.last_seen_at >= $2::timestamptz' : ''}
          GROUP BY t.gs1_key ORDER BY t.gs1_key LIMIT ${limit} OFFSET ${offset}`,
        params,
      );
      const forms = new Map(rows.map((r) => [r.gtin, gtinForms(r.gtin)]));
      const items = await db.execute<{ value: string; id: string; name: string }>(
        `SELECT i.value, it.id, it.name FROM core_identifier i JOIN core_item it ON it.id = i.target_id
          WHERE i.type = 'gtin' AND i.target_type = $2 AND i.value = ANY($1::text[])`,
        [[...forms.values()].flat(), ITEM_TARGET],
      );
      const byValue = new Map(items.map((i) => [i.value, { id: i.id, name: i.name }]));
      const inventory = ctx.services.getOptional(inventoryService);
      const data = await Promise.all(
        rows.map(async (r) => {
          const form = forms.get(r.gtin)!.find((g) => byValue.has(g));
          const item = form ? byValue.get(form)! : null;
          const counted = Number(r.counted);
          let onHand: string | null = null;
          let difference: string | null = null;
          if (inventory && item) {
            onHand = (await inventory.stockAt(item.id, q.locationId)).onHand;
            difference = new Decimal(counted).minus(onHand).toFixed();
          }
          return { gtin: r.gtin, item, counted, onHand, difference, lastSeenAt: isoInstant(r.last_seen)! };
        }),
      );
      let total = rows.length ? Number(rows[0].total) : 0;
      if (!rows.length && offset > 0) {
        const [c] = await db.execute<{ n: string }>(
          `WITH RECURSIVE ${subtreeCte('$1')} SELECT count(DISTINCT t.gs1_key) AS n FROM rfid_tag t
            WHERE t.gs1_key_type = 'gtin' AND t.last_location_id IN (SELECT id FROM sub) ${q.seenSince ? 'AND t.last_seen_at >= $2::timestamptz' : ''}`,
          params,
        );
        total = Number(c.n);
      }
      return { locationId: q.locationId, inventory: !!inventory, data, total, limit, offset };
    },
  );
}
