/**
 * EPC Tag Data Standard (GS1 EPC TDS 1.13, same rules in 2.x) for the GS1 keys Quartermaster
 * tags with: SGTIN-96/198, SSCC-96, GRAI-96, GIAI-96/202.
 *
 * Three spellings of one EPC:
 * - the EPC bank as uppercase hex (`3074257BF7194E4000001A85`), what a reader reports;
 * - the tag URI (`urn:epc:tag:sgtin-96:3.0614141.812345.6789`), which adds the filter and the
 *   binary scheme (§12);
 * - the pure-identity URI (`urn:epc:id:sgtin:0614141.812345.6789`), the EPC alone (§6).
 * Each also maps to a GS1 key and element string (§7), e.g. `(01)80614141123458(21)6789`.
 *
 * Bit arithmetic uses BigInt: 38-bit serials and 62-bit asset references exceed 2^53.
 */
import {
  EPC_HEADERS,
  SCHEME_BITS,
  SCHEME_KIND,
  EPC_SCHEMES,
  filterMeaning,
  partitionForCompanyPrefix,
  partitionRow,
  schemeOfHeader,
  type EpcKind,
  type EpcScheme,
  type PartitionRow,
} from './partition-tables.js';

export type EpcErrorCode =
  | 'invalid-hex'
  | 'unknown-header'
  | 'wrong-length'
  | 'reserved-partition'
  | 'reserved-bits'
  | 'invalid-uri'
  | 'scheme-mismatch'
  | 'invalid-filter'
  | 'invalid-company-prefix'
  | 'invalid-reference'
  | 'invalid-serial'
  | 'invalid-character'
  | 'value-too-large'
  | 'invalid-gs1-key'
  | 'check-digit';

/** A value that is not a valid EPC in the scheme at hand. `reason` is the human message. */
export class EpcError extends Error {
  override readonly name = 'EpcError';
  constructor(
    readonly code: EpcErrorCode,
    readonly reason: string,
    /** The input part at fault: `hex`, `filter`, `companyPrefix`, `serial`, `tagUri`, … */
    readonly field?: string,
    /** Character or bit offset of the fault, where one exists. */
    readonly position?: number,
  ) {
    super(reason);
  }
}

interface DecodedEpcCommon {
  scheme: EpcScheme;
  /** The EPC bank, uppercase hex, padded to whole 16-bit words as a tag stores it. */
  hex: string;
  filter: number;
  filterMeaning: string;
  partition: number;
  companyPrefix: string;
  pureIdentityUri: string;
  tagUri: string;
  /** GS1 element string without parentheses (`0180614141123458216789`); the variable-length AI is always last, so no FNC1 is needed. */
  elementString: string;
  /** Human readable interpretation: `(01)80614141123458(21)6789`. */
  hri: string;
}

export interface DecodedSgtin extends DecodedEpcCommon {
  scheme: 'sgtin-96' | 'sgtin-198';
  /** GTIN-14 with check digit. */
  gtin: string;
  /** Indicator digit followed by the item reference, as in the URI. */
  itemReference: string;
  /** The serial as in AI (21): plain characters, no %-escapes. */
  serial: string;
}

export interface DecodedSscc extends DecodedEpcCommon {
  scheme: 'sscc-96';
  /** SSCC-18 with check digit. */
  sscc: string;
  /** Extension digit followed by the serial reference, as in the URI. */
  serialReference: string;
}

export interface DecodedGrai extends DecodedEpcCommon {
  scheme: 'grai-96';
  /** AI (8003) value: a 0, the 12 digits, the check digit, then the serial. */
  grai: string;
  assetType: string;
  serial: string;
}

export interface DecodedGiai extends DecodedEpcCommon {
  scheme: 'giai-96' | 'giai-202';
  /** AI (8004) value: company prefix then individual asset reference, plain characters. */
  giai: string;
  individualAssetReference: string;
}

export type DecodedEpc = DecodedSgtin | DecodedSscc | DecodedGrai | DecodedGiai;

export interface EncodedEpc {
  hex: string;
  tagUri: string;
  pureIdentityUri: string;
  partition: number;
  filter: number;
  scheme: EpcScheme;
}

export type EncodeEpcInput = { tagUri: string } | { pureIdentityUri: string; scheme: EpcScheme; filter: number };

