/**
 * NMEA 0183 position sentences: GGA, RMC, GLL and VTG from any talker.
 *
 * Field layouts follow the NMEA 0183 standard as described in "NMEA Revealed" (Eric S. Raymond,
 * gpsd project) and receiver manuals (e.g. u-blox 8 / M8 Receiver Description, section "NMEA
 * Protocol"). Only `$` sentences with a checksum are accepted: our ingestion API requires it, so a
 * sentence without `*hh` is rejected rather than trusted.
 */

export type NmeaErrorCode = 'not-nmea' | 'checksum' | 'unsupported-type' | 'truncated' | 'malformed-field';

export class NmeaError extends Error {
  override readonly name = 'NmeaError';
  constructor(
    readonly code: NmeaErrorCode,
    message: string,
    /** The offending field (e.g. `latitude`), when one field is to blame. */
    readonly field?: string,
  ) {
    super(message);
  }
}

export const SUPPORTED_NMEA_TYPES = ['GGA', 'RMC', 'GLL', 'VTG'] as const;
export type NmeaSentenceType = (typeof SUPPORTED_NMEA_TYPES)[number];

/**
 * Data fields each type needs (after the address field). Later NMEA versions append fields
 * (the 2.3 mode indicator, the 4.1 navigational status), so more fields are accepted.
 * - GGA: 14 fields since NMEA 2.0.
 * - RMC: 11 before 2.3 (mode indicator makes 12, navigational status 13).
 * - GLL: 6 (time and status; the 4-field Loran-era form carries no validity and is refused).
 * - VTG: 8 with unit letters (the 4-field NMEA 1.5 form without letters is refused).
 */
const REQUIRED_FIELDS: Record<NmeaSentenceType, number> = { GGA: 14, RMC: 11, GLL: 6, VTG: 8 };

export interface NmeaFix {
  /** Talker identifier, e.g. `GP` (GPS), `GN` (multi-GNSS), `GL`, `GA`, `GB`/`BD`. */
  talker: string;
  type: NmeaSentenceType;
  /** `hh:mm:ss` or `hh:mm:ss.sss` (fraction normalised to milliseconds). */
  utcTime?: string;
  /** RMC only: full UTC instant as ISO 8601 (RMC is the sentence that carries the date). */
  datetimeUtc?: string;
  /** Signed decimal degrees (south negative), 7 decimals; null without a valid fix. */
  latitude: number | null;
  /** Signed decimal degrees (west negative), 7 decimals; null without a valid fix. */
  longitude: number | null;
  fixValid: boolean;
  /** GGA fix quality: 0 invalid, 1 GPS, 2 DGPS, 3 PPS, 4 RTK fixed, 5 RTK float, 6 dead reckoning, 7 manual, 8 simulation. */
  fixQuality?: number;
  satellites?: number;
  hdop?: number;
  /** GGA antenna altitude above mean sea level (metres). */
  altitudeM?: number;
  /** GGA geoid separation (metres). */
  geoidSeparationM?: number;
  speedKnots?: number;
  courseTrueDeg?: number;
  /** VTG course relative to magnetic north. */
  courseMagneticDeg?: number;
  /** VTG speed in km/h. */
  speedKmh?: number;
  /** RMC magnetic variation, east positive, west negative. */
  magneticVariationDeg?: number;
  /** RMC/GLL status: `A` valid, `V` void. */
  status?: string;
  /** NMEA 2.3+ mode indicator: A autonomous, D differential, E estimated, M manual, S simulator, N not valid. */
  modeIndicator?: string;
}

/** XOR of every character strictly between `$` and `*`, as two upper-case hex digits. */
export function nmeaChecksum(body: string): string {
  let x = 0;
  for (let i = 0; i < body.length; i++) x ^= body.charCodeAt(i);
  return x.toString(16).toUpperCase().padStart(2, '0');
}

