/** Formatting for tables: dates, decimals (which stay strings end to end), CSV. */

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString();
}

export function formatDate(isoDate: string | null | undefined): string {
  return isoDate ? isoDate.slice(0, 10) : '—';
}

/** Dash for null; decimals are shown as the server wrote them. */
export function dash(v: string | number | null | undefined): string {
  return v === null || v === undefined || v === '' ? '—' : String(v);
}

export function today(): string {
  return isoDay(new Date());
}

export function isoDay(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;
export const isDecimal = (s: string) => DECIMAL.test(s.trim());

/** `a + b` for non-negative decimal strings, exactly (no binary floats on quantities). */
export function addDecimal(a: string, b: string): string {
  const [ai, af = ''] = a.trim().split('.');
  const [bi, bf = ''] = b.trim().split('.');
  const scale = Math.max(af.length, bf.length);
  const toInt = (i: string, f: string) => BigInt((i || '0') + f.padEnd(scale, '0'));
  const sum = (toInt(ai!, af) + toInt(bi!, bf)).toString().padStart(scale + 1, '0');
  if (!scale) return sum;
  const frac = sum.slice(-scale).replace(/0+$/, '');
  return sum.slice(0, -scale) + (frac ? '.' + frac : '');
}

/** One CSV cell: quoted when needed, and guarded against spreadsheet formula injection. */
export function csvCell(v: unknown): string {
  let s = v === null || v === undefined ? '' : String(v);
  if (/^[=+\-@\t\r]/.test(s) && !DECIMAL.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(header: string[], rows: unknown[][]): string {
  return [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/** Offer text as a file download (no-op where the browser cannot, e.g. in tests). */
export function download(filename: string, text: string, type = 'text/csv;charset=utf-8') {
  if (typeof URL.createObjectURL !== 'function') return;
  const url = URL.createObjectURL(new Blob(['\ufeff' + text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
