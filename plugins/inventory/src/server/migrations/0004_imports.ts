import type { Migration } from '@quartermaster/sdk';

/**
 * CSV imports: one job per uploaded file, and the row-by-row error report.
 *
 * - `inventory_import`: what was sent (the CSV text is kept until the job ends, so a background job
 *   can resume after a restart), where the job is (`validating` → `importing` → `done`, or `failed`),
 *   progress per batch and the counts of the report. `locked_until` is the lease of the server
 *   working on it; an unfinished job whose lease ran out is picked up again.
 * - `inventory_import_error`: one row per problem (row number, column, message, offending value).
 *   Only the first 10 000 are kept; `error_count` counts them all.
 */
export const importsMigration: Migration = {
  name: '0004_imports',
  async up(db) {
    await db.execute(`
      CREATE TABLE inventory_import (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        number bigserial NOT NULL UNIQUE,
        kind text NOT NULL CHECK (kind IN ('items','opening-balances','reorder-rules')),
        status text NOT NULL DEFAULT 'validating' CHECK (status IN ('validating','importing','done','failed')),
        dry_run boolean NOT NULL DEFAULT false,
        skip_invalid_rows boolean NOT NULL DEFAULT false,
        -- Opening balances: when they are posted.
        as_of timestamptz,
        file_name text,
        background boolean NOT NULL DEFAULT false,
        source text,
        total_rows integer NOT NULL DEFAULT 0 CHECK (total_rows >= 0),
        validated_rows integer NOT NULL DEFAULT 0 CHECK (validated_rows >= 0),
        processed_rows integer NOT NULL DEFAULT 0 CHECK (processed_rows >= 0),
        invalid_rows integer NOT NULL DEFAULT 0 CHECK (invalid_rows >= 0),
        imported_rows integer NOT NULL DEFAULT 0 CHECK (imported_rows >= 0),
        created_count integer NOT NULL DEFAULT 0,
        updated_count integer NOT NULL DEFAULT 0,
        unchanged_count integer NOT NULL DEFAULT 0,
        error_count integer NOT NULL DEFAULT 0,
        -- Opening balances: the receipt moves posted (one per batch).
        move_ids uuid[] NOT NULL DEFAULT '{}',
        detail text,
        actor_type text NOT NULL,
        actor_id uuid REFERENCES core_user(id),
        token_id uuid,
        created_by_label text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz,
        finished_at timestamptz,
        locked_until timestamptz,
        CHECK (processed_rows <= total_rows AND validated_rows <= total_rows)
      );
      CREATE INDEX inventory_import_created_idx ON inventory_import (created_at DESC);
      CREATE INDEX inventory_import_unfinished_idx ON inventory_import (locked_until) WHERE status IN ('validating','importing');

      CREATE TABLE inventory_import_error (
        id bigserial PRIMARY KEY,
        import_id uuid NOT NULL REFERENCES inventory_import(id),
        row_no integer NOT NULL,
        -- The header of the offending column; null when the whole row is at fault.
        col text,
        message text NOT NULL,
        value text
      );
      CREATE INDEX inventory_import_error_import_idx ON inventory_import_error (import_id, row_no, id);
    `);
  },
};
