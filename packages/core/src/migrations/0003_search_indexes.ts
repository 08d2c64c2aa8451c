import type { Migration } from '@quartermaster/sdk';

/**
 * Substring search (`?q=` on items, identifiers, locations) uses LIKE '%…%'; trigram GIN indexes keep it
 * fast on large catalogues. pg_trgm ships with PostgreSQL and is a trusted extension, but a locked-down
 * server may still refuse it: then search works without the indexes, just slower.
 */
export const m0003SearchIndexes: Migration = {
  name: '0003_search_indexes',
  async up(db) {
    await db.execute(`
      DO $$ BEGIN
        CREATE EXTENSION IF NOT EXISTS pg_trgm;
      EXCEPTION WHEN OTHERS THEN
        RAISE NOTICE 'pg_trgm is not available (%); item search will not use trigram indexes', SQLERRM;
      END $$;
      DO $$ BEGIN
        IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
          CREATE INDEX core_item_name_trgm ON core_item USING gin (lower(name) gin_trgm_ops);
          CREATE INDEX core_item_description_trgm ON core_item USING gin (lower(coalesce(description, '')) gin_trgm_ops);
          CREATE INDEX core_identifier_value_trgm ON core_identifier USING gin (lower(value) gin_trgm_ops);
          CREATE INDEX core_location_name_trgm ON core_location USING gin (lower(name) gin_trgm_ops);
        END IF;
      END $$;
    `);
  },
};
