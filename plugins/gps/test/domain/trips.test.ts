import { describe, expect, it } from 'vitest';
import { TripError, segmentTrips, type TripPosition } from '../../src/domain/trips.js';

/**
 * Synthetic tracks along the meridian at 11.5° E, so distances are exact multiples of one
 * degree of latitude on the mean-radius sphere: R·π/180 = 6,371,008.8 × 0.0174532925 =
 * 111,195.08 m, hence 0.01° = 1,111.9508 m and 0.1° = 11,119.508 m.
 */
const T0 = Date.parse('2026-05-04T08:00:00Z');
const minute = (m: number) => new Date(T0 + m * 60_000).toISOString();
const pos = (m: number, lat: number, speedKnots?: number, extra: Partial<TripPosition> = {}): TripPosition => ({
  at: minute(m),
  latitude: lat,
  longitude: 11.5,
  ...(speedKnots === undefined ? {} : { speedKnots }),
  ...extra,
});

/** Parked at 48.00 for minutes 0–10, driving 0.01°/min for minutes 11–19, arrived at 48.10 at minute 20, parked to minute 35. */
function commute(withSpeed: boolean): TripPosition[] {
  const list: TripPosition[] = [];
  for (let m = 0; m <= 10; m++) list.push(pos(m, 48, withSpeed ? 0 : undefined));
  for (let m = 11; m <= 19; m++) list.push(pos(m, 48 + 0.01 * (m - 10), withSpeed ? 36 : undefined));
  for (let m = 20; m <= 35; m++) list.push(pos(m, 48.1, withSpeed ? 0 : undefined));
  return list;
}

