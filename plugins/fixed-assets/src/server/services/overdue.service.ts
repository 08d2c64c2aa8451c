/**
 * Overdue custodies: past their expected return and not back. Each is announced once
 * (`fixed-assets.asset.overdue`), by a timer and before reads that list custody, whichever comes
 * first; `overdue_notified_at` plus `SKIP LOCKED` keep two sweeps from announcing one custody twice.
 */
import type { PluginContext } from '@quartermaster/sdk';
import { SYSTEM_ACTOR } from '@quartermaster/core';
import { AssetOverdue } from '../../shared/index.js';
import { recordEvent } from './asset-store.js';
import { isoOf } from './db.js';
import { CUSTODY_SELECT, type CustodyRow } from './views.js';

const BATCH = 100;
/** The sweep acts for nobody in particular: a reader who happened to trigger it did not make the asset late. */
export const SWEEP_ACTOR = Object.freeze({ ...SYSTEM_ACTOR, label: 'overdue sweep' });

/** Announce every custody that became overdue; returns how many. */
export async function sweepOverdue(ctx: PluginContext<any>): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await ctx.transaction(SWEEP_ACTOR, async (tx) => {
      const due = await tx.execute<CustodyRow>(
        `${CUSTODY_SELECT} WHERE c.checked_in_at IS NULL AND c.overdue_notified_at IS NULL AND c.expected_return_at <= now()
          ORDER BY c.expected_return_at, c.id LIMIT ${BATCH} FOR UPDATE OF c SKIP LOCKED`,
      );
      for (const c of due) {
        const holder = { type: c.holder_type, id: c.holder_id, label: c.holder_label ?? '' };
        await tx.execute(`UPDATE fixed_assets_custody SET overdue_notified_at = now() WHERE id = $1`, [c.id]);
        await recordEvent(tx, c.asset_id, { type: 'overdue', data: { custodyId: c.id, holder, expectedReturnAt: isoOf(c.expected_return_at) } });
        await tx.audit({ action: 'overdue', entityType: 'fixed-assets.custody', entityId: c.id, after: { assetId: c.asset_id, expectedReturnAt: isoOf(c.expected_return_at) } });
        await tx.emit(AssetOverdue, { id: c.asset_id, tag: c.tag, custodyId: c.id, holder, checkedOutAt: isoOf(c.checked_out_at)!, expectedReturnAt: isoOf(c.expected_return_at)! });
      }
      return due.length;
    });
    total += n;
    if (n < BATCH) return total;
  }
}
