/**
 * Disposal accounting (IAS 16 ¶67–72): when an asset leaves the register, each book it carries
 * derecognises it. Per book:
 *
 *   catch-up      depreciation from what the runs posted up to the disposal date, under the book's
 *                 convention (depreciationUpTo: full-month leaves out the month of disposal), on the
 *                 adjusted schedule; negative when runs posted beyond it (a reversal)
 *   accumulated   posted depreciation (opening balance included) + catch-up + accumulated impairment
 *   cost          the cost basis + revaluations (gross carrying amount)
 *   net book value = cost − accumulated; net proceeds = proceeds − costs of disposal;
 *   gain or loss   = net proceeds − net book value
 *
 * and one balanced journal entry (source 'disposal', dated the disposal date):
 *   Dr expense / Cr accumulated depreciation      the catch-up
 *   Dr accumulated depreciation                   accumulated
 *   Dr proceeds                                   net proceeds
 *   Dr loss on disposal  or  Cr gain on disposal  the loss or the gain
 *   Cr asset                                      cost
 * Amounts are rounded to the currency's minor unit like the schedules (money.ts), so the entry
 * balances to the cent. A revaluation surplus stays in equity (IAS 16 ¶41: transferring it to
 * retained earnings is the general ledger's business).
 */
import { problems, type FieldError, type Transaction } from '@quartermaster/sdk';
import { adjustedDepreciationUpTo, depreciationUpTo, disposalGainLoss } from '../../domain/depreciation/index.js';
import { dec, type Dec } from '../../domain/money.js';
import type { Db } from './db.js';
import {
  ASSET_BOOK_COLUMNS,
  accountsOf,
  adjustmentsOf,
  assertPeriodOpen,
  bookByCode,
  periodOf,
  scheduleInput,
  scheduleOrProblem,
  type Accounts,
  type AssetBookRow,
  type Book,
} from './depreciation.service.js';
import { credit, debit, postJournalEntry } from './journal.js';

export interface DisposalBook {
  book: Book;
  row: AssetBookRow;
  cost: Dec;
  accumulated: Dec;
  catchUp: Dec;
  netBookValue: Dec;
  proceeds: Dec;
  costsOfDisposal: Dec;
  netProceeds: Dec;
  gainOrLoss: Dec;
}

/**
 * What disposing of an asset on `disposedOn` does in each of its books, without writing. `lock`
 * takes the asset's book rows (the disposal itself). Refuses a date before an adjustment's effective
 * date (400) and a date inside a closed period of one of its books (409 fixed-assets/period-closed).
 */
export async function disposalAccounting(
  db: Db,
  assetId: string,
  disposedOn: string,
  amounts: { proceeds: string | null; costsOfDisposal: string | null },
  minorUnits: number,
  lock = false,
): Promise<DisposalBook[]> {
  const rows = await db.execute<AssetBookRow>(`SELECT ${ASSET_BOOK_COLUMNS} FROM fixed_assets_asset_book ab WHERE ab.asset_id = $1 ORDER BY ab.book_code${lock ? ' FOR UPDATE OF ab' : ''}`, [assetId]);
  const errors: FieldError[] = [];
  for (const row of rows) {
    const last = row.adjustments?.at(-1);
    if (last && disposedOn < last.effective_on) errors.push({ field: 'disposedOn', message: `must not be before the ${last.kind} of the ${row.book_code} book, effective ${last.effective_on}` });
  }
  if (errors.length) throw problems.validation(errors);
  const books: Book[] = [];
  for (const row of rows) {
    const book = (await bookByCode(db, row.book_code))!;
    await assertPeriodOpen(db, book.code, periodOf(book, disposedOn).end);
    books.push(book);
  }
  const proceeds = dec(amounts.proceeds ?? 0);
  const costsOfDisposal = dec(amounts.costsOfDisposal ?? 0);
  return rows.map((row, i) => {
    const book = books[i];
    const input = scheduleInput(row, book, minorUnits);
    const upTo = scheduleOrProblem(() => (row.adjustments?.length ? adjustedDepreciationUpTo(input, adjustmentsOf(row), disposedOn) : depreciationUpTo(input, disposedOn)));
    const depreciation = dec(upTo.accumulated);
    const catchUp = depreciation.minus(row.posted_accumulated);
    const cost = dec(row.cost_basis).plus(row.revalued_amount ?? 0);
    const accumulated = depreciation.plus(row.impaired_amount ?? 0);
    const result = disposalGainLoss({ cost, accumulated, proceeds, costsOfDisposal, minorUnits });
    return {
      book,
      row,
      cost,
      accumulated,
      catchUp,
      netBookValue: dec(result.netBookValue),
      proceeds,
      costsOfDisposal,
      netProceeds: dec(result.netProceeds),
      gainOrLoss: dec(result.gainOrLoss),
    };
  });
}

