/**
 * GS1 Digital Link URIs (GS1 Digital Link Standard: URI Syntax, release 1.2 and later):
 *
 *   https://any.domain[/any/stem]/{primary key AI}/{value}[/{qualifier AI}/{value}…][?{AI}={value}&…]
 *
 * Primary keys and their ordered, optional key qualifiers: 01 (22, 10, 21 | 235), 8006 (22, 10, 21),
 * 414 (254 | 7040), 417 (7040), 8004 (7040), 415 (8020), 8010 (8011), 8017/8018 (8019), and 00,
 * 253, 255, 401, 402, 8003, 8013 without qualifiers. Other AIs go in the query string by their
 * numeric key; non-numeric parameters (linkType, context…) are ignored. Values are percent-decoded.
 * Convenience alphas (`/gtin/`, `?lot=`) are deprecated by GS1 and not accepted.
 */
import { findAi, getAi, isDigitalLinkPrimaryKey, type AiDefinition } from './ai-table.js';
import { checkAiValue } from './ai-value.js';
import { Gs1Error, at } from './errors.js';
import type { Gs1ElementInput, Gs1ReadOptions, RawElement, RawRead } from './types.js';

/** Characters that may appear in a URI at all (RFC 3986, with "%" for escapes). */
const URI_CHARACTER = /[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]/;
/** Characters of the URI character set that cannot be part of a host name. */
const BAD_DOMAIN_CHARACTER = /[_~?#@!$&'()*+,;=%]/;

interface Segment {
  text: string;
  position: number;
}

function decodeComponent(raw: string, position: number, query: boolean): string {
  const bad = /%(?![0-9A-Fa-f]{2})/.exec(raw);
  if (bad) {
    throw new Gs1Error('malformed-uri', `Malformed percent-escape "${raw.slice(bad.index, bad.index + 3)}"${at(position + bad.index)} in the Digital Link URI`, { position: position + bad.index });
  }
  try {
    return decodeURIComponent(query ? raw.replace(/\+/g, ' ') : raw);
  } catch {
    throw new Gs1Error('malformed-uri', `Percent-escapes${at(position)} do not decode to UTF-8 text`, { position });
  }
}

/** Whether the qualifiers appear, in order and without repeats, in one of the key's sequences. */
function isValidQualifierSequence(key: AiDefinition, qualifiers: readonly string[]): boolean {
  return (key.dlQualifiers ?? []).some((sequence) => {
    let next = 0;
    for (const q of qualifiers) {
      const index = sequence.indexOf(q, next);
      if (index < 0) return false;
      next = index + 1;
    }
    return true;
  });
}

function describeSequences(key: AiDefinition): string {
  const sequences = (key.dlQualifiers ?? []).filter((s) => s.length > 0);
  if (sequences.length === 0) return `(${key.ai}) takes no key qualifiers`;
  return `after (${key.ai}) the qualifiers may be ${sequences.map((s) => s.map((q) => `(${q})`).join(', ')).join(' or ')}, in that order`;
}

const PRIMARY_KEY_LIST = '00, 01, 253, 255, 401, 402, 414, 415, 417, 8003, 8004, 8006, 8010, 8013, 8017, 8018';

/**
 * Reads a GS1 Digital Link URI into its elements (path first, then query string). `offset` is added
 * to reported positions. Values are checked like any other element data.
 */
export function readDigitalLink(uri: string, offset = 0, options: Gs1ReadOptions = {}): RawRead {
  for (let i = 0; i < uri.length; i++) {
    if (!URI_CHARACTER.test(uri[i])) {
      throw new Gs1Error('malformed-uri', `Character "${uri[i]}"${at(offset + i)} is not allowed in a URI (it must be percent-encoded)`, { position: offset + i });
    }
  }
  const scheme = /^(https?|HTTPS?):\/\//.exec(uri);
  if (!scheme) throw new Gs1Error('malformed-uri', 'A GS1 Digital Link URI must start with "https://" or "http://"', { position: offset });
  const hostStart = scheme[0].length;
  const pathStart = uri.indexOf('/', hostStart);
  const hostEnd = pathStart < 0 ? uri.length : pathStart;
  const host = uri.slice(hostStart, hostEnd);
  if (!host || pathStart < 0) {
    throw new Gs1Error('malformed-uri', `The URI needs a domain name and a path${at(offset + hostStart)}`, { position: offset + hostStart });
  }
  const badHost = BAD_DOMAIN_CHARACTER.exec(host);
  if (badHost) {
    throw new Gs1Error('malformed-uri', `Character "${badHost[0]}" is not allowed in the domain name${at(offset + hostStart + badHost.index)}`, { position: offset + hostStart + badHost.index });
  }
  const fragment = uri.indexOf('#', pathStart);
  const uriEnd = fragment < 0 ? uri.length : fragment;
  const question = uri.indexOf('?', pathStart);
  const pathEnd = question >= 0 && question < uriEnd ? question : uriEnd;

  // Path segments after the domain, with their positions.
  const segments: Segment[] = [];
  for (let i = pathStart; i < pathEnd; ) {
    const next = uri.indexOf('/', i + 1);
    const end = next < 0 || next > pathEnd ? pathEnd : next;
    segments.push({ text: uri.slice(i + 1, end), position: offset + i + 1 });
    i = end;
  }

  const last = segments[segments.length - 1];
  if (last && last.text === '' && segments.length > 1) {
    throw new Gs1Error('malformed-uri', `The URI path ends in "/"${at(last.position - 1)}: a Digital Link path ends with the value of its last AI`, { position: last.position - 1 });
  }

  // The primary key is the rightmost "/AI/value" pair that names one; everything before is the
  // (free) stem, everything after must be AI/value pairs.
  let keyIndex = -1;
  for (let j = segments.length - 2; j >= 0; j -= 2) {
    const text = segments[j].text;
    if (!/^\d{2,4}$/.test(text) || !findAi(text)) break;
    if (isDigitalLinkPrimaryKey(text)) {
      keyIndex = j;
      break;
    }
  }
  if (keyIndex < 0) {
    throw new Gs1Error(
      'no-primary-key',
      `No GS1 Digital Link primary key found in the URI path: it must end in /{key}/{value}[/{qualifier}/{value}…] with a key among ${PRIMARY_KEY_LIST}`,
      { position: offset + pathStart },
    );
  }

  const elements: RawElement[] = [];
  for (let k = keyIndex; k < segments.length; k += 2) {
    const aiSegment = segments[k];
    const valueSegment = segments[k + 1];
    const definition = getAi(aiSegment.text, aiSegment.position);
    if (!valueSegment.text) {
      throw new Gs1Error('empty-value', `AI (${definition.ai}) ${definition.title} has an empty path segment${at(valueSegment.position)}`, { ai: definition.ai, position: valueSegment.position });
    }
    let value = decodeComponent(valueSegment.text, valueSegment.position, false);
    if (definition.ai === '01' && /^(\d{8}|\d{12,13})$/.test(value)) {
      if (!options.padShortGtinInDigitalLink) {
        throw new Gs1Error(
          'too-short',
          `AI (01) GTIN in a Digital Link URI must have 14 digits${at(valueSegment.position)}; "${value}" is a GTIN-${value.length}: write it as ${value.padStart(14, '0')}`,
          { ai: '01', position: valueSegment.position },
        );
      }
      value = value.padStart(14, '0');
    }
    checkAiValue(definition, value, valueSegment.position);
    elements.push({ ai: definition.ai, value, position: valueSegment.position });
  }

  const key = getAi(elements[0].ai);
  const pathQualifiers = elements.slice(1).map((e) => e.ai);
  if (!isValidQualifierSequence(key, pathQualifiers)) {
    throw new Gs1Error(
      'invalid-dl-path',
      `The URI path /${elements.map((e) => e.ai).join('/…/')}/… is not a valid key-qualifier sequence: ${describeSequences(key)}`,
      { ai: key.ai, position: elements[0].position },
    );
  }

  if (question >= 0 && question < uriEnd) {
    let i = question + 1;
    while (i <= uriEnd) {
      const amp = uri.indexOf('&', i);
      const end = amp < 0 || amp > uriEnd ? uriEnd : amp;
      const param = uri.slice(i, end);
      const position = offset + i;
      i = end + 1;
      const eq = param.indexOf('=');
      if (!param || eq < 0) continue; // no value: not an AI
      const name = param.slice(0, eq);
      if (!/^\d+$/.test(name)) continue; // linkType, context and other non-GS1 parameters
      const definition = findAi(name);
      if (!definition) {
        throw new Gs1Error('unknown-ai', `Unknown Application Identifier (${name}) in the query string${at(position)}`, { ai: name, position });
      }
      const valuePosition = position + eq + 1;
      const raw = param.slice(eq + 1);
      if (!raw) {
        throw new Gs1Error('empty-value', `AI (${name}) ${definition.title} has no value in the query string${at(valuePosition)}`, { ai: name, position: valuePosition });
      }
      if (elements.some((e) => e.ai === name)) {
        throw new Gs1Error('duplicate-ai', `AI (${name}) occurs more than once in the Digital Link URI${at(position)}`, { ai: name, position });
      }
      if (isQualifierOf(key, name) && isValidQualifierSequence(key, [...pathQualifiers, name].sort(byPathOrder(key)))) {
        throw new Gs1Error(
          'invalid-dl-path',
          `AI (${name}) ${definition.title} is a key qualifier of (${key.ai}) and belongs in the URI path, not the query string${at(position)}`,
          { ai: name, position },
        );
      }
      if (!definition.dlDataAttribute) {
        throw new Gs1Error(
          'not-dl-attribute',
          `AI (${name}) ${definition.title} is not allowed in the query string of a Digital Link URI${at(position)}${definition.dlQualifiers ? ': it is a primary key, and a URI has only one' : ''}`,
          { ai: name, position },
        );
      }
      const value = decodeComponent(raw, valuePosition, true);
      checkAiValue(definition, value, valuePosition);
      elements.push({ ai: name, value, position: valuePosition });
    }
  }
  return { elements, source: 'digital-link' };
}

function isQualifierOf(key: AiDefinition, ai: string): boolean {
  return (key.dlQualifiers ?? []).some((sequence) => sequence.includes(ai));
}

/** Sort order of qualifiers as they would appear in a path (for the "belongs in the path" check). */
function byPathOrder(key: AiDefinition): (a: string, b: string) => number {
  const rank = (ai: string): number => {
    for (const sequence of key.dlQualifiers ?? []) {
      const index = sequence.indexOf(ai);
      if (index >= 0) return index;
    }
    return Number.MAX_SAFE_INTEGER;
  };
  return (a, b) => rank(a) - rank(b);
}

/** Percent-encodes everything but the URI unreserved characters (RFC 3986 §2.3). */
function encodeValue(value: string): string {
  return Array.from(new TextEncoder().encode(value), (byte) => {
    const c = String.fromCharCode(byte);
    return /[A-Za-z0-9\-._~]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }).join('');
}

/**
 * The GS1 Digital Link URI of `elements`: the first primary key among them with the longest
 * matching qualifier sequence in the path, every other element in the query string (in the given
 * order). `base` is the domain and optional stem, default the GS1 resolver `https://id.gs1.org`.
 */
export function toDigitalLink(elements: readonly Gs1ElementInput[], base = 'https://id.gs1.org'): string {
  if (!/^https?:\/\/[^/?#\s]+(\/[^?#\s]*)?$/.test(base)) {
    throw new Gs1Error('invalid-option', `The Digital Link base must be an http(s) URI with a domain and an optional path, got "${base}"`);
  }
  if (elements.length === 0) throw new Gs1Error('empty-input', 'No elements given');
  for (const e of elements) checkAiValue(e.ai, e.value);
  const seen = new Set<string>();
  for (const e of elements) {
    if (seen.has(e.ai)) throw new Gs1Error('duplicate-ai', `AI (${e.ai}) occurs more than once`, { ai: e.ai });
    seen.add(e.ai);
  }
  const keyElement = elements.find((e) => isDigitalLinkPrimaryKey(e.ai));
  if (!keyElement) {
    throw new Gs1Error('no-primary-key', `A Digital Link URI needs a primary key among ${PRIMARY_KEY_LIST}`);
  }
  const key = getAi(keyElement.ai);
  const sequences = key.dlQualifiers ?? [[]];
  let best: readonly string[] = [];
  for (const sequence of sequences) {
    const present = sequence.filter((q) => seen.has(q));
    if (present.length > best.length) best = present;
  }
  const path = [keyElement, ...best.map((q) => elements.find((e) => e.ai === q)!)];
  const query: string[] = [];
  for (const e of elements) {
    if (path.includes(e)) continue;
    const definition = getAi(e.ai);
    if (!definition.dlDataAttribute) {
      const reason = isQualifierOf(key, e.ai)
        ? `it is a key qualifier of (${key.ai}) that cannot be combined with (${best.join('), (')}) in one path`
        : definition.dlQualifiers
          ? 'it is a second primary key'
          : `it is neither a key qualifier of (${key.ai}) nor a data attribute`;
      throw new Gs1Error('not-dl-attribute', `AI (${e.ai}) ${definition.title} cannot be expressed in this Digital Link URI: ${reason}`, { ai: e.ai });
    }
    query.push(`${e.ai}=${encodeValue(e.value)}`);
  }
  const stem = base.replace(/\/+$/, '');
  return `${stem}${path.map((e) => `/${e.ai}/${encodeValue(e.value)}`).join('')}${query.length ? `?${query.join('&')}` : ''}`;
}
