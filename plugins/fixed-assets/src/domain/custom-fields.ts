/**
 * Custom fields per category: a category lists the extra fields its assets carry (a vehicle's
 * licence plate, a laptop's RAM), and an asset's values are checked against the definitions of
 * its category and every category above it. Pure.
 *
 * A deliberately small vocabulary (text, number, integer, date, boolean, select) rather than
 * free JSON Schema: the console can render a form from it, and every error names the field.
 */
import { CUSTOM_FIELD_TYPES, type CustomFieldType } from '../shared/constants.js';

export interface CustomFieldDefinition {
  /** Stored key: `licencePlate`. */
  key: string;
  /** What the form shows: `Licence plate`. */
  label: string;
  type: CustomFieldType;
  required?: boolean;
  /** `select`: the allowed values. */
  options?: string[];
  /** `number` / `integer`: bounds, inclusive. */
  min?: number;
  max?: number;
  /** `text`: longest value. */
  maxLength?: number;
}

export interface FieldProblem {
  field: string;
  message: string;
}

export const FIELD_KEY_RE = /^[a-z][A-Za-z0-9_]{0,62}$/;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written `YYYY-MM-DD`. */
export function isIsoDate(v: string): boolean {
  const m = DATE_RE.exec(v);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
}

/** Rules the shape of a definition cannot express: unique keys, options for selects, sensible bounds. */
export function checkFieldDefinitions(defs: CustomFieldDefinition[], field = 'fields'): FieldProblem[] {
  const errors: FieldProblem[] = [];
  const seen = new Set<string>();
  defs.forEach((d, i) => {
    const at = `${field}.${i}`;
    if (!FIELD_KEY_RE.test(d.key)) errors.push({ field: `${at}.key`, message: 'must start with a lower-case letter and contain only letters, digits and "_"' });
    else if (seen.has(d.key)) errors.push({ field: `${at}.key`, message: `"${d.key}" is defined twice` });
    seen.add(d.key);
    if (!d.label.trim()) errors.push({ field: `${at}.label`, message: 'must not be blank' });
    if (!(CUSTOM_FIELD_TYPES as readonly string[]).includes(d.type)) errors.push({ field: `${at}.type`, message: `must be one of: ${CUSTOM_FIELD_TYPES.join(', ')}` });
    if (d.type === 'select') {
      if (!d.options?.length) errors.push({ field: `${at}.options`, message: 'a select field needs its options' });
      else if (new Set(d.options).size !== d.options.length) errors.push({ field: `${at}.options`, message: 'lists a value twice' });
    } else if (d.options !== undefined) errors.push({ field: `${at}.options`, message: 'only select fields have options' });
    const numeric = d.type === 'number' || d.type === 'integer';
    if (!numeric && (d.min !== undefined || d.max !== undefined)) errors.push({ field: `${at}.${d.min !== undefined ? 'min' : 'max'}`, message: 'only number and integer fields have bounds' });
    if (numeric && d.min !== undefined && d.max !== undefined && d.min > d.max) errors.push({ field: `${at}.max`, message: 'must not be below min' });
    if (d.maxLength !== undefined && d.type !== 'text') errors.push({ field: `${at}.maxLength`, message: 'only text fields have a maximum length' });
  });
  return errors;
}

/**
 * Check an asset's values against the definitions that apply to it (its category's and its
 * ancestors'). Keys nobody defines are refused, so a typo never silently stores a new field.
 */
export function validateCustomFields(values: Record<string, unknown>, defs: CustomFieldDefinition[], field = 'customFields'): FieldProblem[] {
  const errors: FieldProblem[] = [];
  const byKey = new Map(defs.map((d) => [d.key, d]));
  for (const key of Object.keys(values)) {
    if (!byKey.has(key)) errors.push({ field: `${field}.${key}`, message: defs.length ? 'is not a field of this category' : 'this category has no custom fields' });
  }
  for (const d of defs) {
    const at = `${field}.${d.key}`;
    const v = values[d.key];
    if (v === undefined || v === null || v === '') {
      if (d.required) errors.push({ field: at, message: 'is required' });
      continue;
    }
    const problem = valueProblem(d, v);
    if (problem) errors.push({ field: at, message: problem });
  }
  return errors;
}

function valueProblem(d: CustomFieldDefinition, v: unknown): string | null {
  switch (d.type) {
    case 'text':
      if (typeof v !== 'string') return 'must be text';
      if (d.maxLength !== undefined && v.length > d.maxLength) return `must be at most ${d.maxLength} characters`;
      return null;
    case 'number':
    case 'integer':
      if (typeof v !== 'number' || !Number.isFinite(v)) return 'must be a number';
      if (d.type === 'integer' && !Number.isInteger(v)) return 'must be a whole number';
      if (d.min !== undefined && v < d.min) return `must be at least ${d.min}`;
      if (d.max !== undefined && v > d.max) return `must be at most ${d.max}`;
      return null;
    case 'date':
      return typeof v === 'string' && isIsoDate(v) ? null : 'must be a date (YYYY-MM-DD)';
    case 'boolean':
      return typeof v === 'boolean' ? null : 'must be true or false';
    case 'select':
      return typeof v === 'string' && d.options!.includes(v) ? null : `must be one of: ${d.options!.join(', ')}`;
  }
}

/** Definitions of a category path, root first; a lower category's definition of a key replaces its ancestor's. */
export function mergeDefinitions(path: CustomFieldDefinition[][]): CustomFieldDefinition[] {
  const merged = new Map<string, CustomFieldDefinition>();
  for (const defs of path) for (const d of defs) merged.set(d.key, d);
  return [...merged.values()];
}
