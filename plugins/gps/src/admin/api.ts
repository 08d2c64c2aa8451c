/**
 * Typed calls to the whole GPS API (`/api/gps/…`, every route of `src/server/routes/*.routes.ts`
 * the console uses) and the few fixed-assets and core calls the pages need, through the shell's
 * client from `useApi()`: session cookie, CSRF header, problem+json errors thrown with `status`,
 * `detail`, `fieldErrors` and `body`. Call `useGpsApi()` in `setup()`.
 */
import { useApi, type ConsoleApi } from '@quartermaster/ui';
import { BASE } from './constants';
import type {
  EventListQuery,
  FaAsset,
  Geofence,
  GeofenceEvent,
  GeofenceInput,
  GeofenceListQuery,
  GeofencePatch,
  GpsStatus,
  NmeaFix,
  Paged,
  PlatformInfo,
  PositionsPage,
  RangeQuery,
  Session,
  Tracker,
  TrackerListQuery,
  TripsPage,
} from './types';

type Scalar = string | number | boolean | null | undefined;
const enc = encodeURIComponent;
/** The query without empty members (the client sends every key it is given). */
const clean = (q: object): Record<string, Scalar> => Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined && v !== null && v !== ''));

/** Every page of a list (the map shows every tracker and fence), up to `max` rows. */
async function allPages<T>(fetchPage: (q: { limit: number; offset: number }) => Promise<Paged<T>>, max = 5_000): Promise<T[]> {
  const out: T[] = [];
  for (let offset = 0; offset < max; offset += 500) {
    const page = await fetchPage({ limit: 500, offset });
    out.push(...page.data);
    if (out.length >= page.total || page.data.length === 0) break;
  }
  return out;
}

export function gpsApi(api: ConsoleApi) {
  const tracker = (id: string) => `${BASE}/trackers/${enc(id)}`;
  const self = {
    status: () => api.get<GpsStatus>(`${BASE}/status`),
    nmea: {
      /** 422 `nmea-invalid` with the reason in `detail` (and `code`, `field`). */
      parse: (sentence: string) => api.post<NmeaFix>(`${BASE}/nmea/parse`, { sentence }),
    },
    trackers: {
      list: (q: TrackerListQuery = {}) => api.get<Paged<Tracker>>(`${BASE}/trackers`, clean(q)),
      all: (q: Omit<TrackerListQuery, 'limit' | 'offset'> = {}) => allPages((p) => self.trackers.list({ ...q, ...p })),
      get: (deviceId: string) => api.get<Tracker>(tracker(deviceId)),
      /** Link to a fixed asset, or unlink with null (linking needs fixed-assets: 422 `gps/fixed-assets-not-enabled`). */
      link: (deviceId: string, assetId: string | null) => api.put<Tracker>(`${tracker(deviceId)}/asset`, { assetId }),
      /** Oldest first; default the 24 hours up to `to`; `truncated` when more than `limit` were in the range. */
      positions: (deviceId: string, q: RangeQuery & { limit?: number } = {}) => api.get<PositionsPage>(`${tracker(deviceId)}/positions`, clean(q)),
      /** At most 31 days. */
      trips: (deviceId: string, q: RangeQuery = {}) => api.get<TripsPage>(`${tracker(deviceId)}/trips`, clean(q)),
    },
    geofences: {
      list: (q: GeofenceListQuery = {}) => api.get<Paged<Geofence>>(`${BASE}/geofences`, clean(q)),
      all: (q: Omit<GeofenceListQuery, 'limit' | 'offset'> = {}) => allPages((p) => self.geofences.list({ ...q, ...p })),
      get: (id: string) => api.get<Geofence>(`${BASE}/geofences/${enc(id)}`),
      create: (body: GeofenceInput) => api.post<Geofence>(`${BASE}/geofences`, body),
      /** Send the `version` you edited (409 `stale-version` when older). */
      update: (id: string, body: GeofencePatch) => api.patch<Geofence>(`${BASE}/geofences/${enc(id)}`, body),
      remove: (id: string) => api.delete(`${BASE}/geofences/${enc(id)}`),
    },
    /** Geofence events, newest first. */
    events: (q: EventListQuery = {}) => api.get<Paged<GeofenceEvent>>(`${BASE}/events`, clean(q)),
    /** Fixed-assets (an optional dependency): the asset picker. */
    assets: {
      search: (q: { q?: string; limit?: number }) => api.get<Paged<FaAsset>>('/api/fixed-assets/assets', clean(q)),
      get: (id: string) => api.get<FaAsset>(`/api/fixed-assets/assets/${enc(id)}`),
    },
    core: {
      session: () => api.get<Session>('/api/core/session'),
      /** Core version and the plugins enabled on the server (is `fixed-assets` on?). */
      platform: () => api.get<PlatformInfo>('/api/core/platform'),
    },
  };
  return self;
}

export type GpsApi = ReturnType<typeof gpsApi>;

export function useGpsApi(): GpsApi {
  return gpsApi(useApi());
}
