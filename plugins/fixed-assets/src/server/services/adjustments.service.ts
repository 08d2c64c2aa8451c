/**
 * Revaluations (IAS 16 ¶31–42), impairments (IAS 36 ¶59–64) and changes in estimates (IAS 8
 * ¶36–38) of an asset in a book: prospective, effective on the first day of a period, once the
 * periods before it are posted (so the ledger and the schedule agree on the carrying amount) and
 * none after it. The schedule is re-based from then on (domain/depreciation/adjusted-schedule.ts);
 * period runs, the schedule route and disposals all read the adjusted schedule.
 *
 * Journal entries (dated the effective date, on the category's accounts):
 *   revaluation up     Dr asset; Cr gain to the extent it reverses a decrease or an impairment
 *                      recognised in profit or loss before (IAS 16 ¶39, IAS 36 ¶119), the rest Cr
 *                      revaluation surplus (equity)
 *   revaluation down   Cr asset; Dr revaluation surplus as far as the asset has one (IAS 16 ¶40),
 *                      the rest Dr loss
 *   impairment         Cr accumulated depreciation and impairment; Dr revaluation surplus as far as
 *                      the asset has one (IAS 36 ¶61), the rest Dr impairment loss
 *   estimate change    no entry: only future depreciation changes
 */
import { randomUUID } from 'node:crypto';
import { ProblemError, problems, type FieldError, type Transaction } from '@quartermaster/sdk';
import {
  DepreciationInputError,
  MAX_USEFUL_LIFE_YEARS,
  adjustedSchedule,
  adjustmentBasis,
  scheduleSegments,
  type AdjustmentKind,
  type ScheduleAdjustment,
} from '../../domain/depreciation/index.js';
import { dayNumber, isoDate, parseIsoDate } from '../../domain/depreciation/fiscal-calendar.js';
import { ZERO, amountText, dec, max, min, tryDec, type Dec } from '../../domain/money.js';
import { AssetBookEstimateChanged, AssetImpaired, AssetRevalued } from '../../shared/adjustment-events.js';
import { lockAsset, recordEvent } from './asset-store.js';
import { isoOf, type Db } from './db.js';
import {
  ASSET_BOOK_COLUMNS,
  accountsOf,
  adjustmentsOf,
  assertPeriodOpen,
  dueFor,
  invalidDepreciation,
  periodOf,
  requireBook,
  scheduleInput,
  type Accounts,
  type AssetBookRow,
  type Book,
} from './depreciation.service.js';
import { credit, debit, postJournalEntry, type JournalLine } from './journal.js';
import { assetDisposed } from './problems.js';

export interface AdjustmentInput {
  kind: AdjustmentKind;
  effectiveOn: string;
  /** Revaluation: the fair value, the carrying amount from then on. */
  newCarryingAmount?: string | number;
  /** Impairment: the loss (carrying amount less recoverable amount). */
  impairmentLoss?: string | number;
  /** Useful life left from effectiveOn, in years. */
  usefulLifeYears?: string | number;
  salvageValue?: string | number;
  reason?: string;
}

export interface AdjustmentOptions {
  minorUnits: number;
  accounts: Accounts;
}

interface AdjustmentRecord {
  id: string;
  asset_id: string;
  book_code: string;
  kind: AdjustmentKind;
  effective_on: string;
  carrying_before: string;
  carrying_after: string;
  amount: string;
  revaluation_surplus: string;
  profit_or_loss: string;
  journal_entry_id: string | null;
  reason: string | null;
  created_at: Date | string;
  created_by_label: string;
}

const RECORD_COLUMNS = `id, asset_id, book_code, kind, effective_on::text AS effective_on, carrying_before::text AS carrying_before, carrying_after::text AS carrying_after,
  amount::text AS amount, revaluation_surplus::text AS revaluation_surplus, profit_or_loss::text AS profit_or_loss, journal_entry_id::text AS journal_entry_id,
  reason, created_at, created_by_label`;

export const notInBook = (assetId: string, book: string) =>
  new ProblemError({ type: 'fixed-assets/not-in-book', status: 404, title: 'Not in this book', detail: `Asset ${assetId} is not depreciated in the ${book} book`, extensions: { assetId, book } });

