/**
 * Spare parts of work orders.
 *
 * With inventory enabled, a part line is `planned` until the order is scheduled (or started):
 * then its quantity is reserved at its location (`reserved`, inventory's reservation id kept).
 * Completion issues what was used in one inventory issue move, drawing on the reservations (use
 * less: the rest of the reservation is released; use more: the extra is issued too); the issue's
 * cost of goods (FIFO, moving average… whatever the item's method) becomes the line's cost.
 * Unscheduling gives the reservations back (`planned` again); cancelling releases them (`released`).
 *
 * Without inventory, no stock is touched: a part line carries the unit cost someone entered and
 * completion costs the quantity used at that unit cost (rounded half-even to the minor unit).
 *
 * Everything runs in the caller's transaction: a shortfall or a refused issue rolls the whole
 * work order change back.
 */
import { problems, type Transaction } from '@quartermaster/sdk';
import type { Db } from '@quartermaster/core';
import type { InventoryService } from '@quartermaster/plugin-inventory/shared';
import { D, ZERO, dec, decText, tryDec, type Dec } from '../../domain/index.js';

export const PART_STATUSES = ['planned', 'reserved', 'issued', 'released'] as const;
export type PartStatus = (typeof PART_STATUSES)[number];

export interface PartRow {
  id: string;
  work_order_id: string;
  item_id: string;
  item_name: string;
  location_id: string | null;
  lot: string | null;
  qty: string;
  qty_used: string | null;
  status: PartStatus;
  reservation_id: string | null;
  move_id: string | null;
  move_number: string | null;
  cost: string | null;
  unit_cost: string | null;
  created_at: Date | string;
}

export const PART_SELECT = `SELECT p.id, p.work_order_id, p.item_id, i.name AS item_name, p.location_id, p.lot, p.qty::text AS qty, p.qty_used::text AS qty_used, p.status,
       p.reservation_id, p.move_id, p.move_number, p.cost::text AS cost, p.unit_cost::text AS unit_cost, p.created_at
  FROM maintenance_part p JOIN core_item i ON i.id = p.item_id`;

export interface WorkOrderForParts {
  id: string;
  number: string;
  parts_location_id: string | null;
}

/** Canonical quantity text: no exponent, no trailing zeros. */
const qtyText = decText;

/**
 * Where a part is taken from: its own location, else the work order's parts location, else the
 * location whose code is the option `defaultPartsLocationCode`.
 */
export async function defaultPartsLocation(db: Db, code: string | undefined): Promise<string | null> {
  if (!code) return null;
  const [row] = await db.execute<{ id: string }>(`SELECT id FROM core_location WHERE code = $1 AND NOT archived ORDER BY created_at LIMIT 1`, [code]);
  return row?.id ?? null;
}

const locationMissing = (wo: WorkOrderForParts, parts: PartRow[]) =>
  problems.conflict(
    'maintenance/parts-location-missing',
    'No location for spare parts',
    `Work order ${wo.number} has spare parts without a location (${parts.map((p) => p.item_name).join(', ')}); set the order's partsLocationId or the part's location`,
    { workOrderId: wo.id, parts: parts.map((p) => ({ id: p.id, itemId: p.item_id })) },
  );

/**
 * Reserve the order's `planned` parts (inventory enabled). A shortfall throws inventory's 409
 * `inventory/insufficient-stock`, so the caller's whole change rolls back.
 */
export async function reserveParts(tx: Transaction, inv: InventoryService, wo: WorkOrderForParts, fallbackLocation: string | null): Promise<number> {
  const parts = await tx.execute<PartRow>(`${PART_SELECT} WHERE p.work_order_id = $1 AND p.status = 'planned' ORDER BY p.created_at, p.id FOR UPDATE OF p`, [wo.id]);
  const missing = parts.filter((p) => !(p.location_id ?? wo.parts_location_id ?? fallbackLocation));
  if (missing.length) throw locationMissing(wo, missing);
  for (const p of parts) {
    const locationId = (p.location_id ?? wo.parts_location_id ?? fallbackLocation)!;
    const reservationId = await inv.reserve(tx, {
      itemId: p.item_id,
      locationId,
      qty: p.qty,
      ...(p.lot ? { lot: p.lot } : {}),
      referenceType: 'maintenance.work-order',
      reference: wo.number,
    });
    await tx.execute(`UPDATE maintenance_part SET status = 'reserved', reservation_id = $2, location_id = $3 WHERE id = $1`, [p.id, reservationId, locationId]);
  }
  return parts.length;
}

/**
 * Give back what the order's reservations still hold. `to: 'planned'` (unscheduled: reserved again
 * when the order is scheduled again) or `'released'` (cancelled). Without inventory, planned parts
 * simply become released on cancel.
 */
export async function releaseParts(tx: Transaction, inv: InventoryService | undefined, workOrderId: string, to: 'planned' | 'released'): Promise<number> {
  const parts = await tx.execute<PartRow>(`${PART_SELECT} WHERE p.work_order_id = $1 AND p.status IN ('planned', 'reserved') ORDER BY p.created_at, p.id FOR UPDATE OF p`, [workOrderId]);
  let released = 0;
  for (const p of parts) {
    if (p.status === 'reserved' && p.reservation_id && inv) {
      await inv.release(tx, p.reservation_id);
      released++;
    }
    if (p.status === 'reserved' || to === 'released') {
      await tx.execute(`UPDATE maintenance_part SET status = $2, reservation_id = CASE WHEN $2 = 'planned' THEN NULL ELSE reservation_id END WHERE id = $1`, [p.id, to]);
    }
  }
  return released;
}

