/**
 * Scanner input as the console reads it. GS (ASCII 29) is GS1's FNC1 separator after a
 * variable-length element (lot, serial…); keyboard-wedge scanners that cannot type a control
 * character are often set up to send a visible stand-in instead: `<GS>`, `{GS}` or `^]` (caret
 * notation for Ctrl+], the key that types GS). They all become GS here, before the server reads
 * the data.
 */
export const GS = '\u001d';

const SUBSTITUTES = /<GS>|\{GS\}|\^\]/gi;

/** Stand-ins for GS replaced by GS; other control characters (CR, LF, tab…) dropped; trimmed. */
export function normalizeScan(raw: string): string {
  // eslint-disable-next-line no-control-regex
  return raw.replace(SUBSTITUTES, GS).replace(/[\u0000-\u001c\u001e\u001f\u007f]/g, '').trim();
}

/** For showing scanned data to a person: GS as a visible mark. */
export function showGs(value: string): string {
  return value.split(GS).join('⟨GS⟩');
}
