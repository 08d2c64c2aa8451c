import type { CustomFieldDefinition } from '../types';

/**
 * Form values → what the register stores: numbers as JSON numbers, blanks left out. Client-side
 * problems (not a number, a required field left blank) are returned keyed `customFields.<key>`,
 * like the server names them.
 */
export function customFieldValues(defs: CustomFieldDefinition[], form: Record<string, unknown>): { values: Record<string, unknown>; errors: Record<string, string> } {
  const values: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const d of defs) {
    const raw = form[d.key];
    if (d.type === 'boolean') {
      // A checkbox always has a value: unticked is false.
      values[d.key] = raw === true;
      continue;
    }
    const blank = raw === undefined || raw === null || (typeof raw === 'string' && !raw.trim());
    if (blank) {
      if (d.required) errors[`customFields.${d.key}`] = 'is required';
      continue;
    }
    if (d.type === 'number' || d.type === 'integer') {
      const n = Number(String(raw).trim());
      if (!Number.isFinite(n) || (d.type === 'integer' && !Number.isInteger(n))) errors[`customFields.${d.key}`] = d.type === 'integer' ? 'must be a whole number' : 'must be a number';
      else values[d.key] = n;
    } else values[d.key] = String(raw).trim();
  }
  return { values, errors };
}

/** Stored values → form values (numbers shown as text). */
export function customFieldForm(defs: CustomFieldDefinition[], stored: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const d of defs) {
    const v = stored[d.key];
    if (v === undefined || v === null) continue;
    out[d.key] = d.type === 'number' || d.type === 'integer' ? String(v) : v;
  }
  return out;
}