export interface IssueOutcome {
  /** Part lines issued now, with what was used and what it cost. */
  issued: Array<{ id: string; itemId: string; qtyUsed: string; cost: string }>;
  /** The inventory issue move (null without inventory, or when nothing was used). */
  move: { id: string; number: string } | null;
}

/**
 * Issue the order's parts that are not issued yet. `used` gives the quantity used per part line
 * (default: the planned quantity); 0 releases the line without issuing anything.
 */
export async function issueParts(
  tx: Transaction,
  inv: InventoryService | undefined,
  wo: WorkOrderForParts,
  used: Map<string, Dec>,
  fallbackLocation: string | null,
  minorUnits: number,
): Promise<IssueOutcome> {
  const parts = await tx.execute<PartRow>(`${PART_SELECT} WHERE p.work_order_id = $1 AND p.status IN ('planned', 'reserved') ORDER BY p.created_at, p.id FOR UPDATE OF p`, [wo.id]);
  const qtyOf = (p: PartRow) => used.get(p.id) ?? dec(p.qty);
  if (!inv) {
    const issued: IssueOutcome['issued'] = [];
    for (const p of parts) {
      const q = qtyOf(p);
      const cost = q.times(dec(p.unit_cost ?? '0')).toDecimalPlaces(minorUnits, D.ROUND_HALF_EVEN);
      await tx.execute(`UPDATE maintenance_part SET status = $2, qty_used = $3, cost = $4 WHERE id = $1`, [p.id, q.isZero() ? 'released' : 'issued', qtyText(q), cost.toFixed(minorUnits)]);
      issued.push({ id: p.id, itemId: p.item_id, qtyUsed: qtyText(q), cost: cost.toFixed(minorUnits) });
    }
    return { issued, move: null };
  }

  const missing = parts.filter((p) => qtyOf(p).gt(0) && !(p.location_id ?? wo.parts_location_id ?? fallbackLocation));
  if (missing.length) throw locationMissing(wo, missing);
  // One issue move for the whole order: per part, the reserved quantity drawn on its reservation, then any extra.
  const lines: Parameters<InventoryService['issue']>[1]['lines'] = [];
  const owner: string[] = [];
  for (const p of parts) {
    const q = qtyOf(p);
    if (q.isZero()) continue;
    const locationId = (p.location_id ?? wo.parts_location_id ?? fallbackLocation)!;
    const base = { itemId: p.item_id, locationId, ...(p.lot ? { lot: p.lot } : {}) };
    if (p.status === 'reserved' && p.reservation_id) {
      const fromReservation = D.min(q, dec(p.qty));
      lines.push({ ...base, qty: qtyText(fromReservation), reservationId: p.reservation_id });
      owner.push(p.id);
      const extra = q.minus(dec(p.qty));
      if (extra.gt(0)) {
        lines.push({ ...base, qty: qtyText(extra) });
        owner.push(p.id);
      }
    } else {
      lines.push({ ...base, qty: qtyText(q) });
      owner.push(p.id);
    }
  }
  const move = lines.length ? await inv.issue(tx, { reference: wo.number, reason: 'maintenance', note: `Spare parts for work order ${wo.number}`, lines }) : null;
  const costOf = new Map<string, Dec>();
  move?.lines.forEach((l, i) => costOf.set(owner[i], (costOf.get(owner[i]) ?? ZERO).plus(tryDec(l.amount ?? '0') ?? ZERO)));
  const issued: IssueOutcome['issued'] = [];
  for (const p of parts) {
    const q = qtyOf(p);
    // Used less than reserved (or nothing): what the reservation still holds goes back to stock.
    if (p.status === 'reserved' && p.reservation_id && q.lt(dec(p.qty))) await inv.release(tx, p.reservation_id);
    const cost = (costOf.get(p.id) ?? ZERO).toDecimalPlaces(minorUnits, D.ROUND_HALF_EVEN);
    await tx.execute(`UPDATE maintenance_part SET status = $2, qty_used = $3, cost = $4, move_id = $5, move_number = $6 WHERE id = $1`, [
      p.id,
      q.isZero() ? 'released' : 'issued',
      qtyText(q),
      cost.toFixed(minorUnits),
      q.isZero() ? null : (move?.moveId ?? null),
      q.isZero() ? null : (move?.moveNumber ?? null),
    ]);
    issued.push({ id: p.id, itemId: p.item_id, qtyUsed: qtyText(q), cost: cost.toFixed(minorUnits) });
  }
  return { issued, move: move ? { id: move.moveId, number: move.moveNumber } : null };
}

/** Sum of the costs of issued part lines. */
export async function partsCostOf(db: Db, workOrderId: string): Promise<Dec> {
  const [row] = await db.execute<{ s: string }>(`SELECT coalesce(sum(cost), 0)::text AS s FROM maintenance_part WHERE work_order_id = $1 AND status = 'issued'`, [workOrderId]);
  return dec(row.s);
}
