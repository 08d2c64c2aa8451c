/**
 * Maintenance reports: PM compliance, backlog, MTBF / MTTR, maintenance cost per asset,
 * calibration compliance, the upcoming-work calendar and the dashboard's figures.
 *
 * The classifications and formulas are the domain's (`classifyCompliance`, `mtbfMttr`,
 * `calibrationStatus`, the calendar trigger's due dates); this file reads the rows they need and
 * adds up. Money is added in SQL numeric and decimal.js, never in binary floats; amounts of
 * different currencies are never added together. Periods are ISO dates, both ends included, as
 * whole UTC days.
 */
import type { PluginContext } from '@quartermaster/sdk';
import { isoInstant, sqlParams, type Db } from '@quartermaster/core';
import {
  D,
  OPEN_WORK_ORDER_STATUSES,
  ZERO,
  addDays,
  calendarDueDates,
  calibrationStatus,
  classifyCompliance,
  dec,
  fixedText,
  mtbfMttr,
  toDay,
  type CalendarRule,
  type CalibrationStatus,
  type ComplianceStatus,
  type Dec,
  type FailureRecord,
} from '../../domain/index.js';
import { kindState, triggerRegistryOf, WORKING_ASSET_STATUSES } from './generation.service.js';
import { previewPlan } from './plans.service.js';

/** Work order types PM compliance is about. */
export const PM_TYPES = ['preventive', 'inspection', 'calibration'] as const;
export const COMPLIANCE_CLASSES = ['on-time', 'late', 'missed', 'open', 'upcoming'] as const;
/** Age of open work orders, in whole days since they were created. */
export const AGE_BUCKETS = [
  { label: '0-7', min: 0, max: 7 },
  { label: '8-30', min: 8, max: 30 },
  { label: '31-90', min: 31, max: 90 },
  { label: '91+', min: 91, max: Infinity },
] as const;
/** The calendar answers at most this many days at once. */
export const MAX_CALENDAR_DAYS = 92;
/** …and at most this many entries (then `truncated`). */
export const MAX_CALENDAR_ENTRIES = 5000;

/** Percent with 2 decimals, null without a base. */
export const percent = (part: number | Dec, whole: number | Dec): string | null => {
  const w = new D(whole);
  return w.isZero() ? null : fixedText(new D(part).times(100).div(w), 2);
};
const hoursOfMinutes = (minutes: number | string | null) => fixedText(new D(minutes ?? 0).div(60), 2);

/** `categoryId` / `locationId` filters include everything below them. */
export const subtreeOf = (table: 'core_category' | 'core_location', param: string) =>
  `(WITH RECURSIVE sub AS (SELECT id FROM ${table} WHERE id = ${param} UNION ALL SELECT c.id FROM ${table} c JOIN sub ON c.parent_id = sub.id) SELECT id FROM sub)`;

export interface AssetFilter {
  categoryId?: string;
  locationId?: string;
}
/** WHERE parts for an asset alias `a` (and their values through `p`). */
export function assetFilters(f: AssetFilter, p: (v: unknown) => string): string[] {
  const where: string[] = [];
  if (f.categoryId) where.push(`a.category_id IN ${subtreeOf('core_category', `${p(f.categoryId)}::uuid`)}`);
  if (f.locationId) where.push(`a.location_id IN ${subtreeOf('core_location', `${p(f.locationId)}::uuid`)}`);
  return where;
}

/** Names of categories (or plans) by id, for group labels. */
async function categoryNames(db: Db, ids: (string | null)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((x): x is string => !!x))];
  if (!wanted.length) return new Map();
  const rows = await db.execute<{ id: string; name: string }>(`SELECT id, name FROM core_category WHERE id = ANY($1::uuid[])`, [wanted]);
  return new Map(rows.map((r) => [r.id, r.name]));
}

// ---------------------------------------------------------------------------------------------
// PM compliance

export interface ComplianceCounts {
  total: number;
  onTime: number;
  late: number;
  missed: number;
  open: number;
  upcoming: number;
  /** Cancelled orders due in the period: listed, not part of the percentage. */
  cancelled: number;
  /** on-time ÷ (on-time + late + missed), in percent with 2 decimals; null when nothing is decided yet. */
  compliance: string | null;
}
const emptyCounts = () => ({ total: 0, onTime: 0, late: 0, missed: 0, open: 0, upcoming: 0, cancelled: 0 });
type Counter = ReturnType<typeof emptyCounts>;
const KEY: Record<ComplianceStatus, keyof Counter> = { 'on-time': 'onTime', late: 'late', missed: 'missed', open: 'open', upcoming: 'upcoming' };
const finish = (c: Counter): ComplianceCounts => ({ ...c, compliance: percent(c.onTime, c.onTime + c.late + c.missed) });

