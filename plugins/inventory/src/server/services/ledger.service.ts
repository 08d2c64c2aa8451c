/**
 * Posting stock moves: validate, resolve lots and serials, update balances under row locks, value
 * the lines in the cost ledger, write the audit record and the events — all in the caller's
 * transaction, so a move is either wholly posted or not at all.
 */
import { ProblemError, problems, type FieldError, type PostingPeriodService, type Transaction } from '@quartermaster/sdk';
import { CostAdjusted, MovePosted, StockOut, type MoveType, type ValuationMethod } from '../../shared/index.js';
import { baseUnitCost } from '../../domain/costing.js';
import { ZERO, dec, isDecimal, qtyText, type Dec } from '../../domain/money.js';
import { appendMode, openLayers, planAppend, valueItemLines, type AppendLine, type AppendPlan, type OpenLayer, type ValuationLine, type ValuationState } from './valuation.service.js';
import { checkReorderPoints } from './replenishment.service.js';

export interface InventoryOptions {
  currencyMinorUnits: number;
  defaultValuationMethod: ValuationMethod;
  /** How far into the future a move may be dated (clock skew between clients), in seconds. */
  futureToleranceSeconds: number;
  /**
   * The core's closed-period check (not a setting: the plugin fills it in at start). Absent or
   * unguarded when no plugin closes periods, and then no move pays for the question.
   */
  postingPeriods?: PostingPeriodService;
}

export interface MoveLineInput {
  itemId: string;
  qty: string | number;
  uom?: string;
  fromLocationId?: string;
  toLocationId?: string;
  /** Lot code. Incoming lines create the lot if new; outgoing lines without one are picked FEFO. */
  lot?: string;
  expiresOn?: string;
  manufacturedOn?: string;
  serials?: string[];
  /** Cost per `uom` (incoming lines). */
  unitCost?: string | number;
  reason?: string;
  /** Customer return: the issue line it comes back from. Supplier return: the receipt line it goes back to. */
  returnOfLineId?: string;
  reservationId?: string;
  /** Issue from an expired lot on purpose (e.g. to scrap it). */
  allowExpired?: boolean;
}

export interface MoveInput {
  type: MoveType;
  reference?: string;
  note?: string;
  effectiveAt?: string;
  lines: MoveLineInput[];
}

/** Internal extras for reversals. */
interface PostExtras {
  reversesMoveId?: string;
  reversesLine?: Map<number, { lineId: string; unitCost?: Dec; lotId: string | null; serialId: string | null }>;
}

interface ItemRow {
  id: string;
  name: string;
  tracking_mode: 'none' | 'lot' | 'serial';
  unit_of_measure: string;
  kind: string;
  archived: boolean;
  category_id: string | null;
  /** Own or inherited valuation method; null: the plugin default. */
  method: ValuationMethod | null;
  standard_cost: string | null;
  has_rules: boolean;
}

interface LocationRow {
  id: string;
  name: string;
  archived: boolean;
  /** The nearest negative-stock policy up the tree allows it. */
  allow_negative: boolean;
}

/**
 * Everything posting needs to know about the move's items, locations and units, in one round trip:
 * one row per thing, tagged by kind (numerics travel as text inside the JSON, never as floats).
 *
 * The same statement locks the cost state of the items the move values (`lockItemIds`; the row is
 * created on first use), in item order so concurrent moves queue instead of deadlocking; the lock is
 * held until commit, and a move dated "now" is dated after it has it, so two concurrent posts of one
 * item never make each other back-dated. `SELECT … FOR UPDATE` answers the latest committed version
 * of a row it had to wait for, not the one in the statement's snapshot. A row another transaction
 * created after that snapshot is neither inserted nor locked here: it is locked by a second statement.
 *
 * It also reads the open cost layers of `layerItemIds` — from the statement's snapshot, which may be
 * older than the lock. They are used only where the locked state row is the very version the
 * snapshot saw (same `xmin`): whoever changes an item's layers or entries also updates its state row
 * in the same transaction, so then nothing changed in between. Otherwise (`layers` has no entry for
 * the item) they are read again under the lock.
 *
 * Finally, for a small move (`genericPlans`), it switches the rest of the posting to generic plans
 * (`plan_cache_mode`, transaction-local): its statements are prepared, but with array parameters
 * PostgreSQL would re-plan them on every execution, and planning them costs more than running them.
 * (A large move keeps custom plans: they are planned for its real size, and planning is cheap next to
 * writing hundreds of lines.) The statement that writes the move puts back the mode it found
 * (`planCacheMode`), so the caller's transaction is left as it was.
 */
async function postingContext(tx: Pick<Transaction, 'execute'>, itemIds: string[], locationIds: string[], lockItemIds: string[], layerItemIds: string[], genericPlans: boolean) {
  const params: unknown[] = [];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const items = idList(itemIds, p);
  const lockIds = [...new Set(lockItemIds)].sort();
  const lock = lockIds.length > 0 ? idList(lockIds, p) : null;
  const layerIds = lock ? [...new Set(layerItemIds)].sort() : [];
  const stateJson = (t: string, fresh: string) =>
    `json_build_object('item_id', ${t}.item_id, 'qty', ${t}.qty::text, 'value', ${t}.value::text, 'last_unit_cost', ${t}.last_unit_cost::text,
              'last_effective_at', to_char(${t}.last_effective_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), 'fresh', ${fresh})`;
  const rows = await tx.execute<{ kind: 'item' | 'location' | 'uom' | 'state' | 'plan' | 'layer'; row: Record<string, unknown> }>(
    `${lock ? `WITH ins AS (
       INSERT INTO inventory_valuation_state (item_id) SELECT i.id FROM core_item i WHERE ${lock('i.id')} ORDER BY 1
       ON CONFLICT (item_id) DO NOTHING
       RETURNING item_id, qty, value, last_unit_cost, last_effective_at),
     lk AS (SELECT s.item_id, s.qty, s.value, s.last_unit_cost, s.last_effective_at, s.xmin::text AS locked
              FROM inventory_valuation_state s WHERE ${lock('s.item_id')} ORDER BY s.item_id FOR UPDATE),
     seen AS (SELECT s.item_id, s.xmin::text AS seen FROM inventory_valuation_state s WHERE ${lock('s.item_id')})
     ` : ''}SELECT 'item' AS kind, json_build_object('id', i.id, 'name', i.name, 'tracking_mode', i.tracking_mode, 'unit_of_measure', i.unit_of_measure,
              'kind', i.kind, 'archived', i.archived, 'category_id', i.category_id, 'method', ${itemMethodSql('i', 's')},
              'standard_cost', s.standard_cost::text, 'has_rules', EXISTS (SELECT 1 FROM inventory_reorder_rule r WHERE r.item_id = i.id)) AS row
       FROM core_item i LEFT JOIN inventory_item_settings s ON s.item_id = i.id WHERE ${items('i.id')}
     UNION ALL
     SELECT 'location', json_build_object('id', l.id, 'name', l.name, 'archived', l.archived, 'allow_negative', coalesce(${negativePolicySql('l')}, false)) FROM core_location l WHERE ${idList(locationIds, p)('l.id')}
     UNION ALL
     SELECT 'uom', json_build_object('item_id', u.item_id, 'uom', u.uom, 'factor', u.factor::text) FROM inventory_item_uom u WHERE ${items('u.item_id')}${
       genericPlans
         ? `
     UNION ALL
     SELECT 'plan', json_build_object('was', w.was, 'now', set_config('plan_cache_mode', 'force_generic_plan', true)) FROM (SELECT current_setting('plan_cache_mode') AS was OFFSET 0) w`
         : ''
     }${
       lock
         ? `
     UNION ALL
     SELECT 'state', ${stateJson('ins', 'true')} FROM ins
     UNION ALL
     SELECT 'state', ${stateJson('lk', 'seen.seen IS NOT DISTINCT FROM lk.locked')} FROM lk LEFT JOIN seen ON seen.item_id = lk.item_id`
         : ''
     }${
       layerIds.length
         ? `
     UNION ALL
     SELECT 'layer', json_build_object('id', cl.id::text, 'item_id', cl.item_id, 'entry_id', cl.entry_id::text, 'line_id', e.move_line_id::text,
              'effective_at', to_char(cl.effective_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), 'unit_cost', cl.unit_cost::text,
              'remaining_qty', cl.remaining_qty::text, 'remaining_value', cl.remaining_value::text)
       FROM inventory_cost_layer cl JOIN inventory_valuation_entry e ON e.id = cl.entry_id WHERE ${idList(layerIds, p)('cl.item_id')} AND cl.remaining_qty > 0`
         : ''
     }`,
    params,
  );
  const itemRows = new Map<string, ItemRow>();
  const locations = new Map<string, LocationRow>();
  const uoms = new Map<string, Dec>();
  const states = new Map<string, ValuationState>();
  const fresh = new Set<string>();
  const layerRows: Record<string, unknown>[] = [];
  let planCacheMode: string | null = null;
  for (const { kind, row } of rows) {
    if (kind === 'item') itemRows.set(row.id as string, row as unknown as ItemRow);
    else if (kind === 'location') locations.set(row.id as string, row as unknown as LocationRow);
    else if (kind === 'state') {
      states.set(row.item_id as string, row as unknown as ValuationState);
      if (row.fresh === true) fresh.add(row.item_id as string);
    } else if (kind === 'layer') layerRows.push(row);
    else if (kind === 'plan') planCacheMode = row.was as string;
    else uoms.set(`${row.item_id as string}|${row.uom as string}`, dec(row.factor as string));
  }
  // A state row committed by another transaction after this statement's snapshot: lock it now.
  const missing = lockIds.filter((id) => itemRows.has(id) && !states.has(id));
  if (missing.length) {
    const locked = await tx.execute<ValuationState>(
      `SELECT item_id, qty::text AS qty, value::text AS value, last_unit_cost::text AS last_unit_cost, last_effective_at
         FROM inventory_valuation_state WHERE item_id = ANY($1::uuid[]) ORDER BY item_id FOR UPDATE`,
      [missing],
    );
    for (const r of locked) states.set(r.item_id, r);
  }
  // Open layers as the snapshot saw them, for the items whose state did not change since.
  const layers = new Map<string, OpenLayer[]>(layerIds.filter((id) => fresh.has(id)).map((id) => [id, []]));
  for (const r of layerRows) {
    layers.get(r.item_id as string)?.push({
      id: r.id as string,
      entryId: r.entry_id as string,
      lineId: r.line_id as string,
      effectiveAt: new Date(r.effective_at as string),
      unitCost: dec(r.unit_cost as string),
      remainingQty: dec(r.remaining_qty as string),
      remainingValue: dec(r.remaining_value as string),
    });
  }
  return { items: itemRows, locations, uoms, states, layers, planCacheMode };
}

