/** Reads of the balance table: how many, where. Never sums the move history. */
import type { PluginContext } from '@quartermaster/sdk';
import { execute } from '@quartermaster/core';
import { dec, qtyText } from '../../domain/money.js';
import type { LotSummary } from '../../shared/index.js';

export const readerOf = (ctx: PluginContext<any>) => ({
  execute: <R = any>(sql: string, params?: unknown[]) => execute<R>(ctx.orm.em.fork(), sql, params ?? []),
});

/** `it and everything under it` for a location id given as parameter `param`. */
export const subtreeCte = (param: string) =>
  `sub AS (SELECT id FROM core_location WHERE id = ${param} UNION ALL SELECT c.id FROM core_location c JOIN sub ON c.parent_id = sub.id)`;

export async function stockAt(ctx: PluginContext<any>, itemId: string, locationId: string) {
  const [r] = await readerOf(ctx).execute<{ on_hand: string | null; reserved: string | null }>(
    `WITH RECURSIVE ${subtreeCte('$2::uuid')}
     SELECT sum(b.on_hand) AS on_hand, sum(b.reserved) AS reserved FROM inventory_balance b WHERE b.item_id = $1 AND b.location_id IN (SELECT id FROM sub)`,
    [itemId, locationId],
  );
  const onHand = dec(r?.on_hand ?? 0);
  const reserved = dec(r?.reserved ?? 0);
  return { onHand: qtyText(onHand), reserved: qtyText(reserved), available: qtyText(onHand.minus(reserved)) };
}

const LOT_SUMMARY = `SELECT l.id, l.item_id, l.code, to_char(l.expires_on, 'YYYY-MM-DD') AS expires_on, to_char(l.manufactured_on, 'YYYY-MM-DD') AS manufactured_on,
    l.blocked, l.block_reason, coalesce((SELECT sum(b.on_hand) FROM inventory_balance b WHERE b.lot_id = l.id), 0) AS on_hand
  FROM inventory_lot l`;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function lotSummary(r: Record<string, any>): LotSummary {
  return {
    id: r.id,
    itemId: r.item_id,
    code: r.code,
    expiresOn: r.expires_on,
    manufacturedOn: r.manufactured_on,
    blocked: r.blocked,
    blockReason: r.block_reason,
    onHand: qtyText(dec(r.on_hand)),
  };
}

/** The lot of an item by its code, for other plugins (inventoryService.findLot). */
export async function findLot(ctx: PluginContext<any>, itemId: string, lotCode: string): Promise<LotSummary | null> {
  // Ids come from other plugins' callers: a malformed one names no lot rather than failing the cast.
  if (!UUID_RE.test(itemId)) return null;
  const [r] = await readerOf(ctx).execute<Record<string, any>>(`${LOT_SUMMARY} WHERE l.item_id = $1 AND l.code = $2`, [itemId, lotCode]);
  return r ? lotSummary(r) : null;
}

/** A lot by id, for other plugins (inventoryService.getLot). */
export async function getLot(ctx: PluginContext<any>, lotId: string): Promise<LotSummary | null> {
  if (!UUID_RE.test(lotId)) return null;
  const [r] = await readerOf(ctx).execute<Record<string, any>>(`${LOT_SUMMARY} WHERE l.id = $1`, [lotId]);
  return r ? lotSummary(r) : null;
}
