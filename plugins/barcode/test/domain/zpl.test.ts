import { describe, it, expect } from 'vitest';
import { zplLabel, ZplError, Gs1Error, type ZplBarcode } from '../../src/domain/index.js';

/*
 * Source: Zebra ZPL II Programming Guide — ^XA/^XZ, ^PW, ^LL, ^FO, ^A0, ^FH (hex indicator), ^CI28
 * (UTF-8), ^BQ (QR Code: "^FD<ECC><input mode>,<data>"), ^BX (Data Matrix, quality 200, escape
 * character parameter, "_1" = FNC1), ^BC (Code 128; invocation codes ">:" start B, ">;" start C,
 * ">5" code C, ">6" code B, ">8" FNC1, "><" ^, ">0" >, ">=" ~), ^BE (EAN-13, 12 digits, printer adds
 * the check digit), ^BY (module width). GS1-128 FNC1 rules: GS1 General Specifications §5.4 / §7.8.5.
 */
const label = (barcode?: ZplBarcode, lines = [{ text: 'Pump P-101', x: 20, y: 20, size: 30 }]) =>
  zplLabel({ widthDots: 812, heightDots: 406, lines, barcode });

/** The barcode commands: everything between the text fields and ^XZ. */
const barcodePart = (zpl: string): string[] => {
  const lines = zpl.split('\n');
  return lines.slice(lines.findIndex((l) => l.startsWith('^FO20,20')) + 1, -1);
};

