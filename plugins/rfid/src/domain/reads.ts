/**
 * Pure processing of fixed-reader tag reads: normalising the JSON that readers post, de-duplicating
 * and RSSI filtering, antenna zones and portal (dock door) direction. Time always comes from the
 * reads themselves, never from a clock, so replaying a log gives the same answer.
 */

export type ReadErrorCode = 'unrecognised-shape' | 'invalid-epc' | 'invalid-antenna' | 'invalid-rssi' | 'invalid-timestamp' | 'invalid-config';

/** A reader payload or setting that cannot be used. `reason` is the human message. */
export class ReadError extends Error {
  override readonly name = 'ReadError';
  constructor(
    readonly code: ReadErrorCode,
    readonly reason: string,
    /** Path of the offending value in the payload (`[2].data.idHex`). */
    readonly field?: string,
  ) {
    super(field ? `${field}: ${reason}` : reason);
  }
}

export interface TagRead {
  /** EPC bank, uppercase hex. */
  epc: string;
  antenna: number;
  /** Peak RSSI in dBm, null when the reader did not report it. */
  rssi: number | null;
  /** ISO 8601 UTC with milliseconds (`2024-05-01T10:00:00.123Z`). */
  readAt: string;
  readerSerial?: string;
}

export interface NormaliseOptions {
  /** Reader the payload came from, when the transport knows it (URL, MQTT topic, credentials); wins over any name in the payload. */
  readerSerial?: string;
}

// ---------------------------------------------------------------------------------------------
// Field parsing

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** EPC hex: whole 16-bit words, as Gen2 stores the EPC bank. */
function epcHex(value: unknown, field: string): string {
  if (typeof value !== 'string') throw new ReadError('invalid-epc', 'EPC must be a hex string', field);
  const hex = value.trim();
  if (!/^[0-9A-Fa-f]+$/.test(hex)) throw new ReadError('invalid-epc', `EPC '${value}' is not hexadecimal`, field);
  if (hex.length % 4 !== 0) throw new ReadError('invalid-epc', `EPC '${value}' is not a whole number of 16-bit words (${hex.length} hex digits)`, field);
  return hex.toUpperCase();
}

/**
 * Impinj's `epc` is base64 of the EPC bytes (R700 IoT interface); other Impinj software sends
 * hex. A string of hex digits only is taken as hex: a 96-bit EPC in base64 is 16 characters
 * drawn from 64, so all-hex base64 is very unlikely, and `epcHex` is preferred when present.
 */
function epcHexOrBase64(value: unknown, field: string): string {
  if (typeof value !== 'string') throw new ReadError('invalid-epc', 'EPC must be a hex or base64 string', field);
  const text = value.trim();
  if (/^[0-9A-Fa-f]+$/.test(text)) return epcHex(text, field);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text) || text.length % 4 !== 0) throw new ReadError('invalid-epc', `EPC '${value}' is neither hex nor base64`, field);
  return epcHex(base64ToHex(text), field);
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Base64 → hex without Buffer/atob, so the domain runs unchanged in the browser. */
function base64ToHex(text: string): string {
  const body = text.replace(/=+$/, '');
  let bits = '';
  for (const ch of body) bits += BASE64.indexOf(ch).toString(2).padStart(6, '0');
  let hex = '';
  for (let i = 0; i + 8 <= bits.length; i += 8) hex += parseInt(bits.slice(i, i + 8), 2).toString(16).padStart(2, '0');
  return hex;
}

function antennaNumber(value: unknown, field: string): number {
  const n = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 65535) throw new ReadError('invalid-antenna', `antenna must be a non-negative integer, got ${JSON.stringify(value)}`, field);
  return n;
}

function rssiDbm(value: unknown, field: string, scale = 1): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new ReadError('invalid-rssi', `RSSI must be a number, got ${JSON.stringify(value)}`, field);
  return value / scale;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d+))?(Z|[+-]\d{2}(?::?\d{2})?)$/i;

/**
 * ISO 8601 instant → ISO UTC. Accepts what readers send beyond `Date.parse`'s guarantee:
 * offsets without a colon (Zebra: `-0700`), nanoseconds (Impinj). A time without an offset is
 * rejected: the reader's local zone is unknown here.
 */
