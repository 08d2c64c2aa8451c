/** Booking queries that custody and the lifecycle need too: who has an asset booked when, and closing bookings. */
import type { Transaction } from '@quartermaster/sdk';
import { BookingCancelled, type BookingHolderType } from '../../shared/index.js';
import { isoOf, type Db } from './db.js';
import { recordEvent } from './asset-store.js';
import { BOOKING_SELECT, bookingView, type BookingRow } from './views.js';
import type { BookingRef } from './problems.js';

/** A holder as custody and bookings compare them: a project is known by its name. */
export interface HolderKey {
  type: string;
  id: string | null;
  label: string;
}
export const sameHolder = (a: HolderKey, b: HolderKey) => a.type === b.type && (a.type === 'project' ? a.label === b.label : a.id === b.id);

export interface BookedRow {
  booking_id: string;
  number: string;
  status: string;
  holder_type: BookingHolderType;
  holder_id: string | null;
  holder_label: string;
  starts_at: Date | string;
  ends_at: Date | string;
  asset_id: string;
  tag: string;
}

export const bookingRef = (r: BookedRow): BookingRef & { assetId: string; tag: string } => ({
  id: r.booking_id,
  number: r.number,
  startsAt: isoOf(r.starts_at)!,
  endsAt: isoOf(r.ends_at)!,
  holder: { type: r.holder_type, id: r.holder_id, label: r.holder_label },
  assetId: r.asset_id,
  tag: r.tag,
});

/**
 * Active bookings of these assets overlapping `[from, to)`; with `to` null, those covering the
 * instant `from` (a check-out with no expected return collides only with what is booked now).
 */
export async function overlappingBookings(db: Db, assetIds: string[], from: string, to: string | null): Promise<BookedRow[]> {
  return db.execute<BookedRow>(
    `SELECT b.id AS booking_id, b.number::text AS number, b.status, b.holder_type,
            CASE b.holder_type WHEN 'user' THEN b.holder_user_id WHEN 'person' THEN b.holder_person_id END AS holder_id,
            CASE b.holder_type WHEN 'user' THEN hu.name WHEN 'person' THEN hp.name ELSE b.project END AS holder_label,
            lower(ba.period) AS starts_at, upper(ba.period) AS ends_at, ba.asset_id, a.tag
       FROM fixed_assets_booking_asset ba
       JOIN fixed_assets_booking b ON b.id = ba.booking_id
       JOIN fixed_assets_asset a ON a.id = ba.asset_id
       LEFT JOIN core_user hu ON hu.id = b.holder_user_id
       LEFT JOIN fixed_assets_person hp ON hp.id = b.holder_person_id
      WHERE ba.active AND ba.asset_id = ANY($1::uuid[])
        AND ba.period && (CASE WHEN $3::timestamptz IS NULL THEN tstzrange($2::timestamptz, $2::timestamptz, '[]') ELSE tstzrange($2::timestamptz, $3::timestamptz, '[)') END)
      ORDER BY lower(ba.period), b.number`,
    [assetIds, from, to],
  );
}

/** The event payload of a booking, read back in the transaction that changed it. */
export async function bookingPayload(db: Db, bookingId: string) {
  const [row] = await db.execute<BookingRow>(`${BOOKING_SELECT} WHERE b.id = $1`, [bookingId]);
  const v = bookingView(row);
  return { id: v.id, number: v.number, assetIds: v.assets.map((a) => a.id), kitId: v.kitId, startsAt: v.startsAt, endsAt: v.endsAt, holder: v.holder };
}

/** Once nothing of a checked-out booking is out any more, it is completed and frees what is left of its window. */
export async function completeBookingIfDone(tx: Transaction, bookingId: string): Promise<void> {
  const [open] = await tx.execute(`SELECT 1 FROM fixed_assets_custody WHERE booking_id = $1 AND checked_in_at IS NULL LIMIT 1`, [bookingId]);
  if (open) return;
  const [done] = await tx.execute<{ id: string }>(`UPDATE fixed_assets_booking SET status = 'completed', closed_at = now() WHERE id = $1 AND status = 'checked-out' RETURNING id`, [bookingId]);
  if (!done) return;
  await tx.execute(`UPDATE fixed_assets_booking_asset SET active = false WHERE booking_id = $1`, [bookingId]);
  await tx.audit({ action: 'completed', entityType: 'fixed-assets.booking', entityId: bookingId, before: { status: 'checked-out' }, after: { status: 'completed' } });
}

/**
 * An asset leaves the register while booked (written off, sold): it drops out of its current and
 * future bookings; a booking left with nothing is cancelled. Returns the bookings it left.
 */
export async function releaseFromBookings(tx: Transaction, assetId: string, reason: string): Promise<string[]> {
  const rows = await tx.execute<{ booking_id: string }>(
    `UPDATE fixed_assets_booking_asset SET active = false WHERE asset_id = $1 AND active AND upper(period) > now() RETURNING booking_id`,
    [assetId],
  );
  const left = rows.map((r) => r.booking_id);
  for (const bookingId of left) {
    const [empty] = await tx.execute<{ id: string }>(
      `UPDATE fixed_assets_booking b SET status = 'cancelled', closed_at = now(), cancel_reason = $2
        WHERE b.id = $1 AND b.status = 'reserved' AND NOT EXISTS (SELECT 1 FROM fixed_assets_booking_asset x WHERE x.booking_id = b.id AND x.active)
        RETURNING b.id`,
      [bookingId, reason],
    );
    if (!empty) continue;
    await tx.audit({ action: 'cancelled', entityType: 'fixed-assets.booking', entityId: bookingId, before: { status: 'reserved' }, after: { status: 'cancelled', reason } });
    await tx.emit(BookingCancelled, { ...(await bookingPayload(tx, bookingId)), reason });
  }
  if (left.length) await recordEvent(tx, assetId, { type: 'bookings-released', reason, data: { bookingIds: left } });
  return left;
}
