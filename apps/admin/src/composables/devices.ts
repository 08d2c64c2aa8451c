/** Small pure helpers the device pages share: health tags, "3 min ago", settings JSON and its schema help. */
import type { DeviceAdapterInfo } from '../api/types';

export type TagType = 'success' | 'warning' | 'info' | 'danger' | 'primary';

/** Health state → tag colour: ok green, stale orange, silent / never seen grey, disabled red. */
const HEALTH_TAG: Record<string, TagType> = { ok: 'success', stale: 'warning', silent: 'info', 'never-seen': 'info', disabled: 'danger' };

export function healthTag(state: string): { type: TagType; label: string } {
  return { type: HEALTH_TAG[state] ?? 'info', label: state.replace(/-/g, ' ') };
}

/** "just now", "42 s ago", "5 min ago", "3 h ago", "2 d ago" — for a timestamp shown with its absolute time as a title. */
export function relativeTime(iso: string | null | undefined, now: number): string {
  if (!iso) return 'never';
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return iso;
  const s = Math.round((now - then) / 1000);
  // A device clock or ours a little ahead: not worth "in 2 s".
  if (s < 5) return 'just now';
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86400)} d ago`;
}

/** Device settings text as an object, or the reason it is not one (the server wants a JSON object). */
export function parseSettings(text: string): { settings: Record<string, unknown> } | { error: string } {
  if (!text.trim()) return { settings: {} };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    return { error: `Not valid JSON: ${(err as Error).message}` };
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return { error: 'Settings must be a JSON object, e.g. {}' };
  return { settings: parsed as Record<string, unknown> };
}

export interface SettingHelp {
  name: string;
  type: string;
  required: boolean;
  description: string | null;
  default: string | null;
}

interface JsonSchema {
  type?: string | string[];
  const?: unknown;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  items?: JsonSchema;
  minimum?: number;
  maximum?: number;
  description?: string;
  default?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
}

function typeOf(s: JsonSchema): string {
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(' | ');
  if (s.anyOf) return s.anyOf.map(typeOf).join(' | ');
  const t = Array.isArray(s.type) ? s.type.join(' | ') : (s.type ?? 'any');
  if (t === 'array') return `array of ${s.items ? typeOf(s.items) : 'any'}`;
  const range = [s.minimum !== undefined ? `≥ ${s.minimum}` : '', s.maximum !== undefined ? `≤ ${s.maximum}` : ''].filter(Boolean).join(', ');
  return range ? `${t} (${range})` : t;
}

/** The top-level settings an adapter's JSON schema describes, for the help under the settings editor. */
export function settingsHelp(adapter: DeviceAdapterInfo | undefined | null): SettingHelp[] {
  const schema = adapter?.settingsSchema as JsonSchema | null | undefined;
  if (!schema?.properties) return [];
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties).map(([name, p]) => ({
    name,
    type: typeOf(p),
    required: required.has(name),
    description: p.description ?? null,
    default: p.default !== undefined ? JSON.stringify(p.default) : null,
  }));
}

/** Adapters that serve a device kind, the generic one first (the server's default). */
export function adaptersFor(adapters: DeviceAdapterInfo[], kind: string): DeviceAdapterInfo[] {
  return adapters
    .filter((a) => a.kinds.includes(kind))
    .sort((a, b) => Number(b.id === 'generic-json') - Number(a.id === 'generic-json') || a.label.localeCompare(b.label));
}

/** One line that says what a raw reading carried, for its table row. */
export function readingSummary(kind: string, r: Record<string, unknown>): string {
  const v = (k: string) => (r[k] === undefined || r[k] === null ? '' : String(r[k]));
  switch (kind) {
    case 'scan':
      return v('data');
    case 'tag-read':
      return [v('epc'), r.antenna != null ? `antenna ${v('antenna')}` : '', r.rssi != null ? `${v('rssi')} dBm` : ''].filter(Boolean).join(' · ');
    case 'position':
      return `${v('latitude')}, ${v('longitude')}${r.valid === false ? ' (no fix)' : ''}`;
    case 'measurement':
      return `${v('channel')} = ${v('value')}${r.unit ? ` ${v('unit')}` : ''}`;
    default:
      return '';
  }
}
