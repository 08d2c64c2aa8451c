/**
 * From upstream events to balanced double-entry journal drafts. Pure: what the events and the
 * catalogue say goes in, drafts with account roles come out; the chart turns roles into accounts.
 *
 * Inventory moves (one entry per move, a debit and a credit per valued line):
 *   receipt           Dr inventory            Cr goods received not invoiced
 *   supplier return   Dr GRNI                 Cr inventory
 *   issue             Dr COGS                 Cr inventory            (the line's COGS)
 *   customer return   Dr inventory            Cr COGS
 *   adjustment        Dr inventory / Cr inventory adjustment   (in; reversed when out)
 *   count             Dr inventory / Cr count variance         (gain; reversed for a loss)
 *   transfer          nothing — inventory does not value transfers, the value stays in stock
 * A line without an amount (an issue waiting for a receipt to value it) is booked when its value
 * arrives as a cost adjustment. A cost adjustment books the change of a line's amount on the same
 * accounts as the line (a negative change swaps the sides).
 *
 * Fixed assets (one book, the connector's `fixedAssetsBook`):
 *   acquisition       Dr fixed assets at cost Cr fixed-asset clearing (capitalised from stock: Cr COGS,
 *                     re-classifying what the stock issue booked as cost of goods)
 *   depreciation run  Dr depreciation expense Cr accumulated depreciation, per category and site
 *   disposal          Dr expense / Cr accumulated        the catch-up depreciation to the disposal date
 *                     Dr accumulated depreciation        accumulated
 *                     Dr disposal proceeds               net proceeds
 *                     Dr loss  or  Cr gain               the loss or the gain
 *                     Cr fixed assets at cost            cost
 */
import type { AccountRole, SourceType } from '../shared/constants.js';
import { accountFor, type AccountMapping } from './accounts.js';
import { ZERO, dec, type Dec } from './money.js';
import { dayOf } from './periods.js';

export interface DraftLine {
  role: AccountRole;
  debit: Dec;
  credit: Dec;
  categoryId: string | null;
  siteId: string | null;
  itemId?: string | null;
  assetId?: string | null;
  /** The upstream line this comes from (inventory move line id), for cost adjustments. */
  sourceLineId?: string | null;
  memo: string;
}

export interface JournalDraft {
  /** Unique per source event and part: a redelivered event finds its entry already booked. */
  sourceKey: string;
  sourceType: SourceType;
  sourceRef: string;
  /** YYYY-MM-DD: when the source took effect, not when it was processed. */
  entryDate: string;
  memo: string;
  currency: string | null;
  lines: DraftLine[];
}

export interface PostedLine extends DraftLine {
  account: string;
}

export class UnbalancedEntryError extends Error {}

/** A line debiting `amount` to `role`, or crediting it when the amount is negative. */
export const debit = (role: AccountRole, amount: Dec, at: Omit<DraftLine, 'role' | 'debit' | 'credit'>): DraftLine =>
  amount.isNegative() ? { role, debit: ZERO, credit: amount.neg(), ...at } : { role, debit: amount, credit: ZERO, ...at };
/** A line crediting `amount` to `role`, or debiting it when the amount is negative. */
export const credit = (role: AccountRole, amount: Dec, at: Omit<DraftLine, 'role' | 'debit' | 'credit'>): DraftLine =>
  amount.isNegative() ? { role, debit: amount.neg(), credit: ZERO, ...at } : { role, debit: ZERO, credit: amount, ...at };

export const totals = (lines: readonly { debit: Dec; credit: Dec }[]) => ({
  debit: lines.reduce((a, l) => a.plus(l.debit), ZERO),
  credit: lines.reduce((a, l) => a.plus(l.credit), ZERO),
});

/** Throws when debits ≠ credits, a line is negative, or a line is both a debit and a credit: a bug, never booked. */
export function assertBalanced(draft: Pick<JournalDraft, 'sourceKey' | 'lines'>): void {
  for (const l of draft.lines) {
    if (l.debit.isNegative() || l.credit.isNegative() || (!l.debit.isZero() && !l.credit.isZero())) {
      throw new UnbalancedEntryError(`journal entry ${draft.sourceKey}: line ${l.role} is debit ${l.debit.toFixed()} and credit ${l.credit.toFixed()}`);
    }
  }
  const t = totals(draft.lines);
  if (!t.debit.eq(t.credit)) throw new UnbalancedEntryError(`journal entry ${draft.sourceKey} does not balance: debits ${t.debit.toFixed()} ≠ credits ${t.credit.toFixed()}`);
}

