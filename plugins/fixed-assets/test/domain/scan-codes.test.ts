import { describe, expect, it } from 'vitest';
import { gs1CheckDigitOk, gtinForms, gtinSerialOf } from '../../src/domain/scan-codes.js';

// GTIN 09506000134352 is the example GTIN of the GS1 General Specifications and the GS1 Digital Link standard.
const GTIN = '09506000134352';

describe('GTIN and serial out of a scanned GS1 code', () => {
  it.each([
    ['human-readable', `(01)${GTIN}(21)SN-4711`],
    ['human-readable with a lot and an expiry first', `(17)271231(10)L42(01)${GTIN}(21)SN-4711`],
    ['human-readable with any other AI (the brackets delimit it)', `(01)${GTIN}(240)ABC(21)SN-4711`],
    ['element string', `01${GTIN}21SN-4711`],
    ['element string with a symbology identifier and FNC1 (GS) after the variable field', `]d2010${GTIN.slice(1)}10L42\u001d21SN-4711`],
    ['GS1 Digital Link', `https://id.gs1.org/01/${GTIN}/21/SN-4711?17=271231`],
    ['GS1 Digital Link with a GTIN-13', `https://example.com/shop/01/${GTIN.slice(1)}/21/SN-4711`],
  ])('%s', (_, code) => {
    expect(gtinSerialOf(code)).toEqual({ gtin14: GTIN, serial: 'SN-4711' });
  });

  it.each([
    ['no serial', `(01)${GTIN}`],
    ['a wrong check digit', '(01)09506000134353(21)X'],
    ['an asset tag', 'AST-2026-00042'],
    ['an AI it cannot step over in an element string', `01${GTIN}99X\u001d21Y`],
    ['a URL without AI 21', `https://id.gs1.org/01/${GTIN}`],
    ['an RFID EPC in hex', '3034257BF7194E4000001A85'],
    ['blank', '  '],
  ])('is not one with %s', (_, code) => {
    expect(gtinSerialOf(code)).toBeNull();
  });

  it('checks the mod-10 digit and lists the stored forms of a GTIN', () => {
    expect(gs1CheckDigitOk(GTIN)).toBe(true);
    expect(gs1CheckDigitOk('4006381333931')).toBe(true);
    expect(gs1CheckDigitOk('4006381333932')).toBe(false);
    expect(gtinForms(GTIN)).toEqual([GTIN, GTIN.slice(1)]);
    expect(gtinForms('00000012345670')).toEqual(['00000012345670', '0000012345670', '000012345670', '12345670']);
  });
});
