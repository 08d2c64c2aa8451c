import { Type, Nullable, Uuid, DecimalOut, IsoDate, Instant } from '@quartermaster/sdk';
import { ACCOUNT_ROLES, PERIOD_PATTERN, SOURCE_TYPES } from '../../shared/constants.js';

export const Period = Type.String({ pattern: PERIOD_PATTERN, description: 'a calendar month, YYYY-MM' });
export const PeriodParams = Type.Object({ period: Period }, { additionalProperties: false });
export const Role = Type.Union(ACCOUNT_ROLES.map((r) => Type.Literal(r)));
export const SourceType = Type.Union(SOURCE_TYPES.map((r) => Type.Literal(r)));

export const AccountMappingOut = Type.Object({
  id: Uuid,
  role: Type.String(),
  categoryId: Nullable(Uuid),
  siteId: Nullable(Uuid),
  account: Type.String(),
  name: Nullable(Type.String()),
  isDefault: Type.Boolean(),
  updatedAt: Instant,
  updatedBy: Type.String(),
});

export const AccountMappingIn = Type.Object(
  {
    role: Role,
    categoryId: Type.Optional(Nullable(Uuid)),
    siteId: Type.Optional(Nullable(Uuid)),
    account: Type.String({ minLength: 1, maxLength: 64, pattern: '\\S' }),
    name: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
  },
  { additionalProperties: false },
);

export const LineOut = Type.Object({
  lineNo: Type.Integer(),
  account: Type.String(),
  role: Type.String(),
  debit: DecimalOut,
  credit: DecimalOut,
  categoryId: Nullable(Type.String()),
  siteId: Nullable(Type.String()),
  itemId: Nullable(Type.String()),
  assetId: Nullable(Type.String()),
  memo: Nullable(Type.String()),
});

export const EntryDocumentOut = Type.Object({
  id: Uuid,
  number: Type.Integer(),
  idempotencyKey: Type.String(),
  entryDate: IsoDate,
  period: Type.String(),
  sourceType: Type.String(),
  sourceRef: Type.String(),
  memo: Type.String(),
  currency: Type.String(),
  redatedFrom: Nullable(IsoDate),
  totalDebit: DecimalOut,
  totalCredit: DecimalOut,
  lines: Type.Array(LineOut),
});

export const EntryOut = Type.Composite([
  EntryDocumentOut,
  Type.Object({
    postedAt: Instant,
    exportedAt: Nullable(Instant),
    push: Type.Object({
      status: Type.String(),
      attempts: Type.Integer(),
      pushedAt: Nullable(Instant),
      erpDocumentId: Nullable(Type.String()),
      lastResponseStatus: Nullable(Type.Integer()),
      lastError: Nullable(Type.String()),
    }),
  }),
]);

export const Totals = Type.Object({ entries: Type.Integer(), lines: Type.Integer(), debit: DecimalOut, credit: DecimalOut, balanced: Type.Boolean() });
