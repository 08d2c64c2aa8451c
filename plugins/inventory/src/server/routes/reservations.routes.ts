import { isoOf } from '../services/time.js';
import { Type, problems, type PluginApp, type PluginContext } from '@quartermaster/sdk';
import { permissions } from '../../shared/index.js';
import { qtyText, dec } from '../../domain/money.js';
import type { InventoryOptions } from '../services/ledger.service.js';
import { closeReservation, createReservation, expireReservations } from '../services/reservation.service.js';
import { readerOf } from '../services/stock.service.js';
import { DecimalIn, DecimalOut, IdParams, Nullable, Page, PageQuery, Uuid, errorResponses, pageOf } from './schemas.js';

const ReservationOut = Type.Object({
  id: Uuid,
  itemId: Uuid,
  itemName: Type.String(),
  locationId: Uuid,
  location: Type.String(),
  qty: DecimalOut,
  consumed: DecimalOut,
  remaining: DecimalOut,
  status: Type.String(),
  referenceType: Nullable(Type.String()),
  reference: Nullable(Type.String()),
  expiresAt: Nullable(Type.String()),
  createdAt: Type.String(),
  createdBy: Type.String(),
  closedAt: Nullable(Type.String()),
  lots: Type.Array(Type.Object({ lot: Nullable(Type.String()), qty: DecimalOut })),
});

const SELECT = `SELECT r.*, i.name AS item_name, loc.name AS location_name,
    coalesce((SELECT json_agg(json_build_object('lot', l.code, 'qty', a.qty) ORDER BY l.expires_on NULLS LAST, l.code)
                FROM inventory_reservation_allocation a JOIN inventory_balance b ON b.id = a.balance_id LEFT JOIN inventory_lot l ON l.id = b.lot_id
               WHERE a.reservation_id = r.id AND a.qty > 0), '[]') AS lots
  FROM inventory_reservation r JOIN core_item i ON i.id = r.item_id JOIN core_location loc ON loc.id = r.location_id`;

const toOut = (r: Record<string, any>) => ({
  id: r.id,
  itemId: r.item_id,
  itemName: r.item_name,
  locationId: r.location_id,
  location: r.location_name,
  qty: qtyText(r.qty),
  consumed: qtyText(r.consumed_qty),
  remaining: qtyText(r.status === 'active' ? dec(r.qty).minus(dec(r.consumed_qty)) : 0),
  status: r.status,
  referenceType: r.reference_type,
  reference: r.reference,
  expiresAt: isoOf(r.expires_at),
  createdAt: isoOf(r.created_at)!,
  createdBy: r.created_by_label,
  closedAt: isoOf(r.closed_at),
  lots: (r.lots as { lot: string | null; qty: string | number }[]).map((x) => ({ lot: x.lot, qty: qtyText(String(x.qty)) })),
});

export function reservationRoutes(app: PluginApp, ctx: PluginContext<any>, _options: InventoryOptions) {
  const db = readerOf(ctx);
  const load = async (id: string) => (await db.execute<Record<string, any>>(`${SELECT} WHERE r.id = $1`, [id])).map(toOut)[0];

  app.post(
    '/reservations',
    {
      config: { permission: permissions.reservationsWrite },
      schema: {
        summary: 'Reserve stock',
        description: 'Holds available stock at a location (lot-tracked items: the named lot, or usable lots first-expiry-first). Refused with 409 when not enough is available.',
        body: Type.Object(
          {
            itemId: Uuid,
            locationId: Uuid,
            qty: DecimalIn,
            lot: Type.Optional(Type.String({ minLength: 1 })),
            referenceType: Type.Optional(Type.String({ maxLength: 50 })),
            reference: Type.Optional(Type.String({ maxLength: 200 })),
            expiresAt: Type.Optional(Type.String({ format: 'date-time' })),
          },
          { additionalProperties: false },
        ),
        response: { 201: ReservationOut, ...errorResponses },
      },
    },
    async (req, reply) => {
      const id = await ctx.transaction(req.actor, (tx) => createReservation(tx, req.body));
      return reply.status(201).send(await load(id));
    },
  );

  app.get(
    '/reservations',
    {
      config: { permission: permissions.stockRead },
      schema: {
        summary: 'Reservations',
        querystring: Type.Object(
          {
            itemId: Type.Optional(Uuid),
            locationId: Type.Optional(Uuid),
            status: Type.Optional(Type.Union(['active', 'released', 'consumed', 'expired'].map((s) => Type.Literal(s)))),
            reference: Type.Optional(Type.String({ minLength: 1 })),
            ...PageQuery,
          },
          { additionalProperties: false },
        ),
        response: { 200: Page(ReservationOut), ...errorResponses },
      },
    },
    async (req) => {
      // Reads never show a reservation as active past its expiry.
      await expireReservations(ctx, req.actor);
      const q = req.query;
      const { limit, offset } = pageOf(q);
      const params: unknown[] = [];
      const p = (v: unknown) => (params.push(v), `$${params.length}`);
      const where: string[] = [];
      if (q.itemId) where.push(`r.item_id = ${p(q.itemId)}`);
      if (q.locationId) where.push(`r.location_id = ${p(q.locationId)}`);
      if (q.status) where.push(`r.status = ${p(q.status)}`);
      if (q.reference) where.push(`r.reference = ${p(q.reference)}`);
      const rows = await db.execute<Record<string, any>>(
        `SELECT *, count(*) OVER () AS total FROM (${SELECT} ${where.length ? 'WHERE ' + where.join(' AND ') : ''}) x ORDER BY created_at DESC LIMIT ${p(limit)} OFFSET ${p(offset)}`,
        params,
      );
      return { data: rows.map(toOut), total: rows.length ? Number(rows[0].total) : 0, limit, offset };
    },
  );

  app.get(
    '/reservations/:id',
    { config: { permission: permissions.stockRead }, schema: { summary: 'One reservation', params: IdParams, response: { 200: ReservationOut, ...errorResponses } } },
    async (req) => {
      await expireReservations(ctx, req.actor);
      const r = await load(req.params.id);
      if (!r) throw problems.notFound('reservation', req.params.id);
      return r;
    },
  );

  app.post(
    '/reservations/:id/release',
    { config: { permission: permissions.reservationsWrite }, schema: { summary: 'Release what a reservation still holds', params: IdParams, response: { 200: ReservationOut, ...errorResponses } } },
    async (req) => {
      await ctx.transaction(req.actor, (tx) => closeReservation(tx, req.params.id, 'released'));
      return load(req.params.id);
    },
  );
}