describe('zplLabel', () => {
  it('a complete label with text and a QR Code (203 dpi: magnification 4)', () => {
    expect(label({ type: 'qr', data: 'https://id.gs1.org/01/09520123456788', x: 20, y: 80 })).toBe(
      [
        '^XA',
        '^CI28',
        '^PW812',
        '^LL406',
        '^LH0,0',
        '^FO20,20^A0N,30,30^FH\\^FDPump P-101^FS',
        '^FO20,80^BQN,2,4^FH\\^FDMA,https://id.gs1.org/01/09520123456788^FS',
        '^XZ',
      ].join('\n'),
    );
  });

  it('escapes ^, ~ and \\ in text with ^FH hex escapes', () => {
    const zpl = label(undefined, [{ text: 'A^B~C\\D Größe', x: 10, y: 10, size: 20 }]);
    expect(zpl).toContain('^FO10,10^A0N,20,20^FH\\^FDA\\5EB\\7EC\\5CD Größe^FS');
    expect(zpl.startsWith('^XA')).toBe(true);
    expect(zpl.endsWith('^XZ')).toBe(true);
  });

  it('Code 128: subset B for letters, C for digit runs; ^BY from the resolution', () => {
    // 203 dpi → module round(2.03) = 2, default height round(101.5) = 102
    expect(barcodePart(label({ type: 'code128', data: 'ABC123456', x: 10, y: 10 }))).toEqual([
      '^BY2',
      '^FO10,10^BCN,102,Y,N,N^FD>:ABC>5123456^FS',
    ]);
  });

  it('Code 128: all digits start in C; an odd last digit goes to B', () => {
    expect(label({ type: 'code128', data: '1234', x: 10, y: 10 })).toContain('^FD>;1234^FS');
    expect(label({ type: 'code128', data: '12345', x: 10, y: 10 })).toContain('^FD>;1234>65^FS');
  });

  it('Code 128: ^, > and ~ become invocation codes', () => {
    expect(label({ type: 'code128', data: 'A>B^C~', x: 10, y: 10, humanReadable: false, height: 50, module: 3 })).toContain(
      '^BY3\n^FO10,10^BCN,50,N,N,N^FD>:A>0B><C>=^FS',
    );
  });

  it('GS1-128: start C, FNC1 (>8) first, no separator after predefined-length AIs, HRI below', () => {
    // 0109501101530003 17260331 10 → 26 digits in subset C, then code B for "AB-123"
    // HRI: size max(10, round(20.3)) = 20 at y = 10 + 102 + 10 = 122
    expect(barcodePart(label({ type: 'gs1-128', data: '(01)09501101530003(17)260331(10)AB-123', x: 10, y: 10 }))).toEqual([
      '^BY2',
      '^FO10,10^BCN,102,N,N,N^FD>;>801095011015300031726033110>6AB-123^FS',
      '^FO10,122^A0N,20,20^FH\\^FD(01)09501101530003(17)260331(10)AB-123^FS',
    ]);
  });

  it('GS1-128: FNC1 after a variable-length AI, then back to subset C', () => {
    expect(label({ type: 'gs1-128', data: '(10)ABC(17)260331', x: 10, y: 10, humanReadable: false })).toContain('^FD>:>810ABC>8>517260331^FS');
  });

  it('GS1-128 refuses more than 48 data characters and invalid GS1 data', () => {
    // 16 + (2 + 20) + 1 FNC1 + (2 + 20) = 61 > 48
    const data = `(01)09501101530003(10)${'L'.repeat(20)}(21)${'S'.repeat(20)}`;
    expect(() => label({ type: 'gs1-128', data, x: 10, y: 10 })).toThrow(/48 data characters/);
    expect(() => label({ type: 'gs1-128', data: '(01)09501101530004', x: 10, y: 10 })).toThrow(Gs1Error);
  });

  it('GS1 DataMatrix: "_1" leads and separates, "_" in data doubled', () => {
    const zpl = label({ type: 'datamatrix', gs1: true, data: '(01)09501101530003(10)AB_1(17)260331', x: 10, y: 10 });
    expect(barcodePart(zpl)).toEqual(['^FO10,10^BXN,4,200,0,0,6,_^FH\\^FD_1010950110153000310AB__1_117260331^FS']);
  });

  it('plain DataMatrix escapes "_" and ^', () => {
    expect(label({ type: 'datamatrix', data: 'a_b^c', x: 10, y: 10 })).toContain('^FDa__b\\5Ec^FS');
  });

  it('EAN-13: the printer adds the check digit; a wrong one is refused', () => {
    expect(barcodePart(label({ type: 'ean13', data: '6291041500213', x: 10, y: 10 }))).toEqual(['^BY2', '^FO10,10^BEN,102,Y,N^FD629104150021^FS']);
    expect(label({ type: 'ean13', data: '06291041500213', x: 10, y: 10 })).toContain('^FD629104150021^FS');
    expect(label({ type: 'ean13', data: '629104150021', x: 10, y: 10 })).toContain('^FD629104150021^FS');
    expect(() => label({ type: 'ean13', data: '6291041500214', x: 10, y: 10 })).toThrow(/expected 3, found 4/);
    expect(() => label({ type: 'ean13', data: '12345', x: 10, y: 10 })).toThrow(ZplError);
  });

  it('refuses bad geometry, resolution and options', () => {
    expect(() => label(undefined, [{ text: 'x', x: 812, y: 0, size: 20 }])).toThrow(/outside/);
    expect(() => label(undefined, [{ text: 'x', x: -1, y: 0, size: 20 }])).toThrow(ZplError);
    expect(() => label(undefined, [{ text: 'x', x: 0, y: 0, size: 0 }])).toThrow(ZplError);
    expect(() => label(undefined, [{ text: 'a\nb', x: 0, y: 0, size: 10 }])).toThrow(/control character/);
    expect(() => zplLabel({ widthDots: 812, heightDots: 406, dpi: 250, lines: [] })).toThrow(/dpi/);
    expect(() => zplLabel({ widthDots: 0, heightDots: 406, lines: [] })).toThrow(ZplError);
    expect(() => label({ type: 'qr', gs1: true, data: '(01)09501101530003', x: 0, y: 0 })).toThrow(/Digital Link/);
    expect(() => label({ type: 'qr', data: '', x: 0, y: 0 })).toThrow(ZplError);
    expect(() => label({ type: 'code128', data: 'é', x: 0, y: 0 })).toThrow(/printable ASCII/);
  });

  it('a 300 dpi label scales the defaults', () => {
    // QR magnification round(300/50) = 6; Code 128 module round(3) = 3, height 150
    const zpl = zplLabel({ widthDots: 1200, heightDots: 600, dpi: 300, lines: [], barcode: { type: 'qr', data: 'X', x: 0, y: 0 } });
    expect(zpl).toContain('^BQN,2,6^');
    expect(zplLabel({ widthDots: 1200, heightDots: 600, dpi: 300, lines: [], barcode: { type: 'code128', data: 'X', x: 0, y: 0 } })).toContain('^BY3\n^FO0,0^BCN,150,Y,N,N^FD>:X^FS');
  });

  it('copies: ^PQ (print quantity) just before ^XZ; one copy writes none', () => {
    const base = { widthDots: 400, heightDots: 200, lines: [{ text: 'A', x: 0, y: 0, size: 20 }] };
    expect(zplLabel({ ...base, copies: 3 }).split('\n').slice(-2)).toEqual(['^PQ3', '^XZ']);
    expect(zplLabel({ ...base, copies: 1 })).toBe(zplLabel(base));
    expect(zplLabel(base)).not.toContain('^PQ');
    for (const copies of [0, 1.5, 100_000_000]) expect(() => zplLabel({ ...base, copies })).toThrow(ZplError);
  });
});
