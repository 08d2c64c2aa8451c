/**
 * The perpetual cost ledger: values the lines of a move for one item, in the move's transaction,
 * under a row lock on the item's valuation state.
 *
 * Entries are ordered by (effective_at, id). A move dated after everything already valued appends;
 * a back-dated one replays only the entries after its date: their layer consumptions are undone and
 * taken again in order, so only the issues that could have been affected are re-valued, never the
 * item's whole history. Amounts that change are written back and reported as cost adjustments.
 */
import type { Transaction } from '@quartermaster/sdk';
import type { ValuationMethod } from '../../shared/index.js';
import { averageIssueAmount, consumeLayers, type CostLayer } from '../../domain/costing.js';
import { ZERO, dec, money, type Dec } from '../../domain/money.js';
import { toDate } from './time.js';

export interface ValuationLine {
  lineId: string;
  direction: 'in' | 'out';
  qty: Dec;
  /** Incoming lines: base-unit cost; undefined means "at the item's current cost". */
  unitCost?: Dec;
  /** Outgoing lines: take from this line's layer first (supplier returns, receipt reversals). */
  preferLayerOfLineId?: string;
}

/** An item's cost state row, locked by the caller for the whole transaction (ledger.service's postingContext). */
export interface ValuationState {
  item_id: string;
  qty: string;
  value: string;
  last_unit_cost: string;
  last_effective_at: Date | string | null;
}

/**
 * Appending: a move dated at or after everything already valued for the item (the common case) can
 * be valued from the locked state row alone (plus, for FIFO/LIFO, the item's open layers), and its
 * entries written once with their final amounts and running totals. `appendMode` says whether
 * that fits and what it needs; `planAppend` computes the rows. Anything else — back-dated moves,
 * stock that is negative (issues waiting for a receipt), a move both taking and bringing the same
 * FIFO/LIFO or moving-average item, moving-average returns at their own cost — goes through
 * `valueItemLines`, which reads and replays what it must.
 */
export interface AppendLine {
  /** The move line's number (its id is not known yet: the line is written with its entry). */
  lineNo: number;
  direction: 'in' | 'out';
  qty: Dec;
  unitCost?: Dec;
  preferLayerOfLineId?: string;
}

export interface OpenLayer {
  id: string;
  entryId: string;
  lineId: string;
  effectiveAt: Date;
  unitCost: Dec;
  remainingQty: Dec;
  remainingValue: Dec;
}

export interface AppendPlan {
  itemId: string;
  method: ValuationMethod;
  entries: { lineNo: number; direction: 'in' | 'out'; qty: Dec; amount: Dec; unvalued: Dec; variance: Dec; runningQty: Dec; runningValue: Dec; unitCost: Dec | null }[];
  newLayers: { lineNo: number; qty: Dec; value: Dec; unitCost: Dec }[];
  layerUpdates: { id: string; remainingQty: Dec; remainingValue: Dec }[];
  consumptions: { lineNo: number; layerId: string; qty: Dec; amount: Dec }[];
  state: { qty: Dec; value: Dec; lastUnitCost: Dec };
  /** The plan assumes no earlier issue waits for a receipt; the writer checks that in its statement. */
  assumesNothingPending: boolean;
}

/** Whether these lines can be appended (see above); `needsLayers`: FIFO/LIFO open layers must be read first. */
export function appendMode(a: { method: ValuationMethod; standardCost: Dec | null; effectiveAt: Date; lines: AppendLine[]; state: ValuationState }): false | { needsLayers: boolean; assumesNothingPending: boolean } {
  const last = a.state.last_effective_at === null ? null : toDate(a.state.last_effective_at);
  if (last !== null && last.getTime() > a.effectiveAt.getTime()) return false;
  if (a.method === 'standard') return a.standardCost === null ? false : { needsLayers: false, assumesNothingPending: false };
  const hasIn = a.lines.some((l) => l.direction === 'in');
  const hasOut = a.lines.some((l) => l.direction === 'out');
  if (hasIn && hasOut) return false;
  // Issues wait for a receipt only while the item's stock is below zero.
  if (hasIn && dec(a.state.qty).lt(0)) return false;
  if (a.method === 'moving-average') return a.lines.some((l) => l.preferLayerOfLineId) ? false : { needsLayers: false, assumesNothingPending: hasIn };
  return { needsLayers: hasOut || a.lines.some((l) => l.direction === 'in' && l.unitCost === undefined), assumesNothingPending: hasIn };
}

/** The open layers of these items (locked through their valuation state), oldest first. */
export async function openLayers(tx: Pick<Transaction, 'execute'>, itemIds: string[]): Promise<Map<string, OpenLayer[]>> {
  const out = new Map<string, OpenLayer[]>(itemIds.map((id) => [id, []]));
  if (!itemIds.length) return out;
  const rows = await tx.execute<{ id: string; item_id: string; entry_id: string; line_id: string; effective_at: Date | string; unit_cost: string; remaining_qty: string; remaining_value: string }>(
    `SELECT cl.id, cl.item_id, cl.entry_id, e.move_line_id AS line_id, cl.effective_at, cl.unit_cost, cl.remaining_qty, cl.remaining_value
       FROM inventory_cost_layer cl JOIN inventory_valuation_entry e ON e.id = cl.entry_id
      WHERE cl.item_id = ANY($1::uuid[]) AND cl.remaining_qty > 0
      ORDER BY cl.item_id, cl.effective_at, cl.id`,
    [itemIds],
  );
  for (const r of rows) {
    out.get(r.item_id)?.push({
      id: String(r.id),
      entryId: String(r.entry_id),
      lineId: String(r.line_id),
      effectiveAt: toDate(r.effective_at),
      unitCost: dec(r.unit_cost),
      remainingQty: dec(r.remaining_qty),
      remainingValue: dec(r.remaining_value),
    });
  }
  return out;
}

