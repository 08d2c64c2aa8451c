import type { EntityManager, MikroORM } from '@mikro-orm/core';
import type { FastifyBaseLogger } from 'fastify';
import type { Actor, AuditEntry, EventEnvelope, EventHandler } from '@quartermaster/sdk';
import { execute } from './sql.js';
import { iso } from './time.js';

export interface Subscriber {
  /** `<plugin-id>:<name>`, the key of its delivery rows. */
  id: string;
  pluginId: string;
  eventName: string;
  handler: EventHandler<any>;
}

export interface OutboxOptions {
  /** How often the dispatcher looks for due deliveries without being kicked. Default 1000 ms. */
  pollIntervalMs?: number;
  /** Base of the exponential retry delay. Default 1000 ms; capped at one hour. */
  retryBaseMs?: number;
  /** Start the background dispatcher. Tests set false and call `drain()`. Default true. */
  autoStart?: boolean;
  /** Delivered events older than this many days are deleted (hourly). Undelivered ones are always kept. Default 30. */
  retentionDays?: number;
}

export type EventTap = (event: EventEnvelope) => void;

/**
 * Another dispatcher over the outbox's events (the core's webhook deliveries): started, kicked
 * after commits, drained and closed together with the bus.
 */
export interface OutboxFollower {
  /** Begin dispatching on its own; called only when the bus runs its own dispatcher. */
  start(pollIntervalMs: number): void;
  /** Events were committed: look for due work soon. */
  kick(): void;
  /** Deliver everything due now; resolves with the number of successful deliveries. */
  drain(): Promise<number>;
  close(): Promise<void>;
}

/**
 * The transactional outbox: events are rows written in the emitting transaction, one delivery row
 * per subscriber. After commit the dispatcher claims due deliveries (SKIP LOCKED, so several
 * servers can share the work), runs the handler, and marks it delivered or schedules a retry.
 * Nothing is deleted on failure, so no event is lost.
 */
export class EventBus {
  private readonly subscribers = new Map<string, Subscriber[]>();
  private readonly byId = new Map<string, Subscriber>();
  private readonly taps = new Set<EventTap>();
  private readonly followers: OutboxFollower[] = [];
  private started = false;
  private timer: NodeJS.Timeout | null = null;
  private pruneTimer: NodeJS.Timeout | null = null;
  private draining: Promise<number> | null = null;
  private kicked = false;
  private closed = false;

  constructor(
    private readonly orm: MikroORM,
    private readonly log: FastifyBaseLogger,
    private readonly options: Required<OutboxOptions>,
  ) {}

  addSubscriber(s: Subscriber) {
    if (this.byId.has(s.id)) throw new Error(`Subscriber "${s.id}" is registered twice`);
    this.byId.set(s.id, s);
    const list = this.subscribers.get(s.eventName) ?? [];
    list.push(s);
    this.subscribers.set(s.eventName, list);
  }

  subscribersOf(eventName: string): Subscriber[] {
    return this.subscribers.get(eventName) ?? [];
  }

  /** Observe every committed event (used by the test harness and the console's live views). */
  tap(fn: EventTap): () => void {
    this.taps.add(fn);
    return () => this.taps.delete(fn);
  }

  /** Add a dispatcher that works on the same events (see {@link OutboxFollower}). */
  follow(f: OutboxFollower) {
    this.followers.push(f);
    if (this.started) f.start(this.options.pollIntervalMs);
  }

  /** Called by the transaction runner after a commit that emitted events. */
  committed(events: EventEnvelope[]) {
    for (const e of events) for (const t of this.taps) t(e);
    this.kick();
    if (this.options.autoStart && !this.closed) for (const f of this.followers) f.kick();
  }

