import type { Migration } from '@quartermaster/sdk';

/**
 * Disposal accounting, revaluation, impairment and changes in estimates.
 *
 * - `fixed_assets_book_adjustment`: a revaluation (IAS 16), an impairment (IAS 36) or a change in
 *   the useful life or residual value (IAS 8) of an asset in a book, effective on the first day of a
 *   period; the schedule is re-based on it from then on (domain/depreciation/adjusted-schedule.ts).
 *   `amount` is the change in carrying amount; `revaluation_surplus` the change in the asset's
 *   revaluation surplus (equity, other comprehensive income: + credited, − debited) and
 *   `profit_or_loss` what went through profit or loss (− a loss, + a reversal). `useful_life_years`
 *   and `salvage_value` are what was given (null: carried on from before).
 * - `fixed_assets_asset_book` keeps the running totals: `revalued_amount` (added to the cost basis:
 *   the gross carrying amount) and `impaired_amount` (accumulated impairment, kept apart from the
 *   accumulated depreciation that period runs post against), and `disposed_on` once disposed of.
 * - `fixed_assets_disposal_book`: per book, what a disposal derecognised and its gain or loss.
 * - `fixed_assets_asset.costs_of_disposal`, and the revaluation surplus and impairment loss accounts
 *   per category.
 */
export const adjustmentsMigration: Migration = {
  name: '0003_adjustments',
  async up(db) {
    await db.execute(`
      ALTER TABLE fixed_assets_asset ADD COLUMN costs_of_disposal numeric(20,4) CHECK (costs_of_disposal >= 0);

      ALTER TABLE fixed_assets_category_accounts
        ADD COLUMN revaluation_surplus_account text,
        ADD COLUMN impairment_loss_account text;

      ALTER TABLE fixed_assets_asset_book
        ADD COLUMN revalued_amount numeric(20,4) NOT NULL DEFAULT 0,
        ADD COLUMN impaired_amount numeric(20,4) NOT NULL DEFAULT 0 CHECK (impaired_amount >= 0),
        ADD COLUMN disposed_on date;

      CREATE TABLE fixed_assets_book_adjustment (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        asset_id uuid NOT NULL,
        book_code text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('revaluation', 'impairment', 'estimate-change')),
        effective_on date NOT NULL,
        carrying_before numeric(20,4) NOT NULL,
        carrying_after numeric(20,4) NOT NULL CHECK (carrying_after >= 0),
        amount numeric(20,4) NOT NULL,
        revaluation_surplus numeric(20,4) NOT NULL DEFAULT 0,
        profit_or_loss numeric(20,4) NOT NULL DEFAULT 0,
        useful_life_years numeric(8,4) CHECK (useful_life_years > 0),
        salvage_value numeric(20,4) CHECK (salvage_value >= 0),
        journal_entry_id bigint REFERENCES fixed_assets_journal_entry(id),
        reason text,
        created_at timestamptz NOT NULL DEFAULT now(),
        created_by uuid,
        created_by_label text NOT NULL,
        FOREIGN KEY (asset_id, book_code) REFERENCES fixed_assets_asset_book(asset_id, book_code),
        CHECK (amount = carrying_after - carrying_before),
        CHECK (kind <> 'impairment' OR amount < 0),
        CHECK (kind <> 'estimate-change' OR amount = 0)
      );
      CREATE INDEX fixed_assets_book_adjustment_asset_idx ON fixed_assets_book_adjustment (asset_id, book_code, effective_on, created_at);

      CREATE TABLE fixed_assets_disposal_book (
        asset_id uuid NOT NULL,
        book_code text NOT NULL,
        disposed_on date NOT NULL,
        cost numeric(20,4) NOT NULL,
        accumulated numeric(20,4) NOT NULL,
        catch_up_depreciation numeric(20,4) NOT NULL,
        net_book_value numeric(20,4) NOT NULL,
        proceeds numeric(20,4) NOT NULL CHECK (proceeds >= 0),
        costs_of_disposal numeric(20,4) NOT NULL CHECK (costs_of_disposal >= 0),
        net_proceeds numeric(20,4) NOT NULL,
        gain_or_loss numeric(20,4) NOT NULL,
        journal_entry_id bigint REFERENCES fixed_assets_journal_entry(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (asset_id, book_code),
        FOREIGN KEY (asset_id, book_code) REFERENCES fixed_assets_asset_book(asset_id, book_code),
        CHECK (net_book_value = cost - accumulated),
        CHECK (net_proceeds = proceeds - costs_of_disposal),
        CHECK (gain_or_loss = net_proceeds - net_book_value)
      );
      CREATE INDEX fixed_assets_disposal_book_date_idx ON fixed_assets_disposal_book (disposed_on, book_code);
    `);
  },
};
