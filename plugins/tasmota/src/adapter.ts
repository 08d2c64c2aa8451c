/**
 * Tasmota (https://tasmota.github.io) is open firmware on many Wi-Fi plugs, energy meters and
 * sensor boards. Every TelePeriod it publishes a SENSOR message such as
 *
 *   tele/<topic>/SENSOR  {"Time":"2024-03-01T10:15:00","ENERGY":{"Total":12.345,"Power":100,…},"DS18B20":{"Temperature":21.5},"TempUnit":"C"}
 *
 * Point the device at Quartermaster by setting its FullTopic to `quartermaster/devices/%topic%/%prefix%/`
 * and its Topic to the device's code; it then publishes under the device's own topic and this
 * adapter turns each numeric value into a measurement reading on a channel named by its path
 * (`ENERGY.Total`, `DS18B20.Temperature`). STATE and LWT messages are heartbeats.
 *
 * Written only against `@quartermaster/sdk`, as any third-party adapter would be.
 */
import { DeviceDecodeError, Type, defineDeviceAdapter, type DeviceHealth, type MeasurementReading, type Static } from '@quartermaster/sdk';

export const TasmotaSettings = Type.Object(
  {
    /** Only these channels become readings (default: every numeric value). */
    channels: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { maxItems: 100 })),
    /**
     * Tasmota's `Time` is the device's local time without an offset. Set true only when the device
     * keeps UTC (`Timezone 0`); otherwise the time of receipt is used.
     */
    deviceTimeIsUtc: Type.Optional(Type.Boolean()),
    /** The device's TelePeriod in seconds (Tasmota's default is 300): health is judged against it. */
    telePeriodSeconds: Type.Optional(Type.Integer({ minimum: 10, maximum: 3600 })),
  },
  { additionalProperties: false },
);
export type TasmotaSettings = Static<typeof TasmotaSettings>;

/** Units of the values Tasmota reports under fixed names (Tasmota docs, "Power Monitoring" and "Sensors"). */
const UNITS: Record<string, string> = {
  Total: 'kWh',
  Yesterday: 'kWh',
  Today: 'kWh',
  Period: 'Wh',
  Power: 'W',
  ApparentPower: 'VA',
  ReactivePower: 'var',
  Voltage: 'V',
  Current: 'A',
  Humidity: '%',
  Pressure: 'hPa',
  Illuminance: 'lx',
  CarbonDioxide: 'ppm',
};

/** Paths of every numeric leaf, e.g. ENERGY.Total → 12.345. Arrays (three-phase meters) get [i]. */
function numericLeaves(value: unknown, path: string, out: [string, number, string][]) {
  if (typeof value === 'number' && Number.isFinite(value)) {
    const leaf = path.replace(/\[\d+\]$/, '').split('.').pop() ?? path;
    out.push([path, value, UNITS[leaf] ?? '']);
  } else if (Array.isArray(value)) value.forEach((v, i) => numericLeaves(v, `${path}[${i}]`, out));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) numericLeaves(v, path ? `${path}.${k}` : k, out);
}

/** A decimal string for a JSON number, without the float noise of String(0.1 + 0.2) beyond what was sent. */
function decimalText(n: number): string {
  const s = String(n);
  if (!/e/i.test(s)) return s;
  return n.toFixed(12).replace(/\.?0+$/, '');
}

export const tasmotaAdapter = defineDeviceAdapter({
  id: 'tasmota',
  label: 'Tasmota (MQTT)',
  kinds: ['sensor'],
  transports: ['mqtt'],
  description: 'Tasmota energy meters and sensors: set FullTopic to quartermaster/devices/%topic%/%prefix%/ and Topic to the device code. SENSOR messages become measurements per value (ENERGY.Total, DS18B20.Temperature…).',
  settingsSchema: TasmotaSettings,
  decode(payload, device) {
    const settings = device.settings as TasmotaSettings;
    const kind = payload.topic?.split('/').pop()?.toUpperCase() ?? '';
    // STATE, LWT, RESULT, INFO…: the device is alive, nothing to measure.
    if (kind !== 'SENSOR') return [];
    const body = payload.body;
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw new DeviceDecodeError('a SENSOR message is a JSON object', '(body)');
    const msg = body as Record<string, unknown>;
    let at = payload.receivedAt;
    if (settings.deviceTimeIsUtc && typeof msg.Time === 'string') {
      if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/.test(msg.Time)) throw new DeviceDecodeError('must be YYYY-MM-DDThh:mm:ss', 'Time');
      at = new Date(msg.Time + 'Z').toISOString();
    }
    const tempUnit = msg.TempUnit === 'F' ? '°F' : '°C';
    const leaves: [string, number, string][] = [];
    for (const [k, v] of Object.entries(msg)) if (k !== 'Time' && k !== 'TempUnit' && k !== 'PressureUnit') numericLeaves(v, k, leaves);
    const wanted = settings.channels ? new Set(settings.channels) : null;
    return leaves
      .filter(([channel]) => !wanted || wanted.has(channel))
      .map(([channel, value, unit]): MeasurementReading => ({
        kind: 'measurement',
        at,
        channel,
        value: decimalText(value),
        ...(channel.endsWith('Temperature') || channel.endsWith('DewPoint') ? { unit: tempUnit } : unit ? { unit } : {}),
      }));
  },
  health({ device, lastSeenAt, now }): DeviceHealth {
    if (!lastSeenAt) return { state: 'never-seen' };
    const period = (device.settings as TasmotaSettings).telePeriodSeconds ?? 300;
    const age = (Date.parse(now) - Date.parse(lastSeenAt)) / 1000;
    // One missed TelePeriod is normal jitter; several mean the device is off the network.
    if (age <= period * 2) return { state: 'ok' };
    if (age <= period * 6) return { state: 'stale', detail: `no message for ${Math.round(age / period)} TelePeriods` };
    return { state: 'silent', detail: `no message for ${Math.round(age / 60)} min` };
  },
});
