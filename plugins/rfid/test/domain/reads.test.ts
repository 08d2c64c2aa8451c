import { describe, it, expect } from 'vitest';
import {
  normaliseReaderEvent,
  parseReadTimestamp,
  ReadFilter,
  ReadError,
  portalDirection,
  portalDirections,
  zoneOf,
  type TagRead,
  type PortalConfig,
} from '../../src/domain/index.js';

function readError(fn: () => unknown, code: string): ReadError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ReadError);
    expect((e as ReadError).code).toBe(code);
    return e as ReadError;
  }
  throw new Error(`expected ReadError ${code}, nothing was thrown`);
}

// The SGTIN-96 of TDS 1.13 Appendix E, and a second tag.
const EPC_A = '3074257BF7194E4000001A85';
const EPC_B = '3174257BF4499602D2000000';

describe('normaliseReaderEvent', () => {
  it('Zebra FX IoT Connector tag data event (SIMPLE): lowercase idHex, offset without colon', () => {
    // Shape per Zebra FX7500/FX9600 IoT Connector "tag data event": data.idHex, data.antenna,
    // data.peakRssi; timestamp with a ±HHMM offset.
    const payload = {
      data: { eventNum: 1821, format: 'epc', idHex: EPC_A.toLowerCase(), antenna: 2, peakRssi: -52, reads: 3, channel: 915.25, hostName: 'FX9600F0D8AB' },
      timestamp: '2024-05-01T10:00:00.123-0700',
      type: 'SIMPLE',
    };
    expect(normaliseReaderEvent(payload)).toEqual([{ epc: EPC_A, antenna: 2, rssi: -52, readAt: '2024-05-01T17:00:00.123Z', readerSerial: 'FX9600F0D8AB' }]);
  });

  it('Zebra events in an array; the transport-known reader wins over the payload', () => {
    const payload = [
      { data: { idHex: EPC_A, antenna: 1, peakRssi: -60 }, timestamp: '2024-05-01T17:00:00.000+0000', type: 'SIMPLE' },
      { data: { idHex: EPC_B, antenna: 3 }, timestamp: '2024-05-01T17:00:00.500+0000', type: 'SIMPLE' },
    ];
    expect(normaliseReaderEvent(payload, { readerSerial: 'dock-1' })).toEqual([
      { epc: EPC_A, antenna: 1, rssi: -60, readAt: '2024-05-01T17:00:00.000Z', readerSerial: 'dock-1' },
      { epc: EPC_B, antenna: 3, rssi: null, readAt: '2024-05-01T17:00:00.500Z', readerSerial: 'dock-1' },
    ]);
  });

  it('Impinj R700 IoT interface: epcHex and centi-dBm, nanosecond timestamp', () => {
    const payload = {
      timestamp: '2024-05-01T17:00:00.123456789Z',
      hostname: 'impinj-14-1b-2c',
      eventType: 'tagInventory',
      tagInventoryEvent: { epc: 'MHQle/cZTkAAABqF', epcHex: EPC_A, antennaPort: 1, antennaName: '1', peakRssiCdbm: -5250, frequency: 917250, transmitPowerCbm: 3000 },
    };
    expect(normaliseReaderEvent(payload)).toEqual([{ epc: EPC_A, antenna: 1, rssi: -52.5, readAt: '2024-05-01T17:00:00.123Z', readerSerial: 'impinj-14-1b-2c' }]);
  });

  it('Impinj with only a base64 epc', () => {
    // base64("3074257BF7194E4000001A85" as bytes) = "MHQle/cZTkAAABqF"
    const payload = { timestamp: '2024-05-01T17:00:00Z', tagInventoryEvent: { epc: 'MHQle/cZTkAAABqF', antennaPort: 4, peakRssiCdbm: -6100 } };
    expect(normaliseReaderEvent(payload)).toEqual([{ epc: EPC_A, antenna: 4, rssi: -61, readAt: '2024-05-01T17:00:00.000Z' }]);
    // A hex `epc` (ItemSense style) is taken as hex.
    expect(normaliseReaderEvent({ ...payload, tagInventoryEvent: { epc: EPC_B, antennaPort: 1 } })[0].epc).toBe(EPC_B);
  });

  it('Impinj Speedway Connect: microsecond timestamps, heartbeats skipped', () => {
    const payload = {
      reader_name: 'SpeedwayR-10-9F-3F',
      mac_address: '00:16:25:10:9F:3F',
      tag_reads: [
        { epc: EPC_A, antennaPort: 2, peakRssi: -57, firstSeenTimestamp: 1714582800123456, isHeartBeat: false },
        { isHeartBeat: true },
      ],
    };
    expect(normaliseReaderEvent(payload)).toEqual([{ epc: EPC_A, antenna: 2, rssi: -57, readAt: '2024-05-01T17:00:00.123Z', readerSerial: 'SpeedwayR-10-9F-3F' }]);
  });

  it('generic { epc, antenna, rssi, timestamp } and arrays of them', () => {
    expect(normaliseReaderEvent({ epc: EPC_A, antenna: 3, rssi: -61.5, timestamp: '2024-05-01T19:00:00+02:00' })).toEqual([
      { epc: EPC_A, antenna: 3, rssi: -61.5, readAt: '2024-05-01T17:00:00.000Z' },
    ]);
    const reads = normaliseReaderEvent([
      { epc: EPC_A, antenna: '1', rssi: null, timestamp: 1714582800000, readerSerial: 'r-7' },
      { epc: EPC_B, antenna: 0, timestamp: '2024-05-01T17:00:01Z' },
    ]);
    expect(reads).toEqual([
      { epc: EPC_A, antenna: 1, rssi: null, readAt: '2024-05-01T17:00:00.000Z', readerSerial: 'r-7' },
      { epc: EPC_B, antenna: 0, rssi: null, readAt: '2024-05-01T17:00:01.000Z' },
    ]);
    expect(normaliseReaderEvent([])).toEqual([]);
  });

  it('rejects unrecognised shapes with a reason naming the expected ones', () => {
    const e = readError(() => normaliseReaderEvent({ tags: [{ id: 1 }] }), 'unrecognised-shape');
    expect(e.reason).toContain('tags');
    expect(e.reason).toContain('idHex');
    readError(() => normaliseReaderEvent('3074257BF7194E4000001A85'), 'unrecognised-shape');
    readError(() => normaliseReaderEvent(null), 'unrecognised-shape');
    readError(() => normaliseReaderEvent({ data: { antenna: 1 }, timestamp: '2024-05-01T17:00:00Z' }), 'unrecognised-shape');
    expect(readError(() => normaliseReaderEvent([{ epc: EPC_A, antenna: 1, timestamp: '2024-05-01T17:00:00Z' }, 42]), 'unrecognised-shape').field).toBe('[1]');
  });

  it('rejects bad values, naming the field', () => {
    const ts = '2024-05-01T17:00:00Z';
    expect(readError(() => normaliseReaderEvent({ data: { idHex: '3074257BF7194E4000001A8', antenna: 1 }, timestamp: ts }), 'invalid-epc').field).toBe('data.idHex');
    readError(() => normaliseReaderEvent({ epc: 'not-hex!', antenna: 1, timestamp: ts }), 'invalid-epc');
    readError(() => normaliseReaderEvent({ epc: '', antenna: 1, timestamp: ts }), 'invalid-epc');
    readError(() => normaliseReaderEvent({ tagInventoryEvent: { epc: '@@@@', antennaPort: 1 }, timestamp: ts }), 'invalid-epc');
    readError(() => normaliseReaderEvent({ epc: EPC_A, antenna: -1, timestamp: ts }), 'invalid-antenna');
    readError(() => normaliseReaderEvent({ epc: EPC_A, antenna: 1.5, timestamp: ts }), 'invalid-antenna');
    readError(() => normaliseReaderEvent({ epc: EPC_A, antenna: 1, rssi: '-50', timestamp: ts }), 'invalid-rssi');
    readError(() => normaliseReaderEvent({ epc: EPC_A, antenna: 1 }), 'invalid-timestamp');
    // No offset: the reader's local zone is unknown.
    readError(() => normaliseReaderEvent({ epc: EPC_A, antenna: 1, timestamp: '2024-05-01T17:00:00' }), 'invalid-timestamp');
    expect(readError(() => normaliseReaderEvent([{ epc: EPC_A, antenna: 1, timestamp: ts }, { epc: EPC_A, antenna: 1, timestamp: 'yesterday' }]), 'invalid-timestamp').field).toBe('[1].timestamp');
  });
});

