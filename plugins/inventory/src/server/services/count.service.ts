/**
 * Cycle counts and stocktakes. Starting a count freezes the expected quantity of every balance in
 * the location subtree; counters enter what they find (blind counts hide the expectation); lines
 * whose variance is beyond tolerance go to a recount; posting turns the variances into one `count`
 * move, valued by the cost ledger like any other move.
 */
import { ProblemError, problems, type Transaction } from '@quartermaster/sdk';
import { CountPosted, CountStarted } from '../../shared/index.js';
import { dec, qtyText, type Dec } from '../../domain/money.js';
import { postMove, type InventoryOptions, type MoveLineInput } from './ledger.service.js';
import { subtreeCte } from './stock.service.js';

/**
 * What the books expect on a count line now: the quantity frozen at the start plus whatever moved
 * in or out of that balance since (stock keeps moving while people count). `cl` is the line, `c`
 * the count. Variances are counted against this, so nothing that moved meanwhile is taken twice.
 */
export const expectedNowSql = (cl = 'cl', c = 'c') => `(${cl}.expected_qty + coalesce((
    SELECT sum(CASE WHEN ml.to_location_id = ${cl}.location_id THEN ml.qty ELSE -ml.qty END)
      FROM inventory_move_line ml JOIN inventory_move m ON m.id = ml.move_id
     WHERE m.posted_at > ${c}.started_at AND m.id IS DISTINCT FROM ${c}.move_id AND ml.item_id = ${cl}.item_id
       AND (ml.to_location_id = ${cl}.location_id OR ml.from_location_id = ${cl}.location_id)
       AND ml.lot_id IS NOT DISTINCT FROM ${cl}.lot_id AND ml.serial_id IS NOT DISTINCT FROM ${cl}.serial_id), 0))`;

export interface StartCountInput {
  name: string;
  kind: 'cycle' | 'full';
  locationId: string;
  blind?: boolean;
  itemIds?: string[];
  abcClasses?: ('A' | 'B' | 'C')[];
  recountTolerance?: number;
  note?: string;
}

export async function startCount(tx: Transaction, input: StartCountInput) {
  const [loc] = await tx.execute<{ id: string; name: string }>(`SELECT id, name FROM core_location WHERE id = $1`, [input.locationId]);
  if (!loc) throw problems.validation([{ field: 'locationId', message: 'no such location' }]);
  if (input.kind === 'full' && (input.itemIds?.length || input.abcClasses?.length)) throw problems.validation([{ field: 'kind', message: 'a full stocktake counts everything; use a cycle count to pick items' }]);
  // Two stocktakes over the same shelves would freeze the same stock twice.
  const [open] = await tx.execute<{ number: string }>(
    `WITH RECURSIVE ${subtreeCte('$1::uuid')},
       up AS (SELECT id, parent_id FROM core_location WHERE id = $1 UNION ALL SELECT p.id, p.parent_id FROM core_location p JOIN up ON p.id = up.parent_id)
     SELECT number FROM inventory_count WHERE status IN ('counting','review') AND kind = 'full'
        AND (location_id IN (SELECT id FROM sub) OR location_id IN (SELECT id FROM up)) LIMIT 1`,
    [loc.id],
  );
  if (open && input.kind === 'full') throw problems.conflict('inventory/count-open', 'A stocktake is already open here', `Stocktake ${open.number} covers this location; post or cancel it first`);

  const [c] = await tx.execute<{ id: string; number: string }>(
    `INSERT INTO inventory_count (name, kind, location_id, blind, recount_tolerance, started_by_label, note) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id, number`,
    [input.name.trim(), input.kind, loc.id, input.blind ?? true, String(input.recountTolerance ?? 0), tx.actor.label, input.note?.trim() || null],
  );
  const params: unknown[] = [c.id, loc.id];
  const filters: string[] = [];
  if (input.itemIds?.length) {
    params.push(input.itemIds);
    filters.push(`b.item_id = ANY($${params.length}::uuid[])`);
  }
  if (input.abcClasses?.length) {
    params.push(input.abcClasses);
    filters.push(`coalesce((SELECT s.abc_class FROM inventory_item_settings s WHERE s.item_id = b.item_id), 'C') = ANY($${params.length}::text[])`);
  }
  // Frozen expectations: every balance with stock (or held) under the location, locked so no move slips between read and freeze.
  const lines = await tx.execute<{ n: string }>(
    `WITH RECURSIVE ${subtreeCte('$2::uuid')},
       frozen AS (SELECT b.item_id, b.location_id, b.lot_id, b.serial_id, b.on_hand FROM inventory_balance b
                   WHERE b.location_id IN (SELECT id FROM sub) AND b.on_hand <> 0 ${filters.map((f) => 'AND ' + f).join(' ')}),
       ins AS (INSERT INTO inventory_count_line (count_id, item_id, location_id, lot_id, serial_id, expected_qty)
               SELECT $1, item_id, location_id, lot_id, serial_id, on_hand FROM frozen RETURNING 1)
     SELECT count(*) AS n FROM ins`,
    params,
  );
  if (Number(lines[0].n) === 0 && input.kind === 'cycle') throw problems.validation([{ field: input.itemIds?.length ? 'itemIds' : 'locationId', message: 'nothing in stock to count there' }]);
  const payload = { id: c.id, number: String(c.number), kind: input.kind, locationId: loc.id, lines: Number(lines[0].n) };
  await tx.audit({ action: 'started', entityType: 'inventory.count', entityId: c.id, after: { ...payload, name: input.name, blind: input.blind ?? true } });
  await tx.emit(CountStarted, payload);
  return c.id;
}

