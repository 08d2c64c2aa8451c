/**
 * CSV import of the asset register (the shape of the inventory plugin's imports: a job per file,
 * a row-by-row report, progress, all or nothing).
 *
 * A job reads the whole file first (a file that is not usable CSV is answered at once, 422). Then
 * every row is checked, in two steps: the cells on their own and the names they refer to
 * (category, location, SKU, custodian, parent tag, tags taken, book parameters), and then a trial:
 * each row is registered through the register's own services (createAsset, setAssetBook, the
 * lifecycle) inside a transaction that is always rolled back, so the rules that apply are exactly
 * those of the API. Only when no row has a problem is anything written, in batches, each batch one
 * transaction with its audit records, events and the job's progress; each row is checked again as
 * it is written. Rows that name a parent in the file are written after that parent.
 */
import { hasPermission, ProblemError, problems, type Actor, type FieldError, type PluginContext, type Transaction } from '@quartermaster/sdk';
import { ASSET_CONDITIONS, permissions, type AssetStatus, type ImportMode, type ImportStatus } from '../../shared/index.js';
import { looksBinary, normaliseHeader, parseCsv } from '@quartermaster/sdk';
import { tagProblem } from '../../domain/asset-tag.js';
import { isIsoDate } from '../../domain/custom-fields.js';
import { CONVENTIONS, DEPRECIATION_METHODS } from '../../domain/depreciation/index.js';
import { dec, isDecimal } from '../../domain/money.js';
import type { FixedAssetsOptions } from '../options.js';
import { assetBookOf, setAssetBook, type AssetBookInput } from './asset-books.service.js';
import { createAsset, updateAsset, type CreateAssetInput, type UpdateAssetInput } from './assets.service.js';
import { attempt, isoOf, pgCode, readerOf, type Db } from './db.js';
import { transitionAsset } from './lifecycle.service.js';
import { moveAsset } from './moves.service.js';

/** Files up to this many rows are imported inside the request; larger ones in the background. */
export const SYNC_MAX_ROWS = 2_000;
/** Rows per transaction, when checking and when writing. */
export const BATCH_ROWS = 500;
export const MAX_CSV_BYTES = 20 * 1024 * 1024;
/** Errors kept per job; the count goes on. */
export const MAX_STORED_ERRORS = 10_000;
/** How long a server owns a job it works on before another may take it over. */
const LEASE_SECONDS = 300;

export interface RowError {
  row: number;
  column: string | null;
  message: string;
  value?: string | null;
}

// ---------------------------------------------------------------------------------------------
// Columns

interface Column {
  key: string;
  aliases?: string[];
  required?: boolean;
}

/** The register's columns, in the order the export writes them. */
export const ASSET_COLUMNS: Column[] = [
  { key: 'tag', aliases: ['asset_tag'] },
  { key: 'name', required: true, aliases: ['asset_name'] },
  { key: 'serial_number', aliases: ['serial', 'serial_no'] },
  { key: 'category', aliases: ['category_path'] },
  { key: 'item_sku', aliases: ['sku'] },
  { key: 'location', aliases: ['location_code', 'location_path'] },
  { key: 'parent_tag', aliases: ['parent'] },
  { key: 'status' },
  { key: 'condition' },
  { key: 'custodian_user', aliases: ['custodian_email', 'custodian_e_mail'] },
  { key: 'custodian_person', aliases: ['custodian_employee_number'] },
  { key: 'department' },
  { key: 'cost_centre', aliases: ['cost_center'] },
  { key: 'supplier', aliases: ['vendor'] },
  { key: 'purchase_date', aliases: ['acquisition_date'] },
  { key: 'invoice_number', aliases: ['invoice'] },
  { key: 'acquisition_cost', aliases: ['cost', 'purchase_price'] },
  { key: 'currency' },
  { key: 'warranty_end', aliases: ['warranty_until'] },
  { key: 'notes' },
  { key: 'custom_fields' },
];

/** Per-book columns `<book>_<param>` (e.g. `financial_method`, `tax_accumulated`), in export order. */
export const BOOK_PARAMS: Column[] = [
  { key: 'method' },
  { key: 'cost_basis' },
  { key: 'salvage', aliases: ['salvage_value', 'residual_value'] },
  { key: 'life_years', aliases: ['useful_life_years', 'useful_life', 'life'] },
  { key: 'recovery_period', aliases: ['recovery_period_years'] },
  { key: 'convention' },
  { key: 'factor' },
  { key: 'rate' },
  { key: 'switch_to_straight_line', aliases: ['switch_to_sl'] },
  { key: 'total_units' },
  { key: 'units_by_period' },
  { key: 'placed_in_service', aliases: ['in_service_date'] },
  { key: 'accumulated', aliases: ['opening_accumulated', 'accumulated_depreciation'] },
];

/** Statuses a row may carry: registered in the first three, then moved on through the lifecycle. */
const IMPORT_STATUSES_ALLOWED: AssetStatus[] = ['ordered', 'received', 'in-service', 'in-maintenance', 'in-transit', 'retired'];
const INITIAL: AssetStatus[] = ['ordered', 'received', 'in-service'];

export interface DataRow {
  row: number;
  /** Cells by column id (`name`, `financial:method`); columns the file does not have are absent. */
  values: Record<string, string>;
  error?: string;
}

export interface ImportFile {
  /** Column ids in file order. */
  columns: string[];
  /** Header as written, by column id (for the report). */
  headerOf: Record<string, string>;
  /** Books the file has columns for. */
  books: string[];
  rows: DataRow[];
}

export const invalidCsv = (detail: string, extensions: Record<string, unknown> = {}) =>
  new ProblemError({ type: 'fixed-assets/invalid-csv', status: 422, title: 'Not a usable CSV file', detail, extensions });

