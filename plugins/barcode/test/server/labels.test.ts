import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoChange, expectProblem, type TestPlatform } from '@quartermaster/testing';
import { BC, FA, GTIN_MILK, INV, NO_SUCH_ID, bootBarcode, caller, item, location } from './fixtures.js';

/*
 * POST /api/barcode/labels with inventory and fixed-assets enabled. Lot labels carry
 * (01) GTIN (17) expiry (10) lot (GS1 General Specifications §3.2; fixed-length elements before the
 * variable-length lot so no FNC1 separator is needed, §7.8.5), as a GS1 Digital Link URI in QR
 * (GS1 Digital Link URI Syntax 1.2: /01/{gtin}/10/{lot}?17={date}). ZPL II commands per the Zebra
 * ZPL II Programming Guide: ^XA/^XZ label, ^PW/^LL size in dots, ^BC Code 128, ^BX Data Matrix
 * (escape "_1" = FNC1), ^BQ QR Code, ^BE EAN-13. GIAI 06141411: prefix 0614141 + reference 1 (§2.3).
 */
let t: TestPlatform;
let call: ReturnType<typeof caller>;
let milk: string;
let bare: string;
let bin: string;
let unnamed: string;
let lotId: string;
let asset: { id: string; tag: string };
let giaiAsset: { id: string; tag: string };

const labels = (payload: Record<string, unknown>) => t.request({ method: 'POST', url: `${BC}/labels`, payload });
const template = (o: Record<string, unknown> = {}) => ({ widthMm: 50, heightMm: 30, symbology: 'code128', ...o });
const count = (text: string, what: string) => text.split(what).length - 1;

beforeAll(async () => {
  t = await bootBarcode({ inventory: true, fixedAssets: true });
  call = caller(t);
  const site = await location(t, 'Main DC', { code: 'DC1' });
  bin = await location(t, 'Bin A-01', { code: 'A-01', type: 'bin', parentId: site });
  unnamed = await location(t, 'Yard', { type: 'area', parentId: site });
  milk = await item(t, 'Milk <1 l> & cream', { trackingMode: 'lot', identifiers: [{ type: 'gtin', value: GTIN_MILK.slice(1) }, { type: 'sku', value: 'MILK-1L' }] });
  bare = await item(t, 'No codes at all');
  const receipt = await call(
    { method: 'POST', url: `${INV}/moves`, payload: { type: 'receipt', lines: [{ itemId: milk, qty: '12', unitCost: '0.80', toLocationId: bin, lot: 'L-42', expiresOn: '2031-03-31' }] } },
    201,
  );
  lotId = receipt.lines[0].lotId;
  asset = await call({ method: 'POST', url: `${FA}/assets`, payload: { name: 'Pump', tag: 'FA-7001' } }, 201);
  giaiAsset = await call({ method: 'POST', url: `${FA}/assets`, payload: { name: 'Forklift', tag: '06141411' } }, 201);
}, 120_000);
afterAll(() => t?.close());

