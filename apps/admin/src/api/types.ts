/** Shapes of the core API (`/api/core`), as the server returns them. */
export type { Paged, ResolveMatch, ResolveResult } from '@quartermaster/ui';

export interface SessionUser {
  id: string;
  email: string;
  name: string;
}
export interface SessionInfo {
  user: SessionUser;
  permissions: string[];
  csrfToken: string;
}

export interface PlatformPlugin {
  id: string;
  version: string;
  displayName: string;
}
export interface PlatformInfo {
  coreVersion: string;
  plugins: PlatformPlugin[];
}

export interface PermissionInfo {
  id: string;
  description: string;
  pluginId: string;
}

export const ITEM_KINDS = ['stock', 'consumable', 'asset', 'service', 'kit'] as const;
export type ItemKind = (typeof ITEM_KINDS)[number];
export const TRACKING_MODES = ['none', 'lot', 'serial'] as const;
export type TrackingMode = (typeof TRACKING_MODES)[number];

export const IDENTIFIER_TYPES = ['sku', 'gtin', 'serial', 'asset-tag', 'epc', 'qr', 'custom'] as const;
export type IdentifierType = (typeof IDENTIFIER_TYPES)[number];

export interface ItemIdentifier {
  id: string;
  type: string;
  value: string;
}

