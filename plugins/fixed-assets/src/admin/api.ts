/**
 * Typed calls to the fixed-assets API (and the few core calls the pages need), through the shell's
 * client from `useApi()`: session cookie, CSRF header, problem+json errors. Call in `setup()`.
 */
import { useApi, type ConsoleApi } from '@quartermaster/ui';
import { BASE } from './constants';
import type {
  Asset,
  AssetBook,
  AssetBookInput,
  AssetDetail,
  AssetDocument,
  AssetEvent,
  AssetInput,
  AssetListQuery,
  Availability,
  Book,
  Booking,
  BookingInput,
  CategorySettings,
  CheckInTerms,
  CheckOutTerms,
  CoreCategory,
  CoreItem,
  CoreLocation,
  CoreLocationNode,
  CoreUser,
  Custody,
  FromStockInput,
  Holder,
  Kit,
  Paged,
  Person,
  PersonInput,
  PlatformInfo,
  ResolveAnswer,
  ScheduleRow,
  Session,
  StockLevel,
} from './types';

type Scalar = string | number | boolean | null | undefined;
type Query = Record<string, Scalar | readonly Scalar[]>;
const enc = encodeURIComponent;

/**
 * `path?query` for queries with repeated parameters (`status=a&status=b`), which the shell's
 * client (one value per key) cannot send; empty values are left out.
 */
export function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    for (const one of Array.isArray(v) ? v : [v]) if (one !== undefined && one !== null && one !== '') params.append(k, String(one));
  }
  const s = params.toString();
  return s ? `${path}?${s}` : path;
}

