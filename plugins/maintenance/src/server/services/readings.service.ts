/**
 * Measurement points and their readings.
 *
 * A reading is taken under a row lock on its point (`FOR UPDATE`), so readings of one point are
 * stored one after the other and the point's total never loses an update. Meter readings are
 * assessed against the accepted readings around them (`assessReadingInSeries`): going backwards or
 * an implausible rollover is `rejected`, a jump faster than the point's `max_rate_per_day` is
 * `flagged` (stored, not counted until a person confirms it), anything else is `accepted` and its
 * usage (`delta`, rollovers included) counts toward the point's `total`. A reading that arrives out
 * of order goes between its neighbours: the next reading's delta is split, later totals stay.
 * Gauge readings are accepted when they are numbers. Every accepted reading evaluates, at once and
 * in the same transaction, the meter or condition plans of its asset and point
 * (generation.service.ts), creating the work orders they make due.
 */
import { ProblemError, normaliseHeader, parseCsv, problems, type Actor, type PluginContext, type Transaction } from '@quartermaster/sdk';
import { isoInstant, type Db } from '@quartermaster/core';
import {
  assessReadingInSeries,
  dec,
  decText,
  instantText,
  parseInstant,
  tryDec,
  type AnyTriggerKind,
  type DueWork,
  type StoredMeterReading,
  type TriggerInput,
  type TriggerRegistry,
} from '../../domain/index.js';
import { ReadingRecorded, type Criticality, type RecordedReading } from '../../shared/index.js';
import { effectiveCriticality } from './catalogue.service.js';
import {
  PLAN_EVAL_COLUMNS,
  WORKING_ASSET_STATUSES,
  createDueWorkOrder,
  createDueWorkOrders,
  evaluatePair,
  lockStates,
  pairKey,
  stateUpdateParams,
  stateUpdateSql,
  writeStates,
  type PlanRow,
  type StateRow,
} from './generation.service.js';
import { todayUtc } from './notifications.service.js';

/** How far ahead of the server's clock a reading may be dated (clock drift of devices). */
export const FUTURE_TOLERANCE_MS = 5 * 60_000;

// ---------------------------------------------------------------------------------------------
// Points

export interface PointRow {
  id: string;
  asset_id: string;
  code: string;
  name: string;
  kind: 'meter' | 'gauge';
  unit: string;
  rollover_at: string | null;
  max_rate_per_day: string | null;
  total: string | null;
  last_value: string | null;
  last_read_at: Date | string | null;
  active: boolean;
  created_at: Date | string;
  flagged?: number;
  device_id?: string | null;
  device_code?: string | null;
  device_channel?: string | null;
}

export const POINT_COLUMNS = `p.id, p.asset_id, p.code, p.name, p.kind, p.unit, p.rollover_at::text AS rollover_at, p.max_rate_per_day::text AS max_rate_per_day,
  p.total::text AS total, p.last_value::text AS last_value, p.last_read_at, p.active, p.created_at, p.device_id, p.device_channel,
  (SELECT d.code FROM core_device d WHERE d.id = p.device_id) AS device_code`;
export const POINT_SELECT = `SELECT ${POINT_COLUMNS},
  (SELECT count(*) FROM maintenance_reading r WHERE r.point_id = p.id AND r.status = 'flagged')::int AS flagged
  FROM maintenance_measurement_point p`;

const d = (v: string | null) => (v === null ? null : decText(dec(v)));

export const pointView = (r: PointRow) => ({
  id: r.id,
  assetId: r.asset_id,
  code: r.code,
  name: r.name,
  kind: r.kind,
  unit: r.unit,
  rolloverAt: d(r.rollover_at),
  maxRatePerDay: d(r.max_rate_per_day),
  total: d(r.total),
  lastValue: d(r.last_value),
  lastReadAt: isoInstant(r.last_read_at),
  active: r.active,
  flaggedReadings: r.flagged ?? 0,
  deviceFeed: r.device_id ? { deviceId: r.device_id, deviceCode: r.device_code ?? '', channel: r.device_channel ?? '' } : null,
  createdAt: isoInstant(r.created_at)!,
});

export async function pointOf(db: Db, assetId: string, code: string, lock = false): Promise<PointRow> {
  const [row] = lock
    ? await db.execute<PointRow>(`SELECT ${POINT_COLUMNS} FROM maintenance_measurement_point p WHERE p.asset_id = $1 AND p.code = $2 FOR UPDATE`, [assetId, code])
    : await db.execute<PointRow>(`${POINT_SELECT} WHERE p.asset_id = $1 AND p.code = $2`, [assetId, code]);
  if (!row) {
    const [asset] = await db.execute(`SELECT 1 FROM fixed_assets_asset WHERE id = $1`, [assetId]);
    if (!asset) throw problems.notFound('asset', assetId);
    throw problems.notFound('measurement point', code);
  }
  return row;
}

// ---------------------------------------------------------------------------------------------
// Readings

export interface ReadingRow {
  id: string;
  point_id: string;
  value: string;
  read_at: Date | string;
  delta: string | null;
  total: string | null;
  status: 'accepted' | 'flagged' | 'rejected';
  reason: string | null;
  source: string;
  source_ref: string | null;
  confirmed_by_label: string | null;
  created_by_label: string;
  created_at: Date | string;
  asset_id?: string;
  code?: string;
  kind?: 'meter' | 'gauge';
}

export const READING_COLUMNS = `r.id::text AS id, r.point_id, r.value::text AS value, r.read_at, r.delta::text AS delta, r.total::text AS total, r.status, r.reason,
  r.source, r.source_ref, r.confirmed_by_label, r.created_by_label, r.created_at`;
