import type { Migration } from '@quartermaster/sdk';

/**
 * Counting: count sessions over a location subtree, with the expected quantities frozen when the
 * count starts, counted (and recounted) quantities, and the count move that posts the variances.
 * ABC class per item drives how often cycle counts come due.
 */
export const countsMigration: Migration = {
  name: '0002_counts',
  async up(db) {
    await db.execute(`
      ALTER TABLE inventory_item_settings ADD COLUMN abc_class text CHECK (abc_class IN ('A','B','C'));
      ALTER TABLE inventory_item_settings ADD COLUMN abc_classified_at timestamptz;

      CREATE TABLE inventory_count (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        number bigserial NOT NULL UNIQUE,
        name text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('cycle','full')),
        location_id uuid NOT NULL REFERENCES core_location(id),
        blind boolean NOT NULL DEFAULT true,
        status text NOT NULL DEFAULT 'counting' CHECK (status IN ('counting','review','posted','cancelled')),
        -- Lines whose variance exceeds this share of the expected quantity are sent to recount.
        recount_tolerance numeric(10,6) NOT NULL DEFAULT 0,
        started_at timestamptz NOT NULL DEFAULT now(),
        started_by_label text NOT NULL,
        closed_at timestamptz,
        move_id uuid REFERENCES inventory_move(id),
        note text
      );
      CREATE INDEX inventory_count_status_idx ON inventory_count (status, started_at DESC);

      CREATE TABLE inventory_count_line (
        id bigserial PRIMARY KEY,
        count_id uuid NOT NULL REFERENCES inventory_count(id),
        item_id uuid NOT NULL REFERENCES core_item(id),
        location_id uuid NOT NULL REFERENCES core_location(id),
        lot_id uuid REFERENCES inventory_lot(id),
        serial_id uuid REFERENCES inventory_serial(id),
        expected_qty numeric(28,10) NOT NULL,
        counted_qty numeric(28,10) CHECK (counted_qty >= 0),
        recount_qty numeric(28,10) CHECK (recount_qty >= 0),
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','counted','recount','recounted')),
        counted_by_label text,
        counted_at timestamptz,
        CONSTRAINT inventory_count_line_key UNIQUE NULLS NOT DISTINCT (count_id, item_id, location_id, lot_id, serial_id)
      );
      CREATE INDEX inventory_count_line_item_idx ON inventory_count_line (item_id);
    `);
  },
};
