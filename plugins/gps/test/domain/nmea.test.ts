import { describe, expect, it } from 'vitest';
import { NmeaError, nmeaChecksum, parseNmea, parseNmeaStream, type NmeaErrorCode } from '../../src/domain/nmea.js';

/**
 * Sample sentences and their sources. Every checksum below was recomputed independently of the
 * code under test (a throw-away XOR script) and matches the published one: none of these commonly
 * copied samples carries a wrong checksum.
 *
 * - GGA_DEPRIEST, RMC_DEPRIEST, GLL_DEPRIEST, VTG_DEPRIEST: Dale DePriest, "NMEA data"
 *   (gpsinformation.org/dale/nmea.htm, sections GGA, RMC, GLL, VTG); the same GGA/RMC/GLL are the
 *   worked examples in Eric S. Raymond, "NMEA Revealed" (gpsd.io/NMEA.html).
 * - RMC_GIDS_1, RMC_GIDS_2, GGA_GIDS_NO_FIX, RMC_GIDS_NO_FIX: Glenn Baddeley, "GPS – NMEA sentence
 *   information" (aprs.gids.nl/nmea), examples under $GPRMC and $GPGGA ("signal not acquired").
 * - RMC_GPSD_GN: "NMEA Revealed", RMC section, example with the GN (multi-GNSS) talker.
 * - RMC_GPSD_MT3339: gpsd regression log test/daemon/mt3339.log.chk, whose expected output gives
 *   time 2015-04-13T20:26:40.000Z, lat 44.068843333, lon −121.314191667.
 */
const GGA_DEPRIEST = '$GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,*47';
const RMC_DEPRIEST = '$GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W*6A';
const GLL_DEPRIEST = '$GPGLL,4916.45,N,12311.12,W,225444,A,*1D';
const VTG_DEPRIEST = '$GPVTG,054.7,T,034.4,M,005.5,N,010.2,K*48';
const RMC_GIDS_1 = '$GPRMC,081836,A,3751.65,S,14507.36,E,000.0,360.0,130998,011.3,E*62';
const RMC_GIDS_2 = '$GPRMC,225446,A,4916.45,N,12311.12,W,000.5,054.7,191194,020.3,E*68';
const GGA_GIDS_NO_FIX = '$GPGGA,235947.000,0000.0000,N,00000.0000,E,0,00,0.0,0.0,M,,,,0000*00';
const RMC_GIDS_NO_FIX = '$GPRMC,235947.000,V,0000.0000,N,00000.0000,E,,,041299,,*1D';
const RMC_GPSD_GN = '$GNRMC,001031.00,A,4404.13993,N,12118.86023,W,0.146,,100117,,,A*7B';
const RMC_GPSD_MT3339 = '$GPRMC,202640.000,A,4404.1306,N,12118.8515,W,0.03,225.97,130415,,,D*73';

/**
 * Constructed no-fix sentences in the form receivers emit before their first fix (all fields
 * empty, NMEA 2.3 mode `N`). Checksums worked by hand, XOR of the ASCII codes between $ and *:
 * - `GPGLL,,,,,,V,N`: G^P^G^L^L = 0x47^0x50^0x47^0x4C^0x4C = 0x50; seven commas (odd) ^0x2C → 0x7C;
 *   ^'V'(0x56) → 0x2A; ^'N'(0x4E) → 0x64.
 * - `GPRMC,,V,,,,,,,,,,N`: G^P^R^M^C = 0x4B; twelve commas cancel; ^'V' → 0x1D; ^'N' → 0x53.
 * - `GPVTG,,,,,,,,,N`: G^P^V^T^G = 0x52; nine commas → ^0x2C = 0x7E; ^'N' → 0x30.
 * - `GPGGA,,,,,,0,00,99.99,,,,,,`: G^P^G^G^A = 0x56; fourteen commas cancel; '0'×3 → 0x30,
 *   '9'×4 cancel, '.' 0x2E → 0x1E; 0x56^0x1E = 0x48.
 */
