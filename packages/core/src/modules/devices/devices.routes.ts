/**
 * Device registry routes: devices and their keys (for admins), the adapters on offer, refusals,
 * the ingestion queue's state, and the ingestion endpoint itself, which devices call with their
 * own key instead of a user's session or token.
 */
import { Type, type Static } from '@sinclair/typebox';
import { problems, type PluginApp, type PluginContext, type Transaction } from '@quartermaster/sdk';
import { IdParams, Page, PageQuery, Uuid, assertNotBlank, errorResponses, iso, likePattern, pageOf, reader } from '../common.js';
import { DeviceChanged } from '../../events.js';
import { DeviceKindSchema as DeviceKind, DeviceRegistrationSchema as CreateDevice, DeviceSettingsSchema as Settings, Nullable, newDeviceKey, type DeviceRuntime } from './devices.service.js';
import type { MqttBridge } from './mqtt.js';

const Health = Type.Object({ state: Type.String(), detail: Type.Optional(Type.String()) });
const DeviceSummary = Type.Object({
  id: Uuid,
  code: Type.String(),
  name: Type.String(),
  kind: DeviceKind,
  adapter: Type.String(),
  adapterLabel: Type.String(),
  model: Nullable(Type.String()),
  locationId: Nullable(Uuid),
  locationName: Nullable(Type.String()),
  status: Type.Union([Type.Literal('active'), Type.Literal('disabled')]),
  keyHint: Type.String({ description: 'The first characters of the key, to tell keys apart' }),
  lastSeenAt: Nullable(Type.String({ format: 'date-time' })),
  health: Health,
  readingsCount: Type.Integer(),
  refusedCount: Type.Integer(),
  errorCount: Type.Integer(),
});
const DeviceDetail = Type.Object({
  ...DeviceSummary.properties,
  settings: Settings,
  keyRotatedAt: Type.String({ format: 'date-time' }),
  lastError: Nullable(Type.String()),
  lastErrorAt: Nullable(Type.String({ format: 'date-time' })),
  mqttTopic: Type.String({ description: 'Where the device publishes when it uses MQTT' }),
  version: Type.Integer(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});
const WithKey = Type.Object({ device: DeviceDetail, key: Type.String({ description: 'Shown once; only its hash is kept' }) });

const UpdateDevice = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    adapter: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    model: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
    locationId: Type.Optional(Nullable(Uuid)),
    settings: Type.Optional(Settings),
    version: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false },
);
const ListQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 200 })),
    kind: Type.Optional(DeviceKind),
    status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('disabled')])),
    ...PageQuery,
  },
  { additionalProperties: false },
);
const ReadingsQuery = Type.Object(
  {
    kind: Type.Optional(Type.Union([Type.Literal('scan'), Type.Literal('tag-read'), Type.Literal('position'), Type.Literal('measurement')])),
    status: Type.Optional(Type.Union([Type.Literal('processed'), Type.Literal('failed')])),
    ...PageQuery,
  },
  { additionalProperties: false },
);
const RawReading = Type.Object({
  id: Type.String(),
  receivedAt: Type.String({ format: 'date-time' }),
  readAt: Type.String({ format: 'date-time' }),
  kind: Type.String(),
  transport: Type.String(),
  reading: Type.Object({}, { additionalProperties: true }),
  status: Type.String(),
  error: Nullable(Type.String()),
});
const Refusal = Type.Object({
  reason: Type.String(),
  source: Type.String({ description: 'Client address (HTTP), client id (MQTT) or device code' }),
  deviceId: Nullable(Uuid),
  deviceCode: Nullable(Type.String()),
  count: Type.Integer(),
  firstAt: Type.String({ format: 'date-time' }),
  lastAt: Type.String({ format: 'date-time' }),
  lastDetail: Nullable(Type.String()),
});
const Adapter = Type.Object({
  id: Type.String(),
  label: Type.String(),
  kinds: Type.Array(Type.String()),
  transports: Type.Array(Type.String()),
  description: Nullable(Type.String()),
  settingsSchema: Nullable(Type.Object({}, { additionalProperties: true })),
});
const IngestResult = Type.Object({ accepted: Type.Integer({ description: 'Readings queued' }), filtered: Type.Integer({ description: "Readings the adapter's filter dropped (duplicates, weak reads)" }), queued: Type.Integer({ description: 'Readings waiting in the queue' }) });

