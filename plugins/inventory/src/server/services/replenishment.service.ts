/**
 * Reorder rules against the live inventory position, suggestions, and the below-reorder-point event.
 * Position = on hand (the rule's location and below) − reserved + still to come on open purchase orders.
 */
import type { Transaction } from '@quartermaster/sdk';
import { BelowReorderPoint } from '../../shared/index.js';
import { ZERO, dec, qtyText, type Dec } from '../../domain/money.js';
import { demandStdDev, economicOrderQuantity, reorderPoint as rop, safetyStock, type ReorderRule } from '../../domain/replenishment.js';

export interface ReplenishmentOptions {
  /** Days of issue history used to estimate demand and its variability. */
  demandHistoryDays: number;
  /** Service level used when a rule sets none. */
  defaultServiceLevel: number;
}

export interface RuleRow {
  id: string;
  item_id: string;
  item_name: string;
  uom: string;
  location_id: string;
  location_name: string;
  kind: 'min-max' | 'reorder-point';
  min_qty: string | null;
  max_qty: string | null;
  reorder_point: string | null;
  safety_stock: string | null;
  service_level: string | null;
  demand_std_dev: string | null;
  lead_time_days: number | null;
  order_qty: string | null;
  order_cost: string | null;
  holding_cost_per_unit_year: string | null;
  order_multiple: string | null;
  min_order_qty: string | null;
  supplier_id: string | null;
  computed_reorder_point: string | null;
  computed_safety_stock: string | null;
  computed_order_qty: string | null;
  below_since: Date | string | null;
  /** Joined: the supplier that will be asked, its lead time, price and purchase unit. */
  eff_supplier_id: string | null;
  supplier_name: string | null;
  supplier_lead_time: number | null;
  unit_price: string | null;
  purchase_uom: string | null;
  factor: string | null;
  sup_moq: string | null;
  sup_multiple: string | null;
}

export const RULES_SQL = `
  SELECT r.*, i.name AS item_name, i.unit_of_measure AS uom, l.name AS location_name,
         coalesce(r.supplier_id, pref.supplier_id) AS eff_supplier_id, s.name AS supplier_name,
         coalesce(si.lead_time_days, s.lead_time_days) AS supplier_lead_time, si.unit_price, si.uom AS purchase_uom, si.factor,
         si.min_order_qty AS sup_moq, si.order_multiple AS sup_multiple
    FROM inventory_reorder_rule r JOIN core_item i ON i.id = r.item_id JOIN core_location l ON l.id = r.location_id
    LEFT JOIN inventory_supplier_item pref ON pref.item_id = r.item_id AND pref.preferred AND r.supplier_id IS NULL
    LEFT JOIN inventory_supplier s ON s.id = coalesce(r.supplier_id, pref.supplier_id)
    LEFT JOIN inventory_supplier_item si ON si.supplier_id = s.id AND si.item_id = r.item_id`;

/** On hand, reserved and on order for each rule, over the rule's location and everything below it. */
export async function positionsOf(tx: Pick<Transaction, 'execute'>, rules: { id: string; item_id: string; location_id: string }[]) {
  if (!rules.length) return new Map<string, { onHand: Dec; reserved: Dec; onOrder: Dec }>();
  const rows = await tx.execute<{ id: string; on_hand: string; reserved: string; on_order: string }>(
    `WITH RECURSIVE r AS (SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[]) AS x(id, item_id, location_id)),
       sub AS (SELECT r.id AS rule_id, r.location_id AS id FROM r
               UNION ALL SELECT sub.rule_id, c.id FROM core_location c JOIN sub ON c.parent_id = sub.id)
     SELECT r.id,
            coalesce((SELECT sum(b.on_hand) FROM inventory_balance b WHERE b.item_id = r.item_id AND b.location_id IN (SELECT s.id FROM sub s WHERE s.rule_id = r.id)), 0) AS on_hand,
            coalesce((SELECT sum(b.reserved) FROM inventory_balance b WHERE b.item_id = r.item_id AND b.location_id IN (SELECT s.id FROM sub s WHERE s.rule_id = r.id)), 0) AS reserved,
            coalesce((SELECT sum((pl.qty - pl.received_qty) * pl.factor) FROM inventory_purchase_order_line pl JOIN inventory_purchase_order po ON po.id = pl.purchase_order_id
                       WHERE pl.item_id = r.item_id AND po.status IN ('ordered','partially-received') AND pl.qty > pl.received_qty
                         AND po.location_id IN (SELECT s.id FROM sub s WHERE s.rule_id = r.id)), 0) AS on_order
       FROM r`,
    [rules.map((r) => r.id), rules.map((r) => r.item_id), rules.map((r) => r.location_id)],
  );
  return new Map(rows.map((r) => [r.id, { onHand: dec(r.on_hand), reserved: dec(r.reserved), onOrder: dec(r.on_order) }]));
}

