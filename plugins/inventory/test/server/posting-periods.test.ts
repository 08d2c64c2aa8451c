import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definePlugin, postingPeriodGuards, type PostingDateRequest } from '@quartermaster/sdk';
import { createTestPlatform, expectNoChange, expectProblem, type TestPlatform } from '@quartermaster/testing';
import { inventoryPlugin } from '../../src/server/index.js';
import { item, location, post, posted, stock } from './fixtures.js';

/**
 * A period closer as a third party writes one (the ERP connector is the real one): everything up to
 * `closedThrough` is closed, and the rule says whether a posting into it is refused or re-dated to
 * the first instant after it. It also records what it was asked, to show the poster asks in its own
 * transaction with the date it will post.
 */
const closer = { closedThrough: null as string | null, rule: 'refuse' as 'refuse' | 'redate', asked: [] as PostingDateRequest[] };
const periodCloser = definePlugin({
  id: 'period-closer',
  version: '1.0.0',
  compatibility: '*',
  register(ctx) {
    ctx.extend(postingPeriodGuards, {
      id: 'period-closer.months',
      async check(tx, request) {
        closer.asked.push(request);
        // A read inside the poster's transaction, as a real guard's share-locked read would be.
        await tx.execute('SELECT 1');
        if (!closer.closedThrough || request.effectiveAt.slice(0, 10) > closer.closedThrough) return { action: 'accept' };
        const period = closer.closedThrough.slice(0, 7);
        if (closer.rule === 'refuse') return { action: 'refuse', period, reason: `period ${period} was exported to the ERP and closed` };
        const next = new Date(`${closer.closedThrough}T00:00:00Z`);
        next.setUTCDate(next.getUTCDate() + 1);
        return { action: 'redate', period, effectiveAt: next.toISOString(), reason: `period ${period} is closed: posted on the first day of the open period` };
      },
    });
  },
});

describe('moves into a closed accounting period', () => {
  let t: TestPlatform;
  let bolt: string;
  let bin: string;
  beforeAll(async () => {
    t = await createTestPlatform({ plugins: [inventoryPlugin, periodCloser], enable: { inventory: { reservationSweepSeconds: 0 }, 'period-closer': {} } });
    bolt = await item(t, 'Hex bolt M8');
    bin = await location(t, 'Bin P-1');
    await posted(t, { type: 'receipt', effectiveAt: '2026-09-10T08:00:00Z', lines: [{ itemId: bolt, qty: 10, unitCost: '2.00', toLocationId: bin }] });
  });
  afterAll(() => t?.close());

  it('are refused with a problem naming effectiveAt and the period, and change nothing', async () => {
    closer.closedThrough = '2026-09-30';
    closer.rule = 'refuse';
    const res = await expectNoChange(t, () => post(t, { type: 'receipt', effectiveAt: '2026-09-20T08:00:00Z', lines: [{ itemId: bolt, qty: 5, unitCost: '2.00', toLocationId: bin }] }));
    const body = expectProblem(res, 409, 'posting-period-closed');
    expect(body.period).toBe('2026-09');
    expect(body.detail).toContain('exported to the ERP and closed');
    expect(body.errors).toEqual([expect.objectContaining({ field: 'effectiveAt', reason: 'period-closed' })]);
    expect((await stock(t, bolt)).onHand).toBe('10');
  });

  it('in the open period still post, and the guard is asked with the posting date', async () => {
    closer.asked.length = 0;
    const move = await posted(t, { type: 'issue', effectiveAt: '2026-10-02T08:00:00Z', lines: [{ itemId: bolt, qty: 4, fromLocationId: bin }] });
    expect(move.effectiveAt).toBe('2026-10-02T08:00:00.000Z');
    expect(closer.asked).toEqual([{ domain: 'inventory', effectiveAt: '2026-10-02T08:00:00.000Z', kind: 'issue' }]);
    expect((await stock(t, bolt)).onHand).toBe('6');
  });

  it('are re-dated into the open period when that is the rule, keeping the date asked for', async () => {
    closer.rule = 'redate';
    t.events.length = 0;
    const move = await posted(t, { type: 'receipt', effectiveAt: '2026-09-25T15:30:00Z', lines: [{ itemId: bolt, qty: 5, unitCost: '3.00', toLocationId: bin }] });
    expect(move.effectiveAt).toBe('2026-10-01T00:00:00.000Z');
    const [row] = await t.sql<{ redated_from: Date }>(`SELECT redated_from FROM inventory_move WHERE id = $1`, [move.id]);
    expect(row.redated_from.toISOString()).toBe('2026-09-25T15:30:00.000Z');
    const event = t.events.find((e) => e.name === 'inventory.move.posted');
    expect(event?.payload).toMatchObject({ id: move.id, effectiveAt: '2026-10-01T00:00:00.000Z', redatedFrom: '2026-09-25T15:30:00.000Z' });
    expect((await stock(t, bolt)).onHand).toBe('11');
  });

  it('without a closed period carry no re-dating', async () => {
    closer.closedThrough = null;
    t.events.length = 0;
    const move = await posted(t, { type: 'receipt', effectiveAt: '2026-09-26T08:00:00Z', lines: [{ itemId: bolt, qty: 1, unitCost: '3.00', toLocationId: bin }] });
    expect(move.effectiveAt).toBe('2026-09-26T08:00:00.000Z');
    expect(t.events.find((e) => e.name === 'inventory.move.posted')?.payload).toMatchObject({ redatedFrom: null });
  });
});
