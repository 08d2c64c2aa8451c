import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestPlatform, expectNoChange, expectProblem, type TestPlatform } from '@quartermaster/testing';
import { toyOrders } from '../toy-plugins/toy-orders.js';
import { expectOneMutation } from '../routes/helpers.js';
import { startReceiver, verifyStandardWebhook, type Receiver } from './webhook-receiver.js';

/**
 * Webhooks end to end: the real loader on PostgreSQL, events from a plugin's transactions, and a
 * real HTTP receiver that checks every signature with its own implementation of the Standard
 * Webhooks scheme. Retries are a minute apart (with jitter), so the tests move due times forward
 * with SQL instead of waiting.
 */
let t: TestPlatform;
let rx: Receiver;

const order = (orderId: string, event: 'placed' | 'shipped' | 'ticked', step: number, rollback = false) =>
  t.request({ method: 'POST', url: '/api/toy-orders/orders', payload: { orderId, event, step, ...(rollback ? { rollback } : {}) } });

async function createWebhook(body: Record<string, unknown>) {
  const res = await t.request({ method: 'POST', url: '/api/core/webhooks', payload: body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { webhook: { id: string; version: number; secretHint: string }; secret: string };
}
const deliveries = async (query: string) => (await t.request({ method: 'GET', url: `/api/core/webhook-deliveries?${query}` })).json();
const delivery = async (id: string) => (await t.request({ method: 'GET', url: `/api/core/webhook-deliveries/${id}` })).json();
/** Make every waiting retry due now, as if its back-off had passed. */
const timePasses = () => t.sql(`UPDATE core_webhook_delivery SET next_attempt_at = now() WHERE status = 'pending'`);
const orderOf = (bodies: { json: any }[], orderId: string) => bodies.filter((r) => r.json?.data?.orderId === orderId).map((r) => `${r.json.type.split('.').pop()}#${r.json.data.step}`);

beforeAll(async () => {
  t = await createTestPlatform({
    plugins: [toyOrders],
    coreOptions: { webhooks: { maxAttempts: 3, retryBaseMs: 60_000, retryMaxMs: 600_000, timeoutMs: 1_500 } },
  });
});
afterAll(async () => {
  await t?.close();
});
beforeEach(async () => {
  await rx?.close();
  rx = await startReceiver();
  // Each test starts from no webhooks, so earlier ones receive nothing more.
  await t.sql(`DELETE FROM core_webhook_delivery; DELETE FROM core_webhook`);
});
afterAll(() => rx?.close());

describe('event catalogue', () => {
  it('lists every declared event with its plugin, description, aggregate and JSON Schema, and the envelope', async () => {
    const res = await t.request({ method: 'GET', url: '/api/core/events' });
    expect(res.statusCode).toBe(200);
    const cat = res.json();
    expect(cat.envelope.map((f: { name: string }) => f.name)).toEqual(['id', 'type', 'timestamp', 'source', 'actorId', 'aggregate', 'data']);
    expect(cat.headers.map((f: { name: string }) => f.name)).toEqual(['webhook-id', 'webhook-timestamp', 'webhook-signature']);
    const byName = Object.fromEntries(cat.events.map((e: { name: string }) => [e.name, e]));
    expect(byName['toy-orders.order.placed']).toEqual({
      name: 'toy-orders.order.placed',
      pluginId: 'toy-orders',
      description: 'An order was placed.',
      aggregate: { type: 'toy-orders.order', field: 'orderId' },
      schema: { type: 'object', properties: { orderId: { type: 'string' }, step: { type: 'integer' } }, required: ['orderId', 'step'] },
    });
    // The schema's own description is used when the definition gives none; `aggregate: false` is unordered.
    expect(byName['toy-orders.clock.ticked']).toMatchObject({ description: 'The clock ticked.', aggregate: null });
    expect(byName['toy-orders.order.shipped'].schema.required).toEqual(['orderId', 'step']);
    expect(byName['core.item.created']).toMatchObject({ pluginId: 'core', aggregate: { type: 'core.item', field: 'id' }, description: 'An item was created.' });
    expect(byName['core.webhook.created'].schema.properties).not.toHaveProperty('secret');
    // Core first, then plugins; by name within each.
    const plugins = cat.events.map((e: { pluginId: string }) => e.pluginId);
    expect(plugins.indexOf('toy-orders')).toBeGreaterThan(plugins.lastIndexOf('core'));
    const only = (await t.request({ method: 'GET', url: '/api/core/events?pluginId=toy-orders' })).json();
    expect(only.events.map((e: { name: string }) => e.name)).toEqual(['toy-orders.clock.ticked', 'toy-orders.order.placed', 'toy-orders.order.shipped']);
  });

  it('needs core.events.read', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/core/events' });
    expectProblem(res, 401, 'unauthenticated');
  });
});

describe('webhook subscriptions', () => {
  it('shows the secret once; creation is audited and emits an event in the same transaction', async () => {
    const created = await expectOneMutation(t, { entityType: 'core.webhook', action: 'created', events: ['core.webhook.created'] }, () =>
      createWebhook({ name: ' ERP ', url: rx.url, events: ['toy-orders.*', 'core.item.created', 'toy-orders.*'], description: 'Orders to the ERP' }),
    );
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(created.secret.slice(6), 'base64')).toHaveLength(32);
    expect(created.webhook).toMatchObject({ name: 'ERP', url: rx.url, events: ['toy-orders.*', 'core.item.created'], active: true, secretHint: created.secret.slice(0, 10) + '…', deliveries: { pending: 0, failing: 0, dead: 0 } });
    // Never again: not in the list, the detail, the audit record or the event.
    const again = await t.request({ method: 'GET', url: `/api/core/webhooks/${created.webhook.id}` });
    const list = await t.request({ method: 'GET', url: '/api/core/webhooks' });
    for (const body of [again.body, list.body, JSON.stringify(created.audit), JSON.stringify(created.outbox)]) expect(body).not.toContain(created.secret.slice(6, 20));
    expect(created.outbox[0].payload).toEqual({ id: created.webhook.id, name: 'ERP', url: rx.url, events: ['toy-orders.*', 'core.item.created'], active: true });
  });

  it('changes, rotation, disabling and deletion are each audited with an event', async () => {
    const { webhook } = await createWebhook({ name: 'Ops', url: rx.url, events: ['*'] });
    const patched = await expectOneMutation(t, { entityType: 'core.webhook', action: 'updated', events: ['core.webhook.updated'] }, async () =>
      (await t.request({ method: 'PATCH', url: `/api/core/webhooks/${webhook.id}`, payload: { events: ['core.*'], version: webhook.version } })).json(),
    );
    expect(patched.outbox[0].payload.changed).toEqual(['events']);
    expect(patched.audit.before).toEqual({ events: ['*'] });
    expect(patched.audit.after).toEqual({ events: ['core.*'] });

    const stale = await t.request({ method: 'PATCH', url: `/api/core/webhooks/${webhook.id}`, payload: { name: 'x', version: webhook.version } });
    expectProblem(stale, 409, 'stale-version');

    await expectOneMutation(t, { entityType: 'core.webhook', action: 'disabled', events: ['core.webhook.updated'] }, () => t.request({ method: 'POST', url: `/api/core/webhooks/${webhook.id}/disable` }));
    await expectOneMutation(t, { entityType: 'core.webhook', action: 'enabled', events: ['core.webhook.updated'] }, () => t.request({ method: 'POST', url: `/api/core/webhooks/${webhook.id}/enable` }));
    const rotated = await expectOneMutation(t, { entityType: 'core.webhook', action: 'secret-rotated', events: ['core.webhook.updated'] }, async () =>
      (await t.request({ method: 'POST', url: `/api/core/webhooks/${webhook.id}/rotate-secret` })).json(), // a bare POST: default grace
    );
    expect(rotated.outbox[0].payload.changed).toEqual(['secret']);
    expect(rotated.webhook.previousSecretExpiresAt).not.toBeNull();
    await expectOneMutation(t, { entityType: 'core.webhook', action: 'deleted', events: ['core.webhook.deleted'] }, () => t.request({ method: 'DELETE', url: `/api/core/webhooks/${webhook.id}` }));
    expect((await t.request({ method: 'GET', url: `/api/core/webhooks/${webhook.id}` })).statusCode).toBe(404);
  });

  it('refuses URLs that are not http(s) and events nobody declares, naming the field and a stable reason', async () => {
    for (const [payload, field, reason] of [
      [{ name: 'x', url: 'ftp://example.com/hook', events: ['*'] }, 'url', 'scheme-not-allowed'],
      [{ name: 'x', url: 'file:///etc/passwd', events: ['*'] }, 'url', 'scheme-not-allowed'],
      [{ name: 'x', url: 'https://user:pw@example.com/hook', events: ['*'] }, 'url', 'credentials-in-url'],
      [{ name: 'x', url: 'not a url', events: ['*'] }, 'url', 'invalid-url'],
      [{ name: 'x', url: 'https://example.com/hook', events: ['core.item.created', 'toy-orders.order.lost'] }, 'events.1', 'unknown-event'],
      [{ name: 'x', url: 'https://example.com/hook', events: ['nobody.*'] }, 'events.0', 'matches-no-event'],
    ] as const) {
      const res = await expectNoChange(t, () => t.request({ method: 'POST', url: '/api/core/webhooks', payload }));
      const body = expectProblem(res, 400, 'validation');
      expect(body.errors).toEqual([expect.objectContaining({ field, reason })]);
    }
  });

  it('refuses private and loopback targets when webhooks.allowPrivateAddresses is off', async () => {
    const strict = await createTestPlatform({ databaseUrl: t.databaseUrl, admin: false, plugins: [toyOrders], coreOptions: { webhooks: { allowPrivateAddresses: false } } });
    try {
      const session = await t.login();
      for (const url of [rx.url, 'http://localhost:8080/x', 'http://10.1.2.3/x', 'http://169.254.169.254/latest/meta-data', 'http://[::1]/x', 'http://0x7f.1/x']) {
        const res = await strict.app.inject({ method: 'POST', url: '/api/core/webhooks', headers: session.headers, payload: { name: 'x', url, events: ['*'] } });
        const body = expectProblem(res, 400, 'validation');
        expect(body.errors, url).toEqual([expect.objectContaining({ field: 'url', reason: 'private-address' })]);
      }
      const ok = await strict.app.inject({ method: 'POST', url: '/api/core/webhooks', headers: session.headers, payload: { name: 'public', url: 'https://hooks.example.com/qm', events: ['*'] } });
      expect(ok.statusCode, ok.body).toBe(201);
    } finally {
      await strict.close();
    }
  });
});

