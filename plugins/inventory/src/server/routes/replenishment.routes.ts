import { Type, problems, type PluginApp, type PluginContext, type Transaction } from '@quartermaster/sdk';
import { permissions } from '../../shared/index.js';
import { dec, qtyText } from '../../domain/money.js';
import { ReplenishmentInputError, suggestOrder } from '../../domain/replenishment.js';
import type { InventoryOptions } from '../services/ledger.service.js';
import { RULES_SQL, domainRule, planRule, positionsOf, type ReplenishmentOptions, type RuleRow } from '../services/replenishment.service.js';
import { createPurchaseOrder } from '../services/purchasing.service.js';
import { readerOf } from '../services/stock.service.js';
import { DecimalIn, DecimalOut, IdParams, Nullable, Page, PageQuery, Uuid, errorResponses, pageOf } from './schemas.js';

const SupplierIn = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  code: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 50 }))),
  email: Type.Optional(Nullable(Type.String({ format: 'email' }))),
  phone: Type.Optional(Nullable(Type.String({ maxLength: 50 }))),
  currency: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$' })),
  leadTimeDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 3650 })),
  notes: Type.Optional(Nullable(Type.String({ maxLength: 4000 }))),
  archived: Type.Optional(Type.Boolean()),
};
const SupplierOut = Type.Object({
  id: Uuid,
  name: Type.String(),
  code: Nullable(Type.String()),
  email: Nullable(Type.String()),
  phone: Nullable(Type.String()),
  currency: Type.String(),
  leadTimeDays: Type.Integer(),
  notes: Nullable(Type.String()),
  archived: Type.Boolean(),
  items: Type.Integer(),
});
const supplierOut = (r: Record<string, any>) => ({
  id: r.id,
  name: r.name,
  code: r.code,
  email: r.email,
  phone: r.phone,
  currency: r.currency,
  leadTimeDays: r.lead_time_days,
  notes: r.notes,
  archived: r.archived,
  items: Number(r.items ?? 0),
});

const SupplierItemIn = Type.Object(
  {
    supplierSku: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
    unitPrice: DecimalIn,
    uom: Type.Optional(Type.String({ minLength: 1, maxLength: 20 })),
    leadTimeDays: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 3650 }))),
    minOrderQty: Type.Optional(Nullable(DecimalIn)),
    orderMultiple: Type.Optional(Nullable(DecimalIn)),
    preferred: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
const SupplierItemOut = Type.Object({
  supplierId: Uuid,
  supplier: Type.String(),
  itemId: Uuid,
  itemName: Type.String(),
  supplierSku: Nullable(Type.String()),
  unitPrice: DecimalOut,
  uom: Type.String(),
  factor: DecimalOut,
  leadTimeDays: Nullable(Type.Integer()),
  minOrderQty: Nullable(DecimalOut),
  orderMultiple: Nullable(DecimalOut),
  preferred: Type.Boolean(),
});

