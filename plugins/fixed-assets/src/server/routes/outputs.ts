/** Response schemas: what the API answers about assets, custody, bookings, kits and people. */
import { Type } from '@quartermaster/sdk';
import { BookingHolderSchema, HolderSchema } from '../../shared/index.js';
import { BookingHolderType, ConditionSchema, DecimalOut, DisposalKindSchema, Nullable, StatusSchema, Uuid, lit } from './schemas.js';
import { BOOKING_STATUSES, DOCUMENT_KINDS } from '../../shared/index.js';

const Named = Type.Object({ id: Uuid, name: Type.String() });
const Pathed = Type.Object({ id: Uuid, name: Type.String(), path: Type.String() });

export const CustodyOut = Type.Object({
  id: Uuid,
  assetId: Uuid,
  tag: Type.String(),
  assetName: Type.String(),
  bookingId: Nullable(Uuid),
  holder: HolderSchema,
  checkedOutAt: Type.String(),
  checkedOutBy: Type.String(),
  expectedReturnAt: Nullable(Type.String()),
  conditionOut: Nullable(Type.String()),
  noteOut: Nullable(Type.String()),
  checkedInAt: Nullable(Type.String()),
  checkedInBy: Nullable(Type.String()),
  conditionIn: Nullable(Type.String()),
  noteIn: Nullable(Type.String()),
  /** How it ended: returned, or written off as lost or stolen while out. Null while open. */
  outcome: Nullable(lit(['returned', 'lost', 'stolen'] as const)),
  /** Open and past its expected return. */
  overdue: Type.Boolean(),
});

/** A disposal's figures in one book: derecognised cost and accumulated depreciation, the catch-up to the disposal date, gain (+) or loss (−). */
export const DisposalBookFigures = Type.Object({
  book: Type.String(),
  /** Cost basis plus revaluations (gross carrying amount). */
  cost: DecimalOut,
  /** Accumulated depreciation (and impairment) at the disposal date, the catch-up included. */
  accumulated: DecimalOut,
  /** Depreciation from the last posted period up to the disposal date (negative: a reversal). */
  catchUpDepreciation: DecimalOut,
  netBookValue: DecimalOut,
  /** Proceeds less costs of disposal. */
  netProceeds: DecimalOut,
  /** Net proceeds − net book value: positive a gain, negative a loss. */
  gainOrLoss: DecimalOut,
});

export const AssetOut = Type.Object({
  id: Uuid,
  tag: Type.String(),
  name: Type.String(),
  serialNumber: Nullable(Type.String()),
  status: StatusSchema,
  condition: ConditionSchema,
  itemId: Nullable(Uuid),
  item: Nullable(Named),
  categoryId: Nullable(Uuid),
  category: Nullable(Pathed),
  locationId: Nullable(Uuid),
  location: Nullable(Pathed),
  /** Who answers for the asset (the register's custodian); who has it now is `custody.holder`. */
  custodian: Nullable(Type.Object({ type: lit(['user', 'person'] as const), id: Uuid, label: Type.String() })),
  department: Nullable(Type.String()),
  costCentre: Nullable(Type.String()),
  supplier: Nullable(Type.String()),
  purchaseDate: Nullable(Type.String({ format: 'date' })),
  invoiceNumber: Nullable(Type.String()),
  acquisitionCost: Nullable(DecimalOut),
  currency: Type.String(),
  warrantyEnd: Nullable(Type.String({ format: 'date' })),
  notes: Nullable(Type.String()),
  customFields: Type.Object({}, { additionalProperties: true }),
  parentId: Nullable(Uuid),
  parent: Nullable(Type.Object({ id: Uuid, tag: Type.String(), name: Type.String() })),
  childCount: Type.Integer(),
  /** The open custody, when checked out. */
  custody: Nullable(CustodyOut),
  disposal: Nullable(
    Type.Object({
      kind: DisposalKindSchema,
      disposedOn: Type.String({ format: 'date' }),
      proceeds: Nullable(DecimalOut),
      costsOfDisposal: Nullable(DecimalOut),
      reason: Nullable(Type.String()),
      /** What the disposal derecognised in each depreciation book the asset carried, with its journal entry. */
      books: Type.Array(Type.Composite([DisposalBookFigures, Type.Object({ journalEntryId: Nullable(Type.String()) })])),
    }),
  ),
  /** Set when a verification campaign flagged the asset missing; cleared when a scan finds it again. */
  flaggedMissingAt: Nullable(Type.String()),
  version: Type.Integer(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

export const AssetDetailOut = Type.Composite([
  AssetOut,
  Type.Object({ children: Type.Array(Type.Object({ id: Uuid, tag: Type.String(), name: Type.String(), status: StatusSchema })) }),
]);

export const AssetEventOut = Type.Object({
  id: Type.String(),
  type: Type.String(),
  fromStatus: Nullable(StatusSchema),
  toStatus: Nullable(StatusSchema),
  reason: Nullable(Type.String()),
  data: Type.Object({}, { additionalProperties: true }),
  actorId: Nullable(Uuid),
  actor: Type.String(),
  occurredAt: Type.String(),
});

export const BookingOut = Type.Object({
  id: Uuid,
  number: Type.String(),
  kitId: Nullable(Uuid),
  kitName: Nullable(Type.String()),
  holder: Type.Object({ type: BookingHolderType, id: Nullable(Uuid), label: Type.String() }),
  startsAt: Type.String(),
  endsAt: Type.String(),
  status: lit(BOOKING_STATUSES),
  note: Nullable(Type.String()),
  assets: Type.Array(Type.Object({ id: Uuid, tag: Type.String(), name: Type.String(), status: StatusSchema, active: Type.Boolean() })),
  createdAt: Type.String(),
  createdBy: Type.String(),
  closedAt: Nullable(Type.String()),
  cancelReason: Nullable(Type.String()),
});
export { BookingHolderSchema };

export const KitOut = Type.Object({
  id: Uuid,
  name: Type.String(),
  description: Nullable(Type.String()),
  assets: Type.Array(Type.Object({ id: Uuid, tag: Type.String(), name: Type.String(), status: StatusSchema })),
  version: Type.Integer(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

export const PersonOut = Type.Object({
  id: Uuid,
  name: Type.String(),
  email: Nullable(Type.String()),
  phone: Nullable(Type.String()),
  employeeNumber: Nullable(Type.String()),
  department: Nullable(Type.String()),
  notes: Nullable(Type.String()),
  active: Type.Boolean(),
  /** Assets this person holds now (open custodies). */
  holding: Type.Integer(),
  version: Type.Integer(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

export const DocumentOut = Type.Object({
  id: Uuid,
  assetId: Uuid,
  kind: lit(DOCUMENT_KINDS),
  name: Type.String(),
  contentType: Type.String(),
  sizeBytes: Type.Integer(),
  sha256: Type.String(),
  createdAt: Type.String(),
  createdBy: Type.String(),
});
