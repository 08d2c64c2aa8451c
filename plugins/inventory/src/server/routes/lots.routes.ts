import { isoOf } from '../services/time.js';
import { Type, problems, type PluginApp, type PluginContext } from '@quartermaster/sdk';
import { LotBlocked, LotUnblocked, permissions } from '../../shared/index.js';
import { qtyText, dec } from '../../domain/money.js';
import type { InventoryOptions } from '../services/ledger.service.js';
import { readerOf } from '../services/stock.service.js';
import { DecimalOut, IdParams, IsoDate, Nullable, Page, PageQuery, Uuid, errorResponses, pageOf } from './schemas.js';

const LotOut = Type.Object({
  id: Uuid,
  itemId: Uuid,
  itemName: Type.String(),
  code: Type.String(),
  expiresOn: Nullable(Type.String()),
  manufacturedOn: Nullable(Type.String()),
  blocked: Type.Boolean(),
  blockReason: Nullable(Type.String()),
  onHand: DecimalOut,
  /** Days until expiry (negative when expired); null without an expiry date. */
  daysToExpiry: Nullable(Type.Integer()),
  status: Type.Union([Type.Literal('ok'), Type.Literal('expiring'), Type.Literal('expired'), Type.Literal('blocked')]),
  createdAt: Type.String(),
});

const SELECT = `SELECT l.id, l.item_id, i.name AS item_name, l.code, to_char(l.expires_on, 'YYYY-MM-DD') AS expires_on, to_char(l.manufactured_on, 'YYYY-MM-DD') AS manufactured_on,
    l.blocked, l.block_reason, l.created_at, (l.expires_on - $1::date) AS days,
    coalesce((SELECT sum(b.on_hand) FROM inventory_balance b WHERE b.lot_id = l.id), 0) AS on_hand
  FROM inventory_lot l JOIN core_item i ON i.id = l.item_id`;

