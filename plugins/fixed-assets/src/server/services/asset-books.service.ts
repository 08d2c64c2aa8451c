/**
 * Putting an asset into a depreciation book (method, life, salvage, convention, and for migrations
 * the accumulated depreciation brought over). Shared by `PUT /assets/:id/books/:book` and the CSV
 * import; the caller writes the audit record.
 */
import { ProblemError, problems, type Transaction } from '@quartermaster/sdk';
import { dec } from '../../domain/money.js';
import { ASSET_BOOK_COLUMNS, invalidDepreciation, requireBook, scheduleOf, type AssetBookRow } from './depreciation.service.js';
import type { Db } from './db.js';

type Num = string | number;

/** What a book setting says (the body of PUT /assets/:id/books/:book). */
export interface AssetBookInput {
  method: AssetBookRow['method'];
  /** Depreciable basis; default the asset's acquisition cost. */
  costBasis?: Num;
  salvageValue?: Num;
  usefulLifeYears?: Num;
  recoveryPeriodYears?: number;
  factor?: Num;
  rate?: Num;
  switchToStraightLine?: boolean;
  convention?: string;
  placedInService: string;
  totalUnits?: Num;
  unitsByPeriod?: Num[];
  /** Accumulated depreciation brought over from another system (migrations). */
  openingAccumulated?: Num;
}

export async function assetBookOf(db: Db, assetId: string, book: string): Promise<AssetBookRow | null> {
  const [row] = await db.execute<AssetBookRow>(`SELECT ${ASSET_BOOK_COLUMNS} FROM fixed_assets_asset_book ab WHERE ab.asset_id = $1 AND ab.book_code = $2`, [assetId, book]);
  return row ?? null;
}

/**
 * Set an asset's parameters in a book, checked the way the schedule computes (422
 * `fixed-assets/invalid-depreciation` naming each field). Refused once the book has postings,
 * adjustments or a disposal (409 `fixed-assets/book-posted`). Returns the book row before and after.
 */
export async function setAssetBook(tx: Transaction, id: string, code: string, b: AssetBookInput, minorUnits: number): Promise<{ before: AssetBookRow | null; after: AssetBookRow }> {
  const book = await requireBook(tx, code);
  const [asset] = await tx.execute<{ acquisition_cost: string | null; status: string; tag: string }>(
    `SELECT acquisition_cost::text AS acquisition_cost, status, tag FROM fixed_assets_asset WHERE id = $1 FOR UPDATE`,
    [id],
  );
  if (!asset) throw problems.notFound('asset', id);
  const before = await assetBookOf(tx, id, code);
  if (before && (before.posted_through || before.adjustments?.length || before.disposed_on)) {
    const adjustmentsRoute = `POST /api/fixed-assets/assets/${id}/books/${code}/adjustments`;
    const why = before.disposed_on
      ? `${asset.tag} was disposed of on ${before.disposed_on}`
      : before.posted_through
        ? `Depreciation of ${asset.tag} is posted in the ${code} book through ${before.posted_through}`
        : `${asset.tag} has adjustments in the ${code} book (${before.adjustments!.map((a) => `${a.kind} effective ${a.effective_on}`).join(', ')})`;
    throw new ProblemError({
      type: 'fixed-assets/book-posted',
      status: 409,
      title: 'Depreciation already posted',
      detail: `${why}; its parameters no longer change retroactively. Revaluations, impairments and new estimates of the useful life or residual value apply prospectively through ${adjustmentsRoute}`,
      extensions: { assetId: id, book: code, postedThrough: before.posted_through, adjustments: before.adjustments?.length ?? 0, route: adjustmentsRoute },
    });
  }
  const costBasis = b.costBasis ?? asset.acquisition_cost;
  if (costBasis === null || costBasis === undefined) throw problems.validation([{ field: 'costBasis', message: 'the asset has no acquisition cost: give the depreciable basis' }]);
  const opening = b.openingAccumulated ?? 0;
  const row: AssetBookRow = {
    asset_id: id,
    book_code: code,
    method: b.method,
    cost_basis: String(costBasis),
    salvage_value: String(b.salvageValue ?? 0),
    useful_life_years: b.usefulLifeYears === undefined ? null : String(b.usefulLifeYears),
    recovery_period_years: b.recoveryPeriodYears ?? null,
    factor: b.factor === undefined ? null : String(b.factor),
    rate: b.rate === undefined ? null : String(b.rate),
    switch_to_straight_line: !!b.switchToStraightLine,
    convention: b.convention ?? null,
    placed_in_service: b.placedInService,
    total_units: b.totalUnits === undefined ? null : String(b.totalUnits),
    units_by_period: (b.unitsByPeriod ?? []).map(String),
    opening_accumulated: String(opening),
    posted_accumulated: String(opening),
    posted_through: null,
  };
  // The schedule must compute: nonsense (salvage above cost, no life…) is refused here, naming the field.
  const schedule = scheduleOf(row, book, minorUnits);
  const total = schedule.length ? schedule[schedule.length - 1].accumulated : '0';
  if (dec(opening).lt(0) || dec(opening).gt(dec(total))) {
    throw invalidDepreciation([{ field: 'openingAccumulated', message: `must be between 0 and the schedule's total depreciation (${total})` }]);
  }
  await tx.execute(
    `INSERT INTO fixed_assets_asset_book (asset_id, book_code, method, cost_basis, salvage_value, useful_life_years, recovery_period_years, factor, rate,
       switch_to_straight_line, convention, placed_in_service, total_units, units_by_period, opening_accumulated, posted_accumulated)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14::jsonb, $15, $15)
     ON CONFLICT (asset_id, book_code) DO UPDATE SET method = EXCLUDED.method, cost_basis = EXCLUDED.cost_basis, salvage_value = EXCLUDED.salvage_value,
       useful_life_years = EXCLUDED.useful_life_years, recovery_period_years = EXCLUDED.recovery_period_years, factor = EXCLUDED.factor, rate = EXCLUDED.rate,
       switch_to_straight_line = EXCLUDED.switch_to_straight_line, convention = EXCLUDED.convention, placed_in_service = EXCLUDED.placed_in_service,
       total_units = EXCLUDED.total_units, units_by_period = EXCLUDED.units_by_period, opening_accumulated = EXCLUDED.opening_accumulated,
       posted_accumulated = EXCLUDED.posted_accumulated, version = fixed_assets_asset_book.version + 1, updated_at = now()`,
    [
      id,
      code,
      row.method,
      row.cost_basis,
      row.salvage_value,
      row.useful_life_years,
      row.recovery_period_years,
      row.factor,
      row.rate,
      row.switch_to_straight_line,
      row.convention,
      row.placed_in_service,
      row.total_units,
      JSON.stringify(row.units_by_period),
      row.opening_accumulated,
    ],
  );
  return { before, after: (await assetBookOf(tx, id, code))! };
}
