/**
 * Calibration routes: instruments (interval, test points with tolerances, procedure), calibration
 * results with as-found / as-left readings and certificates, and the list of instruments by
 * calibration status. Reads need `maintenance.read`, writes `maintenance.calibration.write`.
 * Mounted under /api/maintenance.
 */
import { Type, problems, DecimalIn, DecimalOut, IdParams, Instant, IsoDate, Nullable, Page, PageQuery, Uuid, errorResponses, lit, pageOf, type PluginApp, type PluginContext } from '@quartermaster/sdk';
import { readerOf, sqlParams } from '@quartermaster/core';
import { fixedAssetsService } from '@quartermaster/plugin-fixed-assets/shared';
import { permissions } from '../../shared/index.js';
import { INTERVAL_UNITS, calibrationStatus } from '../../domain/index.js';
import type { MaintenanceOptions } from '../options.js';
import {
  INSTRUMENT_SELECT,
  addCalibrationAttachment,
  attachmentView,
  attachmentsOf,
  blocksCheckOut,
  calibrationBlock,
  calibrationView,
  calibrationsOf,
  instrumentById,
  instrumentView,
  putInstrument,
  recordCalibration,
  renameFields,
  todayUtc,
  type InstrumentRow,
} from '../services/calibration.service.js';

export const CALIBRATION_STATUSES = ['current', 'due-soon', 'overdue', 'never'] as const;
const Status = lit(CALIBRATION_STATUSES);
const Result = lit(['pass', 'fail'] as const);
const AssetParams = Type.Object({ assetId: Uuid }, { additionalProperties: false });
const AttachmentParams = Type.Object({ id: Uuid, attachmentId: Uuid }, { additionalProperties: false });

const ToleranceIn = Type.Object(
  {
    plusMinus: Type.Optional(DecimalIn),
    percent: Type.Optional(DecimalIn),
  },
  { additionalProperties: false, minProperties: 1, maxProperties: 1, description: 'Either ± an absolute amount ({ plusMinus: "0.05" }) or ± a percentage of the nominal value ({ percent: "1" })' },
);
const PointIn = Type.Object(
  {
    label: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
    nominal: DecimalIn,
    unit: Type.String({ minLength: 1, maxLength: 20 }),
    tolerance: ToleranceIn,
  },
  { additionalProperties: false },
);
export const InstrumentBody = Type.Object(
  {
    interval: Type.Object({ n: Type.Integer({ minimum: 1 }), unit: lit(INTERVAL_UNITS) }, { additionalProperties: false, description: 'Calibrate every n days, weeks, months or years' }),
    points: Type.Array(PointIn, { minItems: 1, maxItems: 50, description: 'The test points, in the order results list them' }),
    procedure: Type.Optional(Nullable(Type.String({ maxLength: 20_000 }))),
    warnDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 365, default: 14, description: 'Days before the due date from which the instrument is due-soon' })),
    active: Type.Optional(Type.Boolean({ default: true, description: 'Inactive instruments are neither listed as due nor blocked from check-out' })),
  },
  { additionalProperties: false },
);

const ToleranceOut = Type.Object({ plusMinus: Type.Optional(DecimalOut), percent: Type.Optional(DecimalOut) });
const PointOut = Type.Object({ label: Nullable(Type.String()), nominal: DecimalOut, unit: Type.String(), tolerance: ToleranceOut });
const InstrumentOut = Type.Object({
  assetId: Uuid,
  tag: Type.String(),
  name: Type.String(),
  assetStatus: Type.String(),
  categoryId: Nullable(Uuid),
  locationId: Nullable(Uuid),
  interval: Type.Object({ n: Type.Integer(), unit: lit(INTERVAL_UNITS) }),
  points: Type.Array(PointOut),
  procedure: Nullable(Type.String()),
  warnDays: Type.Integer(),
  active: Type.Boolean(),
  lastCalibratedOn: Nullable(IsoDate),
  dueOn: Nullable(IsoDate),
  lastResult: Nullable(Result),
  status: Status,
  createdAt: Instant,
  updatedAt: Instant,
});