/**
 * Value appended lines (in line order, after everything already valued): the same arithmetic as
 * the replay in `valueItemLines` when there is nothing to replay and nothing waiting.
 */
export function planAppend(a: {
  itemId: string;
  method: ValuationMethod;
  standardCost: Dec | null;
  lines: AppendLine[];
  minorUnits: number;
  state: ValuationState;
  layers?: OpenLayer[];
  assumesNothingPending: boolean;
}): AppendPlan {
  const { method, minorUnits } = a;
  let runQty = dec(a.state.qty);
  let runValue = dec(a.state.value);
  let lastUnitCost = dec(a.state.last_unit_cost);
  const plan: AppendPlan = { itemId: a.itemId, method, entries: [], newLayers: [], layerUpdates: [], consumptions: [], state: { qty: ZERO, value: ZERO, lastUnitCost: ZERO }, assumesNothingPending: a.assumesNothingPending };
  const entry = (l: AppendLine, amount: Dec, unvalued: Dec, variance: Dec, unitCost: Dec | null) =>
    plan.entries.push({ lineNo: l.lineNo, direction: l.direction, qty: l.qty, amount, unvalued, variance, runningQty: runQty, runningValue: runValue, unitCost });

  if (method === 'standard') {
    const std = a.standardCost ?? ZERO;
    for (const l of a.lines) {
      if (l.direction === 'in') {
        const actual = money(l.qty.times(l.unitCost ?? std), minorUnits);
        const amount = money(l.qty.times(std), minorUnits);
        lastUnitCost = std;
        runQty = runQty.plus(l.qty);
        runValue = runValue.plus(amount);
        entry(l, amount, ZERO, actual.minus(amount), std);
      } else {
        const amount = runQty.eq(l.qty) && runQty.gt(0) ? runValue : money(l.qty.times(std), minorUnits);
        runQty = runQty.minus(l.qty);
        runValue = runValue.minus(amount);
        entry(l, amount, ZERO, ZERO, null);
      }
    }
  } else if (method === 'moving-average') {
    for (const l of a.lines) {
      if (l.direction === 'in') {
        const unitCost = l.unitCost ?? (runQty.gt(0) ? runValue.div(runQty) : lastUnitCost);
        const amount = money(l.qty.times(unitCost), minorUnits);
        runQty = runQty.plus(l.qty);
        runValue = runValue.plus(amount);
        lastUnitCost = runQty.gt(0) ? runValue.div(runQty) : unitCost;
        entry(l, amount, ZERO, ZERO, unitCost);
      } else {
        const onHand = runQty.gt(0) ? runQty : ZERO;
        let amount: Dec;
        let unvalued = ZERO;
        if (l.qty.lte(onHand)) amount = averageIssueAmount(runQty, runValue, l.qty, lastUnitCost, minorUnits);
        else {
          // All that is on hand leaves with all its value; the rest waits for a receipt.
          amount = onHand.gt(0) ? runValue : ZERO;
          unvalued = l.qty.minus(onHand);
        }
        runQty = runQty.minus(l.qty);
        runValue = runValue.minus(amount);
        entry(l, amount, unvalued, ZERO, null);
      }
    }
  } else {
    const layers = (a.layers ?? []).map((l) => ({ ...l, moved: false }));
    const order = (x: { effectiveAt: Date; entryId: string }, y: { effectiveAt: Date; entryId: string }) =>
      x.effectiveAt.getTime() - y.effectiveAt.getTime() || (BigInt(x.entryId) < BigInt(y.entryId) ? -1 : BigInt(x.entryId) > BigInt(y.entryId) ? 1 : 0);
    const fresh: { qty: Dec; value: Dec }[] = [];
    for (const l of a.lines) {
      if (l.direction === 'in') {
        let unitCost = l.unitCost;
        if (unitCost === undefined) {
          // At the cost of what is on hand: the open layers, and those this move brought in before this line.
          const open = [...layers.filter((x) => x.remainingQty.gt(0)).map((x) => ({ qty: x.remainingQty, value: x.remainingValue })), ...fresh];
          const q = open.reduce((s, x) => s.plus(x.qty), ZERO);
          const v = open.reduce((s, x) => s.plus(x.value), ZERO);
          unitCost = q.gt(0) ? v.div(q) : lastUnitCost;
        }
        const amount = money(l.qty.times(unitCost), minorUnits);
        plan.newLayers.push({ lineNo: l.lineNo, qty: l.qty, value: amount, unitCost });
        fresh.push({ qty: l.qty, value: amount });
        lastUnitCost = unitCost;
        runQty = runQty.plus(l.qty);
        runValue = runValue.plus(amount);
        entry(l, amount, ZERO, ZERO, unitCost);
      } else {
        const candidates = layers.filter((x) => x.remainingQty.gt(0)).sort(order);
        if (method === 'lifo') candidates.reverse();
        if (l.preferLayerOfLineId) {
          const i = candidates.findIndex((x) => x.lineId === l.preferLayerOfLineId);
          if (i > 0) candidates.unshift(...candidates.splice(i, 1));
        }
        const taken = consumeLayers(
          candidates.map((x) => ({ key: x.id, unitCost: x.unitCost, remainingQty: x.remainingQty, remainingValue: x.remainingValue })),
          l.qty,
          minorUnits,
        );
        for (const c of taken.consumptions) {
          const layer = layers.find((x) => x.id === c.key)!;
          layer.remainingQty = layer.remainingQty.minus(c.qty);
          layer.remainingValue = layer.remainingValue.minus(c.amount);
          layer.moved = true;
          plan.consumptions.push({ lineNo: l.lineNo, layerId: c.key, qty: c.qty, amount: c.amount });
        }
        runQty = runQty.minus(l.qty);
        runValue = runValue.minus(taken.amount);
        entry(l, taken.amount, taken.unvalued, ZERO, null);
      }
    }
    plan.layerUpdates = layers.filter((x) => x.moved).map((x) => ({ id: x.id, remainingQty: x.remainingQty, remainingValue: x.remainingValue }));
  }
  plan.state = { qty: runQty, value: runValue, lastUnitCost };
  return plan;
}