/** Spreadsheet formula protection the export adds (`'=…`) comes off again. */
const unneutralise = (v: string) => (/^'[=+\-@\t\r]/.test(v) ? v.slice(1) : v);

/** Read and check the shape of a file: text, comma-separated, with a known header. Throws 422 fixed-assets/invalid-csv. */
export function readAssetFile(csv: string, bookCodes: string[]): ImportFile {
  if (!csv.trim()) throw invalidCsv('The file is empty');
  if (looksBinary(csv)) throw invalidCsv('The file is not text (it holds binary data); export it from your spreadsheet as CSV (UTF-8)');
  const parsed = parseCsv(csv);
  if (parsed.fatal) throw invalidCsv(`Line ${parsed.fatal.line}: ${parsed.fatal.message}`, { line: parsed.fatal.line });
  const [head, ...records] = parsed.records;
  if (!head) throw invalidCsv('The file is empty');
  if (head.error) throw invalidCsv(`The header row is malformed: ${head.error}`);
  const known = new Map<string, string>();
  for (const c of ASSET_COLUMNS) for (const n of [c.key, ...(c.aliases ?? [])]) known.set(n, c.key);
  for (const code of bookCodes) {
    const b = normaliseHeader(code);
    for (const p of BOOK_PARAMS) for (const n of [p.key, ...(p.aliases ?? [])]) known.set(`${b}_${n}`, `${code}:${p.key}`);
  }
  let header = head.cells;
  while (header.length > 1 && !header[header.length - 1].trim()) header = header.slice(0, -1);
  if (header.length === 1) {
    for (const [sep, name] of [[';', 'semicolons'], ['\t', 'tabs'], ['|', 'vertical bars']] as const) {
      const parts = header[0].split(sep);
      if (parts.length > 1 && parts.some((p) => known.has(normaliseHeader(p)))) throw invalidCsv(`The file is separated by ${name}; columns must be separated by commas (RFC 4180)`, { delimiter: sep });
    }
  }
  const columns: string[] = [];
  const headerOf: Record<string, string> = {};
  const unknown: string[] = [];
  header.forEach((name, i) => {
    const id = known.get(normaliseHeader(name));
    if (!name.trim()) unknown.push(`(column ${i + 1} has no name)`);
    else if (!id) unknown.push(name.trim());
    else if (headerOf[id] !== undefined) throw invalidCsv(`Column "${name.trim()}" appears twice (as "${headerOf[id]}" too)`, { column: name.trim() });
    columns.push(id ?? '');
    if (id) headerOf[id] = name.trim();
  });
  if (unknown.length) {
    throw invalidCsv(
      `Unknown column${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `"${u}"`).join(', ')}; an asset file has the columns ${ASSET_COLUMNS.map((c) => c.key).join(', ')}, and per book <book>_${BOOK_PARAMS.map((p) => p.key).join(', <book>_')} (books: ${bookCodes.join(', ')})`,
      { unknown, expected: ASSET_COLUMNS.map((c) => c.key), books: bookCodes },
    );
  }
  const missing = ASSET_COLUMNS.filter((c) => c.required && headerOf[c.key] === undefined).map((c) => c.key);
  if (missing.length) throw invalidCsv(`Missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`, { missing });
  if (!records.length) throw invalidCsv('The file has a header but no rows');
  const rows: DataRow[] = records.map((r) => {
    const values: Record<string, string> = {};
    columns.forEach((id, i) => (values[id] = unneutralise((r.cells[i] ?? '').trim())));
    let error = r.error;
    if (!error && r.cells.length < columns.length) error = `has ${r.cells.length} field${r.cells.length === 1 ? '' : 's'}, the header has ${columns.length}`;
    if (!error && r.cells.slice(columns.length).some((c) => c.trim())) error = `has ${r.cells.length} fields, the header has ${columns.length}`;
    return error ? { row: r.row, values, error } : { row: r.row, values };
  });
  const books = bookCodes.filter((code) => columns.some((c) => c.startsWith(`${code}:`)));
  return { columns, headerOf, books, rows };
}

// ---------------------------------------------------------------------------------------------
// Planning: every cell checked, every name resolved

class RowIssues {
  readonly errors: RowError[] = [];
  readonly bad = new Set<number>();
  constructor(private readonly file: ImportFile) {}
  /** `column`: a column id; reported by its header as written (or its canonical name when the file lacks it). */
  add(row: DataRow | number, column: string | null, message: string) {
    const r = typeof row === 'number' ? row : row.row;
    const values = typeof row === 'number' ? undefined : row.values;
    this.errors.push({ row: r, column: column ? this.header(column) : null, message, value: column && values ? (values[column] ?? null) : null });
    this.bad.add(r);
  }
  header(column: string) {
    return this.file.headerOf[column] ?? column.replace(':', '_');
  }
  /** A problem found by the register's services for a row; `column` is a column id. */
  addFound(row: number, column: string | null, message: string) {
    this.byRow ??= new Map(this.file.rows.map((r) => [r.row, r]));
    const r = this.byRow.get(row);
    if (r) this.add(r, column, message);
    else this.add(row, column, message);
  }
  private byRow?: Map<number, DataRow>;
}

export interface RowPlan {
  row: number;
  /** upsert: the registered asset this row updates. */
  existing: { id: string; status: AssetStatus; location_id: string | null; parent_id: string | null } | null;
  input: CreateAssetInput;
  parentTag: string | null;
  /** When the parent is a row of the file: its location, for checking rows before the parent exists. */
  parentLocationId: string | null;
  status: AssetStatus | null;
  books: { code: string; input: AssetBookInput }[];
  /** Position in writing order (parents before their components). */
  depth: number;
}

const pathKey = (v: string) =>
  v
    .split('/')
    .map((s) => s.trim().replace(/\s+/g, ' ').toLowerCase())
    .join(' / ');

type Ref = { id: string } | { error: string };

/** Categories by path (`Equipment / Laptops`) or by a name only one category has. */
async function resolveCategories(db: Db, values: string[]): Promise<Map<string, Ref>> {
  const out = new Map<string, Ref>();
  if (!values.length) return out;
  const all = await db.execute<{ id: string; path: string; name: string }>(
    `WITH RECURSIVE p AS (SELECT id, name::text AS name, name::text AS path FROM core_category WHERE parent_id IS NULL
                          UNION ALL SELECT c.id, c.name::text, p.path || ' / ' || c.name FROM core_category c JOIN p ON c.parent_id = p.id)
     SELECT id, path, name FROM p`,
  );
  const byPath = new Map(all.map((c) => [pathKey(c.path), c.id]));
  const byName = new Map<string, string[]>();
  for (const c of all) byName.set(c.name.toLowerCase(), [...(byName.get(c.name.toLowerCase()) ?? []), c.path]);
  for (const v of new Set(values)) {
    const id = byPath.get(pathKey(v));
    if (id) out.set(v, { id });
    else {
      const named = byName.get(v.trim().toLowerCase()) ?? [];
      if (named.length === 1) out.set(v, { id: byPath.get(pathKey(named[0]))! });
      else if (named.length > 1) out.set(v, { error: `${named.length} categories are named ${v} (${named.join(', ')}); give the path` });
      else out.set(v, { error: 'no category has this path or name (give the path from the top, e.g. "Equipment / Laptops")' });
    }
  }
  return out;
}

/** Locations by code (exact) or path from the site (`Main DC / Floor 2 / Room 201`, any case). */
async function resolveLocations(db: Db, values: string[]): Promise<Map<string, Ref>> {
  const out = new Map<string, Ref>();
  const distinct = [...new Set(values)];
  if (!distinct.length) return out;
  const byCode = await db.execute<{ id: string; code: string; name: string }>(`SELECT id, code, name FROM core_location WHERE code = ANY($1::text[])`, [distinct]);
  const codes = new Map<string, typeof byCode>();
  for (const l of byCode) codes.set(l.code, [...(codes.get(l.code) ?? []), l]);
  const lastNames = distinct.filter((v) => !codes.has(v)).map((v) => v.split('/').pop()!.trim().toLowerCase());
  const paths = lastNames.length
    ? await db.execute<{ id: string; path: string }>(
        `WITH RECURSIVE cand AS (SELECT id FROM core_location WHERE lower(name) = ANY($1::text[])),
           up AS (SELECT c.id AS start, t.id, t.parent_id, t.name, 0 AS lvl FROM cand c JOIN core_location t ON t.id = c.id
                  UNION ALL SELECT up.start, p.id, p.parent_id, p.name, up.lvl + 1 FROM core_location p JOIN up ON p.id = up.parent_id)
         SELECT start AS id, string_agg(name::text, ' / ' ORDER BY lvl DESC) AS path FROM up GROUP BY start`,
        [[...new Set(lastNames)]],
      )
    : [];
  const byPath = new Map(paths.map((p) => [pathKey(p.path), p.id]));
  for (const v of distinct) {
    const found = codes.get(v);
    if (found?.length === 1) out.set(v, { id: found[0].id });
    else if (found) out.set(v, { error: `code ${v} is used by ${found.length} locations (${found.map((l) => l.name).join(', ')}); give the path instead` });
    else {
      const id = byPath.get(pathKey(v));
      out.set(v, id ? { id } : { error: 'no location has this code or path (give a code, or the path from the site down, e.g. "Main DC / Room 2")' });
    }
  }
  return out;
}

const BOOL: Record<string, boolean> = { true: true, yes: true, y: true, '1': true, false: false, no: false, n: false, '0': false };

/** Check every row against the file and the database; a plan for each row (rows with problems are in `issues`). */
export async function planRows(db: Db, file: ImportFile, mode: ImportMode, issues: RowIssues): Promise<RowPlan[]> {
  const rows = file.rows.filter((r) => {
    if (r.error) issues.add(r, null, r.error);
    return !r.error;
  });
  const has = (id: string) => file.headerOf[id] !== undefined;
  const cell = (r: DataRow, id: string) => r.values[id] ?? '';
  const distinct = (id: string) => [...new Set(rows.map((r) => cell(r, id)).filter(Boolean))];

  // Names the rows refer to, resolved once each.
  const categories = await resolveCategories(db, distinct('category'));
  const locations = await resolveLocations(db, distinct('location'));
  const skus = new Map(
    (await db.execute<{ value: string; target_id: string }>(`SELECT value, target_id FROM core_identifier WHERE type = 'sku' AND target_type = 'core.item' AND value = ANY($1::text[])`, [distinct('item_sku')])).map((r) => [
      r.value,
      r.target_id,
    ]),
  );
  const users = new Map((await db.execute<{ email: string; id: string }>(`SELECT lower(email) AS email, id FROM core_user WHERE lower(email) = ANY($1::text[])`, [distinct('custodian_user').map((e) => e.toLowerCase())])).map((u) => [u.email, u.id]));
  const personValues = distinct('custodian_person');
  const persons = await db.execute<{ id: string; name: string; employee_number: string | null }>(
    `SELECT id, name, employee_number FROM fixed_assets_person WHERE employee_number = ANY($1::text[]) OR lower(name) = ANY($2::text[])`,
    [personValues, personValues.map((v) => v.toLowerCase())],
  );
  const fileTags = new Map<string, DataRow>();
  for (const r of rows) {
    const tag = cell(r, 'tag');
    if (!tag) continue;
    const first = fileTags.get(tag);
    if (first) issues.add(r, 'tag', `${tag} is on row ${first.row} too`);
    else fileTags.set(tag, r);
  }
  const registered = new Map(
    (
      await db.execute<{ tag: string; id: string; status: AssetStatus; location_id: string | null; parent_id: string | null }>(
        `SELECT tag, id, status, location_id, parent_id FROM fixed_assets_asset WHERE tag = ANY($1::text[])`,
        [[...new Set([...fileTags.keys(), ...distinct('parent_tag')])]],
      )
    ).map((a) => [a.tag, a]),
  );
  const bookRows = file.books.length
    ? await db.execute<{ code: string }>(`SELECT code FROM fixed_assets_book WHERE code = ANY($1::text[])`, [file.books])
    : [];
  const books = bookRows.map((b) => b.code);

  const plans: RowPlan[] = [];
  for (const r of rows) {
    const before = issues.errors.length;
    const err = (column: string, message: string) => issues.add(r, column, message);
    const text = (id: string) => (cell(r, id) === '' ? undefined : cell(r, id));
    const ref = (id: string, map: Map<string, Ref>) => {
      const v = text(id);
      if (v === undefined) return undefined;
      const found = map.get(v);
      if (found && 'id' in found) return found.id;
      err(id, found && 'error' in found ? found.error : 'not found');
      return undefined;
    };
    const decimal = (id: string) => {
      const v = text(id);
      if (v === undefined) return undefined;
      if (!isDecimal(v)) err(id, 'must be a number like 1249.90 (a dot for decimals, no thousands separators)');
      return v;
    };
    const date = (id: string) => {
      const v = text(id);
      if (v !== undefined && !isIsoDate(v)) err(id, 'must be a date written YYYY-MM-DD');
      return v;
    };

    const tag = text('tag');
    if (tag !== undefined) {
      const why = tagProblem(tag);
      if (why) err('tag', why);
    }
    const existingRow = tag ? registered.get(tag) : undefined;
    let existing: RowPlan['existing'] = null;
    if (existingRow && mode === 'create') err('tag', `is already registered (asset ${existingRow.id}); import with mode "upsert" to update registered assets`);
    else if (existingRow && existingRow.status === 'disposed') err('tag', 'belongs to an asset that was disposed of; its record is closed');
    else if (existingRow) existing = existingRow;

    const name = text('name');
    if (!name && !existing) err('name', 'is required');
    let status: AssetStatus | null = null;
    const s = text('status');
    if (s !== undefined) {
      if (s === 'checked-out') err('status', 'checked-out assets are imported as in-service; check them out after the import');
      else if (s === 'disposed') err('status', 'assets that were disposed of are not imported');
      else if (!(IMPORT_STATUSES_ALLOWED as string[]).includes(s)) err('status', `must be one of ${IMPORT_STATUSES_ALLOWED.join(', ')}`);
      else if (existing && s !== existing.status) err('status', `the asset is ${existing.status}; status changes through its lifecycle actions, not the import`);
      else status = s as AssetStatus;
    }
    const condition = text('condition');
    if (condition !== undefined && !(ASSET_CONDITIONS as readonly string[]).includes(condition)) err('condition', `must be one of ${ASSET_CONDITIONS.join(', ')}`);
    let currency = text('currency');
    if (currency !== undefined) {
      currency = currency.toUpperCase();
      if (!/^[A-Z]{3}$/.test(currency)) err('currency', 'must be an ISO 4217 code like EUR');
    }
    let customFields: Record<string, unknown> | undefined;
    const cf = text('custom_fields');
    if (cf !== undefined) {
      try {
        const parsed = JSON.parse(cf);
        if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) err('custom_fields', 'must be a JSON object, e.g. {"plate": "VZ-318-K"}');
        else customFields = parsed;
      } catch {
        err('custom_fields', 'is not valid JSON (write an object, e.g. {"plate": "VZ-318-K"})');
      }
    }
    let custodianPersonId: string | undefined;
    const personValue = text('custodian_person');
    if (personValue !== undefined) {
      const byNumber = persons.filter((p) => p.employee_number === personValue);
      const byName = persons.filter((p) => p.name.toLowerCase() === personValue.toLowerCase());
      const match = byNumber.length ? byNumber : byName;
      if (match.length === 1) custodianPersonId = match[0].id;
      else if (match.length > 1) err('custodian_person', `${match.length} people are named ${personValue}; give the employee number`);
      else err('custodian_person', 'no person has this employee number or name');
    }
    const email = text('custodian_user');
    const custodianUserId = email === undefined ? undefined : users.get(email.toLowerCase());
    if (email !== undefined && !custodianUserId) err('custodian_user', 'no user has this e-mail address');
    const sku = text('item_sku');
    const itemId = sku === undefined ? undefined : skus.get(sku);
    if (sku !== undefined && !itemId) err('item_sku', 'no item has this SKU');

    const parentTag = text('parent_tag') ?? null;
    if (parentTag) {
      if (parentTag === tag) err('parent_tag', 'an asset cannot be its own component');
      else if (!registered.has(parentTag) && !fileTags.has(parentTag)) err('parent_tag', 'no asset has this tag, in the register or in the file');
      else if (registered.get(parentTag)?.status === 'disposed') err('parent_tag', `${parentTag} was disposed of`);
    }

    const input: CreateAssetInput = {
      name: name ?? '',
      ...(tag !== undefined ? { tag } : {}),
      ...(text('serial_number') !== undefined ? { serialNumber: text('serial_number') } : {}),
      ...(has('category') && text('category') !== undefined ? { categoryId: ref('category', categories) } : {}),
      ...(has('location') && text('location') !== undefined ? { locationId: ref('location', locations) } : {}),
      ...(itemId ? { itemId } : {}),
      ...(custodianUserId ? { custodianUserId } : {}),
      ...(custodianPersonId ? { custodianPersonId } : {}),
      ...(text('department') !== undefined ? { department: text('department') } : {}),
      ...(text('cost_centre') !== undefined ? { costCentre: text('cost_centre') } : {}),
      ...(text('supplier') !== undefined ? { supplier: text('supplier') } : {}),
      ...(date('purchase_date') !== undefined ? { purchaseDate: text('purchase_date') } : {}),
      ...(text('invoice_number') !== undefined ? { invoiceNumber: text('invoice_number') } : {}),
      ...(decimal('acquisition_cost') !== undefined ? { acquisitionCost: text('acquisition_cost') } : {}),
      ...(currency !== undefined ? { currency } : {}),
      ...(date('warranty_end') !== undefined ? { warrantyEnd: text('warranty_end') } : {}),
      ...(condition !== undefined ? { condition: condition as CreateAssetInput['condition'] } : {}),
      ...(text('notes') !== undefined ? { notes: text('notes') } : {}),
      ...(customFields ? { customFields } : {}),
    };
    if (!existing) input.status = (status && INITIAL.includes(status) ? status : 'in-service') as CreateAssetInput['status'];

    // Depreciation books: a book is set when any of its cells is filled; method and placed-in-service date are then required.
    const bookPlans: RowPlan['books'] = [];
    for (const code of file.books) {
      const c = (p: string) => `${code}:${p}`;
      if (!BOOK_PARAMS.some((p) => text(c(p.key)) !== undefined)) continue;
      if (!books.includes(code)) {
        err(c('method'), `there is no depreciation book "${code}"`);
        continue;
      }
      const method = text(c('method'));
      if (method === undefined) err(c('method'), `is required to put the asset in the ${code} book`);
      else if (!(DEPRECIATION_METHODS as readonly string[]).includes(method)) err(c('method'), `must be one of ${DEPRECIATION_METHODS.join(', ')}`);
      const placed = date(c('placed_in_service'));
      if (placed === undefined) err(c('placed_in_service'), `is required to put the asset in the ${code} book`);
      const convention = text(c('convention'));
      if (convention !== undefined && !(CONVENTIONS as readonly string[]).includes(convention)) err(c('convention'), `must be one of ${CONVENTIONS.join(', ')}`);
      const recovery = text(c('recovery_period'));
      if (recovery !== undefined && !/^\d{1,2}$/.test(recovery)) err(c('recovery_period'), 'must be a whole number of years');
      const sw = text(c('switch_to_straight_line'));
      if (sw !== undefined && BOOL[sw.toLowerCase()] === undefined) err(c('switch_to_straight_line'), 'must be true or false');
      const units = text(c('units_by_period'))?.split(';').map((u) => u.trim());
      if (units?.some((u) => !isDecimal(u))) err(c('units_by_period'), 'must be numbers separated by ";" (units per period)');
      const b: AssetBookInput = {
        method: method as AssetBookInput['method'],
        placedInService: placed ?? '',
        ...(decimal(c('cost_basis')) !== undefined ? { costBasis: text(c('cost_basis')) } : {}),
        ...(decimal(c('salvage')) !== undefined ? { salvageValue: text(c('salvage')) } : {}),
        ...(decimal(c('life_years')) !== undefined ? { usefulLifeYears: text(c('life_years')) } : {}),
        ...(recovery !== undefined ? { recoveryPeriodYears: Number(recovery) } : {}),
        ...(convention !== undefined ? { convention } : {}),
        ...(decimal(c('factor')) !== undefined ? { factor: text(c('factor')) } : {}),
        ...(decimal(c('rate')) !== undefined ? { rate: text(c('rate')) } : {}),
        ...(sw !== undefined ? { switchToStraightLine: !!BOOL[sw.toLowerCase()] } : {}),
        ...(decimal(c('total_units')) !== undefined ? { totalUnits: text(c('total_units')) } : {}),
        ...(units ? { unitsByPeriod: units } : {}),
        ...(decimal(c('accumulated')) !== undefined ? { openingAccumulated: text(c('accumulated')) } : {}),
      };
      // Depreciation brought over cannot exceed what there is to depreciate.
      const cost = b.costBasis ?? input.acquisitionCost;
      if (b.openingAccumulated !== undefined && cost !== undefined && cost !== null && isDecimal(b.openingAccumulated) && isDecimal(cost) && isDecimal(b.salvageValue ?? 0)) {
        const room = dec(cost).minus(dec(b.salvageValue ?? 0));
        if (dec(b.openingAccumulated).lt(0)) err(c('accumulated'), 'must not be negative');
        else if (dec(b.openingAccumulated).gt(room)) err(c('accumulated'), `must not exceed cost less salvage (${room.toFixed()})`);
      }
      bookPlans.push({ code, input: b });
    }
    if (issues.errors.length > before) continue;
    plans.push({ row: r.row, existing, input, parentTag, parentLocationId: null, status, books: bookPlans, depth: 0 });
  }

  // Parents in the file go first; a loop of parents is an error of each row in it.
  const planByTag = new Map(plans.filter((p) => p.input.tag).map((p) => [p.input.tag!, p]));
  for (const p of plans) {
    const seen = new Set<RowPlan>([p]);
    let at = p.parentTag ? planByTag.get(p.parentTag) : undefined;
    while (at) {
      if (seen.has(at)) {
        issues.add(p.row, 'parent_tag', `forms a loop of parents (${[...seen].map((x) => x.input.tag).join(' → ')})`);
        break;
      }
      seen.add(at);
      p.depth++;
      at = at.parentTag ? planByTag.get(at.parentTag) : undefined;
    }
    const parent = p.parentTag ? planByTag.get(p.parentTag) : undefined;
    if (parent) p.parentLocationId = parent.input.locationId ?? null;
  }
  return plans.filter((p) => !issues.bad.has(p.row)).sort((a, b) => a.depth - b.depth || a.row - b.row);
}

