import type { Migration } from '@quartermaster/sdk';

/**
 * Tags and their movements.
 * - `rfid_tag`: one row per EPC ever accepted from a reader — what the EPC says (scheme, GS1 key,
 *   serial), what it names (target, resolved from the core's identifiers), where and when it was
 *   last seen, and how many reads were accepted. `target_type`/`target_id` point at the core's or
 *   a plugin's object by type, so there is no foreign key on them (fixed-assets is optional).
 * - `rfid_movement`: a tag seen in another location than before, with the portal direction when
 *   the reader could tell it. Append-only, indexed for the tag's history, a location's traffic and
 *   a reader's traffic.
 */
export const rfidMigration: Migration = {
  name: '0001_rfid',
  async up(db) {
    await db.execute(`
      CREATE TABLE rfid_tag (
        epc text PRIMARY KEY CHECK (epc ~ '^([0-9A-F]{4}){1,31}$'),
        scheme text,
        gs1_key_type text CHECK (gs1_key_type IN ('gtin','sscc','grai','giai')),
        gs1_key text,
        serial text,
        target_type text,
        target_id uuid,
        first_seen_at timestamptz NOT NULL,
        last_seen_at timestamptz NOT NULL,
        last_location_id uuid REFERENCES core_location(id),
        last_device_id uuid REFERENCES core_device(id) ON DELETE SET NULL,
        last_antenna integer,
        last_rssi double precision,
        read_count bigint NOT NULL DEFAULT 0 CHECK (read_count >= 0),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((target_type IS NULL) = (target_id IS NULL)),
        CHECK ((gs1_key_type IS NULL) = (gs1_key IS NULL))
      );
      CREATE INDEX rfid_tag_seen_idx ON rfid_tag (last_seen_at DESC, epc);
      CREATE INDEX rfid_tag_location_idx ON rfid_tag (last_location_id);
      CREATE INDEX rfid_tag_gs1_idx ON rfid_tag (gs1_key_type, gs1_key);
      CREATE INDEX rfid_tag_target_idx ON rfid_tag (target_type, target_id) WHERE target_id IS NOT NULL;

      CREATE TABLE rfid_movement (
        id bigserial PRIMARY KEY,
        epc text NOT NULL REFERENCES rfid_tag(epc) ON DELETE CASCADE,
        target_type text,
        target_id uuid,
        from_location_id uuid REFERENCES core_location(id),
        to_location_id uuid NOT NULL REFERENCES core_location(id),
        device_id uuid REFERENCES core_device(id) ON DELETE SET NULL,
        antenna integer,
        direction text CHECK (direction IN ('in','out')),
        at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX rfid_movement_epc_idx ON rfid_movement (epc, at DESC, id DESC);
      CREATE INDEX rfid_movement_to_idx ON rfid_movement (to_location_id, at DESC);
      CREATE INDEX rfid_movement_from_idx ON rfid_movement (from_location_id, at DESC) WHERE from_location_id IS NOT NULL;
      CREATE INDEX rfid_movement_device_idx ON rfid_movement (device_id, at DESC);
      CREATE INDEX rfid_movement_at_idx ON rfid_movement (at DESC, id DESC);
    `);
  },
};
