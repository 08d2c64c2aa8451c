/**
 * Maintenance reports (JSON, or CSV with `format=csv`), the upcoming-work calendar and the
 * dashboard's figures. All need `maintenance.read`. Mounted under /api/maintenance.
 */
import { Type, problems, DecimalOut, IsoDate, Instant, Nullable, PageQuery, Uuid, errorResponses, lit, neutraliseFormula, pageOf, toCsv, type CsvValue, type PluginApp, type PluginContext } from '@quartermaster/sdk';
import { readerOf, sendQueryAsCsv, sqlParams } from '@quartermaster/core';
import type { FastifyReply } from 'fastify';
import { PRIORITIES, WORK_ORDER_STATUSES, WORK_ORDER_TYPES, permissions } from '../../shared/index.js';
import { addDays, daysBetween, fixedText, tryDec } from '../../domain/index.js';
import type { MaintenanceOptions } from '../options.js';
import { todayUtc } from '../services/calibration.service.js';
import {
  AGE_BUCKETS,
  COST_COLUMNS,
  MAX_CALENDAR_DAYS,
  PM_TYPES,
  ageBucket,
  backlog,
  backlogQuery,
  calendar,
  calibrationCompliance,
  complianceClass,
  complianceQuery,
  costQuery,
  periodWindow,
  pmCompliance,
  reliability,
  type BacklogRow,
  type ComplianceRow,
  type CostRow,
} from '../services/reports.service.js';

const Format = Type.Optional(lit(['json', 'csv'] as const));
const FormatDoc = ' With `format=csv` the report comes as CSV (RFC 4180, UTF-8, CRLF; text a spreadsheet would run as a formula is prefixed with an apostrophe).';
const Period = { from: IsoDate, to: IsoDate };
const AssetFilters = { categoryId: Type.Optional(Uuid), locationId: Type.Optional(Uuid) };
const Types = Type.Optional(Type.Array(lit(WORK_ORDER_TYPES), { maxItems: 4, uniqueItems: true }));

export const ComplianceQuery = Type.Object({ ...Period, ...AssetFilters, planId: Type.Optional(Uuid), format: Format }, { additionalProperties: false });
export const BacklogQuery = Type.Object(
  { ...AssetFilters, type: Types, teamId: Type.Optional(Uuid), assigneeUserId: Type.Optional(Uuid), format: Format },
  { additionalProperties: false },
);
export const ReliabilityQuery = Type.Object({ ...Period, ...AssetFilters, format: Format }, { additionalProperties: false });
export const CostQuery = Type.Object({ ...Period, ...AssetFilters, ...PageQuery, format: Format }, { additionalProperties: false });
export const CalibrationReportQuery = Type.Object({ ...Period, ...AssetFilters, format: Format }, { additionalProperties: false });
export const CalendarQuery = Type.Object({ ...Period, ...AssetFilters, assetId: Type.Optional(Uuid), type: Types }, { additionalProperties: false });
export const DashboardQuery = Type.Object({}, { additionalProperties: false });

const Counts = {
  total: Type.Integer(),
  onTime: Type.Integer(),
  late: Type.Integer(),
  missed: Type.Integer(),
  open: Type.Integer(),
  upcoming: Type.Integer(),
  cancelled: Type.Integer(),
  /** on-time ÷ (on-time + late + missed), percent with 2 decimals. */
  compliance: Nullable(DecimalOut),
};
const ComplianceOut = Type.Object({
  from: IsoDate,
  to: IsoDate,
  asOf: IsoDate,
  graceDays: Type.Integer(),
  totals: Type.Object(Counts),
  byCategory: Type.Array(Type.Object({ categoryId: Nullable(Uuid), label: Type.String(), ...Counts })),
  byPlan: Type.Array(Type.Object({ planId: Nullable(Uuid), code: Nullable(Type.String()), label: Type.String(), ...Counts })),
});

