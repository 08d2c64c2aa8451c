/**
 * A label as Zebra ZPL II: text lines and one barcode (QR, DataMatrix, Code 128, GS1-128, EAN-13).
 * Pure string building; the printer does the rendering.
 *
 * Escaping: text, QR and DataMatrix data go through ^FH with "\" as the hex indicator, so "^", "~"
 * and "\" (and control characters) are written as \5E, \7E, \5C (…). Code 128 data cannot use ^FH
 * together with its own ">" invocation codes, so there "^", ">" and "~" use the Code 128 invocation
 * codes "><", ">0" and ">=" (ZPL II Programming Guide, ^BC, table "Code 128 Invocation Characters").
 * ^CI28 selects UTF-8 so non-ASCII text prints as given.
 */
import { getAi } from './ai-table.js';
import { gs1CheckDigit } from './check-digit.js';
import { Gs1Error } from './errors.js';
import { readGs1 } from './gs1.js';
import type { Gs1ElementInput } from './types.js';

export type ZplBarcodeType = 'qr' | 'datamatrix' | 'code128' | 'gs1-128' | 'ean13';

export interface ZplTextLine {
  text: string;
  /** Field origin in dots from the label's top-left corner. */
  x: number;
  y: number;
  /** Character height (and width) in dots, scalable font 0. */
  size: number;
}

export interface ZplBarcode {
  type: ZplBarcodeType;
  /**
   * What to encode. For 'gs1-128' (and 'datamatrix' with `gs1: true`): GS1 data in any form
   * `readGs1` accepts (bracketed "(01)…(10)…", element string, Digital Link URI, plain GTIN).
   * For 'ean13': 12 digits (the printer adds the check digit) or 13 with a correct check digit.
   */
  data: string;
  x: number;
  y: number;
  /** Bar height in dots for linear codes (default half an inch). */
  height?: number;
  /** Narrow bar / module size in dots (default from the resolution). */
  module?: number;
  /** DataMatrix only: encode as GS1 DataMatrix (leading FNC1, FNC1 separators). */
  gs1?: boolean;
  /** Linear codes: print the human-readable line (for GS1-128 the bracketed HRI). Default true. */
  humanReadable?: boolean;
}

export interface ZplLabel {
  widthDots: number;
  heightDots: number;
  /** Printer resolution in dots per inch: 152, 203 (default), 300 or 600. */
  dpi?: number;
  lines: readonly ZplTextLine[];
  barcode?: ZplBarcode;
  /**
   * How many of this label the printer prints (^PQ, print quantity); default 1, where no ^PQ is
   * written and the printer prints one. At most 99,999,999 (ZPL II Programming Guide, ^PQ).
   */
  copies?: number;
}

export class ZplError extends Error {
  readonly code = 'invalid-label' as const;
  readonly field: string;

  constructor(field: string, message: string) {
    super(message);
    this.name = 'ZplError';
    this.field = field;
  }
}

const DPIS = [152, 203, 300, 600];
const FNC1 = Symbol('FNC1');
type Code128Token = string | typeof FNC1;

function positiveInteger(field: string, value: unknown, allowZero = false): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < (allowZero ? 0 : 1)) {
    throw new ZplError(field, `${field} must be a ${allowZero ? 'non-negative' : 'positive'} whole number of dots, got ${JSON.stringify(value)}`);
  }
  return value;
}

function origin(field: string, x: unknown, y: unknown, label: ZplLabel): string {
  const px = positiveInteger(`${field}.x`, x, true);
  const py = positiveInteger(`${field}.y`, y, true);
  if (px >= label.widthDots || py >= label.heightDots) {
    throw new ZplError(field, `${field} at ${px},${py} lies outside the ${label.widthDots}×${label.heightDots} dot label`);
  }
  return `^FO${px},${py}`;
}

/** Field data for ^FH\: the hex indicator itself, ZPL's command prefixes and control characters as \XX. */
function fieldHex(text: string): string {
  return Array.from(text, (c) => (c === '\\' || c === '^' || c === '~' || isControl(c) ? `\\${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}` : c)).join('');
}

function isControl(c: string): boolean {
  const code = c.charCodeAt(0);
  return code < 32 || code === 127;
}

