/** Status changes through the lifecycle state machine (domain/lifecycle.ts): plain transitions and disposal. */
import { problems, type FieldError, type Transaction } from '@quartermaster/sdk';
import { AssetDisposed, type AssetStatus, type DisposalKind } from '../../shared/index.js';
import { TRANSITIONS, checkTransition, type LifecycleTransition } from '../../domain/lifecycle.js';
import { amountText } from '../../domain/money.js';
import type { FixedAssetsOptions } from '../options.js';
import { lockAsset, type LockedAsset } from './asset-store.js';
import { amountOf } from './assets.service.js';
import { bookingRef, overlappingBookings, releaseFromBookings } from './booking-store.js';
import { closeCustodyOnWriteOff } from './custody.service.js';
import { disposalAccounting, postDisposal } from './disposal.service.js';
import { assetBooked, illegalTransition, transitionNeedsAction } from './problems.js';
import { applyStatus } from './status.js';

const ROUTES = {
  'checked-out': 'POST /api/fixed-assets/assets/{id}/check-out',
  'in-service': 'POST /api/fixed-assets/assets/{id}/check-in',
  disposed: 'POST /api/fixed-assets/assets/{id}/dispose',
} as Record<AssetStatus, string>;

/**
 * A plain lifecycle transition (receive, place in service, maintenance, transit, retire,
 * reinstate). Transitions that carry more (check-out/in, disposal) are refused here with the route
 * that does them.
 */
export async function transitionAsset(tx: Transaction, id: string, to: AssetStatus, reason: string | null): Promise<void> {
  const asset = await lockAsset(tx, id);
  const edges = TRANSITIONS.filter((x) => x.from === asset.status && x.to === to);
  if (edges.length && edges.every((x) => x.via !== 'transition')) throw transitionNeedsAction(asset, asset.status, to, ROUTES[to].replace('{id}', asset.id));
  const check = checkTransition(asset.status, to);
  if (!check.ok) throw illegalTransition(asset, asset.status, to, check.allowed);
  if (check.transition.action === 'retire') {
    // A retired asset is not lent out again: whoever booked it must hear of it first.
    const ahead = (await overlappingBookings(tx, [asset.id], new Date().toISOString(), 'infinity')).map(bookingRef);
    if (ahead.length) {
      throw assetBooked(asset, ahead, `Asset ${asset.tag} is booked ahead (${ahead.map((b) => `B-${b.number} from ${b.startsAt}`).join(', ')}); cancel those bookings before retiring it`);
    }
  }
  await applyStatus(tx, asset, check.transition, { reason });
}

export interface DisposeInput {
  kind: DisposalKind;
  disposedOn?: string;
  proceeds?: string | number | null;
  /** Costs of disposal (dealer's commission, removal…): net proceeds are proceeds less these. */
  costsOfDisposal?: string | number | null;
  reason?: string | null;
}

export interface CheckedDisposal {
  transition: LifecycleTransition;
  disposedOn: string;
  proceeds: string | null;
  costsOfDisposal: string | null;
}

/** What a disposal and its preview both check: the lifecycle allows it, and its date and amounts make sense. */
export function checkDisposal(asset: Pick<LockedAsset, 'id' | 'tag' | 'status' | 'purchase_date'>, input: DisposeInput, options: FixedAssetsOptions): CheckedDisposal {
  const check = checkTransition(asset.status, 'disposed', input.kind);
  if (!check.ok) throw illegalTransition(asset, asset.status, 'disposed', check.allowed, check.reason === 'disposal-kind' ? { disposalKind: input.kind, allowedKinds: check.allowedKinds } : {});
  const errors: FieldError[] = [];
  const today = new Date().toISOString().slice(0, 10);
  const disposedOn = input.disposedOn ?? today;
  if (disposedOn > today) errors.push({ field: 'disposedOn', message: 'must not be in the future' });
  if (asset.purchase_date && disposedOn < asset.purchase_date) errors.push({ field: 'disposedOn', message: `must not be before the purchase date ${asset.purchase_date}` });
  const proceeds = amountOf(input.proceeds, 'proceeds', options.currencyMinorUnits, errors) ?? null;
  const costsOfDisposal = amountOf(input.costsOfDisposal, 'costsOfDisposal', options.currencyMinorUnits, errors) ?? null;
  if (errors.length) throw problems.validation(errors);
  return { transition: check.transition, disposedOn, proceeds, costsOfDisposal };
}

