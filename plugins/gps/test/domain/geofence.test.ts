import { describe, expect, it } from 'vitest';
import { type Ring } from '../../src/domain/geo.js';
import {
  EMPTY_GEOFENCE_STATE,
  FenceIndex,
  GeofenceError,
  distanceOutsideM,
  fenceContains,
  stepGeofences,
  validateFence,
  type Fence,
  type GeofenceState,
} from '../../src/domain/geofence.js';

/** Degrees of latitude per metre on the mean-radius sphere: 1 / (6,371,008.8 × π/180) = 1 / 111,195.08. */
const M = 1 / 111_195.08;

function geofenceError(fn: () => unknown): GeofenceError {
  try {
    fn();
  } catch (error) {
    if (error instanceof GeofenceError) return error;
    throw error;
  }
  throw new Error('expected a GeofenceError');
}

/** mulberry32 (Tommy Ettinger): a tiny seeded PRNG so the property tests are reproducible. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A star-shaped (hence simple) polygon: vertices at increasing angles around a centre. */
function starPolygon(rand: () => number, lat: number, lon: number, maxRadiusDeg: number, withHole: boolean): Ring[] {
  const n = 3 + Math.floor(rand() * 10);
  const outer: Ring = [];
  for (let i = 0; i < n; i++) {
    const angle = ((i + rand() * 0.8) / n) * 2 * Math.PI;
    const r = maxRadiusDeg * (0.3 + 0.7 * rand());
    outer.push([lon + r * Math.cos(angle), lat + r * Math.sin(angle)]);
  }
  if (!withHole) return [outer];
  // A small square hole around the centre, inside the 0.3 × radius core every vertex keeps out of.
  const h = maxRadiusDeg * 0.1;
  const hole: Ring = [
    [lon - h, lat - h],
    [lon + h, lat - h],
    [lon + h, lat + h],
    [lon - h, lat + h],
  ];
  return [outer, hole];
}

function randomFences(seed: number, count: number): Fence[] {
  const rand = mulberry32(seed);
  const fences: Fence[] = [];
  for (let i = 0; i < count; i++) {
    const lat = 47 + rand() * 2;
    const lon = 10 + rand() * 3;
    if (rand() < 0.5) {
      fences.push({ id: `c${i}`, kind: 'circle', center: { latitude: lat, longitude: lon }, radiusM: 50 + rand() * 5_000 });
    } else {
      fences.push({ id: `p${i}`, kind: 'polygon', rings: starPolygon(rand, lat, lon, 0.002 + rand() * 0.05, rand() < 0.2) });
    }
  }
  // A few very large fences (regions) that go on the index's always-checked list.
  fences.push({ id: 'region-circle', kind: 'circle', center: { latitude: 48, longitude: 11.5 }, radiusM: 80_000 });
  fences.push({
    id: 'region-box',
    kind: 'polygon',
    rings: [
      [
        [10.2, 47.2],
        [12.8, 47.2],
        [12.8, 48.8],
        [10.2, 48.8],
      ],
    ],
  });
  return fences;
}

