import type { Migration } from '@quartermaster/sdk';

/**
 * A measurement point may be fed by a device channel (a run-hours counter on an energy plug, a
 * temperature probe): readings of that channel are recorded on the point as they arrive.
 */
export const deviceFeedsMigration: Migration = {
  name: '0006_device_feeds',
  async up(db) {
    await db.execute(`
      ALTER TABLE maintenance_measurement_point
        ADD COLUMN device_id uuid REFERENCES core_device(id) ON DELETE SET NULL,
        ADD COLUMN device_channel text,
        ADD CONSTRAINT maintenance_point_feed_ck CHECK ((device_id IS NULL) = (device_channel IS NULL) OR device_id IS NULL);
      CREATE UNIQUE INDEX maintenance_point_feed_uq ON maintenance_measurement_point (device_id, device_channel) WHERE device_id IS NOT NULL;
    `);
  },
};
