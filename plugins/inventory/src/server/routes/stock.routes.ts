import { hasPermission, Type, problems, type Actor, type PluginApp, type PluginContext } from '@quartermaster/sdk';
import { permissions } from '../../shared/index.js';
import { dec, money, qtyText } from '../../domain/money.js';
import type { InventoryOptions } from '../services/ledger.service.js';
import { fefoCandidates, itemMethodSql } from '../services/ledger.service.js';
import { readerOf, subtreeCte } from '../services/stock.service.js';
import { DecimalIn, DecimalOut, IdParams, Nullable, Page, PageQuery, Uuid, errorResponses, pageOf } from './schemas.js';

const GroupBy = Type.Union([Type.Literal('item'), Type.Literal('location'), Type.Literal('lot')], { default: 'location' });

const StockRow = Type.Object({
  itemId: Uuid,
  itemName: Type.String(),
  uom: Type.String(),
  locationId: Nullable(Uuid),
  location: Nullable(Type.String()),
  lotId: Nullable(Uuid),
  lot: Nullable(Type.String()),
  expiresOn: Nullable(Type.String()),
  lotBlocked: Nullable(Type.Boolean()),
  onHand: DecimalOut,
  reserved: DecimalOut,
  available: DecimalOut,
  /** Present to callers who may see costs: on hand × the item's current unit value. */
  value: Type.Optional(Nullable(DecimalOut)),
});

export const StockQuery = Type.Object(
  {
    itemId: Type.Optional(Uuid),
    locationId: Type.Optional(Uuid),
    lotId: Type.Optional(Uuid),
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    groupBy: Type.Optional(GroupBy),
    includeZero: Type.Optional(Type.Boolean({ default: false })),
    ...PageQuery,
  },
  { additionalProperties: false },
);

const canSeeCost = (actor: Actor) => hasPermission(actor, permissions.valuationRead);

