/**
 * What the RFID plugin keeps in memory per reader: the de-duplication filter (with the RSSI
 * threshold) and the recent portal reads of each tag, both bounded by their time windows, and the
 * configuration they were built from (the device's settings). Readers whose settings change get a
 * new state; the set of readers is bounded too.
 */
import type { DeviceInfo } from '@quartermaster/sdk';
import { ReadFilter, portalDirection, type ReadDecision, type TagRead } from '../../domain/index.js';
import type { Direction } from '../../shared/index.js';

export interface ReaderConfig {
  /** Antenna → the location (zone) it watches. */
  antennaLocations: Map<number, string>;
  /** Antenna → its side of the portal. */
  portalSides: Map<number, 'outer' | 'inner'>;
  /** Outer and inner antennas both configured: the reader can tell a direction. */
  isPortal: boolean;
  dedupeWindowMs: number;
  rssiThresholdDbm: number | null;
  portalWindowMs: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * The reader configuration from a device's settings. Devices of this plugin's adapter had their
 * settings checked by the registry; a reader on another adapter (generic JSON) may carry anything,
 * so each setting is taken only when it has the right form and the default is used otherwise.
 */
export function readerConfigOf(settings: Record<string, unknown> | null | undefined): ReaderConfig {
  const s = settings ?? {};
  const antennaLocations = new Map<number, string>();
  const portalSides = new Map<number, 'outer' | 'inner'>();
  for (const a of Array.isArray(s.antennas) ? s.antennas : []) {
    if (!a || typeof a !== 'object') continue;
    const { antenna, locationId, portalSide } = a as Record<string, unknown>;
    if (!Number.isInteger(antenna) || typeof locationId !== 'string' || !UUID.test(locationId)) continue;
    // The first entry for an antenna wins, as in the console's list.
    if (antennaLocations.has(antenna as number)) continue;
    antennaLocations.set(antenna as number, locationId.toLowerCase());
    if (portalSide === 'outer' || portalSide === 'inner') portalSides.set(antenna as number, portalSide);
  }
  const sides = new Set(portalSides.values());
  const window = isNumber(s.dedupeWindowSeconds) && s.dedupeWindowSeconds >= 0 ? s.dedupeWindowSeconds : 5;
  const portal = isNumber(s.portalWindowSeconds) && s.portalWindowSeconds > 0 ? s.portalWindowSeconds : 10;
  return {
    antennaLocations,
    portalSides,
    isPortal: sides.has('outer') && sides.has('inner'),
    dedupeWindowMs: window * 1000,
    rssiThresholdDbm: isNumber(s.rssiThresholdDbm) ? s.rssiThresholdDbm : null,
    portalWindowMs: portal * 1000,
  };
}

/** The location a read puts a tag in: the antenna's zone, else where the reader is installed. */
export function zoneLocation(config: ReaderConfig, device: Pick<DeviceInfo, 'locationId'>, antenna: number | null): string | null {
  return (antenna !== null ? config.antennaLocations.get(antenna) : undefined) ?? device.locationId ?? null;
}

const fingerprint = (r: TagRead) => `${r.epc}|${r.antenna}|${r.readAt}|${r.rssi ?? ''}`;

/** Upper bounds, so a reader flooding distinct EPCs cannot grow memory without end. */
const MAX_REMEMBERED = 200_000;
const MAX_PORTAL_TAGS = 50_000;
const MAX_PORTAL_READS_PER_TAG = 256;

export class ReaderState {
  readonly filter: ReadFilter;
  /**
   * Reads accepted recently, by their exact content. The filter alone would call a read it has
   * accepted a duplicate when it is offered again; that happens when the batch it was in rolled
   * back (another reading failed, a deadlock) and the core retries it — and then it must count
   * again. A reader re-sending the very same read (an MQTT redelivery) is also accepted again:
   * harmless, it only adds to the tag's read count.
   */
  private readonly accepted = new Map<string, number>();
  /** EPC → recent reads on portal antennas (all above the RSSI threshold, duplicates included: the direction needs first and last). */
  private readonly portal = new Map<string, { reads: TagRead[]; keys: Set<string>; last: number }>();
  private newest = -Infinity;

  constructor(
    readonly config: ReaderConfig,
    /** The settings this state was built from, to notice a change. */
    readonly signature: string,
  ) {
    // Antennas of one zone count as one place for duplicates: a tag seen by two antennas watching one dock is one read.
    const zones: Record<string, string> = {};
    for (const [antenna, location] of config.antennaLocations) zones[String(antenna)] = location;
    this.filter = new ReadFilter({ dedupeWindowMs: config.dedupeWindowMs, rssiThresholdDbm: config.rssiThresholdDbm, antennaZones: zones });
  }

