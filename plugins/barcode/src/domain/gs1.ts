/**
 * Reading GS1 data as a scanner or a person hands it over, and writing it back.
 *
 * Accepted input (detected from the data itself):
 * - element strings as transmitted by a scanner (GS1 General Specifications §7.8), optionally
 *   preceded by a GS1 symbology identifier (`]C1` GS1-128, `]e0` GS1 DataBar, `]d2` GS1 DataMatrix,
 *   `]Q3` GS1 QR Code, `]J1` GS1 DotCode) and by a leading FNC1; FNC1 separators arrive as GS (29);
 * - the bracketed human-readable form `(01)09501101530003(17)260331(10)AB-123` (a literal "(" in a
 *   value is written "\(");
 * - GS1 Digital Link URIs (see digital-link.ts);
 * - a plain GTIN-8/12/13/14 from an EAN/UPC/ITF-14 barcode, read as AI (01) padded to 14 digits
 *   (option `plainGtin`, default on; also `parsePlainGtin`).
 */
import { getAi, readAi } from './ai-table.js';
import { checkAiValue, interpretAiValue } from './ai-value.js';
import { hasValidGs1CheckDigit, gs1CheckDigit } from './check-digit.js';
import { parseToday } from './dates.js';
import { readDigitalLink } from './digital-link.js';
import { Gs1Error, at } from './errors.js';
import {
  GS,
  type Gs1Element,
  type Gs1ElementInput,
  type Gs1ParseOptions,
  type Gs1ParseResult,
  type Gs1ReadOptions,
  type RawElement,
  type RawRead,
} from './types.js';

/** Symbology identifiers (ISO/IEC 15424) that announce GS1 AI element strings. */
export const GS1_SYMBOLOGY_IDENTIFIERS: Readonly<Record<string, string>> = {
  ']C1': 'GS1-128',
  ']e0': 'GS1 DataBar',
  ']d2': 'GS1 DataMatrix',
  ']Q3': 'GS1 QR Code',
  ']J1': 'GS1 DotCode',
};

/** Symbology identifiers of the barcodes that carry a bare GTIN. */
const GTIN_SYMBOLOGY_IDENTIFIERS: Readonly<Record<string, string>> = {
  ']E0': 'EAN-13 / UPC-A / UPC-E',
  ']E4': 'EAN-8',
  ']I0': 'ITF',
  ']I1': 'ITF',
};

const PLAIN_GTIN_LENGTHS = [8, 12, 13, 14];

/**
 * Reads GS1 element strings as transmitted: AI, data, and an FNC1 (GS) after every variable-length
 * element that is followed by another. `offset` is added to reported positions.
 */
export function readElementString(data: string, offset = 0): RawElement[] {
  const elements: RawElement[] = [];
  let i = data.startsWith(GS) ? 1 : 0; // leading FNC1 (the GS1 flag) as some scanners send it
  if (i >= data.length) throw new Gs1Error('empty-input', 'No GS1 data after the symbology identifier / leading FNC1');
  while (i < data.length) {
    if (data[i] === GS) {
      throw new Gs1Error('unexpected-separator', `Unexpected FNC1 separator${at(offset + i)}: an Application Identifier was expected`, { position: offset + i });
    }
    const definition = readAi(data, i, offset);
    const { ai } = definition;
    const start = i + ai.length;
    if (definition.fixedLength) {
      const end = start + definition.maxLength;
      const value = data.slice(start, end);
      const separator = value.indexOf(GS);
      if (value.length < definition.maxLength || separator >= 0) {
        const got = separator >= 0 ? separator : value.length;
        throw new Gs1Error(
          'too-short',
          `AI (${ai}) ${definition.title} is truncated${at(offset + start)}: it takes exactly ${definition.maxLength} characters (format ${definition.format}), only ${got} before ${separator >= 0 ? 'a separator' : 'the end of the data'}`,
          { ai, position: offset + start },
        );
      }
      checkAiValue(definition, value, offset + start);
      elements.push({ ai, value, position: offset + start });
      i = end;
      if (i < data.length) {
        if (data[i] === GS) i++; // superfluous after a predefined-length AI, but harmless
        else if (definition.fnc1Required) {
          throw new Gs1Error(
            'missing-separator',
            `AI (${ai}) ${definition.title} must be followed by an FNC1 separator${at(offset + i)} before the next element; found "${data.slice(i, i + 4)}"`,
            { ai, position: offset + i },
          );
        }
      }
    } else {
      const separator = data.indexOf(GS, start);
      const end = separator < 0 ? data.length : separator;
      const value = data.slice(start, end);
      if (value.length === 0) {
        throw new Gs1Error('empty-value', `AI (${ai}) ${definition.title} has no data${at(offset + start)}`, { ai, position: offset + start });
      }
      if (value.length > definition.maxLength) {
        throw new Gs1Error(
          'too-long',
          `AI (${ai}) ${definition.title} runs on for ${value.length} characters${at(offset + start)}, more than its maximum of ${definition.maxLength}: an FNC1 separator is probably missing${at(offset + start + definition.maxLength)}`,
          { ai, position: offset + start + definition.maxLength },
        );
      }
      checkAiValue(definition, value, offset + start);
      elements.push({ ai, value, position: offset + start });
      i = separator < 0 ? data.length : separator + 1; // a trailing FNC1 is tolerated
    }
  }
  return elements;
}