  /**
   * Write a transaction's audit rows, outbox events, the events' delivery rows and their webhook
   * delivery rows (one per active webhook whose patterns match) in one statement inside that
   * transaction, so a rolled-back change is never delivered and a committed one always is.
   * Returns the envelopes in the order the events were emitted.
   */
  async writeJournal(
    em: EntityManager,
    source: string,
    actor: Actor,
    audits: AuditEntry[],
    events: { name: string; payload: unknown; aggregate?: string | null }[],
  ): Promise<EventEnvelope[]> {
    if (!audits.length && !events.length) return [];
    const json = (v: unknown) => (v === undefined ? null : JSON.stringify(v));
    const deliveries = [...new Set(events.map((e) => e.name))].flatMap((name) => this.subscribersOf(name).map((s) => [name, s.id] as const));
    const rows = await execute<{ id: string; occurred_at: Date }>(
      em,
      `WITH audit AS (
         INSERT INTO core_audit (actor_type, actor_id, actor_label, token_id, plugin_id, action, entity_type, entity_id, before, after)
         SELECT $1, $2::uuid, $3, $4::uuid, $5, a.action, a.entity_type, a.entity_id, a.before, a.after
           FROM unnest($6::text[], $7::text[], $8::text[], $9::jsonb[], $10::jsonb[]) WITH ORDINALITY AS a(action, entity_type, entity_id, before, after, n)
          ORDER BY a.n),
       outbox AS (
         INSERT INTO core_outbox (name, source, payload, actor_id, aggregate_key)
         SELECT e.name, $5, e.payload, $2::uuid, e.aggregate FROM unnest($11::text[], $12::jsonb[], $15::text[]) WITH ORDINALITY AS e(name, payload, aggregate, n) ORDER BY e.n
         RETURNING id, name, occurred_at, aggregate_key),
       delivery AS (
         INSERT INTO core_outbox_delivery (event_id, subscriber)
         SELECT o.id, d.subscriber FROM outbox o JOIN unnest($13::text[], $14::text[]) AS d(name, subscriber) ON d.name = o.name),
       hook AS (
         INSERT INTO core_webhook_delivery (webhook_id, event_id, aggregate_key)
         SELECT w.id, o.id, o.aggregate_key FROM outbox o
           JOIN core_webhook w ON w.active AND EXISTS (
             SELECT 1 FROM unnest(w.events) AS p(pattern)
              WHERE p.pattern = '*' OR p.pattern = o.name OR (right(p.pattern, 2) = '.*' AND starts_with(o.name, left(p.pattern, -1))))
          ORDER BY o.id, w.id)
       SELECT id, occurred_at FROM outbox ORDER BY id`,
      [
        actor.type,
        actor.userId,
        actor.label,
        actor.tokenId ?? null,
        source,
        audits.map((a) => a.action),
        audits.map((a) => a.entityType),
        audits.map((a) => a.entityId),
        audits.map((a) => json(a.before)),
        audits.map((a) => json(a.after)),
        events.map((e) => e.name),
        events.map((e) => JSON.stringify(e.payload)),
        deliveries.map((d) => d[0]),
        deliveries.map((d) => d[1]),
        events.map((e) => e.aggregate ?? null),
      ],
    );
    // Ids come from one sequence in insertion order (the ORDER BY above), so sorted ids match emit order.
    return events.map((e, i) => ({
      id: String(rows[i].id),
      name: e.name,
      payload: e.payload,
      source,
      occurredAt: iso(rows[i].occurred_at)!,
      actorId: actor.userId,
      attempt: 0,
    }));
  }

  start() {
    if (!this.options.autoStart || this.timer) return;
    this.started = true;
    for (const f of this.followers) f.start(this.options.pollIntervalMs);
    this.timer = setInterval(() => this.kick(), this.options.pollIntervalMs);
    this.timer.unref();
    this.pruneTimer = setInterval(() => {
      this.prune().catch((err) => this.log.error({ err }, 'outbox pruning failed'));
    }, 3_600_000);
    this.pruneTimer.unref();
    this.kick();
  }

  /**
   * Delete events older than the retention whose every delivery succeeded (or that had no
   * subscriber), with their delivery rows and webhook delivery logs. An event with any undelivered
   * delivery, or a webhook delivery still pending or dead (replayable), is kept however old it is.
   */
  async prune(retentionDays = this.options.retentionDays): Promise<number> {
    const em = this.orm.em.fork();
    // Deliveries to a webhook deleted while their event was being written (there is no foreign key, see
    // migration 0005) would otherwise keep their events for ever.
    await execute(em, `DELETE FROM core_webhook_delivery d WHERE NOT EXISTS (SELECT 1 FROM core_webhook w WHERE w.id = d.webhook_id)`, []);
    const rows = await execute<{ n: string }>(
      em,
      `WITH old AS (
         SELECT o.id FROM core_outbox o
          WHERE o.occurred_at < now() - ($1::text || ' days')::interval
            AND NOT EXISTS (SELECT 1 FROM core_outbox_delivery d WHERE d.event_id = o.id AND d.delivered_at IS NULL)
            AND NOT EXISTS (SELECT 1 FROM core_webhook_delivery w WHERE w.event_id = o.id AND w.status <> 'delivered')
          LIMIT 10000),
       gone AS (DELETE FROM core_outbox_delivery d USING old WHERE d.event_id = old.id RETURNING 1),
       hooks AS (DELETE FROM core_webhook_delivery w USING old WHERE w.event_id = old.id RETURNING 1)
       DELETE FROM core_outbox o USING old WHERE o.id = old.id RETURNING 1`,
      [String(retentionDays)],
    );
    // Test pings have no event; answered ones go after the same retention.
    await execute(
      em,
      `DELETE FROM core_webhook_delivery WHERE event_id IS NULL AND status = 'delivered' AND created_at < now() - ($1::text || ' days')::interval`,
      [String(retentionDays)],
    );
    return rows.length;
  }

