import type { Migration } from '@quartermaster/sdk';

/**
 * Category settings inherit field by field: a sub-category that sets only its default criticality
 * no longer pins check-out blocking to `true` over a parent that turned it off. Null means "as the
 * parent category" (and `true` at the top).
 */
export const categorySettingsInheritMigration: Migration = {
  name: '0005_category_settings_inherit',
  async up(db) {
    await db.execute(`
      ALTER TABLE maintenance_category_settings
        ALTER COLUMN block_checkout_when_calibration_overdue DROP NOT NULL,
        ALTER COLUMN block_checkout_when_calibration_overdue DROP DEFAULT;
    `);
  },
};
