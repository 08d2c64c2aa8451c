import { delay, http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import {
  ITEM_ID,
  NOW,
  WO_ID,
  all,
  checklistItem,
  checklistStatus,
  choose,
  click,
  fieldError,
  makeDetail,
  maintenanceLookups,
  paged,
  problem,
  q,
  renderMaintenance,
  requests,
  server,
  settle,
  text,
  typeIn,
  typeInto,
} from './harness';

const row = (label: string) => all('checklist-item').find((r) => r.textContent?.includes(label))!;
const detailLoads = () => requests.filter((r) => r.method === 'GET' && r.url.pathname === `/api/maintenance/work-orders/${WO_ID}`).length;

// Long user flows through the whole shell: give them room when the machine is busy.
describe('work order page', { timeout: 60_000 }, () => {
  it('saves each checklist answer on its own, one request after the other, and shows an out-of-range reading as failed', async () => {
    maintenanceLookups();
    const items = [
      checklistItem(1, 'check', 'Belt tension OK'),
      checklistItem(2, 'reading', 'Oil pressure', { unit: 'bar', min: '2', max: '4' }),
      checklistItem(3, 'text', 'Remarks', { required: false }),
    ];
    let inFlight = 0;
    let most = 0;
    server.use(
      http.get(`*/api/maintenance/work-orders/${WO_ID}`, () => HttpResponse.json(makeDetail(1, { status: 'in-progress', checklistItems: items }))),
      http.put(`*/api/maintenance/work-orders/${WO_ID}/checklist/:itemId`, async ({ params, request }) => {
        inFlight += 1;
        most = Math.max(most, inFlight);
        const body = (await request.json()) as { passed?: boolean | null; value?: string | null; text?: string | null };
        await delay(40);
        const i = items.findIndex((x) => x.id === params.itemId);
        const it = { ...items[i]!, answered: true, answeredBy: 'Ada Admin', answeredAt: '2026-11-23T10:05:00.000Z' };
        if (it.kind === 'check') it.passed = body.passed ?? null;
        if (it.kind === 'reading') Object.assign(it, { value: body.value, passed: Number(body.value) >= 2 && Number(body.value) <= 4 });
        if (it.kind === 'text') it.text = body.text ?? null;
        items[i] = it;
        inFlight -= 1;
        return HttpResponse.json({ item: it, checklist: checklistStatus(items), reading: null });
      }),
    );
    await renderMaintenance(`/maintenance/work-orders/${WO_ID}`);
    await vi.waitFor(() => expect(all('checklist-item')).toHaveLength(3));
    expect(text('checklist-progress')).toBe('0 of 3 answered');
    expect(all('checklist-blocking-item').map((e) => e.textContent?.replace(/\s+/g, ' ').trim())).toEqual([
      'Belt tension OK — required check not answered',
      'Oil pressure — required reading missing',
    ]);
    expect(text('checklist-range', row('Oil pressure'))).toBe('2 – 4 bar');

    // A number that is not one is caught here, nothing is sent.
    await typeIn(row('Oil pressure'), 'checklist-value', 'abc');
    expect(text('checklist-saved', row('Oil pressure'))).toContain('Not saved: Enter a number');
    expect(requests.filter((r) => r.method === 'PUT')).toHaveLength(0);

    // Three answers in quick succession: pass, a reading above the maximum, a remark.
    q('checklist-pass', row('Belt tension OK'))!.click();
    await typeIn(row('Oil pressure'), 'checklist-value', '5');
    await typeIn(row('Remarks'), 'checklist-text', 'Belt slightly worn');
    await vi.waitFor(() => expect(all('checklist-saved').map((e) => e.dataset.state)).toEqual(['saved', 'saved', 'saved']));

    const puts = requests.filter((r) => r.method === 'PUT');
    expect(puts.map((r) => r.url.pathname.split('/').at(-1))).toEqual(items.map((i) => i.id));
    expect(puts.map((r) => r.body)).toEqual([{ passed: true }, { value: '5' }, { text: 'Belt slightly worn' }]);
    expect(most).toBe(1);

    expect(text('checklist-saved', row('Belt tension OK'))).toBe('✓ Saved');
    expect(row('Belt tension OK').dataset.state).toBe('done');
    expect(row('Oil pressure').dataset.state).toBe('failed');
    expect(text('checklist-item-failed', row('Oil pressure'))).toBe('Out of range (2 – 4 bar)');
    expect(text('checklist-progress')).toBe('3 of 3 answered');
    expect(text('checklist-failed-count')).toBe('1 failed');
    expect(q('checklist-blocking')).toBeNull();
    expect(q('checklist-complete')).not.toBeNull();

    // Back in range (typed with a decimal comma): no longer failed.
    await typeIn(row('Oil pressure'), 'checklist-value', '3,5');
    await vi.waitFor(() => expect(row('Oil pressure').dataset.state).toBe('done'));
    expect(requests.filter((r) => r.method === 'PUT').at(-1)!.body).toEqual({ value: '3.5' });
    expect(q('checklist-item-failed', row('Oil pressure'))).toBeNull();
  });

  it("shows the server's refusal to complete with the checklist items it names", async () => {
    maintenanceLookups();
    // The page saw the checklist complete; the server knows better (another technician cleared an answer).
    const items = [checklistItem(1, 'check', 'Belt tension OK', { answered: true, passed: true })];
    server.use(
      http.get(`*/api/maintenance/work-orders/${WO_ID}`, () => HttpResponse.json(makeDetail(1, { status: 'in-progress', version: 7, checklistItems: items }))),
      http.post(`*/api/maintenance/work-orders/${WO_ID}/complete`, () =>
        problem(409, 'maintenance/checklist-incomplete', 'Checklist incomplete', 'Work order WO-000001 has 2 checklist item(s) to finish: Belt tension OK (required check not answered); Oil pressure (required reading missing)', {
          workOrderId: WO_ID,
          items: [
            { itemId: items[0]!.id, label: 'Belt tension OK', reason: 'required check not answered' },
            { itemId: '0196b000-0000-7000-8000-000000019999', label: 'Oil pressure', reason: 'required reading missing' },
          ],
        }),
      ),
    );
    await renderMaintenance(`/maintenance/work-orders/${WO_ID}`);
    await vi.waitFor(() => expect(q('wo-action-complete')).not.toBeNull());
    expect(text('wo-status')).toBe('In progress');
    expect(all('wo-actions').flatMap((a) => [...a.querySelectorAll('button')].map((b) => b.dataset.testid))).toEqual(['wo-action-hold', 'wo-action-complete']);

    await click('wo-action-complete');
    await vi.waitFor(() => expect(q('action-submit')).not.toBeNull());
    expect(q('action-blocking')).toBeNull();
    await typeInto('action-completion-note', 'Done');
    const loads = detailLoads();
    await click('action-submit');
    await vi.waitFor(() => expect(all('action-blocking-item')).toHaveLength(2));
    expect(all('action-blocking-item').map((e) => e.textContent?.replace(/\s+/g, ' ').trim())).toEqual([
      'Belt tension OK — required check not answered',
      'Oil pressure — required reading missing',
    ]);
    expect(text('action-error')).toContain('has 2 checklist item(s) to finish');
    expect(requests.filter((r) => r.method === 'POST').map((r) => r.body)).toEqual([{ version: 7, completionNote: 'Done' }]);
    // Still open for another go; the page reloads the order to show the checklist as it is.
    expect(q('action-submit')).not.toBeNull();
    await vi.waitFor(() => expect(detailLoads()).toBe(loads + 1));
  });

  it('asks for the failure codes of corrective work before completing it', async () => {
    maintenanceLookups();
    server.use(
      http.get(`*/api/maintenance/work-orders/${WO_ID}`, () =>
        HttpResponse.json(makeDetail(1, { type: 'corrective', status: 'in-progress', version: 2, problemCode: 'LEAK', reportedBy: 'Pat Operator', reportedAt: '2026-11-23T08:00:00.000Z', assetDown: true })),
      ),
      http.post(`*/api/maintenance/work-orders/${WO_ID}/complete`, () =>
        HttpResponse.json(makeDetail(1, { type: 'corrective', status: 'completed', version: 3, problemCode: 'LEAK', causeCode: 'WEAR', remedyCode: 'REPLACE', completionNote: 'Seal replaced' })),
      ),
    );
    await renderMaintenance(`/maintenance/work-orders/${WO_ID}`);
    await vi.waitFor(() => expect(q('wo-action-complete')).not.toBeNull());
    expect(q('wo-asset-down')).not.toBeNull();
    expect(text('wo-failure-codes')).toBe('Problem LEAK');

    await click('wo-action-complete');
    // The problem named on the breakdown report is already chosen.
    await vi.waitFor(() => expect(q('action-problem-code')!.textContent).toContain('LEAK — Leaking'));
    await click('action-submit');
    await vi.waitFor(() => expect(fieldError('action-cause-code')).toBe('Corrective work needs a cause code'));
    await vi.waitFor(() => expect(fieldError('action-remedy-code')).toBe('Corrective work needs a remedy code'));
    expect(fieldError('action-problem-code')).toBeUndefined();
    expect(requests.filter((r) => r.method === 'POST')).toHaveLength(0);

    await choose('action-cause-code', 'WEAR — Wear');
    await choose('action-remedy-code', 'REPLACE — Replaced the part');
    await typeInto('action-completion-note', 'Seal replaced');
    await click('action-submit');
    await vi.waitFor(() => expect(text('wo-status')).toBe('Completed'));
    expect(requests.filter((r) => r.method === 'POST').map((r) => [r.url.pathname, r.body])).toEqual([
      [`/api/maintenance/work-orders/${WO_ID}/complete`, { version: 2, problemCode: 'LEAK', causeCode: 'WEAR', remedyCode: 'REPLACE', completionNote: 'Seal replaced' }],
    ]);
    expect(text('wo-failure-codes')).toBe('Problem LEAK · Cause WEAR · Remedy REPLACE');
    expect(all('wo-actions').flatMap((a) => [...a.querySelectorAll('button')].map((b) => b.dataset.testid))).toEqual(['wo-action-reopen', 'wo-action-close']);
  });

  it('gives an order without a checklist the items of a template, then sends the new version', async () => {
    maintenanceLookups();
    const template = (id: string, name: string, labels: string[]) => ({
      id,
      name,
      description: null,
      items: labels.map((label) => ({ kind: 'check', label, required: true, unit: null, min: null, max: null, pointCode: null })),
      version: 1,
      active: true,
      createdAt: '2026-11-01T08:00:00.000Z',
      updatedAt: '2026-11-01T08:00:00.000Z',
    });
    const RETIRED = '0196b000-0000-7000-8000-000000019001';
    const PUMP = '0196b000-0000-7000-8000-000000019002';
    const items = [
      checklistItem(1, 'check', 'Coupling guard fitted'),
      checklistItem(2, 'reading', 'Discharge pressure', { unit: 'bar', min: '2', max: '4' }),
      checklistItem(3, 'text', 'Remarks', { required: false }),
    ];
    const corrective = { type: 'corrective', problemCode: 'LEAK', reportedBy: 'Pat Operator', reportedAt: NOW };
    server.use(
      http.get('*/api/maintenance/checklist-templates', ({ request }) => paged([template(RETIRED, 'Old checks', ['Old check']), template(PUMP, 'Pump service', ['a', 'b', 'c'])], request.url)),
      http.get(`*/api/maintenance/work-orders/${WO_ID}`, () => HttpResponse.json(makeDetail(1, { ...corrective, status: 'requested', version: 1 }))),
      http.post(`*/api/maintenance/work-orders/${WO_ID}/checklist`, async ({ request }) => {
        const body = (await request.json()) as { templateId: string };
        if (body.templateId === RETIRED) return problem(400, 'validation', 'Invalid input', undefined, { errors: [{ field: 'templateId', message: 'no such active checklist template' }] });
        return HttpResponse.json(makeDetail(1, { ...corrective, status: 'requested', version: 2, checklistItems: items }), { status: 201 });
      }),
      http.post(`*/api/maintenance/work-orders/${WO_ID}/approve`, () => HttpResponse.json(makeDetail(1, { ...corrective, status: 'approved', version: 3, checklistItems: items }))),
    );
    await renderMaintenance(`/maintenance/work-orders/${WO_ID}`);
    await vi.waitFor(() => expect(q('checklist-template')).not.toBeNull());
    document.querySelector<HTMLElement>('#tab-checklist')!.click();
    await settle();
    expect(text('checklist-empty')).toBe('This work order has no checklist.');
    expect((q('checklist-template-add') as HTMLButtonElement).disabled).toBe(true);

    // A template retired meanwhile: the server's refusal shows, the order stays as it was.
    await choose('checklist-template', 'Old checks (1 items)');
    await click('checklist-template-add');
    await vi.waitFor(() => expect(text('checklist-template-error')).toBe('no such active checklist template'));
    expect(q('checklist-empty')).not.toBeNull();
    expect(all('checklist-item')).toHaveLength(0);

    await choose('checklist-template', 'Pump service (3 items)');
    await click('checklist-template-add');
    await vi.waitFor(() => expect(all('checklist-item')).toHaveLength(3));
    expect(requests.filter((r) => r.method === 'POST').map((r) => [r.url.pathname, r.body])).toEqual([
      [`/api/maintenance/work-orders/${WO_ID}/checklist`, { templateId: RETIRED }],
      [`/api/maintenance/work-orders/${WO_ID}/checklist`, { templateId: PUMP }],
    ]);
    expect(q('checklist-empty')).toBeNull();
    expect(q('checklist-template-error')).toBeNull();
    expect(text('checklist-progress')).toBe('0 of 3 answered');
    expect(all('checklist-label').map((e) => e.textContent?.replace(/\s+/g, ' ').trim())).toEqual(['1. Coupling guard fitted *', '2. Discharge pressure *', '3. Remarks']);
    expect(document.querySelector('#tab-checklist')!.textContent).toContain('0/3');

    // The page holds the new version: the next action sends it.
    await click('wo-action-approve');
    await vi.waitFor(() => expect(text('wo-status')).toBe('Approved'));
    expect(requests.filter((r) => r.method === 'POST').at(-1)!.body).toEqual({ version: 2 });
  });

  it('offers no checklist template on a finished order', async () => {
    maintenanceLookups();
    server.use(http.get(`*/api/maintenance/work-orders/${WO_ID}`, () => HttpResponse.json(makeDetail(1, { status: 'completed', version: 4 }))));
    await renderMaintenance(`/maintenance/work-orders/${WO_ID}`);
    await vi.waitFor(() => expect(q('checklist-empty')).not.toBeNull());
    expect(q('checklist-template')).toBeNull();
    expect(q('checklist-template-add')).toBeNull();
  });

  it('without inventory, a spare part takes its unit cost and shows its cost', async () => {
    maintenanceLookups();
    server.use(
      http.get(`*/api/maintenance/work-orders/${WO_ID}`, () => HttpResponse.json(makeDetail(1, { status: 'approved' }))),
      http.post(`*/api/maintenance/work-orders/${WO_ID}/parts`, () =>
        HttpResponse.json(
          makeDetail(1, {
            status: 'approved',
            parts: [{ id: 'p1', itemId: ITEM_ID, itemName: 'V-belt', locationId: null, lot: null, qty: '2', qtyUsed: null, status: 'planned', reservationId: null, moveId: null, moveNumber: null, unitCost: '12.5', cost: '25.00' }],
            costs: { currency: 'EUR', labour: '0.00', parts: '25.00', external: '0.00', total: '25.00', posted: '0.00' },
          }),
          { status: 201 },
        ),
      ),
    );
    await renderMaintenance(`/maintenance/work-orders/${WO_ID}`);
    await vi.waitFor(() => expect(q('parts-mode')).not.toBeNull());
    document.querySelector<HTMLElement>('#tab-parts')!.click();
    await vi.waitFor(() => expect(text('parts-mode')).toContain('Inventory is not enabled'));
    expect(q('part-unit-cost')).not.toBeNull();

    await choose('part-item', 'V-belt');
    await typeInto('part-qty', '2');
    await click('part-add');
    await vi.waitFor(() => expect(fieldError('part-unit-cost')).toBe('The cost of one unit (inventory is not enabled)'));
    expect(requests.filter((r) => r.method === 'POST')).toHaveLength(0);

    await typeInto('part-unit-cost', '12,50');
    await click('part-add');
    await vi.waitFor(() => expect(text('part-row-item')).toBe('V-belt'));
    expect(requests.filter((r) => r.method === 'POST').map((r) => r.body)).toEqual([{ itemId: ITEM_ID, qty: '2', unitCost: '12.50' }]);
    expect(text('part-row-status')).toBe('Planned');
    expect(text('part-row-unit-cost')).toBe('12.5');
    expect(text('part-row-cost')).toBe('25.00 EUR');
    expect(text('wo-cost-parts')).toBe('25.00 EUR');
    expect(text('wo-cost-total')).toBe('25.00 EUR');
  });

  it('with inventory, a spare part has no unit cost field: its cost comes from the stock issue', async () => {
    maintenanceLookups();
    server.use(
      http.get(`*/api/maintenance/work-orders/${WO_ID}`, () => HttpResponse.json(makeDetail(1, { status: 'scheduled' }))),
      http.post(`*/api/maintenance/work-orders/${WO_ID}/parts`, () =>
        HttpResponse.json(
          makeDetail(1, {
            status: 'scheduled',
            parts: [{ id: 'p1', itemId: ITEM_ID, itemName: 'V-belt', locationId: null, lot: null, qty: '2', qtyUsed: null, status: 'reserved', reservationId: 'r1', moveId: null, moveNumber: null, unitCost: null, cost: null }],
          }),
          { status: 201 },
        ),
      ),
    );
    await renderMaintenance(`/maintenance/work-orders/${WO_ID}`, { alsoEnabled: ['inventory'] });
    await vi.waitFor(() => expect(text('parts-mode')).toContain('Stock is reserved'));
    expect(q('part-unit-cost')).toBeNull();

    await choose('part-item', 'V-belt');
    await typeInto('part-qty', '2');
    await click('part-add');
    await vi.waitFor(() => expect(text('part-row-status')).toBe('Reserved'));
    expect(requests.filter((r) => r.method === 'POST').map((r) => r.body)).toEqual([{ itemId: ITEM_ID, qty: '2' }]);
    expect(text('part-row-cost')).toBe('—');
  });

  it('books labour and shows planned against booked time and the cost totals', async () => {
    maintenanceLookups();
    server.use(
      http.get(`*/api/maintenance/work-orders/${WO_ID}`, () => HttpResponse.json(makeDetail(1, { status: 'in-progress', plannedMinutes: 60 }))),
      http.post(`*/api/maintenance/work-orders/${WO_ID}/labour`, () =>
        HttpResponse.json(
          makeDetail(1, {
            status: 'in-progress',
            labour: {
              plannedMinutes: 60,
              actualMinutes: 90,
              lines: [{ id: 'l1', userId: '0196b000-0000-7000-8000-0000000c0001', technician: 'Tess Tech', startedAt: null, minutes: 90, hourlyRate: '60', cost: '90.00', note: null, createdBy: 'Ada Admin', createdAt: '2026-11-23T11:00:00.000Z' }],
            },
            costs: { currency: 'EUR', labour: '90.00', parts: '0.00', external: '0.00', total: '90.00', posted: '0.00' },
          }),
          { status: 201 },
        ),
      ),
    );
    await renderMaintenance(`/maintenance/work-orders/${WO_ID}`);
    await vi.waitFor(() => expect(q('labour-planned')).not.toBeNull());
    expect(text('labour-planned')).toBe('1 h');
    expect(text('labour-actual')).toBe('0 min');

    await typeInto('labour-minutes', 'lots');
    await click('labour-add');
    await vi.waitFor(() => expect(fieldError('labour-minutes')).toBe('Whole minutes, at least 1'));
    await choose('labour-technician', 'Tess Tech');
    await typeInto('labour-minutes', '90');
    await click('labour-add');
    await vi.waitFor(() => expect(text('labour-row-technician')).toBe('Tess Tech'));
    expect(requests.filter((r) => r.method === 'POST').map((r) => r.body)).toEqual([{ userId: '0196b000-0000-7000-8000-0000000c0001', minutes: 90, note: null }]);
    expect(text('labour-actual')).toBe('1 h 30 min');
    expect(text('labour-row-cost')).toBe('90.00 EUR');
    expect(text('wo-cost-labour')).toBe('90.00 EUR');
    expect(text('wo-cost-total')).toBe('90.00 EUR');
  });
});
