/**
 * Measurement points of assets (meters and gauges), readings entered by hand or imported from CSV,
 * and the decision on flagged readings. Reads need `maintenance.read`; points are set up with
 * `maintenance.plan.write`; readings need `maintenance.reading.write`.
 */
import { Type, problems, DecimalIn, DecimalOut, Instant, Nullable, PageQuery, Page, Uuid, errorResponses, lit, pageOf, type FieldError, type PluginApp, type PluginContext } from '@quartermaster/sdk';
import { readerOf, sqlParams } from '@quartermaster/core';
import { POINT_KINDS, READING_STATUSES, permissions } from '../../shared/index.js';
import { decText, tryDec, validateMeter } from '../../domain/index.js';
import { POINT_CODE_RE } from '../services/catalogue.service.js';
import { triggerRegistryOf } from '../services/generation.service.js';
import { createMeasurementPoint, decimalOrNull, setDeviceFeed } from '../services/points.service.js';
import {
  DryRunDone,
  MAX_IMPORT_ROWS,
  POINT_SELECT,
  READING_SELECT,
  confirmReading,
  importReadings,
  pointOf,
  pointView,
  readingView,
  recordReading,
  recordReadings,
  rejectReading,
  type PointRow,
  type ReadingRow,
} from '../services/readings.service.js';

const AssetParams = Type.Object({ assetId: Uuid }, { additionalProperties: false });
const Code = Type.String({ pattern: POINT_CODE_RE.source, description: 'lower-case letters, digits, . _ - (at most 63)' });
const PointParams = Type.Object({ assetId: Uuid, code: Code }, { additionalProperties: false });
const ReadingParams = Type.Object({ id: Type.String({ pattern: '^[1-9][0-9]{0,17}$', description: 'reading id' }) }, { additionalProperties: false });
const Positive = Type.Optional(Nullable(DecimalIn));

export const PointOut = Type.Object({
  id: Uuid,
  assetId: Uuid,
  code: Type.String(),
  name: Type.String(),
  kind: lit(POINT_KINDS),
  unit: Type.String(),
  rolloverAt: Nullable(DecimalOut),
  maxRatePerDay: Nullable(DecimalOut),
  /** Meters: accepted usage since the first reading (rollovers included); null before the first reading and for gauges. */
  total: Nullable(DecimalOut),
  lastValue: Nullable(DecimalOut),
  lastReadAt: Nullable(Type.String({ format: 'date-time' })),
  active: Type.Boolean(),
  flaggedReadings: Type.Integer(),
  /** The device channel that records readings on this point as they arrive; null: entered by hand or imported. */
  deviceFeed: Nullable(Type.Object({ deviceId: Uuid, deviceCode: Type.String(), channel: Type.String() })),
  createdAt: Type.String({ format: 'date-time' }),
});

const DeviceFeedIn = Type.Object(
  { deviceId: Uuid, channel: Type.String({ minLength: 1, maxLength: 100, description: "The device's channel name, e.g. hours or ENERGY.Total" }) },
  { additionalProperties: false, description: 'A device channel whose readings are recorded on this point' },
);

export const ReadingOut = Type.Object({
  id: Type.String(),
  pointId: Uuid,
  assetId: Uuid,
  code: Type.String(),
  value: DecimalOut,
  readAt: Type.String({ format: 'date-time' }),
  /** Meters: the usage this reading adds (flagged: would add once confirmed). */
  delta: Nullable(DecimalOut),
  /** Meters: the point's total after this reading (accepted readings only). */
  total: Nullable(DecimalOut),
  status: lit(READING_STATUSES),
  reason: Nullable(Type.String()),
  source: Type.String(),
  sourceRef: Nullable(Type.String()),
  /** Who confirmed or rejected it (flagged readings). */
  decidedBy: Nullable(Type.String()),
  createdBy: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
});
const RecordedOut = Type.Composite([ReadingOut, Type.Object({ created: Type.Boolean(), workOrderIds: Type.Array(Uuid) })]);

const ReadingIn = {
  value: DecimalIn,
  readAt: Type.Optional(Instant),
  sourceRef: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Your id of the reading: sending it again stores nothing new' })),
};
const ReadingsBody = Type.Object(
  {
    value: Type.Optional(ReadingIn.value),
    readAt: ReadingIn.readAt,
    sourceRef: ReadingIn.sourceRef,
    readings: Type.Optional(Type.Array(Type.Object(ReadingIn, { additionalProperties: false }), { minItems: 1, maxItems: 1000 })),
  },
  { additionalProperties: false },
);

