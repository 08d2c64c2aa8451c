/**
 * Exact arithmetic on decimal strings for what the console shows or sends (percentages, line
 * amounts, serial counts): quantities and money never pass through binary floats.
 */
import { isDecimal } from './format';

interface Parts {
  neg: boolean;
  int: bigint;
  scale: number;
}

function parse(s: string): Parts {
  const t = s.trim();
  const neg = t.startsWith('-');
  const [i = '', f = ''] = t.replace(/^[+-]/, '').split('.');
  return { neg, int: BigInt((i || '0') + f), scale: f.length };
}

function format({ neg, int, scale }: Parts): string {
  let digits = int.toString().padStart(scale + 1, '0');
  let out = digits;
  if (scale) {
    const frac = digits.slice(-scale).replace(/0+$/, '');
    digits = digits.slice(0, -scale);
    out = digits + (frac ? '.' + frac : '');
  }
  return neg && int !== 0n ? '-' + out : out;
}

/** `s × 10^places` (negative places divide): `shiftDecimal('95', -2)` is `'0.95'`. */
export function shiftDecimal(s: string, places: number): string {
  const p = parse(s);
  if (places >= 0) return format({ ...p, int: p.int * 10n ** BigInt(places) });
  return format({ ...p, scale: p.scale - places });
}

/** `a × b`, exactly. */
export function mulDecimal(a: string, b: string): string {
  const x = parse(a);
  const y = parse(b);
  return format({ neg: x.neg !== y.neg, int: x.int * y.int, scale: x.scale + y.scale });
}

/** `a × b` rounded half-even to `places` decimals, with trailing zeros kept (`'12.50'`). */
export function mulMoney(a: string, b: string, places = 2): string {
  const x = parse(a);
  const y = parse(b);
  let int = x.int * y.int;
  const scale = x.scale + y.scale;
  if (scale > places) {
    const div = 10n ** BigInt(scale - places);
    const q = int / div;
    const r = int % div;
    const twice = r * 2n;
    int = twice > div || (twice === div && q % 2n === 1n) ? q + 1n : q;
  } else int *= 10n ** BigInt(places - scale);
  const s = format({ neg: false, int, scale: 0 }).padStart(places + 1, '0');
  const out = places ? `${s.slice(0, -places)}.${s.slice(-places)}` : s;
  return x.neg !== y.neg && int !== 0n ? '-' + out : out;
}

/** Sum of decimal strings (signed), exactly. */
export function sumDecimal(values: string[]): string {
  const parts = values.filter((v) => isDecimal(v)).map(parse);
  const scale = Math.max(0, ...parts.map((p) => p.scale));
  let total = 0n;
  for (const p of parts) total += (p.neg ? -1n : 1n) * p.int * 10n ** BigInt(scale - p.scale);
  return format({ neg: total < 0n, int: total < 0n ? -total : total, scale });
}

/** Compare two decimal strings: negative, zero or positive. */
export function compareDecimal(a: string, b: string): number {
  const d = sumDecimal([a, b.trim().startsWith('-') ? b.trim().slice(1) : '-' + b.trim().replace(/^\+/, '')]);
  return d.startsWith('-') ? -1 : d === '0' ? 0 : 1;
}