const countsOf = <T extends readonly string[]>(keys: T) => Type.Object(Object.fromEntries(keys.map((k) => [k, Type.Integer()])) as Record<T[number], ReturnType<typeof Type.Integer>>);
const OPEN = ['requested', 'approved', 'scheduled', 'in-progress', 'on-hold'] as const;
const BacklogOut = Type.Object({
  asOf: IsoDate,
  open: Type.Integer(),
  overdue: Type.Integer(),
  byStatus: countsOf(OPEN),
  byPriority: countsOf(PRIORITIES),
  byType: countsOf(WORK_ORDER_TYPES),
  byAge: Type.Array(Type.Object({ bucket: lit(AGE_BUCKETS.map((b) => b.label)), count: Type.Integer() })),
  plannedHours: DecimalOut,
  bookedHours: DecimalOut,
  outstandingHours: DecimalOut,
});

const Figures = {
  failures: Type.Integer(),
  repaired: Type.Integer(),
  downtimeHours: DecimalOut,
  uptimeHours: DecimalOut,
  mtbfHours: Nullable(DecimalOut),
  mttrHours: Nullable(DecimalOut),
  availability: DecimalOut,
};
const ReliabilityOut = Type.Object({
  from: IsoDate,
  to: IsoDate,
  periodStart: Instant,
  periodEnd: Instant,
  periodHours: DecimalOut,
  totals: Type.Object({ assets: Type.Integer(), ...Figures }),
  byCategory: Type.Array(Type.Object({ categoryId: Nullable(Uuid), label: Type.String(), assets: Type.Integer(), ...Figures })),
  assets: Type.Array(Type.Object({ assetId: Uuid, tag: Type.String(), name: Type.String(), categoryId: Nullable(Uuid), ...Figures })),
});

const Money = { labour: DecimalOut, parts: DecimalOut, external: DecimalOut, calibration: DecimalOut, total: DecimalOut };
const CostOut = Type.Object({
  from: IsoDate,
  to: IsoDate,
  total: Type.Integer(),
  limit: Type.Integer(),
  offset: Type.Integer(),
  data: Type.Array(Type.Object({ assetId: Uuid, tag: Type.String(), name: Type.String(), categoryId: Nullable(Uuid), currency: Type.String(), workOrders: Type.Integer(), calibrations: Type.Integer(), ...Money })),
  totals: Type.Array(Type.Object({ currency: Type.String(), assets: Type.Integer(), workOrders: Type.Integer(), calibrations: Type.Integer(), ...Money })),
});

const CalibrationStatusCounts = Type.Object({ current: Type.Integer(), dueSoon: Type.Integer(), overdue: Type.Integer(), never: Type.Integer() });
const CalibrationReportOut = Type.Object({
  asOf: IsoDate,
  from: IsoDate,
  to: IsoDate,
  instruments: Type.Integer(),
  byStatus: CalibrationStatusCounts,
  failed: Type.Integer(),
  overdue: Type.Array(
    Type.Object({
      assetId: Uuid,
      tag: Type.String(),
      name: Type.String(),
      categoryId: Nullable(Uuid),
      locationId: Nullable(Uuid),
      dueOn: IsoDate,
      daysOverdue: Type.Integer(),
      lastCalibratedOn: Nullable(IsoDate),
      lastResult: Nullable(lit(['pass', 'fail'] as const)),
    }),
  ),
  results: Type.Object({ total: Type.Integer(), pass: Type.Integer(), fail: Type.Integer(), asFoundFailed: Type.Integer(), adjusted: Type.Integer(), passRate: Nullable(DecimalOut) }),
});

const CalendarOut = Type.Object({
  from: IsoDate,
  to: IsoDate,
  /** More than 5,000 entries: narrow the range or filter. */
  truncated: Type.Boolean(),
  entries: Type.Array(
    Type.Object({
      date: IsoDate,
      kind: lit(['work-order', 'forecast'] as const),
      workOrderId: Nullable(Uuid),
      number: Nullable(Type.String()),
      status: Nullable(lit(WORK_ORDER_STATUSES)),
      type: lit(WORK_ORDER_TYPES),
      priority: Nullable(lit(PRIORITIES)),
      title: Type.String(),
      assetId: Uuid,
      assetTag: Type.String(),
      assetName: Type.String(),
      planId: Nullable(Uuid),
      planCode: Nullable(Type.String()),
      dueOn: Nullable(IsoDate),
      dueTotal: Nullable(DecimalOut),
      scheduledStart: Nullable(Instant),
      scheduledEnd: Nullable(Instant),
      estimated: Type.Boolean(),
    }),
  ),
});

