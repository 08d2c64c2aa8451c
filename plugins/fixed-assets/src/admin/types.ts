/**
 * What the fixed-assets API answers, as the console reads it: hand-written mirrors of the TypeBox
 * response schemas in `src/server/routes/outputs.ts` and the route files (money and quantities are
 * decimal strings end to end).
 */
import type { AssetCondition, AssetStatus, BookingHolderType, BookingStatus, CustodyHolderType, DisposalKind, DocumentKind, InitialStatus } from '../shared/constants';

export type { AssetCondition, AssetStatus, BookingHolderType, BookingStatus, CustodyHolderType, DisposalKind, DocumentKind, InitialStatus };
export type { Paged } from '@quartermaster/ui';

export interface Named {
  id: string;
  name: string;
}
export interface Pathed extends Named {
  path: string;
}

export interface Holder {
  type: CustodyHolderType;
  /** Null for a project (named by `label`). */
  id: string | null;
  label: string;
}

export interface Custody {
  id: string;
  assetId: string;
  tag: string;
  assetName: string;
  bookingId: string | null;
  holder: Holder;
  checkedOutAt: string;
  checkedOutBy: string;
  expectedReturnAt: string | null;
  conditionOut: string | null;
  noteOut: string | null;
  checkedInAt: string | null;
  checkedInBy: string | null;
  conditionIn: string | null;
  noteIn: string | null;
  outcome: 'returned' | 'lost' | 'stolen' | null;
  overdue: boolean;
}

