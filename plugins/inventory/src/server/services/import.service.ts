/**
 * CSV imports of items, opening balances and reorder rules.
 *
 * A job reads the whole file first (header problems are answered at once, 422), then checks every
 * row against the database and keeps a row-by-row report (row number, column, message). Only when
 * that pass is over does anything get written, so "if any row is invalid, nothing is imported"
 * holds for files of any size; with `skipInvalidRows` the valid rows are imported and the others
 * reported. Writing goes in batches, each batch in one transaction together with its audit records,
 * outbox events and the job's progress; every batch checks its rows again inside its transaction
 * (under the same locks the routes take), so what changed meanwhile is caught, not overwritten.
 * Small files run as a single batch inside the request; large ones run in the background.
 */
import { hasPermission, ProblemError, problems, type Actor, type FieldError, type PluginApp, type PluginContext, type Transaction } from '@quartermaster/sdk';
import { VALUATION_METHODS, permissions, type ValuationMethod } from '../../shared/index.js';
import { looksBinary, normaliseHeader, parseCsv } from '@quartermaster/sdk';
import { dec, isDecimal, qtyText, type Dec } from '../../domain/money.js';
import { postMove, valuationMethodsOf, type InventoryOptions, type MoveLineInput } from './ledger.service.js';
import { readerOf } from './stock.service.js';
import { isoOf } from './time.js';

export const IMPORT_KINDS = ['items', 'opening-balances', 'reorder-rules'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];
export const IMPORT_STATUSES = ['validating', 'importing', 'done', 'failed'] as const;

/** Permission to start imports and read their reports (each kind also needs the permission of what it writes). */
export const IMPORT_PERMISSION = 'inventory.import.run';
/** Files up to this many data rows are imported inside the request (201); larger ones in the background (202). */
export const SYNC_MAX_ROWS = 2_000;
/** Rows per background batch (one transaction each). */
export const BATCH_ROWS = 500;
export const MAX_CSV_BYTES = 20 * 1024 * 1024;
/** Errors kept per job; the count goes on. */
export const MAX_STORED_ERRORS = 10_000;
/** How long a server owns a job it works on before another may take it over. */
const LEASE_SECONDS = 300;

/** The permissions a kind needs besides {@link IMPORT_PERMISSION}: those of the routes that write the same things. */
export const KIND_PERMISSIONS: Record<ImportKind, string[]> = {
  items: ['core.items.write', permissions.settingsWrite],
  'opening-balances': [permissions.movesPost],
  'reorder-rules': [permissions.replenishmentWrite],
};

export interface RowError {
  row: number;
  column: string | null;
  message: string;
  value?: string | null;
}

type Exec = Pick<Transaction, 'execute'>;

// ---------------------------------------------------------------------------------------------
// Columns

interface Column {
  key: string;
  aliases?: string[];
  /** The header must have it. */
  required?: boolean;
}

export const COLUMNS: Record<ImportKind, Column[]> = {
  items: [
    { key: 'sku', required: true },
    { key: 'name', required: true },
    { key: 'description' },
    { key: 'gtin', aliases: ['ean', 'upc', 'barcode'] },
    { key: 'category', aliases: ['category_path'] },
    { key: 'kind', aliases: ['item_kind'] },
    { key: 'tracking_mode', aliases: ['tracking'] },
    { key: 'unit_of_measure', aliases: ['uom', 'unit', 'base_unit'] },
    { key: 'valuation_method', aliases: ['valuation', 'costing_method'] },
    { key: 'standard_cost', aliases: ['std_cost'] },
    { key: 'purchase_units', aliases: ['units', 'purchase_uoms'] },
  ],
  'opening-balances': [
    { key: 'sku', required: true },
    { key: 'location', required: true, aliases: ['location_code', 'location_path'] },
    { key: 'qty', required: true, aliases: ['quantity'] },
    { key: 'unit_cost', required: true, aliases: ['cost'] },
    { key: 'uom', aliases: ['unit', 'unit_of_measure'] },
    { key: 'lot', aliases: ['lot_code', 'batch'] },
    { key: 'expiry', aliases: ['expires_on', 'expiry_date', 'best_before'] },
    { key: 'serials', aliases: ['serial', 'serial_numbers'] },
  ],
  'reorder-rules': [
    { key: 'sku', required: true },
    { key: 'location', required: true, aliases: ['location_code', 'location_path'] },
    { key: 'kind', aliases: ['rule', 'rule_kind'] },
    { key: 'min', aliases: ['min_qty', 'minimum'] },
    { key: 'max', aliases: ['max_qty', 'maximum'] },
    { key: 'reorder_point', aliases: ['rop'] },
    { key: 'safety_stock' },
    { key: 'order_qty', aliases: ['order_quantity'] },
    { key: 'order_multiple', aliases: ['multiple'] },
    { key: 'moq', aliases: ['min_order_qty', 'minimum_order_qty'] },
  ],
};

export interface DataRow {
  row: number;
  /** Trimmed cells by column key; columns the file does not have are absent. */
  values: Record<string, string>;
  /** Structural problem of the record (wrong number of fields, stray quote). */
  error?: string;
}

export interface ImportFile {
  kind: ImportKind;
  /** Column keys in file order, and the header as written (for the report). */
  columns: string[];
  headerOf: Record<string, string>;
  rows: DataRow[];
}

export const invalidCsv = (detail: string, extensions: Record<string, unknown> = {}) =>
  new ProblemError({ type: 'inventory/invalid-csv', status: 422, title: 'Not a usable CSV file', detail, extensions });

/** Read and check the shape of a file: text, comma-separated, with a known header. Throws 422 inventory/invalid-csv. */
export function readImportFile(kind: ImportKind, csv: string): ImportFile {
  if (!csv.trim()) throw invalidCsv('The file is empty');
  if (looksBinary(csv)) throw invalidCsv('The file is not text (it holds binary data); export it from your spreadsheet as CSV (UTF-8)');
  const parsed = parseCsv(csv);
  if (parsed.fatal) throw invalidCsv(`Line ${parsed.fatal.line}: ${parsed.fatal.message}`, { line: parsed.fatal.line });
  const [head, ...records] = parsed.records;
  if (!head) throw invalidCsv('The file is empty');
  const specs = COLUMNS[kind];
  const known = new Map<string, string>();
  for (const c of specs) for (const name of [c.key, ...(c.aliases ?? [])]) known.set(name, c.key);
  const expected = specs.map((c) => c.key);
  let header = head.cells;
  // Trailing empty header cells (spreadsheets add them) are ignored.
  while (header.length > 1 && !header[header.length - 1].trim()) header = header.slice(0, -1);
  if (head.error) throw invalidCsv(`The header row is malformed: ${head.error}`);
  if (header.length === 1) {
    for (const [sep, name] of [[';', 'semicolons'], ['\t', 'tabs'], ['|', 'vertical bars']] as const) {
      const parts = header[0].split(sep);
      if (parts.length > 1 && parts.some((p) => known.has(normaliseHeader(p)))) {
        throw invalidCsv(`The file is separated by ${name}; columns must be separated by commas (RFC 4180)`, { delimiter: sep });
      }
    }
  }
  const columns: string[] = [];
  const headerOf: Record<string, string> = {};
  const unknown: string[] = [];
  header.forEach((name, i) => {
    const key = known.get(normaliseHeader(name));
    if (!name.trim()) unknown.push(`(column ${i + 1} has no name)`);
    else if (!key) unknown.push(name.trim());
    else if (headerOf[key] !== undefined) throw invalidCsv(`Column "${name.trim()}" appears twice (as "${headerOf[key]}" too)`, { column: name.trim() });
    columns.push(key ?? '');
    if (key) headerOf[key] = name.trim();
  });
  if (unknown.length) throw invalidCsv(`Unknown column${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `"${u}"`).join(', ')}; a ${kind} file has the columns ${expected.join(', ')}`, { unknown, expected });
  const missing = specs.filter((c) => c.required && headerOf[c.key] === undefined).map((c) => c.key);
  if (missing.length) throw invalidCsv(`Missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}; a ${kind} file needs ${specs.filter((c) => c.required).map((c) => c.key).join(', ')}`, { missing, expected });
  if (!records.length) throw invalidCsv('The file has a header but no rows');

  const rows: DataRow[] = records.map((r) => {
    const values: Record<string, string> = {};
    columns.forEach((key, i) => (values[key] = (r.cells[i] ?? '').trim()));
    let error = r.error;
    const extra = r.cells.slice(columns.length);
    if (!error && r.cells.length < columns.length) error = `has ${r.cells.length} field${r.cells.length === 1 ? '' : 's'}, the header has ${columns.length}`;
    if (!error && extra.some((c) => c.trim())) error = `has ${r.cells.length} fields, the header has ${columns.length}`;
    return error ? { row: r.row, values, error } : { row: r.row, values };
  });
  return { kind, columns, headerOf, rows };
}

// ---------------------------------------------------------------------------------------------
// Shared checks

const ITEM_KINDS = ['stock', 'consumable', 'asset', 'service', 'kit'] as const;
const TRACKING_MODES = ['none', 'lot', 'serial'] as const;
type ItemKind = (typeof ITEM_KINDS)[number];
type TrackingMode = (typeof TRACKING_MODES)[number];

class RowIssues {
  readonly errors: RowError[] = [];
  readonly bad = new Set<number>();
  constructor(private readonly file: ImportFile) {}
  add(row: DataRow | number, column: string | null, message: string) {
    const r = typeof row === 'number' ? row : row.row;
    const values = typeof row === 'number' ? undefined : row.values;
    this.errors.push({ row: r, column: column ? (this.file.headerOf[column] ?? column) : null, message, value: column && values ? (values[column] ?? null) : null });
    this.bad.add(r);
  }
}

/** A decimal cell: empty → undefined; otherwise a finite decimal (no thousands separators). */
function decimalCell(issues: RowIssues, r: DataRow, key: string, rule: 'positive' | 'non-negative'): Dec | undefined | null {
  const v = r.values[key];
  if (v === undefined || v === '') return undefined;
  if (!isDecimal(v)) {
    issues.add(r, key, 'must be a number like 12.5 (a dot for decimals, no thousands separators)');
    return null;
  }
  const d = dec(v);
  if (rule === 'positive' && d.lte(0)) {
    issues.add(r, key, 'must be greater than 0');
    return null;
  }
  if (rule === 'non-negative' && d.lt(0)) {
    issues.add(r, key, 'must be at least 0');
    return null;
  }
  return d;
}

