import { describe, expect, it } from 'vitest';
import {
  GeometryError,
  MEAN_EARTH_RADIUS_M,
  bboxContains,
  bboxOfCircle,
  bboxOfRing,
  distanceToBoundaryM,
  haversineM,
  pointInCircle,
  pointInPolygon,
  ringSide,
  segmentsIntersect,
  validatePolygon,
  type Ring,
} from '../../src/domain/geo.js';

const at = (latitude: number, longitude: number) => ({ latitude, longitude });

function geometryError(fn: () => unknown): GeometryError {
  try {
    fn();
  } catch (error) {
    if (error instanceof GeometryError) return error;
    throw error;
  }
  throw new Error('expected a GeometryError');
}

describe('haversineM', () => {
  it('reproduces Rosetta Code "Haversine formula": BNA → LAX = 2887.2599506 km with R = 6372.8 km', () => {
    // rosettacode.org/wiki/Haversine_formula: Nashville (36.12, −86.67) to Los Angeles (33.94, −118.40).
    expect(haversineM(at(36.12, -86.67), at(33.94, -118.4), 6_372_800)).toBeCloseTo(2_887_259.9506, 3);
  });

  it('uses the mean radius 6,371,008.8 m by default (same central angle, scaled: 2,886,448.43 m)', () => {
    expect(MEAN_EARTH_RADIUS_M).toBe(6_371_008.8);
    // 2,887,259.9506 × 6,371,008.8 / 6,372,800 = 2,886,448.43.
    expect(haversineM(at(36.12, -86.67), at(33.94, -118.4))).toBeCloseTo(2_886_448.43, 1);
  });

  it('Paris (48.8566, 2.3522) → London (51.5074, −0.1278) ≈ 343.56 km, hand-checked', () => {
    // sin²(Δφ/2) = sin²(1.3254°) = 0.00053502; cosφ1·cosφ2 = 0.65842 × 0.62197 = 0.40951;
    // sin²(Δλ/2) = sin²(−1.24°) = 0.00046831; h = 0.00053502 + 0.40951 × 0.00046831 = 0.00072680;
    // d = 2R·asin(√h) = 2 × 6,371,008.8 × 0.0269625 = 343,556 m.
    expect(haversineM(at(48.8566, 2.3522), at(51.5074, -0.1278))).toBeCloseTo(343_556.5, 0);
  });

  it('gives R·π/180 for one degree along a meridian or the equator, πR/2 equator→pole, πR antipodal', () => {
    // 6,371,008.8 × 0.01745329252 = 111,195.08 m.
    expect(haversineM(at(0, 0), at(1, 0))).toBeCloseTo(111_195.08, 2);
    expect(haversineM(at(0, 0), at(0, 1))).toBeCloseTo(111_195.08, 2);
    expect(haversineM(at(0, 0), at(90, 0))).toBeCloseTo(10_007_557.22, 1);
    expect(haversineM(at(0, 0), at(0, 180))).toBeCloseTo(20_015_114.44, 1);
  });

  it('shrinks longitude degrees by cos(latitude): 1° of longitude at 60° N is about half', () => {
    // Along a parallel the great circle is slightly shorter than R·cosφ·Δλ = 55,597.54 m.
    const d = haversineM(at(60, 0), at(60, 1));
    expect(d).toBeLessThan(55_597.54);
    expect(d).toBeGreaterThan(55_597.0);
  });

  it('is symmetric, zero for the same point, and crosses the antimeridian the short way', () => {
    expect(haversineM(at(48.8566, 2.3522), at(51.5074, -0.1278))).toBe(haversineM(at(51.5074, -0.1278), at(48.8566, 2.3522)));
    expect(haversineM(at(12.3, 45.6), at(12.3, 45.6))).toBe(0);
    expect(haversineM(at(0, 179.5), at(0, -179.5))).toBeCloseTo(111_195.08, 2);
  });
});