export interface ComplianceRow {
  id: string;
  number: string;
  type: string;
  status: string;
  title: string;
  asset_id: string;
  tag: string;
  category_id: string | null;
  plan_id: string | null;
  plan_code: string | null;
  plan_name: string | null;
  due_on: string;
  completed_on: string | null;
}

/** Orders of the PM types due in [from, to] (asset filters apply); `completed_on` only for completed or closed ones. */
export function complianceQuery(from: string, to: string, f: AssetFilter & { planId?: string }) {
  const { values, p } = sqlParams();
  const where = [`w.type = ANY(${p(PM_TYPES)}::text[])`, `w.due_on BETWEEN ${p(from)}::date AND ${p(to)}::date`, ...assetFilters(f, p)];
  if (f.planId) where.push(`w.plan_id = ${p(f.planId)}`);
  const sql = `
    SELECT w.id, w.number::text AS number, w.type, w.status, w.title, w.asset_id, a.tag, a.category_id, w.plan_id, pl.code AS plan_code, pl.name AS plan_name,
           w.due_on::text AS due_on,
           CASE WHEN w.status IN ('completed','closed') THEN (w.completed_at AT TIME ZONE 'UTC')::date::text END AS completed_on
      FROM maintenance_work_order w JOIN fixed_assets_asset a ON a.id = w.asset_id LEFT JOIN maintenance_plan pl ON pl.id = w.plan_id
     WHERE ${where.join(' AND ')}
     ORDER BY w.due_on, w.number`;
  return { sql, values };
}

/** The domain's class of one order, or `cancelled`. */
export const complianceClass = (r: Pick<ComplianceRow, 'status' | 'due_on' | 'completed_on'>, graceDays: number, today: string): ComplianceStatus | 'cancelled' =>
  r.status === 'cancelled' ? 'cancelled' : classifyCompliance(r.due_on, r.completed_on, graceDays, today);

export async function pmCompliance(db: Db, from: string, to: string, f: AssetFilter & { planId?: string }, graceDays: number, today: string) {
  const q = complianceQuery(from, to, f);
  const rows = await db.execute<ComplianceRow>(q.sql, q.values);
  const totals = emptyCounts();
  const byCategory = new Map<string | null, Counter>();
  const byPlan = new Map<string | null, Counter & { code: string | null; name: string | null }>();
  for (const r of rows) {
    const cls = complianceClass(r, graceDays, today);
    const key = cls === 'cancelled' ? 'cancelled' : KEY[cls];
    const cat = byCategory.get(r.category_id) ?? emptyCounts();
    const plan = byPlan.get(r.plan_id) ?? { ...emptyCounts(), code: r.plan_code, name: r.plan_name };
    for (const c of [totals, cat, plan]) {
      c[key]++;
      c.total++;
    }
    byCategory.set(r.category_id, cat);
    byPlan.set(r.plan_id, plan);
  }
  const names = await categoryNames(db, [...byCategory.keys()]);
  const nullsLast = (a: string | null, b: string | null) => (a === null ? 1 : 0) - (b === null ? 1 : 0);
  return {
    from,
    to,
    asOf: today,
    graceDays,
    totals: finish(totals),
    byCategory: [...byCategory.entries()]
      .map(([id, c]) => ({ categoryId: id, label: id ? (names.get(id) ?? id) : '(no category)', ...finish(c) }))
      .sort((x, y) => nullsLast(x.categoryId, y.categoryId) || x.label.localeCompare(y.label)),
    byPlan: [...byPlan.entries()]
      .map(([id, { code, name, ...c }]) => ({ planId: id, code, label: id ? `${code} ${name}` : '(no plan)', ...finish(c) }))
      .sort((x, y) => nullsLast(x.planId, y.planId) || x.label.localeCompare(y.label)),
  };
}

// ---------------------------------------------------------------------------------------------
// Backlog

export interface BacklogFilter extends AssetFilter {
  type?: string[];
  teamId?: string;
  assigneeUserId?: string;
}

