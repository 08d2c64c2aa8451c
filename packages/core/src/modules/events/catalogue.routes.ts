import { Type } from '@sinclair/typebox';
import type { EventDefinition, PluginApp } from '@quartermaster/sdk';
import { errorResponses } from '../common.js';
import { eventCatalogue } from './catalogue.js';

const Field = Type.Object({ name: Type.String(), type: Type.String(), description: Type.String() });
const CatalogueEvent = Type.Object({
  name: Type.String(),
  pluginId: Type.String({ description: 'The plugin that emits it' }),
  description: Type.Union([Type.String(), Type.Null()]),
  aggregate: Type.Union([Type.Object({ type: Type.String(), field: Type.String() }), Type.Null()], { description: 'Aggregate key `<type>:<payload[field]>`; null: unordered' }),
  schema: Type.Object({}, { additionalProperties: true, description: "JSON Schema of the payload (the webhook body's `data`)" }),
});

/** Every event the enabled plugins declare, with payload schemas and the webhook envelope. */
export async function catalogueRoutes(app: PluginApp, declared: () => { pluginId: string; events: readonly EventDefinition<any>[] }[]) {
  app.get('/events', {
    config: { permission: 'core.events.read' },
    schema: {
      tags: ['webhooks'],
      summary: 'The event catalogue: each event the enabled plugins declare, with the JSON Schema of its payload',
      querystring: Type.Object({ pluginId: Type.Optional(Type.String({ pattern: '^[a-z][a-z0-9-]*$', maxLength: 100, description: 'Only this plugin\'s events' })) }, { additionalProperties: false }),
      response: {
        200: Type.Object({
          envelope: Type.Array(Field, { description: 'Members of every webhook body' }),
          headers: Type.Array(Field, { description: 'Headers of every webhook request' }),
          events: Type.Array(CatalogueEvent),
        }),
        ...errorResponses,
      },
    },
    handler: async (req) => {
      const catalogue = eventCatalogue(declared());
      return req.query.pluginId ? { ...catalogue, events: catalogue.events.filter((e) => e.pluginId === req.query.pluginId) } : catalogue;
    },
  });
}
