import type { FastifyInstance } from 'fastify';
import { isHashedConsoleModuleFile } from '../modules/console/console-modules.js';

// The console is same-origin only: scripts from our own files, no framing, no sniffing.
// Element Plus sets inline styles, hence 'unsafe-inline' for styles only. The API reference
// (/api/docs) ships its own inline script and gets no CSP.
// Image hosts beyond our own (`imageSources`, e.g. a map tile server) are added by the operator.
const consoleCsp = (imageSources: readonly string[]) =>
  [
    "default-src 'self'",
    // 'wasm-unsafe-eval' lets the console compile WebAssembly (the barcode camera's ZXing reader,
    // itself served from 'self'); it allows no JavaScript eval.
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self' 'unsafe-inline'",
    ["img-src 'self' data: blob:", ...imageSources].join(' '),
    "font-src 'self' data:",
    "connect-src 'self'",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
  ].join('; ');

/** An origin the console may load images from: `https://tile.example.org` (scheme, host, optional port; no path). */
export function checkImageSource(source: string): string {
  if (!/^https?:\/\/(\*\.)?[a-z0-9.-]+(:\d{1,5})?$/i.test(source)) {
    throw new Error(`Image source "${source}" is not an origin like https://tile.example.org (scheme and host, optional port, no path)`);
  }
  return source;
}

export function installSecurityHeaders(app: FastifyInstance, options: { imageSources?: readonly string[] } = {}) {
  const CONSOLE_CSP = consoleCsp((options.imageSources ?? []).map(checkImageSource));
  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'same-origin');
    const path = request.url.split('?')[0];
    if (path.startsWith('/api/docs')) return payload;
    reply.header('x-frame-options', 'DENY');
    if (!path.startsWith('/api/')) {
      reply.header('content-security-policy', CONSOLE_CSP);
      // Hashed build assets never change; the page itself must always be fresh.
      const immutable = path.startsWith('/assets/') || isHashedConsoleModuleFile(path);
      reply.header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    }
    return payload;
  });
}