/** Open orders (asset filters, type, team, assignee) with their age, planned and booked minutes. */
export function backlogQuery(f: BacklogFilter, today: string) {
  const { values, p } = sqlParams();
  const where = [`w.status = ANY(${p(OPEN_WORK_ORDER_STATUSES)}::text[])`, ...assetFilters(f, p)];
  if (f.type?.length) where.push(`w.type = ANY(${p(f.type)}::text[])`);
  if (f.teamId) where.push(`w.team_id = ${p(f.teamId)}`);
  if (f.assigneeUserId) where.push(`w.assignee_user_id = ${p(f.assigneeUserId)}`);
  const sql = `
    SELECT w.id, w.number::text AS number, w.type, w.status, w.priority, w.title, w.asset_id, a.tag, a.name AS asset_name, w.due_on::text AS due_on, w.created_at,
           (${p(today)}::date - (w.created_at AT TIME ZONE 'UTC')::date) AS age_days,
           coalesce(w.planned_minutes, 0) AS planned_minutes,
           coalesce((SELECT sum(l.minutes) FROM maintenance_labour l WHERE l.work_order_id = w.id), 0)::int AS booked_minutes
      FROM maintenance_work_order w JOIN fixed_assets_asset a ON a.id = w.asset_id
     WHERE ${where.join(' AND ')}
     ORDER BY w.created_at, w.number`;
  return { sql, values };
}

export interface BacklogRow {
  id: string;
  number: string;
  type: string;
  status: string;
  priority: string;
  title: string;
  asset_id: string;
  tag: string;
  asset_name: string;
  due_on: string | null;
  created_at: Date | string;
  age_days: number;
  planned_minutes: number;
  booked_minutes: number;
}

export const ageBucket = (days: number) => AGE_BUCKETS.find((b) => days >= b.min && days <= b.max)!.label;

export async function backlog(db: Db, f: BacklogFilter, today: string) {
  const q = backlogQuery(f, today);
  const rows = await db.execute<BacklogRow>(q.sql, q.values);
  const count = <K extends string>(keys: readonly K[], of: (r: BacklogRow) => string) => Object.fromEntries(keys.map((k) => [k, rows.filter((r) => of(r) === k).length])) as Record<K, number>;
  let planned = 0;
  let booked = 0;
  let outstanding = 0;
  for (const r of rows) {
    planned += Number(r.planned_minutes);
    booked += Number(r.booked_minutes);
    outstanding += Math.max(Number(r.planned_minutes) - Number(r.booked_minutes), 0);
  }
  return {
    asOf: today,
    open: rows.length,
    overdue: rows.filter((r) => r.due_on !== null && r.due_on < today).length,
    byStatus: count(OPEN_WORK_ORDER_STATUSES as readonly (typeof OPEN_WORK_ORDER_STATUSES)[number][], (r) => r.status),
    byPriority: count(['low', 'medium', 'high', 'urgent'] as const, (r) => r.priority),
    byType: count(['preventive', 'corrective', 'inspection', 'calibration'] as const, (r) => r.type),
    byAge: AGE_BUCKETS.map((b) => ({ bucket: b.label, count: rows.filter((r) => ageBucket(Number(r.age_days)) === b.label).length })),
    plannedHours: hoursOfMinutes(planned),
    bookedHours: hoursOfMinutes(booked),
    /** Planned hours not yet booked, per order (an order that took longer than planned adds nothing). */
    outstandingHours: hoursOfMinutes(outstanding),
    rows,
  };
}

// ---------------------------------------------------------------------------------------------
// MTBF / MTTR

export interface Window {
  start: string;
  end: string;
}
/** [from 00:00Z, to + 1 day 00:00Z), cut off at now; null when it starts in the future. */
export function periodWindow(from: string, to: string, now = Date.now()): Window | null {
  const start = toDay(from) * 86_400_000;
  const end = Math.min((toDay(to) + 1) * 86_400_000, now);
  if (end <= start) return null;
  return { start: new Date(start).toISOString(), end: new Date(end).toISOString() };
}

interface FailureRow {
  asset_id: string;
  tag: string;
  name: string;
  category_id: string | null;
  failed_at: Date | string;
  restored_at: Date | string | null;
}

export interface ReliabilityFigures {
  failures: number;
  repaired: number;
  downtimeHours: string;
  uptimeHours: string;
  mtbfHours: string | null;
  mttrHours: string | null;
  availability: string;
}

