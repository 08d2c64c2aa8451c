/**
 * Read models: assets, custodies and bookings as the API shows them, loaded a page at a time with a
 * fixed number of statements (never one per row).
 */
import type { Static } from '@quartermaster/sdk';
import type { AssetCondition, AssetStatus, BookingHolderType, BookingStatus, CustodyHolderType, DisposalKind } from '../../shared/index.js';
import { amountText } from '../../domain/money.js';
import type { AssetOut, BookingOut, CustodyOut } from '../routes/outputs.js';
import { isoOf, pathsOf, type Db } from './db.js';

export interface AssetRow {
  id: string;
  tag: string;
  name: string;
  serial_number: string | null;
  item_id: string | null;
  item_name: string | null;
  category_id: string | null;
  location_id: string | null;
  custodian_user_id: string | null;
  custodian_user_name: string | null;
  custodian_person_id: string | null;
  custodian_person_name: string | null;
  department: string | null;
  cost_centre: string | null;
  supplier: string | null;
  purchase_date: string | null;
  invoice_number: string | null;
  acquisition_cost: string | null;
  currency: string;
  warranty_end: string | null;
  status: AssetStatus;
  condition: AssetCondition;
  notes: string | null;
  custom_fields: Record<string, unknown>;
  parent_id: string | null;
  parent_tag: string | null;
  parent_name: string | null;
  child_count: number;
  disposal_kind: DisposalKind | null;
  disposed_on: string | null;
  disposal_proceeds: string | null;
  disposal_reason: string | null;
  costs_of_disposal?: string | null;
  flagged_missing_at?: Date | string | null;
  version: number;
  created_at: Date | string;
  updated_at: Date | string;
  total?: string;
}

/** One asset per row with its names; filter with `a.`-qualified conditions. Dates as text so no time zone shifts them. */
export const ASSET_SELECT = `
  SELECT a.id, a.tag, a.name, a.serial_number, a.item_id, i.name AS item_name, a.category_id, a.location_id,
         a.custodian_user_id, cu.name AS custodian_user_name, a.custodian_person_id, cp.name AS custodian_person_name,
         a.department, a.cost_centre, a.supplier, a.purchase_date::text AS purchase_date, a.invoice_number,
         a.acquisition_cost::text AS acquisition_cost, a.currency, a.warranty_end::text AS warranty_end, a.status, a.condition,
         a.notes, a.custom_fields, a.parent_id, p.tag AS parent_tag, p.name AS parent_name,
         (SELECT count(*) FROM fixed_assets_asset ch WHERE ch.parent_id = a.id)::int AS child_count,
         a.disposal_kind, a.disposed_on::text AS disposed_on, a.disposal_proceeds::text AS disposal_proceeds, a.disposal_reason,
         a.costs_of_disposal::text AS costs_of_disposal,
         a.flagged_missing_at,
         a.version, a.created_at, a.updated_at
    FROM fixed_assets_asset a
    LEFT JOIN core_item i ON i.id = a.item_id
    LEFT JOIN core_user cu ON cu.id = a.custodian_user_id
    LEFT JOIN fixed_assets_person cp ON cp.id = a.custodian_person_id
    LEFT JOIN fixed_assets_asset p ON p.id = a.parent_id`;

export type AssetView = Static<typeof AssetOut>;
export type CustodyView = Static<typeof CustodyOut>;
export type BookingView = Static<typeof BookingOut>;

