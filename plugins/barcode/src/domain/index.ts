/**
 * The barcode domain: GS1 Application Identifiers, element strings, the bracketed human-readable
 * form, GS1 Digital Link URIs, check digits, key allocation, ZPL labels and Zebra `~HS` host
 * status. Pure functions, no I/O, no clock (callers pass `today`).
 */
export { Gs1Error, type Gs1ErrorCode, type Gs1ErrorDetails } from './errors.js';
export * from './types.js';
export * from './check-digit.js';
export * from './ai-table.js';
export * from './dates.js';
export { checkAiValue, interpretAiValue, placeDecimalPoint, type AiValueMeaning } from './ai-value.js';
export * from './gs1.js';
export { readDigitalLink, toDigitalLink } from './digital-link.js';
export * from './keys.js';
export * from './zpl.js';
export * from './host-status.js';
