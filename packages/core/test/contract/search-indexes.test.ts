import { afterAll, beforeAll, expect, test } from 'vitest';
import pg from 'pg';
import { createTestPlatform, type TestPlatform } from '@quartermaster/testing';

let t: TestPlatform;
beforeAll(async () => {
  t = await createTestPlatform({ admin: false });
});
afterAll(() => t?.close());

// The predicates the item and identifier searches use must be able to use the trigram indexes.
test.each([
  ['item names', `SELECT id FROM core_item i WHERE lower(i.name) LIKE '%drill%'`, 'core_item_name_trgm'],
  ['identifier values', `SELECT id FROM core_identifier x WHERE lower(x.value) LIKE '%sku-10%'`, 'core_identifier_value_trgm'],
  ['location names', `SELECT id FROM core_location WHERE lower(name) LIKE '%aisle%'`, 'core_location_name_trgm'],
])('substring search on %s can use its trigram index', async (_what, sql, index) => {
  const client = new pg.Client({ connectionString: t.databaseUrl });
  await client.connect();
  try {
    await client.query('SET enable_seqscan = off');
    const plan = (await client.query(`EXPLAIN ${sql}`)).rows.map((r) => r['QUERY PLAN']).join('\n');
    expect(plan).toContain(index);
  } finally {
    await client.end();
  }
});
