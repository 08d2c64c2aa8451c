import { hasPermission, Type, problems, type PluginApp, type PluginContext } from '@quartermaster/sdk';
import { permissions } from '../../shared/index.js';
import { classifyAbc, nextCountDue } from '../../domain/abc.js';
import { ZERO, dec, money, qtyText } from '../../domain/money.js';
import type { InventoryOptions } from '../services/ledger.service.js';
import { cancelCount, expectedNowSql, finishCounting, postCount, recordCounts, startCount, varianceOf } from '../services/count.service.js';
import { readerOf, subtreeCte } from '../services/stock.service.js';
import { isoOf, toDate } from '../services/time.js';
import { DecimalIn, DecimalOut, IdParams, Nullable, Page, PageQuery, Uuid, errorResponses, pageOf } from './schemas.js';

export interface CountOptions {
  countIntervalDays: { A: number; B: number; C: number };
}

const CountSummary = Type.Object({
  id: Uuid,
  number: Type.String(),
  name: Type.String(),
  kind: Type.String(),
  locationId: Uuid,
  location: Type.String(),
  blind: Type.Boolean(),
  status: Type.String(),
  recountTolerance: DecimalOut,
  startedAt: Type.String(),
  startedBy: Type.String(),
  closedAt: Nullable(Type.String()),
  moveId: Nullable(Uuid),
  lines: Type.Integer(),
  counted: Type.Integer(),
});

const CountLine = Type.Object({
  id: Type.String(),
  itemId: Uuid,
  itemName: Type.String(),
  uom: Type.String(),
  locationId: Uuid,
  location: Type.String(),
  lot: Nullable(Type.String()),
  serial: Nullable(Type.String()),
  /** Hidden while a blind count is being counted. */
  expectedQty: Nullable(DecimalOut),
  countedQty: Nullable(DecimalOut),
  recountQty: Nullable(DecimalOut),
  status: Type.String(),
  varianceQty: Nullable(DecimalOut),
  /** Variance × the item's current unit value, to callers who may see costs. */
  varianceValue: Type.Optional(Nullable(DecimalOut)),
  countedBy: Nullable(Type.String()),
});

const CountDetail = Type.Intersect([CountSummary, Type.Object({ note: Nullable(Type.String()), varianceValue: Type.Optional(Nullable(DecimalOut)), lineItems: Type.Array(CountLine) })]);

