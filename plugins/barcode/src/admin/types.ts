/**
 * The shapes of the barcode API as the console reads them (from the shared TypeBox schemas, as
 * types only: the schemas' runtime stays out of the console bundle).
 */
import type { Static } from '@sinclair/typebox';
import type {
  AllocateBody,
  AllocationSchema,
  BarcodeSettingsSchema,
  BarcodeSettingsUpdate,
  Gs1ElementSchema,
  Gs1ParseResultSchema,
  LabelsBody,
  LabelTarget,
  LabelTemplate,
  PrintBody,
  PrintJobSchema,
  PrinterSchema,
  PrinterStatusSchema,
  ScanResult,
} from '../shared/index';

export type Gs1Element = Static<typeof Gs1ElementSchema>;
export type Gs1ParseResult = Static<typeof Gs1ParseResultSchema>;
export type { ScanResult, LabelTarget, LabelTemplate };
export type LabelsRequest = Static<typeof LabelsBody>;
export type BarcodeSettings = Static<typeof BarcodeSettingsSchema>;
export type BarcodeSettingsPatch = Static<typeof BarcodeSettingsUpdate>;
export type AllocateRequest = Static<typeof AllocateBody>;
export type Allocation = Static<typeof AllocationSchema>;
export type Printer = Static<typeof PrinterSchema>;
export type PrintJob = Static<typeof PrintJobSchema>;
export type PrinterStatus = Static<typeof PrinterStatusSchema>;
export type PrintRequest = Static<typeof PrintBody>;

/** `422 gs1-invalid` extension members. */
export interface Gs1Problem {
  code?: string;
  ai?: string | null;
  position?: number | null;
}

export interface Session {
  user: { id: string; email: string; name: string } | null;
  permissions: string[];
  csrfToken: string;
}
export interface PlatformInfo {
  coreVersion: string;
  plugins: { id: string; version: string; displayName?: string }[];
}
export interface Paged<T> {
  data: T[];
  total: number;
  limit: number;
  offset: number;
}
export interface CoreItemRef {
  id: string;
  name: string;
}
export interface AssetRef {
  id: string;
  tag: string;
  name: string;
}
export interface LotRef {
  id: string;
  itemId: string;
  itemName: string;
  code: string;
  expiresOn: string | null;
}
