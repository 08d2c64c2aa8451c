/**
 * Purchase orders: drafted by hand or from reorder suggestions, ordered, received in one or more
 * receipts (each a posted receipt move at the order's price), closed short or cancelled.
 */
import { ProblemError, problems, type Transaction } from '@quartermaster/sdk';
import { PurchaseOrderCreated, PurchaseOrderStatusChanged } from '../../shared/index.js';
import { dec, qtyText } from '../../domain/money.js';
import { postMove, type InventoryOptions, type MoveLineInput } from './ledger.service.js';

export type PurchaseOrderStatus = 'draft' | 'ordered' | 'partially-received' | 'received' | 'closed' | 'cancelled';

/** Which status may follow which; anything else is a 409 naming both. */
const NEXT: Record<PurchaseOrderStatus, PurchaseOrderStatus[]> = {
  draft: ['ordered', 'cancelled'],
  ordered: ['partially-received', 'received', 'closed', 'cancelled'],
  'partially-received': ['partially-received', 'received', 'closed'],
  received: [],
  closed: [],
  cancelled: [],
};

export const illegalTransition = (number: string, from: string, to: string) =>
  new ProblemError({
    type: 'inventory/purchase-order-state',
    status: 409,
    title: 'Not allowed in this state',
    detail: `Purchase order ${number} is ${from}; it cannot become ${to}`,
    extensions: { currentState: from, requestedState: to },
  });

export interface PurchaseOrderLineInput {
  itemId: string;
  qty: string | number;
  uom?: string;
  unitPrice?: string | number;
  reorderRuleId?: string;
}

export interface PurchaseOrderInput {
  supplierId: string;
  locationId: string;
  expectedOn?: string;
  reference?: string;
  note?: string;
  lines: PurchaseOrderLineInput[];
}

async function resolveLines(tx: Pick<Transaction, 'execute'>, supplierId: string, lines: PurchaseOrderLineInput[]) {
  const errors: { field: string; message: string }[] = [];
  const out = [];
  for (const [i, l] of lines.entries()) {
    const [item] = await tx.execute<{ id: string; unit_of_measure: string; kind: string }>(`SELECT id, unit_of_measure, kind FROM core_item WHERE id = $1`, [l.itemId]);
    if (!item) {
      errors.push({ field: `lines.${i}.itemId`, message: 'no such item' });
      continue;
    }
    const [si] = await tx.execute<{ uom: string; factor: string; unit_price: string }>(`SELECT uom, factor, unit_price FROM inventory_supplier_item WHERE supplier_id = $1 AND item_id = $2`, [supplierId, item.id]);
    const uom = l.uom?.trim() || si?.uom || item.unit_of_measure;
    let factor = '1';
    if (uom !== item.unit_of_measure) {
      const [u] = await tx.execute<{ factor: string }>(`SELECT factor FROM inventory_item_uom WHERE item_id = $1 AND uom = $2`, [item.id, uom]);
      if (!u) {
        errors.push({ field: `lines.${i}.uom`, message: `the item has no unit "${uom}"` });
        continue;
      }
      factor = u.factor;
    }
    if (dec(l.qty).lte(0)) errors.push({ field: `lines.${i}.qty`, message: 'must be greater than 0' });
    const price = l.unitPrice ?? (si && si.uom === uom ? si.unit_price : undefined);
    if (price === undefined) {
      errors.push({ field: `lines.${i}.unitPrice`, message: 'the supplier has no price for this item in this unit: give unitPrice' });
      continue;
    }
    if (dec(price).lt(0)) errors.push({ field: `lines.${i}.unitPrice`, message: 'must be at least 0' });
    out.push({ itemId: item.id, qty: dec(l.qty).toFixed(), uom, factor, unitPrice: dec(price).toFixed(), reorderRuleId: l.reorderRuleId ?? null });
  }
  if (errors.length) throw problems.validation(errors);
  return out;
}

