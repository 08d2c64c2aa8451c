import type { Migration } from '@quartermaster/sdk';

/**
 * What plans, readings, the scheduler and notifications need beyond 0001:
 * - instruments remember the due date their overdue calibration was announced for, so the sweep
 *   announces each due date once (a new calibration moves `due_on`, and a later lapse is announced again);
 * - broadcast notifications (user_id null) are read per person, so one reader does not mark them
 *   read for everybody;
 * - which notification channel already took which overdue event, so a retried delivery (one channel
 *   failed) does not send it again through the channels that succeeded;
 * - the reading retention sweep deletes by reading time;
 * - the overdue sweep looks for unannounced open work orders by due date.
 */
export const schedulingMigration: Migration = {
  name: '0002_scheduling',
  async up(db) {
    await db.execute(`
      ALTER TABLE maintenance_instrument ADD COLUMN overdue_notified_due_on date;

      CREATE TABLE maintenance_notification_read (
        notification_id bigint NOT NULL REFERENCES maintenance_notification(id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES core_user(id),
        read_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (notification_id, user_id)
      );

      CREATE TABLE maintenance_notification_delivery (
        event_id bigint NOT NULL,
        channel text NOT NULL,
        delivered_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (event_id, channel)
      );

      CREATE INDEX maintenance_reading_read_at_idx ON maintenance_reading (read_at);
      CREATE INDEX maintenance_work_order_overdue_idx ON maintenance_work_order (due_on)
        WHERE overdue_notified_at IS NULL AND status NOT IN ('completed','closed','cancelled');
    `);
  },
};
