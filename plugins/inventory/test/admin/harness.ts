/**
 * Console test harness for the inventory plugin: the real shell (router, guards, session and
 * platform stores, API client) from `apps/admin/test`, with this plugin's console module loaded
 * and reported enabled by the platform endpoint. Requests go to msw.
 */
import { http, HttpResponse } from 'msw';
import { renderApp, settle } from '../../../../apps/admin/test/app';
import { server } from '../../../../apps/admin/test/msw';

export { bodyText, byTestId, click, settle, typeInto } from '../../../../apps/admin/test/app';
export { problem } from '../../../../apps/admin/test/fixtures';
export { requests, server, state } from '../../../../apps/admin/test/msw';

/** Mount the console at `path` with inventory enabled. */
export async function renderInventory(path: string) {
  server.use(
    http.get('*/api/core/platform', () =>
      HttpResponse.json({ coreVersion: '0.1.0', plugins: [{ id: 'inventory', version: '0.1.0', displayName: 'Inventory' }] }),
    ),
  );
  return renderApp(path, { inventory: () => import('../../src/admin/index') });
}

export const paged = <T>(data: T[], url: string | URL) => {
  const q = new URL(url).searchParams;
  return HttpResponse.json({ data, total: data.length, limit: Number(q.get('limit') ?? 50), offset: Number(q.get('offset') ?? 0) });
};

export const q = (id: string) => document.querySelector<HTMLElement>(`[data-testid="${id}"]`);
export const all = (id: string, root: ParentNode = document) => [...root.querySelectorAll<HTMLElement>(`[data-testid="${id}"]`)];
export const text = (id: string) => q(id)?.textContent?.replace(/\s+/g, ' ').trim() ?? null;

/** The error Element Plus shows under the form item that holds `testid`. */
export function fieldError(testid: string): string | undefined {
  const el = q(testid);
  if (!el) throw new Error(`no element with data-testid="${testid}"`);
  return el.closest('.el-form-item')?.querySelector('.el-form-item__error')?.textContent?.trim();
}

/** Scan a value into the scan box inside `within` (type, then Enter as a wedge scanner ends). */
export async function scan(value: string, within = 'move-scan') {
  const input = document.querySelector<HTMLInputElement>(`[data-testid="${within}"] [data-testid="scan-box"]`);
  if (!input) throw new Error(`no scan box inside ${within}`);
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true }));
  await settle(2);
  input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', code: 'Enter', bubbles: true }));
  await settle();
}

/** Open an ElSelect by its test id and click the option whose text (or test id) matches. */
export async function choose(selectTestId: string, option: string | { testid: string }) {
  const select = q(selectTestId);
  if (!select) throw new Error(`no select with data-testid="${selectTestId}"`);
  select.querySelector<HTMLElement>('.el-select__wrapper')!.click();
  await settle();
  const options = [...document.querySelectorAll<HTMLElement>('.el-select-dropdown__item')];
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

export const ITEM_ID = '0196a1b2-0000-7000-8000-000000000001';
export const ITEM2_ID = '0196a1b2-0000-7000-8000-000000000002';
export const BIN_ID = '0196a1b2-0000-7000-8000-00000000b304';
export const DOCK_ID = '0196a1b2-0000-7000-8000-00000000d0c1';
export const MOVE_ID = '0196a1b2-0000-7000-8000-0000000000aa';
export const LOT_ID = '0196a1b2-0000-7000-8000-0000000001a1';

export function coreItem(id: string, patch: Record<string, unknown> = {}) {
  return {
    id,
    name: id === ITEM_ID ? 'Cordless drill' : 'Wood screws 4x40',
    description: null,
    categoryId: null,
    category: null,
    unitOfMeasure: 'ea',
    kind: 'stock',
    trackingMode: 'none',
    attributes: {},
    archived: false,
    identifiers: [{ id: `ident-${id}`, type: 'sku', value: id === ITEM_ID ? 'SKU-1001' : 'SKU-2002' }],
    createdAt: '2026-11-01T10:00:00.000Z',
    updatedAt: '2026-11-01T10:00:00.000Z',
    version: 1,
    ...patch,
  };
}

export function coreLocation(id: string) {
  const bin = id === BIN_ID;
  return {
    id,
    name: bin ? 'Bin 3-04' : 'Dock 1',
    code: bin ? 'B304' : 'D1',
    type: bin ? 'bin' : 'area',
    parentId: null,
    path: bin ? 'Main DC / Zone A / Bin 3-04' : 'Main DC / Dock 1',
    depth: 2,
    address: null,
    latitude: null,
    longitude: null,
    archived: false,
    ancestors: [],
  };
}
