/**
 * The asset register in and out as CSV: import jobs with a row-by-row report (the shape of the
 * inventory plugin's imports) and a streamed export with the register's own filters.
 */
import { hasPermission, Type, problems, type PluginApp, type PluginContext } from '@quartermaster/sdk';
import { IMPORT_MODES, IMPORT_STATUSES, permissions } from '../../shared/index.js';
import { neutraliseFormula } from '@quartermaster/sdk';
import { csvFileName, streamCsv } from '../services/report-csv.js';
import { amountText, dec } from '../../domain/money.js';
import type { FixedAssetsOptions } from '../options.js';
import { ASSET_COLUMNS, AssetImportRunner, BOOK_PARAMS, MAX_CSV_BYTES, bookCodes, checkImportRequest, importSummary, loadImport, readAssetFile, type ImportRequest } from '../services/asset-import.service.js';
import { params, readerOf } from '../services/db.js';
import { AssetListQuery, assetFilters } from './assets.routes.js';
import { IdParams, Nullable, Page, PageQuery, Uuid, errorResponses, lit, pageOf } from './schemas.js';

export const ImportSummaryOut = Type.Object({
  id: Uuid,
  number: Type.String(),
  status: lit(IMPORT_STATUSES),
  mode: lit(IMPORT_MODES),
  dryRun: Type.Boolean(),
  fileName: Nullable(Type.String()),
  /** Too large for the request: imported in the background. */
  background: Type.Boolean(),
  rowsTotal: Type.Integer(),
  rowsValidated: Type.Integer(),
  rowsDone: Type.Integer(),
  progress: Type.Object({ phase: lit(['validating', 'importing'] as const), processed: Type.Integer(), total: Type.Integer() }),
  counts: Type.Object({
    total: Type.Integer(),
    valid: Type.Integer(),
    invalid: Type.Integer(),
    created: Type.Integer(),
    updated: Type.Integer(),
    unchanged: Type.Integer(),
    errors: Type.Integer(),
  }),
  detail: Nullable(Type.String()),
  createdBy: Type.String(),
  createdAt: Type.String(),
  startedAt: Nullable(Type.String()),
  finishedAt: Nullable(Type.String()),
});
export const ImportOut = Type.Composite([
  ImportSummaryOut,
  Type.Object({
    errors: Type.Array(Type.Object({ row: Type.Integer(), column: Nullable(Type.String()), message: Type.String(), value: Nullable(Type.String()) })),
    errorsStored: Type.Integer(),
    errorsTruncated: Type.Boolean(),
  }),
]);

export const ImportBody = Type.Object(
  {
    csv: Type.String({ minLength: 1, maxLength: MAX_CSV_BYTES, description: 'The CSV file as text (UTF-8, comma-separated, header row first), at most 20 MB' }),
    dryRun: Type.Optional(Type.Boolean({ description: 'Check every row and report; write nothing' })),
    mode: Type.Optional(lit(IMPORT_MODES)),
    fileName: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
  },
  { additionalProperties: false },
);

const { limit: _limit, offset: _offset, ...filterProperties } = AssetListQuery.properties;
export const AssetExportQuery = Type.Object(filterProperties, { additionalProperties: false });

const text = (v: unknown) => (v === null || v === undefined ? null : neutraliseFormula(String(v)));
const trim = (v: string | null) => (v === null ? null : dec(v).toFixed());

/** Paths from the top of a core tree, as the import takes them. */
const PATHS = (table: string, name: string) => `${name} AS (SELECT id, name::text AS path FROM ${table} WHERE parent_id IS NULL
  UNION ALL SELECT c.id, ${name}.path || ' / ' || c.name FROM ${table} c JOIN ${name} ON c.parent_id = ${name}.id)`;

