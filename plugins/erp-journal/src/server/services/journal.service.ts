/**
 * Booking journal entries: the draft from the pure mapping, its accounts from the chart, dated into
 * the open period when its own date is closed, checked for balance once more, stored once per
 * source (a redelivered event finds its entry and books nothing).
 */
import { createHash } from 'node:crypto';
import type { Transaction } from '@quartermaster/sdk';
import { EntryPosted } from '../../shared/index.js';
import type { AccountRole } from '../../shared/constants.js';
import type { AccountMapping } from '../../domain/accounts.js';
import { assertBalanced, totals, withAccounts, type JournalDraft } from '../../domain/journal.js';
import { ZERO, money } from '../../domain/money.js';
import { firstOpenDay, isClosed, periodOf } from '../../domain/periods.js';
import type { EntryDocument } from '../../domain/export.js';
import type { Db } from './db.js';

/** The same key on every retry of an entry: derived from its source, not from when it is sent. */
export const idempotencyKeyOf = (sourceKey: string): string => 'qm-erpj-' + createHash('sha256').update(sourceKey).digest('hex').slice(0, 40);

/** Everything through this day is closed (null: nothing is). `lock` share-locks it until the transaction ends, so a close waits. */
export async function closedThrough(db: Db, lock: 'share' | 'update' | null): Promise<string | null> {
  const [row] = await db.execute<{ closed_through: string | null }>(
    `SELECT closed_through::text AS closed_through FROM erp_journal_control WHERE id = 1${lock === 'share' ? ' FOR SHARE' : lock === 'update' ? ' FOR UPDATE' : ''}`,
  );
  return row?.closed_through ?? null;
}

export async function chartOf(db: Db): Promise<AccountMapping[]> {
  const rows = await db.execute<{ role: AccountRole; category_id: string | null; site_id: string | null; account: string }>(
    `SELECT role, category_id::text AS category_id, site_id::text AS site_id, account FROM erp_journal_account_map`,
  );
  return rows.map((r) => ({ role: r.role, categoryId: r.category_id, siteId: r.site_id, account: r.account }));
}

export const sourceBooked = async (db: Db, sourceKey: string): Promise<boolean> =>
  (await db.execute(`SELECT 1 FROM erp_journal_entry WHERE source_key = $1`, [sourceKey])).length > 0;

/**
 * Book one draft in `tx`. A date in a closed period moves to the first open day (the entry keeps
 * the date it asked for in `redated_from`). Answers the entry id, or null when the source was
 * already booked.
 */
export async function bookEntry(tx: Transaction, draft: JournalDraft, o: { currency: string; minorUnits: number }): Promise<string | null> {
  const through = await closedThrough(tx, 'share');
  let entryDate = draft.entryDate;
  let redatedFrom: string | null = null;
  if (isClosed(entryDate, through)) {
    redatedFrom = entryDate;
    entryDate = firstOpenDay(through!);
  }
  const lines = withAccounts(draft, await chartOf(tx));
  // The mapping balanced it already; an unbalanced entry here is a bug and must roll back.
  assertBalanced({ sourceKey: draft.sourceKey, lines });
  const total = totals(lines).debit;
  const currency = draft.currency ?? o.currency;
  const period = periodOf(entryDate);
  const [entry] = await tx.execute<{ id: string }>(
    `INSERT INTO erp_journal_entry (source_key, source_type, source_ref, entry_date, period, redated_from, memo, currency, total)
     VALUES ($1, $2, $3, $4::date, $5, $6::date, $7, $8, $9) ON CONFLICT (source_key) DO NOTHING RETURNING id::text AS id`,
    [draft.sourceKey, draft.sourceType, draft.sourceRef, entryDate, period, redatedFrom, redatedFrom ? `${draft.memo} (dated ${redatedFrom}, booked in the open period)` : draft.memo, currency, total.toFixed()],
  );
  if (!entry) return null;
  await tx.execute(
    `INSERT INTO erp_journal_line (entry_id, line_no, account, role, debit, credit, category_id, site_id, item_id, asset_id, source_line_id, memo)
     SELECT $1::uuid, x.n, x.account, x.role, x.debit, x.credit, x.category, x.site, x.item, x.asset, x.src, x.memo
       FROM unnest($2::text[], $3::text[], $4::numeric[], $5::numeric[], $6::uuid[], $7::uuid[], $8::uuid[], $9::uuid[], $10::text[], $11::text[])
            WITH ORDINALITY AS x(account, role, debit, credit, category, site, item, asset, src, memo, n)`,
    [
      entry.id,
      lines.map((l) => l.account),
      lines.map((l) => l.role),
      lines.map((l) => l.debit.toFixed()),
      lines.map((l) => l.credit.toFixed()),
      lines.map((l) => l.categoryId),
      lines.map((l) => l.siteId),
      lines.map((l) => l.itemId ?? null),
      lines.map((l) => l.assetId ?? null),
      lines.map((l) => l.sourceLineId ?? null),
      lines.map((l) => l.memo),
    ],
  );
  const payload = { id: entry.id, entryDate, period, sourceType: draft.sourceType, sourceRef: draft.sourceRef, total: money(total, o.minorUnits), redatedFrom };
  await tx.audit({ action: 'posted', entityType: 'erp-journal.entry', entityId: entry.id, after: { ...payload, sourceKey: draft.sourceKey, lines: lines.length } });
  await tx.emit(EntryPosted, payload);
  return entry.id;
}

