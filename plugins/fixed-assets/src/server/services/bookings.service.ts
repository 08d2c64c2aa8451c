/**
 * Bookings reserve assets (or a kit) for a future window. The database refuses overlapping active
 * bookings of one asset (exclusion constraint `fixed_assets_booking_overlap`), also between two
 * requests at the same instant; the violation comes back as 409 naming the booking in the way.
 */
import { ProblemError, problems, type FieldError, type Transaction } from '@quartermaster/sdk';
import { BookingCancelled, BookingCreated, type AssetCondition, type CheckOutGuard, type Holder } from '../../shared/index.js';
import { BOOKABLE_STATUSES, isBookable } from '../../domain/lifecycle.js';
import type { FixedAssetsOptions } from '../options.js';
import { lockAssets, recordEvent } from './asset-store.js';
import { bookingPayload, bookingRef, overlappingBookings, sameHolder } from './booking-store.js';
import { checkOutAsset } from './custody.service.js';
import { attempt, isoOf, pgCode, type Db } from './db.js';
import { bookingConflict } from './problems.js';
import { CUSTODY_SELECT, type CustodyRow } from './views.js';

export interface CreateBookingInput {
  assetIds?: string[];
  kitId?: string;
  startsAt: string;
  endsAt: string;
  holder: Holder;
  note?: string | null;
}

const DAY = 86_400_000;

/** Turn an exclusion violation into the bookings that caused it (committed by now: the constraint waited for them). */
async function conflictsFor(db: Db, assetIds: string[], range: { from: string; to: string }, ownBookingId: string | null) {
  const rows = (await overlappingBookings(db, assetIds, range.from, range.to)).filter((r) => r.booking_id !== ownBookingId);
  return bookingConflict(rows.map(bookingRef));
}

/** Write the booked assets' window; 409 naming the overlapping bookings when the database refuses it. */
async function holdWindow(tx: Transaction, bookingId: string, assetIds: string[], range: { from: string; to: string }, write: () => Promise<unknown>) {
  const r = await attempt(tx, 'booking_window', write);
  if (r.ok) return;
  if (pgCode(r.error) !== '23P01') throw r.error;
  throw await conflictsFor(tx, assetIds, range, bookingId);
}

