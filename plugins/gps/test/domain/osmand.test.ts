import { describe, expect, it } from 'vitest';
import { parseOsmAnd, parseTraccarJson } from '../../src/domain/osmand.js';
import { PositionError, knotsFromKmh, knotsFromMetresPerSecond, kmhFromKnots, parseDeviceTimestamp } from '../../src/domain/position.js';

/**
 * Request vectors are Traccar's own decoder tests: github.com/traccar/traccar,
 * src/test/java/org/traccar/protocol/OsmAndProtocolDecoderTest.java (testDecodeQuery and
 * testDecodeJson). Expected values are worked by hand from the protocol rules in
 * OsmAndProtocolDecoder.java (speed in knots; JSON speed in m/s → knots; battery level × 100;
 * negative speed/heading/battery meaning "unknown").
 */
function query(path: string): URLSearchParams {
  return new URLSearchParams(path.replace(/^\/\?/, ''));
}

function errorOf(fn: () => unknown): PositionError {
  try {
    fn();
  } catch (error) {
    if (error instanceof PositionError) return error;
    throw error;
  }
  throw new Error('expected a PositionError');
}

describe('unit conversions', () => {
  it('uses the international knot, 1852 m per hour', () => {
    // 1852 m/h = 0.514444 m/s, so 1 m/s = 3600/1852 = 1.943844 kn.
    expect(knotsFromMetresPerSecond(1)).toBeCloseTo(1.943844, 6);
    expect(knotsFromKmh(1.852)).toBe(1);
    expect(kmhFromKnots(5.5)).toBeCloseTo(10.186, 10);
  });
});

describe('parseDeviceTimestamp', () => {
  it('reads unix seconds, unix milliseconds (≥ 2^31−1) and ISO forms', () => {
    // 1377177267 s = 2013-08-22T13:14:27Z (1377177267 = 15939 days × 86400 + 47667 s; day 15939 = 2013-08-22).
    expect(parseDeviceTimestamp('1377177267', 't')).toBe('2013-08-22T13:14:27.000Z');
    expect(parseDeviceTimestamp('1442068686579', 't')).toBe('2015-09-12T14:38:06.579Z');
    expect(parseDeviceTimestamp('2016-01-27T18:55:47Z', 't')).toBe('2016-01-27T18:55:47.000Z');
    expect(parseDeviceTimestamp('2016-01-27T20:55:47+02:00', 't')).toBe('2016-01-27T18:55:47.000Z');
    expect(parseDeviceTimestamp('2016-01-27T20:55:47+0200', 't')).toBe('2016-01-27T18:55:47.000Z');
    // Zone-less forms are read as UTC (documented deviation from Traccar's server-local reading).
    expect(parseDeviceTimestamp('2014-06-04 09:10:11', 't')).toBe('2014-06-04T09:10:11.000Z');
    expect(parseDeviceTimestamp('2014-06-04T09:10:11', 't')).toBe('2014-06-04T09:10:11.000Z');
  });

  it('rejects nonsense and impossible dates, naming the field', () => {
    for (const bad of ['yesterday', '2026-02-30T10:00:00Z', '2026-13-01T00:00:00Z', '12:00', '-5', '1e99']) {
      const error = errorOf(() => parseDeviceTimestamp(bad, 'timestamp'));
      expect(error.field).toBe('timestamp');
      expect(error.code).toMatch(/malformed-field|out-of-range/);
    }
  });
});

