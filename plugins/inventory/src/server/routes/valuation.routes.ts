import { Type, problems, type PluginApp, type PluginContext } from '@quartermaster/sdk';
import { permissions } from '../../shared/index.js';
import { ZERO, dec, money, qtyText, type Dec } from '../../domain/money.js';
import type { InventoryOptions } from '../services/ledger.service.js';
import { readerOf, subtreeCte } from '../services/stock.service.js';
import { simulateValuation, type SimulatedMove } from '../../domain/valuation.js';
import { DecimalOut, Nullable, Uuid, errorResponses } from './schemas.js';

const ValuationRow = Type.Object({
  key: Nullable(Type.String()),
  label: Type.String(),
  qty: Nullable(DecimalOut),
  value: DecimalOut,
  items: Type.Integer(),
});

/** Turn a date (whole day, inclusive) or a date-time into the instant reports are taken at. */
const endOf = (v: string) => (/^\d{4}-\d{2}-\d{2}$/.test(v) ? new Date(`${v}T00:00:00.000Z`).getTime() + 86_400_000 : new Date(v).getTime());

export function valuationRoutes(app: PluginApp, ctx: PluginContext<any>, options: InventoryOptions) {
  const db = readerOf(ctx);
  const mu = options.currencyMinorUnits;
  const categoryPaths = async (ids: string[]) =>
    new Map(
      (
        await db.execute<{ id: string; path: string }>(
          `WITH RECURSIVE up AS (SELECT c.id AS start, c.id, c.parent_id, c.name, 0 AS lvl FROM core_category c WHERE c.id = ANY($1::uuid[])
             UNION ALL SELECT up.start, p.id, p.parent_id, p.name, up.lvl + 1 FROM core_category p JOIN up ON p.id = up.parent_id)
           SELECT start AS id, string_agg(name, ' / ' ORDER BY lvl DESC) AS path FROM up GROUP BY start`,
          [ids],
        )
      ).map((r) => [r.id, r.path]),
    );

  app.get(
    '/reports/valuation',
    {
      config: { permission: permissions.valuationRead },
      schema: {
        summary: 'Stock valuation as of any date',
        description:
          'Quantity and value per item, category or location at the end of `asOf` (a date means the end of that UTC day; default now). Item totals come from the cost ledger; a location\'s value is its share of the item\'s quantity at the item\'s unit value.',
        querystring: Type.Object(
          {
            asOf: Type.Optional(Type.Union([Type.String({ format: 'date' }), Type.String({ format: 'date-time' })])),
            groupBy: Type.Optional(Type.Union([Type.Literal('item'), Type.Literal('category'), Type.Literal('location')], { default: 'item' })),
            locationId: Type.Optional(Uuid),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ asOf: Type.String(), groupBy: Type.String(), totalValue: DecimalOut, rows: Type.Array(ValuationRow) }), ...errorResponses },
      },
    },
    async (req) => {
      const asOf = new Date(req.query.asOf ? endOf(req.query.asOf) : Date.now());
      const groupBy = req.query.groupBy ?? 'item';
      // Per item: the running totals of the last valuation entry before the instant.
      const items = await db.execute<{ item_id: string; name: string; category_id: string | null; qty: string; value: string }>(
        `SELECT i.id AS item_id, i.name, i.category_id, e.running_qty AS qty, e.running_value AS value
           FROM inventory_valuation_state vs JOIN core_item i ON i.id = vs.item_id
           CROSS JOIN LATERAL (SELECT running_qty, running_value FROM inventory_valuation_entry x
                                WHERE x.item_id = vs.item_id AND x.effective_at < $1 ORDER BY x.effective_at DESC, x.id DESC LIMIT 1) e
          ORDER BY i.name`,
        [asOf],
      );
      const rows: { key: string | null; label: string; qty: string | null; value: string; items: number }[] = [];
      let total: Dec = ZERO;
      if (groupBy === 'item' && !req.query.locationId) {
        for (const i of items) {
          if (dec(i.qty).eq(0) && dec(i.value).eq(0)) continue;
          rows.push({ key: i.item_id, label: i.name, qty: qtyText(i.qty), value: dec(i.value).toFixed(mu), items: 1 });
          total = total.plus(i.value);
        }
      } else if (groupBy === 'category' && !req.query.locationId) {
        const paths = await categoryPaths([...new Set(items.map((i) => i.category_id).filter((c): c is string => !!c))]);
        const groups = new Map<string, { label: string; value: Dec; items: number }>();
        for (const i of items) {
          if (dec(i.qty).eq(0) && dec(i.value).eq(0)) continue;
          const k = i.category_id ?? '';
          const g = groups.get(k) ?? { label: i.category_id ? paths.get(i.category_id) ?? '' : 'Uncategorised', value: ZERO, items: 0 };
          g.value = g.value.plus(i.value);
          g.items++;
          groups.set(k, g);
          total = total.plus(i.value);
        }
        for (const [k, g] of [...groups.entries()].sort((a, b) => a[1].label.localeCompare(b[1].label))) rows.push({ key: k || null, label: g.label, qty: null, value: g.value.toFixed(mu), items: g.items });
      } else {
        // Quantities per location at the instant: today's balances minus what moved after it.
        const params: unknown[] = [asOf];
        let cte = '';
        let filter = '';
        if (req.query.locationId) {
          params.push(req.query.locationId);
          cte = `WITH RECURSIVE ${subtreeCte('$2::uuid')}, `;
          filter = 'WHERE loc IN (SELECT id FROM sub)';
        } else cte = 'WITH ';
        const perLoc = await db.execute<{ item_id: string; loc: string; name: string; qty: string }>(
          `${cte} q AS (
             SELECT item_id, location_id AS loc, on_hand AS qty FROM inventory_balance
             UNION ALL SELECT ml.item_id, ml.to_location_id, -ml.qty FROM inventory_move_line ml JOIN inventory_move m ON m.id = ml.move_id WHERE m.effective_at >= $1 AND ml.to_location_id IS NOT NULL
             UNION ALL SELECT ml.item_id, ml.from_location_id, ml.qty FROM inventory_move_line ml JOIN inventory_move m ON m.id = ml.move_id WHERE m.effective_at >= $1 AND ml.from_location_id IS NOT NULL)
           SELECT q.item_id, q.loc, l.name, sum(q.qty) AS qty FROM q JOIN core_location l ON l.id = q.loc ${filter} GROUP BY q.item_id, q.loc, l.name HAVING sum(q.qty) <> 0`,
          params,
        );
        const unit = new Map(items.filter((i) => dec(i.qty).gt(0)).map((i) => [i.item_id, dec(i.value).div(dec(i.qty))]));
        const names = new Map(items.map((i) => [i.item_id, i.name]));
        if (groupBy === 'item') {
          const byItem = new Map<string, { qty: Dec; value: Dec }>();
          for (const r of perLoc) {
            const g = byItem.get(r.item_id) ?? { qty: ZERO, value: ZERO };
            g.qty = g.qty.plus(r.qty);
            g.value = g.value.plus(money(dec(r.qty).times(unit.get(r.item_id) ?? ZERO), mu));
            byItem.set(r.item_id, g);
          }
          for (const [k, g] of byItem) {
            rows.push({ key: k, label: names.get(k) ?? k, qty: qtyText(g.qty), value: g.value.toFixed(mu), items: 1 });
            total = total.plus(g.value);
          }
          rows.sort((a, b) => a.label.localeCompare(b.label));
        } else if (groupBy === 'category') {
          const catOf = new Map(items.map((i) => [i.item_id, i.category_id]));
          const paths = await categoryPaths([...new Set(items.map((i) => i.category_id).filter((c): c is string => !!c))]);
          const byCat = new Map<string, { label: string; value: Dec; items: Set<string> }>();
          for (const r of perLoc) {
            const c = catOf.get(r.item_id) ?? null;
            const g = byCat.get(c ?? '') ?? { label: c ? paths.get(c) ?? '' : 'Uncategorised', value: ZERO, items: new Set<string>() };
            g.value = g.value.plus(money(dec(r.qty).times(unit.get(r.item_id) ?? ZERO), mu));
            g.items.add(r.item_id);
            byCat.set(c ?? '', g);
          }
          for (const [k, g] of [...byCat.entries()].sort((a, b) => a[1].label.localeCompare(b[1].label))) {
            rows.push({ key: k || null, label: g.label, qty: null, value: g.value.toFixed(mu), items: g.items.size });
            total = total.plus(g.value);
          }
        } else {
          const byLoc = new Map<string, { label: string; value: Dec; items: Set<string> }>();
          for (const r of perLoc) {
            const g = byLoc.get(r.loc) ?? { label: r.name, value: ZERO, items: new Set<string>() };
            g.value = g.value.plus(money(dec(r.qty).times(unit.get(r.item_id) ?? ZERO), mu));
            g.items.add(r.item_id);
            byLoc.set(r.loc, g);
          }
          for (const [k, g] of [...byLoc.entries()].sort((a, b) => a[1].label.localeCompare(b[1].label))) {
            rows.push({ key: k, label: g.label, qty: null, value: g.value.toFixed(mu), items: g.items.size });
            total = total.plus(g.value);
          }
        }
      }
      return { asOf: asOf.toISOString(), groupBy, totalValue: total.toFixed(mu), rows };
    },
  );

  app.get(
    '/reports/cogs',
    {
      config: { permission: permissions.valuationRead },
      schema: {
        summary: 'Cost of goods sold and other stock costs for a period',
        description:
          '`from` and `to` are ISO dates (to inclusive). Issues are cost of goods sold; customer returns reduce it. Adjustments and count results are shown as shrinkage/gains, supplier returns apart. Amounts include later re-valuations of the period\'s moves.',
        querystring: Type.Object(
          {
            from: Type.String({ format: 'date' }),
            to: Type.String({ format: 'date' }),
            groupBy: Type.Optional(Type.Union([Type.Literal('item'), Type.Literal('category'), Type.Literal('month')], { default: 'item' })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            from: Type.String(),
            to: Type.String(),
            totals: Type.Object({ cogs: DecimalOut, customerReturns: DecimalOut, netCogs: DecimalOut, adjustments: DecimalOut, supplierReturns: DecimalOut, receipts: DecimalOut }),
            rows: Type.Array(Type.Object({ key: Nullable(Type.String()), label: Type.String(), issuedQty: DecimalOut, cogs: DecimalOut, customerReturns: DecimalOut, netCogs: DecimalOut, adjustments: DecimalOut })),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const from = new Date(`${req.query.from}T00:00:00.000Z`);
      const to = new Date(endOf(req.query.to));
      if (to <= from) throw problems.validation([{ field: 'to', message: 'must not be before from' }]);
      const groupBy = req.query.groupBy ?? 'item';
      const keyExpr = groupBy === 'item' ? 'i.id::text' : groupBy === 'category' ? 'i.category_id::text' : "to_char(e.effective_at AT TIME ZONE 'UTC', 'YYYY-MM')";
      const labelExpr = groupBy === 'item' ? 'min(i.name)' : groupBy === 'category' ? "coalesce(min(c.name), 'Uncategorised')" : "to_char(min(e.effective_at) AT TIME ZONE 'UTC', 'YYYY-MM')";
      const rows = await db.execute<Record<string, string>>(
        `SELECT ${keyExpr} AS key, ${labelExpr} AS label,
                coalesce(sum(e.qty) FILTER (WHERE m.type = 'issue'), 0) AS issued_qty,
                coalesce(sum(e.amount) FILTER (WHERE m.type = 'issue' AND e.direction = 'out'), 0) - coalesce(sum(e.amount) FILTER (WHERE m.type = 'issue' AND e.direction = 'in'), 0) AS cogs,
                coalesce(sum(e.amount) FILTER (WHERE m.type = 'customer-return' AND e.direction = 'in'), 0) - coalesce(sum(e.amount) FILTER (WHERE m.type = 'customer-return' AND e.direction = 'out'), 0) AS customer_returns,
                coalesce(sum(CASE WHEN e.direction = 'out' THEN e.amount ELSE -e.amount END) FILTER (WHERE m.type IN ('adjustment', 'count')), 0) AS adjustments,
                coalesce(sum(CASE WHEN e.direction = 'out' THEN e.amount ELSE -e.amount END) FILTER (WHERE m.type = 'supplier-return'), 0) AS supplier_returns,
                coalesce(sum(CASE WHEN e.direction = 'in' THEN e.amount ELSE -e.amount END) FILTER (WHERE m.type = 'receipt'), 0) AS receipts
           FROM inventory_valuation_entry e JOIN inventory_move_line ml ON ml.id = e.move_line_id JOIN inventory_move m ON m.id = ml.move_id
           JOIN core_item i ON i.id = e.item_id LEFT JOIN core_category c ON c.id = i.category_id
          WHERE e.effective_at >= $1 AND e.effective_at < $2
          GROUP BY 1 ORDER BY 2`,
        [from, to],
      );
      const t = { cogs: ZERO, customerReturns: ZERO, adjustments: ZERO, supplierReturns: ZERO, receipts: ZERO };
      const out = rows.map((r) => {
        t.cogs = t.cogs.plus(r.cogs);
        t.customerReturns = t.customerReturns.plus(r.customer_returns);
        t.adjustments = t.adjustments.plus(r.adjustments);
        t.supplierReturns = t.supplierReturns.plus(r.supplier_returns);
        t.receipts = t.receipts.plus(r.receipts);
        return {
          key: r.key,
          label: r.label,
          issuedQty: qtyText(r.issued_qty),
          cogs: dec(r.cogs).toFixed(mu),
          customerReturns: dec(r.customer_returns).toFixed(mu),
          netCogs: dec(r.cogs).minus(r.customer_returns).toFixed(mu),
          adjustments: dec(r.adjustments).toFixed(mu),
        };
      });
      return {
        from: req.query.from,
        to: req.query.to,
        totals: {
          cogs: t.cogs.toFixed(mu),
          customerReturns: t.customerReturns.toFixed(mu),
          netCogs: t.cogs.minus(t.customerReturns).toFixed(mu),
          adjustments: t.adjustments.toFixed(mu),
          supplierReturns: t.supplierReturns.toFixed(mu),
          receipts: t.receipts.toFixed(mu),
        },
        rows: out,
      };
    },
  );

  app.get(
    '/reports/periodic',
    {
      config: { permission: permissions.valuationRead },
      schema: {
        summary: 'Period-end valuation under the periodic system',
        description:
          'Per item: opening stock (quantity and value at the start of `from`, one layer at its average), what came in during the period at its cost, and what was issued, valued at period end by periodic FIFO (issues take the earliest units of the period), periodic LIFO (the latest) or weighted average (total cost of goods available ÷ units available). `to` is inclusive.',
        querystring: Type.Object(
          { from: Type.String({ format: 'date' }), to: Type.String({ format: 'date' }), method: Type.Union([Type.Literal('fifo'), Type.Literal('lifo'), Type.Literal('weighted-average')]) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            from: Type.String(),
            to: Type.String(),
            method: Type.String(),
            totals: Type.Object({ openingValue: DecimalOut, inValue: DecimalOut, cogs: DecimalOut, endingValue: DecimalOut }),
            rows: Type.Array(
              Type.Object({
                itemId: Uuid,
                itemName: Type.String(),
                openingQty: DecimalOut,
                openingValue: DecimalOut,
                inQty: DecimalOut,
                inValue: DecimalOut,
                issuedQty: DecimalOut,
                cogs: DecimalOut,
                endingQty: DecimalOut,
                endingValue: DecimalOut,
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const from = new Date(`${req.query.from}T00:00:00.000Z`);
      const to = new Date(endOf(req.query.to));
      if (to <= from) throw problems.validation([{ field: 'to', message: 'must not be before from' }]);
      const opening = await db.execute<{ item_id: string; name: string; qty: string; value: string }>(
        `SELECT vs.item_id, i.name, coalesce(e.running_qty, 0) AS qty, coalesce(e.running_value, 0) AS value
           FROM inventory_valuation_state vs JOIN core_item i ON i.id = vs.item_id
           LEFT JOIN LATERAL (SELECT running_qty, running_value FROM inventory_valuation_entry x WHERE x.item_id = vs.item_id AND x.effective_at < $1
                               ORDER BY x.effective_at DESC, x.id DESC LIMIT 1) e ON true`,
        [from],
      );
      const entries = await db.execute<{ item_id: string; direction: 'in' | 'out'; qty: string; amount: string; effective_at: Date | string }>(
        `SELECT item_id, direction, qty, amount, effective_at FROM inventory_valuation_entry WHERE effective_at >= $1 AND effective_at < $2 ORDER BY item_id, effective_at, id`,
        [from, to],
      );
      const byItem = new Map<string, typeof entries>();
      for (const e of entries) byItem.set(e.item_id, [...(byItem.get(e.item_id) ?? []), e]);
      const rows = [];
      const totals = { openingValue: ZERO, inValue: ZERO, cogs: ZERO, endingValue: ZERO };
      for (const o of opening.sort((a, b) => a.name.localeCompare(b.name))) {
        const period = byItem.get(o.item_id) ?? [];
        const oq = dec(o.qty);
        if (oq.eq(0) && dec(o.value).eq(0) && !period.length) continue;
        const moves: SimulatedMove[] = [];
        // Opening stock is one layer at its average cost, as period-end methods treat beginning inventory.
        if (oq.gt(0)) moves.push({ type: 'in', qty: oq.toFixed(), unitCost: dec(o.value).div(oq).toFixed() });
        let inQty = ZERO;
        let inValue = ZERO;
        let issued = ZERO;
        for (const e of period) {
          if (e.direction === 'in') {
            moves.push({ type: 'in', qty: dec(e.qty).toFixed(), unitCost: dec(e.amount).div(dec(e.qty)).toFixed() });
            inQty = inQty.plus(e.qty);
            inValue = inValue.plus(e.amount);
          } else {
            moves.push({ type: 'out', qty: dec(e.qty).toFixed() });
            issued = issued.plus(e.qty);
          }
        }
        const r = simulateValuation({ method: req.query.method, system: 'periodic', allowNegative: true, minorUnits: mu, moves });
        const openingValue = oq.gt(0) ? dec(o.value) : ZERO;
        totals.openingValue = totals.openingValue.plus(openingValue);
        totals.inValue = totals.inValue.plus(inValue);
        totals.cogs = totals.cogs.plus(r.totalCogs);
        totals.endingValue = totals.endingValue.plus(r.endingValue);
        rows.push({
          itemId: o.item_id,
          itemName: o.name,
          openingQty: qtyText(oq),
          openingValue: openingValue.toFixed(mu),
          inQty: qtyText(inQty),
          inValue: inValue.toFixed(mu),
          issuedQty: qtyText(issued),
          cogs: dec(r.totalCogs).toFixed(mu),
          endingQty: qtyText(r.endingQty),
          endingValue: dec(r.endingValue).toFixed(mu),
        });
      }
      return {
        from: req.query.from,
        to: req.query.to,
        method: req.query.method,
        totals: { openingValue: totals.openingValue.toFixed(mu), inValue: totals.inValue.toFixed(mu), cogs: totals.cogs.toFixed(mu), endingValue: totals.endingValue.toFixed(mu) },
        rows,
      };
    },
  );
}