const CalibrationPointOut = Type.Object({
  label: Nullable(Type.String()),
  unit: Type.String(),
  nominal: DecimalOut,
  toleranceSpec: ToleranceOut,
  tolerance: DecimalOut,
  asFound: DecimalOut,
  asFoundError: DecimalOut,
  asFoundInTolerance: Type.Boolean(),
  asLeft: Nullable(DecimalOut),
  asLeftError: Nullable(DecimalOut),
  asLeftInTolerance: Nullable(Type.Boolean()),
  inTolerance: Type.Boolean(),
});
const AttachmentOut = Type.Object({
  id: Uuid,
  calibrationId: Uuid,
  fileName: Type.String(),
  mediaType: Type.String(),
  size: Type.Integer(),
  sha256: Type.String(),
  createdAt: Instant,
  createdBy: Type.String(),
});
const CalibrationOut = Type.Object({
  id: Uuid,
  assetId: Uuid,
  tag: Type.String(),
  workOrderId: Nullable(Uuid),
  performedOn: IsoDate,
  performedBy: Type.String(),
  result: Result,
  asFoundFailed: Type.Boolean(),
  adjusted: Type.Boolean(),
  suspectSince: Nullable(IsoDate),
  points: Type.Array(CalibrationPointOut),
  certificateNumber: Nullable(Type.String()),
  nextDueOn: IsoDate,
  note: Nullable(Type.String()),
  cost: Nullable(DecimalOut),
  currency: Nullable(Type.String()),
  attachments: Type.Array(AttachmentOut),
  createdAt: Instant,
  createdBy: Type.String(),
});
const CheckOutOut = Type.Object({
  allowed: Type.Boolean(),
  /** Why the instrument may not be used (also when its category lets it be checked out anyway). */
  reason: Nullable(lit(['overdue', 'never', 'failed'] as const)),
  /** Whether its category (or the nearest ancestor with a setting) blocks check-out of such instruments. */
  categoryBlocks: Type.Boolean(),
});
const InstrumentDetailOut = Type.Composite([InstrumentOut, Type.Object({ checkOut: CheckOutOut, calibrations: Type.Array(CalibrationOut) })]);

export const InstrumentListQuery = Type.Object(
  {
    status: Type.Optional(Type.Array(Status, { maxItems: 4, uniqueItems: true })),
    categoryId: Type.Optional(Uuid),
    locationId: Type.Optional(Uuid),
    active: Type.Optional(Type.Boolean()),
    lastResult: Type.Optional(Result),
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    ...PageQuery,
  },
  { additionalProperties: false },
);

