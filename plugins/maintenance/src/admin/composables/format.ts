/** Formatting for pages: dates, money (a decimal string end to end), minutes, sizes. */

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function formatDate(isoDate: string | null | undefined): string {
  return isoDate ? isoDate.slice(0, 10) : '—';
}

export function dash(v: string | number | null | undefined): string {
  return v === null || v === undefined || v === '' ? '—' : String(v);
}

export function money(amount: string | null | undefined, currency?: string | null): string {
  return amount === null || amount === undefined || amount === '' ? '—' : currency ? `${amount} ${currency}` : amount;
}

/** `90` → `1 h 30 min`; null → `—`. */
export function minutes(n: number | null | undefined): string {
  if (n === null || n === undefined) return '—';
  const h = Math.floor(n / 60);
  const m = n % 60;
  return h ? (m ? `${h} h ${m} min` : `${h} h`) : `${m} min`;
}

export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Local calendar day `YYYY-MM-DD`. */
export function isoDay(d: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;
/**
 * A number as typed on a phone, as the API's decimal text: trims, and takes one decimal comma
 * (`12,5`) as a point. Undefined when it is not a number.
 */
export function decimalText(s: string): string | undefined {
  const t = s.trim().replace(/^([+-]?\d*),(\d+)$/, '$1.$2');
  return DECIMAL.test(t) ? t : undefined;
}

/** Blank text becomes null (the API clears a field with null). */
export const orNull = (s: string | null | undefined): string | null => (s == null || !s.trim() ? null : s.trim());

/** A file as base64 (without the `data:…;base64,` prefix), as the API takes attachments. */
export function base64Of(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error ?? new Error('The file could not be read'));
    reader.readAsDataURL(file);
  });
}
