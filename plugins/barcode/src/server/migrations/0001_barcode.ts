import type { Migration } from '@quartermaster/sdk';

/**
 * The barcode plugin's tables (prefix `barcode_`): one settings row with the GS1 Company Prefix and
 * the counters keys are allocated from, a log of allocations and every key they handed out.
 * Counters only move forward while the prefix stays the same: a GS1 key is never handed out twice.
 */
export const barcodeMigration: Migration = {
  name: '0001_barcode',
  async up(db) {
    await db.execute(`
      CREATE TABLE barcode_settings (
        -- One row: the whole installation shares one company prefix and its counters.
        id smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
        company_prefix text CHECK (company_prefix ~ '^[0-9]{6,12}$'),
        sscc_extension_digit smallint NOT NULL DEFAULT 0 CHECK (sscc_extension_digit BETWEEN 0 AND 9),
        next_sscc bigint NOT NULL DEFAULT 1 CHECK (next_sscc >= 0),
        next_giai bigint NOT NULL DEFAULT 1 CHECK (next_giai >= 0),
        next_grai bigint NOT NULL DEFAULT 1 CHECK (next_grai >= 0),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      INSERT INTO barcode_settings (id) VALUES (1);

      CREATE TABLE barcode_allocation (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        key_type text NOT NULL CHECK (key_type IN ('sscc','giai','grai')),
        company_prefix text NOT NULL,
        count integer NOT NULL CHECK (count BETWEEN 1 AND 1000),
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX barcode_allocation_created_idx ON barcode_allocation (created_at DESC);

      -- Every key ever handed out. The primary key is the last guard against handing one out twice
      -- (a counter set back together with a prefix changed and changed back).
      CREATE TABLE barcode_allocated_key (
        key_type text NOT NULL,
        value text NOT NULL,
        allocation_id uuid NOT NULL REFERENCES barcode_allocation(id),
        PRIMARY KEY (key_type, value)
      );
      CREATE INDEX barcode_allocated_key_allocation_idx ON barcode_allocated_key (allocation_id);
    `);
  },
};