/** Shape rows from ASSET_SELECT for the API, with category and location paths and open custodies. */
export async function assetViews(db: Db, rows: AssetRow[], minorUnits: number): Promise<AssetView[]> {
  if (!rows.length) return [];
  // One after the other: inside a transaction they share one connection anyway.
  const categories = await pathsOf(db, 'core_category', rows.map((r) => r.category_id));
  const locations = await pathsOf(db, 'core_location', rows.map((r) => r.location_id));
  const custodies = await custodyViews(db, `c.asset_id = ANY($1::uuid[]) AND c.checked_in_at IS NULL`, [rows.map((r) => r.id)]);
  const open = new Map(custodies.map((c) => [c.assetId, c]));
  const disposalBooks = await disposalBooksOf(db, rows.filter((r) => r.disposal_kind).map((r) => r.id), minorUnits);
  const pathed = (id: string | null, paths: Map<string, { name: string; path: string }>) => (id && paths.has(id) ? { id, ...paths.get(id)! } : null);
  return rows.map((r) => ({
    id: r.id,
    tag: r.tag,
    name: r.name,
    serialNumber: r.serial_number,
    status: r.status,
    condition: r.condition,
    itemId: r.item_id,
    item: r.item_id ? { id: r.item_id, name: r.item_name ?? '' } : null,
    categoryId: r.category_id,
    category: pathed(r.category_id, categories),
    locationId: r.location_id,
    location: pathed(r.location_id, locations),
    custodian: r.custodian_user_id
      ? { type: 'user' as const, id: r.custodian_user_id, label: r.custodian_user_name ?? '' }
      : r.custodian_person_id
        ? { type: 'person' as const, id: r.custodian_person_id, label: r.custodian_person_name ?? '' }
        : null,
    department: r.department,
    costCentre: r.cost_centre,
    supplier: r.supplier,
    purchaseDate: r.purchase_date,
    invoiceNumber: r.invoice_number,
    acquisitionCost: r.acquisition_cost === null ? null : amountText(r.acquisition_cost, minorUnits),
    currency: r.currency,
    warrantyEnd: r.warranty_end,
    notes: r.notes,
    customFields: r.custom_fields ?? {},
    parentId: r.parent_id,
    parent: r.parent_id ? { id: r.parent_id, tag: r.parent_tag ?? '', name: r.parent_name ?? '' } : null,
    childCount: Number(r.child_count),
    custody: open.get(r.id) ?? null,
    disposal: r.disposal_kind
      ? {
          kind: r.disposal_kind,
          disposedOn: r.disposed_on!,
          proceeds: r.disposal_proceeds === null ? null : amountText(r.disposal_proceeds, minorUnits),
          costsOfDisposal: r.costs_of_disposal == null ? null : amountText(r.costs_of_disposal, minorUnits),
          reason: r.disposal_reason,
          books: disposalBooks.get(r.id) ?? [],
        }
      : null,
    flaggedMissingAt: isoOf(r.flagged_missing_at),
    version: r.version,
    createdAt: isoOf(r.created_at)!,
    updatedAt: isoOf(r.updated_at)!,
  }));
}

/** Each disposed asset's figures per book (fixed_assets_disposal_book), in one statement. */
async function disposalBooksOf(db: Db, ids: string[], minorUnits: number) {
  const out = new Map<string, NonNullable<AssetView['disposal']>['books']>();
  if (!ids.length) return out;
  const rows = await db.execute<Record<string, string | null> & { asset_id: string; book_code: string }>(
    `SELECT asset_id, book_code, cost::text AS cost, accumulated::text AS accumulated, catch_up_depreciation::text AS catch_up, net_book_value::text AS nbv,
            net_proceeds::text AS net_proceeds, gain_or_loss::text AS gain_or_loss, journal_entry_id::text AS journal_entry_id
       FROM fixed_assets_disposal_book WHERE asset_id = ANY($1::uuid[]) ORDER BY asset_id, book_code`,
    [ids],
  );
  for (const r of rows) {
    const text = (v: string | null) => amountText(v ?? 0, minorUnits);
    const list = out.get(r.asset_id) ?? [];
    list.push({
      book: r.book_code,
      cost: text(r.cost),
      accumulated: text(r.accumulated),
      catchUpDepreciation: text(r.catch_up),
      netBookValue: text(r.nbv),
      netProceeds: text(r.net_proceeds),
      gainOrLoss: text(r.gain_or_loss),
      journalEntryId: r.journal_entry_id,
    });
    out.set(r.asset_id, list);
  }
  return out;
}

export async function assetView(db: Db, id: string, minorUnits: number): Promise<AssetView | null> {
  const rows = await db.execute<AssetRow>(`${ASSET_SELECT} WHERE a.id = $1`, [id]);
  return (await assetViews(db, rows, minorUnits))[0] ?? null;
}

/** Holder of a custody or a booking: its id by type, and a label a person recognises. */
const HOLDER_COLUMNS = (t: string) => `
  CASE ${t}.holder_type WHEN 'user' THEN ${t}.holder_user_id WHEN 'person' THEN ${t}.holder_person_id ${t === 'c' ? `WHEN 'location' THEN ${t}.holder_location_id` : ''} END AS holder_id,
  CASE ${t}.holder_type WHEN 'user' THEN hu.name WHEN 'person' THEN hp.name ${t === 'c' ? `WHEN 'location' THEN hl.name` : ''} ELSE ${t}.project END AS holder_label`;

