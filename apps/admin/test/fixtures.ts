/** Data shaped exactly like the core API answers, for msw handlers. */
import type { Item, LocationNode, PermissionInfo, SessionInfo } from '../src/api/types';

export const ADMIN_SESSION: SessionInfo = {
  user: { id: 'u-admin', email: 'admin@example.com', name: 'Ada Admin' },
  permissions: ['*'],
  csrfToken: 'csrf-123',
};

export const NOW = '2026-11-23T10:00:00.000Z';

export function makeItem(n: number, patch: Partial<Item> = {}): Item {
  return {
    id: `00000000-0000-7000-8000-${String(n).padStart(12, '0')}`,
    name: `Item ${n}`,
    description: null,
    categoryId: null,
    category: null,
    unitOfMeasure: 'ea',
    kind: 'stock',
    trackingMode: 'none',
    attributes: {},
    archived: false,
    identifiers: [{ id: `id-${n}`, type: 'sku', value: `SKU-${n}` }],
    createdAt: NOW,
    updatedAt: NOW,
    version: 1,
    ...patch,
  };
}

export const LOCATION_TREE: LocationNode[] = [
  {
    id: 'loc-dc',
    name: 'Main DC',
    code: 'DC1',
    type: 'site',
    parentId: null,
    path: 'Main DC',
    children: [
      {
        id: 'loc-zone',
        name: 'Zone A',
        code: null,
        type: 'zone',
        parentId: 'loc-dc',
        path: 'Main DC / Zone A',
        children: [
          { id: 'loc-bin', name: 'Bin 3-04', code: 'B304', type: 'bin', parentId: 'loc-zone', path: 'Main DC / Zone A / Bin 3-04', children: [] },
        ],
      },
    ],
  },
];

export const PERMISSIONS: PermissionInfo[] = [
  { id: 'core.items.read', description: 'Read items', pluginId: 'core' },
  { id: 'core.items.write', description: 'Write items', pluginId: 'core' },
  { id: 'core.locations.read', description: 'Read locations', pluginId: 'core' },
  { id: 'core.audit.read', description: 'Read the audit log', pluginId: 'core' },
  { id: 'inventory.stock.read', description: 'Read stock', pluginId: 'inventory' },
];

export function problem(status: number, type: string, title: string, detail?: string, extra: Record<string, unknown> = {}) {
  return new Response(
    JSON.stringify({ type: `https://quartermaster.dev/problems/${type}`, title, status, ...(detail ? { detail } : {}), ...extra }),
    { status, headers: { 'content-type': 'application/problem+json' } },
  );
}
