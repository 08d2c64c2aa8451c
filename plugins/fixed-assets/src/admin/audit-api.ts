/**
 * Verification campaigns (physical audits): typed calls and the shapes they answer, mirroring
 * src/server/routes/campaigns.routes.ts. Call `useAuditApi()` in `setup()`.
 */
import { useApi, type ConsoleApi } from '@quartermaster/ui';
import { withQuery } from './api';
import { BASE } from './constants';
import type { CampaignLineState, CampaignStatus, ReconcileAction, ScanResult, ScanSource } from '../shared/constants';
import type { AssetStatus, Paged } from './types';

export type { CampaignLineState, CampaignStatus, ReconcileAction, ScanResult, ScanSource };

interface Pathed {
  id: string;
  name: string;
  path: string;
}

export interface CampaignCounts {
  expected: number;
  found: number;
  missing: number;
  unexpected: number;
  extra: number;
  misplaced: number;
  unknown: number;
  reads: number;
  reconciled: number;
  unreconciled: number;
}

export interface Campaign {
  id: string;
  /** Shown as A-<number>. */
  number: string;
  name: string;
  status: CampaignStatus;
  location: Pathed;
  category: Pathed | null;
  dueDate: string | null;
  notes: string | null;
  createdBy: string;
  createdAt: string;
  closedAt: string | null;
  closedBy: string | null;
  closeReason: string | null;
  forced: boolean;
  counts: CampaignCounts;
}

export interface CampaignLine {
  state: CampaignLineState;
  asset: { id: string; tag: string; name: string; serialNumber: string | null; status: AssetStatus; location: Pathed | null; flaggedMissingAt: string | null } | null;
  code: string | null;
  codeKind: 'unknown' | 'ambiguous' | null;
  expected: boolean;
  misplaced: boolean;
  registeredLocation: Pathed | null;
  scannedLocation: Pathed | null;
  source: ScanSource | null;
  scannedAt: string | null;
  scannedBy: string | null;
  reads: number;
  resolution: { action: ReconcileAction; reason: string | null; resolvedAt: string; resolvedBy: string } | null;
}

export interface CampaignDetail extends Campaign {
  lines: Paged<CampaignLine>;
}

export interface ScanOutcome {
  index: number;
  code: string;
  result: ScanResult;
  firstResult: 'found' | 'unexpected' | 'unknown' | 'ambiguous' | null;
  asset: { id: string; tag: string; name: string; status: AssetStatus; location: Pathed | null } | null;
  expected: boolean;
  misplaced: boolean;
  candidates: { id: string; tag: string; name: string }[];
  message: string;
}

export interface CampaignInput {
  name: string;
  locationId: string;
  categoryId?: string | null;
  dueDate?: string | null;
  notes?: string | null;
}

export interface ReconcileOutcome {
  assetId: string;
  tag: string;
  action: ReconcileAction;
  outcome: 'done' | 'already-done';
  moved: string[];
}

/** Most codes one scan request carries (the server's limit). */
export const MAX_CODES_PER_SCAN = 1000;

export function auditApi(api: ConsoleApi) {
  const enc = encodeURIComponent;
  return {
    list: (q: { status?: CampaignStatus[]; locationId?: string; q?: string; limit?: number; offset?: number }) =>
      api.get<Paged<Campaign>>(withQuery(`${BASE}/campaigns`, q as Record<string, string | number | string[] | undefined>)),
    get: (id: string, q: { state?: CampaignLineState[]; resolved?: boolean; misplaced?: boolean; q?: string; limit?: number; offset?: number } = {}) =>
      api.get<CampaignDetail>(withQuery(`${BASE}/campaigns/${enc(id)}`, q as Record<string, string | number | boolean | string[] | undefined>)),
    create: (body: CampaignInput) => api.post<Campaign>(`${BASE}/campaigns`, body),
    scan: (id: string, body: { codes: string[]; locationId?: string; source?: ScanSource }) =>
      api.post<{ results: ScanOutcome[]; counts: CampaignCounts }>(`${BASE}/campaigns/${enc(id)}/scans`, body),
    reconcile: (id: string, actions: { assetId: string; action: ReconcileAction; reason?: string }[]) =>
      api.post<{ results: ReconcileOutcome[]; campaign: Campaign }>(`${BASE}/campaigns/${enc(id)}/reconcile`, { actions }),
    close: (id: string, body: { force?: boolean; reason?: string } = {}) => api.post<Campaign>(`${BASE}/campaigns/${enc(id)}/close`, body),
    cancel: (id: string, body: { reason?: string } = {}) => api.post<Campaign>(`${BASE}/campaigns/${enc(id)}/cancel`, body),
  };
}

export type AuditApi = ReturnType<typeof auditApi>;

export function useAuditApi(): AuditApi {
  return auditApi(useApi());
}

export const LINE_STATE_LABELS: Record<CampaignLineState, string> = { found: 'Found', missing: 'Missing', unexpected: 'Unexpected', unknown: 'Unknown codes' };
export const RECONCILE_LABELS: Record<ReconcileAction, string> = { 'move-here': 'Move here', 'flag-missing': 'Flag missing', 'mark-lost': 'Mark lost', ignore: 'Ignore' };
export const SCAN_RESULT_LABELS: Record<ScanResult, string> = { found: 'Found', unexpected: 'Unexpected', unknown: 'Unknown', ambiguous: 'Several matches', duplicate: 'Already scanned' };
export const campaignStatusTag = (s: string) => (s === 'open' ? 'primary' : s === 'closed' ? 'success' : 'info');
