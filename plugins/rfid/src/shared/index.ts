/**
 * The RFID plugin's public contract: permission ids, the reader adapter's id and settings schema,
 * event schemas and the DTO schemas of its API (for the console and for integrators). No server
 * or console code here.
 */
import { Instant, Nullable, Type, Uuid, defineEvent, lit, type Static } from '@quartermaster/sdk';

export const PLUGIN_ID = 'rfid';

export const permissions = {
  /** See tags, their movements, recent reads and stock counts; decode and encode EPCs. */
  read: 'rfid.read',
  /** Enrol tags to items and assets; clear unknown tags. */
  manage: 'rfid.manage',
} as const;

/** Id of the device adapter for fixed UHF readers (Zebra FX, Impinj, generic JSON reads). */
export const READER_ADAPTER_ID = 'rfid-reader';

/** What a tag may point at: the core's items and locations, and fixed assets when that plugin is enabled. */
export const TAG_TARGET_TYPES = ['core.item', 'fixed-assets.asset', 'core.location'] as const;
export type TagTargetType = (typeof TAG_TARGET_TYPES)[number];
/** What a tag may be enrolled to from the RFID plugin (a location marker tag is enrolled in the core). */
export const ENROL_TARGET_TYPES = ['core.item', 'fixed-assets.asset'] as const;

export const PORTAL_SIDES = ['outer', 'inner'] as const;
export const DIRECTIONS = ['in', 'out'] as const;
export type Direction = (typeof DIRECTIONS)[number];

/** The GS1 key an EPC carries, by kind. */
export const GS1_KEY_TYPES = ['gtin', 'sscc', 'grai', 'giai'] as const;

// ---------------------------------------------------------------------------------------------
// Reader settings (checked by the core's device registry when a device is saved)

export const AntennaSetting = Type.Object(
  {
    antenna: Type.Integer({ minimum: 1, maximum: 65535, description: 'Antenna port number as the reader reports it' }),
    locationId: Type.String({ format: 'uuid', description: 'The zone (core location) this antenna watches' }),
    portalSide: Type.Optional(lit(PORTAL_SIDES)),
  },
  { additionalProperties: false },
);

export const ReaderSettingsSchema = Type.Object(
  {
    antennas: Type.Optional(Type.Array(AntennaSetting, { maxItems: 64, description: 'Antenna → zone; a reader with outer and inner antennas is a portal' })),
    dedupeWindowSeconds: Type.Optional(Type.Number({ minimum: 0, maximum: 3600, default: 5, description: 'A tag read again in the same zone within this window is a duplicate' })),
    rssiThresholdDbm: Type.Optional(Type.Number({ minimum: -200, maximum: 50, description: 'Reads weaker than this are dropped' })),
    portalWindowSeconds: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 3600, default: 10, description: 'Reads of one pass through a portal fall within this window' })),
  },
  { additionalProperties: false },
);
export type ReaderSettings = Static<typeof ReaderSettingsSchema>;

// ---------------------------------------------------------------------------------------------
// Events

const TargetType = Nullable(Type.String());

/** A tag was seen in another location than before (the first sighting counts: `fromLocationId` null). */
export const TagMoved = defineEvent(
  'rfid.tag.moved',
  Type.Object({
    epc: Type.String(),
    targetType: TargetType,
    targetId: Nullable(Uuid),
    fromLocationId: Nullable(Uuid),
    toLocationId: Uuid,
    deviceId: Uuid,
    /** Through a portal: `in` (outer then inner antenna), `out`, or null. */
    direction: Nullable(lit(DIRECTIONS)),
    at: Instant,
  }),
);

/** A tag was enrolled to an item or asset (an `epc` identifier was assigned in the core). */
export const TagEnrolled = defineEvent(
  'rfid.tag.enrolled',
  Type.Object({ epc: Type.String(), targetType: lit(ENROL_TARGET_TYPES), targetId: Uuid, identifierId: Uuid }),
);

/** Unknown tags were forgotten (stray reads: a passing truck, a neighbour's pallet). */
export const TagsCleared = defineEvent('rfid.tags.cleared', Type.Object({ count: Type.Integer({ minimum: 1 }), seenBefore: Nullable(Instant), locationId: Nullable(Uuid) }));

export const rfidEvents = [TagMoved, TagEnrolled, TagsCleared];
export type TagMovedPayload = Static<typeof TagMoved.schema>;

export * from './schemas.js';
