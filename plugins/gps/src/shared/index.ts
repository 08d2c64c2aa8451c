/**
 * The GPS plugin's public contract: permission ids, event schemas, the DTO schemas of its API
 * (geofences, trackers, positions, trips, geofence events, NMEA fixes) and the service other
 * plugins may call. No server or console code here.
 */
import { Instant, Nullable, Type, Uuid, createServiceRef, defineEvent, lit, type Static } from '@quartermaster/sdk';

export const PLUGIN_ID = 'gps';

export const permissions = {
  /** See trackers, positions, trips, geofences and geofence events; parse NMEA sentences. */
  read: 'gps.read',
  /** Edit geofences, link trackers to assets, prune positions. */
  manage: 'gps.manage',
} as const;

export const FENCE_KINDS = ['circle', 'polygon'] as const;
export type FenceKind = (typeof FENCE_KINDS)[number];
export const GEOFENCE_EVENT_TYPES = ['entered', 'exited', 'dwelled'] as const;
export type GeofenceEventType = (typeof GEOFENCE_EVENT_TYPES)[number];

// ---------------------------------------------------------------------------------------------
// Geometry and working hours

export const LatLonSchema = Type.Object({ latitude: Type.Number(), longitude: Type.Number() }, { additionalProperties: false });

/** A circle: centre and radius in metres. */
export const CircleGeometry = Type.Object({ center: LatLonSchema, radiusM: Type.Number() }, { additionalProperties: false });
/** A polygon as GeoJSON Polygon coordinates: rings of `[longitude, latitude]`, the outer boundary first, then holes. */
export const PolygonGeometry = Type.Object(
  { rings: Type.Array(Type.Array(Type.Array(Type.Number(), { minItems: 2, maxItems: 2 }))) },
  { additionalProperties: false },
);
export const GeometryOut = Type.Union([CircleGeometry, PolygonGeometry]);

/**
 * What a geofence's geometry may carry on input. One loose shape for both kinds (the kind says
 * which members are required) so that a wrong member is reported once, by name, rather than as
 * the failures of every branch of a union.
 */
export const GeometryIn = Type.Object(
  {
    center: Type.Optional(LatLonSchema),
    radiusM: Type.Optional(Type.Number({ description: 'circle: radius in metres' })),
    rings: Type.Optional(
      Type.Array(Type.Array(Type.Array(Type.Number(), { minItems: 2, maxItems: 2 }), { maxItems: 10_000 }), {
        minItems: 1,
        maxItems: 100,
        description: 'polygon: rings of [longitude, latitude] (GeoJSON order), outer boundary first, then holes',
      }),
    ),
  },
  { additionalProperties: false },
);

const TimeRange = Type.Array(Type.String({ maxLength: 5 }), { minItems: 2, maxItems: 2, description: '["HH:mm", "HH:mm"], end may be 24:00 or before the start (runs past midnight)' });
const DayRanges = Type.Optional(Type.Array(TimeRange, { maxItems: 10 }));
/** Working hours of a site in its own IANA time zone (see `isWithinWorkingHours` in the domain). */
export const WorkingHoursSchema = Type.Object(
  {
    timeZone: Type.String({ minLength: 1, maxLength: 100, description: 'IANA zone, e.g. Europe/Berlin' }),
    days: Type.Object({ mon: DayRanges, tue: DayRanges, wed: DayRanges, thu: DayRanges, fri: DayRanges, sat: DayRanges, sun: DayRanges }, { additionalProperties: false }),
    holidays: Type.Optional(Type.Array(Type.String({ maxLength: 10 }), { maxItems: 1000, description: 'Local dates (YYYY-MM-DD) without working hours' })),
  },
  { additionalProperties: false },
);

// ---------------------------------------------------------------------------------------------
// API shapes

export const Geofence = Type.Object({
  id: Uuid,
  name: Type.String(),
  kind: lit(FENCE_KINDS),
  geometry: GeometryOut,
  dwellSeconds: Nullable(Type.Integer({ description: 'Announce a dwell once a tracker has been inside this long' })),
  locationId: Nullable(Type.String({ format: 'uuid', description: 'The site this fence is: assets linked to trackers that enter it move here' })),
  locationName: Nullable(Type.String()),
  afterHours: Nullable(WorkingHoursSchema),
  active: Type.Boolean(),
  version: Type.Integer(),
  createdAt: Instant,
  updatedAt: Instant,
});
export type GeofenceDto = Static<typeof Geofence>;

export const PositionOut = Type.Object({
  at: Instant,
  latitude: Type.Number(),
  longitude: Type.Number(),
  speedKnots: Nullable(Type.Number()),
  courseDeg: Nullable(Type.Number()),
  altitudeM: Nullable(Type.Number()),
  accuracyM: Nullable(Type.Number()),
  battery: Nullable(Type.Number({ description: 'percent' })),
  valid: Type.Boolean(),
});
export type PositionDto = Static<typeof PositionOut>;

export const Tracker = Type.Object({
  deviceId: Uuid,
  code: Type.String(),
  name: Type.String(),
  kind: Type.String(),
  adapter: Type.String(),
  status: Type.String(),
  lastSeenAt: Nullable(Instant),
  assetId: Nullable(Uuid),
  asset: Nullable(Type.Object({ id: Uuid, tag: Type.String(), name: Type.String(), status: Type.String(), locationId: Nullable(Uuid) })),
  lastPosition: Nullable(PositionOut),
  insideFences: Type.Array(Type.Object({ id: Uuid, name: Type.String(), enteredAt: Instant })),
});
export type TrackerDto = Static<typeof Tracker>;