/** Code 128 data with ZPL invocation codes: subset C for runs of digits, B otherwise, ">8" for FNC1. */
function code128FieldData(tokens: readonly Code128Token[]): string {
  const isDigit = (t: Code128Token | undefined): boolean => typeof t === 'string' && t >= '0' && t <= '9';
  const digitRun = (from: number): number => {
    let n = 0;
    while (isDigit(tokens[from + n])) n++;
    return n;
  };
  for (const t of tokens) {
    if (typeof t === 'string' && (t < ' ' || t > '~')) {
      throw new ZplError('barcode.data', `Code 128 here encodes printable ASCII only; ${JSON.stringify(t)} is not`);
    }
  }
  const firstData = tokens[0] === FNC1 ? 1 : 0;
  const startRun = digitRun(firstData);
  let subset: 'B' | 'C' = startRun >= 4 || (startRun >= 2 && startRun === tokens.length - firstData) ? 'C' : 'B';
  let out = subset === 'C' ? '>;' : '>:';
  for (let i = 0; i < tokens.length; ) {
    const t = tokens[i];
    if (t === FNC1) {
      out += '>8';
      i++;
    } else if (subset === 'C') {
      if (isDigit(t) && isDigit(tokens[i + 1])) {
        out += (t as string) + (tokens[i + 1] as string);
        i += 2;
      } else {
        out += '>6';
        subset = 'B';
      }
    } else {
      const run = digitRun(i);
      if (run >= 4) {
        if (run % 2 === 1) {
          out += t as string; // an odd digit stays in B so the rest pairs up
          i++;
        }
        out += '>5';
        subset = 'C';
        continue;
      }
      out += t === '^' ? '><' : t === '>' ? '>0' : t === '~' ? '>=' : (t as string);
      i++;
    }
  }
  return out;
}

/** The elements of GS1 data as Code 128 tokens: leading FNC1, FNC1 after non-final variable-length AIs. */
function gs1Tokens(elements: readonly Gs1ElementInput[]): Code128Token[] {
  const tokens: Code128Token[] = [FNC1];
  elements.forEach((e, i) => {
    tokens.push(...(e.ai + e.value));
    if (i < elements.length - 1 && getAi(e.ai).fnc1Required) tokens.push(FNC1);
  });
  return tokens;
}