export interface CostChange {
  lineId: string;
  previousAmount: Dec;
  amount: Dec;
  reason: 'back-dated-move' | 'negative-stock-valued';
}

interface Entry {
  id: string;
  lineId: string;
  effectiveAt: Date;
  direction: 'in' | 'out';
  qty: Dec;
  amount: Dec;
  unvalued: Dec;
  variance: Dec;
  /** Incoming entries: unit cost of their layer. */
  unitCost: Dec;
  preferLayerOfLineId?: string;
  isNew: boolean;
  original?: { amount: Dec; unvalued: Dec; runningQty: Dec; runningValue: Dec };
  runningQty: Dec;
  runningValue: Dec;
}

interface Layer extends CostLayer<string> {
  entryId: string;
  lineId: string;
  effectiveAt: Date;
  qty: Dec;
  value: Dec;
  original?: { remainingQty: Dec; remainingValue: Dec };
  isNew?: boolean;
}

interface NewConsumption {
  outEntryId: string;
  layerKey: string;
  qty: Dec;
  amount: Dec;
}

const before = (a: { effectiveAt: Date; id: string }, b: { effectiveAt: Date; id: string }) =>
  a.effectiveAt.getTime() < b.effectiveAt.getTime() || (a.effectiveAt.getTime() === b.effectiveAt.getTime() && BigInt(a.id) < BigInt(b.id));

/**
 * Value `lines` (all of one item, one move) dated `effectiveAt`. Returns each line's amount and the
 * amounts of other lines that changed because of it.
 */
