/**
 * `osmand`: trackers and phones speaking the OsmAnd live-tracking protocol (Traccar Client, many
 * hardware trackers): parameters in the query string or a form body, or Traccar Client's JSON body.
 * They reach the platform on `GET|POST /api/gps/osmand` with the device key as the `id`
 * parameter; the same payloads are also read when sent to the core's ingest endpoint.
 */
import { DeviceDecodeError, Type, defineDeviceAdapter, type DeviceInfo, type DevicePayload, type PositionReading } from '@quartermaster/sdk';
import { PositionError, parseOsmAnd, parseTraccarJson, type Position } from '../../domain/index.js';

const SPEED_UNITS = ['kn', 'kmh', 'mps', 'mph'] as const;
type SpeedUnit = (typeof SPEED_UNITS)[number];

export const osmAndSettings = Type.Object(
  {
    speedUnit: Type.Optional(
      Type.Union(
        SPEED_UNITS.map((u) => Type.Literal(u)),
        { description: 'Unit of the `speed` parameter: knots per the protocol; some trackers send km/h, m/s or mph' },
      ),
    ),
  },
  { additionalProperties: false },
);

export function readingOf(p: Position): PositionReading {
  return {
    kind: 'position',
    at: p.at,
    latitude: p.latitude,
    longitude: p.longitude,
    valid: p.valid,
    speedKnots: p.speedKnots ?? null,
    courseDeg: p.courseDeg ?? null,
    altitudeM: p.altitudeM ?? null,
    accuracyM: p.accuracyM ?? null,
    battery: p.battery?.levelPercent ?? null,
  };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Query and form parameters together, form last (Traccar reads both; a repeated parameter's last value wins). */
export function osmAndParams(payload: Pick<DevicePayload, 'query' | 'body'>): URLSearchParams {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(payload.query ?? {})) {
    for (const one of Array.isArray(v) ? v : [v]) if (one !== undefined && one !== null) params.append(k, String(one));
  }
  if (typeof payload.body === 'string' && payload.body.trim() !== '') {
    for (const [k, v] of new URLSearchParams(payload.body.trim())) params.append(k, v);
  }
  return params;
}

function decodeOsmAnd(payload: DevicePayload, device: DeviceInfo): PositionReading[] {
  const speedUnit = (device.settings as { speedUnit?: SpeedUnit }).speedUnit;
  let body = payload.body;
  if (typeof body === 'string' && /^\s*\{/.test(body)) {
    try {
      body = JSON.parse(body);
    } catch {
      throw new DeviceDecodeError('is not JSON', '(body)');
    }
  }
  try {
    if (isObject(body)) {
      // Traccar Client's JSON. The device is already known by its key, so a body sent through the
      // core's endpoint (key in a header) may leave device_id out.
      const json = body.device_id === undefined || body.device_id === null || body.device_id === '' ? { ...body, device_id: device.code } : body;
      return [readingOf(parseTraccarJson(json, { receivedAt: payload.receivedAt, speedUnit }))];
    }
    if (body !== undefined && body !== null && typeof body !== 'string') throw new DeviceDecodeError('must be OsmAnd parameters or a Traccar Client JSON object', '(body)');
    const params = osmAndParams({ query: payload.query, body });
    if (![...params.keys()].some((k) => k !== 'id' && k !== 'deviceid')) {
      // Only the id: a keep-alive some clients send; it marks the device as seen.
      return [];
    }
    if (!params.get('id') && !params.get('deviceid')) params.set('id', device.code);
    return [readingOf(parseOsmAnd(params, { receivedAt: payload.receivedAt, speedUnit }))];
  } catch (error) {
    if (error instanceof PositionError) throw new DeviceDecodeError(error.message, error.field);
    throw error;
  }
}

export const osmAndAdapter = defineDeviceAdapter({
  id: 'osmand',
  label: 'OsmAnd / Traccar Client',
  kinds: ['gps-tracker'],
  transports: ['http'],
  description:
    'Phones and trackers speaking the OsmAnd protocol (Traccar Client and most hardware trackers): point them at /api/gps/osmand with the device key as the device identifier (id).',
  settingsSchema: osmAndSettings,
  decode: decodeOsmAnd,
});
