/**
 * The `core.catalogue` service: items and locations by id, with what other plugins classify by
 * (category, site), so they need neither the core's tables nor another plugin's code.
 */
import type { CatalogueItem, CatalogueLocation, CatalogueService, PluginContext, Transaction } from '@quartermaster/sdk';
import { readerOf } from '../../kernel/db-helpers.js';

export function createCatalogueService(ctx: Pick<PluginContext, 'orm'>): CatalogueService {
  const reader = readerOf(ctx);
  const db = (tx?: Pick<Transaction, 'execute'>) => tx ?? reader;
  return {
    async items(ids, tx) {
      if (!ids.length) return [];
      const rows = await db(tx).execute<{ id: string; name: string; sku: string | null; category_id: string | null }>(
        `SELECT i.id::text AS id, i.name, i.category_id::text AS category_id,
                (SELECT x.value FROM core_identifier x WHERE x.target_type = 'core.item' AND x.target_id = i.id AND x.type = 'sku' ORDER BY x.created_at, x.id LIMIT 1) AS sku
           FROM core_item i WHERE i.id = ANY($1::uuid[])`,
        [[...new Set(ids)]],
      );
      return rows.map((r): CatalogueItem => ({ id: r.id, name: r.name, sku: r.sku, categoryId: r.category_id }));
    },
    async locations(ids, tx) {
      if (!ids.length) return [];
      // Walk up from each location; the site is the top-most ancestor (or itself) of type site.
      const rows = await db(tx).execute<{ id: string; name: string; type: string; site_id: string | null }>(
        `WITH RECURSIVE up AS (
           SELECT l.id AS start, l.id, l.parent_id, l.type, 0 AS depth FROM core_location l WHERE l.id = ANY($1::uuid[])
           UNION ALL SELECT up.start, p.id, p.parent_id, p.type, up.depth + 1 FROM core_location p JOIN up ON p.id = up.parent_id)
         SELECT l.id::text AS id, l.name, l.type,
                (SELECT u.id::text FROM up u WHERE u.start = l.id AND u.type = 'site' ORDER BY u.depth DESC LIMIT 1) AS site_id
           FROM core_location l WHERE l.id = ANY($1::uuid[])`,
        [[...new Set(ids)]],
      );
      return rows.map((r): CatalogueLocation => ({ id: r.id, name: r.name, type: r.type, siteId: r.site_id }));
    },
  };
}
