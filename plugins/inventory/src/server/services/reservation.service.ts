/**
 * Reservations hold stock for an order, a work order or a kit: they raise `reserved` on balances so
 * what others can take (available = on hand − reserved) drops at once. Issues that name the
 * reservation draw it down; release or expiry gives the rest back.
 */
import { ProblemError, problems, type Actor, type PluginContext, type Transaction } from '@quartermaster/sdk';
import { ReservationCreated, ReservationExpired, ReservationReleased } from '../../shared/index.js';
import { ZERO, dec, qtyText, type Dec } from '../../domain/money.js';
import { fefoCandidates, insufficientStock } from './ledger.service.js';

export interface ReservationInput {
  itemId: string;
  locationId: string;
  qty: string | number;
  lot?: string;
  referenceType?: string;
  reference?: string;
  expiresAt?: string;
}

export async function createReservation(tx: Transaction, input: ReservationInput) {
  const qty = dec(input.qty);
  if (qty.lte(0)) throw problems.validation([{ field: 'qty', message: 'must be greater than 0' }]);
  if (input.expiresAt && new Date(input.expiresAt).getTime() <= Date.now()) throw problems.validation([{ field: 'expiresAt', message: 'must be in the future' }]);
  const [item] = await tx.execute<{ id: string; name: string; tracking_mode: string }>(`SELECT id, name, tracking_mode FROM core_item WHERE id = $1`, [input.itemId]);
  if (!item) throw problems.validation([{ field: 'itemId', message: 'no such item' }]);
  const [loc] = await tx.execute<{ id: string; name: string }>(`SELECT id, name FROM core_location WHERE id = $1`, [input.locationId]);
  if (!loc) throw problems.validation([{ field: 'locationId', message: 'no such location' }]);
  if (item.tracking_mode === 'serial') throw problems.validation([{ field: 'itemId', message: 'serialized units are reserved one by one: not supported here, reserve by issuing to a holding location' }]);

  // Candidate balances, locked: the named lot, or usable lots FEFO, or the untracked balance.
  let candidates: { balance_id: string; available: string }[];
  if (item.tracking_mode === 'lot') {
    const all = await fefoCandidates(tx, item.id, loc.id, { includeBlocked: false, includeExpired: false, on: new Date(), lock: true });
    candidates = input.lot ? all.filter((c) => c.code === input.lot) : all;
    if (input.lot && !candidates.length) {
      const [lot] = await tx.execute<{ blocked: boolean }>(`SELECT blocked FROM inventory_lot WHERE item_id = $1 AND code = $2`, [item.id, input.lot]);
      if (!lot) throw problems.validation([{ field: 'lot', message: `${item.name} has no lot ${input.lot}` }]);
    }
  } else {
    if (input.lot) throw problems.validation([{ field: 'lot', message: `${item.name} is not tracked by lot` }]);
    candidates = await tx.execute(
      `SELECT id AS balance_id, on_hand - reserved AS available FROM inventory_balance WHERE item_id = $1 AND location_id = $2 AND lot_id IS NULL AND serial_id IS NULL FOR UPDATE`,
      [item.id, loc.id],
    );
  }
  const allocations: { balanceId: string; qty: Dec }[] = [];
  let left = qty;
  for (const c of candidates) {
    if (left.lte(0)) break;
    const free = dec(c.available);
    if (free.lte(0)) continue;
    const take = free.lt(left) ? free : left;
    allocations.push({ balanceId: c.balance_id, qty: take });
    left = left.minus(take);
  }
  if (left.gt(0)) throw insufficientStock({ itemId: item.id, itemName: item.name, locationId: loc.id, locationName: loc.name, lotCode: input.lot ?? null, requested: qty, available: qty.minus(left) });

  const [r] = await tx.execute<{ id: string }>(
    `INSERT INTO inventory_reservation (item_id, location_id, qty, reference_type, reference, expires_at, created_by_label) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [item.id, loc.id, qty.toFixed(), input.referenceType?.trim() || null, input.reference?.trim() || null, input.expiresAt ?? null, tx.actor.label],
  );
  await tx.execute(
    `INSERT INTO inventory_reservation_allocation (reservation_id, balance_id, qty) SELECT $1, b, q FROM unnest($2::bigint[], $3::numeric[]) AS u(b, q)`,
    [r.id, allocations.map((a) => a.balanceId), allocations.map((a) => a.qty.toFixed())],
  );
  await tx.execute(`UPDATE inventory_balance b SET reserved = b.reserved + u.q, updated_at = now() FROM unnest($1::bigint[], $2::numeric[]) AS u(id, q) WHERE b.id = u.id`, [
    allocations.map((a) => a.balanceId),
    allocations.map((a) => a.qty.toFixed()),
  ]);
  const payload = { id: r.id, itemId: item.id, locationId: loc.id, qty: qtyText(qty), reference: input.reference?.trim() || null };
  await tx.audit({ action: 'created', entityType: 'inventory.reservation', entityId: r.id, after: { ...payload, lot: input.lot ?? null, expiresAt: input.expiresAt ?? null } });
  await tx.emit(ReservationCreated, payload);
  return r.id;
}

/** Give back what a reservation still holds and close it as released or expired. */
export async function closeReservation(tx: Transaction, id: string, status: 'released' | 'expired') {
  const [r] = await tx.execute<{ id: string; item_id: string; location_id: string; qty: string; consumed_qty: string; status: string; reference: string | null }>(
    `SELECT id, item_id, location_id, qty, consumed_qty, status, reference FROM inventory_reservation WHERE id = $1 FOR UPDATE`,
    [id],
  );
  if (!r) throw problems.notFound('reservation', id);
  if (r.status !== 'active') {
    throw new ProblemError({ type: 'inventory/reservation-closed', status: 409, title: 'Reservation not active', detail: `Reservation ${id} is already ${r.status}`, extensions: { reservationId: id, currentState: r.status } });
  }
  const held = await tx.execute<{ balance_id: string; qty: string }>(
    `SELECT balance_id, qty FROM inventory_reservation_allocation WHERE reservation_id = $1 AND qty > 0 ORDER BY balance_id`,
    [id],
  );
  await tx.execute(`UPDATE inventory_reservation_allocation SET qty = 0 WHERE reservation_id = $1`, [id]);
  let released: Dec = ZERO;
  for (const h of held) released = released.plus(dec(h.qty));
  if (held.length) {
    await tx.execute(`UPDATE inventory_balance b SET reserved = b.reserved - u.q, updated_at = now() FROM unnest($1::bigint[], $2::numeric[]) AS u(id, q) WHERE b.id = u.id`, [
      held.map((h) => h.balance_id),
      held.map((h) => h.qty),
    ]);
  }
  await tx.execute(`UPDATE inventory_reservation SET status = $2, closed_at = now() WHERE id = $1`, [id, status]);
  const payload = { id, itemId: r.item_id, locationId: r.location_id, qty: qtyText(dec(r.qty).minus(dec(r.consumed_qty))), reference: r.reference };
  await tx.audit({ action: status, entityType: 'inventory.reservation', entityId: id, before: { status: 'active' }, after: { status, released: qtyText(released) } });
  await tx.emit(status === 'released' ? ReservationReleased : ReservationExpired, payload);
}

/** Expire every active reservation past its time, each in its own transaction. Returns how many. */
export async function expireReservations(ctx: PluginContext<any>, actor: Actor): Promise<number> {
  let n = 0;
  for (;;) {
    const done = await ctx.transaction(actor, async (tx) => {
      const [due] = await tx.execute<{ id: string }>(
        `SELECT id FROM inventory_reservation WHERE status = 'active' AND expires_at <= now() ORDER BY expires_at LIMIT 1 FOR UPDATE SKIP LOCKED`,
      );
      if (!due) return false;
      await closeReservation(tx, due.id, 'expired');
      return true;
    });
    if (!done) return n;
    n++;
  }
}