/**
 * MTBF and MTTR from corrective work orders: the failure began at `failed_at` (else `reported_at`,
 * else when the order was created) and ended when the order was completed (completed or closed;
 * still open: down until the period end). Cancelled orders are not failures. Per asset, the
 * domain's `mtbfMttr` over the period; per category, the assets' figures added up: uptime = the
 * category's assets × period − their downtime, MTBF = uptime ÷ failures, MTTR = repair hours ÷
 * repaired failures.
 */
export async function reliability(db: Db, from: string, to: string, f: AssetFilter, w: Window) {
  const { values, p } = sqlParams();
  const where = [`w.type = 'corrective'`, `w.status <> 'cancelled'`, ...assetFilters(f, p)];
  const failedAt = `coalesce(w.failed_at, w.reported_at, w.created_at)`;
  const restoredAt = `CASE WHEN w.status IN ('completed','closed') THEN w.completed_at END`;
  const rows = await db.execute<FailureRow>(
    `SELECT w.asset_id, a.tag, a.name, a.category_id, ${failedAt} AS failed_at, ${restoredAt} AS restored_at
       FROM maintenance_work_order w JOIN fixed_assets_asset a ON a.id = w.asset_id
      WHERE ${where.join(' AND ')} AND ${failedAt} < ${p(w.end)}::timestamptz AND (${restoredAt} IS NULL OR ${restoredAt} > ${p(w.start)}::timestamptz)
      ORDER BY a.tag, ${failedAt}`,
    values,
  );
  const byAsset = new Map<string, { assetId: string; tag: string; name: string; categoryId: string | null; failures: FailureRecord[] }>();
  for (const r of rows) {
    const a = byAsset.get(r.asset_id) ?? { assetId: r.asset_id, tag: r.tag, name: r.name, categoryId: r.category_id, failures: [] };
    // A completion recorded before the failure time someone typed in is taken as an instant repair.
    const failed = isoInstant(r.failed_at)!;
    const restored = r.restored_at === null ? null : isoInstant(r.restored_at)!;
    a.failures.push({ failedAt: failed, restoredAt: restored !== null && restored < failed ? failed : restored });
    byAsset.set(r.asset_id, a);
  }
  const period = new D(Date.parse(w.end) - Date.parse(w.start)).div(3_600_000);
  const assets = [...byAsset.values()].map((a) => {
    const fine = mtbfMttr(a.failures, w.start, w.end, 6);
    const shown = mtbfMttr(a.failures, w.start, w.end);
    return {
      assetId: a.assetId,
      tag: a.tag,
      name: a.name,
      categoryId: a.categoryId,
      figures: { failures: shown.failures, repaired: shown.repaired, downtimeHours: shown.downtimeHours, uptimeHours: shown.uptimeHours, mtbfHours: shown.mtbfHours, mttrHours: shown.mttrHours, availability: shown.availability },
      fine,
    };
  });
  // Per category: how many of its assets were there in the period (acquired — bought, else registered — by its end, not disposed of before its start).
  const c = sqlParams();
  const cWhere = [`coalesce(a.purchase_date, (a.created_at AT TIME ZONE 'UTC')::date) <= ${c.p(to)}::date`, `(a.disposed_on IS NULL OR a.disposed_on >= ${c.p(from)}::date)`, ...assetFilters(f, c.p)];
  const cats = await db.execute<{ category_id: string | null; n: number }>(
    `SELECT a.category_id, count(*)::int AS n FROM fixed_assets_asset a WHERE ${cWhere.join(' AND ')} GROUP BY a.category_id`,
    c.values,
  );
  /** Figures of a group of assets: its failures and downtime added up, over `count` assets × the period. */
  const group = (members: typeof assets, count: number) => {
    const failures = members.reduce((n, a) => n + a.fine.failures, 0);
    const repaired = members.reduce((n, a) => n + a.fine.repaired, 0);
    const down = members.reduce((sum, a) => sum.plus(a.fine.downtimeHours), ZERO);
    const repairHours = members.reduce((sum, a) => (a.fine.mttrHours === null ? sum : sum.plus(dec(a.fine.mttrHours).times(a.fine.repaired))), ZERO);
    const total = period.times(count);
    const up = total.minus(down);
    return {
      assets: count,
      failures,
      repaired,
      downtimeHours: fixedText(down, 2),
      uptimeHours: fixedText(up, 2),
      mtbfHours: failures ? fixedText(up.div(failures), 2) : null,
      mttrHours: repaired ? fixedText(repairHours.div(repaired), 2) : null,
      availability: fixedText(total.isZero() ? ZERO : up.div(total), 4),
    };
  };
  const countOf = (categoryId: string | null) => cats.find((x) => x.category_id === categoryId)?.n ?? 0;
  const categoryIds = [...new Set(assets.map((a) => a.categoryId))];
  const names = await categoryNames(db, categoryIds);
  const byCategory = categoryIds.map((categoryId) => {
    const members = assets.filter((a) => a.categoryId === categoryId);
    return { categoryId, label: categoryId ? (names.get(categoryId) ?? categoryId) : '(no category)', ...group(members, Math.max(countOf(categoryId), members.length)) };
  });
  byCategory.sort((x, y) => (x.categoryId === null ? 1 : 0) - (y.categoryId === null ? 1 : 0) || x.label.localeCompare(y.label));
  const allAssets = Math.max(cats.reduce((n, x) => n + x.n, 0), assets.length);
  return {
    from,
    to,
    periodStart: w.start,
    periodEnd: w.end,
    periodHours: fixedText(period, 2),
    /** Every asset of the report (with or without failures). */
    totals: group(assets, allAssets),
    byCategory,
    /** Most failures first, then most downtime. */
    assets: assets
      .sort((x, y) => y.fine.failures - x.fine.failures || dec(y.fine.downtimeHours).comparedTo(x.fine.downtimeHours) || x.tag.localeCompare(y.tag))
      .map((a) => ({ assetId: a.assetId, tag: a.tag, name: a.name, categoryId: a.categoryId, ...a.figures })),
  };
}