/** Reads the bracketed human-readable form "(01)…(10)…". `offset` is added to reported positions. */
export function readBracketed(data: string, offset = 0): RawElement[] {
  const elements: RawElement[] = [];
  let i = 0;
  const skipSpaces = (): void => {
    while (i < data.length && (data[i] === ' ' || data[i] === '\t')) i++;
  };
  skipSpaces();
  if (data[i] !== '(') {
    throw new Gs1Error('malformed-brackets', `Bracketed GS1 data must start with "(AI)"${at(offset + i)}`, { position: offset + i });
  }
  while (i < data.length) {
    const open = i;
    const close = data.indexOf(')', open);
    if (close < 0) {
      throw new Gs1Error('malformed-brackets', `Unclosed "(" of an Application Identifier${at(offset + open)}`, { position: offset + open });
    }
    const ai = data.slice(open + 1, close);
    if (!/^\d{2,4}$/.test(ai)) {
      throw new Gs1Error('malformed-brackets', `"(${ai})"${at(offset + open)} is not an Application Identifier in brackets (2 to 4 digits)`, { position: offset + open });
    }
    const definition = getAi(ai, offset + open);
    i = close + 1;
    skipSpaces();
    const valueStart = i;
    let value = '';
    while (i < data.length && data[i] !== '(') {
      if (data[i] === '\\' && data[i + 1] === '(') {
        value += '(';
        i += 2;
      } else value += data[i++];
    }
    value = value.replace(/[ \t]+$/, '');
    if (value.length === 0) {
      throw new Gs1Error('empty-value', `AI (${ai}) ${definition.title} has no data${at(offset + valueStart)}`, { ai, position: offset + valueStart });
    }
    checkAiValue(definition, value, offset + valueStart);
    elements.push({ ai, value, position: offset + valueStart });
  }
  return elements;
}

/**
 * Reads a plain GTIN as scanned from an EAN-8, UPC-A, EAN-13 or ITF-14 barcode (optionally behind
 * its symbology identifier) as AI (01), padded with leading zeros to 14 digits.
 */
export function parsePlainGtin(data: string): Gs1ParseResult {
  const raw = readPlainGtin(data.trim(), 0);
  return finish(raw, undefined);
}

function readPlainGtin(data: string, offset: number, symbology?: string): RawRead {
  let digits = data;
  let sym = symbology;
  if (!sym && /^\][EI]\d/.test(data)) {
    sym = data.slice(0, 3);
    digits = data.slice(3);
    offset += 3;
  }
  if (!/^\d+$/.test(digits) || !PLAIN_GTIN_LENGTHS.includes(digits.length)) {
    throw new Gs1Error('invalid-key', `"${digits}" is not a GTIN: it needs 8, 12, 13 or 14 digits`, { ai: '01', position: offset });
  }
  if (!hasValidGs1CheckDigit(digits)) {
    throw new Gs1Error(
      'check-digit',
      `GTIN-${digits.length} "${digits}" has a wrong check digit: expected ${gs1CheckDigit(digits.slice(0, -1))}, found ${digits.slice(-1)}`,
      { ai: '01', position: offset + digits.length - 1 },
    );
  }
  const read: RawRead = { elements: [{ ai: '01', value: digits.padStart(14, '0'), position: offset }], source: 'plain-gtin' };
  if (sym) read.symbology = sym;
  return read;
}

/** Whether `data` is a GS1 Digital Link candidate (an http or https URI). */
function looksLikeUri(data: string): boolean {
  return /^https?:\/\//i.test(data);
}

/**
 * Reads GS1 data of any supported form into AIs and values, checking the structure, lengths,
 * character sets, check digits and (century-independent) date validity, but not yet working out
 * dates and decimals. Most callers want `parseGs1`.
 */
