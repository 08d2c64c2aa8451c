import type { FastifyTypeProvider } from 'fastify';
import type { Static, TSchema } from '@sinclair/typebox';

/**
 * Structurally the same as `@fastify/type-provider-typebox`'s provider, declared here so the SDK
 * does not need that package at run time.
 */
export interface TypeBoxTypeProviderLike extends FastifyTypeProvider {
  validator: this['schema'] extends TSchema ? Static<this['schema']> : unknown;
  serializer: this['schema'] extends TSchema ? Static<this['schema']> : unknown;
}
