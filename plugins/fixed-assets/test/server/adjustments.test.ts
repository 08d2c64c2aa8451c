import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoChange, expectProblem, type TestPlatform } from '@quartermaster/testing';
import { FA, asset, bootFixedAssets, caller, eventsSince, transition } from './fixtures.js';

/**
 * Revaluation (IAS 16), impairment (IAS 36) and changes in estimates (IAS 8) of an asset in a book:
 * prospective, with their journal entries, events and history; period runs, the schedule and the
 * disposal follow the adjusted schedule.
 */

let t: TestPlatform;
let call: ReturnType<typeof caller>;
beforeAll(async () => {
  t = await bootFixedAssets();
  call = caller(t);
});
afterAll(() => t?.close());

async function run(book: string, periodEnd: string) {
  const started = await call({ method: 'POST', url: `${FA}/depreciation/runs`, payload: { book, periodEnd } }, 202);
  for (let i = 0; i < 200; i++) {
    const r = await call({ method: 'GET', url: `${FA}/depreciation/runs/${started.id}` }, 200);
    if (r.status !== 'running') return r;
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error('run did not finish');
}

interface Line {
  account: string;
  debit: string;
  credit: string;
}
const entry = async (id: string) => (await call({ method: 'GET', url: `${FA}/journal?limit=500` }, 200)).find((e: { id: string }) => e.id === id);
const accountLines = (lines: Line[]) => lines.map((l) => [l.account, l.debit, l.credit]);
const balanced = (lines: Line[]) => {
  const cents = (s: string) => Math.round(Number(s) * 100);
  expect(lines.reduce((a, l) => a + cents(l.debit), 0)).toBe(lines.reduce((a, l) => a + cents(l.credit), 0));
};
const adjust = (id: string, book: string, payload: Record<string, unknown>) => t.request({ method: 'POST', url: `${FA}/assets/${id}/books/${book}/adjustments`, payload });

describe('revaluation, impairment and a change in estimate of one asset, then its disposal', () => {
  // IAS 16 ¶31, ¶39, ¶50: 100,000, 10 years straight line from January 2022 (10,000 a year, 833.33 a month); after two
  // years the carrying amount is 80,000 and the fair value 96,000: a revaluation surplus of 16,000, then 96,000 over
  // the 8 years left = 12,000 a year, 1,000 a month.
  let building: { id: string; tag: string };
  const book = 'ifrs';

  beforeAll(async () => {
    await call({ method: 'PUT', url: `${FA}/books/${book}`, payload: { name: 'IFRS', periodFrequency: 'month' } }, 200);
    building = await asset(t, { name: 'Workshop fit-out', acquisitionCost: '100000', status: 'in-service' });
    await call({ method: 'PUT', url: `${FA}/assets/${building.id}/books/${book}`, payload: { method: 'straight-line', usefulLifeYears: 10, placedInService: '2022-01-01' } }, 200);
  });

  it('refuses to adjust a carrying amount the ledger has not reached: the periods before must be posted', async () => {
    const res = await expectNoChange(t, () => adjust(building.id, book, { kind: 'revaluation', effectiveOn: '2024-01-01', newCarryingAmount: '96000' }));
    expect(expectProblem(res, 409, 'fixed-assets/depreciation-not-posted')).toMatchObject({ book, postedThrough: null, requiredThrough: '2023-12-31', unposted: '20000.00' });
    expect((await run(book, '2023-06-30')).totalAmount).toBe('15000.00');
    const half = await expectNoChange(t, () => adjust(building.id, book, { kind: 'revaluation', effectiveOn: '2024-01-01', newCarryingAmount: '96000' }));
    expect(expectProblem(half, 409, 'fixed-assets/depreciation-not-posted')).toMatchObject({ postedThrough: '2023-06-30', unposted: '5000.00' });
    expect(expectProblem(half, 409, 'fixed-assets/depreciation-not-posted').detail).toContain('posted through 2023-06-30');
    expect((await run(book, '2023-12-31')).totalAmount).toBe('5000.00');
  });

  it('refuses an effective date that is not the first day of a period, naming the field', async () => {
    const res = await expectNoChange(t, () => adjust(building.id, book, { kind: 'revaluation', effectiveOn: '2024-01-15', newCarryingAmount: '96000' }));
    expect(expectProblem(res, 400, 'validation').errors).toEqual([{ field: 'effectiveOn', message: expect.stringContaining('first day of a period') }]);
  });

  it('IAS 16 revaluation: Dr asset / Cr revaluation surplus 16,000, then 1,000 a month', async () => {
    const from = t.events.length;
    const res = await adjust(building.id, book, { kind: 'revaluation', effectiveOn: '2024-01-01', newCarryingAmount: '96000', reason: 'valuer report 2024-01' });
    expect(res.statusCode, res.body).toBe(201);
    const revaluation = res.json();
    expect(revaluation).toMatchObject({
      assetId: building.id,
      book,
      kind: 'revaluation',
      effectiveOn: '2024-01-01',
      carryingBefore: '80000.00',
      carryingAfter: '96000.00',
      amount: '16000.00',
      revaluationSurplus: '16000.00',
      profitOrLoss: '0.00',
      usefulLifeYears: '8',
      salvageValue: '0.00',
      reason: 'valuer report 2024-01',
      journalEntryId: expect.any(String),
    });
    expect(eventsSince(t, from)).toEqual(['fixed-assets.asset.revalued']);
    expect(t.events.at(-1)!.payload).toEqual({
      id: building.id,
      tag: building.tag,
      book,
      adjustmentId: revaluation.id,
      effectiveOn: '2024-01-01',
      carryingBefore: '80000.00',
      carryingAfter: '96000.00',
      currency: 'EUR',
      remainingLifeYears: '8',
      salvageValue: '0.00',
      journalEntryId: revaluation.journalEntryId,
      revaluationSurplus: '16000.00',
      profitOrLoss: '0.00',
    });
    const je = await entry(revaluation.journalEntryId);
    expect(je).toMatchObject({ source: 'revaluation', sourceId: revaluation.id, entryDate: '2024-01-01', book });
    expect(accountLines(je.lines)).toEqual([
      ['1500', '16000.00', '0.00'],
      ['3200', '0.00', '16000.00'],
    ]);

    const { schedule } = await call({ method: 'GET', url: `${FA}/assets/${building.id}/books/${book}/schedule` }, 200);
    expect(schedule).toHaveLength(120);
    expect(schedule[23]).toMatchObject({ periodEnd: '2023-12-31', accumulated: '20000.00', bookValue: '80000.00', posted: '5000.00' });
    expect(schedule[24]).toMatchObject({ periodStart: '2024-01-01', amount: '1000.00', accumulated: '21000.00', bookValue: '95000.00', posted: null });
    expect(schedule.at(-1)).toMatchObject({ periodEnd: '2031-12-31', accumulated: '116000.00', bookValue: '0.00' });
    expect(await call({ method: 'GET', url: `${FA}/assets/${building.id}/history` }, 200)).toMatchObject({ data: [{ type: 'revalued', reason: 'valuer report 2024-01', data: { book, carryingAfter: '96000.00' } }, expect.anything()] });
  });

  it('runs after the revaluation post the revised amount', async () => {
    const preview = await call({ method: 'POST', url: `${FA}/depreciation/runs/preview`, payload: { book, periodEnd: '2024-01-31' } }, 200);
    expect(preview.lines).toEqual([expect.objectContaining({ assetId: building.id, amount: '1000.00', accumulated: '21000.00', bookValue: '95000.00' })]);
    expect((await run(book, '2024-01-31')).totalAmount).toBe('1000.00');
    expect((await run(book, '2024-12-31')).totalAmount).toBe('11000.00');
    const [b] = await call({ method: 'GET', url: `${FA}/assets/${building.id}/books` }, 200);
    // Gross 116,000 less 32,000 of depreciation.
    expect(b).toMatchObject({ postedAccumulated: '32000.00', netBookValue: '84000.00' });
  });

  it('the book row no longer changes retroactively, and says that adjustments are the way', async () => {
    const res = await expectNoChange(t, () => t.request({ method: 'PUT', url: `${FA}/assets/${building.id}/books/${book}`, payload: { method: 'straight-line', usefulLifeYears: 12, placedInService: '2022-01-01' } }));
    expect(expectProblem(res, 409, 'fixed-assets/book-posted').detail).toContain(`/assets/${building.id}/books/${book}/adjustments`);
  });

  it('an adjustment effective in a period already posted is refused', async () => {
    const res = await expectNoChange(t, () => adjust(building.id, book, { kind: 'impairment', effectiveOn: '2024-06-01', impairmentLoss: '1000' }));
    expect(expectProblem(res, 409, 'fixed-assets/posted-after-effective-date')).toMatchObject({ postedThrough: '2024-12-31', earliestEffectiveOn: '2025-01-01' });
  });

  it('IAS 36 impairment of a revalued asset: against its revaluation surplus first, the rest an impairment loss', async () => {
    // 84,000 on 1 January 2025, recoverable amount 63,000: a loss of 21,000 — 16,000 against the surplus (IAS 36 ¶61),
    // 5,000 in profit or loss; then 63,000 over the 7 years left = 9,000 a year, 750 a month.
    const too = await expectNoChange(t, () => adjust(building.id, book, { kind: 'impairment', effectiveOn: '2025-01-01', impairmentLoss: '84000.01' }));
    expect(expectProblem(too, 400, 'validation').errors).toEqual([{ field: 'impairmentLoss', message: 'must not exceed the carrying amount on 2025-01-01, 84000.00' }]);
    const from = t.events.length;
    const res = await adjust(building.id, book, { kind: 'impairment', effectiveOn: '2025-01-01', impairmentLoss: '21000' });
    expect(res.statusCode, res.body).toBe(201);
    const impairment = res.json();
    expect(impairment).toMatchObject({ carryingBefore: '84000.00', carryingAfter: '63000.00', amount: '-21000.00', revaluationSurplus: '-16000.00', profitOrLoss: '-5000.00', usefulLifeYears: '7' });
    expect(eventsSince(t, from)).toEqual(['fixed-assets.asset.impaired']);
    expect(t.events.at(-1)!.payload).toMatchObject({ impairmentLoss: '21000.00', revaluationSurplus: '-16000.00', carryingAfter: '63000.00' });
    const je = await entry(impairment.journalEntryId);
    expect(je.source).toBe('impairment');
    expect(accountLines(je.lines)).toEqual([
      ['3200', '16000.00', '0.00'],
      ['6950', '5000.00', '0.00'],
      ['1590', '0.00', '21000.00'],
    ]);
    balanced(je.lines);
    expect((await run(book, '2025-01-31')).totalAmount).toBe('750.00');
  });

  it('a change in estimate re-spreads the carrying amount less the new residual value over the new life, and books nothing', async () => {
    // 63,000 − 750 = 62,250 on 1 February 2025; 4 years left, residual value 2,250: 60,000 / 48 months = 1,250 a month.
    const journalBefore = (await t.sql(`SELECT count(*)::int AS n FROM fixed_assets_journal_entry`))[0].n;
    const none = await expectNoChange(t, () => adjust(building.id, book, { kind: 'estimate-change', effectiveOn: '2025-02-01' }));
    expect(expectProblem(none, 400, 'validation').errors!.map((e: { field: string }) => e.field)).toEqual(['usefulLifeYears']);
    const from = t.events.length;
    const res = await adjust(building.id, book, { kind: 'estimate-change', effectiveOn: '2025-02-01', usefulLifeYears: 4, salvageValue: '2250' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ kind: 'estimate-change', carryingBefore: '62250.00', carryingAfter: '62250.00', amount: '0.00', usefulLifeYears: '4', salvageValue: '2250.00', journalEntryId: null });
    expect(eventsSince(t, from)).toEqual(['fixed-assets.asset-book.estimate-changed']);
    expect((await t.sql(`SELECT count(*)::int AS n FROM fixed_assets_journal_entry`))[0].n).toBe(journalBefore);
    expect((await run(book, '2025-02-28')).totalAmount).toBe('1250.00');
    const list = await call({ method: 'GET', url: `${FA}/assets/${building.id}/books/${book}/adjustments` }, 200);
    expect(list.map((a: { kind: string; effectiveOn: string; carryingAfter: string; usefulLifeYears: string }) => [a.kind, a.effectiveOn, a.carryingAfter, a.usefulLifeYears])).toEqual([
      ['revaluation', '2024-01-01', '96000.00', '8'],
      ['impairment', '2025-01-01', '63000.00', '7'],
      ['estimate-change', '2025-02-01', '62250.00', '4'],
    ]);
    const { schedule } = await call({ method: 'GET', url: `${FA}/assets/${building.id}/books/${book}/schedule` }, 200);
    expect(schedule.at(-1)).toMatchObject({ periodEnd: '2029-01-31', bookValue: '2250.00' });
  });

  it('disposal follows the adjusted schedule: cost with the revaluation, accumulated with the impairment', async () => {
    // Sold on 10 May 2025 for 55,000: February–April at 1,250 (March and April still to post: 2,500). Depreciation
    // 20,000 + 12,000 + 750 + 3,750 = 36,500, impairment 21,000: accumulated 57,500 against a cost of 116,000;
    // net book value 58,500 (= 62,250 − 3,750), loss 3,500.
    await transition(t, building.id, 'retired');
    const early = await expectNoChange(t, () => t.request({ method: 'POST', url: `${FA}/assets/${building.id}/dispose`, payload: { kind: 'sold', disposedOn: '2025-01-20', proceeds: 55000 } }));
    expect(expectProblem(early, 400, 'validation').errors).toEqual([{ field: 'disposedOn', message: `must not be before the estimate-change of the ${book} book, effective 2025-02-01` }]);
    const sold = await call({ method: 'POST', url: `${FA}/assets/${building.id}/dispose`, payload: { kind: 'sold', disposedOn: '2025-05-10', proceeds: 55000 } }, 200);
    expect(sold.disposal.books).toEqual([
      { book, cost: '116000.00', accumulated: '57500.00', catchUpDepreciation: '2500.00', netBookValue: '58500.00', netProceeds: '55000.00', gainOrLoss: '-3500.00', journalEntryId: expect.any(String) },
    ]);
    const je = await entry(sold.disposal.books[0].journalEntryId);
    expect(accountLines(je.lines)).toEqual([
      ['6800', '2500.00', '0.00'],
      ['1590', '0.00', '2500.00'],
      ['1590', '57500.00', '0.00'],
      ['1200', '55000.00', '0.00'],
      ['6900', '3500.00', '0.00'],
      ['1500', '0.00', '116000.00'],
    ]);
    balanced(je.lines);
    // A disposed asset takes no more adjustments.
    expectProblem(await expectNoChange(t, () => adjust(building.id, book, { kind: 'impairment', effectiveOn: '2025-06-01', impairmentLoss: '1' })), 409, 'fixed-assets/asset-disposed');
  });
});

describe('revaluation decreases and their reversal (IAS 16 ¶39–40)', () => {
  it('a decrease with no surplus is a loss; a later increase reverses it through profit or loss first, the rest to the surplus', async () => {
    // 50,000 over 5 years from 2022 (10,000 a year), a yearly book. On 1 January 2023 (carrying 40,000) the fair value is
    // 32,000: a loss of 8,000, then 8,000 a year. On 1 January 2024 (carrying 24,000) it is 36,000: the increase of
    // 12,000 reverses the 8,000 loss and credits 4,000 to the surplus; then 12,000 a year over the 3 years left.
    await call({ method: 'PUT', url: `${FA}/books/yearly`, payload: { name: 'Yearly', periodFrequency: 'year' } }, 200);
    const crane = await asset(t, { name: 'Crane', acquisitionCost: '50000', status: 'in-service' });
    await call({ method: 'PUT', url: `${FA}/assets/${crane.id}/books/yearly`, payload: { method: 'straight-line', usefulLifeYears: 5, placedInService: '2022-01-01' } }, 200);
    await run('yearly', '2022-12-31');
    const down = await adjust(crane.id, 'yearly', { kind: 'revaluation', effectiveOn: '2023-01-01', newCarryingAmount: 32000 });
    expect(down.statusCode, down.body).toBe(201);
    expect(down.json()).toMatchObject({ carryingBefore: '40000.00', amount: '-8000.00', revaluationSurplus: '0.00', profitOrLoss: '-8000.00', usefulLifeYears: '4' });
    expect(accountLines((await entry(down.json().journalEntryId)).lines)).toEqual([
      ['6900', '8000.00', '0.00'],
      ['1500', '0.00', '8000.00'],
    ]);
    expect((await run('yearly', '2023-12-31')).totalAmount).toBe('8000.00');
    const up = await adjust(crane.id, 'yearly', { kind: 'revaluation', effectiveOn: '2024-01-01', newCarryingAmount: 36000 });
    expect(up.statusCode, up.body).toBe(201);
    expect(up.json()).toMatchObject({ carryingBefore: '24000.00', amount: '12000.00', revaluationSurplus: '4000.00', profitOrLoss: '8000.00', usefulLifeYears: '3' });
    expect(accountLines((await entry(up.json().journalEntryId)).lines)).toEqual([
      ['1500', '12000.00', '0.00'],
      ['7100', '0.00', '8000.00'],
      ['3200', '0.00', '4000.00'],
    ]);
    expect((await run('yearly', '2024-12-31')).totalAmount).toBe('12000.00');
    const [b] = await call({ method: 'GET', url: `${FA}/assets/${crane.id}/books` }, 200);
    // Gross 50,000 − 8,000 + 12,000 = 54,000 less 30,000 of depreciation.
    expect(b).toMatchObject({ postedAccumulated: '30000.00', netBookValue: '24000.00' });
  });
});

describe('what is not adjusted', () => {
  let truck: { id: string; tag: string };
  beforeAll(async () => {
    truck = await asset(t, { name: 'Truck', acquisitionCost: '40000', status: 'in-service' });
    await call({ method: 'PUT', url: `${FA}/assets/${truck.id}/books/tax`, payload: { method: 'macrs', recoveryPeriodYears: 5, placedInService: '2024-01-01' } }, 200);
  });

  it('MACRS: the tax basis is not revalued or impaired', async () => {
    await run('tax', '2024-12-31');
    for (const payload of [
      { kind: 'revaluation', effectiveOn: '2025-01-01', newCarryingAmount: 50000 },
      { kind: 'impairment', effectiveOn: '2025-01-01', impairmentLoss: 1000 },
    ]) {
      const res = await expectNoChange(t, () => adjust(truck.id, 'tax', payload));
      expect(expectProblem(res, 409, 'fixed-assets/not-adjustable')).toMatchObject({ book: 'tax', method: 'macrs' });
    }
  });

  it('land is revalued but has no life to re-estimate', async () => {
    await call({ method: 'PUT', url: `${FA}/books/land`, payload: { name: 'Land', periodFrequency: 'month' } }, 200);
    const plot = await asset(t, { name: 'Plot 12', acquisitionCost: '250000', status: 'in-service' });
    await call({ method: 'PUT', url: `${FA}/assets/${plot.id}/books/land`, payload: { method: 'none', placedInService: '2020-03-01' } }, 200);
    const res = await adjust(plot.id, 'land', { kind: 'revaluation', effectiveOn: '2025-01-01', newCarryingAmount: '310000' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ revaluationSurplus: '60000.00', usefulLifeYears: null });
    expectProblem(await expectNoChange(t, () => adjust(plot.id, 'land', { kind: 'estimate-change', effectiveOn: '2025-02-01', usefulLifeYears: 10 })), 409, 'fixed-assets/not-adjustable');
    expect((await call({ method: 'GET', url: `${FA}/assets/${plot.id}/books` }, 200))[0].netBookValue).toBe('310000.00');
  });

  it('an effective date in a closed period, or a revaluation after the end of the life without a new life', async () => {
    await call({ method: 'PUT', url: `${FA}/books/short`, payload: { name: 'Short lives', periodFrequency: 'month' } }, 200);
    const laptop = await asset(t, { name: 'Laptop', acquisitionCost: '1200', status: 'in-service' });
    await call({ method: 'PUT', url: `${FA}/assets/${laptop.id}/books/short`, payload: { method: 'straight-line', usefulLifeYears: 1, placedInService: '2024-01-01' } }, 200);
    await run('short', '2024-12-31');
    await call({ method: 'POST', url: `${FA}/periods/close`, payload: { book: 'short', periodEnd: '2024-12-31' } }, 200);
    expectProblem(await expectNoChange(t, () => adjust(laptop.id, 'short', { kind: 'impairment', effectiveOn: '2024-12-01', impairmentLoss: 10 })), 409, 'fixed-assets/period-closed');
    const over = await expectNoChange(t, () => adjust(laptop.id, 'short', { kind: 'revaluation', effectiveOn: '2025-01-01', newCarryingAmount: 300 }));
    expect(expectProblem(over, 422, 'fixed-assets/invalid-depreciation').errors).toEqual([{ field: 'usefulLifeYears', message: expect.stringContaining('useful life is over') }]);
    const given = await adjust(laptop.id, 'short', { kind: 'revaluation', effectiveOn: '2025-01-01', newCarryingAmount: 300, usefulLifeYears: 0.5 });
    expect(given.statusCode, given.body).toBe(201);
    expect((await run('short', '2025-01-31')).totalAmount).toBe('50.00');
  });

  it('names every field wrong for the kind at once', async () => {
    const res = await expectNoChange(t, () => adjust(truck.id, 'financial', { kind: 'revaluation', effectiveOn: '2025-01-01', impairmentLoss: 5 }));
    expectProblem(res, 404, 'fixed-assets/not-in-book');
    await call({ method: 'PUT', url: `${FA}/assets/${truck.id}/books/financial`, payload: { method: 'straight-line', usefulLifeYears: 8, placedInService: '2024-01-01' } }, 200);
    const bad = await expectNoChange(t, () => adjust(truck.id, 'financial', { kind: 'revaluation', effectiveOn: '2023-12-01', impairmentLoss: 5, salvageValue: '-1', usefulLifeYears: 0 }));
    expect(new Set(expectProblem(bad, 400, 'validation').errors!.map((e: { field: string }) => e.field))).toEqual(new Set(['newCarryingAmount', 'impairmentLoss', 'salvageValue', 'usefulLifeYears', 'effectiveOn']));
  });
});
