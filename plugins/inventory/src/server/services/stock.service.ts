/** Reads of the balance table: how many, where. Never sums the move history. */
import type { PluginContext } from '@quartermaster/sdk';
import { execute } from '@quartermaster/core';
import { dec, qtyText } from '../../domain/money.js';

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
