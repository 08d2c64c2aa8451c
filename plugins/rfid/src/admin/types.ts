/**
 * What the RFID API answers, as the console reads it. The DTOs come from the shared TypeBox
 * schemas (type-only), so the console and the server cannot drift; core devices and fixed assets
 * are typed here with the fields the pages use.
 */
import type { Static } from '@sinclair/typebox';
import type {
  ClearBody,
  DecodedEpcDto,
  EncodeBody,
  EnrolBody,
  MovementDto,
  ReaderSettings,
  RecentReadSchema,
  StockCountRowSchema,
  TagDetailSchema,
  TagDto,
} from '../shared/index';

export type { DecodedEpcDto, MovementDto, ReaderSettings, TagDto };
export type RecentRead = Static<typeof RecentReadSchema>;
export type StockCountRow = Static<typeof StockCountRowSchema>;
export type TagDetail = Static<typeof TagDetailSchema>;
export type EnrolInput = Static<typeof EnrolBody>;
export type ClearInput = Static<typeof ClearBody>;
export type EncodeInput = Static<typeof EncodeBody>;
export type AntennaSettingValue = NonNullable<ReaderSettings['antennas']>[number];

export interface Paged<T> {
  data: T[];
  total: number;
  limit: number;
  offset: number;
}
export interface PageQuery {
  limit?: number;
  offset?: number;
}

export interface TagListQuery extends PageQuery {
  status?: 'known' | 'unknown';
  locationId?: string;
  q?: string;
}

export interface MovementListQuery extends PageQuery {
  epc?: string;
  locationId?: string;
  deviceId?: string;
  from?: string;
  to?: string;
}

export interface StockCountQuery extends PageQuery {
  locationId: string;
  seenSince?: string;
}
export interface StockCounts extends Paged<StockCountRow> {
  locationId: string;
  /** Whether on-hand figures come from the inventory plugin. */
  inventory: boolean;
}

/** A core device as `GET /api/core/devices` lists it. */
export interface DeviceSummary {
  id: string;
  code: string;
  name: string;
  kind: string;
  adapter: string;
  adapterLabel: string;
  model: string | null;
  locationId: string | null;
  locationName: string | null;
  status: 'active' | 'disabled';
  keyHint: string;
  lastSeenAt: string | null;
  health: { state: string; detail?: string };
  readingsCount: number;
  refusedCount: number;
  errorCount: number;
}
/** One device (`GET /api/core/devices/:id`): with its settings and version. */
export interface DeviceDetail extends DeviceSummary {
  settings: Record<string, unknown>;
  lastError: string | null;
  lastErrorAt: string | null;
  mqttTopic: string;
  version: number;
  updatedAt: string;
}
export interface DevicePatch {
  settings?: Record<string, unknown>;
  version?: number;
}

/** A fixed asset as the enrol dialog's search shows it (`GET /api/fixed-assets/assets?q=`). */
export interface AssetOption {
  id: string;
  tag: string;
  name: string;
  status?: string;
}

export interface Session {
  user: { id: string; name: string; email?: string } | null;
  permissions: string[];
}
export interface PlatformInfo {
  coreVersion: string;
  plugins: { id: string; version: string; displayName?: string }[];
}
