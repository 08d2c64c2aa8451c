/**
 * Console test harness for the barcode plugin: the real shell (router, guards, session and platform
 * stores, API client) from `apps/admin/test`, with this plugin's console module loaded and reported
 * enabled by the platform endpoint. Requests go to msw; `scanResult()` builds `POST /scan` answers
 * shaped like the API's.
 */
import { http, HttpResponse } from 'msw';
import { platformPlugin, pressEnter, q, renderWithPlugins, server, settle, state } from '../../../../apps/admin/test/plugin-harness';
import type { ScanResult } from '../../src/admin/types';

export {
  ADMIN_SESSION,
  all,
  bodyText,
  byTestId,
  cells,
  choose,
  click,
  fieldError,
  paged,
  pressEnter,
  problem,
  q,
  requests,
  server,
  settle,
  state,
  text,
  toasts,
  typeInto,
} from '../../../../apps/admin/test/plugin-harness';

/**
 * Mount the console at `path` with barcode enabled and the server reporting `alsoEnabled` plugins
 * too (their console modules are not loaded, except inventory's with `inventoryConsole` and
 * fixed-assets' with `fixedAssetsConsole`).
 * `permissions` replaces the signed-in user's (default `*`).
 */
export async function renderBarcode(path: string, options: { alsoEnabled?: string[]; permissions?: string[]; inventoryConsole?: boolean; fixedAssetsConsole?: boolean } = {}) {
  if (options.permissions) state.session = { ...state.session!, permissions: options.permissions };
  return renderWithPlugins(path, [platformPlugin('barcode', 'Barcodes'), ...(options.alsoEnabled ?? []).map((id) => platformPlugin(id))], {
    barcode: () => import('../../src/admin/index'),
    ...(options.inventoryConsole ? { inventory: () => import('../../../inventory/src/admin/index') } : {}),
    ...(options.fixedAssetsConsole ? { 'fixed-assets': () => import('../../../fixed-assets/src/admin/index') } : {}),
  });
}

/** Type into the native input with `testid` as a user (or a scanner) does: input, then change. */
export async function typeIn(testid: string, value: string, root: ParentNode = document) {
  const el = root.querySelector<HTMLInputElement>(`[data-testid="${testid}"]`);
  if (!el) throw new Error(`no input with data-testid="${testid}" there`);
  el.value = value;
  el.dispatchEvent(new Event('input', { bubbles: true }));
  el.dispatchEvent(new Event('change', { bubbles: true }));
  await settle(2);
}

/** Scan into the header's global scan box: the value, then Enter. */
export async function scanGlobal(value: string) {
  await typeIn('scan-box', value, document.querySelector('[data-testid="scan-box-form"]')!);
  await pressEnter('scan-box');
}

/** Click a radio button or checkbox (Element Plus puts the test id on its label). */
export async function pickLabel(testid: string) {
  const label = q(testid);
  if (!label) throw new Error(`no radio/checkbox with data-testid="${testid}"`);
  (label.querySelector<HTMLInputElement>('input') ?? label).click();
  await settle();
}

// ---------------------------------------------------------------------------------------------
// Fixtures

export const ITEM_ID = '0196c000-0000-7000-8000-0000000e0001';
export const LOT_ID = '0196c000-0000-7000-8000-0000000a0001';
export const ASSET_ID = '0196c000-0000-7000-8000-0000000b0001';
export const LOC_ID = '0196c000-0000-7000-8000-0000000f0001';
export const IDENT_ID = '0196c000-0000-7000-8000-000000010001';
export const GTIN = '09501101530003';
/** A GS1 DataMatrix read of GTIN, expiry 2029-12-31, lot AB-123, as a scanner sends it. */
export const GS1_LOT_SCAN = `]d201${GTIN}17291231\u001d10AB-123`;

export const ITEM = { id: ITEM_ID, name: 'Saline 0.9 % 500 ml', unitOfMeasure: 'ea', trackingMode: 'lot', archived: false };
export const LOT = { id: LOT_ID, code: 'AB-123', expiresOn: '2029-12-31', manufacturedOn: null, blocked: false, blockReason: null, onHand: '24' };
export const ASSET = { id: ASSET_ID, tag: 'AST-2026-00001', name: 'Compressor 1', status: 'in-service', serialNumber: 'SN-88', itemId: null, locationId: LOC_ID };
export const LOCATION = { id: LOC_ID, name: 'Bin 3-04', code: 'B304', type: 'bin', path: 'Main DC / Zone A / Bin 3-04' };

export const PARSED_LOT = {
  elements: [
    { ai: '01', title: 'GTIN', value: GTIN },
    { ai: '17', title: 'USE BY or EXPIRY', value: '291231', date: '2029-12-31' },
    { ai: '10', title: 'BATCH/LOT', value: 'AB-123' },
  ],
  hri: `(01)${GTIN}(17)291231(10)AB-123`,
  symbology: ']d2',
  source: 'element-string' as const,
};

export const gtinMatch = (value = GTIN) => ({
  identifier: { id: IDENT_ID, type: 'gtin', value },
  target: { type: 'core.item', id: ITEM_ID, label: ITEM.name, href: `/items/${ITEM_ID}` },
});

/** A `POST /scan` answer: `unknown` with nothing matched unless `patch` says otherwise. */
export function scanResult(input: string, patch: Partial<ScanResult> = {}): ScanResult {
  return { input, parsed: null, kind: 'unknown', matches: [], ...patch };
}

/** The answer for {@link GS1_LOT_SCAN}: the item by its GTIN, the received lot, the receipt prefill. */
export const lotAnswer = (input = GS1_LOT_SCAN): ScanResult =>
  scanResult(input, {
    parsed: PARSED_LOT,
    kind: 'lot',
    matches: [gtinMatch()],
    item: ITEM,
    lot: LOT,
    receiptPrefill: { itemId: ITEM_ID, lot: 'AB-123', expiresOn: '2029-12-31' },
  });

/** Answer `POST /api/barcode/scan` with `answer(data)`; the data sent is recorded in `scans`. */
export function scanHandler(answer: (data: string) => ScanResult, scans: string[] = []) {
  server.use(
    http.post('*/api/barcode/scan', async ({ request }) => {
      const { data } = (await request.json()) as { data: string };
      scans.push(data);
      return HttpResponse.json(answer(data));
    }),
  );
  return scans;
}