export function stockRoutes(app: PluginApp, ctx: PluginContext<any>, options: InventoryOptions) {
  const db = readerOf(ctx);

  app.get(
    '/stock',
    {
      config: { permission: permissions.stockRead },
      schema: {
        summary: 'Stock on hand',
        description: 'From the maintained balances, grouped by item, item × location, or item × location × lot. A location includes everything under it.',
        querystring: StockQuery,
        response: { 200: Page(StockRow), ...errorResponses },
      },
    },
    async (req) => {
      const q = req.query;
      const { limit, offset } = pageOf(q);
      const groupBy = q.groupBy ?? 'location';
      const params: unknown[] = [];
      const p = (v: unknown) => (params.push(v), `$${params.length}`);
      const where: string[] = [];
      let cte = '';
      if (q.locationId) {
        cte = `WITH RECURSIVE ${subtreeCte(`${p(q.locationId)}::uuid`)} `;
        where.push('b.location_id IN (SELECT id FROM sub)');
      }
      if (q.itemId) where.push(`b.item_id = ${p(q.itemId)}`);
      if (q.lotId) where.push(`b.lot_id = ${p(q.lotId)}`);
      // Text search: the item's name, or any of its identifiers exactly (SKU, GTIN…).
      if (q.q) {
        const like = p('%' + q.q.replace(/[\\%_]/g, (c) => '\\' + c) + '%');
        const exact = p(q.q.trim());
        where.push(`(i.name ILIKE ${like} OR EXISTS (SELECT 1 FROM core_identifier ci WHERE ci.target_type = 'core.item' AND ci.target_id = i.id AND ci.value = ${exact}))`);
      }
      const keys = groupBy === 'item' ? ['b.item_id'] : groupBy === 'location' ? ['b.item_id', 'b.location_id'] : ['b.item_id', 'b.location_id', 'b.lot_id'];
      const having = q.includeZero ? '' : 'HAVING sum(b.on_hand) <> 0 OR sum(b.reserved) <> 0';
      const rows = await db.execute<Record<string, any>>(
        `${cte}SELECT ${keys.join(', ')}, min(i.name) AS item_name, min(i.unit_of_measure) AS uom,
                sum(b.on_hand) AS on_hand, sum(b.reserved) AS reserved, count(*) OVER () AS total,
                ${groupBy === 'item' ? 'NULL::uuid AS location_id, NULL AS location_name' : 'min(loc.name) AS location_name'},
                ${groupBy === 'lot' ? 'min(l.code) AS lot_code, min(to_char(l.expires_on, \'YYYY-MM-DD\')) AS expires_on, bool_or(l.blocked) AS blocked' : 'NULL::uuid AS lot_id, NULL AS lot_code, NULL AS expires_on, NULL::boolean AS blocked'},
                min(vs.qty) AS v_qty, min(vs.value) AS v_value
           FROM inventory_balance b JOIN core_item i ON i.id = b.item_id
           JOIN core_location loc ON loc.id = b.location_id
           LEFT JOIN inventory_lot l ON l.id = b.lot_id
           LEFT JOIN inventory_valuation_state vs ON vs.item_id = b.item_id
          ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
          GROUP BY ${keys.join(', ')} ${having}
          ORDER BY item_name, location_name NULLS FIRST, ${groupBy === 'lot' ? 'expires_on NULLS LAST, lot_code' : '1'}
          LIMIT ${p(limit)} OFFSET ${p(offset)}`,
        params,
      );
      const costs = canSeeCost(req.actor);
      return {
        data: rows.map((r) => {
          const onHand = dec(r.on_hand);
          const reserved = dec(r.reserved);
          const unit = r.v_qty !== null && dec(r.v_qty).gt(0) ? dec(r.v_value).div(dec(r.v_qty)) : null;
          return {
            itemId: r.item_id,
            itemName: r.item_name,
            uom: r.uom,
            locationId: r.location_id ?? null,
            location: r.location_name ?? null,
            lotId: r.lot_id ?? null,
            lot: r.lot_code ?? null,
            expiresOn: r.expires_on ?? null,
            lotBlocked: r.blocked ?? null,
            onHand: qtyText(onHand),
            reserved: qtyText(reserved),
            available: qtyText(onHand.minus(reserved)),
            ...(costs ? { value: unit ? money(onHand.times(unit), options.currencyMinorUnits).toFixed(options.currencyMinorUnits) : null } : {}),
          };
        }),
        total: rows.length ? Number(rows[0].total) : 0,
        limit,
        offset,
      };
    },
  );

  app.get(
    '/items/:id/stock',
    {
      config: { permission: permissions.stockRead },
      schema: {
        summary: "An item's stock panel",
        description: 'On hand per location and lot, totals, lots with expiry, and (to callers who may see costs) value and valuation method.',
        params: IdParams,
        response: {
          200: Type.Object({
            itemId: Uuid,
            itemName: Type.String(),
            uom: Type.String(),
            trackingMode: Type.String(),
            onHand: DecimalOut,
            reserved: DecimalOut,
            available: DecimalOut,
            valuationMethod: Type.Optional(Type.String()),
            value: Type.Optional(Nullable(DecimalOut)),
            unitValue: Type.Optional(Nullable(DecimalOut)),
            locations: Type.Array(StockRow),
            units: Type.Array(Type.Object({ uom: Type.String(), factor: DecimalOut })),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      // Two statements on two connections at once: the item with its units and method, and its balances.
      const [[item], rows] = await Promise.all([
        db.execute<{ id: string; name: string; unit_of_measure: string; tracking_mode: string; method: string | null; v_qty: string | null; v_value: string | null; units: { uom: string; factor: string | number }[] }>(
          `SELECT i.id, i.name, i.unit_of_measure, i.tracking_mode, vs.qty AS v_qty, vs.value AS v_value,
                  ${itemMethodSql('i', 's')} AS method,
                  coalesce((SELECT json_agg(json_build_object('uom', u.uom, 'factor', u.factor::text) ORDER BY u.factor) FROM inventory_item_uom u WHERE u.item_id = i.id), '[]') AS units
             FROM core_item i LEFT JOIN inventory_item_settings s ON s.item_id = i.id LEFT JOIN inventory_valuation_state vs ON vs.item_id = i.id WHERE i.id = $1`,
          [req.params.id],
        ),
        db.execute<Record<string, any>>(
          `SELECT b.location_id, loc.name AS location_name, b.lot_id, l.code AS lot_code, to_char(l.expires_on, 'YYYY-MM-DD') AS expires_on, l.blocked,
                  sum(b.on_hand) AS on_hand, sum(b.reserved) AS reserved
             FROM inventory_balance b JOIN core_location loc ON loc.id = b.location_id LEFT JOIN inventory_lot l ON l.id = b.lot_id
            WHERE b.item_id = $1 GROUP BY b.location_id, loc.name, b.lot_id, l.code, l.expires_on, l.blocked
           HAVING sum(b.on_hand) <> 0 OR sum(b.reserved) <> 0
            ORDER BY loc.name, l.expires_on NULLS LAST, l.code`,
          [req.params.id],
        ),
      ]);
      if (!item) throw problems.notFound('item', req.params.id);
      const units = item.units.map((u) => ({ uom: u.uom, factor: String(u.factor) }));
      const unit = item.v_qty !== null && dec(item.v_qty).gt(0) ? dec(item.v_value!).div(dec(item.v_qty)) : null;
      const costs = canSeeCost(req.actor);
      const mu = options.currencyMinorUnits;
      let onHand = dec(0);
      let reserved = dec(0);
      const locations = rows.map((r) => {
        const oh = dec(r.on_hand);
        const rs = dec(r.reserved);
        onHand = onHand.plus(oh);
        reserved = reserved.plus(rs);
        return {
          itemId: item.id,
          itemName: item.name,
          uom: item.unit_of_measure,
          locationId: r.location_id,
          location: r.location_name,
          lotId: r.lot_id,
          lot: r.lot_code,
          expiresOn: r.expires_on,
          lotBlocked: r.lot_id ? r.blocked : null,
          onHand: qtyText(oh),
          reserved: qtyText(rs),
          available: qtyText(oh.minus(rs)),
          ...(costs ? { value: unit ? money(oh.times(unit), mu).toFixed(mu) : null } : {}),
        };
      });
      return {
        itemId: item.id,
        itemName: item.name,
        uom: item.unit_of_measure,
        trackingMode: item.tracking_mode,
        onHand: qtyText(onHand),
        reserved: qtyText(reserved),
        available: qtyText(onHand.minus(reserved)),
        ...(costs
          ? {
              valuationMethod: item.method ?? options.defaultValuationMethod,
              value: item.v_value === null ? null : dec(item.v_value).toFixed(mu),
              unitValue: unit ? qtyText(unit) : null,
            }
          : {}),
        locations,
        units: units.map((u) => ({ uom: u.uom, factor: qtyText(u.factor) })),
      };
    },
  );

  app.get(
    '/fefo',
    {
      config: { permission: permissions.stockRead },
      schema: {
        summary: 'Which lots to pick (first expiry, first out)',
        description: 'Suggests lots at a location, earliest expiry first, skipping blocked and expired lots, until the quantity is covered.',
        querystring: Type.Object({ itemId: Uuid, locationId: Uuid, qty: DecimalIn }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            covered: Type.Boolean(),
            shortfall: DecimalOut,
            picks: Type.Array(Type.Object({ lotId: Uuid, lot: Type.String(), expiresOn: Nullable(Type.String()), available: DecimalOut, qty: DecimalOut })),
            skipped: Type.Array(Type.Object({ lotId: Uuid, lot: Type.String(), expiresOn: Nullable(Type.String()), why: Type.String() })),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const qty = dec(req.query.qty);
      if (qty.lte(0)) throw problems.validation([{ field: 'qty', message: 'must be greater than 0' }]);
      const today = new Date();
      const all = await fefoCandidates(db, req.query.itemId, req.query.locationId, { includeBlocked: true, includeExpired: true, on: today, lock: false });
      let left = qty;
      const picks = [];
      const skipped = [];
      for (const c of all) {
        if (c.blocked || c.expired) {
          skipped.push({ lotId: c.lot_id, lot: c.code, expiresOn: c.expires_on, why: c.blocked ? 'blocked' : 'expired' });
          continue;
        }
        const free = dec(c.available);
        if (free.lte(0) || left.lte(0)) continue;
        const take = free.lt(left) ? free : left;
        picks.push({ lotId: c.lot_id, lot: c.code, expiresOn: c.expires_on, available: qtyText(free), qty: qtyText(take) });
        left = left.minus(take);
      }
      return { covered: left.lte(0), shortfall: qtyText(left.gt(0) ? left : 0), picks, skipped };
    },
  );

  app.get(
    '/serials',
    {
      config: { permission: permissions.stockRead },
      schema: {
        summary: 'Serialized units',
        querystring: Type.Object(
          { itemId: Type.Optional(Uuid), locationId: Type.Optional(Uuid), serial: Type.Optional(Type.String({ minLength: 1 })), inStock: Type.Optional(Type.Boolean()), ...PageQuery },
          { additionalProperties: false },
        ),
        response: {
          200: Page(Type.Object({ id: Uuid, itemId: Uuid, itemName: Type.String(), serial: Type.String(), lot: Nullable(Type.String()), locationId: Nullable(Uuid), location: Nullable(Type.String()) })),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const q = req.query;
      const { limit, offset } = pageOf(q);
      const params: unknown[] = [];
      const p = (v: unknown) => (params.push(v), `$${params.length}`);
      const where: string[] = [];
      let cte = '';
      if (q.locationId) {
        cte = `WITH RECURSIVE ${subtreeCte(`${p(q.locationId)}::uuid`)} `;
        where.push('s.location_id IN (SELECT id FROM sub)');
      }
      if (q.itemId) where.push(`s.item_id = ${p(q.itemId)}`);
      if (q.serial) where.push(`s.serial = ${p(q.serial)}`);
      if (q.inStock !== undefined) where.push(q.inStock ? 's.location_id IS NOT NULL' : 's.location_id IS NULL');
      const rows = await db.execute<Record<string, any>>(
        `${cte}SELECT s.id, s.item_id, i.name AS item_name, s.serial, l.code AS lot, s.location_id, loc.name AS location, count(*) OVER () AS total
           FROM inventory_serial s JOIN core_item i ON i.id = s.item_id LEFT JOIN inventory_lot l ON l.id = s.lot_id LEFT JOIN core_location loc ON loc.id = s.location_id
          ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY i.name, s.serial LIMIT ${p(limit)} OFFSET ${p(offset)}`,
        params,
      );
      return {
        data: rows.map((r) => ({ id: r.id, itemId: r.item_id, itemName: r.item_name, serial: r.serial, lot: r.lot, locationId: r.location_id, location: r.location })),
        total: rows.length ? Number(rows[0].total) : 0,
        limit,
        offset,
      };
    },
  );
}

