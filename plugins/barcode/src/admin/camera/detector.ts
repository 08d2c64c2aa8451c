/**
 * The barcode reader behind the console's camera: the browser's own `BarcodeDetector` (the Shape
 * Detection API: Chromium on Android, ChromeOS and macOS) when it reads at least one of the wanted
 * formats; otherwise ZXing compiled to WebAssembly through the `barcode-detector` ponyfill, which
 * has the same API. The ponyfill (and its 1 MB wasm, served by the console itself) is imported
 * only on that path, so browsers with a native reader never download it.
 */

export interface DetectedBarcode {
  rawValue: string;
  format: string;
}
export interface BarcodeReader {
  detect(source: HTMLVideoElement): Promise<DetectedBarcode[]>;
}
interface BarcodeDetectorClass {
  new (options?: { formats?: string[] }): BarcodeReader;
  getSupportedFormats?(): Promise<readonly string[]>;
}

export interface CameraReader {
  /** `native`: the browser's `BarcodeDetector`; `wasm`: ZXing in WebAssembly. */
  engine: 'native' | 'wasm';
  detector: BarcodeReader;
  /** The wanted formats this reader reads, in the order asked. */
  formats: string[];
}

export type CameraReaderErrorCode = 'reader-unavailable' | 'no-formats';

/** No reader could be had: the wasm fallback failed to load, or nothing reads the wanted formats. */
export class CameraReaderError extends Error {
  constructor(
    readonly code: CameraReaderErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'CameraReaderError';
  }
}

async function nativeReader(wanted: readonly string[]): Promise<CameraReader | null> {
  const Native = (globalThis as { BarcodeDetector?: BarcodeDetectorClass }).BarcodeDetector;
  if (!Native) return null;
  try {
    // Chrome on Windows and Linux has the class but reads nothing: getSupportedFormats() is [].
    const supported = Native.getSupportedFormats ? await Native.getSupportedFormats() : wanted;
    const formats = wanted.filter((f) => supported.includes(f));
    return formats.length ? { engine: 'native', detector: new Native({ formats }), formats } : null;
  } catch {
    return null;
  }
}

/** The reader for `wanted` formats (Barcode Detection API names, e.g. `data_matrix`). */
export async function openCameraReader(wanted: readonly string[]): Promise<CameraReader> {
  const native = await nativeReader(wanted);
  if (native) return native;
  let zxing: typeof import('./zxing');
  try {
    zxing = await import('./zxing');
  } catch (err) {
    throw new CameraReaderError('reader-unavailable', `the barcode reader could not be loaded (${err instanceof Error ? err.message : String(err)})`);
  }
  return zxing.openWasmReader(wanted);
}
