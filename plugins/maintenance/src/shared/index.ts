/**
 * The maintenance plugin's public contract: permission ids, constants, event schemas, extension
 * points (trigger kinds, notification channels) and the service other plugins (device adapters,
 * ERP connectors) may call. No server or console code here.
 */
import { DecimalOut as Decimal, Nullable, Type, Uuid, createExtensionPoint, createServiceRef, defineEvent, lit, type Actor, type Static } from '@quartermaster/sdk';
import type { TriggerKind } from '../domain/triggers.js';

export const permissions = {
  /** See plans, work orders, meters, calibration and reports. */
  read: 'maintenance.read',
  /** File a breakdown report (anyone who scans an asset). */
  report: 'maintenance.breakdown.report',
  /** Work on orders: checklists, labour, parts, start/hold/complete. */
  execute: 'maintenance.work-order.execute',
  /** Approve, schedule, assign, close and cancel work orders; create them by hand. */
  manage: 'maintenance.work-order.manage',
  /** Edit plans, checklist templates, teams, failure codes and settings. */
  plan: 'maintenance.plan.write',
  /** Enter meter and gauge readings (by hand or import; devices post with their own keys). */
  readings: 'maintenance.reading.write',
  /** Record calibration results and instrument settings. */
  calibrate: 'maintenance.calibration.write',
} as const;

// One definition of the work order vocabulary: the domain's state machine owns it.
export { WORK_ORDER_TYPES, WORK_ORDER_STATUSES, PRIORITIES, CRITICALITIES, type WorkOrderType, type WorkOrderStatus, type Priority, type Criticality } from '../domain/work-order.js';
import { CRITICALITIES, PRIORITIES, WORK_ORDER_STATUSES, WORK_ORDER_TYPES } from '../domain/work-order.js';
export const POINT_KINDS = ['meter', 'gauge'] as const;
export const READING_STATUSES = ['accepted', 'flagged', 'rejected'] as const;
export const FAILURE_CODE_KINDS = ['problem', 'cause', 'remedy'] as const;

/** The target type of work orders in the core's identifier registry and in cost sources. */
export const PLUGIN_ID = 'maintenance';


const WorkOrderRef = {
  id: Uuid,
  number: Type.String({ description: 'WO-000123' }),
  type: lit(WORK_ORDER_TYPES),
  assetId: Uuid,
  assetTag: Type.String(),
};

export const WorkOrderCreated = defineEvent(
  'maintenance.work-order.created',
  Type.Object({ ...WorkOrderRef, status: lit(WORK_ORDER_STATUSES), priority: lit(PRIORITIES), planId: Nullable(Uuid), dueOn: Nullable(Type.String({ format: 'date' })), title: Type.String() }),
);
export const WorkOrderStatusChanged = defineEvent(
  'maintenance.work-order.status-changed',
  Type.Object({ ...WorkOrderRef, from: lit(WORK_ORDER_STATUSES), to: lit(WORK_ORDER_STATUSES), reason: Nullable(Type.String()) }),
);
export const WorkOrderCompleted = defineEvent(
  'maintenance.work-order.completed',
  Type.Object({
    ...WorkOrderRef,
    completedAt: Type.String({ format: 'date-time' }),
    currency: Type.String(),
    labourCost: Decimal,
    partsCost: Decimal,
    externalCost: Decimal,
    totalCost: Decimal,
  }),
);
/**
 * Something other than the status changed on a work order: its fields (PATCH), checklist answers,
 * labour, parts, external costs or attachments. `changes` names what (`fields`, `checklist`,
 * `labour`, `parts`, `external-costs`, `attachments`), so a board or a detail page can refresh.
 */
export const WorkOrderUpdated = defineEvent('maintenance.work-order.updated', Type.Object({ ...WorkOrderRef, changes: Type.Array(Type.String()) }));
/** A work order passed its due date unfinished. Once per order. */
export const WorkOrderOverdue = defineEvent(
  'maintenance.work-order.overdue',
  Type.Object({ ...WorkOrderRef, dueOn: Type.String({ format: 'date' }), status: lit(WORK_ORDER_STATUSES), assigneeUserId: Nullable(Uuid) }),
);
/** Someone reported a breakdown (a corrective work order was requested). */
export const BreakdownReported = defineEvent(
  'maintenance.breakdown.reported',
  Type.Object({ ...WorkOrderRef, assetDown: Type.Boolean(), reportedBy: Type.String(), description: Nullable(Type.String()) }),
);

