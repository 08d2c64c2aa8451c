/**
 * RFC 4180 comma-separated values, read and written without I/O.
 *
 * Reading is strict where the RFC is clear and forgiving where real files differ from it:
 * - fields are separated by commas; records end with CRLF, LF or a lone CR (all three occur);
 * - a field in double quotes may hold commas, line breaks and quotes written twice (`""`);
 * - a byte-order mark at the start is dropped; a final line break does not make an empty record;
 * - blank lines are skipped but still counted, so `row` matches the row number a spreadsheet shows;
 * - a quote inside an unquoted field, or text after a closing quote, is an error of that record
 *   (the record is still returned, so the caller can report it with the others);
 * - a quote that is never closed swallows the rest of the file: that is an error of the whole file.
 *
 * Writing quotes a field only when it must (comma, quote, CR/LF, leading or trailing space) and
 * ends every record with CRLF.
 *
 * In the SDK so every plugin's imports and exports read and write files the same way.
 */

export interface CsvRecord {
  /** 1-based record number, the header being row 1; blank lines count. */
  row: number;
  /** 1-based physical line the record starts on (differs from `row` after quoted line breaks). */
  line: number;
  cells: string[];
  /** Set when the record is malformed (stray quote, text after a closing quote). */
  error?: string;
}

export interface CsvParseResult {
  records: CsvRecord[];
  /** A problem of the whole file (an unclosed quote); the records before it are still returned. */
  fatal?: { line: number; message: string };
}

const BOM = '\uFEFF';

/** Parse CSV text into records. Never throws on bad input; see {@link CsvParseResult}. */
export function parseCsv(input: string, delimiter = ','): CsvParseResult {
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\r' || delimiter === '\n') throw new RangeError(`unusable delimiter ${JSON.stringify(delimiter)}`);
  const text = input.startsWith(BOM) ? input.slice(1) : input;
  const records: CsvRecord[] = [];
  const n = text.length;
  let i = 0;
  let line = 1;
  let row = 0;

  while (i < n) {
    row++;
    const startLine = line;
    const cells: string[] = [];
    let error: string | undefined;
    let blank = true;
    // One record: fields until a line break outside quotes, or the end.
    for (;;) {
      let field = '';
      if (text[i] === '"') {
        blank = false;
        const openLine = line;
        i++;
        let closed = false;
        while (i < n) {
          const ch = text[i];
          if (ch === '"') {
            if (text[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            closed = true;
            break;
          }
          if (ch === '\r' || ch === '\n') {
            // A line break inside quotes is part of the field, kept as written.
            if (ch === '\r' && text[i + 1] === '\n') {
              field += '\r\n';
              i += 2;
            } else {
              field += ch;
              i++;
            }
            line++;
            continue;
          }
          field += ch;
          i++;
        }
        if (!closed) {
          return { records, fatal: { line: openLine, message: `a quoted field opened on line ${openLine} is never closed` } };
        }
        // After the closing quote only a delimiter or the end of the record may follow.
        if (i < n && text[i] !== delimiter && text[i] !== '\r' && text[i] !== '\n') {
          error ??= `unexpected text after a closing quote on line ${line}`;
          while (i < n && text[i] !== delimiter && text[i] !== '\r' && text[i] !== '\n') field += text[i++];
        }
      } else {
        const start = i;
        while (i < n && text[i] !== delimiter && text[i] !== '\r' && text[i] !== '\n') {
          if (text[i] === '"') error ??= `a quote inside an unquoted field on line ${line} (quote the whole field and write quotes twice)`;
          i++;
        }
        field = text.slice(start, i);
        if (field.length) blank = false;
      }
      cells.push(field);
      if (i < n && text[i] === delimiter) {
        blank = false;
        i++;
        continue;
      }
      break;
    }
    // End of record: consume the line break.
    if (i < n) {
      if (text[i] === '\r' && text[i + 1] === '\n') i += 2;
      else i++;
      line++;
    }
    if (blank) continue;
    records.push(error ? { row, line: startLine, cells, error } : { row, line: startLine, cells });
  }
  return { records };
}

export type CsvValue = string | number | boolean | null | undefined;

const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;
const DECIMAL_TEXT = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Text a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR at the start) gets a
 * leading apostrophe, unless it is a plain number like `-3`. Use it on free text in exports.
 */
export function neutraliseFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) && !DECIMAL_TEXT.test(value) ? `'${value}` : value;
}

/** One field as RFC 4180 text. null and undefined are empty fields. */
export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  const s = String(value);
  return NEEDS_QUOTES.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One record, CRLF-terminated. */
export const csvRow = (values: readonly CsvValue[]): string => values.map(csvField).join(',') + '\r\n';

/** A whole document: header and rows. */
export const toCsv = (header: readonly string[], rows: readonly (readonly CsvValue[])[]): string => csvRow(header) + rows.map(csvRow).join('');

/**
 * True when the text is not plausibly a text file: NUL characters, Unicode replacement characters
 * (bytes that were not UTF-8), or many control characters in the first 64 kB.
 */
export function looksBinary(text: string): boolean {
  const sample = text.slice(0, 65_536);
  if (!sample.length) return false;
  let control = 0;
  for (let k = 0; k < sample.length; k++) {
    const c = sample.charCodeAt(k);
    if (c === 0 || c === 0xfffd) return true;
    if (c < 32 && c !== 9 && c !== 10 && c !== 13) control++;
  }
  return control / sample.length > 0.01;
}

/** Header names compared loosely: `Unit of Measure`, `unit-of-measure` and `unit_of_measure` are the same. */
export const normaliseHeader = (name: string): string =>
  name
    .trim()
    .toLowerCase()
    .replace(/[\s\-.]+/g, '_')
    .replace(/[^a-z0-9_]/g, '')
    .replace(/_+/g, '_')
    .replace(/^_|_$/g, '');