/** Daily issued quantities from the rule's location subtree over the history window (days without issues count as 0). */
async function dailyDemand(tx: Pick<Transaction, 'execute'>, rule: RuleRow, days: number): Promise<Dec[]> {
  const rows = await tx.execute<{ d: string; qty: string }>(
    `WITH RECURSIVE sub AS (SELECT id FROM core_location WHERE id = $2 UNION ALL SELECT c.id FROM core_location c JOIN sub ON c.parent_id = sub.id)
     SELECT to_char(m.effective_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS d, sum(ml.qty) AS qty
       FROM inventory_move_line ml JOIN inventory_move m ON m.id = ml.move_id
      WHERE ml.item_id = $1 AND m.type = 'issue' AND ml.from_location_id IN (SELECT id FROM sub) AND m.effective_at >= now() - make_interval(days => $3)
      GROUP BY 1`,
    [rule.item_id, rule.location_id, days],
  );
  const byDay = new Map(rows.map((r) => [r.d, dec(r.qty)]));
  const out: Dec[] = [];
  for (let k = days - 1; k >= 0; k--) out.push(byDay.get(new Date(Date.now() - k * 86_400_000).toISOString().slice(0, 10)) ?? ZERO);
  return out;
}

export interface PlannedRule {
  reorderPoint: Dec | null;
  safetyStock: Dec | null;
  orderQty: Dec | null;
  orderQtySource: 'eoq' | 'fixed' | null;
  demandPerDay: Dec | null;
  demandStdDevPerDay: Dec | null;
  leadTimeDays: number | null;
  notes: string[];
}

/**
 * Fill in what the rule leaves open: σ of daily demand from history (unless entered), lead time from
 * the supplier (unless the rule sets one), safety stock z·σ·√L, reorder point d·L + SS, and the EOQ
 * when order and holding costs are given.
 */
export async function planRule(tx: Pick<Transaction, 'execute'>, rule: RuleRow, options: ReplenishmentOptions): Promise<PlannedRule> {
  const notes: string[] = [];
  const leadTimeDays = rule.lead_time_days ?? rule.supplier_lead_time ?? null;
  let demandPerDay: Dec | null = null;
  let sigma: Dec | null = rule.demand_std_dev === null ? null : dec(rule.demand_std_dev);
  const needsHistory = (rule.kind === 'reorder-point' && rule.reorder_point === null) || (rule.order_qty === null && rule.order_cost !== null);
  if (needsHistory) {
    const history = await dailyDemand(tx, rule, options.demandHistoryDays);
    const stats = demandStdDev(history);
    demandPerDay = stats.mean;
    if (sigma === null) {
      sigma = stats.stdDev;
      notes.push(`σ of daily demand ${qtyText(sigma.toDecimalPlaces(4))} from the last ${options.demandHistoryDays} days`);
    }
    notes.push(`average daily demand ${qtyText(demandPerDay.toDecimalPlaces(4))}`);
  }
  let safety: Dec | null = rule.safety_stock === null ? null : dec(rule.safety_stock);
  let point: Dec | null = rule.reorder_point === null ? null : dec(rule.reorder_point);
  if (rule.kind === 'reorder-point' && point === null) {
    if (leadTimeDays === null) notes.push('no lead time: set one on the rule or the supplier');
    else {
      const level = rule.service_level ?? String(options.defaultServiceLevel);
      safety ??= safetyStock({ serviceLevel: level, demandStdDevPerPeriod: sigma ?? ZERO, leadTimePeriods: leadTimeDays }).toDecimalPlaces(4);
      point = rop({ demandPerPeriod: demandPerDay ?? ZERO, leadTimePeriods: leadTimeDays, safetyStock: safety }).toDecimalPlaces(4);
      notes.push(`lead time ${leadTimeDays} days, service level ${dec(level).times(100).toFixed()} %`);
    }
  }
  let orderQty: Dec | null = rule.order_qty === null ? null : dec(rule.order_qty);
  let source: 'eoq' | 'fixed' | null = orderQty ? 'fixed' : null;
  if (!orderQty && rule.order_cost !== null && rule.holding_cost_per_unit_year !== null && demandPerDay && demandPerDay.gt(0)) {
    orderQty = economicOrderQuantity({ annualDemand: demandPerDay.times(365), orderCost: rule.order_cost, holdingCostPerUnitYear: rule.holding_cost_per_unit_year }).eoq.toDecimalPlaces(4);
    source = 'eoq';
  }
  return { reorderPoint: point, safetyStock: safety, orderQty, orderQtySource: source, demandPerDay, demandStdDevPerDay: sigma, leadTimeDays, notes };
}

