/**
 * The camera's reader: the browser's own BarcodeDetector when it reads our formats, else ZXing in
 * WebAssembly through the `barcode-detector` ponyfill, configured to fetch its wasm from the
 * console's own assets (never the package's default CDN). The ponyfill is mocked here (happy-dom
 * cannot run the wasm); the real module's compile under the console's CSP is checked in a browser.
 */
import { http, HttpResponse } from 'msw';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { GTIN, PARSED_LOT, all, click, q, renderBarcode, requests, server, text } from './harness';

const zxing = vi.hoisted(() => ({
  prepared: [] as { overrides?: { locateFile?: (path: string, prefix: string) => string }; fireImmediately?: boolean }[],
  constructed: [] as unknown[],
  prepareFails: null as Error | null,
  purged: 0,
  read: [] as { rawValue: string; format: string }[],
}));

vi.mock('barcode-detector/ponyfill', () => ({
  prepareZXingModule: vi.fn(async (options: (typeof zxing.prepared)[number]) => {
    zxing.prepared.push(options);
    if (zxing.prepareFails) throw zxing.prepareFails;
    return {};
  }),
  purgeZXingModule: vi.fn(() => {
    zxing.purged += 1;
  }),
  BarcodeDetector: class {
    // What ZXing reads, as barcode-detector 3.2.2 reports it (more than this console asks for).
    static getSupportedFormats = async () => ['aztec', 'code_128', 'code_39', 'data_matrix', 'ean_13', 'ean_8', 'itf', 'pdf417', 'qr_code', 'upc_a'];
    constructor(options: unknown) {
      zxing.constructed.push(options);
    }
    detect = async () => zxing.read;
  },
}));

const parses = () => requests.filter((r) => r.method === 'POST' && r.url.pathname === '/api/barcode/gs1/parse').map((r) => (r.body as { data: string }).data);
const SCANNED = `]d201${GTIN}17291231\u001d10AB-123`;

const originalPlay = HTMLMediaElement.prototype.play;
afterEach(() => {
  delete (globalThis as { BarcodeDetector?: unknown }).BarcodeDetector;
  delete (navigator as { mediaDevices?: unknown }).mediaDevices;
  HTMLMediaElement.prototype.play = originalPlay;
  zxing.prepared.length = 0;
  zxing.constructed.length = 0;
  zxing.prepareFails = null;
  zxing.purged = 0;
  zxing.read = [];
});

/** A camera that opens; returns getUserMedia and the track's stop() to assert on. */
function fakeCamera() {
  const stopTrack = vi.fn();
  const stream = new MediaStream();
  stream.getTracks = () => [{ stop: stopTrack } as unknown as MediaStreamTrack];
  const getUserMedia = vi.fn(async () => stream);
  Object.defineProperty(navigator, 'mediaDevices', { value: { getUserMedia }, configurable: true });
  HTMLMediaElement.prototype.play = vi.fn(async () => undefined);
  return { getUserMedia, stopTrack };
}

async function openDecoderCamera() {
  server.use(http.post('*/api/barcode/gs1/parse', () => HttpResponse.json(PARSED_LOT)));
  await renderBarcode('/barcode/gs1');
  await vi.waitFor(() => expect(q('camera-toggle')).not.toBeNull());
  await click('camera-toggle');
}

