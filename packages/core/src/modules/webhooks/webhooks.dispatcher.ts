import http from 'node:http';
import https from 'node:https';
import type { MikroORM } from '@mikro-orm/core';
import type { FastifyBaseLogger } from 'fastify';
import { execute } from '../../kernel/sql.js';
import { iso } from '../../kernel/time.js';
import type { OutboxFollower } from '../../kernel/events.js';
import { postWebhook, type PostResult } from './webhooks.http.js';
import { webhookHeaders } from './webhooks.signing.js';

export interface WebhookDispatchOptions {
  /** Attempts before a delivery is dead-lettered. */
  maxAttempts: number;
  /** First retry delay; doubles per attempt, capped at retryMaxMs, with jitter. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** Deadline for one HTTP exchange. */
  timeoutMs: number;
  allowPrivateAddresses: boolean;
  /** HTTP calls in flight at once per server. */
  concurrency: number;
  /** Bytes of each answer kept in the delivery log. */
  responseBodyLimit: number;
  userAgent: string;
  /** The receiver answered 410 Gone: it wants no more (Standard Webhooks says: disable the endpoint). */
  onGone?: (webhookId: string) => Promise<void>;
}

/**
 * Delay before attempt `attempt + 1` after `attempt` failures: base × 2^(attempt-1), capped, then
 * "equal jitter" (between half and all of it) so receivers coming back up are not hit by every
 * server at the same instant.
 */
export function retryDelayMs(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const capped = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(capped / 2 + (random() * capped) / 2);
}

/** What a receiver gets: Standard Webhooks' `type`/`timestamp`/`data`, plus where it came from. */
export interface WebhookBody {
  id: string;
  type: string;
  timestamp: string;
  source: string;
  actorId: string | null;
  aggregate: string | null;
  data: unknown;
}

interface Claimed {
  id: string;
  webhook_id: string;
  event_id: string | null;
  ping: Omit<WebhookBody, 'id'> | null;
  attempts: number;
  aggregate_key: string | null;
  url: string;
  secret: string;
  previous_secret: string | null;
  previous_valid: boolean;
  name: string | null;
  source: string | null;
  payload: unknown;
  occurred_at: Date | null;
  actor_id: string | null;
}

export interface AttemptOutcome extends PostResult {
  deliveryId: string;
  outcome: 'delivered' | 'retry' | 'dead';
  attempt: number;
}

const CLAIM = `
  WITH due AS (
    SELECT d.id, d.webhook_id, d.event_id, d.ping, d.attempts, d.aggregate_key,
           w.url, w.secret, w.previous_secret, coalesce(w.previous_secret_expires_at > now(), false) AS previous_valid,
           o.name, o.source, o.payload, o.occurred_at, o.actor_id
      FROM core_webhook_delivery d
      JOIN core_webhook w ON w.id = d.webhook_id
      LEFT JOIN core_outbox o ON o.id = d.event_id
     WHERE d.status = 'pending' AND d.next_attempt_at <= now()
       -- Or the caller inserted this row already leased to itself (a test ping) and now sends it.
       AND (d.locked_until IS NULL OR d.locked_until < now() OR $4::boolean)
       -- A disabled webhook gets nothing; its pending deliveries wait until it is enabled. Test pings are explicit.
       AND (w.active OR d.event_id IS NULL)
       -- Per aggregate, one at a time and in order: an earlier open delivery holds the later ones back.
       AND (d.aggregate_key IS NULL OR NOT EXISTS (
             SELECT 1 FROM core_webhook_delivery e
              WHERE e.webhook_id = d.webhook_id AND e.aggregate_key = d.aggregate_key AND e.status = 'pending' AND e.id < d.id))
       AND ($3::bigint IS NULL OR d.id = $3)
     ORDER BY d.id
     LIMIT $1
       FOR UPDATE OF d SKIP LOCKED)
  UPDATE core_webhook_delivery d SET locked_until = now() + ($2::text || ' milliseconds')::interval
    FROM due WHERE d.id = due.id
  RETURNING due.*`;

