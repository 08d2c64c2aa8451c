import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoChange, expectProblem, problemFields, type TestPlatform } from '@quartermaster/testing';
import { BC, GS, GTIN_MILK, bootBarcode, caller } from './fixtures.js';

/*
 * POST /api/barcode/gs1/parse. Sources: GS1 General Specifications §3.2 (AIs (01) GTIN, (10)
 * BATCH/LOT, (17) USE BY or EXPIRY (day 00 = last day of the month), (21) SERIAL, (3103) NET WEIGHT
 * kg with three decimals), §7.8.5 (FNC1 after variable-length fields, sent as GS), §7.12 (century
 * of two-digit years); ISO/IEC 15424 symbology identifiers (]d2 GS1 DataMatrix, ]C1 GS1-128,
 * ]E0 EAN-13); GS1 Digital Link URI Syntax 1.2 (path /01/{gtin}/10/{lot}, attributes in the query).
 * Years "26"/"31" are placed by the server's date: 2026 and 2031 for any date from 2000 to 2076.
 */
let t: TestPlatform;
let call: ReturnType<typeof caller>;
const parse = (data: unknown) => t.request({ method: 'POST', url: `${BC}/gs1/parse`, payload: { data } });

beforeAll(async () => {
  t = await bootBarcode();
  call = caller(t);
});
afterAll(() => t?.close());

describe('POST /gs1/parse', () => {
  it('reads a GS1 DataMatrix scan: symbology identifier, GS separator, dates and decimals', async () => {
    const data = `]d2010${GTIN_MILK.slice(1)}10AB-123${GS}172603003103001250`;
    expect(await call({ method: 'POST', url: `${BC}/gs1/parse`, payload: { data } }, 200)).toEqual({
      elements: [
        { ai: '01', title: 'GTIN', value: GTIN_MILK },
        { ai: '10', title: 'BATCH/LOT', value: 'AB-123' },
        { ai: '17', title: 'USE BY or EXPIRY', value: '260300', date: '2026-03-31' },
        { ai: '3103', title: 'NET WEIGHT (kg)', value: '001250', decimal: '1.250' },
      ],
      hri: `(01)${GTIN_MILK}(10)AB-123(17)260300(3103)001250`,
      symbology: ']d2',
      source: 'element-string',
    });
  });

  it('reads the bracketed form, a Digital Link URI and a plain EAN-13 alike', async () => {
    const bracketed = await call({ method: 'POST', url: `${BC}/gs1/parse`, payload: { data: `(01)${GTIN_MILK}(17)310331(21)SN-9` } }, 200);
    expect(bracketed).toMatchObject({ source: 'bracketed', hri: `(01)${GTIN_MILK}(17)310331(21)SN-9` });
    expect(bracketed.elements[1]).toEqual({ ai: '17', title: 'USE BY or EXPIRY', value: '310331', date: '2031-03-31' });
    expect(bracketed.symbology).toBeUndefined();

    const link = await call({ method: 'POST', url: `${BC}/gs1/parse`, payload: { data: `https://id.gs1.org/01/${GTIN_MILK}/10/AB-123?17=260331` } }, 200);
    expect(link).toMatchObject({ source: 'digital-link', hri: `(01)${GTIN_MILK}(10)AB-123(17)260331` });

    const ean = await call({ method: 'POST', url: `${BC}/gs1/parse`, payload: { data: ']E09501101530003' } }, 200);
    expect(ean).toEqual({ elements: [{ ai: '01', title: 'GTIN', value: GTIN_MILK }], hri: `(01)${GTIN_MILK}`, symbology: ']E0', source: 'plain-gtin' });
  });

  it('answers 422 gs1-invalid with the reason, the AI and the position, and writes nothing', async () => {
    // Check digit 4 instead of 3 (see fixtures): the GTIN's last digit, position 15 after "]C1" + "01".
    const res = await expectNoChange(t, () => parse(']C10109501101530004'));
    const body = expectProblem(res, 422, 'gs1-invalid');
    expect(body).toMatchObject({ code: 'check-digit', ai: '01', position: 18, field: 'data' });
    expect(body.detail).toMatch(/check digit/);

    // (17) with month 13.
    const month = expectProblem(await parse(`(01)${GTIN_MILK}(17)261301`), 422, 'gs1-invalid');
    expect(month).toMatchObject({ code: 'invalid-date', ai: '17' });
    expect(month.detail).toMatch(/\(17\)/);

    // A fixed-length (01) cut short by the end of the data.
    expect(expectProblem(await parse('01095011015'), 422, 'gs1-invalid')).toMatchObject({ code: 'too-short', ai: '01', position: 2 });
    // No AI starts with 04 (§3.2).
    expect(expectProblem(await parse('0412345'), 422, 'gs1-invalid')).toMatchObject({ code: 'unknown-ai', position: 0 });
    // Only spaces: nothing to read (the schema admits it, the domain does not).
    expect(expectProblem(await parse('   '), 422, 'gs1-invalid')).toMatchObject({ code: 'empty-input', ai: null, position: null });
  });

  it('answers 400 naming the field for a missing, empty or non-string data', async () => {
    for (const payload of [{}, { data: '' }, { data: 42 }, { data: 'x', extra: 1 }]) {
      const res = await t.request({ method: 'POST', url: `${BC}/gs1/parse`, payload });
      const body = expectProblem(res, 400, 'validation');
      expect(problemFields(body).length).toBeGreaterThan(0);
    }
  });
});