/** Parses one sentence; throws {@link NmeaError}. Trailing CR/LF is tolerated. */
export function parseNmea(sentence: string): NmeaFix {
  if (typeof sentence !== 'string') throw new NmeaError('not-nmea', 'an NMEA sentence must be a string');
  const line = sentence.replace(/[\r\n]+$/, '');
  if (line.startsWith('!')) {
    throw new NmeaError('unsupported-type', 'encapsulated (!) sentences such as AIS are not supported');
  }
  if (!line.startsWith('$')) throw new NmeaError('not-nmea', 'an NMEA sentence starts with "$"');
  if (/[^\x20-\x7e]/.test(line)) throw new NmeaError('not-nmea', 'an NMEA sentence holds printable ASCII only');

  const star = line.indexOf('*');
  if (star < 0) throw new NmeaError('checksum', 'checksum missing: the sentence must end with "*hh"');
  const given = line.slice(star + 1);
  if (!/^[0-9A-Fa-f]{2}$/.test(given)) {
    throw new NmeaError('checksum', `checksum must be two hex digits after "*", found "${given}"`);
  }
  const body = line.slice(1, star);
  const expected = nmeaChecksum(body);
  if (given.toUpperCase() !== expected) {
    throw new NmeaError('checksum', `checksum mismatch: expected ${expected}, found ${given.toUpperCase()}`);
  }

  const fields = body.split(',');
  const address = fields[0];
  if (address.startsWith('P')) {
    throw new NmeaError('unsupported-type', `proprietary sentence "${address}" is not supported`);
  }
  if (!/^[A-Z]{2}[A-Z]{3}$/.test(address)) {
    throw new NmeaError('not-nmea', `address field "${address}" is not a talker (2 letters) and a type (3 letters)`);
  }
  const talker = address.slice(0, 2);
  const type = address.slice(2);
  if (!(SUPPORTED_NMEA_TYPES as readonly string[]).includes(type)) {
    throw new NmeaError('unsupported-type', `sentence type ${type} is not supported (GGA, RMC, GLL, VTG are)`);
  }
  const t = type as NmeaSentenceType;
  const data = fields.slice(1);
  if (data.length < REQUIRED_FIELDS[t]) {
    throw new NmeaError('truncated', `${t} needs ${REQUIRED_FIELDS[t]} data fields, found ${data.length}`);
  }
  switch (t) {
    case 'GGA':
      return parseGga(talker, data);
    case 'RMC':
      return parseRmc(talker, data);
    case 'GLL':
      return parseGll(talker, data);
    case 'VTG':
      return parseVtg(talker, data);
  }
}

function parseGga(talker: string, f: string[]): NmeaFix {
  const utcTime = parseTime(f[0]);
  const position = parsePosition(f[1], f[2], f[3], f[4]);
  const quality = optionalInteger(f[5], 'fixQuality');
  if (quality === undefined) throw new NmeaError('malformed-field', 'GGA fix quality is empty', 'fixQuality');
  if (quality > 8) throw new NmeaError('malformed-field', `GGA fix quality ${quality} is not 0–8`, 'fixQuality');
  const altitudeM = optionalNumber(f[8], 'altitudeM');
  unitLetter(f[9], 'M', 'altitudeUnit');
  const geoidSeparationM = optionalNumber(f[10], 'geoidSeparationM');
  unitLetter(f[11], 'M', 'geoidSeparationUnit');
  const fixValid = quality > 0 && position !== null;
  return clean({
    talker,
    type: 'GGA',
    utcTime: utcTime?.text,
    latitude: fixValid ? position.latitude : null,
    longitude: fixValid ? position.longitude : null,
    fixValid,
    fixQuality: quality,
    satellites: optionalInteger(f[6], 'satellites'),
    hdop: optionalNumber(f[7], 'hdop'),
    altitudeM,
    geoidSeparationM,
  });
}

function parseRmc(talker: string, f: string[]): NmeaFix {
  const utcTime = parseTime(f[0]);
  const status = statusLetter(f[1], 'status');
  const position = parsePosition(f[2], f[3], f[4], f[5]);
  const date = parseDate(f[8]);
  const variation = optionalNumber(f[9], 'magneticVariationDeg');
  const variationSide = f[10];
  let magneticVariationDeg: number | undefined;
  if (variation !== undefined) {
    if (variationSide !== 'E' && variationSide !== 'W') {
      throw new NmeaError('malformed-field', `magnetic variation needs E or W, found "${variationSide}"`, 'magneticVariationDeg');
    }
    magneticVariationDeg = variationSide === 'W' ? -variation : variation;
  }
  const modeIndicator = modeLetter(f[11]);
  const fixValid = status === 'A' && modeIndicator !== 'N' && position !== null;
  let datetimeUtc: string | undefined;
  if (date && utcTime) {
    datetimeUtc = new Date(Date.UTC(date.year, date.month - 1, date.day, utcTime.h, utcTime.m, utcTime.s, utcTime.ms)).toISOString();
  }
  return clean({
    talker,
    type: 'RMC',
    utcTime: utcTime?.text,
    datetimeUtc,
    latitude: fixValid ? position.latitude : null,
    longitude: fixValid ? position.longitude : null,
    fixValid,
    speedKnots: optionalNumber(f[6], 'speedKnots'),
    courseTrueDeg: optionalNumber(f[7], 'courseTrueDeg'),
    magneticVariationDeg,
    status,
    modeIndicator,
  });
}

