/**
 * The GPS API's shapes as the console reads and sends them: the answers are the shared TypeBox
 * schemas (`src/shared`), imported as types only, so the console and the server cannot drift.
 */
import type { Static } from '@sinclair/typebox';
import type { GeofenceEventOut, GeometryIn, NmeaFixOut, TripOut, WorkingHoursSchema } from '../shared/index';

export type { FenceKind, GeofenceDto as Geofence, GeofenceEventType, PositionDto as Position, TrackerDto as Tracker } from '../shared/index';
export type Trip = Static<typeof TripOut>;
export type GeofenceEvent = Static<typeof GeofenceEventOut>;
export type NmeaFix = Static<typeof NmeaFixOut>;
export type GeometryInput = Static<typeof GeometryIn>;
export type WorkingHours = Static<typeof WorkingHoursSchema>;

/** ISO 8601 instant. */
export type Instant = string;

export interface Paged<T> {
  data: T[];
  total: number;
  limit: number;
  offset: number;
}
export interface PageQuery {
  limit?: number;
  offset?: number;
}

export interface TrackerListQuery extends PageQuery {
  q?: string;
  assetId?: string;
}
export interface RangeQuery {
  from?: Instant;
  to?: Instant;
}
export interface PositionsPage {
  deviceId: string;
  from: Instant;
  to: Instant;
  positions: import('../shared/index').PositionDto[];
  truncated: boolean;
}
export interface TripsPage {
  deviceId: string;
  from: Instant;
  to: Instant;
  trips: Trip[];
}

export interface GeofenceListQuery extends PageQuery {
  q?: string;
  active?: boolean;
  locationId?: string;
}
export interface GeofenceInput {
  name: string;
  kind: import('../shared/index').FenceKind;
  geometry: GeometryInput;
  dwellSeconds?: number | null;
  locationId?: string | null;
  afterHours?: WorkingHours | null;
  active?: boolean;
}
export interface GeofencePatch extends Partial<GeofenceInput> {
  version?: number;
}

export interface EventListQuery extends PageQuery {
  trackerId?: string;
  fenceId?: string;
  type?: import('../shared/index').GeofenceEventType;
  from?: Instant;
  to?: Instant;
}

export interface GpsStatus {
  nmeaTcp: { enabled: boolean; host: string | null; port: number | null; connections: number };
  fencesLoaded: number;
  positionRetentionDays: number;
  /** The console map's tile server (plugin option `map`); no `tileUrl`: no tiles, works offline. */
  map: { tileUrl: string | null; attribution: string | null };
}

/** Fixed-assets' asset as its list and detail answer it (the fields the pickers use). */
export interface FaAsset {
  id: string;
  tag: string;
  name: string;
  status?: string;
}

export interface Session {
  user: { id: string; email: string; name: string } | null;
  permissions: string[];
}
export interface PlatformInfo {
  coreVersion: string;
  plugins: { id: string; version: string; displayName?: string }[];
}
