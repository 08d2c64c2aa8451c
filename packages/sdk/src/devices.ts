/**
 * The device adapter contract. A device adapter turns what one kind of hardware sends (an HTTP
 * body, an MQTT message, a line on a TCP socket) into typed readings; the core's device registry
 * authenticates the device, queues the readings and hands them, in batches, to the reading
 * consumers that act on them (the RFID plugin on tag reads, the GPS plugin on positions…).
 *
 * Third parties write adapters against this file only: `defineDeviceAdapter` and
 * `ctx.extend(deviceAdapters, adapter)` in their plugin's `register`.
 */
import type { TObject } from '@sinclair/typebox';
import { createExtensionPoint, createServiceRef } from './extension-points.js';
import type { Transaction } from './plugin.js';

export const DEVICE_KINDS = ['scanner', 'rfid-reader', 'gps-tracker', 'sensor', 'printer'] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];

/**
 * How a device's payloads reach the platform: it POSTs to us, it publishes to the MQTT broker, or it
 * keeps a TCP socket open to us. Inbound only: a device the platform connects to (a label printer on
 * its raw TCP port) sends no payloads, and its adapter lists no transport.
 */
export const DEVICE_TRANSPORTS = ['http', 'mqtt', 'tcp'] as const;
export type DeviceTransport = (typeof DEVICE_TRANSPORTS)[number];

/** A barcode or QR scan: the decoded text, as the scanner sent it (GS separators included). */
export interface ScanReading {
  kind: 'scan';
  /** When it was read (ISO 8601 UTC); the time of receipt when the device sends none. */
  at: string;
  data: string;
  /** AIM symbology identifier when the scanner sends one (`]d2`, `]C1`, `]Q3`…). */
  symbology?: string;
}

/** One RFID tag seen by a reader antenna. */
export interface TagReading {
  kind: 'tag-read';
  at: string;
  /** The EPC bank, upper-case hex. */
  epc: string;
  antenna: number | null;
  /** Peak RSSI in dBm. */
  rssi: number | null;
}

/** A position fix from a GPS tracker or phone. Coordinates are WGS 84 decimal degrees. */
export interface PositionReading {
  kind: 'position';
  at: string;
  latitude: number;
  longitude: number;
  /** False when the tracker says it has no valid fix (the position is then stored but not acted on). */
  valid: boolean;
  speedKnots?: number | null;
  courseDeg?: number | null;
  altitudeM?: number | null;
  /** Horizontal accuracy radius in metres. */
  accuracyM?: number | null;
  /** Battery level in percent. */
  battery?: number | null;
}

/** A sensor value on one of the device's channels (a counter, a temperature, a vibration level…). */
export interface MeasurementReading {
  kind: 'measurement';
  at: string;
  /** The device's own name for the channel: `hours`, `temp1`, `odometer`. */
  channel: string;
  /** Decimal text, never a binary float: meters feed maintenance plans. */
  value: string;
  unit?: string;
}

export type DeviceReading = ScanReading | TagReading | PositionReading | MeasurementReading;
export type ReadingKind = DeviceReading['kind'];
export const READING_KINDS: readonly ReadingKind[] = ['scan', 'tag-read', 'position', 'measurement'];

/** What an adapter and a consumer know about the device a payload came from. */
export interface DeviceInfo {
  id: string;
  /** The device's code, unique: also its MQTT topic segment. */
  code: string;
  name: string;
  kind: DeviceKind;
  adapter: string;
  model: string | null;
  /** Where a fixed device (a portal reader, a wall scanner) is installed. */
  locationId: string | null;
  /** Adapter-specific settings (antenna → zone map, RSSI threshold, channel → meter map…). */
  settings: Record<string, unknown>;
}