const RuleIn = Type.Object(
  {
    itemId: Uuid,
    locationId: Uuid,
    kind: Type.Union([Type.Literal('min-max'), Type.Literal('reorder-point')]),
    min: Type.Optional(Nullable(DecimalIn)),
    max: Type.Optional(Nullable(DecimalIn)),
    reorderPoint: Type.Optional(Nullable(DecimalIn)),
    safetyStock: Type.Optional(Nullable(DecimalIn)),
    serviceLevel: Type.Optional(Nullable(Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1 }))),
    demandStdDevPerDay: Type.Optional(Nullable(DecimalIn)),
    leadTimeDays: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 3650 }))),
    orderQty: Type.Optional(Nullable(DecimalIn)),
    orderCost: Type.Optional(Nullable(DecimalIn)),
    holdingCostPerUnitYear: Type.Optional(Nullable(DecimalIn)),
    orderMultiple: Type.Optional(Nullable(DecimalIn)),
    minOrderQty: Type.Optional(Nullable(DecimalIn)),
    supplierId: Type.Optional(Nullable(Uuid)),
  },
  { additionalProperties: false },
);
const RuleOut = Type.Object({
  id: Uuid,
  itemId: Uuid,
  itemName: Type.String(),
  uom: Type.String(),
  locationId: Uuid,
  location: Type.String(),
  kind: Type.String(),
  min: Nullable(DecimalOut),
  max: Nullable(DecimalOut),
  reorderPoint: Nullable(DecimalOut),
  safetyStock: Nullable(DecimalOut),
  serviceLevel: Nullable(DecimalOut),
  demandStdDevPerDay: Nullable(DecimalOut),
  leadTimeDays: Nullable(Type.Integer()),
  orderQty: Nullable(DecimalOut),
  orderCost: Nullable(DecimalOut),
  holdingCostPerUnitYear: Nullable(DecimalOut),
  orderMultiple: Nullable(DecimalOut),
  minOrderQty: Nullable(DecimalOut),
  supplierId: Nullable(Uuid),
  supplier: Nullable(Type.String()),
  belowSince: Nullable(Type.String()),
});
const q = (v: string | null) => (v === null ? null : qtyText(v));
const ruleOut = (r: RuleRow) => ({
  id: r.id,
  itemId: r.item_id,
  itemName: r.item_name,
  uom: r.uom,
  locationId: r.location_id,
  location: r.location_name,
  kind: r.kind,
  min: q(r.min_qty),
  max: q(r.max_qty),
  reorderPoint: q(r.reorder_point),
  safetyStock: q(r.safety_stock),
  serviceLevel: q(r.service_level),
  demandStdDevPerDay: q(r.demand_std_dev),
  leadTimeDays: r.lead_time_days,
  orderQty: q(r.order_qty),
  orderCost: q(r.order_cost),
  holdingCostPerUnitYear: q(r.holding_cost_per_unit_year),
  orderMultiple: q(r.order_multiple),
  minOrderQty: q(r.min_order_qty),
  supplierId: r.eff_supplier_id,
  supplier: r.supplier_name,
  belowSince: r.below_since ? new Date(r.below_since as string).toISOString() : null,
});

const Suggestion = Type.Object({
  ruleId: Uuid,
  itemId: Uuid,
  itemName: Type.String(),
  uom: Type.String(),
  locationId: Uuid,
  location: Type.String(),
  onHand: DecimalOut,
  reserved: DecimalOut,
  onOrder: DecimalOut,
  position: DecimalOut,
  reorderPoint: Nullable(DecimalOut),
  safetyStock: Nullable(DecimalOut),
  qty: DecimalOut,
  purchaseQty: Nullable(DecimalOut),
  purchaseUom: Nullable(Type.String()),
  supplierId: Nullable(Uuid),
  supplier: Nullable(Type.String()),
  unitPrice: Nullable(DecimalOut),
  reason: Type.String(),
});

