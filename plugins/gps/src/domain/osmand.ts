/**
 * The OsmAnd live-tracking protocol as spoken by Traccar Client and many hardware trackers
 * (HTTP GET/POST to port 5055 in Traccar), and Traccar Client's newer JSON body.
 *
 * Parameter meanings follow Traccar's `OsmAndProtocolDecoder` (github.com/traccar/traccar,
 * src/main/java/org/traccar/protocol/OsmAndProtocolDecoder.java): `id`/`deviceid`, `lat`, `lon`
 * or `location=lat,lon`, `timestamp`, `speed` in knots, `bearing`/`heading`, `altitude`,
 * `accuracy`, `hdop`, `batt` (percent), `valid`. The JSON body follows the
 * transistorsoft background-geolocation location schema that Traccar Client posts
 * (`location.coords.speed` in m/s, `location.battery.level` as a 0–1 fraction).
 */
import {
  PositionError,
  checkLatitude,
  checkLongitude,
  knotsFromMetresPerSecond,
  parseDeviceTimestamp,
  type Battery,
  type Position,
} from './position.js';

export type OsmAndParams = URLSearchParams | Record<string, string | string[] | undefined>;

export interface ParseOptions {
  /**
   * Time to use when the device sends none (Traccar stamps such positions with the receive time).
   * Without it a missing timestamp is an error.
   */
  receivedAt?: string;
  /**
   * Unit of the OsmAnd `speed` parameter. The protocol says knots; Traccar lets a server override
   * it per protocol (`osmand.speed`) for trackers that send km/h or m/s.
   */
  speedUnit?: 'kn' | 'kmh' | 'mps' | 'mph';
}

const KNOTS_PER_UNIT = { kn: 1, kmh: 1 / 1.852, mps: 3600 / 1852, mph: 1609.344 / 1852 } as const;

/** Parameters with a meaning of their own; anything else is passed through as an attribute. */
const KNOWN = new Set(['id', 'deviceid', 'lat', 'lon', 'location', 'timestamp', 'speed', 'bearing', 'heading', 'altitude', 'accuracy', 'hdop', 'batt', 'charge', 'valid', 'motion']);

export function parseOsmAnd(params: OsmAndParams, options: ParseOptions = {}): Position {
  const get = reader(params);

  const deviceId = get('id') ?? get('deviceid');
  if (deviceId === undefined || deviceId.trim() === '') throw new PositionError('missing-field', 'id', 'device id (id or deviceid) is missing');

  let latitude: number;
  let longitude: number;
  const lat = get('lat');
  const lon = get('lon');
  const location = get('location');
  if (lat !== undefined || lon !== undefined || location === undefined) {
    if (lat === undefined) throw new PositionError('missing-field', 'lat', 'latitude (lat) is missing');
    if (lon === undefined) throw new PositionError('missing-field', 'lon', 'longitude (lon) is missing');
    latitude = checkLatitude(number(lat, 'lat'), 'lat');
    longitude = checkLongitude(number(lon, 'lon'), 'lon');
  } else {
    const parts = location.split(',');
    if (parts.length !== 2) throw new PositionError('malformed-field', 'location', 'location must be "latitude,longitude"');
    latitude = checkLatitude(number(parts[0], 'location'), 'location');
    longitude = checkLongitude(number(parts[1], 'location'), 'location');
  }

  const timestamp = get('timestamp');
  const at = timestampOrReceived(timestamp, 'timestamp', options);

  const position: Position = { deviceId: deviceId.trim(), at, latitude, longitude, valid: true };

  const speed = optional(get('speed'), 'speed');
  if (speed !== undefined && speed >= 0) position.speedKnots = speed * KNOTS_PER_UNIT[options.speedUnit ?? 'kn'];
  const course = optional(get('bearing') ?? get('heading'), get('bearing') !== undefined ? 'bearing' : 'heading');
  if (course !== undefined && course >= 0) position.courseDeg = normaliseCourse(course);
  const altitude = optional(get('altitude'), 'altitude');
  if (altitude !== undefined) position.altitudeM = altitude;
  const accuracy = optional(get('accuracy'), 'accuracy');
  if (accuracy !== undefined && accuracy >= 0) position.accuracyM = accuracy;
  const hdop = optional(get('hdop'), 'hdop');
  if (hdop !== undefined && hdop >= 0) position.hdop = hdop;

  const battery: Battery = {};
  const batt = optional(get('batt'), 'batt');
  if (batt !== undefined && batt >= 0) {
    if (batt > 100) throw new PositionError('out-of-range', 'batt', `batt ${batt} is outside 0…100 %`);
    battery.levelPercent = batt;
  }
  const charge = get('charge');
  if (charge !== undefined) battery.charging = bool(charge, 'charge');
  if (battery.levelPercent !== undefined || battery.charging !== undefined) position.battery = battery;

  const valid = get('valid');
  if (valid !== undefined) position.valid = bool(valid, 'valid');
  const motion = get('motion');
  if (motion !== undefined) position.isMoving = bool(motion, 'motion');

  const attributes: Record<string, string | number | boolean> = {};
  for (const key of keys(params)) {
    if (KNOWN.has(key)) continue;
    const value = get(key);
    if (value === undefined) continue;
    attributes[key] = value === 'true' ? true : value === 'false' ? false : /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
  }
  if (Object.keys(attributes).length > 0) position.attributes = attributes;
  return nullIsland(position);
}