export async function valueItemLines(
  tx: Pick<Transaction, 'execute'>,
  args: { itemId: string; method: ValuationMethod; standardCost: Dec | null; effectiveAt: Date; lines: ValuationLine[]; minorUnits: number; state: ValuationState },
): Promise<{ amounts: Map<string, Dec>; changes: CostChange[]; backDated: boolean }> {
  const { itemId, method, effectiveAt, minorUnits } = args;
  const state = { ...args.state, last_effective_at: args.state.last_effective_at === null ? null : toDate(args.state.last_effective_at) };
  const backDated = state.last_effective_at !== null && state.last_effective_at.getTime() > effectiveAt.getTime();

  // The new entries, in line order, after everything at or before their date.
  const created = await tx.execute<{ id: string; line_id: string }>(
    `INSERT INTO inventory_valuation_entry (item_id, move_line_id, effective_at, direction, method, qty, amount, running_qty, running_value)
     SELECT $1, l, $2, d, $3, q, 0, 0, 0 FROM unnest($4::bigint[], $5::text[], $6::numeric[]) WITH ORDINALITY AS u(l, d, q, n) ORDER BY n
     RETURNING id, move_line_id AS line_id`,
    [itemId, effectiveAt, method, args.lines.map((l) => l.lineId), args.lines.map((l) => l.direction), args.lines.map((l) => l.qty.toFixed())],
  );
  const idOfLine = new Map(created.map((r) => [String(r.line_id), String(r.id)]));
  const fresh: Entry[] = args.lines.map((l) => ({
    id: idOfLine.get(l.lineId)!,
    lineId: l.lineId,
    effectiveAt,
    direction: l.direction,
    qty: l.qty,
    amount: ZERO,
    unvalued: ZERO,
    variance: ZERO,
    unitCost: l.unitCost ?? ZERO,
    preferLayerOfLineId: l.preferLayerOfLineId,
    isNew: true,
    runningQty: ZERO,
    runningValue: ZERO,
  }));
  const needsCurrentCost = fresh.filter((e) => e.direction === 'in' && args.lines.find((l) => l.lineId === e.lineId)!.unitCost === undefined);

  // Entries after the new ones' date (back-dated only) are replayed.
  const suffixRows = backDated
    ? await tx.execute<EntryRow>(
        `SELECT e.id, e.move_line_id, e.effective_at, e.direction, e.qty, e.amount, e.unvalued_qty, e.price_variance, e.running_qty, e.running_value,
                c.unit_cost, ml.cost_source_line_id, m.type
           FROM inventory_valuation_entry e
           JOIN inventory_move_line ml ON ml.id = e.move_line_id
           JOIN inventory_move m ON m.id = ml.move_id
           LEFT JOIN inventory_cost_layer c ON c.entry_id = e.id
          WHERE e.item_id = $1 AND e.effective_at > $2
          ORDER BY e.effective_at, e.id`,
        [itemId, effectiveAt],
      )
    : [];
  const suffix = suffixRows.map(toEntry);
  const suffixIds = suffix.map((e) => e.id);

  // Where the running totals start: the last entry before the new ones.
  // Appending: the state row already holds the totals so far.
  const [prior] = !backDated
    ? [{ running_qty: state.qty, running_value: state.value }]
    : await tx.execute<{ running_qty: string; running_value: string }>(
    `SELECT running_qty, running_value FROM inventory_valuation_entry
      WHERE item_id = $1 AND (effective_at, id) < ($2::timestamptz, $3::bigint) ORDER BY effective_at DESC, id DESC LIMIT 1`,
    [itemId, effectiveAt, fresh[0].id],
  );
  let runQty = prior ? dec(prior.running_qty) : ZERO;
  let runValue = prior ? dec(prior.running_value) : ZERO;
  let lastUnitCost = dec(state.last_unit_cost);
  if (backDated) {
    // The unit cost known at the new move's date, not today's.
    const [lastIn] = await tx.execute<{ amount: string; qty: string; running_qty: string; running_value: string }>(
      `SELECT amount, qty, running_qty, running_value FROM inventory_valuation_entry
        WHERE item_id = $1 AND direction = 'in' AND (effective_at, id) < ($2::timestamptz, $3::bigint) ORDER BY effective_at DESC, id DESC LIMIT 1`,
      [itemId, effectiveAt, fresh[0].id],
    );
    lastUnitCost = runQty.gt(0) ? runValue.div(runQty) : lastIn ? dec(lastIn.amount).div(dec(lastIn.qty)) : ZERO;
  }

  const sequence = [...fresh, ...suffix].sort((a, b) => (before(a, b) ? -1 : 1));
  const amounts = new Map<string, Dec>();
  const changes: CostChange[] = [];

  if (method === 'standard') {
    // Everything moves at standard, so nothing waits for a receipt to be valued.
    const std = args.standardCost ?? ZERO;
    for (const e of sequence) {
      if (e.direction === 'in') {
        // A receipt keeps the value it came in with; only issues are re-valued on replay.
        if (e.isNew) {
          const actual = needsCurrentCost.includes(e) ? money(e.qty.times(std), minorUnits) : money(e.qty.times(e.unitCost), minorUnits);
          e.amount = money(e.qty.times(std), minorUnits);
          e.variance = actual.minus(e.amount);
          e.unitCost = std;
        }
        lastUnitCost = std;
        runQty = runQty.plus(e.qty);
        runValue = runValue.plus(e.amount);
      } else {
        e.amount = runQty.eq(e.qty) && runQty.gt(0) ? runValue : money(e.qty.times(std), minorUnits);
        runQty = runQty.minus(e.qty);
        runValue = runValue.minus(e.amount);
      }
      e.runningQty = runQty;
      e.runningValue = runValue;
    }
  } else if (method === 'moving-average') {
    lastUnitCost = await replayAverage(tx, { itemId, fresh, suffix, suffixIds, sequence, minorUnits, needsCurrentCost, runQty, runValue, lastUnitCost });
    const last = sequence[sequence.length - 1];
    runQty = last.runningQty;
    runValue = last.runningValue;
  } else {
    await replayLayers(tx, { itemId, method, fresh, suffix, suffixIds, sequence, minorUnits, needsCurrentCost, runQty, runValue, lastUnitCost });
    const last = sequence[sequence.length - 1];
    runQty = last.runningQty;
    runValue = last.runningValue;
    for (const e of sequence) if (e.direction === 'in') lastUnitCost = e.unitCost;
  }

  // Write back: new entries fully, old ones where something changed.
  const dirty = sequence.filter(
    (e) => e.isNew || !e.original || !e.original.amount.eq(e.amount) || !e.original.unvalued.eq(e.unvalued) || !e.original.runningQty.eq(e.runningQty) || !e.original.runningValue.eq(e.runningValue),
  );
  // Entries and, where the amount moved, their move lines: one statement.
  if (dirty.length) {
    const lineChanged = (e: Entry) => e.isNew || (!!e.original && !e.original.amount.eq(e.amount));
    await tx.execute(
      `WITH u AS (SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::numeric[], $4::numeric[], $5::numeric[], $6::numeric[], $7::numeric[], $8::numeric[], $9::boolean[])
                    AS u(id, line_id, amount, unvalued, variance, rq, rv, unit_cost, line_changed)),
            e AS (UPDATE inventory_valuation_entry e SET amount = u.amount, unvalued_qty = u.unvalued, price_variance = u.variance, running_qty = u.rq, running_value = u.rv
                    FROM u WHERE e.id = u.id RETURNING e.id)
       UPDATE inventory_move_line ml SET amount = u.amount, unit_cost = coalesce(u.unit_cost, ml.unit_cost) FROM u WHERE ml.id = u.line_id AND u.line_changed`,
      [
        dirty.map((e) => e.id),
        dirty.map((e) => e.lineId),
        dirty.map((e) => e.amount.toFixed()),
        dirty.map((e) => e.unvalued.toFixed()),
        dirty.map((e) => e.variance.toFixed()),
        dirty.map((e) => e.runningQty.toFixed()),
        dirty.map((e) => e.runningValue.toFixed()),
        dirty.map((e) => (e.direction === 'in' && lineChanged(e) ? e.unitCost.toFixed() : null)),
        dirty.map((e) => lineChanged(e)),
      ],
    );
  }
  for (const e of sequence) {
    if (e.isNew) amounts.set(e.lineId, e.amount);
    else if (e.original && !e.original.amount.eq(e.amount)) {
      changes.push({ lineId: e.lineId, previousAmount: e.original.amount, amount: e.amount, reason: backDated ? 'back-dated-move' : 'negative-stock-valued' });
    }
  }

  const lastAt = state.last_effective_at && state.last_effective_at.getTime() > effectiveAt.getTime() ? state.last_effective_at : effectiveAt;
  await tx.execute(
    `UPDATE inventory_valuation_state SET qty = $2, value = $3, last_unit_cost = $4, last_effective_at = $5, updated_at = now() WHERE item_id = $1`,
    [itemId, runQty.toFixed(), runValue.toFixed(), lastUnitCost.toFixed(10), lastAt],
  );
  return { amounts, changes, backDated };
}

