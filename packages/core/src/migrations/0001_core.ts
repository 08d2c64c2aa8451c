import type { Migration } from '@quartermaster/sdk';

/** The core's first schema: people and access, catalogue, places, identifiers, audit, outbox. */
export const m0001Core: Migration = {
  name: '0001_core',
  async up(db) {
    await db.execute(`
      CREATE TABLE core_user (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL,
        name text NOT NULL,
        password_hash text NOT NULL,
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        last_login_at timestamptz
      );
      CREATE UNIQUE INDEX core_user_email_uq ON core_user (lower(email));

      CREATE TABLE core_role (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL UNIQUE,
        description text,
        permissions text[] NOT NULL DEFAULT '{}',
        built_in boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE core_user_role (
        user_id uuid NOT NULL REFERENCES core_user(id) ON DELETE CASCADE,
        role_id uuid NOT NULL REFERENCES core_role(id) ON DELETE CASCADE,
        PRIMARY KEY (user_id, role_id)
      );

      CREATE TABLE core_session (
        id text PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES core_user(id) ON DELETE CASCADE,
        csrf_token text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_seen_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL
      );
      CREATE INDEX core_session_user_idx ON core_session (user_id);

      CREATE TABLE core_api_token (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES core_user(id) ON DELETE CASCADE,
        name text NOT NULL,
        prefix text NOT NULL,
        token_hash text NOT NULL UNIQUE,
        permissions text[] NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz,
        last_used_at timestamptz,
        revoked_at timestamptz
      );

      CREATE TABLE core_category (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        parent_id uuid REFERENCES core_category(id),
        name text NOT NULL,
        attribute_schema jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX core_category_sibling_uq ON core_category (coalesce(parent_id, '00000000-0000-0000-0000-000000000000'::uuid), lower(name));

      CREATE TABLE core_item (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        description text,
        category_id uuid REFERENCES core_category(id),
        unit_of_measure text NOT NULL DEFAULT 'ea',
        kind text NOT NULL DEFAULT 'stock' CHECK (kind IN ('stock','consumable','asset','service','kit')),
        tracking_mode text NOT NULL DEFAULT 'none' CHECK (tracking_mode IN ('none','lot','serial')),
        attributes jsonb NOT NULL DEFAULT '{}',
        archived boolean NOT NULL DEFAULT false,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX core_item_category_idx ON core_item (category_id);
      CREATE INDEX core_item_name_idx ON core_item (lower(name) text_pattern_ops);

      CREATE TABLE core_location (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        parent_id uuid REFERENCES core_location(id),
        name text NOT NULL,
        code text,
        type text NOT NULL CHECK (type IN ('site','building','zone','aisle','rack','shelf','bin','area','room','vehicle','other')),
        address text,
        latitude numeric(9,6) CHECK (latitude BETWEEN -90 AND 90),
        longitude numeric(9,6) CHECK (longitude BETWEEN -180 AND 180),
        archived boolean NOT NULL DEFAULT false,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX core_location_parent_idx ON core_location (parent_id);
      CREATE UNIQUE INDEX core_location_sibling_uq ON core_location (coalesce(parent_id, '00000000-0000-0000-0000-000000000000'::uuid), lower(name));

      CREATE TABLE core_identifier (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        type text NOT NULL CHECK (type IN ('sku','gtin','serial','asset-tag','epc','qr','custom')),
        value text NOT NULL,
        target_type text NOT NULL,
        target_id uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (type, value)
      );
      CREATE INDEX core_identifier_value_idx ON core_identifier (value);
      CREATE INDEX core_identifier_target_idx ON core_identifier (target_type, target_id);

      CREATE TABLE core_audit (
        id bigserial PRIMARY KEY,
        occurred_at timestamptz NOT NULL DEFAULT now(),
        actor_type text NOT NULL,
        actor_id uuid,
        actor_label text NOT NULL,
        token_id uuid,
        plugin_id text NOT NULL,
        action text NOT NULL,
        entity_type text NOT NULL,
        entity_id text NOT NULL,
        before jsonb,
        after jsonb
      );
      CREATE INDEX core_audit_entity_idx ON core_audit (entity_type, entity_id, id DESC);
      CREATE INDEX core_audit_actor_idx ON core_audit (actor_id, id DESC);

      CREATE TABLE core_outbox (
        id bigserial PRIMARY KEY,
        name text NOT NULL,
        source text NOT NULL,
        payload jsonb NOT NULL,
        actor_id uuid,
        occurred_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE core_outbox_delivery (
        event_id bigint NOT NULL REFERENCES core_outbox(id),
        subscriber text NOT NULL,
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        locked_until timestamptz,
        delivered_at timestamptz,
        last_error text,
        PRIMARY KEY (event_id, subscriber)
      );
      CREATE INDEX core_outbox_delivery_due_idx ON core_outbox_delivery (next_attempt_at) WHERE delivered_at IS NULL;
    `);
  },
};


