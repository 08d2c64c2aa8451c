/**
 * Console test harness for the inventory plugin: the real shell (router, guards, session and
 * platform stores, API client) from `apps/admin/test`, with this plugin's console module loaded
 * and reported enabled by the platform endpoint. Requests go to msw.
 */
import { platformPlugin, q, renderWithPlugins, settle } from '../../../../apps/admin/test/plugin-harness';

export { all, bodyText, byTestId, click, confirmBox, fieldError, paged, pickRadio, problem, q, requests, server, settle, state, text, typeInto } from '../../../../apps/admin/test/plugin-harness';

/** Mount the console at `path` with inventory enabled. */
export async function renderInventory(path: string) {
  return renderWithPlugins(path, [platformPlugin('inventory', 'Inventory')], { inventory: () => import('../../src/admin/index') });
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
