import type { Migration } from '@quartermaster/sdk';

/**
 * The asset register, its history, custody and bookings.
 *
 * - `fixed_assets_asset`: one row per physical asset; `status` follows domain/lifecycle.ts and is
 *   only changed together with a `fixed_assets_asset_event` row (who, when, why, from → to).
 * - `fixed_assets_custody`: check-outs. At most one open custody per asset (partial unique index),
 *   which is what makes two simultaneous check-outs of the same asset end with one winner.
 * - `fixed_assets_booking` / `_booking_asset`: reservations of assets (or kits) for a window. The
 *   exclusion constraint makes overlapping active bookings of one asset impossible, also between
 *   transactions that never see each other's rows (needs btree_gist for `asset_id WITH =`).
 * - `fixed_assets_document`: photos and documents stored in the database (bytea, ≤ 1.5 MiB each,
 *   below the 2 MiB request limit once base64-encoded): backups and permissions cover them with
 *   the rest of the register, and no file store has to be configured for a first install.
 * Money is numeric(20,4) with its ISO 4217 currency; accounting dates are `date`, instants `timestamptz`.
 * The depreciation books and runs come in their own migration.
 */
export const registerMigration: Migration = {
  name: '0001_register',
  async up(db) {
    await db.execute(`
      CREATE EXTENSION IF NOT EXISTS btree_gist;

      -- Per-category settings: the tag code ({CAT}), an own tag pattern, and the custom fields its assets carry.
      CREATE TABLE fixed_assets_category_settings (
        category_id uuid PRIMARY KEY REFERENCES core_category(id),
        tag_code text CHECK (tag_code ~ '^[A-Z0-9]{1,10}$'),
        tag_pattern text,
        field_definitions jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(field_definitions) = 'array'),
        updated_at timestamptz NOT NULL DEFAULT now()
      );

      -- Last tag number given per scope (the pattern filled in except for the counter: 'AST-2026-{#}').
      CREATE TABLE fixed_assets_tag_counter (
        scope text PRIMARY KEY,
        last_value bigint NOT NULL CHECK (last_value > 0),
        updated_at timestamptz NOT NULL DEFAULT now()
      );

      -- People who hold or answer for assets without a user account (field crews, contractors, students).
      CREATE TABLE fixed_assets_person (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (btrim(name) <> ''),
        email text,
        phone text,
        employee_number text,
        department text,
        notes text,
        active boolean NOT NULL DEFAULT true,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX fixed_assets_person_employee_number_uq ON fixed_assets_person (employee_number) WHERE employee_number IS NOT NULL;
      CREATE INDEX fixed_assets_person_name_idx ON fixed_assets_person (lower(name));

      CREATE TABLE fixed_assets_asset (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tag text NOT NULL,
        name text NOT NULL CHECK (btrim(name) <> ''),
        serial_number text,
        item_id uuid REFERENCES core_item(id),
        category_id uuid REFERENCES core_category(id),
        location_id uuid REFERENCES core_location(id),
        -- Who answers for the asset (not who has it now: that is the open custody).
        custodian_user_id uuid REFERENCES core_user(id),
        custodian_person_id uuid REFERENCES fixed_assets_person(id),
        department text,
        cost_centre text,
        supplier text,
        purchase_date date,
        invoice_number text,
        acquisition_cost numeric(20,4) CHECK (acquisition_cost >= 0),
        currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
        warranty_end date,
        status text NOT NULL CHECK (status IN ('ordered','received','in-service','checked-out','in-maintenance','in-transit','retired','disposed')),
        condition text NOT NULL DEFAULT 'good' CHECK (condition IN ('new','good','fair','poor','broken')),
        notes text,
        custom_fields jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(custom_fields) = 'object'),
        -- A component (an engine, a tail-lift) points at the asset it is part of and moves with it.
        parent_id uuid REFERENCES fixed_assets_asset(id),
        disposal_kind text CHECK (disposal_kind IN ('sold','scrapped','donated','lost','stolen','returned')),
        disposed_on date,
        disposal_proceeds numeric(20,4) CHECK (disposal_proceeds >= 0),
        disposal_reason text,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT fixed_assets_asset_tag_key UNIQUE (tag),
        CHECK (custodian_user_id IS NULL OR custodian_person_id IS NULL),
        CHECK (parent_id <> id),
        CHECK ((status = 'disposed') = (disposal_kind IS NOT NULL AND disposed_on IS NOT NULL))
      );
      CREATE INDEX fixed_assets_asset_status_idx ON fixed_assets_asset (status);
      CREATE INDEX fixed_assets_asset_category_idx ON fixed_assets_asset (category_id);
      CREATE INDEX fixed_assets_asset_location_idx ON fixed_assets_asset (location_id);
      CREATE INDEX fixed_assets_asset_item_idx ON fixed_assets_asset (item_id) WHERE item_id IS NOT NULL;
      CREATE INDEX fixed_assets_asset_parent_idx ON fixed_assets_asset (parent_id) WHERE parent_id IS NOT NULL;
      CREATE INDEX fixed_assets_asset_custodian_user_idx ON fixed_assets_asset (custodian_user_id) WHERE custodian_user_id IS NOT NULL;
      CREATE INDEX fixed_assets_asset_custodian_person_idx ON fixed_assets_asset (custodian_person_id) WHERE custodian_person_id IS NOT NULL;
      CREATE INDEX fixed_assets_asset_serial_idx ON fixed_assets_asset (lower(serial_number)) WHERE serial_number IS NOT NULL;

      -- The asset's history: every status change and every other event worth showing on its page.
      CREATE TABLE fixed_assets_asset_event (
        id bigserial PRIMARY KEY,
        asset_id uuid NOT NULL REFERENCES fixed_assets_asset(id),
        type text NOT NULL,
        from_status text,
        to_status text,
        reason text,
        data jsonb NOT NULL DEFAULT '{}',
        actor_id uuid REFERENCES core_user(id),
        actor_label text NOT NULL,
        occurred_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX fixed_assets_asset_event_asset_idx ON fixed_assets_asset_event (asset_id, id DESC);

      CREATE TABLE fixed_assets_kit (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (btrim(name) <> ''),
        description text,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX fixed_assets_kit_name_uq ON fixed_assets_kit (lower(name));

      CREATE TABLE fixed_assets_kit_asset (
        kit_id uuid NOT NULL REFERENCES fixed_assets_kit(id),
        asset_id uuid NOT NULL REFERENCES fixed_assets_asset(id),
        PRIMARY KEY (kit_id, asset_id)
      );
      CREATE INDEX fixed_assets_kit_asset_asset_idx ON fixed_assets_kit_asset (asset_id);

      CREATE TABLE fixed_assets_booking (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        number bigserial NOT NULL UNIQUE,
        kit_id uuid REFERENCES fixed_assets_kit(id),
        holder_type text NOT NULL CHECK (holder_type IN ('user','person','project')),
        holder_user_id uuid REFERENCES core_user(id),
        holder_person_id uuid REFERENCES fixed_assets_person(id),
        project text,
        -- [start, end): a booking ending at 12:00 and one starting at 12:00 do not overlap.
        period tstzrange NOT NULL CHECK (NOT isempty(period) AND NOT lower_inf(period) AND NOT upper_inf(period) AND lower_inc(period) AND NOT upper_inc(period)),
        status text NOT NULL DEFAULT 'reserved' CHECK (status IN ('reserved','checked-out','completed','cancelled')),
        note text,
        created_at timestamptz NOT NULL DEFAULT now(),
        created_by_label text NOT NULL,
        closed_at timestamptz,
        cancel_reason text,
        CHECK ((holder_type = 'user') = (holder_user_id IS NOT NULL)),
        CHECK ((holder_type = 'person') = (holder_person_id IS NOT NULL)),
        CHECK ((holder_type = 'project') = (project IS NOT NULL))
      );
      CREATE INDEX fixed_assets_booking_period_idx ON fixed_assets_booking USING gist (period);

      -- One row per booked asset; 'active' while the booking holds its window (reserved or checked out).
      CREATE TABLE fixed_assets_booking_asset (
        booking_id uuid NOT NULL REFERENCES fixed_assets_booking(id),
        asset_id uuid NOT NULL REFERENCES fixed_assets_asset(id),
        period tstzrange NOT NULL,
        active boolean NOT NULL DEFAULT true,
        PRIMARY KEY (booking_id, asset_id),
        CONSTRAINT fixed_assets_booking_overlap EXCLUDE USING gist (asset_id WITH =, period WITH &&) WHERE (active)
      );
      CREATE INDEX fixed_assets_booking_asset_asset_idx ON fixed_assets_booking_asset (asset_id);

      CREATE TABLE fixed_assets_custody (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        asset_id uuid NOT NULL REFERENCES fixed_assets_asset(id),
        booking_id uuid REFERENCES fixed_assets_booking(id),
        holder_type text NOT NULL CHECK (holder_type IN ('user','person','location','project')),
        holder_user_id uuid REFERENCES core_user(id),
        holder_person_id uuid REFERENCES fixed_assets_person(id),
        holder_location_id uuid REFERENCES core_location(id),
        project text,
        checked_out_at timestamptz NOT NULL DEFAULT now(),
        checked_out_by_label text NOT NULL,
        expected_return_at timestamptz,
        condition_out text,
        note_out text,
        checked_in_at timestamptz,
        checked_in_by_label text,
        condition_in text,
        note_in text,
        -- How the custody ended: back on the shelf, or written off while out.
        outcome text CHECK (outcome IN ('returned','lost','stolen')),
        -- Set when the overdue event went out, so it goes out once per custody.
        overdue_notified_at timestamptz,
        CHECK ((checked_in_at IS NULL) = (outcome IS NULL)),
        CHECK ((holder_type = 'user') = (holder_user_id IS NOT NULL)),
        CHECK ((holder_type = 'person') = (holder_person_id IS NOT NULL)),
        CHECK ((holder_type = 'location') = (holder_location_id IS NOT NULL)),
        CHECK ((holder_type = 'project') = (project IS NOT NULL)),
        CHECK (expected_return_at IS NULL OR expected_return_at > checked_out_at)
      );
      CREATE UNIQUE INDEX fixed_assets_custody_open_uq ON fixed_assets_custody (asset_id) WHERE checked_in_at IS NULL;
      CREATE INDEX fixed_assets_custody_asset_idx ON fixed_assets_custody (asset_id, checked_out_at DESC);
      CREATE INDEX fixed_assets_custody_due_idx ON fixed_assets_custody (expected_return_at) WHERE checked_in_at IS NULL AND overdue_notified_at IS NULL;
      CREATE INDEX fixed_assets_custody_user_idx ON fixed_assets_custody (holder_user_id) WHERE holder_user_id IS NOT NULL;
      CREATE INDEX fixed_assets_custody_person_idx ON fixed_assets_custody (holder_person_id) WHERE holder_person_id IS NOT NULL;
      CREATE INDEX fixed_assets_custody_booking_idx ON fixed_assets_custody (booking_id) WHERE booking_id IS NOT NULL;

      CREATE TABLE fixed_assets_document (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        asset_id uuid NOT NULL REFERENCES fixed_assets_asset(id),
        kind text NOT NULL CHECK (kind IN ('photo','invoice','warranty','manual','certificate','other')),
        name text NOT NULL CHECK (btrim(name) <> ''),
        content_type text NOT NULL,
        size_bytes integer NOT NULL CHECK (size_bytes BETWEEN 1 AND 1572864),
        sha256 text NOT NULL,
        content bytea NOT NULL CHECK (octet_length(content) = size_bytes),
        created_at timestamptz NOT NULL DEFAULT now(),
        created_by_label text NOT NULL
      );
      CREATE INDEX fixed_assets_document_asset_idx ON fixed_assets_document (asset_id, created_at);

      -- Substring search on tags and names, like the core's item search (only when pg_trgm is there).
      DO $$ BEGIN
        IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
          CREATE INDEX fixed_assets_asset_name_trgm ON fixed_assets_asset USING gin (lower(name) gin_trgm_ops);
          CREATE INDEX fixed_assets_asset_tag_trgm ON fixed_assets_asset USING gin (lower(tag) gin_trgm_ops);
        END IF;
      END $$;
    `);
  },
};