describe('ringSide / pointInPolygon (ray casting)', () => {
  const square: Ring = [
    [0, 0],
    [10, 0],
    [10, 10],
    [0, 10],
  ];
  const closedSquare: Ring = [...square, [0, 0]];

  it('classifies inside, outside and boundary, open or closed ring alike', () => {
    for (const ring of [square, closedSquare]) {
      expect(ringSide(at(5, 5), ring)).toBe('inside');
      expect(ringSide(at(5, 15), ring)).toBe('outside');
      expect(ringSide(at(-0.0001, 5), ring)).toBe('outside');
      expect(ringSide(at(5, 10), ring)).toBe('boundary'); // on the east edge (lon 10)
      expect(ringSide(at(0, 0), ring)).toBe('boundary'); // a vertex
      expect(ringSide(at(10, 3), ring)).toBe('boundary'); // on the north edge (lat 10)
    }
  });

  it('takes [lon, lat] order: a ring tall in latitude excludes a point that is only wide in longitude', () => {
    const tall: Ring = [
      [0, 0],
      [1, 0],
      [1, 10],
      [0, 10],
    ];
    expect(ringSide(at(5, 0.5), tall)).toBe('inside');
    expect(ringSide(at(0.5, 5), tall)).toBe('outside');
  });

  it('handles concave rings: the notch of a U is outside', () => {
    const u: Ring = [
      [0, 0],
      [9, 0],
      [9, 9],
      [6, 9],
      [6, 3],
      [3, 3],
      [3, 9],
      [0, 9],
    ];
    expect(ringSide(at(6, 4.5), u)).toBe('outside'); // in the notch
    expect(ringSide(at(6, 1.5), u)).toBe('inside'); // left arm
    expect(ringSide(at(1, 4.5), u)).toBe('inside'); // base
  });

  it('is not fooled by a ray passing exactly through vertices', () => {
    const diamond: Ring = [
      [5, 0],
      [10, 5],
      [5, 10],
      [0, 5],
    ];
    expect(ringSide(at(5, 2), diamond)).toBe('inside');
    expect(ringSide(at(5, -1), diamond)).toBe('outside');
    expect(ringSide(at(5, 11), diamond)).toBe('outside');
    expect(ringSide(at(0, 0), diamond)).toBe('outside');
  });

  it('excludes holes but counts a hole’s edge as part of the fence', () => {
    const hole: Ring = [
      [4, 4],
      [6, 4],
      [6, 6],
      [4, 6],
    ];
    expect(pointInPolygon(at(5, 5), [square, hole])).toBe(false);
    expect(pointInPolygon(at(2, 2), [square, hole])).toBe(true);
    expect(pointInPolygon(at(5, 4), [square, hole])).toBe(true);
    expect(pointInPolygon(at(5, 5), [])).toBe(false);
  });
});

describe('pointInCircle and bounding boxes', () => {
  it('includes the rim and excludes a metre beyond it', () => {
    const center = at(48.1373, 11.5755);
    const metre = 1 / 111_195.08; // degrees of latitude per metre
    expect(pointInCircle(at(48.1373 + 99 * metre, 11.5755), center, 100)).toBe(true);
    expect(pointInCircle(at(48.1373 + 101 * metre, 11.5755), center, 100)).toBe(false);
  });

  it('computes Δlat = r/R and Δlon = asin(sin(r/R)/cos φ) (Matuschek §3.3)', () => {
    const oneDegree = 111_195.0802; // R·π/180: an angular radius of exactly 1°
    const equator = bboxOfCircle(at(0, 0), oneDegree);
    expect(equator.maxLat).toBeCloseTo(1, 9);
    expect(equator.maxLon).toBeCloseTo(1, 9);
    // At 60°: asin(sin 1° / cos 60°) = asin(0.0349048) = 2.00030°.
    const north = bboxOfCircle(at(60, 10), oneDegree);
    expect(north.minLat).toBeCloseTo(59, 9);
    expect(north.maxLon - 10).toBeCloseTo(2.0003, 4);
  });

  it('widens to all longitudes near a pole or across the antimeridian', () => {
    expect(bboxOfCircle(at(89.5, 0), 100_000)).toMatchObject({ minLon: -180, maxLon: 180, maxLat: 90 });
    expect(bboxOfCircle(at(0, 179.99), 5_000)).toMatchObject({ minLon: -180, maxLon: 180 });
  });

  it('contains every point of the circle (points at the rim in 36 directions)', () => {
    const center = at(52.52, 13.405);
    const r = 2_500;
    const box = bboxOfCircle(center, r);
    const δ = r / MEAN_EARTH_RADIUS_M;
    const φ1 = (center.latitude * Math.PI) / 180;
    const λ1 = (center.longitude * Math.PI) / 180;
    for (let b = 0; b < 360; b += 10) {
      // Destination point given distance and bearing (spherical), slightly inside the rim.
      const θ = (b * Math.PI) / 180;
      const φ2 = Math.asin(Math.sin(φ1) * Math.cos(δ * 0.999999) + Math.cos(φ1) * Math.sin(δ * 0.999999) * Math.cos(θ));
      const λ2 = λ1 + Math.atan2(Math.sin(θ) * Math.sin(δ * 0.999999) * Math.cos(φ1), Math.cos(δ * 0.999999) - Math.sin(φ1) * Math.sin(φ2));
      const p = at((φ2 * 180) / Math.PI, (λ2 * 180) / Math.PI);
      expect(pointInCircle(p, center, r)).toBe(true);
      expect(bboxContains(box, p)).toBe(true);
    }
  });

  it('finds the box of a ring', () => {
    expect(
      bboxOfRing([
        [2, -1],
        [5, 3],
        [-4, 7],
      ]),
    ).toEqual({ minLat: -1, maxLat: 7, minLon: -4, maxLon: 5 });
  });
});