const notAdjustable = (tag: string, assetId: string, book: string, method: string, detail: string) =>
  problems.conflict('fixed-assets/not-adjustable', 'Not adjustable', `${tag} is depreciated by ${method} in the ${book} book: ${detail}`, { assetId, book, method });

const FIELD: Record<string, string> = { carryingAmount: 'newCarryingAmount', remainingLifeYears: 'usefulLifeYears' };

/** The adjusted schedule, or the domain's refusal as a 422 naming the request's fields. */
function checked<T>(compute: () => T): T {
  try {
    return compute();
  } catch (err) {
    if (err instanceof DepreciationInputError) throw invalidDepreciation(err.problems.map((p) => ({ field: FIELD[p.field] ?? p.field, message: p.message })));
    throw err;
  }
}

const dayBefore = (date: string) => isoDate(dayNumber(parseIsoDate(date)!) - 1);

/** Field checks of an adjustment request: each kind's amounts, the life, the effective date against the book's periods. */
function fieldErrors(input: AdjustmentInput, book: Book, row: AssetBookRow, minorUnits: number): FieldError[] {
  const errors: FieldError[] = [];
  const amount = (field: 'newCarryingAmount' | 'impairmentLoss' | 'salvageValue') => {
    const v = input[field];
    if (v === undefined) return;
    const d = tryDec(v);
    if (!d) errors.push({ field, message: 'must be a decimal number' });
    else if (d.isNegative()) errors.push({ field, message: 'must not be negative' });
    else if (d.decimalPlaces() > minorUnits) errors.push({ field, message: `must have at most ${minorUnits} decimal places` });
    else if (d.gte('1e16')) errors.push({ field, message: 'is too large' });
    else if (field === 'impairmentLoss' && d.isZero()) errors.push({ field, message: 'must be greater than 0' });
  };
  const required = (field: keyof AdjustmentInput, why: string) => input[field] === undefined && errors.push({ field, message: `is required for ${why}` });
  const forbidden = (field: keyof AdjustmentInput, why: string) => input[field] !== undefined && errors.push({ field, message: `is not used by ${why}` });
  if (input.kind === 'revaluation') {
    required('newCarryingAmount', 'a revaluation (the fair value)');
    forbidden('impairmentLoss', 'a revaluation (give the fair value as newCarryingAmount)');
  } else if (input.kind === 'impairment') {
    required('impairmentLoss', 'an impairment');
    forbidden('newCarryingAmount', 'an impairment (give the loss as impairmentLoss)');
  } else {
    forbidden('newCarryingAmount', 'a change in estimate (revalue instead)');
    forbidden('impairmentLoss', 'a change in estimate (impair instead)');
    if (input.usefulLifeYears === undefined && input.salvageValue === undefined) errors.push({ field: 'usefulLifeYears', message: 'a change in estimate needs a new usefulLifeYears or salvageValue' });
  }
  for (const f of ['newCarryingAmount', 'impairmentLoss', 'salvageValue'] as const) amount(f);
  if (input.usefulLifeYears !== undefined) {
    const life = tryDec(input.usefulLifeYears);
    if (!life || !life.gt(0) || life.gt(MAX_USEFUL_LIFE_YEARS) || life.decimalPlaces() > 4) errors.push({ field: 'usefulLifeYears', message: `must be a number of years greater than 0 and at most ${MAX_USEFUL_LIFE_YEARS}, with at most 4 decimal places` });
  }
  if (!parseIsoDate(input.effectiveOn)) errors.push({ field: 'effectiveOn', message: 'must be a date YYYY-MM-DD' });
  else {
    const period = periodOf(book, input.effectiveOn);
    if (period.start !== input.effectiveOn) errors.push({ field: 'effectiveOn', message: `must be the first day of a period of the ${book.code} book (that ${book.periodFrequency} starts ${period.start})` });
    if (input.effectiveOn < row.placed_in_service) errors.push({ field: 'effectiveOn', message: `must not be before the asset was placed in service in the ${book.code} book, ${row.placed_in_service}` });
    const last = row.adjustments?.at(-1);
    if (last && input.effectiveOn < last.effective_on) errors.push({ field: 'effectiveOn', message: `must not be before the latest adjustment (${last.kind} effective ${last.effective_on})` });
  }
  return errors;
}

