import { Type, problems, type PluginApp, type PluginContext } from '@quartermaster/sdk';
import { permissions } from '../../shared/index.js';
import { dec, money, qtyText } from '../../domain/money.js';
import type { InventoryOptions } from '../services/ledger.service.js';
import { changeStatus, createPurchaseOrder, receivePurchaseOrder, updateDraft } from '../services/purchasing.service.js';
import { readerOf } from '../services/stock.service.js';
import { isoOf } from '../services/time.js';
import { DecimalIn, DecimalOut, IdParams, IsoDate, Nullable, Page, PageQuery, Uuid, errorResponses, pageOf } from './schemas.js';

const LineIn = Type.Object(
  { itemId: Uuid, qty: DecimalIn, uom: Type.Optional(Type.String({ minLength: 1, maxLength: 20 })), unitPrice: Type.Optional(DecimalIn) },
  { additionalProperties: false },
);
const Status = Type.Union(['draft', 'ordered', 'partially-received', 'received', 'closed', 'cancelled'].map((s) => Type.Literal(s)));
const PurchaseOrderOut = Type.Object({
  id: Uuid,
  number: Type.String(),
  supplierId: Uuid,
  supplier: Type.String(),
  currency: Type.String(),
  locationId: Uuid,
  location: Type.String(),
  status: Type.String(),
  expectedOn: Nullable(Type.String()),
  reference: Nullable(Type.String()),
  note: Nullable(Type.String()),
  createdAt: Type.String(),
  createdBy: Type.String(),
  orderedAt: Nullable(Type.String()),
  closedAt: Nullable(Type.String()),
  total: DecimalOut,
  lines: Type.Array(
    Type.Object({
      id: Type.String(),
      lineNo: Type.Integer(),
      itemId: Uuid,
      itemName: Type.String(),
      qty: DecimalOut,
      uom: Type.String(),
      factor: DecimalOut,
      unitPrice: DecimalOut,
      amount: DecimalOut,
      receivedQty: DecimalOut,
      openQty: DecimalOut,
      trackingMode: Type.String(),
    }),
  ),
});

