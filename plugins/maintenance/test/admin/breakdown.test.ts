import { http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import {
  ADMIN_SESSION,
  ASSET2_ID,
  ASSET_ID,
  ASSET_SERIAL,
  SHARED_CODE,
  WO_ID,
  all,
  choose,
  click,
  fieldError,
  maintenanceLookups,
  pressEnter,
  problem,
  q,
  renderMaintenance,
  requests,
  server,
  state,
  text,
  typeInto,
} from './harness';

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
/** The codes the page looked up with `GET /breakdowns/asset?code=`, in order. */
const lookups = () => requests.filter((r) => r.method === 'GET' && r.url.pathname === '/api/maintenance/breakdowns/asset').map((r) => r.url.searchParams.get('code'));
/** Calls the page no longer makes: fixed-assets' search and the failure code catalogue. */
const otherReads = () => requests.filter((r) => r.url.pathname.startsWith('/api/fixed-assets/') || r.url.pathname === '/api/maintenance/failure-codes');
const choice = (id: string) => document.querySelector<HTMLElement>(`[data-testid="breakdown-choice"][data-id="${id}"]`)!;
const problemOptions = () => [...document.querySelectorAll<HTMLElement>('.el-select-dropdown__item')].map((o) => o.dataset.testid);

// Long user flows through the whole shell: give them room when the machine is busy.
describe('breakdown report', { timeout: 60_000 }, () => {
  it('looks the typed tag up with the breakdown route, reports the breakdown by that code and shows the new work order', async () => {
    maintenanceLookups();
    server.use(http.post('*/api/maintenance/breakdowns', () => HttpResponse.json(CREATED, { status: 201 })));
    const { router } = await renderMaintenance('/maintenance/report');
    await vi.waitFor(() => expect(q('breakdown-code')).not.toBeNull());
    expect(q('nav-maintenance-report-a-breakdown')!.className).toContain('is-active');
    // No problem codes until a lookup answers them.
    expect(q('breakdown-problem-code')).toBeNull();

    // Typed (or scanned: a code and Enter): the server names the asset and its status.
    await typeInto('breakdown-code', ' AST-2026-00001 ');
    await pressEnter('breakdown-code');
    await vi.waitFor(() => expect(text('breakdown-asset')).toBe('AST-2026-00001 · Compressor 1'));
    expect(text('breakdown-asset-status')).toBe('In service');
    expect((q('breakdown-code') as HTMLInputElement).value).toBe('AST-2026-00001');
    // The change and the Enter ask once; nothing is read from fixed-assets or the failure code catalogue.
    expect(lookups()).toEqual(['AST-2026-00001']);
    expect(otherReads()).toEqual([]);

    await typeInto('breakdown-description', 'Oil on the floor\nLoud knocking');
    q('breakdown-asset-down')!.querySelector<HTMLElement>('.el-switch')!.click();
    await choose('breakdown-problem-code', 'LEAK — Leaking');
    expect(problemOptions()).toEqual(['option-LEAK', 'option-NOISE']);
    await click('breakdown-submit');

    await vi.waitFor(() => expect(q('breakdown-done')).not.toBeNull());
    expect(posts().map((r) => r.body)).toEqual([{ code: 'AST-2026-00001', description: 'Oil on the floor\nLoud knocking', assetDown: true, problemCode: 'LEAK' }]);
    expect(lookups()).toEqual(['AST-2026-00001']);
    expect(text('breakdown-number')).toBe('WO-000042');
    expect(q('breakdown-number')!.getAttribute('href')).toBe(`/maintenance/work-orders/${WO_ID}`);
    expect(text('breakdown-priority')).toBe('Urgent priority');

    // Report another: a fresh form.
    await click('breakdown-again');
    expect((q('breakdown-code') as HTMLInputElement).value).toBe('');
    expect(q('breakdown-asset')).toBeNull();
    expect(router.currentRoute.value.path).toBe('/maintenance/report');
  });

  it('shows an unknown code before sending, and marks the fields the server refuses', async () => {
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
    expect(lookups()).toEqual([]);

    // The lookup answers 404: the unknown state, no asset, no problem codes.
    await typeInto('breakdown-code', 'XYZ-9');
    await vi.waitFor(() => expect(text('breakdown-asset-unknown')).toBe('No asset has the tag or code XYZ-9 (serials and labels were checked too).'));
    expect(q('breakdown-asset')).toBeNull();
    expect(q('breakdown-problem-code')).toBeNull();
    await typeInto('breakdown-description', 'Smoke');
    await click('breakdown-submit');
    await vi.waitFor(() => expect(fieldError('breakdown-code')).toBe('No asset has the code XYZ-9'));
    expect(text('breakdown-error')).toBe('No asset has the code XYZ-9');
    // Submitting did not ask again for the code already looked up.
    expect(lookups()).toEqual(['XYZ-9']);

    await typeInto('breakdown-code', 'AST-2026-00001');
    await vi.waitFor(() => expect(text('breakdown-asset')).toContain('AST-2026-00001 · Compressor 1'));
    expect(q('breakdown-asset-unknown')).toBeNull();
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

  it('with the report permission alone: resolves a scanned serial (not a tag) and offers the problem codes', async () => {
    state.session = { ...ADMIN_SESSION, permissions: ['maintenance.breakdown.report'] };
    maintenanceLookups();
    server.use(
      // A reporter may read neither the register nor the failure code catalogue: the page must not need them.
      http.get('*/api/fixed-assets/assets', () => problem(403, 'forbidden', 'Forbidden', 'Missing permission fixed-assets.asset.read')),
      http.get('*/api/maintenance/failure-codes', () => problem(403, 'forbidden', 'Forbidden', 'Missing permission maintenance.read')),
      http.post('*/api/maintenance/breakdowns', () => HttpResponse.json({ ...CREATED, priority: 'high', assetDown: false, problemCode: 'NOISE' }, { status: 201 })),
    );
    await renderMaintenance('/maintenance/report');
    await vi.waitFor(() => expect(q('breakdown-code')).not.toBeNull());
    expect(q('nav-maintenance-work-orders')).toBeNull();

    // A scanner types the serial and Enter.
    await typeInto('breakdown-code', `${ASSET_SERIAL}\r`);
    await pressEnter('breakdown-code');
    await vi.waitFor(() => expect(text('breakdown-asset')).toBe('AST-2026-00001 · Compressor 1'));
    expect(lookups()).toEqual([ASSET_SERIAL]);
    expect(q('breakdown-asset-unknown')).toBeNull();

    await typeInto('breakdown-description', 'Does not start');
    await choose('breakdown-problem-code', 'NOISE — Abnormal noise');
    await click('breakdown-submit');
    await vi.waitFor(() => expect(text('breakdown-number')).toBe('WO-000042'));
    expect(posts().map((r) => r.body)).toEqual([{ code: ASSET_SERIAL, description: 'Does not start', assetDown: false, problemCode: 'NOISE' }]);
    expect(otherReads()).toEqual([]);
    // Without maintenance.read the number is shown, not linked.
    expect(q('breakdown-number')!.tagName).toBe('SPAN');
  });

  it('offers the assets of an ambiguous code before sending, and reports the one picked', async () => {
    state.session = { ...ADMIN_SESSION, permissions: ['maintenance.breakdown.report'] };
    maintenanceLookups();
    server.use(http.post('*/api/maintenance/breakdowns', () => HttpResponse.json({ ...CREATED, priority: 'high', assetDown: false, problemCode: null }, { status: 201 })));
    await renderMaintenance('/maintenance/report');
    await vi.waitFor(() => expect(q('breakdown-code')).not.toBeNull());

    await typeInto('breakdown-code', SHARED_CODE);
    await vi.waitFor(() => expect(all('breakdown-choice')).toHaveLength(2));
    expect(text('breakdown-choices-prompt')).toBe('The code SN-1 names 2 assets. Which one is it?');
    expect(all('breakdown-choice').map((b) => [b.dataset.id, b.textContent?.trim()])).toEqual([
      [ASSET_ID, 'AST-2026-00001 · Compressor 1'],
      [ASSET2_ID, 'AST-2026-00002 · Compressor 2'],
    ]);
    expect(q('breakdown-asset')).toBeNull();
    expect(posts()).toHaveLength(0);

    // Not picked yet: nothing is sent.
    await typeInto('breakdown-description', 'Does not start');
    await click('breakdown-submit');
    await vi.waitFor(() => expect(fieldError('breakdown-code')).toBe('The code SN-1 names several assets: pick one'));
    expect(posts()).toHaveLength(0);

    // Picking one shows it (and does not send yet); "Other asset" offers the choices again.
    choice(ASSET2_ID).click();
    await vi.waitFor(() => expect(text('breakdown-asset')).toBe('AST-2026-00002 · Compressor 2'));
    expect(q('breakdown-choices')).toBeNull();
    expect(fieldError('breakdown-code')).toBeFalsy();
    expect(posts()).toHaveLength(0);
    await click('breakdown-choice-change');
    expect(all('breakdown-choice')).toHaveLength(2);
    choice(ASSET_ID).click();
    await vi.waitFor(() => expect(text('breakdown-asset')).toContain('AST-2026-00001 · Compressor 1'));

    await click('breakdown-submit');
    await vi.waitFor(() => expect(text('breakdown-number')).toBe('WO-000042'));
    expect(posts().map((r) => r.body)).toEqual([{ assetId: ASSET_ID, description: 'Does not start', assetDown: false }]);
    expect(lookups()).toEqual([SHARED_CODE]);
  });

  it('when the lookup fails, still reports by the code and offers the choices of a 409 from the report', async () => {
    maintenanceLookups();
    server.use(
      http.get('*/api/maintenance/breakdowns/asset', () => problem(503, 'unavailable', 'Service unavailable', 'Try again later')),
      http.post('*/api/maintenance/breakdowns', async ({ request }) => {
        const body = (await request.json()) as { assetId?: string };
        if (!body.assetId)
          return problem(409, 'maintenance/ambiguous-code', 'Code names several assets', 'The code SN-1 names 2 assets; report the breakdown by asset', {
            field: 'code',
            code: 'SN-1',
            assets: [
              { id: ASSET_ID, label: 'AST-2026-00001 · Compressor 1' },
              { id: ASSET2_ID, label: 'AST-2026-00002 · Compressor 2' },
            ],
          });
        return HttpResponse.json({ ...CREATED, priority: 'high', assetDown: false, problemCode: null }, { status: 201 });
      }),
    );
    await renderMaintenance('/maintenance/report');
    await vi.waitFor(() => expect(q('breakdown-code')).not.toBeNull());

    await typeInto('breakdown-code', 'SN-1');
    await vi.waitFor(() => expect(lookups()).toEqual(['SN-1']));
    await typeInto('breakdown-description', 'Does not start');
    // The failed lookup shows nothing (neither an asset nor "unknown").
    expect(q('breakdown-asset')).toBeNull();
    expect(q('breakdown-asset-unknown')).toBeNull();
    await click('breakdown-submit');
    await vi.waitFor(() => expect(all('breakdown-choice')).toHaveLength(2));
    expect(text('breakdown-error')).toContain('The code SN-1 names 2 assets');
    // The report was asked for: picking the asset sends it again, by asset.
    choice(ASSET_ID).click();
    await vi.waitFor(() => expect(text('breakdown-number')).toBe('WO-000042'));
    expect(posts().map((r) => r.body)).toEqual([
      { code: 'SN-1', description: 'Does not start', assetDown: false },
      { assetId: ASSET_ID, description: 'Does not start', assetDown: false },
    ]);
  });
});