export function fixedAssetsApi(api: ConsoleApi) {
  return {
    assets: {
      list: (q: AssetListQuery) => api.get<Paged<Asset>>(withQuery(`${BASE}/assets`, q as Query)),
      get: (id: string) => api.get<AssetDetail>(`${BASE}/assets/${enc(id)}`),
      create: (body: AssetInput & { name: string }) => api.post<Asset>(`${BASE}/assets`, body),
      patch: (id: string, body: AssetInput) => api.patch<Asset>(`${BASE}/assets/${enc(id)}`, body),
      history: (id: string, q: { limit?: number; offset?: number } = {}) => api.get<Paged<AssetEvent>>(`${BASE}/assets/${enc(id)}/history`, q),
      transition: (id: string, body: { to: string; reason?: string }) => api.post<Asset>(`${BASE}/assets/${enc(id)}/transitions`, body),
      move: (id: string, body: { locationId: string; reason?: string }) => api.post<{ asset: Asset; moved: string[] }>(`${BASE}/assets/${enc(id)}/move`, body),
      /** Issue one unit from inventory stock and register it as an asset (needs the inventory plugin and `inventory.moves.post`). */
      fromStock: (body: FromStockInput) => api.post<Asset>(`${BASE}/assets/from-stock`, body),
    },
    custody: {
      checkOut: (assetId: string, body: CheckOutTerms) => api.post<{ asset: Asset; custody: Custody }>(`${BASE}/assets/${enc(assetId)}/check-out`, body),
      checkIn: (assetId: string, body: CheckInTerms) => api.post<{ asset: Asset; custody: Custody }>(`${BASE}/assets/${enc(assetId)}/check-in`, body),
      bulkCheckOut: (body: CheckOutTerms & { tags: string[] }) => api.post<{ custodies: Custody[] }>(`${BASE}/custody/check-out`, body),
      bulkCheckIn: (body: CheckInTerms & { tags: string[] }) => api.post<{ custodies: Custody[] }>(`${BASE}/custody/check-in`, body),
      ofAsset: (assetId: string, q: { limit?: number; offset?: number } = {}) => api.get<Paged<Custody>>(`${BASE}/assets/${enc(assetId)}/custody`, q),
      list: (q: { assetId?: string; open?: boolean; overdue?: boolean; holderUserId?: string; holderPersonId?: string; holderLocationId?: string; project?: string; bookingId?: string; limit?: number; offset?: number }) =>
        api.get<Paged<Custody>>(`${BASE}/custody`, q),
      holders: (q: { type?: string; limit?: number; offset?: number } = {}) =>
        api.get<Paged<{ holder: Holder; count: number; overdue: number; custodies: Custody[] }>>(`${BASE}/custody/holders`, q),
    },
    bookings: {
      list: (q: { assetId?: string; kitId?: string; status?: string[]; from?: string; to?: string; holderUserId?: string; holderPersonId?: string; project?: string; limit?: number; offset?: number }) =>
        api.get<Paged<Booking>>(withQuery(`${BASE}/bookings`, q as Query)),
      get: (id: string) => api.get<Booking>(`${BASE}/bookings/${enc(id)}`),
      create: (body: BookingInput) => api.post<Booking>(`${BASE}/bookings`, body),
      cancel: (id: string, body: { reason?: string } = {}) => api.post<Booking>(`${BASE}/bookings/${enc(id)}/cancel`, body),
      checkOut: (id: string, body: { expectedReturnAt?: string; condition?: string; note?: string } = {}) =>
        api.post<{ booking: Booking; custodies: Custody[] }>(`${BASE}/bookings/${enc(id)}/check-out`, body),
      availability: (q: { from: string; to: string; assetId?: string[]; kitId?: string; categoryId?: string; locationId?: string; limit?: number; offset?: number }) =>
        api.get<Availability>(withQuery(`${BASE}/availability`, q as Query)),
    },
    kits: {
      list: (q: { q?: string; limit?: number; offset?: number } = {}) => api.get<Paged<Kit>>(`${BASE}/kits`, q),
      get: (id: string) => api.get<Kit>(`${BASE}/kits/${enc(id)}`),
    },
    persons: {
      list: (q: { q?: string; active?: boolean; limit?: number; offset?: number }) => api.get<Paged<Person>>(`${BASE}/persons`, q),
      get: (id: string) => api.get<Person>(`${BASE}/persons/${enc(id)}`),
      create: (body: PersonInput & { name: string }) => api.post<Person>(`${BASE}/persons`, body),
      patch: (id: string, body: PersonInput) => api.patch<Person>(`${BASE}/persons/${enc(id)}`, body),
    },
    documents: {
      list: (assetId: string) => api.get<{ data: AssetDocument[] }>(`${BASE}/assets/${enc(assetId)}/documents`),
      upload: (assetId: string, body: { kind?: string; name: string; contentType: string; content: string }) => api.post<AssetDocument>(`${BASE}/assets/${enc(assetId)}/documents`, body),
      remove: (id: string) => api.delete(`${BASE}/documents/${enc(id)}`),
      /** Same-origin URL of the content (cookie-authenticated): for `<img src>` and download links. */
      contentUrl: (id: string) => `${BASE}/documents/${enc(id)}/content`,
    },
    settings: {
      category: (categoryId: string) => api.get<CategorySettings>(`${BASE}/categories/${enc(categoryId)}/settings`),
    },
    depreciation: {
      books: () => api.get<Book[]>(`${BASE}/books`),
      assetBooks: (assetId: string) => api.get<AssetBook[]>(`${BASE}/assets/${enc(assetId)}/books`),
      putAssetBook: (assetId: string, book: string, body: AssetBookInput) => api.put<AssetBook>(`${BASE}/assets/${enc(assetId)}/books/${enc(book)}`, body),
      schedule: (assetId: string, book: string) => api.get<{ book: string; schedule: ScheduleRow[] }>(`${BASE}/assets/${enc(assetId)}/books/${enc(book)}/schedule`),
    },
    /** The inventory plugin's API, for pages that work with it when it is enabled. */
    inventory: {
      /** Stock of one item at a location (and everything under it), as one row; no row when there is none. */
      stockOfItem: (itemId: string, locationId: string) =>
        api.get<Paged<StockLevel>>('/api/inventory/stock', { groupBy: 'item', itemId, locationId }),
    },
    core: {
      session: () => api.get<Session>('/api/core/session'),
      /** Core version and the plugins enabled on the server. */
      platform: () => api.get<PlatformInfo>('/api/core/platform'),
      categories: () => api.get<CoreCategory[]>('/api/core/categories'),
      items: (q: { q?: string; limit?: number }) => api.get<Paged<CoreItem>>('/api/core/items', q),
      item: (id: string) => api.get<CoreItem>(`/api/core/items/${enc(id)}`),
      locationTree: () => api.get<CoreLocationNode[]>('/api/core/locations/tree'),
      locations: (q: { q?: string; limit?: number }) => api.get<Paged<CoreLocation>>('/api/core/locations', q),
      location: (id: string) => api.get<CoreLocation>(`/api/core/locations/${enc(id)}`),
      users: (q: { limit?: number; offset?: number } = {}) => api.get<Paged<CoreUser>>('/api/core/users', q),
      user: (id: string) => api.get<CoreUser>(`/api/core/users/${enc(id)}`),
      resolve: (value: string) => api.get<ResolveAnswer>('/api/core/identifiers/resolve', { value }),
    },
  };
}

export type FixedAssetsApi = ReturnType<typeof fixedAssetsApi>;

export function useFixedAssetsApi(): FixedAssetsApi {
  return fixedAssetsApi(useApi());
}
