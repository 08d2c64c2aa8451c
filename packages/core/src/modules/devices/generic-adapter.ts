/**
 * `generic-json`: the adapter every installation has. Devices (or a gateway script) send readings
 * in Quartermaster's own JSON shape — one object, an array, or `{ "readings": [...] }` — over HTTP
 * or MQTT. `kind` may be left out: it follows from the device's kind. A scanner may also send
 * plain text, one scan per line.
 */
import { DEVICE_KINDS, DeviceDecodeError, defineDeviceAdapter, type DeviceInfo, type DeviceReading } from '@quartermaster/sdk';

const KIND_OF_DEVICE: Record<DeviceInfo['kind'], DeviceReading['kind'] | null> = {
  scanner: 'scan',
  'rfid-reader': 'tag-read',
  'gps-tracker': 'position',
  sensor: 'measurement',
  printer: null,
};

/** An instant as ISO 8601 UTC from an ISO string or epoch seconds/milliseconds; `fallback` when absent. */
export function instantOf(value: unknown, field: string, fallback: string): string {
  if (value === undefined || value === null || value === '') return fallback;
  let ms: number;
  if (typeof value === 'number') ms = value < 1e11 ? value * 1000 : value;
  else if (typeof value === 'string' && /^\d+(\.\d+)?$/.test(value)) {
    const n = Number(value);
    ms = n < 1e11 ? n * 1000 : n;
  } else if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value) && /(Z|[+-]\d{2}:?\d{2})$/.test(value)) ms = Date.parse(value);
  else throw new DeviceDecodeError('must be an ISO 8601 instant with a time zone, or epoch seconds or milliseconds', field);
  if (!Number.isFinite(ms)) throw new DeviceDecodeError('is not a valid instant', field);
  return new Date(ms).toISOString();
}

function num(v: unknown, field: string, { min, max, optional }: { min?: number; max?: number; optional?: boolean } = {}): number | null {
  if (v === undefined || v === null || v === '') {
    if (optional) return null;
    throw new DeviceDecodeError('is required', field);
  }
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  if (!Number.isFinite(n)) throw new DeviceDecodeError('must be a number', field);
  if ((min !== undefined && n < min) || (max !== undefined && n > max)) throw new DeviceDecodeError(`must be between ${min} and ${max}`, field);
  return n;
}

function str(v: unknown, field: string, max = 2000): string {
  if (typeof v !== 'string' || v === '') throw new DeviceDecodeError('must be a non-empty string', field);
  if (v.length > max) throw new DeviceDecodeError(`must be at most ${max} characters`, field);
  return v;
}

function readingOf(o: unknown, path: string, device: DeviceInfo, receivedAt: string): DeviceReading {
  if (!o || typeof o !== 'object' || Array.isArray(o)) throw new DeviceDecodeError('must be an object', path || '(root)');
  const r = o as Record<string, unknown>;
  const f = (name: string) => (path ? `${path}.${name}` : name);
  const kind = (r.kind ?? KIND_OF_DEVICE[device.kind]) as DeviceReading['kind'] | null;
  const at = instantOf(r.at ?? r.timestamp, f('at'), receivedAt);
  switch (kind) {
    case 'scan':
      return { kind, at, data: str(r.data, f('data')), ...(typeof r.symbology === 'string' ? { symbology: r.symbology } : {}) };
    case 'tag-read': {
      const epc = str(r.epc, f('epc'), 124).replace(/\s+/g, '').toUpperCase();
      if (!/^[0-9A-F]+$/.test(epc) || epc.length % 4 !== 0) throw new DeviceDecodeError('must be the EPC in hexadecimal (whole 16-bit words)', f('epc'));
      return { kind, at, epc, antenna: num(r.antenna, f('antenna'), { min: 0, max: 65535, optional: true }), rssi: num(r.rssi, f('rssi'), { min: -200, max: 50, optional: true }) };
    }
    case 'position':
      return {
        kind,
        at,
        latitude: num(r.latitude ?? r.lat, f('latitude'), { min: -90, max: 90 })!,
        longitude: num(r.longitude ?? r.lon ?? r.lng, f('longitude'), { min: -180, max: 180 })!,
        valid: r.valid === undefined ? true : r.valid === true || r.valid === 'true',
        speedKnots: num(r.speedKnots, f('speedKnots'), { min: 0, optional: true }),
        courseDeg: num(r.courseDeg, f('courseDeg'), { min: 0, max: 360, optional: true }),
        altitudeM: num(r.altitudeM, f('altitudeM'), { optional: true }),
        accuracyM: num(r.accuracyM, f('accuracyM'), { min: 0, optional: true }),
        battery: num(r.battery, f('battery'), { min: 0, max: 100, optional: true }),
      };
    case 'measurement': {
      const raw = r.value;
      const value = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : '';
      if (!/^-?\d+(\.\d+)?$/.test(value)) throw new DeviceDecodeError('must be a decimal number', f('value'));
      return { kind, at, channel: str(r.channel, f('channel'), 100), value, ...(typeof r.unit === 'string' ? { unit: r.unit } : {}) };
    }
    default:
      throw new DeviceDecodeError(`must be one of scan, tag-read, position, measurement (a ${device.kind} has no default)`, f('kind'));
  }
}

export const genericJsonAdapter = defineDeviceAdapter({
  id: 'generic-json',
  label: 'Quartermaster JSON',
  kinds: DEVICE_KINDS.filter((k) => k !== 'printer'),
  transports: ['http', 'mqtt'],
  description: 'Readings in Quartermaster\'s JSON shape: {"epc","antenna","rssi","at"}, {"latitude","longitude","at"}, {"channel","value"} or {"data"}; one object, an array or {"readings":[...]}. Scanners may send plain text, one scan per line.',
  decode(payload, device) {
    const body = payload.body;
    if (typeof body === 'string') {
      if (device.kind !== 'scanner') {
        let parsed: unknown;
        try {
          parsed = JSON.parse(body);
        } catch {
          throw new DeviceDecodeError('is not JSON', '(body)');
        }
        return this.decode({ ...payload, body: parsed }, device);
      }
      const lines = body.split(/\r?\n/).filter((l) => l !== '');
      if (lines.length > 1000) throw new DeviceDecodeError('has more than 1,000 scans', '(body)');
      return lines.map((data) => ({ kind: 'scan', at: payload.receivedAt, data }));
    }
    const list = Array.isArray(body) ? body : body && typeof body === 'object' && Array.isArray((body as { readings?: unknown }).readings) ? (body as { readings: unknown[] }).readings : [body];
    const prefix = Array.isArray(body) ? '' : list === (body as { readings?: unknown }).readings ? 'readings' : null;
    if (list.length > 10_000) throw new DeviceDecodeError('has more than 10,000 readings', '(body)');
    return list.map((o, i) => readingOf(o, prefix === null ? '' : `${prefix}[${i}]`, device, payload.receivedAt));
  },
});