// ---------------------------------------------------------------------------------------------
// Maintenance cost per asset

/**
 * Per asset: labour, parts and external cost of its work orders completed (or closed) in the
 * period — by the day of the last completion — and the cost of its calibrations performed in the
 * period. Assets without any are left out.
 */
export function costQuery(from: string, to: string, f: AssetFilter) {
  const { values, p } = sqlParams();
  const fromP = p(from);
  const toP = p(to);
  const where = assetFilters(f, p);
  const sql = `
    WITH wo AS (
      SELECT w.asset_id, count(*) AS n, sum(w.labour_cost) AS labour, sum(w.parts_cost) AS parts, sum(w.external_cost) AS external
        FROM maintenance_work_order w
       WHERE w.status IN ('completed','closed') AND (w.completed_at AT TIME ZONE 'UTC')::date BETWEEN ${fromP}::date AND ${toP}::date
       GROUP BY w.asset_id),
    cal AS (
      SELECT c.asset_id, count(*) AS n, sum(c.cost) AS cost FROM maintenance_calibration c
       WHERE c.cost IS NOT NULL AND c.performed_on BETWEEN ${fromP}::date AND ${toP}::date GROUP BY c.asset_id),
    x AS (
      SELECT a.id AS asset_id, a.tag, a.name, a.category_id, a.currency, coalesce(wo.n, 0)::int AS work_orders, coalesce(cal.n, 0)::int AS calibrations,
             coalesce(wo.labour, 0) AS labour, coalesce(wo.parts, 0) AS parts, coalesce(wo.external, 0) AS external, coalesce(cal.cost, 0) AS calibration,
             coalesce(wo.labour, 0) + coalesce(wo.parts, 0) + coalesce(wo.external, 0) + coalesce(cal.cost, 0) AS total
        FROM fixed_assets_asset a LEFT JOIN wo ON wo.asset_id = a.id LEFT JOIN cal ON cal.asset_id = a.id
       WHERE (wo.asset_id IS NOT NULL OR cal.asset_id IS NOT NULL)${where.length ? ` AND ${where.join(' AND ')}` : ''})`;
  return { sql, values };
}

export interface CostRow {
  asset_id: string;
  tag: string;
  name: string;
  category_id: string | null;
  currency: string;
  work_orders: number;
  calibrations: number;
  labour: string;
  parts: string;
  external: string;
  calibration: string;
  total: string;
}
export const COST_COLUMNS = `x.asset_id, x.tag, x.name, x.category_id, x.currency, x.work_orders, x.calibrations, x.labour::text AS labour, x.parts::text AS parts,
  x.external::text AS external, x.calibration::text AS calibration, x.total::text AS total`;