export function parseReadTimestamp(value: unknown, field = 'timestamp'): string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || !Number.isInteger(value) || value < 0) throw new ReadError('invalid-timestamp', `epoch milliseconds must be a non-negative integer, got ${value}`, field);
    return new Date(value).toISOString();
  }
  if (typeof value !== 'string') throw new ReadError('invalid-timestamp', 'timestamp is missing', field);
  const m = ISO.exec(value.trim());
  if (!m) throw new ReadError('invalid-timestamp', `'${value}' is not an ISO 8601 date-time with a UTC offset`, field);
  const [, y, mo, d, h, mi, s, frac = '', zone] = m;
  const ms = Number((frac + '000').slice(0, 3));
  let offsetMin = 0;
  if (zone.toUpperCase() !== 'Z') {
    const digits = zone.slice(1).replace(':', '');
    offsetMin = (zone[0] === '-' ? -1 : 1) * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0'));
  }
  const local = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  const check = new Date(local);
  // Date.UTC rolls 31 February over into March; refuse instead.
  if (check.getUTCFullYear() !== Number(y) || check.getUTCMonth() !== Number(mo) - 1 || check.getUTCDate() !== Number(d) || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) {
    throw new ReadError('invalid-timestamp', `'${value}' is not a valid date-time`, field);
  }
  return new Date(local - offsetMin * 60_000).toISOString();
}

function serialFrom(options: NormaliseOptions, ...candidates: unknown[]): { readerSerial?: string } {
  if (options.readerSerial) return { readerSerial: options.readerSerial };
  const found = candidates.find((c) => typeof c === 'string' && c.trim() !== '');
  return found ? { readerSerial: (found as string).trim() } : {};
}

// ---------------------------------------------------------------------------------------------
// Reader shapes

/**
 * Zebra FX7500/FX9600 IoT Connector tag data event:
 * `{ "data": { "idHex", "antenna", "peakRssi", … }, "timestamp": "2024-…-0700", "type": "SIMPLE" }`.
 */
function fromZebra(event: Record<string, unknown>, at: string, options: NormaliseOptions): TagRead {
  const data = event.data as Record<string, unknown>;
  return {
    epc: epcHex(data.idHex, `${at}data.idHex`),
    antenna: antennaNumber(data.antenna, `${at}data.antenna`),
    rssi: rssiDbm(data.peakRssi, `${at}data.peakRssi`),
    readAt: parseReadTimestamp(event.timestamp, `${at}timestamp`),
    ...serialFrom(options, data.hostName, event.hostName, data.MAC),
  };
}

/**
 * Impinj R700 IoT device interface (and ItemSense-style events):
 * `{ "timestamp", "hostname", "tagInventoryEvent": { "epc" (base64), "epcHex", "antennaPort", "peakRssiCdbm", … } }`.
 * RSSI arrives in centi-dBm.
 */
function fromImpinj(event: Record<string, unknown>, at: string, options: NormaliseOptions): TagRead {
  const tie = event.tagInventoryEvent as Record<string, unknown>;
  const epc = tie.epcHex !== undefined ? epcHex(tie.epcHex, `${at}tagInventoryEvent.epcHex`) : epcHexOrBase64(tie.epc, `${at}tagInventoryEvent.epc`);
  const rssi = tie.peakRssiCdbm !== undefined ? rssiDbm(tie.peakRssiCdbm, `${at}tagInventoryEvent.peakRssiCdbm`, 100) : rssiDbm(tie.peakRssi, `${at}tagInventoryEvent.peakRssi`);
  return {
    epc,
    antenna: antennaNumber(tie.antennaPort, `${at}tagInventoryEvent.antennaPort`),
    rssi,
    readAt: parseReadTimestamp(event.timestamp ?? tie.lastSeenTime, `${at}timestamp`),
    ...serialFrom(options, event.hostname, event.readerName),
  };
}

/**
 * Impinj Speedway Connect HTTP POST body:
 * `{ "reader_name", "mac_address", "tag_reads": [{ "epc", "antennaPort", "peakRssi", "firstSeenTimestamp" (µs), "isHeartBeat" }] }`.
 * Heartbeats carry no tag and are skipped.
 */
