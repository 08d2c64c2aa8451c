/**
 * The asset lifecycle as an explicit state machine. Pure: no I/O, no clock.
 *
 * | action             | from                                                     | to             | via        |
 * |--------------------|----------------------------------------------------------|----------------|------------|
 * | receive            | ordered                                                  | received       | transition |
 * | place-in-service   | received                                                 | in-service     | transition |
 * | check-out          | in-service                                               | checked-out    | custody    |
 * | check-in           | checked-out                                              | in-service     | custody    |
 * | start-maintenance  | in-service                                               | in-maintenance | transition |
 * | end-maintenance    | in-maintenance                                           | in-service     | transition |
 * | dispatch           | in-service                                               | in-transit     | transition |
 * | arrive             | in-transit                                               | in-service     | transition |
 * | retire             | in-service                                               | retired        | transition |
 * | reinstate          | retired                                                  | in-service     | transition |
 * | dispose            | retired (sold, scrapped, donated, lost, stolen)          | disposed       | disposal   |
 * | write-off          | received, in-service, checked-out, in-maintenance, in-transit (lost, stolen) | disposed | disposal |
 * | return-to-supplier | ordered, received (returned)                             | disposed       | disposal   |
 *
 * Decisions:
 * - Only a retired asset is sold, scrapped or donated: retiring is the moment its use (and its
 *   depreciation) stops, so a sale never races an open custody, a booking or a work order.
 * - Lost and stolen happen to assets in use, so they are written off from wherever the asset is,
 *   without retiring first (an open custody is closed with that outcome).
 * - An ordered or received asset that goes back to the supplier is disposed of as `returned`.
 * - `reinstate` brings a retired asset back into service (retired by mistake, or needed again).
 * - The spells away from service never chain: an asset in maintenance is not checked out or
 *   dispatched until it is back in service, so each spell has one record that closes it.
 * - `disposed` is final.
 */
import { ASSET_STATUSES, DISPOSAL_KINDS, type AssetStatus, type DisposalKind } from '../shared/constants.js';

export type LifecycleAction =
  | 'receive'
  | 'place-in-service'
  | 'check-out'
  | 'check-in'
  | 'start-maintenance'
  | 'end-maintenance'
  | 'dispatch'
  | 'arrive'
  | 'retire'
  | 'reinstate'
  | 'dispose'
  | 'write-off'
  | 'return-to-supplier';

/**
 * Which operation carries a transition out. `transition`: the generic status change. `custody`:
 * check-out and check-in, which open and close a custody record. `disposal`: the disposal, which
 * records kind, date and proceeds.
 */
export type TransitionVia = 'transition' | 'custody' | 'disposal';

export interface LifecycleTransition {
  action: LifecycleAction;
  from: AssetStatus;
  to: AssetStatus;
  /** Past-tense event name without the `fixed-assets.asset.` prefix; also the history entry's type. */
  event: string;
  via: TransitionVia;
  /** For transitions into `disposed`: the disposal kinds this path allows. */
  disposalKinds?: readonly DisposalKind[];
}

const WRITE_OFF: readonly DisposalKind[] = ['lost', 'stolen'];
const t = (action: LifecycleAction, from: AssetStatus, to: AssetStatus, event: string, via: TransitionVia, disposalKinds?: readonly DisposalKind[]): LifecycleTransition =>
  Object.freeze({ action, from, to, event, via, ...(disposalKinds ? { disposalKinds } : {}) });

