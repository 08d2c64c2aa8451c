import { http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { ASSET2_ID, PERSON_ID, all, cells, choose, click, coreLookups, makeAsset, paged, pickRadio, problem, q, renderFixedAssets, requests, scan, server, text } from './harness';

const A1 = { ...makeAsset(1), children: [] };
const A2 = { ...makeAsset(2, { name: 'Projector' }), children: [] };
const OUT = {
  ...makeAsset(2, {
    name: 'Projector',
    status: 'checked-out',
    custody: { id: 'c9', assetId: ASSET2_ID, tag: 'AST-2026-00002', assetName: 'Projector', bookingId: null, holder: { type: 'person', id: PERSON_ID, label: 'Pat Field' }, checkedOutAt: '2026-11-01T10:00:00.000Z', checkedOutBy: 'Ada Admin', expectedReturnAt: null, conditionOut: null, noteOut: null, checkedInAt: null, checkedInBy: null, conditionIn: null, noteIn: null, outcome: null, overdue: false },
  }),
  children: [],
};

function catalogue(assets: Record<string, typeof A1> = { 'AST-2026-00001': A1, 'AST-2026-00002': A2 }) {
  coreLookups();
  server.use(
    http.get('*/api/core/identifiers/resolve', ({ request }) => {
      const value = new URL(request.url).searchParams.get('value') ?? '';
      const a = assets[value];
      return HttpResponse.json({
        value,
        matches: a ? [{ identifier: { id: `i-${a.id}`, type: 'asset-tag', value }, target: { type: 'fixed-assets.asset', id: a.id, label: `${a.tag} · ${a.name}`, href: `/fixed-assets/assets/${a.id}` } }] : [],
        interpretations: [],
      });
    }),
    http.get('*/api/fixed-assets/assets', ({ request }) => paged([], request.url)),
    http.get('*/api/fixed-assets/assets/:id', ({ params }) => HttpResponse.json(Object.values(assets).find((a) => a.id === params.id))),
    http.get(`*/api/fixed-assets/persons/${PERSON_ID}`, () => HttpResponse.json({ id: PERSON_ID, name: 'Pat Field' })),
  );
}

const custody = (a: typeof A1, patch: Record<string, unknown> = {}) => ({
  id: `c-${a.id}`,
  assetId: a.id,
  tag: a.tag,
  assetName: a.name,
  bookingId: null,
  holder: { type: 'person', id: PERSON_ID, label: 'Pat Field' },
  checkedOutAt: '2026-11-23T10:00:00.000Z',
  checkedOutBy: 'Ada Admin',
  expectedReturnAt: null,
  conditionOut: null,
  noteOut: null,
  checkedInAt: null,
  checkedInBy: null,
  conditionIn: null,
  noteIn: null,
  outcome: null,
  overdue: false,
  ...patch,
});

const bulk = (what: 'check-out' | 'check-in') => requests.filter((r) => r.method === 'POST' && r.url.pathname === `/api/fixed-assets/custody/${what}`);

describe('check out / in by scanning', () => {
  it('lists each scan with its status, names an unknown code, and checks out the known ones in one request', async () => {
    catalogue();
    server.use(http.post('*/api/fixed-assets/custody/check-out', () => HttpResponse.json({ custodies: [custody(A1), custody(A2)] }, { status: 201 })));
    const { router } = await renderFixedAssets('/fixed-assets/scan');
    await vi.waitFor(() => expect(q('scan-input')).not.toBeNull());
    expect(q('scan-mode-check-out')!.className).toContain('is-active');

    await scan('AST-2026-00001');
    await vi.waitFor(() => expect(cells('scan-line-tag')).toEqual(['AST-2026-00001']));
    await scan('NOPE-1');
    await scan('AST-2026-00002');
    await vi.waitFor(() => expect(cells('scan-line-tag')).toEqual(['AST-2026-00002', 'NOPE-1', 'AST-2026-00001']));
    await vi.waitFor(() => expect(cells('scan-line-status')).toEqual(['In service', 'In service']));
    expect(cells('scan-line-error')).toEqual(['No asset has the tag NOPE-1']);
    expect(text('scan-last')).toBe('AST-2026-00002 · Projector');
    // The same tag again is not listed twice.
    await scan('AST-2026-00001');
    await vi.waitFor(() => expect(text('scan-last')).toBe('AST-2026-00001: already in the list'));
    expect(all('scan-line')).toHaveLength(3);
    expect(router.currentRoute.value.path).toBe('/fixed-assets/scan');
    expect(text('scan-submit')).toBe('Check out 2 assets');
    expect(text('scan-left-out')).toBe('1 code with errors left out');

    // Without a holder: asked for, nothing sent.
    await click('scan-submit');
    await vi.waitFor(() => expect(q('scan-holder-person')!.closest('.el-form-item')!.querySelector('.el-form-item__error')?.textContent?.trim()).toBe('Pick a person'));
    expect(bulk('check-out')).toHaveLength(0);

    await choose('scan-holder-person', 'Pat Field');
    await click('scan-submit');
    await vi.waitFor(() => expect(bulk('check-out')).toHaveLength(1));
    expect(bulk('check-out')[0]!.body).toEqual({ tags: ['AST-2026-00002', 'AST-2026-00001'], to: 'person', personId: PERSON_ID });
    await vi.waitFor(() => expect(cells('scan-line-result')).toEqual(['Checked out to Pat Field', 'Checked out to Pat Field']));
    expect(cells('scan-line-status')).toEqual(['Checked out', 'Checked out']);
    expect(q('scan-start-over')).not.toBeNull();
  });

  it('shows the refusal of a bulk request on the line of the refused tag, and sends a check-in with its condition', async () => {
    catalogue({ 'AST-2026-00001': A1, 'AST-2026-00002': OUT });
    let refuse = true;
    server.use(
      http.post('*/api/fixed-assets/custody/check-in', () =>
        refuse
          ? problem(409, 'fixed-assets/bulk-refused', 'Not checked in', 'AST-2026-00001 is not checked out', { errors: [{ field: 'tags.1', message: 'AST-2026-00001 is in-service, not checked out' }] })
          : HttpResponse.json({ custodies: [custody(OUT, { checkedInAt: '2026-11-23T11:00:00.000Z', conditionIn: 'fair', outcome: 'returned' })] }),
      ),
    );
    await renderFixedAssets('/fixed-assets/scan');
    await vi.waitFor(() => expect(q('scan-input')).not.toBeNull());
    await pickRadio('scan-mode-check-in');
    expect(q('scan-holder-type')).toBeNull();
    await scan('AST-2026-00001');
    await scan('AST-2026-00002');
    await vi.waitFor(() => expect(cells('scan-line-status')).toEqual(['Checked out', 'In service']));
    // Client-side hint only; the server decides.
    expect(cells('scan-line-warning')).toEqual(['is not checked out']);
    await choose('scan-condition', 'Fair');
    await click('scan-submit');
    await vi.waitFor(() => expect(cells('scan-line-error')).toEqual(['AST-2026-00001 is in-service, not checked out']));
    expect(bulk('check-in')[0]!.body).toEqual({ tags: ['AST-2026-00002', 'AST-2026-00001'], condition: 'fair' });
    expect(text('scan-error')).toContain('AST-2026-00001 is not checked out');

    // What is left goes through.
    refuse = false;
    expect(text('scan-submit')).toBe('Check in 1 asset');
    await click('scan-submit');
    await vi.waitFor(() => expect(cells('scan-line-result')).toEqual(['Checked in (fair)']));
    expect(bulk('check-in')[1]!.body).toEqual({ tags: ['AST-2026-00002'], condition: 'fair' });
  });
});
