import { http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import {
  ASSET,
  ASSET_ID,
  GS1_LOT_SCAN,
  GTIN,
  ITEM_ID,
  LOT_ID,
  all,
  cells,
  click,
  lotAnswer,
  pressEnter,
  problem,
  q,
  renderBarcode,
  scanHandler,
  scanResult,
  server,
  text,
  typeIn,
} from './harness';

const href = (id: string) => q(id)?.closest('a')?.getAttribute('href') ?? q(id)?.getAttribute('href');

describe('scan page', () => {
  it('shows what a GS1 lot scan means here, with links, and "Receive this" opens the receipt form prefilled', async () => {
    const scans = scanHandler((d) => ({ ...lotAnswer(d), lot: undefined }));
    server.use(
      http.get(`*/api/core/items/${ITEM_ID}`, () =>
        HttpResponse.json({ id: ITEM_ID, name: 'Saline 0.9 % 500 ml', unitOfMeasure: 'ea', trackingMode: 'lot', identifiers: [], archived: false }),
      ),
      http.get('*/api/inventory/items/:id/settings', ({ params }) => HttpResponse.json({ itemId: params.id, baseUom: 'ea', units: [], onHand: '0' })),
    );
    const { router } = await renderBarcode('/barcode/scan', { alsoEnabled: ['inventory'], inventoryConsole: true });
    await vi.waitFor(() => expect(q('scan-input')).not.toBeNull());
    await typeIn('scan-input', `]d201${GTIN}17291231{GS}10AB-123`);
    await pressEnter('scan-input');
    await vi.waitFor(() => expect(q('scan-result')).not.toBeNull());
    expect(scans).toEqual([GS1_LOT_SCAN]);
    expect(text('scan-kind')).toBe('Lot');
    expect(text('scan-headline')).toBe('Saline 0.9 % 500 ml · lot AB-123');
    expect(text('scan-input-shown')).toBe(`]d201${GTIN}17291231⟨GS⟩10AB-123`);
    expect(text('scan-lot-new')).toBe('Lot AB-123 has not been received yet');
    expect(href('scan-item')).toBe(`/items/${ITEM_ID}`);
    expect(cells('gs1-el-value')).toEqual([GTIN, '291231', 'AB-123']);
    expect(all('scan-match').map((a) => a.getAttribute('href'))).toEqual([`/items/${ITEM_ID}`]);
    // Ready for the next scan.
    expect((q('scan-input') as HTMLInputElement).value).toBe('');

    const receive = q('scan-receive-link')!.getAttribute('href')!;
    const url = new URL(receive, 'http://localhost');
    expect(url.pathname).toBe('/inventory/moves/new');
    expect(Object.fromEntries(url.searchParams)).toEqual({ type: 'receipt', itemId: ITEM_ID, lot: 'AB-123', expiresOn: '2029-12-31' });

    await click('scan-receive');
    await vi.waitFor(() => expect(router.currentRoute.value.path).toBe('/inventory/moves/new'));
    await vi.waitFor(() => expect((q('move-line-lot-0') as HTMLInputElement | null)?.value).toBe('AB-123'));
    expect((q('move-line-expiry-0')!.querySelector('input') as HTMLInputElement).value).toBe('2029-12-31');
    expect(text('move-line-item-0')).toContain('Saline 0.9 % 500 ml');
  });

  it('links a received lot to its page, with expiry, on hand and a block', async () => {
    scanHandler((d) => ({ ...lotAnswer(d), lot: { ...lotAnswer(d).lot!, blocked: true, blockReason: 'recall 2026-07' } }));
    await renderBarcode('/barcode/scan', { alsoEnabled: ['inventory'] });
    await vi.waitFor(() => expect(q('scan-input')).not.toBeNull());
    await typeIn('scan-input', GS1_LOT_SCAN);
    await click('scan-submit');
    await vi.waitFor(() => expect(q('scan-lot')).not.toBeNull());
    expect(href('scan-lot')).toBe(`/inventory/lots/${LOT_ID}`);
    expect(text('scan-lot')).toBe('Lot AB-123');
    expect(text('scan-lot-expiry')).toBe('· expires 2029-12-31');
    expect(text('scan-lot-on-hand')).toBe('· 24 on hand');
    expect(text('scan-lot-blocked')).toBe('blocked: recall 2026-07');
    expect(q('scan-lot-new')).toBeNull();
  });

  it('hides "Receive this" without inventory.moves.post, and links only what the user may open', async () => {
    scanHandler((d) => lotAnswer(d));
    await renderBarcode('/barcode/scan', { alsoEnabled: ['inventory'], permissions: ['barcode.read', 'core.identifiers.read'] });
    await vi.waitFor(() => expect(q('scan-input')).not.toBeNull());
    await typeIn('scan-input', GS1_LOT_SCAN);
    await pressEnter('scan-input');
    await vi.waitFor(() => expect(q('scan-result')).not.toBeNull());
    expect(q('scan-receive')).toBeNull();
    expect(q('scan-lot')!.tagName).toBe('SPAN');
    expect(q('scan-item')!.tagName).toBe('SPAN');
    // The nav shows the pages of barcode.read, not the GS1 keys page (barcode.manage).
    expect(q('nav-barcode-scan')).not.toBeNull();
    expect(q('nav-barcode-gs1-decoder')).not.toBeNull();
    expect(q('nav-barcode-label-designer')).not.toBeNull();
    expect(q('nav-barcode-gs1-keys')).toBeNull();
  });

  it('hides "Receive this" when inventory is not enabled', async () => {
    // (The server sends no prefill then; the console does not offer a form that is not there either way.)
    scanHandler((d) => lotAnswer(d));
    await renderBarcode('/barcode/scan');
    await vi.waitFor(() => expect(q('scan-input')).not.toBeNull());
    await typeIn('scan-input', GS1_LOT_SCAN);
    await pressEnter('scan-input');
    await vi.waitFor(() => expect(q('scan-result')).not.toBeNull());
    expect(q('scan-receive')).toBeNull();
  });

  it('scans ?data= on opening (the global box sends unreceived lots here); shows assets and unknown scans; keeps a history', async () => {
    const scans = scanHandler((d) =>
      d === 'AST-2026-00001' ? scanResult(d, { kind: 'asset', asset: ASSET }) : d === 'nothing' ? scanResult(d) : lotAnswer(d),
    );
    await renderBarcode(`/barcode/scan?data=${encodeURIComponent(GS1_LOT_SCAN)}`, { alsoEnabled: ['fixed-assets'] });
    await vi.waitFor(() => expect(text('scan-kind')).toBe('Lot'));
    expect(scans).toEqual([GS1_LOT_SCAN]);

    await typeIn('scan-input', 'AST-2026-00001');
    await pressEnter('scan-input');
    await vi.waitFor(() => expect(text('scan-kind')).toBe('Asset'));
    expect(href('scan-asset')).toBe(`/fixed-assets/assets/${ASSET_ID}`);
    expect(text('scan-asset')).toBe('AST-2026-00001 · Compressor 1');

    await typeIn('scan-input', 'nothing');
    await pressEnter('scan-input');
    await vi.waitFor(() => expect(text('scan-kind')).toBe('Not known here'));
    expect(text('scan-headline')).toBe('Nothing here is known as “nothing”');
    expect(cells('scan-history-entry')).toEqual(['Asset: AST-2026-00001 · Compressor 1', 'Lot: Saline 0.9 % 500 ml · lot AB-123']);
  });

  it("shows the server's refusal", async () => {
    server.use(http.post('*/api/barcode/scan', () => problem(400, 'validation', 'Invalid request', 'data: must NOT have more than 4000 characters')));
    await renderBarcode('/barcode/scan');
    await vi.waitFor(() => expect(q('scan-input')).not.toBeNull());
    await typeIn('scan-input', 'x'.repeat(10));
    await pressEnter('scan-input');
    await vi.waitFor(() => expect(text('scan-error')).toBe('data: must NOT have more than 4000 characters'));
    expect(q('scan-result')).toBeNull();
  });
});