// ---------------------------------------------------------------------------------------------
// Writing one row (the same code checks in the trial and writes for real)

/** API field names of the register's services → the file's columns. */
const FIELD_COLUMN: Record<string, string> = {
  name: 'name',
  tag: 'tag',
  serialNumber: 'serial_number',
  itemId: 'item_sku',
  categoryId: 'category',
  locationId: 'location',
  custodianUserId: 'custodian_user',
  custodianPersonId: 'custodian_person',
  department: 'department',
  costCentre: 'cost_centre',
  supplier: 'supplier',
  purchaseDate: 'purchase_date',
  invoiceNumber: 'invoice_number',
  acquisitionCost: 'acquisition_cost',
  currency: 'currency',
  warrantyEnd: 'warranty_end',
  condition: 'condition',
  notes: 'notes',
  customFields: 'custom_fields',
  parentId: 'parent_tag',
  status: 'status',
};
const BOOK_FIELD_PARAM: Record<string, string> = {
  method: 'method',
  cost: 'cost_basis',
  costBasis: 'cost_basis',
  salvageValue: 'salvage',
  usefulLifeYears: 'life_years',
  recoveryPeriodYears: 'recovery_period',
  convention: 'convention',
  factor: 'factor',
  rate: 'rate',
  switchToStraightLine: 'switch_to_straight_line',
  totalUnits: 'total_units',
  unitsByPeriod: 'units_by_period',
  placedInService: 'placed_in_service',
  openingAccumulated: 'accumulated',
};

