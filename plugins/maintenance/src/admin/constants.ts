/**
 * Console-side constants: labels and colours for the maintenance vocabulary. The vocabulary itself
 * (statuses, types, priorities, criticality, the actions and which status each leaves from) is the
 * domain's (`domain/work-order.ts`), so the console and the server never disagree on it.
 */
import {
  CRITICALITIES,
  PRIORITIES,
  WORK_ORDER_ACTIONS,
  WORK_ORDER_STATUSES,
  WORK_ORDER_TYPES,
  type Criticality,
  type Priority,
  type WorkOrderAction,
  type WorkOrderStatus,
  type WorkOrderType,
} from '../domain/work-order';
// Type only: `shared/index.ts` pulls in the server SDK, which has no place in the console bundle.
import type { permissions as sharedPermissions } from '../shared/index';
import type { CalibrationStatus, FailureCodeKind, NotificationKind, PartStatus, PointKind, ReadingStatus } from './types';

export const PLUGIN_ID = 'maintenance';
export const BASE = '/api/maintenance';
/** Where the console's pages live. */
export const ROUTE_BASE = '/maintenance';

/** The plugin's permission ids (typed against the server's list, so a rename breaks the build). */
export const P: typeof sharedPermissions = {
  read: 'maintenance.read',
  report: 'maintenance.breakdown.report',
  execute: 'maintenance.work-order.execute',
  manage: 'maintenance.work-order.manage',
  plan: 'maintenance.plan.write',
  readings: 'maintenance.reading.write',
  calibrate: 'maintenance.calibration.write',
};

export { CRITICALITIES, PRIORITIES, WORK_ORDER_ACTIONS, WORK_ORDER_STATUSES, WORK_ORDER_TYPES };

/** Element Plus tag types. */
export type TagType = 'success' | 'warning' | 'info' | 'danger' | 'primary';

// --- work order status ---
export const STATUS_LABELS: Record<WorkOrderStatus, string> = {
  requested: 'Requested',
  approved: 'Approved',
  scheduled: 'Scheduled',
  'in-progress': 'In progress',
  'on-hold': 'On hold',
  completed: 'Completed',
  closed: 'Closed',
  cancelled: 'Cancelled',
};
export const STATUS_TAGS: Record<WorkOrderStatus, TagType> = {
  requested: 'info',
  approved: 'primary',
  scheduled: 'primary',
  'in-progress': 'warning',
  'on-hold': 'danger',
  completed: 'success',
  closed: 'success',
  cancelled: 'info',
};
/** For charts and the calendar (Element Plus palette). */
export const STATUS_COLOURS: Record<WorkOrderStatus, string> = {
  requested: '#909399',
  approved: '#409eff',
  scheduled: '#337ecc',
  'in-progress': '#e6a23c',
  'on-hold': '#f56c6c',
  completed: '#67c23a',
  closed: '#529b2e',
  cancelled: '#c0c4cc',
};
/** The columns of the work order board, in order (closed and cancelled live in the list view). */
export const BOARD_STATUSES: readonly WorkOrderStatus[] = ['requested', 'approved', 'scheduled', 'in-progress', 'on-hold', 'completed'];

// --- type ---
export const TYPE_LABELS: Record<WorkOrderType, string> = {
  preventive: 'Preventive',
  corrective: 'Corrective',
  inspection: 'Inspection',
  calibration: 'Calibration',
};
export const TYPE_TAGS: Record<WorkOrderType, TagType> = { preventive: 'primary', corrective: 'danger', inspection: 'info', calibration: 'warning' };
export const TYPE_COLOURS: Record<WorkOrderType, string> = { preventive: '#409eff', corrective: '#f56c6c', inspection: '#909399', calibration: '#e6a23c' };

// --- priority ---
export const PRIORITY_LABELS: Record<Priority, string> = { low: 'Low', medium: 'Medium', high: 'High', urgent: 'Urgent' };
export const PRIORITY_TAGS: Record<Priority, TagType> = { low: 'info', medium: 'primary', high: 'warning', urgent: 'danger' };
export const PRIORITY_COLOURS: Record<Priority, string> = { low: '#909399', medium: '#409eff', high: '#e6a23c', urgent: '#f56c6c' };

// --- criticality (ABC) ---
export const CRITICALITY_LABELS: Record<Criticality, string> = {
  A: 'A — critical (a failure stops production or endangers people)',
  B: 'B — important (costly, but there is a work-around)',
  C: 'C — run to failure is acceptable',
};
export const CRITICALITY_SHORT: Record<Criticality, string> = { A: 'A · critical', B: 'B · important', C: 'C · low' };
export const CRITICALITY_TAGS: Record<Criticality, TagType> = { A: 'danger', B: 'warning', C: 'info' };
export const CRITICALITY_COLOURS: Record<Criticality, string> = { A: '#f56c6c', B: '#e6a23c', C: '#909399' };

