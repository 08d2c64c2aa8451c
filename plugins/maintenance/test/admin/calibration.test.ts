import { http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { ASSET_ID, all, cells, click, fieldError, maintenanceLookups, paged, problem, q, renderMaintenance, requests, server, settle, text, typeIn } from './harness';
import { CALIBRATION_ID, makeCalibration, makeInstrument, tick } from './planning.fixtures';

const SLOW = { timeout: 30_000 };

function detail(patch: Record<string, unknown> = {}) {
  return { ...makeInstrument(), checkOut: { allowed: false, reason: 'overdue', categoryBlocks: true }, calibrations: [], ...patch };
}

/** The point verdicts the server works out for readings at 2 bar (± 0.05) and 10 bar (± 1 % = 0.1). */
function judged(asFound: string[], asLeft: (string | null)[] = []) {
  const spec = [
    { label: 'Low', nominal: '2', tol: 0.05, toleranceSpec: { plusMinus: '0.05' } },
    { label: 'High', nominal: '10', tol: 0.1, toleranceSpec: { percent: '1' } },
  ];
  return spec.map((s, i) => {
    const err = (v: string) => (Number(v) - Number(s.nominal)).toFixed(2);
    const ok = (v: string) => Math.abs(Number(v) - Number(s.nominal)) <= s.tol + 1e-9;
    const left = asLeft[i] ?? null;
    return {
      label: s.label,
      unit: 'bar',
      nominal: s.nominal,
      toleranceSpec: s.toleranceSpec,
      tolerance: String(s.tol),
      asFound: asFound[i]!,
      asFoundError: err(asFound[i]!),
      asFoundInTolerance: ok(asFound[i]!),
      asLeft: left,
      asLeftError: left === null ? null : err(left),
      asLeftInTolerance: left === null ? null : ok(left),
      inTolerance: left === null ? ok(asFound[i]!) : ok(left),
    };
  });
}

function serveInstrument() {
  maintenanceLookups();
  let current = detail();
  server.use(
    http.get(`*/api/maintenance/instruments/${ASSET_ID}`, () => HttpResponse.json(current)),
    http.get('*/api/maintenance/work-orders', ({ request }) => paged([], request.url)),
    http.post(`*/api/maintenance/instruments/${ASSET_ID}/calibrations`, async ({ request }) => {
      const body = (await request.json()) as { points: { asFound: string; asLeft?: string }[]; certificateNumber: string | null; performedBy: string };
      if (body.certificateNumber === 'CERT-1')
        return problem(409, 'maintenance/duplicate-certificate', 'Certificate number in use', 'Certificate CERT-1 is already recorded for another calibration', { certificateNumber: 'CERT-1' });
      const points = judged(
        body.points.map((p) => p.asFound),
        body.points.map((p) => p.asLeft ?? null),
      );
      const calibration = makeCalibration({
        points,
        result: points.every((p) => p.inTolerance) ? 'pass' : 'fail',
        asFoundFailed: points.some((p) => !p.asFoundInTolerance),
        adjusted: body.points.some((p) => p.asLeft),
        suspectSince: '2025-11-01',
        certificateNumber: body.certificateNumber,
        performedBy: body.performedBy,
      });
      current = detail({ status: 'current', lastResult: calibration.result, calibrations: [calibration] });
      return HttpResponse.json(calibration, { status: 201 });
    }),
    http.post(`*/api/maintenance/calibrations/${CALIBRATION_ID}/attachments`, async ({ request }) => {
      const body = (await request.json()) as { fileName: string; mediaType: string };
      return HttpResponse.json(
        { id: '0196b000-0000-7000-8000-000000050001', calibrationId: CALIBRATION_ID, fileName: body.fileName, mediaType: body.mediaType, size: 11, sha256: 'x', createdAt: '2026-11-23T10:00:00.000Z', createdBy: 'Ada Admin' },
        { status: 201 },
      );
    }),
  );
}

const dialog = () => q('calibration-dialog')!.closest('.el-dialog') ?? q('calibration-dialog')!;

describe('calibration', () => {
  it('records a calibration and shows the fail verdict for the point out of tolerance, then the history', SLOW, async () => {
    serveInstrument();
    await renderMaintenance(`/maintenance/calibration/${ASSET_ID}`);
    await vi.waitFor(() => expect(text('instrument-title')).toBe('AST-2026-00001 · Pressure gauge PG-7'));
    expect(text('instrument-status')).toBe('Overdue');
    expect(text('instrument-check-out')).toBe('Blocked from check-out: its calibration is overdue.');
    expect(text('instrument-interval')).toBe('Every 12 months');
    expect(cells('instrument-point-nominal-text')).toEqual(['2 bar', '10 bar']);

    await click('instrument-record');
    await vi.waitFor(() => expect(all('calibration-point')).toHaveLength(2));
    // Who did it defaults to me.
    expect((q('calibration-by') as HTMLInputElement).value).toBe('Ada Admin');
    const [low, high] = all('calibration-point');
    await typeIn(low!, 'calibration-as-found', '2.02');
    await typeIn(high!, 'calibration-as-found', '10.3');
    await typeIn(dialog(), 'calibration-certificate', 'CERT-2');
    const file = new File(['certificate'], 'cert.pdf', { type: 'application/pdf' });
    const input = q('calibration-file') as HTMLInputElement;
    Object.defineProperty(input, 'files', { value: [file] });
    input.dispatchEvent(new Event('change', { bubbles: true }));
    await settle();
    await click('calibration-save');

    // The server's verdict, per point and overall.
    await vi.waitFor(() => expect(q('calibration-result')?.dataset.result).toBe('fail'));
    expect(text('calibration-result')).toContain('Failed: a point is out of tolerance');
    expect(cells('calibration-result-verdict')).toEqual(['In tolerance', 'Out of tolerance']);
    expect(all('calibration-result-point').map((r) => r.dataset.inTolerance)).toEqual(['true', 'false']);
    expect(all('calibration-result-point')[1]!.textContent).toContain('10.3 (0.30)');
    expect(text('calibration-result-as-found-failed')).toContain('measurements since 2025-11-01 need review');
    await vi.waitFor(() => expect(text('calibration-result-attachments')).toBe('Attached: cert.pdf'));

    const record = requests.find((r) => r.url.pathname.endsWith('/calibrations') && r.method === 'POST')!.body as Record<string, unknown>;
    expect(record).toMatchObject({ performedBy: 'Ada Admin', points: [{ asFound: '2.02' }, { asFound: '10.3' }], certificateNumber: 'CERT-2', workOrderId: null, cost: null });
    expect(record.performedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const attach = requests.find((r) => r.url.pathname.endsWith('/attachments'))!.body as Record<string, unknown>;
    expect(attach).toEqual({ fileName: 'cert.pdf', mediaType: 'application/pdf', content: btoa('certificate') });

    // Behind the dialog, the instrument now shows the result in its history.
    await click('calibration-done');
    await vi.waitFor(() => expect(cells('history-result')).toEqual(['Failed']));
    expect(cells('history-certificate')).toEqual(['CERT-2']);
  });

  it('passes once adjusted within tolerance, and marks a certificate number already recorded', SLOW, async () => {
    serveInstrument();
    await renderMaintenance(`/maintenance/calibration/${ASSET_ID}`);
    await vi.waitFor(() => expect(q('instrument-record')).not.toBeNull());
    await click('instrument-record');
    await vi.waitFor(() => expect(all('calibration-point')).toHaveLength(2));
    await tick('calibration-adjusted');
    const [low, high] = all('calibration-point');
    await typeIn(low!, 'calibration-as-found', '2.01');
    await typeIn(low!, 'calibration-as-left', '2.00');
    await typeIn(high!, 'calibration-as-found', '10.3');
    // As-left is required once adjusted.
    await click('calibration-save');
    await vi.waitFor(() => expect(q('calibration-as-left', high!)!.closest('.el-form-item')!.querySelector('.el-form-item__error')?.textContent?.trim()).toBe('Enter the reading as left'));
    expect(requests.some((r) => r.method === 'POST')).toBe(false);

    await typeIn(high!, 'calibration-as-left', '10.05');
    await typeIn(dialog(), 'calibration-certificate', 'CERT-1');
    await click('calibration-save');
    await vi.waitFor(() => expect(fieldError('calibration-certificate')).toBe('Certificate CERT-1 is already recorded for another calibration'));

    await typeIn(dialog(), 'calibration-certificate', 'CERT-3');
    await click('calibration-save');
    await vi.waitFor(() => expect(q('calibration-result')?.dataset.result).toBe('pass'));
    expect(cells('calibration-result-verdict')).toEqual(['In tolerance', 'In tolerance']);
    const last = requests.filter((r) => r.url.pathname.endsWith('/calibrations')).at(-1)!.body as Record<string, unknown>;
    expect(last.points).toEqual([
      { asFound: '2.01', asLeft: '2.00' },
      { asFound: '10.3', asLeft: '10.05' },
    ]);
  });

  it('lists instruments by calibration status, filtered through the URL', SLOW, async () => {
    maintenanceLookups();
    const instruments = [
      makeInstrument(),
      makeInstrument({ assetId: '0196b000-0000-7000-8000-0000000b0002', tag: 'AST-2026-00002', name: 'Caliper', status: 'due-soon', dueOn: '2026-11-30' }),
      makeInstrument({ assetId: '0196b000-0000-7000-8000-0000000b0003', tag: 'AST-2026-00003', name: 'Scale', status: 'never', dueOn: null, lastCalibratedOn: null, lastResult: null }),
    ];
    server.use(
      http.get('*/api/maintenance/instruments', ({ request }) => {
        const wanted = new URL(request.url).searchParams.getAll('status');
        return paged(instruments.filter((i) => !wanted.length || wanted.includes(i.status)), request.url);
      }),
    );
    const { router } = await renderMaintenance('/maintenance/calibration?status=overdue');
    await vi.waitFor(() => expect(cells('instrument-row-tag')).toEqual(['AST-2026-00001']));
    expect(cells('instrument-row-status')).toEqual(['Overdue']);
    expect(q('nav-maintenance-calibration')!.className).toContain('is-active');

    await tick('instruments-status-due-soon');
    await vi.waitFor(() => expect(cells('instrument-row-tag')).toEqual(['AST-2026-00001', 'AST-2026-00002']));
    expect(cells('instrument-row-status')).toEqual(['Overdue', 'Due soon']);
    expect(router.currentRoute.value.query).toEqual({ status: ['overdue', 'due-soon'] });
    expect(requests.filter((r) => r.url.pathname === '/api/maintenance/instruments').at(-1)!.url.searchParams.getAll('status')).toEqual(['overdue', 'due-soon']);
  });
});
