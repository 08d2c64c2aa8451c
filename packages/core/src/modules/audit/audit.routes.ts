import { Type } from '@sinclair/typebox';
import { problems, type PluginApp, type PluginContext } from '@quartermaster/sdk';
import { Page, PageQuery, errorResponses, iso, pageOf, reader } from '../common.js';

const AuditEntry = Type.Object({
  id: Type.String(),
  occurredAt: Type.String({ format: 'date-time' }),
  actorType: Type.String(),
  actorId: Type.Union([Type.String(), Type.Null()]),
  actorLabel: Type.String(),
  pluginId: Type.String(),
  action: Type.String(),
  entityType: Type.String(),
  entityId: Type.String(),
  before: Type.Unknown(),
  after: Type.Unknown(),
});

export async function auditRoutes(app: PluginApp, ctx: PluginContext) {
  app.get('/audit', {
    config: { permission: 'core.audit.read' },
    schema: {
      summary: 'Who changed what, newest first',
      querystring: Type.Object(
        {
          entityType: Type.Optional(Type.String({ maxLength: 100 })),
          entityId: Type.Optional(Type.String({ maxLength: 100 })),
          actorId: Type.Optional(Type.String({ format: 'uuid' })),
          action: Type.Optional(Type.String({ maxLength: 100 })),
          from: Type.Optional(Type.String({ format: 'date-time', description: 'Entries at or after this instant (UTC ISO-8601)' })),
          to: Type.Optional(Type.String({ format: 'date-time', description: 'Entries before this instant' })),
          ...PageQuery,
        },
        { additionalProperties: false },
      ),
      response: { 200: Page(AuditEntry), ...errorResponses },
    },
  }, async (req) => {
    const q = req.query;
    const { limit, offset } = pageOf(q);
    const where: string[] = ['true'];
    const params: unknown[] = [];
    for (const [col, v] of [['entity_type', q.entityType], ['entity_id', q.entityId], ['actor_id', q.actorId], ['action', q.action]] as const) {
      if (v) {
        params.push(v);
        where.push(`${col} = $${params.length}`);
      }
    }
    if (q.from) {
      params.push(q.from);
      where.push(`occurred_at >= $${params.length}::timestamptz`);
    }
    if (q.to) {
      params.push(q.to);
      where.push(`occurred_at < $${params.length}::timestamptz`);
    }
    if (q.from && q.to && new Date(q.from) > new Date(q.to)) throw problems.validation([{ field: 'to', message: 'must not be before from' }]);
    const db = reader(ctx);
    const [{ n }] = await db.execute<{ n: string }>(`SELECT count(*) AS n FROM core_audit WHERE ${where.join(' AND ')}`, params);
    const rows = await db.execute<Record<string, any>>(
      `SELECT * FROM core_audit WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT ${limit} OFFSET ${offset}`,
      params,
    );
    return {
      data: rows.map((r) => ({
        id: String(r.id),
        occurredAt: iso(r.occurred_at)!,
        actorType: r.actor_type,
        actorId: r.actor_id,
        actorLabel: r.actor_label,
        pluginId: r.plugin_id,
        action: r.action,
        entityType: r.entity_type,
        entityId: r.entity_id,
        before: r.before,
        after: r.after,
      })),
      total: Number(n),
      limit,
      offset,
    };
  });
}
