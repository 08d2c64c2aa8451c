import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoChange, expectProblem, type TestPlatform } from '@quartermaster/testing';
import { nmeaChecksum } from '../../src/domain/index.js';
import { GPS, bootGps } from './fixtures.js';

/**
 * `POST /api/gps/nmea/parse` with published sentences:
 * - GGA, RMC, VTG: Dale DePriest, "NMEA data" (gpsinformation.org/dale/nmea.htm, sections GGA, RMC,
 *   VTG), the same examples as E. S. Raymond, "NMEA Revealed" (gpsd.io/NMEA.html).
 *   4807.038,N = 48° + 7.038′/60 = 48.1173°; 01131.000,E = 11° + 31′/60 = 11.5166667°.
 * - RMC without a fix: Glenn Baddeley, "GPS – NMEA sentence information" (aprs.gids.nl/nmea),
 *   $GPRMC "signal not acquired" example.
 * - GN talker: "NMEA Revealed", RMC section; 4404.13993,N = 44° + 4.13993′/60 = 44.0689988°,
 *   12118.86023,W = −(121° + 18.86023′/60) = −121.3143372°; 100117 = 10 January 2017.
 * - GSA (a type we do not read): DePriest, section GSA.
 */
const GGA = '$GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,*47';
const RMC = '$GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W*6A';
const VTG = '$GPVTG,054.7,T,034.4,M,005.5,N,010.2,K*48';
const RMC_NO_FIX = '$GPRMC,235947.000,V,0000.0000,N,00000.0000,E,,,041299,,*1D';
const RMC_GN = '$GNRMC,001031.00,A,4404.13993,N,12118.86023,W,0.146,,100117,,,A*7B';
const GSA = '$GPGSA,A,3,04,05,,09,12,,,24,,,,,2.5,1.3,2.1*39';

describe('POST /nmea/parse', () => {
  let t: TestPlatform;
  const parse = (sentence: string) => t.request({ method: 'POST', url: `${GPS}/nmea/parse`, payload: { sentence } });

  beforeAll(async () => {
    t = await bootGps();
  });
  afterAll(() => t?.close());

  it.for([
    ['GGA (DePriest)', GGA, { talker: 'GP', type: 'GGA', utcTime: '12:35:19', latitude: 48.1173, longitude: 11.5166667, fixValid: true, fixQuality: 1, satellites: 8, hdop: 0.9, altitudeM: 545.4 }],
    [
      'RMC (DePriest)',
      RMC,
      { talker: 'GP', type: 'RMC', utcTime: '12:35:19', datetimeUtc: '1994-03-23T12:35:19.000Z', latitude: 48.1173, longitude: 11.5166667, fixValid: true, speedKnots: 22.4, courseTrueDeg: 84.4 },
    ],
    ['VTG (DePriest)', VTG, { talker: 'GP', type: 'VTG', latitude: null, longitude: null, fixValid: true, speedKnots: 5.5, courseTrueDeg: 54.7 }],
    ['RMC without a fix (Baddeley)', RMC_NO_FIX, { talker: 'GP', type: 'RMC', utcTime: '23:59:47.000', datetimeUtc: '1999-12-04T23:59:47.000Z', latitude: null, longitude: null, fixValid: false }],
    [
      'RMC from a multi-GNSS receiver (gpsd)',
      RMC_GN,
      { talker: 'GN', type: 'RMC', utcTime: '00:10:31.000', datetimeUtc: '2017-01-10T00:10:31.000Z', latitude: 44.0689988, longitude: -121.3143372, fixValid: true, speedKnots: 0.146 },
    ],
  ] as const)('%s', async ([, sentence, expected]) => {
    const res = await parse(sentence);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual(expected);
  });

  it.for([
    ['a wrong checksum', `${GGA.slice(0, -2)}48`, 'checksum', 'checksum mismatch: expected 47, found 48'],
    ['no checksum', GGA.slice(0, -3), 'checksum', 'checksum missing: the sentence must end with "*hh"'],
    ['a truncated sentence (checksum recomputed)', `$GPGGA,123519,4807.038,N*${nmeaChecksum('GPGGA,123519,4807.038,N')}`, 'truncated', 'GGA needs 14 data fields, found 3'],
    ['a type we do not read', GSA, 'unsupported-type', 'sentence type GSA is not supported (GGA, RMC, GLL, VTG are)'],
    ['text that is not NMEA', 'hello world', 'not-nmea', 'an NMEA sentence starts with "$"'],
  ] as const)('refuses %s with 422 nmea-invalid saying why, and changes nothing', async ([, sentence, code, reason]) => {
    const res = await expectNoChange(t, () => parse(sentence));
    const body = expectProblem(res, 422, 'nmea-invalid');
    expect(body.detail).toBe(reason);
    expect(body.code).toBe(code);
  });

  it('names the malformed field', async () => {
    const body = 'GPGGA,123519,4807.038,X,01131.000,E,1,08,0.9,545.4,M,46.9,M,,';
    const res = await parse(`$${body}*${nmeaChecksum(body)}`);
    expect(expectProblem(res, 422, 'nmea-invalid')).toMatchObject({ code: 'malformed-field', field: 'latitude', detail: 'latitude hemisphere must be N or S, found "X"' });
  });
});
