import { Type, problems, type PluginApp, type PluginContext } from '@quartermaster/sdk';
import { VALUATION_METHODS, permissions } from '../../shared/index.js';
import { dec, qtyText } from '../../domain/money.js';
import { negativePolicySql, valuationMethodsOf, type InventoryOptions } from '../services/ledger.service.js';
import { readerOf } from '../services/stock.service.js';
import { DecimalIn, DecimalOut, IdParams, Nullable, errorResponses } from './schemas.js';

const Method = Type.Union(VALUATION_METHODS.map((m) => Type.Literal(m)));
const Unit = Type.Object({ uom: Type.String({ minLength: 1, maxLength: 20, pattern: '\\S' }), factor: DecimalIn }, { additionalProperties: false });
const ItemSettingsOut = Type.Object({
  itemId: Type.String(),
  baseUom: Type.String(),
  valuationMethod: Nullable(Method),
  effectiveValuationMethod: Method,
  standardCost: Nullable(DecimalOut),
  units: Type.Array(Type.Object({ uom: Type.String(), factor: DecimalOut })),
  onHand: DecimalOut,
});

export function settingsRoutes(app: PluginApp, ctx: PluginContext<any>, options: InventoryOptions) {
  const db = readerOf(ctx);
  const loadItem = async (id: string) => {
    const [i] = await db.execute<{ id: string; unit_of_measure: string; method: string | null; standard_cost: string | null; qty: string | null }>(
      `SELECT i.id, i.unit_of_measure, s.valuation_method AS method, s.standard_cost, vs.qty FROM core_item i
         LEFT JOIN inventory_item_settings s ON s.item_id = i.id LEFT JOIN inventory_valuation_state vs ON vs.item_id = i.id WHERE i.id = $1`,
      [id],
    );
    if (!i) return undefined;
    const units = await db.execute<{ uom: string; factor: string }>(`SELECT uom, factor FROM inventory_item_uom WHERE item_id = $1 ORDER BY factor, uom`, [id]);
    const eff = (await valuationMethodsOf(db, [id], options.defaultValuationMethod)).get(id)!;
    return {
      itemId: i.id,
      baseUom: i.unit_of_measure,
      valuationMethod: i.method as any,
      effectiveValuationMethod: eff.method,
      standardCost: i.standard_cost === null ? null : qtyText(i.standard_cost),
      units: units.map((u) => ({ uom: u.uom, factor: qtyText(u.factor) })),
      onHand: qtyText(i.qty ?? 0),
    };
  };

  app.get(
    '/items/:id/settings',
    { config: { permission: permissions.stockRead }, schema: { summary: "An item's inventory settings", params: IdParams, response: { 200: ItemSettingsOut, ...errorResponses } } },
    async (req) => {
      const s = await loadItem(req.params.id);
      if (!s) throw problems.notFound('item', req.params.id);
      return s;
    },
  );

  app.put(
    '/items/:id/settings',
    {
      config: { permission: permissions.settingsWrite },
      schema: {
        summary: "Set an item's valuation method, standard cost and units of measure",
        description:
          'The valuation method and the standard cost can change only while the item has no stock (409 otherwise): changing them with stock on hand would re-value it. `units` replaces the list of alternative units (1 unit = factor × base unit).',
        params: IdParams,
        body: Type.Object(
          { valuationMethod: Type.Optional(Nullable(Method)), standardCost: Type.Optional(Nullable(DecimalIn)), units: Type.Optional(Type.Array(Unit, { maxItems: 50 })) },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: ItemSettingsOut, ...errorResponses },
      },
    },
    async (req) => {
      const b = req.body;
      await ctx.transaction(req.actor, async (tx) => {
        const [item] = await tx.execute<{ id: string; unit_of_measure: string }>(`SELECT id, unit_of_measure FROM core_item WHERE id = $1 FOR UPDATE`, [req.params.id]);
        if (!item) throw problems.notFound('item', req.params.id);
        const before = (await loadItem(item.id))!;
        const errors: { field: string; message: string }[] = [];
        if (b.standardCost !== undefined && b.standardCost !== null && dec(b.standardCost).lt(0)) errors.push({ field: 'standardCost', message: 'must be at least 0' });
        const seen = new Set<string>();
        (b.units ?? []).forEach((u, i) => {
          const uom = u.uom.trim();
          if (!(dec(u.factor).gt(0))) errors.push({ field: `units.${i}.factor`, message: 'must be greater than 0' });
          if (uom === item.unit_of_measure) errors.push({ field: `units.${i}.uom`, message: 'is the base unit already' });
          if (seen.has(uom)) errors.push({ field: `units.${i}.uom`, message: 'is listed twice' });
          seen.add(uom);
        });
        if (errors.length) throw problems.validation(errors);
        const method = b.valuationMethod !== undefined ? b.valuationMethod : before.valuationMethod;
        const std = b.standardCost !== undefined ? (b.standardCost === null ? null : dec(b.standardCost).toFixed(10)) : before.standardCost;
        // Lock the item's cost state so a concurrent move cannot slip stock in between the check and the change.
        const [state] = await tx.execute<{ qty: string }>(`SELECT qty FROM inventory_valuation_state WHERE item_id = $1 FOR UPDATE`, [item.id]);
        const hasStock = state && !dec(state.qty).eq(0);
        const methodChanged = (method ?? null) !== (before.valuationMethod ?? null);
        const stdChanged = (std === null ? null : dec(std).toFixed()) !== (before.standardCost === null ? null : dec(before.standardCost).toFixed());
        if (hasStock && methodChanged) {
          throw problems.conflict('inventory/valuation-locked', 'Item has stock', `The valuation method cannot change while ${qtyText(state.qty)} ${item.unit_of_measure} are on hand`, { onHand: qtyText(state.qty) });
        }
        if (hasStock && stdChanged && before.effectiveValuationMethod === 'standard') {
          throw problems.conflict('inventory/valuation-locked', 'Item has stock', `The standard cost cannot change while ${qtyText(state.qty)} ${item.unit_of_measure} are on hand`, { onHand: qtyText(state.qty) });
        }
        await tx.execute(
          `INSERT INTO inventory_item_settings (item_id, valuation_method, standard_cost) VALUES ($1, $2, $3)
           ON CONFLICT (item_id) DO UPDATE SET valuation_method = EXCLUDED.valuation_method, standard_cost = EXCLUDED.standard_cost, updated_at = now()`,
          [item.id, method ?? null, std],
        );
        if (b.units) {
          await tx.execute(`DELETE FROM inventory_item_uom WHERE item_id = $1`, [item.id]);
          if (b.units.length) {
            await tx.execute(`INSERT INTO inventory_item_uom (item_id, uom, factor) SELECT $1, u, f FROM unnest($2::text[], $3::numeric[]) AS x(u, f)`, [
              item.id,
              b.units.map((u) => u.uom.trim()),
              b.units.map((u) => dec(u.factor).toFixed()),
            ]);
          }
        }
        const after = await loadItem(item.id);
        if (after && (methodChanged || stdChanged || b.units)) {
          const eff = (await valuationMethodsOf(tx, [item.id], options.defaultValuationMethod)).get(item.id)!;
          if (eff.method === 'standard' && eff.standardCost === null && std === null) throw problems.validation([{ field: 'standardCost', message: 'standard cost valuation needs a standard cost' }]);
        }
        await tx.audit({ action: 'updated', entityType: 'inventory.item-settings', entityId: item.id, before, after: { valuationMethod: method ?? null, standardCost: std === null ? null : qtyText(std), units: b.units ?? before.units } });
      });
      return loadItem(req.params.id);
    },
  );

  app.put(
    '/categories/:id/settings',
    {
      config: { permission: permissions.settingsWrite },
      schema: {
        summary: "Set a category's valuation method (inherited by its items and sub-categories)",
        params: IdParams,
        body: Type.Object({ valuationMethod: Nullable(Method) }, { additionalProperties: false }),
        response: { 200: Type.Object({ categoryId: Type.String(), valuationMethod: Nullable(Method) }), ...errorResponses },
      },
    },
    async (req) => {
      const method = req.body.valuationMethod;
      await ctx.transaction(req.actor, async (tx) => {
        const [cat] = await tx.execute<{ id: string }>(`SELECT id FROM core_category WHERE id = $1`, [req.params.id]);
        if (!cat) throw problems.notFound('category', req.params.id);
        // Items that inherit through this category and hold stock would change method under their stock.
        const [held] = await tx.execute<{ n: string }>(
          `WITH RECURSIVE sub AS (SELECT id FROM core_category WHERE id = $1 UNION ALL SELECT c.id FROM core_category c JOIN sub ON c.parent_id = sub.id)
           SELECT count(*) AS n FROM core_item i JOIN inventory_valuation_state vs ON vs.item_id = i.id
             LEFT JOIN inventory_item_settings s ON s.item_id = i.id
            WHERE i.category_id IN (SELECT id FROM sub) AND s.valuation_method IS NULL AND vs.qty <> 0`,
          [cat.id],
        );
        const [before] = await tx.execute<{ valuation_method: string }>(`SELECT valuation_method FROM inventory_category_settings WHERE category_id = $1`, [cat.id]);
        if ((before?.valuation_method ?? null) !== method && Number(held.n) > 0) {
          throw problems.conflict('inventory/valuation-locked', 'Items in stock', `${held.n} item(s) of this category take their valuation method from it and have stock`, { items: Number(held.n) });
        }
        if (method === null) await tx.execute(`DELETE FROM inventory_category_settings WHERE category_id = $1`, [cat.id]);
        else
          await tx.execute(
            `INSERT INTO inventory_category_settings (category_id, valuation_method) VALUES ($1, $2) ON CONFLICT (category_id) DO UPDATE SET valuation_method = EXCLUDED.valuation_method, updated_at = now()`,
            [cat.id, method],
          );
        await tx.audit({ action: 'updated', entityType: 'inventory.category-settings', entityId: cat.id, before: { valuationMethod: before?.valuation_method ?? null }, after: { valuationMethod: method } });
      });
      return { categoryId: req.params.id, valuationMethod: method };
    },
  );

  const PolicyOut = Type.Object({ locationId: Type.String(), allowNegative: Nullable(Type.Boolean()), effectiveAllowNegative: Type.Boolean() });
  const loadPolicy = async (id: string) => {
    const [r] = await db.execute<{ id: string; own: boolean | null; eff: boolean | null }>(
      `SELECT l.id, (SELECT allow_negative FROM inventory_location_policy WHERE location_id = l.id) AS own, ${negativePolicySql('l')} AS eff
         FROM core_location l WHERE l.id = $1`,
      [id],
    );
    return r ? { locationId: r.id, allowNegative: r.own, effectiveAllowNegative: !!r.eff } : undefined;
  };

  app.get(
    '/locations/:id/policy',
    { config: { permission: permissions.stockRead }, schema: { summary: "A location's stock policy", params: IdParams, response: { 200: PolicyOut, ...errorResponses } } },
    async (req) => {
      const p = await loadPolicy(req.params.id);
      if (!p) throw problems.notFound('location', req.params.id);
      return p;
    },
  );

  app.put(
    '/locations/:id/policy',
    {
      config: { permission: permissions.settingsWrite },
      schema: {
        summary: 'Allow or refuse negative stock at a location (and below it)',
        description: 'null removes the location\'s own policy so it inherits from its parent. Negative stock is refused unless allowed.',
        params: IdParams,
        body: Type.Object({ allowNegative: Nullable(Type.Boolean()) }, { additionalProperties: false }),
        response: { 200: PolicyOut, ...errorResponses },
      },
    },
    async (req) => {
      await ctx.transaction(req.actor, async (tx) => {
        const [loc] = await tx.execute<{ id: string }>(`SELECT id FROM core_location WHERE id = $1`, [req.params.id]);
        if (!loc) throw problems.notFound('location', req.params.id);
        const [before] = await tx.execute<{ allow_negative: boolean }>(`SELECT allow_negative FROM inventory_location_policy WHERE location_id = $1`, [loc.id]);
        if (req.body.allowNegative === null) await tx.execute(`DELETE FROM inventory_location_policy WHERE location_id = $1`, [loc.id]);
        else
          await tx.execute(
            `INSERT INTO inventory_location_policy (location_id, allow_negative) VALUES ($1, $2) ON CONFLICT (location_id) DO UPDATE SET allow_negative = EXCLUDED.allow_negative, updated_at = now()`,
            [loc.id, req.body.allowNegative],
          );
        await tx.audit({ action: 'updated', entityType: 'inventory.location-policy', entityId: loc.id, before: { allowNegative: before?.allow_negative ?? null }, after: { allowNegative: req.body.allowNegative } });
      });
      return loadPolicy(req.params.id);
    },
  );
}
