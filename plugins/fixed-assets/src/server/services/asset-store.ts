/** Row-level access every asset write shares: lock the asset, write a history entry. */
import { problems, type Transaction } from '@quartermaster/sdk';
import type { AssetStatus } from '../../shared/index.js';
import type { Db } from './db.js';

/** The columns writes decide on, read under `FOR UPDATE`. */
export interface LockedAsset {
  id: string;
  tag: string;
  name: string;
  status: AssetStatus;
  category_id: string | null;
  location_id: string | null;
  parent_id: string | null;
  serial_number: string | null;
  item_id: string | null;
  currency: string;
  purchase_date: string | null;
  version: number;
}

const LOCKED_COLUMNS = `id, tag, name, status, category_id, location_id, parent_id, serial_number, item_id, currency, purchase_date::text AS purchase_date, version`;

/** Lock an asset for a change; 404 when there is none. */
export async function lockAsset(db: Db, id: string): Promise<LockedAsset> {
  const [row] = await db.execute<LockedAsset>(`SELECT ${LOCKED_COLUMNS} FROM fixed_assets_asset WHERE id = $1 FOR UPDATE`, [id]);
  if (!row) throw problems.notFound('asset', id);
  return row;
}

/** Lock several assets in id order (so two writers never wait on each other crosswise); missing ids are absent from the map. */
export async function lockAssets(db: Db, ids: string[], mode: 'UPDATE' | 'SHARE' = 'UPDATE'): Promise<Map<string, LockedAsset>> {
  const rows = await db.execute<LockedAsset>(`SELECT ${LOCKED_COLUMNS} FROM fixed_assets_asset WHERE id = ANY($1::uuid[]) ORDER BY id FOR ${mode}`, [ids]);
  return new Map(rows.map((r) => [r.id, r]));
}

export interface HistoryEntry {
  /** Past-tense name: created, updated, moved, checked-out, retired… */
  type: string;
  from?: AssetStatus | null;
  to?: AssetStatus | null;
  reason?: string | null;
  data?: Record<string, unknown>;
}

/** One line of the asset's history, in the same transaction as the change it describes. */
export async function recordEvent(tx: Transaction, assetId: string, e: HistoryEntry): Promise<void> {
  await tx.execute(
    `INSERT INTO fixed_assets_asset_event (asset_id, type, from_status, to_status, reason, data, actor_id, actor_label) VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8)`,
    [assetId, e.type, e.from ?? null, e.to ?? null, e.reason ?? null, JSON.stringify(e.data ?? {}), tx.actor.userId, tx.actor.label],
  );
}

/** Every change to an asset bumps its version (clients send it back to detect concurrent edits). */
export async function touch(db: Db, id: string, set: string, params: unknown[]): Promise<void> {
  await db.execute(`UPDATE fixed_assets_asset SET ${set}, version = version + 1, updated_at = now() WHERE id = $1`, [id, ...params]);
}
