import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { problems, type FieldError } from '@quartermaster/sdk';

const cache = new Map<string, ValidateFunction>();

/**
 * Compile on an Ajv of its own: a shared instance would keep every schema registered, so two
 * categories whose schemas carry the same `$id` would clash, and each check would leak a copy.
 */
function compile(schema: object): ValidateFunction {
  const ajv = new Ajv({ allErrors: true, strict: false });
  (addFormats as unknown as (a: Ajv) => void)(ajv);
  return ajv.compile(schema);
}

/** Check that a category's attribute schema is itself a valid JSON Schema describing an object. */
export function assertValidAttributeSchema(schema: unknown, field = 'attributeSchema') {
  if (schema === null || schema === undefined) return;
  if (typeof schema !== 'object' || Array.isArray(schema)) throw problems.validation([{ field, message: 'must be a JSON Schema object' }]);
  const s = schema as { type?: unknown };
  if (s.type !== undefined && s.type !== 'object') throw problems.validation([{ field, message: 'must describe an object (type "object")' }]);
  try {
    compile(schema as object);
  } catch (err) {
    throw problems.validation([{ field, message: `is not a valid JSON Schema: ${(err as Error).message}` }]);
  }
}

/** Validate an item's custom attributes against every schema on its category path (root first). */
export function validateAttributes(attributes: Record<string, unknown>, schemas: unknown[]): FieldError[] {
  const errors: FieldError[] = [];
  for (const schema of schemas) {
    if (!schema) continue;
    const key = JSON.stringify(schema);
    let validate = cache.get(key);
    if (!validate) {
      validate = compile(schema as object);
      cache.set(key, validate);
    }
    if (!validate(attributes)) {
      for (const e of validate.errors ?? []) {
        const path = e.instancePath.split('/').filter(Boolean);
        if (e.keyword === 'required') path.push(String(e.params.missingProperty));
        errors.push({ field: ['attributes', ...path].join('.'), message: e.keyword === 'required' ? 'is required' : e.message ?? 'is invalid' });
      }
    }
  }
  return errors;
}