function parseGll(talker: string, f: string[]): NmeaFix {
  const position = parsePosition(f[0], f[1], f[2], f[3]);
  const utcTime = parseTime(f[4]);
  const status = statusLetter(f[5], 'status');
  const modeIndicator = modeLetter(f[6]);
  const fixValid = status === 'A' && modeIndicator !== 'N' && position !== null;
  return clean({
    talker,
    type: 'GLL',
    utcTime: utcTime?.text,
    latitude: fixValid ? position.latitude : null,
    longitude: fixValid ? position.longitude : null,
    fixValid,
    status,
    modeIndicator,
  });
}

function parseVtg(talker: string, f: string[]): NmeaFix {
  const courseTrueDeg = optionalNumber(f[0], 'courseTrueDeg');
  unitLetter(f[1], 'T', 'courseTrueUnit');
  const courseMagneticDeg = optionalNumber(f[2], 'courseMagneticDeg');
  unitLetter(f[3], 'M', 'courseMagneticUnit');
  const speedKnots = optionalNumber(f[4], 'speedKnots');
  unitLetter(f[5], 'N', 'speedKnotsUnit');
  const speedKmh = optionalNumber(f[6], 'speedKmh');
  unitLetter(f[7], 'K', 'speedKmhUnit');
  const modeIndicator = modeLetter(f[8]);
  // VTG has no status field: before NMEA 2.3 the only sign of a fix is that it carries data.
  const fixValid = modeIndicator !== undefined ? modeIndicator !== 'N' : speedKnots !== undefined || speedKmh !== undefined;
  return clean({
    talker,
    type: 'VTG',
    latitude: null,
    longitude: null,
    fixValid,
    courseTrueDeg,
    courseMagneticDeg,
    speedKnots,
    speedKmh,
    modeIndicator,
  });
}

// ---------------------------------------------------------------------------------------------
// Fields

interface UtcTime {
  h: number;
  m: number;
  s: number;
  ms: number;
  text: string;
}

function parseTime(field: string): UtcTime | undefined {
  if (field === '') return undefined;
  const match = /^(\d{2})(\d{2})(\d{2})(?:\.(\d+))?$/.exec(field);
  if (!match) throw new NmeaError('malformed-field', `UTC time "${field}" is not hhmmss(.sss)`, 'utcTime');
  const h = Number(match[1]);
  const m = Number(match[2]);
  const s = Number(match[3]);
  // 60 seconds is allowed for a leap second.
  if (h > 23 || m > 59 || s > 60) throw new NmeaError('malformed-field', `UTC time "${field}" is out of range`, 'utcTime');
  const fraction = match[4];
  const msText = fraction === undefined ? undefined : fraction.slice(0, 3).padEnd(3, '0');
  const ms = msText === undefined ? 0 : Number(msText);
  const text = `${match[1]}:${match[2]}:${match[3]}${msText === undefined ? '' : `.${msText}`}`;
  return { h, m, s, ms, text };
}

/**
 * `ddmmyy`. NMEA carries a two-digit year; we read yy < 80 as 20yy and yy ≥ 80 as 19yy (the
 * pivot gpsd uses), which maps GPS-era receivers (1980 onwards) to the right century until 2079.
 */
function parseDate(field: string): { year: number; month: number; day: number } | undefined {
  if (field === '') return undefined;
  const match = /^(\d{2})(\d{2})(\d{2})$/.exec(field);
  if (!match) throw new NmeaError('malformed-field', `date "${field}" is not ddmmyy`, 'date');
  const day = Number(match[1]);
  const month = Number(match[2]);
  const yy = Number(match[3]);
  const year = yy < 80 ? 2000 + yy : 1900 + yy;
  const daysInMonth = month >= 1 && month <= 12 ? new Date(Date.UTC(year, month, 0)).getUTCDate() : 0;
  if (day < 1 || day > daysInMonth) throw new NmeaError('malformed-field', `date "${field}" is not a real date`, 'date');
  return { year, month, day };
}

/**
 * Latitude `ddmm.mmmm` and longitude `dddmm.mmmm` with hemisphere letters to signed decimal
 * degrees. Both empty → null (no position); one without the other is malformed.
 */
function parsePosition(lat: string, ns: string, lon: string, ew: string): { latitude: number; longitude: number } | null {
  if (lat === '' && lon === '' && ns === '' && ew === '') return null;
  if (lat === '' || lon === '') {
    throw new NmeaError('malformed-field', 'latitude and longitude must both be present or both empty', lat === '' ? 'latitude' : 'longitude');
  }
  const latitude = degreesMinutes(lat, 2, 90, 'latitude');
  const longitude = degreesMinutes(lon, 3, 180, 'longitude');
  if (ns !== 'N' && ns !== 'S') throw new NmeaError('malformed-field', `latitude hemisphere must be N or S, found "${ns}"`, 'latitude');
  if (ew !== 'E' && ew !== 'W') throw new NmeaError('malformed-field', `longitude hemisphere must be E or W, found "${ew}"`, 'longitude');
  return { latitude: round7(ns === 'S' ? -latitude : latitude), longitude: round7(ew === 'W' ? -longitude : longitude) };
}