const DETAIL_SQL = `SELECT d.*, l.name AS location_name FROM core_device d LEFT JOIN core_location l ON l.id = d.location_id`;

export async function deviceRoutes(app: PluginApp, ctx: PluginContext, runtime: DeviceRuntime, mqtt: () => MqttBridge | null) {
  const db = reader(ctx);
  const topicOf = (code: string) => `${mqtt()?.topicPrefix ?? 'quartermaster/devices'}/${code}/readings`;

  function summaryOf(r: Record<string, unknown>, now: string): Static<typeof DeviceSummary> {
    const device = { id: r.id as string, code: r.code as string, name: r.name as string, kind: r.kind as never, adapter: r.adapter as string, model: (r.model as string) ?? null, locationId: (r.location_id as string) ?? null, settings: r.settings as Record<string, unknown>, status: r.status as 'active' };
    const lastSeenAt = r.last_seen_at ? iso(r.last_seen_at as Date)! : null;
    return {
      id: device.id,
      code: device.code,
      name: device.name,
      kind: device.kind,
      adapter: device.adapter,
      adapterLabel: runtime.adapters.get(device.adapter)?.label ?? `${device.adapter} (not installed)`,
      model: device.model,
      locationId: device.locationId,
      locationName: (r.location_name as string) ?? null,
      status: device.status,
      keyHint: r.key_hint as string,
      lastSeenAt,
      health: runtime.health(device, lastSeenAt, now),
      readingsCount: Number(r.readings_count),
      refusedCount: Number(r.refused_count),
      errorCount: Number(r.error_count),
    };
  }
  function detailOf(r: Record<string, unknown>): Static<typeof DeviceDetail> {
    return {
      ...summaryOf(r, new Date().toISOString()),
      settings: r.settings as Record<string, unknown>,
      keyRotatedAt: iso(r.key_rotated_at as Date)!,
      lastError: (r.last_error as string) ?? null,
      lastErrorAt: r.last_error_at ? iso(r.last_error_at as Date)! : null,
      mqttTopic: topicOf(r.code as string),
      version: r.version as number,
      createdAt: iso(r.created_at as Date)!,
      updatedAt: iso(r.updated_at as Date)!,
    };
  }

  async function load(tx: Pick<Transaction, 'execute'>, id: string, lock = false) {
    const [row] = await tx.execute(`${DETAIL_SQL} WHERE d.id = $1${lock ? ' FOR UPDATE OF d' : ''}`, [id]);
    if (!row) throw problems.notFound('device', id);
    return row;
  }


  app.get('/devices', {
    schema: { tags: ['devices'], summary: 'Registered devices with health and counters', querystring: ListQuery, response: { 200: Page(DeviceSummary), ...errorResponses } },
    config: { permission: 'core.devices.read' },
    handler: async (req) => {
      const q = req.query;
      const { limit, offset } = pageOf(q);
      const where: string[] = [];
      const params: unknown[] = [];
      if (q.q) {
        params.push(likePattern(q.q.trim().toLowerCase()));
        where.push(`(lower(d.code) LIKE $${params.length} OR lower(d.name) LIKE $${params.length} OR lower(coalesce(d.model, '')) LIKE $${params.length})`);
      }
      if (q.kind) where.push(`d.kind = $${params.push(q.kind)}`);
      if (q.status) where.push(`d.status = $${params.push(q.status)}`);
      const rows = await db.execute(
        `${DETAIL_SQL} ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY lower(d.code) LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
        [...params, limit, offset],
      );
      const [{ n }] = await db.execute<{ n: number }>(`SELECT count(*)::int AS n FROM core_device d ${where.length ? 'WHERE ' + where.join(' AND ') : ''}`, params);
      const now = new Date().toISOString();
      return { data: rows.map((r) => summaryOf(r, now)), total: n, limit, offset };
    },
  });

  app.get('/devices/:id', {
    schema: { tags: ['devices'], summary: 'One device', params: IdParams, response: { 200: DeviceDetail, ...errorResponses } },
    config: { permission: 'core.devices.read' },
    handler: async (req) => detailOf(await load(db, req.params.id)),
  });

  app.post('/devices', {
    schema: { tags: ['devices'], summary: 'Register a device; the answer carries its key, shown only this once', body: CreateDevice, response: { 201: WithKey, ...errorResponses } },
    config: { permission: 'core.devices.manage' },
    handler: async (req, reply) => {
      // The `deviceRegistry` service's implementation: plugins registering devices get exactly this.
      const { row, key } = await ctx.transaction(req.actor!, async (tx) => {
        const { device, key } = await runtime.register(tx, req.body);
        return { row: await load(tx, device.id), key };
      });
      return reply.code(201).send({ device: detailOf(row), key });
    },
  });

  app.patch('/devices/:id', {
    schema: { tags: ['devices'], summary: 'Change a device (name, adapter, model, location, settings)', params: IdParams, body: UpdateDevice, response: { 200: DeviceDetail, ...errorResponses } },
    config: { permission: 'core.devices.manage' },
    handler: async (req) => {
      const b = req.body;
      if (b.name !== undefined) assertNotBlank({ name: b.name });
      const row = await ctx.transaction(req.actor!, async (tx) => {
        const before = await load(tx, req.params.id, true);
        if (b.version !== undefined && b.version !== before.version) {
          throw problems.conflict('stale-version', 'Device changed meanwhile', `You edited version ${b.version}, but the device is at version ${before.version}`, { currentVersion: before.version });
        }
        const adapter = b.adapter ?? (before.adapter as string);
        const settings = b.settings ?? (before.settings as Record<string, unknown>);
        if (b.adapter !== undefined || b.settings !== undefined) runtime.checkAdapter(adapter, before.kind as string, settings);
        if (b.locationId !== undefined) await runtime.checkLocation(tx, b.locationId);
        const changed = (['name', 'adapter', 'model', 'locationId', 'settings'] as const).filter((k) => b[k] !== undefined);
        if (!changed.length) return before;
        await tx.execute(
          `UPDATE core_device SET name = coalesce($2, name), adapter = $3, model = CASE WHEN $4 THEN $5 ELSE model END,
                  location_id = CASE WHEN $6 THEN $7::uuid ELSE location_id END, settings = $8, version = version + 1, updated_at = now()
            WHERE id = $1`,
          [req.params.id, b.name?.trim() ?? null, adapter, b.model !== undefined, b.model ?? null, b.locationId !== undefined, b.locationId ?? null, JSON.stringify(settings)],
        );
        const after = await load(tx, req.params.id);
        await tx.audit({ action: 'updated', entityType: 'core.device', entityId: req.params.id, before: pick(before, changed), after: pick(after, changed) });
        await tx.emit(DeviceChanged, { id: req.params.id, code: after.code as string, status: after.status as string, changed: [...changed] });
        return after;
      });
      runtime.forget();
      return detailOf(row);
    },
  });

  for (const [path, status, verb] of [
    ['disable', 'disabled', 'disabled'],
    ['enable', 'active', 'enabled'],
  ] as const) {
    app.post(`/devices/:id/${path}`, {
      schema: { tags: ['devices'], summary: path === 'disable' ? 'Disable a device: its readings are refused (and counted)' : 'Enable a disabled device', params: IdParams, response: { 200: DeviceDetail, ...errorResponses } },
      config: { permission: 'core.devices.manage' },
      handler: async (req) => {
        const row = await ctx.transaction(req.actor!, async (tx) => {
          const before = await load(tx, req.params.id, true);
          if (before.status === status) return before;
          await tx.execute(`UPDATE core_device SET status = $2, version = version + 1, updated_at = now() WHERE id = $1`, [req.params.id, status]);
          const after = await load(tx, req.params.id);
          await tx.audit({ action: verb, entityType: 'core.device', entityId: req.params.id, before: { status: before.status }, after: { status } });
          await tx.emit(DeviceChanged, { id: req.params.id, code: after.code as string, status, changed: ['status'] });
          return after;
        });
        runtime.forget();
        return detailOf(row);
      },
    });
  }

  app.post('/devices/:id/rotate-key', {
    schema: { tags: ['devices'], summary: 'Give the device a new key; the old one stops working at once', params: IdParams, response: { 200: WithKey, ...errorResponses } },
    config: { permission: 'core.devices.manage' },
    handler: async (req) => {
      const key = newDeviceKey();
      const row = await ctx.transaction(req.actor!, async (tx) => {
        const before = await load(tx, req.params.id, true);
        await tx.execute(`UPDATE core_device SET key_hash = $2, key_hint = $3, key_rotated_at = now(), version = version + 1, updated_at = now() WHERE id = $1`, [req.params.id, key.hash, key.hint]);
        await tx.audit({ action: 'key-rotated', entityType: 'core.device', entityId: req.params.id, before: { keyHint: before.key_hint }, after: { keyHint: key.hint } });
        await tx.emit(DeviceChanged, { id: req.params.id, code: before.code as string, status: before.status as string, changed: ['key'] });
        return load(tx, req.params.id);
      });
      runtime.forget();
      return { device: detailOf(row), key: key.key };
    },
  });

  app.get('/devices/:id/readings', {
    schema: { tags: ['devices'], summary: "A device's raw readings, newest first (kept for the retention period)", params: IdParams, querystring: ReadingsQuery, response: { 200: Page(RawReading), ...errorResponses } },
    config: { permission: 'core.devices.read' },
    handler: async (req) => {
      await load(db, req.params.id);
      const { limit, offset } = pageOf(req.query);
      const params: unknown[] = [req.params.id];
      const where = ['device_id = $1'];
      if (req.query.kind) where.push(`kind = $${params.push(req.query.kind)}`);
      if (req.query.status) where.push(`status = $${params.push(req.query.status)}`);
      const rows = await db.execute(
        `SELECT id::text, received_at, read_at, kind, transport, reading, status, error FROM core_device_reading WHERE ${where.join(' AND ')}
          ORDER BY id DESC LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
        [...params, limit, offset],
      );
      const [{ n }] = await db.execute<{ n: number }>(`SELECT count(*)::int AS n FROM core_device_reading WHERE ${where.join(' AND ')}`, params);
      return {
        data: rows.map((r) => ({ id: r.id as string, receivedAt: iso(r.received_at as Date)!, readAt: iso(r.read_at as Date)!, kind: r.kind as string, transport: r.transport as string, reading: r.reading as Record<string, unknown>, status: r.status as string, error: (r.error as string) ?? null })),
        total: n,
        limit,
        offset,
      };
    },
  });

  app.get('/device-adapters', {
    schema: { tags: ['devices'], summary: 'Device adapters the enabled plugins provide', response: { 200: Type.Array(Adapter), ...errorResponses } },
    config: { permission: 'core.devices.read' },
    handler: async () =>
      [...runtime.adapters.values()].map((a) => ({
        id: a.id,
        label: a.label,
        kinds: [...a.kinds],
        transports: [...a.transports],
        description: a.description ?? null,
        settingsSchema: (a.settingsSchema as unknown as Record<string, unknown>) ?? null,
      })),
  });

  app.get('/device-refusals', {
    schema: { tags: ['devices'], summary: 'Payloads refused: unknown keys, disabled devices, undecodable payloads — counted per source', querystring: Type.Object({ ...PageQuery }, { additionalProperties: false }), response: { 200: Page(Refusal), ...errorResponses } },
    config: { permission: 'core.devices.read' },
    handler: async (req) => {
      await runtime.flush();
      const { limit, offset } = pageOf(req.query);
      const rows = await db.execute(
        `SELECT f.*, d.code AS device_code FROM core_device_refusal f LEFT JOIN core_device d ON d.id = f.device_id ORDER BY f.last_at DESC, f.reason, f.source LIMIT $1 OFFSET $2`,
        [limit, offset],
      );
      const [{ n }] = await db.execute<{ n: number }>(`SELECT count(*)::int AS n FROM core_device_refusal`);
      return {
        data: rows.map((r) => ({ reason: r.reason as string, source: r.source as string, deviceId: (r.device_id as string) ?? null, deviceCode: (r.device_code as string) ?? null, count: Number(r.count), firstAt: iso(r.first_at as Date)!, lastAt: iso(r.last_at as Date)!, lastDetail: (r.last_detail as string) ?? null })),
        total: n,
        limit,
        offset,
      };
    },
  });

  app.get('/device-ingestion', {
    schema: {
      tags: ['devices'],
      summary: 'The ingestion queue and the MQTT connection',
      response: {
        200: Type.Object({
          queue: Type.Object({ capacity: Type.Integer(), depth: Type.Integer(), accepted: Type.Integer(), processed: Type.Integer(), failed: Type.Integer(), refusedFull: Type.Integer(), filtered: Type.Integer(), ratePerSecond: Type.Integer() }),
          mqtt: Nullable(Type.Object({ url: Type.String(), embedded: Type.Boolean(), connected: Type.Boolean(), topic: Type.String(), messages: Type.Integer() })),
          retentionDays: Type.Integer(),
        }),
        ...errorResponses,
      },
    },
    config: { permission: 'core.devices.read' },
    handler: async () => ({ queue: runtime.queue.snapshot(), mqtt: mqtt()?.status() ?? null, retentionDays: runtime.retentionDays }),
  });

  app.post('/device-readings/prune', {
    schema: {
      tags: ['devices'],
      summary: 'Delete raw readings older than the retention period now (it also runs every hour)',
      response: { 200: Type.Object({ deleted: Type.Integer(), retentionDays: Type.Integer() }), ...errorResponses },
    },
    config: { permission: 'core.devices.manage' },
    handler: async () => ({ deleted: await runtime.pruneReadings(), retentionDays: runtime.retentionDays }),
  });

  // ---- Ingestion: devices authenticate with their own key.
  app.post('/devices/ingest', {
    schema: {
      tags: ['devices'],
      summary: 'Devices send readings here (HTTP push); authenticate with "Authorization: Device <key>" or "X-Device-Key"',
      description: "The body is decoded by the device's adapter (JSON or text). 202 when queued; 503 with Retry-After when the queue is full (nothing was queued: send again later).",
      response: { 202: IngestResult, ...errorResponses, 503: errorResponses[422] },
    },
    config: { public: true },
    handler: async (req, reply) => {
      const auth = req.headers.authorization;
      const header = req.headers['x-device-key'];
      const key = typeof auth === 'string' && auth.startsWith('Device ') ? auth.slice(7).trim() : typeof header === 'string' ? header.trim() : undefined;
      const body = req.body;
      const accepted = await runtime.ingest({
        key,
        transport: 'http',
        body: body ?? '',
        text: typeof body === 'string' ? body : body === undefined || body === null ? '' : JSON.stringify(body),
        contentType: req.headers['content-type'],
        query: req.query as Record<string, string>,
        source: req.ip,
      });
      return reply.code(202).send(accepted);
    },
  });
}

function pick(row: Record<string, unknown>, keys: readonly string[]) {
  const col: Record<string, string> = { locationId: 'location_id' };
  return Object.fromEntries(keys.map((k) => [k, row[col[k] ?? k]]));
}
