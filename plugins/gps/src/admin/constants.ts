/**
 * Console-side constants: where the GPS API and pages live, the permission ids (typed against the
 * server's list), and labels and styles for the vocabulary.
 */
// Type only: `shared/index.ts` pulls in the server SDK, which has no place in the console bundle.
import type { permissions as sharedPermissions, GeofenceEventType } from '../shared/index';

export const PLUGIN_ID = 'gps';
export const BASE = '/api/gps';
/** Where the console's pages live. */
export const ROUTE_BASE = '/gps';
/** Where fixed-assets' console shows an asset. */
export const assetPage = (assetId: string) => `/fixed-assets/assets/${encodeURIComponent(assetId)}`;
export const trackerPage = (deviceId: string) => `${ROUTE_BASE}/trackers/${encodeURIComponent(deviceId)}`;
export const fencePage = (fenceId: string) => `${ROUTE_BASE}/geofences?id=${encodeURIComponent(fenceId)}`;

/** The plugin's permission ids (typed against the server's list, so a rename breaks the build). */
export const P: typeof sharedPermissions = {
  read: 'gps.read',
  manage: 'gps.manage',
};

export const EVENT_TYPES: readonly GeofenceEventType[] = ['entered', 'exited', 'dwelled'];
export const EVENT_LABELS: Record<GeofenceEventType, string> = { entered: 'Entered', exited: 'Exited', dwelled: 'Dwelled' };
export const EVENT_TAGS: Record<GeofenceEventType, 'success' | 'warning' | 'info'> = { entered: 'success', exited: 'warning', dwelled: 'info' };

/** How often the live map asks for the trackers' positions. */
export const REFRESH_MS = 10_000;
