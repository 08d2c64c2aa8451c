/**
 * What the inventory API answers, as the console reads it. Mirrors the TypeBox schemas in
 * `src/server/routes/*.routes.ts` (those are the truth); decimals travel as strings.
 */
export type { Paged } from '@quartermaster/ui';

export interface StockRow {
  itemId: string;
  itemName: string;
  uom: string;
  locationId: string | null;
  location: string | null;
  lotId: string | null;
  lot: string | null;
  expiresOn: string | null;
  lotBlocked: boolean | null;
  onHand: string;
  reserved: string;
  available: string;
  /** Only for callers who may see costs. */
  value?: string | null;
}

export interface ItemStock {
  itemId: string;
  itemName: string;
  uom: string;
  trackingMode: string;
  onHand: string;
  reserved: string;
  available: string;
  valuationMethod?: string;
  value?: string | null;
  unitValue?: string | null;
  locations: StockRow[];
  units: Unit[];
}

export interface Unit {
  uom: string;
  factor: string;
}

export interface ItemSettings {
  itemId: string;
  baseUom: string;
  valuationMethod: string | null;
  effectiveValuationMethod: string;
  standardCost: string | null;
  units: Unit[];
  onHand: string;
}

export interface MoveLine {
  id: string;
  lineNo: number;
  itemId: string;
  itemName: string;
  fromLocationId: string | null;
  fromLocation: string | null;
  toLocationId: string | null;
  toLocation: string | null;
  lotId: string | null;
  lot: string | null;
  serialId: string | null;
  serial: string | null;
  qty: string;
  uom: string;
  uomQty: string;
  baseUom: string;
  unitCost?: string | null;
  amount?: string | null;
  reason: string | null;
  returnOfLineId: string | null;
  reversesLineId: string | null;
  reservationId: string | null;
}

export interface Move {
  id: string;
  number: string;
  type: string;
  reference: string | null;
  note: string | null;
  effectiveAt: string;
  postedAt: string;
  postedBy: string;
  reversesMoveId: string | null;
  reversedByMoveId: string | null;
  backDated?: boolean;
  lines: MoveLine[];
}

export interface MoveSummary {
  id: string;
  number: string;
  type: string;
  reference: string | null;
  effectiveAt: string;
  postedAt: string;
  postedBy: string;
  lineCount: number;
  totalQty: string;
  items: string[];
  reversesMoveId: string | null;
  reversedByMoveId: string | null;
}

export interface MoveLineInput {
  itemId: string;
  qty: string;
  uom?: string;
  fromLocationId?: string;
  toLocationId?: string;
  lot?: string;
  expiresOn?: string;
  serials?: string[];
  unitCost?: string;
  reason?: string;
  returnOfLineId?: string;
}

export interface MoveInput {
  type: string;
  reference?: string;
  note?: string;
  effectiveAt?: string;
  lines: MoveLineInput[];
}

export type LotStatus = 'ok' | 'expiring' | 'expired' | 'blocked';

export interface Lot {
  id: string;
  itemId: string;
  itemName: string;
  code: string;
  expiresOn: string | null;
  manufacturedOn: string | null;
  blocked: boolean;
  blockReason: string | null;
  onHand: string;
  daysToExpiry: number | null;
  status: LotStatus;
  createdAt: string;
}

export interface LotTrace {
  lot: Lot;
  moves: {
    moveId: string;
    number: string;
    type: string;
    reference: string | null;
    effectiveAt: string;
    fromLocationId: string | null;
    fromLocation: string | null;
    toLocationId: string | null;
    toLocation: string | null;
    qty: string;
    serial: string | null;
  }[];
  locations: { locationId: string; location: string; path: string; onHand: string; received: string; shipped: string }[];
}

export type ReservationStatus = 'active' | 'released' | 'consumed' | 'expired';

export interface Reservation {
  id: string;
  itemId: string;
  itemName: string;
  locationId: string;
  location: string;
  qty: string;
  consumed: string;
  remaining: string;
  status: ReservationStatus | string;
  referenceType: string | null;
  reference: string | null;
  expiresAt: string | null;
  createdAt: string;
  createdBy: string;
  closedAt: string | null;
  lots: { lot: string | null; qty: string }[];
}