const GLL_NO_FIX = '$GPGLL,,,,,,V,N*64';
const RMC_NO_FIX = '$GPRMC,,V,,,,,,,,,,N*53';
const VTG_NO_FIX = '$GPVTG,,,,,,,,,N*30';
const GGA_NO_FIX = '$GPGGA,,,,,,0,00,99.99,,,,,,*48';

/** Re-signs a body with a correct checksum, for tests about fields rather than checksums. */
function sign(body: string): string {
  return `$${body}*${nmeaChecksum(body)}`;
}

function errorOf(sentence: string): NmeaError {
  try {
    parseNmea(sentence);
  } catch (error) {
    if (error instanceof NmeaError) return error;
    throw error;
  }
  throw new Error(`expected ${sentence} to be rejected`);
}

function expectCode(sentence: string, code: NmeaErrorCode, field?: string) {
  const error = errorOf(sentence);
  expect(error.code).toBe(code);
  if (field) expect(error.field).toBe(field);
  return error;
}

describe('nmeaChecksum', () => {
  it('matches the hand-worked XOR of the constructed no-fix sentences', () => {
    expect(nmeaChecksum('GPGLL,,,,,,V,N')).toBe('64');
    expect(nmeaChecksum('GPRMC,,V,,,,,,,,,,N')).toBe('53');
    expect(nmeaChecksum('GPVTG,,,,,,,,,N')).toBe('30');
    expect(nmeaChecksum('GPGGA,,,,,,0,00,99.99,,,,,,')).toBe('48');
  });

  it('pads to two hex digits', () => {
    // 'A' ^ 'A' = 0 → "00"; 'A' ^ 'B' = 0x41 ^ 0x42 = 0x03 → "03".
    expect(nmeaChecksum('AA')).toBe('00');
    expect(nmeaChecksum('AB')).toBe('03');
  });
});

describe('parseNmea — GGA', () => {
  it('reads the DePriest / NMEA Revealed GGA example', () => {
    // 4807.038,N = 48° + 7.038'/60 = 48.1173; 01131.000,E = 11° + 31'/60 = 11.5166667.
    expect(parseNmea(GGA_DEPRIEST)).toEqual({
      talker: 'GP',
      type: 'GGA',
      utcTime: '12:35:19',
      latitude: 48.1173,
      longitude: 11.5166667,
      fixValid: true,
      fixQuality: 1,
      satellites: 8,
      hdop: 0.9,
      altitudeM: 545.4,
      geoidSeparationM: 46.9,
    });
  });

  it('reports no fix for quality 0 and nulls the coordinates (gids "signal not acquired")', () => {
    const fix = parseNmea(GGA_GIDS_NO_FIX);
    expect(fix.fixValid).toBe(false);
    expect(fix.fixQuality).toBe(0);
    expect(fix.latitude).toBeNull();
    expect(fix.longitude).toBeNull();
    expect(fix.utcTime).toBe('23:59:47.000');
  });

  it('reads an all-empty pre-fix GGA', () => {
    const fix = parseNmea(GGA_NO_FIX);
    expect(fix).toMatchObject({ fixValid: false, latitude: null, longitude: null, satellites: 0, hdop: 99.99 });
    expect(fix.utcTime).toBeUndefined();
  });

  it('accepts any talker (GN, GL, GA, GB, BD) — same fields, same answer', () => {
    for (const talker of ['GN', 'GL', 'GA', 'GB', 'BD']) {
      const fix = parseNmea(sign(`${talker}GGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,`));
      expect(fix.talker).toBe(talker);
      expect(fix.latitude).toBe(48.1173);
    }
  });

  it('signs southern and western coordinates negative', () => {
    const fix = parseNmea(sign('GPGGA,123519,4807.038,S,01131.000,W,1,08,0.9,545.4,M,46.9,M,,'));
    expect(fix.latitude).toBe(-48.1173);
    expect(fix.longitude).toBe(-11.5166667);
  });

  it('reads negative geoid separation and fractional seconds', () => {
    // gpsd NMEA Revealed GGA example with the GN talker.
    const fix = parseNmea('$GNGGA,001043.00,4404.14036,N,12118.85961,W,1,12,0.98,1113.0,M,-21.3,M,,*47');
    expect(fix).toMatchObject({ utcTime: '00:10:43.000', satellites: 12, hdop: 0.98, altitudeM: 1113, geoidSeparationM: -21.3 });
    // 44° + 4.14036'/60 = 44.069006; 121° + 18.85961'/60 = 121.3143268(3).
    expect(fix.latitude).toBe(44.069006);
    expect(fix.longitude).toBe(-121.3143268);
  });

  it('rejects a fix quality outside 0–8 and a non-metre altitude unit', () => {
    expectCode(sign('GPGGA,123519,4807.038,N,01131.000,E,9,08,0.9,545.4,M,46.9,M,,'), 'malformed-field', 'fixQuality');
    expectCode(sign('GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,F,46.9,M,,'), 'malformed-field', 'altitudeUnit');
    expectCode(sign('GPGGA,123519,4807.038,N,01131.000,E,,08,0.9,545.4,M,46.9,M,,'), 'malformed-field', 'fixQuality');
  });

  it('rejects a GGA with fewer than 14 data fields as truncated', () => {
    const error = expectCode(sign('GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M'), 'truncated');
    expect(error.message).toContain('14');
  });
});