/** The domain rule for a stored rule and its plan. Purchase-unit MOQ and multiples are in base units. */
export function domainRule(rule: RuleRow, plan: PlannedRule): ReorderRule | null {
  const factor = rule.factor === null ? dec(1) : dec(rule.factor);
  const moq = rule.min_order_qty ?? (rule.sup_moq === null ? null : dec(rule.sup_moq).times(factor).toFixed());
  // Whole purchase units: a box of 12 cannot be split.
  const multiple = rule.order_multiple ?? (rule.sup_multiple !== null ? dec(rule.sup_multiple).times(factor).toFixed() : factor.gt(1) ? factor.toFixed() : null);
  const common = { ...(moq ? { minimumOrderQty: moq } : {}), ...(multiple ? { orderMultiple: multiple } : {}) };
  if (rule.kind === 'min-max') return { kind: 'min-max', min: rule.min_qty!, max: rule.max_qty!, ...common };
  if (plan.reorderPoint === null) return null;
  if (!plan.orderQty && rule.max_qty === null) return null;
  return {
    kind: 'reorder-point',
    reorderPoint: plan.reorderPoint,
    ...(plan.orderQty ? { orderQty: plan.orderQty, orderQtySource: plan.orderQtySource ?? 'fixed' } : {}),
    ...(rule.max_qty !== null ? { maxLevel: rule.max_qty } : {}),
    ...common,
  };
}

/** The level at or below which a rule wants an order (stored or last computed). */
const thresholdSql = `CASE WHEN r.kind = 'min-max' THEN r.min_qty ELSE coalesce(r.reorder_point, r.computed_reorder_point) END`;

/**
 * After a move: rules of the touched items whose location contains a touched location are checked;
 * a rule whose position fell to or below its threshold raises the event once, and re-arms when the
 * position climbs back above it.
 */
export async function checkReorderPoints(tx: Pick<Transaction, 'execute'> & Pick<Transaction, 'emit'>, touched: { itemId: string; locationId: string }[]) {
  if (!touched.length) return;
  const rules = await tx.execute<{ id: string; item_id: string; location_id: string; threshold: string | null; below_since: unknown }>(
    `WITH RECURSIVE t AS (SELECT DISTINCT * FROM unnest($1::uuid[], $2::uuid[]) AS x(item_id, location_id)),
       up AS (SELECT t.item_id, t.location_id AS id, l.parent_id FROM t JOIN core_location l ON l.id = t.location_id
              UNION ALL SELECT up.item_id, p.id, p.parent_id FROM core_location p JOIN up ON p.id = up.parent_id)
     SELECT r.id, r.item_id, r.location_id, ${thresholdSql} AS threshold, r.below_since
       FROM (SELECT DISTINCT item_id, id FROM up) u
       -- One probe of the (item_id, location_id) key per candidate, never a scan of all rules.
       CROSS JOIN LATERAL (SELECT x.id FROM inventory_reorder_rule x WHERE x.item_id = u.item_id AND x.location_id = u.id OFFSET 0) k
       JOIN inventory_reorder_rule r ON r.id = k.id
      ORDER BY r.id FOR UPDATE OF r`,
    [touched.map((x) => x.itemId), touched.map((x) => x.locationId)],
  );
  const live = rules.filter((r) => r.threshold !== null);
  if (!live.length) return;
  const positions = await positionsOf(tx, live);
  for (const r of live) {
    const p = positions.get(r.id)!;
    const position = p.onHand.minus(p.reserved).plus(p.onOrder);
    const below = position.lte(dec(r.threshold!));
    if (below && r.below_since === null) {
      await tx.execute(`UPDATE inventory_reorder_rule SET below_since = now() WHERE id = $1`, [r.id]);
      await tx.emit(BelowReorderPoint, { ruleId: r.id, itemId: r.item_id, locationId: r.location_id, position: qtyText(position), reorderPoint: qtyText(r.threshold!) });
    } else if (!below && r.below_since !== null) {
      await tx.execute(`UPDATE inventory_reorder_rule SET below_since = NULL WHERE id = $1`, [r.id]);
    }
  }
}
