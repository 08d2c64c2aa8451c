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