export interface Item {
  id: string;
  name: string;
  description: string | null;
  categoryId: string | null;
  category: { id: string; name: string; path: string } | null;
  unitOfMeasure: string;
  kind: ItemKind;
  trackingMode: TrackingMode;
  attributes: Record<string, unknown>;
  archived: boolean;
  identifiers: ItemIdentifier[];
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface ItemCreate {
  name: string;
  description?: string;
  categoryId?: string;
  unitOfMeasure?: string;
  kind?: ItemKind;
  trackingMode?: TrackingMode;
  attributes?: Record<string, unknown>;
  identifiers?: { type: string; value: string }[];
}
export interface ItemPatch {
  name?: string;
  description?: string | null;
  categoryId?: string | null;
  unitOfMeasure?: string;
  kind?: ItemKind;
  trackingMode?: TrackingMode;
  attributes?: Record<string, unknown>;
  archived?: boolean;
  version?: number;
}

export interface Category {
  id: string;
  name: string;
  parentId: string | null;
  path: string;
  attributeSchema: Record<string, unknown> | null;
}

export const LOCATION_TYPES = [
  'site',
  'building',
  'zone',
  'aisle',
  'rack',
  'shelf',
  'bin',
  'area',
  'room',
  'vehicle',
  'other',
] as const;
export type LocationType = (typeof LOCATION_TYPES)[number];

export interface LocationNode {
  id: string;
  name: string;
  code: string | null;
  type: LocationType;
  parentId: string | null;
  path: string;
  children: LocationNode[];
}
export interface LocationSummary {
  id: string;
  name: string;
  code: string | null;
  type: LocationType;
  parentId: string | null;
  path: string;
  depth: number;
}
export interface LocationDetail extends LocationSummary {
  address: string | null;
  latitude: number | null;
  longitude: number | null;
  archived: boolean;
  ancestors: { id: string; name: string; type: LocationType }[];
}
export interface LocationCreate {
  name: string;
  type: LocationType;
  parentId?: string;
  code?: string;
  address?: string;
  latitude?: number;
  longitude?: number;
}
export interface LocationPatch {
  name?: string;
  type?: LocationType;
  code?: string | null;
  parentId?: string | null;
  address?: string | null;
  latitude?: number | null;
  longitude?: number | null;
  archived?: boolean;
}

export interface Identifier {
  id: string;
  type: string;
  value: string;
  targetType: string;
  targetId: string;
  targetLabel: string;
  createdAt: string;
}

export interface User {
  id: string;
  email: string;
  name: string;
  active: boolean;
  roles: { id: string; name: string }[];
  createdAt: string;
  lastLoginAt: string | null;
}
export interface Role {
  id: string;
  name: string;
  description: string | null;
  permissions: string[];
  builtIn: boolean;
}

export interface ApiToken {
  id: string;
  name: string;
  prefix: string;
  permissions: string[];
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface AuditEntry {
  id: string;
  occurredAt: string;
  actorType: 'user' | 'api-token' | 'system';
  actorId: string | null;
  actorLabel: string;
  action: string;
  entityType: string;
  entityId: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

export const DELIVERY_STATUSES = ['failing', 'pending', 'delivered'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** One event's delivery to one subscriber (the outbox operator view). */
export interface EventDelivery {
  eventId: string;
  name: string;
  source: string;
  subscriber: string;
  /** `failing`: attempted and not yet delivered; `pending`: not attempted yet. */
  status: DeliveryStatus;
  attempts: number;
  occurredAt: string;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  lastError: string | null;
  payload: unknown;
}

export const DEVICE_KINDS = ['scanner', 'rfid-reader', 'gps-tracker', 'sensor', 'printer'] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];
export const DEVICE_STATUSES = ['active', 'disabled'] as const;
export type DeviceStatus = (typeof DEVICE_STATUSES)[number];
/** What the adapters' health rules answer; an adapter may add its own states, so the field stays a string. */
export type DeviceHealthState = 'ok' | 'stale' | 'silent' | 'never-seen' | 'disabled';

/** A registered device as the list shows it (`GET /api/core/devices`). */
export interface DeviceSummary {
  id: string;
  code: string;
  name: string;
  kind: DeviceKind;
  adapter: string;
  adapterLabel: string;
  model: string | null;
  locationId: string | null;
  locationName: string | null;
  status: DeviceStatus;
  /** The first characters of the key, to tell keys apart. */
  keyHint: string;
  lastSeenAt: string | null;
  health: { state: DeviceHealthState | (string & {}); detail?: string };
  readingsCount: number;
  refusedCount: number;
  errorCount: number;
}
export interface DeviceDetail extends DeviceSummary {
  settings: Record<string, unknown>;
  keyRotatedAt: string;
  lastError: string | null;
  lastErrorAt: string | null;
  /** Where the device publishes when it uses MQTT. */
  mqttTopic: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}
/** A device with its key: the answer to registering or rotating, the only time the key is shown. */
export interface DeviceWithKey {
  device: DeviceDetail;
  key: string;
}
export interface DeviceCreate {
  code: string;
  name: string;
  kind: DeviceKind;
  adapter?: string;
  model?: string | null;
  locationId?: string | null;
  settings?: Record<string, unknown>;
}
export interface DevicePatch {
  name?: string;
  adapter?: string;
  model?: string | null;
  locationId?: string | null;
  settings?: Record<string, unknown>;
  version?: number;
}

export const READING_KINDS = ['scan', 'tag-read', 'position', 'measurement'] as const;
export type ReadingKind = (typeof READING_KINDS)[number];
export const READING_STATUSES = ['processed', 'failed'] as const;
export type ReadingStatus = (typeof READING_STATUSES)[number];

/** One stored raw reading of a device (`GET /api/core/devices/:id/readings`). */
export interface DeviceRawReading {
  id: string;
  receivedAt: string;
  readAt: string;
  kind: ReadingKind | (string & {});
  transport: string;
  reading: Record<string, unknown>;
  status: ReadingStatus | (string & {});
  error: string | null;
}

/** A device adapter some enabled plugin provides (`GET /api/core/device-adapters`). */
export interface DeviceAdapterInfo {
  id: string;
  label: string;
  kinds: string[];
  transports: string[];
  description: string | null;
  /** JSON Schema of the per-device settings, or null when the adapter takes any object. */
  settingsSchema: Record<string, unknown> | null;
}

/** Payloads refused from one source for one reason, counted (`GET /api/core/device-refusals`). */
export interface DeviceRefusal {
  reason: string;
  /** Client address (HTTP), client id (MQTT) or device code. */
  source: string;
  deviceId: string | null;
  deviceCode: string | null;
  count: number;
  firstAt: string;
  lastAt: string;
  lastDetail: string | null;
}

export interface DeviceIngestionStatus {
  queue: { capacity: number; depth: number; accepted: number; processed: number; failed: number; refusedFull: number; ratePerSecond: number };
  mqtt: { url: string; embedded: boolean; connected: boolean; topic: string; messages: number } | null;
  retentionDays: number;
}

/** A field of the webhook envelope or one of its headers (`GET /api/core/events`). */
export interface CatalogueField {
  name: string;
  type: string;
  description: string;
}

/** One event an enabled plugin declares, with the JSON Schema of its payload. */
export interface CatalogueEvent {
  name: string;
  pluginId: string;
  description: string | null;
  /** The aggregate key is `<type>:<payload[field]>`; null: delivered without ordering. */
  aggregate: { type: string; field: string } | null;
  schema: Record<string, unknown>;
}

export interface EventCatalogue {
  envelope: CatalogueField[];
  headers: CatalogueField[];
  events: CatalogueEvent[];
}

/** A webhook subscription (`GET /api/core/webhooks`); its secret is shown only when issued. */
export interface Webhook {
  id: string;
  name: string;
  url: string;
  /** Event names, `prefix.*` or `*`. */
  events: string[];
  description: string | null;
  active: boolean;
  secretHint: string;
  secretRotatedAt: string;
  previousSecretExpiresAt: string | null;
  deliveries: { pending: number; failing: number; dead: number };
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface WebhookCreate {
  name: string;
  url: string;
  events: string[];
  description?: string | null;
  active?: boolean;
}
export type WebhookPatch = Partial<WebhookCreate> & { version?: number };

/** A webhook with its secret: shown once, after creating it or rotating the secret. */
export interface WebhookWithSecret {
  webhook: Webhook;
  secret: string;
}

export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'failing', 'delivered', 'dead'] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

export interface WebhookDelivery {
  id: string;
  webhookId: string;
  webhookName: string;
  eventId: string | null;
  /** `webhook.ping` for a test delivery. */
  eventName: string;
  aggregate: string | null;
  status: WebhookDeliveryStatus;
  attempts: number;
  replays: number;
  occurredAt: string;
  nextAttemptAt: string | null;
  lastAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  deliveredAt: string | null;
  deadAt: string | null;
}

export interface WebhookAttempt {
  id: string;
  attempt: number;
  startedAt: string;
  durationMs: number;
  statusCode: number | null;
  error: string | null;
  responseBody: string | null;
  responseTruncated: boolean;
  outcome: 'delivered' | 'retry' | 'dead';
}

export interface WebhookDeliveryDetail extends WebhookDelivery {
  /** The JSON body as sent. */
  body: unknown;
  log: WebhookAttempt[];
}