/**
 * Sends webhook deliveries. Rows are claimed with FOR UPDATE SKIP LOCKED and a lease, so several
 * servers share the work and a server that dies mid-call only delays a delivery (at least once).
 */
export class WebhookDispatcher implements OutboxFollower {
  private timer: NodeJS.Timeout | null = null;
  private draining: Promise<number> | null = null;
  private kicked = false;
  private running = false;
  private closed = false;
  private readonly agents = { http: new http.Agent({ keepAlive: true, maxSockets: 16 }), https: new https.Agent({ keepAlive: true, maxSockets: 16 }) };

  constructor(
    private readonly orm: MikroORM,
    private readonly log: FastifyBaseLogger,
    readonly options: WebhookDispatchOptions,
  ) {}

  start(pollIntervalMs: number) {
    if (this.timer || this.closed) return;
    this.running = true;
    this.timer = setInterval(() => this.kick(), pollIntervalMs);
    this.timer.unref();
    this.kick();
  }

  kick() {
    if (!this.running || this.closed) return;
    if (this.draining) {
      this.kicked = true;
      return;
    }
    this.drain()
      .catch((err) => this.log.error({ err }, 'webhook dispatch failed'))
      .finally(() => {
        if (this.kicked) {
          this.kicked = false;
          this.kick();
        }
      });
  }

  /** Send everything due now; stops when nothing is due or a whole batch failed (it is rescheduled). */
  drain(): Promise<number> {
    if (this.draining) return this.draining.then(() => this.drain());
    this.draining = (async () => {
      let total = 0;
      try {
        for (;;) {
          const n = await this.deliverBatch(null);
          total += n.delivered;
          if (n.claimed === 0 || n.delivered === 0) break;
        }
      } finally {
        this.draining = null;
      }
      return total;
    })();
    return this.draining;
  }

  /**
   * Send one delivery now (a test ping) that was inserted with `leaseMs()` already on it, so the
   * background loop left it alone; null when it is no longer pending. Should this server die first,
   * the lease runs out and the background loop sends it.
   */
  async sendNow(deliveryId: string): Promise<AttemptOutcome | null> {
    const rows = await this.claim(1, deliveryId, true);
    if (!rows.length) return null;
    return this.attempt(rows[0]);
  }

  /** The lease outlives the HTTP deadline, so a slow answer is never sent twice by two servers. */
  leaseMs(): number {
    return this.options.timeoutMs + 60_000;
  }

  private claim(limit: number, only: string | null, leasedToUs = false) {
    return execute<Claimed>(this.orm.em.fork(), CLAIM, [limit, String(this.leaseMs()), only, leasedToUs]);
  }

