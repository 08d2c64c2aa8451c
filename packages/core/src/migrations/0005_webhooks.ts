import type { Migration } from '@quartermaster/sdk';

/**
 * Outbound webhooks: subscriptions, one delivery row per (event, webhook) written in the emitting
 * transaction next to the outbox event, and a log of every attempt. The outbox keeps each event's
 * aggregate key so deliveries of one aggregate to one webhook go out in order.
 */
export const m0005Webhooks: Migration = {
  name: '0005_webhooks',
  async up(db) {
    await db.execute(`
      ALTER TABLE core_outbox ADD COLUMN aggregate_key text;

      CREATE TABLE core_webhook (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        url text NOT NULL CHECK (url ~ '^https?://'),
        -- Exact event names, "prefix.*" or "*".
        events text[] NOT NULL CHECK (cardinality(events) > 0),
        description text,
        active boolean NOT NULL DEFAULT true,
        -- Kept readable: signing needs the secret itself (Standard Webhooks, HMAC-SHA256).
        secret text NOT NULL,
        -- After a rotation the old secret also signs until it expires, so receivers can switch over.
        previous_secret text,
        previous_secret_expires_at timestamptz,
        secret_rotated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE core_webhook_delivery (
        id bigserial PRIMARY KEY,
        -- No foreign key on purpose: rows are inserted by every emitting transaction, and a webhook deleted
        -- meanwhile must not fail someone's unrelated change. Deleting a webhook deletes its deliveries; a row
        -- inserted in that race is never sent (sending joins core_webhook) and is removed by the outbox pruning.
        webhook_id uuid NOT NULL,
        event_id bigint REFERENCES core_outbox(id),
        -- A test ping has no outbox event; its body is kept here instead.
        ping jsonb,
        aggregate_key text,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','delivered','dead')),
        attempts integer NOT NULL DEFAULT 0,
        replays integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        locked_until timestamptz,
        last_attempt_at timestamptz,
        last_status_code integer,
        last_error text,
        delivered_at timestamptz,
        dead_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((event_id IS NULL) <> (ping IS NULL))
      );
      CREATE INDEX core_webhook_delivery_due_idx ON core_webhook_delivery (next_attempt_at) WHERE status = 'pending';
      -- "Is an earlier delivery of this aggregate to this webhook still open?"
      CREATE INDEX core_webhook_delivery_order_idx ON core_webhook_delivery (webhook_id, aggregate_key, id) WHERE status = 'pending';
      CREATE INDEX core_webhook_delivery_webhook_idx ON core_webhook_delivery (webhook_id, id DESC);
      -- Open and dead deliveries: counted per webhook, listed by status (delivered ones are the bulk and need neither).
      CREATE INDEX core_webhook_delivery_open_idx ON core_webhook_delivery (webhook_id, status) WHERE status <> 'delivered';
      CREATE INDEX core_webhook_delivery_status_idx ON core_webhook_delivery (status, id DESC) WHERE status <> 'delivered';
      CREATE INDEX core_webhook_delivery_event_idx ON core_webhook_delivery (event_id);

      CREATE TABLE core_webhook_attempt (
        id bigserial PRIMARY KEY,
        delivery_id bigint NOT NULL REFERENCES core_webhook_delivery(id) ON DELETE CASCADE,
        attempt integer NOT NULL,
        started_at timestamptz NOT NULL,
        duration_ms integer NOT NULL,
        status_code integer,
        error text,
        response_body text,
        response_truncated boolean NOT NULL DEFAULT false,
        outcome text NOT NULL CHECK (outcome IN ('delivered','retry','dead'))
      );
      CREATE INDEX core_webhook_attempt_delivery_idx ON core_webhook_attempt (delivery_id, id);
    `);
  },
};
