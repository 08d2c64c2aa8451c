/**
 * TypeBox building blocks that most plugin routes share, so every plugin's API speaks the same
 * dialect: uuids, ISO dates and instants, decimals as strings, pages, problem+json responses.
 */
import { Type, type TLiteral, type TSchema, type TUnion } from '@sinclair/typebox';

export const Uuid = Type.String({ format: 'uuid' });
export const IdParams = Type.Object({ id: Uuid }, { additionalProperties: false });
export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
type Literals<T extends readonly string[]> = { -readonly [K in keyof T]: TLiteral<T[K] & string> };
/** A union of string literals that keeps its literal types (for typed request bodies). */
export const lit = <const T extends readonly string[]>(xs: T): TUnion<Literals<T>> => Type.Union(xs.map((x) => Type.Literal(x))) as never;
/** A decimal in: a JSON number or a decimal string ("1249.90"). Out: always a string ({@link DecimalOut}). */
export const DecimalIn = Type.Union([Type.Number(), Type.String({ pattern: '^[+-]?(\\d+(\\.\\d*)?|\\.\\d+)$' })]);
export const DecimalOut = Type.String({ description: 'decimal number as a string' });
export const IsoDate = Type.String({ format: 'date' });
export const Instant = Type.String({ format: 'date-time' });

/** `limit` (1–500, default 50) and `offset` query parameters. */
export const PageQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
};
export const Page = <T extends TSchema>(item: T) => Type.Object({ data: Type.Array(item), total: Type.Integer(), limit: Type.Integer(), offset: Type.Integer() });
export const pageOf = (q: { limit?: number; offset?: number }) => ({ limit: q.limit ?? 50, offset: q.offset ?? 0 });

export const ProblemSchema = Type.Object({ type: Type.String(), title: Type.String(), status: Type.Integer() }, { additionalProperties: true });
/** Response schemas of the problem+json answers a route may give. */
export const errorResponses = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema, 409: ProblemSchema, 422: ProblemSchema };

/** Trim free text; blank becomes null. */
export const cleanText = (v: string | null | undefined): string | null => (v == null ? null : v.trim() || null);
