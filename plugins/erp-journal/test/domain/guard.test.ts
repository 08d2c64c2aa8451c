import { describe, expect, it } from 'vitest';
import type { Transaction } from '@quartermaster/sdk';
import { periodGuard } from '../../src/server/services/periods.service.js';
import type { ErpJournalOptions } from '../../src/server/options.js';

/** A transaction that answers the closed-through read and records the SQL it was given. */
const txWith = (closedThrough: string | null) => {
  const sql: string[] = [];
  const tx = { execute: async (s: string) => (sql.push(s), [{ closed_through: closedThrough }]) } as unknown as Transaction;
  return { tx, sql };
};
const options = (backDatedPostings: Record<string, 'refuse' | 'redate'>) => () => ({ backDatedPostings }) as unknown as ErpJournalOptions;

describe('the posting period guard', () => {
  it('reads the closed-through date with a share lock, so a concurrent close waits for the posting', async () => {
    const { tx, sql } = txWith('2026-09-30');
    await periodGuard(options({ inventory: 'refuse' })).check(tx, { domain: 'inventory', effectiveAt: '2026-10-01T00:00:00.000Z' });
    expect(sql).toEqual([expect.stringMatching(/FROM erp_journal_control WHERE id = 1 FOR SHARE$/)]);
  });

  it('refuses inventory postings into a closed period by default', async () => {
    const decision = await periodGuard(options({})).check(txWith('2026-09-30').tx, { domain: 'inventory', effectiveAt: '2026-09-30T22:00:00.000Z', kind: 'receipt' });
    expect(decision).toMatchObject({ action: 'refuse', period: '2026-09' });
  });

  it('re-dates them to the first instant of the open period when that is the rule', async () => {
    const decision = await periodGuard(options({ inventory: 'redate' })).check(txWith('2026-09-30').tx, { domain: 'inventory', effectiveAt: '2026-07-04T10:00:00.000Z' });
    expect(decision).toMatchObject({ action: 'redate', period: '2026-07', effectiveAt: '2026-10-01T00:00:00.000Z' });
  });

  it('accepts everything while nothing is closed, and postings after the closed day', async () => {
    expect(await periodGuard(options({})).check(txWith(null).tx, { domain: 'inventory', effectiveAt: '2001-01-01T00:00:00.000Z' })).toEqual({ action: 'accept' });
    expect(await periodGuard(options({})).check(txWith('2026-09-30').tx, { domain: 'inventory', effectiveAt: '2026-10-01T00:00:00.000Z' })).toEqual({ action: 'accept' });
  });
});
