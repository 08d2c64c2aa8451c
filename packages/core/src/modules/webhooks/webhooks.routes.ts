/**
 * Webhook subscriptions and their deliveries: create, change, disable, rotate the secret (shown
 * once), send a test ping; list deliveries with their attempt log and replay dead-lettered ones.
 * Every change is audited and emits an event in its own transaction, like the rest of the core.
 */
import { Type, type Static } from '@sinclair/typebox';
import { ProblemError, eventMatches, problems, type FieldError, type PluginApp, type PluginContext, type Transaction } from '@quartermaster/sdk';
import { IdParams, Page, PageQuery, Uuid, assertNotBlank, errorResponses, iso, pageOf, reader } from '../common.js';
import { WebhookCreated, WebhookDeleted, WebhookPinged, WebhookReplayed, WebhookUpdated } from '../../events.js';
import { urlRefusal } from './webhooks.http.js';
import { newWebhookSecret, secretHint } from './webhooks.signing.js';
import type { WebhookBody, WebhookDispatcher } from './webhooks.dispatcher.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Instant = Type.String({ format: 'date-time' });

/** An event name, `prefix.*` or `*`. */
const EventPattern = Type.String({
  maxLength: 200,
  pattern: '^(\\*|[a-z][a-z0-9-]*(\\.[a-z][a-z0-9-]*)*(\\.\\*)?)$',
  description: 'An event name (`core.item.created`), every event under a prefix (`inventory.*`), or `*` for all',
});
const EventPatterns = Type.Array(EventPattern, { minItems: 1, maxItems: 100 });
const Url = Type.String({ minLength: 1, maxLength: 2000, description: 'http or https URL that receives POSTs' });

const DeliveryCounts = Type.Object({
  pending: Type.Integer({ description: 'Not tried yet' }),
  failing: Type.Integer({ description: 'Tried and failed; will be retried' }),
  dead: Type.Integer({ description: 'Gave up after the last attempt; can be replayed' }),
});
const Webhook = Type.Object({
  id: Uuid,
  name: Type.String(),
  url: Type.String(),
  events: Type.Array(Type.String()),
  description: Nullable(Type.String()),
  active: Type.Boolean(),
  secretHint: Type.String({ description: 'The first characters of the secret, to tell secrets apart' }),
  secretRotatedAt: Instant,
  previousSecretExpiresAt: Nullable(Type.String({ format: 'date-time', description: 'Until then the previous secret signs too' })),
  deliveries: DeliveryCounts,
  version: Type.Integer(),
  createdAt: Instant,
  updatedAt: Instant,
});
const WithSecret = Type.Object({ webhook: Webhook, secret: Type.String({ description: 'Shown once: keep it where the receiver can read it' }) });

const CreateWebhook = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    url: Url,
    events: EventPatterns,
    description: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
const UpdateWebhook = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    url: Type.Optional(Url),
    events: Type.Optional(EventPatterns),
    description: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
    active: Type.Optional(Type.Boolean()),
    version: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false },
);
const RotateSecret = Type.Object(
  {
    graceHours: Type.Optional(Type.Integer({ minimum: 0, maximum: 168, default: 24, description: 'Hours the old secret keeps signing alongside the new one (0: stop at once)' })),
  },
  { additionalProperties: false },
);