function degreesMinutes(field: string, degreeDigits: number, maxDegrees: number, name: string): number {
  // Whole minutes are always two digits; degrees may be zero-padded (standard) or not (some receivers).
  const match = /^(\d{1,3})(\d{2})(?:\.(\d*))?$/.exec(field);
  if (!match || match[1].length > degreeDigits) {
    throw new NmeaError('malformed-field', `${name} "${field}" is not ${degreeDigits === 2 ? 'ddmm.mmmm' : 'dddmm.mmmm'}`, name);
  }
  const degrees = Number(match[1]);
  const minutes = Number(`${match[2]}.${match[3] ?? ''}0`);
  if (minutes >= 60) throw new NmeaError('malformed-field', `${name} "${field}" has ${minutes} minutes (must be < 60)`, name);
  const value = degrees + minutes / 60;
  if (value > maxDegrees) throw new NmeaError('malformed-field', `${name} "${field}" exceeds ${maxDegrees}°`, name);
  return value;
}

/** Rounds half away from zero so that N and S (E and W) round symmetrically. */
function round7(value: number): number {
  const r = Math.round(Math.abs(value) * 1e7) / 1e7;
  return value < 0 ? -r : r;
}

function optionalNumber(field: string, name: string): number | undefined {
  if (field === '') return undefined;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)$/.test(field)) throw new NmeaError('malformed-field', `${name} "${field}" is not a number`, name);
  return Number(field);
}

function optionalInteger(field: string, name: string): number | undefined {
  if (field === '') return undefined;
  if (!/^\d+$/.test(field)) throw new NmeaError('malformed-field', `${name} "${field}" is not a whole number`, name);
  return Number(field);
}

function unitLetter(field: string, expected: string, name: string): void {
  if (field !== '' && field !== expected) {
    throw new NmeaError('malformed-field', `${name} must be "${expected}", found "${field}"`, name);
  }
}

function statusLetter(field: string, name: string): 'A' | 'V' {
  if (field !== 'A' && field !== 'V') throw new NmeaError('malformed-field', `status must be A or V, found "${field}"`, name);
  return field;
}

function modeLetter(field: string | undefined): string | undefined {
  if (field === undefined || field === '') return undefined;
  // A autonomous, D differential, E estimated, F float RTK, M manual, N not valid, P precise, R RTK, S simulator.
  if (!/^[ADEFMNPRS]$/.test(field)) throw new NmeaError('malformed-field', `mode indicator "${field}" is unknown`, 'modeIndicator');
  return field;
}

function clean(fix: NmeaFix): NmeaFix {
  for (const key of Object.keys(fix) as (keyof NmeaFix)[]) if (fix[key] === undefined) delete fix[key];
  return fix;
}

// ---------------------------------------------------------------------------------------------
// Streams

export interface NmeaStreamError {
  /** 1-based line number in the text given. */
  line: number;
  sentence: string;
  code: NmeaErrorCode;
  message: string;
}

export interface NmeaStreamResult {
  fixes: NmeaFix[];
  /** Lines that failed: bad checksum, truncated, malformed, not NMEA. */
  errors: NmeaStreamError[];
  /** Well-formed sentences of types we do not read (GSA, GSV, proprietary…): normal traffic, not errors. */
  skipped: { line: number; sentence: string }[];
  /** With `keepPartialTail`, an unterminated last line for the caller to prepend to the next chunk. */
  remainder: string;
}

/**
 * Splits text from a TCP stream on CR/LF and parses each non-blank line. With
 * `keepPartialTail`, a last line not yet ended by a line break is returned as `remainder` instead
 * of being parsed (the rest of it may still be on the wire).
 */
export function parseNmeaStream(text: string, options: { keepPartialTail?: boolean } = {}): NmeaStreamResult {
  const lines = text.split(/\r\n|\r|\n/);
  let remainder = '';
  if (options.keepPartialTail) remainder = lines.pop() ?? '';
  const result: NmeaStreamResult = { fixes: [], errors: [], skipped: [], remainder };
  lines.forEach((raw, i) => {
    const sentence = raw.trim();
    if (sentence === '') return;
    try {
      result.fixes.push(parseNmea(sentence));
    } catch (error) {
      if (!(error instanceof NmeaError)) throw error;
      if (error.code === 'unsupported-type') result.skipped.push({ line: i + 1, sentence });
      else result.errors.push({ line: i + 1, sentence, code: error.code, message: error.message });
    }
  });
  return result;
}
