import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, type TestPlatform } from '@quartermaster/testing';
import { nmeaChecksum } from '../../src/domain/index.js';
import { GPS, bootGps, caller, idle, mqttPublish, positionsOf, registerDevice, sendJson, tcpTracker, waitFor, type Device } from './fixtures.js';

/**
 * Every way a tracker's positions reach the `gps.positions` consumer, end to end on PostgreSQL:
 * OsmAnd (query, form, Traccar Client JSON) with the device key as the id, Quartermaster JSON and
 * NMEA text through the core's ingest endpoint, raw NMEA over a real TCP socket, and MQTT through
 * the embedded broker.
 *
 * Sources of the sample payloads:
 * - OsmAnd requests: Traccar's decoder tests (github.com/traccar/traccar,
 *   src/test/java/org/traccar/protocol/OsmAndProtocolDecoderTest.java, testDecodeQuery and
 *   testDecodeJson), with the device id replaced by the device key.
 * - GGA/RMC/GLL sentences: Dale DePriest, "NMEA data" (gpsinformation.org/dale/nmea.htm, sections
 *   GGA, RMC, GLL), also the worked examples of E. S. Raymond, "NMEA Revealed" (gpsd.io/NMEA.html).
 *   4807.038,N = 48° + 7.038′/60 = 48.1173°; 01131.000,E = 11° + 31′/60 = 11.5166667°;
 *   4916.45,N = 49.2741667°; 12311.12,W = −123.1853333°.
 */
const GGA_DEPRIEST = '$GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,*47';
const RMC_DEPRIEST = '$GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W*6A';
const GLL_DEPRIEST = '$GPGLL,4916.45,N,12311.12,W,225444,A,*1D';

/** A sentence in the DePriest layout for another time and date, with its checksum computed (NMEA 0183: XOR of the characters between $ and *). */
const sign = (body: string) => `$${body}*${nmeaChecksum(body)}`;

