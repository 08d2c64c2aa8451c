/**
 * The wasm the console serves for the camera's fallback reader must be the very binary the
 * `barcode-detector` ponyfill's JS glue was built with: a zxing-wasm of another version fails to
 * instantiate (or misreads) at run time, in the user's browser, not at build time.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ZXING_WASM_SHA256, ZXING_WASM_VERSION } from 'barcode-detector/ponyfill';
import { describe, expect, it } from 'vitest';
import { ZXING_READER_WASM_URL } from '../../src/admin/camera/zxing';

describe('camera wasm reader', () => {
  it('serves the zxing-wasm reader binary the ponyfill expects (same SHA-256)', () => {
    const require = createRequire(import.meta.url);
    const file = require.resolve('zxing-wasm/reader/zxing_reader.wasm');
    // zxing-wasm exports no ./package.json; the binary sits at dist/reader/ inside the package.
    const zxingVersion = (JSON.parse(readFileSync(join(dirname(file), '..', '..', 'package.json'), 'utf8')) as { version: string }).version;
    expect(zxingVersion).toBe(ZXING_WASM_VERSION);
    expect(createHash('sha256').update(readFileSync(file)).digest('hex')).toBe(ZXING_WASM_SHA256);
    // And it is that file the console points the reader at (a same-origin path, never a CDN).
    expect(ZXING_READER_WASM_URL.endsWith(file)).toBe(true);
  });
});
