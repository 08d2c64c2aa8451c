/**
 * The maintenance API's shapes as the console reads and sends them, written from the TypeBox
 * schemas in `src/server/routes/*.routes.ts` (the contract). Decimals (money, quantities, meter
 * values) stay strings end to end; instants are ISO 8601 strings, dates `YYYY-MM-DD`.
 */
import type { Criticality, Priority, WorkOrderAction, WorkOrderStatus, WorkOrderType } from '../domain/work-order';

export type { Criticality, Priority, WorkOrderAction, WorkOrderStatus, WorkOrderType };

/** A decimal number as text (`"12.50"`); inputs also take a JS number. */
export type Decimal = string;
export type DecimalIn = string | number;
/** ISO 8601 instant. */
export type Instant = string;
/** `YYYY-MM-DD`. */
export type IsoDate = string;

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
export interface Period {
  from: IsoDate;
  to: IsoDate;
}

// ---------------------------------------------------------------------------------------------
// Work orders (work-orders.routes.ts)

export interface WorkOrderSummary {
  id: string;
  /** `WO-000123` */
  number: string;
  type: WorkOrderType;
  status: WorkOrderStatus;
  priority: Priority;
  title: string;
  assetId: string;
  assetTag: string;
  assetName: string;
  planId: string | null;
  planCode: string | null;
  dueOn: IsoDate | null;
  dueTotal: Decimal | null;
  /** Past its due date and not completed. */
  overdue: boolean;
  scheduledStart: Instant | null;
  scheduledEnd: Instant | null;
  startedAt: Instant | null;
  completedAt: Instant | null;
  assigneeUserId: string | null;
  assigneeName: string | null;
  teamId: string | null;
  teamName: string | null;
  plannedMinutes: number | null;
  takesOutOfService: boolean;
  assetDown: boolean;
  currency: string;
  totalCost: Decimal;
  version: number;
  createdAt: Instant;
  updatedAt: Instant;
}

export type ChecklistItemKind = 'check' | 'reading' | 'text';

export interface ChecklistItemState {
  id: string;
  position: number;
  kind: ChecklistItemKind;
  label: string;
  required: boolean;
  unit: string | null;
  min: Decimal | null;
  max: Decimal | null;
  pointCode: string | null;
  answered: boolean;
  /** Checks: true pass, false fail, null not applicable (when answered); readings: within min/max. */
  passed: boolean | null;
  value: Decimal | null;
  text: string | null;
  note: string | null;
  answeredBy: string | null;
  answeredAt: Instant | null;
}

export interface ChecklistFinding {
  itemId: string;
  label: string;
  reason: string;
}

export interface ChecklistStatus {
  total: number;
  answered: number;
  /** Nothing on the checklist blocks completion. */
  canComplete: boolean;
  blocking: ChecklistFinding[];
  failed: ChecklistFinding[];
}

export type PartStatus = 'planned' | 'reserved' | 'issued' | 'released';

export interface WorkOrderPart {
  id: string;
  itemId: string;
  itemName: string;
  locationId: string | null;
  lot: string | null;
  qty: Decimal;
  qtyUsed: Decimal | null;
  status: PartStatus;
  reservationId: string | null;
  moveId: string | null;
  moveNumber: string | null;
  unitCost: Decimal | null;
  cost: Decimal | null;
}

export interface LabourLine {
  id: string;
  userId: string | null;
  technician: string;
  startedAt: Instant | null;
  minutes: number;
  hourlyRate: Decimal;
  cost: Decimal;
  note: string | null;
  createdBy: string;
  createdAt: Instant;
}

export interface ExternalCost {
  id: string;
  vendor: string | null;
  description: string;
  reference: string | null;
  amount: Decimal;
  incurredOn: IsoDate;
  createdBy: string;
  createdAt: Instant;
}

export interface WorkOrderAttachment {
  id: string;
  workOrderId: string;
  fileName: string;
  mediaType: string;
  size: number;
  sha256: string;
  createdBy: string;
  createdAt: Instant;
}

export interface WorkOrderEvent {
  id: string;
  /** `created`, `approved`, `put-on-hold`, `checklist-answered`, `part-added` … */
  type: string;
  from: WorkOrderStatus | null;
  to: WorkOrderStatus | null;
  note: string | null;
  data: Record<string, unknown>;
  actor: string;
  at: Instant;
}

