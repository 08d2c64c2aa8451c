/**
 * Computations behind the reports that are not a single SQL statement: the depreciation forecast
 * (schedules are pure functions, so it walks the register in keyset batches and keeps only the
 * sums per group and year), fiscal years of a book, tree filters and group labels.
 */
import { problems } from '@quartermaster/sdk';
import { dayNumber, isoDate, parseDay, parseIsoDate } from '../../domain/depreciation/fiscal-calendar.js';
import { ZERO, dec, max, type Dec } from '../../domain/money.js';
import { ASSET_BOOK_COLUMNS, periodOf, scheduleOf, type AssetBookRow, type Book } from './depreciation.service.js';
import { pathsOf, type Db } from './db.js';

/** Today as a UTC calendar date. */
export const todayIso = () => new Date().toISOString().slice(0, 10);

/** A node of a core tree and every node below it, as an id array (null: no filter); 400 naming `field` when there is no such node. */
export async function subtreeIds(db: Db, table: 'core_location' | 'core_category', id: string | undefined, field = table === 'core_location' ? 'locationId' : 'categoryId'): Promise<string[] | null> {
  if (!id) return null;
  const [row] = await db.execute<{ ids: string[] | null }>(
    `WITH RECURSIVE sub AS (SELECT id FROM ${table} WHERE id = $1 UNION ALL SELECT c.id FROM ${table} c JOIN sub ON c.parent_id = sub.id) SELECT array_agg(id) AS ids FROM sub`,
    [id],
  );
  if (!row.ids?.length) throw problems.validation([{ field, message: `no such ${table === 'core_location' ? 'location' : 'category'}` }]);
  return row.ids;
}

/**
 * `sites`: every location with the top-most location of type `site` above it (or itself), null
 * when there is none on its way to the root.
 */
export const SITES_CTE = `sites AS (
  SELECT id, CASE WHEN type = 'site' THEN id END AS site_id FROM core_location WHERE parent_id IS NULL
  UNION ALL SELECT c.id, coalesce(s.site_id, CASE WHEN c.type = 'site' THEN c.id END) FROM core_location c JOIN sites s ON c.parent_id = s.id)`;

export type GroupBy = 'category' | 'site' | 'location' | 'none';

const NONE_LABEL: Record<GroupBy, string> = { category: '(no category)', site: '(no site)', location: '(no location)', none: 'All assets' };

/** Names of report groups: category and location paths, site names. */
export async function groupLabels(db: Db, groupBy: GroupBy, ids: (string | null)[]): Promise<(id: string | null) => string> {
  const paths = groupBy === 'category' ? await pathsOf(db, 'core_category', ids) : groupBy === 'none' ? new Map() : await pathsOf(db, 'core_location', ids);
  return (id) => (id === null ? NONE_LABEL[groupBy] : (paths.get(id)?.path ?? id));
}

export interface FiscalYear {
  /** `2026` for calendar years, `2025/26` for a year from 1 July 2025. */
  label: string;
  start: string;
  end: string;
}

/** The book's fiscal year containing `from` and the `count − 1` after it. */
export function fiscalYears(book: Pick<Book, 'fiscalYearStart'>, from: string, count: number): FiscalYear[] {
  const years: FiscalYear[] = [];
  let day = from;
  for (let i = 0; i < count; i++) {
    const { start, end } = periodOf({ periodFrequency: 'year', fiscalYearStart: book.fiscalYearStart }, day);
    const [sy, ey] = [start.slice(0, 4), end.slice(0, 4)];
    years.push({ label: sy === ey ? sy : `${sy}/${ey.slice(2)}`, start, end });
    day = isoDate(parseDay(end) + 1);
  }
  return years;
}

export interface ForecastGroup {
  key: string | null;
  currency: string;
  assets: number;
  amounts: Dec[];
  beyond: Dec;
  remaining: Dec;
}

export interface ForecastFilter {
  categoryIds: string[] | null;
  locationIds: string[] | null;
}

/**
 * Projected depreciation per fiscal year of one asset in one book, from its schedule less what is
 * posted: S(d) is the schedule's accumulated depreciation at the last period ending by d, P what
 * is posted (opening balance included). Year k forecasts max(S(end k), P) − max(S(end k−1), P)
 * with S(end 0) = P: exactly what the period runs of that year will post (the first year catches
 * up periods left unposted before it). `beyond` is what comes after the last year; the years and
 * `beyond` add up to `remaining` = max(S(end of life), P) − P = cost − salvage − posted.
 */
