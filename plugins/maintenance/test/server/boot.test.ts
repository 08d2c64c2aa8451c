import { afterAll, beforeAll, expect, test } from 'vitest';
import type { TestPlatform } from '@quartermaster/testing';
import { asset, bootMaintenance } from './fixtures.js';

let t: TestPlatform;
beforeAll(async () => {
  t = await bootMaintenance();
});
afterAll(() => t?.close());

test('the plugin migrates its tables next to fixed-assets', async () => {
  const a = await asset(t);
  const rows = await t.sql(`SELECT count(*)::int AS n FROM maintenance_work_order WHERE asset_id = $1`, [a.id]);
  expect(rows[0].n).toBe(0);
});