/** Traccar Client's JSON body: `{ device_id, location: { timestamp, coords: {…}, is_moving, battery: {…} } }`. */
export function parseTraccarJson(body: unknown, options: ParseOptions = {}): Position {
  if (!isObject(body)) throw new PositionError('malformed-field', 'body', 'body must be a JSON object');
  const rawId = body.device_id;
  if (rawId === undefined || rawId === null || rawId === '') throw new PositionError('missing-field', 'device_id', 'device_id is missing');
  if (typeof rawId !== 'string' && typeof rawId !== 'number') throw new PositionError('malformed-field', 'device_id', 'device_id must be a string');
  const deviceId = String(rawId).trim();
  if (deviceId === '') throw new PositionError('missing-field', 'device_id', 'device_id is missing');

  const location = body.location;
  if (location === undefined) throw new PositionError('missing-field', 'location', 'location is missing');
  if (Array.isArray(location)) throw new PositionError('malformed-field', 'location', 'batched locations are not supported; send one location per request');
  if (!isObject(location)) throw new PositionError('malformed-field', 'location', 'location must be an object');

  const ts = location.timestamp;
  if (ts !== undefined && typeof ts !== 'string' && typeof ts !== 'number') {
    throw new PositionError('malformed-field', 'location.timestamp', 'location.timestamp must be an ISO 8601 string');
  }
  const at = timestampOrReceived(ts === undefined ? undefined : String(ts), 'location.timestamp', options);

  const coords = location.coords;
  if (coords === undefined) throw new PositionError('missing-field', 'location.coords', 'location.coords is missing');
  if (!isObject(coords)) throw new PositionError('malformed-field', 'location.coords', 'location.coords must be an object');
  const latitude = checkLatitude(requiredNumber(coords.latitude, 'location.coords.latitude'), 'location.coords.latitude');
  const longitude = checkLongitude(requiredNumber(coords.longitude, 'location.coords.longitude'), 'location.coords.longitude');

  const position: Position = { deviceId, at, latitude, longitude, valid: true };
  // The geolocation API reports −1 for "unknown" speed, heading and accuracy on iOS.
  const speed = optionalJsonNumber(coords.speed, 'location.coords.speed');
  if (speed !== undefined && speed >= 0) position.speedKnots = knotsFromMetresPerSecond(speed);
  const heading = optionalJsonNumber(coords.heading, 'location.coords.heading');
  if (heading !== undefined && heading >= 0) position.courseDeg = normaliseCourse(heading);
  const altitude = optionalJsonNumber(coords.altitude, 'location.coords.altitude');
  if (altitude !== undefined) position.altitudeM = altitude;
  const accuracy = optionalJsonNumber(coords.accuracy, 'location.coords.accuracy');
  if (accuracy !== undefined && accuracy >= 0) position.accuracyM = accuracy;

  if (location.is_moving !== undefined) {
    if (typeof location.is_moving !== 'boolean') throw new PositionError('malformed-field', 'location.is_moving', 'location.is_moving must be true or false');
    position.isMoving = location.is_moving;
  }

  if (location.battery !== undefined) {
    if (!isObject(location.battery)) throw new PositionError('malformed-field', 'location.battery', 'location.battery must be an object');
    const battery: Battery = {};
    const level = optionalJsonNumber(location.battery.level, 'location.battery.level');
    // level is a 0–1 fraction; −1 means unknown (simulators, desktops).
    if (level !== undefined && level >= 0) {
      if (level > 1) throw new PositionError('out-of-range', 'location.battery.level', `location.battery.level ${level} is outside 0…1`);
      battery.levelPercent = Math.round(level * 1000) / 10;
    }
    const charging = location.battery.is_charging;
    if (charging !== undefined) {
      if (typeof charging !== 'boolean') throw new PositionError('malformed-field', 'location.battery.is_charging', 'location.battery.is_charging must be true or false');
      battery.charging = charging;
    }
    if (battery.levelPercent !== undefined || battery.charging !== undefined) position.battery = battery;
  }

  const attributes: Record<string, string | number | boolean> = {};
  // Free-form `extras` first, so the plugin's own fields win on a name clash (as in Traccar).
  if (isObject(location.extras)) {
    for (const [key, value] of Object.entries(location.extras)) {
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') attributes[key] = value;
    }
  }
  for (const key of ['event', 'odometer', 'mock', 'alarm'] as const) {
    const value = location[key];
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') attributes[key] = value;
  }
  if (isObject(location.activity) && typeof location.activity.type === 'string') attributes.activity = location.activity.type;
  if (Object.keys(attributes).length > 0) position.attributes = attributes;
  return nullIsland(position);
}