export const READING_SELECT = `SELECT ${READING_COLUMNS}, p.asset_id, p.code, p.kind FROM maintenance_reading r JOIN maintenance_measurement_point p ON p.id = r.point_id`;

export const readingView = (r: ReadingRow) => ({
  id: r.id,
  pointId: r.point_id,
  assetId: r.asset_id!,
  code: r.code!,
  value: decText(dec(r.value)),
  readAt: isoInstant(r.read_at)!,
  delta: d(r.delta),
  total: d(r.total),
  status: r.status,
  reason: r.reason,
  source: r.source,
  sourceRef: r.source_ref,
  decidedBy: r.confirmed_by_label,
  createdBy: r.created_by_label,
  createdAt: isoInstant(r.created_at)!,
});

export interface ReadingIn {
  value: string | number;
  readAt: string;
  /** manual | import | api | device:<id> */
  source: string;
  sourceRef?: string | null;
}

export interface RecordOutcome extends RecordedReading {
  /** The stored reading (null when a rejected reading was not stored, see `storeRejected`). */
  reading: ReadingRow | null;
}

/** Accepted neighbours of an instant on a meter: the last one at or before it and the first one after it. */
async function neighbours(tx: Db, pointId: string, readAt: string, excludeId: string | null) {
  const cols = `id::text AS id, value::text AS value, read_at, total::text AS total, delta::text AS delta`;
  type N = { id: string; value: string; read_at: Date | string; total: string | null; delta: string | null };
  const [prev] = await tx.execute<N>(
    `SELECT ${cols} FROM maintenance_reading WHERE point_id = $1 AND status = 'accepted' AND read_at <= $2::timestamptz AND id IS DISTINCT FROM $3::bigint
      ORDER BY read_at DESC, id DESC LIMIT 1`,
    [pointId, readAt, excludeId],
  );
  const [next] = await tx.execute<N>(
    `SELECT ${cols} FROM maintenance_reading WHERE point_id = $1 AND status = 'accepted' AND read_at > $2::timestamptz AND id IS DISTINCT FROM $3::bigint
      ORDER BY read_at, id LIMIT 1`,
    [pointId, readAt, excludeId],
  );
  return { prev: prev ?? null, next: next ?? null };
}

const asStored = (n: { value: string; read_at: Date | string } | null): StoredMeterReading[] => (n ? [{ value: n.value, readAt: isoInstant(n.read_at)!, status: 'accepted' }] : []);

/** The reading itself: a decimal at a real instant, not in the future, on an active point; `problem` says why not. */
function checkReading(point: PointRow, input: ReadingIn): { value: ReturnType<typeof tryDec>; ms: number | undefined; problem: string | null } {
  const value = tryDec(input.value);
  const ms = parseInstant(input.readAt);
  let problem: string | null = null;
  if (!point.active) problem = `the measurement point ${point.code} is inactive`;
  else if (!value) problem = `value ${JSON.stringify(input.value)} is not a decimal number`;
  else if (ms === undefined) problem = `time ${JSON.stringify(input.readAt)} is not an ISO 8601 instant with a zone`;
  else if (ms > Date.now() + FUTURE_TOLERANCE_MS) problem = `taken at ${instantText(ms)}, in the future`;
  return { value, ms, problem };
}

/**
 * Store one reading on a point the caller has locked (`pointOf(tx, …, true)`), evaluate the plans
 * it feeds when it is accepted, audit it and emit `maintenance.reading.recorded`.
 * `storeRejected: false` leaves a rejected reading unstored (imports report it instead).
 */
export async function recordReading(
  tx: Transaction,
  registry: TriggerRegistry,
  point: PointRow,
  input: ReadingIn,
  o: { storeRejected: boolean; log?: PluginContext['log'] },
): Promise<RecordOutcome> {
  if (point.kind === 'gauge') return (await recordGaugeReadings(tx, registry, point, [input], o))[0];
  const base = { pointId: point.id, workOrderIds: [] as string[] };
  if (input.sourceRef) {
    const [dup] = await tx.execute<ReadingRow>(`SELECT ${READING_COLUMNS} FROM maintenance_reading r WHERE r.point_id = $1 AND r.source = $2 AND r.source_ref = $3`, [
      point.id,
      input.source,
      input.sourceRef,
    ]);
    if (dup) return { ...base, id: dup.id, status: dup.status, reason: dup.reason, created: false, reading: { ...dup, asset_id: point.asset_id, code: point.code, kind: point.kind } };
  }

  const { value, ms, problem } = checkReading(point, input);
  if (problem || !value || ms === undefined) return store(tx, point, input, value ? decText(value) : null, ms, { status: 'rejected', reason: problem!, delta: null, total: null }, o, base, registry);

  const valueText = decText(value);
  const readAt = instantText(ms);
  const { prev, next } = await neighbours(tx, point.id, readAt, null);
  const a = assessReadingInSeries({ rolloverAt: point.rollover_at, maxRatePerDay: point.max_rate_per_day }, [...asStored(prev), ...asStored(next)], { value: valueText, readAt });
  if (a.status === 'rejected') return store(tx, point, input, valueText, ms, { status: 'rejected', reason: a.reason ?? 'rejected', delta: null, total: null }, o, base, registry);
  if (a.status === 'flagged') return store(tx, point, input, valueText, ms, { status: 'flagged', reason: a.reason ?? 'flagged', delta: a.delta, total: null }, o, base, registry);
  const total = prev ? decText(dec(prev.total ?? '0').plus(a.delta)) : '0';
  return store(tx, point, input, valueText, ms, { status: 'accepted', reason: a.rollover ? 'rollover' : null, delta: a.delta, total, nextId: next?.id ?? null, nextDelta: a.nextDelta ?? null }, o, base, registry);
}

