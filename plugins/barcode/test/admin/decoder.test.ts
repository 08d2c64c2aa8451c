import { http, HttpResponse } from 'msw';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { GTIN, PARSED_LOT, all, cells, click, pressEnter, problem, q, renderBarcode, requests, server, text, typeIn } from './harness';

const parses = () => requests.filter((r) => r.method === 'POST' && r.url.pathname === '/api/barcode/gs1/parse').map((r) => (r.body as { data: string }).data);

/** A measure and an amount: (3103) net weight in kg with 3 decimals, (3932) price with ISO 4217 currency 978 and 2 decimals. */
const PARSED_MEASURES = {
  elements: [
    { ai: '01', title: 'GTIN', value: GTIN },
    { ai: '3103', title: 'NET WEIGHT (kg)', value: '001250', decimal: '1.250' },
    { ai: '3932', title: 'PRICE', value: '9781995', decimal: '19.95', currency: '978' },
  ],
  hri: `(01)${GTIN}(3103)001250(3932)9781995`,
  source: 'bracketed' as const,
};

const originalPlay = HTMLMediaElement.prototype.play;
afterEach(() => {
  delete (globalThis as { BarcodeDetector?: unknown }).BarcodeDetector;
  delete (navigator as { mediaDevices?: unknown }).mediaDevices;
  HTMLMediaElement.prototype.play = originalPlay;
});

