import Decimal from 'decimal.js';
import { expect } from 'vitest';
import type { InjectOptions } from 'fastify';
import { createTestPlatform, type TestPlatform, type TestSession } from '@quartermaster/testing';
import { inventoryPlugin } from '@quartermaster/plugin-inventory/server';
import { fixedAssetsPlugin } from '@quartermaster/plugin-fixed-assets/server';
import { erpJournalPlugin } from '../../src/server/index.js';

export const EJ = '/api/erp-journal';

/** Inventory, fixed assets and the connector, on a fresh database. */
export const bootAll = (erpJournal: Record<string, unknown>) =>
  createTestPlatform({
    plugins: [inventoryPlugin, fixedAssetsPlugin, erpJournalPlugin],
    enable: { inventory: { reservationSweepSeconds: 0 }, 'fixed-assets': { overdueSweepSeconds: 0 }, 'erp-journal': erpJournal },
  });

/** Calls that must answer `status`; returns the JSON body. */
export const caller = (t: TestPlatform) => async (opts: InjectOptions, status: number) => {
  const res = await t.request(opts);
  expect(res.statusCode, res.body).toBe(status);
  return res.json();
};

/** Deliver every event, including redeliveries of handlers that asked to be retried. */
export async function settle(t: TestPlatform) {
  for (let i = 0; i < 10; i++) if ((await t.drainOutbox()) === 0) return;
}

export async function userWith(t: TestPlatform, email: string, perms: string[]): Promise<TestSession> {
  const role = await t.request({ method: 'POST', url: '/api/core/roles', payload: { name: `role for ${email}`, permissions: perms } });
  expect(role.statusCode, role.body).toBe(201);
  const password = 'a long enough password';
  const user = await t.request({ method: 'POST', url: '/api/core/users', payload: { email, name: email, password, roleIds: [role.json().id] } });
  expect(user.statusCode, user.body).toBe(201);
  return t.login(email, password);
}

export interface Line {
  account: string;
  role: string;
  debit: string;
  credit: string;
}
export interface Entry {
  id: string;
  sourceType: string;
  entryDate: string;
  period: string;
  redatedFrom: string | null;
  totalDebit: string;
  totalCredit: string;
  idempotencyKey: string;
  lines: Line[];
}

/** Debits minus credits of the picked lines, as a decimal string with 2 places. */
export const net = (entries: Entry[], pick: (l: Line) => boolean) =>
  entries
    .flatMap((e) => e.lines)
    .filter(pick)
    .reduce((a, l) => a.plus(l.debit).minus(l.credit), new Decimal(0))
    .toFixed(2);