/**
 * Several readings of one point the caller has locked, taken in the order given (callers sort them
 * by time): the same outcomes, rows, audit records and events as `recordReading` one after the
 * other. Gauge readings are stored together (see `recordGaugeReadings`); meter readings, whose
 * verdicts depend on the readings around them, one by one.
 */
export async function recordReadings(
  tx: Transaction,
  registry: TriggerRegistry,
  point: PointRow,
  inputs: readonly ReadingIn[],
  o: { storeRejected: boolean; log?: PluginContext['log'] },
): Promise<RecordOutcome[]> {
  if (point.kind === 'gauge') return recordGaugeReadings(tx, registry, point, inputs, o);
  const out: RecordOutcome[] = [];
  for (const input of inputs) out.push(await recordReading(tx, registry, point, input, o));
  return out;
}

type Verdict = { status: 'accepted' | 'flagged' | 'rejected'; reason: string | null; delta: string | null; total: string | null; nextId?: string | null; nextDelta?: string | null };

async function store(
  tx: Transaction,
  point: PointRow,
  input: ReadingIn,
  value: string | null,
  ms: number | undefined,
  v: Verdict,
  o: { storeRejected: boolean; log?: PluginContext['log'] },
  base: { pointId: string; workOrderIds: string[] },
  registry: TriggerRegistry,
): Promise<RecordOutcome> {
  if (v.status === 'rejected' && (!o.storeRejected || value === null || ms === undefined)) return { ...base, id: '', status: 'rejected', reason: v.reason, created: false, reading: null };
  const [row] = await tx.execute<ReadingRow>(
    `INSERT INTO maintenance_reading (point_id, value, read_at, delta, total, status, reason, source, source_ref, created_by_label)
     VALUES ($1, $2, $3::timestamptz, $4, $5, $6, $7, $8, $9, $10)
     RETURNING ${READING_COLUMNS.replaceAll('r.', '')}`,
    [point.id, value, instantText(ms!), v.delta, v.total, v.status, v.reason, input.source, input.sourceRef ?? null, tx.actor.label],
  );
  const reading: ReadingRow = { ...row, asset_id: point.asset_id, code: point.code, kind: point.kind };
  let workOrderIds: string[] = [];
  if (v.status === 'accepted') workOrderIds = await applyAccepted(tx, registry, point, reading, v, o.log);
  await tx.audit({ action: 'recorded', entityType: 'maintenance.reading', entityId: row.id, after: { pointId: point.id, code: point.code, value, readAt: isoInstant(row.read_at), status: v.status, reason: v.reason, total: v.total } });
  await emitRecorded(tx, point, reading);
  return { ...base, id: row.id, status: v.status, reason: v.reason, created: true, workOrderIds, reading };
}

async function emitRecorded(tx: Transaction, point: PointRow, r: ReadingRow) {
  await tx.emit(ReadingRecorded, {
    pointId: point.id,
    assetId: point.asset_id,
    code: point.code,
    kind: point.kind,
    value: decText(dec(r.value)),
    readAt: isoInstant(r.read_at)!,
    status: r.status,
    reason: r.reason,
    total: d(r.total),
  });
}

/**
 * An accepted reading counts: split the next reading's delta when it went in between, move the
 * point's total and last value when it is the latest, then evaluate the plans it feeds.
 */
async function applyAccepted(tx: Transaction, registry: TriggerRegistry, point: PointRow, reading: ReadingRow, v: Verdict, log?: PluginContext['log']): Promise<string[]> {
  if (point.kind === 'meter') {
    if (v.nextId && v.nextDelta !== null && v.nextDelta !== undefined) await tx.execute(`UPDATE maintenance_reading SET delta = $2 WHERE id = $1::bigint`, [v.nextId, v.nextDelta]);
    if (!v.nextId) {
      await tx.execute(`UPDATE maintenance_measurement_point SET total = $2, last_value = $3, last_read_at = $4 WHERE id = $1`, [point.id, v.total, reading.value, reading.read_at]);
      point.total = v.total;
      point.last_value = reading.value;
      point.last_read_at = reading.read_at;
    }
  } else {
    const [moved] = await tx.execute<{ id: string }>(
      `UPDATE maintenance_measurement_point SET last_value = $2, last_read_at = $3 WHERE id = $1 AND (last_read_at IS NULL OR last_read_at <= $3) RETURNING id`,
      [point.id, reading.value, reading.read_at],
    );
    if (moved) {
      point.last_value = reading.value;
      point.last_read_at = reading.read_at;
    }
  }
  return evaluatePointPlans(tx, registry, point, reading, log);
}

/** The active plans of this kind on this asset's point: its own, and those of its category or a parent category. */
async function plansOfPoint(tx: Db, assetId: string, triggerKind: string, code: string): Promise<PlanRow[]> {
  return tx.execute<PlanRow>(
    `WITH RECURSIVE up AS (
       SELECT c.id, c.parent_id, 0 AS depth FROM core_category c JOIN fixed_assets_asset a ON a.category_id = c.id WHERE a.id = $1
       UNION ALL SELECT c.id, c.parent_id, up.depth + 1 FROM core_category c JOIN up ON c.id = up.parent_id WHERE up.depth < 64)
     SELECT ${PLAN_EVAL_COLUMNS} FROM maintenance_plan p
      WHERE p.active AND p.trigger_kind = $2 AND p.point_code = $3 AND (p.asset_id = $1 OR p.category_id IN (SELECT id FROM up))
      ORDER BY p.id`,
    [assetId, triggerKind, code],
  );
}

