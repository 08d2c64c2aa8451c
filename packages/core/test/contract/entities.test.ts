import { expect, test } from 'vitest';
import { createTestPlatform } from '@quartermaster/testing';

// The core's tables come from SQL migrations; its MikroORM mappings exist so plugins can reference core
// rows. This keeps the two in step: every mapped table and column exists with the migrations applied.
// (Indexes and CHECK constraints live only in the migrations, so the generator's notes about them are ignored.)
test('ORM mappings of core tables match the migrated schema', async () => {
  const t = await createTestPlatform({ admin: false });
  try {
    const diff: string = await (t.orm as unknown as { schema: { getUpdateSchemaSQL(o: object): Promise<string> } }).schema.getUpdateSchemaSQL({
      wrap: false,
      safe: true,
      dropTables: false,
    });
    const structural = diff
      .split('\n')
      .filter((l) => /create table|add column|drop column|rename column|alter column "[a-z_]+" (set|drop) not null/i.test(l));
    expect(structural).toEqual([]);
    // Sanity: the check can see mismatches — a column unknown to the database shows up.
    await t.sql(`ALTER TABLE core_item DROP COLUMN description`);
    const broken: string = await (t.orm as unknown as { schema: { getUpdateSchemaSQL(o: object): Promise<string> } }).schema.getUpdateSchemaSQL({
      wrap: false,
      safe: true,
      dropTables: false,
    });
    expect(broken).toMatch(/add column "description"/);
  } finally {
    await t.close();
  }
});
