/**
 * Console test harness for the RFID plugin: the real shell (router, guards, session and platform
 * stores, API client) from `apps/admin/test`, with this plugin's console module loaded and reported
 * enabled by the platform endpoint. Requests go to msw; the fixtures below are shaped like the
 * API's answers (tags and decodes are built with the plugin's own EPC domain, so the hex, URIs and
 * keys agree with what the server would say).
 */
import { http, HttpResponse } from 'msw';
import { platformPlugin, renderWithPlugins, server, settle, state } from '../../../../apps/admin/test/plugin-harness';
import { decodeEpc, encodeEpc } from '../../src/domain/index';
import type { DecodedEpcDto, DeviceDetail, DeviceSummary, MovementDto, RecentRead, TagDto } from '../../src/admin/types';

export { ADMIN_SESSION, all, bodyText, byTestId, cells, click, clickIn, problem, q, requests, server, settle, state, text, toasts, typeInto } from '../../../../apps/admin/test/plugin-harness';

/**
 * Mount the console at `path` with rfid enabled and the server reporting `alsoEnabled` plugins too
 * (e.g. `fixed-assets`; their console modules are not loaded). `permissions` replaces the signed-in
 * user's (default `*`).
 */
export async function renderRfid(path: string, options: { alsoEnabled?: string[]; permissions?: string[] } = {}) {
  if (options.permissions) state.session = { ...state.session!, permissions: options.permissions };
  server.use(http.get('*/api/core/locations/tree', () => HttpResponse.json(LOCATIONS)));
  return renderWithPlugins(path, [platformPlugin('rfid', 'RFID'), ...(options.alsoEnabled ?? []).map((id) => platformPlugin(id))], { rfid: () => import('../../src/admin/index') });
}

export const paged = <T>(data: T[], url: string | URL, total = data.length) => {
  const q = new URL(url).searchParams;
  return HttpResponse.json({ data, total, limit: Number(q.get('limit') ?? 25), offset: Number(q.get('offset') ?? 0) });
};

/** Type into the native input with `testid` inside `root`, as a user does (input, then change). */
export async function typeIn(testid: string, value: string, root: ParentNode = document) {
  const el = root.querySelector<HTMLInputElement>(`[data-testid="${testid}"]`);
  if (!el) throw new Error(`no input with data-testid="${testid}" there`);
  el.value = value;
  el.dispatchEvent(new Event('input', { bubbles: true }));
  el.dispatchEvent(new Event('change', { bubbles: true }));
  await settle(2);
}

/** The error Element Plus shows under the form item that holds `el`. */
export function errorAt(el: Element | null): string | undefined {
  if (!el) throw new Error('no such element');
  return el.closest('.el-form-item')?.querySelector('.el-form-item__error')?.textContent?.trim();
}

const shown = (o: HTMLElement) => {
  const popper = o.closest<HTMLElement>('.el-popper');
  return !popper || popper.style.display !== 'none';
};

/**
 * Open the ElSelect that is (or is inside) `select` and click the option whose text matches (or
 * whose test id is given), among the options of open dropdowns.
 */
export async function choose(select: HTMLElement | null, option: string | { testid: string }) {
  if (!select) throw new Error('no such select');
  (select.querySelector<HTMLElement>('.el-select__wrapper') ?? select).click();
  await settle();
  const options = [...document.querySelectorAll<HTMLElement>('.el-select-dropdown__item')].filter(shown);
  const found =
    typeof option === 'string'
      ? (options.find((o) => o.textContent?.trim() === option) ?? options.find((o) => o.textContent?.includes(option)))
      : options.find((o) => o.dataset.testid === option.testid);
  if (!found) throw new Error(`no option ${JSON.stringify(option)}: ${options.map((o) => o.textContent?.trim()).join(' | ')}`);
  found.click();
  await settle();
}

/** Open the location tree select inside `root` and pick the node whose path ends with `name`. */
export async function pickLocation(root: HTMLElement | null, name: string) {
  if (!root) throw new Error('no such location select');
  root.querySelector<HTMLElement>('.el-select__wrapper')!.click();
  await settle();
  const nodes = [...document.querySelectorAll<HTMLElement>('.el-tree-select__popper .el-tree-node__content')].filter(shown);
  const node = nodes.find((n) => n.textContent?.trim() === name) ?? nodes.find((n) => n.textContent?.includes(name));
  if (!node) throw new Error(`no location "${name}": ${nodes.map((n) => n.textContent?.trim()).join(' | ')}`);
  node.click();
  await settle();
}

/** The last request to `pathname` (and `method`), for its query and body. */
export function lastRequest(requests: { method: string; url: URL; body: unknown }[], pathname: string, method = 'GET') {
  const found = requests.filter((r) => r.method === method && r.url.pathname === pathname);
  if (!found.length) throw new Error(`no ${method} ${pathname}`);
  return found[found.length - 1]!;
}

// ---------------------------------------------------------------------------------------------
// Fixtures