// ---------------------------------------------------------------------------------------------
// Calibration compliance

export interface InstrumentStatusRow {
  asset_id: string;
  tag: string;
  name: string;
  category_id: string | null;
  location_id: string | null;
  due_on: string | null;
  warn_days: number;
  last_calibrated_on: string | null;
  last_result: 'pass' | 'fail' | null;
}

export async function calibrationCompliance(db: Db, from: string, to: string, f: AssetFilter, today: string) {
  const { values, p } = sqlParams();
  const where = ['i.active', ...assetFilters(f, p)];
  const instruments = await db.execute<InstrumentStatusRow>(
    `SELECT i.asset_id, a.tag, a.name, a.category_id, a.location_id, i.due_on::text AS due_on, i.warn_days, i.last_calibrated_on::text AS last_calibrated_on, i.last_result
       FROM maintenance_instrument i JOIN fixed_assets_asset a ON a.id = i.asset_id
      WHERE ${where.join(' AND ')} AND a.status <> 'disposed'
      ORDER BY i.due_on NULLS FIRST, a.tag`,
    values,
  );
  const status = (r: InstrumentStatusRow): CalibrationStatus => calibrationStatus(r.due_on, today, r.warn_days);
  const byStatus = { current: 0, 'due-soon': 0, overdue: 0, never: 0 } as Record<CalibrationStatus, number>;
  for (const r of instruments) byStatus[status(r)]++;
  const overdue = instruments
    .filter((r) => status(r) === 'overdue')
    .map((r) => ({ assetId: r.asset_id, tag: r.tag, name: r.name, categoryId: r.category_id, locationId: r.location_id, dueOn: r.due_on!, daysOverdue: toDay(today) - toDay(r.due_on!), lastCalibratedOn: r.last_calibrated_on, lastResult: r.last_result }));

  const r = sqlParams();
  const rWhere = [`c.performed_on BETWEEN ${r.p(from)}::date AND ${r.p(to)}::date`, ...assetFilters(f, r.p)];
  const [results] = await db.execute<{ total: number; pass: number; fail: number; as_found_failed: number; adjusted: number }>(
    `SELECT count(*)::int AS total, count(*) FILTER (WHERE c.result = 'pass')::int AS pass, count(*) FILTER (WHERE c.result = 'fail')::int AS fail,
            count(*) FILTER (WHERE c.as_found_failed)::int AS as_found_failed,
            count(*) FILTER (WHERE EXISTS (SELECT 1 FROM jsonb_array_elements(c.points) pt WHERE pt->>'asLeft' IS NOT NULL))::int AS adjusted
       FROM maintenance_calibration c JOIN fixed_assets_asset a ON a.id = c.asset_id WHERE ${rWhere.join(' AND ')}`,
    r.values,
  );
  return {
    asOf: today,
    from,
    to,
    instruments: instruments.length,
    byStatus: { current: byStatus.current, dueSoon: byStatus['due-soon'], overdue: byStatus.overdue, never: byStatus.never },
    /** Instruments whose last calibration failed (whatever their due date). */
    failed: instruments.filter((i) => i.last_result === 'fail').length,
    overdue,
    results: { total: results.total, pass: results.pass, fail: results.fail, asFoundFailed: results.as_found_failed, adjusted: results.adjusted, passRate: percent(results.pass, results.total) },
    rows: instruments.map((i) => ({ ...i, status: status(i) })),
  };
}

// ---------------------------------------------------------------------------------------------
// Calendar

export interface CalendarFilter extends AssetFilter {
  assetId?: string;
  type?: string[];
}

export interface CalendarEntry {
  date: string;
  kind: 'work-order' | 'forecast';
  workOrderId: string | null;
  number: string | null;
  status: string | null;
  type: string;
  priority: string | null;
  title: string;
  assetId: string;
  assetTag: string;
  assetName: string;
  planId: string | null;
  planCode: string | null;
  dueOn: string | null;
  dueTotal: string | null;
  scheduledStart: string | null;
  scheduledEnd: string | null;
  /** Forecasts of meter plans: the date is estimated from the usage rate. */
  estimated: boolean;
}

interface PairRow {
  plan_id: string;
  code: string;
  name: string;
  trigger_kind: string;
  trigger_config: Record<string, any>;
  work_order_type: string;
  asset_id: string;
  tag: string;
  asset_name: string;
  has_state: boolean;
  trigger_state: Record<string, any> | null;
  last_completed_on: string | null;
  last_completed_total: string | null;
  next_due_on: string | null;
  next_due_total: string | null;
}

