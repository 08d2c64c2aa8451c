/**
 * Reading a GTIN and a serial number out of a scanned GS1 code, so an asset labelled with the
 * manufacturer's GS1 barcode (GTIN of its model + its serial, AI 01 + AI 21) is recognised without
 * an own tag. Pure: no I/O.
 *
 * Accepted forms (GS1 General Specifications §3, GS1 Digital Link 1.2):
 * - human-readable: `(01)09506000134352(21)SN-4711`, other AIs (10, 11, 13, 15, 17) in between;
 * - the raw element string a scanner sends, optionally with a symbology identifier (`]C1`, `]d2`,
 *   `]Q3`, `]e0`) and FNC1 sent as GS (0x1D) after variable-length fields;
 * - a GS1 Digital Link URI: `https://id.example.com/01/09506000134352/21/SN-4711`.
 */

export interface GtinSerial {
  /** The GTIN as 14 digits. */
  gtin14: string;
  serial: string;
}

const GS = '\u001d';
/** Fixed-length AIs that may appear in an asset label, by AI → length of the data. */
const FIXED: Record<string, number> = { '01': 14, '11': 6, '13': 6, '15': 6, '17': 6 };
/** Variable-length AIs we step over or read (max lengths per the GS1 spec). */
const VARIABLE: Record<string, number> = { '10': 20, '21': 20 };

/** GS1 mod-10 check digit over every digit but the last. */
export function gs1CheckDigitOk(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  const d = [...digits].map(Number);
  const check = d.pop()!;
  const sum = d.reverse().reduce((s, x, i) => s + x * (i % 2 === 0 ? 3 : 1), 0);
  return (10 - (sum % 10)) % 10 === check;
}

const result = (gtin: string | undefined, serial: string | undefined): GtinSerial | null => {
  if (!gtin || !serial || gtin.length !== 14 || !gs1CheckDigitOk(gtin)) return null;
  return { gtin14: gtin, serial };
};

function fromBrackets(s: string): GtinSerial | null {
  if (!/^\(\d{2,4}\)/.test(s)) return null;
  const fields = new Map<string, string>();
  const re = /\((\d{2,4})\)([^(]*)/g;
  let m: RegExpExecArray | null;
  let consumed = 0;
  while ((m = re.exec(s))) {
    if (m.index !== consumed) return null;
    fields.set(m[1], m[2].trim());
    consumed = re.lastIndex;
  }
  if (consumed !== s.length) return null;
  return result(fields.get('01'), fields.get('21'));
}

function fromElementString(raw: string): GtinSerial | null {
  let s = raw.replace(/^\](C1|d2|Q3|e0|J1)/, '');
  if (!/^\d{2}/.test(s)) return null;
  let gtin: string | undefined;
  let serial: string | undefined;
  while (s.length) {
    if (s.startsWith(GS)) {
      s = s.slice(1);
      continue;
    }
    const ai = s.slice(0, 2);
    if (FIXED[ai] !== undefined) {
      const data = s.slice(2, 2 + FIXED[ai]);
      if (data.length !== FIXED[ai] || !/^\d+$/.test(data)) return null;
      if (ai === '01') gtin = data;
      s = s.slice(2 + FIXED[ai]);
    } else if (VARIABLE[ai] !== undefined) {
      const end = s.indexOf(GS, 2);
      const data = end < 0 ? s.slice(2) : s.slice(2, end);
      if (!data.length || data.length > VARIABLE[ai]) return null;
      if (ai === '21') serial = data;
      s = end < 0 ? '' : s.slice(end + 1);
    } else return null;
  }
  return result(gtin, serial);
}

function fromDigitalLink(s: string): GtinSerial | null {
  let url: URL;
  try {
    url = new URL(s);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  const parts = url.pathname.split('/').filter(Boolean).map((p) => decodeURIComponent(p));
  const at = parts.indexOf('01');
  if (at < 0 || parts[at + 2] !== '21') return null;
  const gtin = parts[at + 1]?.padStart(14, '0');
  return result(gtin, parts[at + 3]);
}

/** The GTIN and serial a scanned value carries, or null when it is not a GS1 code with both. */
export function gtinSerialOf(raw: string): GtinSerial | null {
  const s = raw.trim();
  if (!s) return null;
  if (s.startsWith('(')) return fromBrackets(s);
  if (/^https?:\/\//i.test(s)) return fromDigitalLink(s);
  return fromElementString(s);
}

/** The forms a GTIN-14 may be stored in (GTIN-14, -13, -12, -8 when the leading digits are zeros). */
export function gtinForms(gtin14: string): string[] {
  const forms = [gtin14];
  for (const len of [13, 12, 8]) if (/^0+$/.test(gtin14.slice(0, 14 - len))) forms.push(gtin14.slice(14 - len));
  return forms;
}
