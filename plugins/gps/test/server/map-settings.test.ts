import { afterAll, describe, expect, it } from 'vitest';
import type { TestPlatform } from '@quartermaster/testing';
import { GPS, bootGps, caller } from './fixtures.js';

/**
 * The console map's tile server is a plugin option handed to the console by `GET /status`:
 * without it the console draws no tiles (works offline, asks no third party). The template is
 * Leaflet's (`{z}`, `{x}`, `{y}`, `{s}`); only http(s) URLs and paths on this server are taken,
 * so a profile cannot make the console load `javascript:` or `data:` URLs.
 */
describe('console map settings', () => {
  let t: TestPlatform | undefined;
  afterAll(() => t?.close());

  it('hands the configured tile URL template and attribution to the console', async () => {
    t = await bootGps({ gps: { map: { tileUrl: 'https://tiles.example.test/{z}/{x}/{y}.png', attribution: '© Example tiles' } } });
    const status = await caller(t)({ method: 'GET', url: `${GPS}/status` }, 200);
    expect(status.map).toEqual({ tileUrl: 'https://tiles.example.test/{z}/{x}/{y}.png', attribution: '© Example tiles' });
  });

  it.each([
    ['a javascript: URL', 'javascript:alert(1)//{z}'],
    ['a template without {z}', 'https://tiles.example.test/tile.png'],
    ['a relative path', 'tiles/{z}/{x}/{y}.png'],
  ])('refuses %s as the tile server at boot', async (_name, tileUrl) => {
    await expect(bootGps({ gps: { map: { tileUrl } } })).rejects.toThrow(/tileUrl/);
  });
});