export interface EntryRow {
  id: string;
  number: string;
  source_key: string;
  source_type: string;
  source_ref: string;
  entry_date: string;
  period: string;
  redated_from: string | null;
  memo: string;
  currency: string;
  total: string;
  posted_at: Date | string;
  push_status: 'pending' | 'pushed' | 'failed';
  push_attempts: number;
  pushed_at: Date | string | null;
  erp_document_id: string | null;
  last_response_status: number | null;
  last_error: string | null;
  exported_at: Date | string | null;
  lines: { lineNo: number; account: string; role: string; debit: string; credit: string; categoryId: string | null; siteId: string | null; itemId: string | null; assetId: string | null; memo: string | null }[];
}

export const ENTRY_SELECT = `SELECT e.id::text AS id, e.number::text AS number, e.source_key, e.source_type, e.source_ref, e.entry_date::text AS entry_date, e.period,
       e.redated_from::text AS redated_from, e.memo, e.currency, e.total::text AS total, e.posted_at, e.push_status, e.push_attempts, e.pushed_at,
       e.erp_document_id, e.last_response_status, e.last_error, e.exported_at,
       (SELECT json_agg(json_build_object('lineNo', l.line_no, 'account', l.account, 'role', l.role, 'debit', l.debit::text, 'credit', l.credit::text,
                                          'categoryId', l.category_id, 'siteId', l.site_id, 'itemId', l.item_id, 'assetId', l.asset_id, 'memo', l.memo) ORDER BY l.line_no)
          FROM erp_journal_line l WHERE l.entry_id = e.id) AS lines
  FROM erp_journal_entry e`;

const iso = (v: Date | string | null) => (v === null ? null : new Date(v).toISOString());

/** The entry as exported and pushed. */
export function entryDocument(r: EntryRow, minorUnits: number): EntryDocument {
  const lines = (r.lines ?? []).map((l) => ({ ...l, debit: money(l.debit, minorUnits), credit: money(l.credit, minorUnits) }));
  return {
    id: r.id,
    number: Number(r.number),
    idempotencyKey: idempotencyKeyOf(r.source_key),
    entryDate: r.entry_date,
    period: r.period,
    sourceType: r.source_type,
    sourceRef: r.source_ref,
    memo: r.memo,
    currency: r.currency,
    redatedFrom: r.redated_from,
    totalDebit: money(lines.reduce((a, l) => a.plus(l.debit), ZERO), minorUnits),
    totalCredit: money(lines.reduce((a, l) => a.plus(l.credit), ZERO), minorUnits),
    lines,
  };
}

/** The entry as the API shows it: the document plus where it stands with the ERP. */
export const entryView = (r: EntryRow, minorUnits: number) => ({
  ...entryDocument(r, minorUnits),
  postedAt: iso(r.posted_at)!,
  push: { status: r.push_status, attempts: r.push_attempts, pushedAt: iso(r.pushed_at), erpDocumentId: r.erp_document_id, lastResponseStatus: r.last_response_status, lastError: r.last_error },
  exportedAt: iso(r.exported_at),
});
