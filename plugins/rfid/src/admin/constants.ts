/**
 * Console-side constants of the RFID plugin. The vocabulary (EPC schemes, filter values) is the
 * domain's, imported from its pure tables; ids that the server declares in `shared` are typed
 * against it, so a rename breaks the build instead of a page.
 */
// Type only: `shared/index.ts` pulls in the server SDK, which has no place in the console bundle.
import type { permissions as sharedPermissions, READER_ADAPTER_ID as SharedAdapterId } from '../shared/index';

export const PLUGIN_ID = 'rfid';
export const BASE = '/api/rfid';
/** Where the console's pages live. */
export const ROUTE_BASE = '/rfid';
/** The sidebar section of every page. */
export const SECTION = 'RFID';

/** The plugin's permission ids. */
export const P: typeof sharedPermissions = {
  read: 'rfid.read',
  manage: 'rfid.manage',
};

/** The core's device permissions: readers are core devices. */
export const DEVICES_READ = 'core.devices.read';
export const DEVICES_MANAGE = 'core.devices.manage';

export const READER_ADAPTER_ID: typeof SharedAdapterId = 'rfid-reader';
export const READER_KIND = 'rfid-reader';

/** How often the live view asks for new reads. */
export const LIVE_POLL_MS = 2000;

/** A portal antenna's side; `none` is an antenna that only watches its zone. */
export const PORTAL_SIDE_OPTIONS = [
  { value: 'none', label: 'Not a portal antenna' },
  { value: 'outer', label: 'Outer side' },
  { value: 'inner', label: 'Inner side' },
] as const;

/** Element Plus tag types for a movement's direction through a portal. */
export const DIRECTION_TAGS = { in: { type: 'success', label: 'In' }, out: { type: 'warning', label: 'Out' } } as const;

export const TARGET_LABELS: Record<string, string> = {
  'core.item': 'Item',
  'fixed-assets.asset': 'Asset',
  'core.location': 'Location',
};

/** Where a target's own page is in the console. */
export function targetHref(type: string, id: string): string | null {
  if (type === 'core.item') return `/items/${id}`;
  if (type === 'core.location') return `/locations/${id}`;
  if (type === 'fixed-assets.asset') return `/fixed-assets/assets/${id}`;
  return null;
}