describe('parseReadTimestamp', () => {
  it('normalises ISO 8601 offsets and precisions to UTC milliseconds', () => {
    expect(parseReadTimestamp('2024-05-01T22:30:00+05:30')).toBe('2024-05-01T17:00:00.000Z');
    expect(parseReadTimestamp('2024-05-01T17:00:00.5Z')).toBe('2024-05-01T17:00:00.500Z');
    expect(parseReadTimestamp('2024-05-01T10:00:00.999999-07')).toBe('2024-05-01T17:00:00.999Z');
    expect(parseReadTimestamp('2024-12-31T23:30:00-0100')).toBe('2025-01-01T00:30:00.000Z');
  });
  it('rejects impossible dates', () => {
    readError(() => parseReadTimestamp('2024-02-30T00:00:00Z'), 'invalid-timestamp');
    readError(() => parseReadTimestamp('2024-05-01T24:00:00Z'), 'invalid-timestamp');
    readError(() => parseReadTimestamp(-5), 'invalid-timestamp');
  });
});

const at = (ms: number): string => new Date(Date.UTC(2024, 4, 1, 17, 0, 0) + ms).toISOString();
const read = (epc: string, antenna: number, ms: number, rssi: number | null = -50, readerSerial?: string): TagRead => ({ epc, antenna, rssi, readAt: at(ms), ...(readerSerial ? { readerSerial } : {}) });