function fromSpeedwayConnect(body: Record<string, unknown>, at: string, options: NormaliseOptions): TagRead[] {
  if (!Array.isArray(body.tag_reads)) throw new ReadError('unrecognised-shape', 'tag_reads must be an array', `${at}tag_reads`);
  const reads: TagRead[] = [];
  body.tag_reads.forEach((raw, i) => {
    const p = `${at}tag_reads[${i}].`;
    if (!isRecord(raw)) throw new ReadError('unrecognised-shape', 'a tag read must be an object', p.slice(0, -1));
    if (raw.isHeartBeat === true) return;
    const micros = raw.firstSeenTimestamp ?? raw.lastSeenTimestamp;
    if (typeof micros !== 'number' || !Number.isInteger(micros)) throw new ReadError('invalid-timestamp', 'firstSeenTimestamp must be microseconds since 1970', `${p}firstSeenTimestamp`);
    reads.push({
      epc: epcHexOrBase64(raw.epc, `${p}epc`),
      antenna: antennaNumber(raw.antennaPort, `${p}antennaPort`),
      rssi: rssiDbm(raw.peakRssi, `${p}peakRssi`),
      readAt: parseReadTimestamp(Math.floor(micros / 1000), `${p}firstSeenTimestamp`),
      ...serialFrom(options, body.reader_name, body.mac_address),
    });
  });
  return reads;
}

/** Generic `{ epc, antenna, rssi, timestamp }` (also `readAt` / `time`, `readerSerial`). */
function fromGeneric(event: Record<string, unknown>, at: string, options: NormaliseOptions): TagRead {
  const tsKey = ['timestamp', 'readAt', 'time'].find((k) => event[k] !== undefined) ?? 'timestamp';
  return {
    epc: epcHex(event.epc, `${at}epc`),
    antenna: antennaNumber(event.antenna, `${at}antenna`),
    rssi: rssiDbm(event.rssi, `${at}rssi`),
    readAt: parseReadTimestamp(event[tsKey], `${at}${tsKey}`),
    ...serialFrom(options, event.readerSerial, event.reader),
  };
}

function normaliseOne(event: unknown, at: string, options: NormaliseOptions): TagRead[] {
  const where = at === '' ? 'payload' : at.slice(0, -1);
  if (!isRecord(event)) throw new ReadError('unrecognised-shape', 'expected a JSON object (or an array of them) from the reader', where);
  if (isRecord(event.data) && 'idHex' in event.data) return [fromZebra(event, at, options)];
  if (isRecord(event.tagInventoryEvent)) return [fromImpinj(event, at, options)];
  if ('tag_reads' in event) return fromSpeedwayConnect(event, at, options);
  if ('epc' in event && 'antenna' in event) return [fromGeneric(event, at, options)];
  const keys = Object.keys(event).slice(0, 8).join(', ') || 'none';
  throw new ReadError(
    'unrecognised-shape',
    `not a tag read from a known reader (keys: ${keys}); expected Zebra IoT Connector {data:{idHex,…}}, Impinj {tagInventoryEvent:{…}}, Speedway Connect {tag_reads:[…]} or {epc, antenna, rssi, timestamp}`,
    where,
  );
}

/** Reader JSON (one event or an array of events) → typed reads. Throws ReadError on the first unusable event. */
export function normaliseReaderEvent(payload: unknown, options: NormaliseOptions = {}): TagRead[] {
  if (Array.isArray(payload)) return payload.flatMap((event, i) => normaliseOne(event, `[${i}].`, options));
  return normaliseOne(payload, '', options);
}

// ---------------------------------------------------------------------------------------------
// Zones

/** Antenna number → zone name. JSON settings give string keys ("1"), code may give a Map. */
export type AntennaZoneMap = Readonly<Record<string | number, string>> | ReadonlyMap<number, string>;

export function zoneOf(antennaMap: AntennaZoneMap, antenna: number): string | null {
  if (antennaMap instanceof Map) return antennaMap.get(antenna) ?? null;
  const zone = (antennaMap as Readonly<Record<string, string>>)[String(antenna)];
  return typeof zone === 'string' ? zone : null;
}

// ---------------------------------------------------------------------------------------------
// De-duplication and RSSI threshold

export interface ReadFilterOptions {
  /** A repeat of the same EPC in the same zone (per reader) within this many ms is a duplicate. */
  dedupeWindowMs: number;
  /** Reads weaker than this (dBm) are dropped. Reads without RSSI are kept: there is nothing to compare. */
  rssiThresholdDbm?: number | null;
  /** When given, antennas of one zone count as one place; otherwise each antenna is its own. */
  antennaZones?: AntennaZoneMap;
}

