import { describe, it, expect } from 'vitest';
import { parseGs1, readDigitalLink, toDigitalLink, type Gs1ElementInput } from '../../src/domain/index.js';
import { expectGs1Error } from './helpers.js';

/*
 * Sources: GS1 Digital Link Standard: URI Syntax (release 1.2+, §4 URI structure, key qualifier
 * order, query-string attributes; its example GTIN 09520123456788 and URI
 * https://id.gs1.org/01/09520123456788/10/ABC123?17=201225), and the GS1 Barcode Syntax Engine
 * DL parser tests (stem handling, SSCC 006141411234567890, legacy zero-suppressed GTINs).
 */
const today = '2026-01-15';
const parse = (uri: string, options: { padShortGtinInDigitalLink?: boolean } = {}) => parseGs1(uri, { today, ...options });

describe('parsing GS1 Digital Link URIs', () => {
  it('reads the standard example: key, qualifier, query attribute', () => {
    const result = parse('https://id.gs1.org/01/09520123456788/10/ABC123?17=201225');
    expect(result.source).toBe('digital-link');
    expect(result.elements).toEqual([
      { ai: '01', title: 'GTIN', value: '09520123456788' },
      { ai: '10', title: 'BATCH/LOT', value: 'ABC123' },
      // 20 − 26 = −6 → current century
      { ai: '17', title: 'USE BY or EXPIRY', value: '201225', date: '2020-12-25' },
    ]);
    expect(result.hri).toBe('(01)09520123456788(10)ABC123(17)201225');
  });

  it('any domain, any stem path before the key; percent-decoding', () => {
    const result = parse('https://example.com/products/01/09520123456788/21/XYZ%2F1');
    expect(result.elements.map((e) => [e.ai, e.value])).toEqual([['01', '09520123456788'], ['21', 'XYZ/1']]);
  });

  it('the rightmost key wins: a fake AI in the stem is ignored (Syntax Engine test)', () => {
    expect(parse('https://a/00/faux/00/006141411234567890').elements).toEqual([{ ai: '00', title: 'SSCC', value: '006141411234567890' }]);
  });

  it('upper-case scheme and domain, http, fragment, non-GS1 parameters', () => {
    expect(parse('HTTPS://ID.GS1.ORG/01/09520123456788').elements).toHaveLength(1);
    const result = parse('http://id.gs1.org/01/09520123456788?linkType=gs1:pip&17=201225&context#section');
    expect(result.elements.map((e) => e.ai)).toEqual(['01', '17']);
  });

  it('all three qualifiers of (01) in order, and the (235) alternative', () => {
    const full = parse('https://id.gs1.org/01/09520123456788/22/2A/10/ABC/21/12345');
    expect(full.elements.map((e) => e.ai)).toEqual(['01', '22', '10', '21']);
    expect(parse('https://id.gs1.org/01/09520123456788/235/TPX1').elements[1]).toMatchObject({ ai: '235', title: 'TPX' });
  });

  it('other primary keys: SSCC, GLN with extension, GRAI, GIAI, GSRN', () => {
    expect(parse('https://id.gs1.org/00/106141411234567897').elements[0].value).toBe('106141411234567897');
    // GLN 9501101020917: check digit worked out in check-digit.test.ts
    const gln = parse('https://id.gs1.org/414/9501101020917/254/32a%2Fb');
    expect(gln.elements.map((e) => [e.ai, e.value])).toEqual([['414', '9501101020917'], ['254', '32a/b']]);
    // GRAI 0 0614141 12345 + check: 0·3+0+6·3+1+4·3+1+4·3+1+1·3+2+3·3+4+5·3 = 78 → 2
    expect(parse('https://id.gs1.org/8003/00614141123452XYZ').elements[0]).toMatchObject({ title: 'GRAI', value: '00614141123452XYZ' });
    expect(parse('https://id.gs1.org/8004/0614141A1B2C3').elements[0].title).toBe('GIAI');
    // GSRN 06141411234567890 + check: 0·3+6+1·3+4+1·3+4+1·3+1+2·3+3+4·3+5+6·3+7+8·3+9+0·3 = 108 → 2
    expect(parse('https://id.gs1.org/8018/061414112345678902/8019/7').elements.map((e) => e.ai)).toEqual(['8018', '8019']);
  });

  it('query attributes get dates and decimals like any element', () => {
    const result = parse('https://id.gs1.org/01/09520123456788?3103=001250&3932=9781999');
    expect(result.elements[1].decimal).toBe('1.250');
    expect(result.elements[2]).toMatchObject({ currency: '978', decimal: '19.99' });
  });

  it('a GTIN-13 in the path is rejected unless padding is asked for', () => {
    // "https://" 0–7, "example.com" 8–18, "/01/" 19–22, value from 23
    expectGs1Error(() => parse('https://example.com/01/9520123456788'), 'too-short', { ai: '01', position: 23, message: /14 digits.*GTIN-13.*09520123456788/ });
    expect(parse('https://example.com/01/9520123456788', { padShortGtinInDigitalLink: true }).elements[0].value).toBe('09520123456788');
  });

  it('the symbology identifier of a plain QR Code is kept', () => {
    expect(parse(']Q1https://id.gs1.org/01/09520123456788')).toMatchObject({ symbology: ']Q1', source: 'digital-link' });
  });
});

