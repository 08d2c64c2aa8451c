import { describe, it, expect } from 'vitest';
import { parseGs1, parsePlainGtin, readGs1, toElementString, toHri, type Gs1ElementInput } from '../../src/domain/index.js';
import { expectGs1Error, GS } from './helpers.js';

/*
 * Sources: GS1 General Specifications §3.2 (AI table), §7.8 (element strings, FNC1 rules,
 * Figure 7.8.5-2), §7.9 (check digits), §7.12 (century of dates); ISO/IEC 15424 symbology
 * identifiers as listed in the General Specifications (]C1, ]e0, ]d2, ]Q3, ]J1).
 * GTIN 09501101530003 is the example; its check digit 3 is worked out in check-digit.test.ts.
 */
const today = '2026-01-15';
const parse = (data: string) => parseGs1(data, { today });

describe('element strings as scanned', () => {
  it('GS1-128 (]C1): predefined-length AIs need no separator', () => {
    const result = parse(']C1' + '0109501101530003' + '17260331' + '10AB-123');
    expect(result.source).toBe('element-string');
    expect(result.symbology).toBe(']C1');
    expect(result.elements).toEqual([
      { ai: '01', title: 'GTIN', value: '09501101530003' },
      { ai: '17', title: 'USE BY or EXPIRY', value: '260331', date: '2026-03-31' },
      { ai: '10', title: 'BATCH/LOT', value: 'AB-123' },
    ]);
    expect(result.hri).toBe('(01)09501101530003(17)260331(10)AB-123');
  });

  it('GS1 DataMatrix (]d2): FNC1 (GS) ends a variable-length field before the next element', () => {
    const result = parse(']d2' + '0109501101530003' + '10AB-123' + GS + '17260331');
    expect(result.symbology).toBe(']d2');
    expect(result.elements.map((e) => [e.ai, e.value])).toEqual([['01', '09501101530003'], ['10', 'AB-123'], ['17', '260331']]);
    expect(result.hri).toBe('(01)09501101530003(10)AB-123(17)260331');
  });

  it('GS1 QR (]Q3), GS1 DotCode (]J1) and GS1 DataBar (]e0) identifiers are accepted', () => {
    expect(parse(']Q3' + '0109501101530003' + '21SN1').symbology).toBe(']Q3');
    expect(parse(']J1' + '0109501101530003').elements[0].value).toBe('09501101530003');
    const databar = parse(']e0' + '0109501101530003' + '3103001250');
    // 3103: three implied decimals, "001250" → 001.250 → "1.250"
    expect(databar.elements[1]).toMatchObject({ ai: '3103', title: 'NET WEIGHT (kg)', decimal: '1.250' });
  });

  it('a leading FNC1 (GS) and a trailing one are tolerated', () => {
    expect(parse(GS + '0109501101530003').elements).toHaveLength(1);
    expect(parse('10ABC' + GS).elements).toEqual([{ ai: '10', title: 'BATCH/LOT', value: 'ABC' }]);
  });

  it('without a symbology identifier the data is still read as an element string', () => {
    const result = parse('0109501101530003' + '10LOT7' + GS + '2112345');
    expect(result.symbology).toBeUndefined();
    expect(result.elements.map((e) => e.ai)).toEqual(['01', '10', '21']);
  });

  it('an FNC1 after a predefined-length AI is superfluous but accepted', () => {
    expect(parse('17260331' + GS + '10ABC').elements.map((e) => e.ai)).toEqual(['17', '10']);
  });

  it('a fixed-length AI outside Figure 7.8.5-2 (402 GSIN) is followed by FNC1', () => {
    // GSIN 0614141123456789 + check digit: 16 data digits, last weighted 3:
    // 0·1+6·3+1·1+4·3+1·1+4·3+1·1+1·3+2·1+3·3+4·1+5·3+6·1+7·3+8·1+9·3 = 140 → 0
    const result = parse('40206141411234567890' + GS + '17260331');
    expect(result.elements.map((e) => e.ai)).toEqual(['402', '17']);
  });

  it('identical repeats of an AI collapse into one element', () => {
    expect(parse('10ABC' + GS + '10ABC').elements).toHaveLength(1);
  });
});

