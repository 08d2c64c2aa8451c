import { http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import type { CountDetail, CountLine } from '../../src/admin/types';
import {
  BIN_ID,
  DOCK_ID,
  ITEM2_ID,
  ITEM_ID,
  all,
  bodyText,
  choose,
  click,
  confirmBox,
  coreItem,
  coreLocation,
  fieldError,
  problem,
  q,
  renderInventory,
  requests,
  scan,
  server,
  text,
  typeInto,
} from './harness';

// Component tests mount the whole shell; on a loaded machine a flow takes several seconds.
const SLOW = { timeout: 30_000 };

const COUNT_ID = '0196a1b2-0000-7000-8000-0000000c0001';
const MOVE_ID = '0196a1b2-0000-7000-8000-0000000c00aa';
const ITEM3_ID = '0196a1b2-0000-7000-8000-000000000003';

const MATCHES: Record<string, { identifier: { id: string; type: string; value: string }; target: { type: string; id: string; label: string; href: string } }[]> = {
  'SKU-1001': [{ identifier: { id: 'i1', type: 'sku', value: 'SKU-1001' }, target: { type: 'core.item', id: ITEM_ID, label: 'Cordless drill', href: `/items/${ITEM_ID}` } }],
  'SKU-3003': [{ identifier: { id: 'i4', type: 'sku', value: 'SKU-3003' }, target: { type: 'core.item', id: ITEM3_ID, label: 'Hex keys', href: `/items/${ITEM3_ID}` } }],
  B304: [{ identifier: { id: 'i3', type: 'custom', value: 'B304' }, target: { type: 'core.location', id: BIN_ID, label: 'Main DC / Zone A / Bin 3-04', href: `/locations/${BIN_ID}` } }],
};

interface MockLine {
  id: string;
  itemId: string;
  itemName: string;
  locationId: string;
  location: string;
  expected: string;
  counted: string | null;
  recount: string | null;
  status: string;
}

/** A server-side count as the routes keep it: blind, so expectations are hidden while counting. */
function countServer(opts: { tolerance?: string } = {}) {
  const state = {
    status: 'counting',
    moveId: null as string | null,
    lines: [
      { id: '11', itemId: ITEM_ID, itemName: 'Cordless drill', locationId: BIN_ID, location: 'Bin 3-04', expected: '5', counted: null, recount: null, status: 'pending' },
      { id: '12', itemId: ITEM2_ID, itemName: 'Wood screws 4x40', locationId: BIN_ID, location: 'Bin 3-04', expected: '100', counted: null, recount: null, status: 'pending' },
      { id: '13', itemId: ITEM2_ID, itemName: 'Wood screws 4x40', locationId: DOCK_ID, location: 'Dock 1', expected: '20', counted: null, recount: null, status: 'pending' },
    ] as MockLine[],
  };
  const tolerance = Number(opts.tolerance ?? '0.1');
  const unitValue: Record<string, number> = { [ITEM_ID]: 50, [ITEM2_ID]: 0.05, [ITEM3_ID]: 2 };
  const detail = (): CountDetail => {
    const hide = state.status === 'counting';
    let total = 0;
    const lineItems: CountLine[] = state.lines.map((l) => {
      const final = l.recount ?? l.counted;
      const variance = hide || final === null ? null : Number(final) - Number(l.expected);
      const value = variance === null ? null : variance * unitValue[l.itemId]!;
      if (value !== null) total += value;
      return {
        id: l.id,
        itemId: l.itemId,
        itemName: l.itemName,
        uom: 'ea',
        locationId: l.locationId,
        location: l.location,
        lot: null,
        serial: null,
        expectedQty: hide ? null : l.expected,
        countedQty: l.counted,
        recountQty: l.recount,
        status: l.status,
        varianceQty: variance === null ? null : String(variance),
        varianceValue: value === null ? null : value.toFixed(2),
        countedBy: l.counted === null ? null : 'Ada Admin',
      };
    });
    return {
      id: COUNT_ID,
      number: '7',
      name: 'Bin 3-04 weekly',
      kind: 'full',
      locationId: BIN_ID,
      location: 'Main DC',
      blind: true,
      status: state.status,
      recountTolerance: String(tolerance),
      startedAt: '2026-11-23T08:00:00.000Z',
      startedBy: 'Ada Admin',
      closedAt: state.status === 'posted' ? '2026-11-23T11:00:00.000Z' : null,
      moveId: state.moveId,
      lines: state.lines.length,
      counted: state.lines.filter((l) => l.status !== 'pending').length,
      note: null,
      varianceValue: hide ? null : total.toFixed(2),
      lineItems,
    };
  };
  server.use(
    http.get('*/api/core/identifiers/resolve', ({ request }) => {
      const value = new URL(request.url).searchParams.get('value') ?? '';
      return HttpResponse.json({ value, matches: MATCHES[value] ?? [], interpretations: [] });
    }),
    http.get('*/api/core/items/:id', ({ params }) =>
      HttpResponse.json(String(params.id) === ITEM3_ID ? coreItem(ITEM3_ID, { name: 'Hex keys', identifiers: [] }) : coreItem(String(params.id))),
    ),
    http.get('*/api/core/locations/:id', ({ params }) => HttpResponse.json(coreLocation(String(params.id)))),
    http.get(`*/api/inventory/counts/${COUNT_ID}`, () => HttpResponse.json(detail())),
    http.post(`*/api/inventory/counts/${COUNT_ID}/entries`, async ({ request }) => {
      const { entries } = (await request.json()) as { entries: { lineId?: string; itemId?: string; locationId?: string; countedQty: string }[] };
      for (const e of entries) {
        let line = state.lines.find((l) => l.id === e.lineId);
        if (!line && e.itemId) {
          line = { id: String(20 + state.lines.length), itemId: e.itemId, itemName: 'Hex keys', locationId: e.locationId!, location: 'Bin 3-04', expected: '0', counted: null, recount: null, status: 'pending' };
          state.lines.push(line);
        }
        if (line!.status === 'recount' || line!.status === 'recounted') Object.assign(line!, { recount: e.countedQty, status: 'recounted' });
        else Object.assign(line!, { counted: e.countedQty, status: 'counted' });
      }
      return HttpResponse.json(detail());
    }),
    http.post(`*/api/inventory/counts/${COUNT_ID}/finish`, async ({ request }) => {
      const body = (await request.json()) as { uncountedAsZero?: boolean };
      const pending = state.lines.filter((l) => l.status === 'pending');
      if (pending.length && !body.uncountedAsZero) {
        return problem(409, 'inventory/count-incomplete', 'Lines not counted', `${pending.length} line(s) have no count; count them or finish with uncountedAsZero`, { uncounted: pending.length });
      }
      for (const l of pending) Object.assign(l, { counted: '0', status: 'counted' });
      for (const l of state.lines) {
        if (l.status === 'counted' && Math.abs(Number(l.counted) - Number(l.expected)) > tolerance * Math.abs(Number(l.expected))) l.status = 'recount';
      }
      if (!state.lines.some((l) => l.status === 'recount')) state.status = 'review';
      return HttpResponse.json(detail());
    }),
    http.post(`*/api/inventory/counts/${COUNT_ID}/post`, () => {
      state.status = 'posted';
      state.moveId = MOVE_ID;
      return HttpResponse.json(detail());
    }),
  );
  return state;
}

const calls = (suffix: string) => requests.filter((r) => r.method === 'POST' && r.url.pathname === `/api/inventory/counts/${COUNT_ID}/${suffix}`);
const qtyInput = (i: number) => q(`count-line-qty-${i}`) as HTMLInputElement;
const headers = () => [...document.querySelectorAll('[data-testid="count-group"] th')].map((th) => th.textContent!.trim());

describe('counting', () => {
  it('counts blind by scanning and typing, finishes (missing as zero), recounts, reviews the variances and posts them', SLOW, async () => {
    const state = countServer();
    await renderInventory(`/inventory/counts/${COUNT_ID}`);
    await vi.waitFor(() => expect(text('count-title')).toBe('Count 7: Bin 3-04 weekly'));
    expect(text('count-blind')).toBe('blind');
    expect(text('count-progress')).toBe('0 / 3');

    // Grouped by location; a blind count shows no expected quantities.
    expect(all('count-group').map((g) => g.dataset.location)).toEqual(['Bin 3-04', 'Dock 1']);
    expect(all('count-line').map((l) => l.textContent)).toEqual(['Cordless drill', 'Wood screws 4x40', 'Wood screws 4x40']);
    expect(headers()).not.toContain('Expected');
    expect(all('count-line-expected')).toHaveLength(0);
    expect(bodyText()).not.toContain('100 ea');

    // Scan the bin, then the drill twice: its line counts up.
    await scan('B304', 'count-scan');
    await vi.waitFor(() => expect(text('count-scan-location')).toBe('At Main DC / Zone A / Bin 3-04'));
    await scan('SKU-1001', 'count-scan');
    await vi.waitFor(() => expect(qtyInput(0).value).toBe('1'));
    await scan('SKU-1001', 'count-scan');
    await vi.waitFor(() => expect(qtyInput(0).value).toBe('2'));
    expect(text('count-scan-last')).toBe('Cordless drill: 2 ea');
    expect(text('count-unsaved')).toBe('1 unsaved');

    // One more found on the shelf by hand; the screws in the bin are typed; the dock is forgotten.
    await typeInto('count-line-qty-0', '3');
    await typeInto('count-line-qty-1', '100');
    await click('count-save');
    await vi.waitFor(() => expect(calls('entries')).toHaveLength(1));
    expect(calls('entries')[0]!.body).toEqual({ entries: [{ lineId: '11', countedQty: '3' }, { lineId: '12', countedQty: '100' }] });
    await vi.waitFor(() => expect(text('count-progress')).toBe('2 / 3'));
    expect(q('count-unsaved')).toBeNull();

    // Finishing with a line uncounted asks; "count missing as zero" finishes again with the flag.
    await click('count-finish');
    await vi.waitFor(() => expect(document.querySelector('.el-message-box')?.textContent).toContain('1 line(s) have no count'));
    expect(document.querySelector('.el-message-box')!.textContent).toContain('Not everything is counted');
    await confirmBox();
    await vi.waitFor(() => expect(calls('finish')).toHaveLength(2));
    expect(calls('finish').map((r) => r.body)).toEqual([{}, { uncountedAsZero: true }]);

    // Recount: the drill (3 of 5) and the dock (0 of 20) are beyond 10 %; only they take counts.
    await vi.waitFor(() => expect(text('count-recount-banner')).toContain('2 lines are beyond the tolerance'));
    expect(text('count-status')).toBe('recount');
    expect(headers()).not.toContain('Expected');
    expect(qtyInput(0).tagName).toBe('INPUT');
    expect(qtyInput(1).tagName).toBe('SPAN');
    expect(text('count-line-qty-1')).toBe('100');
    expect(qtyInput(2).tagName).toBe('INPUT');
    expect(qtyInput(0).value).toBe('');
    await typeInto('count-line-qty-0', '4');
    await typeInto('count-line-qty-2', '18');
    await click('count-finish');

    // Finishing the recount saves the recounts first, then finishes: review.
    await vi.waitFor(() => expect(calls('finish')).toHaveLength(3));
    expect(calls('entries')[1]!.body).toEqual({ entries: [{ lineId: '11', countedQty: '4' }, { lineId: '13', countedQty: '18' }] });
    expect(calls('finish')[2]!.body).toEqual({});
    await vi.waitFor(() => expect(q('count-review-table')).not.toBeNull());
    expect(text('count-status')).toBe('review');
    const rows = [...q('count-review-table')!.querySelectorAll('tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent!.replace(/\s+/g, ' ').trim()));
    expect(rows.map((r) => r.slice(0, 7))).toEqual([
      ['Bin 3-04', 'Cordless drill', '5', '3', '4', '-1 ea', '-50.00'],
      ['Bin 3-04', 'Wood screws 4x40', '100', '100', '—', '0 ea', '0.00'],
      ['Dock 1', 'Wood screws 4x40', '20', '0', '18', '-2 ea', '-0.10'],
    ]);
    expect(text('count-total-value')).toBe('Value impact -50.10');
    expect(q('count-save')).toBeNull();
    expect(q('count-finish')).toBeNull();

    await click('count-post');
    expect(document.querySelector('.el-message-box')!.textContent).toContain('Post 2 variances of count 7 as one count move (value -50.10)?');
    await confirmBox();
    await vi.waitFor(() => expect(text('count-status')).toBe('posted'));
    expect(calls('post')).toHaveLength(1);
    expect(q('count-move-link')!.getAttribute('href')).toBe(`/inventory/moves/${MOVE_ID}`);
    expect(q('count-post')).toBeNull();
    expect(q('count-cancel')).toBeNull();
    expect(state.status).toBe('posted');
  });

  it('a scanned item not expected at the location becomes a found line, saved by item and location', SLOW, async () => {
    countServer();
    await renderInventory(`/inventory/counts/${COUNT_ID}`);
    await vi.waitFor(() => expect(q('count-scan')).not.toBeNull());
    await scan('B304', 'count-scan');
    await scan('SKU-3003', 'count-scan');
    await vi.waitFor(() => expect(all('count-found')).toHaveLength(1));
    expect((q('count-found-qty-0') as HTMLInputElement).value).toBe('1');
    expect(text('count-found-item-0')).toContain('Hex keys');
    expect(text('count-found-location-0')).toContain('Bin 3-04');
    await scan('SKU-3003', 'count-scan');
    await vi.waitFor(() => expect((q('count-found-qty-0') as HTMLInputElement).value).toBe('2'));
    expect(text('count-scan-last')).toBe('Hex keys: 2 ea found at Main DC / Zone A / Bin 3-04');

    await click('count-save');
    await vi.waitFor(() => expect(calls('entries')).toHaveLength(1));
    expect(calls('entries')[0]!.body).toEqual({ entries: [{ itemId: ITEM3_ID, locationId: BIN_ID, countedQty: '2' }] });
    // Now a line of its own.
    await vi.waitFor(() => expect(all('count-line').map((l) => l.textContent)).toContain('Hex keys'));
    expect(all('count-found')).toHaveLength(0);
  });

  it("shows the server's complaint about an entry next to its line", SLOW, async () => {
    countServer();
    server.use(
      http.post(`*/api/inventory/counts/${COUNT_ID}/entries`, () =>
        problem(400, 'validation', 'Invalid request', 'entries.1.countedQty: must be at least 0', { errors: [{ field: 'entries.1.countedQty', message: 'must be at least 0' }] }),
      ),
    );
    await renderInventory(`/inventory/counts/${COUNT_ID}`);
    await vi.waitFor(() => expect(q('count-line-qty-0')).not.toBeNull());
    await typeInto('count-line-qty-0', '4');
    await typeInto('count-line-qty-2', '7');
    await click('count-save');
    await vi.waitFor(() => expect(fieldError('count-line-qty-2')).toBe('must be at least 0'));
    expect(fieldError('count-line-qty-0')).toBeUndefined();
    expect(text('count-error')).toContain('check the highlighted fields');
  });
});

describe('counts list', () => {
  it('starts a blind cycle count of the items due, and classifies items A/B/C', SLOW, async () => {
    server.use(
      http.get('*/api/core/locations/:id', ({ params }) => HttpResponse.json(coreLocation(String(params.id)))),
      http.get('*/api/core/locations', () => HttpResponse.json({ data: [coreLocation(BIN_ID)], total: 1, limit: 50, offset: 0 })),
      http.get('*/api/inventory/counts', () =>
        HttpResponse.json({
          data: [{ id: COUNT_ID, number: '7', name: 'Bin 3-04 weekly', kind: 'full', locationId: BIN_ID, location: 'Bin 3-04', blind: true, status: 'review', recountTolerance: '0', startedAt: '2026-11-23T08:00:00.000Z', startedBy: 'Ada Admin', closedAt: null, moveId: null, lines: 3, counted: 3 }],
          total: 1,
          limit: 25,
          offset: 0,
        }),
      ),
      http.get('*/api/inventory/counts/due', () =>
        HttpResponse.json({
          data: [
            { itemId: ITEM_ID, itemName: 'Cordless drill', abcClass: 'A', lastCountedAt: null, dueOn: '2026-11-01', overdueDays: 22 },
            { itemId: ITEM2_ID, itemName: 'Wood screws 4x40', abcClass: 'C', lastCountedAt: '2026-01-01T00:00:00.000Z', dueOn: '2026-06-30', overdueDays: 0 },
          ],
          total: 2,
          limit: 50,
          offset: 0,
        }),
      ),
      http.post('*/api/inventory/counts', () => HttpResponse.json({ id: COUNT_ID, number: '8', lines: 2 }, { status: 201 })),
      http.get(`*/api/inventory/counts/${COUNT_ID}`, () => HttpResponse.json({ id: COUNT_ID, number: '8', name: 'Due items', kind: 'cycle', locationId: BIN_ID, location: 'Bin 3-04', blind: true, status: 'counting', recountTolerance: '0.05', startedAt: '2026-11-23T08:00:00.000Z', startedBy: 'Ada Admin', closedAt: null, moveId: null, lines: 0, counted: 0, note: null, lineItems: [] })),
      http.post('*/api/inventory/abc/classify', () =>
        HttpResponse.json({ A: 1, B: 0, C: 1, items: [{ itemId: ITEM_ID, itemName: 'Cordless drill', abcClass: 'A', consumptionValue: '900.00', share: '1', classifiedAt: '2026-11-23T10:00:00.000Z' }] }),
      ),
    );
    const { router } = await renderInventory('/inventory/counts');
    await vi.waitFor(() => expect(text('count-link')).toBe('7'));
    expect(text('count-status')).toBe('review');
    expect(q('nav-inventory-counts')).not.toBeNull();

    // ABC classification shows how many items landed in each class.
    await click('counts-abc');
    await typeInto('abc-period-days', '90');
    await click('abc-run');
    await vi.waitFor(() => expect(text('abc-count-A')).toBe('1'));
    expect(text('abc-count-C')).toBe('1');
    expect(requests.find((r) => r.url.pathname === '/api/inventory/abc/classify')!.body).toEqual({ periodDays: 90, aShare: 0.8, bShare: 0.15 });

    // Due for counting: start a cycle count of those items.
    (document.querySelector('#tab-due') as HTMLElement).click();
    await vi.waitFor(() => expect(all('counts-due-item').map((e) => e.textContent)).toEqual(['Cordless drill', 'Wood screws 4x40']));
    await click('counts-due-start');
    await vi.waitFor(() => expect(all('count-item').map((e) => e.textContent!.trim())).toEqual(['Cordless drill', 'Wood screws 4x40']));
    expect(q('count-kind-cycle')!.className).toContain('is-active');
    await typeInto('count-name', 'Due items');
    await choose('count-location', 'Main DC / Zone A / Bin 3-04');
    await typeInto('count-tolerance', '5');
    await click('count-save');
    await vi.waitFor(() => expect(router.currentRoute.value.path).toBe(`/inventory/counts/${COUNT_ID}`));
    expect(requests.find((r) => r.method === 'POST' && r.url.pathname === '/api/inventory/counts')!.body).toEqual({
      name: 'Due items',
      kind: 'cycle',
      locationId: BIN_ID,
      blind: true,
      itemIds: [ITEM_ID, ITEM2_ID],
      recountTolerance: 0.05,
    });
  });
});
