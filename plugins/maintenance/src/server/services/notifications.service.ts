/**
 * Overdue work and lapsed calibrations: found by a sweep, announced once, delivered everywhere.
 *
 * The sweep (a timer every `scheduler.overdueSweepSeconds`, or `POST /scheduler/sweep`) runs in
 * batches of one transaction each and, per batch:
 * - work orders whose `due_on` is before today (UTC) and that are not completed, closed or cancelled
 *   and not announced yet: sets `overdue_notified_at`, writes an in-app notification (for the
 *   assignee; no assignee = for everyone), and emits `maintenance.work-order.overdue` — once per order;
 * - active instruments whose calibration `due_on` is before today: sets `overdue_notified_due_on`,
 *   writes a notification for everyone, emits `maintenance.calibration.overdue` — once per due date
 *   (a new calibration moves `due_on`, so a later lapse is announced again);
 * - raw readings older than `readingRetentionDays` (when > 0) are deleted, except flagged ones that
 *   still wait for a person's decision. Point totals live on the point, so nothing plans need is lost.
 * `FOR UPDATE … SKIP LOCKED` keeps two instances sweeping at once from announcing anything twice.
 *
 * Delivery: the plugin subscribes to its own two overdue events (after commit, retried by the event
 * bus) and hands each notification to every channel: the built-in webhook channel (one per URL in
 * `notifications.webhooks`, POSTing JSON) and every `maintenance.notification-channels`
 * contribution. A channel that took an event is remembered (`maintenance_notification_delivery`), so
 * when another channel failed and the bus retries, only the failed channels are tried again.
 */
import { createHash } from 'node:crypto';
import type { EventEnvelope, PluginContext } from '@quartermaster/sdk';
import { SYSTEM_ACTOR, readerOf, type Db } from '@quartermaster/core';
import {
  CalibrationOverdue,
  WorkOrderOverdue,
  notificationChannels,
  type MaintenanceNotification,
  type NotificationChannel,
  type WorkOrderOverduePayload,
  type WorkOrderStatus,
  type WorkOrderType,
} from '../../shared/index.js';
import type { MaintenanceOptions } from '../options.js';
import { woNumber } from './work-order-store.js';

const BATCH = 200;
/** How long a webhook may take to answer before the delivery counts as failed (and is retried). */
export const WEBHOOK_TIMEOUT_MS = 10_000;

/** The sweep acts for nobody in particular. */
export const SWEEP_ACTOR = Object.freeze({ ...SYSTEM_ACTOR, label: 'maintenance sweep' });

export interface SweepSummary {
  /** The day work had to be due before to count as overdue. */
  asOf: string;
  workOrders: number;
  calibrations: number;
  readingsDeleted: number;
}

export const todayUtc = () => new Date().toISOString().slice(0, 10);

export type CalibrationOverduePayload = { assetId: string; assetTag: string; dueOn: string };

/** The text of an overdue work order's notification (in-app and on every channel alike). */
export function workOrderOverdueNotification(p: WorkOrderOverduePayload): MaintenanceNotification {
  return {
    kind: 'work-order.overdue',
    title: `${p.number} is overdue`,
    body: `${capitalise(p.type)} work on ${p.assetTag} was due on ${p.dueOn} and is ${p.status}.`,
    workOrderId: p.id,
    assetId: p.assetId,
    userId: p.assigneeUserId,
    href: `/maintenance/work-orders/${p.id}`,
  };
}

