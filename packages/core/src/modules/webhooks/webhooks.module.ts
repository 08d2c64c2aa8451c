/**
 * Outbound integration in the core: the event catalogue and webhooks, wired to the outbox.
 * Webhook delivery rows are written by the outbox itself (kernel/events.ts `writeJournal`) in the
 * emitting transaction; this module sends them and serves the routes.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { EventDefinition, PluginApp, PluginContext } from '@quartermaster/sdk';
import type { OutboxFollower } from '../../kernel/events.js';
import { SYSTEM_ACTOR } from '../../kernel/transaction.js';
import { WebhookUpdated } from '../../events.js';
import { CORE_VERSION } from '../../version.js';
import { catalogueRoutes } from '../events/catalogue.routes.js';
import { WebhookDispatcher } from './webhooks.dispatcher.js';
import { webhookRoutes } from './webhooks.routes.js';

/** What the platform tells the core about the other plugins and the outbox. */
export interface IntegrationSource {
  /** Events declared (`events.emits`) by each enabled plugin, the core included. */
  declaredEvents(): { pluginId: string; events: readonly EventDefinition<any>[] }[];
  /** Run a dispatcher alongside the outbox's own (started, kicked, drained and closed with it). */
  followOutbox(follower: OutboxFollower): void;
}

export const WebhookOptionsSchema = Type.Object(
  {
    maxAttempts: Type.Integer({ minimum: 1, maximum: 100, default: 15, description: 'Attempts before a delivery is dead-lettered (default: about half a day of retries)' }),
    retryBaseMs: Type.Integer({ minimum: 0, default: 5_000, description: 'First retry delay; doubles per attempt, with jitter' }),
    retryMaxMs: Type.Integer({ minimum: 0, default: 21_600_000, description: 'Longest delay between two attempts (default 6 h)' }),
    timeoutMs: Type.Integer({ minimum: 100, maximum: 120_000, default: 15_000, description: 'Deadline for one HTTP call, connect to last byte kept' }),
    allowPrivateAddresses: Type.Optional(
      Type.Boolean({ description: 'Allow targets on loopback, private and link-local addresses. Unset: allowed unless NODE_ENV is production' }),
    ),
    concurrency: Type.Integer({ minimum: 1, maximum: 100, default: 8, description: 'HTTP calls in flight at once per server' }),
    responseBodyLimit: Type.Integer({ minimum: 0, maximum: 65_536, default: 2_048, description: "Bytes of each receiver's answer kept in the delivery log" }),
  },
  { default: {} },
);
export type WebhookOptions = Static<typeof WebhookOptionsSchema>;

export const webhookPermissions = [
  { id: 'core.webhooks.read', description: 'See webhooks and their delivery log' },
  { id: 'core.webhooks.manage', description: 'Create, change, disable and delete webhooks, rotate their secrets, replay deliveries and send tests' },
];

export function allowPrivateAddresses(o: Partial<WebhookOptions> | undefined, env: NodeJS.ProcessEnv = process.env): boolean {
  return o?.allowPrivateAddresses ?? env.NODE_ENV !== 'production';
}

export function createWebhookDispatcher(ctx: PluginContext, o: Partial<WebhookOptions> | undefined): WebhookDispatcher {
  return new WebhookDispatcher(ctx.orm, ctx.log.child({ module: 'webhooks' }), {
    maxAttempts: o?.maxAttempts ?? 15,
    retryBaseMs: o?.retryBaseMs ?? 5_000,
    retryMaxMs: o?.retryMaxMs ?? 21_600_000,
    timeoutMs: o?.timeoutMs ?? 15_000,
    allowPrivateAddresses: allowPrivateAddresses(o),
    concurrency: o?.concurrency ?? 8,
    responseBodyLimit: o?.responseBodyLimit ?? 2_048,
    userAgent: `Quartermaster-Webhooks/${CORE_VERSION}`,
    onGone: (webhookId) =>
      ctx.transaction(SYSTEM_ACTOR, async (tx) => {
        const [w] = await tx.execute<{ id: string; name: string; url: string; events: string[]; active: boolean }>(
          `UPDATE core_webhook SET active = false, version = version + 1, updated_at = now() WHERE id = $1 AND active RETURNING id, name, url, events, active`,
          [webhookId],
        );
        if (!w) return;
        await tx.audit({ action: 'disabled', entityType: 'core.webhook', entityId: w.id, before: { active: true }, after: { active: false, reason: 'the receiver answered 410 Gone' } });
        await tx.emit(WebhookUpdated, { ...w, changed: ['active'] });
      }),
  });
}

/** Mount the catalogue and the webhook routes, and hand the dispatcher to the outbox. */
export async function integrationRoutes(app: PluginApp, ctx: PluginContext, source: IntegrationSource, options: Partial<WebhookOptions> | undefined) {
  const dispatcher = createWebhookDispatcher(ctx, options);
  source.followOutbox(dispatcher);
  await catalogueRoutes(app, () => source.declaredEvents());
  await webhookRoutes(app, ctx, {
    dispatcher,
    eventNames: () => source.declaredEvents().flatMap((p) => p.events.map((e) => e.name)),
    allowPrivateAddresses: allowPrivateAddresses(options),
  });
}