export const CUSTODY_SELECT = `
  SELECT c.*, a.tag, a.name AS asset_name, ${HOLDER_COLUMNS('c')},
         coalesce(c.checked_in_at IS NULL AND c.expected_return_at < now(), false) AS overdue
    FROM fixed_assets_custody c
    JOIN fixed_assets_asset a ON a.id = c.asset_id
    LEFT JOIN core_user hu ON hu.id = c.holder_user_id
    LEFT JOIN fixed_assets_person hp ON hp.id = c.holder_person_id
    LEFT JOIN core_location hl ON hl.id = c.holder_location_id`;

export interface CustodyRow {
  id: string;
  asset_id: string;
  tag: string;
  asset_name: string;
  booking_id: string | null;
  holder_type: CustodyHolderType;
  holder_id: string | null;
  holder_label: string | null;
  checked_out_at: Date | string;
  checked_out_by_label: string;
  expected_return_at: Date | string | null;
  condition_out: string | null;
  note_out: string | null;
  checked_in_at: Date | string | null;
  checked_in_by_label: string | null;
  condition_in: string | null;
  note_in: string | null;
  outcome: 'returned' | 'lost' | 'stolen' | null;
  overdue: boolean;
  total?: string;
}

export const custodyView = (r: CustodyRow): CustodyView => ({
  id: r.id,
  assetId: r.asset_id,
  tag: r.tag,
  assetName: r.asset_name,
  bookingId: r.booking_id,
  holder: { type: r.holder_type, id: r.holder_id, label: r.holder_label ?? '' },
  checkedOutAt: isoOf(r.checked_out_at)!,
  checkedOutBy: r.checked_out_by_label,
  expectedReturnAt: isoOf(r.expected_return_at),
  conditionOut: r.condition_out,
  noteOut: r.note_out,
  checkedInAt: isoOf(r.checked_in_at),
  checkedInBy: r.checked_in_by_label,
  conditionIn: r.condition_in,
  noteIn: r.note_in,
  outcome: r.outcome,
  overdue: r.overdue,
});

export async function custodyViews(db: Db, where: string, params: unknown[], tail = 'ORDER BY c.checked_out_at DESC, c.id'): Promise<CustodyView[]> {
  return (await db.execute<CustodyRow>(`${CUSTODY_SELECT} WHERE ${where} ${tail}`, params)).map(custodyView);
}

export const BOOKING_SELECT = `
  SELECT b.id, b.number::text AS number, b.kit_id, k.name AS kit_name, b.holder_type, ${HOLDER_COLUMNS('b')},
         lower(b.period) AS starts_at, upper(b.period) AS ends_at, b.status, b.note, b.created_at, b.created_by_label, b.closed_at, b.cancel_reason,
         (SELECT coalesce(json_agg(json_build_object('id', a.id, 'tag', a.tag, 'name', a.name, 'status', a.status, 'active', ba.active) ORDER BY a.tag), '[]')
            FROM fixed_assets_booking_asset ba JOIN fixed_assets_asset a ON a.id = ba.asset_id WHERE ba.booking_id = b.id) AS assets
    FROM fixed_assets_booking b
    LEFT JOIN fixed_assets_kit k ON k.id = b.kit_id
    LEFT JOIN core_user hu ON hu.id = b.holder_user_id
    LEFT JOIN fixed_assets_person hp ON hp.id = b.holder_person_id`;

export interface BookingRow {
  id: string;
  number: string;
  kit_id: string | null;
  kit_name: string | null;
  holder_type: BookingHolderType;
  holder_id: string | null;
  holder_label: string | null;
  starts_at: Date | string;
  ends_at: Date | string;
  status: BookingStatus;
  note: string | null;
  created_at: Date | string;
  created_by_label: string;
  closed_at: Date | string | null;
  cancel_reason: string | null;
  assets: { id: string; tag: string; name: string; status: AssetStatus; active: boolean }[];
  total?: string;
}

export const bookingView = (r: BookingRow): BookingView => ({
  id: r.id,
  number: r.number,
  kitId: r.kit_id,
  kitName: r.kit_name,
  holder: { type: r.holder_type, id: r.holder_id, label: r.holder_label ?? '' },
  startsAt: isoOf(r.starts_at)!,
  endsAt: isoOf(r.ends_at)!,
  status: r.status,
  note: r.note,
  assets: r.assets,
  createdAt: isoOf(r.created_at)!,
  createdBy: r.created_by_label,
  closedAt: isoOf(r.closed_at),
  cancelReason: r.cancel_reason,
});

export async function bookingView1(db: Db, id: string): Promise<BookingView | null> {
  const [row] = await db.execute<BookingRow>(`${BOOKING_SELECT} WHERE b.id = $1`, [id]);
  return row ? bookingView(row) : null;
}