/** Revalue, impair or re-estimate an asset in a book; one transaction with its journal entry, history, audit and event. */
export async function adjustAssetBook(tx: Transaction, assetId: string, bookCode: string, input: AdjustmentInput, o: AdjustmentOptions) {
  const asset = await lockAsset(tx, assetId);
  const book = await requireBook(tx, bookCode);
  if (asset.status === 'disposed') throw assetDisposed(asset);
  const [row] = await tx.execute<AssetBookRow>(`SELECT ${ASSET_BOOK_COLUMNS} FROM fixed_assets_asset_book ab WHERE ab.asset_id = $1 AND ab.book_code = $2 FOR UPDATE OF ab`, [assetId, bookCode]);
  if (!row) throw notInBook(assetId, bookCode);
  if (row.method === 'macrs') throw notAdjustable(asset.tag, assetId, bookCode, row.method, 'the tax basis is not revalued or impaired, and its recovery period is set by law');
  if (row.method === 'none' && input.kind === 'estimate-change') throw notAdjustable(asset.tag, assetId, bookCode, row.method, 'it is not depreciated, so it has no useful life or residual value to re-estimate');

  const errors = fieldErrors(input, book, row, o.minorUnits);
  if (errors.length) throw problems.validation(errors);
  const effectiveOn = input.effectiveOn;
  await assertPeriodOpen(tx, book.code, periodOf(book, effectiveOn).end);

  // The ledger must stand where the schedule does at the effective date: every period before it posted, none after it.
  const [later] = await tx.execute<{ period_end: string }>(
    `SELECT max(period_end)::text AS period_end FROM fixed_assets_depreciation_entry WHERE asset_id = $1 AND book_code = $2 AND period_end >= $3::date HAVING count(*) > 0`,
    [assetId, bookCode, effectiveOn],
  );
  if (later) {
    const next = isoDate(dayNumber(parseIsoDate(later.period_end)!) + 1);
    throw problems.conflict(
      'fixed-assets/posted-after-effective-date',
      'Depreciation posted after the effective date',
      `Depreciation of ${asset.tag} is posted in the ${bookCode} book through ${later.period_end}, after ${effectiveOn}; an adjustment applies from a period not posted yet (${next} or later)`,
      { field: 'effectiveOn', assetId, book: bookCode, postedThrough: later.period_end, earliestEffectiveOn: next },
    );
  }
  const requiredThrough = dayBefore(effectiveOn);
  const missing = dueFor(row, book, requiredThrough, o.minorUnits).amount;
  if (!missing.isZero()) {
    throw problems.conflict(
      'fixed-assets/depreciation-not-posted',
      'Depreciation not posted up to the effective date',
      `Depreciation of ${asset.tag} in the ${bookCode} book is posted ${row.posted_through ? `through ${row.posted_through}` : 'for no period yet'}; run the ${bookCode} book's depreciation for the periods up to ${requiredThrough} first (${amountText(missing, o.minorUnits)} to post), so the carrying amount adjusted is the one in the ledger`,
      { field: 'effectiveOn', assetId, book: bookCode, postedThrough: row.posted_through, requiredThrough, unposted: amountText(missing, o.minorUnits) },
    );
  }

  const original = scheduleInput(row, book, o.minorUnits);
  const previous = adjustmentsOf(row);
  const basis = checked(() => adjustmentBasis(original, previous, effectiveOn));
  const before = dec(basis.carryingAmount);
  const after = input.kind === 'revaluation' ? dec(input.newCarryingAmount!) : input.kind === 'impairment' ? before.minus(dec(input.impairmentLoss!)) : before;
  const late: FieldError[] = [];
  if (after.isNegative()) late.push({ field: 'impairmentLoss', message: `must not exceed the carrying amount on ${effectiveOn}, ${basis.carryingAmount}` });
  if (input.salvageValue !== undefined && !after.isNegative() && dec(input.salvageValue).gt(after))
    late.push({ field: 'salvageValue', message: `must not exceed the carrying amount after the ${input.kind}, ${amountText(after, o.minorUnits)}` });
  if (late.length) throw problems.validation(late);

  const adjustment: ScheduleAdjustment = { kind: input.kind, effectiveOn, carryingAmount: after.toFixed(), remainingLifeYears: input.usefulLifeYears ?? null, salvageValue: input.salvageValue ?? null };
  // The schedule must compute from here on (e.g. a revaluation after the end of the life needs a new life): 422 otherwise.
  checked(() => adjustedSchedule(original, [...previous, adjustment]));
  const segment = checked(() => scheduleSegments(original, [...previous, adjustment])).at(-1)!;

  // Where the change goes: the asset's revaluation surplus first for decreases, profit or loss first for reversals.
  const [balances] = await tx.execute<{ surplus: string; pl: string }>(
    `SELECT coalesce(sum(revaluation_surplus), 0)::text AS surplus, coalesce(sum(profit_or_loss), 0)::text AS pl FROM fixed_assets_book_adjustment WHERE asset_id = $1 AND book_code = $2`,
    [assetId, bookCode],
  );
  const surplusBalance = max(dec(balances.surplus), ZERO);
  const reversible = max(dec(balances.pl).neg(), ZERO);
  const change = after.minus(before);
  let surplus = ZERO;
  let profitOrLoss = ZERO;
  const accounts = (await accountsOf(tx, [asset.category_id], o.accounts)).get(asset.category_id)!;
  const lines: JournalLine[] = [];
  if (input.kind === 'revaluation' && change.gt(0)) {
    profitOrLoss = min(change, reversible);
    surplus = change.minus(profitOrLoss);
    lines.push(
      debit(accounts.assetAccount, change, `Revaluation to fair value ${amountText(after, o.minorUnits)}`),
      credit(accounts.gainAccount, profitOrLoss, 'Reversal of a decrease recognised in profit or loss before (IAS 16 ¶39)'),
      credit(accounts.revaluationSurplusAccount, surplus, 'Revaluation surplus (IAS 16 ¶39)'),
    );
  } else if (input.kind === 'revaluation' && change.lt(0)) {
    const decrease = change.neg();
    surplus = min(decrease, surplusBalance).neg();
    profitOrLoss = decrease.plus(surplus).neg();
    lines.push(
      debit(accounts.revaluationSurplusAccount, surplus.neg(), 'Revaluation surplus of the asset used (IAS 16 ¶40)'),
      debit(accounts.lossAccount, profitOrLoss.neg(), 'Revaluation decrease (IAS 16 ¶40)'),
      credit(accounts.assetAccount, decrease, `Revaluation to fair value ${amountText(after, o.minorUnits)}`),
    );
  } else if (input.kind === 'impairment') {
    const loss = change.neg();
    surplus = min(loss, surplusBalance).neg();
    profitOrLoss = loss.plus(surplus).neg();
    lines.push(
      debit(accounts.revaluationSurplusAccount, surplus.neg(), 'Impairment against the revaluation surplus of the asset (IAS 36 ¶61)'),
      debit(accounts.impairmentLossAccount, profitOrLoss.neg(), 'Impairment loss (IAS 36 ¶60)'),
      credit(accounts.accumulatedAccount, loss, `Accumulated impairment: written down to ${amountText(after, o.minorUnits)}`),
    );
  }

  const id = randomUUID();
  const money = (d: Dec) => amountText(d, o.minorUnits);
  const journalEntryId =
    input.kind === 'estimate-change'
      ? null
      : await postJournalEntry(tx, {
          book: bookCode,
          entryDate: effectiveOn,
          source: input.kind,
          sourceId: id,
          description: `${input.kind === 'revaluation' ? 'Revaluation' : 'Impairment'} of ${asset.tag}, ${book.name}: ${money(before)} → ${money(after)}`,
          currency: asset.currency,
          postedBy: tx.actor.label,
          assetId,
          categoryId: asset.category_id,
          lines,
        });
  const reason = input.reason?.trim() || null;
  await tx.execute(
    `INSERT INTO fixed_assets_book_adjustment (id, asset_id, book_code, kind, effective_on, carrying_before, carrying_after, amount, revaluation_surplus, profit_or_loss,
       useful_life_years, salvage_value, journal_entry_id, reason, created_by, created_by_label)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
    [
      id,
      assetId,
      bookCode,
      input.kind,
      effectiveOn,
      before.toFixed(),
      after.toFixed(),
      change.toFixed(),
      surplus.toFixed(),
      profitOrLoss.toFixed(),
      input.usefulLifeYears === undefined ? null : String(input.usefulLifeYears),
      input.salvageValue === undefined ? null : String(input.salvageValue),
      journalEntryId,
      reason,
      tx.actor.userId,
      tx.actor.label,
    ],
  );
  await tx.execute(
    `UPDATE fixed_assets_asset_book SET revalued_amount = revalued_amount + $3, impaired_amount = impaired_amount + $4, version = version + 1, updated_at = now()
      WHERE asset_id = $1 AND book_code = $2`,
    [assetId, bookCode, input.kind === 'revaluation' ? change.toFixed() : '0', input.kind === 'impairment' ? change.neg().toFixed() : '0'],
  );

  const payload = {
    id: assetId,
    tag: asset.tag,
    book: bookCode,
    adjustmentId: id,
    effectiveOn,
    carryingBefore: money(before),
    carryingAfter: money(after),
    currency: asset.currency,
    remainingLifeYears: segment.remainingLifeYears,
    salvageValue: segment.salvageValue,
    journalEntryId,
  };
  const history = { adjustmentId: id, book: bookCode, effectiveOn, carryingBefore: payload.carryingBefore, carryingAfter: payload.carryingAfter, remainingLifeYears: segment.remainingLifeYears, salvageValue: segment.salvageValue };
  const type = input.kind === 'revaluation' ? 'revalued' : input.kind === 'impairment' ? 'impaired' : 'estimate-changed';
  await recordEvent(tx, assetId, { type, reason, data: history });
  await tx.audit({ action: type, entityType: 'fixed-assets.asset', entityId: assetId, before: { book: bookCode, carryingAmount: payload.carryingBefore }, after: { ...history, journalEntryId } });
  if (input.kind === 'revaluation') await tx.emit(AssetRevalued, { ...payload, revaluationSurplus: money(surplus), profitOrLoss: money(profitOrLoss) });
  else if (input.kind === 'impairment') await tx.emit(AssetImpaired, { ...payload, impairmentLoss: money(change.neg()), revaluationSurplus: money(surplus) });
  else await tx.emit(AssetBookEstimateChanged, payload);

  return (await listAdjustments(tx, assetId, bookCode, o.minorUnits, book)).find((a) => a.id === id)!;
}

/** An asset's adjustments in a book, oldest first, each with the life left and residual value the schedule continues with. */
export async function listAdjustments(db: Db, assetId: string, bookCode: string, minorUnits: number, knownBook?: Book) {
  const book = knownBook ?? (await requireBook(db, bookCode));
  const [row] = await db.execute<AssetBookRow>(`SELECT ${ASSET_BOOK_COLUMNS} FROM fixed_assets_asset_book ab WHERE ab.asset_id = $1 AND ab.book_code = $2`, [assetId, bookCode]);
  if (!row) {
    const [asset] = await db.execute(`SELECT 1 FROM fixed_assets_asset WHERE id = $1`, [assetId]);
    throw asset ? notInBook(assetId, bookCode) : problems.notFound('asset', assetId);
  }
  const records = await db.execute<AdjustmentRecord>(`SELECT ${RECORD_COLUMNS} FROM fixed_assets_book_adjustment WHERE asset_id = $1 AND book_code = $2 ORDER BY effective_on, created_at, id`, [
    assetId,
    bookCode,
  ]);
  const segments = records.length ? checked(() => scheduleSegments(scheduleInput(row, book, minorUnits), adjustmentsOf(row))) : [];
  const money = (v: string) => amountText(v, minorUnits);
  return records.map((r, i) => ({
    id: r.id,
    assetId: r.asset_id,
    book: r.book_code,
    kind: r.kind,
    effectiveOn: r.effective_on,
    carryingBefore: money(r.carrying_before),
    carryingAfter: money(r.carrying_after),
    amount: money(r.amount),
    revaluationSurplus: money(r.revaluation_surplus),
    profitOrLoss: money(r.profit_or_loss),
    usefulLifeYears: segments[i + 1]?.remainingLifeYears ?? null,
    salvageValue: segments[i + 1]?.salvageValue ?? money(r.carrying_after),
    journalEntryId: r.journal_entry_id,
    reason: r.reason,
    createdAt: isoOf(r.created_at)!,
    createdBy: r.created_by_label,
  }));
}
