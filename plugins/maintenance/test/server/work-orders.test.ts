import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoChange, expectProblem, problemFields, type TestPlatform } from '@quartermaster/testing';
import { permissions } from '../../src/shared/index.js';
import { MT, asset, bootMaintenance, caller, eventsSince, userWith } from './fixtures.js';
import { act, answerChecklist, assetCostTotal, getWorkOrder, hoursFromNow, slot, step, workOrder } from './work-orders.fixtures.js';

let t: TestPlatform;
let call: ReturnType<typeof caller>;
let templateId: string;
beforeAll(async () => {
  t = await bootMaintenance({ options: { defaultHourlyRate: '40', currencyMinorUnits: 2 } });
  call = caller(t);
  templateId = (
    await call(
      {
        method: 'POST',
        url: `${MT}/checklist-templates`,
        payload: {
          name: 'Pump service',
          items: [
            { kind: 'check', label: 'Coupling guard fitted' },
            { kind: 'reading', label: 'Discharge pressure', unit: 'bar', min: 2, max: 4 },
            { kind: 'text', label: 'Remarks', required: false },
          ],
        },
      },
      201,
    )
  ).id;
  for (const [kind, code] of [
    ['problem', 'LEAK'],
    ['cause', 'WEAR'],
    ['remedy', 'REPLACE'],
  ])
    await call({ method: 'POST', url: `${MT}/failure-codes`, payload: { kind, code, description: code } }, 201);
});
afterAll(() => t?.close());

describe('creating and listing', () => {
  it('creates an order by hand: requested, numbered, checklist copied, priority from criticality', async () => {
    const a = await asset(t, { name: 'Pump P-101' });
    const from = t.events.length;
    const wo = await workOrder(t, { assetId: a.id, title: 'Quarterly service', checklistTemplateId: templateId, dueOn: '2030-01-15', plannedMinutes: 90 });
    expect(wo).toMatchObject({
      number: expect.stringMatching(/^WO-\d{6}$/),
      type: 'preventive',
      status: 'requested',
      // An asset without a criticality counts as C: preventive work on it is low.
      priority: 'low',
      assetId: a.id,
      assetTag: a.tag,
      assetName: 'Pump P-101',
      dueOn: '2030-01-15',
      overdue: false,
      version: 1,
      allowedActions: ['approve', 'cancel'],
      labour: { plannedMinutes: 90, actualMinutes: 0, lines: [] },
      costs: { currency: 'EUR', labour: '0.00', parts: '0.00', external: '0.00', total: '0.00', posted: '0.00' },
    });
    expect(wo.checklist).toMatchObject({ total: 3, answered: 0, canComplete: false });
    expect(wo.checklist.items.map((i: { label: string }) => i.label)).toEqual(['Coupling guard fitted', 'Discharge pressure', 'Remarks']);
    expect(wo.history).toEqual([expect.objectContaining({ type: 'created', to: 'requested' })]);
    expect(eventsSince(t, from)).toEqual(['maintenance.work-order.created']);

    // A requested priority above the criticality floor is kept; A raises preventive work to high.
    await call({ method: 'PUT', url: `${MT}/assets/${a.id}/profile`, payload: { criticality: 'A' } }, 200);
    expect((await workOrder(t, { assetId: a.id, priority: 'urgent' })).priority).toBe('urgent');
    expect((await workOrder(t, { assetId: a.id, priority: 'low' })).priority).toBe('high');
  });

  it('refuses unknown references, naming them, and creates nothing', async () => {
    const a = await asset(t);
    const ghost = '00000000-0000-4000-8000-00000000000f';
    const res = await expectNoChange(t, () =>
      t.request({ method: 'POST', url: `${MT}/work-orders`, payload: { type: 'inspection', assetId: a.id, title: 'x', teamId: ghost, assigneeUserId: ghost, checklistTemplateId: ghost, partsLocationId: ghost } }),
    );
    expect(new Set(problemFields(expectProblem(res, 400, 'validation')))).toEqual(new Set(['teamId', 'assigneeUserId', 'checklistTemplateId', 'partsLocationId']));
    const noAsset = await expectNoChange(t, () => t.request({ method: 'POST', url: `${MT}/work-orders`, payload: { type: 'inspection', assetId: ghost, title: 'x' } }));
    expect(problemFields(expectProblem(noAsset, 400, 'validation'))).toEqual(['assetId']);
  });

  it('lists with filters for the board and calendar', async () => {
    const a = await asset(t, { name: 'Conveyor C-7' });
    const tech = await userWith(t, 'list-tech@example.test', [permissions.execute]);
    const late = await workOrder(t, { assetId: a.id, title: 'Belt tension', type: 'inspection', dueOn: '2020-01-01', assigneeUserId: tech.id });
    const future = await workOrder(t, { assetId: a.id, title: 'Gearbox oil', dueOn: '2099-06-01', status: 'approved' });
    await step(t, future.id, 'schedule', { scheduledStart: '2099-05-30T08:00:00Z', scheduledEnd: '2099-05-30T12:00:00Z' });

    const byAsset = await call({ method: 'GET', url: `${MT}/work-orders?assetId=${a.id}` }, 200);
    expect(byAsset.total).toBe(2);
    expect(byAsset.data.map((w: { id: string }) => w.id)).toEqual([late.id, future.id]);
    expect(byAsset.data[0]).toMatchObject({ assetTag: a.tag, assetName: 'Conveyor C-7', overdue: true, assigneeUserId: tech.id, assigneeName: 'list-tech' });

    const q = (qs: string) => call({ method: 'GET', url: `${MT}/work-orders?assetId=${a.id}&${qs}` }, 200).then((r) => r.data.map((w: { id: string }) => w.id));
    expect(await q('overdue=true')).toEqual([late.id]);
    expect(await q('status=scheduled&status=requested&sort=newest')).toEqual([future.id, late.id]);
    expect(await q('type=inspection')).toEqual([late.id]);
    expect(await q(`assigneeUserId=${tech.id}`)).toEqual([late.id]);
    expect(await q('dueFrom=2099-01-01&dueTo=2099-12-31')).toEqual([future.id]);
    expect(await q('scheduledFrom=2099-05-30T00:00:00Z&scheduledTo=2099-05-31T00:00:00Z')).toEqual([future.id]);
    expect(await q(`q=${encodeURIComponent(future.number)}`)).toEqual([future.id]);
    expect(await q('q=belt')).toEqual([late.id]);
    expect((await call({ method: 'GET', url: `${MT}/work-orders?q=${encodeURIComponent(a.tag)}` }, 200)).total).toBe(2);
    const page = await call({ method: 'GET', url: `${MT}/work-orders?assetId=${a.id}&limit=1&offset=1` }, 200);
    expect(page).toMatchObject({ total: 2, limit: 1, offset: 1, data: [{ id: future.id, scheduledStart: '2099-05-30T08:00:00.000Z' }] });
    const bad = await expectNoChange(t, () => t.request({ method: 'GET', url: `${MT}/work-orders?dueFrom=2030-02-01&dueTo=2030-01-01` }));
    expect(problemFields(expectProblem(bad, 400, 'validation'))).toEqual(['dueTo']);
  });
});