/**
 * What evaluating a point's readings needs, looked up once per transaction and point: the plans
 * it feeds, whether its asset takes work, and the plan × asset state rows, locked by this
 * transaction when first read and kept here as this transaction writes them (so the next reading
 * of the same request or import starts from them without reading them again).
 */
interface PointPlans {
  kind: AnyTriggerKind;
  plans: PlanRow[];
  working: boolean;
  states: Map<string, StateRow>;
  criticality: Criticality | null;
}

const pointPlansByTx = new WeakMap<object, Map<string, PointPlans | null>>();

async function pointPlans(tx: Transaction, registry: TriggerRegistry, point: PointRow): Promise<PointPlans | null> {
  let perTx = pointPlansByTx.get(tx);
  if (!perTx) pointPlansByTx.set(tx, (perTx = new Map()));
  if (perTx.has(point.id)) return perTx.get(point.id)!;
  const triggerKind = point.kind === 'meter' ? 'meter' : 'condition';
  const kind = registry.get(triggerKind);
  let found: PointPlans | null = null;
  const plans = kind ? await plansOfPoint(tx, point.asset_id, triggerKind, point.code) : [];
  if (kind && plans.length) {
    const [asset] = await tx.execute<{ status: string }>(`SELECT status FROM fixed_assets_asset WHERE id = $1`, [point.asset_id]);
    const working = (WORKING_ASSET_STATUSES as readonly string[]).includes(asset?.status ?? '');
    // A retired or stored asset's condition rules still follow its readings (so they do not fire on stale state later), but no work is created.
    const states = !working && point.kind === 'meter' ? new Map<string, StateRow>() : await lockStates(tx, plans.map((p) => ({ planId: p.id, assetId: point.asset_id })));
    found = { kind: kind, plans, working, states, criticality: null };
  }
  perTx.set(point.id, found);
  return found;
}

type StateUpdates = Parameters<typeof writeStates>[1];

/** Run the point's plans on one reading: the work they make due and the state rows to write. Pure. */
function evaluatePlans(pp: PointPlans, assetId: string, input: TriggerInput): { due: Array<{ plan: PlanRow; work: DueWork }>; updates: StateUpdates } {
  const due: Array<{ plan: PlanRow; work: DueWork }> = [];
  const updates: StateUpdates = [];
  for (const plan of pp.plans) {
    const stored = pp.states.get(pairKey(plan.id, assetId)) ?? null;
    const outcome = evaluatePair(pp.kind, plan, stored, input);
    if (!pp.working && outcome.update) outcome.update.lastDueKey = stored?.last_due_key ?? null;
    if (pp.working) for (const work of outcome.work) due.push({ plan, work });
    if (outcome.update) updates.push({ planId: plan.id, assetId, ...outcome.update });
  }
  return { due, updates };
}

/** After the state rows were written: remember them as written. */
function remember(pp: PointPlans, updates: StateUpdates) {
  for (const u of updates) {
    const key = pairKey(u.planId, u.assetId);
    const before = pp.states.get(key);
    if (!before) continue;
    pp.states.set(key, { ...before, trigger_state: u.triggerState, last_due_key: u.lastDueKey, next_due_on: u.nextDueOn, next_due_total: u.nextDueTotal });
  }
}

/** Create the work orders the readings made due, each in its own savepoint (an asset that cannot take work logs and creates nothing). */
async function createDue(tx: Transaction, pp: PointPlans, assetId: string, due: Array<{ plan: PlanRow; work: DueWork }>, today: string, log?: PluginContext['log']): Promise<string[]> {
  const created: string[] = [];
  if (!due.length) return created;
  pp.criticality ??= (await effectiveCriticality(tx, assetId)).criticality;
  for (const d of due) {
    const id = await createDueWorkOrder(tx, d.plan, assetId, pp.criticality, d.work, today, log);
    if (id) created.push(id);
  }
  return created;
}

/** Evaluate the meter (or condition) plans an accepted reading feeds; answers the work orders created. */
async function evaluatePointPlans(tx: Transaction, registry: TriggerRegistry, point: PointRow, reading: ReadingRow, log?: PluginContext['log']): Promise<string[]> {
  const pp = await pointPlans(tx, registry, point);
  if (!pp || (!pp.working && point.kind === 'meter')) return [];
  const today = todayUtc();
  const input =
    point.kind === 'meter'
      ? { today, meterTotals: { [point.code]: point.total ?? '0' } }
      : { today, readings: { [point.code]: [{ value: decText(dec(reading.value)), readAt: isoInstant(reading.read_at)! }] } };
  const { due, updates } = evaluatePlans(pp, point.asset_id, input);
  const created = await createDue(tx, pp, point.asset_id, due, today, log);
  await writeStates(tx, updates);
  remember(pp, updates);
  return created;
}

/**
 * Gauge readings in a handful of statements however many there are: the `sourceRef`s already
 * recorded (one SELECT, when any is given); the plans the accepted readings feed, evaluated reading
 * by reading from the states this transaction holds; then one statement inserting the readings to
 * store (in the order given, so their ids ascend in that order), moving the point's last value to
 * the latest accepted one and writing the changed plan states; then the work orders the readings
 * made due (`createDueWorkOrders`, isolated); then per stored reading its audit record and event.
 * A `sourceRef` sent twice in one call is stored once: the second answers the first, not created.
 */
