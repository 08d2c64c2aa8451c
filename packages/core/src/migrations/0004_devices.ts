import type { Migration } from '@quartermaster/sdk';

/**
 * The device registry: devices with a hashed key, the raw readings they sent (kept for a retention
 * period), and refusals of payloads from unknown devices, counted per source.
 */
export const m0004Devices: Migration = {
  name: '0004_devices',
  async up(db) {
    await db.execute(`
      CREATE TABLE core_device (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code text NOT NULL CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
        name text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('scanner','rfid-reader','gps-tracker','sensor','printer')),
        adapter text NOT NULL,
        model text,
        location_id uuid REFERENCES core_location(id),
        settings jsonb NOT NULL DEFAULT '{}'::jsonb,
        status text NOT NULL DEFAULT 'active' CHECK (status IN ('active','disabled')),
        key_hash text NOT NULL,
        -- The first characters of the key, shown so people can tell keys apart; never enough to use it.
        key_hint text NOT NULL,
        key_rotated_at timestamptz NOT NULL DEFAULT now(),
        last_seen_at timestamptz,
        last_address text,
        readings_count bigint NOT NULL DEFAULT 0,
        refused_count bigint NOT NULL DEFAULT 0,
        error_count bigint NOT NULL DEFAULT 0,
        last_error text,
        last_error_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1
      );
      CREATE UNIQUE INDEX core_device_code_uq ON core_device (lower(code));
      CREATE UNIQUE INDEX core_device_key_uq ON core_device (key_hash);

      CREATE TABLE core_device_reading (
        id bigserial PRIMARY KEY,
        device_id uuid NOT NULL REFERENCES core_device(id) ON DELETE CASCADE,
        received_at timestamptz NOT NULL,
        read_at timestamptz NOT NULL,
        kind text NOT NULL,
        transport text NOT NULL,
        reading jsonb NOT NULL,
        status text NOT NULL DEFAULT 'processed' CHECK (status IN ('processed','failed')),
        error text
      );
      CREATE INDEX core_device_reading_device_idx ON core_device_reading (device_id, id DESC);
      -- Append-only by time: a BRIN index finds the old rows to prune at a fraction of a B-tree's write cost.
      CREATE INDEX core_device_reading_received_idx ON core_device_reading USING brin (received_at);
      CREATE INDEX core_device_reading_failed_idx ON core_device_reading (id) WHERE status = 'failed';

      CREATE TABLE core_device_refusal (
        reason text NOT NULL CHECK (reason IN ('unknown-key','disabled','decode-error','wrong-transport')),
        source text NOT NULL,
        device_id uuid REFERENCES core_device(id) ON DELETE CASCADE,
        count bigint NOT NULL DEFAULT 0,
        first_at timestamptz NOT NULL DEFAULT now(),
        last_at timestamptz NOT NULL DEFAULT now(),
        last_detail text,
        PRIMARY KEY (reason, source)
      );
    `);
  },
};