/**
 * Take an asset off the register: sold, scrapped or donated once retired; lost or stolen from
 * wherever it is (closing an open custody); returned to the supplier before use. It leaves its
 * bookings and kits, and a component leaves its parent. In each depreciation book it carries, the
 * asset is derecognised in the same transaction: depreciation up to the disposal date, gain or loss
 * against the net book value, and a journal entry per book (disposal.service.ts).
 */
export async function disposeAsset(tx: Transaction, id: string, input: DisposeInput, options: FixedAssetsOptions): Promise<void> {
  const asset = await lockAsset(tx, id);
  const { transition, disposedOn, proceeds, costsOfDisposal } = checkDisposal(asset, input, options);
  const components = await tx.execute<{ id: string; tag: string }>(`SELECT id, tag FROM fixed_assets_asset WHERE parent_id = $1 AND status <> 'disposed' ORDER BY tag`, [asset.id]);
  if (components.length) {
    throw problems.conflict('fixed-assets/has-components', 'Asset has components', `Asset ${asset.tag} still has components (${components.map((c) => c.tag).join(', ')}); detach or dispose of them first`, {
      assetId: asset.id,
      tag: asset.tag,
      components,
    });
  }
  const books = await disposalAccounting(tx, asset.id, disposedOn, { proceeds, costsOfDisposal }, options.currencyMinorUnits, true);
  const reason = input.reason?.trim() || null;
  const custodyId = input.kind === 'lost' || input.kind === 'stolen' ? await closeCustodyOnWriteOff(tx, asset.id, input.kind) : null;
  const releasedBookings = await releaseFromBookings(tx, asset.id, `asset ${asset.tag} ${input.kind === 'returned' ? 'returned to the supplier' : input.kind}`);
  const kits = (await tx.execute<{ kit_id: string }>(`DELETE FROM fixed_assets_kit_asset WHERE asset_id = $1 RETURNING kit_id`, [asset.id])).map((k) => k.kit_id);
  const from = asset.status;
  const gainOrLoss = books.map((b) => ({ book: b.book.code, netBookValue: amountText(b.netBookValue, options.currencyMinorUnits), gainOrLoss: amountText(b.gainOrLoss, options.currencyMinorUnits) }));
  await applyStatus(tx, asset, transition, {
    reason,
    data: { kind: input.kind, disposedOn, proceeds, ...(costsOfDisposal !== null ? { costsOfDisposal } : {}), ...(books.length ? { books: gainOrLoss } : {}), ...(custodyId ? { custodyId } : {}), ...(releasedBookings.length ? { releasedBookings } : {}), ...(kits.length ? { leftKits: kits } : {}), ...(asset.parent_id ? { detachedFromParentId: asset.parent_id } : {}) },
    set: 'disposal_kind = $3, disposed_on = $4, disposal_proceeds = $5, disposal_reason = $6, costs_of_disposal = $7, parent_id = NULL',
    params: [input.kind, disposedOn, proceeds, reason, costsOfDisposal],
  });
  await postDisposal(tx, asset, input.kind, disposedOn, books, options.accounts);
  await tx.emit(AssetDisposed, {
    id: asset.id,
    tag: asset.tag,
    from,
    kind: input.kind,
    disposedOn,
    proceeds: proceeds === null ? null : amountText(proceeds, options.currencyMinorUnits),
    currency: asset.currency,
    reason,
    categoryId: asset.category_id,
    locationId: asset.location_id,
    books: books.map((b) => {
      const text = (d: Parameters<typeof amountText>[0]) => amountText(d, options.currencyMinorUnits);
      return {
        book: b.book.code,
        cost: text(b.cost),
        accumulated: text(b.accumulated),
        catchUpDepreciation: text(b.catchUp),
        netBookValue: text(b.netBookValue),
        proceeds: text(b.proceeds),
        costsOfDisposal: text(b.costsOfDisposal),
        netProceeds: text(b.netProceeds),
        gainOrLoss: text(b.gainOrLoss),
      };
    }),
  });
}