export async function createPurchaseOrder(tx: Transaction, input: PurchaseOrderInput) {
  const [s] = await tx.execute<{ id: string; archived: boolean }>(`SELECT id, archived FROM inventory_supplier WHERE id = $1`, [input.supplierId]);
  if (!s) throw problems.validation([{ field: 'supplierId', message: 'no such supplier' }]);
  if (s.archived) throw problems.validation([{ field: 'supplierId', message: 'the supplier is archived' }]);
  const [loc] = await tx.execute(`SELECT 1 FROM core_location WHERE id = $1 AND NOT archived`, [input.locationId]);
  if (!loc) throw problems.validation([{ field: 'locationId', message: 'no such location' }]);
  const lines = await resolveLines(tx, s.id, input.lines);
  const [po] = await tx.execute<{ id: string; number: string }>(
    `INSERT INTO inventory_purchase_order (supplier_id, location_id, expected_on, reference, note, created_by_label) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id, number`,
    [s.id, input.locationId, input.expectedOn ?? null, input.reference?.trim() || null, input.note?.trim() || null, tx.actor.label],
  );
  await tx.execute(
    `INSERT INTO inventory_purchase_order_line (purchase_order_id, line_no, item_id, qty, uom, factor, unit_price, reorder_rule_id)
     SELECT $1, n, i, q, u, f, p, r FROM unnest($2::int[], $3::uuid[], $4::numeric[], $5::text[], $6::numeric[], $7::numeric[], $8::uuid[]) AS x(n, i, q, u, f, p, r)`,
    [po.id, lines.map((_, k) => k + 1), lines.map((l) => l.itemId), lines.map((l) => l.qty), lines.map((l) => l.uom), lines.map((l) => l.factor), lines.map((l) => l.unitPrice), lines.map((l) => l.reorderRuleId)],
  );
  const number = String(po.number);
  await tx.audit({ action: 'created', entityType: 'inventory.purchase-order', entityId: po.id, after: { ...input, number } });
  await tx.emit(PurchaseOrderCreated, { id: po.id, number, supplierId: s.id, status: 'draft' });
  return { id: po.id, number };
}

async function lockOrder(tx: Pick<Transaction, 'execute'>, id: string) {
  const [po] = await tx.execute<{ id: string; number: string; status: PurchaseOrderStatus; supplier_id: string; location_id: string }>(
    `SELECT id, number, status, supplier_id, location_id FROM inventory_purchase_order WHERE id = $1 FOR UPDATE`,
    [id],
  );
  if (!po) throw problems.notFound('purchase order', id);
  return { ...po, number: String(po.number) };
}

export async function changeStatus(tx: Transaction, id: string, to: PurchaseOrderStatus) {
  const po = await lockOrder(tx, id);
  if (!NEXT[po.status].includes(to) || (to === 'cancelled' && po.status !== 'draft' && (await received(tx, po.id)))) throw illegalTransition(po.number, po.status, to);
  await setStatus(tx, po, to);
}

const received = async (tx: Pick<Transaction, 'execute'>, id: string) =>
  (await tx.execute(`SELECT 1 FROM inventory_purchase_order_line WHERE purchase_order_id = $1 AND received_qty > 0 LIMIT 1`, [id])).length > 0;

async function setStatus(tx: Transaction, po: { id: string; number: string; status: string; supplier_id: string }, to: PurchaseOrderStatus) {
  if (po.status === to) return;
  await tx.execute(
    `UPDATE inventory_purchase_order SET status = $2, ordered_at = CASE WHEN $2 = 'ordered' THEN now() ELSE ordered_at END,
       closed_at = CASE WHEN $2 IN ('received','closed','cancelled') THEN now() ELSE closed_at END WHERE id = $1`,
    [po.id, to],
  );
  await tx.audit({ action: to, entityType: 'inventory.purchase-order', entityId: po.id, before: { status: po.status }, after: { status: to } });
  await tx.emit(PurchaseOrderStatusChanged, { id: po.id, number: po.number, supplierId: po.supplier_id, status: to, previousStatus: po.status });
}

export async function updateDraft(tx: Transaction, id: string, input: Partial<Omit<PurchaseOrderInput, 'supplierId'>>) {
  const po = await lockOrder(tx, id);
  if (po.status !== 'draft') throw illegalTransition(po.number, po.status, 'edited');
  if (input.locationId) {
    const [loc] = await tx.execute(`SELECT 1 FROM core_location WHERE id = $1 AND NOT archived`, [input.locationId]);
    if (!loc) throw problems.validation([{ field: 'locationId', message: 'no such location' }]);
  }
  await tx.execute(
    `UPDATE inventory_purchase_order SET location_id = coalesce($2, location_id), expected_on = CASE WHEN $3::boolean THEN $4::date ELSE expected_on END,
       reference = CASE WHEN $5::boolean THEN $6 ELSE reference END, note = CASE WHEN $7::boolean THEN $8 ELSE note END WHERE id = $1`,
    [po.id, input.locationId ?? null, input.expectedOn !== undefined, input.expectedOn ?? null, input.reference !== undefined, input.reference ?? null, input.note !== undefined, input.note ?? null],
  );
  if (input.lines) {
    const lines = await resolveLines(tx, po.supplier_id, input.lines);
    await tx.execute(`DELETE FROM inventory_purchase_order_line WHERE purchase_order_id = $1`, [po.id]);
    await tx.execute(
      `INSERT INTO inventory_purchase_order_line (purchase_order_id, line_no, item_id, qty, uom, factor, unit_price, reorder_rule_id)
       SELECT $1, n, i, q, u, f, p, r FROM unnest($2::int[], $3::uuid[], $4::numeric[], $5::text[], $6::numeric[], $7::numeric[], $8::uuid[]) AS x(n, i, q, u, f, p, r)`,
      [po.id, lines.map((_, k) => k + 1), lines.map((l) => l.itemId), lines.map((l) => l.qty), lines.map((l) => l.uom), lines.map((l) => l.factor), lines.map((l) => l.unitPrice), lines.map((l) => l.reorderRuleId)],
    );
  }
  await tx.audit({ action: 'updated', entityType: 'inventory.purchase-order', entityId: po.id, after: input });
}

