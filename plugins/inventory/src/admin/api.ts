/**
 * Typed calls to the inventory API (and the few core calls the pages need), through the shell's
 * client from `useApi()`: session cookie, CSRF header, problem+json errors. Call in `setup()`.
 */
import { useApi, type ConsoleApi } from '@quartermaster/ui';
import { BASE } from './constants';
import type {
  CogsReport,
  CoreItem,
  CoreLocation,
  ItemSettings,
  ItemStock,
  Lot,
  LotTrace,
  Move,
  MoveInput,
  MoveSummary,
  Paged,
  PreviewInput,
  PreviewResult,
  Reservation,
  ResolveAnswer,
  StockRow,
  Unit,
  ValuationReport,
} from './types';

type Query = Record<string, string | number | boolean | null | undefined>;
const enc = encodeURIComponent;

export function inventoryApi(api: ConsoleApi) {
  return {
    stock: {
      list: (q: Query & { q?: string; locationId?: string; itemId?: string; lotId?: string; groupBy?: string; includeZero?: boolean; limit?: number; offset?: number }) =>
        api.get<Paged<StockRow>>(`${BASE}/stock`, q),
      ofItem: (itemId: string) => api.get<ItemStock>(`${BASE}/items/${enc(itemId)}/stock`),
    },
    moves: {
      list: (q: Query) => api.get<Paged<MoveSummary>>(`${BASE}/moves`, q),
      get: (id: string) => api.get<Move>(`${BASE}/moves/${enc(id)}`),
      post: (body: MoveInput) => api.post<Move>(`${BASE}/moves`, body),
      reverse: (id: string, body: { effectiveAt?: string; note?: string } = {}) => api.post<Move>(`${BASE}/moves/${enc(id)}/reverse`, body),
    },
    lots: {
      list: (q: Query) => api.get<Paged<Lot>>(`${BASE}/lots`, q),
      get: (id: string) => api.get<Lot>(`${BASE}/lots/${enc(id)}`),
      patch: (id: string, body: { blocked?: boolean; blockReason?: string; expiresOn?: string | null; manufacturedOn?: string | null }) =>
        api.patch<Lot>(`${BASE}/lots/${enc(id)}`, body),
      trace: (id: string) => api.get<LotTrace>(`${BASE}/lots/${enc(id)}/trace`),
    },
    reservations: {
      list: (q: Query) => api.get<Paged<Reservation>>(`${BASE}/reservations`, q),
      create: (body: { itemId: string; locationId: string; qty: string; lot?: string; reference?: string; expiresAt?: string }) =>
        api.post<Reservation>(`${BASE}/reservations`, body),
      release: (id: string) => api.post<Reservation>(`${BASE}/reservations/${enc(id)}/release`),
    },
    settings: {
      get: (itemId: string) => api.get<ItemSettings>(`${BASE}/items/${enc(itemId)}/settings`),
      put: (itemId: string, body: { valuationMethod?: string | null; standardCost?: string | null; units?: Unit[] }) =>
        api.put<ItemSettings>(`${BASE}/items/${enc(itemId)}/settings`, body),
    },
    reports: {
      valuation: (q: { asOf?: string; groupBy?: string; locationId?: string }) => api.get<ValuationReport>(`${BASE}/reports/valuation`, q),
      cogs: (q: { from: string; to: string; groupBy?: string }) => api.get<CogsReport>(`${BASE}/reports/cogs`, q),
      preview: (body: PreviewInput) => api.post<PreviewResult>(`${BASE}/valuation/preview`, body),
    },
    core: {
      items: (q: { q?: string; limit?: number }) => api.get<Paged<CoreItem>>('/api/core/items', q),
      item: (id: string) => api.get<CoreItem>(`/api/core/items/${enc(id)}`),
      locations: (q: { q?: string; limit?: number }) => api.get<Paged<CoreLocation>>('/api/core/locations', q),
      location: (id: string) => api.get<CoreLocation>(`/api/core/locations/${enc(id)}`),
      resolve: (value: string) => api.get<ResolveAnswer>('/api/core/identifiers/resolve', { value }),
      session: () => api.get<{ permissions: string[] }>('/api/core/session'),
    },
  };
}

export type InventoryApi = ReturnType<typeof inventoryApi>;

export function useInventoryApi(): InventoryApi {
  return inventoryApi(useApi());
}