class RowRefused extends Error {
  /** The file row it happened on (set while writing). */
  row?: number;
  constructor(readonly errors: { column: string | null; message: string }[]) {
    super(errors.map((e) => e.message).join('; '));
  }
}

/** A refusal of the register's services, as row errors naming columns. */
function rowErrorsOf(err: ProblemError, book?: string): { column: string | null; message: string }[] {
  const ext = (err.extensions ?? {}) as { errors?: FieldError[]; field?: string };
  const columnOf = (field: string | undefined): string | null => {
    if (!field) return null;
    const head = field.split('.')[0];
    if (book && BOOK_FIELD_PARAM[head]) return `${book}:${BOOK_FIELD_PARAM[head]}`;
    return FIELD_COLUMN[head] ?? null;
  };
  if (ext.errors?.length) {
    return ext.errors.map((e) => ({ column: columnOf(e.field), message: e.field.includes('.') && e.field.startsWith('customFields.') ? `${e.field.slice('customFields.'.length)}: ${e.message}` : e.message }));
  }
  return [{ column: columnOf(ext.field), message: err.detail ?? err.title }];
}

/** What writing a row did. */
type Applied = 'created' | 'updated' | 'unchanged';

/** Does the book row say what the plan says? (Then an upsert leaves it alone.) */
function sameBook(row: NonNullable<Awaited<ReturnType<typeof assetBookOf>>>, b: AssetBookInput, acquisitionCost: string | null): boolean {
  const num = (x: unknown) => (x === null || x === undefined ? null : dec(String(x)).toFixed());
  return (
    row.method === b.method &&
    num(row.cost_basis) === num(b.costBasis ?? acquisitionCost) &&
    num(row.salvage_value) === num(b.salvageValue ?? 0) &&
    num(row.useful_life_years) === num(b.usefulLifeYears) &&
    (row.recovery_period_years ?? null) === (b.recoveryPeriodYears ?? null) &&
    (row.convention ?? null) === (b.convention ?? null) &&
    num(row.factor) === num(b.factor) &&
    num(row.rate) === num(b.rate) &&
    row.switch_to_straight_line === !!b.switchToStraightLine &&
    num(row.total_units) === num(b.totalUnits) &&
    row.units_by_period.map((u) => num(u)).join(';') === (b.unitsByPeriod ?? []).map((u) => num(u)).join(';') &&
    row.placed_in_service === b.placedInService &&
    num(row.posted_accumulated) === num(b.openingAccumulated ?? 0)
  );
}

