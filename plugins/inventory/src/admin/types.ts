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
