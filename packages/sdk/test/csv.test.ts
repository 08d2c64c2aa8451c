import { describe, expect, it } from 'vitest';
import { csvField, csvRow, looksBinary, neutraliseFormula, normaliseHeader, parseCsv, toCsv } from '../src/csv.js';

const cells = (text: string) => parseCsv(text).records.map((r) => r.cells);

describe('parseCsv (RFC 4180)', () => {
  it('reads plain records separated by CRLF (the RFC), LF or a lone CR', () => {
    const expected = [
      ['sku', 'name'],
      ['A-1', 'Bolt'],
      ['A-2', 'Nut'],
    ];
    expect(cells('sku,name\r\nA-1,Bolt\r\nA-2,Nut\r\n')).toEqual(expected);
    expect(cells('sku,name\nA-1,Bolt\nA-2,Nut\n')).toEqual(expected);
    expect(cells('sku,name\rA-1,Bolt\rA-2,Nut')).toEqual(expected);
    // Mixed endings in one file, and no line break after the last record.
    expect(cells('sku,name\r\nA-1,Bolt\nA-2,Nut')).toEqual(expected);
  });

  it('keeps commas, doubled quotes and line breaks inside quoted fields (RFC 4180 §2.5–2.7)', () => {
    const text = 'sku,name,note\r\n"A,1","Bolt ""M8""","first line\r\nsecond line"\r\nA-2,Nut,"x\ny"\r\n';
    const { records, fatal } = parseCsv(text);
    expect(fatal).toBeUndefined();
    expect(records.map((r) => r.cells)).toEqual([
      ['sku', 'name', 'note'],
      ['A,1', 'Bolt "M8"', 'first line\r\nsecond line'],
      ['A-2', 'Nut', 'x\ny'],
    ]);
    // Rows count records; lines count physical lines (the quoted break shifts them).
    expect(records.map((r) => [r.row, r.line])).toEqual([
      [1, 1],
      [2, 2],
      [3, 4],
    ]);
  });

  it('reads empty fields, quoted empty fields and a trailing delimiter', () => {
    expect(cells('a,b,c\n,,\n"",x,\n1,"",""\n')).toEqual([
      ['a', 'b', 'c'],
      ['', '', ''],
      ['', 'x', ''],
      ['1', '', ''],
    ]);
  });

  it('keeps spaces around unquoted fields as written (RFC 4180 §2.4: spaces are part of a field)', () => {
    expect(cells(' a , b \n')).toEqual([[' a ', ' b ']]);
  });

  it('drops a byte-order mark at the start only', () => {
    expect(cells('\uFEFFsku,name\nA,\uFEFFB\n')).toEqual([
      ['sku', 'name'],
      ['A', '\uFEFFB'],
    ]);
  });

  it('skips blank lines but counts them, so rows match what a spreadsheet shows', () => {
    const { records } = parseCsv('h1,h2\n\nA,1\r\n\r\n\nB,2\n\n');
    expect(records.map((r) => [r.row, r.cells])).toEqual([
      [1, ['h1', 'h2']],
      [3, ['A', '1']],
      [6, ['B', '2']],
    ]);
  });

  it('a quoted field holding only a line break is not a blank line', () => {
    expect(cells('a\n"\n"\n')).toEqual([['a'], ['\n']]);
  });

  it('marks a record with a quote inside an unquoted field, and goes on with the next one', () => {
    const { records, fatal } = parseCsv('a,b\nfoo"bar,1\nok,2\n');
    expect(fatal).toBeUndefined();
    expect(records[1]).toMatchObject({ row: 2, cells: ['foo"bar', '1'], error: expect.stringContaining('quote inside an unquoted field on line 2') });
    expect(records[2]).toEqual({ row: 3, line: 3, cells: ['ok', '2'] });
  });

  it('marks a record with text after a closing quote', () => {
    const { records } = parseCsv('a,b\n"foo"bar,1\n');
    expect(records[1]).toMatchObject({ cells: ['foobar', '1'], error: expect.stringContaining('after a closing quote') });
  });

  it('an unclosed quote is an error of the whole file, naming the line it opened on', () => {
    const { records, fatal } = parseCsv('a,b\nx,1\ny,"never\nclosed,2\nz,3\n');
    expect(fatal).toEqual({ line: 3, message: 'a quoted field opened on line 3 is never closed' });
    expect(records.map((r) => r.cells)).toEqual([
      ['a', 'b'],
      ['x', '1'],
    ]);
  });

  it('reads another delimiter when asked, and refuses an unusable one', () => {
    expect(cells('a;b\n1;2\n')).toEqual([['a;b'], ['1;2']]);
    expect(parseCsv('a;b\n"1;x";2\n', ';').records.map((r) => r.cells)).toEqual([
      ['a', 'b'],
      ['1;x', '2'],
    ]);
    expect(() => parseCsv('a', '"')).toThrow(RangeError);
  });

  it('an empty text has no records', () => {
    expect(parseCsv('')).toEqual({ records: [] });
    expect(parseCsv('\uFEFF\r\n\n')).toEqual({ records: [] });
  });
});

