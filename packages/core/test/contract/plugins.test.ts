import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { Type } from '@sinclair/typebox';
import { createExtensionPoint, definePlugin, PluginResolutionError } from '@quartermaster/sdk';
import { createTestDatabase, createTestPlatform, type TestPlatform } from '@quartermaster/testing';
import { identifierParsers } from '../../src/index.js';
import { observed, toyCatalog, widgetKinds } from '../toy-plugins/toy-catalog.js';
import { labelSubscriber, toyLabels } from '../toy-plugins/toy-labels.js';

const tables = async (t: TestPlatform) =>
  (await t.sql<{ tablename: string }>(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`)).map((r) => r.tablename);

describe('two toy plugins, one depending on and extending the other', () => {
  let t: TestPlatform;
  beforeAll(async () => {
    // The profile lists the dependant first; the loader must still load toy-catalog first.
    t = await createTestPlatform({ plugins: [toyLabels, toyCatalog], enable: { 'toy-labels': {}, 'toy-catalog': { maxWidgets: 5 } } });
  });
  afterAll(() => t?.close());
  beforeEach(() => {
    labelSubscriber.failuresLeft = 0;
    labelSubscriber.calls = 0;
  });

  test('load order: core, then dependencies before dependants', () => {
    expect(t.platform.plugins.map((p) => p.definition.id)).toEqual(['core', 'toy-catalog', 'toy-labels']);
  });

  test('options are validated and defaulted per plugin', () => {
    expect(t.platform.context('toy-catalog').options).toEqual({ maxWidgets: 5, label: 'Widgets' });
    expect(t.platform.context('toy-labels').options).toEqual({ prefix: 'LBL-' });
  });

  test('phase ordering: the owner sees every contribution, including from plugins loaded after it', () => {
    expect(observed.kindsAtRoutes).toEqual(['plain', 'labelled']);
    expect(observed.kindsAtReady).toEqual(['plain', 'labelled']);
  });

  test('each plugin migrates into its own tables and its own migration history', async () => {
    const names = await tables(t);
    expect(names).toEqual(expect.arrayContaining(['mig_core', 'mig_toy_catalog', 'mig_toy_labels', 'toy_catalog_widget', 'toy_labels_label']));
    expect((await t.sql(`SELECT name FROM mig_toy_catalog ORDER BY name`)).map((r) => r.name)).toEqual(['0001_widgets', '0002_widget_note']);
    expect((await t.sql(`SELECT name FROM mig_toy_labels`)).map((r) => r.name)).toEqual(['0001_labels']);
  });

  test('routes mount under /api/<plugin-id> and appear in the OpenAPI document', async () => {
    const res = await t.request({ method: 'POST', url: '/api/toy-catalog/widgets', payload: { name: 'w1', kind: 'labelled' } });
    expect(res.statusCode).toBe(201);
    expect(res.json().description).toBe('LBL-w1'); // toy-labels' contribution is used by toy-catalog
    const spec = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(spec.openapi).toBe('3.1.0');
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/api/toy-catalog/widgets', '/api/toy-labels/labels', '/api/core/items']));
  });

  test('a service of a dependency is usable', async () => {
    const res = await t.request({ method: 'GET', url: '/api/toy-labels/labels' });
    expect(res.statusCode).toBe(200);
    expect(res.json().kinds).toEqual(['plain', 'labelled']);
    expect(res.json().widgets).toBeGreaterThanOrEqual(1);
  });

  test('events are delivered only after commit, once, with their outbox id', async () => {
    await t.drainOutbox(); // deliver what earlier tests left
    labelSubscriber.calls = 0;
    t.events.length = 0;
    const res = await t.request({ method: 'POST', url: '/api/toy-catalog/widgets', payload: { name: 'w2', kind: 'plain' } });
    expect(res.statusCode).toBe(201);
    const id = res.json().id;
    expect(t.events.map((e) => e.name)).toEqual(['toy-catalog.widget.created']);
    // Not delivered until the dispatcher runs (after commit), then exactly once.
    expect(await t.sql(`SELECT * FROM toy_labels_label WHERE widget_id = $1`, [id])).toHaveLength(0);
    await t.drainOutbox();
    await t.drainOutbox();
    const labels = await t.sql(`SELECT text, event_id FROM toy_labels_label WHERE widget_id = $1`, [id]);
    expect(labels).toEqual([{ text: 'LBL-w2', event_id: t.events[0].id }]);
    expect(labelSubscriber.calls).toBe(1);
  });

  test('a failed transaction leaves no row, no audit record and no event', async () => {
    t.events.length = 0;
    const counts = async () =>
      (await t.sql<{ w: string; a: string; o: string }>(
        `SELECT (SELECT count(*) FROM toy_catalog_widget) w, (SELECT count(*) FROM core_audit) a, (SELECT count(*) FROM core_outbox) o`,
      ))[0];
    const before = await counts();
    const res = await t.request({ method: 'POST', url: '/api/toy-catalog/widgets', payload: { name: 'doomed', kind: 'plain', failAfterInsert: true } });
    expect(res.statusCode).toBe(500);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(await counts()).toEqual(before);
    expect(t.events).toHaveLength(0);
    await t.drainOutbox();
    expect(labelSubscriber.calls).toBe(0);
  });

  test('a failing subscriber is retried and the event is never lost', async () => {
    labelSubscriber.failuresLeft = 2;
    const res = await t.request({ method: 'POST', url: '/api/toy-catalog/widgets', payload: { name: 'w3', kind: 'plain' } });
    const id = res.json().id;
    await t.drainOutbox(); // fails: printer offline
    const [pending] = await t.sql(`SELECT attempts, delivered_at, last_error FROM core_outbox_delivery WHERE subscriber = 'toy-labels:print-label' ORDER BY event_id DESC LIMIT 1`);
    expect(pending).toMatchObject({ attempts: 1, delivered_at: null, last_error: 'printer offline' });
    await t.drainOutbox(); // fails again
    await t.drainOutbox(); // succeeds
    expect(labelSubscriber.calls).toBe(3);
    expect(await t.sql(`SELECT text FROM toy_labels_label WHERE widget_id = $1`, [id])).toEqual([{ text: 'LBL-w3' }]);
    const [done] = await t.sql(`SELECT attempts, delivered_at IS NOT NULL AS delivered FROM core_outbox_delivery WHERE subscriber = 'toy-labels:print-label' ORDER BY event_id DESC LIMIT 1`);
    expect(done).toEqual({ attempts: 3, delivered: true });
  });

  test('a mutation writes its audit record in the same transaction', async () => {
    const res = await t.request({ method: 'POST', url: '/api/toy-catalog/widgets', payload: { name: 'w4', kind: 'plain' } });
    expect(res.statusCode).toBe(201);
    const audit = await t.request({ method: 'GET', url: `/api/core/audit?entityType=toy-catalog.widget&entityId=${res.json().id}` });
    expect(audit.json().data).toHaveLength(1);
    expect(audit.json().data[0]).toMatchObject({ action: 'created', pluginId: 'toy-catalog', actorLabel: 'admin@example.test', after: { name: 'w4' } });
  });

  test('permissions are checked per request; 401 and 403 are problem+json', async () => {
    const anon = await t.app.inject({ method: 'GET', url: '/api/toy-catalog/widgets' });
    expect(anon.statusCode).toBe(401);
    expect(anon.json().type).toBe('https://quartermaster.dev/problems/unauthenticated');

    const role = await t.request({ method: 'POST', url: '/api/core/roles', payload: { name: 'Widget viewer', permissions: ['toy-catalog.widgets.read'] } });
    expect(role.statusCode).toBe(201);
    const user = await t.request({
      method: 'POST',
      url: '/api/core/users',
      payload: { email: 'viewer@example.test', name: 'Viewer', password: 'viewer password 1', roleIds: [role.json().id] },
    });
    expect(user.statusCode).toBe(201);
    const viewer = await t.login('viewer@example.test', 'viewer password 1');
    const read = await t.app.inject({ method: 'GET', url: '/api/toy-catalog/widgets', headers: viewer.headers });
    expect(read.statusCode).toBe(200);
    const write = await t.app.inject({ method: 'POST', url: '/api/toy-catalog/widgets', headers: viewer.headers, payload: { name: 'nope', kind: 'plain' } });
    expect(write.statusCode).toBe(403);
    expect(write.headers['content-type']).toContain('application/problem+json');
    expect(write.json()).toMatchObject({ type: 'https://quartermaster.dev/problems/forbidden', permission: 'toy-catalog.widgets.write' });
    expect((await t.sql(`SELECT 1 FROM toy_catalog_widget WHERE name = 'nope'`)).length).toBe(0);
  });

  test('the platform endpoint lists enabled plugins and their permissions', async () => {
    const info = (await t.request({ method: 'GET', url: '/api/core/platform' })).json();
    expect(info.plugins.map((p: { id: string }) => p.id)).toEqual(['toy-catalog', 'toy-labels']);
    const perms = (await t.request({ method: 'GET', url: '/api/core/permissions' })).json();
    expect(perms).toEqual(expect.arrayContaining([{ id: 'toy-labels.labels.read', description: 'See labels', pluginId: 'toy-labels' }]));
  });
  test('a plugin option is honoured at run time', async () => {
    // maxWidgets: 5 — fill up; the sixth is refused and nothing beyond the limit is stored.
    for (let i = 0; i < 10; i++) {
      const res = await t.request({ method: 'POST', url: '/api/toy-catalog/widgets', payload: { name: `fill-${i}`, kind: 'plain' } });
      if (res.statusCode === 409) {
        expect(res.json().type).toBe('https://quartermaster.dev/problems/toy-catalog/full');
        break;
      }
      expect(res.statusCode).toBe(201);
    }
    expect(await t.sql(`SELECT count(*)::int AS n FROM toy_catalog_widget`)).toEqual([{ n: 5 }]);
  });
});

describe('a disabled plugin is absent', () => {
  test('its routes, its tables and its migrations are absent; disabling later never drops its tables', async () => {
    const db = await createTestDatabase();
    try {
      const only = await createTestPlatform({ plugins: [toyCatalog, toyLabels], enable: { 'toy-catalog': {} }, databaseUrl: db.url });
      try {
        expect(only.platform.plugins.map((p) => p.definition.id)).toEqual(['core', 'toy-catalog']);
        const names = await tables(only);
        expect(names).toContain('toy_catalog_widget');
        expect(names).not.toContain('toy_labels_label');
        expect(names).not.toContain('mig_toy_labels');
        const route = await only.request({ method: 'GET', url: '/api/toy-labels/labels' });
        expect(route.statusCode).toBe(404);
        expect(route.json().type).toBe('https://quartermaster.dev/problems/route-not-found');
        const spec = (await only.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
        expect(Object.keys(spec.paths).some((p) => p.startsWith('/api/toy-labels'))).toBe(false);
        const info = (await only.request({ method: 'GET', url: '/api/core/platform' })).json();
        expect(info.plugins.map((p: { id: string }) => p.id)).toEqual(['toy-catalog']);
      } finally {
        await only.close();
      }

      // Enable both on the same database: toy-labels migrates now.
      const both = await createTestPlatform({ plugins: [toyCatalog, toyLabels], databaseUrl: db.url, admin: false });
      expect(both.platform.migrations.find((m) => m.pluginId === 'toy-labels')!.applied).toEqual(['0001_labels']);
      expect(both.platform.migrations.find((m) => m.pluginId === 'toy-catalog')!.applied).toEqual([]);
      await both.close();

      // Disable it again: its tables stay.
      const again = await createTestPlatform({ plugins: [toyCatalog, toyLabels], enable: { 'toy-catalog': {} }, databaseUrl: db.url, admin: false });
      expect(await tables(again)).toEqual(expect.arrayContaining(['toy_labels_label', 'mig_toy_labels']));
      await again.close();
    } finally {
      await db.drop();
    }
  });
});

describe('boot errors', () => {
  const boot = (plugins: Parameters<typeof createTestPlatform>[0]) => createTestPlatform({ admin: false, ...plugins });

  test('a missing hard dependency fails the boot and names both plugins', async () => {
    const err = await boot({ plugins: [toyLabels] }).catch((e) => e);
    expect(err).toBeInstanceOf(PluginResolutionError);
    expect(err.problems).toEqual([expect.objectContaining({ code: 'missing-dependency', pluginId: 'toy-labels' })]);
    expect(err.message).toContain('toy-catalog');
  });

  test('a disabled hard dependency fails the boot', async () => {
    const err = await boot({ plugins: [toyCatalog, toyLabels], enable: { 'toy-labels': {} } }).catch((e) => e);
    expect(err.problems.map((p: { code: string }) => p.code)).toEqual(['disabled-dependency']);
  });

  test('invalid options of several plugins are reported at once', async () => {
    const err = await boot({ plugins: [toyCatalog, toyLabels], enable: { 'toy-catalog': { maxWidgets: 0, label: '' }, 'toy-labels': { prefix: 7 } } }).catch((e) => e);
    expect(err.problems.map((p: { pluginId: string; code: string }) => `${p.pluginId}:${p.code}`).sort()).toEqual([
      'toy-catalog:invalid-options',
      'toy-catalog:invalid-options',
      'toy-labels:invalid-options',
    ]);
  });

  test('extending a point whose owner is not a dependency is an error', async () => {
    const intruder = definePlugin({
      id: 'intruder',
      version: '1.0.0',
      compatibility: '^0.1.0',
      register(ctx) {
        ctx.extend(widgetKinds, { kind: 'sneaky', describe: (n) => n });
      },
    });
    const err = await boot({ plugins: [toyCatalog, intruder] }).catch((e) => e);
    expect(err.message).toContain('Plugin "intruder" extends "toy-catalog.widgetKinds" owned by "toy-catalog", which is not one of its dependencies');
  });

  test('the core owns points anyone may extend', async () => {
    const parser = definePlugin({
      id: 'upper-parser',
      version: '1.0.0',
      compatibility: '^0.1.0',
      register(ctx) {
        ctx.extend(identifierParsers, { id: 'upper', parse: (raw) => (raw.startsWith('sku:') ? [{ type: 'sku', value: raw.slice(4).toUpperCase() }] : []) });
      },
    });
    const t = await createTestPlatform({ plugins: [parser] });
    try {
      await t.request({ method: 'POST', url: '/api/core/items', payload: { name: 'Thing', identifiers: [{ type: 'sku', value: 'ABC-1' }] } });
      const res = await t.request({ method: 'GET', url: '/api/core/identifiers/resolve?value=sku:abc-1' });
      expect(res.json().interpretations).toEqual([{ type: 'sku', value: 'ABC-1' }]);
      expect(res.json().matches.map((m: { target: { label: string } }) => m.target.label)).toEqual(['Thing']);
    } finally {
      await t.close();
    }
  });

  test('a route naming an undeclared permission fails the boot', async () => {
    const sloppy = definePlugin({
      id: 'sloppy',
      version: '1.0.0',
      compatibility: '^0.1.0',
      permissions: [{ id: 'sloppy.things.read', description: 'x' }],
      routes(app) {
        app.get('/things', { config: { permission: 'sloppy.things.delete' } }, async () => []);
      },
    });
    const err = await boot({ plugins: [sloppy] }).catch((e) => e);
    expect(err.message).toContain('Route sloppy: GET /api/sloppy/things needs permission "sloppy.things.delete", which no enabled plugin declares');
  });

  test('a route that states no permission fails the boot', async () => {
    const open = definePlugin({
      id: 'open',
      version: '1.0.0',
      compatibility: '^0.1.0',
      routes(app) {
        app.get('/things', async () => []);
      },
    });
    const err = await boot({ plugins: [open] }).catch((e) => e);
    expect(err.message).toContain('Route open: GET /api/open/things declares no permission');
  });

  test('extending after phase 1 is refused', async () => {
    const point = createExtensionPoint<string>('late.things');
    let saved: ((v: string) => void) | null = null;
    const late = definePlugin({
      id: 'late',
      version: '1.0.0',
      compatibility: '^0.1.0',
      extensionPoints: [point],
      register(ctx) {
        saved = (v) => ctx.extend(point, v);
      },
      onReady() {
        saved!('too late');
      },
    });
    const err = await boot({ plugins: [late] }).catch((e) => e);
    expect(err.message).toContain('after phase 1');
  });

  test('an asynchronous register() is refused: phase 1 does no I/O', async () => {
    const eager = definePlugin({
      id: 'eager',
      version: '1.0.0',
      compatibility: '^0.1.0',
      register: (async () => {
        await Promise.resolve();
      }) as never,
    });
    const err = await boot({ plugins: [eager] }).catch((e) => e);
    expect(err.message).toContain('Plugin "eager": register() must be synchronous');
  });

  test('an event emitted without being declared is refused and rolls back', async () => {
    const undeclared = definePlugin({
      id: 'undeclared',
      version: '1.0.0',
      compatibility: '^0.1.0',
      permissions: [{ id: 'undeclared.x.write', description: 'x' }],
      routes(app, ctx) {
        app.post('/x', { config: { permission: 'undeclared.x.write' } }, async (req) =>
          ctx.transaction(req.actor, async (tx) => {
            await tx.audit({ action: 'x', entityType: 'undeclared.x', entityId: '1' });
            await tx.emit({ kind: 'event', name: 'undeclared.x.happened', schema: Type.Object({}) }, {});
          }),
        );
      },
    });
    const t = await createTestPlatform({ plugins: [undeclared] });
    try {
      const res = await t.request({ method: 'POST', url: '/api/undeclared/x' });
      expect(res.statusCode).toBe(500);
      expect(await t.sql(`SELECT * FROM core_audit WHERE entity_type = 'undeclared.x'`)).toHaveLength(0);
    } finally {
      await t.close();
    }
  });
});