// ---------------------------------------------------------------------------------------------

function reader(params: OsmAndParams): (key: string) => string | undefined {
  if (params instanceof URLSearchParams) {
    // Traccar applies repeated parameters in order, so the last one wins.
    return (key) => params.getAll(key).filter((v) => v !== '').at(-1);
  }
  return (key) => {
    const value = Object.prototype.hasOwnProperty.call(params, key) ? params[key] : undefined;
    const last = Array.isArray(value) ? value.filter((v) => v !== '').at(-1) : value;
    // Traccar skips empty values, so `lat=` is the same as no `lat`.
    return last === '' ? undefined : last;
  };
}

function keys(params: OsmAndParams): string[] {
  return params instanceof URLSearchParams ? [...new Set(params.keys())] : Object.keys(params);
}

function timestampOrReceived(value: string | undefined, field: string, options: ParseOptions): string {
  if (value !== undefined && value.trim() !== '') return parseDeviceTimestamp(value, field);
  if (options.receivedAt !== undefined) return parseDeviceTimestamp(options.receivedAt, 'receivedAt');
  throw new PositionError('missing-field', field, `${field} is missing`);
}

function number(text: string, field: string): number {
  const trimmed = text.trim();
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(trimmed)) throw new PositionError('malformed-field', field, `${field} "${text}" is not a number`);
  return Number(trimmed);
}

function optional(text: string | undefined, field: string): number | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  return number(text, field);
}

function bool(text: string, field: string): boolean {
  const t = text.trim().toLowerCase();
  if (t === 'true' || t === '1') return true;
  if (t === 'false' || t === '0') return false;
  throw new PositionError('malformed-field', field, `${field} "${text}" is not true/false/1/0`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function requiredNumber(value: unknown, field: string): number {
  if (value === undefined || value === null) throw new PositionError('missing-field', field, `${field} is missing`);
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new PositionError('malformed-field', field, `${field} must be a number`);
  return value;
}

function optionalJsonNumber(value: unknown, field: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new PositionError('malformed-field', field, `${field} must be a number`);
  return value;
}

function normaliseCourse(deg: number): number {
  return deg % 360;
}

/**
 * Exactly 0,0 ("Null Island") is what many trackers send before their first fix; Traccar treats
 * it as "no location". We keep the row but mark it invalid so geofences and trips skip it.
 */
function nullIsland(position: Position): Position {
  if (position.latitude === 0 && position.longitude === 0) position.valid = false;
  return position;
}
