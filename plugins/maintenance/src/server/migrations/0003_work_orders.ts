import type { Migration } from '@quartermaster/sdk';

/**
 * What work order execution needs beyond 0001:
 * - a spare part recorded without inventory carries the unit cost someone typed in, so the cost of
 *   the quantity actually used can be worked out at completion (with inventory the COGS is
 *   the cost);
 * - a work order remembers how much of its cost it has posted to the asset's cost-of-ownership
 *   ledger and how often it was completed, so completing again after a reopen posts only the
 *   difference, under a new reference (`<id>#2`, `<id>#3`…);
 * - attachments are listed per work order.
 */
export const workOrdersMigration: Migration = {
  name: '0003_work_orders',
  async up(db) {
    await db.execute(`
      ALTER TABLE maintenance_part ADD COLUMN unit_cost numeric(20,6) CHECK (unit_cost >= 0);

      ALTER TABLE maintenance_work_order
        ADD COLUMN cost_posted numeric(20,4) NOT NULL DEFAULT 0 CHECK (cost_posted >= 0),
        ADD COLUMN completions integer NOT NULL DEFAULT 0 CHECK (completions >= 0);

      CREATE INDEX maintenance_attachment_work_order_idx ON maintenance_attachment (work_order_id) WHERE work_order_id IS NOT NULL;
    `);
  },
};
