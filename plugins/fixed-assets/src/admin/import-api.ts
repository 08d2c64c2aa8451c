/**
 * CSV import and export of the asset register (src/server/routes/import-export.routes.ts): typed
 * calls, the job's shape, and the same-origin export URL (cookie-authenticated, so a plain
 * `<a download>` works). Call `useImportApi()` in `setup()`.
 */
import { useApi, type ConsoleApi } from '@quartermaster/ui';
import { withQuery } from './api';
import { BASE } from './constants';
import type { ImportMode, ImportStatus } from '../shared/constants';
import type { AssetStatus, Paged } from './types';

export type { ImportMode, ImportStatus };

export interface ImportSummary {
  id: string;
  number: string;
  status: ImportStatus;
  mode: ImportMode;
  dryRun: boolean;
  fileName: string | null;
  /** Too large for one request: imported in the background. */
  background: boolean;
  rowsTotal: number;
  rowsValidated: number;
  rowsDone: number;
  progress: { phase: 'validating' | 'importing'; processed: number; total: number };
  counts: { total: number; valid: number; invalid: number; created: number; updated: number; unchanged: number; errors: number };
  detail: string | null;
  createdBy: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface ImportError {
  /** The header is row 1. */
  row: number;
  column: string | null;
  message: string;
  value: string | null;
}

export interface ImportJob extends ImportSummary {
  errors: ImportError[];
  errorsStored: number;
  errorsTruncated: boolean;
}

export interface ImportInput {
  csv: string;
  dryRun?: boolean;
  mode?: ImportMode;
  fileName?: string;
}

export interface ExportFilters {
  q?: string;
  status?: AssetStatus[];
  categoryId?: string;
  locationId?: string;
  flaggedMissing?: boolean;
}

/** The register's columns as the import takes them (and the export writes them); per book `<book>_<param>`. */
export const IMPORT_COLUMNS = [
  'tag',
  'name',
  'serial_number',
  'category',
  'item_sku',
  'location',
  'parent_tag',
  'status',
  'condition',
  'custodian_user',
  'custodian_person',
  'department',
  'cost_centre',
  'supplier',
  'purchase_date',
  'invoice_number',
  'acquisition_cost',
  'currency',
  'warranty_end',
  'notes',
  'custom_fields',
] as const;
export const BOOK_COLUMN_PARAMS = ['method', 'cost_basis', 'salvage', 'life_years', 'recovery_period', 'convention', 'factor', 'rate', 'switch_to_straight_line', 'total_units', 'units_by_period', 'placed_in_service', 'accumulated'] as const;

export const importRunning = (j: Pick<ImportSummary, 'status'> | null | undefined) => !!j && (j.status === 'validating' || j.status === 'importing');
export const importStatusTag = (s: string) => (s === 'done' ? 'success' : s === 'failed' ? 'danger' : 'primary');

export function importApi(api: ConsoleApi) {
  const enc = encodeURIComponent;
  return {
    /** 202 with the job: finished already for small files, `validating`/`importing` for large ones. */
    create: (body: ImportInput) => api.post<ImportJob>(`${BASE}/imports`, body),
    get: (id: string, q: { errorsLimit?: number; errorsOffset?: number } = {}) => api.get<ImportJob>(`${BASE}/imports/${enc(id)}`, q),
    list: (q: { status?: ImportStatus; limit?: number; offset?: number } = {}) => api.get<Paged<ImportSummary>>(`${BASE}/imports`, q),
    /** Same-origin URL of the register as CSV with these filters. */
    exportUrl: (f: ExportFilters = {}) => withQuery(`${BASE}/export/assets.csv`, f as Record<string, string | boolean | string[] | undefined>),
  };
}

export function useImportApi() {
  return importApi(useApi());
}