describe('validateFence', () => {
  it('accepts circles and polygons, closing rings', () => {
    const fence = validateFence({
      id: 'yard',
      kind: 'polygon',
      rings: [
        [
          [0, 0],
          [1, 0],
          [1, 1],
        ],
      ],
    });
    expect(fence.kind === 'polygon' && fence.rings[0]).toHaveLength(4);
    expect(validateFence({ id: 'depot', kind: 'circle', center: { latitude: 1, longitude: 2 }, radiusM: 10, dwellSeconds: 0 })).toMatchObject({ id: 'depot' });
  });

  it('rejects bad ids, radii, centres, dwell times, kinds and geometry, saying which fence', () => {
    const circle = { kind: 'circle' as const, center: { latitude: 1, longitude: 2 }, radiusM: 10 };
    expect(geofenceError(() => validateFence({ ...circle, id: '' })).code).toBe('invalid-fence');
    expect(geofenceError(() => validateFence({ ...circle, id: 'a', radiusM: 0 })).message).toBe('fence a: radius must be a positive number of metres');
    expect(geofenceError(() => validateFence({ ...circle, id: 'a', radiusM: Number.NaN })).code).toBe('invalid-fence');
    expect(geofenceError(() => validateFence({ ...circle, id: 'a', center: { latitude: 95, longitude: 0 } })).code).toBe('invalid-fence');
    expect(geofenceError(() => validateFence({ ...circle, id: 'a', dwellSeconds: -1 })).code).toBe('invalid-fence');
    expect(geofenceError(() => validateFence({ id: 'a', kind: 'square' } as unknown as Fence)).code).toBe('invalid-fence');
    const bad = geofenceError(() =>
      validateFence({
        id: 'tie',
        kind: 'polygon',
        rings: [
          [
            [0, 0],
            [1, 1],
            [1, 0],
            [0, 1],
          ],
        ],
      }),
    );
    expect(bad).toMatchObject({ code: 'invalid-fence', fenceId: 'tie' });
    expect(bad.cause).toMatchObject({ code: 'self-intersecting' });
  });
});

describe('FenceIndex', () => {
  const depot: Fence = { id: 'depot', kind: 'circle', center: { latitude: 48.1, longitude: 11.5 }, radiusM: 200 };
  const yard: Fence = {
    id: 'yard',
    kind: 'polygon',
    rings: [
      [
        [11.499, 48.099],
        [11.503, 48.099],
        [11.503, 48.102],
        [11.499, 48.102],
      ],
    ],
  };

  it('returns containing fences in the order they were given', () => {
    const index = new FenceIndex([yard, depot]);
    expect(index.containing(48.1, 11.5)).toEqual(['yard', 'depot']);
    // 0.0028° east at 48.1° N: 0.0028 × 111,195 × cos 48.1° (0.66783) = 207.9 m, beyond the 200 m circle, inside the yard.
    expect(index.containing(48.1, 11.5028)).toEqual(['yard']);
    expect(index.containing(48.0, 11.5)).toEqual([]);
    expect(index.size).toBe(2);
    expect(index.get('depot')).toMatchObject({ radiusM: 200 });
    expect(index.get('nope')).toBeUndefined();
  });

  it('is exact at a circle’s rim (199 m in, 201 m out, due north)', () => {
    const index = new FenceIndex([depot]);
    expect(index.containing(48.1 + 199 * M, 11.5)).toEqual(['depot']);
    expect(index.containing(48.1 + 201 * M, 11.5)).toEqual([]);
  });

  it('rejects duplicate ids and invalid fences', () => {
    expect(geofenceError(() => new FenceIndex([depot, { ...depot }]))).toMatchObject({ code: 'duplicate-id', fenceId: 'depot' });
    expect(geofenceError(() => new FenceIndex([{ ...depot, radiusM: -5 }])).code).toBe('invalid-fence');
    expect(() => new FenceIndex([], { cellDeg: 0 })).toThrow(RangeError);
  });

  it('handles fences too large for the grid and fences on cell borders', () => {
    const world: Fence = {
      id: 'continent',
      kind: 'polygon',
      rings: [
        [
          [-10, 35],
          [30, 35],
          [30, 60],
          [-10, 60],
        ],
      ],
    };
    const index = new FenceIndex([world, depot], { cellDeg: 0.1, maxCellsPerFence: 4 });
    expect(index.containing(48.1, 11.5)).toEqual(['continent', 'depot']);
    expect(index.containing(40, 0)).toEqual(['continent']);
    expect(index.containing(70, 0)).toEqual([]);
    // A circle straddling the 48.1° / 11.5° cell corner is found from all four cells.
    const corner = new FenceIndex([{ id: 'corner', kind: 'circle', center: { latitude: 48.1, longitude: 11.5 }, radiusM: 500 }], { cellDeg: 0.1 });
    for (const [dlat, dlon] of [
      [1, 1],
      [1, -1],
      [-1, 1],
      [-1, -1],
    ]) {
      expect(corner.containing(48.1 + dlat * 0.001, 11.5 + dlon * 0.001)).toEqual(['corner']);
    }
  });

  it('agrees with a brute-force check for 1,000 random fences and 10,000 random points (seeded)', () => {
    const fences = randomFences(20260504, 1_000);
    const index = new FenceIndex(fences);
    const normalised = fences.map(validateFence);
    const rand = mulberry32(7);
    let hits = 0;
    let multi = 0;
    for (let i = 0; i < 10_000; i++) {
      let lat: number;
      let lon: number;
      if (i % 2 === 0) {
        lat = 46.9 + rand() * 2.2;
        lon = 9.9 + rand() * 3.2;
      } else {
        // Near a random fence, so that many points land inside or near an edge.
        const f = normalised[Math.floor(rand() * 1_000)];
        const [cLat, cLon] = f.kind === 'circle' ? [f.center.latitude, f.center.longitude] : [f.rings[0][0][1], f.rings[0][0][0]];
        lat = cLat + (rand() - 0.5) * 0.08;
        lon = cLon + (rand() - 0.5) * 0.08;
      }
      const point = { latitude: lat, longitude: lon };
      const expected = normalised.filter((f) => fenceContains(f, point)).map((f) => f.id);
      const actual = index.containing(lat, lon);
      expect(actual, `point ${lat},${lon}`).toEqual(expected);
      if (expected.some((id) => !id.startsWith('region'))) hits++;
      if (expected.length > 2) multi++;
    }
    // Guard against a vacuous run: plenty of points must actually be inside small fences.
    expect(hits).toBeGreaterThan(500);
    expect(multi).toBeGreaterThan(25);
  });

  it('gives the same answers whatever the cell size', () => {
    const fences = randomFences(99, 300);
    const coarse = new FenceIndex(fences, { cellDeg: 1 });
    const fine = new FenceIndex(fences, { cellDeg: 0.01, maxCellsPerFence: 10_000 });
    const rand = mulberry32(3);
    for (let i = 0; i < 3_000; i++) {
      const lat = 47 + rand() * 2;
      const lon = 10 + rand() * 3;
      expect(fine.containing(lat, lon)).toEqual(coarse.containing(lat, lon));
    }
  });
});