describe('parseNmea — RMC', () => {
  it('reads the DePriest / NMEA Revealed RMC example, with date and west variation negative', () => {
    expect(parseNmea(RMC_DEPRIEST)).toEqual({
      talker: 'GP',
      type: 'RMC',
      utcTime: '12:35:19',
      // 230394: 23 March, yy = 94 ≥ 80 → 1994.
      datetimeUtc: '1994-03-23T12:35:19.000Z',
      latitude: 48.1173,
      longitude: 11.5166667,
      fixValid: true,
      speedKnots: 22.4,
      courseTrueDeg: 84.4,
      magneticVariationDeg: -3.1,
      status: 'A',
    });
  });

  it('reads the gids RMC examples (south/east, east variation positive)', () => {
    const one = parseNmea(RMC_GIDS_1);
    // 3751.65,S = −(37 + 51.65/60) = −37.8608333; 14507.36,E = 145 + 7.36/60 = 145.1226667.
    expect(one).toMatchObject({ latitude: -37.8608333, longitude: 145.1226667, speedKnots: 0, courseTrueDeg: 360, magneticVariationDeg: 11.3 });
    expect(one.datetimeUtc).toBe('1998-09-13T08:18:36.000Z');
    const two = parseNmea(RMC_GIDS_2);
    // 4916.45,N = 49 + 16.45/60 = 49.2741667; 12311.12,W = −(123 + 11.12/60) = −123.1853333.
    expect(two).toMatchObject({ latitude: 49.2741667, longitude: -123.1853333, speedKnots: 0.5, courseTrueDeg: 54.7, magneticVariationDeg: 20.3 });
    expect(two.datetimeUtc).toBe('1994-11-19T22:54:46.000Z');
  });

  it('maps yy < 80 to 20yy (gpsd GN example, 100117 → 2017-01-10)', () => {
    const fix = parseNmea(RMC_GPSD_GN);
    expect(fix).toMatchObject({ talker: 'GN', datetimeUtc: '2017-01-10T00:10:31.000Z', speedKnots: 0.146, modeIndicator: 'A', fixValid: true });
    expect(fix.courseTrueDeg).toBeUndefined();
    expect(fix.magneticVariationDeg).toBeUndefined();
  });

  it('agrees with gpsd’s own decoding of an MT3339 log line', () => {
    const fix = parseNmea(RMC_GPSD_MT3339);
    expect(fix.datetimeUtc).toBe('2015-04-13T20:26:40.000Z');
    // gpsd: lat 44.068843333, lon −121.314191667 (9 decimals) → 7 decimals.
    expect(fix.latitude).toBe(44.0688433);
    expect(fix.longitude).toBe(-121.3141917);
    expect(fix.modeIndicator).toBe('D');
  });

  it('treats status V as no fix even when coordinates are present (gids "signal not acquired")', () => {
    const fix = parseNmea(RMC_GIDS_NO_FIX);
    expect(fix).toMatchObject({ status: 'V', fixValid: false, latitude: null, longitude: null });
    // 041299 → 4 December 1999 (yy 99 ≥ 80).
    expect(fix.datetimeUtc).toBe('1999-12-04T23:59:47.000Z');
  });

  it('treats mode N as no fix and gives no instant without a time', () => {
    const fix = parseNmea(RMC_NO_FIX);
    expect(fix).toMatchObject({ fixValid: false, modeIndicator: 'N', latitude: null });
    expect(fix.datetimeUtc).toBeUndefined();
    // Status A but mode N (NMEA 2.3): still not valid.
    expect(parseNmea(sign('GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W,N')).fixValid).toBe(false);
  });

  it('reads the u-blox RMC example and accepts the NMEA 4.1 navigational-status field after the mode', () => {
    // u-blox 8 / M8 Receiver Description (UBX-13003221), NMEA RMC message, example
    // `$GPRMC,083559.00,A,4717.11437,N,00833.91522,E,0.004,77.52,091202,,,A*57` (checksum verified).
    // 4717.11437 = 47 + 17.11437/60 = 47.2852395; 00833.91522 = 8 + 33.91522/60 = 8.5652537.
    expect(parseNmea('$GPRMC,083559.00,A,4717.11437,N,00833.91522,E,0.004,77.52,091202,,,A*57')).toMatchObject({
      latitude: 47.2852395,
      longitude: 8.5652537,
      speedKnots: 0.004,
      courseTrueDeg: 77.52,
      datetimeUtc: '2002-12-09T08:35:59.000Z',
    });
    // The same with NMEA 4.1's navStatus appended (13 fields), re-signed.
    const fix = parseNmea(sign('GNRMC,083559.00,A,4717.11437,N,00833.91522,E,0.004,77.52,091202,,,A,V'));
    expect(fix).toMatchObject({ fixValid: true, latitude: 47.2852395, longitude: 8.5652537, datetimeUtc: '2002-12-09T08:35:59.000Z' });
  });

  it('keeps milliseconds from fractional seconds', () => {
    expect(parseNmea(sign('GPRMC,123519.5,A,4807.038,N,01131.000,E,022.4,084.4,230394,,')).datetimeUtc).toBe('1994-03-23T12:35:19.500Z');
    expect(parseNmea(sign('GPRMC,123519.123456,A,4807.038,N,01131.000,E,022.4,084.4,230394,,')).utcTime).toBe('12:35:19.123');
  });

  it('rejects impossible dates and times, unknown status, variation without side', () => {
    expectCode(sign('GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,300294,,'), 'malformed-field', 'date');
    expectCode(sign('GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,231394,,'), 'malformed-field', 'date');
    expectCode(sign('GPRMC,243519,A,4807.038,N,01131.000,E,022.4,084.4,230394,,'), 'malformed-field', 'utcTime');
    expectCode(sign('GPRMC,1235,A,4807.038,N,01131.000,E,022.4,084.4,230394,,'), 'malformed-field', 'utcTime');
    expectCode(sign('GPRMC,123519,X,4807.038,N,01131.000,E,022.4,084.4,230394,,'), 'malformed-field', 'status');
    expectCode(sign('GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,'), 'malformed-field', 'magneticVariationDeg');
    expectCode(sign('GPRMC,123519,A,4807.038,N,01131.000,E,fast,084.4,230394,,'), 'malformed-field', 'speedKnots');
    expectCode(sign('GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,230394,,,Q'), 'malformed-field', 'modeIndicator');
  });

  it('accepts 29 February in a leap year only', () => {
    expect(parseNmea(sign('GPRMC,000000,A,4807.038,N,01131.000,E,0,0,290224,,')).datetimeUtc).toBe('2024-02-29T00:00:00.000Z');
    expectCode(sign('GPRMC,000000,A,4807.038,N,01131.000,E,0,0,290225,,'), 'malformed-field', 'date');
  });

  it('rejects an RMC of 10 fields as truncated', () => {
    expectCode(sign('GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1'), 'truncated');
  });
});

