/**
 * GS1 identification keys: validation by key type and allocation of the keys a company creates
 * from its GS1 Company Prefix (GS1 General Specifications §2.2 SSCC, §2.3 GRAI and GIAI, §7.9 check
 * digits).
 */
import { checkAiValue } from './ai-value.js';
import { gs1CheckDigit, CSET82_ORDERED } from './check-digit.js';
import { Gs1Error } from './errors.js';

export type Gs1KeyType = 'gtin' | 'sscc' | 'gln' | 'grai' | 'giai' | 'gsrn' | 'gsrnp' | 'gdti' | 'gsin' | 'ginc' | 'gcn' | 'gmn' | 'cpid' | 'itip';

/** The AI that carries each key type (its data format is the key's format). */
export const GS1_KEY_AI: Readonly<Record<Gs1KeyType, string>> = {
  gtin: '01',
  sscc: '00',
  gln: '414',
  grai: '8003',
  giai: '8004',
  gsrn: '8018', // GSRN of a service recipient
  gsrnp: '8017', // GSRN of a service provider
  gdti: '253',
  gsin: '402',
  ginc: '401',
  gcn: '255',
  gmn: '8013',
  cpid: '8010',
  itip: '8006',
};

/**
 * Length bounds applied to a GS1 Company Prefix when allocating keys here. The issue asks for 6 to 12
 * digits; note that the GS1 Barcode Syntax Dictionary's "key" check allows prefixes from 4 digits.
 */
export const COMPANY_PREFIX_MIN_LENGTH = 6;
export const COMPANY_PREFIX_MAX_LENGTH = 12;

/**
 * Throws a `Gs1Error` saying what is wrong with `value` as a key of `type`: format, character set,
 * check digit(s). A GTIN may be given as GTIN-8, -12, -13 or -14. The GRAI is given as the data of
 * AI (8003), i.e. with its leading 0, optionally followed by the serial component.
 */
export function assertValidGs1Key(type: Gs1KeyType, value: string): void {
  const ai = GS1_KEY_AI[type];
  if (!ai) throw new Gs1Error('invalid-option', `Unknown GS1 key type "${type}"`);
  if (typeof value !== 'string') throw new Gs1Error('invalid-key', `A ${type.toUpperCase()} must be given as a string`);
  let data = value;
  if (type === 'gtin' && /^\d+$/.test(value)) {
    if (![8, 12, 13, 14].includes(value.length)) {
      throw new Gs1Error('invalid-key', `A GTIN has 8, 12, 13 or 14 digits; "${value}" has ${value.length}`, { ai });
    }
    data = value.padStart(14, '0');
  }
  checkAiValue(ai, data);
}

/** Whether `value` is a well-formed key of `type` with correct check digit(s). */
export function isValidGs1Key(type: Gs1KeyType, value: string): boolean {
  try {
    assertValidGs1Key(type, value);
    return true;
  } catch (error) {
    if (error instanceof Gs1Error) return false;
    throw error;
  }
}

function checkCompanyPrefix(companyPrefix: string): void {
  if (typeof companyPrefix !== 'string' || !/^\d+$/.test(companyPrefix)) {
    throw new Gs1Error('reference-does-not-fit', `A GS1 Company Prefix is all digits, got "${companyPrefix}"`);
  }
  if (companyPrefix.length < COMPANY_PREFIX_MIN_LENGTH || companyPrefix.length > COMPANY_PREFIX_MAX_LENGTH) {
    throw new Gs1Error(
      'reference-does-not-fit',
      `A GS1 Company Prefix has ${COMPANY_PREFIX_MIN_LENGTH} to ${COMPANY_PREFIX_MAX_LENGTH} digits; "${companyPrefix}" has ${companyPrefix.length}`,
    );
  }
}