  private async deliverBatch(only: string | null): Promise<{ claimed: number; delivered: number }> {
    if (this.closed) return { claimed: 0, delivered: 0 };
    const claimed = await this.claim(Math.max(this.options.concurrency * 4, 20), only);
    let delivered = 0;
    // Claimed rows never share an aggregate (see CLAIM), so they may go out in parallel.
    let next = 0;
    const worker = async () => {
      while (next < claimed.length) {
        const row = claimed[next++];
        const r = await this.attempt(row).catch((err) => {
          this.log.error({ err, delivery: row.id }, 'webhook attempt could not be recorded');
          return null;
        });
        if (r?.outcome === 'delivered') delivered++;
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.options.concurrency, claimed.length) }, worker));
    return { claimed: claimed.length, delivered };
  }

  private bodyOf(row: Claimed): { msgId: string; body: string } {
    if (row.ping) {
      const msgId = `ping_${row.id}`;
      return { msgId, body: JSON.stringify({ id: msgId, ...row.ping }) };
    }
    const body: WebhookBody = {
      id: String(row.event_id),
      type: row.name!,
      timestamp: iso(row.occurred_at)!,
      source: row.source!,
      actorId: row.actor_id,
      aggregate: row.aggregate_key,
      data: row.payload,
    };
    // The same event keeps its id on every retry and replay, so receivers can drop duplicates.
    return { msgId: `evt_${row.event_id}`, body: JSON.stringify(body) };
  }

  private async attempt(row: Claimed): Promise<AttemptOutcome> {
    const { msgId, body } = this.bodyOf(row);
    const secrets = [row.secret, ...(row.previous_secret && row.previous_valid ? [row.previous_secret] : [])];
    const startedAt = new Date();
    // Signed per attempt: the timestamp is the attempt's, so receivers can refuse stale replays.
    const headers = { ...webhookHeaders(secrets, msgId, Math.floor(startedAt.getTime() / 1000), body), 'user-agent': this.options.userAgent };
    const result = await postWebhook(row.url, headers, body, {
      timeoutMs: this.options.timeoutMs,
      allowPrivateAddresses: this.options.allowPrivateAddresses,
      responseBodyLimit: this.options.responseBodyLimit,
      agents: this.agents,
    });
    const ok = result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300;
    const attempt = row.attempts + 1;
    // A test ping is tried once: its answer is what the person asked for.
    const max = row.ping ? 1 : this.options.maxAttempts;
    const gone = result.statusCode === 410 && !row.ping;
    const outcome = ok ? 'delivered' : gone || attempt >= max ? 'dead' : 'retry';
    const error = ok
      ? null
      : (result.error ?? (result.statusCode !== null && result.statusCode >= 300 && result.statusCode < 400 ? `HTTP ${result.statusCode} (redirects are not followed)` : `HTTP ${result.statusCode}`));
    // A receiver that says when to come back (429, 503) is not called before that, within the cap.
    const delayMs =
      outcome === 'retry' ? Math.max(retryDelayMs(attempt, this.options.retryBaseMs, this.options.retryMaxMs), Math.min(result.retryAfterMs ?? 0, this.options.retryMaxMs)) : 0;
    if (!ok) this.log.warn({ delivery: row.id, webhook: row.webhook_id, attempt, error, outcome }, 'webhook delivery failed');
    await execute(
      this.orm.em.fork(),
      `WITH upd AS (
         UPDATE core_webhook_delivery
            SET attempts = $2, locked_until = NULL, last_attempt_at = $3, last_status_code = $4, last_error = $5,
                status = CASE $6 WHEN 'delivered' THEN 'delivered' WHEN 'dead' THEN 'dead' ELSE 'pending' END,
                delivered_at = CASE WHEN $6 = 'delivered' THEN now() END,
                dead_at = CASE WHEN $6 = 'dead' THEN now() END,
                next_attempt_at = CASE WHEN $6 = 'retry' THEN now() + ($7::text || ' milliseconds')::interval ELSE next_attempt_at END
          WHERE id = $1 AND status = 'pending'
          RETURNING id)
       INSERT INTO core_webhook_attempt (delivery_id, attempt, started_at, duration_ms, status_code, error, response_body, response_truncated, outcome)
       SELECT id, $2, $3, $8, $4, $5, $9, $10, $6 FROM upd`,
      [row.id, attempt, startedAt, result.statusCode, error?.slice(0, 2000) ?? null, outcome, String(delayMs), result.durationMs, result.responseBody, result.responseTruncated],
    );
    if (gone && this.options.onGone) {
      await this.options.onGone(row.webhook_id).catch((err) => this.log.error({ err, webhook: row.webhook_id }, 'could not disable a webhook whose receiver answered 410 Gone'));
    }
    return { ...result, error, deliveryId: String(row.id), outcome, attempt };
  }

  async close() {
    this.closed = true;
    this.running = false;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.draining) await this.draining.catch(() => undefined);
    this.agents.http.destroy();
    this.agents.https.destroy();
  }
}
