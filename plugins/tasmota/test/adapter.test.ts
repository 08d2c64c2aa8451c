import { describe, expect, it } from 'vitest';
import { DeviceDecodeError, type DeviceInfo, type DevicePayload } from '@quartermaster/sdk';
import { tasmotaAdapter } from '../src/adapter.js';

/**
 * Payloads as Tasmota publishes them. The SENSOR examples follow the Tasmota documentation:
 * "Power Monitoring" (ENERGY object of a Sonoff POW R2 / Athom plug) and "DS18x20 temperature
 * sensor" (DS18B20 object with Id and Temperature, TempUnit at the top level).
 */
const device = (settings: Record<string, unknown> = {}): DeviceInfo => ({
  id: '7d1d6a36-2f7a-4c1e-9a55-000000000001',
  code: 'compressor-plug',
  name: 'Compressor plug',
  kind: 'sensor',
  adapter: 'tasmota',
  model: 'Athom PG01',
  locationId: null,
  settings,
});
const RECEIVED = '2026-11-24T09:30:00.000Z';
const msg = (topicTail: string, body: unknown): DevicePayload => ({
  transport: 'mqtt',
  topic: `quartermaster/devices/compressor-plug/tele/${topicTail}`,
  body,
  text: JSON.stringify(body),
  receivedAt: RECEIVED,
});

const POW = {
  Time: '2026-11-24T10:30:00',
  ENERGY: { TotalStartTime: '2026-01-05T08:11:42', Total: 1234.567, Yesterday: 3.21, Today: 1.05, Period: 12, Power: 742, ApparentPower: 790, ReactivePower: 271, Factor: 0.94, Voltage: 231, Current: 3.42 },
};

describe('tasmota adapter', () => {
  it('an energy meter SENSOR message becomes one measurement per value, with units', () => {
    const readings = tasmotaAdapter.decode(msg('SENSOR', POW), device());
    expect(readings.map((r) => r.kind === 'measurement' && [r.channel, r.value, r.unit ?? null])).toEqual([
      ['ENERGY.Total', '1234.567', 'kWh'],
      ['ENERGY.Yesterday', '3.21', 'kWh'],
      ['ENERGY.Today', '1.05', 'kWh'],
      ['ENERGY.Period', '12', 'Wh'],
      ['ENERGY.Power', '742', 'W'],
      ['ENERGY.ApparentPower', '790', 'VA'],
      ['ENERGY.ReactivePower', '271', 'var'],
      ['ENERGY.Factor', '0.94', null],
      ['ENERGY.Voltage', '231', 'V'],
      ['ENERGY.Current', '3.42', 'A'],
    ]);
    // Tasmota's Time is local time without an offset: by default the time of receipt counts.
    expect(readings.every((r) => r.at === RECEIVED)).toBe(true);
  });

  it('a temperature sensor in Fahrenheit carries °F; the sensor Id (text) is not a reading', () => {
    const readings = tasmotaAdapter.decode(msg('SENSOR', { Time: '2026-11-24T10:30:00', DS18B20: { Id: '01144A0CB2AA', Temperature: 70.3 }, TempUnit: 'F' }), device());
    expect(readings).toEqual([{ kind: 'measurement', at: RECEIVED, channel: 'DS18B20.Temperature', value: '70.3', unit: '°F' }]);
  });

  it('three-phase values are numbered channels', () => {
    const readings = tasmotaAdapter.decode(msg('SENSOR', { ENERGY: { Voltage: [230.1, 229.8, 231.0] } }), device());
    expect(readings.map((r) => r.kind === 'measurement' && `${r.channel}=${r.value}${r.unit}`)).toEqual(['ENERGY.Voltage[0]=230.1V', 'ENERGY.Voltage[1]=229.8V', 'ENERGY.Voltage[2]=231V']);
  });

  it('only the configured channels are kept', () => {
    const readings = tasmotaAdapter.decode(msg('SENSOR', POW), device({ channels: ['ENERGY.Total'] }));
    expect(readings.map((r) => r.kind === 'measurement' && r.channel)).toEqual(['ENERGY.Total']);
  });

  it('with deviceTimeIsUtc the device time is used', () => {
    const [r] = tasmotaAdapter.decode(msg('SENSOR', POW), device({ deviceTimeIsUtc: true, channels: ['ENERGY.Total'] }));
    expect(r.at).toBe('2026-11-24T10:30:00.000Z');
    expect(() => tasmotaAdapter.decode(msg('SENSOR', { ...POW, Time: '24.11.2026 10:30' }), device({ deviceTimeIsUtc: true }))).toThrow(DeviceDecodeError);
  });

  it('STATE and LWT messages are heartbeats without readings', () => {
    expect(tasmotaAdapter.decode(msg('STATE', { Time: '2026-11-24T10:30:00', Uptime: '0T01:00:00', POWER: 'ON' }), device())).toEqual([]);
    expect(tasmotaAdapter.decode({ ...msg('LWT', 'Online'), body: 'Online', text: 'Online' }, device())).toEqual([]);
  });

  it('a SENSOR message that is not a JSON object is refused with the reason', () => {
    expect(() => tasmotaAdapter.decode({ ...msg('SENSOR', 'garbage'), body: 'garbage' }, device())).toThrow('a SENSOR message is a JSON object');
  });

  it('health is judged against the TelePeriod', () => {
    const at = (secondsAgo: number) => new Date(Date.parse(RECEIVED) - secondsAgo * 1000).toISOString();
    const h = (secondsAgo: number | null, settings = {}) => tasmotaAdapter.health!({ device: device(settings), lastSeenAt: secondsAgo === null ? null : at(secondsAgo), now: RECEIVED }).state;
    expect([h(null), h(500), h(700), h(1900)]).toEqual(['never-seen', 'ok', 'stale', 'silent']);
    expect(h(100, { telePeriodSeconds: 30 })).toBe('stale');
  });
});