const Status = Type.Union([Type.Literal('pending'), Type.Literal('failing'), Type.Literal('delivered'), Type.Literal('dead')]);
const Delivery = Type.Object({
  id: Type.String(),
  webhookId: Uuid,
  webhookName: Type.String(),
  eventId: Nullable(Type.String()),
  eventName: Type.String({ description: '`webhook.ping` for a test delivery' }),
  aggregate: Nullable(Type.String()),
  status: Status,
  attempts: Type.Integer(),
  replays: Type.Integer(),
  occurredAt: Instant,
  nextAttemptAt: Nullable(Instant),
  lastAttemptAt: Nullable(Instant),
  lastStatusCode: Nullable(Type.Integer()),
  lastError: Nullable(Type.String()),
  deliveredAt: Nullable(Instant),
  deadAt: Nullable(Instant),
});
const Attempt = Type.Object({
  id: Type.String(),
  attempt: Type.Integer(),
  startedAt: Instant,
  durationMs: Type.Integer(),
  statusCode: Nullable(Type.Integer()),
  error: Nullable(Type.String()),
  responseBody: Nullable(Type.String({ description: 'The start of the answer' })),
  responseTruncated: Type.Boolean(),
  outcome: Type.Union([Type.Literal('delivered'), Type.Literal('retry'), Type.Literal('dead')]),
});
const DeliveryDetail = Type.Object({
  ...Delivery.properties,
  body: Type.Unknown({ description: 'The JSON body as sent (signed exactly as serialised)' }),
  log: Type.Array(Attempt, { description: 'Every attempt, oldest first' }),
});
const DeliveryParams = Type.Object({ id: Type.String({ pattern: '^[0-9]{1,18}$', description: 'Delivery id' }) }, { additionalProperties: false });

export interface WebhookRouteDeps {
  dispatcher: WebhookDispatcher;
  /** Names of the events the enabled plugins declare. */
  eventNames(): string[];
  allowPrivateAddresses: boolean;
}

const WEBHOOK_SQL = `
  SELECT w.*, coalesce(c.pending, 0) AS pending, coalesce(c.failing, 0) AS failing, coalesce(c.dead, 0) AS dead
    FROM core_webhook w
    LEFT JOIN LATERAL (
      SELECT count(*) FILTER (WHERE d.status = 'pending' AND d.attempts = 0) AS pending,
             count(*) FILTER (WHERE d.status = 'pending' AND d.attempts > 0) AS failing,
             count(*) FILTER (WHERE d.status = 'dead') AS dead
        FROM core_webhook_delivery d WHERE d.webhook_id = w.id AND d.status <> 'delivered') c ON true`;

const DELIVERY_SQL = `
  SELECT d.*, w.name AS webhook_name, o.name AS event_name, o.occurred_at, o.source, o.payload, o.actor_id
    FROM core_webhook_delivery d
    JOIN core_webhook w ON w.id = d.webhook_id
    LEFT JOIN core_outbox o ON o.id = d.event_id`;

type Row = Record<string, any>;

function webhookOf(r: Row): Static<typeof Webhook> {
  const previousValid = r.previous_secret_expires_at && new Date(r.previous_secret_expires_at).getTime() > Date.now();
  return {
    id: r.id,
    name: r.name,
    url: r.url,
    events: r.events,
    description: r.description ?? null,
    active: r.active,
    secretHint: secretHint(r.secret),
    secretRotatedAt: iso(r.secret_rotated_at)!,
    previousSecretExpiresAt: previousValid ? iso(r.previous_secret_expires_at) : null,
    deliveries: { pending: Number(r.pending ?? 0), failing: Number(r.failing ?? 0), dead: Number(r.dead ?? 0) },
    version: r.version,
    createdAt: iso(r.created_at)!,
    updatedAt: iso(r.updated_at)!,
  };
}

const statusOf = (r: Row) => (r.status === 'pending' ? (r.attempts > 0 ? 'failing' : 'pending') : r.status) as Static<typeof Status>;

function deliveryOf(r: Row): Static<typeof Delivery> {
  return {
    id: String(r.id),
    webhookId: r.webhook_id,
    webhookName: r.webhook_name,
    eventId: r.event_id === null ? null : String(r.event_id),
    eventName: r.event_name ?? r.ping?.type ?? 'webhook.ping',
    aggregate: r.aggregate_key ?? null,
    status: statusOf(r),
    attempts: r.attempts,
    replays: r.replays,
    occurredAt: iso(r.occurred_at ?? r.created_at)!,
    nextAttemptAt: r.status === 'pending' ? iso(r.next_attempt_at) : null,
    lastAttemptAt: iso(r.last_attempt_at),
    lastStatusCode: r.last_status_code ?? null,
    lastError: r.last_error ?? null,
    deliveredAt: iso(r.delivered_at),
    deadAt: iso(r.dead_at),
  };
}