export async function createBooking(tx: Transaction, input: CreateBookingInput, options: FixedAssetsOptions): Promise<string> {
  const errors: FieldError[] = [];
  const start = new Date(input.startsAt);
  const end = new Date(input.endsAt);
  if (end <= start) errors.push({ field: 'endsAt', message: 'must be after startsAt' });
  else if (end.getTime() <= Date.now()) errors.push({ field: 'endsAt', message: 'must be in the future' });
  else if (end.getTime() - start.getTime() > options.maxBookingDays * DAY) errors.push({ field: 'endsAt', message: `a booking lasts at most ${options.maxBookingDays} days` });
  if (!input.assetIds === !input.kitId) errors.push({ field: input.assetIds ? 'kitId' : 'assetIds', message: 'book either assets (assetIds) or a kit (kitId)' });
  let assetIds = input.assetIds ?? [];
  input.assetIds?.forEach((id, i) => {
    if (input.assetIds!.indexOf(id) !== i) errors.push({ field: `assetIds.${i}`, message: `is listed twice (assetIds.${input.assetIds!.indexOf(id)})` });
  });
  if (input.kitId) {
    const [kit] = await tx.execute<{ asset_ids: string[] | null }>(
      `SELECT (SELECT array_agg(asset_id ORDER BY asset_id) FROM fixed_assets_kit_asset WHERE kit_id = k.id) AS asset_ids FROM fixed_assets_kit k WHERE k.id = $1 FOR SHARE`,
      [input.kitId],
    );
    if (!kit) errors.push({ field: 'kitId', message: 'no such kit' });
    else if (!kit.asset_ids?.length) errors.push({ field: 'kitId', message: 'the kit has no assets' });
    else assetIds = kit.asset_ids;
  }
  if (errors.length) throw problems.validation(errors);

  // Shared locks: bookings of one asset may proceed side by side (the constraint arbitrates),
  // but a check-out (which locks the asset for update) waits for them, and they for it.
  const assets = await lockAssets(tx, assetIds, 'SHARE');
  if (input.assetIds) {
    const missing = input.assetIds.map((id, i) => ({ id, i })).filter((x) => !assets.has(x.id));
    if (missing.length) throw problems.validation(missing.map((x) => ({ field: `assetIds.${x.i}`, message: 'no such asset' })));
  }
  const unbookable = [...assets.values()].filter((a) => !isBookable(a.status));
  if (unbookable.length) {
    throw problems.conflict(
      'fixed-assets/asset-not-bookable',
      'Asset cannot be booked',
      unbookable.map((a) => `${a.tag} is ${a.status}`).join('; ') + ` (bookable: ${BOOKABLE_STATUSES.join(', ')})`,
      { assets: unbookable.map((a) => ({ id: a.id, tag: a.tag, currentStatus: a.status })) },
    );
  }
  // Someone else holding an asset into the window is in the way too (its expected return, or now if overdue or open-ended).
  const out = (
    await tx.execute<CustodyRow>(
      `${CUSTODY_SELECT} WHERE c.asset_id = ANY($1::uuid[]) AND c.checked_in_at IS NULL
         AND tstzrange($2::timestamptz, $3::timestamptz, '[)') && (CASE WHEN c.expected_return_at > now() THEN tstzrange(c.checked_out_at, c.expected_return_at, '[)') ELSE tstzrange(c.checked_out_at, now(), '[]') END)`,
      [assetIds, start.toISOString(), end.toISOString()],
    )
  ).filter((c) => !sameHolder({ type: c.holder_type, id: c.holder_id, label: c.holder_label ?? '' }, input.holder));
  if (out.length) {
    const c = out[0];
    throw problems.conflict(
      'fixed-assets/asset-checked-out',
      'Asset checked out',
      `${c.tag} is checked out to ${c.holder_label} ${c.expected_return_at ? `until ${isoOf(c.expected_return_at)}` : 'with no return date'}`,
      { assetId: c.asset_id, tag: c.tag, custodyId: c.id, holder: { type: c.holder_type, id: c.holder_id, label: c.holder_label }, expectedReturnAt: isoOf(c.expected_return_at) },
    );
  }

  const h = input.holder;
  const [booking] = await tx.execute<{ id: string; number: string }>(
    `INSERT INTO fixed_assets_booking (kit_id, holder_type, holder_user_id, holder_person_id, project, period, note, created_by_label)
     VALUES ($1, $2, $3, $4, $5, tstzrange($6::timestamptz, $7::timestamptz, '[)'), $8, $9) RETURNING id, number::text AS number`,
    [input.kitId ?? null, h.type, h.type === 'user' ? h.id : null, h.type === 'person' ? h.id : null, h.type === 'project' ? h.label : null, start.toISOString(), end.toISOString(), input.note?.trim() || null, tx.actor.label],
  );
  const range = { from: start.toISOString(), to: end.toISOString() };
  await holdWindow(tx, booking.id, assetIds, range, () =>
    tx.execute(`INSERT INTO fixed_assets_booking_asset (booking_id, asset_id, period) SELECT $1, a, b.period FROM unnest($2::uuid[]) AS a, fixed_assets_booking b WHERE b.id = $1`, [booking.id, assetIds]),
  );
  for (const id of assetIds) await recordEvent(tx, id, { type: 'booked', data: { bookingId: booking.id, number: booking.number, startsAt: range.from, endsAt: range.to, holder: h } });
  const payload = await bookingPayload(tx, booking.id);
  await tx.audit({ action: 'created', entityType: 'fixed-assets.booking', entityId: booking.id, after: { ...payload, note: input.note ?? null } });
  await tx.emit(BookingCreated, payload);
  return booking.id;
}

async function lockBooking(tx: Transaction, id: string) {
  const [b] = await tx.execute<{ id: string; number: string; status: string; starts_at: Date | string; ends_at: Date | string; holder_type: string; holder_id: string | null; holder_label: string }>(
    `SELECT b.id, b.number::text AS number, b.status, lower(b.period) AS starts_at, upper(b.period) AS ends_at, b.holder_type,
            CASE b.holder_type WHEN 'user' THEN b.holder_user_id WHEN 'person' THEN b.holder_person_id END AS holder_id,
            CASE b.holder_type WHEN 'user' THEN (SELECT name FROM core_user WHERE id = b.holder_user_id)
                               WHEN 'person' THEN (SELECT name FROM fixed_assets_person WHERE id = b.holder_person_id) ELSE b.project END AS holder_label
       FROM fixed_assets_booking b WHERE b.id = $1 FOR UPDATE`,
    [id],
  );
  if (!b) throw problems.notFound('booking', id);
  return b;
}

