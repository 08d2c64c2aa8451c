import { http, HttpResponse } from 'msw';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Campaign, CampaignCounts, CampaignLine, ScanOutcome } from '../../src/admin/audit-api';
import { ASSET2_ID, ASSET_ID, LOCATIONS, LOC_ID, ROOM_ID, all, click, confirmBox, coreLookups, fieldError, problem, q, renderFixedAssets, requests, server, settle, text, typeInto } from './harness';

const SLOW = { timeout: 30_000 };
const CAMPAIGN_ID = '0196a1b2-0000-7000-8000-0000000f00a1';
const HQ = { id: LOC_ID, name: 'HQ', path: 'HQ' };
const ROOM = { id: ROOM_ID, name: 'Room 101', path: 'HQ / Room 101' };
const WAREHOUSE = { id: '0196a1b2-0000-7000-8000-0000000d0009', name: 'Warehouse', path: 'Warehouse' };

const zero: CampaignCounts = { expected: 3, found: 0, missing: 3, unexpected: 0, extra: 0, misplaced: 0, unknown: 0, reads: 0, reconciled: 0, unreconciled: 3 };
function campaign(patch: Partial<Campaign> = {}): Campaign {
  return {
    id: CAMPAIGN_ID,
    number: '7',
    name: 'HQ year-end',
    status: 'open',
    location: HQ,
    category: null,
    dueDate: '2026-12-15',
    notes: null,
    createdBy: 'Ada Admin',
    createdAt: '2026-11-20T09:00:00.000Z',
    closedAt: null,
    closedBy: null,
    closeReason: null,
    forced: false,
    counts: zero,
    ...patch,
  };
}

/** A server that knows three expected tags, one registered elsewhere, and remembers what was scanned. */
function scanServer() {
  const expected: Record<string, { id: string; tag: string; name: string }> = {
    'AST-2026-00001': { id: ASSET_ID, tag: 'AST-2026-00001', name: 'ThinkPad T14' },
    'AST-2026-00002': { id: ASSET2_ID, tag: 'AST-2026-00002', name: 'Dock' },
    'AST-2026-00003': { id: '0196a1b2-0000-7000-8000-0000000a0003', tag: 'AST-2026-00003', name: 'Monitor' },
  };
  const elsewhere: Record<string, { id: string; tag: string; name: string }> = { 'AST-2026-00009': { id: '0196a1b2-0000-7000-8000-0000000a0009', tag: 'AST-2026-00009', name: 'Projector' } };
  const seen = new Map<string, ScanOutcome['result']>();
  const counts = { ...zero };
  coreLookups();
  server.use(
    http.get(`*/api/fixed-assets/campaigns/${CAMPAIGN_ID}`, () => HttpResponse.json({ ...campaign({ counts: { ...counts } }), lines: { data: [], total: 0, limit: 1, offset: 0 } })),
    http.post(`*/api/fixed-assets/campaigns/${CAMPAIGN_ID}/scans`, async ({ request }) => {
      const body = (await request.json()) as { codes: string[] };
      const results: ScanOutcome[] = body.codes.map((code, index) => {
        const base = { index, code, expected: false, misplaced: false, candidates: [], firstResult: null, asset: null } as Omit<ScanOutcome, 'result' | 'message'>;
        counts.reads++;
        if (seen.has(code)) return { ...base, result: 'duplicate', firstResult: seen.get(code) as never, message: `${code} was already scanned in this audit` };
        if (expected[code]) {
          seen.set(code, 'found');
          counts.found++;
          counts.missing--;
          counts.unreconciled--;
          return { ...base, result: 'found', expected: true, asset: { ...expected[code]!, status: 'in-service', location: ROOM }, message: 'Found' };
        }
        if (elsewhere[code]) {
          seen.set(code, 'unexpected');
          counts.unexpected++;
          counts.unreconciled++;
          return { ...base, result: 'unexpected', asset: { ...elsewhere[code]!, status: 'in-service', location: WAREHOUSE }, message: 'Registered at Warehouse, outside this audit' };
        }
        seen.set(code, 'unknown');
        counts.unknown++;
        return { ...base, result: 'unknown', message: `No asset has the code ${code}` };
      });
      return HttpResponse.json({ results, counts: { ...counts } });
    }),
  );
}