/**
 * What is planned from `from` to `to` (at most 92 days): work orders (not cancelled) on the day
 * they are scheduled to start, else on their due day; and occurrences of active plans not
 * generated yet — calendar plans' due dates from the domain's calendar (for each plan × asset the
 * scheduler has evaluated, and for plans of one asset also before that), meter plans' next due
 * total on the date forecast from the usage rate, contributed kinds' next due date. Condition plans
 * have no schedule. An occurrence that already has a work order is shown as the order.
 */
export async function calendar(ctx: PluginContext<any>, db: Db, from: string, to: string, f: CalendarFilter, today: string) {
  const { values, p } = sqlParams();
  const where = [`w.status <> 'cancelled'`, ...assetFilters(f, p)];
  if (f.assetId) where.push(`w.asset_id = ${p(f.assetId)}`);
  if (f.type?.length) where.push(`w.type = ANY(${p(f.type)}::text[])`);
  const day = `coalesce((w.scheduled_start AT TIME ZONE 'UTC')::date, w.due_on)`;
  const orders = await db.execute<Record<string, any>>(
    `SELECT ${day}::text AS day, w.id, w.number::text AS number, w.status, w.type, w.priority, w.title, w.asset_id, a.tag, a.name AS asset_name, w.plan_id, pl.code AS plan_code,
            w.due_on::text AS due_on, w.due_total::text AS due_total, w.scheduled_start, w.scheduled_end
       FROM maintenance_work_order w JOIN fixed_assets_asset a ON a.id = w.asset_id LEFT JOIN maintenance_plan pl ON pl.id = w.plan_id
      WHERE ${where.join(' AND ')} AND ${day} BETWEEN ${p(from)}::date AND ${p(to)}::date
      ORDER BY ${day}, w.number LIMIT ${MAX_CALENDAR_ENTRIES + 1}`,
    values,
  );
  const entries: CalendarEntry[] = orders.map((o) => ({
    date: o.day,
    kind: 'work-order',
    workOrderId: o.id,
    number: `WO-${String(o.number).padStart(6, '0')}`,
    status: o.status,
    type: o.type,
    priority: o.priority,
    title: o.title,
    assetId: o.asset_id,
    assetTag: o.tag,
    assetName: o.asset_name,
    planId: o.plan_id,
    planCode: o.plan_code,
    dueOn: o.due_on,
    dueTotal: o.due_total,
    scheduledStart: isoInstant(o.scheduled_start),
    scheduledEnd: isoInstant(o.scheduled_end),
    estimated: false,
  }));

  // Plan × asset pairs that may fall due in the range.
  const s = sqlParams();
  const pWhere = [`pl.active`, `pl.trigger_kind <> 'condition'`, `a.status = ANY(${s.p(WORKING_ASSET_STATUSES)}::text[])`, ...assetFilters(f, s.p)];
  if (f.assetId) pWhere.push(`a.id = ${s.p(f.assetId)}`);
  if (f.type?.length) pWhere.push(`pl.work_order_type = ANY(${s.p(f.type)}::text[])`);
  const toP = s.p(to);
  const pairs = await db.execute<PairRow>(
    `SELECT pl.id AS plan_id, pl.code, pl.name, pl.trigger_kind, pl.trigger_config, pl.work_order_type, a.id AS asset_id, a.tag, a.name AS asset_name,
            st.plan_id IS NOT NULL AS has_state, st.trigger_state, st.last_completed_on::text AS last_completed_on, st.last_completed_total::text AS last_completed_total,
            st.next_due_on::text AS next_due_on, st.next_due_total::text AS next_due_total
       FROM maintenance_plan pl
       JOIN maintenance_plan_state st ON st.plan_id = pl.id
       JOIN fixed_assets_asset a ON a.id = st.asset_id
      WHERE ${pWhere.join(' AND ')} AND (st.next_due_on IS NULL OR st.next_due_on <= ${toP}::date)
     UNION ALL
     SELECT pl.id, pl.code, pl.name, pl.trigger_kind, pl.trigger_config, pl.work_order_type, a.id, a.tag, a.name, false, NULL, NULL, NULL, NULL, NULL
       FROM maintenance_plan pl JOIN fixed_assets_asset a ON a.id = pl.asset_id
      WHERE ${pWhere.join(' AND ')} AND NOT EXISTS (SELECT 1 FROM maintenance_plan_state st WHERE st.plan_id = pl.id AND st.asset_id = a.id)
      ORDER BY 1, 7`,
    s.values,
  );
  const registry = triggerRegistryOf(ctx);
  const forecasts: CalendarEntry[] = [];
  const forecast = (pair: PairRow, date: string, dueTotal: string | null, estimated: boolean): CalendarEntry => ({
    date,
    kind: 'forecast',
    workOrderId: null,
    number: null,
    status: null,
    type: pair.work_order_type,
    priority: null,
    title: pair.name,
    assetId: pair.asset_id,
    assetTag: pair.tag,
    assetName: pair.asset_name,
    planId: pair.plan_id,
    planCode: pair.code,
    dueOn: estimated ? null : date,
    dueTotal,
    scheduledStart: null,
    scheduledEnd: null,
    estimated,
  });
  for (const pair of pairs) {
    if (forecasts.length > MAX_CALENDAR_ENTRIES) break;
    const kind = registry.get(pair.trigger_kind);
    if (!kind) continue;
    const stored = pair.has_state ? { trigger_state: pair.trigger_state ?? {}, last_completed_on: pair.last_completed_on, last_completed_total: pair.last_completed_total } : null;
    try {
      if (pair.trigger_kind === 'calendar') {
        const state = kindState(kind, pair, stored, today) as { startOn: string; lastGeneratedDueOn?: string | null; lastCompletedOn?: string | null };
        const start = [from, state.lastGeneratedDueOn ? addDays(state.lastGeneratedDueOn, 1) : from].sort().pop()!;
        if (start > to) continue;
        for (const o of calendarDueDates(pair.trigger_config as unknown as CalendarRule, state, start, to, MAX_CALENDAR_DAYS)) forecasts.push(forecast(pair, o.dueOn, null, false));
      } else if (pair.trigger_kind === 'meter') {
        if (!pair.next_due_total && pair.has_state) continue;
        const preview = await previewPlan(db, registry, { id: pair.plan_id, trigger_kind: pair.trigger_kind, trigger_config: pair.trigger_config }, pair.asset_id, today, 3);
        for (const o of preview.occurrences) if (o.dueOn && o.dueOn >= from && o.dueOn <= to) forecasts.push(forecast(pair, o.dueOn, o.dueTotal, o.forecast));
      } else if (pair.next_due_on && pair.next_due_on >= from && pair.next_due_on <= to) {
        forecasts.push(forecast(pair, pair.next_due_on, null, false));
      }
    } catch (err) {
      ctx.log.warn({ err, planId: pair.plan_id, assetId: pair.asset_id }, 'calendar forecast of a plan failed');
    }
  }
  // An occurrence that already has its work order is shown as the order.
  if (forecasts.length) {
    const existing = await db.execute<{ plan_id: string; asset_id: string; due_on: string | null; due_total: string | null }>(
      `SELECT plan_id, asset_id, due_on::text AS due_on, due_total::text AS due_total FROM maintenance_work_order WHERE plan_id = ANY($1::uuid[])`,
      [[...new Set(forecasts.map((x) => x.planId))]],
    );
    const keys = new Set(existing.flatMap((e) => [`${e.plan_id}|${e.asset_id}|d${e.due_on}`, ...(e.due_total !== null ? [`${e.plan_id}|${e.asset_id}|t${dec(e.due_total).toFixed()}`] : [])]));
    const kept = forecasts.filter((x) => !keys.has(`${x.planId}|${x.assetId}|d${x.dueOn}`) && !(x.dueTotal !== null && keys.has(`${x.planId}|${x.assetId}|t${dec(x.dueTotal).toFixed()}`)));
    entries.push(...kept);
  }
  entries.sort((x, y) => x.date.localeCompare(y.date) || (x.kind === y.kind ? 0 : x.kind === 'work-order' ? -1 : 1) || x.assetTag.localeCompare(y.assetTag) || (x.number ?? x.planCode ?? '').localeCompare(y.number ?? y.planCode ?? ''));
  const truncated = entries.length > MAX_CALENDAR_ENTRIES;
  return { from, to, truncated, entries: entries.slice(0, MAX_CALENDAR_ENTRIES) };
}