const DashboardOut = Type.Object({
  asOf: IsoDate,
  workOrders: Type.Object({
    open: Type.Integer(),
    byStatus: countsOf(OPEN),
    byPriority: countsOf(PRIORITIES),
    /** Open orders past their due date. */
    overdue: Type.Integer(),
    /** Open orders due today or in the next 6 days. */
    dueThisWeek: Type.Integer(),
  }),
  pmCompliance: Type.Object({ from: IsoDate, to: IsoDate, ...Counts }),
  calibration: Type.Object({ instruments: Type.Integer(), byStatus: CalibrationStatusCounts, failed: Type.Integer() }),
  reliability: Type.Object({ from: IsoDate, to: IsoDate, failures: Type.Integer(), repaired: Type.Integer(), mttrHours: Nullable(DecimalOut), mtbfHours: Nullable(DecimalOut) }),
});

/** Free text for an export: neutralised, null stays empty. */
const text = (v: string | null | undefined) => (v == null ? null : neutraliseFormula(v));
const fileName = (report: string, stamp: string) => `maintenance-${report}-${stamp.replace(/[^0-9A-Za-z-]/g, '')}.csv`;
const sendCsv = (reply: FastifyReply, name: string, header: readonly string[], rows: readonly (readonly CsvValue[])[]) =>
  reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}"`).header('cache-control', 'no-store').send(toCsv(header, rows));
const woNumber = (n: string) => `WO-${n.padStart(6, '0')}`;

/** `from` ≤ `to`, else 400 naming `to`. */
function checkPeriod(q: { from: string; to: string }, maxDays?: number) {
  if (q.to < q.from) throw problems.validation([{ field: 'to', message: 'must not be before from' }]);
  if (maxDays && daysBetween(q.from, q.to) + 1 > maxDays) throw problems.validation([{ field: 'to', message: `the range may span at most ${maxDays} days` }]);
}

