/**
 * Console test harness for the fixed-assets plugin: the real shell (router, guards, session and
 * platform stores, API client) from `apps/admin/test`, with this plugin's console module loaded
 * and reported enabled by the platform endpoint. Requests go to msw.
 */
import { http, HttpResponse } from 'msw';
import { paged, platformPlugin, renderWithPlugins, server, settle } from '../../../../apps/admin/test/plugin-harness';

export {
  ADMIN_SESSION,
  all,
  bodyText,
  byTestId,
  cells,
  choose,
  click,
  confirmBox,
  fieldError,
  paged,
  pickRadio,
  problem,
  q,
  requests,
  server,
  settle,
  state,
  text,
  typeInto,
} from '../../../../apps/admin/test/plugin-harness';

/**
 * Mount the console at `path` with fixed-assets enabled, and the server reporting `alsoEnabled`
 * plugins too (e.g. `inventory`; their console modules are not loaded).
 */
export async function renderFixedAssets(path: string, options: { alsoEnabled?: string[] } = {}) {
  return renderWithPlugins(path, [platformPlugin('fixed-assets', 'Fixed assets'), ...(options.alsoEnabled ?? []).map((id) => platformPlugin(id))], {
    'fixed-assets': () => import('../../src/admin/index'),
  });
}

/** Scan a value into the scan box inside `within` (type, then Enter as a wedge scanner ends). */
export async function scan(value: string, within = 'scan-input') {
  const input = document.querySelector<HTMLInputElement>(`[data-testid="${within}"] [data-testid="scan-box"]`);
  if (!input) throw new Error(`no scan box inside ${within}`);
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true }));
  await settle(2);
  input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', code: 'Enter', bubbles: true }));
  await settle();
}

export const ASSET_ID = '0196a1b2-0000-7000-8000-0000000a0001';
export const ASSET2_ID = '0196a1b2-0000-7000-8000-0000000a0002';
export const CHILD_ID = '0196a1b2-0000-7000-8000-0000000a00c1';
export const PERSON_ID = '0196a1b2-0000-7000-8000-0000000b0001';
export const CAT_ID = '0196a1b2-0000-7000-8000-0000000c0001';
export const SUBCAT_ID = '0196a1b2-0000-7000-8000-0000000c0002';
export const LOC_ID = '0196a1b2-0000-7000-8000-0000000d0001';
export const ROOM_ID = '0196a1b2-0000-7000-8000-0000000d0002';
export const BOOKING_ID = '0196a1b2-0000-7000-8000-0000000e0001';

export const CATEGORIES = [
  { id: CAT_ID, name: 'IT', parentId: null, path: 'IT', attributeSchema: null },
  { id: SUBCAT_ID, name: 'Laptops', parentId: CAT_ID, path: 'IT / Laptops', attributeSchema: null },
];

export const LOCATIONS = [
  {
    id: LOC_ID,
    name: 'HQ',
    code: 'HQ',
    type: 'site',
    parentId: null,
    path: 'HQ',
    archived: false,
    children: [{ id: ROOM_ID, name: 'Room 101', code: 'R101', type: 'area', parentId: LOC_ID, path: 'HQ / Room 101', archived: false, children: [] }],
  },
];

export function makeAsset(n: number, patch: Record<string, unknown> = {}) {
  const id = n === 1 ? ASSET_ID : n === 2 ? ASSET2_ID : `0196a1b2-0000-7000-8000-0000000a${String(n).padStart(4, '0')}`;
  return {
    id,
    tag: `AST-2026-${String(n).padStart(5, '0')}`,
    name: n === 1 ? 'ThinkPad T14' : `Asset ${n}`,
    serialNumber: `SN${n}`,
    status: 'in-service',
    condition: 'good',
    itemId: null,
    item: null,
    categoryId: SUBCAT_ID,
    category: { id: SUBCAT_ID, name: 'Laptops', path: 'IT / Laptops' },
    locationId: ROOM_ID,
    location: { id: ROOM_ID, name: 'Room 101', path: 'HQ / Room 101' },
    custodian: null,
    department: null,
    costCentre: null,
    supplier: null,
    purchaseDate: '2026-01-15',
    invoiceNumber: null,
    acquisitionCost: '1200.00',
    currency: 'EUR',
    warrantyEnd: null,
    notes: null,
    customFields: {},
    parentId: null,
    parent: null,
    childCount: 0,
    custody: null,
    disposal: null,
    version: 1,
    createdAt: '2026-01-15T10:00:00.000Z',
    updatedAt: '2026-01-15T10:00:00.000Z',
    ...patch,
  };
}

export function makePerson(patch: Record<string, unknown> = {}) {
  return {
    id: PERSON_ID,
    name: 'Pat Field',
    email: 'pat@example.com',
    phone: null,
    employeeNumber: 'E-7',
    department: 'Field crew',
    notes: null,
    active: true,
    holding: 0,
    version: 1,
    createdAt: '2026-01-01T10:00:00.000Z',
    updatedAt: '2026-01-01T10:00:00.000Z',
    ...patch,
  };
}

/** Core categories and location tree, and empty persons: what the pickers load. */
export function coreLookups() {
  server.use(
    http.get('*/api/core/categories', () => HttpResponse.json(CATEGORIES)),
    http.get('*/api/core/locations/tree', () => HttpResponse.json(LOCATIONS)),
    http.get('*/api/fixed-assets/persons', ({ request }) => paged([makePerson()], request.url)),
  );
}