describe('segmentTrips', () => {
  it('finds one trip from the last parked position to the first parked one (speeds reported)', () => {
    const trips = segmentTrips(commute(true));
    expect(trips).toHaveLength(1);
    const [trip] = trips;
    expect(trip.startAt).toBe(minute(10));
    expect(trip.endAt).toBe(minute(20));
    expect(trip.durationSeconds).toBe(600);
    // Ten steps of 0.01° = 0.1° of latitude = 11,119.508 m.
    expect(trip.distanceM).toBeCloseTo(11_119.508, 2);
    expect(trip.maxSpeedKnots).toBe(36);
    // 11,119.508 m / 600 s = 18.532513 m/s × 3600/1852 (1.9438445) = 36.02432 kn.
    expect(trip.averageSpeedKnots).toBeCloseTo(36.02432, 4);
    expect(trip.positionCount).toBe(11);
    expect(trip.complete).toBe(true);
    expect(trip.start.latitude).toBe(48);
    expect(trip.end.latitude).toBe(48.1);
  });

  it('finds the same trip from displacement alone when the device reports no speed', () => {
    const [trip] = segmentTrips(commute(false));
    expect(trip.startAt).toBe(minute(10));
    expect(trip.endAt).toBe(minute(20));
    expect(trip.distanceM).toBeCloseTo(11_119.508, 2);
    // No reported speed: the fastest leg, 1,111.9508 m in 60 s = 18.532513 m/s = 36.02432 kn.
    expect(trip.maxSpeedKnots).toBeCloseTo(36.02432, 4);
  });

  it('ignores GPS jitter and slow drift-free noise while parked', () => {
    const list: TripPosition[] = [];
    // ±0.0002° latitude (±22 m) of jitter with a little reported speed, for an hour.
    for (let m = 0; m <= 60; m++) list.push(pos(m, 48 + (m % 2 === 0 ? 0.0002 : -0.0002), 0.4));
    expect(segmentTrips(list)).toEqual([]);
  });

  it('does not split a trip at a short stop (3 min at a light) but does at a 6 min stop', () => {
    const list: TripPosition[] = [pos(0, 48, 0)];
    let lat = 48;
    // drive 5 min, stop 3 min, drive 5 min, stop 6 min, drive 5 min, park
    const plan: [number, boolean][] = [
      [5, true],
      [3, false],
      [5, true],
      [6, false],
      [5, true],
      [10, false],
    ];
    let m = 0;
    for (const [length, moving] of plan) {
      for (let k = 0; k < length; k++) {
        m++;
        if (moving) lat += 0.01;
        list.push(pos(m, lat, moving ? 36 : 0));
      }
    }
    const trips = segmentTrips(list);
    expect(trips.map((t) => [t.startAt, t.endAt])).toEqual([
      // start at minute 0; the stop that ends it begins at minute 14 (last move at 13, +0 min)
      [minute(0), minute(14)],
      [minute(19), minute(25)],
    ]);
    expect(trips[0].distanceM).toBeCloseTo(10 * 1_111.9508, 2);
    expect(trips[1].distanceM).toBeCloseTo(5 * 1_111.9508, 2);
  });

  it('returns an incomplete trip when the data ends while driving', () => {
    const list = [pos(0, 48, 0), pos(1, 48, 0), pos(2, 48.01, 30), pos(3, 48.02, 30)];
    const [trip] = segmentTrips(list);
    expect(trip).toMatchObject({ startAt: minute(1), endAt: minute(3), complete: false, positionCount: 3 });
    expect(trip.distanceM).toBeCloseTo(2 * 1_111.9508, 2);
  });

  it('closes a trip at the last position before a long reporting gap at the same place (tracker asleep)', () => {
    const list = [pos(0, 48, 0), pos(1, 48.01, 30), pos(2, 48.02, 30), pos(120, 48.02, 0), pos(121, 48.02, 0)];
    const [trip] = segmentTrips(list);
    expect(trip).toMatchObject({ startAt: minute(0), endAt: minute(2), complete: true });
  });

  it('starts at the first moving position when the last parked sighting is older than a stop', () => {
    // Parked reports hourly; the old sighting must not stretch the trip to 61 minutes.
    const list = [pos(0, 48, 0), pos(60, 48, 0), pos(121, 48.01, 30), pos(122, 48.02, 30), pos(123, 48.03, 0), pos(130, 48.03, 0)];
    const [trip] = segmentTrips(list);
    expect(trip).toMatchObject({ startAt: minute(121), endAt: minute(123), complete: true });
    expect(trip.distanceM).toBeCloseTo(2 * 1_111.9508, 2);
  });

  it('keeps a zero-distance speed glitch by default and drops it with minTripDistanceM', () => {
    const list: TripPosition[] = [];
    for (let m = 0; m <= 20; m++) list.push(pos(m, 48, m === 5 ? 25 : 0));
    const kept = segmentTrips(list);
    expect(kept).toHaveLength(1);
    expect(kept[0].distanceM).toBe(0);
    expect(segmentTrips(list, { minTripDistanceM: 100 })).toEqual([]);
  });

  it('honours custom thresholds', () => {
    // With a 100 m displacement threshold, wandering 55.6 m (0.0005°) and 89.0 m (0.0008°) from
    // the standing point is not motion.
    const list = [pos(0, 48), pos(1, 48.0005), pos(2, 48.0008), pos(3, 48.0005)];
    expect(segmentTrips(list, { minMoveM: 100 })).toEqual([]);
    // With a 50 m threshold, 55.6 m from the standing point is.
    expect(segmentTrips(list, { minMoveM: 50 })).toHaveLength(1);
  });

  it('skips invalid positions', () => {
    const list = commute(true);
    list.splice(15, 0, { at: minute(14.5), latitude: 0, longitude: 0, valid: false });
    const [trip] = segmentTrips(list);
    expect(trip.distanceM).toBeCloseTo(11_119.508, 2);
  });

  it('returns no trips for no or one position', () => {
    expect(segmentTrips([])).toEqual([]);
    expect(segmentTrips([pos(0, 48, 50)])).toEqual([]);
  });

  it('rejects unordered input, bad times and bad options', () => {
    const unordered = [pos(1, 48), pos(0, 48)];
    const error = (() => {
      try {
        segmentTrips(unordered);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(TripError);
    expect(error).toMatchObject({ code: 'unordered', position: 1 });
    expect(() => segmentTrips([{ at: 'noon', latitude: 1, longitude: 1 }])).toThrow(TripError);
    expect(() => segmentTrips([], { stopMinutes: -1 })).toThrow(/stopMinutes/);
  });
});