export const NOW = '2026-11-24T10:00:00.000Z';
export const SITE_ID = '0196c000-0000-7000-8000-00000000f001';
export const APRON_ID = '0196c000-0000-7000-8000-00000000f002';
export const INSIDE_ID = '0196c000-0000-7000-8000-00000000f003';
export const AISLE_ID = '0196c000-0000-7000-8000-00000000f004';
export const READER_ID = '0196c000-0000-7000-8000-00000000d001';
export const READER2_ID = '0196c000-0000-7000-8000-00000000d002';
export const ITEM_ID = '0196c000-0000-7000-8000-00000000e001';
export const ASSET_ID = '0196c000-0000-7000-8000-00000000a001';

const loc = (id: string, name: string, type: string, parentId: string | null, path: string, children: unknown[] = []) => ({ id, name, code: null, type, parentId, path, archived: false, children });
export const LOCATIONS = [
  loc(SITE_ID, 'Main DC', 'site', null, 'Main DC', [
    loc(APRON_ID, 'Dock 1 apron', 'zone', SITE_ID, 'Main DC / Dock 1 apron'),
    loc(INSIDE_ID, 'Dock 1 inside', 'zone', SITE_ID, 'Main DC / Dock 1 inside'),
    loc(AISLE_ID, 'Aisle 3', 'aisle', SITE_ID, 'Main DC / Aisle 3'),
  ]),
];

/**
 * EPCs of the GS1 EPC Tag Data Standard 1.13 examples: the SGTIN-96 of Appendix E
 * (3074257BF7194E4000001A85: company prefix 0614141, item reference 812345, serial 6789, filter 3)
 * and GIAI-96 tags with the same company prefix (§14.5.5.1), encoded by the plugin's domain.
 */
export const SGTIN_EPC = '3074257BF7194E4000001A85';
export const giai = (reference: number) => encodeEpc({ tagUri: `urn:epc:tag:giai-96:3.0614141.${reference}` }).hex;
export const decoded = (hex: string): DecodedEpcDto => ({ ...decodeEpc(hex) }) as DecodedEpcDto;

export function makeReader(patch: Partial<DeviceDetail> = {}): DeviceDetail {
  return {
    id: READER_ID,
    code: 'dock-1',
    name: 'Dock 1 portal',
    kind: 'rfid-reader',
    adapter: 'rfid-reader',
    adapterLabel: 'RFID reader (Zebra FX, Impinj, generic)',
    model: 'FX9600',
    locationId: SITE_ID,
    locationName: 'Main DC',
    status: 'active',
    keyHint: 'qmd_7Hk',
    lastSeenAt: '2026-11-24T09:59:30.000Z',
    health: { state: 'ok' },
    readingsCount: 1250,
    refusedCount: 0,
    errorCount: 0,
    settings: {
      antennas: [
        { antenna: 1, locationId: APRON_ID, portalSide: 'outer' },
        { antenna: 2, locationId: INSIDE_ID, portalSide: 'inner' },
      ],
      dedupeWindowSeconds: 5,
      portalWindowSeconds: 10,
    },
    lastError: null,
    lastErrorAt: null,
    mqttTopic: 'quartermaster/devices/dock-1/#',
    version: 4,
    updatedAt: NOW,
    ...patch,
  };
}
export const summaryOf = ({ settings: _s, lastError: _e, lastErrorAt: _a, mqttTopic: _m, version: _v, updatedAt: _u, ...rest }: DeviceDetail): DeviceSummary => rest;

export function makeTag(epc: string, patch: Partial<TagDto> = {}): TagDto {
  const d = decoded(epc);
  const key = d.gtin ? { gs1KeyType: 'gtin', gs1Key: d.gtin, serial: d.serial ?? null } : { gs1KeyType: 'giai', gs1Key: d.giai ?? null, serial: null };
  return {
    epc,
    scheme: d.scheme,
    ...key,
    pureIdentityUri: d.pureIdentityUri,
    hri: d.hri,
    target: null,
    firstSeenAt: '2026-11-24T08:00:00.000Z',
    lastSeenAt: '2026-11-24T09:58:00.000Z',
    location: { id: AISLE_ID, name: 'Aisle 3' },
    device: { id: READER_ID, code: 'dock-1' },
    antenna: 3,
    rssi: -55.5,
    readCount: 12,
    ...patch,
  };
}

export function makeRead(n: number, epc: string, patch: Partial<RecentRead> = {}): RecentRead {
  return {
    readingId: String(1000 + n),
    device: { id: READER_ID, code: 'dock-1' },
    readAt: new Date(Date.parse(NOW) - n * 1000).toISOString(),
    receivedAt: NOW,
    epc,
    antenna: 1,
    rssi: -60,
    locationId: APRON_ID,
    gs1KeyType: null,
    gs1Key: null,
    target: null,
    ...patch,
  };
}

export function makeMovement(n: number, epc: string, patch: Partial<MovementDto> = {}): MovementDto {
  return {
    id: String(n),
    epc,
    target: null,
    from: { id: APRON_ID, name: 'Dock 1 apron' },
    to: { id: INSIDE_ID, name: 'Dock 1 inside' },
    device: { id: READER_ID, code: 'dock-1' },
    antenna: 2,
    direction: 'in',
    at: '2026-11-24T09:00:00.000Z',
    ...patch,
  };
}
