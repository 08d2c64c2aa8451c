/** Registering assets and changing their register data (not their status: see lifecycle.service.ts). */
import { problems, type FieldError, type Transaction } from '@quartermaster/sdk';
import { AssetCreated, AssetUpdated, type AssetCondition, type InitialStatus } from '../../shared/index.js';
import { amountText, tryDec } from '../../domain/money.js';
import { tagProblem } from '../../domain/asset-tag.js';
import { validateCustomFields } from '../../domain/custom-fields.js';
import { isFinal } from '../../domain/lifecycle.js';
import type { FixedAssetsOptions } from '../options.js';
import { clean } from '../routes/schemas.js';
import { lockAsset, recordEvent } from './asset-store.js';
import { definitionsFor, lockFieldDefinitions } from './fields.service.js';
import { moveSubtree } from './moves.service.js';
import { assetDisposed, componentCycle, tagTaken } from './problems.js';
import { allocateTag, registerTag, retag } from './tags.service.js';

/** Register fields a person types; shared by create and update. */
export interface AssetFields {
  name?: string;
  serialNumber?: string | null;
  itemId?: string | null;
  categoryId?: string | null;
  custodianUserId?: string | null;
  custodianPersonId?: string | null;
  department?: string | null;
  costCentre?: string | null;
  supplier?: string | null;
  purchaseDate?: string | null;
  invoiceNumber?: string | null;
  acquisitionCost?: string | number | null;
  currency?: string;
  warrantyEnd?: string | null;
  condition?: AssetCondition;
  notes?: string | null;
  customFields?: Record<string, unknown>;
  parentId?: string | null;
}

export interface CreateAssetInput extends AssetFields {
  name: string;
  /** The inventory move line that issued the unit from stock, when it was capitalised from stock. */
  fromStockMoveLineId?: string;
  tag?: string;
  locationId?: string | null;
  status?: InitialStatus;
}

export interface UpdateAssetInput extends AssetFields {
  tag?: string;
  version?: number;
}

/** Money as entered: not negative, no more decimals than the currency has, within numeric(20,4). */
export function amountOf(v: string | number | null | undefined, field: string, minorUnits: number, errors: FieldError[]): string | null | undefined {
  if (v === undefined || v === null) return v;
  const d = tryDec(v);
  if (!d) errors.push({ field, message: 'must be a decimal number' });
  else if (d.isNegative()) errors.push({ field, message: 'must not be negative' });
  else if (d.decimalPlaces() > minorUnits) errors.push({ field, message: `must have at most ${minorUnits} decimal places` });
  else if (d.gte('1e16')) errors.push({ field, message: 'is too large' });
  else return d.toFixed();
  return undefined;
}

interface Resolved {
  parent: { id: string; tag: string; location_id: string | null } | null;
}

/** Check every reference at once so one answer lists every problem. */
async function checkReferences(tx: Transaction, f: AssetFields & { locationId?: string | null }, errors: FieldError[]): Promise<Resolved> {
  const one = async (sql: string, id: string | null | undefined) => (id ? (await tx.execute<Record<string, any>>(sql, [id]))[0] : undefined);
  if (f.itemId && !(await one(`SELECT 1 FROM core_item WHERE id = $1 FOR SHARE`, f.itemId))) errors.push({ field: 'itemId', message: 'no such item' });
  if (f.categoryId && !(await one(`SELECT 1 FROM core_category WHERE id = $1 FOR SHARE`, f.categoryId))) errors.push({ field: 'categoryId', message: 'no such category' });
  if (f.locationId) {
    const loc = await one(`SELECT archived FROM core_location WHERE id = $1 FOR SHARE`, f.locationId);
    if (!loc) errors.push({ field: 'locationId', message: 'no such location' });
    else if (loc.archived) errors.push({ field: 'locationId', message: 'is archived' });
  }
  if (f.custodianUserId && f.custodianPersonId) errors.push({ field: 'custodianPersonId', message: 'an asset has one custodian: a user or a person, not both' });
  if (f.custodianUserId) {
    const u = await one(`SELECT active FROM core_user WHERE id = $1`, f.custodianUserId);
    if (!u) errors.push({ field: 'custodianUserId', message: 'no such user' });
    else if (!u.active) errors.push({ field: 'custodianUserId', message: 'is disabled' });
  }
  if (f.custodianPersonId) {
    const p = await one(`SELECT active FROM fixed_assets_person WHERE id = $1 FOR SHARE`, f.custodianPersonId);
    if (!p) errors.push({ field: 'custodianPersonId', message: 'no such person' });
    else if (!p.active) errors.push({ field: 'custodianPersonId', message: 'is inactive' });
  }
  let parent: Resolved['parent'] = null;
  if (f.parentId) {
    const p = await one(`SELECT id, tag, status, location_id FROM fixed_assets_asset WHERE id = $1 FOR SHARE`, f.parentId);
    if (!p) errors.push({ field: 'parentId', message: 'no such asset' });
    else if (isFinal(p.status)) errors.push({ field: 'parentId', message: `${p.tag} was disposed of` });
    else parent = { id: p.id, tag: p.tag, location_id: p.location_id };
  }
  return { parent };
}