const isIsoDate = (v: string) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) return false;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
};

/** `Spare parts / Bearings` → ['Spare parts', 'Bearings']; undefined when a segment is blank. */
const pathSegments = (v: string): string[] | undefined => {
  const parts = v.split('/').map((s) => s.trim().replace(/\s+/g, ' '));
  return parts.some((p) => !p) ? undefined : parts;
};
const pathKey = (segments: string[]) => segments.join(' / ').toLowerCase();

/** GS1 mod-10 check digit over every digit but the last (the same rule as the core's identifiers). */
export function gtinCheckDigitOk(gtin: string): boolean {
  const digits = [...gtin].map(Number);
  const check = digits.pop()!;
  const sum = digits.reverse().reduce((s, d, i) => s + d * (i % 2 === 0 ? 3 : 1), 0);
  return (10 - (sum % 10)) % 10 === check;
}

/** Paths of locations or categories whose last name is one of `names`, by walking up from them. */
async function pathsEndingIn(db: Exec, table: 'core_location' | 'core_category', names: string[]) {
  if (!names.length) return [];
  return db.execute<{ id: string; path: string; ids: string[]; archived: boolean | null }>(
    `WITH RECURSIVE cand AS (SELECT id FROM ${table} WHERE lower(name) = ANY($1::text[])),
       up AS (SELECT c.id AS start, t.id, t.parent_id, t.name, 0 AS lvl FROM cand c JOIN ${table} t ON t.id = c.id
              UNION ALL SELECT up.start, p.id, p.parent_id, p.name, up.lvl + 1 FROM ${table} p JOIN up ON p.id = up.parent_id)
     SELECT up.start AS id, string_agg(up.name, ' / ' ORDER BY up.lvl DESC) AS path, array_agg(up.id ORDER BY up.lvl DESC) AS ids,
            ${table === 'core_location' ? '(SELECT archived FROM core_location WHERE id = up.start)' : 'NULL::boolean'} AS archived
       FROM up GROUP BY up.start`,
    [[...new Set(names.map((n) => n.toLowerCase()))]],
  );
}

type LocationRef = { id: string; name: string; archived: boolean } | { error: string };

/** A location named by its code (exact) or its path from the site (`Main DC / Aisle 3 / Bin 7`, any case). */
async function resolveLocations(db: Exec, values: string[]): Promise<Map<string, LocationRef>> {
  const out = new Map<string, LocationRef>();
  const distinct = [...new Set(values.filter(Boolean))];
  if (!distinct.length) return out;
  const byCode = await db.execute<{ id: string; code: string; name: string; archived: boolean }>(`SELECT id, code, name, archived FROM core_location WHERE code = ANY($1::text[])`, [distinct]);
  const codes = new Map<string, typeof byCode>();
  for (const l of byCode) codes.set(l.code, [...(codes.get(l.code) ?? []), l]);
  const asPath: string[] = [];
  for (const v of distinct) {
    const found = codes.get(v);
    if (!found) asPath.push(v);
    else if (found.length > 1) out.set(v, { error: `code ${v} is used by ${found.length} locations (${found.map((l) => l.name).join(', ')}); give the path instead` });
    else out.set(v, { id: found[0].id, name: found[0].name, archived: found[0].archived });
  }
  const segs = new Map(asPath.map((v) => [v, pathSegments(v)]));
  const paths = await pathsEndingIn(db, 'core_location', [...segs.values()].filter((s): s is string[] => !!s).map((s) => s[s.length - 1]));
  const byPath = new Map(paths.map((p) => [p.path.toLowerCase(), p]));
  for (const v of asPath) {
    const s = segs.get(v);
    const p = s ? byPath.get(pathKey(s)) : undefined;
    out.set(v, p ? { id: p.id, name: p.path, archived: !!p.archived } : { error: 'no location has this code or path (give a code, or the path from the site down, e.g. "Main DC / Bin A")' });
  }
  return out;
}

/** Items by SKU identifier. */
async function itemsBySku(db: Exec, skus: string[]) {
  const rows = await db.execute<{ value: string; target_type: string; target_id: string }>(
    `SELECT value, target_type, target_id FROM core_identifier WHERE type = 'sku' AND value = ANY($1::text[])`,
    [[...new Set(skus.filter(Boolean))]],
  );
  return new Map(rows.map((r) => [r.value, r]));
}

// ---------------------------------------------------------------------------------------------
// Kinds

interface BatchContext {
  job: { id: string; number: string; asOf: Date | null };
  options: InventoryOptions;
}

interface Applied {
  /** Rows written (or found already as the file says). */
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  moveId?: string;
}

/** What writing a batch may use: its own transactions, and the platform's routes as the caller. */
export interface WriteEnv {
  db: Exec;
  transaction<R>(work: (tx: Transaction) => Promise<R>): Promise<R>;
  /** Call a route of the platform with the credentials of whoever started the import. */
  call(method: 'POST' | 'PATCH', url: string, payload: unknown): Promise<{ status: number; body: any }>;
}

/** Rows that turned out invalid while writing (e.g. taken meanwhile by another transaction). */
export class RowProblems extends Error {
  constructor(readonly errors: RowError[]) {
    super(errors.map((e) => `row ${e.row}: ${e.message}`).join('; '));
  }
}

interface KindHandler<P extends { row: number }> {
  /** Problems visible from the file alone (duplicates between rows). */
  fileChecks(file: ImportFile, issues: RowIssues): void;
  /** Check rows against the database; a plan for each valid row. */
  check(db: Exec, file: ImportFile, rows: DataRow[], issues: RowIssues, b: BatchContext): Promise<P[]>;
  /**
   * Check a batch again and write it. `commit` records the batch's progress and must run inside
   * the transaction that ends the batch. Throwing {@link RowProblems} means nothing of the batch
   * was written; returned `errors` are rows refused while the others were written.
   */
  write(env: WriteEnv, file: ImportFile, rows: DataRow[], b: BatchContext, commit: (tx: Transaction, applied: Applied, refused?: RowError[]) => Promise<void>): Promise<{ errors: RowError[] }>;
}

/** The usual batch: one transaction, rows checked again inside it, then written (postMove and the rule upsert lock what they change). */
function inOneTransaction<P extends { row: number }>(
  check: KindHandler<P>['check'],
  apply: (tx: Transaction, plans: P[], b: BatchContext) => Promise<Omit<Applied, 'rows'>>,
): KindHandler<P>['write'] {
  return (env, file, rows, b, commit) =>
    env.transaction(async (tx) => {
      const issues = new RowIssues(file);
      const plans = await check(tx, file, rows, issues, b);
      if (issues.errors.length) throw new RowProblems(issues.errors);
      const applied = await apply(tx, plans, b);
      await commit(tx, { ...applied, rows: plans.length });
      return { errors: [] };
    });
}

function duplicates(file: ImportFile, issues: RowIssues, keyOf: (r: DataRow) => string | null, column: string, what: (r: DataRow) => string) {
  const first = new Map<string, number>();
  for (const r of file.rows) {
    if (r.error) continue;
    const k = keyOf(r);
    if (k === null) continue;
    const seen = first.get(k);
    if (seen !== undefined) issues.add(r, column, `${what(r)} is on row ${seen} too`);
    else first.set(k, r.row);
  }
}

// ---- Items ----------------------------------------------------------------------------------

interface ExistingItem {
  id: string;
  name: string;
  description: string | null;
  category_id: string | null;
  unit_of_measure: string;
  kind: ItemKind;
  tracking_mode: TrackingMode;
  attributes: Record<string, unknown>;
  archived: boolean;
  version: number;
  valuation_method: ValuationMethod | null;
  standard_cost: string | null;
  stock_qty: string;
  gtins: string[];
  units: { uom: string; factor: string }[];
}

interface ItemPlan {
  row: number;
  sku: string;
  existing: ExistingItem | null;
  name: string;
  description?: string;
  gtin?: string;
  /** Category path to set (created as needed). */
  category?: string[];
  kind?: ItemKind;
  tracking?: TrackingMode;
  uom?: string;
  method?: ValuationMethod;
  standardCost?: Dec;
  units?: { uom: string; factor: Dec }[];
}

function parseUnits(v: string): { units?: { uom: string; factor: Dec }[]; error?: string } {
  const units: { uom: string; factor: Dec }[] = [];
  for (const part of v.split(';').map((p) => p.trim()).filter(Boolean)) {
    const m = /^([^=]+)=(.+)$/.exec(part);
    if (!m) return { error: `"${part}" is not unit=factor (e.g. box=12;case=144)` };
    const uom = m[1].trim();
    const factor = m[2].trim();
    if (!uom || uom.length > 20) return { error: `unit "${uom}" must have 1 to 20 characters` };
    if (!isDecimal(factor) || dec(factor).lte(0)) return { error: `the factor of ${uom} must be a number greater than 0` };
    if (units.some((u) => u.uom === uom)) return { error: `unit ${uom} is listed twice` };
    units.push({ uom, factor: dec(factor) });
  }
  return { units };
}

const sameUnits = (a: { uom: string; factor: Dec | string }[], b: { uom: string; factor: Dec | string }[]) => {
  const key = (xs: { uom: string; factor: Dec | string }[]) =>
    xs
      .map((u) => `${u.uom}=${dec(u.factor).toFixed()}`)
      .sort()
      .join(';');
  return key(a) === key(b);
};

/** Whether an attribute schema accepts an item without attributes (what an imported new item has). */
const acceptsNoAttributes = (schema: unknown) => {
  if (!schema || typeof schema !== 'object') return true;
  const s = schema as { required?: unknown; minProperties?: unknown };
  return !(Array.isArray(s.required) && s.required.length) && !(typeof s.minProperties === 'number' && s.minProperties > 0);
};

interface CategoryChain {
  /** Ids of the longest existing prefix, root first. */
  ids: string[];
  /** True when the whole path exists. */
  complete: boolean;
  id: string | null;
}