/** The body a receiver gets (see the dispatcher, which builds the same one to sign it). */
function bodyOf(r: Row): WebhookBody {
  if (r.ping) return { id: `ping_${r.id}`, ...r.ping };
  return { id: String(r.event_id), type: r.event_name, timestamp: iso(r.occurred_at)!, source: r.source, actorId: r.actor_id ?? null, aggregate: r.aggregate_key ?? null, data: r.payload };
}

/** What an event reports of a webhook: never its secret. */
const refOf = (r: Row) => ({ id: r.id as string, name: r.name as string, url: r.url as string, events: r.events as string[], active: r.active as boolean });

export async function webhookRoutes(app: PluginApp, ctx: PluginContext, deps: WebhookRouteDeps) {
  const db = reader(ctx);

  async function load(tx: Pick<Transaction, 'execute'>, id: string, lock = false): Promise<Row> {
    const [row] = await tx.execute<Row>(lock ? `SELECT * FROM core_webhook WHERE id = $1 FOR UPDATE` : `${WEBHOOK_SQL} WHERE w.id = $1`, [id]);
    if (!row) throw problems.notFound('webhook', id);
    return row;
  }
  const loadFull = (tx: Pick<Transaction, 'execute'>, id: string) => load(tx, id);

  async function loadDelivery(tx: Pick<Transaction, 'execute'>, id: string): Promise<Static<typeof DeliveryDetail>> {
    const [row] = await tx.execute<Row>(`${DELIVERY_SQL} WHERE d.id = $1`, [id]);
    if (!row) throw problems.notFound('webhook delivery', id);
    const log = await tx.execute<Row>(`SELECT * FROM core_webhook_attempt WHERE delivery_id = $1 ORDER BY id`, [id]);
    return {
      ...deliveryOf(row),
      body: bodyOf(row),
      log: log.map((a) => ({
        id: String(a.id),
        attempt: a.attempt,
        startedAt: iso(a.started_at)!,
        durationMs: a.duration_ms,
        statusCode: a.status_code ?? null,
        error: a.error ?? null,
        responseBody: a.response_body ?? null,
        responseTruncated: a.response_truncated,
        outcome: a.outcome,
      })),
    };
  }

  /** URL and event patterns, checked against what this server calls and what the enabled plugins emit. */
  function checkTarget(b: { url?: string; events?: string[] }) {
    const errors: FieldError[] = [];
    if (b.url !== undefined) {
      const refusal = urlRefusal(b.url.trim(), deps.allowPrivateAddresses);
      if (refusal) errors.push({ field: 'url', message: refusal.message, reason: refusal.reason });
    }
    if (b.events) {
      const known = deps.eventNames();
      b.events.forEach((p, i) => {
        if (!known.some((name) => eventMatches(p, name))) {
          errors.push({
            field: `events.${i}`,
            message: p.includes('*') ? `matches no event the enabled plugins declare (see GET /api/core/events)` : `is not an event the enabled plugins declare (see GET /api/core/events)`,
            reason: p.includes('*') ? 'matches-no-event' : 'unknown-event',
          });
        }
      });
    }
    if (errors.length) throw problems.validation(errors);
  }
  const uniq = (events: string[]) => [...new Set(events)];

  app.get('/webhooks', {
    config: { permission: 'core.webhooks.read' },
    schema: {
      tags: ['webhooks'],
      summary: 'Webhook subscriptions with counts of open and dead deliveries',
      querystring: Type.Object({ active: Type.Optional(Type.Boolean()), ...PageQuery }, { additionalProperties: false }),
      response: { 200: Page(Webhook), ...errorResponses },
    },
    handler: async (req) => {
      const { limit, offset } = pageOf(req.query);
      const params: unknown[] = [];
      const where = req.query.active === undefined ? '' : `WHERE w.active = $${params.push(req.query.active)}`;
      const rows = await db.execute<Row>(`${WEBHOOK_SQL} ${where} ORDER BY lower(w.name), w.id LIMIT $${params.length + 1} OFFSET $${params.length + 2}`, [...params, limit, offset]);
      const [{ n }] = await db.execute<{ n: number }>(`SELECT count(*)::int AS n FROM core_webhook w ${where}`, params);
      return { data: rows.map(webhookOf), total: n, limit, offset };
    },
  });

  app.get('/webhooks/:id', {
    config: { permission: 'core.webhooks.read' },
    schema: { tags: ['webhooks'], summary: 'One webhook', params: IdParams, response: { 200: Webhook, ...errorResponses } },
    handler: async (req) => webhookOf(await loadFull(db, req.params.id)),
  });

  app.post('/webhooks', {
    config: { permission: 'core.webhooks.manage' },
    schema: {
      tags: ['webhooks'],
      summary: 'Subscribe a URL to events; the answer carries the signing secret, shown only this once',
      body: CreateWebhook,
      response: { 201: WithSecret, ...errorResponses },
    },
    handler: async (req, reply) => {
      const b = req.body;
      assertNotBlank({ name: b.name });
      checkTarget(b);
      const secret = newWebhookSecret();
      const row = await ctx.transaction(req.actor, async (tx) => {
        const [w] = await tx.execute<Row>(
          `INSERT INTO core_webhook (name, url, events, description, active, secret) VALUES ($1, $2, $3::text[], $4, $5, $6) RETURNING *`,
          [b.name.trim(), b.url.trim(), uniq(b.events), b.description?.trim() || null, b.active ?? true, secret],
        );
        await tx.audit({ action: 'created', entityType: 'core.webhook', entityId: w.id, after: { ...refOf(w), description: w.description } });
        await tx.emit(WebhookCreated, refOf(w));
        return loadFull(tx, w.id);
      });
      return reply.code(201).send({ webhook: webhookOf(row), secret });
    },
  });

  app.patch('/webhooks/:id', {
    config: { permission: 'core.webhooks.manage' },
    schema: { tags: ['webhooks'], summary: 'Change a webhook (name, URL, events, description, active)', params: IdParams, body: UpdateWebhook, response: { 200: Webhook, ...errorResponses } },
    handler: async (req) => {
      const b = req.body;
      if (b.name !== undefined) assertNotBlank({ name: b.name });
      checkTarget(b);
      const row = await ctx.transaction(req.actor, async (tx) => {
        const before = await load(tx, req.params.id, true);
        if (b.version !== undefined && b.version !== before.version) {
          throw problems.conflict('stale-version', 'Webhook changed meanwhile', `You edited version ${b.version}, but the webhook is at version ${before.version}`, { currentVersion: before.version });
        }
        const next = {
          name: b.name?.trim() ?? before.name,
          url: b.url?.trim() ?? before.url,
          events: b.events ? uniq(b.events) : before.events,
          description: b.description !== undefined ? b.description?.trim() || null : before.description,
          active: b.active ?? before.active,
        };
        const changed = (Object.keys(next) as (keyof typeof next)[]).filter((k) => JSON.stringify(next[k]) !== JSON.stringify(before[k]));
        if (!changed.length) return loadFull(tx, req.params.id);
        const [after] = await tx.execute<Row>(
          `UPDATE core_webhook SET name = $2, url = $3, events = $4::text[], description = $5, active = $6, version = version + 1, updated_at = now() WHERE id = $1 RETURNING *`,
          [req.params.id, next.name, next.url, next.events, next.description, next.active],
        );
        await tx.audit({ action: 'updated', entityType: 'core.webhook', entityId: req.params.id, before: pick(before, changed), after: pick(after, changed) });
        await tx.emit(WebhookUpdated, { ...refOf(after), changed });
        return loadFull(tx, req.params.id);
      });
      if (b.active) deps.dispatcher.kick();
      return webhookOf(row);
    },
  });

  for (const [path, active, verb] of [
    ['disable', false, 'disabled'],
    ['enable', true, 'enabled'],
  ] as const) {
    app.post(`/webhooks/:id/${path}`, {
      config: { permission: 'core.webhooks.manage' },
      schema: {
        tags: ['webhooks'],
        summary: active ? 'Enable a webhook: deliveries waiting for it go out' : 'Disable a webhook: no new deliveries are recorded for it and waiting ones are held',
        params: IdParams,
        response: { 200: Webhook, ...errorResponses },
      },
      handler: async (req) => {
        const row = await ctx.transaction(req.actor, async (tx) => {
          const before = await load(tx, req.params.id, true);
          if (before.active === active) return loadFull(tx, req.params.id);
          const [after] = await tx.execute<Row>(`UPDATE core_webhook SET active = $2, version = version + 1, updated_at = now() WHERE id = $1 RETURNING *`, [req.params.id, active]);
          await tx.audit({ action: verb, entityType: 'core.webhook', entityId: req.params.id, before: { active: before.active }, after: { active } });
          await tx.emit(WebhookUpdated, { ...refOf(after), changed: ['active'] });
          return loadFull(tx, req.params.id);
        });
        if (active) deps.dispatcher.kick();
        return webhookOf(row);
      },
    });
  }

  app.post('/webhooks/:id/rotate-secret', {
    config: { permission: 'core.webhooks.manage' },
    schema: {
      tags: ['webhooks'],
      summary: 'Give the webhook a new secret (shown once); the old one keeps signing for graceHours so receivers can switch',
      params: IdParams,
      body: RotateSecret,
      response: { 200: WithSecret, ...errorResponses },
    },
    // The body is optional (a bare POST rotates with the default grace).
    preValidation: async (req) => {
      req.body ??= {};
    },
    handler: async (req) => {
      const graceHours = req.body?.graceHours ?? 24;
      const secret = newWebhookSecret();
      const row = await ctx.transaction(req.actor, async (tx) => {
        const before = await load(tx, req.params.id, true);
        await tx.execute(
          `UPDATE core_webhook SET secret = $2, previous_secret = CASE WHEN $3::int > 0 THEN secret END,
                  previous_secret_expires_at = CASE WHEN $3::int > 0 THEN now() + ($3::int * interval '1 hour') END,
                  secret_rotated_at = now(), version = version + 1, updated_at = now() WHERE id = $1`,
          [req.params.id, secret, graceHours],
        );
        await tx.audit({ action: 'secret-rotated', entityType: 'core.webhook', entityId: req.params.id, before: { secretHint: secretHint(before.secret) }, after: { secretHint: secretHint(secret), graceHours } });
        await tx.emit(WebhookUpdated, { ...refOf(before), changed: ['secret'] });
        return loadFull(tx, req.params.id);
      });
      return { webhook: webhookOf(row), secret };
    },
  });

  app.delete('/webhooks/:id', {
    config: { permission: 'core.webhooks.manage' },
    schema: { tags: ['webhooks'], summary: 'Delete a webhook with its delivery log; deliveries in flight finish, nothing more is sent', params: IdParams, response: { 204: Type.Null(), ...errorResponses } },
    handler: async (req, reply) => {
      await ctx.transaction(req.actor, async (tx) => {
        const before = await load(tx, req.params.id, true);
        await tx.execute(`DELETE FROM core_webhook_delivery WHERE webhook_id = $1`, [req.params.id]);
        await tx.execute(`DELETE FROM core_webhook WHERE id = $1`, [req.params.id]);
        await tx.audit({ action: 'deleted', entityType: 'core.webhook', entityId: req.params.id, before: { ...refOf(before), description: before.description } });
        await tx.emit(WebhookDeleted, refOf(before));
      });
      return reply.code(204).send(null);
    },
  });

  app.post('/webhooks/:id/test', {
    config: { permission: 'core.webhooks.manage' },
    schema: {
      tags: ['webhooks'],
      summary: 'Send a signed test delivery (type webhook.ping) now, even to a disabled webhook, and answer with its outcome',
      description: 'Tried once, not retried; a failed ping is dead-lettered and can be replayed.',
      params: IdParams,
      response: { 200: DeliveryDetail, ...errorResponses },
    },
    handler: async (req) => {
      const deliveryId = await ctx.transaction(req.actor, async (tx) => {
        const w = await load(tx, req.params.id);
        const ping: Omit<WebhookBody, 'id'> = {
          type: 'webhook.ping',
          timestamp: new Date().toISOString(),
          source: 'core',
          actorId: req.actor.userId,
          aggregate: null,
          data: { webhookId: w.id, name: w.name, message: 'A test delivery from Quartermaster' },
        };
        const [d] = await tx.execute<{ id: string }>(
          // Leased to this request from the start, so the background loop cannot send it first and
          // leave this answer without an outcome.
          `INSERT INTO core_webhook_delivery (webhook_id, ping, locked_until) VALUES ($1, $2::jsonb, now() + ($3::text || ' milliseconds')::interval) RETURNING id::text`,
          [w.id, JSON.stringify(ping), String(deps.dispatcher.leaseMs())],
        );
        await tx.audit({ action: 'pinged', entityType: 'core.webhook', entityId: w.id, after: { deliveryId: d.id } });
        await tx.emit(WebhookPinged, { id: w.id, deliveryId: d.id });
        return d.id;
      });
      await deps.dispatcher.sendNow(deliveryId);
      return loadDelivery(db, deliveryId);
    },
  });

  app.post('/webhooks/:id/replay-dead', {
    config: { permission: 'core.webhooks.manage' },
    schema: {
      tags: ['webhooks'],
      summary: "Queue every dead-lettered delivery of a webhook again, in their original order",
      params: IdParams,
      response: { 200: Type.Object({ replayed: Type.Integer(), deliveryIds: Type.Array(Type.String()) }), ...errorResponses },
    },
    handler: async (req) => {
      const ids = await ctx.transaction(req.actor, async (tx) => {
        await load(tx, req.params.id, true);
        const rows = await tx.execute<{ id: string }>(
          `UPDATE core_webhook_delivery SET ${REPLAY_SET} WHERE webhook_id = $1 AND status = 'dead' RETURNING id::text`,
          [req.params.id],
        );
        const deliveryIds = rows.map((r) => r.id).sort((a, b) => Number(a) - Number(b));
        if (!deliveryIds.length) return deliveryIds;
        await tx.audit({ action: 'replayed', entityType: 'core.webhook', entityId: req.params.id, after: { deliveryIds } });
        await tx.emit(WebhookReplayed, { id: req.params.id, deliveryIds });
        return deliveryIds;
      });
      if (ids.length) deps.dispatcher.kick();
      return { replayed: ids.length, deliveryIds: ids };
    },
  });

  app.get('/webhook-deliveries', {
    config: { permission: 'core.webhooks.read' },
    schema: {
      tags: ['webhooks'],
      summary: 'Webhook deliveries, newest first: filter by webhook, status (dead = dead-lettered) and event',
      querystring: Type.Object(
        {
          webhookId: Type.Optional(Uuid),
          status: Type.Optional(Status),
          event: Type.Optional(Type.String({ maxLength: 200, pattern: '^[a-z][a-z0-9-]*(\\.[a-z][a-z0-9-]*)+$', description: 'Exact event name, or webhook.ping' })),
          ...PageQuery,
        },
        { additionalProperties: false },
      ),
      response: { 200: Page(Delivery), ...errorResponses },
    },
    handler: async (req) => {
      const q = req.query;
      const { limit, offset } = pageOf(q);
      const params: unknown[] = [];
      const where = ['true'];
      if (q.webhookId) where.push(`d.webhook_id = $${params.push(q.webhookId)}`);
      if (q.status === 'pending') where.push(`d.status = 'pending' AND d.attempts = 0`);
      if (q.status === 'failing') where.push(`d.status = 'pending' AND d.attempts > 0`);
      if (q.status === 'delivered' || q.status === 'dead') where.push(`d.status = $${params.push(q.status)}`);
      if (q.event) where.push(`coalesce(o.name, d.ping->>'type') = $${params.push(q.event)}`);
      const rows = await db.execute<Row>(`${DELIVERY_SQL} WHERE ${where.join(' AND ')} ORDER BY d.id DESC LIMIT $${params.length + 1} OFFSET $${params.length + 2}`, [...params, limit, offset]);
      const [{ n }] = await db.execute<{ n: number }>(
        `SELECT count(*)::int AS n FROM core_webhook_delivery d LEFT JOIN core_outbox o ON o.id = d.event_id WHERE ${where.join(' AND ')}`,
        params,
      );
      return { data: rows.map(deliveryOf), total: n, limit, offset };
    },
  });

  app.get('/webhook-deliveries/:id', {
    config: { permission: 'core.webhooks.read' },
    schema: { tags: ['webhooks'], summary: 'One delivery with its body and every attempt', params: DeliveryParams, response: { 200: DeliveryDetail, ...errorResponses } },
    handler: async (req) => loadDelivery(db, req.params.id),
  });

  app.post('/webhook-deliveries/:id/replay', {
    config: { permission: 'core.webhooks.manage' },
    schema: {
      tags: ['webhooks'],
      summary: 'Queue a dead-lettered delivery again (attempts start over); it goes before later deliveries of its aggregate still waiting',
      params: DeliveryParams,
      response: { 202: DeliveryDetail, ...errorResponses },
    },
    handler: async (req, reply) => {
      await ctx.transaction(req.actor, async (tx) => {
        const [d] = await tx.execute<Row>(`SELECT id, webhook_id, status FROM core_webhook_delivery WHERE id = $1 FOR UPDATE`, [req.params.id]);
        if (!d) throw problems.notFound('webhook delivery', req.params.id);
        if (d.status !== 'dead') {
          throw new ProblemError({
            type: 'webhook-delivery-not-dead',
            status: 409,
            title: 'Only dead-lettered deliveries can be replayed',
            detail: `Delivery ${req.params.id} is ${d.status === 'pending' ? 'still pending or being retried' : 'delivered'}`,
            extensions: { deliveryStatus: d.status },
          });
        }
        await tx.execute(`UPDATE core_webhook_delivery SET ${REPLAY_SET} WHERE id = $1`, [req.params.id]);
        await tx.audit({ action: 'replayed', entityType: 'core.webhook', entityId: d.webhook_id, after: { deliveryIds: [String(d.id)] } });
        await tx.emit(WebhookReplayed, { id: d.webhook_id, deliveryIds: [String(d.id)] });
      });
      deps.dispatcher.kick();
      return reply.code(202).send(await loadDelivery(db, req.params.id));
    },
  });
}

/** A replayed delivery starts its attempts over; its log keeps the earlier ones. */
const REPLAY_SET = `status = 'pending', attempts = 0, replays = replays + 1, next_attempt_at = now(), locked_until = NULL, dead_at = NULL`;

function pick(row: Row, keys: readonly string[]) {
  return Object.fromEntries(keys.map((k) => [k, row[k]]));
}