describe('element strings: rejected input', () => {
  it('missing FNC1 between variable-length AIs: the field runs past its maximum', () => {
    // "]C1" (0–2), AI 01 at 3, data 5–18, AI 10 at 19, data from 21; 20 allowed → the overrun starts at 41
    expectGs1Error(() => parse(']C1' + '0109501101530003' + '10LOT12345678901234567' + '21XYZ'), 'too-long', {
      ai: '10',
      position: 41,
      message: /AI \(10\) BATCH\/LOT runs on for 25 characters.*maximum of 20.*FNC1 separator is probably missing/,
    });
  });

  it('missing FNC1 after a fixed-length AI that needs one', () => {
    // "402" 0–2, 17 digits 3–19, next element at 20
    expectGs1Error(() => parse('40206141411234567890' + '17260331'), 'missing-separator', { ai: '402', position: 20 });
  });

  it('a truncated fixed-length field', () => {
    // ]C1 forces element-string reading (13 bare digits would otherwise be tried as a GTIN-13 first)
    expectGs1Error(() => parse(']C1' + '0109501101530'), 'too-short', { ai: '01', position: 5, message: /exactly 14.*only 11/ });
    expectGs1Error(() => parse('01095011015' + GS + '10ABC'), 'too-short', { ai: '01', message: /before a separator/ });
  });

  it('an illegal character is named with its position', () => {
    expectGs1Error(() => parse('10AB CD'), 'invalid-character', { ai: '10', position: 4, message: /" " is not allowed/ });
    expectGs1Error(() => parse('10ABÄ'), 'invalid-character', { ai: '10', position: 4 });
    expectGs1Error(() => parse('0109501101530A03'), 'invalid-character', { ai: '01', position: 13, message: /digits only/ });
  });

  it('unknown AIs are rejected with the reason', () => {
    expectGs1Error(() => parse('0412345'), 'unknown-ai', { position: 0, message: /no GS1 AI begins with these digits/ });
    // AIs starting 23 have three digits (235); 231 is not assigned
    expectGs1Error(() => parse('2312345'), 'unknown-ai', { ai: '231', message: /\(231\).*not in the GS1 AI table/ });
    expectGs1Error(() => parse('3106000100'), 'unknown-ai', { ai: '3106', message: /not in the GS1 AI table/ });
  });

  it('something that is not an AI at all', () => {
    expectGs1Error(() => parse('AB123'), 'invalid-ai', { position: 0 });
  });

  it('empty values and doubled separators', () => {
    expectGs1Error(() => parse('10' + GS + '17260331'), 'empty-value', { ai: '10', position: 2 });
    expectGs1Error(() => parse('10ABC' + GS + GS + '17260331'), 'unexpected-separator', { position: 6 });
    expectGs1Error(() => parse(']C1'), 'empty-input');
    expectGs1Error(() => parse('   '), 'empty-input');
  });

  it('a bad check digit says expected vs found', () => {
    expectGs1Error(() => parse('0109501101530004'), 'check-digit', { ai: '01', position: 15, message: /expected 3, found 4/ });
  });

  it('the same AI with different data', () => {
    expectGs1Error(() => parse('10ABC' + GS + '10DEF'), 'conflicting-ai', { ai: '10' });
  });

  it('with ]C1 a bare GTIN is not taken for a plain GTIN', () => {
    // "09…" → AI prefix 09 does not exist
    expectGs1Error(() => parse(']C1' + '09501101530003'), 'unknown-ai');
  });
});

describe('bracketed human-readable form', () => {
  it('reads the issue example', () => {
    const result = parse('(01)09501101530003(17)260331(10)AB-123');
    expect(result.source).toBe('bracketed');
    expect(result.elements.map((e) => [e.ai, e.value])).toEqual([['01', '09501101530003'], ['17', '260331'], ['10', 'AB-123']]);
    expect(result.hri).toBe('(01)09501101530003(17)260331(10)AB-123');
  });

  it('tolerates spaces as printed under a barcode', () => {
    expect(parse('(01) 09501101530003 (17) 260331').elements.map((e) => e.value)).toEqual(['09501101530003', '260331']);
  });

  it('"\\(" is a literal bracket in a value', () => {
    expect(parse('(10)AB\\(1)').elements[0].value).toBe('AB(1)');
  });

  it('malformed brackets are rejected', () => {
    // "(01)" 0–3, data 4–17, "(" at 18 never closed
    expectGs1Error(() => parse('(01)09501101530003(17260331'), 'malformed-brackets', { position: 18, message: /Unclosed/ });
    expectGs1Error(() => parse('(1A)ABC'), 'malformed-brackets', { position: 0 });
    expectGs1Error(() => parse('()'), 'malformed-brackets');
  });

  it('empty, over-long and unknown elements are rejected', () => {
    expectGs1Error(() => parse('(01)'), 'empty-value', { ai: '01', position: 4 });
    expectGs1Error(() => parse('(17)2603311'), 'too-long', { ai: '17', message: /7 characters long.*6 allowed/ });
    expectGs1Error(() => parse('(23)123'), 'unknown-ai', { ai: '23' });
  });
});

