import { Type } from '@sinclair/typebox';
import { problems, type PluginApp, type PluginContext } from '@quartermaster/sdk';
import { Page, PageQuery, errorResponses, iso, pageOf, reader } from '../common.js';
import type { PlatformInfoSource } from '../access/access.routes.js';

const Delivery = Type.Object({
  eventId: Type.String(),
  name: Type.String(),
  source: Type.String(),
  subscriber: Type.String(),
  status: Type.Union([Type.Literal('delivered'), Type.Literal('pending'), Type.Literal('failing')]),
  attempts: Type.Integer(),
  occurredAt: Type.String({ format: 'date-time' }),
  nextAttemptAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  deliveredAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  lastError: Type.Union([Type.String(), Type.Null()]),
  payload: Type.Unknown(),
});

/** Operators' view of the outbox: which subscriber is behind on which event, and why. */
export async function deliveryRoutes(app: PluginApp, ctx: PluginContext, info: PlatformInfoSource) {
  app.get('/event-deliveries', {
    config: { permission: 'core.events.read' },
    schema: {
      summary: 'Deliveries of events to subscribers, newest first; "failing" ones are retried with back-off',
      querystring: Type.Object(
        {
          status: Type.Optional(Type.Union([Type.Literal('delivered'), Type.Literal('pending'), Type.Literal('failing')])),
          subscriber: Type.Optional(Type.String({ maxLength: 200 })),
          name: Type.Optional(Type.String({ maxLength: 200 })),
          ...PageQuery,
        },
        { additionalProperties: false },
      ),
      response: { 200: Page(Delivery), ...errorResponses },
    },
  }, async (req) => {
    const q = req.query;
    const { limit, offset } = pageOf(q);
    const where = ['true'];
    const params: unknown[] = [];
    if (q.status === 'delivered') where.push('d.delivered_at IS NOT NULL');
    if (q.status === 'pending') where.push('d.delivered_at IS NULL AND d.attempts = 0');
    if (q.status === 'failing') where.push('d.delivered_at IS NULL AND d.attempts > 0');
    if (q.subscriber) {
      params.push(q.subscriber);
      where.push(`d.subscriber = $${params.length}`);
    }
    if (q.name) {
      params.push(q.name);
      where.push(`o.name = $${params.length}`);
    }
    const rows = await reader(ctx).execute<Record<string, any>>(
      `SELECT d.*, o.name, o.source, o.payload, o.occurred_at, count(*) OVER () AS total
         FROM core_outbox_delivery d JOIN core_outbox o ON o.id = d.event_id
        WHERE ${where.join(' AND ')} ORDER BY d.event_id DESC, d.subscriber LIMIT ${limit} OFFSET ${offset}`,
      params,
    );
    return {
      data: rows.map((r) => ({
        eventId: String(r.event_id),
        name: r.name,
        source: r.source,
        subscriber: r.subscriber,
        status: r.delivered_at ? ('delivered' as const) : r.attempts > 0 ? ('failing' as const) : ('pending' as const),
        attempts: r.attempts,
        occurredAt: iso(r.occurred_at)!,
        nextAttemptAt: r.delivered_at ? null : iso(r.next_attempt_at),
        deliveredAt: iso(r.delivered_at),
        lastError: r.last_error,
        payload: r.payload,
      })),
      total: rows.length ? Number(rows[0].total) : 0,
      limit,
      offset,
    };
  });

  app.post('/event-deliveries/retry', {
    config: { permission: 'core.events.retry' },
    schema: {
      summary: 'Retry an undelivered event now instead of waiting for its back-off',
      body: Type.Object({ eventId: Type.String({ pattern: '^[0-9]+$' }), subscriber: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }),
      response: { 202: Type.Object({ queued: Type.Boolean() }), ...errorResponses },
    },
  }, async (req, reply) => {
    const { eventId, subscriber } = req.body;
    // Audited like any operator action; the retry itself changes only scheduling.
    await ctx.transaction(req.actor, async (tx) => {
      const [row] = await tx.execute(`SELECT 1 FROM core_outbox_delivery WHERE event_id = $1 AND subscriber = $2 AND delivered_at IS NULL FOR UPDATE`, [eventId, subscriber]);
      if (!row) throw problems.notFound('undelivered event delivery', `${eventId}/${subscriber}`);
      await tx.audit({ action: 'retry-requested', entityType: 'core.event-delivery', entityId: `${eventId}/${subscriber}` });
    });
    return reply.status(202).send({ queued: await info.retryDelivery(eventId, subscriber) });
  });
}
