/**
 * Moving assets between locations. A component is always where its parent is: moving a machine
 * moves its parts (and their parts), each with its own history entry and event.
 */
import { problems, type Transaction } from '@quartermaster/sdk';
import { AssetMoved } from '../../shared/index.js';
import { isFinal } from '../../domain/lifecycle.js';
import { lockAsset, lockAssets, recordEvent } from './asset-store.js';
import { assetDisposed, componentMovesWithParent } from './problems.js';

/** Check that a location can receive assets; `field` names it in the problem. */
export async function checkLocation(tx: Pick<Transaction, 'execute'>, locationId: string, field = 'locationId'): Promise<void> {
  const [loc] = await tx.execute<{ archived: boolean }>(`SELECT archived FROM core_location WHERE id = $1 FOR SHARE`, [locationId]);
  if (!loc) throw problems.validation([{ field, message: 'no such location' }]);
  if (loc.archived) throw problems.validation([{ field, message: 'is archived' }]);
}

/** The asset and all its components, any depth, root first. */
export async function subtreeOf(tx: Pick<Transaction, 'execute'>, rootId: string): Promise<string[]> {
  const rows = await tx.execute<{ id: string }>(
    `WITH RECURSIVE down AS (SELECT id, 0 AS depth FROM fixed_assets_asset WHERE id = $1
                             UNION ALL SELECT a.id, down.depth + 1 FROM fixed_assets_asset a JOIN down ON a.parent_id = down.id WHERE down.depth < 100)
     SELECT id FROM down ORDER BY depth, id`,
    [rootId],
  );
  return rows.map((r) => r.id);
}

/**
 * Move an asset and its components to `toLocationId`. Components that are already there stay put
 * (no entry). `withParentId` says the root itself moves because its new parent is there.
 * Returns the ids that moved.
 */
export async function moveSubtree(tx: Transaction, rootId: string, toLocationId: string, reason: string | null, withParentId: string | null = null): Promise<string[]> {
  const ids = await subtreeOf(tx, rootId);
  const locked = await lockAssets(tx, ids);
  const moved: string[] = [];
  for (const id of ids) {
    const a = locked.get(id)!;
    if (a.location_id === toLocationId) continue;
    await tx.execute(`UPDATE fixed_assets_asset SET location_id = $2, version = version + 1, updated_at = now() WHERE id = $1`, [id, toLocationId]);
    const via = id === rootId ? withParentId : rootId;
    const data = { fromLocationId: a.location_id, toLocationId, ...(via ? { withParentId: via } : {}) };
    await recordEvent(tx, id, { type: 'moved', reason, data });
    await tx.audit({ action: 'moved', entityType: 'fixed-assets.asset', entityId: id, before: { locationId: a.location_id }, after: { locationId: toLocationId, withParentId: via } });
    await tx.emit(AssetMoved, { id, tag: a.tag, fromLocationId: a.location_id, toLocationId, withParentId: via, reason });
    moved.push(id);
  }
  return moved;
}

/** `POST /assets/:id/move`: only a top-level asset moves on its own; its components follow. */
export async function moveAsset(tx: Transaction, id: string, toLocationId: string, reason: string | null): Promise<string[]> {
  const asset = await lockAsset(tx, id);
  if (isFinal(asset.status)) throw assetDisposed(asset);
  if (asset.parent_id) {
    const [parent] = await tx.execute<{ id: string; tag: string }>(`SELECT id, tag FROM fixed_assets_asset WHERE id = $1`, [asset.parent_id]);
    throw componentMovesWithParent(asset, parent);
  }
  await checkLocation(tx, toLocationId);
  return moveSubtree(tx, id, toLocationId, reason);
}