async function recordGaugeReadings(
  tx: Transaction,
  registry: TriggerRegistry,
  point: PointRow,
  inputs: readonly ReadingIn[],
  o: { storeRejected: boolean; log?: PluginContext['log'] },
): Promise<RecordOutcome[]> {
  const withRef = inputs.filter((i) => i.sourceRef);
  const known = new Map<string, ReadingRow>();
  if (withRef.length) {
    const rows = await tx.execute<ReadingRow>(
      `SELECT ${READING_COLUMNS} FROM maintenance_reading r JOIN unnest($2::text[], $3::text[]) AS u(s, ref) ON r.source = u.s AND r.source_ref = u.ref WHERE r.point_id = $1`,
      [point.id, withRef.map((i) => i.source), withRef.map((i) => i.sourceRef)],
    );
    for (const r of rows) known.set(`${r.source}\u0000${r.source_ref}`, { ...r, asset_id: point.asset_id, code: point.code, kind: point.kind });
  }

  type Item =
    | { kind: 'dup'; row: ReadingRow }
    | { kind: 'dup-of'; of: number }
    | { kind: 'unstored'; reason: string }
    | { kind: 'store'; input: ReadingIn; value: string; ms: number; status: 'accepted' | 'rejected'; reason: string | null; due: Array<{ plan: PlanRow; work: DueWork }> };
  const items: Item[] = [];
  const storedRef = new Map<string, number>();
  const today = todayUtc();
  let pp: PointPlans | null | undefined;
  const updates = new Map<string, StateUpdates[number]>();
  let latest = -1;
  for (const input of inputs) {
    const ref = input.sourceRef ? `${input.source}\u0000${input.sourceRef}` : null;
    const dup = ref ? known.get(ref) : undefined;
    if (dup) {
      items.push({ kind: 'dup', row: dup });
      continue;
    }
    if (ref && storedRef.has(ref)) {
      items.push({ kind: 'dup-of', of: storedRef.get(ref)! });
      continue;
    }
    const { value, ms, problem } = checkReading(point, input);
    if (problem || !value || ms === undefined) {
      if (!o.storeRejected || !value || ms === undefined) items.push({ kind: 'unstored', reason: problem! });
      else items.push({ kind: 'store', input, value: decText(value), ms, status: 'rejected', reason: problem, due: [] });
    } else {
      const valueText = decText(value);
      pp = pp === undefined ? await pointPlans(tx, registry, point) : pp;
      let due: Array<{ plan: PlanRow; work: DueWork }> = [];
      if (pp) {
        const evaluated = evaluatePlans(pp, point.asset_id, { today, readings: { [point.code]: [{ value: valueText, readAt: new Date(ms).toISOString() }] } });
        due = evaluated.due;
        for (const u of evaluated.updates) updates.set(pairKey(u.planId, u.assetId), u);
        remember(pp, evaluated.updates); // the next reading starts from here; written below with the readings
      }
      items.push({ kind: 'store', input, value: valueText, ms, status: 'accepted', reason: null, due });
      if (latest < 0 || ms >= (items[latest] as { ms: number }).ms) latest = items.length - 1;
    }
    if (ref && items[items.length - 1].kind === 'store') storedRef.set(ref, items.length - 1);
  }

  const toStore = items.flatMap((it, i) => (it.kind === 'store' ? [{ it, i }] : []));
  const rows = new Map<number, ReadingRow>();
  if (toStore.length) {
    const last = latest >= 0 ? (items[latest] as Extract<Item, { kind: 'store' }>) : null;
    const changed = [...updates.values()];
    const col = <T>(f: (x: Extract<Item, { kind: 'store' }>) => T) => toStore.map(({ it }) => f(it as Extract<Item, { kind: 'store' }>));
    const params: unknown[] = [
      point.id,
      col((x) => x.value),
      col((x) => instantText(x.ms)),
      col((x) => x.status),
      col((x) => x.reason),
      col((x) => x.input.source),
      col((x) => x.input.sourceRef ?? null),
      tx.actor.label,
      last?.value ?? null,
      last ? instantText(last.ms) : null,
      ...(changed.length ? stateUpdateParams(changed) : []),
    ];
    const inserted = await tx.execute<ReadingRow>(
      `WITH r AS (
         INSERT INTO maintenance_reading (point_id, value, read_at, delta, total, status, reason, source, source_ref, created_by_label)
         SELECT $1, v, t, NULL, NULL, st, re, so, sr, $8::text FROM unnest($2::numeric[], $3::timestamptz[], $4::text[], $5::text[], $6::text[], $7::text[]) WITH ORDINALITY AS u(v, t, st, re, so, sr, n)
          ORDER BY n
         RETURNING ${READING_COLUMNS.replaceAll('r.', '')}),
       moved AS (
         UPDATE maintenance_measurement_point SET last_value = $9::numeric, last_read_at = $10::timestamptz
          WHERE id = $1 AND $10::timestamptz IS NOT NULL AND (last_read_at IS NULL OR last_read_at <= $10::timestamptz) RETURNING id)${
            changed.length
              ? `,
       states AS (${stateUpdateSql(11)} RETURNING 1)`
              : ''
          }
       SELECT r.*, EXISTS (SELECT 1 FROM moved) AS moved FROM r ORDER BY r.id::bigint`,
      params,
    );
    inserted.forEach((row, k) => {
      const { moved: _moved, ...reading } = row as ReadingRow & { moved: boolean };
      rows.set(toStore[k].i, { ...reading, asset_id: point.asset_id, code: point.code, kind: point.kind });
    });
    if ((inserted[0] as unknown as { moved: boolean })?.moved && latest >= 0) {
      point.last_value = rows.get(latest)!.value;
      point.last_read_at = rows.get(latest)!.read_at;
    }
  }

  // The work orders the accepted readings made due, in reading order.
  const due = toStore.flatMap(({ it, i }) => (it as Extract<Item, { kind: 'store' }>).due.map((d) => ({ ...d, i })));
  const workOrders = new Map<number, string[]>();
  if (due.length && pp) {
    pp.criticality ??= (await effectiveCriticality(tx, point.asset_id)).criticality;
    const ids = await createDueWorkOrders(tx, due.map((d) => ({ plan: d.plan, assetId: point.asset_id, criticality: pp!.criticality!, work: d.work })), today, o.log);
    ids.forEach((id, k) => {
      if (id) workOrders.set(due[k].i, [...(workOrders.get(due[k].i) ?? []), id]);
    });
  }

  const base = { pointId: point.id };
  const out: RecordOutcome[] = [];
  for (const [i, it] of items.entries()) {
    if (it.kind === 'dup') out.push({ ...base, workOrderIds: [], id: it.row.id, status: it.row.status, reason: it.row.reason, created: false, reading: it.row });
    else if (it.kind === 'dup-of') {
      const row = rows.get(it.of)!;
      out.push({ ...base, workOrderIds: [], id: row.id, status: row.status, reason: row.reason, created: false, reading: row });
    } else if (it.kind === 'unstored') out.push({ ...base, workOrderIds: [], id: '', status: 'rejected', reason: it.reason, created: false, reading: null });
    else {
      const row = rows.get(i)!;
      await tx.audit({ action: 'recorded', entityType: 'maintenance.reading', entityId: row.id, after: { pointId: point.id, code: point.code, value: it.value, readAt: isoInstant(row.read_at), status: it.status, reason: it.reason, total: null } });
      await emitRecorded(tx, point, row);
      out.push({ ...base, workOrderIds: workOrders.get(i) ?? [], id: row.id, status: it.status, reason: it.reason, created: true, reading: row });
    }
  }
  return out;
}

