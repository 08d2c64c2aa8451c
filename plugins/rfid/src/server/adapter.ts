/**
 * The `rfid-reader` device adapter: what fixed UHF readers post or publish (Zebra FX IoT Connector
 * tag data events, Impinj R700 IoT interface and Speedway Connect bodies, or a generic
 * `{ epc, antenna, rssi, timestamp }`), one event or an array, into tag readings. Decoding is the
 * pure `normaliseReaderEvent`; its ReadError becomes the core's DeviceDecodeError, so the reader
 * gets a 422 naming the field and the device's error counter goes up.
 */
import { DeviceDecodeError, defineDeviceAdapter, type DeviceAdapter, type DeviceReading, type TagReading } from '@quartermaster/sdk';
import { ReadError, ReadFilter, normaliseReaderEvent } from '../domain/index.js';
import { readerConfigOf } from './services/reader-state.js';
import { READER_ADAPTER_ID, ReaderSettingsSchema } from '../shared/index.js';

/** More than this in one payload is refused: a reader sends a few hundred reads at a time. */
export const MAX_READS_PER_PAYLOAD = 10_000;

/** Readers whose filters are kept; the least recently used is dropped beyond this. */
const MAX_READERS = 2_000;

/**
 * The adapter, with its own de-duplication state: each platform registers a fresh one. Its
 * `filter` drops, at ingestion, reads of a tag the reader already reported in the same zone within
 * the de-duplication window and reads below the RSSI threshold, so a portal's thousands of raw
 * reads a second become the few that say something before anything is queued or stored.
 */
export function createRfidReaderAdapter(): DeviceAdapter {
  const filters = new Map<string, { signature: string; filter: ReadFilter }>();
  const filterOf = (device: { id: string; settings: Record<string, unknown> }) => {
    const signature = JSON.stringify(device.settings ?? {});
    const found = filters.get(device.id);
    if (found && found.signature === signature) {
      filters.delete(device.id);
      filters.set(device.id, found);
      return found.filter;
    }
    const config = readerConfigOf(device.settings);
    // Antennas of one zone count as one place: a tag seen by two antennas watching one dock is one read.
    const zones: Record<string, string> = {};
    for (const [antenna, location] of config.antennaLocations) zones[String(antenna)] = location;
    const filter = new ReadFilter({ dedupeWindowMs: config.dedupeWindowMs, rssiThresholdDbm: config.rssiThresholdDbm, antennaZones: zones });
    filters.delete(device.id);
    if (filters.size >= MAX_READERS) filters.delete(filters.keys().next().value!);
    filters.set(device.id, { signature, filter });
    return filter;
  };
  return { ...baseAdapter, filter(readings, device) {
    const filter = filterOf(device);
    return readings.filter((r) => {
      if (r.kind !== 'tag-read') return true;
      const t = r as TagReading;
      return filter.offer({ epc: t.epc, antenna: t.antenna ?? 0, rssi: t.rssi, readAt: t.at }) === 'accepted';
    });
  } };
}

const baseAdapter = defineDeviceAdapter({
  id: READER_ADAPTER_ID,
  label: 'RFID reader (Zebra FX, Impinj, generic)',
  kinds: ['rfid-reader'],
  transports: ['http', 'mqtt'],
  description:
    'Fixed UHF readers: Zebra FX7500/FX9600 IoT Connector tag data events, Impinj R700 IoT interface and Speedway Connect, or {"epc","antenna","rssi","timestamp"}; one event or an array. Settings: antennas (antenna → zone location, portal side), dedupe window, RSSI threshold, portal window.',
  settingsSchema: ReaderSettingsSchema,
  decode(payload, device) {
    let body = payload.body;
    if (typeof body === 'string') {
      const text = body.trim();
      if (text === '') return []; // a keep-alive
      try {
        body = JSON.parse(text);
      } catch {
        throw new DeviceDecodeError('is not JSON: a reader sends JSON tag events', '(body)');
      }
    }
    if (Array.isArray(body) && body.length > MAX_READS_PER_PAYLOAD) throw new DeviceDecodeError(`has more than ${MAX_READS_PER_PAYLOAD.toLocaleString('en')} events`, '(body)');
    let reads;
    try {
      // The registry knows the reader; a name inside the payload does not override it.
      reads = normaliseReaderEvent(body, { readerSerial: device.code });
    } catch (err) {
      if (err instanceof ReadError) throw new DeviceDecodeError(err.reason, err.field);
      throw err;
    }
    if (reads.length > MAX_READS_PER_PAYLOAD) throw new DeviceDecodeError(`has more than ${MAX_READS_PER_PAYLOAD.toLocaleString('en')} reads`, '(body)');
    return reads.map((r): DeviceReading => ({ kind: 'tag-read', at: r.readAt, epc: r.epc, antenna: r.antenna, rssi: r.rssi }));
  },
});

/** A stateless instance for decoding (tests, tools); the plugin registers `createRfidReaderAdapter()`. */
export const rfidReaderAdapter = baseAdapter;