describe('parseNmea — GLL', () => {
  it('reads the DePriest / NMEA Revealed GLL example', () => {
    expect(parseNmea(GLL_DEPRIEST)).toEqual({
      talker: 'GP',
      type: 'GLL',
      utcTime: '22:54:44',
      latitude: 49.2741667,
      longitude: -123.1853333,
      fixValid: true,
      status: 'A',
    });
  });

  it('treats status V or mode N as no fix', () => {
    expect(parseNmea(GLL_NO_FIX)).toMatchObject({ fixValid: false, latitude: null, longitude: null, status: 'V', modeIndicator: 'N' });
    expect(parseNmea(sign('GPGLL,4916.45,N,12311.12,W,225444,A,N')).fixValid).toBe(false);
    expect(parseNmea(sign('GPGLL,4916.45,N,12311.12,W,225444,V,A')).fixValid).toBe(false);
  });

  it('refuses the 4-field Loran-era GLL (no status) as truncated', () => {
    // DePriest notes old units may omit time and status. Baddeley (aprs.gids.nl/nmea, $GPGLL eg1)
    // publishes this form; checksum verified (XOR = 0x77).
    expectCode('$GPGLL,3751.65,S,14507.36,E*77', 'truncated');
  });
});

describe('parseNmea — VTG', () => {
  it('reads the DePriest VTG example (5.5 kn ≈ 10.2 km/h)', () => {
    expect(parseNmea(VTG_DEPRIEST)).toEqual({
      talker: 'GP',
      type: 'VTG',
      latitude: null,
      longitude: null,
      fixValid: true,
      courseTrueDeg: 54.7,
      courseMagneticDeg: 34.4,
      speedKnots: 5.5,
      speedKmh: 10.2,
    });
  });

  it('reads mode N as no fix', () => {
    expect(parseNmea(VTG_NO_FIX)).toMatchObject({ fixValid: false, modeIndicator: 'N' });
    expect(parseNmea(VTG_NO_FIX).speedKnots).toBeUndefined();
  });

  it('rejects wrong unit letters and the 4-field NMEA 1.5 form', () => {
    expectCode(sign('GPVTG,054.7,T,034.4,M,005.5,K,010.2,N'), 'malformed-field', 'speedKnotsUnit');
    expectCode(sign('GPVTG,054.7,034.4,005.5,010.2'), 'truncated');
  });
});

