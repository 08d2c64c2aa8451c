/**
 * Custody: checking assets out to a person, user, location or project and back in. An asset has at
 * most one open custody (a partial unique index backs the row lock), is checked out only from
 * service, and not while someone else has it booked for the time it would be away.
 */
import { PROBLEM_BASE, ProblemError, problems, type FieldError, type PluginContext, type Transaction } from '@quartermaster/sdk';
import { identifierService } from '@quartermaster/core';
import { ASSET_TARGET_TYPE, AssetCheckedIn, AssetCheckedOut, type AssetCondition, type CheckOutGuard, type CustodyHolderType, type Holder } from '../../shared/index.js';
import { checkTransition, isFinal } from '../../domain/lifecycle.js';
import { lockAsset, type LockedAsset } from './asset-store.js';
import { bookingRef, completeBookingIfDone, overlappingBookings, sameHolder } from './booking-store.js';
import { attempt, isoOf, readerOf, type Db } from './db.js';
import { assetBooked, assetDisposed, illegalTransition } from './problems.js';
import { applyStatus } from './status.js';
import { CUSTODY_SELECT, custodyView, type CustodyRow } from './views.js';

export interface HolderInput {
  to: CustodyHolderType;
  userId?: string;
  personId?: string;
  locationId?: string;
  project?: string;
}

const HOLDER_FIELDS = { user: 'userId', person: 'personId', location: 'locationId', project: 'project' } as const;

/**
 * Check who is to hold (or book) an asset and find their name. Pushes field errors (the field for
 * the chosen kind of holder is required, the others must be left out) and returns null on any.
 */
export async function resolveHolder(db: Db, h: HolderInput, errors: FieldError[], key = 'to'): Promise<Holder | null> {
  const before = errors.length;
  const wanted = HOLDER_FIELDS[h.to];
  for (const [type, field] of Object.entries(HOLDER_FIELDS)) {
    const given = h[field as keyof HolderInput] !== undefined;
    if (type === h.to && !given) errors.push({ field, message: `is required with "${key}": "${h.to}"` });
    if (type !== h.to && given) errors.push({ field, message: `goes only with "${key}": "${type}"` });
  }
  if (errors.length > before) return null;
  if (h.to === 'project') {
    const project = h.project!.trim();
    if (!project) errors.push({ field: wanted, message: 'must not be blank' });
    return project ? { type: 'project', id: null, label: project } : null;
  }
  const id = h[wanted] as string;
  const sql = {
    user: `SELECT name AS label, active AS ok, 'is disabled' AS why FROM core_user WHERE id = $1`,
    person: `SELECT name AS label, active AS ok, 'is inactive' AS why FROM fixed_assets_person WHERE id = $1 FOR SHARE`,
    location: `SELECT name AS label, NOT archived AS ok, 'is archived' AS why FROM core_location WHERE id = $1 FOR SHARE`,
  }[h.to];
  const [row] = await db.execute<{ label: string; ok: boolean; why: string }>(sql, [id]);
  if (!row) errors.push({ field: wanted, message: `no such ${h.to}` });
  else if (!row.ok) errors.push({ field: wanted, message: row.why });
  return row?.ok ? { type: h.to, id, label: row.label } : null;
}

const holderColumns = (h: Holder) => [h.type, h.type === 'user' ? h.id : null, h.type === 'person' ? h.id : null, h.type === 'location' ? h.id : null, h.type === 'project' ? h.label : null];

export interface CheckOutInput {
  holder: Holder;
  expectedReturnAt?: string | null;
  condition?: AssetCondition;
  note?: string | null;
  /** Set when checking out from a booking: that booking does not stand in the way. */
  bookingId?: string | null;
  /** Other plugins' reasons to refuse (`checkOutGuards`), asked after the lifecycle allows it. */
  guards?: readonly CheckOutGuard[];
}

async function openCustody(db: Db, assetId: string, lock = false): Promise<CustodyRow | undefined> {
  return (await db.execute<CustodyRow>(`${CUSTODY_SELECT} WHERE c.asset_id = $1 AND c.checked_in_at IS NULL${lock ? ' FOR UPDATE OF c' : ''}`, [assetId]))[0];
}

const alreadyOut = (asset: LockedAsset, custody: CustodyRow | undefined) =>
  problems.conflict('fixed-assets/already-checked-out', 'Already checked out', `Asset ${asset.tag} is checked out to ${custody?.holder_label ?? 'someone'} since ${isoOf(custody?.checked_out_at)}`, {
    assetId: asset.id,
    tag: asset.tag,
    currentStatus: 'checked-out',
    custodyId: custody?.id,
    holder: custody ? { type: custody.holder_type, id: custody.holder_id, label: custody.holder_label } : undefined,
  });