export function calibrationOverdueNotification(p: CalibrationOverduePayload): MaintenanceNotification {
  return {
    kind: 'calibration.overdue',
    title: `Calibration of ${p.assetTag} is overdue`,
    body: `The calibration of ${p.assetTag} was due on ${p.dueOn}.`,
    workOrderId: null,
    assetId: p.assetId,
    userId: null,
    href: `/maintenance/instruments/${p.assetId}`,
  };
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** One sweep: overdue work orders, overdue calibrations, old readings. */
export async function sweep(ctx: PluginContext<any>, options: Pick<MaintenanceOptions, 'readingRetentionDays'>, asOf = todayUtc()): Promise<SweepSummary> {
  const workOrders = await sweepWorkOrders(ctx, asOf);
  const calibrations = await sweepCalibrations(ctx, asOf);
  const readingsDeleted = options.readingRetentionDays > 0 ? await pruneReadings(ctx, options.readingRetentionDays) : 0;
  return { asOf, workOrders, calibrations, readingsDeleted };
}

async function sweepWorkOrders(ctx: PluginContext<any>, asOf: string): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await ctx.transaction(SWEEP_ACTOR, async (tx) => {
      const rows = await tx.execute<{
        id: string;
        number: string;
        type: WorkOrderType;
        status: WorkOrderStatus;
        asset_id: string;
        tag: string;
        due_on: string;
        assignee_user_id: string | null;
      }>(
        `WITH due AS (
           SELECT w.id FROM maintenance_work_order w
            WHERE w.overdue_notified_at IS NULL AND w.status NOT IN ('completed','closed','cancelled') AND w.due_on < $1::date
            ORDER BY w.due_on, w.id LIMIT ${BATCH} FOR UPDATE SKIP LOCKED)
         UPDATE maintenance_work_order w SET overdue_notified_at = now() FROM due, fixed_assets_asset a
          WHERE w.id = due.id AND a.id = w.asset_id
         RETURNING w.id, w.number::text AS number, w.type, w.status, w.asset_id, a.tag, w.due_on::text AS due_on, w.assignee_user_id`,
        [asOf],
      );
      rows.sort((a, b) => (a.due_on === b.due_on ? Number(a.number) - Number(b.number) : a.due_on < b.due_on ? -1 : 1));
      const payloads = rows.map(
        (r): WorkOrderOverduePayload => ({
          id: r.id,
          number: woNumber(r.number),
          type: r.type,
          assetId: r.asset_id,
          assetTag: r.tag,
          dueOn: r.due_on,
          status: r.status,
          assigneeUserId: r.assignee_user_id,
        }),
      );
      await insertNotifications(tx, payloads.map(workOrderOverdueNotification));
      if (rows.length)
        await tx.execute(
          `INSERT INTO maintenance_work_order_event (work_order_id, type, note, data, actor_label)
           SELECT id, 'overdue', 'due on ' || due, jsonb_build_object('dueOn', due), $3 FROM unnest($1::uuid[], $2::text[]) AS u(id, due)`,
          [rows.map((r) => r.id), rows.map((r) => r.due_on), SWEEP_ACTOR.label],
        );
      for (const p of payloads) {
        await tx.audit({ action: 'overdue', entityType: 'maintenance.work-order', entityId: p.id, after: { dueOn: p.dueOn, status: p.status } });
        await tx.emit(WorkOrderOverdue, p);
      }
      return rows.length;
    });
    total += n;
    if (n < BATCH) return total;
  }
}

async function sweepCalibrations(ctx: PluginContext<any>, asOf: string): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await ctx.transaction(SWEEP_ACTOR, async (tx) => {
      const rows = await tx.execute<{ asset_id: string; tag: string; due_on: string }>(
        `WITH due AS (
           SELECT i.asset_id FROM maintenance_instrument i JOIN fixed_assets_asset a ON a.id = i.asset_id
            WHERE i.active AND a.status <> 'disposed' AND i.due_on < $1::date AND i.overdue_notified_due_on IS DISTINCT FROM i.due_on
            ORDER BY i.due_on, i.asset_id LIMIT ${BATCH} FOR UPDATE OF i SKIP LOCKED)
         UPDATE maintenance_instrument i SET overdue_notified_due_on = i.due_on FROM due, fixed_assets_asset a
          WHERE i.asset_id = due.asset_id AND a.id = i.asset_id
         RETURNING i.asset_id, a.tag, i.due_on::text AS due_on`,
        [asOf],
      );
      rows.sort((a, b) => (a.due_on === b.due_on ? a.tag.localeCompare(b.tag) : a.due_on < b.due_on ? -1 : 1));
      const payloads = rows.map((r): CalibrationOverduePayload => ({ assetId: r.asset_id, assetTag: r.tag, dueOn: r.due_on }));
      await insertNotifications(tx, payloads.map(calibrationOverdueNotification));
      for (const p of payloads) {
        await tx.audit({ action: 'calibration-overdue', entityType: 'maintenance.instrument', entityId: p.assetId, after: { dueOn: p.dueOn } });
        await tx.emit(CalibrationOverdue, p);
      }
      return rows.length;
    });
    total += n;
    if (n < BATCH) return total;
  }
}

async function insertNotifications(tx: Db, list: MaintenanceNotification[]) {
  if (!list.length) return;
  await tx.execute(
    `INSERT INTO maintenance_notification (user_id, kind, title, body, work_order_id, asset_id)
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::uuid[], $6::uuid[])`,
    [list.map((n) => n.userId), list.map((n) => n.kind), list.map((n) => n.title), list.map((n) => n.body), list.map((n) => n.workOrderId), list.map((n) => n.assetId)],
  );
}

