import { Type, type TSchema } from '@quartermaster/sdk';
import type { TLiteral, TUnion } from '@sinclair/typebox';
import { ASSET_CONDITIONS, ASSET_STATUSES, BOOKING_HOLDER_TYPES, CUSTODY_HOLDER_TYPES, DISPOSAL_KINDS, HolderSchema } from '../../shared/index.js';

export const Uuid = Type.String({ format: 'uuid' });
export const IdParams = Type.Object({ id: Uuid }, { additionalProperties: false });
export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
type Literals<T extends readonly string[]> = { -readonly [K in keyof T]: TLiteral<T[K] & string> };
/** A union of string literals that keeps its literal types (for typed request bodies). */
export const lit = <const T extends readonly string[]>(xs: T): TUnion<Literals<T>> => Type.Union(xs.map((x) => Type.Literal(x))) as never;
/** Money in: a JSON number or a decimal string ("1249.90"). Out: always a string. */
export const DecimalIn = Type.Union([Type.Number(), Type.String({ pattern: '^[+-]?(\\d+(\\.\\d*)?|\\.\\d+)$' })]);
export const DecimalOut = Type.String();
export const IsoDate = Type.String({ format: 'date' });
export const Instant = Type.String({ format: 'date-time' });
/** Free text a person types: trimmed before it is stored; blank means "none". */
export const Text = (maxLength: number) => Type.String({ maxLength });
export const Reason = Type.Optional(Type.String({ maxLength: 1000 }));

export const StatusSchema = lit(ASSET_STATUSES);
export const ConditionSchema = lit(ASSET_CONDITIONS);
export const DisposalKindSchema = lit(DISPOSAL_KINDS);
export const CustodyHolderType = lit(CUSTODY_HOLDER_TYPES);
export const BookingHolderType = lit(BOOKING_HOLDER_TYPES);
export { HolderSchema };

export const PageQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
};
export const Page = <T extends TSchema>(item: T) => Type.Object({ data: Type.Array(item), total: Type.Integer(), limit: Type.Integer(), offset: Type.Integer() });
export const pageOf = (q: { limit?: number; offset?: number }) => ({ limit: q.limit ?? 50, offset: q.offset ?? 0 });

const Problem = Type.Object({ type: Type.String(), title: Type.String(), status: Type.Integer() }, { additionalProperties: true });
export const errorResponses = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 422: Problem };

/** Trim free text; blank becomes null. */
export const clean = (v: string | null | undefined): string | null => (v == null ? null : v.trim() || null);