describe('parseNmea — framing and checksum', () => {
  it('tolerates trailing CR/LF', () => {
    expect(parseNmea(`${GGA_DEPRIEST}\r\n`).latitude).toBe(48.1173);
    expect(parseNmea(`${GGA_DEPRIEST}\n`).latitude).toBe(48.1173);
  });

  it('accepts a lower-case checksum', () => {
    expect(parseNmea('$GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W*6a').fixValid).toBe(true);
  });

  it('rejects a wrong checksum, saying what was expected and found', () => {
    const error = expectCode('$GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,*48', 'checksum');
    expect(error.message).toBe('checksum mismatch: expected 47, found 48');
  });

  it('catches a single altered digit (4807 → 4808 flips the low bits: 0x47 ^ 0x37 ^ 0x38 = 0x48)', () => {
    const error = expectCode('$GPGGA,123519,4808.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,*47', 'checksum');
    expect(error.message).toContain('expected 48');
  });

  it('rejects a missing checksum', () => {
    expect(expectCode('$GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,', 'checksum').message).toMatch(/missing/);
  });

  it('rejects a checksum that is not exactly two hex digits', () => {
    expectCode('$GPGLL,4916.45,N,12311.12,W,225444,A,*1', 'checksum');
    expectCode('$GPGLL,4916.45,N,12311.12,W,225444,A,*1DX', 'checksum');
    expectCode('$GPGLL,4916.45,N,12311.12,W,225444,A,*ZZ', 'checksum');
  });

  it('rejects text that is not an NMEA sentence', () => {
    expectCode('GPGGA,123519*00', 'not-nmea');
    expectCode('', 'not-nmea');
    expectCode(' $GPGLL,4916.45,N,12311.12,W,225444,A,*1D', 'not-nmea');
    expectCode(sign('GPG,1,2'), 'not-nmea');
    expectCode('$GPGLL,4916.45,N,12311.12,W,225444,A,\u00e9*1D', 'not-nmea');
    expect(errorOf(42 as unknown as string).code).toBe('not-nmea');
  });

  it('rejects other sentence types, proprietary and encapsulated sentences as unsupported', () => {
    // DePriest GSA example.
    expectCode('$GPGSA,A,3,04,05,,09,12,,,24,,,,,2.5,1.3,2.1*39', 'unsupported-type');
    expectCode(sign('PUBX,00,081350.00'), 'unsupported-type');
    expectCode('!AIVDM,1,1,,B,177KQJ5000G?tO`K>RA1wUbN0TKH,0*5C', 'unsupported-type');
  });

  it('rejects malformed coordinates', () => {
    expectCode(sign('GPGLL,4916.45,X,12311.12,W,225444,A'), 'malformed-field', 'latitude');
    expectCode(sign('GPGLL,4916.45,N,12311.12,Q,225444,A'), 'malformed-field', 'longitude');
    expectCode(sign('GPGLL,4960.00,N,12311.12,W,225444,A'), 'malformed-field', 'latitude'); // 60 minutes
    expectCode(sign('GPGLL,9100.00,N,12311.12,W,225444,A'), 'malformed-field', 'latitude'); // 91°
    expectCode(sign('GPGLL,4916.45,N,18100.00,W,225444,A'), 'malformed-field', 'longitude'); // 181°
    expectCode(sign('GPGLL,49a6.45,N,12311.12,W,225444,A'), 'malformed-field', 'latitude');
    expectCode(sign('GPGLL,4916.45,N,,W,225444,A'), 'malformed-field', 'longitude'); // half a position
  });
});

