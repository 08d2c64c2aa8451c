import { http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import {
  WO2_ID,
  WO_ID,
  all,
  cells,
  choose,
  clickIn,
  makeDetail,
  makeWorkOrder,
  maintenanceLookups,
  paged,
  pressEnter,
  problem,
  q,
  renderMaintenance,
  requests,
  server,
  state,
  ADMIN_SESSION,
  text,
  toasts,
  typeInto,
  click,
  fieldError,
} from './harness';

/** The server's work orders; the list handler filters them as the API does (status, q). */
function serve(orders: ReturnType<typeof makeWorkOrder>[]) {
  maintenanceLookups();
  server.use(
    http.get('*/api/maintenance/work-orders', ({ request }) => {
      const p = new URL(request.url).searchParams;
      const statuses = p.getAll('status');
      const text = p.get('q')?.toLowerCase();
      const rows = orders.filter((o) => (!statuses.length || statuses.includes(o.status)) && (!text || o.title.toLowerCase().includes(text)));
      return paged(rows, request.url);
    }),
  );
}

const listRequests = () => requests.filter((r) => r.method === 'GET' && r.url.pathname === '/api/maintenance/work-orders');
const queryOf = (r: { url: URL }) => {
  const out: Record<string, string | string[]> = {};
  for (const k of new Set(r.url.searchParams.keys())) out[k] = r.url.searchParams.getAll(k).length > 1 ? r.url.searchParams.getAll(k) : r.url.searchParams.get(k)!;
  return out;
};
const column = (status: string) => document.querySelector<HTMLElement>(`[data-testid="wo-column"][data-status="${status}"]`)!;
const card = (number: string) => document.querySelector<HTMLElement>(`[data-testid="wo-card"][data-number="${number}"]`);

// Long user flows through the whole shell: give them room when the machine is busy.
describe('work order board', { timeout: 60_000 }, () => {
  it('shows a column per status with its cards, and keeps the filters in the URL', async () => {
    serve([
      makeWorkOrder(1, { title: 'Replace belt', priority: 'urgent', dueOn: '2026-11-20', overdue: true, assigneeName: 'Tess Tech', teamName: 'Mechanics' }),
      makeWorkOrder(2, { status: 'in-progress', title: 'Oil change', type: 'preventive', assetTag: 'AST-2026-00002', assetName: 'Forklift' }),
      makeWorkOrder(3, { status: 'completed', title: 'Inspect guard' }),
    ]);
    const { router } = await renderMaintenance('/maintenance/work-orders?priority=urgent&priority=high&overdue=true');
    await vi.waitFor(() => expect(all('wo-card')).toHaveLength(3));

    // One column per status, in lifecycle order, with its count.
    expect(all('wo-column').map((c) => c.dataset.status)).toEqual(['requested', 'approved', 'scheduled', 'in-progress', 'on-hold', 'completed']);
    expect(all('wo-column').map((c) => text('wo-column-count', c))).toEqual(['1', '0', '0', '1', '0', '1']);
    expect(cells('wo-card-title', column('in-progress'))).toEqual(['Oil change']);

    // The card: number, title, asset, priority, due date marked overdue, who.
    const c1 = card('WO-000001')!;
    expect(c1.closest('[data-testid="wo-column"]')!.getAttribute('data-status')).toBe('requested');
    expect(text('wo-card-title', c1)).toBe('Replace belt');
    expect(text('wo-card-asset', c1)).toBe('AST-2026-00001 · Compressor 1');
    expect(text('wo-card-priority', c1)).toBe('Urgent');
    expect(text('wo-card-due', c1)).toBe('Due 2026-11-20');
    expect(q('wo-card-due', c1)!.className).toContain('overdue');
    expect(q('wo-card-overdue', c1)).not.toBeNull();
    expect(text('wo-card-assignee', c1)).toBe('Tess Tech · Mechanics');
    expect(q('wo-card-overdue', card('WO-000002')!)).toBeNull();
    expect(q('nav-maintenance-work-orders')!.className).toContain('is-active');

    // Each column asked with the URL's filters and its own status.
    const first = listRequests().map(queryOf);
    expect(first.map((x) => x.status).sort()).toEqual(['approved', 'completed', 'in-progress', 'on-hold', 'requested', 'scheduled']);
    for (const x of first) expect(x).toMatchObject({ priority: ['urgent', 'high'], overdue: 'true', limit: '50', offset: '0' });
    // The pickers show what the URL chose.
    expect(q('wo-filter-priority')!.textContent).toContain('Urgent');
    expect(q('wo-filter-overdue')!.querySelector('input')!.checked).toBe(true);

    // Text search (Enter) and a type go into the URL and into every column's request.
    await typeInto('wo-search', 'belt');
    await pressEnter('wo-search');
    await vi.waitFor(() => expect(router.currentRoute.value.query).toEqual({ q: 'belt', priority: ['urgent', 'high'], overdue: 'true' }));
    await choose('wo-filter-type', 'Corrective');
    await vi.waitFor(() => expect(router.currentRoute.value.query).toEqual({ q: 'belt', type: ['corrective'], priority: ['urgent', 'high'], overdue: 'true' }));
    const last = listRequests().slice(-6).map(queryOf);
    for (const x of last) expect(x).toMatchObject({ q: 'belt', type: 'corrective', priority: ['urgent', 'high'], overdue: 'true' });
    await vi.waitFor(() => expect(cells('wo-card-title')).toEqual(['Replace belt']));

    // Overdue off; technician and asset filters.
    q('wo-filter-overdue')!.querySelector('input')!.click();
    await vi.waitFor(() => expect(router.currentRoute.value.query.overdue).toBeUndefined());
    await choose('wo-filter-assignee', 'Tess Tech');
    await vi.waitFor(() => expect(router.currentRoute.value.query.assigneeUserId).toBe('0196b000-0000-7000-8000-0000000c0001'));
    expect(queryOf(listRequests().at(-1)!)).toMatchObject({ assigneeUserId: '0196b000-0000-7000-8000-0000000c0001' });
    expect(queryOf(listRequests().at(-1)!).overdue).toBeUndefined();

    // The list view: one paged request over every status (a status filter of its own), in the URL too.
    const before = listRequests().length;
    q('wo-view-list')!.querySelector('input')!.click();
    await vi.waitFor(() => expect(router.currentRoute.value.query.view).toBe('list'));
    await vi.waitFor(() => expect(cells('wo-link')).toEqual(['WO-000001']));
    const listed = listRequests().slice(before);
    expect(listed).toHaveLength(1);
    expect(queryOf(listed[0]!)).toEqual({ q: 'belt', type: 'corrective', priority: ['urgent', 'high'], assigneeUserId: '0196b000-0000-7000-8000-0000000c0001', sort: 'due', limit: '25', offset: '0' });
    expect(cells('wo-row-status')).toEqual(['Requested']);
    expect(cells('wo-row-priority')).toEqual(['Urgent']);
    await choose('wo-filter-status', 'Closed');
    await vi.waitFor(() => expect(router.currentRoute.value.query.status).toEqual(['closed']));
    expect(queryOf(listRequests().at(-1)!)).toMatchObject({ status: 'closed' });

    // Clear: everything but the view goes.
    await click('wo-clear');
    await vi.waitFor(() => expect(router.currentRoute.value.query).toEqual({ view: 'list' }));
  });

  it('offers the legal actions of each card; Approve calls its route and the card moves to Approved', async () => {
    const orders = [makeWorkOrder(1, { title: 'Replace belt', version: 3 }), makeWorkOrder(2, { status: 'approved', title: 'Oil change' }), makeWorkOrder(4, { status: 'in-progress', title: 'Greasing' })];
    serve(orders);
    server.use(
      http.post(`*/api/maintenance/work-orders/${WO_ID}/approve`, () => {
        orders[0] = { ...orders[0]!, status: 'approved', version: 4 };
        return HttpResponse.json(makeDetail(1, { title: 'Replace belt', status: 'approved', version: 4 }));
      }),
    );
    await renderMaintenance('/maintenance/work-orders');
    await vi.waitFor(() => expect(all('wo-card')).toHaveLength(3));

    // Only what the state machine allows from each status.
    const actionsOf = (n: string) => [...card(n)!.querySelectorAll<HTMLElement>('[data-testid^="wo-card-action-"]')].map((b) => b.dataset.testid!.replace('wo-card-action-', ''));
    expect(actionsOf('WO-000001')).toEqual(['approve', 'cancel']);
    expect(actionsOf('WO-000002')).toEqual(['schedule', 'start', 'cancel']);
    expect(actionsOf('WO-000004')).toEqual(['hold', 'complete']);

    await clickIn(card('WO-000001')!, 'wo-card-action-approve');
    await vi.waitFor(() => expect(card('WO-000001')!.closest('[data-testid="wo-column"]')!.getAttribute('data-status')).toBe('approved'));
    const posts = requests.filter((r) => r.method === 'POST');
    expect(posts.map((r) => r.url.pathname)).toEqual([`/api/maintenance/work-orders/${WO_ID}/approve`]);
    expect(posts[0]!.body).toEqual({ version: 3 });
    expect(cells('wo-card-title', column('approved'))).toEqual(['Replace belt', 'Oil change']);
    expect(text('wo-column-count', column('requested'))).toBe('0');
    expect(text('wo-column-count', column('approved'))).toBe('2');
    // From its new status it offers what Approved allows.
    expect(actionsOf('WO-000001')).toEqual(['schedule', 'start', 'cancel']);
    expect(toasts()).toContain('WO-000001: Approved');
  });

  it('hides actions the user may not take', async () => {
    state.session = { ...ADMIN_SESSION, permissions: ['maintenance.read', 'maintenance.work-order.execute'] };
    serve([makeWorkOrder(1), makeWorkOrder(2, { status: 'approved' })]);
    await renderMaintenance('/maintenance/work-orders');
    await vi.waitFor(() => expect(all('wo-card')).toHaveLength(2));
    await vi.waitFor(() => expect(q('wo-card-action-start', card('WO-000002')!)).not.toBeNull());
    // Approve, schedule and cancel need maintenance.work-order.manage; so does "New work order".
    expect(all('wo-card-action-approve')).toHaveLength(0);
    expect(all('wo-card-action-cancel')).toHaveLength(0);
    expect(all('wo-card-action-schedule')).toHaveLength(0);
    expect(q('wo-new')).toBeNull();
  });

  it("shows the server's 409 when a transition is no longer legal, and reloads the board", async () => {
    // The board still shows WO-000002 as requested; someone else approved it meanwhile.
    const orders = [makeWorkOrder(2, { title: 'Oil change' })];
    serve(orders);
    server.use(
      http.post(`*/api/maintenance/work-orders/${WO2_ID}/approve`, () => {
        orders[0] = { ...orders[0]!, status: 'approved', version: 2 };
        return problem(409, 'maintenance/illegal-transition', 'Transition not allowed', 'Work order WO-000002 is approved; it cannot go to approved (approve) from there (allowed: scheduled, in-progress, cancelled)', {
          currentStatus: 'approved',
          action: 'approve',
          allowedActions: ['schedule', 'start', 'cancel'],
        });
      }),
    );
    await renderMaintenance('/maintenance/work-orders');
    await vi.waitFor(() => expect(all('wo-card')).toHaveLength(1));
    const loads = listRequests().length;

    await clickIn(card('WO-000002')!, 'wo-card-action-approve');
    await vi.waitFor(() => expect(toasts()).toContain('Work order WO-000002 is approved; it cannot go to approved (approve) from there (allowed: scheduled, in-progress, cancelled)'));
    // The board asks again and shows the order where it really is.
    await vi.waitFor(() => expect(listRequests().length).toBe(loads + 6));
    await vi.waitFor(() => expect(card('WO-000002')!.closest('[data-testid="wo-column"]')!.getAttribute('data-status')).toBe('approved'));
  });

  it('creates a work order with the New work order dialog, showing server field errors under their fields', async () => {
    serve([]);
    const TEMPLATE_ID = '0196b000-0000-7000-8000-000000070001';
    let attempt = 0;
    server.use(
      http.get('*/api/maintenance/checklist-templates', ({ request }) =>
        paged([{ id: TEMPLATE_ID, name: 'Compressor PM', description: null, items: [{ kind: 'check', label: 'Belt', required: true, unit: null, min: null, max: null, pointCode: null }], version: 1, active: true, createdAt: '2026-11-01T00:00:00.000Z', updatedAt: '2026-11-01T00:00:00.000Z' }], request.url),
      ),
      http.post('*/api/maintenance/work-orders', () => {
        attempt += 1;
        if (attempt === 1) return problem(400, 'validation', 'Invalid request', 'checklistTemplateId: no such active checklist template', { errors: [{ field: 'checklistTemplateId', message: 'no such active checklist template' }] });
        return HttpResponse.json(makeDetail(9, { title: 'Quarterly PM' }), { status: 201 });
      }),
      http.get('*/api/maintenance/work-orders/:id', () => HttpResponse.json(makeDetail(9, { title: 'Quarterly PM' }))),
    );
    const { router } = await renderMaintenance('/maintenance/work-orders');
    await vi.waitFor(() => expect(q('wo-new')).not.toBeNull());
    await click('wo-new');
    await vi.waitFor(() => expect(q('wo-form-save')).not.toBeNull());

    // Asked for before anything is sent.
    await click('wo-form-save');
    await vi.waitFor(() => expect(fieldError('wo-form-asset')).toBe('Pick the asset'));
    await vi.waitFor(() => expect(fieldError('wo-form-title')).toBe('Give it a title'));
    expect(requests.filter((r) => r.method === 'POST')).toHaveLength(0);

    await choose('wo-form-asset', 'AST-2026-00001 · Compressor 1');
    await choose('wo-form-type', 'Preventive');
    await typeInto('wo-form-title', 'Quarterly PM');
    await choose('wo-form-priority', 'High');
    await choose('wo-form-assignee', 'Tess Tech');
    await choose('wo-form-team', 'Mechanics');
    await choose('wo-form-template', 'Compressor PM (1 items)');
    await typeInto('wo-form-planned-minutes', '90');
    await click('wo-form-save');
    await vi.waitFor(() => expect(fieldError('wo-form-template')).toBe('no such active checklist template'));
    expect(fieldError('wo-form-title')).toBeUndefined();
    expect(requests.filter((r) => r.method === 'POST').map((r) => r.body)).toEqual([
      {
        type: 'preventive',
        assetId: '0196b000-0000-7000-8000-0000000b0001',
        title: 'Quarterly PM',
        description: null,
        priority: 'high',
        assigneeUserId: '0196b000-0000-7000-8000-0000000c0001',
        teamId: '0196b000-0000-7000-8000-0000000d0001',
        checklistTemplateId: TEMPLATE_ID,
        plannedMinutes: 90,
        takesOutOfService: false,
      },
    ]);

    await click('wo-form-save');
    await vi.waitFor(() => expect(router.currentRoute.value.path).toBe('/maintenance/work-orders/0196b000-0000-7000-8000-0000000a0009'));
    await vi.waitFor(() => expect(text('wo-heading')).toBe('WO-000009 Quarterly PM'));
  });
});
