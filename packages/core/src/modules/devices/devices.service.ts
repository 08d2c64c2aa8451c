/**
 * The device registry at run time: who a key or a topic belongs to (cached briefly, so a reader
 * sending a thousand tags a second is not a thousand lookups), decoding through the device's
 * adapter, the ingestion queue, storing raw readings with their effects, refusal counters and the
 * retention of raw readings.
 */
import { randomBytes } from 'node:crypto';
import { Type, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import {
  DEVICE_KINDS,
  DeviceDecodeError,
  defaultDeviceHealth,
  deviceAdapters,
  readingConsumers,
  type Actor,
  type DeviceAdapter,
  type DeviceHealth,
  type DeviceInfo,
  type DevicePayload,
  type DeviceReading,
  type DeviceReadingEnvelope,
  type DeviceIngestInput,
  type DeviceRegistration,
  type DeviceTransport,
  type PluginContext,
  ProblemError,
  type ReadingConsumer,
  type RegisteredDevice,
  type Transaction,
  problems,
} from '@quartermaster/sdk';
import { sha256 } from '../../kernel/auth.js';
import { DeviceRegistered } from '../../events.js';
import { Uuid, assertNotBlank, reader } from '../common.js';
import { IngestionQueue, type QueuedReading } from './ingestion-queue.js';
import { genericJsonAdapter } from './generic-adapter.js';

export type IngestInput = DeviceIngestInput;

export interface DeviceOptions {
  queueCapacity: number;
  batchSize: number;
  retentionDays: number;
  /** Seconds a device looked up by key or code is trusted before it is read again. */
  cacheSeconds: number;
}

export type RefusalReason = 'unknown-key' | 'disabled' | 'decode-error' | 'wrong-transport';

export type DeviceRow = RegisteredDevice;

// ---- What a device registration is: the body of POST /devices, and the `deviceRegistry` service's input.
export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
export const DeviceKindSchema = Type.Union(DEVICE_KINDS.map((k) => Type.Literal(k)));
const Code = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$', description: 'Unique; letters, digits, dot, dash, underscore; also the MQTT topic segment' });
export const DeviceSettingsSchema = Type.Object({}, { additionalProperties: true, description: "The adapter's settings for this device" });
export const DeviceRegistrationSchema = Type.Object(
  {
    code: Code,
    name: Type.String({ minLength: 1, maxLength: 200 }),
    kind: DeviceKindSchema,
    adapter: Type.Optional(Type.String({ minLength: 1, maxLength: 100, default: 'generic-json' })),
    model: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
    locationId: Type.Optional(Nullable(Uuid)),
    settings: Type.Optional(DeviceSettingsSchema),
  },
  { additionalProperties: false },
);

const KEY_PREFIX = 'qmd_';

/** A new device key: shown once, stored only as its SHA-256. */
export function newDeviceKey(): { key: string; hash: string; hint: string } {
  const key = KEY_PREFIX + randomBytes(24).toString('base64url');
  return { key, hash: sha256(key), hint: key.slice(0, KEY_PREFIX.length + 6) };
}

const DEVICE_COLUMNS = `d.id, d.code, d.name, d.kind, d.adapter, d.model, d.location_id, d.settings, d.status`;

function toDevice(r: Record<string, unknown>): DeviceRow {
  return {
    id: r.id as string,
    code: r.code as string,
    name: r.name as string,
    kind: r.kind as DeviceInfo['kind'],
    adapter: r.adapter as string,
    model: (r.model as string | null) ?? null,
    locationId: (r.location_id as string | null) ?? null,
    settings: (r.settings as Record<string, unknown>) ?? {},
    status: r.status as DeviceRow['status'],
  };
}

export class DeviceProblem extends Error {
  constructor(
    readonly reason: RefusalReason,
    message: string,
    readonly device?: DeviceRow,
    readonly field?: string,
  ) {
    super(message);
  }
}

export function createDeviceRuntime(ctx: PluginContext, options: DeviceOptions) {
  const adapters = new Map<string, DeviceAdapter>();
  for (const a of [genericJsonAdapter, ...ctx.extensions(deviceAdapters)]) {
    if (adapters.has(a.id)) throw new Error(`Two device adapters have the id "${a.id}"`);
    adapters.set(a.id, a);
  }
  const consumers: ReadingConsumer[] = [...ctx.extensions(readingConsumers)];
  const db = reader(ctx);

  // ---- Lookups, cached for a few seconds (and dropped at once when this instance changes a device).
  const byKey = new Map<string, { device: DeviceRow | null; until: number }>();
  const byCode = new Map<string, { device: DeviceRow | null; until: number }>();
  function forget() {
    byKey.clear();
    byCode.clear();
  }
  async function cached(map: typeof byKey, k: string, load: () => Promise<DeviceRow | null>): Promise<DeviceRow | null> {
    const hit = map.get(k);
    const now = Date.now();
    if (hit && hit.until > now) return hit.device;
    const device = await load();
    if (map.size > 10_000) map.clear();
    map.set(k, { device, until: now + options.cacheSeconds * 1000 });
    return device;
  }
  const deviceByKey = (key: string) =>
    cached(byKey, sha256(key), async () => {
      const [row] = await db.execute(`SELECT ${DEVICE_COLUMNS} FROM core_device d WHERE d.key_hash = $1`, [sha256(key)]);
      return row ? toDevice(row) : null;
    });
  const deviceByCode = (code: string) =>
    cached(byCode, code.toLowerCase(), async () => {
      const [row] = await db.execute(`SELECT ${DEVICE_COLUMNS} FROM core_device d WHERE lower(d.code) = lower($1)`, [code]);
      return row ? toDevice(row) : null;
    });

  // ---- Refusals: counted in memory and written every few seconds, so a flood of bad requests is not a flood of writes.
  const refusals = new Map<string, { reason: RefusalReason; source: string; deviceId: string | null; count: number; detail: string }>();
  function countRefusal(reason: RefusalReason, source: string, deviceId: string | null, detail: string) {
    const k = `${reason}\u0000${source}`;
    const r = refusals.get(k);
    if (r) {
      r.count++;
      r.detail = detail;
    } else {
      if (refusals.size >= 5_000) return; // bounded: the flusher empties it every few seconds
      refusals.set(k, { reason, source, deviceId, count: 1, detail });
    }
  }
  async function flushRefusals() {
    if (!refusals.size) return;
    const rows = [...refusals.values()];
    refusals.clear();
    await db.execute(
      `WITH r AS (SELECT * FROM unnest($1::text[], $2::text[], $3::uuid[], $4::bigint[], $5::text[]) AS r(reason, source, device_id, n, detail)),
            up AS (
              INSERT INTO core_device_refusal AS f (reason, source, device_id, count, last_detail)
              SELECT reason, source, device_id, n, detail FROM r
              ON CONFLICT (reason, source) DO UPDATE SET count = f.count + EXCLUDED.count, last_at = now(), last_detail = EXCLUDED.last_detail,
                device_id = coalesce(EXCLUDED.device_id, f.device_id)
              RETURNING 1)
       UPDATE core_device d SET refused_count = d.refused_count + s.n
         FROM (SELECT device_id, sum(n) AS n FROM r WHERE device_id IS NOT NULL GROUP BY device_id) s WHERE d.id = s.device_id`,
      [rows.map((r) => r.reason), rows.map((r) => r.source), rows.map((r) => r.deviceId), rows.map((r) => r.count), rows.map((r) => r.detail.slice(0, 500))],
    );
  }

  function adapterOf(device: DeviceInfo): DeviceAdapter {
    const a = adapters.get(device.adapter);
    if (!a) throw new DeviceProblem('decode-error', `Device "${device.code}" uses the adapter "${device.adapter}", which no enabled plugin provides`, device as DeviceRow);
    return a;
  }

  /** Decode a payload from an authenticated device; refusals are counted against the device. */
  function decode(device: DeviceRow, payload: DevicePayload, source: string): DeviceReading[] {
    if (device.status !== 'active') {
      countRefusal('disabled', source, device.id, `device ${device.code} is disabled`);
      throw new DeviceProblem('disabled', `Device "${device.code}" is disabled`, device);
    }
    const adapter = adapterOf(device);
    if (!adapter.transports.includes(payload.transport)) {
      countRefusal('wrong-transport', source, device.id, `${payload.transport} is not a transport of ${adapter.id}`);
      throw new DeviceProblem('wrong-transport', `The ${adapter.label} adapter does not take readings over ${payload.transport.toUpperCase()}`, device);
    }
    try {
      return adapter.decode(payload, device);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      countRefusal('decode-error', source, device.id, message);
      pendingErrors.set(device.id, message);
      if (err instanceof DeviceDecodeError) throw new DeviceProblem('decode-error', message, device, err.field);
      throw new DeviceProblem('decode-error', `The ${adapter.label} adapter could not read the payload: ${message}`, device);
    }
  }
  const pendingErrors = new Map<string, string>();

  // ---- Processing: one transaction per batch (any number of devices); raw readings, last seen and effects commit together.
  /**
   * A batch is stored and applied in one transaction, whatever devices it spans: a thousand
   * trackers sending one position each cost one transaction, not a thousand. When it fails, each
   * device's readings are tried on their own, then each reading, so one bad reading holds back
   * nothing else and is kept as failed with its error.
   */
  async function processBatch(batch: QueuedReading[]): Promise<{ failed: number }> {
    let failed = 0;
    try {
      await storeAndApply(batch, null);
    } catch (err) {
      if (isConnectionError(err)) throw err;
      const groups = new Map<string, QueuedReading[]>();
      for (const q of batch) {
        const g = groups.get(q.device.id);
        if (g) g.push(q);
        else groups.set(q.device.id, [q]);
      }
      for (const group of groups.values()) {
        try {
          if (groups.size === 1) throw err; // the whole batch was this group: go straight to one at a time
          await storeAndApply(group, null);
        } catch (groupErr) {
          if (isConnectionError(groupErr)) throw groupErr;
          for (const q of group) {
            try {
              await storeAndApply([q], null);
            } catch (one) {
              if (isConnectionError(one)) throw one;
              failed++;
              ctx.log.warn({ err: one, device: q.device.code }, 'a device reading failed');
              await storeAndApply([q], one instanceof Error ? one.message : String(one));
            }
          }
        }
      }
    }
    await flushErrors();
    return { failed };
  }

  async function storeAndApply(group: QueuedReading[], failure: string | null) {
    const devices = new Map<string, { code: string; lastReceived: string; n: number }>();
    for (const q of group) {
      const d = devices.get(q.device.id);
      if (!d) devices.set(q.device.id, { code: q.device.code, lastReceived: q.receivedAt, n: 1 });
      else {
        d.n++;
        if (q.receivedAt > d.lastReceived) d.lastReceived = q.receivedAt;
      }
    }
    const label = devices.size === 1 ? `device ${[...devices.values()][0].code}` : `devices (${devices.size})`;
    const actor: Actor = { type: 'system', userId: null, label, permissions: new Set(['*']) };
    await ctx.transaction(actor, async (tx) => {
      const ids = await tx.execute<{ id: string }>(
        `WITH ins AS (
           INSERT INTO core_device_reading (device_id, received_at, read_at, kind, transport, reading, status, error)
           SELECT r.device_id, r.received_at, r.read_at, r.kind, r.transport, r.reading, $7, $8
             FROM unnest($1::uuid[], $2::timestamptz[], $3::timestamptz[], $4::text[], $5::text[], $6::jsonb[]) WITH ORDINALITY AS r(device_id, received_at, read_at, kind, transport, reading, n)
            ORDER BY r.n
           RETURNING id),
         seen AS (
           UPDATE core_device d SET last_seen_at = greatest(d.last_seen_at, s.at), readings_count = d.readings_count + s.n
             FROM unnest($9::uuid[], $10::timestamptz[], $11::bigint[]) AS s(id, at, n) WHERE d.id = s.id RETURNING 1)
         SELECT id::text FROM ins ORDER BY id`,
        [
          group.map((q) => q.device.id),
          group.map((q) => q.receivedAt),
          group.map((q) => q.reading.at),
          group.map((q) => q.reading.kind),
          group.map((q) => q.transport),
          group.map((q) => JSON.stringify(q.reading)),
          failure ? 'failed' : 'processed',
          failure,
          [...devices.keys()],
          [...devices.values()].map((d) => d.lastReceived),
          [...devices.values()].map((d) => d.n),
        ],
      );
      if (failure) {
        await tx.execute(`UPDATE core_device SET error_count = error_count + 1, last_error = $2, last_error_at = now() WHERE id = ANY($1::uuid[])`, [[...devices.keys()], failure.slice(0, 1000)]);
        return;
      }
      const envelopes: DeviceReadingEnvelope[] = group.map((q, i) => ({ readingId: ids[i].id, device: q.device, reading: q.reading }));
      for (const c of consumers) {
        const mine = envelopes.filter((e) => c.kinds.includes(e.reading.kind));
        // Each consumer works under its own plugin's name: its audit records and events are its own.
        if (mine.length) await ctx.joinTransactionAs(c, tx, (own) => c.consume(own, mine));
      }
    });
  }

  async function flushErrors() {
    if (!pendingErrors.size) return;
    const rows = [...pendingErrors];
    pendingErrors.clear();
    await db.execute(
      `UPDATE core_device d SET error_count = d.error_count + 1, last_error = e.msg, last_error_at = now()
         FROM unnest($1::uuid[], $2::text[]) AS e(id, msg) WHERE d.id = e.id`,
      [rows.map(([id]) => id), rows.map(([, m]) => m.slice(0, 1000))],
    );
  }

  const queue = new IngestionQueue(processBatch, options.queueCapacity, options.batchSize, (err) => ctx.log.error({ err }, 'device readings could not be stored; retrying'));

  /**
   * Queue a payload's readings, all or none: false when they do not fit (nothing queued, the
   * adapter's filter untouched, so the same payload sent again is judged afresh). The adapter's
   * filter runs only once room is certain; nothing awaits in between, so the room cannot go.
   */
  function enqueue(device: DeviceRow, readings: DeviceReading[], transport: DeviceTransport, receivedAt: string): { accepted: number; filtered: number } | null {
    if (!readings.length) {
      touched.add(device.id);
      return { accepted: 0, filtered: 0 };
    }
    if (!queue.hasRoom(readings.length)) {
      queue.noteRefused();
      return null;
    }
    const adapter = adapters.get(device.adapter);
    const kept = adapter?.filter ? adapter.filter(readings, device) : readings;
    const filtered = readings.length - kept.length;
    if (filtered) queue.noteFiltered(filtered);
    if (!kept.length) {
      touched.add(device.id);
      return { accepted: 0, filtered };
    }
    queue.offer(kept.map((reading) => ({ device, reading, transport, receivedAt })));
    return { accepted: kept.length, filtered };
  }

  // Heartbeats (payloads without readings) still count as "seen".
  const touched = new Set<string>();
  async function flushTouched() {
    if (!touched.size) return;
    const ids = [...touched];
    touched.clear();
    await db.execute(`UPDATE core_device SET last_seen_at = greatest(last_seen_at, now()) WHERE id = ANY($1::uuid[])`, [ids]);
  }

  async function pruneReadings(): Promise<number> {
    let total = 0;
    for (;;) {
      const rows = await db.execute<{ n: number }>(
        `WITH old AS (SELECT id FROM core_device_reading WHERE received_at < now() - make_interval(days => $1) ORDER BY received_at LIMIT 10000),
              gone AS (DELETE FROM core_device_reading r USING old WHERE r.id = old.id RETURNING 1)
         SELECT count(*)::int AS n FROM gone`,
        [options.retentionDays],
      );
      total += rows[0].n;
      if (rows[0].n < 10000) return total;
    }
  }

  let timer: NodeJS.Timeout | undefined;
  let pruneTimer: NodeJS.Timeout | undefined;
  function start() {
    timer = setInterval(() => {
      Promise.all([flushRefusals(), flushTouched(), flushErrors()]).catch((err) => ctx.log.error({ err }, 'device counters could not be written'));
    }, 2000);
    timer.unref();
    pruneTimer = setInterval(() => {
      pruneReadings().catch((err) => ctx.log.error({ err }, 'pruning device readings failed'));
    }, 3600_000);
    pruneTimer.unref();
  }
  async function stop() {
    clearInterval(timer);
    clearInterval(pruneTimer);
    await queue.close();
    await Promise.all([flushRefusals(), flushTouched(), flushErrors()]).catch((err) => ctx.log.error({ err }, 'device counters could not be written'));
  }

  function health(device: DeviceRow, lastSeenAt: string | null, now: string): DeviceHealth {
    if (device.status === 'disabled') return { state: 'disabled' };
    const a = adapters.get(device.adapter);
    return a?.health ? a.health({ device, lastSeenAt, now }) : defaultDeviceHealth(lastSeenAt, now);
  }

  /**
   * Authenticate a payload by its device key, decode it with the device's adapter and queue the
   * readings. Problems: 401 without a key or with an unknown one, 403 for a disabled device, 422
   * for a payload the adapter cannot read, 503 (with `retryAfterSeconds`) when the queue is full.
   */
  async function ingest(input: IngestInput): Promise<{ accepted: number; filtered: number; queued: number }> {
    const { key, source } = input;
    if (!key) {
      countRefusal('unknown-key', source, null, 'no device key sent');
      throw new ProblemError({ type: 'device-key-missing', status: 401, title: 'Device key missing', detail: 'Send the device key as "Authorization: Device <key>" or in the X-Device-Key header' });
    }
    const device = await deviceByKey(key);
    if (!device) {
      countRefusal('unknown-key', source, null, `key ${key.slice(0, 10)}… is not a device's key`);
      throw new ProblemError({ type: 'device-unknown', status: 401, title: 'Unknown device', detail: 'The key is not the key of a registered device (it may have been rotated)' });
    }
    if (queue.isClosing) {
      throw new ProblemError({ type: 'ingestion-unavailable', status: 503, title: 'Shutting down', detail: 'The server is shutting down; send the readings again shortly', extensions: { retryAfterSeconds: 5 } });
    }
    const receivedAt = new Date().toISOString();
    let readings: DeviceReading[];
    try {
      readings = decode(device, { transport: input.transport, body: input.body, text: input.text, contentType: input.contentType, query: input.query, topic: input.topic, receivedAt }, source);
    } catch (err) {
      if (err instanceof DeviceProblem) {
        if (err.reason === 'disabled') throw new ProblemError({ type: 'device-disabled', status: 403, title: 'Device disabled', detail: err.message });
        throw new ProblemError({ type: 'device-payload-invalid', status: 422, title: 'Payload not readable', detail: err.message, extensions: { errors: [{ field: err.field ?? '(body)', message: err.message }] } });
      }
      throw err;
    }
    const queued = enqueue(device, readings, input.transport, receivedAt);
    if (!queued) {
      const retryAfterSeconds = queue.retryAfterSeconds();
      throw new ProblemError({
        type: 'ingestion-queue-full',
        status: 503,
        title: 'Ingestion queue full',
        detail: `The readings were not accepted: ${queue.depth} readings are waiting. Send them again after ${retryAfterSeconds} s (Retry-After).`,
        extensions: { retryAfterSeconds },
      });
    }
    return { accepted: queued.accepted, filtered: queued.filtered, queued: queue.depth };
  }

  // ---- Registration: POST /devices and the `deviceRegistry` service are this one implementation.

  /** The adapter exists, serves the kind, and the settings fit its schema. */
  function checkAdapter(adapterId: string, kind: string, settings: Record<string, unknown>) {
    const adapter = adapters.get(adapterId);
    if (!adapter) throw problems.validation([{ field: 'adapter', message: `no enabled plugin provides the adapter "${adapterId}"; one of: ${[...adapters.keys()].join(', ')}` }]);
    if (!adapter.kinds.includes(kind as never)) throw problems.validation([{ field: 'adapter', message: `the ${adapter.label} adapter serves ${adapter.kinds.join(', ')}, not ${kind}` }]);
    if (adapter.settingsSchema && !Value.Check(adapter.settingsSchema, settings)) {
      const errors = [...Value.Errors(adapter.settingsSchema, settings)].slice(0, 10).map((e) => ({ field: `settings${e.path.replace(/\//g, '.')}`, message: e.message }));
      throw problems.validation(errors);
    }
  }

  async function checkLocation(tx: Pick<Transaction, 'execute'>, locationId: string | null | undefined) {
    if (!locationId) return;
    const [l] = await tx.execute(`SELECT archived FROM core_location WHERE id = $1`, [locationId]);
    if (!l) throw problems.validation([{ field: 'locationId', message: 'no such location' }]);
    if (l.archived) throw problems.validation([{ field: 'locationId', message: 'the location is archived' }]);
  }

  /**
   * Register a device inside `tx` (the caller's: a route's own, or another plugin's through the
   * service): checks, the row with the key's hash, audit record and event. The key is answered once.
   */
  async function register(tx: Transaction, input: DeviceRegistration): Promise<{ device: DeviceRow; key: string }> {
    // The route's body was checked by the HTTP layer already; a plugin's input is checked here the same way.
    if (!Value.Check(DeviceRegistrationSchema, input)) {
      const errors = new Map<string, string>();
      for (const e of Value.Errors(DeviceRegistrationSchema, input)) {
        const field = e.path.replace(/^\//, '').replace(/\//g, '.') || '(root)';
        if (!errors.has(field)) errors.set(field, e.message);
        if (errors.size >= 10) break;
      }
      throw problems.validation([...errors].map(([field, message]) => ({ field, message })));
    }
    assertNotBlank({ name: input.name });
    const adapter = input.adapter ?? 'generic-json';
    const settings = input.settings ?? {};
    checkAdapter(adapter, input.kind, settings);
    const key = newDeviceKey();
    const device = await ctx.joinTransaction(tx, async (own) => {
      await checkLocation(own, input.locationId);
      const [row] = await own
        .execute(
          `INSERT INTO core_device AS d (code, name, kind, adapter, model, location_id, settings, key_hash, key_hint)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${DEVICE_COLUMNS}`,
          [input.code, input.name.trim(), input.kind, adapter, input.model ?? null, input.locationId ?? null, JSON.stringify(settings), key.hash, key.hint],
        )
        .catch((err) => codeTaken(err, input.code));
      const created = toDevice(row);
      await own.audit({ action: 'created', entityType: 'core.device', entityId: created.id, after: { code: created.code, name: created.name, kind: created.kind, adapter, locationId: created.locationId } });
      await own.emit(DeviceRegistered, { id: created.id, code: created.code, kind: created.kind, adapter });
      return created;
    });
    // A lookup of this code (or key) cached "no such device" a moment ago must not outlive the registration.
    forget();
    return { device, key: key.key };
  }

  /** The device with this code, read fresh (not from the ingestion cache): registration checks it. */
  async function findByCode(code: string, tx: Pick<Transaction, 'execute'> = db): Promise<DeviceRow | null> {
    const [row] = await tx.execute(`SELECT ${DEVICE_COLUMNS} FROM core_device d WHERE lower(d.code) = lower($1)`, [code]);
    return row ? toDevice(row) : null;
  }

  return {
    ingest,
    /** Resolves when every reading accepted so far has been processed (tests, shutdown). */
    idle: () => queue.idle(),
    retentionDays: options.retentionDays,
    adapters,
    consumers,
    queue,
    deviceByKey,
    deviceByCode,
    register,
    findByCode,
    checkAdapter,
    checkLocation,
    decode,
    enqueue,
    countRefusal,
    forget,
    health,
    start,
    stop,
    pruneReadings,
    /** Write the counters now (tests, and the console's refresh). */
    async flush() {
      await Promise.all([flushRefusals(), flushTouched(), flushErrors()]);
    },
  };
}

export type DeviceRuntime = ReturnType<typeof createDeviceRuntime>;

function codeTaken(err: unknown, code: string): never {
  if ((err as { code?: string }).code === '23505') throw problems.conflict('device-code-taken', 'Device code taken', `Another device already has the code "${code}"`);
  throw err;
}

function isConnectionError(err: unknown): boolean {
  const code = (err as { code?: string } | null)?.code ?? '';
  return code === 'ECONNREFUSED' || code === 'ECONNRESET' || code.startsWith('08') || code === '57P01';
}
