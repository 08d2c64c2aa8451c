/// <reference types="vite/client" />
/**
 * ZXing in WebAssembly, for browsers without a usable `BarcodeDetector`. Loaded only through the
 * dynamic import in `detector.ts`. The `.wasm` is a build asset of the console (same origin, so
 * the CSP's `connect-src 'self'` and `script-src 'wasm-unsafe-eval'` let it in); the package's
 * default would fetch it from a public CDN, which the console never does.
 */
import { BarcodeDetector, prepareZXingModule, purgeZXingModule, type BarcodeFormat } from 'barcode-detector/ponyfill';
import zxingReaderWasm from 'zxing-wasm/reader/zxing_reader.wasm?url';
import { CameraReaderError, type CameraReader } from './detector';

/** Where the console serves the reader's wasm (a hashed `/assets/` file in a build). */
export const ZXING_READER_WASM_URL: string = zxingReaderWasm;

/** Emscripten asks for `zxing_reader.wasm`; anything else keeps its default place. */
export function locateFile(path: string, prefix: string): string {
  return path.endsWith('.wasm') ? ZXING_READER_WASM_URL : prefix + path;
}

export async function openWasmReader(wanted: readonly string[]): Promise<CameraReader> {
  try {
    // Compile now, so a wasm that cannot be fetched or compiled says so before the camera opens
    // (later, detect() would only fail frame after frame).
    await prepareZXingModule({ overrides: { locateFile }, fireImmediately: true });
  } catch (err) {
    purgeZXingModule(); // the failed attempt is cached otherwise; the next press tries again
    // Emscripten wraps the cause as "Aborted(<cause>). Build with -sASSERTIONS…"; keep the cause.
    const reason = (err instanceof Error ? err.message : String(err))
      .replace(/\.?\s*Build with -sASSERTIONS for more info\.?$/, '')
      .replace(/^Aborted\(([\s\S]*)\)$/, '$1');
    throw new CameraReaderError('reader-unavailable', `the barcode reader could not be loaded (${reason})`);
  }
  const supported: readonly string[] = await BarcodeDetector.getSupportedFormats();
  const formats = wanted.filter((f) => supported.includes(f));
  if (!formats.length) throw new CameraReaderError('no-formats', `the barcode reader reads none of ${wanted.join(', ')}`);
  return { engine: 'wasm', detector: new BarcodeDetector({ formats: formats as BarcodeFormat[] }), formats };
}
