/**
 * Inventory health reports: turnover and days of cover, slow-moving and dead stock, stock-outs.
 * All arithmetic on quantities and money is decimal (src/domain/money.ts); the formulas are in
 * each route's description, which is also what the OpenAPI document shows.
 */
import { hasPermission, Type, problems, type Actor, type PluginApp, type PluginContext } from '@quartermaster/sdk';
import { permissions } from '../../shared/index.js';
import { ZERO, dec, money, qtyText, type Dec } from '../../domain/money.js';
import type { InventoryOptions } from '../services/ledger.service.js';
import { readerOf, subtreeCte } from '../services/stock.service.js';
import { isoOf, toDate } from '../services/time.js';
import { DecimalOut, Nullable, Page, PageQuery, Uuid, errorResponses, pageOf } from './schemas.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const canSeeCost = (actor: Actor) => hasPermission(actor, permissions.valuationRead);
const SKU_OF = (itemExpr: string) => `(SELECT min(x.value) FROM core_identifier x WHERE x.type = 'sku' AND x.target_type = 'core.item' AND x.target_id = ${itemExpr})`;

/** `from`/`to` are whole UTC days, `to` inclusive: [from 00:00, to + 1 day 00:00). */
function period(q: { from: string; to: string }) {
  const start = new Date(`${q.from}T00:00:00.000Z`);
  const end = new Date(new Date(`${q.to}T00:00:00.000Z`).getTime() + DAY_MS);
  if (end.getTime() <= start.getTime()) throw problems.validation([{ field: 'to', message: 'must not be before from' }]);
  return { start, end, days: (end.getTime() - start.getTime()) / DAY_MS };
}

const ratio = (num: Dec, den: Dec, places: number) => (den.gt(0) ? num.div(den).toDecimalPlaces(places).toFixed(places) : null);