export type Gs1KeyInput = { gtin: string; serial: string } | { sscc: string } | { grai: string } | { giai: string };

export interface EpcFromGs1Options {
  /** Digits of the GS1 Company Prefix (6–12): a GS1 key does not say where its prefix ends. */
  companyPrefixLength: number;
  filter: number;
  /** Defaults to the 96-bit scheme when the serial/reference fits it, else SGTIN-198 / GIAI-202. */
  scheme?: EpcScheme;
}

/** The fields of an EPC before spelling. Serials and references are plain characters (not %-escaped). */
interface EpcFields {
  scheme: EpcScheme;
  filter: number;
  row: PartitionRow;
  companyPrefix: string;
  /** Item reference (with indicator), serial reference (with extension digit), asset type or asset reference. */
  reference: string;
  /** SGTIN and GRAI serial. */
  serial: string;
}

// ---------------------------------------------------------------------------------------------
// Character set and URI escaping

/**
 * TDS Appendix A, Table A-1: the 82 characters of GS1 AI encodable character set 82, the only
 * ones allowed in alphanumeric serials and asset references.
 */
const CSET_82 = /^[!"%&'()*+,\-./0-9:;<=>?A-Z_a-z]$/;
/** Of those, the ones a URI must carry as %-escapes (TDS §5 and Table A-1). */
const MUST_ESCAPE = new Set(['"', '%', '&', '/', '<', '>', '?']);
/** Characters that may stand for themselves in a URI component (TDS §5, GS3A3Char). */
const URI_PLAIN = /^[A-Za-z0-9!'()*+,\-.:;=_]$/;

function escapeComponent(raw: string): string {
  let out = '';
  for (const ch of raw) out += MUST_ESCAPE.has(ch) ? '%' + ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0') : ch;
  return out;
}

/** URI component → plain characters, rejecting anything outside the TDS grammar. */
function unescapeComponent(component: string, field: string): string {
  let out = '';
  for (let i = 0; i < component.length; i++) {
    const ch = component[i];
    if (ch === '%') {
      const hex = component.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) throw new EpcError('invalid-character', `${field}: '%' must start an escape of two hex digits (e.g. %2F)`, field, i);
      const decoded = String.fromCharCode(parseInt(hex, 16));
      if (!CSET_82.test(decoded)) throw new EpcError('invalid-character', `${field}: %${hex} is not a character allowed in GS1 serials (Table A-1)`, field, i);
      out += decoded;
      i += 2;
    } else if (URI_PLAIN.test(ch)) {
      out += ch;
    } else if (CSET_82.test(ch)) {
      throw new EpcError('invalid-character', `${field}: '${ch}' must be written %${ch.charCodeAt(0).toString(16).toUpperCase()} in an EPC URI`, field, i);
    } else {
      throw new EpcError('invalid-character', `${field}: '${ch}' is not a character allowed in GS1 serials (Table A-1)`, field, i);
    }
  }
  return out;
}

function checkPlainCharacters(raw: string, field: string): void {
  let i = 0;
  for (const ch of raw) {
    if (!CSET_82.test(ch)) throw new EpcError('invalid-character', `${field}: '${ch}' is not a character allowed in GS1 serials (Table A-1)`, field, i);
    i++;
  }
}

// ---------------------------------------------------------------------------------------------
// GS1 check digit

/** GS1 General Specifications §7.9: weights 3,1,3,… from the rightmost digit, then up to a multiple of 10. */
export function gs1CheckDigit(digits: string): number {
  if (!/^\d+$/.test(digits)) throw new EpcError('invalid-gs1-key', 'a check digit is computed over digits only', 'digits');
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    const d = digits.charCodeAt(digits.length - 1 - i) - 48;
    sum += i % 2 === 0 ? 3 * d : d;
  }
  return (10 - (sum % 10)) % 10;
}

// ---------------------------------------------------------------------------------------------
// Field validation shared by the URI and GS1-key paths

const NUMERIC_NO_LEADING_ZERO = /^(0|[1-9]\d*)$/;
const SERIAL_BITS_96 = 38;

