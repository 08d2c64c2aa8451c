import { http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { ASSET_ID, WO_ID, all, cells, click, fieldError, maintenanceLookups, paged, problem, q, renderMaintenance, requests, server, text, toasts, typeInto } from './harness';
import { makePoint, makeReading, pickRadio, tick } from './planning.fixtures';

const SLOW = { timeout: 30_000 };

/** The asset's `hours` meter and the verdicts the server gives: 1210 accepted, 5000 flagged (too fast), 900 rejected (backwards). */
function serveMeter() {
  maintenanceLookups();
  const stored = [makeReading({ value: '1200', total: '1200', delta: '10' }), makeReading({ value: '1190', total: '1190', readAt: '2026-11-21T08:00:00.000Z' })];
  let flagged = 0;
  server.use(
    http.get(`*/api/maintenance/assets/${ASSET_ID}/points`, () => HttpResponse.json({ data: [makePoint({ flaggedReadings: flagged })] })),
    http.get(`*/api/maintenance/assets/${ASSET_ID}/points/hours/readings`, ({ request }) => paged(stored, request.url)),
    http.post(`*/api/maintenance/assets/${ASSET_ID}/points/hours/readings`, async ({ request }) => {
      const body = (await request.json()) as { value: string; readAt?: string };
      const base = { value: body.value, readAt: body.readAt ?? '2026-11-23T10:00:00.000Z', created: true, workOrderIds: [] as string[] };
      let reading;
      if (body.value === '5000') {
        flagged++;
        reading = makeReading({ ...base, id: '501', status: 'flagged', delta: '3800', total: null, reason: 'a jump of 3800 h in 1.0833 days is faster than the point allows (24 h a day)' });
      } else if (body.value === '900') reading = makeReading({ ...base, id: '502', status: 'rejected', delta: '0', total: null, reason: 'the meter went backwards (900 after 1200) and does not roll over' });
      else reading = makeReading({ ...base, id: '503', status: 'accepted', delta: '10', total: '1210', workOrderIds: [WO_ID] });
      stored.unshift(reading);
      return HttpResponse.json({ data: [reading] }, { status: 201 });
    }),
    http.post('*/api/maintenance/readings/:id/confirm', ({ params }) => HttpResponse.json({ ...makeReading({ id: params.id, status: 'accepted', value: '5000' }), workOrderIds: [] })),
  );
}

describe('meters and readings', () => {
  it("records readings and shows the server's verdict: flagged with its reason, rejected with its reason, accepted with the work it made due", SLOW, async () => {
    serveMeter();
    await renderMaintenance(`/maintenance/meters?assetId=${ASSET_ID}`);
    await vi.waitFor(() => expect(cells('meters-point-value')).toEqual(['1200 h']));
    await vi.waitFor(() => expect(cells('reading-row-value')).toEqual(['1200', '1190']));
    expect(q('readings-chart')).not.toBeNull();
    expect(q('readings-chart')!.querySelector('canvas')!.getAttribute('aria-label')).toContain('Runtime hours (h):');

    // Too fast a jump: flagged, and why.
    await typeInto('reading-value', '5000');
    await click('reading-submit');
    await vi.waitFor(() => expect(q('reading-verdict')?.dataset.status).toBe('flagged'));
    expect(text('reading-verdict-reason')).toBe('a jump of 3800 h in 1.0833 days is faster than the point allows (24 h a day)');
    const posted = requests.filter((r) => r.method === 'POST' && r.url.pathname.endsWith('/points/hours/readings'));
    expect(posted[0]!.body).toEqual({ value: '5000' });
    await vi.waitFor(() => expect(cells('meters-point-flagged')).toEqual(['1 flagged']));
    expect(cells('reading-row-status')[0]).toBe('Flagged');

    // A person vouches for it from the verdict.
    await click('reading-verdict-confirm');
    await vi.waitFor(() => expect(requests.some((r) => r.method === 'POST' && r.url.pathname === '/api/maintenance/readings/501/confirm')).toBe(true));
    await vi.waitFor(() => expect(toasts()).toContain('Reading confirmed: it counts now'));
    expect(q('reading-verdict')).toBeNull();

    // Going backwards: rejected, and the value stays in the box to be corrected.
    await typeInto('reading-value', '900');
    await click('reading-submit');
    await vi.waitFor(() => expect(q('reading-verdict')?.dataset.status).toBe('rejected'));
    expect(text('reading-verdict-reason')).toBe('the meter went backwards (900 after 1200) and does not roll over');
    expect((q('reading-value') as HTMLInputElement).value).toBe('900');

    // A good one: accepted, with what it adds and the work order it made due.
    await typeInto('reading-value', '1210');
    await click('reading-submit');
    await vi.waitFor(() => expect(q('reading-verdict')?.dataset.status).toBe('accepted'));
    expect(text('reading-verdict-detail')).toBe('Adds 10 h · total 1210 h.');
    expect(q('reading-verdict-work-orders')!.querySelector('a')!.getAttribute('href')).toBe(`/maintenance/work-orders/${WO_ID}`);
    expect((q('reading-value') as HTMLInputElement).value).toBe('');
  });

  it('checks the value before sending it', SLOW, async () => {
    serveMeter();
    await renderMaintenance(`/maintenance/meters?assetId=${ASSET_ID}&point=hours`);
    await vi.waitFor(() => expect(q('reading-value')).not.toBeNull());
    await typeInto('reading-value', 'twelve');
    await click('reading-submit');
    await vi.waitFor(() => expect(fieldError('reading-value')).toBe('A number, e.g. 1250.5'));
    expect(requests.some((r) => r.method === 'POST')).toBe(false);
  });

  it('adds a point, with the server refusing a code the asset already has', SLOW, async () => {
    maintenanceLookups();
    const points: ReturnType<typeof makePoint>[] = [];
    server.use(
      http.get(`*/api/maintenance/assets/${ASSET_ID}/points`, () => HttpResponse.json({ data: points })),
      http.get(`*/api/maintenance/assets/${ASSET_ID}/points/:code/readings`, ({ request }) => paged([], request.url)),
      http.post(`*/api/maintenance/assets/${ASSET_ID}/points`, async ({ request }) => {
        const body = (await request.json()) as Record<string, string>;
        if (body.code === 'hours') return problem(409, 'maintenance/point-code-taken', 'Point code taken', 'The asset already has a measurement point hours', { field: 'code', code: 'hours' });
        const point = makePoint({ ...body, total: null, lastValue: null, lastReadAt: null });
        points.push(point);
        return HttpResponse.json(point, { status: 201 });
      }),
    );
    await renderMaintenance(`/maintenance/meters?assetId=${ASSET_ID}`);
    await vi.waitFor(() => expect(q('meters-add-point')).not.toBeNull());
    await click('meters-add-point');
    await typeInto('point-code', 'hours');
    await typeInto('point-name', 'Runtime hours');
    await typeInto('point-unit', 'h');
    await typeInto('point-max-rate', '24');
    await click('point-save');
    await vi.waitFor(() => expect(fieldError('point-code')).toBe('The asset already has a measurement point hours'));

    await pickRadio('point-kind-gauge');
    expect(q('point-max-rate')).toBeNull();
    await typeInto('point-code', 'temp');
    await typeInto('point-name', 'Bearing temperature');
    await typeInto('point-unit', '°C');
    await click('point-save');
    await vi.waitFor(() => expect(all('meters-point').map((e) => e.dataset.code)).toEqual(['temp']));
    const created = requests.filter((r) => r.method === 'POST').at(-1)!.body;
    expect(created).toEqual({ code: 'temp', name: 'Bearing temperature', kind: 'gauge', unit: '°C' });
    expect(q('meters-point-panel')).not.toBeNull();
  });

  it('lists the flagged readings of every asset when no asset is picked, and rejects one', SLOW, async () => {
    maintenanceLookups();
    let rows = [makeReading({ id: '77', status: 'flagged', value: '9000', delta: '7800', total: null, reason: 'faster than 24 h a day' })];
    server.use(
      http.get('*/api/maintenance/readings', ({ request }) => paged(rows, request.url)),
      http.post('*/api/maintenance/readings/77/reject', () => {
        rows = [];
        return HttpResponse.json(makeReading({ id: '77', status: 'rejected', value: '9000' }));
      }),
    );
    await renderMaintenance('/maintenance/meters');
    await vi.waitFor(() => expect(cells('flagged-reason')).toEqual(['faster than 24 h a day']));
    expect(requests.find((r) => r.url.pathname === '/api/maintenance/readings')!.url.searchParams.get('status')).toBe('flagged');
    await click('flagged-reject');
    await vi.waitFor(() => expect(all('flagged-reason')).toHaveLength(0));
    expect(toasts()).toContain('Reading rejected: it stays on record and never counts');
  });

  it('imports readings from CSV and shows every row of a refused file', SLOW, async () => {
    maintenanceLookups();
    server.use(
      http.get('*/api/maintenance/readings', ({ request }) => paged([], request.url)),
      http.post('*/api/maintenance/readings/import', async ({ request }) => {
        const body = (await request.json()) as { csv: string; skipInvalidRows?: boolean };
        const invalid = { row: 3, assetTag: 'AST-9', pointCode: 'hours', value: '5', readAt: '2026-11-20T08:00:00Z', status: 'invalid', readingId: null, message: 'no asset with tag AST-9' };
        if (!body.skipInvalidRows)
          return problem(422, 'maintenance/import-rejected', 'Import rejected', '1 of 2 rows cannot be imported; nothing was imported (send skipInvalidRows to import the others)', {
            counts: { rows: 2, accepted: 1, flagged: 0, duplicate: 0, invalid: 1 },
            rows: [invalid],
          });
        return HttpResponse.json({
          dryRun: false,
          skipInvalidRows: true,
          counts: { rows: 2, accepted: 1, flagged: 0, duplicate: 0, invalid: 1 },
          imported: 1,
          rows: [{ row: 2, assetTag: 'AST-2026-00001', pointCode: 'hours', value: '1300', readAt: '2026-11-20T08:00:00Z', status: 'accepted', readingId: '900', message: null }, invalid],
          workOrderIds: [],
        });
      }),
    );
    await renderMaintenance('/maintenance/meters');
    await click('meters-import');
    const csv = 'asset_tag,point_code,value,read_at\nAST-2026-00001,hours,1300,2026-11-20T08:00:00Z\nAST-9,hours,5,2026-11-20T08:00:00Z\n';
    await typeInto('import-csv', csv);
    await click('import-run');
    await vi.waitFor(() => expect(text('import-error')).toContain('nothing was imported'));
    expect(text('import-summary')).toBe('2 rows: 1 accepted, 0 flagged, 0 duplicate, 1 invalid');
    expect(cells('import-row-message')).toEqual(['no asset with tag AST-9']);

    await tick('import-skip-invalid');
    await click('import-run');
    await vi.waitFor(() => expect(text('import-result')).toContain('1 readings imported'));
    expect(cells('import-row-status')).toEqual(['accepted', 'invalid']);
    const sent = requests.filter((r) => r.url.pathname === '/api/maintenance/readings/import').map((r) => r.body);
    expect(sent).toEqual([
      { csv, dryRun: false, skipInvalidRows: false },
      { csv, dryRun: false, skipInvalidRows: true },
    ]);
  });
});
