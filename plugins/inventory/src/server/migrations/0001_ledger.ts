import type { Migration } from '@quartermaster/sdk';

/**
 * The stock ledger and the cost ledger.
 *
 * - `inventory_move` / `inventory_move_line`: posted, immutable stock moves (corrections are reversing moves).
 * - `inventory_balance`: on hand and reserved per item × location × lot × serial, updated in the
 *   move's transaction under row locks; "how many" reads this, never the history.
 * - `inventory_valuation_entry`: one row per valued line (in or out) per item, ordered by
 *   (effective_at, id), carrying the running quantity and value after it, so a report as of any
 *   date reads one row per item and a back-dated move replays only the entries after it.
 * - `inventory_cost_layer` / `inventory_layer_consumption`: FIFO/LIFO layers and what each issue took.
 * Quantities and unit costs are numeric(28,10); posted amounts are rounded to the currency's minor unit.
 */
export const ledgerMigration: Migration = {
  name: '0001_ledger',
  async up(db) {
    await db.execute(`
      CREATE TABLE inventory_item_settings (
        item_id uuid PRIMARY KEY REFERENCES core_item(id),
        valuation_method text CHECK (valuation_method IN ('fifo','lifo','moving-average','standard')),
        standard_cost numeric(28,10) CHECK (standard_cost >= 0),
        updated_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE inventory_category_settings (
        category_id uuid PRIMARY KEY REFERENCES core_category(id),
        valuation_method text NOT NULL CHECK (valuation_method IN ('fifo','lifo','moving-average','standard')),
        updated_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE inventory_location_policy (
        location_id uuid PRIMARY KEY REFERENCES core_location(id),
        allow_negative boolean NOT NULL DEFAULT false,
        updated_at timestamptz NOT NULL DEFAULT now()
      );

      -- Alternative units of an item: 1 <uom> = factor × the item's base unit (core_item.unit_of_measure).
      CREATE TABLE inventory_item_uom (
        item_id uuid NOT NULL REFERENCES core_item(id),
        uom text NOT NULL CHECK (uom <> ''),
        factor numeric(28,10) NOT NULL CHECK (factor > 0),
        PRIMARY KEY (item_id, uom)
      );

      CREATE TABLE inventory_lot (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        item_id uuid NOT NULL REFERENCES core_item(id),
        code text NOT NULL CHECK (code <> ''),
        expires_on date,
        manufactured_on date,
        blocked boolean NOT NULL DEFAULT false,
        block_reason text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (item_id, code)
      );
      CREATE INDEX inventory_lot_expiry_idx ON inventory_lot (expires_on) WHERE expires_on IS NOT NULL;

      CREATE TABLE inventory_serial (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        item_id uuid NOT NULL REFERENCES core_item(id),
        serial text NOT NULL CHECK (serial <> ''),
        lot_id uuid REFERENCES inventory_lot(id),
        -- Where the unit is now; null once it has left stock (issued, returned to the supplier).
        location_id uuid REFERENCES core_location(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (item_id, serial)
      );

      CREATE TABLE inventory_move (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        number bigserial NOT NULL UNIQUE,
        type text NOT NULL CHECK (type IN ('receipt','issue','transfer','adjustment','count','customer-return','supplier-return')),
        reference text,
        note text,
        effective_at timestamptz NOT NULL,
        posted_at timestamptz NOT NULL DEFAULT now(),
        posted_by uuid REFERENCES core_user(id),
        posted_by_label text NOT NULL,
        -- A reversal points at the move it cancels; a move is reversed at most once.
        reverses_move_id uuid UNIQUE REFERENCES inventory_move(id)
      );
      CREATE INDEX inventory_move_effective_idx ON inventory_move (effective_at DESC, number DESC);
      CREATE INDEX inventory_move_reference_idx ON inventory_move (reference) WHERE reference IS NOT NULL;

      CREATE TABLE inventory_move_line (
        id bigserial PRIMARY KEY,
        move_id uuid NOT NULL REFERENCES inventory_move(id),
        line_no integer NOT NULL,
        item_id uuid NOT NULL REFERENCES core_item(id),
        from_location_id uuid REFERENCES core_location(id),
        to_location_id uuid REFERENCES core_location(id),
        lot_id uuid REFERENCES inventory_lot(id),
        serial_id uuid REFERENCES inventory_serial(id),
        -- Quantity in the item's base unit, and as entered.
        qty numeric(28,10) NOT NULL CHECK (qty > 0),
        uom text NOT NULL,
        uom_qty numeric(28,10) NOT NULL CHECK (uom_qty > 0),
        -- Incoming lines: the base-unit cost they came in at.
        unit_cost numeric(28,10) CHECK (unit_cost >= 0),
        -- Value of the line in the currency's minor unit: receipt value, or cost of what left.
        amount numeric(20,4),
        reason text,
        -- Customer returns point at the issue line; supplier returns at the receipt line.
        return_of_line_id bigint REFERENCES inventory_move_line(id),
        reverses_line_id bigint REFERENCES inventory_move_line(id),
        -- Outgoing lines: the incoming line whose cost layer they take first (supplier returns,
        -- reversals of receipts, and serialized units, which leave at their own cost).
        cost_source_line_id bigint REFERENCES inventory_move_line(id),
        reservation_id uuid,
        UNIQUE (move_id, line_no),
        CHECK (from_location_id IS NOT NULL OR to_location_id IS NOT NULL)
      );
      CREATE INDEX inventory_move_line_move_idx ON inventory_move_line (move_id);
      CREATE INDEX inventory_move_line_item_idx ON inventory_move_line (item_id, move_id);
      CREATE INDEX inventory_move_line_lot_idx ON inventory_move_line (lot_id) WHERE lot_id IS NOT NULL;
      CREATE INDEX inventory_move_line_serial_idx ON inventory_move_line (serial_id) WHERE serial_id IS NOT NULL;
      CREATE INDEX inventory_move_line_from_idx ON inventory_move_line (from_location_id) WHERE from_location_id IS NOT NULL;
      CREATE INDEX inventory_move_line_to_idx ON inventory_move_line (to_location_id) WHERE to_location_id IS NOT NULL;
      CREATE INDEX inventory_move_line_return_idx ON inventory_move_line (return_of_line_id) WHERE return_of_line_id IS NOT NULL;

      CREATE TABLE inventory_balance (
        id bigserial PRIMARY KEY,
        item_id uuid NOT NULL REFERENCES core_item(id),
        location_id uuid NOT NULL REFERENCES core_location(id),
        lot_id uuid REFERENCES inventory_lot(id),
        serial_id uuid REFERENCES inventory_serial(id),
        on_hand numeric(28,10) NOT NULL DEFAULT 0,
        reserved numeric(28,10) NOT NULL DEFAULT 0 CHECK (reserved >= 0),
        updated_at timestamptz NOT NULL DEFAULT now(),
        -- A serialized unit is in one place, once. (Not "IN (0, 1)": the upsert proposes the delta row,
        -- e.g. -1 for a unit leaving, and PostgreSQL checks it before resolving the conflict.)
        CHECK (serial_id IS NULL OR on_hand <= 1),
        CONSTRAINT inventory_balance_key UNIQUE NULLS NOT DISTINCT (item_id, location_id, lot_id, serial_id)
      );
      CREATE INDEX inventory_balance_location_idx ON inventory_balance (location_id, item_id);
      CREATE INDEX inventory_balance_lot_idx ON inventory_balance (lot_id) WHERE lot_id IS NOT NULL;

      -- The current cost state of an item, locked while a move values it.
      CREATE TABLE inventory_valuation_state (
        item_id uuid PRIMARY KEY REFERENCES core_item(id),
        qty numeric(28,10) NOT NULL DEFAULT 0,
        value numeric(20,4) NOT NULL DEFAULT 0,
        last_unit_cost numeric(28,10) NOT NULL DEFAULT 0,
        last_effective_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE inventory_valuation_entry (
        id bigserial PRIMARY KEY,
        item_id uuid NOT NULL REFERENCES core_item(id),
        move_line_id bigint NOT NULL UNIQUE REFERENCES inventory_move_line(id),
        effective_at timestamptz NOT NULL,
        direction text NOT NULL CHECK (direction IN ('in','out')),
        method text NOT NULL,
        qty numeric(28,10) NOT NULL CHECK (qty > 0),
        -- in: value received; out: cost of what left (covers qty − unvalued_qty).
        amount numeric(20,4) NOT NULL,
        -- Standard cost: what the receipt cost above (or below) standard.
        price_variance numeric(20,4) NOT NULL DEFAULT 0,
        -- An out taken without stock (negatives allowed) waits for a receipt to value it.
        unvalued_qty numeric(28,10) NOT NULL DEFAULT 0,
        running_qty numeric(28,10) NOT NULL,
        running_value numeric(20,4) NOT NULL
      );
      CREATE INDEX inventory_valuation_entry_order_idx ON inventory_valuation_entry (item_id, effective_at, id);
      CREATE INDEX inventory_valuation_entry_time_idx ON inventory_valuation_entry (effective_at);
      CREATE INDEX inventory_valuation_entry_unvalued_idx ON inventory_valuation_entry (item_id, effective_at, id) WHERE unvalued_qty > 0;

      CREATE TABLE inventory_cost_layer (
        id bigserial PRIMARY KEY,
        item_id uuid NOT NULL REFERENCES core_item(id),
        entry_id bigint NOT NULL UNIQUE REFERENCES inventory_valuation_entry(id),
        effective_at timestamptz NOT NULL,
        qty numeric(28,10) NOT NULL,
        value numeric(20,4) NOT NULL,
        unit_cost numeric(28,10) NOT NULL,
        remaining_qty numeric(28,10) NOT NULL CHECK (remaining_qty >= 0),
        remaining_value numeric(20,4) NOT NULL
      );
      CREATE INDEX inventory_cost_layer_open_idx ON inventory_cost_layer (item_id, effective_at, id) WHERE remaining_qty > 0;

      -- What an outgoing entry took: from a FIFO/LIFO layer, or (moving average, issued without
      -- stock) from the receipt entry that later valued it.
      CREATE TABLE inventory_layer_consumption (
        id bigserial PRIMARY KEY,
        entry_id bigint NOT NULL REFERENCES inventory_valuation_entry(id),
        layer_id bigint REFERENCES inventory_cost_layer(id),
        source_entry_id bigint REFERENCES inventory_valuation_entry(id),
        qty numeric(28,10) NOT NULL CHECK (qty > 0),
        amount numeric(20,4) NOT NULL,
        CHECK (layer_id IS NOT NULL OR source_entry_id IS NOT NULL)
      );
      CREATE INDEX inventory_layer_consumption_source_idx ON inventory_layer_consumption (source_entry_id) WHERE source_entry_id IS NOT NULL;
      CREATE INDEX inventory_layer_consumption_entry_idx ON inventory_layer_consumption (entry_id);
      CREATE INDEX inventory_layer_consumption_layer_idx ON inventory_layer_consumption (layer_id);

      CREATE TABLE inventory_reservation (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        item_id uuid NOT NULL REFERENCES core_item(id),
        location_id uuid NOT NULL REFERENCES core_location(id),
        qty numeric(28,10) NOT NULL CHECK (qty > 0),
        -- What issues have taken from it so far.
        consumed_qty numeric(28,10) NOT NULL DEFAULT 0,
        status text NOT NULL DEFAULT 'active' CHECK (status IN ('active','released','consumed','expired')),
        reference_type text,
        reference text,
        expires_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        created_by_label text NOT NULL,
        closed_at timestamptz
      );
      CREATE INDEX inventory_reservation_active_idx ON inventory_reservation (item_id, location_id) WHERE status = 'active';
      CREATE INDEX inventory_reservation_expiry_idx ON inventory_reservation (expires_at) WHERE status = 'active' AND expires_at IS NOT NULL;

      -- Which balances a reservation holds (a lot-tracked reservation may span lots, picked FEFO).
      CREATE TABLE inventory_reservation_allocation (
        reservation_id uuid NOT NULL REFERENCES inventory_reservation(id),
        balance_id bigint NOT NULL REFERENCES inventory_balance(id),
        qty numeric(28,10) NOT NULL CHECK (qty >= 0),
        PRIMARY KEY (reservation_id, balance_id)
      );
    `);
  },
};
