/**
 * The fixed-assets problem types (RFC 9457). Each `type` is stable; clients switch on it. Every one
 * names what it is about (asset, tag, status, booking) so a person can act on the answer.
 */
import { ProblemError } from '@quartermaster/sdk';
import type { AssetStatus, DisposalKind } from '../../shared/index.js';

const P = 'fixed-assets/';
const conflict = (type: string, title: string, detail: string, extensions: Record<string, unknown>) => new ProblemError({ type: P + type, status: 409, title, detail, extensions });

export interface AssetRef {
  id: string;
  tag: string;
}

export const illegalTransition = (asset: AssetRef, from: AssetStatus, to: AssetStatus, allowed: AssetStatus[], extra: { disposalKind?: DisposalKind; allowedKinds?: DisposalKind[] } = {}) =>
  conflict(
    'illegal-transition',
    'Transition not allowed',
    from === to
      ? `Asset ${asset.tag} is already ${from}`
      : extra.allowedKinds
        ? `Asset ${asset.tag} is ${from}; from there it can be disposed of only as ${extra.allowedKinds.join(' or ') || 'nothing'}${extra.disposalKind ? `, not as ${extra.disposalKind}` : ''}`
        : `Asset ${asset.tag} is ${from}; it cannot go to ${to} from there (allowed: ${allowed.join(', ') || 'none'})`,
    { assetId: asset.id, tag: asset.tag, currentStatus: from, requestedStatus: to, allowedStatuses: allowed, ...extra },
  );

export const transitionNeedsAction = (asset: AssetRef, from: AssetStatus, to: AssetStatus, route: string) =>
  conflict('transition-needs-action', 'Use the dedicated action', `Asset ${asset.tag} goes from ${from} to ${to} through ${route}, which records what that needs`, {
    assetId: asset.id,
    tag: asset.tag,
    currentStatus: from,
    requestedStatus: to,
    route,
  });

export const assetDisposed = (asset: AssetRef) =>
  conflict('asset-disposed', 'Asset disposed of', `Asset ${asset.tag} was disposed of; its record is closed`, { assetId: asset.id, tag: asset.tag, currentStatus: 'disposed' });

export const tagTaken = (tag: string, existingId: string | null, field = 'tag') =>
  conflict('tag-taken', 'Tag already in use', `The tag ${tag} is already in use${existingId ? ` by asset ${existingId}` : ''}`, { field, tag, existingId });

export const componentMovesWithParent = (asset: AssetRef, parent: AssetRef) =>
  conflict('component-moves-with-parent', 'A component moves with its parent', `Asset ${asset.tag} is a component of ${parent.tag}; move ${parent.tag}, or detach the component first`, {
    assetId: asset.id,
    tag: asset.tag,
    parentId: parent.id,
    parentTag: parent.tag,
  });

export const componentCycle = (asset: AssetRef, parent: AssetRef) =>
  conflict('component-cycle', 'Component cycle', `Asset ${parent.tag} is ${asset.tag} itself or one of its components; it cannot be its parent`, {
    field: 'parentId',
    assetId: asset.id,
    parentId: parent.id,
  });

export interface BookingRef {
  id: string;
  number: string;
  startsAt: string;
  endsAt: string;
  holder: { type: string; id: string | null; label: string };
}

export const assetBooked = (asset: AssetRef, bookings: BookingRef[], detail: string) =>
  conflict('asset-booked', 'Asset booked', detail, { assetId: asset.id, tag: asset.tag, bookingId: bookings[0]?.id, bookings });

export const bookingConflict = (conflicts: (BookingRef & { assetId: string; tag: string })[]) =>
  conflict(
    'booking-conflict',
    'Booking overlaps another',
    conflicts.map((c) => `${c.tag} is booked by booking B-${c.number} (${c.holder.label}) from ${c.startsAt} to ${c.endsAt}`).join('; '),
    { bookingId: conflicts[0]?.id, bookingNumber: conflicts[0]?.number, conflicts },
  );
