import { Type } from '@sinclair/typebox';
import { createExtensionPoint, createServiceRef, defineEvent, definePlugin, problems } from '@quartermaster/sdk';

/** Used only in tests: owns a table, an extension point, a service, an event and routes. */
export const widgetKinds = createExtensionPoint<{ kind: string; describe(name: string): string }>('toy-catalog.widgetKinds');
export const widgetService = createServiceRef<{ count(): Promise<number>; kinds(): string[] }>('toy-catalog.widgets');
export const WidgetCreated = defineEvent('toy-catalog.widget.created', Type.Object({ id: Type.Integer(), name: Type.String(), kind: Type.String() }));

/** What the owner saw when it initialised, so tests can prove phase 1 finished before phase 2. */
export const observed: { kindsAtRoutes: string[]; kindsAtReady: string[] } = { kindsAtRoutes: [], kindsAtReady: [] };

export const toyCatalog = definePlugin({
  id: 'toy-catalog',
  version: '1.2.0',
  compatibility: '^0.1.0',
  displayName: 'Toy catalog',
  options: Type.Object({
    maxWidgets: Type.Integer({ minimum: 1, default: 100 }),
    label: Type.String({ minLength: 1, default: 'Widgets' }),
  }),
  permissions: [
    { id: 'toy-catalog.widgets.read', description: 'See widgets' },
    { id: 'toy-catalog.widgets.write', description: 'Make widgets' },
  ],
  events: { emits: [WidgetCreated] },
  extensionPoints: [widgetKinds],
  migrations: [
    {
      name: '0001_widgets',
      async up(db) {
        await db.execute(`CREATE TABLE toy_catalog_widget (id serial PRIMARY KEY, name text NOT NULL UNIQUE, kind text NOT NULL)`);
      },
    },
    {
      name: '0002_widget_note',
      async up(db) {
        await db.execute(`ALTER TABLE toy_catalog_widget ADD COLUMN note text`);
      },
    },
  ],
  register(ctx) {
    ctx.extend(widgetKinds, { kind: 'plain', describe: (n) => `plain ${n}` });
    ctx.provide(widgetService, (c) => ({
      async count() {
        const [row] = await c.transaction({ type: 'system', userId: null, label: 'system', permissions: new Set(['*']) }, (tx) =>
          tx.execute<{ n: string }>(`SELECT count(*) AS n FROM toy_catalog_widget`),
        );
        return Number(row.n);
      },
      kinds: () => c.extensions(widgetKinds).map((k) => k.kind),
    }));
  },
  async routes(app, ctx) {
    observed.kindsAtRoutes = ctx.extensions(widgetKinds).map((k) => k.kind);
    app.get('/widgets', { config: { permission: 'toy-catalog.widgets.read' } }, async (req) =>
      ctx.transaction(req.actor, async (tx) => tx.execute(`SELECT id, name, kind FROM toy_catalog_widget ORDER BY id`)),
    );
    app.post(
      '/widgets',
      {
        config: { permission: 'toy-catalog.widgets.write' },
        schema: {
          body: Type.Object({ name: Type.String({ minLength: 1 }), kind: Type.String(), failAfterInsert: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
        },
      },
      async (req, reply) => {
        const kinds = ctx.extensions(widgetKinds);
        const kind = kinds.find((k) => k.kind === req.body.kind);
        if (!kind) throw problems.validation([{ field: 'kind', message: `must be one of ${kinds.map((k) => k.kind).join(', ')}` }]);
        const row = await ctx.transaction(req.actor, async (tx) => {
          const [{ n }] = await tx.execute<{ n: string }>(`SELECT count(*) AS n FROM toy_catalog_widget`);
          if (Number(n) >= ctx.options.maxWidgets) throw problems.conflict('toy-catalog/full', 'Full', 'No more widgets');
          const [w] = await tx.execute<{ id: number }>(`INSERT INTO toy_catalog_widget (name, kind) VALUES ($1, $2) RETURNING id`, [req.body.name, kind.kind]);
          await tx.audit({ action: 'created', entityType: 'toy-catalog.widget', entityId: String(w.id), after: { name: req.body.name, kind: kind.kind, description: kind.describe(req.body.name) } });
          await tx.emit(WidgetCreated, { id: w.id, name: req.body.name, kind: kind.kind });
          // Fail after the insert, the audit row and the event: all three must roll back.
          if (req.body.failAfterInsert) throw new Error('simulated failure after insert');
          return w;
        });
        return reply.status(201).send({ id: row.id, description: kind.describe(req.body.name) });
      },
    );
  },
  onReady(ctx) {
    observed.kindsAtReady = ctx.extensions(widgetKinds).map((k) => k.kind);
  },
});