export type ReadDecision = 'accepted' | 'duplicate' | 'below-threshold';

export interface ReadFilterCounts {
  accepted: number;
  duplicates: number;
  belowThreshold: number;
}

const instant = (read: TagRead): number => {
  const t = Date.parse(read.readAt);
  if (Number.isNaN(t)) throw new ReadError('invalid-timestamp', `'${read.readAt}' is not an ISO date-time`, 'readAt');
  return t;
};

/**
 * Stateful filter over a stream of reads. A duplicate is measured from the last *accepted* read of
 * the same EPC in the same zone, so a tag that stays in view is reported again once per window
 * (a presence heartbeat) rather than never again.
 *
 * Memory is bounded by the tags seen within one window: entries are kept in the order they were
 * last accepted and dropped from the front once the newest read is a window past them.
 */
export class ReadFilter {
  private readonly windowMs: number;
  private readonly threshold: number | null;
  private readonly zones: AntennaZoneMap | undefined;
  /** key → time (ms) of the last accepted read; Map order = order of last acceptance. */
  private readonly lastAccepted = new Map<string, number>();
  private newest = -Infinity;
  private readonly tally: ReadFilterCounts = { accepted: 0, duplicates: 0, belowThreshold: 0 };

  constructor(options: ReadFilterOptions) {
    if (typeof options.dedupeWindowMs !== 'number' || !Number.isFinite(options.dedupeWindowMs) || options.dedupeWindowMs < 0) {
      throw new ReadError('invalid-config', `dedupeWindowMs must be a non-negative number of milliseconds, got ${String(options.dedupeWindowMs)}`, 'dedupeWindowMs');
    }
    const threshold = options.rssiThresholdDbm ?? null;
    if (threshold !== null && (typeof threshold !== 'number' || !Number.isFinite(threshold))) {
      throw new ReadError('invalid-config', `rssiThresholdDbm must be a number of dBm, got ${String(threshold)}`, 'rssiThresholdDbm');
    }
    this.windowMs = options.dedupeWindowMs;
    this.threshold = threshold;
    this.zones = options.antennaZones;
  }

  private keyOf(read: TagRead): string {
    const place = this.zones ? (zoneOf(this.zones, read.antenna) ?? `antenna:${read.antenna}`) : `antenna:${read.antenna}`;
    return JSON.stringify([read.readerSerial ?? '', read.epc, place]);
  }

  private evict(): void {
    for (const [key, t] of this.lastAccepted) {
      if (this.newest - t < this.windowMs) break;
      this.lastAccepted.delete(key);
    }
  }

  /** Decides one read and updates the state. */
  offer(read: TagRead): ReadDecision {
    const t = instant(read);
    if (t > this.newest) {
      this.newest = t;
      this.evict();
    }
    if (this.threshold !== null && read.rssi !== null && read.rssi < this.threshold) {
      this.tally.belowThreshold++;
      return 'below-threshold';
    }
    const key = this.keyOf(read);
    const last = this.lastAccepted.get(key);
    // |Δt| so a read that arrives late (out of order) inside the window is still a duplicate.
    if (last !== undefined && Math.abs(t - last) < this.windowMs) {
      this.tally.duplicates++;
      return 'duplicate';
    }
    this.lastAccepted.delete(key);
    this.lastAccepted.set(key, Math.max(t, last ?? -Infinity));
    this.tally.accepted++;
    return 'accepted';
  }

  /** Offers every read in order; returns the accepted ones and the counts for this batch. */
  process(reads: readonly TagRead[]): { accepted: TagRead[]; counts: ReadFilterCounts } {
    const counts: ReadFilterCounts = { accepted: 0, duplicates: 0, belowThreshold: 0 };
    const accepted: TagRead[] = [];
    for (const read of reads) {
      const decision = this.offer(read);
      if (decision === 'accepted') {
        accepted.push(read);
        counts.accepted++;
      } else if (decision === 'duplicate') counts.duplicates++;
      else counts.belowThreshold++;
    }
    return { accepted, counts };
  }

  /** Running totals since construction. */
  get counts(): ReadFilterCounts {
    return { ...this.tally };
  }

  /** Number of EPC/zone entries held (bounded by the window). */
  get size(): number {
    return this.lastAccepted.size;
  }
}