describe('delivery', () => {
  it('sends a signed Standard Webhooks request that the receiver verifies', async () => {
    const { webhook, secret } = await createWebhook({ name: 'ERP', url: rx.url, events: ['toy-orders.order.*'] });
    expect((await order('o-1', 'placed', 1)).statusCode).toBe(204);
    const [event] = await t.sql<{ id: string; occurred_at: Date }>(`SELECT id::text, occurred_at FROM core_outbox WHERE name = 'toy-orders.order.placed' ORDER BY id DESC LIMIT 1`);
    expect(await t.drainOutbox()).toBeGreaterThanOrEqual(1);

    expect(rx.received).toHaveLength(1);
    const [r] = rx.received;
    expect(verifyStandardWebhook(secret, r.headers, r.body)).toBe(true);
    // Tampering with any signed part breaks the signature.
    expect(verifyStandardWebhook(secret, r.headers, r.body.replace('o-1', 'o-2'))).toBe(false);
    expect(verifyStandardWebhook(secret, { ...r.headers, 'webhook-id': 'evt_0' }, r.body)).toBe(false);
    expect(verifyStandardWebhook(secret, { ...r.headers, 'webhook-timestamp': String(Number(r.headers['webhook-timestamp']) - 1) }, r.body)).toBe(false);
    expect(verifyStandardWebhook('whsec_' + Buffer.alloc(32, 1).toString('base64'), r.headers, r.body)).toBe(false);

    expect(r.headers['webhook-id']).toBe(`evt_${event.id}`);
    expect(Math.abs(Number(r.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(60);
    expect(r.headers['content-type']).toBe('application/json');
    expect(r.headers['user-agent']).toMatch(/^Quartermaster-Webhooks\//);
    expect(r.json).toEqual({
      id: event.id,
      type: 'toy-orders.order.placed',
      timestamp: event.occurred_at.toISOString(),
      source: 'toy-orders',
      actorId: expect.any(String),
      aggregate: 'toy-orders.order:o-1',
      data: { orderId: 'o-1', step: 1 },
    });

    const list = await deliveries(`webhookId=${webhook.id}`);
    expect(list.total).toBe(1);
    expect(list.data[0]).toMatchObject({ eventId: event.id, eventName: 'toy-orders.order.placed', status: 'delivered', attempts: 1, lastStatusCode: 204, aggregate: 'toy-orders.order:o-1' });
    const detail = await delivery(list.data[0].id);
    expect(detail.body).toEqual(r.json);
    expect(detail.log).toEqual([expect.objectContaining({ attempt: 1, statusCode: 204, outcome: 'delivered', error: null })]);
  });

  it('only matching events are delivered', async () => {
    await createWebhook({ name: 'Shipping only', url: rx.url, events: ['toy-orders.order.shipped'] });
    await order('m-1', 'placed', 1);
    await order('m-1', 'ticked', 2);
    await order('m-1', 'shipped', 3);
    await t.drainOutbox();
    expect(rx.received.map((r) => r.json.type)).toEqual(['toy-orders.order.shipped']);
  });

  it('retries after the receiver answers 500, with back-off, and then succeeds', async () => {
    const { webhook, secret } = await createWebhook({ name: 'Flaky', url: rx.url, events: ['toy-orders.*'] });
    let calls = 0;
    rx.respond = () => (++calls === 1 ? { status: 500, body: 'database is down' } : { status: 200, body: 'ok' });
    await order('r-1', 'placed', 1);
    await t.drainOutbox();

    const [failing] = (await deliveries(`webhookId=${webhook.id}&status=failing`)).data;
    expect(failing).toMatchObject({ status: 'failing', attempts: 1, lastStatusCode: 500, lastError: 'HTTP 500' });
    // Retry base one minute, jittered between half and all of it.
    const wait = new Date(failing.nextAttemptAt).getTime() - Date.now();
    expect(wait).toBeGreaterThan(25_000);
    expect(wait).toBeLessThanOrEqual(60_000);
    await t.drainOutbox();
    expect(rx.received).toHaveLength(1); // not due yet

    await timePasses();
    await t.drainOutbox();
    expect(rx.received).toHaveLength(2);
    expect(rx.received.every((r) => verifyStandardWebhook(secret, r.headers, r.body))).toBe(true);
    // Same message id on the retry, so the receiver can tell it is the same event.
    expect(rx.received[1].headers['webhook-id']).toBe(rx.received[0].headers['webhook-id']);
    const detail = await delivery(failing.id);
    expect(detail).toMatchObject({ status: 'delivered', attempts: 2 });
    expect(detail.log.map((a: { statusCode: number; outcome: string; responseBody: string }) => [a.statusCode, a.outcome, a.responseBody])).toEqual([
      [500, 'retry', 'database is down'],
      [200, 'delivered', 'ok'],
    ]);
  });

  it('a redirect is a failure (not followed), and Retry-After postpones the next attempt', async () => {
    const { webhook } = await createWebhook({ name: 'Moved', url: rx.url, events: ['toy-orders.*'] });
    rx.respond = () => ({ status: 307, headers: { location: 'http://169.254.169.254/latest/meta-data' } });
    await order('rd-1', 'placed', 1);
    await t.drainOutbox();
    expect(rx.received).toHaveLength(1);
    const [moved] = (await deliveries(`webhookId=${webhook.id}`)).data;
    expect(moved).toMatchObject({ status: 'failing', lastStatusCode: 307, lastError: 'HTTP 307 (redirects are not followed)' });

    rx.respond = () => ({ status: 503, headers: { 'retry-after': '300' } });
    await timePasses();
    await t.drainOutbox();
    const [busy] = (await deliveries(`webhookId=${webhook.id}`)).data;
    expect(busy).toMatchObject({ status: 'failing', attempts: 2, lastStatusCode: 503 });
    // The back-off alone would be at most two minutes; the receiver asked for five.
    expect(new Date(busy.nextAttemptAt).getTime() - Date.now()).toBeGreaterThan(290_000);
  });

  it('dead-letters after the last attempt; an admin replays it, alone or all of a webhook', async () => {
    const { webhook } = await createWebhook({ name: 'Down', url: rx.url, events: ['toy-orders.order.placed'] });
    rx.respond = () => ({ status: 503, body: 'maintenance' });
    await order('d-1', 'placed', 1);
    await order('d-2', 'placed', 1);
    for (let i = 0; i < 3; i++) {
      await timePasses();
      await t.drainOutbox();
    }
    await timePasses();
    await t.drainOutbox();
    expect(rx.received).toHaveLength(6); // 2 deliveries × maxAttempts 3, then nothing more

    const dead = await deliveries(`webhookId=${webhook.id}&status=dead`);
    expect(dead.total).toBe(2);
    expect(dead.data[0]).toMatchObject({ status: 'dead', attempts: 3, lastStatusCode: 503, nextAttemptAt: null, deadAt: expect.any(String) });
    expect((await t.request({ method: 'GET', url: `/api/core/webhooks/${webhook.id}` })).json().deliveries).toEqual({ pending: 0, failing: 0, dead: 2 });
    expect((await delivery(dead.data[0].id)).log.map((a: { outcome: string }) => a.outcome)).toEqual(['retry', 'retry', 'dead']);

    // Replay one: it starts over and is delivered once the receiver is back.
    rx.respond = () => ({ status: 200 });
    const one = dead.data[0] as { id: string };
    const replay = await expectOneMutation(t, { entityType: 'core.webhook', action: 'replayed', events: ['core.webhook.replayed'] }, () =>
      t.request({ method: 'POST', url: `/api/core/webhook-deliveries/${one.id}/replay` }),
    );
    expect(replay.statusCode).toBe(202);
    expect(replay.json()).toMatchObject({ status: 'pending', attempts: 0, replays: 1 });
    await t.drainOutbox();
    expect(await delivery(one.id)).toMatchObject({ status: 'delivered', attempts: 1, replays: 1 });
    expect((await delivery(one.id)).log).toHaveLength(4);
    // A delivered one is not replayed.
    expectProblem(await t.request({ method: 'POST', url: `/api/core/webhook-deliveries/${one.id}/replay` }), 409, 'webhook-delivery-not-dead');

    // Replay all dead of the webhook.
    const all = await t.request({ method: 'POST', url: `/api/core/webhooks/${webhook.id}/replay-dead` });
    expect(all.json()).toEqual({ replayed: 1, deliveryIds: [expect.any(String)] });
    await t.drainOutbox();
    expect((await deliveries(`webhookId=${webhook.id}&status=delivered`)).total).toBe(2);
    expect((await t.request({ method: 'POST', url: `/api/core/webhooks/${webhook.id}/replay-dead` })).json()).toEqual({ replayed: 0, deliveryIds: [] });
  });

  it('delivers nothing for a rolled-back transaction', async () => {
    const { webhook } = await createWebhook({ name: 'Orders', url: rx.url, events: ['toy-orders.*'] });
    const [before] = await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM core_webhook_delivery`);
    const res = await order('x-1', 'placed', 1, true);
    expectProblem(res, 409, 'toy-orders/refused');
    expect(await t.sql(`SELECT 1 FROM core_outbox WHERE payload->>'orderId' = 'x-1'`)).toHaveLength(0);
    const [after] = await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM core_webhook_delivery`);
    expect(after.n).toBe(before.n);
    await t.drainOutbox();
    expect(rx.received).toHaveLength(0);
    // The same request committed is delivered.
    await order('x-1', 'placed', 1);
    await t.drainOutbox();
    expect(rx.received.map((r) => r.json.data)).toEqual([{ orderId: 'x-1', step: 1 }]);
    expect((await deliveries(`webhookId=${webhook.id}`)).total).toBe(1);
  });

  it('keeps an aggregate in order: a later event waits while an earlier one is failing; other aggregates go on', async () => {
    const { webhook } = await createWebhook({ name: 'Ordered', url: rx.url, events: ['toy-orders.*'] });
    let firstA = true;
    rx.respond = (r) => {
      if (r.json.data.orderId === 'A' && r.json.data.step === 1 && firstA) {
        firstA = false;
        return { status: 500 };
      }
      return { status: 200 };
    };
    await order('A', 'placed', 1);
    await order('A', 'shipped', 2);
    await order('B', 'placed', 1);
    await order('clock', 'ticked', 7); // no aggregate: never held back
    await t.drainOutbox();

    expect(orderOf(rx.received, 'A')).toEqual(['placed#1']);
    expect(orderOf(rx.received, 'B')).toEqual(['placed#1']);
    expect(rx.received.some((r) => r.json.type === 'toy-orders.clock.ticked')).toBe(true);
    const open = await deliveries(`webhookId=${webhook.id}&status=pending`);
    expect(open.data.map((d: { aggregate: string; attempts: number }) => [d.aggregate, d.attempts])).toEqual([['toy-orders.order:A', 0]]);

    // Still held however often the dispatcher looks, until the earlier one goes through.
    await t.drainOutbox();
    expect(orderOf(rx.received, 'A')).toEqual(['placed#1']);
    await timePasses();
    await t.drainOutbox();
    expect(orderOf(rx.received, 'A')).toEqual(['placed#1', 'placed#1', 'shipped#2']);
  });

  it('a dead-lettered earlier delivery releases the later ones of its aggregate', async () => {
    await createWebhook({ name: 'Ordered', url: rx.url, events: ['toy-orders.order.*'] });
    rx.respond = (r) => (r.json.data.step === 1 ? { status: 500 } : { status: 200 });
    await order('C', 'placed', 1);
    await order('C', 'shipped', 2);
    for (let i = 0; i < 3; i++) {
      await timePasses();
      await t.drainOutbox();
    }
    await t.drainOutbox();
    // After the dead-letter the next event of the aggregate is sent, so one poison event does not block it forever.
    expect(orderOf(rx.received, 'C')).toEqual(['placed#1', 'placed#1', 'placed#1', 'shipped#2']);
  });

  it('a disabled webhook gets nothing; deliveries recorded before it was disabled wait until it is enabled', async () => {
    const on = await createWebhook({ name: 'On', url: rx.url, events: ['toy-orders.*'] });
    const other = await startReceiver();
    try {
      const off = await createWebhook({ name: 'Off', url: other.url, events: ['toy-orders.*'], active: false });
      await order('p-1', 'placed', 1);
      await t.drainOutbox();
      expect(other.received).toHaveLength(0);
      expect((await deliveries(`webhookId=${off.webhook.id}`)).total).toBe(0);
      expect(rx.received).toHaveLength(1);

      // Recorded while active, then disabled before it went out: held, not lost.
      await order('p-2', 'placed', 1);
      await t.request({ method: 'POST', url: `/api/core/webhooks/${on.webhook.id}/disable` });
      await order('p-3', 'placed', 1);
      await t.drainOutbox();
      expect(rx.received).toHaveLength(1);
      await t.request({ method: 'POST', url: `/api/core/webhooks/${on.webhook.id}/enable` });
      await t.drainOutbox();
      expect(rx.received.map((r) => r.json.data.orderId)).toEqual(['p-1', 'p-2']);
    } finally {
      await other.close();
    }
  });

  it('sends a test ping on request, signed, even to a disabled webhook, and reports the outcome', async () => {
    const { webhook, secret } = await createWebhook({ name: 'Ping', url: rx.url, events: ['toy-orders.*'], active: false });
    const ping = await expectOneMutation(t, { entityType: 'core.webhook', action: 'pinged', events: ['core.webhook.pinged'] }, () =>
      t.request({ method: 'POST', url: `/api/core/webhooks/${webhook.id}/test` }),
    );
    expect(ping.statusCode).toBe(200);
    expect(ping.json()).toMatchObject({ eventName: 'webhook.ping', eventId: null, status: 'delivered', attempts: 1, lastStatusCode: 204 });
    expect(rx.received).toHaveLength(1);
    expect(verifyStandardWebhook(secret, rx.received[0].headers, rx.received[0].body)).toBe(true);
    expect(rx.received[0].json).toMatchObject({ id: `ping_${ping.json().id}`, type: 'webhook.ping', data: { webhookId: webhook.id } });
    expect(rx.received[0].headers['webhook-id']).toBe(`ping_${ping.json().id}`);

    // A failing receiver: tried once, dead-lettered, the answer shown.
    rx.respond = () => ({ status: 404, body: 'no such hook' });
    const failed = (await t.request({ method: 'POST', url: `/api/core/webhooks/${webhook.id}/test` })).json();
    expect(failed).toMatchObject({ status: 'dead', attempts: 1, lastStatusCode: 404, lastError: 'HTTP 404' });
    expect(failed.log[0]).toMatchObject({ statusCode: 404, responseBody: 'no such hook', outcome: 'dead' });
  });

  it('signs with the old and the new secret during a rotation grace period, then with the new one only', async () => {
    const { webhook, secret: old } = await createWebhook({ name: 'Rotating', url: rx.url, events: ['toy-orders.*'] });
    const rotated = (await t.request({ method: 'POST', url: `/api/core/webhooks/${webhook.id}/rotate-secret`, payload: { graceHours: 1 } })).json();
    expect(rotated.secret).not.toBe(old);
    await order('s-1', 'placed', 1);
    await t.drainOutbox();
    const r1 = rx.received[0];
    expect(String(r1.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(verifyStandardWebhook(old, r1.headers, r1.body)).toBe(true);
    expect(verifyStandardWebhook(rotated.secret, r1.headers, r1.body)).toBe(true);

    const now = (await t.request({ method: 'POST', url: `/api/core/webhooks/${webhook.id}/rotate-secret`, payload: { graceHours: 0 } })).json();
    expect(now.webhook.previousSecretExpiresAt).toBeNull();
    await order('s-2', 'placed', 1);
    await t.drainOutbox();
    const r2 = rx.received[1];
    expect(verifyStandardWebhook(now.secret, r2.headers, r2.body)).toBe(true);
    expect(verifyStandardWebhook(rotated.secret, r2.headers, r2.body)).toBe(false);
  });

  it('logs a timeout, and keeps only the start of a long answer', async () => {
    const { webhook } = await createWebhook({ name: 'Slow', url: rx.url, events: ['toy-orders.*'] });
    rx.respond = () => ({ status: 200, delayMs: 3_000 });
    await order('t-1', 'placed', 1);
    await t.drainOutbox();
    const [slow] = (await deliveries(`webhookId=${webhook.id}`)).data;
    expect(slow).toMatchObject({ status: 'failing', lastStatusCode: null, lastError: 'timed out after 1500 ms' });
    const log = (await delivery(slow.id)).log[0];
    expect(log.durationMs).toBeGreaterThanOrEqual(1_400);
    expect(log.durationMs).toBeLessThan(2_900);

    rx.respond = () => ({ status: 200, body: 'x'.repeat(10_000) });
    await timePasses();
    await t.drainOutbox();
    const done = (await delivery(slow.id)).log[1];
    expect(done).toMatchObject({ statusCode: 200, outcome: 'delivered', responseTruncated: true });
    expect(done.responseBody).toHaveLength(2_048);
  });

  it('a receiver answering 410 Gone disables its webhook (audited as the system)', async () => {
    const { webhook } = await createWebhook({ name: 'Gone', url: rx.url, events: ['toy-orders.*'] });
    rx.respond = () => ({ status: 410 });
    await order('g-1', 'placed', 1);
    await t.drainOutbox();
    expect((await deliveries(`webhookId=${webhook.id}`)).data[0]).toMatchObject({ status: 'dead', attempts: 1, lastStatusCode: 410 });
    expect((await t.request({ method: 'GET', url: `/api/core/webhooks/${webhook.id}` })).json().active).toBe(false);
    const [audit] = await t.sql<{ action: string; actor_type: string; after: { reason: string } }>(
      `SELECT action, actor_type, after FROM core_audit WHERE entity_type = 'core.webhook' AND entity_id = $1 ORDER BY id DESC LIMIT 1`,
      [webhook.id],
    );
    expect(audit).toEqual({ action: 'disabled', actor_type: 'system', after: { active: false, reason: 'the receiver answered 410 Gone' } });
  });

  it('several servers share the work: each delivery is sent once (SKIP LOCKED)', async () => {
    const server = () => createTestPlatform({ databaseUrl: t.databaseUrl, admin: false, plugins: [toyOrders], coreOptions: { webhooks: { maxAttempts: 3, retryBaseMs: 60_000, concurrency: 2 } } });
    const [second, third] = await Promise.all([server(), server()]);
    try {
      const { webhook } = await createWebhook({ name: 'Shared', url: rx.url, events: ['toy-orders.*'] });
      rx.respond = () => ({ status: 200, delayMs: 20 });
      for (let i = 0; i < 30; i++) await order(`k-${i}`, 'placed', 1);
      const [a, b] = await Promise.all([second.drainOutbox(), third.drainOutbox()]);
      // Each claims at most 20 at a time, so both take part; nobody sends anything twice.
      expect(a).toBeGreaterThan(0);
      expect(b).toBeGreaterThan(0);
      expect(a + b).toBe(30);
      const ids = rx.received.map((r) => r.headers['webhook-id']);
      expect(ids).toHaveLength(30);
      expect(new Set(ids).size).toBe(30);
      expect((await deliveries(`webhookId=${webhook.id}&status=delivered`)).total).toBe(30);
    } finally {
      await second.close();
      await third.close();
    }
  });

  it('old delivered deliveries go with their events; dead ones keep their events however old', async () => {
    const { webhook } = await createWebhook({ name: 'Prune', url: rx.url, events: ['toy-orders.*'] });
    rx.respond = (r) => (r.json.data.orderId === 'keep' ? { status: 500 } : { status: 200 });
    await order('gone', 'placed', 1);
    await order('keep', 'placed', 1);
    for (let i = 0; i < 3; i++) {
      await timePasses();
      await t.drainOutbox();
    }
    // A webhook deleted while an event for it was being written leaves a delivery behind (no foreign key, so the
    // writer never fails); it is never sent, and pruning removes it so its event can go.
    const ghost = '00000000-0000-4000-8000-0000000000aa';
    await order('orphan', 'placed', 1);
    await t.sql(`UPDATE core_webhook_delivery d SET webhook_id = $1 FROM core_outbox o WHERE o.id = d.event_id AND o.payload->>'orderId' = 'orphan'`, [ghost]);
    await t.drainOutbox();
    expect(rx.received.some((r) => r.json.data.orderId === 'orphan')).toBe(false);

    await t.sql(`UPDATE core_outbox SET occurred_at = now() - interval '40 days' WHERE payload->>'orderId' IN ('gone', 'keep', 'orphan')`);
    await t.platform.bus.prune(30);
    const left = await deliveries(`webhookId=${webhook.id}`);
    expect(left.data.map((d: { status: string }) => d.status)).toEqual(['dead']);
    expect(await t.sql(`SELECT payload->>'orderId' AS o FROM core_outbox WHERE payload->>'orderId' IN ('gone', 'keep', 'orphan')`)).toEqual([{ o: 'keep' }]);
    expect(await t.sql(`SELECT 1 FROM core_webhook_delivery WHERE webhook_id = $1`, [ghost])).toHaveLength(0);
  });
});
