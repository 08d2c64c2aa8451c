import { afterAll, beforeAll, expect, test } from 'vitest';
import { createTestPlatform, type TestPlatform } from '@quartermaster/testing';
import { toyCatalog } from '../toy-plugins/toy-catalog.js';
import { labelSubscriber, toyLabels } from '../toy-plugins/toy-labels.js';

let t: TestPlatform;
beforeAll(async () => {
  // Long back-off so a failed delivery stays failing until an operator retries it.
  t = await createTestPlatform({ plugins: [toyCatalog, toyLabels], outbox: { autoStart: false, retryBaseMs: 3_600_000 } });
});
afterAll(() => t?.close());

test('operators see failing deliveries with their error and can retry them now', async () => {
  labelSubscriber.failuresLeft = 1;
  labelSubscriber.calls = 0;
  const widget = (await t.request({ method: 'POST', url: '/api/toy-catalog/widgets', payload: { name: 'stuck', kind: 'plain' } })).json();
  await t.drainOutbox();
  const failing = (await t.request({ method: 'GET', url: '/api/core/event-deliveries?status=failing' })).json();
  expect(failing.total).toBe(1);
  expect(failing.data[0]).toMatchObject({
    name: 'toy-catalog.widget.created',
    subscriber: 'toy-labels:print-label',
    status: 'failing',
    attempts: 1,
    lastError: 'printer offline',
    payload: { id: widget.id, name: 'stuck', kind: 'plain' },
  });
  expect(new Date(failing.data[0].nextAttemptAt).getTime()).toBeGreaterThan(Date.now() + 3_000_000);

  // Waiting does nothing: it is not due for an hour.
  await t.drainOutbox();
  expect(labelSubscriber.calls).toBe(1);

  const retry = await t.request({ method: 'POST', url: '/api/core/event-deliveries/retry', payload: { eventId: failing.data[0].eventId, subscriber: 'toy-labels:print-label' } });
  expect(retry.statusCode).toBe(202);
  await t.drainOutbox();
  expect(labelSubscriber.calls).toBe(2);
  expect(await t.sql(`SELECT text FROM toy_labels_label WHERE widget_id = $1`, [widget.id])).toEqual([{ text: 'LBL-stuck' }]);
  const delivered = (await t.request({ method: 'GET', url: `/api/core/event-deliveries?status=delivered&name=toy-catalog.widget.created` })).json();
  expect(delivered.data.map((d: { status: string; attempts: number }) => [d.status, d.attempts])).toEqual([['delivered', 2]]);
  const audit = (await t.request({ method: 'GET', url: '/api/core/audit?entityType=core.event-delivery' })).json();
  expect(audit.data.map((a: { action: string }) => a.action)).toEqual(['retry-requested']);

  // A delivered one cannot be retried.
  const again = await t.request({ method: 'POST', url: '/api/core/event-deliveries/retry', payload: { eventId: failing.data[0].eventId, subscriber: 'toy-labels:print-label' } });
  expect(again.statusCode).toBe(404);
});

test('old delivered events are pruned; undelivered ones are kept however old', async () => {
  labelSubscriber.failuresLeft = 1;
  await t.request({ method: 'POST', url: '/api/toy-catalog/widgets', payload: { name: 'never-delivered', kind: 'plain' } });
  await t.drainOutbox(); // fails, stays undelivered
  await t.sql(`UPDATE core_outbox SET occurred_at = now() - interval '40 days'`);
  const removed = await t.platform.bus.prune(30);
  expect(removed).toBeGreaterThan(0);
  const left = await t.sql<{ payload: { name?: string } }>(`SELECT payload FROM core_outbox`);
  expect(left.map((r) => r.payload.name)).toEqual(['never-delivered']);
  expect(await t.sql(`SELECT 1 FROM core_outbox_delivery d LEFT JOIN core_outbox o ON o.id = d.event_id WHERE o.id IS NULL`)).toHaveLength(0);
});