export interface CountEntry {
  lineId?: string;
  itemId?: string;
  locationId?: string;
  lot?: string;
  serial?: string;
  countedQty: string | number;
}

/** Record what was found. During a recount only the lines sent to recount take entries. */
export async function recordCounts(tx: Transaction, countId: string, entries: CountEntry[]) {
  const c = await lockCount(tx, countId);
  if (c.status !== 'counting') throw notCounting(c);
  const errors: { field: string; message: string }[] = [];
  for (const [i, e] of entries.entries()) {
    const qty = dec(e.countedQty);
    if (qty.lt(0)) {
      errors.push({ field: `entries.${i}.countedQty`, message: 'must be at least 0' });
      continue;
    }
    let lineId = e.lineId;
    if (!lineId) {
      if (!e.itemId || !e.locationId) {
        errors.push({ field: `entries.${i}`, message: 'give lineId, or itemId and locationId' });
        continue;
      }
      // Stock found that was not expected: a new line with nothing expected.
      const [inside] = await tx.execute<{ ok: boolean }>(`WITH RECURSIVE ${subtreeCte('$1::uuid')} SELECT $2::uuid IN (SELECT id FROM sub) AS ok`, [c.location_id, e.locationId]);
      if (!inside.ok) {
        errors.push({ field: `entries.${i}.locationId`, message: 'is not inside the counted location' });
        continue;
      }
      const [item] = await tx.execute<{ id: string; tracking_mode: string }>(`SELECT id, tracking_mode FROM core_item WHERE id = $1`, [e.itemId]);
      if (!item) {
        errors.push({ field: `entries.${i}.itemId`, message: 'no such item' });
        continue;
      }
      if (item.tracking_mode === 'lot' && !e.lot) {
        errors.push({ field: `entries.${i}.lot`, message: 'the item is tracked by lot: say which lot was found' });
        continue;
      }
      if (item.tracking_mode === 'serial') {
        errors.push({ field: `entries.${i}.itemId`, message: 'found serialized units are received with their serial numbers, not counted in' });
        continue;
      }
      let lotId: string | null = null;
      if (e.lot) {
        const [lot] = await tx.execute<{ id: string }>(`SELECT id FROM inventory_lot WHERE item_id = $1 AND code = $2`, [item.id, e.lot]);
        if (!lot) {
          errors.push({ field: `entries.${i}.lot`, message: `no lot ${e.lot} for this item` });
          continue;
        }
        lotId = lot.id;
      }
      const [row] = await tx.execute<{ id: string }>(
        `INSERT INTO inventory_count_line (count_id, item_id, location_id, lot_id, expected_qty) VALUES ($1, $2, $3, $4, 0)
         ON CONFLICT ON CONSTRAINT inventory_count_line_key DO UPDATE SET count_id = EXCLUDED.count_id RETURNING id`,
        [c.id, item.id, e.locationId, lotId],
      );
      lineId = String(row.id);
    }
    const [line] = await tx.execute<{ id: string; status: string }>(`SELECT id, status FROM inventory_count_line WHERE id = $1 AND count_id = $2`, [lineId, c.id]);
    if (!line) {
      errors.push({ field: `entries.${i}.lineId`, message: 'no such line in this count' });
      continue;
    }
    const anyRecount = await tx.execute(`SELECT 1 FROM inventory_count_line WHERE count_id = $1 AND status = 'recount' LIMIT 1`, [c.id]);
    if (anyRecount.length && line.status !== 'recount' && line.status !== 'recounted') {
      errors.push({ field: `entries.${i}.lineId`, message: 'only lines sent to recount take entries now' });
      continue;
    }
    if (line.status === 'recount' || line.status === 'recounted') {
      await tx.execute(`UPDATE inventory_count_line SET recount_qty = $2, status = 'recounted', counted_by_label = $3, counted_at = now() WHERE id = $1`, [line.id, qty.toFixed(), tx.actor.label]);
    } else {
      await tx.execute(`UPDATE inventory_count_line SET counted_qty = $2, status = 'counted', counted_by_label = $3, counted_at = now() WHERE id = $1`, [line.id, qty.toFixed(), tx.actor.label]);
    }
  }
  if (errors.length) throw problems.validation(errors);
  await tx.audit({ action: 'counted', entityType: 'inventory.count', entityId: c.id, after: { entries: entries.map((e) => ({ ...e, countedQty: qtyText(e.countedQty) })) } });
}