export function countRoutes(app: PluginApp, ctx: PluginContext<any>, options: InventoryOptions & CountOptions) {
  const db = readerOf(ctx);
  const mu = options.currencyMinorUnits;
  const summary = (r: Record<string, any>) => ({
    id: r.id,
    number: String(r.number),
    name: r.name,
    kind: r.kind,
    locationId: r.location_id,
    location: r.location_name,
    blind: r.blind,
    status: r.status,
    recountTolerance: qtyText(r.recount_tolerance),
    startedAt: isoOf(r.started_at)!,
    startedBy: r.started_by_label,
    closedAt: isoOf(r.closed_at),
    moveId: r.move_id,
    lines: Number(r.lines),
    counted: Number(r.counted),
  });
  const SUMMARY_SQL = `SELECT c.*, l.name AS location_name,
      (SELECT count(*) FROM inventory_count_line x WHERE x.count_id = c.id) AS lines,
      (SELECT count(*) FROM inventory_count_line x WHERE x.count_id = c.id AND x.status <> 'pending') AS counted
    FROM inventory_count c JOIN core_location l ON l.id = c.location_id`;

  const load = async (id: string, seeCosts: boolean) => {
    const [c] = await db.execute<Record<string, any>>(`${SUMMARY_SQL} WHERE c.id = $1`, [id]);
    if (!c) return undefined;
    const hide = c.blind && c.status === 'counting';
    const lines = await db.execute<Record<string, any>>(
      `SELECT cl.*, ${expectedNowSql()} AS expected_now, i.name AS item_name, i.unit_of_measure AS uom, loc.name AS location_name, lt.code AS lot_code, s.serial,
              CASE WHEN vs.qty > 0 THEN vs.value / vs.qty END AS unit_value
         FROM inventory_count_line cl JOIN inventory_count c ON c.id = cl.count_id JOIN core_item i ON i.id = cl.item_id JOIN core_location loc ON loc.id = cl.location_id
         LEFT JOIN inventory_lot lt ON lt.id = cl.lot_id LEFT JOIN inventory_serial s ON s.id = cl.serial_id
         LEFT JOIN inventory_valuation_state vs ON vs.item_id = cl.item_id
        WHERE cl.count_id = $1 ORDER BY loc.name, i.name, lt.code NULLS FIRST, s.serial NULLS FIRST`,
      [id],
    );
    let total = ZERO;
    const lineItems = lines.map((l) => {
      // Against what the books say now: moves made while counting are not counted twice.
      const variance = hide ? null : varianceOf(l.expected_now, l.counted_qty, l.recount_qty);
      const value = variance && l.unit_value !== null ? money(variance.times(dec(l.unit_value)), mu) : variance ? ZERO : null;
      if (value) total = total.plus(value);
      return {
        id: String(l.id),
        itemId: l.item_id,
        itemName: l.item_name,
        uom: l.uom,
        locationId: l.location_id,
        location: l.location_name,
        lot: l.lot_code,
        serial: l.serial,
        expectedQty: hide ? null : qtyText(l.expected_now),
        countedQty: l.counted_qty === null ? null : qtyText(l.counted_qty),
        recountQty: l.recount_qty === null ? null : qtyText(l.recount_qty),
        status: l.status,
        varianceQty: variance ? qtyText(variance) : null,
        ...(seeCosts ? { varianceValue: value ? value.toFixed(mu) : null } : {}),
        countedBy: l.counted_by_label,
      };
    });
    return { ...summary(c), note: c.note, ...(seeCosts ? { varianceValue: hide ? null : total.toFixed(mu) } : {}), lineItems };
  };
  const seeCosts = (req: { actor: { permissions: ReadonlySet<string> } }) => hasPermission(req.actor, permissions.valuationRead);

  app.post(
    '/counts',
    {
      config: { permission: permissions.countsWrite },
      schema: {
        summary: 'Start a cycle count or a full stocktake',
        description: 'Freezes the expected quantity of every balance with stock under the location (cycle counts: only the given items or ABC classes). Blind by default.',
        body: Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 200 }),
            kind: Type.Union([Type.Literal('cycle'), Type.Literal('full')]),
            locationId: Uuid,
            blind: Type.Optional(Type.Boolean()),
            itemIds: Type.Optional(Type.Array(Uuid, { minItems: 1, maxItems: 10_000 })),
            abcClasses: Type.Optional(Type.Array(Type.Union([Type.Literal('A'), Type.Literal('B'), Type.Literal('C')]), { minItems: 1, maxItems: 3, uniqueItems: true })),
            recountTolerance: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
            note: Type.Optional(Type.String({ maxLength: 2000 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: CountDetail, ...errorResponses },
      },
    },
    async (req, reply) => {
      if (!req.body.name.trim()) throw problems.validation([{ field: 'name', message: 'must not be blank' }]);
      const id = await ctx.transaction(req.actor, (tx) => startCount(tx, req.body));
      return reply.status(201).send((await load(id, seeCosts(req)))!);
    },
  );

  app.get(
    '/counts',
    {
      config: { permission: permissions.stockRead },
      schema: {
        summary: 'Counts',
        querystring: Type.Object({ status: Type.Optional(Type.Union(['counting', 'review', 'posted', 'cancelled'].map((s) => Type.Literal(s)))), ...PageQuery }, { additionalProperties: false }),
        response: { 200: Page(CountSummary), ...errorResponses },
      },
    },
    async (req) => {
      const { limit, offset } = pageOf(req.query);
      const rows = await db.execute<Record<string, any>>(
        `SELECT *, count(*) OVER () AS total FROM (${SUMMARY_SQL} ${req.query.status ? 'WHERE c.status = $3' : ''}) x ORDER BY started_at DESC LIMIT $1 OFFSET $2`,
        req.query.status ? [limit, offset, req.query.status] : [limit, offset],
      );
      return { data: rows.map(summary), total: rows.length ? Number(rows[0].total) : 0, limit, offset };
    },
  );

  app.get(
    '/counts/due',
    {
      config: { permission: permissions.stockRead },
      schema: {
        summary: 'Items due for a cycle count',
        description: 'Items in stock (under the location, if given) whose last posted count is older than the interval of their ABC class (never counted: due now).',
        querystring: Type.Object({ locationId: Type.Optional(Uuid), ...PageQuery }, { additionalProperties: false }),
        response: {
          200: Page(Type.Object({ itemId: Uuid, itemName: Type.String(), abcClass: Type.String(), lastCountedAt: Nullable(Type.String()), dueOn: Type.String(), overdueDays: Type.Integer() })),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const { limit, offset } = pageOf(req.query);
      const params: unknown[] = [];
      let cte = '';
      let filter = '';
      if (req.query.locationId) {
        params.push(req.query.locationId);
        cte = `WITH RECURSIVE ${subtreeCte('$1::uuid')} `;
        filter = 'AND b.location_id IN (SELECT id FROM sub)';
      }
      const rows = await db.execute<{ item_id: string; name: string; abc: string | null; last: Date | string | null }>(
        `${cte}SELECT i.id AS item_id, i.name, s.abc_class AS abc,
                (SELECT max(c.closed_at) FROM inventory_count c JOIN inventory_count_line cl ON cl.count_id = c.id WHERE c.status = 'posted' AND cl.item_id = i.id) AS last
           FROM core_item i LEFT JOIN inventory_item_settings s ON s.item_id = i.id
          WHERE EXISTS (SELECT 1 FROM inventory_balance b WHERE b.item_id = i.id AND b.on_hand <> 0 ${filter})`,
        params,
      );
      const today = new Date();
      const todayIso = today.toISOString().slice(0, 10);
      const due = rows
        .map((r) => {
          const cls = (r.abc ?? 'C') as 'A' | 'B' | 'C';
          const last = r.last ? toDate(r.last) : null;
          const dueOn = nextCountDue(cls, last, options.countIntervalDays, today);
          return { itemId: r.item_id, itemName: r.name, abcClass: cls, lastCountedAt: last ? last.toISOString() : null, dueOn, overdueDays: Math.round((Date.parse(todayIso) - Date.parse(dueOn)) / 86_400_000) };
        })
        .filter((r) => r.dueOn <= todayIso)
        .sort((a, b) => b.overdueDays - a.overdueDays || a.abcClass.localeCompare(b.abcClass) || a.itemName.localeCompare(b.itemName));
      return { data: due.slice(offset, offset + limit), total: due.length, limit, offset };
    },
  );

  app.get(
    '/counts/:id',
    { config: { permission: permissions.stockRead }, schema: { summary: 'One count with its lines', params: IdParams, response: { 200: CountDetail, ...errorResponses } } },
    async (req) => {
      const c = await load(req.params.id, seeCosts(req));
      if (!c) throw problems.notFound('count', req.params.id);
      return c;
    },
  );

  app.post(
    '/counts/:id/entries',
    {
      config: { permission: permissions.countsWrite },
      schema: {
        summary: 'Enter counted quantities',
        description: 'By line id, or by item + location (+ lot) for stock found that was not expected. While lines are sent to recount, only those take entries.',
        params: IdParams,
        body: Type.Object(
          {
            entries: Type.Array(
              Type.Object(
                {
                  lineId: Type.Optional(Type.String({ pattern: '^[0-9]+$' })),
                  itemId: Type.Optional(Uuid),
                  locationId: Type.Optional(Uuid),
                  lot: Type.Optional(Type.String({ minLength: 1 })),
                  countedQty: DecimalIn,
                },
                { additionalProperties: false },
              ),
              { minItems: 1, maxItems: 5000 },
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: CountDetail, ...errorResponses },
      },
    },
    async (req) => {
      await ctx.transaction(req.actor, (tx) => recordCounts(tx, req.params.id, req.body.entries));
      return load(req.params.id, seeCosts(req));
    },
  );

  app.post(
    '/counts/:id/finish',
    {
      config: { permission: permissions.countsWrite },
      schema: {
        summary: 'Finish counting',
        description: 'Lines whose variance exceeds the tolerance go to recount (the count stays open); otherwise the count moves to review. Uncounted lines are refused unless `uncountedAsZero`.',
        params: IdParams,
        body: Type.Object({ uncountedAsZero: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
        response: { 200: CountDetail, ...errorResponses },
      },
    },
    async (req) => {
      await ctx.transaction(req.actor, (tx) => finishCounting(tx, req.params.id, !!req.body?.uncountedAsZero));
      return load(req.params.id, seeCosts(req));
    },
  );

  app.post(
    '/counts/:id/post',
    {
      config: { permission: permissions.countsPost },
      schema: { summary: 'Post the variances of a reviewed count as a count move', params: IdParams, response: { 200: CountDetail, ...errorResponses } },
    },
    async (req) => {
      await ctx.transaction(req.actor, (tx) => postCount(tx, req.params.id, options));
      return load(req.params.id, seeCosts(req));
    },
  );

  app.post(
    '/counts/:id/cancel',
    { config: { permission: permissions.countsWrite }, schema: { summary: 'Cancel a count (nothing is posted)', params: IdParams, response: { 200: CountDetail, ...errorResponses } } },
    async (req) => {
      await ctx.transaction(req.actor, (tx) => cancelCount(tx, req.params.id));
      return load(req.params.id, seeCosts(req));
    },
  );

  const AbcRow = Type.Object({ itemId: Uuid, itemName: Type.String(), abcClass: Nullable(Type.String()), consumptionValue: Type.Optional(DecimalOut), share: Type.Optional(DecimalOut), classifiedAt: Nullable(Type.String()) });

  app.post(
    '/abc/classify',
    {
      config: { permission: permissions.settingsWrite },
      schema: {
        summary: 'Classify items A/B/C by consumption value',
        description: 'Consumption value = cost of goods issued over the last `periodDays`. Items making up the first `aShare` of the total are A, the next `bShare` B, the rest (and items never issued) C.',
        body: Type.Object(
          {
            periodDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3660, default: 365 })),
            aShare: Type.Optional(Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1, default: 0.8 })),
            bShare: Type.Optional(Type.Number({ minimum: 0, exclusiveMaximum: 1, default: 0.15 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ A: Type.Integer(), B: Type.Integer(), C: Type.Integer(), items: Type.Array(AbcRow) }), ...errorResponses },
      },
    },
    async (req) => {
      const periodDays = req.body?.periodDays ?? 365;
      const aShare = req.body?.aShare ?? 0.8;
      const bShare = req.body?.bShare ?? 0.15;
      if (aShare + bShare > 1) throw problems.validation([{ field: 'bShare', message: 'aShare + bShare must not exceed 1' }]);
      return ctx.transaction(req.actor, async (tx) => {
        const rows = await tx.execute<{ id: string; name: string; value: string }>(
          `SELECT i.id, i.name, coalesce((SELECT sum(e.amount) FROM inventory_valuation_entry e JOIN inventory_move_line ml ON ml.id = e.move_line_id JOIN inventory_move m ON m.id = ml.move_id
                                          WHERE e.item_id = i.id AND e.direction = 'out' AND m.type = 'issue' AND e.effective_at >= now() - make_interval(days => $1)), 0) AS value
             FROM core_item i WHERE i.kind NOT IN ('service', 'kit') AND NOT i.archived
              AND (EXISTS (SELECT 1 FROM inventory_valuation_state vs WHERE vs.item_id = i.id) OR EXISTS (SELECT 1 FROM inventory_item_settings s WHERE s.item_id = i.id))`,
          [periodDays],
        );
        const classes = classifyAbc(rows.map((r) => ({ key: r.id, value: r.value })), String(aShare), String(bShare));
        const ids = rows.map((r) => r.id);
        await tx.execute(
          `INSERT INTO inventory_item_settings (item_id, abc_class, abc_classified_at) SELECT i, c, now() FROM unnest($1::uuid[], $2::text[]) AS u(i, c)
           ON CONFLICT (item_id) DO UPDATE SET abc_class = EXCLUDED.abc_class, abc_classified_at = now(), updated_at = now()`,
          [ids, ids.map((id) => classes.get(id)!.cls)],
        );
        const tally = { A: 0, B: 0, C: 0 };
        for (const c of classes.values()) tally[c.cls]++;
        await tx.audit({ action: 'classified', entityType: 'inventory.abc', entityId: 'all', after: { periodDays, aShare, bShare, ...tally } });
        const now = new Date().toISOString();
        return {
          ...tally,
          items: rows
            .map((r) => ({ itemId: r.id, itemName: r.name, abcClass: classes.get(r.id)!.cls, consumptionValue: dec(r.value).toFixed(mu), share: classes.get(r.id)!.share.toDecimalPlaces(6).toFixed(), classifiedAt: now }))
            .sort((a, b) => dec(b.consumptionValue).comparedTo(dec(a.consumptionValue))),
        };
      });
    },
  );
}