/** One payload as it arrived. */
export interface DevicePayload {
  transport: DeviceTransport;
  /** The parsed JSON body (HTTP with a JSON content type), else the raw text. */
  body: unknown;
  /** Raw text of the payload (UTF-8), always present. */
  text: string;
  contentType?: string;
  /** MQTT topic the message was published on. */
  topic?: string;
  /** HTTP query parameters (e.g. the OsmAnd protocol sends everything there). */
  query?: Record<string, string>;
  /** When the platform received it (ISO 8601 UTC); use it when the payload carries no time. */
  receivedAt: string;
}

/** Thrown by `decode` for a payload it cannot read; the reason reaches the device as a 422 and the device's error counter. */
export class DeviceDecodeError extends Error {
  constructor(
    message: string,
    /** Where in the payload, e.g. `data.idHex` or `line 3`. */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'DeviceDecodeError';
  }
}

export type DeviceHealthState = 'ok' | 'stale' | 'silent' | 'never-seen' | 'disabled';

export interface DeviceHealth {
  state: DeviceHealthState;
  detail?: string;
}

export interface DeviceAdapter {
  /** Stable id, stored with each device: `generic-json`, `zebra-fx`, `osmand`, `acme-thermo`. */
  id: string;
  label: string;
  /** Device kinds this adapter serves (the registry refuses a device whose kind it does not serve). */
  kinds: readonly DeviceKind[];
  /**
   * How devices using this adapter send payloads. Empty for output-only devices (label printers,
   * displays) that the platform connects to: the registry then refuses every payload from them as a
   * wrong transport (422) without calling `decode`.
   */
  transports: readonly DeviceTransport[];
  /** A short description for the console's device form. */
  description?: string;
  /** TypeBox schema of the adapter's per-device settings; checked when a device is saved. */
  settingsSchema?: TObject;
  /**
   * Decode one payload into readings (none is fine: a heartbeat). Pure and synchronous: no I/O.
   * Throw `DeviceDecodeError` for a payload that is not yours to read.
   */
  decode(payload: DevicePayload, device: DeviceInfo): DeviceReading[];
  /**
   * Optional: drop readings that carry nothing new before they are queued and stored — an RFID tag
   * read again within the de-duplication window, a read below the signal threshold. Called at
   * ingestion with each payload's readings in arrival order, only when the queue has room for all
   * of them (so a payload refused with 503 never touches the filter's state). May keep bounded
   * in-memory state per device; synchronous, no I/O. Dropped readings are counted, not stored.
   */
  filter?(readings: DeviceReading[], device: DeviceInfo): DeviceReading[];
  /**
   * Health from what the registry knows. Default: `ok` when seen in the last 5 minutes, `stale`
   * within the hour, `silent` after that.
   */
  health?(status: { device: DeviceInfo; lastSeenAt: string | null; now: string }): DeviceHealth;
}

/** Identity helper that type-checks an adapter. */
export function defineDeviceAdapter(adapter: DeviceAdapter): DeviceAdapter {
  return adapter;
}

/** One reading with the device it came from, as consumers receive it. */
export interface DeviceReadingEnvelope<R extends DeviceReading = DeviceReading> {
  /** Id of the stored raw reading. */
  readingId: string;
  device: DeviceInfo;
  reading: R;
}

/**
 * Acts on readings: moves an asset, counts stock, records a meter reading. Consumers run in the
 * ingestion queue's transaction, a batch at a time, so a batch's effects, their audit records and
 * events commit together with the stored raw readings. A batch may hold readings of many devices
 * (in arrival order; group by `device.id` when order per device matters). A consumer that throws
 * fails its batch, which is then retried device by device and then one reading at a time; a reading
 * that still fails is stored as failed with the error (never dropped).
 */
export interface ReadingConsumer {
  /** Unique: `<plugin-id>.<name>`. */
  id: string;
  kinds: readonly ReadingKind[];
  consume(tx: Transaction, batch: DeviceReadingEnvelope[]): Promise<void>;
}