describe('lifecycle', () => {
  it('walks requested → approved → scheduled → in progress → on hold → in progress → completed → closed', async () => {
    const a = await asset(t);
    const wo = await workOrder(t, { assetId: a.id, checklistTemplateId: templateId });
    const from = t.events.length;
    await step(t, wo.id, 'approve', { note: 'Budget ok' });
    const window = slot();
    const scheduled = await step(t, wo.id, 'schedule', window);
    expect(scheduled).toMatchObject({ status: 'scheduled', scheduledStart: window.scheduledStart, scheduledEnd: window.scheduledEnd });
    await step(t, wo.id, 'start');
    const held = await step(t, wo.id, 'hold', { reason: 'Waiting for the electrician' });
    expect(held).toMatchObject({ status: 'on-hold', holdReason: 'Waiting for the electrician' });
    await step(t, wo.id, 'resume');

    // Completion waits for the required checklist items, and lists them.
    const early = await expectNoChange(t, () => act(t, wo.id, 'complete'));
    const problem = expectProblem(early, 409, 'maintenance/checklist-incomplete');
    expect((problem.items as { label: string }[]).map((i) => i.label)).toEqual(['Coupling guard fitted', 'Discharge pressure']);
    await answerChecklist(t, wo.id);
    const done = await step(t, wo.id, 'complete', { completionNote: 'All good' });
    expect(done).toMatchObject({ status: 'completed', completionNote: 'All good', completedAt: expect.any(String), allowedActions: ['reopen', 'close'] });

    const closed = await step(t, wo.id, 'close');
    expect(closed).toMatchObject({ status: 'closed', signedOffBy: 'admin@example.test', signedOffAt: expect.any(String), closedAt: expect.any(String), allowedActions: [] });
    expect(closed.history.filter((h: { from: string | null }) => h.from).map((h: { type: string }) => h.type)).toEqual([
      'approved',
      'scheduled',
      'started',
      'put-on-hold',
      'resumed',
      'completed',
      'closed',
    ]);
    const changes = t.events.slice(from).filter((e) => e.name === 'maintenance.work-order.status-changed');
    expect(changes.map((e) => (e.payload as { to: string }).to)).toEqual(['approved', 'scheduled', 'in-progress', 'on-hold', 'in-progress', 'completed', 'closed']);
    expect(changes[3].payload).toMatchObject({ from: 'in-progress', reason: 'Waiting for the electrician', number: wo.number, assetTag: a.tag });
    expect(eventsSince(t, from)).toContain('maintenance.work-order.completed');
  });

  it('refuses illegal transitions with 409 naming both states and the allowed ones, changing nothing', async () => {
    const a = await asset(t);
    const wo = await workOrder(t, { assetId: a.id });
    const res = await expectNoChange(t, () => act(t, wo.id, 'complete'));
    expect(expectProblem(res, 409, 'maintenance/illegal-transition')).toMatchObject({
      currentStatus: 'requested',
      requestedStatus: 'completed',
      action: 'complete',
      allowedStatuses: ['approved', 'cancelled'],
      allowedActions: ['approve', 'cancel'],
    });
    await step(t, wo.id, 'approve');
    await step(t, wo.id, 'start');
    // Work in progress is put on hold before it is cancelled.
    const cancel = await expectNoChange(t, () => act(t, wo.id, 'cancel', { reason: 'No longer needed' }));
    expect(expectProblem(cancel, 409, 'maintenance/illegal-transition')).toMatchObject({ currentStatus: 'in-progress', requestedStatus: 'cancelled' });
    await step(t, wo.id, 'hold', { reason: 'Parts' });
    await step(t, wo.id, 'cancel', { reason: 'No longer needed' });
    const final = await expectNoChange(t, () => act(t, wo.id, 'resume'));
    expect(expectProblem(final, 409, 'maintenance/illegal-transition')).toMatchObject({ currentStatus: 'cancelled', allowedStatuses: [] });
  });

  it('needs a window to schedule and a reason to hold, reopen or cancel', async () => {
    const a = await asset(t);
    const wo = await workOrder(t, { assetId: a.id, status: 'approved' });
    const noEnd = await expectNoChange(t, () => act(t, wo.id, 'schedule', { scheduledStart: hoursFromNow(1) }));
    expect(problemFields(expectProblem(noEnd, 400, 'validation'))).toEqual(['scheduledEnd']);
    const backwards = await expectNoChange(t, () => act(t, wo.id, 'schedule', { scheduledStart: hoursFromNow(3), scheduledEnd: hoursFromNow(1) }));
    expect(problemFields(expectProblem(backwards, 400, 'validation'))).toEqual(['scheduledEnd']);
    const blank = await expectNoChange(t, () => act(t, wo.id, 'cancel', { reason: '  ' }));
    expect(problemFields(expectProblem(blank, 400, 'validation'))).toEqual(['reason']);
    await step(t, wo.id, 'start');
    const noReason = await expectNoChange(t, () => act(t, wo.id, 'hold', {}));
    expect(problemFields(expectProblem(noReason, 400, 'validation'))).toEqual(['reason']);
    const unscheduled = await step(t, wo.id, 'hold', { reason: 'x' });
    expect(unscheduled.status).toBe('on-hold');
  });

  it('corrective work completes only with problem, cause and remedy codes from the catalogue', async () => {
    const a = await asset(t);
    const report = await call({ method: 'POST', url: `${MT}/breakdowns`, payload: { assetId: a.id, description: 'Seal leaks', problemCode: 'LEAK' } }, 201);
    await step(t, report.id, 'approve');
    await step(t, report.id, 'start');
    const missing = await expectNoChange(t, () => act(t, report.id, 'complete', {}));
    expect(new Set(problemFields(expectProblem(missing, 400, 'validation')))).toEqual(new Set(['causeCode', 'remedyCode']));
    const unknown = await expectNoChange(t, () => act(t, report.id, 'complete', { causeCode: 'GREMLINS', remedyCode: 'REPLACE' }));
    expect(problemFields(expectProblem(unknown, 400, 'validation'))).toEqual(['causeCode']);
    const done = await step(t, report.id, 'complete', { causeCode: 'WEAR', remedyCode: 'REPLACE' });
    expect(done).toMatchObject({ status: 'completed', problemCode: 'LEAK', causeCode: 'WEAR', remedyCode: 'REPLACE' });
  });

  it('separates who may do what: technicians execute, managers manage', async () => {
    const tech = await userWith(t, 'tech@example.test', [permissions.read, permissions.execute]);
    const a = await asset(t);
    const wo = await workOrder(t, { assetId: a.id });
    const approve = await expectNoChange(t, () => act(t, wo.id, 'approve', {}, tech.headers));
    expect(expectProblem(approve, 403, 'forbidden').permission).toBe(permissions.manage);
    await step(t, wo.id, 'approve');
    const started = await act(t, wo.id, 'start', {}, tech.headers);
    expect(started.statusCode, started.body).toBe(200);
    const completed = await act(t, wo.id, 'complete', {}, tech.headers);
    expect(completed.statusCode, completed.body).toBe(200);
    const close = await expectNoChange(t, () => act(t, wo.id, 'close', {}, tech.headers));
    expect(expectProblem(close, 403, 'forbidden').permission).toBe(permissions.manage);
  });

  it('two people starting or completing the same order at once: exactly one wins', async () => {
    const a = await asset(t);
    const wo = await workOrder(t, { assetId: a.id, status: 'approved' });
    await call({ method: 'POST', url: `${MT}/work-orders/${wo.id}/external-costs`, payload: { description: 'Call-out', amount: '80' } }, 201);
    const starts = await Promise.all([act(t, wo.id, 'start'), act(t, wo.id, 'start')]);
    expect(starts.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    expect(starts.find((r) => r.statusCode === 409)!.json().type).toMatch(/maintenance\/illegal-transition$/);
    const completes = await Promise.all([act(t, wo.id, 'complete'), act(t, wo.id, 'complete'), act(t, wo.id, 'complete')]);
    expect(completes.map((r) => r.statusCode).sort()).toEqual([200, 409, 409]);
    const detail = await getWorkOrder(t, wo.id);
    expect(detail.history.filter((h: { type: string }) => h.type === 'completed')).toHaveLength(1);
    expect(await assetCostTotal(t, a.id)).toBe('80.00');
  });
});

describe('editing', () => {
  it('changes fields with an optimistic version; stale versions and finished orders are refused', async () => {
    const a = await asset(t);
    const team = await call({ method: 'POST', url: `${MT}/teams`, payload: { name: 'Edit team' } }, 201);
    const wo = await workOrder(t, { assetId: a.id });
    const from = t.events.length;
    const edited = await call({ method: 'PATCH', url: `${MT}/work-orders/${wo.id}`, payload: { version: 1, title: 'Renamed', priority: 'high', teamId: team.id, plannedMinutes: 45 } }, 200);
    expect(edited).toMatchObject({ title: 'Renamed', priority: 'high', teamId: team.id, teamName: 'Edit team', plannedMinutes: 45, version: 2 });
    expect(edited.history.at(-1)).toMatchObject({ type: 'updated', data: { fields: ['title', 'priority', 'teamId', 'plannedMinutes'] } });
    expect(eventsSince(t, from)).toEqual(['maintenance.work-order.updated']);

    const stale = await expectNoChange(t, () => t.request({ method: 'PATCH', url: `${MT}/work-orders/${wo.id}`, payload: { version: 1, title: 'Lost update' } }));
    expect(expectProblem(stale, 409, 'stale-version').currentVersion).toBe(2);

    await step(t, wo.id, 'approve');
    await step(t, wo.id, 'start');
    const late = await expectNoChange(t, () => t.request({ method: 'PATCH', url: `${MT}/work-orders/${wo.id}`, payload: { version: 4, takesOutOfService: true } }));
    expect(expectProblem(late, 409, 'maintenance/wrong-status').currentStatus).toBe('in-progress');
    await step(t, wo.id, 'complete');
    const done = await expectNoChange(t, () => t.request({ method: 'PATCH', url: `${MT}/work-orders/${wo.id}`, payload: { version: 5, title: 'Too late' } }));
    expect(expectProblem(done, 409, 'maintenance/wrong-status').currentStatus).toBe('completed');
  });
});

describe('checklist execution', () => {
  it('answers one item at a time while in progress; out-of-range readings fail without being refused', async () => {
    const a = await asset(t);
    const wo = await workOrder(t, { assetId: a.id, status: 'approved', checklistTemplateId: templateId });
    const [check, reading, text] = wo.checklist.items;
    const put = (itemId: string, payload: Record<string, unknown>) => t.request({ method: 'PUT', url: `${MT}/work-orders/${wo.id}/checklist/${itemId}`, payload });
    const notYet = await expectNoChange(t, () => put(check.id, { passed: true }));
    expect(expectProblem(notYet, 409, 'maintenance/wrong-status').requiredStatuses).toEqual(['in-progress']);
    await step(t, wo.id, 'start');

    const from = t.events.length;
    const r1 = await put(reading.id, { value: '4.7', note: 'Gauge flickers' });
    expect(r1.statusCode, r1.body).toBe(200);
    expect(r1.json()).toMatchObject({
      item: { id: reading.id, answered: true, passed: false, value: '4.7', note: 'Gauge flickers', answeredBy: 'admin@example.test' },
      checklist: { total: 3, answered: 1, canComplete: false, failed: [{ itemId: reading.id, reason: 'reading 4.7 bar is above the maximum 4 bar' }] },
    });
    expect(eventsSince(t, from)).toEqual(['maintenance.work-order.updated']);

    const wrongField = await expectNoChange(t, () => put(check.id, { value: 3 }));
    expect(new Set(problemFields(expectProblem(wrongField, 400, 'validation')))).toEqual(new Set(['value', 'passed']));
    const r2 = (await put(check.id, { passed: false })).json();
    expect(r2.item).toMatchObject({ passed: false, answered: true });
    expect(r2.checklist).toMatchObject({ answered: 2, canComplete: true });
    const r3 = (await put(text.id, { text: ' Replace gauge next time ' })).json();
    expect(r3.item).toMatchObject({ text: 'Replace gauge next time', passed: null, answered: true });
    // Clearing a reading makes it required again.
    const r4 = (await put(reading.id, { value: null })).json();
    expect(r4.item).toMatchObject({ answered: false, value: null, passed: null });
    expect(r4.checklist.canComplete).toBe(false);
    await put(reading.id, { value: 3 });
    const done = await step(t, wo.id, 'complete');
    expect(done.checklist).toMatchObject({ canComplete: true, failed: [{ itemId: check.id, reason: 'answered fail' }] });
    await call({ method: 'PUT', url: `${MT}/work-orders/${wo.id}/checklist/${reading.id}`, payload: { value: 3 } }, 409);
  });
});

describe('adding a checklist to an order made without one', () => {
  it('gives a breakdown order a template\'s items, which are answered as usual; bad input and finished orders change nothing', async () => {
    const a = await asset(t);
    const report = await call({ method: 'POST', url: `${MT}/breakdowns`, payload: { assetId: a.id, description: 'Pump rattles', problemCode: 'LEAK' } }, 201);
    const wo = await getWorkOrder(t, report.id);
    expect(wo.checklist).toMatchObject({ total: 0, items: [] });
    const add = (id: string, payload: Record<string, unknown>, headers?: Record<string, string>) =>
      headers ? t.app.inject({ method: 'POST', url: `${MT}/work-orders/${id}/checklist`, payload, headers }) : t.request({ method: 'POST', url: `${MT}/work-orders/${id}/checklist`, payload });

    // Unknown and inactive templates are refused naming templateId; nothing changes.
    const unknown = await expectNoChange(t, () => add(wo.id, { templateId: '00000000-0000-4000-8000-00000000000f' }));
    expect(problemFields(expectProblem(unknown, 400, 'validation'))).toEqual(['templateId']);
    const retired = await call({ method: 'POST', url: `${MT}/checklist-templates`, payload: { name: 'Retired checks', items: [{ kind: 'check', label: 'Old check' }] } }, 201);
    await call({ method: 'PATCH', url: `${MT}/checklist-templates/${retired.id}`, payload: { version: retired.version, active: false } }, 200);
    const inactive = await expectNoChange(t, () => add(wo.id, { templateId: retired.id }));
    expect(problemFields(expectProblem(inactive, 400, 'validation'))).toEqual(['templateId']);

    // A technician (execute) adds it; the items are copied in order, with history, audit and event.
    const tech = await userWith(t, 'checklist-tech@example.test', [permissions.read, permissions.execute]);
    const from = t.events.length;
    const res = await add(wo.id, { templateId }, tech.headers);
    expect(res.statusCode, res.body).toBe(201);
    const added = res.json();
    expect(added).toMatchObject({ id: wo.id, version: wo.version + 1, checklist: { total: 3, answered: 0, canComplete: false } });
    expect(added.checklist.items.map((i: { position: number; label: string }) => [i.position, i.label])).toEqual([
      [1, 'Coupling guard fitted'],
      [2, 'Discharge pressure'],
      [3, 'Remarks'],
    ]);
    expect(added.history.at(-1)).toMatchObject({ type: 'checklist-added', actor: 'checklist-tech@example.test', data: { templateId, templateName: 'Pump service', items: 3 } });
    expect(eventsSince(t, from)).toEqual(['maintenance.work-order.updated']);
    expect(t.events.at(-1)!.payload).toMatchObject({ id: wo.id, changes: ['checklist'] });
    const [audit] = await t.sql<{ action: string }>(`SELECT action FROM core_audit WHERE entity_id = $1 ORDER BY id DESC LIMIT 1`, [wo.id]);
    expect(audit.action).toBe('checklist-added');

    // The checklist now gates completion and is answered like any other.
    await step(t, wo.id, 'approve');
    await step(t, wo.id, 'start');
    const blocked = await expectNoChange(t, () => act(t, wo.id, 'complete', { causeCode: 'WEAR', remedyCode: 'REPLACE' }));
    expectProblem(blocked, 409, 'maintenance/checklist-incomplete');
    await answerChecklist(t, wo.id);
    const done = await step(t, wo.id, 'complete', { causeCode: 'WEAR', remedyCode: 'REPLACE' });
    expect(done).toMatchObject({ status: 'completed', checklist: { total: 3, canComplete: true } });

    // Not once the work is completed.
    const late = await expectNoChange(t, () => add(wo.id, { templateId }));
    expect(expectProblem(late, 409, 'maintenance/wrong-status').currentStatus).toBe('completed');
  });
});

describe('checklist readings on measurement points', () => {
  it('records a reading item with a point code on the asset\'s point, and skips assets without that point', async () => {
    const tpl = await call({ method: 'POST', url: `${MT}/checklist-templates`, payload: { name: 'Bearing check', items: [{ kind: 'reading', label: 'Bearing temperature', unit: '°C', max: 80, pointCode: 'bearing.temp' }] } }, 201);
    const a = await asset(t);
    await call({ method: 'POST', url: `${MT}/assets/${a.id}/points`, payload: { code: 'bearing.temp', name: 'Bearing temperature', kind: 'gauge', unit: '°C' } }, 201);
    const wo = await workOrder(t, { assetId: a.id, status: 'approved', checklistTemplateId: tpl.id });
    await step(t, wo.id, 'start');
    const item = wo.checklist.items[0];
    const from = t.events.length;
    const answer = await call({ method: 'PUT', url: `${MT}/work-orders/${wo.id}/checklist/${item.id}`, payload: { value: '85.5' } }, 200);
    expect(answer.item).toMatchObject({ passed: false, value: '85.5' });
    expect(answer.reading).toMatchObject({ pointCode: 'bearing.temp', status: 'accepted', reason: null });
    expect(eventsSince(t, from)).toEqual(expect.arrayContaining(['maintenance.reading.recorded', 'maintenance.work-order.updated']));
    const readings = await t.sql<{ value: string; source: string }>(
      `SELECT r.value::text AS value, r.source FROM maintenance_reading r JOIN maintenance_measurement_point p ON p.id = r.point_id WHERE p.asset_id = $1`,
      [a.id],
    );
    expect(readings).toEqual([{ value: '85.5', source: `work-order:${wo.number}` }]);

    const b = await asset(t);
    const other = await workOrder(t, { assetId: b.id, status: 'approved', checklistTemplateId: tpl.id });
    await step(t, other.id, 'start');
    const noPoint = await call({ method: 'PUT', url: `${MT}/work-orders/${other.id}/checklist/${other.checklist.items[0].id}`, payload: { value: 60 } }, 200);
    expect(noPoint).toMatchObject({ item: { passed: true, value: '60' }, reading: null });
    expect((await getWorkOrder(t, other.id)).history.at(-1).data).toMatchObject({ pointMissing: 'bearing.temp' });
  });
});

describe('labour and external costs', () => {
  it('rates labour technician → team → default and rounds the cost half-even to the minor unit', async () => {
    const own = await userWith(t, 'own-rate@example.test', [permissions.execute]);
    const member = await userWith(t, 'member@example.test', [permissions.execute]);
    const nobody = await userWith(t, 'no-rate@example.test', [permissions.execute]);
    await call({ method: 'PUT', url: `${MT}/technicians/${own.id}`, payload: { hourlyRate: '2.5' } }, 200);
    const team = await call({ method: 'POST', url: `${MT}/teams`, payload: { name: 'Rated team', hourlyRate: '61', memberIds: [member.id, own.id] } }, 201);
    const a = await asset(t);
    const wo = await workOrder(t, { assetId: a.id, status: 'approved', plannedMinutes: 60, teamId: team.id });
    await call({ method: 'POST', url: `${MT}/work-orders/${wo.id}/labour`, payload: { userId: own.id, minutes: 3 } }, 409);
    await step(t, wo.id, 'start');
    // 3 min × 2.50/h = 0.125 → 0.12 (half-even); 7 min × 61/h = 7.1166… → 7.12; 90 min × 40/h (default) = 60.00
    await call({ method: 'POST', url: `${MT}/work-orders/${wo.id}/labour`, payload: { userId: own.id, minutes: 3 } }, 201);
    await call({ method: 'POST', url: `${MT}/work-orders/${wo.id}/labour`, payload: { userId: member.id, minutes: 7, startedAt: hoursFromNow(-1) } }, 201);
    const last = await call({ method: 'POST', url: `${MT}/work-orders/${wo.id}/labour`, payload: { userId: nobody.id, minutes: 90, note: 'Night shift' } }, 201);
    expect(last.labour.lines.map((l: { hourlyRate: string; cost: string }) => [l.hourlyRate, l.cost])).toEqual([
      ['2.5', '0.12'],
      ['61', '7.12'],
      ['40', '60.00'],
    ]);
    expect(last.labour).toMatchObject({ plannedMinutes: 60, actualMinutes: 100 });
    expect(last.costs).toMatchObject({ labour: '67.24', total: '67.24' });

    const removed = await call({ method: 'DELETE', url: `${MT}/work-orders/${wo.id}/labour/${last.labour.lines[2].id}` }, 200);
    expect(removed.costs.labour).toBe('7.24');
    const unknownUser = await expectNoChange(t, () => t.request({ method: 'POST', url: `${MT}/work-orders/${wo.id}/labour`, payload: { userId: '00000000-0000-4000-8000-000000000077', minutes: 5 } }));
    expect(problemFields(expectProblem(unknownUser, 400, 'validation'))).toEqual(['userId']);
  });

  it('records external costs; amounts need the currency\'s decimals at most and no future date', async () => {
    const a = await asset(t);
    const wo = await workOrder(t, { assetId: a.id });
    const added = await call({ method: 'POST', url: `${MT}/work-orders/${wo.id}/external-costs`, payload: { vendor: 'Hydro Ltd', description: 'Pump rebuild', reference: 'INV-9', amount: 1250.5, incurredOn: '2026-01-10' } }, 201);
    expect(added.externalCosts).toEqual([expect.objectContaining({ vendor: 'Hydro Ltd', description: 'Pump rebuild', reference: 'INV-9', amount: '1250.50', incurredOn: '2026-01-10' })]);
    expect(added.costs).toMatchObject({ external: '1250.50', total: '1250.50' });
    const bad = await expectNoChange(t, () => t.request({ method: 'POST', url: `${MT}/work-orders/${wo.id}/external-costs`, payload: { description: 'x', amount: '1.005', incurredOn: '2999-01-01' } }));
    expect(new Set(problemFields(expectProblem(bad, 400, 'validation')))).toEqual(new Set(['amount', 'incurredOn']));
    const removed = await call({ method: 'DELETE', url: `${MT}/work-orders/${wo.id}/external-costs/${added.externalCosts[0].id}` }, 200);
    expect(removed.costs.total).toBe('0.00');
  });
});

describe('costs to the asset', () => {
  it('posts the total on completion, only the difference after a reopen, and emits the breakdown', async () => {
    const tech = await userWith(t, 'coster@example.test', [permissions.execute]);
    await call({ method: 'PUT', url: `${MT}/technicians/${tech.id}`, payload: { hourlyRate: '30' } }, 200);
    const a = await asset(t);
    const wo = await workOrder(t, { assetId: a.id, type: 'corrective', status: 'approved' });
    await step(t, wo.id, 'start');
    await call({ method: 'POST', url: `${MT}/work-orders/${wo.id}/labour`, payload: { userId: tech.id, minutes: 120 } }, 201);
    await call({ method: 'POST', url: `${MT}/work-orders/${wo.id}/external-costs`, payload: { description: 'Crane hire', amount: '200' } }, 201);
    const from = t.events.length;
    const done = await step(t, wo.id, 'complete', { problemCode: 'LEAK', causeCode: 'WEAR', remedyCode: 'REPLACE' });
    expect(done.costs).toMatchObject({ labour: '60.00', external: '200.00', total: '260.00', posted: '260.00' });
    const completed = t.events.slice(from).find((e) => e.name === 'maintenance.work-order.completed')!;
    expect(completed.payload).toMatchObject({ id: wo.id, number: wo.number, currency: 'EUR', labourCost: '60.00', partsCost: '0.00', externalCost: '200.00', totalCost: '260.00' });
    expect(eventsSince(t, from)).toContain('fixed-assets.asset.cost-posted');

    const costs = await call({ method: 'GET', url: `/api/fixed-assets/assets/${a.id}/costs` }, 200);
    expect(costs.data).toEqual([expect.objectContaining({ kind: 'repair', amount: '260.00', source: 'maintenance', sourceRef: wo.id })]);

    // Reopen, add labour, complete again: only the 15.00 added is posted, under a new reference.
    await step(t, wo.id, 'reopen', { reason: 'Leaks again' });
    const locked = await expectNoChange(t, () => t.request({ method: 'DELETE', url: `${MT}/work-orders/${wo.id}/labour/${done.labour.lines[0].id}` }));
    expectProblem(locked, 409, 'maintenance/cost-posted');
    await call({ method: 'POST', url: `${MT}/work-orders/${wo.id}/labour`, payload: { userId: tech.id, minutes: 30 } }, 201);
    const again = await step(t, wo.id, 'complete');
    expect(again.costs).toMatchObject({ total: '275.00', posted: '275.00' });
    const after = await call({ method: 'GET', url: `/api/fixed-assets/assets/${a.id}/costs` }, 200);
    expect(Object.fromEntries(after.data.map((c: { sourceRef: string; amount: string }) => [c.sourceRef, c.amount]))).toEqual({ [wo.id]: '260.00', [`${wo.id}#2`]: '15.00' });
    expect(after.totals.amount).toBe('275.00');
    // Reopening and completing with nothing new posts nothing more.
    await step(t, wo.id, 'reopen', { reason: 'Check again' });
    await step(t, wo.id, 'complete');
    expect(await assetCostTotal(t, a.id)).toBe('275.00');
  });

  it('kinds follow the type: calibration → calibration, preventive and inspection → maintenance', async () => {
    const a = await asset(t);
    for (const type of ['calibration', 'inspection']) {
      const wo = await workOrder(t, { assetId: a.id, type, status: 'approved' });
      await call({ method: 'POST', url: `${MT}/work-orders/${wo.id}/external-costs`, payload: { description: 'Lab', amount: '10' } }, 201);
      await step(t, wo.id, 'start');
      await step(t, wo.id, 'complete');
    }
    const costs = await call({ method: 'GET', url: `/api/fixed-assets/assets/${a.id}/costs` }, 200);
    expect(costs.totals.byKind).toMatchObject({ calibration: '10.00', maintenance: '10.00' });
  });

  it('a plan\'s order records the completion day and the meter total on the plan state', async () => {
    const a = await asset(t);
    // Plan, meter and generated order are stored directly: generation is another area's.
    const [plan] = await t.sql<{ id: string }>(
      `INSERT INTO maintenance_plan (code, name, trigger_kind, trigger_config, work_order_type, asset_id, point_code) VALUES ('OIL-250', 'Oil every 250 h', 'meter', '{"every": "250"}', 'preventive', $1, 'hours') RETURNING id`,
      [a.id],
    );
    await t.sql(`INSERT INTO maintenance_measurement_point (asset_id, code, name, kind, unit, total, last_value) VALUES ($1, 'hours', 'Run hours', 'meter', 'h', 1234.5, 1234.5)`, [a.id]);
    const [row] = await t.sql<{ id: string }>(
      `INSERT INTO maintenance_work_order (type, status, priority, asset_id, title, plan_id, due_key, due_total, currency, created_by_label) VALUES ('preventive', 'approved', 'low', $1, 'Oil change', $2, 'meter:1250', 1250, 'EUR', 'test') RETURNING id`,
      [a.id, plan.id],
    );
    await step(t, row.id, 'start');
    await step(t, row.id, 'complete');
    const [state] = await t.sql<{ last_completed_on: string; last_completed_total: string }>(
      `SELECT last_completed_on::text AS last_completed_on, last_completed_total::text AS last_completed_total FROM maintenance_plan_state WHERE plan_id = $1 AND asset_id = $2`,
      [plan.id, a.id],
    );
    expect(state).toEqual({ last_completed_on: new Date().toISOString().slice(0, 10), last_completed_total: '1234.5' });
  });
});

describe('attachments', () => {
  it('uploads, downloads with its media type, and deletes a file', async () => {
    const a = await asset(t);
    const wo = await workOrder(t, { assetId: a.id });
    const content = Buffer.from('%PDF-1.4 report');
    const att = await call({ method: 'POST', url: `${MT}/work-orders/${wo.id}/attachments`, payload: { fileName: 'report.pdf', mediaType: 'application/pdf', content: content.toString('base64') } }, 201);
    expect(att).toMatchObject({ workOrderId: wo.id, fileName: 'report.pdf', mediaType: 'application/pdf', size: content.length, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect((await getWorkOrder(t, wo.id)).attachments).toEqual([att]);
    const dl = await t.request({ method: 'GET', url: `${MT}/work-orders/${wo.id}/attachments/${att.id}` });
    expect(dl.statusCode).toBe(200);
    expect(dl.headers['content-type']).toBe('application/pdf');
    expect(dl.headers['content-disposition']).toBe("attachment; filename*=UTF-8''report.pdf");
    expect(dl.rawPayload.equals(content)).toBe(true);
    const bad = await expectNoChange(t, () => t.request({ method: 'POST', url: `${MT}/work-orders/${wo.id}/attachments`, payload: { fileName: 'x.png', mediaType: 'image/png', content: 'not base64!' } }));
    expect(problemFields(expectProblem(bad, 400, 'validation'))).toEqual(['content']);
    const big = Buffer.alloc(1_572_865, 1).toString('base64');
    const tooBig = await expectNoChange(t, () => t.request({ method: 'POST', url: `${MT}/work-orders/${wo.id}/attachments`, payload: { fileName: 'x.bin', mediaType: 'application/octet-stream', content: big } }));
    expect(problemFields(expectProblem(tooBig, 400, 'validation'))).toEqual(['content']);
    await call({ method: 'DELETE', url: `${MT}/work-orders/${wo.id}/attachments/${att.id}` }, 204);
    await call({ method: 'GET', url: `${MT}/work-orders/${wo.id}/attachments/${att.id}` }, 404);
    expect((await getWorkOrder(t, wo.id)).history.map((h: { type: string }) => h.type)).toEqual(['created', 'attachment-added', 'attachment-removed']);
  });
});