const scanRequests = () => requests.filter((r) => r.method === 'POST' && r.url.pathname.endsWith('/scans'));
const input = () => q('campaign-scan-input') as HTMLInputElement;

/** What a keyboard-wedge scanner does: type the code into the focused field, then Enter. */
async function wedge(code: string) {
  const el = document.activeElement as HTMLInputElement;
  expect(el).toBe(input());
  el.value = code;
  el.dispatchEvent(new Event('input', { bubbles: true }));
  el.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', code: 'Enter', bubbles: true }));
  await settle();
}

afterEach(() => {
  (window as unknown as { happyDOM?: { setViewport(v: { width: number; height: number }): void } }).happyDOM?.setViewport({ width: 1024, height: 768 });
});

describe('audit scanning on a phone', () => {
  it('keeps the focus, counts found, unexpected, unknown and duplicate scans at 360 × 640', SLOW, async () => {
    (window as unknown as { happyDOM: { setViewport(v: { width: number; height: number }): void } }).happyDOM.setViewport({ width: 360, height: 640 });
    scanServer();
    await renderFixedAssets(`/fixed-assets/campaigns/${CAMPAIGN_ID}/scan`);
    await vi.waitFor(() => expect(text('campaign-scan-title')).toBe('A-7 · HQ year-end'));
    // Full screen over the console on a phone, the console behind it locked.
    expect(q('campaign-scan')!.dataset.phone).toBe('true');
    expect(document.documentElement.classList.contains('qm-fa-scan-lock')).toBe(true);
    expect(text('scan-count-found')).toBe('0');
    expect(text('scan-count-expected')).toBe('3');
    // The scanner's input has the focus and no on-screen keyboard until asked for.
    await vi.waitFor(() => expect(document.activeElement).toBe(input()));
    expect(input().getAttribute('inputmode')).toBe('none');

    await wedge('AST-2026-00001');
    await vi.waitFor(() => expect(text('scan-count-found')).toBe('1'));
    expect(q('campaign-scan-last')!.dataset.result).toBe('found');
    expect(text('scan-count-missing')).toBe('2');
    expect(input().value).toBe('');

    // The same tag again: shown as already scanned, counted once.
    await wedge('AST-2026-00001');
    await vi.waitFor(() => expect(q('campaign-scan-last')!.dataset.result).toBe('duplicate'));
    expect(text('scan-count-found')).toBe('1');
    expect(text('scan-count-duplicates')).toBe('1');
    expect(text('campaign-scan-last')).toContain('Already scanned');

    await wedge('AST-2026-00009');
    await vi.waitFor(() => expect(q('campaign-scan-last')!.dataset.result).toBe('unexpected'));
    expect(text('scan-count-unexpected')).toBe('1');
    expect(text('scan-feed-where')).toBe('Registered at Warehouse');

    // Focus wanders off (a tap on the page): it comes back to the input.
    input().blur();
    (document.body as HTMLElement).focus();
    await vi.waitFor(() => expect(document.activeElement).toBe(input()), { timeout: 2000 });

    // A column of codes pasted at once goes in one request, in order.
    const paste = new Event('paste', { bubbles: true, cancelable: true }) as ClipboardEvent;
    Object.defineProperty(paste, 'clipboardData', { value: { getData: () => 'AST-2026-00002\r\nNOPE-1\r\nAST-2026-00002\r\n' } });
    input().dispatchEvent(paste);
    await vi.waitFor(() => expect(text('scan-count-unknown')).toBe('1'));
    expect(scanRequests().at(-1)!.body).toEqual({ codes: ['AST-2026-00002', 'NOPE-1', 'AST-2026-00002'], source: 'barcode' });
    expect(text('scan-count-found')).toBe('2');
    expect(text('scan-count-duplicates')).toBe('2');
    expect(all('scan-feed-item').map((e) => e.dataset.result)).toEqual(['duplicate', 'unknown', 'found', 'unexpected', 'duplicate', 'found']);
    expect(scanRequests()).toHaveLength(4);

    // The reader and the place go with the next scans.
    await click('campaign-scan-source-rfid');
    const where = q('campaign-scan-where') as HTMLSelectElement;
    expect([...where.options].map((o) => o.value)).toEqual(['', ROOM_ID]);
    where.value = ROOM_ID;
    where.dispatchEvent(new Event('change', { bubbles: true }));
    await vi.waitFor(() => expect(document.activeElement).toBe(input()));
    await wedge('AST-2026-00003');
    await vi.waitFor(() => expect(text('scan-count-found')).toBe('3'));
    expect(scanRequests().at(-1)!.body).toEqual({ codes: ['AST-2026-00003'], source: 'rfid', locationId: ROOM_ID });
    expect(q('campaign-scan-results')!.getAttribute('href')).toBe(`/fixed-assets/campaigns/${CAMPAIGN_ID}`);
  });

  it('keeps codes that could not be sent and retries them', SLOW, async () => {
    scanServer();
    let fail = true;
    server.use(
      http.post(`*/api/fixed-assets/campaigns/${CAMPAIGN_ID}/scans`, () => {
        if (fail) return problem(503, 'unavailable', 'Service unavailable', 'The server is busy; try again');
        return undefined as never;
      }),
    );
    await renderFixedAssets(`/fixed-assets/campaigns/${CAMPAIGN_ID}/scan`);
    await vi.waitFor(() => expect(document.activeElement).toBe(input()));
    expect(q('campaign-scan')!.dataset.phone).toBe('false');
    await wedge('AST-2026-00001');
    await vi.waitFor(() => expect(text('campaign-scan-error')).toContain('The server is busy'));
    expect(text('campaign-scan-pending')).toContain('1 code');
    fail = false;
    server.resetHandlers();
    scanServer();
    await click('campaign-scan-retry');
    await vi.waitFor(() => expect(text('scan-count-found')).toBe('1'));
    expect(q('campaign-scan-pending')).toBeNull();
    expect(q('campaign-scan-error')).toBeNull();
  });

  it('stops taking scans when the audit is closed', SLOW, async () => {
    coreLookups();
    server.use(http.get(`*/api/fixed-assets/campaigns/${CAMPAIGN_ID}`, () => HttpResponse.json({ ...campaign({ status: 'closed' }), lines: { data: [], total: 0, limit: 1, offset: 0 } })));
    await renderFixedAssets(`/fixed-assets/campaigns/${CAMPAIGN_ID}/scan`);
    await vi.waitFor(() => expect(text('campaign-scan-closed')).toContain('closed'));
    expect(q('campaign-scan-input')).toBeNull();
  });
});

