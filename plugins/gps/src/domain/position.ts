/**
 * The one position shape every ingestion path (OsmAnd, Traccar JSON, NMEA) produces.
 */

export interface Battery {
  /** 0–100. */
  levelPercent?: number;
  charging?: boolean;
}

export interface Position {
  deviceId: string;
  /** Fix time, ISO 8601 UTC with milliseconds (`2026-05-04T10:00:00.000Z`). */
  at: string;
  latitude: number;
  longitude: number;
  speedKnots?: number;
  /** Course over ground, degrees clockwise from true north. */
  courseDeg?: number;
  altitudeM?: number;
  /** Horizontal accuracy radius in metres, as reported by the device. */
  accuracyM?: number;
  hdop?: number;
  battery?: Battery;
  /** Device says it is moving (Traccar Client `is_moving`, OsmAnd `motion`). */
  isMoving?: boolean;
  valid: boolean;
  /** Extra device-specific values we pass through but do not interpret. */
  attributes?: Record<string, string | number | boolean>;
}

export type PositionErrorCode = 'missing-field' | 'malformed-field' | 'out-of-range';

export class PositionError extends Error {
  override readonly name = 'PositionError';
  constructor(
    readonly code: PositionErrorCode,
    /** The offending input field, in the protocol's own spelling (e.g. `lat`, `location.coords.latitude`). */
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** 1 international knot = 1852 m per hour (international nautical mile, 1852 m exactly). */
export const METRES_PER_SECOND_PER_KNOT = 1852 / 3600;

export function knotsFromMetresPerSecond(mps: number): number {
  return mps / METRES_PER_SECOND_PER_KNOT;
}

export function knotsFromKmh(kmh: number): number {
  return kmh / 1.852;
}

export function kmhFromKnots(knots: number): number {
  return knots * 1.852;
}

export function checkLatitude(value: number, field: string): number {
  if (!Number.isFinite(value)) throw new PositionError('malformed-field', field, `${field} must be a finite number`);
  if (value < -90 || value > 90) throw new PositionError('out-of-range', field, `${field} ${value} is outside −90…90`);
  return value;
}

export function checkLongitude(value: number, field: string): number {
  if (!Number.isFinite(value)) throw new PositionError('malformed-field', field, `${field} must be a finite number`);
  if (value < -180 || value > 180) throw new PositionError('out-of-range', field, `${field} ${value} is outside −180…180`);
  return value;
}

/** Unix seconds below this are seconds, at or above it milliseconds (Traccar's rule: Integer.MAX_VALUE). */
const SECONDS_LIMIT = 2_147_483_647;

/**
 * A device timestamp to ISO UTC: unix seconds, unix milliseconds, ISO 8601, or
 * `yyyy-MM-dd HH:mm:ss`. Strings without a zone are read as UTC (devices report UTC; Traccar
 * reads the space form in the server's zone, which we do not copy because it is not portable).
 */
export function parseDeviceTimestamp(value: string, field: string): string {
  const text = value.trim();
  let ms: number;
  if (/^\d+(\.\d+)?$/.test(text)) {
    const n = Number(text);
    ms = n < SECONDS_LIMIT ? n * 1000 : n;
  } else {
    const match = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:?\d{2})?$/i.exec(text);
    if (!match) throw new PositionError('malformed-field', field, `${field} "${value}" is not unix time or ISO 8601`);
    let zone = match[3] ?? 'Z';
    if (/^[+-]\d{4}$/.test(zone)) zone = `${zone.slice(0, 3)}:${zone.slice(3)}`;
    ms = Date.parse(`${match[1]}T${match[2]}${zone.toUpperCase()}`);
    // Date.parse rolls 2026-02-30 over to March; refuse dates that are not real.
    const [y, mo, d] = match[1].split('-').map(Number);
    const probe = new Date(Date.UTC(y, mo - 1, d));
    if (probe.getUTCMonth() !== mo - 1 || probe.getUTCDate() !== d) ms = NaN;
  }
  if (!Number.isFinite(ms)) throw new PositionError('malformed-field', field, `${field} "${value}" is not a valid time`);
  const date = new Date(Math.round(ms));
  if (Number.isNaN(date.getTime())) throw new PositionError('out-of-range', field, `${field} "${value}" is out of range`);
  return date.toISOString();
}