function checkDates(purchaseDate: string | null | undefined, warrantyEnd: string | null | undefined, errors: FieldError[]) {
  if (purchaseDate && purchaseDate > new Date().toISOString().slice(0, 10)) errors.push({ field: 'purchaseDate', message: 'must not be in the future' });
  if (purchaseDate && warrantyEnd && warrantyEnd < purchaseDate) errors.push({ field: 'warrantyEnd', message: 'must not be before purchaseDate' });
}

/** JSON with object keys sorted: jsonb hands custom fields back in its own key order. */
const canonical = (v: unknown): string =>
  JSON.stringify(v, (_k, x) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : x));

const throwIf = (errors: FieldError[]) => {
  if (errors.length) throw problems.validation(errors);
};

/** Register an asset; returns its id. */
export async function createAsset(tx: Transaction, input: CreateAssetInput, options: FixedAssetsOptions): Promise<string> {
  const errors: FieldError[] = [];
  const name = input.name.trim();
  if (!name) errors.push({ field: 'name', message: 'must not be blank' });
  const tag = input.tag?.trim();
  if (input.tag !== undefined) {
    const why = tagProblem(tag!);
    if (why) errors.push({ field: 'tag', message: why });
  }
  const cost = amountOf(input.acquisitionCost, 'acquisitionCost', options.currencyMinorUnits, errors);
  checkDates(input.purchaseDate, input.warrantyEnd, errors);
  await lockFieldDefinitions(tx);
  const { parent } = await checkReferences(tx, input, errors);
  // A component is where its parent is.
  let locationId = input.locationId ?? null;
  if (parent) {
    if (locationId && parent.location_id && locationId !== parent.location_id) errors.push({ field: 'locationId', message: `a component is where its parent ${parent.tag} is; leave locationId out` });
    locationId = parent.location_id;
  }
  const customFields = input.customFields ?? {};
  errors.push(...validateCustomFields(customFields, await definitionsFor(tx, input.categoryId ?? null)));
  throwIf(errors);

  const finalTag = tag ?? (await allocateTag(tx, input.categoryId ?? null, options));
  const status = input.status ?? 'in-service';
  const record = {
    tag: finalTag,
    name,
    serialNumber: clean(input.serialNumber),
    itemId: input.itemId ?? null,
    categoryId: input.categoryId ?? null,
    locationId,
    custodianUserId: input.custodianUserId ?? null,
    custodianPersonId: input.custodianPersonId ?? null,
    department: clean(input.department),
    costCentre: clean(input.costCentre),
    supplier: clean(input.supplier),
    purchaseDate: input.purchaseDate ?? null,
    invoiceNumber: clean(input.invoiceNumber),
    acquisitionCost: cost ?? null,
    currency: input.currency ?? options.defaultCurrency,
    warrantyEnd: input.warrantyEnd ?? null,
    status,
    condition: input.condition ?? 'good',
    notes: clean(input.notes),
    customFields,
    parentId: parent?.id ?? null,
  };
  // The unique constraint decides between two registrations of one tag at once, not a look-up.
  const [row] = await tx.execute<{ id: string }>(
    `INSERT INTO fixed_assets_asset (tag, name, serial_number, item_id, category_id, location_id, custodian_user_id, custodian_person_id, department, cost_centre,
       supplier, purchase_date, invoice_number, acquisition_cost, currency, warranty_end, status, condition, notes, custom_fields, parent_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20::jsonb, $21)
     ON CONFLICT ON CONSTRAINT fixed_assets_asset_tag_key DO NOTHING RETURNING id`,
    [
      record.tag, record.name, record.serialNumber, record.itemId, record.categoryId, record.locationId, record.custodianUserId, record.custodianPersonId,
      record.department, record.costCentre, record.supplier, record.purchaseDate, record.invoiceNumber, record.acquisitionCost, record.currency,
      record.warrantyEnd, record.status, record.condition, record.notes, JSON.stringify(record.customFields), record.parentId,
    ],
  );
  if (!row) {
    const [other] = await tx.execute<{ id: string }>(`SELECT id FROM fixed_assets_asset WHERE tag = $1`, [record.tag]);
    throw tagTaken(record.tag, other?.id ?? null);
  }
  await registerTag(tx, row.id, record.tag);
  await recordEvent(tx, row.id, { type: 'created', to: status, data: { tag: record.tag, ...(parent ? { parentId: parent.id } : {}) } });
  await tx.audit({ action: 'created', entityType: 'fixed-assets.asset', entityId: row.id, after: { id: row.id, ...record } });
  await tx.emit(AssetCreated, {
    id: row.id,
    tag: record.tag,
    name,
    status,
    categoryId: record.categoryId,
    locationId,
    parentId: record.parentId,
    acquisitionCost: record.acquisitionCost === null ? null : amountText(record.acquisitionCost, options.currencyMinorUnits),
    currency: record.currency,
    purchaseDate: record.purchaseDate,
    fromStockMoveLineId: input.fromStockMoveLineId ?? null,
  });
  return row.id;
}