export interface ValuationReport {
  asOf: string;
  groupBy: string;
  totalValue: string;
  rows: { key: string | null; label: string; qty: string | null; value: string; items: number }[];
}

export interface CogsTotals {
  cogs: string;
  customerReturns: string;
  netCogs: string;
  adjustments: string;
  supplierReturns: string;
  receipts: string;
}

export interface CogsReport {
  from: string;
  to: string;
  totals: CogsTotals;
  rows: { key: string | null; label: string; issuedQty: string; cogs: string; customerReturns: string; netCogs: string; adjustments: string }[];
}

export type PreviewMove = { type: 'in'; qty: string; unitCost: string } | { type: 'out'; qty: string } | { type: 'return'; of: number; qty: string };

export interface PreviewInput {
  method: string;
  system: string;
  allowNegative?: boolean;
  standardCost?: string;
  moves: PreviewMove[];
}

export interface PreviewResult {
  issueCosts: string[];
  totalCogs: string;
  endingQty: string;
  endingValue: string;
  valueAfterEachMove: string[];
  layers: { qty: string; unitCost: string; value?: string }[];
  unvaluedQty?: string;
  purchasePriceVariance?: string;
}

/** The core's answers the console reads (subset). */
export interface CoreItem {
  id: string;
  name: string;
  unitOfMeasure: string;
  kind: string;
  trackingMode: 'none' | 'lot' | 'serial' | string;
  archived: boolean;
  identifiers?: { id: string; type: string; value: string }[];
}

export interface CoreLocation {
  id: string;
  name: string;
  code: string | null;
  type: string;
  parentId: string | null;
  path: string;
}

export interface ResolveAnswer {
  value: string;
  matches: { identifier: { id: string; type: string; value: string }; target: { type: string; id: string; label: string; href: string } }[];
  interpretations?: { type: string; value: string; data?: Record<string, unknown> }[];
}

// --- counting (`counts.routes.ts`) ---
export interface CountSummary {
  id: string;
  number: string;
  name: string;
  kind: 'full' | 'cycle' | string;
  locationId: string;
  location: string;
  blind: boolean;
  status: 'counting' | 'review' | 'posted' | 'cancelled' | string;
  recountTolerance: string;
  startedAt: string;
  startedBy: string;
  closedAt: string | null;
  moveId: string | null;
  lines: number;
  counted: number;
}

export type CountLineStatus = 'pending' | 'counted' | 'recount' | 'recounted' | string;

export interface CountLine {
  id: string;
  itemId: string;
  itemName: string;
  uom: string;
  locationId: string;
  location: string;
  lot: string | null;
  serial: string | null;
  /** Null while a blind count is being counted. */
  expectedQty: string | null;
  countedQty: string | null;
  recountQty: string | null;
  status: CountLineStatus;
  varianceQty: string | null;
  /** Only for callers who may see costs. */
  varianceValue?: string | null;
  countedBy: string | null;
}

export interface CountDetail extends CountSummary {
  note: string | null;
  /** Total value impact; only for callers who may see costs. */
  varianceValue?: string | null;
  lineItems: CountLine[];
}

export interface CountStartInput {
  name: string;
  kind: 'full' | 'cycle';
  locationId: string;
  blind?: boolean;
  itemIds?: string[];
  abcClasses?: ('A' | 'B' | 'C')[];
  recountTolerance?: number;
  note?: string;
}

/** What the start dialog opens with (e.g. the items due for counting). */
export interface CountPreset {
  kind?: 'full' | 'cycle';
  name?: string;
  locationId?: string;
  items?: { id: string; name: string }[];
}

export interface CountEntry {
  lineId?: string;
  itemId?: string;
  locationId?: string;
  lot?: string;
  countedQty: string;
}

export interface CountDue {
  itemId: string;
  itemName: string;
  abcClass: string;
  lastCountedAt: string | null;
  dueOn: string;
  overdueDays: number;
}

export interface AbcResult {
  A: number;
  B: number;
  C: number;
  items: { itemId: string; itemName: string; abcClass: string | null; consumptionValue?: string; share?: string; classifiedAt: string | null }[];
}