/** Drop zero lines; null when nothing is left (nothing to book). Checks the balance. */
export function finish(draft: JournalDraft): JournalDraft | null {
  const lines = draft.lines.filter((l) => !l.debit.isZero() || !l.credit.isZero());
  if (!lines.length) return null;
  const out = { ...draft, lines };
  assertBalanced(out);
  return out;
}

/** Give every line its account from the chart, most specific mapping first. */
export const withAccounts = (draft: JournalDraft, chart: readonly AccountMapping[]): PostedLine[] =>
  draft.lines.map((l) => ({ ...l, account: accountFor(chart, l.role, l.categoryId, l.siteId) }));

// ---- Inventory

export interface MoveLine {
  lineId: string;
  itemId: string;
  fromLocationId: string | null;
  toLocationId: string | null;
  qty: string;
  amount: string | null;
}

export interface Move {
  id: string;
  number: string;
  type: string;
  reference: string | null;
  effectiveAt: string;
  lines: MoveLine[];
}

/** What the catalogue says about the move's items and locations. */
export interface Classifier {
  categoryOf(itemId: string): string | null;
  siteOf(locationId: string | null): string | null;
}

export type Direction = 'in' | 'out' | 'transfer';
export const directionOf = (l: Pick<MoveLine, 'fromLocationId' | 'toLocationId'>): Direction =>
  l.fromLocationId && l.toLocationId ? 'transfer' : l.toLocationId ? 'in' : 'out';

/** The account a move type books against inventory. */
export function contraRole(moveType: string): AccountRole {
  switch (moveType) {
    case 'receipt':
    case 'supplier-return':
      return 'goods-received-not-invoiced';
    case 'issue':
    case 'customer-return':
      return 'cogs';
    case 'count':
      return 'count-variance';
    default:
      return 'inventory-adjustment';
  }
}

/** One inventory line's value on inventory and its contra account: in debits inventory, out credits it. */
export function inventoryLines(
  moveType: string,
  line: { itemId: string; lineId: string; direction: Direction; categoryId: string | null; siteId: string | null },
  amount: Dec,
  memo: string,
): DraftLine[] {
  if (line.direction === 'transfer') return [];
  const at = { categoryId: line.categoryId, siteId: line.siteId, itemId: line.itemId, sourceLineId: line.lineId, memo };
  const signed = line.direction === 'in' ? amount : amount.neg();
  const pair = [debit('inventory', signed, at), credit(contraRole(moveType), signed, at)];
  // Debit first, as a journal reads.
  return pair[0].debit.isZero() ? [pair[1], pair[0]] : pair;
}

export function mapInventoryMove(move: Move, c: Classifier): JournalDraft | null {
  const lines = move.lines.flatMap((l) => {
    if (l.amount === null) return [];
    const direction = directionOf(l);
    const siteId = c.siteOf(direction === 'in' ? l.toLocationId : l.fromLocationId);
    return inventoryLines(move.type, { itemId: l.itemId, lineId: l.lineId, direction, categoryId: c.categoryOf(l.itemId), siteId }, dec(l.amount), `${move.type} ${l.qty}`);
  });
  return finish({
    sourceKey: `inventory.move:${move.id}`,
    sourceType: 'inventory-move',
    sourceRef: move.number,
    entryDate: dayOf(move.effectiveAt),
    memo: `Inventory ${move.type} ${move.number}${move.reference ? ` (${move.reference})` : ''}`,
    currency: null,
    lines,
  });
}

export interface CostAdjustment {
  itemId: string;
  moveId: string;
  lineId: string;
  moveType: string;
  delta: string;
  causedByMoveId: string;
  reason: string;
}

/** The adjusted line as the connector saw it when its move was posted (or inferred, when it never saw it). */
export interface KnownLine {
  direction: Direction;
  categoryId: string | null;
  siteId: string | null;
  /** The day the line took effect: the adjustment belongs to it. */
  effectiveOn: string;
}

export function mapCostAdjustment(a: CostAdjustment, line: KnownLine): JournalDraft | null {
  return finish({
    sourceKey: `inventory.cost:${a.lineId}:${a.causedByMoveId}`,
    sourceType: 'inventory-cost-adjustment',
    sourceRef: a.moveId,
    entryDate: line.effectiveOn,
    memo: `Cost of a ${a.moveType} line re-valued (${a.reason})`,
    currency: null,
    lines: inventoryLines(a.moveType, { itemId: a.itemId, lineId: a.lineId, ...line }, dec(a.delta), `${a.reason}, caused by move ${a.causedByMoveId}`),
  });
}

