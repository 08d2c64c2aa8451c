import { Type } from '@sinclair/typebox';
import { definePlugin } from '@quartermaster/sdk';
import { WidgetCreated, widgetKinds, widgetService } from './toy-catalog.js';

/** Failure injection for the outbox retry test: the subscriber throws this many times first. */
export const labelSubscriber = { failuresLeft: 0, calls: 0 };

/** Used only in tests: depends on toy-catalog, extends its point, uses its service, subscribes to its event. */
export const toyLabels = definePlugin({
  id: 'toy-labels',
  version: '0.3.0',
  compatibility: '^0.1.0',
  dependsOn: { 'toy-catalog': '^1.0.0' },
  options: Type.Object({ prefix: Type.String({ default: 'LBL-' }) }),
  permissions: [{ id: 'toy-labels.labels.read', description: 'See labels' }],
  events: { subscribes: [WidgetCreated] },
  migrations: [
    {
      name: '0001_labels',
      async up(db) {
        // A foreign key into a declared dependency's table is allowed.
        await db.execute(`CREATE TABLE toy_labels_label (
          widget_id integer PRIMARY KEY REFERENCES toy_catalog_widget(id), text text NOT NULL, event_id bigint NOT NULL)`);
      },
    },
  ],
  register(ctx) {
    ctx.extend(widgetKinds, { kind: 'labelled', describe: (n) => `${ctx.options.prefix}${n}` });
    ctx.subscribe(WidgetCreated, 'print-label', async (event) => {
      labelSubscriber.calls++;
      if (labelSubscriber.failuresLeft > 0) {
        labelSubscriber.failuresLeft--;
        throw new Error('printer offline');
      }
      const ctxRef = labelsContext.current!;
      await ctxRef.transaction({ type: 'system', userId: null, label: 'system', permissions: new Set(['*']) }, (tx) =>
        tx.execute(`INSERT INTO toy_labels_label (widget_id, text, event_id) VALUES ($1, $2, $3) ON CONFLICT (widget_id) DO NOTHING`, [
          event.payload.id,
          `${ctx.options.prefix}${event.payload.name}`,
          event.id,
        ]),
      );
    });
  },
  async routes(app, ctx) {
    labelsContext.current = ctx;
    app.get('/labels', { config: { permission: 'toy-labels.labels.read' } }, async () => ({
      widgets: await ctx.services.get(widgetService).count(),
      kinds: ctx.services.get(widgetService).kinds(),
    }));
  },
});

const labelsContext: { current: import('@quartermaster/sdk').PluginContext<{ prefix: string }> | null } = { current: null };
