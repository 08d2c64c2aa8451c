import { http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import {
  AISLE_ID,
  ASSET_ID,
  ITEM_ID,
  READER_ID,
  SGTIN_EPC,
  all,
  cells,
  choose,
  click,
  clickIn,
  decoded,
  errorAt,
  giai,
  lastRequest,
  makeMovement,
  makeTag,
  paged,
  pickLocation,
  problem,
  q,
  renderRfid,
  requests,
  server,
  text,
  toasts,
  typeIn,
} from './harness';
import type { TagDto } from '../../src/admin/types';

const SLOW = { timeout: 30_000 };
const ASSET = { id: ASSET_ID, tag: 'AST-2026-00042', name: 'Core drill', status: 'in-service' };
const ITEM = { id: ITEM_ID, name: 'Soap bar', unitOfMeasure: 'ea', identifiers: [] };
const STRAY = giai(5002);

/** Tags as the server keeps them; enrolling one gives it a target, clearing drops the unknown ones. */
function serveTags() {
  const tags: TagDto[] = [
    makeTag(STRAY),
    makeTag(SGTIN_EPC, { target: { type: 'core.item', id: ITEM_ID, label: 'Soap bar' } }),
    makeTag(giai(5003), { location: { id: AISLE_ID, name: 'Aisle 3' } }),
  ];
  const enrols: { epc: string; body: unknown }[] = [];
  server.use(
    http.get('*/api/rfid/tags', ({ request }) => {
      const p = new URL(request.url).searchParams;
      const s = p.get('status');
      const text = (p.get('q') ?? '').toLowerCase();
      const shown = tags.filter((t) => (s === 'unknown' ? !t.target : s === 'known' ? !!t.target : true)).filter((t) => !text || t.epc.toLowerCase().includes(text) || (t.gs1Key ?? '').includes(text));
      return paged(shown, request.url);
    }),
    http.post('*/api/rfid/tags/:epc/enrol', async ({ request, params }) => {
      const body = (await request.json()) as { targetType: string; targetId: string };
      enrols.push({ epc: String(params.epc), body });
      const tag = tags.find((t) => t.epc === params.epc)!;
      tag.target = { type: body.targetType, id: body.targetId, label: body.targetType === 'core.item' ? 'Soap bar' : 'AST-2026-00042 · Core drill' };
      return HttpResponse.json({ tag, identifierId: '0196c000-0000-7000-8000-000000000111' });
    }),
    http.post('*/api/rfid/tags/clear', () => {
      const before = tags.length;
      for (let i = tags.length - 1; i >= 0; i--) if (!tags[i]!.target) tags.splice(i, 1);
      return HttpResponse.json({ cleared: before - tags.length });
    }),
    http.get('*/api/fixed-assets/assets', ({ request }) => {
      const text = (new URL(request.url).searchParams.get('q') ?? '').toLowerCase();
      return paged([ASSET].filter((a) => !text || a.tag.toLowerCase().includes(text) || a.name.toLowerCase().includes(text)), request.url);
    }),
    http.get('*/api/core/items', ({ request }) => paged([ITEM], request.url)),
    http.get(`*/api/core/items/${ITEM_ID}`, () => HttpResponse.json(ITEM)),
  );
  return { tags, enrols };
}

const row = (epc: string) => all('tag-row-epc').find((a) => a.textContent?.trim() === epc)!.closest('tr')!;

describe('tags', () => {
  it('lists tags with GS1 key, what they are on and where they were last seen; filters known and unknown; searches', SLOW, async () => {
    serveTags();
    await renderRfid('/rfid/tags');
    await vi.waitFor(() => expect(cells('tag-row-epc')).toEqual([STRAY, SGTIN_EPC, giai(5003)]));
    expect(cells('tag-row-key')[1]).toBe('GTIN 80614141123458 · serial 6789');
    expect(cells('tag-row-key')[0]).toBe(`GIAI ${decoded(STRAY).giai}`);
    expect(cells('tag-row-target')).toEqual(['Item Soap bar']);
    expect(cells('tag-row-unknown')).toEqual(['Unknown', 'Unknown']);
    expect(cells('tag-row-enrol')).toEqual(['Enrol', 'Enrol']);

    await click('tags-status-unknown');
    await vi.waitFor(() => expect(cells('tag-row-epc')).toEqual([STRAY, giai(5003)]));
    expect(lastRequest(requests, '/api/rfid/tags').url.searchParams.get('status')).toBe('unknown');
    await typeIn('tags-search', STRAY.slice(-6).toLowerCase());
    await pickLocation(q('tags-location'), 'Aisle 3');
    await vi.waitFor(() => expect(cells('tag-row-epc')).toEqual([STRAY]));
    const p = lastRequest(requests, '/api/rfid/tags').url.searchParams;
    expect([p.get('status'), p.get('q'), p.get('locationId')]).toEqual(['unknown', STRAY.slice(-6).toLowerCase(), AISLE_ID]);
  });

  it('enrols an unknown tag to an asset found by its tag, then shows it known', SLOW, async () => {
    const { enrols } = serveTags();
    await renderRfid('/rfid/tags', { alsoEnabled: ['fixed-assets'] });
    await vi.waitFor(() => expect(cells('tag-row-epc')).toHaveLength(3));
    await clickIn(row(STRAY), 'tag-row-enrol');
    await vi.waitFor(() => expect(q('enrol-dialog')).not.toBeNull());
    expect(text('enrol-tag')).toContain(STRAY);
    // With fixed assets enabled, an asset is what a GIAI tag is usually on.
    expect(q('enrol-type-asset')!.closest('label')!.classList.contains('is-active')).toBe(true);

    await click('enrol-save');
    await vi.waitFor(() => expect(errorAt(q('enrol-asset'))).toBe('Pick the asset the tag is on'));
    expect(enrols).toEqual([]);

    const select = q('enrol-asset')!;
    const input = select.querySelector<HTMLInputElement>('input')!;
    select.querySelector<HTMLElement>('.el-select__wrapper')!.click();
    input.value = 'drill';
    input.dispatchEvent(new Event('input', { bubbles: true }));
    await vi.waitFor(() => expect(cells('enrol-asset-option')).toEqual(['AST-2026-00042 · Core drill']));
    expect(lastRequest(requests, '/api/fixed-assets/assets').url.searchParams.get('q')).toBe('drill');
    all('enrol-asset-option')[0]!.click();
    await click('enrol-save');

    await vi.waitFor(() => expect(enrols).toEqual([{ epc: STRAY, body: { targetType: 'fixed-assets.asset', targetId: ASSET_ID } }]));
    await vi.waitFor(() => expect(toasts()).toContain(`${STRAY} enrolled to AST-2026-00042 · Core drill`));
    await vi.waitFor(() => expect(cells('tag-row-target')).toContain('Asset AST-2026-00042 · Core drill'));
    expect(cells('tag-row-enrol')).toEqual(['Enrol']);
  });

  it('enrols to an item when fixed assets is not enabled, and shows why the server refuses an EPC already enrolled', SLOW, async () => {
    const { enrols } = serveTags();
    let taken = true;
    server.use(
      http.post('*/api/rfid/tags/:epc/enrol', async ({ request, params }) => {
        const body = await request.json();
        enrols.push({ epc: String(params.epc), body });
        if (taken) return problem(409, 'identifier-taken', 'Identifier already in use', `epc "${params.epc}" already points to core.item ${ITEM_ID}`, { field: 'value' });
        return HttpResponse.json({ tag: makeTag(String(params.epc), { target: { type: 'core.item', id: ITEM_ID, label: 'Soap bar' } }), identifierId: '0196c000-0000-7000-8000-000000000112' });
      }),
    );
    await renderRfid('/rfid/tags');
    await vi.waitFor(() => expect(cells('tag-row-epc')).toHaveLength(3));
    await clickIn(row(giai(5003)), 'tag-row-enrol');
    await vi.waitFor(() => expect(q('enrol-dialog')).not.toBeNull());
    expect(q('enrol-type-asset')!.closest('label')!.classList.contains('is-disabled')).toBe(true);
    expect(text('enrol-no-assets')).toBe('Enrolling to assets needs the fixed-assets plugin.');
    await choose(q('enrol-item'), 'Soap bar');
    await click('enrol-save');
    await vi.waitFor(() => expect(text('enrol-error')).toBe(`epc "${giai(5003)}" already points to core.item ${ITEM_ID}`));
    expect(q('enrol-dialog')).not.toBeNull();

    taken = false;
    await click('enrol-save');
    await vi.waitFor(() => expect(toasts()).toContain(`${giai(5003)} enrolled to Soap bar`));
    expect(enrols.map((e) => e.body)).toEqual([
      { targetType: 'core.item', targetId: ITEM_ID },
      { targetType: 'core.item', targetId: ITEM_ID },
    ]);
  });

  it('clears the unknown tags (those last seen before a moment, in the location filtered), for who may manage', SLOW, async () => {
    serveTags();
    await renderRfid(`/rfid/tags?locationId=${AISLE_ID}`);
    await vi.waitFor(() => expect(cells('tag-row-epc')).toHaveLength(3));
    await click('tags-clear');
    await vi.waitFor(() => expect(q('clear-dialog')).not.toBeNull());
    await typeIn('clear-seen-before', '2026-11-24T09:30');
    await click('clear-confirm');
    await vi.waitFor(() => expect(toasts()).toContain('2 unknown tags cleared'));
    const body = lastRequest(requests, '/api/rfid/tags/clear', 'POST').body as { seenBefore: string; locationId: string };
    expect(body.locationId).toBe(AISLE_ID);
    expect(body.seenBefore).toBe(new Date('2026-11-24T09:30').toISOString());
    await vi.waitFor(() => expect(cells('tag-row-epc')).toEqual([SGTIN_EPC]));
  });

  it('offers neither enrolling nor clearing to who may only read', SLOW, async () => {
    serveTags();
    await renderRfid('/rfid/tags', { permissions: ['rfid.read'] });
    await vi.waitFor(() => expect(cells('tag-row-epc')).toHaveLength(3));
    expect(q('tags-clear')).toBeNull();
    expect(all('tag-row-enrol')).toEqual([]);
  });
});

describe('a tag', () => {
  it('shows what its EPC says, what it is on, where it was seen, and its movements with their direction', SLOW, async () => {
    server.use(
      http.get(`*/api/rfid/tags/${SGTIN_EPC}`, () =>
        HttpResponse.json({
          tag: makeTag(SGTIN_EPC, { target: { type: 'core.item', id: ITEM_ID, label: 'Soap bar' }, location: { id: AISLE_ID, name: 'Aisle 3' } }),
          decoded: decoded(SGTIN_EPC),
          decodeError: null,
          movements: [
            makeMovement(2, SGTIN_EPC, { direction: null, from: { id: 'x', name: 'Dock 1 inside' }, to: { id: AISLE_ID, name: 'Aisle 3' }, antenna: 3 }),
            makeMovement(1, SGTIN_EPC),
            makeMovement(0, SGTIN_EPC, { from: null, to: { id: 'y', name: 'Dock 1 apron' }, direction: null, antenna: 1 }),
          ],
        }),
      ),
    );
    await renderRfid(`/rfid/tags/${SGTIN_EPC}`);
    await vi.waitFor(() => expect(text('tag-scheme')).toBe('sgtin-96'));
    expect(text('tag-target')).toBe('Item Soap bar');
    expect(q('tag-target')!.querySelector('a')!.getAttribute('href')).toBe(`/items/${ITEM_ID}`);
    expect(text('tag-key')).toBe('GTIN 80614141123458 · serial 6789');
    expect(text('tag-pure-uri')).toBe('urn:epc:id:sgtin:0614141.812345.6789');
    expect(text('tag-hri')).toBe('(01)80614141123458(21)6789');
    expect(text('tag-reader')).toContain('dock-1 · antenna 3 · -55.5 dBm');
    expect(q('tag-reader')!.querySelector('a')!.getAttribute('href')).toBe(`/rfid/readers/${READER_ID}`);
    expect(cells('tag-move-to')).toEqual(['Aisle 3', 'Dock 1 inside', 'Dock 1 apron']);
    expect(cells('tag-move-from')).toEqual(['Dock 1 inside', 'Dock 1 apron', '(first seen)']);
    expect(cells('tag-move-direction')).toEqual(['In']);
    expect(q('tag-enrol')).toBeNull();
  });

  it('says why an EPC is no GS1 EPC it reads, and enrols it from its page', SLOW, async () => {
    const epc = 'E28011606000020A1B2C3D4E';
    let target: TagDto['target'] = null;
    server.use(
      http.get(`*/api/rfid/tags/${epc}`, () =>
        HttpResponse.json({ tag: makeTag(SGTIN_EPC, { epc, scheme: null, gs1KeyType: null, gs1Key: null, serial: null, pureIdentityUri: null, hri: null, target }), decoded: null, decodeError: 'header E2 is not a GS1 EPC scheme this plugin reads', movements: [] }),
      ),
      http.post(`*/api/rfid/tags/${epc}/enrol`, async ({ request }) => {
        const body = (await request.json()) as { targetId: string };
        target = { type: 'core.item', id: body.targetId, label: 'Soap bar' };
        return HttpResponse.json({ tag: makeTag(SGTIN_EPC, { epc, target }), identifierId: '0196c000-0000-7000-8000-000000000113' });
      }),
      http.get('*/api/core/items', ({ request }) => paged([ITEM], request.url)),
      http.get(`*/api/core/items/${ITEM_ID}`, () => HttpResponse.json(ITEM)),
    );
    await renderRfid(`/rfid/tags/${epc}`);
    await vi.waitFor(() => expect(text('tag-decode-error')).toBe('Not a GS1 EPC this plugin reads: header E2 is not a GS1 EPC scheme this plugin reads'));
    expect(q('tag-decoded')).toBeNull();
    expect(text('tag-unknown')).toBe('Unknown');
    await click('tag-enrol');
    await choose(q('enrol-item'), 'Soap bar');
    await click('enrol-save');
    await vi.waitFor(() => expect(text('tag-target')).toBe('Item Soap bar'));
    expect(lastRequest(requests, `/api/rfid/tags/${epc}/enrol`, 'POST').body).toEqual({ targetType: 'core.item', targetId: ITEM_ID });
  });
});
