export interface JournalLine {
  lineNo: number;
  account: string;
  role: string;
  debit: string;
  credit: string;
  categoryId: string | null;
  siteId: string | null;
  itemId: string | null;
  assetId: string | null;
  memo: string | null;
}

export interface JournalEntry {
  id: string;
  number: number;
  idempotencyKey: string;
  entryDate: string;
  period: string;
  sourceType: string;
  sourceRef: string;
  memo: string;
  currency: string;
  redatedFrom: string | null;
  totalDebit: string;
  totalCredit: string;
  lines: JournalLine[];
  postedAt: string;
  exportedAt: string | null;
  push: { status: 'pending' | 'pushed' | 'failed'; attempts: number; pushedAt: string | null; erpDocumentId: string | null; lastResponseStatus: number | null; lastError: string | null };
}

export interface PeriodRow {
  period: string;
  status: 'open' | 'closed';
  entries: number;
  pushed: number;
  failed: number;
  exported: number;
  debit: string;
  credit: string;
  closedAt: string | null;
  closedBy: string | null;
}

export interface Periods {
  closedThrough: string | null;
  pushTarget: boolean;
  periods: PeriodRow[];
}

export interface PushResult {
  entryId: string;
  number: number;
  idempotencyKey: string;
  outcome: 'pushed' | 'already-pushed' | 'failed';
  responseStatus: number | null;
  erpDocumentId: string | null;
  error: string | null;
}

export interface AccountMapping {
  id: string;
  role: string;
  categoryId: string | null;
  siteId: string | null;
  account: string;
  name: string | null;
  isDefault: boolean;
  updatedAt: string;
  updatedBy: string;
}

export interface Paged<T> {
  data: T[];
  total: number;
  limit: number;
  offset: number;
}