export interface WorkOrderCosts {
  currency: string;
  labour: Decimal;
  parts: Decimal;
  external: Decimal;
  total: Decimal;
  /** Already posted to the asset's cost ledger (by completions). */
  posted: Decimal;
}

export interface WorkOrderDetail extends WorkOrderSummary {
  description: string | null;
  dueKey: string | null;
  generateReason: string | null;
  reportedBy: string | null;
  reportedAt: Instant | null;
  failedAt: Instant | null;
  assetTakenOut: boolean;
  holdReason: string | null;
  closedAt: Instant | null;
  cancelledAt: Instant | null;
  cancelReason: string | null;
  problemCode: string | null;
  causeCode: string | null;
  remedyCode: string | null;
  completionNote: string | null;
  signedOffBy: string | null;
  signedOffAt: Instant | null;
  partsLocationId: string | null;
  createdBy: string;
  allowedActions: WorkOrderAction[];
  checklist: ChecklistStatus & { items: ChecklistItemState[] };
  labour: { plannedMinutes: number | null; actualMinutes: number; lines: LabourLine[] };
  parts: WorkOrderPart[];
  externalCosts: ExternalCost[];
  attachments: WorkOrderAttachment[];
  history: WorkOrderEvent[];
  costs: WorkOrderCosts;
}

export interface PartInput {
  itemId: string;
  qty: DecimalIn;
  locationId?: string | null;
  lot?: string;
  /** Only (and then required) when the inventory plugin is not enabled. */
  unitCost?: DecimalIn;
}

export interface WorkOrderInput {
  type: WorkOrderType;
  assetId: string;
  title: string;
  description?: string | null;
  /** Left out: from the asset's criticality and the type (a lower one is raised to that floor). */
  priority?: Priority;
  status?: 'requested' | 'approved';
  dueOn?: IsoDate | null;
  checklistTemplateId?: string | null;
  teamId?: string | null;
  assigneeUserId?: string | null;
  plannedMinutes?: number | null;
  partsLocationId?: string | null;
  takesOutOfService?: boolean;
  parts?: PartInput[];
}

export interface WorkOrderPatch {
  version: number;
  title?: string;
  description?: string | null;
  priority?: Priority;
  dueOn?: IsoDate | null;
  teamId?: string | null;
  assigneeUserId?: string | null;
  plannedMinutes?: number | null;
  partsLocationId?: string | null;
  takesOutOfService?: boolean;
}

export type WorkOrderSort = 'due' | 'priority' | 'newest' | 'number';

export interface WorkOrderListQuery extends PageQuery {
  status?: WorkOrderStatus[];
  type?: WorkOrderType[];
  priority?: Priority[];
  assetId?: string;
  planId?: string;
  assigneeUserId?: string;
  teamId?: string;
  dueFrom?: IsoDate;
  dueTo?: IsoDate;
  scheduledFrom?: Instant;
  scheduledTo?: Instant;
  overdue?: boolean;
  /** Number (WO-000123 or 123), title, asset tag or name contains. */
  q?: string;
  sort?: WorkOrderSort;
}

interface Versioned {
  /** The version you saw: an older one is refused with 409 stale-version. */
  version?: number;
}
/** The body of each `POST /work-orders/:id/<action>`. */
export interface WorkOrderActionBodies {
  approve: Versioned & { note?: string | null };
  schedule: Versioned & { scheduledStart: Instant; scheduledEnd: Instant; assigneeUserId?: string | null; teamId?: string | null; note?: string | null };
  unschedule: Versioned & { reason?: string | null };
  start: Versioned & { note?: string | null };
  hold: Versioned & { reason: string };
  resume: Versioned & { note?: string | null };
  complete: Versioned & {
    problemCode?: string | null;
    causeCode?: string | null;
    remedyCode?: string | null;
    completionNote?: string | null;
    /** Quantity used per part line (default: the planned quantity). */
    parts?: { id: string; qtyUsed: DecimalIn }[];
  };
  reopen: Versioned & { reason: string };
  close: Versioned & { note?: string | null };
  cancel: Versioned & { reason: string };
}

