import type { Migration } from '@quartermaster/sdk';

/**
 * Calibration additions to 0001:
 * - a calibration's cost (posted to the asset's cost-of-ownership ledger in fixed-assets) is kept
 *   on the calibration record too, so the history and the maintenance cost report show it without
 *   reading another plugin's tables;
 * - certificate attachments point at their calibration with a real foreign key (0001 left
 *   `calibration_id` a plain uuid), indexed for the calibration's attachment list;
 * - calibrations by date for the calibration-compliance report.
 */
export const calibrationMigration: Migration = {
  name: '0004_calibration',
  async up(db) {
    await db.execute(`
      ALTER TABLE maintenance_calibration
        ADD COLUMN cost numeric(20,4) CHECK (cost >= 0),
        ADD COLUMN currency text CHECK (currency ~ '^[A-Z]{3}$'),
        ADD CONSTRAINT maintenance_calibration_cost_currency CHECK ((cost IS NULL) = (currency IS NULL));

      ALTER TABLE maintenance_attachment
        ADD CONSTRAINT maintenance_attachment_calibration_fk FOREIGN KEY (calibration_id) REFERENCES maintenance_calibration(id);
      CREATE INDEX maintenance_attachment_calibration_idx ON maintenance_attachment (calibration_id) WHERE calibration_id IS NOT NULL;

      CREATE INDEX maintenance_calibration_performed_idx ON maintenance_calibration (performed_on);
    `);
  },
};
