/** Typed calls to the core API. Every page goes through these, so msw tests see the real URLs. */
import { api, type Query } from './client';
import type { AdminManifest } from '../plugins/runtime';
import type {
  ApiToken,
  AuditEntry,
  Category,
  DeliveryStatus,
  DeviceAdapterInfo,
  DeviceCreate,
  DeviceDetail,
  DeviceIngestionStatus,
  DeviceKind,
  DevicePatch,
  DeviceRawReading,
  DeviceRefusal,
  DeviceStatus,
  DeviceSummary,
  DeviceWithKey,
  EventCatalogue,
  EventDelivery,
  Identifier,
  Item,
  ItemCreate,
  ItemPatch,
  LocationCreate,
  LocationDetail,
  LocationNode,
  LocationPatch,
  LocationSummary,
  Paged,
  PermissionInfo,
  PlatformInfo,
  ReadingKind,
  ReadingStatus,
  ResolveResult,
  Role,
  SessionInfo,
  User,
  Webhook,
  WebhookCreate,
  WebhookDelivery,
  WebhookDeliveryDetail,
  WebhookDeliveryStatus,
  WebhookPatch,
  WebhookWithSecret,
} from './types';

const C = '/api/core';
const enc = encodeURIComponent;

export interface PageQuery extends Query {
  limit?: number;
  offset?: number;
}