export interface ChecklistAnswerInput {
  /** Checks: true pass, false fail, null not applicable. */
  passed?: boolean | null;
  /** Readings (null clears). */
  value?: DecimalIn | null;
  /** Text items (null clears). */
  text?: string | null;
  note?: string | null;
}
export interface ChecklistAnswer {
  item: ChecklistItemState;
  checklist: ChecklistStatus;
  /** A reading item with a point code: the reading recorded on the asset's measurement point. */
  reading: { id: string; pointCode: string; status: ReadingStatus; reason: string | null; workOrderIds: string[] } | null;
}

export interface LabourInput {
  /** The technician (default: the caller). */
  userId?: string;
  minutes: number;
  startedAt?: Instant;
  note?: string | null;
}

export interface ExternalCostInput {
  vendor?: string | null;
  description: string;
  reference?: string | null;
  amount: DecimalIn;
  /** Default today; not in the future. */
  incurredOn?: IsoDate;
}

export interface AttachmentInput {
  fileName: string;
  mediaType: string;
  /** The file, base64-encoded (at most 1.5 MiB decoded). */
  content: string;
}

// ---------------------------------------------------------------------------------------------
// Breakdowns (breakdowns.routes.ts)

export interface BreakdownInput {
  /** What was scanned: the asset tag or any identifier of the asset. Exactly one of code / assetId. */
  code?: string;
  assetId?: string;
  title?: string;
  description?: string | null;
  /** The asset cannot be used: starting the repair puts it in maintenance. */
  assetDown?: boolean;
  failedAt?: Instant;
  problemCode?: string | null;
}
export interface BreakdownReport {
  id: string;
  number: string;
  type: 'corrective';
  status: WorkOrderStatus;
  priority: Priority;
  title: string;
  assetId: string;
  assetTag: string;
  assetName: string;
  assetDown: boolean;
  failedAt: Instant | null;
  problemCode: string | null;
  reportedBy: string;
}
/** The asset `GET /breakdowns/asset?code=` resolved the code to. */
export interface BreakdownAsset {
  id: string;
  tag: string;
  /** The asset's name in the register. */
  name: string;
  /** Fixed-assets' status: `in-service`, `in-maintenance`, `checked-out`, `retired`… */
  status: string;
  locationId: string | null;
}
/** An active problem code a reporter may pick (`problemCode` of the report). */
export interface BreakdownProblemCode {
  code: string;
  description: string;
}
/**
 * `GET /breakdowns/asset?code=` (`maintenance.breakdown.report` only): what the code names, resolved
 * exactly as `POST /breakdowns` will (tag first, then the identifier registry), and the active
 * problem codes. Unknown: 404 `maintenance/unknown-asset-code`; several assets: 409
 * `maintenance/ambiguous-code` with {@link AmbiguousCodeAsset}s in `assets`.
 */
export interface BreakdownLookup {
  asset: BreakdownAsset;
  problemCodes: BreakdownProblemCode[];
}
/** One of the assets a 409 `maintenance/ambiguous-code` lists (`assets`), to report by `assetId`. */
export interface AmbiguousCodeAsset {
  id: string;
  label: string;
}

// ---------------------------------------------------------------------------------------------
// Catalogue (catalogue.routes.ts)

export interface ChecklistTemplateItem {
  kind: ChecklistItemKind;
  label: string;
  required: boolean;
  unit: string | null;
  min: Decimal | null;
  max: Decimal | null;
  pointCode: string | null;
}
export interface ChecklistTemplateItemInput {
  kind: ChecklistItemKind;
  label: string;
  required?: boolean;
  unit?: string | null;
  min?: DecimalIn | null;
  max?: DecimalIn | null;
  pointCode?: string | null;
}
export interface ChecklistTemplate {
  id: string;
  name: string;
  description: string | null;
  items: ChecklistTemplateItem[];
  version: number;
  active: boolean;
  createdAt: Instant;
  updatedAt: Instant;
}
export interface ChecklistTemplateInput {
  name: string;
  description?: string | null;
  items: ChecklistTemplateItemInput[];
  active?: boolean;
}
export interface ChecklistTemplatePatch {
  version: number;
  name?: string;
  description?: string | null;
  items?: ChecklistTemplateItemInput[];
  active?: boolean;
}