/** Register (or update) one row and set its books. Throws {@link RowRefused} naming columns. */
async function applyRow(tx: Transaction, plan: RowPlan, options: FixedAssetsOptions, trial: boolean): Promise<Applied> {
  const guard = async <R>(work: () => Promise<R>, book?: string): Promise<R> => {
    try {
      return await work();
    } catch (err) {
      if (err instanceof ProblemError) throw new RowRefused(rowErrorsOf(err, book));
      throw err;
    }
  };
  const input: CreateAssetInput = { ...plan.input };
  if (plan.parentTag) {
    const [parent] = await tx.execute<{ id: string }>(`SELECT id FROM fixed_assets_asset WHERE tag = $1`, [plan.parentTag]);
    if (parent) input.parentId = parent.id;
    else if (trial) {
      // Checking a row whose parent is a row of the file checked in an earlier batch (rolled back):
      // check it where the parent will be.
      if (input.locationId && plan.parentLocationId && input.locationId !== plan.parentLocationId) {
        throw new RowRefused([{ column: 'location', message: `a component is where its parent ${plan.parentTag} is; leave location empty` }]);
      }
      input.locationId = plan.parentLocationId ?? input.locationId;
    } else throw new RowRefused([{ column: 'parent_tag', message: `no asset has the tag ${plan.parentTag}` }]);
  }

  let id: string;
  let result: Applied;
  let acquisitionCost: string | null;
  if (plan.existing) {
    id = plan.existing.id;
    const { locationId } = input;
    const fields: UpdateAssetInput & { locationId?: unknown; status?: unknown } = { ...input };
    delete fields.locationId;
    delete fields.status;
    if (!fields.name) delete fields.name;
    const changed = await guard(() => updateAsset(tx, id, fields, options));
    let moved = false;
    if (locationId && locationId !== plan.existing.location_id && !input.parentId) moved = (await guard(() => moveAsset(tx, id, locationId, 'imported'))).length > 0;
    result = changed || moved ? 'updated' : 'unchanged';
    [{ acquisition_cost: acquisitionCost }] = await tx.execute<{ acquisition_cost: string | null }>(`SELECT acquisition_cost::text AS acquisition_cost FROM fixed_assets_asset WHERE id = $1`, [id]);
  } else {
    id = await guard(() => createAsset(tx, input, options));
    if (plan.status && !INITIAL.includes(plan.status)) await guard(() => transitionAsset(tx, id, plan.status!, 'imported'));
    result = 'created';
    acquisitionCost = input.acquisitionCost === undefined || input.acquisitionCost === null ? null : String(input.acquisitionCost);
  }
  for (const b of plan.books) {
    const before = plan.existing ? await assetBookOf(tx, id, b.code) : null;
    if (before && sameBook(before, b.input, acquisitionCost)) continue;
    const { after } = await guard(() => setAssetBook(tx, id, b.code, b.input, options.currencyMinorUnits), b.code);
    await tx.audit({ action: before ? 'book-updated' : 'book-added', entityType: 'fixed-assets.asset', entityId: id, after: { book: b.code, method: after.method, openingAccumulated: after.opening_accumulated, via: 'import' } });
    if (result === 'unchanged') result = 'updated';
  }
  return result;
}

