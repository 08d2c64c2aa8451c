import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mqtt from 'mqtt';
import { createTestPlatform, type TestPlatform } from '@quartermaster/testing';
import { deviceIngestion } from '@quartermaster/sdk';
import { tasmotaPlugin } from '../src/server.js';

/** The plugin on the real platform: a Tasmota plug publishes over MQTT and its readings are stored. */
describe('tasmota plugin on the platform', () => {
  let t: TestPlatform;
  beforeAll(async () => {
    t = await createTestPlatform({ plugins: [tasmotaPlugin], coreOptions: { devices: { mqtt: { mode: 'embedded', port: 0 } } } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('offers its adapter and checks its settings', async () => {
    const adapters = (await t.request({ method: 'GET', url: '/api/core/device-adapters' })).json();
    expect(adapters.find((a: { id: string }) => a.id === 'tasmota')).toMatchObject({ kinds: ['sensor'], transports: ['mqtt'] });
    const bad = await t.request({ method: 'POST', url: '/api/core/devices', payload: { code: 'plug-x', name: 'x', kind: 'sensor', adapter: 'tasmota', settings: { telePeriodSeconds: 1 } } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('settings.telePeriodSeconds');
  });

  it('SENSOR messages published with FullTopic quartermaster/devices/%topic%/%prefix%/ become stored measurements', async () => {
    const res = await t.request({ method: 'POST', url: '/api/core/devices', payload: { code: 'compressor-plug', name: 'Compressor plug', kind: 'sensor', adapter: 'tasmota', settings: { channels: ['ENERGY.Total', 'ENERGY.Power'] } } });
    expect(res.statusCode, res.body).toBe(201);
    const { device, key } = res.json();
    const { url } = (await t.request({ method: 'GET', url: '/api/core/device-ingestion' })).json().mqtt;
    const client = await mqtt.connectAsync(url, { username: 'compressor-plug', password: key, reconnectPeriod: 0 });
    await client.publishAsync('quartermaster/devices/compressor-plug/tele/STATE', JSON.stringify({ POWER: 'ON' }), { qos: 1 });
    await client.publishAsync('quartermaster/devices/compressor-plug/tele/SENSOR', JSON.stringify({ Time: '2026-11-24T10:30:00', ENERGY: { Total: 1234.567, Power: 742, Voltage: 231 } }), { qos: 1 });
    await client.endAsync();
    const until = Date.now() + 10_000;
    let readings: { data: { reading: { channel: string; value: string; unit: string }; transport: string }[] };
    do {
      await t.platform.context('core').services.get(deviceIngestion).idle();
      readings = (await t.request({ method: 'GET', url: `/api/core/devices/${device.id}/readings` })).json();
    } while (readings.data.length < 2 && Date.now() < until && (await new Promise((r) => setTimeout(r, 50)), true));
    expect(readings.data.map((r) => [r.reading.channel, r.reading.value, r.reading.unit, r.transport]).sort()).toEqual([
      ['ENERGY.Power', '742', 'W', 'mqtt'],
      ['ENERGY.Total', '1234.567', 'kWh', 'mqtt'],
    ]);
    const detail = (await t.request({ method: 'GET', url: `/api/core/devices/${device.id}` })).json();
    expect(detail.health.state).toBe('ok');
  });
});