export async function computeSuggestions(tx: Pick<Transaction, 'execute'>, filter: { locationId?: string; supplierId?: string; ruleIds?: string[] }, options: ReplenishmentOptions) {
  const params: unknown[] = [];
  const where: string[] = [];
  if (filter.ruleIds) where.push(`r.id = ANY($${params.push(filter.ruleIds)}::uuid[])`);
  if (filter.locationId) where.push(`r.location_id = $${params.push(filter.locationId)}`);
  if (filter.supplierId) where.push(`coalesce(r.supplier_id, pref.supplier_id) = $${params.push(filter.supplierId)}`);
  const rules = await tx.execute<RuleRow>(`${RULES_SQL} ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY i.name, l.name`, params);
  const positions = await positionsOf(tx, rules);
  const out: any[] = [];
  const skipped: { ruleId: string; itemName: string; reason: string }[] = [];
  for (const r of rules) {
    const plan = await planRule(tx, r, options);
    if (r.kind === 'reorder-point' && r.reorder_point === null) {
      await tx.execute(`UPDATE inventory_reorder_rule SET computed_reorder_point = $2, computed_safety_stock = $3, computed_order_qty = $4, computed_at = now() WHERE id = $1`, [
        r.id,
        plan.reorderPoint?.toFixed() ?? null,
        plan.safetyStock?.toFixed() ?? null,
        plan.orderQty?.toFixed() ?? null,
      ]);
    }
    const rule = domainRule(r, plan);
    if (!rule) {
      skipped.push({ ruleId: r.id, itemName: r.item_name, reason: plan.notes.find((n) => n.startsWith('no ')) ?? 'the rule needs an order quantity (fixed, EOQ costs, or a max level)' });
      continue;
    }
    const p = positions.get(r.id)!;
    let s;
    try {
      s = suggestOrder(rule, { onHand: p.onHand, reserved: p.reserved, onOrder: p.onOrder });
    } catch (e) {
      if (e instanceof ReplenishmentInputError) {
        skipped.push({ ruleId: r.id, itemName: r.item_name, reason: `${e.field}: ${e.message}` });
        continue;
      }
      throw e;
    }
    if (!s) continue;
    const factor = r.factor === null ? null : dec(r.factor);
    out.push({
      ruleId: r.id,
      itemId: r.item_id,
      itemName: r.item_name,
      uom: r.uom,
      locationId: r.location_id,
      location: r.location_name,
      onHand: qtyText(p.onHand),
      reserved: qtyText(p.reserved),
      onOrder: qtyText(p.onOrder),
      position: qtyText(s.position),
      reorderPoint: r.kind === 'min-max' ? q(r.min_qty) : plan.reorderPoint ? qtyText(plan.reorderPoint) : null,
      safetyStock: plan.safetyStock ? qtyText(plan.safetyStock) : null,
      qty: qtyText(s.qty),
      purchaseQty: factor ? qtyText(s.qty.div(factor).ceil()) : null,
      purchaseUom: r.purchase_uom,
      supplierId: r.eff_supplier_id,
      supplier: r.supplier_name,
      unitPrice: r.unit_price === null ? null : qtyText(r.unit_price),
      reason: [s.reason, ...plan.notes].join('; '),
    });
  }
  return { suggestions: out, skipped };
}