async function resolveCategoryPaths(db: Exec, paths: string[][]) {
  const prefixes = new Map<string, string[]>();
  for (const p of paths) for (let k = 1; k <= p.length; k++) prefixes.set(pathKey(p.slice(0, k)), p.slice(0, k));
  const found = await pathsEndingIn(db, 'core_category', [...prefixes.values()].map((s) => s[s.length - 1]));
  const byKey = new Map(found.map((f) => [f.path.toLowerCase(), f]));
  const chains = new Map<string, CategoryChain>();
  for (const p of paths) {
    let best: { ids: string[] } | undefined;
    let k = p.length;
    for (; k >= 1; k--) {
      best = byKey.get(pathKey(p.slice(0, k)));
      if (best) break;
    }
    chains.set(pathKey(p), { ids: best?.ids ?? [], complete: k === p.length, id: k === p.length && best ? best.ids[best.ids.length - 1] : null });
  }
  const allIds = [...new Set([...chains.values()].flatMap((c) => c.ids))];
  const info = new Map(
    (
      await db.execute<{ id: string; name: string; attribute_schema: unknown; method: ValuationMethod | null }>(
        `SELECT c.id, c.name, c.attribute_schema, s.valuation_method AS method FROM core_category c LEFT JOIN inventory_category_settings s ON s.category_id = c.id WHERE c.id = ANY($1::uuid[])`,
        [allIds],
      )
    ).map((r) => [r.id, r]),
  );
  return { chains, info };
}

/** Fields of the core's item routes → the CSV column they come from. */
const CORE_FIELD_COLUMN: Record<string, string> = {
  name: 'name',
  description: 'description',
  categoryId: 'category',
  unitOfMeasure: 'unit_of_measure',
  kind: 'kind',
  trackingMode: 'tracking_mode',
};

/** A refusal of a core route, as problems of the row: fields named by the core become CSV columns. */
function coreRefusal(p: ItemPlan, res: { status: number; body: any }, identifierColumns: string[] = []): RowError[] {
  const columnOf = (field: string): string | null => {
    const ident = /^identifiers\.(\d+)/.exec(field);
    if (ident) return identifierColumns[Number(ident[1])] ?? null;
    if (field.startsWith('attributes')) return 'category';
    return CORE_FIELD_COLUMN[field] ?? null;
  };
  const b = res.body ?? {};
  if (res.status === 403) return [{ row: p.row, column: null, message: `refused by the core: needs the permission ${b.permission ?? '(unknown)'}` }];
  if (Array.isArray(b.errors) && b.errors.length) {
    return b.errors.map((e: FieldError) => ({ row: p.row, column: columnOf(e.field), message: e.field.startsWith('attributes') ? `${e.field} ${e.message} (required by the category)` : e.message }));
  }
  return [{ row: p.row, column: typeof b.field === 'string' ? columnOf(b.field) : null, message: b.detail ?? b.title ?? `refused by the core (${res.status})` }];
}

/** Core route calls in flight per batch (each is a transaction of its own; the pool has 10 connections). */
const CORE_CALLS_AT_ONCE = 6;