export const CalibrationBody = Type.Object(
  {
    performedOn: IsoDate,
    performedBy: Type.String({ minLength: 1, maxLength: 200, description: 'Technician or laboratory' }),
    points: Type.Array(
      Type.Object(
        {
          asFound: DecimalIn,
          asLeft: Type.Optional(Nullable(DecimalIn)),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 50, description: "One reading per test point of the instrument, in the instrument's order; asLeft only when the instrument was adjusted" },
    ),
    certificateNumber: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
    note: Type.Optional(Nullable(Type.String({ maxLength: 4000 }))),
    workOrderId: Type.Optional(Nullable(Uuid)),
    cost: Type.Optional(Nullable(DecimalIn)),
  },
  { additionalProperties: false },
);

export const CalibrationListQuery = Type.Object(
  {
    assetId: Type.Optional(Uuid),
    workOrderId: Type.Optional(Uuid),
    from: Type.Optional(IsoDate),
    to: Type.Optional(IsoDate),
    result: Type.Optional(Result),
    asFoundFailed: Type.Optional(Type.Boolean()),
    ...PageQuery,
  },
  { additionalProperties: false },
);

export const AttachmentBody = Type.Object(
  {
    fileName: Type.String({ minLength: 1, maxLength: 255 }),
    mediaType: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*$', maxLength: 127 }),
    content: Type.String({ minLength: 1, maxLength: 2_097_152, description: 'The file, base64-encoded (at most 1.5 MiB decoded)' }),
  },
  { additionalProperties: false },
);

/** Shown in the browser: raster images only. Anything else (PDF, HTML, SVG…) downloads, so a stored file never runs as our page. */
const INLINE = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

/** `categoryId`/`locationId` filters include everything below them. */
const subtree = (table: 'core_category' | 'core_location', param: string) =>
  `(WITH RECURSIVE sub AS (SELECT id FROM ${table} WHERE id = ${param} UNION ALL SELECT c.id FROM ${table} c JOIN sub ON c.parent_id = sub.id) SELECT id FROM sub)`;

export function calibrationRoutes(app: PluginApp, ctx: PluginContext<any>, options: MaintenanceOptions) {
  const db = readerOf(ctx);
  const minor = options.currencyMinorUnits;
  const read = { permission: permissions.read };
  const write = { permission: permissions.calibrate };

  const instrumentDetail = async (assetId: string) => {
    const row = await instrumentById(db, assetId);
    if (!row) return null;
    const today = todayUtc();
    const calibrations = await calibrationsOf(db, 'c.asset_id = $1', [assetId]);
    const attachments = await attachmentsOf(db, calibrations.map((c) => c.id));
    const block = calibrationBlock(row, today);
    const categoryBlocks = await blocksCheckOut(db, row.category_id);
    return {
      ...instrumentView(row, today),
      checkOut: { allowed: !block || !categoryBlocks, reason: block?.reason ?? null, categoryBlocks },
      calibrations: calibrations.map((c) => calibrationView(c, minor, attachments.get(c.id))),
    };
  };
  const calibrationById = async (id: string) => {
    const [row] = await calibrationsOf(db, 'c.id = $1', [id]);
    if (!row) return null;
    return calibrationView(row, minor, (await attachmentsOf(db, [id])).get(id));
  };

  app.put(
    '/instruments/:assetId',
    {
      config: write,
      schema: {
        summary: 'Make an asset an instrument, or change its calibration settings',
        description: [
          'Sets the calibration interval, the test points (nominal value, unit, tolerance ± an amount or ± a percentage of the nominal), the procedure, `warnDays` and `active`. Answers 201 for a new instrument, 200 for a change.',
          'A changed interval moves the due date of an instrument already calibrated to its last calibration + the new interval. New test points apply to later calibrations; recorded ones keep theirs.',
          'An instrument that is active and overdue, never calibrated, or whose last calibration failed cannot be checked out (409 `maintenance/calibration-overdue`) unless its category turns that off.',
        ].join('\n'),
        params: AssetParams,
        body: InstrumentBody,
        response: { 200: InstrumentOut, 201: InstrumentOut, ...errorResponses },
      },
    },
    async (req, reply) => {
      const { created } = await ctx.transaction(req.actor, (tx) => putInstrument(tx, req.params.assetId, req.body));
      const row = (await instrumentById(db, req.params.assetId))!;
      return reply.status(created ? 201 : 200).send(instrumentView(row, todayUtc()));
    },
  );

  app.get(
    '/instruments',
    {
      config: read,
      schema: {
        summary: 'Instruments with their calibration status',
        description:
          '`status` (repeatable): current, due-soon (from `warnDays` before the due date to the due date), overdue (after the due date), never (not calibrated yet). `categoryId` and `locationId` include everything below them; `q` searches tag and name. Soonest due first, never-calibrated ones before all.',
        querystring: InstrumentListQuery,
        response: { 200: Page(InstrumentOut), ...errorResponses },
      },
    },
    async (req) => {
      const q = req.query;
      const { limit, offset } = pageOf(q);
      const { values, p } = sqlParams();
      const where: string[] = [];
      if (q.categoryId) where.push(`a.category_id IN ${subtree('core_category', `${p(q.categoryId)}::uuid`)}`);
      if (q.locationId) where.push(`a.location_id IN ${subtree('core_location', `${p(q.locationId)}::uuid`)}`);
      if (q.active !== undefined) where.push(`i.active = ${p(q.active)}`);
      if (q.lastResult) where.push(`i.last_result = ${p(q.lastResult)}`);
      if (q.q) where.push(`(a.tag ILIKE ${p(`%${q.q.replace(/[\\%_]/g, (c) => '\\' + c)}%`)} OR a.name ILIKE $${values.length})`);
      const rows = await db.execute<InstrumentRow>(`${INSTRUMENT_SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY i.due_on NULLS FIRST, a.tag`, values);
      const today = todayUtc();
      // Status is the domain's (calibrationStatus), so the filter is applied to the computed value.
      const wanted = q.status?.length ? new Set<string>(q.status) : null;
      const matching = wanted ? rows.filter((r) => wanted.has(calibrationStatus(r.due_on, today, r.warn_days))) : rows;
      return { data: matching.slice(offset, offset + limit).map((r) => instrumentView(r, today)), total: matching.length, limit, offset };
    },
  );

  app.get(
    '/instruments/:assetId',
    {
      config: read,
      schema: {
        summary: 'An instrument, whether it may be checked out, and its calibration history (latest first)',
        params: AssetParams,
        response: { 200: InstrumentDetailOut, ...errorResponses },
      },
    },
    async (req) => {
      const detail = await instrumentDetail(req.params.assetId);
      if (!detail) throw problems.notFound('instrument', req.params.assetId);
      return detail;
    },
  );

  app.post(
    '/instruments/:assetId/calibrations',
    {
      config: write,
      schema: {
        summary: 'Record a calibration result',
        description: [
          "One reading per test point, in the instrument's order: `asFound` (before any adjustment) and, when the instrument was adjusted, `asLeft`. A point is in tolerance when |reading − nominal| ≤ tolerance; the calibration passes when every point is in tolerance as left (as found when not adjusted). `asFoundFailed` flags a point out of tolerance as found: whatever was measured since the previous calibration (`suspectSince`) needs review.",
          'The next due date is `performedOn` + the interval. The instrument takes the result when it is its latest calibration by date. A `certificateNumber` already recorded is 409 `maintenance/duplicate-certificate`. `workOrderId` must be a calibration work order of this instrument (not cancelled). A `cost` is posted to the asset\'s cost ledger (kind calibration) in the same transaction. Emits `maintenance.calibration.recorded`.',
        ].join('\n'),
        params: AssetParams,
        body: CalibrationBody,
        response: { 201: CalibrationOut, ...errorResponses },
      },
    },
    async (req, reply) => {
      const fixedAssets = ctx.services.get(fixedAssetsService);
      const id = await ctx.transaction(req.actor, async (tx) => {
        try {
          return await recordCalibration(tx, req.params.assetId, req.body, { minorUnits: minor, fixedAssets });
        } catch (err) {
          // The cost ledger's own checks name its field `amount`; ours is `cost`.
          return renameFields(err, { amount: 'cost', currency: 'cost' });
        }
      });
      return reply.status(201).send((await calibrationById(id))!);
    },
  );

  app.get(
    '/calibrations',
    {
      config: read,
      schema: {
        summary: 'Calibration results, latest first',
        description: '`from`/`to` bound the date performed (both included). `asFoundFailed=true` is the quality review list: instruments found out of tolerance, with `suspectSince` (the previous calibration) from when their measurements are in doubt.',
        querystring: CalibrationListQuery,
        response: { 200: Page(CalibrationOut), ...errorResponses },
      },
    },
    async (req) => {
      const q = req.query;
      if (q.from && q.to && q.to < q.from) throw problems.validation([{ field: 'to', message: 'must not be before from' }]);
      const { limit, offset } = pageOf(q);
      const { values, p } = sqlParams();
      const where: string[] = ['true'];
      if (q.assetId) where.push(`c.asset_id = ${p(q.assetId)}`);
      if (q.workOrderId) where.push(`c.work_order_id = ${p(q.workOrderId)}`);
      if (q.from) where.push(`c.performed_on >= ${p(q.from)}::date`);
      if (q.to) where.push(`c.performed_on <= ${p(q.to)}::date`);
      if (q.result) where.push(`c.result = ${p(q.result)}`);
      if (q.asFoundFailed !== undefined) where.push(`c.as_found_failed = ${p(q.asFoundFailed)}`);
      const [{ n }] = await db.execute<{ n: number }>(`SELECT count(*)::int AS n FROM maintenance_calibration c WHERE ${where.join(' AND ')}`, values);
      const rows = await calibrationsOf(db, where.join(' AND '), [...values, limit, offset], `ORDER BY c.performed_on DESC, c.created_at DESC, c.id LIMIT $${values.length + 1} OFFSET $${values.length + 2}`);
      const attachments = await attachmentsOf(db, rows.map((r) => r.id));
      return { data: rows.map((r) => calibrationView(r, minor, attachments.get(r.id))), total: n, limit, offset };
    },
  );

  app.get(
    '/calibrations/:id',
    { config: read, schema: { summary: 'A calibration result with its attachments (without their content)', params: IdParams, response: { 200: CalibrationOut, ...errorResponses } } },
    async (req) => {
      const view = await calibrationById(req.params.id);
      if (!view) throw problems.notFound('calibration', req.params.id);
      return view;
    },
  );

  app.post(
    '/calibrations/:id/attachments',
    {
      config: write,
      // 1.5 MiB as base64 is 2 MiB of JSON text, above the host's default limit.
      bodyLimit: 3 * 1024 * 1024,
      schema: {
        summary: 'Attach a file (the certificate) to a calibration',
        description: 'Sent base64-encoded in JSON; at most 1.5 MiB decoded. Kept as a quality record: attachments of calibrations are not deleted.',
        params: IdParams,
        body: AttachmentBody,
        response: { 201: AttachmentOut, ...errorResponses },
      },
    },
    async (req, reply) => {
      const row = await ctx.transaction(req.actor, (tx) => addCalibrationAttachment(tx, req.params.id, req.body));
      return reply.status(201).send(attachmentView(row));
    },
  );

  app.get(
    '/calibrations/:id/attachments/:attachmentId',
    {
      config: read,
      schema: {
        summary: "An attachment's content",
        params: AttachmentParams,
        response: { 200: Type.String({ contentMediaType: 'application/octet-stream', description: 'The file as uploaded, with its media type' }), ...errorResponses },
      },
    },
    async (req, reply) => {
      const [att] = await db.execute<{ file_name: string; media_type: string; content: Buffer }>(
        `SELECT file_name, media_type, content FROM maintenance_attachment WHERE id = $1 AND calibration_id = $2`,
        [req.params.attachmentId, req.params.id],
      );
      if (!att) throw problems.notFound('attachment', req.params.attachmentId);
      return reply
        .header('content-type', att.media_type)
        .header('content-disposition', `${INLINE.has(att.media_type) ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(att.file_name)}`)
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .send(att.content as never);
    },
  );
}
