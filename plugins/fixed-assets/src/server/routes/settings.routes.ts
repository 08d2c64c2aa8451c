import { Type, problems, type FieldError, type PluginApp, type PluginContext } from '@quartermaster/sdk';
import { CUSTOM_FIELD_TYPES, permissions } from '../../shared/index.js';
import { CATEGORY_CODE_RE, parseTagPattern } from '../../domain/asset-tag.js';
import { checkFieldDefinitions, validateCustomFields, type CustomFieldDefinition } from '../../domain/custom-fields.js';
import type { FixedAssetsOptions } from '../options.js';
import { pathsOf, readerOf, subtreeCte, type Db } from '../services/db.js';
import { definitionsFor, lockFieldDefinitions } from '../services/fields.service.js';
import { tagPatternFor } from '../services/tags.service.js';
import { IdParams, Nullable, errorResponses, lit } from './schemas.js';

const FieldDefinition = Type.Object(
  {
    key: Type.String({ minLength: 1, maxLength: 63 }),
    label: Type.String({ minLength: 1, maxLength: 200 }),
    type: lit(CUSTOM_FIELD_TYPES),
    required: Type.Optional(Type.Boolean()),
    options: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { minItems: 1, maxItems: 200 })),
    min: Type.Optional(Type.Number()),
    max: Type.Optional(Type.Number()),
    maxLength: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
  },
  { additionalProperties: false },
);

export const CategorySettingsBody = Type.Object(
  {
    tagCode: Type.Optional(Nullable(Type.String({ pattern: CATEGORY_CODE_RE.source, description: '{CAT} in tag patterns: 1–10 capital letters or digits' }))),
    tagPattern: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 64 }))),
    fields: Type.Optional(Type.Array(FieldDefinition, { maxItems: 100 })),
  },
  { additionalProperties: false, minProperties: 1 },
);

const CategorySettingsOut = Type.Object({
  categoryId: Type.String(),
  path: Type.String(),
  tagCode: Nullable(Type.String()),
  tagPattern: Nullable(Type.String()),
  fields: Type.Array(FieldDefinition),
  /** What applies to the category's assets, with what it inherits. */
  effective: Type.Object({ tagPattern: Type.String(), tagCode: Nullable(Type.String()), fields: Type.Array(FieldDefinition) }),
});

async function settingsView(db: Db, categoryId: string, options: FixedAssetsOptions) {
  const [row] = await db.execute<{ tag_code: string | null; tag_pattern: string | null; field_definitions: CustomFieldDefinition[] }>(
    `SELECT tag_code, tag_pattern, field_definitions FROM fixed_assets_category_settings WHERE category_id = $1`,
    [categoryId],
  );
  const { pattern, categoryCode } = await tagPatternFor(db, categoryId, options);
  return {
    categoryId,
    path: (await pathsOf(db, 'core_category', [categoryId])).get(categoryId)?.path ?? '',
    tagCode: row?.tag_code ?? null,
    tagPattern: row?.tag_pattern ?? null,
    fields: row?.field_definitions ?? [],
    effective: { tagPattern: pattern.source, tagCode: categoryCode, fields: await definitionsFor(db, categoryId) },
  };
}

/** Per-category settings of the register: tag code and pattern, custom fields. */
export function settingsRoutes(app: PluginApp, ctx: PluginContext<any>, options: FixedAssetsOptions) {
  const db = readerOf(ctx);

  app.get(
    '/categories/:id/settings',
    { config: { permission: permissions.assetRead }, schema: { summary: "A category's tag and custom field settings", params: IdParams, response: { 200: CategorySettingsOut, ...errorResponses } } },
    async (req) => {
      const [cat] = await db.execute(`SELECT 1 FROM core_category WHERE id = $1`, [req.params.id]);
      if (!cat) throw problems.notFound('category', req.params.id);
      return settingsView(db, req.params.id, options);
    },
  );

  app.put(
    '/categories/:id/settings',
    {
      config: { permission: permissions.settingsWrite },
      schema: {
        summary: "Set a category's tag code, tag pattern and custom fields",
        description:
          'Replaces the settings (what is left out is cleared). Sub-categories inherit the fields and the pattern. Refused with 409 `fixed-assets/custom-fields-do-not-fit` when assets of the category (or below) would no longer fit their fields.',
        params: IdParams,
        body: CategorySettingsBody,
        response: { 200: CategorySettingsOut, ...errorResponses },
      },
    },
    async (req) => {
      const b = req.body;
      const errors: FieldError[] = [];
      if (b.tagPattern) {
        const parsed = parseTagPattern(b.tagPattern);
        if (!parsed.ok) errors.push({ field: 'tagPattern', message: parsed.message });
      }
      const fields = (b.fields ?? []) as CustomFieldDefinition[];
      errors.push(...checkFieldDefinitions(fields));
      if (errors.length) throw problems.validation(errors);
      return ctx.transaction(req.actor, async (tx) => {
        const [cat] = await tx.execute(`SELECT 1 FROM core_category WHERE id = $1 FOR SHARE`, [req.params.id]);
        if (!cat) throw problems.notFound('category', req.params.id);
        await lockFieldDefinitions(tx, true);
        const before = await settingsView(tx, req.params.id, options);
        await tx.execute(
          `INSERT INTO fixed_assets_category_settings (category_id, tag_code, tag_pattern, field_definitions) VALUES ($1, $2, $3, $4::jsonb)
           ON CONFLICT (category_id) DO UPDATE SET tag_code = EXCLUDED.tag_code, tag_pattern = EXCLUDED.tag_pattern, field_definitions = EXCLUDED.field_definitions, updated_at = now()`,
          [req.params.id, b.tagCode ?? null, b.tagPattern ?? null, JSON.stringify(fields)],
        );
        // Every asset in the category or below must still fit its (inherited) fields.
        const assets = await tx.execute<{ id: string; tag: string; category_id: string; custom_fields: Record<string, unknown> }>(
          `WITH RECURSIVE ${subtreeCte('core_category', '$1::uuid')}
           SELECT id, tag, category_id, custom_fields FROM fixed_assets_asset WHERE category_id IN (SELECT id FROM sub) AND status <> 'disposed' ORDER BY tag`,
          [req.params.id],
        );
        const defs = new Map<string, CustomFieldDefinition[]>();
        const misfits: { id: string; tag: string; errors: FieldError[] }[] = [];
        for (const a of assets) {
          if (!defs.has(a.category_id)) defs.set(a.category_id, await definitionsFor(tx, a.category_id));
          const errs = validateCustomFields(a.custom_fields ?? {}, defs.get(a.category_id)!);
          if (errs.length) misfits.push({ id: a.id, tag: a.tag, errors: errs });
        }
        if (misfits.length) {
          throw problems.conflict(
            'fixed-assets/custom-fields-do-not-fit',
            'Assets would not fit their fields',
            `${misfits.length} asset(s) would no longer fit, e.g. ${misfits[0].tag}: ${misfits[0].errors.map((e) => `${e.field} ${e.message}`).join('; ')}`,
            { field: 'fields', count: misfits.length, assets: misfits.slice(0, 20) },
          );
        }
        const after = await settingsView(tx, req.params.id, options);
        await tx.audit({ action: 'updated', entityType: 'fixed-assets.category-settings', entityId: req.params.id, before, after });
        return after;
      });
    },
  );
}