/**
 * Finish counting: lines beyond tolerance that were not recounted go to recount (the count stays
 * open); otherwise the count moves to review. Uncounted lines are refused unless `uncountedAsZero`.
 */
export async function finishCounting(tx: Transaction, countId: string, uncountedAsZero: boolean) {
  const c = await lockCount(tx, countId);
  if (c.status !== 'counting') throw notCounting(c);
  const [pending] = await tx.execute<{ n: string }>(`SELECT count(*) AS n FROM inventory_count_line WHERE count_id = $1 AND status = 'pending'`, [c.id]);
  if (Number(pending.n) > 0) {
    if (!uncountedAsZero) {
      throw new ProblemError({
        type: 'inventory/count-incomplete',
        status: 409,
        title: 'Lines not counted',
        detail: `${pending.n} line(s) have no count; count them or finish with uncountedAsZero`,
        extensions: { uncounted: Number(pending.n) },
      });
    }
    await tx.execute(`UPDATE inventory_count_line SET counted_qty = 0, status = 'counted', counted_by_label = $2, counted_at = now() WHERE count_id = $1 AND status = 'pending'`, [c.id, tx.actor.label]);
  }
  const sent = await tx.execute<{ id: string }>(
    `UPDATE inventory_count_line cl SET status = 'recount' FROM inventory_count c
      WHERE c.id = cl.count_id AND cl.count_id = $1 AND cl.status = 'counted'
        AND abs(cl.counted_qty - ${expectedNowSql()}) > $2::numeric * abs(${expectedNowSql()}) AND cl.counted_qty <> ${expectedNowSql()}
      RETURNING cl.id`,
    [c.id, c.recount_tolerance],
  );
  const [stillOpen] = await tx.execute<{ n: string }>(`SELECT count(*) AS n FROM inventory_count_line WHERE count_id = $1 AND status = 'recount'`, [c.id]);
  if (Number(stillOpen.n) === 0) await tx.execute(`UPDATE inventory_count SET status = 'review' WHERE id = $1`, [c.id]);
  await tx.audit({ action: Number(stillOpen.n) ? 'recount-requested' : 'review', entityType: 'inventory.count', entityId: c.id, after: { recount: sent.map((s) => String(s.id)) } });
  return { recount: Number(stillOpen.n) };
}