export interface TeamMember {
  id: string;
  name: string;
  email: string;
}
export interface Team {
  id: string;
  name: string;
  hourlyRate: Decimal | null;
  members: TeamMember[];
  createdAt: Instant;
}
export interface TeamInput {
  name: string;
  hourlyRate?: DecimalIn | null;
  memberIds?: string[];
}
export interface TeamPatch {
  name?: string;
  hourlyRate?: DecimalIn | null;
}

export interface Technician {
  userId: string;
  name: string;
  email: string;
  hourlyRate: Decimal | null;
  skills: string[];
  teams: { id: string; name: string; hourlyRate: Decimal | null }[];
}
export interface TechnicianInput {
  hourlyRate: DecimalIn | null;
  skills?: string[];
}

export type FailureCodeKind = 'problem' | 'cause' | 'remedy';
export interface FailureCode {
  kind: FailureCodeKind;
  code: string;
  description: string;
  active: boolean;
}
export interface FailureCodeInput {
  kind: FailureCodeKind;
  /** 1–32 capital letters, digits, _ or - */
  code: string;
  description: string;
  active?: boolean;
}
export interface FailureCodePatch {
  description?: string;
  active?: boolean;
}

export interface AssetProfile {
  assetId: string;
  /** What drives priority: the asset's own value, else its category's default, else C. */
  criticality: Criticality;
  source: 'asset' | 'category' | 'default';
  /** The asset's own value (null: inherited). */
  own: Criticality | null;
  updatedAt: Instant | null;
}

export interface CategoryMaintenanceSettings {
  categoryId: string;
  settings: { blockCheckoutWhenCalibrationOverdue: boolean; defaultCriticality: Criticality | null } | null;
  effective: {
    blockCheckoutWhenCalibrationOverdue: boolean;
    blockCheckoutFrom: string | null;
    defaultCriticality: Criticality | null;
    defaultCriticalityFrom: string | null;
  };
}
export interface CategoryMaintenanceSettingsInput {
  blockCheckoutWhenCalibrationOverdue?: boolean;
  defaultCriticality?: Criticality | null;
}

// ---------------------------------------------------------------------------------------------
// Plans (plans.routes.ts)

export type PlanWorkOrderType = WorkOrderType;

export interface TriggerKindInfo {
  kind: string;
  title: string;
  /** Whether the kind can preview its next due dates. */
  preview: boolean;
}

export interface PlanPart {
  itemId: string;
  qty: Decimal;
  locationId: string | null;
}

export interface Plan {
  id: string;
  code: string;
  name: string;
  description: string | null;
  triggerKind: string;
  triggerConfig: Record<string, unknown>;
  workOrderType: PlanWorkOrderType;
  assetId: string | null;
  assetTag: string | null;
  categoryId: string | null;
  categoryName: string | null;
  /** Meter and condition plans: the measurement point's code on each asset. */
  pointCode: string | null;
  /** Null: derived from the asset's criticality. */
  priority: Priority | null;
  takesOutOfService: boolean;
  estimatedMinutes: number | null;
  checklistTemplateId: string | null;
  teamId: string | null;
  assigneeUserId: string | null;
  parts: PlanPart[];
  instructions: string | null;
  active: boolean;
  /** Work orders generated from it so far. */
  workOrders: number;
  /** The earliest next due date over its assets (calendar plans), as of the last generation pass. */
  nextDueOn: IsoDate | null;
  version: number;
  createdAt: Instant;
  updatedAt: Instant;
}

export interface PlanFields {
  name: string;
  description?: string | null;
  /** calendar, meter, condition, or a contributed kind */
  triggerKind: string;
  /** The trigger kind's settings (see `GET /trigger-kinds` and the plans documentation). */
  triggerConfig: Record<string, unknown>;
  workOrderType?: PlanWorkOrderType;
  assetId?: string | null;
  categoryId?: string | null;
  priority?: Priority | null;
  takesOutOfService?: boolean;
  estimatedMinutes?: number | null;
  checklistTemplateId?: string | null;
  teamId?: string | null;
  assigneeUserId?: string | null;
  parts?: { itemId: string; qty: DecimalIn; locationId?: string | null }[];
  instructions?: string | null;
  active?: boolean;
}
export interface PlanInput extends PlanFields {
  /** Upper-case letters, digits, . _ - (at most 32) */
  code: string;
}
export type PlanPatch = Partial<PlanInput> & { version?: number };

