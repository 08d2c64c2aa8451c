/**
 * CSV in and out: imports of items, opening balances and reorder rules (jobs with a row-by-row
 * report), and CSV exports of every list the plugin shows, with the list's own filters.
 */
import { hasPermission, Type, problems, type Actor, type PluginApp, type PluginContext } from '@quartermaster/sdk';
import { sendQueryAsCsv } from '@quartermaster/core';
import { MOVE_TYPES, permissions } from '../../shared/index.js';
import { neutraliseFormula, toCsv, type CsvValue } from '@quartermaster/sdk';
import { dec, money, qtyText } from '../../domain/money.js';
import type { InventoryOptions } from '../services/ledger.service.js';
import { varianceOf } from '../services/count.service.js';
import { expireReservations } from '../services/reservation.service.js';
import { readerOf, subtreeCte } from '../services/stock.service.js';
import { isoOf } from '../services/time.js';
import {
  IMPORT_KINDS,
  IMPORT_PERMISSION,
  IMPORT_STATUSES,
  ImportRunner,
  MAX_CSV_BYTES,
  checkImportRequest,
  importSummary,
  loadImport,
  readImportFile,
  type ImportRequest,
} from '../services/import.service.js';
import { IdParams, Nullable, Page, PageQuery, Uuid, errorResponses, pageOf } from './schemas.js';

const lit = <T extends readonly string[]>(xs: T) => Type.Union(xs.map((x) => Type.Literal(x)));

const ImportSummary = Type.Object({
  id: Uuid,
  number: Type.String(),
  kind: lit(IMPORT_KINDS),
  status: lit(IMPORT_STATUSES),
  dryRun: Type.Boolean(),
  skipInvalidRows: Type.Boolean(),
  asOf: Nullable(Type.String()),
  fileName: Nullable(Type.String()),
  background: Type.Boolean(),
  progress: Type.Object({ phase: lit(['validating', 'importing'] as const), processed: Type.Integer(), total: Type.Integer() }),
  counts: Type.Object({
    total: Type.Integer(),
    valid: Type.Integer(),
    invalid: Type.Integer(),
    imported: Type.Integer(),
    created: Type.Integer(),
    updated: Type.Integer(),
    unchanged: Type.Integer(),
    errors: Type.Integer(),
  }),
  moveIds: Type.Array(Uuid),
  detail: Nullable(Type.String()),
  createdBy: Type.String(),
  createdAt: Type.String(),
  startedAt: Nullable(Type.String()),
  finishedAt: Nullable(Type.String()),
});
const ImportOut = Type.Composite([
  ImportSummary,
  Type.Object({
    errors: Type.Array(Type.Object({ row: Type.Integer(), column: Nullable(Type.String()), message: Type.String(), value: Nullable(Type.String()) })),
    errorsStored: Type.Integer(),
    errorsTruncated: Type.Boolean(),
  }),
]);

const ImportBody = Type.Object(
  {
    kind: lit(IMPORT_KINDS),
    csv: Type.String({ minLength: 1, maxLength: MAX_CSV_BYTES, description: 'The CSV file as text (UTF-8, comma-separated, header row first), at most 20 MB' }),
    dryRun: Type.Optional(Type.Boolean({ description: 'Check every row and report, write nothing' })),
    skipInvalidRows: Type.Optional(Type.Boolean({ description: 'Import the valid rows and report the others; by default one invalid row stops the whole file' })),
    asOf: Type.Optional(Type.String({ format: 'date-time', description: 'Opening balances: when they are posted (default now)' })),
    fileName: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
  },
  { additionalProperties: false },
);

/** What identifies the caller to the core's routes, which items are written through (kept in memory for the job only). */
const credentialsOf = (headers: Record<string, string | string[] | undefined>) =>
  Object.fromEntries(['cookie', 'x-csrf-token', 'authorization'].filter((h) => typeof headers[h] === 'string').map((h) => [h, headers[h] as string]));

const canSeeCost = (actor: Actor) => hasPermission(actor, permissions.valuationRead);