// --- replenishment (`replenishment.routes.ts`, `replenishment-preview.routes.ts`) ---
export interface Supplier {
  id: string;
  name: string;
  code: string | null;
  email: string | null;
  phone: string | null;
  currency: string;
  leadTimeDays: number;
  notes: string | null;
  archived: boolean;
  items: number;
}

export interface SupplierInput {
  name?: string;
  code?: string | null;
  email?: string | null;
  phone?: string | null;
  currency?: string;
  leadTimeDays?: number;
  notes?: string | null;
  archived?: boolean;
}

export interface SupplierItem {
  supplierId: string;
  supplier: string;
  itemId: string;
  itemName: string;
  supplierSku: string | null;
  unitPrice: string;
  uom: string;
  factor: string;
  leadTimeDays: number | null;
  minOrderQty: string | null;
  orderMultiple: string | null;
  preferred: boolean;
}

export interface SupplierItemInput {
  supplierSku?: string | null;
  unitPrice: string;
  uom?: string;
  leadTimeDays?: number | null;
  minOrderQty?: string | null;
  orderMultiple?: string | null;
  preferred?: boolean;
}

export interface ReorderRule {
  id: string;
  itemId: string;
  itemName: string;
  uom: string;
  locationId: string;
  location: string;
  kind: 'min-max' | 'reorder-point' | string;
  min: string | null;
  max: string | null;
  reorderPoint: string | null;
  safetyStock: string | null;
  serviceLevel: string | null;
  demandStdDevPerDay: string | null;
  leadTimeDays: number | null;
  orderQty: string | null;
  orderCost: string | null;
  holdingCostPerUnitYear: string | null;
  orderMultiple: string | null;
  minOrderQty: string | null;
  supplierId: string | null;
  supplier: string | null;
  belowSince: string | null;
}

export interface ReorderRuleInput {
  itemId: string;
  locationId: string;
  kind: 'min-max' | 'reorder-point';
  min?: string | null;
  max?: string | null;
  reorderPoint?: string | null;
  safetyStock?: string | null;
  serviceLevel?: number | null;
  demandStdDevPerDay?: string | null;
  leadTimeDays?: number | null;
  orderQty?: string | null;
  orderCost?: string | null;
  holdingCostPerUnitYear?: string | null;
  orderMultiple?: string | null;
  minOrderQty?: string | null;
  supplierId?: string | null;
}

export interface Suggestion {
  ruleId: string;
  itemId: string;
  itemName: string;
  uom: string;
  locationId: string;
  location: string;
  onHand: string;
  reserved: string;
  onOrder: string;
  position: string;
  reorderPoint: string | null;
  safetyStock: string | null;
  qty: string;
  purchaseQty: string | null;
  purchaseUom: string | null;
  supplierId: string | null;
  supplier: string | null;
  unitPrice: string | null;
  reason: string;
}

export interface SkippedRule {
  ruleId: string;
  itemName: string;
  reason: string;
}

export interface Suggestions {
  suggestions: Suggestion[];
  skipped: SkippedRule[];
}

export interface CreatedPurchaseOrders {
  purchaseOrders: { id: string; number: string; supplierId: string; lines: number }[];
  skipped: SkippedRule[];
}

/** `POST /replenishment/preview`: decimals as strings (or numbers). */
export interface ReplenishmentPreviewInput {
  annualDemand: string;
  orderCost: string;
  holdingCostPerUnitYear: string;
  demandStdDevPerPeriod?: string;
  leadTimePeriods?: string;
  leadTimeStdDevPeriods?: string;
  serviceLevel?: string;
  z?: string;
  demandPerPeriod?: string;
}

export interface ReplenishmentPreview {
  eoq: string;
  annualCostAtEoq: string;
  z?: string;
  safetyStock?: string;
  reorderPoint?: string;
}

// --- purchasing (`purchase-orders.routes.ts`) ---
export interface PurchaseOrderSummary {
  id: string;
  number: string;
  supplier: string;
  location: string;
  status: string;
  expectedOn: string | null;
  createdAt: string;
  lines: number;
  total: string;
}

export interface PurchaseOrderLine {
  id: string;
  lineNo: number;
  itemId: string;
  itemName: string;
  qty: string;
  uom: string;
  factor: string;
  unitPrice: string;
  amount: string;
  receivedQty: string;
  openQty: string;
  trackingMode: 'none' | 'lot' | 'serial' | string;
}

