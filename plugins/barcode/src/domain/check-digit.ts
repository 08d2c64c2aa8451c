/**
 * GS1 check digits and check character pairs (GS1 General Specifications §7.9).
 */
import { Gs1Error } from './errors.js';

/**
 * The GS1 mod-10 check digit of `digitsWithoutCheck` (GS1 General Specifications §7.9.1): from the
 * right, digits are weighted 3, 1, 3, 1, …; the check digit brings the sum up to a multiple of 10.
 * The same algorithm serves every length (GTIN-8/12/13/14, GLN, SSCC, GSRN, GSIN, GDTI, GRAI…).
 */
export function gs1CheckDigit(digitsWithoutCheck: string): string {
  if (!/^\d+$/.test(digitsWithoutCheck)) {
    throw new Gs1Error('invalid-character', `A GS1 check digit can only be computed over digits, got "${digitsWithoutCheck}"`);
  }
  let sum = 0;
  for (let i = digitsWithoutCheck.length - 1, weight = 3; i >= 0; i--, weight = 4 - weight) {
    sum += (digitsWithoutCheck.charCodeAt(i) - 48) * weight;
  }
  return String((10 - (sum % 10)) % 10);
}

/** Whether the last digit of `digits` is the GS1 mod-10 check digit of the ones before it. */
export function hasValidGs1CheckDigit(digits: string): boolean {
  if (!/^\d{2,}$/.test(digits)) return false;
  return gs1CheckDigit(digits.slice(0, -1)) === digits.slice(-1);
}

/** CSET 82 in the order that gives each character its value for the check character pair. */
export const CSET82_ORDERED = `!"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz`;
/** CSET 32: the alphabet of check characters (no 0, 1, I, O to avoid confusion). */
export const CSET32 = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';

function firstPrimes(count: number): number[] {
  const primes: number[] = [];
  for (let n = 2; primes.length < count; n++) {
    if (primes.every((p) => n % p !== 0)) primes.push(n);
  }
  return primes;
}
const PRIMES = firstPrimes(100);

/**
 * The two check characters of an alphanumeric key (GMN, AI 8013; MUDI, AI 8014) over
 * `dataWithoutCheck` (GS1 General Specifications §7.9.5): character values (position in CSET 82)
 * weighted by the primes 2, 3, 5, … from the right, summed modulo 1021; the 10-bit result split
 * into two 5-bit indices into CSET 32.
 */
export function gs1CheckCharacterPair(dataWithoutCheck: string): string {
  if (dataWithoutCheck.length > PRIMES.length) {
    throw new Gs1Error('too-long', `Check characters are only defined here for up to ${PRIMES.length} characters`);
  }
  let sum = 0;
  for (let i = 0; i < dataWithoutCheck.length; i++) {
    const value = CSET82_ORDERED.indexOf(dataWithoutCheck[i]);
    if (value < 0) {
      throw new Gs1Error('invalid-character', `"${dataWithoutCheck[i]}" is not in the GS1 character set 82`, { position: i });
    }
    sum += value * PRIMES[dataWithoutCheck.length - 1 - i];
  }
  sum %= 1021;
  return CSET32[sum >> 5] + CSET32[sum & 31];
}
