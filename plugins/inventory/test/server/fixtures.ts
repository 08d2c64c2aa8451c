import { expect } from 'vitest';
import type { InjectOptions } from 'fastify';
import { createTestPlatform, type TestPlatform } from '@quartermaster/testing';
import { inventoryPlugin } from '../../src/server/index.js';
import { dec } from '../../src/domain/money.js';

export async function bootInventory(options: Record<string, unknown> = {}): Promise<TestPlatform> {
  return createTestPlatform({ plugins: [inventoryPlugin], enable: { inventory: { reservationSweepSeconds: 0, ...options } } });
}

/** Calls that must answer `status`; returns the JSON body. */
export const caller = (t: TestPlatform) => async (opts: InjectOptions, status: number) => {
  const res = await t.request(opts);
  expect(res.statusCode, res.body).toBe(status);
  return res.json();
};

export async function item(t: TestPlatform, name: string, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await t.request({ method: 'POST', url: '/api/core/items', payload: { name, ...extra } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}

export async function location(t: TestPlatform, name: string, type = 'bin', parentId?: string): Promise<string> {
  const res = await t.request({ method: 'POST', url: '/api/core/locations', payload: { name, type, ...(parentId ? { parentId } : {}) } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}

export const post = (t: TestPlatform, body: Record<string, unknown>) => t.request({ method: 'POST', url: '/api/inventory/moves', payload: body });

export async function posted(t: TestPlatform, body: Record<string, unknown>) {
  const res = await post(t, body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

/** On hand / reserved / available of an item at a location (and below). */
export async function stock(t: TestPlatform, itemId: string, locationId?: string) {
  const res = await t.request({ method: 'GET', url: `/api/inventory/stock?groupBy=${locationId ? 'location' : 'item'}&itemId=${itemId}${locationId ? `&locationId=${locationId}` : ''}&includeZero=true` });
  expect(res.statusCode, res.body).toBe(200);
  const rows = res.json().data as { onHand: string; reserved: string; available: string; locationId: string | null; value?: string }[];
  if (!locationId) return rows[0] ?? { onHand: '0', reserved: '0', available: '0' };
  const sum = (k: 'onHand' | 'reserved' | 'available') => rows.reduce((a, r) => a + Number(r[k]), 0).toString();
  return { onHand: sum('onHand'), reserved: sum('reserved'), available: sum('available') };
}

/** The ledger invariant: balances equal the sum of posted lines, and item value equals the cost ledger. */
export async function ledgerMatchesBalances(t: TestPlatform) {
  const mismatches = await t.sql(
    `WITH ledger AS (
       SELECT item_id, to_location_id AS loc, lot_id, serial_id, qty FROM inventory_move_line WHERE to_location_id IS NOT NULL
       UNION ALL SELECT item_id, from_location_id, lot_id, serial_id, -qty FROM inventory_move_line WHERE from_location_id IS NOT NULL),
     summed AS (SELECT item_id, loc, lot_id, serial_id, sum(qty) AS qty FROM ledger GROUP BY 1, 2, 3, 4)
     SELECT * FROM summed s FULL JOIN inventory_balance b
       ON b.item_id = s.item_id AND b.location_id = s.loc AND b.lot_id IS NOT DISTINCT FROM s.lot_id AND b.serial_id IS NOT DISTINCT FROM s.serial_id
      WHERE coalesce(s.qty, 0) <> coalesce(b.on_hand, 0)`,
  );
  expect(mismatches).toEqual([]);
  const values = await t.sql(
    `SELECT vs.item_id, vs.qty, vs.value,
            (SELECT coalesce(sum(CASE WHEN direction = 'in' THEN amount ELSE -amount END), 0) FROM inventory_valuation_entry e WHERE e.item_id = vs.item_id) AS ledger_value,
            (SELECT coalesce(sum(CASE WHEN direction = 'in' THEN qty ELSE -qty END), 0) FROM inventory_valuation_entry e WHERE e.item_id = vs.item_id) AS ledger_qty
       FROM inventory_valuation_state vs`,
  );
  for (const v of values) {
    expect(dec(v.ledger_qty as string).minus(v.qty as string).toFixed(), `quantity of ${v.item_id}`).toBe('0');
    expect(dec(v.ledger_value as string).minus(v.value as string).toFixed(), `value of ${v.item_id}`).toBe('0');
  }
}