describe('parseOsmAnd (query/form parameters)', () => {
  it('decodes Traccar test vector: ISO timestamp, hdop, altitude, speed', () => {
    const p = parseOsmAnd(query('/?id=902064&lat=42.06288&lon=-88.23412&timestamp=2016-01-27T18%3A55%3A47Z&hdop=6.0&altitude=224.0&speed=0.0'));
    expect(p).toEqual({
      deviceId: '902064',
      at: '2016-01-27T18:55:47.000Z',
      latitude: 42.06288,
      longitude: -88.23412,
      speedKnots: 0,
      altitudeM: 224,
      hdop: 6,
      valid: true,
    });
  });

  it('decodes Traccar test vector: millisecond timestamp', () => {
    const p = parseOsmAnd(query('/?id=902064&lat=42.06288&lon=-88.23412&timestamp=1442068686579&hdop=6.0&altitude=224.0&speed=0.0'));
    expect(p.at).toBe('2015-09-12T14:38:06.579Z');
  });

  it('decodes Traccar test vector: "yyyy-MM-dd HH:mm:ss" timestamp with "+" for space, id last', () => {
    const p = parseOsmAnd(query('/?lat=49.60688&lon=6.15788&timestamp=2014-06-04+09%3A10%3A11&altitude=384.7&speed=0.0&id=353861053849681'));
    expect(p).toMatchObject({ deviceId: '353861053849681', at: '2014-06-04T09:10:11.000Z', latitude: 49.60688, longitude: 6.15788, altitudeM: 384.7 });
  });

  it('decodes Traccar test vector: bearing, and the `location=lat,lon` form', () => {
    const a = parseOsmAnd(query('/?id=123456&timestamp=1377177267&lat=60.0&lon=30.0&speed=0.0&bearing=0.0&altitude=0&hdop=0.0'));
    expect(a).toMatchObject({ at: '2013-08-22T13:14:27.000Z', latitude: 60, longitude: 30, courseDeg: 0, hdop: 0 });
    const b = parseOsmAnd(query('/?id=123456&timestamp=1377177267&location=60.0,30.0'));
    expect(b).toMatchObject({ latitude: 60, longitude: 30 });
  });

  it('decodes Traccar test vector: deviceid and heading; unknown params become attributes', () => {
    const p = parseOsmAnd(query('/?lat=60.0&lon=30.0&speed=0.0&heading=0.0&vacc=0&hacc=0&altitude=0&deviceid=123456'), { receivedAt: '2026-05-04T10:00:00Z' });
    expect(p).toMatchObject({ deviceId: '123456', courseDeg: 0, at: '2026-05-04T10:00:00.000Z', attributes: { vacc: 0, hacc: 0 } });
  });

  it('decodes Traccar test vector: batt as percent, speed 40 kn stays 40 kn, booleans and numbers pass through', () => {
    const a = parseOsmAnd(query('/?id=861001000719969&lat=41.666667&lon=-0.883333&altitude=350.059479&speed=0.000000&batt=87'), { receivedAt: '2026-05-04T10:00:00Z' });
    expect(a.battery).toEqual({ levelPercent: 87 });
    const b = parseOsmAnd(query('/?id=123456789012345&timestamp=1504763810&lat=40.7232948571&lon=-74.0061408571&bearing=7.19889788244&speed=40&ignition=true&rpm=933&fuel=24'));
    expect(b).toMatchObject({ speedKnots: 40, courseDeg: 7.19889788244, attributes: { ignition: true, rpm: 933, fuel: 24 } });
    expect(b.at).toBe('2017-09-07T05:56:50.000Z');
  });

  it('rejects Traccar test vector without id, naming the field', () => {
    const error = errorOf(() => parseOsmAnd(query('/?timestamp=1377177267&lat=60.0&lon=30.0')));
    expect(error).toMatchObject({ code: 'missing-field', field: 'id' });
  });

  it('accepts a plain object with string or array values (last value wins, as in Traccar)', () => {
    const p = parseOsmAnd({ id: 'truck-7', lat: ['1', '52.52'], lon: '13.405', timestamp: '1609459200', accuracy: '12.5', valid: '1', charge: 'true', batt: '55', motion: 'false' });
    expect(p).toEqual({
      deviceId: 'truck-7',
      at: '2021-01-01T00:00:00.000Z',
      latitude: 52.52,
      longitude: 13.405,
      accuracyM: 12.5,
      battery: { levelPercent: 55, charging: true },
      isMoving: false,
      valid: true,
    });
  });

  it('reads valid=false / 0 as an invalid fix', () => {
    expect(parseOsmAnd({ id: 'a', lat: '1', lon: '2', timestamp: '1609459200', valid: 'false' }).valid).toBe(false);
    expect(parseOsmAnd({ id: 'a', lat: '1', lon: '2', timestamp: '1609459200', valid: '0' }).valid).toBe(false);
  });

  it('marks exactly 0,0 ("Null Island", a tracker without a fix) invalid', () => {
    expect(parseOsmAnd({ id: 'a', lat: '0', lon: '0', timestamp: '1609459200' }).valid).toBe(false);
    expect(parseOsmAnd({ id: 'a', lat: '0', lon: '0.0001', timestamp: '1609459200' }).valid).toBe(true);
  });

  it('converts speed when the server declares another unit', () => {
    // 18.52 km/h = 10 kn exactly (1 kn = 1.852 km/h); 10 mph = 16.09344 km/h = 8.6897 kn.
    expect(parseOsmAnd({ id: 'a', lat: '1', lon: '2', timestamp: '1609459200', speed: '18.52' }, { speedUnit: 'kmh' }).speedKnots).toBeCloseTo(10, 10);
    expect(parseOsmAnd({ id: 'a', lat: '1', lon: '2', timestamp: '1609459200', speed: '10' }, { speedUnit: 'mph' }).speedKnots).toBeCloseTo(8.689762, 6);
  });

  it('drops negative "unknown" speed, bearing and accuracy but keeps negative altitude', () => {
    const p = parseOsmAnd({ id: 'a', lat: '31.5', lon: '35.5', timestamp: '1609459200', speed: '-1', bearing: '-1', accuracy: '-1', altitude: '-430.5' });
    expect(p.speedKnots).toBeUndefined();
    expect(p.courseDeg).toBeUndefined();
    expect(p.accuracyM).toBeUndefined();
    expect(p.altitudeM).toBe(-430.5);
  });

  it('treats empty values as absent (Traccar skips them)', () => {
    const error = errorOf(() => parseOsmAnd({ id: 'a', lat: '', lon: '2', timestamp: '1609459200' }));
    expect(error).toMatchObject({ code: 'missing-field', field: 'lat' });
  });

  it('needs a timestamp unless the caller supplies the receive time', () => {
    expect(errorOf(() => parseOsmAnd({ id: 'a', lat: '1', lon: '2' }))).toMatchObject({ code: 'missing-field', field: 'timestamp' });
  });

  it('rejects out-of-range and malformed values, naming the field', () => {
    const base = { id: 'a', timestamp: '1609459200' };
    expect(errorOf(() => parseOsmAnd({ ...base, lat: '90.0001', lon: '0' }))).toMatchObject({ code: 'out-of-range', field: 'lat' });
    expect(errorOf(() => parseOsmAnd({ ...base, lat: '-91', lon: '0' }))).toMatchObject({ code: 'out-of-range', field: 'lat' });
    expect(errorOf(() => parseOsmAnd({ ...base, lat: '0', lon: '180.5' }))).toMatchObject({ code: 'out-of-range', field: 'lon' });
    expect(errorOf(() => parseOsmAnd({ ...base, lat: 'north', lon: '0' }))).toMatchObject({ code: 'malformed-field', field: 'lat' });
    expect(errorOf(() => parseOsmAnd({ ...base, lat: 'NaN', lon: '0' }))).toMatchObject({ code: 'malformed-field', field: 'lat' });
    expect(errorOf(() => parseOsmAnd({ ...base, lat: '1' }))).toMatchObject({ code: 'missing-field', field: 'lon' });
    expect(errorOf(() => parseOsmAnd({ ...base, location: '60.0;30.0' }))).toMatchObject({ code: 'malformed-field', field: 'location' });
    expect(errorOf(() => parseOsmAnd({ ...base, lat: '1', lon: '2', speed: 'fast' }))).toMatchObject({ code: 'malformed-field', field: 'speed' });
    expect(errorOf(() => parseOsmAnd({ ...base, lat: '1', lon: '2', batt: '140' }))).toMatchObject({ code: 'out-of-range', field: 'batt' });
    expect(errorOf(() => parseOsmAnd({ ...base, lat: '1', lon: '2', valid: 'maybe' }))).toMatchObject({ code: 'malformed-field', field: 'valid' });
    expect(errorOf(() => parseOsmAnd({ ...base, id: '  ', lat: '1', lon: '2' }))).toMatchObject({ code: 'missing-field', field: 'id' });
  });

  it('gives the PositionError a readable message', () => {
    expect(errorOf(() => parseOsmAnd({ id: 'a', timestamp: '1609459200', lat: '95', lon: '0' })).message).toBe('lat 95 is outside −90…90');
  });
});

