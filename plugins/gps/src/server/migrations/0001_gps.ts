import type { Migration } from '@quartermaster/sdk';

/**
 * Positions, trackers, geofences and geofence events.
 * - `gps_position` is keyed (device, fix time): a position sent twice is one row, and the GGA and
 *   RMC sentences of one fix (sent separately over TCP) merge into it. Time-range reads per device
 *   walk the primary key; the prune walks a BRIN index on `at`, which costs almost nothing to keep
 *   for rows that arrive in time order. No foreign key to core_device: checking it row by row
 *   costs a third of the insert; every position's device gets its `gps_tracker` row (which has
 *   the key) in the same statement, and the core never deletes devices.
 * - `gps_tracker.asset_id` has no foreign key: fixed-assets is an optional dependency whose table
 *   may not exist; the link is checked through its service when it is made.
 * - `gps_geofence_event.fence_id` has no foreign key either: the events are history and outlive a
 *   deleted fence (its name is kept with each event).
 * - `gps_fence_revision` is one row bumped by every fence change, so each instance knows when to
 *   reload its in-memory fence index (a committed counter, unlike timestamps, never goes back).
 */
export const gpsMigration: Migration = {
  name: '0001_gps',
  async up(db) {
    await db.execute(`
      CREATE TABLE gps_position (
        device_id uuid NOT NULL,
        at timestamptz NOT NULL,
        latitude double precision NOT NULL CHECK (latitude BETWEEN -90 AND 90),
        longitude double precision NOT NULL CHECK (longitude BETWEEN -180 AND 180),
        speed_knots double precision,
        course_deg double precision,
        altitude_m double precision,
        accuracy_m double precision,
        battery double precision,
        valid boolean NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (device_id, at)
      );
      CREATE INDEX gps_position_at_brin ON gps_position USING brin (at);

      CREATE TABLE gps_geofence (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('circle', 'polygon')),
        geometry jsonb NOT NULL,
        dwell_seconds integer CHECK (dwell_seconds >= 0),
        location_id uuid REFERENCES core_location(id),
        after_hours jsonb,
        active boolean NOT NULL DEFAULT true,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX gps_geofence_name_uq ON gps_geofence (lower(name));

      CREATE TABLE gps_fence_revision (
        id boolean PRIMARY KEY DEFAULT true CHECK (id),
        revision bigint NOT NULL
      );
      INSERT INTO gps_fence_revision (id, revision) VALUES (true, 0);

      CREATE TABLE gps_tracker (
        device_id uuid PRIMARY KEY REFERENCES core_device(id) ON DELETE CASCADE,
        asset_id uuid,
        last_at timestamptz,
        last_latitude double precision,
        last_longitude double precision,
        last_speed_knots double precision,
        last_course_deg double precision,
        last_altitude_m double precision,
        last_accuracy_m double precision,
        last_battery double precision,
        geofence_state jsonb NOT NULL DEFAULT '{"inside": {}}'::jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX gps_tracker_asset_idx ON gps_tracker (asset_id) WHERE asset_id IS NOT NULL;

      CREATE TABLE gps_geofence_event (
        id bigserial PRIMARY KEY,
        device_id uuid NOT NULL REFERENCES core_device(id) ON DELETE CASCADE,
        fence_id uuid NOT NULL,
        fence_name text NOT NULL,
        type text NOT NULL CHECK (type IN ('entered', 'exited', 'dwelled')),
        at timestamptz NOT NULL,
        entered_at timestamptz NOT NULL,
        latitude double precision NOT NULL,
        longitude double precision NOT NULL,
        asset_id uuid,
        after_hours boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX gps_geofence_event_device_idx ON gps_geofence_event (device_id, at);
      CREATE INDEX gps_geofence_event_fence_idx ON gps_geofence_event (fence_id, at);
      CREATE INDEX gps_geofence_event_at_idx ON gps_geofence_event (at);
    `);
  },
};