/** Column and API name of each register field a PATCH may change. */
const COLUMNS: [keyof UpdateAssetInput, string][] = [
  ['tag', 'tag'],
  ['name', 'name'],
  ['serialNumber', 'serial_number'],
  ['itemId', 'item_id'],
  ['categoryId', 'category_id'],
  ['custodianUserId', 'custodian_user_id'],
  ['custodianPersonId', 'custodian_person_id'],
  ['department', 'department'],
  ['costCentre', 'cost_centre'],
  ['supplier', 'supplier'],
  ['purchaseDate', 'purchase_date'],
  ['invoiceNumber', 'invoice_number'],
  ['acquisitionCost', 'acquisition_cost'],
  ['currency', 'currency'],
  ['warrantyEnd', 'warranty_end'],
  ['condition', 'condition'],
  ['notes', 'notes'],
  ['customFields', 'custom_fields'],
  ['parentId', 'parent_id'],
];

/** Change register data. Status, location and custody have their own operations. Returns whether anything changed. */
export async function updateAsset(tx: Transaction, id: string, input: UpdateAssetInput, options: FixedAssetsOptions): Promise<boolean> {
  const locked = await lockAsset(tx, id);
  if (isFinal(locked.status)) throw assetDisposed(locked);
  if (input.version !== undefined && input.version !== locked.version) {
    throw problems.conflict('stale-version', 'Asset changed meanwhile', `You edited version ${input.version}, but asset ${locked.tag} is at version ${locked.version}; reload and retry`, {
      currentVersion: locked.version,
    });
  }
  const [before] = await tx.execute<Record<string, any>>(
    `SELECT tag, name, serial_number, item_id, category_id, custodian_user_id, custodian_person_id, department, cost_centre, supplier, purchase_date::text AS purchase_date,
            invoice_number, acquisition_cost::text AS acquisition_cost, currency, warranty_end::text AS warranty_end, condition, notes, custom_fields, parent_id
       FROM fixed_assets_asset WHERE id = $1`,
    [id],
  );
  // numeric(20,4) reads back as '1249.5000'; compare amounts as numbers, not text.
  if (before.acquisition_cost !== null) before.acquisition_cost = tryDec(before.acquisition_cost)!.toFixed();
  const errors: FieldError[] = [];
  const next: Record<string, any> = { ...before };
  const set = <K extends keyof UpdateAssetInput>(key: K, column: string, value: unknown) => {
    if (input[key] !== undefined) next[column] = value;
  };
  if (input.name !== undefined && !input.name.trim()) errors.push({ field: 'name', message: 'must not be blank' });
  if (input.tag !== undefined) {
    const why = tagProblem(input.tag.trim());
    if (why) errors.push({ field: 'tag', message: why });
  }
  const cost = amountOf(input.acquisitionCost, 'acquisitionCost', options.currencyMinorUnits, errors);
  set('tag', 'tag', input.tag?.trim());
  set('name', 'name', input.name?.trim());
  for (const [key, column] of [['serialNumber', 'serial_number'], ['department', 'department'], ['costCentre', 'cost_centre'], ['supplier', 'supplier'], ['invoiceNumber', 'invoice_number'], ['notes', 'notes']] as const) {
    set(key, column, clean(input[key]));
  }
  for (const [key, column] of [['itemId', 'item_id'], ['categoryId', 'category_id'], ['purchaseDate', 'purchase_date'], ['warrantyEnd', 'warranty_end'], ['currency', 'currency'], ['condition', 'condition'], ['customFields', 'custom_fields'], ['parentId', 'parent_id']] as const) {
    set(key, column, input[key]);
  }
  if (input.acquisitionCost !== undefined) next.acquisition_cost = cost ?? null;
  // One custodian: naming a user replaces the person and the other way round.
  if (input.custodianUserId !== undefined) {
    next.custodian_user_id = input.custodianUserId;
    if (input.custodianUserId && input.custodianPersonId === undefined) next.custodian_person_id = null;
  }
  if (input.custodianPersonId !== undefined) {
    next.custodian_person_id = input.custodianPersonId;
    if (input.custodianPersonId && input.custodianUserId === undefined) next.custodian_user_id = null;
  }
  checkDates(next.purchase_date, next.warranty_end, errors);
  await lockFieldDefinitions(tx);
  const { parent } = await checkReferences(
    tx,
    {
      itemId: input.itemId,
      categoryId: input.categoryId,
      custodianUserId: input.custodianUserId === undefined ? undefined : next.custodian_user_id,
      custodianPersonId: input.custodianPersonId === undefined ? undefined : next.custodian_person_id,
      parentId: input.parentId,
    },
    errors,
  );
  if (input.customFields !== undefined || input.categoryId !== undefined) {
    errors.push(...validateCustomFields(next.custom_fields ?? {}, await definitionsFor(tx, next.category_id)));
  }
  throwIf(errors);
  if (parent) {
    // Attaching under one of its own components would make a loop.
    const [loop] = await tx.execute(
      `WITH RECURSIVE up AS (SELECT id, parent_id, 0 AS depth FROM fixed_assets_asset WHERE id = $1
                             UNION ALL SELECT a.id, a.parent_id, up.depth + 1 FROM fixed_assets_asset a JOIN up ON a.id = up.parent_id WHERE up.depth < 100)
       SELECT 1 FROM up WHERE id = $2`,
      [parent.id, id],
    );
    if (loop) throw componentCycle(locked, parent);
  }

  const differs = (column: string) => canonical(next[column] ?? null) !== canonical(before[column] ?? null);
  const changed = COLUMNS.filter(([key, column]) => input[key] !== undefined && differs(column)).map(([key]) => key as string);
  for (const [key, column] of [['custodianUserId', 'custodian_user_id'], ['custodianPersonId', 'custodian_person_id']] as const) {
    if (!changed.includes(key) && differs(column)) changed.push(key);
  }
  if (!changed.length) return false;
  if (changed.includes('tag')) await retag(tx, id, before.tag, next.tag);
  await tx.execute(
    `UPDATE fixed_assets_asset SET tag = $2, name = $3, serial_number = $4, item_id = $5, category_id = $6, custodian_user_id = $7, custodian_person_id = $8,
       department = $9, cost_centre = $10, supplier = $11, purchase_date = $12, invoice_number = $13, acquisition_cost = $14, currency = $15, warranty_end = $16,
       condition = $17, notes = $18, custom_fields = $19::jsonb, parent_id = $20, version = version + 1, updated_at = now()
     WHERE id = $1`,
    [
      id, next.tag, next.name, next.serial_number, next.item_id, next.category_id, next.custodian_user_id, next.custodian_person_id, next.department,
      next.cost_centre, next.supplier, next.purchase_date, next.invoice_number, next.acquisition_cost, next.currency, next.warranty_end, next.condition,
      next.notes, JSON.stringify(next.custom_fields ?? {}), next.parent_id,
    ],
  );
  const delta = Object.fromEntries(COLUMNS.filter(([key]) => changed.includes(key)).map(([key, column]) => [key, { from: before[column] ?? null, to: next[column] ?? null }]));
  await recordEvent(tx, id, { type: 'updated', data: { changed, ...(changed.includes('tag') ? { fromTag: before.tag, toTag: next.tag } : {}), ...(changed.includes('parentId') ? { fromParentId: before.parent_id, toParentId: next.parent_id } : {}) } });
  await tx.audit({ action: 'updated', entityType: 'fixed-assets.asset', entityId: id, before: Object.fromEntries(Object.entries(delta).map(([k, v]) => [k, v.from])), after: Object.fromEntries(Object.entries(delta).map(([k, v]) => [k, v.to])) });
  await tx.emit(AssetUpdated, { id, tag: next.tag, changed });
  // Attached to a parent somewhere else: the asset (and its own components) goes there.
  if (parent && parent.location_id && parent.location_id !== locked.location_id) await moveSubtree(tx, id, parent.location_id, null, parent.id);
  return true;
}
