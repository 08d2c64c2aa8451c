import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '@quartermaster/testing';
import { SYSTEM_ACTOR } from '../../src/index.js';
import {
  ProblemError,
  Type,
  defineDeviceAdapter,
  definePlugin,
  deviceAdapters,
  deviceIngestion,
  deviceRegistry,
  type DeviceRegistration,
  type PluginContext,
} from '@quartermaster/sdk';
import { PROBLEM, expectProblem } from './helpers.js';

/**
 * The `deviceRegistry` service: a plugin registering devices from server code (a demo, an
 * installer) goes through the very implementation of `POST /api/core/devices` — the same checks and
 * problems, the same audit record and event — inside the plugin's own transaction.
 */

/** A third-party adapter with a settings schema, so bad settings can be sent. */
const gaugeAdapter = defineDeviceAdapter({
  id: 'toy-gauge',
  label: 'Toy pressure gauge',
  kinds: ['sensor'],
  transports: ['http'],
  settingsSchema: Type.Object({ unit: Type.Union([Type.Literal('bar'), Type.Literal('psi')]), channels: Type.Optional(Type.Integer({ minimum: 1, maximum: 8 })) }, { additionalProperties: false }),
  decode: (payload) => [{ kind: 'measurement', at: payload.receivedAt, channel: 'pressure', value: payload.text.trim() }],
});

/** A provisioning plugin: sets its gauges up from server code, not through the HTTP API. */
const provisioningPlugin = definePlugin({
  id: 'toy-provisioning',
  version: '0.1.0',
  compatibility: '*',
  register(ctx) {
    ctx.extend(deviceAdapters, gaugeAdapter);
  },
});

const ACTOR = { ...SYSTEM_ACTOR, label: 'provisioning' };