/** Thrown to roll a trial back. */
class Rollback extends Error {}

/**
 * Check rows by registering them in a transaction that is always rolled back: each row in a
 * savepoint, so one refusal does not hide the next. Returns the problems found.
 */
async function trial(ctx: PluginContext<any>, actor: Actor, plans: RowPlan[], options: FixedAssetsOptions): Promise<RowError[]> {
  const found: RowError[] = [];
  try {
    await ctx.transaction(actor, async (tx) => {
      found.length = 0;
      for (const [i, plan] of plans.entries()) {
        const r = await attempt(tx, `row_${i}`, () => applyRow(tx, plan, options, true));
        if (r.ok) continue;
        if (r.error instanceof RowRefused) for (const e of r.error.errors) found.push({ row: plan.row, column: e.column, message: e.message });
        else found.push({ row: plan.row, column: null, message: `could not be stored (database error ${pgCode(r.error) ?? 'unknown'})` });
      }
      throw new Rollback();
    });
  } catch (err) {
    if (!(err instanceof Rollback)) throw err;
  }
  return found;
}

// ---------------------------------------------------------------------------------------------
// Jobs

export interface ImportRequest {
  csv: string;
  dryRun?: boolean;
  mode?: ImportMode;
  fileName?: string;
}

interface JobRow {
  id: string;
  number: string;
  mode: ImportMode;
  status: ImportStatus;
  dry_run: boolean;
  source: string | null;
  rows_total: number;
  rows_done: number;
  actor_type: Actor['type'];
  actor_id: string | null;
  token_id: string | null;
  created_by_label: string;
}


/** Refuse what the body says before anything is recorded: the size, and book columns without the depreciation permission. */
export function checkImportRequest(actor: Actor, req: ImportRequest, file: ImportFile) {
  if (Buffer.byteLength(req.csv, 'utf8') > MAX_CSV_BYTES) throw problems.validation([{ field: 'csv', message: `must be at most ${MAX_CSV_BYTES / 1024 / 1024} MB` }]);
  if (file.books.length && !hasPermission(actor, permissions.depreciationRun)) throw problems.forbidden(permissions.depreciationRun);
}

export async function bookCodes(db: Db): Promise<string[]> {
  return (await db.execute<{ code: string }>(`SELECT code FROM fixed_assets_book ORDER BY code`)).map((b) => b.code);
}

export class AssetImportRunner {
  private readonly running = new Map<string, Promise<void>>();
  private closing = false;
  private readonly db: Db;