export function replenishmentRoutes(app: PluginApp, ctx: PluginContext<any>, options: InventoryOptions & ReplenishmentOptions) {
  const db = readerOf(ctx);
  const loadSupplier = async (id: string) =>
    (await db.execute<Record<string, any>>(`SELECT s.*, (SELECT count(*) FROM inventory_supplier_item si WHERE si.supplier_id = s.id) AS items FROM inventory_supplier s WHERE s.id = $1`, [id])).map(supplierOut)[0];

  app.get(
    '/suppliers',
    {
      config: { permission: permissions.stockRead },
      schema: {
        summary: 'Suppliers',
        querystring: Type.Object({ q: Type.Optional(Type.String({ minLength: 1 })), includeArchived: Type.Optional(Type.Boolean()), ...PageQuery }, { additionalProperties: false }),
        response: { 200: Page(SupplierOut), ...errorResponses },
      },
    },
    async (req) => {
      const { limit, offset } = pageOf(req.query);
      const params: unknown[] = [limit, offset];
      const where: string[] = [];
      if (!req.query.includeArchived) where.push('NOT s.archived');
      if (req.query.q) where.push(`(s.name ILIKE $${params.push('%' + req.query.q.replace(/[\\%_]/g, (c) => '\\' + c) + '%')} OR s.code = $${params.push(req.query.q)})`);
      const rows = await db.execute<Record<string, any>>(
        `SELECT s.*, (SELECT count(*) FROM inventory_supplier_item si WHERE si.supplier_id = s.id) AS items, count(*) OVER () AS total
           FROM inventory_supplier s ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY lower(s.name) LIMIT $1 OFFSET $2`,
        params,
      );
      return { data: rows.map(supplierOut), total: rows.length ? Number(rows[0].total) : 0, limit, offset };
    },
  );

  app.post(
    '/suppliers',
    {
      config: { permission: permissions.replenishmentWrite },
      schema: { summary: 'Create a supplier', body: Type.Object(SupplierIn, { additionalProperties: false }), response: { 201: SupplierOut, ...errorResponses } },
    },
    async (req, reply) => {
      const b = req.body;
      if (!b.name.trim()) throw problems.validation([{ field: 'name', message: 'must not be blank' }]);
      const id = await ctx.transaction(req.actor, async (tx) => {
        const [dup] = await tx.execute<{ id: string }>(`SELECT id FROM inventory_supplier WHERE lower(name) = lower($1) OR ($2::text IS NOT NULL AND code = $2)`, [b.name.trim(), b.code ?? null]);
        if (dup) throw problems.conflict('inventory/supplier-exists', 'Supplier exists', `A supplier with this name or code exists`, { supplierId: dup.id });
        const [s] = await tx.execute<{ id: string }>(
          `INSERT INTO inventory_supplier (name, code, email, phone, currency, lead_time_days, notes) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
          [b.name.trim(), b.code ?? null, b.email ?? null, b.phone ?? null, b.currency ?? 'EUR', b.leadTimeDays ?? 7, b.notes ?? null],
        );
        await tx.audit({ action: 'created', entityType: 'inventory.supplier', entityId: s.id, after: b });
        return s.id;
      });
      return reply.status(201).send((await loadSupplier(id))!);
    },
  );

  app.get(
    '/suppliers/:id',
    { config: { permission: permissions.stockRead }, schema: { summary: 'One supplier', params: IdParams, response: { 200: SupplierOut, ...errorResponses } } },
    async (req) => {
      const s = await loadSupplier(req.params.id);
      if (!s) throw problems.notFound('supplier', req.params.id);
      return s;
    },
  );

  app.patch(
    '/suppliers/:id',
    {
      config: { permission: permissions.replenishmentWrite },
      schema: { summary: 'Edit a supplier', params: IdParams, body: Type.Partial(Type.Object(SupplierIn), { additionalProperties: false, minProperties: 1 }), response: { 200: SupplierOut, ...errorResponses } },
    },
    async (req) => {
      const b = req.body as Record<string, any>;
      if (b.name !== undefined && !String(b.name).trim()) throw problems.validation([{ field: 'name', message: 'must not be blank' }]);
      await ctx.transaction(req.actor, async (tx) => {
        const [before] = await tx.execute<Record<string, any>>(`SELECT * FROM inventory_supplier WHERE id = $1 FOR UPDATE`, [req.params.id]);
        if (!before) throw problems.notFound('supplier', req.params.id);
        const cols: Record<string, string> = { name: 'name', code: 'code', email: 'email', phone: 'phone', currency: 'currency', leadTimeDays: 'lead_time_days', notes: 'notes', archived: 'archived' };
        const sets: string[] = [];
        const params: unknown[] = [before.id];
        for (const [k, c] of Object.entries(cols)) if (b[k] !== undefined) sets.push(`${c} = $${params.push(k === 'name' ? String(b[k]).trim() : b[k])}`);
        if (b.name !== undefined || b.code !== undefined) {
          const [dup] = await tx.execute<{ id: string }>(`SELECT id FROM inventory_supplier WHERE id <> $1 AND (lower(name) = lower($2) OR ($3::text IS NOT NULL AND code = $3))`, [
            before.id,
            b.name?.trim() ?? before.name,
            b.code !== undefined ? b.code : before.code,
          ]);
          if (dup) throw problems.conflict('inventory/supplier-exists', 'Supplier exists', 'Another supplier has this name or code', { supplierId: dup.id });
        }
        await tx.execute(`UPDATE inventory_supplier SET ${sets.join(', ')}, updated_at = now() WHERE id = $1`, params);
        await tx.audit({ action: 'updated', entityType: 'inventory.supplier', entityId: before.id, before, after: b });
      });
      return loadSupplier(req.params.id);
    },
  );

  const loadSupplierItems = (where: string, params: unknown[]) =>
    db.execute<Record<string, any>>(
      `SELECT si.*, s.name AS supplier_name, i.name AS item_name FROM inventory_supplier_item si JOIN inventory_supplier s ON s.id = si.supplier_id JOIN core_item i ON i.id = si.item_id WHERE ${where} ORDER BY i.name, s.name`,
      params,
    );
  const supplierItemOut = (r: Record<string, any>) => ({
    supplierId: r.supplier_id,
    supplier: r.supplier_name,
    itemId: r.item_id,
    itemName: r.item_name,
    supplierSku: r.supplier_sku,
    unitPrice: qtyText(r.unit_price),
    uom: r.uom,
    factor: qtyText(r.factor),
    leadTimeDays: r.lead_time_days,
    minOrderQty: q(r.min_order_qty),
    orderMultiple: q(r.order_multiple),
    preferred: r.preferred,
  });

  app.get(
    '/supplier-items',
    {
      config: { permission: permissions.stockRead },
      schema: {
        summary: 'What suppliers sell: prices, purchase units, lead times',
        querystring: Type.Object({ supplierId: Type.Optional(Uuid), itemId: Type.Optional(Uuid) }, { additionalProperties: false, minProperties: 1 }),
        response: { 200: Type.Array(SupplierItemOut), ...errorResponses },
      },
    },
    async (req) => {
      const params: unknown[] = [];
      const where = ['true'];
      if (req.query.supplierId) where.push(`si.supplier_id = $${params.push(req.query.supplierId)}`);
      if (req.query.itemId) where.push(`si.item_id = $${params.push(req.query.itemId)}`);
      return (await loadSupplierItems(where.join(' AND '), params)).map(supplierItemOut);
    },
  );

  app.put(
    '/suppliers/:id/items/:itemId',
    {
      config: { permission: permissions.replenishmentWrite },
      schema: {
        summary: "Set a supplier's price, purchase unit and lead time for an item",
        description: 'The purchase unit must be the item\'s base unit or one of its units of measure (e.g. a box of 12). `preferred` makes this the supplier reorder rules use by default.',
        params: Type.Object({ id: Uuid, itemId: Uuid }, { additionalProperties: false }),
        body: SupplierItemIn,
        response: { 200: SupplierItemOut, ...errorResponses },
      },
    },
    async (req) => {
      const b = req.body;
      await ctx.transaction(req.actor, async (tx) => {
        const [s] = await tx.execute<{ id: string }>(`SELECT id FROM inventory_supplier WHERE id = $1`, [req.params.id]);
        if (!s) throw problems.notFound('supplier', req.params.id);
        const [item] = await tx.execute<{ id: string; unit_of_measure: string }>(`SELECT id, unit_of_measure FROM core_item WHERE id = $1`, [req.params.itemId]);
        if (!item) throw problems.notFound('item', req.params.itemId);
        const uom = b.uom?.trim() || item.unit_of_measure;
        let factor = '1';
        if (uom !== item.unit_of_measure) {
          const [u] = await tx.execute<{ factor: string }>(`SELECT factor FROM inventory_item_uom WHERE item_id = $1 AND uom = $2`, [item.id, uom]);
          if (!u) throw problems.validation([{ field: 'uom', message: `the item has no unit "${uom}"` }]);
          factor = u.factor;
        }
        const errors: { field: string; message: string }[] = [];
        if (dec(b.unitPrice).lt(0)) errors.push({ field: 'unitPrice', message: 'must be at least 0' });
        for (const k of ['minOrderQty', 'orderMultiple'] as const) if (b[k] !== undefined && b[k] !== null && dec(b[k]!).lte(0)) errors.push({ field: k, message: 'must be greater than 0' });
        if (errors.length) throw problems.validation(errors);
        if (b.preferred) await tx.execute(`UPDATE inventory_supplier_item SET preferred = false WHERE item_id = $1 AND supplier_id <> $2`, [item.id, s.id]);
        await tx.execute(
          `INSERT INTO inventory_supplier_item (supplier_id, item_id, supplier_sku, unit_price, uom, factor, lead_time_days, min_order_qty, order_multiple, preferred)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
           ON CONFLICT (supplier_id, item_id) DO UPDATE SET supplier_sku = EXCLUDED.supplier_sku, unit_price = EXCLUDED.unit_price, uom = EXCLUDED.uom, factor = EXCLUDED.factor,
             lead_time_days = EXCLUDED.lead_time_days, min_order_qty = EXCLUDED.min_order_qty, order_multiple = EXCLUDED.order_multiple, preferred = EXCLUDED.preferred, updated_at = now()`,
          [s.id, item.id, b.supplierSku ?? null, dec(b.unitPrice).toFixed(), uom, factor, b.leadTimeDays ?? null, b.minOrderQty == null ? null : dec(b.minOrderQty).toFixed(), b.orderMultiple == null ? null : dec(b.orderMultiple).toFixed(), !!b.preferred],
        );
        await tx.audit({ action: 'updated', entityType: 'inventory.supplier-item', entityId: `${s.id}/${item.id}`, after: b });
      });
      return (await loadSupplierItems('si.supplier_id = $1 AND si.item_id = $2', [req.params.id, req.params.itemId])).map(supplierItemOut)[0];
    },
  );

  const loadRule = async (id: string) => (await db.execute<RuleRow>(`${RULES_SQL} WHERE r.id = $1`, [id])).map(ruleOut)[0];

  app.get(
    '/reorder-rules',
    {
      config: { permission: permissions.stockRead },
      schema: {
        summary: 'Reorder rules',
        querystring: Type.Object({ itemId: Type.Optional(Uuid), locationId: Type.Optional(Uuid), belowReorderPoint: Type.Optional(Type.Boolean()), ...PageQuery }, { additionalProperties: false }),
        response: { 200: Page(RuleOut), ...errorResponses },
      },
    },
    async (req) => {
      const { limit, offset } = pageOf(req.query);
      const params: unknown[] = [limit, offset];
      const where: string[] = [];
      if (req.query.itemId) where.push(`r.item_id = $${params.push(req.query.itemId)}`);
      if (req.query.locationId) where.push(`r.location_id = $${params.push(req.query.locationId)}`);
      if (req.query.belowReorderPoint !== undefined) where.push(req.query.belowReorderPoint ? 'r.below_since IS NOT NULL' : 'r.below_since IS NULL');
      const rows = await db.execute<RuleRow & { total: string }>(`SELECT *, count(*) OVER () AS total FROM (${RULES_SQL} ${where.length ? 'WHERE ' + where.join(' AND ') : ''}) x ORDER BY item_name, location_name LIMIT $1 OFFSET $2`, params);
      return { data: rows.map(ruleOut), total: rows.length ? Number(rows[0].total) : 0, limit, offset };
    },
  );

  app.put(
    '/reorder-rules',
    {
      config: { permission: permissions.replenishmentWrite },
      schema: {
        summary: 'Create or replace the reorder rule of an item × location',
        description:
          'min-max: order up to max when the position is at or below min. reorder-point: order when at or below the reorder point; leave reorderPoint (and safetyStock) empty to compute them from demand history, the lead time (rule or supplier) and the service level; order a fixed orderQty, the EOQ (orderCost + holdingCostPerUnitYear), or up to max.',
        body: RuleIn,
        response: { 200: RuleOut, ...errorResponses },
      },
    },
    async (req) => {
      const b = req.body;
      const errors: { field: string; message: string }[] = [];
      const nonNeg = ['min', 'max', 'safetyStock', 'demandStdDevPerDay'] as const;
      for (const k of nonNeg) if (b[k] != null && dec(b[k]!).lt(0)) errors.push({ field: k, message: 'must be at least 0' });
      for (const k of ['orderQty', 'orderCost', 'holdingCostPerUnitYear', 'orderMultiple', 'minOrderQty'] as const) if (b[k] != null && dec(b[k]!).lte(0)) errors.push({ field: k, message: 'must be greater than 0' });
      if (b.kind === 'min-max') {
        if (b.min == null) errors.push({ field: 'min', message: 'is required for a min-max rule' });
        if (b.max == null) errors.push({ field: 'max', message: 'is required for a min-max rule' });
        if (b.min != null && b.max != null && dec(b.max).lt(dec(b.min))) errors.push({ field: 'max', message: 'must be at least min' });
      } else {
        if (b.orderQty == null && b.max == null && (b.orderCost == null || b.holdingCostPerUnitYear == null)) errors.push({ field: 'orderQty', message: 'give orderQty, orderCost and holdingCostPerUnitYear (EOQ), or max' });
        if ((b.orderCost == null) !== (b.holdingCostPerUnitYear == null)) errors.push({ field: b.orderCost == null ? 'orderCost' : 'holdingCostPerUnitYear', message: 'EOQ needs both orderCost and holdingCostPerUnitYear' });
        if (b.reorderPoint != null && b.max != null && dec(b.max).lt(dec(b.reorderPoint))) errors.push({ field: 'max', message: 'must be at least the reorder point' });
      }
      if (errors.length) throw problems.validation(errors);
      const id = await ctx.transaction(req.actor, async (tx) => {
        const [item] = await tx.execute(`SELECT 1 FROM core_item WHERE id = $1`, [b.itemId]);
        if (!item) throw problems.validation([{ field: 'itemId', message: 'no such item' }]);
        const [loc] = await tx.execute(`SELECT 1 FROM core_location WHERE id = $1`, [b.locationId]);
        if (!loc) throw problems.validation([{ field: 'locationId', message: 'no such location' }]);
        if (b.supplierId) {
          const [s] = await tx.execute(`SELECT 1 FROM inventory_supplier WHERE id = $1`, [b.supplierId]);
          if (!s) throw problems.validation([{ field: 'supplierId', message: 'no such supplier' }]);
        }
        const n = (v: string | number | null | undefined) => (v == null ? null : dec(v).toFixed());
        const [row] = await tx.execute<{ id: string }>(
          `INSERT INTO inventory_reorder_rule (item_id, location_id, kind, min_qty, max_qty, reorder_point, safety_stock, service_level, demand_std_dev, lead_time_days, order_qty, order_cost, holding_cost_per_unit_year, order_multiple, min_order_qty, supplier_id)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
           ON CONFLICT (item_id, location_id) DO UPDATE SET kind = EXCLUDED.kind, min_qty = EXCLUDED.min_qty, max_qty = EXCLUDED.max_qty, reorder_point = EXCLUDED.reorder_point,
             safety_stock = EXCLUDED.safety_stock, service_level = EXCLUDED.service_level, demand_std_dev = EXCLUDED.demand_std_dev, lead_time_days = EXCLUDED.lead_time_days,
             order_qty = EXCLUDED.order_qty, order_cost = EXCLUDED.order_cost, holding_cost_per_unit_year = EXCLUDED.holding_cost_per_unit_year, order_multiple = EXCLUDED.order_multiple,
             min_order_qty = EXCLUDED.min_order_qty, supplier_id = EXCLUDED.supplier_id, computed_reorder_point = NULL, computed_safety_stock = NULL, computed_order_qty = NULL,
             below_since = NULL, updated_at = now()
           RETURNING id`,
          [b.itemId, b.locationId, b.kind, n(b.min), n(b.max), n(b.reorderPoint), n(b.safetyStock), b.serviceLevel == null ? null : String(b.serviceLevel), n(b.demandStdDevPerDay), b.leadTimeDays ?? null, n(b.orderQty), n(b.orderCost), n(b.holdingCostPerUnitYear), n(b.orderMultiple), n(b.minOrderQty), b.supplierId ?? null],
        );
        await tx.audit({ action: 'updated', entityType: 'inventory.reorder-rule', entityId: row.id, after: b });
        return row.id;
      });
      return loadRule(id);
    },
  );

  app.delete(
    '/reorder-rules/:id',
    { config: { permission: permissions.replenishmentWrite }, schema: { summary: 'Delete a reorder rule', params: IdParams, response: { 204: Type.Null(), ...errorResponses } } },
    async (req, reply) => {
      await ctx.transaction(req.actor, async (tx) => {
        const [r] = await tx.execute<Record<string, unknown>>(`SELECT * FROM inventory_reorder_rule WHERE id = $1`, [req.params.id]);
        if (!r) throw problems.notFound('reorder rule', req.params.id);
        await tx.execute(`UPDATE inventory_purchase_order_line SET reorder_rule_id = NULL WHERE reorder_rule_id = $1`, [req.params.id]);
        await tx.execute(`DELETE FROM inventory_reorder_rule WHERE id = $1`, [req.params.id]);
        await tx.audit({ action: 'deleted', entityType: 'inventory.reorder-rule', entityId: req.params.id, before: r });
      });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/replenishment/suggestions',
    {
      config: { permission: permissions.stockRead },
      schema: {
        summary: 'What to order, how much, and why',
        description: 'Every reorder rule whose inventory position (on hand − reserved + on order, over the rule location and below) is at or below its trigger, with the quantity and the reasoning.',
        querystring: Type.Object({ locationId: Type.Optional(Uuid), supplierId: Type.Optional(Uuid) }, { additionalProperties: false }),
        response: { 200: Type.Object({ suggestions: Type.Array(Suggestion), skipped: Type.Array(Type.Object({ ruleId: Uuid, itemName: Type.String(), reason: Type.String() })) }), ...errorResponses },
      },
    },
    async (req) => ctx.transaction(req.actor, (tx) => computeSuggestions(tx, req.query, options)),
  );

  app.post(
    '/replenishment/purchase-orders',
    {
      config: { permission: permissions.purchasingWrite },
      schema: {
        summary: 'Turn suggestions into draft purchase orders, one per supplier and ship-to location',
        body: Type.Object({ ruleIds: Type.Optional(Type.Array(Uuid, { minItems: 1, maxItems: 5000 })), locationId: Type.Optional(Uuid), supplierId: Type.Optional(Uuid) }, { additionalProperties: false }),
        response: {
          201: Type.Object({ purchaseOrders: Type.Array(Type.Object({ id: Uuid, number: Type.String(), supplierId: Uuid, lines: Type.Integer() })), skipped: Type.Array(Type.Object({ ruleId: Uuid, itemName: Type.String(), reason: Type.String() })) }),
          ...errorResponses,
        },
      },
    },
    async (req, reply) => {
      const result = await ctx.transaction(req.actor, async (tx) => {
        const { suggestions, skipped } = await computeSuggestions(tx, req.body ?? {}, options);
        const groups = new Map<string, typeof suggestions>();
        for (const s of suggestions) {
          if (!s.supplierId) {
            skipped.push({ ruleId: s.ruleId, itemName: s.itemName, reason: 'no supplier: set one on the rule or mark a preferred supplier for the item' });
            continue;
          }
          const k = `${s.supplierId}|${s.locationId}`;
          groups.set(k, [...(groups.get(k) ?? []), s]);
        }
        const purchaseOrders = [];
        for (const [k, lines] of groups) {
          const [supplierId, locationId] = k.split('|');
          const po = await createPurchaseOrder(tx, {
            supplierId,
            locationId,
            note: 'From reorder suggestions',
            lines: lines.map((s) => ({ itemId: s.itemId, qty: s.purchaseQty ?? s.qty, uom: s.purchaseUom ?? undefined, unitPrice: s.unitPrice ?? undefined, reorderRuleId: s.ruleId })),
          });
          purchaseOrders.push({ id: po.id, number: po.number, supplierId, lines: lines.length });
        }
        return { purchaseOrders, skipped };
      });
      return reply.status(201).send(result);
    },
  );
}
