import type { Migration } from '@quartermaster/sdk';
import { ACCOUNT_ROLES, DEFAULT_ACCOUNTS } from '../../shared/constants.js';

/**
 * The connector's tables: the chart of accounts (role × optional category × optional site), journal
 * entries and lines, push attempts, closed periods, the one control row that serialises a close
 * against postings, and the inventory lines seen (for cost adjustments of earlier moves).
 */
export const journalMigration: Migration = {
  name: '0001_journal',
  async up(db) {
    await db.execute(`
      CREATE TABLE erp_journal_account_map (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        role text NOT NULL CHECK (role IN (${ACCOUNT_ROLES.map((r) => `'${r}'`).join(', ')})),
        category_id uuid REFERENCES core_category(id) ON DELETE CASCADE,
        site_id uuid REFERENCES core_location(id) ON DELETE CASCADE,
        account text NOT NULL CHECK (account <> ''),
        name text,
        updated_at timestamptz NOT NULL DEFAULT now(),
        updated_by_label text NOT NULL DEFAULT 'system'
      );
      CREATE UNIQUE INDEX erp_journal_account_map_uq ON erp_journal_account_map (role, coalesce(category_id, '00000000-0000-0000-0000-000000000000'::uuid), coalesce(site_id, '00000000-0000-0000-0000-000000000000'::uuid));

      CREATE TABLE erp_journal_entry (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        number bigserial NOT NULL UNIQUE,
        source_key text NOT NULL UNIQUE,
        source_type text NOT NULL,
        source_ref text NOT NULL,
        entry_date date NOT NULL,
        period text NOT NULL,
        redated_from date,
        memo text NOT NULL,
        currency text NOT NULL,
        total numeric(20,4) NOT NULL,
        posted_at timestamptz NOT NULL DEFAULT now(),
        push_status text NOT NULL DEFAULT 'pending' CHECK (push_status IN ('pending', 'pushed', 'failed')),
        push_attempts integer NOT NULL DEFAULT 0,
        pushed_at timestamptz,
        erp_document_id text,
        last_response_status integer,
        last_error text,
        exported_at timestamptz
      );
      CREATE INDEX erp_journal_entry_period_idx ON erp_journal_entry (period, number);

      CREATE TABLE erp_journal_line (
        entry_id uuid NOT NULL REFERENCES erp_journal_entry(id),
        line_no integer NOT NULL,
        account text NOT NULL,
        role text NOT NULL,
        debit numeric(20,4) NOT NULL DEFAULT 0 CHECK (debit >= 0),
        credit numeric(20,4) NOT NULL DEFAULT 0 CHECK (credit >= 0),
        category_id uuid,
        site_id uuid,
        item_id uuid,
        asset_id uuid,
        source_line_id text,
        memo text,
        PRIMARY KEY (entry_id, line_no),
        CHECK (debit = 0 OR credit = 0)
      );
      CREATE INDEX erp_journal_line_account_idx ON erp_journal_line (account);

      CREATE TABLE erp_journal_push_attempt (
        id bigserial PRIMARY KEY,
        entry_id uuid NOT NULL REFERENCES erp_journal_entry(id),
        idempotency_key text NOT NULL,
        attempted_at timestamptz NOT NULL DEFAULT now(),
        outcome text NOT NULL CHECK (outcome IN ('pushed', 'already-pushed', 'failed')),
        response_status integer,
        erp_document_id text,
        error text
      );
      CREATE INDEX erp_journal_push_attempt_entry_idx ON erp_journal_push_attempt (entry_id, id);

      CREATE TABLE erp_journal_period (
        period text PRIMARY KEY,
        closed_at timestamptz NOT NULL DEFAULT now(),
        closed_by_label text NOT NULL,
        entries integer NOT NULL
      );

      CREATE TABLE erp_journal_control (
        id integer PRIMARY KEY CHECK (id = 1),
        closed_through date
      );
      INSERT INTO erp_journal_control (id, closed_through) VALUES (1, NULL);

      CREATE TABLE erp_journal_inventory_line (
        line_id text PRIMARY KEY,
        move_id text NOT NULL,
        move_type text NOT NULL,
        direction text NOT NULL,
        category_id uuid,
        site_id uuid,
        effective_on date NOT NULL
      );
    `);
    for (const role of ACCOUNT_ROLES) {
      await db.execute(`INSERT INTO erp_journal_account_map (role, account, name) VALUES ($1, $2, $3)`, [role, DEFAULT_ACCOUNTS[role].account, DEFAULT_ACCOUNTS[role].name]);
    }
  },
};