  constructor(
    private readonly ctx: PluginContext<any>,
    private readonly options: FixedAssetsOptions,
    /** Rows per transaction, when checking and when writing. */
    private readonly batchRows = BATCH_ROWS,
    /** Files up to this many rows are imported inside the request. */
    private readonly syncMaxRows = SYNC_MAX_ROWS,
  ) {
    this.db = readerOf(ctx);
  }

  /** Record the job; `background` when the file is too large to import inside the request. */
  async create(actor: Actor, req: ImportRequest, file: ImportFile): Promise<{ id: string; background: boolean }> {
    const background = file.rows.length > this.syncMaxRows;
    const mode = req.mode ?? 'create';
    return this.ctx.transaction(actor, async (tx) => {
      const [job] = await tx.execute<{ id: string; number: string }>(
        `INSERT INTO fixed_assets_import (mode, dry_run, file_name, background, source, rows_total, actor_type, actor_id, token_id, created_by_label)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id, number::text AS number`,
        [mode, !!req.dryRun, req.fileName ?? null, background, req.csv, file.rows.length, actor.type, actor.type === 'system' ? null : actor.userId, actor.tokenId ?? null, actor.label],
      );
      await tx.audit({ action: 'created', entityType: 'fixed-assets.import', entityId: job.id, after: { number: job.number, mode, rows: file.rows.length, dryRun: !!req.dryRun, fileName: req.fileName ?? null, background } });
      return { id: job.id, background };
    });
  }

  /** Run a job to its end inside the request. */
  runNow(id: string): Promise<void> {
    return this.track(id);
  }

  /** Run a job in the background. */
  start(id: string): void {
    void this.track(id).catch(() => undefined);
  }

  /** Pick up unfinished jobs nobody works on (after a restart). */
  async resume(): Promise<void> {
    const rows = await this.db.execute<{ id: string }>(
      `SELECT id FROM fixed_assets_import WHERE status IN ('validating', 'importing') AND (locked_until IS NULL OR locked_until < now()) ORDER BY created_at`,
    );
    for (const r of rows) this.start(r.id);
  }

  /** Stop after the batch in hand; the lease runs out and the job resumes on the next start. */
  async close(): Promise<void> {
    this.closing = true;
    await Promise.allSettled([...this.running.values()]);
  }

  private track(id: string): Promise<void> {
    const already = this.running.get(id);
    if (already) return already;
    const p = this.run(id)
      .catch((err) => {
        this.ctx.log.error({ err, importId: id }, 'asset import failed');
        throw err;
      })
      .finally(() => this.running.delete(id));
    this.running.set(id, p);
    return p;
  }

  private async claim(id: string): Promise<JobRow | undefined> {
    const [job] = await this.db.execute<JobRow>(
      `UPDATE fixed_assets_import SET locked_until = now() + make_interval(secs => $2), started_at = coalesce(started_at, now())
        WHERE id = $1 AND status IN ('validating', 'importing') AND (locked_until IS NULL OR locked_until < now())
        RETURNING id, number::text AS number, mode, status, dry_run, source, rows_total, rows_done, actor_type, actor_id, token_id, created_by_label`,
      [id, LEASE_SECONDS],
    );
    return job;
  }

  private async run(id: string): Promise<void> {
    const job = await this.claim(id);
    if (!job) return;
    const actor: Actor = { type: job.actor_type, userId: job.actor_id, label: job.created_by_label, permissions: new Set(), ...(job.token_id ? { tokenId: job.token_id } : {}) };
    try {
      const file = readAssetFile(job.source ?? '', await bookCodes(this.db));
      const issues = new RowIssues(file);
      // Resumed while writing: rows already written are in the register now, and are planned as updates
      // (they are skipped; the order of the rows stays the same).
      const resumed = job.status === 'importing';
      const plans = await planRows(this.db, file, resumed ? 'upsert' : job.mode, issues);
      if (resumed && job.mode === 'create') {
        for (const p of plans.slice(job.rows_done)) if (p.existing) issues.add(p.row, 'tag', 'was registered by someone else while this import was interrupted');
      }
      const n = file.rows.length;

      if (job.status === 'validating') {
        // ---- Check every row; nothing is written but the report.
        // (Again from the start when a stopped server left it half-checked.)
        await this.db.execute(`DELETE FROM fixed_assets_import_error WHERE import_id = $1`, [id]);
        await this.db.execute(`UPDATE fixed_assets_import SET error_count = 0, invalid_rows = 0, rows_validated = 0 WHERE id = $1`, [id]);
        for (let k = 0; k < plans.length; k += this.batchRows) {
          if (this.closing) return;
          const found = await trial(this.ctx, actor, plans.slice(k, k + this.batchRows), this.options);
          for (const e of found) issues.addFound(e.row, e.column, e.message);
          const done = Math.round(n * Math.min(1, (k + this.batchRows) / plans.length));
          await this.db.execute(`UPDATE fixed_assets_import SET rows_validated = $2, locked_until = now() + make_interval(secs => $3) WHERE id = $1`, [id, done, LEASE_SECONDS]);
        }
        issues.errors.sort((a, b) => a.row - b.row);
        await this.storeErrors(id, issues.errors, issues.bad.size);
        if (issues.bad.size || job.dry_run) {
          const ok = n - issues.bad.size;
          const detail = issues.bad.size
            ? `${issues.bad.size} of ${n} row${n === 1 ? '' : 's'} ${issues.bad.size === 1 ? 'is' : 'are'} invalid; nothing was imported${job.dry_run ? ' (dry run)' : ''}`
            : `Dry run: ${ok} row${ok === 1 ? '' : 's'} would be imported; nothing was written`;
          await this.finish(actor, id, issues.bad.size ? 'failed' : 'done', detail);
          return;
        }
        await this.db.execute(`UPDATE fixed_assets_import SET status = 'importing', rows_validated = rows_total WHERE id = $1`, [id]);
      } else if (issues.bad.size) {
        // Resumed while writing, and the register changed meanwhile so that a row no longer fits.
        await this.storeErrors(id, issues.errors, issues.bad.size);
        await this.finish(actor, id, 'failed', `The import stopped after ${job.rows_done} rows: ${issues.errors[0].message} (row ${issues.errors[0].row})`);
        return;
      }

      // ---- Write, batch by batch; each batch commits with its audit, events and the job's progress.
      for (let k = job.status === 'importing' ? job.rows_done : 0; k < plans.length; k += this.batchRows) {
        if (this.closing) return;
        const batch = plans.slice(k, k + this.batchRows);
        const last = k + this.batchRows >= plans.length;
        try {
          await this.ctx.transaction(actor, async (tx) => {
            const counts = { created: 0, updated: 0, unchanged: 0 };
            for (const plan of batch) {
              try {
                counts[await applyRow(tx, plan, this.options, false)]++;
              } catch (err) {
                if (err instanceof RowRefused) err.row = plan.row;
                throw err;
              }
            }
            await tx.execute(
              `UPDATE fixed_assets_import SET rows_done = rows_done + $2, created_count = created_count + $3, updated_count = updated_count + $4, unchanged_count = unchanged_count + $5,
                 locked_until = now() + make_interval(secs => $6) WHERE id = $1`,
              [id, batch.length, counts.created, counts.updated, counts.unchanged, LEASE_SECONDS],
            );
            if (last) await this.finishIn(tx, id, 'done', null);
          });
        } catch (err) {
          // Something changed between the check and the write (a tag taken meanwhile…).
          const before = k > 0 ? `Rows before this batch were imported (${k} of ${plans.length}); ` : '';
          if (err instanceof RowRefused) {
            for (const e of err.errors) issues.addFound(err.row!, e.column, e.message);
            await this.storeErrors(id, issues.errors, 1);
          } else this.ctx.log.error({ err, importId: id }, 'asset import batch failed');
          const why = err instanceof RowRefused ? `row ${err.row}: ${err.message}` : err instanceof ProblemError ? (err.detail ?? err.title) : 'internal error';
          await this.finish(actor, id, 'failed', `${before}the import stopped: ${why}`);
          return;
        }
      }
      if (!plans.length) await this.finish(actor, id, 'done', null);
    } catch (err) {
      if (err instanceof ProblemError && err.status === 422) {
        await this.finish(actor, id, 'failed', err.detail ?? err.title);
        return;
      }
      this.ctx.log.error({ err, importId: id }, 'asset import failed');
      await this.finish(actor, id, 'failed', 'The import stopped on an internal error; what was imported before it stays').catch(() => undefined);
    }
  }