/** A reading was stored; `status` says whether plans may trust it. */
export const ReadingRecorded = defineEvent(
  'maintenance.reading.recorded',
  Type.Object({
    pointId: Uuid,
    assetId: Uuid,
    code: Type.String(),
    kind: lit(POINT_KINDS),
    value: Decimal,
    readAt: Type.String({ format: 'date-time' }),
    status: lit(READING_STATUSES),
    reason: Nullable(Type.String()),
    total: Nullable(Decimal),
  }),
);

export const CalibrationRecorded = defineEvent(
  'maintenance.calibration.recorded',
  Type.Object({
    id: Uuid,
    assetId: Uuid,
    assetTag: Type.String(),
    performedOn: Type.String({ format: 'date' }),
    result: lit(['pass', 'fail'] as const),
    asFoundFailed: Type.Boolean(),
    nextDueOn: Type.String({ format: 'date' }),
    certificateNumber: Nullable(Type.String()),
  }),
);
/** An instrument's calibration fell due without a result. Once per due date. */
export const CalibrationOverdue = defineEvent(
  'maintenance.calibration.overdue',
  Type.Object({ assetId: Uuid, assetTag: Type.String(), dueOn: Type.String({ format: 'date' }) }),
);

export const maintenanceEvents = [
  WorkOrderCreated,
  WorkOrderStatusChanged,
  WorkOrderCompleted,
  WorkOrderUpdated,
  WorkOrderOverdue,
  BreakdownReported,
  ReadingRecorded,
  CalibrationRecorded,
  CalibrationOverdue,
];

export type WorkOrderOverduePayload = Static<typeof WorkOrderOverdue.schema>;

/**
 * Where notifications go besides the in-app list: a webhook, e-mail, a chat tool. A plugin that
 * depends on maintenance contributes a channel; the built-in webhook channel is configured by the
 * `notifications.webhooks` option. `deliver` runs after the triggering transaction committed;
 * a thrown error is logged and retried by the event bus's subscriber retry.
 */
export interface NotificationChannel {
  /** `webhook`, `email`, `teams`… unique among contributions. */
  id: string;
  deliver(notification: MaintenanceNotification): Promise<void>;
}
export interface MaintenanceNotification {
  kind: 'work-order.overdue' | 'work-order.assigned' | 'breakdown.reported' | 'calibration.overdue';
  title: string;
  body: string;
  workOrderId: string | null;
  assetId: string | null;
  /** Who it is for (null: everyone who reads maintenance). */
  userId: string | null;
  /** Link into the console. */
  href: string;
}
export const notificationChannels = createExtensionPoint<NotificationChannel>('maintenance.notification-channels', 'Deliver maintenance notifications (overdue work, breakdowns) to webhooks, e-mail, chat.');

/**
 * What makes a plan generate work orders, besides the built-in `calendar`, `meter` and `condition`:
 * a plugin that depends on maintenance contributes a `TriggerKind` (a pure `validate` / `initialState`
 * / `due` step function, see the domain's triggers.ts) with an id prefixed by its own (`acme.oil-analysis`).
 * Plans of that kind are evaluated by every generation pass with `today` and the asset's meter totals.
 */
export const triggerKinds = createExtensionPoint<TriggerKind<any, any>>('maintenance.trigger-kinds', 'Trigger kinds for maintenance plans beyond calendar, meter and condition.');
export type { TriggerKind, TriggerInput, TriggerResult, DueWork } from '../domain/triggers.js';

/** One reading as other plugins (device adapters) hand it over. */
export interface ReadingInput {
  /** The asset's measurement point, by asset id and point code. */
  assetId: string;
  code: string;
  /** Decimal string or finite number. */
  value: string | number;
  /** ISO 8601 instant. */
  readAt: string;
  /** `device:<id>`, `import`, … */
  source: string;
  /** The device's own id of the reading: a resend stores nothing new. */
  sourceRef?: string;
}
export interface RecordedReading {
  id: string;
  pointId: string;
  status: (typeof READING_STATUSES)[number];
  reason: string | null;
  /** False when the same `sourceRef` was already stored. */
  created: boolean;
  /** Work orders that this reading made due (condition and meter plans). */
  workOrderIds: string[];
}

/** What other plugins may ask of maintenance (device plugins feeding meters and sensors). */
export interface MaintenanceService {
  /**
   * Store readings and evaluate the meter and condition plans they feed, each reading in its own
   * transaction (a bad one does not stop the rest). Throws nothing for bad readings: they come
   * back `rejected` with the reason; an unknown asset or code is `rejected` too.
   */
  recordReadings(actor: Actor, readings: ReadingInput[]): Promise<RecordedReading[]>;
}
export const maintenanceService = createServiceRef<MaintenanceService>('maintenance.service');
