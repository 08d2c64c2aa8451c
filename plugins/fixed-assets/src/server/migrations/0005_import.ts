import type { Migration } from '@quartermaster/sdk';

/**
 * CSV imports of the asset register: one job per uploaded file and its row-by-row report (the
 * shape of the inventory plugin's imports).
 *
 * - `fixed_assets_import`: what was sent (the CSV text is kept until the job ends, so a job a
 *   stopped server left unfinished resumes), where the job is (`validating` → `importing` → `done`,
 *   or `failed`), progress and counts. `locked_until` is the lease of the server working on it.
 * - `fixed_assets_import_error`: one row per problem (row number, column, message, offending value);
 *   the first 10 000 are kept, `error_count` counts them all.
 */
export const importMigration: Migration = {
  name: '0005_import',
  async up(db) {
    await db.execute(`
      CREATE TABLE fixed_assets_import (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        number bigserial NOT NULL UNIQUE,
        mode text NOT NULL CHECK (mode IN ('create','upsert')),
        status text NOT NULL DEFAULT 'validating' CHECK (status IN ('validating','importing','done','failed')),
        dry_run boolean NOT NULL DEFAULT false,
        file_name text,
        background boolean NOT NULL DEFAULT false,
        source text,
        rows_total integer NOT NULL DEFAULT 0 CHECK (rows_total >= 0),
        rows_validated integer NOT NULL DEFAULT 0 CHECK (rows_validated >= 0),
        rows_done integer NOT NULL DEFAULT 0 CHECK (rows_done >= 0),
        invalid_rows integer NOT NULL DEFAULT 0 CHECK (invalid_rows >= 0),
        created_count integer NOT NULL DEFAULT 0,
        updated_count integer NOT NULL DEFAULT 0,
        unchanged_count integer NOT NULL DEFAULT 0,
        error_count integer NOT NULL DEFAULT 0,
        detail text,
        actor_type text NOT NULL,
        actor_id uuid REFERENCES core_user(id),
        token_id uuid,
        created_by_label text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz,
        finished_at timestamptz,
        locked_until timestamptz,
        CHECK (rows_done <= rows_total AND rows_validated <= rows_total)
      );
      CREATE INDEX fixed_assets_import_created_idx ON fixed_assets_import (created_at DESC);
      CREATE INDEX fixed_assets_import_unfinished_idx ON fixed_assets_import (locked_until) WHERE status IN ('validating','importing');

      CREATE TABLE fixed_assets_import_error (
        id bigserial PRIMARY KEY,
        import_id uuid NOT NULL REFERENCES fixed_assets_import(id),
        row_no integer NOT NULL,
        -- The header of the offending column; null when the whole row is at fault.
        col text,
        message text NOT NULL,
        value text
      );
      CREATE INDEX fixed_assets_import_error_import_idx ON fixed_assets_import_error (import_id, row_no, id);
    `);
  },
};
