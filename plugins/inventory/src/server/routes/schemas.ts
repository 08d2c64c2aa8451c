import { Type, type TSchema } from '@quartermaster/sdk';

export const Uuid = Type.String({ format: 'uuid' });
export const IdParams = Type.Object({ id: Uuid }, { additionalProperties: false });
/** Quantities and money in: a JSON number or a decimal string ("12.5"). Out: always strings. */
export const DecimalIn = Type.Union([Type.Number(), Type.String({ pattern: '^[+-]?(\\d+(\\.\\d*)?|\\.\\d+)$' })]);
export const DecimalOut = Type.String();
export const IsoDate = Type.String({ format: 'date' });
export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const PageQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
};
export const Page = <T extends TSchema>(item: T) => Type.Object({ data: Type.Array(item), total: Type.Integer(), limit: Type.Integer(), offset: Type.Integer() });
export const pageOf = (q: { limit?: number; offset?: number }) => ({ limit: q.limit ?? 50, offset: q.offset ?? 0 });

const Problem = Type.Object({ type: Type.String(), title: Type.String(), status: Type.Integer() }, { additionalProperties: true });
export const errorResponses = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 422: Problem };
