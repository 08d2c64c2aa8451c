/**
 * Stock that other plugins take or hold inside their own transaction: reservations for a work
 * order's spare parts, and the issue that consumes them when the work is done. Ordinary moves and
 * reservations (valued, audited and evented like any other); only the transaction is the caller's.
 */
import type { Transaction } from '@quartermaster/sdk';
import type { IssuedStock, IssueStockInput, ReserveStockInput } from '../../shared/index.js';
import { dec, qtyText } from '../../domain/money.js';
import { postMove, type InventoryOptions } from './ledger.service.js';
import { closeReservation, createReservation } from './reservation.service.js';

export async function reserveStock(tx: Transaction, input: ReserveStockInput): Promise<string> {
  return createReservation(tx, input);
}

/** Give back what a reservation still holds; false when it was no longer active (consumed, released or expired). */
export async function releaseStock(tx: Transaction, reservationId: string): Promise<boolean> {
  const [r] = await tx.execute<{ active: boolean }>(`SELECT status = 'active' AS active FROM inventory_reservation WHERE id = $1 FOR UPDATE`, [reservationId]);
  if (!r?.active) return false;
  await closeReservation(tx, reservationId, 'released');
  return true;
}

export async function issueStock(tx: Transaction, input: IssueStockInput, options: InventoryOptions): Promise<IssuedStock> {
  const posted = await postMove(
    tx,
    {
      type: 'issue',
      reference: input.reference,
      note: input.note,
      lines: input.lines.map((l) => ({
        itemId: l.itemId,
        qty: l.qty,
        fromLocationId: l.locationId,
        ...(l.lot ? { lot: l.lot } : {}),
        ...(l.serials?.length ? { serials: l.serials } : {}),
        ...(l.reservationId ? { reservationId: l.reservationId } : {}),
        reason: input.reason ?? 'consumed',
      })),
    },
    options,
  );
  const moveLines = await tx.execute<{ id: string; item_id: string; qty: string; amount: string | null; lot: string | null }>(
    `SELECT ml.id::text AS id, ml.item_id, ml.qty::text AS qty, ml.amount::text AS amount, l.code AS lot
       FROM inventory_move_line ml LEFT JOIN inventory_lot l ON l.id = ml.lot_id WHERE ml.move_id = $1 ORDER BY ml.line_no`,
    [posted.id],
  );
  // A line picked from several lots became consecutive move lines: walk them back to the caller's lines by quantity.
  let next = 0;
  const lines = input.lines.map((l) => {
    const want = dec(l.qty);
    let got = dec(0);
    let amount: ReturnType<typeof dec> | null = dec(0);
    const lineIds: string[] = [];
    const lots: string[] = [];
    while (got.lt(want) && next < moveLines.length) {
      const m = moveLines[next++];
      got = got.plus(dec(m.qty));
      lineIds.push(m.id);
      if (m.lot && !lots.includes(m.lot)) lots.push(m.lot);
      amount = amount === null || m.amount === null ? null : amount.plus(dec(m.amount));
    }
    return { lineIds, itemId: l.itemId, qty: qtyText(got), amount: amount === null ? null : amount.toFixed(options.currencyMinorUnits), lots };
  });
  return { moveId: posted.id, moveNumber: String(posted.number), lines };
}