describe('camera reader', () => {
  it('reads with ZXing in WebAssembly, from our own wasm, where the browser has no BarcodeDetector', async () => {
    const { getUserMedia, stopTrack } = fakeCamera();
    zxing.read = [{ rawValue: SCANNED, format: 'data_matrix' }];
    await openDecoderCamera();
    await vi.waitFor(() => expect(parses()).toEqual([SCANNED]));

    // Compiled up front, with the wasm located in the console's assets, not on the package's CDN.
    expect(zxing.prepared).toHaveLength(1);
    expect(zxing.prepared[0]!.fireImmediately).toBe(true);
    const locateFile = zxing.prepared[0]!.overrides!.locateFile!;
    const { ZXING_READER_WASM_URL } = await import('../../src/admin/camera/zxing');
    const cdn = 'https://fastly.jsdelivr.net/npm/zxing-wasm@3.1.3/dist/reader/';
    expect(locateFile('zxing_reader.wasm', cdn)).toBe(ZXING_READER_WASM_URL);
    // A same-origin path to zxing-wasm's reader binary (a hashed /assets/ file in a build).
    expect(ZXING_READER_WASM_URL).toMatch(/^\/[^/].*zxing_reader\.wasm$/);
    expect(locateFile('zxing_reader.data', '/x/')).toBe('/x/zxing_reader.data');

    // All four formats this console asks for (ZXing reads them all); the camera stops after the read.
    expect(zxing.constructed).toEqual([{ formats: ['data_matrix', 'qr_code', 'code_128', 'ean_13'] }]);
    expect(getUserMedia).toHaveBeenCalledWith({ video: { facingMode: 'environment' }, audio: false });
    expect(stopTrack).toHaveBeenCalled();
    await vi.waitFor(() => expect(all('gs1-el-ai')).toHaveLength(3));
    expect(text('camera-toggle')).toBe('Camera');
    expect(q('camera-message')).toBeNull();
  });

  it('falls back to WebAssembly where the BarcodeDetector reads none of our formats (Chrome on Linux and Windows)', async () => {
    const nativeAsked: unknown[] = [];
    (globalThis as { BarcodeDetector?: unknown }).BarcodeDetector = class {
      static getSupportedFormats = async () => [];
      constructor(options: unknown) {
        nativeAsked.push(options);
      }
      detect = async () => [];
    };
    fakeCamera();
    zxing.read = [{ rawValue: SCANNED, format: 'data_matrix' }];
    await openDecoderCamera();
    await vi.waitFor(() => expect(parses()).toEqual([SCANNED]));
    expect(nativeAsked).toEqual([]);
    expect(zxing.constructed).toHaveLength(1);
  });

  it("uses the browser's own BarcodeDetector when it reads our formats, and never loads the wasm", async () => {
    const nativeAsked: unknown[] = [];
    (globalThis as { BarcodeDetector?: unknown }).BarcodeDetector = class {
      static getSupportedFormats = async () => ['code_128', 'data_matrix', 'ean_13', 'qr_code'];
      constructor(options: unknown) {
        nativeAsked.push(options);
      }
      detect = async () => [{ rawValue: SCANNED, format: 'data_matrix' }];
    };
    fakeCamera();
    await openDecoderCamera();
    await vi.waitFor(() => expect(parses()).toEqual([SCANNED]));
    expect(nativeAsked).toEqual([{ formats: ['data_matrix', 'qr_code', 'code_128', 'ean_13'] }]);
    expect(zxing.prepared).toEqual([]);
    expect(zxing.constructed).toEqual([]);
  });

  it('says clearly when neither reader is there (the wasm could not be loaded), without opening the camera', async () => {
    const { getUserMedia } = fakeCamera();
    // As zxing-wasm 3.1.3's Emscripten glue rejects (abort(): "Aborted(" + cause + ")" plus its
    // -sASSERTIONS advice), with the cause Chromium gives under a CSP without 'wasm-unsafe-eval'.
    const cause = `CompileError: WebAssembly.instantiate(): Compiling or instantiating WebAssembly module violates the following Content Security policy directive because 'unsafe-eval' is not an allowed source of script in the following Content Security Policy directive: "script-src 'self'".`;
    zxing.prepareFails = new Error(`Aborted(${cause}). Build with -sASSERTIONS for more info.`);
    await openDecoderCamera();
    await vi.waitFor(() => expect(q('camera-message')).not.toBeNull());
    expect(text('camera-message')).toBe(
      `This browser cannot read barcodes from the camera: the barcode reader could not be loaded (${cause}). Use a scanner, or paste the scanned text.`,
    );
    expect(getUserMedia).not.toHaveBeenCalled();
    // The failed module is dropped, so pressing Camera again tries anew.
    expect(zxing.purged).toBe(1);
    expect(text('camera-toggle')).toBe('Camera');
    expect(q('camera-video')!.style.display).toBe('none');
  });
});