// --- lifecycle actions ---
export const ACTION_LABELS: Record<WorkOrderAction, string> = {
  approve: 'Approve',
  schedule: 'Schedule',
  unschedule: 'Unschedule',
  start: 'Start',
  hold: 'Put on hold',
  resume: 'Resume',
  complete: 'Complete',
  reopen: 'Reopen',
  close: 'Sign off and close',
  cancel: 'Cancel',
};
/** Who may take each action (the server checks the same). */
export const ACTION_PERMISSIONS: Record<WorkOrderAction, string> = {
  approve: P.manage,
  schedule: P.manage,
  unschedule: P.manage,
  start: P.execute,
  hold: P.execute,
  resume: P.execute,
  complete: P.execute,
  reopen: P.manage,
  close: P.manage,
  cancel: P.manage,
};
/** Actions that ask for something first (dates, a reason, failure codes, a sign-off); the others run at once. */
export const ACTIONS_WITH_DIALOG: ReadonlySet<WorkOrderAction> = new Set<WorkOrderAction>(['schedule', 'hold', 'complete', 'reopen', 'close', 'cancel']);
export const ACTION_BUTTON_TYPES: Record<WorkOrderAction, TagType | 'default'> = {
  approve: 'primary',
  schedule: 'primary',
  unschedule: 'default',
  start: 'primary',
  hold: 'warning',
  resume: 'primary',
  complete: 'success',
  reopen: 'warning',
  close: 'success',
  cancel: 'danger',
};

/** History entry types (`maintenance_work_order_event.type`) as a person reads them. */
export const HISTORY_LABELS: Record<string, string> = {
  created: 'Created',
  'breakdown-reported': 'Breakdown reported',
  approved: 'Approved',
  scheduled: 'Scheduled',
  unscheduled: 'Taken off the schedule',
  started: 'Started',
  'put-on-hold': 'Put on hold',
  resumed: 'Resumed',
  completed: 'Completed',
  reopened: 'Reopened',
  closed: 'Signed off and closed',
  cancelled: 'Cancelled',
  updated: 'Changed',
  'checklist-added': 'Checklist added',
  'checklist-answered': 'Checklist answered',
  'labour-added': 'Labour booked',
  'labour-removed': 'Labour removed',
  'part-added': 'Part added',
  'part-removed': 'Part removed',
  'external-cost-added': 'External cost added',
  'external-cost-removed': 'External cost removed',
  'attachment-added': 'File attached',
  'attachment-removed': 'File removed',
};

// --- parts, failure codes, readings, calibration, notifications ---
export const PART_STATUS_LABELS: Record<PartStatus, string> = { planned: 'Planned', reserved: 'Reserved', issued: 'Issued', released: 'Released' };
export const PART_STATUS_TAGS: Record<PartStatus, TagType> = { planned: 'info', reserved: 'warning', issued: 'success', released: 'info' };

export const FAILURE_CODE_KINDS: readonly FailureCodeKind[] = ['problem', 'cause', 'remedy'];
export const FAILURE_CODE_KIND_LABELS: Record<FailureCodeKind, string> = { problem: 'Problem', cause: 'Cause', remedy: 'Remedy' };

export const POINT_KIND_LABELS: Record<PointKind, string> = { meter: 'Meter (counts up)', gauge: 'Gauge (instant value)' };
export const READING_STATUS_LABELS: Record<ReadingStatus, string> = { accepted: 'Accepted', flagged: 'Flagged', rejected: 'Rejected' };
export const READING_STATUS_TAGS: Record<ReadingStatus, TagType> = { accepted: 'success', flagged: 'warning', rejected: 'danger' };

export const CALIBRATION_STATUS_LABELS: Record<CalibrationStatus, string> = { current: 'Current', 'due-soon': 'Due soon', overdue: 'Overdue', never: 'Never calibrated' };
export const CALIBRATION_STATUS_TAGS: Record<CalibrationStatus, TagType> = { current: 'success', 'due-soon': 'warning', overdue: 'danger', never: 'info' };
export const CALIBRATION_STATUS_COLOURS: Record<CalibrationStatus, string> = { current: '#67c23a', 'due-soon': '#e6a23c', overdue: '#f56c6c', never: '#909399' };

export const NOTIFICATION_KIND_LABELS: Record<NotificationKind, string> = {
  'work-order.overdue': 'Work order overdue',
  'work-order.assigned': 'Work order assigned',
  'breakdown.reported': 'Breakdown reported',
  'calibration.overdue': 'Calibration overdue',
};

/** Largest attachment the server takes (decoded bytes). */
export const MAX_ATTACHMENT_BYTES = 1_572_864;
/** Raster images the server serves inline (thumbnails); anything else downloads. */
export const INLINE_MEDIA_TYPES: readonly string[] = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'];

// --- plans and triggers (the plan editor; see composables/plans.ts) ---
export const TRIGGER_KIND_LABELS: Record<string, string> = { calendar: 'Calendar', meter: 'Meter', condition: 'Condition' };
export const TRIGGER_KIND_TAGS: Record<string, TagType> = { calendar: 'primary', meter: 'warning', condition: 'danger' };
export const INTERVAL_UNITS = ['day', 'week', 'month', 'year'] as const;
export const INTERVAL_UNIT_LABELS: Record<(typeof INTERVAL_UNITS)[number], string> = { day: 'Days', week: 'Weeks', month: 'Months', year: 'Years' };
export const SCHEDULE_MODE_LABELS: Record<'fixed' | 'floating', string> = { fixed: 'Fixed (from the start date)', floating: 'Floating (from the last completion)' };
export const OUTSIDE_WINDOW_LABELS: Record<'skip' | 'next-window-start', string> = { skip: 'Skip that due date', 'next-window-start': 'Move it to the next window start' };
export const CONDITION_RULE_LABELS: Record<'above' | 'below' | 'outside' | 'rate-of-change', string> = {
  above: 'Above a threshold',
  below: 'Below a threshold',
  outside: 'Outside a range',
  'rate-of-change': 'Changing too fast (per hour)',
};
/** Work order types a plan may generate (corrective work comes from breakdowns). */
export const PLAN_WORK_ORDER_TYPES = ['preventive', 'inspection', 'calibration'] as const;
