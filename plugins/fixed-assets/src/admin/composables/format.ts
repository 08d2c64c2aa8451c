/** Formatting for tables: dates, money (which stays a decimal string end to end), sizes. */

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

export function money(amount: string | null | undefined, currency?: string | null): string {
  return amount === null || amount === undefined || amount === '' ? '—' : currency ? `${amount} ${currency}` : amount;
}

export function today(): string {
  return isoDay(new Date());
}

/** Local calendar day `YYYY-MM-DD`. */
export function isoDay(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;
export const isDecimal = (s: string) => DECIMAL.test(s.trim());

/** Blank text becomes null (the register clears a field with null). */
export const orNull = (s: string | null | undefined): string | null => (s == null || !s.trim() ? null : s.trim());
