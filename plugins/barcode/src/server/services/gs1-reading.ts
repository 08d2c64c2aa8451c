/**
 * GS1 data as the server meets it: parsed against the server's clock, refused as 422 problems, and
 * turned into identifier lookups for the core's registry.
 */
import { ProblemError } from '@quartermaster/sdk';
import type { IdentifierInterpretation, IdentifierParser } from '@quartermaster/core';
import { GS, Gs1Error, ZplError, isDigitalLinkPrimaryKey, parseGs1, type Gs1Element, type Gs1ParseResult } from '../../domain/index.js';

/** The server's current UTC date, "YYYY-MM-DD"; it places two-digit GS1 years in their century (§7.12). */
export const utcToday = (now: Date = new Date()): string => now.toISOString().slice(0, 10);

/** A Gs1Error as the 422 problem every route answers: `detail` is the reason, code/ai/position say where. */
export function gs1Problem(error: Gs1Error, field = 'data'): ProblemError {
  return new ProblemError({
    type: 'gs1-invalid',
    status: 422,
    title: 'Invalid GS1 data',
    detail: error.message,
    extensions: { code: error.code, ai: error.ai ?? null, position: error.position ?? null, field },
  });
}

/** A ZplError (a label that does not fit its layout) as a 422 problem. */
export function zplProblem(error: ZplError): ProblemError {
  return new ProblemError({ type: 'barcode/invalid-label', status: 422, title: 'Label cannot be laid out', detail: error.message, extensions: { code: error.code, field: error.field } });
}

/** Run `work`, answering the domain's errors as 422 problems. */
export function asProblem<R>(work: () => R, field = 'data'): R {
  try {
    return work();
  } catch (error) {
    if (error instanceof Gs1Error) throw gs1Problem(error, field);
    if (error instanceof ZplError) throw zplProblem(error);
    throw error;
  }
}

/**
 * A scanned value read as GS1 data, or null when it is not GS1. Anything with a GS1 form of its own
 * counts (a symbology identifier, an FNC1/GS separator, the bracketed form, a Digital Link URI, a
 * plain GTIN with a valid check digit); a bare element string only when it carries a GS1 key
 * (GTIN, SSCC, GIAI…), so a location code like "10A" or "21-B" is not taken for a lot or a serial.
 */
export function readScan(value: string, today: string): Gs1ParseResult | null {
  let result: Gs1ParseResult;
  try {
    result = parseGs1(value, { today });
  } catch (error) {
    if (error instanceof Gs1Error) return null;
    throw error;
  }
  if (result.source !== 'element-string' || result.symbology || value.includes(GS)) return result;
  return result.elements.some((e) => isDigitalLinkPrimaryKey(e.ai)) ? result : null;
}

/** The forms a GTIN-14 may be stored under: itself and, where its leading zeros allow, GTIN-13, -12 and -8. */
export function gtinForms(gtin14: string): string[] {
  const forms = [gtin14];
  if (gtin14.startsWith('0')) forms.push(gtin14.slice(1));
  if (gtin14.startsWith('00')) forms.push(gtin14.slice(2));
  if (gtin14.startsWith('000000')) forms.push(gtin14.slice(6));
  return forms;
}

export const element = (parsed: Gs1ParseResult, ai: string): Gs1Element | undefined => parsed.elements.find((e) => e.ai === ai);

/**
 * The core identifier lookups a GS1 scan stands for:
 * - (01) GTIN → `gtin`, in its 14-digit form and the shorter forms items are often registered under;
 * - (21) serial → `serial` (with the GTIN in `data`);
 * - (8004) GIAI and (8003) GRAI → `asset-tag`: individual and returnable assets are labelled with
 *   them, so an asset whose tag (or asset-tag identifier) is the GIAI resolves;
 * - (00) SSCC and (414) GLN → `custom` (the registry has no type of their own), `data.gs1Key` says which.
 * Every interpretation carries in `data` the HRI and, when scanned, the lot (10), the expiry (17)
 * as an ISO date and the serial (21).
 */
export function gs1Interpretations(parsed: Gs1ParseResult): IdentifierInterpretation[] {
  const lot = element(parsed, '10');
  const expiry = element(parsed, '17');
  const serial = element(parsed, '21');
  const data: Record<string, unknown> = { hri: parsed.hri, source: parsed.source };
  if (lot) data.lot = lot.value;
  if (expiry?.date) data.expiresOn = expiry.date;
  if (serial) data.serial = serial.value;
  const out: IdentifierInterpretation[] = [];
  const gtin = element(parsed, '01');
  if (gtin) for (const value of gtinForms(gtin.value)) out.push({ type: 'gtin', value, data: { ...data, gs1Key: 'gtin' } });
  if (serial) out.push({ type: 'serial', value: serial.value, data: { ...data, gs1Key: 'serial', ...(gtin ? { gtin: gtin.value } : {}) } });
  const keys: Array<[ai: string, type: IdentifierInterpretation['type'], key: string]> = [
    ['8004', 'asset-tag', 'giai'],
    ['8003', 'asset-tag', 'grai'],
    ['00', 'custom', 'sscc'],
    ['414', 'custom', 'gln'],
  ];
  for (const [ai, type, key] of keys) {
    const e = element(parsed, ai);
    if (e) out.push({ type, value: e.value, data: { ...data, gs1Key: key } });
  }
  return out;
}

/** The core identifier parser: GS1 scans become lookups, anything else is not ours (empty). */
export function gs1IdentifierParser(clock: () => Date = () => new Date()): IdentifierParser {
  return {
    id: 'barcode.gs1',
    parse(raw) {
      const parsed = readScan(raw, utcToday(clock()));
      return parsed ? gs1Interpretations(parsed) : [];
    },
  };
}