  /** Make a delivery due now (an operator's "retry now"); returns false if there is no such undelivered delivery. */
  async retryNow(eventId: string, subscriber: string): Promise<boolean> {
    const rows = await execute(
      this.orm.em.fork(),
      `UPDATE core_outbox_delivery SET next_attempt_at = now(), locked_until = NULL
        WHERE event_id = $1 AND subscriber = $2 AND delivered_at IS NULL RETURNING 1`,
      [eventId, subscriber],
    );
    if (rows.length) this.kick();
    return rows.length > 0;
  }

  kick() {
    if (!this.options.autoStart || this.closed) return;
    if (this.draining) {
      this.kicked = true;
      return;
    }
    this.drainSubscribers()
      .catch((err) => this.log.error({ err }, 'outbox dispatch failed'))
      .finally(() => {
        if (this.kicked) {
          this.kicked = false;
          this.kick();
        }
      });
  }

  /**
   * Deliver everything due now, to subscribers and then to followers (webhooks); resolves with the
   * number of successful deliveries.
   */
  async drain(): Promise<number> {
    let total = await this.drainSubscribers();
    for (const f of this.followers) total += await f.drain();
    return total;
  }

  private drainSubscribers(): Promise<number> {
    if (this.draining) return this.draining.then(() => this.drainSubscribers());
    this.draining = (async () => {
      let total = 0;
      try {
        for (;;) {
          const n = await this.deliverBatch();
          total += n.delivered;
          // Stop when nothing is due, or when everything claimed failed (it is rescheduled).
          if (n.claimed === 0 || n.delivered === 0) break;
        }
      } finally {
        this.draining = null;
      }
      return total;
    })();
    return this.draining;
  }

  private async deliverBatch(): Promise<{ claimed: number; delivered: number }> {
    const known = [...this.byId.keys()];
    if (!known.length || this.closed) return { claimed: 0, delivered: 0 };
    const em = this.orm.em.fork();
    const claimed = await execute<{
      event_id: string;
      subscriber: string;
      attempts: number;
      name: string;
      source: string;
      payload: unknown;
      occurred_at: Date;
      actor_id: string | null;
    }>(
      em,
      `WITH due AS (
         SELECT event_id, subscriber FROM core_outbox_delivery
          WHERE delivered_at IS NULL AND next_attempt_at <= now()
            AND (locked_until IS NULL OR locked_until < now())
            AND subscriber = ANY($1::text[])
          ORDER BY event_id LIMIT 100 FOR UPDATE SKIP LOCKED)
       UPDATE core_outbox_delivery d SET locked_until = now() + interval '5 minutes'
         FROM due, core_outbox o
        WHERE d.event_id = due.event_id AND d.subscriber = due.subscriber AND o.id = d.event_id
       RETURNING d.event_id, d.subscriber, d.attempts, o.name, o.source, o.payload, o.occurred_at, o.actor_id`,
      [known],
    );
    claimed.sort((a, b) => Number(a.event_id) - Number(b.event_id));
    let delivered = 0;
    for (const row of claimed) {
      const sub = this.byId.get(row.subscriber)!;
      const envelope: EventEnvelope = {
        id: String(row.event_id),
        name: row.name,
        payload: row.payload,
        source: row.source,
        occurredAt: iso(row.occurred_at)!,
        actorId: row.actor_id,
        attempt: row.attempts,
      };
      try {
        await sub.handler(envelope);
        await execute(
          em,
          `UPDATE core_outbox_delivery SET delivered_at = now(), attempts = attempts + 1, locked_until = NULL, last_error = NULL
            WHERE event_id = $1 AND subscriber = $2`,
          [row.event_id, row.subscriber],
        );
        delivered++;
      } catch (err) {
        const attempts = row.attempts + 1;
        const delayMs = Math.min(this.options.retryBaseMs * 2 ** (attempts - 1), 3_600_000);
        this.log.warn({ err, event: row.name, subscriber: row.subscriber, attempts }, 'event subscriber failed; will retry');
        await execute(
          em,
          `UPDATE core_outbox_delivery
              SET attempts = $3, locked_until = NULL, last_error = $4,
                  next_attempt_at = now() + ($5::text || ' milliseconds')::interval
            WHERE event_id = $1 AND subscriber = $2`,
          [row.event_id, row.subscriber, attempts, String((err as Error)?.message ?? err).slice(0, 2000), String(delayMs)],
        );
      }
    }
    return { claimed: claimed.length, delivered };
  }

  async close() {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    if (this.pruneTimer) clearInterval(this.pruneTimer);
    this.timer = null;
    this.pruneTimer = null;
    for (const f of this.followers) await f.close().catch((err) => this.log.error({ err }, 'outbox follower did not close'));
    if (this.draining) await this.draining.catch(() => undefined);
  }
}