describe('rejected Digital Link URIs', () => {
  it('qualifiers out of order or from different sequences', () => {
    expectGs1Error(() => parse('https://id.gs1.org/01/09520123456788/21/XYZ/10/ABC'), 'invalid-dl-path', { ai: '01', message: /\(22\), \(10\), \(21\)/ });
    expectGs1Error(() => parse('https://id.gs1.org/01/09520123456788/10/ABC/235/TPX'), 'invalid-dl-path');
    expectGs1Error(() => parse('https://id.gs1.org/00/106141411234567897/21/XYZ'), 'invalid-dl-path', { message: /takes no key qualifiers/ });
  });

  it('a key qualifier in the query string belongs in the path', () => {
    expectGs1Error(() => parse('https://id.gs1.org/01/09520123456788?10=ABC'), 'invalid-dl-path', { ai: '10', message: /belongs in the URI path/ });
  });

  it('AIs that are not data attributes, including a second primary key', () => {
    expectGs1Error(() => parse('https://id.gs1.org/00/106141411234567897?21=XYZ'), 'not-dl-attribute', { ai: '21' });
    expectGs1Error(() => parse('https://id.gs1.org/01/09520123456788?00=106141411234567897'), 'not-dl-attribute', { ai: '00', message: /primary key/ });
  });

  it('unknown numeric parameters, duplicates and empty values', () => {
    expectGs1Error(() => parse('https://id.gs1.org/01/09520123456788?23=1'), 'unknown-ai', { ai: '23' });
    expectGs1Error(() => parse('https://id.gs1.org/01/09520123456788?17=201225&17=201226'), 'duplicate-ai', { ai: '17' });
    expectGs1Error(() => parse('https://id.gs1.org/01/09520123456788?17='), 'empty-value', { ai: '17' });
    expectGs1Error(() => parse('https://id.gs1.org/01//10/ABC'), 'empty-value', { ai: '01' });
  });

  it('malformed URIs: illegal characters, bad escapes, bad scheme, no domain', () => {
    // "ABC" would start at 40; "AB" 40–41, the space at 42
    expectGs1Error(() => parse('https://id.gs1.org/01/09520123456788/10/AB C'), 'malformed-uri', { position: 42 });
    expectGs1Error(() => parse('https://id.gs1.org/01/09520123456788/10/AB%2'), 'malformed-uri', { position: 42, message: /percent-escape/ });
    expectGs1Error(() => parse('https://id.gs1.org/01/09520123456788/10/%FF'), 'malformed-uri', { message: /UTF-8/ });
    expectGs1Error(() => parse('Https://id.gs1.org/01/09520123456788'), 'malformed-uri', { message: /https:\/\// });
    expectGs1Error(() => parse('https:///01/09520123456788'), 'malformed-uri', { message: /domain/ });
    expectGs1Error(() => parse('https://id.gs1.org'), 'malformed-uri');
    // "https://id.gs1.org" 0–17, "/01/" 18–21, value 22–35, trailing "/" at 36
    expectGs1Error(() => parse('https://id.gs1.org/01/09520123456788/'), 'malformed-uri', { position: 36, message: /ends in "\/"/ });
    expectGs1Error(() => parse('https://a$b/01/09520123456788'), 'malformed-uri', { message: /domain name/ });
    expectGs1Error(() => readDigitalLink('ftp://id.gs1.org/01/09520123456788'), 'malformed-uri');
  });

  it('no primary key in the path', () => {
    expectGs1Error(() => parse('https://example.com/about/us'), 'no-primary-key');
    expectGs1Error(() => parse('https://example.com/10/ABC'), 'no-primary-key');
  });

  it('values are checked like element data', () => {
    expectGs1Error(() => parse('https://id.gs1.org/01/09520123456789'), 'check-digit', { ai: '01', message: /expected 8, found 9/ });
    expectGs1Error(() => parse('https://id.gs1.org/01/09520123456788?17=201232'), 'invalid-date', { ai: '17' });
    expectGs1Error(() => parse('https://id.gs1.org/01/09520123456788/10/%C3%84'), 'invalid-character', { ai: '10' });
  });
});

describe('toDigitalLink', () => {
  const gtin = { ai: '01', value: '09520123456788' };

  it('builds the standard example', () => {
    const elements: Gs1ElementInput[] = [gtin, { ai: '10', value: 'ABC123' }, { ai: '17', value: '201225' }];
    expect(toDigitalLink(elements)).toBe('https://id.gs1.org/01/09520123456788/10/ABC123?17=201225');
  });

  it('orders qualifiers as the standard does and percent-encodes', () => {
    const elements: Gs1ElementInput[] = [gtin, { ai: '21', value: 'XYZ/1' }, { ai: '22', value: 'V1' }, { ai: '10', value: 'L(1)' }];
    expect(toDigitalLink(elements)).toBe('https://id.gs1.org/01/09520123456788/22/V1/10/L%281%29/21/XYZ%2F1');
  });

  it('uses a custom base and trims its trailing slash', () => {
    expect(toDigitalLink([gtin, { ai: '235', value: 'TPX1' }], 'https://example.com/stem/')).toBe('https://example.com/stem/01/09520123456788/235/TPX1');
  });

  it('SSCC with the content GTIN and count as attributes', () => {
    const elements: Gs1ElementInput[] = [
      { ai: '00', value: '106141411234567897' },
      { ai: '02', value: '09520123456788' },
      { ai: '37', value: '12' },
    ];
    expect(toDigitalLink(elements)).toBe('https://id.gs1.org/00/106141411234567897?02=09520123456788&37=12');
  });

  it('round-trips through parseGs1', () => {
    const elements: Gs1ElementInput[] = [gtin, { ai: '10', value: 'A-1' }, { ai: '21', value: 'S/7' }, { ai: '3103', value: '001250' }];
    const back = parseGs1(toDigitalLink(elements), { today }).elements.map(({ ai, value }) => ({ ai, value }));
    expect(back).toEqual(elements);
  });

  it('refuses what a Digital Link cannot carry', () => {
    expectGs1Error(() => toDigitalLink([{ ai: '10', value: 'ABC' }]), 'no-primary-key');
    expectGs1Error(() => toDigitalLink([gtin, { ai: '00', value: '106141411234567897' }]), 'not-dl-attribute', { ai: '00' });
    expectGs1Error(() => toDigitalLink([gtin, { ai: '10', value: 'A' }, { ai: '235', value: 'T' }]), 'not-dl-attribute', { ai: '235' });
    expectGs1Error(() => toDigitalLink([gtin, { ai: '10', value: 'A' }, { ai: '10', value: 'B' }]), 'duplicate-ai');
    expectGs1Error(() => toDigitalLink([gtin], 'ftp://example.com'), 'invalid-option');
    expectGs1Error(() => toDigitalLink([{ ai: '01', value: '9520123456788' }]), 'too-short', { ai: '01' });
  });
});