/**
 * Book a disposal computed by disposalAccounting (rows locked): per book the journal entry, the
 * disposal's figures, and the asset's book row closed — its catch-up posted, marked disposed so
 * no period run covers it again. Answers the journal entry of each book.
 */
export async function postDisposal(
  tx: Transaction,
  asset: { id: string; tag: string; category_id: string | null; currency: string },
  kind: string,
  disposedOn: string,
  books: DisposalBook[],
  defaults: Accounts,
): Promise<Map<string, string | null>> {
  const journal = new Map<string, string | null>();
  if (!books.length) return journal;
  const accounts = (await accountsOf(tx, [asset.category_id], defaults)).get(asset.category_id)!;
  for (const b of books) {
    const lines = [
      debit(accounts.expenseAccount, b.catchUp, `Depreciation to the disposal date ${disposedOn}`),
      credit(accounts.accumulatedAccount, b.catchUp, `Depreciation to the disposal date ${disposedOn}`),
      debit(accounts.accumulatedAccount, b.accumulated, 'Accumulated depreciation and impairment derecognised'),
      debit(accounts.proceedsAccount, b.netProceeds, b.costsOfDisposal.isZero() ? 'Proceeds' : 'Proceeds less costs of disposal'),
      b.gainOrLoss.gte(0) ? credit(accounts.gainAccount, b.gainOrLoss, 'Gain on disposal') : debit(accounts.lossAccount, b.gainOrLoss.neg(), 'Loss on disposal'),
      credit(accounts.assetAccount, b.cost, 'Cost derecognised'),
    ];
    const journalEntryId = await postJournalEntry(tx, {
      book: b.book.code,
      entryDate: disposedOn,
      source: 'disposal',
      sourceId: asset.id,
      description: `Disposal of ${asset.tag} (${kind}), ${b.book.name}`,
      currency: asset.currency,
      postedBy: tx.actor.label,
      assetId: asset.id,
      categoryId: asset.category_id,
      lines,
    });
    journal.set(b.book.code, journalEntryId);
    await tx.execute(
      `INSERT INTO fixed_assets_disposal_book (asset_id, book_code, disposed_on, cost, accumulated, catch_up_depreciation, net_book_value, proceeds, costs_of_disposal, net_proceeds, gain_or_loss, journal_entry_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [asset.id, b.book.code, disposedOn, ...[b.cost, b.accumulated, b.catchUp, b.netBookValue, b.proceeds, b.costsOfDisposal, b.netProceeds, b.gainOrLoss].map((d) => d.toFixed()), journalEntryId],
    );
    await tx.execute(
      `UPDATE fixed_assets_asset_book SET posted_accumulated = posted_accumulated + $3, posted_through = $4::date, disposed_on = $4::date, version = version + 1, updated_at = now()
        WHERE asset_id = $1 AND book_code = $2`,
      [asset.id, b.book.code, b.catchUp.toFixed(), disposedOn],
    );
  }
  return journal;
}

/** A disposal's figures per book as the API shows them. */
export const disposalBookView = (b: Pick<DisposalBook, 'cost' | 'accumulated' | 'catchUp' | 'netBookValue' | 'netProceeds' | 'gainOrLoss'> & { book: string }, text: (d: Dec) => string) => ({
  book: b.book,
  cost: text(b.cost),
  accumulated: text(b.accumulated),
  catchUpDepreciation: text(b.catchUp),
  netBookValue: text(b.netBookValue),
  netProceeds: text(b.netProceeds),
  gainOrLoss: text(b.gainOrLoss),
});