describe('writing CSV', () => {
  it('quotes only what must be quoted, doubles quotes, and ends records with CRLF', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(' padded')).toBe('" padded"');
    expect(csvField(null)).toBe('');
    expect(csvField(undefined)).toBe('');
    expect(csvField(12.5)).toBe('12.5');
    expect(csvField(false)).toBe('false');
    expect(csvRow(['a', 'b,c', null])).toBe('a,"b,c",\r\n');
  });

  it('round-trips awkward values through the parser', () => {
    const rows = [
      ['Bolt "M8", zinc', 'line 1\r\nline 2', '', ' lead', 'trail ', '\uFEFFnot a BOM here', 'ünïcødé €'],
      ['=1+1', '-3', 'a\rb', '"', ',', '""', 'x'],
    ];
    const text = toCsv(['c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7'], rows);
    expect(text.endsWith('\r\n')).toBe(true);
    const { records, fatal } = parseCsv(text);
    expect(fatal).toBeUndefined();
    expect(records.slice(1).map((r) => r.cells)).toEqual(rows);
  });

  it('neutralises text a spreadsheet would run as a formula, but not numbers', () => {
    expect(neutraliseFormula('=HYPERLINK("x")')).toBe(`'=HYPERLINK("x")`);
    expect(neutraliseFormula('+1 555')).toBe(`'+1 555`);
    expect(neutraliseFormula('@SUM(A1)')).toBe(`'@SUM(A1)`);
    expect(neutraliseFormula('-3')).toBe('-3');
    expect(neutraliseFormula('-0.25')).toBe('-0.25');
    expect(neutraliseFormula('Bolt')).toBe('Bolt');
  });
});

describe('recognising input', () => {
  it('tells binary content from text', () => {
    expect(looksBinary('sku,name\nA,B\n')).toBe(false);
    expect(looksBinary('ünïcødé,€\n')).toBe(false);
    expect(looksBinary('PK\u0003\u0004\u0000\u0000')).toBe(true);
    expect(looksBinary('%PDF-1.7 \uFFFD\uFFFD')).toBe(true);
    expect(looksBinary('\u0001\u0002\u0003abc')).toBe(true);
    expect(looksBinary('')).toBe(false);
  });

  it('compares header names loosely', () => {
    expect(normaliseHeader(' Unit of Measure ')).toBe('unit_of_measure');
    expect(normaliseHeader('unit-of-measure')).toBe('unit_of_measure');
    expect(normaliseHeader('Reorder point')).toBe('reorder_point');
    expect(normaliseHeader('MOQ')).toBe('moq');
    expect(normaliseHeader('Standard cost (€)')).toBe('standard_cost');
  });
});
