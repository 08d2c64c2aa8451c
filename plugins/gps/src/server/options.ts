import { Type, type Static } from '@quartermaster/sdk';

const NMEA_TCP_DEFAULTS = { enabled: false, host: '127.0.0.1', port: 5010, maxLineLength: 1024, loginTimeoutSeconds: 30, idleTimeoutSeconds: 600 };

export const GpsOptionsSchema = Type.Object({
  /** Positions older than this many days (by fix time) are deleted by the hourly prune. */
  positionRetentionDays: Type.Integer({ minimum: 1, default: 180 }),
  /**
   * Raw NMEA over TCP: trackers open a socket, send `KEY <device key>` as their first line, then
   * one NMEA sentence per line.
   */
  nmeaTcp: Type.Object(
    {
      enabled: Type.Boolean({ default: false }),
      host: Type.String({ minLength: 1, default: '127.0.0.1' }),
      /** 0 picks a free port (tests); `GET /api/gps/status` tells which. */
      port: Type.Integer({ minimum: 0, maximum: 65535, default: 5010 }),
      /** Longest line accepted (NMEA sentences are at most 82 characters); a longer one closes the connection. */
      maxLineLength: Type.Integer({ minimum: 82, maximum: 65_536, default: 1024 }),
      /** Seconds a new connection has to send its `KEY` line. */
      loginTimeoutSeconds: Type.Integer({ minimum: 1, maximum: 3600, default: 30 }),
      /** Seconds of silence after which a connection is closed (0: never). */
      idleTimeoutSeconds: Type.Integer({ minimum: 0, default: 600 }),
    },
    { default: NMEA_TCP_DEFAULTS },
  ),
  geofences: Type.Object(
    {
      /** Positions whose accuracy radius is larger than this many metres do not move geofence state (unset: all do). */
      maxAccuracyM: Type.Optional(Type.Number({ minimum: 0 })),
      /** A tracker leaves a fence only once it is this many metres outside (damps flapping on the boundary). */
      exitHysteresisM: Type.Number({ minimum: 0, default: 0 }),
    },
    { default: { exitHysteresisM: 0 } },
  ),
  /**
   * The console's map background. Without `tileUrl` the map draws no tiles at all (a plain grid):
   * it works offline and asks no third party for anything.
   */
  map: Type.Object(
    {
      /** A Leaflet tile URL template (`https://tiles.example/{z}/{x}/{y}.png`, `{s}` for subdomains), or a path on this server. */
      tileUrl: Type.Optional(Type.String({ maxLength: 2000, pattern: '^(https?://|/)\\S*\\{z\\}\\S*$' })),
      /** Credit line the tile provider requires (e.g. `© OpenStreetMap contributors`). */
      attribution: Type.Optional(Type.String({ maxLength: 500 })),
    },
    { default: {} },
  ),
});

export type GpsOptions = Static<typeof GpsOptionsSchema>;

/** Options with every default filled in, whatever the profile left out. */
export function resolvedOptions(o: Partial<GpsOptions> | undefined): GpsOptions {
  return {
    positionRetentionDays: o?.positionRetentionDays ?? 180,
    nmeaTcp: { ...NMEA_TCP_DEFAULTS, ...(o?.nmeaTcp ?? {}) },
    geofences: { exitHysteresisM: 0, ...(o?.geofences ?? {}) },
    map: { ...(o?.map ?? {}) },
  };
}