const TripEnd = Type.Object({ at: Instant, latitude: Type.Number(), longitude: Type.Number() });
export const TripOut = Type.Object({
  startAt: Instant,
  endAt: Instant,
  start: TripEnd,
  end: TripEnd,
  durationSeconds: Type.Number(),
  distanceM: Type.Number(),
  maxSpeedKnots: Type.Number(),
  averageSpeedKnots: Type.Number(),
  positionCount: Type.Integer(),
  complete: Type.Boolean({ description: 'False when the range ended before a stop closed the trip' }),
});

export const GeofenceEventOut = Type.Object({
  id: Type.String(),
  type: lit(GEOFENCE_EVENT_TYPES),
  deviceId: Uuid,
  deviceCode: Nullable(Type.String()),
  fenceId: Uuid,
  fenceName: Type.String(),
  at: Instant,
  enteredAt: Instant,
  latitude: Type.Number(),
  longitude: Type.Number(),
  assetId: Nullable(Uuid),
  afterHours: Type.Boolean({ description: 'An exit outside the fence\'s working hours by a tracker linked to an asset' }),
});

/** The answer of `POST /nmea/parse`. */
export const NmeaFixOut = Type.Object({
  talker: Type.String(),
  type: Type.String(),
  utcTime: Type.Optional(Type.String()),
  datetimeUtc: Type.Optional(Type.String()),
  latitude: Nullable(Type.Number()),
  longitude: Nullable(Type.Number()),
  fixValid: Type.Boolean(),
  fixQuality: Type.Optional(Type.Integer()),
  satellites: Type.Optional(Type.Integer()),
  hdop: Type.Optional(Type.Number()),
  altitudeM: Type.Optional(Type.Number()),
  speedKnots: Type.Optional(Type.Number()),
  courseTrueDeg: Type.Optional(Type.Number()),
});

// ---------------------------------------------------------------------------------------------
// Events

const Crossing = {
  deviceId: Uuid,
  deviceCode: Type.String(),
  fenceId: Uuid,
  fenceName: Type.String(),
  /** The site the fence is, if any. */
  locationId: Nullable(Uuid),
  /** The asset the tracker is linked to, if any. */
  assetId: Nullable(Uuid),
  /** Time of the position that produced the event. */
  at: Instant,
  /** When the visit began. */
  enteredAt: Instant,
  latitude: Type.Number(),
  longitude: Type.Number(),
};

/** A tracker entered a geofence (once per visit). */
export const GeofenceEntered = defineEvent('gps.geofence.entered', Type.Object(Crossing));
/** A tracker left a geofence; `insideSeconds` is how long the visit lasted. */
export const GeofenceExited = defineEvent('gps.geofence.exited', Type.Object({ ...Crossing, insideSeconds: Type.Number() }));
/** A tracker has been inside a geofence for its dwell time (once per visit). */
export const GeofenceDwelled = defineEvent('gps.geofence.dwelled', Type.Object({ ...Crossing, dwellSeconds: Type.Integer() }));
/** A tracker linked to an asset left a fence that has working hours, outside those hours. */
export const AssetLeftSiteAfterHours = defineEvent(
  'gps.asset.left-site-after-hours',
  Type.Object({ ...Crossing, assetId: Uuid, timeZone: Type.String(), localTime: Type.String({ description: 'Wall-clock time at the site, YYYY-MM-DD HH:mm:ss' }) }),
);

export const GeofenceCreated = defineEvent('gps.geofence.created', Type.Object({ id: Uuid, name: Type.String(), kind: lit(FENCE_KINDS), locationId: Nullable(Uuid) }));
export const GeofenceUpdated = defineEvent('gps.geofence.updated', Type.Object({ id: Uuid, name: Type.String(), changed: Type.Array(Type.String()) }));
export const GeofenceDeleted = defineEvent('gps.geofence.deleted', Type.Object({ id: Uuid, name: Type.String() }));
/** A tracker was linked to an asset (or unlinked: `assetId` null). */
export const TrackerAssetLinked = defineEvent('gps.tracker.asset-linked', Type.Object({ deviceId: Uuid, deviceCode: Type.String(), assetId: Nullable(Uuid), previousAssetId: Nullable(Uuid) }));
/** Positions older than the retention period were deleted (only when some were). */
export const PositionsPruned = defineEvent('gps.positions.pruned', Type.Object({ deleted: Type.Integer(), before: Instant, retentionDays: Type.Integer() }));

export const gpsEvents = [GeofenceEntered, GeofenceExited, GeofenceDwelled, AssetLeftSiteAfterHours, GeofenceCreated, GeofenceUpdated, GeofenceDeleted, TrackerAssetLinked, PositionsPruned];

export type GeofenceEnteredPayload = Static<typeof GeofenceEntered.schema>;
export type GeofenceExitedPayload = Static<typeof GeofenceExited.schema>;
export type AssetLeftSiteAfterHoursPayload = Static<typeof AssetLeftSiteAfterHours.schema>;

// ---------------------------------------------------------------------------------------------
// Service

/** Where a tracker is, for other plugins (an asset page showing where the asset is). */
export interface TrackerLocation {
  deviceId: string;
  assetId: string | null;
  lastPosition: PositionDto | null;
  /** Active fences the tracker is inside now. */
  insideFenceIds: string[];
}

export interface GpsService {
  /** The tracker (by device id) and its last valid position; null when the device never sent a position. */
  trackerLocation(deviceId: string): Promise<TrackerLocation | null>;
  /** Trackers linked to an asset, with their last positions. */
  trackersOfAsset(assetId: string): Promise<TrackerLocation[]>;
}
export const gpsService = createServiceRef<GpsService>('gps.tracking');
