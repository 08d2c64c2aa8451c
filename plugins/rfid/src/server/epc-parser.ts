/**
 * Interpretations of a scanned or typed EPC for the core's identifier resolution
 * (`GET /api/core/identifiers/resolve`): the EPC itself, and the GS1 key it carries — the GTIN of
 * an SGTIN (the item), the GIAI of a GIAI (an asset tag). Accepts the hex of the EPC bank or a tag URI.
 */
import type { IdentifierInterpretation, IdentifierParser } from '@quartermaster/core';
import { EpcError, encodeEpc } from '../domain/index.js';
import { tryDecode } from './services/resolve.js';

export const epcParser: IdentifierParser = {
  id: 'rfid.epc',
  parse(raw) {
    const text = raw.trim();
    let hex: string | null = null;
    if (/^urn:epc:tag:/i.test(text)) {
      try {
        hex = encodeEpc({ tagUri: text }).hex;
      } catch (err) {
        if (err instanceof EpcError) return [];
        throw err;
      }
    } else if (/^([0-9A-Fa-f]{4}){4,31}$/.test(text)) hex = text.toUpperCase();
    if (!hex) return [];
    const d = tryDecode(hex);
    if (!d) return [];
    const data = { scheme: d.scheme, pureIdentityUri: d.pureIdentityUri, tagUri: d.tagUri, hri: d.hri };
    const out: IdentifierInterpretation[] = [{ type: 'epc', value: d.hex, data }];
    if ('gtin' in d) out.push({ type: 'gtin', value: d.gtin, data: { serial: d.serial, epc: d.hex } });
    if ('giai' in d) out.push({ type: 'asset-tag', value: d.giai, data: { epc: d.hex } });
    return out;
  },
};
