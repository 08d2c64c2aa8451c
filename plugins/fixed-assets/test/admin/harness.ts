/**
 * Console test harness for the fixed-assets plugin: the real shell (router, guards, session and
 * platform stores, API client) from `apps/admin/test`, with this plugin's console module loaded
 * and reported enabled by the platform endpoint. Requests go to msw.
 */
import { http, HttpResponse } from 'msw';
import { renderApp, settle } from '../../../../apps/admin/test/app';
import { server } from '../../../../apps/admin/test/msw';

export { bodyText, byTestId, click, settle, typeInto } from '../../../../apps/admin/test/app';
export { ADMIN_SESSION, problem } from '../../../../apps/admin/test/fixtures';
export { requests, server, state } from '../../../../apps/admin/test/msw';

/**
 * Mount the console at `path` with fixed-assets enabled, and the server reporting `alsoEnabled`
 * plugins too (e.g. `inventory`; their console modules are not loaded).
 */
export async function renderFixedAssets(path: string, options: { alsoEnabled?: string[] } = {}) {
  const others = (options.alsoEnabled ?? []).map((id) => ({ id, version: '0.1.0', displayName: id }));
  server.use(
    http.get('*/api/core/platform', () =>
      HttpResponse.json({ coreVersion: '0.1.0', plugins: [{ id: 'fixed-assets', version: '0.1.0', displayName: 'Fixed assets' }, ...others] }),
    ),
  );
  return renderApp(path, { 'fixed-assets': () => import('../../src/admin/index') });
}

export const paged = <T>(data: T[], url: string | URL) => {
  const q = new URL(url).searchParams;
  return HttpResponse.json({ data, total: data.length, limit: Number(q.get('limit') ?? 50), offset: Number(q.get('offset') ?? 0) });
};

export const q = (id: string) => document.querySelector<HTMLElement>(`[data-testid="${id}"]`);
export const all = (id: string, root: ParentNode = document) => [...root.querySelectorAll<HTMLElement>(`[data-testid="${id}"]`)];
export const text = (id: string) => q(id)?.textContent?.replace(/\s+/g, ' ').trim() ?? null;
export const cells = (id: string) => all(id).map((e) => e.textContent?.replace(/\s+/g, ' ').trim());

/** The error Element Plus shows under the form item that holds `testid`. */
export function fieldError(testid: string): string | undefined {
  const el = q(testid);
  if (!el) throw new Error(`no element with data-testid="${testid}"`);
  return el.closest('.el-form-item')?.querySelector('.el-form-item__error')?.textContent?.trim();
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

/**
 * Open an ElSelect (or ElTreeSelect) by its test id and click the option whose text (or test id)
 * matches, among the options of open dropdowns (a page may hold several selects with like options).
 */
export async function choose(selectTestId: string, option: string | { testid: string }) {
  const select = q(selectTestId);
  if (!select) throw new Error(`no select with data-testid="${selectTestId}"`);
  select.querySelector<HTMLElement>('.el-select__wrapper')!.click();
  await settle();
  const shown = (o: HTMLElement) => {
    const popper = o.closest<HTMLElement>('.el-popper');
    return !popper || popper.style.display !== 'none';
  };
  const options = [...document.querySelectorAll<HTMLElement>('.el-select-dropdown__item')].filter(shown);
  const found =
    typeof option === 'string'
      ? options.find((o) => o.textContent?.trim() === option) ?? options.find((o) => o.textContent?.includes(option))
      : options.find((o) => o.dataset.testid === option.testid);
  if (!found) throw new Error(`no option ${JSON.stringify(option)} in ${selectTestId}: ${options.map((o) => o.textContent?.trim()).join(' | ')}`);
  found.click();
  await settle();
}

/** Click a radio button (Element Plus puts the test id on its label). */
export async function pickRadio(testid: string) {
  const label = q(testid);
  if (!label) throw new Error(`no radio with data-testid="${testid}"`);
  (label.querySelector<HTMLInputElement>('input') ?? label).click();
  await settle();
}

/** Confirm the open ElMessageBox. */
export async function confirmBox() {
  await settle();
  const btn = [...document.querySelectorAll<HTMLButtonElement>('.el-message-box__btns button')].find((b) => b.classList.contains('el-button--primary'));
  if (!btn) throw new Error('no confirm box open');
  btn.click();
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
