import { http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { ADMIN_SESSION, ASSET_ID, WO_ID, choose, click, fieldError, maintenanceLookups, pressEnter, problem, q, renderMaintenance, requests, server, state, text, typeInto } from './harness';

const CREATED = {
  id: WO_ID,
  number: 'WO-000042',
  type: 'corrective',
  status: 'requested',
  priority: 'urgent',
  title: 'Breakdown: Compressor 1 — Oil on the floor',
  assetId: ASSET_ID,
  assetTag: 'AST-2026-00001',
  assetName: 'Compressor 1',
  assetDown: true,
  failedAt: null,
  problemCode: 'LEAK',
  reportedBy: 'Ada Admin',
};
const posts = () => requests.filter((r) => r.method === 'POST' && r.url.pathname === '/api/maintenance/breakdowns');

// Long user flows through the whole shell: give them room when the machine is busy.
describe('breakdown report', { timeout: 60_000 }, () => {
  it('finds the asset by the typed tag, reports the breakdown by that code and shows the new work order', async () => {
    maintenanceLookups();
    server.use(http.post('*/api/maintenance/breakdowns', () => HttpResponse.json(CREATED, { status: 201 })));
    const { router } = await renderMaintenance('/maintenance/report');
    await vi.waitFor(() => expect(q('breakdown-code')).not.toBeNull());
    expect(q('nav-maintenance-report-a-breakdown')!.className).toContain('is-active');

    // Typed (or scanned: a code and Enter): the register names the asset.
    await typeInto('breakdown-code', ' AST-2026-00001 ');
    await pressEnter('breakdown-code');
    await vi.waitFor(() => expect(text('breakdown-asset')).toBe('AST-2026-00001 · Compressor 1 — Plant'));
    expect(requests.some((r) => r.url.pathname === '/api/fixed-assets/assets' && r.url.searchParams.get('q') === 'AST-2026-00001')).toBe(true);

    await typeInto('breakdown-description', 'Oil on the floor\nLoud knocking');
    q('breakdown-asset-down')!.querySelector<HTMLElement>('.el-switch')!.click();
    await choose('breakdown-problem-code', 'LEAK — Leaking');
    await click('breakdown-submit');

    await vi.waitFor(() => expect(q('breakdown-done')).not.toBeNull());
    expect(posts().map((r) => r.body)).toEqual([{ code: 'AST-2026-00001', description: 'Oil on the floor\nLoud knocking', assetDown: true, problemCode: 'LEAK' }]);
    expect(text('breakdown-number')).toBe('WO-000042');
    expect(q('breakdown-number')!.getAttribute('href')).toBe(`/maintenance/work-orders/${WO_ID}`);
    expect(text('breakdown-priority')).toBe('Urgent priority');

    // Report another: a fresh form.
    await click('breakdown-again');
    expect((q('breakdown-code') as HTMLInputElement).value).toBe('');
    expect(router.currentRoute.value.path).toBe('/maintenance/report');
  });

  it('marks the fields the server refuses: an unknown code, then a 400 validation problem', async () => {
    maintenanceLookups();
    let attempt = 0;
    server.use(
      http.post('*/api/maintenance/breakdowns', () => {
        attempt += 1;
        if (attempt === 1)
          return problem(404, 'maintenance/unknown-asset-code', 'Unknown asset code', 'No asset has the code XYZ-9', { field: 'code', code: 'XYZ-9' });
        return problem(400, 'validation', 'Invalid request', 'problemCode: no such active problem code', { errors: [{ field: 'problemCode', message: 'no such active problem code' }] });
      }),
    );
    await renderMaintenance('/maintenance/report');
    await vi.waitFor(() => expect(q('breakdown-code')).not.toBeNull());

    // Nothing typed: asked for before anything is sent.
    await click('breakdown-submit');
    await vi.waitFor(() => expect(fieldError('breakdown-code')).toBe('Scan or type the asset tag'));
    expect(fieldError('breakdown-description')).toBe('Say what is wrong');
    expect(posts()).toHaveLength(0);

    await typeInto('breakdown-code', 'XYZ-9');
    await vi.waitFor(() => expect(q('breakdown-asset-unknown')).not.toBeNull());
    await typeInto('breakdown-description', 'Smoke');
    await click('breakdown-submit');
    await vi.waitFor(() => expect(fieldError('breakdown-code')).toBe('No asset has the code XYZ-9'));
    expect(text('breakdown-error')).toBe('No asset has the code XYZ-9');

    await typeInto('breakdown-code', 'AST-2026-00001');
    await choose('breakdown-problem-code', 'NOISE — Abnormal noise');
    await click('breakdown-submit');
    await vi.waitFor(() => expect(fieldError('breakdown-problem-code')).toBe('no such active problem code'));
    expect(fieldError('breakdown-code')).toBeUndefined();
    expect(posts().map((r) => r.body)).toEqual([
      { code: 'XYZ-9', description: 'Smoke', assetDown: false },
      { code: 'AST-2026-00001', description: 'Smoke', assetDown: false, problemCode: 'NOISE' },
    ]);
    expect(q('breakdown-done')).toBeNull();
  });

  it('asks which asset when the code names several, and works with the report permission alone', async () => {
    state.session = { ...ADMIN_SESSION, permissions: ['maintenance.breakdown.report'] };
    server.use(
      // A reporter may read neither the register nor the failure codes.
      http.get('*/api/fixed-assets/assets', () => problem(403, 'forbidden', 'Forbidden', 'Missing permission fixed-assets.asset.read')),
      http.get('*/api/maintenance/failure-codes', () => problem(403, 'forbidden', 'Forbidden', 'Missing permission maintenance.read')),
      http.post('*/api/maintenance/breakdowns', async ({ request }) => {
        const body = (await request.json()) as { assetId?: string };
        if (!body.assetId)
          return problem(409, 'maintenance/ambiguous-code', 'Code names several assets', 'The code SN-1 names 2 assets; report the breakdown by asset', {
            field: 'code',
            code: 'SN-1',
            assets: [
              { id: ASSET_ID, label: 'AST-2026-00001 · Compressor 1' },
              { id: '0196b000-0000-7000-8000-0000000b0002', label: 'AST-2026-00002 · Compressor 2' },
            ],
          });
        return HttpResponse.json({ ...CREATED, priority: 'high', assetDown: false, problemCode: null }, { status: 201 });
      }),
    );
    await renderMaintenance('/maintenance/report');
    await vi.waitFor(() => expect(q('breakdown-code')).not.toBeNull());
    expect(q('nav-maintenance-work-orders')).toBeNull();
    await vi.waitFor(() => expect(requests.some((r) => r.url.pathname === '/api/maintenance/failure-codes')).toBe(true));
    expect(q('breakdown-problem-code')).toBeNull();

    await typeInto('breakdown-code', 'SN-1');
    await typeInto('breakdown-description', 'Does not start');
    await click('breakdown-submit');
    await vi.waitFor(() => expect(document.querySelectorAll('[data-testid="breakdown-choice"]')).toHaveLength(2));
    expect(text('breakdown-error')).toContain('The code SN-1 names 2 assets');
    document.querySelector<HTMLElement>(`[data-testid="breakdown-choice"][data-id="${ASSET_ID}"]`)!.click();
    await vi.waitFor(() => expect(text('breakdown-number')).toBe('WO-000042'));
    expect(posts().map((r) => r.body)).toEqual([
      { code: 'SN-1', description: 'Does not start', assetDown: false },
      { assetId: ASSET_ID, description: 'Does not start', assetDown: false },
    ]);
    // Without maintenance.read the number is shown, not linked.
    expect(q('breakdown-number')!.tagName).toBe('SPAN');
  });
});