export function reportRoutes(app: PluginApp, ctx: PluginContext<any>, options: MaintenanceOptions) {
  const db = readerOf(ctx);
  const minor = options.currencyMinorUnits;
  const money = (v: string) => fixedText(tryDec(v)!, minor);
  const grace = options.complianceGraceDays;
  const read = { permission: permissions.read };

  app.get(
    '/reports/pm-compliance',
    {
      config: read,
      schema: {
        summary: 'PM compliance: preventive, inspection and calibration work due in a period, done on time, late or missed',
        description: [
          `Work orders of type ${PM_TYPES.join(', ')} with a due date from \`from\` to \`to\` (both included). Each is **on-time** when completed (completed or closed) by its due date + the grace days (option \`complianceGraceDays\`, now ${grace}), **late** when completed after that, **missed** when not completed and the grace period is over, **open** while within it, **upcoming** before its due date. Cancelled orders are counted apart.`,
          '**compliance** = on-time ÷ (on-time + late + missed), percent with 2 decimals (null when nothing is decided yet). Totals, per category of the asset and per plan. `categoryId` and `locationId` include everything below them.',
        ].join('\n') + FormatDoc + ' The CSV has one row per work order with its class.',
        querystring: ComplianceQuery,
        response: { 200: ComplianceOut, ...errorResponses },
      },
    },
    async (req, reply) => {
      const q = req.query;
      checkPeriod(q);
      const today = todayUtc();
      if (q.format === 'csv') {
        const { sql, values } = complianceQuery(q.from, q.to, q);
        return sendQueryAsCsv(ctx, reply, {
          fileName: fileName('pm-compliance', `${q.from}-${q.to}`),
          header: ['work_order', 'type', 'status', 'title', 'asset_tag', 'plan', 'due_on', 'completed_on', 'compliance'],
          sql,
          params: values,
          toRow: (r) => {
            const row = r as ComplianceRow;
            return [woNumber(row.number), row.type, row.status, text(row.title), text(row.tag), text(row.plan_code), row.due_on, row.completed_on, complianceClass(row, grace, today)];
          },
        });
      }
      return pmCompliance(db, q.from, q.to, q, grace, today);
    },
  );

  app.get(
    '/reports/backlog',
    {
      config: read,
      schema: {
        summary: 'Backlog: open work orders by status, priority, type and age, with planned hours outstanding',
        description:
          'Open = requested, approved, scheduled, in progress or on hold. **byAge**: whole days since the order was created (0-7, 8-30, 31-90, 91+). **plannedHours**: the planned time of the open orders; **bookedHours**: labour booked on them so far; **outstandingHours**: per order, planned − booked when positive, added up. **overdue**: open orders past their due date.' +
          FormatDoc +
          ' The CSV has one row per open order.',
        querystring: BacklogQuery,
        response: { 200: BacklogOut, ...errorResponses },
      },
    },
    async (req, reply) => {
      const q = req.query;
      const today = todayUtc();
      if (q.format === 'csv') {
        const { sql, values } = backlogQuery(q, today);
        return sendQueryAsCsv(ctx, reply, {
          fileName: fileName('backlog', today),
          header: ['work_order', 'type', 'status', 'priority', 'title', 'asset_tag', 'created_on', 'age_days', 'age_bucket', 'due_on', 'planned_hours', 'booked_hours'],
          sql,
          params: values,
          toRow: (r) => {
            const row = r as BacklogRow;
            return [
              woNumber(row.number),
              row.type,
              row.status,
              row.priority,
              text(row.title),
              text(row.tag),
              new Date(row.created_at).toISOString().slice(0, 10),
              Number(row.age_days),
              ageBucket(Number(row.age_days)),
              row.due_on,
              fixedText(tryDec(row.planned_minutes)!.div(60), 2),
              fixedText(tryDec(row.booked_minutes)!.div(60), 2),
            ];
          },
        });
      }
      const { rows: _rows, ...report } = await backlog(db, q, today);
      return report;
    },
  );

  app.get(
    '/reports/reliability',
    {
      config: read,
      schema: {
        summary: 'MTBF and MTTR per asset and per category, from corrective work orders',
        description: [
          'The period is `from` 00:00Z to the end of `to` (UTC), cut off at now. A failure is a corrective work order (not cancelled): it began at its `failedAt` (else when it was reported, else created) and ended when the order was completed (still down while open). Per asset: **failures** that began in the period, **repaired** of those, **downtimeHours** (down spans clipped to the period, overlaps once), **uptimeHours**, **mtbfHours** = uptime ÷ failures, **mttrHours** = mean repair time of the repaired failures, **availability** = uptime ÷ period. Assets with the most failures first (then the most downtime).',
          'Per category and in total: the assets\' figures added up over every asset of the category that existed in the period (acquired — purchase date, else registration — by its end, not disposed of before its start): uptime = assets × period − downtime.',
        ].join('\n') + FormatDoc + ' The CSV has one row per asset with failures.',
        querystring: ReliabilityQuery,
        response: { 200: ReliabilityOut, ...errorResponses },
      },
    },
    async (req, reply) => {
      const q = req.query;
      checkPeriod(q);
      const w = periodWindow(q.from, q.to);
      if (!w) throw problems.validation([{ field: 'from', message: 'must not be in the future' }]);
      const report = await reliability(db, q.from, q.to, q, w);
      if (q.format === 'csv') {
        return sendCsv(
          reply,
          fileName('reliability', `${q.from}-${q.to}`),
          ['asset_tag', 'asset', 'failures', 'repaired', 'downtime_hours', 'uptime_hours', 'mtbf_hours', 'mttr_hours', 'availability'],
          report.assets.map((a) => [text(a.tag), text(a.name), a.failures, a.repaired, a.downtimeHours, a.uptimeHours, a.mtbfHours, a.mttrHours, a.availability]),
        );
      }
      return report;
    },
  );

  app.get(
    '/reports/costs',
    {
      config: read,
      schema: {
        summary: 'Maintenance cost per asset: labour, parts and external cost of completed work, and calibrations',
        description: [
          'Per asset, in its currency: **labour**, **parts** and **external** cost of its work orders completed (or closed) in the period, by the UTC day of the (last) completion, and **calibration**: the cost of its calibrations performed in the period. **total** = all four. Highest total first; totals per currency over every asset in the report.',
          "The same amounts are in fixed-assets' cost-of-ownership ledger (source `maintenance`: kinds maintenance, repair and calibration), posted when each order is completed and when each calibration is recorded; they agree unless a reopened order was completed again in another period.",
        ].join('\n') + FormatDoc,
        querystring: CostQuery,
        response: { 200: CostOut, ...errorResponses },
      },
    },
    async (req, reply) => {
      const q = req.query;
      checkPeriod(q);
      const { sql, values } = costQuery(q.from, q.to, q);
      const order = `ORDER BY x.total DESC, x.tag`;
      const row = (r: CostRow) => ({
        assetId: r.asset_id,
        tag: r.tag,
        name: r.name,
        categoryId: r.category_id,
        currency: r.currency,
        workOrders: Number(r.work_orders),
        calibrations: Number(r.calibrations),
        labour: money(r.labour),
        parts: money(r.parts),
        external: money(r.external),
        calibration: money(r.calibration),
        total: money(r.total),
      });
      if (q.format === 'csv') {
        return sendQueryAsCsv(ctx, reply, {
          fileName: fileName('costs', `${q.from}-${q.to}`),
          header: ['asset_tag', 'asset', 'currency', 'work_orders', 'labour', 'parts', 'external', 'calibrations', 'calibration', 'total'],
          sql: `${sql} SELECT ${COST_COLUMNS} FROM x ${order}`,
          params: values,
          toRow: (r) => {
            const x = row(r as CostRow);
            return [text(x.tag), text(x.name), x.currency, x.workOrders, x.labour, x.parts, x.external, x.calibrations, x.calibration, x.total];
          },
        });
      }
      const { limit, offset } = pageOf(q);
      const n = values.length;
      const rows = await db.execute<CostRow>(`${sql} SELECT ${COST_COLUMNS} FROM x ${order} LIMIT $${n + 1} OFFSET $${n + 2}`, [...values, limit, offset]);
      const totals = await db.execute<Record<string, string>>(
        `${sql} SELECT x.currency, count(*)::int AS assets, sum(x.work_orders)::int AS work_orders, sum(x.calibrations)::int AS calibrations, sum(x.labour)::text AS labour,
                       sum(x.parts)::text AS parts, sum(x.external)::text AS external, sum(x.calibration)::text AS calibration, sum(x.total)::text AS total
                  FROM x GROUP BY x.currency ORDER BY x.currency`,
        values,
      );
      return {
        from: q.from,
        to: q.to,
        total: totals.reduce((k, t) => k + Number(t.assets), 0),
        limit,
        offset,
        data: rows.map(row),
        totals: totals.map((t) => ({
          currency: t.currency,
          assets: Number(t.assets),
          workOrders: Number(t.work_orders),
          calibrations: Number(t.calibrations),
          labour: money(t.labour),
          parts: money(t.parts),
          external: money(t.external),
          calibration: money(t.calibration),
          total: money(t.total),
        })),
      };
    },
  );

  app.get(
    '/reports/calibration',
    {
      config: read,
      schema: {
        summary: 'Calibration compliance: active instruments by status, the overdue ones, and results in a period',
        description:
          'As of today: active instruments (not disposed of) by status — current, due soon (within their `warnDays`), overdue, never calibrated — how many failed their last calibration, and the overdue list (most overdue first). For the period `from`–`to`: calibrations performed, passed, failed, found out of tolerance as found (`asFoundFailed`: measurements since the previous calibration need review), and adjusted; **passRate** in percent.' +
          FormatDoc +
          ' The CSV has one row per active instrument with its status.',
        querystring: CalibrationReportQuery,
        response: { 200: CalibrationReportOut, ...errorResponses },
      },
    },
    async (req, reply) => {
      const q = req.query;
      checkPeriod(q);
      const today = todayUtc();
      const { rows, ...report } = await calibrationCompliance(db, q.from, q.to, q, today);
      if (q.format === 'csv') {
        return sendCsv(
          reply,
          fileName('calibration', today),
          ['asset_tag', 'asset', 'status', 'due_on', 'last_calibrated_on', 'last_result'],
          rows.map((r) => [text(r.tag), text(r.name), r.status, r.due_on, r.last_calibrated_on, r.last_result]),
        );
      }
      return { ...report, overdue: [...report.overdue].sort((x, y) => y.daysOverdue - x.daysOverdue || x.tag.localeCompare(y.tag)) };
    },
  );

  app.get(
    '/calendar',
    {
      config: read,
      schema: {
        summary: 'Upcoming work for the maintenance calendar (month or week view)',
        description: [
          `From \`from\` to \`to\` (both included, at most ${MAX_CALENDAR_DAYS} days; 400 otherwise): work orders that are not cancelled, on the day they are scheduled to start or else on their due day (\`kind\` work-order), and occurrences of active plans that have no work order yet (\`kind\` forecast): the due dates of calendar plans, the next due total of meter plans on the date forecast from the last 90 days of usage (\`estimated\`), the next due date of other plan kinds. Condition plans have no schedule.`,
          'Forecasts cover each plan × asset the scheduler has evaluated, and plans of a single asset from the start. `assetId`, `categoryId`, `locationId` (any depth) and `type` narrow it. At most 5,000 entries (`truncated`).',
        ].join('\n'),
        querystring: CalendarQuery,
        response: { 200: CalendarOut, ...errorResponses },
      },
    },
    async (req) => {
      const q = req.query;
      checkPeriod(q, MAX_CALENDAR_DAYS);
      return calendar(ctx, db, q.from, q.to, q, todayUtc()) as never;
    },
  );

  app.get(
    '/dashboard',
    {
      config: read,
      schema: {
        summary: "The dashboard's figures: open work, overdue, due this week, PM compliance (30 days), calibration, MTTR (90 days)",
        description:
          '**workOrders**: open orders by status and priority, overdue (past their due date), due this week (today and the next 6 days). **pmCompliance**: as the PM compliance report for the last 30 days (today included). **calibration**: active instruments by status and failed. **reliability**: failures, MTTR and MTBF of the last 90 days (today included, up to now).',
        querystring: DashboardQuery,
        response: { 200: DashboardOut, ...errorResponses },
      },
    },
    async () => {
      const today = todayUtc();
      const { values, p } = sqlParams();
      const [w] = await db.execute<Record<string, number>>(
        `SELECT count(*)::int AS open,
                ${OPEN.map((s) => `count(*) FILTER (WHERE status = ${p(s)})::int AS "s:${s}"`).join(', ')},
                ${PRIORITIES.map((s) => `count(*) FILTER (WHERE priority = ${p(s)})::int AS "p:${s}"`).join(', ')},
                count(*) FILTER (WHERE due_on < ${p(today)}::date)::int AS overdue,
                count(*) FILTER (WHERE due_on BETWEEN ${p(today)}::date AND ${p(addDays(today, 6))}::date)::int AS week
           FROM maintenance_work_order WHERE status = ANY(${p(OPEN)}::text[])`,
        values,
      );
      const pmFrom = addDays(today, -29);
      const pm = await pmCompliance(db, pmFrom, today, {}, grace, today);
      const cal = await calibrationCompliance(db, pmFrom, today, {}, today);
      const relFrom = addDays(today, -89);
      const rel = await reliability(db, relFrom, today, {}, periodWindow(relFrom, today)!);
      return {
        asOf: today,
        workOrders: {
          open: w.open,
          byStatus: Object.fromEntries(OPEN.map((s) => [s, w[`s:${s}`]])) as Record<(typeof OPEN)[number], number>,
          byPriority: Object.fromEntries(PRIORITIES.map((s) => [s, w[`p:${s}`]])) as Record<(typeof PRIORITIES)[number], number>,
          overdue: w.overdue,
          dueThisWeek: w.week,
        },
        pmCompliance: { from: pmFrom, to: today, ...pm.totals },
        calibration: { instruments: cal.instruments, byStatus: cal.byStatus, failed: cal.failed },
        reliability: { from: relFrom, to: today, failures: rel.totals.failures, repaired: rel.totals.repaired, mttrHours: rel.totals.mttrHours, mtbfHours: rel.totals.mtbfHours },
      };
    },
  );
}
