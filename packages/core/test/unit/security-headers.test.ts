import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { checkImageSource, installSecurityHeaders } from '../../src/kernel/security-headers.js';

describe('console security headers', () => {
  const page = async (imageSources?: string[]) => {
    const app = Fastify();
    installSecurityHeaders(app, { imageSources });
    app.get('/gps/map', async () => 'console');
    const res = await app.inject({ method: 'GET', url: '/gps/map' });
    await app.close();
    return String(res.headers['content-security-policy']);
  };

  it('loads images only from the console itself by default', async () => {
    expect(await page()).toContain("img-src 'self' data: blob:;");
  });

  it('adds the image origins an operator allows (a map tile server), nothing else', async () => {
    const csp = await page(['https://tile.openstreetmap.org', 'https://*.tiles.example.com:8443']);
    expect(csp).toContain("img-src 'self' data: blob: https://tile.openstreetmap.org https://*.tiles.example.com:8443;");
    expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval';");
    expect(csp).toContain("connect-src 'self';");
  });

  it('refuses what is not an origin, so a typo cannot open the policy', () => {
    for (const bad of ['*', 'https://tile.example.org/{z}/{x}/{y}.png', "'unsafe-inline'", 'tile.example.org', 'https://a.example; script-src *']) {
      expect(() => checkImageSource(bad)).toThrow(/is not an origin/);
    }
    expect(checkImageSource('http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080');
  });
});
