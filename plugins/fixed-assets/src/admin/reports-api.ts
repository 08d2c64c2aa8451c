/**
 * The fixed-assets reports (`GET /reports/*`, src/server/routes/reports.routes.ts): typed JSON
 * calls and the same-origin CSV URLs (`format=csv`, cookie-authenticated, so a plain `<a download>`
 * works). Amounts are decimal strings; totals come per currency, never added across currencies.
 */
import { useApi, type ConsoleApi } from '@quartermaster/ui';
import { withQuery } from './api';
import { BASE } from './constants';
import type { CostKind } from '../shared/constants';
import type { DisposalKind, Holder } from './types';

type Scalar = string | number | boolean | null | undefined;
type Query = Record<string, Scalar>;

export interface NbvFigures {
  assets: number;
  cost: string;
  revaluation: string;
  accumulatedDepreciation: string;
  impairment: string;
  netBookValue: string;
}
export interface NbvReport {
  asOf: string;
  book: string;
  groupBy: string;
  groups: (NbvFigures & { id: string | null; label: string; currency: string })[];
  totals: (NbvFigures & { currency: string })[];
}
export interface NbvQuery {
  asOf?: string;
  book?: string;
  groupBy?: 'category' | 'site' | 'location' | 'none';
  categoryId?: string;
  locationId?: string;
}

export interface ForecastFigures {
  assets: number;
  amounts: string[];
  beyond: string;
  remaining: string;
}
export interface ForecastReport {
  book: string;
  from: string;
  groupBy: string;
  years: { label: string; start: string; end: string }[];
  groups: (ForecastFigures & { id: string | null; label: string; currency: string })[];
  totals: (ForecastFigures & { currency: string })[];
}
export interface ForecastQuery {
  book?: string;
  years?: number;
  from?: string;
  groupBy?: 'category' | 'none';
  categoryId?: string;
  locationId?: string;
}

export interface DisposalFigures {
  cost: string;
  accumulated: string;
  netBookValue: string;
  proceeds: string;
  costsOfDisposal: string;
  gainOrLoss: string;
}
/** One row per disposed asset and book (src/server/routes/disposal.routes.ts). */
export interface DisposalsRow extends DisposalFigures {
  assetId: string;
  tag: string;
  name: string;
  /** The category's path. */
  category: string | null;
  kind: DisposalKind;
  disposedOn: string;
  book: string;
  currency: string;
}
export interface DisposalsReport {
  from: string | null;
  to: string | null;
  rows: DisposalsRow[];
  /** Per book and currency. */
  totals: (DisposalFigures & { book: string; currency: string; assets: number })[];
}
export interface DisposalsQuery {
  from?: string;
  to?: string;
  book?: string;
  categoryId?: string;
}

export interface CustodyReportLine {
  custodyId: string;
  assetId: string;
  tag: string;
  assetName: string;
  checkedOutAt: string;
  checkedOutBy: string;
  expectedReturnAt: string | null;
  checkedInAt: string | null;
  overdue: boolean;
  daysOut: number;
}
export interface CustodyReport {
  asOf: string;
  total: number;
  limit: number;
  offset: number;
  custodies: number;
  overdue: number;
  data: { holder: Holder; count: number; overdue: number; custodies: CustodyReportLine[] }[];
}
export interface CustodyReportQuery {
  asOf?: string;
  type?: string;
  limit?: number;
  offset?: number;
}

export interface UtilizationReport {
  from: string;
  to: string;
  windowStart: string;
  windowEnd: string;
  windowHours: string;
  total: number;
  limit: number;
  offset: number;
  data: { assetId: string; tag: string; name: string; status: string; checkedOutHours: string; utilization: string | null; bookedHours: string; booked: string | null }[];
  totals: { assets: number; checkedOutHours: string; bookedHours: string; utilization: string | null; booked: string | null };
}
export interface UtilizationQuery {
  from: string;
  to: string;
  categoryId?: string;
  locationId?: string;
  limit?: number;
  offset?: number;
}

export type ByKind = Record<CostKind, string>;
export interface TcoReport {
  from: string | null;
  to: string;
  total: number;
  limit: number;
  offset: number;
  data: {
    assetId: string;
    tag: string;
    name: string;
    status: string;
    currency: string;
    acquiredOn: string;
    disposedOn: string | null;
    acquisitionCost: string;
    costs: ByKind;
    total: string;
    daysOwned: number;
    costPerDay: string | null;
  }[];
  totals: { currency: string; assets: number; acquisitionCost: string; costs: ByKind; total: string }[];
}
export interface TcoQuery {
  from?: string;
  to?: string;
  categoryId?: string;
  locationId?: string;
  limit?: number;
  offset?: number;
}

export const REPORTS = ['net-book-value', 'depreciation-forecast', 'disposals', 'custody', 'utilization', 'total-cost-of-ownership'] as const;
export type ReportName = (typeof REPORTS)[number];

/** Same-origin URL of a report as CSV with these filters (paging left out: the CSV has every row). */
export function reportCsvUrl(report: ReportName, q: object): string {
  const { limit: _l, offset: _o, ...rest } = q as Query;
  return withQuery(`${BASE}/reports/${report}`, { ...rest, format: 'csv' });
}

export function reportsApi(api: ConsoleApi) {
  const get = <T>(report: ReportName, q: object) => api.get<T>(withQuery(`${BASE}/reports/${report}`, q as Query));
  return {
    netBookValue: (q: NbvQuery) => get<NbvReport>('net-book-value', q),
    depreciationForecast: (q: ForecastQuery) => get<ForecastReport>('depreciation-forecast', q),
    disposals: (q: DisposalsQuery) => get<DisposalsReport>('disposals', q),
    custody: (q: CustodyReportQuery) => get<CustodyReport>('custody', q),
    utilization: (q: UtilizationQuery) => get<UtilizationReport>('utilization', q),
    totalCostOfOwnership: (q: TcoQuery) => get<TcoReport>('total-cost-of-ownership', q),
  };
}

export function useReportsApi() {
  return reportsApi(useApi());
}