/** Lock a reading (and its point) for a decision; only flagged readings wait for one. */
async function flaggedReading(tx: Db, id: string): Promise<{ reading: ReadingRow; point: PointRow }> {
  const [r] = await tx.execute<ReadingRow>(`${READING_SELECT} WHERE r.id = $1::bigint`, [id]);
  if (!r) throw problems.notFound('reading', id);
  const point = await pointOf(tx, r.asset_id!, r.code!, true);
  const [reading] = await tx.execute<ReadingRow>(`${READING_SELECT} WHERE r.id = $1::bigint FOR UPDATE OF r`, [id]);
  if (reading.status !== 'flagged')
    throw problems.conflict('maintenance/reading-not-flagged', 'Reading not flagged', `Reading ${id} is ${reading.status}: only flagged readings wait for a decision`, { readingStatus: reading.status });
  return { reading, point };
}

/**
 * A person vouches for a flagged reading: it counts from now on, assessed again against the
 * accepted readings around it except for the rate check the person overrides. One that no longer
 * fits between its neighbours (a later reading was accepted meanwhile) answers 409
 * `maintenance/reading-inconsistent`: reject it instead.
 */
export async function confirmReading(tx: Transaction, registry: TriggerRegistry, id: string, note: string | null, log?: PluginContext['log']) {
  const { reading, point } = await flaggedReading(tx, id);
  const readAt = isoInstant(reading.read_at)!;
  const { prev, next } = await neighbours(tx, point.id, readAt, reading.id);
  const a = assessReadingInSeries({ rolloverAt: point.rollover_at, maxRatePerDay: null }, [...asStored(prev), ...asStored(next)], { value: reading.value, readAt });
  if (a.status !== 'accepted')
    throw problems.conflict('maintenance/reading-inconsistent', 'Reading no longer fits', `Reading ${id} cannot count: ${a.reason ?? a.status}`, { reason: a.reason ?? null });
  const total = prev ? decText(dec(prev.total ?? '0').plus(a.delta)) : '0';
  const reason = [reading.reason, note ? `confirmed: ${note}` : 'confirmed'].filter(Boolean).join('; ');
  await tx.execute(`UPDATE maintenance_reading SET status = 'accepted', delta = $2, total = $3, reason = $4, confirmed_by_label = $5 WHERE id = $1::bigint`, [
    reading.id,
    a.delta,
    total,
    reason,
    tx.actor.label,
  ]);
  const updated: ReadingRow = { ...reading, status: 'accepted', delta: a.delta, total, reason, confirmed_by_label: tx.actor.label };
  const workOrderIds = await applyAccepted(tx, registry, point, updated, { status: 'accepted', reason, delta: a.delta, total, nextId: next?.id ?? null, nextDelta: a.nextDelta ?? null }, log);
  await tx.audit({ action: 'confirmed', entityType: 'maintenance.reading', entityId: reading.id, before: { status: 'flagged' }, after: { status: 'accepted', delta: a.delta, total, note } });
  await emitRecorded(tx, point, updated);
  return { workOrderIds };
}

/** A person throws a flagged reading out: it stays on record as rejected and never counts. */
export async function rejectReading(tx: Transaction, id: string, note: string | null) {
  const { reading, point } = await flaggedReading(tx, id);
  const reason = [reading.reason, note ? `rejected: ${note}` : 'rejected'].filter(Boolean).join('; ');
  await tx.execute(`UPDATE maintenance_reading SET status = 'rejected', delta = NULL, total = NULL, reason = $2, confirmed_by_label = $3 WHERE id = $1::bigint`, [reading.id, reason, tx.actor.label]);
  await tx.audit({ action: 'rejected', entityType: 'maintenance.reading', entityId: reading.id, before: { status: 'flagged' }, after: { status: 'rejected', note } });
  await emitRecorded(tx, point, { ...reading, status: 'rejected', delta: null, total: null, reason });
}