export interface Asset {
  id: string;
  tag: string;
  name: string;
  serialNumber: string | null;
  status: AssetStatus;
  condition: AssetCondition;
  itemId: string | null;
  item: Named | null;
  categoryId: string | null;
  category: Pathed | null;
  locationId: string | null;
  location: Pathed | null;
  /** Who answers for the asset; who has it now is `custody.holder`. */
  custodian: { type: 'user' | 'person'; id: string; label: string } | null;
  department: string | null;
  costCentre: string | null;
  supplier: string | null;
  purchaseDate: string | null;
  invoiceNumber: string | null;
  acquisitionCost: string | null;
  currency: string;
  warrantyEnd: string | null;
  notes: string | null;
  customFields: Record<string, unknown>;
  parentId: string | null;
  parent: { id: string; tag: string; name: string } | null;
  childCount: number;
  custody: Custody | null;
  disposal: { kind: DisposalKind; disposedOn: string; proceeds: string | null; reason: string | null } | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface AssetDetail extends Asset {
  children: { id: string; tag: string; name: string; status: AssetStatus }[];
}

/** Register fields a person enters (`POST /assets`, `PATCH /assets/:id`). */
export interface AssetInput {
  name?: string;
  tag?: string;
  locationId?: string | null;
  status?: InitialStatus;
  serialNumber?: string | null;
  itemId?: string | null;
  categoryId?: string | null;
  custodianUserId?: string | null;
  custodianPersonId?: string | null;
  department?: string | null;
  costCentre?: string | null;
  supplier?: string | null;
  purchaseDate?: string | null;
  invoiceNumber?: string | null;
  acquisitionCost?: string | null;
  currency?: string;
  warrantyEnd?: string | null;
  condition?: AssetCondition;
  notes?: string | null;
  customFields?: Record<string, unknown>;
  parentId?: string | null;
  version?: number;
}

export interface AssetListQuery {
  q?: string;
  status?: AssetStatus[];
  categoryId?: string;
  locationId?: string;
  custodianUserId?: string;
  custodianPersonId?: string;
  overdue?: boolean;
  parentId?: string;
  itemId?: string;
  limit?: number;
  offset?: number;
}

export interface AssetEvent {
  id: string;
  type: string;
  fromStatus: AssetStatus | null;
  toStatus: AssetStatus | null;
  reason: string | null;
  data: Record<string, unknown>;
  actorId: string | null;
  actor: string;
  occurredAt: string;
}

export interface Booking {
  id: string;
  number: string;
  kitId: string | null;
  kitName: string | null;
  holder: { type: BookingHolderType; id: string | null; label: string };
  startsAt: string;
  endsAt: string;
  status: BookingStatus;
  note: string | null;
  assets: { id: string; tag: string; name: string; status: AssetStatus; active: boolean }[];
  createdAt: string;
  createdBy: string;
  closedAt: string | null;
  cancelReason: string | null;
}

export interface BookingInput {
  assetIds?: string[];
  kitId?: string;
  startsAt: string;
  endsAt: string;
  for?: BookingHolderType;
  userId?: string;
  personId?: string;
  project?: string;
  note?: string;
}

export interface BusySpell {
  kind: 'booking' | 'custody';
  id: string;
  number: string | null;
  startsAt: string;
  endsAt: string | null;
  holder: Holder;
}

export interface Availability {
  from: string;
  to: string;
  data: { assetId: string; tag: string; name: string; status: AssetStatus; available: boolean; busy: BusySpell[] }[];
  total: number;
  limit: number;
  offset: number;
}

export interface Kit {
  id: string;
  name: string;
  description: string | null;
  assets: { id: string; tag: string; name: string; status: AssetStatus }[];
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface Person {
  id: string;
  name: string;
  email: string | null;
  phone: string | null;
  employeeNumber: string | null;
  department: string | null;
  notes: string | null;
  active: boolean;
  /** Assets held now. */
  holding: number;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface PersonInput {
  name?: string;
  email?: string | null;
  phone?: string | null;
  employeeNumber?: string | null;
  department?: string | null;
  notes?: string | null;
  active?: boolean;
  version?: number;
}

export interface AssetDocument {
  id: string;
  assetId: string;
  kind: DocumentKind;
  name: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  createdAt: string;
  createdBy: string;
}

/** Holder terms of a check-out (one asset or a scanned batch). */
export interface CheckOutTerms {
  to: CustodyHolderType;
  userId?: string;
  personId?: string;
  locationId?: string;
  project?: string;
  expectedReturnAt?: string;
  condition?: AssetCondition;
  note?: string;
}
export interface CheckInTerms {
  condition?: AssetCondition;
  note?: string;
}

export interface CustomFieldDefinition {
  key: string;
  label: string;
  type: 'text' | 'number' | 'integer' | 'date' | 'boolean' | 'select';
  required?: boolean;
  options?: string[];
  min?: number;
  max?: number;
  maxLength?: number;
}

export interface CategorySettings {
  categoryId: string;
  path: string;
  tagCode: string | null;
  tagPattern: string | null;
  fields: CustomFieldDefinition[];
  effective: { tagPattern: string; tagCode: string | null; fields: CustomFieldDefinition[] };
}

// --- depreciation ---
export interface Book {
  code: string;
  name: string;
  periodFrequency: 'month' | 'year';
  fiscalYearStart: string;
}

export interface AssetBook {
  assetId: string;
  book: string;
  method: string;
  costBasis: string;
  salvageValue: string;
  usefulLifeYears: string | null;
  recoveryPeriodYears: number | null;
  factor: string | null;
  rate: string | null;
  switchToStraightLine: boolean;
  convention: string | null;
  placedInService: string;
  totalUnits: string | null;
  unitsByPeriod: string[];
  openingAccumulated: string;
  postedAccumulated: string;
  postedThrough: string | null;
  netBookValue: string;
}

export interface AssetBookInput {
  method: string;
  placedInService: string;
  costBasis?: string;
  salvageValue?: string;
  usefulLifeYears?: string;
  recoveryPeriodYears?: number;
  factor?: string;
  rate?: string;
  switchToStraightLine?: boolean;
  convention?: string;
  totalUnits?: string;
  unitsByPeriod?: string[];
  openingAccumulated?: string;
}

export interface ScheduleRow {
  period: number;
  periodStart: string;
  periodEnd: string;
  amount: string;
  accumulated: string;
  bookValue: string;
  /** What a run posted for the period, null when not posted. */
  posted: string | null;
}

// --- core ---
export interface CoreCategory {
  id: string;
  name: string;
  parentId: string | null;
  path: string;
}
export interface CoreItem {
  id: string;
  name: string;
  unitOfMeasure: string;
  identifiers: { id: string; type: string; value: string }[];
}
export interface CoreLocationNode {
  id: string;
  name: string;
  code: string | null;
  type: string;
  parentId: string | null;
  path: string;
  archived: boolean;
  children: CoreLocationNode[];
}
export interface CoreLocation {
  id: string;
  name: string;
  code: string | null;
  type: string;
  parentId: string | null;
  path: string;
}
export interface CoreUser {
  id: string;
  email: string;
  name: string;
  active: boolean;
}
export interface Session {
  user: { id: string; email: string; name: string };
  permissions: string[];
}
/** `GET /api/core/platform`: the plugins enabled on the server. */
export interface PlatformInfo {
  coreVersion: string;
  plugins: { id: string; version: string; displayName?: string }[];
}
/** A row of the inventory plugin's `GET /api/inventory/stock?groupBy=item` (decimals as strings). */
export interface StockLevel {
  itemId: string;
  itemName: string;
  uom: string;
  onHand: string;
  reserved: string;
  available: string;
}
/** `POST /assets/from-stock`: one unit issued from `fromLocationId` becomes an asset. */
export interface FromStockInput {
  itemId: string;
  fromLocationId: string;
  lot?: string;
  serial?: string;
  name?: string;
  locationId?: string;
  categoryId?: string | null;
}
export interface ResolveAnswer {
  value: string;
  matches: { identifier: { id: string; type: string; value: string }; target: { type: string; id: string; label: string; href: string } }[];
}
