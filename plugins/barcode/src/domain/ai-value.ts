/**
 * Validating the data of one element against its AI definition, and reading its meaning (ISO date,
 * decimal, currency). Validation is split in two: `checkAiValue` needs nothing but the value (so
 * writers can use it), `interpretAiValue` additionally needs the current year to place two-digit
 * years in a century.
 */
import { getAi, type AiComponent, type AiDefinition, type CharacterSet, type ComponentCheck } from './ai-table.js';
import { gs1CheckCharacterPair, gs1CheckDigit, CSET32, CSET82_ORDERED } from './check-digit.js';
import { resolveCentury, resolveYymmdd, resolveYyyymmdd, isoDate } from './dates.js';
import { Gs1Error, at } from './errors.js';

const CHARSETS: Record<CharacterSet, { name: string; test: (c: string) => boolean }> = {
  N: { name: 'digits only', test: (c) => c >= '0' && c <= '9' },
  // GS1 AI encodable character set 82 (General Specifications Figure 7.11-1)
  X: { name: 'the GS1 AI encodable character set 82', test: (c) => CSET82_ORDERED.includes(c) },
  // GS1 AI encodable character set 39 (Figure 7.11-2): digits, capitals, # - /
  Y: { name: 'the GS1 AI encodable character set 39', test: (c) => /^[0-9A-Z#\-/]$/.test(c) },
  // GS1 AI encodable character set 64 (Figure 7.11-3): base64url
  Z: { name: 'the GS1 character set 64 (base64url)', test: (c) => /^[0-9A-Za-z\-_]$/.test(c) },
};

/** A value split into its components, as the definition lays them out. */
export interface ComponentValue {
  component: AiComponent;
  value: string;
  /** Offset of this component inside the element's value. */
  offset: number;
}

function describeChar(c: string): string {
  const code = c.codePointAt(0)!;
  return code < 32 || code === 127 ? `control character 0x${code.toString(16).padStart(2, '0').toUpperCase()}` : `"${c}"`;
}

/** Splits `value` into the definition's components; throws on length problems. */
export function splitComponents(definition: AiDefinition, value: string, position?: number): ComponentValue[] {
  const { ai } = definition;
  if (value.length === 0) {
    throw new Gs1Error('empty-value', `AI (${ai}) ${definition.title} has no data${at(position)}`, { ai, position });
  }
  if (value.length > definition.maxLength) {
    throw new Gs1Error(
      'too-long',
      `AI (${ai}) ${definition.title} is ${value.length} characters long${at(position)}, more than the ${definition.maxLength} allowed (format ${definition.format})`,
      { ai, position },
    );
  }
  const parts: ComponentValue[] = [];
  let offset = 0;
  for (const component of definition.components) {
    const remaining = value.length - offset;
    if (remaining === 0 && component.optional) break;
    const take = component.minLength === component.maxLength ? component.minLength : Math.min(remaining, component.maxLength);
    if (remaining < component.minLength || take === 0) {
      const need =
        definition.components.length === 1 || offset === 0
          ? `needs ${definition.minLength === definition.maxLength ? 'exactly' : 'at least'} ${definition.minLength}`
          : `leaves ${remaining} for a part of ${component.minLength}`;
      throw new Gs1Error(
        'too-short',
        `AI (${ai}) ${definition.title} is too short${at(position)}: "${value}" has ${value.length} characters, format ${definition.format} ${need}`,
        { ai, position },
      );
    }
    parts.push({ component, value: value.slice(offset, offset + take), offset });
    offset += take;
  }
  if (offset < value.length) {
    // Only reachable when trailing optional parts are all fixed-length and the value overshoots them.
    throw new Gs1Error('too-long', `AI (${ai}) ${definition.title} has ${value.length - offset} unexpected trailing characters${at(position)} (format ${definition.format})`, { ai, position });
  }
  return parts;
}

function fail(code: 'invalid-value' | 'invalid-date' | 'invalid-time' | 'check-digit', definition: AiDefinition, reason: string, position?: number): never {
  throw new Gs1Error(code, `AI (${definition.ai}) ${definition.title}: ${reason}${at(position)}`, { ai: definition.ai, position });
}

/** Date check for YYMMDD without knowing the century: Feb 29 is accepted in every year divisible by 4. */
function checkYymmdd(definition: AiDefinition, digits: string, dayZero: boolean, position?: number): void {
  const yy = Number(digits.slice(0, 2));
  const month = Number(digits.slice(2, 4));
  const day = Number(digits.slice(4, 6));
  const days = [31, yy % 4 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  if (month < 1 || month > 12) fail('invalid-date', definition, `"${digits}" is not a date (YYMMDD): month ${digits.slice(2, 4)} does not exist`, position);
  if (day === 0 && !dayZero) fail('invalid-date', definition, `"${digits}" is not a date (YYMMDD): day 00 is not allowed for this AI`, position);
  if (day > days) fail('invalid-date', definition, `"${digits}" is not a date (YYMMDD): month ${digits.slice(2, 4)} has no day ${digits.slice(4, 6)}`, position);
}

function checkRange(definition: AiDefinition, digits: string, max: number, what: string, code: 'invalid-time' | 'invalid-value', position?: number): void {
  if (Number(digits) > max) fail(code, definition, `${what} "${digits}" is out of range (00–${max})`, position);
}

function checkComponent(definition: AiDefinition, check: ComponentCheck, part: string, position?: number): void {
  switch (check) {
    case 'csum': {
      const expected = gs1CheckDigit(part.slice(0, -1));
      const found = part.slice(-1);
      if (expected !== found) {
        fail('check-digit', definition, `check digit of "${part}" is wrong: expected ${expected}, found ${found}`, position === undefined ? undefined : position + part.length - 1);
      }
      return;
    }
    case 'key':
    case 'keyoff1': {
      const start = check === 'keyoff1' ? 1 : 0;
      if (!/^\d{4}/.test(part.slice(start))) fail('invalid-value', definition, `"${part}" must start with a GS1 Company Prefix (at least 4 digits)`, position);
      return;
    }
    case 'yymmd0':
      return checkYymmdd(definition, part, true, position);
    case 'yymmdd':
      return checkYymmdd(definition, part, false, position);
    case 'yyyymmdd':
      if (!resolveYyyymmdd(part)) fail('invalid-date', definition, `"${part}" is not a date (YYYYMMDD)`, position);
      return;
    case 'hhmi':
      checkRange(definition, part.slice(0, 2), 23, 'hour', 'invalid-time', position);
      checkRange(definition, part.slice(2, 4), 59, 'minute', 'invalid-time', position);
      return;
    case 'hh':
      return checkRange(definition, part, 23, 'hour', 'invalid-time', position);
    case 'mi':
      return checkRange(definition, part, 59, 'minute', 'invalid-time', position);
    case 'ss':
      return checkRange(definition, part, 59, 'second', 'invalid-time', position);
    case 'iso3166alpha2':
      if (!/^[A-Z]{2}$/.test(part)) fail('invalid-value', definition, `"${part}" is not an ISO 3166-1 alpha-2 country code`, position);
      return;
    case 'zero':
      if (part !== '0') fail('invalid-value', definition, `"${part}" must be 0`, position);
      return;
    case 'nonzero':
      if (/^0+$/.test(part)) fail('invalid-value', definition, `"${part}" must not be zero`, position);
      return;
    case 'winding':
      if (!['0', '1', '9'].includes(part)) fail('invalid-value', definition, `winding direction "${part}" must be 0, 1 or 9`, position);
      return;
    case 'pieceoftotal': {
      const piece = Number(part.slice(0, 2));
      const total = Number(part.slice(2, 4));
      if (piece === 0 || total === 0 || piece > total) fail('invalid-value', definition, `piece ${part.slice(0, 2)} of ${part.slice(2, 4)} is not a piece of the total`, position);
      return;
    }
    case 'pcenc':
      if (/%(?![0-9A-Fa-f]{2})/.test(part)) fail('invalid-value', definition, `"${part}" has a "%" not followed by two hexadecimal digits`, position);
      return;
    case 'latitude':
      return checkRange(definition, part, 1_800_000_000, 'latitude', 'invalid-value', position);
    case 'longitude':
      return checkRange(definition, part, 3_600_000_000, 'longitude', 'invalid-value', position);
    case 'yesno':
      if (part !== '0' && part !== '1') fail('invalid-value', definition, `"${part}" must be 0 (no) or 1 (yes)`, position);
      return;
    case 'hyphen':
      if (part !== '-') fail('invalid-value', definition, `"${part}" may only be "-" (a negative value)`, position);
      return;
    case 'importeridx':
      if (!/^[0-9A-Za-z\-_]$/.test(part)) fail('invalid-value', definition, `importer index "${part}" must be a digit, letter, "-" or "_"`, position);
      return;
    case 'mediatype': {
      const n = Number(part);
      if (!((n >= 1 && n <= 10) || n >= 80)) fail('invalid-value', definition, `AIDC media type "${part}" is not assigned (01–10, 80–99)`, position);
      return;
    }
    case 'iban':
      if (!isValidIban(part)) fail('check-digit', definition, `"${part}" is not a valid IBAN (ISO 13616 check digits)`, position);
      return;
    case 'nozeroprefix':
      if (part.length > 1 && part.startsWith('0')) fail('invalid-value', definition, `"${part}" must not start with 0`, position);
      return;
    case 'csumalpha': {
      if (part.length < 2) fail('invalid-value', definition, `"${part}" is too short to hold its two check characters`, position);
      const found = part.slice(-2);
      if (![...found].every((c) => CSET32.includes(c))) fail('check-digit', definition, `check characters "${found}" are not in character set 32`, position);
      const expected = gs1CheckCharacterPair(part.slice(0, -2));
      if (expected !== found) fail('check-digit', definition, `check characters of "${part}" are wrong: expected ${expected}, found ${found}`, position);
      return;
    }
    case 'hasnondigit':
      if (/^\d+$/.test(part)) fail('invalid-value', definition, `"${part}" must contain a non-digit`, position);
      return;
    case 'posinseqslash': {
      const m = /^([1-9])\/([1-9])$/.exec(part);
      if (!m || Number(m[1]) > Number(m[2])) fail('invalid-value', definition, `"${part}" is not a position in sequence like "1/2"`, position);
      return;
    }
    case 'iso5218':
      if (!['0', '1', '2', '9'].includes(part)) fail('invalid-value', definition, `"${part}" is not an ISO/IEC 5218 sex code (0, 1, 2, 9)`, position);
      return;
    // Format-only here: the code lists (ISO 4217, ISO 3166 numeric, UN/ECE rec 21 package types) and
    // the North American coupon structures are not carried by this module.
    case 'iso4217':
    case 'iso3166':
    case 'iso3166999':
    case 'packagetype':
    case 'couponcode':
    case 'couponposoffer':
      return;
  }
}

function isValidIban(iban: string): boolean {
  if (!/^[A-Z]{2}\d{2}[0-9A-Za-z]{1,30}$/.test(iban)) return false;
  const rearranged = (iban.slice(4) + iban.slice(0, 4)).toUpperCase();
  let remainder = 0;
  for (const c of rearranged) {
    const digits = c >= 'A' ? String(c.charCodeAt(0) - 55) : c;
    for (const d of digits) remainder = (remainder * 10 + Number(d)) % 97;
  }
  return remainder === 1;
}

/**
 * Checks `value` against the definition of `ai`: lengths, character set, check digits, dates
 * (Feb 29 accepted in any year divisible by 4, since the century is not known here) and the other
 * component checks. `position` (offset of the value in the input) makes messages point at the fault.
 */
export function checkAiValue(ai: string | AiDefinition, value: string, position?: number): AiDefinition {
  const definition = typeof ai === 'string' ? getAi(ai, position) : ai;
  for (const { component, value: part, offset } of splitComponents(definition, value, position)) {
    const partPosition = position === undefined ? undefined : position + offset;
    const charset = CHARSETS[component.charset];
    let body = part;
    if (component.charset === 'Z') {
      const pads = /=*$/.exec(part)![0].length;
      if (pads > 2) fail('invalid-value', definition, `too much base64 padding in "${part}"`, partPosition);
      body = part.slice(0, part.length - pads);
    }
    for (let i = 0; i < body.length; i++) {
      if (!charset.test(body[i])) {
        const p = partPosition === undefined ? undefined : partPosition + i;
        throw new Gs1Error(
          'invalid-character',
          `AI (${definition.ai}) ${definition.title}: ${describeChar(body[i])} is not allowed${at(p)}; this field takes ${charset.name}`,
          { ai: definition.ai, position: p },
        );
      }
    }
    for (const check of component.checks) checkComponent(definition, check, part, partPosition);
  }
  return definition;
}

/** What an element means beyond its characters. */
export interface AiValueMeaning {
  /** ISO 8601: "YYYY-MM-DD", with "Thh:mm" (or reduced "Thh") for date-times, "a/b" for ranges. */
  date?: string;
  /** The value with its implied decimal point placed, e.g. "1.250" (trailing zeros kept). */
  decimal?: string;
  /** ISO 4217 numeric currency code (AIs 391n, 393n). */
  currency?: string;
}

/** Places `decimals` implied decimals in a digit string; leading zeros of the integer part dropped. */
export function placeDecimalPoint(digits: string, decimals: number): string {
  const padded = digits.padStart(decimals + 1, '0');
  const integer = padded.slice(0, padded.length - decimals).replace(/^0+(?=\d)/, '');
  return decimals === 0 ? integer : `${integer}.${padded.slice(padded.length - decimals)}`;
}

/**
 * The meaning of an already checked value. Two-digit years are placed with the century rule of
 * §7.12 relative to `currentYear`; the date is re-checked in its real year (Feb 29, 2100 fails).
 */
export function interpretAiValue(definition: AiDefinition, value: string, currentYear: number, position?: number): AiValueMeaning {
  if (definition.semantics === 'decimal') {
    return { decimal: placeDecimalPoint(value, definition.decimals ?? 0) };
  }
  if (definition.semantics === 'currency-decimal') {
    return { currency: value.slice(0, 3), decimal: placeDecimalPoint(value.slice(3), definition.decimals ?? 0) };
  }
  if (definition.semantics !== 'date') return {};
  const dates: string[] = [];
  let time = '';
  for (const { component, value: part, offset } of splitComponents(definition, value, position)) {
    const checks = component.checks;
    if (checks.includes('yymmd0') || checks.includes('yymmdd')) {
      const day = resolveYymmdd(part, currentYear, checks.includes('yymmd0'));
      if (!day) {
        const year = resolveCentury(Number(part.slice(0, 2)), currentYear);
        fail('invalid-date', definition, `"${part}" is not a date (YYMMDD) in the year ${year}`, position === undefined ? undefined : position + offset);
      }
      dates.push(isoDate(day));
    } else if (checks.includes('yyyymmdd')) {
      dates.push(isoDate(resolveYyyymmdd(part)!));
    } else if (checks.includes('hhmi')) {
      time += `T${part.slice(0, 2)}:${part.slice(2, 4)}`;
    } else if (checks.includes('hh')) {
      time += `T${part}`;
    } else if (checks.includes('mi') || checks.includes('ss')) {
      time += `:${part}`;
    }
  }
  return { date: dates.length > 1 ? dates.join('/') : dates[0] + time };
}