// ---------------------------------------------------------------------------------------------
// The service other plugins call

/** `MaintenanceService.recordReadings`: each reading in its own transaction; unknown points come back rejected. */
export async function recordReadingsAsService(ctx: PluginContext<any>, registry: () => TriggerRegistry, actor: Actor, readings: Array<ReadingIn & { assetId: string; code: string }>): Promise<RecordedReading[]> {
  const out: RecordedReading[] = [];
  for (const r of readings) {
    const outcome = await ctx.transaction(actor, async (tx) => {
      const [point] = await tx.execute<PointRow>(`SELECT ${POINT_COLUMNS} FROM maintenance_measurement_point p WHERE p.asset_id = $1::uuid AND p.code = $2 FOR UPDATE`, [
        uuidOrNull(r.assetId),
        String(r.code),
      ]);
      if (!point) return { id: '', pointId: '', status: 'rejected' as const, reason: `no measurement point ${JSON.stringify(r.code)} on asset ${r.assetId}`, created: false, workOrderIds: [] };
      const { reading: _reading, ...rest } = await recordReading(tx, registry(), point, { value: r.value, readAt: r.readAt, source: r.source || 'api', sourceRef: r.sourceRef ?? null }, { storeRejected: true, log: ctx.log });
      return rest;
    });
    out.push(outcome);
  }
  return out;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const uuidOrNull = (v: unknown) => (typeof v === 'string' && UUID.test(v) ? v : null);

// ---------------------------------------------------------------------------------------------
// CSV import

export const MAX_IMPORT_ROWS = 10_000;
const COLUMN_ALIASES: Record<string, 'tag' | 'code' | 'value' | 'readAt' | 'sourceRef'> = {
  asset_tag: 'tag',
  tag: 'tag',
  asset: 'tag',
  point_code: 'code',
  point: 'code',
  code: 'code',
  value: 'value',
  reading: 'value',
  read_at: 'readAt',
  readat: 'readAt',
  time: 'readAt',
  timestamp: 'readAt',
  source_ref: 'sourceRef',
  sourceref: 'sourceRef',
};

export interface ImportRowReport {
  /** Row number as a spreadsheet shows it (the header is row 1). */
  row: number;
  assetTag: string | null;
  pointCode: string | null;
  value: string | null;
  readAt: string | null;
  /** `invalid`: not imported (see `message`); `duplicate`: its `source_ref` was imported before. */
  status: 'accepted' | 'flagged' | 'duplicate' | 'invalid';
  readingId: string | null;
  message: string | null;
}

export interface ImportReport {
  dryRun: boolean;
  skipInvalidRows: boolean;
  counts: { rows: number; accepted: number; flagged: number; duplicate: number; invalid: number };
  /** Readings stored (0 for a dry run). */
  imported: number;
  rows: ImportRowReport[];
  workOrderIds: string[];
}

const invalidCsv = (detail: string) => new ProblemError({ type: 'maintenance/invalid-csv', status: 422, title: 'Not a usable readings file', detail });

/** Not an error: a dry run rolls its transaction back with the report. */
export class DryRunDone extends Error {
  constructor(readonly report: ImportReport) {
    super('dry run');
  }
}

/**
 * Import readings from CSV (columns asset_tag, point_code, value, read_at; optional source_ref) in
 * one transaction. Rows are taken per point in time order. Any invalid row (cells, unknown asset or
 * point, or a reading the meter rejects) makes the whole import fail with 422
 * `maintenance/import-rejected` and every row's verdict, unless `skipInvalidRows`, which imports
 * the others. Flagged readings are imported (they wait for confirmation). Re-importing a row with the
 * same `source_ref` stores nothing new (`duplicate`).
 */
export async function importReadings(tx: Transaction, registry: TriggerRegistry, csv: string, o: { skipInvalidRows: boolean; dryRun: boolean; log?: PluginContext['log'] }): Promise<ImportReport> {
  const parsed = parseCsv(csv);
  if (parsed.fatal) throw invalidCsv(`line ${parsed.fatal.line}: ${parsed.fatal.message}`);
  const [header, ...records] = parsed.records;
  if (!header) throw invalidCsv('the file is empty');
  const columns = header.cells.map((c) => COLUMN_ALIASES[normaliseHeader(c)]);
  const unknown = header.cells.filter((_, i) => !columns[i]);
  if (unknown.length) throw invalidCsv(`unknown column(s) ${unknown.map((c) => JSON.stringify(c)).join(', ')}; expected asset_tag, point_code, value, read_at and optionally source_ref`);
  const missing = (['tag', 'code', 'value', 'readAt'] as const).filter((k) => !columns.includes(k));
  if (missing.length) throw invalidCsv(`missing column(s) ${missing.map((k) => ({ tag: 'asset_tag', code: 'point_code', value: 'value', readAt: 'read_at' })[k]).join(', ')}`);
  if (!records.length) throw invalidCsv('no rows below the header');
  if (records.length > MAX_IMPORT_ROWS) throw invalidCsv(`${records.length} rows; at most ${MAX_IMPORT_ROWS} per import`);

  const cell = (cells: string[], k: string) => {
    const i = columns.indexOf(k as never);
    const v = i < 0 ? undefined : cells[i]?.trim().replace(/^'(?=[=+\-@])/, '');
    return v ? v : null;
  };
  const rows: ImportRowReport[] = records.map((r) => ({
    row: r.row,
    assetTag: cell(r.cells, 'tag'),
    pointCode: cell(r.cells, 'code'),
    value: cell(r.cells, 'value'),
    readAt: cell(r.cells, 'readAt'),
    status: 'invalid',
    readingId: null,
    message: r.error ?? null,
  }));
  const sourceRefs = records.map((r) => cell(r.cells, 'sourceRef'));

  // Resolve tags and codes in two statements.
  const tags = [...new Set(rows.map((r) => r.assetTag).filter((t): t is string => !!t))];
  const points = await tx.execute<PointRow & { tag: string }>(
    `SELECT ${POINT_COLUMNS}, a.tag FROM maintenance_measurement_point p JOIN fixed_assets_asset a ON a.id = p.asset_id WHERE a.tag = ANY($1::text[])`,
    [tags],
  );
  const knownTags = new Set((await tx.execute<{ tag: string }>(`SELECT tag FROM fixed_assets_asset WHERE tag = ANY($1::text[])`, [tags])).map((r) => r.tag));
  const pointByKey = new Map(points.map((p) => [`${p.tag}\u0000${p.code}`, p]));
  const valid: Array<{ report: ImportRowReport; point: PointRow; sourceRef: string | null; ms: number }> = [];
  rows.forEach((r, i) => {
    const problemsOf: string[] = [];
    if (r.message) problemsOf.push(r.message);
    if (!r.assetTag) problemsOf.push('asset_tag is empty');
    else if (!knownTags.has(r.assetTag)) problemsOf.push(`no asset with tag ${r.assetTag}`);
    if (!r.pointCode) problemsOf.push('point_code is empty');
    if (!r.value) problemsOf.push('value is empty');
    else if (!tryDec(r.value)) problemsOf.push(`value ${JSON.stringify(r.value)} is not a decimal number`);
    const ms = r.readAt ? parseInstant(r.readAt) : undefined;
    if (!r.readAt) problemsOf.push('read_at is empty');
    else if (ms === undefined) problemsOf.push(`read_at ${JSON.stringify(r.readAt)} is not an ISO 8601 instant with a zone`);
    const point = r.assetTag && r.pointCode ? pointByKey.get(`${r.assetTag}\u0000${r.pointCode}`) : undefined;
    if (r.assetTag && knownTags.has(r.assetTag) && r.pointCode && !point) problemsOf.push(`asset ${r.assetTag} has no measurement point ${r.pointCode}`);
    else if (point && !point.active) problemsOf.push(`the measurement point ${r.pointCode} of ${r.assetTag} is inactive`);
    if (problemsOf.length) r.message = problemsOf.join('; ');
    else valid.push({ report: r, point: point!, sourceRef: sourceRefs[i], ms: ms! });
  });

  // Lock the points in id order (two imports never wait on each other crosswise), then take the rows per point in time order.
  const pointIds = [...new Set(valid.map((v) => v.point.id))].sort();
  const locked = new Map(
    (await tx.execute<PointRow>(`SELECT ${POINT_COLUMNS} FROM maintenance_measurement_point p WHERE p.id = ANY($1::uuid[]) ORDER BY p.id FOR UPDATE`, [pointIds])).map((p) => [p.id, p]),
  );
  valid.sort((x, y) => (x.point.id === y.point.id ? x.ms - y.ms || x.report.row - y.report.row : x.point.id < y.point.id ? -1 : 1));
  const workOrderIds: string[] = [];
  let imported = 0;
  // One call per point: its rows are next to each other, in time order.
  for (let from = 0; from < valid.length; ) {
    let to = from + 1;
    while (to < valid.length && valid[to].point.id === valid[from].point.id) to++;
    const rowsOfPoint = valid.slice(from, to);
    const outcomes = await recordReadings(
      tx,
      registry,
      locked.get(valid[from].point.id)!,
      rowsOfPoint.map((v) => ({ value: v.report.value!, readAt: v.report.readAt!, source: 'import', sourceRef: v.sourceRef })),
      { storeRejected: false, log: o.log },
    );
    rowsOfPoint.forEach((v, k) => {
      const outcome = outcomes[k];
      v.report.readingId = outcome.id || null;
      if (!outcome.created && outcome.id) v.report.status = 'duplicate';
      else if (outcome.status === 'rejected') v.report.message = outcome.reason;
      else {
        v.report.status = outcome.status;
        v.report.message = outcome.reason;
        imported++;
      }
      workOrderIds.push(...outcome.workOrderIds);
    });
    from = to;
  }
  const count = (s: ImportRowReport['status']) => rows.filter((r) => r.status === s).length;
  const report: ImportReport = {
    dryRun: o.dryRun,
    skipInvalidRows: o.skipInvalidRows,
    counts: { rows: rows.length, accepted: count('accepted'), flagged: count('flagged'), duplicate: count('duplicate'), invalid: count('invalid') },
    imported: o.dryRun ? 0 : imported,
    rows,
    workOrderIds: o.dryRun ? [] : workOrderIds,
  };
  if (report.counts.invalid && !o.skipInvalidRows)
    throw new ProblemError({
      type: 'maintenance/import-rejected',
      status: 422,
      title: 'Import rejected',
      detail: `${report.counts.invalid} of ${rows.length} rows cannot be imported; nothing was imported (send skipInvalidRows to import the others)`,
      extensions: { counts: report.counts, rows: rows.filter((r) => r.status === 'invalid').slice(0, 1000) },
    });
  if (o.dryRun) throw new DryRunDone(report);
  return report;
}