function checkFilter(filter: unknown): number {
  if (typeof filter !== 'number' || !Number.isInteger(filter) || filter < 0 || filter > 7) {
    throw new EpcError('invalid-filter', `filter value must be an integer 0–7 (3 bits), got ${String(filter)}`, 'filter');
  }
  return filter;
}

function rowForPrefix(scheme: EpcScheme, companyPrefix: string): PartitionRow {
  if (!/^\d+$/.test(companyPrefix)) throw new EpcError('invalid-company-prefix', `GS1 Company Prefix must be digits, got '${companyPrefix}'`, 'companyPrefix');
  const row = partitionForCompanyPrefix(scheme, companyPrefix.length);
  if (!row) throw new EpcError('invalid-company-prefix', `GS1 Company Prefix must have 6–12 digits, got ${companyPrefix.length}`, 'companyPrefix');
  return row;
}

/** An integer field of the 96-bit schemes: decimal, no leading zeros (TDS §14.3.1), below 2^bits. */
function checkInteger(value: string, bits: number, field: string, code: EpcErrorCode, scheme: EpcScheme, hint = ''): void {
  if (!/^\d+$/.test(value)) throw new EpcError(code, `${field} must be a decimal number in ${scheme}, got '${value}'${hint}`, field);
  if (!NUMERIC_NO_LEADING_ZERO.test(value)) throw new EpcError(code, `${field} must not have leading zeros in ${scheme}, got '${value}'${hint}`, field);
  const max = (1n << BigInt(bits)) - 1n;
  if (BigInt(value) > max) throw new EpcError('value-too-large', `${field} ${value} does not fit ${bits} bits in ${scheme} (largest ${max})${hint}`, field);
}

function checkString(value: string, maxChars: number, field: string, code: EpcErrorCode, scheme: EpcScheme): void {
  checkPlainCharacters(value, field);
  const n = [...value].length;
  if (n === 0) throw new EpcError(code, `${field} must not be empty`, field);
  if (n > maxChars) throw new EpcError('value-too-large', `${field} has ${n} characters; ${scheme} allows at most ${maxChars} with this company prefix`, field);
}

/** Checks every field against the scheme; called by every encode path before any bits are laid. */
function checkFields(f: EpcFields): void {
  const { scheme, row } = f;
  switch (scheme) {
    case 'sgtin-96':
    case 'sgtin-198':
      if (!new RegExp(`^\\d{${row.referenceDigits}}$`).test(f.reference)) {
        throw new EpcError('invalid-reference', `indicator digit + item reference must be ${row.referenceDigits} digits with a ${row.companyPrefixDigits}-digit company prefix (13 in all), got '${f.reference}'`, 'itemReference');
      }
      if (scheme === 'sgtin-96') checkInteger(f.serial, SERIAL_BITS_96, 'serial', 'invalid-serial', scheme, '; use sgtin-198 for other serials');
      else checkString(f.serial, 20, 'serial', 'invalid-serial', scheme);
      return;
    case 'sscc-96':
      if (!new RegExp(`^\\d{${row.referenceDigits}}$`).test(f.reference)) {
        throw new EpcError('invalid-reference', `extension digit + serial reference must be ${row.referenceDigits} digits with a ${row.companyPrefixDigits}-digit company prefix (17 in all), got '${f.reference}'`, 'serialReference');
      }
      return;
    case 'grai-96':
      if (!new RegExp(`^\\d{${row.referenceDigits}}$`).test(f.reference)) {
        throw new EpcError('invalid-reference', `asset type must be ${row.referenceDigits} digits with a ${row.companyPrefixDigits}-digit company prefix (12 in all), got '${f.reference}'`, 'assetType');
      }
      checkInteger(f.serial, SERIAL_BITS_96, 'serial', 'invalid-serial', scheme, '; grai-96 carries numeric serials only');
      return;
    case 'giai-96':
      checkInteger(f.reference, row.referenceBits, 'individualAssetReference', 'invalid-reference', scheme, '; use giai-202 for other references');
      return;
    case 'giai-202':
      checkString(f.reference, row.referenceDigits, 'individualAssetReference', 'invalid-reference', scheme);
      return;
  }
}

// ---------------------------------------------------------------------------------------------
// Spelling: URIs, GS1 keys, element strings