export function importRoutes(app: PluginApp, ctx: PluginContext<any>, options: InventoryOptions) {
  const db = readerOf(ctx);
  const runner = new ImportRunner(ctx, app, options);
  // Jobs left unfinished by a stopped server are taken up again; a closing server stops after its batch.
  app.addHook('onReady', async () => {
    await runner.resume().catch((err) => ctx.log.warn({ err }, 'could not resume unfinished imports'));
  });
  app.addHook('onClose', async () => {
    await runner.close();
  });

  app.post(
    '/imports',
    {
      // A JSON-escaped 20 MB file is larger than 20 MB; the file itself is checked below.
      bodyLimit: 2 * MAX_CSV_BYTES + 1024 * 1024,
      config: { permission: IMPORT_PERMISSION },
      schema: {
        summary: 'Import items, opening balances or reorder rules from CSV',
        description: [
          'Every row is checked first; the report lists each problem with its row number (the header is row 1), column and message.',
          'If any row is invalid and `skipInvalidRows` is not set, nothing is imported (status `failed`); with it, valid rows are imported and the others reported. `dryRun` checks and writes nothing.',
          `Files of up to 2,000 rows are imported in this request (201, final report). Larger ones are imported in the background (202, \`location\` names the job): poll GET /imports/{id} for status (\`validating\`, \`importing\`, \`done\`, \`failed\`) and progress.`,
          '**items**: sku, name (required), description, gtin, category (path like `Spare parts / Bearings`, created when missing), kind, tracking_mode, unit_of_measure, valuation_method, standard_cost, purchase_units (`box=12;case=144`). An existing SKU updates its item; empty cells leave values as they are; GTINs are added, never removed. Needs core.items.write and inventory.settings.write too.',
          '**opening-balances**: sku, location (code or path), qty, unit_cost (required), uom, lot, expiry (YYYY-MM-DD), serials (separated by `;`). Posted as receipts with reference OPENING dated `asOf` (one move per batch); an item × location × lot gets one opening balance. Needs inventory.moves.post too.',
          '**reorder-rules**: sku, location (required), kind (`min-max` or `reorder-point`; default from the values), min, max, reorder_point, safety_stock, order_qty, order_multiple, moq. One rule per item × location: a column in the file sets the value (an empty cell clears it), a column not in the file leaves it. Needs inventory.replenishment.write too.',
          'A file that is not usable CSV (binary, another delimiter, unknown or missing columns, no rows) is refused with 422 `inventory/invalid-csv` and nothing is recorded.',
        ].join('\n\n'),
        body: ImportBody,
        response: { 201: ImportOut, 202: ImportOut, ...errorResponses },
      },
    },
    async (req, reply) => {
      const body = req.body as ImportRequest;
      checkImportRequest(req.actor, body, options);
      const file = readImportFile(body.kind, body.csv);
      const { id, background } = await runner.create(req.actor, body, file, credentialsOf(req.headers));
      if (background) {
        runner.start(id);
        return reply.status(202).header('location', `/api/inventory/imports/${id}`).send((await loadImport(db, id))!);
      }
      await runner.runNow(id);
      return reply.status(201).send((await loadImport(db, id))!);
    },
  );

  app.get(
    '/imports',
    {
      config: { permission: IMPORT_PERMISSION },
      schema: {
        summary: 'Import jobs, newest first',
        querystring: Type.Object({ kind: Type.Optional(lit(IMPORT_KINDS)), status: Type.Optional(lit(IMPORT_STATUSES)), ...PageQuery }, { additionalProperties: false }),
        response: { 200: Page(ImportSummary), ...errorResponses },
      },
    },
    async (req) => {
      const q = req.query;
      const { limit, offset } = pageOf(q);
      const params: unknown[] = [];
      const p = (v: unknown) => (params.push(v), `$${params.length}`);
      const where: string[] = [];
      if (q.kind) where.push(`kind = ${p(q.kind)}`);
      if (q.status) where.push(`status = ${p(q.status)}`);
      const rows = await db.execute<Record<string, any>>(
        `SELECT id, number, kind, status, dry_run, skip_invalid_rows, as_of, file_name, background, total_rows, validated_rows, processed_rows, invalid_rows, imported_rows,
                created_count, updated_count, unchanged_count, error_count, move_ids, detail, created_by_label, created_at, started_at, finished_at, count(*) OVER () AS total
           FROM inventory_import ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY created_at DESC, number DESC LIMIT ${p(limit)} OFFSET ${p(offset)}`,
        params,
      );
      return { data: rows.map(importSummary), total: rows.length ? Number(rows[0].total) : 0, limit, offset };
    },
  );

  app.get(
    '/imports/:id',
    {
      config: { permission: IMPORT_PERMISSION },
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
    '/imports/:id/errors.csv',
    {
      config: { permission: IMPORT_PERMISSION },
      schema: { summary: "An import's problems as CSV (row, column, message, value)", params: IdParams, response: { 200: Type.String(), ...errorResponses } },
    },
    async (req, reply) => {
      const [job] = await db.execute<{ number: string }>(`SELECT number FROM inventory_import WHERE id = $1`, [req.params.id]);
      if (!job) throw problems.notFound('import', req.params.id);
      const rows = await db.execute<{ row_no: number; col: string | null; message: string; value: string | null }>(
        `SELECT row_no, col, message, value FROM inventory_import_error WHERE import_id = $1 ORDER BY row_no, id`,
        [req.params.id],
      );
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="import-${job.number}-errors.csv"`)
        .send(toCsv(['row', 'column', 'message', 'value'], rows.map((r) => [r.row_no, r.col, r.message, r.value === null ? null : neutraliseFormula(r.value)])));
    },
  );

  exportRoutes(app, ctx, options);
}

// ---------------------------------------------------------------------------------------------
// Exports

/** Stream the rows of `sql` as CSV from a cursor in one snapshot (the core's sendQueryAsCsv). */
function sendCsv(ctx: PluginContext<any>, reply: import('fastify').FastifyReply, name: string, header: string[], sql: string, params: unknown[], toRow: (r: Record<string, any>) => CsvValue[]) {
  return sendQueryAsCsv(ctx, reply, { fileName: `inventory-${name}-${new Date().toISOString().slice(0, 10)}.csv`, header, sql, params, toRow });
}

const text = (v: unknown) => (v === null || v === undefined ? null : neutraliseFormula(String(v)));
const SKU_OF = (itemExpr: string) => `(SELECT min(x.value) FROM core_identifier x WHERE x.type = 'sku' AND x.target_type = 'core.item' AND x.target_id = ${itemExpr})`;
/** Every location's path from the site; used to name locations in exports as the imports accept them. */
const PATHS_CTE = `paths AS (SELECT id, name::text AS path FROM core_location WHERE parent_id IS NULL
  UNION ALL SELECT c.id, paths.path || ' / ' || c.name FROM core_location c JOIN paths ON c.parent_id = paths.id)`;

const ExportNote = 'Streams CSV (UTF-8, comma-separated, CRLF). Amounts appear only to callers with inventory.valuation.read. Text that a spreadsheet would run as a formula is prefixed with an apostrophe.';

function exportRoutes(app: PluginApp, ctx: PluginContext<any>, options: InventoryOptions) {
  const mu = options.currencyMinorUnits;
  const csvResponse = { 200: Type.String({ description: 'text/csv' }), ...errorResponses };

  app.get(
    '/export/stock.csv',
    {
      config: { permission: permissions.stockRead },
      schema: {
        summary: 'Stock on hand as CSV',
        description: `The rows of GET /stock with its filters (no paging). ${ExportNote}`,
        querystring: Type.Object(
          {
            itemId: Type.Optional(Uuid),
            locationId: Type.Optional(Uuid),
            lotId: Type.Optional(Uuid),
            q: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
            groupBy: Type.Optional(Type.Union([Type.Literal('item'), Type.Literal('location'), Type.Literal('lot')], { default: 'location' })),
            includeZero: Type.Optional(Type.Boolean({ default: false })),
          },
          { additionalProperties: false },
        ),
        response: csvResponse,
      },
    },
    async (req, reply) => {
      const q = req.query;
      const groupBy = q.groupBy ?? 'location';
      const params: unknown[] = [];
      const p = (v: unknown) => (params.push(v), `$${params.length}`);
      const where: string[] = [];
      const ctes = [PATHS_CTE];
      if (q.locationId) {
        ctes.push(subtreeCte(`${p(q.locationId)}::uuid`));
        where.push('b.location_id IN (SELECT id FROM sub)');
      }
      if (q.itemId) where.push(`b.item_id = ${p(q.itemId)}`);
      if (q.lotId) where.push(`b.lot_id = ${p(q.lotId)}`);
      if (q.q) where.push(`i.name ILIKE ${p('%' + q.q.replace(/[\\%_]/g, (c) => '\\' + c) + '%')}`);
      const keys = groupBy === 'item' ? ['b.item_id'] : groupBy === 'location' ? ['b.item_id', 'b.location_id'] : ['b.item_id', 'b.location_id', 'b.lot_id'];
      const costs = canSeeCost(req.actor);
      const sql = `WITH RECURSIVE ${ctes.join(', ')}
        SELECT ${keys.join(', ')}, min(i.name) AS item_name, ${SKU_OF('b.item_id')} AS sku, min(i.unit_of_measure) AS uom,
               sum(b.on_hand) AS on_hand, sum(b.reserved) AS reserved,
               ${groupBy === 'item' ? 'NULL::uuid AS location_id, NULL AS location_name, NULL AS location_code, NULL AS location_path' : 'min(loc.name) AS location_name, min(loc.code) AS location_code, min(pa.path) AS location_path'},
               ${groupBy === 'lot' ? "min(l.code) AS lot_code, min(to_char(l.expires_on, 'YYYY-MM-DD')) AS expires_on, bool_or(l.blocked) AS blocked" : 'NULL::uuid AS lot_id, NULL AS lot_code, NULL AS expires_on, NULL::boolean AS blocked'},
               min(vs.qty) AS v_qty, min(vs.value) AS v_value
          FROM inventory_balance b JOIN core_item i ON i.id = b.item_id
          JOIN core_location loc ON loc.id = b.location_id JOIN paths pa ON pa.id = b.location_id
          LEFT JOIN inventory_lot l ON l.id = b.lot_id
          LEFT JOIN inventory_valuation_state vs ON vs.item_id = b.item_id
         ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
         GROUP BY ${keys.join(', ')} ${q.includeZero ? '' : 'HAVING sum(b.on_hand) <> 0 OR sum(b.reserved) <> 0'}
         ORDER BY item_name, b.item_id, location_name NULLS FIRST${groupBy === 'item' ? '' : ', b.location_id'}${groupBy === 'lot' ? ', expires_on NULLS LAST, lot_code, b.lot_id' : ''}`;
      const header = ['item_id', 'item', 'sku', 'uom', 'location_id', 'location', 'location_code', 'location_path', 'lot_id', 'lot', 'expires_on', 'lot_blocked', 'on_hand', 'reserved', 'available', ...(costs ? ['unit_value', 'value'] : [])];
      return sendCsv(ctx, reply, 'stock', header, sql, params, (r) => {
        const onHand = dec(r.on_hand);
        const reserved = dec(r.reserved);
        const unit = r.v_qty !== null && dec(r.v_qty).gt(0) ? dec(r.v_value).div(dec(r.v_qty)) : null;
        return [
          r.item_id,
          text(r.item_name),
          text(r.sku),
          r.uom,
          r.location_id,
          text(r.location_name),
          text(r.location_code),
          text(r.location_path),
          r.lot_id,
          text(r.lot_code),
          r.expires_on,
          r.blocked,
          qtyText(onHand),
          qtyText(reserved),
          qtyText(onHand.minus(reserved)),
          ...(costs ? [unit ? qtyText(unit) : null, unit ? money(onHand.times(unit), mu).toFixed(mu) : null] : []),
        ];
      });
    },
  );

  app.get(
    '/export/moves.csv',
    {
      config: { permission: permissions.stockRead },
      schema: {
        summary: 'Stock moves as CSV, one row per line',
        description: `The moves of GET /moves with its filters (no paging), newest first. Rows are move lines: the item, lot, serial and location filters pick the lines they match. ${ExportNote}`,
        querystring: Type.Object(
          {
            type: Type.Optional(lit(MOVE_TYPES)),
            itemId: Type.Optional(Uuid),
            locationId: Type.Optional(Uuid),
            lotId: Type.Optional(Uuid),
            serial: Type.Optional(Type.String({ minLength: 1 })),
            reference: Type.Optional(Type.String({ minLength: 1 })),
            from: Type.Optional(Type.String({ format: 'date-time' })),
            to: Type.Optional(Type.String({ format: 'date-time' })),
          },
          { additionalProperties: false },
        ),
        response: csvResponse,
      },
    },
    async (req, reply) => {
      const q = req.query;
      const params: unknown[] = [];
      const p = (v: unknown) => (params.push(v), `$${params.length}`);
      const where: string[] = [];
      let cte = '';
      if (q.type) where.push(`m.type = ${p(q.type)}`);
      if (q.reference) where.push(`m.reference = ${p(q.reference)}`);
      if (q.from) where.push(`m.effective_at >= ${p(q.from)}`);
      if (q.to) where.push(`m.effective_at < ${p(q.to)}`);
      if (q.itemId) where.push(`ml.item_id = ${p(q.itemId)}`);
      if (q.lotId) where.push(`ml.lot_id = ${p(q.lotId)}`);
      if (q.serial) where.push(`ml.serial_id IN (SELECT id FROM inventory_serial WHERE serial = ${p(q.serial)})`);
      if (q.locationId) {
        cte = `WITH RECURSIVE ${subtreeCte(`${p(q.locationId)}::uuid`)} `;
        where.push('(ml.from_location_id IN (SELECT id FROM sub) OR ml.to_location_id IN (SELECT id FROM sub))');
      }
      const costs = canSeeCost(req.actor);
      const sql = `${cte}SELECT m.id, m.number, m.type, m.reference, m.effective_at, m.posted_at, m.posted_by_label, m.reverses_move_id,
               ml.id AS line_id, ml.line_no, ml.item_id, i.name AS item_name, ${SKU_OF('ml.item_id')} AS sku, fl.name AS from_name, tl.name AS to_name,
               lt.code AS lot, s.serial, ml.qty, i.unit_of_measure AS base_uom, ml.uom, ml.uom_qty, ml.unit_cost, ml.amount, ml.reason
          FROM inventory_move m JOIN inventory_move_line ml ON ml.move_id = m.id JOIN core_item i ON i.id = ml.item_id
          LEFT JOIN core_location fl ON fl.id = ml.from_location_id LEFT JOIN core_location tl ON tl.id = ml.to_location_id
          LEFT JOIN inventory_lot lt ON lt.id = ml.lot_id LEFT JOIN inventory_serial s ON s.id = ml.serial_id
         ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
         ORDER BY m.effective_at DESC, m.number DESC, ml.line_no`;
      const header = [
        'move_number', 'move_id', 'type', 'reference', 'effective_at', 'posted_at', 'posted_by', 'reverses_move_id', 'line_no', 'line_id',
        'item_id', 'item', 'sku', 'from_location', 'to_location', 'lot', 'serial', 'qty', 'base_uom', 'uom', 'uom_qty', ...(costs ? ['unit_cost', 'amount'] : []), 'reason',
      ];
      return sendCsv(ctx, reply, 'moves', header, sql, params, (r) => [
        String(r.number),
        r.id,
        r.type,
        text(r.reference),
        isoOf(r.effective_at),
        isoOf(r.posted_at),
        text(r.posted_by_label),
        r.reverses_move_id,
        r.line_no,
        String(r.line_id),
        r.item_id,
        text(r.item_name),
        text(r.sku),
        text(r.from_name),
        text(r.to_name),
        text(r.lot),
        text(r.serial),
        qtyText(r.qty),
        r.base_uom,
        r.uom,
        qtyText(r.uom_qty),
        ...(costs ? [r.unit_cost === null ? null : qtyText(r.unit_cost), r.amount === null ? null : dec(r.amount).toFixed(mu)] : []),
        text(r.reason),
      ]);
    },
  );

  app.get(
    '/export/lots.csv',
    {
      config: { permission: permissions.stockRead },
      schema: {
        summary: 'Lots and expiry as CSV',
        description: `The lots of GET /lots with its filters (no paging). ${ExportNote}`,
        querystring: Type.Object(
          {
            itemId: Type.Optional(Uuid),
            code: Type.Optional(Type.String({ minLength: 1 })),
            expiringWithinDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 3650 })),
            expired: Type.Optional(Type.Boolean()),
            blocked: Type.Optional(Type.Boolean()),
            inStock: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false },
        ),
        response: csvResponse,
      },
    },
    async (req, reply) => {
      const q = req.query;
      const params: unknown[] = [new Date().toISOString().slice(0, 10)];
      const p = (v: unknown) => (params.push(v), `$${params.length}`);
      const where: string[] = [];
      if (q.itemId) where.push(`item_id = ${p(q.itemId)}`);
      if (q.code) where.push(`code = ${p(q.code)}`);
      if (q.blocked !== undefined) where.push(q.blocked ? 'blocked' : 'NOT blocked');
      if (q.expiringWithinDays !== undefined) where.push(`days BETWEEN 0 AND ${p(q.expiringWithinDays)} AND on_hand > 0`);
      if (q.expired) where.push('days < 0 AND on_hand > 0');
      if (q.inStock !== undefined) where.push(q.inStock ? 'on_hand > 0' : 'on_hand <= 0');
      const sql = `SELECT * FROM (
          SELECT l.id, l.item_id, i.name AS item_name, ${SKU_OF('l.item_id')} AS sku, l.code, to_char(l.expires_on, 'YYYY-MM-DD') AS expires_on,
                 to_char(l.manufactured_on, 'YYYY-MM-DD') AS manufactured_on, l.blocked, l.block_reason, l.created_at, (l.expires_on - $1::date) AS days,
                 coalesce((SELECT sum(b.on_hand) FROM inventory_balance b WHERE b.lot_id = l.id), 0) AS on_hand
            FROM inventory_lot l JOIN core_item i ON i.id = l.item_id) x
         ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
         ORDER BY expires_on NULLS LAST, item_name, code, id`;
      const warn = q.expiringWithinDays ?? 30;
      const header = ['lot_id', 'item_id', 'item', 'sku', 'lot', 'expires_on', 'manufactured_on', 'days_to_expiry', 'status', 'blocked', 'block_reason', 'on_hand', 'created_at'];
      return sendCsv(ctx, reply, 'lots', header, sql, params, (r) => {
        const days = r.days === null ? null : Number(r.days);
        const status = r.blocked ? 'blocked' : days === null ? 'ok' : days < 0 ? 'expired' : days <= warn ? 'expiring' : 'ok';
        return [r.id, r.item_id, text(r.item_name), text(r.sku), text(r.code), r.expires_on, r.manufactured_on, days, status, r.blocked, text(r.block_reason), qtyText(r.on_hand), isoOf(r.created_at)];
      });
    },
  );

  app.get(
    '/export/reservations.csv',
    {
      config: { permission: permissions.stockRead },
      schema: {
        summary: 'Reservations as CSV',
        description: `The reservations of GET /reservations with its filters (no paging), newest first. Expired reservations are released first, as the list does. ${ExportNote}`,
        querystring: Type.Object(
          {
            itemId: Type.Optional(Uuid),
            locationId: Type.Optional(Uuid),
            status: Type.Optional(lit(['active', 'released', 'consumed', 'expired'] as const)),
            reference: Type.Optional(Type.String({ minLength: 1 })),
          },
          { additionalProperties: false },
        ),
        response: csvResponse,
      },
    },
    async (req, reply) => {
      await expireReservations(ctx, req.actor);
      const q = req.query;
      const params: unknown[] = [];
      const p = (v: unknown) => (params.push(v), `$${params.length}`);
      const where: string[] = [];
      if (q.itemId) where.push(`r.item_id = ${p(q.itemId)}`);
      if (q.locationId) where.push(`r.location_id = ${p(q.locationId)}`);
      if (q.status) where.push(`r.status = ${p(q.status)}`);
      if (q.reference) where.push(`r.reference = ${p(q.reference)}`);
      const sql = `SELECT r.*, i.name AS item_name, ${SKU_OF('r.item_id')} AS sku, loc.name AS location_name
          FROM inventory_reservation r JOIN core_item i ON i.id = r.item_id JOIN core_location loc ON loc.id = r.location_id
         ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY r.created_at DESC, r.id`;
      const header = ['reservation_id', 'item_id', 'item', 'sku', 'location_id', 'location', 'qty', 'consumed', 'remaining', 'status', 'reference_type', 'reference', 'expires_at', 'created_at', 'created_by', 'closed_at'];
      return sendCsv(ctx, reply, 'reservations', header, sql, params, (r) => [
        r.id,
        r.item_id,
        text(r.item_name),
        text(r.sku),
        r.location_id,
        text(r.location_name),
        qtyText(r.qty),
        qtyText(r.consumed_qty),
        qtyText(r.status === 'active' ? dec(r.qty).minus(dec(r.consumed_qty)) : 0),
        r.status,
        text(r.reference_type),
        text(r.reference),
        isoOf(r.expires_at),
        isoOf(r.created_at),
        text(r.created_by_label),
        isoOf(r.closed_at),
      ]);
    },
  );

  app.get(
    '/export/counts.csv',
    {
      config: { permission: permissions.stockRead },
      schema: {
        summary: 'Counts as CSV, one row per count line',
        description: `The counts of GET /counts with its filter (no paging), newest first, one row per line; \`countId\` exports one count. Expected quantities (and so variances) stay hidden while a blind count is counting. ${ExportNote}`,
        querystring: Type.Object(
          { status: Type.Optional(lit(['counting', 'review', 'posted', 'cancelled'] as const)), countId: Type.Optional(Uuid) },
          { additionalProperties: false },
        ),
        response: csvResponse,
      },
    },
    async (req, reply) => {
      const q = req.query;
      const params: unknown[] = [];
      const p = (v: unknown) => (params.push(v), `$${params.length}`);
      const where: string[] = [];
      if (q.status) where.push(`c.status = ${p(q.status)}`);
      if (q.countId) where.push(`c.id = ${p(q.countId)}`);
      const costs = canSeeCost(req.actor);
      const sql = `SELECT c.id AS count_id, c.number, c.name, c.kind, c.status AS count_status, c.blind, c.started_at, c.closed_at, cl_loc.name AS count_location,
               cl.id AS line_id, cl.item_id, i.name AS item_name, ${SKU_OF('cl.item_id')} AS sku, i.unit_of_measure AS uom, loc.name AS location_name,
               lt.code AS lot, s.serial, cl.expected_qty, cl.counted_qty, cl.recount_qty, cl.status, cl.counted_by_label,
               CASE WHEN vs.qty > 0 THEN vs.value / vs.qty END AS unit_value
          FROM inventory_count c JOIN core_location cl_loc ON cl_loc.id = c.location_id
          JOIN inventory_count_line cl ON cl.count_id = c.id JOIN core_item i ON i.id = cl.item_id JOIN core_location loc ON loc.id = cl.location_id
          LEFT JOIN inventory_lot lt ON lt.id = cl.lot_id LEFT JOIN inventory_serial s ON s.id = cl.serial_id
          LEFT JOIN inventory_valuation_state vs ON vs.item_id = cl.item_id
         ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
         ORDER BY c.started_at DESC, c.number DESC, loc.name, i.name, lt.code NULLS FIRST, s.serial NULLS FIRST, cl.id`;
      const header = [
        'count_number', 'count_id', 'count_name', 'kind', 'count_status', 'count_location', 'blind', 'started_at', 'closed_at', 'line_id', 'item_id', 'item', 'sku', 'uom',
        'location', 'lot', 'serial', 'expected_qty', 'counted_qty', 'recount_qty', 'line_status', 'variance_qty', ...(costs ? ['variance_value'] : []), 'counted_by',
      ];
      return sendCsv(ctx, reply, 'counts', header, sql, params, (r) => {
        const hide = r.blind && r.count_status === 'counting';
        const variance = hide ? null : varianceOf(r.expected_qty, r.counted_qty, r.recount_qty);
        const value = variance ? (r.unit_value !== null ? money(variance.times(dec(r.unit_value)), mu) : dec(0)) : null;
        return [
          String(r.number),
          r.count_id,
          text(r.name),
          r.kind,
          r.count_status,
          text(r.count_location),
          r.blind,
          isoOf(r.started_at),
          isoOf(r.closed_at),
          String(r.line_id),
          r.item_id,
          text(r.item_name),
          text(r.sku),
          r.uom,
          text(r.location_name),
          text(r.lot),
          text(r.serial),
          hide ? null : qtyText(r.expected_qty),
          r.counted_qty === null ? null : qtyText(r.counted_qty),
          r.recount_qty === null ? null : qtyText(r.recount_qty),
          r.status,
          variance ? qtyText(variance) : null,
          ...(costs ? [value ? value.toFixed(mu) : null] : []),
          text(r.counted_by_label),
        ];
      });
    },
  );
}