export interface PlanListQuery extends PageQuery {
  /** The plans that apply to the asset (its own and those of its category or a parent category). */
  assetId?: string;
  categoryId?: string;
  kind?: string;
  active?: boolean;
  q?: string;
}

export interface PlanPreview {
  triggerKind: string;
  assetId: string | null;
  occurrences: { dueOn: IsoDate | null; dueTotal: Decimal | null; forecast: boolean }[];
  meter: { pointCode: string; currentTotal: Decimal | null; ratePerDay: Decimal | null } | null;
}
export interface PlanPreviewInput {
  triggerKind: string;
  triggerConfig: Record<string, unknown>;
  assetId?: string | null;
  from?: IsoDate;
  /** 1–100, default 10 */
  limit?: number;
}

export interface PlanAsset {
  assetId: string;
  tag: string;
  name: string;
  status: string;
  lastCompletedOn: IsoDate | null;
  lastCompletedTotal: Decimal | null;
  lastDueKey: string | null;
  nextDueOn: IsoDate | null;
  nextDueTotal: Decimal | null;
  /** The trigger's own state (condition plans: whether the rule is tripped). */
  triggerState: Record<string, unknown>;
}

// ---------------------------------------------------------------------------------------------
// Measurement points and readings (readings.routes.ts)

export type PointKind = 'meter' | 'gauge';
export type ReadingStatus = 'accepted' | 'flagged' | 'rejected';

export interface MeasurementPoint {
  id: string;
  assetId: string;
  code: string;
  name: string;
  kind: PointKind;
  unit: string;
  rolloverAt: Decimal | null;
  maxRatePerDay: Decimal | null;
  /** Meters: accepted usage since the first reading (rollovers included). */
  total: Decimal | null;
  lastValue: Decimal | null;
  lastReadAt: Instant | null;
  active: boolean;
  flaggedReadings: number;
  createdAt: Instant;
}
export interface PointInput {
  /** lower-case letters, digits, . _ - (at most 63) */
  code: string;
  name: string;
  kind: PointKind;
  unit: string;
  rolloverAt?: DecimalIn | null;
  maxRatePerDay?: DecimalIn | null;
}
export interface PointPatch {
  name?: string;
  unit?: string;
  rolloverAt?: DecimalIn | null;
  maxRatePerDay?: DecimalIn | null;
  active?: boolean;
}

export interface Reading {
  id: string;
  pointId: string;
  assetId: string;
  code: string;
  value: Decimal;
  readAt: Instant;
  /** Meters: the usage this reading adds (flagged: would add once confirmed). */
  delta: Decimal | null;
  /** Meters: the point's total after this reading (accepted readings only). */
  total: Decimal | null;
  status: ReadingStatus;
  reason: string | null;
  source: string;
  sourceRef: string | null;
  decidedBy: string | null;
  createdBy: string;
  createdAt: Instant;
}
export interface RecordedReading extends Reading {
  /** False when the same `sourceRef` was already stored. */
  created: boolean;
  /** Work orders this reading made due. */
  workOrderIds: string[];
}
export interface ReadingInput {
  value: DecimalIn;
  /** Default now. */
  readAt?: Instant;
  sourceRef?: string;
}
/** One reading (`value`…) or several (`readings`), not both. */
export type ReadingsInput = ReadingInput | { readings: ReadingInput[] };

export interface ReadingListQuery extends PageQuery {
  status?: ReadingStatus;
  from?: Instant;
  to?: Instant;
}