function line(patch: Partial<CampaignLine>): CampaignLine {
  return {
    state: 'missing',
    asset: { id: ASSET2_ID, tag: 'AST-2026-00002', name: 'Dock', serialNumber: null, status: 'in-service', location: ROOM, flaggedMissingAt: null },
    code: null,
    codeKind: null,
    expected: true,
    misplaced: false,
    registeredLocation: ROOM,
    scannedLocation: null,
    source: null,
    scannedAt: null,
    scannedBy: null,
    reads: 0,
    resolution: null,
    ...patch,
  };
}

describe('audits', () => {
  it('lists audits and opens a new one for a location', SLOW, async () => {
    coreLookups();
    server.use(
      http.get('*/api/fixed-assets/campaigns', ({ request }) => {
        const u = new URL(request.url);
        return HttpResponse.json({ data: u.searchParams.getAll('status').includes('open') ? [campaign({ counts: { ...zero, found: 1, missing: 2 } })] : [], total: 1, limit: 25, offset: 0 });
      }),
      http.post('*/api/fixed-assets/campaigns', () => HttpResponse.json(campaign(), { status: 201 })),
      http.get(`*/api/fixed-assets/campaigns/${CAMPAIGN_ID}`, () => HttpResponse.json({ ...campaign(), lines: { data: [], total: 0, limit: 50, offset: 0 } })),
    );
    const { router } = await renderFixedAssets('/fixed-assets/campaigns');
    await vi.waitFor(() => expect(text('campaign-link')).toBe('A-7 · HQ year-end'));
    expect(q('nav-fixed-assets-audits')).not.toBeNull();
    expect(text('campaign-missing')).toBe('2');
    expect(q('campaign-scan-link')!.getAttribute('href')).toBe(`/fixed-assets/campaigns/${CAMPAIGN_ID}/scan`);

    await click('campaign-create');
    await click('campaign-save');
    await vi.waitFor(() => expect(fieldError('campaign-name')).toBe('Give the campaign a name'));
    await typeInto('campaign-name', 'HQ year-end');
    // The location tree select: open it and pick the room.
    document.querySelector<HTMLElement>('.el-select[data-testid="campaign-location"] .el-select__wrapper')!.click();
    await settle();
    const node = [...document.querySelectorAll<HTMLElement>('.el-tree-node__content')].find((n) => n.textContent?.includes('Room 101'));
    expect(node, `tree nodes: ${LOCATIONS.length}`).toBeTruthy();
    node!.click();
    await settle();
    await click('campaign-save');
    await vi.waitFor(() => expect(router.currentRoute.value.path).toBe(`/fixed-assets/campaigns/${CAMPAIGN_ID}`));
    expect(requests.find((r) => r.method === 'POST' && r.url.pathname === '/api/fixed-assets/campaigns')!.body).toEqual({ name: 'HQ year-end', locationId: ROOM_ID });
  });

  it('reconciles what is missing or elsewhere and closes with a reason when some is left', SLOW, async () => {
    let c = campaign({ counts: { ...zero, found: 1, missing: 2, unexpected: 1, unreconciled: 3 } });
    const reconciles: unknown[] = [];
    coreLookups();
    server.use(
      http.get(`*/api/fixed-assets/campaigns/${CAMPAIGN_ID}`, ({ request }) => {
        const s = new URL(request.url).searchParams.getAll('state');
        const data =
          s[0] === 'missing'
            ? [line({}), line({ asset: { id: ASSET_ID, tag: 'AST-2026-00001', name: 'ThinkPad T14', serialNumber: null, status: 'in-service', location: ROOM, flaggedMissingAt: null } })]
            : s[0] === 'unexpected'
              ? [line({ state: 'unexpected', expected: false, registeredLocation: WAREHOUSE, scannedLocation: ROOM, scannedAt: '2026-11-21T10:00:00.000Z', scannedBy: 'Ada Admin', reads: 2, asset: { id: '0196a1b2-0000-7000-8000-0000000a0009', tag: 'AST-2026-00009', name: 'Projector', serialNumber: null, status: 'in-service', location: WAREHOUSE, flaggedMissingAt: null } })]
              : [];
        return HttpResponse.json({ ...c, lines: { data, total: data.length, limit: 50, offset: 0 } });
      }),
      http.post(`*/api/fixed-assets/campaigns/${CAMPAIGN_ID}/reconcile`, async ({ request }) => {
        const b = (await request.json()) as { actions: { assetId: string; action: string }[] };
        reconciles.push(b);
        if (b.actions.length === 2) {
          return HttpResponse.json(
            {
              type: 'https://quartermaster.dev/problems/fixed-assets/bulk-refused',
              title: 'Nothing was reconciled',
              status: 409,
              detail: '1 of 2 actions were refused: AST-2026-00001: has components',
              errors: [{ field: 'actions.1', assetId: ASSET_ID, tag: 'AST-2026-00001', message: 'AST-2026-00001 has 2 components attached' }],
            },
            { status: 409, headers: { 'content-type': 'application/problem+json' } },
          );
        }
        c = { ...c, counts: { ...c.counts, unreconciled: c.counts.unreconciled - 1, reconciled: 1 } };
        return HttpResponse.json({ results: b.actions.map((a) => ({ ...a, tag: 'AST-2026-00009', outcome: 'done', moved: a.action === 'move-here' ? [a.assetId] : [] })), campaign: c });
      }),
      http.post(`*/api/fixed-assets/campaigns/${CAMPAIGN_ID}/close`, async ({ request }) => {
        const b = (await request.json()) as { force?: boolean; reason?: string };
        if (!b.force) return problem(409, 'fixed-assets/campaign-unreconciled', 'Discrepancies not reconciled', 'still unreconciled');
        c = { ...c, status: 'closed', forced: true, closeReason: b.reason ?? null, closedAt: '2026-11-23T10:00:00.000Z', closedBy: 'Ada Admin' };
        return HttpResponse.json(c);
      }),
    );
    await renderFixedAssets(`/fixed-assets/campaigns/${CAMPAIGN_ID}`);
    await vi.waitFor(() => expect(text('campaign-line-tag')).toBe('AST-2026-00009'));
    expect(text('campaign-line-registered')).toBe('Warehouse');
    expect(text('campaign-count-unreconciled')).toBe('3');

    await click('campaign-line-move-here');
    await vi.waitFor(() => expect(reconciles).toHaveLength(1));
    expect(reconciles[0]).toEqual({ actions: [{ assetId: '0196a1b2-0000-7000-8000-0000000a0009', action: 'move-here' }] });
    await vi.waitFor(() => expect(text('campaign-count-unreconciled')).toBe('2'));

    // Missing: both selected, flagged together; a refusal is shown on its line and nothing is done.
    (document.querySelector('#tab-missing') as HTMLElement).click();
    await vi.waitFor(() => expect(all('campaign-line-tag')).toHaveLength(2));
    expect(all('campaign-line-mark-lost')).toHaveLength(2);
    const headerBox = () => document.querySelector<HTMLElement>('[data-testid="campaign-lines"] .el-table__header .el-checkbox');
    await vi.waitFor(() => expect(headerBox()).not.toBeNull());
    headerBox()!.click();
    await vi.waitFor(() => expect(q('campaign-bulk-flag-missing')).not.toBeNull());
    expect(text('campaign-bulk')).toContain('2 selected');
    await click('campaign-bulk-flag-missing');
    await confirmBox();
    await vi.waitFor(() => expect(text('campaign-line-error')).toBe('AST-2026-00001 has 2 components attached'));
    expect((reconciles[1] as { actions: unknown[] }).actions).toEqual([
      { assetId: ASSET2_ID, action: 'flag-missing' },
      { assetId: ASSET_ID, action: 'flag-missing' },
    ]);

    await click('campaign-close');
    expect(text('campaign-close-warning')).toContain('2 discrepancies are not reconciled');
    await click('campaign-close-confirm');
    await vi.waitFor(() => expect(fieldError('campaign-close-reason')).toContain('Give a reason'));
    const reason = q('campaign-close-reason') as HTMLTextAreaElement;
    reason.value = 'Dock found later, written off next audit';
    reason.dispatchEvent(new Event('input', { bubbles: true }));
    await settle(2);
    await click('campaign-close-confirm');
    await vi.waitFor(() => expect(text('campaign-status')).toBe('closed'));
    expect(requests.find((r) => r.url.pathname.endsWith('/close'))!.body).toEqual({ force: true, reason: 'Dock found later, written off next audit' });
    expect(q('campaign-close')).toBeNull();
    expect(q('campaign-line-flag-missing')).toBeNull();
  });
});