export interface ReceiptLineInput {
  lineId: string;
  /** In the order line's unit. */
  qty: string | number;
  toLocationId?: string;
  lot?: string;
  expiresOn?: string;
  manufacturedOn?: string;
  serials?: string[];
}

/**
 * Receive against an order: one receipt move at the order's prices, received quantities updated, and
 * the order becomes partially received or received. More than ordered is refused unless allowed.
 */
export async function receivePurchaseOrder(
  tx: Transaction,
  id: string,
  input: { lines: ReceiptLineInput[]; effectiveAt?: string; allowOverDelivery?: boolean; note?: string },
  options: InventoryOptions,
) {
  const po = await lockOrder(tx, id);
  if (po.status !== 'ordered' && po.status !== 'partially-received') throw illegalTransition(po.number, po.status, 'received');
  const lines = await tx.execute<{ id: string; item_id: string; qty: string; received_qty: string; uom: string; unit_price: string; name: string }>(
    `SELECT pl.id, pl.item_id, pl.qty, pl.received_qty, pl.uom, pl.unit_price, i.name FROM inventory_purchase_order_line pl JOIN core_item i ON i.id = pl.item_id
      WHERE pl.purchase_order_id = $1 ORDER BY pl.line_no FOR UPDATE OF pl`,
    [po.id],
  );
  const byId = new Map(lines.map((l) => [String(l.id), l]));
  const errors: { field: string; message: string }[] = [];
  const adding = new Map<string, ReturnType<typeof dec>>();
  const moveLines: MoveLineInput[] = [];
  for (const [i, r] of input.lines.entries()) {
    const l = byId.get(r.lineId);
    if (!l) {
      errors.push({ field: `lines.${i}.lineId`, message: 'not a line of this purchase order' });
      continue;
    }
    const qty = dec(r.qty);
    if (qty.lte(0)) {
      errors.push({ field: `lines.${i}.qty`, message: 'must be greater than 0' });
      continue;
    }
    const total = dec(l.received_qty).plus(adding.get(r.lineId) ?? 0).plus(qty);
    if (total.gt(dec(l.qty)) && !input.allowOverDelivery) {
      throw new ProblemError({
        type: 'inventory/over-delivery',
        status: 409,
        title: 'More than ordered',
        detail: `${l.name}: ${qtyText(l.qty)} ${l.uom} ordered, ${qtyText(l.received_qty)} received, ${qtyText(qty)} more would exceed the order; set allowOverDelivery to accept it`,
        extensions: { lineId: r.lineId, ordered: qtyText(l.qty), received: qtyText(l.received_qty), receiving: qtyText(qty), field: `lines.${i}.qty` },
      });
    }
    adding.set(r.lineId, (adding.get(r.lineId) ?? dec(0)).plus(qty));
    moveLines.push({
      itemId: l.item_id,
      qty: qty.toFixed(),
      uom: l.uom,
      unitCost: l.unit_price,
      toLocationId: r.toLocationId ?? po.location_id,
      ...(r.lot ? { lot: r.lot } : {}),
      ...(r.expiresOn ? { expiresOn: r.expiresOn } : {}),
      ...(r.manufacturedOn ? { manufacturedOn: r.manufacturedOn } : {}),
      ...(r.serials ? { serials: r.serials } : {}),
    });
  }
  if (errors.length) throw problems.validation(errors);
  const move = await postMove(tx, { type: 'receipt', reference: `PO-${po.number}`, note: input.note, effectiveAt: input.effectiveAt, lines: moveLines }, options);
  await tx.execute(
    `UPDATE inventory_purchase_order_line pl SET received_qty = pl.received_qty + u.q FROM unnest($1::bigint[], $2::numeric[]) AS u(id, q) WHERE pl.id = u.id`,
    [[...adding.keys()], [...adding.values()].map((v) => v.toFixed())],
  );
  const [left] = await tx.execute<{ open: string }>(`SELECT count(*) AS open FROM inventory_purchase_order_line WHERE purchase_order_id = $1 AND received_qty < qty`, [po.id]);
  await setStatus(tx, po, Number(left.open) === 0 ? 'received' : 'partially-received');
  return move;
}