/**
 * `col` is one of `ids` (uuids), as SQL. A few ids are listed as parameters (padded to 1–4 or 8 by
 * repeating the last), not passed as one array: for an array parameter PostgreSQL's generic plan
 * assumes ten elements, judges it dearer than planning afresh and so re-plans the statement on every
 * execution; a list of the true length lets it keep its generic plan.
 */
function idList(ids: string[], p: (v: unknown) => string): (col: string) => string {
  if (!ids.length) return () => 'false';
  if (ids.length > 8) {
    const all = p(ids);
    return (col) => `${col} = ANY(${all}::uuid[])`;
  }
  const size = ids.length <= 4 ? ids.length : 8;
  const list = Array.from({ length: size }, (_, i) => `${p(ids[Math.min(i, ids.length - 1)])}::uuid`).join(', ');
  return (col) => `${col} IN (${list})`;
}

/** A line after validation, in base units, one per serial for serialized items. */
interface Resolved {
  index: number;
  lineNo: number;
  item: ItemRow;
  from: string | null;
  to: string | null;
  qty: Dec;
  uom: string;
  uomQty: Dec;
  unitCost?: Dec;
  lotCode?: string;
  lotId: string | null;
  serial?: string;
  serialId: string | null;
  expiresOn?: string;
  manufacturedOn?: string;
  reason: string | null;
  returnOfLineId: string | null;
  reversesLineId: string | null;
  preferLayerOfLineId?: string;
  reservationId: string | null;
  allowExpired: boolean;
}

