/**
 * Tags the readers have seen: the list (unknown ones first of interest: nothing says what they are),
 * a tag with its recent movements, enrolling a tag to an item or asset, and clearing stray unknown tags.
 */
import { Page, PageQuery, Type, Uuid, errorResponses, lit, pageOf, problems, type PluginApp, type PluginContext } from '@quartermaster/sdk';
import { identifierService, readerOf, sqlParams } from '@quartermaster/core';
import { TagEnrolled, TagsCleared, ClearBody, EnrolBody, EpcParams, TagDetailSchema, TagSchema, permissions } from '../../shared/index.js';
import { EpcError, decodeEpc } from '../../domain/index.js';
import { MOVEMENT_FROM, MOVEMENT_SELECT, TAG_FROM, TAG_SELECT, checkLocationFilter, movementDto, subtreeCte, tagDto, targetLabels, type TagRow } from '../services/views.js';

/** Movements shown with a tag. */
const RECENT_MOVEMENTS = 50;

export function tagRoutes(app: PluginApp, ctx: PluginContext<any>) {
  const db = readerOf(ctx);

  async function loadTag(epc: string): Promise<TagRow | null> {
    const [row] = await db.execute<TagRow>(`SELECT ${TAG_SELECT} FROM ${TAG_FROM} WHERE t.epc = $1`, [epc]);
    return row ?? null;
  }
  async function tagOut(row: TagRow) {
    const labels = await targetLabels(ctx, db, [row.target_type && row.target_id ? { type: row.target_type, id: row.target_id } : null]);
    return tagDto(row, labels);
  }

  app.get(
    '/tags',
    {
      config: { permission: permissions.read },
      schema: {
        summary: 'Tags seen by readers',
        description:
          '`status=unknown`: tags nothing names (no `epc` identifier, and no GS1 key naming an item or asset) — enrol them; `known`: the others. `locationId`: last seen there or below. `q`: part of the EPC, GS1 key or serial. Newest sighting first; each tag with its decoded GS1 key when it is a GS1 EPC.',
        querystring: Type.Object(
          {
            status: Type.Optional(lit(['unknown', 'known'] as const)),
            locationId: Type.Optional(Uuid),
            q: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
            ...PageQuery,
          },
          { additionalProperties: false },
        ),
        response: { 200: Page(TagSchema), ...errorResponses },
      },
    },
    async (req) => {
      const q = req.query;
      const { limit, offset } = pageOf(q);
      await checkLocationFilter(db, q.locationId);
      const { values, p } = sqlParams();
      const where: string[] = [];
      let cte = '';
      if (q.status === 'unknown') where.push('i.id IS NULL AND t.target_id IS NULL');
      if (q.status === 'known') where.push('(i.id IS NOT NULL OR t.target_id IS NOT NULL)');
      if (q.locationId) {
        cte = `WITH RECURSIVE ${subtreeCte(p(q.locationId))} `;
        where.push('t.last_location_id IN (SELECT id FROM sub)');
      }
      const text = q.q?.trim();
      if (text) {
        const like = p(`%${text.replace(/[\\%_]/g, (c) => '\\' + c)}%`);
        where.push(`(t.epc ILIKE ${like} OR t.gs1_key ILIKE ${like} OR t.serial ILIKE ${like})`);
      }
      const rows = await db.execute<TagRow & { total: string }>(
        `${cte}SELECT ${TAG_SELECT}, count(*) OVER () AS total FROM ${TAG_FROM}
          ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
          ORDER BY t.last_seen_at DESC, t.epc LIMIT ${limit} OFFSET ${offset}`,
        values,
      );
      let total = rows.length ? Number(rows[0].total) : 0;
      if (!rows.length && offset > 0) {
        const [c] = await db.execute<{ n: string }>(`${cte}SELECT count(*) AS n FROM ${TAG_FROM} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`, values);
        total = Number(c.n);
      }
      const labels = await targetLabels(ctx, db, rows.map((r) => (r.target_type && r.target_id ? { type: r.target_type, id: r.target_id } : null)));
      return { data: rows.map((r) => tagDto(r, labels)), total, limit, offset };
    },
  );

  app.get(
    '/tags/:epc',
    {
      config: { permission: permissions.read },
      schema: {
        summary: 'A tag, what its EPC says, and its recent movements',
        params: EpcParams,
        response: { 200: TagDetailSchema, ...errorResponses },
      },
    },
    async (req) => {
      const epc = req.params.epc.toUpperCase();
      const row = await loadTag(epc);
      if (!row) throw problems.notFound('RFID tag', epc);
      let decoded = null;
      let decodeError: string | null = null;
      try {
        decoded = { ...decodeEpc(epc) };
      } catch (err) {
        if (!(err instanceof EpcError)) throw err;
        decodeError = err.reason;
      }
      const movements = await db.execute(`SELECT ${MOVEMENT_SELECT} FROM ${MOVEMENT_FROM} WHERE m.epc = $1 ORDER BY m.at DESC, m.id DESC LIMIT ${RECENT_MOVEMENTS}`, [epc]);
      return { tag: await tagOut(row), decoded, decodeError, movements: movements.map(movementDto) };
    },
  );

  app.post(
    '/tags/:epc/enrol',
    {
      config: { permission: permissions.manage },
      schema: {
        summary: 'Enrol a tag to an item or an asset',
        description:
          "Assigns the `epc` identifier in the core (same checks, audit record and event as `POST /api/core/identifiers`) and records the target on the tag, in one transaction; emits `rfid.tag.enrolled`. A tag no reader has seen is 404 (attach the identifier in the core instead); an EPC already enrolled is 409 `identifier-taken`; an unknown target is 400. The asset is not moved to where the tag was last seen — a tag is often enrolled at a desk — its next movement moves it.",
        params: EpcParams,
        body: EnrolBody,
        response: { 200: Type.Object({ tag: TagSchema, identifierId: Uuid }), ...errorResponses },
      },
    },
    async (req) => {
      const epc = req.params.epc.toUpperCase();
      const { targetType, targetId } = req.body;
      if (targetType === 'fixed-assets.asset' && !ctx.isEnabled('fixed-assets')) {
        throw problems.validation([{ field: 'targetType', message: 'assets need the fixed-assets plugin, which is not enabled' }]);
      }
      const identifierId = await ctx.transaction(req.actor, async (tx) => {
        const [tag] = await tx.execute<{ target_type: string | null; target_id: string | null }>(`SELECT target_type, target_id FROM rfid_tag WHERE epc = $1 FOR UPDATE`, [epc]);
        if (!tag) throw problems.notFound('RFID tag', epc);
        const ident = await ctx.services.get(identifierService).assign(tx, { type: 'epc', value: epc, targetType, targetId });
        await tx.execute(`UPDATE rfid_tag SET target_type = $2, target_id = $3, updated_at = now() WHERE epc = $1`, [epc, targetType, targetId]);
        await tx.audit({
          action: 'enrolled',
          entityType: 'rfid.tag',
          entityId: epc,
          before: { target: tag.target_type ? { type: tag.target_type, id: tag.target_id } : null },
          after: { target: { type: targetType, id: targetId }, identifierId: ident.id },
        });
        await tx.emit(TagEnrolled, { epc, targetType, targetId, identifierId: ident.id });
        return ident.id;
      });
      return { tag: await tagOut((await loadTag(epc))!), identifierId };
    },
  );

  app.post(
    '/tags/clear',
    {
      config: { permission: permissions.manage },
      schema: {
        summary: 'Forget unknown tags (stray reads)',
        description:
          'Deletes the tags nothing names (as `GET /tags?status=unknown`) with their movements: all of them, or those last seen before `seenBefore` and/or last seen in `locationId` or below. Tags that name something are never cleared. Answers how many; one audit record per tag and one `rfid.tags.cleared` event.',
        body: ClearBody,
        response: { 200: Type.Object({ cleared: Type.Integer() }), ...errorResponses },
      },
    },
    async (req) => {
      const b = req.body;
      await checkLocationFilter(db, b.locationId);
      const cleared = await ctx.transaction(req.actor, async (tx) => {
        const { values, p } = sqlParams();
        const where = [`t.target_id IS NULL`, `NOT EXISTS (SELECT 1 FROM core_identifier i WHERE i.type = 'epc' AND i.value = t.epc)`];
        let cte = '';
        if (b.seenBefore) where.push(`t.last_seen_at < ${p(b.seenBefore)}::timestamptz`);
        if (b.locationId) {
          cte = `WITH RECURSIVE ${subtreeCte(p(b.locationId))} `;
          where.push('t.last_location_id IN (SELECT id FROM sub)');
        }
        const gone = await tx.execute<{ epc: string; scheme: string | null; gs1_key: string | null; first_seen_at: Date; last_seen_at: Date; last_location_id: string | null; read_count: string }>(
          `${cte}DELETE FROM rfid_tag t WHERE ${where.join(' AND ')} RETURNING t.epc, t.scheme, t.gs1_key, t.first_seen_at, t.last_seen_at, t.last_location_id, t.read_count`,
          values,
        );
        for (const g of gone) {
          await tx.audit({
            action: 'cleared',
            entityType: 'rfid.tag',
            entityId: g.epc,
            before: { scheme: g.scheme, gs1Key: g.gs1_key, firstSeenAt: g.first_seen_at, lastSeenAt: g.last_seen_at, locationId: g.last_location_id, readCount: Number(g.read_count) },
          });
        }
        if (gone.length) await tx.emit(TagsCleared, { count: gone.length, seenBefore: b.seenBefore ?? null, locationId: b.locationId ?? null });
        return gone.length;
      });
      return { cleared };
    },
  );
}
