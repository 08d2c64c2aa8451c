/**
 * The reader setup form and the device settings it stands for (`ReaderSettingsSchema` of the
 * shared entry): antenna rows (port, zone, portal side), the de-duplication window, the RSSI
 * threshold and the portal window. Pure, so the JSON a form builds is tested on its own.
 *
 * Numbers are held as the text typed, so a half-typed "-" or an emptied field is the user's to
 * finish, not coerced. Empty numbers are left out of the settings (the adapter's defaults apply);
 * settings this form does not know (a reader on the generic JSON adapter may carry others) are
 * kept as they were.
 */
import type { ReaderSettings } from '../types';

export type PortalSideChoice = 'none' | 'outer' | 'inner';

export interface AntennaRow {
  /** Stable key for the list (rows are added and removed). */
  key: number;
  antenna: string;
  locationId: string;
  portalSide: PortalSideChoice;
}

export interface ReaderForm {
  antennas: AntennaRow[];
  dedupeWindowSeconds: string;
  rssiThresholdDbm: string;
  portalWindowSeconds: string;
}

/** The adapter's defaults, shown as placeholders. */
export const DEFAULTS = { dedupeWindowSeconds: 5, portalWindowSeconds: 10 } as const;

let nextKey = 1;
export const newAntennaRow = (antenna = ''): AntennaRow => ({ key: nextKey++, antenna, locationId: '', portalSide: 'none' });

const text = (v: unknown): string => (typeof v === 'number' && Number.isFinite(v) ? String(v) : '');
/** The number typed, null when empty, NaN when it is no number. */
const parse = (v: string): number | null => (v.trim() === '' ? null : /^-?\d+(\.\d+)?$/.test(v.trim()) ? Number(v.trim()) : NaN);

/** The form for a device's settings. */
export function formOf(settings: Record<string, unknown> | null | undefined): ReaderForm {
  const s = settings ?? {};
  const antennas: AntennaRow[] = [];
  for (const a of Array.isArray(s.antennas) ? s.antennas : []) {
    if (!a || typeof a !== 'object') continue;
    const r = a as Record<string, unknown>;
    antennas.push({
      key: nextKey++,
      antenna: text(r.antenna),
      locationId: typeof r.locationId === 'string' ? r.locationId : '',
      portalSide: r.portalSide === 'outer' || r.portalSide === 'inner' ? r.portalSide : 'none',
    });
  }
  return { antennas, dedupeWindowSeconds: text(s.dedupeWindowSeconds), rssiThresholdDbm: text(s.rssiThresholdDbm), portalWindowSeconds: text(s.portalWindowSeconds) };
}

const KNOWN = ['antennas', 'dedupeWindowSeconds', 'rssiThresholdDbm', 'portalWindowSeconds'];

/** The settings the form says (checked with `checkForm` first), on top of the settings it does not edit. */
export function settingsOf(form: ReaderForm, previous: Record<string, unknown> = {}): ReaderSettings & Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(previous)) if (!KNOWN.includes(k)) out[k] = v;
  out.antennas = form.antennas.map((r) => ({ antenna: parse(r.antenna), locationId: r.locationId, ...(r.portalSide !== 'none' ? { portalSide: r.portalSide } : {}) }));
  for (const k of ['dedupeWindowSeconds', 'rssiThresholdDbm', 'portalWindowSeconds'] as const) {
    const v = parse(form[k]);
    if (v !== null) out[k] = v;
  }
  return out as ReaderSettings & Record<string, unknown>;
}

/**
 * What the form cannot save, keyed as the server names settings fields
 * (`settings.antennas.0.locationId`), so its own errors land in the same places.
 */
export function checkForm(form: ReaderForm): Record<string, string> {
  const errors: Record<string, string> = {};
  const seen = new Map<number, number>();
  form.antennas.forEach((r, i) => {
    const at = `settings.antennas.${i}`;
    const antenna = parse(r.antenna);
    if (antenna === null) errors[`${at}.antenna`] = 'Give the antenna port';
    else if (!Number.isInteger(antenna) || antenna < 1 || antenna > 65535) errors[`${at}.antenna`] = 'A whole number from 1 to 65535';
    else if (seen.has(antenna)) errors[`${at}.antenna`] = `Antenna ${antenna} is already on row ${seen.get(antenna)! + 1}`;
    else seen.set(antenna, i);
    if (!r.locationId) errors[`${at}.locationId`] = 'Pick the zone this antenna watches';
  });
  const range = (k: keyof Omit<ReaderForm, 'antennas'>, ok: (n: number) => boolean, message: string) => {
    const v = parse(form[k]);
    if (v !== null && (Number.isNaN(v) || !ok(v))) errors[`settings.${k}`] = message;
  };
  range('dedupeWindowSeconds', (n) => n >= 0 && n <= 3600, 'Seconds from 0 to 3600');
  range('rssiThresholdDbm', (n) => n >= -200 && n <= 50, 'dBm from -200 to 50');
  range('portalWindowSeconds', (n) => n > 0 && n <= 3600, 'Seconds, more than 0 and at most 3600');
  return errors;
}

/** Whether the antennas make a portal (an outer and an inner side), or have one side only. */
export function portalState(form: ReaderForm): 'portal' | 'none' | 'one-sided' {
  const sides = new Set(form.antennas.map((a) => a.portalSide).filter((s) => s !== 'none'));
  if (sides.has('outer') && sides.has('inner')) return 'portal';
  return sides.size ? 'one-sided' : 'none';
}