/** A line the connector never saw: in for moves that only bring stock in, out otherwise. */
export const inferredDirection = (moveType: string): Direction => (moveType === 'receipt' || moveType === 'customer-return' ? 'in' : 'out');

// ---- Fixed assets

export interface Acquisition {
  id: string;
  tag: string;
  acquisitionCost: string | null;
  currency: string | null;
  purchaseDate: string | null;
  fromStockMoveLineId: string | null;
}

export function mapAcquisition(a: Acquisition, at: { categoryId: string | null; siteId: string | null; fallbackDate: string }): JournalDraft | null {
  if (a.acquisitionCost === null) return null;
  const cost = dec(a.acquisitionCost);
  const line = { categoryId: at.categoryId, siteId: at.siteId, assetId: a.id, memo: `Acquisition of ${a.tag}` };
  return finish({
    sourceKey: `fixed-assets.acquisition:${a.id}`,
    sourceType: 'asset-acquisition',
    sourceRef: a.tag,
    entryDate: a.purchaseDate ?? at.fallbackDate,
    memo: a.fromStockMoveLineId ? `Asset ${a.tag} capitalised from stock` : `Asset ${a.tag} acquired`,
    currency: a.currency,
    lines: [debit('fixed-assets-cost', cost, line), credit(a.fromStockMoveLineId ? 'cogs' : 'fixed-assets-clearing', cost, line)],
  });
}

export interface DepreciationRun {
  runId: string;
  book: string;
  periodStart: string;
  periodEnd: string;
  totalAmount: string;
  lines?: { categoryId: string | null; siteId: string | null; amount: string; assets: number }[];
}

export function mapDepreciation(run: DepreciationRun): JournalDraft | null {
  const parts = run.lines ?? [{ categoryId: null, siteId: null, amount: run.totalAmount, assets: 0 }];
  const lines = parts.flatMap((p) => {
    const at = { categoryId: p.categoryId, siteId: p.siteId, memo: p.assets ? `${p.assets} asset(s)` : 'depreciation' };
    const amount = dec(p.amount);
    return [debit('depreciation-expense', amount, at), credit('accumulated-depreciation', amount, at)];
  });
  return finish({
    sourceKey: `fixed-assets.depreciation:${run.runId}`,
    sourceType: 'depreciation-run',
    sourceRef: run.runId,
    entryDate: run.periodEnd,
    memo: `Depreciation ${run.book}, ${run.periodStart} – ${run.periodEnd}`,
    currency: null,
    lines,
  });
}

export interface Disposal {
  id: string;
  tag: string;
  kind: string;
  disposedOn: string;
  currency: string;
  book: { cost: string; accumulated: string; catchUpDepreciation: string; netProceeds: string; gainOrLoss: string };
}

export function mapDisposal(d: Disposal, at: { categoryId: string | null; siteId: string | null }): JournalDraft | null {
  const b = d.book;
  const line = (memo: string) => ({ categoryId: at.categoryId, siteId: at.siteId, assetId: d.id, memo });
  const catchUp = dec(b.catchUpDepreciation);
  const gainOrLoss = dec(b.gainOrLoss);
  return finish({
    sourceKey: `fixed-assets.disposal:${d.id}`,
    sourceType: 'asset-disposal',
    sourceRef: d.tag,
    entryDate: d.disposedOn,
    memo: `Disposal of ${d.tag} (${d.kind})`,
    currency: d.currency,
    lines: [
      debit('depreciation-expense', catchUp, line(`Depreciation to the disposal date ${d.disposedOn}`)),
      credit('accumulated-depreciation', catchUp, line(`Depreciation to the disposal date ${d.disposedOn}`)),
      debit('accumulated-depreciation', dec(b.accumulated), line('Accumulated depreciation derecognised')),
      debit('disposal-proceeds', dec(b.netProceeds), line('Net proceeds')),
      gainOrLoss.gte(0) ? credit('gain-on-disposal', gainOrLoss, line('Gain on disposal')) : debit('loss-on-disposal', gainOrLoss.neg(), line('Loss on disposal')),
      credit('fixed-assets-cost', dec(b.cost), line('Cost derecognised')),
    ],
  });
}