  /** Decides one read (in stream order) and remembers it for the portal. */
  offer(read: TagRead): ReadDecision {
    const t = Date.parse(read.readAt);
    if (t > this.newest) {
      this.newest = t;
      this.evict();
    }
    const key = fingerprint(read);
    let decision: ReadDecision;
    if (this.accepted.has(key)) decision = 'accepted';
    else {
      decision = this.filter.offer(read);
      if (decision === 'accepted') {
        if (this.accepted.size >= MAX_REMEMBERED) this.accepted.delete(this.accepted.keys().next().value!);
        this.accepted.set(key, t);
      }
    }
    if (decision !== 'below-threshold' && this.config.isPortal && this.config.portalSides.has(read.antenna)) this.rememberPortalRead(read, key, t);
    return decision;
  }

  private rememberPortalRead(read: TagRead, key: string, t: number) {
    let entry = this.portal.get(read.epc);
    if (entry) this.portal.delete(read.epc); // re-inserted below: Map order = order of last portal read
    else {
      if (this.portal.size >= MAX_PORTAL_TAGS) this.portal.delete(this.portal.keys().next().value!);
      entry = { reads: [], keys: new Set(), last: t };
    }
    if (!entry.keys.has(key)) {
      entry.reads.push(read);
      entry.keys.add(key);
    }
    entry.last = Math.max(entry.last, t);
    const cutoff = entry.last - this.config.portalWindowMs;
    if (entry.reads.length > MAX_PORTAL_READS_PER_TAG || Date.parse(entry.reads[0].readAt) < cutoff) {
      const keep = entry.reads.filter((r) => Date.parse(r.readAt) >= cutoff).slice(-MAX_PORTAL_READS_PER_TAG);
      entry.reads = keep;
      entry.keys = new Set(keep.map(fingerprint));
    }
    this.portal.set(read.epc, entry);
  }

  /**
   * The direction of the tag's pass through the portal as of `read` (outer side first and inner
   * side last is `in`), or null when the reader is no portal, the read is not on a portal antenna,
   * or the reads do not tell.
   */
  directionAt(read: TagRead): Direction | null {
    if (!this.config.isPortal || !this.config.portalSides.has(read.antenna)) return null;
    const entry = this.portal.get(read.epc);
    if (!entry) return null;
    const t = Date.parse(read.readAt);
    const upTo = entry.reads.filter((r) => Date.parse(r.readAt) <= t);
    if (!upTo.length) return null;
    const zones: Record<string, string> = {};
    for (const [antenna, side] of this.config.portalSides) zones[String(antenna)] = side;
    return portalDirection(upTo, { antennaZones: zones, zones: ['outer', 'inner'], windowMs: this.config.portalWindowMs }).direction;
  }

  private evict() {
    // Entries are in the order they were made; stop at the first that is still recent.
    const keepMs = Math.max(this.config.dedupeWindowMs, 60_000);
    for (const [key, t] of this.accepted) {
      if (this.newest - t < keepMs) break;
      this.accepted.delete(key);
    }
    for (const [epc, entry] of this.portal) {
      if (this.newest - entry.last <= this.config.portalWindowMs) break;
      this.portal.delete(epc);
    }
  }

  /** Entries held (for tests of the bounds). */
  get size(): { filter: number; remembered: number; portalTags: number } {
    return { filter: this.filter.size, remembered: this.accepted.size, portalTags: this.portal.size };
  }
}

/** Reader states by device id, rebuilt when a device's settings change; at most `max` readers are kept. */
export class ReaderStates {
  private readonly states = new Map<string, ReaderState>();
  constructor(private readonly max = 2_000) {}

  for(device: Pick<DeviceInfo, 'id' | 'settings'>): ReaderState {
    const signature = JSON.stringify(device.settings ?? {});
    const found = this.states.get(device.id);
    if (found && found.signature === signature) {
      // Most recently used last, so the first entry is the one to drop when full.
      this.states.delete(device.id);
      this.states.set(device.id, found);
      return found;
    }
    if (found) this.states.delete(device.id);
    if (this.states.size >= this.max) this.states.delete(this.states.keys().next().value!);
    const state = new ReaderState(readerConfigOf(device.settings), signature);
    this.states.set(device.id, state);
    return state;
  }

  get size(): number {
    return this.states.size;
  }
}
