/** The one place an asset's status changes: the row, its history entry, the audit record and the events, together. */
import type { Transaction } from '@quartermaster/sdk';
import { AssetStatusChanged, TRANSITION_EVENTS } from '../../shared/index.js';
import type { LifecycleTransition } from '../../domain/lifecycle.js';
import { recordEvent, type LockedAsset } from './asset-store.js';

export interface StatusChange {
  reason?: string | null;
  /** Extra history data (custody id, holder, disposal…). */
  data?: Record<string, unknown>;
  /** Extra `SET` assignments for the same UPDATE, with parameters numbered from $3. */
  set?: string;
  params?: unknown[];
}

/**
 * Apply a transition the state machine allowed for `asset` (locked by the caller). Emits
 * `status-changed` and, for plain transitions, their own event; check-out, check-in and disposal
 * emit theirs with the data they carry.
 */
export async function applyStatus(tx: Transaction, asset: LockedAsset, transition: LifecycleTransition, change: StatusChange = {}): Promise<void> {
  const reason = change.reason ?? null;
  await tx.execute(`UPDATE fixed_assets_asset SET status = $2${change.set ? `, ${change.set}` : ''}, version = version + 1, updated_at = now() WHERE id = $1`, [
    asset.id,
    transition.to,
    ...(change.params ?? []),
  ]);
  await recordEvent(tx, asset.id, { type: transition.event, from: asset.status, to: transition.to, reason, data: change.data });
  await tx.audit({
    action: transition.event,
    entityType: 'fixed-assets.asset',
    entityId: asset.id,
    before: { status: asset.status },
    after: { status: transition.to, action: transition.action, reason, ...(change.data ?? {}) },
  });
  await tx.emit(AssetStatusChanged, { id: asset.id, tag: asset.tag, from: asset.status, to: transition.to, action: transition.action, reason });
  const own = TRANSITION_EVENTS[transition.event as keyof typeof TRANSITION_EVENTS];
  if (own) await tx.emit(own, { id: asset.id, tag: asset.tag, from: asset.status, to: transition.to, reason });
  asset.status = transition.to;
}
