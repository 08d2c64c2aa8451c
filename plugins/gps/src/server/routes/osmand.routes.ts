/**
 * `GET|POST /osmand`: the OsmAnd protocol endpoint. OsmAnd clients cannot send headers, so the
 * device key travels as the OsmAnd device identifier: `?id=<device key>` (or `deviceid`), or
 * `device_id` in Traccar Client's JSON body. Everything else is the core's ingestion: 401 unknown
 * key, 403 disabled device, 422 unreadable payload, 503 with Retry-After when the queue is full.
 * Success is a bare 200, which is what OsmAnd clients wait for before sending the next position.
 */
import { ProblemError, Type, deviceIngestion, errorResponses, type PluginApp, type PluginContext } from '@quartermaster/sdk';
import { osmAndParams } from '../adapters/osmand.adapter.js';

const OsmAndQuery = Type.Object(
  {
    id: Type.Optional(Type.String({ description: 'The device key (the OsmAnd device identifier)' })),
    deviceid: Type.Optional(Type.String({ description: 'Same as id' })),
    lat: Type.Optional(Type.String()),
    lon: Type.Optional(Type.String()),
    timestamp: Type.Optional(Type.String({ description: 'Unix seconds or milliseconds, or ISO 8601' })),
    speed: Type.Optional(Type.String({ description: 'knots' })),
    bearing: Type.Optional(Type.String()),
    altitude: Type.Optional(Type.String()),
    accuracy: Type.Optional(Type.String()),
    batt: Type.Optional(Type.String()),
  },
  { additionalProperties: true },
);

export function osmAndRoutes(app: PluginApp, ctx: PluginContext<any>) {
  // OsmAnd trackers may POST their parameters as a form; only this plugin's routes read forms.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 64 * 1024 }, (_req, body, done) => done(null, body));

  app.route({
    method: ['GET', 'POST'],
    url: '/osmand',
    schema: {
      summary: 'OsmAnd / Traccar Client position (device key as the id parameter)',
      description:
        'Point Traccar Client (or any OsmAnd tracker) at `https://<server>/api/gps/osmand` and set its device identifier to the device key. Parameters come in the query string or a form body (`id`, `lat`, `lon`, `timestamp`, `speed` in knots, `bearing`, `altitude`, `accuracy`, `batt`…), or as Traccar Client JSON (`{"device_id": "<key>", "location": {…}}`). 200 with an empty body when accepted.',
      querystring: OsmAndQuery,
      response: { 200: Type.String({ description: 'Empty' }), ...errorResponses, 503: errorResponses[422] },
    },
    config: { public: true },
    handler: async (req, reply) => {
      const query = req.query as Record<string, string>;
      const body = req.body as unknown;
      let key: string | undefined;
      if (body && typeof body === 'object' && !Array.isArray(body)) {
        const id = (body as Record<string, unknown>).device_id;
        if (typeof id === 'string' || typeof id === 'number') key = String(id);
      }
      if (key === undefined) {
        const params = osmAndParams({ query, body: typeof body === 'string' ? body : undefined });
        key = params.get('id') || params.get('deviceid') || undefined;
      }
      try {
        await ctx.services.get(deviceIngestion).ingest({
          key: key?.trim() || undefined,
          transport: 'http',
          body: body ?? '',
          text: typeof body === 'string' ? body : body === undefined || body === null ? '' : JSON.stringify(body),
          contentType: req.headers['content-type'],
          query,
          source: req.ip,
        });
      } catch (err) {
        if (err instanceof ProblemError && err.type.endsWith('/device-key-missing')) {
          throw new ProblemError({ type: 'device-key-missing', status: 401, title: 'Device key missing', detail: 'Send the device key as the OsmAnd device identifier: ?id=<device key> (or device_id in a JSON body)' });
        }
        throw err;
      }
      return reply.code(200).type('text/plain; charset=utf-8').send('');
    },
  });
}