describe('GS1 decoder', () => {
  it('decodes a scan typed with <GS> and shows each element with its title, value, date and decimal', async () => {
    server.use(
      http.post('*/api/barcode/gs1/parse', async ({ request }) => {
        const { data } = (await request.json()) as { data: string };
        return HttpResponse.json(data.startsWith('(') ? PARSED_MEASURES : PARSED_LOT);
      }),
    );
    await renderBarcode('/barcode/gs1');
    await vi.waitFor(() => expect(q('gs1-input')).not.toBeNull());
    await typeIn('gs1-input', `]d201${GTIN}17291231<GS>10AB-123`);
    await pressEnter('gs1-input');
    await vi.waitFor(() => expect(text('gs1-hri')).toBe(`(01)${GTIN}(17)291231(10)AB-123`));
    expect(parses()).toEqual([`]d201${GTIN}17291231\u001d10AB-123`]);
    expect(text('gs1-source')).toBe('Element string');
    expect(text('gs1-symbology')).toBe(']d2');
    expect(cells('gs1-el-ai')).toEqual(['(01)', '(17)', '(10)']);
    expect(cells('gs1-el-title')).toEqual(['GTIN', 'USE BY or EXPIRY', 'BATCH/LOT']);
    expect(cells('gs1-el-value')).toEqual([GTIN, '291231', 'AB-123']);
    expect(cells('gs1-el-date')).toEqual(['', '2029-12-31', '']);
    // The same data drawn as a GS1 DataMatrix by the server.
    const img = q('gs1-symbol') as HTMLImageElement;
    const src = new URL(img.getAttribute('src')!, 'http://localhost');
    expect(src.pathname).toBe('/api/barcode/symbols');
    expect(src.searchParams.get('type')).toBe('gs1-datamatrix');
    expect(src.searchParams.get('data')).toBe(`(01)${GTIN}(17)291231(10)AB-123`);

    await typeIn('gs1-input', `(01)${GTIN}(3103)001250(3932)9781995`);
    await click('gs1-decode');
    await vi.waitFor(() => expect(cells('gs1-el-decimal')).toEqual(['', '1.250', '19.95 (currency 978)']));
    expect(text('gs1-source')).toBe('Bracketed form');
    expect(q('gs1-symbology')).toBeNull();
    expect(q('gs1-error')).toBeNull();
  });

  it("shows a 422 with the server's reason, the AI, and where in the input it is", async () => {
    server.use(
      http.post('*/api/barcode/gs1/parse', () =>
        // As the server answers it (the domain's Gs1Error for this input).
        problem(422, 'gs1-invalid', 'Invalid GS1 data', 'AI (17) USE BY or EXPIRY: "291331" is not a date (YYMMDD): month 13 does not exist at position 21', {
          code: 'invalid-date',
          ai: '17',
          position: 21,
        }),
      ),
    );
    await renderBarcode('/barcode/gs1');
    await vi.waitFor(() => expect(q('gs1-input')).not.toBeNull());
    await typeIn('gs1-input', `]d201${GTIN}17291331\u001d10AB-123`);
    await click('gs1-decode');
    await vi.waitFor(() => expect(q('gs1-error')).not.toBeNull());
    expect(text('gs1-error-title')).toBe('Not valid GS1 data');
    expect(text('gs1-error-detail')).toBe('AI (17) USE BY or EXPIRY: "291331" is not a date (YYMMDD): month 13 does not exist at position 21');
    expect(text('gs1-error-where')).toBe('AI (17) · at character 22 · code invalid-date');
    // Position 21 (0-based) is where the value of (17) starts; GS is shown as a visible mark.
    expect(q('gs1-error-pointer')!.querySelector('mark')!.textContent).toBe('2');
    expect(text('gs1-error-pointer')).toBe(`]d201${GTIN}17291331⟨GS⟩10AB-123`);
    expect(q('gs1-result')).toBeNull();
  });

  it('decodes what ?data= carries on opening', async () => {
    server.use(http.post('*/api/barcode/gs1/parse', () => HttpResponse.json(PARSED_LOT)));
    await renderBarcode(`/barcode/gs1?data=${encodeURIComponent(`(01)${GTIN}(17)291231(10)AB-123`)}`);
    await vi.waitFor(() => expect(all('gs1-el-ai')).toHaveLength(3));
    expect(parses()).toEqual([`(01)${GTIN}(17)291231(10)AB-123`]);
  });

  // A browser without a reader gets ZXing in WebAssembly (camera.test.ts); without a camera, nothing reads.
  it('says clearly when the browser gives no camera here', async () => {
    await renderBarcode('/barcode/gs1');
    await vi.waitFor(() => expect(q('camera-toggle')).not.toBeNull());
    await click('camera-toggle');
    expect(text('camera-message')).toContain('This browser gives no access to a camera here');
    expect(text('camera-message')).toContain('paste');
  });

  it("decodes what the browser's BarcodeDetector reads from the camera", async () => {
    const stopTrack = vi.fn();
    const asked: unknown[] = [];
    class FakeDetector {
      static getSupportedFormats = async () => ['qr_code', 'data_matrix', 'ean_13', 'aztec'];
      constructor(options: { formats: string[] }) {
        asked.push(options);
      }
      detect = async () => [{ rawValue: `]d201${GTIN}17291231\u001d10AB-123`, format: 'data_matrix' }];
    }
    (globalThis as { BarcodeDetector?: unknown }).BarcodeDetector = FakeDetector;
    const stream = new MediaStream();
    stream.getTracks = () => [{ stop: stopTrack } as unknown as MediaStreamTrack];
    const getUserMedia = vi.fn(async () => stream);
    Object.defineProperty(navigator, 'mediaDevices', { value: { getUserMedia }, configurable: true });
    server.use(http.post('*/api/barcode/gs1/parse', () => HttpResponse.json(PARSED_LOT)));
    HTMLMediaElement.prototype.play = vi.fn(async () => undefined);
    await renderBarcode('/barcode/gs1');
    await vi.waitFor(() => expect(q('camera-toggle')).not.toBeNull());
    await click('camera-toggle');
    await vi.waitFor(() => expect(parses()).toEqual([`]d201${GTIN}17291231\u001d10AB-123`]));
    // Only the formats this console wants and the browser reads; the camera stops after the read.
    expect(asked).toEqual([{ formats: ['data_matrix', 'qr_code', 'ean_13'] }]);
    expect(getUserMedia).toHaveBeenCalledWith({ video: { facingMode: 'environment' }, audio: false });
    expect(stopTrack).toHaveBeenCalled();
    await vi.waitFor(() => expect(all('gs1-el-ai')).toHaveLength(3));
    expect(text('camera-toggle')).toBe('Camera');
  });
});
