import type { Migration } from '@quartermaster/sdk';

/**
 * `redated_from`: the date-time a move was asked for when a closed accounting period made the
 * platform post it into the open period instead (a plugin's posting period guard); null otherwise.
 */
export const redatedMovesMigration: Migration = {
  name: '0005_redated_moves',
  async up(db) {
    await db.execute(`ALTER TABLE inventory_move ADD COLUMN redated_from timestamptz`);
  },
};
