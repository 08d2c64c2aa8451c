/**
 * Typed calls to the fixed-assets accounting routes (depreciation runs, periods, the journal, the
 * what-if schedule, disposals) through the shell's client from `useApi()`. Call in `setup()`.
 */
import { useApi, type ConsoleApi } from '@quartermaster/ui';
import { BASE } from './constants';
import type { Book } from './types';
import type {
  ClosedPeriod,
  DepreciationRun,
  DisposalInput,
  DisposalPreview,
  DisposedAsset,
  JournalEntry,
  PreviewScheduleRow,
  RunPreview,
  SchedulePreviewInput,
} from './accounting-types';

const enc = encodeURIComponent;

export function accountingApi(api: ConsoleApi) {
  return {
    books: () => api.get<Book[]>(`${BASE}/books`),
    runs: {
      list: (q: { book?: string } = {}) => api.get<DepreciationRun[]>(`${BASE}/depreciation/runs`, q),
      get: (id: string) => api.get<DepreciationRun>(`${BASE}/depreciation/runs/${enc(id)}`),
      preview: (body: { book: string; periodEnd: string }) => api.post<RunPreview>(`${BASE}/depreciation/runs/preview`, body),
      /** 202 with a new run (`created: true`), or 200 with the period's existing run (`created: false`). */
      post: (body: { book: string; periodEnd: string }) => api.post<DepreciationRun>(`${BASE}/depreciation/runs`, body),
    },
    periods: {
      list: (q: { book?: string } = {}) => api.get<ClosedPeriod[]>(`${BASE}/periods`, q),
      close: (body: { book: string; periodEnd: string }) =>
        api.post<{ book: string; periodStart: string; periodEnd: string; closedBy: string }>(`${BASE}/periods/close`, body),
    },
    journal: (q: { book?: string; from?: string; to?: string; limit?: number } = {}) => api.get<JournalEntry[]>(`${BASE}/journal`, q),
    schedulePreview: (body: SchedulePreviewInput) => api.post<{ schedule: PreviewScheduleRow[] }>(`${BASE}/depreciation/preview`, body),
    disposal: {
      preview: (assetId: string, body: Omit<DisposalInput, 'reason'>) => api.post<DisposalPreview>(`${BASE}/assets/${enc(assetId)}/disposal-preview`, body),
      dispose: (assetId: string, body: DisposalInput) => api.post<DisposedAsset>(`${BASE}/assets/${enc(assetId)}/dispose`, body),
    },
  };
}

export type AccountingApi = ReturnType<typeof accountingApi>;

export function useAccountingApi(): AccountingApi {
  return accountingApi(useApi());
}
