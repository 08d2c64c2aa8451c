import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance } from 'fastify';

function makeAjv(coerce: boolean) {
  const ajv = new Ajv({
    allErrors: true, // report every bad field at once
    removeAdditional: false, // unknown fields are refused, not silently dropped
    useDefaults: true,
    coerceTypes: coerce ? 'array' : false,
    strict: false,
  });
  (addFormats as unknown as (a: Ajv) => void)(ajv);
  return ajv;
}

/**
 * Query strings, path parameters and headers arrive as text, so they are coerced (`?limit=10`);
 * JSON bodies are not: `{"name": 12345}` or `{"archived": null}` is a 400, never a silent conversion.
 */
export function installValidators(app: FastifyInstance) {
  const strict = makeAjv(false);
  const coercing = makeAjv(true);
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? strict : coercing).compile(schema));
}
