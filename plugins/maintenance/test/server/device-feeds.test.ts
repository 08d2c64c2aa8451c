import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceIngestion } from '@quartermaster/sdk';
import { expectProblem, type TestPlatform } from '@quartermaster/testing';
import { MT, asset, bootMaintenance, caller } from './fixtures.js';

/**
 * A sensor's channel feeds a measurement point: readings sent by the device through the core's
 * ingestion are recorded on the point with the usual checks (backwards readings rejected, twice
 * delivered once), and a meter plan falls due from them.
 */
describe('measurement points fed by devices', () => {
  let t: TestPlatform;
  let call: ReturnType<typeof caller>;
  let assetId: string;
  let sensor: { id: string; key: string };

  const send = async (readings: unknown[]) => {
    const res = await t.app.inject({ method: 'POST', url: '/api/core/devices/ingest', headers: { authorization: `Device ${sensor.key}` }, payload: readings as never });
    expect(res.statusCode, res.body).toBe(202);
    await t.platform.context('core').services.get(deviceIngestion).idle();
  };
  const hoursAgo = (h: number) => new Date(Date.now() - h * 3600_000).toISOString();

  beforeAll(async () => {
    t = await bootMaintenance();
    call = caller(t);
    assetId = (await asset(t, { name: 'Air compressor' })).id;
    const created = await call({ method: 'POST', url: '/api/core/devices', payload: { code: 'compressor-counter', name: 'Run-hours counter', kind: 'sensor' } }, 201);
    sensor = { id: created.device.id, key: created.key };
  });
  afterAll(async () => {
    await t?.close();
  });

  it('a point names its device channel; a channel feeds one point only', async () => {
    const point = await call({ method: 'POST', url: `${MT}/assets/${assetId}/points`, payload: { code: 'hours', name: 'Run hours', kind: 'meter', unit: 'h', deviceFeed: { deviceId: sensor.id, channel: 'hours' } } }, 201);
    expect(point.deviceFeed).toEqual({ deviceId: sensor.id, deviceCode: 'compressor-counter', channel: 'hours' });
    const other = await call({ method: 'POST', url: `${MT}/assets/${assetId}/points`, payload: { code: 'temp', name: 'Oil temperature', kind: 'gauge', unit: '°C' } }, 201);
    expect(other.deviceFeed).toBeNull();
    const taken = await t.request({ method: 'PATCH', url: `${MT}/assets/${assetId}/points/temp`, payload: { deviceFeed: { deviceId: sensor.id, channel: 'hours' } } });
    expectProblem(taken, 409, 'maintenance/device-feed-taken');
    const fed = await call({ method: 'PATCH', url: `${MT}/assets/${assetId}/points/temp`, payload: { deviceFeed: { deviceId: sensor.id, channel: 'oil_temp' } } }, 200);
    expect(fed.deviceFeed.channel).toBe('oil_temp');
  });

  it("the device's readings are recorded on the points with their checks; other channels are ignored", async () => {
    await send([
      { channel: 'hours', value: '1200.5', at: hoursAgo(3) },
      { channel: 'oil_temp', value: '71.2', at: hoursAgo(3) },
      { channel: 'hours', value: '1202', at: hoursAgo(1) },
      { channel: 'rssi', value: '-61', at: hoursAgo(1) },
      // Older than the last reading and lower: a meter never runs backwards.
      { channel: 'hours', value: '1100', at: hoursAgo(0.5) },
    ]);
    const readings = (await call({ method: 'GET', url: `${MT}/assets/${assetId}/points/hours/readings?limit=50` }, 200)).data;
    expect(readings.map((r: { value: string; status: string; source: string }) => [r.value, r.status, r.source]).sort()).toEqual([
      ['1100', 'rejected', 'device:compressor-counter'],
      ['1200.5', 'accepted', 'device:compressor-counter'],
      ['1202', 'accepted', 'device:compressor-counter'],
    ]);
    const hours = await call({ method: 'GET', url: `${MT}/assets/${assetId}/points/hours` }, 200);
    expect(hours).toMatchObject({ lastValue: '1202', total: '1.5' });
    const temp = await call({ method: 'GET', url: `${MT}/assets/${assetId}/points/temp` }, 200);
    expect(temp.lastValue).toBe('71.2');
    // The readings are the maintenance plugin's, in the queue's transaction.
    const events = t.events.filter((e) => e.name === 'maintenance.reading.recorded');
    expect(events.length).toBe(4);
    expect(new Set(events.map((e) => e.source))).toEqual(new Set(['maintenance']));
  });

  it('a meter plan falls due from device readings', async () => {
    const plan = await call({ method: 'POST', url: `${MT}/plans`, payload: { code: 'PM-COMP-250H', name: 'Compressor service every 250 h', assetId, triggerKind: 'meter', triggerConfig: { meter: 'hours', every: 250, mode: 'fixed' } } }, 201);
    // The total so far is 1.5 h; 1460 brings it to 259.5 h, past the first 250.
    await send([{ channel: 'hours', value: '1460', at: hoursAgo(0.1) }]);
    const orders = await t.sql<{ due_key: string }>(`SELECT due_key FROM maintenance_work_order WHERE plan_id = $1`, [plan.id]);
    expect(orders.map((o) => o.due_key)).toEqual(['meter:250']);
  });
});