type EntryRow = {
  id: string;
  move_line_id: string;
  effective_at: Date;
  direction: 'in' | 'out';
  qty: string;
  amount: string;
  unvalued_qty: string;
  price_variance: string;
  running_qty: string;
  running_value: string;
  unit_cost: string | null;
  cost_source_line_id: string | null;
  type: string;
};

function toEntry(r: EntryRow): Entry {
  const amount = dec(r.amount);
  const unvalued = dec(r.unvalued_qty);
  const runningQty = dec(r.running_qty);
  const runningValue = dec(r.running_value);
  return {
    id: String(r.id),
    lineId: String(r.move_line_id),
    effectiveAt: toDate(r.effective_at),
    direction: r.direction,
    qty: dec(r.qty),
    amount,
    unvalued,
    variance: dec(r.price_variance),
    unitCost: r.unit_cost === null ? ZERO : dec(r.unit_cost),
    preferLayerOfLineId: r.direction === 'out' && r.cost_source_line_id ? String(r.cost_source_line_id) : undefined,
    isNew: false,
    original: { amount, unvalued, runningQty, runningValue },
    runningQty,
    runningValue,
  };
}

/** FIFO / LIFO replay over the new entries and the suffix after them. */
async function replayLayers(
  tx: Pick<Transaction, 'execute'>,
  a: {
    itemId: string;
    method: 'fifo' | 'lifo';
    fresh: Entry[];
    suffix: Entry[];
    suffixIds: string[];
    sequence: Entry[];
    minorUnits: number;
    needsCurrentCost: Entry[];
    runQty: Dec;
    runValue: Dec;
    lastUnitCost: Dec;
  },
) {
  const { itemId, suffixIds, minorUnits } = a;
  const start = a.sequence[0];
  // Undo what the suffix took, and what suffix receipts gave to earlier issues made without stock.
  const undone = suffixIds.length
    ? await tx.execute<{ id: string; entry_id: string; layer_id: string; qty: string; amount: string }>(
        // Two index probes, not one OR across both tables (which scans the whole ledger).
        `DELETE FROM inventory_layer_consumption lc WHERE lc.id IN (
           SELECT x.id FROM inventory_layer_consumption x WHERE x.entry_id = ANY($1::bigint[]) AND x.layer_id IS NOT NULL
           UNION ALL
           SELECT x.id FROM inventory_cost_layer cl JOIN inventory_layer_consumption x ON x.layer_id = cl.id WHERE cl.entry_id = ANY($1::bigint[]))
         RETURNING lc.id, lc.entry_id, lc.layer_id, lc.qty, lc.amount`,
        [suffixIds],
      )
    : [];
  const restoredByLayer = new Map<string, { qty: Dec; amount: Dec }>();
  const undoneByEarlierOut = new Map<string, { qty: Dec; amount: Dec }>();
  const suffixSet = new Set(suffixIds);
  for (const u of undone) {
    const r = restoredByLayer.get(String(u.layer_id)) ?? { qty: ZERO, amount: ZERO };
    restoredByLayer.set(String(u.layer_id), { qty: r.qty.plus(u.qty), amount: r.amount.plus(u.amount) });
    if (!suffixSet.has(String(u.entry_id))) {
      const o = undoneByEarlierOut.get(String(u.entry_id)) ?? { qty: ZERO, amount: ZERO };
      undoneByEarlierOut.set(String(u.entry_id), { qty: o.qty.plus(u.qty), amount: o.amount.plus(u.amount) });
    }
  }

  // Layers open before the replay starts (after the undo), plus every layer of the suffix.
  // A move that only brings stock in at a given cost, with nothing to replay, needs no open layers.
  const needLayers = suffixIds.length > 0 || a.needsCurrentCost.length > 0 || a.sequence.some((e) => e.direction === 'out');
  const layerRows = !needLayers
    ? []
    : await tx.execute<{ id: string; entry_id: string; line_id: string; effective_at: Date; qty: string; value: string; unit_cost: string; remaining_qty: string; remaining_value: string }>(
    `SELECT cl.id, cl.entry_id, e.move_line_id AS line_id, cl.effective_at, cl.qty, cl.value, cl.unit_cost, cl.remaining_qty, cl.remaining_value
       FROM inventory_cost_layer cl JOIN inventory_valuation_entry e ON e.id = cl.entry_id
      WHERE cl.item_id = $1 AND (cl.remaining_qty > 0 OR cl.id = ANY($2::bigint[]) OR cl.entry_id = ANY($3::bigint[]))
      ORDER BY cl.effective_at, cl.id`,
    [itemId, [...restoredByLayer.keys()], suffixIds],
  );
  const layers = new Map<string, Layer>();
  const layerOfEntry = new Map<string, Layer>();
  for (const r of layerRows) {
    const restored = restoredByLayer.get(String(r.id));
    const remainingQty = dec(r.remaining_qty).plus(restored?.qty ?? ZERO);
    const remainingValue = dec(r.remaining_value).plus(restored?.amount ?? ZERO);
    const layer: Layer = {
      key: String(r.id),
      entryId: String(r.entry_id),
      lineId: String(r.line_id),
      effectiveAt: toDate(r.effective_at),
      qty: dec(r.qty),
      value: dec(r.value),
      unitCost: dec(r.unit_cost),
      remainingQty,
      remainingValue,
      original: { remainingQty: dec(r.remaining_qty), remainingValue: dec(r.remaining_value) },
    };
    layers.set(layer.key, layer);
    layerOfEntry.set(layer.entryId, layer);
  }

  // Issues made without stock before the replay point, still waiting (or waiting again) for a receipt;
  // only a receipt can value them, so a move with none (and nothing undone) need not look.
  const earlier = a.sequence.some((e) => e.direction === 'in') || undoneByEarlierOut.size ? await earlierPending(tx, itemId, start, undoneByEarlierOut) : [];
  // Suffix outs start from scratch.
  for (const e of a.suffix) if (e.direction === 'out') {
    e.amount = ZERO;
    e.unvalued = ZERO;
  }

  const pending: Entry[] = earlier.filter((e) => e.unvalued.gt(0));
  const consumptions: NewConsumption[] = [];
  let runQty = a.runQty;
  let runValue = a.runValue;
  let lastUnitCost = a.lastUnitCost;
  const open = () => [...layers.values()].filter((l) => l.remainingQty.gt(0));

  for (const e of a.sequence) {
    if (e.direction === 'in') {
      let layer = layerOfEntry.get(e.id);
      if (!layer) {
        if (e.isNew && a.needsCurrentCost.includes(e)) {
          // Layers that existed at the entry's date: later receipts are loaded for the replay too.
          const o = open().filter((l) => !before(e, { effectiveAt: l.effectiveAt, id: l.entryId }));
          const q = o.reduce((s, l) => s.plus(l.remainingQty), ZERO);
          const v = o.reduce((s, l) => s.plus(l.remainingValue), ZERO);
          e.unitCost = q.gt(0) ? v.div(q) : lastUnitCost;
        }
        e.amount = money(e.qty.times(e.unitCost), minorUnits);
        layer = { key: `new:${e.id}`, entryId: e.id, lineId: e.lineId, effectiveAt: e.effectiveAt, qty: e.qty, value: e.amount, unitCost: e.unitCost, remainingQty: e.qty, remainingValue: e.amount, isNew: true };
        layers.set(layer.key, layer);
        layerOfEntry.set(e.id, layer);
      } else {
        // A replayed receipt starts full again; its consumptions are being rebuilt.
        layer.remainingQty = layer.qty;
        layer.remainingValue = layer.value;
      }
      lastUnitCost = layer.unitCost;
      // A receipt first values issues that were made without stock, oldest first.
      while (pending.length && layer.remainingQty.gt(0)) {
        const out = pending[0];
        const taken = consumeLayers([layer], out.unvalued, minorUnits);
        for (const c of taken.consumptions) {
          consumptions.push({ outEntryId: out.id, layerKey: c.key, qty: c.qty, amount: c.amount });
          layer.remainingQty = layer.remainingQty.minus(c.qty);
          layer.remainingValue = layer.remainingValue.minus(c.amount);
        }
        out.amount = out.amount.plus(taken.amount);
        out.unvalued = taken.unvalued;
        // The issue's cost was charged when it happened; the value leaves stock now.
        runValue = runValue.minus(taken.amount);
        if (out.unvalued.lte(0)) pending.shift();
      }
      runQty = runQty.plus(e.qty);
      runValue = runValue.plus(e.amount);
    } else {
      const candidates = open().filter((l) => !before(e, { effectiveAt: l.effectiveAt, id: l.entryId }));
      candidates.sort((x, y) => (before({ effectiveAt: x.effectiveAt, id: x.entryId }, { effectiveAt: y.effectiveAt, id: y.entryId }) ? -1 : 1));
      if (a.method === 'lifo') candidates.reverse();
      if (e.preferLayerOfLineId) {
        const i = candidates.findIndex((l) => l.lineId === e.preferLayerOfLineId);
        if (i > 0) candidates.unshift(...candidates.splice(i, 1));
      }
      const taken = consumeLayers(candidates, e.qty, minorUnits);
      for (const c of taken.consumptions) {
        const layer = layers.get(c.key)!;
        layer.remainingQty = layer.remainingQty.minus(c.qty);
        layer.remainingValue = layer.remainingValue.minus(c.amount);
        consumptions.push({ outEntryId: e.id, layerKey: c.key, qty: c.qty, amount: c.amount });
      }
      e.amount = taken.amount;
      e.unvalued = taken.unvalued;
      if (e.unvalued.gt(0)) pending.push(e);
      runQty = runQty.minus(e.qty);
      runValue = runValue.minus(e.amount);
    }
    e.runningQty = runQty;
    e.runningValue = runValue;
  }

  // Persist layers: new ones inserted, existing ones whose remainder moved updated.
  const newLayers = [...layers.values()].filter((l) => l.isNew);
  if (newLayers.length) {
    const ids = await tx.execute<{ id: string; entry_id: string }>(
      `INSERT INTO inventory_cost_layer (item_id, entry_id, effective_at, qty, value, unit_cost, remaining_qty, remaining_value)
       SELECT $1, e, t, q, v, c, rq, rv FROM unnest($2::bigint[], $3::timestamptz[], $4::numeric[], $5::numeric[], $6::numeric[], $7::numeric[], $8::numeric[]) AS u(e, t, q, v, c, rq, rv)
       RETURNING id, entry_id`,
      [
        itemId,
        newLayers.map((l) => l.entryId),
        newLayers.map((l) => l.effectiveAt),
        newLayers.map((l) => l.qty.toFixed()),
        newLayers.map((l) => l.value.toFixed()),
        newLayers.map((l) => l.unitCost.toFixed(10)),
        newLayers.map((l) => l.remainingQty.toFixed()),
        newLayers.map((l) => l.remainingValue.toFixed()),
      ],
    );
    const byEntry = new Map(ids.map((r) => [String(r.entry_id), String(r.id)]));
    for (const l of newLayers) {
      const id = byEntry.get(l.entryId)!;
      for (const c of consumptions) if (c.layerKey === l.key) c.layerKey = id;
    }
  }
  const moved = [...layers.values()].filter((l) => !l.isNew && l.original && (!l.original.remainingQty.eq(l.remainingQty) || !l.original.remainingValue.eq(l.remainingValue)));
  if (moved.length) {
    await tx.execute(
      `UPDATE inventory_cost_layer cl SET remaining_qty = u.rq, remaining_value = u.rv FROM unnest($1::bigint[], $2::numeric[], $3::numeric[]) AS u(id, rq, rv) WHERE cl.id = u.id`,
      [moved.map((l) => l.key), moved.map((l) => l.remainingQty.toFixed()), moved.map((l) => l.remainingValue.toFixed())],
    );
  }
  if (consumptions.length) {
    await tx.execute(
      `INSERT INTO inventory_layer_consumption (entry_id, layer_id, qty, amount) SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::numeric[], $4::numeric[])`,
      [consumptions.map((c) => c.outEntryId), consumptions.map((c) => c.layerKey), consumptions.map((c) => c.qty.toFixed()), consumptions.map((c) => c.amount.toFixed())],
    );
  }
  // Earlier issues whose valuation changed are written back with the sequence.
  for (const e of earlier) if (!a.sequence.includes(e)) a.sequence.unshift(e);
  a.sequence.sort((x, y) => (before(x, y) ? -1 : 1));
}

