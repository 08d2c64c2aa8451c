/**
 * Trip segmentation: a time-ordered list of positions becomes trips separated by stops.
 *
 * Motion: a position is moving when its reported speed exceeds `minSpeedKnots`, or when it is
 * more than `minMoveM` from where the tracker was standing (this catches devices that report no
 * speed). A trip ends when the tracker has stayed within `minMoveM` of one point, at or below the
 * speed threshold, for `stopMinutes` — or when reporting pauses that long without the tracker
 * having moved (a parked tracker that sleeps).
 */
import { haversineM, type LatLon } from './geo.js';
import { METRES_PER_SECOND_PER_KNOT } from './position.js';

export interface TripPosition extends LatLon {
  at: string;
  speedKnots?: number;
  valid?: boolean;
}

export interface TripOptions {
  /** Reported speed above this is motion. Default 1 kn (≈ 1.9 km/h, walking-pace noise stays below). */
  minSpeedKnots?: number;
  /** Displacement from the standing point above this is motion. Default 50 m (GPS noise while parked). */
  minMoveM?: number;
  /** A stop at least this long ends the trip. Default 5 minutes. */
  stopMinutes?: number;
  /** Drop trips shorter than this (glitches). Default 0: keep all. */
  minTripDistanceM?: number;
}

export interface Trip<P extends TripPosition = TripPosition> {
  start: P;
  end: P;
  startAt: string;
  endAt: string;
  durationSeconds: number;
  /** Sum of haversine distances between consecutive positions of the trip. */
  distanceM: number;
  /** Highest reported speed; when no position reports speed, the highest speed between consecutive positions. */
  maxSpeedKnots: number;
  averageSpeedKnots: number;
  positionCount: number;
  /** False when the data ended before a stop closed the trip (the tracker may still be driving). */
  complete: boolean;
}

export class TripError extends Error {
  override readonly name = 'TripError';
  constructor(
    readonly code: 'unordered' | 'invalid-time' | 'invalid-option',
    message: string,
    /** Index in the input list. */
    readonly position?: number,
  ) {
    super(message);
  }
}

interface Sample<P> {
  p: P;
  t: number;
}

export function segmentTrips<P extends TripPosition>(positions: readonly P[], options: TripOptions = {}): Trip<P>[] {
  const minSpeed = option(options.minSpeedKnots, 1, 'minSpeedKnots');
  const minMove = option(options.minMoveM, 50, 'minMoveM');
  const stopMs = option(options.stopMinutes, 5, 'stopMinutes') * 60_000;
  const minTrip = option(options.minTripDistanceM, 0, 'minTripDistanceM');

  const points: Sample<P>[] = [];
  let lastT = -Infinity;
  positions.forEach((p, i) => {
    const t = Date.parse(p.at);
    if (!Number.isFinite(t)) throw new TripError('invalid-time', `position ${i} has an invalid time "${p.at}"`, i);
    if (t < lastT) throw new TripError('unordered', `position ${i} (${p.at}) is older than the one before it`, i);
    lastT = t;
    if (p.valid === false || !Number.isFinite(p.latitude) || !Number.isFinite(p.longitude)) return;
    points.push({ p, t });
  });

  const trips: Trip<P>[] = [];
  const fast = (p: P) => p.speedKnots !== undefined && p.speedKnots > minSpeed;
  const finish = (list: Sample<P>[], complete: boolean) => {
    if (list.length < 2) return;
    const result = summarise(list, complete);
    if (result.distanceM >= minTrip) trips.push(result);
  };

  let trip: Sample<P>[] | null = null;
  // Outside a trip: where the tracker stands. Inside one: where a possible stop began (null while moving).
  let anchor: Sample<P> | null = null;
  let previous: Sample<P> | null = null;

  for (const current of points) {
    if (trip === null) {
      if (anchor === null || previous === null) {
        anchor = current;
      } else if (fast(current.p) || haversineM(anchor.p, current.p) > minMove) {
        // The trip began where the tracker was last seen standing, unless that sighting is a
        // whole stop length old (sparse reports while parked), where it would inflate the duration.
        trip = current.t - previous.t < stopMs ? [previous, current] : [current];
        anchor = null;
      }
      previous = current;
      continue;
    }

    // A reporting gap of a full stop length without displacement: parked while asleep.
    if (previous !== null && current.t - previous.t >= stopMs && !fast(current.p) && haversineM(previous.p, current.p) <= minMove) {
      finish(trip, true);
      trip = null;
      anchor = previous;
      previous = current;
      continue;
    }

    trip.push(current);
    if (fast(current.p)) {
      anchor = null;
    } else if (anchor === null || haversineM(anchor.p, current.p) > minMove) {
      anchor = current; // slow, but somewhere new: a stop may start here
    } else if (current.t - anchor.t >= stopMs) {
      finish(trip.slice(0, trip.indexOf(anchor) + 1), true);
      trip = null; // anchor stays: the tracker now stands there
    }
    previous = current;
  }
  if (trip !== null) finish(trip, false);
  return trips;
}

function summarise<P extends TripPosition>(list: Sample<P>[], complete: boolean): Trip<P> {
  let distanceM = 0;
  let reported = -Infinity;
  let derivedMps = 0;
  for (let i = 0; i < list.length; i++) {
    const s = list[i].p.speedKnots;
    if (s !== undefined && s > reported) reported = s;
    if (i > 0) {
      const d = haversineM(list[i - 1].p, list[i].p);
      distanceM += d;
      const dt = (list[i].t - list[i - 1].t) / 1000;
      if (dt > 0 && d / dt > derivedMps) derivedMps = d / dt;
    }
  }
  const first = list[0];
  const last = list[list.length - 1];
  const durationSeconds = (last.t - first.t) / 1000;
  return {
    start: first.p,
    end: last.p,
    startAt: new Date(first.t).toISOString(),
    endAt: new Date(last.t).toISOString(),
    durationSeconds,
    distanceM,
    maxSpeedKnots: reported > -Infinity ? reported : derivedMps / METRES_PER_SECOND_PER_KNOT,
    averageSpeedKnots: durationSeconds > 0 ? distanceM / durationSeconds / METRES_PER_SECOND_PER_KNOT : 0,
    positionCount: list.length,
    complete,
  };
}

function option(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0) throw new TripError('invalid-option', `${name} must be a number ≥ 0`);
  return value;
}