export const coreApi = {
  session: {
    get: () => api.get<SessionInfo>(`${C}/session`),
    login: (email: string, password: string) => api.post<SessionInfo>(`${C}/session`, { email, password }),
    logout: () => api.delete(`${C}/session`),
  },
  platform: () => api.get<PlatformInfo>(`${C}/platform`),
  /** Console modules loaded at run time (plugins installed as packages) and the caller's permissions. */
  adminManifest: () => api.get<AdminManifest>(`${C}/admin-manifest`),
  permissions: () => api.get<PermissionInfo[]>(`${C}/permissions`),

  items: {
    list: (q: PageQuery & { q?: string; categoryId?: string; archived?: boolean }) =>
      api.get<Paged<Item>>(`${C}/items`, q),
    get: (id: string) => api.get<Item>(`${C}/items/${enc(id)}`),
    create: (body: ItemCreate) => api.post<Item>(`${C}/items`, body),
    update: (id: string, body: ItemPatch) => api.patch<Item>(`${C}/items/${enc(id)}`, body),
  },
  categories: {
    list: () => api.get<Category[]>(`${C}/categories`),
    create: (body: { name: string; parentId?: string | null; attributeSchema?: object | null }) =>
      api.post<Category>(`${C}/categories`, body),
    update: (id: string, body: { name?: string; parentId?: string | null; attributeSchema?: object | null }) =>
      api.patch<Category>(`${C}/categories/${enc(id)}`, body),
  },
  locations: {
    tree: () => api.get<LocationNode[]>(`${C}/locations/tree`),
    list: (q: PageQuery & { q?: string; parentId?: string; type?: string }) =>
      api.get<Paged<LocationSummary>>(`${C}/locations`, q),
    get: (id: string) => api.get<LocationDetail>(`${C}/locations/${enc(id)}`),
    create: (body: LocationCreate) => api.post<LocationDetail>(`${C}/locations`, body),
    update: (id: string, body: LocationPatch) => api.patch<LocationDetail>(`${C}/locations/${enc(id)}`, body),
  },
  identifiers: {
    list: (q: PageQuery & { type?: string; q?: string; targetType?: string; targetId?: string }) =>
      api.get<Paged<Identifier>>(`${C}/identifiers`, q),
    create: (body: { type: string; value: string; targetType: string; targetId: string }) =>
      api.post<Identifier>(`${C}/identifiers`, body),
    remove: (id: string) => api.delete(`${C}/identifiers/${enc(id)}`),
    resolve: (value: string) => api.get<ResolveResult>(`${C}/identifiers/resolve`, { value }),
  },
  users: {
    list: (q: PageQuery) => api.get<Paged<User>>(`${C}/users`, q),
    create: (body: { email: string; name: string; password: string; roleIds: string[] }) =>
      api.post<User>(`${C}/users`, body),
    update: (id: string, body: { name?: string; active?: boolean; password?: string; roleIds?: string[] }) =>
      api.patch<User>(`${C}/users/${enc(id)}`, body),
  },
  roles: {
    list: () => api.get<Role[]>(`${C}/roles`),
    create: (body: { name: string; description?: string; permissions: string[] }) => api.post<Role>(`${C}/roles`, body),
    update: (id: string, body: { name?: string; description?: string | null; permissions?: string[] }) =>
      api.patch<Role>(`${C}/roles/${enc(id)}`, body),
    remove: (id: string) => api.delete(`${C}/roles/${enc(id)}`),
  },
  tokens: {
    list: () => api.get<ApiToken[]>(`${C}/api-tokens`),
    create: (body: { name: string; permissions: string[]; expiresAt?: string }) =>
      api.post<{ token: string; apiToken: ApiToken }>(`${C}/api-tokens`, body),
    revoke: (id: string) => api.delete(`${C}/api-tokens/${enc(id)}`),
  },
  audit: {
    list: (q: PageQuery & { entityType?: string; entityId?: string; actorId?: string; action?: string; from?: string; to?: string }) =>
      api.get<Paged<AuditEntry>>(`${C}/audit`, q),
  },
  eventDeliveries: {
    list: (q: PageQuery & { status?: DeliveryStatus; subscriber?: string; name?: string }) =>
      api.get<Paged<EventDelivery>>(`${C}/event-deliveries`, q),
    /** Make an undelivered delivery due now; `queued` is false when it was delivered meanwhile. */
    retry: (body: { eventId: string; subscriber: string }) =>
      api.post<{ queued: boolean }>(`${C}/event-deliveries/retry`, body),
  },
  devices: {
    list: (q: PageQuery & { q?: string; kind?: DeviceKind; status?: DeviceStatus }) =>
      api.get<Paged<DeviceSummary>>(`${C}/devices`, q),
    get: (id: string) => api.get<DeviceDetail>(`${C}/devices/${enc(id)}`),
    /** The answer carries the device's key: show it once, keep it nowhere. */
    create: (body: DeviceCreate) => api.post<DeviceWithKey>(`${C}/devices`, body),
    update: (id: string, body: DevicePatch) => api.patch<DeviceDetail>(`${C}/devices/${enc(id)}`, body),
    disable: (id: string) => api.post<DeviceDetail>(`${C}/devices/${enc(id)}/disable`),
    enable: (id: string) => api.post<DeviceDetail>(`${C}/devices/${enc(id)}/enable`),
    /** A new key; the old one stops working at once. */
    rotateKey: (id: string) => api.post<DeviceWithKey>(`${C}/devices/${enc(id)}/rotate-key`),
    readings: (id: string, q: PageQuery & { kind?: ReadingKind; status?: ReadingStatus }) =>
      api.get<Paged<DeviceRawReading>>(`${C}/devices/${enc(id)}/readings`, q),
    adapters: () => api.get<DeviceAdapterInfo[]>(`${C}/device-adapters`),
    refusals: (q: PageQuery) => api.get<Paged<DeviceRefusal>>(`${C}/device-refusals`, q),
    ingestion: () => api.get<DeviceIngestionStatus>(`${C}/device-ingestion`),
    /** Delete raw readings older than the retention period now (the server also does it hourly). */
    pruneReadings: () => api.post<{ deleted: number; retentionDays: number }>(`${C}/device-readings/prune`),
  },
  /** Every event the enabled plugins declare, with payload schemas and the webhook envelope. */
  events: (q: { pluginId?: string } = {}) => api.get<EventCatalogue>(`${C}/events`, q),
  webhooks: {
    list: (q: PageQuery & { active?: boolean }) => api.get<Paged<Webhook>>(`${C}/webhooks`, q),
    get: (id: string) => api.get<Webhook>(`${C}/webhooks/${enc(id)}`),
    /** The answer carries the signing secret: show it once, keep it nowhere. */
    create: (body: WebhookCreate) => api.post<WebhookWithSecret>(`${C}/webhooks`, body),
    update: (id: string, body: WebhookPatch) => api.patch<Webhook>(`${C}/webhooks/${enc(id)}`, body),
    remove: (id: string) => api.delete(`${C}/webhooks/${enc(id)}`),
    disable: (id: string) => api.post<Webhook>(`${C}/webhooks/${enc(id)}/disable`),
    enable: (id: string) => api.post<Webhook>(`${C}/webhooks/${enc(id)}/enable`),
    /** A new secret; the old one keeps signing for `graceHours` (0: stops at once). */
    rotateSecret: (id: string, graceHours: number) => api.post<WebhookWithSecret>(`${C}/webhooks/${enc(id)}/rotate-secret`, { graceHours }),
    /** Send a signed `webhook.ping` now; answers with the delivery and its attempt. */
    test: (id: string) => api.post<WebhookDeliveryDetail>(`${C}/webhooks/${enc(id)}/test`),
    replayDead: (id: string) => api.post<{ replayed: number; deliveryIds: string[] }>(`${C}/webhooks/${enc(id)}/replay-dead`),
    deliveries: (q: PageQuery & { webhookId?: string; status?: WebhookDeliveryStatus; event?: string }) =>
      api.get<Paged<WebhookDelivery>>(`${C}/webhook-deliveries`, q),
    delivery: (id: string) => api.get<WebhookDeliveryDetail>(`${C}/webhook-deliveries/${enc(id)}`),
    replay: (id: string) => api.post<WebhookDeliveryDetail>(`${C}/webhook-deliveries/${enc(id)}/replay`),
  },
};

/** Console path of an identifier target (core types; plugin targets have no generic page). */
export function targetHref(targetType: string, targetId: string): string | null {
  if (targetType === 'core.item') return `/items/${targetId}`;
  if (targetType === 'core.location') return `/locations/${targetId}`;
  return null;
}