function pureIdentityOf(f: EpcFields): string {
  const kind = SCHEME_KIND[f.scheme];
  const parts = [f.companyPrefix, kind === 'giai' ? escapeComponent(f.reference) : f.reference];
  if (kind === 'sgtin' || kind === 'grai') parts.push(escapeComponent(f.serial));
  return `urn:epc:id:${kind}:${parts.join('.')}`;
}

function tagUriOf(f: EpcFields): string {
  return `urn:epc:tag:${f.scheme}:${f.filter}.${pureIdentityOf(f).replace(/^urn:epc:id:[a-z]+:/, '')}`;
}

function withCheckDigit(digits: string): string {
  return digits + gs1CheckDigit(digits);
}

function spell(f: EpcFields, hex: string): DecodedEpc {
  const common = {
    hex,
    filter: f.filter,
    filterMeaning: filterMeaning(f.scheme, f.filter),
    partition: f.row.partition,
    companyPrefix: f.companyPrefix,
    pureIdentityUri: pureIdentityOf(f),
    tagUri: tagUriOf(f),
  };
  switch (f.scheme) {
    case 'sgtin-96':
    case 'sgtin-198': {
      // TDS §7.1: the indicator digit moves to the front of the GTIN.
      const gtin = withCheckDigit(f.reference[0] + f.companyPrefix + f.reference.slice(1));
      return { ...common, scheme: f.scheme, gtin, itemReference: f.reference, serial: f.serial, elementString: `01${gtin}21${f.serial}`, hri: `(01)${gtin}(21)${f.serial}` };
    }
    case 'sscc-96': {
      // TDS §7.2: the extension digit moves to the front of the SSCC.
      const sscc = withCheckDigit(f.reference[0] + f.companyPrefix + f.reference.slice(1));
      return { ...common, scheme: f.scheme, sscc, serialReference: f.reference, elementString: `00${sscc}`, hri: `(00)${sscc}` };
    }
    case 'grai-96': {
      // TDS §7.4: AI (8003) is a 0, prefix + asset type (12 digits), check digit, serial.
      const grai = '0' + withCheckDigit(f.companyPrefix + f.reference) + f.serial;
      return { ...common, scheme: f.scheme, grai, assetType: f.reference, serial: f.serial, elementString: `8003${grai}`, hri: `(8003)${grai}` };
    }
    case 'giai-96':
    case 'giai-202': {
      const giai = f.companyPrefix + f.reference;
      return { ...common, scheme: f.scheme, giai, individualAssetReference: f.reference, elementString: `8004${giai}`, hri: `(8004)${giai}` };
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Binary

const bitsOf = (value: bigint | number, width: number): string => BigInt(value).toString(2).padStart(width, '0');

/** TDS §14.3.3 String encoding: 7 bits a character, zero-filled to the field width. */
function stringBits(value: string, width: number): string {
  let out = '';
  for (const ch of value) out += bitsOf(ch.charCodeAt(0), 7);
  return out.padEnd(width, '0');
}

/** Word-aligned hex, as the EPC bank holds it (TDS §15.1.1: the EPC is padded with zero bits to a 16-bit boundary). */
function bitsToHex(bits: string): string {
  const padded = bits.padEnd(Math.ceil(bits.length / 16) * 16, '0');
  let hex = '';
  for (let i = 0; i < padded.length; i += 4) hex += parseInt(padded.slice(i, i + 4), 2).toString(16);
  return hex.toUpperCase();
}

function fieldsToHex(f: EpcFields): string {
  const { row } = f;
  let bits = bitsOf(EPC_HEADERS[f.scheme], 8) + bitsOf(f.filter, 3) + bitsOf(row.partition, 3) + bitsOf(BigInt(f.companyPrefix), row.companyPrefixBits);
  switch (f.scheme) {
    case 'sgtin-96':
      bits += bitsOf(BigInt(f.reference), row.referenceBits) + bitsOf(BigInt(f.serial), SERIAL_BITS_96);
      break;
    case 'sgtin-198':
      bits += bitsOf(BigInt(f.reference), row.referenceBits) + stringBits(f.serial, 140);
      break;
    case 'sscc-96':
      // 24 unallocated bits, zero.
      bits += bitsOf(BigInt(f.reference), row.referenceBits) + '0'.repeat(24);
      break;
    case 'grai-96':
      bits += bitsOf(f.reference === '' ? 0n : BigInt(f.reference), row.referenceBits) + bitsOf(BigInt(f.serial), SERIAL_BITS_96);
      break;
    case 'giai-96':
      bits += bitsOf(BigInt(f.reference), row.referenceBits);
      break;
    case 'giai-202':
      bits += stringBits(f.reference, row.referenceBits);
      break;
  }
  if (bits.length !== SCHEME_BITS[f.scheme]) throw new Error(`internal: ${f.scheme} laid ${bits.length} bits`);
  return bitsToHex(bits);
}

class BitReader {
  private at = 0;
  constructor(private readonly bits: string) {}
  get offset(): number {
    return this.at;
  }
  int(width: number): bigint {
    const slice = this.bits.slice(this.at, this.at + width);
    this.at += width;
    return slice === '' ? 0n : BigInt('0b' + slice);
  }
  /** TDS §14.4.3 String decoding: 7-bit characters up to the first all-zero one; everything after must be zero. */
  string(width: number, maxChars: number, field: string): string {
    const end = this.at + width;
    let out = '';
    let ended = false;
    for (; this.at + 7 <= end; this.at += 7) {
      const code = parseInt(this.bits.slice(this.at, this.at + 7), 2);
      if (ended) {
        if (code !== 0) throw new EpcError('reserved-bits', `${field}: non-zero bits after the end of the string`, 'hex', this.at);
        continue;
      }
      if (code === 0) {
        ended = true;
        continue;
      }
      const ch = String.fromCharCode(code);
      if (!CSET_82.test(ch)) throw new EpcError('invalid-character', `${field}: 7-bit value 0x${code.toString(16)} is not a character allowed in GS1 serials (Table A-1)`, 'hex', this.at);
      out += ch;
    }
    if (/1/.test(this.bits.slice(this.at, end))) throw new EpcError('reserved-bits', `${field}: non-zero bits after the end of the string`, 'hex', this.at);
    this.at = end;
    if (out === '') throw new EpcError('invalid-serial', `${field} is empty`, 'hex');
    if (out.length > maxChars) throw new EpcError('value-too-large', `${field} has ${out.length} characters; at most ${maxChars} are allowed with this company prefix`, 'hex');
    return out;
  }
  rest(): string {
    return this.bits.slice(this.at);
  }
}

/** Reads an integer field that the URI shows zero-padded to `digits` digits (TDS §14.4.2 Partition table decoding). */
function paddedDecimal(value: bigint, digits: number, field: string, offset: number, code: EpcErrorCode = 'invalid-reference'): string {
  if (digits === 0) {
    if (value !== 0n) throw new EpcError(code, `${field} must be zero when it has no digits`, 'hex', offset);
    return '';
  }
  const text = value.toString();
  if (text.length > digits) throw new EpcError(code, `${field} ${text} has more than the ${digits} digits this partition allows`, 'hex', offset);
  return text.padStart(digits, '0');
}

// ---------------------------------------------------------------------------------------------
// Public API

/** Hex lengths accepted for a scheme: whole 16-bit words (as read from the tag) or the fewest nibbles. */
function hexLengths(scheme: EpcScheme): number[] {
  const bits = SCHEME_BITS[scheme];
  return [...new Set([Math.ceil(bits / 4), Math.ceil(bits / 16) * 4])];
}

/** Decodes an EPC bank (hex) into its URIs, GS1 key and fields. */
export function decodeEpc(hex: string): DecodedEpc {
  if (typeof hex !== 'string') throw new EpcError('invalid-hex', 'EPC must be a hex string', 'hex');
  const clean = hex.trim();
  if (!/^[0-9A-Fa-f]+$/.test(clean)) throw new EpcError('invalid-hex', `EPC must be hexadecimal digits, got '${hex}'`, 'hex');
  if (clean.length < 2) throw new EpcError('wrong-length', 'EPC is shorter than its 8-bit header', 'hex');
  const header = parseInt(clean.slice(0, 2), 16);
  const scheme = schemeOfHeader(header);
  if (!scheme) {
    throw new EpcError('unknown-header', `EPC header 0x${clean.slice(0, 2).toUpperCase()} is not one of ${EPC_SCHEMES.map((s) => `${s} (0x${EPC_HEADERS[s].toString(16).toUpperCase()})`).join(', ')}`, 'hex', 0);
  }
  const lengths = hexLengths(scheme);
  if (!lengths.includes(clean.length)) {
    throw new EpcError('wrong-length', `${scheme} is ${SCHEME_BITS[scheme]} bits, so ${lengths.join(' or ')} hex digits; got ${clean.length}`, 'hex');
  }
  const allBits = [...clean].map((c) => parseInt(c, 16).toString(2).padStart(4, '0')).join('');
  const total = SCHEME_BITS[scheme];
  if (/1/.test(allBits.slice(total))) throw new EpcError('reserved-bits', `bits after the ${total}-bit ${scheme} must be zero`, 'hex', total);

  const r = new BitReader(allBits.slice(0, total));
  r.int(8);
  const filter = Number(r.int(3));
  const partition = Number(r.int(3));
  const row = partitionRow(scheme, partition);
  if (!row) throw new EpcError('reserved-partition', `partition value ${partition} is reserved in ${scheme} (only 0–6 are assigned)`, 'hex', 11);
  const prefixAt = r.offset;
  const companyPrefix = paddedDecimal(r.int(row.companyPrefixBits), row.companyPrefixDigits, 'GS1 Company Prefix', prefixAt, 'invalid-company-prefix');

  let reference: string;
  let serial = '';
  const refAt = r.offset;
  switch (scheme) {
    case 'sgtin-96':
      reference = paddedDecimal(r.int(row.referenceBits), row.referenceDigits, 'item reference', refAt);
      serial = r.int(SERIAL_BITS_96).toString();
      break;
    case 'sgtin-198':
      reference = paddedDecimal(r.int(row.referenceBits), row.referenceDigits, 'item reference', refAt);
      serial = r.string(140, 20, 'serial');
      break;
    case 'sscc-96':
      reference = paddedDecimal(r.int(row.referenceBits), row.referenceDigits, 'serial reference', refAt);
      if (/1/.test(r.rest())) throw new EpcError('reserved-bits', 'the 24 unallocated bits of sscc-96 must be zero', 'hex', r.offset);
      break;
    case 'grai-96':
      reference = paddedDecimal(r.int(row.referenceBits), row.referenceDigits, 'asset type', refAt);
      serial = r.int(SERIAL_BITS_96).toString();
      break;
    case 'giai-96':
      reference = r.int(row.referenceBits).toString();
      break;
    case 'giai-202':
      reference = r.string(row.referenceBits, row.referenceDigits, 'individual asset reference');
      break;
  }
  const fields: EpcFields = { scheme, filter, row, companyPrefix, reference, serial };
  return spell(fields, bitsToHex(allBits.slice(0, total)));
}

const ID_URI = /^urn:epc:id:([a-z]+):(.*)$/;
const TAG_URI = /^urn:epc:tag:([a-z0-9-]+):(.*)$/;

/** Splits the components after the namespace: the last one (serial / asset reference) may itself hold dots. */
function parseComponents(kind: EpcKind, body: string, uri: string, field: string): { companyPrefix: string; reference: string; serial: string } {
  const parts = body.split('.');
  const want = kind === 'sgtin' || kind === 'grai' ? 3 : 2;
  if (parts.length < want || (kind === 'sscc' && parts.length !== 2)) {
    const shape = { sgtin: 'CompanyPrefix.ItemReference.Serial', sscc: 'CompanyPrefix.SerialReference', grai: 'CompanyPrefix.AssetType.Serial', giai: 'CompanyPrefix.IndividualAssetReference' }[kind];
    throw new EpcError('invalid-uri', `'${uri}' does not have the ${kind} form ${shape}`, field);
  }
  const companyPrefix = parts[0];
  if (kind === 'giai') return { companyPrefix, reference: unescapeComponent(parts.slice(1).join('.'), 'individualAssetReference'), serial: '' };
  const reference = parts[1];
  if (!/^\d*$/.test(reference)) throw new EpcError('invalid-reference', `'${reference}' must be digits`, kind === 'sgtin' ? 'itemReference' : kind === 'sscc' ? 'serialReference' : 'assetType');
  const serial = kind === 'sscc' ? '' : unescapeComponent(parts.slice(2).join('.'), 'serial');
  return { companyPrefix, reference, serial };
}

function encodeFields(f: EpcFields): EncodedEpc {
  checkFields(f);
  const hex = fieldsToHex(f);
  return { hex, tagUri: tagUriOf(f), pureIdentityUri: pureIdentityOf(f), partition: f.row.partition, filter: f.filter, scheme: f.scheme };
}

/** Encodes a tag URI, or a pure-identity URI with the scheme and filter to use, into the EPC bank hex. */
export function encodeEpc(input: EncodeEpcInput): EncodedEpc {
  if (typeof input !== 'object' || input === null) throw new EpcError('invalid-uri', 'expected { tagUri } or { pureIdentityUri, scheme, filter }', 'input');
  if ('tagUri' in input) {
    const uri = input.tagUri;
    const m = typeof uri === 'string' ? TAG_URI.exec(uri) : null;
    if (!m) throw new EpcError('invalid-uri', `'${String(uri)}' is not an EPC tag URI (urn:epc:tag:<scheme>:<filter>.…)`, 'tagUri');
    const scheme = m[1] as EpcScheme;
    if (!(EPC_SCHEMES as readonly string[]).includes(scheme)) throw new EpcError('invalid-uri', `tag URI scheme '${m[1]}' is not one of ${EPC_SCHEMES.join(', ')}`, 'tagUri');
    const dot = m[2].indexOf('.');
    const filterText = dot < 0 ? m[2] : m[2].slice(0, dot);
    if (!/^\d$/.test(filterText)) throw new EpcError('invalid-filter', `filter value must be one digit 0–7, got '${filterText}'`, 'filter');
    const filter = checkFilter(Number(filterText));
    const c = parseComponents(SCHEME_KIND[scheme], dot < 0 ? '' : m[2].slice(dot + 1), uri, 'tagUri');
    return encodeFields({ scheme, filter, row: rowForPrefix(scheme, c.companyPrefix), ...c });
  }
  const { pureIdentityUri: uri, scheme } = input;
  const filter = checkFilter(input.filter);
  if (!(EPC_SCHEMES as readonly string[]).includes(scheme)) throw new EpcError('scheme-mismatch', `scheme '${String(scheme)}' is not one of ${EPC_SCHEMES.join(', ')}`, 'scheme');
  const m = typeof uri === 'string' ? ID_URI.exec(uri) : null;
  if (!m) throw new EpcError('invalid-uri', `'${String(uri)}' is not a pure-identity EPC URI (urn:epc:id:<kind>:…)`, 'pureIdentityUri');
  const kind = m[1];
  if (!['sgtin', 'sscc', 'grai', 'giai'].includes(kind)) throw new EpcError('invalid-uri', `EPC kind '${kind}' is not one of sgtin, sscc, grai, giai`, 'pureIdentityUri');
  if (SCHEME_KIND[scheme] !== kind) throw new EpcError('scheme-mismatch', `a ${kind} EPC cannot be encoded as ${scheme}`, 'scheme');
  const c = parseComponents(kind as EpcKind, m[2], uri, 'pureIdentityUri');
  return encodeFields({ scheme, filter, row: rowForPrefix(scheme, c.companyPrefix), ...c });
}

function checkKeyDigits(key: string, lengths: number[], name: string, field: string): void {
  if (typeof key !== 'string' || !/^\d+$/.test(key) || !lengths.includes(key.length)) {
    throw new EpcError('invalid-gs1-key', `${name} must be ${lengths.join(', ')} digits, got '${String(key)}'`, field);
  }
  const body = key.slice(0, -1);
  const check = gs1CheckDigit(body);
  if (Number(key.slice(-1)) !== check) throw new EpcError('check-digit', `${name} ${key} has check digit ${key.slice(-1)}, expected ${check}`, field, key.length - 1);
}

const fits96 = (value: string, bits: number): boolean => NUMERIC_NO_LEADING_ZERO.test(value) && BigInt(value) < 1n << BigInt(bits);

function pickScheme(kind: EpcKind, given: EpcScheme | undefined, fallback: EpcScheme): EpcScheme {
  if (given === undefined) return fallback;
  if (!(EPC_SCHEMES as readonly string[]).includes(given)) throw new EpcError('scheme-mismatch', `scheme '${String(given)}' is not one of ${EPC_SCHEMES.join(', ')}`, 'scheme');
  if (SCHEME_KIND[given] !== kind) throw new EpcError('scheme-mismatch', `a ${kind.toUpperCase()} cannot be encoded as ${given}`, 'scheme');
  return given;
}

/**
 * Encodes a GS1 key when its company prefix length is known (TDS §7: the key alone does not say
 * where the prefix ends). GTIN-8/12/13 are taken as GTIN-14 with leading zeros.
 */
export function epcFromGs1(key: Gs1KeyInput, options: EpcFromGs1Options): EncodedEpc {
  if (typeof key !== 'object' || key === null) throw new EpcError('invalid-gs1-key', 'expected one of { gtin, serial }, { sscc }, { grai }, { giai }', 'key');
  const L = options.companyPrefixLength;
  if (!Number.isInteger(L) || L < 6 || L > 12) throw new EpcError('invalid-company-prefix', `company prefix length must be 6–12 digits, got ${String(L)}`, 'companyPrefixLength');
  const filter = checkFilter(options.filter);

  if ('gtin' in key) {
    checkKeyDigits(key.gtin, [8, 12, 13, 14], 'GTIN', 'gtin');
    const gtin = key.gtin.padStart(14, '0');
    const serial = String(key.serial ?? '');
    const scheme = pickScheme('sgtin', options.scheme, fits96(serial, SERIAL_BITS_96) ? 'sgtin-96' : 'sgtin-198');
    const companyPrefix = gtin.slice(1, 1 + L);
    return encodeFields({ scheme, filter, row: rowForPrefix(scheme, companyPrefix), companyPrefix, reference: gtin[0] + gtin.slice(1 + L, 13), serial });
  }
  if ('sscc' in key) {
    checkKeyDigits(key.sscc, [18], 'SSCC', 'sscc');
    const scheme = pickScheme('sscc', options.scheme, 'sscc-96');
    const companyPrefix = key.sscc.slice(1, 1 + L);
    return encodeFields({ scheme, filter, row: rowForPrefix(scheme, companyPrefix), companyPrefix, reference: key.sscc[0] + key.sscc.slice(1 + L, 17), serial: '' });
  }
  if ('grai' in key) {
    const grai = String(key.grai);
    // GS1 General Specifications §3.9.3: AI (8003) is a filler 0, 13 digits with check digit, optional serial.
    if (!/^0\d{13}/.test(grai)) throw new EpcError('invalid-gs1-key', `GRAI must be the AI (8003) value: '0', 12 digits and a check digit, then the serial; got '${grai}'`, 'grai');
    checkKeyDigits(grai.slice(1, 14), [13], 'GRAI', 'grai');
    const serial = grai.slice(14);
    if (serial === '') throw new EpcError('invalid-serial', 'a GRAI without a serial component cannot be an EPC (TDS §7.4)', 'serial');
    const scheme = pickScheme('grai', options.scheme, 'grai-96');
    const companyPrefix = grai.slice(1, 1 + L);
    return encodeFields({ scheme, filter, row: rowForPrefix(scheme, companyPrefix), companyPrefix, reference: grai.slice(1 + L, 13), serial });
  }
  if ('giai' in key) {
    const giai = String(key.giai);
    if (giai.length > 30 || giai.length <= L || !/^\d+$/.test(giai.slice(0, L))) {
      throw new EpcError('invalid-gs1-key', `GIAI must be the ${L}-digit company prefix followed by an asset reference, 30 characters at most; got '${giai}'`, 'giai');
    }
    const companyPrefix = giai.slice(0, L);
    const reference = giai.slice(L);
    const row96 = partitionForCompanyPrefix('giai-96', L)!;
    const scheme = pickScheme('giai', options.scheme, fits96(reference, row96.referenceBits) ? 'giai-96' : 'giai-202');
    return encodeFields({ scheme, filter, row: rowForPrefix(scheme, companyPrefix), companyPrefix, reference, serial: '' });
  }
  throw new EpcError('invalid-gs1-key', 'expected one of { gtin, serial }, { sscc }, { grai }, { giai }', 'key');
}