describe('parseTraccarJson (Traccar Client JSON body)', () => {
  it('decodes Traccar test vector 1: still phone, heading −1 unknown, battery level 1 → 100 %', () => {
    const body = JSON.parse(
      '{"location":{"timestamp":"2025-06-15T13:45:12.862Z","coords":{"latitude":37.4219983,"longitude":-122.084,"accuracy":5,"speed":0,"heading":-1,"altitude":5},"is_moving":false,"odometer":0,"event":"motionchange","battery":{"level":1,"is_charging":false},"activity":{"type":"still"},"extras":{},"_":"&id=48241179&lat=37.4219983&lon=-122.084&timestamp=2025-06-15T13:45:12.862Z&"},"device_id":"48241179"}',
    );
    expect(parseTraccarJson(body)).toEqual({
      deviceId: '48241179',
      at: '2025-06-15T13:45:12.862Z',
      latitude: 37.4219983,
      longitude: -122.084,
      speedKnots: 0,
      altitudeM: 5,
      accuracyM: 5,
      isMoving: false,
      battery: { levelPercent: 100, charging: false },
      valid: true,
      attributes: { event: 'motionchange', odometer: 0, activity: 'still' },
    });
  });

  it('decodes Traccar test vector 2: scalar extras pass through as attributes', () => {
    const body = JSON.parse(
      '{"location":{"timestamp":"2025-06-15T13:45:12.862Z","coords":{"latitude":37.4219983,"longitude":-122.084,"accuracy":5,"speed":0,"heading":-1,"altitude":5},"is_moving":false,"odometer":0,"event":"motionchange","battery":{"level":1,"is_charging":false},"activity":{"type":"still"},"extras":{"device_string_test":"long_device_id","device_bool_test":true,"device_bool_false_test":false,"device_integer_test":1,"device_double_test":1.345,"device_very_long_double_test":1763636.3442},"_":"&id=48241179&lat=37.4219983&lon=-122.084&timestamp=2025-06-15T13:45:12.862Z&"},"device_id":"48241179"}',
    );
    expect(parseTraccarJson(body).attributes).toMatchObject({
      device_string_test: 'long_device_id',
      device_bool_test: true,
      device_bool_false_test: false,
      device_integer_test: 1,
      device_double_test: 1.345,
      device_very_long_double_test: 1763636.3442,
    });
  });

  it('decodes Traccar test vector 3 (iOS simulator): speed −1 and battery −1 mean unknown; mock flag kept', () => {
    const body = JSON.parse(
      '{"location":{"extras":{},"mock":true,"coords":{"speed_accuracy":-1,"speed":-1,"longitude":-122.406417,"ellipsoidal_altitude":0,"floor":null,"heading_accuracy":-1,"latitude":37.785834000000001,"accuracy":5,"altitude_accuracy":-1,"altitude":0,"heading":-1},"is_moving":false,"age":188,"odometer":0,"uuid":"2FB04C65-99CF-42AB-8DD3-EBCB4B108BF8","event":"motionchange","battery":{"level":-1,"is_charging":false},"activity":{"type":"unknown","confidence":100},"timestamp":"2025-05-09T04:11:30.579Z"},"device_id":"658765"}',
    );
    const p = parseTraccarJson(body);
    expect(p.speedKnots).toBeUndefined();
    expect(p.courseDeg).toBeUndefined();
    expect(p.battery).toEqual({ charging: false });
    expect(p.latitude).toBeCloseTo(37.785834, 9);
    expect(p.attributes).toMatchObject({ mock: true, activity: 'unknown' });
  });

  it('decodes Traccar test vector 4: 18.67 m/s = 36.2917 kn, heading 63, battery 0.79 → 79 %', () => {
    const body = JSON.parse(
      '{"location":{"event":"motionchange","is_moving":false,"uuid":"0e9a2473-a9a7-4c00-997b-fb97d2154e75","timestamp":"2021-07-21T08:06:34.444Z","odometer":0,"coords":{"latitude":-6.1148096,"longitude":106.6837015,"accuracy":3.8,"speed":18.67,"speed_accuracy":0.26,"heading":63,"heading_accuracy":0.28,"altitude":35.7,"altitude_accuracy":3.8},"activity":{"type":"still","confidence":100},"battery":{"is_charging":false,"level":0.79},"extras":{}},"device_id":"8737767034"}',
    );
    const p = parseTraccarJson(body);
    // 18.67 × 3600 / 1852 = 67212 / 1852 = 36.29158 kn.
    expect(p.speedKnots).toBeCloseTo(36.29158, 5);
    expect(p).toMatchObject({ deviceId: '8737767034', latitude: -6.1148096, longitude: 106.6837015, courseDeg: 63, altitudeM: 35.7, accuracyM: 3.8 });
    expect(p.battery?.levelPercent).toBe(79);
  });

  const valid = () => ({
    device_id: 'phone-1',
    location: { timestamp: '2026-05-04T10:00:00Z', coords: { latitude: 52.52, longitude: 13.405, speed: 1, heading: 90 } },
  });

  it('accepts a minimal body and a numeric device id', () => {
    expect(parseTraccarJson(valid())).toEqual({ deviceId: 'phone-1', at: '2026-05-04T10:00:00.000Z', latitude: 52.52, longitude: 13.405, speedKnots: 3600 / 1852, courseDeg: 90, valid: true });
    expect(parseTraccarJson({ ...valid(), device_id: 42 }).deviceId).toBe('42');
  });

  it('rejects missing or mistyped fields, naming the field', () => {
    const cases: [unknown, string, string][] = [
      [null, 'malformed-field', 'body'],
      [[], 'malformed-field', 'body'],
      [{ ...valid(), device_id: undefined }, 'missing-field', 'device_id'],
      [{ ...valid(), device_id: ' ' }, 'missing-field', 'device_id'],
      [{ ...valid(), device_id: { id: 1 } }, 'malformed-field', 'device_id'],
      [{ device_id: 'x' }, 'missing-field', 'location'],
      [{ device_id: 'x', location: [valid().location] }, 'malformed-field', 'location'],
      [{ device_id: 'x', location: { coords: valid().location.coords } }, 'missing-field', 'location.timestamp'],
      [{ device_id: 'x', location: { ...valid().location, timestamp: 'soon' } }, 'malformed-field', 'location.timestamp'],
      [{ device_id: 'x', location: { timestamp: '2026-05-04T10:00:00Z' } }, 'missing-field', 'location.coords'],
      [{ device_id: 'x', location: { timestamp: '2026-05-04T10:00:00Z', coords: { longitude: 1 } } }, 'missing-field', 'location.coords.latitude'],
      [{ device_id: 'x', location: { timestamp: '2026-05-04T10:00:00Z', coords: { latitude: '52.5', longitude: 1 } } }, 'malformed-field', 'location.coords.latitude'],
      [{ device_id: 'x', location: { timestamp: '2026-05-04T10:00:00Z', coords: { latitude: 52.5, longitude: 200 } } }, 'out-of-range', 'location.coords.longitude'],
      [{ device_id: 'x', location: { ...valid().location, battery: { level: 1.5 } } }, 'out-of-range', 'location.battery.level'],
      [{ device_id: 'x', location: { ...valid().location, is_moving: 'yes' } }, 'malformed-field', 'location.is_moving'],
      [{ device_id: 'x', location: { ...valid().location, coords: { latitude: 1, longitude: 2, speed: 'fast' } } }, 'malformed-field', 'location.coords.speed'],
    ];
    for (const [body, code, field] of cases) {
      expect(errorOf(() => parseTraccarJson(body)), JSON.stringify(body)).toMatchObject({ code, field });
    }
  });

  it('uses the receive time only when the body has no timestamp and the caller allows it', () => {
    const body = { device_id: 'x', location: { coords: { latitude: 1, longitude: 2 } } };
    expect(parseTraccarJson(body, { receivedAt: '2026-05-04T10:00:01.5Z' }).at).toBe('2026-05-04T10:00:01.500Z');
  });
});
