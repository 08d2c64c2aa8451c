/**
 * Tag numbering and the asset tag as a core identifier, so scanning a label anywhere in the
 * platform (`GET /api/core/identifiers/resolve`) finds the asset.
 */
import { ProblemError, problems } from '@quartermaster/sdk';
import { ASSET_TARGET_TYPE } from '../../shared/index.js';
import { categoryCodeFromName, formatTag, parseTagPattern, tagScope, type TagPattern } from '../../domain/asset-tag.js';
import type { FixedAssetsOptions } from '../options.js';
import type { Db } from './db.js';
import { tagTaken } from './problems.js';

/** The pattern that numbers an asset of this category: the nearest category (up the tree) that sets one, else the plugin's. */
export async function tagPatternFor(db: Db, categoryId: string | null, options: FixedAssetsOptions): Promise<{ pattern: TagPattern; categoryCode: string | null }> {
  let source = options.tagPattern;
  let categoryCode: string | null = null;
  if (categoryId) {
    const path = await db.execute<{ name: string; tag_code: string | null; tag_pattern: string | null }>(
      `WITH RECURSIVE up AS (SELECT id, parent_id, name, 0 AS lvl FROM core_category WHERE id = $1
                             UNION ALL SELECT c.id, c.parent_id, c.name, up.lvl + 1 FROM core_category c JOIN up ON c.id = up.parent_id)
       SELECT up.name, s.tag_code, s.tag_pattern FROM up LEFT JOIN fixed_assets_category_settings s ON s.category_id = up.id ORDER BY up.lvl`,
      [categoryId],
    );
    source = path.find((c) => c.tag_pattern)?.tag_pattern ?? source;
    // The category's own code, or one made from its name: a laptop is LAP, not its parent's ELE.
    categoryCode = path[0]?.tag_code ?? (path[0] ? categoryCodeFromName(path[0].name) : null);
  }
  const parsed = parseTagPattern(source);
  // Patterns are checked when they are configured; one that no longer parses is a configuration bug.
  if (!parsed.ok) throw new Error(`fixed-assets: tag pattern "${source}" is invalid: ${parsed.message}`);
  return { pattern: parsed.value, categoryCode };
}

/**
 * The next free tag for a new asset. The counter row is incremented in the caller's transaction and
 * stays locked until it commits, so concurrent registrations in one scope are numbered one after
 * the other, and a registration that fails gives its number back. Numbers taken by hand-entered
 * tags are skipped.
 */
export async function allocateTag(db: Db, categoryId: string | null, options: FixedAssetsOptions, at = new Date()): Promise<string> {
  const { pattern, categoryCode } = await tagPatternFor(db, categoryId, options);
  if (pattern.needsCategory && !categoryCode) {
    throw problems.validation([{ field: 'categoryId', message: `the tag pattern ${pattern.source} uses {CAT}: give the asset a category, or a tag` }]);
  }
  const scope = tagScope(pattern, { date: at, categoryCode });
  for (let tries = 0; tries < 1000; tries++) {
    const [row] = await db.execute<{ last_value: string }>(
      `INSERT INTO fixed_assets_tag_counter (scope, last_value) VALUES ($1, 1)
       ON CONFLICT (scope) DO UPDATE SET last_value = fixed_assets_tag_counter.last_value + 1, updated_at = now()
       RETURNING last_value`,
      [scope],
    );
    const tag = formatTag(pattern, { date: at, categoryCode }, Number(row.last_value));
    const [taken] = await db.execute(
      `SELECT 1 FROM fixed_assets_asset WHERE tag = $1 UNION ALL SELECT 1 FROM core_identifier WHERE type = 'asset-tag' AND value = $1`,
      [tag],
    );
    if (!taken) return tag;
  }
  throw new ProblemError({ type: 'fixed-assets/tag-numbers-exhausted', status: 409, title: 'No free tag number', detail: `A thousand tags in a row of scope ${scope} are taken; give this asset a tag` });
}

/** Register the asset's tag with the core so scanning it resolves to the asset. */
export async function registerTag(db: Db, assetId: string, tag: string, field = 'tag'): Promise<void> {
  const [row] = await db.execute<{ id: string }>(
    `INSERT INTO core_identifier (type, value, target_type, target_id) VALUES ('asset-tag', $1, $2, $3) ON CONFLICT (type, value) DO NOTHING RETURNING id`,
    [tag, ASSET_TARGET_TYPE, assetId],
  );
  if (row) return;
  const [other] = await db.execute<{ target_type: string; target_id: string }>(`SELECT target_type, target_id FROM core_identifier WHERE type = 'asset-tag' AND value = $1`, [tag]);
  throw problems.conflict('identifier-taken', 'Identifier already in use', `asset-tag "${tag}" already points to ${other?.target_type} ${other?.target_id}`, {
    field,
    identifierType: 'asset-tag',
    value: tag,
  });
}

/** Re-label an asset: the new tag replaces the old one in the register and as the core identifier. */
export async function retag(db: Db, assetId: string, oldTag: string, newTag: string): Promise<void> {
  const [mine] = await db.execute<{ id: string }>(`SELECT id FROM fixed_assets_asset WHERE tag = $1 AND id <> $2`, [newTag, assetId]);
  if (mine) throw tagTaken(newTag, mine.id);
  await db.execute(`DELETE FROM core_identifier WHERE type = 'asset-tag' AND value = $1 AND target_type = $2 AND target_id = $3`, [oldTag, ASSET_TARGET_TYPE, assetId]);
  await registerTag(db, assetId, newTag);
}