describe('ReadFilter', () => {
  it('drops repeats within the window and weak reads, and counts them', () => {
    const filter = new ReadFilter({ dedupeWindowMs: 1000, rssiThresholdDbm: -70 });
    const sequence: Array<[TagRead, string]> = [
      [read(EPC_A, 1, 0), 'accepted'],
      [read(EPC_A, 1, 300), 'duplicate'],
      [read(EPC_A, 2, 400), 'accepted'], // another antenna is another place
      [read(EPC_A, 1, 999), 'duplicate'],
      [read(EPC_A, 1, 1000), 'accepted'], // a full window after the last accepted read
      [read(EPC_A, 1, 1100, -75), 'below-threshold'],
      [read(EPC_A, 1, 1200, -70), 'duplicate'], // exactly at the threshold passes it
      [read(EPC_B, 1, 1200, null), 'accepted'], // no RSSI: nothing to compare
    ];
    expect(sequence.map(([r]) => filter.offer(r))).toEqual(sequence.map(([, d]) => d));
    expect(filter.counts).toEqual({ accepted: 4, duplicates: 3, belowThreshold: 1 });
  });

  it('measures from the last accepted read, so a tag in view is reported once per window', () => {
    const filter = new ReadFilter({ dedupeWindowMs: 1000 });
    const { accepted, counts } = filter.process([0, 250, 500, 750, 1000, 1250, 1500, 1750, 2000].map((ms) => read(EPC_A, 1, ms)));
    expect(accepted.map((r) => r.readAt)).toEqual([at(0), at(1000), at(2000)]);
    expect(counts).toEqual({ accepted: 3, duplicates: 6, belowThreshold: 0 });
  });

  it('treats antennas of one zone as one place when given a zone map', () => {
    const filter = new ReadFilter({ dedupeWindowMs: 1000, antennaZones: { 1: 'dock', 2: 'dock', 3: 'aisle' } });
    expect([read(EPC_A, 1, 0), read(EPC_A, 2, 100), read(EPC_A, 3, 200), read(EPC_A, 4, 300)].map((r) => filter.offer(r))).toEqual(['accepted', 'duplicate', 'accepted', 'accepted']);
  });

  it('keeps readers apart', () => {
    const filter = new ReadFilter({ dedupeWindowMs: 1000 });
    expect([read(EPC_A, 1, 0, -50, 'r1'), read(EPC_A, 1, 10, -50, 'r2'), read(EPC_A, 1, 20, -50, 'r1')].map((r) => filter.offer(r))).toEqual(['accepted', 'accepted', 'duplicate']);
  });

  it('a late read inside the window is still a duplicate', () => {
    const filter = new ReadFilter({ dedupeWindowMs: 1000 });
    expect([read(EPC_A, 1, 5000), read(EPC_A, 1, 4500), read(EPC_A, 1, 3000)].map((r) => filter.offer(r))).toEqual(['accepted', 'duplicate', 'accepted']);
  });

  it('holds only the tags of the last window', () => {
    const filter = new ReadFilter({ dedupeWindowMs: 100 });
    // 1000 different tags, one every 10 ms: never more than a window's worth (10) plus the newest.
    let largest = 0;
    for (let i = 0; i < 1000; i++) {
      filter.offer(read(i.toString(16).toUpperCase().padStart(24, '0'), 1, i * 10));
      largest = Math.max(largest, filter.size);
    }
    expect(largest).toBeLessThanOrEqual(11);
    filter.offer(read(EPC_A, 1, 60_000));
    expect(filter.size).toBe(1);
    expect(filter.counts.accepted).toBe(1001);
  });

  it('rejects bad settings', () => {
    readError(() => new ReadFilter({ dedupeWindowMs: -1 }), 'invalid-config');
    readError(() => new ReadFilter({ dedupeWindowMs: Number.NaN }), 'invalid-config');
    readError(() => new ReadFilter({ dedupeWindowMs: 1000, rssiThresholdDbm: Number.POSITIVE_INFINITY }), 'invalid-config');
  });
});