/**
 * Delete raw readings older than the retention, in batches. Kept whatever their age: flagged
 * readings (they wait for a person) and each point's latest accepted reading (the next reading of
 * a meter is measured from it).
 */
async function pruneReadings(ctx: PluginContext<any>, days: number): Promise<number> {
  const db = readerOf(ctx);
  let total = 0;
  for (;;) {
    const rows = await db.execute<{ n: number }>(
      `WITH latest AS (
         SELECT (SELECT r.id FROM maintenance_reading r WHERE r.point_id = p.id AND r.status = 'accepted' ORDER BY r.read_at DESC, r.id DESC LIMIT 1) AS id
           FROM maintenance_measurement_point p),
       old AS (
         SELECT r.id FROM maintenance_reading r
          WHERE r.read_at < now() - make_interval(days => $1::int) AND r.status <> 'flagged'
            AND r.id NOT IN (SELECT id FROM latest WHERE id IS NOT NULL)
          LIMIT 5000),
       gone AS (DELETE FROM maintenance_reading r USING old WHERE r.id = old.id RETURNING 1)
       SELECT count(*)::int AS n FROM gone`,
      [days],
    );
    total += rows[0].n;
    if (rows[0].n < 5000) return total;
  }
}

// ---------------------------------------------------------------------------------------------
// Delivery to channels

/** The built-in webhook channels: one per configured URL, POSTing the notification as JSON. */
export function webhookChannels(urls: readonly string[]): NotificationChannel[] {
  return urls.map((url) => ({
    id: `webhook:${createHash('sha256').update(url).digest('hex').slice(0, 16)}`,
    async deliver(notification) {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'Quartermaster-Maintenance' },
        body: JSON.stringify(notification),
        redirect: 'manual',
        signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
      });
      await res.body?.cancel().catch(() => undefined);
      if (res.status < 200 || res.status > 299) throw new Error(`webhook ${new URL(url).host} answered ${res.status}`);
    },
  }));
}

/** What a channel receives: the notification plus the event it came from (for de-duplication on the far side). */
export type DeliveredNotification = MaintenanceNotification & { eventId: string; occurredAt: string };

/**
 * Hand one overdue event to every channel that has not taken it yet. Throws (so the bus retries)
 * when any channel failed; the channels that succeeded are not called again for this event.
 */
export async function deliverToChannels(ctx: PluginContext<any>, envelope: EventEnvelope, notification: MaintenanceNotification): Promise<void> {
  const options = ctx.options as MaintenanceOptions;
  const channels = [...webhookChannels(options.notifications.webhooks), ...ctx.extensions(notificationChannels)];
  if (!channels.length) return;
  const db = readerOf(ctx);
  const done = new Set(
    (await db.execute<{ channel: string }>(`SELECT channel FROM maintenance_notification_delivery WHERE event_id = $1`, [envelope.id])).map((r) => r.channel),
  );
  const message: DeliveredNotification = { ...notification, eventId: envelope.id, occurredAt: envelope.occurredAt };
  const failures: string[] = [];
  await Promise.all(
    channels
      .filter((c) => !done.has(c.id))
      .map(async (c) => {
        try {
          await c.deliver(message);
          await db.execute(`INSERT INTO maintenance_notification_delivery (event_id, channel) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [envelope.id, c.id]);
        } catch (err) {
          ctx.log.warn({ err, channel: c.id, event: envelope.name }, 'maintenance notification channel failed');
          failures.push(`${c.id}: ${(err as Error)?.message ?? String(err)}`);
        }
      }),
  );
  if (failures.length) throw new Error(`notification not delivered through ${failures.join('; ')}`);
}

export const overdueHandlers = {
  workOrder: (ctx: () => PluginContext<any> | undefined) => async (e: EventEnvelope<WorkOrderOverduePayload>) => {
    const c = ctx();
    if (!c) throw new Error('maintenance is not started yet');
    await deliverToChannels(c, e, workOrderOverdueNotification(e.payload));
  },
  calibration: (ctx: () => PluginContext<any> | undefined) => async (e: EventEnvelope<CalibrationOverduePayload>) => {
    const c = ctx();
    if (!c) throw new Error('maintenance is not started yet');
    await deliverToChannels(c, e, calibrationOverdueNotification(e.payload));
  },
};
