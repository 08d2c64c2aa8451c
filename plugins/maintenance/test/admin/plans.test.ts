import { http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { ASSET_ID, all, cells, choose, click, fieldError, maintenanceLookups, paged, problem, q, renderMaintenance, requests, server, text, typeInto } from './harness';
import { PLAN2_ID, PLAN_ID, makePlan, makePoint, pickRadio, planLookups } from './planning.fixtures';

const SLOW = { timeout: 30_000 };
const WAIT = { timeout: 5_000 };

/** First of the month + k·every months from 2027-01-01, as the server's calendar preview would answer. */
function monthly(every: number, n = 3) {
  return Array.from({ length: n }, (_, k) => {
    const m = k * every;
    return `${2027 + Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}-01`;
  });
}

/** `POST /plans/preview`: calendar plans every N months (anything else: 400 naming the field, as the server does). */
function servePreview() {
  server.use(
    http.post('*/api/maintenance/plans/preview', async ({ request }) => {
      const body = (await request.json()) as { triggerKind: string; triggerConfig: Record<string, any> };
      if (body.triggerKind === 'meter') {
        return HttpResponse.json({
          triggerKind: 'meter',
          assetId: ASSET_ID,
          occurrences: [
            { dueOn: '2026-12-10', dueTotal: '1500', forecast: true },
            { dueOn: '2027-01-20', dueTotal: '1750', forecast: true },
          ],
          meter: { pointCode: 'hours', currentTotal: '1200', ratePerDay: '6.2' },
        });
      }
      const every = body.triggerConfig.recurrence?.every;
      if (!Number.isInteger(every) || every < 1)
        return problem(400, 'validation', 'Invalid request', 'triggerConfig.recurrence.every: must be a whole number from 1 to 120', {
          errors: [{ field: 'triggerConfig.recurrence.every', message: 'must be a whole number from 1 to 120' }],
        });
      return HttpResponse.json({ triggerKind: 'calendar', assetId: null, occurrences: monthly(every).map((dueOn) => ({ dueOn, dueTotal: null, forecast: false })), meter: null });
    }),
  );
}

const previewCalls = () => requests.filter((r) => r.method === 'POST' && r.url.pathname === '/api/maintenance/plans/preview');

describe('plan editor', () => {
  it('previews the next due dates live, and again when the interval changes', SLOW, async () => {
    maintenanceLookups();
    planLookups();
    servePreview();
    await renderMaintenance('/maintenance/plans/new');
    expect(text('plan-title')).toBe('New maintenance plan');

    // A new calendar plan: every month, fixed.
    await vi.waitFor(() => expect(cells('plan-preview-date')).toEqual(['2027-01-01', '2027-02-01', '2027-03-01']), WAIT);
    expect(previewCalls().at(-1)!.body).toMatchObject({ triggerKind: 'calendar', triggerConfig: { recurrence: { type: 'interval', every: 1, unit: 'month' }, mode: 'fixed' }, limit: 10 });

    // Every 3 months: the preview follows.
    await typeInto('plan-cal-every', '3');
    await vi.waitFor(() => expect(cells('plan-preview-date')).toEqual(['2027-01-01', '2027-04-01', '2027-07-01']), WAIT);
    expect(previewCalls().at(-1)!.body).toMatchObject({ triggerConfig: { recurrence: { every: 3 } } });

    // Something the server refuses: its problem is listed by field instead of dates.
    await typeInto('plan-cal-every', 'x');
    await vi.waitFor(() => expect(cells('plan-preview-problem')).toEqual(['Every must be a whole number from 1 to 120']), WAIT);
    expect(all('plan-preview-date')).toHaveLength(0);
  });

  it('marks the fields the server refuses on save, then creates the plan and opens it', SLOW, async () => {
    maintenanceLookups();
    planLookups();
    servePreview();
    let attempt = 0;
    server.use(
      http.post('*/api/maintenance/plans', async ({ request }) => {
        const body = (await request.json()) as Record<string, unknown>;
        attempt++;
        if (attempt === 1)
          return problem(400, 'validation', 'Invalid request', 'code: must be 1–32 upper-case letters; triggerConfig.leadDays: must be shorter than the interval', {
            errors: [
              { field: 'code', message: 'must be 1–32 upper-case letters, digits, . _ -' },
              { field: 'triggerConfig.leadDays', message: 'must be shorter than the interval (28 days at the shortest) in a floating schedule' },
            ],
          });
        return HttpResponse.json(makePlan({ ...body, id: PLAN2_ID, version: 1, workOrders: 0 }), { status: 201 });
      }),
      http.get(`*/api/maintenance/plans/${PLAN2_ID}`, () => HttpResponse.json(makePlan({ id: PLAN2_ID, code: 'PM-1', name: 'Belt check', workOrders: 0 }))),
      http.get(`*/api/maintenance/plans/${PLAN2_ID}/assets`, ({ request }) => paged([], request.url)),
    );
    const { router } = await renderMaintenance('/maintenance/plans/new');

    await typeInto('plan-code', 'pm 1');
    await typeInto('plan-name', 'Belt check');
    await choose('plan-asset', 'AST-2026-00001 · Compressor 1');
    await pickRadio('plan-cal-mode-floating');
    await typeInto('plan-cal-lead', '40');
    await click('plan-save');

    await vi.waitFor(() => expect(fieldError('plan-code')).toBe('must be 1–32 upper-case letters, digits, . _ -'));
    expect(fieldError('plan-cal-lead')).toBe('must be shorter than the interval (28 days at the shortest) in a floating schedule');
    expect(fieldError('plan-name')).toBeFalsy();
    expect(q('plan-form-error')).not.toBeNull();
    const sent = requests.filter((r) => r.method === 'POST' && r.url.pathname === '/api/maintenance/plans')[0]!.body;
    expect(sent).toMatchObject({
      code: 'PM 1',
      name: 'Belt check',
      triggerKind: 'calendar',
      triggerConfig: { recurrence: { type: 'interval', every: 1, unit: 'month' }, mode: 'floating', leadDays: 40 },
      workOrderType: 'preventive',
      assetId: ASSET_ID,
      categoryId: null,
      priority: null,
      parts: [],
      active: true,
    });

    // Fixed: saved, and the editor now shows the stored plan.
    await typeInto('plan-code', 'PM-1');
    await typeInto('plan-cal-lead', '7');
    await click('plan-save');
    await vi.waitFor(() => expect(router.currentRoute.value.fullPath).toBe(`/maintenance/plans/${PLAN2_ID}`));
    await vi.waitFor(() => expect(text('plan-title')).toBe('PM-1 · Belt check'));
    expect(fieldError('plan-code')).toBeFalsy();
  });

  it('edits a meter plan: totals with forecast dates for its asset, and saves with the version read', SLOW, async () => {
    maintenanceLookups();
    planLookups([makePoint()]);
    servePreview();
    const meterPlan = makePlan({ triggerKind: 'meter', triggerConfig: { meter: 'hours', every: '250', mode: 'fixed' }, pointCode: 'hours' });
    server.use(
      http.get(`*/api/maintenance/plans/${PLAN_ID}`, () => HttpResponse.json(meterPlan)),
      http.get(`*/api/maintenance/plans/${PLAN_ID}/assets`, ({ request }) =>
        paged([{ assetId: ASSET_ID, tag: 'AST-2026-00001', name: 'Compressor 1', status: 'in-service', lastCompletedOn: null, lastCompletedTotal: '1000', lastDueKey: 'meter:1250', nextDueOn: null, nextDueTotal: '1500', triggerState: {} }], request.url),
      ),
      http.patch(`*/api/maintenance/plans/${PLAN_ID}`, async ({ request }) => HttpResponse.json({ ...meterPlan, ...((await request.json()) as object), version: 4 })),
    );
    await renderMaintenance(`/maintenance/plans/${PLAN_ID}`);

    await vi.waitFor(() => expect(cells('plan-preview-total')).toEqual(['1500 h', '1750 h']), WAIT);
    expect(cells('plan-preview-date')).toEqual(['≈ 2026-12-10 forecast', '≈ 2027-01-20 forecast']);
    expect(text('plan-preview-meter')).toBe('Now at 1200 h · using 6.2 h a day');
    expect(previewCalls().at(-1)!.body).toMatchObject({ triggerKind: 'meter', triggerConfig: { meter: 'hours', every: '250', mode: 'fixed' }, assetId: ASSET_ID });
    expect(cells('plan-asset-next')).toEqual(['1500']);
    // It generated work orders: it cannot be deleted, only deactivated.
    expect(q('plan-delete')).toBeNull();

    await typeInto('plan-meter-every', '300');
    await click('plan-save');
    await vi.waitFor(() => expect(requests.some((r) => r.method === 'PATCH')).toBe(true));
    const patch = requests.find((r) => r.method === 'PATCH')!.body as Record<string, unknown>;
    expect(patch).toMatchObject({ version: 3, triggerKind: 'meter', triggerConfig: { meter: 'hours', every: '300', mode: 'fixed' }, estimatedMinutes: 90 });
  });

  it('says a condition plan has no schedule to preview', SLOW, async () => {
    maintenanceLookups();
    planLookups([makePoint({ code: 'temp', name: 'Bearing temperature', kind: 'gauge', unit: '°C', total: null })]);
    servePreview();
    server.use(
      http.get(`*/api/maintenance/plans/${PLAN_ID}`, () =>
        HttpResponse.json(makePlan({ triggerKind: 'condition', triggerConfig: { point: 'temp', kind: 'above', threshold: '80', reset: '75', consecutive: 3 }, pointCode: 'temp' })),
      ),
      http.get(`*/api/maintenance/plans/${PLAN_ID}/assets`, ({ request }) => paged([], request.url)),
    );
    await renderMaintenance(`/maintenance/plans/${PLAN_ID}`);
    await vi.waitFor(() => expect(text('plan-preview-message')).toContain('no due dates to preview'), WAIT);
    expect(previewCalls()).toHaveLength(0);
    expect((q('plan-cond-threshold') as HTMLInputElement).value).toBe('80');
    expect((q('plan-cond-reset') as HTMLInputElement).value).toBe('75');
    expect((q('plan-cond-consecutive') as HTMLInputElement).value).toBe('3');
  });
});

describe('plans list', () => {
  it('lists plans with their trigger and filters by kind and active through the URL', SLOW, async () => {
    maintenanceLookups();
    planLookups();
    server.use(
      http.get('*/api/maintenance/plans', ({ request }) => {
        const p = new URL(request.url).searchParams;
        const plans = [
          makePlan(),
          makePlan({ id: PLAN2_ID, code: 'PM-FL-250H', name: 'Forklift 250 h', triggerKind: 'meter', triggerConfig: { meter: 'hours', every: '250', mode: 'floating' }, assetId: null, assetTag: null, categoryId: 'c1', categoryName: 'Forklifts', active: false }),
        ];
        return paged(plans.filter((x) => (!p.get('kind') || x.triggerKind === p.get('kind')) && (!p.get('active') || String(x.active) === p.get('active'))), request.url);
      }),
    );
    const { router } = await renderMaintenance('/maintenance/plans?kind=meter');
    await vi.waitFor(() => expect(cells('plan-row-code')).toEqual(['PM-FL-250H']));
    expect(cells('plan-row-trigger')).toEqual(['Every 250 of hours · floating']);
    expect(cells('plan-row-target')).toEqual(['All of Forklifts']);
    expect(cells('plan-row-active')).toEqual(['Inactive']);
    expect(q('nav-maintenance-plans')!.className).toContain('is-active');

    await click('plans-clear');
    await vi.waitFor(() => expect(cells('plan-row-code')).toEqual(['PM-COMP-3M', 'PM-FL-250H']));
    expect(cells('plan-row-trigger')[0]).toBe('Every 3 months · fixed');

    await choose('plans-filter-active', 'Active');
    await vi.waitFor(() => expect(cells('plan-row-code')).toEqual(['PM-COMP-3M']));
    expect(router.currentRoute.value.query).toEqual({ active: 'true' });
    const last = requests.filter((r) => r.url.pathname === '/api/maintenance/plans').at(-1)!;
    expect(last.url.searchParams.get('active')).toBe('true');
    expect(last.url.searchParams.get('kind')).toBeNull();
  });
});