const ImportRowOut = Type.Object({
  row: Type.Integer(),
  assetTag: Nullable(Type.String()),
  pointCode: Nullable(Type.String()),
  value: Nullable(Type.String()),
  readAt: Nullable(Type.String()),
  status: lit(['accepted', 'flagged', 'duplicate', 'invalid'] as const),
  readingId: Nullable(Type.String()),
  message: Nullable(Type.String()),
});
const ImportOut = Type.Object({
  dryRun: Type.Boolean(),
  skipInvalidRows: Type.Boolean(),
  counts: Type.Object({ rows: Type.Integer(), accepted: Type.Integer(), flagged: Type.Integer(), duplicate: Type.Integer(), invalid: Type.Integer() }),
  imported: Type.Integer(),
  rows: Type.Array(ImportRowOut),
  workOrderIds: Type.Array(Uuid),
});
const MAX_CSV_CHARS = 2_000_000;
const ImportFlags = { skipInvalidRows: Type.Optional(Type.Boolean()), dryRun: Type.Optional(Type.Boolean()) };

const pointInactive = (code: string) => problems.conflict('maintenance/point-inactive', 'Measurement point inactive', `The measurement point ${code} is inactive: reactivate it to record readings`, { code });

export function readingRoutes(app: PluginApp, ctx: PluginContext<any>) {
  const db = readerOf(ctx);
  const registry = () => triggerRegistryOf(ctx);

  // ---- Measurement points

  app.get(
    '/assets/:assetId/points',
    {
      config: { permission: permissions.read },
      schema: {
        summary: "An asset's measurement points (meters and gauges)",
        params: AssetParams,
        querystring: Type.Object({ kind: Type.Optional(lit(POINT_KINDS)), active: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
        response: { 200: Type.Object({ data: Type.Array(PointOut) }), ...errorResponses },
      },
    },
    async (req) => {
      const [asset] = await db.execute(`SELECT 1 FROM fixed_assets_asset WHERE id = $1`, [req.params.assetId]);
      if (!asset) throw problems.notFound('asset', req.params.assetId);
      const rows = await db.execute<PointRow>(
        `${POINT_SELECT} WHERE p.asset_id = $1 AND ($2::text IS NULL OR p.kind = $2) AND ($3::boolean IS NULL OR p.active = $3) ORDER BY p.code`,
        [req.params.assetId, req.query.kind ?? null, req.query.active ?? null],
      );
      return { data: rows.map(pointView) };
    },
  );

  app.post(
    '/assets/:assetId/points',
    {
      config: { permission: permissions.plan },
      schema: {
        summary: 'Add a measurement point to an asset',
        description:
          'A meter counts up (runtime hours, km, cycles): `rolloverAt` is the value at which it wraps to 0, `maxRatePerDay` the fastest believable use (faster jumps are flagged for a person to confirm). A gauge shows an instantaneous value (temperature, vibration) and has neither. 409 `maintenance/point-code-taken` when the asset already has the code.',
        params: AssetParams,
        body: Type.Object(
          { code: Code, name: Type.String({ minLength: 1, maxLength: 200 }), kind: lit(POINT_KINDS), unit: Type.String({ minLength: 1, maxLength: 20 }), rolloverAt: Positive, maxRatePerDay: Positive, deviceFeed: Type.Optional(Nullable(DeviceFeedIn)) },
          { additionalProperties: false },
        ),
        response: { 201: PointOut, ...errorResponses },
      },
    },
    async (req, reply) => {
      const id = await ctx.transaction(req.actor, async (tx) => {
        const pointId = await createMeasurementPoint(tx, req.params.assetId, req.body);
        if (req.body.deviceFeed) await setDeviceFeed(tx, pointId, req.body.deviceFeed);
        return pointId;
      });
      const [row] = await db.execute<PointRow>(`${POINT_SELECT} WHERE p.id = $1`, [id]);
      return reply.status(201).send(pointView(row));
    },
  );

  app.get(
    '/assets/:assetId/points/:code',
    { config: { permission: permissions.read }, schema: { summary: 'A measurement point', params: PointParams, response: { 200: PointOut, ...errorResponses } } },
    async (req) => pointView(await pointOf(db, req.params.assetId, req.params.code)),
  );

  app.patch(
    '/assets/:assetId/points/:code',
    {
      config: { permission: permissions.plan },
      schema: {
        summary: 'Change a measurement point',
        description: 'Name, unit, rollover value, maximum rate, and `active` (an inactive point takes no readings; its history stays). The code and kind never change.',
        params: PointParams,
        body: Type.Object(
          { name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })), unit: Type.Optional(Type.String({ minLength: 1, maxLength: 20 })), rolloverAt: Positive, maxRatePerDay: Positive, active: Type.Optional(Type.Boolean()), deviceFeed: Type.Optional(Nullable(DeviceFeedIn)) },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: PointOut, ...errorResponses },
      },
    },
    async (req) => {
      const b = req.body;
      await ctx.transaction(req.actor, async (tx) => {
        const point = await pointOf(tx, req.params.assetId, req.params.code, true);
        const errors: FieldError[] = [];
        if (b.name !== undefined && !b.name.trim()) errors.push({ field: 'name', message: 'must not be blank' });
        if (b.unit !== undefined && !b.unit.trim()) errors.push({ field: 'unit', message: 'must not be blank' });
        const rolloverAt = b.rolloverAt === undefined ? point.rollover_at : decimalOrNull(b.rolloverAt, 'rolloverAt', errors);
        const maxRate = b.maxRatePerDay === undefined ? point.max_rate_per_day : decimalOrNull(b.maxRatePerDay, 'maxRatePerDay', errors);
        if (point.kind === 'gauge') {
          if (b.rolloverAt != null) errors.push({ field: 'rolloverAt', message: 'only meters roll over' });
          if (b.maxRatePerDay != null) errors.push({ field: 'maxRatePerDay', message: 'only meters have a maximum rate' });
        } else for (const i of validateMeter({ rolloverAt, maxRatePerDay: maxRate })) if (!errors.some((e) => e.field === i.field)) errors.push(i);
        if (rolloverAt != null && point.last_value !== null && !errors.some((e) => e.field === 'rolloverAt') && Number(point.last_value) >= Number(rolloverAt))
          errors.push({ field: 'rolloverAt', message: `must be above the last reading ${decText(tryDec(point.last_value)!)}` });
        if (errors.length) throw problems.validation(errors);
        const after = { name: b.name?.trim() ?? point.name, unit: b.unit?.trim() ?? point.unit, rolloverAt: rolloverAt ?? null, maxRatePerDay: maxRate ?? null, active: b.active ?? point.active };
        await tx.execute(`UPDATE maintenance_measurement_point SET name = $2, unit = $3, rollover_at = $4, max_rate_per_day = $5, active = $6 WHERE id = $1`, [
          point.id,
          after.name,
          after.unit,
          after.rolloverAt,
          after.maxRatePerDay,
          after.active,
        ]);
        await tx.audit({
          action: 'updated',
          entityType: 'maintenance.measurement-point',
          entityId: point.id,
          before: { name: point.name, unit: point.unit, rolloverAt: point.rollover_at, maxRatePerDay: point.max_rate_per_day, active: point.active },
          after,
        });
        if (b.deviceFeed !== undefined) await setDeviceFeed(tx, point.id, b.deviceFeed);
      });
      return pointView(await pointOf(db, req.params.assetId, req.params.code));
    },
  );

  // ---- Readings

  app.post(
    '/assets/:assetId/points/:code/readings',
    {
      config: { permission: permissions.readings },
      schema: {
        summary: 'Record readings of a measurement point',
        description: [
          'One reading (`value`, `readAt` — default now — and optionally `sourceRef`) or several (`readings: [...]`), in one transaction, taken in time order.',
          'Each reading answers its verdict: `accepted` (counts; meter usage is added to the total, rollovers included), `flagged` (a meter jump faster than the point\'s maximum rate: stored, not counted until a person confirms it) or `rejected` (a meter going backwards, an implausible rollover, a time before the meter\'s first reading or in the future). Rejected readings are stored with their reason and never count.',
          'Accepted readings evaluate the meter and condition plans of the asset\'s point at once; `workOrderIds` lists the work orders they made due. A `sourceRef` already recorded answers the stored reading with `created: false`. 409 `maintenance/point-inactive` for an inactive point.',
        ].join('\n\n'),
        params: PointParams,
        body: ReadingsBody,
        response: { 201: Type.Object({ data: Type.Array(RecordedOut) }), ...errorResponses },
      },
    },
    async (req, reply) => {
      const b = req.body;
      if ((b.readings === undefined) === (b.value === undefined)) {
        const field = b.readings === undefined ? 'value' : 'readings';
        throw problems.validation([{ field, message: b.readings === undefined ? 'is required (or send readings: [...])' : 'give either value or readings, not both' }]);
      }
      if (b.readings && (b.readAt !== undefined || b.sourceRef !== undefined))
        throw problems.validation([{ field: b.readAt !== undefined ? 'readAt' : 'sourceRef', message: 'belongs inside each of readings' }]);
      const now = new Date().toISOString();
      const list = (b.readings ?? [{ value: b.value!, readAt: b.readAt, sourceRef: b.sourceRef }]).map((r) => ({ ...r, readAt: r.readAt ?? now }));
      const results = await ctx.transaction(req.actor, async (tx) => {
        const point = await pointOf(tx, req.params.assetId, req.params.code, true);
        if (!point.active) throw pointInactive(point.code);
        const sorted = list.map((r, i) => ({ r, i })).sort((x, y) => Date.parse(x.r.readAt) - Date.parse(y.r.readAt) || x.i - y.i);
        // One pass for the whole request: a gauge's plans and states are read once, its readings stored together.
        const outcomes = await recordReadings(
          tx,
          registry(),
          point,
          sorted.map(({ r }) => ({ value: r.value, readAt: r.readAt, source: 'manual', sourceRef: r.sourceRef ?? null })),
          { storeRejected: true, log: ctx.log },
        );
        return outcomes.map((o, k) => ({ i: sorted[k].i, reading: o.reading!, created: o.created, workOrderIds: o.workOrderIds })).sort((x, y) => x.i - y.i);
      });
      return reply.status(201).send({ data: results.map((r) => ({ ...readingView(r.reading), created: r.created, workOrderIds: r.workOrderIds })) });
    },
  );

  const ReadingQuery = {
    status: Type.Optional(lit(READING_STATUSES)),
    from: Type.Optional(Instant),
    to: Type.Optional(Instant),
    ...PageQuery,
  };
  const listReadings = async (filters: { pointId?: string; assetId?: string; status?: string; from?: string; to?: string; limit?: number; offset?: number }) => {
    if (filters.from && filters.to && Date.parse(filters.to) < Date.parse(filters.from)) throw problems.validation([{ field: 'to', message: 'must not be before from' }]);
    const { limit, offset } = pageOf(filters);
    const { values, p } = sqlParams();
    const where: string[] = [];
    if (filters.pointId) where.push(`r.point_id = ${p(filters.pointId)}`);
    if (filters.assetId) where.push(`p.asset_id = ${p(filters.assetId)}`);
    if (filters.status) where.push(`r.status = ${p(filters.status)}`);
    if (filters.from) where.push(`r.read_at >= ${p(filters.from)}::timestamptz`);
    if (filters.to) where.push(`r.read_at <= ${p(filters.to)}::timestamptz`);
    const rows = await db.execute<ReadingRow & { n: string }>(
      `SELECT x.*, count(*) OVER () AS n FROM (${READING_SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}) x ORDER BY x.read_at DESC, x.id::bigint DESC LIMIT ${p(limit)} OFFSET ${p(offset)}`,
      values,
    );
    return { data: rows.map(readingView), total: rows.length ? Number(rows[0].n) : 0, limit, offset };
  };

  app.get(
    '/assets/:assetId/points/:code/readings',
    {
      config: { permission: permissions.read },
      schema: {
        summary: 'Readings of a measurement point, newest first',
        params: PointParams,
        querystring: Type.Object(ReadingQuery, { additionalProperties: false }),
        response: { 200: Page(ReadingOut), ...errorResponses },
      },
    },
    async (req) => {
      const point = await pointOf(db, req.params.assetId, req.params.code);
      return listReadings({ ...req.query, pointId: point.id });
    },
  );

  app.get(
    '/readings',
    {
      config: { permission: permissions.read },
      schema: {
        summary: 'Readings of every point, newest first (e.g. `status=flagged`: the ones waiting for a decision)',
        querystring: Type.Object({ assetId: Type.Optional(Uuid), ...ReadingQuery }, { additionalProperties: false }),
        response: { 200: Page(ReadingOut), ...errorResponses },
      },
    },
    async (req) => listReadings(req.query),
  );

  const reading = async (id: string) => readingView((await db.execute<ReadingRow>(`${READING_SELECT} WHERE r.id = $1::bigint`, [id]))[0]);
  const DecisionBody = Type.Object({ note: Type.Optional(Type.String({ minLength: 1, maxLength: 1000 })) }, { additionalProperties: false });

  app.post(
    '/readings/:id/confirm',
    {
      config: { permission: permissions.readings },
      schema: {
        summary: 'Confirm a flagged reading: it counts from now on',
        description:
          'The person vouches for a jump faster than the maximum rate. The reading is assessed again against the accepted readings around it (without the rate check); its usage is added and the plans it feeds are evaluated. 409 `maintenance/reading-not-flagged` for a reading that is not flagged; 409 `maintenance/reading-inconsistent` when it no longer fits between its neighbours.',
        params: ReadingParams,
        body: Type.Optional(DecisionBody),
        response: { 200: Type.Composite([ReadingOut, Type.Object({ workOrderIds: Type.Array(Uuid) })]), ...errorResponses },
      },
    },
    async (req) => {
      const { workOrderIds } = await ctx.transaction(req.actor, (tx) => confirmReading(tx, registry(), req.params.id, req.body?.note?.trim() || null, ctx.log));
      return { ...(await reading(req.params.id)), workOrderIds };
    },
  );

  app.post(
    '/readings/:id/reject',
    {
      config: { permission: permissions.readings },
      schema: {
        summary: 'Reject a flagged reading: it stays on record and never counts',
        description: '409 `maintenance/reading-not-flagged` for a reading that is not flagged.',
        params: ReadingParams,
        body: Type.Optional(DecisionBody),
        response: { 200: ReadingOut, ...errorResponses },
      },
    },
    async (req) => {
      await ctx.transaction(req.actor, (tx) => rejectReading(tx, req.params.id, req.body?.note?.trim() || null));
      return reading(req.params.id);
    },
  );

  // The import takes text/csv as well as JSON: its own scope, so the CSV body parser stays with it.
  app.register(async (scope: PluginApp) => {
    scope.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: 2 * MAX_CSV_CHARS }, (_req, body, done) => done(null, body));
    scope.post(
      '/readings/import',
      {
        bodyLimit: 2 * MAX_CSV_CHARS + 1024 * 1024,
        config: { permission: permissions.readings },
        schema: {
          summary: 'Import readings from CSV',
          description: [
            `Send the file as \`text/csv\` or \`text/plain\` (flags in the query string) or as JSON \`{ csv, skipInvalidRows?, dryRun? }\`. Columns (header row first, any order): \`asset_tag\`, \`point_code\`, \`value\`, \`read_at\` (ISO 8601 with a zone), optionally \`source_ref\` (a row with a source_ref imported before is a \`duplicate\` and stores nothing). At most ${MAX_IMPORT_ROWS} rows.`,
            'Every row answers its verdict (row numbers as a spreadsheet shows them, the header being row 1). Rows are taken per point in time order, through the same checks as readings entered by hand; flagged readings are imported and wait for confirmation.',
            'All or nothing: if any row is invalid (a cell, an unknown asset or point, a reading the meter rejects) nothing is imported and the answer is 422 `maintenance/import-rejected` listing the invalid rows — unless `skipInvalidRows`, which imports the others. `dryRun` checks everything and stores nothing. A file that is not usable CSV (unknown or missing columns, no rows, too many rows) is 422 `maintenance/invalid-csv`.',
          ].join('\n\n'),
          querystring: Type.Object(ImportFlags, { additionalProperties: false }),
          body: {
            content: {
              'application/json': { schema: Type.Object({ csv: Type.String({ minLength: 1, maxLength: MAX_CSV_CHARS }), ...ImportFlags }, { additionalProperties: false }) },
              'text/csv': { schema: Type.String({ minLength: 1, maxLength: MAX_CSV_CHARS }) },
              'text/plain': { schema: Type.String({ minLength: 1, maxLength: MAX_CSV_CHARS }) },
            },
          } as never,
          response: { 200: ImportOut, ...errorResponses },
        },
      },
      async (req) => {
        const body = req.body as unknown;
        const q = req.query as { skipInvalidRows?: boolean; dryRun?: boolean };
        let csv: string;
        let flags = { skipInvalidRows: q.skipInvalidRows ?? false, dryRun: q.dryRun ?? false };
        if (typeof body === 'string') csv = body;
        else if (body && typeof body === 'object' && typeof (body as { csv?: unknown }).csv === 'string') {
          const b = body as { csv: string; skipInvalidRows?: boolean; dryRun?: boolean };
          csv = b.csv;
          flags = { skipInvalidRows: b.skipInvalidRows ?? flags.skipInvalidRows, dryRun: b.dryRun ?? flags.dryRun };
        } else throw problems.validation([{ field: 'csv', message: 'send the file as text/csv, or JSON { csv }' }]);
        try {
          return await ctx.transaction(req.actor, (tx) => importReadings(tx, registry(), csv, { ...flags, log: ctx.log }));
        } catch (err) {
          if (err instanceof DryRunDone) return err.report;
          throw err;
        }
      },
    );
  });
}
