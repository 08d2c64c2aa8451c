/**
 * Console test harness for the maintenance plugin: the real shell (router, guards, session and
 * platform stores, API client) from `apps/admin/test`, with this plugin's console module loaded
 * and reported enabled by the platform endpoint (with fixed-assets, its dependency). Requests go
 * to msw; `maintenanceLookups()` answers what pickers, dialogs and the breakdown lookup load, `makeWorkOrder()` and
 * `makeDetail()` build answers shaped like the API's.
 */
import { http, HttpResponse } from 'msw';
import { paged, platformPlugin, problem, renderWithPlugins, server, settle } from '../../../../apps/admin/test/plugin-harness';
import type { ChecklistItemState } from '../../src/admin/types';

export {
  ADMIN_SESSION,
  all,
  bodyText,
  byTestId,
  cells,
  choose,
  click,
  clickIn,
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
 * Mount the console at `path` with maintenance (and fixed-assets) enabled, and the server reporting
 * `alsoEnabled` plugins too (e.g. `inventory`; their console modules are not loaded).
 */
export async function renderMaintenance(path: string, options: { alsoEnabled?: string[] } = {}) {
  return renderWithPlugins(
    path,
    [platformPlugin('fixed-assets', 'Fixed assets'), platformPlugin('maintenance', 'Maintenance'), ...(options.alsoEnabled ?? []).map((id) => platformPlugin(id))],
    { maintenance: () => import('../../src/admin/index') },
  );
}

/** Type into the native input with `testid` inside `root`, as a user does (input, then change). */
export async function typeIn(root: ParentNode, testid: string, value: string) {
  const el = root.querySelector<HTMLInputElement>(`[data-testid="${testid}"]`);
  if (!el) throw new Error(`no input with data-testid="${testid}" there`);
  el.value = value;
  el.dispatchEvent(new Event('input', { bubbles: true }));
  el.dispatchEvent(new Event('change', { bubbles: true }));
  await settle(2);
}

// ---------------------------------------------------------------------------------------------
// Fixtures

export const WO_ID = '0196b000-0000-7000-8000-00000000a001';
export const WO2_ID = '0196b000-0000-7000-8000-00000000a002';
export const ASSET_ID = '0196b000-0000-7000-8000-0000000b0001';
export const TECH_ID = '0196b000-0000-7000-8000-0000000c0001';
export const TEAM_ID = '0196b000-0000-7000-8000-0000000d0001';
export const ITEM_ID = '0196b000-0000-7000-8000-0000000e0001';
export const LOC_ID = '0196b000-0000-7000-8000-0000000f0001';
export const NOW = '2026-11-23T10:00:00.000Z';

const woId = (n: number) => (n === 1 ? WO_ID : n === 2 ? WO2_ID : `0196b000-0000-7000-8000-0000000a${String(n).padStart(4, '0')}`);

/** A work order as the list answers it (`WorkOrderSummary`). */
export function makeWorkOrder(n: number, patch: Record<string, unknown> = {}) {
  return {
    id: woId(n),
    number: `WO-${String(n).padStart(6, '0')}`,
    type: 'preventive',
    status: 'requested',
    priority: 'medium',
    title: `Work ${n}`,
    assetId: ASSET_ID,
    assetTag: 'AST-2026-00001',
    assetName: 'Compressor 1',
    planId: null,
    planCode: null,
    dueOn: '2026-11-30',
    dueTotal: null,
    overdue: false,
    scheduledStart: null,
    scheduledEnd: null,
    startedAt: null,
    completedAt: null,
    assigneeUserId: null,
    assigneeName: null,
    teamId: null,
    teamName: null,
    plannedMinutes: 60,
    takesOutOfService: false,
    assetDown: false,
    currency: 'EUR',
    totalCost: '0.00',
    version: 1,
    createdAt: NOW,
    updatedAt: NOW,
    ...patch,
  };
}

const ACTIONS_FROM: Record<string, string[]> = {
  requested: ['approve', 'cancel'],
  approved: ['schedule', 'start', 'cancel'],
  scheduled: ['unschedule', 'start', 'cancel'],
  'in-progress': ['hold', 'complete'],
  'on-hold': ['resume', 'cancel'],
  completed: ['reopen', 'close'],
  closed: [],
  cancelled: [],
};

/** A work order as its page reads it (`WorkOrderDetail`); `checklist` items get their status worked out. */
export function makeDetail(n: number, patch: Record<string, unknown> = {}) {
  const base = makeWorkOrder(n, patch);
  const items = (patch.checklistItems as ChecklistItemState[] | undefined) ?? [];
  const { checklistItems: _omit, ...rest } = patch;
  return {
    ...base,
    description: null,
    dueKey: null,
    generateReason: null,
    reportedBy: null,
    reportedAt: null,
    failedAt: null,
    assetTakenOut: false,
    holdReason: null,
    closedAt: null,
    cancelledAt: null,
    cancelReason: null,
    problemCode: null,
    causeCode: null,
    remedyCode: null,
    completionNote: null,
    signedOffBy: null,
    signedOffAt: null,
    partsLocationId: null,
    createdBy: 'Ada Admin',
    allowedActions: ACTIONS_FROM[base.status as string] ?? [],
    checklist: { items, ...checklistStatus(items) },
    labour: { plannedMinutes: base.plannedMinutes, actualMinutes: 0, lines: [] },
    parts: [],
    externalCosts: [],
    attachments: [],
    history: [{ id: '1', type: 'created', from: null, to: base.status, note: null, data: {}, actor: 'Ada Admin', at: NOW }],
    costs: { currency: 'EUR', labour: '0.00', parts: '0.00', external: '0.00', total: '0.00', posted: '0.00' },
    ...rest,
  };
}

/** A checklist item as the API answers it. */
export function checklistItem(position: number, kind: 'check' | 'reading' | 'text', label: string, patch: Partial<ChecklistItemState> = {}): ChecklistItemState {
  return {
    id: `0196b000-0000-7000-8000-00000001${String(position).padStart(4, '0')}`,
    position,
    kind,
    label,
    required: true,
    unit: null,
    min: null,
    max: null,
    pointCode: null,
    answered: false,
    passed: null,
    value: null,
    text: null,
    note: null,
    answeredBy: null,
    answeredAt: null,
    ...patch,
  };
}

/** What the server's `checklistStatus` answers for these items (the domain's completion rules). */
export function checklistStatus(items: readonly ChecklistItemState[]) {
  const blocking: { itemId: string; label: string; reason: string }[] = [];
  const failed: { itemId: string; label: string; reason: string }[] = [];
  for (const i of items) {
    const f = (reason: string) => ({ itemId: i.id, label: i.label, reason });
    if (i.kind === 'check') {
      if (i.answered && i.passed === false) failed.push(f('answered fail'));
      else if (i.required && !i.answered) blocking.push(f('required check not answered'));
    } else if (i.kind === 'reading') {
      if (i.value === null) {
        if (i.required) blocking.push(f('required reading missing'));
      } else if (i.passed === false) failed.push(f('reading out of range'));
    } else if (i.required && !i.text) blocking.push(f('required text is empty'));
  }
  return { total: items.length, answered: items.filter((i) => i.answered).length, canComplete: blocking.length === 0, blocking, failed };
}

export const TECHNICIANS = [{ userId: TECH_ID, name: 'Tess Tech', email: 'tess@example.com', hourlyRate: '60', skills: [], teams: [{ id: TEAM_ID, name: 'Mechanics', hourlyRate: null }] }];
export const TEAMS = [{ id: TEAM_ID, name: 'Mechanics', hourlyRate: '55', members: [{ id: TECH_ID, name: 'Tess Tech', email: 'tess@example.com' }], createdAt: NOW }];
export const FAILURE_CODES = [
  { kind: 'problem', code: 'LEAK', description: 'Leaking', active: true },
  { kind: 'problem', code: 'NOISE', description: 'Abnormal noise', active: true },
  { kind: 'cause', code: 'WEAR', description: 'Wear', active: true },
  { kind: 'remedy', code: 'REPLACE', description: 'Replaced the part', active: true },
];
export const ASSET = {
  id: ASSET_ID,
  tag: 'AST-2026-00001',
  name: 'Compressor 1',
  status: 'in-service',
  category: null,
  location: { id: LOC_ID, name: 'Plant', path: 'Plant' },
};
/** A serial number of {@link ASSET} in the identifier registry (not its tag). */
export const ASSET_SERIAL = 'SN-88213-C';
export const ASSET2_ID = '0196b000-0000-7000-8000-0000000b0002';
/** A code the identifier registry gives to two assets (ASSET and ASSET2). */
export const SHARED_CODE = 'SN-1';
export const SHARED_CODE_ASSETS = [
  { id: ASSET_ID, label: 'AST-2026-00001 · Compressor 1' },
  { id: ASSET2_ID, label: 'AST-2026-00002 · Compressor 2' },
];
export const ITEM = { id: ITEM_ID, name: 'V-belt', unitOfMeasure: 'ea', identifiers: [] };
export const LOCATIONS = [{ id: LOC_ID, name: 'Plant', code: 'PL', type: 'site', parentId: null, path: 'Plant', archived: false, children: [] }];

/**
 * What pickers and dialogs load: technicians, teams, failure codes, templates, assets, items,
 * locations; and the breakdown lookup (`GET /breakdowns/asset?code=`): ASSET by its tag or
 * `ASSET_SERIAL`, 409 `maintenance/ambiguous-code` for `SHARED_CODE`, else 404.
 */
export function maintenanceLookups() {
  server.use(
    http.get('*/api/maintenance/technicians', () => HttpResponse.json({ data: TECHNICIANS })),
    http.get('*/api/maintenance/teams', () => HttpResponse.json({ data: TEAMS })),
    http.get('*/api/maintenance/failure-codes', ({ request }) => {
      const kind = new URL(request.url).searchParams.get('kind');
      return HttpResponse.json({ data: FAILURE_CODES.filter((c) => !kind || c.kind === kind) });
    }),
    http.get('*/api/maintenance/breakdowns/asset', ({ request }) => {
      const code = (new URL(request.url).searchParams.get('code') ?? '').trim();
      if (code === ASSET.tag || code === ASSET_SERIAL) {
        return HttpResponse.json({
          asset: { id: ASSET.id, tag: ASSET.tag, name: ASSET.name, status: ASSET.status, locationId: LOC_ID },
          problemCodes: FAILURE_CODES.filter((c) => c.kind === 'problem' && c.active).map(({ code: c, description }) => ({ code: c, description })),
        });
      }
      if (code === SHARED_CODE) {
        return problem(409, 'maintenance/ambiguous-code', 'Code names several assets', `The code ${code} names 2 assets; report the breakdown by asset`, {
          field: 'code',
          code,
          assets: SHARED_CODE_ASSETS,
        });
      }
      return problem(404, 'maintenance/unknown-asset-code', 'Unknown asset code', `No asset has the code ${code}`, { field: 'code', code });
    }),
    http.get('*/api/maintenance/checklist-templates', ({ request }) => paged([], request.url)),
    http.get('*/api/fixed-assets/assets', ({ request }) => {
      const q = (new URL(request.url).searchParams.get('q') ?? '').toLowerCase();
      return paged([ASSET].filter((a) => !q || a.tag.toLowerCase().includes(q) || a.name.toLowerCase().includes(q)), request.url);
    }),
    http.get(`*/api/fixed-assets/assets/${ASSET_ID}`, () => HttpResponse.json(ASSET)),
    http.get('*/api/core/items', ({ request }) => paged([ITEM], request.url)),
    http.get(`*/api/core/items/${ITEM_ID}`, () => HttpResponse.json(ITEM)),
    http.get('*/api/core/locations/tree', () => HttpResponse.json(LOCATIONS)),
  );
}
