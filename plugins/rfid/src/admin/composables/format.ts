/** Formatting for the RFID pages: instants, RSSI, health and "3 min ago". */

export function formatInstant(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}

/** Time of day with seconds, for the live view where reads are seconds apart. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

export function dash(v: string | number | null | undefined): string {
  return v === null || v === undefined || v === '' ? '—' : String(v);
}

export function rssi(v: number | null | undefined): string {
  return v === null || v === undefined ? '—' : `${v} dBm`;
}

export type TagType = 'success' | 'warning' | 'info' | 'danger' | 'primary';

/** Health state → tag colour, as the core's device pages show it. */
const HEALTH_TAG: Record<string, TagType> = { ok: 'success', stale: 'warning', silent: 'info', 'never-seen': 'info', disabled: 'danger' };
export function healthTag(state: string): { type: TagType; label: string } {
  return { type: HEALTH_TAG[state] ?? 'info', label: state.replace(/-/g, ' ') };
}

/** "just now", "42 s ago", "5 min ago", "3 h ago", "2 d ago". */
export function relativeTime(iso: string | null | undefined, now: number): string {
  if (!iso) return 'never';
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return iso;
  const s = Math.round((now - then) / 1000);
  if (s < 5) return 'just now';
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86400)} d ago`;
}

/** The GS1 key of a tag or read, e.g. `GTIN 80614141123458 · serial 6789`. */
export function gs1Key(keyType: string | null | undefined, key: string | null | undefined, serial?: string | null): string {
  if (!keyType || !key) return '—';
  return `${keyType.toUpperCase()} ${key}${serial ? ` · serial ${serial}` : ''}`;
}
