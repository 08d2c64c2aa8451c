import { describe, expect, it } from 'vitest';
import { sqlTouches } from '../src/sql-ownership.js';

describe('sqlTouches', () => {
  it('finds what DDL creates, changes and drops, and where foreign keys point', () => {
    const sql = `
      CREATE TABLE IF NOT EXISTS w_thing (id uuid PRIMARY KEY, item_id uuid REFERENCES core_item(id) ON DELETE SET NULL ON UPDATE CASCADE);
      CREATE UNIQUE INDEX w_thing_item ON public.w_thing (item_id);
      CREATE INDEX ON core_item (name);
      CREATE SEQUENCE w_number_seq;
      ALTER TABLE ONLY "core_location" ADD COLUMN x text;
      DROP TABLE IF EXISTS w_old, public.w_older;
      COMMENT ON COLUMN core_user.name IS 'a name';
      CREATE TRIGGER w_touch BEFORE INSERT OR UPDATE ON core_item FOR EACH ROW EXECUTE FUNCTION w_touch();`;
    expect(sqlTouches(sql)).toEqual(
      expect.arrayContaining([
        { action: 'CREATE TABLE', name: 'w_thing' },
        { action: 'REFERENCES', name: 'core_item' },
        { action: 'CREATE INDEX', name: 'w_thing_item' },
        { action: 'INDEX ON', name: 'w_thing' },
        { action: 'INDEX ON', name: 'core_item' },
        { action: 'CREATE SEQUENCE', name: 'w_number_seq' },
        { action: 'ALTER', name: 'core_location' },
        { action: 'DROP', name: 'w_old' },
        { action: 'DROP', name: 'w_older' },
        { action: 'COMMENT', name: 'core_user' },
        { action: 'CREATE TRIGGER', name: 'w_touch' },
        { action: 'TRIGGER ON', name: 'core_item' },
      ]),
    );
  });

  it('finds writes, also inside DO blocks, but not upserts, FK actions, comments or string literals', () => {
    const sql = `
      -- UPDATE core_item SET name = 'not run'
      /* DELETE FROM core_user */
      INSERT INTO w_setting (id, note) VALUES (1, 'DELETE FROM core_item') ON CONFLICT (id) DO UPDATE SET note = excluded.note;
      UPDATE core_item i SET name = 'x' WHERE i.id IS NULL;
      DO $$ BEGIN DELETE FROM core_location WHERE false; END $$;
      TRUNCATE core_audit;`;
    expect(sqlTouches(sql)).toEqual([
      { action: 'INSERT', name: 'w_setting' },
      { action: 'UPDATE', name: 'core_item' },
      { action: 'DELETE', name: 'core_location' },
      { action: 'TRUNCATE', name: 'core_audit' },
    ]);
  });
});
