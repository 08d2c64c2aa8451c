/** Booking journal entries (fixed_assets_journal_entry / _line) from disposals and adjustments: balanced, or not at all. */
import { ZERO, type Dec } from '../../domain/money.js';
import type { Db } from './db.js';

export interface JournalLine {
  account: string;
  debit: Dec;
  credit: Dec;
  memo: string;
}

export interface JournalEntryInput {
  book: string;
  entryDate: string;
  source: 'disposal' | 'revaluation' | 'impairment';
  sourceId: string;
  description: string;
  currency: string;
  postedBy: string;
  assetId: string;
  categoryId: string | null;
  lines: JournalLine[];
}

/** A line debiting `amount` to `account`, or crediting it when the amount is negative. */
export const debit = (account: string, amount: Dec, memo: string): JournalLine =>
  amount.isNegative() ? { account, debit: ZERO, credit: amount.neg(), memo } : { account, debit: amount, credit: ZERO, memo };
/** A line crediting `amount` to `account`, or debiting it when the amount is negative. */
export const credit = (account: string, amount: Dec, memo: string): JournalLine =>
  amount.isNegative() ? { account, debit: amount.neg(), credit: ZERO, memo } : { account, debit: ZERO, credit: amount, memo };

/**
 * Book an entry with its non-zero lines; the id, or null when every line is zero. Throws when the
 * lines do not balance: that is a bug, and the transaction must not commit.
 */
export async function postJournalEntry(db: Db, e: JournalEntryInput): Promise<string | null> {
  const lines = e.lines.filter((l) => !l.debit.isZero() || !l.credit.isZero());
  if (!lines.length) return null;
  const debits = lines.reduce((a, l) => a.plus(l.debit), ZERO);
  const credits = lines.reduce((a, l) => a.plus(l.credit), ZERO);
  if (!debits.eq(credits)) throw new Error(`unbalanced ${e.source} journal entry for asset ${e.assetId} in ${e.book}: debits ${debits.toFixed()} ≠ credits ${credits.toFixed()}`);
  const [je] = await db.execute<{ id: string }>(
    `WITH je AS (
       INSERT INTO fixed_assets_journal_entry (book_code, entry_date, source, source_id, description, currency, posted_by_label)
       VALUES ($1, $2::date, $3, $4, $5, $6, $7) RETURNING id)
     INSERT INTO fixed_assets_journal_line (entry_id, line_no, account, debit, credit, category_id, asset_id, memo)
     SELECT je.id, x.n, x.account, x.debit, x.credit, $8::uuid, $9::uuid, x.memo FROM je,
            unnest($10::text[], $11::numeric[], $12::numeric[], $13::text[]) WITH ORDINALITY AS x(account, debit, credit, memo, n)
     RETURNING entry_id::text AS id`,
    [
      e.book,
      e.entryDate,
      e.source,
      e.sourceId,
      e.description,
      e.currency,
      e.postedBy,
      e.categoryId,
      e.assetId,
      lines.map((l) => l.account),
      lines.map((l) => l.debit.toFixed()),
      lines.map((l) => l.credit.toFixed()),
      lines.map((l) => l.memo),
    ],
  );
  return je.id;
}