export function purchaseOrderRoutes(app: PluginApp, ctx: PluginContext<any>, options: InventoryOptions) {
  const db = readerOf(ctx);
  const mu = options.currencyMinorUnits;
  const load = async (id: string) => {
    const [po] = await db.execute<Record<string, any>>(
      `SELECT po.*, s.name AS supplier_name, s.currency, l.name AS location_name, to_char(po.expected_on, 'YYYY-MM-DD') AS expected
         FROM inventory_purchase_order po JOIN inventory_supplier s ON s.id = po.supplier_id JOIN core_location l ON l.id = po.location_id WHERE po.id = $1`,
      [id],
    );
    if (!po) return undefined;
    const lines = await db.execute<Record<string, any>>(
      `SELECT pl.*, i.name AS item_name, i.tracking_mode FROM inventory_purchase_order_line pl JOIN core_item i ON i.id = pl.item_id WHERE pl.purchase_order_id = $1 ORDER BY pl.line_no`,
      [id],
    );
    let total = dec(0);
    return {
      id: po.id,
      number: String(po.number),
      supplierId: po.supplier_id,
      supplier: po.supplier_name,
      currency: po.currency,
      locationId: po.location_id,
      location: po.location_name,
      status: po.status,
      expectedOn: po.expected,
      reference: po.reference,
      note: po.note,
      createdAt: isoOf(po.created_at)!,
      createdBy: po.created_by_label,
      orderedAt: isoOf(po.ordered_at),
      closedAt: isoOf(po.closed_at),
      lines: lines.map((l) => {
        const amount = money(dec(l.qty).times(dec(l.unit_price)), mu);
        total = total.plus(amount);
        const open = dec(l.qty).minus(dec(l.received_qty));
        return {
          id: String(l.id),
          lineNo: l.line_no,
          itemId: l.item_id,
          itemName: l.item_name,
          qty: qtyText(l.qty),
          uom: l.uom,
          factor: qtyText(l.factor),
          unitPrice: qtyText(l.unit_price),
          amount: amount.toFixed(mu),
          receivedQty: qtyText(l.received_qty),
          openQty: qtyText(open.gt(0) ? open : 0),
          trackingMode: l.tracking_mode,
        };
      }),
      get total() {
        return total.toFixed(mu);
      },
    };
  };
  const send = async (id: string) => {
    const po = await load(id);
    return po && { ...po, total: po.total };
  };

  app.get(
    '/purchase-orders',
    {
      config: { permission: permissions.stockRead },
      schema: {
        summary: 'Purchase orders',
        querystring: Type.Object({ status: Type.Optional(Status), supplierId: Type.Optional(Uuid), itemId: Type.Optional(Uuid), ...PageQuery }, { additionalProperties: false }),
        response: {
          200: Page(Type.Object({ id: Uuid, number: Type.String(), supplier: Type.String(), location: Type.String(), status: Type.String(), expectedOn: Nullable(Type.String()), createdAt: Type.String(), lines: Type.Integer(), total: DecimalOut })),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const { limit, offset } = pageOf(req.query);
      const params: unknown[] = [limit, offset];
      const where: string[] = [];
      if (req.query.status) where.push(`po.status = $${params.push(req.query.status)}`);
      if (req.query.supplierId) where.push(`po.supplier_id = $${params.push(req.query.supplierId)}`);
      if (req.query.itemId) where.push(`EXISTS (SELECT 1 FROM inventory_purchase_order_line x WHERE x.purchase_order_id = po.id AND x.item_id = $${params.push(req.query.itemId)})`);
      const rows = await db.execute<Record<string, any>>(
        `SELECT po.id, po.number, s.name AS supplier, l.name AS location, po.status, to_char(po.expected_on, 'YYYY-MM-DD') AS expected, po.created_at,
                (SELECT count(*) FROM inventory_purchase_order_line x WHERE x.purchase_order_id = po.id) AS lines,
                (SELECT coalesce(sum(round(x.qty * x.unit_price, ${mu})), 0) FROM inventory_purchase_order_line x WHERE x.purchase_order_id = po.id) AS total,
                count(*) OVER () AS n
           FROM inventory_purchase_order po JOIN inventory_supplier s ON s.id = po.supplier_id JOIN core_location l ON l.id = po.location_id
          ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY po.number DESC LIMIT $1 OFFSET $2`,
        params,
      );
      return {
        data: rows.map((r) => ({ id: r.id, number: String(r.number), supplier: r.supplier, location: r.location, status: r.status, expectedOn: r.expected, createdAt: isoOf(r.created_at)!, lines: Number(r.lines), total: dec(r.total).toFixed(mu) })),
        total: rows.length ? Number(rows[0].n) : 0,
        limit,
        offset,
      };
    },
  );

  app.post(
    '/purchase-orders',
    {
      config: { permission: permissions.purchasingWrite },
      schema: {
        summary: 'Draft a purchase order',
        description: 'Lines default to the supplier\'s purchase unit and price for the item.',
        body: Type.Object(
          {
            supplierId: Uuid,
            locationId: Uuid,
            expectedOn: Type.Optional(IsoDate),
            reference: Type.Optional(Type.String({ maxLength: 200 })),
            note: Type.Optional(Type.String({ maxLength: 2000 })),
            lines: Type.Array(LineIn, { minItems: 1, maxItems: 1000 }),
          },
          { additionalProperties: false },
        ),
        response: { 201: PurchaseOrderOut, ...errorResponses },
      },
    },
    async (req, reply) => {
      const po = await ctx.transaction(req.actor, (tx) => createPurchaseOrder(tx, req.body));
      return reply.status(201).send((await send(po.id))!);
    },
  );

  app.get(
    '/purchase-orders/:id',
    { config: { permission: permissions.stockRead }, schema: { summary: 'One purchase order', params: IdParams, response: { 200: PurchaseOrderOut, ...errorResponses } } },
    async (req) => {
      const po = await send(req.params.id);
      if (!po) throw problems.notFound('purchase order', req.params.id);
      return po;
    },
  );

  app.patch(
    '/purchase-orders/:id',
    {
      config: { permission: permissions.purchasingWrite },
      schema: {
        summary: 'Edit a draft purchase order',
        params: IdParams,
        body: Type.Object(
          {
            locationId: Type.Optional(Uuid),
            expectedOn: Type.Optional(Nullable(IsoDate)),
            reference: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
            note: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
            lines: Type.Optional(Type.Array(LineIn, { minItems: 1, maxItems: 1000 })),
          },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: PurchaseOrderOut, ...errorResponses },
      },
    },
    async (req) => {
      await ctx.transaction(req.actor, (tx) => updateDraft(tx, req.params.id, req.body as any));
      return send(req.params.id);
    },
  );

  for (const [path, to, summary] of [
    ['order', 'ordered', 'Send a draft to the supplier (ordered)'],
    ['close', 'closed', 'Close an order short: what is still open is no longer expected'],
    ['cancel', 'cancelled', 'Cancel a draft, or an ordered purchase order nothing was received against'],
  ] as const) {
    app.post(
      `/purchase-orders/:id/${path}`,
      { config: { permission: permissions.purchasingWrite }, schema: { summary, params: IdParams, response: { 200: PurchaseOrderOut, ...errorResponses } } },
      async (req) => {
        await ctx.transaction(req.actor, (tx) => changeStatus(tx, req.params.id, to));
        return send(req.params.id);
      },
    );
  }

  app.post(
    '/purchase-orders/:id/receive',
    {
      config: { permission: permissions.purchasingReceive },
      schema: {
        summary: 'Receive against a purchase order',
        description: 'Posts one receipt move at the order prices (partial receipts welcome). Receiving more than ordered is refused with 409 unless allowOverDelivery.',
        params: IdParams,
        body: Type.Object(
          {
            effectiveAt: Type.Optional(Type.String({ format: 'date-time' })),
            allowOverDelivery: Type.Optional(Type.Boolean()),
            note: Type.Optional(Type.String({ maxLength: 2000 })),
            lines: Type.Array(
              Type.Object(
                {
                  lineId: Type.String({ pattern: '^[0-9]+$' }),
                  qty: DecimalIn,
                  toLocationId: Type.Optional(Uuid),
                  lot: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
                  expiresOn: Type.Optional(IsoDate),
                  manufacturedOn: Type.Optional(IsoDate),
                  serials: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { minItems: 1, maxItems: 10_000 })),
                },
                { additionalProperties: false },
              ),
              { minItems: 1, maxItems: 1000 },
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Composite([PurchaseOrderOut, Type.Object({ moveId: Uuid })]), ...errorResponses },
      },
    },
    async (req) => {
      const move = await ctx.transaction(req.actor, (tx) => receivePurchaseOrder(tx, req.params.id, req.body, options));
      return { ...(await send(req.params.id))!, moveId: move.id };
    },
  );
}