export interface PurchaseOrder {
  id: string;
  number: string;
  supplierId: string;
  supplier: string;
  currency: string;
  locationId: string;
  location: string;
  status: string;
  expectedOn: string | null;
  reference: string | null;
  note: string | null;
  createdAt: string;
  createdBy: string;
  orderedAt: string | null;
  closedAt: string | null;
  total: string;
  lines: PurchaseOrderLine[];
}

export interface PurchaseOrderInput {
  supplierId: string;
  locationId: string;
  expectedOn?: string;
  reference?: string;
  note?: string;
  lines: { itemId: string; qty: string; uom?: string; unitPrice?: string }[];
}

export interface ReceiptLineInput {
  lineId: string;
  qty: string;
  toLocationId?: string;
  lot?: string;
  expiresOn?: string;
  serials?: string[];
}

export interface ReceiveInput {
  allowOverDelivery?: boolean;
  note?: string;
  lines: ReceiptLineInput[];
}

// --- periodic report (`valuation.routes.ts`) ---
export interface PeriodicRow {
  itemId: string;
  itemName: string;
  openingQty: string;
  openingValue: string;
  inQty: string;
  inValue: string;
  issuedQty: string;
  cogs: string;
  endingQty: string;
  endingValue: string;
}

export interface PeriodicReport {
  from: string;
  to: string;
  method: string;
  totals: { openingValue: string; inValue: string; cogs: string; endingValue: string };
  rows: PeriodicRow[];
}

// --- CSV imports (`imports.routes.ts`) ---
export interface ImportJob {
  id: string;
  number: string;
  kind: string;
  status: 'validating' | 'importing' | 'done' | 'failed' | string;
  dryRun: boolean;
  skipInvalidRows: boolean;
  asOf: string | null;
  fileName: string | null;
  background: boolean;
  progress: { phase: 'validating' | 'importing' | string; processed: number; total: number };
  counts: { total: number; valid: number; invalid: number; imported: number; created: number; updated: number; unchanged: number; errors: number };
  moveIds: string[];
  detail: string | null;
  createdBy: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** Only on `GET /imports/:id` and `POST /imports`. */
  errors?: { row: number; column: string | null; message: string; value: string | null }[];
  errorsStored?: number;
  errorsTruncated?: boolean;
}

export interface ImportInput {
  kind: string;
  csv: string;
  dryRun?: boolean;
  skipInvalidRows?: boolean;
  asOf?: string;
  fileName?: string;
}

// --- health reports (`reports.routes.ts`) ---
export interface TurnoverRow {
  itemId: string;
  itemName: string;
  sku: string | null;
  uom: string;
  cogs: string;
  openingValue: string;
  closingValue: string;
  averageValue: string;
  turnover: string | null;
  issuedQty: string;
  averageDailyIssued: string;
  onHand: string;
  daysOfCover: string | null;
}

export interface TurnoverReport {
  from: string;
  to: string;
  days: number;
  totals: { cogs: string; openingValue: string; closingValue: string; averageValue: string; turnover: string | null };
  rows: TurnoverRow[];
}

export interface SlowMovingRow {
  itemId: string;
  itemName: string;
  sku: string | null;
  uom: string;
  onHand: string;
  value?: string | null;
  lastIssueAt: string | null;
  daysSinceLastIssue: number | null;
  lastMovementAt: string | null;
  daysSinceLastMovement: number | null;
  dead: boolean;
}

export interface SlowMovingReport {
  data: SlowMovingRow[];
  total: number;
  limit: number;
  offset: number;
  days: number;
  deadDays: number;
  dead: number;
  totalValue?: string;
}

export interface StockOutRow {
  itemId: string;
  itemName: string;
  sku: string | null;
  locationId: string;
  location: string;
  stockOuts: number;
  totalHours: string;
  currentlyOut: boolean;
  outSince: string | null;
  currentHours: string | null;
  lastOccurredAt: string;
}

export interface StockOutsReport {
  from: string;
  to: string;
  totals: { stockOuts: number; totalHours: string; currentlyOut: number };
  rows: StockOutRow[];
}