const DIRECTIONS: Record<MoveType, { from: 'required' | 'forbidden' | 'either'; to: 'required' | 'forbidden' | 'either' }> = {
  receipt: { from: 'forbidden', to: 'required' },
  'customer-return': { from: 'forbidden', to: 'required' },
  issue: { from: 'required', to: 'forbidden' },
  'supplier-return': { from: 'required', to: 'forbidden' },
  transfer: { from: 'required', to: 'required' },
  adjustment: { from: 'either', to: 'either' },
  count: { from: 'either', to: 'either' },
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const insufficientStock = (d: { itemId: string; itemName: string; locationId: string; locationName: string; lotCode?: string | null; requested: Dec; available: Dec; field?: string }) =>
  new ProblemError({
    type: 'inventory/insufficient-stock',
    status: 409,
    title: 'Not enough stock',
    detail: `${d.itemName} at ${d.locationName}${d.lotCode ? ` (lot ${d.lotCode})` : ''}: ${qtyText(d.requested)} requested, ${qtyText(d.available)} available, short by ${qtyText(d.requested.minus(d.available))}`,
    extensions: {
      itemId: d.itemId,
      locationId: d.locationId,
      lot: d.lotCode ?? null,
      requested: qtyText(d.requested),
      available: qtyText(d.available),
      shortfall: qtyText(d.requested.minus(d.available)),
      ...(d.field ? { field: d.field } : {}),
    },
  });

/** A posted move as GET /moves/:id reads it (see loadMove): the same columns, the same text forms. */
export interface PostedMove {
  id: string;
  number: string;
  type: string;
  reference: string | null;
  note: string | null;
  effective_at: Date | string;
  posted_at: Date | string;
  posted_by_label: string;
  reverses_move_id: string | null;
  reversed_by: string | null;
  lines: PostedMoveLine[];
}

export interface PostedMoveLine {
  id: string;
  line_no: number;
  item_id: string;
  from_location_id: string | null;
  to_location_id: string | null;
  lot_id: string | null;
  serial_id: string | null;
  qty: string;
  uom: string;
  uom_qty: string;
  unit_cost: string | null;
  amount: string | null;
  reason: string | null;
  return_of_line_id: string | null;
  reverses_line_id: string | null;
  reservation_id: string | null;
  item_name: string;
  base_uom: string;
  from_name: string | null;
  to_name: string | null;
  lot_code: string | null;
  serial: string | null;
}

/** One row per written line: the line as stored, its move, and (on line 1) the balances after the move. */
type PostedRow = Omit<PostedMoveLine, 'item_name' | 'base_uom' | 'from_name' | 'to_name'> & {
  /** Null when the move was not written (a balance would go short): then the only row, with the balances. */
  move_id: string | null;
  number: string;
  type: string;
  reference: string | null;
  note: string | null;
  effective_at: Date | string;
  posted_at: Date | string;
  posted_by_label: string;
  reverses_move_id: string | null;
  balances: { item_id: string; location_id: string; lot_id: string | null; serial_id: string | null; on_hand: string; reserved: string }[] | null;
  /** False when appended valuation was withheld: an issue of one of its items waits for a receipt after all. */
  valued: boolean;
};

/**
 * The statement that posts a move: the balance upserts (row locks, in key order), the move and its
 * lines, and for items whose lines are appended to the cost ledger (`plans`) their entries with final
 * amounts and running totals, new cost layers, the layers consumed and what was taken from them,
 * the lines' amounts and the items' cost state — data-modifying CTEs, one round trip. Plans that
 * receive stock assume no earlier issue waits for a receipt (the state said the stock is not
 * negative); the statement checks that under the lock and, if one does, writes no valuation at all
 * and says so (`valued` false), so the caller values the move the general way.
 */
function writeMoveSql(a: {
  tx: Transaction;
  input: MoveInput;
  extras: PostExtras;
  effectiveAt: Date;
  picked: Resolved[];
  keys: string[];
  deltas: Map<string, { item: string; loc: string; lot: string | null; serial: string | null; onHand: Dec; outgoing: Dec }>;
  /** Whether stock may go below zero at this location (its policy). */
  allowNegative: (locationId: string) => boolean;
  plans: AppendPlan[];
  /** The plan cache mode to put back, if postingContext changed it. */
  planCacheMode: string | null;
}): [string, unknown[]] {
  const { tx, input, extras, picked, keys, deltas, plans } = a;
  const params: unknown[] = [];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const at = `${p(a.effectiveAt)}::timestamptz`;
  const entries = plans.flatMap((plan) => plan.entries.map((e) => ({ ...e, method: plan.method })));
  const byLine = new Map(entries.map((e) => [e.lineNo, e]));
  const newLayers = plans.flatMap((plan) => plan.newLayers);
  const layerUpdates = plans.flatMap((plan) => plan.layerUpdates);
  const consumptions = plans.flatMap((plan) => plan.consumptions);
  const pendingItems = plans.filter((plan) => plan.assumesNothingPending).map((plan) => plan.itemId);
  const valuing = plans.length > 0;
  const ok = pendingItems.length ? '(SELECT ok FROM g)' : 'true';
  const guard = pendingItems.length ? ` WHERE ${ok}` : '';
  const andGuard = pendingItems.length ? ` AND ${ok}` : '';

  // The balance keys (in key order), whether the move takes from each, and whether it may go below zero there.
  const key = {
    item: p(keys.map((k) => deltas.get(k)!.item)),
    loc: p(keys.map((k) => deltas.get(k)!.loc)),
    lot: p(keys.map((k) => deltas.get(k)!.lot)),
    serial: p(keys.map((k) => deltas.get(k)!.serial)),
  };
  const ctes = [
    `bal AS (
       INSERT INTO inventory_balance AS b (item_id, location_id, lot_id, serial_id, on_hand)
       SELECT i, l, lt, s, q FROM unnest(${key.item}::uuid[], ${key.loc}::uuid[], ${key.lot}::uuid[], ${key.serial}::uuid[], ${p(keys.map((k) => deltas.get(k)!.onHand.toFixed()))}::numeric[])
                                 WITH ORDINALITY AS u(i, l, lt, s, q, n) ORDER BY n
       ON CONFLICT ON CONSTRAINT inventory_balance_key DO UPDATE SET on_hand = b.on_hand + EXCLUDED.on_hand, updated_at = now()
       RETURNING item_id, location_id, lot_id, serial_id, on_hand, reserved)`,
    // A move that would take more than is free somewhere it may not is refused (by the caller, from the
    // balances answered): it is not written, so a refusal uses no move number.
    `fits AS (
       SELECT NOT EXISTS (
         SELECT 1 FROM bal JOIN unnest(${key.item}::uuid[], ${key.loc}::uuid[], ${key.lot}::uuid[], ${key.serial}::uuid[], ${p(keys.map((k) => deltas.get(k)!.outgoing.gt(0)))}::boolean[],
                                       ${p(keys.map((k) => a.allowNegative(deltas.get(k)!.loc)))}::boolean[]) AS k(i, l, lt, s, takes, neg)
             ON bal.item_id = k.i AND bal.location_id = k.l AND bal.lot_id IS NOT DISTINCT FROM k.lt AND bal.serial_id IS NOT DISTINCT FROM k.s
          WHERE k.takes AND bal.on_hand - bal.reserved < 0 AND NOT (k.neg AND bal.serial_id IS NULL AND bal.reserved = 0)) AS ok)`,
    `m AS (
       INSERT INTO inventory_move (type, reference, note, effective_at, posted_by, posted_by_label, reverses_move_id)
       SELECT ${p(input.type)}::text, ${p(input.reference?.trim() || null)}::text, ${p(input.note?.trim() || null)}::text, ${at}, ${p(tx.actor.type === 'system' ? null : tx.actor.userId)}::uuid,
              ${p(tx.actor.label)}::text, ${p(extras.reversesMoveId ?? null)}::uuid
        WHERE (SELECT ok FROM fits)
       RETURNING id, number, type, reference, note, effective_at, posted_at, posted_by_label, reverses_move_id)`,
  ];
  if (pendingItems.length) {
    ctes.push(`g AS (SELECT NOT EXISTS (SELECT 1 FROM inventory_valuation_entry x WHERE x.item_id = ANY(${p(pendingItems)}::uuid[]) AND x.unvalued_qty > 0) AS ok)`);
  }
  // Appended incoming lines carry the unit cost they were valued at (full precision, as valueItemLines writes it).
  const lineCols = [
    [picked.map((r) => r.lineNo), 'int'],
    [picked.map((r) => r.item.id), 'uuid'],
    [picked.map((r) => r.from), 'uuid'],
    [picked.map((r) => r.to), 'uuid'],
    [picked.map((r) => r.lotId), 'uuid'],
    [picked.map((r) => r.serialId), 'uuid'],
    [picked.map((r) => r.qty.toFixed()), 'numeric'],
    [picked.map((r) => r.uom), 'text'],
    [picked.map((r) => r.uomQty.toFixed(10)), 'numeric'],
    [picked.map((r) => (r.unitCost ? r.unitCost.toFixed(10) : null)), 'numeric'],
    [picked.map((r) => r.reason), 'text'],
    [picked.map((r) => r.returnOfLineId), 'bigint'],
    [picked.map((r) => r.reversesLineId), 'bigint'],
    [picked.map((r) => r.reservationId), 'uuid'],
    [picked.map((r) => (r.from && !r.to ? r.preferLayerOfLineId ?? null : null)), 'bigint'],
    ...(valuing
      ? [
          [picked.map((r) => byLine.get(r.lineNo)?.unitCost?.toFixed() ?? null), 'numeric'],
          [picked.map((r) => byLine.get(r.lineNo)?.amount.toFixed() ?? null), 'numeric'],
        ]
      : []),
  ] as const;
  ctes.push(`ml AS (
       INSERT INTO inventory_move_line AS ml (move_id, line_no, item_id, from_location_id, to_location_id, lot_id, serial_id, qty, uom, uom_qty, unit_cost, amount, reason, return_of_line_id, reverses_line_id, reservation_id, cost_source_line_id)
       SELECT m.id, n, i, f, t, lt, s, q, u, uq, ${valuing ? `CASE WHEN ${ok} AND vc IS NOT NULL THEN vc ELSE c END` : 'c'}, ${valuing ? `CASE WHEN ${ok} THEN va END` : 'NULL::numeric'}, r, rl, rv, rs, cs
         FROM m, unnest(${lineCols.map(([v, t]) => `${p(v)}::${t}[]`).join(', ')}) AS x(n, i, f, t, lt, s, q, u, uq, c, r, rl, rv, rs, cs${valuing ? ', vc, va' : ''})
       RETURNING ml.id, ml.line_no, ml.item_id, ml.from_location_id, ml.to_location_id, ml.lot_id, ml.serial_id, ml.qty, ml.uom, ml.uom_qty, ml.unit_cost, ml.amount,
                 ml.reason, ml.return_of_line_id, ml.reverses_line_id, ml.reservation_id)`);
  if (valuing) {
    // Entries in item order and, per item, line order: their ids order same-time entries.
    ctes.push(`e AS (
       INSERT INTO inventory_valuation_entry (item_id, move_line_id, effective_at, direction, method, qty, amount, unvalued_qty, price_variance, running_qty, running_value)
       SELECT ml.item_id, ml.id, ${at}, v.d, v.me, v.q, v.a, v.uv, v.pv, v.rq, v.rv
         FROM unnest(${p(entries.map((e) => e.lineNo))}::int[], ${p(entries.map((e) => e.direction))}::text[], ${p(entries.map((e) => e.method))}::text[], ${p(entries.map((e) => e.qty.toFixed()))}::numeric[],
                     ${p(entries.map((e) => e.amount.toFixed()))}::numeric[], ${p(entries.map((e) => e.unvalued.toFixed()))}::numeric[], ${p(entries.map((e) => e.variance.toFixed()))}::numeric[],
                     ${p(entries.map((e) => e.runningQty.toFixed()))}::numeric[], ${p(entries.map((e) => e.runningValue.toFixed()))}::numeric[]) WITH ORDINALITY AS v(n, d, me, q, a, uv, pv, rq, rv, o)
         JOIN ml ON ml.line_no = v.n${guard}
        ORDER BY v.o
       RETURNING id, move_line_id)`);
    if (newLayers.length) {
      ctes.push(`nl AS (
       INSERT INTO inventory_cost_layer (item_id, entry_id, effective_at, qty, value, unit_cost, remaining_qty, remaining_value)
       SELECT ml.item_id, e.id, ${at}, x.q, x.v, x.c, x.q, x.v
         FROM unnest(${p(newLayers.map((l) => l.lineNo))}::int[], ${p(newLayers.map((l) => l.qty.toFixed()))}::numeric[], ${p(newLayers.map((l) => l.value.toFixed()))}::numeric[],
                     ${p(newLayers.map((l) => l.unitCost.toFixed(10)))}::numeric[]) WITH ORDINALITY AS x(n, q, v, c, o)
         JOIN ml ON ml.line_no = x.n JOIN e ON e.move_line_id = ml.id
        ORDER BY x.o)`);
    }
    if (layerUpdates.length) {
      ctes.push(`lu AS (
       UPDATE inventory_cost_layer cl SET remaining_qty = u.rq, remaining_value = u.rv
         FROM unnest(${p(layerUpdates.map((l) => l.id))}::bigint[], ${p(layerUpdates.map((l) => l.remainingQty.toFixed()))}::numeric[], ${p(layerUpdates.map((l) => l.remainingValue.toFixed()))}::numeric[]) AS u(id, rq, rv)
        WHERE cl.id = u.id${andGuard})`);
    }
    if (consumptions.length) {
      ctes.push(`lc AS (
       INSERT INTO inventory_layer_consumption (entry_id, layer_id, qty, amount)
       SELECT e.id, c.l, c.q, c.a
         FROM unnest(${p(consumptions.map((c) => c.lineNo))}::int[], ${p(consumptions.map((c) => c.layerId))}::bigint[], ${p(consumptions.map((c) => c.qty.toFixed()))}::numeric[],
                     ${p(consumptions.map((c) => c.amount.toFixed()))}::numeric[]) WITH ORDINALITY AS c(n, l, q, a, o)
         JOIN ml ON ml.line_no = c.n JOIN e ON e.move_line_id = ml.id
        ORDER BY c.o)`);
    }
    ctes.push(`vs AS (
       UPDATE inventory_valuation_state s SET qty = u.q, value = u.v, last_unit_cost = u.c, last_effective_at = ${at}, updated_at = now()
         FROM unnest(${p(plans.map((x) => x.itemId))}::uuid[], ${p(plans.map((x) => x.state.qty.toFixed()))}::numeric[], ${p(plans.map((x) => x.state.value.toFixed()))}::numeric[],
                     ${p(plans.map((x) => x.state.lastUnitCost.toFixed(10)))}::numeric[]) AS u(i, q, v, c)
        WHERE s.item_id = u.i${andGuard})`);
  }
  const sql = `WITH ${ctes.join(',\n     ')}
     SELECT m.id AS move_id, m.number, m.type, m.reference, m.note, m.effective_at, m.posted_at, m.posted_by_label, m.reverses_move_id,
            ml.id::text AS id, ml.line_no, ml.item_id, ml.from_location_id, ml.to_location_id, ml.lot_id, ml.serial_id, ml.qty::text AS qty, ml.uom, ml.uom_qty::text AS uom_qty,
            ml.unit_cost::text AS unit_cost, ml.amount::text AS amount, ml.reason, ml.return_of_line_id::text AS return_of_line_id, ml.reverses_line_id::text AS reverses_line_id, ml.reservation_id,
            (SELECT l.code FROM inventory_lot l WHERE l.id = ml.lot_id) AS lot_code, (SELECT x.serial FROM inventory_serial x WHERE x.id = ml.serial_id) AS serial,
            CASE WHEN ml.line_no IS NULL OR ml.line_no = 1 THEN (SELECT json_agg(json_build_object('item_id', item_id, 'location_id', location_id, 'lot_id', lot_id, 'serial_id', serial_id,
                                                                            'on_hand', on_hand::text, 'reserved', reserved::text)) FROM bal) END AS balances,
            ${ok} AS valued${a.planCacheMode === null ? '' : `, (SELECT set_config('plan_cache_mode', ${p(a.planCacheMode)}::text, true)) AS plan_cache_mode`}
       FROM (SELECT 1) AS one LEFT JOIN (m CROSS JOIN ml) ON true ORDER BY ml.line_no`;
  return [sql, params];
}

export async function postMove(tx: Transaction, input: MoveInput, options: InventoryOptions, extras: PostExtras = {}) {
  const errors: FieldError[] = [];
  const err = (field: string, message: string) => errors.push({ field, message });
  const fail = () => {
    if (errors.length) throw problems.validation(errors);
  };

  const now = new Date();
  let effectiveAt = input.effectiveAt ? new Date(input.effectiveAt) : now;
  if (input.effectiveAt && Number.isNaN(effectiveAt.getTime())) err('effectiveAt', 'is not a date-time');
  else if (effectiveAt.getTime() > now.getTime() + options.futureToleranceSeconds * 1000) err('effectiveAt', 'must not be in the future');
  if (!input.lines.length) err('lines', 'must have at least one line');

  // A reversal keeps the original's type and runs its lines the other way.
  const straight = DIRECTIONS[input.type];
  const rule = extras.reversesMoveId ? { from: straight.to, to: straight.from } : straight;
  const reversal = !!extras.reversesMoveId;
  input.lines.forEach((l, i) => {
    const f = (k: string) => `lines.${i}.${k}`;
    if (!UUID.test(l.itemId)) err(f('itemId'), 'must be a uuid');
    for (const k of ['fromLocationId', 'toLocationId', 'returnOfLineId', 'reservationId'] as const) {
      const v = l[k];
      if (v !== undefined && k !== 'returnOfLineId' && !UUID.test(v)) err(f(k), 'must be a uuid');
      if (v !== undefined && k === 'returnOfLineId' && !/^\d+$/.test(v)) err(f(k), 'must be a move line id');
    }
    if (!isDecimal(l.qty) || dec(l.qty).lte(0)) err(f('qty'), 'must be a number greater than 0');
    if (l.unitCost !== undefined && (!isDecimal(l.unitCost) || dec(l.unitCost).lt(0))) err(f('unitCost'), 'must be a number of at least 0');
    for (const side of ['from', 'to'] as const) {
      const v = side === 'from' ? l.fromLocationId : l.toLocationId;
      if (rule[side] === 'required' && !v) err(f(`${side}LocationId`), `is required for a ${input.type}`);
      if (rule[side] === 'forbidden' && v) err(f(`${side}LocationId`), `is not allowed on a ${input.type}`);
    }
    if (rule.from === 'either' && !!l.fromLocationId === !!l.toLocationId) err(f('toLocationId'), `a ${input.type} line either adds stock (toLocationId) or removes it (fromLocationId)`);
    if (input.type === 'transfer' && l.fromLocationId && l.fromLocationId === l.toLocationId) err(f('toLocationId'), 'must differ from fromLocationId');
    if (l.returnOfLineId && input.type !== 'customer-return' && input.type !== 'supplier-return') err(f('returnOfLineId'), 'is only for returns');
    if (input.type === 'customer-return' && !reversal && !l.returnOfLineId && l.unitCost === undefined) err(f('returnOfLineId'), 'a customer return names the issue line it comes back from, or gives a unitCost');
    if (l.reservationId && input.type !== 'issue' && input.type !== 'transfer') err(f('reservationId'), 'only issues and transfers consume reservations');
    if (l.unitCost !== undefined && (l.fromLocationId && !l.toLocationId)) err(f('unitCost'), 'outgoing lines are valued by the cost ledger, not by the caller');
    if (l.expiresOn !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(l.expiresOn)) err(f('expiresOn'), 'must be an ISO date');
    if (l.manufacturedOn !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(l.manufacturedOn)) err(f('manufacturedOn'), 'must be an ISO date');
  });
  fail();

  // Items (with their valuation method and whether they have reorder rules), locations and units in one query.
  const locationIds = [...new Set(input.lines.flatMap((l) => [l.fromLocationId, l.toLocationId]).filter((x): x is string => !!x))];
  // The cost state of every item the move values is locked in the same statement (see postingContext),
  // which also reads the open layers of items that may need them (taken from, or received at the current cost).
  const lockItemIds = input.lines.filter((l) => !(l.fromLocationId && l.toLocationId)).map((l) => l.itemId);
  const layerItemIds = input.lines.filter((l) => (l.fromLocationId && !l.toLocationId) || (l.toLocationId && !l.fromLocationId && l.unitCost === undefined)).map((l) => l.itemId);
  const small = input.lines.reduce((n, l) => n + (l.serials?.length ?? 1), 0) <= 64;
  const ctx = await postingContext(tx, [...new Set(input.lines.map((l) => l.itemId))], locationIds, lockItemIds, layerItemIds, small);
  const { items, locations, uoms, states, planCacheMode } = ctx;

  const resolved: Resolved[] = [];
  input.lines.forEach((l, i) => {
    const f = (k: string) => `lines.${i}.${k}`;
    const item = items.get(l.itemId);
    if (!item) return err(f('itemId'), 'no such item');
    if (item.archived && (l.toLocationId && !l.fromLocationId)) err(f('itemId'), 'the item is archived; it cannot be received');
    if (item.kind === 'service' || item.kind === 'kit') err(f('itemId'), `a ${item.kind} item holds no stock`);
    for (const [k, id] of [['fromLocationId', l.fromLocationId], ['toLocationId', l.toLocationId]] as const) {
      if (!id) continue;
      const loc = locations.get(id);
      if (!loc) err(f(k), 'no such location');
      else if (loc.archived && k === 'toLocationId') err(f(k), 'the location is archived; stock cannot be put there');
    }
    const uom = l.uom?.trim() || item.unit_of_measure;
    let factor = dec(1);
    if (uom !== item.unit_of_measure) {
      const found = uoms.get(`${item.id}|${uom}`);
      if (!found) return err(f('uom'), `${item.name} has no unit "${uom}" (base unit ${item.unit_of_measure})`);
      factor = found;
    }
    const uomQty = dec(l.qty);
    const qty = uomQty.times(factor);
    const unitCost = l.unitCost !== undefined ? baseUnitCost(l.unitCost, factor) : undefined;
    if (item.tracking_mode !== 'lot' && (l.lot || l.expiresOn || l.manufacturedOn)) err(f('lot'), `${item.name} is not tracked by lot`);
    if (item.tracking_mode === 'lot' && !l.lot && !l.fromLocationId && !l.returnOfLineId && !reversal) err(f('lot'), `${item.name} is tracked by lot: say which lot is received`);
    if (item.tracking_mode !== 'serial' && l.serials) err(f('serials'), `${item.name} is not serialized`);
    const base = {
      index: i,
      item,
      from: l.fromLocationId ?? null,
      to: l.toLocationId ?? null,
      uom,
      unitCost,
      lotCode: l.lot?.trim() || undefined,
      lotId: null,
      serialId: null,
      expiresOn: l.expiresOn,
      manufacturedOn: l.manufacturedOn,
      reason: l.reason?.trim() || null,
      returnOfLineId: l.returnOfLineId ?? null,
      reversesLineId: null,
      reservationId: l.reservationId ?? null,
      allowExpired: !!l.allowExpired,
    };
    if (item.tracking_mode === 'serial') {
      const serials = (l.serials ?? []).map((s) => s.trim());
      if (!qty.isInteger() || !qty.eq(serials.length)) return err(f('serials'), `${item.name} is serialized: list one serial per unit (${qtyText(qty)} units, ${serials.length} serials)`);
      serials.forEach((s, k) => {
        if (!s) err(`lines.${i}.serials.${k}`, 'must not be blank');
        resolved.push({ ...base, lineNo: 0, qty: dec(1), uomQty: dec(1).div(factor), serial: s });
      });
      if (uom !== item.unit_of_measure) err(f('uom'), 'serialized items move in their base unit');
      return;
    }
    resolved.push({ ...base, lineNo: 0, qty, uomQty });
  });
  const serialKeys = new Set<string>();
  for (const r of resolved) {
    if (!r.serial) continue;
    const key = `${r.item.id}|${r.serial}`;
    if (serialKeys.has(key)) err(`lines.${r.index}.serials`, `serial ${r.serial} is listed twice`);
    serialKeys.add(key);
  }
  fail();

  // Dated after the cost states are locked (postingContext).
  if (!input.effectiveAt) effectiveAt = new Date();
  // A closed accounting period refuses the move (409) or re-dates it into the open period.
  let redatedFrom: string | null = null;
  if (options.postingPeriods?.guarded) {
    const r = await options.postingPeriods.resolve(tx, { domain: 'inventory', effectiveAt: effectiveAt.toISOString(), kind: input.type });
    if (r.redatedFrom) {
      redatedFrom = r.redatedFrom;
      effectiveAt = new Date(r.effectiveAt);
    }
  }

  // Returns: the original line fixes the cost (and lot/serial) of what comes back or goes back.
  await resolveReturns(tx, input.type, resolved, err);
  fail();
  if (extras.reversesLine) {
    for (const r of resolved) {
      const rev = extras.reversesLine.get(r.index);
      if (!rev) continue;
      r.reversesLineId = rev.lineId;
      r.lotId = rev.lotId;
      r.serialId = rev.serialId;
      if (r.to && !r.from) r.unitCost = rev.unitCost;
      if (r.from && !r.to) r.preferLayerOfLineId = rev.lineId;
    }
  }

  await resolveLots(tx, input.type, resolved, err, effectiveAt);
  fail();
  await resolveSerials(tx, resolved);
  const picked = await pickLots(tx, input.type, resolved, effectiveAt);

  // Reservations consumed by these lines: release their hold on the balances being drawn.
  await consumeReservations(tx, picked);

  // Balances: one upsert for every key touched, in key order (consistent lock order across moves).
  const deltas = new Map<string, { item: string; loc: string; lot: string | null; serial: string | null; onHand: Dec; outgoing: Dec; lines: Resolved[] }>();
  const touch = (r: Resolved, loc: string, sign: 1 | -1) => {
    const key = [r.item.id, loc, r.lotId ?? '', r.serialId ?? ''].join('|');
    const d = deltas.get(key) ?? { item: r.item.id, loc, lot: r.lotId, serial: r.serialId, onHand: ZERO, outgoing: ZERO, lines: [] };
    d.onHand = d.onHand.plus(r.qty.times(sign));
    if (sign < 0) d.outgoing = d.outgoing.plus(r.qty);
    d.lines.push(r);
    deltas.set(key, d);
  };
  for (const r of picked) {
    if (r.from) touch(r, r.from, -1);
    if (r.to) touch(r, r.to, 1);
  }
  const keys = [...deltas.keys()].sort();
  picked.forEach((r, n) => (r.lineNo = n + 1));

  // Every line that changes what the organisation holds (transfers do not) is valued, per item. A move
  // appended after everything valued so far (the common case) is valued here, from the locked cost
  // state and the open layers (as postingContext read them if still current, else read again now),
  // and written with the move below.
  const byItem = new Map<string, Resolved[]>();
  for (const r of picked) if (!(r.from && r.to)) byItem.set(r.item.id, [...(byItem.get(r.item.id) ?? []), r]);
  const valuedItems = [...byItem.keys()].sort();
  const appendable = new Map<string, { method: ValuationMethod; standardCost: Dec | null; lines: AppendLine[]; needsLayers: boolean; assumesNothingPending: boolean }>();
  for (const itemId of valuedItems) {
    const item = items.get(itemId)!;
    const method = item.method ?? options.defaultValuationMethod;
    const standardCost = item.standard_cost === null ? null : dec(item.standard_cost);
    const lines: AppendLine[] = byItem.get(itemId)!.map((r) => ({ lineNo: r.lineNo, direction: r.to ? 'in' : 'out', qty: r.qty, unitCost: r.unitCost, preferLayerOfLineId: r.preferLayerOfLineId }));
    const mode = appendMode({ method, standardCost, effectiveAt, lines, state: states.get(itemId)! });
    if (mode) appendable.set(itemId, { method, standardCost, lines, ...mode });
  }
  const layers = ctx.layers;
  const unread = [...appendable].filter(([id, a]) => a.needsLayers && !layers.has(id)).map(([id]) => id);
  if (unread.length) for (const [id, l] of await openLayers(tx, unread)) layers.set(id, l);
  const plans = [...appendable].map(([itemId, a]) =>
    planAppend({ itemId, method: a.method, standardCost: a.standardCost, lines: a.lines, minorUnits: options.currencyMinorUnits, state: states.get(itemId)!, layers: layers.get(itemId), assumesNothingPending: a.assumesNothingPending }),
  );

  // Balances, the move, its lines and the appended valuation: one statement.
  const written = await tx.execute<PostedRow>(
    ...writeMoveSql({ tx, input, extras, effectiveAt, picked, keys, deltas, plans, allowNegative: (id) => !!locations.get(id)?.allow_negative, planCacheMode }),
  );
  const after = written[0].balances!;
  // Anything that went below what is free (on hand − reserved) is refused unless the location allows negatives.
  const short = after
    .map((b) => ({ b, d: deltas.get([b.item_id, b.location_id, b.lot_id ?? '', b.serial_id ?? ''].join('|'))! }))
    .filter(({ b, d }) => d.outgoing.gt(0) && dec(b.on_hand).minus(dec(b.reserved)).lt(0));
  if (short.length) {
    const allowed = new Set([...locations.values()].filter((l) => l.allow_negative).map((l) => l.id));
    for (const { b, d } of short) {
      if (allowed.has(b.location_id) && !b.serial_id && dec(b.reserved).eq(0)) continue;
      const available = dec(b.on_hand).minus(dec(b.reserved)).plus(d.outgoing);
      const lot = b.lot_id ? (await tx.execute<{ code: string }>(`SELECT code FROM inventory_lot WHERE id = $1`, [b.lot_id]))[0]?.code : null;
      const loc = (await tx.execute<{ name: string }>(`SELECT name FROM core_location WHERE id = $1`, [b.location_id]))[0];
      throw insufficientStock({ itemId: b.item_id, itemName: d.lines[0].item.name, locationId: b.location_id, locationName: loc.name, lotCode: lot, requested: d.outgoing, available: available.lt(0) ? ZERO : available, field: `lines.${d.lines.find((l) => l.from === b.location_id)?.index ?? d.lines[0].index}.qty` });
    }
  }
  if (written[0].move_id === null) throw new Error('inventory: the statement did not write the move, yet no balance is short');
  const move = { id: String(written[0].move_id), number: String(written[0].number) };
  const lineIdOf = new Map(written.map((r) => [Number(r.line_no), String(r.id)]));

  // The rest of the valuation: items that could not be appended, or all of them if the statement
  // found an issue waiting for a receipt after all (then it wrote no valuation).
  const amounts = new Map<string, Dec>();
  const changes: { itemId: string; change: Awaited<ReturnType<typeof valueItemLines>>['changes'][number] }[] = [];
  let backDated = false;
  const methods = valuationMethods(valuedItems.map((id) => items.get(id)!), options.defaultValuationMethod);
  const appended = new Set<string>();
  if (written[0].valued) {
    for (const plan of plans) {
      appended.add(plan.itemId);
      for (const e of plan.entries) amounts.set(lineIdOf.get(e.lineNo)!, e.amount);
    }
  }
  for (const itemId of valuedItems) {
    if (appended.has(itemId)) continue;
    const lines: ValuationLine[] = byItem.get(itemId)!.map((r) => ({
      lineId: lineIdOf.get(r.lineNo)!,
      direction: r.to ? 'in' : 'out',
      qty: r.qty,
      unitCost: r.unitCost,
      preferLayerOfLineId: r.preferLayerOfLineId,
    }));
    const m = methods.get(itemId)!;
    const valued = await valueItemLines(tx, { itemId, method: m.method, standardCost: m.standardCost, effectiveAt, lines, minorUnits: options.currencyMinorUnits, state: states.get(itemId)! });
    for (const [k, v] of valued.amounts) amounts.set(k, v);
    for (const c of valued.changes) changes.push({ itemId, change: c });
    backDated ||= valued.backDated;
  }
  // The posted move as GET /moves/:id shows it, from what the statement answered — unless lines were
  // valued afterwards (their amounts were written later): then the caller reads it back.
  const view: PostedMove | undefined =
    appended.size === valuedItems.length
      ? {
          id: move.id,
          number: move.number,
          type: written[0].type,
          reference: written[0].reference,
          note: written[0].note,
          effective_at: written[0].effective_at,
          posted_at: written[0].posted_at,
          posted_by_label: written[0].posted_by_label,
          reverses_move_id: written[0].reverses_move_id,
          reversed_by: null,
          lines: written.map((r) => {
            const item = items.get(r.item_id)!;
            return {
              id: r.id,
              line_no: r.line_no,
              item_id: r.item_id,
              from_location_id: r.from_location_id,
              to_location_id: r.to_location_id,
              lot_id: r.lot_id,
              serial_id: r.serial_id,
              qty: r.qty,
              uom: r.uom,
              uom_qty: r.uom_qty,
              unit_cost: r.unit_cost,
              amount: r.amount,
              reason: r.reason,
              return_of_line_id: r.return_of_line_id,
              reverses_line_id: r.reverses_line_id,
              reservation_id: r.reservation_id,
              item_name: item.name,
              base_uom: item.unit_of_measure,
              from_name: r.from_location_id === null ? null : locations.get(r.from_location_id)!.name,
              to_name: r.to_location_id === null ? null : locations.get(r.to_location_id)!.name,
              lot_code: r.lot_code,
              serial: r.serial,
            };
          }),
        }
      : undefined;

  const lines = picked.map((r) => {
    const id = lineIdOf.get(r.lineNo)!;
    const amount = amounts.get(id);
    return {
      lineId: id,
      itemId: r.item.id,
      fromLocationId: r.from,
      toLocationId: r.to,
      lotId: r.lotId,
      serialId: r.serialId,
      qty: qtyText(r.qty),
      amount: amount === undefined ? null : amount.toFixed(options.currencyMinorUnits),
    };
  });
  const payload = {
    id: move.id,
    number: String(move.number),
    type: input.type,
    reference: input.reference?.trim() || null,
    effectiveAt: effectiveAt.toISOString(),
    backDated,
    redatedFrom,
    reversesMoveId: extras.reversesMoveId ?? null,
    lines,
  };
  if (redatedFrom) await tx.execute(`UPDATE inventory_move SET redated_from = $1::timestamptz WHERE id = $2`, [redatedFrom, move.id]);
  await tx.audit({ action: extras.reversesMoveId ? 'reversed' : 'posted', entityType: 'inventory.move', entityId: move.id, after: payload });
  await tx.emit(MovePosted, payload);

  if (changes.length) {
    const info = await tx.execute<{ line_id: string; move_id: string; type: string }>(
      `SELECT ml.id AS line_id, ml.move_id, m.type FROM inventory_move_line ml JOIN inventory_move m ON m.id = ml.move_id WHERE ml.id = ANY($1::bigint[])`,
      [changes.map((c) => c.change.lineId)],
    );
    const byLine = new Map(info.map((r) => [String(r.line_id), r]));
    for (const { itemId, change } of changes) {
      const l = byLine.get(change.lineId)!;
      await tx.emit(CostAdjusted, {
        itemId,
        moveId: l.move_id,
        lineId: change.lineId,
        moveType: l.type,
        previousAmount: change.previousAmount.toFixed(options.currencyMinorUnits),
        amount: change.amount.toFixed(options.currencyMinorUnits),
        delta: change.amount.minus(change.previousAmount).toFixed(options.currencyMinorUnits),
        reason: change.reason,
        causedByMoveId: move.id,
      });
    }
  }

  // Stock-outs: an item × location that had stock and now has none; recovered when stock returns.
  // Nothing can change when every touched balance stayed above zero where stock cannot go negative
  // (the item × location total was and is positive), and no item has reorder rules: skip the query.
  const crossed = after.some((b) => {
    const d = deltas.get([b.item_id, b.location_id, b.lot_id ?? '', b.serial_id ?? ''].join('|'))!;
    return dec(b.on_hand).lte(0) || dec(b.on_hand).minus(d.onHand).lte(0) || locations.get(b.location_id)!.allow_negative;
  });
  if (!crossed && !picked.some((r) => r.item.has_rules)) return { id: move.id, number: move.number, backDated, view };
  const pairs = [...new Set(picked.flatMap((r) => [r.from && `${r.item.id}|${r.from}`, r.to && `${r.item.id}|${r.to}`]).filter((k): k is string => !!k))];
  const totals = await tx.execute<{ item_id: string; location_id: string; on_hand: string; out_now: boolean; has_rules: boolean }>(
    `SELECT k.i AS item_id, k.l AS location_id, coalesce(sum(b.on_hand), 0) AS on_hand,
            EXISTS (SELECT 1 FROM inventory_stockout s WHERE s.item_id = k.i AND s.location_id = k.l AND s.recovered_at IS NULL) AS out_now,
            EXISTS (SELECT 1 FROM inventory_reorder_rule r WHERE r.item_id = k.i) AS has_rules
       FROM unnest($1::uuid[], $2::uuid[]) AS k(i, l) LEFT JOIN inventory_balance b ON b.item_id = k.i AND b.location_id = k.l
      GROUP BY k.i, k.l`,
    [pairs.map((k) => k.split('|')[0]), pairs.map((k) => k.split('|')[1])],
  );
  const drained = new Set(picked.filter((r) => r.from).map((r) => `${r.item.id}|${r.from}`));
  for (const t of totals) {
    const key = `${t.item_id}|${t.location_id}`;
    if (dec(t.on_hand).lte(0) && drained.has(key)) {
      const opened = await tx.execute(
        `INSERT INTO inventory_stockout (item_id, location_id, move_id, occurred_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (item_id, location_id) WHERE recovered_at IS NULL DO NOTHING RETURNING id`,
        [t.item_id, t.location_id, move.id, effectiveAt],
      );
      if (opened.length) await tx.emit(StockOut, { itemId: t.item_id, locationId: t.location_id, moveId: move.id, onHand: qtyText(t.on_hand) });
    } else if (dec(t.on_hand).gt(0) && t.out_now) {
      await tx.execute(`UPDATE inventory_stockout SET recovered_at = greatest(occurred_at, $3) WHERE item_id = $1 AND location_id = $2 AND recovered_at IS NULL`, [
        t.item_id,
        t.location_id,
        effectiveAt,
      ]);
    }
  }
  // Only items with reorder rules can cross a reorder point.
  const ruled = totals.filter((t) => t.has_rules).map((t) => ({ itemId: t.item_id, locationId: t.location_id }));
  if (ruled.length) await checkReorderPoints(tx, ruled);
  return { id: move.id, number: String(move.number), backDated, view };
}

/**
 * SQL for an item's own valuation method, else the nearest category up the tree that sets one
 * (null when none does: the plugin default applies). `i` is core_item, `s` its inventory_item_settings.
 */
export const itemMethodSql = (i: string, s: string) => `coalesce(${s}.valuation_method, (
    WITH RECURSIVE up AS (
      SELECT c.id, c.parent_id, 0 AS lvl FROM core_category c WHERE c.id = ${i}.category_id
      UNION ALL SELECT p.id, p.parent_id, up.lvl + 1 FROM core_category p JOIN up ON p.id = up.parent_id)
    SELECT cs.valuation_method FROM up JOIN inventory_category_settings cs ON cs.category_id = up.id ORDER BY up.lvl LIMIT 1))`;

/**
 * SQL for whether negative stock is allowed at location `l` (a core_location alias): the nearest
 * location up the tree with a policy decides; null when none has one.
 */
export const negativePolicySql = (l: string) => `(
    WITH RECURSIVE up AS (
      SELECT x.id, x.parent_id, 0 AS lvl FROM core_location x WHERE x.id = ${l}.id
      UNION ALL SELECT p.id, p.parent_id, up.lvl + 1 FROM core_location p JOIN up ON p.id = up.parent_id)
    SELECT lp.allow_negative FROM up JOIN inventory_location_policy lp ON lp.location_id = up.id ORDER BY up.lvl LIMIT 1)`;

/** Each item's valuation method: its own, else the nearest category up the tree that sets one, else the plugin default. */
export async function valuationMethodsOf(tx: Pick<Transaction, 'execute'>, itemIds: string[], fallback: ValuationMethod) {
  const rows = await tx.execute<{ id: string; method: ValuationMethod | null; standard_cost: string | null }>(
    `SELECT i.id, ${itemMethodSql('i', 's')} AS method,
        s.standard_cost
       FROM core_item i LEFT JOIN inventory_item_settings s ON s.item_id = i.id WHERE i.id = ANY($1::uuid[])`,
    [itemIds],
  );
  return new Map(rows.map((r) => [r.id, { method: r.method ?? fallback, standardCost: r.standard_cost === null ? null : dec(r.standard_cost) }]));
}

function valuationMethods(items: ItemRow[], fallback: ValuationMethod) {
  const out = new Map<string, { method: ValuationMethod; standardCost: Dec | null }>();
  for (const item of items) {
    const method = item.method ?? fallback;
    if (method === 'standard' && item.standard_cost === null) {
      throw new ProblemError({
        type: 'inventory/standard-cost-missing',
        status: 409,
        title: 'No standard cost',
        detail: `Item ${item.id} is valued at standard cost but has none set`,
        extensions: { itemId: item.id },
      });
    }
    out.set(item.id, { method, standardCost: item.standard_cost === null ? null : dec(item.standard_cost) });
  }
  return out;
}

async function resolveReturns(tx: Pick<Transaction, 'execute'>, type: MoveType, lines: Resolved[], err: (f: string, m: string) => void) {
  const withOrigin = lines.filter((r) => r.returnOfLineId);
  if (!withOrigin.length) return;
  const origins = new Map(
    (
      await tx.execute<{ id: string; item_id: string; type: string; qty: string; amount: string | null; lot_id: string | null; serial_id: string | null; serial: string | null; from_location_id: string | null; to_location_id: string | null; returned: string }>(
        `SELECT ml.id, ml.item_id, m.type, ml.qty, ml.amount, ml.lot_id, ml.serial_id, (SELECT s.serial FROM inventory_serial s WHERE s.id = ml.serial_id) AS serial, ml.from_location_id, ml.to_location_id,
                coalesce((SELECT sum(r.qty) FROM inventory_move_line r WHERE r.return_of_line_id = ml.id), 0) AS returned
           FROM inventory_move_line ml JOIN inventory_move m ON m.id = ml.move_id WHERE ml.id = ANY($1::bigint[])`,
        [[...new Set(withOrigin.map((r) => r.returnOfLineId!))]],
      )
    ).map((r) => [String(r.id), r]),
  );
  const claimed = new Map<string, Dec>();
  for (const r of withOrigin) {
    const f = `lines.${r.index}.returnOfLineId`;
    const o = origins.get(r.returnOfLineId!);
    if (!o) {
      err(f, 'no such move line');
      continue;
    }
    const wanted = type === 'customer-return' ? 'issue' : 'receipt';
    if (o.type !== wanted) {
      err(f, `a ${type} refers to a ${wanted} line, not a ${o.type} line`);
      continue;
    }
    if (o.item_id !== r.item.id) {
      err(f, 'that line is for another item');
      continue;
    }
    if (o.serial && r.serial !== o.serial) {
      err(`lines.${r.index}.serials`, `that line moved serial ${o.serial}; a return of it brings back that unit`);
      continue;
    }
    const already = claimed.get(o.id) ?? dec(o.returned);
    if (already.plus(r.qty).gt(dec(o.qty))) {
      err(`lines.${r.index}.qty`, `only ${qtyText(dec(o.qty).minus(already))} of that line can still be returned`);
      continue;
    }
    claimed.set(o.id, already.plus(r.qty));
    if (type === 'customer-return') {
      // Comes back at the cost it left with.
      if (o.amount !== null) r.unitCost = dec(o.amount).div(dec(o.qty));
      r.lotId ??= o.lot_id;
    } else {
      r.preferLayerOfLineId = o.id;
      r.lotId ??= o.lot_id;
    }
  }
}

async function resolveLots(tx: Pick<Transaction, 'execute'>, type: MoveType, lines: Resolved[], err: (f: string, m: string) => void, effectiveAt: Date) {
  const named = lines.filter((r) => r.lotCode && !r.lotId);
  if (named.length) {
    const incoming = named.filter((r) => r.to && !r.from);
    // New lots are created by what brings them in; existing ones keep their dates unless they had none.
    if (incoming.length) {
      await tx.execute(
        `INSERT INTO inventory_lot (item_id, code, expires_on, manufactured_on)
         SELECT DISTINCT ON (i, c) i, c, e, m FROM unnest($1::uuid[], $2::text[], $3::date[], $4::date[]) AS u(i, c, e, m)
         ON CONFLICT (item_id, code) DO UPDATE SET
           expires_on = coalesce(inventory_lot.expires_on, EXCLUDED.expires_on),
           manufactured_on = coalesce(inventory_lot.manufactured_on, EXCLUDED.manufactured_on),
           updated_at = CASE WHEN (inventory_lot.expires_on IS NULL AND EXCLUDED.expires_on IS NOT NULL) OR (inventory_lot.manufactured_on IS NULL AND EXCLUDED.manufactured_on IS NOT NULL) THEN now() ELSE inventory_lot.updated_at END`,
        [incoming.map((r) => r.item.id), incoming.map((r) => r.lotCode!), incoming.map((r) => r.expiresOn ?? null), incoming.map((r) => r.manufacturedOn ?? null)],
      );
    }
    const lots = await tx.execute<{ id: string; item_id: string; code: string; expires_on: string | null; manufactured_on: string | null }>(
      `SELECT id, item_id, code, to_char(expires_on, 'YYYY-MM-DD') AS expires_on, to_char(manufactured_on, 'YYYY-MM-DD') AS manufactured_on
         FROM inventory_lot l JOIN unnest($1::uuid[], $2::text[]) AS u(i, c) ON l.item_id = u.i AND l.code = u.c`,
      [named.map((r) => r.item.id), named.map((r) => r.lotCode!)],
    );
    const byKey = new Map(lots.map((l) => [`${l.item_id}|${l.code}`, l]));
    for (const r of named) {
      const lot = byKey.get(`${r.item.id}|${r.lotCode}`);
      if (!lot) {
        err(`lines.${r.index}.lot`, `${r.item.name} has no lot ${r.lotCode}`);
        continue;
      }
      if (r.expiresOn && lot.expires_on && lot.expires_on !== r.expiresOn) err(`lines.${r.index}.expiresOn`, `lot ${lot.code} expires on ${lot.expires_on}, not ${r.expiresOn}`);
      r.lotId = lot.id;
    }
  }
  // Issues may not take from a blocked lot, or an expired one unless the line says so.
  const outgoing = lines.filter((r) => r.lotId && r.from && !r.to && type === 'issue');
  if (!outgoing.length) return;
  const states = new Map(
    (
      await tx.execute<{ id: string; code: string; blocked: boolean; block_reason: string | null; expired: boolean; expires_on: string | null }>(
        `SELECT id, code, blocked, block_reason, expires_on < $2::date AS expired, to_char(expires_on, 'YYYY-MM-DD') AS expires_on FROM inventory_lot WHERE id = ANY($1::uuid[])`,
        [[...new Set(outgoing.map((r) => r.lotId!))], effectiveAt.toISOString().slice(0, 10)],
      )
    ).map((r) => [r.id, r]),
  );
  for (const r of outgoing) {
    const s = states.get(r.lotId!)!;
    if (s.blocked) throw lotBlocked(r.item.name, s.code, s.block_reason);
    if (s.expired && !r.allowExpired) {
      throw new ProblemError({
        type: 'inventory/lot-expired',
        status: 409,
        title: 'Lot expired',
        detail: `Lot ${s.code} of ${r.item.name} expired on ${s.expires_on}; set allowExpired on the line to issue it anyway`,
        extensions: { lot: s.code, expiresOn: s.expires_on, field: `lines.${r.index}.lot` },
      });
    }
  }
}

export const lotBlocked = (itemName: string, code: string, reason: string | null) =>
  new ProblemError({
    type: 'inventory/lot-blocked',
    status: 409,
    title: 'Lot blocked',
    detail: `Lot ${code} of ${itemName} is blocked${reason ? ` (${reason})` : ''} and cannot be issued`,
    extensions: { lot: code, reason },
  });

/** Serial numbers: a unit is received once, and leaves only from where it is. */
async function resolveSerials(tx: Pick<Transaction, 'execute'>, lines: Resolved[]) {
  const serialLines = lines.filter((r) => r.serial || r.serialId);
  if (!serialLines.length) return;
  const incoming = serialLines.filter((r) => r.to && !r.from && r.serial);
  if (incoming.length) {
    await tx.execute(
      `INSERT INTO inventory_serial (item_id, serial, lot_id) SELECT * FROM unnest($1::uuid[], $2::text[], $3::uuid[]) ON CONFLICT (item_id, serial) DO NOTHING`,
      [incoming.map((r) => r.item.id), incoming.map((r) => r.serial!), incoming.map((r) => r.lotId)],
    );
  }
  const rows = await tx.execute<{ id: string; item_id: string; serial: string; location_id: string | null; location: string | null }>(
    `SELECT s.id, s.item_id, s.serial, s.location_id, l.name AS location FROM inventory_serial s LEFT JOIN core_location l ON l.id = s.location_id
      WHERE (s.item_id, s.serial) IN (SELECT * FROM unnest($1::uuid[], $2::text[])) OR s.id = ANY($3::uuid[])
      ORDER BY s.id FOR UPDATE OF s`,
    [serialLines.filter((r) => r.serial).map((r) => r.item.id), serialLines.filter((r) => r.serial).map((r) => r.serial!), serialLines.filter((r) => !r.serial).map((r) => r.serialId!)],
  );
  const byKey = new Map(rows.map((s) => [`${s.item_id}|${s.serial}`, s]));
  const byId = new Map(rows.map((s) => [s.id, s]));
  for (const r of serialLines) {
    const s = r.serial ? byKey.get(`${r.item.id}|${r.serial}`) : byId.get(r.serialId!);
    if (!s) {
      throw new ProblemError({
        type: 'inventory/serial-unknown',
        status: 409,
        title: 'Unknown serial number',
        detail: `${r.item.name} has no unit with serial ${r.serial}`,
        extensions: { serial: r.serial, field: `lines.${r.index}.serials` },
      });
    }
    r.serialId = s.id;
    r.serial = s.serial;
    if (r.to && !r.from && s.location_id) {
      throw new ProblemError({
        type: 'inventory/serial-in-stock',
        status: 409,
        title: 'Serial number already in stock',
        detail: `${r.item.name} serial ${s.serial} is already in stock at ${s.location}`,
        extensions: { serial: s.serial, locationId: s.location_id, field: `lines.${r.index}.serials` },
      });
    }
    if (r.from && s.location_id !== r.from) {
      throw new ProblemError({
        type: 'inventory/serial-not-here',
        status: 409,
        title: 'Serial number not at this location',
        detail: `${r.item.name} serial ${s.serial} is ${s.location_id ? `at ${s.location}` : 'not in stock'}, not at the location it is taken from`,
        extensions: { serial: s.serial, locationId: s.location_id, field: `lines.${r.index}.serials` },
      });
    }
  }
  // A serialized unit leaves at its own cost: the layer of the receipt (or return) that last brought it in.
  const leaving = serialLines.filter((r) => r.from && !r.to && !r.preferLayerOfLineId);
  if (leaving.length) {
    const sources = await tx.execute<{ serial_id: string; line_id: string }>(
      `SELECT DISTINCT ON (ml.serial_id) ml.serial_id, ml.id AS line_id FROM inventory_move_line ml
         JOIN inventory_valuation_entry e ON e.move_line_id = ml.id AND e.direction = 'in'
        WHERE ml.serial_id = ANY($1::uuid[]) ORDER BY ml.serial_id, ml.id DESC`,
      [leaving.map((r) => r.serialId!)],
    );
    const bySerial = new Map(sources.map((x) => [x.serial_id, String(x.line_id)]));
    for (const r of leaving) r.preferLayerOfLineId = bySerial.get(r.serialId!);
  }
  await tx.execute(
    `UPDATE inventory_serial s SET location_id = u.l, updated_at = now() FROM unnest($1::uuid[], $2::uuid[]) AS u(id, l) WHERE s.id = u.id`,
    [serialLines.map((r) => r.serialId!), serialLines.map((r) => r.to)],
  );
}

/**
 * Outgoing lines of lot-tracked items that name no lot take from the lots at that location by
 * FEFO (first expiry first; lots without expiry last), skipping blocked lots on issues and expired
 * ones unless allowed. The balances are locked while they are picked.
 */
async function pickLots(tx: Pick<Transaction, 'execute'>, type: MoveType, lines: Resolved[], effectiveAt: Date): Promise<Resolved[]> {
  const out: Resolved[] = [];
  for (const r of lines) {
    if (!(r.item.tracking_mode === 'lot' && r.from && !r.lotId)) {
      out.push(r);
      continue;
    }
    let left = r.qty;
    // Drawing on a reservation takes the lots it holds first (their stock is reserved for it, not free).
    if (r.reservationId) {
      const held = await tx.execute<{ lot_id: string; code: string; qty: string }>(
        `SELECT b.lot_id, l.code, a.qty FROM inventory_reservation_allocation a JOIN inventory_balance b ON b.id = a.balance_id JOIN inventory_lot l ON l.id = b.lot_id
          WHERE a.reservation_id = $1 AND a.qty > 0 AND b.item_id = $2 AND b.location_id = $3 AND ($4 OR NOT l.blocked)
          ORDER BY l.expires_on NULLS LAST, l.code FOR UPDATE OF b`,
        [r.reservationId, r.item.id, r.from, type !== 'issue'],
      );
      for (const h of held) {
        if (left.lte(0)) break;
        const q = dec(h.qty);
        const take = q.lt(left) ? q : left;
        out.push({ ...r, qty: take, uomQty: take.div(r.qty).times(r.uomQty), lotId: h.lot_id, lotCode: h.code });
        left = left.minus(take);
      }
      if (left.lte(0)) continue;
    }
    const candidates = await fefoCandidates(tx, r.item.id, r.from, { includeBlocked: type !== 'issue', includeExpired: type !== 'issue' || r.allowExpired, on: effectiveAt, lock: true });
    for (const c of candidates) {
      if (left.lte(0)) break;
      const free = dec(c.available);
      if (free.lte(0)) continue;
      const take = free.lt(left) ? free : left;
      out.push({ ...r, qty: take, uomQty: take.div(r.qty).times(r.uomQty), lotId: c.lot_id, lotCode: c.code });
      left = left.minus(take);
    }
    if (left.gt(0)) {
      const total = r.qty.minus(left);
      const [loc] = await tx.execute<{ name: string }>(`SELECT name FROM core_location WHERE id = $1`, [r.from]);
      throw insufficientStock({ itemId: r.item.id, itemName: r.item.name, locationId: r.from, locationName: loc?.name ?? r.from, requested: r.qty, available: total, field: `lines.${r.index}.qty` });
    }
  }
  return out;
}

export async function fefoCandidates(
  tx: Pick<Transaction, 'execute'>,
  itemId: string,
  locationId: string,
  o: { includeBlocked: boolean; includeExpired: boolean; on: Date; lock: boolean },
) {
  return tx.execute<{ balance_id: string; lot_id: string; code: string; expires_on: string | null; on_hand: string; reserved: string; available: string; blocked: boolean; expired: boolean }>(
    `SELECT b.id AS balance_id, l.id AS lot_id, l.code, to_char(l.expires_on, 'YYYY-MM-DD') AS expires_on, b.on_hand, b.reserved, b.on_hand - b.reserved AS available,
            l.blocked, coalesce(l.expires_on < $3::date, false) AS expired
       FROM inventory_balance b JOIN inventory_lot l ON l.id = b.lot_id
      WHERE b.item_id = $1 AND b.location_id = $2 AND b.on_hand > 0
        AND ($4 OR NOT l.blocked) AND ($5 OR l.expires_on IS NULL OR l.expires_on >= $3::date)
      ORDER BY l.expires_on ASC NULLS LAST, l.created_at, l.code
      ${o.lock ? 'FOR UPDATE OF b' : ''}`,
    [itemId, locationId, o.on.toISOString().slice(0, 10), o.includeBlocked, o.includeExpired],
  );
}

/**
 * Lines that draw on a reservation release its hold on the balances (first the one they take from);
 * the reservation is consumed when fully drawn.
 */
async function consumeReservations(tx: Pick<Transaction, 'execute'>, lines: Resolved[]): Promise<void> {
  const withRes = lines.filter((r) => r.reservationId);
  if (!withRes.length) return;
  const ids = [...new Set(withRes.map((r) => r.reservationId!))].sort();
  const res = new Map(
    (
      await tx.execute<{ id: string; item_id: string; location_id: string; qty: string; consumed_qty: string; status: string }>(
        `SELECT id, item_id, location_id, qty, consumed_qty,
                CASE WHEN status = 'active' AND expires_at <= now() THEN 'expired' ELSE status END AS status
           FROM inventory_reservation WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`,
        [ids],
      )
    ).map((r) => [r.id, r]),
  );
  const allocations = await tx.execute<{ reservation_id: string; balance_id: string; qty: string; lot_id: string | null; serial_id: string | null }>(
    `SELECT a.reservation_id, a.balance_id, a.qty, b.lot_id, b.serial_id
       FROM inventory_reservation_allocation a JOIN inventory_balance b ON b.id = a.balance_id WHERE a.reservation_id = ANY($1::uuid[]) AND a.qty > 0
      ORDER BY a.balance_id`,
    [ids],
  );
  const consumed = new Map<string, Dec>();
  const released = new Map<string, Dec>();
  for (const r of withRes) {
    const v = res.get(r.reservationId!);
    const field = `lines.${r.index}.reservationId`;
    if (!v) throw problems.validation([{ field, message: 'no such reservation' }]);
    if (v.status !== 'active') throw problems.conflict('inventory/reservation-closed', 'Reservation not active', `Reservation ${v.id} is ${v.status}`, { reservationId: v.id, currentState: v.status });
    if (v.item_id !== r.item.id || v.location_id !== r.from) throw problems.validation([{ field, message: 'the reservation is for another item or location' }]);
    const left = dec(v.qty).minus(dec(v.consumed_qty)).minus(consumed.get(v.id) ?? ZERO);
    if (r.qty.gt(left)) throw problems.validation([{ field, message: `the reservation has ${qtyText(left)} left, the line takes ${qtyText(r.qty)}` }]);
    consumed.set(v.id, (consumed.get(v.id) ?? ZERO).plus(r.qty));
    let toRelease = r.qty;
    const same = (a: { lot_id: string | null; serial_id: string | null }) => a.lot_id === r.lotId && a.serial_id === r.serialId;
    const mine = allocations.filter((a) => a.reservation_id === v.id).sort((a, b) => Number(same(b)) - Number(same(a)));
    for (const a of mine) {
      if (toRelease.lte(0)) break;
      const q = dec(a.qty);
      if (q.lte(0)) continue;
      const take = q.lt(toRelease) ? q : toRelease;
      a.qty = q.minus(take).toFixed();
      toRelease = toRelease.minus(take);
      released.set(`${v.id}|${a.balance_id}`, (released.get(`${v.id}|${a.balance_id}`) ?? ZERO).plus(take));
    }
  }
  const rel = [...released.entries()].map(([k, q]) => ({ res: k.split('|')[0], bal: k.split('|')[1], q: q.toFixed() })).sort((a, b) => Number(a.bal) - Number(b.bal));
  if (rel.length) {
    await tx.execute(
      `UPDATE inventory_reservation_allocation a SET qty = a.qty - u.q FROM unnest($1::uuid[], $2::bigint[], $3::numeric[]) AS u(r, b, q) WHERE a.reservation_id = u.r AND a.balance_id = u.b`,
      [rel.map((x) => x.res), rel.map((x) => x.bal), rel.map((x) => x.q)],
    );
    await tx.execute(
      `UPDATE inventory_balance b SET reserved = b.reserved - u.q, updated_at = now()
         FROM (SELECT b AS id, sum(q) AS q FROM unnest($1::bigint[], $2::numeric[]) AS x(b, q) GROUP BY b) u WHERE b.id = u.id`,
      [rel.map((x) => x.bal), rel.map((x) => x.q)],
    );
  }
  await tx.execute(
    `UPDATE inventory_reservation r SET consumed_qty = r.consumed_qty + u.q,
       status = CASE WHEN r.consumed_qty + u.q >= r.qty THEN 'consumed' ELSE r.status END,
       closed_at = CASE WHEN r.consumed_qty + u.q >= r.qty THEN now() ELSE r.closed_at END
       FROM unnest($1::uuid[], $2::numeric[]) AS u(id, q) WHERE r.id = u.id`,
    [[...consumed.keys()], [...consumed.values()].map((q) => q.toFixed())],
  );
}