/**
 * Moving average replay. An issue takes at the current average what is on hand; what it takes
 * beyond that waits (unvalued) for the next receipt, which values it at the receipt's unit cost
 * before the rest of the receipt joins the average — so stock without units never keeps a value
 * and the average is never dragged by a negative balance. Those settlements are recorded, so a
 * back-dated replay can undo exactly the ones it re-does.
 */
async function replayAverage(
  tx: Pick<Transaction, 'execute'>,
  a: { itemId: string; fresh: Entry[]; suffix: Entry[]; suffixIds: string[]; sequence: Entry[]; minorUnits: number; needsCurrentCost: Entry[]; runQty: Dec; runValue: Dec; lastUnitCost: Dec },
): Promise<Dec> {
  const { itemId, suffixIds, minorUnits } = a;
  const start = a.sequence[0];
  const undone = suffixIds.length
    ? await tx.execute<{ entry_id: string; qty: string; amount: string }>(
        `DELETE FROM inventory_layer_consumption lc WHERE lc.id IN (
           SELECT x.id FROM inventory_layer_consumption x WHERE x.entry_id = ANY($1::bigint[]) AND x.layer_id IS NULL
           UNION ALL
           SELECT x.id FROM inventory_layer_consumption x WHERE x.source_entry_id = ANY($1::bigint[]))
         RETURNING lc.entry_id, lc.qty, lc.amount`,
        [suffixIds],
      )
    : [];
  const suffixSet = new Set(suffixIds);
  const undoneByEarlierOut = new Map<string, { qty: Dec; amount: Dec }>();
  for (const u of undone) {
    if (suffixSet.has(String(u.entry_id))) continue;
    const o = undoneByEarlierOut.get(String(u.entry_id)) ?? { qty: ZERO, amount: ZERO };
    undoneByEarlierOut.set(String(u.entry_id), { qty: o.qty.plus(u.qty), amount: o.amount.plus(u.amount) });
  }
  const earlier = a.sequence.some((e) => e.direction === 'in') || undoneByEarlierOut.size ? await earlierPending(tx, itemId, start, undoneByEarlierOut) : [];
  for (const e of a.suffix) if (e.direction === 'out') {
    e.amount = ZERO;
    e.unvalued = ZERO;
  }
  const pending: Entry[] = earlier.filter((e) => e.unvalued.gt(0));
  const settlements: { outEntryId: string; sourceEntryId: string; qty: Dec; amount: Dec }[] = [];
  // Unit costs of the incoming lines that returns and reversals name.
  const sources = [...new Set(a.sequence.filter((e) => e.direction === 'out' && e.preferLayerOfLineId).map((e) => e.preferLayerOfLineId!))];
  const sourceCost = new Map(
    sources.length
      ? (
          await tx.execute<{ line_id: string; amount: string; qty: string }>(
            `SELECT move_line_id AS line_id, amount, qty FROM inventory_valuation_entry WHERE move_line_id = ANY($1::bigint[]) AND direction = 'in'`,
            [sources],
          )
        ).map((r) => [String(r.line_id), dec(r.amount).div(dec(r.qty))])
      : [],
  );
  let runQty = a.runQty;
  let runValue = a.runValue;
  let lastUnitCost = a.lastUnitCost;
  for (const e of a.sequence) {
    if (e.direction === 'in') {
      if (e.isNew) {
        if (a.needsCurrentCost.includes(e)) e.unitCost = runQty.gt(0) ? runValue.div(runQty) : lastUnitCost;
        e.amount = money(e.qty.times(e.unitCost), minorUnits);
      } else e.unitCost = e.amount.div(e.qty);
      let leftQty = e.qty;
      let leftValue = e.amount;
      while (pending.length && leftQty.gt(0)) {
        const out = pending[0];
        const q = out.unvalued.lt(leftQty) ? out.unvalued : leftQty;
        const amount = q.eq(leftQty) ? leftValue : money(q.times(e.unitCost), minorUnits);
        settlements.push({ outEntryId: out.id, sourceEntryId: e.id, qty: q, amount });
        out.amount = out.amount.plus(amount);
        out.unvalued = out.unvalued.minus(q);
        leftQty = leftQty.minus(q);
        leftValue = leftValue.minus(amount);
        if (out.unvalued.lte(0)) pending.shift();
      }
      runQty = runQty.plus(e.qty);
      runValue = runValue.plus(leftValue);
      lastUnitCost = runQty.gt(0) ? runValue.div(runQty) : e.unitCost;
    } else {
      const onHand = runQty.gt(0) ? runQty : ZERO;
      const source = e.preferLayerOfLineId ? sourceCost.get(e.preferLayerOfLineId) : undefined;
      if (e.qty.lte(onHand) && source) {
        // Supplier returns and receipt reversals leave at the cost they came in with (never more than is there).
        const amount = money(e.qty.times(source), minorUnits);
        e.amount = e.qty.eq(onHand) || amount.gt(runValue) ? runValue : amount;
        e.unvalued = ZERO;
      } else if (e.qty.lte(onHand)) {
        e.amount = averageIssueAmount(runQty, runValue, e.qty, lastUnitCost, minorUnits);
        e.unvalued = ZERO;
      } else {
        // All that is on hand leaves with all its value; the rest waits for a receipt.
        e.amount = onHand.gt(0) ? runValue : ZERO;
        e.unvalued = e.qty.minus(onHand);
        pending.push(e);
      }
      runQty = runQty.minus(e.qty);
      runValue = runValue.minus(e.amount);
    }
    e.runningQty = runQty;
    e.runningValue = runValue;
  }
  if (settlements.length) {
    await tx.execute(
      `INSERT INTO inventory_layer_consumption (entry_id, source_entry_id, qty, amount) SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::numeric[], $4::numeric[])`,
      [settlements.map((x) => x.outEntryId), settlements.map((x) => x.sourceEntryId), settlements.map((x) => x.qty.toFixed()), settlements.map((x) => x.amount.toFixed())],
    );
  }
  for (const e of earlier) if (!a.sequence.includes(e)) a.sequence.unshift(e);
  a.sequence.sort((x, y) => (before(x, y) ? -1 : 1));
  return lastUnitCost;
}