describe('tracker ingestion', () => {
  let t: TestPlatform;
  let osmand: Device;
  let tcpPort: number;

  beforeAll(async () => {
    t = await bootGps({ mqtt: true, tcp: true });
    osmand = await registerDevice(t, 'phone-1', 'osmand');
    tcpPort = (await caller(t)({ method: 'GET', url: `${GPS}/status` }, 200)).nmeaTcp.port;
  });
  afterAll(() => t?.close());

  describe('OsmAnd (device key as the id parameter)', () => {
    it('takes a GET with the position in the query and answers a bare 200', async () => {
      const res = await t.app.inject({
        method: 'GET',
        url: `${GPS}/osmand?id=${encodeURIComponent(osmand.key)}&lat=42.06288&lon=-88.23412&timestamp=2016-01-27T18%3A55%3A47Z&hdop=6.0&altitude=224.0&speed=0.0`,
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.body).toBe('');
      await idle(t);
      const [p] = await t.sql(`SELECT at, latitude, longitude, speed_knots, altitude_m, valid FROM gps_position WHERE device_id = $1 AND at = '2016-01-27T18:55:47Z'`, [osmand.id]);
      expect(p).toMatchObject({ latitude: 42.06288, longitude: -88.23412, speed_knots: 0, altitude_m: 224, valid: true });
    });

    it('takes a POST with the parameters as a form body (bearing, battery)', async () => {
      const res = await t.app.inject({
        method: 'POST',
        url: `${GPS}/osmand`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: `id=${encodeURIComponent(osmand.key)}&timestamp=1504763810&lat=40.7232948571&lon=-74.0061408571&bearing=7.19889788244&speed=40&batt=87`,
      });
      expect(res.statusCode, res.body).toBe(200);
      await idle(t);
      // 1504763810 s = 2017-09-07T05:56:50Z (Traccar's expected value for this vector).
      const [p] = await t.sql(`SELECT latitude, longitude, speed_knots, course_deg, battery FROM gps_position WHERE device_id = $1 AND at = '2017-09-07T05:56:50Z'`, [osmand.id]);
      expect(p).toMatchObject({ latitude: 40.7232948571, longitude: -74.0061408571, speed_knots: 40, course_deg: 7.19889788244, battery: 87 });
    });

    it("takes Traccar Client's JSON with the key as device_id (speed in m/s, battery as a fraction)", async () => {
      const body = JSON.parse(
        '{"location":{"timestamp":"2025-06-15T13:45:12.862Z","coords":{"latitude":37.4219983,"longitude":-122.084,"accuracy":5,"speed":0,"heading":-1,"altitude":5},"is_moving":false,"odometer":0,"event":"motionchange","battery":{"level":1,"is_charging":false},"activity":{"type":"still"},"extras":{}},"device_id":"48241179"}',
      );
      body.device_id = osmand.key;
      const res = await t.app.inject({ method: 'POST', url: `${GPS}/osmand`, payload: body });
      expect(res.statusCode, res.body).toBe(200);
      await idle(t);
      const [p] = await t.sql(`SELECT latitude, longitude, speed_knots, course_deg, altitude_m, accuracy_m, battery FROM gps_position WHERE device_id = $1 AND at = '2025-06-15T13:45:12.862Z'`, [osmand.id]);
      // heading −1 means unknown; level 1 → 100 %.
      expect(p).toEqual({ latitude: 37.4219983, longitude: -122.084, speed_knots: 0, course_deg: null, altitude_m: 5, accuracy_m: 5, battery: 100 });
      const tracker = await caller(t)({ method: 'GET', url: `${GPS}/trackers/${osmand.id}` }, 200);
      // The newest of the three fixes is the last position, whatever order they came in.
      expect(tracker.lastPosition).toMatchObject({ at: '2025-06-15T13:45:12.862Z', latitude: 37.4219983, longitude: -122.084 });
    });

    it('refuses an unknown id with 401 and stores nothing', async () => {
      const before = await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM gps_position`);
      const res = await t.app.inject({ method: 'GET', url: `${GPS}/osmand?id=qmd_not-a-key&lat=60.0&lon=30.0&timestamp=1377177267` });
      expectProblem(res, 401, 'device-unknown');
      const missing = await t.app.inject({ method: 'GET', url: `${GPS}/osmand?lat=60.0&lon=30.0&timestamp=1377177267` });
      expect(expectProblem(missing, 401, 'device-key-missing').detail).toMatch(/\?id=<device key>/);
      await idle(t);
      expect(await t.sql(`SELECT count(*)::int AS n FROM gps_position`)).toEqual(before);
    });

    it('refuses an unreadable position with 422 naming the parameter', async () => {
      const res = await t.app.inject({ method: 'GET', url: `${GPS}/osmand?id=${encodeURIComponent(osmand.key)}&lat=95&lon=30.0&timestamp=1377177267` });
      const body = expectProblem(res, 422, 'device-payload-invalid');
      expect(body.errors).toEqual([{ field: 'lat', message: 'lat 95 is outside −90…90' }]);
    });
  });

  it('Quartermaster JSON through the core ingest endpoint reaches the consumer', async () => {
    const van = await registerDevice(t, 'van-json');
    await sendJson(t, van, { readings: [{ latitude: 52.52, longitude: 13.405, at: '2026-11-20T08:00:00Z', speedKnots: 12.5, accuracyM: 8, battery: 64 }] });
    expect(await positionsOf(t, van.id)).toEqual([
      { at: new Date('2026-11-20T08:00:00Z'), latitude: 52.52, longitude: 13.405, speed_knots: 12.5, course_deg: null, altitude_m: null, valid: true },
    ]);
  });

  it('NMEA text through the core ingest endpoint: GGA and RMC of one fix make one position', async () => {
    const receiver = await registerDevice(t, 'nmea-http', 'nmea');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/core/devices/ingest',
      headers: { authorization: `Device ${receiver.key}`, 'content-type': 'text/plain' },
      payload: `${GGA_DEPRIEST}\r\n$GPGSA,A,3,04,05,,09,12,,,24,,,,,2.5,1.3,2.1*39\r\n${RMC_DEPRIEST}\r\n`,
    });
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json().accepted).toBe(1);
    await idle(t);
    // RMC dates the fix (23 March 1994, 12:35:19 UTC) and gives speed and course; GGA gives the altitude.
    expect(await positionsOf(t, receiver.id)).toEqual([
      { at: new Date('1994-03-23T12:35:19Z'), latitude: 48.1173, longitude: 11.5166667, speed_knots: 22.4, course_deg: 84.4, altitude_m: 545.4, valid: true },
    ]);
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/core/devices/ingest',
      headers: { authorization: `Device ${receiver.key}`, 'content-type': 'text/plain' },
      payload: `${GGA_DEPRIEST.slice(0, -2)}00\r\n`,
    });
    expect(expectProblem(bad, 422, 'device-payload-invalid').detail).toBe('line 1: checksum mismatch: expected 47, found 00');
  });

  describe('raw NMEA over TCP', () => {
    it('logs in with "KEY <device key>", then each line is a sentence; GGA and RMC sent apart merge into one position', async () => {
      const receiver = await registerDevice(t, 'nmea-tcp', 'nmea');
      // A fix a minute ago, so the GGA (time of day only) is dated on the same day as the RMC.
      const fix = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
      const hhmmss = fix.toISOString().slice(11, 19).replace(/:/g, '');
      const ddmmyy = `${fix.toISOString().slice(8, 10)}${fix.toISOString().slice(5, 7)}${fix.toISOString().slice(2, 4)}`;
      const tracker = await tcpTracker(tcpPort);
      tracker.send(
        `KEY ${receiver.key}`,
        sign(`GPGGA,${hhmmss},4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,`),
        '$GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,*00', // bad checksum: refused, connection stays
        sign(`GPRMC,${hhmmss},A,4807.038,N,01131.000,E,022.4,084.4,${ddmmyy},003.1,W`),
      );
      await waitFor(async () => (await positionsOf(t, receiver.id)).some((p) => p.speed_knots !== null), 'the RMC of the fix');
      await idle(t);
      expect(await positionsOf(t, receiver.id)).toEqual([{ at: fix, latitude: 48.1173, longitude: 11.5166667, speed_knots: 22.4, course_deg: 84.4, altitude_m: 545.4, valid: true }]);
      expect(tracker.isClosed()).toBe(false);
      expect(tracker.answer()).toBe('');
      // The refused line is counted against the device.
      const refusals = (await caller(t)({ method: 'GET', url: '/api/core/device-refusals?limit=100' }, 200)).data as { reason: string; deviceCode: string | null; lastDetail: string }[];
      expect(refusals).toContainEqual(expect.objectContaining({ reason: 'decode-error', deviceCode: 'nmea-tcp', lastDetail: 'line 1: checksum mismatch: expected 47, found 00' }));
      tracker.end();
      await tracker.closed;
    });

    it('closes the connection on a bad key, after saying why', async () => {
      const tracker = await tcpTracker(tcpPort);
      tracker.send('KEY qmd_wrong-key', GLL_DEPRIEST);
      await tracker.closed;
      expect(tracker.answer()).toMatch(/^ERR The key is not the key of a registered device/);
    });

    it('closes the connection when the first line is not a KEY line', async () => {
      const tracker = await tcpTracker(tcpPort);
      tracker.send(GLL_DEPRIEST);
      await tracker.closed;
      expect(tracker.answer()).toBe('ERR the first line must be "KEY <device key>"\r\n');
    });

    it('closes the connection for a device whose adapter does not take TCP', async () => {
      const tracker = await tcpTracker(tcpPort);
      tracker.send(`KEY ${osmand.key}`);
      await tracker.closed;
      expect(tracker.answer()).toBe('ERR The OsmAnd / Traccar Client adapter does not take readings over TCP\r\n');
    });

    it('closes the connection on a line longer than the limit (1024 characters)', async () => {
      const receiver = await registerDevice(t, 'nmea-tcp-long', 'nmea');
      const tracker = await tcpTracker(tcpPort);
      tracker.send(`KEY ${receiver.key}`, `$GPTXT,${'X'.repeat(1100)}`);
      await tracker.closed;
      expect(tracker.answer()).toBe('ERR line longer than 1024 characters\r\n');
    });
  });

  describe('MQTT through the embedded broker', () => {
    it('a JSON tracker publishes under its code and the position is stored', async () => {
      const van = await registerDevice(t, 'van-mqtt');
      const { url } = (await caller(t)({ method: 'GET', url: '/api/core/device-ingestion' }, 200)).mqtt;
      await mqttPublish(url, van.code, van.key, `quartermaster/devices/${van.code}/readings`, JSON.stringify({ latitude: -33.8568, longitude: 151.2153, at: '2026-11-21T01:00:00Z' }));
      await waitFor(async () => (await positionsOf(t, van.id)).length > 0, 'the MQTT position');
      expect(await positionsOf(t, van.id)).toEqual([{ at: new Date('2026-11-21T01:00:00Z'), latitude: -33.8568, longitude: 151.2153, speed_knots: null, course_deg: null, altitude_m: null, valid: true }]);
    });

    it('an NMEA receiver publishes sentences; a GLL without a date is dated nearest to its receipt', async () => {
      const boat = await registerDevice(t, 'boat-mqtt', 'nmea');
      const { url } = (await caller(t)({ method: 'GET', url: '/api/core/device-ingestion' }, 200)).mqtt;
      const sent = Date.now();
      await mqttPublish(url, boat.code, boat.key, `quartermaster/devices/${boat.code}/nmea`, `${GLL_DEPRIEST}\r\n`);
      await waitFor(async () => (await positionsOf(t, boat.id)).length > 0, 'the MQTT NMEA position');
      const [p] = await positionsOf(t, boat.id);
      expect(p).toMatchObject({ latitude: 49.2741667, longitude: -123.1853333, valid: true });
      expect(p.at.toISOString().slice(11, 19)).toBe('22:54:44');
      expect(Math.abs(p.at.getTime() - sent)).toBeLessThanOrEqual(12 * 3600_000);
    });
  });
});