export interface ReadingImportRow {
  row: number;
  assetTag: string | null;
  pointCode: string | null;
  value: string | null;
  readAt: string | null;
  status: 'accepted' | 'flagged' | 'duplicate' | 'invalid';
  readingId: string | null;
  message: string | null;
}
export interface ReadingImportReport {
  dryRun: boolean;
  skipInvalidRows: boolean;
  counts: { rows: number; accepted: number; flagged: number; duplicate: number; invalid: number };
  imported: number;
  rows: ReadingImportRow[];
  workOrderIds: string[];
}
export interface ReadingImportInput {
  /** Columns asset_tag, point_code, value, read_at, optionally source_ref. */
  csv: string;
  skipInvalidRows?: boolean;
  dryRun?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Calibration (calibration.routes.ts)

export type CalibrationStatus = 'current' | 'due-soon' | 'overdue' | 'never';
export type CalibrationResult = 'pass' | 'fail';
export type IntervalUnit = 'day' | 'week' | 'month' | 'year';

export interface Tolerance {
  plusMinus?: Decimal;
  percent?: Decimal;
}
export interface InstrumentPoint {
  label: string | null;
  nominal: Decimal;
  unit: string;
  tolerance: Tolerance;
}
export interface Instrument {
  assetId: string;
  tag: string;
  name: string;
  assetStatus: string;
  categoryId: string | null;
  locationId: string | null;
  interval: { n: number; unit: IntervalUnit };
  points: InstrumentPoint[];
  procedure: string | null;
  warnDays: number;
  active: boolean;
  lastCalibratedOn: IsoDate | null;
  dueOn: IsoDate | null;
  lastResult: CalibrationResult | null;
  status: CalibrationStatus;
  createdAt: Instant;
  updatedAt: Instant;
}
export interface InstrumentInput {
  interval: { n: number; unit: IntervalUnit };
  points: { label?: string | null; nominal: DecimalIn; unit: string; tolerance: { plusMinus: DecimalIn } | { percent: DecimalIn } }[];
  procedure?: string | null;
  warnDays?: number;
  active?: boolean;
}
export interface CalibrationPointResult {
  label: string | null;
  unit: string;
  nominal: Decimal;
  toleranceSpec: Tolerance;
  tolerance: Decimal;
  asFound: Decimal;
  asFoundError: Decimal;
  asFoundInTolerance: boolean;
  asLeft: Decimal | null;
  asLeftError: Decimal | null;
  asLeftInTolerance: boolean | null;
  inTolerance: boolean;
}
export interface CalibrationAttachment {
  id: string;
  calibrationId: string;
  fileName: string;
  mediaType: string;
  size: number;
  sha256: string;
  createdAt: Instant;
  createdBy: string;
}
export interface Calibration {
  id: string;
  assetId: string;
  tag: string;
  workOrderId: string | null;
  performedOn: IsoDate;
  performedBy: string;
  result: CalibrationResult;
  asFoundFailed: boolean;
  adjusted: boolean;
  suspectSince: IsoDate | null;
  points: CalibrationPointResult[];
  certificateNumber: string | null;
  nextDueOn: IsoDate;
  note: string | null;
  cost: Decimal | null;
  currency: string | null;
  attachments: CalibrationAttachment[];
  createdAt: Instant;
  createdBy: string;
}
export interface InstrumentDetail extends Instrument {
  checkOut: { allowed: boolean; reason: 'overdue' | 'never' | 'failed' | null; categoryBlocks: boolean };
  calibrations: Calibration[];
}
export interface InstrumentListQuery extends PageQuery {
  status?: CalibrationStatus[];
  categoryId?: string;
  locationId?: string;
  active?: boolean;
  lastResult?: CalibrationResult;
  q?: string;
}
export interface CalibrationInput {
  performedOn: IsoDate;
  performedBy: string;
  /** One reading per test point, in the instrument's order; asLeft only when adjusted. */
  points: { asFound: DecimalIn; asLeft?: DecimalIn | null }[];
  certificateNumber?: string | null;
  note?: string | null;
  workOrderId?: string | null;
  cost?: DecimalIn | null;
}
export interface CalibrationListQuery extends PageQuery {
  assetId?: string;
  workOrderId?: string;
  from?: IsoDate;
  to?: IsoDate;
  result?: CalibrationResult;
  asFoundFailed?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Reports, calendar, dashboard (reports.routes.ts)

export interface AssetFilters {
  /** Includes everything below. */
  categoryId?: string;
  /** Includes everything below. */
  locationId?: string;
}

export interface ComplianceCounts {
  total: number;
  onTime: number;
  late: number;
  missed: number;
  open: number;
  upcoming: number;
  cancelled: number;
  /** on-time ÷ (on-time + late + missed), percent with 2 decimals. */
  compliance: Decimal | null;
}
export interface ComplianceReport {
  from: IsoDate;
  to: IsoDate;
  asOf: IsoDate;
  graceDays: number;
  totals: ComplianceCounts;
  byCategory: (ComplianceCounts & { categoryId: string | null; label: string })[];
  byPlan: (ComplianceCounts & { planId: string | null; code: string | null; label: string })[];
}
export type ComplianceQuery = Period & AssetFilters & { planId?: string };

type OpenStatus = 'requested' | 'approved' | 'scheduled' | 'in-progress' | 'on-hold';
export interface BacklogReport {
  asOf: IsoDate;
  open: number;
  overdue: number;
  byStatus: Record<OpenStatus, number>;
  byPriority: Record<Priority, number>;
  byType: Record<WorkOrderType, number>;
  byAge: { bucket: '0-7' | '8-30' | '31-90' | '91+' | string; count: number }[];
  plannedHours: Decimal;
  bookedHours: Decimal;
  outstandingHours: Decimal;
}
export type BacklogQuery = AssetFilters & { type?: WorkOrderType[]; teamId?: string; assigneeUserId?: string };

export interface ReliabilityFigures {
  failures: number;
  repaired: number;
  downtimeHours: Decimal;
  uptimeHours: Decimal;
  mtbfHours: Decimal | null;
  mttrHours: Decimal | null;
  availability: Decimal;
}
export interface ReliabilityReport {
  from: IsoDate;
  to: IsoDate;
  periodStart: Instant;
  periodEnd: Instant;
  periodHours: Decimal;
  totals: ReliabilityFigures & { assets: number };
  byCategory: (ReliabilityFigures & { categoryId: string | null; label: string; assets: number })[];
  assets: (ReliabilityFigures & { assetId: string; tag: string; name: string; categoryId: string | null })[];
}
export type ReliabilityQuery = Period & AssetFilters;

export interface CostAmounts {
  labour: Decimal;
  parts: Decimal;
  external: Decimal;
  calibration: Decimal;
  total: Decimal;
}
export interface CostReport {
  from: IsoDate;
  to: IsoDate;
  total: number;
  limit: number;
  offset: number;
  data: (CostAmounts & { assetId: string; tag: string; name: string; categoryId: string | null; currency: string; workOrders: number; calibrations: number })[];
  totals: (CostAmounts & { currency: string; assets: number; workOrders: number; calibrations: number })[];
}
export type CostQuery = Period & AssetFilters & PageQuery;

export interface CalibrationStatusCounts {
  current: number;
  dueSoon: number;
  overdue: number;
  never: number;
}
export interface CalibrationReport {
  asOf: IsoDate;
  from: IsoDate;
  to: IsoDate;
  instruments: number;
  byStatus: CalibrationStatusCounts;
  failed: number;
  overdue: {
    assetId: string;
    tag: string;
    name: string;
    categoryId: string | null;
    locationId: string | null;
    dueOn: IsoDate;
    daysOverdue: number;
    lastCalibratedOn: IsoDate | null;
    lastResult: CalibrationResult | null;
  }[];
  results: { total: number; pass: number; fail: number; asFoundFailed: number; adjusted: number; passRate: Decimal | null };
}
export type CalibrationReportQuery = Period & AssetFilters;

export interface CalendarEntry {
  date: IsoDate;
  kind: 'work-order' | 'forecast';
  workOrderId: string | null;
  number: string | null;
  status: WorkOrderStatus | null;
  type: WorkOrderType;
  priority: Priority | null;
  title: string;
  assetId: string;
  assetTag: string;
  assetName: string;
  planId: string | null;
  planCode: string | null;
  dueOn: IsoDate | null;
  dueTotal: Decimal | null;
  scheduledStart: Instant | null;
  scheduledEnd: Instant | null;
  /** A meter plan's date forecast from usage. */
  estimated: boolean;
}
export interface MaintenanceCalendar {
  from: IsoDate;
  to: IsoDate;
  /** More than 5,000 entries: narrow the range or filter. */
  truncated: boolean;
  entries: CalendarEntry[];
}
export type CalendarQuery = Period & AssetFilters & { assetId?: string; type?: WorkOrderType[] };

export interface Dashboard {
  asOf: IsoDate;
  workOrders: {
    open: number;
    byStatus: Record<OpenStatus, number>;
    byPriority: Record<Priority, number>;
    overdue: number;
    dueThisWeek: number;
  };
  pmCompliance: ComplianceCounts & Period;
  calibration: { instruments: number; byStatus: CalibrationStatusCounts; failed: number };
  reliability: Period & { failures: number; repaired: number; mttrHours: Decimal | null; mtbfHours: Decimal | null };
}

// ---------------------------------------------------------------------------------------------
// Scheduler and notifications

export interface GenerationRun {
  id: string;
  asOf: IsoDate;
  instance: string;
  startedAt: Instant;
  finishedAt: Instant | null;
  plansChecked: number;
  workOrdersCreated: number;
  error: string | null;
}
export interface SweepResult {
  asOf: IsoDate;
  workOrders: number;
  calibrations: number;
  readingsDeleted: number;
}

export type NotificationKind = 'work-order.overdue' | 'work-order.assigned' | 'breakdown.reported' | 'calibration.overdue';
export interface MaintenanceNotification {
  id: string;
  kind: NotificationKind;
  title: string;
  body: string | null;
  workOrderId: string | null;
  assetId: string | null;
  forEveryone: boolean;
  readAt: Instant | null;
  createdAt: Instant;
}
export interface NotificationList extends Paged<MaintenanceNotification> {
  /** My unread ones, whatever the filters. */
  unreadCount: number;
}

// ---------------------------------------------------------------------------------------------
// Other plugins and the core, as far as these pages read them

/** A row of fixed-assets' `GET /api/fixed-assets/assets`, the fields the pickers use. */
export interface FaAsset {
  id: string;
  tag: string;
  name: string;
  status: string;
  category?: { id: string; name: string; path: string } | null;
  location?: { id: string; name: string; path: string } | null;
}
export interface Session {
  user: { id: string; email: string; name: string } | null;
  permissions: string[];
}
/** `GET /api/core/platform`: the plugins enabled on the server. */
export interface PlatformInfo {
  coreVersion: string;
  plugins: { id: string; version: string; displayName?: string }[];
}

// ---------------------------------------------------------------------------------------------
// Plan editor: the built-in trigger kinds' configs (`triggerConfig`), as `domain/calendar.ts`,
// `domain/meter.ts` and `domain/condition.ts` define them and `plans.service.ts` accepts them.
// Type aliases (not interfaces), so they fit `triggerConfig: Record<string, unknown>`.

export type ScheduleMode = 'fixed' | 'floating';
export type CalendarTriggerConfig = {
  recurrence: { type: 'interval'; every: number; unit: IntervalUnit } | { type: 'cron'; expression: string };
  mode: ScheduleMode;
  /** The first due date (default: the day the plan first applies to the asset). */
  startOn?: IsoDate;
  /** Days before the due date the work order is generated. */
  leadDays?: number;
  /** `MM-DD` to `MM-DD` inclusive (`from` after `to` wraps the new year). */
  windows?: { from: string; to: string }[];
  outsideWindow?: 'skip' | 'next-window-start';
  catchUpLimit?: number;
};
export type MeterTriggerConfig = {
  /** The asset's meter point code. */
  meter: string;
  every: Decimal;
  mode: ScheduleMode;
  startTotal?: Decimal;
  leadUnits?: Decimal;
};
export type ConditionRuleKind = 'above' | 'below' | 'outside' | 'rate-of-change';
export type ConditionTriggerConfig = {
  /** The asset's gauge point code. */
  point: string;
  kind: ConditionRuleKind;
  threshold?: Decimal;
  reset?: Decimal;
  low?: Decimal;
  high?: Decimal;
  hysteresis?: Decimal;
  maxPerHour?: Decimal;
  resetPerHour?: Decimal;
  consecutive?: number;
};
