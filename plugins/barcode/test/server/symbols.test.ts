import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoChange, expectProblem, problemFields, type TestPlatform } from '@quartermaster/testing';
import { BC, GS, GTIN_MILK, bootBarcode } from './fixtures.js';

/*
 * GET /api/barcode/symbols. PNG signature: PNG specification (W3C, 3rd ed.) §5.2, bytes
 * 89 50 4E 47 0D 0A 1A 0A. GS1 data: GS1 General Specifications §3.2, §7.8.5; GS1-128 holds at most
 * 48 data characters (GS1-128 symbology, §5.4). EAN-13 4012345678901: check digit by §7.9.1 over 401234567890,
 * 0·3+9·1+8·3+7·1+6·3+5·1+4·3+3·1+2·3+1·1+0·3+4·1 = 89 → 1. GTIN check digits: see fixtures.ts.
 */
let t: TestPlatform;
const get = (query: Record<string, string>) => t.request({ method: 'GET', url: `${BC}/symbols?${new URLSearchParams(query)}` });
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

beforeAll(async () => {
  t = await bootBarcode();
});
afterAll(() => t?.close());

function expectSvg(res: Awaited<ReturnType<typeof get>>) {
  expect(res.statusCode, res.body).toBe(200);
  expect(res.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
  // The root element, sized as the viewBox so an <img> shows it at the PNG's size.
  const [, w, h, vw, vh] = /^<svg width="(\d+)" height="(\d+)" viewBox="0 0 (\d+) (\d+)" xmlns="http:\/\/www\.w3\.org\/2000\/svg">/.exec(res.body) ?? [];
  expect([w, h], res.body.slice(0, 100)).toEqual([vw, vh]);
  expect(Number(w)).toBeGreaterThan(0);
  expect(res.body.trim()).toMatch(/<\/svg>$/);
  return res.body;
}

describe('GET /symbols', () => {
  it('renders every symbology as SVG by default', async () => {
    for (const [type, data] of [
      ['qr', 'https://id.gs1.org/01/09501101530003'],
      ['datamatrix', 'BIN A-01'],
      ['gs1-datamatrix', `(01)${GTIN_MILK}(17)310331(10)L-42`],
      ['code128', 'MILK-1L'],
      ['gs1-128', `01${GTIN_MILK}10L-42${GS}17310331`],
      ['ean13', '4012345678901'],
    ]) {
      expectSvg(await get({ type, data }));
    }
  });

  it('renders PNG with the PNG signature and content type', async () => {
    const res = await get({ type: 'gs1-128', data: `(01)${GTIN_MILK}(10)L-42`, format: 'png', scale: '2' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('image/png');
    expect([...res.rawPayload.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
    const small = await get({ type: 'qr', data: 'A-01', format: 'png', scale: '1' });
    const large = await get({ type: 'qr', data: 'A-01', format: 'png', scale: '4' });
    expect([...small.rawPayload.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
    // IHDR width (bytes 16–19): four times the modules at scale 4.
    expect(large.rawPayload.readUInt32BE(16)).toBe(4 * small.rawPayload.readUInt32BE(16));
  });

  it('EAN-13 takes 12 digits and adds the check digit: the same symbol as the 13 digits', async () => {
    expect(expectSvg(await get({ type: 'ean13', data: '401234567890' }))).toBe(expectSvg(await get({ type: 'ean13', data: '4012345678901' })));
  });

  it('answers 422 gs1-invalid for a wrong EAN-13 check digit or bad GS1 data, and writes nothing', async () => {
    const ean = expectProblem(await expectNoChange(t, () => get({ type: 'ean13', data: '4012345678902' })), 422, 'gs1-invalid');
    expect(ean).toMatchObject({ code: 'check-digit', ai: '01', field: 'data' });
    expect(ean.detail).toMatch(/expected 1, found 2/);
    expect(expectProblem(await get({ type: 'ean13', data: 'ABC' }), 422, 'gs1-invalid')).toMatchObject({ code: 'invalid-key' });
    expect(expectProblem(await get({ type: 'gs1-128', data: `(01)${GTIN_MILK}(17)311331` }), 422, 'gs1-invalid')).toMatchObject({ code: 'invalid-date', ai: '17' });
    expect(expectProblem(await get({ type: 'gs1-datamatrix', data: 'not gs1' }), 422, 'gs1-invalid').detail).toEqual(expect.any(String));
    // 16 + 20 + 1 (FNC1) + 20 characters: more than GS1-128's 48.
    const long = expectProblem(await get({ type: 'gs1-128', data: `(01)${GTIN_MILK}(10)${'A'.repeat(18)}(21)${'B'.repeat(18)}` }), 422, 'gs1-invalid');
    expect(long).toMatchObject({ code: 'too-long' });
  });

  it('answers 422 barcode/unencodable for data the renderer refuses', async () => {
    // A literal "(" in a lot is valid GS1 (CSET 82) but cannot go through the bracketed form bwip-js reads.
    const res = await get({ type: 'gs1-128', data: `01${GTIN_MILK}10A(B` });
    expect(expectProblem(res, 422, 'barcode/unencodable')).toMatchObject({ symbology: 'gs1-128', field: 'data' });
  });

  it('answers 400 for an unknown type, format or scale', async () => {
    expect(problemFields(expectProblem(await get({ type: 'pdf417', data: 'x' }), 400, 'validation'))).toContain('type');
    expect(problemFields(expectProblem(await get({ type: 'qr', data: 'x', format: 'gif' }), 400, 'validation'))).toContain('format');
    expect(problemFields(expectProblem(await get({ type: 'qr', data: 'x', scale: '11' }), 400, 'validation'))).toContain('scale');
    expect(problemFields(expectProblem(await get({ type: 'qr' }), 400, 'validation'))).toContain('data');
  });
});