describe('parseNmeaStream', () => {
  it('splits on CR/LF, LF or CR, parsing fixes and collecting errors with line numbers', () => {
    const text = [GGA_DEPRIEST, '$GPGSA,A,3,04,05,,09,12,,,24,,,,,2.5,1.3,2.1*39', '', RMC_DEPRIEST.replace('*6A', '*6B'), GLL_DEPRIEST].join('\r\n') + '\n' + VTG_DEPRIEST + '\r' + 'garbage';
    const result = parseNmeaStream(text);
    expect(result.fixes.map((f) => f.type)).toEqual(['GGA', 'GLL', 'VTG']);
    expect(result.skipped).toEqual([{ line: 2, sentence: '$GPGSA,A,3,04,05,,09,12,,,24,,,,,2.5,1.3,2.1*39' }]);
    expect(result.errors.map((e) => [e.line, e.code])).toEqual([
      [4, 'checksum'],
      [7, 'not-nmea'],
    ]);
    expect(result.errors[0].message).toBe('checksum mismatch: expected 6A, found 6B');
    expect(result.remainder).toBe('');
  });

  it('keeps an unterminated tail for the next chunk when asked', () => {
    const chunk = `${GGA_DEPRIEST}\r\n${RMC_DEPRIEST.slice(0, 20)}`;
    const first = parseNmeaStream(chunk, { keepPartialTail: true });
    expect(first.fixes).toHaveLength(1);
    expect(first.errors).toHaveLength(0);
    expect(first.remainder).toBe(RMC_DEPRIEST.slice(0, 20));
    const second = parseNmeaStream(first.remainder + RMC_DEPRIEST.slice(20) + '\r\n', { keepPartialTail: true });
    expect(second.fixes[0].datetimeUtc).toBe('1994-03-23T12:35:19.000Z');
    expect(second.remainder).toBe('');
  });

  it('returns nothing for empty input', () => {
    expect(parseNmeaStream('')).toEqual({ fixes: [], errors: [], skipped: [], remainder: '' });
  });
});
