/**
 * Typed calls to the RFID API (`/api/rfid/…`, every route of `src/server/routes/*.routes.ts`) and
 * the core and fixed-assets calls the pages need (readers are core devices), through the shell's
 * client from `useApi()`: session cookie, CSRF header, problem+json errors thrown with `status`,
 * `detail`, `fieldErrors` and `body`. Call `useRfidApi()` in `setup()`.
 */
import { useApi, type ConsoleApi, type CoreLocationNode } from '@quartermaster/ui';
import { BASE, READER_KIND } from './constants';
import type {
  AssetOption,
  ClearInput,
  DecodedEpcDto,
  DeviceDetail,
  DevicePatch,
  DeviceSummary,
  EncodeInput,
  EnrolInput,
  MovementDto,
  MovementListQuery,
  PageQuery,
  Paged,
  PlatformInfo,
  RecentRead,
  Session,
  StockCountQuery,
  StockCounts,
  TagDetail,
  TagDto,
  TagListQuery,
} from './types';

type Query = Record<string, string | number | boolean | null | undefined>;
const enc = encodeURIComponent;

export function rfidApi(api: ConsoleApi) {
  return {
    readers: {
      /** The core's devices of kind `rfid-reader` (any adapter: a generic JSON gateway feeds the same consumer). */
      list: (query: PageQuery & { q?: string } = {}) => api.get<Paged<DeviceSummary>>('/api/core/devices', { kind: READER_KIND, ...query } as Query),
      get: (id: string) => api.get<DeviceDetail>(`/api/core/devices/${enc(id)}`),
      /** Settings replace the device's whole settings object; `version` refuses a stale edit (409). */
      update: (id: string, patch: DevicePatch) => api.patch<DeviceDetail>(`/api/core/devices/${enc(id)}`, patch),
    },
    reads: {
      recent: (query: { deviceId?: string; limit?: number } = {}) => api.get<{ data: RecentRead[] }>(`${BASE}/reads/recent`, query as Query),
    },
    tags: {
      list: (query: TagListQuery = {}) => api.get<Paged<TagDto>>(`${BASE}/tags`, query as Query),
      get: (epc: string) => api.get<TagDetail>(`${BASE}/tags/${enc(epc)}`),
      enrol: (epc: string, body: EnrolInput) => api.post<{ tag: TagDto; identifierId: string }>(`${BASE}/tags/${enc(epc)}/enrol`, body),
      clear: (body: ClearInput = {}) => api.post<{ cleared: number }>(`${BASE}/tags/clear`, body),
    },
    movements: {
      list: (query: MovementListQuery = {}) => api.get<Paged<MovementDto>>(`${BASE}/movements`, query as Query),
    },
    epc: {
      decode: (hex: string) => api.post<DecodedEpcDto>(`${BASE}/epc/decode`, { hex }),
      encode: (body: EncodeInput) => api.post<DecodedEpcDto>(`${BASE}/epc/encode`, body),
    },
    stockCounts: (query: StockCountQuery) => api.get<StockCounts>(`${BASE}/stock-counts`, query as unknown as Query),
    assets: {
      /** Fixed assets by tag, name or serial (only when fixed-assets is enabled). */
      search: async (q: string) => (await api.get<Paged<AssetOption>>('/api/fixed-assets/assets', { q: q || undefined, limit: 20 })).data,
      get: (id: string) => api.get<AssetOption>(`/api/fixed-assets/assets/${enc(id)}`),
    },
    core: {
      session: () => api.get<Session>('/api/core/session'),
      /** The plugins enabled on the server (is `fixed-assets` on?). */
      platform: () => api.get<PlatformInfo>('/api/core/platform'),
      locationTree: () => api.get<CoreLocationNode[]>('/api/core/locations/tree'),
    },
  };
}

export type RfidApi = ReturnType<typeof rfidApi>;

export function useRfidApi(): RfidApi {
  return rfidApi(useApi());
}