/** Every legal transition. Anything not listed here is illegal. */
export const TRANSITIONS: readonly LifecycleTransition[] = Object.freeze([
  t('receive', 'ordered', 'received', 'received', 'transition'),
  t('place-in-service', 'received', 'in-service', 'placed-in-service', 'transition'),
  t('check-out', 'in-service', 'checked-out', 'checked-out', 'custody'),
  t('check-in', 'checked-out', 'in-service', 'checked-in', 'custody'),
  t('start-maintenance', 'in-service', 'in-maintenance', 'maintenance-started', 'transition'),
  t('end-maintenance', 'in-maintenance', 'in-service', 'maintenance-ended', 'transition'),
  t('dispatch', 'in-service', 'in-transit', 'dispatched', 'transition'),
  t('arrive', 'in-transit', 'in-service', 'arrived', 'transition'),
  t('retire', 'in-service', 'retired', 'retired', 'transition'),
  t('reinstate', 'retired', 'in-service', 'reinstated', 'transition'),
  t('dispose', 'retired', 'disposed', 'disposed', 'disposal', ['sold', 'scrapped', 'donated', 'lost', 'stolen']),
  t('return-to-supplier', 'ordered', 'disposed', 'disposed', 'disposal', ['returned']),
  t('return-to-supplier', 'received', 'disposed', 'disposed', 'disposal', ['returned']),
  ...(['received', 'in-service', 'checked-out', 'in-maintenance', 'in-transit'] as const).map((from) => t('write-off', from, 'disposed', 'disposed', 'disposal', WRITE_OFF)),
]);

export const isAssetStatus = (s: unknown): s is AssetStatus => (ASSET_STATUSES as readonly unknown[]).includes(s);
export const isDisposalKind = (s: unknown): s is DisposalKind => (DISPOSAL_KINDS as readonly unknown[]).includes(s);

/** Statuses reachable from `from` in one step (any operation). */
export function nextStatuses(from: AssetStatus): AssetStatus[] {
  return [...new Set(TRANSITIONS.filter((x) => x.from === from).map((x) => x.to))];
}

/** Disposal kinds allowed from `from` (empty when the asset cannot be disposed of from there). */
export function disposalKindsFrom(from: AssetStatus): DisposalKind[] {
  return DISPOSAL_KINDS.filter((k) => TRANSITIONS.some((x) => x.from === from && x.to === 'disposed' && x.disposalKinds?.includes(k)));
}

export type TransitionCheck =
  | { ok: true; transition: LifecycleTransition }
  | {
      ok: false;
      /** `same-status`: already there. `illegal`: no such edge. `disposal-kind`: the edge exists, but not for this kind (or none given). */
      reason: 'same-status' | 'illegal' | 'disposal-kind';
      from: AssetStatus;
      to: AssetStatus;
      /** Where the asset may go from here. */
      allowed: AssetStatus[];
      /** For disposals: the kinds that would be accepted from here. */
      allowedKinds?: DisposalKind[];
    };

/** May an asset in `from` move to `to` (with this disposal kind, for disposals)? */
export function checkTransition(from: AssetStatus, to: AssetStatus, disposalKind?: DisposalKind): TransitionCheck {
  const allowed = nextStatuses(from);
  if (from === to) return { ok: false, reason: 'same-status', from, to, allowed };
  const edges = TRANSITIONS.filter((x) => x.from === from && x.to === to);
  if (!edges.length) return { ok: false, reason: 'illegal', from, to, allowed };
  if (to !== 'disposed') return { ok: true, transition: edges[0] };
  const edge = disposalKind ? edges.find((x) => x.disposalKinds!.includes(disposalKind)) : undefined;
  if (!edge) return { ok: false, reason: 'disposal-kind', from, to, allowed, allowedKinds: disposalKindsFrom(from) };
  return { ok: true, transition: edge };
}

/** Bookings hold assets that are, or will be back, in service; not ones on their way in or out of the register. */
export const BOOKABLE_STATUSES: readonly AssetStatus[] = ['in-service', 'checked-out', 'in-maintenance', 'in-transit'];
export const isBookable = (s: AssetStatus) => BOOKABLE_STATUSES.includes(s);

/** A disposed asset is history: it no longer moves, changes or takes part in custody and bookings. */
export const isFinal = (s: AssetStatus) => s === 'disposed';
