/**
 * Answers shaped like the maintenance API's for the planning pages' tests (plans, points and
 * readings, instruments and calibrations, the calendar, the dashboard, notifications), plus a few
 * interaction helpers those pages need. The shell, msw and the common lookups come from harness.ts.
 */
import { http, HttpResponse } from 'msw';
import { ASSET_ID, NOW, q, server, settle } from './harness';

export const PLAN_ID = '0196b000-0000-7000-8000-000000010001';
export const PLAN2_ID = '0196b000-0000-7000-8000-000000010002';
export const POINT_ID = '0196b000-0000-7000-8000-000000020001';
export const CAT_ID = '0196b000-0000-7000-8000-000000030001';
export const CALIBRATION_ID = '0196b000-0000-7000-8000-000000040001';

export const TRIGGER_KINDS = [
  { kind: 'calendar', title: 'Calendar (every N days, weeks, months, years, or a cron rule)', preview: true },
  { kind: 'meter', title: 'Meter (every N units of use)', preview: true },
  { kind: 'condition', title: 'Condition (gauge above, below, outside a range, or changing too fast)', preview: false },
];

export function makePlan(patch: Record<string, unknown> = {}) {
  return {
    id: PLAN_ID,
    code: 'PM-COMP-3M',
    name: 'Compressor quarterly service',
    description: null,
    triggerKind: 'calendar',
    triggerConfig: { recurrence: { type: 'interval', every: 3, unit: 'month' }, mode: 'fixed' },
    workOrderType: 'preventive',
    assetId: ASSET_ID,
    assetTag: 'AST-2026-00001',
    categoryId: null,
    categoryName: null,
    pointCode: null,
    priority: null,
    takesOutOfService: false,
    estimatedMinutes: 90,
    checklistTemplateId: null,
    teamId: null,
    assigneeUserId: null,
    parts: [],
    instructions: null,
    active: true,
    workOrders: 2,
    nextDueOn: '2027-01-01',
    version: 3,
    createdAt: NOW,
    updatedAt: NOW,
    ...patch,
  };
}

export function makePoint(patch: Record<string, unknown> = {}) {
  return {
    id: POINT_ID,
    assetId: ASSET_ID,
    code: 'hours',
    name: 'Runtime hours',
    kind: 'meter',
    unit: 'h',
    rolloverAt: null,
    maxRatePerDay: '24',
    total: '1200',
    lastValue: '1200',
    lastReadAt: '2026-11-22T08:00:00.000Z',
    active: true,
    flaggedReadings: 0,
    createdAt: NOW,
    ...patch,
  };
}

let readingSeq = 100;
export function makeReading(patch: Record<string, unknown> = {}) {
  return {
    id: String(readingSeq++),
    pointId: POINT_ID,
    assetId: ASSET_ID,
    code: 'hours',
    value: '1200',
    readAt: '2026-11-22T08:00:00.000Z',
    delta: '10',
    total: '1200',
    status: 'accepted',
    reason: null,
    source: 'manual',
    sourceRef: null,
    decidedBy: null,
    createdBy: 'Ada Admin',
    createdAt: NOW,
    ...patch,
  };
}

export function makeInstrument(patch: Record<string, unknown> = {}) {
  return {
    assetId: ASSET_ID,
    tag: 'AST-2026-00001',
    name: 'Pressure gauge PG-7',
    assetStatus: 'in-service',
    categoryId: null,
    locationId: null,
    interval: { n: 12, unit: 'month' },
    points: [
      { label: 'Low', nominal: '2', unit: 'bar', tolerance: { plusMinus: '0.05' } },
      { label: 'High', nominal: '10', unit: 'bar', tolerance: { percent: '1' } },
    ],
    procedure: 'Compare against the reference gauge at 2 and 10 bar.',
    warnDays: 14,
    active: true,
    lastCalibratedOn: '2025-11-01',
    dueOn: '2026-11-01',
    lastResult: 'pass',
    status: 'overdue',
    createdAt: NOW,
    updatedAt: NOW,
    ...patch,
  };
}

export function makeCalibration(patch: Record<string, unknown> = {}) {
  return {
    id: CALIBRATION_ID,
    assetId: ASSET_ID,
    tag: 'AST-2026-00001',
    workOrderId: null,
    performedOn: '2026-11-23',
    performedBy: 'Ada Admin',
    result: 'pass',
    asFoundFailed: false,
    adjusted: false,
    suspectSince: null,
    points: [],
    certificateNumber: null,
    nextDueOn: '2027-11-23',
    note: null,
    cost: null,
    currency: null,
    attachments: [],
    createdAt: NOW,
    createdBy: 'Ada Admin',
    ...patch,
  };
}

/** The trigger kinds and the target asset's points (empty unless given). */
export function planLookups(points: ReturnType<typeof makePoint>[] = []) {
  server.use(
    http.get('*/api/maintenance/trigger-kinds', () => HttpResponse.json({ data: TRIGGER_KINDS })),
    http.get('*/api/maintenance/assets/:assetId/points', () => HttpResponse.json({ data: points })),
  );
}

/** Click a radio button (Element Plus puts the test id on its label). */
export async function pickRadio(testid: string) {
  const label = q(testid);
  if (!label) throw new Error(`no radio with data-testid="${testid}"`);
  (label.querySelector<HTMLInputElement>('input') ?? label).click();
  await settle();
}

/** Tick a checkbox button (the test id is on its label). */
export const tick = pickRadio;

/** The cell of the calendar for a day. */
export const calDay = (date: string) => document.querySelector<HTMLElement>(`[data-testid="cal-day"][data-date="${date}"]`);