export const deviceAdapters = createExtensionPoint<DeviceAdapter>('core.deviceAdapters', 'Decoders for what devices send');
export const readingConsumers = createExtensionPoint<ReadingConsumer>('core.readingConsumers', 'Act on device readings');

/** The default health rule, for adapters without their own. */
export function defaultDeviceHealth(lastSeenAt: string | null, now: string): DeviceHealth {
  if (!lastSeenAt) return { state: 'never-seen' };
  const age = (Date.parse(now) - Date.parse(lastSeenAt)) / 1000;
  if (age <= 300) return { state: 'ok' };
  if (age <= 3600) return { state: 'stale', detail: `last seen ${Math.round(age / 60)} min ago` };
  return { state: 'silent', detail: `last seen ${Math.round(age / 3600)} h ago` };
}

/** A payload handed to the core by a plugin's own endpoint or listener (OsmAnd HTTP, NMEA over TCP). */
export interface DeviceIngestInput {
  /** The device's key, however the protocol carries it. */
  key: string | undefined;
  transport: DeviceTransport;
  body: unknown;
  text: string;
  contentType?: string;
  query?: Record<string, string>;
  topic?: string;
  /** Where it came from (client address), for refusal counts. */
  source: string;
}

/**
 * The core's ingestion, for plugins that speak a device protocol on their own endpoint or socket.
 * `ingest` authenticates by key, decodes with the device's adapter and queues the readings; it
 * throws problems (401 unknown key, 403 disabled device, 422 undecodable payload, 503 queue full
 * with `retryAfterSeconds`), so an HTTP route can simply let them propagate.
 */
export interface DeviceIngestionService {
  /** `accepted`: readings queued; `filtered`: dropped by the adapter's filter (duplicates, weak reads). */
  ingest(input: DeviceIngestInput): Promise<{ accepted: number; filtered: number; queued: number }>;
  /** Resolves when every reading accepted so far has been processed. */
  idle(): Promise<void>;
}
export const deviceIngestion = createServiceRef<DeviceIngestionService>('core.deviceIngestion');

/** What registering a device takes: the body of `POST /api/core/devices`. */
export interface DeviceRegistration {
  /** Unique (case-insensitive): letters, digits, dot, dash, underscore, at most 64; also the MQTT topic segment. */
  code: string;
  name: string;
  kind: DeviceKind;
  /** Id of an enabled adapter serving `kind`; default `generic-json`. */
  adapter?: string;
  model?: string | null;
  /** Where a fixed device is installed: a live (not archived) location. */
  locationId?: string | null;
  /** Checked against the adapter's `settingsSchema`. */
  settings?: Record<string, unknown>;
}

/** A device as the registry holds it. */
export interface RegisteredDevice extends DeviceInfo {
  status: 'active' | 'disabled';
}

/**
 * The core's device registry, for plugins that set devices up from server code (demo data, an
 * installer, a provisioning import). Registering is `POST /api/core/devices` itself — one
 * implementation, the same checks, audit record and `core.device.registered` event.
 */
export interface DeviceRegistryService {
  /**
   * Register a device inside the caller's transaction: both commit or neither does. Throws the
   * route's problems: 400 `validation` for a bad code, name, kind, location, an adapter no enabled
   * plugin provides or one that does not serve the kind, settings that do not fit the adapter's
   * schema (fields named `settings.<path>`); 409 `device-code-taken`. The key is answered only
   * here, once; the registry keeps its SHA-256.
   */
  register(tx: Transaction, input: DeviceRegistration): Promise<{ device: RegisteredDevice; key: string }>;
  /**
   * The device with this code (case-insensitive), or null: look a device up before registering it
   * to stay idempotent. Pass `tx` to see what that transaction has written.
   */
  byCode(code: string, tx?: Pick<Transaction, 'execute'>): Promise<RegisteredDevice | null>;
}
export const deviceRegistry = createServiceRef<DeviceRegistryService>('core.deviceRegistry');
