/**
 * What the barcode plugin reads of the core's own tables (items, locations, identifiers): plain
 * reads, never writes. Other plugins' data comes through their shared services only.
 */
import type { Db } from '@quartermaster/core';
import type { Static } from '@quartermaster/sdk';
import type { ScanItemSchema, ScanLocationSchema } from '../../shared/index.js';

export type ItemView = Static<typeof ScanItemSchema>;
export type LocationView = Static<typeof ScanLocationSchema>;

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function loadItem(db: Db, id: string): Promise<ItemView | null> {
  if (!UUID_RE.test(id)) return null;
  const [r] = await db.execute<{ id: string; name: string; unit_of_measure: string; tracking_mode: string; archived: boolean }>(
    `SELECT id, name, unit_of_measure, tracking_mode, archived FROM core_item WHERE id = $1`,
    [id],
  );
  return r ? { id: r.id, name: r.name, unitOfMeasure: r.unit_of_measure, trackingMode: r.tracking_mode, archived: r.archived } : null;
}

/** An item's identifiers of one type, oldest first (the first SKU or GTIN given is the item's main one). */
export async function itemIdentifiers(db: Db, itemId: string, type: 'sku' | 'gtin'): Promise<string[]> {
  const rows = await db.execute<{ value: string }>(
    `SELECT value FROM core_identifier WHERE target_type = 'core.item' AND target_id = $1 AND type = $2 ORDER BY created_at, value`,
    [itemId, type],
  );
  return rows.map((r) => r.value);
}

/** Any identifier of a location (a QR or custom code printed on it), for locations without a code. */
export async function locationIdentifier(db: Db, locationId: string): Promise<string | null> {
  const [r] = await db.execute<{ value: string }>(
    `SELECT value FROM core_identifier WHERE target_type = 'core.location' AND target_id = $1 ORDER BY created_at, value LIMIT 1`,
    [locationId],
  );
  return r?.value ?? null;
}

export async function loadLocation(db: Db, id: string): Promise<LocationView | null> {
  if (!UUID_RE.test(id)) return null;
  const [r] = await db.execute<{ id: string; name: string; code: string | null; type: string; path: string }>(
    `WITH RECURSIVE up AS (
       SELECT id, parent_id, name, 0 AS lvl FROM core_location WHERE id = $1
       UNION ALL SELECT p.id, p.parent_id, p.name, up.lvl + 1 FROM core_location p JOIN up ON p.id = up.parent_id)
     SELECT l.id, l.name, l.code, l.type, (SELECT string_agg(name, ' / ' ORDER BY lvl DESC) FROM up) AS path
       FROM core_location l WHERE l.id = $1`,
    [id],
  );
  return r ?? null;
}

/** The one active location with this code (codes compared without case); null when none or several. */
export async function locationByCode(db: Db, code: string): Promise<LocationView | null> {
  const rows = await db.execute<{ id: string }>(`SELECT id FROM core_location WHERE lower(code) = lower($1) AND NOT archived LIMIT 2`, [code]);
  return rows.length === 1 ? loadLocation(db, rows[0].id) : null;
}