const notReserved = (b: { id: string; number: string; status: string }, action: string) =>
  new ProblemError({
    type: 'fixed-assets/booking-not-reserved',
    status: 409,
    title: 'Booking not open',
    detail: `Booking B-${b.number} is ${b.status}; only a reserved booking can be ${action}`,
    extensions: { bookingId: b.id, currentStatus: b.status },
  });

/** Cancel a booking that has not been checked out; its window is free again. */
export async function cancelBooking(tx: Transaction, id: string, reason: string | null): Promise<void> {
  const b = await lockBooking(tx, id);
  if (b.status !== 'reserved') throw notReserved(b, 'cancelled');
  await tx.execute(`UPDATE fixed_assets_booking SET status = 'cancelled', closed_at = now(), cancel_reason = $2 WHERE id = $1`, [id, reason]);
  const lines = await tx.execute<{ asset_id: string }>(`UPDATE fixed_assets_booking_asset SET active = false WHERE booking_id = $1 AND active RETURNING asset_id`, [id]);
  for (const l of lines) await recordEvent(tx, l.asset_id, { type: 'booking-cancelled', reason, data: { bookingId: id, number: b.number } });
  await tx.audit({ action: 'cancelled', entityType: 'fixed-assets.booking', entityId: id, before: { status: 'reserved' }, after: { status: 'cancelled', reason } });
  await tx.emit(BookingCancelled, { ...(await bookingPayload(tx, id)), reason });
}

export interface BookingCheckOutInput {
  expectedReturnAt?: string;
  condition?: AssetCondition;
  note?: string | null;
  /** Other plugins' reasons to refuse a check-out (`checkOutGuards`). */
  guards?: readonly CheckOutGuard[];
}

/**
 * Check out everything a booking holds to whoever it is for. Picking up early or keeping it
 * longer stretches the booking's window, which the exclusion constraint checks like any booking.
 */
export async function checkOutBooking(tx: Transaction, id: string, input: BookingCheckOutInput): Promise<string[]> {
  const b = await lockBooking(tx, id);
  if (b.status !== 'reserved') throw notReserved(b, 'checked out');
  const end = isoOf(b.ends_at)!;
  if (new Date(end).getTime() <= Date.now()) {
    throw problems.conflict('fixed-assets/booking-ended', 'Booking ended', `Booking B-${b.number} ended at ${end}`, { bookingId: b.id, endsAt: end });
  }
  if (input.expectedReturnAt && new Date(input.expectedReturnAt).getTime() <= Date.now()) throw problems.validation([{ field: 'expectedReturnAt', message: 'must be in the future' }]);
  const expectedReturnAt = input.expectedReturnAt ?? end;
  const lines = await tx.execute<{ asset_id: string }>(`SELECT asset_id FROM fixed_assets_booking_asset WHERE booking_id = $1 AND active ORDER BY asset_id`, [id]);
  const assetIds = lines.map((l) => l.asset_id);
  const range = { from: new Date().toISOString(), to: new Date(Math.max(new Date(end).getTime(), new Date(expectedReturnAt).getTime())).toISOString() };
  await holdWindow(tx, id, assetIds, range, async () => {
    await tx.execute(`UPDATE fixed_assets_booking SET period = tstzrange(least(lower(period), now()), greatest(upper(period), $2::timestamptz), '[)') WHERE id = $1`, [id, expectedReturnAt]);
    await tx.execute(`UPDATE fixed_assets_booking_asset ba SET period = b.period FROM fixed_assets_booking b WHERE b.id = ba.booking_id AND ba.booking_id = $1 AND ba.active`, [id]);
  });
  const holder = { type: b.holder_type, id: b.holder_id, label: b.holder_label } as Holder;
  const custodies: string[] = [];
  for (const assetId of assetIds) custodies.push(await checkOutAsset(tx, assetId, { holder, expectedReturnAt, condition: input.condition, note: input.note, bookingId: id, guards: input.guards }));
  await tx.audit({ action: 'checked-out', entityType: 'fixed-assets.booking', entityId: id, before: { status: 'reserved' }, after: { status: 'checked-out', custodies } });
  return custodies;
}
