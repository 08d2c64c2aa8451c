import type { Migration } from '@quartermaster/sdk';

/**
 * The plugin's first table. Every table, index and sequence carries the plugin's prefix
 * (`__PLUGIN_SNAKE___`); foreign keys may point into the core (`core_*`) or a declared dependency.
 * Migrations are forward-only: add a `0002_…` migration for the next change, never edit this one.
 */
export const widgetsMigration: Migration = {
  name: '0001___PLUGIN_SNAKE__',
  async up(db) {
    await db.execute(`
      CREATE TABLE __PLUGIN_SNAKE___widget (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (btrim(name) <> '' AND char_length(name) <= 80),
        -- Lower-cased name: two widgets may not differ only in case.
        name_key text NOT NULL,
        created_by uuid REFERENCES core_user(id),
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX __PLUGIN_SNAKE___widget_name_key ON __PLUGIN_SNAKE___widget (name_key);
      CREATE INDEX __PLUGIN_SNAKE___widget_created_idx ON __PLUGIN_SNAKE___widget (created_at DESC, id DESC);
    `);
  },
};