/** Post the variances as one count move. Variance = final count − the quantity frozen at start. */
export async function postCount(tx: Transaction, countId: string, options: InventoryOptions) {
  const c = await lockCount(tx, countId);
  if (c.status !== 'review') {
    throw problems.conflict('inventory/count-state', 'Count not in review', `Count ${c.number} is ${c.status}; only a count in review can be posted`, { currentState: c.status, requestedState: 'posted' });
  }
  const lines = await tx.execute<{ item_id: string; location_id: string; lot_code: string | null; serial: string | null; expected_qty: string; final: string }>(
    `SELECT * FROM (
       SELECT cl.item_id, cl.location_id, l.code AS lot_code, s.serial, ${expectedNowSql()} AS expected_qty, coalesce(cl.recount_qty, cl.counted_qty) AS final,
              loc.name AS loc_name, i.name AS item_name
         FROM inventory_count_line cl JOIN inventory_count c ON c.id = cl.count_id LEFT JOIN inventory_lot l ON l.id = cl.lot_id LEFT JOIN inventory_serial s ON s.id = cl.serial_id
         JOIN core_location loc ON loc.id = cl.location_id JOIN core_item i ON i.id = cl.item_id
        WHERE cl.count_id = $1) x
      WHERE final <> expected_qty
      ORDER BY loc_name, item_name, lot_code NULLS FIRST, serial NULLS FIRST`,
    [c.id],
  );
  let moveId: string | null = null;
  if (lines.length) {
    const moveLines: MoveLineInput[] = lines.map((l) => {
      const variance: Dec = dec(l.final).minus(dec(l.expected_qty));
      return {
        itemId: l.item_id,
        qty: variance.abs().toFixed(),
        ...(variance.gt(0) ? { toLocationId: l.location_id } : { fromLocationId: l.location_id }),
        ...(l.lot_code ? { lot: l.lot_code } : {}),
        ...(l.serial ? { serials: [l.serial] } : {}),
        reason: `count ${c.number}`,
        allowExpired: true,
      };
    });
    const posted = await postMove(tx, { type: 'count', reference: `COUNT-${c.number}`, note: c.name, lines: moveLines }, options);
    moveId = posted.id;
  }
  await tx.execute(`UPDATE inventory_count SET status = 'posted', closed_at = now(), move_id = $2 WHERE id = $1`, [c.id, moveId]);
  const payload = { id: c.id, number: String(c.number), moveId, varianceLines: lines.length };
  await tx.audit({ action: 'posted', entityType: 'inventory.count', entityId: c.id, after: payload });
  await tx.emit(CountPosted, payload);
  return payload;
}

export async function cancelCount(tx: Transaction, countId: string) {
  const c = await lockCount(tx, countId);
  if (c.status === 'posted' || c.status === 'cancelled') {
    throw problems.conflict('inventory/count-state', 'Count closed', `Count ${c.number} is ${c.status}`, { currentState: c.status, requestedState: 'cancelled' });
  }
  await tx.execute(`UPDATE inventory_count SET status = 'cancelled', closed_at = now() WHERE id = $1`, [c.id]);
  await tx.audit({ action: 'cancelled', entityType: 'inventory.count', entityId: c.id, before: { status: c.status }, after: { status: 'cancelled' } });
}

async function lockCount(tx: Transaction, id: string) {
  const [c] = await tx.execute<{ id: string; number: string; status: string; location_id: string; recount_tolerance: string; name: string }>(
    `SELECT id, number, status, location_id, recount_tolerance, name FROM inventory_count WHERE id = $1 FOR UPDATE`,
    [id],
  );
  if (!c) throw problems.notFound('count', id);
  return c;
}

const notCounting = (c: { number: string; status: string }) =>
  problems.conflict('inventory/count-state', 'Count not open for counting', `Count ${c.number} is ${c.status}`, { currentState: c.status, requestedState: 'counting' });

export const varianceOf = (expected: string, counted: string | null, recounted: string | null): Dec | null =>
  counted === null && recounted === null ? null : dec(recounted ?? counted!).minus(dec(expected));

