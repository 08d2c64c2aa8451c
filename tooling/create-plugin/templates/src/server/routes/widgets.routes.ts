/**
 * `/api/__PLUGIN_ID__/widgets`: list and create widgets. Every route has a TypeBox schema for
 * what it takes and answers (bad input is a 400 problem before the handler runs) and names the
 * permission it needs in `config.permission`; the platform refuses to boot a route without one.
 */
import { Page, errorResponses, pageOf, problems, type PluginApp, type PluginContext } from '@quartermaster/sdk';
import { Widget, WidgetInput, WidgetListQuery, permissions, widgetCreated } from '../../shared/index.js';
import { normaliseWidgetName } from '../../domain/widget-name.js';

interface WidgetRow {
  id: string;
  name: string;
  created_at: Date | string;
}

const toWidget = (r: WidgetRow): Widget => ({ id: r.id, name: r.name, createdAt: new Date(r.created_at).toISOString() });

/** PostgreSQL's SQLSTATE of a failed statement, however the driver wrapped it. */
const sqlState = (err: unknown): string | undefined => {
  const e = err as { code?: string; cause?: { code?: string } } | null;
  return e?.code ?? e?.cause?.code;
};

export function widgetRoutes(app: PluginApp, ctx: PluginContext) {
  app.get('/widgets', {
    schema: {
      summary: 'Widgets, newest first',
      querystring: WidgetListQuery,
      response: { 200: Page(Widget), ...errorResponses },
    },
    config: { permission: permissions.read },
    handler: async (req) => {
      const { limit, offset } = pageOf(req.query);
      // One transaction so the count and the page are read from the same snapshot.
      return ctx.transaction(req.actor, async (tx) => {
        const [{ n }] = await tx.execute<{ n: number }>(`SELECT count(*)::int AS n FROM __PLUGIN_SNAKE___widget`);
        const rows = await tx.execute<WidgetRow>(
          `SELECT id::text AS id, name, created_at FROM __PLUGIN_SNAKE___widget ORDER BY created_at DESC, id DESC LIMIT $1 OFFSET $2`,
          [limit, offset],
        );
        return { data: rows.map(toWidget), total: n, limit, offset };
      });
    },
  });

  app.post('/widgets', {
    schema: {
      summary: 'Create a widget',
      body: WidgetInput,
      response: { 201: Widget, ...errorResponses },
    },
    config: { permission: permissions.write },
    handler: async (req, reply) => {
      const checked = normaliseWidgetName(req.body.name);
      if (!checked.ok) throw problems.validation([{ field: 'name', message: checked.message }]);
      // The row, its audit record and its event commit together or not at all.
      const widget = await ctx.transaction(req.actor, async (tx) => {
        let row: WidgetRow;
        try {
          [row] = await tx.execute<WidgetRow>(
            `INSERT INTO __PLUGIN_SNAKE___widget (name, name_key, created_by) VALUES ($1, $2, $3) RETURNING id::text AS id, name, created_at`,
            [checked.name, checked.key, tx.actor.userId],
          );
        } catch (err) {
          if (sqlState(err) === '23505') {
            throw problems.conflict('__PLUGIN_ID__/duplicate-name', 'Widget name taken', `A widget named "${checked.name}" already exists`, { field: 'name' });
          }
          throw err;
        }
        const created = toWidget(row);
        await tx.audit({ action: 'created', entityType: '__PLUGIN_ID__.widget', entityId: created.id, after: created });
        await tx.emit(widgetCreated, { id: created.id, name: created.name });
        return created;
      });
      return reply.code(201).send(widget);
    },
  });
}
