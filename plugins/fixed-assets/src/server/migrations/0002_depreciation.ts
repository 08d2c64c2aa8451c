import type { Migration } from '@quartermaster/sdk';

/**
 * Depreciation books, period runs and their journal.
 *
 * - `fixed_assets_book`: a set of accounting rules an asset can be depreciated under (`financial`
 *   under IFRS/GAAP, `tax` under MACRS…), with its period length and fiscal year.
 * - `fixed_assets_asset_book`: one asset in one book: method, life, salvage, convention, and what has
 *   been posted so far (`posted_accumulated`, opening balance from a migration included).
 * - `fixed_assets_depreciation_run` / `_entry`: a period's posting in a book. One run per book and
 *   period (unique), one entry per asset, book and period (primary key): running a period twice,
 *   or resuming a run that stopped half-way, can never post an asset twice.
 * - `fixed_assets_journal_entry` / `_line`: what the runs and disposals book, as balanced
 *   debit/credit lines on the accounts set per category (an ERP connector reads these).
 * - `fixed_assets_period`: closed periods of a book; nothing is posted into them any more.
 * Money is numeric(20,4); accounting dates are `date`.
 */
export const depreciationMigration: Migration = {
  name: '0002_depreciation',
  async up(db) {
    await db.execute(`
      CREATE TABLE fixed_assets_book (
        code text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9-]{0,31}$'),
        name text NOT NULL CHECK (btrim(name) <> ''),
        period_frequency text NOT NULL DEFAULT 'month' CHECK (period_frequency IN ('month', 'year')),
        fiscal_year_start text NOT NULL DEFAULT '01-01' CHECK (fiscal_year_start ~ '^(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])$'),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      INSERT INTO fixed_assets_book (code, name, period_frequency) VALUES ('financial', 'Financial (IFRS / GAAP)', 'month'), ('tax', 'Tax', 'year');

      -- General-ledger accounts per category; a category without them uses the nearest ancestor's, then the plugin's defaults.
      CREATE TABLE fixed_assets_category_accounts (
        category_id uuid PRIMARY KEY REFERENCES core_category(id),
        asset_account text,
        accumulated_account text,
        expense_account text,
        gain_account text,
        loss_account text,
        proceeds_account text,
        updated_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE fixed_assets_asset_book (
        asset_id uuid NOT NULL REFERENCES fixed_assets_asset(id),
        book_code text NOT NULL REFERENCES fixed_assets_book(code),
        method text NOT NULL CHECK (method IN ('straight-line','declining-balance','double-declining-balance','150-declining-balance','sum-of-years-digits','units-of-production','macrs','none')),
        cost_basis numeric(20,4) NOT NULL CHECK (cost_basis >= 0),
        salvage_value numeric(20,4) NOT NULL DEFAULT 0 CHECK (salvage_value >= 0),
        useful_life_years numeric(8,4),
        recovery_period_years integer,
        factor numeric(10,6),
        rate numeric(10,8),
        switch_to_straight_line boolean NOT NULL DEFAULT false,
        convention text,
        placed_in_service date NOT NULL,
        total_units numeric(20,4),
        units_by_period jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(units_by_period) = 'array'),
        -- Accumulated depreciation brought over from another system, and everything posted since.
        opening_accumulated numeric(20,4) NOT NULL DEFAULT 0 CHECK (opening_accumulated >= 0),
        posted_accumulated numeric(20,4) NOT NULL DEFAULT 0,
        posted_through date,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (asset_id, book_code),
        CHECK (salvage_value <= cost_basis)
      );
      CREATE INDEX fixed_assets_asset_book_book_idx ON fixed_assets_asset_book (book_code, asset_id);

      CREATE TABLE fixed_assets_period (
        book_code text NOT NULL REFERENCES fixed_assets_book(code),
        period_start date NOT NULL,
        period_end date NOT NULL,
        closed_at timestamptz NOT NULL DEFAULT now(),
        closed_by_label text NOT NULL,
        PRIMARY KEY (book_code, period_end)
      );

      CREATE TABLE fixed_assets_journal_entry (
        id bigserial PRIMARY KEY,
        book_code text NOT NULL REFERENCES fixed_assets_book(code),
        entry_date date NOT NULL,
        source text NOT NULL CHECK (source IN ('depreciation-run', 'disposal', 'revaluation', 'impairment')),
        source_id text NOT NULL,
        description text NOT NULL,
        currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
        posted_at timestamptz NOT NULL DEFAULT now(),
        posted_by_label text NOT NULL
      );
      CREATE INDEX fixed_assets_journal_entry_date_idx ON fixed_assets_journal_entry (book_code, entry_date);
      CREATE TABLE fixed_assets_journal_line (
        entry_id bigint NOT NULL REFERENCES fixed_assets_journal_entry(id),
        line_no integer NOT NULL,
        account text NOT NULL,
        debit numeric(20,4) NOT NULL DEFAULT 0 CHECK (debit >= 0),
        credit numeric(20,4) NOT NULL DEFAULT 0 CHECK (credit >= 0),
        category_id uuid REFERENCES core_category(id),
        asset_id uuid REFERENCES fixed_assets_asset(id),
        memo text,
        PRIMARY KEY (entry_id, line_no)
      );

      CREATE TABLE fixed_assets_depreciation_run (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        book_code text NOT NULL REFERENCES fixed_assets_book(code),
        period_start date NOT NULL,
        period_end date NOT NULL,
        status text NOT NULL CHECK (status IN ('running', 'completed', 'failed')),
        assets_total integer NOT NULL DEFAULT 0,
        assets_done integer NOT NULL DEFAULT 0,
        -- Keyset position of the batches: the last asset posted, so a resumed run continues after it.
        last_asset_id uuid,
        total_amount numeric(20,4) NOT NULL DEFAULT 0,
        journal_entry_id bigint REFERENCES fixed_assets_journal_entry(id),
        started_by uuid,
        started_by_label text NOT NULL,
        started_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz,
        error text,
        UNIQUE (book_code, period_end)
      );

      CREATE TABLE fixed_assets_depreciation_entry (
        asset_id uuid NOT NULL REFERENCES fixed_assets_asset(id),
        book_code text NOT NULL,
        period_end date NOT NULL,
        period_start date NOT NULL,
        run_id uuid NOT NULL REFERENCES fixed_assets_depreciation_run(id),
        category_id uuid REFERENCES core_category(id),
        amount numeric(20,4) NOT NULL,
        accumulated numeric(20,4) NOT NULL,
        book_value numeric(20,4) NOT NULL,
        PRIMARY KEY (asset_id, book_code, period_end),
        FOREIGN KEY (asset_id, book_code) REFERENCES fixed_assets_asset_book(asset_id, book_code)
      );
      CREATE INDEX fixed_assets_depreciation_entry_run_idx ON fixed_assets_depreciation_entry (run_id);
    `);
  },
};