export function lotRoutes(app: PluginApp, ctx: PluginContext<any>, _options: InventoryOptions) {
  const db = readerOf(ctx);
  const today = () => new Date().toISOString().slice(0, 10);
  const toOut = (r: Record<string, any>, warnDays: number) => ({
    id: r.id,
    itemId: r.item_id,
    itemName: r.item_name,
    code: r.code,
    expiresOn: r.expires_on,
    manufacturedOn: r.manufactured_on,
    blocked: r.blocked,
    blockReason: r.block_reason,
    onHand: qtyText(r.on_hand),
    daysToExpiry: r.days === null ? null : Number(r.days),
    status: r.blocked ? ('blocked' as const) : r.days === null ? ('ok' as const) : Number(r.days) < 0 ? ('expired' as const) : Number(r.days) <= warnDays ? ('expiring' as const) : ('ok' as const),
    createdAt: isoOf(r.created_at)!,
  });
  const load = async (id: string) => {
    const [r] = await db.execute<Record<string, any>>(`${SELECT} WHERE l.id = $2`, [today(), id]);
    return r ? toOut(r, 30) : undefined;
  };

  app.get(
    '/lots',
    {
      config: { permission: permissions.stockRead },
      schema: {
        summary: 'Lots and expiry',
        description: '`expiringWithinDays` lists lots in stock that expire within that many days (not yet expired); `expired` lists expired lots still in stock.',
        querystring: Type.Object(
          {
            itemId: Type.Optional(Uuid),
            code: Type.Optional(Type.String({ minLength: 1 })),
            expiringWithinDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 3650 })),
            expired: Type.Optional(Type.Boolean()),
            blocked: Type.Optional(Type.Boolean()),
            inStock: Type.Optional(Type.Boolean()),
            ...PageQuery,
          },
          { additionalProperties: false },
        ),
        response: { 200: Page(LotOut), ...errorResponses },
      },
    },
    async (req) => {
      const q = req.query;
      const { limit, offset } = pageOf(q);
      const params: unknown[] = [today()];
      const p = (v: unknown) => (params.push(v), `$${params.length}`);
      const where: string[] = [];
      if (q.itemId) where.push(`item_id = ${p(q.itemId)}`);
      if (q.code) where.push(`code = ${p(q.code)}`);
      if (q.blocked !== undefined) where.push(q.blocked ? 'blocked' : 'NOT blocked');
      if (q.expiringWithinDays !== undefined) where.push(`days BETWEEN 0 AND ${p(q.expiringWithinDays)} AND on_hand > 0`);
      if (q.expired) where.push('days < 0 AND on_hand > 0');
      if (q.inStock !== undefined) where.push(q.inStock ? 'on_hand > 0' : 'on_hand <= 0');
      const rows = await db.execute<Record<string, any>>(
        `SELECT *, count(*) OVER () AS total FROM (${SELECT}) x ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
          ORDER BY expires_on NULLS LAST, item_name, code LIMIT ${p(limit)} OFFSET ${p(offset)}`,
        params,
      );
      return { data: rows.map((r) => toOut(r, q.expiringWithinDays ?? 30)), total: rows.length ? Number(rows[0].total) : 0, limit, offset };
    },
  );

  app.get(
    '/lots/:id',
    { config: { permission: permissions.stockRead }, schema: { summary: 'One lot', params: IdParams, response: { 200: LotOut, ...errorResponses } } },
    async (req) => {
      const lot = await load(req.params.id);
      if (!lot) throw problems.notFound('lot', req.params.id);
      return lot;
    },
  );

  app.patch(
    '/lots/:id',
    {
      config: { permission: permissions.lotsWrite },
      schema: {
        summary: 'Edit a lot; block or unblock it',
        description: 'A blocked lot (quarantine, recall) cannot be issued; it can still be moved, adjusted or returned to the supplier. Blocking needs a reason.',
        params: IdParams,
        body: Type.Object(
          {
            expiresOn: Type.Optional(Nullable(IsoDate)),
            manufacturedOn: Type.Optional(Nullable(IsoDate)),
            blocked: Type.Optional(Type.Boolean()),
            blockReason: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
          },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: LotOut, ...errorResponses },
      },
    },
    async (req) => {
      const b = req.body;
      await ctx.transaction(req.actor, async (tx) => {
        const [before] = await tx.execute<{ id: string; item_id: string; code: string; blocked: boolean; block_reason: string | null; expires_on: string | null; manufactured_on: string | null }>(
          `SELECT id, item_id, code, blocked, block_reason, to_char(expires_on, 'YYYY-MM-DD') AS expires_on, to_char(manufactured_on, 'YYYY-MM-DD') AS manufactured_on FROM inventory_lot WHERE id = $1 FOR UPDATE`,
          [req.params.id],
        );
        if (!before) throw problems.notFound('lot', req.params.id);
        if (b.blocked === true && !before.blocked && !b.blockReason?.trim()) throw problems.validation([{ field: 'blockReason', message: 'say why the lot is blocked' }]);
        if (b.blockReason !== undefined && !b.blocked && !before.blocked) throw problems.validation([{ field: 'blockReason', message: 'only a blocked lot has a block reason' }]);
        const after = {
          expires_on: b.expiresOn !== undefined ? b.expiresOn : before.expires_on,
          manufactured_on: b.manufacturedOn !== undefined ? b.manufacturedOn : before.manufactured_on,
          blocked: b.blocked ?? before.blocked,
          block_reason: (b.blocked ?? before.blocked) ? (b.blockReason?.trim() ?? before.block_reason) : null,
        };
        if (after.expires_on && after.manufactured_on && after.manufactured_on > after.expires_on) throw problems.validation([{ field: 'expiresOn', message: 'must not be before the manufacture date' }]);
        await tx.execute(`UPDATE inventory_lot SET expires_on = $2, manufactured_on = $3, blocked = $4, block_reason = $5, updated_at = now() WHERE id = $1`, [
          before.id,
          after.expires_on,
          after.manufactured_on,
          after.blocked,
          after.block_reason,
        ]);
        const { id: _id, item_id: _item, code: _code, ...was } = before;
        await tx.audit({ action: after.blocked !== before.blocked ? (after.blocked ? 'blocked' : 'unblocked') : 'updated', entityType: 'inventory.lot', entityId: before.id, before: was, after });
        if (after.blocked && !before.blocked) await tx.emit(LotBlocked, { id: before.id, itemId: before.item_id, code: before.code, reason: after.block_reason });
        if (!after.blocked && before.blocked) await tx.emit(LotUnblocked, { id: before.id, itemId: before.item_id, code: before.code });
      });
      return load(req.params.id);
    },
  );

  app.get(
    '/lots/:id/trace',
    {
      config: { permission: permissions.stockRead },
      schema: {
        summary: 'Recall trace of a lot',
        description: 'Every move that touched the lot, in time order, and every location it is (or was) in with the quantity there now.',
        params: IdParams,
        response: {
          200: Type.Object({
            lot: LotOut,
            moves: Type.Array(
              Type.Object({
                moveId: Uuid,
                number: Type.String(),
                type: Type.String(),
                reference: Nullable(Type.String()),
                effectiveAt: Type.String(),
                fromLocationId: Nullable(Uuid),
                fromLocation: Nullable(Type.String()),
                toLocationId: Nullable(Uuid),
                toLocation: Nullable(Type.String()),
                qty: DecimalOut,
                serial: Nullable(Type.String()),
              }),
            ),
            locations: Type.Array(Type.Object({ locationId: Uuid, location: Type.String(), path: Type.String(), onHand: DecimalOut, received: DecimalOut, shipped: DecimalOut })),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const lot = await load(req.params.id);
      if (!lot) throw problems.notFound('lot', req.params.id);
      const moves = await db.execute<Record<string, any>>(
        `SELECT m.id AS move_id, m.number, m.type, m.reference, m.effective_at, ml.from_location_id, fl.name AS from_name, ml.to_location_id, tl.name AS to_name, ml.qty, s.serial
           FROM inventory_move_line ml JOIN inventory_move m ON m.id = ml.move_id
           LEFT JOIN core_location fl ON fl.id = ml.from_location_id LEFT JOIN core_location tl ON tl.id = ml.to_location_id
           LEFT JOIN inventory_serial s ON s.id = ml.serial_id
          WHERE ml.lot_id = $1 ORDER BY m.effective_at, m.number, ml.line_no`,
        [lot.id],
      );
      const locations = await db.execute<Record<string, any>>(
        `WITH touched AS (
           SELECT to_location_id AS loc, qty AS received, 0 AS shipped FROM inventory_move_line WHERE lot_id = $1 AND to_location_id IS NOT NULL
           UNION ALL SELECT from_location_id, 0, qty FROM inventory_move_line WHERE lot_id = $1 AND from_location_id IS NOT NULL),
         agg AS (SELECT loc, sum(received) AS received, sum(shipped) AS shipped FROM touched GROUP BY loc)
         SELECT agg.loc, l.name, agg.received, agg.shipped, coalesce((SELECT sum(on_hand) FROM inventory_balance b WHERE b.lot_id = $1 AND b.location_id = agg.loc), 0) AS on_hand,
                (WITH RECURSIVE up AS (SELECT x.id, x.parent_id, x.name, 0 AS lvl FROM core_location x WHERE x.id = agg.loc
                   UNION ALL SELECT p.id, p.parent_id, p.name, up.lvl + 1 FROM core_location p JOIN up ON p.id = up.parent_id)
                 SELECT string_agg(name, ' / ' ORDER BY lvl DESC) FROM up) AS path
           FROM agg JOIN core_location l ON l.id = agg.loc ORDER BY path`,
        [lot.id],
      );
      return {
        lot,
        moves: moves.map((m) => ({
          moveId: m.move_id,
          number: String(m.number),
          type: m.type,
          reference: m.reference,
          effectiveAt: isoOf(m.effective_at)!,
          fromLocationId: m.from_location_id,
          fromLocation: m.from_name,
          toLocationId: m.to_location_id,
          toLocation: m.to_name,
          qty: qtyText(m.qty),
          serial: m.serial,
        })),
        locations: locations.map((l) => ({ locationId: l.loc, location: l.name, path: l.path, onHand: qtyText(dec(l.on_hand)), received: qtyText(l.received), shipped: qtyText(l.shipped) })),
      };
    },
  );
}