describe('validatePolygon', () => {
  it('closes an open ring and drops consecutive duplicates', () => {
    expect(
      validatePolygon([
        [
          [0, 0],
          [1, 0],
          [1, 0],
          [1, 1],
        ],
      ]),
    ).toEqual([
      [
        [0, 0],
        [1, 0],
        [1, 1],
        [0, 0],
      ],
    ]);
  });

  it('accepts an already closed ring unchanged, and holes', () => {
    const ring: Ring = [
      [0, 0],
      [10, 0],
      [10, 10],
      [0, 0],
    ];
    const hole: Ring = [
      [6, 2],
      [8, 2],
      [8, 4],
    ];
    const [outer, inner] = validatePolygon([ring, hole]);
    expect(outer).toEqual(ring);
    expect(inner).toHaveLength(4);
  });

  it('rejects fewer than 3 distinct points', () => {
    expect(geometryError(() => validatePolygon([]))).toMatchObject({ code: 'too-few-points' });
    const error = geometryError(() =>
      validatePolygon([
        [
          [0, 0],
          [1, 1],
          [0, 0],
          [1, 1],
        ],
      ]),
    );
    expect(error.code).toBe('too-few-points');
    expect(error.message).toContain('has 2');
  });

  it('rejects NaN, infinite, out-of-range and malformed vertices with their position', () => {
    const nan = geometryError(() =>
      validatePolygon([
        [
          [0, 0],
          [1, Number.NaN],
          [1, 1],
        ],
      ]),
    );
    expect(nan).toMatchObject({ code: 'invalid-coordinate', position: { ring: 0, vertex: 1 } });
    expect(
      geometryError(() =>
        validatePolygon([
          [
            [0, 0],
            [1, 0],
            [1, 91],
          ],
        ]),
      ).code,
    ).toBe('invalid-coordinate');
    expect(geometryError(() => validatePolygon([[[0, 0], [1, 0], [Infinity, 1]]])).code).toBe('invalid-coordinate');
    expect(geometryError(() => validatePolygon([[[0, 0], [1, 0], [1] as unknown as [number, number]]])).code).toBe('invalid-coordinate');
  });

  it('rejects a bow tie (self-intersection) unless allowed, and a flat ring', () => {
    const bowTie: Ring = [
      [0, 0],
      [10, 10],
      [10, 0],
      [0, 10],
    ];
    expect(geometryError(() => validatePolygon([bowTie]))).toMatchObject({ code: 'self-intersecting', message: 'ring 0 edges 0 and 2 cross' });
    expect(validatePolygon([bowTie], { allowSelfIntersection: true })[0]).toHaveLength(5);
    expect(
      geometryError(() =>
        validatePolygon([
          [
            [0, 0],
            [1, 1],
            [2, 2],
          ],
        ]),
      ).code,
    ).toBe('degenerate');
  });

  it('refuses edges that cross the antimeridian', () => {
    expect(
      geometryError(() =>
        validatePolygon([
          [
            [179, 0],
            [-179, 0],
            [-179, 1],
            [179, 1],
          ],
        ]),
      ).code,
    ).toBe('antimeridian');
  });
});

describe('segmentsIntersect', () => {
  it('detects crossing, touching and collinear overlap, and rejects disjoint segments', () => {
    expect(segmentsIntersect([0, 0], [2, 2], [0, 2], [2, 0])).toBe(true);
    expect(segmentsIntersect([0, 0], [2, 0], [2, 0], [3, 5])).toBe(true);
    expect(segmentsIntersect([0, 0], [2, 0], [1, 0], [3, 0])).toBe(true);
    expect(segmentsIntersect([0, 0], [1, 0], [2, 0], [3, 0])).toBe(false);
    expect(segmentsIntersect([0, 0], [1, 1], [0, 1], [0.4, 0.6])).toBe(false);
  });
});

describe('distanceToBoundaryM', () => {
  it('measures to the nearest edge: 0.001° east of a meridian edge at 5° N ≈ 110.77 m', () => {
    const square: Ring = [
      [0, 0],
      [10, 0],
      [10, 10],
      [0, 10],
    ];
    // 0.001° × cos 5° × 111,195.08 m = 0.001 × 0.9961947 × 111,195.08 = 110.772 m.
    expect(distanceToBoundaryM(at(5, 10.001), [square])).toBeCloseTo(110.772, 2);
    // Inside, 1° from the nearest edge (south edge at lat 0 is 1° away from lat 1).
    expect(distanceToBoundaryM(at(1, 5), [square])).toBeCloseTo(111_195.08, 0);
  });
});
