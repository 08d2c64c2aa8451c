import { http, HttpResponse } from 'msw';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ASSET_ID, WO2_ID, WO_ID, all, click, makeDetail, maintenanceLookups, q, renderMaintenance, requests, server, text } from './harness';
import { PLAN_ID, calDay, pickRadio } from './planning.fixtures';

const SLOW = { timeout: 30_000 };

function entry(patch: Record<string, unknown>) {
  return {
    date: '2026-11-10',
    kind: 'work-order',
    workOrderId: WO_ID,
    number: 'WO-000001',
    status: 'scheduled',
    type: 'preventive',
    priority: 'medium',
    title: 'Quarterly service',
    assetId: ASSET_ID,
    assetTag: 'AST-2026-00001',
    assetName: 'Compressor 1',
    planId: PLAN_ID,
    planCode: 'PM-COMP-3M',
    dueOn: '2026-11-12',
    dueTotal: null,
    scheduledStart: '2026-11-10T08:00:00.000Z',
    scheduledEnd: '2026-11-10T10:00:00.000Z',
    estimated: false,
    ...patch,
  };
}

const ENTRIES = [
  entry({ dueOn: '2026-11-24' }),
  // Overdue: still open, due before today.
  entry({ date: '2026-11-05', workOrderId: WO2_ID, number: 'WO-000002', status: 'approved', type: 'corrective', title: 'Fix leak', dueOn: '2026-11-05', scheduledStart: null, scheduledEnd: null, planId: null, planCode: null }),
  // A meter plan's next due total, on the date forecast from usage.
  entry({ date: '2026-11-18', kind: 'forecast', workOrderId: null, number: null, status: null, type: 'inspection', priority: null, title: 'Forklift 250 h', dueOn: null, dueTotal: '1500', scheduledStart: null, scheduledEnd: null, estimated: true, planCode: 'PM-FL-250H' }),
  // Done on time: not overdue although its due date is past.
  entry({ date: '2026-11-03', workOrderId: '0196b000-0000-7000-8000-0000000a0003', number: 'WO-000003', status: 'completed', type: 'calibration', title: 'Calibrate gauge', dueOn: '2026-11-03', scheduledStart: null, scheduledEnd: null }),
];

function serveCalendar() {
  maintenanceLookups();
  server.use(
    http.get('*/api/maintenance/calendar', ({ request }) => {
      const p = new URL(request.url).searchParams;
      const [from, to] = [p.get('from')!, p.get('to')!];
      const types = p.getAll('type');
      return HttpResponse.json({ from, to, truncated: false, entries: ENTRIES.filter((e) => e.date >= from && e.date <= to && (!types.length || types.includes(e.type))) });
    }),
  );
}
const calendarCalls = () => requests.filter((r) => r.url.pathname === '/api/maintenance/calendar').map((r) => Object.fromEntries(r.url.searchParams));
const entriesOn = (date: string) => all('cal-entry', calDay(date)!);

describe('maintenance calendar', () => {
  // Only the clock: the page's timers must keep running.
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-11-20T12:00:00'));
  });
  afterEach(() => vi.useRealTimers());

  it('shows work orders and forecasts on their days in the month, coloured by type, overdue marked', SLOW, async () => {
    serveCalendar();
    await renderMaintenance('/maintenance/calendar?date=2026-11-18');
    await vi.waitFor(() => expect(all('cal-entry')).toHaveLength(4));

    // Six weeks from the Monday before the 1st.
    expect(calendarCalls()[0]).toEqual({ from: '2026-10-26', to: '2026-12-06' });
    expect(all('cal-day')).toHaveLength(42);
    expect(text('calendar-range')).toMatch(/November 2026/);

    const [wo] = entriesOn('2026-11-10');
    expect(wo!.textContent).toContain('WO-000001 AST-2026-00001 · Quarterly service');
    expect(wo!.dataset.kind).toBe('work-order');
    expect(wo!.dataset.type).toBe('preventive');
    expect(wo!.style.borderLeftColor).not.toBe('');
    expect(wo!.dataset.overdue).toBe('false');

    const [late] = entriesOn('2026-11-05');
    expect(late!.dataset.overdue).toBe('true');
    expect(late!.className).toContain('overdue');
    expect(late!.dataset.type).toBe('corrective');
    expect(entriesOn('2026-11-03')[0]!.dataset.overdue).toBe('false');

    const [forecast] = entriesOn('2026-11-18');
    expect(forecast!.dataset.kind).toBe('forecast');
    expect(forecast!.className).toContain('forecast');
    expect(forecast!.textContent).toContain('PM-FL-250H AST-2026-00001 at 1500 (est.)');
    expect(text('calendar-summary')).toContain('3 work orders · 1 forecast · 1 overdue');
    expect(entriesOn('2026-11-11')).toHaveLength(0);
  });

  it('switches to the week view and steps week by week, keeping the view in the URL', SLOW, async () => {
    serveCalendar();
    const { router } = await renderMaintenance('/maintenance/calendar?date=2026-11-18');
    await vi.waitFor(() => expect(all('cal-entry')).toHaveLength(4));

    await pickRadio('calendar-view-week');
    await vi.waitFor(() => expect(calendarCalls().at(-1)).toEqual({ from: '2026-11-16', to: '2026-11-22' }));
    await vi.waitFor(() => expect(all('cal-day')).toHaveLength(7));
    expect(q('calendar-week')).not.toBeNull();
    expect(all('cal-entry').map((e) => e.dataset.kind)).toEqual(['forecast']);
    expect(calDay('2026-11-18')).not.toBeNull();
    expect(router.currentRoute.value.query).toMatchObject({ view: 'week', date: '2026-11-18' });

    await click('calendar-prev');
    await vi.waitFor(() => expect(calendarCalls().at(-1)).toEqual({ from: '2026-11-09', to: '2026-11-15' }));
    await vi.waitFor(() => expect(entriesOn('2026-11-10')).toHaveLength(1));
    // The week view shows the time of a scheduled order and its status.
    expect(entriesOn('2026-11-10')[0]!.textContent).toContain('Scheduled');

    await pickRadio('calendar-view-month');
    await vi.waitFor(() => expect(all('cal-day')).toHaveLength(42));
    expect(calendarCalls().at(-1)).toEqual({ from: '2026-10-26', to: '2026-12-06' });
  });

  it('filters by type and opens the work order of an entry', SLOW, async () => {
    serveCalendar();
    server.use(http.get(`*/api/maintenance/work-orders/${WO_ID}`, () => HttpResponse.json(makeDetail(1, { status: 'scheduled', title: 'Quarterly service' }))));
    const { router } = await renderMaintenance('/maintenance/calendar?date=2026-11-18&type=preventive');
    await vi.waitFor(() => expect(all('cal-entry')).toHaveLength(1));
    expect(requests.find((r) => r.url.pathname === '/api/maintenance/calendar')!.url.searchParams.getAll('type')).toEqual(['preventive']);

    entriesOn('2026-11-10')[0]!.click();
    // The work order's page loads as its own chunk.
    await vi.waitFor(() => expect(router.currentRoute.value.path).toBe(`/maintenance/work-orders/${WO_ID}`), { timeout: 10_000 });
  });
});