describe('POST /labels', () => {
  it('an HTML page of SVG labels in mm: @page sized to the sheet, one section per sheet, text escaped', async () => {
    const targets = [
      { type: 'item', id: milk },
      { type: 'location', id: bin },
      { type: 'asset', id: asset.id },
      { type: 'item', id: milk },
      { type: 'location', id: bin },
    ];
    const res = await labels({ template: template({ columns: 2, rows: 2, marginMm: 5, gapMm: 2.5 }), targets, format: 'html' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    const html = res.body;
    expect(html).toMatch(/^<!DOCTYPE html>/);
    // 2·5 + 2·50 + 2.5 = 112.5 wide; 2·5 + 2·30 + 2.5 = 72.5 high.
    expect(html).toContain('@page { size: 112.5mm 72.5mm; margin: 0; }');
    expect(count(html, '<section class="sheet">')).toBe(2);
    expect(count(html, '<div class="label"')).toBe(5);
    // The fourth label sits in the second row, first column of sheet 1; the fifth starts sheet 2.
    expect(html).toContain('style="left:5mm;top:37.5mm"');
    expect(html).toContain('style="left:57.5mm;top:5mm"');
    expect(count(html, 'width="50mm" height="30mm" viewBox="0 0 50 30"')).toBe(5);
    expect(html).toContain('Milk &lt;1 l&gt; &amp; cream');
    expect(html).not.toContain('Milk <1 l>');
    // Code 128 labels print their code under the bars.
    for (const code of ['MILK-1L', 'A-01', 'FA-7001']) expect(html).toContain(`>${code}</text>`);
  });

  it('one SVG with the sheets one under the other', async () => {
    const res = await labels({ template: template({ symbology: 'datamatrix', columns: 1, rows: 1 }), targets: [{ type: 'location', id: bin }, { type: 'asset', id: asset.id }], format: 'svg' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
    expect(res.body).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="50mm" height="60mm" viewBox="0 0 50 60">/);
    expect(res.body).toContain('x="0" y="30" width="50" height="30" viewBox="0 0 50 30"');
    // 2D symbols show the code as a text line next to the symbol.
    expect(res.body).toContain('>FA-7001</text>');
  });

  it('a lot label carries (01)(17)(10) in GS1-128 and GS1 DataMatrix, and shows lot and expiry', async () => {
    const hri = `(01)${GTIN_MILK}(17)310331(10)L-42`;
    const html = await call({ method: 'POST', url: `${BC}/labels`, payload: { template: template({ symbology: 'gs1-128', fields: ['name', 'code', 'lot', 'expiresOn'] }), targets: [{ type: 'lot', id: lotId }] } }, 200);
    expect(html).toContain(`>${hri}</text>`);
    expect(html).toContain('>LOT L-42</text>');
    expect(html).toContain('>EXP 2031-03-31</text>');

    const zpl = await call({ method: 'POST', url: `${BC}/labels`, payload: { template: template({ symbology: 'gs1-datamatrix', fields: ['lot'] }), targets: [{ type: 'lot', id: lotId }], format: 'zpl' } }, 200);
    expect(zpl).toContain(`^FH\\^FD_101${GTIN_MILK}1731033110L-42^FS`);
  });

  it('ZPL: one ^XA…^XZ label per target, sized in dots, with the printer\'s own human-readable line', async () => {
    const res = await labels({
      template: template({ symbology: 'gs1-128', dpi: 300 }),
      targets: [{ type: 'item', id: milk }, { type: 'lot', id: lotId }, { type: 'asset', id: giaiAsset.id }],
      format: 'zpl',
    });
    expect(res.statusCode, res.body).toBe(422); // no company prefix yet: the GIAI asset is refused
    expect(expectProblem(res, 422, 'barcode/no-code')).toMatchObject({ field: 'targets[2]' });

    await call({ method: 'PUT', url: `${BC}/settings`, payload: { companyPrefix: '0614141' } }, 200);
    const zpl = await call(
      { method: 'POST', url: `${BC}/labels`, payload: { template: template({ symbology: 'gs1-128', dpi: 300 }), targets: [{ type: 'item', id: milk }, { type: 'lot', id: lotId }, { type: 'asset', id: giaiAsset.id }], format: 'zpl' } },
      200,
    );
    expect(count(zpl, '^XA')).toBe(3);
    expect(count(zpl, '^XZ')).toBe(3);
    // 50 mm and 30 mm at 300 dpi: 591 × 354 dots.
    expect(count(zpl, '^PW591')).toBe(3);
    expect(count(zpl, '^LL354')).toBe(3);
    expect(zpl).toContain(`^FH\\^FD(01)${GTIN_MILK}(17)310331(10)L-42^FS`);
    expect(zpl).toContain('^FH\\^FD(8004)06141411^FS');
    expect(zpl).toContain('^FH\\^FDMilk <1 l> & cream^FS');
  });

  it('EAN-13 and QR: the GTIN-13 of an item, a Digital Link for a lot', async () => {
    const ean = await call({ method: 'POST', url: `${BC}/labels`, payload: { template: template({ symbology: 'ean13' }), targets: [{ type: 'item', id: milk }], format: 'zpl' } }, 200);
    expect(ean).toContain('^BEN');
    expect(ean).toContain('^FD950110153000^FS'); // ^BE adds the check digit itself
    const qr = await call({ method: 'POST', url: `${BC}/labels`, payload: { template: template({ symbology: 'qr' }), targets: [{ type: 'lot', id: lotId }], format: 'zpl' } }, 200);
    expect(qr).toContain(`^FH\\^FDMA,https://id.gs1.org/01/${GTIN_MILK}/10/L-42?17=310331^FS`);
  });

  it('refuses with 422 naming the target: unknown, nothing to encode, a symbology that cannot carry it', async () => {
    const cases: Array<[Record<string, unknown>, unknown[], string, string, RegExp]> = [
      [template(), [{ type: 'item', id: milk }, { type: 'item', id: NO_SUCH_ID }], 'barcode/unknown-target', 'targets[1]', /no item/],
      [template(), [{ type: 'lot', id: NO_SUCH_ID }], 'barcode/unknown-target', 'targets[0]', /no lot/],
      [template(), [{ type: 'asset', id: NO_SUCH_ID }], 'barcode/unknown-target', 'targets[0]', /no asset/],
      [template(), [{ type: 'item', id: bare }], 'barcode/no-code', 'targets[0]', /neither a SKU nor a GTIN/],
      [template({ symbology: 'gs1-128' }), [{ type: 'item', id: bare }], 'barcode/no-code', 'targets[0]', /no GTIN/],
      [template({ symbology: 'gs1-128' }), [{ type: 'location', id: bin }], 'barcode/no-code', 'targets[0]', /no GS1 key/],
      [template(), [{ type: 'location', id: unnamed }], 'barcode/no-code', 'targets[0]', /Main DC \/ Yard.*no code/],
      [template({ symbology: 'code128' }), [{ type: 'lot', id: lotId }], 'barcode/no-code', 'targets[0]', /gs1-128, gs1-datamatrix or qr/],
      [template({ symbology: 'ean13' }), [{ type: 'asset', id: asset.id }], 'barcode/no-code', 'targets[0]', /EAN-13/],
      [template({ symbology: 'gs1-datamatrix' }), [{ type: 'asset', id: asset.id }], 'barcode/no-code', 'targets[0]', /not a GIAI/],
    ];
    for (const [tpl, targets, type, field, detail] of cases) {
      const res = await expectNoChange(t, () => labels({ template: tpl, targets }));
      const body = expectProblem(res, 422, type);
      expect(body.field, body.detail).toBe(field);
      expect(body.detail).toMatch(detail);
    }
  });

  it('refuses a label too small for its symbol with 422 barcode/invalid-label', async () => {
    for (const format of ['html', 'zpl']) {
      const res = await labels({ template: template({ widthMm: 10, heightMm: 5, fields: ['name', 'code'] }), targets: [{ type: 'item', id: milk }], format });
      expect(expectProblem(res, 422, 'barcode/invalid-label').detail, format).toMatch(/5 mm label/);
    }
  });
});
