/** Console-side constants; the contract's own come from the dependency-free `shared/constants`. */
import {
  ASSET_CONDITIONS,
  ASSET_STATUSES,
  BOOKING_STATUSES,
  CUSTODY_HOLDER_TYPES,
  DOCUMENT_KINDS,
  permissions,
  type AssetCondition,
  type AssetStatus,
  type BookingStatus,
  type CustodyHolderType,
  type DocumentKind,
} from '../shared/constants';

export const PLUGIN_ID = 'fixed-assets';
export const BASE = '/api/fixed-assets';

export const P = permissions;

export { ASSET_CONDITIONS, ASSET_STATUSES, BOOKING_STATUSES, CUSTODY_HOLDER_TYPES, DOCUMENT_KINDS };

type TagType = 'success' | 'warning' | 'info' | 'danger' | 'primary';

export const STATUS_LABELS: Record<AssetStatus, string> = {
  ordered: 'Ordered',
  received: 'Received',
  'in-service': 'In service',
  'checked-out': 'Checked out',
  'in-maintenance': 'In maintenance',
  'in-transit': 'In transit',
  retired: 'Retired',
  disposed: 'Disposed',
};

export const statusTag = (s: string): TagType =>
  s === 'in-service'
    ? 'success'
    : s === 'checked-out' || s === 'in-transit'
      ? 'primary'
      : s === 'in-maintenance'
        ? 'warning'
        : s === 'disposed'
          ? 'danger'
          : 'info';

export const CONDITION_LABELS: Record<AssetCondition, string> = { new: 'New', good: 'Good', fair: 'Fair', poor: 'Poor', broken: 'Broken' };

export const HOLDER_TYPE_LABELS: Record<CustodyHolderType, string> = { person: 'Person', user: 'User', location: 'Location', project: 'Project' };

export const BOOKING_STATUS_LABELS: Record<BookingStatus, string> = { reserved: 'Reserved', 'checked-out': 'Checked out', completed: 'Completed', cancelled: 'Cancelled' };
export const bookingStatusTag = (s: string): TagType => (s === 'reserved' ? 'primary' : s === 'checked-out' ? 'warning' : s === 'completed' ? 'success' : 'info');

export const DOCUMENT_KIND_LABELS: Record<DocumentKind, string> = {
  photo: 'Photo',
  invoice: 'Invoice',
  warranty: 'Warranty',
  manual: 'Manual',
  certificate: 'Certificate',
  other: 'Other',
};

/** Lifecycle actions carried out by `POST /assets/:id/transitions` (see domain/lifecycle.ts), with their button labels. */
export const TRANSITION_LABELS: Record<string, string> = {
  receive: 'Receive',
  'place-in-service': 'Place in service',
  'start-maintenance': 'Start maintenance',
  'end-maintenance': 'End maintenance',
  dispatch: 'Dispatch',
  arrive: 'Arrive',
  retire: 'Retire',
  reinstate: 'Reinstate',
};

/** Depreciation methods and conventions the server accepts (domain/depreciation/types.ts). */
export const DEPRECIATION_METHOD_LABELS: Record<string, string> = {
  'straight-line': 'Straight-line',
  'declining-balance': 'Declining balance',
  'double-declining-balance': 'Double declining balance',
  '150-declining-balance': '150% declining balance',
  'sum-of-years-digits': "Sum of the years' digits",
  'units-of-production': 'Units of production',
  macrs: 'MACRS (GDS)',
  none: 'None (not depreciated)',
};
export const CONVENTION_LABELS: Record<string, string> = {
  'full-month': 'Full month',
  'mid-month': 'Mid-month',
  'half-year': 'Half-year',
  'mid-quarter': 'Mid-quarter',
  'actual-days': 'Actual days',
  'full-year': 'Full year',
};
export const MACRS_RECOVERY_PERIODS = [3, 5, 7, 10, 15, 20] as const;

/** Where saved asset-list filters live in the browser (per user: no core preferences API yet). */
export const SAVED_FILTERS_KEY = (userId: string) => `qm.fixed-assets.asset-filters.${userId}`;