// ---------------------------------------------------------------------------------------------
// Portal direction

export interface PortalConfig {
  antennaZones: AntennaZoneMap;
  /** The two zones of the portal in the order of an inbound pass: e.g. `['outside', 'inside']` for a dock door. */
  zones: readonly [outer: string, inner: string];
  /** Only reads within this many ms before the tag's latest read count as one pass. */
  windowMs: number;
}

export type PortalDirection = 'in' | 'out';

export interface PortalSideSeen {
  firstAt: string;
  lastAt: string;
  reads: number;
}

export interface PortalPassage {
  epc: string;
  /** 'in' = outer zone then inner zone; null when it cannot be told. */
  direction: PortalDirection | null;
  /** Why: a direction, `seen` (only one side read), `ambiguous` (both sides, order contradicts), `none` (no portal read). */
  status: PortalDirection | 'seen' | 'ambiguous' | 'none';
  outer: PortalSideSeen | null;
  inner: PortalSideSeen | null;
}

function checkPortal(config: PortalConfig): void {
  if (!Array.isArray(config.zones) || config.zones.length !== 2 || config.zones.some((z) => typeof z !== 'string' || z === '')) {
    throw new ReadError('invalid-config', 'portal zones must be a pair of zone names [outer, inner]', 'zones');
  }
  if (config.zones[0] === config.zones[1]) throw new ReadError('invalid-config', 'the two portal zones must differ', 'zones');
  if (typeof config.windowMs !== 'number' || !Number.isFinite(config.windowMs) || config.windowMs <= 0) {
    throw new ReadError('invalid-config', `windowMs must be a positive number of milliseconds, got ${String(config.windowMs)}`, 'windowMs');
  }
}

const sign = (n: number): number => (n > 0 ? 1 : n < 0 ? -1 : 0);

/**
 * Direction of one tag through a portal from its reads (any order). Within the window ending at
 * the tag's latest read, compares which side saw it first and which saw it last: outer first and
 * inner last is 'in'; the mirror is 'out'. A tie on one end lets the other decide; when the two
 * ends disagree (came in from outside and went back out) there is no crossing to report.
 */
export function portalDirection(reads: readonly TagRead[], config: PortalConfig): PortalPassage {
  checkPortal(config);
  const epcs = new Set(reads.map((r) => r.epc));
  if (epcs.size > 1) throw new ReadError('invalid-config', `portalDirection takes the reads of one tag; got ${epcs.size} EPCs (use portalDirections)`, 'reads');
  const epc = reads[0]?.epc ?? '';
  const [outerZone, innerZone] = config.zones;
  const timed = reads.map((r) => ({ t: instant(r), zone: zoneOf(config.antennaZones, r.antenna) }));
  const latest = Math.max(...timed.map((r) => r.t));
  const side = (zone: string): { first: number; last: number; reads: number } | null => {
    const ts = timed.filter((r) => r.zone === zone && latest - r.t <= config.windowMs).map((r) => r.t);
    return ts.length === 0 ? null : { first: Math.min(...ts), last: Math.max(...ts), reads: ts.length };
  };
  const o = side(outerZone);
  const i = side(innerZone);
  const view = (s: typeof o): PortalSideSeen | null => (s ? { firstAt: new Date(s.first).toISOString(), lastAt: new Date(s.last).toISOString(), reads: s.reads } : null);
  const result = (direction: PortalDirection | null, status: PortalPassage['status']): PortalPassage => ({ epc, direction, status, outer: view(o), inner: view(i) });
  if (!o && !i) return result(null, 'none');
  if (!o || !i) return result(null, 'seen');
  // +1 for each end that points inwards (outer first / inner last), −1 for each that points outwards.
  const score = sign(i.first - o.first) + sign(i.last - o.last);
  if (score > 0) return result('in', 'in');
  if (score < 0) return result('out', 'out');
  return result(null, 'ambiguous');
}

/** Groups reads by EPC and decides each tag's direction. */
export function portalDirections(reads: readonly TagRead[], config: PortalConfig): PortalPassage[] {
  checkPortal(config);
  const byEpc = new Map<string, TagRead[]>();
  for (const r of reads) {
    const list = byEpc.get(r.epc);
    if (list) list.push(r);
    else byEpc.set(r.epc, [r]);
  }
  return [...byEpc.values()].map((list) => portalDirection(list, config));
}
