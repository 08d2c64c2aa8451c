import type { Migration } from '@quartermaster/sdk';

/**
 * The maintenance plugin's tables (prefix `maintenance_`). Foreign keys point only into the core
 * and fixed-assets (a hard dependency); spare parts name inventory items and locations through
 * core tables, and inventory's reservation and move ids are kept as plain uuids because inventory
 * is optional.
 *
 * Numbers that are measured or counted (meter values, gauge readings, labour minutes' cost,
 * quantities, money) are `numeric`; accounting dates are `date`, instants `timestamptz` (UTC).
 */
export const maintenanceMigration: Migration = {
  name: '0001_maintenance',
  async up(db) {
    await db.execute(`
      -- Per asset: criticality drives work order priority; calibration settings for instruments.
      CREATE TABLE maintenance_asset_profile (
        asset_id uuid PRIMARY KEY REFERENCES fixed_assets_asset(id),
        criticality text NOT NULL DEFAULT 'C' CHECK (criticality IN ('A','B','C')),
        updated_at timestamptz NOT NULL DEFAULT now()
      );

      -- Per category: whether an asset whose calibration is overdue may still be checked out.
      CREATE TABLE maintenance_category_settings (
        category_id uuid PRIMARY KEY REFERENCES core_category(id),
        block_checkout_when_calibration_overdue boolean NOT NULL DEFAULT true,
        default_criticality text CHECK (default_criticality IN ('A','B','C'))
      );

      -- Measurement points of an asset: meters (cumulative: runtime hours, km, cycles, litres) and
      -- gauges (instantaneous: temperature, vibration, pressure).
      CREATE TABLE maintenance_measurement_point (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        asset_id uuid NOT NULL REFERENCES fixed_assets_asset(id),
        code text NOT NULL CHECK (code ~ '^[a-z0-9][a-z0-9._-]{0,62}$'),
        name text NOT NULL CHECK (btrim(name) <> ''),
        kind text NOT NULL CHECK (kind IN ('meter','gauge')),
        unit text NOT NULL CHECK (btrim(unit) <> ''),
        -- Meters: the value at which the counter wraps to 0 (an odometer), and the fastest believable use.
        rollover_at numeric CHECK (rollover_at > 0),
        max_rate_per_day numeric CHECK (max_rate_per_day > 0),
        -- Meters: the sum of accepted usage (deltas), so rollovers never confuse plans; gauges: null.
        total numeric,
        last_value numeric,
        last_read_at timestamptz,
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT maintenance_measurement_point_code_key UNIQUE (asset_id, code),
        CHECK (kind = 'meter' OR (rollover_at IS NULL AND max_rate_per_day IS NULL))
      );

      CREATE TABLE maintenance_reading (
        id bigserial PRIMARY KEY,
        point_id uuid NOT NULL REFERENCES maintenance_measurement_point(id),
        value numeric NOT NULL,
        read_at timestamptz NOT NULL,
        -- Meters: usage this reading adds to the total (after rollover); null for gauges and rejected readings.
        delta numeric,
        -- Meters: the total after this reading.
        total numeric,
        status text NOT NULL CHECK (status IN ('accepted','flagged','rejected')),
        reason text,
        -- manual | import | device:<id> | api
        source text NOT NULL,
        -- A device's own id for the reading: sending it again stores nothing new.
        source_ref text,
        confirmed_by_label text,
        created_by_label text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX maintenance_reading_point_idx ON maintenance_reading (point_id, read_at DESC, id DESC);
      CREATE UNIQUE INDEX maintenance_reading_source_ref_key ON maintenance_reading (point_id, source, source_ref) WHERE source_ref IS NOT NULL;

      -- Checklist templates: ordered items, each a pass/fail check, a reading with limits, or a note.
      CREATE TABLE maintenance_checklist_template (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (btrim(name) <> ''),
        description text,
        items jsonb NOT NULL CHECK (jsonb_typeof(items) = 'array'),
        version integer NOT NULL DEFAULT 1,
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT maintenance_checklist_template_name_key UNIQUE (name)
      );

      CREATE TABLE maintenance_team (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (btrim(name) <> ''),
        -- Labour cost per hour for time booked by the team's members (numeric money, plan currency).
        hourly_rate numeric(20,4) CHECK (hourly_rate >= 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT maintenance_team_name_key UNIQUE (name)
      );
      CREATE TABLE maintenance_team_member (
        team_id uuid NOT NULL REFERENCES maintenance_team(id),
        user_id uuid NOT NULL REFERENCES core_user(id),
        PRIMARY KEY (team_id, user_id)
      );
      -- Technicians' own labour rates (override the team's).
      CREATE TABLE maintenance_technician (
        user_id uuid PRIMARY KEY REFERENCES core_user(id),
        hourly_rate numeric(20,4) CHECK (hourly_rate >= 0),
        skills text[] NOT NULL DEFAULT '{}'
      );

      -- Failure codes: problem / cause / remedy (ISO 14224 style), a flat catalogue per kind.
      CREATE TABLE maintenance_failure_code (
        kind text NOT NULL CHECK (kind IN ('problem','cause','remedy')),
        code text NOT NULL CHECK (code ~ '^[A-Z0-9][A-Z0-9_-]{0,31}$'),
        description text NOT NULL,
        active boolean NOT NULL DEFAULT true,
        PRIMARY KEY (kind, code)
      );

      -- Plans: what to do, to which asset (or every asset of a category subtree), when (trigger).
      CREATE TABLE maintenance_plan (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code text NOT NULL CHECK (code ~ '^[A-Z0-9][A-Z0-9._-]{0,31}$'),
        name text NOT NULL CHECK (btrim(name) <> ''),
        description text,
        -- calendar | meter | condition | a kind contributed through the maintenance.triggers point
        trigger_kind text NOT NULL,
        trigger_config jsonb NOT NULL CHECK (jsonb_typeof(trigger_config) = 'object'),
        work_order_type text NOT NULL CHECK (work_order_type IN ('preventive','inspection','calibration')),
        asset_id uuid REFERENCES fixed_assets_asset(id),
        category_id uuid REFERENCES core_category(id),
        -- For meter and condition plans: the measurement point's code on each asset.
        point_code text,
        priority text CHECK (priority IN ('low','medium','high','urgent')),
        takes_out_of_service boolean NOT NULL DEFAULT false,
        estimated_minutes integer CHECK (estimated_minutes >= 0),
        checklist_template_id uuid REFERENCES maintenance_checklist_template(id),
        team_id uuid REFERENCES maintenance_team(id),
        assignee_user_id uuid REFERENCES core_user(id),
        -- Planned spare parts: [{ itemId, qty, locationId? }]
        parts jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(parts) = 'array'),
        instructions text,
        active boolean NOT NULL DEFAULT true,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT maintenance_plan_code_key UNIQUE (code),
        CHECK ((asset_id IS NULL) <> (category_id IS NULL))
      );
      CREATE INDEX maintenance_plan_asset_idx ON maintenance_plan (asset_id) WHERE asset_id IS NOT NULL;
      CREATE INDEX maintenance_plan_category_idx ON maintenance_plan (category_id) WHERE category_id IS NOT NULL;

      -- Per plan × asset: where the trigger stands (last completion, last generated occurrence,
      -- condition rule state for hysteresis, the next due date for lists and the calendar).
      CREATE TABLE maintenance_plan_state (
        plan_id uuid NOT NULL REFERENCES maintenance_plan(id),
        asset_id uuid NOT NULL REFERENCES fixed_assets_asset(id),
        last_completed_on date,
        last_completed_total numeric,
        last_due_key text,
        trigger_state jsonb NOT NULL DEFAULT '{}',
        next_due_on date,
        next_due_total numeric,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (plan_id, asset_id)
      );
      CREATE INDEX maintenance_plan_state_next_idx ON maintenance_plan_state (next_due_on);

      CREATE SEQUENCE maintenance_work_order_number_seq;
      CREATE TABLE maintenance_work_order (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        number bigint NOT NULL DEFAULT nextval('maintenance_work_order_number_seq'),
        type text NOT NULL CHECK (type IN ('preventive','corrective','inspection','calibration')),
        status text NOT NULL CHECK (status IN ('requested','approved','scheduled','in-progress','on-hold','completed','closed','cancelled')),
        priority text NOT NULL CHECK (priority IN ('low','medium','high','urgent')),
        asset_id uuid NOT NULL REFERENCES fixed_assets_asset(id),
        title text NOT NULL CHECK (btrim(title) <> ''),
        description text,
        plan_id uuid REFERENCES maintenance_plan(id),
        -- The plan occurrence this order does (a date, a meter total, a condition trip): unique per plan × asset.
        due_key text,
        due_on date,
        due_total numeric,
        generate_reason text,
        takes_out_of_service boolean NOT NULL DEFAULT false,
        -- Whether starting it put the asset in maintenance (so completion gives it back).
        asset_taken_out boolean NOT NULL DEFAULT false,
        -- Breakdown reports (corrective orders filed by scanning the asset).
        reported_by_label text,
        reported_at timestamptz,
        asset_down boolean NOT NULL DEFAULT false,
        failed_at timestamptz,
        team_id uuid REFERENCES maintenance_team(id),
        assignee_user_id uuid REFERENCES core_user(id),
        planned_minutes integer CHECK (planned_minutes >= 0),
        scheduled_start timestamptz,
        scheduled_end timestamptz,
        started_at timestamptz,
        completed_at timestamptz,
        closed_at timestamptz,
        cancelled_at timestamptz,
        cancel_reason text,
        hold_reason text,
        problem_code text,
        cause_code text,
        remedy_code text,
        completion_note text,
        signed_off_by_label text,
        signed_off_at timestamptz,
        -- Where spare parts are taken from (inventory location).
        parts_location_id uuid REFERENCES core_location(id),
        currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
        labour_cost numeric(20,4) NOT NULL DEFAULT 0,
        parts_cost numeric(20,4) NOT NULL DEFAULT 0,
        external_cost numeric(20,4) NOT NULL DEFAULT 0,
        overdue_notified_at timestamptz,
        version integer NOT NULL DEFAULT 1,
        created_by_label text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT maintenance_work_order_number_key UNIQUE (number),
        CHECK (scheduled_end IS NULL OR scheduled_start IS NULL OR scheduled_end > scheduled_start),
        CHECK ((plan_id IS NULL) = (due_key IS NULL))
      );
      -- Generation is idempotent per plan × asset × occurrence, whichever scheduler instance gets there first.
      CREATE UNIQUE INDEX maintenance_work_order_due_key ON maintenance_work_order (plan_id, asset_id, due_key) WHERE plan_id IS NOT NULL;
      CREATE INDEX maintenance_work_order_asset_idx ON maintenance_work_order (asset_id, created_at DESC);
      CREATE INDEX maintenance_work_order_status_idx ON maintenance_work_order (status, due_on);
      CREATE INDEX maintenance_work_order_assignee_idx ON maintenance_work_order (assignee_user_id) WHERE assignee_user_id IS NOT NULL;

      -- A work order's history: every state change and every other thing done to it.
      CREATE TABLE maintenance_work_order_event (
        id bigserial PRIMARY KEY,
        work_order_id uuid NOT NULL REFERENCES maintenance_work_order(id),
        type text NOT NULL,
        from_status text,
        to_status text,
        note text,
        data jsonb NOT NULL DEFAULT '{}',
        actor_label text NOT NULL,
        at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX maintenance_work_order_event_wo_idx ON maintenance_work_order_event (work_order_id, id);

      -- Checklist lines copied from the template when the order is created (later template edits do not change it).
      CREATE TABLE maintenance_checklist_item (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        work_order_id uuid NOT NULL REFERENCES maintenance_work_order(id),
        position integer NOT NULL,
        kind text NOT NULL CHECK (kind IN ('check','reading','text')),
        label text NOT NULL,
        required boolean NOT NULL DEFAULT true,
        unit text,
        min_value numeric,
        max_value numeric,
        -- Readings may also be recorded on a measurement point of the asset (by code).
        point_code text,
        passed boolean,
        value numeric,
        text_value text,
        note text,
        answered_by_label text,
        answered_at timestamptz,
        CONSTRAINT maintenance_checklist_item_position_key UNIQUE (work_order_id, position)
      );

      CREATE TABLE maintenance_labour (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        work_order_id uuid NOT NULL REFERENCES maintenance_work_order(id),
        user_id uuid REFERENCES core_user(id),
        technician_label text NOT NULL,
        started_at timestamptz,
        minutes integer NOT NULL CHECK (minutes > 0),
        hourly_rate numeric(20,4) NOT NULL CHECK (hourly_rate >= 0),
        cost numeric(20,4) NOT NULL CHECK (cost >= 0),
        note text,
        created_by_label text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX maintenance_labour_wo_idx ON maintenance_labour (work_order_id);

      -- Spare parts: planned, reserved on scheduling (inventory), issued on completion.
      CREATE TABLE maintenance_part (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        work_order_id uuid NOT NULL REFERENCES maintenance_work_order(id),
        item_id uuid NOT NULL REFERENCES core_item(id),
        location_id uuid REFERENCES core_location(id),
        lot text,
        qty numeric NOT NULL CHECK (qty > 0),
        qty_used numeric CHECK (qty_used >= 0),
        status text NOT NULL CHECK (status IN ('planned','reserved','issued','released')),
        reservation_id uuid,
        move_id uuid,
        move_number text,
        cost numeric(20,4),
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX maintenance_part_wo_idx ON maintenance_part (work_order_id);

      CREATE TABLE maintenance_external_cost (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        work_order_id uuid NOT NULL REFERENCES maintenance_work_order(id),
        vendor text,
        description text NOT NULL,
        reference text,
        amount numeric(20,4) NOT NULL CHECK (amount >= 0),
        incurred_on date NOT NULL,
        created_by_label text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX maintenance_external_cost_wo_idx ON maintenance_external_cost (work_order_id);

      -- Photos, reports and certificates, stored in the database like fixed-assets documents.
      CREATE TABLE maintenance_attachment (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        work_order_id uuid REFERENCES maintenance_work_order(id),
        calibration_id uuid,
        file_name text NOT NULL,
        media_type text NOT NULL,
        size integer NOT NULL CHECK (size > 0 AND size <= 1572864),
        content bytea NOT NULL,
        sha256 text NOT NULL,
        created_by_label text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((work_order_id IS NULL) <> (calibration_id IS NULL))
      );

      -- Instruments: assets that need calibration, with interval, tolerance and procedure.
      CREATE TABLE maintenance_instrument (
        asset_id uuid PRIMARY KEY REFERENCES fixed_assets_asset(id),
        interval_n integer NOT NULL CHECK (interval_n > 0),
        interval_unit text NOT NULL CHECK (interval_unit IN ('days','weeks','months','years')),
        -- [{ nominal, unit, tolerance: { plusMinus } | { percent } }]
        points jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(points) = 'array'),
        procedure text,
        warn_days integer NOT NULL DEFAULT 14 CHECK (warn_days >= 0),
        last_calibrated_on date,
        due_on date,
        last_result text CHECK (last_result IN ('pass','fail')),
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX maintenance_instrument_due_idx ON maintenance_instrument (due_on);

      CREATE TABLE maintenance_calibration (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        asset_id uuid NOT NULL REFERENCES maintenance_instrument(asset_id),
        work_order_id uuid REFERENCES maintenance_work_order(id),
        performed_on date NOT NULL,
        performed_by text NOT NULL,
        -- [{ nominal, asFound, asLeft, tolerance, asFoundInTolerance, asLeftInTolerance }]
        points jsonb NOT NULL CHECK (jsonb_typeof(points) = 'array'),
        result text NOT NULL CHECK (result IN ('pass','fail')),
        as_found_failed boolean NOT NULL,
        certificate_number text,
        next_due_on date NOT NULL,
        note text,
        created_by_label text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX maintenance_calibration_asset_idx ON maintenance_calibration (asset_id, performed_on DESC);
      CREATE UNIQUE INDEX maintenance_calibration_certificate_key ON maintenance_calibration (certificate_number) WHERE certificate_number IS NOT NULL;

      -- In-app notifications (overdue work, assignments); null user = everyone who may read maintenance.
      CREATE TABLE maintenance_notification (
        id bigserial PRIMARY KEY,
        user_id uuid REFERENCES core_user(id),
        kind text NOT NULL,
        title text NOT NULL,
        body text,
        work_order_id uuid REFERENCES maintenance_work_order(id),
        asset_id uuid REFERENCES fixed_assets_asset(id),
        read_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX maintenance_notification_user_idx ON maintenance_notification (user_id, created_at DESC);

      -- Scheduler passes: what each generation pass found and created (for the console and operators).
      CREATE TABLE maintenance_generation_run (
        id bigserial PRIMARY KEY,
        started_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz,
        as_of date NOT NULL,
        plans_checked integer NOT NULL DEFAULT 0,
        work_orders_created integer NOT NULL DEFAULT 0,
        instance text NOT NULL,
        error text
      );
    `);
  },
};
