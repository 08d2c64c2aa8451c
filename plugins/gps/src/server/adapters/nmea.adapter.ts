/**
 * `nmea`: receivers and trackers that send NMEA 0183 text — lines over TCP (after a `KEY` login
 * line), MQTT messages or HTTP bodies holding one or more sentences.
 *
 * The sentences of one fix share its UTC time; they are combined into one position: the
 * coordinates of RMC (else GGA, else GLL), RMC's date, speed and course (else VTG's), GGA's
 * altitude. GGA and GLL carry no date: a time of day is placed on the date that puts it nearest to
 * the payload's RMC date-time, or to the time of receipt (a fix is never 12 hours away from it).
 */
import { DeviceDecodeError, defineDeviceAdapter, type DevicePayload, type PositionReading } from '@quartermaster/sdk';
import { parseNmeaStream, type NmeaFix } from '../../domain/index.js';

const DAY_MS = 86_400_000;
/** A payload with more lines than this is not a tracker's report. */
const MAX_LINES = 10_000;

/** `hh:mm:ss(.sss)` → milliseconds after midnight. */
function timeOfDayMs(text: string): number {
  const [h, m, s] = text.split(':');
  return (Number(h) * 3600 + Number(m) * 60) * 1000 + Math.round(Number(s) * 1000);
}

/** The instant with this UTC time of day nearest to `referenceMs`. */
export function instantNear(utcTime: string, referenceMs: number): string {
  const midnight = Math.floor(referenceMs / DAY_MS) * DAY_MS;
  let t = midnight + timeOfDayMs(utcTime);
  if (t - referenceMs > DAY_MS / 2) t -= DAY_MS;
  else if (referenceMs - t > DAY_MS / 2) t += DAY_MS;
  return new Date(t).toISOString();
}

interface Epoch {
  time: string | undefined;
  fixes: NmeaFix[];
}

/** Fixes grouped by fix time, in order; a sentence without a time (VTG) belongs to the fix before it. */
function epochsOf(fixes: NmeaFix[]): Epoch[] {
  const epochs: Epoch[] = [];
  for (const fix of fixes) {
    const last = epochs.at(-1);
    if (last && (fix.utcTime === undefined || fix.utcTime === last.time || last.time === undefined)) {
      last.fixes.push(fix);
      last.time ??= fix.utcTime;
    } else {
      epochs.push({ time: fix.utcTime, fixes: [fix] });
    }
  }
  return epochs;
}

/** Readings from NMEA text; throws DeviceDecodeError naming the first bad line. */
export function positionsFromNmea(text: string, receivedAt: string): PositionReading[] {
  const { fixes, errors } = parseNmeaStream(text);
  if (errors.length) {
    const e = errors[0];
    throw new DeviceDecodeError(`line ${e.line}: ${e.message}`, `line ${e.line}`);
  }
  const rmcInstants = fixes.filter((f) => f.type === 'RMC' && f.datetimeUtc).map((f) => Date.parse(f.datetimeUtc!));
  const received = Date.parse(receivedAt);
  const readings: PositionReading[] = [];
  for (const epoch of epochsOf(fixes)) {
    const by = (type: NmeaFix['type']) => epoch.fixes.find((f) => f.type === type);
    const rmc = by('RMC');
    const gga = by('GGA');
    const gll = by('GLL');
    const vtg = by('VTG');
    const located = [rmc, gga, gll].find((f) => f && f.fixValid && f.latitude !== null && f.longitude !== null);
    // Without a valid fix there are no coordinates to store: a receiver still searching is a heartbeat.
    if (!located) continue;
    let at: string;
    if (rmc?.datetimeUtc) at = rmc.datetimeUtc;
    else if (epoch.time) {
      // The nearest RMC of the payload dates the fix; without one, the time of receipt does.
      const reference = rmcInstants.length ? rmcInstants.reduce((best, t) => (Math.abs(t - received) < Math.abs(best - received) ? t : best)) : received;
      at = instantNear(epoch.time, reference);
    } else at = receivedAt;
    const speed = rmc?.speedKnots ?? vtg?.speedKnots ?? (vtg?.speedKmh !== undefined ? vtg.speedKmh / 1.852 : undefined);
    readings.push({
      kind: 'position',
      at,
      latitude: located.latitude!,
      longitude: located.longitude!,
      valid: true,
      speedKnots: speed ?? null,
      courseDeg: rmc?.courseTrueDeg ?? vtg?.courseTrueDeg ?? null,
      altitudeM: gga?.altitudeM ?? null,
      accuracyM: null,
      battery: null,
    });
  }
  return readings;
}

export const nmeaAdapter = defineDeviceAdapter({
  id: 'nmea',
  label: 'NMEA 0183',
  kinds: ['gps-tracker'],
  transports: ['tcp', 'mqtt', 'http'],
  description:
    'NMEA 0183 sentences (GGA, RMC, GLL, VTG; others are ignored) as text: lines on a TCP socket after "KEY <device key>", MQTT messages, or HTTP bodies. Sentences without a valid checksum are refused.',
  decode(payload: DevicePayload) {
    const text = typeof payload.body === 'string' ? payload.body : payload.text;
    if (text.length > 1_000_000) throw new DeviceDecodeError('is larger than 1 MB', '(body)');
    const lines = text.split(/\r\n|\r|\n/);
    if (lines.length > MAX_LINES) throw new DeviceDecodeError(`has more than ${MAX_LINES} lines`, '(body)');
    return positionsFromNmea(text, payload.receivedAt);
  },
});