/** Issues before the replay point still waiting to be valued, with what the undo gave back added to their wait. */
async function earlierPending(tx: Pick<Transaction, 'execute'>, itemId: string, start: { effectiveAt: Date; id: string }, undone: Map<string, { qty: Dec; amount: Dec }>): Promise<Entry[]> {
  const rows = await tx.execute<{ id: string; move_line_id: string; effective_at: Date | string; qty: string; amount: string; unvalued_qty: string; running_qty: string; running_value: string }>(
    `SELECT id, move_line_id, effective_at, qty, amount, unvalued_qty, running_qty, running_value FROM inventory_valuation_entry
      WHERE item_id = $1 AND (effective_at, id) < ($2::timestamptz, $3::bigint) AND (unvalued_qty > 0 OR id = ANY($4::bigint[]))
      ORDER BY effective_at, id`,
    [itemId, start.effectiveAt, start.id, [...undone.keys()]],
  );
  return rows.map((r) => {
    const amount = dec(r.amount);
    const unvalued = dec(r.unvalued_qty);
    const undo = undone.get(String(r.id));
    return {
      id: String(r.id),
      lineId: String(r.move_line_id),
      effectiveAt: toDate(r.effective_at),
      direction: 'out' as const,
      qty: dec(r.qty),
      amount: amount.minus(undo?.amount ?? ZERO),
      unvalued: unvalued.plus(undo?.qty ?? ZERO),
      variance: ZERO,
      unitCost: ZERO,
      isNew: false,
      original: { amount, unvalued, runningQty: dec(r.running_qty), runningValue: dec(r.running_value) },
      runningQty: dec(r.running_qty),
      runningValue: dec(r.running_value),
    };
  });
}