/** A numeric reference left-padded with zeros to exactly `length` digits; refused if longer. */
function numericReference(what: string, reference: string | number, length: number, companyPrefix: string): string {
  const text = typeof reference === 'number' ? (Number.isSafeInteger(reference) && reference >= 0 ? String(reference) : '') : reference;
  if (typeof text !== 'string' || !/^\d+$/.test(text)) {
    throw new Gs1Error('reference-does-not-fit', `The ${what} must be digits, got "${String(reference)}"`);
  }
  if (text.length > length) {
    throw new Gs1Error(
      'reference-does-not-fit',
      `The ${what} "${text}" has ${text.length} digits, but with the ${companyPrefix.length}-digit company prefix ${companyPrefix} only ${length} are left`,
    );
  }
  return text.padStart(length, '0');
}

/**
 * Allocates an SSCC (AI 00): extension digit + company prefix + serial reference, 17 digits, then
 * the check digit. The serial reference is zero-padded to the 16 − prefix-length digits available.
 */
export function allocateSscc(companyPrefix: string, extensionDigit: string | number, serialReference: string | number): string {
  checkCompanyPrefix(companyPrefix);
  const extension = String(extensionDigit);
  if (!/^\d$/.test(extension)) {
    throw new Gs1Error('reference-does-not-fit', `The SSCC extension digit is one digit 0–9, got "${extension}"`);
  }
  const serial = numericReference('serial reference', serialReference, 16 - companyPrefix.length, companyPrefix);
  const body = extension + companyPrefix + serial;
  return body + gs1CheckDigit(body);
}

/**
 * Allocates a GIAI (AI 8004): company prefix + individual asset reference, at most 30 characters
 * of the GS1 character set 82 in all. No check digit.
 */
export function allocateGiai(companyPrefix: string, assetReference: string): string {
  checkCompanyPrefix(companyPrefix);
  if (typeof assetReference !== 'string' || assetReference.length === 0) {
    throw new Gs1Error('reference-does-not-fit', 'The individual asset reference must not be empty');
  }
  const bad = [...assetReference].find((c) => !CSET82_ORDERED.includes(c));
  if (bad !== undefined) {
    throw new Gs1Error('reference-does-not-fit', `The individual asset reference may only use the GS1 character set 82; "${bad}" is not in it`);
  }
  const giai = companyPrefix + assetReference;
  if (giai.length > 30) {
    throw new Gs1Error(
      'reference-does-not-fit',
      `A GIAI has at most 30 characters; company prefix ${companyPrefix} leaves ${30 - companyPrefix.length} for the asset reference, "${assetReference}" has ${assetReference.length}`,
    );
  }
  checkAiValue('8004', giai);
  return giai;
}

/**
 * Allocates a GRAI as the data of AI (8003): "0" + company prefix + asset type (together 12 digits,
 * the asset type zero-padded) + check digit + optional serial component (up to 16 characters of the
 * GS1 character set 82). The check digit covers the 13 digits before it, leading 0 included.
 */
export function allocateGrai(companyPrefix: string, assetType: string | number, serial?: string): string {
  checkCompanyPrefix(companyPrefix);
  const available = 12 - companyPrefix.length;
  const type =
    available === 0 && (assetType === '' || assetType === undefined)
      ? ''
      : numericReference('asset type', assetType, available, companyPrefix);
  const body = `0${companyPrefix}${type}`;
  let grai = body + gs1CheckDigit(body);
  if (serial !== undefined) {
    if (serial.length === 0 || serial.length > 16) {
      throw new Gs1Error('reference-does-not-fit', `The GRAI serial component has 1 to 16 characters; "${serial}" has ${serial.length}`);
    }
    const bad = [...serial].find((c) => !CSET82_ORDERED.includes(c));
    if (bad !== undefined) {
      throw new Gs1Error('reference-does-not-fit', `The GRAI serial component may only use the GS1 character set 82; "${bad}" is not in it`);
    }
    grai += serial;
  }
  checkAiValue('8003', grai);
  return grai;
}
