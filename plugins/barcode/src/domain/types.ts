/** Shapes shared by the GS1 readers and writers. */

/** FNC1 as transmitted by a scanner: the ASCII group separator (GS, 29). */
export const GS = '\u001d';

export type Gs1Source = 'element-string' | 'bracketed' | 'digital-link' | 'plain-gtin';

/** An element to write: an AI and its data, exactly as encoded. */
export interface Gs1ElementInput {
  ai: string;
  value: string;
}

/** One parsed element. */
export interface Gs1Element extends Gs1ElementInput {
  /** GS1 data title, e.g. "USE BY or EXPIRY". */
  title: string;
  /** ISO 8601 date (or date-time, or "a/b" range) for date AIs. */
  date?: string;
  /** Decimal value for measure and amount AIs, implied decimal point placed, e.g. "1.250". */
  decimal?: string;
  /** ISO 4217 numeric currency code (AIs 391n, 393n). */
  currency?: string;
}

export interface Gs1ParseResult {
  elements: Gs1Element[];
  /** Human-readable interpretation, "(01)…(17)…", in the order the elements were read. */
  hri: string;
  /** The symbology identifier that preceded the data, e.g. "]C1", when there was one. */
  symbology?: string;
  source: Gs1Source;
}

/** An element as read, before its meaning is worked out; `position` is its value's offset in the input. */
export interface RawElement extends Gs1ElementInput {
  position: number;
}

export interface RawRead {
  elements: RawElement[];
  symbology?: string;
  source: Gs1Source;
}

export interface Gs1ReadOptions {
  /**
   * Whether a bare 8, 12, 13 or 14-digit string with a valid check digit (or any data behind an
   * EAN/UPC/ITF symbology identifier `]E0`, `]E4`, `]I0`, `]I1`) is read as a GTIN, i.e. AI (01)
   * padded to 14 digits. Default true. The same is available on its own as `parsePlainGtin`.
   */
  plainGtin?: boolean;
  /**
   * Whether a GTIN-8/12/13 in the path of a Digital Link URI is padded to 14 digits. Default false:
   * the GS1 Digital Link URI syntax wants the 14-digit form, and the GS1 reference implementation
   * (GS1 Barcode Syntax Engine) rejects shorter ones unless its legacy option is set.
   */
  padShortGtinInDigitalLink?: boolean;
}

export interface Gs1ParseOptions extends Gs1ReadOptions {
  /** The current date, "YYYY-MM-DD", which places two-digit years in their century (§7.12). */
  today: string;
}
