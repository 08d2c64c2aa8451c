import { http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import type { CatalogueEvent, EventCatalogue, Webhook, WebhookDeliveryDetail, WebhookWithSecret } from '../src/api/types';
import { bodyText, byTestId, click, renderApp, settle, typeInto } from './app';
import { ADMIN_SESSION, NOW, problem } from './fixtures';
import { requests, server, state } from './msw';

const SECRET = 'whsec_c2VjcmV0IGZvciB0ZXN0cyBvbmx5LCBuZXZlciByZWFsISE=';
const id = (n: number) => `0196c000-0000-7000-8000-${String(n).padStart(12, '0')}`;

/** Shaped like GET /api/core/events: TypeBox schemas as JSON Schema. */
const EVENTS: CatalogueEvent[] = [
  {
    name: 'core.item.created',
    pluginId: 'core',
    description: 'An item was created.',
    aggregate: { type: 'core.item', field: 'id' },
    schema: { type: 'object', properties: { id: { type: 'string', format: 'uuid' }, name: { type: 'string' } }, required: ['id', 'name'] },
  },
  {
    name: 'core.item.updated',
    pluginId: 'core',
    description: 'An item was changed.',
    aggregate: { type: 'core.item', field: 'id' },
    schema: { type: 'object', properties: { id: { type: 'string', format: 'uuid' }, changed: { type: 'array', items: { type: 'string' } } }, required: ['id', 'changed'] },
  },
  {
    name: 'inventory.move.posted',
    pluginId: 'inventory',
    description: null,
    aggregate: { type: 'inventory.move', field: 'id' },
    schema: {
      type: 'object',
      properties: {
        id: { type: 'string', format: 'uuid' },
        reference: { anyOf: [{ type: 'string' }, { type: 'null' }] },
        lines: { type: 'array', items: { type: 'object', properties: { itemId: { type: 'string', format: 'uuid' }, qty: { type: 'string', description: 'decimal number as a string' } }, required: ['itemId', 'qty'] } },
      },
      required: ['id', 'reference', 'lines'],
    },
  },
  { name: 'gps.positions.pruned', pluginId: 'gps', description: 'Old positions were deleted.', aggregate: null, schema: { type: 'object', properties: { deleted: { type: 'integer' } }, required: ['deleted'] } },
];
const CATALOGUE: EventCatalogue = {
  envelope: [
    { name: 'id', type: 'string', description: "The event's outbox sequence number" },
    { name: 'type', type: 'string', description: 'The event name' },
    { name: 'data', type: 'object', description: 'The payload' },
  ],
  headers: [{ name: 'webhook-signature', type: 'string', description: 'v1,<base64 HMAC-SHA256>' }],
  events: EVENTS,
};

function makeWebhook(n: number, patch: Partial<Webhook> = {}): Webhook {
  return {
    id: id(n),
    name: `Webhook ${n}`,
    url: `https://hooks.example.com/${n}`,
    events: ['core.*'],
    description: null,
    active: true,
    secretHint: 'whsec_c2Vj…',
    secretRotatedAt: NOW,
    previousSecretExpiresAt: null,
    deliveries: { pending: 0, failing: 0, dead: 0 },
    version: 1,
    createdAt: NOW,
    updatedAt: NOW,
    ...patch,
  };
}

const HOOKS = () => [
  makeWebhook(1, { name: 'ERP journal', url: 'https://erp.example.com/hooks/qm', events: ['inventory.*', 'core.item.created', 'core.item.updated', 'gps.positions.pruned'], deliveries: { pending: 2, failing: 1, dead: 3 } }),
  makeWebhook(2, { name: 'Old CRM', active: false }),
];

function makeDelivery(n: number, patch: Partial<WebhookDeliveryDetail> = {}): WebhookDeliveryDetail {
  return {
    id: String(n),
    webhookId: id(1),
    webhookName: 'ERP journal',
    eventId: String(100 + n),
    eventName: 'core.item.created',
    aggregate: `core.item:${n}`,
    status: 'delivered',
    attempts: 1,
    replays: 0,
    occurredAt: NOW,
    nextAttemptAt: null,
    lastAttemptAt: NOW,
    lastStatusCode: 204,
    lastError: null,
    deliveredAt: NOW,
    deadAt: null,
    body: { id: String(100 + n), type: 'core.item.created', timestamp: NOW, source: 'core', actorId: null, aggregate: `core.item:${n}`, data: { id: String(n), name: `Item ${n}` } },
    log: [{ id: `a${n}`, attempt: 1, startedAt: NOW, durationMs: 35, statusCode: 204, error: null, responseBody: '', responseTruncated: false, outcome: 'delivered' }],
    ...patch,
  };
}

const DELIVERIES = () => [
  makeDelivery(3, {
    status: 'dead',
    attempts: 15,
    lastStatusCode: 503,
    lastError: 'HTTP 503',
    deliveredAt: null,
    deadAt: NOW,
    log: [
      { id: 'a31', attempt: 1, startedAt: NOW, durationMs: 40, statusCode: 503, error: 'HTTP 503', responseBody: 'maintenance window', responseTruncated: false, outcome: 'retry' },
      { id: 'a32', attempt: 2, startedAt: NOW, durationMs: 15000, statusCode: null, error: 'timed out after 15000 ms', responseBody: null, responseTruncated: false, outcome: 'dead' },
    ],
  }),
  makeDelivery(2, { status: 'failing', attempts: 2, lastStatusCode: 500, lastError: 'HTTP 500', deliveredAt: null, nextAttemptAt: NOW }),
  makeDelivery(1),
];

/** The webhook routes as the server answers them, over in-memory rows. */
function webhookApi(hooks: Webhook[] = HOOKS(), deliveries: WebhookDeliveryDetail[] = DELIVERIES()) {
  const find = (hookId: unknown) => hooks.find((w) => w.id === hookId);
  const notFound = (what: string, x: unknown) => problem(404, 'not-found', 'Not Found', `${what} ${String(x)} not found`);
  const page = <T>(rows: T[], q: URLSearchParams) => {
    const limit = Number(q.get('limit') ?? 50);
    const offset = Number(q.get('offset') ?? 0);
    return HttpResponse.json({ data: rows.slice(offset, offset + limit), total: rows.length, limit, offset });
  };
  const summary = ({ body: _b, log: _l, ...d }: WebhookDeliveryDetail) => d;
  return [
    http.get('*/api/core/events', () => HttpResponse.json(CATALOGUE)),
    http.get('*/api/core/webhooks', ({ request }) => {
      const q = new URL(request.url).searchParams;
      return page(hooks.filter((w) => !q.has('active') || String(w.active) === q.get('active')), q);
    }),
    http.post('*/api/core/webhooks', async ({ request }) => {
      const b = (await request.json()) as { name: string; url: string; events: string[]; description?: string; active?: boolean };
      const webhook = makeWebhook(hooks.length + 1, { name: b.name, url: b.url, events: b.events, description: b.description ?? null, active: b.active ?? true });
      hooks.push(webhook);
      return HttpResponse.json({ webhook, secret: SECRET } satisfies WebhookWithSecret, { status: 201 });
    }),
    http.get('*/api/core/webhooks/:id', ({ params }) => (find(params.id) ? HttpResponse.json(find(params.id)) : notFound('webhook', params.id))),
    http.patch('*/api/core/webhooks/:id', async ({ params, request }) => {
      const w = find(params.id);
      if (!w) return notFound('webhook', params.id);
      const b = (await request.json()) as Partial<Webhook>;
      if (b.version !== undefined && b.version !== w.version) return problem(409, 'stale-version', 'Webhook changed meanwhile', `You edited version ${b.version}, but the webhook is at version ${w.version}`);
      Object.assign(w, b, { version: w.version + 1 });
      return HttpResponse.json(w);
    }),
    http.delete('*/api/core/webhooks/:id', ({ params }) => {
      hooks.splice(hooks.findIndex((w) => w.id === params.id), 1);
      return new HttpResponse(null, { status: 204 });
    }),
    ...(['disable', 'enable'] as const).map((verb) =>
      http.post(`*/api/core/webhooks/:id/${verb}`, ({ params }) => {
        const w = find(params.id);
        if (!w) return notFound('webhook', params.id);
        Object.assign(w, { active: verb === 'enable', version: w.version + 1 });
        return HttpResponse.json(w);
      }),
    ),
    http.post('*/api/core/webhooks/:id/rotate-secret', async ({ params, request }) => {
      const w = find(params.id)!;
      const { graceHours } = (await request.json()) as { graceHours: number };
      Object.assign(w, { secretHint: 'whsec_bmV3…', previousSecretExpiresAt: graceHours ? '2026-11-24T10:00:00.000Z' : null, version: w.version + 1 });
      return HttpResponse.json({ webhook: w, secret: 'whsec_bmV3IHNlY3JldCBmb3IgdGVzdHMgb25seSEhISEhISEhISE=' } satisfies WebhookWithSecret);
    }),
    http.post('*/api/core/webhooks/:id/test', () => {
      const ping = makeDelivery(9, { eventId: null, eventName: 'webhook.ping', aggregate: null });
      deliveries.unshift(ping);
      return HttpResponse.json(ping);
    }),
    http.post('*/api/core/webhooks/:id/replay-dead', ({ params }) => {
      const dead = deliveries.filter((d) => d.webhookId === params.id && d.status === 'dead');
      for (const d of dead) Object.assign(d, { status: 'pending', attempts: 0, replays: d.replays + 1 });
      find(params.id)!.deliveries.dead = 0;
      return HttpResponse.json({ replayed: dead.length, deliveryIds: dead.map((d) => d.id) });
    }),
    http.get('*/api/core/webhook-deliveries', ({ request }) => {
      const q = new URL(request.url).searchParams;
      const rows = deliveries.filter(
        (d) => (!q.get('webhookId') || d.webhookId === q.get('webhookId')) && (!q.get('status') || d.status === q.get('status')) && (!q.get('event') || d.eventName === q.get('event')),
      );
      return page(rows.map(summary), q);
    }),
    http.get('*/api/core/webhook-deliveries/:id', ({ params }) => {
      const d = deliveries.find((x) => x.id === params.id);
      return d ? HttpResponse.json(d) : notFound('webhook delivery', params.id);
    }),
    http.post('*/api/core/webhook-deliveries/:id/replay', ({ params }) => {
      const d = deliveries.find((x) => x.id === params.id)!;
      if (d.status !== 'dead') return problem(409, 'webhook-delivery-not-dead', 'Only dead-lettered deliveries can be replayed');
      Object.assign(d, { status: 'pending', attempts: 0, replays: d.replays + 1, deadAt: null });
      return HttpResponse.json(d, { status: 202 });
    }),
  ];
}

const calls = (method: string, pathname: string) => requests.filter((r) => r.method === method && r.url.pathname === pathname);
const lastQuery = (pathname: string) => Object.fromEntries(calls('GET', pathname).at(-1)!.url.searchParams);
const tableRows = (testid: string) => [...byTestId(testid)!.querySelectorAll<HTMLElement>('.el-table__body tr.el-table__row')];

async function pickOption(selectId: string, optionId: string) {
  byTestId(selectId)!.querySelector<HTMLElement>('.el-select__wrapper')!.click();
  await settle();
  const option = document.querySelector<HTMLElement>(`[data-testid="${optionId}"]`);
  if (!option) throw new Error(`no option ${optionId}`);
  option.click();
  await settle();
}
async function confirmBox(label: string) {
  await settle();
  const btn = [...document.querySelectorAll<HTMLButtonElement>('.el-message-box__btns button')].find((b) => b.textContent?.includes(label));
  if (!btn) throw new Error(`no confirm box with "${label}"`);
  btn.click();
  await settle();
}

describe('webhooks list', () => {
  it('shows each webhook with its events, state and open / failing / dead counts', async () => {
    server.use(...webhookApi());
    await renderApp('/');
    await click('nav-webhooks');
    await vi.waitFor(() => expect(tableRows('webhooks-table')).toHaveLength(2));
    expect(lastQuery('/api/core/webhooks')).toEqual({ limit: '25', offset: '0' });
    const [erp, crm] = tableRows('webhooks-table');
    expect(erp!.querySelector('a[data-testid="webhook-link"]')!.getAttribute('href')).toBe(`/webhooks/${id(1)}`);
    expect(erp!.textContent).toContain('https://erp.example.com/hooks/qm');
    // Three event tags, then how many more.
    const events = erp!.querySelector('[data-testid="webhook-events"]')!;
    expect([...events.querySelectorAll('.el-tag')].map((t) => t.textContent!.trim())).toEqual(['inventory.*', 'core.item.created', 'core.item.updated']);
    expect(events.textContent).toContain('+1');
    expect(erp!.querySelector('[data-testid="webhook-counts"]')!.textContent!.replace(/\s+/g, ' ').trim()).toBe('2 / 1 / 3');
    expect(erp!.querySelector('[data-testid="webhook-dead-link"]')!.getAttribute('href')).toBe(`/webhooks/${id(1)}?status=dead`);
    expect(crm!.querySelector('[data-testid="webhook-active"]')!.textContent!.trim()).toBe('disabled');

    await pickOption('webhooks-filter-active', 'webhooks-filter-active-disabled');
    await vi.waitFor(() => expect(lastQuery('/api/core/webhooks')).toEqual({ active: 'false', limit: '25', offset: '0' }));
    await vi.waitFor(() => expect(tableRows('webhooks-table')).toHaveLength(1));
  });

  it('is in the nav with core.webhooks.read alone, without "New webhook"; the catalogue needs core.events.read', async () => {
    state.session = { ...ADMIN_SESSION, permissions: ['core.webhooks.read'] };
    server.use(...webhookApi());
    await renderApp('/webhooks');
    await vi.waitFor(() => expect(tableRows('webhooks-table')).toHaveLength(2));
    expect(byTestId('nav-webhooks')).not.toBeNull();
    expect(byTestId('nav-event-catalogue')).toBeNull();
    expect(byTestId('webhook-create')).toBeNull();
  });

  it('refuses the page without core.webhooks.read', async () => {
    state.session = { ...ADMIN_SESSION, permissions: ['core.items.read'] };
    const { router } = await renderApp('/webhooks');
    expect(router.currentRoute.value.name).toBe('forbidden');
    expect(byTestId('nav-webhooks')).toBeNull();
    expect(calls('GET', '/api/core/webhooks')).toHaveLength(0);
  });
});

describe('creating a webhook', () => {
  it('picks events from the catalogue, shows the secret once with a way to verify it, then opens the webhook', async () => {
    server.use(...webhookApi());
    const { router } = await renderApp('/webhooks');
    await vi.waitFor(() => expect(tableRows('webhooks-table')).toHaveLength(2));
    await click('webhook-create');
    await vi.waitFor(() => expect(byTestId('webhook-dialog')).not.toBeNull());
    expect(calls('GET', '/api/core/events')).toHaveLength(1);

    await typeInto('webhook-form-name', 'Stock to ERP');
    await typeInto('webhook-form-url', 'https://erp.example.com/qm');
    await pickOption('webhook-form-events', 'webhook-event-inventory.*');
    await pickOption('webhook-form-events', 'webhook-event-core.item.created');
    expect(byTestId('webhook-form-matched')!.textContent).toContain('2 of 4 declared events selected');
    await click('webhook-save');

    await vi.waitFor(() => expect(byTestId<HTMLInputElement>('webhook-secret')?.value).toBe(SECRET));
    const post = calls('POST', '/api/core/webhooks')[0]!;
    expect(post.body).toEqual({ name: 'Stock to ERP', url: 'https://erp.example.com/qm', events: ['inventory.*', 'core.item.created'], active: true });
    expect(post.headers.get('x-csrf-token')).toBe('csrf-123');
    expect(byTestId('webhook-secret-copy')).not.toBeNull();
    expect(byTestId('webhook-secret-snippet')!.textContent).toContain("createHmac('sha256', key)");
    expect(byTestId('webhook-secret-dialog')!.textContent).toContain('webhook-signature');

    await click('webhook-secret-done');
    await vi.waitFor(() => expect(router.currentRoute.value.path).toBe(`/webhooks/${id(3)}`));
    await vi.waitFor(() => expect(byTestId('webhook-title')?.textContent).toBe('Stock to ERP'));
    expect(document.body.innerHTML).not.toContain(SECRET);
  });

  it('checks the URL and the events before sending, and shows the server\'s field errors', async () => {
    server.use(...webhookApi());
    await renderApp('/webhooks');
    await click('webhook-create');
    await vi.waitFor(() => expect(byTestId('webhook-dialog')).not.toBeNull());
    await typeInto('webhook-form-name', 'Files');
    await typeInto('webhook-form-url', 'ftp://files.example.com/drop');
    await click('webhook-save');
    await vi.waitFor(() => expect(byTestId('webhook-dialog')!.textContent).toContain('An http:// or https:// URL'));
    expect(byTestId('webhook-dialog')!.textContent).toContain('Pick at least one event');
    expect(calls('POST', '/api/core/webhooks')).toHaveLength(0);

    server.use(
      http.post('*/api/core/webhooks', () =>
        problem(400, 'validation', 'Invalid request', 'url: points to a private or loopback address', {
          errors: [{ field: 'url', message: 'points to a private or loopback address, which this server does not call', reason: 'private-address' }],
        }),
      ),
    );
    await typeInto('webhook-form-url', 'http://10.0.0.5/hook');
    await pickOption('webhook-form-events', 'webhook-event-*');
    await click('webhook-save');
    await vi.waitFor(() => expect(byTestId('webhook-dialog')!.textContent).toContain('points to a private or loopback address, which this server does not call'));
    expect(byTestId('webhook-secret')).toBeNull();
  });
});

describe('a webhook', () => {
  it('shows its deliveries; a dead one is replayed, and its attempts and body are one click away', async () => {
    server.use(...webhookApi());
    await renderApp(`/webhooks/${id(1)}`);
    await vi.waitFor(() => expect(byTestId('webhook-title')?.textContent).toBe('ERP journal'));
    await vi.waitFor(() => expect(tableRows('webhook-deliveries-table')).toHaveLength(3));
    expect(lastQuery('/api/core/webhook-deliveries')).toEqual({ webhookId: id(1), limit: '25', offset: '0' });
    expect(byTestId('webhook-counts')!.textContent).toBe('2 waiting · 1 failing · 3 dead');
    const statuses = [...document.querySelectorAll('[data-testid="webhook-delivery-status"]')].map((t) => t.textContent!.trim());
    expect(statuses).toEqual(['dead', 'failing', 'delivered']);
    const answers = [...document.querySelectorAll('[data-testid="webhook-delivery-answer"]')].map((t) => t.textContent!.trim());
    expect(answers).toEqual(['HTTP 503', 'HTTP 500', 'HTTP 204']);
    // Only the dead one offers a replay.
    expect(document.querySelectorAll('[data-testid="webhook-delivery-replay"]')).toHaveLength(1);

    await click('webhook-delivery-open');
    await vi.waitFor(() => expect(byTestId('webhook-attempts-table')).not.toBeNull());
    const drawer = byTestId('webhook-delivery-drawer')!;
    expect([...drawer.querySelectorAll('[data-testid="webhook-attempt-status"]')].map((e) => e.textContent)).toEqual(['HTTP 503', 'no answer']);
    expect(drawer.querySelector('[data-testid="webhook-attempt-error"]')!.textContent).toBe('HTTP 503');
    expect(drawer.querySelector('[data-testid="webhook-attempt-response"]')!.textContent).toContain('maintenance window');
    expect(drawer.textContent).toContain('timed out after 15000 ms');
    expect(JSON.parse(byTestId('webhook-delivery-body')!.textContent!)).toMatchObject({ type: 'core.item.created', data: { id: '3' } });

    await click('webhook-delivery-replay');
    await vi.waitFor(() => expect(calls('POST', '/api/core/webhook-deliveries/3/replay')).toHaveLength(1));
    await vi.waitFor(() => expect(document.querySelectorAll('[data-testid="webhook-delivery-replay"]')).toHaveLength(0));
  });

  it('opens on the dead letters from the list, and replays them all after asking', async () => {
    server.use(...webhookApi());
    await renderApp(`/webhooks/${id(1)}?status=dead`);
    await vi.waitFor(() => expect(tableRows('webhook-deliveries-table')).toHaveLength(1));
    expect(lastQuery('/api/core/webhook-deliveries')).toEqual({ webhookId: id(1), status: 'dead', limit: '25', offset: '0' });
    expect(byTestId('webhook-replay-dead')!.textContent).toContain('Replay all dead (3)');
    await click('webhook-replay-dead');
    await confirmBox('Replay all');
    await vi.waitFor(() => expect(calls('POST', `/api/core/webhooks/${id(1)}/replay-dead`)).toHaveLength(1));
    await vi.waitFor(() => expect(byTestId('webhook-replay-dead')).toBeNull());
    expect(bodyText()).toContain('Nothing is dead-lettered');
  });

  it('sends a test and says what the receiver answered', async () => {
    server.use(...webhookApi());
    await renderApp(`/webhooks/${id(1)}`);
    await vi.waitFor(() => expect(byTestId('webhook-test')).not.toBeNull());
    await click('webhook-test');
    await vi.waitFor(() => expect(byTestId('webhook-test-result')?.textContent).toContain('The receiver answered HTTP 204 in 35 ms.'));
    expect(calls('POST', `/api/core/webhooks/${id(1)}/test`)).toHaveLength(1);
    await vi.waitFor(() => expect(tableRows('webhook-deliveries-table')).toHaveLength(4));

    server.use(
      http.post('*/api/core/webhooks/:id/test', () =>
        HttpResponse.json(
          makeDelivery(10, {
            eventId: null,
            eventName: 'webhook.ping',
            status: 'dead',
            lastStatusCode: 404,
            lastError: 'HTTP 404',
            log: [{ id: 'x', attempt: 1, startedAt: NOW, durationMs: 12, statusCode: 404, error: 'HTTP 404', responseBody: 'no such hook', responseTruncated: false, outcome: 'dead' }],
          }),
        ),
      ),
    );
    await click('webhook-test');
    await vi.waitFor(() => expect(byTestId('webhook-test-result')?.textContent).toContain('The test failed in 12 ms: HTTP 404 — no such hook'));
  });

  it('rotates the secret with the grace period chosen and shows the new one once', async () => {
    server.use(...webhookApi());
    await renderApp(`/webhooks/${id(1)}`);
    await vi.waitFor(() => expect(byTestId('webhook-rotate-secret')).not.toBeNull());
    await click('webhook-rotate-secret');
    await pickOption('webhook-rotate-grace', 'webhook-rotate-grace-72');
    await click('webhook-rotate-confirm');
    await vi.waitFor(() => expect(byTestId<HTMLInputElement>('webhook-secret')?.value).toMatch(/^whsec_bmV3/));
    expect(calls('POST', `/api/core/webhooks/${id(1)}/rotate-secret`)[0]!.body).toEqual({ graceHours: 72 });
    expect(byTestId('webhook-secret-grace')!.textContent).toContain('The previous secret also signs until');
    await click('webhook-secret-done');
    await vi.waitFor(() => expect(byTestId('webhook-secret')).toBeNull());
    expect(byTestId('webhook-secret-hint')!.textContent).toContain('whsec_bmV3…');
    expect(document.body.innerHTML).not.toContain('whsec_bmV3IHNl');
  });

  it('disables after asking, and edits with the version it showed', async () => {
    server.use(...webhookApi());
    await renderApp(`/webhooks/${id(1)}`);
    await vi.waitFor(() => expect(byTestId('webhook-disable')).not.toBeNull());
    await click('webhook-disable');
    await confirmBox('Disable');
    await vi.waitFor(() => expect(byTestId('webhook-status')!.textContent!.trim()).toBe('disabled'));
    expect(byTestId('webhook-enable')).not.toBeNull();

    await click('webhook-edit');
    await vi.waitFor(() => expect(byTestId('webhook-dialog')).not.toBeNull());
    expect(byTestId<HTMLInputElement>('webhook-form-name')!.value).toBe('ERP journal');
    await typeInto('webhook-form-name', 'ERP journals');
    await click('webhook-save');
    await vi.waitFor(() => expect(calls('PATCH', `/api/core/webhooks/${id(1)}`)).toHaveLength(1));
    expect(calls('PATCH', `/api/core/webhooks/${id(1)}`)[0]!.body).toEqual({ name: 'ERP journals', version: 2 });
    await vi.waitFor(() => expect(byTestId('webhook-title')?.textContent).toBe('ERP journals'));
  });

  it('shows neither actions nor replays without core.webhooks.manage', async () => {
    state.session = { ...ADMIN_SESSION, permissions: ['core.webhooks.read'] };
    server.use(...webhookApi());
    await renderApp(`/webhooks/${id(1)}`);
    await vi.waitFor(() => expect(tableRows('webhook-deliveries-table')).toHaveLength(3));
    for (const t of ['webhook-edit', 'webhook-test', 'webhook-disable', 'webhook-rotate-secret', 'webhook-delete', 'webhook-replay-dead', 'webhook-delivery-replay']) expect(byTestId(t), t).toBeNull();
    expect(byTestId('webhook-delivery-open')).not.toBeNull();
  });
});

describe('event catalogue', () => {
  it("lists every declared event with its payload's fields, nested ones too, and its JSON Schema", async () => {
    server.use(...webhookApi());
    await renderApp('/');
    await click('nav-event-catalogue');
    await vi.waitFor(() => expect(document.querySelectorAll('[data-testid="catalogue-event"]')).toHaveLength(4));
    expect(byTestId('catalogue-count')!.textContent).toBe('4 of 4 events');

    const move = document.querySelector<HTMLElement>('[data-testid="catalogue-event"][data-name="inventory.move.posted"]')!;
    move.querySelector<HTMLElement>('.el-collapse-item__header')!.click();
    await settle();
    const fields = [...move.querySelectorAll('[data-testid="catalogue-fields"] .el-table__body tr')].map((r) => [...r.querySelectorAll('td')].map((c) => c.textContent!.trim()));
    expect(fields).toEqual([
      ['id', 'string (uuid)', 'yes', ''],
      ['reference', 'string | null', 'yes', ''],
      ['lines', 'object[]', 'yes', ''],
      ['lines[].itemId', 'string (uuid)', 'yes', ''],
      ['lines[].qty', 'string', 'yes', 'decimal number as a string'],
    ]);
    expect(move.querySelector('[data-testid="catalogue-aggregate"]')!.textContent).toContain('inventory.move:<id>');
    expect(JSON.parse(move.querySelector('[data-testid="catalogue-schema"]')!.textContent!)).toEqual(EVENTS[2]!.schema);
    const pruned = document.querySelector<HTMLElement>('[data-testid="catalogue-event"][data-name="gps.positions.pruned"]')!;
    expect(pruned.querySelector('[data-testid="catalogue-aggregate"]')!.textContent).toContain('Not ordered');

    await typeInto('catalogue-search', 'item');
    expect(byTestId('catalogue-count')!.textContent).toBe('2 of 4 events');
    await typeInto('catalogue-search', '');
    await pickOption('catalogue-filter-plugin', 'catalogue-plugin-gps');
    expect([...document.querySelectorAll<HTMLElement>('[data-testid="catalogue-event"]')].map((e) => e.dataset.name)).toEqual(['gps.positions.pruned']);
    // The envelope every webhook body carries.
    expect(byTestId('catalogue-envelope-table')!.textContent).toContain('webhook-signature');
  });
});