describe('the deviceRegistry service', () => {
  let t: TestPlatform;
  let ctx: PluginContext;
  let siteId: string;
  const registry = () => ctx.services.get(deviceRegistry);
  /** Register in the plugin's own transaction; answers the problem thrown, if any. */
  const register = (input: DeviceRegistration) => ctx.transaction(ACTOR, (tx) => registry().register(tx, input));
  const problemOf = async (input: DeviceRegistration): Promise<ProblemError> => {
    const err = await register(input).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ProblemError);
    return err as ProblemError;
  };
  const gauge = (code: string, extra: Partial<DeviceRegistration> = {}): DeviceRegistration => ({ code, name: `Gauge ${code}`, kind: 'sensor', adapter: 'toy-gauge', settings: { unit: 'bar' }, ...extra });
  const deviceCount = async () => Number((await t.sql<{ n: string }>(`SELECT count(*) AS n FROM core_device`))[0].n);

  beforeAll(async () => {
    t = await createTestPlatform({ plugins: [provisioningPlugin] });
    ctx = t.platform.context('toy-provisioning') as PluginContext;
    siteId = (await t.request({ method: 'POST', url: '/api/core/locations', payload: { name: 'Compressor room', type: 'room' } })).json().id;
  });
  afterAll(() => t?.close());

  it('checks settings against the adapter schema exactly as the route does, and writes nothing when they do not fit', async () => {
    const bad = gauge('gauge-bad', { settings: { unit: 'kPa', channels: 12 } });
    const before = await deviceCount();
    const events = t.events.length;
    const problem = await problemOf(bad);
    expect({ status: problem.status, type: problem.type }).toEqual({ status: 400, type: `${PROBLEM}validation` });
    const fields = (problem.extensions.errors as { field: string }[]).map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['settings.unit', 'settings.channels']));
    // The route answers the same errors for the same body: one implementation.
    const viaRoute = expectProblem(await t.request({ method: 'POST', url: '/api/core/devices', payload: bad }), 400, 'validation');
    expect(viaRoute.errors).toEqual(problem.extensions.errors);
    expect(await deviceCount()).toBe(before);
    expect(t.events.length).toBe(events);
  });

  it('refuses what the route refuses: unknown adapter, wrong kind, bad code, blank name, missing location, unknown members', async () => {
    const fieldsOf = async (input: DeviceRegistration) => {
      const p = await problemOf(input);
      expect(p.status).toBe(400);
      return (p.extensions.errors as { field: string }[]).map((e) => e.field);
    };
    expect(await fieldsOf(gauge('g-1', { adapter: 'acme-nothing' }))).toEqual(['adapter']);
    expect(await fieldsOf(gauge('g-2', { kind: 'gps-tracker' }))).toEqual(['adapter']);
    expect(await fieldsOf(gauge('no spaces allowed'))).toEqual(['code']);
    expect(await fieldsOf(gauge('g-3', { name: '   ' }))).toEqual(['name']);
    expect(await fieldsOf(gauge('g-4', { locationId: '00000000-0000-4000-8000-000000000000' }))).toEqual(['locationId']);
    expect(await fieldsOf({ ...gauge('g-5'), colour: 'red' } as DeviceRegistration)).toEqual(['colour']);
    expect(await fieldsOf(gauge('g-6', { kind: 'toaster' as never }))).toEqual(['kind']);
    expect(await deviceCount()).toBe(0);
  });

  it('registers inside the caller transaction: listed by GET /devices, audited and announced by the core, its key works once answered', async () => {
    const from = t.events.length;
    const { device, key } = await register(gauge('GAUGE-01', { name: 'Receiver pressure', model: 'WIKA A-10', locationId: siteId, settings: { unit: 'bar', channels: 2 } }));
    expect(device).toEqual({
      id: expect.any(String),
      code: 'GAUGE-01',
      name: 'Receiver pressure',
      kind: 'sensor',
      adapter: 'toy-gauge',
      model: 'WIKA A-10',
      locationId: siteId,
      settings: { unit: 'bar', channels: 2 },
      status: 'active',
    });
    expect(key).toMatch(/^qmd_/);

    const listed = (await t.request({ method: 'GET', url: '/api/core/devices?kind=sensor' })).json();
    expect(listed.data).toEqual([
      expect.objectContaining({ id: device.id, code: 'GAUGE-01', adapter: 'toy-gauge', adapterLabel: 'Toy pressure gauge', locationName: 'Compressor room', keyHint: key.slice(0, 10), status: 'active' }),
    ]);
    expect(t.events.slice(from).map((e) => [e.name, e.payload])).toEqual([['core.device.registered', { id: device.id, code: 'GAUGE-01', kind: 'sensor', adapter: 'toy-gauge' }]]);
    const audit = await t.sql<{ plugin_id: string; actor_label: string; action: string }>(`SELECT plugin_id, actor_label, action FROM core_audit WHERE entity_type = 'core.device' AND entity_id = $1`, [device.id]);
    expect(audit).toEqual([{ plugin_id: 'core', actor_label: 'provisioning', action: 'created' }]);
    // Only the hash is kept, and the key authenticates the device's readings.
    expect((await t.sql(`SELECT 1 FROM core_device WHERE key_hash = $1`, [key])).length).toBe(0);
    const res = await t.app.inject({ method: 'POST', url: '/api/core/devices/ingest', headers: { authorization: `Device ${key}`, 'content-type': 'text/plain' }, payload: '6.4' });
    expect(res.statusCode, res.body).toBe(202);
    await t.platform.context('core').services.get(deviceIngestion).idle();
    expect((await t.request({ method: 'GET', url: `/api/core/devices/${device.id}` })).json().readingsCount).toBe(1);
  });

  it('looks devices up by code (case-insensitive), also inside the transaction that registers them, so a seed can be idempotent', async () => {
    expect(await registry().byCode('gauge-01')).toMatchObject({ code: 'GAUGE-01', adapter: 'toy-gauge', status: 'active' });
    expect(await registry().byCode('GAUGE-99')).toBeNull();
    const seen = await ctx.transaction(ACTOR, async (tx) => {
      const first = await registry().byCode('GAUGE-02', tx);
      await registry().register(tx, gauge('GAUGE-02'));
      return { first, then: await registry().byCode('gauge-02', tx) };
    });
    expect(seen.first).toBeNull();
    expect(seen.then).toMatchObject({ code: 'GAUGE-02' });
    expect(await registry().byCode('GAUGE-02')).toMatchObject({ code: 'GAUGE-02' });
  });

  it('a code taken is 409, and it rolls back the caller transaction with everything it did', async () => {
    const before = await deviceCount();
    const err = await ctx
      .transaction(ACTOR, async (tx) => {
        await registry().register(tx, gauge('GAUGE-03'));
        await registry().register(tx, gauge('gauge-01'));
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProblemError);
    expect({ status: (err as ProblemError).status, type: (err as ProblemError).type }).toEqual({ status: 409, type: `${PROBLEM}device-code-taken` });
    expect(await deviceCount()).toBe(before);
    expect(await registry().byCode('GAUGE-03')).toBeNull();
  });
});
