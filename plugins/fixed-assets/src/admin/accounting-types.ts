/**
 * What the depreciation-run, journal, period, disposal and report routes answer, as the console
 * reads it: hand-written mirrors of the TypeBox schemas in `src/server/routes/depreciation.routes.ts`,
 * `lifecycle.routes.ts` and `reports.routes.ts` (money is a decimal string end to end).
 */
import type { Asset, DisposalKind } from './types';

export type RunStatus = 'running' | 'completed' | 'failed';

export interface DepreciationRun {
  id: string;
  book: string;
  periodStart: string;
  periodEnd: string;
  status: RunStatus;
  assetsTotal: number;
  assetsDone: number;
  totalAmount: string;
  journalEntryId: string | null;
  startedBy: string;
  startedAt: string;
  finishedAt: string | null;
  error: string | null;
  /** Only on `POST /depreciation/runs`: false when the period already had a run (nothing posted again). */
  created?: boolean;
}

export interface RunPreview {
  book: string;
  periodStart: string;
  periodEnd: string;
  /** Assets the run covers (in service by the period's end, not disposed). */
  assets: number;
  totalAmount: string;
  alreadyPosted: boolean;
  byCategory: { categoryId: string | null; amount: string; expenseAccount: string; accumulatedAccount: string }[];
  /** The first lines (a sample: at most 200). */
  lines: { assetId: string; tag: string; name: string; amount: string; accumulated: string; bookValue: string }[];
}

export interface ClosedPeriod {
  book: string;
  periodStart: string;
  periodEnd: string;
  closedAt: string;
  closedBy: string;
}

export interface JournalLine {
  lineNo: number;
  account: string;
  debit: string;
  credit: string;
  categoryId: string | null;
  assetId: string | null;
  memo: string | null;
}

export interface JournalEntry {
  id: string;
  book: string;
  entryDate: string;
  source: string;
  sourceId: string;
  description: string;
  currency: string;
  postedAt: string;
  postedBy: string;
  lines: JournalLine[];
}

/** `POST /depreciation/preview`: a what-if schedule, nothing stored. */
export interface SchedulePreviewInput {
  method: string;
  cost: string;
  salvageValue?: string;
  usefulLifeYears?: string;
  recoveryPeriodYears?: number;
  factor?: string;
  rate?: string;
  switchToStraightLine?: boolean;
  convention?: string;
  totalUnits?: string;
  unitsByPeriod?: string[];
  placedInService?: string;
  fiscalYearStart?: string;
  periodFrequency?: 'year' | 'month';
}

export interface PreviewScheduleRow {
  period: number;
  periodStart: string;
  periodEnd: string;
  amount: string;
  accumulated: string;
  bookValue: string;
}

// --- disposal ---
export interface DisposalInput {
  kind: DisposalKind;
  disposedOn?: string;
  proceeds?: string;
  costsOfDisposal?: string;
  reason?: string;
}

export interface DisposalBookPreview {
  book: string;
  cost: string;
  accumulated: string;
  /** Depreciation still to post up to the disposal date. */
  catchUpDepreciation: string;
  netBookValue: string;
  netProceeds: string;
  /** Positive: gain; negative: loss. */
  gainOrLoss: string;
  journalEntryId?: string | null;
}

export interface DisposalPreview {
  disposedOn: string;
  currency: string;
  books: DisposalBookPreview[];
}

/** The asset as `POST /assets/:id/dispose` answers it: its disposal carries the accounting per book. */
export type DisposedAsset = Omit<Asset, 'disposal'> & {
  disposal:
    | (NonNullable<Asset['disposal']> & {
        costsOfDisposal?: string | null;
        books?: DisposalBookPreview[];
      })
    | null;
};