export function importExportRoutes(app: PluginApp, ctx: PluginContext<any>, options: FixedAssetsOptions) {
  const db = readerOf(ctx);
  const minor = options.currencyMinorUnits;
  const runner = new AssetImportRunner(ctx, options, options.importBatchSize, options.importSyncMaxRows);
  // Jobs a stopped server left unfinished are taken up again; a closing server stops after its batch.
  app.addHook('onReady', async () => {
    await runner.resume().catch((err) => ctx.log.warn({ err }, 'could not resume unfinished asset imports'));
  });
  app.addHook('onClose', async () => {
    await runner.close();
  });

  app.post(
    '/imports',
    {
      bodyLimit: 2 * MAX_CSV_BYTES + 1024 * 1024,
      config: { permission: permissions.assetWrite },
      schema: {
        summary: 'Import assets from CSV',
        description: [
          'Answers 202 with the import job (`location` names it). Every row is checked first — its cells, the names it refers to, and a trial registration through the register\'s own rules — and the report lists each problem with its row number (the header is row 1), column and message. If any row is invalid nothing is imported (status `failed`); `dryRun` checks and writes nothing.',
          `Files of up to ${options.importSyncMaxRows} rows are imported before the answer (the job is \`done\` or \`failed\`); larger ones in the background: poll GET /imports/{id} (\`validating\` → \`importing\` → \`done\`, or \`failed\`; \`rowsDone\` of \`rowsTotal\`).`,
          `Columns (any order, header names as the export writes them; ${ASSET_COLUMNS.map((c) => c.key).join(', ')}): name is required; category is a path (\`Equipment / Laptops\`) or a name only one category has; location a code or a path; item_sku an item's SKU; custodian_user an e-mail; custodian_person an employee number or name; parent_tag the tag of an asset registered or in the file; status one of ordered, received, in-service, in-maintenance, in-transit, retired; custom_fields a JSON object. Per depreciation book \`<book>_<param>\` with param one of ${BOOK_PARAMS.map((p) => p.key).join(', ')}: method and placed_in_service are required when any is given; \`<book>_accumulated\` is the accumulated depreciation brought over from another system (at most cost − salvage): the next run posts only what is due beyond it. Book columns need fixed-assets.depreciation.run too.`,
          '`mode`: `create` (default; a tag already registered is an error) or `upsert` (a registered tag updates that asset: empty cells leave values as they are, a different location moves it, its status stays).',
          'A file that is not usable CSV (binary, another delimiter, unknown or missing columns, no rows) is refused with 422 `fixed-assets/invalid-csv` and nothing is recorded. Cells the export protected against spreadsheet formulas (`\'=…`) lose the apostrophe.',
        ].join('\n\n'),
        body: ImportBody,
        response: { 202: ImportOut, ...errorResponses },
      },
    },
    async (req, reply) => {
      const body = req.body as ImportRequest;
      const file = readAssetFile(body.csv, await bookCodes(db));
      checkImportRequest(req.actor, body, file);
      const { id, background } = await runner.create(req.actor, body, file);
      if (background) runner.start(id);
      else await runner.runNow(id);
      return reply.status(202).header('location', `/api/fixed-assets/imports/${id}`).send((await loadImport(db, id))!);
    },
  );

  app.get(
    '/imports',
    {
      config: { permission: permissions.assetRead },
      schema: {
        summary: 'Asset import jobs, newest first',
        querystring: Type.Object({ status: Type.Optional(lit(IMPORT_STATUSES)), ...PageQuery }, { additionalProperties: false }),
        response: { 200: Page(ImportSummaryOut), ...errorResponses },
      },
    },
    async (req) => {
      const { limit, offset } = pageOf(req.query);
      const rows = await db.execute<Record<string, any>>(
        `SELECT id, number, mode, status, dry_run, file_name, background, rows_total, rows_validated, rows_done, invalid_rows, created_count, updated_count, unchanged_count,
                error_count, detail, created_by_label, created_at, started_at, finished_at, count(*) OVER () AS total
           FROM fixed_assets_import WHERE $1::text IS NULL OR status = $1 ORDER BY created_at DESC, number DESC LIMIT $2 OFFSET $3`,
        [req.query.status ?? null, limit, offset],
      );
      return { data: rows.map(importSummary), total: rows.length ? Number(rows[0].total) : 0, limit, offset };
    },
  );

  app.get(
    '/imports/:id',
    {
      config: { permission: permissions.assetRead },
      schema: {
        summary: 'An import job: status, progress, counts and its row-by-row report',
        description: '`errors` is one page of the report (`errorsLimit`, `errorsOffset`), ordered by row. The first 10,000 problems are kept; `counts.errors` counts them all.',
        params: IdParams,
        querystring: Type.Object(
          { errorsLimit: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000, default: 1000 })), errorsOffset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })) },
          { additionalProperties: false },
        ),
        response: { 200: ImportOut, ...errorResponses },
      },
    },
    async (req) => {
      const job = await loadImport(db, req.params.id, { limit: req.query.errorsLimit ?? 1000, offset: req.query.errorsOffset ?? 0 });
      if (!job) throw problems.notFound('import', req.params.id);
      return job;
    },
  );

  app.get(
    '/export/assets.csv',
    {
      config: { permission: permissions.assetRead },
      schema: {
        summary: 'The asset register as CSV',
        description:
          'The assets of GET /assets with its filters (no paging), by tag, in the columns the import takes: a file exported here imports into another installation as the same register. Per depreciation book `<book>_method`, `_cost_basis`, `_salvage`, `_life_years`, … `_placed_in_service`, `_accumulated` (accumulated depreciation posted, opening balance included) — only for callers with fixed-assets.depreciation.read. Streams CSV (UTF-8, comma-separated, CRLF, RFC 4180 quoting); text a spreadsheet would run as a formula (`=`, `+`, `-`, `@`) is prefixed with an apostrophe.',
        querystring: AssetExportQuery,
        response: { 200: Type.String({ description: 'text/csv' }), ...errorResponses },
      },
    },
    async (req, reply) => {
      const { values, p } = params();
      const { ctes, where } = assetFilters(req.query, p);
      const books = hasPermission(req.actor, permissions.depreciationRead) ? await bookCodes(db) : [];
      const bookJoins = books.map((code, i) => `LEFT JOIN fixed_assets_asset_book b${i} ON b${i}.asset_id = a.id AND b${i}.book_code = ${p(code)}`).join('\n');
      const bookColumns = books
        .map(
          (_, i) =>
            `b${i}.method AS b${i}_method, b${i}.cost_basis::text AS b${i}_cost_basis, b${i}.salvage_value::text AS b${i}_salvage, b${i}.useful_life_years::text AS b${i}_life_years,
             b${i}.recovery_period_years AS b${i}_recovery_period, b${i}.convention AS b${i}_convention, b${i}.factor::text AS b${i}_factor, b${i}.rate::text AS b${i}_rate,
             b${i}.switch_to_straight_line AS b${i}_switch, b${i}.total_units::text AS b${i}_total_units, b${i}.units_by_period AS b${i}_units,
             b${i}.placed_in_service::text AS b${i}_placed_in_service, b${i}.posted_accumulated::text AS b${i}_accumulated`,
        )
        .join(',\n');
      const sql = `WITH RECURSIVE ${[PATHS('core_location', 'lpaths'), PATHS('core_category', 'cpaths'), ...ctes].join(', ')}
        SELECT a.tag, a.name, a.serial_number, cp.path AS category,
               (SELECT min(x.value) FROM core_identifier x WHERE x.type = 'sku' AND x.target_type = 'core.item' AND x.target_id = a.item_id) AS item_sku,
               lp.path AS location, pa.tag AS parent_tag, a.status, a.condition, u.email AS custodian_user, coalesce(pe.employee_number, pe.name) AS custodian_person,
               a.department, a.cost_centre, a.supplier, a.purchase_date::text AS purchase_date, a.invoice_number, a.acquisition_cost::text AS acquisition_cost,
               a.currency, a.warranty_end::text AS warranty_end, a.notes, a.custom_fields${bookColumns ? `,\n${bookColumns}` : ''}
          FROM fixed_assets_asset a
          LEFT JOIN lpaths lp ON lp.id = a.location_id
          LEFT JOIN cpaths cp ON cp.id = a.category_id
          LEFT JOIN core_user u ON u.id = a.custodian_user_id
          LEFT JOIN fixed_assets_person pe ON pe.id = a.custodian_person_id
          LEFT JOIN fixed_assets_asset pa ON pa.id = a.parent_id
          ${bookJoins}
         ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY a.tag`;
      const header = [...ASSET_COLUMNS.map((c) => c.key), ...books.flatMap((code) => BOOK_PARAMS.map((bp) => `${code}_${bp.key}`))];
      const sorted = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)));
      return streamCsv(ctx, reply, csvFileName('assets', new Date().toISOString().slice(0, 10)), header, sql, values, (r) => [
        text(r.tag),
        text(r.name),
        text(r.serial_number),
        text(r.category),
        text(r.item_sku),
        text(r.location),
        text(r.parent_tag),
        r.status,
        r.condition,
        text(r.custodian_user),
        text(r.custodian_person),
        text(r.department),
        text(r.cost_centre),
        text(r.supplier),
        r.purchase_date,
        text(r.invoice_number),
        r.acquisition_cost === null ? null : amountText(r.acquisition_cost, minor),
        r.currency,
        r.warranty_end,
        text(r.notes),
        r.custom_fields && Object.keys(r.custom_fields).length ? text(JSON.stringify(sorted(r.custom_fields))) : null,
        ...books.flatMap((_, i) =>
          r[`b${i}_method`] === null
            ? BOOK_PARAMS.map(() => null)
            : [
                r[`b${i}_method`],
                amountText(r[`b${i}_cost_basis`], minor),
                amountText(r[`b${i}_salvage`], minor),
                trim(r[`b${i}_life_years`]),
                r[`b${i}_recovery_period`],
                r[`b${i}_convention`],
                trim(r[`b${i}_factor`]),
                trim(r[`b${i}_rate`]),
                r[`b${i}_switch`] ? 'true' : null,
                trim(r[`b${i}_total_units`]),
                (r[`b${i}_units`] as string[] | null)?.length ? (r[`b${i}_units`] as string[]).map((u) => dec(u).toFixed()).join(';') : null,
                r[`b${i}_placed_in_service`],
                amountText(r[`b${i}_accumulated`], minor),
              ],
        ),
      ]);
    },
  );
}
