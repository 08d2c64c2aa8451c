/**
 * Typed calls to the inventory API (and the few core calls the pages need), through the shell's
 * client from `useApi()`: session cookie, CSRF header, problem+json errors. Call in `setup()`.
 */
import { useApi, type ConsoleApi } from '@quartermaster/ui';
import { BASE } from './constants';
import type {
  AbcResult,
  CogsReport,
  CountDetail,
  CountDue,
  CountEntry,
  CountStartInput,
  CountSummary,
  CreatedPurchaseOrders,
  PeriodicReport,
  PurchaseOrder,
  PurchaseOrderInput,
  PurchaseOrderSummary,
  ReceiveInput,
  ReorderRule,
  ReorderRuleInput,
  ReplenishmentPreview,
  ReplenishmentPreviewInput,
  ImportInput,
  ImportJob,
  SlowMovingReport,
  StockOutsReport,
  Suggestions,
  TurnoverReport,
  Supplier,
  SupplierInput,
  SupplierItem,
  SupplierItemInput,
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
      periodic: (q: { from: string; to: string; method: string }) => api.get<PeriodicReport>(`${BASE}/reports/periodic`, q),
      turnover: (q: { from: string; to: string; itemId?: string }) => api.get<TurnoverReport>(`${BASE}/reports/turnover`, q),
      slowMoving: (q: { days?: number; deadDays?: number; locationId?: string; limit?: number; offset?: number }) => api.get<SlowMovingReport>(`${BASE}/reports/slow-moving`, q),
      stockOuts: (q: { from: string; to: string; itemId?: string; locationId?: string }) => api.get<StockOutsReport>(`${BASE}/reports/stock-outs`, q),
    },
    imports: {
      /** 201 with the final report (small files), or 202 with a job to poll. */
      create: (body: ImportInput) => api.post<ImportJob>(`${BASE}/imports`, body),
      get: (id: string, q: { errorsLimit?: number; errorsOffset?: number } = {}) => api.get<ImportJob>(`${BASE}/imports/${enc(id)}`, q),
      list: (q: Query & { kind?: string; status?: string; limit?: number; offset?: number }) => api.get<Paged<ImportJob>>(`${BASE}/imports`, q),
      errorsCsvUrl: (id: string) => `${BASE}/imports/${enc(id)}/errors.csv`,
    },
    counts: {
      list: (q: Query & { status?: string; limit?: number; offset?: number }) => api.get<Paged<CountSummary>>(`${BASE}/counts`, q),
      get: (id: string) => api.get<CountDetail>(`${BASE}/counts/${enc(id)}`),
      start: (body: CountStartInput) => api.post<CountDetail>(`${BASE}/counts`, body),
      enter: (id: string, entries: CountEntry[]) => api.post<CountDetail>(`${BASE}/counts/${enc(id)}/entries`, { entries }),
      finish: (id: string, body: { uncountedAsZero?: boolean } = {}) => api.post<CountDetail>(`${BASE}/counts/${enc(id)}/finish`, body),
      post: (id: string) => api.post<CountDetail>(`${BASE}/counts/${enc(id)}/post`, {}),
      cancel: (id: string) => api.post<CountDetail>(`${BASE}/counts/${enc(id)}/cancel`, {}),
      due: (q: Query & { locationId?: string; limit?: number; offset?: number }) => api.get<Paged<CountDue>>(`${BASE}/counts/due`, q),
      classifyAbc: (body: { periodDays?: number; aShare?: number; bShare?: number }) => api.post<AbcResult>(`${BASE}/abc/classify`, body),
    },
    suppliers: {
      list: (q: Query & { q?: string; includeArchived?: boolean; limit?: number; offset?: number }) => api.get<Paged<Supplier>>(`${BASE}/suppliers`, q),
      get: (id: string) => api.get<Supplier>(`${BASE}/suppliers/${enc(id)}`),
      create: (body: SupplierInput & { name: string }) => api.post<Supplier>(`${BASE}/suppliers`, body),
      patch: (id: string, body: SupplierInput) => api.patch<Supplier>(`${BASE}/suppliers/${enc(id)}`, body),
      items: (q: { supplierId?: string; itemId?: string }) => api.get<SupplierItem[]>(`${BASE}/supplier-items`, q),
      putItem: (supplierId: string, itemId: string, body: SupplierItemInput) => api.put<SupplierItem>(`${BASE}/suppliers/${enc(supplierId)}/items/${enc(itemId)}`, body),
    },
    reorderRules: {
      list: (q: Query & { itemId?: string; locationId?: string; belowReorderPoint?: boolean; limit?: number; offset?: number }) => api.get<Paged<ReorderRule>>(`${BASE}/reorder-rules`, q),
      put: (body: ReorderRuleInput) => api.put<ReorderRule>(`${BASE}/reorder-rules`, body),
      remove: (id: string) => api.delete(`${BASE}/reorder-rules/${enc(id)}`),
    },
    replenishment: {
      suggestions: (q: { locationId?: string; supplierId?: string }) => api.get<Suggestions>(`${BASE}/replenishment/suggestions`, q),
      createPurchaseOrders: (body: { ruleIds?: string[]; locationId?: string; supplierId?: string }) => api.post<CreatedPurchaseOrders>(`${BASE}/replenishment/purchase-orders`, body),
      preview: (body: ReplenishmentPreviewInput) => api.post<ReplenishmentPreview>(`${BASE}/replenishment/preview`, body),
    },
    purchaseOrders: {
      list: (q: Query & { status?: string; supplierId?: string; itemId?: string; limit?: number; offset?: number }) => api.get<Paged<PurchaseOrderSummary>>(`${BASE}/purchase-orders`, q),
      get: (id: string) => api.get<PurchaseOrder>(`${BASE}/purchase-orders/${enc(id)}`),
      create: (body: PurchaseOrderInput) => api.post<PurchaseOrder>(`${BASE}/purchase-orders`, body),
      /** `order`, `close` or `cancel`. */
      transition: (id: string, action: 'order' | 'close' | 'cancel') => api.post<PurchaseOrder>(`${BASE}/purchase-orders/${enc(id)}/${action}`, {}),
      receive: (id: string, body: ReceiveInput) => api.post<PurchaseOrder & { moveId: string }>(`${BASE}/purchase-orders/${enc(id)}/receive`, body),
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