describe('plain GTIN from EAN/UPC/ITF-14', () => {
  it('GTIN-13 6291041500213 is AI (01) padded to 14 digits', () => {
    const result = parse('6291041500213');
    expect(result.source).toBe('plain-gtin');
    expect(result.elements).toEqual([{ ai: '01', title: 'GTIN', value: '06291041500213' }]);
    expect(result.hri).toBe('(01)06291041500213');
  });

  it('GTIN-12 and GTIN-8, with and without symbology identifier', () => {
    expect(parse('416000336108').elements[0].value).toBe('00416000336108');
    expect(parse(']E4' + '40170725')).toMatchObject({ symbology: ']E4', source: 'plain-gtin', hri: '(01)00000040170725' });
    expect(parsePlainGtin(']E0' + '6291041500213').elements[0].value).toBe('06291041500213');
  });

  it('a wrong check digit is reported for the GTIN', () => {
    expectGs1Error(() => parse('6291041500214'), 'check-digit', { ai: '01', message: /GTIN-13.*expected 3, found 4/ });
    expectGs1Error(() => parsePlainGtin('123456789'), 'invalid-key', { message: /8, 12, 13 or 14 digits/ });
  });

  it('an 8-digit element string without valid GTIN check digit stays an element string', () => {
    // as GTIN-8, 1726033 → 1·3+7+2·3+6+0·3+3+3·3 = 34 → check 6, not 1; so "17260331" is (17)260331
    expect(parse('17260331').elements).toEqual([{ ai: '17', title: 'USE BY or EXPIRY', value: '260331', date: '2026-03-31' }]);
  });

  it('option plainGtin: false reads digits as an element string', () => {
    // 40170725 is a valid GTIN-8, and also (401) GINC "70725"
    expect(parseGs1('40170725', { today, plainGtin: false }).elements[0]).toMatchObject({ ai: '401', value: '70725' });
  });
});

describe('dates (GS1 General Specifications §7.12 century rule, day 00)', () => {
  it('YYMMDD to ISO, day 00 is the last day of the month', () => {
    expect(parse('(17)260300').elements[0].date).toBe('2026-03-31');
    expect(parse('(15)240200').elements[0].date).toBe('2024-02-29'); // 2024 leap year
    expect(parse('(11)991231').elements[0].date).toBe('1999-12-31'); // 99 − 26 = 73 ≥ 51 → previous century
  });

  it('the century follows the caller-supplied today', () => {
    // from 2090: 40 − 90 = −50 → next century
    expect(parseGs1('(17)400101', { today: '2090-06-01' }).elements[0].date).toBe('2140-01-01');
  });

  it('29 February 2100 does not exist (00 read from 2090 is 2100)', () => {
    expectGs1Error(() => parseGs1('(17)000229', { today: '2090-06-01' }), 'invalid-date', { ai: '17', message: /2100/ });
    expect(parse('(17)000229').elements[0].date).toBe('2000-02-29');
  });

  it('month 13, 30 February, and day 00 where not allowed are rejected', () => {
    expectGs1Error(() => parse('(17)261301'), 'invalid-date', { ai: '17', message: /month 13/ });
    expectGs1Error(() => parse('(17)260230'), 'invalid-date', { ai: '17', message: /no day 30/ });
    expectGs1Error(() => parse('(7006)260300'), 'invalid-date', { ai: '7006', message: /day 00/ });
  });

  it('7003 YYMMDDhhmm, 4324 with day 00, 7007 ranges, 8008 with optional minutes and seconds', () => {
    expect(parse('(7003)2603311430').elements[0].date).toBe('2026-03-31T14:30');
    expectGs1Error(() => parse('(7003)2603312460'), 'invalid-time', { ai: '7003', message: /hour "24"/ });
    expect(parse('(4324)2603001200').elements[0].date).toBe('2026-03-31T12:00');
    expect(parse('(7007)260301260305').elements[0].date).toBe('2026-03-01/2026-03-05');
    expect(parse('(7007)260301').elements[0].date).toBe('2026-03-01');
    expect(parse('(8008)26033114').elements[0].date).toBe('2026-03-31T14');
    expect(parse('(8008)260331143015').elements[0].date).toBe('2026-03-31T14:30:15');
  });

  it('7250 YYYYMMDD', () => {
    expect(parse('(7250)19800229').elements[0].date).toBe('1980-02-29');
    expectGs1Error(() => parse('(7250)19810229'), 'invalid-date', { ai: '7250' });
  });

  it('today is required and must be YYYY-MM-DD', () => {
    expectGs1Error(() => parseGs1('(17)260331', {} as { today: string }), 'invalid-option');
    expectGs1Error(() => parseGs1('(17)260331', { today: '15.01.2026' }), 'invalid-option');
  });
});

