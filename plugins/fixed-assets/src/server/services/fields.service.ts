/** The custom field definitions that apply to an asset: its category's and every category above it. */
import { mergeDefinitions, type CustomFieldDefinition } from '../../domain/custom-fields.js';
import type { Db } from './db.js';

/**
 * Asset writes that check custom fields take this lock shared, category settings changes take it
 * exclusively: definitions cannot change between an asset's check and its commit.
 */
export async function lockFieldDefinitions(db: Db, exclusive = false): Promise<void> {
  await db.execute(`SELECT pg_advisory_xact_lock${exclusive ? '' : '_shared'}(hashtext('fixed-assets.category-settings'))`);
}

export async function definitionsFor(db: Db, categoryId: string | null): Promise<CustomFieldDefinition[]> {
  if (!categoryId) return [];
  const rows = await db.execute<{ field_definitions: CustomFieldDefinition[] }>(
    `WITH RECURSIVE up AS (SELECT id, parent_id, 0 AS lvl FROM core_category WHERE id = $1
                           UNION ALL SELECT c.id, c.parent_id, up.lvl + 1 FROM core_category c JOIN up ON c.id = up.parent_id)
     SELECT s.field_definitions FROM up JOIN fixed_assets_category_settings s ON s.category_id = up.id ORDER BY up.lvl DESC`,
    [categoryId],
  );
  return mergeDefinitions(rows.map((r) => r.field_definitions));
}
