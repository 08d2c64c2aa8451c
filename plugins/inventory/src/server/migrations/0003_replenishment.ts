import type { Migration } from '@quartermaster/sdk';

/**
 * Replenishment: suppliers and what they sell at what price and lead time, reorder rules per
 * item × location, purchase orders received against in one or more receipts, and stock-out
 * episodes (when an item × location ran dry and when it recovered) for service-level reports.
 */
export const replenishmentMigration: Migration = {
  name: '0003_replenishment',
  async up(db) {
    await db.execute(`
      CREATE TABLE inventory_supplier (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (name <> ''),
        code text,
        email text,
        phone text,
        currency text NOT NULL DEFAULT 'EUR' CHECK (currency ~ '^[A-Z]{3}$'),
        lead_time_days integer NOT NULL DEFAULT 7 CHECK (lead_time_days >= 0),
        notes text,
        archived boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX inventory_supplier_name_uq ON inventory_supplier (lower(name));
      CREATE UNIQUE INDEX inventory_supplier_code_uq ON inventory_supplier (code) WHERE code IS NOT NULL;

      CREATE TABLE inventory_supplier_item (
        supplier_id uuid NOT NULL REFERENCES inventory_supplier(id),
        item_id uuid NOT NULL REFERENCES core_item(id),
        supplier_sku text,
        -- Price per purchase unit (uom), which holds factor base units.
        unit_price numeric(28,10) NOT NULL CHECK (unit_price >= 0),
        uom text NOT NULL,
        factor numeric(28,10) NOT NULL DEFAULT 1 CHECK (factor > 0),
        lead_time_days integer CHECK (lead_time_days >= 0),
        min_order_qty numeric(28,10) CHECK (min_order_qty > 0),
        order_multiple numeric(28,10) CHECK (order_multiple > 0),
        preferred boolean NOT NULL DEFAULT false,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (supplier_id, item_id)
      );
      CREATE UNIQUE INDEX inventory_supplier_item_preferred_uq ON inventory_supplier_item (item_id) WHERE preferred;

      CREATE TABLE inventory_reorder_rule (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        item_id uuid NOT NULL REFERENCES core_item(id),
        location_id uuid NOT NULL REFERENCES core_location(id),
        kind text NOT NULL CHECK (kind IN ('min-max','reorder-point')),
        min_qty numeric(28,10),
        max_qty numeric(28,10),
        -- Fixed reorder point and safety stock; when null they are computed from demand history.
        reorder_point numeric(28,10),
        safety_stock numeric(28,10),
        service_level numeric(8,6) CHECK (service_level > 0 AND service_level < 1),
        demand_std_dev numeric(28,10) CHECK (demand_std_dev >= 0),
        lead_time_days integer CHECK (lead_time_days >= 0),
        -- Order quantity: fixed, or EOQ from order and holding cost.
        order_qty numeric(28,10) CHECK (order_qty > 0),
        order_cost numeric(28,10) CHECK (order_cost > 0),
        holding_cost_per_unit_year numeric(28,10) CHECK (holding_cost_per_unit_year > 0),
        order_multiple numeric(28,10) CHECK (order_multiple > 0),
        min_order_qty numeric(28,10) CHECK (min_order_qty > 0),
        supplier_id uuid REFERENCES inventory_supplier(id),
        -- What the last planning run computed from demand history when the rule leaves them open.
        computed_reorder_point numeric(28,10),
        computed_safety_stock numeric(28,10),
        computed_order_qty numeric(28,10),
        computed_at timestamptz,
        -- Set while the position is at or below the reorder point, so the event fires once per crossing.
        below_since timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (item_id, location_id),
        CHECK (kind <> 'min-max' OR (min_qty IS NOT NULL AND max_qty IS NOT NULL AND max_qty >= min_qty AND min_qty >= 0))
      );

      CREATE TABLE inventory_purchase_order (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        number bigserial NOT NULL UNIQUE,
        supplier_id uuid NOT NULL REFERENCES inventory_supplier(id),
        location_id uuid NOT NULL REFERENCES core_location(id),
        status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','ordered','partially-received','received','closed','cancelled')),
        expected_on date,
        reference text,
        note text,
        created_at timestamptz NOT NULL DEFAULT now(),
        created_by_label text NOT NULL,
        ordered_at timestamptz,
        closed_at timestamptz
      );
      CREATE INDEX inventory_purchase_order_status_idx ON inventory_purchase_order (status, created_at DESC);

      CREATE TABLE inventory_purchase_order_line (
        id bigserial PRIMARY KEY,
        purchase_order_id uuid NOT NULL REFERENCES inventory_purchase_order(id),
        line_no integer NOT NULL,
        item_id uuid NOT NULL REFERENCES core_item(id),
        -- In the purchase unit: qty of uom, each holding factor base units, at unit_price per uom.
        qty numeric(28,10) NOT NULL CHECK (qty > 0),
        uom text NOT NULL,
        factor numeric(28,10) NOT NULL CHECK (factor > 0),
        unit_price numeric(28,10) NOT NULL CHECK (unit_price >= 0),
        received_qty numeric(28,10) NOT NULL DEFAULT 0 CHECK (received_qty >= 0),
        reorder_rule_id uuid REFERENCES inventory_reorder_rule(id),
        UNIQUE (purchase_order_id, line_no)
      );
      CREATE INDEX inventory_purchase_order_line_item_idx ON inventory_purchase_order_line (item_id);

      CREATE TABLE inventory_stockout (
        id bigserial PRIMARY KEY,
        item_id uuid NOT NULL REFERENCES core_item(id),
        location_id uuid NOT NULL REFERENCES core_location(id),
        move_id uuid NOT NULL REFERENCES inventory_move(id),
        occurred_at timestamptz NOT NULL,
        recovered_at timestamptz
      );
      CREATE UNIQUE INDEX inventory_stockout_open_uq ON inventory_stockout (item_id, location_id) WHERE recovered_at IS NULL;
    `);
  },
};
