import type { Migration } from '@quartermaster/sdk';

/**
 * The cost ledger behind total cost of ownership: one immutable row per cost an asset incurred
 * (maintenance, repair, calibration, fuel, insurance, extra acquisition costs such as freight or
 * installation…), posted by hand (`source` = 'manual') or by another plugin through the
 * `fixedAssetsService.postCost` SDK call (`source` = that plugin's id).
 *
 * - `UNIQUE (source, source_ref)`: a poster that retries with the same reference posts once.
 *   Manual entries without a reference are never deduplicated (NULLs are distinct).
 * Money is numeric(20,4) with its ISO 4217 currency (the asset's); `incurred_on` is a date.
 */
export const costsMigration: Migration = {
  name: '0006_costs',
  async up(db) {
    await db.execute(`
      CREATE TABLE fixed_assets_cost_entry (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        asset_id uuid NOT NULL REFERENCES fixed_assets_asset(id),
        incurred_on date NOT NULL,
        kind text NOT NULL CHECK (kind IN ('acquisition','maintenance','repair','calibration','fuel','insurance','other')),
        amount numeric(20,4) NOT NULL CHECK (amount >= 0),
        currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
        source text NOT NULL CHECK (source ~ '^[a-z][a-z0-9-]{0,63}$'),
        source_ref text CHECK (source_ref IS NULL OR btrim(source_ref) <> ''),
        description text,
        created_at timestamptz NOT NULL DEFAULT now(),
        created_by_label text NOT NULL,
        CONSTRAINT fixed_assets_cost_entry_source_ref_key UNIQUE (source, source_ref)
      );
      CREATE INDEX fixed_assets_cost_entry_asset_idx ON fixed_assets_cost_entry (asset_id, incurred_on);
      CREATE INDEX fixed_assets_cost_entry_incurred_idx ON fixed_assets_cost_entry (incurred_on);
    `);
  },
};