describe('decimal and currency AIs (last AI digit = decimals)', () => {
  it('measures keep trailing zeros and drop leading ones', () => {
    expect(parse('(3100)001250').elements[0].decimal).toBe('1250');
    expect(parse('(3103)001250').elements[0].decimal).toBe('1.250');
    expect(parse('(3105)000001').elements[0].decimal).toBe('0.00001');
    expect(parse('(3695)123456').elements[0]).toMatchObject({ title: 'VOLUME (yd³), log', decimal: '1.23456' });
  });

  it('amounts and prices of variable length', () => {
    expect(parse('(3922)1999').elements[0].decimal).toBe('19.99');
    expect(parse('(3925)5').elements[0].decimal).toBe('0.00005');
    expect(parse('(3943)1250').elements[0].decimal).toBe('1.250');
    expect(parse('(3955)012345').elements[0].decimal).toBe('0.12345');
  });

  it('391n / 393n: ISO 4217 currency first', () => {
    expect(parse('(3932)9781999').elements[0]).toMatchObject({ title: 'PRICE', currency: '978', decimal: '19.99' });
    expect(parse('(3911)840123').elements[0]).toMatchObject({ title: 'AMOUNT', currency: '840', decimal: '12.3' });
    expectGs1Error(() => parse('(3932)978'), 'too-short', { ai: '3932' });
  });

  it('non-existent decimal positions and over-long amounts are rejected', () => {
    expectGs1Error(() => parse('(3106)001250'), 'unknown-ai', { ai: '3106' });
    expectGs1Error(() => parse('(3920)1234567890123456'), 'too-long', { ai: '3920' });
  });
});

describe('writing: toElementString and toHri', () => {
  const elements: Gs1ElementInput[] = [
    { ai: '01', value: '09501101530003' },
    { ai: '17', value: '260331' },
    { ai: '10', value: 'AB-123' },
    { ai: '21', value: 'XYZ' },
  ];

  it('FNC1 only after non-final elements that are not of predefined length (§7.8.5)', () => {
    expect(toElementString(elements)).toBe('0109501101530003' + '17260331' + '10AB-123' + GS + '21XYZ');
    expect(toElementString([{ ai: '10', value: 'AB-123' }, { ai: '17', value: '260331' }])).toBe('10AB-123' + GS + '17260331');
    expect(toElementString([{ ai: '402', value: '06141411234567890' }, { ai: '17', value: '260331' }])).toBe('40206141411234567890' + GS + '17260331');
    expect(toElementString([{ ai: '10', value: 'A' }, { ai: '21', value: 'B' }], '|')).toBe('10A|21B');
  });

  it('toHri brackets every AI', () => {
    expect(toHri(elements)).toBe('(01)09501101530003(17)260331(10)AB-123(21)XYZ');
  });

  it('round-trips through the parser', () => {
    const result = parse(']C1' + toElementString(elements));
    expect(result.elements.map(({ ai, value }) => ({ ai, value }))).toEqual(elements);
  });

  it('refuses invalid elements', () => {
    expectGs1Error(() => toElementString([{ ai: '01', value: '09501101530004' }]), 'check-digit', { message: /expected 3, found 4/ });
    expectGs1Error(() => toHri([{ ai: '3106', value: '001250' }]), 'unknown-ai');
    expectGs1Error(() => toElementString([]), 'empty-input');
  });
});

describe('readGs1 (structure only, no today)', () => {
  it('returns raw elements with positions', () => {
    const read = readGs1(']C1' + '0109501101530003' + '17260331');
    // "]C1" 0–2, AI 01 at 3, its data at 5; AI 17 at 19, its data at 21
    expect(read.elements).toEqual([
      { ai: '01', value: '09501101530003', position: 5 },
      { ai: '17', value: '260331', position: 21 },
    ]);
  });
});