export function reportRoutes(app: PluginApp, ctx: PluginContext<any>, options: InventoryOptions) {
  const db = readerOf(ctx);
  const mu = options.currencyMinorUnits;

  app.get(
    '/reports/turnover',
    {
      config: { permission: permissions.valuationRead },
      schema: {
        summary: 'Inventory turnover and days of cover per item',
        description: [
          '`from` and `to` are ISO dates (whole UTC days, `to` inclusive). Per item:',
          '- **cogs**: cost of goods issued in the period, net of issue reversals and of customer returns (the netCogs of /reports/cogs);',
          '- **openingValue** / **closingValue**: the stock value at the start of `from` and at the end of `to`, the running totals of the cost ledger (inventory_valuation_entry);',
          '- **averageValue** = (openingValue + closingValue) / 2;',
          '- **turnover** = cogs / averageValue (2 decimals; null when the average is 0);',
          '- **issuedQty**: base units issued in the period, net of issue reversals; **averageDailyIssued** = issuedQty / days in the period;',
          '- **daysOfCover** = onHand / averageDailyIssued, with onHand the quantity at the end of `to` (1 decimal; null when nothing was issued).',
          'Totals use the sums: turnover = Σ cogs / Σ averageValue.',
        ].join('\n'),
        querystring: Type.Object({ from: Type.String({ format: 'date' }), to: Type.String({ format: 'date' }), itemId: Type.Optional(Uuid) }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            from: Type.String(),
            to: Type.String(),
            days: Type.Integer(),
            totals: Type.Object({ cogs: DecimalOut, openingValue: DecimalOut, closingValue: DecimalOut, averageValue: DecimalOut, turnover: Nullable(DecimalOut) }),
            rows: Type.Array(
              Type.Object({
                itemId: Uuid,
                itemName: Type.String(),
                sku: Nullable(Type.String()),
                uom: Type.String(),
                cogs: DecimalOut,
                openingValue: DecimalOut,
                closingValue: DecimalOut,
                averageValue: DecimalOut,
                turnover: Nullable(DecimalOut),
                issuedQty: DecimalOut,
                averageDailyIssued: DecimalOut,
                onHand: DecimalOut,
                daysOfCover: Nullable(DecimalOut),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const { start, end, days } = period(req.query);
      const params: unknown[] = [start, end];
      if (req.query.itemId) params.push(req.query.itemId);
      // Per item: the running totals just before the period and at its end, and what the period's entries add up to.
      const rows = await db.execute<Record<string, any>>(
        `WITH per AS (
           SELECT e.item_id,
                  coalesce(sum(e.amount) FILTER (WHERE m.type = 'issue' AND e.direction = 'out'), 0) - coalesce(sum(e.amount) FILTER (WHERE m.type = 'issue' AND e.direction = 'in'), 0)
                - coalesce(sum(e.amount) FILTER (WHERE m.type = 'customer-return' AND e.direction = 'in'), 0) + coalesce(sum(e.amount) FILTER (WHERE m.type = 'customer-return' AND e.direction = 'out'), 0) AS cogs,
                  coalesce(sum(e.qty) FILTER (WHERE m.type = 'issue' AND e.direction = 'out'), 0) - coalesce(sum(e.qty) FILTER (WHERE m.type = 'issue' AND e.direction = 'in'), 0) AS issued
             FROM inventory_valuation_entry e JOIN inventory_move_line ml ON ml.id = e.move_line_id JOIN inventory_move m ON m.id = ml.move_id
            WHERE e.effective_at >= $1 AND e.effective_at < $2 ${req.query.itemId ? 'AND e.item_id = $3' : ''}
            GROUP BY e.item_id)
         SELECT i.id, i.name, i.unit_of_measure, ${SKU_OF('i.id')} AS sku,
                coalesce(o.running_value, 0) AS opening_value, coalesce(c.running_value, 0) AS closing_value, coalesce(c.running_qty, 0) AS closing_qty,
                coalesce(per.cogs, 0) AS cogs, coalesce(per.issued, 0) AS issued
           FROM inventory_valuation_state vs JOIN core_item i ON i.id = vs.item_id
           LEFT JOIN LATERAL (SELECT running_value FROM inventory_valuation_entry x WHERE x.item_id = vs.item_id AND x.effective_at < $1 ORDER BY x.effective_at DESC, x.id DESC LIMIT 1) o ON true
           LEFT JOIN LATERAL (SELECT running_qty, running_value FROM inventory_valuation_entry x WHERE x.item_id = vs.item_id AND x.effective_at < $2 ORDER BY x.effective_at DESC, x.id DESC LIMIT 1) c ON true
           LEFT JOIN per ON per.item_id = vs.item_id
          WHERE ${req.query.itemId ? 'vs.item_id = $3 AND ' : ''}EXISTS (SELECT 1 FROM inventory_valuation_entry x WHERE x.item_id = vs.item_id AND x.effective_at < $2)
          ORDER BY i.name, i.id`,
        params,
      );
      const t = { cogs: ZERO, opening: ZERO, closing: ZERO };
      const out = [];
      for (const r of rows) {
        const opening = dec(r.opening_value);
        const closing = dec(r.closing_value);
        const cogs = dec(r.cogs);
        const issued = dec(r.issued);
        const onHand = dec(r.closing_qty);
        if (opening.isZero() && closing.isZero() && cogs.isZero() && issued.isZero() && onHand.isZero()) continue;
        const average = opening.plus(closing).div(2);
        const daily = issued.div(days);
        t.cogs = t.cogs.plus(cogs);
        t.opening = t.opening.plus(opening);
        t.closing = t.closing.plus(closing);
        out.push({
          itemId: r.id,
          itemName: r.name,
          sku: r.sku,
          uom: r.unit_of_measure,
          cogs: cogs.toFixed(mu),
          openingValue: opening.toFixed(mu),
          closingValue: closing.toFixed(mu),
          averageValue: money(average, mu).toFixed(mu),
          turnover: ratio(cogs, average, 2),
          issuedQty: qtyText(issued),
          averageDailyIssued: qtyText(daily),
          onHand: qtyText(onHand),
          daysOfCover: ratio(onHand, daily, 1),
        });
      }
      const average = t.opening.plus(t.closing).div(2);
      return {
        from: req.query.from,
        to: req.query.to,
        days,
        totals: { cogs: t.cogs.toFixed(mu), openingValue: t.opening.toFixed(mu), closingValue: t.closing.toFixed(mu), averageValue: money(average, mu).toFixed(mu), turnover: ratio(t.cogs, average, 2) },
        rows: out,
      };
    },
  );

  app.get(
    '/reports/slow-moving',
    {
      config: { permission: permissions.stockRead },
      schema: {
        summary: 'Slow-moving and dead stock',
        description: [
          'Items with stock on hand (under `locationId`, if given) whose last issue is more than `days` days ago (default 90), or that were never issued.',
          '**dead** when never issued, or last issued more than `deadDays` days ago (default 365). Days are whole days since the instant of the move (rounded down).',
          'The last issue ignores reversed issues and reversals; the last movement is any move of the item (there). **value** = on hand × the item\'s current unit value (stock value ÷ quantity in the cost ledger), to callers with inventory.valuation.read.',
          'Dead items come first, then the longest since their last issue.',
        ].join('\n'),
        querystring: Type.Object(
          {
            days: Type.Optional(Type.Integer({ minimum: 1, maximum: 36_500, default: 90 })),
            deadDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 36_500, default: 365 })),
            locationId: Type.Optional(Uuid),
            ...PageQuery,
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Composite([
            Page(
              Type.Object({
                itemId: Uuid,
                itemName: Type.String(),
                sku: Nullable(Type.String()),
                uom: Type.String(),
                onHand: DecimalOut,
                value: Type.Optional(Nullable(DecimalOut)),
                lastIssueAt: Nullable(Type.String()),
                daysSinceLastIssue: Nullable(Type.Integer()),
                lastMovementAt: Nullable(Type.String()),
                daysSinceLastMovement: Nullable(Type.Integer()),
                dead: Type.Boolean(),
              }),
            ),
            Type.Object({ days: Type.Integer(), deadDays: Type.Integer(), dead: Type.Integer(), totalValue: Type.Optional(DecimalOut) }),
          ]),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const q = req.query;
      const days = q.days ?? 90;
      const deadDays = q.deadDays ?? 365;
      if (deadDays < days) throw problems.validation([{ field: 'deadDays', message: `must be at least days (${days})` }]);
      const { limit, offset } = pageOf(q);
      const now = new Date();
      const params: unknown[] = [];
      let cte = '';
      let inLoc = 'true';
      let issuedHere = 'true';
      let movedHere = 'true';
      if (q.locationId) {
        params.push(q.locationId);
        cte = `WITH RECURSIVE ${subtreeCte('$1::uuid')} `;
        inLoc = 'b.location_id IN (SELECT id FROM sub)';
        issuedHere = 'ml.from_location_id IN (SELECT id FROM sub)';
        movedHere = '(ml.from_location_id IN (SELECT id FROM sub) OR ml.to_location_id IN (SELECT id FROM sub))';
      }
      const rows = await db.execute<Record<string, any>>(
        `${cte}SELECT s.item_id, i.name, i.unit_of_measure, ${SKU_OF('s.item_id')} AS sku, s.on_hand, vs.qty AS v_qty, vs.value AS v_value,
                (SELECT max(m.effective_at) FROM inventory_move_line ml JOIN inventory_move m ON m.id = ml.move_id
                  WHERE ml.item_id = s.item_id AND m.type = 'issue' AND ml.from_location_id IS NOT NULL AND m.reverses_move_id IS NULL
                    AND NOT EXISTS (SELECT 1 FROM inventory_move r WHERE r.reverses_move_id = m.id) AND ${issuedHere}) AS last_issue,
                (SELECT max(m.effective_at) FROM inventory_move_line ml JOIN inventory_move m ON m.id = ml.move_id WHERE ml.item_id = s.item_id AND ${movedHere}) AS last_move
           FROM (SELECT b.item_id, sum(b.on_hand) AS on_hand FROM inventory_balance b WHERE ${inLoc} GROUP BY b.item_id HAVING sum(b.on_hand) > 0) s
           JOIN core_item i ON i.id = s.item_id LEFT JOIN inventory_valuation_state vs ON vs.item_id = s.item_id`,
        params,
      );
      const since = (v: Date | string | null) => (v === null ? null : Math.floor((now.getTime() - toDate(v).getTime()) / DAY_MS));
      const costs = canSeeCost(req.actor);
      let totalValue = ZERO;
      const slow = rows
        .map((r) => {
          const lastIssue = since(r.last_issue);
          const onHand = dec(r.on_hand);
          const unit = r.v_qty !== null && dec(r.v_qty).gt(0) ? dec(r.v_value).div(dec(r.v_qty)) : null;
          const value = unit ? money(onHand.times(unit), mu) : null;
          return {
            itemId: r.item_id as string,
            itemName: r.name as string,
            sku: r.sku as string | null,
            uom: r.unit_of_measure as string,
            onHand: qtyText(onHand),
            value,
            lastIssueAt: isoOf(r.last_issue),
            daysSinceLastIssue: lastIssue,
            lastMovementAt: isoOf(r.last_move),
            daysSinceLastMovement: since(r.last_move),
            dead: lastIssue === null || lastIssue > deadDays,
          };
        })
        .filter((r) => r.daysSinceLastIssue === null || r.daysSinceLastIssue > days)
        .sort((a, b) => Number(b.dead) - Number(a.dead) || (b.daysSinceLastIssue ?? Infinity) - (a.daysSinceLastIssue ?? Infinity) || a.itemName.localeCompare(b.itemName) || a.itemId.localeCompare(b.itemId));
      for (const r of slow) if (r.value) totalValue = totalValue.plus(r.value);
      return {
        data: slow.slice(offset, offset + limit).map(({ value, ...r }) => (costs ? { ...r, value: value ? value.toFixed(mu) : null } : r)),
        total: slow.length,
        limit,
        offset,
        days,
        deadDays,
        dead: slow.filter((r) => r.dead).length,
        ...(costs ? { totalValue: totalValue.toFixed(mu) } : {}),
      };
    },
  );

  app.get(
    '/reports/stock-outs',
    {
      config: { permission: permissions.stockRead },
      schema: {
        summary: 'Stock-outs per item and location',
        description: [
          'A stock-out starts when a move leaves an item × location with nothing on hand and ends when stock comes back (times are the moves\' effective times).',
          '`from` and `to` are ISO dates (whole UTC days, `to` inclusive). Per item × location, over the stock-outs that overlap the period:',
          '- **stockOuts**: how many;',
          '- **totalHours**: Σ (min(end, recovery or now) − max(start, stock-out)), i.e. the time out of stock within the period (2 decimals);',
          '- **currentHours**: when out of stock now, the hours since it ran out (not cut to the period); null otherwise.',
          'Longest total first.',
        ].join('\n'),
        querystring: Type.Object(
          { from: Type.String({ format: 'date' }), to: Type.String({ format: 'date' }), itemId: Type.Optional(Uuid), locationId: Type.Optional(Uuid) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            from: Type.String(),
            to: Type.String(),
            totals: Type.Object({ stockOuts: Type.Integer(), totalHours: DecimalOut, currentlyOut: Type.Integer() }),
            rows: Type.Array(
              Type.Object({
                itemId: Uuid,
                itemName: Type.String(),
                sku: Nullable(Type.String()),
                locationId: Uuid,
                location: Type.String(),
                stockOuts: Type.Integer(),
                totalHours: DecimalOut,
                currentlyOut: Type.Boolean(),
                outSince: Nullable(Type.String()),
                currentHours: Nullable(DecimalOut),
                lastOccurredAt: Type.String(),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const q = req.query;
      const { start, end } = period(q);
      const now = new Date();
      const params: unknown[] = [start, end];
      const where: string[] = [];
      let cte = '';
      if (q.itemId) {
        params.push(q.itemId);
        where.push(`so.item_id = $${params.length}`);
      }
      if (q.locationId) {
        params.push(q.locationId);
        cte = `WITH RECURSIVE ${subtreeCte(`$${params.length}::uuid`)} `;
        where.push('so.location_id IN (SELECT id FROM sub)');
      }
      const episodes = await db.execute<{ item_id: string; location_id: string; occurred_at: Date | string; recovered_at: Date | string | null; name: string; location: string; sku: string | null }>(
        `${cte}SELECT so.item_id, so.location_id, so.occurred_at, so.recovered_at, i.name, l.name AS location, ${SKU_OF('so.item_id')} AS sku
           FROM inventory_stockout so JOIN core_item i ON i.id = so.item_id JOIN core_location l ON l.id = so.location_id
          WHERE so.occurred_at < $2 AND (so.recovered_at IS NULL OR so.recovered_at > $1 OR so.occurred_at >= $1) ${where.map((w) => `AND ${w}`).join(' ')}
          ORDER BY so.occurred_at, so.id`,
        params,
      );
      const groups = new Map<string, { itemId: string; itemName: string; sku: string | null; locationId: string; location: string; stockOuts: number; ms: number; outSince: Date | null; last: Date }>();
      const endMs = end.getTime();
      const startMs = start.getTime();
      for (const e of episodes) {
        const key = `${e.item_id}|${e.location_id}`;
        const g = groups.get(key) ?? { itemId: e.item_id, itemName: e.name, sku: e.sku, locationId: e.location_id, location: e.location, stockOuts: 0, ms: 0, outSince: null, last: toDate(e.occurred_at) };
        const from = Math.max(startMs, toDate(e.occurred_at).getTime());
        const until = Math.min(endMs, e.recovered_at === null ? now.getTime() : toDate(e.recovered_at).getTime());
        g.stockOuts++;
        g.ms += Math.max(0, until - from);
        g.last = toDate(e.occurred_at);
        if (e.recovered_at === null) g.outSince = toDate(e.occurred_at);
        groups.set(key, g);
      }
      const hours = (ms: number) => dec(ms).div(HOUR_MS).toDecimalPlaces(2).toFixed(2);
      const rows = [...groups.values()]
        .sort((a, b) => b.ms - a.ms || a.itemName.localeCompare(b.itemName) || a.location.localeCompare(b.location))
        .map((g) => ({
          itemId: g.itemId,
          itemName: g.itemName,
          sku: g.sku,
          locationId: g.locationId,
          location: g.location,
          stockOuts: g.stockOuts,
          totalHours: hours(g.ms),
          currentlyOut: g.outSince !== null,
          outSince: g.outSince ? g.outSince.toISOString() : null,
          currentHours: g.outSince ? hours(now.getTime() - g.outSince.getTime()) : null,
          lastOccurredAt: g.last.toISOString(),
        }));
      const totalMs = [...groups.values()].reduce((s, g) => s + g.ms, 0);
      return {
        from: q.from,
        to: q.to,
        totals: { stockOuts: rows.reduce((s, r) => s + r.stockOuts, 0), totalHours: hours(totalMs), currentlyOut: rows.filter((r) => r.currentlyOut).length },
        rows,
      };
    },
  );
}
