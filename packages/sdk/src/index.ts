/**
 * `@quartermaster/sdk` — the contract a Quartermaster plugin is written against.
 *
 * @packageDocumentation
 */
import './formats.js';
export * from './plugin.js';
export * from './events.js';
export * from './extension-points.js';
export * from './problems.js';
export * from './resolve.js';
export * from './csv.js';
export * from './schemas.js';
export * from './devices.js';
export * from './posting-periods.js';
export * from './catalogue.js';
export type { TypeBoxTypeProviderLike } from './type-provider.js';
export { Type } from '@sinclair/typebox';
export type { Static, TSchema, TObject } from '@sinclair/typebox';
