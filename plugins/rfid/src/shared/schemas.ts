/** TypeBox schemas of the RFID API's bodies and answers, shared by the server routes and the console. */
import { Instant, Nullable, Type, Uuid, lit, type Static } from '@quartermaster/sdk';
import { EPC_SCHEMES } from '../domain/partition-tables.js';

/** EPC bank as hex: whole 16-bit words (as a Gen2 tag stores it), up to 496 bits. */
export const EPC_HEX_PATTERN = '^([0-9A-Fa-f]{4}){1,31}$';
export const EpcHex = Type.String({ pattern: EPC_HEX_PATTERN, description: 'EPC bank in hex, whole 16-bit words (e.g. 3074257BF7194E4000001A85)' });
export const EpcParams = Type.Object({ epc: EpcHex }, { additionalProperties: false });

export const EpcSchemeSchema = lit(EPC_SCHEMES);

/** What an EPC says: its URIs, fields and GS1 key. Key fields are present for the scheme's kind only. */
export const DecodedEpcSchema = Type.Object({
  scheme: EpcSchemeSchema,
  hex: Type.String(),
  filter: Type.Integer(),
  filterMeaning: Type.String(),
  partition: Type.Integer(),
  companyPrefix: Type.String(),
  pureIdentityUri: Type.String(),
  tagUri: Type.String(),
  elementString: Type.String({ description: 'GS1 element string without parentheses' }),
  hri: Type.String({ description: 'Human readable interpretation, e.g. (01)80614141123458(21)6789' }),
  gtin: Type.Optional(Type.String()),
  itemReference: Type.Optional(Type.String()),
  serial: Type.Optional(Type.String()),
  sscc: Type.Optional(Type.String()),
  serialReference: Type.Optional(Type.String()),
  grai: Type.Optional(Type.String()),
  assetType: Type.Optional(Type.String()),
  giai: Type.Optional(Type.String()),
  individualAssetReference: Type.Optional(Type.String()),
});
export type DecodedEpcDto = Static<typeof DecodedEpcSchema>;

export const DecodeBody = Type.Object({ hex: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false });

/** `{ tagUri }`, or `{ pureIdentityUri, scheme, filter }`. */
export const EncodeBody = Type.Object(
  {
    tagUri: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
    pureIdentityUri: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
    scheme: Type.Optional(EpcSchemeSchema),
    filter: Type.Optional(Type.Integer({ minimum: 0, maximum: 7 })),
  },
  { additionalProperties: false },
);

export const TargetSchema = Type.Object({ type: Type.String(), id: Uuid, label: Nullable(Type.String()) });
export const LocationRef = Type.Object({ id: Uuid, name: Type.String() });
export const DeviceRef = Type.Object({ id: Uuid, code: Type.String() });

/** A tag as the RFID plugin knows it. `target` null: unknown (nothing enrolled, no GS1 key that names an item or asset). */
export const TagSchema = Type.Object({
  epc: Type.String(),
  scheme: Nullable(Type.String()),
  gs1KeyType: Nullable(Type.String()),
  gs1Key: Nullable(Type.String()),
  serial: Nullable(Type.String()),
  pureIdentityUri: Nullable(Type.String()),
  hri: Nullable(Type.String()),
  target: Nullable(TargetSchema),
  firstSeenAt: Instant,
  lastSeenAt: Instant,
  location: Nullable(LocationRef),
  device: Nullable(DeviceRef),
  antenna: Nullable(Type.Integer()),
  rssi: Nullable(Type.Number()),
  readCount: Type.Integer(),
});
export type TagDto = Static<typeof TagSchema>;

export const MovementSchema = Type.Object({
  id: Type.String(),
  epc: Type.String(),
  target: Nullable(Type.Object({ type: Type.String(), id: Uuid })),
  from: Nullable(LocationRef),
  to: LocationRef,
  device: Nullable(DeviceRef),
  antenna: Nullable(Type.Integer()),
  direction: Nullable(lit(['in', 'out'] as const)),
  at: Instant,
});
export type MovementDto = Static<typeof MovementSchema>;

export const TagDetailSchema = Type.Object({
  tag: TagSchema,
  /** The full decode, or null with `decodeError` saying why the EPC is not a GS1 EPC this plugin reads. */
  decoded: Nullable(DecodedEpcSchema),
  decodeError: Nullable(Type.String()),
  movements: Type.Array(MovementSchema),
});

export const EnrolBody = Type.Object({ targetType: lit(['core.item', 'fixed-assets.asset'] as const), targetId: Uuid }, { additionalProperties: false });

export const ClearBody = Type.Object(
  {
    seenBefore: Type.Optional(Instant),
    locationId: Type.Optional(Uuid),
  },
  { additionalProperties: false },
);

export const RecentReadSchema = Type.Object({
  readingId: Type.String(),
  device: DeviceRef,
  readAt: Instant,
  receivedAt: Instant,
  epc: Type.String(),
  antenna: Nullable(Type.Integer()),
  rssi: Nullable(Type.Number()),
  /** The zone the antenna watches (or the reader's location). */
  locationId: Nullable(Uuid),
  gs1KeyType: Nullable(Type.String()),
  gs1Key: Nullable(Type.String()),
  target: Nullable(Type.Object({ type: Type.String(), id: Uuid })),
});

export const StockCountRowSchema = Type.Object({
  gtin: Type.String({ description: 'GTIN-14' }),
  item: Nullable(Type.Object({ id: Uuid, name: Type.String() })),
  /** Distinct SGTIN serials whose tag was last seen in the location or below. */
  counted: Type.Integer(),
  /** Inventory on hand at the location (and below); null when inventory is not enabled or the GTIN names no item. */
  onHand: Nullable(Type.String()),
  /** counted − on hand. */
  difference: Nullable(Type.String()),
  lastSeenAt: Instant,
});