function barcodeCommands(barcode: ZplBarcode, label: ZplLabel, dpi: number): string[] {
  const fo = origin('barcode', barcode.x, barcode.y, label);
  if (typeof barcode.data !== 'string' || barcode.data.length === 0) throw new ZplError('barcode.data', 'The barcode needs data');
  const linearModule = barcode.module === undefined ? Math.max(1, Math.round(dpi / 100)) : positiveInteger('barcode.module', barcode.module);
  const matrixModule = barcode.module === undefined ? Math.min(10, Math.max(1, Math.round(dpi / 50))) : positiveInteger('barcode.module', barcode.module);
  const height = barcode.height === undefined ? Math.round(dpi / 2) : positiveInteger('barcode.height', barcode.height);
  const interpretation = barcode.humanReadable === false ? 'N' : 'Y';

  switch (barcode.type) {
    case 'qr':
      if (barcode.gs1) throw new ZplError('barcode.gs1', 'GS1 QR Code is not generated here; encode a GS1 Digital Link URI in a plain QR Code instead');
      if (matrixModule > 10) throw new ZplError('barcode.module', 'QR Code magnification is 1 to 10');
      // ^BQ orientation N, model 2, magnification; field data "<error correction><input mode>," = M(15 %), Automatic.
      return [`${fo}^BQN,2,${matrixModule}^FH\\^FDMA,${fieldHex(barcode.data)}^FS`];
    case 'datamatrix': {
      let data: string;
      if (barcode.gs1) {
        const { elements } = readGs1(barcode.data);
        // "_1" is FNC1 for the escape character "_" chosen in ^BX: it leads (GS1 DataMatrix) and
        // separates; a "_" in the data itself is written "__".
        const escape = (s: string): string => s.replace(/_/g, '__');
        data = '_1' + elements.map((e, i) => escape(e.ai + e.value) + (i < elements.length - 1 && getAi(e.ai).fnc1Required ? '_1' : '')).join('');
      } else {
        data = barcode.data.replace(/_/g, '__');
      }
      // ^BX orientation, module size, quality 200 (ECC 200), columns/rows automatic, format 6, escape "_".
      return [`${fo}^BXN,${matrixModule},200,0,0,6,_^FH\\^FD${fieldHex(data)}^FS`];
    }
    case 'code128':
      return [`^BY${linearModule}`, `${fo}^BCN,${height},${interpretation},N,N^FD${code128FieldData([...barcode.data])}^FS`];
    case 'gs1-128': {
      const { elements } = readGs1(barcode.data);
      const tokens = gs1Tokens(elements);
      // GS1 General Specifications (GS1-128): at most 48 data characters, separator FNC1s included.
      if (tokens.length - 1 > 48) {
        throw new Gs1Error('too-long', `GS1-128 holds at most 48 data characters; these elements need ${tokens.length - 1}`);
      }
      const commands = [`^BY${linearModule}`, `${fo}^BCN,${height},N,N,N^FD${code128FieldData(tokens)}^FS`];
      if (interpretation === 'Y') {
        const size = Math.max(10, Math.round(dpi / 10));
        const hri = elements.map((e) => `(${e.ai})${e.value}`).join('');
        const y = barcode.y + height + Math.round(size / 2);
        if (y < label.heightDots) commands.push(`^FO${barcode.x},${y}^A0N,${size},${size}^FH\\^FD${fieldHex(hri)}^FS`);
      }
      return commands;
    }
    case 'ean13': {
      let digits = barcode.data;
      if (/^0\d{13}$/.test(digits)) digits = digits.slice(1); // GTIN-14 form of a GTIN-13
      if (!/^\d{12,13}$/.test(digits)) throw new ZplError('barcode.data', `EAN-13 takes 12 or 13 digits, got "${barcode.data}"`);
      if (digits.length === 13) {
        const expected = gs1CheckDigit(digits.slice(0, 12));
        if (digits[12] !== expected) {
          throw new Gs1Error('check-digit', `EAN-13 "${digits}" has a wrong check digit: expected ${expected}, found ${digits[12]}`, { ai: '01' });
        }
        digits = digits.slice(0, 12); // ^BE computes the check digit itself
      }
      return [`^BY${linearModule}`, `${fo}^BEN,${height},${interpretation},N^FD${digits}^FS`];
    }
    default:
      throw new ZplError('barcode.type', `Unknown barcode type "${(barcode as { type: unknown }).type}"`);
  }
}

/** The ZPL II program for `label`, from ^XA to ^XZ. */
export function zplLabel(label: ZplLabel): string {
  positiveInteger('widthDots', label.widthDots);
  positiveInteger('heightDots', label.heightDots);
  const dpi = label.dpi ?? 203;
  if (!DPIS.includes(dpi)) throw new ZplError('dpi', `dpi must be one of ${DPIS.join(', ')}, got ${JSON.stringify(label.dpi)}`);
  const commands = ['^XA', '^CI28', `^PW${label.widthDots}`, `^LL${label.heightDots}`, '^LH0,0'];
  (label.lines ?? []).forEach((line, i) => {
    const field = `lines[${i}]`;
    const fo = origin(field, line.x, line.y, label);
    const size = positiveInteger(`${field}.size`, line.size);
    if (typeof line.text !== 'string') throw new ZplError(`${field}.text`, `${field}.text must be a string`);
    if (Array.from(line.text).some(isControl)) throw new ZplError(`${field}.text`, `${field}.text contains a control character (one line per entry)`);
    commands.push(`${fo}^A0N,${size},${size}^FH\\^FD${fieldHex(line.text)}^FS`);
  });
  if (label.barcode) commands.push(...barcodeCommands(label.barcode, label, dpi));
  if (label.copies !== undefined) {
    const copies = label.copies;
    if (!Number.isInteger(copies) || copies < 1 || copies > 99_999_999) throw new ZplError('copies', `copies must be a whole number from 1 to 99999999 (^PQ), got ${JSON.stringify(copies)}`);
    if (copies > 1) commands.push(`^PQ${copies}`);
  }
  commands.push('^XZ');
  return commands.join('\n');
}