describe('zoneOf', () => {
  it('reads plain-object maps with string or number keys, and Maps', () => {
    expect(zoneOf({ '1': 'outside', '2': 'inside' }, 2)).toBe('inside');
    expect(zoneOf({ 1: 'outside' }, 1)).toBe('outside');
    expect(zoneOf(new Map([[3, 'aisle']]), 3)).toBe('aisle');
    expect(zoneOf({ 1: 'outside' }, 9)).toBeNull();
    expect(zoneOf(new Map([[3, 'aisle']]), 4)).toBeNull();
  });
});

describe('portalDirection', () => {
  // A dock door: antennas 1–2 face the yard, 3–4 face the warehouse, 5 is a shelf elsewhere.
  const dock: PortalConfig = { antennaZones: { 1: 'outside', 2: 'outside', 3: 'inside', 4: 'inside', 5: 'shelf' }, zones: ['outside', 'inside'], windowMs: 10_000 };
  const seq = (...steps: Array<[number, number]>): TagRead[] => steps.map(([antenna, ms]) => read(EPC_A, antenna, ms));

  it('outside then inside is in', () => {
    const p = portalDirection(seq([1, 0], [2, 200], [3, 900], [4, 1500]), dock);
    expect(p).toEqual({
      epc: EPC_A,
      direction: 'in',
      status: 'in',
      outer: { firstAt: at(0), lastAt: at(200), reads: 2 },
      inner: { firstAt: at(900), lastAt: at(1500), reads: 2 },
    });
  });

  it('inside then outside is out, whatever order the reads arrive in', () => {
    const reads = seq([3, 0], [1, 700], [4, 300], [2, 1200]);
    expect(portalDirection(reads, dock).direction).toBe('out');
    expect(portalDirection([...reads].reverse(), dock).direction).toBe('out');
  });

  it('jitter between the sides still follows first and last', () => {
    expect(portalDirection(seq([1, 0], [3, 100], [1, 200], [3, 300], [4, 400]), dock).direction).toBe('in');
  });

  it('a tie at one end lets the other decide', () => {
    expect(portalDirection(seq([1, 0], [3, 0], [3, 500]), dock).direction).toBe('in');
    expect(portalDirection(seq([1, 0], [3, 200], [1, 900], [3, 900]), dock).direction).toBe('in');
    expect(portalDirection(seq([1, 0], [3, 0], [1, 500], [3, 500]), dock)).toMatchObject({ direction: null, status: 'ambiguous' });
  });

  it('only one side seen: no direction', () => {
    expect(portalDirection(seq([1, 0], [2, 400]), dock)).toMatchObject({ direction: null, status: 'seen', inner: null });
    expect(portalDirection(seq([4, 0]), dock)).toMatchObject({ direction: null, status: 'seen', outer: null });
  });

  it('in from outside and back out again: ambiguous, not a crossing', () => {
    expect(portalDirection(seq([1, 0], [3, 500], [1, 1000]), dock)).toMatchObject({ direction: null, status: 'ambiguous' });
  });

  it('reads off the portal do not count', () => {
    expect(portalDirection(seq([5, 0], [5, 100]), dock)).toMatchObject({ direction: null, status: 'none' });
    expect(portalDirection([], dock)).toMatchObject({ direction: null, status: 'none' });
    expect(portalDirection(seq([5, 0], [3, 100], [1, 200]), dock).direction).toBe('out');
  });

  it('only the window ending at the latest read counts', () => {
    // Came in an hour ago (1 → 3); now seen inside then outside: this pass is out.
    const reads = seq([1, 0], [3, 1000], [3, 3_600_000], [1, 3_601_000]);
    expect(portalDirection(reads, dock).direction).toBe('out');
    expect(portalDirection(reads, dock).outer).toEqual({ firstAt: at(3_601_000), lastAt: at(3_601_000), reads: 1 });
  });

  it('portalDirections decides each tag', () => {
    const reads = [read(EPC_A, 1, 0), read(EPC_B, 4, 0), read(EPC_A, 3, 500), read(EPC_B, 2, 600)];
    expect(portalDirections(reads, dock).map((p) => [p.epc, p.direction])).toEqual([
      [EPC_A, 'in'],
      [EPC_B, 'out'],
    ]);
  });

  it('rejects mixed tags and bad settings', () => {
    readError(() => portalDirection([read(EPC_A, 1, 0), read(EPC_B, 3, 100)], dock), 'invalid-config');
    readError(() => portalDirection([], { ...dock, zones: ['outside', 'outside'] }), 'invalid-config');
    readError(() => portalDirection([], { ...dock, windowMs: 0 }), 'invalid-config');
  });
});