/** Run `fn` over `xs`, `n` at a time; stops taking new ones after a failure, which it rethrows. */
async function eachLimited<T>(xs: T[], n: number, fn: (x: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: unknown;
  await Promise.all(
    Array.from({ length: Math.min(n, xs.length) }, async () => {
      while (next < xs.length && failure === undefined) {
        const x = xs[next++];
        try {
          await fn(x);
        } catch (err) {
          failure ??= err;
        }
      }
    }),
  );
  if (failure !== undefined) throw failure;
}

const itemHandler: KindHandler<ItemPlan> = {
  fileChecks(file, issues) {
    duplicates(file, issues, (r) => r.values.sku || null, 'sku', (r) => `SKU ${r.values.sku}`);
    duplicates(file, issues, (r) => (r.values.gtin ? r.values.gtin.replace(/\s+/g, '') : null), 'gtin', (r) => `GTIN ${r.values.gtin}`);
  },

  /** The core's checks (items.routes.ts, identifiers.routes.ts, categories.routes.ts) and the settings route's, so the report is complete before anything is written. */
  async check(db, _file, rows, issues, b) {
    const cells = new Map<number, Omit<ItemPlan, 'existing'>>();
    for (const r of rows) {
      const v = r.values;
      const plan: Omit<ItemPlan, 'existing'> = { row: r.row, sku: v.sku, name: v.name };
      if (!v.sku) issues.add(r, 'sku', 'is required');
      else if (v.sku.length > 500) issues.add(r, 'sku', 'must have at most 500 characters');
      if (!v.name) issues.add(r, 'name', 'is required');
      else if (v.name.length > 300) issues.add(r, 'name', 'must have at most 300 characters');
      if (v.description) {
        if (v.description.length > 10_000) issues.add(r, 'description', 'must have at most 10000 characters');
        else plan.description = v.description;
      }
      if (v.gtin) {
        const g = v.gtin.replace(/\s+/g, '');
        if (!/^\d{8}$|^\d{12,14}$/.test(g)) issues.add(r, 'gtin', 'a GTIN has 8, 12, 13 or 14 digits');
        else if (!gtinCheckDigitOk(g)) issues.add(r, 'gtin', 'the GTIN check digit is wrong');
        else plan.gtin = g;
      }
      if (v.category) {
        const segs = pathSegments(v.category);
        if (!segs) issues.add(r, 'category', 'has an empty level; write the path like "Spare parts / Bearings"');
        else if (segs.some((s) => s.length > 200)) issues.add(r, 'category', 'each level must have at most 200 characters');
        else plan.category = segs;
      }
      const oneOf = <T extends string>(key: string, allowed: readonly T[]): T | undefined => {
        const x = v[key]?.toLowerCase();
        if (!x) return undefined;
        if (!(allowed as readonly string[]).includes(x)) {
          issues.add(r, key, `must be one of: ${allowed.join(', ')}`);
          return undefined;
        }
        return x as T;
      };
      plan.kind = oneOf('kind', ITEM_KINDS);
      plan.tracking = oneOf('tracking_mode', TRACKING_MODES);
      plan.method = oneOf('valuation_method', VALUATION_METHODS);
      if (v.unit_of_measure) {
        if (v.unit_of_measure.length > 20) issues.add(r, 'unit_of_measure', 'must have at most 20 characters');
        else plan.uom = v.unit_of_measure;
      }
      const std = decimalCell(issues, r, 'standard_cost', 'non-negative');
      if (std) plan.standardCost = std;
      if (v.purchase_units) {
        const u = parseUnits(v.purchase_units);
        if (u.error) issues.add(r, 'purchase_units', u.error);
        else plan.units = u.units;
      }
      if (!issues.bad.has(r.row)) cells.set(r.row, plan);
    }
    if (!cells.size) return [];

    // Who the SKUs are, and what those items look like now.
    const plansIn = [...cells.values()];
    const skus = await itemsBySku(db, plansIn.map((p) => p.sku));
    const existingIds = [...new Set(plansIn.map((p) => skus.get(p.sku)).filter((s) => s?.target_type === 'core.item').map((s) => s!.target_id))].sort();
    const existing = new Map(
      (
        await db.execute<ExistingItem>(
          `SELECT i.id, i.name, i.description, i.category_id, i.unit_of_measure, i.kind, i.tracking_mode, i.attributes, i.archived, i.version,
                  s.valuation_method, s.standard_cost,
                  greatest(abs(coalesce(vs.qty, 0)), coalesce((SELECT max(abs(b.on_hand)) FROM inventory_balance b WHERE b.item_id = i.id), 0)) AS stock_qty,
                  coalesce((SELECT array_agg(x.value ORDER BY x.value) FROM core_identifier x WHERE x.type = 'gtin' AND x.target_type = 'core.item' AND x.target_id = i.id), '{}') AS gtins,
                  coalesce((SELECT json_agg(json_build_object('uom', u.uom, 'factor', u.factor::text)) FROM inventory_item_uom u WHERE u.item_id = i.id), '[]') AS units
             FROM core_item i LEFT JOIN inventory_item_settings s ON s.item_id = i.id LEFT JOIN inventory_valuation_state vs ON vs.item_id = i.id
            WHERE i.id = ANY($1::uuid[])`,
          [existingIds],
        )
      ).map((r) => [r.id, r]),
    );
    const gtins = new Map(
      (
        await db.execute<{ value: string; target_type: string; target_id: string }>(`SELECT value, target_type, target_id FROM core_identifier WHERE type = 'gtin' AND value = ANY($1::text[])`, [
          plansIn.map((p) => p.gtin).filter(Boolean),
        ])
      ).map((r) => [r.value, r]),
    );
    const { chains, info } = await resolveCategoryPaths(db, plansIn.map((p) => p.category).filter((c): c is string[] => !!c));
    // The method in force for existing items today (their own, else their category's, else the default).
    const effective = await valuationMethodsOf(db, existingIds, b.options.defaultValuationMethod);
    const rowOf = new Map(rows.map((r) => [r.row, r]));

    const plans: ItemPlan[] = [];
    for (const p of plansIn) {
      const r = rowOf.get(p.row)!;
      const ref = skus.get(p.sku);
      if (ref && ref.target_type !== 'core.item') {
        issues.add(r, 'sku', `SKU ${p.sku} is already the identifier of a ${ref.target_type} (${ref.target_id})`);
        continue;
      }
      const item = ref ? (existing.get(ref.target_id) ?? null) : null;
      if (ref && !item) {
        issues.add(r, 'sku', `SKU ${p.sku} points to an item that no longer exists`);
        continue;
      }
      if (p.gtin) {
        const g = gtins.get(p.gtin);
        if (g && !(item && g.target_type === 'core.item' && g.target_id === item.id)) issues.add(r, 'gtin', `GTIN ${p.gtin} already belongs to ${g.target_type} ${g.target_id}`);
      }
      // A new item has no attributes: the existing part of its category path must not require any.
      // (Existing items moved to another category are checked by the core when they are written.)
      if (p.category && !item) {
        for (const id of chains.get(pathKey(p.category))!.ids) {
          const c = info.get(id)!;
          if (!acceptsNoAttributes(c.attribute_schema)) issues.add(r, 'category', `category "${c.name}" requires attributes; create such items in the catalogue`);
        }
      }
      // What the ledger cannot take while the item has stock (PUT /items/:id/settings refuses the same).
      const stock = item ? dec(item.stock_qty) : dec(0);
      const onHand = `${qtyText(stock)} ${item?.unit_of_measure ?? ''} on hand`;
      if (item && stock.gt(0)) {
        if (p.tracking && p.tracking !== item.tracking_mode) issues.add(r, 'tracking_mode', `cannot change from ${item.tracking_mode} while ${onHand}`);
        if (p.uom && p.uom !== item.unit_of_measure) issues.add(r, 'unit_of_measure', `cannot change from ${item.unit_of_measure} while ${onHand}`);
        if (p.kind && p.kind !== item.kind && (p.kind === 'service' || p.kind === 'kit')) issues.add(r, 'kind', `a ${p.kind} holds no stock, and ${onHand}`);
        if (p.method && p.method !== item.valuation_method) issues.add(r, 'valuation_method', `cannot change while ${onHand}`);
      }
      const baseUom = p.uom ?? item?.unit_of_measure ?? 'ea';
      for (const u of p.units ?? []) if (u.uom === baseUom) issues.add(r, 'purchase_units', `${u.uom} is the base unit already`);
      // Valuation: the method in force after the import, and its standard cost.
      const inherited = p.category
        ? ([...chains.get(pathKey(p.category))!.ids].reverse().map((id) => info.get(id)!.method).find(Boolean) ?? b.options.defaultValuationMethod)
        : item
          ? effective.get(item.id)!.method
          : b.options.defaultValuationMethod;
      const method = p.method ?? item?.valuation_method ?? inherited;
      const std = p.standardCost ?? (item?.standard_cost != null ? dec(item.standard_cost) : undefined);
      if (method === 'standard' && std === undefined) issues.add(r, 'standard_cost', 'is required for items valued at standard cost');
      if (item && stock.gt(0) && method === 'standard' && p.standardCost && item.standard_cost !== null && !p.standardCost.eq(dec(item.standard_cost))) {
        issues.add(r, 'standard_cost', `cannot change while ${onHand}`);
      }
      if (issues.bad.has(r.row)) continue;
      plans.push({ ...p, existing: item });
    }
    return plans;
  },

  /**
   * Items are core records, so they are written through the core's own routes (POST/PATCH
   * /api/core/items, POST /api/core/identifiers, POST /api/core/categories), called with the
   * credentials of whoever started the import. The brief was to write core_item/core_identifier
   * in the batch's transaction and emit the core's ItemCreated/ItemUpdated/IdentifierAssigned
   * from here, but the platform refuses that: a plugin may emit only events named after itself
   * (sdk resolve.ts), so those events would be lost, and subscribers (search, ERP connectors)
   * would never hear of imported items. Through the routes, the core checks, audits and announces
   * every item exactly as when it is created by hand, in its own transaction per item; the
   * inventory settings and the job's progress then follow in one transaction per batch. Rows are
   * checked in full before the first write, and a re-import updates by SKU, so an interrupted
   * import is finished by importing the same file again.
   */
  async write(env, file, rows, b, commit) {
    const issues = new RowIssues(file);
    const plans = await itemHandler.check(env.db, file, rows, issues, b);
    if (issues.errors.length) throw new RowProblems(issues.errors);
    const errors: RowError[] = [];
    const failed = new Set<ItemPlan>();
    const refuse = (p: ItemPlan, problems: RowError[]) => {
      errors.push(...problems.map((e) => ({ ...e, value: e.column ? (rows.find((r) => r.row === p.row)?.values[e.column] ?? null) : null })));
      failed.add(p);
    };

    // Categories first, level by level.
    const categories = new Map<string, string>();
    // A path written differently on several rows is created as the first row writes it.
    const byKey = new Map<string, string[]>();
    for (const p of plans) if (p.category && !byKey.has(pathKey(p.category))) byKey.set(pathKey(p.category), p.category);
    const paths = [...byKey.values()];
    const { chains } = await resolveCategoryPaths(env.db, paths);
    for (const path of paths) {
      const chain = chains.get(pathKey(path))!;
      let parent: string | null = null;
      for (let k = 1; k <= path.length; k++) {
        const prefix = pathKey(path.slice(0, k));
        let id = categories.get(prefix) ?? (k <= chain.ids.length ? chain.ids[k - 1] : undefined);
        if (!id) {
          const res = await env.call('POST', '/api/core/categories', { name: path[k - 1], ...(parent ? { parentId: parent } : {}) });
          if (res.status === 201) id = res.body.id as string;
          else if (res.status === 409 && typeof res.body?.existingId === 'string') id = res.body.existingId as string;
          else if (res.status >= 500) throw new Error(`POST /api/core/categories answered ${res.status}`);
          else {
            const why = res.body?.detail ?? res.body?.title ?? String(res.status);
            for (const p of plans) if (p.category && pathKey(p.category) === pathKey(path)) refuse(p, [{ row: p.row, column: 'category', message: `category "${path.slice(0, k).join(' / ')}" could not be created: ${why}` }]);
            break;
          }
        }
        categories.set(prefix, id);
        parent = id;
      }
    }

    // Items and their identifiers, a few at a time.
    const outcome = new Map<ItemPlan, 'created' | 'updated' | 'unchanged'>();
    const fresh = new Set<ItemPlan>();
    await eachLimited(
      plans.filter((p) => !failed.has(p)),
      CORE_CALLS_AT_ONCE,
      async (p) => {
        const categoryId = p.category ? categories.get(pathKey(p.category)) : undefined;
        const e = p.existing;
        if (!e) {
          const identifiers = [{ type: 'sku', value: p.sku }, ...(p.gtin ? [{ type: 'gtin', value: p.gtin }] : [])];
          const res = await env.call('POST', '/api/core/items', {
            name: p.name,
            ...(p.description !== undefined ? { description: p.description } : {}),
            ...(categoryId ? { categoryId } : {}),
            ...(p.uom ? { unitOfMeasure: p.uom } : {}),
            ...(p.kind ? { kind: p.kind } : {}),
            ...(p.tracking ? { trackingMode: p.tracking } : {}),
            identifiers,
          });
          if (res.status >= 500) throw new Error(`POST /api/core/items answered ${res.status}`);
          if (res.status !== 201) return refuse(p, coreRefusal(p, res, identifiers.map((i) => i.type)));
          p.existing = { id: res.body.id, valuation_method: null, standard_cost: null, units: [] as ExistingItem['units'], gtins: p.gtin ? [p.gtin] : [] } as ExistingItem;
          fresh.add(p);
          outcome.set(p, 'created');
          return;
        }
        const change: Record<string, unknown> = {};
        if (p.name !== e.name) change.name = p.name;
        if (p.description !== undefined && p.description !== e.description) change.description = p.description;
        if (categoryId && categoryId !== e.category_id) change.categoryId = categoryId;
        if (p.uom && p.uom !== e.unit_of_measure) change.unitOfMeasure = p.uom;
        if (p.kind && p.kind !== e.kind) change.kind = p.kind;
        if (p.tracking && p.tracking !== e.tracking_mode) change.trackingMode = p.tracking;
        outcome.set(p, 'unchanged');
        if (Object.keys(change).length) {
          // The version read when the row was checked: a change made meanwhile is not overwritten.
          const res = await env.call('PATCH', `/api/core/items/${e.id}`, { ...change, version: e.version });
          if (res.status >= 500) throw new Error(`PATCH /api/core/items answered ${res.status}`);
          if (res.status !== 200) return refuse(p, coreRefusal(p, res));
          outcome.set(p, 'updated');
        }
        if (p.gtin && !e.gtins.includes(p.gtin)) {
          const res = await env.call('POST', '/api/core/identifiers', { type: 'gtin', value: p.gtin, targetType: 'core.item', targetId: e.id });
          if (res.status >= 500) throw new Error(`POST /api/core/identifiers answered ${res.status}`);
          if (res.status !== 201) return refuse(p, coreRefusal(p, res).map((x) => ({ ...x, column: x.column ?? 'gtin' })));
          outcome.set(p, 'updated');
        }
      },
    );

    // Inventory settings and purchase units as PUT /items/:id/settings writes them, with the batch's progress.
    await env.transaction(async (tx) => {
      const applied: Applied = { rows: 0, created: 0, updated: 0, unchanged: 0 };
      for (const p of plans) {
        if (failed.has(p)) continue;
        const e = p.existing!;
        const isNew = fresh.has(p);
        const wasStd = e.standard_cost === null ? null : dec(e.standard_cost);
        const method = p.method ?? e.valuation_method;
        const std = p.standardCost ?? wasStd;
        const methodChanged = (method ?? null) !== (e.valuation_method ?? null);
        const stdChanged = (std === null ? null : std.toFixed()) !== (wasStd === null ? null : wasStd.toFixed());
        const units = p.units && !sameUnits(p.units, e.units) ? p.units : undefined;
        let settingsChanged = false;
        if (methodChanged || stdChanged || units) {
          if (!isNew && (methodChanged || stdChanged)) {
            // Lock the cost state so no move slips stock in between the check and the change.
            const [state] = await tx.execute<{ qty: string }>(`SELECT qty FROM inventory_valuation_state WHERE item_id = $1 FOR UPDATE`, [e.id]);
            if (state && !dec(state.qty).isZero() && (methodChanged || (method === 'standard' && wasStd !== null))) {
              refuse(p, [{ row: p.row, column: methodChanged ? 'valuation_method' : 'standard_cost', message: `cannot change while ${qtyText(state.qty)} are on hand (stock arrived meanwhile)` }]);
              continue;
            }
          }
          if (methodChanged || stdChanged) {
            await tx.execute(
              `INSERT INTO inventory_item_settings (item_id, valuation_method, standard_cost) VALUES ($1, $2, $3)
               ON CONFLICT (item_id) DO UPDATE SET valuation_method = EXCLUDED.valuation_method, standard_cost = EXCLUDED.standard_cost, updated_at = now()`,
              [e.id, method ?? null, std === null ? null : std.toFixed(10)],
            );
          }
          if (units) {
            await tx.execute(`DELETE FROM inventory_item_uom WHERE item_id = $1`, [e.id]);
            if (units.length) {
              await tx.execute(`INSERT INTO inventory_item_uom (item_id, uom, factor) SELECT $1, u, f FROM unnest($2::text[], $3::numeric[]) AS x(u, f)`, [
                e.id,
                units.map((u) => u.uom),
                units.map((u) => u.factor.toFixed()),
              ]);
            }
          }
          const shown = (u: { uom: string; factor: Dec | string }[]) => u.map((x) => ({ uom: x.uom, factor: qtyText(x.factor) }));
          await tx.audit({
            action: 'updated',
            entityType: 'inventory.item-settings',
            entityId: e.id,
            before: isNew ? undefined : { valuationMethod: e.valuation_method, standardCost: wasStd === null ? null : qtyText(wasStd), units: shown(e.units) },
            after: { valuationMethod: method ?? null, standardCost: std === null ? null : qtyText(std), units: shown(units ?? e.units) },
          });
          settingsChanged = true;
        }
        const o = outcome.get(p)!;
        applied.rows++;
        if (o === 'created') applied.created++;
        else if (o === 'updated' || settingsChanged) applied.updated++;
        else applied.unchanged++;
      }
      errors.sort((x, y) => x.row - y.row);
      await commit(tx, applied, errors);
    });
    return { errors };
  },
};

// ---- Opening balances -------------------------------------------------------------------------

interface BalancePlan {
  row: number;
  itemId: string;
  locationId: string;
  qty: string;
  uom?: string;
  unitCost: string;
  lot?: string;
  expiresOn?: string;
  serials?: string[];
}

/** Which CSV column a field of postMove's problems is about. */
const MOVE_FIELD_COLUMN: Record<string, string> = {
  itemId: 'sku',
  toLocationId: 'location',
  qty: 'qty',
  uom: 'uom',
  unitCost: 'unit_cost',
  lot: 'lot',
  expiresOn: 'expiry',
  serials: 'serials',
};

const balanceRows = {
  fileChecks(file: ImportFile, issues: RowIssues) {
    duplicates(file, issues, (r) => (r.values.sku && r.values.location ? `${r.values.sku}|${r.values.location}|${r.values.lot ?? ''}` : null), 'sku', (r) => `SKU ${r.values.sku} at ${r.values.location}${r.values.lot ? ` (lot ${r.values.lot})` : ''}`);
    const serialRows = new Map<string, number>();
    for (const r of file.rows) {
      if (r.error || !r.values.serials) continue;
      for (const s of r.values.serials.split(';').map((x) => x.trim()).filter(Boolean)) {
        const k = `${r.values.sku}|${s}`;
        const seen = serialRows.get(k);
        if (seen !== undefined && seen !== r.row) issues.add(r, 'serials', `serial ${s} is on row ${seen} too`);
        else serialRows.set(k, r.row);
      }
    }
  },

  async check(db: Exec, _file: ImportFile, rows: DataRow[], issues: RowIssues): Promise<BalancePlan[]> {
    const parsed: (Omit<BalancePlan, 'itemId' | 'locationId'> & { sku: string; location: string })[] = [];
    for (const r of rows) {
      const v = r.values;
      if (!v.sku) issues.add(r, 'sku', 'is required');
      if (!v.location) issues.add(r, 'location', 'is required');
      const qty = decimalCell(issues, r, 'qty', 'positive');
      if (qty === undefined) issues.add(r, 'qty', 'is required');
      const cost = decimalCell(issues, r, 'unit_cost', 'non-negative');
      if (cost === undefined) issues.add(r, 'unit_cost', 'is required');
      if (v.lot && v.lot.length > 100) issues.add(r, 'lot', 'must have at most 100 characters');
      if (v.expiry && !isIsoDate(v.expiry)) issues.add(r, 'expiry', 'must be a date like 2027-03-31');
      if (v.uom && v.uom.length > 20) issues.add(r, 'uom', 'must have at most 20 characters');
      let serials: string[] | undefined;
      if (v.serials) {
        serials = v.serials.split(';').map((s) => s.trim());
        if (serials.at(-1) === '' && serials.length > 1) serials.pop();
        if (serials.some((s) => !s)) issues.add(r, 'serials', 'has an empty serial number (separate them with ";")');
        else if (serials.some((s) => s.length > 200)) issues.add(r, 'serials', 'serial numbers have at most 200 characters');
        else if (new Set(serials).size !== serials.length) issues.add(r, 'serials', 'lists a serial number twice');
      }
      if (issues.bad.has(r.row)) continue;
      parsed.push({ row: r.row, sku: v.sku, location: v.location, qty: qty!.toFixed(), unitCost: cost!.toFixed(), uom: v.uom || undefined, lot: v.lot || undefined, expiresOn: v.expiry || undefined, serials });
    }
    if (!parsed.length) return [];
    const skus = await itemsBySku(db, parsed.map((p) => p.sku));
    const itemIds = [...new Set([...skus.values()].filter((s) => s.target_type === 'core.item').map((s) => s.target_id))];
    const items = new Map(
      (
        await db.execute<{ id: string; name: string; kind: string; tracking_mode: TrackingMode; archived: boolean; unit_of_measure: string }>(
          `SELECT id, name, kind, tracking_mode, archived, unit_of_measure FROM core_item WHERE id = ANY($1::uuid[])`,
          [itemIds],
        )
      ).map((r) => [r.id, r]),
    );
    const units = new Set((await db.execute<{ item_id: string; uom: string }>(`SELECT item_id, uom FROM inventory_item_uom WHERE item_id = ANY($1::uuid[])`, [itemIds])).map((u) => `${u.item_id}|${u.uom}`));
    const methods = await valuationMethodsOf(db, itemIds, 'fifo');
    const locations = await resolveLocations(db, parsed.map((p) => p.location));
    const lots = new Map(
      (
        await db.execute<{ item_id: string; code: string; expires_on: string | null }>(
          `SELECT l.item_id, l.code, to_char(l.expires_on, 'YYYY-MM-DD') AS expires_on FROM inventory_lot l JOIN unnest($1::uuid[], $2::text[]) AS u(i, c) ON l.item_id = u.i AND l.code = u.c`,
          [parsed.filter((p) => p.lot && skus.get(p.sku)).map((p) => skus.get(p.sku)!.target_id), parsed.filter((p) => p.lot && skus.get(p.sku)).map((p) => p.lot!)],
        )
      ).map((l) => [`${l.item_id}|${l.code}`, l]),
    );
    const serialPairs = parsed.filter((p) => p.serials && skus.get(p.sku)).flatMap((p) => p.serials!.map((s) => [skus.get(p.sku)!.target_id, s] as const));
    const inStock = new Map(
      (
        await db.execute<{ item_id: string; serial: string; location: string }>(
          `SELECT s.item_id, s.serial, l.name AS location FROM inventory_serial s JOIN core_location l ON l.id = s.location_id
            WHERE s.location_id IS NOT NULL AND (s.item_id, s.serial) IN (SELECT * FROM unnest($1::uuid[], $2::text[]))`,
          [serialPairs.map((x) => x[0]), serialPairs.map((x) => x[1])],
        )
      ).map((s) => [`${s.item_id}|${s.serial}`, s.location]),
    );
    // An opening balance is posted once: a second file with the same rows must not double the stock.
    const opened = new Map(
      (
        await db.execute<{ item_id: string; location_id: string; lot: string | null; number: string }>(
          `SELECT ml.item_id, ml.to_location_id AS location_id, lt.code AS lot, min(m.number) AS number
             FROM inventory_move m JOIN inventory_move_line ml ON ml.move_id = m.id LEFT JOIN inventory_lot lt ON lt.id = ml.lot_id
            WHERE m.reference = 'OPENING' AND m.type = 'receipt' AND m.reverses_move_id IS NULL
              AND NOT EXISTS (SELECT 1 FROM inventory_move r WHERE r.reverses_move_id = m.id) AND ml.item_id = ANY($1::uuid[])
            GROUP BY 1, 2, 3`,
          [itemIds],
        )
      ).map((o) => [`${o.item_id}|${o.location_id}|${o.lot ?? ''}`, o.number]),
    );

    const plans: BalancePlan[] = [];
    const rowOf = new Map(rows.map((r) => [r.row, r]));
    for (const p of parsed) {
      const r = rowOf.get(p.row)!;
      const ref = skus.get(p.sku);
      const item = ref?.target_type === 'core.item' ? items.get(ref.target_id) : undefined;
      if (!item) {
        issues.add(r, 'sku', `no item has SKU ${p.sku}`);
        continue;
      }
      if (item.archived) issues.add(r, 'sku', `${item.name} is archived; it cannot be received`);
      if (item.kind === 'service' || item.kind === 'kit') issues.add(r, 'sku', `${item.name} is a ${item.kind}; it holds no stock`);
      const loc = locations.get(p.location)!;
      if ('error' in loc) issues.add(r, 'location', loc.error);
      else if (loc.archived) issues.add(r, 'location', `${loc.name} is archived; stock cannot be put there`);
      const uom = p.uom ?? item.unit_of_measure;
      if (uom !== item.unit_of_measure && !units.has(`${item.id}|${uom}`)) issues.add(r, 'uom', `${item.name} has no unit "${uom}" (base unit ${item.unit_of_measure})`);
      if (item.tracking_mode === 'lot' && !p.lot) issues.add(r, 'lot', `${item.name} is tracked by lot: say which lot`);
      if (item.tracking_mode !== 'lot' && p.lot) issues.add(r, 'lot', `${item.name} is not tracked by lot`);
      if (item.tracking_mode !== 'lot' && p.expiresOn) issues.add(r, 'expiry', `${item.name} is not tracked by lot`);
      if (p.lot && p.expiresOn) {
        const lot = lots.get(`${item.id}|${p.lot}`);
        if (lot?.expires_on && lot.expires_on !== p.expiresOn) issues.add(r, 'expiry', `lot ${p.lot} expires on ${lot.expires_on}, not ${p.expiresOn}`);
      }
      if (item.tracking_mode === 'serial') {
        const n = p.serials?.length ?? 0;
        if (!dec(p.qty).isInteger() || !dec(p.qty).eq(n)) issues.add(r, 'serials', `${item.name} is serialized: list one serial per unit, separated by ";" (${p.qty} units, ${n} serials)`);
        if (uom !== item.unit_of_measure) issues.add(r, 'uom', 'serialized items are counted in their base unit');
        for (const s of p.serials ?? []) {
          const at = inStock.get(`${item.id}|${s}`);
          if (at) issues.add(r, 'serials', `serial ${s} is already in stock at ${at}`);
        }
      } else if (p.serials) issues.add(r, 'serials', `${item.name} is not serialized`);
      const m = methods.get(item.id);
      if (m?.method === 'standard' && m.standardCost === null) issues.add(r, 'sku', `${item.name} is valued at standard cost but has none; set it first`);
      if (!('error' in loc)) {
        const number = opened.get(`${item.id}|${loc.id}|${p.lot ?? ''}`);
        if (number) issues.add(r, null, `${item.name} at ${loc.name}${p.lot ? ` (lot ${p.lot})` : ''} already has an opening balance (move ${number}); post a receipt or an adjustment instead`);
      }
      if (issues.bad.has(r.row) || 'error' in loc) continue;
      const { sku: _s, location: _l, ...rest } = p;
      plans.push({ ...rest, itemId: item.id, locationId: loc.id });
    }
    return plans;
  },

  async apply(tx: Transaction, plans: BalancePlan[], b: BatchContext) {
    if (!plans.length) return { created: 0, updated: 0, unchanged: 0 };
    const lines: MoveLineInput[] = plans.map((p) => ({
      itemId: p.itemId,
      qty: p.qty,
      ...(p.uom ? { uom: p.uom } : {}),
      toLocationId: p.locationId,
      unitCost: p.unitCost,
      ...(p.lot ? { lot: p.lot } : {}),
      ...(p.expiresOn ? { expiresOn: p.expiresOn } : {}),
      ...(p.serials ? { serials: p.serials } : {}),
    }));
    try {
      const move = await postMove(tx, { type: 'receipt', reference: 'OPENING', note: `Opening balances, import ${b.job.number}`, effectiveAt: (b.job.asOf ?? new Date()).toISOString(), lines }, b.options);
      return { created: plans.length, updated: 0, unchanged: 0, moveId: move.id };
    } catch (err) {
      throw rowProblemsOf(err, plans) ?? err;
    }
  },
};

/** Turn a problem of postMove (`lines.3.qty …`) into problems of the CSV rows the lines came from. */
function rowProblemsOf(err: unknown, plans: { row: number }[]): RowProblems | null {
  if (!(err instanceof ProblemError)) return null;
  const fieldErrors: FieldError[] = Array.isArray(err.extensions.errors) ? (err.extensions.errors as FieldError[]) : typeof err.extensions.field === 'string' ? [{ field: err.extensions.field, message: err.detail ?? err.title }] : [];
  const mapped: RowError[] = [];
  for (const f of fieldErrors) {
    const m = /^lines\.(\d+)\.(\w+)/.exec(f.field);
    const plan = m ? plans[Number(m[1])] : undefined;
    if (!plan) return null;
    mapped.push({ row: plan.row, column: MOVE_FIELD_COLUMN[m![2]] ?? null, message: f.message });
  }
  // A shortfall or a conflict naming an item: pin it on that item's rows.
  if (!mapped.length && typeof err.extensions.itemId === 'string') {
    for (const p of plans as (BalancePlan | ReorderPlan)[]) if (p.itemId === err.extensions.itemId) mapped.push({ row: p.row, column: 'sku', message: err.detail ?? err.title });
  }
  return mapped.length ? new RowProblems(mapped) : null;
}

// ---- Reorder rules ----------------------------------------------------------------------------

interface ReorderPlan {
  row: number;
  itemId: string;
  locationId: string;
  kind: 'min-max' | 'reorder-point';
  /** Only the columns the file has; a present column with an empty cell clears the value. */
  values: Partial<Record<ReorderColumn, string | null>>;
}

const REORDER_COLUMNS = {
  min: 'min_qty',
  max: 'max_qty',
  reorder_point: 'reorder_point',
  safety_stock: 'safety_stock',
  order_qty: 'order_qty',
  order_multiple: 'order_multiple',
  moq: 'min_order_qty',
} as const;
type ReorderColumn = keyof typeof REORDER_COLUMNS;

const reorderRows = {
  fileChecks(file: ImportFile, issues: RowIssues) {
    duplicates(file, issues, (r) => (r.values.sku && r.values.location ? `${r.values.sku}|${r.values.location}` : null), 'sku', (r) => `a rule for SKU ${r.values.sku} at ${r.values.location}`);
  },

  async check(db: Exec, file: ImportFile, rows: DataRow[], issues: RowIssues): Promise<ReorderPlan[]> {
    const present = (Object.keys(REORDER_COLUMNS) as ReorderColumn[]).filter((c) => file.headerOf[c] !== undefined);
    const parsed: { r: DataRow; sku: string; location: string; kind?: 'min-max' | 'reorder-point'; values: Partial<Record<ReorderColumn, Dec | null>> }[] = [];
    for (const r of rows) {
      const v = r.values;
      if (!v.sku) issues.add(r, 'sku', 'is required');
      if (!v.location) issues.add(r, 'location', 'is required');
      let kind: 'min-max' | 'reorder-point' | undefined;
      if (v.kind) {
        const k = v.kind.toLowerCase().replace(/[\s_]+/g, '-');
        if (k === 'min-max' || k === 'minmax') kind = 'min-max';
        else if (k === 'reorder-point' || k === 'rop') kind = 'reorder-point';
        else issues.add(r, 'kind', 'must be one of: min-max, reorder-point');
      }
      const values: Partial<Record<ReorderColumn, Dec | null>> = {};
      for (const c of present) {
        const d = decimalCell(issues, r, c, c === 'order_qty' || c === 'order_multiple' || c === 'moq' ? 'positive' : 'non-negative');
        values[c] = d === undefined ? null : d;
      }
      if (issues.bad.has(r.row)) continue;
      parsed.push({ r, sku: v.sku, location: v.location, kind, values });
    }
    if (!parsed.length) return [];
    const skus = await itemsBySku(db, parsed.map((p) => p.sku));
    const itemIds = [...new Set([...skus.values()].filter((s) => s.target_type === 'core.item').map((s) => s.target_id))];
    const items = new Map((await db.execute<{ id: string; name: string; kind: string }>(`SELECT id, name, kind FROM core_item WHERE id = ANY($1::uuid[])`, [itemIds])).map((r) => [r.id, r]));
    const locations = await resolveLocations(db, parsed.map((p) => p.location));
    const rules = new Map(
      (
        await db.execute<Record<string, any>>(`SELECT * FROM inventory_reorder_rule WHERE item_id = ANY($1::uuid[])`, [itemIds])
      ).map((x) => [`${x.item_id}|${x.location_id}`, x]),
    );
    const plans: ReorderPlan[] = [];
    for (const p of parsed) {
      const r = p.r;
      const ref = skus.get(p.sku);
      const item = ref?.target_type === 'core.item' ? items.get(ref.target_id) : undefined;
      if (!item) {
        issues.add(r, 'sku', `no item has SKU ${p.sku}`);
        continue;
      }
      if (item.kind === 'service' || item.kind === 'kit') issues.add(r, 'sku', `${item.name} is a ${item.kind}; it holds no stock to reorder`);
      const loc = locations.get(p.location)!;
      if ('error' in loc) {
        issues.add(r, 'location', loc.error);
        continue;
      }
      const existing = rules.get(`${item.id}|${loc.id}`);
      // What the rule will be: the file's columns over what it was.
      const final = (c: ReorderColumn): Dec | null => {
        if (c in p.values) return p.values[c] ?? null;
        const was = existing?.[REORDER_COLUMNS[c]];
        return was === null || was === undefined ? null : dec(was);
      };
      const kind = p.kind ?? (existing?.kind as ReorderPlan['kind'] | undefined) ?? (final('reorder_point') !== null && final('min') === null ? 'reorder-point' : 'min-max');
      // The rules of PUT /reorder-rules (replenishment.routes.ts), on the rule as it will be.
      const min = final('min');
      const max = final('max');
      const rop = final('reorder_point');
      if (kind === 'min-max') {
        if (min === null) issues.add(r, 'min', 'is required for a min-max rule');
        if (max === null) issues.add(r, 'max', 'is required for a min-max rule');
        if (min !== null && max !== null && max.lt(min)) issues.add(r, 'max', `must be at least min (${qtyText(min)})`);
      } else {
        const eoq = existing?.order_cost != null && existing?.holding_cost_per_unit_year != null;
        if (final('order_qty') === null && max === null && !eoq) issues.add(r, 'order_qty', 'a reorder-point rule needs order_qty or max (or the EOQ costs, set in the console)');
        if (rop !== null && max !== null && max.lt(rop)) issues.add(r, 'max', `must be at least the reorder point (${qtyText(rop)})`);
      }
      if (issues.bad.has(r.row)) continue;
      const values: ReorderPlan['values'] = {};
      for (const c of Object.keys(p.values) as ReorderColumn[]) values[c] = p.values[c] === null || p.values[c] === undefined ? null : p.values[c]!.toFixed();
      plans.push({ row: r.row, itemId: item.id, locationId: loc.id, kind, values });
    }
    return plans;
  },

  async apply(tx: Transaction, plans: ReorderPlan[]) {
    const out = { created: 0, updated: 0, unchanged: 0 };
    const keys = [...plans].sort((a, b) => (a.itemId + a.locationId).localeCompare(b.itemId + b.locationId));
    for (const p of keys) {
      const [before] = await tx.execute<Record<string, any>>(`SELECT * FROM inventory_reorder_rule WHERE item_id = $1 AND location_id = $2 FOR UPDATE`, [p.itemId, p.locationId]);
      const cols = Object.keys(p.values) as ReorderColumn[];
      const show = (row: Record<string, any> | undefined) =>
        row
          ? {
              kind: row.kind,
              ...Object.fromEntries((Object.keys(REORDER_COLUMNS) as ReorderColumn[]).map((c) => [REORDER_COLUMNS[c], row[REORDER_COLUMNS[c]] === null ? null : qtyText(row[REORDER_COLUMNS[c]])])),
            }
          : undefined;
      if (!before) {
        const [row] = await tx.execute<Record<string, any>>(
          `INSERT INTO inventory_reorder_rule (item_id, location_id, kind${cols.map((c) => `, ${REORDER_COLUMNS[c]}`).join('')})
           VALUES ($1, $2, $3${cols.map((_, i) => `, $${i + 4}::numeric`).join('')}) RETURNING *`,
          [p.itemId, p.locationId, p.kind, ...cols.map((c) => p.values[c])],
        );
        await tx.audit({ action: 'created', entityType: 'inventory.reorder-rule', entityId: row.id, after: { itemId: p.itemId, locationId: p.locationId, ...show(row) } });
        out.created++;
        continue;
      }
      const differs = before.kind !== p.kind || cols.some((c) => (before[REORDER_COLUMNS[c]] === null ? null : dec(before[REORDER_COLUMNS[c]]).toFixed()) !== (p.values[c] === null || p.values[c] === undefined ? null : dec(p.values[c]!).toFixed()));
      if (!differs) {
        out.unchanged++;
        continue;
      }
      const [row] = await tx.execute<Record<string, any>>(
        `UPDATE inventory_reorder_rule SET kind = $2${cols.map((c, i) => `, ${REORDER_COLUMNS[c]} = $${i + 3}::numeric`).join('')},
           computed_reorder_point = NULL, computed_safety_stock = NULL, computed_order_qty = NULL, below_since = NULL, updated_at = now()
         WHERE id = $1 RETURNING *`,
        [before.id, p.kind, ...cols.map((c) => p.values[c])],
      );
      await tx.audit({ action: 'updated', entityType: 'inventory.reorder-rule', entityId: before.id, before: { itemId: p.itemId, locationId: p.locationId, ...show(before) }, after: { itemId: p.itemId, locationId: p.locationId, ...show(row) } });
      out.updated++;
    }
    return out;
  },
};

const HANDLERS: Record<ImportKind, KindHandler<any>> = {
  items: itemHandler,
  'opening-balances': { fileChecks: balanceRows.fileChecks, check: balanceRows.check, write: inOneTransaction(balanceRows.check, balanceRows.apply) },
  'reorder-rules': { fileChecks: reorderRows.fileChecks, check: reorderRows.check, write: inOneTransaction(reorderRows.check, reorderRows.apply) },
};

// ---------------------------------------------------------------------------------------------
// Jobs

export interface ImportRequest {
  kind: ImportKind;
  csv: string;
  dryRun?: boolean;
  skipInvalidRows?: boolean;
  asOf?: string;
  fileName?: string;
}

interface JobRow {
  id: string;
  number: string;
  kind: ImportKind;
  status: (typeof IMPORT_STATUSES)[number];
  dry_run: boolean;
  skip_invalid_rows: boolean;
  as_of: Date | string | null;
  source: string | null;
  total_rows: number;
  processed_rows: number;
  actor_type: Actor['type'];
  actor_id: string | null;
  token_id: string | null;
  created_by_label: string;
}

const span = (rows: DataRow[]) => (rows.length ? (rows.length === 1 ? `row ${rows[0].row}` : `rows ${rows[0].row}–${rows[rows.length - 1].row}`) : 'no rows');

/**
 * Runs import jobs of one platform: inside the request for small files, in the background for large
 * ones (and for unfinished jobs found at start-up, e.g. after a restart).
 */
export class ImportRunner {
  private readonly running = new Map<string, Promise<void>>();
  /** The caller's credentials per running job, for the core routes items are written through. Never stored. */
  private readonly credentials = new Map<string, Record<string, string>>();
  private closing = false;
  private readonly db: Exec;

  constructor(
    private readonly ctx: PluginContext<any>,
    private readonly app: PluginApp,
    private readonly options: InventoryOptions,
  ) {
    this.db = readerOf(ctx);
  }

  /** Record the job (the file is read already, so its shape is known to be right). */
  async create(actor: Actor, req: ImportRequest, file: ImportFile, credentials: Record<string, string>): Promise<{ id: string; background: boolean }> {
    const background = file.rows.length > SYNC_MAX_ROWS;
    const created = await this.ctx.transaction(actor, async (tx) => {
      const [job] = await tx.execute<{ id: string; number: string }>(
        `INSERT INTO inventory_import (kind, dry_run, skip_invalid_rows, as_of, file_name, background, source, total_rows, actor_type, actor_id, token_id, created_by_label)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id, number`,
        [
          req.kind,
          !!req.dryRun,
          !!req.skipInvalidRows,
          req.kind === 'opening-balances' ? (req.asOf ? new Date(req.asOf) : new Date()) : null,
          req.fileName ?? null,
          background,
          req.csv,
          file.rows.length,
          actor.type,
          actor.type === 'system' ? null : actor.userId,
          actor.tokenId ?? null,
          actor.label,
        ],
      );
      await tx.audit({
        action: 'created',
        entityType: 'inventory.import',
        entityId: job.id,
        after: { number: String(job.number), kind: req.kind, rows: file.rows.length, dryRun: !!req.dryRun, skipInvalidRows: !!req.skipInvalidRows, fileName: req.fileName ?? null, background },
      });
      return { id: job.id, background };
    });
    this.credentials.set(created.id, credentials);
    return created;
  }

  /** Run a job to its end inside the caller's request. */
  runNow(id: string): Promise<void> {
    return this.track(id, () => this.run(id, Number.MAX_SAFE_INTEGER));
  }

  /** Run a job in the background. */
  start(id: string): void {
    void this.track(id, () => this.run(id, BATCH_ROWS)).catch(() => undefined);
  }

  /** Pick up unfinished jobs nobody works on (after a restart). */
  async resume(): Promise<void> {
    const rows = await this.db.execute<{ id: string }>(
      `SELECT id FROM inventory_import WHERE status IN ('validating', 'importing') AND (locked_until IS NULL OR locked_until < now()) ORDER BY created_at`,
    );
    for (const r of rows) this.start(r.id);
  }

  /** Stop after the batch in hand; the lease runs out and the job resumes on the next start. */
  async close(): Promise<void> {
    this.closing = true;
    await Promise.allSettled([...this.running.values()]);
  }

  private track(id: string, work: () => Promise<void>): Promise<void> {
    const already = this.running.get(id);
    if (already) return already;
    const p = work()
      .catch((err) => {
        this.ctx.log.error({ err, importId: id }, 'import job failed');
        throw err;
      })
      .finally(() => {
        this.running.delete(id);
        this.credentials.delete(id);
      });
    this.running.set(id, p);
    return p;
  }

  private async claim(id: string): Promise<JobRow | undefined> {
    const [job] = await this.db.execute<JobRow>(
      `UPDATE inventory_import SET locked_until = now() + make_interval(secs => $2), started_at = coalesce(started_at, now())
        WHERE id = $1 AND status IN ('validating', 'importing') AND (locked_until IS NULL OR locked_until < now())
        RETURNING id, number, kind, status, dry_run, skip_invalid_rows, as_of, source, total_rows, processed_rows, actor_type, actor_id, token_id, created_by_label`,
      [id, LEASE_SECONDS],
    );
    return job;
  }

  private async run(id: string, batchRows: number): Promise<void> {
    const job = await this.claim(id);
    if (!job) return;
    const actor: Actor = { type: job.actor_type, userId: job.actor_id, label: job.created_by_label, permissions: new Set(), ...(job.token_id ? { tokenId: job.token_id } : {}) };
    const handler = HANDLERS[job.kind];
    const file = readImportFile(job.kind, job.source ?? '');
    const b: BatchContext = { job: { id: job.id, number: String(job.number), asOf: job.as_of ? new Date(job.as_of) : null }, options: this.options };
    const credentials = this.credentials.get(id);
    if (job.kind === 'items' && !credentials && !job.dry_run) {
      // Picked up after a restart: the core routes need the caller, whose credentials are never stored.
      await this.finish(actor, id, 'failed', 'The server stopped during this import; import the file again (items already imported are updated, not created twice)');
      return;
    }
    const env: WriteEnv = {
      db: this.db,
      transaction: (work) => this.ctx.transaction(actor, work),
      call: async (method, url, payload) => {
        const res = await this.app.inject({ method, url, payload: payload as never, headers: credentials ?? {} });
        let body: any = null;
        try {
          body = res.json();
        } catch {}
        if (res.statusCode === 401) {
          // Signed out (or the token was revoked) meanwhile: no row can be written any more.
          throw new ProblemError({ type: 'unauthenticated', status: 401, title: 'Authentication required', detail: 'the credentials that started the import are no longer valid (signed out?); import the file again' });
        }
        return { status: res.statusCode, body };
      },
    };

    try {
      // ---- Pass 1: check every row; nothing is written but the report.
      let invalid: Set<number>;
      if (job.status === 'validating') {
        await this.db.execute(`DELETE FROM inventory_import_error WHERE import_id = $1`, [id]);
        const issues = new RowIssues(file);
        for (const r of file.rows) if (r.error) issues.add(r, null, r.error);
        handler.fileChecks(file, issues);
        let counted = 0;
        for (let k = 0; k < file.rows.length; k += batchRows) {
          if (this.closing) return;
          const batch = file.rows.slice(k, k + batchRows).filter((r) => !issues.bad.has(r.row));
          await handler.check(this.db, file, batch, issues, b);
          await this.storeErrors(this.db, id, issues.errors.slice(counted));
          counted = issues.errors.length;
          await this.db.execute(`UPDATE inventory_import SET validated_rows = $2, error_count = $3, invalid_rows = $4, locked_until = now() + make_interval(secs => $5) WHERE id = $1`, [
            id,
            Math.min(file.rows.length, k + batchRows),
            counted,
            issues.bad.size,
            LEASE_SECONDS,
          ]);
        }
        invalid = issues.bad;
        const fail = invalid.size > 0 && !job.skip_invalid_rows;
        if (fail || job.dry_run) {
          const n = file.rows.length;
          const ok = n - invalid.size;
          const detail = fail
            ? `${invalid.size} of ${n} row${n === 1 ? '' : 's'} ${invalid.size === 1 ? 'is' : 'are'} invalid; nothing was imported${job.dry_run ? ' (dry run)' : ''}`
            : `Dry run: ${ok} row${ok === 1 ? '' : 's'} would be imported${invalid.size ? `, ${invalid.size} skipped` : ''}; nothing was written`;
          await this.finish(actor, id, fail ? 'failed' : 'done', detail);
          return;
        }
        await this.db.execute(`UPDATE inventory_import SET status = 'importing' WHERE id = $1`, [id]);
      } else {
        // Resumed while importing: the invalid rows are in the report; file-level ones are found again.
        const issues = new RowIssues(file);
        for (const r of file.rows) if (r.error) issues.add(r, null, r.error);
        handler.fileChecks(file, issues);
        invalid = new Set([...issues.bad, ...(await this.db.execute<{ row_no: number }>(`SELECT DISTINCT row_no FROM inventory_import_error WHERE import_id = $1`, [id])).map((r) => r.row_no)]);
      }

      // ---- Pass 2: write, batch by batch; each batch ends in a transaction with its audit, events and progress.
      const headed = (errors: RowError[]) => errors.map((e) => ({ ...e, column: e.column ? (file.headerOf[e.column] ?? e.column) : null }));
      for (let k = job.status === 'importing' ? job.processed_rows : 0; k < file.rows.length; k += batchRows) {
        if (this.closing) return;
        const all = file.rows.slice(k, k + batchRows);
        let todo = all.filter((r) => !invalid.has(r.row));
        const last = k + batchRows >= file.rows.length;
        const before = k > 0 ? `Rows before row ${all[0].row} were imported; ` : '';
        let stopped = false;
        for (let attempt = 1; ; attempt++) {
          try {
            await handler.write(env, file, todo, b, async (tx, applied, refused = []) => {
              await tx.execute(
                `UPDATE inventory_import SET processed_rows = processed_rows + $2, imported_rows = imported_rows + $3, created_count = created_count + $4, updated_count = updated_count + $5,
                   unchanged_count = unchanged_count + $6, move_ids = CASE WHEN $7::uuid IS NULL THEN move_ids ELSE array_append(move_ids, $7::uuid) END,
                   locked_until = now() + make_interval(secs => $8) WHERE id = $1`,
                [id, all.length, applied.rows, applied.created, applied.updated, applied.unchanged, applied.moveId ?? null, LEASE_SECONDS],
              );
              if (refused.length) {
                const newly = new Set(refused.map((e) => e.row).filter((r) => !invalid.has(r)));
                await this.storeErrors(tx, id, headed(refused), newly.size);
                for (const r of newly) invalid.add(r);
              }
              if (refused.length && !job.skip_invalid_rows) {
                stopped = true;
                await this.finishIn(tx, id, 'failed', `${before}the import stopped at ${span(all)}: ${refused.length} problem${refused.length === 1 ? '' : 's'} when writing (see the report); the other rows of this batch were imported, nothing after it`);
              } else if (last) await this.finishIn(tx, id, 'done', null);
            });
            break;
          } catch (err) {
            if (err instanceof RowProblems) {
              // Nothing of the batch was written: report those rows, and write the others or stop.
              const errors = headed(err.errors);
              const newly = new Set(errors.map((e) => e.row).filter((r) => !invalid.has(r)));
              await this.storeErrors(this.db, id, errors, newly.size);
              for (const r of newly) invalid.add(r);
              if (job.skip_invalid_rows && attempt < 5) {
                todo = todo.filter((r) => !invalid.has(r.row));
                continue;
              }
              await this.finish(actor, id, 'failed', `${before}the import stopped at ${span(all)}: ${errors.length} problem${errors.length === 1 ? '' : 's'} found when writing (see the report); nothing from there on was imported`);
              return;
            }
            if (!(err instanceof ProblemError)) this.ctx.log.error({ err, importId: id }, 'import batch failed');
            const why = err instanceof ProblemError ? (err.detail ?? err.title) : 'internal error';
            await this.finish(actor, id, 'failed', `${before}the import stopped at ${span(all)}: ${why}`);
            return;
          }
        }
        if (stopped) return;
      }
    } catch (err) {
      this.ctx.log.error({ err, importId: id }, 'import job failed');
      await this.finish(actor, id, 'failed', 'The import stopped on an internal error; what was imported before it stays').catch(() => undefined);
    }
  }

  /** Keep errors in the report (up to the cap); `newlyInvalid` rows are added to the invalid count. */
  private async storeErrors(db: Exec, id: string, errors: RowError[], newlyInvalid?: number) {
    if (!errors.length) return;
    const [c] = await db.execute<{ n: string }>(`SELECT count(*) AS n FROM inventory_import_error WHERE import_id = $1`, [id]);
    const keep = errors.slice(0, Math.max(0, MAX_STORED_ERRORS - Number(c.n)));
    if (keep.length) {
      await db.execute(
        `INSERT INTO inventory_import_error (import_id, row_no, col, message, value) SELECT $1, r, c, m, v FROM unnest($2::int[], $3::text[], $4::text[], $5::text[]) AS x(r, c, m, v)`,
        [id, keep.map((e) => e.row), keep.map((e) => e.column), keep.map((e) => e.message), keep.map((e) => (e.value === undefined || e.value === null ? null : String(e.value).slice(0, 500)))],
      );
    }
    if (newlyInvalid !== undefined) {
      await db.execute(`UPDATE inventory_import SET error_count = error_count + $2, invalid_rows = invalid_rows + $3 WHERE id = $1`, [id, errors.length, newlyInvalid]);
    }
  }

  private async finish(actor: Actor, id: string, status: 'done' | 'failed', detail: string | null) {
    await this.ctx.transaction(actor, (tx) => this.finishIn(tx, id, status, detail));
  }

  private async finishIn(tx: Transaction, id: string, status: 'done' | 'failed', detail: string | null) {
    const [job] = await tx.execute<Record<string, any>>(
      `UPDATE inventory_import SET status = $2, detail = $3, finished_at = now(), locked_until = NULL, source = NULL,
         processed_rows = CASE WHEN $2 = 'done' THEN total_rows ELSE processed_rows END
       WHERE id = $1 RETURNING number, kind, total_rows, invalid_rows, imported_rows, created_count, updated_count, unchanged_count, dry_run`,
      [id, status, detail],
    );
    await tx.audit({
      action: status === 'done' ? 'finished' : 'failed',
      entityType: 'inventory.import',
      entityId: id,
      after: {
        number: String(job.number),
        kind: job.kind,
        status,
        detail,
        rows: job.total_rows,
        invalid: job.invalid_rows,
        imported: job.imported_rows,
        created: job.created_count,
        updated: job.updated_count,
        unchanged: job.unchanged_count,
        dryRun: job.dry_run,
      },
    });
  }
}

/** A job as the API shows it; `errors` is one page of the report. */
export async function loadImport(db: Exec, id: string, page: { limit: number; offset: number } = { limit: 1000, offset: 0 }) {
  const [j] = await db.execute<Record<string, any>>(`SELECT * FROM inventory_import WHERE id = $1`, [id]);
  if (!j) return undefined;
  const errors = await db.execute<{ row_no: number; col: string | null; message: string; value: string | null }>(
    `SELECT row_no, col, message, value FROM inventory_import_error WHERE import_id = $1 ORDER BY row_no, id LIMIT $2 OFFSET $3`,
    [id, page.limit, page.offset],
  );
  const [stored] = await db.execute<{ n: string }>(`SELECT count(*) AS n FROM inventory_import_error WHERE import_id = $1`, [id]);
  return {
    ...importSummary(j),
    errors: errors.map((e) => ({ row: e.row_no, column: e.col, message: e.message, value: e.value })),
    errorsStored: Number(stored.n),
    errorsTruncated: Number(j.error_count) > Number(stored.n),
  };
}

export function importSummary(j: Record<string, any>) {
  // A failed job failed while checking unless it had started writing.
  const importing = j.status === 'importing' || j.status === 'done' || (j.status === 'failed' && Number(j.processed_rows) > 0);
  return {
    id: j.id as string,
    number: String(j.number),
    kind: j.kind as ImportKind,
    status: j.status as (typeof IMPORT_STATUSES)[number],
    dryRun: j.dry_run as boolean,
    skipInvalidRows: j.skip_invalid_rows as boolean,
    asOf: isoOf(j.as_of),
    fileName: j.file_name as string | null,
    background: j.background as boolean,
    progress: {
      phase: (importing ? 'importing' : 'validating') as 'validating' | 'importing',
      processed: importing ? Number(j.processed_rows) : Number(j.validated_rows),
      total: Number(j.total_rows),
    },
    counts: {
      total: Number(j.total_rows),
      valid: Math.max(0, Number(j.total_rows) - Number(j.invalid_rows)),
      invalid: Number(j.invalid_rows),
      imported: Number(j.imported_rows),
      created: Number(j.created_count),
      updated: Number(j.updated_count),
      unchanged: Number(j.unchanged_count),
      errors: Number(j.error_count),
    },
    moveIds: (j.move_ids ?? []) as string[],
    detail: j.detail as string | null,
    createdBy: j.created_by_label as string,
    createdAt: isoOf(j.created_at)!,
    startedAt: isoOf(j.started_at),
    finishedAt: isoOf(j.finished_at),
  };
}

/** Refuse what the body says before anything is written: permissions per kind, the date, the size. */
export function checkImportRequest(actor: Actor, req: ImportRequest, options: InventoryOptions) {
  const may = (p: string) => hasPermission(actor, p);
  const lacking = KIND_PERMISSIONS[req.kind].find((p) => !may(p));
  if (lacking) throw problems.forbidden(lacking);
  const errors: FieldError[] = [];
  if (Buffer.byteLength(req.csv, 'utf8') > MAX_CSV_BYTES) errors.push({ field: 'csv', message: `must be at most ${MAX_CSV_BYTES / 1024 / 1024} MB` });
  if (req.asOf !== undefined) {
    const at = new Date(req.asOf);
    if (req.kind !== 'opening-balances') errors.push({ field: 'asOf', message: 'only opening balances are dated' });
    else if (Number.isNaN(at.getTime())) errors.push({ field: 'asOf', message: 'is not a date-time' });
    else if (at.getTime() > Date.now() + options.futureToleranceSeconds * 1000) errors.push({ field: 'asOf', message: 'must not be in the future' });
  }
  if (errors.length) throw problems.validation(errors);
}
