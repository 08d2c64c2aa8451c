/**
 * Typed calls to the barcode API (`/api/barcode/…`, every route of `src/server/routes/*.routes.ts`)
 * and the few core, inventory and fixed-assets reads the pages need, through the shell's client
 * from `useApi()`: session cookie, CSRF header, problem+json errors thrown with `status`, `detail`,
 * `fieldErrors` and `body`. Call `useBarcodeApi()` in `setup()`.
 *
 * Label sheets answer HTML, SVG or ZPL rather than JSON, which the shell's client does not return:
 * `labels()` posts itself (same origin, the session's CSRF token) and throws problems shaped like
 * the client's.
 */
import { useApi, type ConsoleApi } from '@quartermaster/ui';
import { BASE } from './constants';
import type {
  AllocateRequest,
  Allocation,
  AssetRef,
  BarcodeSettings,
  BarcodeSettingsPatch,
  CoreItemRef,
  Gs1ParseResult,
  LabelsRequest,
  LotRef,
  Paged,
  PlatformInfo,
  PrintJob,
  PrintRequest,
  Printer,
  PrinterStatus,
  ScanResult,
  Session,
} from './types';
import type { ImageFormat, Symbology } from '../shared/constants';

const enc = encodeURIComponent;

/** A failed request, shaped as the shell's problem errors are (`status`, `detail`, `fieldErrors`, `body`). */
export class BarcodeProblem extends Error {
  readonly status: number;
  readonly type: string;
  readonly title: string;
  readonly detail?: string;
  readonly body: Record<string, unknown>;
  readonly fieldErrors: Record<string, string>;

  constructor(status: number, body: Record<string, unknown>) {
    const detail = typeof body.detail === 'string' ? body.detail : undefined;
    const title = typeof body.title === 'string' ? body.title : `Request failed (${status})`;
    super(detail ?? title);
    this.name = 'BarcodeProblem';
    this.status = typeof body.status === 'number' ? body.status : status;
    this.type = typeof body.type === 'string' ? body.type : 'about:blank';
    this.title = title;
    this.detail = detail;
    this.body = body;
    const out: Record<string, string> = {};
    for (const e of Array.isArray(body.errors) ? (body.errors as { field?: unknown; message?: unknown }[]) : []) {
      const field = String(e?.field ?? '').replace(/^\//, '').replace(/^body[./]/, '').replace(/\//g, '.');
      if (field && !(field in out)) out[field] = String(e?.message ?? 'invalid');
    }
    this.fieldErrors = out;
  }
}

export interface SymbolQuery {
  type: Symbology;
  data: string;
  format?: ImageFormat;
  scale?: number;
  includeText?: boolean;
}

/** Same-origin URL of a barcode image (cookie-authenticated), for `<img src>`. */
export function symbolUrl(q: SymbolQuery): string {
  const params = new URLSearchParams({ type: q.type, data: q.data });
  if (q.format) params.set('format', q.format);
  if (q.scale) params.set('scale', String(q.scale));
  if (q.includeText !== undefined) params.set('includeText', String(q.includeText));
  return `${BASE}/symbols?${params}`;
}

export function barcodeApi(api: ConsoleApi) {
  /** POST answering text (HTML, SVG, ZPL): the shell's client only returns JSON. */
  async function postText(path: string, body: unknown): Promise<{ text: string; contentType: string }> {
    const { csrfToken } = await api.get<Session>('/api/core/session');
    const origin = typeof location !== 'undefined' ? location.origin : 'http://localhost';
    let res: Response;
    try {
      res = await fetch(new URL(path, origin).toString(), {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json', accept: 'text/html, image/svg+xml, text/plain, application/problem+json', 'x-csrf-token': csrfToken },
        body: JSON.stringify(body),
      });
    } catch {
      throw new BarcodeProblem(0, { title: 'Network error', detail: 'The server could not be reached.' });
    }
    const text = await res.text();
    if (!res.ok) {
      let problem: Record<string, unknown> = {};
      try {
        problem = JSON.parse(text) as Record<string, unknown>;
      } catch {
        problem = { title: res.statusText || `Request failed (${res.status})` };
      }
      throw new BarcodeProblem(res.status, problem);
    }
    return { text, contentType: res.headers.get('content-type') ?? '' };
  }

  return {
    gs1: {
      /** 422 `gs1-invalid` with `code`, `ai`, `position` in the problem body. */
      parse: (data: string) => api.post<Gs1ParseResult>(`${BASE}/gs1/parse`, { data }),
    },
    /** What a scan means here. */
    scan: (data: string) => api.post<ScanResult>(`${BASE}/scan`, { data }),
    symbolUrl,
    /** A label sheet: `html` (default), `svg` or `zpl`, as text. */
    labels: async (body: LabelsRequest) => (await postText(`${BASE}/labels`, body)).text,
    settings: {
      get: () => api.get<BarcodeSettings>(`${BASE}/settings`),
      /** Only what changes. */
      put: (body: BarcodeSettingsPatch) => api.put<BarcodeSettings>(`${BASE}/settings`, body),
    },
    allocate: (body: AllocateRequest) => api.post<Allocation>(`${BASE}/allocate`, body),
    /** Network printers (`barcode.print`). */
    printers: {
      /** Every zebra-zpl printer, disabled ones too, with its settings and latest job. */
      list: () => api.get<Printer[]>(`${BASE}/printers`),
      /** Asks the printer `~HS`: 502 `barcode/printer-unreachable` when it cannot be reached or stays silent. */
      status: (id: string) => api.get<PrinterStatus>(`${BASE}/printers/${enc(id)}/status`),
      jobs: (q: { printerId?: string; status?: 'sent' | 'failed'; limit?: number; offset?: number } = {}) => api.get<Paged<PrintJob>>(`${BASE}/print-jobs`, q),
    },
    /** Send labels to a printer: 201 with the job; 502 `barcode/printer-unreachable` (job recorded as failed). */
    print: (body: PrintRequest) => api.post<PrintJob>(`${BASE}/labels/print`, body),
    core: {
      session: () => api.get<Session>('/api/core/session'),
      platform: () => api.get<PlatformInfo>('/api/core/platform'),
      item: (id: string) => api.get<CoreItemRef>(`/api/core/items/${enc(id)}`),
    },
    assets: {
      search: (q: string) => api.get<Paged<AssetRef>>('/api/fixed-assets/assets', { q: q || undefined, limit: 30 }),
    },
    lots: {
      /** Inventory lists lots by exact code only: the latest lots, filtered here, plus the exact code. */
      search: async (q: string): Promise<LotRef[]> => {
        const needle = q.trim().toLowerCase();
        const [recent, exact] = await Promise.all([
          api.get<Paged<LotRef>>('/api/inventory/lots', { limit: 100 }),
          needle ? api.get<Paged<LotRef>>('/api/inventory/lots', { code: q.trim(), limit: 20 }) : Promise.resolve({ data: [] as LotRef[] }),
        ]);
        const hits = recent.data.filter((l) => !needle || l.code.toLowerCase().includes(needle) || l.itemName.toLowerCase().includes(needle));
        return [...exact.data, ...hits.filter((l) => !exact.data.some((e) => e.id === l.id))].slice(0, 50);
      },
    },
  };
}

export type BarcodeApi = ReturnType<typeof barcodeApi>;

export function useBarcodeApi(): BarcodeApi {
  return barcodeApi(useApi());
}
