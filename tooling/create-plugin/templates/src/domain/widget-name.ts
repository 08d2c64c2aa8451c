/**
 * Widget names as people type them: surrounding spaces trimmed, runs of white space made one
 * space, and a key that ignores case so "Blue  Bin" and "blue bin" are the same widget.
 * Pure: no I/O, so it is tested without a database.
 */
import { WIDGET_NAME_MAX } from '../shared/constants.js';

export type WidgetNameResult = { ok: true; name: string; key: string } | { ok: false; message: string };

export function normaliseWidgetName(raw: string): WidgetNameResult {
  // Control characters never belong in a name; tabs and line breaks (pasted from spreadsheets) become spaces.
  if ([...raw].some(isControl)) return { ok: false, message: 'must not contain control characters' };
  const name = raw.normalize('NFC').replace(/\s+/g, ' ').trim();
  if (!name) return { ok: false, message: 'must not be blank' };
  const length = [...name].length;
  if (length > WIDGET_NAME_MAX) return { ok: false, message: `must be at most ${WIDGET_NAME_MAX} characters (got ${length})` };
  return { ok: true, name, key: name.toLocaleLowerCase('en') };
}

function isControl(ch: string): boolean {
  const c = ch.codePointAt(0)!;
  return (c < 0x20 && ch !== '\t' && ch !== '\n' && ch !== '\r') || c === 0x7f;
}