export function forecastOf(row: AssetBookRow, book: Book, years: FiscalYear[], minorUnits: number): { amounts: Dec[]; beyond: Dec; remaining: Dec } {
  // Only fiscal year ends are read, where a monthly schedule has accumulated exactly what the yearly
  // one has (months split their year's rounded amount): the yearly one is computed instead, about
  // 15 times faster. Not for units of production (units are given per period) or adjusted schedules
  // (adjustments take effect on the first day of a month). test/domain/year-end-accumulation.test.ts
  const yearly = book.periodFrequency === 'month' && row.method !== 'units-of-production' && !row.adjustments?.length;
  const schedule = scheduleOf(row, yearly ? { ...book, periodFrequency: 'year' } : book, minorUnits);
  const posted = dec(row.posted_accumulated);
  const total = max(schedule.length ? dec(schedule[schedule.length - 1].accumulated) : ZERO, posted);
  let i = 0;
  let accumulated = ZERO;
  let before = posted;
  const amounts = years.map((y) => {
    const first = i;
    while (i < schedule.length && schedule[i].periodEnd <= y.end) i++;
    if (i > first) accumulated = dec(schedule[i - 1].accumulated);
    const through = max(accumulated, posted);
    const amount = through.minus(before);
    before = through;
    return amount;
  });
  return { amounts, beyond: total.minus(before), remaining: total.minus(posted) };
}

/**
 * The forecast of every asset in the book (not disposed, within the filters), summed per group
 * (category or none) and currency. Reads the register `batchSize` asset books at a time in asset
 * id order (keyset), so only one batch and the sums are ever in memory.
 */
export async function depreciationForecast(
  db: Db,
  book: Book,
  years: FiscalYear[],
  groupBy: 'category' | 'none',
  filter: ForecastFilter,
  o: { minorUnits: number; batchSize: number },
): Promise<ForecastGroup[]> {
  const groups = new Map<string, ForecastGroup>();
  let after: string | null = null;
  for (;;) {
    const batch: (AssetBookRow & { category_id: string | null; currency: string })[] = await db.execute(
      `SELECT ${ASSET_BOOK_COLUMNS}, a.category_id, a.currency
         FROM fixed_assets_asset_book ab JOIN fixed_assets_asset a ON a.id = ab.asset_id
        WHERE ab.book_code = $1 AND a.status <> 'disposed' AND ($2::uuid IS NULL OR ab.asset_id > $2::uuid)
          AND ($3::uuid[] IS NULL OR a.category_id = ANY($3::uuid[])) AND ($4::uuid[] IS NULL OR a.location_id = ANY($4::uuid[]))
        ORDER BY ab.asset_id LIMIT $5`,
      [book.code, after, filter.categoryIds, filter.locationIds, o.batchSize],
    );
    if (!batch.length) break;
    for (const row of batch) {
      const key = groupBy === 'category' ? row.category_id : null;
      const id = `${key ?? ''}|${row.currency}`;
      let g = groups.get(id);
      if (!g) groups.set(id, (g = { key, currency: row.currency, assets: 0, amounts: years.map(() => ZERO), beyond: ZERO, remaining: ZERO }));
      const f = forecastOf(row, book, years, o.minorUnits);
      g.assets++;
      g.amounts = g.amounts.map((a, k) => a.plus(f.amounts[k]));
      g.beyond = g.beyond.plus(f.beyond);
      g.remaining = g.remaining.plus(f.remaining);
    }
    if (batch.length < o.batchSize) break;
    after = batch[batch.length - 1].asset_id;
  }
  return [...groups.values()];
}

/** `from`/`to` as whole UTC days, `to` inclusive: the instants [from 00:00Z, to + 1 day 00:00Z). */
export function dayWindow(from: string, to: string): { start: Date; end: Date } {
  const start = new Date(dayNumber(parseIsoDate(from)!) * 86_400_000);
  const end = new Date((dayNumber(parseIsoDate(to)!) + 1) * 86_400_000);
  return { start, end };
}
