/** Typed calls to the ERP journal API through the shell's client (`useApi()`). Call in `setup()`. */
import { useApi } from '@quartermaster/ui';
import { BASE } from './constants';
import type { AccountMapping, JournalEntry, Paged, Periods, PushResult } from './types';

const enc = encodeURIComponent;

export function useJournalApi() {
  const api = useApi();
  return {
    entries: (q: { period?: string; sourceType?: string; account?: string; limit?: number; offset?: number }) => api.get<Paged<JournalEntry>>(`${BASE}/entries`, q),
    periods: () => api.get<Periods>(`${BASE}/periods`),
    push: (period: string) => api.post<{ period: string; sent: number; alreadyPushed: number; results: PushResult[] }>(`${BASE}/periods/${enc(period)}/push`, {}),
    close: (period: string) => api.post<{ period: string; closedThrough: string }>(`${BASE}/periods/${enc(period)}/close`, {}),
    reopen: (period: string) => api.post<{ period: string; closedThrough: string | null }>(`${BASE}/periods/${enc(period)}/reopen`, {}),
    exportUrl: (period: string, format: 'csv' | 'json') => `${BASE}/periods/${enc(period)}/journal.${format}`,
    accounts: () => api.get<AccountMapping[]>(`${BASE}/accounts`),
    setAccount: (body: { role: string; categoryId?: string | null; siteId?: string | null; account: string; name?: string | null }) => api.put<AccountMapping>(`${BASE}/accounts`, body),
    removeAccount: (id: string) => api.delete(`${BASE}/accounts/${enc(id)}`),
  };
}