export function readGs1(data: string, options: Gs1ReadOptions = {}): RawRead {
  if (typeof data !== 'string') throw new Gs1Error('empty-input', 'No GS1 data given');
  const leading = data.length - data.trimStart().length;
  const text = data.trim();
  if (!text) throw new Gs1Error('empty-input', 'No GS1 data given');
  const plainGtin = options.plainGtin !== false;

  let symbology: string | undefined;
  let body = text;
  let offset = leading;
  if (/^\][A-Za-z][0-9A-Za-z]/.test(text)) {
    symbology = text.slice(0, 3);
    body = text.slice(3);
    offset += 3;
    if (symbology in GS1_SYMBOLOGY_IDENTIFIERS) {
      return { elements: dedupe(readElementString(body, offset)), symbology, source: 'element-string' };
    }
    if (symbology in GTIN_SYMBOLOGY_IDENTIFIERS && plainGtin) return readPlainGtin(body, offset, symbology);
    if (!body) throw new Gs1Error('empty-input', `No data after the symbology identifier "${symbology}"`);
  }
  const withSymbology = (read: RawRead): RawRead => (symbology ? { ...read, symbology } : read);

  if (looksLikeUri(body)) return withSymbology(readDigitalLink(body, offset, options));
  if (body.startsWith('(')) return withSymbology({ elements: dedupe(readBracketed(body, offset)), source: 'bracketed' });
  if (plainGtin && /^\d+$/.test(body) && PLAIN_GTIN_LENGTHS.includes(body.length)) {
    if (hasValidGs1CheckDigit(body)) return withSymbology(readPlainGtin(body, offset, symbology));
    // Not a valid GTIN; it may still be an element string (e.g. "17260331"). If it is neither,
    // the GTIN's check digit is the likelier complaint.
    try {
      return withSymbology({ elements: dedupe(readElementString(body, offset)), source: 'element-string' });
    } catch {
      return readPlainGtin(body, offset, symbology);
    }
  }
  return withSymbology({ elements: dedupe(readElementString(body, offset)), source: 'element-string' });
}

/**
 * An AI may occur twice only with the same data (GS1 General Specifications, rules for combining
 * element strings: a repeated AI must carry identical data); exact repeats are dropped.
 */
function dedupe(elements: RawElement[]): RawElement[] {
  const seen = new Map<string, RawElement>();
  const out: RawElement[] = [];
  for (const element of elements) {
    const earlier = seen.get(element.ai);
    if (earlier) {
      if (earlier.value !== element.value) {
        throw new Gs1Error(
          'conflicting-ai',
          `AI (${element.ai}) occurs twice with different data ("${earlier.value}" and "${element.value}")${at(element.position)}`,
          { ai: element.ai, position: element.position },
        );
      }
      continue;
    }
    seen.set(element.ai, element);
    out.push(element);
  }
  return out;
}

function finish(read: RawRead, currentYear: number | undefined): Gs1ParseResult {
  const elements: Gs1Element[] = read.elements.map(({ ai, value, position }) => {
    const definition = getAi(ai, position);
    const element: Gs1Element = { ai, title: definition.title, value };
    if (currentYear !== undefined) Object.assign(element, interpretAiValue(definition, value, currentYear, position));
    return element;
  });
  const result: Gs1ParseResult = { elements, hri: hriOf(elements), source: read.source };
  if (read.symbology) result.symbology = read.symbology;
  return result;
}

/**
 * Parses scanned or typed GS1 data: element string, bracketed form, Digital Link URI or plain GTIN.
 * `today` ("YYYY-MM-DD") places two-digit years in their century. Throws `Gs1Error` with a reason
 * naming the AI and position.
 */
export function parseGs1(data: string, options: Gs1ParseOptions): Gs1ParseResult {
  const today = parseToday(options?.today);
  return finish(readGs1(data, options), today.year);
}

function hriOf(elements: readonly Gs1ElementInput[]): string {
  return elements.map((e) => `(${e.ai})${e.value}`).join('');
}

function checkAll(elements: readonly Gs1ElementInput[]): void {
  if (elements.length === 0) throw new Gs1Error('empty-input', 'No elements given');
  for (const e of elements) checkAiValue(e.ai, e.value);
}

/** The human-readable interpretation "(01)…(17)…" of `elements`, in their order. */
export function toHri(elements: readonly Gs1ElementInput[]): string {
  checkAll(elements);
  return hriOf(elements);
}

/**
 * The element string to encode (or as a scanner transmits it, without symbology identifier):
 * AIs and data concatenated, an FNC1 (`separator`, default GS) after every element whose AI is not
 * of predefined length unless it is the last one (General Specifications §7.8.5).
 */
export function toElementString(elements: readonly Gs1ElementInput[], separator: string = GS): string {
  checkAll(elements);
  return elements
    .map((e, i) => {
      const last = i === elements.length - 1;
      return e.ai + e.value + (!last && getAi(e.ai).fnc1Required ? separator : '');
    })
    .join('');
}
