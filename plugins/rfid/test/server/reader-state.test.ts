import { describe, expect, it } from 'vitest';
import { ReaderState, ReaderStates, readerConfigOf, zoneLocation } from '../../src/server/services/reader-state.js';
import type { TagRead } from '../../src/domain/index.js';

/** Per-reader memory of the tag consumer (pure): settings parsing, retries, portal direction, bounds. */
const ZONE_A = '8a4f3c2e-0000-4000-8000-00000000000a';
const ZONE_B = '8a4f3c2e-0000-4000-8000-00000000000b';
const EPC = '3074257BF7194E4000001A85';
const T0 = Date.parse('2026-11-24T08:00:00Z');
const read = (antenna: number, seconds: number, rssi: number | null = -50, epc = EPC): TagRead => ({ epc, antenna, rssi, readAt: new Date(T0 + seconds * 1000).toISOString() });

describe('reader configuration from device settings', () => {
  it('defaults: 5 s dedupe, 10 s portal window, no threshold, no antennas, no portal', () => {
    expect(readerConfigOf({})).toEqual({ antennaLocations: new Map(), portalSides: new Map(), isPortal: false, dedupeWindowMs: 5000, rssiThresholdDbm: null, portalWindowMs: 10_000 });
    expect(readerConfigOf(null).dedupeWindowMs).toBe(5000);
  });

  it('takes well-formed antennas (first entry of an antenna wins) and skips the rest; a portal needs both sides', () => {
    const c = readerConfigOf({
      antennas: [{ antenna: 1, locationId: ZONE_A, portalSide: 'outer' }, { antenna: 1, locationId: ZONE_B }, { antenna: 2, locationId: 'nowhere' }, null, { antenna: 3, locationId: ZONE_B.toUpperCase() }],
      dedupeWindowSeconds: 2,
      rssiThresholdDbm: -65,
      portalWindowSeconds: 'ten',
    });
    expect([...c.antennaLocations]).toEqual([[1, ZONE_A], [3, ZONE_B]]);
    expect(c).toMatchObject({ isPortal: false, dedupeWindowMs: 2000, rssiThresholdDbm: -65, portalWindowMs: 10_000 });
    expect(readerConfigOf({ antennas: [{ antenna: 1, locationId: ZONE_A, portalSide: 'outer' }, { antenna: 2, locationId: ZONE_B, portalSide: 'inner' }] }).isPortal).toBe(true);
  });

  it('a read is in its antenna\'s zone, else where the reader is installed', () => {
    const c = readerConfigOf({ antennas: [{ antenna: 1, locationId: ZONE_A }] });
    expect(zoneLocation(c, { locationId: ZONE_B }, 1)).toBe(ZONE_A);
    expect(zoneLocation(c, { locationId: ZONE_B }, 2)).toBe(ZONE_B);
    expect(zoneLocation(c, { locationId: null }, null)).toBeNull();
  });
});

describe('ReaderState', () => {
  const portal = { antennas: [{ antenna: 1, locationId: ZONE_A, portalSide: 'outer' }, { antenna: 2, locationId: ZONE_B, portalSide: 'inner' }, { antenna: 3, locationId: ZONE_B }], rssiThresholdDbm: -70 };

  it('the same read offered again (a retried batch) is accepted again; another read in the window is a duplicate', () => {
    const s = new ReaderState(readerConfigOf(portal), '');
    expect(s.offer(read(1, 0))).toBe('accepted');
    expect(s.offer(read(1, 0))).toBe('accepted');
    expect(s.offer(read(1, 1))).toBe('duplicate');
    expect(s.offer(read(1, 2, -80))).toBe('below-threshold');
    expect(s.offer(read(1, 5))).toBe('accepted');
  });

  it('antennas watching one zone count as one place for duplicates', () => {
    const s = new ReaderState(readerConfigOf(portal), '');
    expect(s.offer(read(2, 0))).toBe('accepted');
    expect(s.offer(read(3, 1))).toBe('duplicate');
    expect(s.offer(read(1, 1.5))).toBe('accepted');
  });

  it('tells the direction from outer/inner reads, duplicates included, up to the read in hand', () => {
    const s = new ReaderState(readerConfigOf(portal), '');
    const pass = [read(1, 0), read(1, 0.5), read(2, 1), read(1, 1.2), read(2, 2)];
    for (const r of pass) s.offer(r);
    expect(s.directionAt(pass[0])).toBeNull(); // only the outer side so far
    expect(s.directionAt(pass[2])).toBe('in');
    // A non-portal antenna has no direction; weak reads are not remembered.
    expect(s.directionAt(read(3, 2))).toBeNull();
    const out = new ReaderState(readerConfigOf(portal), '');
    for (const r of [read(2, 0), read(1, 0.3, -90), read(2, 0.6), read(1, 1)]) out.offer(r);
    expect(out.directionAt(read(1, 1))).toBe('out');
  });

  it('forgets what is older than its windows, so memory stays bounded by the tags in view', () => {
    const s = new ReaderState(readerConfigOf(portal), '');
    for (let i = 0; i < 100; i++) s.offer(read(1, i * 0.01, -50, EPC.slice(0, -4) + i.toString(16).toUpperCase().padStart(4, '0')));
    expect(s.size).toEqual({ filter: 100, remembered: 100, portalTags: 100 });
    s.offer(read(3, 3600, -50, 'E2000000000000000000FFFF'));
    expect(s.size).toEqual({ filter: 1, remembered: 1, portalTags: 0 });
  });
});

describe('ReaderStates', () => {
  it('keeps one state per reader, rebuilt when its settings change, and at most `max` readers', () => {
    const states = new ReaderStates(2);
    const a = states.for({ id: 'a', settings: { dedupeWindowSeconds: 5 } });
    expect(states.for({ id: 'a', settings: { dedupeWindowSeconds: 5 } })).toBe(a);
    const changed = states.for({ id: 'a', settings: { dedupeWindowSeconds: 1 } });
    expect(changed).not.toBe(a);
    expect(changed.config.dedupeWindowMs).toBe(1000);
    states.for({ id: 'b', settings: {} });
    states.for({ id: 'c', settings: {} });
    expect(states.size).toBe(2);
    // 'a' was the least recently used and was dropped: it comes back fresh.
    expect(states.for({ id: 'a', settings: { dedupeWindowSeconds: 1 } })).not.toBe(changed);
  });
});