describe('distanceOutsideM', () => {
  it('is 0 inside, distance beyond the rim for circles, distance to the edge for polygons', () => {
    const circle: Fence = { id: 'c', kind: 'circle', center: { latitude: 0, longitude: 0 }, radiusM: 100 };
    expect(distanceOutsideM(circle, { latitude: 0, longitude: 0 })).toBe(0);
    expect(distanceOutsideM(circle, { latitude: 150 * M, longitude: 0 })).toBeCloseTo(50, 6);
    const square = validateFence({
      id: 's',
      kind: 'polygon',
      rings: [
        [
          [0, 0],
          [0.01, 0],
          [0.01, 0.01],
          [0, 0.01],
        ],
      ],
    });
    // 30 m north of the north edge at the equator.
    expect(distanceOutsideM(square, { latitude: 0.01 + 30 * M, longitude: 0.005 })).toBeCloseTo(30, 3);
  });
});

describe('stepGeofences', () => {
  const site: Fence = { id: 'site', kind: 'circle', center: { latitude: 48.1, longitude: 11.5 }, radiusM: 100, dwellSeconds: 600 };
  const index = new FenceIndex([site]);
  const inside = (at: string, extra: object = {}) => ({ at, latitude: 48.1, longitude: 11.5, ...extra });
  const north = (metres: number, at: string, extra: object = {}) => ({ at, latitude: 48.1 + metres * M, longitude: 11.5, ...extra });

  it('emits enter, then one dwell after dwellSeconds, then exit', () => {
    let state: GeofenceState | undefined;
    const e1 = stepGeofences(state, north(500, '2026-05-04T08:00:00Z'), index);
    expect(e1.events).toEqual([]);
    state = e1.state;

    const e2 = stepGeofences(state, inside('2026-05-04T08:01:00Z'), index);
    expect(e2.events).toEqual([{ type: 'enter', fenceId: 'site', at: '2026-05-04T08:01:00.000Z', enteredAt: '2026-05-04T08:01:00.000Z' }]);
    state = e2.state;

    // 9 min 59 s inside: not yet.
    const e3 = stepGeofences(state, inside('2026-05-04T08:10:59Z'), index);
    expect(e3.events).toEqual([]);
    state = e3.state;

    // 10 min inside: dwell, once.
    const e4 = stepGeofences(state, inside('2026-05-04T08:11:00Z'), index);
    expect(e4.events).toEqual([{ type: 'dwell', fenceId: 'site', at: '2026-05-04T08:11:00.000Z', enteredAt: '2026-05-04T08:01:00.000Z' }]);
    state = e4.state;
    const e5 = stepGeofences(state, inside('2026-05-04T09:00:00Z'), index);
    expect(e5.events).toEqual([]);
    state = e5.state;

    const e6 = stepGeofences(state, north(150, '2026-05-04T09:05:00Z'), index);
    expect(e6.events).toEqual([{ type: 'exit', fenceId: 'site', at: '2026-05-04T09:05:00.000Z', enteredAt: '2026-05-04T08:01:00.000Z' }]);
    expect(e6.state.inside).toEqual({});
  });

  it('starts a new visit (and a new dwell) on re-entry', () => {
    let s = stepGeofences(undefined, inside('2026-05-04T08:00:00Z'), index).state;
    s = stepGeofences(s, inside('2026-05-04T08:20:00Z'), index).state; // dwell emitted
    s = stepGeofences(s, north(300, '2026-05-04T08:21:00Z'), index).state; // exit
    const back = stepGeofences(s, inside('2026-05-04T08:22:00Z'), index);
    expect(back.events.map((e) => e.type)).toEqual(['enter']);
    expect(back.state.inside.site).toEqual({ enteredAt: '2026-05-04T08:22:00.000Z', dwellEmitted: false });
    expect(stepGeofences(back.state, inside('2026-05-04T08:32:00Z'), index).events.map((e) => e.type)).toEqual(['dwell']);
  });

  it('ignores out-of-order positions, returning the state untouched', () => {
    const s = stepGeofences(undefined, inside('2026-05-04T08:00:00Z'), index).state;
    const late = stepGeofences(s, north(500, '2026-05-04T07:59:59Z'), index);
    expect(late).toEqual({ state: s, events: [], ignored: 'out-of-order' });
    expect(late.state).toBe(s);
    // Same timestamp is not older: processed.
    expect(stepGeofences(s, north(500, '2026-05-04T08:00:00Z'), index).events.map((e) => e.type)).toEqual(['exit']);
  });

  it('ignores positions less accurate than maxAccuracyM, and invalid fixes', () => {
    const s = stepGeofences(undefined, inside('2026-05-04T08:00:00Z'), index).state;
    const fuzzy = stepGeofences(s, north(500, '2026-05-04T08:01:00Z', { accuracyM: 1_200 }), index, { maxAccuracyM: 100 });
    expect(fuzzy).toEqual({ state: s, events: [], ignored: 'inaccurate' });
    // Exactly at the limit is accepted.
    expect(stepGeofences(s, north(500, '2026-05-04T08:01:00Z', { accuracyM: 100 }), index, { maxAccuracyM: 100 }).events).toHaveLength(1);
    expect(stepGeofences(s, north(500, '2026-05-04T08:01:00Z', { valid: false }), index).ignored).toBe('invalid-fix');
    expect(stepGeofences(s, { at: '2026-05-04T08:01:00Z', latitude: Number.NaN, longitude: 0 }, index).ignored).toBe('invalid-fix');
  });

  it('applies exit hysteresis: 20 m outside stays in, 30 m outside leaves (circle)', () => {
    const s = stepGeofences(undefined, inside('2026-05-04T08:00:00Z'), index).state;
    const options = { exitHysteresisM: 25 };
    expect(stepGeofences(s, north(120, '2026-05-04T08:01:00Z'), index, options).events).toEqual([]);
    expect(stepGeofences(s, north(130, '2026-05-04T08:01:00Z'), index, options).events.map((e) => e.type)).toEqual(['exit']);
    // Hysteresis does not make entering easier.
    const outside = stepGeofences(undefined, north(120, '2026-05-04T08:00:00Z'), index, options);
    expect(outside.events).toEqual([]);
  });

  it('applies exit hysteresis to polygon fences by distance to the edge', () => {
    const square: Fence = {
      id: 'sq',
      kind: 'polygon',
      rings: [
        [
          [11, 48],
          [11.01, 48],
          [11.01, 48.01],
          [11, 48.01],
        ],
      ],
    };
    const idx = new FenceIndex([square]);
    const s = stepGeofences(undefined, { at: '2026-05-04T08:00:00Z', latitude: 48.005, longitude: 11.005 }, idx).state;
    const options = { exitHysteresisM: 25 };
    expect(stepGeofences(s, { at: '2026-05-04T08:01:00Z', latitude: 48.01 + 20 * M, longitude: 11.005 }, idx, options).events).toEqual([]);
    expect(stepGeofences(s, { at: '2026-05-04T08:01:00Z', latitude: 48.01 + 30 * M, longitude: 11.005 }, idx, options).events.map((e) => e.type)).toEqual(['exit']);
  });

  it('orders exits before enters before dwells, each by fence id', () => {
    const fences: Fence[] = [
      { id: 'b-old', kind: 'circle', center: { latitude: 0, longitude: 0 }, radiusM: 100 },
      { id: 'a-old', kind: 'circle', center: { latitude: 0, longitude: 0 }, radiusM: 100 },
      { id: 'z-new', kind: 'circle', center: { latitude: 1, longitude: 0 }, radiusM: 100, dwellSeconds: 0 },
      { id: 'y-new', kind: 'circle', center: { latitude: 1, longitude: 0 }, radiusM: 100 },
    ];
    const idx = new FenceIndex(fences);
    const s = stepGeofences(undefined, { at: '2026-05-04T08:00:00Z', latitude: 0, longitude: 0 }, idx).state;
    const jump = stepGeofences(s, { at: '2026-05-04T08:01:00Z', latitude: 1, longitude: 0 }, idx);
    expect(jump.events.map((e) => `${e.type}:${e.fenceId}`)).toEqual(['exit:a-old', 'exit:b-old', 'enter:y-new', 'enter:z-new', 'dwell:z-new']);
  });

  it('drops visits to fences that were deleted, without an exit', () => {
    const s = stepGeofences(undefined, inside('2026-05-04T08:00:00Z'), index).state;
    const other = new FenceIndex([{ id: 'elsewhere', kind: 'circle', center: { latitude: 0, longitude: 0 }, radiusM: 10 }]);
    const next = stepGeofences(s, north(500, '2026-05-04T08:01:00Z'), other);
    expect(next.events).toEqual([]);
    expect(next.state.inside).toEqual({});
  });

  it('does not modify the previous state', () => {
    const s = stepGeofences(undefined, inside('2026-05-04T08:00:00Z'), index).state;
    const snapshot = structuredClone(s);
    Object.freeze(s.inside.site);
    Object.freeze(s.inside);
    Object.freeze(s);
    stepGeofences(s, inside('2026-05-04T08:30:00Z'), index);
    expect(s).toEqual(snapshot);
    expect(EMPTY_GEOFENCE_STATE.inside).toEqual({});
  });

  it('rejects times without a zone or that are not times', () => {
    expect(geofenceError(() => stepGeofences(undefined, inside('2026-05-04 08:00'), index)).code).toBe('invalid-time');
    expect(geofenceError(() => stepGeofences(undefined, inside('2026-05-04T08:00:00'), index)).code).toBe('invalid-time');
    expect(geofenceError(() => stepGeofences(undefined, inside('later'), index)).code).toBe('invalid-time');
  });
});
