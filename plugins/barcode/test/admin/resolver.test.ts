import type { AdminScanContext } from '@quartermaster/sdk/admin';
import { http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { resolveBarcodeScan, scanTarget } from '../../src/admin/resolver';
import { normalizeScan } from '../../src/admin/gs';
import type { ScanResult } from '../../src/admin/types';
import {
  ASSET,
  ASSET_ID,
  GS1_LOT_SCAN,
  GTIN,
  ITEM,
  ITEM_ID,
  LOCATION,
  LOC_ID,
  LOT_ID,
  PARSED_LOT,
  gtinMatch,
  problem,
  lotAnswer,
  renderBarcode,
  requests,
  scanGlobal,
  scanHandler,
  scanResult,
  server,
} from './harness';

/** A context whose `post` answers `answer` and records what was sent. */
function ctxAnswering(answer: (data: string) => ScanResult) {
  const sent: { path: string; body: unknown }[] = [];
  const ctx: AdminScanContext = {
    api: {
      get: () => Promise.reject(new Error('not expected')),
      post: async <T,>(path: string, body?: unknown) => {
        sent.push({ path, body });
        return answer((body as { data: string }).data) as T;
      },
    },
  };
  return { ctx, sent };
}

describe('scan resolver mapping', () => {
  it('a received lot opens its inventory page', () => {
    const m = scanTarget(lotAnswer())!;
    expect(m.target).toEqual({ type: 'inventory.lot', id: LOT_ID, label: `${ITEM.name} · lot AB-123`, href: `/inventory/lots/${LOT_ID}` });
    expect(m.identifier).toEqual({ id: LOT_ID, type: 'lot', value: 'AB-123' });
  });

  it('a lot not received yet opens the scan page with the scan, which offers the receipt', () => {
    const answer = { ...lotAnswer(), lot: undefined };
    const m = scanTarget(answer)!;
    expect(m.target.href).toBe(`/barcode/scan?data=${encodeURIComponent(GS1_LOT_SCAN)}`);
    expect(m.target.href).toContain('%1D10AB-123');
    expect(m.target.label).toBe(`${ITEM.name} · lot not received yet`);
  });

  it('an item opens the item, named by the registry identifier that matched', () => {
    const m = scanTarget(scanResult(GTIN, { kind: 'item', item: ITEM, matches: [gtinMatch()] }))!;
    expect(m.target).toEqual({ type: 'core.item', id: ITEM_ID, label: ITEM.name, href: `/items/${ITEM_ID}` });
    expect(m.identifier.type).toBe('gtin');
  });

  it('a serial opens its asset when one carries it, else its item', () => {
    const withAsset = scanTarget(scanResult('x', { kind: 'serial', serial: 'SN-88', item: ITEM, asset: ASSET }))!;
    expect(withAsset.target.href).toBe(`/fixed-assets/assets/${ASSET_ID}`);
    expect(withAsset.identifier).toEqual({ id: ASSET_ID, type: 'serial', value: 'SN-88' });
    const itemOnly = scanTarget(scanResult('x', { kind: 'serial', serial: 'SN-7', item: ITEM }))!;
    expect(itemOnly.target).toEqual({ type: 'core.item', id: ITEM_ID, label: `${ITEM.name} · serial SN-7`, href: `/items/${ITEM_ID}` });
  });

  it('an asset opens its fixed-assets page; a location its location page', () => {
    expect(scanTarget(scanResult('AST-2026-00001', { kind: 'asset', asset: ASSET }))!.target).toEqual({
      type: 'fixed-assets.asset',
      id: ASSET_ID,
      label: 'AST-2026-00001 · Compressor 1',
      href: `/fixed-assets/assets/${ASSET_ID}`,
    });
    expect(scanTarget(scanResult('B304', { kind: 'location', location: LOCATION }))!.target).toEqual({
      type: 'core.location',
      id: LOC_ID,
      label: LOCATION.path,
      href: `/locations/${LOC_ID}`,
    });
  });

  it('unknown (even with GS1 content read) answers null, so the core decides', () => {
    expect(scanTarget(scanResult('nothing'))).toBeNull();
    expect(scanTarget(scanResult(GS1_LOT_SCAN, { parsed: PARSED_LOT }))).toBeNull();
    // A kind without its record (should not happen) names nothing either.
    expect(scanTarget(scanResult('x', { kind: 'asset' }))).toBeNull();
  });
});

describe('GS handling', () => {
  it('keeps a raw GS and turns the visible stand-ins <GS>, {GS}, ^] (any case) into GS', () => {
    const want = `]d201${GTIN}17291231\u001d10AB-123`;
    for (const typed of [
      want,
      `]d201${GTIN}17291231<GS>10AB-123`,
      `]d201${GTIN}17291231<gs>10AB-123`,
      `]d201${GTIN}17291231{GS}10AB-123`,
      `]d201${GTIN}17291231^]10AB-123`,
      `  ]d201${GTIN}17291231<GS>10AB-123\r\n`,
    ]) {
      expect(normalizeScan(typed)).toBe(want);
    }
    // Other control characters go; a plain code is left alone.
    expect(normalizeScan('\u0002SKU-1\u0003\t')).toBe('SKU-1');
  });

  it('posts the scan with GS in it and answers the lot', async () => {
    const { ctx, sent } = ctxAnswering(() => lotAnswer());
    const answer = await resolveBarcodeScan(`]d201${GTIN}17291231<GS>10AB-123`, ctx);
    expect(sent).toEqual([{ path: '/api/barcode/scan', body: { data: GS1_LOT_SCAN } }]);
    expect(answer).toEqual({ value: GS1_LOT_SCAN, matches: [scanTarget(lotAnswer())] });
  });

  it('leaves a plain code that the registry gives to several records to the core (its chooser); not a GS1 scan', async () => {
    const two = [gtinMatch('DUP-1'), { identifier: { id: 'i2', type: 'custom', value: 'DUP-1' }, target: { type: 'core.location', id: LOC_ID, label: LOCATION.path, href: `/locations/${LOC_ID}` } }];
    const plain = ctxAnswering((d) => scanResult(d, { kind: 'item', item: ITEM, matches: two }));
    expect(await resolveBarcodeScan('DUP-1', plain.ctx)).toBeNull();
    const gs1 = ctxAnswering((d) => ({ ...lotAnswer(d), matches: two }));
    expect((await resolveBarcodeScan(GS1_LOT_SCAN, gs1.ctx))?.matches[0]?.target.href).toBe(`/inventory/lots/${LOT_ID}`);
  });

  it('sends nothing for a blank scan', async () => {
    const { ctx, sent } = ctxAnswering(() => scanResult(''));
    expect(await resolveBarcodeScan(' \r\n', ctx)).toBeNull();
    expect(sent).toEqual([]);
  });
});

describe("the console's global scan box with barcode enabled", () => {
  it('a GS1 DataMatrix of a received lot, typed with <GS>, opens the lot page', async () => {
    const scans = scanHandler(() => lotAnswer());
    const { router } = await renderBarcode('/');
    await scanGlobal(`]d201${GTIN}17291231<GS>10AB-123`);
    await vi.waitFor(() => expect(router.currentRoute.value.path).toBe(`/inventory/lots/${LOT_ID}`));
    expect(scans).toEqual([GS1_LOT_SCAN]);
    const post = requests.find((r) => r.url.pathname === '/api/barcode/scan')!;
    expect(post.headers.get('x-csrf-token')).toBe('csrf-123');
    expect(requests.some((r) => r.url.pathname === '/api/core/identifiers/resolve')).toBe(false);
  });

  it('a raw GS reaches the plugin intact', async () => {
    const scans = scanHandler((d) => (d === GS1_LOT_SCAN ? lotAnswer() : scanResult(d)));
    const { router } = await renderBarcode('/');
    await scanGlobal(GS1_LOT_SCAN);
    await vi.waitFor(() => expect(router.currentRoute.value.path).toBe(`/inventory/lots/${LOT_ID}`));
    expect(scans).toEqual([GS1_LOT_SCAN]);
  });

  it('an unknown scan falls back to the core registry, then the item search', async () => {
    scanHandler((d) => scanResult(d));
    const resolved: string[] = [];
    server.use(
      http.get('*/api/core/identifiers/resolve', ({ request }) => {
        const value = new URL(request.url).searchParams.get('value')!;
        resolved.push(value);
        return HttpResponse.json({ value, matches: [] });
      }),
    );
    const { router } = await renderBarcode('/');
    await scanGlobal('drill bits');
    await vi.waitFor(() => expect(router.currentRoute.value.path).toBe('/items'));
    expect(router.currentRoute.value.query).toEqual({ q: 'drill bits' });
    expect(resolved).toEqual(['drill bits']);
  });

  it('a location code opens the location page', async () => {
    scanHandler((d) => scanResult(d, { kind: 'location', location: LOCATION }));
    // The location page itself is the core's; it need not load here.
    server.use(http.get('*/api/core/locations/:id', () => problem(404, 'not-found', 'Not found')));
    const { router } = await renderBarcode('/');
    await scanGlobal('b304');
    await vi.waitFor(() => expect(router.currentRoute.value.path).toBe(`/locations/${LOC_ID}`));
  });

  it('a user without barcode.read is never sent to the barcode API: the core resolves', async () => {
    const scans = scanHandler(() => lotAnswer());
    server.use(
      http.get('*/api/core/identifiers/resolve', ({ request }) => HttpResponse.json({ value: new URL(request.url).searchParams.get('value'), matches: [gtinMatch()] })),
      http.get('*/api/core/items/:id', () => problem(404, 'not-found', 'Not found')),
    );
    const { router } = await renderBarcode('/', { permissions: ['core.identifiers.read', 'core.items.read'] });
    await scanGlobal(GS1_LOT_SCAN);
    await vi.waitFor(() => expect(router.currentRoute.value.path).toBe(`/items/${ITEM_ID}`));
    expect(scans).toEqual([]);
  });
});