  private async storeErrors(id: string, errors: RowError[], invalidRows: number) {
    const keep = errors.slice(0, MAX_STORED_ERRORS);
    if (keep.length) {
      await this.db.execute(
        `INSERT INTO fixed_assets_import_error (import_id, row_no, col, message, value) SELECT $1, r, c, m, v FROM unnest($2::int[], $3::text[], $4::text[], $5::text[]) AS x(r, c, m, v)`,
        [id, keep.map((e) => e.row), keep.map((e) => e.column), keep.map((e) => e.message), keep.map((e) => (e.value === undefined || e.value === null ? null : String(e.value).slice(0, 500)))],
      );
    }
    await this.db.execute(`UPDATE fixed_assets_import SET error_count = error_count + $2, invalid_rows = invalid_rows + $3 WHERE id = $1`, [id, errors.length, invalidRows]);
  }

  private async finish(actor: Actor, id: string, status: 'done' | 'failed', detail: string | null) {
    await this.ctx.transaction(actor, (tx) => this.finishIn(tx, id, status, detail));
  }

  private async finishIn(tx: Transaction, id: string, status: 'done' | 'failed', detail: string | null) {
    const [job] = await tx.execute<Record<string, any>>(
      `UPDATE fixed_assets_import SET status = $2, detail = $3, finished_at = now(), locked_until = NULL, source = NULL,
         rows_validated = CASE WHEN $2 = 'done' THEN rows_total ELSE rows_validated END
       WHERE id = $1 RETURNING number::text AS number, mode, rows_total, rows_done, invalid_rows, created_count, updated_count, unchanged_count, dry_run`,
      [id, status, detail],
    );
    await tx.audit({
      action: status === 'done' ? 'finished' : 'failed',
      entityType: 'fixed-assets.import',
      entityId: id,
      after: {
        number: job.number,
        mode: job.mode,
        status,
        detail,
        rows: job.rows_total,
        imported: job.rows_done,
        invalid: job.invalid_rows,
        created: job.created_count,
        updated: job.updated_count,
        unchanged: job.unchanged_count,
        dryRun: job.dry_run,
      },
    });
  }
}

/** A job as the API shows it; `errors` is one page of the report. */
export async function loadImport(db: Db, id: string, page: { limit: number; offset: number } = { limit: 1000, offset: 0 }) {
  const [j] = await db.execute<Record<string, any>>(`SELECT * FROM fixed_assets_import WHERE id = $1`, [id]);
  if (!j) return undefined;
  const errors = await db.execute<{ row_no: number; col: string | null; message: string; value: string | null }>(
    `SELECT row_no, col, message, value FROM fixed_assets_import_error WHERE import_id = $1 ORDER BY row_no, id LIMIT $2 OFFSET $3`,
    [id, page.limit, page.offset],
  );
  const [stored] = await db.execute<{ n: string }>(`SELECT count(*) AS n FROM fixed_assets_import_error WHERE import_id = $1`, [id]);
  return {
    ...importSummary(j),
    errors: errors.map((e) => ({ row: e.row_no, column: e.col, message: e.message, value: e.value })),
    errorsStored: Number(stored.n),
    errorsTruncated: Number(j.error_count) > Number(stored.n),
  };
}

export function importSummary(j: Record<string, any>) {
  const importing = j.status === 'importing' || j.status === 'done' || (j.status === 'failed' && Number(j.rows_done) > 0);
  const total = Number(j.rows_total);
  return {
    id: j.id as string,
    number: String(j.number),
    status: j.status as ImportStatus,
    mode: j.mode as ImportMode,
    dryRun: j.dry_run as boolean,
    fileName: j.file_name as string | null,
    background: j.background as boolean,
    rowsTotal: total,
    rowsValidated: Number(j.rows_validated),
    rowsDone: Number(j.rows_done),
    progress: { phase: (importing ? 'importing' : 'validating') as 'validating' | 'importing', processed: importing ? Number(j.rows_done) : Number(j.rows_validated), total },
    counts: {
      total,
      valid: Math.max(0, total - Number(j.invalid_rows)),
      invalid: Number(j.invalid_rows),
      created: Number(j.created_count),
      updated: Number(j.updated_count),
      unchanged: Number(j.unchanged_count),
      errors: Number(j.error_count),
    },
    detail: j.detail as string | null,
    createdBy: j.created_by_label as string,
    createdAt: isoOf(j.created_at)!,
    startedAt: isoOf(j.started_at),
    finishedAt: isoOf(j.finished_at),
  };
}

export { RowIssues };