/** Check an asset out; returns the custody id. */
export async function checkOutAsset(tx: Transaction, assetId: string, input: CheckOutInput): Promise<string> {
  const asset = await lockAsset(tx, assetId);
  if (asset.status === 'checked-out') throw alreadyOut(asset, await openCustody(tx, asset.id));
  if (isFinal(asset.status)) throw assetDisposed(asset);
  const check = checkTransition(asset.status, 'checked-out');
  if (!check.ok) throw illegalTransition(asset, asset.status, 'checked-out', check.allowed);
  for (const guard of input.guards ?? []) {
    const refusal = await guard(tx, { id: asset.id, tag: asset.tag, name: asset.name, status: asset.status, serialNumber: asset.serial_number, itemId: asset.item_id, categoryId: asset.category_id, locationId: asset.location_id, parentId: asset.parent_id });
    if (refusal) throw new ProblemError({ status: 409, ...refusal, extensions: { assetId: asset.id, tag: asset.tag, ...refusal.extensions } });
  }

  // Someone else's booking for any part of the time it would be away stands in the way; the
  // holder's own booking does not, and one that runs now is the booking this check-out serves.
  const now = new Date().toISOString();
  const booked = await overlappingBookings(tx, [asset.id], now, input.expectedReturnAt ?? null);
  const others = booked.filter((b) => b.booking_id !== input.bookingId && !sameHolder({ type: b.holder_type, id: b.holder_id, label: b.holder_label }, input.holder));
  if (others.length) {
    const refs = others.map(bookingRef);
    throw assetBooked(asset, refs, `Asset ${asset.tag} is booked by booking B-${refs[0].number} (${refs[0].holder.label}) from ${refs[0].startsAt} to ${refs[0].endsAt}`);
  }
  const bookingId = input.bookingId ?? booked.find((b) => new Date(b.starts_at).getTime() <= Date.now())?.booking_id ?? null;

  const note = input.note?.trim() || null;
  const [custody] = await tx.execute<{ id: string }>(
    `INSERT INTO fixed_assets_custody (asset_id, booking_id, holder_type, holder_user_id, holder_person_id, holder_location_id, project,
       checked_out_by_label, expected_return_at, condition_out, note_out)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
    [asset.id, bookingId, ...holderColumns(input.holder), tx.actor.label, input.expectedReturnAt ?? null, input.condition ?? null, note],
  );
  if (bookingId) await tx.execute(`UPDATE fixed_assets_booking SET status = 'checked-out' WHERE id = $1 AND status = 'reserved'`, [bookingId]);
  const data = { custodyId: custody.id, holder: input.holder, expectedReturnAt: input.expectedReturnAt ?? null, bookingId };
  await applyStatus(tx, asset, check.transition, { reason: note, data, set: 'condition = coalesce($3, condition)', params: [input.condition ?? null] });
  await tx.emit(AssetCheckedOut, { id: asset.id, tag: asset.tag, custodyId: custody.id, holder: input.holder, expectedReturnAt: isoOf(input.expectedReturnAt), bookingId });
  return custody.id;
}

export interface CheckInInput {
  condition?: AssetCondition;
  note?: string | null;
}

/** Check an asset back in; returns the closed custody's id. */
export async function checkInAsset(tx: Transaction, assetId: string, input: CheckInInput): Promise<string> {
  const asset = await lockAsset(tx, assetId);
  if (asset.status !== 'checked-out') {
    throw problems.conflict('fixed-assets/not-checked-out', 'Not checked out', `Asset ${asset.tag} is ${asset.status}, not checked out`, {
      assetId: asset.id,
      tag: asset.tag,
      currentStatus: asset.status,
      requestedStatus: 'in-service',
    });
  }
  const custody = (await openCustody(tx, asset.id, true))!;
  const check = checkTransition('checked-out', 'in-service');
  if (!check.ok) throw new Error('lifecycle: check-in must be legal');
  const note = input.note?.trim() || null;
  const [closed] = await tx.execute<{ late: boolean }>(
    `UPDATE fixed_assets_custody SET checked_in_at = now(), checked_in_by_label = $2, condition_in = $3, note_in = $4, outcome = 'returned'
      WHERE id = $1 RETURNING coalesce(expected_return_at < checked_in_at, false) AS late`,
    [custody.id, tx.actor.label, input.condition ?? null, note],
  );
  const holder = { type: custody.holder_type, id: custody.holder_id, label: custody.holder_label ?? '' };
  await applyStatus(tx, asset, check.transition, { reason: note, data: { custodyId: custody.id, holder, late: closed.late }, set: 'condition = coalesce($3, condition)', params: [input.condition ?? null] });
  await tx.emit(AssetCheckedIn, { id: asset.id, tag: asset.tag, custodyId: custody.id, holder, condition: input.condition ?? null, late: closed.late });
  if (custody.booking_id) await completeBookingIfDone(tx, custody.booking_id);
  return custody.id;
}

/** A written-off asset's open custody ends with the write-off (lost or stolen while out). */
export async function closeCustodyOnWriteOff(tx: Transaction, assetId: string, outcome: 'lost' | 'stolen'): Promise<string | null> {
  const custody = await openCustody(tx, assetId, true);
  if (!custody) return null;
  await tx.execute(`UPDATE fixed_assets_custody SET checked_in_at = now(), checked_in_by_label = $2, outcome = $3 WHERE id = $1`, [custody.id, tx.actor.label, outcome]);
  if (custody.booking_id) await completeBookingIfDone(tx, custody.booking_id);
  return custody.id;
}

/**
 * Scanned tags to asset ids, through the core's identifier resolution (so a GS1 or EPC reading
 * that carries the tag resolves too), falling back to the register's own tag column.
 */
export async function resolveTags(ctx: PluginContext<any>, tags: string[]): Promise<{ ids: (string | null)[]; errors: FieldError[] }> {
  const identifiers = ctx.services.get(identifierService);
  const db = readerOf(ctx);
  const errors: FieldError[] = [];
  const ids: (string | null)[] = [];
  const seen = new Map<string, number>();
  for (const [i, raw] of tags.entries()) {
    const field = `tags.${i}`;
    const tag = raw.trim();
    if (!tag) {
      errors.push({ field, message: 'must not be blank' });
      ids.push(null);
      continue;
    }
    const resolved = await identifiers.resolve(tag);
    let found = [...new Set(resolved.matches.filter((m) => m.target.type === ASSET_TARGET_TYPE).map((m) => m.target.id))];
    if (!found.length) found = (await db.execute<{ id: string }>(`SELECT id FROM fixed_assets_asset WHERE tag = $1`, [tag])).map((r) => r.id);
    if (!found.length) errors.push({ field, message: `no asset has the tag ${tag}` });
    else if (found.length > 1) errors.push({ field, message: `${tag} matches ${found.length} assets; scan the asset tag itself` });
    else if (seen.has(found[0])) errors.push({ field, message: `is the same asset as tags.${seen.get(found[0])}` });
    else seen.set(found[0], i);
    ids.push(found.length === 1 ? found[0] : null);
  }
  return { ids, errors };
}

/**
 * All or nothing over scanned tags: every asset is tried (each in a savepoint, so one refusal
 * does not hide the next), and if any is refused, nothing is done and every refusal is reported
 * by its tag.
 */
export async function forEachScanned<R>(
  tx: Transaction,
  tags: string[],
  resolved: { ids: (string | null)[]; errors: FieldError[] },
  what: string,
  work: (assetId: string) => Promise<R>,
): Promise<R[]> {
  const refusals: { field: string; tag: string; type: string; message: string }[] = resolved.errors.map((e) => ({
    ...e,
    tag: tags[Number(e.field.split('.')[1])],
    type: PROBLEM_BASE + 'validation',
  }));
  const results: R[] = [];
  for (const [i, id] of resolved.ids.entries()) {
    if (!id || resolved.errors.some((e) => e.field === `tags.${i}`)) continue;
    const r = await attempt(tx, `scan_${i}`, () => work(id));
    if (r.ok) results.push(r.value);
    else if (r.error instanceof ProblemError) refusals.push({ field: `tags.${i}`, tag: tags[i], type: r.error.type, message: r.error.detail ?? r.error.title });
    else throw r.error;
  }
  if (!refusals.length) return results;
  refusals.sort((a, b) => Number(a.field.split('.')[1]) - Number(b.field.split('.')[1]));
  // Only unknown or repeated tags: the request itself is wrong.
  if (refusals.every((r) => r.type === PROBLEM_BASE + 'validation')) throw problems.validation(refusals.map(({ field, message }) => ({ field, message })));
  throw new ProblemError({
    type: 'fixed-assets/bulk-refused',
    status: 409,
    title: `Nothing was ${what}`,
    detail: `${refusals.length} of ${tags.length} scanned tags were refused: ${refusals.map((r) => `${r.tag}: ${r.message}`).join('; ')}`,
    extensions: { errors: refusals },
  });
}

export { custodyView };
